#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# runtime: the OCI runtime, driven with runc's command line on bundles made
# from the busybox fixture plus a static probe, compared with runc on the
# same bundle. Every container lives in a private cgroup namespace whose
# root is this test's own cgroup (helpers-runtime.bash).

load helpers
load helpers-runtime
bats_require_minimum_version 1.5.0

setup_file() {
	rt_setup_file
}

teardown_file() {
	rt_teardown_file
}

setup() {
	rt_setup
}

teardown() {
	rt_teardown
	rt_view_teardown
}

# --- commands and lifecycle --------------------------------------------------

@test "runtime --help, --version, unknown command" {
	run "$DK_BIN/runtime" --help
	assert_success
	assert_output_contains "create"
	assert_output_contains "features"
	run "$DK_BIN/runtime" --version
	assert_success
	assert_output_contains "runtime version"
	run "$DK_BIN/runtime" frobnicate
	assert_failure 2
	assert_output_contains 'unknown command "frobnicate"'
}

@test "spec writes a config like runc's and refuses to overwrite" {
	run "$DK_BIN/runtime" spec --bundle "$BUNDLE"
	assert_failure 1
	assert_output_contains "already exists"
	mkdir "$BATS_TEST_TMPDIR/s"
	run "$DK_BIN/runtime" spec --bundle "$BATS_TEST_TMPDIR/s"
	assert_success
	assert_equal "$(jq -r '.root.path' "$BATS_TEST_TMPDIR/s/config.json")" "rootfs"
	assert_equal "$(jq -r '.process.args[0]' "$BATS_TEST_TMPDIR/s/config.json")" "sh"
	run "$DK_BIN/runtime" spec --rootless --bundle "$BATS_TEST_TMPDIR/r"
	assert_failure
	mkdir "$BATS_TEST_TMPDIR/r"
	"$DK_BIN/runtime" spec --rootless --bundle "$BATS_TEST_TMPDIR/r"
	assert_equal "$(jq -r '.linux.namespaces[] | select(.type=="user") | .type' "$BATS_TEST_TMPDIR/r/config.json")" "user"
	assert_equal "$(jq -r '.linux.uidMappings[0].hostID' "$BATS_TEST_TMPDIR/r/config.json")" "$(id -u)"
}

@test "run: output, exit status, 128+N for a signal" {
	cfg '.hostname = "box1"'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "hostname: box1"
	args /bin/probe exit=7
	run rt run --bundle "$BUNDLE" c1
	assert_failure 7
	args /bin/probe sleep=100
	rt run --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	for i in $(seq 1 100); do
		[ "$(state_field c1 status 2>/dev/null)" = running ] && break
		sleep 0.05
	done
	rt kill c1 KILL
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 137
	run rt list -q
	assert_equal "$output" ""
}

@test "a new network namespace has loopback up, as runc's" {
	args /bin/busybox cat /sys/class/net/lo/operstate /sys/class/net/lo/flags
	run rt run --bundle "$BUNDLE" c1
	assert_success
	# flags: IFF_UP (0x1) set; operstate is "unknown" for lo when up
	[ $(( $(echo "$output" | tail -1) & 1 )) -eq 1 ]
	run rc run --bundle "$BUNDLE" c2
	assert_equal "$(( $(echo "$output" | tail -1) & 1 ))" 1
}

@test "run in the foreground forwards signals to the container" {
	args /bin/sh -c 'trap "echo got TERM; exit 9" TERM; while :; do sleep 0.05; done'
	(exec nsenter -t "$RT_NS_PID" --cgroup --mount -- "$DK_BIN/runtime" --root "$RT_ROOT" \
		run --bundle "$BUNDLE" c1 >"$BATS_TEST_TMPDIR/out" 2>&1 3>&-) &
	pid=$!
	for i in $(seq 1 100); do
		[ "$(state_field c1 status 2>/dev/null)" = running ] && break
		sleep 0.05
	done
	sleep 0.2
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 9
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "got TERM"
}

@test "apparmorProfile and selinuxLabel are refused clearly when the LSM is off" {
	cfg '.process.apparmorProfile = "docker-default"'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains 'apparmorProfile "docker-default": AppArmor is not enabled on this host'
	cfg 'del(.process.apparmorProfile) | .process.selinuxLabel = "system_u:system_r:container_t:s0"'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "SELinux is not enabled on this host"
}

@test "create, state, start, kill, delete: the lifecycle and state JSON" {
	args /bin/probe sleep=100
	rtd create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" c1
	assert_success
	run rt state c1
	assert_success
	assert_equal "$(echo "$output" | jq -r .status)" "created"
	assert_equal "$(echo "$output" | jq -r .id)" "c1"
	assert_equal "$(echo "$output" | jq -r .bundle)" "$BUNDLE"
	assert_equal "$(echo "$output" | jq -r .pid)" "$(cat "$BATS_TEST_TMPDIR/pid")"
	assert_equal "$(echo "$output" | jq -r .ociVersion | cut -c1-2)" "1."
	run rt delete c1
	assert_failure 1
	assert_output_contains "not stopped: created"
	run rt start c1
	assert_success
	assert_equal "$(state_field c1 status)" "running"
	run rt start c1
	assert_failure 1
	assert_output_contains "not created"
	run rt delete c1
	assert_failure 1
	assert_output_contains "not stopped: running"
	run rt kill c1 KILL
	assert_success
	wait_stopped c1
	assert_equal "$(state_field c1 status)" "stopped"
	run rt delete c1
	assert_success
	run rt state c1
	assert_failure 1
	assert_output_contains 'container "c1" does not exist'
	assert_equal "$(ls -A "$RT_ROOT")" ""
}

@test "state JSON fields match runc's for the same bundle" {
	args /bin/probe sleep=100
	rtd create --bundle "$BUNDLE" c1
	assert_success
	rcd create --bundle "$BUNDLE" c2
	assert_success
	for f in status bundle; do
		assert_equal "$(rt state c1 | jq -r ".$f")" "$(rc state c2 | jq -r ".$f")"
	done
	assert_equal "$(rt state c1 | jq -r 'keys - ["owner","rootfs","annotations"] | join(",")')" \
		"$(rc state c2 | jq -r 'keys - ["owner","rootfs","annotations"] | join(",")')"
	rt start c1
	rc start c2
	assert_equal "$(rt state c1 | jq -r .status)" "$(rc state c2 | jq -r .status)"
	rt delete --force c1
	rc delete --force c2
}

