// SPDX-License-Identifier: GPL-2.0-or-later
/* cleanup.h: __attribute__((cleanup)) helpers, one per resource type. */
#ifndef DK_CLEANUP_H
#define DK_CLEANUP_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>

static inline void dk_freep(void *p)
{
	free(*(void **)p);
}

/* Close *fd if open and mark it closed (-1), keeping errno. */
static inline void dk_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
		*fd = -1;
	}
}

static inline void dk_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

static inline void dk_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define cleanup_free  __attribute__((cleanup(dk_freep)))
#define cleanup_close __attribute__((cleanup(dk_closep)))
#define cleanup_dir   __attribute__((cleanup(dk_closedirp)))
#define cleanup_file  __attribute__((cleanup(dk_fclosep)))

/* Take ownership of *pp, leaving NULL behind so its cleanup does nothing. */
static inline void *dk_steal_ptr(void *pp)
{
	void **p = pp;
	void *v = *p;
	*p = NULL;
	return v;
}
#define steal_ptr(pp) dk_steal_ptr(&(pp))

/* Take ownership of an fd, leaving -1 behind. */
static inline int dk_steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}
#define steal_fd(fd) dk_steal_fd(&(fd))

#endif
