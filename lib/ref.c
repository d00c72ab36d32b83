// SPDX-License-Identifier: GPL-2.0-or-later
/* ref.c: image references parsed and normalised the way docker's
 * ParseNormalizedNamed does (busybox -> docker.io/library/busybox:latest),
 * with a hand-written matcher for the reference grammar instead of regexes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ref.h"

#define DEFAULT_DOMAIN	"docker.io"
#define LEGACY_DOMAIN	"index.docker.io"
#define OFFICIAL_PREFIX "library/"
#define DEFAULT_TAG	"latest"

/* A slice of the input string, not NUL-terminated. */
struct span {
	const char *p;
	size_t n;
};

/* The input cut at its separators, before any validation. */
struct ref_parts {
	struct span name;   /* everything before ":tag" and "@digest" */
	struct span domain; /* after domain detection, normalised */
	struct span path;   /* without the "library/" prefix */
	struct span tag;
	struct span digest;
	bool has_tag, has_digest, official;
};

/* Character sets of the reference grammar. */
#define DIGITS	  "0123456789"
#define LOWER	  "abcdefghijklmnopqrstuvwxyz"
#define UPPER	  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define ALNUM	  LOWER UPPER DIGITS
#define LOWER_HEX DIGITS "abcdef"
#define ANY_HEX	  LOWER_HEX "ABCDEF"
#define ALG_SEP	  "+._-"

static bool in_set(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/* True when p[0..n) is non-empty and every character is in set. */
static bool all_in(const char *p, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!in_set(p[i], set))
			return false;
	return n > 0;
}

static bool any_in(struct span s, const char *set)
{
	for (size_t i = 0; i < s.n; i++)
		if (in_set(s.p[i], set))
			return true;
	return false;
}

static bool span_eq(struct span s, const char *lit)
{
	return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

static const char *span_rchr(struct span s, char c)
{
	for (size_t i = s.n; i > 0; i--)
		if (s.p[i - 1] == c)
			return s.p + i - 1;
	return NULL;
}

/* Length of the path-component separator (\.|_|__|-+) at p, 0 if none. */
static size_t sep_len(const char *p, size_t n)
{
	size_t i = 0;

	if (p[0] == '.')
		return 1;
	if (p[0] == '_')
		return n > 1 && p[1] == '_' ? 2 : 1;
	while (i < n && p[i] == '-')
		i++;
	return i;
}

/* path-component: [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)* */
static bool valid_component(const char *p, size_t n)
{
	size_t i = 0, start, sep;

	for (;;) {
		start = i;
		while (i < n && in_set(p[i], LOWER DIGITS))
			i++;
		if (i == start)
			return false;
		if (i == n)
			return true;
		sep = sep_len(p + i, n - i);
		if (sep == 0)
			return false;
		i += sep;
	}
}

/* Call check() on each piece of s between separators c; false if one fails. */
static bool each_piece(struct span s, char c, bool (*check)(const char *, size_t))
{
	const char *p = s.p, *end = s.p + s.n, *q;

	for (;;) {
		q = memchr(p, c, end - p);
		if (!check(p, (q ? q : end) - p))
			return false;
		if (!q)
			return true;
		p = q + 1;
	}
}

/* domain-component: [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9] */
static bool valid_domain_component(const char *p, size_t n)
{
	return all_in(p, n, ALNUM "-") && in_set(p[0], ALNUM) && in_set(p[n - 1], ALNUM);
}

/* The port part after the host: empty, or ':' and one or more digits. */
static bool valid_port(const char *p, size_t n)
{
	if (n == 0)
		return true;
	return p[0] == ':' && all_in(p + 1, n - 1, DIGITS);
}

/* domain: (domain-component ('.' domain-component)* | '[' ipv6 ']')
 *         [':' port] */
static bool valid_domain(struct span d)
{
	const char *end;
	size_t host;

	if (d.n > 0 && d.p[0] == '[') {
		end = memchr(d.p, ']', d.n);
		if (!end || !all_in(d.p + 1, end - d.p - 1, ANY_HEX ":"))
			return false;
		host = end - d.p + 1;
	} else {
		end = memchr(d.p, ':', d.n);
		host = end ? (size_t)(end - d.p) : d.n;
		if (!each_piece((struct span){d.p, host}, '.', valid_domain_component))
			return false;
	}
	return valid_port(d.p + host, d.n - host);
}

/* tag: [\w][\w.-]{0,127} */
static bool valid_tag(struct span t)
{
	return t.n > 0 && t.n <= DK_REF_TAG_MAX && in_set(t.p[0], ALNUM "_") &&
	       all_in(t.p, t.n, ALNUM "_.-");
}

/* algorithm: [a-z][a-z0-9]* ([+._-] [a-z][a-z0-9]*)*, the part both
 * distribution/reference and go-digest accept. */
static bool valid_algorithm(const char *p, size_t n)
{
	bool start = true;

	if (n == 0 || in_set(p[n - 1], ALG_SEP))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!in_set(p[i], start ? LOWER : LOWER DIGITS ALG_SEP))
			return false;
		start = in_set(p[i], ALG_SEP);
	}
	return true;
}

