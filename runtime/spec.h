// SPDX-License-Identifier: GPL-2.0-or-later
/* spec.h: the parsed runtime-spec config.json as plain data. spec_parse.c
 * fills it without side effects; the other runtime files act on it. */
#ifndef RT_SPEC_H
#define RT_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "err.h"
#include "json.h"
#include "procattr.h"

enum rt_hook_kind {
	RT_HOOK_PRESTART,
	RT_HOOK_CREATE_RUNTIME,
	RT_HOOK_CREATE_CONTAINER,
	RT_HOOK_START_CONTAINER,
	RT_HOOK_POSTSTART,
	RT_HOOK_POSTSTOP,
	RT_HOOK_KINDS
};

struct rt_hook {
	char *path;
	char **args;
	char **env;
	int timeout; /* seconds, 0: none */
};

struct rt_ns {
	int type;   /* CLONE_NEW* */
	char *path; /* join this one, or NULL for a new one */
};

struct rt_idmap {
	uint32_t container, host, size;
};

struct rt_mount {
	char *dest, *type, *source, *data;
	unsigned long flags; /* MS_* to set */
	unsigned long clear; /* MS_* asked to be cleared (rw, suid ...) */
	unsigned long prop;  /* MS_SHARED/SLAVE/PRIVATE/UNBINDABLE [| MS_REC] */
	bool bind, rec;	     /* bind / rbind */
	uint64_t attr_set;   /* MOUNT_ATTR_* for the whole tree (rro, rnosuid ...) */
	uint64_t attr_clr;
	bool idmap, ridmap; /* idmapped (ridmap: every mount of the tree) */
	struct rt_idmap *uidmap, *gidmap;
	size_t n_uidmap, n_gidmap;
	int src_fd; /* bind source opened by the runtime (new userns), or -1 */
};

struct rt_rlimit {
	int resource;
	uint64_t soft, hard;
};

struct rt_device {
	char *path;
	char type; /* c, b, u, p */
	int64_t major, minor;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	bool has_mode, has_uid, has_gid;
};

enum rt_capset {
	RT_CAP_BOUNDING,
	RT_CAP_EFFECTIVE,
	RT_CAP_INHERITABLE,
	RT_CAP_PERMITTED,
	RT_CAP_AMBIENT,
	RT_CAP_SETS
};

struct rt_kv {
	char *key, *value;
};

struct rt_process {
	bool terminal;
	unsigned cons_h, cons_w;
	uid_t uid;
	gid_t gid;
	gid_t *gids;
	size_t n_gids;
	bool has_umask;
	mode_t umask;
	char **args, **env;
	char *cwd;
	bool has_caps;
	char **caps[RT_CAP_SETS]; /* names as given, "CAP_..." */
	struct rt_rlimit *rlimits;
	size_t n_rlimits;
	bool nnp;
	bool has_oom;
	int oom;
	char *apparmor, *selinux;
	struct rt_procattr attr; /* ioPriority, scheduler */
};

struct rt_seccomp;   /* seccomp.c */
struct rt_resources; /* cgroup.c */

struct rt_spec {
	char *oci_version;
	char *root_path; /* absolute */
	bool root_ro;
	char *hostname, *domainname;
	struct rt_process proc;
	struct rt_mount *mounts;
	size_t n_mounts;
	struct rt_ns *ns;
	size_t n_ns;
	struct rt_idmap *uidmap, *gidmap;
	size_t n_uidmap, n_gidmap;
	struct rt_device *devices;
	size_t n_devices;
	char **masked, **readonly;
	unsigned long rootfs_prop;
	struct rt_kv *sysctl;
	size_t n_sysctl;
	char *cgroups_path;
	struct rt_resources *resources;
	struct rt_seccomp *seccomp;
	struct rt_hook *hooks[RT_HOOK_KINDS];
	size_t n_hooks[RT_HOOK_KINDS];
	int64_t timens_mono[2], timens_boot[2];
	bool has_timens_offsets;
	char *mount_label;
	int personality;	     /* PER_* domain, -1: unchanged */
	struct dk_json *annotations; /* owned copy of the tree below */
	struct dk_json *root;	     /* the whole document */
	char *text;		     /* ... as read (init re-reads it, initexec.c) */
	size_t text_len;
};

/* Parse the config.json of bundle (an absolute directory). */
struct rt_spec *rt_spec_load(const char *bundle, struct dk_err *err);
/* The same from the config's text in fd (read from its start). */
struct rt_spec *rt_spec_load_fd(int fd, const char *bundle, struct dk_err *err);
void rt_spec_free(struct rt_spec *s);

/* Parse a "process" object (also used by exec --process). */
int rt_process_parse(const struct dk_json *v, struct rt_process *p, struct dk_err *err);
void rt_process_clear(struct rt_process *p);

/* The namespace entry of type (CLONE_NEW*), or NULL. */
const struct rt_ns *rt_spec_ns(const struct rt_spec *s, int type);

/* Mount option word -> flags; false if unknown (then it is mount data). */
bool rt_mount_option(const char *opt, struct rt_mount *m);

#endif
