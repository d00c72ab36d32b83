// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_up.c: `network up` and `network down`, what the monitor runs when
 * a container starts and stops (and `container rm` after a crash). up
 * prints {"ip", "prefix", "gateway", "mac", "ports"} as JSON (slirp4netns:
 * "slirp_pid" too; --exit-fd N: the fd whose closing ends it). */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "network.h"

static int args_of(struct attach *a, const struct dk_net *n, struct dk_err *err)
{
	uint32_t ip;

	if (a->ip && (dk_ip4_parse(a->ip, &ip) < 0 || !dk_cidr_contains(n->subnet, n->prefix, ip)))
		return dk_err_set(err, "invalid --ip %s: not an address in network %s's subnet",
				  a->ip, n->name);
	if (asprintf(&a->args, "IgnoreUnknown=1;K8S_POD_NAME=%s%s%s", a->name ? a->name : a->id,
		     a->ip ? ";IP=" : "", a->ip ? a->ip : "") < 0)
		return dk_err_sys(err, "args");
	return 0;
}

static void print_result(const char *result, char **ports)
{
	struct dk_err e;
	struct dk_json *v = dk_json_parse(result, strlen(result), "result", &e);
	const struct dk_json *ip = dk_json_at(dk_json_get(v, "ips"), 0);
	const struct dk_json *ifs = dk_json_get(v, "interfaces");
	const char *addr = dk_json_get_str(ip, "address");
	char buf[64] = "";
	struct dk_jgen *g = dk_jgen_new(false);
	const char *out;
	size_t len;

	snprintf(buf, sizeof(buf), "%s", addr ? addr : "");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "ip", strtok(buf, "/") ? buf : "");
	dk_jgen_kint(g, "prefix", addr && strchr(addr, '/') ? atoi(strchr(addr, '/') + 1) : 0);
	dk_jgen_kstr(g, "gateway", dk_json_get_str(ip, "gateway"));
	for (size_t i = 0; i < dk_json_len(ifs); i++)
		if (dk_json_get_str(dk_json_at(ifs, i), "sandbox"))
			dk_jgen_kstr(g, "mac", dk_json_get_str(dk_json_at(ifs, i), "mac"));
	dk_jgen_str(g, "ports");
	dk_jgen_strv(g, ports);
	dk_jgen_map_close(g);
	if (dk_jgen_finish(g, &out, &len, &e) == 0)
		printf("%.*s\n", (int)len, out);
	dk_jgen_free(g);
	dk_json_free(v);
}

static int load_list(const char *net, struct dk_json **list, struct dk_net *n, struct dk_err *err)
{
	cleanup_free char *path = NULL;
	cleanup_free char *buf = NULL;
	size_t len;

	if (!strcmp(net, "bridge") && net_ensure_default(err) < 0)
		return -1;
	if (dk_net_load(net_root, net, n, err) < 0)
		return -1;
	path = dk_net_conflist_path(net_root, net);
	if (!path || dk_read_file_at(AT_FDCWD, path, 1 << 20, &buf, &len, err) < 0)
		return -1;
	*list = dk_json_parse(buf, len, path, err);
	return *list ? 0 : -1;
}

int net_cmd_up(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"ip", required_argument, NULL, 'i'},
	    {"alias", required_argument, NULL, 'a'},
	    {"name", required_argument, NULL, 'n'},
	    {"publish", required_argument, NULL, 'p'},
	    {"ifname", required_argument, NULL, 'f'},
	    {"exit-fd", required_argument, NULL, 'e'},
	    {NULL, 0, NULL, 0},
	};
	int exit_fd = -1;
	struct attach a = {0};
	char ifname[16];
	cleanup_free char *result = NULL;
	struct dk_err err = {0};
	struct dk_net n;
	int c, rc = DK_EXIT_FAIL;

	while ((c = dk_getopt_long(argc, argv, "p:", opts, NULL)) != -1) {
		switch (c) {
		case 'i': a.ip = optarg; break;
		case 'a': dk_strv_push(&a.aliases, optarg); break;
		case 'n': a.name = optarg; break;
		case 'p': dk_strv_push(&a.ports, optarg); break;
		case 'f': a.ifname = optarg; break;
		case 'e': exit_fd = atoi(optarg); break;
		default: return dk_usage_error("up: unknown option");
		}
	}
	if (optind + 2 != argc)
		return dk_usage_error("up: want ID NETWORK");
	a.id = argv[optind], a.net = argv[optind + 1];
	if (strchr(a.id, '/'))
		return dk_usage_error("bad container id \"%s\"", a.id);
	if (!a.ifname) { /* eth0 first, then one more per network joined */
		snprintf(ifname, sizeof(ifname), "eth%d", net_attached(a.id));
		a.ifname = ifname;
	}
	if (dk_net_is_slirp(a.net)) {
		if (exit_fd < 0)
			return dk_usage_error("up: slirp4netns needs --exit-fd");
		rc = net_slirp_up(&a, exit_fd, &err) == 0 ? 0 : DK_EXIT_FAIL;
	} else if (load_list(a.net, &a.list, &n, &err) == 0 && args_of(&a, &n, &err) == 0 &&
		   net_up(&a, &result, &err) == 0) {
		print_result(result, a.ports);
		rc = 0;
	}
	if (rc)
		dk_err_print("network", &err);
	dk_json_free(a.list);
	dk_strv_free(a.aliases);
	dk_strv_free(a.ports);
	free(a.args);
	return rc;
}

int net_cmd_down(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"network", required_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	const char *net = NULL;
	struct dk_err err = {0};
	int c;

	while ((c = dk_getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'n')
			return dk_usage_error("down: unknown option");
		net = optarg;
	}
	if (optind + 1 != argc || strchr(argv[optind], '/'))
		return dk_usage_error("down: want ID");
	if (net_down(argv[optind], net, &err) < 0) {
		dk_err_print("network", &err);
		return DK_EXIT_FAIL;
	}
	return 0;
}
