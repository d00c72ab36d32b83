// SPDX-License-Identifier: GPL-2.0-or-later
/* test_ref.c: table-driven tests for lib/ref.c, the docker-compatible image
 * reference parser, normaliser and formatter. */
#include "test.h"
#include "ref.h"

#define HEX16 "0123456789abcdef"
#define HEX64 HEX16 HEX16 HEX16 HEX16
#define D256  "sha256:" HEX64
#define D512  "sha512:" HEX64 HEX64

/* want NULL: parsing must fail and the message must contain err_has. */
struct parse_case {
	const char *in;
	const char *want;
	const char *err_has;
};

static const struct parse_case parse_cases[] = {
    {"busybox", "docker.io/library/busybox:latest", NULL},
    {"busybox:1.36", "docker.io/library/busybox:1.36", NULL},
    {"library/busybox", "docker.io/library/busybox:latest", NULL},
    {"docker.io/busybox", "docker.io/library/busybox:latest", NULL},
    {"docker.io/library/bb", "docker.io/library/bb:latest", NULL},
    {"index.docker.io/busybox", "docker.io/library/busybox:latest", NULL},
    {"index.docker.io/me/app:v1", "docker.io/me/app:v1", NULL},
    {"user/repo", "docker.io/user/repo:latest", NULL},
    {"a/b/c/d", "docker.io/a/b/c/d:latest", NULL},
    {"docker.io/library/a/b", "docker.io/library/a/b:latest", NULL},
    {"localhost/foo", "localhost/foo:latest", NULL},
    {"localhost", "docker.io/library/localhost:latest", NULL},
    {"localhost:5000", "docker.io/library/localhost:5000", NULL},
    {"localhost:5000/foo:tag", "localhost:5000/foo:tag", NULL},
    {"127.0.0.1:5000/x", "127.0.0.1:5000/x:latest", NULL},
    {"[::1]:5000/x", "[::1]:5000/x:latest", NULL},
    {"[::1]/x", "[::1]/x:latest", NULL},
    {"[2001:db8::1]:443/a/b:t", "[2001:db8::1]:443/a/b:t", NULL},
    {"example.com/a/b:v1.2-rc_3", "example.com/a/b:v1.2-rc_3", NULL},
    {"my-reg.example.com:443/x", "my-reg.example.com:443/x:latest", NULL},
    {"example:5000/x", "example:5000/x:latest", NULL},
    {"busybox@" D256, "docker.io/library/busybox@" D256, NULL},
    {"localhost:5000/a/b@" D256, "localhost:5000/a/b@" D256, NULL},
    {"d.io/p:tag@" D256, "d.io/p:tag@" D256, NULL},
    {"busybox@" D512, "docker.io/library/busybox@" D512, NULL},
    {"x@sha384:" HEX64 HEX16 HEX16, "docker.io/library/x@sha384:" HEX64 HEX16 HEX16, NULL},
    {"x@foo+bar.v2:" HEX16 HEX16, "docker.io/library/x@foo+bar.v2:" HEX16 HEX16, NULL},
    {"Example.COM/foo", "Example.COM/foo:latest", NULL},
    {"FOO/bar", "FOO/bar:latest", NULL},
    {"busybox:Latest", "docker.io/library/busybox:Latest", NULL},
    {"busybox:_x", "docker.io/library/busybox:_x", NULL},
    {"a__b/c---d", "docker.io/a__b/c---d:latest", NULL},
    {"a_b-c/d.e__f", "docker.io/a_b-c/d.e__f:latest", NULL},
    {"example.com", "docker.io/library/example.com:latest", NULL},
    {"docker.io/" HEX64, "docker.io/library/" HEX64 ":latest", NULL},

    {"", NULL, "missing repository name"},
    {":tag", NULL, "missing repository name"},
    {"@" D256, NULL, "missing repository name"},
    {"foo:", NULL, "invalid tag"},
    {"foo:-x", NULL, "invalid tag"},
    {"foo:.x", NULL, "invalid tag"},
    {"foo@", NULL, "digest"},
    {"foo@sha256:short", NULL, "digest"},
    {"foo@sha256:" HEX64 "0", NULL, "digest"},
    {"foo@sha256:0123456789ABCDEF" HEX16 HEX16 HEX16, NULL, "digest"},
    {"foo@sha512:" HEX64, NULL, "digest"},
    {"foo@SHA256:" HEX64, NULL, "digest"},
    {"foo@sha256" HEX64, NULL, "digest"},
    {"foo@x:" HEX16, NULL, "digest"},
    {"foo@1x:" HEX16 HEX16, NULL, "digest"},
    {"foo@a--b:" HEX16 HEX16, NULL, "digest"},
    {"foo@" D256 "@" D256, NULL, "digest"},
    {"Busybox", NULL, "name (library/Busybox) must be lowercase"},
    {"me/App", NULL, "repository name (me/App) must be lowercase"},
    {"localhost:5000/Foo", NULL, "(Foo) must be lowercase"},
    {"foo/", NULL, "invalid repository path"},
    {"/foo", NULL, "invalid repository path"},
    {"example.com/", NULL, "missing repository path"},
    {"a//b", NULL, "invalid repository path"},
    {"-foo", NULL, "invalid repository path"},
    {"foo-", NULL, "invalid repository path"},
    {"foo.", NULL, "invalid repository path"},
    {"_foo/bar", NULL, "invalid repository path"},
    {"a___b", NULL, "invalid repository path"},
    {"a..b", NULL, "invalid repository path"},
    {"a._b", NULL, "invalid repository path"},
    {HEX64, NULL, "cannot specify 64-byte hexadecimal strings"},
    {"foo bar", NULL, "invalid repository path"},
    {"foo:bar baz", NULL, "invalid tag"},
    {"b\xc3\xbcsybox", NULL, "invalid repository path"},
    {"busybox:t\xc3\xa4g", NULL, "invalid tag"},
    {"-bad.com/x", NULL, "invalid domain"},
    {"bad-.com/x", NULL, "invalid domain"},
    {"a..com/x", NULL, "invalid domain"},
    {"a_b.com/x", NULL, "invalid domain"},
    {"a.b_c-d/e", NULL, "invalid domain"},
    {"host:/x", NULL, "invalid domain"},
    {"host:50a/x", NULL, "invalid domain"},
    {"[::1/x", NULL, "invalid domain"},
    {"[]:5000/x", NULL, "invalid domain"},
    {"[::g]/x", NULL, "invalid domain"},
    {"[::1]5000/x", NULL, "invalid domain"},
};

