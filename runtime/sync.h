// SPDX-License-Identifier: GPL-2.0-or-later
/* sync.h: messages between the runtime and the container process it
 * cloned, over a SOCK_SEQPACKET socketpair: steps, errors (printed once by
 * the runtime) and file descriptors (the pty master). */
#ifndef RT_SYNC_H
#define RT_SYNC_H

#include <stddef.h>
#include "err.h"

enum rt_msg_type {
	RT_MSG_GO = 1,	   /* runtime -> child: id maps written; state JSON */
	RT_MSG_HOOKS,	   /* child -> runtime: run createRuntime hooks now */
	RT_MSG_HOOKS_DONE, /* runtime -> child */
	RT_MSG_PTY,	   /* child -> runtime: pty master attached */
	RT_MSG_READY,	   /* child -> runtime: set up, waiting for start */
	RT_MSG_ERROR,	   /* child -> runtime: status + message */
	RT_MSG_CGROUPS,	   /* runtime -> child: you are in your cgroups */
	RT_MSG_MOUNTFD,	   /* runtime -> child: bind source of mounts[text] */
	RT_MSG_MAPPED,	   /* runtime -> child: id maps written (initexec.c) */
};

struct rt_msg {
	int type;
	int status; /* exit status for RT_MSG_ERROR */
	int code;   /* errno of the cause */
	char text[DK_ERR_MSG_MAX];
};

/* Send a message (text may be NULL), with fd attached when fd >= 0. */
int rt_sync_send(int sock, int type, const char *text, int fd, struct dk_err *err);
/* Send an error from the child. */
void rt_sync_send_err(int sock, int status, const struct dk_err *e);
/* Receive one message; *fd gets an attached fd or -1. Returns 0, or -1 with
 * err set (EOF gives code 0 and "closed"). */
int rt_sync_recv(int sock, struct rt_msg *m, int *fd, struct dk_err *err);
/* Receive and require type; an RT_MSG_ERROR becomes err (*status set). */
int rt_sync_expect(int sock, int type, int *fd, int *status, struct dk_err *err);
/* After a failure of ours that the peer's may have caused: if the peer
 * already reported an error (within 100 ms), put it in err and *status. */
void rt_sync_take_error(int sock, int *status, struct dk_err *err);

/* Send/receive an fd over a unix socket (console socket). */
int rt_send_fd(int sock, int fd, const char *name, struct dk_err *err);

#endif
