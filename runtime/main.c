// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c: runtime, an OCI runtime with runc's command line: global
 * options and dispatch. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "copyexec.h"
#include "initexec.h"
#include "selfexe.h"
#include "state.h"

struct rt_global rt_g;

static const struct dk_cmd cmds[] = {
    {"create", cmd_create, "create a container from a bundle"},
    {"start", cmd_start, "start a created container"},
    {"run", cmd_run, "create and start a container"},
    {"state", cmd_state, "print the state of a container"},
    {"kill", cmd_kill, "send a signal to a container's init"},
    {"delete", cmd_delete, "delete a stopped container"},
    {"list", cmd_list, "list containers"},
    {"exec", cmd_exec, "run a process in a running container"},
    {"ps", cmd_ps, "list the processes of a container"},
    {"pause", cmd_pause, "freeze a container"},
    {"resume", cmd_resume, "thaw a paused container"},
    {"update", cmd_update, "change a container's resources"},
    {"events", cmd_events, "stream container stats and OOM events"},
    {"spec", cmd_spec, "write a default config.json"},
    {"features", cmd_features, "print what this runtime supports"},
    {NULL, NULL, NULL},
};

static void log_line(const char *msg)
{
	FILE *f;
	char t[64];
	time_t now = time(NULL);
	struct tm tm;

	if (!rt_g.log || !(f = fopen(rt_g.log, "ae")))
		return;
	gmtime_r(&now, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (rt_g.log_json) {
		fputs("{\"level\":\"error\",\"msg\":\"", f);
		for (const char *p = msg; *p; p++) {
			if (*p == '"' || *p == '\\')
				fputc('\\', f);
			if ((unsigned char)*p >= 0x20)
				fputc(*p, f);
		}
		fprintf(f, "\",\"time\":\"%s\"}\n", t);
	} else {
		fprintf(f, "time=\"%s\" level=error msg=\"%s\"\n", t, msg);
	}
	fclose(f);
}

int rt_fail_status(int status, const char *what, const struct dk_err *err)
{
	char line[DK_ERR_MSG_MAX + 256];

	snprintf(line, sizeof(line), "%s%s%s", what ? what : "", what ? ": " : "", err->msg);
	fprintf(stderr, "%s: %s\n", dk_tool_name, line);
	log_line(line);
	return status;
}

int rt_fail(const char *what, const struct dk_err *err)
{
	return rt_fail_status(DK_EXIT_FAIL, what, err);
}

/* Commands whose processes become container processes run from a sealed
 * copy of the binary (selfexe.c). */
static bool starts_container_process(const char *cmd)
{
	static const char *const which[] = {"create", "run", "exec", NULL};

	for (size_t i = 0; cmd && which[i]; i++)
		if (!strcmp(cmd, which[i]))
			return true;
	return false;
}

static void usage(void)
{
	printf("Usage: runtime [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n"
	       "An OCI runtime with runc's command line.\n\n"
	       "Global options:\n"
	       "  --root DIR          state directory (default /run/dk-runtime)\n"
	       "  --log FILE          append errors to FILE\n"
	       "  --log-format FMT    text or json\n"
	       "  --debug             more messages\n"
	       "  --systemd-cgroup    refused: cgroups are managed through cgroupfs\n"
	       "  --rootless VALUE    accepted for runc compatibility\n"
	       "  --help, --version\n\n");
	dk_print_commands(cmds);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"root", required_argument, NULL, 'r'},
	    {"log", required_argument, NULL, 'l'},
	    {"log-format", required_argument, NULL, 'f'},
	    {"debug", no_argument, NULL, 'd'},
	    {"systemd-cgroup", no_argument, NULL, 's'},
	    {"rootless", required_argument, NULL, 'R'},
	    {"criu", required_argument, NULL, 'C'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	const char *root = getenv("DK_RUNTIME_ROOT");
	int c;

	dk_tool_name = "runtime";
	if (rt_init_entered())
		rt_init_enter();
	if (rt_exec_entered()) /* in the container's pid namespace already */
		prctl(PR_SET_DUMPABLE, 0);
	rt_g.argv = argv;
	while ((c = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'l': rt_g.log = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				return dk_usage_error("--log-format: \"%s\" is not text or json",
						      optarg);
			rt_g.log_json = !strcmp(optarg, "json");
			break;
		case 'd': rt_g.debug = true; break;
		case 's': rt_g.systemd_cgroup = true; break;
		case 'R':
		case 'C': break;
		case 'h': usage(); return 0;
		case 'v': return dk_print_version();
		default: return dk_usage_error("unknown option");
		}
	}
	rt_g.root = rt_state_root(root);
	if (rt_g.systemd_cgroup) {
		struct dk_err e;
		dk_err_set(&e, "--systemd-cgroup is not supported; use cgroupfs");
		return rt_fail(NULL, &e);
	}
	optind = optind ? optind : 1;
	if (optind < argc && starts_container_process(argv[optind]) && !rt_exec_entered()) {
		struct dk_err e;
		/* as root, what they start execs the copy (copyexec.c) */
		if (rt_copy_prepare(&e) < 0 || (!rt_copy_ready() && rt_self_protect(argv, &e) < 0))
			return rt_fail(NULL, &e);
	}
	c = dk_dispatch(cmds, argc - optind, argv + optind);
	free(rt_g.root);
	return c;
}
