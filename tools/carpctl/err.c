// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: error reporting, one line on stderr per error.
 *
 * Words in messages are escaped where they are printed (esc()); what is
 * left, a kernel's message or a file name in err_location, is made safe
 * here, so that every message is one line and cannot drive the terminal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "carpctl.h"
#include "err.h"
#include "parse.h"

const char *err_location;

static char kmsg[KERNEL_MSG_LEN];

static __attribute__((format(printf, 2, 0)))
int vprint_err(int status, const char *fmt, va_list ap)
{
	char buf[1024];

	fflush(stdout);
	fputs("carpctl: ", stderr);
	if (err_location) {
		fput_safe(err_location, stderr);
		fputs(": ", stderr);
	}
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fput_safe(buf, stderr);
	fputc('\n', stderr);
	return status;
}

int syntax_err(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vprint_err(EXIT_SYNTAX, fmt, ap);
	va_end(ap);
	return rc;
}

int sys_err(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vprint_err(EXIT_KERNEL, fmt, ap);
	va_end(ap);
	return rc;
}

int ambiguous_err(const char *what, const char *word, const char *const *kw,
		  size_t n)
{
	char list[256] = "";
	size_t i, len = strlen(word), used = 0;

	for (i = 0; i < n; i++) {
		if (strncmp(word, kw[i], len))
			continue;
		used += snprintf(list + used, sizeof(list) - used, "%s%s",
				 used ? ", " : "", kw[i]);
		if (used >= sizeof(list))
			break;
	}
	return syntax_err("ambiguous %s \"%s\" (%s)", what, esc(word), list);
}

/* ------------------------------------------------------------------ */
/* The kernel's message. */

const char *kernel_msg(void)
{
	return kmsg;
}

void kernel_msg_clear(void)
{
	kmsg[0] = '\0';
}

void kernel_msg_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kmsg, sizeof(kmsg), fmt, ap);
	va_end(ap);
}

bool kernel_msg_setn(const char *s, size_t len)
{
	len = strnlen(s, len);
	if (len >= sizeof(kmsg))
		len = sizeof(kmsg) - 1;
	memcpy(kmsg, s, len);
	while (len && kmsg[len - 1] == '\n')
		len--;
	kmsg[len] = '\0';
	return len > 0;
}

static __attribute__((format(printf, 5, 0)))
void vformat_err(char *buf, size_t len, int err, bool always_ctx,
		 const char *fmt, va_list ap)
{
	char ctx[256];

	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	if (kmsg[0] && always_ctx)
		snprintf(buf, len, "%s: %s", ctx, kmsg);
	else if (kmsg[0])
		snprintf(buf, len, "%s", kmsg);
	else
		snprintf(buf, len, "%s: %s", ctx, strerror(-err));
}

void kernel_err_format(char *buf, size_t len, int err, bool always_ctx,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat_err(buf, len, err, always_ctx, fmt, ap);
	va_end(ap);
}

int kernel_err(int err, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vformat_err(buf, sizeof(buf), err, false, fmt, ap);
	va_end(ap);
	return sys_err("%s", buf);
}

int rt_err(int err, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vformat_err(buf, sizeof(buf), err, true, fmt, ap);
	va_end(ap);
	return sys_err("%s", buf);
}
