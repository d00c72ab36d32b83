// SPDX-License-Identifier: GPL-2.0-or-later
/* test_challenge.c: fetch's WWW-Authenticate parser (pure code, compiled
 * in from fetch/challenge.c since unit tests link only libdk). */
#include "test.h"
#include "../../fetch/challenge.c"

static void test_bearer(void)
{
	struct fx_challenge c;
	struct dk_err err;

	CHECK_INT(
	    fx_challenge_parse(
		"Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"",
		&c, &err),
	    0);
	CHECK_STR(c.scheme, "bearer");
	CHECK_STR(c.realm, "https://auth.docker.io/token");
	CHECK_STR(c.service, "registry.docker.io");
	CHECK_STR(c.scope, "repository:library/busybox:pull");
	CHECK(c.error == NULL);
	fx_challenge_free(&c);
}

static void test_forms(void)
{
	struct fx_challenge c;
	struct dk_err err;

	/* tokens, spaces around '=', escapes, unknown parameters, error= */
	CHECK_INT(
	    fx_challenge_parse(
		"  bEaReR realm = http://h:5001/t , foo=\"a\\\"b\", error=\"insufficient_scope\"",
		&c, &err),
	    0);
	CHECK_STR(c.scheme, "bearer");
	CHECK_STR(c.realm, "http://h:5001/t");
	CHECK_STR(c.error, "insufficient_scope");
	fx_challenge_free(&c);
	CHECK_INT(fx_challenge_parse("Basic realm=\"dk-test\"", &c, &err), 0);
	CHECK_STR(c.scheme, "basic");
	CHECK_STR(c.realm, "dk-test");
	fx_challenge_free(&c);
	/* a second challenge ends the first one's parameters */
	CHECK_INT(fx_challenge_parse("Basic realm=\"a\", Bearer realm=\"b\"", &c, &err), 0);
	CHECK_STR(c.realm, "a");
	fx_challenge_free(&c);
}

static void test_bad(void)
{
	struct fx_challenge c;
	struct dk_err err;

	CHECK_INT(fx_challenge_parse("", &c, &err), -1);
	CHECK_INT(fx_challenge_parse("Bearer realm=\"unterminated", &c, &err), -1);
	CHECK_MSG(strstr(err.msg, "unterminated") != NULL, "%s", err.msg);
	CHECK_INT(fx_challenge_parse("Bearer =x", &c, &err), -1);
}

T_MAIN(T(test_bearer), T(test_forms), T(test_bad))
