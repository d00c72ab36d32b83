// SPDX-License-Identifier: GPL-2.0-or-later
/* create.c: `create` and the first half of `run`: the image (pulled when
 * missing, as --pull says), a record with a unique name, the snapshot
 * rootfs and config.json. A failure removes whatever was made. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "volume.h"
#include "container.h"

static int pull(const char *image, bool quiet, struct dk_err *err)
{
	char *args[] = {"pull", (char *)image, NULL};
	cleanup_free char *out = NULL;
	int rc = ctr_tool("fetch", args, &out, err);

	if (out && !quiet)
		fputs(out, stderr); /* dk run's stdout is the container's */
	if (rc != 0)
		return rc < 0 ? -1 : dk_err_set(err, "pulling %s failed", image);
	return 0;
}

static int load_image(struct ctr_run *r, struct dk_image *img, struct dk_err *err)
{
	struct dk_store s;
	int rc;

	if (!strcmp(r->pull, "always") && pull(r->image, r->quiet, err) < 0)
		return -1;
	if (dk_store_open_default(&s, ctr_g.root, true, err) < 0)
		return -1;
	rc = dk_store_load_image(&s, r->image, NULL, img, err);
	if (rc < 0 && !strcmp(r->pull, "never"))
		dk_err_set(err, "No such image: %s", r->image);
	if (rc < 0 && !strcmp(r->pull, "missing")) {
		if (!r->quiet)
			fprintf(stderr, "Unable to find image '%s' locally\n", r->image);
		rc = pull(r->image, r->quiet, err);
		if (rc == 0)
			rc = dk_store_load_image(&s, r->image, NULL, img, err);
	}
	dk_store_close(&s);
	return rc;
}

static int new_id(char *id, struct dk_err *err)
{
	unsigned char b[32];

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		return dk_err_sys(err, "getrandom");
	for (int i = 0; i < 32; i++)
		sprintf(id + 2 * i, "%02x", b[i]);
	return 0;
}

static char *random_name(void)
{
	static const char *const adj[] = {"brave", "calm",  "eager", "fond",  "jolly", "keen",
					  "lucid", "merry", "proud", "quiet", "swift", "witty"};
	static const char *const who[] = {"turing",   "hopper", "lovelace", "ritchie",
					  "thompson", "knuth",	"liskov",   "kay",
					  "pike",     "cerf",	"hamilton", "allen"};
	unsigned char b[3];
	char *s = NULL;

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		b[0] = b[1] = b[2] = 0;
	if (asprintf(&s, "%s_%s%s", adj[b[0] % 12], who[b[1] % 12], "") < 0)
		return NULL;
	return s;
}

/* sweep_new: the .new-PID-ID directories of creates killed before they
 * published their record (their PID is gone) */
static void sweep_new(void)
{
	cleanup_dir DIR *d = opendir(ctr_g.cdir);
	struct dirent *e;
	struct dk_err ignore;
	int pid;

	while (d && (e = readdir(d)))
		if (sscanf(e->d_name, ".new-%d-", &pid) == 1 && pid > 0 && kill(pid, 0) < 0 &&
		    errno == ESRCH)
			dk_rm_rf_at(dirfd(d), e->d_name, &ignore);
}

/* The record is written in CDIR/.new-PID-ID/ID and renamed into place
 * whole: a create killed at any point leaves either no container or one
 * with its record (before, a kill between mkdir and the write left a
 * directory that ps did not list and rm could not remove). */
static int publish_record(const struct dk_crec *rec, struct dk_err *err)
{
	cleanup_free char *tmp = NULL;
	cleanup_free char *dir = NULL;
	char path[4200];
	int rc;

	if (dk_mkdir_p(ctr_g.cdir, 0700, err) < 0)
		return -1;
	sweep_new();
	if (asprintf(&tmp, "%s/.new-%d-%s", ctr_g.cdir, (int)getpid(), rec->id) < 0 ||
	    asprintf(&dir, "%s/%s", tmp, rec->id) < 0)
		return dk_err_sys(err, "container %s: record", rec->id);
	if (mkdir(tmp, 0700) < 0 || mkdir(dir, 0700) < 0)
		return dk_err_sys(err, "creating %s", dir);
	rc = dk_crec_save(tmp, rec, err);
	snprintf(path, sizeof(path), "%s/%s", ctr_g.cdir, rec->id);
	if (rc == 0 && rename(dir, path) < 0)
		rc = dk_err_sys(err, "creating %s", path);
	if (rc < 0) {
		struct dk_err ignore;
		dk_rm_rf_at(AT_FDCWD, tmp, &ignore);
		return -1;
	}
	rmdir(tmp);
	return 0;
}

