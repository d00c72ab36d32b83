// SPDX-License-Identifier: GPL-2.0-or-later
/* cmds.c: state, kill, delete, list, pause, resume. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cgroup.h"
#include "cleanup.h"
#include "commands.h"
#include "container.h"
#include "fs.h"

/* Open, lock and read a container; prints the error itself. */
static int load(const char *cmd, const char *id, struct rt_state *st, int *dirfd)
{
	struct dk_err err;
	char what[300];

	snprintf(what, sizeof(what), "%s %s", cmd, id);
	*dirfd = rt_state_open(rt_g.root, id, &err);
	if (*dirfd < 0)
		return rt_fail(what, &err), -1;
	if (rt_state_read(*dirfd, st, &err) < 0) {
		close(*dirfd);
		return rt_fail(what, &err), -1;
	}
	return 0;
}

int cmd_state(int argc, char **argv)
{
	struct rt_state st;
	int fd;
	struct dk_jgen *g;
	const char *buf;
	size_t len;
	struct dk_err err;

	if (argc != 2)
		return dk_usage_error("state: expected one container id");
	if (load("state", argv[1], &st, &fd) < 0)
		return 1;
	g = dk_jgen_new(true);
	rt_state_gen(g, &st, rt_state_status(fd, &st));
	if (dk_jgen_finish(g, &buf, &len, &err) == 0)
		printf("%.*s\n", (int)len, buf);
	dk_jgen_free(g);
	rt_state_clear(&st);
	close(fd);
	return 0;
}

static const struct {
	const char *name;
	int sig;
} signames[] = {
    {"HUP", SIGHUP},	   {"INT", SIGINT},   {"QUIT", SIGQUIT},   {"ILL", SIGILL},
    {"TRAP", SIGTRAP},	   {"ABRT", SIGABRT}, {"BUS", SIGBUS},	   {"FPE", SIGFPE},
    {"KILL", SIGKILL},	   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE},	   {"ALRM", SIGALRM}, {"TERM", SIGTERM},   {"CHLD", SIGCHLD},
    {"CONT", SIGCONT},	   {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU},	   {"URG", SIGURG},   {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
    {"PWR", SIGPWR},	   {"SYS", SIGSYS},
};

int rt_signal_parse(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n >= 0 && n < 65 ? (int)n : -1; /* 0: only checks */
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(signames) / sizeof(*signames); i++)
		if (!strcasecmp(s, signames[i].name))
			return signames[i].sig;
	return -1;
}

static int kill_all(const struct rt_state *st, int sig, struct dk_err *err)
{
	pid_t *p;
	size_t n;

	if (rt_cgroup_pids(st->cgroups, &p, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		kill(p[i], sig);
	free(p);
	return 0;
}

int cmd_kill(int argc, char **argv)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
	bool all = false;
	int c, sig = SIGTERM, fd, rc = 0;
	struct rt_state st;
	struct dk_err err;
	const char *status;

	optind = 0;
	while ((c = getopt_long(argc, argv, "a", opts, NULL)) != -1)
		if (c == 'a')
			all = true;
		else
			return dk_usage_error("kill: unknown option");
	if (optind >= argc || argc - optind > 2)
		return dk_usage_error("kill: expected ID [SIGNAL]");
	if (argc - optind == 2 && (sig = rt_signal_parse(argv[optind + 1])) < 0)
		return dk_usage_error("kill: unknown signal \"%s\"", argv[optind + 1]);
	if (load("kill", argv[optind], &st, &fd) < 0)
		return 1;
	status = rt_state_status(fd, &st);
	if (!strcmp(status, "stopped")) {
		/* as runc: an error, except with --all (signalling whatever is
		 * left of a stopped container is not one) */
		if (!all) {
			dk_err_set(&err, "container not running");
			rc = rt_fail("kill", &err);
		}
	} else if (all			   ? kill_all(&st, sig, &err) < 0
		   : kill(st.pid, sig) < 0 ? dk_err_sys(&err, "signalling %d", st.pid)
					   : 0) {
		rc = rt_fail("kill", &err);
	}
	rt_state_clear(&st);
	close(fd);
	return rc;
}

/* True when id is a valid id and has no state directory. */
static bool absent(const char *id)
{
	struct dk_err err;
	cleanup_free char *dir = NULL;

	if (rt_id_check(id, &err) < 0)
		return false;
	dir = dk_path_join(rt_g.root, id);
	return access(dir, F_OK) < 0 && errno == ENOENT;
}

int cmd_delete(int argc, char **argv)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
	bool force = false;
	int c;
	struct dk_err err;
	char what[300];

	optind = 0;
	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1)
		if (c == 'f')
			force = true;
		else
			return dk_usage_error("delete: unknown option");
	if (optind != argc - 1)
		return dk_usage_error("delete: expected one container id");
	snprintf(what, sizeof(what), "delete %s", argv[optind]);
	if (force && absent(argv[optind]))
		return 0; /* as runc: nothing to force away is no error */
	if (rt_delete(rt_g.root, argv[optind], force, &err) < 0)
		return rt_fail(what, &err);
	return 0;
}

