// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_update.c: update (resources of a live container) and events --stats. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cgroup.h"
#include "cleanup.h"
#include "commands.h"
#include "fs.h"
#include "state.h"

struct update_flags {
	const char *memory, *quota, *period, *shares, *pids;
};

/* A number member from a flag's text (JSON numbers keep their text). */
static void num_member(struct dk_jgen *g, const char *key, const char *v)
{
	struct dk_err e;
	struct dk_json *n;

	if (!v)
		return;
	n = dk_json_parse(v, strlen(v), key, &e);
	dk_jgen_str(g, key);
	if (n && dk_json_type(n) == DK_JSON_NUMBER)
		dk_jgen_value(g, n);
	else
		dk_jgen_null(g); /* cannot happen: checked by cmd_update */
	dk_json_free(n);
}

/* --memory etc. -> a linux.resources document. */
static char *flags_doc(const struct update_flags *f)
{
	struct dk_jgen *g = dk_jgen_new(false);
	char *buf = NULL;
	size_t len;
	struct dk_err e;

	dk_jgen_map_open(g);
	dk_jgen_str(g, "memory");
	dk_jgen_map_open(g);
	num_member(g, "limit", f->memory);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "cpu");
	dk_jgen_map_open(g);
	num_member(g, "quota", f->quota);
	num_member(g, "period", f->period);
	num_member(g, "shares", f->shares);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "pids");
	dk_jgen_map_open(g);
	num_member(g, "limit", f->pids);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &buf, &len, &e) < 0)
		return NULL;
	return buf;
}

int cmd_update(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"resources", required_argument, NULL, 'r'},
	    {"memory", required_argument, NULL, 'm'},
	    {"cpu-quota", required_argument, NULL, 'q'},
	    {"cpu-period", required_argument, NULL, 'p'},
	    {"cpu-share", required_argument, NULL, 's'},
	    {"pids-limit", required_argument, NULL, 'P'},
	    {NULL, 0, NULL, 0},
	};
	const char *file = NULL;
	struct update_flags f = {0};
	cleanup_free char *buf = NULL;
	size_t len;
	struct dk_err err;
	struct dk_json *j = NULL;
	struct rt_resources *r = NULL;
	struct rt_state st;
	int c, fd, rc = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "r:", opts, NULL)) != -1) {
		switch (c) {
		case 'r': file = optarg; break;
		case 'm': f.memory = optarg; break;
		case 'q': f.quota = optarg; break;
		case 'p': f.period = optarg; break;
		case 's': f.shares = optarg; break;
		case 'P': f.pids = optarg; break;
		default: return dk_usage_error("update: unknown option");
		}
	}
	if (optind != argc - 1)
		return dk_usage_error("update: expected one container id");
	const char *vals[] = {f.memory, f.quota, f.period, f.shares, f.pids};
	for (size_t i = 0; i < sizeof(vals) / sizeof(*vals); i++) {
		char *end;
		if (vals[i] && (strtoll(vals[i], &end, 10), !*vals[i] || *end))
			return dk_usage_error("update: \"%s\" is not a number", vals[i]);
	}
	if (file) {
		if (dk_read_file_at(AT_FDCWD, strcmp(file, "-") ? file : "/dev/stdin", 1 << 20,
				    &buf, &len, &err) < 0)
			return rt_fail("update", &err);
	} else {
		buf = flags_doc(&f);
		len = buf ? strlen(buf) : 0;
	}
	if (!(j = dk_json_parse(buf, len, "resources", &err)) || !(r = rt_resources_parse(j, &err)))
		return dk_json_free(j), rt_fail("update", &err);
	fd = rt_state_open(rt_g.root, argv[optind], &err);
	if (fd < 0 || rt_state_read(fd, &st, &err) < 0) {
		rc = rt_fail("update", &err);
	} else {
		if (rt_cgroup_update(st.cgroups, r, &err) < 0)
			rc = rt_fail("update", &err);
		rt_state_clear(&st);
	}
	if (fd >= 0)
		close(fd);
	rt_resources_free(r);
	dk_json_free(j);
	return rc;
}

int cmd_events(int argc, char **argv)
{
	static const struct option opts[] = {{"stats", no_argument, NULL, 's'},
					     {"interval", required_argument, NULL, 'i'},
					     {NULL, 0, NULL, 0}};
	struct rt_state st;
	struct dk_err err;
	struct dk_jgen *g;
	const char *buf;
	size_t len;
	int c, fd;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c != 's' && c != 'i')
			return dk_usage_error("events: unknown option");
	if (optind != argc - 1)
		return dk_usage_error("events: expected one container id");
	fd = rt_state_open(rt_g.root, argv[optind], &err);
	if (fd < 0 || rt_state_read(fd, &st, &err) < 0)
		return rt_fail("events", &err);
	g = dk_jgen_new(false);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "type", "stats");
	dk_jgen_kstr(g, "id", st.id);
	dk_jgen_str(g, "data");
	rt_cgroup_stats(st.cgroups, g);
	dk_jgen_map_close(g);
	if (dk_jgen_finish(g, &buf, &len, &err) == 0)
		printf("%.*s\n", (int)len, buf);
	dk_jgen_free(g);
	rt_state_clear(&st);
	close(fd);
	return 0;
}
