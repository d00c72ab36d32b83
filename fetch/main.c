// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c: fetch's command line: global options, one option table per
 * subcommand, dispatch. The work lives in pull.c, push.c, login.c, ... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "events.h"
#include "pull.h"

static struct fx_opts opts = {.parallel = 4, .chunk_size = 0};

enum {
	OPT_ROOT = 256,
	OPT_PLATFORM,
	OPT_ALL,
	OPT_INSECURE,
	OPT_PSTDIN,
	OPT_LIMIT,
	OPT_FORMAT,
	OPT_RAW,
	OPT_CONFIG,
	OPT_CHUNK,
	OPT_PARALLEL,
	OPT_VERBOSE,
	OPT_HELP
};

static const struct option common[] = {
    {"root", required_argument, NULL, OPT_ROOT},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"platform", required_argument, NULL, OPT_PLATFORM},
    {"all-platforms", no_argument, NULL, OPT_ALL},
    {"quiet", no_argument, NULL, 'q'},
    {"username", required_argument, NULL, 'u'},
    {"password", required_argument, NULL, 'p'},
    {"password-stdin", no_argument, NULL, OPT_PSTDIN},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"raw", no_argument, NULL, OPT_RAW},
    {"config", no_argument, NULL, OPT_CONFIG},
    {"chunk-size", required_argument, NULL, OPT_CHUNK},
    {"parallel", required_argument, NULL, OPT_PARALLEL},
    {"verbose", no_argument, NULL, OPT_VERBOSE},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

/* What a subcommand accepted: parsed once by parse(). */
struct args {
	const char *user, *password;
	bool pstdin, raw, config, json;
	long limit;
};

static const char usage_text[] =
    "Usage: fetch [--root DIR] COMMAND [OPTIONS] ARGS\n"
    "Move images between registries and the local image store.\n\n"
    "  pull [--platform OS/ARCH[/VARIANT]] [--all-platforms] [--insecure] [-q] REF\n"
    "  push [--insecure] [--chunk-size BYTES] LOCAL_REF [REMOTE_REF]\n"
    "  login [-u USER] [-p PASS | --password-stdin] [REGISTRY]\n"
    "  logout [REGISTRY]\n"
    "  search [--limit N] [--format json] [HOST/]TERM\n"
    "  tags REPO\n"
    "  inspect [--raw] [--config] [--platform P] REF\n\n"
    "Global options: --root DIR (image store root, default $DK_ROOT),\n"
    "  --insecure (plain HTTP), --parallel N (concurrent downloads),\n"
    "  --verbose (libcurl trace), --help, --version\n";

static int usage(void)
{
	fputs(usage_text, stdout);
	return DK_EXIT_OK;
}

static long number(const char *s, const char *what, bool *ok)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v <= 0) {
		*ok = false;
		dk_usage_error("%s: \"%s\" is not a positive number", what, s);
	}
	return v;
}

/* Does option c (o in the table) apply to a command accepting allowed? */
static bool applies(int c, const struct option *o, const char *allowed)
{
	static const int everywhere[] = {OPT_HELP, OPT_ROOT, OPT_INSECURE, OPT_VERBOSE,
					 OPT_PARALLEL};

	for (size_t i = 0; i < sizeof(everywhere) / sizeof(everywhere[0]); i++)
		if (c == everywhere[i])
			return true;
	return o && strstr(allowed, o->name);
}

static const struct option *lookup(int c)
{
	for (const struct option *p = common; p->name; p++)
		if (p->val == c)
			return p;
	return NULL;
}

/* Options of every subcommand; which ones make sense is up to it. Returns
 * -1 after a usage error, 1 after --help. */
static int parse(int argc, char **argv, const char *allowed, struct args *a)
{
	bool ok = true;
	int c;

	optind = 1;
	while (ok && (c = dk_getopt_long(argc, argv, "+qu:p:", common, NULL)) != -1) {
		if (c == '?') {
			fprintf(stderr, "Try '%s --help' for more information.\n", dk_tool_name);
			return -1;
		}
		if (!applies(c, lookup(c), allowed)) {
			dk_usage_error("%s: option --%s does not apply", argv[0], lookup(c)->name);
			return -1;
		}
		switch (c) {
		case OPT_ROOT: opts.root = optarg; break;
		case OPT_INSECURE: opts.insecure = true; break;
		case OPT_PLATFORM: opts.platform = optarg; break;
		case OPT_ALL: opts.all_platforms = true; break;
		case 'q': opts.quiet = true; break;
		case 'u': a->user = optarg; break;
		case 'p': a->password = optarg; break;
		case OPT_PSTDIN: a->pstdin = true; break;
		case OPT_LIMIT: a->limit = number(optarg, "--limit", &ok); break;
		case OPT_FORMAT:
			ok = strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0;
			if (!ok)
				dk_usage_error("--format: \"%s\": use json or table", optarg);
			a->json = strcmp(optarg, "json") == 0;
			break;
		case OPT_RAW: a->raw = true; break;
		case OPT_CONFIG: a->config = true; break;
		case OPT_CHUNK: opts.chunk_size = number(optarg, "--chunk-size", &ok); break;
		case OPT_PARALLEL: opts.parallel = (int)number(optarg, "--parallel", &ok); break;
		case OPT_VERBOSE: opts.verbose = true; break;
		case OPT_HELP: usage(); return 1;
		}
	}
	return ok ? 0 : -1;
}

