// SPDX-License-Identifier: GPL-2.0-or-later
/* events_cmd.c: `events [--since T] [--until T] [-f K=V]... [--format
 * json]`, docker events over $DK_ROOT/events.log (lib/events.c). Without
 * --since only new events are shown; it follows the log until --until
 * (or forever). Filters: type, event, container, image, volume, network
 * (an id, an id prefix or a name); values of one filter are or-ed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cleanup.h"
#include "cli.h"
#include "events.h"
#include "filterspec.h"
#include "json.h"
#include "container.h"

enum { F_TYPE, F_EVENT, F_CONTAINER, F_IMAGE, F_VOLUME, F_NETWORK, F_N };
static const char *const keys[F_N + 1] = {"type",   "event",   "container", "image",
					  "volume", "network", NULL};

struct ev_opts {
	double since, until; /* seconds; 0: not given */
	bool json;
	char **f[F_N];
};

/* Does the event name what: its actor's id (or a prefix of it), or its
 * name attribute (and for containers, images: the image attribute). */
static bool names(const struct dk_json *ev, const char *what, bool image)
{
	const struct dk_json *actor = dk_json_get(ev, "Actor");
	const char *id = dk_json_get_str(actor, "ID");
	const struct dk_json *attrs = dk_json_get(actor, "Attributes");
	const char *name = dk_json_get_str(attrs, "name");
	const char *img = dk_json_get_str(attrs, "image");

	return (id && !strncmp(id, what, strlen(what))) || (name && !strcmp(name, what)) ||
	       (image && img && !strcmp(img, what));
}

static bool wanted(const struct ev_opts *o, const struct dk_json *ev)
{
	const char *type = dk_json_get_str(ev, "Type");
	const char *action = dk_json_get_str(ev, "Action");

	for (int k = 0; k < F_N; k++) {
		bool any = !o->f[k];
		for (char **v = o->f[k]; v && *v && !any; v++) {
			if (k == F_TYPE)
				any = type && !strcmp(type, *v);
			else if (k == F_EVENT)
				any = action && !strcmp(action, *v);
			else
				any = type && !strcmp(type, keys[k]) ? names(ev, *v, k == F_IMAGE)
				      : k == F_IMAGE && type && !strcmp(type, "container")
					  ? names(ev, *v, true)
					  : false;
		}
		if (!any)
			return false;
	}
	return true;
}

