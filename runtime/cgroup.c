// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup.c: finding the hierarchies and making the container's cgroups. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "cleanup.h"
#include "cgroup.h"
#include "cgroup_cpuset.h"
#include "cgroup_fs.h"
#include "cgroup_res.h"
#include "cgroup_view.h"
#include "devices_bpf.h"
#include "fs.h"
#include "mounts.h"
#include "path.h"
#include "json.h"

struct hier {
	char mnt[256];	 /* mount point */
	char ctrls[128]; /* "cpu,cpuacct"; "" for cgroup2 */
	char own[512];	 /* our cgroup there, as a directory path */
};

#define MAX_HIER 20

/* The directory of entry e, NULL if malformed. */
static const char *cg_dir_of(const char *e)
{
	struct rt_cg_entry c;

	return rt_cg_split(e, &c) ? c.dir : NULL;
}

/* The cgroup path of this process for ctrls ("" = v2) in cg, the text of
 * /proc/self/cgroup (read once per scan). */
static bool own_path(const char *cg, const char *ctrls, char *out, size_t size)
{
	size_t cl = strlen(ctrls);

	for (const char *line = cg; line && *line;) {
		const char *a = strchr(line, ':'), *end = strchr(line, '\n');
		const char *b = a ? strchr(a + 1, ':') : NULL;
		if (!end)
			end = line + strlen(line);
		if (b && b < end && (size_t)(b - a - 1) == cl && !strncmp(a + 1, ctrls, cl))
			return rt_cg_fits(snprintf(out, size, "%.*s", (int)(end - b - 1), b + 1),
					  size);
		line = *end ? end + 1 : NULL;
	}
	return false;
}

/* /proc/self/cgroup into buf ("" when it cannot be read). */
static void read_own_cgroups(char *buf, size_t size)
{
	cleanup_close int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n = 1;

	while (fd >= 0 && n > 0 && len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n > 0)
			len += (size_t)n;
	}
	buf[len] = 0;
}

/* The v1 controller list of a mount's super options. */
static void ctrls_of(char *super, char *out, size_t size)
{
	static const char *known[] = {"cpu",	    "cpuacct", "cpuset", "memory",  "devices",
				      "freezer",    "blkio",   "pids",	 "net_cls", "net_prio",
				      "perf_event", "hugetlb", "rdma",	 "misc",    NULL};
	char *save = NULL;

	out[0] = 0;
	for (char *w = strtok_r(super, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		bool keep = !strncmp(w, "name=", 5);
		for (int i = 0; known[i] && !keep; i++)
			keep = !strcmp(known[i], w);
		if (keep)
			snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? "," : "",
				 w);
	}
}

static int add_hier(struct hier *h, const char *cg, const char *root, const char *mnt,
		    const char *ctrls)
{
	char own[512];
	size_t rl = strlen(root);

	if (strlen(mnt) >= sizeof(h->mnt) || !own_path(cg, ctrls, own, sizeof(own)))
		return 0; /* a mount point that does not fit: not usable */
	/* own is relative to the hierarchy's root; the mount shows root */
	if (strcmp(root, "/") != 0) {
		if (strncmp(own, root, rl) != 0 || (own[rl] && own[rl] != '/'))
			return 0;
		memmove(own, own + rl, strlen(own + rl) + 1);
	}
	snprintf(h->mnt, sizeof(h->mnt), "%s", mnt);
	snprintf(h->ctrls, sizeof(h->ctrls), "%s", ctrls);
	int n = snprintf(h->own, sizeof(h->own), "%s%s", mnt, strcmp(own, "/") ? own : "");
	return n > 0 && (size_t)n < sizeof(h->own); /* too long: not usable */
}

static bool seen(const struct hier *h, size_t n, const char *ctrls)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(h[i].ctrls, ctrls))
			return true;
	return false;
}

/* Whether the mount listed as dev maj:min is what mnt shows: a mount
 * hidden by another (a tmpfs over /sys/fs/cgroup) is still listed in
 * mountinfo but cannot be used. */