@test "kill: signal names and numbers; --all; bad signal is a usage error" {
	cfg '.root.readonly = false'
	args /bin/sh -c 'trap "echo got USR1 >/tmp/sig; exit 0" USR1; while :; do sleep 0.05; done'
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	run rt kill c1 SIGUSR1
	assert_success
	wait_stopped c1
	assert_equal "$(state_field c1 status)" "stopped"
	assert_equal "$(cat "$BUNDLE/rootfs/tmp/sig")" "got USR1"
	run rt kill c1 NOPE
	assert_failure 2
	assert_output_contains 'unknown signal "NOPE"'
	run rt kill c1 9
	assert_failure 1
	assert_output_contains "not running"
	rt delete c1
	args /bin/sh -c 'sleep 100 & sleep 100'
	rtd run -d --bundle "$BUNDLE" c2
	assert_success
	sleep 0.2
	run rt kill --all c2 9
	assert_success
	wait_stopped c2
	assert_equal "$(state_field c2 status)" "stopped"
}

@test "delete --force removes a running container and its cgroups" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	in_ns test -d /sys/fs/cgroup/memory/c1
	run rt delete --force c1
	assert_success
	run in_ns test -d /sys/fs/cgroup/memory/c1
	assert_failure
	run in_ns test -d /sys/fs/cgroup/unified/c1
	assert_failure
	assert_equal "$(rt list -q)" ""
}

@test "list: table, json, quiet" {
	args /bin/probe sleep=100
	rtd create --bundle "$BUNDLE" a1
	assert_success
	rtd create --bundle "$BUNDLE" a2
	assert_success
	run rt list
	assert_success
	assert_output_contains "ID"
	assert_output_contains "a1"
	assert_output_contains "created"
	run rt list --format json
	assert_equal "$(echo "$output" | jq -r '[.[].id] | sort | join(",")')" "a1,a2"
	run rt list -q
	assert_equal "$(echo "$output" | sort | tr '\n' ,)" "a1,a2,"
}

@test "concurrent commands on one container are serialised by the lock" {
	args /bin/probe sleep=100
	rtd create --bundle "$BUNDLE" c1
	assert_success
	for i in 1 2 3 4; do rt start c1 >/dev/null 2>&1 & done
	wait
	assert_equal "$(state_field c1 status)" "running"
	rtd create --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains 'container "c1" already exists'
}

@test "features prints truthful JSON" {
	run "$DK_BIN/runtime" features
	assert_success
	assert_equal "$(echo "$output" | jq -r '.linux.namespaces | index("time") != null')" "true"
	assert_equal "$(echo "$output" | jq -r '.linux.capabilities | index("CAP_SYS_ADMIN") != null')" "true"
	assert_equal "$(echo "$output" | jq -r '.linux.apparmor.enabled')" "false"
}

# --- exec ---------------------------------------------------------------------

@test "exec: args, --env, --cwd, --user, exit status, same cgroup and caps" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	run rt exec --env FOO=bar --cwd /tmp --user 1000:1000 c1 /bin/probe ids cwd env
	assert_success
	assert_output_contains "ids: uid=1000 gid=1000"
	assert_output_contains "cwd: /tmp"
	assert_output_contains "env: FOO=bar"
	run rt exec c1 /bin/probe exit=5
	assert_failure 5
	run rt exec c1 /bin/probe cgroup caps nnp
	assert_output_contains "4:memory:/"
	assert_output_contains "CapBnd:	0000000020000420"
	assert_output_contains "NoNewPrivs:	1"
	run -255 rt exec c1 /nonexistent
	assert_failure 255
	assert_output_contains 'exec "/nonexistent": No such file or directory'
}

@test "exec --process FILE, --detach with --pid-file, into a pid namespace" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	jq -n '{args: ["/bin/probe", "ids", "pid"], cwd: "/", env: ["A=1"], user: {uid: 5, gid: 6}}' \
		>"$BATS_TEST_TMPDIR/p.json"
	run rt exec --process "$BATS_TEST_TMPDIR/p.json" c1
	assert_success
	assert_output_contains "ids: uid=5 gid=6"
	rtd exec -d --pid-file "$BATS_TEST_TMPDIR/epid" c1 /bin/probe sleep=100
	assert_success
	[ -s "$BATS_TEST_TMPDIR/epid" ]
	run rt ps --format json c1
	assert_equal "$(echo "$output" | jq length)" "2"
	run rt exec c1 /bin/probe pid
	assert_equal "$output" "pid: 4"
}

# --- config surface -----------------------------------------------------------

@test "uts: hostname and domainname" {
	cfg '.hostname = "h1" | .domainname = "example.org"'
	args /bin/probe hostname domainname
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_output_contains "hostname: h1"
	assert_output_contains "domainname: example.org"
}

@test "user namespace: uid_map and gid_map match runc's" {
	cfg '.linux.namespaces += [{type: "user"}] | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}] | .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}]'
	chown -R 100000:200000 "$BUNDLE/rootfs"
	# the mapped root must be able to reach the rootfs
	chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$BATS_TEST_TMPDIR" "$BUNDLE"
	args /bin/probe uidmap ids
	run rt run --bundle "$BUNDLE" c1
	assert_success
	mine=$output
	run rc run --bundle "$BUNDLE" c2
	assert_success
	assert_equal "$mine" "$output"
	assert_output_contains "100000"
	assert_output_contains "ids: uid=0 gid=0"
}

@test "namespaces joined by path share the first container's" {
	args /bin/probe sleep=100
	cfg '.hostname = "shared"'
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	pid=$(state_field c1 pid)
	make_bundle "$BATS_TEST_TMPDIR/b2" hostname
	cfg_in "$BATS_TEST_TMPDIR/b2" \
		'del(.hostname) | .linux.namespaces |= map(if .type == "uts" then .path = $p elif .type == "network" then .path = $n else . end)' \
		--arg p "/proc/$pid/ns/uts" --arg n "/proc/$pid/ns/net"
	run rt run --bundle "$BATS_TEST_TMPDIR/b2" c2
	assert_success
	assert_equal "$output" "hostname: shared"
}

