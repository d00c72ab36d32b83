// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_funcs.h: the template functions defined outside gotmpl_funcs.c
 * (private to lib/). */
#ifndef DK_GOTMPL_FUNCS_H
#define DK_GOTMPL_FUNCS_H

#include "gotmpl_int.h"

/* "wrong number of args" unless min <= n <= max */
int tfn_arity(struct texec *x, const char *name, size_t n, size_t min, size_t max);

int tmpl_fn_print(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_println(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_printf(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_json(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_join(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_split(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_lower(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_upper(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_title(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_truncate(struct texec *x, struct tval *a, size_t n, struct tval *res);
int tmpl_fn_pad(struct texec *x, struct tval *a, size_t n, struct tval *res);

#endif
