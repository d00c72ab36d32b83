// SPDX-License-Identifier: GPL-2.0-or-later
/* stats.c: `stats [-a] [--no-stream] [--no-trunc] [--format F]
 * [CONTAINER...]`: docker's live table of CPU %, memory, network and block
 * I/O and pids. The cgroup numbers come from `runtime events --stats`
 * (which reads cgroup v1, v2 or hybrid hosts alike), the network bytes
 * from the container's /proc/PID/net/dev. Streams until interrupted,
 * redrawing the screen on a terminal; --no-stream prints one sample. */
#include <getopt.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "json.h"
#include "container.h"

struct stats_opts {
	bool all, no_stream, no_trunc;
	const char *format;
	char **names; /* as given; NULL: every running container */
};

struct sample {
	char id[65], name[256];
	bool running;
	double at; /* when sampled (CLOCK_MONOTONIC seconds) */
	unsigned long long cpu, cpu_prev, mem, limit, pids, rx, tx, blk_r, blk_w;
	bool have_prev;
	double at_prev;
};

struct stats_row {
	const struct sample *s;
	const struct stats_opts *o;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static unsigned long long json_num(const struct dk_json *j, ...)
{
	va_list ap;
	const struct dk_json *v = j;
	const char *k;
	uint64_t n = 0;

	va_start(ap, j);
	while (v && (k = va_arg(ap, const char *)))
		v = dk_json_get(v, k);
	va_end(ap);
	if (v)
		dk_json_uint64(v, &n);
	return n;
}

/* Bytes read and written: the sums of runc-style ioServiceBytesRecursive. */
static void blkio(const struct dk_json *data, struct sample *s)
{
	const struct dk_json *v = dk_json_path(data, "blkio", "ioServiceBytesRecursive", NULL);

	s->blk_r = s->blk_w = 0;
	for (size_t i = 0; v && i < dk_json_len(v); i++) {
		const char *op = dk_json_get_str(dk_json_at(v, i), "op");
		unsigned long long n = json_num(dk_json_at(v, i), "value", NULL);
		if (op && !strcmp(op, "Read"))
			s->blk_r += n;
		else if (op && !strcmp(op, "Write"))
			s->blk_w += n;
	}
}

/* Received and sent bytes of every interface but lo in pid's netns. */
static void net_bytes(int pid, struct sample *s)
{
	char path[64], line[512];
	cleanup_file FILE *f = NULL;

	s->rx = s->tx = 0;
	snprintf(path, sizeof(path), "/proc/%d/net/dev", pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		unsigned long long rx, tx, skip;
		if (!colon || !strncmp(line + strspn(line, " "), "lo:", 3))
			continue;
		if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &rx, &skip,
			   &skip, &skip, &skip, &skip, &skip, &skip, &tx) == 9)
			s->rx += rx, s->tx += tx;
	}
}

/* One sample of s's container (pid when running). */
static void take(struct sample *s, int pid)
{
	cleanup_free char *out = NULL;
	struct dk_json *j = NULL;
	struct dk_err err = {0};
	char *args[] = {"events", "--stats", s->id, NULL};
	const struct dk_json *data;

	s->cpu_prev = s->cpu, s->at_prev = s->at, s->have_prev = s->at > 0;
	s->at = now();
	if (!s->running || ctr_runtime_out(args, &out, &err) != 0 || !out ||
	    !(j = dk_json_parse(out, strlen(out), "runtime events", &err))) {
		s->cpu = s->mem = s->limit = s->pids = s->rx = s->tx = s->blk_r = s->blk_w = 0;
		return;
	}
	data = dk_json_get(j, "data");
	s->cpu = json_num(data, "cpu", "usage", "total", NULL);
	s->mem = json_num(data, "memory", "usage", "usage", NULL);
	s->limit = json_num(data, "memory", "usage", "limit", NULL);
	s->pids = json_num(data, "pids", "current", NULL);
	blkio(data, s);
	net_bytes(pid, s);
	dk_json_free(j);
}