static void test_parse_table(void)
{
	size_t n = sizeof(parse_cases) / sizeof(parse_cases[0]);
	char buf[DK_REF_STR_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct parse_case *c = &parse_cases[i];
		struct dk_err err = {0};
		struct dk_ref r;
		int rc = dk_ref_parse(c->in, &r, &err);

		if (c->want) {
			CHECK_MSG(rc == 0, "\"%s\": %s", c->in, err.msg);
			if (rc == 0) {
				dk_ref_format(&r, buf, sizeof(buf));
				CHECK_STR(buf, c->want);
			}
			continue;
		}
		CHECK_MSG(rc == -1, "\"%s\" parsed, should fail", c->in);
		CHECK_MSG(strstr(err.msg, c->err_has) != NULL, "\"%s\": got \"%s\", want \"%s\"",
			  c->in, err.msg, c->err_has);
	}
	printf("# %zu parse cases\n", n);
}

/* The message names the input and the cause. */
static void test_error_message(void)
{
	struct dk_err err = {0};
	struct dk_ref r;

	CHECK_INT(dk_ref_parse("foo/", &r, &err), -1);
	CHECK_STR(err.msg, "invalid reference \"foo/\": "
			   "invalid repository path \"foo/\"");
	CHECK_INT(dk_ref_parse("Busybox", &r, &err), -1);
	CHECK_STR(err.msg, "invalid reference \"Busybox\": repository name "
			   "(library/Busybox) must be lowercase");
}

static void parse_to(const char *in, int want_rc, const char *want)
{
	struct dk_err err = {0};
	char buf[DK_REF_STR_MAX];
	struct dk_ref r;
	int rc = dk_ref_parse(in, &r, &err);

	CHECK_MSG(rc == want_rc, "len %zu: rc %d (%s)", strlen(in), rc, err.msg);
	if (rc == 0 && want) {
		dk_ref_format(&r, buf, sizeof(buf));
		CHECK_STR(buf, want);
	}
}

static void test_tag_length(void)
{
	char in[300], want[sizeof(in) + 32];

	memcpy(in, "busybox:", 8);
	memset(in + 8, 't', 128);
	in[8 + 128] = '\0';
	snprintf(want, sizeof(want), "docker.io/library/%s", in);
	parse_to(in, 0, want);
	strcat(in, "t");
	parse_to(in, -1, NULL);
}

/* domain + "/" + path is at most 255 characters, "library/" included. */
static void test_name_length(void)
{
	char in[400], want[sizeof(in) + 32];

	strcpy(in, "example.com/");
	memset(in + 12, 'a', 243);
	in[12 + 243] = '\0';
	snprintf(want, sizeof(want), "%s:latest", in);
	parse_to(in, 0, want);
	strcat(in, "a");
	parse_to(in, -1, NULL);

	memset(in, 'b', 237);
	in[237] = '\0';
	snprintf(want, sizeof(want), "docker.io/library/%s:latest", in);
	parse_to(in, 0, want);
	strcat(in, "b");
	parse_to(in, -1, NULL);

	memset(in, 'c', 300);
	in[300] = '\0';
	parse_to(in, -1, NULL);
}

