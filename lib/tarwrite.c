// SPDX-License-Identifier: GPL-2.0-or-later
/* tarwrite.c: a small deterministic pax tar writer: ustar headers, pax
 * extended headers only where ustar cannot hold a value, zero padding. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs.h"
#include "cleanup.h"
#include "tarwrite.h"

#define BLOCK	    512
#define BUF_SIZE    (1u << 20)
#define OCTAL11_MAX 077777777777LL
#define OCTAL7_MAX  07777777ULL

struct dk_tar_writer {
	int fd;
	uint64_t offset;   /* bytes accepted (buffered or written) */
	int64_t data_left; /* data the current entry still expects */
	size_t len;
	unsigned char buf[BUF_SIZE];
};

struct pax {
	char *s;
	size_t len, cap;
};

struct dk_tar_writer *dk_tar_writer_new(int fd, struct dk_err *err)
{
	struct dk_tar_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return dk_err_sys(err, "tar writer"), NULL;
	w->fd = fd;
	return w;
}

void dk_tar_writer_free(struct dk_tar_writer *w)
{
	free(w);
}

uint64_t dk_tar_writer_offset(const struct dk_tar_writer *w)
{
	return w->offset;
}

static int flush(struct dk_tar_writer *w, struct dk_err *err)
{
	if (w->len && dk_write_all(w->fd, w->buf, w->len, err) < 0)
		return dk_err_wrap(err, "writing tar");
	w->len = 0;
	return 0;
}

static int put(struct dk_tar_writer *w, const void *p, size_t n, struct dk_err *err)
{
	const unsigned char *b = p;

	while (n) {
		size_t k = BUF_SIZE - w->len < n ? BUF_SIZE - w->len : n;

		memcpy(w->buf + w->len, b, k);
		w->len += k;
		w->offset += k;
		b += k;
		n -= k;
		if (w->len == BUF_SIZE && flush(w, err) < 0)
			return -1;
	}
	return 0;
}

static int pad(struct dk_tar_writer *w, struct dk_err *err)
{
	static const unsigned char zero[BLOCK];
	size_t rem = w->offset % BLOCK;

	return rem ? put(w, zero, BLOCK - rem, err) : 0;
}

static int pax_add(struct pax *p, const char *key, const void *val, size_t vlen)
{
	size_t body = strlen(key) + vlen + 3, len = body, digits;
	char num[32];

	do { /* the length counts its own digits */
		digits = (size_t)snprintf(num, sizeof(num), "%zu", len);
		len = body + digits;
	} while ((size_t)snprintf(num, sizeof(num), "%zu", len) != digits);
	if (p->len + len + 1 > p->cap) {
		size_t cap = (p->len + len + 1) * 2;
		char *ns = realloc(p->s, cap);

		if (!ns)
			return -1;
		p->s = ns;
		p->cap = cap;
	}
	p->len += (size_t)sprintf(p->s + p->len, "%s %s=", num, key);
	memcpy(p->s + p->len, val, vlen);
	p->len += vlen;
	p->s[p->len++] = '\n';
	return 0;
}

static int pax_num(struct pax *p, const char *key, uint64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return pax_add(p, key, num, strlen(num));
}

/* Split a long name into ustar prefix (<= 155) and name (<= 100) at a '/'. */
static int split_name(const char *full, size_t *cut)
{
	size_t n = strlen(full);

	if (n <= 100) {
		*cut = 0;
		return 0;
	}
	for (size_t i = n - 1; i > 0; i--)
		if (full[i] == '/' && i <= 155 && n - i - 1 <= 100 && n - i - 1 > 0) {
			*cut = i;
			return 0;
		}
	return -1;
}

/* n-1 octal digits, zero-padded, then NUL (callers keep v in range). */
static void octal(char *f, size_t n, uint64_t v)
{
	f[n - 1] = '\0';
	for (size_t i = n - 1; i > 0; i--) {
		f[i - 1] = (char)('0' + (v & 7));
		v >>= 3;
	}
}

static void fill_ustar(unsigned char *h, const char *name, size_t cut, const struct dk_tar_entry *e,
		       int64_t size, char type)
{
	unsigned int sum = 0;

	memset(h, 0, BLOCK);
	if (cut) {
		memcpy(h + 345, name, cut);
		strncpy((char *)h, name + cut + 1, 100);
	} else {
		strncpy((char *)h, name, 100);
	}
	octal((char *)h + 100, 8, e->mode & 07777);
	octal((char *)h + 108, 8, e->uid > OCTAL7_MAX ? 0 : e->uid);
	octal((char *)h + 116, 8, e->gid > OCTAL7_MAX ? 0 : e->gid);
	octal((char *)h + 124, 12, size > OCTAL11_MAX ? 0 : (uint64_t)size);
	octal((char *)h + 136, 12, e->mtime < 0 || e->mtime > OCTAL11_MAX ? 0 : (uint64_t)e->mtime);
	h[156] = (unsigned char)type;
	if (e->linkname)
		strncpy((char *)h + 157, e->linkname, 100);
	memcpy(h + 257,
	       "ustar\0"
	       "00",
	       8);
	if (type == DK_TAR_CHR || type == DK_TAR_BLK) {
		octal((char *)h + 329, 8, e->devmajor);
		octal((char *)h + 337, 8, e->devminor);
	}
	memset(h + 148, ' ', 8);
	for (size_t i = 0; i < BLOCK; i++)
		sum += h[i];
	octal((char *)h + 148, 7, sum); /* six digits, NUL, space */
}

