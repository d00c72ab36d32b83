// SPDX-License-Identifier: GPL-2.0-or-later
/* opts.c: `run` and `create` options, docker's spelling: combined short
 * flags (-dit), -x=VALUE, --long=VALUE, -- ends the options, the first
 * operand is the image. Unknown flags are docker's usage error (125). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "json.h"
#include "oci.h"
#include "container.h"

enum {
	OPT_RM = 256,
	OPT_NAME,
	OPT_ENTRYPOINT,
	OPT_PULL,
	OPT_RESTART,
	OPT_LOG_OPT,
	OPT_STOP_SIGNAL,
	OPT_STOP_TIMEOUT,
	OPT_DETACH_KEYS,
	OPT_PLATFORM,
	OPT_LOG_DRIVER,
	OPT_DOMAINNAME,
};

static const struct option run_opts[] = {
    {"detach", no_argument, NULL, 'd'},
    {"interactive", no_argument, NULL, 'i'},
    {"tty", no_argument, NULL, 't'},
    {"rm", no_argument, NULL, OPT_RM},
    {"name", required_argument, NULL, OPT_NAME},
    {"env", required_argument, NULL, 'e'},
    {"workdir", required_argument, NULL, 'w'},
    {"user", required_argument, NULL, 'u'},
    {"publish", required_argument, NULL, 'p'},
    {"hostname", required_argument, NULL, 'h'},
    {"entrypoint", required_argument, NULL, OPT_ENTRYPOINT},
    {"pull", required_argument, NULL, OPT_PULL},
    {"restart", required_argument, NULL, OPT_RESTART},
    {"log-opt", required_argument, NULL, OPT_LOG_OPT},
    {"stop-signal", required_argument, NULL, OPT_STOP_SIGNAL},
    {"stop-timeout", required_argument, NULL, OPT_STOP_TIMEOUT},
    {"detach-keys", required_argument, NULL, OPT_DETACH_KEYS},
    {"platform", required_argument, NULL, OPT_PLATFORM},
    {"log-driver", required_argument, NULL, OPT_LOG_DRIVER},
    {"domainname", required_argument, NULL, OPT_DOMAINNAME},
    {"quiet", no_argument, NULL, 'q'},
    CTR_FLAG_OPTS{"help", no_argument, NULL, 'H'},
    CTR_NET_OPTIONS,
    {NULL, 0, NULL, 0},
};

static void usage(const char *cmd)
{
	printf("Usage: container %s [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
	       "Options:\n"
	       "  -d, --detach            run in the background, print the id%s\n"
	       "  -i, --interactive       keep stdin open\n"
	       "  -t, --tty               allocate a pseudo-terminal\n"
	       "      --rm                remove the container when it exits\n"
	       "      --name NAME         the container's name (unique)\n"
	       "  -e, --env K=V           set a variable (K alone: from here)\n"
	       "  -w, --workdir DIR       working directory\n"
	       "  -u, --user USER[:GROUP] user, by id or name\n"
	       "  -p, --publish [IP:][HOST:]PORT[/udp]  publish ports (ranges A-B)\n"
	       "  -P, --publish-all       publish every EXPOSEd port to a random one\n"
	       "      --network NET       bridge (default), none, host, container:C, NAME\n"
	       "      --ip IP             address on a user-defined network\n"
	       "      --network-alias A   another name on the network\n"
	       "      --dns IP, --dns-search D, --dns-option OPT  resolv.conf\n"
	       "      --add-host NAME:IP  an /etc/hosts entry\n"
	       "  -h, --hostname NAME     the container's host name\n"
	       "      --domainname NAME   the container's NIS domain name\n"
	       "      --entrypoint CMD    override the image's entrypoint\n"
	       "      --pull POLICY       missing (default), always, never\n"
	       "      --restart POLICY    no, on-failure[:N], always, unless-stopped\n"
	       "      --log-driver D      json-file (default) or none\n"
	       "      --log-opt K=V       max-size=SIZE, max-file=N\n"
	       "      --stop-signal SIG   signal for stop (default the image's, TERM)\n"
	       "      --stop-timeout N    seconds stop waits before KILL\n"
	       "      --detach-keys KEYS  keys that detach (ctrl-p,ctrl-q)\n"
	       "      --platform OS/ARCH  the image's platform (this host's only)\n"
	       "  -q, --quiet             no pull output\n",
	       cmd, strcmp(cmd, "run") ? " (run only)" : "");
	ctr_flags_usage();
}

static int parse_size(const char *s, int64_t *out)
{
	char *end;
	double v = strtod(s, &end);
	int64_t mul = 1;

	switch (*end) {
	case 'k':
	case 'K':
		mul = 1024;
		end++;
		break;
	case 'm':
	case 'M':
		mul = 1024 * 1024;
		end++;
		break;
	case 'g':
	case 'G':
		mul = 1024 * 1024 * 1024;
		end++;
		break;
	default: break;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (end == s || *end || v < 0)
		return -1;
	*out = (int64_t)(v * mul);
	return 0;
}

static int log_opt(const char *cmd, const char *a, struct dk_copts *o)
{
	char *end;

	if (!strncmp(a, "max-size=", 9)) {
		if (parse_size(a + 9, &o->log_max_size) < 0)
			return ctr_usage(cmd, "invalid --log-opt \"%s\": want a size (10k, 5m)", a);
	} else if (!strncmp(a, "max-file=", 9)) {
		o->log_max_file = (int)strtol(a + 9, &end, 10);
		if (*end || o->log_max_file < 1)
			return ctr_usage(cmd, "invalid --log-opt \"%s\": want a count >= 1", a);
	} else {
		return ctr_usage(cmd, "--log-opt \"%s\" is not supported (max-size, max-file)", a);
	}
	return -1;
}

int ctr_restart_opt(const char *cmd, const char *a, struct dk_copts *o)
{
	char *end;

	free(o->restart);
	o->restart = strdup(a);
	if (!strncmp(a, "on-failure:", 11)) {
		o->restart[10] = '\0';
		o->restart_max = (int)strtol(a + 11, &end, 10);
		if (*end || o->restart_max < 0)
			return ctr_usage(cmd, "invalid restart policy \"%s\"", a);
		return -1;
	}
	if (strcmp(a, "no") && strcmp(a, "always") && strcmp(a, "unless-stopped") &&
	    strcmp(a, "on-failure"))
		return ctr_usage(cmd, "invalid restart policy \"%s\"", a);
	return -1;
}

/* --platform: containers run natively, so only this host's platform
 * (images of others could be pulled, but not run). */
