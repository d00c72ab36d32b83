// SPDX-License-Identifier: GPL-2.0-or-later
/* challenge.c: parsing WWW-Authenticate: a scheme token followed by
 * comma-separated auth-params whose values are tokens or quoted strings
 * (with backslash escapes). Parameters we do not use are skipped. */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "challenge.h"

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	return p;
}

static size_t token_len(const char *p)
{
	size_t n = 0;

	while (p[n] && (isalnum((unsigned char)p[n]) || strchr("!#$%&'*+-.^_`|~/:", p[n])))
		n++;
	return n;
}

/* A value at p: quoted string or token; *end is set past it. */
static char *parse_value(const char *p, const char **end)
{
	char *v, *o;

	if (*p != '"') {
		size_t n = token_len(p);
		*end = p + n;
		return strndup(p, n);
	}
	v = o = malloc(strlen(p) + 1);
	if (!v)
		return NULL;
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		*o++ = *p;
	}
	*o = '\0';
	if (*p != '"') {
		free(v);
		return NULL;
	}
	*end = p + 1;
	return v;
}

static char **slot_for(struct fx_challenge *c, const char *k, size_t n)
{
	static const struct { const char *name; size_t off; } keys[] = {
		{ "realm", offsetof(struct fx_challenge, realm) },
		{ "service", offsetof(struct fx_challenge, service) },
		{ "scope", offsetof(struct fx_challenge, scope) },
		{ "error", offsetof(struct fx_challenge, error) },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == n && strncasecmp(k, keys[i].name, n) == 0)
			return (char **)((char *)c + keys[i].off);
	return NULL;
}

static int parse_params(const char *p, struct fx_challenge *c,
			struct dk_err *err)
{
	for (p = skip_ws(p); *p; p = skip_ws(p)) {
		const char *k = p, *end;
		size_t n = token_len(p);

		p += n;
		while (*p == ' ')
			p++;
		if (n == 0 || *p != '=')
			return n ? 0 : dk_err_set(err, "malformed parameter at \"%s\"", k);
		p++;
		while (*p == ' ')
			p++;
		char *v = parse_value(p, &end);
		if (!v)
			return dk_err_set(err, "unterminated quoted value for \"%.*s\"",
					  (int)n, k);
		char **slot = slot_for(c, k, n);
		if (slot) {
			free(*slot);
			*slot = v;
		} else {
			free(v);
		}
		p = end;
	}
	return 0;
}

int fx_challenge_parse(const char *hdr, struct fx_challenge *out,
		       struct dk_err *err)
{
	const char *p = skip_ws(hdr);
	size_t n = token_len(p);

	memset(out, 0, sizeof(*out));
	if (n == 0 || n >= sizeof(out->scheme))
		return dk_err_set(err, "WWW-Authenticate \"%s\": no scheme", hdr);
	for (size_t i = 0; i < n; i++)
		out->scheme[i] = (char)tolower((unsigned char)p[i]);
	if (parse_params(p + n, out, err) < 0) {
		fx_challenge_free(out);
		return dk_err_wrap(err, "WWW-Authenticate \"%s\"", hdr);
	}
	return 0;
}

void fx_challenge_free(struct fx_challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	free(c->error);
	c->realm = c->service = c->scope = c->error = NULL;
}
