// SPDX-License-Identifier: GPL-2.0-or-later
/* buildfile: build an image from a Dockerfile into the store, as docker's
 * classic builder does, and print its manifest digest. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "build.h"
#include "cli.h"
#include "ref.h"

static const char usage_text[] =
    "Usage: buildfile [OPTION]... -t REF CONTEXT\n"
    "       buildfile prune [-a] [--filter until=DURATION]  (see prune --help)\n"
    "       buildfile df [--no-header]  the build cache's size, as docker system df\n"
    "Build an image from a Dockerfile (CONTEXT/Dockerfile unless -f) and the\n"
    "files of CONTEXT, tag it REF and print its manifest digest. Steps run\n"
    "with snapshot, unpack, runtime and commit; each step's image is cached.\n"
    "\n"
    "  -t, --tag REF           tag the result (repeatable; none: digest only)\n"
    "  -f, --file FILE         the Dockerfile (default CONTEXT/Dockerfile;\n"
    "                          - reads it from standard input)\n"
    "      --build-arg K[=V]   value of ARG K (without =V: from the environment)\n"
    "      --no-cache          run every step, do not use the layer cache\n"
    "      --secret id=ID[,src=FILE|,env=VAR]\n"
    "                          a secret for RUN --mount=type=secret (never\n"
    "                          stored in the image)\n"
    "      --ssh default|ID=SOCKET|ID=KEY[,KEY]\n"
    "                          an ssh agent for RUN --mount=type=ssh (default:\n"
    "                          $SSH_AUTH_SOCK; key files: an agent of the\n"
    "                          build's; never stored in the image)\n"
    "      --target STAGE      stop after the stage named STAGE\n"
    "      --no-cache-filter STAGE[,STAGE]  no layer cache for these stages\n"
    "      --label K=V         add a label to the image (repeatable)\n"
    "      --iidfile FILE      write the image's digest to FILE\n"
    "      --network MODE      RUN steps' network: default (the bridge network;\n"
    "                          $DK_DEFAULT_NETWORK else bridge), none or host\n"
    "  -o, --output type=oci|docker|tar|local,dest=PATH\n"
    "                          also export the image: docker's save format,\n"
    "                          a tar of its filesystem, or its files in PATH\n"
    "      --print             print the build plan as JSON; run nothing\n"
    "      --progress MODE     plain (default), tty (a line per step with\n"
    "                          its time; RUN output only on failure), auto\n"
    "  -q, --quiet             no progress, no RUN output; only the digest\n"
    "      --pull              pull FROM images even when the store has them\n"
    "                          (missing ones are always pulled)\n"
    "      --push              push every -t tag to its registry once built\n"
    "      --metadata-file FILE  the image's digests and names as JSON\n"
    "      --load, --rm, --force-rm, --provenance=false, --sbom=false\n"
    "                          accepted: what they ask is what dk does\n"
    "      --root DIR          dk state directory (default $DK_ROOT)\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n";

enum {
	OPT_BUILD_ARG = 256,
	OPT_NO_CACHE,
	OPT_TARGET,
	OPT_ROOT,
	OPT_SECRET,
	OPT_SSH,
	OPT_NO_CACHE_FILTER,
	OPT_LABEL,
	OPT_IIDFILE,
	OPT_NETWORK,
	OPT_PRINT,
	OPT_PROGRESS,
	OPT_PULL,
	OPT_PUSH,
	OPT_LOAD,
	OPT_RM,
	OPT_ATTEST,
	OPT_METADATA,
	OPT_UNSUPPORTED,
};

static const struct option long_opts[] = {
    {"tag", required_argument, NULL, 't'},
    {"file", required_argument, NULL, 'f'},
    {"build-arg", required_argument, NULL, OPT_BUILD_ARG},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"secret", required_argument, NULL, OPT_SECRET},
    {"ssh", required_argument, NULL, OPT_SSH},
    {"no-cache-filter", required_argument, NULL, OPT_NO_CACHE_FILTER},
    {"label", required_argument, NULL, OPT_LABEL},
    {"iidfile", required_argument, NULL, OPT_IIDFILE},
    {"network", required_argument, NULL, OPT_NETWORK},
    {"output", required_argument, NULL, 'o'},
    {"print", no_argument, NULL, OPT_PRINT},
    {"progress", required_argument, NULL, OPT_PROGRESS},
    {"target", required_argument, NULL, OPT_TARGET},
    {"quiet", no_argument, NULL, 'q'},
    {"root", required_argument, NULL, OPT_ROOT},
    {"pull", no_argument, NULL, OPT_PULL},
    {"push", no_argument, NULL, OPT_PUSH},
    {"load", no_argument, NULL, OPT_LOAD},
    {"rm", optional_argument, NULL, OPT_RM},
    {"force-rm", optional_argument, NULL, OPT_RM},
    {"provenance", required_argument, NULL, OPT_ATTEST},
    {"sbom", required_argument, NULL, OPT_ATTEST},
    {"metadata-file", required_argument, NULL, OPT_METADATA},
    {"cache-from", required_argument, NULL, OPT_UNSUPPORTED},
    {"cache-to", required_argument, NULL, OPT_UNSUPPORTED},
    {"build-context", required_argument, NULL, OPT_UNSUPPORTED},
    {"add-host", required_argument, NULL, OPT_UNSUPPORTED},
    {"shm-size", required_argument, NULL, OPT_UNSUPPORTED},
    {"ulimit", required_argument, NULL, OPT_UNSUPPORTED},
    {"memory", required_argument, NULL, OPT_UNSUPPORTED},
    {"memory-swap", required_argument, NULL, OPT_UNSUPPORTED},
    {"cpu-shares", required_argument, NULL, OPT_UNSUPPORTED},
    {"cpu-period", required_argument, NULL, OPT_UNSUPPORTED},
    {"cpu-quota", required_argument, NULL, OPT_UNSUPPORTED},
    {"cpuset-cpus", required_argument, NULL, OPT_UNSUPPORTED},
    {"cpuset-mems", required_argument, NULL, OPT_UNSUPPORTED},
    {"squash", no_argument, NULL, OPT_UNSUPPORTED},
    {"annotation", required_argument, NULL, OPT_UNSUPPORTED},
    {"allow", required_argument, NULL, OPT_UNSUPPORTED},
    {"isolation", required_argument, NULL, OPT_UNSUPPORTED},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

static int push(char ***v, char *s)
{
	size_t n = dk_strv_len(*v);
	char **nv = realloc(*v, (n + 2) * sizeof(*nv));

	if (!nv)
		return -1;
	*v = nv;
	nv[n] = s;
	nv[n + 1] = NULL;
	return 0;
}

static int check_tag(const char *t)
{
	struct dk_ref ref;
	struct dk_err err;

	if (dk_ref_parse(t, &ref, &err) < 0)
		return dk_usage_error("-t %s: %s", t, err.msg);
	if (ref.digest[0])
		return dk_usage_error("-t %s: a tag cannot contain a digest", t);
	return 0;
}

static int check_secret(const char *s)
{
	struct bf_secret sec;
	struct dk_err err;

	if (bf_secret_parse(s, &sec, &err) < 0)
		return dk_usage_error("%s", err.msg);
	return 0;
}

static int check_ssh(const char *s)
{
	struct bf_ssh ssh;
	struct dk_err err;

	if (bf_ssh_parse(s, &ssh, &err) < 0)
		return dk_usage_error("%s", err.msg);
	return 0;
}

/* buildx's options beyond docker build's classic ones: 0, or the exit
 * status. li: the long option's index. */
