// SPDX-License-Identifier: GPL-2.0-or-later
/* chmod.c: COPY/ADD --chmod: an octal mode ("0644") or chmod(1)'s symbolic
 * clauses ("u=rwx,go=rx", "a+X", "g-w"), applied to each copied entry's
 * own mode (X: execute only for directories or what is executable). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "copyfs.h"

static int clause_ok(const char *c)
{
	c += strspn(c, "ugoa");
	if (!*c)
		return 0;
	while (*c) {
		if (!strchr("+-=", *c))
			return 0;
		c++;
		c += strspn(c, "rwxXst");
	}
	return 1;
}

int bf_chmod_parse(const char *spec, struct bf_chmod *out, struct dk_err *err)
{
	char *e;
	long m;

	memset(out, 0, sizeof(*out));
	if (!spec || !*spec)
		return dk_err_set(err, "--chmod: empty mode");
	m = strtol(spec, &e, 8);
	if (!*e) {
		if (m < 0 || m > 07777)
			return dk_err_set(err, "--chmod=%s: not a file mode", spec);
		out->octal = true;
		out->mode = (mode_t)m;
		return 0;
	}
	if (strlen(spec) >= sizeof(out->symbolic))
		return dk_err_set(err, "--chmod=%s: too long", spec);
	snprintf(out->symbolic, sizeof(out->symbolic), "%s", spec);
	for (char *save = NULL, *c = strtok_r(out->symbolic, ",", &save); c;
	     c = strtok_r(NULL, ",", &save))
		if (!clause_ok(c))
			return dk_err_set(err, "--chmod=%s: want an octal or symbolic mode", spec);
	snprintf(out->symbolic, sizeof(out->symbolic), "%s", spec);
	return 0;
}

/* The bits perms ("rwxXst") stand for, for the classes in who. */
static mode_t bits(const char *who, size_t nwho, const char *perms, size_t n, mode_t cur, bool dir)
{
	mode_t r = 0, w = 0, x = 0, s = 0, t = 0;
	bool all = nwho == 0;

	for (size_t i = 0; i < nwho; i++)
		all = all || who[i] == 'a';
	bool u = all || memchr(who, 'u', nwho), g = all || memchr(who, 'g', nwho),
	     o = all || memchr(who, 'o', nwho);
	r = (u ? S_IRUSR : 0) | (g ? S_IRGRP : 0) | (o ? S_IROTH : 0);
	w = (u ? S_IWUSR : 0) | (g ? S_IWGRP : 0) | (o ? S_IWOTH : 0);
	x = (u ? S_IXUSR : 0) | (g ? S_IXGRP : 0) | (o ? S_IXOTH : 0);
	s = (u ? S_ISUID : 0) | (g ? S_ISGID : 0);
	t = o ? S_ISVTX : 0;
	mode_t out = 0;
	for (size_t i = 0; i < n; i++) {
		switch (perms[i]) {
		case 'r': out |= r; break;
		case 'w': out |= w; break;
		case 'x': out |= x; break;
		case 'X':
			if (dir || (cur & 0111))
				out |= x;
			break;
		case 's': out |= s; break;
		case 't': out |= t; break;
		}
	}
	return out;
}

static mode_t apply_clause(const char *c, mode_t mode, bool dir)
{
	size_t nwho = strspn(c, "ugoa");
	const char *p = c + nwho;

	while (*p) {
		char op = *p++;
		size_t n = strspn(p, "rwxXst");
		mode_t b = bits(c, nwho, p, n, mode, dir);

		if (op == '=') {
			mode_t cls = bits(c, nwho, "rwxst", 5, 0, true);

			mode = (mode & ~cls) | b;
		} else if (op == '+') {
			mode |= b;
		} else {
			mode &= ~b;
		}
		p += n;
	}
	return mode;
}

mode_t bf_chmod_apply(const struct bf_chmod *c, mode_t mode, bool dir)
{
	char buf[sizeof(c->symbolic)];

	mode &= 07777;
	if (c->octal)
		return c->mode;
	snprintf(buf, sizeof(buf), "%s", c->symbolic);
	for (char *save = NULL, *cl = strtok_r(buf, ",", &save); cl;
	     cl = strtok_r(NULL, ",", &save))
		mode = apply_clause(cl, mode, dir);
	return mode;
}
