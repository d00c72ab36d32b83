// SPDX-License-Identifier: GPL-2.0-or-later
/* cleanup.c: what follows a container's exit (whether the kernel's OOM
 * killer ended it, the runtime's delete) and the port proxies that live
 * as long as it runs. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "netconf.h"
#include "monitor.h"

/* The memory cgroup of the container's init (v1 "N:memory:/path", or the
 * v2 "0::/path"), relative to our cgroup namespace. */
void mon_memcg(struct mon *m)
{
	char path[64], line[1024];
	cleanup_file FILE *f = NULL;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", m->pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':'), *p = c ? strchr(c + 1, ':') : NULL;

		if (!p)
			continue;
		p[strcspn(p, "\n")] = '\0';
		if (!strncmp(c + 1, "memory:", 7) || strstr(c + 1, ",memory:"))
			snprintf(m->memcg, sizeof(m->memcg),
				 "/sys/fs/cgroup/memory%s/memory.oom_control", p + 1);
		else if (c[1] == ':' && !m->memcg[0])
			snprintf(m->memcg, sizeof(m->memcg),
				 "/sys/fs/cgroup/unified%s/memory.events", p + 1);
	}
}

bool mon_oom_killed(struct mon *m)
{
	cleanup_free char *buf = NULL;
	struct dk_err err;
	size_t len;
	char *p;

	if (!m->memcg[0] || dk_read_file_at(AT_FDCWD, m->memcg, 65536, &buf, &len, &err) < 0)
		return false;
	p = strstr(buf, "oom_kill ");
	return p && atol(p + 9) > 0;
}

pid_t mon_cleanup_start(struct mon *m)
{
	char *args[] = {"delete", "--force", (char *)m->id, NULL};
	char *state = dk_path_join(m->root, "run");
	pid_t pid;

	mon_proxies_stop(m);
	pid = state ? mon_tool_start("runtime", state, args, -1, -1, -1) : -1;
	free(state);
	return pid;
}

void mon_proxies_start(struct mon *m)
{
	cleanup_free char *proxy = mon_tool_path("proxy");
	char netns[64], listen[256];

	/* the relay serves -p only where the kernel path cannot: a container
	 * with its own loopback alone (--network none), and TCP for
	 * slirp4netns (faster than its own forwarding, which keeps UDP) */
	bool slirp = dk_net_is_slirp(m->rec.o.network);
	struct dk_slirp sl = {0};
	struct dk_err e;
	if (slirp && (dk_slirp_parse(m->rec.o.network, &sl, &e) < 0 || sl.fwd_tcp))
		return; /* port_handler=slirp4netns: slirp forwards them all */
	if (m->rec.o.network && strcmp(m->rec.o.network, "none") && !slirp)
		return;
	snprintf(netns, sizeof(netns), "/proc/%d/ns/net", m->pid);
	for (char **p = m->rec.o.ports; p && *p; p++) {
		char spec[128], *cport;
		pid_t pid;

		snprintf(spec, sizeof(spec), "%s", *p);
		if (slirp && strstr(spec, "/udp"))
			continue;
		spec[strcspn(spec, "/")] = '\0';
		cport = strrchr(spec, ':');
		*cport++ = '\0';
		snprintf(listen, sizeof(listen), "%s%s", strchr(spec, ':') ? "" : "0.0.0.0:", spec);
		pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);
			dup2(null, 0), dup2(null, 1);
			execl(proxy, proxy, "--netns", netns, "--listen", listen, "--to", cport,
			      (char *)NULL);
			_exit(127);
		}
		if (pid > 0) {
			pid_t *v = realloc(m->proxies, (m->n_proxies + 1) * sizeof(*v));
			if (v)
				m->proxies = v, m->proxies[m->n_proxies++] = pid;
		}
	}
}

void mon_proxies_stop(struct mon *m)
{
	for (size_t i = 0; i < m->n_proxies; i++) {
		kill(m->proxies[i], SIGTERM);
		waitpid(m->proxies[i], NULL, 0);
	}
	m->n_proxies = 0;
}