/* The pax records an entry needs, in a fixed order. */
static int pax_records(struct pax *p, const char *name, bool name_fits,
		       const struct dk_tar_entry *e, int64_t size)
{
	int r = 0;

	if (!name_fits)
		r |= pax_add(p, "path", name, strlen(name));
	if (e->linkname && strlen(e->linkname) > 100)
		r |= pax_add(p, "linkpath", e->linkname, strlen(e->linkname));
	if (size > OCTAL11_MAX)
		r |= pax_num(p, "size", (uint64_t)size);
	if (e->uid > OCTAL7_MAX)
		r |= pax_num(p, "uid", e->uid);
	if (e->gid > OCTAL7_MAX)
		r |= pax_num(p, "gid", e->gid);
	for (size_t i = 0; i < e->n_xattrs; i++) {
		char key[512];

		snprintf(key, sizeof(key), "SCHILY.xattr.%s", e->xattrs[i].name);
		r |= pax_add(p, key, e->xattrs[i].value, e->xattrs[i].len);
	}
	return r;
}

static int write_pax(struct dk_tar_writer *w, const char *name, const struct pax *p,
		     struct dk_err *err)
{
	const char *base = strrchr(name, '/');
	char pname[101];
	unsigned char h[BLOCK];
	struct dk_tar_entry pe = {.mode = 0644};

	base = base && base[1] ? base + 1 : name;
	snprintf(pname, sizeof(pname), "PaxHeaders/%.88s", base);
	fill_ustar(h, pname, 0, &pe, (int64_t)p->len, 'x');
	if (put(w, h, BLOCK, err) < 0 || put(w, p->s, p->len, err) < 0)
		return -1;
	return pad(w, err);
}

int dk_tar_write_header(struct dk_tar_writer *w, const struct dk_tar_entry *e, struct dk_err *err)
{
	cleanup_free char *name = NULL;
	unsigned char h[BLOCK];
	struct pax p = {0};
	int64_t size = e->type == DK_TAR_REG ? e->size : 0;
	size_t cut = 0;
	int ret;

	if (w->data_left)
		return dk_err_set(err, "tar: previous entry is %lld bytes short",
				  (long long)w->data_left);
	/* any length: a pax "path" record carries long names */
	if (asprintf(&name, "%s%s", e->name, e->type == DK_TAR_DIR ? "/" : "") < 0)
		return dk_err_sys(err, "tar: %s", e->name);
	bool fits = split_name(name, &cut) == 0;
	if (pax_records(&p, name, fits, e, size) != 0) {
		free(p.s);
		return dk_err_sys(err, "tar: %s", e->name);
	}
	ret = pad(w, err);
	if (ret == 0 && p.len)
		ret = write_pax(w, name, &p, err);
	free(p.s);
	fill_ustar(h, name, fits ? cut : 0, e, size, e->type);
	if (ret == 0)
		ret = put(w, h, BLOCK, err);
	w->data_left = size;
	return ret;
}

int dk_tar_write_data(struct dk_tar_writer *w, const void *buf, size_t len, struct dk_err *err)
{
	if ((int64_t)len > w->data_left)
		return dk_err_set(err, "tar: %zu bytes of data for an entry that expects %lld", len,
				  (long long)w->data_left);
	w->data_left -= (int64_t)len;
	return put(w, buf, len, err);
}

int dk_tar_write_file(struct dk_tar_writer *w, const struct dk_tar_entry *e, int fd,
		      struct dk_err *err)
{
	if (dk_tar_write_header(w, e, err) < 0)
		return -1;
	while (w->data_left > 0) {
		size_t room = BUF_SIZE - w->len;
		size_t want = (int64_t)room < w->data_left ? room : (size_t)w->data_left;
		ssize_t n = read(fd, w->buf + w->len, want);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dk_err_sys(err, "reading %s", e->name);
		if (n == 0)
			return dk_err_set(err, "%s: file shrank while being read", e->name);
		w->len += (size_t)n;
		w->offset += (uint64_t)n;
		w->data_left -= n;
		if (w->len == BUF_SIZE && flush(w, err) < 0)
			return -1;
	}
	return 0;
}

int dk_tar_writer_finish(struct dk_tar_writer *w, struct dk_err *err)
{
	static const unsigned char zero[2 * BLOCK];

	if (w->data_left)
		return dk_err_set(err, "tar: last entry is %lld bytes short",
				  (long long)w->data_left);
	if (pad(w, err) < 0 || put(w, zero, sizeof(zero), err) < 0)
		return -1;
	return flush(w, err);
}
