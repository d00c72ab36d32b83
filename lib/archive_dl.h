// SPDX-License-Identifier: GPL-2.0-or-later
/* archive_dl.h: libarchive for lib/layer*.c, loaded with dlopen the first
 * time a layer is read (dk_archive_load), not at every tool's start:
 * libarchive pulls in libxml2 and ICU, whose relocations made up about a
 * quarter of `dk run`'s CPU through `snapshot prepare` and `remove`, which
 * never read a layer when the layers are cached. The real headers give
 * the types and constants; each call goes through the loaded table. */
#ifndef DK_ARCHIVE_DL_H
#define DK_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>
#include "err.h"

#define DK_ARCHIVE_FUNCS(X)                  \
	X(archive_entry_atime)               \
	X(archive_entry_atime_is_set)        \
	X(archive_entry_atime_nsec)          \
	X(archive_entry_filetype)            \
	X(archive_entry_gid)                 \
	X(archive_entry_hardlink)            \
	X(archive_entry_mode)                \
	X(archive_entry_mtime)               \
	X(archive_entry_mtime_nsec)          \
	X(archive_entry_pathname)            \
	X(archive_entry_rdev)                \
	X(archive_entry_size)                \
	X(archive_entry_size_is_set)         \
	X(archive_entry_symlink)             \
	X(archive_entry_uid)                 \
	X(archive_entry_xattr_count)         \
	X(archive_entry_xattr_next)          \
	X(archive_entry_xattr_reset)         \
	X(archive_errno)                     \
	X(archive_error_string)              \
	X(archive_read_data_block)           \
	X(archive_read_free)                 \
	X(archive_read_new)                  \
	X(archive_read_next_header)          \
	X(archive_read_open2)                \
	X(archive_read_support_filter_gzip)  \
	X(archive_read_support_filter_zstd)  \
	X(archive_read_support_format_empty) \
	X(archive_read_support_format_raw)   \
	X(archive_read_support_format_tar)   \
	X(archive_set_error)

#define DK_ARCHIVE_MEMBER(f) __typeof__(f) *f;
struct dk_archive_api {
	DK_ARCHIVE_FUNCS(DK_ARCHIVE_MEMBER)
};
#undef DK_ARCHIVE_MEMBER

extern struct dk_archive_api dk_archive;

/* Load libarchive once (later calls return at once). */
int dk_archive_load(struct dk_err *err);

#ifndef DK_ARCHIVE_DL_IMPL
#define archive_entry_atime(...)	dk_archive.archive_entry_atime(__VA_ARGS__)
#define archive_entry_atime_is_set(...) dk_archive.archive_entry_atime_is_set(__VA_ARGS__)
#define archive_entry_atime_nsec(...)	dk_archive.archive_entry_atime_nsec(__VA_ARGS__)
#define archive_entry_filetype(...)	dk_archive.archive_entry_filetype(__VA_ARGS__)
#define archive_entry_gid(...)		dk_archive.archive_entry_gid(__VA_ARGS__)
#define archive_entry_hardlink(...)	dk_archive.archive_entry_hardlink(__VA_ARGS__)
#define archive_entry_mode(...)		dk_archive.archive_entry_mode(__VA_ARGS__)
#define archive_entry_mtime(...)	dk_archive.archive_entry_mtime(__VA_ARGS__)
#define archive_entry_mtime_nsec(...)	dk_archive.archive_entry_mtime_nsec(__VA_ARGS__)
#define archive_entry_pathname(...)	dk_archive.archive_entry_pathname(__VA_ARGS__)
#define archive_entry_rdev(...)		dk_archive.archive_entry_rdev(__VA_ARGS__)
#define archive_entry_size(...)		dk_archive.archive_entry_size(__VA_ARGS__)
#define archive_entry_size_is_set(...)	dk_archive.archive_entry_size_is_set(__VA_ARGS__)
#define archive_entry_symlink(...)	dk_archive.archive_entry_symlink(__VA_ARGS__)
#define archive_entry_uid(...)		dk_archive.archive_entry_uid(__VA_ARGS__)
#define archive_entry_xattr_count(...)	dk_archive.archive_entry_xattr_count(__VA_ARGS__)
#define archive_entry_xattr_next(...)	dk_archive.archive_entry_xattr_next(__VA_ARGS__)
#define archive_entry_xattr_reset(...)	dk_archive.archive_entry_xattr_reset(__VA_ARGS__)
#define archive_errno(...)		dk_archive.archive_errno(__VA_ARGS__)
#define archive_error_string(...)	dk_archive.archive_error_string(__VA_ARGS__)
#define archive_read_data_block(...)	dk_archive.archive_read_data_block(__VA_ARGS__)
#define archive_read_free(...)		dk_archive.archive_read_free(__VA_ARGS__)
#define archive_read_new(...)		dk_archive.archive_read_new(__VA_ARGS__)
#define archive_read_next_header(...)	dk_archive.archive_read_next_header(__VA_ARGS__)
#define archive_read_open2(...)		dk_archive.archive_read_open2(__VA_ARGS__)
#define archive_read_support_filter_gzip(...) \
	dk_archive.archive_read_support_filter_gzip(__VA_ARGS__)
#define archive_read_support_filter_zstd(...) \
	dk_archive.archive_read_support_filter_zstd(__VA_ARGS__)
#define archive_read_support_format_empty(...) \
	dk_archive.archive_read_support_format_empty(__VA_ARGS__)
#define archive_read_support_format_raw(...) dk_archive.archive_read_support_format_raw(__VA_ARGS__)
#define archive_read_support_format_tar(...) dk_archive.archive_read_support_format_tar(__VA_ARGS__)
#define archive_set_error(...)		     dk_archive.archive_set_error(__VA_ARGS__)
#endif

#endif