@test "network, ipc, cgroup and time namespaces are new" {
	cfg '.linux.namespaces += [{type: "time"}] | .linux.timeOffsets = {boottime: {secs: 86400, nanosecs: 0}}'
	args /bin/sh -c 'ls /sys/class/net; cat /proc/self/cgroup | grep memory; cut -d. -f1 /proc/uptime'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$(echo "$output" | head -1)" "lo"
	assert_output_contains "4:memory:/"
	[ "$(echo "$output" | tail -1)" -ge 86400 ]
}

@test "unknown namespace type, missing or malformed config: clear errors, no state" {
	cfg '.linux.namespaces += [{type: "bogus"}]'
	rtd create --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains 'unknown type "bogus"'
	rm "$BUNDLE/config.json"
	rtd create --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "config.json"
	echo '{"ociVersion": ' >"$BUNDLE/config.json"
	rtd create --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "config.json"
	run rt run --bundle "$BATS_TEST_TMPDIR/nope" c1
	assert_failure 1
	assert_equal "$(ls -A "$RT_ROOT" 2>/dev/null)" ""
}

@test "a nonexistent executable: 127 from run, message names it, no state" {
	args /bin/nosuchprog
	run -127 rt run --bundle "$BUNDLE" c1
	assert_failure 127
	assert_output_contains "/bin/nosuchprog"
	args nosuchprog
	rtd create --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains 'exec: "nosuchprog": executable file not found in $PATH'
	assert_equal "$(ls -A "$RT_ROOT")" ""
	run in_ns test -d /sys/fs/cgroup/memory/c1
	assert_failure
	# a program path longer than a path: an error, not the run of what
	# its first 4,095 bytes name (/bin/true here)
	args "/bin/true/$(printf 'x%.0s' $(seq 5000))"
	rtd create --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "path too long"
	assert_equal "$(ls -A "$RT_ROOT")" ""
}

@test "an error during setup names the step, once" {
	cfg '.mounts += [{destination: "/mnt/x", type: "nosuchfs", source: "none"}]'
	rtd create --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "runtime: create c1: mounting none at /mnt/x: mount type nosuchfs: No such device"
	assert_equal "$(echo "$output" | grep -c nosuchfs)" "1"
	assert_equal "$(ls -A "$RT_ROOT")" ""
}

# --- root, mounts, /dev -------------------------------------------------------

# mountinfo without the mount ids, for comparison
mounts_of() {
	cut -d' ' -f4- | sed 's/ - \(ext4\|xfs\|btrfs\|overlay\) .*/ - rootfs/'
}

@test "the container's mountinfo matches runc's" {
	args /bin/probe mounts
	run rt run --bundle "$BUNDLE" c1
	assert_success
	mine=$(echo "$output" | mounts_of)
	run rc run --bundle "$BUNDLE" c2
	assert_success
	assert_equal "$mine" "$(echo "$output" | mounts_of)"
	assert_output_contains "/sys/fs/cgroup/memory ro,nosuid,nodev,noexec"
}

@test "root.readonly, readonlyPaths and maskedPaths" {
	args /bin/sh -c '/bin/probe write=/x write=/proc/sys/kernel/hostname; cat /proc/keys | wc -c; ls /sys/firmware | wc -l; /bin/probe write=/tmp/y'
	cfg '.mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs"}]'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_output_contains "write /x: Read-only file system"
	assert_output_contains "write /proc/sys/kernel/hostname: Read-only file system"
	assert_equal "$(echo "$output" | sed -n 3p)" "0"
	assert_equal "$(echo "$output" | sed -n 4p)" "0"
	assert_output_contains "write /tmp/y: ok"
	cfg '.root.readonly = false'
	args /bin/probe write=/x
	run rt run --bundle "$BUNDLE" c1
	assert_output_contains "write /x: ok"
	[ -f "$BUNDLE/rootfs/x" ]
}

@test "bind mounts: ro, rbind, file sources, propagation, options" {
	mkdir -p "$BATS_TEST_TMPDIR/src/sub"
	echo hello >"$BATS_TEST_TMPDIR/src/file"
	cfg '.mounts += [
		{destination: "/data", type: "bind", source: $s, options: ["rbind", "ro", "nosuid", "nodev", "rprivate"]},
		{destination: "/etc/greeting", type: "none", source: $f, options: ["bind"]},
		{destination: "/scratch", type: "tmpfs", source: "tmpfs", options: ["noexec", "size=1m", "mode=700"]}
	]' --arg s "$BATS_TEST_TMPDIR/src" --arg f "$BATS_TEST_TMPDIR/src/file"
	args /bin/sh -c 'cat /etc/greeting; /bin/probe write=/data/new; grep -E " /(data|scratch) " /proc/self/mountinfo'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$(echo "$output" | head -1)" "hello"
	assert_output_contains "write /data/new: Read-only file system"
	assert_output_contains "/data ro,nosuid,nodev,relatime"
	assert_output_contains "/scratch rw,noexec,relatime - tmpfs tmpfs rw,size=1024k,mode=700"
	[ ! -e "$BATS_TEST_TMPDIR/src/new" ]
}

@test "a mount destination cannot escape the rootfs through a symlink" {
	mkdir -p "$BATS_TEST_TMPDIR/outside"
	ln -s "$BATS_TEST_TMPDIR/outside" "$BUNDLE/rootfs/evil"
	ln -s ../../../../../../../.. "$BUNDLE/rootfs/up"
	cfg '.root.readonly = false | .mounts += [
		{destination: "/evil/m1", type: "tmpfs", source: "tmpfs"},
		{destination: "/up/tmp/m2", type: "tmpfs", source: "tmpfs"}]'
	args /bin/sh -c 'touch /evil/m1/in /up/tmp/m2/in && echo done'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "done"
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/outside")" ""
	[ -d "$BUNDLE/rootfs/$BATS_TEST_TMPDIR/outside/m1" ]
	[ -d "$BUNDLE/rootfs/tmp/m2" ]
	[ ! -e /tmp/m2 ]
}

@test "/dev: default devices, symlinks, devpts, linux.devices" {
	cfg '.linux.devices = [{path: "/dev/mydev", type: "c", major: 1, minor: 3, fileMode: 438, uid: 7, gid: 8},
		{path: "/dev/sub/fifo", type: "p"}]'
	args /bin/sh -c 'ls -l /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/mydev | cut -c1-10,35-; for l in fd stdin stdout stderr ptmx; do readlink /dev/$l; done; stat -c "%u %g %a %t %T" /dev/mydev; test -p /dev/sub/fifo && echo fifo; ls -d /dev/pts /dev/shm /dev/mqueue; echo x >/dev/mydev && echo writable'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_output_contains "crw-rw-rw-   1,   3"
	assert_output_contains "/proc/self/fd"
	assert_output_contains "/proc/self/fd/0"
	assert_output_contains "pts/ptmx"
	assert_output_contains "7 8 666 1 3"
	assert_output_contains "fifo"
	assert_output_contains "/dev/mqueue"
	assert_output_contains "writable"
}

