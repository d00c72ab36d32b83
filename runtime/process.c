// SPDX-License-Identifier: GPL-2.0-or-later
/* process.c: from a set-up container to the user's program. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "caps.h"
#include "cleanup.h"
#include "fmt.h"
#include "fs.h"
#include "lsm.h"
#include "path.h"
#include "procfs.h"
#include "process.h"
#include "seccomp.h"
#include "sync.h"

static const char *rlimit_name(int r)
{
	static const char *n[] = {
	    "RLIMIT_CPU",      "RLIMIT_FSIZE", "RLIMIT_DATA",	"RLIMIT_STACK",
	    "RLIMIT_CORE",     "RLIMIT_RSS",   "RLIMIT_NPROC",	"RLIMIT_NOFILE",
	    "RLIMIT_MEMLOCK",  "RLIMIT_AS",    "RLIMIT_LOCKS",	"RLIMIT_SIGPENDING",
	    "RLIMIT_MSGQUEUE", "RLIMIT_NICE",  "RLIMIT_RTPRIO", "RLIMIT_RTTIME"};
	return r >= 0 && r < 16 ? n[r] : "rlimit";
}

int rt_proc_limits(const struct rt_process *p, const struct rt_procfs *pfs, struct dk_err *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct rlimit rl = {p->rlimits[i].soft, p->rlimits[i].hard};
		if (setrlimit(p->rlimits[i].resource, &rl) < 0)
			return dk_err_sys(err, "setting %s to soft %llu hard %llu",
					  rlimit_name(p->rlimits[i].resource),
					  (unsigned long long)rl.rlim_cur,
					  (unsigned long long)rl.rlim_max);
	}
	if (rt_procattr_apply(&p->attr, err) < 0)
		return -1;
	if (p->has_oom) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%d", p->oom);
		if (rt_procfs_write(pfs, true, "oom_score_adj", buf, err) < 0)
			return dk_err_wrap(err, "setting oomScoreAdj to %d", p->oom);
	}
	return 0;
}

int rt_proc_sysctl(const struct rt_spec *s, const struct rt_procfs *pfs, struct dk_err *err)
{
	for (size_t i = 0; i < s->n_sysctl; i++) {
		char path[512];
		const char *k = s->sysctl[i].key;
		int n = snprintf(path, sizeof(path), "sys/%s", k);

		if (strstr(k, "..") || k[0] == '/' || n < 0 || (size_t)n >= sizeof(path))
			return dk_err_set(err, "sysctl \"%s\": bad name", k);
		for (char *q = path + 4; *q; q++)
			if (*q == '.')
				*q = '/';
		if (rt_procfs_write(pfs, false, path, s->sysctl[i].value, err) < 0)
			return dk_err_wrap(err, "sysctl %s", k);
	}
	return 0;
}

static const char *env_get(char *const *env, const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; env && env[i]; i++)
		if (!strncmp(env[i], key, n) && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

static int check_exec(const char *path, int *status, struct dk_err *err)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		*status = errno == ENOENT || errno == ENOTDIR ? 127 : 126;
		return dk_err_sys(err, "exec \"%s\"", path);
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		*status = 126;
		return dk_err_errno(err, EACCES, "exec \"%s\"", path);
	}
	return 0;
}

int rt_proc_find(const struct rt_process *p, char *out, size_t size, int *status,
		 struct dk_err *err)
{
	const char *a = p->args[0];
	const char *path = env_get(p->env, "PATH");

	if (strchr(a, '/')) {
		if (dk_fmt(out, size, err, "%s", a) < 0)
			return dk_err_wrap(err, "exec: \"%.60s...\"", a);
		return check_exec(out, status, err);
	}
	if (!path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (const char *d = path; d;) {
		const char *e = strchr(d, ':');
		int dl = e ? (int)(e - d) : (int)strlen(d);
		struct stat st;
		int n = snprintf(out, size, "%.*s/%s", dl, dl ? d : ".", a);
		/* a candidate cut short would name another file: skipped */
		if (n >= 0 && (size_t)n < size && stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & 0111))
			return 0;
		d = e ? e + 1 : NULL;
	}
	*status = 127;
	return dk_err_set(err, "exec: \"%s\": executable file not found in $PATH", a);
}

