// SPDX-License-Identifier: GPL-2.0-or-later
/* logfile.c: docker's json-file log driver: one JSON object per line
 * of output ({"log":"text\n","stream":"stdout","time":"RFC3339Nano"}),
 * rotated at max-size into json.log.1 ... json.log.(max-file - 1). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "crecord.h"
#include "fs.h"
#include "json.h"
#include "monitor.h"

#define PARTIAL_MAX 16384 /* docker splits longer lines the same way */

struct mon_log {
	char *path;
	int fd;
	int64_t size, max_size;
	int max_file;
	char part[2][PARTIAL_MAX]; /* unfinished line per stream */
	size_t plen[2];
};

struct mon_log *mon_log_open(const char *dir, int64_t max_size, int max_file)
{
	struct mon_log *l = calloc(1, sizeof(*l));
	struct stat st;

	if (!l)
		return NULL;
	l->path = dk_path_join(dir, "json.log");
	l->fd = l->path ? open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
	l->max_size = max_size;
	l->max_file = max_file < 1 ? 1 : max_file;
	if (l->fd >= 0 && fstat(l->fd, &st) == 0)
		l->size = st.st_size;
	return l;
}

static void rotate(struct mon_log *l)
{
	char from[4200], to[4200];

	for (int i = l->max_file - 1; i >= 1; i--) {
		if (i == 1)
			snprintf(from, sizeof(from), "%s", l->path);
		else
			snprintf(from, sizeof(from), "%s.%d", l->path, i - 1);
		snprintf(to, sizeof(to), "%s.%d", l->path, i);
		rename(from, to);
	}
	close(l->fd);
	l->fd = open(l->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	l->size = 0;
}

static void entry(struct mon_log *l, const char *stream, const char *text, size_t len)
{
	struct dk_jgen *g = dk_jgen_new(false);
	char now[64], *buf = NULL;
	struct dk_err err;
	size_t n;

	dk_time_now(now, sizeof(now));
	dk_jgen_map_open(g);
	dk_jgen_str(g, "log");
	dk_jgen_strn(g, text, len);
	dk_jgen_kstr(g, "stream", stream);
	dk_jgen_kstr(g, "time", now);
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &buf, &n, &err) < 0)
		return;
	buf[n] = '\n'; /* finish_dup leaves room for the NUL */
	if (l->fd >= 0 && dk_write_all(l->fd, buf, n + 1, &err) == 0)
		l->size += (int64_t)n + 1;
	free(buf);
	if (l->max_size > 0 && l->size >= l->max_size)
		rotate(l);
}

void mon_log_write(struct mon_log *l, const char *stream, const char *buf, size_t len)
{
	int s = strcmp(stream, "stderr") == 0;

	if (!l)
		return;
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t take = nl ? (size_t)(nl - buf) + 1 : len;

		if (take > PARTIAL_MAX - l->plen[s])
			take = PARTIAL_MAX - l->plen[s];
		memcpy(l->part[s] + l->plen[s], buf, take);
		l->plen[s] += take;
		buf += take, len -= take;
		if (l->part[s][l->plen[s] - 1] == '\n' || l->plen[s] == PARTIAL_MAX) {
			entry(l, stream, l->part[s], l->plen[s]);
			l->plen[s] = 0;
		}
	}
}

void mon_log_flush(struct mon_log *l)
{
	static const char *const names[] = {"stdout", "stderr"};

	for (int s = 0; l && s < 2; s++)
		if (l->plen[s]) {
			entry(l, names[s], l->part[s], l->plen[s]);
			l->plen[s] = 0;
		}
}

void mon_log_close(struct mon_log *l)
{
	if (!l)
		return;
	mon_log_flush(l);
	if (l->fd >= 0)
		close(l->fd);
	free(l->path);
	free(l);
}
