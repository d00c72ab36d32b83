// SPDX-License-Identifier: GPL-2.0-or-later
/* mount.c: the mounts of one RUN. type=cache: a directory per id under
 * $DK_ROOT/buildcache-mounts kept across builds (sharing=locked holds a
 * lock for the run, private takes a fresh directory while another run
 * holds it); type=bind: a path of the context (a copy when rw) or of a
 * stage's or image's snapshot; type=tmpfs; type=secret: the secret in a
 * private host file mounted read-only, never in a layer; type=ssh: the
 * --ssh agent socket (for key files, that of the build's own agent) bound
 * read-only, $SSH_AUTH_SOCK pointing at it. Mount points the runtime had
 * to create are removed from the rootfs after the run, so no
 * layer carries them. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cleanup.h"
#include "copyfs.h"
#include "digest.h"
#include "fs.h"
#include "mount.h"
#include "path.h"

static int add(struct bf_mounts *m, const char *type, const char *src, const char *dest,
	       const char *o1, const char *o2, struct dk_err *err)
{
	struct bf_mount *v = realloc(m->v, (m->n + 1) * sizeof(*v));
	struct bf_mount *n;

	if (!v)
		return dk_err_sys(err, "mounts");
	m->v = v;
	n = &v[m->n++];
	*n = (struct bf_mount){.type = strdup(type), .source = strdup(src), .dest = strdup(dest)};
	if (!n->type || !n->source || !n->dest || (o1 && dk_strv_push(&n->options, o1) < 0) ||
	    (o2 && dk_strv_push(&n->options, o2) < 0))
		return dk_err_sys(err, "mounts");
	return 0;
}

/* The host directory for secrets, scripts and rw copies of this RUN. */
static int tmpdir(struct bf_build *b, struct bf_mounts *m, const char *key, struct dk_err *err)
{
	if (m->tmpdir)
		return 0;
	if (asprintf(&m->tmpdir, "%s/build/%s-mnt", b->root, key) < 0)
		return dk_err_sys(err, "mounts");
	return dk_mkdir_p(m->tmpdir, 0700, err);
}

static int write_private(const char *dir, const char *name, const char *data, size_t len,
			 mode_t mode, struct dk_err *err)
{
	cleanup_close int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return dk_err_sys(err, "%s", dir);
	return dk_write_file_at(dfd, name, data, len, mode, err);
}

int bf_mounts_add_bind(struct bf_mounts *m, const char *src, const char *dest, struct dk_err *err)
{
	return add(m, "bind", src, dest, "rbind", "ro", err);
}

int bf_mounts_add_file(struct bf_build *b, struct bf_mounts *m, const char *key, const char *name,
		       const char *data, const char *dest, struct dk_err *err)
{
	cleanup_free char *src = NULL;

	if (tmpdir(b, m, key, err) < 0 ||
	    write_private(m->tmpdir, name, data, strlen(data), 0755, err) < 0)
		return -1;
	if (!(src = dk_path_join(m->tmpdir, name)))
		return dk_err_sys(err, "mounts");
	return add(m, "bind", src, dest, "rbind", "ro", err);
}

/* --- type=cache --------------------------------------------------------- */

static int cache_dir(struct bf_build *b, const struct bf_mount_spec *s, char **out,
		     struct dk_err *err)
{
	const char *id = s->id ? s->id : s->target;
	struct dk_hasher *h = dk_hasher_new(DK_SHA256, err);
	struct dk_digest d;

	if (!h)
		return -1;
	dk_hasher_update(h, id, strlen(id));
	dk_hasher_final(h, &d);
	dk_hasher_free(h);
	if (asprintf(out, "%s/buildcache-mounts/%.32s", b->root, dk_digest_hex(&d)) < 0)
		return dk_err_sys(err, "cache mount");
	return dk_mkdir_p(*out, 0755, err);
}

static int own(const char *dir, const struct bf_mount_spec *s, struct dk_err *err)
{
	if (chown(dir, s->uid >= 0 ? (uid_t)s->uid : 0, s->gid >= 0 ? (gid_t)s->gid : 0) < 0 ||
	    chmod(dir, s->mode >= 0 ? (mode_t)s->mode : 0755) < 0)
		return dk_err_sys(err, "%s", dir);
	return 0;
}

static int push_lock(struct bf_mounts *m, int fd, struct dk_err *err)
{
	int *v = realloc(m->locks, (m->n_locks + 1) * sizeof(*v));

	if (!v) {
		close(fd);
		return dk_err_sys(err, "cache mount");
	}
	m->locks = v;
	v[m->n_locks++] = fd;
	return 0;
}

