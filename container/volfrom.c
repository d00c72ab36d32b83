// SPDX-License-Identifier: GPL-2.0-or-later
/* volfrom.c: --volumes-from CONTAINER[:ro|:rw]: the volumes and binds of
 * another container mounted at the same places (its tmpfs mounts are its
 * own), as docker's backup recipe uses them. A target the new container
 * mounts itself keeps its own mount. */
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "container.h"

static bool has_target(char *const *mounts, const char *target)
{
	for (char *const *s = mounts; s && *s; s++) {
		struct dk_mountspec m;
		struct dk_err err;
		if (dk_mountspec_parse(*s, &m, &err) == 0 && !strcmp(m.target, target))
			return true;
	}
	return false;
}

/* spec "NAME[:ro|:rw]": the other container's mounts, mode as mode says */
static int take(struct dk_hostcfg *h, const char *spec, struct dk_err *err)
{
	size_t n = strcspn(spec, ":");
	const char *mode = spec[n] ? spec + n + 1 : "";
	char name[256];
	struct dk_crec other;
	int rc = 0;

	if (n >= sizeof(name) || (*mode && strcmp(mode, "ro") && strcmp(mode, "rw")))
		return dk_err_set(err, "invalid --volumes-from \"%s\": want CONTAINER[:ro|:rw]",
				  spec);
	memcpy(name, spec, n);
	name[n] = '\0';
	if (ctr_find(name, &other, err) < 0)
		return -1;
	for (char **s = other.o.hc.mounts; rc == 0 && s && *s; s++) {
		struct dk_mountspec m;
		char *text;
		if (dk_mountspec_parse(*s, &m, err) < 0) {
			rc = -1;
			break;
		}
		if (!strcmp(m.type, "tmpfs") || has_target(h->mounts, m.target))
			continue;
		if (*mode)
			m.readonly = !strcmp(mode, "ro");
		text = dk_mountspec_format(&m);
		if (!text || dk_strv_push(&h->mounts, text) < 0)
			rc = dk_err_sys(err, "--volumes-from %s", spec);
		free(text);
	}
	dk_crec_free(&other);
	return rc;
}

int ctr_volumes_from(struct dk_hostcfg *h, struct dk_err *err)
{
	for (char **v = h->volumes_from; v && *v; v++)
		if (take(h, *v, err) < 0)
			return -1;
	return 0;
}
