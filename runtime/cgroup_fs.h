// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup_fs.h: what the cgroup files share (cgroup.c, cgroup_cpuset.c):
 * the state's path entries, controller lists, and small reads and
 * writes of cgroup files. Not for use outside the cgroup code. */
#ifndef RT_CGROUP_FS_H
#define RT_CGROUP_FS_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"

/* One entry of the state's cgroup paths, "ctrls:dir" ("" ctrls for
 * cgroup2). A cgroup not made yet (cgroup_cpuset.c) is kept as
 * "?ctrls:dir", with "@ctrls:dir" where init is meanwhile. */
struct rt_cg_entry {
	char ctrls[128];
	const char *dir; /* points into the entry */
};

/* Split a live entry; false for a malformed one (a state file is not
 * trusted to have the colon) and for the "?" and "@" entries. */
bool rt_cg_split(const char *e, struct rt_cg_entry *out);

/* One line of /proc/PID/mountinfo, split in place (the fields point into
 * the line). */
struct rt_mountinfo {
	unsigned int maj, min;
	char *root, *point, *opts; /* opts: the mount's own (ro, nosuid ...) */
	char *fstype, *super;	   /* super: the filesystem's options */
};
bool rt_cg_mountinfo(char *line, struct rt_mountinfo *m);

/* Whether w is a whole word of list (words separated by sep; ','). */
bool rt_cg_has_word_sep(const char *list, const char *w, char sep);
bool rt_cg_has_word(const char *list, const char *w);

/* Whether snprintf's result n fitted in size bytes. */
bool rt_cg_fits(int n, size_t size);

/* Write val to dir/file in one write. */
int rt_cg_write(const char *dir, const char *file, const char *val, struct dk_err *err);
/* dir/file without its trailing newlines, malloc'd; NULL if unreadable. */
char *rt_cg_read(const char *dir, const char *file);

#endif