static bool reachable(const char *mnt, unsigned int maj, unsigned int min)
{
	struct stat st;

	return stat(mnt, &st) == 0 && S_ISDIR(st.st_mode) && major(st.st_dev) == maj &&
	       minor(st.st_dev) == min;
}

static size_t find_hiers(struct hier *h)
{
	cleanup_file FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], cg[4096];
	size_t n = 0;

	read_own_cgroups(cg, sizeof(cg));
	while (f && n < MAX_HIER && fgets(line, sizeof(line), f)) {
		struct rt_mountinfo m;
		char ctrls[128];
		if (!rt_cg_mountinfo(line, &m))
			continue;
		if (!strcmp(m.fstype, "cgroup2"))
			ctrls[0] = 0;
		else if (!strcmp(m.fstype, "cgroup"))
			ctrls_of(m.super, ctrls, sizeof(ctrls));
		else
			continue;
		if (!reachable(m.point, m.maj, m.min))
			continue;
		if (!seen(h, n, ctrls)) /* the first mount of a hierarchy (not binds of it) */
			n += add_hier(&h[n], cg, m.root, m.point, ctrls);
	}
	return n;
}

static int cg_dir(const struct rt_spec *s, const char *id, const struct hier *h, char *out,
		  size_t size, struct dk_err *err)
{
	const char *p = s->cgroups_path;
	int n;

	if (p && p[0] == '/')
		n = snprintf(out, size, "%s%s", h->mnt, p);
	else
		n = snprintf(out, size, "%s/%s", h->own, p && *p ? p : id);
	if (n < 0 || (size_t)n >= size)
		return dk_err_set(err, "cgroup: path too long");
	return 0;
}

static char *paths_entry(const struct hier *h, const char *dir)
{
	char *e = NULL;

	if (asprintf(&e, "%s:%s", h->ctrls, dir) < 0)
		return NULL;
	return e;
}

/* The first resource that needs a cgroup of our own. Device rules do not:
 * rootless (in a user namespace) no device node can be created, and those
 * bound in are guarded by the host's permissions, as runc does. */
static const char *needs_cgroup(const struct rt_resources *r)
{
	for (size_t i = 0; r && i < r->n; i++)
		if (strcmp(r->set[i].ctrl, "devices") != 0)
			return r->set[i].what;
	return NULL;
}

int rt_cgroup_create(const struct rt_spec *s, const char *id, pid_t pid, char ***paths,
		     struct dk_err *err)
{
	struct hier h[MAX_HIER];
	size_t n = find_hiers(h), k = 0;
	char **out = calloc(n + 2, sizeof(char *)); /* + the cpuset's "@" entry */
	char pidbuf[32];
	bool skipped = false;

	*paths = out;
	snprintf(pidbuf, sizeof(pidbuf), "%d", pid);
	for (size_t i = 0; i < n; i++) {
		char dir[1024];
		if (cg_dir(s, id, &h[i], dir, sizeof(dir), err) < 0)
			return -1;
		int deferred = rt_cpuset_defer(h[i].ctrls, s, dir, h[i].own, out, &k, err);
		if (deferred < 0)
			return -1;
		if (deferred)
			continue;
		if (dk_mkdir_p(dir, 0755, err) < 0) {
			if (!dk_rootless() || /* root outside a user namespace */
			    (err->code != EACCES && err->code != EPERM && err->code != EROFS))
				return dk_err_wrap(err, "cgroup");
			/* rootless without delegation: no cgroups at all */
			const char *what = needs_cgroup(s->resources);
			if (what)
				return dk_err_wrap(
				    err, "cgroups are not delegated to this user, cannot apply %s",
				    what);
			skipped = true;
			continue;
		}
		out[k++] = paths_entry(&h[i], dir);
		if (rt_cg_has_word(h[i].ctrls, "cpuset") && rt_cpuset_fill(dir, err) < 0)
			return dk_err_wrap(err, "cgroup");
	}
	/* skipped: only device rules were asked for (see needs_cgroup) */
	if (!skipped && rt_cgroup_update(out, s->resources, err) < 0)
		return -1;
	for (size_t i = 0; i < k; i++)
		if (cg_dir_of(out[i]) && /* not a cpuset cgroup left unmade */
		    rt_cg_write(cg_dir_of(out[i]), "cgroup.procs", pidbuf, err) < 0)
			return dk_err_wrap(err, "cgroup: joining");
	return 0;
}

