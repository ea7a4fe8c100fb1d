/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: a tiny streaming JSON writer.
 */
#ifndef CARPCTL_JSON_H
#define CARPCTL_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	bool pretty;
	bool after_key;		/* the next value completes a "key": pair */
	int depth;
	bool empty[JSON_MAX_DEPTH];	/* nothing written yet at this level */
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_uint(struct json *j, unsigned long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* Length of the valid UTF-8 sequence at @s (at most @len bytes), or 0. */
size_t utf8_seq_len(const unsigned char *s, size_t len);

/* Writes @s (@len bytes) as a quoted, escaped JSON string. */
void json_write_string(FILE *f, const char *s, size_t len);

#endif /* CARPCTL_JSON_H */
