// SPDX-License-Identifier: GPL-2.0-or-later
/* flags_env.c: --env-file and --label-file (K=V lines, # comments; an
 * env file's bare K takes our value), the --health-* flags, and what
 * create merges from the image: labels and the health check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "duration.h"
#include "json.h"
#include "store.h"
#include "container.h"

static int kvline(char *line, char ***v, bool from_env)
{
	char *s = line + strspn(line, " \t"), *kv = NULL;
	const char *val;
	int rc;

	s[strcspn(s, "\r\n")] = '\0';
	if (!*s || *s == '#')
		return 0;
	if (strchr(s, '=') || !from_env)
		return dk_strv_push(v, s);
	val = getenv(s);
	if (!val)
		return 0; /* docker drops a variable that is not set */
	if (asprintf(&kv, "%s=%s", s, val) < 0)
		return -1;
	rc = dk_strv_push(v, kv);
	free(kv);
	return rc;
}

int ctr_flag_kvfile(const char *cmd, const char *file, char ***v, bool from_env)
{
	cleanup_file FILE *f = fopen(file, "re");
	cleanup_free char *line = NULL;
	size_t size = 0;

	if (!f)
		return ctr_usage(cmd, "open %s: %m", file);
	while (getline(&line, &size, f) >= 0) {
		if (!from_env && line[strspn(line, " \t")] == '=')
			return ctr_usage(cmd, "%s: invalid label \"%s\"", file, line);
		if (kvline(line, v, from_env) < 0)
			return ctr_usage(cmd, "out of memory");
	}
	return -1;
}

static int duration(const char *cmd, const char *flag, const char *a, int64_t *out)
{
	int64_t d = dk_parse_duration(a);

	if (d < 0)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--%s\" flag: time: invalid "
				 "duration \"%s\"",
				 a, flag, a);
	if (d && d < 1000000)
		return ctr_usage(cmd, "--%s cannot be less than 1ms", flag);
	*out = d;
	return -1;
}

int ctr_flag_health(const char *cmd, int c, const char *a, struct ctr_extra *x)
{
	char *end;

	switch (c) {
	case OPT_HEALTH_CMD:
		free(x->health_cmd);
		x->health_cmd = strdup(a);
		return -1;
	case OPT_HEALTH_INTERVAL: return duration(cmd, "health-interval", a, &x->health_interval);
	case OPT_HEALTH_TIMEOUT: return duration(cmd, "health-timeout", a, &x->health_timeout);
	case OPT_HEALTH_START: return duration(cmd, "health-start-period", a, &x->health_start);
	case OPT_HEALTH_RETRIES:
		x->health_retries = (int)strtol(a, &end, 10);
		if (end == a || *end || x->health_retries < 0)
			return ctr_usage(cmd, "--health-retries cannot be negative: \"%s\"", a);
		return -1;
	default: x->no_healthcheck = true; return -1;
	}
}

static int64_t pick(int64_t flag, int64_t image, int64_t def)
{
	return flag > 0 ? flag : image > 0 ? image : def;
}

/* The image's HEALTHCHECK, each part overridden by a flag (docker). */
static int health(struct dk_crec *rec, const struct ctr_extra *x, const struct dk_image *img)
{
	const struct dk_healthcheck *hc = img->config.config.healthcheck;
	static const struct dk_healthcheck none = {0};
	char *const *test = hc ? hc->test : NULL;
	char *shell[] = {"CMD-SHELL", x->health_cmd, NULL};

	if (!hc)
		hc = &none;
	if (x->no_healthcheck)
		return 0;
	if (x->health_cmd)
		test = shell;
	if (!test || !test[0] || !strcmp(test[0], "NONE"))
		return 0;
	rec->o.health_test = dk_strv_dup(test);
	rec->o.health_interval = pick(x->health_interval, hc->interval, 30000000000LL);
	rec->o.health_timeout = pick(x->health_timeout, hc->timeout, 30000000000LL);
	rec->o.health_start = x->health_start >= 0 ? x->health_start : hc->start_period;
	rec->o.health_retries = x->health_retries > 0 ? x->health_retries
				: hc->retries > 0     ? (int)hc->retries
						      : 3;
	rec->health = strdup("starting");
	return rec->o.health_test && rec->health ? 0 : -1;
}

int ctr_flags_record(struct dk_crec *rec, const struct ctr_extra *x, const struct dk_image *img)
{
	char *const *il = img->config.config.labels;
	char **labels = NULL;

	for (size_t i = 0; il && il[i] && il[i + 1]; i += 2) {
		cleanup_free char *kv = NULL;
		if (asprintf(&kv, "%s=%s", il[i], il[i + 1]) < 0 || dk_strv_push(&labels, kv) < 0)
			return -1;
	}
	for (char **l = rec->o.hc.labels; l && *l; l++)
		if (dk_strv_push(&labels, *l) < 0)
			return -1;
	dk_strv_free(rec->o.hc.labels);
	rec->o.hc.labels = labels;
	return health(rec, x, img);
}
