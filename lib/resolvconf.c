// SPDX-License-Identifier: GPL-2.0-or-later
/* resolvconf.c: the /etc/resolv.conf a container (or a build step) gets:
 * the host's with loopback resolvers left out (a systemd-resolved stub at
 * 127.0.0.53 cannot be reached from the container's namespace; docker
 * falls back to 8.8.8.8 and 8.8.4.4 when nothing is left), --dns,
 * --dns-search and --dns-option replacing their parts; on a user-defined
 * network the first resolver is the network's gateway, where dnsmasq
 * answers for the containers' names and forwards the rest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "json.h"
#include "netconf.h"

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
	fputs(key, f);
	for (; *v; v++)
		fprintf(f, " %s", *v);
	fputc('\n', f);
}

static void nameservers(FILE *f, const struct dk_resolv_opts *o, char *const *host)
{
	if (o->gateway)
		fprintf(f, "nameserver %s\n", o->gateway);
	if (o->dns && *o->dns)
		joined(f, "nameserver", o->dns);
	else if (!o->gateway)
		for (char *const *n = host; *n; n++)
			fprintf(f, "nameserver %s\n", *n);
	if (!o->gateway && !(o->dns && *o->dns) && !*host)
		fputs("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", f);
}

int dk_resolv_conf(const struct dk_resolv_opts *o, char **buf, size_t *len, struct dk_err *err)
{
	cleanup_free char *search = NULL;
	cleanup_free char *options = NULL;
	char **ns = calloc(1, sizeof(char *));
	FILE *f = open_memstream(buf, len);

	if (!f || !ns) {
		free(ns);
		if (f)
			fclose(f);
		return dk_err_sys(err, "resolv.conf");
	}
	host_resolv(&ns, &search, &options);
	nameservers(f, o, ns);
	if (o->search && *o->search)
		joined(f, "search", o->search);
	else if (search)
		fprintf(f, "search %s\n", search);
	if (o->options && *o->options)
		joined(f, "options", o->options);
	else if (options)
		fprintf(f, "options %s\n", options);
	dk_strv_free(ns);
	return fclose(f) != 0 ? dk_err_sys(err, "resolv.conf") : 0;
}
