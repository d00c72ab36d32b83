// SPDX-License-Identifier: GPL-2.0-or-later
/* teardown.c: what `network rm` removes besides the conflist, which no
 * CNI plugin removes on DEL: the bridge link, the dnsmasq that dnsname
 * started on it (with its files in /run/containers/cni/dnsname/NAME),
 * and the address store host-local kept (ROOT/networks/ipam/NAME; for
 * the default network /run/dk/ipam/bridge, once no root leases there). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "network.h"

#define DNSNAME_DIR "/run/containers/cni/dnsname"

static int run(char *const *argv)
{
	pid_t pid = fork();
	int ws;

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 1), dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &ws, 0) < 0)
		return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

static void stop_dnsmasq(const char *name)
{
	cleanup_free char *buf = NULL;
	char path[4200];
	struct dk_err e;
	size_t len;
	int pid;

	snprintf(path, sizeof(path), DNSNAME_DIR "/%s/pidfile", name);
	if (dk_read_file_at(AT_FDCWD, path, 64, &buf, &len, &e) == 0 && (pid = atoi(buf)) > 1)
		kill(pid, SIGTERM);
	snprintf(path, sizeof(path), DNSNAME_DIR "/%s", name);
	dk_rm_rf_at(AT_FDCWD, path, &e);
}

/* dnsname's INPUT rule for DNS on the bridge (no plugin removes it). */
static void dns_rule(const char *bridge)
{
	char *del[] = {"iptables", "-w",  "-D",	     "INPUT", "-i", (char *)bridge, "-p", "udp",
		       "-m",	   "udp", "--dport", "53",    "-j", "ACCEPT",	    NULL};

	for (int i = 0; i < 8 && run(del) == 0; i++)
		;
}

/* Is chain in table empty (or absent), rules jumping to keep aside? */
static bool empty(const char *table, const char *chain, const char *keep)
{
	char cmd[256], line[512];
	int rules = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "iptables -w -t %s -S %s 2>/dev/null", table, chain);
	f = popen(cmd, "re");
	while (f && fgets(line, sizeof(line), f))
		rules += !strncmp(line, "-A ", 3) && !(keep && strstr(line, keep));
	if (f)
		pclose(f);
	return rules == 0;
}

static void ipt(const char *table, const char *args)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "iptables -w -t %s %s >/dev/null 2>&1", table, args);
	for (int i = 0; i < 8 && system(cmd) == 0 && strstr(args, "-D "); i++)
		;
}

/* The last network gone: the chains portmap and firewall made once for
 * all containers, when no container of anyone uses them any more. */
static void base_chains(void)
{
	static const char *const masq = "-m comment --comment \"CNI portfwd requiring "
					"masquerade\" -j CNI-HOSTPORT-MASQ";
	char buf[256];

	if (empty("nat", "CNI-HOSTPORT-DNAT", NULL)) {
		ipt("nat", "-D PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT");
		ipt("nat", "-D OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT");
		snprintf(buf, sizeof(buf), "-D POSTROUTING %s", masq);
		ipt("nat", buf);
		for (int i = 0; i < 2; i++) {
			ipt("nat", i ? "-X CNI-HOSTPORT-DNAT" : "-F CNI-HOSTPORT-DNAT");
			ipt("nat", i ? "-X CNI-HOSTPORT-SETMARK" : "-F CNI-HOSTPORT-SETMARK");
			ipt("nat", i ? "-X CNI-HOSTPORT-MASQ" : "-F CNI-HOSTPORT-MASQ");
		}
	}
	if (empty("filter", "CNI-FORWARD", "-j CNI-ADMIN") && empty("filter", "CNI-ADMIN", NULL)) {
		ipt("filter", "-D FORWARD -m comment --comment \"CNI firewall plugin rules\" "
			      "-j CNI-FORWARD");
		ipt("filter", "-F CNI-FORWARD");
		ipt("filter", "-X CNI-FORWARD");
		ipt("filter", "-X CNI-ADMIN");
	}
}

/* The shared store of the default network goes only with its last
 * lease (another dk root may still hold addresses there). */
static void shared_ipam(void)
{
	cleanup_dir DIR *d = opendir(DK_SHARED_IPAM "/bridge");
	struct dirent *e;
	struct dk_err ignored;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, "lock") &&
		    strncmp(e->d_name, "last_reserved_ip", 16))
			return;
	dk_rm_rf_at(AT_FDCWD, DK_SHARED_IPAM "/bridge", &ignored);
}

int net_teardown(const struct dk_net *n, struct dk_err *err)
{
	char *del[] = {"ip", "link", "del", (char *)n->bridge, NULL};
	char **names = net_list(err);
	char ipam[4200];

	stop_dnsmasq(n->name);
	if (n->bridge[0])
		dns_rule(n->bridge);
	if (names && dk_strv_len(names) <= 1)
		base_chains();
	dk_strv_free(names);
	if (n->bridge[0] && if_nametoindex(n->bridge) && run(del) != 0)
		return dk_err_set(err, "removing the bridge %s failed", n->bridge);
	if (!strcmp(n->name, "bridge"))
		shared_ipam();
	snprintf(ipam, sizeof(ipam), "%s/networks/ipam/%s", net_root, n->name);
	return dk_rm_rf_at(AT_FDCWD, ipam, err) < 0 && errno != ENOENT ? -1 : 0;
}
