// SPDX-License-Identifier: GPL-2.0-or-later
/* cache.c: the layer cache. A step's key is the sha256 of its parent
 * image, the instruction text, the build args in effect and, for COPY and
 * ADD, the digest of what is copied; $DK_ROOT/buildcache/<hex> holds the
 * manifest digest the step produced. An entry is used only while that
 * image's manifest, config and layers are all still in the store. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"

void bf_cache_key(const struct bf_stage *st, const struct dk_df_instr *in, const char *extra,
		  struct dk_digest *key)
{
	struct dk_err err;
	struct dk_hasher *h = dk_hasher_new(DK_SHA256, &err);

	if (!h) {
		memset(key, 0, sizeof(*key));
		return;
	}
	dk_hasher_update(h, "dk-buildfile-v1\n", 16);
	dk_hasher_update(h, st->digest, strlen(st->digest) + 1);
	dk_hasher_update(h, in->text, strlen(in->text) + 1);
	for (size_t i = 0; st->args && st->args[i]; i++)
		dk_hasher_update(h, st->args[i], strlen(st->args[i]) + 1);
	dk_hasher_update(h, st->cmd_set ? "c" : "-", 1);
	if (extra)
		dk_hasher_update(h, extra, strlen(extra) + 1);
	dk_hasher_final(h, key);
	dk_hasher_free(h);
}

static char *entry_path(struct bf_build *b, const struct dk_digest *key)
{
	char *p = NULL;

	if (asprintf(&p, "%s/buildcache/%s", b->root, dk_digest_hex(key)) < 0)
		return NULL;
	return p;
}

bool bf_cache_image_complete(struct dk_store *s, const struct dk_digest *d)
{
	struct dk_image img;
	struct dk_err err;
	bool ok = true;

	if (!dk_store_has_blob(s, d) || dk_store_load_image(s, d->str, NULL, &img, &err) < 0)
		return false;
	for (size_t i = 0; i < img.manifest.n_layers; i++)
		ok = ok && dk_store_has_blob(s, &img.manifest.layers[i].digest);
	dk_image_free(&img);
	return ok;
}

int bf_cache_entry_read(int dirfd, const char *name, struct dk_digest *out)
{
	cleanup_free char *buf = NULL;
	struct dk_err err;
	size_t len;

	if (dk_read_file_at(dirfd, name, 256, &buf, &len, &err) < 0)
		return -1;
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return dk_digest_parse(buf, out, &err);
}

bool bf_cache_get(struct bf_build *b, const struct dk_digest *key, struct dk_digest *out)
{
	cleanup_free char *path = NULL;

	if ((b->o->no_cache && !bf_cache_warmed(b, key)) || !key->str[0] ||
	    !(path = entry_path(b, key)))
		return false;
	return bf_cache_entry_read(AT_FDCWD, path, out) == 0 &&
	       bf_cache_image_complete(&b->store, out);
}

void bf_cache_put(struct bf_build *b, const struct dk_digest *key, const struct dk_digest *out)
{
	cleanup_free char *dir = NULL;
	cleanup_close int dfd = -1;
	struct dk_err err;
	char line[DK_DIGEST_MAX + 2];

	if (!key->str[0] || asprintf(&dir, "%s/buildcache", b->root) < 0)
		return;
	if (dk_mkdir_p(dir, 0700, &err) < 0 ||
	    (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "buildfile: warning: cache %s: cannot write\n", dir);
		return;
	}
	if (b->warm_fd >= 0) {
		snprintf(line, sizeof(line), "%s\n", key->str);
		if (write(b->warm_fd, line, strlen(line)) < 0)
			fprintf(stderr, "buildfile: warning: noting cache key: %m\n");
	}
	snprintf(line, sizeof(line), "%s\n", out->str);
	if (dk_write_file_at(dfd, dk_digest_hex(key), line, strlen(line), 0644, &err) < 0)
		fprintf(stderr, "buildfile: warning: cache: %s\n", err.msg);
}
