// SPDX-License-Identifier: GPL-2.0-or-later
/* build.h: the Dockerfile builder's pieces: options, the build and stage
 * state, the steps (config, RUN, COPY/ADD), the layer cache, the tools it
 * runs (snapshot, unpack, runtime, commit) and .dockerignore. */
#ifndef BUILDFILE_BUILD_H
#define BUILDFILE_BUILD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "dockerfile.h"
#include "imgwrite.h"
#include "store.h"

struct bf_opts {
	const char *root, *file, *target, *context;
	char **tags;		/* -t, NULL-terminated */
	char **build_args;	/* --build-arg K=V (or K: from the environment) */
	char **secrets;		/* --secret id=X,src=FILE|env=VAR */
	char **ssh;		/* --ssh default|ID=SOCKET */
	char **no_cache_filter; /* stages built without the cache */
	char **labels;		/* --label K=V */
	const char *iidfile;
	const char *network; /* --network none|host|default; NULL: default */
	struct bf_output {
		enum { BF_OUT_NONE, BF_OUT_OCI, BF_OUT_DOCKER, BF_OUT_TAR, BF_OUT_LOCAL } type;
		char dest[4096];
	} output;
	bool no_cache, quiet, print, tty;
	bool pull; /* --pull: FROM images pulled even when present */
	bool push; /* --push: the tags pushed once built */
	const char *metadata_file;
};

/* -o type=oci|tar|local,dest=PATH: 0, or the usage exit status. */
int bf_output_parse(const char *text, struct bf_output *out);
/* Write the image (manifest digest) as o->output asks. */
struct bf_build;
int bf_output_write(struct bf_build *b, const char *digest, struct dk_err *err);

struct bf_ignore;

/* --secret id=X[,src=FILE|,env=VAR]: without src or env, env X. */
struct bf_secret {
	char id[256], src[4096], env[256];
};
int bf_secret_parse(const char *text, struct bf_secret *out, struct dk_err *err);

/* --ssh default|ID=SOCKET|ID=KEY[,KEY...]: the agent socket of id, or the
 * key files (keys points into text) an agent of the build's holds (ssh.c). */
struct bf_ssh {
	char id[256], path[4096];
	const char *keys;
};
int bf_ssh_parse(const char *text, struct bf_ssh *out, struct dk_err *err);

/* sshagent.c: an ssh-agent of the build's own for each --ssh given key
 * files, started before the first step and stopped when the build ends. */
struct bf_agent {
	char id[256];
	char *dir, *sock; /* a private directory, the socket in it */
	pid_t pid;	  /* its watchdog (sshagent.c) */
	int ctl;	  /* closing it stops the agent */
};
int bf_ssh_agents_start(struct bf_build *b, struct dk_err *err);
void bf_ssh_agents_stop(struct bf_build *b);
/* The socket of the agent started for id, or NULL. */
const char *bf_ssh_agent_socket(const struct bf_build *b, const char *id);

/* One build. */
struct bf_build {
	const struct bf_opts *o;
	char *root; /* $DK_ROOT */
	struct dk_store store;
	int ctxfd; /* the context directory */
	struct bf_ignore *ignore;
	char prefix[48]; /* "dk-build-<pid>": names of temporary things */
	unsigned seq;
	char **used_args;   /* build args some ARG declared */
	char **global_args; /* ARGs before the first FROM, "K=V" */
	const struct dk_df_file *df;
	bool cached;		 /* the current step came from the cache */
	double step_start;	 /* when it began (monotonic seconds) */
	char **warm_keys;	 /* cache keys this build's stage children wrote */
	int warm_fd;		 /* in such a child: where it notes its keys, else -1 */
	int cache_lock;		 /* buildcache.lock, held shared (prune.c) */
	struct bf_agent *agents; /* --ssh ID=KEY agents */
	size_t n_agents;
};

/* One stage: FROM to the next FROM. */
struct bf_stage {
	char *name;		    /* AS name, or NULL */
	int index;		    /* 0 for the first FROM */
	char digest[DK_DIGEST_MAX]; /* the current image's manifest digest */
	char **args;		    /* ARG values in effect, "K=V" */
	bool cmd_set;		    /* a CMD came before ENTRYPOINT in this stage */
	bool drop_onbuild;	    /* the base's ONBUILD triggers ran: clear them */
};

/* warm.c: stages [from, n) up to stage index last that read no other
 * stage, built in child processes side by side (when two or more) so the
 * ordered run finds their steps in the cache. */
void bf_warm_stages(struct bf_build *b, const struct dk_df_instr *v, size_t from, size_t n,
		    size_t last);
/* A cache key written by this build's stage children. */
bool bf_cache_warmed(const struct bf_build *b, const struct dk_digest *key);

