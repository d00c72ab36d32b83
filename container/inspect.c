// SPDX-License-Identifier: GPL-2.0-or-later
/* inspect.c: `inspect CONTAINER...`: docker's container-inspect JSON
 * from the record and the container's config.json. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "netconf.h"
#include "container.h"

static void kstr(struct dk_jgen *g, const char *k, const char *v)
{
	dk_jgen_kstr(g, k, v ? v : "");
}

/* State.Health: the status, the failing streak, the last checks. */
static void health(struct dk_jgen *g, const struct dk_crec *r)
{
	dk_jgen_str(g, "Health");
	dk_jgen_map_open(g);
	kstr(g, "Status", r->health);
	dk_jgen_kint(g, "FailingStreak", r->health_streak);
	dk_jgen_str(g, "Log");
	dk_crec_emit_health_log(g, r);
	dk_jgen_map_close(g);
}

static void state(struct dk_jgen *g, const struct dk_crec *r)
{
	const char *s = r->status;
	bool running = !strcmp(s, "running") || !strcmp(s, "paused");

	dk_jgen_str(g, "State");
	dk_jgen_map_open(g);
	kstr(g, "Status", s);
	dk_jgen_kbool(g, "Running", running);
	dk_jgen_kbool(g, "Paused", !strcmp(s, "paused"));
	dk_jgen_kbool(g, "Restarting", !strcmp(s, "restarting"));
	dk_jgen_kbool(g, "OOMKilled", r->oom_killed);
	dk_jgen_kbool(g, "Dead", false);
	dk_jgen_kint(g, "Pid", running ? r->pid : 0);
	dk_jgen_kint(g, "ExitCode", r->exit_code);
	kstr(g, "Error", r->error);
	kstr(g, "StartedAt", r->started ? r->started : "0001-01-01T00:00:00Z");
	kstr(g, "FinishedAt", r->finished ? r->finished : "0001-01-01T00:00:00Z");
	if (r->health)
		health(g, r);
	dk_jgen_map_close(g);
}

static void port_bindings(struct dk_jgen *g, const struct dk_crec *r)
{
	struct dk_port p;
	char key[64], hport[16];

	dk_jgen_str(g, "PortBindings");
	dk_jgen_map_open(g);
	for (char **s = r->o.ports; s && *s; s++) {
		if (dk_port_parse(*s, &p) < 0)
			continue;
		snprintf(key, sizeof(key), "%d/%s", p.cport, p.proto);
		snprintf(hport, sizeof(hport), "%.0d", p.hport);
		dk_jgen_str(g, key);
		dk_jgen_array_open(g);
		dk_jgen_map_open(g);
		kstr(g, "HostIp", strcmp(p.ip, "0.0.0.0") ? p.ip : "");
		kstr(g, "HostPort", hport);
		dk_jgen_map_close(g);
		dk_jgen_array_close(g);
	}
	dk_jgen_map_close(g);
	kstr(g, "NetworkMode", r->o.network ? r->o.network : "none");
}

static void host_config(struct dk_jgen *g, const struct dk_crec *r)
{
	dk_jgen_str(g, "HostConfig");
	dk_jgen_map_open(g);
	port_bindings(g, r);
	dk_jgen_str(g, "RestartPolicy");
	dk_jgen_map_open(g);
	kstr(g, "Name", r->o.restart ? r->o.restart : "no");
	dk_jgen_kint(g, "MaximumRetryCount", r->o.restart_max);
	dk_jgen_map_close(g);
	dk_jgen_kbool(g, "AutoRemove", r->o.auto_remove);
	dk_jgen_str(g, "LogConfig");
	dk_jgen_map_open(g);
	kstr(g, "Type", r->o.log_none ? "none" : "json-file");
	dk_jgen_map_close(g);
	ctr_inspect_hostcfg(g, r);
	dk_jgen_map_close(g);
}

static void config(struct dk_jgen *g, const struct dk_crec *r, const struct dk_json *spec)
{
	const struct dk_json *proc = dk_json_get(spec, "process");
	const struct dk_json *u = dk_json_get(proc, "user");
	char user[64];
	int64_t uid = 0, gid = 0;

	dk_json_int64(dk_json_get(u, "uid"), &uid);
	dk_json_int64(dk_json_get(u, "gid"), &gid);
	snprintf(user, sizeof(user), "%lld:%lld", (long long)uid, (long long)gid);
	dk_jgen_str(g, "Config");
	dk_jgen_map_open(g);
	kstr(g, "Hostname", dk_json_get_str(spec, "hostname"));
	kstr(g, "Domainname", dk_json_get_str(spec, "domainname"));
	kstr(g, "User", r->o.user ? r->o.user : user);
	dk_jgen_kbool(g, "Tty", r->o.tty);
	dk_jgen_kbool(g, "OpenStdin", r->o.open_stdin);
	dk_jgen_str(g, "Env");
	dk_jgen_value(g, dk_json_get(proc, "env"));
	dk_jgen_str(g, "Cmd");
	dk_jgen_strv(g, r->cmd);
	kstr(g, "Image", r->image);
	kstr(g, "WorkingDir", dk_json_get_str(proc, "cwd"));
	ctr_inspect_labels(g, r);
	ctr_inspect_health(g, r);
	ctr_inspect_volumes(g, r);
	dk_jgen_map_close(g);
}

static void emit(struct dk_jgen *g, const struct dk_crec *r, const struct dk_json *spec)
{
	char name[300], log[4200];

	snprintf(name, sizeof(name), "/%s", r->name);
	snprintf(log, sizeof(log), "%s/%s/json.log", ctr_g.cdir, r->id);
	dk_jgen_map_open(g);
	kstr(g, "Id", r->id);
	kstr(g, "Created", r->created);
	kstr(g, "Path", r->cmd[0]);
	dk_jgen_str(g, "Args");
	dk_jgen_strv(g, r->cmd[0] ? r->cmd + 1 : r->cmd);
	state(g, r);
	kstr(g, "Image", r->image_id);
	kstr(g, "LogPath", log);
	kstr(g, "Name", name);
	dk_jgen_kint(g, "RestartCount", r->restart_count);
	kstr(g, "Driver", "overlay");
	host_config(g, r);
	ctr_net_inspect(g, r);
	ctr_inspect_mounts(g, r);
	dk_jgen_str(g, "GraphDriver");
	dk_jgen_map_open(g);
	kstr(g, "Name", "overlay");
	dk_jgen_str(g, "Data");
	dk_jgen_map_open(g);
	kstr(g, "MergedDir", dk_json_get_str(dk_json_get(spec, "root"), "path"));
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	config(g, r, spec);
	dk_jgen_map_close(g);
}

static struct dk_json *load_spec(const char *id)
{
	cleanup_free char *buf = NULL;
	struct dk_err err;
	size_t len;

	if (dk_read_file_at(AT_FDCWD, ctr_path(id, "config.json"), 1 << 22, &buf, &len, &err) < 0)
		return NULL;
	return dk_json_parse(buf, len, "config.json", &err);
}

static int emit_container(struct dk_jgen *g, const char *arg)
{
	struct dk_err err = {0};
	struct dk_crec r;
	struct dk_json *spec;

	if (ctr_find(arg, &r, &err) < 0) {
		fprintf(stderr, "Error: %s\n", err.msg);
		return -1;
	}
	spec = load_spec(r.id);
	emit(g, &r, spec);
	dk_json_free(spec);
	dk_crec_free(&r);
	return 0;
}

int ctr_cmd_inspect(int argc, char **argv)
{
	return ctr_print_array("inspect", argc, argv, emit_container);
}
