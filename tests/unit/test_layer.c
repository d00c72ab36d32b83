// SPDX-License-Identifier: GPL-2.0-or-later
/* test_layer.c: the pure parts of layer application: whiteout names, id
 * maps, the set of paths a layer added. */
#include "test.h"
#include "layer.h"
#include "layer_int.h"

static void test_whiteout_parse(void)
{
	static const struct {
		const char *path;
		enum dk_wh_kind kind;
		const char *target;
	} cases[] = {
	    {"/a/b", DK_WH_NONE, NULL},
	    {"/a/.wh.b", DK_WH_FILE, "/a/b"},
	    {"/.wh.etc", DK_WH_FILE, "/etc"},
	    {"/.wh..wh..opq", DK_WH_OPAQUE, "/"},
	    {"/a/b/.wh..wh..opq", DK_WH_OPAQUE, "/a/b"},
	    {"/a/.wh.", DK_WH_INVALID, NULL},
	    {"/a/.wh..", DK_WH_INVALID, NULL},
	    {"/a/.wh...", DK_WH_INVALID, NULL},
	    {"/a/.wh....", DK_WH_FILE, "/a/..."},
	    {"/a/.wh..wh..opqx", DK_WH_FILE, "/a/.wh..opqx"},
	    {"/a/x.wh.b", DK_WH_NONE, NULL},
	    {"/.wh.a/b", DK_WH_NONE, NULL},
	};
	char target[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum dk_wh_kind k = dk_whiteout_parse(cases[i].path, target, sizeof(target));

		CHECK_MSG(k == cases[i].kind, "%s: kind %d", cases[i].path, k);
		if (cases[i].target && k == cases[i].kind)
			CHECK_STR(target, cases[i].target);
	}
	CHECK(dk_whiteout_parse("/a/.wh.abcdefgh", target, 8) == DK_WH_INVALID);
}

static void test_whiteout_name(void)
{
	char out[16];

	CHECK(dk_whiteout_name("foo", out, sizeof(out)) == 0);
	CHECK_STR(out, ".wh.foo");
	CHECK(dk_whiteout_name("..", out, sizeof(out)) < 0);
	CHECK(dk_whiteout_name(".", out, sizeof(out)) < 0);
	CHECK(dk_whiteout_name("", out, sizeof(out)) < 0);
	CHECK(dk_whiteout_name("a/b", out, sizeof(out)) < 0);
	CHECK(dk_whiteout_name("0123456789ab", out, sizeof(out)) < 0);
}

static void test_overlay_xattrs(void)
{
	CHECK_STR(dk_overlay_opaque_xattr(false), "trusted.overlay.opaque");
	CHECK_STR(dk_overlay_opaque_xattr(true), "user.overlay.opaque");
	CHECK(dk_overlay_xattr_reserved("trusted.overlay.redirect"));
	CHECK(dk_overlay_xattr_reserved("user.overlay.opaque"));
	CHECK(!dk_overlay_xattr_reserved("security.capability"));
	CHECK(!dk_overlay_xattr_reserved("user.overlayx"));
}

static void test_idmap(void)
{
	struct dk_idmap m[2];
	struct dk_err err;
	uint32_t out;

	CHECK(dk_idmap_parse("0:100000:65536", &m[0], &err) == 0);
	CHECK_INT(m[0].inside, 0);
	CHECK_INT(m[0].outside, 100000);
	CHECK_INT(m[0].count, 65536);
	CHECK(dk_idmap_parse("65536:1000:1", &m[1], &err) == 0);
	CHECK(dk_idmap_map(m, 2, 0, &out) == 0 && out == 100000);
	CHECK(dk_idmap_map(m, 2, 65535, &out) == 0 && out == 165535);
	CHECK(dk_idmap_map(m, 2, 65536, &out) == 0 && out == 1000);
	CHECK(dk_idmap_map(m, 2, 65537, &out) < 0);
	CHECK(dk_idmap_map(m, 0, 42, &out) == 0 && out == 42);
	static const char *bad[] = {"",	       "1:2",	 "1:2:0",	   "a:b:c",
				    "1:2:3:4", "-1:2:3", "1:2:4294967296", "4294967295:0:2",
				    " 1:2:3"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_MSG(dk_idmap_parse(bad[i], &m[0], &err) < 0, "%s", bad[i]);
}

static void test_pathset(void)
{
	struct dk_pathset s = {0};
	char buf[32];

	CHECK(dk_pathset_get(&s, "/a") == 0);
	CHECK(dk_pathset_add_tree(&s, "/a/b/c") == 0);
	CHECK_INT(dk_pathset_get(&s, "/a/b/c"), DK_PS_ADDED);
	CHECK_INT(dk_pathset_get(&s, "/a/b"), DK_PS_ANCESTOR);
	CHECK_INT(dk_pathset_get(&s, "/a"), DK_PS_ANCESTOR);
	CHECK_INT(dk_pathset_get(&s, "/"), 0);
	CHECK(dk_pathset_add_tree(&s, "/a/b") == 0);
	CHECK_INT(dk_pathset_get(&s, "/a/b"), DK_PS_ADDED | DK_PS_ANCESTOR);
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "/x/%d", i);
		CHECK(dk_pathset_add(&s, buf, DK_PS_ADDED) == 0);
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "/x/%d", i);
		CHECK(dk_pathset_get(&s, buf) == DK_PS_ADDED);
	}
	CHECK(dk_pathset_get(&s, "/x/1000") == 0);
	dk_pathset_free(&s);
}

T_MAIN(T(test_whiteout_parse), T(test_whiteout_name), T(test_overlay_xattrs), T(test_idmap),
       T(test_pathset))
