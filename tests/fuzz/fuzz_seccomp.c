// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_seccomp.c: a seccomp profile (linux.seccomp of config.json, the
 * form docker's --security-opt seccomp=FILE takes) parsed and checked,
 * and turned into a filter with libseccomp without loading it. */
#include "fuzz.h"
#include "../../runtime/seccomp.c"

/* Build the filter as rt_seccomp_load would, minus the load. */
static void build(const struct rt_seccomp *sc)
{
	struct dk_err err;
	uint32_t def;
	scmp_filter_ctx ctx;

	if (action(sc->default_action, sc->default_errno, &def, &err) < 0)
		return;
	ctx = seccomp_init(def);
	if (!ctx)
		return;
	if (set_flags(ctx, sc, &err) == 0)
		for (size_t i = 0; i < sc->n_rules; i++)
			if (add_rule(ctx, &sc->rules[i], def, &err) < 0)
				break;
	seccomp_release(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dk_err err;
	struct dk_json *doc = dk_json_parse((const char *)data, size, "seccomp.json", &err);
	struct rt_seccomp *sc = doc ? rt_seccomp_parse(doc, &err) : NULL;

	if (sc && rt_seccomp_check(sc, &err) == 0)
		build(sc);
	rt_seccomp_free(sc);
	dk_json_free(doc);
	return 0;
}