# --- process --------------------------------------------------------------------

@test "process: env, cwd (created), user, additionalGids, umask" {
	cfg '.root.readonly = false | .process.env += ["X=1"] | .process.cwd = "/work/dir" | .process.user = {uid: 1000, gid: 100, additionalGids: [5, 6], umask: 63}'
	args /bin/probe ids cwd env umask
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_output_contains "ids: uid=1000 gid=100 euid=1000 groups=5,6"
	assert_output_contains "cwd: /work/dir"
	assert_output_contains "env: X=1"
	assert_output_contains "env: PATH=/usr/local/sbin"
	assert_output_contains "umask: 0077"
}

@test "capabilities, no_new_privs, rlimits and oomScoreAdj match runc's" {
	cfg '.process.capabilities.bounding += ["CAP_CHOWN", "CAP_SETUID"] | .process.capabilities.effective += ["CAP_CHOWN"] | .process.capabilities.permitted += ["CAP_CHOWN"] | .process.capabilities.inheritable = ["CAP_KILL"]
		| .process.rlimits = [{type: "RLIMIT_NOFILE", soft: 500, hard: 600}, {type: "RLIMIT_CORE", soft: 0, hard: 0}]
		| .process.oomScoreAdj = 500'
	args /bin/probe caps nnp rlimits oom
	run rt run --bundle "$BUNDLE" c1
	assert_success
	mine=$output
	run rc run --bundle "$BUNDLE" c2
	assert_success
	assert_equal "$mine" "$output"
	assert_output_contains "CapEff:	0000000020000421"
	assert_output_contains "NoNewPrivs:	1"
	assert_output_contains "rlimit NOFILE: 500 600"
	cfg '.process.user.uid = 1000 | .process.noNewPrivileges = false'
	run rt run --bundle "$BUNDLE" c1
	mine=$output
	run rc run --bundle "$BUNDLE" c2
	assert_equal "$mine" "$output"
}

@test "an unknown capability is ignored (as runc); ungrantable ones and a too high rlimit are errors" {
	cfg '.process.capabilities.bounding += ["CAP_BOGUS"] | .process.capabilities.effective += ["CAP_BOGUS"]'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_output_contains 'warning: ignoring capability: unknown capability "CAP_BOGUS"'
	run rc run --bundle "$BUNDLE" c2
	assert_success
	cfg '.process.capabilities.bounding = ["CAP_SYS_RESOURCE"] | .process.capabilities.effective = ["CAP_SYS_RESOURCE"]'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "CAP_SYS_RESOURCE is not in the runtime's bounding set"
	cfg '.process.capabilities.effective = [] | .process.rlimits = [{type: "RLIMIT_NOFILE", soft: 1024, hard: 999999999}]'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "setting RLIMIT_NOFILE to soft 1024 hard 999999999: Operation not permitted"
	assert_equal "$(ls -A "$RT_ROOT")" ""
}

@test "sysctl is written in the container's namespaces" {
	cfg '.linux.sysctl = {"kernel.shmmni": "1234", "net.ipv4.ip_forward": "1"}'
	args /bin/sh -c 'cat /proc/sys/kernel/shmmni /proc/sys/net/ipv4/ip_forward'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "$(printf '1234\n1')"
	[ "$(cat /proc/sys/kernel/shmmni)" != 1234 ]
}

@test "no runtime fd leaks in; --preserve-fds and LISTEN_FDS pass fds 3.." {
	args /bin/probe fds
	run rt run --bundle "$BUNDLE" c1 4</dev/null 7</dev/null
	assert_success
	assert_equal "$(echo "$output" | cut -d: -f1 | tr '\n' ' ')" "fd 0 fd 1 fd 2 "
	echo data >"$BATS_TEST_TMPDIR/f"
	run rt run --preserve-fds 1 --bundle "$BUNDLE" c1 3<"$BATS_TEST_TMPDIR/f" 4</dev/null
	assert_success
	assert_equal "$(echo "$output" | cut -d: -f1 | tr '\n' ' ')" "fd 0 fd 1 fd 2 fd 3 "
	assert_output_contains "fd 3: $BATS_TEST_TMPDIR/f"
	LISTEN_FDS=2 run rt run --bundle "$BUNDLE" c1 3</dev/null 4</dev/null 5</dev/null
	assert_equal "$(echo "$output" | cut -d: -f1 | tr '\n' ' ')" "fd 0 fd 1 fd 2 fd 3 fd 4 "
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c2
	run rt exec c2 /bin/probe fds
	assert_equal "$(echo "$output" | cut -d: -f1 | tr '\n' ' ')" "fd 0 fd 1 fd 2 "
}

@test "the container cannot open the runtime's binary through /proc/PID/exe" {
	args /bin/probe sleep=100
	rtd create --bundle "$BUNDLE" c1
	assert_success
	# init is still the runtime (waiting for start)
	run rt exec c1 /bin/probe exe=1
	assert_success
	assert_output_contains "exe 1:"
	refute=$(echo "$output" | grep -c "opened for writing" || true)
	assert_equal "$refute" "0"
	run rt exec c1 /bin/sh -c 'cat /proc/1/cmdline >/dev/null && ls -l /proc/1/exe 2>&1 | grep -c runtime'
	assert_equal "$output" "0"
}

# --- terminal -------------------------------------------------------------------

@test "terminal: the pty master goes to --console-socket, consoleSize honoured" {
	sock="$BATS_TEST_TMPDIR/console.sock"
	"$BATS_TEST_DIRNAME/recv-console.py" "$sock" "$BATS_TEST_TMPDIR/tty.out" 3>&- &
	recv=$!
	for i in $(seq 1 100); do [ -e "$sock.ready" ] && break; sleep 0.05; done
	cfg '.process.terminal = true | .process.consoleSize = {height: 33, width: 111}'
	args /bin/sh -c '/bin/busybox stty size; /bin/probe fds; /bin/busybox tty'
	rtd run -d --console-socket "$sock" --bundle "$BUNDLE" c1
	assert_success
	wait "$recv"
	out=$(tr -d '\r' <"$BATS_TEST_TMPDIR/tty.out")
	[[ "$out" == *"33 111"* ]]
	[[ "$out" == *"fd 0: /dev/pts/0"* ]]
	[[ "$out" == *"/dev/pts/0"* ]]
}

