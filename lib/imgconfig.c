// SPDX-License-Identifier: GPL-2.0-or-later
/* imgconfig.c: OCI / Docker image configuration: parse the fields tools
 * use, emit them back together with every field we do not model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oci.h"
#include "kv.h"

static char *dup_str(const struct dk_json *obj, const char *key)
{
	const char *s = dk_json_get_str(obj, key);

	return s ? strdup(s) : NULL;
}

static int parse_healthcheck(const struct dk_json *h, struct dk_run_config *rc, struct dk_err *err)
{
	static const char *const keys[] = {"Interval", "Timeout", "StartPeriod", "StartInterval",
					   "Retries"};
	struct dk_healthcheck *hc;

	struct dk_err ignored;

	/* one we cannot model is left as it is (emitted from raw) */
	if (!h || dk_json_type(h) != DK_JSON_OBJECT)
		return 0;
	if (!(hc = calloc(1, sizeof(*hc))))
		return dk_err_sys(err, "config.Healthcheck");
	int64_t *vals[] = {&hc->interval, &hc->timeout, &hc->start_period, &hc->start_interval,
			   &hc->retries};
	for (size_t i = 0; i < 5; i++) {
		const struct dk_json *v = dk_json_get(h, keys[i]);

		if (v && dk_json_int64(v, vals[i]) < 0) {
			free(hc);
			return 0;
		}
	}
	hc->test = dk_json_strv(dk_json_get(h, "Test"), "Test", &ignored);
	if (!hc->test) {
		free(hc);
		return 0;
	}
	rc->healthcheck = hc;
	return 0;
}

static int parse_run_config(const struct dk_json *c, struct dk_run_config *rc, struct dk_err *err)
{
	if (dk_json_type(dk_json_get(c, "Shell")) == DK_JSON_ARRAY &&
	    !(rc->shell = dk_json_strv(dk_json_get(c, "Shell"), "config.Shell", err)))
		return -1;
	if (parse_healthcheck(dk_json_get(c, "Healthcheck"), rc, err) < 0)
		return -1;
	rc->user = dup_str(c, "User");
	rc->working_dir = dup_str(c, "WorkingDir");
	rc->stop_signal = dup_str(c, "StopSignal");
	rc->has_entrypoint = dk_json_get(c, "Entrypoint") != NULL;
	rc->has_cmd = dk_json_get(c, "Cmd") != NULL;
	if (!(rc->env = dk_json_strv(dk_json_get(c, "Env"), "config.Env", err)) ||
	    !(rc->entrypoint =
		  dk_json_strv(dk_json_get(c, "Entrypoint"), "config.Entrypoint", err)) ||
	    !(rc->cmd = dk_json_strv(dk_json_get(c, "Cmd"), "config.Cmd", err)) ||
	    !(rc->onbuild = dk_json_strv(dk_json_get(c, "OnBuild"), "config.OnBuild", err)) ||
	    !(rc->exposed_ports =
		  dk_keys_from_json(dk_json_get(c, "ExposedPorts"), "config.ExposedPorts", err)) ||
	    !(rc->volumes = dk_keys_from_json(dk_json_get(c, "Volumes"), "config.Volumes", err)) ||
	    !(rc->labels = dk_kv_from_json(dk_json_get(c, "Labels"), "config.Labels", err)))
		return -1;
	return 0;
}

static int parse_history(const struct dk_json *arr, struct dk_image_config *c, struct dk_err *err)
{
	size_t n = dk_json_len(arr);

	if (arr && dk_json_type(arr) != DK_JSON_ARRAY)
		return dk_err_set(err, "history is not an array");
	c->history = calloc(n + 1, sizeof(*c->history));
	if (!c->history)
		return dk_err_sys(err, "history");
	for (size_t i = 0; i < n; i++) {
		const struct dk_json *h = dk_json_at(arr, i);
		struct dk_history *out = &c->history[i];

		out->created = dup_str(h, "created");
		out->created_by = dup_str(h, "created_by");
		out->author = dup_str(h, "author");
		out->comment = dup_str(h, "comment");
		out->empty_layer = dk_json_is_true(dk_json_get(h, "empty_layer"));
		c->n_history = i + 1;
	}
	return 0;
}