/* The record, then the name (so a claimer always finds the owner's
 * record). On a conflict the record is removed again. */
static int make_record(struct dk_crec *rec, const struct ctr_run *r, int *status,
		       struct dk_err *err)
{
	char owner[65];
	int rc;

	if (publish_record(rec, err) < 0)
		return -1;
	for (int tries = 0; tries < 20; tries++) {
		rc = dk_crec_claim_name(ctr_g.cdir, rec->name, rec->id, owner, err);
		if (rc <= 0 || r->name)
			break;
		free(rec->name);
		rec->name = random_name();
		if (!rec->name || dk_crec_save(ctr_g.cdir, rec, err) < 0)
			return -1;
	}
	if (rc == 1) {
		*status = DK_EXIT_RUN_FAIL;
		return dk_err_set(err,
				  "Conflict. The container name \"/%s\" is already in use by "
				  "container \"%s\". You have to remove (or rename) that container "
				  "to be able to reuse that name.",
				  rec->name, owner);
	}
	return rc;
}

static int fill_record(struct dk_crec *rec, struct ctr_run *r, const struct dk_image *img)
{
	char now[64];

	dk_time_now(now, sizeof(now));
	rec->name = r->name ? strdup(r->name) : random_name();
	rec->image = strdup(r->image);
	rec->image_id = strdup(img->config_digest.str);
	rec->created = strdup(now);
	rec->status = strdup("created");
	rec->cmd = ctr_args(img, r);
	rec->o = r->o; /* the record owns the options now */
	memset(&r->o, 0, sizeof(r->o));
	if (ctr_flags_record(rec, &r->x, img) < 0 || ctr_volumes_name(&rec->o.hc) < 0)
		return -1;
	return rec->name && rec->image && rec->image_id && rec->created && rec->status && rec->cmd
		   ? 0
		   : -1;
}

/* snapshot prepare, then config.json in the container's directory. */
static int make_bundle(const struct dk_crec *rec, const struct ctr_run *r,
		       const struct dk_image *img, struct dk_err *err)
{
	char *args[] = {"prepare", (char *)img->desc.digest.str, (char *)rec->id, NULL};
	cleanup_free char *rootfs = NULL;
	cleanup_free char *json = NULL;
	struct ctr_run view = *r;
	char path[4200];
	size_t len;
	int rc;

	rc = ctr_tool("snapshot", args, &rootfs, err);
	if (rc != 0 || !rootfs || !*rootfs)
		return rc < 0 ? -1 : dk_err_set(err, "preparing the container's filesystem failed");
	rootfs[strcspn(rootfs, "\n")] = '\0';
	if (ctr_net_files(rec, err) < 0)
		return -1;
	view.o = rec->o;
	if (ctr_spec(img, &view, rec->id, rootfs, &json, &len, err) < 0 ||
	    ctr_volumes_prepare(rec, rootfs, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s/config.json", ctr_g.cdir, rec->id);
	return dk_write_file_at(AT_FDCWD, path, json, len, 0600, err);
}

int ctr_create(struct ctr_run *r, char *id, int *status, struct dk_err *err)
{
	struct dk_image img;
	struct dk_crec rec = {0};
	int rc = -1;

	*status = DK_EXIT_RUN_FAIL;
	if (load_image(r, &img, err) < 0)
		return -1;
	if (new_id(rec.id, err) < 0 || fill_record(&rec, r, &img) < 0) {
		if (!err->msg[0])
			dk_err_sys(err, "creating the record");
		goto out;
	}
	if (ctr_volumes_from(&rec.o.hc, err) < 0 || ctr_net_check(&rec, r, &img, err) < 0)
		goto out;
	rc = make_record(&rec, r, status, err);
	if (rc != 0) {
		struct dk_err ignore;
		dk_rm_rf_at(AT_FDCWD, ctr_path(rec.id, ""), &ignore);
		rc = -1;
	} else if (make_bundle(&rec, r, &img, err) < 0 ||
		   (r->x.cidfile && ctr_cidfile_write(r->x.cidfile, rec.id, err) < 0)) {
		struct dk_err ignore;
		ctr_remove(rec.id, &ignore); /* undo everything */
		dk_vol_remove_anonymous(ctr_g.root, rec.o.hc.mounts, rec.id);
		rc = -1;
	}
	if (rc == 0)
		ctr_event(&rec, "create", NULL, NULL);
	snprintf(id, 65, "%s", rec.id);
out:
	dk_crec_free(&rec);
	dk_image_free(&img);
	return rc;
}
