// SPDX-License-Identifier: GPL-2.0-or-later
/* container.h: the container tool's commands and shared pieces. */
#ifndef CONTAINER_H
#define CONTAINER_H

#include <stdbool.h>
#include "crecord.h"
#include "flags.h"
#include "store.h"

/* Global state set by main: the dk root and the containers directory. */
struct ctr_global {
	const char *root_opt;
	char *root, *cdir;
};
extern struct ctr_global ctr_g;

/* Everything `run`/`create` take from the command line (parse, then act). */
struct ctr_run {
	struct dk_copts o;
	const char *name, *image, *pull;    /* pull: missing, always, never */
	char **args;			    /* COMMAND [ARG...] after IMAGE */
	bool detach, has_entrypoint, quiet; /* quiet: -q, no pull output */
	bool publish_all;		    /* -P */
	char **expose;			    /* --expose PORT[-END][/PROTO]: more ports for -P */
	struct ctr_extra x;		    /* flags.h: health flags, --cidfile */
};

/* The networking flags' getopt values (opts.c's table, netopts.c). */
enum {
	CTR_OPT_NETWORK = 1024, /* above flags.h's OPT_FLAG_FIRST..OPT_FLAG_LAST */
	CTR_OPT_IP,
	CTR_OPT_ALIAS,
	CTR_OPT_DNS,
	CTR_OPT_DNS_SEARCH,
	CTR_OPT_DNS_OPT,
	CTR_OPT_ADD_HOST,
	CTR_OPT_EXPOSE,
};
#define CTR_NET_OPTIONS                                                  \
	{"network", required_argument, NULL, CTR_OPT_NETWORK},           \
	    {"net", required_argument, NULL, CTR_OPT_NETWORK},           \
	    {"ip", required_argument, NULL, CTR_OPT_IP},                 \
	    {"network-alias", required_argument, NULL, CTR_OPT_ALIAS},   \
	    {"net-alias", required_argument, NULL, CTR_OPT_ALIAS},       \
	    {"dns", required_argument, NULL, CTR_OPT_DNS},               \
	    {"dns-search", required_argument, NULL, CTR_OPT_DNS_SEARCH}, \
	    {"dns-option", required_argument, NULL, CTR_OPT_DNS_OPT},    \
	    {"dns-opt", required_argument, NULL, CTR_OPT_DNS_OPT},       \
	    {"add-host", required_argument, NULL, CTR_OPT_ADD_HOST},     \
	    {"expose", required_argument, NULL, CTR_OPT_EXPOSE},         \
	{                                                                \
		"publish-all", no_argument, NULL, 'P'                    \
	}
/* One networking flag (or -p, -P) into r; -1 to go on, else a status. */
int ctr_netopt(const char *cmd, int c, const char *a, struct ctr_run *r);
/* --restart POLICY into o (restart, restart_max); -1 to go on, else an
 * exit status. */
int ctr_restart_opt(const char *cmd, const char *a, struct dk_copts *o);
/* create: the network mode set and checked, -P expanded (before the
 * record is saved); then hosts, hostname and resolv.conf written in the
 * container's directory. */
int ctr_net_check(struct dk_crec *rec, const struct ctr_run *r, const struct dk_image *img,
		  struct dk_err *err);
int ctr_net_files(const struct dk_crec *rec, struct dk_err *err);
/* config.json: the network namespace to join (NULL: a new one, "host")
 * and the bind mounts of hosts, hostname and resolv.conf. */
const char *ctr_net_ns(const char *mode, const char *id, char *buf, size_t size);
void ctr_net_mounts(struct dk_jgen *g, const char *id);
/* inspect's NetworkSettings (the address while it runs). */
void ctr_net_inspect(struct dk_jgen *g, const struct dk_crec *r);
/* Leave every network (idempotent; rm, and after a crash). */
int ctr_net_down(const char *id, struct dk_err *err);

int ctr_cmd_create(int argc, char **argv);
int ctr_cmd_run(int argc, char **argv);
int ctr_cmd_start(int argc, char **argv);
int ctr_cmd_ps(int argc, char **argv);
int ctr_cmd_inspect(int argc, char **argv);
int ctr_cmd_rm(int argc, char **argv);
int ctr_cmd_stop(int argc, char **argv);
int ctr_cmd_restart(int argc, char **argv);
int ctr_cmd_kill(int argc, char **argv);
int ctr_cmd_wait(int argc, char **argv);
int ctr_cmd_rename(int argc, char **argv);
int ctr_cmd_pause(int argc, char **argv);
int ctr_cmd_unpause(int argc, char **argv);
int ctr_cmd_logs(int argc, char **argv);
int ctr_cmd_exec(int argc, char **argv);
int ctr_cmd_top(int argc, char **argv);
int ctr_cmd_port(int argc, char **argv);
int ctr_cmd_prune(int argc, char **argv);
int ctr_cmd_attach(int argc, char **argv);
int ctr_cmd_diff(int argc, char **argv);
int ctr_cmd_stats(int argc, char **argv);
int ctr_cmd_cp(int argc, char **argv);
int ctr_cmd_boot(int argc, char **argv);
int ctr_cmd_export(int argc, char **argv);
int ctr_cmd_volume(int argc, char **argv);
int ctr_cmd_update(int argc, char **argv);
int ctr_cmd_df(int argc, char **argv);
int ctr_cmd_template(int argc, char **argv);
int ctr_cmd_events(int argc, char **argv);
/* `volume ls` (volls.c) */
int ctr_volume_ls(int argc, char **argv);

