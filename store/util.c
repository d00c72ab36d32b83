// SPDX-License-Identifier: GPL-2.0-or-later
/* util.c: what the store subcommands share: opening the store, and showing
 * names, ages and sizes the way docker does. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "ref.h"
#include "store-cmds.h"

int store_open(struct dk_store *s, bool create, struct dk_err *err)
{
	return dk_store_open_default(s, store_root_opt, create, err);
}

void store_split_name(const char *name, char *repo, size_t rsize, char *tag, size_t tsize)
{
	struct dk_ref ref;
	struct dk_err err;

	if (dk_ref_parse_name(name, &ref, &err) < 0 || !strchr(name, '/')) {
		snprintf(repo, rsize, "%s", name);
		snprintf(tag, tsize, "<none>");
		return;
	}
	ref.tag[0] == '\0' ? snprintf(tag, tsize, "<none>") : snprintf(tag, tsize, "%s", ref.tag);
	ref.tag[0] = '\0';
	ref.digest[0] = '\0';
	dk_ref_format_familiar(&ref, repo, rsize);
}

time_t store_created_time(const char *s)
{
	struct tm tm = {0};

	if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm))
		return (time_t)-1;
	return timegm(&tm);
}

void store_ago(const char *created, char *buf, size_t size)
{
	static const struct {
		long secs;
		const char *unit;
	} units[] = {
	    {365L * 86400, "year"}, {30L * 86400, "month"}, {7L * 86400, "week"}, {86400, "day"},
	    {3600, "hour"},	    {60, "minute"},	    {1, "second"},
	};
	time_t t = store_created_time(created);
	long d;

	if (t == (time_t)-1) {
		snprintf(buf, size, "N/A");
		return;
	}
	d = (long)(time(NULL) - t);
	if (d < 1) {
		snprintf(buf, size, "Less than a second ago");
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		long n = d / units[i].secs;

		if (n >= 1) {
			snprintf(buf, size, "%ld %s%s ago", n, units[i].unit, n > 1 ? "s" : "");
			return;
		}
	}
}

void store_human_size(int64_t n, char *buf, size_t size)
{
	static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
	double v = (double)n;
	size_t u = 0;

	while (v >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
	snprintf(buf, size, u ? "%.3g%s" : "%.0f%s", v, units[u]);
}
