// SPDX-License-Identifier: GPL-2.0-or-later
/* commit: a layer tar (and/or Dockerfile-style config changes) on top of a
 * base image -> a new image in the store, tagged; prints its digest. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "imgwrite.h"
#include "commit.h"
#include "compress.h"
#include "pgzip.h"
#include "ref.h"

static const char usage_text[] =
    "Usage: commit [OPTION]... --base IMAGE --tag REF [LAYER.tar | -]\n"
    "Store the layer tar (uncompressed; - or none: standard input) as a new\n"
    "layer on top of IMAGE, apply --change instructions, tag the new image\n"
    "REF and print its manifest digest. Empty input commits no layer.\n"
    "\n"
    "  -b, --base IMAGE        image to build on (name, id or digest; scratch:\n"
    "                          the empty image)\n"
    "  -t, --tag REF           reference to tag the new image with\n"
    "  -m, --message MSG       comment of the history entry\n"
    "  -a, --author A          author of the new image\n"
    "  -c, --change INSTR      apply a Dockerfile instruction (CMD, ENTRYPOINT,\n"
    "                          ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME,\n"
    "                          STOPSIGNAL, ONBUILD); repeatable\n"
    "      --compress METHOD   gzip (default), zstd or none\n"
    "      --level N           compression level (gzip 1-9, default 6;\n"
    "                          zstd 1-22, default 3)\n"
    "  -j, --threads N         compress on N threads (1-64; default: the CPUs\n"
    "                          available); the output is the same for any N\n"
    "      --timestamp T       creation time: seconds since the epoch or\n"
    "                          YYYY-MM-DDTHH:MM:SSZ (default: $SOURCE_DATE_EPOCH,\n"
    "                          else now); fixes the output bytes\n"
    "      --require-layer     empty input is an error, not \"no layer\" (a\n"
    "                          producer that failed before writing anything)\n"
    "      --root DIR          dk state directory (default $DK_ROOT)\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n";

enum { OPT_COMPRESS = 256, OPT_LEVEL, OPT_TIMESTAMP, OPT_ROOT, OPT_REQUIRE_LAYER };

static const struct option long_opts[] = {{"base", required_argument, NULL, 'b'},
					  {"tag", required_argument, NULL, 't'},
					  {"message", required_argument, NULL, 'm'},
					  {"author", required_argument, NULL, 'a'},
					  {"change", required_argument, NULL, 'c'},
					  {"compress", required_argument, NULL, OPT_COMPRESS},
					  {"level", required_argument, NULL, OPT_LEVEL},
					  {"threads", required_argument, NULL, 'j'},
					  {"timestamp", required_argument, NULL, OPT_TIMESTAMP},
					  {"root", required_argument, NULL, OPT_ROOT},
					  {"require-layer", no_argument, NULL, OPT_REQUIRE_LAYER},
					  {"help", no_argument, NULL, 'h'},
					  {"version", no_argument, NULL, 'V'},
					  {NULL, 0, NULL, 0}};

/* Seconds since the epoch, or YYYY-MM-DDTHH:MM:SSZ. */
static int parse_time(const char *s, int64_t *out)
{
	struct tm tm = {0};
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s && !*end && v >= 0) {
		*out = v;
		return 0;
	}
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || (strcmp(end, "Z") != 0 && strcmp(end, "+00:00") != 0))
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

static int parse_method(const char *s, enum dk_compression *out)
{
	static const struct {
		const char *name;
		enum dk_compression m;
	} t[] = {
	    {"gzip", DK_COMP_GZIP},
	    {"zstd", DK_COMP_ZSTD},
	    {"none", DK_COMP_NONE},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].name) == 0) {
			*out = t[i].m;
			return 0;
		}
	return -1;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static int add_change(struct commit_opts *o, const char *line)
{
	struct dk_df_instr *v = realloc(o->changes, (o->n_changes + 1) * sizeof(*v));
	struct dk_err err;

	if (!v)
		return dk_usage_error("out of memory");
	o->changes = v;
	if (dk_df_parse_line(line, (int)o->n_changes + 1, &v[o->n_changes], &err) < 0)
		return dk_usage_error("--change '%s': %s", line, err.msg);
	if (!dk_df_commit_allowed(v[o->n_changes].cmd)) {
		const char *name = dk_df_cmd_name(v[o->n_changes].cmd);

		dk_df_instr_free(&v[o->n_changes]);
		return dk_usage_error(
		    "--change '%s': %s is not allowed (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD are)",
		    line, name);
	}
	o->n_changes++;
	return 0;
}