static int platform_opt(const char *cmd, const char *a)
{
	struct dk_platform want, host;
	struct dk_err err;
	char buf[128];
	bool ok;

	if (dk_platform_parse(a, &want, &err) < 0)
		return ctr_usage(cmd, "%s", err.msg);
	dk_platform_host(&host);
	ok = dk_platform_match(&host, &want);
	dk_platform_free(&want);
	dk_platform_format(&host, buf, sizeof(buf));
	if (!ok)
		return ctr_usage(
		    cmd, "--platform %s: not supported: this host runs %s containers only", a, buf);
	return -1;
}

/* -e K=V, or K alone: the value from our environment (dropped if unset). */
static int env_opt(const char *a, struct dk_copts *o)
{
	const char *v;
	char *kv;
	int rc;

	if (strchr(a, '='))
		return dk_strv_push(&o->env, a);
	v = getenv(a);
	if (!v)
		return 0;
	if (asprintf(&kv, "%s=%s", a, v) < 0)
		return -1;
	rc = dk_strv_push(&o->env, kv);
	free(kv);
	return rc;
}

static int one(const char *cmd, int c, const char *a, struct ctr_run *r)
{
	struct dk_copts *o = &r->o;

	switch (c) {
	case 'd': r->detach = true; break;
	case 'i': o->open_stdin = true; break;
	case 't': o->tty = true; break;
	case OPT_RM: o->auto_remove = true; break;
	case OPT_NAME: r->name = a; break;
	case 'e': return env_opt(a, o) < 0 ? ctr_usage(cmd, "out of memory") : -1;
	case 'w': o->workdir = strdup(a); break;
	case 'u': o->user = strdup(a); break;
	case 'h': o->hostname = strdup(a); break;
	case OPT_DOMAINNAME: o->domainname = strdup(a); break;
	case OPT_ENTRYPOINT: o->entrypoint = strdup(a), r->has_entrypoint = true; break;
	case OPT_PULL: r->pull = a; break;
	case OPT_RESTART: return ctr_restart_opt(cmd, a, o);
	case OPT_LOG_OPT: return log_opt(cmd, a, o);
	case OPT_STOP_SIGNAL: o->stop_signal = strdup(a); break;
	case OPT_STOP_TIMEOUT: o->stop_timeout = atoi(a); break;
	case OPT_DETACH_KEYS:
		if (dk_detach_keys_parse(a, (char[16]){0}, 16) < 0)
			return ctr_usage(cmd, "invalid --detach-keys \"%s\"", a);
		o->detach_keys = strdup(a);
		break;
	case OPT_PLATFORM: return platform_opt(cmd, a);
	case OPT_LOG_DRIVER:
		if (strcmp(a, "json-file") && strcmp(a, "none"))
			return ctr_usage(cmd,
					 "--log-driver %s: not supported (json-file, none are)", a);
		o->log_none = !strcmp(a, "none");
		break;
	case 'q': r->quiet = true; break;
	case 'H': usage(cmd); return DK_EXIT_OK;
	default:
		if (ctr_flag_is(c))
			return ctr_flag(cmd, c, a, r);
		return ctr_netopt(cmd, c, a, r);
	}
	return -1;
}

