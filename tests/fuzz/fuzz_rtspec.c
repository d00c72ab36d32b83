// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_rtspec.c: the runtime's config.json parsing (process, mounts,
 * namespaces, id maps, devices, hooks, resources, seccomp), compiled in,
 * from a buffer instead of a bundle; then the seccomp profile's checks. */
#include "fuzz.h"
#include "../../runtime/spec_parse.c"
#include "../../runtime/cgroup_res.c"
#include "../../runtime/seccomp.c"
#include "../../runtime/mounts.c" /* rt_mount_option */
#include "../../runtime/commands.h"

/* the runtime's globals live in its main.c, which is not linked */
struct rt_global rt_g;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dk_err err;
	struct rt_spec *s = calloc(1, sizeof(*s));

	if (!s)
		return 0;
	s->root = dk_json_parse((const char *)data, size, "config.json", &err);
	if (s->root && dk_json_type(s->root) == DK_JSON_OBJECT &&
	    parse_doc(s->root, "/bundle", s, &err) == 0)
		rt_seccomp_check(s->seccomp, &err);
	rt_spec_free(s);
	return 0;
}