/* docker's line: TIME TYPE ACTION ID (k=v, ...), attributes by key. */
static void print_text(const struct dk_json *ev)
{
	const struct dk_json *actor = dk_json_get(ev, "Actor");
	const struct dk_json *attrs = dk_json_get(actor, "Attributes");
	int64_t ns = 0;
	size_t n = dk_json_len(attrs);
	size_t order[64];
	char when[64];
	struct tm tm;
	time_t t;

	dk_json_int64(dk_json_get(ev, "timeNano"), &ns);
	t = (time_t)(ns / 1000000000);
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	printf("%s.%09lld%c%02ld:%02ld %s %s %s", when, (long long)(ns % 1000000000),
	       tm.tm_gmtoff < 0 ? '-' : '+', labs(tm.tm_gmtoff) / 3600,
	       labs(tm.tm_gmtoff) % 3600 / 60, dk_json_get_str(ev, "Type"),
	       dk_json_get_str(ev, "Action"), dk_json_get_str(actor, "ID"));
	n = n > 64 ? 64 : n;
	for (size_t i = 0; i < n; i++) { /* insertion sort by key: a handful */
		size_t j = i;
		for (; j > 0 &&
		       strcmp(dk_json_key_at(attrs, order[j - 1]), dk_json_key_at(attrs, i)) > 0;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (size_t i = 0; i < n; i++)
		printf("%s%s=%s", i ? ", " : " (", dk_json_key_at(attrs, order[i]),
		       dk_json_str(dk_json_at(attrs, order[i]))
			   ? dk_json_str(dk_json_at(attrs, order[i]))
			   : "");
	printf("%s\n", n ? ")" : "");
}

/* One line of the log; false once it is past --until. */
static bool show(const struct ev_opts *o, const char *line, size_t len)
{
	struct dk_err err;
	struct dk_json *ev = dk_json_parse(line, len, "event", &err);
	int64_t ns = 0;
	bool more = true;

	if (!ev)
		return true; /* a line cut by a crash: skipped */
	dk_json_int64(dk_json_get(ev, "timeNano"), &ns);
	if (o->until > 0 && (double)ns / 1e9 >= o->until)
		more = false;
	else if ((double)ns / 1e9 >= o->since && wanted(o, ev)) {
		if (o->json)
			printf("%.*s", (int)len, line);
		else
			print_text(ev);
		fflush(stdout);
	}
	dk_json_free(ev);
	return more;
}

/* The complete lines of f from where it is; false once past --until. */
static bool drain(const struct ev_opts *o, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long pos = ftell(f);
	bool more = true;

	while (more && (n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n') {
			fseek(f, pos, SEEK_SET); /* being written: read it again */
			break;
		}
		pos += n;
		more = show(o, line, (size_t)n);
	}
	clearerr(f);
	free(line);
	return more;
}

static FILE *open_log(const char *name, const char *mode)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", ctr_g.root, name);
	return fopen(path, mode);
}

/* Follow the log: new lines every 100 ms, across rotations, until
 * --until passes. */
static void follow(const struct ev_opts *o, FILE *f)
{
	struct timespec step = {0, 100 * 1000 * 1000};
	char path[4200];
	struct stat a, b;

	snprintf(path, sizeof(path), "%s/%s", ctr_g.root, DK_EVENTS_LOG);
	while (drain(o, f) && (o->until <= 0 || (double)time(NULL) < o->until)) {
		nanosleep(&step, NULL);
		if (fstat(fileno(f), &a) == 0 && stat(path, &b) == 0 && a.st_ino != b.st_ino) {
			drain(o, f);
			fclose(f);
			if (!(f = open_log(DK_EVENTS_LOG, "re")))
				return;
		}
	}
	fclose(f);
}

static int run(const struct ev_opts *o)
{
	FILE *f;

	if (o->since > 0 && (f = open_log(DK_EVENTS_OLD, "re"))) {
		bool more = drain(o, f);
		fclose(f);
		if (!more)
			return 0;
	}
	/* a+: nothing happened yet, an empty log to wait on */
	f = open_log(DK_EVENTS_LOG, "a+e");
	if (!f) {
		perror("container: events: " DK_EVENTS_LOG);
		return DK_EXIT_FAIL;
	}
	if (o->since <= 0)
		fseek(f, 0, SEEK_END);
	follow(o, f);
	return 0;
}

static int add_filter(struct ev_opts *o, const char *spec)
{
	struct dk_err err;
	const char *v;
	int k = dk_filter_parse(spec, keys, &v, &err);

	if (k == -1)
		return ctr_usage("events", "%s", err.msg);
	if (k < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	return dk_strv_push(&o->f[k], v) < 0 ? DK_EXIT_FAIL : -1;
}

static int parse(int argc, char **argv, struct ev_opts *o)
{
	static const struct option opts[] = {
	    {"since", required_argument, NULL, 's'},  {"until", required_argument, NULL, 'u'},
	    {"filter", required_argument, NULL, 'f'}, {"format", required_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = dk_getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		const char *a = optarg ? ctr_optarg(argv) : NULL;
		switch (c) {
		case 's':
		case 'u':
			*(c == 's' ? &o->since : &o->until) = ctr_parse_since(a);
			if ((c == 's' ? o->since : o->until) < 0)
				return ctr_usage("events", "invalid --%s \"%s\"",
						 c == 's' ? "since" : "until", a);
			break;
		case 'f':
			if ((rc = add_filter(o, a)) >= 0)
				return rc;
			break;
		case 'F':
			if (strcmp(a, "json") && strcmp(a, "{{json .}}"))
				return ctr_usage("events", "--format %s: not supported (json)", a);
			o->json = true;
			break;
		case 'h':
			printf("Usage: container events [--since T] [--until T] [-f K=V]... "
			       "[--format json]\n");
			return 0;
		default: return ctr_usage("events", "unknown flag: %s", argv[optind - 1]);
		}
	}
	return optind < argc ? ctr_usage("events", "\"events\" accepts no arguments.") : -1;
}

int ctr_cmd_events(int argc, char **argv)
{
	struct ev_opts o = {0};
	int rc = parse(argc, argv, &o);

	if (rc < 0)
		rc = run(&o);
	for (int k = 0; k < F_N; k++)
		dk_strv_free(o.f[k]);
	return rc;
}
