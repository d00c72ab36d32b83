// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_update.c: update, the resources of a live container. */
#include <ctype.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cgroup.h"
#include "cleanup.h"
#include "commands.h"
#include "fs.h"
#include "state.h"

/* runc update's flags: which member of linux.resources each one sets. */
enum kind { NUM, BYTES, STR };
static const struct flag {
	const char *name, *section, *key;
	enum kind kind;
} flags[] = {
    {"blkio-weight", "blockIO", "weight", NUM},
    {"cpu-period", "cpu", "period", NUM},
    {"cpu-quota", "cpu", "quota", NUM},
    {"cpu-share", "cpu", "shares", NUM},
    {"cpu-rt-period", "cpu", "realtimePeriod", NUM},
    {"cpu-rt-runtime", "cpu", "realtimeRuntime", NUM},
    {"cpuset-cpus", "cpu", "cpus", STR},
    {"cpuset-mems", "cpu", "mems", STR},
    {"memory", "memory", "limit", BYTES},
    {"memory-reservation", "memory", "reservation", BYTES},
    {"memory-swap", "memory", "swap", BYTES},
    {"kernel-memory", "memory", "kernel", BYTES},
    {"kernel-memory-tcp", "memory", "kernelTCP", BYTES},
    {"pids-limit", "pids", "limit", NUM},
};
#define N_FLAGS (sizeof(flags) / sizeof(*flags))

/* A size as runc takes it: -1, or a number with an optional binary unit
 * (k, m, g, t, p; "50M", "1.5g", "64kb"). */
static int bytes(const char *v, long long *out)
{
	static const char units[] = "kmgtp";
	char *end;
	double d;
	const char *u;

	if (!strcmp(v, "-1"))
		return *out = -1, 0;
	d = strtod(v, &end);
	if (end == v || d < 0)
		return -1;
	while (*end == ' ')
		end++;
	if (*end && (u = strchr(units, tolower((unsigned char)*end)))) {
		for (long i = 0; i <= u - units; i++)
			d *= 1024;
		end++;
		if (tolower((unsigned char)*end) == 'i')
			end++;
	}
	if (tolower((unsigned char)*end) == 'b')
		end++;
	if (*end)
		return -1;
	*out = (long long)d;
	return 0;
}

/* The flags given (vals[i] for flags[i], NULL if not) as a resources
 * document. */
static char *flags_doc(const char **vals, struct dk_err *err)
{
	static const char *sections[] = {"blockIO", "cpu", "memory", "pids"};
	struct dk_jgen *g = dk_jgen_new(false);
	char *buf = NULL;
	size_t len;

	dk_jgen_map_open(g);
	for (size_t s = 0; s < sizeof(sections) / sizeof(*sections); s++) {
		bool open = false;
		for (size_t i = 0; i < N_FLAGS; i++) {
			long long n = 0;
			char *end = NULL;
			if (!vals[i] || strcmp(flags[i].section, sections[s]))
				continue;
			if (!open) {
				dk_jgen_str(g, sections[s]);
				dk_jgen_map_open(g);
				open = true;
			}
			if (flags[i].kind == STR) {
				dk_jgen_kstr(g, flags[i].key, vals[i]);
				continue;
			}
			if (flags[i].kind == BYTES
				? bytes(vals[i], &n) < 0
				: (n = strtoll(vals[i], &end, 10), !*vals[i] || *end)) {
				dk_err_set(
				    err, "--%s: \"%s\" is not a number%s", flags[i].name, vals[i],
				    flags[i].kind == BYTES ? " (or a size such as 64M)" : "");
				goto out;
			}
			dk_jgen_kint(g, flags[i].key, n);
		}
		if (open)
			dk_jgen_map_close(g);
	}
	dk_jgen_map_close(g);
	dk_jgen_finish_dup(g, &buf, &len, err); /* frees g */
	return buf;
out:
	dk_jgen_free(g);
	return NULL;
}

int cmd_update(int argc, char **argv)
{
	struct option opts[N_FLAGS + 2] = {{"resources", required_argument, NULL, 'r'}};
	const char *file = NULL, *vals[N_FLAGS] = {0};
	cleanup_free char *buf = NULL;
	size_t len;
	struct dk_err err;
	struct dk_json *j = NULL;
	struct rt_resources *r = NULL;
	struct rt_state st;
	int c, fd, rc = 0;

	for (size_t i = 0; i < N_FLAGS; i++)
		opts[i + 1] = (struct option){flags[i].name, required_argument, NULL, 256 + (int)i};
	optind = 0;
	while ((c = getopt_long(argc, argv, "r:", opts, NULL)) != -1) {
		if (c == 'r')
			file = optarg;
		else if (c >= 256 && c < 256 + (int)N_FLAGS)
			vals[c - 256] = optarg;
		else
			return dk_usage_error("update: unknown option");
	}
	if (optind != argc - 1)
		return dk_usage_error("update: expected one container id");
	/* as runc: with -r the resources come from the file (or stdin) alone */
	if (file) {
		if (dk_read_file_at(AT_FDCWD, strcmp(file, "-") ? file : "/dev/stdin", 1 << 20,
				    &buf, &len, &err) < 0)
			return rt_fail("update", &err);
	} else if (!(buf = flags_doc(vals, &err))) {
		return dk_usage_error("update: %s", err.msg);
	} else {
		len = strlen(buf);
	}
	if (!(j = dk_json_parse(buf, len, "resources", &err)) || !(r = rt_resources_parse(j, &err)))
		return dk_json_free(j), rt_fail("update", &err);
	fd = rt_state_open(rt_g.root, argv[optind], &err);
	if (fd < 0 || rt_state_read(fd, &st, &err) < 0) {
		rc = rt_fail("update", &err);
	} else {
		bool changed = false;
		pid_t live = strcmp(rt_state_status(fd, &st), "stopped") ? st.pid : 0;
		if (rt_cgroup_realize(st.cgroups, r, live, &changed, &err) < 0 ||
		    rt_cgroup_update(st.cgroups, r, &err) < 0)
			rc = rt_fail("update", &err);
		if (changed && rt_state_write(fd, &st, &err) < 0)
			rc = rt_fail("update", &err);
		rt_state_clear(&st);
	}
	if (fd >= 0)
		close(fd);
	rt_resources_free(r);
	dk_json_free(j);
	return rc;
}