/* check.c: every instruction's flags and mount specs are ones the builder
 * honours; the first that is not fails as "line N: ...: not supported". */
int bf_check(const struct dk_df_instr *v, size_t n, struct dk_err *err);

/* plan.c: --print: the build plan as JSON on stdout; nothing runs. */
int bf_plan_print(struct bf_build *b, const struct dk_df_file *df, const char *file,
		  struct dk_err *err);

/* progress.c: --progress plain (docker's classic lines) or tty (a line
 * per step with its time, RUN output only when it fails). */
void bf_progress(const struct bf_build *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void bf_step_begin(struct bf_build *b, size_t i, size_t n, const char *text);
void bf_step_end(struct bf_build *b, bool ok);
/* Where a RUN's output goes (an fd to close with bf_run_output_done,
 * which shows it in tty mode when the command failed). */
int bf_run_output(struct bf_build *b);
void bf_run_output_done(struct bf_build *b, int fd, bool failed);

/* build.c */
/* qsort comparison of two char * */
int bf_strcmp(const void *a, const void *b);
int bf_run_build(const struct bf_opts *o, struct dk_err *err);
/* ARG NAME[=default] into *args: the --build-arg value, else the default,
 * else (no default) the value of the global ARG of that name. */
int bf_arg_apply(struct bf_build *b, char ***args, char *const *global,
		 const struct dk_df_instr *in, struct dk_err *err);

/* FROM: a new stage stages[*n_stages] on its base, ONBUILD triggers run. */
int bf_from_step(struct bf_build *b, struct bf_stage *stages, size_t *n_stages,
		 struct bf_stage **stp, const struct dk_df_instr *in, struct dk_err *err);

/* step.c: one instruction of a stage (FROM is handled by build.c). */
int bf_step(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages, size_t n_stages,
	    const struct dk_df_instr *in, struct dk_err *err);
/* The image's config after in, as a new image (history entry, no layer). */
int bf_config_step(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *in,
		   struct dk_digest *out, struct dk_err *err);
/* "/bin/sh -c #(nop)  CMD [...]": the history entry of a non-RUN step. */
char *bf_nop_created_by(const struct dk_df_instr *in);
/* Write cur + layer (NULL: none) + history created_by as a new image. */
int bf_write_image(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *apply,
		   const struct dk_new_layer *layer, const char *created_by, struct dk_digest *out,
		   struct dk_err *err);
/* The image of --from=NAME (COPY, RUN --mount): an earlier stage by name
 * or index, else an image in the store; its manifest digest into digest. */
int bf_stage_image(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages, size_t n,
		   const char *name, char digest[DK_DIGEST_MAX], struct dk_err *err);
/* The variables expansion sees: the stage's args, then the image's env. */
char **bf_env_view(struct bf_build *b, struct bf_stage *st, struct dk_err *err);
/* Expand a word with the stage's args and the image's env. */
char *bf_expand(struct bf_build *b, struct bf_stage *st, const char *raw, struct dk_err *err);

/* cache.c: key = sha256(parent, instruction, args, extra) */
void bf_cache_key(const struct bf_stage *st, const struct dk_df_instr *in, const char *extra,
		  struct dk_digest *key);
bool bf_cache_get(struct bf_build *b, const struct dk_digest *key, struct dk_digest *out);
void bf_cache_put(struct bf_build *b, const struct dk_digest *key, const struct dk_digest *out);
/* A cache entry's manifest digest (file name in dirfd): 0, or -1. */
int bf_cache_entry_read(int dirfd, const char *name, struct dk_digest *out);
/* The image's manifest, config and layers are all in the store. */
bool bf_cache_image_complete(struct dk_store *s, const struct dk_digest *d);

/* prune.c: buildfile prune (docker builder prune). */
struct bf_prune_opts {
	const char *root;
	bool all;   /* every layer-cache entry too, then the unreferenced blobs */
	long until; /* seconds: only what is older (0: everything) */
};
int bf_prune(const struct bf_prune_opts *o, struct dk_err *err);
/* baseimage.c: image (FROM, COPY --from) from the store, pulled when
 * missing or --pull. */
int bf_image_load(struct bf_build *b, const char *image, struct dk_image *img, struct dk_err *err);
/* publish.c: --push (every tag to its registry) and --metadata-file. */
int bf_publish(struct bf_build *b, const char *digest, struct dk_err *err);
/* cmd_prune.c: `buildfile prune ...` (argv[0] is "prune"): exit status. */
int bf_prune_main(int argc, char **argv);
/* df.c: `buildfile df ...`, the Build Cache row of docker system df. */
int bf_df_main(int argc, char **argv);
/* A build's hold on the cache: buildcache.lock shared (its fd). */
int bf_cache_lock_shared(const char *root, struct dk_err *err);

/* The signal that interrupted the build, 0 if none. */
extern volatile sig_atomic_t bf_interrupted;
/* A tool command run (once) when a signal interrupts a wait: RUN sets
 * `runtime kill ID KILL` while its container runs. */
extern char *const *bf_on_interrupt;

/* tools.c: the other dk tools, found next to this program, then on PATH. */
/* Run argv (argv[0] a dk tool name) with stdin in and stdout out (-1:
 * inherited); returns its exit status, or -1 with err if it could not run.
 * capture (may be NULL) gets its stdout, trailing newline trimmed. */
int bf_tool(char *const *argv, int in, int out, char **capture, struct dk_err *err);
/* The same with all three standard streams on /dev/null. */
int bf_tool_silent(char *const *argv);
/* Start argv without waiting: fds -1 are inherited, env ("K=V") is added
 * to its environment. */
struct bf_spawn {
	int in, out, errfd;
	const char *env;
};
pid_t bf_spawn(char *const *argv, const struct bf_spawn *how, struct dk_err *err);
/* Wait for pid (passing on an interrupt): its exit status, 128+N on a
 * signal, or -1 with err. */
int bf_wait(pid_t pid, const char *name, struct dk_err *err);
/* snapshot diff KEY | commit --base BASE --tag TAG -: the manifest digest. */
int bf_diff_commit(struct bf_build *b, const char *key, const char *base, const char *tag,
		   char **digest, struct dk_err *err);
/* A writable snapshot of image: prints rootfs; and its removal. */
int bf_snap_prepare(struct bf_build *b, const char *image, const char *key, char **rootfs,
		    struct dk_err *err);
void bf_snap_remove(struct bf_build *b, const char *key);
/* The layer a snapshot adds to st's image: diff, commit, keep the layer. */
int bf_snap_layer(struct bf_build *b, struct bf_stage *st, const char *key,
		  struct dk_new_layer *out, struct dk_err *err);

/* run.c */
int bf_run_step(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages, size_t n_stages,
		const struct dk_df_instr *in, struct dk_digest *out, struct dk_err *err);
/* WORKDIR: config change, plus a layer when the directory is new. */
int bf_workdir_step(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *in,
		    struct dk_digest *out, struct dk_err *err);

/* copy.c: COPY and ADD. src_image: the --from image digest, or NULL for
 * the context. */
struct bf_copy;
struct bf_copy *bf_copy_prepare(struct bf_build *b, struct bf_stage *st,
				const struct dk_df_instr *in, const char *src_image,
				struct dk_err *err);
/* Digest of what would be copied (contents, modes, names) for the cache. */
const char *bf_copy_digest(const struct bf_copy *c);
int bf_copy_run(struct bf_build *b, struct bf_stage *st, struct bf_copy *c,
		const struct dk_df_instr *in, struct dk_digest *out, struct dk_err *err);
void bf_copy_free(struct bf_copy *c);

/* heredoc.c: COPY/ADD <<NAME: each here-document as the file NAME in a
 * new host directory *root (expanded unless its delimiter was quoted);
 * *srcs gets the names. Remove *root when done. */
int bf_heredoc_files(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *in,
		     char **root, char ***srcs, struct dk_err *err);

/* remote.c: ADD's remote sources. bf_remote_word: 2 for a git URL, 1 for
 * an http(s) file, 0 for a local source. bf_remote_fetch puts the source
 * into dirfd as *name (a file, or a git checkout directory). */
int bf_remote_word(const char *w);
int bf_remote_fetch(struct bf_build *b, const struct dk_df_instr *in, const char *w,
		    const char *checksum, int dirfd, char **name, struct dk_err *err);
/* Download url (--checksum verified when given) as a file in dirfd. */
int bf_url_fetch(struct bf_build *b, const char *url, const char *checksum, int dirfd, char **name,
		 struct dk_err *err);
/* gitsrc.c: clone a git URL[#ref[:subdir]] as a directory in dirfd; with
 * checksum (a full commit id), the checkout must be that commit. */
int bf_git_fetch(struct bf_build *b, const char *url, const char *checksum, bool keep_git_dir,
		 int dirfd, char **name, struct dk_err *err);

/* ignore.c: .dockerignore */
int bf_ignore_load(int ctxfd, struct bf_ignore **out, struct dk_err *err);
/* The same matcher over patterns given as strings (COPY --exclude). */
int bf_ignore_from(char *const *pats, struct bf_ignore **out, struct dk_err *err);
/* rel: path relative to the context, no leading "/". */
bool bf_ignored(const struct bf_ignore *ig, const char *rel);
/* An excluded directory rel may still hold re-included ("!") files. */
bool bf_ignore_reincludes_below(const struct bf_ignore *ig, const char *rel);
void bf_ignore_free(struct bf_ignore *ig);

#endif
