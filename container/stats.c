// SPDX-License-Identifier: GPL-2.0-or-later
/* stats.c: `stats --no-stream [CONTAINER...]`: one sample of docker's
 * table (CPU % over 200 ms, memory usage / limit, PIDs) from the
 * cgroups of each running container's init. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "container.h"

struct sample {
	char id[65], name[256], cg_mem[512], cg_cpu[512], cg_pids[512];
	unsigned long long cpu0, cpu1, mem, limit, pids;
};

/* v1 cgroup path of controller ctl for pid ("" when none). */
static void cgroup_of(int pid, const char *ctl, char *out, size_t size)
{
	char path[64], line[1024];
	cleanup_file FILE *f = NULL;
	size_t n = strlen(ctl);

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':'), *p = c ? strchr(c + 1, ':') : NULL;
		if (!p)
			continue;
		*p = '\0';
		for (char *t = strtok(c + 1, ","); t; t = strtok(NULL, ","))
			if (!strncmp(t, ctl, n) && !t[n]) {
				p[1 + strcspn(p + 1, "\n")] = '\0';
				snprintf(out, size, "/sys/fs/cgroup/%s%s", ctl, p + 1);
			}
	}
}

static unsigned long long read_num(const char *dir, const char *file)
{
	cleanup_free char *buf = NULL;
	char path[1024];
	struct dk_err err;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!dir[0] || dk_read_file_at(AT_FDCWD, path, 4096, &buf, &len, &err) < 0)
		return 0;
	return strtoull(buf, NULL, 10);
}

static void human(unsigned long long b, char *out, size_t size)
{
	const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)b;
	int i = 0;

	while (v >= 1024 && i < 4)
		v /= 1024, i++;
	snprintf(out, size, i ? "%.2f%s" : "%.0f%s", v, u[i]);
}

static void print(const struct sample *s)
{
	unsigned long long phys = (unsigned long long)sysconf(_SC_PHYS_PAGES) * 4096ULL;
	unsigned long long limit = s->limit && s->limit < phys ? s->limit : phys;
	char mem[32], lim[32], usage[80], cpu[16], memp[16];

	human(s->mem, mem, sizeof(mem));
	human(limit, lim, sizeof(lim));
	snprintf(usage, sizeof(usage), "%s / %s", mem, lim);
	/* CPU time over the 200 ms between the samples */
	snprintf(cpu, sizeof(cpu), "%.2f%%", (double)(s->cpu1 - s->cpu0) / 2e8 * 100.0);
	snprintf(memp, sizeof(memp), "%.2f%%", 100.0 * (double)s->mem / (double)limit);
	printf("%-15.12s %-20s %-9s %-24s %-8s %llu\n", s->id, s->name, cpu, usage, memp, s->pids);
}

int ctr_cmd_stats(int argc, char **argv)
{
	struct sample s[64];
	struct timespec step = {0, 200 * 1000 * 1000};
	size_t n = 0;
	struct dk_err err = {0};
	char **ids;

	if (argc < 2 || strcmp(argv[1], "--no-stream"))
		return ctr_usage("stats", "streaming stats are not supported: use --no-stream");
	ids = argc > 2 ? dk_strv_dup(argv + 2) : dk_crec_list(ctr_g.cdir, &err);
	for (char **i = ids; i && *i && n < 64; i++) {
		struct dk_crec r;
		if (ctr_find(*i, &r, &err) < 0)
			return ctr_daemon_error(DK_EXIT_FAIL, &err);
		if (!strcmp(r.status, "running") && r.pid > 0) {
			memset(&s[n], 0, sizeof(s[n]));
			snprintf(s[n].id, sizeof(s[n].id), "%s", r.id);
			snprintf(s[n].name, sizeof(s[n].name), "%s", r.name);
			cgroup_of(r.pid, "memory", s[n].cg_mem, sizeof(s[n].cg_mem));
			cgroup_of(r.pid, "cpuacct", s[n].cg_cpu, sizeof(s[n].cg_cpu));
			cgroup_of(r.pid, "pids", s[n].cg_pids, sizeof(s[n].cg_pids));
			s[n].cpu0 = read_num(s[n].cg_cpu, "cpuacct.usage");
			n++;
		}
		dk_crec_free(&r);
	}
	dk_strv_free(ids);
	nanosleep(&step, NULL);
	printf("%-15s %-20s %-9s %-24s %-8s %s\n", "CONTAINER ID", "NAME", "CPU %",
	       "MEM USAGE / LIMIT", "MEM %", "PIDS");
	for (size_t i = 0; i < n; i++) {
		s[i].cpu1 = read_num(s[i].cg_cpu, "cpuacct.usage");
		s[i].mem = read_num(s[i].cg_mem, "memory.usage_in_bytes");
		s[i].limit = read_num(s[i].cg_mem, "memory.limit_in_bytes");
		s[i].pids = read_num(s[i].cg_pids, "pids.current");
		print(&s[i]);
	}
	return 0;
}
