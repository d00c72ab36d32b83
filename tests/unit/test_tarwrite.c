// SPDX-License-Identifier: GPL-2.0-or-later
/* test_tarwrite.c: the deterministic tar writer: ustar fields, checksums,
 * pax records for long names and xattrs, padding, end blocks, misuse. */
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>
#include "test.h"
#include "tarwrite.h"

/* Write entries into a memory file; returns the bytes (caller frees). */
static unsigned char *write_tar(const struct dk_tar_entry *e, size_t n, const char *data,
				size_t *len)
{
	FILE *f = tmpfile();
	struct dk_err err = {0};
	struct dk_tar_writer *w = dk_tar_writer_new(fileno(f), &err);
	unsigned char *buf;

	for (size_t i = 0; i < n; i++) {
		CHECK(dk_tar_write_header(w, &e[i], &err) == 0);
		if (e[i].type == DK_TAR_REG && e[i].size)
			CHECK(dk_tar_write_data(w, data, (size_t)e[i].size, &err) == 0);
	}
	CHECK(dk_tar_writer_finish(w, &err) == 0);
	dk_tar_writer_free(w);
	*len = (size_t)ftell(f);
	buf = malloc(*len);
	rewind(f);
	CHECK(fread(buf, 1, *len, f) == *len);
	fclose(f);
	return buf;
}

static bool checksum_ok(const unsigned char *h)
{
	unsigned int sum = 0;

	for (size_t i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return strtoul((const char *)h + 148, NULL, 8) == sum;
}

static void test_simple_entries(void)
{
	struct dk_tar_entry e[] = {
	    {.name = "dir", .type = DK_TAR_DIR, .mode = 0755, .mtime = 5},
	    {.name = "dir/f",
	     .type = DK_TAR_REG,
	     .mode = 0644,
	     .uid = 1000,
	     .gid = 100,
	     .size = 3,
	     .mtime = 7},
	    {.name = "dir/l", .type = DK_TAR_SYMLINK, .mode = 0777, .linkname = "f"},
	};
	size_t len;
	unsigned char *t = write_tar(e, 3, "abc", &len);

	/* 3 headers + 1 data block + 2 end blocks */
	CHECK_INT(len, 6 * 512);
	CHECK_STR((char *)t, "dir/");
	CHECK_INT(t[156], '5');
	CHECK(memcmp(t + 257,
		     "ustar\0"
		     "00",
		     8) == 0);
	CHECK(checksum_ok(t));
	CHECK_STR((char *)t + 512, "dir/f");
	CHECK_STR((char *)t + 512 + 100, "0000644");
	CHECK_STR((char *)t + 512 + 108, "0001750");
	CHECK_STR((char *)t + 512 + 124, "00000000003");
	CHECK(checksum_ok(t + 512));
	CHECK(memcmp(t + 1024, "abc\0", 4) == 0);
	CHECK_STR((char *)t + 1536 + 157, "f");
	CHECK_INT(t[1536 + 156], '2');
	/* no user or group names: the bytes do not depend on the machine */
	CHECK_INT(t[512 + 265], 0);
	for (size_t i = 4 * 512; i < len; i++)
		CHECK(t[i] == 0);
	free(t);
}

static void test_pax_records(void)
{
	char longname[300];
	static const char val[] = {'a', 0, 'b'};
	struct dk_tar_xattr xa = {"user.x", val, 3};
	struct dk_tar_entry e = {
	    .name = longname, .type = DK_TAR_REG, .mode = 0600, .xattrs = &xa, .n_xattrs = 1};
	size_t len;
	unsigned char *t;

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	t = write_tar(&e, 1, NULL, &len);
	CHECK_INT(t[156], 'x');
	CHECK(checksum_ok(t));
	CHECK(strncmp((char *)t, "PaxHeaders/", 11) == 0);
	CHECK(memmem(t + 512, 512, "path=nnn", 8) != NULL);
	CHECK(memmem(t + 512, 512, "SCHILY.xattr.user.x=a\0b\n", 24) != NULL);
	CHECK(memmem(t + 512, 512, "309 path=", 9) != NULL); /* self-counting length */
	CHECK_INT(t[1024 + 156], '0');
	CHECK(checksum_ok(t + 1024));
	free(t);
}

static void test_prefix_split(void)
{
	char name[200];
	struct dk_tar_entry e = {.name = name, .type = DK_TAR_REG, .mode = 0644};
	size_t len;
	unsigned char *t;

	memset(name, 'a', 120);
	name[120] = '/';
	memset(name + 121, 'b', 50);
	name[171] = '\0';
	t = write_tar(&e, 1, NULL, &len);
	CHECK_INT(t[156], '0'); /* fits ustar: no pax header */
	CHECK_INT(strnlen((char *)t, 100), 50);
	CHECK_INT(strnlen((char *)t + 345, 155), 120);
	free(t);
}

static void test_misuse(void)
{
	FILE *f = tmpfile();
	struct dk_err err = {0};
	struct dk_tar_writer *w = dk_tar_writer_new(fileno(f), &err);
	struct dk_tar_entry e = {.name = "f", .type = DK_TAR_REG, .size = 4};

	CHECK(dk_tar_write_header(w, &e, &err) == 0);
	CHECK(dk_tar_write_data(w, "toolong", 7, &err) < 0);
	CHECK(strstr(err.msg, "expects 4") != NULL);
	CHECK(dk_tar_write_data(w, "ab", 2, &err) == 0);
	CHECK(dk_tar_writer_finish(w, &err) < 0);
	CHECK(strstr(err.msg, "2 bytes short") != NULL);
	dk_tar_writer_free(w);
	fclose(f);
}

T_MAIN(T(test_simple_entries), T(test_pax_records), T(test_prefix_split), T(test_misuse))
