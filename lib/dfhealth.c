// SPDX-License-Identifier: GPL-2.0-or-later
/* dfhealth.c: HEALTHCHECK [--interval=D --timeout=D --start-period=D
 * --start-interval=D --retries=N] CMD ... | NONE -> config.Healthcheck, as
 * docker stores it (durations in nanoseconds, Go duration syntax). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dockerfile.h"
#include "duration.h"

static int set_flag(struct dk_healthcheck *hc, const char *name, const char *val,
		    struct dk_err *err)
{
	static const char *const names[] = {"interval", "timeout", "start-period",
					    "start-interval"};
	int64_t *dst[] = {&hc->interval, &hc->timeout, &hc->start_period, &hc->start_interval};
	char *end;

	if (strcmp(name, "retries") == 0) {
		long n = strtol(val, &end, 10);

		if (!*val || *end || n < 1 || n > 1000000)
			return dk_err_set(err, "--retries=%s: want a positive number", val);
		hc->retries = n;
		return 0;
	}
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(name, names[i]) != 0)
			continue;
		int64_t d = dk_parse_duration(val);
		if (d < 0 || (d > 0 && d < 1000000))
			return dk_err_set(err,
					  "--%s=%s: want a duration of at least 1ms (30s, 1m30s)",
					  name, val);
		*dst[i] = d;
		return 0;
	}
	return dk_err_set(err, "unknown flag --%s", name);
}

static char **test_of(const struct dk_df_instr *in)
{
	char *none[] = {"NONE", NULL};
	char *shell[] = {"CMD-SHELL", NULL, NULL};
	const struct dk_df_instr *t = in->trigger;

	if (!t)
		return dk_strv_dup(none);
	if (!t->json) {
		shell[1] = t->args[0];
		return dk_strv_dup(shell);
	}
	size_t n = dk_strv_len(t->args);
	char **v = calloc(n + 2, sizeof(*v));
	if (!v || !(v[0] = strdup("CMD")))
		return free(v), NULL;
	for (size_t i = 0; i < n; i++)
		if (!(v[i + 1] = strdup(t->args[i]))) {
			dk_strv_free(v);
			return NULL;
		}
	return v;
}

int dk_df_healthcheck(const struct dk_df_instr *in, struct dk_healthcheck **out, struct dk_err *err)
{
	struct dk_healthcheck *hc = calloc(1, sizeof(*hc));

	if (!hc)
		return dk_err_sys(err, "HEALTHCHECK");
	for (size_t i = 0; in->flags && in->flags[i]; i += 2)
		if (set_flag(hc, in->flags[i], in->flags[i + 1], err) < 0) {
			free(hc);
			return -1;
		}
	if (!in->trigger && (in->flags && in->flags[0])) {
		free(hc);
		return dk_err_set(err, "NONE takes no flags");
	}
	if (!(hc->test = test_of(in))) {
		free(hc);
		return dk_err_sys(err, "HEALTHCHECK");
	}
	*out = hc;
	return 0;
}
