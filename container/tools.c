// SPDX-License-Identifier: GPL-2.0-or-later
/* tools.c: running the sibling tools (runtime, snapshot, fetch, monitor),
 * found next to this binary with the same program prefix, and docker's
 * error conventions. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "container.h"

int ctr_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", dk_tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nSee '%s %s --help'.\n", dk_tool_name, cmd);
	return DK_EXIT_RUN_FAIL;
}

int ctr_daemon_error(int status, const struct dk_err *err)
{
	fprintf(stderr, "Error response from daemon: %s\n", err->msg);
	return status;
}

const char *ctr_optarg(char **argv)
{
	const char *a = optind > 0 ? argv[optind - 1] : NULL;

	/* "-e=A=b": pflag takes "A=b" ("--env=A=b" getopt splits itself) */
	if (a && optarg != a && a[0] == '-' && a[1] != '-' && optarg[0] == '=')
		return optarg + 1;
	return optarg;
}

char *ctr_tool_path(const char *name)
{
	return dk_tool_sibling("container", name);
}

static int wait_status(pid_t pid)
{
	int ws;

	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

/* Run path with argv; stdout into *out when out; stderr to /dev/null when
 * quiet. */
static int run_capture(const char *path, char **argv, char **out, bool quiet, struct dk_err *err)
{
	int p[2] = {-1, -1}, status;
	size_t len;
	pid_t pid;

	if (out && pipe2(p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	pid = fork();
	if (pid < 0)
		return dk_err_sys(err, "fork");
	if (pid == 0) {
		if (out)
			dup2(p[1], 1);
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);
			dup2(fd, 2);
		}
		execv(path, argv);
		fprintf(stderr, "%s: %s: %s\n", dk_tool_name, path, strerror(errno));
		_exit(127);
	}
	if (out) {
		close(p[1]);
		if (dk_read_fd(p[0], 1 << 20, out, &len, err) < 0)
			*out = NULL;
		close(p[0]);
	}
	status = wait_status(pid);
	return status < 0 ? dk_err_sys(err, "waiting for %s", path) : status;
}

static char **tool_argv(const char *path, const char *root, char *const *args)
{
	char **v = NULL;

	if (dk_strv_push(&v, path) < 0 || dk_strv_push(&v, "--root") < 0 ||
	    dk_strv_push(&v, root) < 0)
		goto fail;
	for (; args && *args; args++)
		if (dk_strv_push(&v, *args) < 0)
			goto fail;
	return v;
fail:
	dk_strv_free(v);
	return NULL;
}

int ctr_tool(const char *name, char *const *args, char **out, struct dk_err *err)
{
	cleanup_free char *path = ctr_tool_path(name);
	char **argv = path ? tool_argv(path, ctr_g.root, args) : NULL;
	int rc;

	if (!argv)
		return dk_err_sys(err, "running %s", name);
	rc = run_capture(path, argv, out, false, err);
	dk_strv_free(argv);
	return rc;
}

static int runtime_run(char *const *args, bool quiet, char **out, struct dk_err *err)
{
	cleanup_free char *path = ctr_tool_path("runtime");
	cleanup_free char *state = dk_path_join(ctr_g.root, "run");
	char **argv = path && state ? tool_argv(path, state, args) : NULL;
	int rc;

	if (!argv)
		return dk_err_sys(err, "running the runtime");
	rc = run_capture(path, argv, out, quiet, err);
	dk_strv_free(argv);
	return rc;
}

int ctr_runtime(char *const *args, bool quiet, struct dk_err *err)
{
	return runtime_run(args, quiet, NULL, err);
}

int ctr_runtime_out(char *const *args, char **out, struct dk_err *err)
{
	return runtime_run(args, true, out, err);
}

const char *ctr_path(const char *id, const char *file)
{
	static char buf[4200];

	snprintf(buf, sizeof(buf), "%s/%s%s%s", ctr_g.cdir, id, *file ? "/" : "", file);
	return buf;
}
