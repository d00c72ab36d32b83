// SPDX-License-Identifier: GPL-2.0-or-later
/* test_store.c: the image store: blob put and verification, tags under
 * concurrency, gc, resolving what users type. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>
#include "test.h"
#include "fs.h"
#include "store.h"

static char tmpl[] = "/tmp/dk-test-store-XXXXXX";
static struct dk_store st;

static int count_files(const char *sub)
{
	char path[512];
	int n = 0;
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/%s", st.path, sub);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void put(const char *s, struct dk_digest *d)
{
	struct dk_err err;

	CHECK_MSG(dk_store_put_buf(&st, s, strlen(s), NULL, d, &err) == 0, "%s", err.msg);
}

static void test_open_init(void)
{
	struct dk_err err;
	char *dir = mkdtemp(tmpl);
	char path[512];
	struct dk_store bad;

	snprintf(path, sizeof(path), "%s/images", dir);
	CHECK_INT(dk_store_open(&bad, path, false, &err), -1);
	CHECK(strstr(err.msg, "image store") != NULL);
	CHECK_INT(dk_store_open(&st, path, true, &err), 0);
	CHECK(faccessat(st.dirfd, "oci-layout", F_OK, 0) == 0);
	CHECK(faccessat(st.dirfd, "index.json", F_OK, 0) == 0);
}

static void test_blob_verify(void)
{
	struct dk_err err = {0};
	struct dk_digest good, wrong;
	const char *data = "hello blob";

	put(data, &good);
	CHECK(dk_store_has_blob(&st, &good));
	dk_digest_parse("sha256:0000000000000000000000000000000000000000000000000000000000000000",
			&wrong, &err);
	CHECK_INT(dk_store_put_buf(&st, data, strlen(data), &wrong, NULL, &err), -1);
	CHECK_MSG(strstr(err.msg, "digest mismatch") != NULL, "%s", err.msg);
	CHECK(!dk_store_has_blob(&st, &wrong));
	CHECK_INT(count_files("blobs/sha256"), 1);
	CHECK_INT(count_files(".dk-tmp"), 0); /* no partial left behind */
	/* expected digest right: stored */
	CHECK_INT(dk_store_put_buf(&st, data, strlen(data), &good, NULL, &err), 0);
	char *buf = NULL;
	size_t len;
	CHECK_INT(dk_store_read_blob(&st, &good, 100, &buf, &len, &err), 0);
	CHECK_STR(buf, data);
	free(buf);
}

static void test_streaming_abort(void)
{
	struct dk_err err;
	struct dk_blob_writer *w = dk_blob_writer_new(&st, NULL, DK_SHA256, &err);

	CHECK(w != NULL);
	CHECK_INT(dk_blob_write(w, "partial", 7, &err), 0);
	CHECK_INT(count_files(".dk-tmp"), 1);
	dk_blob_writer_abort(w);
	CHECK_INT(count_files(".dk-tmp"), 0);
}

static void test_corrupt_blob_read(void)
{
	struct dk_err err = {0};
	struct dk_digest d;
	char path[600];
	char *buf = NULL;
	size_t len;

	put("will be corrupted", &d);
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", st.path, dk_digest_hex(&d));
	FILE *f = fopen(path, "w");
	fputs("evil", f);
	fclose(f);
	CHECK_INT(dk_store_read_blob(&st, &d, 100, &buf, &len, &err), -1);
	CHECK(strstr(err.msg, "does not match its digest") != NULL);
	unlink(path);
}

/* An image: config + one layer + manifest, tagged name. */
static void make_image(const char *name, const char *layer, struct dk_digest *mdig)
{
	struct dk_err err;
	struct dk_digest ld, cd;
	char config[512], manifest[1024];

	put(layer, &ld);
	snprintf(
	    config, sizeof(config),
	    "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
	    ld.str);
	put(config, &cd);
	snprintf(
	    manifest, sizeof(manifest),
	    "{\"schemaVersion\":2,\"mediaType\":\"" DK_MT_OCI_MANIFEST "\","
	    "\"config\":{\"mediaType\":\"" DK_MT_OCI_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},"
	    "\"layers\":[{\"mediaType\":\"" DK_MT_OCI_LAYER "\",\"digest\":\"%s\",\"size\":%zu}]}",
	    cd.str, strlen(config), ld.str, strlen(layer));
	put(manifest, mdig);
	struct dk_descriptor desc = {
	    .media_type = DK_MT_OCI_MANIFEST, .digest = *mdig, .size = (int64_t)strlen(manifest)};
	if (name)
		CHECK_MSG(dk_store_tag(&st, name, &desc, &err) == 0, "%s", err.msg);
}

