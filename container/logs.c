// SPDX-License-Identifier: GPL-2.0-or-later
/* logs.c: `logs [-f] [--tail N] [--since T] [--until T] [-t] CONTAINER`: the json-file log
 * (json.log.N ... json.log.1, json.log), each entry to stdout or stderr
 * as it was written; -f follows until the container ends. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cleanup.h"
#include "cli.h"
#include "json.h"
#include "container.h"

struct logs_opts {
	bool follow, timestamps;
	long tail;    /* -1: all */
	double since; /* seconds since the epoch, 0: all */
	double until; /* the same, 0: no end */
};

double ctr_parse_since(const char *s)
{
	double total = 0, v;
	char *end;

	if (strchr(s, 'T'))
		return dk_time_parse(s);
	v = strtod(s, &end);
	if (end != s && !*end)
		return v;
	for (const char *p = s; *p; p = end + 1) {
		v = strtod(p, &end);
		if (end == p || !strchr("hms", *end) || !*end)
			return -1;
		total += v * (*end == 'h' ? 3600 : *end == 'm' ? 60 : 1);
	}
	return (double)time(NULL) - total;
}

static void entry(const struct logs_opts *o, const char *line, size_t len)
{
	struct dk_err err;
	struct dk_json *v = dk_json_parse(line, len, "log", &err);
	const char *text = dk_json_get_str(v, "log");
	const char *stream = dk_json_get_str(v, "stream");
	FILE *out = stream && !strcmp(stream, "stderr") ? stderr : stdout;

	double t = text ? dk_time_parse(dk_json_get_str(v, "time")) : 0;

	if ((o->since > 0 && t < o->since) || (o->until > 0 && t >= o->until))
		text = NULL;
	if (text) {
		if (o->timestamps)
			fprintf(out, "%s ", dk_json_get_str(v, "time"));
		fputs(text, out);
		fflush(out);
	}
	dk_json_free(v);
}

/* Lines of f from where it is; complete lines only (the rest stays). */
static void drain(const struct logs_opts *o, FILE *f, char ***keep)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long pos = ftell(f);

	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n') {
			fseek(f, pos, SEEK_SET); /* unfinished: read it again later */
			break;
		}
		pos += n;
		if (keep)
			dk_strv_push(keep, line);
		else
			entry(o, line, (size_t)n);
	}
	clearerr(f);
	free(line);
}

static bool still_running(const char *id)
{
	struct dk_crec r;
	struct dk_err err;
	bool run;

	if (ctr_load(id, &r, &err) < 0)
		return false;
	run = strcmp(r.status, "exited") && strcmp(r.status, "created");
	dk_crec_free(&r);
	return run;
}

static void follow(const struct logs_opts *o, const char *id, FILE *f)
{
	struct timespec step = {0, 100 * 1000 * 1000};
	struct stat a, b;

	for (;;) {
		bool run = still_running(id);
		drain(o, f, NULL);
		if (!run || (o->until > 0 && (double)time(NULL) >= o->until))
			return;
		nanosleep(&step, NULL);
		/* rotated: go on with the new file */
		if (fstat(fileno(f), &a) == 0 && stat(ctr_path(id, "json.log"), &b) == 0 &&
		    a.st_ino != b.st_ino) {
			drain(o, f, NULL);
			fclose(f);
			f = fopen(ctr_path(id, "json.log"), "re");
			if (!f)
				return;
		}
	}
}

static int show(const struct logs_opts *o, const char *id)
{
	char **lines = calloc(1, sizeof(char *));
	char name[64];
	size_t n;
	FILE *f = NULL;

	for (int i = 9; i >= 0; i--) {
		snprintf(name, sizeof(name), i ? "json.log.%d" : "json.log", i);
		f = fopen(ctr_path(id, name), "re");
		if (!f)
			continue;
		drain(o, f, &lines);
		if (i)
			fclose(f);
	}
	n = dk_strv_len(lines);
	for (size_t i = o->tail >= 0 && (size_t)o->tail < n ? n - (size_t)o->tail : 0; i < n; i++)
		entry(o, lines[i], strlen(lines[i]));
	dk_strv_free(lines);
	if (o->follow && f)
		follow(o, id, f);
	else if (f)
		fclose(f);
	return 0;
}

int ctr_cmd_logs(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"follow", no_argument, NULL, 'f'},
	    {"timestamps", no_argument, NULL, 't'},
	    {"tail", required_argument, NULL, 'n'},
	    {"since", required_argument, NULL, 's'},
	    {"until", required_argument, NULL, 'u'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct logs_opts o = {.tail = -1};
	struct dk_crec r;
	struct dk_err err = {0};
	const char *a;
	int c;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+ftn:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': o.follow = true; break;
		case 't': o.timestamps = true; break;
		case 'n':
			a = ctr_optarg(argv);
			o.tail = strcmp(a, "all") ? strtol(a, NULL, 10) : -1;
			break;
		case 's':
		case 'u':
			*(c == 's' ? &o.since : &o.until) = ctr_parse_since(ctr_optarg(argv));
			if ((c == 's' ? o.since : o.until) < 0)
				return ctr_usage("logs", "invalid --%s \"%s\"",
						 c == 's' ? "since" : "until", optarg);
			break;
		case 'h':
			printf("Usage: container logs [-f] [-t] [--tail N] [--since T] [--until T] "
			       "CONTAINER\n");
			return 0;
		default: return ctr_usage("logs", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return ctr_usage("logs", "\"logs\" requires exactly 1 argument.");
	if (ctr_find(argv[optind], &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (r.o.log_none) {
		dk_crec_free(&r);
		dk_err_set(&err, "configured logging driver does not support reading");
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	c = show(&o, r.id);
	dk_crec_free(&r);
	return c;
}
