// SPDX-License-Identifier: GPL-2.0-or-later
/* netfiles.c: a container's /etc/hostname, /etc/hosts and
 * /etc/resolv.conf, kept in its directory (containers/<id>/) and
 * bind-mounted. resolv.conf is the host's with loopback resolvers left
 * out (a systemd-resolved stub at 127.0.0.53 cannot be reached from the
 * container's namespace; docker falls back to 8.8.8.8 and 8.8.4.4 when
 * nothing is left), --dns, --dns-search and --dns-option replacing their
 * parts; on a user-defined network the first resolver is the network's
 * gateway, where dnsmasq (the dnsname plugin) answers for the containers'
 * names and forwards the rest. With --network host the host's files. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "netconf.h"
#include "container.h"

static bool loopback(const char *ip)
{
	return !strncmp(ip, "127.", 4) || !strcmp(ip, "::1");
}

/* The host's resolv.conf split into nameservers, search and options. */
static void host_resolv(char ***ns, char **search, char **options)
{
	cleanup_file FILE *f = fopen("/etc/resolv.conf", "re");
	char line[1024], word[256];

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "nameserver %255s", word) == 1 && !loopback(word))
			dk_strv_push(ns, word);
		else if (!strncmp(line, "search ", 7) && !*search)
			*search = strdup(line + 7);
		else if (!strncmp(line, "options ", 8) && !*options)
			*options = strdup(line + 8);
	}
}

static void joined(FILE *f, const char *key, char *const *v)
{
	if (!v || !*v)
		return;
	fputs(key, f);
	for (; *v; v++)
		fprintf(f, " %s", *v);
	fputc('\n', f);
}

static int resolv(const struct dk_crec *rec, const char *gw, struct dk_err *err)
{
	cleanup_free char *search = NULL;
	cleanup_free char *options = NULL;
	cleanup_free char *buf = NULL;
	char **ns = calloc(1, sizeof(char *));
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f || !ns)
		return dk_err_sys(err, "resolv.conf");
	host_resolv(&ns, &search, &options);
	if (gw)
		fprintf(f, "nameserver %s\n", gw);
	if (rec->o.dns && *rec->o.dns)
		joined(f, "nameserver", rec->o.dns);
	else if (!gw)
		for (char **n = ns; *n; n++)
			fprintf(f, "nameserver %s\n", *n);
	if (!gw && !(rec->o.dns && *rec->o.dns) && !*ns)
		fputs("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", f);
	if (rec->o.dns_search && *rec->o.dns_search)
		joined(f, "search", rec->o.dns_search);
	else if (search)
		fprintf(f, "search %s\n", search);
	if (rec->o.dns_opts && *rec->o.dns_opts)
		joined(f, "options", rec->o.dns_opts);
	else if (options)
		fprintf(f, "options %s\n", options);
	dk_strv_free(ns);
	if (fclose(f) != 0)
		return dk_err_sys(err, "resolv.conf");
	rc = dk_write_file_at(AT_FDCWD, ctr_path(rec->id, "resolv.conf"), buf, len, 0644, err);
	return rc;
}

/* The host's own file copied (--network host). */
static int copy_host(const char *id, const char *name, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	char src[64];
	size_t len = 0;

	snprintf(src, sizeof(src), "/etc/%s", name);
	if (dk_read_file_at(AT_FDCWD, src, 1 << 20, &buf, &len, err) < 0)
		return -1;
	return dk_write_file_at(AT_FDCWD, ctr_path(id, name), buf, len, 0644, err);
}

int ctr_net_files(const struct dk_crec *rec, struct dk_err *err)
{
	const char *m = rec->o.network ? rec->o.network : "none";
	char host[128], gwbuf[32], *gw = NULL;
	struct dk_net n;
	struct dk_err e;

	snprintf(host, sizeof(host), "%.12s", rec->id);
	if (rec->o.hostname)
		snprintf(host, sizeof(host), "%s", rec->o.hostname);
	if (!strcmp(m, "host")) {
		gethostname(host, sizeof(host));
		if (copy_host(rec->id, "hosts", err) < 0 ||
		    copy_host(rec->id, "resolv.conf", err) < 0)
			return -1;
	} else {
		if (!dk_net_special(m) && dk_net_load(ctr_g.root, m, &n, &e) == 0 && n.dns) {
			dk_ip4_str(n.gateway, gwbuf, sizeof(gwbuf));
			gw = gwbuf;
		}
		if (dk_net_write_hosts(ctr_path(rec->id, ""), NULL, host, NULL, rec->o.add_hosts,
				       gw, err) < 0 ||
		    resolv(rec, gw, err) < 0)
			return -1;
	}
	strcat(host, "\n");
	return dk_write_file_at(AT_FDCWD, ctr_path(rec->id, "hostname"), host, strlen(host), 0644,
				err);
}