/* The sub-cgroup of the --cgroup specs ("[ctrl[,ctrl]:]path") for the
 * hierarchy with controllers ctrls ("" for cgroup2): the last matching
 * spec, "" if none. */
static int sub_for(const char *ctrls, char *const *specs, const char **sub, struct dk_err *err)
{
	*sub = "";
	for (size_t i = 0; specs && specs[i]; i++) {
		const char *colon = strchr(specs[i], ':');
		const char *path = colon ? colon + 1 : specs[i];
		bool match = !colon;
		char want[128];
		if (!rt_cg_fits(snprintf(want, sizeof(want), "%.*s",
					 colon ? (int)(colon - specs[i]) : 0, specs[i]),
				sizeof(want)))
			return dk_err_set(err, "--cgroup: controller list too long");
		for (char *save = NULL, *w = strtok_r(want, ",", &save); colon && w;
		     w = strtok_r(NULL, ",", &save))
			match |= *ctrls && rt_cg_has_word(ctrls, w);
		if (!strcmp(path, "..") || !strncmp(path, "../", 3) || strstr(path, "/../") ||
		    (strlen(path) >= 3 && !strcmp(path + strlen(path) - 3, "/..")))
			return dk_err_set(err, "--cgroup: %s is not a sub cgroup path", path);
		if (match)
			*sub = path;
	}
	return 0;
}

/* Every controller named in specs must be on some hierarchy. */
static int specs_known(char *const *paths, char *const *specs, struct dk_err *err)
{
	for (size_t i = 0; specs && specs[i]; i++) {
		const char *colon = strchr(specs[i], ':');
		char want[128];
		if (!colon)
			continue;
		snprintf(want, sizeof(want), "%.*s", (int)(colon - specs[i]), specs[i]);
		for (char *save = NULL, *w = strtok_r(want, ",", &save); w;
		     w = strtok_r(NULL, ",", &save)) {
			bool found = false;
			for (size_t k = 0; paths && paths[k] && !found; k++) {
				struct rt_cg_entry c;
				found = rt_cg_split(paths[k], &c) && *c.ctrls &&
					rt_cg_has_word(c.ctrls, w);
			}
			if (!found)
				return dk_err_set(err, "--cgroup: unknown controller \"%s\"", w);
		}
	}
	return 0;
}

/* For an "@cpuset" entry (no cpuset cgroup of the container's own): join
 * the one init is in (rootless there is none: rt_cpuset_defer). */
static int join_init_cpuset(const char *e, const char *pidbuf, struct dk_err *err)
{
	const char *at = rt_cpuset_entry_dir(e);

	if (!at || e[0] != '@' || rt_cg_write(at, "cgroup.procs", pidbuf, err) == 0)
		return 0;
	return dk_err_wrap(err, "cgroup: joining");
}

