// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup_res.c: linux.resources -> cgroup file writes (v1 and v2 forms). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cgroup.h"
#include "cgroup_res.h"

static struct rt_cg_set *add(struct rt_resources *r, const char *what, const char *ctrl)
{
	struct rt_cg_set *n = realloc(r->set, (r->n + 1) * sizeof(*n));

	if (!n)
		return NULL;
	r->set = n;
	n = &r->set[r->n++];
	memset(n, 0, sizeof(*n));
	n->what = what;
	n->ctrl = ctrl;
	return n;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* A number member as text ("max" on v2 for -1), or NULL when absent. */
static const char *num(const struct dk_json *o, const char *key)
{
	return dk_json_number_text(dk_json_get(o, key));
}

static void both(struct rt_resources *r, const char *what, const char *ctrl, const char *v1f,
		 const char *v1v, const char *v2f, const char *v2v)
{
	struct rt_cg_set *s = add(r, what, ctrl);

	if (!s)
		return;
	s->v1file = v1f ? strdup(v1f) : NULL;
	s->v1val = v1v ? strdup(v1v) : NULL;
	s->v2file = v2f ? strdup(v2f) : NULL;
	s->v2val = v2v ? strdup(v2v) : NULL;
}

static const char *v2max(const char *n)
{
	return n && n[0] == '-' ? "max" : n;
}

static void memory(struct rt_resources *r, const struct dk_json *m)
{
	const char *lim = num(m, "limit"), *swap = num(m, "swap");
	const char *v;

	if (lim)
		both(r, "memory.limit", "memory", "memory.limit_in_bytes", lim, "memory.max",
		     v2max(lim));
	if (!swap && lim && lim[0] == '-' && lim[1] == '1' && !lim[2]) {
		/* as runc: no memory limit means no memory+swap limit (v1) */
		both(r, "memory.swap", "memory", "memory.memsw.limit_in_bytes", "-1", NULL, NULL);
		r->set[r->n - 1].optional = true;
	}
	if (swap) {
		char *v2 = NULL;
		if (swap[0] != '-' && lim && lim[0] != '-')
			v2 = fmt("%lld", atoll(swap) - atoll(lim));
		both(r, "memory.swap", "memory", "memory.memsw.limit_in_bytes", swap,
		     "memory.swap.max", v2 ? v2 : "max");
		free(v2);
	}
	if ((v = num(m, "reservation")))
		both(r, "memory.reservation", "memory", "memory.soft_limit_in_bytes", v,
		     "memory.low", v2max(v));
	if ((v = num(m, "swappiness")))
		both(r, "memory.swappiness", "memory", "memory.swappiness", v, NULL, NULL);
	if ((v = num(m, "kernel"))) {
		both(r, "memory.kernel", "memory", "memory.kmem.limit_in_bytes", v, NULL, NULL);
		r->set[r->n - 1].optional = true;
	}
	if ((v = num(m, "kernelTCP"))) {
		both(r, "memory.kernelTCP", "memory", "memory.kmem.tcp.limit_in_bytes", v, NULL,
		     NULL);
		r->set[r->n - 1].optional = true;
	}
	if (dk_json_is_true(dk_json_get(m, "disableOOMKiller")))
		both(r, "memory.disableOOMKiller", "memory", "memory.oom_control", "1",
		     "memory.oom.group", "0");
}

static void cpu(struct rt_resources *r, const struct dk_json *c)
{
	const char *v, *q = num(c, "quota"), *p = num(c, "period");

	if ((v = num(c, "shares"))) {
		unsigned long long sh = strtoull(v, NULL, 10);
		char *w = fmt("%llu", sh ? 1 + ((sh - 2) * 9999) / 262142 : 100);
		both(r, "cpu.shares", "cpu", "cpu.shares", v, "cpu.weight", w);
		free(w);
	}
	if (p) {
		char *m = fmt("max %s", p);
		both(r, "cpu.period", "cpu", "cpu.cfs_period_us", p, q ? NULL : "cpu.max",
		     q ? NULL : m);
		free(m);
	}
	if (q) {
		char *m = fmt("%s %s", q[0] != '-' ? q : "max", p ? p : "100000");
		both(r, "cpu.quota", "cpu", "cpu.cfs_quota_us", q, "cpu.max", m);
		free(m);
	}
	if ((v = num(c, "realtimePeriod")))
		both(r, "cpu.realtimePeriod", "cpu", "cpu.rt_period_us", v, NULL, NULL);
	if ((v = num(c, "realtimeRuntime")))
		both(r, "cpu.realtimeRuntime", "cpu", "cpu.rt_runtime_us", v, NULL, NULL);
	if ((v = dk_json_get_str(c, "cpus")) && *v)
		both(r, "cpu.cpus", "cpuset", "cpuset.cpus", v, "cpuset.cpus", v);
	if ((v = dk_json_get_str(c, "mems")) && *v)
		both(r, "cpu.mems", "cpuset", "cpuset.mems", v, "cpuset.mems", v);
}

static char *devnum(const struct dk_json *e)
{
	return fmt("%s:%s", num(e, "major") ? num(e, "major") : "0",
		   num(e, "minor") ? num(e, "minor") : "0");
}

static void throttle(struct rt_resources *r, const struct dk_json *b, const char *key,
		     const char *v1f, const char *v2key)
{
	struct dk_json *a = dk_json_get(b, key);

	for (size_t i = 0; i < dk_json_len(a); i++) {
		struct dk_json *e = dk_json_at(a, i);
		char *d = devnum(e);
		char *v1 = fmt("%s %s", d, num(e, "rate") ? num(e, "rate") : "0");
		char *v2 = fmt("%s %s=%s", d, v2key, num(e, "rate") ? num(e, "rate") : "max");
		both(r, "blockIO.throttle", "blkio", v1f, v1, "io.max", v2);
		r->set[r->n - 1].ctrl = "blkio";
		free(d);
		free(v1);
		free(v2);
	}
}

static void blkio(struct rt_resources *r, const struct dk_json *b)
{
	const char *v;
	struct dk_json *wd = dk_json_get(b, "weightDevice");

	if ((v = num(b, "weight")))
		both(r, "blockIO.weight", "blkio", "blkio.weight", v, "io.bfq.weight", v);
	if ((v = num(b, "leafWeight")))
		both(r, "blockIO.leafWeight", "blkio", "blkio.leaf_weight", v, NULL, NULL);
	for (size_t i = 0; i < dk_json_len(wd); i++) {
		struct dk_json *e = dk_json_at(wd, i);
		char *d = devnum(e);
		char *x = fmt("%s %s", d, num(e, "weight") ? num(e, "weight") : "0");
		both(r, "blockIO.weightDevice", "blkio", "blkio.weight_device", x, "io.bfq.weight",
		     x);
		free(d);
		free(x);
	}
	throttle(r, b, "throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps");
	throttle(r, b, "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps");
	throttle(r, b, "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops");
	throttle(r, b, "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops");
}

static void hugetlb(struct rt_resources *r, const struct dk_json *a)
{
	for (size_t i = 0; i < dk_json_len(a); i++) {
		struct dk_json *e = dk_json_at(a, i);
		const char *sz = dk_json_get_str(e, "pageSize");
		const char *lim = num(e, "limit");
		char *f1, *f2;
		if (!sz || !lim)
			continue;
		f1 = fmt("hugetlb.%s.limit_in_bytes", sz);
		f2 = fmt("hugetlb.%s.max", sz);
		both(r, "hugepageLimits", "hugetlb", f1, lim, f2, lim);
		free(f1);
		free(f2);
	}
}

static void device_rule(struct rt_resources *r, bool allow, const char *type, const char *maj,
			const char *min, const char *access)
{
	char *v = fmt("%s %s:%s %s", type, maj, min, access);

	both(r, "devices", "devices", allow ? "devices.allow" : "devices.deny", v, NULL, NULL);
	r->set[r->n - 1].optional = true;
	free(v);
}

/* The cgroup v2 form of all device rules at once: one eBPF program. */
static void bpf_rules(struct rt_resources *r)
{
	char *text = calloc(1, 1);

	for (size_t i = 0; text && i < r->n; i++) {
		char t, maj[24], min[24], acc[8], *n;
		if (!r->set[i].v1file || strncmp(r->set[i].v1file, "devices.", 8) ||
		    sscanf(r->set[i].v1val, "%c %23[^:]:%23s %7s", &t, maj, min, acc) != 4)
			continue;
		n = fmt("%s%c %c %s %s %s\n", text,
			!strcmp(r->set[i].v1file, "devices.allow") ? 'A' : 'D', t,
			strcmp(maj, "*") ? maj : "-1", strcmp(min, "*") ? min : "-1", acc);
		free(text);
		text = n;
	}
	if (!text)
		return;
	both(r, "devices", "devices", NULL, NULL, RT_DEVICES_BPF, text);
	free(text);
}

static void devices(struct rt_resources *r, const struct dk_json *a)
{
	static const char *defaults[][3] = {
	    {"c", "1", "3"},   {"c", "1", "5"}, {"c", "1", "7"}, {"c", "1", "8"},
	    {"c", "1", "9"},   {"c", "5", "0"}, {"c", "5", "1"}, {"c", "5", "2"},
	    {"c", "136", "*"}, {"c", "*", "*"}, {"b", "*", "*"},
	};
	bool deny_all = false;

	for (size_t i = 0; i < dk_json_len(a); i++) {
		struct dk_json *e = dk_json_at(a, i);
		const char *t = dk_json_get_str(e, "type");
		const char *acc = dk_json_get_str(e, "access");
		bool allow = dk_json_is_true(dk_json_get(e, "allow"));
		const char *maj = num(e, "major"), *min = num(e, "minor");
		if (!t || !*t || !strcmp(t, "a"))
			t = "a";
		if (!strcmp(t, "a") && !allow && !maj && !min)
			deny_all = true;
		device_rule(r, allow, t, maj && maj[0] != '-' ? maj : "*",
			    min && min[0] != '-' ? min : "*", acc ? acc : "rwm");
	}
	for (size_t i = 0; deny_all && i < sizeof(defaults) / sizeof(*defaults); i++)
		device_rule(r, true, defaults[i][0], defaults[i][1], defaults[i][2],
			    i >= 9 ? "m" : "rwm");
	if (dk_json_len(a))
		bpf_rules(r);
}

static void unified(struct rt_resources *r, const struct dk_json *u)
{
	for (size_t i = 0; i < dk_json_len(u); i++) {
		const char *k = dk_json_key_at(u, i);
		const char *v = dk_json_str(dk_json_at(u, i));
		if (k && v)
			both(r, "unified", "", NULL, NULL, k, v);
	}
}

struct rt_resources *rt_resources_parse(const struct dk_json *v, struct dk_err *err)
{
	struct rt_resources *r = calloc(1, sizeof(*r));
	const char *p;

	if (!r) {
		dk_err_errno(err, 12, "resources");
		return NULL;
	}
	if (!v)
		return r;
	memory(r, dk_json_get(v, "memory"));
	cpu(r, dk_json_get(v, "cpu"));
	if ((p = num(dk_json_get(v, "pids"), "limit")))
		both(r, "pids.limit", "pids", "pids.max", atoll(p) > 0 ? p : "max", "pids.max",
		     atoll(p) > 0 ? p : "max");
	blkio(r, dk_json_get(v, "blockIO"));
	hugetlb(r, dk_json_get(v, "hugepageLimits"));
	devices(r, dk_json_get(v, "devices"));
	unified(r, dk_json_get(v, "unified"));
	return r;
}

void rt_resources_free(struct rt_resources *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->set[i].v1file);
		free(r->set[i].v1val);
		free(r->set[i].v2file);
		free(r->set[i].v2val);
	}
	free(r->set);
	free(r);
}
