// SPDX-License-Identifier: GPL-2.0-or-later
/* procattr.c: the process attributes the kernel keeps per task and that
 * survive exec: linux.personality, process.ioPriority and
 * process.scheduler. Parsed into plain data, applied just before exec. */
#include <errno.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/ioprio.h>
#include <linux/sched.h>
#include "procattr.h"

/* sched_setattr(2)'s argument; glibc has no wrapper. */
struct sched_attr_v1 {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
};

struct name_val {
	const char *name;
	int val;
};

static const struct name_val policies[] = {{"SCHED_OTHER", SCHED_NORMAL},
					   {"SCHED_FIFO", SCHED_FIFO},
					   {"SCHED_RR", SCHED_RR},
					   {"SCHED_BATCH", SCHED_BATCH},
					   {"SCHED_IDLE", SCHED_IDLE},
					   {"SCHED_DEADLINE", SCHED_DEADLINE},
					   {NULL, 0}};

static const struct name_val sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK},
    {"SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM},
    {"SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN},
    {"SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY},
    {"SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX},
    {NULL, 0}};

static const struct name_val io_classes[] = {{"IOPRIO_CLASS_RT", IOPRIO_CLASS_RT},
					     {"IOPRIO_CLASS_BE", IOPRIO_CLASS_BE},
					     {"IOPRIO_CLASS_IDLE", IOPRIO_CLASS_IDLE},
					     {NULL, 0}};

static const struct name_val domains[] = {
    {"LINUX", PER_LINUX}, {"LINUX32", PER_LINUX32}, {NULL, 0}};

static int lookup(const struct name_val *t, const char *name, int *out)
{
	for (size_t i = 0; name && t[i].name; i++)
		if (!strcmp(t[i].name, name)) {
			*out = t[i].val;
			return 0;
		}
	return -1;
}

static int get_i64(const struct dk_json *o, const char *key, int64_t *out, struct dk_err *err)
{
	struct dk_json *v = dk_json_get(o, key);

	if (!v || dk_json_type(v) == DK_JSON_NULL)
		return 0;
	if (dk_json_int64(v, out) < 0)
		return dk_err_set(err, "%s: not a number", key);
	return 1;
}

static int get_u64(const struct dk_json *o, const char *key, uint64_t *out, struct dk_err *err)
{
	struct dk_json *v = dk_json_get(o, key);

	if (!v || dk_json_type(v) == DK_JSON_NULL)
		return 0;
	if (dk_json_uint64(v, out) < 0)
		return dk_err_set(err, "%s: not an unsigned number", key);
	return 1;
}

static int parse_ioprio(const struct dk_json *v, struct rt_procattr *a, struct dk_err *err)
{
	const char *cls = dk_json_get_str(v, "class");
	int64_t prio = 0;
	int c;

	if (!v || dk_json_type(v) == DK_JSON_NULL)
		return 0;
	if (lookup(io_classes, cls, &c) < 0)
		return dk_err_set(err,
				  "ioPriority: unknown class \"%s\" (IOPRIO_CLASS_RT, "
				  "IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)",
				  cls ? cls : "");
	if (get_i64(v, "priority", &prio, err) < 0)
		return dk_err_wrap(err, "ioPriority");
	if (prio < 0 || prio > 7)
		return dk_err_set(err, "ioPriority: priority %lld is outside 0..7",
				  (long long)prio);
	a->has_ioprio = true;
	a->ioprio = IOPRIO_PRIO_VALUE(c, (int)prio);
	return 0;
}

static int parse_sched_flags(const struct dk_json *f, uint64_t *out, struct dk_err *err)
{
	for (size_t i = 0; i < dk_json_len(f); i++) {
		const char *n = dk_json_str(dk_json_at(f, i));
		int bit;

		if (lookup(sched_flags, n, &bit) < 0)
			return dk_err_set(err, "scheduler: unknown flag \"%s\"", n ? n : "");
		*out |= (uint64_t)bit;
	}
	return 0;
}

static int parse_sched(const struct dk_json *v, struct rt_procattr *a, struct dk_err *err)
{
	const char *pol = dk_json_get_str(v, "policy");
	int64_t nice = 0, prio = 0;
	int p;

	if (!v || dk_json_type(v) == DK_JSON_NULL)
		return 0;
	if (lookup(policies, pol, &p) < 0)
		return dk_err_set(err,
				  "scheduler: unknown policy \"%s\" (SCHED_OTHER, SCHED_FIFO, "
				  "SCHED_RR, SCHED_BATCH, SCHED_IDLE or SCHED_DEADLINE)",
				  pol ? pol : "");
	if (get_i64(v, "nice", &nice, err) < 0 || get_i64(v, "priority", &prio, err) < 0 ||
	    get_u64(v, "runtime", &a->sched_runtime, err) < 0 ||
	    get_u64(v, "deadline", &a->sched_deadline, err) < 0 ||
	    get_u64(v, "period", &a->sched_period, err) < 0 ||
	    parse_sched_flags(dk_json_get(v, "flags"), &a->sched_flags, err) < 0)
		return dk_err_wrap(err, "scheduler");
	if (nice < -20 || nice > 19)
		return dk_err_set(err, "scheduler: nice %lld is outside -20..19", (long long)nice);
	if (prio < 0 || prio > 99)
		return dk_err_set(err, "scheduler: priority %lld is outside 0..99",
				  (long long)prio);
	if ((p == SCHED_FIFO || p == SCHED_RR) != (prio != 0))
		return dk_err_set(err, "scheduler: %s needs a priority %s", pol,
				  prio ? "of 0" : "between 1 and 99");
	a->has_sched = true;
	a->sched_policy = p;
	a->sched_nice = (int)nice;
	a->sched_priority = (unsigned)prio;
	return 0;
}

int rt_procattr_parse(const struct dk_json *process, struct rt_procattr *a, struct dk_err *err)
{
	if (parse_ioprio(dk_json_get(process, "ioPriority"), a, err) < 0 ||
	    parse_sched(dk_json_get(process, "scheduler"), a, err) < 0)
		return dk_err_wrap(err, "process");
	return 0;
}

int rt_personality_parse(const struct dk_json *v, int *out, struct dk_err *err)
{
	const char *d = dk_json_get_str(v, "domain");

	*out = -1;
	if (!v || dk_json_type(v) == DK_JSON_NULL)
		return 0;
	if (lookup(domains, d, out) < 0)
		return dk_err_set(
		    err, "linux.personality: unknown domain \"%s\" (LINUX or LINUX32)", d ? d : "");
	/* the spec defines no flag values yet */
	if (dk_json_len(dk_json_get(v, "flags")) > 0)
		return dk_err_set(err, "linux.personality: flags are not supported (the "
				       "runtime-spec defines none)");
	return 0;
}

int rt_personality_apply(int domain, struct dk_err *err)
{
	if (domain >= 0 && personality((unsigned long)domain) < 0)
		return dk_err_sys(err, "setting personality %s",
				  domain == PER_LINUX32 ? "LINUX32" : "LINUX");
	return 0;
}

int rt_procattr_apply(const struct rt_procattr *a, struct dk_err *err)
{
	if (a->has_ioprio && syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, a->ioprio) < 0)
		return dk_err_sys(err, "setting ioPriority class %d level %d",
				  (int)IOPRIO_PRIO_CLASS(a->ioprio),
				  (int)IOPRIO_PRIO_DATA(a->ioprio));
	if (a->has_sched) {
		struct sched_attr_v1 s = {.size = sizeof(s),
					  .policy = (uint32_t)a->sched_policy,
					  .flags = a->sched_flags,
					  .nice = a->sched_nice,
					  .priority = a->sched_priority,
					  .runtime = a->sched_runtime,
					  .deadline = a->sched_deadline,
					  .period = a->sched_period};
		if (syscall(SYS_sched_setattr, 0, &s, 0) < 0)
			return dk_err_sys(err, "setting scheduler policy %d", a->sched_policy);
	}
	return 0;
}
