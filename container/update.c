// SPDX-License-Identifier: GPL-2.0-or-later
/* update.c: `container update`, docker update: new resource limits and
 * restart policy for existing containers. A running (or paused)
 * container's cgroups change at once through `runtime update`; the
 * bundle's config.json and the record keep the new values for later
 * starts, as docker keeps them. */
#include <fcntl.h>
#include <stddef.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "container.h"

enum { UPD_RESTART = OPT_FLAG_LAST + 1, UPD_UNSUPPORTED };

/* What the command line asks: the new values and which flags gave them
 * (given[] by option code; -c counts as --cpu-shares). */
struct update {
	struct dk_hostcfg h;
	struct dk_copts o; /* restart, restart_max */
	bool given[UPD_UNSUPPORTED];
	bool any_limit;
};

static const struct option update_opts[] = {
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"memory-swap", required_argument, NULL, OPT_MEMORY_SWAP},
    {"memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION},
    {"cpus", required_argument, NULL, OPT_CPUS},
    {"cpu-shares", required_argument, NULL, OPT_CPU_SHARES},
    {"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},
    {"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},
    {"cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS},
    {"cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS},
    {"pids-limit", required_argument, NULL, OPT_PIDS_LIMIT},
    {"restart", required_argument, NULL, UPD_RESTART},
    /* docker update's flags that dk run has no counterpart for */
    {"blkio-weight", required_argument, NULL, UPD_UNSUPPORTED},
    {"cpu-rt-period", required_argument, NULL, UPD_UNSUPPORTED},
    {"cpu-rt-runtime", required_argument, NULL, UPD_UNSUPPORTED},
    {"kernel-memory", required_argument, NULL, UPD_UNSUPPORTED},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The number limits update copies as given. */
static const struct {
	int c;
	size_t off;
} numbers[] = {
    {OPT_CPUS, offsetof(struct dk_hostcfg, nano_cpus)},
    {OPT_CPU_SHARES, offsetof(struct dk_hostcfg, cpu_shares)},
    {OPT_CPU_PERIOD, offsetof(struct dk_hostcfg, cpu_period)},
    {OPT_CPU_QUOTA, offsetof(struct dk_hostcfg, cpu_quota)},
    {OPT_PIDS_LIMIT, offsetof(struct dk_hostcfg, pids_limit)},
    {OPT_MEMORY_RESERVATION, offsetof(struct dk_hostcfg, memory_reservation)},
};

static void usage(void)
{
	printf("Usage: container update [OPTIONS] CONTAINER...\n\n"
	       "Options:\n"
	       "      --cpus N            number of CPUs\n"
	       "  -c, --cpu-shares N      CPU shares (relative weight)\n"
	       "      --cpu-period N, --cpu-quota N  CFS period and quota (microseconds)\n"
	       "      --cpuset-cpus LIST, --cpuset-mems LIST  CPUs and memory nodes\n"
	       "  -m, --memory SIZE       memory limit\n"
	       "      --memory-swap SIZE  memory plus swap limit, -1 for unlimited swap\n"
	       "      --memory-reservation SIZE  soft memory limit\n"
	       "      --pids-limit N      process limit, -1 for unlimited\n"
	       "      --restart POLICY    no, on-failure[:N], always, unless-stopped\n");
}

static int parse_one(int c, int li, const char *a, char **argv, struct update *u)
{
	switch (c) {
	case UPD_RESTART: u->given[c] = true; return ctr_restart_opt("update", a, &u->o);
	case UPD_UNSUPPORTED:
		return ctr_usage("update", "--%s: not supported", update_opts[li].name);
	case 'h': usage(); return 0;
	case '?':
	case ':': return ctr_usage("update", "unknown flag: %s", argv[optind - 1]);
	}
	u->given[c == 'c' ? OPT_CPU_SHARES : c] = true;
	u->any_limit = true;
	return ctr_flag_resource("update", c, a, &u->h);
}

static int parse(int argc, char **argv, struct update *u)
{
	int c, rc, li = 0;

	opterr = 0;
	optind = 1;
	while ((c = dk_getopt_long(argc, argv, "+m:c:h", update_opts, &li)) != -1)
		if ((rc = parse_one(c, li, optarg ? ctr_optarg(argv) : NULL, argv, u)) >= 0)
			return rc;
	if (optind >= argc)
		return ctr_usage("update", "\"update\" requires at least 1 argument.");
	if (!u->any_limit && !u->given[UPD_RESTART]) {
		fprintf(stderr, "dk: you must provide one or more flags when using this command\n");
		return DK_EXIT_FAIL;
	}
	return -1;
}

/* The memory+swap limit in force: docker's default is twice the memory. */
static int64_t swap_in_force(const struct dk_hostcfg *h)
{
	if (h->memory_swap)
		return h->memory_swap;
	return h->memory ? 2 * h->memory : -1;
}

/* docker's checks and defaults for memory and swap, applied to h. */
static int merge_memory(const struct update *u, struct dk_hostcfg *h, struct dk_err *err)
{
	bool new_swap = u->given[OPT_MEMORY_SWAP];
	int64_t mem = u->given[OPT_MEMORY] ? u->h.memory : h->memory;
	int64_t swap = new_swap ? u->h.memory_swap : swap_in_force(h);

	if (new_swap && !mem && swap != -1)
		return dk_err_set(err, "You should always set the Memory limit when using "
				       "Memoryswap limit");
	if (mem && swap != -1 && swap < mem)
		return dk_err_set(err, new_swap ? "Minimum memoryswap limit should be larger than "
						  "memory limit, see usage"
						: "Memory limit should be smaller than already set "
						  "memoryswap limit, update the memoryswap at the "
						  "same time");
	h->memory = mem;
	h->memory_swap = swap; /* pinned: a new memory does not move it */
	return 0;
}

static int set_str(char **field, const char *v, struct dk_err *err)
{
	free(*field);
	*field = strdup(v);
	return *field ? 0 : dk_err_sys(err, "update");
}

static int merge(const struct update *u, struct dk_crec *r, struct dk_err *err)
{
	struct dk_hostcfg *h = &r->o.hc;

	if (u->given[UPD_RESTART] && r->o.auto_remove && strcmp(u->o.restart, "no"))
		return dk_err_set(err, "Restart policy cannot be updated because AutoRemove is "
				       "enabled for the container");
	if ((u->given[OPT_MEMORY] || u->given[OPT_MEMORY_SWAP]) && merge_memory(u, h, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(*numbers); i++)
		if (u->given[numbers[i].c])
			*(int64_t *)((char *)h + numbers[i].off) =
			    *(const int64_t *)((const char *)&u->h + numbers[i].off);
	if (h->nano_cpus && (h->cpu_period || h->cpu_quota))
		return dk_err_set(err,
				  "Conflicting options: Nano CPUs and CPU %s cannot both be set",
				  h->cpu_period ? "Period" : "Quota");
	if ((u->given[OPT_CPUSET_CPUS] && set_str(&h->cpuset_cpus, u->h.cpuset_cpus, err) < 0) ||
	    (u->given[OPT_CPUSET_MEMS] && set_str(&h->cpuset_mems, u->h.cpuset_mems, err) < 0))
		return -1;
	if (u->given[UPD_RESTART]) {
		if (set_str(&r->o.restart, u->o.restart, err) < 0)
			return -1;
		r->o.restart_max = u->o.restart_max;
	}
	return 0;
}

/* The resources document `runtime update -r` reads. */
static int resources_doc(const struct dk_hostcfg *h, char **doc, size_t *len, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(false);

	dk_jgen_map_open(g);
	ctr_spec_resources(g, h);
	dk_jgen_map_close(g);
	return dk_jgen_finish_dup(g, doc, len, err);
}

/* config.json with linux.resources' memory, cpu and pids from h. */
static int rewrite_config(const char *id, const struct dk_hostcfg *h, struct dk_err *err)
{
	static const char *const linux_skip[] = {"resources", NULL};
	static const char *const res_skip[] = {"memory", "cpu", "pids", NULL};
	static const char *const top_skip[] = {"linux", NULL};
	cleanup_free char *buf = NULL, *out = NULL;
	struct dk_json *cfg, *lin, *res;
	struct dk_jgen *g;
	size_t len;
	int rc;

	if (dk_read_file_at(AT_FDCWD, ctr_path(id, "config.json"), 1 << 24, &buf, &len, err) < 0 ||
	    !(cfg = dk_json_parse(buf, len, "config.json", err)))
		return -1;
	lin = dk_json_get(cfg, "linux");
	res = dk_json_get(lin, "resources");
	g = dk_jgen_new(false);
	dk_jgen_map_open(g);
	dk_jgen_members_except(g, cfg, top_skip);
	dk_jgen_str(g, "linux");
	dk_jgen_map_open(g);
	dk_jgen_members_except(g, lin, linux_skip);
	dk_jgen_str(g, "resources");
	dk_jgen_map_open(g);
	dk_jgen_members_except(g, res, res_skip);
	ctr_spec_resources(g, h);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	dk_json_free(cfg);
	rc = dk_jgen_finish_dup(g, &out, &len, err);
	return rc < 0
		   ? -1
		   : dk_write_file_at(AT_FDCWD, ctr_path(id, "config.json"), out, len, 0600, err);
}

/* A live container's cgroups, through the runtime. */
static int update_live(const struct dk_crec *r, struct dk_err *err)
{
	cleanup_free char *doc = NULL;
	char path[4200];
	char *args[] = {"update", "--resources", path, (char *)r->id, NULL};
	size_t len;
	int rc;

	if (resources_doc(&r->o.hc, &doc, &len, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s", ctr_path(r->id, "resources.json"));
	if (dk_write_file_at(AT_FDCWD, path, doc, len, 0600, err) < 0)
		return -1;
	rc = ctr_runtime(args, false, err);
	unlink(path);
	return rc == 0 ? 0 : (err->msg[0] ? -1 : dk_err_set(err, "runtime update failed"));
}

/* Under the record's lock: merge, the cgroups, config.json, then the
 * record (saved by dk_crec_update when this returns 0). */
static int apply(struct dk_crec *r, void *arg, struct dk_err *err)
{
	const struct update *u = arg;
	bool live = !strcmp(r->status, "running") || !strcmp(r->status, "paused");

	if (merge(u, r, err) < 0)
		return -1;
	if (live && u->any_limit && update_live(r, err) < 0)
		return -1;
	return rewrite_config(r->id, &r->o.hc, err);
}

static int update_one(const char *what, const struct update *u)
{
	struct dk_crec r;
	struct dk_err err = {0};
	int rc;

	if (ctr_find(what, &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	rc = dk_crec_update(ctr_g.cdir, r.id, apply, (void *)u, &err);
	if (rc < 0) {
		fprintf(stderr, "Error response from daemon: Cannot update container %s: %s\n",
			r.id, err.msg);
		dk_crec_free(&r);
		return DK_EXIT_FAIL;
	}
	dk_crec_free(&r);
	printf("%s\n", what);
	return 0;
}

int ctr_cmd_update(int argc, char **argv)
{
	struct update u = {0};
	int rc = parse(argc, argv, &u);

	if (rc < 0) {
		rc = 0;
		for (int i = optind; i < argc; i++)
			if (update_one(argv[i], &u))
				rc = DK_EXIT_FAIL;
	}
	free(u.o.restart);
	free(u.h.cpuset_cpus);
	free(u.h.cpuset_mems);
	return rc;
}