int rt_cgroup_enter(char *const *paths, char *const *specs, pid_t pid, struct dk_err *err)
{
	char pidbuf[32];

	snprintf(pidbuf, sizeof(pidbuf), "%d", pid);
	if (specs_known(paths, specs, err) < 0)
		return -1;
	for (size_t i = 0; paths && paths[i]; i++) {
		char dir[1200];
		struct rt_cg_entry c;
		const char *sub;
		if (join_init_cpuset(paths[i], pidbuf, err) < 0)
			return -1;
		if (!rt_cg_split(paths[i], &c))
			continue;
		if (sub_for(c.ctrls, specs, &sub, err) < 0)
			return -1;
		while (*sub == '/')
			sub++;
		if (!rt_cg_fits(snprintf(dir, sizeof(dir), "%s%s%s", c.dir, *sub ? "/" : "", sub),
				sizeof(dir)))
			return dk_err_set(err, "--cgroup: path %s too long", sub);
		if (rt_cg_write(dir, "cgroup.procs", pidbuf, err) < 0) {
			/* worded as runc's, which its tests look for */
			if (err->code == ENOENT)
				dk_err_set(
				    err,
				    "adding pid %d to cgroups: open %s/cgroup.procs: no such file or directory",
				    pid, dir);
			return dk_err_wrap(err, "cgroup: joining");
		}
	}
	return 0;
}

/* The directory that holds controller ctrl (v1 first, else cgroup2). */
static const char *dir_for(char *const *paths, const char *ctrl, bool *v2)
{
	const char *unified = NULL;

	for (size_t i = 0; paths && paths[i]; i++) {
		struct rt_cg_entry c;

		if (!rt_cg_split(paths[i], &c))
			continue;
		if (!*c.ctrls)
			unified = c.dir;
		else if (*ctrl && rt_cg_has_word(c.ctrls, ctrl)) {
			*v2 = false;
			return c.dir;
		}
	}
	*v2 = true;
	return unified;
}

const char *rt_cgroup_dir(char *const *paths, const char *ctrl, bool *v2)
{
	return dir_for(paths, ctrl, v2);
}

static bool v2_has(const char *dir, const char *ctrl)
{
	cleanup_free char *c = rt_cg_read(dir, "cgroup.controllers");

	return c && rt_cg_has_word_sep(c, ctrl, ' '); /* "cpu" is not "cpuset" */
}

/* Enable ctrl for dir in its parent's cgroup.subtree_control. */
static int v2_enable(const char *dir, const char *ctrl, struct dk_err *err)
{
	char up[1100], val[64];

	if (v2_has(dir, ctrl))
		return 0;
	snprintf(up, sizeof(up), "%s/..", dir);
	if (!v2_has(up, ctrl)) /* bound to v1, or not built: cgroup2 cannot have it */
		return dk_err_set(err, "the %s controller is not available in %s", ctrl, up);
	snprintf(val, sizeof(val), "+%s", ctrl);
	if (rt_cg_write(up, "cgroup.subtree_control", val, err) < 0)
		return dk_err_wrap(err, "enabling the %s controller", ctrl);
	return 0;
}

/* linux.resources.unified sets cgroup2 files: its controller must be on
 * the cgroup2 hierarchy (not a v1 one, as on v1 or hybrid hosts). */
static int unified_check(char *const *paths, const char *key, struct dk_err *err)
{
	char ctrl[64];
	bool v2;

	if (!rt_cg_fits(snprintf(ctrl, sizeof(ctrl), "%.*s", (int)strcspn(key, "."), key),
			sizeof(ctrl)))
		return dk_err_set(err, "invalid configuration: unified resource \"%s\"", key);
	if (!dir_for(paths, "", &v2))
		return dk_err_set(err,
				  "invalid configuration: unified resource \"%s\" needs cgroup2, "
				  "which this host does not have",
				  key);
	if (strcmp(ctrl, "cgroup") && (dir_for(paths, ctrl, &v2), !v2))
		return dk_err_set(
		    err,
		    "invalid configuration: unified resource \"%s\": the %s controller "
		    "is on a cgroup v1 hierarchy here",
		    key, ctrl);
	return 0;
}

