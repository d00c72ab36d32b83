// SPDX-License-Identifier: GPL-2.0-or-later
/* seccomp.c: build and load the seccomp filter with libseccomp. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include "seccomp.h"

/* a syscall has six arguments: one condition each at most */
#define SC_MAX_ARGS 6

struct sc_arg {
	unsigned index;
	uint64_t value, value2;
	char *op;
};

struct sc_rule {
	char **names;
	char *action;
	int errno_ret; /* -1: default */
	struct sc_arg *args;
	size_t n_args;
};

struct rt_seccomp {
	char *default_action;
	int default_errno; /* -1: EPERM */
	char **archs, **flags;
	char *listener, *metadata;
	struct sc_rule *rules;
	size_t n_rules;
};

static int get_errno(const struct dk_json *v, const char *key, int *out, struct dk_err *err)
{
	int64_t x;

	*out = -1;
	if (!dk_json_get(v, key))
		return 0;
	if (dk_json_int64(dk_json_get(v, key), &x) < 0 || x < 0 || x > 4095)
		return dk_err_set(err, "%s: not an errno value", key);
	*out = (int)x;
	return 0;
}

static int parse_rule(const struct dk_json *r, struct sc_rule *o, struct dk_err *err)
{
	struct dk_json *a = dk_json_get(r, "args");
	const char *act = dk_json_get_str(r, "action");

	o->names = dk_json_strv(dk_json_get(r, "names"), "names", err);
	if (!o->names)
		return -1;
	if (!act)
		return dk_err_set(err, "syscalls: a rule has no action");
	o->action = strdup(act);
	if (get_errno(r, "errnoRet", &o->errno_ret, err) < 0)
		return -1;
	o->n_args = dk_json_len(a);
	o->args = calloc(o->n_args + 1, sizeof(*o->args));
	for (size_t i = 0; i < o->n_args; i++) {
		struct dk_json *e = dk_json_at(a, i);
		uint64_t idx = 0;
		const char *op = dk_json_get_str(e, "op");
		if (dk_json_uint64(dk_json_get(e, "index"), &idx) < 0 || idx > 5 ||
		    dk_json_uint64(dk_json_get(e, "value"), &o->args[i].value) < 0 || !op)
			return dk_err_set(err, "syscalls: bad argument rule");
		o->args[i].index = (unsigned)idx;
		dk_json_uint64(dk_json_get(e, "valueTwo"), &o->args[i].value2);
		o->args[i].op = strdup(op);
	}
	return 0;
}

struct rt_seccomp *rt_seccomp_parse(const struct dk_json *v, struct dk_err *err)
{
	struct rt_seccomp *sc = calloc(1, sizeof(*sc));
	struct dk_json *rules = dk_json_get(v, "syscalls");
	const char *def = dk_json_get_str(v, "defaultAction");

	if (!def) {
		dk_err_set(err, "defaultAction is missing");
		goto fail;
	}
	sc->default_action = strdup(def);
	if (get_errno(v, "defaultErrnoRet", &sc->default_errno, err) < 0)
		goto fail;
	sc->archs = dk_json_strv(dk_json_get(v, "architectures"), "architectures", err);
	sc->flags = dk_json_strv(dk_json_get(v, "flags"), "flags", err);
	if (!sc->archs || !sc->flags)
		goto fail;
	if (dk_json_get_str(v, "listenerPath"))
		sc->listener = strdup(dk_json_get_str(v, "listenerPath"));
	sc->metadata = strdup(
	    dk_json_get_str(v, "listenerMetadata") ? dk_json_get_str(v, "listenerMetadata") : "");
	sc->n_rules = dk_json_len(rules);
	sc->rules = calloc(sc->n_rules + 1, sizeof(*sc->rules));
	for (size_t i = 0; i < sc->n_rules; i++)
		if (parse_rule(dk_json_at(rules, i), &sc->rules[i], err) < 0) {
			dk_err_wrap(err, "syscalls[%zu]", i);
			goto fail;
		}
	return sc;
fail:
	rt_seccomp_free(sc);
	return NULL;
}

void rt_seccomp_free(struct rt_seccomp *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; sc->rules && i < sc->n_rules; i++) {
		dk_strv_free(sc->rules[i].names);
		free(sc->rules[i].action);
		for (size_t j = 0; j < sc->rules[i].n_args; j++)
			free(sc->rules[i].args[j].op);
		free(sc->rules[i].args);
	}
	free(sc->rules);
	free(sc->default_action);
	dk_strv_free(sc->archs);
	dk_strv_free(sc->flags);
	free(sc->listener);
	free(sc->metadata);
	free(sc);
}