static int cache(struct bf_build *b, struct bf_mounts *m, const struct bf_mount_spec *s,
		 const char *key, struct dk_err *err)
{
	cleanup_free char *dir = NULL, *lock = NULL, *priv = NULL;
	const char *sharing = s->sharing ? s->sharing : "shared";
	int fd;

	if (cache_dir(b, s, &dir, err) < 0)
		return dk_err_wrap(err, "--mount type=cache");
	if (strcmp(sharing, "shared") != 0) {
		if (asprintf(&lock, "%s.lock", dir) < 0)
			return dk_err_sys(err, "cache mount");
		fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return dk_err_sys(err, "%s", lock);
		bool locked = !strcmp(sharing, "locked");
		if (flock(fd, locked ? LOCK_EX : LOCK_EX | LOCK_NB) == 0)
			return push_lock(m, fd, err) < 0 || own(dir, s, err) < 0
				   ? -1
				   : add(m, "bind", dir, s->target, "rbind", "rw", err);
		close(fd);
		if (locked)
			return dk_err_sys(err, "locking %s", lock);
		/* private and in use: a directory of its own for this run */
		if (tmpdir(b, m, key, err) < 0 ||
		    asprintf(&priv, "%s/cache-%zu", m->tmpdir, m->n) < 0 ||
		    dk_mkdir_p(priv, 0755, err) < 0)
			return -1;
		free(dir);
		dir = steal_ptr(priv);
	}
	if (own(dir, s, err) < 0)
		return -1;
	return add(m, "bind", dir, s->target, "rbind", "rw", err);
}

/* --- type=bind ---------------------------------------------------------- */

