// SPDX-License-Identifier: GPL-2.0-or-later
/* dfflags.c: the instruction flags of the Dockerfile reference and which
 * of them dk honours. A flag dk does not implement fails as "not
 * supported" (never accepted and ignored); one the reference does not
 * have is an unknown flag. */
#include <stdio.h>
#include <string.h>
#include "dockerfile.h"

struct flag_def {
	enum dk_df_cmd cmd;
	const char *name;
	bool supported;
};

static const struct flag_def flag_defs[] = {
    {DK_DF_FROM, "platform", true},
    {DK_DF_RUN, "mount", true},
    {DK_DF_RUN, "network", true},
    {DK_DF_RUN, "security", true},
    {DK_DF_RUN, "device", false},
    {DK_DF_COPY, "from", true},
    {DK_DF_COPY, "chown", true},
    {DK_DF_COPY, "chmod", true},
    {DK_DF_COPY, "link", true},
    {DK_DF_COPY, "parents", true},
    {DK_DF_COPY, "exclude", true},
    {DK_DF_ADD, "chown", true},
    {DK_DF_ADD, "chmod", true},
    {DK_DF_ADD, "link", true},
    {DK_DF_ADD, "exclude", true},
    {DK_DF_ADD, "checksum", true},
    {DK_DF_ADD, "keep-git-dir", true},
    {DK_DF_ADD, "unpack", false},
    {DK_DF_HEALTHCHECK, "interval", true},
    {DK_DF_HEALTHCHECK, "timeout", true},
    {DK_DF_HEALTHCHECK, "start-period", true},
    {DK_DF_HEALTHCHECK, "start-interval", true},
    {DK_DF_HEALTHCHECK, "retries", true},
};

const char *dk_df_flag(const struct dk_df_instr *in, const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; in->flags && in->flags[i]; i += 2)
		if (strcmp(in->flags[i], name) == 0)
			v = in->flags[i + 1];
	return v;
}

static const struct flag_def *lookup(enum dk_df_cmd cmd, const char *name)
{
	for (size_t i = 0; i < sizeof(flag_defs) / sizeof(flag_defs[0]); i++)
		if (flag_defs[i].cmd == cmd && strcmp(flag_defs[i].name, name) == 0)
			return &flag_defs[i];
	return NULL;
}

int dk_df_check_flags(const struct dk_df_instr *in, struct dk_err *err)
{
	for (size_t i = 0; in->flags && in->flags[i]; i += 2) {
		const struct flag_def *d = lookup(in->cmd, in->flags[i]);

		if (!d)
			return dk_err_set(err, "%s: unknown flag --%s", dk_df_cmd_name(in->cmd),
					  in->flags[i]);
		if (!d->supported)
			return dk_err_set(err, "%s --%s: not supported by dk",
					  dk_df_cmd_name(in->cmd), in->flags[i]);
	}
	if (in->trigger && in->cmd == DK_DF_ONBUILD)
		return dk_df_check_flags(in->trigger, err);
	return 0;
}
