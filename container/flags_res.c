// SPDX-License-Identifier: GPL-2.0-or-later
/* flags_res.c: resource flags, docker's spelling and checks: -m/--memory,
 * --memory-swap, --cpus, -c/--cpu-shares, --pids-limit, --ulimit,
 * --device. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "json.h"
#include "container.h"

static const char *const ulimit_names[] = {
    "as",     "core",  "cpu", "data",	"fsize",  "locks",	"memlock", "msgqueue", "nice",
    "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",   NULL,
};

int64_t ctr_ram_bytes(const char *s)
{
	static const char units[] = "bkmgtp";
	char *end;
	double v;
	const char *u;
	int shift = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtod(s, &end);
	if (*end == ' ')
		end++;
	if (*end && (u = strchr(units, tolower((unsigned char)*end)))) {
		shift = (int)(u - units) * 10;
		end++;
		if (*end == 'i' || *end == 'I')
			end++;
		if (shift && (*end == 'b' || *end == 'B'))
			end++;
	}
	if (*end || v < 0 || v * (double)(1LL << shift) > 9.2e18)
		return -1;
	return (int64_t)(v * (double)(1LL << shift));
}

static int memory(const char *cmd, int c, const char *a, struct dk_hostcfg *h)
{
	int64_t v = (c == OPT_MEMORY_SWAP && !strcmp(a, "-1")) ? -1 : ctr_ram_bytes(a);

	if (v == -1 && c == OPT_MEMORY_SWAP) {
		h->memory_swap = -1;
		return -1;
	}
	if (v < 0)
		return ctr_usage(cmd, "invalid argument \"%s\" for \"%s\" flag: invalid size: '%s'",
				 a, c == OPT_MEMORY ? "-m, --memory" : "--memory-swap", a);
	if (c == OPT_MEMORY && v && v < 6 * 1024 * 1024)
		return ctr_usage(cmd, "Minimum memory limit allowed is 6MB");
	if (c == OPT_MEMORY)
		h->memory = v;
	else
		h->memory_swap = v;
	return -1;
}

static int cpus(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	char *end;
	double v = strtod(a, &end);

	if (end == a || *end)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--cpus\" flag: failed to parse "
				 "%s as a rational number",
				 a, a);
	if (v < 0.01 || v > (double)n)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--cpus\" flag: range of CPUs is "
				 "from 0.01 to %ld.00, as there are only %ld CPUs available",
				 a, n, n);
	h->nano_cpus = (int64_t)(v * 1e9 + 0.5);
	return -1;
}

static int integer(const char *cmd, const char *flag, const char *a, int64_t min, int64_t *out)
{
	char *end;
	long long v = strtoll(a, &end, 10);

	if (end == a || *end || v < min)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"%s\" flag: want an integer "
				 "of at least %lld",
				 a, flag, (long long)min);
	*out = v;
	return -1;
}

/* A cpuset list as the kernel takes it: "0-3,6". */
static int cpuset(const char *cmd, const char *flag, const char *a, char **out)
{
	bool ok = *a != '\0';

	for (const char *p = a; ok && *p; p++)
		ok = isdigit((unsigned char)*p) ||
		     ((*p == ',' || *p == '-') && p > a && isdigit((unsigned char)p[-1]) &&
		      isdigit((unsigned char)p[1]));
	if (!ok)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"%s\" flag: want a CPU or "
				 "memory node list such as 0-3,6",
				 a, flag);
	free(*out);
	*out = strdup(a);
	return -1;
}

static int reservation(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	h->memory_reservation = ctr_ram_bytes(a);
	if (h->memory_reservation < 0)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--memory-reservation\" flag: "
				 "invalid size: '%s'",
				 a, a);
	if (h->memory_reservation && h->memory_reservation < 6 * 1024 * 1024)
		return ctr_usage(cmd, "Minimum memory reservation allowed is 6MB");
	return -1;
}

/* --cpu-period and --cpu-quota: the CFS numbers, in microseconds. */
static int cfs(const char *cmd, int c, const char *a, struct dk_hostcfg *h)
{
	int64_t *v = c == OPT_CPU_PERIOD ? &h->cpu_period : &h->cpu_quota;
	int rc = integer(cmd, c == OPT_CPU_PERIOD ? "--cpu-period" : "--cpu-quota", a, -1, v);

	if (rc >= 0)
		return rc;
	if (c == OPT_CPU_PERIOD && *v && (*v < 1000 || *v > 1000000))
		return ctr_usage(cmd, "CPU cfs period can not be less than 1ms (i.e. 1000) or "
				      "larger than 1s (i.e. 1000000)");
	if (c == OPT_CPU_QUOTA && *v > 0 && *v < 1000)
		return ctr_usage(cmd, "CPU cfs quota can not be less than 1ms (i.e. 1000)");
	return -1;
}