/* docker's binary sizes (MiB) for memory, decimal (MB) for I/O. */
static void human(unsigned long long b, bool binary, char *out, size_t size)
{
	static const char *const bin[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	static const char *const dec[] = {"B", "kB", "MB", "GB", "TB"};
	double v = (double)b, base = binary ? 1024 : 1000;
	int i = 0;

	while (v >= base && i < 4)
		v /= base, i++;
	snprintf(out, size, i ? "%.3g%s" : "%.0f%s", v, binary ? bin[i] : dec[i]);
}

static unsigned long long mem_limit(const struct sample *s)
{
	unsigned long long phys =
	    (unsigned long long)sysconf(_SC_PHYS_PAGES) * (unsigned long long)sysconf(_SC_PAGESIZE);

	return s->limit && s->limit < phys ? s->limit : phys;
}

static void pair(unsigned long long a, unsigned long long b, bool binary, char *buf, size_t size)
{
	char x[32], y[32];

	human(a, binary, x, sizeof(x));
	human(b, binary, y, sizeof(y));
	snprintf(buf, size, "%s / %s", x, y);
}

static bool stats_field(const void *arg, const char *name, char *buf, size_t size)
{
	const struct stats_row *row = arg;
	const struct sample *s = row->s;
	double dt = s->at - s->at_prev;

	if (!strcmp(name, "ID"))
		snprintf(buf, size, "%.*s", row->o->no_trunc ? 64 : 12, s->id);
	else if (!strcmp(name, "Container"))
		snprintf(buf, size, "%s", s->name);
	else if (!strcmp(name, "Name"))
		snprintf(buf, size, "%s", s->name);
	else if (!strcmp(name, "CPUPerc"))
		snprintf(buf, size, "%.2f%%",
			 s->have_prev && dt > 0 && s->cpu >= s->cpu_prev
			     ? (double)(s->cpu - s->cpu_prev) / (dt * 1e9) * 100.0
			     : 0.0);
	else if (!strcmp(name, "MemUsage"))
		pair(s->mem, mem_limit(s), true, buf, size);
	else if (!strcmp(name, "MemPerc"))
		snprintf(buf, size, "%.2f%%", 100.0 * (double)s->mem / (double)mem_limit(s));
	else if (!strcmp(name, "NetIO"))
		pair(s->rx, s->tx, false, buf, size);
	else if (!strcmp(name, "BlockIO"))
		pair(s->blk_r, s->blk_w, false, buf, size);
	else if (!strcmp(name, "PIDs"))
		snprintf(buf, size, "%llu", s->pids);
	else
		return false;
	return true;
}

static const char *title(const char *field)
{
	static const char *const t[][2] = {
	    {"ID", "CONTAINER ID"}, {"Container", "CONTAINER"},	       {"Name", "NAME"},
	    {"CPUPerc", "CPU %"},   {"MemUsage", "MEM USAGE / LIMIT"}, {"MemPerc", "MEM %"},
	    {"NetIO", "NET I/O"},   {"BlockIO", "BLOCK I/O"},	       {"PIDs", "PIDS"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(field, t[i][0]))
			return t[i][1];
	return NULL;
}

/* docker's default columns, aligned. */
static void table_line(const struct stats_row *row)
{
	static const char *const names[] = {"ID",      "Name",	"CPUPerc", "MemUsage",
					    "MemPerc", "NetIO", "BlockIO", "PIDs"};
	static const int width[] = {-15, -20, -8, -22, -7, -16, -16, 0};
	char v[128];

	for (size_t i = 0; i < 8; i++) {
		stats_field(row, names[i], v, sizeof(v));
		printf("%*s%s", width[i], v, i < 7 ? " " : "\n");
	}
}

/* One round of output; false on an unknown field. */
static bool show(const struct stats_opts *o, const struct sample *s, size_t n)
{
	static const char *const json_names[] = {"BlockIO", "CPUPerc",	"Container", "ID",
						 "MemPerc", "MemUsage", "Name",	     "NetIO",
						 "PIDs",    NULL};
	const char *t;
	enum ctr_format kind = ctr_format_kind(o->format, &t);
	char line[4096];

	if (kind == CTR_FMT_TABLE)
		printf("%-15s %-20s %-8s %-22s %-7s %-16s %-16s %s\n", "CONTAINER ID", "NAME",
		       "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS");
	if (kind == CTR_FMT_TABLE_TEMPLATE)
		ctr_template_header(t, title);
	for (size_t i = 0; i < n; i++) {
		const struct stats_row row = {&s[i], o};
		if (kind == CTR_FMT_TABLE) {
			table_line(&row);
			continue;
		}
		if (kind == CTR_FMT_JSON) {
			ctr_json_line(json_names, stats_field, &row);
			continue;
		}
		if (!ctr_template(t, stats_field, &row, line, sizeof(line)))
			return false;
		printf("%s\n", line);
	}
	fflush(stdout);
	return true;
}

/* The containers to show this round into *out (n of them), carrying the
 * previous sample of each id over from old. */
static int gather(const struct stats_opts *o, struct sample *old, size_t n_old, struct sample **out,
		  size_t *n, struct dk_err *err)
{
	char **ids = o->names ? dk_strv_dup(o->names) : dk_crec_list(ctr_g.cdir, err);
	struct sample *s = calloc(dk_strv_len(ids) + 1, sizeof(*s));
	int ret = ids && s ? 0 : -1;

	*n = 0;
	for (char **i = ids; ret == 0 && i && *i; i++) {
		struct dk_crec r;
		if (ctr_find(*i, &r, err) < 0) {
			ret = o->names ? -1 : 0; /* gone meanwhile: not listed */
			continue;
		}
		bool running = !strcmp(r.status, "running") || !strcmp(r.status, "paused");
		if (running || o->all || o->names) {
			struct sample *x = &s[(*n)++];
			for (size_t k = 0; k < n_old; k++)
				if (!strcmp(old[k].id, r.id))
					*x = old[k];
			snprintf(x->id, sizeof(x->id), "%s", r.id);
			snprintf(x->name, sizeof(x->name), "%s", r.name);
			x->running = running && r.pid > 0;
			take(x, r.pid);
		}
		dk_crec_free(&r);
	}
	dk_strv_free(ids);
	if (ret < 0)
		free(s), s = NULL;
	*out = s;
	return ret;
}

static int parse(int argc, char **argv, struct stats_opts *o)
{
	static const struct option opts[] = {
	    {"all", no_argument, NULL, 'a'},	  {"no-stream", no_argument, NULL, 'n'},
	    {"no-trunc", no_argument, NULL, 'N'}, {"format", required_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},	  {NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->all = true; break;
		case 'n': o->no_stream = true; break;
		case 'N': o->no_trunc = true; break;
		case 'F': o->format = ctr_optarg(argv); break;
		case 'h':
			printf("Usage: container stats [-a] [--no-stream] [--no-trunc] "
			       "[--format F] [CONTAINER...]\n");
			return 0;
		default: return ctr_usage("stats", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->names = argv + optind;
	return -1;
}

int ctr_cmd_stats(int argc, char **argv)
{
	struct stats_opts o = {0};
	struct dk_err err = {0};
	struct sample *s = NULL, *prev = NULL;
	size_t n = 0, n_prev = 0;
	bool tty = isatty(1);
	int rc = parse(argc, argv, &o);

	if (rc >= 0)
		return rc;
	for (int round = 0;; round++) {
		if (gather(&o, prev, n_prev, &s, &n, &err) < 0) {
			free(prev);
			return ctr_daemon_error(DK_EXIT_FAIL, &err);
		}
		free(prev);
		prev = s, n_prev = n;
		if (round == 0) { /* CPU % needs two samples */
			nanosleep(&(struct timespec){0, 500 * 1000 * 1000}, NULL);
			continue;
		}
		if (!o.no_stream && tty)
			fputs("\033[2J\033[H", stdout);
		if (!show(&o, s, n)) {
			fprintf(stderr, "container: stats: --format \"%s\": unknown field\n",
				o.format);
			rc = DK_EXIT_FAIL;
			break;
		}
		if (o.no_stream)
			break;
		sleep(1);
	}
	free(prev);
	return rc < 0 ? 0 : rc;
}