static void test_tags(void)
{
	struct dk_err err = {0};
	struct dk_digest m1, m2;
	struct dk_descriptor d;
	struct dk_index idx;

	make_image("docker.io/library/busybox:latest", "layer-one", &m1);
	make_image("docker.io/library/busybox:latest", "layer-two", &m2); /* retag */
	CHECK_INT(dk_store_resolve(&st, "docker.io/library/busybox:latest", &d, &err), 0);
	CHECK_STR(d.digest.str, m2.str);
	dk_descriptor_free(&d);
	CHECK_INT(dk_store_index(&st, &idx, &err), 0);
	CHECK_INT(idx.n_manifests, 1);
	dk_index_free(&idx);
	CHECK_INT(dk_store_resolve(&st, "docker.io/library/nope:latest", &d, &err), -1);
	CHECK(strstr(err.msg, "no such image") != NULL);
	CHECK_INT(dk_store_untag(&st, "docker.io/library/nope:latest", &err), -1);
	/* tagging a blob that is not there is refused */
	struct dk_descriptor ghost = {.digest = m1};
	strcpy(ghost.digest.str,
	       "sha256:4444444444444444444444444444444444444444444444444444444444444444");
	CHECK_INT(dk_store_tag(&st, "x:1", &ghost, &err), -1);
}

static void test_load_image(void)
{
	struct dk_err err = {0};
	struct dk_image img;
	struct dk_digest m;

	make_image("docker.io/library/alpine:3", "alpine-layer", &m);
	make_image("latest", "umoci-style", &m);
	CHECK_MSG(dk_store_load_image(&st, "alpine:3", NULL, &img, &err) == 0, "%s", err.msg);
	CHECK_INT(img.manifest.n_layers, 1);
	CHECK_STR(img.name, "docker.io/library/alpine:3");
	dk_image_free(&img);
	CHECK_MSG(dk_store_load_image(&st, "latest", NULL, &img, &err) == 0, "%s", err.msg);
	CHECK_STR(img.desc.digest.str, m.str);
	dk_image_free(&img);
	CHECK_MSG(dk_store_load_image(&st, m.str, NULL, &img, &err) == 0, "%s", err.msg);
	dk_image_free(&img);
	char byref[256];
	snprintf(byref, sizeof(byref), "whatever@%s", m.str);
	CHECK_MSG(dk_store_load_image(&st, byref, NULL, &img, &err) == 0, "%s", err.msg);
	dk_image_free(&img);
	CHECK_INT(dk_store_load_image(&st, "alpine:4", NULL, &img, &err), -1);
	CHECK_MSG(strstr(err.msg, "no such image: alpine:4") != NULL, "%s", err.msg);
	CHECK_INT(dk_store_load_image(&st, "Bad Name", NULL, &img, &err), -1);
}