static int bind_context(struct bf_build *b, struct bf_mounts *m, const struct bf_mount_spec *s,
			const char *key, struct dk_err *err)
{
	char res[PATH_MAX], real[PATH_MAX];
	cleanup_free char *src = NULL;
	const char *rel;

	if (dk_path_resolve(b->ctxfd, s->source ? s->source : "/", res, sizeof(res), err) < 0)
		return dk_err_wrap(err, "--mount source=%s", s->source);
	rel = res[1] ? res + 1 : ".";
	if (res[1] && bf_ignored(b->ignore, rel))
		return dk_err_set(err, "--mount source=%s: excluded by .dockerignore", s->source);
	if (faccessat(b->ctxfd, rel, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "--mount source=%s: not in the build context", s->source);
	if (!s->rw) {
		if (!realpath(b->o->context, real) || asprintf(&src, "%s%s", real, res) < 0)
			return dk_err_sys(err, "--mount source=%s", s->source);
		return add(m, "bind", src, s->target, "rbind", "ro", err);
	}
	/* rw: writes go to a copy that is thrown away */
	struct bf_copyfs_opts o = {.keep_owner = true, .ignore = b->ignore};
	cleanup_close int dfd = -1;
	if (tmpdir(b, m, key, err) < 0 || asprintf(&src, "%s/bind-%zu", m->tmpdir, m->n) < 0 ||
	    dk_mkdir_p(src, 0755, err) < 0 ||
	    (dfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return dfd < 0 && src ? dk_err_sys(err, "%s", src) : -1;
	if (bf_copyfs_one(b->ctxfd, rel, dfd, "/", false, false, &o, err) < 0)
		return dk_err_wrap(err, "--mount source=%s", s->source);
	cleanup_free char *host = NULL;
	struct stat sb;
	if (fstatat(b->ctxfd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(sb.st_mode)) {
		const char *slash = strrchr(rel, '/');

		host = dk_path_join(src, slash ? slash + 1 : rel);
	}
	return add(m, "bind", host ? host : src, s->target, "rbind", "rw", err);
}

static int push_snap(struct bf_mounts *m, const char *k, struct dk_err *err)
{
	return dk_strv_push(&m->snaps, k) < 0 ? dk_err_sys(err, "mounts") : 0;
}

static int bind_image(struct bf_build *b, struct bf_mounts *m, const struct bf_mount_spec *s,
		      const char *image, struct dk_err *err)
{
	char k[96], res[PATH_MAX];
	cleanup_free char *rootfs = NULL, *src = NULL;
	cleanup_close int rfd = -1;

	snprintf(k, sizeof(k), "%s-%u", b->prefix, b->seq++);
	if (bf_snap_prepare(b, image, k, &rootfs, err) < 0)
		return dk_err_wrap(err, "--mount from=%s", s->from);
	if (push_snap(m, k, err) < 0)
		return -1;
	if ((rfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return dk_err_sys(err, "%s", rootfs);
	if (dk_path_resolve(rfd, s->source ? s->source : "/", res, sizeof(res), err) < 0)
		return dk_err_wrap(err, "--mount source=%s", s->source);
	if (faccessat(rfd, res[1] ? res + 1 : ".", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "--mount from=%s,source=%s", s->from, s->source);
	if (asprintf(&src, "%s%s", rootfs, res[1] ? res : "") < 0)
		return dk_err_sys(err, "mounts");
	return add(m, "bind", src, s->target, "rbind", s->rw ? "rw" : "ro", err);
}

/* --- type=secret -------------------------------------------------------- */

/* --secret id=X,src=FILE | id=X,env=VAR (or id=X alone: env X). */
static int secret_value(struct bf_build *b, const char *id, char **data, size_t *len,
			struct dk_err *err)
{
	for (size_t i = 0; b->o->secrets && b->o->secrets[i]; i++) {
		struct bf_secret sec;

		if (bf_secret_parse(b->o->secrets[i], &sec, err) < 0)
			return -1;
		if (strcmp(sec.id, id) != 0)
			continue;
		if (sec.src[0])
			return dk_read_file_at(AT_FDCWD, sec.src, 1 << 20, data, len, err) < 0
				   ? dk_err_wrap(err, "--secret id=%s", id)
				   : 1;
		const char *v = getenv(sec.env);
		if (!v)
			return dk_err_set(err, "--secret id=%s: $%s is not set", id, sec.env);
		*len = strlen(v);
		return (*data = strdup(v)) ? 1 : dk_err_sys(err, "secret");
	}
	return 0;
}

static int secret(struct bf_build *b, struct bf_mounts *m, const struct bf_mount_spec *s,
		  const char *key, struct dk_err *err)
{
	cleanup_free char *data = NULL, *name = NULL, *src = NULL, *kv = NULL;
	size_t len = 0;
	int r = secret_value(b, s->id, &data, &len, err);

	if (r < 0)
		return -1;
	if (r == 0)
		return s->required
			   ? dk_err_set(err, "secret %s: required, not given (--secret id=%s,...)",
					s->id, s->id)
			   : 0;
	if (s->env &&
	    (asprintf(&kv, "%s=%.*s", s->env, (int)len, data) < 0 || dk_strv_push(&m->env, kv) < 0))
		return dk_err_sys(err, "secret");
	if (!s->target)
		return 0;
	if (tmpdir(b, m, key, err) < 0 || asprintf(&name, "secret-%zu", m->n) < 0 ||
	    write_private(m->tmpdir, name, data, len, s->mode >= 0 ? (mode_t)s->mode : 0400, err) <
		0 ||
	    !(src = dk_path_join(m->tmpdir, name)))
		return src ? -1 : dk_err_sys(err, "secret");
	if (chown(src, s->uid >= 0 ? (uid_t)s->uid : 0, s->gid >= 0 ? (gid_t)s->gid : 0) < 0)
		return dk_err_sys(err, "%s", src);
	return add(m, "bind", src, s->target, "rbind", "ro", err);
}

/* --- type=ssh ----------------------------------------------------------- */

/* The agent socket --ssh gave for id, bound read-only at target (default
 * /run/buildkit/ssh_agent.N); the first one is $SSH_AUTH_SOCK. */
static int ssh(struct bf_build *b, struct bf_mounts *m, const struct bf_mount_spec *s,
	       struct dk_err *err)
{
	cleanup_free char *target = NULL, *kv = NULL;
	struct bf_ssh agent = {0};
	const char *path = NULL;
	int n = m->n_ssh++;

	for (size_t i = 0; b->o->ssh && b->o->ssh[i] && !path; i++) {
		if (bf_ssh_parse(b->o->ssh[i], &agent, err) < 0)
			return -1;
		if (!strcmp(agent.id, s->id))
			path = agent.keys ? bf_ssh_agent_socket(b, agent.id) : agent.path;
	}
	if (!path)
		return s->required
			   ? dk_err_set(err, "ssh %s: required, not given (--ssh %s)", s->id,
					!strcmp(s->id, "default") ? "default" : s->id)
			   : 0;
	if (s->target ? !(target = strdup(s->target))
		      : asprintf(&target, "/run/buildkit/ssh_agent.%d", n) < 0)
		return dk_err_sys(err, "ssh");
	if (n == 0 &&
	    (asprintf(&kv, "SSH_AUTH_SOCK=%s", target) < 0 || dk_strv_push(&m->env, kv) < 0))
		return dk_err_sys(err, "ssh");
	return add(m, "bind", path, target, "rbind", "ro", err);
}

static int one(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages, size_t n_stages,
	       const struct bf_mount_spec *s, const char *key, struct bf_mounts *m,
	       struct dk_err *err)
{
	char digest[DK_DIGEST_MAX];
	cleanup_free char *size = NULL;

	switch (s->type) {
	case BF_MOUNT_CACHE: return cache(b, m, s, key, err);
	case BF_MOUNT_SECRET: return secret(b, m, s, key, err);
	case BF_MOUNT_SSH: return ssh(b, m, s, err);
	case BF_MOUNT_TMPFS:
		if (s->size >= 0 && asprintf(&size, "size=%lld", s->size) < 0)
			return dk_err_sys(err, "mounts");
		return add(m, "tmpfs", "tmpfs", s->target, "nosuid", size ? size : "nodev", err);
	case BF_MOUNT_BIND:
		if (!s->from)
			return bind_context(b, m, s, key, err);
		if (bf_stage_image(b, st, stages, n_stages, s->from, digest, err) < 0)
			return dk_err_wrap(err, "--mount from=%s", s->from);
		return bind_image(b, m, s, digest, err);
	}
	return dk_err_set(err, "--mount: unknown type");
}

int bf_mounts_prepare(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages,
		      size_t n_stages, const struct dk_df_instr *in, const char *key,
		      struct bf_mounts *out, struct dk_err *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; in->flags && in->flags[i]; i += 2) {
		cleanup_free char *text = NULL;
		struct bf_mount_spec s;
		int r;

		if (strcmp(in->flags[i], "mount"))
			continue;
		if (!(text = bf_expand(b, st, in->flags[i + 1], err)) ||
		    bf_mount_parse(text, &s, err) < 0)
			return -1;
		r = one(b, st, stages, n_stages, &s, key, out, err);
		bf_mount_spec_free(&s);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* --- mount points ------------------------------------------------------- */

static bool exists(int rootfd, const char *path)
{
	struct dk_err ignored;
	int fd = dk_path_open(rootfd, path, O_PATH | O_NOFOLLOW, 0, &ignored);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int bf_mounts_note_stubs(struct bf_mounts *m, int rootfd, struct dk_err *err)
{
	for (size_t i = 0; i < m->n; i++) {
		char path[PATH_MAX], *p;

		dk_path_clean(m->v[i].dest, path, sizeof(path));
		if (exists(rootfd, path))
			continue;
		/* the topmost missing directory: everything below it is ours */
		for (p = path + 1; (p = strchr(p, '/')); p++) {
			*p = '\0';
			bool there = exists(rootfd, path);
			*p = '/';
			if (!there)
				break;
		}
		if (p)
			*p = '\0';
		if (dk_strv_push(&m->stub_top, path) < 0)
			return dk_err_sys(err, "mounts");
		dk_path_clean(m->v[i].dest, path, sizeof(path));
		if (dk_strv_push(&m->stubs, path) < 0)
			return dk_err_sys(err, "mounts");
	}
	return 0;
}

/* Remove path if it is an empty directory or an empty file. */
static void remove_empty(int rootfd, const char *path)
{
	struct dk_err ignored;
	const char *base;
	struct stat sb;
	cleanup_close int pfd = dk_path_open_parent(rootfd, path, false, &base, &ignored);

	if (pfd < 0 || fstatat(pfd, base, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (S_ISDIR(sb.st_mode))
		unlinkat(pfd, base, AT_REMOVEDIR);
	else if (S_ISREG(sb.st_mode) && sb.st_size == 0)
		unlinkat(pfd, base, 0);
}

void bf_mounts_remove_stubs(const struct bf_mounts *m, int rootfd)
{
	for (size_t i = m->stubs ? dk_strv_len(m->stubs) : 0; i-- > 0;) {
		char path[PATH_MAX];
		size_t top = strlen(m->stub_top[i]);

		snprintf(path, sizeof(path), "%s", m->stubs[i]);
		while (strlen(path) >= top && path[1]) {
			char *p = strrchr(path, '/');

			remove_empty(rootfd, path);
			if (!p || p == path)
				break;
			*p = '\0';
		}
	}
}

void bf_mounts_release(struct bf_build *b, struct bf_mounts *m)
{
	struct dk_err ignored;

	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].type);
		free(m->v[i].source);
		free(m->v[i].dest);
		dk_strv_free(m->v[i].options);
	}
	free(m->v);
	for (size_t i = 0; i < m->n_locks; i++)
		close(m->locks[i]);
	free(m->locks);
	for (size_t i = 0; m->snaps && m->snaps[i]; i++)
		bf_snap_remove(b, m->snaps[i]);
	dk_strv_free(m->snaps);
	if (m->tmpdir)
		dk_rm_rf_at(AT_FDCWD, m->tmpdir, &ignored);
	free(m->tmpdir);
	dk_strv_free(m->stubs);
	dk_strv_free(m->stub_top);
	dk_strv_free(m->env);
	memset(m, 0, sizeof(*m));
}