static int parse_config_doc(struct dk_image_config *c, struct dk_err *err)
{
	const struct dk_json *doc = c->raw;
	const struct dk_json *rootfs = dk_json_get(doc, "rootfs");

	if (dk_json_type(doc) != DK_JSON_OBJECT)
		return dk_err_set(err, "not a JSON object");
	c->created = dup_str(doc, "created");
	c->author = dup_str(doc, "author");
	c->architecture = dup_str(doc, "architecture");
	c->os = dup_str(doc, "os");
	c->variant = dup_str(doc, "variant");
	if (parse_run_config(dk_json_get(doc, "config"), &c->config, err) < 0)
		return -1;
	if (rootfs && dk_json_get_str(rootfs, "type") &&
	    strcmp(dk_json_get_str(rootfs, "type"), "layers") != 0)
		return dk_err_set(err, "rootfs.type must be \"layers\"");
	c->diff_ids = dk_json_strv(dk_json_get(rootfs, "diff_ids"), "rootfs.diff_ids", err);
	if (!c->diff_ids)
		return -1;
	for (size_t i = 0; c->diff_ids[i]; i++) {
		struct dk_digest d;

		if (dk_digest_parse(c->diff_ids[i], &d, err) < 0)
			return dk_err_wrap(err, "rootfs.diff_ids[%zu]", i);
	}
	return parse_history(dk_json_get(doc, "history"), c, err);
}

int dk_image_config_parse(const char *buf, size_t len, struct dk_image_config *out,
			  struct dk_err *err)
{
	memset(out, 0, sizeof(*out));
	out->raw = dk_json_parse(buf, len, "image config", err);
	if (!out->raw)
		return -1;
	if (parse_config_doc(out, err) < 0) {
		dk_image_config_free(out);
		return dk_err_wrap(err, "image config");
	}
	return 0;
}

static void kstr_opt(struct dk_jgen *g, const char *key, const char *v)
{
	if (v)
		dk_jgen_kstr(g, key, v);
}

static void emit_healthcheck(struct dk_jgen *g, const struct dk_healthcheck *hc)
{
	dk_jgen_str(g, "Healthcheck");
	dk_jgen_map_open(g);
	dk_jgen_str(g, "Test");
	dk_jgen_strv(g, hc->test);
	if (hc->interval)
		dk_jgen_kint(g, "Interval", hc->interval);
	if (hc->timeout)
		dk_jgen_kint(g, "Timeout", hc->timeout);
	if (hc->start_period)
		dk_jgen_kint(g, "StartPeriod", hc->start_period);
	if (hc->start_interval)
		dk_jgen_kint(g, "StartInterval", hc->start_interval);
	if (hc->retries)
		dk_jgen_kint(g, "Retries", hc->retries);
	dk_jgen_map_close(g);
}

static void emit_run_config(struct dk_jgen *g, const struct dk_run_config *rc,
			    const struct dk_json *raw)
{
	static const char *const known[] = {
	    "User",	    "WorkingDir", "StopSignal", "Env",	 "Entrypoint",	"Cmd", "OnBuild",
	    "ExposedPorts", "Volumes",	  "Labels",	"Shell", "Healthcheck", NULL};

	dk_jgen_map_open(g);
	kstr_opt(g, "User", rc->user);
	if (rc->exposed_ports && rc->exposed_ports[0]) {
		dk_jgen_str(g, "ExposedPorts");
		dk_jgen_keys(g, rc->exposed_ports);
	}
	if (rc->env && rc->env[0]) {
		dk_jgen_str(g, "Env");
		dk_jgen_strv(g, rc->env);
	}
	if (rc->has_entrypoint || (rc->entrypoint && rc->entrypoint[0])) {
		dk_jgen_str(g, "Entrypoint");
		dk_jgen_strv(g, rc->entrypoint);
	}
	if (rc->has_cmd || (rc->cmd && rc->cmd[0])) {
		dk_jgen_str(g, "Cmd");
		dk_jgen_strv(g, rc->cmd);
	}
	if (rc->volumes && rc->volumes[0]) {
		dk_jgen_str(g, "Volumes");
		dk_jgen_keys(g, rc->volumes);
	}
	kstr_opt(g, "WorkingDir", rc->working_dir);
	if (rc->labels && rc->labels[0]) {
		dk_jgen_str(g, "Labels");
		dk_jgen_kv(g, rc->labels);
	}
	kstr_opt(g, "StopSignal", rc->stop_signal);
	if (rc->onbuild && rc->onbuild[0]) {
		dk_jgen_str(g, "OnBuild");
		dk_jgen_strv(g, rc->onbuild);
	}
	if (rc->shell) {
		dk_jgen_str(g, "Shell");
		dk_jgen_strv(g, rc->shell);
	} else if (dk_json_get(raw, "Shell")) {
		dk_jgen_str(g, "Shell");
		dk_jgen_value(g, dk_json_get(raw, "Shell"));
	}
	if (rc->healthcheck) {
		emit_healthcheck(g, rc->healthcheck);
	} else if (dk_json_get(raw, "Healthcheck")) {
		dk_jgen_str(g, "Healthcheck");
		dk_jgen_value(g, dk_json_get(raw, "Healthcheck"));
	}
	dk_jgen_members_except(g, raw, known);
	dk_jgen_map_close(g);
}

