// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_printf.c: print, println and printf as Go's fmt does them for
 * template values: verbs %v %s %d %q %x %X %o %t %f %e %g %% with flags,
 * width and precision; a wrong verb shows as %!d(string=x). */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "gotmpl_funcs.h"

struct spec {
	char flags[8];
	int width, prec; /* -1: none */
	char verb;
};

static bool is_strish(const struct tval *v)
{
	const char *s;

	return tval_as_str(v, &s);
}

static int print_all(struct texec *x, struct tval *a, size_t n, struct tval *res, bool ln)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (i && (ln || (!is_strish(&a[i - 1]) && !is_strish(&a[i]))))
			fputc(' ', f);
		if (tval_print(x, f, &a[i], false) < 0) {
			fclose(f);
			free(out);
			return -1;
		}
	}
	if (ln)
		fputc('\n', f);
	fclose(f);
	res->k = TV_STR;
	res->s = tval_keep(x, out);
	return 0;
}

int tmpl_fn_print(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	return print_all(x, a, n, res, false);
}

int tmpl_fn_println(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	return print_all(x, a, n, res, true);
}

/* pad text to the spec's width (left with '-') */
static void put_padded(FILE *f, const struct spec *sp, const char *s, size_t len)
{
	size_t w = sp->width > 0 ? (size_t)sp->width : 0;
	bool left = strchr(sp->flags, '-') != NULL;

	if (!left)
		for (size_t i = len; i < w; i++)
			fputc(' ', f);
	fwrite(s, 1, len, f);
	if (left)
		for (size_t i = len; i < w; i++)
			fputc(' ', f);
}

static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void bad_verb(struct texec *x, FILE *f, char verb, const struct tval *v)
{
	fprintf(f, "%%!%c(%s=", verb, tval_typename(v));
	tval_print(x, f, v, false);
	fputc(')', f);
}

/* %d %x %X %o on an integer, with C's printf doing the flags */
static bool put_int(FILE *f, const struct spec *sp, const struct tval *v)
{
	char fmt[32];
	int64_t i;
	double d;
	bool is_int;

	if (!tval_as_num(v, &d, &i, &is_int) || !is_int || v->k == TV_BOOL)
		return false;
	snprintf(fmt, sizeof(fmt), "%%%s*.*ll%c", sp->flags, sp->verb);
	fprintf(f, fmt, sp->width < 0 ? 0 : sp->width, sp->prec, (long long)i);
	return true;
}

static bool put_float(FILE *f, const struct spec *sp, const struct tval *v)
{
	char fmt[32];
	int64_t i;
	double d;
	bool is_int;

	if (!tval_as_num(v, &d, &i, &is_int))
		return false;
	snprintf(fmt, sizeof(fmt), "%%%s*.*%c", sp->flags, sp->verb);
	fprintf(f, fmt, sp->width < 0 ? 0 : sp->width, sp->prec < 0 ? 6 : sp->prec, d);
	return true;
}

/* %s %v %q %x %X %t on text: the value's text, quoted or in hex */
static bool put_text(struct texec *x, FILE *f, const struct spec *sp, const struct tval *v)
{
	char *buf = NULL;
	size_t len;
	const char *s;
	bool str = tval_as_str(v, &s);
	FILE *m;

	if ((sp->verb == 'q' && !str) || (sp->verb == 't' && v->k != TV_BOOL &&
					  !(v->k == TV_JSON && dk_json_type(v->j) == DK_JSON_BOOL)))
		return false;
	if ((strchr("xX", sp->verb) && !str) ||
	    (sp->verb == 's' && (v->k == TV_INT || v->k == TV_BOOL)))
		return false;
	m = open_memstream(&buf, &len);
	if (!m)
		abort();
	if (sp->verb == 'q')
		put_quoted(m, s);
	else if (sp->verb == 'x' || sp->verb == 'X')
		for (const char *p = s; *p; p++)
			fprintf(m, sp->verb == 'x' ? "%02x" : "%02X", (unsigned char)*p);
	else
		tval_print(x, m, v, false);
	fclose(m);
	if (sp->verb == 's' && sp->prec >= 0 && (size_t)sp->prec < len)
		len = (size_t)sp->prec;
	put_padded(f, sp, buf, len);
	free(buf);
	return true;
}

/* one verb at *fmt (after the %); returns the characters consumed */
static size_t parse_spec(const char *fmt, struct spec *sp)
{
	size_t i = 0, nf = 0;

	memset(sp, 0, sizeof(*sp));
	sp->width = sp->prec = -1;
	while (fmt[i] && strchr("-+# 0", fmt[i]) && nf + 1 < sizeof(sp->flags))
		sp->flags[nf++] = fmt[i++];
	for (; isdigit((unsigned char)fmt[i]); i++)
		if (sp->width < 10000)
			sp->width = (sp->width < 0 ? 0 : sp->width) * 10 + (fmt[i] - '0');
	if (fmt[i] == '.') {
		sp->prec = 0;
		for (i++; isdigit((unsigned char)fmt[i]); i++)
			if (sp->prec < 10000)
				sp->prec = sp->prec * 10 + (fmt[i] - '0');
	}
	/* Go refuses huge widths too; these keep output bounded */
	if (sp->width > 10000)
		sp->width = 10000;
	if (sp->prec > 10000)
		sp->prec = 10000;
	sp->verb = fmt[i];
	return fmt[i] ? i + 1 : i;
}

static void put_verb(struct texec *x, FILE *f, const struct spec *sp, const struct tval *v)
{
	bool ok;

	switch (sp->verb) {
	case 'd':
	case 'o': ok = put_int(f, sp, v); break;
	case 'x':
	case 'X': ok = put_int(f, sp, v) || put_text(x, f, sp, v); break;
	case 'f':
	case 'F':
	case 'e':
	case 'E':
	case 'g':
	case 'G': ok = put_float(f, sp, v); break;
	case 's':
	case 'v':
	case 'q':
	case 't': ok = put_text(x, f, sp, v); break;
	default: ok = false;
	}
	if (!ok)
		bad_verb(x, f, sp->verb, v);
}

int tmpl_fn_printf(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	const char *fmt;
	char *out = NULL;
	size_t len, arg = 1;
	FILE *f;

	if (tfn_arity(x, "printf", n, 1, TMPL_MAX_ARGS + 1) < 0)
		return -1;
	if (!tval_as_str(&a[0], &fmt))
		return dk_err_set(x->err,
				  "error calling printf: wrong type for value; expected "
				  "string; got %s",
				  tval_typename(&a[0]));
	if (!(f = open_memstream(&out, &len)))
		abort();
	for (const char *p = fmt; *p;) {
		struct spec sp;

		if (*p != '%') {
			fputc(*p++, f);
			continue;
		}
		p += 1 + parse_spec(p + 1, &sp);
		if (sp.verb == '%')
			fputc('%', f);
		else if (!sp.verb)
			fputs("%!(NOVERB)", f);
		else if (arg >= n)
			fprintf(f, "%%!%c(MISSING)", sp.verb);
		else
			put_verb(x, f, &sp, &a[arg++]);
	}
	for (size_t first = arg; arg < n; arg++) {
		fputs(arg == first ? "%!(EXTRA " : ", ", f);
		fprintf(f, "%s=", tval_typename(&a[arg]));
		tval_print(x, f, &a[arg], false);
		if (arg + 1 == n)
			fputc(')', f);
	}
	fclose(f);
	res->k = TV_STR;
	res->s = tval_keep(x, out);
	return 0;
}
