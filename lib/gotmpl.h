// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl.h: Go's text/template language (the subset docker users write in
 * --format) evaluated against a parsed JSON value, with docker's template
 * functions. docs/FORMAT.md lists what is supported. */
#ifndef DK_GOTMPL_H
#define DK_GOTMPL_H

#include <stdbool.h>
#include <stdio.h>
#include "err.h"
#include "json.h"

struct dk_tmpl;

/* Parse text. On error err holds Go's message ("template: :1: unclosed
 * action") and NULL is returned. Nesting deeper than 100 is refused. */
struct dk_tmpl *dk_tmpl_parse(const char *text, struct dk_err *err);
void dk_tmpl_free(struct dk_tmpl *t);

/* Flags for dk_tmpl_exec. DK_TMPL_STRUCTS: an object whose keys all start
 * with an upper-case letter stands for a Go struct, and a field it lacks is
 * an error (docker inspect's behaviour); otherwise a missing key gives
 * "<no value>" as Go's maps do. */
#define DK_TMPL_STRUCTS 1

/* Run t with dot set to v, writing to out. On error err holds Go's message
 * ("template: :1:2: executing \"\" at <.Foo>: ..."); what was written
 * before the error stays in out. */
int dk_tmpl_exec(const struct dk_tmpl *t, const struct dk_json *v, int flags, FILE *out,
		 struct dk_err *err);

/* Run t on v into a malloc'd NUL-terminated string (*res), so nothing is
 * printed when it fails. */
int dk_tmpl_render(const struct dk_tmpl *t, const struct dk_json *v, int flags, char **res,
		   struct dk_err *err);

#endif