/* Docker's usage error: "unknown flag: --x" + "See 'dk CMD --help'.", 125. */
int ctr_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Docker's daemon error: print "Error response from daemon: MSG", return
 * status. */
int ctr_daemon_error(int status, const struct dk_err *err);
/* getopt_long's optarg, without the "=" of "-e=VALUE" (docker's pflag). */
const char *ctr_optarg(char **argv);

/* run/create: parse argv into r; returns -1 to go on, else an exit status. */
int ctr_parse_run(const char *cmd, int argc, char **argv, struct ctr_run *r);
/* Free what ctr_parse_run allocated. */
void ctr_run_free(struct ctr_run *r);
/* create: pull if needed, record, snapshot, config.json. Fills id. */
int ctr_create(struct ctr_run *r, char *id, int *status, struct dk_err *err);
/* process.args: --entrypoint or the image's, then COMMAND or the image's
 * Cmd (malloc'd vector). */
char **ctr_args(const struct dk_image *img, const struct ctr_run *r);
/* The config.json for img with r's options, its rootfs at rootfs. */
int ctr_spec(const struct dk_image *img, const struct ctr_run *r, const char *id,
	     const char *rootfs, char **json, size_t *len, struct dk_err *err);
/* Start id's monitor; attach: the caller's stdio become the container's
 * and the container's exit status is returned, else 0 once it runs. A
 * container that did not start gives -STATUS (docker's 125, 126, 127). */
int ctr_start(const char *id, bool attach, bool interactive, struct dk_err *err);
/* --since, --until (logs, events): RFC 3339, seconds since the epoch, or
 * a duration ago ("90s", "10m", "1h30m"); -1 when it is none of those. */
double ctr_parse_since(const char *s);
/* Append r's event action (create, stop, kill, destroy...) to the event
 * log; key, value one more attribute (key NULL: none). */
void ctr_event(const struct dk_crec *r, const char *action, const char *key, const char *value);
/* Remove every trace of id (mounts, cgroups, processes, record). */
int ctr_remove(const char *id, struct dk_err *err);

/* A record brought up to date: a container whose monitor died is killed
 * and recorded as exited. */
int ctr_load(const char *id, struct dk_crec *r, struct dk_err *err);
/* Resolve what (name, id, prefix) and load it. */
int ctr_find(const char *what, struct dk_crec *r, struct dk_err *err);
/* Docker's STATUS column ("Up 5 minutes", "Exited (3) 2 seconds ago"). */
void ctr_status_text(const struct dk_crec *r, char *buf, size_t size);
/* `ps -s`'s SIZE: "12B (virtual 1.09MB)". */
void ctr_size_text(const struct dk_crec *r, char *buf, size_t size);
/* "5 seconds", "About a minute", as docker's humanized durations. */
void ctr_human_duration(double secs, char *buf, size_t size);
/* Wait until the record leaves running (timeout < 0: forever); 0 when it
 * did. */
int ctr_wait_exit(const char *id, double timeout, struct dk_crec *r, struct dk_err *err);

/* "CDIR/ID/FILE" in a static buffer (FILE "" for the directory). */
const char *ctr_path(const char *id, const char *file);
/* Path of sibling tool name (next to this binary, with its prefix). */
char *ctr_tool_path(const char *name);
/* Run tool name with --root and args; wait; stdout captured into *out
 * (may be NULL: inherited). Returns the exit status or -1. */
int ctr_tool(const char *name, char *const *args, char **out, struct dk_err *err);
/* Run the runtime (state dir ROOT/run) with args; stderr kept quiet when
 * quiet. Returns its exit status or -1. */
int ctr_runtime(char *const *args, bool quiet, struct dk_err *err);
/* The same, quiet, its stdout captured into *out. */
int ctr_runtime_out(char *const *args, char **out, struct dk_err *err);

/* jsonarray.c: an inspect command's output: emit_one adds the object of
 * each of argv[1..] (or says on stderr why not and returns -1); the exit
 * status is 1 when one was missing. */
struct dk_jgen;
/* docker's inspect: options (-f/--format) then names in argv[1..]; cmd
 * names the command in messages */
int ctr_print_array(const char *cmd, int argc, char **argv,
		    int (*emit_one)(struct dk_jgen *g, const char *arg));

/* --format of listing commands (format.c). A field function writes
 * field name of arg into buf; false when there is no such field. */
typedef bool (*ctr_field_fn)(const void *arg, const char *name, char *buf, size_t size);
enum ctr_format { CTR_FMT_TABLE, CTR_FMT_JSON, CTR_FMT_TABLE_TEMPLATE, CTR_FMT_TEMPLATE };
/* Which kind f is; *template: the template part, if any. */
enum ctr_format ctr_format_kind(const char *f, const char **template);
/* Expand template t for arg into out; false on an unknown field. */
bool ctr_template(const char *t, ctr_field_fn fn, const void *arg, char *out, size_t size);
/* The header of "table t": each field's title (NULL: its name in upper
 * case), the text between fields kept. */
void ctr_template_header(const char *t, const char *(*title)(const char *field));
/* One JSON object line of the names' fields. */
void ctr_json_line(const char *const *names, ctr_field_fn fn, const void *arg);
#endif