static int more_opt(int c, int li, struct bf_opts *o)
{
	const char *name = li >= 0 ? long_opts[li].name : "";

	switch (c) {
	case OPT_PULL: o->pull = true; return 0;
	case OPT_PUSH: o->push = true; return 0;
	case OPT_LOAD: return 0; /* a built image is always in the local store */
	case OPT_RM:		 /* intermediate containers are always removed */
		if (optarg && strcmp(optarg, "true") && strcmp(optarg, "1"))
			return dk_usage_error("--%s=%s: not supported (intermediate containers "
					      "are always removed)",
					      name, optarg);
		return 0;
	case OPT_ATTEST: /* dk never adds attestations: only "false" holds */
		if (strcmp(optarg, "false") && strcmp(optarg, "0"))
			return dk_usage_error("--%s=%s: not supported (no attestations are made)",
					      name, optarg);
		return 0;
	case OPT_METADATA: o->metadata_file = optarg; return 0;
	case OPT_UNSUPPORTED: return dk_usage_error("--%s: not supported", name);
	default: return DK_EXIT_USAGE;
	}
}

/* The options that add to a list (-t, --build-arg, --secret, --ssh,
 * --no-cache-filter, --label): 0, or the exit status. */
static int list_opt(int c, struct bf_opts *o)
{
	char ***list = c == 't'		    ? &o->tags
		       : c == OPT_BUILD_ARG ? &o->build_args
		       : c == OPT_SECRET    ? &o->secrets
		       : c == OPT_SSH	    ? &o->ssh
		       : c == OPT_LABEL	    ? &o->labels
					    : &o->no_cache_filter;
	int r = 0;

	if (c == 't')
		r = check_tag(optarg);
	else if (c == OPT_BUILD_ARG && (optarg[0] == '=' || !optarg[0]))
		r = dk_usage_error("--build-arg %s: want NAME=VALUE", optarg);
	else if (c == OPT_SECRET)
		r = check_secret(optarg);
	else if (c == OPT_SSH)
		r = check_ssh(optarg);
	else if (c == OPT_LABEL && (!strchr(optarg, '=') || optarg[0] == '='))
		r = dk_usage_error("--label %s: want KEY=VALUE", optarg);
	if (r == 0 && push(list, optarg) < 0)
		r = dk_usage_error("out of memory");
	return r;
}

