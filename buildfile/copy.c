// SPDX-License-Identifier: GPL-2.0-or-later
/* copy.c: COPY and ADD. Sources are resolved inside the context (or the
 * --from image's rootfs), globs expanded, .dockerignore applied; their
 * digest (names, modes, contents) keys the cache. Copying goes into a
 * working snapshot, every destination resolved inside its rootfs; ADD of
 * a local tar archive extracts it with `unpack layer`. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "copyfs.h"
#include "fs.h"
#include "path.h"
#include "userspec.h"

struct bf_copy {
	struct bf_build *b;
	char **srcs;   /* paths relative to the source root */
	char *dest;    /* absolute, in the image */
	bool dest_dir; /* ends with "/" */
	const char *chown, *chmod;
	bool add, from;
	bool heredoc; /* the sources are ours: here-documents, downloads */
	char *root;   /* the source root on the host */
	int rootfd;
	char key[80];		   /* the --from snapshot, "" if none */
	bool parents;		   /* --parents */
	char **keep;		   /* --parents: the path kept below dest, per source */
	struct bf_ignore *exclude; /* --exclude patterns, or NULL */
	char **words;		   /* --from: the expanded words, resolved at run */
	char image[DK_DIGEST_MAX]; /* --from: the source image */
	char digest[DK_DIGEST_MAX];
};

/* "a/../../b" leaves the root; docker refuses such sources. */
static bool escapes(const char *p)
{
	int depth = 0;

	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			depth--;
		else if (n && !(n == 1 && p[0] == '.'))
			depth++;
		if (depth < 0)
			return true;
		p += n + (p[n] == '/');
	}
	return false;
}

static bool ignored(struct bf_build *b, const struct bf_copy *c, const char *rel)
{
	return (!c->from && bf_ignored(b->ignore, rel)) ||
	       (c->exclude && bf_ignored(c->exclude, rel));
}

/* --parents: the path kept below dest; a "/./" in the source word marks
 * where it starts, else the whole path relative to the source root. */
static int push_keep(struct bf_copy *c, const char *word, size_t from, struct dk_err *err)
{
	const char *pivot = strstr(word, "/./");
	size_t skip = 0;

	if (pivot) {
		char before[4096], clean[4096];

		snprintf(before, sizeof(before), "/%.*s", (int)(pivot - word), word);
		dk_path_clean(before, clean, sizeof(clean));
		for (const char *p = clean; *p; p++)
			skip += *p == '/' && p[1];
	}
	for (size_t i = from; c->srcs[i]; i++) {
		const char *k = c->srcs[i];

		for (size_t n = 0; n < skip && k; n++)
			k = strchr(k, '/') ? strchr(k, '/') + 1 : NULL;
		if (dk_strv_push(&c->keep, k ? k : "") < 0)
			return dk_err_sys(err, "--parents");
	}
	return 0;
}

