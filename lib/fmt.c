// SPDX-License-Identifier: GPL-2.0-or-later
/* fmt.c: checked formatting into fixed buffers (see fmt.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include "fmt.h"

int dk_fmt(char *buf, size_t size, struct dk_err *err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return dk_err_sys(err, "formatting a path");
	if ((size_t)n >= size) {
		errno = ENAMETOOLONG;
		return dk_err_set(err, "path too long (%d bytes, at most %zu): %.60s...", n,
				  size - 1, buf);
	}
	return 0;
}