static int unknown(const char *cmd, char **argv)
{
	const char *a = argv[optind - 1];

	if (optopt && a[0] == '-' && a[1] != '-')
		return ctr_usage(cmd, "unknown shorthand flag: '%c' in %s", optopt, a);
	if (optopt)
		return ctr_usage(cmd, "flag needs an argument: '%c' in -%c", optopt, optopt);
	return ctr_usage(cmd, "unknown flag: %s", a);
}

int ctr_parse_run(const char *cmd, int argc, char **argv, struct ctr_run *r)
{
	int c, rc;

	r->pull = "missing";
	r->o.log_max_file = 1;
	r->o.stop_timeout = -1;
	r->o.env = calloc(1, sizeof(char *));
	r->o.ports = calloc(1, sizeof(char *));
	r->x.health_interval = r->x.health_timeout = r->x.health_start = -1;
	r->x.health_retries = -1;
	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+:dite:w:u:p:h:Pq" CTR_FLAG_SHORT, run_opts,
				   NULL)) != -1) {
		if (c == '?' || c == ':')
			return unknown(cmd, argv);
		rc = one(cmd, c, optarg ? ctr_optarg(argv) : NULL, r);
		if (rc >= 0)
			return rc;
	}
	if (strcmp(r->pull, "missing") && strcmp(r->pull, "always") && strcmp(r->pull, "never"))
		return ctr_usage(cmd,
				 "invalid pull option: '%s': must be one of \"always\", "
				 "\"missing\" or \"never\"",
				 r->pull);
	if (optind >= argc)
		return ctr_usage(cmd, "\"%s\" requires at least 1 argument.", cmd);
	if (r->o.auto_remove && r->o.restart && strcmp(r->o.restart, "no"))
		return ctr_usage(cmd,
				 "conflicting options: cannot specify both --restart and --rm");
	if (r->name && !dk_crec_valid_name(r->name))
		return ctr_usage(cmd,
				 "Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] "
				 "are allowed",
				 r->name);
	rc = ctr_flags_check(cmd, r);
	if (rc >= 0)
		return rc;
	r->image = argv[optind];
	r->args = dk_strv_dup(argv + optind + 1);
	return r->args ? -1 : ctr_usage(cmd, "out of memory");
}

void ctr_run_free(struct ctr_run *r)
{
	dk_copts_free(&r->o);
	dk_strv_free(r->args);
	dk_strv_free(r->expose);
	r->args = NULL;
	r->expose = NULL;
	free(r->x.health_cmd);
	free(r->x.cidfile);
	r->x.health_cmd = r->x.cidfile = NULL;
}
