// SPDX-License-Identifier: GPL-2.0-or-later
/* test_filterspec.c: docker's --filter KEY=VALUE split and checked. */
#include "test.h"
#include "filterspec.h"

static void test_filter_keys(void)
{
	static const char *const keys[] = {"name", "label", NULL};
	struct dk_err err;
	const char *v = NULL;

	CHECK(dk_filter_parse("label=a=b", keys, &v, &err) == 1);
	CHECK(strcmp(v, "a=b") == 0);
	CHECK(dk_filter_parse("name=", keys, &v, &err) == 0);
	CHECK(strcmp(v, "") == 0);
	CHECK(dk_filter_parse("name", keys, &v, &err) == -1);
	CHECK(strstr(err.msg, "bad format of filter (expected name=value): name") != NULL);
	CHECK(dk_filter_parse("=x", keys, &v, &err) == -1);
	CHECK(dk_filter_parse("nam=x", keys, &v, &err) == -2);
	CHECK(strcmp(err.msg, "invalid filter 'nam'") == 0);
	CHECK(dk_filter_parse("names=x", keys, &v, &err) == -2);
}

T_MAIN(T(test_filter_keys))
