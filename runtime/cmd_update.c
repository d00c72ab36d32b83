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

/* --memory etc. -> a resources JSON document. */
static char *flags_doc(const char *mem, const char *quota, const char *period, const char *pids,
		       const char *shares)
{
	char *s = NULL;

	if (asprintf(&s, "{\"memory\":{%s%s},\"cpu\":{%s%s%s%s%s%s},\"pids\":{%s%s}}",
		     mem ? "\"limit\":" : "", mem ? mem : "", quota ? "\"quota\":" : "",
		     quota ? quota : "", quota && (period || shares) ? "," : "",
		     period ? "\"period\":" : "", period ? period : "",
		     shares ? (period ? ",\"shares\":" : "\"shares\":") : "",
		     pids ? "\"limit\":" : "", pids ? pids : "") < 0)
		return NULL;
	if (shares) {
		char *t = NULL;
		/* the sprintf above has no slot for the value after shares */
		if (asprintf(&t, "%.*s%s%s", (int)(strstr(s, "\"shares\":") - s) + 9, s, shares,
			     strstr(s, "\"shares\":") + 9) < 0)
			t = NULL;
		free(s);
		s = t;
	}
	return s;
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
	const char *file = NULL, *mem = NULL, *q = NULL, *p = NULL, *pids = NULL, *sh = NULL;
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
		case 'm': mem = optarg; break;
		case 'q': q = optarg; break;
		case 'p': p = optarg; break;
		case 's': sh = optarg; break;
		case 'P': pids = optarg; break;
		default: return dk_usage_error("update: unknown option");
		}
	}
	if (optind != argc - 1)
		return dk_usage_error("update: expected one container id");
	if (file) {
		if (dk_read_file_at(AT_FDCWD, strcmp(file, "-") ? file : "/dev/stdin", 1 << 20,
				    &buf, &len, &err) < 0)
			return rt_fail("update", &err);
	} else {
		buf = flags_doc(mem, q, p, pids, sh);
		len = strlen(buf);
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
