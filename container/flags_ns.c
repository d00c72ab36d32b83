// SPDX-License-Identifier: GPL-2.0-or-later
/* flags_ns.c: the run flags about namespaces and what lives in them:
 * --pid, --ipc, --uts and --cgroupns modes, --sysctl (only the namespaced
 * ones docker allows), --shm-size, --oom-score-adj, --group-add and
 * --annotation; and their checks against each other. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "rtspec.h"
#include "container.h"

/* docker's list of sysctls that belong to a namespace: the IPC ones
 * (kernel.msg*, sem, shm*, fs.mqueue.*) and the network ones (net.*). */
static const char *const ipc_sysctls[] = {
    "kernel.msgmax", "kernel.msgmnb",	       "kernel.msgmni", "kernel.sem", "kernel.shmall",
    "kernel.shmmax", "kernel.shm_rmid_forced", "kernel.shmmni", NULL,
};

static bool is_ipc_sysctl(const char *key, size_t n)
{
	if (n > 10 && !strncmp(key, "fs.mqueue.", 10))
		return true;
	for (const char *const *s = ipc_sysctls; *s; s++)
		if (strlen(*s) == n && !strncmp(key, *s, n))
			return true;
	return false;
}

static bool is_net_sysctl(const char *key)
{
	return !strncmp(key, "net.", 4) && key[4] && key[4] != '=';
}

/* What a sysctl name may hold: a dotted path ("/" as in an interface
 * name with a dot, net.ipv4.conf.eth0/1.forwarding); never "..". */
#define KEY_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./"

static int sysctl(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	size_t n = strcspn(a, "=");
	const char *dots = strstr(a, "..");

	if (!a[n] || !n || strspn(a, KEY_CHARS) < n || (dots && dots < a + n))
		return ctr_usage(
		    cmd, "invalid argument \"%s\" for \"--sysctl\" flag: want KEY=VALUE", a);
	if (!is_ipc_sysctl(a, n) && !is_net_sysctl(a))
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--sysctl\" flag: sysctl '%.*s' is "
				 "not allowed: only namespaced ones (kernel.msg*, kernel.sem, "
				 "kernel.shm*, fs.mqueue.*, net.*)",
				 a, (int)n, a);
	return dk_strv_push(&h->sysctls, a) < 0 ? ctr_usage(cmd, "out of memory") : -1;
}

/* --pid, --ipc, --uts, --cgroupns: the words each one takes. */
static int mode(const char *cmd, int c, const char *a, struct dk_hostcfg *h)
{
	static const struct {
		int c;
		const char *flag, *words;
		size_t off;
	} modes[] = {
	    {OPT_PID, "--pid", " host container: ", offsetof(struct dk_hostcfg, pid_mode)},
	    {OPT_IPC, "--ipc", " host private shareable none ",
	     offsetof(struct dk_hostcfg, ipc_mode)},
	    {OPT_UTS, "--uts", " host ", offsetof(struct dk_hostcfg, uts_mode)},
	    {OPT_CGROUPNS, "--cgroupns", " host private ",
	     offsetof(struct dk_hostcfg, cgroupns_mode)},
	};
	const char *w = a;
	char word[32];
	size_t i = 0;
	char **field;

	while (modes[i].c != c)
		i++;
	if (c == OPT_IPC && !strncmp(a, "container:", 10))
		return ctr_usage(cmd,
				 "--ipc %s: not supported (host, private, shareable, none are)", a);
	if (c == OPT_PID && !strncmp(a, "container:", 10) && a[10])
		w = "container:"; /* the name is looked up at create */
	snprintf(word, sizeof(word), " %s ", w);
	if (!*w || strlen(w) > 16 || !strstr(modes[i].words, word))
		return ctr_usage(cmd, "invalid argument \"%s\" for \"%s\" flag: want one of%s", a,
				 modes[i].flag, modes[i].words);
	field = (char **)((char *)h + modes[i].off);
	free(*field);
	*field = strdup(a);
	return -1;
}

