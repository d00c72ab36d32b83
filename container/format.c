// SPDX-License-Identifier: GPL-2.0-or-later
/* format.c: docker's --format for listing commands (ps, stats): "table",
 * "json" (one object per line), or a Go template (rowtmpl.c) whose
 * {{.Field}}s are looked up through the command's field function; "\t"
 * is a tab. "table TEMPLATE" also prints a header line of the fields'
 * titles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "container.h"

/* The field name of "{{ .Name }}" between t and end into name. */
static void field_name(const char *t, const char *end, char *name, size_t size)
{
	char buf[64];
	char *n;

	snprintf(buf, sizeof(buf), "%.*s", (int)(end - t - 2), t + 2);
	n = buf + strspn(buf, " .");
	n[strcspn(n, " ")] = '\0';
	snprintf(name, size, "%s", n);
}

void ctr_template_header(const char *t, const char *(*title)(const char *field))
{
	char name[64];

	for (;;) {
		const char *s = strstr(t, "{{"), *e = s ? strstr(s, "}}") : NULL;
		if (!e)
			break;
		for (const char *c = t; c < s; c++)
			if (c[0] == '\\' && c[1] == 't')
				putchar('\t'), c++;
			else
				putchar(*c);
		field_name(s, e, name, sizeof(name));
		if (title && title(name))
			fputs(title(name), stdout);
		else
			for (const char *c = name; *c; c++)
				putchar(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
		t = e + 2;
	}
	putchar('\n');
}

void ctr_json_line(const char *const *names, ctr_field_fn fn, const void *arg)
{
	struct dk_jgen *g = dk_jgen_new(false);
	char val[1024], *buf = NULL;
	struct dk_err err;
	size_t len;

	dk_jgen_map_open(g);
	for (const char *const *n = names; *n; n++) {
		if (!fn(arg, *n, val, sizeof(val)))
			val[0] = '\0';
		dk_jgen_kstr(g, *n, val);
	}
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &buf, &len, &err) == 0)
		printf("%s\n", buf);
	free(buf);
}

enum ctr_format ctr_format_kind(const char *f, const char **template)
{
	*template = NULL;
	if (!f || !strcmp(f, "table"))
		return CTR_FMT_TABLE;
	if (!strcmp(f, "json") || !strcmp(f, "{{json .}}"))
		return CTR_FMT_JSON;
	if (!strncmp(f, "table ", 6)) {
		*template = f + 6;
		return CTR_FMT_TABLE_TEMPLATE;
	}
	*template = f;
	return CTR_FMT_TEMPLATE;
}
