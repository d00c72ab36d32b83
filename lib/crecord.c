// SPDX-License-Identifier: GPL-2.0-or-later
/* crecord.c: a container record to and from record.json. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "crecord.h"
#include "fs.h"
#include "json.h"

#define RECORD_MAX (1 << 20)

char *dk_crec_dir(const char *root)
{
	return dk_path_join(root, "containers");
}

static char *dup_str(const struct dk_json *v, const char *key)
{
	const char *s = dk_json_get_str(v, key);

	return s ? strdup(s) : NULL;
}

static int get_int(const struct dk_json *v, const char *key, int def)
{
	int64_t n;

	return dk_json_int64(dk_json_get(v, key), &n) == 0 ? (int)n : def;
}

static int load_opts(const struct dk_json *v, struct dk_copts *o, struct dk_err *err)
{
	int64_t n = 0;

	o->tty = dk_json_is_true(dk_json_get(v, "Tty"));
	o->open_stdin = dk_json_is_true(dk_json_get(v, "OpenStdin"));
	o->auto_remove = dk_json_is_true(dk_json_get(v, "AutoRemove"));
	o->restart = dup_str(v, "Restart");
	o->restart_max = get_int(v, "RestartMax", 0);
	dk_json_int64(dk_json_get(v, "LogMaxSize"), &n);
	o->log_max_size = n;
	o->log_max_file = get_int(v, "LogMaxFile", 1);
	o->log_none =
	    dk_json_get_str(v, "LogDriver") && !strcmp(dk_json_get_str(v, "LogDriver"), "none");
	o->stop_timeout = get_int(v, "StopTimeout", -1);
	o->workdir = dup_str(v, "WorkingDir");
	o->user = dup_str(v, "User");
	o->entrypoint = dup_str(v, "Entrypoint");
	o->hostname = dup_str(v, "Hostname");
	o->domainname = dup_str(v, "Domainname");
	o->stop_signal = dup_str(v, "StopSignal");
	o->detach_keys = dup_str(v, "DetachKeys");
	if (dk_json_get(v, "HealthTest"))
		o->health_test = dk_json_strv(dk_json_get(v, "HealthTest"), "HealthTest", err);
	dk_json_int64(dk_json_get(v, "HealthInterval"), &o->health_interval);
	dk_json_int64(dk_json_get(v, "HealthTimeout"), &o->health_timeout);
	dk_json_int64(dk_json_get(v, "HealthStartPeriod"), &o->health_start);
	o->health_retries = get_int(v, "HealthRetries", 3);
	o->ports = dk_json_strv(dk_json_get(v, "Ports"), "Ports", err);
	o->env = dk_json_strv(dk_json_get(v, "Env"), "Env", err);
	dk_copts_load_net(v, o);
	if (dk_hostcfg_load(dk_json_get(v, "HostConfig"), &o->hc, err) < 0)
		return -1;
	return o->ports && o->env ? 0 : -1;
}

static void hcheck_free(struct dk_hcheck *c)
{
	free(c->start);
	free(c->end);
	free(c->output);
	memset(c, 0, sizeof(*c));
}

void dk_crec_health_push(struct dk_crec *r, const char *start, const char *end, int code,
			 const char *output)
{
	struct dk_hcheck *c;

	if (r->health_n == DK_HEALTH_LOG) {
		hcheck_free(&r->health_log[0]);
		memmove(r->health_log, r->health_log + 1,
			sizeof(r->health_log[0]) * (DK_HEALTH_LOG - 1));
		r->health_n--;
	}
	c = &r->health_log[r->health_n++];
	c->start = strdup(start ? start : "");
	c->end = strdup(end ? end : "");
	c->output = strndup(output ? output : "", DK_HEALTH_OUTPUT);
	c->exit_code = code;
}

static void load_health_log(const struct dk_json *v, struct dk_crec *r)
{
	for (size_t i = 0; v && i < dk_json_len(v) && r->health_n < DK_HEALTH_LOG; i++) {
		const struct dk_json *e = dk_json_at(v, i);
		dk_crec_health_push(r, dk_json_get_str(e, "Start"), dk_json_get_str(e, "End"),
				    get_int(e, "ExitCode", -1), dk_json_get_str(e, "Output"));
	}
}

static int load_json(const struct dk_json *v, struct dk_crec *r, struct dk_err *err)
{
	int64_t n = 0;

	r->name = dup_str(v, "Name");
	r->image = dup_str(v, "Image");
	r->image_id = dup_str(v, "ImageID");
	r->created = dup_str(v, "Created");
	r->status = dup_str(v, "Status");
	r->started = dup_str(v, "StartedAt");
	r->finished = dup_str(v, "FinishedAt");
	r->error = dup_str(v, "Error");
	r->health = dup_str(v, "Health");
	r->health_streak = get_int(v, "HealthFailingStreak", 0);
	load_health_log(dk_json_get(v, "HealthLog"), r);
	r->pid = get_int(v, "Pid", 0);
	r->exit_code = get_int(v, "ExitCode", 0);
	r->restart_count = get_int(v, "RestartCount", 0);
	r->oom_killed = dk_json_is_true(dk_json_get(v, "OOMKilled"));
	r->user_stopped = dk_json_is_true(dk_json_get(v, "UserStopped"));
	r->monitor_pid = get_int(v, "MonitorPid", 0);
	dk_json_int64(dk_json_get(v, "MonitorStart"), &n);
	r->monitor_start = (uint64_t)n;
	r->cmd = dk_json_strv(dk_json_get(v, "Cmd"), "Cmd", err);
	if (!r->cmd || !r->name || !r->status)
		return err->msg[0] ? -1 : dk_err_set(err, "missing Name or Status");
	return load_opts(dk_json_get(v, "Options"), &r->o, err);
}

int dk_crec_load(const char *cdir, const char *id, struct dk_crec *r, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	char path[4200];
	struct dk_json *v;
	size_t len;
	int rc;

	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(path, sizeof(path), "%s/%s/record.json", cdir, id);
	if (dk_read_file_at(AT_FDCWD, path, RECORD_MAX, &buf, &len, err) < 0)
		return dk_err_wrap(err, "container %s", id);
	v = dk_json_parse(buf, len, path, err);
	if (!v)
		return -1;
	rc = load_json(v, r, err);
	dk_json_free(v);
	if (rc < 0) {
		dk_crec_free(r);
		return dk_err_wrap(err, "%s", path);
	}
	return 0;
}

static void kstr(struct dk_jgen *g, const char *k, const char *v)
{
	if (v)
		dk_jgen_kstr(g, k, v);
}

static void kstrv(struct dk_jgen *g, const char *k, char *const *v)
{
	dk_jgen_str(g, k);
	dk_jgen_strv(g, v ? v : (char *const[]){NULL});
}

static void emit_opts(struct dk_jgen *g, const struct dk_copts *o)
{
	dk_jgen_str(g, "Options");
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "Tty", o->tty);
	dk_jgen_kbool(g, "OpenStdin", o->open_stdin);
	dk_jgen_kbool(g, "AutoRemove", o->auto_remove);
	kstr(g, "Restart", o->restart);
	dk_jgen_kint(g, "RestartMax", o->restart_max);
	dk_jgen_kint(g, "LogMaxSize", o->log_max_size);
	dk_jgen_kint(g, "LogMaxFile", o->log_max_file);
	if (o->log_none)
		dk_jgen_kstr(g, "LogDriver", "none");
	dk_jgen_kint(g, "StopTimeout", o->stop_timeout);
	kstr(g, "WorkingDir", o->workdir);
	kstr(g, "User", o->user);
	kstr(g, "Entrypoint", o->entrypoint);
	kstr(g, "Hostname", o->hostname);
	kstr(g, "Domainname", o->domainname);
	kstr(g, "StopSignal", o->stop_signal);
	kstr(g, "DetachKeys", o->detach_keys);
	if (o->health_test) {
		kstrv(g, "HealthTest", o->health_test);
		dk_jgen_kint(g, "HealthInterval", o->health_interval);
		dk_jgen_kint(g, "HealthTimeout", o->health_timeout);
		dk_jgen_kint(g, "HealthStartPeriod", o->health_start);
		dk_jgen_kint(g, "HealthRetries", o->health_retries);
	}
	kstrv(g, "Ports", o->ports);
	kstrv(g, "Env", o->env);
	dk_copts_save_net(g, o);
	dk_hostcfg_emit(g, &o->hc);
	dk_jgen_map_close(g);
}

void dk_crec_emit_health_log(struct dk_jgen *g, const struct dk_crec *r)
{
	dk_jgen_array_open(g);
	for (int i = 0; i < r->health_n; i++) {
		const struct dk_hcheck *c = &r->health_log[i];
		dk_jgen_map_open(g);
		kstr(g, "Start", c->start);
		kstr(g, "End", c->end);
		dk_jgen_kint(g, "ExitCode", c->exit_code);
		kstr(g, "Output", c->output);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
}

static void emit(struct dk_jgen *g, const struct dk_crec *r)
{
	dk_jgen_map_open(g);
	kstr(g, "Id", r->id);
	kstr(g, "Name", r->name);
	kstr(g, "Image", r->image);
	kstr(g, "ImageID", r->image_id);
	kstr(g, "Created", r->created);
	kstrv(g, "Cmd", r->cmd);
	kstr(g, "Status", r->status);
	dk_jgen_kint(g, "Pid", r->pid);
	dk_jgen_kint(g, "ExitCode", r->exit_code);
	dk_jgen_kint(g, "RestartCount", r->restart_count);
	dk_jgen_kbool(g, "OOMKilled", r->oom_killed);
	dk_jgen_kbool(g, "UserStopped", r->user_stopped);
	kstr(g, "StartedAt", r->started);
	kstr(g, "FinishedAt", r->finished);
	kstr(g, "Error", r->error);
	kstr(g, "Health", r->health);
	dk_jgen_kint(g, "HealthFailingStreak", r->health_streak);
	dk_jgen_str(g, "HealthLog");
	dk_crec_emit_health_log(g, r);
	dk_jgen_kint(g, "MonitorPid", r->monitor_pid);
	dk_jgen_kint(g, "MonitorStart", (int64_t)r->monitor_start);
	emit_opts(g, &r->o);
	dk_jgen_map_close(g);
}

int dk_crec_save(const char *cdir, const struct dk_crec *r, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(true);
	cleanup_free char *buf = NULL;
	char path[4200];
	size_t len;

	if (!g)
		return dk_err_sys(err, "container %s: record", r->id);
	emit(g, r);
	if (dk_jgen_finish_dup(g, &buf, &len, err) < 0)
		return dk_err_wrap(err, "container %s: record", r->id);
	snprintf(path, sizeof(path), "%s/%s/record.json", cdir, r->id);
	return dk_write_file_at(AT_FDCWD, path, buf, len, 0600, err);
}

void dk_copts_free(struct dk_copts *o)
{
	free(o->restart);
	free(o->workdir);
	free(o->user);
	free(o->entrypoint);
	free(o->hostname);
	free(o->domainname);
	free(o->stop_signal);
	free(o->detach_keys);
	dk_strv_free(o->ports);
	dk_strv_free(o->env);
	dk_strv_free(o->health_test);
	dk_copts_free_net(o);
	dk_hostcfg_free(&o->hc);
}

void dk_crec_free(struct dk_crec *r)
{
	free(r->name);
	free(r->image);
	free(r->image_id);
	free(r->created);
	free(r->status);
	free(r->started);
	free(r->finished);
	free(r->error);
	free(r->health);
	for (int i = 0; i < r->health_n; i++)
		hcheck_free(&r->health_log[i]);
	dk_strv_free(r->cmd);
	dk_copts_free(&r->o);
	memset(r, 0, sizeof(*r));
}
