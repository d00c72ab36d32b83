// SPDX-License-Identifier: GPL-2.0-or-later
/* ls.c: `network ls [-q] [--no-trunc] [-f K=V]... [--format table|json]`,
 * docker's network list and its filters: name=REGEX (as docker, a
 * regular expression matched anywhere in the name: name=^net$ is exact),
 * id=PREFIX, driver=bridge, type=builtin|custom (the default bridge is
 * built in) and label=... (networks here carry no labels, so it matches
 * none). Values of one filter are or-ed, filters and-ed. */
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "filterspec.h"
#include "json.h"
#include "rowfmt.h"
#include "network.h"

enum { F_NAME, F_ID, F_DRIVER, F_TYPE, F_LABEL, F_N };
static const char *const filter_keys[F_N + 1] = {"name", "id", "driver", "type", "label", NULL};

struct ls_opts {
	bool quiet, no_trunc;
	char **f[F_N];
	struct dk_rowfmt fmt;
};

static int add_filter(struct ls_opts *o, const char *spec)
{
	struct dk_err err;
	const char *v;
	int k = dk_filter_parse(spec, filter_keys, &v, &err);

	if (k == -1)
		return dk_usage_error("ls: %s", err.msg);
	if (k < 0) {
		fprintf(stderr, "Error response from daemon: %s\n", err.msg);
		return DK_EXIT_FAIL;
	}
	return dk_strv_push(&o->f[k], v) < 0 ? DK_EXIT_FAIL : -1;
}

static bool regex_match(const char *re, const char *s)
{
	regex_t r;
	bool ok;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	ok = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return ok;
}

static bool one_of(char *const *want, const struct dk_net *n, int k)
{
	bool builtin = !strcmp(n->name, "bridge");

	for (char *const *w = want; w && *w; w++) {
		if ((k == F_NAME && regex_match(*w, n->name)) ||
		    (k == F_ID && !strncmp(n->id, *w, strlen(*w))) ||
		    (k == F_DRIVER && !strcmp(*w, "bridge")) ||
		    (k == F_TYPE && !strcmp(*w, builtin ? "builtin" : "custom")))
			return true;
	}
	return !want;
}

static bool wanted(const struct ls_opts *o, const struct dk_net *n)
{
	for (int k = 0; k < F_N; k++)
		if (!one_of(o->f[k], n, k))
			return false;
	return true;
}

/* A row for --format: docker network ls's fields (titles when n is
 * NULL), as strings. */
static char *row(const struct ls_opts *o, const struct dk_net *n, size_t *len)
{
	struct dk_jgen *g = dk_jgen_new(false);
	char id[65];
	char *buf = NULL;
	struct dk_err err;

	snprintf(id, sizeof(id), "%.*s", o->no_trunc ? 64 : 12, n ? n->id : "");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "CreatedAt", n ? "" : "CREATED AT");
	dk_jgen_kstr(g, "Driver", n ? "bridge" : "DRIVER");
	dk_jgen_kstr(g, "ID", n ? id : "NETWORK ID");
	dk_jgen_kstr(g, "IPv6", n ? "false" : "IPV6");
	dk_jgen_kstr(g, "Internal", n ? (n->internal ? "true" : "false") : "INTERNAL");
	dk_jgen_kstr(g, "Labels", n ? "" : "LABELS");
	dk_jgen_kstr(g, "Name", n ? n->name : "NAME");
	dk_jgen_kstr(g, "Scope", n ? "local" : "SCOPE");
	dk_jgen_map_close(g);
	return dk_jgen_finish_dup(g, &buf, len, &err) == 0 ? buf : NULL;
}

static int show(const struct ls_opts *o, const struct dk_net *n, struct dk_err *err)
{
	int w = o->no_trunc ? 64 : 12;
	size_t len;
	char *doc;
	int rc;

	if (o->quiet)
		return printf("%.*s\n", w, n->id), 0;
	if (!dk_rowfmt_custom(&o->fmt))
		return printf("%-*.*s  %-20s%-10s%s\n", w, w, n->id, n->name, "bridge", "local"), 0;
	if (!(doc = row(o, n, &len)))
		return dk_err_sys(err, "ls");
	rc = n ? dk_rowfmt_row(&o->fmt, doc, len, err) : dk_rowfmt_header(&o->fmt, doc, len, err);
	free(doc);
	return rc;
}

static int parse(int argc, char **argv, struct ls_opts *o)
{
	static const struct option opts[] = {
	    {"quiet", no_argument, NULL, 'q'},	      {"filter", required_argument, NULL, 'f'},
	    {"format", required_argument, NULL, 'F'}, {"no-trunc", no_argument, NULL, 'N'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	struct dk_err err;
	int c, rc;

	optind = 1;
	while ((c = dk_getopt_long(argc, argv, "qf:h", opts, NULL)) != -1) {
		switch (c) {
		case 'q': o->quiet = true; break;
		case 'N': o->no_trunc = true; break;
		case 'f':
			if ((rc = add_filter(o, optarg)) >= 0)
				return rc;
			break;
		case 'F':
			dk_rowfmt_free(&o->fmt);
			if (dk_rowfmt_parse(optarg, &o->fmt, &err) < 0)
				return dk_fail(&err);
			break;
		case 'h':
			printf("Usage: network ls [-q] [--no-trunc] [-f K=V]... [--format "
			       "table|json]\n");
			return DK_EXIT_OK;
		default: return dk_usage_error("ls: unknown flag");
		}
	}
	return optind < argc ? dk_usage_error("ls: unexpected argument \"%s\"", argv[optind]) : -1;
}

int net_cmd_ls(int argc, char **argv)
{
	struct ls_opts o = {0};
	struct dk_err err = {0};
	int rc = parse(argc, argv, &o);
	char **names = NULL;

	if (rc < 0) {
		net_ensure_default(&err);
		if (!(names = net_list(&err)))
			rc = dk_fail(&err);
	}
	if (rc < 0 && !o.quiet && !dk_rowfmt_custom(&o.fmt))
		printf("%-*s  %-20s%-10s%s\n", o.no_trunc ? 64 : 12, "NETWORK ID", "NAME", "DRIVER",
		       "SCOPE");
	else if (rc < 0 && !o.quiet && show(&o, NULL, &err) < 0)
		rc = dk_fail(&err);
	for (char **p = names; rc < 0 && p && *p; p++) {
		struct dk_net n;
		if (dk_net_load(net_root, *p, &n, &err) == 0 && wanted(&o, &n) &&
		    show(&o, &n, &err) < 0)
			rc = dk_fail(&err);
	}
	dk_strv_free(names);
	dk_rowfmt_free(&o.fmt);
	for (int k = 0; k < F_N; k++)
		dk_strv_free(o.f[k]);
	return rc < 0 ? 0 : rc;
}