static int apply_one(char *const *paths, const struct rt_cg_set *c, struct dk_err *err)
{
	bool v2;
	const char *dir = dir_for(paths, c->ctrl, &v2);
	const char *file = v2 ? c->v2file : c->v1file;
	const char *val = v2 ? c->v2val : c->v1val;

	if (!strcmp(c->what, "unified") && unified_check(paths, c->v2file, err) < 0)
		return -1;
	if (!dir)
		return dk_err_set(err, "cgroup: %s: no hierarchy holds the %s controller", c->what,
				  c->ctrl);
	if (!file)
		return 0; /* no such setting on this version */
	if (v2 && !strcmp(file, RT_DEVICES_BPF)) {
		if (rt_devices_bpf(dir, val, err) < 0)
			return dk_err_wrap(err, "cgroup: devices");
		return 0;
	}
	if (v2 && *c->ctrl && v2_enable(dir, c->ctrl, err) < 0)
		return dk_err_wrap(err, "cgroup: %s", c->what);
	if (rt_cg_write(dir, file, val, err) < 0) {
		if (c->optional && err->code == ENOENT)
			return 0;
		return dk_err_wrap(err, "cgroup: %s", c->what);
	}
	return 0;
}

/* v1 keeps memory.limit_in_bytes <= memory.memsw.limit_in_bytes at every
 * write: as runc, raise the swap limit first when the new one is above
 * the current memory limit (or unlimited). */
static bool swap_first(char *const *paths, const struct rt_cg_set *swap)
{
	bool v2;
	const char *dir = dir_for(paths, "memory", &v2);
	cleanup_free char *cur = NULL;

	if (!dir || v2 || !swap->v1val)
		return false;
	if (swap->v1val[0] == '-')
		return true;
	cur = rt_cg_read(dir, "memory.limit_in_bytes");
	return cur && strtoull(cur, NULL, 10) < strtoull(swap->v1val, NULL, 10);
}

int rt_cgroup_update(char *const *paths, const struct rt_resources *r, struct dk_err *err)
{
	for (size_t i = 0; r && i < r->n; i++) {
		const struct rt_cg_set *c = &r->set[i],
				       *next = i + 1 < r->n ? &r->set[i + 1] : NULL;

		if (!strcmp(c->what, "memory.limit") && next &&
		    !strcmp(next->what, "memory.swap") && swap_first(paths, next)) {
			if (apply_one(paths, next, err) < 0 || apply_one(paths, c, err) < 0)
				return -1;
			i++;
			continue;
		}
		if (apply_one(paths, c, err) < 0)
			return -1;
	}
	return 0;
}

int rt_cgroup_pids(char *const *paths, pid_t **pids, size_t *n, struct dk_err *err)
{
	*pids = NULL;
	*n = 0;
	for (size_t i = 0; paths && paths[i]; i++) {
		const char *dir = cg_dir_of(paths[i]);
		cleanup_free char *procs = dir ? rt_cg_read(dir, "cgroup.procs") : NULL;
		char *save = NULL;
		if (!procs)
			continue;
		for (char *w = strtok_r(procs, "\n", &save); w; w = strtok_r(NULL, "\n", &save)) {
			pid_t *np = realloc(*pids, (*n + 1) * sizeof(pid_t));
			if (!np)
				return dk_err_errno(err, ENOMEM, "cgroup pids");
			*pids = np;
			(*pids)[(*n)++] = atoi(w);
		}
		return 0;
	}
	return dk_err_set(err, "no cgroup to list processes from");
}

/* Move the container's processes into dir, pass after pass until one
 * finds none left behind (a process forked during a pass is in no list
 * that pass read). */
static int move_procs(char *const *paths, const char *dir, struct dk_err *err)
{
	for (int pass = 0; pass < 20; pass++) {
		cleanup_free pid_t *p = NULL;
		cleanup_free char *have = NULL;
		size_t n, moved = 0;
		if (rt_cgroup_pids(paths, &p, &n, err) < 0)
			return -1;
		have = rt_cg_read(dir, "cgroup.procs");
		for (size_t i = 0; i < n; i++) {
			char pidbuf[32];
			snprintf(pidbuf, sizeof(pidbuf), "%d", p[i]);
			if (have && rt_cg_has_word_sep(have, pidbuf, '\n'))
				continue;
			if (rt_cg_write(dir, "cgroup.procs", pidbuf, err) < 0 && err->code != ESRCH)
				return dk_err_wrap(err, "cgroup: moving the container's processes");
			moved++;
		}
		if (!moved)
			return 0;
	}
	return dk_err_set(
	    err, "cgroup: the container's processes kept changing while moved into %s", dir);
}

