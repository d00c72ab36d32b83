// SPDX-License-Identifier: GPL-2.0-or-later
/* getopt.c: getopt_long without abbreviations. glibc takes any unique
 * prefix of a long option ("--pid host" as "--pids-limit host"), which
 * neither docker's flag parser nor runc's accepts: a flag we do not have
 * must fail as unknown, never become another one. */
#include <getopt.h>
#include <string.h>
#include "cli.h"

int dk_getopt_long(int argc, char *const *argv, const char *shorts, const struct option *opts,
		   int *longindex)
{
	int at = optind > 0 ? optind : 1; /* the word a long option is read from */
	int li = -1;
	int c = getopt_long(argc, argv, shorts, opts, &li);
	const char *w;
	size_t n;

	if (longindex)
		*longindex = li;
	if (c == -1 || c == '?' || c == ':' || li < 0 || at >= argc)
		return c;
	w = argv[at];
	if (w[0] != '-' || w[1] != '-')
		return c;
	n = strcspn(w + 2, "=");
	if (strlen(opts[li].name) == n && !strncmp(w + 2, opts[li].name, n))
		return c;
	optopt = 0;
	optind = at + 1; /* argv[optind - 1] is the flag, for the caller's message */
	return '?';
}
