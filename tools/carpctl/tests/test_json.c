// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: checks of the JSON writer (make test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../json.h"
#include "harness.h"

static void check_string(const char *in, size_t len, const char *want)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	json_write_string(f, in, len);
	fclose(f);
	check_str(in, buf, want);
	free(buf);
}

static void check_doc(bool pretty, const char *want)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct json j;

	json_init(&j, f, pretty);
	json_begin_array(&j);
	json_begin_object(&j);
	json_key(&j, "ifname");
	json_string(&j, "carp0");
	json_key(&j, "vhid");
	json_uint(&j, 1);
	json_key(&j, "auth");
	json_bool(&j, false);
	json_key(&j, "dev");
	json_null(&j);
	json_key(&j, "addresses");
	json_begin_array(&j);
	json_string(&j, "10.0.0.1/24");
	json_end_array(&j);
	json_key(&j, "none");
	json_begin_array(&j);
	json_end_array(&j);
	json_end_object(&j);
	json_end_array(&j);
	fclose(f);
	check_str(pretty ? "pretty document" : "compact document", buf, want);
	free(buf);
}

int main(void)
{
	check_string("plain", 5, "\"plain\"");
	check_string("q\"b\\s/", 6, "\"q\\\"b\\\\s/\"");
	check_string("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
	check_string("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"");
	check_string("a\0b", 3, "\"a\\u0000b\"");
	/* Valid UTF-8 passes through; stray bytes become \u00XX. */
	check_string("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	check_string("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");
	check_string("\xf0\x9f\x90\x9f", 4, "\"\xf0\x9f\x90\x9f\"");
	check_string("\xff", 1, "\"\\u00ff\"");
	check_string("\xc3", 1, "\"\\u00c3\"");
	check_string("\xc0\xaf", 2, "\"\\u00c0\\u00af\"");
	check_string("\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"");
	check_string("", 0, "\"\"");

	check_doc(false,
		  "[{\"ifname\":\"carp0\",\"vhid\":1,\"auth\":false,\"dev\":null,"
		  "\"addresses\":[\"10.0.0.1/24\"],\"none\":[]}]\n");
	check_doc(true,
		  "[\n"
		  "    {\n"
		  "        \"ifname\": \"carp0\",\n"
		  "        \"vhid\": 1,\n"
		  "        \"auth\": false,\n"
		  "        \"dev\": null,\n"
		  "        \"addresses\": [\n"
		  "            \"10.0.0.1/24\"\n"
		  "        ],\n"
		  "        \"none\": []\n"
		  "    }\n"
		  "]\n");

	return harness_end("test_json");
}
