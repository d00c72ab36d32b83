// SPDX-License-Identifier: GPL-2.0-or-later
/* caps.c: the process capability sets, with libcap. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include "caps.h"

static int cap_value(const char *name, cap_value_t *v, struct dk_err *err)
{
	if (strncasecmp(name, "CAP_", 4) != 0 || cap_from_name(name, v) < 0)
		return dk_err_set(err, "unknown capability \"%s\"", name);
	if (*v > cap_max_bits() - 1 || !CAP_IS_SUPPORTED(*v))
		return dk_err_set(err, "capability \"%s\" is not supported by this kernel", name);
	return 0;
}

int rt_caps_check(const struct rt_process *p, struct dk_err *err)
{
	cap_value_t v;
	struct dk_err e;

	if (!p->has_caps)
		return 0;
	for (int s = 0; s < RT_CAP_SETS; s++)
		for (size_t i = 0; p->caps[s][i]; i++) {
			/* as runc: a capability this system does not know is
			 * ignored with a warning (configs outlive kernels) */
			if (cap_value(p->caps[s][i], &v, &e) < 0) {
				fprintf(stderr, "runtime: warning: ignoring capability: %s\n",
					e.msg);
				continue;
			}
			if (s != RT_CAP_BOUNDING && prctl(PR_CAPBSET_READ, v) != 1)
				return dk_err_set(
				    err,
				    "capabilities: %s is not in the runtime's bounding set, cannot grant it",
				    p->caps[s][i]);
		}
	return 0;
}

static bool in_set(char **set, cap_value_t v)
{
	cap_value_t x;

	for (size_t i = 0; set[i]; i++)
		if (cap_from_name(set[i], &x) == 0 && x == v)
			return true;
	return false;
}

bool rt_caps_bounds(const struct rt_process *p, const char *name)
{
	cap_value_t v;

	return p->has_caps && p->caps[RT_CAP_BOUNDING] && cap_from_name(name, &v) == 0 &&
	       in_set(p->caps[RT_CAP_BOUNDING], v);
}

int rt_caps_bounding(const struct rt_process *p, struct dk_err *err)
{
	if (!p->has_caps)
		return 0;
	for (cap_value_t v = 0; v < (cap_value_t)cap_max_bits(); v++) {
		if (in_set(p->caps[RT_CAP_BOUNDING], v))
			continue;
		if (prctl(PR_CAPBSET_DROP, v, 0, 0, 0) < 0 && errno != EINVAL)
			return dk_err_sys(err, "dropping capability %d from the bounding set", v);
	}
	return 0;
}

static int fill(cap_t c, cap_flag_t flag, char **set, struct dk_err *err)
{
	cap_value_t v;

	for (size_t i = 0; set[i]; i++) {
		struct dk_err e;
		if (cap_value(set[i], &v, &e) < 0)
			continue; /* unknown: ignored, see rt_caps_check */
		if (cap_set_flag(c, flag, 1, &v, CAP_SET) < 0)
			return dk_err_sys(err, "cap_set_flag");
	}
	return 0;
}

int rt_caps_apply(const struct rt_process *p, struct dk_err *err)
{
	cap_t c;
	cap_value_t v;
	int rc = 0;

	if (!p->has_caps)
		return 0;
	c = cap_init();
	if (!c)
		return dk_err_sys(err, "cap_init");
	if (fill(c, CAP_EFFECTIVE, p->caps[RT_CAP_EFFECTIVE], err) < 0 ||
	    fill(c, CAP_PERMITTED, p->caps[RT_CAP_PERMITTED], err) < 0 ||
	    fill(c, CAP_INHERITABLE, p->caps[RT_CAP_INHERITABLE], err) < 0)
		rc = -1;
	else if (cap_set_proc(c) < 0)
		rc = dk_err_sys(err, "setting capabilities");
	cap_free(c);
	if (rc < 0)
		return rc;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return dk_err_sys(err, "clearing ambient capabilities");
	for (size_t i = 0; p->caps[RT_CAP_AMBIENT][i]; i++) {
		struct dk_err e;
		if (cap_value(p->caps[RT_CAP_AMBIENT][i], &v, &e) < 0)
			continue; /* unknown: ignored, see rt_caps_check */
		/* as runc: an ambient cap that is not also inheritable and
		 * permitted cannot be raised, and is skipped */
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0) < 0 && errno != EPERM)
			return dk_err_sys(err, "raising ambient capability %s",
					  p->caps[RT_CAP_AMBIENT][i]);
	}
	return 0;
}

char **rt_caps_all(void)
{
	int n = (int)cap_max_bits();
	char **v = calloc(n + 1, sizeof(char *));

	for (int i = 0; v && i < n; i++) {
		char *name = cap_to_name(i);
		v[i] = strdup(name);
		for (char *q = v[i]; *q; q++)
			*q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
		cap_free(name);
	}
	return v;
}
