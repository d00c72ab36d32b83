// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_ps.c: ps, the processes of a container. As runc's: the table is the
 * host's ps(1) output (ps -ef, or the options after the id) cut down to
 * the lines of the container's processes; --format json lists the pids. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cgroup.h"
#include "cleanup.h"
#include "commands.h"
#include "container.h"

static bool has_pid(const pid_t *p, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == pid)
			return true;
	return false;
}

/* The index of the PID column in ps's header line, -1 if none. */
static int pid_column(char *header)
{
	char *save = NULL;
	int i = 0;

	for (char *w = strtok_r(header, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save), i++)
		if (!strcmp(w, "PID"))
			return i;
	return -1;
}

static long field(const char *line, int col)
{
	char buf[4096], *save = NULL, *w;

	snprintf(buf, sizeof(buf), "%s", line);
	w = strtok_r(buf, " \t\n", &save);
	for (int i = 0; w && i < col; i++)
		w = strtok_r(NULL, " \t\n", &save);
	return w ? strtol(w, NULL, 10) : -1;
}

static int ps_table(char **ps_args, const pid_t *p, size_t n, struct dk_err *err)
{
	int fds[2], ws, col = -1;
	pid_t child;
	cleanup_file FILE *f = NULL;
	char line[4096], hdr[4096];
	bool first = true;

	if (pipe(fds) < 0)
		return dk_err_sys(err, "pipe");
	child = fork();
	if (child < 0)
		return dk_err_sys(err, "fork");
	if (child == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp("ps", ps_args);
		fprintf(stderr, "runtime: ps: running ps: %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (first) {
			snprintf(hdr, sizeof(hdr), "%s", line);
			col = pid_column(hdr);
			fputs(line, stdout);
			first = false;
		} else if (col >= 0 && has_pid(p, n, field(line, col))) {
			fputs(line, stdout);
		}
	}
	while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
		return dk_err_set(err, "ps %s failed", ps_args[1] ? ps_args[1] : "");
	if (col < 0)
		return dk_err_set(err, "ps: no PID column in the output of ps");
	return 0;
}

int cmd_ps(int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {NULL, 0, NULL, 0}};
	bool json = false;
	int c, fd, rc = 0;
	struct rt_state st;
	pid_t *p = NULL;
	size_t n = 0;
	struct dk_err err;
	char *def[] = {"ps", "-ef", NULL};
	char **ps_args = def;
	const char *id;
	char what[300];

	optind = 0;
	/* "+": what follows the id goes to ps */
	while ((c = getopt_long(argc, argv, "+f:", opts, NULL)) != -1)
		if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			json = !strcmp(optarg, "json");
		else
			return dk_usage_error("ps: bad option");
	if (optind >= argc)
		return dk_usage_error("ps: expected a container id");
	if (json && argc - optind > 1)
		return dk_usage_error("ps: ps options cannot be used with --format json");
	id = argv[optind];
	if (argc - optind > 1) {
		argv[optind] = "ps"; /* ps ARGS... in place of ID ARGS... */
		ps_args = argv + optind;
	}
	snprintf(what, sizeof(what), "ps %s", id);
	fd = rt_state_open(rt_g.root, id, &err);
	if (fd < 0)
		return rt_fail(what, &err);
	if (rt_state_read(fd, &st, &err) < 0) {
		close(fd);
		return rt_fail(what, &err);
	}
	if (rt_cgroup_pids(st.cgroups, &p, &n, &err) < 0) {
		rc = rt_fail(what, &err);
	} else if (json) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", p[i]);
		printf("]\n");
	} else if (ps_table(ps_args, p, n, &err) < 0) {
		rc = rt_fail(what, &err);
	}
	free(p);
	rt_state_clear(&st);
	close(fd);
	return rc;
}
