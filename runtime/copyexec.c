// SPDX-License-Identifier: GPL-2.0-or-later
/* copyexec.c: as root, create, run and exec do not re-execute themselves
 * from the protected copy of the runtime (selfexe.c, CVE-2019-5736):
 * the processes that become container processes exec it instead, right
 * after they are started (runtime init, initexec.c; the exec'd process,
 * cmd_exec.c), as runc's "runc init". That exec runs while the runtime
 * does its own part (cgroups), and the runtime saves one of its own.
 *
 * The runtime stays on its own binary, so it stops being dumpable first:
 * no process of a container that shares its pid namespace may open
 * /proc/PID/exe of it, and what it starts inherits that until the exec.
 * It starts them vfork-style (CLONE_VM|CLONE_VFORK with the namespace
 * flags, on a stack of its own): the child only execs, so no copy of the
 * runtime's memory is made or torn down, and the runtime waits only until
 * the exec has begun. What the child does before it must not write our
 * memory: the environment is built aside, not with setenv. */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "copyexec.h"
#include "fmt.h"
#include "fs.h"
#include "selfexe.h"
#include "sync.h"

extern char **environ;

static int copy_fd = -1;

int rt_copy_prepare(struct dk_err *err)
{
	if (geteuid() != 0 || dk_in_userns())
		return 0;
	/* before anything of a container can see us */
	prctl(PR_SET_DUMPABLE, 0);
	return rt_self_copy(&copy_fd, err);
}

bool rt_copy_ready(void)
{
	return copy_fd >= 0;
}

static int config_memfd(const struct rt_spec *s, struct dk_err *err)
{
	int fd = memfd_create("config.json", MFD_CLOEXEC);

	if (fd < 0)
		return dk_err_sys(err, "memfd for the config");
	if (dk_write_all(fd, s->text, s->text_len, err) < 0) {
		close(fd);
		return dk_err_wrap(err, "the config's memfd");
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return dk_err_sys(err, "rewinding the config's memfd");
	}
	return fd;
}

#define BUNDLE_ENV "_DK_RUNTIME_BUNDLE"

int rt_copy_job_init(struct rt_copy_job *job, const char *name, const int *fds, size_t n_fds,
		     const int *nums, size_t n_nums, const struct rt_spec *s, const char *bundle,
		     struct dk_err *err)
{
	size_t len;

	job->cfg = -1;
	for (size_t i = 0; i < RT_COPY_MAX; i++)
		job->keep[i] = i < n_fds ? fds[i] : -1;
	job->sync = fds[0];
	if (n_fds + 1 > RT_COPY_MAX ||
	    dk_fmt(job->vars[0], sizeof(job->vars[0]), err, "%s=", name) < 0 ||
	    dk_fmt(job->vars[1], sizeof(job->vars[1]), err, BUNDLE_ENV "=%s", bundle) < 0)
		return dk_err_set(err, "starting the protected copy: too much to pass");
	job->cfg = config_memfd(s, err);
	if (job->cfg < 0)
		return -1;
	job->keep[n_fds] = job->cfg;
	for (size_t i = 0; i < n_fds + 1 + n_nums; i++) {
		int v = i < n_fds ? fds[i] : i == n_fds ? job->cfg : nums[i - n_fds - 1];
		len = strlen(job->vars[0]);
		snprintf(job->vars[0] + len, sizeof(job->vars[0]) - len, "%s%d", i ? "," : "", v);
	}
	return 0;
}

void rt_copy_job_done(struct rt_copy_job *job)
{
	if (job->cfg >= 0)
		close(job->cfg);
	job->cfg = -1;
}

/* Whether environment entry e is one the job sets. */
static bool replaced(const struct rt_copy_job *job, const char *e)
{
	for (int i = 0; i < 2; i++) {
		size_t n = strcspn(job->vars[i], "=");
		if (!strncmp(e, job->vars[i], n + 1))
			return true;
	}
	return false;
}

void rt_copy_exec(const struct rt_copy_job *job, struct dk_err *err)
{
	static char *env[4096];
	size_t k = 0, n = sizeof(env) / sizeof(*env) - 3;

	for (char **e = environ; *e; e++) {
		if (replaced(job, *e))
			continue;
		if (k == n) {
			dk_err_set(err, "the environment is too large");
			return;
		}
		env[k++] = *e;
	}
	env[k++] = (char *)job->vars[0];
	env[k++] = (char *)job->vars[1];
	env[k] = NULL;
	for (size_t i = 0; i < RT_COPY_MAX; i++)
		if (job->keep[i] >= 0 && fcntl(job->keep[i], F_SETFD, 0) < 0) {
			dk_err_sys(err, "keeping descriptor %d", job->keep[i]);
			return;
		}
	syscall(SYS_execveat, copy_fd, "", job->argv, env, AT_EMPTY_PATH);
	dk_err_sys(err, "executing the protected copy of the runtime");
}

static int spawned(void *arg)
{
	const struct rt_copy_job *job = arg;
	struct dk_err err = {0};

	close(job->theirs);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rt_copy_exec(job, &err);
	rt_sync_send_err(job->sync, 1, &err);
	return 1;
}

pid_t rt_copy_spawn(const struct rt_copy_job *job, int flags)
{
	/* only the child uses it, while we wait for its exec */
	static char stack[64 << 10] __attribute__((aligned(16)));

	return clone(spawned, stack + sizeof(stack), flags | CLONE_VM | CLONE_VFORK | SIGCHLD,
		     (void *)job);
}

/* n comma-separated numbers of v into out; false unless exactly n. */
static bool numbers(const char *v, int *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *end;
		long x = strtol(v, &end, 10);
		if (end == v || x < -1 || x > INT_MAX || *end != (i + 1 < n ? ',' : '\0'))
			return false;
		out[i] = (int)x;
		v = end + 1;
	}
	return true;
}

bool rt_copy_args(const char *name, int *fds, size_t n_fds, int *cfg, int *nums, size_t n_nums,
		  char *bundle, size_t size)
{
	const char *v = getenv(name), *b = getenv(BUNDLE_ENV);
	int all[RT_COPY_MAX + 4];
	size_t n = n_fds + 1 + n_nums;

	if (!v || !b || n > sizeof(all) / sizeof(*all) || !numbers(v, all, n) || strlen(b) >= size)
		return false;
	memcpy(bundle, b, strlen(b) + 1);
	unsetenv(name);
	unsetenv(BUNDLE_ENV);
	for (size_t i = 0; i < n; i++) {
		if (i < n_fds)
			fds[i] = all[i];
		else if (i == n_fds)
			*cfg = all[i];
		else
			nums[i - n_fds - 1] = all[i];
		if (i <= n_fds && all[i] >= 0)
			fcntl(all[i], F_SETFD, FD_CLOEXEC);
	}
	return true;
}

void rt_copy_fail(int sync, int status, const char *who, const struct dk_err *err)
{
	if (fcntl(sync, F_GETFD) < 0) /* started by hand: nobody to tell */
		fprintf(stderr, "runtime: %s%s%s\n", who ? who : "", who ? ": " : "", err->msg);
	rt_sync_send_err(sync, status, err);
	_exit(status);
}

struct rt_spec *rt_copy_spec(int cfg, const char *bundle, struct dk_err *err)
{
	struct rt_spec *s = NULL;

	if (rt_self_check(err) == 0)
		s = rt_spec_load_fd(cfg, bundle, err);
	close(cfg);
	return s;
}
