// SPDX-License-Identifier: GPL-2.0-or-later
/* cnilist.c: running a network configuration list as the CNI spec says:
 * ADD through each plugin in order, each given the previous plugin's
 * result as prevResult; DEL in reverse order (every plugin is tried, the
 * first error is kept); runtimeConfig holds what the caller passes for
 * each capability a plugin declares (portMappings, aliases). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "network.h"

static void runtime_config(struct dk_jgen *g, const struct dk_json *pl,
			   const struct dk_json *rtconf)
{
	const struct dk_json *caps = dk_json_get(pl, "capabilities");
	bool open = false;

	for (size_t i = 0; i < dk_json_len(caps); i++) {
		const char *k = dk_json_key_at(caps, i);
		const struct dk_json *v = dk_json_get(rtconf, k);

		if (!dk_json_is_true(dk_json_at(caps, i)) || !v)
			continue;
		if (!open) {
			dk_jgen_str(g, "runtimeConfig");
			dk_jgen_map_open(g);
			open = true;
		}
		dk_jgen_str(g, k);
		dk_jgen_value(g, v);
	}
	if (open)
		dk_jgen_map_close(g);
}

/* The configuration one plugin gets on stdin. */
static int plugin_conf(const struct dk_json *list, const struct dk_json *pl,
		       const struct dk_json *rtconf, const struct dk_json *prev, char **conf,
		       size_t *len, struct dk_err *err)
{
	static const char *const skip[] = {"runtimeConfig", "prevResult", "name", "cniVersion",
					   NULL};
	struct dk_jgen *g = dk_jgen_new(false);

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "cniVersion", dk_json_get_str(list, "cniVersion"));
	dk_jgen_kstr(g, "name", dk_json_get_str(list, "name"));
	dk_jgen_members_except(g, pl, skip);
	runtime_config(g, pl, rtconf);
	if (prev) {
		dk_jgen_str(g, "prevResult");
		dk_jgen_value(g, prev);
	}
	dk_jgen_map_close(g);
	return dk_jgen_finish_dup(g, conf, len, err);
}

static int one(const struct dk_json *list, const struct dk_json *pl, const struct cni_call *c,
	       const struct dk_json *rtconf, const struct dk_json *prev, char **out,
	       struct dk_err *err)
{
	cleanup_free char *conf = NULL;
	const char *type = dk_json_get_str(pl, "type");
	size_t len;

	if (!type)
		return dk_err_set(err, "a plugin without a type");
	if (plugin_conf(list, pl, rtconf, prev, &conf, &len, err) < 0)
		return -1;
	return net_cni_exec(type, c, conf, len, out, err);
}

static int add(const struct dk_json *list, const struct cni_call *c, const struct dk_json *rtconf,
	       char **result, struct dk_err *err)
{
	const struct dk_json *pl = dk_json_get(list, "plugins");
	struct dk_json *prev = NULL;
	char *out = NULL;

	for (size_t i = 0; i < dk_json_len(pl); i++) {
		out = NULL;
		if (one(list, dk_json_at(pl, i), c, rtconf, prev, &out, err) < 0) {
			dk_json_free(prev);
			return -1;
		}
		dk_json_free(prev);
		prev = out && *out ? dk_json_parse(out, strlen(out), "CNI result", err) : NULL;
		free(*result);
		*result = out;
		if (!prev)
			return dk_err_wrap(err, "plugin %zu gave no result", i);
	}
	dk_json_free(prev);
	return 0;
}

static int del(const struct dk_json *list, const struct cni_call *c, const struct dk_json *rtconf,
	       const char *saved, struct dk_err *err)
{
	const struct dk_json *pl = dk_json_get(list, "plugins");
	struct dk_json *prev = NULL;
	struct dk_err e;
	int rc = 0;

	if (saved && *saved)
		prev = dk_json_parse(saved, strlen(saved), "CNI result", &e);
	for (size_t i = dk_json_len(pl); i-- > 0;) {
		if (one(list, dk_json_at(pl, i), c, rtconf, prev, NULL, &e) < 0 && rc == 0) {
			*err = e;
			rc = -1;
		}
	}
	dk_json_free(prev);
	return rc;
}

int net_cni_list(const struct dk_json *list, const struct cni_call *c, const struct dk_json *rtconf,
		 char **result, struct dk_err *err)
{
	if (!strcmp(c->command, "ADD"))
		return add(list, c, rtconf, result, err);
	return del(list, c, rtconf, result ? *result : NULL, err);
}