static int add_glob(struct bf_build *b, struct bf_copy *c, const char *src, struct dk_err *err)
{
	cleanup_free char *pat = NULL;
	size_t before = dk_strv_len(c->srcs), skip = strlen(c->root) + 1;
	glob_t g;
	int ret = 0;

	if (asprintf(&pat, "%s/%s", c->root, src) < 0)
		return dk_err_sys(err, "%s", src);
	if (glob(pat, 0, NULL, &g) == 0) {
		for (size_t i = 0; ret == 0 && i < g.gl_pathc; i++) {
			const char *rel = g.gl_pathv[i] + skip;
			char res[4096];
			struct stat sb;

			/* glob follows symlinked directories: resolve again
			 * inside the root, drop what is not there */
			if (ignored(b, c, rel) ||
			    dk_path_resolve(c->rootfd, rel, res, sizeof(res), err) < 0 || !res[1] ||
			    ignored(b, c, res + 1) ||
			    fstatat(c->rootfd, res + 1, &sb, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			if (dk_strv_push(&c->srcs, res + 1) < 0)
				ret = dk_err_sys(err, "%s", src);
		}
		globfree(&g);
	}
	if (ret == 0 && dk_strv_len(c->srcs) == before)
		ret = dk_err_set(err, "%s: no source files match", src);
	return ret;
}

static int add_source(struct bf_build *b, struct bf_copy *c, const char *src, struct dk_err *err)
{
	char res[4096];
	struct stat sb;
	const char *where = c->from ? "the --from image" : "the build context";

	if (strstr(src, "://"))
		return c->add ? dk_err_set(
				    err, "%s: ADD of this kind of URL is not supported by dk", src)
			      : dk_err_set(err, "%s: COPY takes no URLs", src);
	if (escapes(src))
		return dk_err_set(err, "%s: forbidden path outside %s", src, where);
	size_t before = dk_strv_len(c->srcs);
	if (strpbrk(src, "*?["))
		return add_glob(b, c, src, err) < 0 ? -1 : push_keep(c, src, before, err);
	if (dk_path_resolve(c->rootfd, src, res, sizeof(res), err) < 0)
		return dk_err_wrap(err, "%s", src);
	if (fstatat(c->rootfd, res[1] ? res + 1 : ".", &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
	    (res[1] && ignored(b, c, res + 1)))
		return dk_err_set(err, "%s: not found in %s%s", src, where,
				  c->from ? "" : " (or excluded by .dockerignore)");
	if (dk_strv_push(&c->srcs, res[1] ? res + 1 : ".") < 0)
		return dk_err_sys(err, "%s", src);
	return push_keep(c, src, before, err);
}

/* Words expanded; the destination made absolute from WORKDIR. */
static int words(struct bf_build *b, struct bf_stage *st, struct bf_copy *c,
		 const struct dk_df_instr *in, char ***out, struct dk_err *err)
{
	size_t n = dk_strv_len(in->args);
	struct dk_image img;

	if (n < 2)
		return dk_err_set(err, "needs at least one source and a destination");
	for (size_t i = 0; i < n; i++) {
		char *w = in->json ? strdup(in->args[i]) : bf_expand(b, st, in->args[i], err);

		if (!w || dk_strv_push(out, w) < 0) {
			free(w);
			return in->json || w ? dk_err_sys(err, "words") : -1;
		}
		free(w);
	}
	const char *d = (*out)[n - 1];
	c->dest_dir =
	    d[strlen(d) - 1] == '/' || (strlen(d) > 1 && strcmp(d + strlen(d) - 2, "/.") == 0);
	if (d[0] == '/')
		return (c->dest = strdup(d)) ? 0 : dk_err_sys(err, "dest");
	if (dk_store_load_image(&b->store, st->digest, NULL, &img, err) < 0)
		return -1;
	const char *wd = img.config.config.working_dir;
	int r = asprintf(&c->dest, "%s/%s", wd && *wd ? wd : "", d);
	dk_image_free(&img);
	return r < 0 ? dk_err_sys(err, "dest") : 0;
}

static int open_root(struct bf_build *b, struct bf_copy *c, const char *src_image,
		     struct dk_err *err)
{
	if (!c->from) {
		c->root = strdup(b->o->context);
		c->rootfd = dup(b->ctxfd);
	} else {
		snprintf(c->key, sizeof(c->key), "%s-%u", b->prefix, b->seq++);
		if (bf_snap_prepare(b, src_image, c->key, &c->root, err) < 0) {
			c->key[0] = '\0';
			return dk_err_wrap(err, "--from %s", src_image);
		}
		c->rootfd = open(c->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (!c->root || c->rootfd < 0)
		return dk_err_sys(err, "source root");
	return 0;
}

static bool parse_parents(const struct dk_df_instr *in)
{
	const char *v = dk_df_flag(in, "parents");

	return v && strcmp(v, "false") != 0;
}

static int exclude_patterns(const struct dk_df_instr *in, struct bf_ignore **out,
			    struct dk_err *err)
{
	char **pats = NULL;
	int ret;

	*out = NULL;
	for (size_t i = 0; in->flags && in->flags[i]; i += 2)
		if (!strcmp(in->flags[i], "exclude") && dk_strv_push(&pats, in->flags[i + 1]) < 0) {
			dk_strv_free(pats);
			return dk_err_sys(err, "--exclude");
		}
	if (!pats)
		return 0;
	ret = bf_ignore_from(pats, out, err);
	dk_strv_free(pats);
	return ret;
}

/* COPY <<a <<b /dst/: every source is a here-document. */
static int heredoc_sources(struct bf_build *b, struct bf_stage *st, struct bf_copy *c,
			   const struct dk_df_instr *in, char *const *w, struct dk_err *err)
{
	if (dk_strv_len(w) - 1 != in->n_heredocs)
		return dk_err_set(err,
				  "here-documents mixed with other sources: not supported by dk");
	if (c->from)
		return dk_err_set(err, "here-documents with --from: not supported by dk");
	c->heredoc = true;
	if (bf_heredoc_files(b, st, in, &c->root, &c->srcs, err) < 0 ||
	    !(c->keep = dk_strv_dup(c->srcs)))
		return c->srcs ? dk_err_sys(err, "here-document") : -1;
	c->rootfd = open(c->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return c->rootfd < 0 ? dk_err_sys(err, "%s", c->root) : 0;
}

/* ADD URL...: every source downloaded (or cloned) into a new directory of
 * ours; the files are not unpacked. */
static int remote_sources(struct bf_build *b, struct bf_copy *c, const struct dk_df_instr *in,
			  char *const *w, struct dk_err *err)
{
	const char *sum = dk_df_flag(in, "checksum");
	size_t n = dk_strv_len(w) - 1;
	cleanup_free char *name = NULL;
	int ret = 0;

	if (!c->add)
		return dk_err_set(err, "%s: COPY takes no URLs", w[0]);
	if (c->exclude)
		return dk_err_set(err, "ADD --exclude with a URL: not supported by dk");
	if (sum && n > 1)
		return dk_err_set(err, "--checksum: only with a single source");
	if (n > 1 && !c->dest_dir)
		return dk_err_set(
		    err,
		    "with more than one source file, the destination must be a directory and end with a /");
	c->heredoc = true;
	if (asprintf(&c->root, "%s/build/%s-%u-url", b->root, b->prefix, b->seq++) < 0)
		return dk_err_sys(err, "ADD");
	if (dk_mkdir_p(c->root, 0700, err) < 0)
		return -1;
	if ((c->rootfd = open(c->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return dk_err_sys(err, "%s", c->root);
	for (size_t i = 0; ret == 0 && i < n; i++) {
		if (!bf_remote_word(w[i]))
			return dk_err_set(
			    err, "%s: URLs mixed with local sources: not supported by dk", w[i]);
		ret = bf_remote_fetch(b, in, w[i], sum, c->rootfd, &name, err);
		if (ret == 0 &&
		    (dk_strv_push(&c->srcs, name) < 0 || dk_strv_push(&c->keep, name) < 0))
			ret = dk_err_sys(err, "ADD");
		free(steal_ptr(name));
	}
	return ret;
}

/* The source root opened and every source word resolved in it. */
static int resolve_sources(struct bf_build *b, struct bf_copy *c, char *const *w,
			   struct dk_err *err)
{
	int ret = open_root(b, c, c->from ? c->image : NULL, err);

	for (size_t i = 0; ret == 0 && w[i + 1]; i++)
		ret = add_source(b, c, w[i], err);
	if (ret == 0 && dk_strv_len(c->srcs) > 1 && !c->dest_dir)
		ret = dk_err_set(
		    err,
		    "with more than one source file, the destination must be a directory and end with a /");
	return ret;
}

struct bf_copy *bf_copy_prepare(struct bf_build *b, struct bf_stage *st,
				const struct dk_df_instr *in, const char *src_image,
				struct dk_err *err)
{
	struct bf_copy *c = calloc(1, sizeof(*c));
	char **w = NULL;
	int ret;

	if (!c)
		return dk_err_sys(err, "COPY"), NULL;
	c->rootfd = -1;
	c->b = b;
	c->add = in->cmd == DK_DF_ADD;
	c->from = src_image != NULL;
	c->chown = dk_df_flag(in, "chown");
	c->chmod = dk_df_flag(in, "chmod");
	c->parents = parse_parents(in);
	ret = exclude_patterns(in, &c->exclude, err);
	if (ret == 0)
		ret = words(b, st, c, in, &w, err);
	if (ret == 0 && in->n_heredocs)
		ret = heredoc_sources(b, st, c, in, w, err);
	if (ret == 0 && !c->heredoc && bf_remote_word(w[0]))
		ret = remote_sources(b, c, in, w, err);
	else if (ret == 0 && dk_df_flag(in, "checksum"))
		ret = dk_err_set(err, "--checksum: only for an http(s) URL or a git source");
	else if (ret == 0 && dk_df_flag(in, "keep-git-dir"))
		ret = dk_err_set(err, "--keep-git-dir: only for a git source");
	if (ret == 0 && c->from) {
		/* the image digest and the words key the cache: its snapshot
		 * is prepared only when the step runs */
		snprintf(c->image, sizeof(c->image), "%s", src_image);
		ret = bf_copyfs_digest(-1, w, NULL, src_image, c->digest, err);
		c->words = steal_ptr(w);
	} else if (ret == 0) {
		if (!c->heredoc)
			ret = resolve_sources(b, c, w, err);
		if (ret == 0)
			ret = bf_copyfs_digest(c->rootfd, c->srcs, c->heredoc ? NULL : b->ignore,
					       NULL, c->digest, err);
	}
	dk_strv_free(w);
	if (ret < 0) {
		bf_copy_free(c);
		return NULL;
	}
	return c;
}

const char *bf_copy_digest(const struct bf_copy *c)
{
	return c->digest;
}

void bf_copy_free(struct bf_copy *c)
{
	if (!c)
		return;
	if (c->rootfd >= 0)
		close(c->rootfd);
	if (c->key[0])
		bf_snap_remove(c->b, c->key);
	if (c->heredoc && c->root) {
		struct dk_err ignored;

		dk_rm_rf_at(AT_FDCWD, c->root, &ignored);
	}
	dk_strv_free(c->srcs);
	dk_strv_free(c->keep);
	dk_strv_free(c->words);
	bf_ignore_free(c->exclude);
	free(c->dest);
	free(c->root);
	free(c);
}

/* The owner for --chown, resolved with the image's /etc/passwd, group. */
static int owner(int rfd, const char *spec, struct bf_copyfs_opts *o, struct dk_err *err)
{
	cleanup_free char *passwd = NULL, *group = NULL;
	struct dk_user u;
	size_t len;

	if (!spec) {
		o->uid = o->gid = 0;
		return 0;
	}
	if (dk_user_needs_files(spec)) {
		int fd = dk_path_open(rfd, "/etc/passwd", O_RDONLY, 0, err);

		if (fd >= 0) {
			dk_read_fd(fd, 1 << 20, &passwd, &len, err);
			close(fd);
		}
		fd = dk_path_open(rfd, "/etc/group", O_RDONLY, 0, err);
		if (fd >= 0) {
			dk_read_fd(fd, 1 << 20, &group, &len, err);
			close(fd);
		}
	}
	if (dk_user_resolve(spec, passwd, group, &u, err) < 0)
		return dk_err_wrap(err, "--chown %s", spec);
	o->uid = u.uid;
	o->gid = u.gid;
	return 0;
}

/* Where source i goes: dest, or with --parents dest plus its path. */
static char *target_of(const struct bf_copy *c, size_t i, int srcroot, bool *into_dir)
{
	struct stat sb;
	char *t = NULL;

	*into_dir = c->dest_dir || c->srcs[1];
	if (!c->parents)
		return strdup(c->dest);
	*into_dir = true;
	bool dir =
	    fstatat(srcroot, c->srcs[i], &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode);
	const char *k = c->keep[i], *slash = strrchr(k, '/');
	int n = dir ? (int)strlen(k) : (slash ? (int)(slash - k) : 0);
	if (asprintf(&t, "%s/%.*s", c->dest, n, k) < 0)
		return NULL;
	return t;
}

static int copy_all(struct bf_build *b, struct bf_copy *c, int rfd, const char *tmp,
		    struct dk_err *err)
{
	struct bf_links links = {0};
	struct bf_chmod mode;
	struct bf_copyfs_opts o = {.keep_owner = c->from && !c->chown,
				   .ignore = c->from || c->heredoc ? NULL : b->ignore,
				   .exclude = c->exclude,
				   .links = &links,
				   .chown_given = c->chown != NULL,
				   .tmpdir = tmp};
	int ret = 0;

	if (owner(rfd, c->chown, &o, err) < 0)
		return -1;
	if (c->chmod && bf_chmod_parse(c->chmod, &mode, err) < 0)
		return -1;
	o.chmod = c->chmod ? &mode : NULL;
	for (size_t i = 0; ret == 0 && c->srcs[i]; i++) {
		bool into_dir;
		cleanup_free char *t = target_of(c, i, c->rootfd, &into_dir);

		o.top_len = strcmp(c->srcs[i], ".") ? strlen(c->srcs[i]) + 1 : 0;
		ret = t ? bf_copyfs_one(c->rootfd, c->srcs[i], rfd, t, into_dir,
					c->add && !c->heredoc, &o, err)
			: dk_err_sys(err, "COPY");
	}
	bf_links_free(&links);
	return ret;
}

int bf_copy_run(struct bf_build *b, struct bf_stage *st, struct bf_copy *c,
		const struct dk_df_instr *in, struct dk_digest *out, struct dk_err *err)
{
	cleanup_free char *rootfs = NULL, *by = bf_nop_created_by(in), *tmp = NULL;
	struct dk_new_layer layer = {0};
	struct dk_err ignored;
	char key[80];
	int rfd = -1, ret = -1;

	if (c->words && !c->srcs && resolve_sources(b, c, c->words, err) < 0)
		return -1;
	snprintf(key, sizeof(key), "%s-%u", b->prefix, b->seq++);
	if (!by || asprintf(&tmp, "%s/build/%s-add", b->root, key) < 0)
		return dk_err_sys(err, "COPY");
	if (dk_mkdir_p(tmp, 0700, err) == 0 &&
	    bf_snap_prepare(b, st->digest, key, &rootfs, err) == 0) {
		rfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (rfd < 0)
			dk_err_sys(err, "%s", rootfs);
		else if (copy_all(b, c, rfd, tmp, err) == 0 &&
			 bf_snap_layer(b, st, key, &layer, err) == 0)
			ret = bf_write_image(b, st, NULL, &layer, by, out, err);
	}
	if (rfd >= 0)
		close(rfd);
	dk_descriptor_free(&layer.desc);
	bf_snap_remove(b, key);
	dk_rm_rf_at(AT_FDCWD, tmp, &ignored);
	return ret;
}
