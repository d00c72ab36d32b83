// SPDX-License-Identifier: GPL-2.0-or-later
/* test_json.c: JSON tree lookups, big numbers, malformed input, generation. */
#include "test.h"
#include "json.h"

static struct dk_json *parse(const char *s, struct dk_err *err)
{
	return dk_json_parse(s, strlen(s), "test", err);
}

static void test_lookup(void)
{
	struct dk_err err;
	struct dk_json *j = parse("{\"a\":{\"b\":[\"x\",\"y\"]},\"n\":42,\"t\":true}", &err);

	CHECK(j != NULL);
	CHECK_STR(dk_json_str(dk_json_at(dk_json_path(j, "a", "b", NULL), 1)), "y");
	CHECK_INT(dk_json_len(dk_json_path(j, "a", "b", NULL)), 2);
	int64_t n = 0;
	CHECK_INT(dk_json_int64(dk_json_get(j, "n"), &n), 0);
	CHECK_INT(n, 42);
	CHECK(dk_json_is_true(dk_json_get(j, "t")));
	CHECK(dk_json_get(j, "missing") == NULL);
	CHECK(dk_json_path(j, "n", "deeper", NULL) == NULL);
	CHECK(dk_json_get_str(j, "n") == NULL);
	dk_json_free(j);
}

static void test_big_numbers(void)
{
	struct dk_err err;
	struct dk_json *j =
	    parse("{\"u\":18446744073709551615,\"neg\":-9223372036854775808,\"f\":1.5}", &err);
	uint64_t u = 0;
	int64_t i = 0;

	CHECK(j != NULL);
	CHECK_INT(dk_json_uint64(dk_json_get(j, "u"), &u), 0);
	CHECK(u == UINT64_MAX);
	CHECK_INT(dk_json_int64(dk_json_get(j, "neg"), &i), 0);
	CHECK(i == INT64_MIN);
	CHECK_INT(dk_json_uint64(dk_json_get(j, "neg"), &u), -1);
	CHECK_INT(dk_json_int64(dk_json_get(j, "f"), &i), -1);
	CHECK_STR(dk_json_number_text(dk_json_get(j, "u")), "18446744073709551615");
	dk_json_free(j);
}

static void test_malformed(void)
{
	static const char *bad[] = {
	    "",	   "{",		 "{\"a\":}",	   "[1,2",    "{\"a\" 1}",
	    "nul", "{\"a\":1}}", "\"unterminated", "{'a':1}", "[1,]x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dk_err err = {0};
		struct dk_json *j = parse(bad[i], &err);

		CHECK_MSG(j == NULL, "input %s", bad[i]);
		CHECK_MSG(strstr(err.msg, "test: malformed JSON") != NULL, "message %s", err.msg);
		dk_json_free(j);
	}
	struct dk_err err;
	CHECK(dk_json_parse("{\"a\":1}\0x", 9, "nul", &err) == NULL);
}

static void test_strv(void)
{
	struct dk_err err;
	struct dk_json *j = parse("{\"ok\":[\"a\",\"b\"],\"bad\":[\"a\",1],\"obj\":{}}", &err);
	char **v = dk_json_strv(dk_json_get(j, "ok"), "ok", &err);

	CHECK(v && dk_strv_len(v) == 2 && strcmp(v[1], "b") == 0);
	dk_strv_free(v);
	CHECK(dk_json_strv(dk_json_get(j, "bad"), "bad", &err) == NULL);
	CHECK_STR(err.msg, "bad[1]: not a string");
	CHECK(dk_json_strv(dk_json_get(j, "obj"), "obj", &err) == NULL);
	v = dk_json_strv(NULL, "none", &err);
	CHECK(v && v[0] == NULL);
	dk_strv_free(v);
	dk_json_free(j);
}

static void test_generate(void)
{
	struct dk_err err;
	struct dk_jgen *g = dk_jgen_new(false);
	char **out = NULL;
	char *buf = NULL;
	size_t len;
	char *v[] = {"x", "y\"z", NULL};

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "s", "a/b");
	dk_jgen_kint(g, "i", -3);
	dk_jgen_str(g, "u");
	dk_jgen_uint(g, UINT64_MAX);
	dk_jgen_str(g, "v");
	dk_jgen_strv(g, v);
	dk_jgen_map_close(g);
	CHECK_INT(dk_jgen_finish_dup(g, &buf, &len, &err), 0);
	CHECK_STR(buf,
		  "{\"s\":\"a/b\",\"i\":-3,\"u\":18446744073709551615,\"v\":[\"x\",\"y\\\"z\"]}");
	(void)out;
	free(buf);
}

static void test_roundtrip_except(void)
{
	struct dk_err err;
	const char *src =
	    "{\"keep\":{\"n\":12345678901234567890,\"a\":[true,null]},\"drop\":1,\"k2\":\"v\"}";
	struct dk_json *j = parse(src, &err);
	struct dk_jgen *g = dk_jgen_new(false);
	static const char *const skip[] = {"drop", NULL};
	char *buf = NULL;
	size_t len;

	dk_jgen_map_open(g);
	dk_jgen_members_except(g, j, skip);
	dk_jgen_map_close(g);
	CHECK_INT(dk_jgen_finish_dup(g, &buf, &len, &err), 0);
	CHECK_STR(buf, "{\"keep\":{\"n\":12345678901234567890,\"a\":[true,null]},\"k2\":\"v\"}");
	free(buf);
	dk_json_free(j);
}

static void test_unbalanced_gen(void)
{
	struct dk_err err;
	struct dk_jgen *g = dk_jgen_new(false);
	char *buf = NULL;
	size_t len;

	dk_jgen_map_open(g);
	dk_jgen_int(g, 1); /* a key must be a string: yajl refuses */
	dk_jgen_map_close(g);
	CHECK_INT(dk_jgen_finish_dup(g, &buf, &len, &err), -1);
	CHECK(buf == NULL);
}

T_MAIN(T(test_lookup), T(test_big_numbers), T(test_malformed), T(test_strv), T(test_generate),
       T(test_roundtrip_except), T(test_unbalanced_gen))