/* Apply r's cpuset settings alone to the new cgroup dir (entry e,
 * "cpuset:dir"), before anything moves in: bad values leave no trace. */
static int cpuset_try(const char *e, const struct rt_resources *r, struct dk_err *err)
{
	struct rt_cg_set sets[8];
	struct rt_resources mine = {sets, 0};
	char *one[] = {(char *)e, NULL};

	for (size_t i = 0; i < r->n && mine.n < 8; i++)
		if (!strcmp(r->set[i].ctrl, "cpuset"))
			sets[mine.n++] = r->set[i];
	return rt_cgroup_update(one, &mine, err);
}

int rt_cgroup_realize(char **paths, const struct rt_resources *r, pid_t pid, bool *changed,
		      struct dk_err *err)
{
	long q, at;
	const char *dir;
	int rc;

	*changed = false;
	rt_cpuset_deferred(paths, &q, &at);
	if (q < 0 || !rt_cpuset_wanted(r))
		return 0;
	dir = rt_cpuset_entry_dir(paths[q]);
	if (dk_mkdir_p(dir, 0755, err) < 0)
		return dk_err_wrap(err, "cgroup");
	if (rt_cpuset_fill(dir, err) < 0 || cpuset_try(paths[q] + 1, r, err) < 0) {
		rmdir(dir);
		return -1;
	}
	/* listed from the other hierarchies, before the entry is live */
	rc = move_procs(paths, dir, err);
	if (rc == 0 && pid > 0)
		rc = rt_cgroup_view_update(pid, "cpuset", dir, err);
	if (rt_cpuset_made(paths, q, at, rc < 0 ? &(struct dk_err){0} : err) < 0)
		return -1;
	*changed = true; /* made: the state must say so even if what followed failed */
	return rc;
}

/* Kill what is in dir (cgroup.procs), for rt_cgroup_destroy. */
static void kill_in(const char *dir)
{
	cleanup_free char *procs = rt_cg_read(dir, "cgroup.procs");
	char *save = NULL;

	for (char *w = procs ? strtok_r(procs, "\n", &save) : NULL; w;
	     w = strtok_r(NULL, "\n", &save))
		kill((pid_t)atoi(w), SIGKILL);
}

/* Remove dir and, first, the cgroups below it (made inside the container,
 * as runc's tests do through a writable cgroup mount). */
static int remove_tree(const char *dir, bool kill_all, int depth, struct dk_err *err)
{
	cleanup_dir DIR *d = NULL;
	struct dirent *e;
	int tries = 0;

	/* usually empty: no walk then */
	if (rmdir(dir) == 0 || errno == ENOENT)
		return 0;
	d = depth < 16 ? opendir(dir) : NULL;
	while (d && (e = readdir(d))) {
		char sub[1200];
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!rt_cg_fits(snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name), sizeof(sub)))
			return dk_err_errno(err, ENAMETOOLONG, "removing cgroup %s/%s", dir,
					    e->d_name);
		if (remove_tree(sub, kill_all, depth + 1, err) < 0)
			return -1;
	}
	while (rmdir(dir) < 0 && errno != ENOENT) {
		if (errno != EBUSY || ++tries > 200)
			return dk_err_sys(err, "removing cgroup %s", dir);
		if (kill_all)
			kill_in(dir);
		usleep(5000);
	}
	return 0;
}

int rt_cgroup_destroy(char *const *paths, bool kill_all, struct dk_err *err)
{
	for (size_t i = 0; paths && paths[i]; i++) {
		const char *dir = cg_dir_of(paths[i]);
		if (dir && remove_tree(dir, kill_all, 0, err) < 0)
			return -1;
	}
	return 0;
}