static bool list_one(const char *id, bool json, bool quiet, struct dk_jgen *g)
{
	struct dk_err err;
	cleanup_close int fd = rt_state_open(rt_g.root, id, &err);
	struct rt_state st;
	const char *status;

	if (fd < 0 || rt_state_read(fd, &st, &err) < 0)
		return false;
	status = rt_state_status(fd, &st);
	if (quiet)
		printf("%s\n", id);
	else if (json)
		rt_state_gen(g, &st, status);
	else
		printf("%-12s %-8d %-10s %-40s %-30s %s\n", id,
		       strcmp(status, "stopped") ? st.pid : 0, status, st.bundle, st.created,
		       "root");
	rt_state_clear(&st);
	return true;
}

static int not_dot(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"quiet", no_argument, NULL, 'q'},
					     {NULL, 0, NULL, 0}};
	bool json = false, quiet = false, any = false;
	int c, n;
	struct dirent **e = NULL;
	struct dk_jgen *g = dk_jgen_new(false);
	const char *buf;
	size_t len;
	struct dk_err err;

	optind = 0;
	while ((c = getopt_long(argc, argv, "f:q", opts, NULL)) != -1) {
		if (c == 'q')
			quiet = true;
		else if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			json = !strcmp(optarg, "json");
		else
			return dk_jgen_free(g), dk_usage_error("list: bad option");
	}
	if (!json && !quiet)
		printf("%-12s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE",
		       "CREATED", "OWNER");
	dk_jgen_array_open(g);
	/* as runc: sorted by id */
	n = scandir(rt_g.root, &e, not_dot, alphasort);
	for (int i = 0; i < n; i++) {
		any |= list_one(e[i]->d_name, json, quiet, g);
		free(e[i]);
	}
	free(e);
	dk_jgen_array_close(g);
	/* as runc: no containers is "null" in JSON */
	if (json && !any)
		printf("null\n");
	else if (json && dk_jgen_finish(g, &buf, &len, &err) == 0)
		printf("%.*s\n", (int)len, buf);
	dk_jgen_free(g);
	return 0;
}

static int freeze(int argc, char **argv, bool on)
{
	struct rt_state st;
	int fd, rc = 0;
	struct dk_err err;
	const char *status;

	if (argc != 2)
		return dk_usage_error("%s: expected one container id", argv[0]);
	if (load(argv[0], argv[1], &st, &fd) < 0)
		return 1;
	status = rt_state_status(fd, &st);
	if (strcmp(status, on ? "running" : "paused") != 0) {
		dk_err_set(&err, "container \"%s\" is %s", argv[1], status);
		rc = rt_fail(argv[0], &err);
	} else if (rt_cgroup_freeze(st.cgroups, on, &err) < 0) {
		rc = rt_fail(argv[0], &err);
	} else {
		st.paused = on;
		if (rt_state_write(fd, &st, &err) < 0)
			rc = rt_fail(argv[0], &err);
	}
	rt_state_clear(&st);
	close(fd);
	return rc;
}

int cmd_pause(int argc, char **argv)
{
	return freeze(argc, argv, true);
}

int cmd_resume(int argc, char **argv)
{
	return freeze(argc, argv, false);
}
