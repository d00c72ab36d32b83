// SPDX-License-Identifier: GPL-2.0-or-later
/* ps.c: `ps [-a] [-q] [-s] [--filter K=V] [--format F]`: docker's table,
 * newest first; --format table, json or a Go-template subset ({{.ID}},
 * {{.Names}}, {{.Status}}, {{.Image}}, {{.Command}}, {{.State}},
 * {{.CreatedAt}}, {{.RunningFor}}, {{.Ports}}, {{.Size}}). */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cleanup.h"
#include "cli.h"
#include "json.h"
#include "ref.h"
#include "netconf.h"
#include "container.h"

struct ps_opts {
	bool all, quiet, size, no_trunc;
	long last; /* -n N, -l: only the N last created (0: every one) */
	const char *format;
	char **filters;	      /* "key=value" */
	double before, since; /* creation times of before=/since= (0: none) */
};

struct ps_row {
	const struct dk_crec *r;
	const struct ps_opts *o;
};

static const char *state_of(const struct dk_crec *r)
{
	return r->status;
}

static void command_of(const struct dk_crec *r, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (char **a = r->cmd; a && *a && len < size; a++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", a == r->cmd ? "" : " ", *a);
}

static void ports_of(const struct dk_crec *r, char *buf, size_t size)
{
	struct dk_port p;
	size_t len = 0;

	buf[0] = '\0';
	for (char **s = r->o.ports; s && *s && len < size; s++) {
		if (dk_port_parse(*s, &p) < 0)
			continue;
		if (p.hport)
			len += (size_t)snprintf(buf + len, size - len, "%s%s:%d->%d/%s",
						len ? ", " : "", p.ip, p.hport, p.cport, p.proto);
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%d/%s", len ? ", " : "",
						p.cport, p.proto);
	}
}

static bool by_name(const struct ps_opts *o, const struct dk_crec *r, const char *v)
{
	(void)o;
	return strstr(r->name, v) != NULL;
}

static bool by_id(const struct ps_opts *o, const struct dk_crec *r, const char *v)
{
	(void)o;
	return !strncmp(r->id, v, strlen(v));
}

static bool by_status(const struct ps_opts *o, const struct dk_crec *r, const char *v)
{
	(void)o;
	return !strcmp(state_of(r), v);
}

/* The full reference of an image name ("busybox" ->
 * "docker.io/library/busybox:latest"), or the text itself. */
static void full_ref(const char *s, char *buf, size_t size)
{
	struct dk_ref ref;
	struct dk_err err;

	if (dk_ref_parse(s, &ref, &err) == 0)
		dk_ref_format(&ref, buf, size);
	else
		snprintf(buf, size, "%s", s);
}

static bool by_ancestor(const struct ps_opts *o, const struct dk_crec *r, const char *v)
{
	char a[512], b[512];
	const char *hex = strncmp(v, "sha256:", 7) ? v : v + 7;

	(void)o;
	if (r->image_id && strlen(hex) >= 4 &&
	    !strncmp(r->image_id + (strncmp(r->image_id, "sha256:", 7) ? 0 : 7), hex, strlen(hex)))
		return true;
	full_ref(r->image, a, sizeof(a));
	full_ref(v, b, sizeof(b));
	return !strcmp(a, b);
}

static bool by_exited(const struct ps_opts *o, const struct dk_crec *r, const char *v)
{
	(void)o;
	return !strcmp(r->status, "exited") && r->exit_code == atoi(v);
}

static bool by_health(const struct ps_opts *o, const struct dk_crec *r, const char *v)
{
	(void)o;
	return r->health ? !strcmp(r->health, v) : !strcmp(v, "none");
}

static bool by_before(const struct ps_opts *o, const struct dk_crec *r, const char *v)
{
	(void)v;
	return dk_time_parse(r->created) < o->before;
}

static bool by_since(const struct ps_opts *o, const struct dk_crec *r, const char *v)
{
	(void)v;
	return dk_time_parse(r->created) > o->since;
}

static const struct {
	const char *key;
	bool (*match)(const struct ps_opts *o, const struct dk_crec *r, const char *v);
} filter_keys[] = {
    {"name", by_name},	   {"id", by_id},	  {"status", by_status}, {"ancestor", by_ancestor},
    {"exited", by_exited}, {"health", by_health}, {"before", by_before}, {"since", by_since},
};

/* The index of f's key in filter_keys, -1 when unknown. */
static int filter_key(const char *f)
{
	size_t k = strcspn(f, "=");

	for (size_t i = 0; i < sizeof(filter_keys) / sizeof(filter_keys[0]); i++)
		if (strlen(filter_keys[i].key) == k && !strncmp(f, filter_keys[i].key, k))
			return (int)i;
	return -1;
}

/* docker lists stopped containers without -a when a status, before or
 * since filter is given. */
