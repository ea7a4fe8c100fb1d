// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl fuzz target: the JSON string writer. Any bytes make one valid
 * JSON string in strict UTF-8 that decodes to them, each byte that is not
 * part of valid UTF-8 as the character of the same value (Latin-1); in a
 * document of its own, compact and pretty.
 */
#include "../json.h"
#include "fuzz.h"

/* Decode the JSON string @s into @out (code points as UTF-8). */
static size_t decode(const unsigned char *s, size_t len, unsigned char *out)
{
	size_t i = 1, o = 0;
	unsigned int v;

	while (i < len - 1) {
		if (s[i] != '\\') {
			out[o++] = s[i++];
			continue;
		}
		switch (s[i + 1]) {
		case 'u':
			sscanf((const char *)s + i + 2, "%4x", &v);
			if (v < 0x80) {
				out[o++] = v;
			} else {
				out[o++] = 0xc0 | v >> 6;
				out[o++] = 0x80 | (v & 0x3f);
			}
			i += 6;
			continue;
		case 'b':
			out[o++] = '\b';
			break;
		case 'f':
			out[o++] = '\f';
			break;
		case 'n':
			out[o++] = '\n';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 't':
			out[o++] = '\t';
			break;
		default:
			out[o++] = s[i + 1];
		}
		i += 2;
	}
	return o;
}

/* @data with each byte outside valid UTF-8 as the UTF-8 of U+00XX. */
static size_t expected(const uint8_t *data, size_t size, unsigned char *out)
{
	size_t i = 0, o = 0, n;

	while (i < size) {
		n = data[i] >= 0x80 ? utf8_seq_len(data + i, size - i) : 1;
		if (n) {
			memcpy(out + o, data + i, n);
			o += n;
			i += n;
			continue;
		}
		out[o++] = 0xc0 | data[i] >> 6;
		out[o++] = 0x80 | (data[i] & 0x3f);
		i++;
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *dec, *want;
	char *buf = NULL;
	size_t len = 0, n, m;
	struct json j;
	FILE *f;
	int pretty;

	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	json_write_string(f, (const char *)data, size);
	fclose(f);
	if (!json_valid_docs(buf, len) || len < 2 || buf[0] != '"' ||
	    buf[len - 1] != '"')
		fuzz_fail("not one valid JSON string: %s", buf);
	dec = malloc(2 * size + 1);
	want = malloc(2 * size + 1);
	if (!dec || !want)
		abort();
	n = decode((const unsigned char *)buf, len, dec);
	m = expected(data, size, want);
	if (n != m || memcmp(dec, want, n))
		fuzz_fail("does not decode to its input");
	free(dec);
	free(want);
	free(buf);

	/* the same string as a key and a value, in a document */
	for (pretty = 0; pretty < 2; pretty++) {
		char *s = fuzz_str(data, size);

		buf = NULL;
		f = open_memstream(&buf, &len);
		if (!f)
			abort();
		json_init(&j, f, pretty);
		json_begin_array(&j);
		json_begin_object(&j);
		json_key(&j, s);
		json_string(&j, s);
		json_key(&j, "n");
		json_uint(&j, size);
		json_end_object(&j);
		json_string(&j, s);
		json_end_array(&j);
		fclose(f);
		if (!json_valid_docs(buf, len) || buf[len - 1] != '\n')
			fuzz_fail("not a valid document: %s", buf);
		free(buf);
		free(s);
	}
	return 0;
}