/* Many processes tag at once: every tag must survive (the lock works). */
static void test_concurrent_tags(void)
{
	struct dk_err err;
	struct dk_digest m;
	struct dk_index idx;
	size_t before;

	make_image(NULL, "shared-layer", &m);
	CHECK_INT(dk_store_index(&st, &idx, &err), 0);
	before = idx.n_manifests;
	dk_index_free(&idx);
	for (int p = 0; p < 8; p++) {
		if (fork() == 0) {
			struct dk_descriptor d = {
			    .media_type = DK_MT_OCI_MANIFEST, .digest = m, .size = 1};
			for (int i = 0; i < 10; i++) {
				char name[64];

				snprintf(name, sizeof(name), "concurrent/p%d:%d", p, i);
				if (dk_store_tag(&st, name, &d, &err) < 0)
					_exit(1);
			}
			_exit(0);
		}
	}
	int failed = 0, status;
	while (wait(&status) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	CHECK_INT(failed, 0);
	CHECK_INT(dk_store_index(&st, &idx, &err), 0);
	CHECK_INT(idx.n_manifests, before + 80);
	dk_index_free(&idx);
}

static void test_gc(void)
{
	struct dk_err err = {0};
	struct dk_digest orphan, m;
	size_t removed = 99;
	struct dk_image img;

	put("nobody references me", &orphan);
	make_image("docker.io/library/gc:keep", "gc-keep-layer", &m);
	CHECK_MSG(dk_store_gc(&st, &removed, &err) == 0, "%s", err.msg);
	CHECK(removed >= 1);
	CHECK(!dk_store_has_blob(&st, &orphan));
	CHECK_MSG(dk_store_load_image(&st, "gc:keep", NULL, &img, &err) == 0, "%s", err.msg);
	dk_image_free(&img);
	/* untag then gc: its blobs go */
	CHECK_INT(dk_store_untag(&st, "docker.io/library/gc:keep", &err), 0);
	CHECK_INT(dk_store_gc(&st, &removed, &err), 0);
	CHECK(!dk_store_has_blob(&st, &m));
	/* a second gc finds nothing more */
	CHECK_INT(dk_store_gc(&st, &removed, &err), 0);
	CHECK_INT(removed, 0);
}

/* hash_behind: blobs past 1 MiB are written and hashed on a thread of
 * their own, in 1 MiB chunks (9 MiB and a bit: a partial last chunk); the
 * digest must match a one-shot hash of the same bytes, in writes of any
 * size, and a wrong expectation must still be refused. */
static void test_hash_behind(void)
{
	const size_t size = (9u << 20) + 12345;
	const size_t steps[] = {1, 4096, 65536, 1u << 20, size};
	char *data = malloc(size);
	struct dk_err err = {0};
	struct dk_digest want, got, wrong;

	CHECK(data != NULL);
	if (!data)
		return;
	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i * 2654435761u >> 13);
	CHECK_INT(dk_digest_buf(DK_SHA256, data, size, &want, &err), 0);
	st.hash_behind = true;
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		struct dk_blob_writer *w = dk_blob_writer_new(&st, NULL, DK_SHA256, &err);

		CHECK(w != NULL);
		for (size_t off = 0; w && off < size; off += steps[k])
			CHECK_INT(dk_blob_write(w, data + off,
						size - off < steps[k] ? size - off : steps[k],
						&err),
				  0);
		CHECK_MSG(w && dk_blob_writer_commit(w, &got, NULL, &err) == 0, "%s", err.msg);
		CHECK_STR(got.str, want.str);
	}
	wrong = want;
	wrong.str[strlen(wrong.str) - 1] ^= 1;
	CHECK_INT(dk_store_put_buf(&st, data, size, &wrong, NULL, &err), -1);
	CHECK_MSG(strstr(err.msg, "digest mismatch") != NULL, "%s", err.msg);
	/* abandoned while its thread runs: nothing left behind */
	struct dk_blob_writer *w = dk_blob_writer_new(&st, NULL, DK_SHA256, &err);
	CHECK_INT(dk_blob_write(w, data, size, &err), 0);
	dk_blob_writer_abort(w);
	CHECK_INT(count_files(".dk-tmp"), 0);
	st.hash_behind = false;
	free(data);
}

static void test_cleanup(void)
{
	struct dk_err err;

	dk_store_close(&st);
	CHECK_INT(dk_rm_rf_at(AT_FDCWD, tmpl, &err), 0);
	CHECK(access(tmpl, F_OK) != 0);
}

T_MAIN(T(test_open_init), T(test_blob_verify), T(test_streaming_abort), T(test_corrupt_blob_read),
       T(test_tags), T(test_load_image), T(test_concurrent_tags), T(test_gc), T(test_hash_behind),
       T(test_cleanup))
