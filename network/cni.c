// SPDX-License-Identifier: GPL-2.0-or-later
/* cni.c: executing CNI plugins as the CNI 1.0 spec says: the command,
 * container id, netns, interface and args in CNI_* variables, the
 * network configuration on stdin, the result (or an error object
 * {"code", "msg", "details"}) on stdout. Plugins come from $DK_CNI_PATH,
 * else /usr/lib/cni (Debian's containernetworking-plugins). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "network.h"

static const char *cni_path(void)
{
	const char *p = getenv("DK_CNI_PATH");

	return p && *p ? p : "/usr/lib/cni";
}

static void child(const char *plugin, const struct cni_call *c, int in, int out)
{
	char *env[12];
	int n = 0;

	dup2(in, 0), dup2(out, 1);
	if (asprintf(&env[n++], "CNI_COMMAND=%s", c->command) < 0 ||
	    asprintf(&env[n++], "CNI_CONTAINERID=%s", c->id) < 0 ||
	    asprintf(&env[n++], "CNI_NETNS=%s", c->netns) < 0 ||
	    asprintf(&env[n++], "CNI_IFNAME=%s", c->ifname) < 0 ||
	    asprintf(&env[n++], "CNI_ARGS=%s", c->args ? c->args : "") < 0 ||
	    asprintf(&env[n++], "CNI_PATH=%s", cni_path()) < 0)
		_exit(127);
	env[n++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	env[n] = NULL;
	execle(plugin, plugin, (char *)NULL, env);
	_exit(127);
}

/* The plugin's error object -> err. */
static int plugin_error(const char *type, const char *cmd, const char *out, size_t len, int st,
			struct dk_err *err)
{
	struct dk_err ignore;
	struct dk_json *v = out && len ? dk_json_parse(out, len, type, &ignore) : NULL;
	const char *msg = v ? dk_json_get_str(v, "msg") : NULL;
	const char *det = v ? dk_json_get_str(v, "details") : NULL;

	dk_err_set(err, "CNI %s %s: %s%s%s", type, cmd, msg ? msg : "failed",
		   det && *det ? ": " : "", det && *det ? det : "");
	if (!msg)
		dk_err_wrap(err, "exit status %d", st);
	dk_json_free(v);
	return -1;
}

int net_cni_exec(const char *type, const struct cni_call *c, const char *conf, size_t len,
		 char **out, struct dk_err *err)
{
	cleanup_free char *plugin = NULL;
	cleanup_free char *buf = NULL;
	int in[2], res[2], ws;
	size_t n = 0;
	pid_t pid;

	if (strchr(type, '/') || asprintf(&plugin, "%s/%s", cni_path(), type) < 0)
		return dk_err_set(err, "CNI plugin \"%s\": bad name", type);
	if (access(plugin, X_OK) < 0)
		return dk_err_sys(err, "CNI plugin %s", plugin);
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(res, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	pid = fork();
	if (pid == 0)
		child(plugin, c, in[0], res[1]);
	close(in[0]), close(res[1]);
	if (pid < 0) {
		close(in[1]), close(res[0]);
		return dk_err_sys(err, "fork");
	}
	dk_write_all(in[1], conf, len, err); /* a plugin may not read it all */
	close(in[1]);
	dk_read_fd(res[0], 1 << 20, &buf, &n, err);
	close(res[0]);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
		return plugin_error(type, c->command, buf, n,
				    WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws), err);
	if (out)
		*out = buf, buf = NULL;
	return 0;
}
