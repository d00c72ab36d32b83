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

/* The proleptic Gregorian date of day d since 1970-01-01 (the "civil
 * from days" method: years of 365.2425 days in 400-year eras, each year
 * counted from March so that the leap day comes last). */
static void civil_from_days(long long d, int *y, int *m, int *day)
{
	d += 719468; /* days from 0000-03-01 to 1970-01-01 */
	long long era = (d >= 0 ? d : d - 146096) / 146097;
	long long doe = d - era * 146097;				       /* [0, 146096] */
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	       /* [0, 365] */
	long long mp = (5 * doy + 2) / 153;				       /* [0, 11] */

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void dk_time_format(long long sec, long nsec, char *buf, size_t size)
{
	long long days = sec / 86400, secs = sec % 86400;
	int y, mo, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &mo, &d);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", y, mo, d, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60), nsec);
}

void dk_time_now(char *buf, size_t size)
{
	struct timespec ts;

	/* not gmtime_r or strftime: both load the local time zone
	 * (/etc/localtime), which a UTC time does not need, on the runtime's
	 * critical path */
	clock_gettime(CLOCK_REALTIME, &ts);
	dk_time_format(ts.tv_sec, ts.tv_nsec, buf, size);
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
