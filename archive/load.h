// SPDX-License-Identifier: GPL-2.0-or-later
/* load.h: what `archive load` shares between its readers of the OCI
 * layout (load_oci.c) and of the older docker archive (load_docker.c). */
#ifndef ARCHIVE_LOAD_H
#define ARCHIVE_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include "store.h"

struct load {
	struct dk_store store;
	bool store_open;
	int dirfd;     /* the extracted archive */
	char *scratch; /* its path, removed at the end */
	int loaded;    /* images announced */
};

/* Open a regular file of the archive (confined to it); a device, fifo or
 * directory is an error. Returns the fd or -1. */
int load_open_member(struct load *l, const char *name, struct dk_err *err);
bool load_has_member(struct load *l, const char *name);
/* A small member (JSON) into *buf. */
int load_read_member(struct load *l, const char *name, char **buf, size_t *len, struct dk_err *err);
/* Tag desc as name (normalised as docker does). */
int load_tag(struct load *l, const char *name, const struct dk_descriptor *desc,
	     struct dk_err *err);
/* Print docker's "Loaded image: NAME" (or "Loaded image ID: ID"). */
void load_announce(struct load *l, const char *name, const struct dk_digest *config);

int load_oci(struct load *l, struct dk_err *err);
int load_docker(struct load *l, struct dk_err *err);

#endif
