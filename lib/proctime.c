// SPDX-License-Identifier: GPL-2.0-or-later
/* proctime.c: RFC 3339 times as docker writes them, and telling whether
 * a recorded pid is still the same process (pid + start time). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cleanup.h"
#include "crecord.h"

void dk_time_now(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	/* not strftime: it loads the local time zone (/etc/localtime), which
	 * a UTC time does not need, on the runtime's critical path */
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

double dk_time_parse(const char *s)
{
	struct tm tm = {0};
	const char *rest;
	double frac = 0;

	if (!s || !*s)
		return -1;
	rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest)
		return -1;
	if (*rest == '.')
		frac = strtod(rest, NULL);
	return (double)timegm(&tm) + frac;
}

/* Field `field` (1-based, as proc(5) counts) of /proc/pid/stat, parsed as
 * a number into *v; false when the process is gone or a zombie. */
static bool stat_field(int pid, int field, unsigned long long *v)
{
	char path[64], buf[1024];
	cleanup_close int fd = -1;
	ssize_t n;
	char *p;

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
	if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return false; /* a zombie has ended */
	/* after ")": state is field 3 */
	for (int f = 2; p && f < field; f++)
		p = strchr(p + 1, ' ');
	if (!p)
		return false;
	*v = strtoull(p + 1, NULL, 10);
	return true;
}

uint64_t dk_proc_starttime(int pid)
{
	unsigned long long v;

	return stat_field(pid, 22, &v) ? v : 0;
}

int dk_proc_cpu(int pid)
{
	unsigned long long v;

	return stat_field(pid, 39, &v) && v < 1u << 20 ? (int)v : -1;
}

bool dk_proc_same(int pid, uint64_t starttime)
{
	uint64_t now = dk_proc_starttime(pid);

	return now != 0 && now == starttime;
}
