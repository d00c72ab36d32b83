// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_spec.c: spec (a default config.json) and features. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "caps.h"
#include "cleanup.h"
#include "commands.h"
#include "fs.h"
#include "rtspec.h"

static void process(struct dk_jgen *g)
{
	char *caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL};
	static const char *sets[] = {"bounding", "effective", "permitted", "ambient"};

	dk_jgen_str(g, "process");
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "terminal", true);
	dk_jgen_str(g, "user");
	dk_jgen_map_open(g);
	dk_jgen_kint(g, "uid", 0);
	dk_jgen_kint(g, "gid", 0);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "args");
	dk_jgen_strv(g, (char *[]){"sh", NULL});
	dk_jgen_str(g, "env");
	dk_jgen_strv(g,
		     (char *[]){"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				"TERM=xterm", NULL});
	dk_jgen_kstr(g, "cwd", "/");
	dk_jgen_str(g, "capabilities");
	dk_jgen_map_open(g);
	for (int i = 0; i < 4; i++) {
		dk_jgen_str(g, sets[i]);
		dk_jgen_strv(g, caps);
	}
	dk_jgen_map_close(g);
	dk_rtspec_rlimits(g);
	dk_jgen_kbool(g, "noNewPrivileges", true);
	dk_jgen_map_close(g);
}

static void linux_section(struct dk_jgen *g, bool rootless)
{
	static const char *ns[] = {"pid", "network", "ipc", "uts", "mount", "cgroup"};

	dk_jgen_str(g, "linux");
	dk_jgen_map_open(g);
	if (rootless) {
		dk_rtspec_idmap(g, "uidMappings", NULL, 0, getuid());
		dk_rtspec_idmap(g, "gidMappings", NULL, 0, getgid());
	} else {
		dk_jgen_str(g, "resources");
		dk_jgen_map_open(g);
		dk_jgen_str(g, "devices");
		dk_jgen_array_open(g);
		dk_jgen_map_open(g);
		dk_jgen_kbool(g, "allow", false);
		dk_jgen_kstr(g, "access", "rwm");
		dk_jgen_map_close(g);
		dk_jgen_array_close(g);
		dk_jgen_map_close(g);
	}
	dk_jgen_str(g, "namespaces");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < sizeof(ns) / sizeof(*ns); i++) {
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "type", ns[i]);
		dk_jgen_map_close(g);
	}
	if (rootless) {
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "type", "user");
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
	dk_jgen_str(g, "maskedPaths");
	dk_jgen_strv(g, (char *[]){"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
				   "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
				   "/proc/sched_debug", "/sys/firmware", "/proc/scsi", NULL});
	dk_jgen_str(g, "readonlyPaths");
	dk_jgen_strv(g, (char *[]){"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
				   "/proc/sysrq-trigger", NULL});
	dk_jgen_map_close(g);
}

int cmd_spec(int argc, char **argv)
{
	static const struct option opts[] = {{"bundle", required_argument, NULL, 'b'},
					     {"rootless", no_argument, NULL, 'r'},
					     {NULL, 0, NULL, 0}};
	const char *bundle = ".";
	bool rootless = false;
	int c;
	struct dk_jgen *g = dk_jgen_new(true);
	cleanup_free char *buf = NULL;
	size_t len;
	struct dk_err err;
	cleanup_close int dfd = -1;

	optind = 0;
	while ((c = getopt_long(argc, argv, "b:", opts, NULL)) != -1)
		if (c == 'b')
			bundle = optarg;
		else if (c == 'r')
			rootless = true;
		else
			return dk_jgen_free(g), dk_usage_error("spec: unknown option");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "ociVersion", "1.0.2");
	process(g);
	dk_jgen_str(g, "root");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "path", "rootfs");
	dk_jgen_kbool(g, "readonly", true);
	dk_jgen_map_close(g);
	dk_jgen_kstr(g, "hostname", "dk");
	dk_rtspec_mounts(g, rootless, true);
	linux_section(g, rootless);
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &buf, &len, &err) < 0)
		return rt_fail("spec", &err);
	dfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return dk_err_sys(&err, "bundle %s", bundle), rt_fail("spec", &err);
	if (faccessat(dfd, "config.json", F_OK, 0) == 0)
		return dk_err_set(&err, "%s/config.json already exists", bundle),
		       rt_fail("spec", &err);
	buf[len] = '\n';
	if (dk_write_file_at(dfd, "config.json", buf, len + 1, 0644, &err) < 0)
		return rt_fail("spec", &err);
	return 0;
}

