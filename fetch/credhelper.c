// SPDX-License-Identifier: GPL-2.0-or-later
/* credhelper.c: docker credential helpers: `docker-credential-NAME get`
 * reads the server URL on stdin and prints {"Username":..,"Secret":..}. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "cleanup.h"
#include "creds.h"
#include "fs.h"
#include "json.h"

static pid_t spawn(const char *prog, int in[2], int out[2], struct dk_err *err)
{
	pid_t pid = fork();

	if (pid < 0)
		return dk_err_sys(err, "fork");
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execlp(prog, prog, "get", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int talk(const char *prog, const char *server, char **buf, size_t *len,
		int *status, struct dk_err *err)
{
	int in[2], out[2];
	pid_t pid;
	int ret = 0;

	if (pipe2(in, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]), close(in[1]);
		return dk_err_sys(err, "pipe");
	}
	pid = spawn(prog, in, out, err);
	close(in[0]);
	close(out[1]);
	if (pid > 0) {
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);
		struct dk_err ignore;

		dk_write_all(in[1], server, strlen(server), &ignore);
		close(in[1]);
		in[1] = -1;
		ret = dk_read_fd(out[0], 1 << 20, buf, len, err);
		while (waitpid(pid, status, 0) < 0 && errno == EINTR)
			;
		signal(SIGPIPE, old);
	} else {
		ret = -1;
	}
	if (in[1] >= 0)
		close(in[1]);
	close(out[0]);
	return ret;
}

int fx_credhelper_get(const char *name, const char *server,
		      struct fx_creds *out, struct dk_err *err)
{
	char prog[256];
	cleanup_free char *buf = NULL;
	size_t len = 0;
	int status = 0;
	struct dk_json *doc;

	snprintf(prog, sizeof(prog), "docker-credential-%s", name);
	if (talk(prog, server, &buf, &len, &status, err) < 0)
		return dk_err_wrap(err, "credential helper %s", prog);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return dk_err_set(err, "credential helper %s: not found", prog);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (buf && strstr(buf, "credentials not found"))
			return 1;
		return dk_err_set(err, "credential helper %s failed: %s", prog,
				  buf && *buf ? buf : "no message");
	}
	doc = dk_json_parse(buf, len, prog, err);
	if (!doc)
		return -1;
	const char *u = dk_json_get_str(doc, "Username");
	const char *s = dk_json_get_str(doc, "Secret");
	if (!s) {
		dk_json_free(doc);
		return dk_err_set(err, "credential helper %s: no Secret in its answer", prog);
	}
	out->user = strdup(u ? u : "");
	out->secret = strdup(s);
	dk_json_free(doc);
	return 0;
}
