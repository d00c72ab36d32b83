// SPDX-License-Identifier: GPL-2.0-or-later
/* check.c: before anything runs, every instruction's flags are checked
 * against what the builder honours: flags the reference has and dk does
 * not implement, RUN --mount specs, --network and --security values. The
 * first problem fails the build with its line number. */
#include <string.h>
#include "build.h"
#include "copyfs.h"
#include "mount.h"

static int check_run(const struct dk_df_instr *in, struct dk_err *err)
{
	const char *net = dk_df_flag(in, "network"), *sec = dk_df_flag(in, "security");

	if (net && strcmp(net, "none") && strcmp(net, "default") && strcmp(net, "host"))
		return dk_err_set(err, "RUN --network=%s: want none, default or host", net);
	if (sec && !strcmp(sec, "insecure"))
		return dk_err_set(err, "RUN --security=insecure: not supported by dk (no "
				       "security.insecure entitlement)");
	if (sec && strcmp(sec, "sandbox"))
		return dk_err_set(err, "RUN --security=%s: want sandbox or insecure", sec);
	for (size_t i = 0; in->flags && in->flags[i]; i += 2) {
		struct bf_mount_spec m;

		if (strcmp(in->flags[i], "mount"))
			continue;
		if (bf_mount_parse(in->flags[i + 1], &m, err) < 0)
			return dk_err_wrap(err, "RUN");
		bf_mount_spec_free(&m);
	}
	if (in->json && in->n_heredocs)
		return dk_err_set(err, "RUN: here-documents need the shell form");
	return 0;
}

static int check_copy(const struct dk_df_instr *in, struct dk_err *err)
{
	const char *mode = dk_df_flag(in, "chmod");
	struct bf_chmod c;

	if (mode && !strchr(mode, '$') && bf_chmod_parse(mode, &c, err) < 0)
		return dk_err_wrap(err, "%s", dk_df_cmd_name(in->cmd));
	return 0;
}

static int check_one(const struct dk_df_instr *in, struct dk_err *err)
{
	if (dk_df_check_flags(in, err) < 0)
		return -1;
	if (in->cmd == DK_DF_COPY || in->cmd == DK_DF_ADD)
		return check_copy(in, err);
	if (in->cmd == DK_DF_RUN)
		return check_run(in, err);
	if (in->cmd == DK_DF_ONBUILD && in->trigger)
		return check_one(in->trigger, err);
	return 0;
}

int bf_check(const struct dk_df_instr *v, size_t n, struct dk_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (check_one(&v[i], err) < 0)
			return dk_err_wrap(err, "line %d", v[i].line);
	return 0;
}
