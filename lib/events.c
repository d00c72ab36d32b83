// SPDX-License-Identifier: GPL-2.0-or-later
/* events.c: appending docker's event messages to $DK_ROOT/events.log.
 * One line, one write(2) with O_APPEND, so writers on one host never
 * interleave; past DK_EVENTS_ROTATE bytes the log becomes events.log.1
 * (under an flock, so only one writer rotates). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "events.h"
#include "fs.h"
#include "json.h"

static char *message(const char *type, const char *action, const char *id, const char *const *attrs,
		     size_t *len)
{
	struct dk_jgen *g = dk_jgen_new(false);
	struct timespec ts;
	struct dk_err err;
	char *buf = NULL;
	const char *from = NULL;

	clock_gettime(CLOCK_REALTIME, &ts);
	for (size_t i = 0; attrs && attrs[i] && attrs[i + 1]; i += 2)
		if (!strcmp(attrs[i], "image"))
			from = attrs[i + 1];
	dk_jgen_map_open(g);
	if (!strcmp(type, "container")) { /* docker's older fields */
		dk_jgen_kstr(g, "status", action);
		dk_jgen_kstr(g, "id", id);
		if (from)
			dk_jgen_kstr(g, "from", from);
	}
	dk_jgen_kstr(g, "Type", type);
	dk_jgen_kstr(g, "Action", action);
	dk_jgen_str(g, "Actor");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "ID", id);
	dk_jgen_str(g, "Attributes");
	dk_jgen_map_open(g);
	for (size_t i = 0; attrs && attrs[i] && attrs[i + 1]; i += 2)
		dk_jgen_kstr(g, attrs[i], attrs[i + 1]);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	dk_jgen_kstr(g, "scope", "local");
	dk_jgen_kint(g, "time", ts.tv_sec);
	dk_jgen_kint(g, "timeNano", (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &buf, len, &err) < 0)
		return NULL;
	buf[(*len)++] = '\n'; /* finish_dup leaves room for the NUL */
	return buf;
}

/* The writer that sees the log past its size renames it (the lock makes
 * that one writer). */
static void rotate(int dirfd, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || st.st_size < DK_EVENTS_ROTATE || flock(fd, LOCK_EX | LOCK_NB) < 0)
		return;
	if (fstatat(dirfd, DK_EVENTS_LOG, &st, 0) == 0 && st.st_size >= DK_EVENTS_ROTATE)
		renameat(dirfd, DK_EVENTS_LOG, dirfd, DK_EVENTS_OLD);
	flock(fd, LOCK_UN);
}

void dk_event(const char *root_opt, const char *type, const char *action, const char *id,
	      const char *const *attrs)
{
	cleanup_free char *root = dk_default_root(root_opt);
	cleanup_free char *line = NULL;
	cleanup_close int dirfd = -1, fd = -1;
	size_t len = 0;

	if (!root || !(line = message(type, action, id ? id : "", attrs, &len)))
		return;
	dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return;
	fd = openat(dirfd, DK_EVENTS_LOG, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, line, len) == (ssize_t)len)
		rotate(dirfd, fd);
}
