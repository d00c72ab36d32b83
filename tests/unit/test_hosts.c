// SPDX-License-Identifier: GPL-2.0-or-later
/* test_hosts.c: fetch's registry host resolution (compiled in from
 * fetch/hosts.c): which hosts skip TLS verification. Only loopback
 * addresses do, never a name that merely starts with "127.". */
#include <stdlib.h>
#include "test.h"
#include "../../fetch/hosts.c"

static void check_host(const char *domain, bool insecure_want)
{
	struct fx_host h;
	struct dk_err err;

	CHECK_INT(fx_host_resolve(domain, false, &h, &err), 0);
	CHECK_MSG(h.skip_verify == insecure_want && h.probe == insecure_want,
		  "%s: skip_verify %d, want %d", domain, h.skip_verify, insecure_want);
	CHECK_MSG(!strncmp(h.base, "https://", 8), "%s: %s", domain, h.base);
	fx_host_free(&h);
}

static void test_loopback(void)
{
	setenv("DK_DAEMON_JSON", "/nonexistent", 1);
	check_host("127.0.0.1:5000", true);
	check_host("127.0.0.1", true);
	check_host("127.1.2.3:443", true);
	check_host("localhost:5000", true);
	check_host("[::1]:5000", true);
	check_host("[::1]", true);
}

static void test_not_loopback(void)
{
	check_host("127.example.com", false);
	check_host("127.0.0.1.evil.example:5000", false);
	check_host("127.0.0.1x", false);
	check_host("localhost.evil.example", false);
	check_host("[::1]x.example", false);
	check_host("[::12]:5000", false);
	check_host("10.0.0.1:5000", false);
	check_host("registry.example.com", false);
}

T_MAIN(T(test_loopback), T(test_not_loopback))