const char *rt_seccomp_listener(const struct rt_seccomp *sc)
{
	return sc ? sc->listener : NULL;
}

const char *rt_seccomp_metadata(const struct rt_seccomp *sc)
{
	return sc && sc->metadata ? sc->metadata : "";
}

static int action(const char *name, int errno_ret, uint32_t *out, struct dk_err *err)
{
	if (!strcmp(name, "SCMP_ACT_KILL") || !strcmp(name, "SCMP_ACT_KILL_THREAD"))
		*out = SCMP_ACT_KILL_THREAD;
	else if (!strcmp(name, "SCMP_ACT_KILL_PROCESS"))
		*out = SCMP_ACT_KILL_PROCESS;
	else if (!strcmp(name, "SCMP_ACT_TRAP"))
		*out = SCMP_ACT_TRAP;
	else if (!strcmp(name, "SCMP_ACT_ERRNO"))
		*out = SCMP_ACT_ERRNO(errno_ret >= 0 ? errno_ret : EPERM);
	else if (!strcmp(name, "SCMP_ACT_TRACE"))
		*out = SCMP_ACT_TRACE(errno_ret >= 0 ? errno_ret : EPERM);
	else if (!strcmp(name, "SCMP_ACT_ALLOW"))
		*out = SCMP_ACT_ALLOW;
	else if (!strcmp(name, "SCMP_ACT_LOG"))
		*out = SCMP_ACT_LOG;
	else if (!strcmp(name, "SCMP_ACT_NOTIFY"))
		*out = SCMP_ACT_NOTIFY;
	else
		return dk_err_set(err, "unknown action \"%s\"", name);
	return 0;
}

