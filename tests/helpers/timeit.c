// SPDX-License-Identifier: GPL-2.0-or-later
/* timeit.c: run a command and print, to stderr, its wall time and the CPU
 * time (user + system) that it and every descendant it waited for used,
 * both in microseconds: "WALL CPU". Wall time runs from just before the
 * fork to the end of waitpid, so it holds the command's own start and
 * exit but not the cost of a timing program (a `date` on each side adds
 * two process starts, several milliseconds on a loaded machine, to every
 * sample). CPU time comes from getrusage(RUSAGE_CHILDREN) and varies far
 * less than wall time under load. Usage: timeit [-o FILE] CMD [ARG...]:
 * with -o the line is appended to FILE instead; the command's output goes
 * where ours does. Exits with the command's status (1 when it could not
 * run). */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long usec(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000LL + (b->tv_nsec - a->tv_nsec) / 1000;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	FILE *out = stderr;
	int st;
	pid_t pid;

	if (argc > 3 && !strcmp(argv[1], "-o")) {
		out = fopen(argv[2], "ae");
		if (!out) {
			perror(argv[2]);
			return 1;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: timeit [-o FILE] CMD [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) < 0) {
		perror("timeit");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(out, "%lld %lld\n", usec(&t0, &t1),
		(long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL +
		    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