/* Hex digits the algorithm needs: exact for known ones, 0 for any >= 32. */
static size_t known_hex_len(struct span alg)
{
	if (span_eq(alg, "sha256"))
		return 64;
	if (span_eq(alg, "sha384"))
		return 96;
	if (span_eq(alg, "sha512"))
		return 128;
	return 0;
}

/* digest: algorithm ':' hex, checked as go-digest does for known algorithms. */
static const char *digest_error(struct span d)
{
	const char *colon = memchr(d.p, ':', d.n);
	struct span alg, hex;
	size_t want;

	if (!colon || !valid_algorithm(d.p, colon - d.p))
		return "invalid digest algorithm";
	alg = (struct span){d.p, colon - d.p};
	hex = (struct span){colon + 1, d.n - alg.n - 1};
	want = known_hex_len(alg);
	if (want && (hex.n != want || !all_in(hex.p, hex.n, LOWER_HEX)))
		return "invalid digest: wrong length or not lowercase hex";
	if (!want && (hex.n < 32 || !all_in(hex.p, hex.n, ANY_HEX)))
		return "invalid digest: need at least 32 hex digits";
	if (d.n >= DK_REF_DIGEST_MAX)
		return "digest too long";
	return NULL;
}

/* Cut s into name, ":tag" (after the last '/') and "@digest". */
static void split_input(const char *s, struct ref_parts *pt)
{
	const char *at = strchr(s, '@'), *colon, *slash;
	size_t len = strlen(s);

	pt->name = (struct span){s, at ? (size_t)(at - s) : len};
	pt->has_digest = at != NULL;
	if (at)
		pt->digest = (struct span){at + 1, len - pt->name.n - 1};
	colon = span_rchr(pt->name, ':');
	slash = span_rchr(pt->name, '/');
	pt->has_tag = colon && (!slash || colon > slash);
	if (pt->has_tag) {
		pt->tag.p = colon + 1;
		pt->tag.n = pt->name.p + pt->name.n - pt->tag.p;
		pt->name.n = colon - s;
	}
}

/* The first name component is a domain when it holds '.' or ':', is
 * "localhost", or has uppercase letters (splitDockerDomain). */
static bool looks_like_domain(struct span first)
{
	return memchr(first.p, '.', first.n) || memchr(first.p, ':', first.n) ||
	       span_eq(first, "localhost") || any_in(first, UPPER);
}

static void split_domain(struct ref_parts *pt)
{
	struct span first = pt->name;
	struct span def = {DEFAULT_DOMAIN, sizeof(DEFAULT_DOMAIN) - 1};
	const char *slash = memchr(pt->name.p, '/', pt->name.n);

	pt->domain = def;
	pt->path = pt->name;
	if (slash) {
		first.n = slash - first.p;
		if (looks_like_domain(first)) {
			pt->domain = first;
			pt->path.p = slash + 1;
			pt->path.n = pt->name.n - first.n - 1;
		}
	}
	if (span_eq(pt->domain, LEGACY_DOMAIN))
		pt->domain = def;
	pt->official = span_eq(pt->domain, DEFAULT_DOMAIN) && !memchr(pt->path.p, '/', pt->path.n);
}

__attribute__((format(printf, 3, 4))) static int ref_error(struct dk_err *err, const char *s,
							   const char *fmt, ...)
{
	char cause[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cause, sizeof(cause), fmt, ap);
	va_end(ap);
	return dk_err_set(err, "invalid reference \"%s\": %s", s, cause);
}

