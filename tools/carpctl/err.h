/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: error reporting. Every error is one line on stderr,
 * "carpctl: [FILE:LINE: ]what went wrong", and each function returns the
 * exit status that goes with it.
 */
#ifndef CARPCTL_ERR_H
#define CARPCTL_ERR_H

#include <stdbool.h>
#include <stddef.h>

/* "file:line" while running a batch, else NULL; prefixes error messages. */
extern const char *err_location;

/* A usage or validation error: returns EXIT_SYNTAX. */
int syntax_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The system (or the kernel, in words of carpctl's) said no: EXIT_KERNEL. */
int sys_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "ambiguous <what> "<word>" (<candidates>)"; returns EXIT_SYNTAX. */
int ambiguous_err(const char *what, const char *word, const char *const *kw,
		  size_t n);

/*
 * What the kernel said of the last failed request (its extended ack), or
 * what carpctl found wrong with an answer: "" if nothing. nl.c sets it;
 * kernel_err() prints it in place of a bare strerror().
 */
#define KERNEL_MSG_LEN	256
const char *kernel_msg(void);
void kernel_msg_clear(void);
void kernel_msg_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* @len bytes of @s, trailing newlines dropped; false if that leaves none. */
bool kernel_msg_setn(const char *s, size_t len);

/*
 * Print a failed request (@err a negative errno) as one line and return
 * EXIT_KERNEL. kernel_err(): the kernel's message alone if there is one,
 * else "<context>: <strerror>"; rt_err() always leads with the context.
 * kernel_err_format() writes the line of either into @buf instead.
 */
int kernel_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int rt_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kernel_err_format(char *buf, size_t len, int err, bool always_ctx,
		       const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif /* CARPCTL_ERR_H */