@test "terminal: an interactive shell from a real tty (script(1))" {
	cfg '.process.terminal = true'
	args /bin/sh
	cmd="nsenter -t $RT_NS_PID --cgroup --mount -- $DK_BIN/runtime --root $RT_ROOT run --bundle $BUNDLE c1"
	run bash -c "printf 'echo \$((6*7))\nexit 3\n' | script -qec '$cmd' /dev/null"
	assert_failure 3
	assert_output_contains "42"
	run rt list -q
	assert_equal "$output" ""
}

# --- hooks ----------------------------------------------------------------------

hook() {
	# hook NAME: a hook that logs its name and saves the state it got
	jq -n --arg n "$1" --arg d "$BATS_TEST_TMPDIR" \
		'{path: "/bin/sh", args: ["sh", "-c", "cat >\($d)/\($n).json; echo \($n) $FOO >>\($d)/hooks.log"], env: ["FOO=bar"]}'
}

@test "hooks run in order with the state on stdin, env and args" {
	cfg '.root.readonly = false | .hooks = {
		prestart: [$pre], createRuntime: [$cr], createContainer: [$cc],
		startContainer: [{path: "/bin/sh", args: ["sh", "-c", "cat >/started.json"]}],
		poststart: [$ps], poststop: [$pst]}' \
		--argjson pre "$(hook prestart)" --argjson cr "$(hook createRuntime)" \
		--argjson cc "$(hook createContainer)" --argjson ps "$(hook poststart)" \
		--argjson pst "$(hook poststop)"
	args /bin/probe sleep=100
	rtd create --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/hooks.log" | tr '\n' ' ')" "prestart bar createRuntime bar createContainer bar "
	assert_equal "$(jq -r .id "$BATS_TEST_TMPDIR/createRuntime.json")" "c1"
	assert_equal "$(jq -r .pid "$BATS_TEST_TMPDIR/createRuntime.json")" "$(state_field c1 pid)"
	assert_equal "$(jq -r .bundle "$BATS_TEST_TMPDIR/prestart.json")" "$BUNDLE"
	rt start c1
	for i in $(seq 1 50); do [ -s "$BUNDLE/rootfs/started.json" ] && break; sleep 0.05; done
	assert_equal "$(jq -r .id "$BUNDLE/rootfs/started.json")" "c1"
	assert_equal "$(jq -r .status "$BATS_TEST_TMPDIR/poststart.json")" "running"
	rt kill c1 KILL
	wait_stopped c1
	rt delete c1
	assert_equal "$(tail -1 "$BATS_TEST_TMPDIR/hooks.log")" "poststop bar"
	assert_equal "$(jq -r .status "$BATS_TEST_TMPDIR/poststop.json")" "stopped"
}

@test "the runtime's CPU mask reaches hooks, init and exec unchanged (it steps off init's CPU meanwhile)" {
	# while init mounts, the runtime moves itself off init's CPU and then
	# takes its mask back: nothing it starts may get the narrowed one
	local want
	want=$(in_ns grep Cpus_allowed_list /proc/self/status)
	[ "$(nproc)" -ge 2 ] || skip "one CPU: the runtime never steps aside"
	cfg '.root.readonly = false | .hooks = {prestart: [$h], createRuntime: [$h]}' --argjson h "$(jq -n --arg d "$BATS_TEST_TMPDIR" \
		'{path: "/bin/sh", args: ["sh", "-c", "grep Cpus_allowed_list /proc/self/status >>\($d)/mask"]}')"
	args /bin/sh -c 'grep Cpus_allowed_list /proc/self/status >/mask.tmp; mv /mask.tmp /mask; sleep 100'
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$(sort -u "$BATS_TEST_TMPDIR/mask")" "$want"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/mask")" 2
	for i in $(seq 1 50); do [ -s "$BUNDLE/rootfs/mask" ] && break; sleep 0.05; done
	assert_equal "$(cat "$BUNDLE/rootfs/mask")" "$want"
	run rt exec c1 grep Cpus_allowed_list /proc/self/status
	assert_success
	assert_equal "$output" "$want"
	rt kill c1 KILL
	# the same where no cpuset cgroup could reset it (the cpuset
	# hierarchy hidden)
	cfg '.hooks = {} | .process.args = ["/bin/sh", "-c", "grep Cpus_allowed_list /proc/self/status"]'
	run in_ns unshare -m sh -c 'umount /sys/fs/cgroup/cpuset && exec "$@"' sh \
		"$DK_BIN/runtime" --root "$RT_ROOT" run --bundle "$BUNDLE" c2
	assert_success
	assert_equal "$output" "$want"
}

@test "a failing or timed out hook fails create, leaving nothing" {
	cfg '.hooks = {createRuntime: [{path: "/bin/false", args: ["false"]}]}'
	rtd create --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "error running createRuntime hook #0: /bin/false: exit status 1"
	cfg '.hooks = {prestart: [{path: "/bin/sleep", args: ["sleep", "10"], timeout: 1}]}'
	rtd create --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "error running prestart hook #0: /bin/sleep: timed out after 1 s"
	assert_equal "$(ls -A "$RT_ROOT")" ""
}

# --- seccomp --------------------------------------------------------------------

@test "seccomp: rules, argument comparisons, errnoRet, unknown names skipped; same in exec" {
	cfg '.root.readonly = false | .linux.seccomp = {
		defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
		syscalls: [
			{names: ["mkdir", "mkdirat", "no_such_syscall_at_all"], action: "SCMP_ACT_ERRNO", errnoRet: 122},
			{names: ["chmod"], action: "SCMP_ACT_ERRNO", args: [{index: 1, value: 511, op: "SCMP_CMP_EQ"}]},
			{names: ["fchmodat"], action: "SCMP_ACT_ERRNO", args: [{index: 2, value: 511, op: "SCMP_CMP_EQ"}]}]}'
	args /bin/sh -c 'exec 2>&1; mkdir /d; touch /f; chmod 755 /f && echo chmod755 ok; chmod 777 /f; /bin/probe seccomp nnp'
	run rt run --bundle "$BUNDLE" c1
	mine=$output
	assert_output_contains "Disk quota exceeded"
	assert_output_contains "chmod755 ok"
	assert_output_contains "Operation not permitted"
	assert_output_contains "Seccomp:	2"
	run rc run --bundle "$BUNDLE" c2
	assert_equal "$mine" "$output"
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c3
	run rt exec c3 /bin/sh -c 'mkdir /e; /bin/probe seccomp'
	assert_output_contains "Disk quota exceeded"
	assert_output_contains "Seccomp:	2"
}

