// SPDX-License-Identifier: GPL-2.0-or-later
/* test_proctime.c: dk_time_format (the date computed without the C
 * library's time zone code) against gmtime_r + strftime. */
#include <time.h>
#include "test.h"
#include "crecord.h"

static void check_against_libc(long long sec)
{
	char want[64], s[32], got[64];
	struct tm tm;
	time_t t = (time_t)sec;

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(want, sizeof(want), "%s.%09ldZ", s, 123456789L);
	dk_time_format(sec, 123456789L, got, sizeof(got));
	CHECK_STR(got, want);
}

static void test_known_dates(void)
{
	char got[64];

	dk_time_format(0, 0, got, sizeof(got));
	CHECK_STR(got, "1970-01-01T00:00:00.000000000Z");
	dk_time_format(951782400, 5, got, sizeof(got)); /* a leap day of a century */
	CHECK_STR(got, "2000-02-29T00:00:00.000000005Z");
	dk_time_format(-1, 0, got, sizeof(got));
	CHECK_STR(got, "1969-12-31T23:59:59.000000000Z");
}

static void test_every_day_matches_libc(void)
{
	/* each day from 1900 to 2200, at a time of day that moves */
	for (long long d = -25567; d < 84000 && !t_case_failed; d++)
		check_against_libc(d * 86400 + (d * 7919 % 86400 + 86400) % 86400);
}

T_MAIN(T(test_known_dates), T(test_every_day_matches_libc))
