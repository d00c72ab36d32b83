// SPDX-License-Identifier: GPL-2.0-or-later
/* unsynced.c: the journal of blobs whose data may not be on the disk yet
 * (see unsynced.h). One file per pull, one digest per line; its name
 * starts with the kernel's boot id, which changes at every boot. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "unsynced.h"

#define DIR_NAME    "unsynced"
#define BOOT_LEN    36 /* a uuid */
#define RETIRE_AGE  60 /* seconds: the kernel writes dirty data back within 30 */
#define JOURNAL_MAX ((size_t)1 << 20)

static int boot_id(char out[BOOT_LEN + 1])
{
	char buf[64];
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	if (n < BOOT_LEN)
		return -1;
	memcpy(out, buf, BOOT_LEN);
	out[BOOT_LEN] = '\0';
	return 0;
}

/* The journal's directory, created (and its name made durable) if new. */
static int open_dir(int dirfd, struct dk_err *err)
{
	int fd;

	if (mkdirat(dirfd, DIR_NAME, 0700) == 0 && dk_fsync_dir(dirfd, err) < 0)
		return -1;
	fd = openat(dirfd, DIR_NAME, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? dk_err_sys(err, "opening %s", DIR_NAME) : fd;
}

static int write_journal(int dfd, const char *name, const struct dk_digest *const *d, size_t n,
			 struct dk_err *err)
{
	cleanup_close int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	cleanup_free char *buf = malloc(n * (DK_DIGEST_MAX + 1) + 1);
	size_t len = 0;

	if (fd < 0 || !buf)
		return dk_err_sys(err, "creating %s/%s", DIR_NAME, name);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "%s\n", d[i]->str);
	if (dk_write_all(fd, buf, len, err) < 0)
		return dk_err_wrap(err, "%s/%s", DIR_NAME, name);
	if (fsync(fd) < 0)
		return dk_err_sys(err, "syncing %s/%s", DIR_NAME, name);
	return 0;
}

int dk_unsynced_record(int dirfd, const struct dk_digest *const *d, size_t n, struct dk_err *err)
{
	char boot[BOOT_LEN + 1], name[128];
	unsigned int rnd = 0;
	cleanup_close int dfd = -1;

	if (boot_id(boot) < 0)
		return dk_err_set(err, "no boot id: blobs are synced before they are published");
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = (unsigned int)rand();
	snprintf(name, sizeof(name), "%s-%d-%08x", boot, (int)getpid(), rnd);
	dfd = open_dir(dirfd, err);
	if (dfd < 0 || write_journal(dfd, name, d, n, err) < 0)
		return -1;
	return dk_fsync_dir(dfd, err);
}

/* Earlier boot: the blob must still hash to its name, or it goes. */
static void check_blob(int dirfd, const struct dk_digest *d, const char *rel)
{
	cleanup_close int fd = openat(dirfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct dk_digest got;
	struct dk_err e;

	if (fd < 0 && errno == ENOENT)
		return;
	if (fd >= 0 && dk_digest_fd(d->alg, fd, &got, &e) == 0 && dk_digest_equal(&got, d))
		return;
	unlinkat(dirfd, rel, 0);
}

/* This boot: make sure the blob reached the disk. */
static void sync_blob(int dirfd, const char *rel)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Each digest of the journal: checked (earlier) or synced (this boot). */
static void walk_journal(int dirfd, int dfd, const char *name, int earlier)
{
	cleanup_free char *buf = NULL;
	struct dk_err e;
	size_t len;

	if (dk_read_file_at(dfd, name, JOURNAL_MAX, &buf, &len, &e) < 0)
		return;
	for (char *sp, *line = strtok_r(buf, "\n", &sp); line; line = strtok_r(NULL, "\n", &sp)) {
		struct dk_digest d;
		char rel[256];

		if (dk_digest_parse(line, &d, &e) < 0)
			continue; /* cut by a crash while it was written */
		snprintf(rel, sizeof(rel), "blobs/%s/%s", dk_digest_alg_name(d.alg),
			 dk_digest_hex(&d));
		if (earlier)
			check_blob(dirfd, &d, rel);
		else
			sync_blob(dirfd, rel);
	}
}

/* 1 for a journal of an earlier boot, 0 for one of this boot old enough
 * to retire, -1 to leave alone (young, or not a journal). */
static int journal_age(int dfd, const char *name, const char *boot)
{
	struct stat st;

	if (strlen(name) <= BOOT_LEN || name[BOOT_LEN] != '-')
		return -1;
	if (strncmp(name, boot, BOOT_LEN) != 0)
		return 1;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	return time(NULL) - st.st_mtime > RETIRE_AGE ? 0 : -1;
}

void dk_unsynced_recover(int dirfd)
{
	char boot[BOOT_LEN + 1];
	int dfd = openat(dirfd, DIR_NAME, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *dir;

	if (dfd < 0)
		return;
	if (boot_id(boot) < 0 || !(dir = fdopendir(dfd))) {
		close(dfd);
		return;
	}
	while ((de = readdir(dir))) {
		int age = journal_age(dfd, de->d_name, boot);

		if (age < 0)
			continue;
		walk_journal(dirfd, dfd, de->d_name, age);
		unlinkat(dfd, de->d_name, 0);
	}
	closedir(dir);
}
