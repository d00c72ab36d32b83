// SPDX-License-Identifier: GPL-2.0-or-later
/* inspectfmt.c: docker's `inspect -f/--format` shared by the container,
 * store and network tools: option parsing, "json", and running the
 * template on each element of the inspect array. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "inspectfmt.h"

int dk_inspect_opts(int argc, char **argv, const char **format, bool *help, int *first,
		    struct dk_err *err)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*format = NULL;
	*help = false;
	optind = 1;
	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		if (c == 'f')
			*format = optarg;
		else if (c == 'h')
			*help = true;
		else if (optopt == 'f' || (optind > 0 && !strcmp(argv[optind - 1], "--format")))
			return dk_err_set(err, "flag needs an argument: --format");
		else
			return dk_err_set(err, "unknown flag: %s", argv[optind - 1]);
	}
	*first = optind;
	return 0;
}

struct dk_tmpl *dk_inspect_tmpl(const char *format, struct dk_err *err)
{
	struct dk_tmpl *t;

	dk_err_clear(err);
	if (!format || !*format)
		return NULL;
	t = dk_tmpl_parse(strcmp(format, "json") == 0 ? "{{json .}}" : format, err);
	if (!t)
		dk_err_wrap(err, "template parsing error");
	return t;
}

int dk_inspect_begin(int argc, char **argv, const char *usage, struct dk_tmpl **t, int *first,
		     struct dk_err *err)
{
	const char *format;
	bool help;

	*t = NULL;
	if (dk_inspect_opts(argc, argv, &format, &help, first, err) < 0)
		return -1;
	if (help) {
		printf("Usage: %s\n", usage);
		return 1;
	}
	if (*first >= argc)
		return dk_err_set(err, "\"inspect\" requires at least 1 argument.");
	*t = dk_inspect_tmpl(format, err);
	if (!*t && err->msg[0]) {
		fprintf(stderr, "%s\n", err->msg);
		return -2;
	}
	return 0;
}

/* add one element's failure to err, a line each */
static void add_failure(struct dk_err *err, const struct dk_err *one, bool first)
{
	size_t used = strlen(err->msg);

	if (first)
		used = 0;
	snprintf(err->msg + used, sizeof(err->msg) - used, "%stemplate parsing error: %s",
		 first ? "" : "\n", one->msg);
}

int dk_inspect_print(const struct dk_tmpl *t, const char *doc, size_t len, FILE *out,
		     struct dk_err *err)
{
	struct dk_json *arr;
	struct dk_err one;
	bool printed = false;
	int failed = 0;

	if (!t) {
		fprintf(out, "%.*s\n", (int)len, doc);
		return 0;
	}
	if (!(arr = dk_json_parse(doc, len, "inspect output", err)))
		return -1;
	for (size_t i = 0; i < dk_json_len(arr); i++) {
		char *res = NULL;

		if (dk_tmpl_render(t, dk_json_at(arr, i), DK_TMPL_STRUCTS, &res, &one) < 0) {
			add_failure(err, &one, failed++ == 0);
			continue;
		}
		fprintf(out, "%s\n", res);
		printed = true;
		free(res);
	}
	if (!printed)
		fputc('\n', out); /* docker prints one empty line then */
	dk_json_free(arr);
	return failed ? -1 : 0;
}

char *dk_format_tabs(const char *t)
{
	char *o = malloc(strlen(t) + 1), *p = o;

	while (o && *t) {
		if (t[0] == '\\' && t[1] == 't') {
			*p++ = '\t';
			t += 2;
		} else {
			*p++ = *t++;
		}
	}
	if (o)
		*p = '\0';
	return o;
}