int cmd_features(int argc, char **argv)
{
	static const char *ns[] = {"cgroup", "ipc",  "mount", "network", "pid",
				   "time",   "user", "uts",   NULL};
	static const char *opts[] = {
	    "async",	   "atime",	    "bind",	    "dev",	    "diratime",
	    "dirsync",	   "exec",	    "lazytime",	    "mand",	    "noatime",
	    "nodev",	   "nodiratime",    "noexec",	    "nolazytime",   "nomand",
	    "norelatime",  "nostrictatime", "nosuid",	    "private",	    "rbind",
	    "relatime",	   "remount",	    "ro",	    "rprivate",	    "rshared",
	    "rslave",	   "runbindable",   "rw",	    "shared",	    "slave",
	    "strictatime", "suid",	    "sync",	    "unbindable",   "nosymfollow",
	    "symfollow",   "rro",	    "rrw",	    "rnosuid",	    "rsuid",
	    "rnodev",	   "rdev",	    "rnoexec",	    "rexec",	    "rnoatime",
	    "ratime",	   "rrelatime",	    "rnorelatime",  "rstrictatime", "rnostrictatime",
	    "rnodiratime", "rdiratime",	    "rnosymfollow", "rsymfollow",   NULL};
	struct dk_jgen *g = dk_jgen_new(true);
	char **caps = rt_caps_all();
	const char *buf;
	size_t len;
	struct dk_err err;

	(void)argc;
	(void)argv;
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "ociVersionMin", "1.0.0");
	dk_jgen_kstr(g, "ociVersionMax", "1.1.0");
	dk_jgen_str(g, "hooks");
	dk_jgen_strv(g, (char *[]){"prestart", "createRuntime", "createContainer", "startContainer",
				   "poststart", "poststop", NULL});
	dk_jgen_str(g, "mountOptions");
	dk_jgen_strv(g, (char **)opts);
	dk_jgen_str(g, "linux");
	dk_jgen_map_open(g);
	dk_jgen_str(g, "namespaces");
	dk_jgen_strv(g, (char **)ns);
	dk_jgen_str(g, "capabilities");
	dk_jgen_strv(g, caps);
	dk_jgen_str(g, "cgroup");
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "v1", true);
	dk_jgen_kbool(g, "v2", true);
	dk_jgen_kbool(g, "systemd", false);
	dk_jgen_kbool(g, "systemdUser", false);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "seccomp");
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "enabled", true);
	dk_jgen_str(g, "actions");
	dk_jgen_strv(g, (char *[]){"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
				   "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
				   "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP", NULL});
	dk_jgen_str(g, "operators");
	dk_jgen_strv(g, (char *[]){"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE",
				   "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", NULL});
	dk_jgen_str(g, "archs");
	dk_jgen_strv(g, (char *[]){"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
				   "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL});
	dk_jgen_map_close(g);
	dk_jgen_str(g, "mountExtensions");
	dk_jgen_map_open(g);
	dk_jgen_str(g, "idmap");
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "enabled", true);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "apparmor");
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "enabled", false);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "selinux");
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "enabled", false);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	if (dk_jgen_finish(g, &buf, &len, &err) == 0)
		printf("%.*s\n", (int)len, buf);
	dk_jgen_free(g);
	dk_strv_free(caps);
	return 0;
}
