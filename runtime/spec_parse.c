// SPDX-License-Identifier: GPL-2.0-or-later
/* spec_parse.c: config.json -> struct rt_spec, no side effects. */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include "cleanup.h"
#include "fs.h"
#include "spec.h"
#include "seccomp.h"
#include "cgroup.h"

#define CFG_MAX (4 << 20)

static const struct {
	const char *name;
	int type;
} ns_names[] = {
    {"pid", CLONE_NEWPID},	 {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
    {"ipc", CLONE_NEWIPC},	 {"uts", CLONE_NEWUTS},	    {"user", CLONE_NEWUSER},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

static const struct {
	const char *name;
	int res;
} rlimit_names[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

static const char *hook_names[RT_HOOK_KINDS] = {
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int get_u32(const struct dk_json *v, const char *key, uint32_t *out, struct dk_err *err)
{
	uint64_t u;
	struct dk_json *m = dk_json_get(v, key);

	if (!m)
		return 0;
	if (dk_json_uint64(m, &u) < 0 || u > UINT32_MAX)
		return dk_err_set(err, "%s: not a 32-bit unsigned number", key);
	*out = (uint32_t)u;
	return 1;
}

static int parse_user(const struct dk_json *u, struct rt_process *p, struct dk_err *err)
{
	uint32_t v = 0;
	struct dk_json *g = dk_json_get(u, "additionalGids");

	if (get_u32(u, "uid", &v, err) < 0)
		return -1;
	p->uid = v;
	v = 0;
	if (get_u32(u, "gid", &v, err) < 0)
		return -1;
	p->gid = v;
	if (get_u32(u, "umask", &v, err) < 0)
		return -1;
	if (dk_json_get(u, "umask")) {
		p->has_umask = true;
		p->umask = v & 0777;
	}
	p->n_gids = dk_json_len(g);
	p->gids = calloc(p->n_gids + 1, sizeof(gid_t));
	for (size_t i = 0; i < p->n_gids; i++) {
		uint64_t x;
		if (dk_json_uint64(dk_json_at(g, i), &x) < 0)
			return dk_err_set(err, "additionalGids: not a number");
		p->gids[i] = (gid_t)x;
	}
	return 0;
}

static int parse_rlimits(const struct dk_json *a, struct rt_process *p, struct dk_err *err)
{
	p->n_rlimits = dk_json_len(a);
	p->rlimits = calloc(p->n_rlimits + 1, sizeof(*p->rlimits));
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct dk_json *r = dk_json_at(a, i);
		const char *t = dk_json_get_str(r, "type");
		size_t k;

		for (k = 0; k < sizeof(rlimit_names) / sizeof(*rlimit_names); k++)
			if (t && strcmp(t, rlimit_names[k].name) == 0)
				break;
		if (k == sizeof(rlimit_names) / sizeof(*rlimit_names))
			return dk_err_set(err, "rlimits: unknown type \"%s\"", t ? t : "");
		p->rlimits[i].resource = rlimit_names[k].res;
		if (dk_json_uint64(dk_json_get(r, "soft"), &p->rlimits[i].soft) < 0 ||
		    dk_json_uint64(dk_json_get(r, "hard"), &p->rlimits[i].hard) < 0)
			return dk_err_set(err, "rlimits: %s: soft and hard must be numbers", t);
	}
	return 0;
}

static int parse_caps(const struct dk_json *c, struct rt_process *p, struct dk_err *err)
{
	static const char *names[RT_CAP_SETS] = {"bounding", "effective", "inheritable",
						 "permitted", "ambient"};

	/* no "capabilities" at all: no capabilities (the safe reading, as
	 * crun), not every capability the runtime has */
	p->has_caps = true;
	for (int i = 0; i < RT_CAP_SETS; i++) {
		p->caps[i] = dk_json_strv(dk_json_get(c, names[i]), names[i], err);
		if (!p->caps[i])
			return dk_err_wrap(err, "capabilities");
	}
	return 0;
}

/* Settings of the spec this runtime does not implement: refused by name,
 * never accepted and ignored (`runtime features` does not list them). */
static int refuse_unsupported(const struct dk_json *obj, const char *where, const char *const *keys,
			      struct dk_err *err)
{
	for (size_t i = 0; obj && keys[i]; i++)
		if (dk_json_get(obj, keys[i]) &&
		    dk_json_type(dk_json_get(obj, keys[i])) != DK_JSON_NULL)
			return dk_err_set(err, "%s.%s is not supported by this runtime", where,
					  keys[i]);
	return 0;
}

static const char *const linux_unsupported[] = {"intelRdt", "memoryPolicy", "netDevices", NULL};
static const char *const process_unsupported[] = {"execCPUAffinity", NULL};

int rt_process_parse(const struct dk_json *v, struct rt_process *p, struct dk_err *err)
{
	struct dk_json *cs = dk_json_get(v, "consoleSize");
	uint32_t x;

	memset(p, 0, sizeof(*p));
	if (dk_json_type(v) != DK_JSON_OBJECT)
		return dk_err_set(err, "process: missing or not an object");
	p->terminal = dk_json_is_true(dk_json_get(v, "terminal"));
	if (get_u32(cs, "height", &x, err) > 0)
		p->cons_h = x;
	if (get_u32(cs, "width", &x, err) > 0)
		p->cons_w = x;
	p->args = dk_json_strv(dk_json_get(v, "args"), "args", err);
	if (!p->args)
		return dk_err_wrap(err, "process");
	if (!p->args[0])
		return dk_err_set(err, "process: args must not be empty");
	p->env = dk_json_strv(dk_json_get(v, "env"), "env", err);
	if (!p->env)
		return dk_err_wrap(err, "process");
	p->cwd = strdup(dk_json_get_str(v, "cwd") ? dk_json_get_str(v, "cwd") : "/");
	if (p->cwd[0] != '/')
		return dk_err_set(err, "process: cwd \"%s\" is not absolute", p->cwd);
	if (parse_user(dk_json_get(v, "user"), p, err) < 0 ||
	    parse_rlimits(dk_json_get(v, "rlimits"), p, err) < 0 ||
	    parse_caps(dk_json_get(v, "capabilities"), p, err) < 0)
		return dk_err_wrap(err, "process");
	if (refuse_unsupported(v, "process", process_unsupported, err) < 0 ||
	    rt_procattr_parse(v, &p->attr, err) < 0)
		return -1;
	p->nnp = dk_json_is_true(dk_json_get(v, "noNewPrivileges"));
	if (dk_json_get(v, "oomScoreAdj")) {
		int64_t o;
		if (dk_json_int64(dk_json_get(v, "oomScoreAdj"), &o) < 0)
			return dk_err_set(err, "process: oomScoreAdj: not a number");
		p->has_oom = true;
		p->oom = (int)o;
	}
	p->apparmor = dup_or_null(dk_json_get_str(v, "apparmorProfile"));
	p->selinux = dup_or_null(dk_json_get_str(v, "selinuxLabel"));
	return 0;
}

void rt_process_clear(struct rt_process *p)
{
	free(p->gids);
	dk_strv_free(p->args);
	dk_strv_free(p->env);
	free(p->cwd);
	for (int i = 0; i < RT_CAP_SETS; i++)
		dk_strv_free(p->caps[i]);
	free(p->rlimits);
	free(p->apparmor);
	free(p->selinux);
	memset(p, 0, sizeof(*p));
}

static int parse_namespaces(const struct dk_json *a, struct rt_spec *s, struct dk_err *err)
{
	size_t len = dk_json_len(a);

	s->n_ns = 0;
	s->ns = calloc(len + 1, sizeof(*s->ns));
	for (size_t i = 0; i < len; i++) {
		struct dk_json *n = dk_json_at(a, i);
		const char *t = dk_json_get_str(n, "type");
		const char *path = dk_json_get_str(n, "path");
		bool same = false;
		size_t k;

		for (k = 0; k < sizeof(ns_names) / sizeof(*ns_names); k++)
			if (t && strcmp(t, ns_names[k].name) == 0)
				break;
		if (k == sizeof(ns_names) / sizeof(*ns_names))
			return dk_err_set(err, "namespaces: unknown type \"%s\"", t ? t : "");
		if (path && !*path)
			path = NULL;
		for (size_t j = 0; j < s->n_ns; j++) {
			if (s->ns[j].type != ns_names[k].type)
				continue;
			/* the same entry twice (a tool added one that was
			 * there) means the same thing once; two that differ
			 * are an error */
			if ((!path && !s->ns[j].path) ||
			    (path && s->ns[j].path && !strcmp(path, s->ns[j].path))) {
				same = true;
				break;
			}
			return dk_err_set(err, "namespaces: \"%s\" given twice", t);
		}
		if (same)
			continue;
		s->ns[s->n_ns].type = ns_names[k].type;
		s->ns[s->n_ns++].path = dup_or_null(path);
	}
	return 0;
}

static int parse_idmaps(const struct dk_json *a, struct rt_idmap **out, size_t *n,
			struct dk_err *err)
{
	*n = dk_json_len(a);
	*out = calloc(*n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct dk_json *m = dk_json_at(a, i);
		if (get_u32(m, "containerID", &(*out)[i].container, err) <= 0 ||
		    get_u32(m, "hostID", &(*out)[i].host, err) <= 0 ||
		    get_u32(m, "size", &(*out)[i].size, err) <= 0)
			return dk_err_set(
			    err, "id mappings: entry %zu needs containerID, hostID and size", i);
	}
	return 0;
}

/* Mount options of the spec we do not implement (tmpcopyup): refused rather than handed to the filesystem as data, where a
 * bind mount would silently ignore them. */
static bool unsupported_option(const char *w)
{
	static const char *const no[] = {"tmpcopyup", NULL};

	for (size_t i = 0; no[i]; i++)
		if (!strcmp(no[i], w))
			return true;
	return false;
}

/* Mappings on a mount make it idmapped; idmap or ridmap alone is refused
 * here (the container's own maps are not taken for it). */
static int check_idmount(struct rt_mount *o, size_t i, struct dk_err *err)
{
	if (o->n_uidmap || o->n_gidmap)
		o->idmap = true;
	if (!o->idmap)
		return 0;
	if (!o->n_uidmap || !o->n_gidmap)
		return dk_err_set(err,
				  "mounts[%zu]: an idmapped mount needs uidMappings and "
				  "gidMappings",
				  i);
	if (!o->bind || !o->source)
		return dk_err_set(err, "mounts[%zu]: only bind mounts can be idmapped", i);
	return 0;
}

static int parse_mounts(const struct dk_json *a, struct rt_spec *s, struct dk_err *err)
{
	s->n_mounts = dk_json_len(a);
	s->mounts = calloc(s->n_mounts + 1, sizeof(*s->mounts));
	for (size_t i = 0; i < s->n_mounts; i++) {
		struct dk_json *m = dk_json_at(a, i);
		struct rt_mount *o = &s->mounts[i];
		struct dk_json *opts = dk_json_get(m, "options");
		const char *d = dk_json_get_str(m, "destination");

		if (!d || d[0] != '/')
			return dk_err_set(err,
					  "mounts[%zu]: destination \"%s\" is not an absolute path",
					  i, d ? d : "");
		o->dest = strdup(d);
		o->type = dup_or_null(dk_json_get_str(m, "type"));
		o->source = dup_or_null(dk_json_get_str(m, "source"));
		o->src_fd = -1;
		if (parse_idmaps(dk_json_get(m, "uidMappings"), &o->uidmap, &o->n_uidmap, err) <
			0 ||
		    parse_idmaps(dk_json_get(m, "gidMappings"), &o->gidmap, &o->n_gidmap, err) < 0)
			return dk_err_wrap(err, "mounts[%zu]", i);
		for (size_t j = 0; j < dk_json_len(opts); j++) {
			const char *w = dk_json_str(dk_json_at(opts, j));
			if (!w)
				return dk_err_set(err, "mounts[%zu]: options must be strings", i);
			if (rt_mount_option(w, o))
				continue;
			if (unsupported_option(w))
				return dk_err_set(
				    err,
				    "mounts[%zu]: option \"%s\" is not supported by this runtime",
				    i, w);
			size_t ol = o->data ? strlen(o->data) : 0;
			char *nd = realloc(o->data, ol + strlen(w) + 2);
			if (!nd)
				return dk_err_errno(err, 12, "mount options");
			sprintf(nd + ol, "%s%s", ol ? "," : "", w);
			o->data = nd;
		}
		if (o->type && strcmp(o->type, "bind") == 0)
			o->bind = true;
		if (check_idmount(o, i, err) < 0)
			return -1;
	}
	return 0;
}

static int parse_devices(const struct dk_json *a, struct rt_spec *s, struct dk_err *err)
{
	s->n_devices = dk_json_len(a);
	s->devices = calloc(s->n_devices + 1, sizeof(*s->devices));
	for (size_t i = 0; i < s->n_devices; i++) {
		struct dk_json *d = dk_json_at(a, i);
		struct rt_device *o = &s->devices[i];
		const char *p = dk_json_get_str(d, "path");
		const char *t = dk_json_get_str(d, "type");
		uint32_t v;

		if (!p || p[0] != '/' || !t || strlen(t) != 1 || !strchr("cbup", t[0]))
			return dk_err_set(
			    err, "devices[%zu]: needs an absolute path and type c, b, u or p", i);
		o->path = strdup(p);
		o->type = t[0];
		dk_json_int64(dk_json_get(d, "major"), &o->major);
		dk_json_int64(dk_json_get(d, "minor"), &o->minor);
		if (get_u32(d, "fileMode", &v, err) > 0)
			o->has_mode = true, o->mode = v;
		if (get_u32(d, "uid", &v, err) > 0)
			o->has_uid = true, o->uid = v;
		if (get_u32(d, "gid", &v, err) > 0)
			o->has_gid = true, o->gid = v;
	}
	return 0;
}

static int parse_hooks(const struct dk_json *h, struct rt_spec *s, struct dk_err *err)
{
	for (int k = 0; k < RT_HOOK_KINDS; k++) {
		struct dk_json *a = dk_json_get(h, hook_names[k]);
		s->n_hooks[k] = dk_json_len(a);
		s->hooks[k] = calloc(s->n_hooks[k] + 1, sizeof(struct rt_hook));
		for (size_t i = 0; i < s->n_hooks[k]; i++) {
			struct dk_json *e = dk_json_at(a, i);
			struct rt_hook *o = &s->hooks[k][i];
			int64_t t = 0;
			const char *p = dk_json_get_str(e, "path");

			if (!p || p[0] != '/')
				return dk_err_set(err, "hooks: %s[%zu]: path must be absolute",
						  hook_names[k], i);
			o->path = strdup(p);
			o->args = dk_json_strv(dk_json_get(e, "args"), "args", err);
			o->env = dk_json_strv(dk_json_get(e, "env"), "env", err);
			if (!o->args || !o->env)
				return dk_err_wrap(err, "hooks: %s", hook_names[k]);
			if (dk_json_get(e, "timeout") &&
			    (dk_json_int64(dk_json_get(e, "timeout"), &t) < 0 || t <= 0))
				return dk_err_set(err, "hooks: %s[%zu]: timeout must be positive",
						  hook_names[k], i);
			o->timeout = (int)t;
		}
	}
	return 0;
}

/* linux.sysctl: an object of strings (runc's map[string]string). */
static int parse_sysctl(const struct dk_json *o, struct rt_spec *s, struct dk_err *err)
{
	if (!o)
		return 0;
	if (dk_json_type(o) != DK_JSON_OBJECT)
		return dk_err_set(err, "linux.sysctl: want an object of strings");
	s->n_sysctl = dk_json_len(o);
	s->sysctl = calloc(s->n_sysctl + 1, sizeof(*s->sysctl));
	if (!s->sysctl)
		return dk_err_sys(err, "linux.sysctl");
	for (size_t i = 0; i < s->n_sysctl; i++) {
		const char *v = dk_json_str(dk_json_at(o, i));

		if (!v)
			return dk_err_set(err, "linux.sysctl: %s: want a string value",
					  dk_json_key_at(o, i));
		s->sysctl[i].key = strdup(dk_json_key_at(o, i));
		s->sysctl[i].value = strdup(v);
		if (!s->sysctl[i].key || !s->sysctl[i].value)
			return dk_err_sys(err, "linux.sysctl");
	}
	return 0;
}

static unsigned long parse_prop(const char *p, struct dk_err *err, bool *bad)
{
	struct rt_mount m = {0};

	*bad = false;
	if (!p || !*p)
		return 0;
	if (!rt_mount_option(p, &m) || !m.prop) {
		*bad = true;
		dk_err_set(err, "rootfsPropagation: unknown value \"%s\"", p);
	}
	return m.prop;
}

static int parse_timens(const struct dk_json *o, struct rt_spec *s)
{
	struct dk_json *m = dk_json_get(o, "monotonic");
	struct dk_json *b = dk_json_get(o, "boottime");

	if (!m && !b)
		return 0;
	s->has_timens_offsets = true;
	dk_json_int64(dk_json_get(m, "secs"), &s->timens_mono[0]);
	dk_json_int64(dk_json_get(m, "nanosecs"), &s->timens_mono[1]);
	dk_json_int64(dk_json_get(b, "secs"), &s->timens_boot[0]);
	dk_json_int64(dk_json_get(b, "nanosecs"), &s->timens_boot[1]);
	return 0;
}

static int parse_linux(const struct dk_json *l, struct rt_spec *s, struct dk_err *err)
{
	bool bad;

	if (parse_namespaces(dk_json_get(l, "namespaces"), s, err) < 0 ||
	    parse_idmaps(dk_json_get(l, "uidMappings"), &s->uidmap, &s->n_uidmap, err) < 0 ||
	    parse_idmaps(dk_json_get(l, "gidMappings"), &s->gidmap, &s->n_gidmap, err) < 0 ||
	    parse_devices(dk_json_get(l, "devices"), s, err) < 0)
		return -1;
	s->masked = dk_json_strv(dk_json_get(l, "maskedPaths"), "maskedPaths", err);
	s->readonly = dk_json_strv(dk_json_get(l, "readonlyPaths"), "readonlyPaths", err);
	if (!s->masked || !s->readonly)
		return -1;
	s->rootfs_prop = parse_prop(dk_json_get_str(l, "rootfsPropagation"), err, &bad);
	if (bad)
		return -1;
	if (rt_personality_parse(dk_json_get(l, "personality"), &s->personality, err) < 0)
		return -1;
	if (parse_sysctl(dk_json_get(l, "sysctl"), s, err) < 0)
		return -1;
	parse_timens(dk_json_get(l, "timeOffsets"), s);
	s->cgroups_path = dup_or_null(dk_json_get_str(l, "cgroupsPath"));
	s->mount_label = dup_or_null(dk_json_get_str(l, "mountLabel"));
	s->resources = rt_resources_parse(dk_json_get(l, "resources"), err);
	if (!s->resources)
		return dk_err_wrap(err, "linux.resources");
	if (dk_json_get(l, "seccomp")) {
		s->seccomp = rt_seccomp_parse(dk_json_get(l, "seccomp"), err);
		if (!s->seccomp)
			return dk_err_wrap(err, "linux.seccomp");
	}
	return 0;
}

static int parse_doc(const struct dk_json *r, const char *bundle, struct rt_spec *s,
		     struct dk_err *err)
{
	const char *root = dk_json_path(r, "root", "path", NULL)
			       ? dk_json_str(dk_json_path(r, "root", "path", NULL))
			       : NULL;

	s->oci_version =
	    strdup(dk_json_get_str(r, "ociVersion") ? dk_json_get_str(r, "ociVersion") : "1.0.2");
	if (!root || !*root)
		return dk_err_set(err, "root.path is missing");
	s->root_path = root[0] == '/' ? strdup(root) : dk_path_join(bundle, root);
	s->root_ro = dk_json_is_true(dk_json_path(r, "root", "readonly", NULL));
	s->hostname = dup_or_null(dk_json_get_str(r, "hostname"));
	s->domainname = dup_or_null(dk_json_get_str(r, "domainname"));
	if (refuse_unsupported(dk_json_get(r, "linux"), "linux", linux_unsupported, err) < 0)
		return -1;
	if (rt_process_parse(dk_json_get(r, "process"), &s->proc, err) < 0 ||
	    parse_mounts(dk_json_get(r, "mounts"), s, err) < 0 ||
	    parse_hooks(dk_json_get(r, "hooks"), s, err) < 0 ||
	    parse_linux(dk_json_get(r, "linux"), s, err) < 0)
		return -1;
	s->annotations = dk_json_get(r, "annotations");
	return 0;
}

/* Parse buf (len bytes, named name in errors); the spec keeps buf. */
static struct rt_spec *parse_text(char *buf, size_t len, const char *bundle, const char *name,
				  struct dk_err *err)
{
	struct rt_spec *s = calloc(1, sizeof(*s));

	if (!s) {
		free(buf);
		dk_err_sys(err, "%s", name);
		return NULL;
	}
	s->text = buf;
	s->text_len = len;
	s->root = dk_json_parse(buf, len, name, err);
	if (!s->root) {
		rt_spec_free(s);
		return NULL;
	}
	if (dk_json_type(s->root) != DK_JSON_OBJECT) {
		dk_err_set(err, "%s: not a JSON object", name);
		rt_spec_free(s);
		return NULL;
	}
	if (parse_doc(s->root, bundle, s, err) < 0) {
		dk_err_wrap(err, "%s", name);
		rt_spec_free(s);
		return NULL;
	}
	return s;
}

struct rt_spec *rt_spec_load(const char *bundle, struct dk_err *err)
{
	char *buf = NULL;
	cleanup_free char *path = dk_path_join(bundle, "config.json");
	size_t len;

	if (dk_read_file_at(AT_FDCWD, path, CFG_MAX, &buf, &len, err) < 0)
		return NULL;
	return parse_text(buf, len, bundle, path, err);
}

struct rt_spec *rt_spec_load_fd(int fd, const char *bundle, struct dk_err *err)
{
	char *buf = NULL;
	size_t len;

	if (dk_read_fd(fd, CFG_MAX, &buf, &len, err) < 0)
		return NULL;
	return parse_text(buf, len, bundle, "config.json", err);
}

static void free_hooks(struct rt_spec *s)
{
	for (int k = 0; k < RT_HOOK_KINDS; k++) {
		for (size_t i = 0; s->hooks[k] && i < s->n_hooks[k]; i++) {
			free(s->hooks[k][i].path);
			dk_strv_free(s->hooks[k][i].args);
			dk_strv_free(s->hooks[k][i].env);
		}
		free(s->hooks[k]);
	}
}

void rt_spec_free(struct rt_spec *s)
{
	if (!s)
		return;
	free(s->text);
	free(s->oci_version);
	free(s->root_path);
	free(s->hostname);
	free(s->domainname);
	rt_process_clear(&s->proc);
	for (size_t i = 0; s->mounts && i < s->n_mounts; i++) {
		free(s->mounts[i].dest);
		free(s->mounts[i].type);
		free(s->mounts[i].source);
		free(s->mounts[i].data);
		free(s->mounts[i].uidmap);
		free(s->mounts[i].gidmap);
	}
	free(s->mounts);
	for (size_t i = 0; s->ns && i < s->n_ns; i++)
		free(s->ns[i].path);
	free(s->ns);
	free(s->uidmap);
	free(s->gidmap);
	for (size_t i = 0; s->devices && i < s->n_devices; i++)
		free(s->devices[i].path);
	free(s->devices);
	dk_strv_free(s->masked);
	dk_strv_free(s->readonly);
	for (size_t i = 0; s->sysctl && i < s->n_sysctl; i++) {
		free(s->sysctl[i].key);
		free(s->sysctl[i].value);
	}
	free(s->sysctl);
	free(s->cgroups_path);
	free(s->mount_label);
	rt_resources_free(s->resources);
	rt_seccomp_free(s->seccomp);
	free_hooks(s);
	dk_json_free(s->root);
	free(s);
}

const struct rt_ns *rt_spec_ns(const struct rt_spec *s, int type)
{
	for (size_t i = 0; i < s->n_ns; i++)
		if (s->ns[i].type == type)
			return &s->ns[i];
	return NULL;
}
