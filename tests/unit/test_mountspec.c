// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mountspec.c: docker's --mount values parsed, checked, and written
 * back in the normalised form records keep; capability names. */
#include <stdlib.h>
#include <string.h>
#include "capnames.h"
#include "test.h"
#include "hostcfg.h"

static void test_parse(void)
{
	static const struct {
		const char *in, *norm;
	} ok[] = {
	    {"type=bind,source=/a,target=/b", "type=bind,source=/a,target=/b"},
	    {"type=bind,src=/a,dst=/b,readonly", "type=bind,source=/a,target=/b,readonly"},
	    {"type=bind,src=/a,destination=/b,ro=true,bind-propagation=rshared",
	     "type=bind,source=/a,target=/b,readonly,bind-propagation=rshared"},
	    {"type=bind,src=/a,dst=/b,readonly=false", "type=bind,source=/a,target=/b"},
	    {"src=vol,dst=/data", "type=volume,source=vol,target=/data"},
	    {"type=volume,dst=/data", "type=volume,target=/data,anonymous"},
	    {"type=volume,src=v,dst=/d,volume-nocopy",
	     "type=volume,source=v,target=/d,volume-nocopy"},
	    {"type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1777",
	     "type=tmpfs,target=/t,tmpfs-options=size=1m;mode=1777"},
	};
	static const char *const bad[] = {
	    "type=nfs,dst=/x",
	    "type=bind,dst=/x",
	    "type=bind,src=/a,dst=rel",
	    "type=volume",
	    "type=tmpfs,src=x,dst=/t",
	    "type=bind,src=/a,dst=/b,color=red",
	    "type=bind,src=/a,dst=/b,readonly=maybe",
	};
	struct dk_mountspec m, again;
	struct dk_err err;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *s;
		CHECK_MSG(dk_mountspec_parse(ok[i].in, &m, &err) == 0, "%s: %s", ok[i].in, err.msg);
		s = dk_mountspec_format(&m);
		CHECK_STR(s, ok[i].norm);
		/* the normalised form parses to the same mount */
		CHECK(dk_mountspec_parse(s, &again, &err) == 0);
		CHECK(memcmp(&m, &again, sizeof(m)) == 0);
		free(s);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_MSG(dk_mountspec_parse(bad[i], &m, &err) < 0, "accepted %s", bad[i]);
}

static void test_caps(void)
{
	CHECK_STR(dk_cap_canon("net_admin"), "CAP_NET_ADMIN");
	CHECK_STR(dk_cap_canon("CAP_SYS_ADMIN"), "CAP_SYS_ADMIN");
	CHECK_STR(dk_cap_canon("Chown"), "CAP_CHOWN");
	CHECK_STR(dk_cap_canon("all"), "ALL");
	CHECK(dk_cap_canon("CAP_NOPE") == NULL);
	CHECK(dk_cap_canon("") == NULL);
	CHECK_STR(dk_cap_names[40], "CAP_CHECKPOINT_RESTORE");
	CHECK(dk_cap_names[41] == NULL);
}

T_MAIN(T(test_parse), T(test_caps))
