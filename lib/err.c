// SPDX-License-Identifier: GPL-2.0-or-later
/* err.c: filling, wrapping and printing struct dk_err. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "err.h"

static void err_vformat(struct dk_err *err, int errnum, const char *fmt, va_list ap)
{
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);

	err->code = errnum;
	if (errnum && n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
}

int dk_err_set(struct dk_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vformat(err, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int dk_err_sys(struct dk_err *err, const char *fmt, ...)
{
	int errnum = errno; /* first: anything below may clobber errno */
	va_list ap;

	va_start(ap, fmt);
	err_vformat(err, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int dk_err_errno(struct dk_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vformat(err, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int dk_err_wrap(struct dk_err *err, const char *fmt, ...)
{
	char prefix[DK_ERR_MSG_MAX];
	char old[DK_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* build by hand: snprintf of two full buffers warns of truncation */
	size_t n = strnlen(prefix, sizeof(err->msg) - 1);
	memcpy(err->msg, prefix, n);
	if (n + 2 < sizeof(err->msg)) {
		memcpy(err->msg + n, ": ", 2);
		n += 2;
	}
	size_t rest = strnlen(old, sizeof(err->msg) - 1 - n);
	memcpy(err->msg + n, old, rest);
	err->msg[n + rest] = '\0';
	return -1;
}

void dk_err_clear(struct dk_err *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}

void dk_err_print(const char *tool, const struct dk_err *err)
{
	fprintf(stderr, "%s: %s\n", tool, err->msg[0] ? err->msg : "failed");
}