@test "seccomp: SCMP_ACT_NOTIFY sends the notify fd and state to listenerPath" {
	sock="$BATS_TEST_TMPDIR/seccomp.sock"
	"$BATS_TEST_DIRNAME/seccomp-listener.py" "$sock" "$BATS_TEST_TMPDIR/notify.json" 3>&- &
	lpid=$!
	for i in $(seq 1 100); do [ -e "$sock.ready" ] && break; sleep 0.05; done
	cfg '.root.readonly = false | .linux.seccomp = {
		defaultAction: "SCMP_ACT_ALLOW", listenerPath: $s, listenerMetadata: "meta-1",
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}' --arg s "$sock"
	args /bin/sh -c 'mkdir /x'
	run rt run --bundle "$BUNDLE" c1
	wait "$lpid"
	assert_failure 1
	assert_output_contains "Function not implemented"
	n="$BATS_TEST_TMPDIR/notify.json"
	assert_equal "$(jq -r .metadata "$n")" "meta-1"
	assert_equal "$(jq -r '.fds[0]' "$n")" "seccompFd"
	assert_equal "$(jq -r .state.id "$n")" "c1"
	[ "$(jq -r .pid "$n")" -gt 0 ]
}

@test "seccomp: bad action or architecture is a clear error" {
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_BOGUS"}'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains 'unknown action "SCMP_ACT_BOGUS"'
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_VAX"]}'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains 'unknown architecture "SCMP_ARCH_VAX"'
}

# --- cgroups --------------------------------------------------------------------

@test "cgroups v1/hybrid: resources applied as runc applies them" {
	cfg '.linux.resources = {
		memory: {limit: 67108864, reservation: 33554432, swap: 134217728, disableOOMKiller: true},
		cpu: {shares: 512, quota: 50000, period: 100000, cpus: "0", mems: "0"},
		pids: {limit: 50},
		devices: [{allow: false, access: "rwm"}, {allow: true, type: "c", major: 1, minor: 3, access: "rw"}]}
		| .linux.devices = [{path: "/dev/lc", type: "c", major: 10, minor: 237}]'
	args /bin/sh -c 'cd /sys/fs/cgroup; cat memory/memory.limit_in_bytes memory/memory.soft_limit_in_bytes memory/memory.memsw.limit_in_bytes cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpuset/cpuset.cpus pids/pids.max; grep oom_kill_disable memory/memory.oom_control; cat /dev/lc 2>/dev/null || echo lc denied; echo x >/dev/null && echo null ok'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	mine=$output
	assert_equal "$(echo "$output" | head -8 | tr '\n' ' ')" "67108864 33554432 134217728 512 50000 100000 0 50 "
	assert_output_contains "oom_kill_disable 1"
	assert_output_contains "lc denied"
	assert_output_contains "null ok"
	run rc run --bundle "$BUNDLE" c2
	assert_equal "$mine" "$output"
}

@test "cgroup v2 devices: an eBPF program enforces linux.resources.devices" {
	cfg '.linux.resources.devices = [{allow: false, access: "rwm"}, {allow: true, type: "c", major: 1, minor: 3, access: "rw"}]
		| .linux.devices = [{path: "/dev/lc", type: "c", major: 10, minor: 237}]'
	args /bin/sh -c 'cat /dev/lc 2>&1; echo x >/dev/null && echo null ok'
	# hide the v1 devices hierarchy: the rules must go to cgroup2
	run in_ns unshare --mount --propagation private sh -c \
		"umount /sys/fs/cgroup/devices && exec $DK_BIN/runtime --root $RT_ROOT run --bundle $BUNDLE c1"
	assert_success
	assert_output_contains "can't open '/dev/lc': Operation not permitted"
	assert_output_contains "null ok"
}

@test "cgroupsPath relative and absolute stay below our cgroup; delete removes them" {
	args /bin/probe sleep=100
	cfg '.linux.cgroupsPath = "grp/c1"'
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	in_ns test -d /sys/fs/cgroup/pids/grp/c1
	in_ns grep -q "$(state_field c1 pid)" /sys/fs/cgroup/memory/grp/c1/cgroup.procs
	cfg '.linux.cgroupsPath = "/abs/c2"'
	rtd run -d --bundle "$BUNDLE" c2
	assert_success
	in_ns test -d /sys/fs/cgroup/unified/abs/c2
	rt delete --force c1
	rt delete --force c2
	run in_ns test -e /sys/fs/cgroup/pids/grp/c1
	assert_failure
	run in_ns test -e /sys/fs/cgroup/unified/abs/c2
	assert_failure
	# no cpus or mems: no cpuset cgroup (see the test below)
	run in_ns ls -d /sys/fs/cgroup/cpuset/grp /sys/fs/cgroup/cpuset/abs
	assert_failure
	in_ns rmdir /sys/fs/cgroup/{blkio,cpu,cpuacct,devices,freezer,memory,pids,systemd,unified}/{grp,abs}
}