static void emit_history(struct dk_jgen *g, const struct dk_image_config *c)
{
	dk_jgen_str(g, "history");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < c->n_history; i++) {
		const struct dk_history *h = &c->history[i];

		dk_jgen_map_open(g);
		kstr_opt(g, "created", h->created);
		kstr_opt(g, "created_by", h->created_by);
		kstr_opt(g, "author", h->author);
		kstr_opt(g, "comment", h->comment);
		if (h->empty_layer)
			dk_jgen_kbool(g, "empty_layer", true);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
}

int dk_image_config_emit(const struct dk_image_config *c, char **buf, size_t *len,
			 struct dk_err *err)
{
	static const char *const known[] = {"created", "author", "architecture", "os", "variant",
					    "config",  "rootfs", "history",	 NULL};
	struct dk_jgen *g = dk_jgen_new(false);

	if (!g)
		return dk_err_sys(err, "generating image config");
	dk_jgen_map_open(g);
	kstr_opt(g, "created", c->created);
	kstr_opt(g, "author", c->author);
	dk_jgen_kstr(g, "architecture", c->architecture ? c->architecture : "");
	dk_jgen_kstr(g, "os", c->os ? c->os : "linux");
	kstr_opt(g, "variant", c->variant);
	dk_jgen_str(g, "config");
	emit_run_config(g, &c->config, dk_json_get(c->raw, "config"));
	dk_jgen_str(g, "rootfs");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "type", "layers");
	dk_jgen_str(g, "diff_ids");
	dk_jgen_strv(g, c->diff_ids);
	dk_jgen_map_close(g);
	if (c->n_history)
		emit_history(g, c);
	dk_jgen_members_except(g, c->raw, known);
	dk_jgen_map_close(g);
	return dk_jgen_finish_dup(g, buf, len, err);
}

void dk_healthcheck_free(struct dk_healthcheck *hc)
{
	if (!hc)
		return;
	dk_strv_free(hc->test);
	free(hc);
}

static void run_config_free(struct dk_run_config *rc)
{
	free(rc->user);
	free(rc->working_dir);
	free(rc->stop_signal);
	dk_strv_free(rc->env);
	dk_strv_free(rc->entrypoint);
	dk_strv_free(rc->cmd);
	dk_strv_free(rc->onbuild);
	dk_strv_free(rc->exposed_ports);
	dk_strv_free(rc->volumes);
	dk_strv_free(rc->labels);
	dk_strv_free(rc->shell);
	dk_healthcheck_free(rc->healthcheck);
}

static void history_free(struct dk_history *h)
{
	free(h->created);
	free(h->created_by);
	free(h->author);
	free(h->comment);
}

void dk_image_config_free(struct dk_image_config *c)
{
	free(c->created);
	free(c->author);
	free(c->architecture);
	free(c->os);
	free(c->variant);
	run_config_free(&c->config);
	dk_strv_free(c->diff_ids);
	for (size_t i = 0; c->history && i < c->n_history; i++)
		history_free(&c->history[i]);
	free(c->history);
	dk_json_free(c->raw);
	memset(c, 0, sizeof(*c));
}

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

int dk_image_config_add_history(struct dk_image_config *c, const struct dk_history *h)
{
	struct dk_history *nh = realloc(c->history, (c->n_history + 2) * sizeof(*nh));

	if (!nh)
		return -1;
	c->history = nh;
	nh[c->n_history] = (struct dk_history){
	    .created = dup_opt(h->created),
	    .created_by = dup_opt(h->created_by),
	    .author = dup_opt(h->author),
	    .comment = dup_opt(h->comment),
	    .empty_layer = h->empty_layer,
	};
	c->n_history++;
	memset(&nh[c->n_history], 0, sizeof(*nh));
	return 0;
}
