// SPDX-License-Identifier: GPL-2.0-or-later
/* crecord.h: container records, $DK_ROOT/containers/<id>/record.json,
 * shared by `container` (which creates, lists and removes them) and
 * `monitor` (which records start, exit and restarts). Every write is
 * temp + fsync + rename under the container's lock file; names are
 * unique through $DK_ROOT/containers/names/<name> symlinks made under
 * the directory's lock. */
#ifndef DK_CRECORD_H
#define DK_CRECORD_H

#include <stdbool.h>
#include <stdint.h>
#include "err.h"
#include "hostcfg.h"

/* What `run`/`create` asked for that the monitor and later commands need
 * (grows with volumes, networks, resources). */
struct dk_copts {
	bool tty, open_stdin, auto_remove;
	char *restart;	      /* no, on-failure, always, unless-stopped */
	int restart_max;      /* on-failure:N */
	int64_t log_max_size; /* bytes, 0 = unlimited */
	int log_max_file;     /* files kept, >= 1 */
	bool log_none;	      /* --log-driver none: no json.log */
	char **ports;	      /* "[IP:]HOST:PORT[/tcp]" as given */
	char **env;	      /* -e as given */
	char *workdir, *user, *entrypoint, *hostname, *domainname, *stop_signal;
	char *detach_keys;  /* --detach-keys, NULL: ctrl-p,ctrl-q */
	int stop_timeout;   /* seconds, -1 = default 10 */
	char **health_test; /* the image's HEALTHCHECK test, NULL when none */
	int64_t health_interval, health_timeout, health_start; /* ns, 0: default */
	int health_retries;
	/* networking (container/netopts.c); network NULL: the default */
	char *network, *ip;
	char **aliases, **dns, **dns_search, **dns_opts, **add_hosts;
	struct dk_hostcfg hc; /* mounts, resources, security (hostcfg.h) */
};

/* One health check's result (docker's State.Health.Log entry). */
struct dk_hcheck {
	char *start, *end, *output; /* output: at most DK_HEALTH_OUTPUT bytes */
	int exit_code;
};
#define DK_HEALTH_LOG	 5    /* results kept, as docker */
#define DK_HEALTH_OUTPUT 4096 /* bytes of a check's output kept, as docker */

struct dk_crec {
	char id[65];
	char *name, *image, *image_id, *created;
	char **cmd;   /* process.args */
	char *status; /* created, running, exited, removing */
	int pid, exit_code, restart_count;
	bool oom_killed, user_stopped;
	char *started, *finished, *error;
	char *health; /* starting, healthy, unhealthy; NULL: no check */
	int health_streak;
	struct dk_hcheck health_log[DK_HEALTH_LOG]; /* the last checks, oldest first */
	int health_n;
	int monitor_pid;
	uint64_t monitor_start; /* /proc/PID/stat starttime of the monitor */
	struct dk_copts o;
};

/* The networking options in a record (lib/crecnet.c). */
struct dk_json;
struct dk_jgen;
void dk_copts_load_net(const struct dk_json *v, struct dk_copts *o);
void dk_copts_save_net(struct dk_jgen *g, const struct dk_copts *o);
void dk_copts_free_net(struct dk_copts *o);

/* The containers directory of root ("ROOT/containers"), malloc'd. */
char *dk_crec_dir(const char *root);
/* Load and save id's record.json in containers dir cdir. */
int dk_crec_load(const char *cdir, const char *id, struct dk_crec *r, struct dk_err *err);
int dk_crec_save(const char *cdir, const struct dk_crec *r, struct dk_err *err);
void dk_crec_free(struct dk_crec *r);
void dk_copts_free(struct dk_copts *o);
/* Append a check's result to r's health log, dropping the oldest when
 * full; the strings are copied. */
void dk_crec_health_push(struct dk_crec *r, const char *start, const char *end, int code,
			 const char *output);
/* r's health log as docker's State.Health.Log array. */
struct dk_jgen;
void dk_crec_emit_health_log(struct dk_jgen *g, const struct dk_crec *r);
/* Lock id's record (exclusive flock on CDIR/ID/lock); close the fd to
 * release. */
int dk_crec_lock(const char *cdir, const char *id, struct dk_err *err);
/* Load, let fn change, save, all under the record's lock. */
int dk_crec_update(const char *cdir, const char *id,
		   int (*fn)(struct dk_crec *r, void *arg, struct dk_err *err), void *arg,
		   struct dk_err *err);

/* docker's rule for names, [a-zA-Z0-9][a-zA-Z0-9_.-]+ (here also a file
 * name). */
bool dk_crec_valid_name(const char *name);
/* Claim name for id (symlink names/NAME -> ID); a name whose container is
 * gone is taken over. Returns 1 and sets *owner (65 bytes) when the name
 * belongs to another container, 0 when claimed. */
int dk_crec_claim_name(const char *cdir, const char *name, const char *id, char *owner,
		       struct dk_err *err);
/* Drop name if it still points at id. */
void dk_crec_release_name(const char *cdir, const char *name, const char *id);
/* The last step of removing a container: its name (when still its own)
 * and its directory with the record. */
int dk_crec_remove(const char *cdir, const char *id, const char *name, struct dk_err *err);
/* A name, full id or unique id prefix -> full id (65 bytes). */
int dk_crec_resolve(const char *cdir, const char *what, char *id, struct dk_err *err);
/* The ids of every container, oldest first (NULL-terminated, caller frees
 * with dk_strv_free). */
char **dk_crec_list(const char *cdir, struct dk_err *err);

/* The bytes of a --detach-keys spec (NULL or "": ctrl-p,ctrl-q) into
 * keys; returns their number, -1 when the spec is invalid. */
int dk_detach_keys_parse(const char *s, char *keys, size_t size);

/* Current time as RFC 3339 with nanoseconds, UTC ("2026-...Z"). */
void dk_time_now(char *buf, size_t size);
/* The same for sec seconds and nsec nanoseconds since the epoch. */
void dk_time_format(long long sec, long nsec, char *buf, size_t size);
/* Seconds since the epoch of such a time, or -1. */
double dk_time_parse(const char *s);
/* starttime (field 22 of /proc/PID/stat), 0 when pid does not exist or
 * is a zombie. */
uint64_t dk_proc_starttime(int pid);
/* True while pid runs and still has the recorded start time. */
bool dk_proc_same(int pid, uint64_t starttime);
/* The CPU pid last ran on, or is queued on (-1: gone). */
int dk_proc_cpu(int pid);

#endif
