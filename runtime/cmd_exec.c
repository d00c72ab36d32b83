// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_exec.c: exec, a new process in a running container: the options
 * into the process to run (the config's, changed), the container's state,
 * and the process's own start in the protected copy; execproc.c starts it
 * and takes it into the container's namespaces and cgroups. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "commands.h"
#include "container.h"
#include "copyexec.h"
#include "execproc.h"
#include "fs.h"
#include "lsm.h"
#include "process.h"
#include "sync.h"
#include "terminal.h"

/* As runc, a failure of exec itself (no container, no such program, a bad
 * --pid-file...) exits 255, so that it cannot be taken for the status of
 * the program. */
#define EXEC_FAILED 255

struct exec_opts {
	const char *process_file, *cwd, *user, *pid_file, *console_socket;
	const char *apparmor, *label; /* --apparmor, --process-label */
	char **env, **caps, **cgroups;
	size_t n_env, n_caps, n_cgroups;
	gid_t *gids;
	size_t n_gids;
	bool tty, detach, nnp;
	int preserve_fds;
	char *id;
	char **args;
};

static int parse_gid(const char *s, gid_t *g)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 0xffffffffUL)
		return -1;
	*g = (gid_t)v;
	return 0;
}

static int parse(int argc, char **argv, struct exec_opts *o)
{
	static const struct option opts[] = {
	    {"process", required_argument, NULL, 'p'},
	    {"env", required_argument, NULL, 'e'},
	    {"cwd", required_argument, NULL, 'w'},
	    {"user", required_argument, NULL, 'u'},
	    {"tty", no_argument, NULL, 't'},
	    {"detach", no_argument, NULL, 'd'},
	    {"pid-file", required_argument, NULL, 'P'},
	    {"console-socket", required_argument, NULL, 'c'},
	    {"preserve-fds", required_argument, NULL, 'F'},
	    {"no-new-privs", no_argument, NULL, 'n'},
	    {"cap", required_argument, NULL, 'C'},
	    {"apparmor", required_argument, NULL, 'A'},
	    {"process-label", required_argument, NULL, 'L'},
	    {"cgroup", required_argument, NULL, 'G'},
	    {"ignore-paused", no_argument, NULL, 'I'},
	    {"additional-gids", required_argument, NULL, 'g'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 0;
	o->env = calloc(argc + 1, sizeof(char *));
	o->caps = calloc(argc + 1, sizeof(char *));
	o->cgroups = calloc(argc + 1, sizeof(char *));
	o->gids = calloc(argc + 1, sizeof(gid_t));
	if (!o->env || !o->caps || !o->gids || !o->cgroups)
		return dk_usage_error("exec: out of memory");
	while ((c = getopt_long(argc, argv, "+p:e:w:u:tdP:", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o->process_file = optarg; break;
		case 'e': o->env[o->n_env++] = optarg; break;
		case 'w': o->cwd = optarg; break;
		case 'u': o->user = optarg; break;
		case 't': o->tty = true; break;
		case 'd': o->detach = true; break;
		case 'P': o->pid_file = optarg; break;
		case 'c': o->console_socket = optarg; break;
		case 'F': o->preserve_fds = atoi(optarg); break;
		case 'n': o->nnp = true; break;
		case 'C': o->caps[o->n_caps++] = optarg; break;
		case 'g':
			if (parse_gid(optarg, &o->gids[o->n_gids++]) < 0)
				return dk_usage_error(
				    "exec: --additional-gids \"%s\": not a number", optarg);
			break;
		case 'G': o->cgroups[o->n_cgroups++] = optarg; break;
		case 'A': o->apparmor = optarg; break;
		case 'L': o->label = optarg; break;
		case 'I': break;
		default: return dk_usage_error("exec: unknown option");
		}
	}
	if (optind >= argc)
		return dk_usage_error("exec: expected a container id");
	o->id = argv[optind];
	o->args = argv + optind + 1;
	if (!o->process_file && !o->args[0])
		return dk_usage_error("exec: expected a command or --process");
	return 0;
}

static int load_process_file(const char *path, struct rt_process *p, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len;
	struct dk_json *j;
	int rc;

	if (dk_read_file_at(AT_FDCWD, path, 1 << 20, &buf, &len, err) < 0)
		return -1;
	j = dk_json_parse(buf, len, path, err);
	if (!j)
		return -1;
	rc = rt_process_parse(j, p, err);
	dk_json_free(j);
	return rc < 0 ? dk_err_wrap(err, "%s", path) : 0;
}

/* --cap: as runc, into the bounding, effective and permitted sets. */
static int add_caps(struct rt_process *p, char **caps, size_t n, struct dk_err *err)
{
	static const int sets[] = {RT_CAP_BOUNDING, RT_CAP_EFFECTIVE, RT_CAP_PERMITTED};

	if (!n)
		return 0;
	p->has_caps = true;
	for (int k = 0; k < RT_CAP_SETS; k++)
		if (!p->caps[k] && !(p->caps[k] = calloc(1, sizeof(char *))))
			return dk_err_set(err, "out of memory");
	for (size_t k = 0; k < sizeof(sets) / sizeof(*sets); k++) {
		char ***set = &p->caps[sets[k]];
		size_t len = dk_strv_len(*set);
		char **v = realloc(*set, (len + n + 1) * sizeof(char *));
		if (!v)
			return dk_err_set(err, "out of memory");
		for (size_t i = 0; i < n; i++)
			v[len + i] = strdup(caps[i]);
		v[len + n] = NULL;
		*set = v;
	}
	return 0;
}

/* The exec'd process: the config's, changed by the options. */
static int replace_str(char **field, const char *val)
{
	if (!val)
		return 0;
	free(*field);
	*field = strdup(val);
	return *field ? 0 : -1;
}

/* --apparmor and --process-label: applied where the LSM is on, refused
 * clearly where it is not (lsm.c) */
static int exec_labels(const struct exec_opts *o, struct rt_process *p, struct dk_err *err)
{
	if (replace_str(&p->apparmor, o->apparmor) < 0 || replace_str(&p->selinux, o->label) < 0)
		return dk_err_set(err, "out of memory");
	return 0;
}

static int make_process(const struct exec_opts *o, struct rt_spec *s, struct dk_err *err)
{
	struct rt_process *p = &s->proc;
	size_t n = dk_strv_len(p->env);

	if (o->process_file) {
		rt_process_clear(p);
		if (load_process_file(o->process_file, p, err) < 0)
			return -1;
		return exec_labels(o, p, err);
	}
	dk_strv_free(p->args);
	p->args = dk_strv_dup(o->args);
	p->env = realloc(p->env, (n + o->n_env + 1) * sizeof(char *));
	for (size_t i = 0; i < o->n_env; i++)
		p->env[n + i] = strdup(o->env[i]);
	p->env[n + o->n_env] = NULL;
	if (o->cwd) {
		free(p->cwd);
		p->cwd = strdup(o->cwd);
	}
	if (o->user) {
		unsigned u, g;
		int k = sscanf(o->user, "%u:%u", &u, &g);
		if (k < 1)
			return dk_err_set(err, "--user \"%s\": expected UID[:GID]", o->user);
		p->uid = u;
		p->gid = k == 2 ? g : 0;
		p->n_gids = 0;
	}
	if (o->n_gids) {
		free(p->gids);
		p->gids = calloc(o->n_gids, sizeof(gid_t));
		if (!p->gids)
			return dk_err_set(err, "out of memory");
		memcpy(p->gids, o->gids, o->n_gids * sizeof(gid_t));
		p->n_gids = o->n_gids;
	}
	p->terminal = o->tty;
	p->nnp |= o->nnp;
	if (exec_labels(o, p, err) < 0)
		return -1;
	return add_caps(p, o->caps, o->n_caps, err);
}

/* init's root (/proc/PID/root), for a container without a mount namespace;
 * the pidfd taken before pins PID to init. */
static int open_root(pid_t pid, struct dk_err *err)
{
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/root", pid);
	fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "opening the container's root %s", p);
	return fd;
}

/* The child, in the copy: what rt_exec_start passed, the process as the
 * arguments (parsed again, rc) make it; then rt_exec_child_main. */
static __attribute__((noreturn)) void exec_enter(const struct exec_opts *o, int rc)
{
	static char bundle[4096];
	struct rt_exec_child ec = {.keep = o->preserve_fds};
	struct dk_err err = {0};
	struct rt_spec *s;
	int fds[4], cfg;

	if (!rt_copy_args(RT_EXEC_ENV, fds, 4, &cfg, NULL, 0, bundle, sizeof(bundle))) {
		fputs("runtime: exec: bad " RT_EXEC_ENV "\n", stderr);
		_exit(EXEC_FAILED);
	}
	ec.sync = fds[0], ec.pidfd = fds[1], ec.console = fds[2], ec.root = fds[3];
	s = rt_copy_spec(cfg, bundle, &err);
	if (rc != 0)
		dk_err_set(&err, "exec: the arguments did not parse again");
	else if (s && make_process(o, s, &err) == 0) {
		ec.s = s;
		rt_exec_child_main(&ec);
	}
	rt_copy_fail(ec.sync, EXEC_FAILED, NULL, &err);
}

static int exec_in(struct exec_opts *o, int dirfd, struct rt_state *st, int *status,
		   struct dk_err *err)
{
	struct rt_spec *s;
	struct rt_exec_child ec = {.console = -1, .root = -1};
	pid_t pid = -1;
	int master = -1, ws = 0, rc = -1;

	if (strcmp(rt_state_status(dirfd, st), "stopped") == 0)
		return dk_err_set(err, "cannot exec in a stopped container");
	s = rt_spec_load(st->bundle, err);
	if (!s)
		return -1;
	ec.s = s;
	ec.keep = o->preserve_fds;
	ec.cgroups = o->cgroups;
	if (make_process(o, s, err) < 0 || rt_lsm_check(&s->proc, err) < 0)
		goto out;
	ec.pidfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
	if (ec.pidfd < 0) {
		dk_err_sys(err, "opening init %d", st->pid);
		goto out;
	}
	if (!rt_spec_ns(s, CLONE_NEWNS) && (ec.root = open_root(st->pid, err)) < 0)
		goto out;
	if (o->console_socket && s->proc.terminal &&
	    (ec.console = rt_console_connect(o->console_socket, err)) < 0)
		goto out;
	if (rt_exec_start(&ec, st, &pid, &master, status, err) < 0)
		goto out;
	close(dirfd);
	if (o->pid_file && rt_write_pid_file(o->pid_file, pid, err) < 0)
		goto out;
	*status = 0;
	rc = 0;
	if (o->detach)
		goto out;
	if (master >= 0)
		rt_tty_proxy(master, pid, &ws);
	else
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
out:
	if (ec.root >= 0)
		close(ec.root);
	rt_spec_free(s);
	return rc;
}

static void opts_free(struct exec_opts *o)
{
	free(o->env);
	free(o->caps);
	free(o->cgroups);
	free(o->gids);
}

int cmd_exec(int argc, char **argv)
{
	struct exec_opts o = {0};
	struct rt_state st;
	struct dk_err err;
	int fd, status = EXEC_FAILED, rc;
	char what[300];

	rc = parse(argc, argv, &o);
	if (rt_exec_entered())
		exec_enter(&o, rc);
	if (rc != 0) {
		opts_free(&o);
		return DK_EXIT_USAGE;
	}
	snprintf(what, sizeof(what), "exec %s", o.id);
	fd = rt_state_open(rt_g.root, o.id, &err);
	if (fd < 0 || rt_state_read(fd, &st, &err) < 0) {
		if (fd >= 0)
			close(fd);
		opts_free(&o);
		return rt_fail_status(EXEC_FAILED, what, &err);
	}
	rc = exec_in(&o, fd, &st, &status, &err);
	rt_state_clear(&st);
	opts_free(&o);
	if (rc < 0)
		return rt_fail_status(EXEC_FAILED, what, &err);
	return status;
}
