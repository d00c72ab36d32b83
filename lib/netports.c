// SPDX-License-Identifier: GPL-2.0-or-later
/* netports.c: docker's -p syntax, [IP:][HOSTPORT[-END]:]PORT[-END][/PROTO],
 * expanded into one canonical "IP:HOSTPORT:PORT/PROTO" entry per port
 * (HOSTPORT empty: any free port), and read back. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "netconf.h"

/* "N" or "N-M" -> [lo, hi]; 1..65535. */
static int range(const char *s, int *lo, int *hi)
{
	char *end;
	long a, b;

	a = strtol(s, &end, 10);
	b = a;
	if (end != s && *end == '-')
		b = strtol(end + 1, &end, 10);
	if (end == s || *end || a < 1 || b > 65535 || b < a)
		return -1;
	*lo = (int)a, *hi = (int)b;
	return 0;
}

/* Split spec into ip, host range and container range, proto. */
static int split(const char *spec, char *ip, char *host, char *cont, char *proto)
{
	char buf[160], *p, *c;

	snprintf(buf, sizeof(buf), "%s", spec);
	p = strchr(buf, '/');
	strcpy(proto, "tcp");
	if (p) {
		*p++ = '\0';
		if (strcmp(p, "tcp") && strcmp(p, "udp"))
			return -1;
		strcpy(proto, p);
	}
	strcpy(ip, "0.0.0.0"), host[0] = '\0';
	c = strrchr(buf, ':');
	if (!c) {
		snprintf(cont, 32, "%.31s", buf);
		return 0;
	}
	*c = '\0';
	snprintf(cont, 32, "%.31s", c + 1);
	c = strrchr(buf, ':');
	if (c) {
		*c = '\0';
		snprintf(host, 32, "%.31s", c + 1);
		snprintf(ip, 46, "%.45s", buf[0] == '[' ? buf + 1 : buf);
		ip[strcspn(ip, "]")] = '\0';
	} else {
		snprintf(host, 32, "%.31s", buf);
	}
	return 0;
}

int dk_ports_expand(const char *spec, char ***out, struct dk_err *err)
{
	char ip[46], host[32], cont[32], proto[4], one[128];
	int hl = 0, hh = 0, cl, ch;
	struct in_addr a;

	if (strlen(spec) >= 150 || split(spec, ip, host, cont, proto) < 0 ||
	    range(cont, &cl, &ch) < 0 || (*host && range(host, &hl, &hh) < 0) ||
	    inet_pton(AF_INET, ip, &a) != 1)
		return dk_err_set(err,
				  "invalid publish \"%s\": want "
				  "[IP:][HOSTPORT[-END]:]PORT[-END][/tcp|/udp]",
				  spec);
	if (*host && hh - hl != ch - cl && hl != hh)
		return dk_err_set(err, "invalid publish \"%s\": the port ranges differ in size",
				  spec);
	for (int i = 0; i <= ch - cl; i++) {
		int hp = !*host ? 0 : hl == hh ? hl : hl + i;
		snprintf(one, sizeof(one), "%s:%.0d:%d/%s", ip, hp, cl + i, proto);
		if (dk_strv_push(out, one) < 0)
			return dk_err_sys(err, "publish");
	}
	return 0;
}

int dk_port_parse(const char *s, struct dk_port *p)
{
	char buf[160], *a, *b, *slash;

	memset(p, 0, sizeof(*p));
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	snprintf(p->proto, sizeof(p->proto), "%.3s", slash ? slash + 1 : "tcp");
	if (slash)
		*slash = '\0';
	b = strrchr(buf, ':');
	if (!b)
		return -1;
	*b++ = '\0';
	p->cport = atoi(b);
	a = strrchr(buf, ':');
	if (a) {
		*a++ = '\0';
		p->hport = atoi(a);
		snprintf(p->ip, sizeof(p->ip), "%.45s", buf);
	} else { /* the old "HOST:PORT" */
		p->hport = atoi(buf);
		strcpy(p->ip, "0.0.0.0");
	}
	return p->cport > 0 ? 0 : -1;
}