int rt_cgroup_freeze(char *const *paths, bool freeze, struct dk_err *err)
{
	bool v2;
	const char *dir = dir_for(paths, "freezer", &v2);

	if (!dir)
		return dk_err_set(err, "no freezer cgroup");
	if (v2)
		return rt_cg_write(dir, "cgroup.freeze", freeze ? "1" : "0", err);
	if (rt_cg_write(dir, "freezer.state", freeze ? "FROZEN" : "THAWED", err) < 0)
		return -1;
	for (int i = 0; i < 1000; i++) {
		cleanup_free char *st = rt_cg_read(dir, "freezer.state");
		if (st && !strcmp(st, freeze ? "FROZEN" : "THAWED"))
			return 0;
		usleep(1000);
	}
	return dk_err_set(err, "freezer did not reach the wanted state");
}

/* A hierarchy under the cgroup tmpfs: mounted fresh in a cgroup namespace
 * of our own, else the container's own cgroup bind mounted (as runc). */
static int mount_hier(const struct hier *h, int dirfd, unsigned long flags, bool cgns,
		      struct dk_err *err)
{
	const char *name = strrchr(h->mnt, '/') + 1;
	cleanup_close int sub = -1;
	char target[64];

	if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return dk_err_sys(err, "mkdir %s", name);
	sub = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return dk_err_sys(err, "opening %s", name);
	rt_fd_path(sub, target, sizeof(target));
	if (cgns) {
		/* a named hierarchy's source is its name, as runc mounts it */
		const char *src = !strncmp(h->ctrls, "name=", 5) ? h->ctrls + 5 : "cgroup";
		if (mount(src, target, *h->ctrls ? "cgroup" : "cgroup2", flags,
			  *h->ctrls ? h->ctrls : NULL) == 0)
			return 0;
		if (errno != EPERM) /* a user namespace: bind it instead */
			return dk_err_sys(err, "mounting cgroup %s", name);
	}
	if (mount(h->own, target, NULL, MS_BIND, NULL) < 0)
		return dk_err_sys(err, "bind mounting cgroup %s", h->own);
	close(sub);
	sub = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return dk_err_sys(err, "opening %s", name);
	rt_fd_path(sub, target, sizeof(target));
	if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0)
		return dk_err_sys(err, "remounting cgroup %s", name);
	return 0;
}

/* The hierarchies as seen before init enters its cgroup namespace (after
 * that, mountinfo shows the mounts' roots as "/.."). */
static struct hier snap[MAX_HIER];
static size_t n_snap;

void rt_cgroup_snapshot(void)
{
	n_snap = find_hiers(snap);
}

int rt_cgroup_mount(int rootfd, int fd, const char *dest, unsigned long flags, bool cgns,
		    struct dk_err *err)
{
	struct hier *h = snap;
	size_t n = n_snap;
	char target[64];
	cleanup_close int dir = -1;
	unsigned long f = flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY | MS_RELATIME);

	rt_fd_path(fd, target, sizeof(target));
	if (n == 1 && !*h[0].ctrls) { /* pure v2 */
		if (cgns)
			return mount("cgroup2", target, "cgroup2", f, NULL) < 0
				   ? dk_err_sys(err, "mounting cgroup2")
				   : 0;
		if (mount(h[0].own, target, NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | f, NULL) < 0)
			return dk_err_sys(err, "bind mounting cgroup2");
		return 0;
	}
	if (mount("tmpfs", target, "tmpfs", f & ~MS_RDONLY, "mode=755") < 0)
		return dk_err_sys(err, "mounting the tmpfs for cgroups");
	/* the fd still names the covered directory: look the mount up again */
	dir = dk_path_open(rootfd, dest, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, err);
	if (dir < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (*h[i].ctrls && mount_hier(&h[i], dir, f, cgns, err) < 0)
			return -1; /* hybrid: the cgroup2 mount is left out, as runc */
	return 0;
}

