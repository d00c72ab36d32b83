// SPDX-License-Identifier: GPL-2.0-or-later
/* cputime.c: run a command and print the CPU time (user + system, in
 * microseconds) that it and every descendant it waited for used, from
 * getrusage(RUSAGE_CHILDREN). The benchmarks report it next to wall time:
 * on a loaded machine it varies far less. Usage: cputime CMD [ARG...];
 * the command's output goes where ours does, the number to stderr.
 * Exits with the command's status (1 when it could not run). */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int st;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: cputime CMD [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) < 0) {
		perror("cputime");
		return 1;
	}
	fprintf(stderr, "%ld\n",
		(long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec +
		    ru.ru_stime.tv_usec);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