static int check_opts(struct commit_opts *o, const char *ts)
{
	int lo, hi;
	struct dk_ref ref;
	struct dk_err err;

	if (!o->base || !o->tag)
		return dk_usage_error("--base and --tag are required");
	if (dk_ref_parse(o->tag, &ref, &err) < 0)
		return dk_usage_error("--tag %s: %s", o->tag, err.msg);
	if (ref.digest[0])
		return dk_usage_error("--tag %s: a tag cannot contain a digest", o->tag);
	commit_level_range(o->method, &lo, &hi);
	if (o->level >= 0 && (o->level < lo || o->level > hi))
		return dk_usage_error("--level %d: out of range %d-%d for this method", o->level,
				      lo, hi);
	if (!ts)
		ts = getenv("SOURCE_DATE_EPOCH");
	if (ts && *ts && parse_time(ts, &o->timestamp) < 0)
		return dk_usage_error(
		    "timestamp \"%s\": want seconds since the epoch or YYYY-MM-DDTHH:MM:SSZ", ts);
	if (o->timestamp < 0)
		o->timestamp = (int64_t)time(NULL);
	if (o->threads < 1)
		o->threads = commit_default_threads();
	return 0;
}

static int parse_args(int argc, char **argv, struct commit_opts *o)
{
	const char *ts = NULL;
	int c, ret;

	while ((c = dk_getopt_long(argc, argv, "b:t:m:a:c:j:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'b': o->base = optarg; break;
		case 't': o->tag = optarg; break;
		case 'm': o->message = optarg; break;
		case 'a': o->author = optarg; break;
		case 'c':
			if ((ret = add_change(o, optarg)) != 0)
				return ret;
			break;
		case OPT_COMPRESS:
			if (parse_method(optarg, &o->method) < 0)
				return dk_usage_error("--compress %s: want gzip, zstd or none",
						      optarg);
			break;
		case OPT_LEVEL:
			if (parse_int(optarg, &o->level) < 0 || o->level < 0)
				return dk_usage_error("--level %s: not a valid level", optarg);
			break;
		case 'j':
			if (parse_int(optarg, &o->threads) < 0 || o->threads < 1 ||
			    o->threads > COMMIT_MAX_THREADS)
				return dk_usage_error("--threads %s: want a number from 1 to %d",
						      optarg, COMMIT_MAX_THREADS);
			break;
		case OPT_TIMESTAMP: ts = optarg; break;
		case OPT_ROOT: o->root = optarg; break;
		case OPT_REQUIRE_LAYER: o->require_layer = true; break;
		case 'h': fputs(usage_text, stdout); return -1;
		case 'V': dk_print_version(); return -1;
		default: return DK_EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return dk_usage_error("too many arguments");
	o->input = optind < argc ? argv[optind] : NULL;
	return check_opts(o, ts);
}

/* The layer source: a file, "-" or (no argument) standard input unless
 * it is a terminal; -2 when there is none. */
static int open_input(const struct commit_opts *o, struct dk_err *err)
{
	int fd;

	if (!o->input)
		return isatty(STDIN_FILENO) ? -2 : STDIN_FILENO;
	if (strcmp(o->input, "-") == 0)
		return STDIN_FILENO;
	fd = open(o->input, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "layer %s", o->input);
	return fd;
}

/* --base: an image of the store, or "scratch" (the empty image, as in
 * FROM scratch: what `dk import` builds on). */
static int load_base(struct dk_store *s, const char *base, struct dk_image *img, struct dk_err *err)
{
	struct dk_descriptor d;
	int ret;

	if (strcmp(base, "scratch"))
		return dk_store_load_image(s, base, NULL, img, err);
	if (dk_image_write_scratch(s, &d, err) < 0)
		return -1;
	ret = dk_store_load_image(s, d.digest.str, NULL, img, err);
	dk_descriptor_free(&d);
	return ret;
}

static int run(const struct commit_opts *o, struct dk_err *err)
{
	struct dk_store s;
	struct dk_image base;
	struct commit_layer layer = {0};
	struct dk_digest out;
	int fd = -1, ret = -1;

	if (dk_store_open_default(&s, o->root, false, err) < 0)
		return -1;
	if (load_base(&s, o->base, &base, err) < 0) {
		dk_err_wrap(err, "--base");
		goto out_store;
	}
	if (!commit_layer_media_type(&base, o->method, err) ||
	    commit_apply_changes(&base, o, err) < 0)
		goto out_image;
	fd = open_input(o, err);
	if (fd == -1 ||
	    (fd >= 0 && commit_write_layer(&s, fd, o->input ? o->input : "-", o, &layer, err) < 0))
		goto out_image;
	ret = commit_image(&s, &base, &layer, o, &out, err);
	if (ret == 0)
		printf("%s\n", out.str);
out_image:
	if (fd > STDIN_FILENO)
		close(fd);
	dk_image_free(&base);
out_store:
	dk_store_close(&s);
	return ret;
}

int main(int argc, char **argv)
{
	struct commit_opts o = {.method = DK_COMP_GZIP, .level = -1, .timestamp = -1};
	struct dk_err err = {0};
	int ret;

	dk_tool_name = "commit";
	ret = parse_args(argc, argv, &o);
	if (ret == 0)
		ret = run(&o, &err) < 0 ? dk_fail(&err) : DK_EXIT_OK;
	else if (ret < 0)
		ret = DK_EXIT_OK; /* --help, --version */
	dk_df_instrs_free(o.changes, o.n_changes);
	return ret;
}