int ctr_flag_resource(const char *cmd, int c, const char *a, struct dk_hostcfg *h)
{
	int rc;

	switch (c) {
	case OPT_CPUSET_CPUS: return cpuset(cmd, "--cpuset-cpus", a, &h->cpuset_cpus);
	case OPT_CPUSET_MEMS: return cpuset(cmd, "--cpuset-mems", a, &h->cpuset_mems);
	case OPT_CPU_PERIOD:
	case OPT_CPU_QUOTA: return cfs(cmd, c, a, h);
	case OPT_MEMORY_RESERVATION: return reservation(cmd, a, h);
	case OPT_OOM_KILL_DISABLE: h->oom_kill_disable = true; return -1;
	case OPT_MEMORY:
	case OPT_MEMORY_SWAP: return memory(cmd, c, a, h);
	case OPT_CPUS: return cpus(cmd, a, h);
	case 'c':
	case OPT_CPU_SHARES: return integer(cmd, "-c, --cpu-shares", a, 0, &h->cpu_shares);
	case OPT_PIDS_LIMIT:
		rc = integer(cmd, "--pids-limit", a, -1, &h->pids_limit);
		if (rc < 0 && h->pids_limit == 0)
			h->pids_limit = -1; /* docker: 0 and -1 are unlimited */
		return rc;
	default: return ctr_usage(cmd, "unknown flag");
	}
}

/* NAME=SOFT[:HARD]; a later one for the same name wins. */
int ctr_flag_ulimit(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	char name[32], *end;
	const char *eq = strchr(a, '=');
	long long soft, hard;
	bool known = false;

	if (!eq || eq == a || (size_t)(eq - a) >= sizeof(name))
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--ulimit\" flag: invalid "
				 "ulimit argument: %s",
				 a, a);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - a), a);
	for (const char *const *n = ulimit_names; *n; n++)
		known |= !strcmp(*n, name);
	if (!known)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--ulimit\" flag: invalid "
				 "ulimit type: %s",
				 a, name);
	soft = strtoll(eq + 1, &end, 10);
	hard = *end == ':' ? strtoll(end + 1, &end, 10) : soft;
	if (end == eq + 1 || *end || soft < -1 || hard < -1 ||
	    (hard != -1 && (soft == -1 || soft > hard)))
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--ulimit\" flag: ulimit soft "
				 "limit must be less than or equal to hard limit, as numbers",
				 a);
	for (char **u = h->ulimits; u && *u; u++)
		if (!strncmp(*u, name, strlen(name)) && (*u)[strlen(name)] == '=')
			**u = '\0'; /* dropped on output */
	return dk_strv_push(&h->ulimits, a) < 0 ? ctr_usage(cmd, "out of memory") : -1;
}

/* HOST[:CTR[:PERMS]], HOST a device node. */
int ctr_flag_device(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	char host[4096], ctr[4096], perms[8] = "rwm", buf[8300];
	struct stat st;
	int n = sscanf(a, "%4095[^:]:%4095[^:]:%7s", host, ctr, perms);

	if (n < 1 || host[0] != '/' || (n > 1 && ctr[0] != '/') ||
	    strspn(perms, "rwm") != strlen(perms) || !perms[0])
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--device\" flag: bad format "
				 "for path: %s",
				 a, a);
	if (n == 1)
		snprintf(ctr, sizeof(ctr), "%s", host);
	if (stat(host, &st) < 0)
		return ctr_usage(cmd,
				 "error gathering device information while adding custom device "
				 "\"%s\": no such file or directory",
				 host);
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return ctr_usage(cmd,
				 "--device \"%s\": not a device node (a directory of devices "
				 "is not supported)",
				 host);
	snprintf(buf, sizeof(buf), "%s:%s:%s", host, ctr, perms);
	return dk_strv_push(&h->devices, buf) < 0 ? ctr_usage(cmd, "out of memory") : -1;
}
