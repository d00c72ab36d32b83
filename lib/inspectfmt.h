// SPDX-License-Identifier: GPL-2.0-or-later
/* inspectfmt.h: docker's `inspect -f/--format` for every tool's inspect
 * command: the option, the template, and printing each element of the
 * JSON array through it. */
#ifndef DK_INSPECTFMT_H
#define DK_INSPECTFMT_H

#include <stdbool.h>
#include <stdio.h>
#include "gotmpl.h"

/* docker's inspect options in argv[1..]: -f/--format TEMPLATE and
 * -h/--help; *first gets the index of the first name. An unknown flag is
 * an error ("unknown flag: --size"). */
int dk_inspect_opts(int argc, char **argv, const char **format, bool *help, int *first,
		    struct dk_err *err);

/* The template for format ("json" is {{json .}}); NULL with err
 * "template parsing error: template: :1: ..." as docker words it. A NULL
 * or empty format gives NULL with err cleared: print the array. */
struct dk_tmpl *dk_inspect_tmpl(const char *format, struct dk_err *err);

/* The start of every inspect command: options, help, names, template.
 * 0: go on with the names from argv[*first] and *t (NULL: print the
 * array); 1: help printed (usage is its "Usage: " line), done; -1: a
 * usage error in err; -2: a bad template, its message printed. */
int dk_inspect_begin(int argc, char **argv, const char *usage, struct dk_tmpl **t, int *first,
		     struct dk_err *err);

/* Print doc, the JSON array an inspect command made: as is when t is
 * NULL, else t run on each element, each result followed by a newline.
 * An element whose run fails prints nothing; the others still print and
 * err gets every failure (one a line). Returns -1 if any failed. */
int dk_inspect_print(const struct dk_tmpl *t, const char *doc, size_t len, FILE *out,
		     struct dk_err *err);

/* A listing's --format text with each "\t" made a tab, as docker's
 * formatter does (malloc'd; NULL when out of memory). */
char *dk_format_tabs(const char *t);

#endif