static int finish(int ret, struct dk_err *err)
{
	return ret < 0 ? dk_fail(err) : DK_EXIT_OK;
}

/* Parse the options, check the operand count. Returns -1 when the command
 * must end with *status (help shown, usage error). */
static int prepare(int argc, char **argv, const char *allowed, int min, int max, struct args *a,
		   char ***ops, int *n, int *status)
{
	int r = parse(argc, argv, allowed, a);

	if (r != 0) {
		*status = r > 0 ? DK_EXIT_OK : DK_EXIT_USAGE;
		return -1;
	}
	*n = argc - optind;
	*ops = argv + optind;
	if (*n < min || *n > max) {
		*status = dk_usage_error("%s: expected %s", argv[0],
					 min == max ? "one argument" : "fewer arguments");
		return -1;
	}
	return 0;
}

#define CMD_LOCALS               \
	struct args a = {0};     \
	struct dk_err err = {0}; \
	char **ops;              \
	int n, st

/* An image event (pull, push) for ref once the command succeeded. */
static int image_event(int ret, const char *action, const char *ref)
{
	const char *attrs[] = {"name", ref, NULL};

	if (ret == 0)
		dk_event(opts.root, "image", action, ref, attrs);
	return ret;
}

static int cmd_pull(int argc, char **argv)
{
	CMD_LOCALS;
	if (prepare(argc, argv, "platform all-platforms quiet", 1, 1, &a, &ops, &n, &st) < 0)
		return st;
	if (opts.platform && opts.all_platforms)
		return dk_usage_error("pull: --platform and --all-platforms exclude each other");
	return finish(image_event(fx_pull(&opts, ops[0], &err), "pull", ops[0]), &err);
}

static int cmd_push(int argc, char **argv)
{
	CMD_LOCALS;
	if (prepare(argc, argv, "chunk-size quiet", 1, 2, &a, &ops, &n, &st) < 0)
		return st;
	return finish(image_event(fx_push(&opts, ops[0], n > 1 ? ops[1] : NULL, &err), "push",
				  n > 1 ? ops[1] : ops[0]),
		      &err);
}

static int cmd_login(int argc, char **argv)
{
	CMD_LOCALS;
	if (prepare(argc, argv, "username password password-stdin", 0, 1, &a, &ops, &n, &st) < 0)
		return st;
	if (a.password && a.pstdin)
		return dk_usage_error("login: --password and --password-stdin exclude each other");
	if (a.pstdin && !a.user)
		return dk_usage_error("login: --password-stdin needs --username");
	return finish(fx_login(&opts, n ? ops[0] : "docker.io", a.user, a.password, a.pstdin, &err),
		      &err);
}

static int cmd_logout(int argc, char **argv)
{
	CMD_LOCALS;
	if (prepare(argc, argv, "", 0, 1, &a, &ops, &n, &st) < 0)
		return st;
	return finish(fx_logout(n ? ops[0] : "docker.io", &err), &err);
}

static int cmd_tags(int argc, char **argv)
{
	CMD_LOCALS;
	if (prepare(argc, argv, "", 1, 1, &a, &ops, &n, &st) < 0)
		return st;
	return finish(fx_tags(&opts, ops[0], &err), &err);
}

static int cmd_search(int argc, char **argv)
{
	CMD_LOCALS;
	if (prepare(argc, argv, "limit format", 1, 1, &a, &ops, &n, &st) < 0)
		return st;
	return finish(fx_search(&opts, ops[0], a.limit ? a.limit : 25, a.json, &err), &err);
}

static int cmd_inspect(int argc, char **argv)
{
	CMD_LOCALS;
	if (prepare(argc, argv, "raw config platform", 1, 1, &a, &ops, &n, &st) < 0)
		return st;
	if (a.raw && a.config)
		return dk_usage_error("inspect: --raw and --config exclude each other");
	return finish(fx_inspect(&opts, ops[0], a.raw, a.config, &err), &err);
}

static const struct dk_cmd cmds[] = {
    {"pull", cmd_pull, "download an image into the store; prints its digest"},
    {"push", cmd_push, "upload an image from the store; prints its digest"},
    {"login", cmd_login, "check and save credentials for a registry"},
    {"logout", cmd_logout, "forget the credentials of a registry"},
    {"search", cmd_search, "search Docker Hub, or a registry's catalog"},
    {"tags", cmd_tags, "list the tags of a repository"},
    {"inspect", cmd_inspect, "show a remote manifest or image config"},
    {NULL, NULL, NULL},
};

static const struct option global[] = {
    {"root", required_argument, NULL, OPT_ROOT},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"parallel", required_argument, NULL, OPT_PARALLEL},
    {"verbose", no_argument, NULL, OPT_VERBOSE},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	bool ok = true;
	int c;

	dk_tool_name = "fetch";
	while ((c = dk_getopt_long(argc, argv, "+hV", global, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: opts.root = optarg; break;
		case OPT_INSECURE: opts.insecure = true; break;
		case OPT_PARALLEL: opts.parallel = (int)number(optarg, "--parallel", &ok); break;
		case OPT_VERBOSE: opts.verbose = true; break;
		case 'h':
			usage();
			dk_print_commands(cmds);
			return DK_EXIT_OK;
		case 'V': return dk_print_version();
		default: return dk_usage_error("unknown option");
		}
		if (!ok)
			return DK_EXIT_USAGE;
	}
	if (optind >= argc)
		return dk_usage_error("missing command");
	return dk_dispatch(cmds, argc - optind, argv + optind);
}
