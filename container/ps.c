// SPDX-License-Identifier: GPL-2.0-or-later
/* ps.c: `ps [-a] [-q] [-s] [--filter K=V] [--format F]`: docker's table,
 * newest first; --format table, json or a Go-template subset ({{.ID}},
 * {{.Names}}, {{.Status}}, {{.Image}}, {{.Command}}, {{.State}},
 * {{.CreatedAt}}, {{.RunningFor}}, {{.Ports}}, {{.Size}}). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cleanup.h"
#include "cli.h"
#include "json.h"
#include "netconf.h"
#include "container.h"

struct ps_opts {
	bool all, quiet, size;
	const char *format;
	char **filters; /* "key=value" */
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

static bool match_one(const struct dk_crec *r, const char *f)
{
	const char *eq = strchr(f, '=');
	const char *v = eq ? eq + 1 : "";
	size_t k = eq ? (size_t)(eq - f) : strlen(f);

	if (!strncmp(f, "name", k) && k == 4)
		return strstr(r->name, v) != NULL;
	if (!strncmp(f, "id", k) && k == 2)
		return !strncmp(r->id, v, strlen(v));
	if (!strncmp(f, "status", k) && k == 6)
		return !strcmp(state_of(r), v);
	if (!strncmp(f, "ancestor", k) && k == 8)
		return !strcmp(r->image, v) || !strcmp(r->image_id, v);
	if (!strncmp(f, "exited", k) && k == 6)
		return !strcmp(r->status, "exited") && r->exit_code == atoi(v);
	return false;
}

static bool wanted(const struct ps_opts *o, const struct dk_crec *r)
{
	bool running = !strcmp(r->status, "running") || !strcmp(r->status, "paused") ||
		       !strcmp(r->status, "restarting");

	if (!o->all && !running && !o->filters[0])
		return false;
	for (char **f = o->filters; *f; f++)
		if (!match_one(r, *f))
			return false;
	return true;
}

/* One {{.Field}} of r into buf. */
static bool field(const struct dk_crec *r, const char *name, char *buf, size_t size)
{
	char d[64];

	if (!strcmp(name, "ID"))
		snprintf(buf, size, "%.12s", r->id);
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

/* Expand a template; false on an unknown field. */
static bool expand(const struct dk_crec *r, const char *t, char *out, size_t size)
{
	size_t len = 0;
	char val[1024], name[64];

	while (*t && len < size - 1) {
		const char *end;
		if (strncmp(t, "{{", 2) || !(end = strstr(t, "}}"))) {
			if (t[0] == '\\' && t[1] == 't')
				out[len++] = '\t', t += 2;
			else
				out[len++] = *t++;
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(end - t - 2), t + 2);
		char *n = name + strspn(name, " .");
		n[strcspn(n, " ")] = '\0';
		if (!field(r, n, val, sizeof(val)))
			return false;
		len += (size_t)snprintf(out + len, size - len, "%s", val);
		t = end + 2;
	}
	out[len] = '\0';
	return true;
}

static void json_line(const struct dk_crec *r)
{
	static const char *const names[] = {"ID",	  "Names",  "Image", "Command", "CreatedAt",
					    "RunningFor", "Status", "State", "Ports",	NULL};
	struct dk_jgen *g = dk_jgen_new(false);
	char val[1024], *buf = NULL;
	struct dk_err err;
	size_t len;

	dk_jgen_map_open(g);
	for (const char *const *n = names; *n; n++) {
		field(r, *n, val, sizeof(val));
		dk_jgen_kstr(g, *n, val);
	}
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &buf, &len, &err) == 0)
		printf("%s\n", buf);
	free(buf);
}

