// SPDX-License-Identifier: GPL-2.0-or-later
/* test_userspec.c: User strings resolved against passwd/group contents. */
#include "test.h"
#include "userspec.h"

static const char *passwd = "root:x:0:0:root:/root:/bin/sh\n"
			    "daemon:x:1:1::/usr/sbin:/bin/false\n"
			    "broken line\n"
			    "app:x:1000:1001:App:/home/app:/bin/sh\n"
			    "nohome:x:1002:1002:::/bin/sh";
static const char *group = "root:x:0:\n"
			   "wheel:x:10:app,other\n"
			   "staff:x:50:other\n"
			   "appgrp:x:1001:\n"
			   "audio:x:29:root,app\n";

static void test_resolve(void)
{
	static const struct {
		const char *spec;
		unsigned uid, gid;
		const char *home;
		size_t n_groups;
	} ok[] = {
	    {"", 0, 0, "/root", 1},
	    {"root", 0, 0, "/root", 1},
	    {"app", 1000, 1001, "/home/app", 2},
	    {"1000", 1000, 1001, "/home/app", 2},
	    {"4242", 4242, 0, "/", 0},
	    {"app:staff", 1000, 50, "/home/app", 0},
	    {"app:77", 1000, 77, "/home/app", 0},
	    {"1000:wheel", 1000, 10, "/home/app", 0},
	    {"5:6", 5, 6, "/", 0},
	    {"nohome", 1002, 1002, "/", 0},
	};
	struct dk_user u;
	struct dk_err err;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int r = dk_user_resolve(ok[i].spec, passwd, group, &u, &err);

		CHECK_MSG(r == 0, "%s: %s", ok[i].spec, err.msg);
		CHECK_INT(u.uid, ok[i].uid);
		CHECK_INT(u.gid, ok[i].gid);
		CHECK_STR(u.home, ok[i].home);
		CHECK_INT(u.n_groups, ok[i].n_groups);
	}
	CHECK(dk_user_resolve("app", passwd, group, &u, &err) == 0);
	CHECK(u.groups[0] == 10 && u.groups[1] == 29);
}

static void test_errors(void)
{
	struct dk_user u;
	struct dk_err err;

	CHECK(dk_user_resolve("nobody", passwd, group, &u, &err) < 0);
	CHECK(strstr(err.msg, "nobody") != NULL);
	CHECK(dk_user_resolve("app:nogroup", passwd, group, &u, &err) < 0);
	CHECK(strstr(err.msg, "group") != NULL);
	CHECK(dk_user_resolve("app:", passwd, group, &u, &err) < 0);
	CHECK(dk_user_resolve("app", NULL, NULL, &u, &err) < 0);
	CHECK(dk_user_resolve("7:8", NULL, NULL, &u, &err) == 0);
	CHECK(dk_user_resolve("", NULL, NULL, &u, &err) == 0 && u.uid == 0);
}

static void test_needs_files(void)
{
	CHECK(dk_user_needs_files(""));
	CHECK(dk_user_needs_files("app"));
	CHECK(dk_user_needs_files("1000"));
	CHECK(dk_user_needs_files("1000:wheel"));
	CHECK(dk_user_needs_files("app:10"));
	CHECK(!dk_user_needs_files("1000:10"));
}

T_MAIN(T(test_resolve), T(test_errors), T(test_needs_files))