@test "cgroups v1: a cpuset cgroup only for cpus or mems; update makes one later, moves every process in and shows it inside" {
	args /bin/sh -c 'sleep 100'
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	pid=$(state_field c1 pid)
	# init stays in our own cpuset cgroup: none was made for it
	run in_ns test -e /sys/fs/cgroup/cpuset/c1
	assert_failure
	assert_equal "$(in_ns cat /proc/self/cgroup | grep :cpuset:)" "$(grep :cpuset: "/proc/$pid/cgroup")"
	rtd exec -d c1 sleep 100
	assert_success
	# bad input: nothing made, the container runs on as before
	run rt update --cpuset-cpus 99 c1
	assert_failure 1
	assert_output_contains 'cpuset.cpus'
	run in_ns test -e /sys/fs/cgroup/cpuset/c1
	assert_failure
	run rt update --cpuset-cpus 0 c1
	assert_success
	procs=$(in_ns cat /sys/fs/cgroup/cpuset/c1/cgroup.procs)
	echo "$procs" | grep -qx "$pid"
	[ "$(echo "$procs" | wc -l)" -eq 2 ]
	assert_equal "$(in_ns cat /sys/fs/cgroup/cpuset/c1/cpuset.cpus)" "0"
	# the container's own view shows its new cgroup, as docker's does;
	# exec now joins it
	run rt exec c1 sh -c 'cat /sys/fs/cgroup/cpuset/cpuset.cpus; grep Cpus_allowed_list /proc/self/status'
	assert_success
	assert_equal "$(echo "$output" | head -1)" "0"
	assert_output_contains "Cpus_allowed_list:	0"
	# a second update changes it in place
	rt update --cpuset-cpus 0-1 c1
	assert_equal "$(in_ns cat /sys/fs/cgroup/cpuset/c1/cpuset.cpus)" "0-1"
	rt delete --force c1
	run in_ns test -e /sys/fs/cgroup/cpuset/c1
	assert_failure
	# a container that may make cgroups of its own (a writable cgroup
	# mount, CAP_SYS_ADMIN) gets its cpuset cgroup at create: what it
	# makes must land below its own, and go with it
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/saved.json"
	cfg '.mounts |= map(if .type == "cgroup" then .options -= ["ro"] else . end)'
	args /bin/sh -c 'mkdir /sys/fs/cgroup/cpuset/sub && sleep 100'
	rtd run -d --bundle "$BUNDLE" c3
	assert_success
	for i in $(seq 50); do in_ns test -d /sys/fs/cgroup/cpuset/c3/sub && break; sleep 0.1; done
	in_ns test -d /sys/fs/cgroup/cpuset/c3/sub
	rt delete --force c3
	run in_ns test -e /sys/fs/cgroup/cpuset/c3
	assert_failure
	cp "$BATS_TEST_TMPDIR/saved.json" "$BUNDLE/config.json"
	cfg '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	args sleep 100
	rtd run -d --bundle "$BUNDLE" c4
	assert_success
	in_ns test -d /sys/fs/cgroup/cpuset/c4
	rt delete --force c4
	cp "$BATS_TEST_TMPDIR/saved.json" "$BUNDLE/config.json"
	# cpus in the config: made at create, as before
	cfg '.linux.resources.cpu.cpus = "0"'
	args /bin/sh -c 'cat /sys/fs/cgroup/cpuset/cpuset.cpus'
	run rt run --bundle "$BUNDLE" c2
	assert_success
	assert_equal "$output" "0"
}

@test "pause, resume, ps, update, events --stats" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	pid=$(state_field c1 pid)
	run rt ps --format json c1
	assert_success
	assert_equal "$output" "[$pid]"
	rt pause c1
	assert_equal "$(state_field c1 status)" "paused"
	assert_equal "$(in_ns cat /sys/fs/cgroup/freezer/c1/freezer.state)" "FROZEN"
	run rt pause c1
	assert_failure 1
	rt resume c1
	assert_equal "$(state_field c1 status)" "running"
	rt update --memory 100000000 --pids-limit 20 c1
	assert_equal "$(in_ns cat /sys/fs/cgroup/memory/c1/memory.limit_in_bytes)" "99999744"
	assert_equal "$(in_ns cat /sys/fs/cgroup/pids/c1/pids.max)" "20"
	rt update --cpu-share 200 --cpu-quota 20000 --cpu-period 100000 c1
	assert_equal "$(in_ns cat /sys/fs/cgroup/cpu/c1/cpu.shares)" "200"
	assert_equal "$(in_ns cat /sys/fs/cgroup/cpu/c1/cpu.cfs_quota_us)" "20000"
	run rt update --memory lots c1
	assert_failure 2
	assert_output_contains '"lots" is not a number'
	echo '{"cpu": {"shares": 300}}' >"$BATS_TEST_TMPDIR/res.json"
	rt update --resources "$BATS_TEST_TMPDIR/res.json" c1
	assert_equal "$(in_ns cat /sys/fs/cgroup/cpu/c1/cpu.shares)" "300"
	run rt events --stats c1
	assert_success
	assert_equal "$(echo "$output" | jq -r .type)" "stats"
	assert_equal "$(echo "$output" | jq -r .data.pids.current)" "1"
	[ "$(echo "$output" | jq -r .data.memory.usage.usage)" -gt 0 ]
	assert_equal "$(echo "$output" | jq -r '.data.blkio.ioServiceBytesRecursive | type')" "array"
}

# wait_lines FILE N: until FILE has N lines (10 s at most).
wait_lines() {
	local i
	for i in $(seq 1 200); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# wait_gone PID: until PID exits (10 s at most); its status in $status.
wait_gone() {
	local i
	for i in $(seq 1 200); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$1" 2>/dev/null; then
		kill "$1"
		wait "$1" || true
		return 1
	fi
	status=0
	wait "$1" || status=$?
}

@test "events streams a stats record every --interval until the container stops" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	out="$BATS_TEST_TMPDIR/events"
	rt events --interval 1s c1 >"$out" 2>&1 &
	ev=$!
	wait_lines "$out" 2
	rt kill c1 KILL
	# it exits by itself once the container is gone
	wait_gone "$ev"
	assert_equal "$status" 0
	cat "$out"
	[ "$(wc -l <"$out")" -ge 2 ]
	assert_equal "$(jq -r .type "$out" | sort -u)" "stats"
	assert_equal "$(jq -r .id "$out" | sort -u)" "c1"
	assert_equal "$(head -n 1 "$out" | jq -r .data.pids.current)" "1"
	[ "$(head -n 1 "$out" | jq -r .data.memory.usage.usage)" -gt 0 ]
	# a stopped container has nothing to stream
	run rt events c1
	assert_failure 1
	assert_output_contains 'container "c1" is not running'
}

@test "events refuses an --interval that is not a positive duration" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	for bad in 0s 0 -1s bogus 5 1x ""; do
		run rt events --interval "$bad" c1
		echo "$bad: $output"
		assert_failure 2
		assert_output_contains "--interval \"$bad\" is not a positive duration"
	done
	run rt events --interval 1s --stats c1
	assert_success
	assert_equal "$(echo "$output" | jq -r .type)" "stats"
}