/* Check the name (domain and path) in docker's order. */
static int check_name(const char *s, const struct ref_parts *pt, struct dk_err *err)
{
	const char *pre = pt->official ? OFFICIAL_PREFIX : "";
	size_t len = pt->domain.n + 1 + strlen(pre) + pt->path.n;

	if (pt->name.n == 0)
		return ref_error(err, s, "missing repository name");
	if (any_in(pt->path, UPPER))
		return ref_error(err, s, "repository name (%s%.*s) must be lowercase", pre,
				 (int)pt->path.n, pt->path.p);
	if (!valid_domain(pt->domain))
		return ref_error(err, s, "invalid domain \"%.*s\"", (int)pt->domain.n,
				 pt->domain.p);
	if (pt->path.n == 0)
		return ref_error(err, s, "missing repository path");
	if (!each_piece(pt->path, '/', valid_component))
		return ref_error(err, s, "invalid repository path \"%.*s\"", (int)pt->path.n,
				 pt->path.p);
	if (len > DK_REF_NAME_MAX)
		return ref_error(err, s, "repository name must not be more than %d characters",
				 DK_REF_NAME_MAX);
	return 0;
}

static int check_tag_digest(const char *s, const struct ref_parts *pt, struct dk_err *err)
{
	const char *why;

	if (pt->has_tag && !valid_tag(pt->tag))
		return ref_error(err, s, "invalid tag \"%.*s\"", (int)pt->tag.n, pt->tag.p);
	if (pt->has_digest && (why = digest_error(pt->digest)))
		return ref_error(err, s, "%s", why);
	return 0;
}

/* Copy a checked span into a NUL-terminated field. */
static void put(char *dst, struct span src)
{
	memcpy(dst, src.p, src.n);
	dst[src.n] = '\0';
}

static void fill(const struct ref_parts *pt, struct dk_ref *out)
{
	size_t pre = pt->official ? strlen(OFFICIAL_PREFIX) : 0;

	memset(out, 0, sizeof(*out));
	put(out->domain, pt->domain);
	memcpy(out->path, OFFICIAL_PREFIX, pre);
	put(out->path + pre, pt->path);
	if (pt->has_tag)
		put(out->tag, pt->tag);
	if (pt->has_digest)
		put(out->digest, pt->digest);
}

static bool is_hex64(const char *s)
{
	return strlen(s) == 64 && all_in(s, 64, LOWER_HEX);
}

int dk_ref_parse_name(const char *s, struct dk_ref *out, struct dk_err *err)
{
	struct ref_parts pt = {0};

	if (is_hex64(s))
		return ref_error(err, s, "cannot specify 64-byte hexadecimal strings");
	split_input(s, &pt);
	split_domain(&pt);
	if (check_name(s, &pt, err) < 0 || check_tag_digest(s, &pt, err) < 0)
		return -1;
	fill(&pt, out);
	return 0;
}

int dk_ref_parse(const char *s, struct dk_ref *out, struct dk_err *err)
{
	if (dk_ref_parse_name(s, out, err) < 0)
		return -1;
	if (!out->tag[0] && !out->digest[0])
		strcpy(out->tag, DEFAULT_TAG);
	return 0;
}

/* Print "name[:tag][@digest]" after the given domain and path. */
static void format_with(const struct dk_ref *r, const char *domain, const char *path, char *buf,
			size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s%s%s", domain, *domain ? "/" : "", path,
		 r->tag[0] ? ":" : "", r->tag, r->digest[0] ? "@" : "", r->digest);
}

void dk_ref_format(const struct dk_ref *r, char *buf, size_t size)
{
	format_with(r, r->domain, r->path, buf, size);
}

void dk_ref_format_name(const struct dk_ref *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", r->domain, r->path);
}

void dk_ref_format_familiar(const struct dk_ref *r, char *buf, size_t size)
{
	const char *path = r->path;
	size_t pre = strlen(OFFICIAL_PREFIX);

	if (strcmp(r->domain, DEFAULT_DOMAIN) != 0) {
		format_with(r, r->domain, path, buf, size);
		return;
	}
	if (!strncmp(path, OFFICIAL_PREFIX, pre) && !strchr(path + pre, '/'))
		path += pre;
	format_with(r, "", path, buf, size);
}

bool dk_ref_is_image_id(const char *s)
{
	if (strncmp(s, "sha256:", 7) == 0)
		s += 7;
	return is_hex64(s);
}