static bool implies_all(const struct ps_opts *o)
{
	for (char **f = o->filters; *f; f++) {
		int k = filter_key(*f);
		if (k >= 0 &&
		    (filter_keys[k].match == by_status || filter_keys[k].match == by_before ||
		     filter_keys[k].match == by_since))
			return true;
	}
	return false;
}

/* docker: filters with one key match if any value does; different keys
 * must all match. */
static bool wanted(const struct ps_opts *o, const struct dk_crec *r)
{
	bool running = !strcmp(r->status, "running") || !strcmp(r->status, "paused") ||
		       !strcmp(r->status, "restarting");

	if (!o->all && !running && !implies_all(o))
		return false;
	for (char **f = o->filters; *f; f++) {
		int k = filter_key(*f);
		bool any = false;
		for (char **g = o->filters; *g && !any; g++)
			if (filter_key(*g) == k)
				any = filter_keys[k].match(o, r, strchr(*g, '=') + 1);
		if (!any)
			return false;
	}
	return true;
}

/* docker's message names an unknown key, or the whole key=value. */
static int bad_filter(const char *f, int len, const char *why)
{
	fprintf(stderr, "Error response from daemon: invalid filter '%.*s'%s\n", len, f, why);
	return DK_EXIT_FAIL;
}

/* The creation time of before=/since='s container into o. */
static int reference_time(struct ps_opts *o, int k, const char *what)
{
	struct dk_err err = {0};
	struct dk_crec other;

	if (ctr_find(what, &other, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	*(k == filter_key("before") ? &o->before : &o->since) = dk_time_parse(other.created);
	dk_crec_free(&other);
	return -1;
}

/* Filters checked before listing: known keys, values docker accepts,
 * before/since containers looked up. Returns -1 to go on, else a status. */
static int check_filters(struct ps_opts *o)
{
	static const char *states = " created restarting running removing paused exited dead ";
	static const char *healths = " starting healthy unhealthy none ";

	for (char **f = o->filters; *f; f++) {
		const char *v = strchr(*f, '=');
		char word[80];
		int k = filter_key(*f), rc;
		if (k < 0 || !v)
			return bad_filter(*f, (int)strcspn(*f, "="), "");
		snprintf(word, sizeof(word), " %s ", v + 1);
		if ((!strcmp(filter_keys[k].key, "status") && !strstr(states, word)) ||
		    (!strcmp(filter_keys[k].key, "health") && !strstr(healths, word)))
			return bad_filter(*f, (int)strlen(*f), ": unrecognised value");
		if (filter_keys[k].match == by_before || filter_keys[k].match == by_since)
			if ((rc = reference_time(o, k, v + 1)) >= 0)
				return rc;
	}
	return -1;
}

/* One {{.Field}} of r into buf. */
static bool field(const struct dk_crec *r, const struct ps_opts *o, const char *name, char *buf,
		  size_t size)
{
	char d[64];

	if (!strcmp(name, "ID"))
		snprintf(buf, size, "%.*s", o->no_trunc ? 64 : 12, r->id);
	else if (!strcmp(name, "Names"))
		snprintf(buf, size, "%s", r->name);
	else if (!strcmp(name, "Image"))
		snprintf(buf, size, "%s", r->image);
	else if (!strcmp(name, "Status"))
		ctr_status_text(r, buf, size);
	else if (!strcmp(name, "State"))
		snprintf(buf, size, "%s", state_of(r));
	else if (!strcmp(name, "Command"))
		command_of(r, buf, size);
	else if (!strcmp(name, "CreatedAt"))
		snprintf(buf, size, "%s", r->created);
	else if (!strcmp(name, "Ports"))
		ports_of(r, buf, size);
	else if (!strcmp(name, "Size"))
		ctr_size_text(r, buf, size);
	else if (!strcmp(name, "RunningFor")) {
		ctr_human_duration(-1 * (dk_time_parse(r->created) - (double)time(NULL)), d,
				   sizeof(d));
		snprintf(buf, size, "%s ago", d);
	} else
		return false;
	return true;
}

static bool ps_field(const void *arg, const char *name, char *buf, size_t size)
{
	const struct ps_row *row = arg;

	return field(row->r, row->o, name, buf, size);
}

/* Docker's column titles of the template fields. */
static const char *title(const char *field)
{
	static const char *const t[][2] = {
	    {"ID", "CONTAINER ID"}, {"RunningFor", "CREATED"}, {"CreatedAt", "CREATED AT"},
	    {"Names", "NAMES"},	    {"Image", "IMAGE"},	       {"Command", "COMMAND"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(field, t[i][0]))
			return t[i][1];
	return NULL;
}

static const char *const json_names[] = {"ID",	       "Names",	 "Image", "Command", "CreatedAt",
					 "RunningFor", "Status", "State", "Ports",   NULL};

/* The default table's COMMAND: quoted, cut to 20 characters unless
 * --no-trunc. */
static void command_cell(const struct dk_crec *r, const struct ps_opts *o, char *cmd, size_t size)
{
	command_of(r, cmd + 1, size - 3);
	cmd[0] = '"';
	strcat(cmd, "\"");
	if (!o->no_trunc && strlen(cmd) > 22)
		strcpy(cmd + 18, "…\"");
}

static int show(const struct ps_opts *o, const struct dk_crec *r)
{
	char line[4096], cmd[1024], status[128], created[128], ports[512];
	const struct ps_row row = {r, o};
	const char *t;

	if (o->quiet)
		return printf("%.*s\n", o->no_trunc ? 64 : 12, r->id), 0;
	switch (ctr_format_kind(o->format, &t)) {
	case CTR_FMT_JSON: ctr_json_line(json_names, ps_field, &row); return 0;
	case CTR_FMT_TEMPLATE:
	case CTR_FMT_TABLE_TEMPLATE:
		if (!ctr_template(t, ps_field, &row, line, sizeof(line)))
			return -1;
		return printf("%s\n", line), 0;
	case CTR_FMT_TABLE: break;
	}
	command_cell(r, o, cmd, sizeof(cmd));
	ctr_status_text(r, status, sizeof(status));
	field(r, o, "RunningFor", created, sizeof(created));
	ports_of(r, ports, sizeof(ports));
	printf("%-15.*s %-20s %-24s %-18s %-26s %-20s %-16s", o->no_trunc ? 64 : 12, r->id,
	       r->image, cmd, created, status, ports, r->name);
	if (o->size) {
		char size[80];
		ctr_size_text(r, size, sizeof(size));
		printf(" %s", size);
	}
	putchar('\n');
	return 0;
}

static void header(const struct ps_opts *o)
{
	const char *t;

	if (o->quiet)
		return;
	switch (ctr_format_kind(o->format, &t)) {
	case CTR_FMT_TABLE_TEMPLATE: ctr_template_header(t, title); return;
	case CTR_FMT_TABLE:
		printf("%-15s %-20s %-24s %-18s %-26s %-20s %-16s%s\n", "CONTAINER ID", "IMAGE",
		       "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES", o->size ? " SIZE" : "");
		return;
	default: return;
	}
}

static int parse(int argc, char **argv, struct ps_opts *o)
{
	static const struct option opts[] = {
	    {"all", no_argument, NULL, 'a'},	      {"quiet", no_argument, NULL, 'q'},
	    {"filter", required_argument, NULL, 'f'}, {"size", no_argument, NULL, 's'},
	    {"format", required_argument, NULL, 'F'}, {"no-trunc", no_argument, NULL, 'N'},
	    {"last", required_argument, NULL, 'n'},   {"latest", no_argument, NULL, 'l'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+aqsf:n:l", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->all = true; break;
		case 'l': o->last = 1; break;
		case 'n':
			o->last = strtol(ctr_optarg(argv), &end, 10);
			if (*end || end == ctr_optarg(argv))
				return ctr_usage("ps",
						 "invalid argument \"%s\" for \"-n, --last\" "
						 "flag: want an integer",
						 ctr_optarg(argv));
			break;
		case 'q': o->quiet = true; break;
		case 's': o->size = true; break;
		case 'f': dk_strv_push(&o->filters, ctr_optarg(argv)); break;
		case 'F': o->format = ctr_optarg(argv); break;
		case 'N': o->no_trunc = true; break;
		case 'h':
			printf("Usage: container ps [-a] [-q] [-s] [-n N] [-l] [--no-trunc] "
			       "[--filter K=V] [--format F]\n");
			return 0;
		default: return ctr_usage("ps", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ctr_usage("ps", "\"ps\" accepts no arguments.");
	if (o->last > 0) /* docker: the last N of every state */
		o->all = true;
	return -1;
}

int ctr_cmd_ps(int argc, char **argv)
{
	struct ps_opts o = {.filters = calloc(1, sizeof(char *))};
	struct dk_err err = {0};
	char **ids;
	int rc = parse(argc, argv, &o);

	if (rc >= 0) {
		dk_strv_free(o.filters);
		return rc;
	}
	rc = check_filters(&o);
	if (rc >= 0)
		goto out;
	ids = dk_crec_list(ctr_g.cdir, &err);
	if (!ids) {
		dk_strv_free(o.filters);
		return dk_fail(&err);
	}
	header(&o);
	for (size_t i = dk_strv_len(ids), left = o.last > 0 ? (size_t)o.last : SIZE_MAX;
	     i-- > 0 && left > 0;) {
		struct dk_crec r;
		bool ok = true;
		if (ctr_load(ids[i], &r, &err) < 0)
			continue; /* removed meanwhile */
		if (wanted(&o, &r)) {
			left--;
			ok = show(&o, &r) == 0;
		}
		dk_crec_free(&r);
		if (!ok) {
			fprintf(stderr, "container: ps: --format \"%s\": unknown field\n",
				o.format);
			rc = DK_EXIT_FAIL;
			break;
		}
	}
	dk_strv_free(ids);
out:
	dk_strv_free(o.filters);
	return rc < 0 ? 0 : rc;
}
