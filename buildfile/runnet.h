// SPDX-License-Identifier: GPL-2.0-or-later
/* runnet.h: a RUN step's network (runnet.c). */
#ifndef BF_RUNNET_H
#define BF_RUNNET_H

#include "build.h"
#include "mount.h"

/* "none", "host" or "bridge" ("slirp4netns" rootless) for the step in. */
const char *bf_step_network(const struct bf_build *b, const struct dk_df_instr *in);
/* For "bridge" and "slirp4netns": join the network as key, write hosts
 * and resolv.conf into dir and bind them into the step (m); *netns: the
 * namespace's path (malloc'd; NULL for none and host); *exit_fd: what
 * keeps slirp4netns alive (-1 if none). */
int bf_net_up(struct bf_build *b, const char *mode, const char *key, const char *dir,
	      struct bf_mounts *m, char **netns, int *exit_fd, struct dk_err *err);
/* Leave it again (every time up was tried), closing exit_fd. */
void bf_net_down(struct bf_build *b, const char *mode, const char *key, int exit_fd);

#endif