static int show(const struct ps_opts *o, const struct dk_crec *r)
{
	char line[4096], cmd[1024], status[128], created[128], ports[512];

	if (o->quiet)
		return printf("%.12s\n", r->id), 0;
	if (o->format && !strcmp(o->format, "json"))
		return json_line(r), 0;
	if (o->format && strcmp(o->format, "table")) {
		const char *t = strncmp(o->format, "table ", 6) ? o->format : o->format + 6;
		if (!expand(r, t, line, sizeof(line)))
			return -1;
		return printf("%s\n", line), 0;
	}
	command_of(r, cmd + 1, sizeof(cmd) - 2);
	cmd[0] = '"';
	strcat(cmd, "\"");
	if (strlen(cmd) > 22)
		strcpy(cmd + 18, "…\"");
	ctr_status_text(r, status, sizeof(status));
	field(r, "RunningFor", created, sizeof(created));
	ports_of(r, ports, sizeof(ports));
	printf("%-15.12s %-20s %-24s %-18s %-26s %-20s %-16s", r->id, r->image, cmd, created,
	       status, ports, r->name);
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
	if (o->quiet || (o->format && !strcmp(o->format, "json")))
		return;
	if (o->format && strncmp(o->format, "table", 5))
		return;
	if (o->format && strcmp(o->format, "table")) {
		/* "table {{.ID}}\t{{.Names}}": the upper-cased field names */
		for (const char *t = o->format + 6; *t;) {
			const char *s = strstr(t, "{{"), *e = s ? strstr(s, "}}") : NULL;
			if (!e)
				break;
			for (const char *c = t; c < s; c++)
				if (c[0] == '\\' && c[1] == 't')
					putchar('\t'), c++;
				else
					putchar(*c);
			for (const char *c = s + 2; c < e; c++)
				if (*c != '.' && *c != ' ')
					putchar(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
			t = e + 2;
		}
		putchar('\n');
		return;
	}
	printf("%-15s %-20s %-24s %-18s %-26s %-20s %-16s%s\n", "CONTAINER ID", "IMAGE", "COMMAND",
	       "CREATED", "STATUS", "PORTS", "NAMES", o->size ? " SIZE" : "");
}

static int parse(int argc, char **argv, struct ps_opts *o)
{
	static const struct option opts[] = {
	    {"all", no_argument, NULL, 'a'},	      {"quiet", no_argument, NULL, 'q'},
	    {"filter", required_argument, NULL, 'f'}, {"size", no_argument, NULL, 's'},
	    {"format", required_argument, NULL, 'F'}, {"no-trunc", no_argument, NULL, 'N'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+aqsf:", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->all = true; break;
		case 'q': o->quiet = true; break;
		case 's': o->size = true; break;
		case 'f': dk_strv_push(&o->filters, ctr_optarg(argv)); break;
		case 'F': o->format = ctr_optarg(argv); break;
		case 'N': break;
		case 'h':
			printf("Usage: container ps [-a] [-q] [--filter K=V] [--format F]\n");
			return 0;
		default: return ctr_usage("ps", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ctr_usage("ps", "\"ps\" accepts no arguments.");
	return -1;
}

int ctr_cmd_ps(int argc, char **argv)
{
	struct ps_opts o = {.filters = calloc(1, sizeof(char *))};
	struct dk_err err = {0};
	char **ids;
	int rc = parse(argc, argv, &o);

	if (rc >= 0)
		return rc;
	ids = dk_crec_list(ctr_g.cdir, &err);
	if (!ids)
		return dk_fail(&err);
	header(&o);
	for (size_t i = dk_strv_len(ids); i-- > 0;) {
		struct dk_crec r;
		if (ctr_load(ids[i], &r, &err) < 0)
			continue; /* removed meanwhile */
		if (wanted(&o, &r) && show(&o, &r) < 0) {
			dk_crec_free(&r);
			fprintf(stderr, "container: ps: --format \"%s\": unknown field\n",
				o.format);
			rc = DK_EXIT_FAIL;
			break;
		}
		dk_crec_free(&r);
	}
	dk_strv_free(ids);
	dk_strv_free(o.filters);
	return rc < 0 ? 0 : rc;
}