static int arch(const char *name, uint32_t *out, struct dk_err *err)
{
	static const struct {
		const char *name;
		uint32_t arch;
	} t[] = {
	    {"SCMP_ARCH_X86", SCMP_ARCH_X86},		{"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
	    {"SCMP_ARCH_X32", SCMP_ARCH_X32},		{"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
	    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},	{"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
	    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},	{"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
	    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64}, {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
	    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},	{"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
	    {"SCMP_ARCH_S390", SCMP_ARCH_S390},		{"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
	    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (!strcmp(t[i].name, name)) {
			*out = t[i].arch;
			return 0;
		}
	return dk_err_set(err, "unknown architecture \"%s\"", name);
}

static int compare_op(const char *op, enum scmp_compare *out, struct dk_err *err)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} t[] = {
	    {"SCMP_CMP_NE", SCMP_CMP_NE},
	    {"SCMP_CMP_LT", SCMP_CMP_LT},
	    {"SCMP_CMP_LE", SCMP_CMP_LE},
	    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
	    {"SCMP_CMP_GE", SCMP_CMP_GE},
	    {"SCMP_CMP_GT", SCMP_CMP_GT},
	    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (!strcmp(t[i].name, op)) {
			*out = t[i].op;
			return 0;
		}
	return dk_err_set(err, "unknown operator \"%s\"", op);
}

int rt_seccomp_check(const struct rt_seccomp *sc, struct dk_err *err)
{
	uint32_t a;
	enum scmp_compare op = SCMP_CMP_EQ;

	if (!sc)
		return 0;
	if (action(sc->default_action, sc->default_errno, &a, err) < 0)
		return dk_err_wrap(err, "seccomp");
	for (size_t i = 0; sc->archs[i]; i++)
		if (arch(sc->archs[i], &a, err) < 0)
			return dk_err_wrap(err, "seccomp");
	for (size_t i = 0; sc->flags[i]; i++)
		if (strcmp(sc->flags[i], "SECCOMP_FILTER_FLAG_LOG") &&
		    strcmp(sc->flags[i], "SECCOMP_FILTER_FLAG_SPEC_ALLOW") &&
		    strcmp(sc->flags[i], "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") &&
		    strcmp(sc->flags[i], "SECCOMP_FILTER_FLAG_TSYNC"))
			return dk_err_set(err, "seccomp: unknown flag \"%s\"", sc->flags[i]);
	for (size_t i = 0; i < sc->n_rules; i++) {
		if (action(sc->rules[i].action, sc->rules[i].errno_ret, &a, err) < 0)
			return dk_err_wrap(err, "seccomp: syscalls[%zu]", i);
		if (sc->rules[i].n_args > SC_MAX_ARGS)
			return dk_err_set(
			    err, "seccomp: syscalls[%zu]: %zu argument conditions, at most %d", i,
			    sc->rules[i].n_args, SC_MAX_ARGS);
		for (size_t j = 0; j < sc->rules[i].n_args; j++)
			if (compare_op(sc->rules[i].args[j].op, &op, err) < 0)
				return dk_err_wrap(err, "seccomp: syscalls[%zu]", i);
	}
	return 0;
}

static int set_flags(scmp_filter_ctx ctx, const struct rt_seccomp *sc, struct dk_err *err)
{
	for (size_t i = 0; sc->flags[i]; i++) {
		int rc = 0;
		if (!strcmp(sc->flags[i], "SECCOMP_FILTER_FLAG_LOG"))
			rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
		else if (!strcmp(sc->flags[i], "SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
			rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
		else if (!strcmp(sc->flags[i], "SECCOMP_FILTER_FLAG_TSYNC"))
			rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
#ifdef SCMP_FLTATR_CTL_WAITKILL
		else if (!strcmp(sc->flags[i], "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"))
			rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_WAITKILL, 1);
#else
		else
			return dk_err_set(err, "seccomp: flag %s needs a newer libseccomp",
					  sc->flags[i]);
#endif
		if (rc < 0)
			return dk_err_errno(err, -rc, "seccomp: flag %s", sc->flags[i]);
	}
	return 0;
}

static int add_rule(scmp_filter_ctx ctx, const struct sc_rule *r, uint32_t def, struct dk_err *err)
{
	struct scmp_arg_cmp cmp[SC_MAX_ARGS];
	uint32_t act;
	enum scmp_compare op = SCMP_CMP_EQ;

	if (action(r->action, r->errno_ret, &act, err) < 0)
		return -1;
	if (act == def)
		return 0;
	if (r->n_args > SC_MAX_ARGS)
		return dk_err_set(err, "seccomp: %zu argument conditions, at most %d", r->n_args,
				  SC_MAX_ARGS);
	for (size_t j = 0; j < r->n_args; j++) {
		if (compare_op(r->args[j].op, &op, err) < 0)
			return -1;
		cmp[j] = (struct scmp_arg_cmp){r->args[j].index, op, r->args[j].value,
					       r->args[j].value2};
	}
	for (size_t i = 0; r->names[i]; i++) {
		int nr = seccomp_syscall_resolve_name(r->names[i]);
		int rc;
		if (nr == __NR_SCMP_ERROR)
			continue; /* unknown here: skipped, as runc does */
		rc = seccomp_rule_add_array(ctx, act, nr, (unsigned)r->n_args, cmp);
		if (rc < 0)
			return dk_err_errno(err, -rc, "seccomp: adding a rule for %s", r->names[i]);
	}
	return 0;
}

int rt_seccomp_load(const struct rt_seccomp *sc, int *notify_fd, struct dk_err *err)
{
	scmp_filter_ctx ctx;
	uint32_t def, a = 0;
	int rc = -1;
	bool notify = false;

	*notify_fd = -1;
	if (action(sc->default_action, sc->default_errno, &def, err) < 0)
		return -1;
	ctx = seccomp_init(def);
	if (!ctx)
		return dk_err_set(err, "seccomp_init failed");
	/* libseccomp would set no_new_privs itself; the config decides
	 * (process.noNewPrivileges), as with runc */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc < 0) {
		rc = dk_err_errno(err, -rc, "seccomp: clearing the no_new_privs attribute");
		goto out;
	}
	rc = -1;
	for (size_t i = 0; sc->archs[i]; i++) {
		arch(sc->archs[i], &a, err);
		int r = seccomp_arch_add(ctx, a);
		if (r < 0 && r != -EEXIST) {
			dk_err_errno(err, -r, "seccomp: adding architecture %s", sc->archs[i]);
			goto out;
		}
	}
	if (set_flags(ctx, sc, err) < 0)
		goto out;
	for (size_t i = 0; i < sc->n_rules; i++) {
		if (add_rule(ctx, &sc->rules[i], def, err) < 0)
			goto out;
		notify |= strcmp(sc->rules[i].action, "SCMP_ACT_NOTIFY") == 0;
	}
	rc = seccomp_load(ctx);
	if (rc < 0) {
		rc = dk_err_errno(err, -rc, "loading the seccomp filter");
		goto out;
	}
	if (notify) {
		*notify_fd = seccomp_notify_fd(ctx);
		if (*notify_fd < 0) {
			rc = dk_err_set(err, "seccomp: no notify fd");
			goto out;
		}
	}
	rc = 0;
out:
	seccomp_release(ctx);
	return rc;
}
