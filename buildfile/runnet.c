// SPDX-License-Identifier: GPL-2.0-or-later
/* runnet.c: a RUN step's network. RUN --network=none|host|default, else
 * dk build --network, else $DK_DEFAULT_NETWORK, else docker's default: the
 * bridge network, joined through the network tool for the step alone
 * (`network up`, `network down` afterwards, whatever happened) with its
 * own /etc/hosts and /etc/resolv.conf bound in. A rootless build has no
 * bridge: its steps get slirp4netns instead (as rootless containers do),
 * which lives as long as the build holds the write end of its exit pipe. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "netconf.h"
#include "build.h"
#include "mount.h"
#include "runnet.h"

const char *bf_step_network(const struct bf_build *b, const struct dk_df_instr *in)
{
	const char *net = dk_df_flag(in, "network"), *env = getenv("DK_DEFAULT_NETWORK");

	if (!net || !strcmp(net, "default"))
		net = b->o->network;
	if (!net || !strcmp(net, "default"))
		net = env && *env ? env : "bridge";
	if (strcmp(net, "none") && strcmp(net, "host"))
		net = "bridge";
	return !strcmp(net, "bridge") && dk_rootless() ? "slirp4netns" : net;
}

/* The address `network up` gave (its JSON's "ip") into ip. */
static void address_of(const char *json, char *ip, size_t size)
{
	struct dk_err ignored;
	struct dk_json *v = json ? dk_json_parse(json, strlen(json), "network up", &ignored) : NULL;
	const char *a = v ? dk_json_get_str(v, "ip") : NULL;

	snprintf(ip, size, "%s", a ? a : "");
	dk_json_free(v);
}

/* hosts and resolv.conf in dir, bound over the step's own. */
static int files(struct bf_mounts *m, const char *dir, const char *key, const char *ip,
		 const char *dns, struct dk_err *err)
{
	const struct dk_resolv_opts none = {.gateway = dns};
	cleanup_free char *buf = NULL, *hosts = NULL, *resolv = NULL;
	size_t len = 0;

	if (dk_mkdir_p(dir, 0700, err) < 0 ||
	    dk_net_write_hosts(dir, *ip ? ip : NULL, key, key, NULL, NULL, err) < 0 ||
	    dk_resolv_conf(&none, &buf, &len, err) < 0 ||
	    dk_write_file_at(AT_FDCWD, (resolv = dk_path_join(dir, "resolv.conf")), buf, len, 0644,
			     err) < 0)
		return dk_err_wrap(err, "the step's network files");
	hosts = dk_path_join(dir, "hosts");
	if (bf_mounts_add_bind(m, hosts, "/etc/hosts", err) < 0)
		return -1;
	return bf_mounts_add_bind(m, resolv, "/etc/resolv.conf", err);
}

int bf_net_up(struct bf_build *b, const char *mode, const char *key, const char *dir,
	      struct bf_mounts *m, char **netns, int *exit_fd, struct dk_err *err)
{
	bool slirp = !strcmp(mode, "slirp4netns");
	char *bridge[] = {"network",   "--root",    b->root,  "up", "--name",
			  (char *)key, (char *)key, "bridge", NULL};
	char *user[] = {"network", "--root",	b->root,     "up",	    "--exit-fd", "0",
			"--name",  (char *)key, (char *)key, "slirp4netns", NULL};
	cleanup_free char *out = NULL;
	char ip[64];
	int st, p[2] = {-1, -1};

	*netns = NULL;
	*exit_fd = -1;
	if (strcmp(mode, "bridge") && !slirp)
		return 0;
	/* slirp4netns gets the read end on its stdin: it exits when the
	 * write end (*exit_fd, closed by bf_net_down or our exit) closes */
	if (slirp && pipe2(p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	*exit_fd = p[1];
	st = bf_tool(slirp ? user : bridge, p[0], -1, &out, err);
	if (p[0] >= 0)
		close(p[0]);
	if (st != 0)
		return st < 0
			   ? -1
			   : dk_err_set(err, "joining the %s network failed (status %d)", mode, st);
	*netns = dk_netns_path(b->root, key);
	if (!*netns)
		return dk_err_sys(err, "network");
	address_of(out, ip, sizeof(ip));
	return files(m, dir, key, ip, slirp ? "10.0.2.3" : NULL, err);
}

void bf_net_down(struct bf_build *b, const char *mode, const char *key, int exit_fd)
{
	char *down[] = {"network", "--root", b->root, "down", (char *)key, NULL};

	if (!strcmp(mode, "bridge") || !strcmp(mode, "slirp4netns"))
		bf_tool_silent(down);
	if (exit_fd >= 0)
		close(exit_fd);
}