static void stat_num(struct dk_jgen *g, char *const *paths, const char *ctrl, const char *v1,
		     const char *v2, const char *key)
{
	bool isv2;
	const char *dir = dir_for(paths, ctrl, &isv2);
	cleanup_free char *v = dir ? rt_cg_read(dir, isv2 ? v2 : v1) : NULL;

	if (v && *v)
		dk_jgen_kint(g, key, strtoll(v, NULL, 10));
}

/* Total CPU time in ns: v1 cpuacct.usage, v2 cpu.stat's usage_usec. */
static void stat_cpu(struct dk_jgen *g, char *const *paths)
{
	bool isv2;
	const char *dir = dir_for(paths, "cpuacct", &isv2);
	cleanup_free char *v = dir ? rt_cg_read(dir, isv2 ? "cpu.stat" : "cpuacct.usage") : NULL;
	char *p = v;

	if (!v)
		return;
	if (!isv2) {
		if (*v)
			dk_jgen_kint(g, "total", strtoll(v, NULL, 10));
		return;
	}
	for (; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "usage_usec ", 11)) {
			dk_jgen_kint(g, "total", strtoll(p + 11, NULL, 10) * 1000);
			return;
		}
}

static void blkio_entry(struct dk_jgen *g, unsigned maj, unsigned min, const char *op,
			unsigned long long v)
{
	dk_jgen_map_open(g);
	dk_jgen_kint(g, "major", maj);
	dk_jgen_kint(g, "minor", min);
	dk_jgen_kstr(g, "op", op);
	dk_jgen_kint(g, "value", (int64_t)v);
	dk_jgen_map_close(g);
}

/* Bytes read and written per device, as runc's ioServiceBytesRecursive:
 * v1 blkio.throttle.io_service_bytes_recursive ("8:0 Read 4096"), v2
 * io.stat ("8:0 rbytes=4096 wbytes=0 ..."). */
static void stat_blkio(struct dk_jgen *g, char *const *paths)
{
	bool isv2;
	const char *dir = dir_for(paths, "blkio", &isv2);
	cleanup_free char *v =
	    dir ? rt_cg_read(dir, isv2 ? "io.stat" : "blkio.throttle.io_service_bytes_recursive")
		: NULL;

	dk_jgen_str(g, "ioServiceBytesRecursive");
	dk_jgen_array_open(g);
	for (char *l = v, *next; l && *l; l = next) {
		unsigned maj, min;
		unsigned long long n;
		char op[16], *p;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		if (!isv2 && sscanf(l, "%u:%u %15s %llu", &maj, &min, op, &n) == 4 &&
		    (!strcmp(op, "Read") || !strcmp(op, "Write")))
			blkio_entry(g, maj, min, op, n);
		if (isv2 && sscanf(l, "%u:%u", &maj, &min) == 2) {
			if ((p = strstr(l, " rbytes=")))
				blkio_entry(g, maj, min, "Read", strtoull(p + 8, NULL, 10));
			if ((p = strstr(l, " wbytes=")))
				blkio_entry(g, maj, min, "Write", strtoull(p + 8, NULL, 10));
		}
	}
	dk_jgen_array_close(g);
}

void rt_cgroup_stats(char *const *paths, struct dk_jgen *g)
{
	dk_jgen_map_open(g);
	dk_jgen_str(g, "memory");
	dk_jgen_map_open(g);
	dk_jgen_str(g, "usage");
	dk_jgen_map_open(g);
	stat_num(g, paths, "memory", "memory.usage_in_bytes", "memory.current", "usage");
	stat_num(g, paths, "memory", "memory.limit_in_bytes", "memory.max", "limit");
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "pids");
	dk_jgen_map_open(g);
	stat_num(g, paths, "pids", "pids.current", "pids.current", "current");
	dk_jgen_map_close(g);
	dk_jgen_str(g, "cpu");
	dk_jgen_map_open(g);
	dk_jgen_str(g, "usage");
	dk_jgen_map_open(g);
	stat_cpu(g, paths);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "blkio");
	dk_jgen_map_open(g);
	stat_blkio(g, paths);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
}