@test "events reports an oom record when the container exceeds its memory limit (v1-only view)" {
	rt_view_holder v1
	mkdir "$BATS_TEST_TMPDIR/go"
	cfg '.mounts += [{destination: "/go", type: "bind", source: $s, options: ["rbind"]}]' \
		--arg s "$BATS_TEST_TMPDIR/go"
	cfg '.linux.resources.memory = {limit: 16777216, swap: 16777216}'
	# waits for the go, then doubles a string until the OOM killer comes
	args sh -c 'while [ ! -e /go/go ]; do sleep 0.05; done; x=a; while :; do x=$x$x; done'
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	out="$BATS_TEST_TMPDIR/events"
	rt events --interval 200ms c1 >"$out" 2>&1 &
	ev=$!
	# the first stats record comes after the OOM watch is set up
	wait_lines "$out" 1
	touch "$BATS_TEST_TMPDIR/go/go"
	wait_gone "$ev"
	assert_equal "$status" 0
	grep -v '"type":"stats"' "$out"
	assert_equal "$(grep -c '^{"type":"oom","id":"c1"}$' "$out")" 1
	assert_equal "$(in_ns sed -n 's/^oom_kill //p' /sys/fs/cgroup/memory/c1/memory.oom_control)" 1
}

@test "--systemd-cgroup is refused clearly" {
	run rt --systemd-cgroup run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "--systemd-cgroup is not supported"
}

# --- orchestrators --------------------------------------------------------------

@test "podman: run --rm, run -d + exec + stop + rm, run -it with a terminal" {
	command -v podman >/dev/null || skip "podman is not installed (make deps)"
	pod_image
	run pod run --rm "${POD_RUN_OPTS[@]}" dkbusybox echo ok
	assert_success
	assert_equal "$output" "ok"
	run pod run -d --name p1 "${POD_RUN_OPTS[@]}" dkbusybox sleep 100
	assert_success
	run pod exec p1 sh -c 'echo in $(hostname); cat /proc/1/cmdline | tr "\0" " "'
	assert_success
	assert_output_contains "sleep 100"
	run pod stop -t 1 p1
	assert_success
	run pod rm p1
	assert_success
	cmd="nsenter -t $RT_NS_PID --cgroup --mount -- podman --root $BATS_FILE_TMPDIR/pod/root --runroot $BATS_FILE_TMPDIR/pod/runroot --storage-driver vfs --cgroup-manager cgroupfs --events-backend file --runtime $DK_BIN/runtime run -it --rm ${POD_RUN_OPTS[*]} dkbusybox sh"
	run bash -c "(sleep 2; printf 'tty; exit 4\n') | script -qec '$cmd' /dev/null"
	assert_failure 4
	assert_output_contains "/dev/pts/0"
	pod_cleanup
}

# --- rootless -------------------------------------------------------------------

@test "rootless: spec --rootless bundles run as an unprivileged user, state in XDG_RUNTIME_DIR" {
	chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$BATS_TEST_TMPDIR"
	b="$BATS_TEST_TMPDIR/rl"
	mkdir -p "$b" "$BATS_TEST_TMPDIR/xdg"
	cp -a "$RT_BASE/rootfs" "$b/rootfs"
	chown -R nobody "$b" "$BATS_TEST_TMPDIR/xdg"
	as_nobody() {
		in_ns su nobody -s /bin/sh -c "cd $b && XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/xdg $*"
	}
	run as_nobody "$DK_BIN/runtime" spec --rootless
	assert_success
	cfg_in "$b" '.process.terminal = false | .process.args = ["/bin/probe", "ids", "uidmap", "hostname"]'
	run as_nobody "$DK_BIN/runtime" run r1
	assert_success
	assert_output_contains "ids: uid=0 gid=0"
	assert_output_contains "0      65534          1"
	assert_output_contains "hostname: dk"
	cfg_in "$b" '.process.args = ["/bin/probe", "sleep=100"]'
	run as_nobody "$DK_BIN/runtime" run -d r2 '</dev/null' '>/dev/null' '2>&1'
	assert_success
	[ -f "$BATS_TEST_TMPDIR/xdg/dk-runtime/r2/state.json" ]
	run as_nobody "$DK_BIN/runtime" delete --force r2
	assert_success
	cfg_in "$b" '.linux.resources = {pids: {limit: 10}}'
	run as_nobody "$DK_BIN/runtime" run r3
	assert_failure 1
	assert_output_contains "cgroups are not delegated to this user, cannot apply pids.limit"
	# more than its own id: newuidmap's business (missing here, or no subuids)
	cfg_in "$b" 'del(.linux.resources) | .linux.uidMappings[0].size = 1000'
	run as_nobody "$DK_BIN/runtime" run r4
	assert_failure 1
	assert_output_contains "user namespace: "
	assert_output_contains "newuidmap"
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/xdg/dk-runtime")" ""
}

@test "containerd: ctr run with --runc-binary pointing at runtime" {
	command -v containerd >/dev/null || skip "containerd is not installed"
	d="$BATS_TEST_TMPDIR/ctd"
	mkdir -p "$d"
	cat >"$d/config.toml" <<-EOC
		version = 2
		root = "$d/root"
		state = "$d/state"
		[grpc]
		  address = "$d/ctd.sock"
		[ttrpc]
		  address = "$d/ctd-ttrpc.sock"
		[plugins."io.containerd.grpc.v1.cri"]
		  disable = true
	EOC
	(exec nsenter -t "$RT_NS_PID" --cgroup --mount -- containerd --config "$d/config.toml" \
		>"$d/log" 2>&1 </dev/null 3>&-) &
	ctd=$!
	for i in $(seq 1 100); do [ -S "$d/ctd.sock" ] && break; sleep 0.05; done
	ctr_() { in_ns "$(command -v ctr)" -a "$d/ctd.sock" "$@"; }
	tar -C "$(busybox_layout)" -cf "$d/bb.tar" .
	ctr_ images import --base-name docker.io/library/dkbb "$d/bb.tar"
	run ctr_ run --rm --runc-binary "$DK_BIN/runtime" docker.io/library/dkbb:latest t1 \
		sh -c 'echo ok from containerd; grep memory /proc/self/cgroup'
	# nsenter may have forked: stop the containerd that serves our config
	for p in $(pgrep -f -- "--config $d/config.toml"); do kill "$p"; done
	wait "$ctd" || true
	in_ns sh -c 'rmdir /sys/fs/cgroup/*/default 2>/dev/null; true'
	assert_success
	assert_output_contains "ok from containerd"
	assert_output_contains "memory:/default/t1"
}