static void test_long_digest(void)
{
	char in[400];

	strcpy(in, "foo@blake3:");
	memset(in + 11, 'a', 200);
	in[211] = '\0';
	parse_to(in, -1, NULL);
}

struct name_case {
	const char *in;
	const char *name; /* dk_ref_format_name */
	const char *full; /* dk_ref_format after dk_ref_parse_name */
};

static const struct name_case name_cases[] = {
    {"busybox", "docker.io/library/busybox", "docker.io/library/busybox"},
    {"me/app:v1", "docker.io/me/app", "docker.io/me/app:v1"},
    {"h:5000/a@" D256, "h:5000/a", "h:5000/a@" D256},
    {"h/a:t@" D256, "docker.io/h/a", "docker.io/h/a:t@" D256},
};

static void test_parse_name(void)
{
	size_t n = sizeof(name_cases) / sizeof(name_cases[0]);
	char buf[DK_REF_STR_MAX];
	struct dk_err err = {0};
	struct dk_ref r;

	for (size_t i = 0; i < n; i++) {
		const struct name_case *c = &name_cases[i];

		CHECK_MSG(dk_ref_parse_name(c->in, &r, &err) == 0, "%s: %s", c->in, err.msg);
		dk_ref_format_name(&r, buf, sizeof(buf));
		CHECK_STR(buf, c->name);
		dk_ref_format(&r, buf, sizeof(buf));
		CHECK_STR(buf, c->full);
	}
	CHECK_INT(dk_ref_parse_name("Foo", &r, &err), -1);
	CHECK_INT(dk_ref_parse_name("", &r, &err), -1);
}

static void test_fields(void)
{
	struct dk_err err = {0};
	struct dk_ref r;

	CHECK_INT(dk_ref_parse("localhost:5000/a/b:t@" D256, &r, &err), 0);
	CHECK_STR(r.domain, "localhost:5000");
	CHECK_STR(r.path, "a/b");
	CHECK_STR(r.tag, "t");
	CHECK_STR(r.digest, D256);
	CHECK_INT(dk_ref_parse("busybox@" D256, &r, &err), 0);
	CHECK_STR(r.tag, "");
	CHECK_STR(r.digest, D256);
}

struct familiar_case {
	const char *in;
	const char *want;
};

static const struct familiar_case familiar_cases[] = {
    {"busybox", "busybox:latest"},
    {"docker.io/library/busybox:1", "busybox:1"},
    {"index.docker.io/me/app:v1", "me/app:v1"},
    {"library/a/b", "library/a/b:latest"},
    {"localhost:5000/a/b:tag", "localhost:5000/a/b:tag"},
    {"example.com/library/x", "example.com/library/x:latest"},
    {"busybox@" D256, "busybox@" D256},
    {"me/app:t@" D256, "me/app:t@" D256},
    {"[::1]:5000/x", "[::1]:5000/x:latest"},
};

static void test_familiar(void)
{
	size_t n = sizeof(familiar_cases) / sizeof(familiar_cases[0]);
	char buf[DK_REF_STR_MAX];
	struct dk_err err = {0};
	struct dk_ref r;

	for (size_t i = 0; i < n; i++) {
		CHECK_MSG(dk_ref_parse(familiar_cases[i].in, &r, &err) == 0, "%s: %s",
			  familiar_cases[i].in, err.msg);
		dk_ref_format_familiar(&r, buf, sizeof(buf));
		CHECK_STR(buf, familiar_cases[i].want);
	}
}

static void test_format_truncates(void)
{
	struct dk_err err = {0};
	struct dk_ref r;
	char small[10];

	CHECK_INT(dk_ref_parse("busybox", &r, &err), 0);
	dk_ref_format(&r, small, sizeof(small));
	CHECK_STR(small, "docker.io");
}

struct id_case {
	const char *in;
	bool want;
};

static const struct id_case id_cases[] = {
    {HEX64, true},
    {D256, true},
    {"", false},
    {"sha256:", false},
    {HEX64 "0", false},
    {HEX16 HEX16 HEX16 "0123456789abcde", false},
    {"0123456789ABCDEF" HEX16 HEX16 HEX16, false},
    {"sha512:" HEX64, false},
    {"SHA256:" HEX64, false},
    {"sha256:" HEX64 HEX64, false},
    {"busybox", false},
    {"g123456789abcdef" HEX16 HEX16 HEX16, false},
};

static void test_is_image_id(void)
{
	size_t n = sizeof(id_cases) / sizeof(id_cases[0]);

	for (size_t i = 0; i < n; i++) {
		const struct id_case *c = &id_cases[i];

		CHECK_MSG(dk_ref_is_image_id(c->in) == c->want, "%s", c->in);
	}
}

T_MAIN(T(test_parse_table), T(test_error_message), T(test_tag_length), T(test_name_length),
       T(test_long_digest), T(test_parse_name), T(test_fields), T(test_familiar),
       T(test_format_truncates), T(test_is_image_id))
