// SPDX-License-Identifier: GPL-2.0-or-later
/* store-cmds.h: the store tool's subcommands and what they share. */
#ifndef STORE_CMDS_H
#define STORE_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "rowfmt.h"
#include "store.h"

extern const char *store_root_opt;

int store_cmd_list(int argc, char **argv);
int store_cmd_tag(int argc, char **argv);
int store_cmd_rm(int argc, char **argv);
int store_cmd_inspect(int argc, char **argv);
int store_cmd_history(int argc, char **argv);
int store_cmd_resolve(int argc, char **argv);
int store_cmd_gc(int argc, char **argv);
int store_cmd_check(int argc, char **argv);

/* Open the store under --root / DK_ROOT / the default. */
int store_open(struct dk_store *s, bool create, struct dk_err *err);

/* "docker.io/library/busybox:latest" -> repository "busybox", tag
 * "latest"; names that are not references come out as they are. */
void store_split_name(const char *name, char *repo, size_t rsize, char *tag, size_t tsize);

/* An RFC 3339 time (seconds), (time_t)-1 when not one. */
time_t store_created_time(const char *s);

/* `store list --filter` and its REPOSITORY[:TAG] operand (listfilter.c). */
struct store_filter {
	char **refs, **labels; /* patterns; "KEY" or "KEY=VALUE" */
	int dangling;	       /* -1: not asked, else 0 or 1 */
	const char *before, *since;
	time_t before_t, since_t; /* created times of before, since */
};
/* Add one --filter KEY=VALUE (docker's dangling, reference, label,
 * before, since). */
int store_filter_add(struct store_filter *f, const char *spec, struct dk_err *err);
/* Look up before= and since= images in s. */
int store_filter_resolve(struct store_filter *f, struct dk_store *s, struct dk_err *err);
/* Whether the image tagged repo:tag passes every filter. */
bool store_filter_match(const struct store_filter *f, const char *repo, const char *tag,
			const struct dk_image *img);
void store_filter_free(struct store_filter *f);

/* `store list --format` rows (listfmt.c, over lib/rowfmt.c); values in
 * the order Containers, CreatedAt, CreatedSince, Digest, ID, Repository,
 * SharedSize, Size, Tag, UniqueSize, VirtualSize (NULL: N/A). */
int store_fmt_header(const struct dk_rowfmt *f, struct dk_err *err);
int store_fmt_row(const struct dk_rowfmt *f, const char *const values[11], struct dk_err *err);

/* "3 hours ago" from an RFC 3339 time, "" when unknown. */
void store_ago(const char *created, char *buf, size_t size);

/* "1.2MB" as docker prints sizes. */
void store_human_size(int64_t n, char *buf, size_t size);

#endif
