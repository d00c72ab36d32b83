// SPDX-License-Identifier: GPL-2.0-or-later
/* test_err.c: error messages: context added on the way up, and long
 * paths cut in their middle so that the cause at the end survives. */
#include <errno.h>
#include "test.h"
#include "err.h"

static void test_wrap(void)
{
	struct dk_err err;

	dk_err_errno(&err, ENOENT, "opening %s", "x");
	dk_err_wrap(&err, "layer %d", 3);
	CHECK_STR(err.msg, "layer 3: opening x: No such file or directory");
	CHECK_INT(err.code, ENOENT);
}

static void test_long_path_keeps_cause(void)
{
	static char path[3 * DK_ERR_MSG_MAX];
	struct dk_err err;
	size_t len;

	memset(path, 'p', sizeof(path) - 1);
	dk_err_errno(&err, ENAMETOOLONG, "resolving \"%s\"", path);
	len = strlen(err.msg);
	CHECK(len < DK_ERR_MSG_MAX);
	CHECK(strncmp(err.msg, "resolving \"ppp", 14) == 0);
	CHECK(strstr(err.msg, "...") != NULL);
	CHECK_STR(err.msg + len - 21, "\": File name too long");
	/* a long context over a long cause: both cut, the cause's end kept */
	dk_err_wrap(&err, "COPY %s", path);
	len = strlen(err.msg);
	CHECK(len < DK_ERR_MSG_MAX);
	CHECK(strncmp(err.msg, "COPY ppp", 8) == 0);
	CHECK_STR(err.msg + len - 21, "\": File name too long");
	/* short ones are untouched */
	dk_err_set(&err, "short");
	dk_err_wrap(&err, "%s", "ctx");
	CHECK_STR(err.msg, "ctx: short");
}

T_MAIN(T(test_wrap), T(test_long_path_keeps_cause))
