// SPDX-License-Identifier: GPL-2.0-or-later
/* volume.c: `volume create|ls|inspect|rm|prune`, docker's volume commands
 * over lib/volume.c (volumes live in $DK_ROOT/volumes/NAME). */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "volume.h"
#include "container.h"

static int vol_create(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"label", required_argument, NULL, 'l'}, {"driver", required_argument, NULL, 'd'},
	    {"opt", required_argument, NULL, 'o'},   {"name", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},	     {NULL, 0, NULL, 0},
	};
	char **labels = NULL, name[65] = "";
	struct dk_err err = {0};
	bool created;
	int c, rc;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+l:d:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': dk_strv_push(&labels, optarg); break;
		case 'n': snprintf(name, sizeof(name), "%s", optarg); break;
		case 'd':
			if (!strcmp(optarg, "local"))
				break;
			return ctr_usage("volume create", "driver \"%s\" is not supported (local)",
					 optarg);
		case 'o':
			return ctr_usage("volume create", "--opt is not supported (a local "
							  "directory volume has no options)");
		case 'h': printf("Usage: container volume create [--label K=V] [NAME]\n"); return 0;
		default: return ctr_usage("volume create", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		snprintf(name, sizeof(name), "%s", argv[optind]);
	if (!name[0]) {
		unsigned char b[32];
		if (getrandom(b, sizeof(b), 0) != sizeof(b)) {
			dk_err_sys(&err, "getrandom");
			return dk_fail(&err);
		}
		for (int i = 0; i < 32; i++)
			sprintf(name + 2 * i, "%02x", b[i]);
	}
	if (!dk_crec_valid_name(name))
		return ctr_usage("volume create",
				 "create %s: \"%s\" includes invalid characters for a local volume "
				 "name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed",
				 name, name);
	rc = dk_vol_create(ctr_g.root, name, false, labels, &created, &err);
	dk_strv_free(labels);
	if (rc < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	printf("%s\n", name);
	return 0;
}

static void emit(struct dk_jgen *g, const char *name)
{
	cleanup_free char *data = dk_vol_data(ctr_g.root, name);
	cleanup_free char *buf = NULL;
	char meta[4200];
	struct dk_json *v = NULL;
	struct dk_err err;
	size_t len;

	snprintf(meta, sizeof(meta), "%s/volumes/%s/meta.json", ctr_g.root, name);
	if (dk_read_file_at(AT_FDCWD, meta, 1 << 20, &buf, &len, &err) == 0)
		v = dk_json_parse(buf, len, meta, &err);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "CreatedAt",
		     v && dk_json_get_str(v, "CreatedAt") ? dk_json_get_str(v, "CreatedAt") : "");
	dk_jgen_kstr(g, "Driver", "local");
	dk_jgen_str(g, "Labels");
	dk_jgen_value(g, v ? dk_json_get(v, "Labels") : NULL);
	dk_jgen_kstr(g, "Mountpoint", data ? data : "");
	dk_jgen_kstr(g, "Name", name);
	dk_jgen_str(g, "Options");
	dk_jgen_null(g);
	dk_jgen_kstr(g, "Scope", "local");
	dk_jgen_map_close(g);
	dk_json_free(v);
}

static int emit_volume(struct dk_jgen *g, const char *name)
{
	if (!dk_vol_exists(ctr_g.root, name)) {
		fprintf(stderr, "Error response from daemon: get %s: no such volume\n", name);
		return -1;
	}
	emit(g, name);
	return 0;
}

static int vol_inspect(int argc, char **argv)
{
	return ctr_print_array("volume inspect", argc, argv, emit_volume);
}

/* Remove name unless a container uses it (docker's message names them). */
static int remove_one(const char *name, bool quiet, struct dk_err *err)
{
	char **users;
	int rc = 0;

	if (!dk_vol_exists(ctr_g.root, name))
		return dk_err_set(err, "get %s: no such volume", name);
	users = dk_vol_users(ctr_g.root, name, err);
	if (!users)
		return -1;
	if (users[0]) {
		char ids[1024] = "";
		for (char **u = users; *u; u++)
			snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%s%s",
				 u == users ? "" : ", ", *u);
		rc = quiet ? 1 : dk_err_set(err, "remove %s: volume is in use - [%s]", name, ids);
	} else {
		rc = dk_vol_remove(ctr_g.root, name, err);
	}
	dk_strv_free(users);
	return rc;
}

static int vol_rm(int argc, char **argv)
{
	struct dk_err err = {0};
	int rc = 0, first = 1;

	if (argc > 1 && (!strcmp(argv[1], "-f") || !strcmp(argv[1], "--force")))
		first = 2; /* docker: -f only quiets "no such volume" */
	if (argc <= first)
		return ctr_usage("volume rm", "\"rm\" requires at least 1 argument.");
	for (int i = first; i < argc; i++) {
		memset(&err, 0, sizeof(err));
		if (remove_one(argv[i], false, &err) < 0) {
			if (first == 2 && !dk_vol_exists(ctr_g.root, argv[i]))
				continue;
			rc = ctr_daemon_error(DK_EXIT_FAIL, &err);
		} else {
			printf("%s\n", argv[i]);
		}
	}
	return rc;
}

static bool is_anonymous(const char *name)
{
	cleanup_free char *buf = NULL;
	char meta[4200];
	struct dk_json *v;
	struct dk_err err;
	size_t len;
	bool anon;

	snprintf(meta, sizeof(meta), "%s/volumes/%s/meta.json", ctr_g.root, name);
	if (dk_read_file_at(AT_FDCWD, meta, 1 << 20, &buf, &len, &err) < 0 ||
	    !(v = dk_json_parse(buf, len, meta, &err)))
		return false;
	anon = dk_json_is_true(dk_json_get(v, "Anonymous"));
	dk_json_free(v);
	return anon;
}

/* docker's prune: unused anonymous volumes; -a: every unused one. */
static int vol_prune(int argc, char **argv)
{
	struct dk_err err = {0};
	bool force = false, all = false;
	char **v;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = true;
		else if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all"))
			all = true;
		else
			return ctr_usage("volume prune", "unknown flag: %s", argv[i]);
	}
	if (!force)
		return ctr_usage("volume prune", "prune removes unused volumes: confirm with -f");
	v = dk_vol_list(ctr_g.root, &err);
	if (!v)
		return dk_fail(&err);
	printf("Deleted Volumes:\n");
	for (char **n = v; *n; n++)
		if ((all || is_anonymous(*n)) && remove_one(*n, true, &err) == 0)
			printf("%s\n", *n);
	dk_strv_free(v);
	return 0;
}

int ctr_cmd_volume(int argc, char **argv)
{
	static const struct dk_cmd cmds[] = {
	    {"create", vol_create, "[NAME]: a new volume (--label K=V)"},
	    {"ls", ctr_volume_ls, "[-q] [-f K=V]...: the volumes"},
	    {"list", ctr_volume_ls, "same as ls"},
	    {"inspect", vol_inspect, "NAME...: details as JSON"},
	    {"rm", vol_rm, "[-f] NAME...: remove volumes no container uses"},
	    {"remove", vol_rm, "same as rm"},
	    {"prune", vol_prune, "-f [-a]: remove unused anonymous (-a: all) volumes"},
	    {NULL, NULL, NULL},
	};

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("Usage: container volume COMMAND\n\n");
		dk_print_commands(cmds);
		return argc < 2 ? DK_EXIT_USAGE : 0;
	}
	return dk_dispatch(cmds, argc - 1, argv + 1);
}