/* One option: 0 to go on, -1 when done (help, version), else the exit
 * status. */
static int one_opt(int c, int li, struct bf_opts *o)
{
	switch (c) {
	case 't':
	case OPT_BUILD_ARG:
	case OPT_SECRET:
	case OPT_SSH:
	case OPT_NO_CACHE_FILTER:
	case OPT_LABEL: return list_opt(c, o);
	case 'f': o->file = optarg; return 0;
	case OPT_NO_CACHE: o->no_cache = true; return 0;
	case OPT_TARGET: o->target = optarg; return 0;
	case OPT_IIDFILE: o->iidfile = optarg; return 0;
	case OPT_NETWORK:
		if (strcmp(optarg, "none") && strcmp(optarg, "host") && strcmp(optarg, "default"))
			return dk_usage_error("--network %s: not supported (none, host or default)",
					      optarg);
		o->network = optarg;
		return 0;
	case 'o': return bf_output_parse(optarg, &o->output);
	case OPT_PRINT: o->print = true; return 0;
	case OPT_PROGRESS:
		if (!strcmp(optarg, "tty") || !strcmp(optarg, "auto"))
			o->tty = !strcmp(optarg, "tty") || isatty(STDERR_FILENO);
		else if (strcmp(optarg, "plain"))
			return dk_usage_error("--progress %s: want plain, tty or auto", optarg);
		return 0;
	case 'q': o->quiet = true; return 0;
	case OPT_ROOT: o->root = optarg; return 0;
	case 'h': fputs(usage_text, stdout); return -1;
	case 'V': dk_print_version(); return -1;
	default: return more_opt(c, li, o);
	}
}

static int parse_args(int argc, char **argv, struct bf_opts *o)
{
	int c, r, li = -1;

	while ((c = dk_getopt_long(argc, argv, "t:f:o:qhV", long_opts, &li)) != -1)
		if ((r = one_opt(c, li, o)) != 0)
			return r;
	if (argc - optind != 1)
		return dk_usage_error(argc == optind ? "no build context given"
						     : "one build context, please");
	o->context = argv[optind];
	return 0;
}

static void on_signal(int sig)
{
	bf_interrupted = sig;
}

static void catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* `buildfile [--root DIR] prune|df ARGS...`: the subcommand's status
 * (--root handed to it after its name), or -1 for a build. A context
 * directory named prune or df is given as ./prune, ./df. */
static int subcommand(int argc, char **argv)
{
	int at = argc > 2 && !strcmp(argv[1], "--root")	       ? 3
		 : argc > 1 && !strncmp(argv[1], "--root=", 7) ? 2
							       : 1;
	char **v;
	int n = 0, rc;

	if (at >= argc || (strcmp(argv[at], "prune") && strcmp(argv[at], "df")))
		return -1;
	if (!(v = calloc((size_t)argc + 1, sizeof(*v))))
		return dk_usage_error("out of memory");
	v[n++] = argv[at];
	for (int i = 1; i < at; i++)
		v[n++] = argv[i];
	for (int i = at + 1; i < argc; i++)
		v[n++] = argv[i];
	rc = !strcmp(argv[at], "prune") ? bf_prune_main(n, v) : bf_df_main(n, v);
	free(v);
	return rc;
}

int main(int argc, char **argv)
{
	struct bf_opts o = {0};
	struct dk_err err = {0};
	int ret;

	dk_tool_name = "buildfile";
	ret = subcommand(argc, argv);
	if (ret >= 0)
		return ret;
	ret = parse_args(argc, argv, &o);
	if (ret == 0) {
		catch_signals();
		ret = bf_run_build(&o, &err) < 0 ? dk_fail(&err) : DK_EXIT_OK;
	} else if (ret < 0) {
		ret = DK_EXIT_OK;
	}
	free(o.tags);
	free(o.build_args);
	free(o.secrets);
	free(o.ssh);
	free(o.no_cache_filter);
	free(o.labels);
	return ret;
}