static int oom_score_adj(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	char *end;
	long v = strtol(a, &end, 10);

	if (end == a || *end || v < -1000 || v > 1000)
		return ctr_usage(cmd, "Invalid value %s, range for oom score adj is [-1000, 1000]",
				 a);
	h->oom_score_adj = v;
	return -1;
}

static int shm_size(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	h->shm_size = ctr_ram_bytes(a);
	if (h->shm_size <= 0)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--shm-size\" flag: invalid size: "
				 "'%s'",
				 a, a);
	return -1;
}

static int push(const char *cmd, const char *flag, const char *a, bool kv, char ***v)
{
	if (!*a || (kv && (!strchr(a, '=') || *a == '=')))
		return ctr_usage(cmd, "invalid argument \"%s\" for \"%s\" flag%s", a, flag,
				 kv ? ": want KEY=VALUE" : "");
	return dk_strv_push(v, a) < 0 ? ctr_usage(cmd, "out of memory") : -1;
}

int ctr_flag_ns(const char *cmd, int c, const char *a, struct dk_hostcfg *h)
{
	switch (c) {
	case OPT_SYSCTL: return sysctl(cmd, a, h);
	case OPT_SHM_SIZE: return shm_size(cmd, a, h);
	case OPT_OOM_SCORE_ADJ: return oom_score_adj(cmd, a, h);
	case OPT_GROUP_ADD: return push(cmd, "--group-add", a, false, &h->group_add);
	case OPT_ANNOTATION: return push(cmd, "--annotation", a, true, &h->annotations);
	default: return mode(cmd, c, a, h);
	}
}

static bool is_host(const char *mode)
{
	return mode && !strcmp(mode, "host");
}

int ctr_flags_ns_check(const char *cmd, const struct dk_hostcfg *h, const char *network,
		       const char *hostname)
{
	if (is_host(h->uts_mode) && hostname)
		return ctr_usage(cmd, "Conflicting options: hostname and the UTS mode");
	if (h->shm_size && h->ipc_mode && strcmp(h->ipc_mode, "private") &&
	    strcmp(h->ipc_mode, "shareable"))
		return ctr_usage(cmd, "--shm-size: the IPC mode \"%s\" has no /dev/shm of its own",
				 h->ipc_mode);
	for (char **s = h->sysctls; s && *s; s++) {
		bool net = is_net_sysctl(*s);
		if ((net && network &&
		     (!strcmp(network, "host") || !strncmp(network, "container:", 10))) ||
		    (!net && h->ipc_mode && strcmp(h->ipc_mode, "private") &&
		     strcmp(h->ipc_mode, "shareable")))
			return ctr_usage(cmd,
					 "--sysctl %s: not allowed, the container does not "
					 "have that namespace of its own (%s)",
					 *s, net ? "--network" : "--ipc");
	}
	return -1;
}

int64_t ctr_shm(const struct dk_hostcfg *h)
{
	if (is_host(h->ipc_mode))
		return DK_SHM_HOST;
	if (h->ipc_mode && !strcmp(h->ipc_mode, "none"))
		return DK_SHM_NONE;
	return h->shm_size;
}

int ctr_pid_ns(const struct dk_hostcfg *h, char *buf, size_t size, struct dk_err *err)
{
	struct dk_crec other;
	bool running;

	if (!h->pid_mode || is_host(h->pid_mode)) {
		snprintf(buf, size, "%s", h->pid_mode ? "host" : "");
		return 0;
	}
	if (ctr_find(h->pid_mode + 10, &other, err) < 0)
		return -1;
	running = !strcmp(other.status, "running") || !strcmp(other.status, "paused");
	snprintf(buf, size, "/proc/%d/ns/pid", other.pid);
	dk_crec_free(&other);
	if (!running)
		return dk_err_set(err, "cannot join PID of a non running container: %s",
				  h->pid_mode + 10);
	return 0;
}
