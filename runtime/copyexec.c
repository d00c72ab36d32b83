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
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "copyexec.h"
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

int rt_copy_config(const struct rt_spec *s, struct dk_err *err)
{
	int fd = memfd_create("config.json", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return dk_err_sys(err, "memfd for the config");
	while (off < s->text_len) {
		ssize_t n = write(fd, s->text + off, s->text_len - off);
		if (n <= 0) {
			close(fd);
			return dk_err_sys(err, "writing the config to a memfd");
		}
		off += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return dk_err_sys(err, "rewinding the config");
	}
	return fd;
}

/* Whether environment entry e sets one of the job's variables. */
static bool replaced(const struct rt_copy_job *job, const char *e)
{
	for (int i = 0; job->var[i]; i++) {
		size_t n = strcspn(job->var[i], "=");
		if (!strncmp(e, job->var[i], n + 1))
			return true;
	}
	return false;
}

void rt_copy_exec(const struct rt_copy_job *job, struct dk_err *err)
{
	static char *env[4096];
	size_t k = 0, n = sizeof(env) / sizeof(*env) - 4;

	for (char **e = environ; *e; e++) {
		if (replaced(job, *e))
			continue;
		if (k == n) {
			dk_err_set(err, "the environment is too large");
			return;
		}
		env[k++] = *e;
	}
	for (int i = 0; job->var[i]; i++)
		env[k++] = (char *)job->var[i];
	env[k] = NULL;
	for (size_t i = 0; i < sizeof(job->keep) / sizeof(*job->keep); i++)
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
