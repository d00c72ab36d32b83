// SPDX-License-Identifier: GPL-2.0-or-later
/* devices_bpf.c: build, load and attach the cgroup v2 device program. */
#include <fcntl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "devices_bpf.h"

#define MAX_INSNS 4096

struct rule {
	char type;
	long long major, minor;
	unsigned access; /* BPF_DEVCG_ACC_* */
	bool allow;
};

static struct bpf_insn insn(unsigned char code, int dst, int src, short off, int imm)
{
	return (struct bpf_insn){
	    .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

static unsigned access_bits(const char *a)
{
	unsigned v = 0;

	for (; *a; a++)
		v |= *a == 'r'	 ? BPF_DEVCG_ACC_READ
		     : *a == 'w' ? BPF_DEVCG_ACC_WRITE
		     : *a == 'm' ? BPF_DEVCG_ACC_MKNOD
				 : 0;
	return v;
}

static size_t parse_rules(const char *text, struct rule *r, size_t max)
{
	size_t n = 0;
	char ad, type, acc[8];
	long long maj, min;

	for (const char *l = text; l && *l && n < max; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (sscanf(l, "%c %c %lld %lld %7s", &ad, &type, &maj, &min, acc) == 5)
			r[n++] = (struct rule){type, maj, min, access_bits(acc), ad == 'A'};
	return n;
}

/* One rule: fall through to the next block unless it matches. */
static size_t emit_rule(struct bpf_insn *p, const struct rule *r)
{
	struct bpf_insn b[8];
	size_t n = 0;
	int type = r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;

	if (r->type != 'a')
		b[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 2, 0, 0, type);
	b[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 1, 3, 0, 0);
	b[n++] = insn(BPF_ALU64 | BPF_AND | BPF_K, 1, 0, 0, (int)~r->access);
	b[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 1, 0, 0, 0);
	if (r->major >= 0)
		b[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 0, (int)r->major);
	if (r->minor >= 0)
		b[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 0, (int)r->minor);
	b[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, r->allow ? 1 : 0);
	b[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (size_t i = 0; i < n; i++)
		if (BPF_CLASS(b[i].code) == BPF_JMP && BPF_OP(b[i].code) == BPF_JNE)
			b[i].off = (short)(n - i - 1); /* to the next block */
	memcpy(p, b, n * sizeof(*b));
	return n;
}

static size_t build(struct bpf_insn *p, const struct rule *r, size_t nr)
{
	size_t n = 0;

	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, 2, 1, 0, 0); /* access_type */
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 3, 2, 0, 0);
	p[n++] = insn(BPF_ALU64 | BPF_RSH | BPF_K, 3, 0, 0, 16);     /* access */
	p[n++] = insn(BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0, 0xffff); /* type */
	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, 4, 1, 4, 0);	     /* major */
	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, 5, 1, 8, 0);	     /* minor */
	for (size_t i = nr; i-- > 0;) /* the last rule that matches wins */
		n += emit_rule(p + n, &r[i]);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return n;
}

/* The ids of the device programs attached to the cgroup at dir. */
static int query_attached(int dir, uint32_t *ids, uint32_t *n, struct dk_err *err)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.query.target_fd = (unsigned)dir;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = (unsigned long)ids;
	a.query.prog_cnt = *n;
	if (syscall(SYS_bpf, BPF_PROG_QUERY, &a, sizeof(a)) < 0)
		return dk_err_sys(err, "listing the device programs of the cgroup");
	*n = a.query.prog_cnt;
	return 0;
}

/* Detach the programs that were there before ours (update): the new one
 * is already attached, so the cgroup is never without a filter. */
static int detach_old(int dir, const uint32_t *ids, uint32_t n, struct dk_err *err)
{
	union bpf_attr a;

	for (uint32_t i = 0; i < n; i++) {
		cleanup_close int fd = -1;
		memset(&a, 0, sizeof(a));
		a.prog_id = ids[i];
		fd = (int)syscall(SYS_bpf, BPF_PROG_GET_FD_BY_ID, &a, sizeof(a));
		if (fd < 0 && errno == ENOENT)
			continue; /* gone meanwhile */
		if (fd < 0)
			return dk_err_sys(err, "opening the old device program %u", ids[i]);
		memset(&a, 0, sizeof(a));
		a.target_fd = (unsigned)dir;
		a.attach_bpf_fd = (unsigned)fd;
		a.attach_type = BPF_CGROUP_DEVICE;
		if (syscall(SYS_bpf, BPF_PROG_DETACH, &a, sizeof(a)) < 0 && errno != ENOENT)
			return dk_err_sys(err, "detaching the old device program %u", ids[i]);
	}
	return 0;
}

int rt_devices_bpf(const char *cgroup_dir, const char *rules, struct dk_err *err)
{
	static struct rule r[400];
	cleanup_free struct bpf_insn *p = calloc(MAX_INSNS, sizeof(*p));
	size_t nr = parse_rules(rules, r, 400);
	union bpf_attr a;
	cleanup_close int prog = -1, dir = -1;
	uint32_t old[64], n_old = 64;

	if (!p)
		return dk_err_errno(err, 12, "device program");
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insn_cnt = (unsigned)build(p, r, nr);
	a.insns = (unsigned long)p;
	a.license = (unsigned long)"GPL";
	prog = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (prog < 0)
		return dk_err_sys(err, "loading the device eBPF program");
	dir = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return dk_err_sys(err, "opening %s", cgroup_dir);
	if (query_attached(dir, old, &n_old, err) < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.target_fd = (unsigned)dir;
	a.attach_bpf_fd = (unsigned)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof(a)) < 0)
		return dk_err_sys(err, "attaching the device eBPF program to %s", cgroup_dir);
	return detach_old(dir, old, n_old, err);
}
