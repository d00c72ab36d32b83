// SPDX-License-Identifier: GPL-2.0-or-later
/* err.c: filling, wrapping and printing struct dk_err. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "err.h"

static size_t elide(char *s, size_t len, size_t room);

/* Formatted at up to this size, then cut down to fit err->msg: a message
 * naming long paths loses its middle, not its end. */
#define FORMAT_MAX (4 * DK_ERR_MSG_MAX)

static void err_vformat(struct dk_err *err, int errnum, const char *fmt, va_list ap)
{
	char buf[FORMAT_MAX];
	const char *cause = errnum ? strerror(errnum) : NULL;
	size_t need = cause ? strlen(cause) + 2 : 0;
	size_t len;

	err->code = errnum;
	if (vsnprintf(buf, sizeof(buf), fmt, ap) < 0)
		buf[0] = '\0';
	len = strnlen(buf, sizeof(buf) - 1);
	if (need >= sizeof(err->msg) / 2)
		need = 0, cause = NULL; /* cannot happen with strerror */
	len = elide(buf, len, sizeof(err->msg) - 1 - need);
	memcpy(err->msg, buf, len);
	err->msg[len] = '\0';
	if (cause)
		snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", cause);
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

/* Shorten s (len bytes) to at most room bytes by cutting its middle:
 * "head...tail". */
static size_t elide(char *s, size_t len, size_t room)
{
	size_t head, tail;

	if (len <= room || room < 8)
		return len < room ? len : room;
	head = (room - 3) / 2;
	tail = room - 3 - head;
	memcpy(s + head, "...", 3);
	memmove(s + head + 3, s + len - tail, tail);
	return room;
}

/* The context keeps at least this much room when the cause is long. */
#define WRAP_KEEP 256

int dk_err_wrap(struct dk_err *err, const char *fmt, ...)
{
	char prefix[FORMAT_MAX];
	char old[DK_ERR_MSG_MAX];
	const size_t max = sizeof(err->msg) - 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* a long context (a deep path) is cut in its middle, so that the
	 * cause at the end of the message survives */
	size_t olen = strnlen(old, max);
	size_t room = olen + 2 + WRAP_KEEP <= max ? max - 2 - olen : WRAP_KEEP;
	size_t n = elide(prefix, strnlen(prefix, sizeof(prefix) - 1), room);
	/* and a cause that is too long itself loses its middle, not its end */
	old[elide(old, olen, max - 2 - n)] = '\0';
	/* build by hand: snprintf of two full buffers warns of truncation */
	memcpy(err->msg, prefix, n);
	if (n + 2 < sizeof(err->msg)) {
		memcpy(err->msg + n, ": ", 2);
		n += 2;
	}
	size_t rest = strnlen(old, max - n);
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
