// SPDX-License-Identifier: GPL-2.0-or-later
/* userspec.c: User strings of image configs resolved against passwd and
 * group file contents (pure). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "userspec.h"

#define MAX_FIELDS 7

/* Split the next line of a colon file into fields (in buf); returns the
 * number of fields, 0 at the end of the text. */
static size_t next_entry(const char **text, char *buf, size_t size, char *fields[MAX_FIELDS])
{
	const char *p = *text, *nl;
	size_t len, n = 0;

	while (*p == '\n')
		p++;
	if (!*p)
		return 0;
	nl = strchr(p, '\n');
	len = nl ? (size_t)(nl - p) : strlen(p);
	*text = p + len;
	if (len >= size)
		len = size - 1; /* overlong lines are cut, not trusted */
	memcpy(buf, p, len);
	buf[len] = '\0';
	for (char *f = buf; n < MAX_FIELDS; n++) {
		fields[n] = f;
		f = strchr(f, ':');
		if (!f) {
			n++;
			break;
		}
		*f++ = '\0';
	}
	return n;
}

static bool parse_id(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Find a passwd entry by name (when name) or uid. */
static bool find_passwd(const char *text, const char *name, uint32_t uid, struct dk_user *u)
{
	char buf[1024], *f[MAX_FIELDS];
	size_t n;
	uint32_t id, gid;

	while (text && (n = next_entry(&text, buf, sizeof(buf), f)) > 0) {
		if (n < 7 || !parse_id(f[2], &id) || !parse_id(f[3], &gid))
			continue;
		if (name ? strcmp(f[0], name) != 0 : id != uid)
			continue;
		u->uid = id;
		u->gid = gid;
		snprintf(u->name, sizeof(u->name), "%s", f[0]);
		snprintf(u->home, sizeof(u->home), "%s", *f[5] ? f[5] : "/");
		return true;
	}
	return false;
}

static bool find_group(const char *text, const char *name, uint32_t *gid)
{
	char buf[4096], *f[MAX_FIELDS];
	size_t n;

	while (text && (n = next_entry(&text, buf, sizeof(buf), f)) > 0) {
		if (n >= 3 && strcmp(f[0], name) == 0 && parse_id(f[2], gid))
			return true;
	}
	return false;
}

static bool is_member(char *members, const char *user)
{
	for (char *m = strtok(members, ","); m; m = strtok(NULL, ","))
		if (strcmp(m, user) == 0)
			return true;
	return false;
}

/* Supplementary groups: every group listing the user by name. */
static void add_groups(const char *text, const char *user, struct dk_user *u)
{
	char buf[4096], *f[MAX_FIELDS];
	uint32_t gid;
	size_t n;

	while (text && (n = next_entry(&text, buf, sizeof(buf), f)) > 0) {
		if (n < 4 || !parse_id(f[2], &gid) || !is_member(f[3], user))
			continue;
		if (gid != u->gid && u->n_groups < DK_USER_MAX_GROUPS)
			u->groups[u->n_groups++] = gid;
	}
}

static int resolve_user(const char *user, const char *passwd, struct dk_user *u, struct dk_err *err)
{
	uint32_t uid;

	if (!*user)
		user = "0";
	if (parse_id(user, &uid)) {
		u->uid = uid;
		if (find_passwd(passwd, NULL, uid, u))
			return 0;
		u->gid = 0; /* an unknown uid: group root, as docker */
		return 0;
	}
	if (!find_passwd(passwd, user, 0, u))
		return dk_err_set(err, "user \"%s\": no such user in /etc/passwd", user);
	return 0;
}

int dk_user_resolve(const char *spec, const char *passwd, const char *group, struct dk_user *out,
		    struct dk_err *err)
{
	char user[256];
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);

	memset(out, 0, sizeof(*out));
	strcpy(out->home, "/");
	if (ulen >= sizeof(user))
		return dk_err_set(err, "user \"%s\": too long", spec);
	memcpy(user, spec, ulen);
	user[ulen] = '\0';
	if (resolve_user(user, passwd, out, err) < 0)
		return -1;
	if (!colon) {
		if (*out->name) /* found in passwd: its memberships */
			add_groups(group, out->name, out);
		return 0;
	}
	if (parse_id(colon + 1, &out->gid))
		return 0;
	if (!colon[1] || !find_group(group, colon + 1, &out->gid))
		return dk_err_set(err, "user \"%s\": no such group in /etc/group", spec);
	return 0;
}

int dk_user_needs_files(const char *spec)
{
	const char *colon = strchr(spec, ':');
	char user[32];
	uint32_t id;
	size_t ulen = colon ? (size_t)(colon - spec) : 0;

	/* only "uid:gid" gets nothing from the files (home, groups) */
	if (!colon || ulen >= sizeof(user))
		return 1;
	memcpy(user, spec, ulen);
	user[ulen] = '\0';
	return !parse_id(user, &id) || !parse_id(colon + 1, &id);
}
