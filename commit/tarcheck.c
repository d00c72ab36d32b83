// SPDX-License-Identifier: GPL-2.0-or-later
/* tarcheck.c: checking a tar stream as it passes: every header's checksum
 * and magic, every size, pax size overrides, and that it ends where an
 * entry ends. Errors give the byte offset of the bad header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tarcheck.h"

#define PAX_MAX (1u << 20)

void commit_tarcheck_init(struct commit_tarcheck *t)
{
	memset(t, 0, sizeof(*t));
	t->pax_size = -1;
}

void commit_tarcheck_free(struct commit_tarcheck *t)
{
	free(t->pax);
	t->pax = NULL;
}

static int parse_octal(const unsigned char *f, size_t n, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;

	if (f[0] & 0x80) { /* base-256 (GNU, star) */
		if (f[0] & 0x40)
			return -1; /* negative */
		v = f[0] & 0x3f;
		for (i = 1; i < n; i++) {
			if (v >> 55)
				return -1;
			v = (v << 8) | f[i];
		}
		*out = v;
		return 0;
	}
	while (i < n && f[i] == ' ')
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++)
		v = (v << 3) | (uint64_t)(f[i] - '0');
	if (i < n && f[i] != ' ' && f[i] != '\0')
		return -1;
	*out = v;
	return 0;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t want;
	unsigned long usum = 0;
	long ssum = 0;

	if (parse_octal(h + 148, 8, &want) < 0)
		return false;
	for (size_t i = 0; i < 512; i++) {
		unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];

		usum += c;
		ssum += (signed char)c;
	}
	return want == usum || (long)want == ssum;
}

static bool all_zero(const unsigned char *h)
{
	for (size_t i = 0; i < 512; i++)
		if (h[i])
			return false;
	return true;
}

/* A pax header's records: "LEN key=value\n" ...; remembers size=. */
static int parse_pax(struct commit_tarcheck *t, struct dk_err *err)
{
	size_t pos = 0;

	while (pos < t->pax_len) {
		char *rec = t->pax + pos, *end;
		unsigned long len = strtoul(rec, &end, 10);

		if (end == rec || *end != ' ' || len == 0 || len > t->pax_len - pos ||
		    rec[len - 1] != '\n')
			return dk_err_set(err, "malformed pax record at offset %zu", pos);
		if (strncmp(end + 1, "size=", 5) == 0) {
			char *e;
			long long v = strtoll(end + 6, &e, 10);

			if (e != rec + len - 1 || v < 0)
				return dk_err_set(err, "bad pax size record");
			t->pax_size = v;
		}
		pos += len;
	}
	return 0;
}

static int header(struct commit_tarcheck *t, struct dk_err *err)
{
	const unsigned char *h = t->hdr;
	uint64_t size;
	char type = (char)h[156];

	if (all_zero(h)) {
		t->ended = true;
		return 0;
	}
	if (!checksum_ok(h))
		return dk_err_set(err, "not a tar archive: bad header checksum");
	if (memcmp(h + 257, "ustar", 5) != 0)
		return dk_err_set(err, "not a ustar/pax/gnu tar header");
	if (parse_octal(h + 124, 12, &size) < 0)
		return dk_err_set(err, "bad size field");
	if (type == 'x') {
		if (size > PAX_MAX)
			return dk_err_set(err, "pax header of %llu bytes is too large",
					  (unsigned long long)size);
		t->in_pax = true;
		t->pax_len = 0;
	} else if (type == 'g' || type == 'L' || type == 'K') {
		/* global pax header, GNU long names: data of their own */
	} else {
		if (strchr("23456", type) && type)
			size = 0;
		else if (t->pax_size >= 0)
			size = (uint64_t)t->pax_size;
		t->pax_size = -1;
		t->entries++;
	}
	t->skip = size + ((512 - size % 512) % 512);
	if (t->in_pax) {
		t->pax_cap = size;
		free(t->pax);
		t->pax = malloc(size + 1);
		if (!t->pax)
			return dk_err_sys(err, "pax header");
	}
	return 0;
}

/* Data (and padding) of the current entry; pax data is kept. */
static size_t pass_data(struct commit_tarcheck *t, const unsigned char *buf, size_t len,
			struct dk_err *err, int *ret)
{
	size_t n = len < t->skip ? len : (size_t)t->skip;

	if (t->in_pax) {
		size_t want = t->pax_cap - t->pax_len;
		size_t take = n < want ? n : want;

		memcpy(t->pax + t->pax_len, buf, take);
		t->pax_len += take;
	}
	t->skip -= n;
	if (t->skip == 0 && t->in_pax) {
		t->in_pax = false;
		t->pax[t->pax_len] = '\0';
		*ret = parse_pax(t, err);
	}
	return n;
}

int commit_tarcheck_feed(struct commit_tarcheck *t, const unsigned char *buf, size_t len,
			 struct dk_err *err)
{
	while (len && !t->ended) {
		size_t n;
		int ret = 0;

		if (t->skip) {
			n = pass_data(t, buf, len, err, &ret);
		} else {
			if (t->hdr_fill == 0)
				t->hdr_off = t->offset;
			n = 512 - t->hdr_fill < len ? 512 - t->hdr_fill : len;
			memcpy(t->hdr + t->hdr_fill, buf, n);
			t->hdr_fill += n;
			if (t->hdr_fill == 512) {
				t->hdr_fill = 0;
				ret = header(t, err);
			}
		}
		if (ret < 0)
			return dk_err_wrap(err, "tar header at offset %llu",
					   (unsigned long long)t->hdr_off);
		t->offset += n;
		buf += n;
		len -= n;
	}
	t->offset += len;
	return 0;
}

int commit_tarcheck_finish(struct commit_tarcheck *t, struct dk_err *err)
{
	if (t->ended)
		return 0;
	if (t->offset == 0)
		return dk_err_set(err, "not a tar archive: empty input");
	if (t->hdr_fill || t->skip)
		return dk_err_set(err, "truncated tar archive: input ends inside %s at byte %llu",
				  t->hdr_fill ? "a header" : "an entry",
				  (unsigned long long)t->offset);
	/* a producer that died between two entries (snapshot diff killed,
	 * a crash) leaves no end-of-archive blocks: never a layer */
	return dk_err_set(err,
			  "truncated tar archive: no end-of-archive marker after byte %llu "
			  "(did the producer fail?)",
			  (unsigned long long)t->offset);
}
