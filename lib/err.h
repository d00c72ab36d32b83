// SPDX-License-Identifier: GPL-2.0-or-later
/* err.h: the one error type of dk. A failing function returns a negative
 * number (or NULL) and fills the struct dk_err passed as its last argument;
 * callers add context on the way up with dk_err_wrap(); only main() prints. */
#ifndef DK_ERR_H
#define DK_ERR_H

#include <stddef.h>

#define DK_ERR_MSG_MAX 2048

struct dk_err {
	int code;		  /* errno of the root cause, 0 if none */
	char msg[DK_ERR_MSG_MAX]; /* "context: context: cause" */
};

/* Set err from a message; no errno. Returns -1. */
int dk_err_set(struct dk_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Set err from errno (captured before anything else runs) plus a message:
 * "message: strerror(errno)". Returns -1. */
int dk_err_sys(struct dk_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Same as dk_err_sys with an explicit error number. Returns -1. */
int dk_err_errno(struct dk_err *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix context to an error already set: "context: old message". Returns -1. */
int dk_err_wrap(struct dk_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clear err. */
void dk_err_clear(struct dk_err *err);

/* Print "tool: message" on stderr. */
void dk_err_print(const char *tool, const struct dk_err *err);

#endif
