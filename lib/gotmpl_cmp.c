// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_cmp.c: the comparison functions eq, ne, lt, le, gt, ge on basic
 * values (bool, number, string), as Go's text/template defines them. */
#include <string.h>
#include "gotmpl_int.h"

enum tcls { C_NIL, C_BOOL, C_NUM, C_STR, C_OTHER };

static enum tcls cls(const struct tval *v)
{
	bool missing;

	switch (tval_type(v, &missing)) {
	case DK_JSON_NULL: return C_NIL;
	case DK_JSON_BOOL: return C_BOOL;
	case DK_JSON_NUMBER: return C_NUM;
	case DK_JSON_STRING: return C_STR;
	default: return C_OTHER;
	}
}

static int num_cmp(const struct tval *a, const struct tval *b)
{
	double da, db;
	int64_t ia, ib;
	bool ai, bi;

	tval_as_num(a, &da, &ia, &ai);
	tval_as_num(b, &db, &ib, &bi);
	if (ai && bi)
		return (ia > ib) - (ia < ib);
	return (da > db) - (da < db);
}

/* 0 with *cmp set; 1 when the two differ without an order (eq_only, one
 * is nil); -1 with the error set */
int tmpl_compare(struct texec *x, const struct tval *a, const struct tval *b, int *cmp,
		 bool eq_only)
{
	enum tcls ca = cls(a), cb = cls(b);
	const char *sa, *sb;

	if (eq_only && (ca == C_NIL || cb == C_NIL)) {
		*cmp = ca == cb ? 0 : 1;
		return ca == cb ? 0 : 1;
	}
	if ((ca == C_OTHER || cb == C_OTHER) && eq_only)
		return dk_err_set(x->err, "non-comparable types %s and %s", tval_typename(a),
				  tval_typename(b));
	if (ca == C_OTHER || cb == C_OTHER || ca == C_NIL || cb == C_NIL)
		return dk_err_set(x->err, "invalid type for comparison");
	if (ca != cb)
		return dk_err_set(x->err, "incompatible types for comparison");
	switch (ca) {
	case C_BOOL:
		if (!eq_only)
			return dk_err_set(x->err, "invalid type for comparison");
		*cmp = tval_truth(a) != tval_truth(b);
		return 0;
	case C_NUM: *cmp = num_cmp(a, b); return 0;
	case C_STR:
		tval_as_str(a, &sa);
		tval_as_str(b, &sb);
		*cmp = strcmp(sa, sb);
		*cmp = (*cmp > 0) - (*cmp < 0);
		return 0;
	default: return dk_err_set(x->err, "invalid type for comparison");
	}
}
