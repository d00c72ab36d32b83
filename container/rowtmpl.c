// SPDX-License-Identifier: GPL-2.0-or-later
/* rowtmpl.c: a listing's --format template (ps, stats) run through the
 * Go template engine (lib/gotmpl.c) on one row: the fields the template
 * names become a JSON object of strings, as docker's formatter methods
 * return strings. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "gotmpl.h"
#include "inspectfmt.h"
#include "container.h"

/* the field named at p (after its dot) into name; false when fn does
 * not know it */
static bool add_field(struct dk_jgen *g, const char *p, ctr_field_fn fn, const void *arg,
		      char *seen, size_t seen_size)
{
	char name[64], key[68], val[1024];
	size_t n = 0;

	while (n + 1 < sizeof(name) && (isalnum((unsigned char)p[n]) || p[n] == '_'))
		n++;
	snprintf(name, sizeof(name), "%.*s", (int)n, p);
	snprintf(key, sizeof(key), "|%s|", name);
	if (strstr(seen, key))
		return true;
	if (!fn(arg, name, val, sizeof(val)))
		return false;
	if (strlen(seen) + strlen(key) < seen_size)
		strcat(seen, key);
	dk_jgen_kstr(g, name, val);
	return true;
}

/* the row as an object of the fields named in t's actions (.Name not
 * after another name); NULL when one is unknown */
static struct dk_json *row_object(const char *t, ctr_field_fn fn, const void *arg)
{
	struct dk_jgen *g = dk_jgen_new(false);
	char seen[1024] = "";
	cleanup_free char *doc = NULL;
	struct dk_err err;
	size_t len;
	bool ok = true;

	dk_jgen_map_open(g);
	for (const char *a = strstr(t, "{{"); ok && a; a = strstr(a, "{{")) {
		const char *e = strstr(a, "}}");

		for (const char *p = a + 2; ok && p < (e ? e : a + strlen(a)); p++)
			if (p[0] == '.' && isupper((unsigned char)p[1]) &&
			    !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == ')'))
				ok = add_field(g, p + 1, fn, arg, seen, sizeof(seen));
		a = e ? e + 2 : a + strlen(a);
	}
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &doc, &len, &err) < 0 || !ok)
		return NULL;
	return dk_json_parse(doc, len, "row", &err);
}

bool ctr_template(const char *t, ctr_field_fn fn, const void *arg, char *out, size_t size)
{
	cleanup_free char *text = dk_format_tabs(t), *res = NULL;
	struct dk_json *row = row_object(t, fn, arg);
	struct dk_tmpl *tmpl = NULL;
	struct dk_err err;
	bool ok = false;

	if (!row || !text)
		goto out;
	if (!(tmpl = dk_tmpl_parse(text, &err)) ||
	    dk_tmpl_render(tmpl, row, DK_TMPL_STRUCTS, &res, &err) < 0) {
		fprintf(stderr, "template parsing error: %s\n", err.msg);
		goto out;
	}
	snprintf(out, size, "%s", res);
	ok = true;
out:
	dk_tmpl_free(tmpl);
	dk_json_free(row);
	return ok;
}