static int switch_user(const struct rt_exec_ctx *c, struct dk_err *err)
{
	const struct rt_process *p = c->proc;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return dk_err_sys(err, "PR_SET_KEEPCAPS");
	if (c->setgroups && setgroups(p->n_gids, p->gids) < 0)
		return dk_err_sys(err, "setgroups");
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return dk_err_sys(err, "setting gid %u", p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return dk_err_sys(err, "setting uid %u", p->uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return dk_err_sys(err, "PR_SET_KEEPCAPS");
	return 0;
}

/* Hand the seccomp notify fd to the listener: the spec's container process
 * state with the fd attached. */
static int send_listener(const struct rt_exec_ctx *c, int fd, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(false);
	struct dk_json *st = NULL;
	cleanup_free char *buf = NULL;
	size_t len;
	int rc;

	if (c->state_json)
		st = dk_json_parse(c->state_json, strlen(c->state_json), "state", err);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "ociVersion", "1.0.2");
	dk_jgen_str(g, "fds");
	dk_jgen_strv(g, (char *[]){"seccompFd", NULL});
	{
		int64_t pid = getpid(); /* the host pid from the state if we have it */
		dk_json_int64(dk_json_get(st, "pid"), &pid);
		dk_jgen_kint(g, "pid", pid);
	}
	dk_jgen_kstr(g, "metadata", rt_seccomp_metadata(c->seccomp));
	if (st) {
		dk_jgen_str(g, "state");
		dk_jgen_value(g, st);
	}
	dk_jgen_map_close(g);
	dk_json_free(st);
	if (dk_jgen_finish_dup(g, &buf, &len, err) < 0)
		return -1;
	rc = rt_send_fd(c->listener, fd, buf, err);
	close(fd);
	return rc;
}

static int load_seccomp(const struct rt_exec_ctx *c, struct dk_err *err)
{
	int nfd;

	if (!c->seccomp)
		return 0;
	if (rt_seccomp_load(c->seccomp, &nfd, err) < 0)
		return -1;
	if (nfd >= 0) {
		if (c->listener < 0) {
			close(nfd);
			return dk_err_set(err, "seccomp: SCMP_ACT_NOTIFY needs listenerPath");
		}
		return send_listener(c, nfd, err);
	}
	return 0;
}

/* The home directory of uid in the container's /etc/passwd, or NULL. */
static char *passwd_home(uid_t uid)
{
	cleanup_file FILE *f = fopen("/etc/passwd", "re");
	char line[1024];

	while (f && fgets(line, sizeof(line), f)) {
		char *fld[7] = {0}, *q = line;
		int n = 0;
		line[strcspn(line, "\n")] = 0;
		/* name:pw:uid:gid:gecos:home:shell (empty fields allowed) */
		for (; n < 7 && q; n++) {
			fld[n] = q;
			q = strchr(q, ':');
			if (q)
				*q++ = 0;
		}
		if (n >= 6 && *fld[2] && strtoul(fld[2], NULL, 10) == uid && *fld[5])
			return strdup(fld[5]);
	}
	return NULL;
}

static size_t key_len(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq ? (size_t)(eq - kv) : strlen(kv);
}

/* As runc: a variable given twice keeps its last value (once), and an
 * unset or empty HOME comes from /etc/passwd (else / or /root). */
static char **exec_env(const struct rt_process *p)
{
	size_t n = dk_strv_len(p->env), k = 0;
	char **env = calloc(n + 2, sizeof(char *));
	const char *home = NULL;
	static char home_kv[4096];

	if (!env)
		return p->env;
	for (size_t i = 0; i < n; i++) {
		size_t kl = key_len(p->env[i]);
		bool later = false;
		for (size_t j = i + 1; j < n && !later; j++)
			later = key_len(p->env[j]) == kl && !strncmp(p->env[i], p->env[j], kl);
		if (later)
			continue;
		if (kl == 4 && !strncmp(p->env[i], "HOME", 4)) {
			if (!p->env[i][4] || !p->env[i][5])
				continue; /* HOME or HOME=: filled in below */
			home = p->env[i];
		}
		env[k++] = p->env[i];
	}
	if (!home) {
		cleanup_free char *h = passwd_home(p->uid);
		snprintf(home_kv, sizeof(home_kv), "HOME=%s", h ? h : p->uid == 0 ? "/root" : "/");
		env[k++] = home_kv;
	}
	env[k] = NULL;
	return env;
}

int rt_close_fds(int keep_fds, const int *mine, size_t n, struct dk_err *err)
{
	return dk_close_fds_except(3 + (unsigned)keep_fds, mine, n, err);
}

/* Into cwd through a handle resolved inside our root (CVE-2024-21626): a
 * plain chdir would let the kernel follow a magic link such as
 * /proc/self/fd/N or /proc/PID/root out of the container. A cwd the kernel
 * cannot reach from our root ("(unreachable)") is refused as well. */
static int enter_cwd(const char *cwd, struct dk_err *err)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int fd = -1;
	char here[PATH_MAX];

	if (root < 0)
		return dk_err_sys(err, "opening the container's root");
	fd = dk_path_open(root, cwd, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, err);
	if (fd < 0)
		return dk_err_wrap(err, "cwd \"%s\"", cwd);
	if (fchdir(fd) < 0)
		return dk_err_sys(err, "chdir to cwd \"%s\"", cwd);
	if (!getcwd(here, sizeof(here)) && errno != ERANGE)
		return dk_err_sys(err, "cwd \"%s\" is outside the container", cwd);
	return 0;
}

int rt_proc_exec(const struct rt_exec_ctx *c, int *status, struct dk_err *err)
{
	const struct rt_process *p = c->proc;
	char path[4096];
	char **envp;
	struct dk_err first;
	/* as runc: into cwd while still privileged (a cwd only root can
	 * enter works for any user), again after the uid switch if that
	 * failed (a cwd only the user can enter) */
	bool in_cwd = enter_cwd(p->cwd, &first) == 0;

	*status = 1;
	if (rt_proc_find(p, path, sizeof(path), status, err) < 0)
		return -1;
	envp = exec_env(p);
	if (rt_lsm_apply(p, c->procfs, err) < 0 || rt_caps_bounding(p, err) < 0)
		return -1;
	if (!p->nnp && load_seccomp(c, err) < 0)
		return -1;
	if (switch_user(c, err) < 0 || rt_caps_apply(p, err) < 0)
		return -1;
	if (p->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return dk_err_sys(err, "setting no_new_privs");
	if (!in_cwd && enter_cwd(p->cwd, err) < 0)
		return -1;
	if (p->has_umask)
		umask(p->umask);
	if (p->nnp && load_seccomp(c, err) < 0)
		return -1;
	/* nothing of ours but 0-2 and the preserved fds crosses exec */
	if (syscall(SYS_close_range, 3 + c->keep_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return dk_err_sys(err, "marking fds close-on-exec");
	execve(path, p->args, envp);
	*status = errno == ENOENT ? 127 : 126;
	return dk_err_sys(err, "exec \"%s\"", path);
}
