#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# runtime: what the OCI runtime-tools validation suite checks and where
# runtime failed it (issue 14), plus the lifecycle in each cgroup layout
# users have (v1-only, hybrid, v2-only), each built in the holder's
# private mount namespace (rt_view in helpers-runtime.bash).

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

# --- masks, read-only paths ----------------------------------------------------

@test "maskedPaths: nested directories and files, block, char and fifo nodes" {
	r="$BUNDLE/rootfs"
	mkdir -p "$r/md/msub"
	echo secret >"$r/md/msub/f"
	echo secret >"$r/md/mf"
	echo secret >"$r/mf"
	echo secret >"$r/md/msub/mf"
	mknod "$r/mdb" b 7 0
	mknod "$r/mdc" c 1 8
	mkfifo "$r/mdp"
	cfg '.linux.maskedPaths += ["/md", "/mf", "/md/msub", "/md/mf", "/md/msub/mf", "/mdb", "/mdc", "/mdp"]'
	args sh -c 'ls -A /md; cat /mf; head -c1 /mdc | wc -c; stat -c "%n %F %t:%T" /mdb /mdc /mdp'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "0
/mdb character special file 1:3
/mdc character special file 1:3
/mdp character special file 1:3"
}

@test "readonlyPaths: nested directories and files, device nodes" {
	r="$BUNDLE/rootfs"
	mkdir -p "$r/rd/rsub"
	echo data >"$r/rd/rf"
	echo data >"$r/rf"
	mknod "$r/rdb" b 7 0
	mknod "$r/rdc" c 1 3
	mkfifo "$r/rdp"
	cfg '.linux.readonlyPaths += ["/rd", "/rd/rsub", "/rf", "/rd/rf", "/rdb", "/rdc", "/rdp"]'
	args sh -c 'cat /rf; touch /rd/rsub/x 2>&1; echo a 2>&1 >/rf; echo a >/rdc && echo devwrite ok; grep -c " ro[, ]" /proc/self/mountinfo >/dev/null; for p in /rd /rd/rsub /rf /rdb /rdc /rdp; do grep -q " $p ro," /proc/self/mountinfo && echo "$p ro"; done'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_output_contains "data"
	assert_output_contains "touch: /rd/rsub/x: Read-only file system"
	assert_output_contains "can't create /rf: Read-only file system"
	assert_output_contains "devwrite ok"
	for p in /rd /rd/rsub /rf /rdb /rdc /rdp; do
		assert_output_contains "$p ro"
	done
}

# --- kill ----------------------------------------------------------------------

@test "kill KILL stops a created and a running container; a stopped one is refused" {
	args /bin/true
	rtd create --bundle "$BUNDLE" k1
	assert_success
	assert_equal "$(state_field k1 status)" "created"
	rt kill k1 KILL
	wait_stopped k1
	rt delete k1
	rtd create --bundle "$BUNDLE" k1
	rt start k1
	wait_stopped k1
	run rt kill k1 KILL
	assert_failure
	rt delete k1
	args /bin/probe sleep=30
	rtd create --bundle "$BUNDLE" k2
	rt start k2
	assert_equal "$(state_field k2 status)" "running"
	rt kill k2 KILL
	wait_stopped k2
	run rt delete k2
	assert_success
	run rt state k2
	assert_failure
}

# --- hostname --------------------------------------------------------------------

@test "hostname: empty keeps the UTS namespace's copy (as runc); set one is used" {
	cfg '.hostname = ""'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "hostname: $(hostname)"
	run rc run --bundle "$BUNDLE" c1
	assert_equal "$output" "hostname: $(hostname)"
	cfg '.hostname = "hostname-specific"'
	run rt run --bundle "$BUNDLE" c1
	assert_equal "$output" "hostname: hostname-specific"
}

@test "hostname without a UTS namespace is refused (it would rename the host)" {
	cfg '.hostname = "notthehost" | .linux.namespaces |= map(select(.type != "uts"))'
	# in a UTS namespace of the test's own, so that a failing runtime
	# renames only that one; the runtime's own is the one it must keep
	run unshare --uts sh -c 'hostname before-run &&
		nsenter -t "$1" --cgroup --mount -- "$2" --root "$3" run --bundle "$4" c1;
		echo "rc=$? name=$(hostname)"' sh "$RT_NS_PID" "$DK_BIN/runtime" "$RT_ROOT" "$BUNDLE"
	assert_output_contains "need a private UTS namespace"
	assert_output_contains "rc=1 name=before-run"
}

# --- hooks -----------------------------------------------------------------------

@test "hooks: prestart reads state created, createRuntime creating" {
	out="$BATS_TEST_TMPDIR/hooks"
	mkdir -p "$out"
	cfg '.hooks = {prestart: [{path: "/bin/sh", args: ["sh", "-c", "cat >\($d)/prestart"]}],
		createRuntime: [{path: "/bin/sh", args: ["sh", "-c", "cat >\($d)/createRuntime"]}]}' \
		--arg d "$out"
	args /bin/true
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$(jq -r .status "$out/prestart")" "created"
	assert_equal "$(jq -r .status "$out/createRuntime")" "creating"
	assert_equal "$(jq -r .id "$out/prestart")" "c1"
}

# --- no mount namespace ------------------------------------------------------------

@test "no mount namespace: runs chrooted (run and exec); mounts are refused clearly" {
	echo inroot >"$BUNDLE/rootfs/marker"
	cfg '.linux.namespaces |= map(select(.type != "mount")) | .mounts = [] |
		.linux.maskedPaths = [] | .linux.readonlyPaths = [] | .root.readonly = false'
	args /bin/probe cat=/marker
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "inroot"
	args /bin/probe sleep=30
	rtd run -d --bundle "$BUNDLE" c2
	assert_success
	run rt exec c2 /bin/cat /marker
	assert_success
	assert_equal "$output" "inroot"
	rt kill c2 KILL
	wait_stopped c2
	rt delete c2
	# our root too: the cgroup mounts it lists are ours, and update's
	# first cpuset cgroup for it leaves them alone
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/saved.json"
	cfg '.root.path = "/"'
	args sleep 30
	rtd run -d --bundle "$BUNDLE" c4
	assert_success
	before=$(in_ns grep -c cpuset /proc/self/mountinfo)
	rt update --cpuset-cpus 0 c4
	assert_equal "$(in_ns cat /sys/fs/cgroup/cpuset/c4/cpuset.cpus)" "0"
	assert_equal "$(in_ns grep -c cpuset /proc/self/mountinfo)" "$before"
	rt delete --force c4
	cp "$BATS_TEST_TMPDIR/saved.json" "$BUNDLE/config.json"
	cfg '.mounts = [{destination: "/proc", type: "proc", source: "proc"}]'
	run rt run --bundle "$BUNDLE" c3
	assert_failure 1
	assert_output_contains "mounts: needs a mount namespace"
}

# --- rootfsPropagation, root "." -----------------------------------------------------

@test "rootfsPropagation unbindable and shared with the rootfs given as \".\"" {
	b="$BATS_TEST_TMPDIR/dot"
	mkdir -p "$b"
	cp -a "$BUNDLE/rootfs/." "$b/"
	cp "$BUNDLE/config.json" "$b/config.json"
	cfg_in "$b" '.root.path = "." | .linux.rootfsPropagation = "unbindable" | .process.args = ["/bin/probe", "mounts"]'
	run rt run --bundle "$b" c1
	assert_success
	echo "$output" | grep -E '^[0-9]+ [0-9]+ [0-9:]+ [^ ]+ / .* unbindable '
	cfg_in "$b" '.linux.rootfsPropagation = "shared"'
	run rt run --bundle "$b" c1
	assert_success
	echo "$output" | grep -E '^[0-9]+ [0-9]+ [0-9:]+ [^ ]+ / .* shared:[0-9]+ '
}

# --- rlimits -------------------------------------------------------------------------

@test "rlimits: soft and hard RLIMIT_NOFILE as configured (3000/4000)" {
	cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 3000, hard: 4000}]'
	args sh -c 'echo $(ulimit -Sn) $(ulimit -Hn)'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "3000 4000"
}

# --- cgroup layouts ---------------------------------------------------------------

# view_lifecycle VIEW: create, ps, pause/resume, update, events --stats,
# kill, delete in the cgroup layout VIEW.
view_lifecycle() {
	rt_view_holder "$1"
	args sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; exec sleep 100'
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	pid=$(state_field c1 pid)
	run rt ps --format json c1
	assert_success
	assert_equal "$output" "[$pid]"
	rt pause c1
	assert_equal "$(state_field c1 status)" "paused"
	rt resume c1
	assert_equal "$(state_field c1 status)" "running"
	if [ "$1" != v2 ]; then
		rt update --memory 100000000 --pids-limit 20 c1
		assert_equal "$(in_ns cat /sys/fs/cgroup/memory/c1/memory.limit_in_bytes)" "99999744"
		assert_equal "$(in_ns cat /sys/fs/cgroup/pids/c1/pids.max)" "20"
		# no cpuset cgroup until cpus are set; then init moves in
		run in_ns test -e /sys/fs/cgroup/cpuset/c1
		assert_failure
		rt update --cpuset-cpus 0 c1
		assert_equal "$(in_ns cat /sys/fs/cgroup/cpuset/c1/cgroup.procs)" "$pid"
		assert_equal "$(in_ns cat /sys/fs/cgroup/cpuset/c1/cpuset.cpus)" "0"
	else
		# this kernel binds memory and pids to v1: cgroup2 cannot take them
		run rt update --memory 100000000 c1
		assert_failure
		assert_output_contains "the memory controller is not available"
	fi
	sleep 1
	run rt events --stats c1
	assert_success
	assert_equal "$(echo "$output" | jq -r .type)" "stats"
	[ "$(echo "$output" | jq -r .data.cpu.usage.total)" -gt 0 ]
	rt kill c1 KILL
	wait_stopped c1
	rt delete c1
	run in_ns sh -c 'ls -d /sys/fs/cgroup/*/c1 /sys/fs/cgroup/c1 2>/dev/null'
	assert_equal "$output" ""
}

@test "cgroup view v1-only (cgroup2 listed but over-mounted): lifecycle, ps, pause, update, events" {
	view_lifecycle v1
}

@test "cgroup view hybrid: lifecycle, ps, pause, update, events" {
	view_lifecycle hybrid
}

@test "cgroup view v2-only: lifecycle, ps, pause, update, events (usage_usec)" {
	view_lifecycle v2
}

@test "the views left the file's holder alone: containers work in the host's view" {
	run in_ns test -d /sys/fs/cgroup/unified
	assert_success
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "hostname: dk"
}

# --- settings not implemented: refused by name, never ignored ---------------------

@test "intelRdt, memoryPolicy, netDevices, execCPUAffinity: clear 'not supported', no state" {
	for f in '.linux.intelRdt = {closID: "x"}' \
		'.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "0"}' \
		'.linux.netDevices = {eth9: {}}' \
		'.process.execCPUAffinity = {initial: "0"}'; do
		cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/saved.json"
		cfg "$f"
		run rt run --bundle "$BUNDLE" c1
		assert_failure 1
		assert_output_contains "not supported by this runtime"
		run rt list -q
		assert_equal "$output" ""
		cp "$BATS_TEST_TMPDIR/saved.json" "$BUNDLE/config.json"
	done
	run rt features
	assert_success
	assert_equal "$(echo "$output" | jq -r '.linux.intelRdt.enabled // "absent"')" "absent"
	assert_equal "$(echo "$output" | jq -r '[.mountOptions[] | select(. == "rro" or . == "rnosymfollow")] | length')" "2"
}

# --- personality, ioPriority, scheduler ------------------------------------------
# runc 1.1.5 (Debian 12) predates these settings and ignores them silently,
# crun 1.8.1 implements personality only; the tests check what the
# container sees against the spec, and against crun where it has the
# setting.

# cr ARGS...: crun in the holder's namespaces with the cgroup2 mount hidden
# (crun 1.8 refuses hybrid hosts), in a mount namespace of its own.
cr() {
	in_ns unshare -m --propagation private sh -c \
		'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun --root "$0" "$@"' \
		"$BATS_TEST_TMPDIR/crun-state" "$@"
}

@test "personality LINUX32: uname -m and /proc/self/personality inside; LINUX unchanged" {
	args sh -c 'uname -m; cat /proc/self/personality'
	cfg '.linux.personality = {domain: "LINUX32"}'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "i686
00000008"
	run cr run --bundle "$BUNDLE" c1
	assert_equal "$output" "i686
00000008"
	# exec enters with the container's personality as well
	args sleep 30
	rtd run -d --bundle "$BUNDLE" p1
	assert_success
	run rt exec p1 uname -m
	assert_equal "$output" "i686"
	rt delete --force p1
	args uname -m
	cfg '.linux.personality = {domain: "LINUX"}'
	run rt run --bundle "$BUNDLE" c1
	assert_equal "$output" "$(uname -m)"
}

@test "personality: unknown domain and flags refused by name, no state" {
	cfg '.linux.personality = {domain: "LINUX64"}'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains 'linux.personality: unknown domain "LINUX64"'
	cfg '.linux.personality = {domain: "LINUX32", flags: ["ADDR_NO_RANDOMIZE"]}'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "linux.personality: flags are not supported"
	run rt list -q
	assert_equal "$output" ""
}

@test "ioPriority: each class and level seen by ionice inside, for run and exec" {
	for c in "RT 3:realtime: prio 3" "BE 6:best-effort: prio 6" "IDLE 0:idle"; do
		cls=${c%% *} rest=${c#* } lvl=${rest%%:*} want=${rest#*:}
		cfg '.process.ioPriority = {class: ("IOPRIO_CLASS_" + $c), priority: ($l | tonumber)}' \
			--arg c "$cls" --arg l "$lvl"
		args busybox ionice
		run rt run --bundle "$BUNDLE" c1
		assert_success
		assert_equal "$output" "$want"
	done
	args sleep 30
	rtd run -d --bundle "$BUNDLE" i1
	assert_success
	jq '.process | .args = ["busybox", "ionice"] | .ioPriority = {class: "IOPRIO_CLASS_BE", priority: 2}' \
		"$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/p.json"
	run rt exec --process "$BATS_TEST_TMPDIR/p.json" i1
	assert_success
	assert_equal "$output" "best-effort: prio 2"
	rt delete --force i1
}

@test "ioPriority: unknown class and level out of range refused, no state" {
	cfg '.process.ioPriority = {class: "IOPRIO_CLASS_FAST", priority: 0}'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains 'ioPriority: unknown class "IOPRIO_CLASS_FAST"'
	cfg '.process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 8}'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "ioPriority: priority 8 is outside 0..7"
	run rt list -q
	assert_equal "$output" ""
}

@test "scheduler: BATCH with nice, IDLE with a flag seen in /proc/self/sched; DEADLINE via chrt" {
	args sh -c 'grep -E "^(policy|prio) " /proc/self/sched | tr -s " " | cut -d" " -f1,3'
	cfg '.process.scheduler = {policy: "SCHED_BATCH", nice: 5}'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "policy 3
prio 125"
	cfg '.process.scheduler = {policy: "SCHED_IDLE", flags: ["SCHED_FLAG_RESET_ON_FORK"]}'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_output_contains "policy 5"
	args sleep 30
	cfg '.process.scheduler = {policy: "SCHED_DEADLINE", runtime: 42000, deadline: 1000000, period: 1000000}'
	rtd run -d --bundle "$BUNDLE" s1
	assert_success
	run chrt -p "$(state_field s1 pid)"
	assert_output_contains "SCHED_DEADLINE"
	assert_output_contains "42000/1000000/1000000"
	rt delete --force s1
}

@test "scheduler: unknown policy, unknown flag, bad nice and priority refused, no state" {
	for c in 'SCHED_FAST|scheduler: unknown policy "SCHED_FAST"' \
		'SCHED_OTHER|scheduler: nice 40 is outside -20..19|40' \
		'SCHED_FIFO|scheduler: SCHED_FIFO needs a priority between 1 and 99' \
		'SCHED_OTHER|scheduler: unknown flag "SCHED_FLAG_FAST"|0|SCHED_FLAG_FAST'; do
		IFS='|' read -r pol msg nice flag <<<"$c"
		cfg '.process.scheduler = {policy: $p, nice: ($n | tonumber), flags: (if $f == "" then [] else [$f] end)}' \
			--arg p "$pol" --arg n "${nice:-0}" --arg f "${flag:-}"
		run rt run --bundle "$BUNDLE" c1
		assert_failure 1
		assert_output_contains "$msg"
	done
	run rt list -q
	assert_equal "$output" ""
}

# --- recursive mount options (mount_setattr) ---------------------------------------

@test "rro, rnosuid, rnoexec: applied to a bind mount and the mounts below it (mountinfo)" {
	src="$BATS_TEST_TMPDIR/rsrc"
	mkdir -p "$src/sub"
	echo x >"$src/f"
	# a submount below the source, inside the holder's mount namespace
	in_ns mount -t tmpfs tmpfs "$src/sub"
	cfg '.mounts += [{destination: "/mnt", type: "bind", source: $s, options: ["rbind", "rro", "rnosuid", "rnoexec"]}]' --arg s "$src"
	args sh -c 'grep -E " /mnt(/sub)? " /proc/self/mountinfo | cut -d" " -f5,6; touch /mnt/sub/y 2>&1; touch /mnt/g 2>&1; true'
	run rt run --bundle "$BUNDLE" c1
	in_ns umount "$src/sub"
	assert_success
	assert_output_contains "/mnt ro,nosuid,noexec"
	assert_output_contains "/mnt/sub ro,nosuid,noexec"
	assert_output_contains "touch: /mnt/sub/y: Read-only file system"
	assert_output_contains "touch: /mnt/g: Read-only file system"
	in_ns mount -t tmpfs tmpfs "$src/sub"
	run cr run --bundle "$BUNDLE" c1
	in_ns umount "$src/sub"
	assert_output_contains "/mnt/sub ro,nosuid,noexec"
	# plain ro leaves the submount writable: the difference rro makes
	cfg '.mounts[-1].options = ["rbind", "ro"]'
	args sh -c 'touch /mnt/sub/y && echo sub writable'
	in_ns mount -t tmpfs tmpfs "$src/sub"
	run rt run --bundle "$BUNDLE" c1
	in_ns umount "$src/sub"
	assert_output_contains "sub writable"
}

@test "recursive atime options: rnoatime then rstrictatime, the last one wins" {
	src="$BATS_TEST_TMPDIR/asrc"
	mkdir -p "$src"
	cfg '.mounts += [{destination: "/mnt", type: "bind", source: $s, options: ["rbind", "rnoatime"]}]' --arg s "$src"
	args sh -c 'grep " /mnt " /proc/self/mountinfo | cut -d" " -f6'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_output_contains "noatime"
	cfg '.mounts[-1].options = ["rbind", "rnoatime", "rstrictatime"]'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$(echo "$output" | grep -c atime)" "0"
}

# --- idmapped mounts (open_tree + mount_setattr MOUNT_ATTR_IDMAP) ------------------

@test "idmapped bind mount: owners seen through the mount's maps (stat inside), writes land unmapped" {
	src="$BATS_TEST_TMPDIR/isrc"
	mkdir -p "$src"
	echo hi >"$src/f"
	chown 0:0 "$src/f"
	echo x >"$src/g"
	chown 5:5 "$src/g"
	chmod 777 "$src"
	cfg '.mounts += [{destination: "/mnt", type: "bind", source: $s, options: ["rbind", "idmap"],
		uidMappings: [{containerID: 0, hostID: 1000, size: 1}],
		gidMappings: [{containerID: 0, hostID: 2000, size: 1}]}]' --arg s "$src"
	args sh -c 'stat -c "%n %u %g" /mnt/f /mnt/g; cat /mnt/f; grep " /mnt " /proc/self/mountinfo | grep -c idmapped'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "/mnt/f 1000 2000
/mnt/g 65534 65534
hi
1"
	run cr run --bundle "$BUNDLE" c1
	assert_output_contains "/mnt/f 1000 2000
/mnt/g 65534 65534"
	# the source itself is unchanged
	assert_equal "$(stat -c "%u %g" "$src/f")" "0 0"
	# a file made as uid 1000 inside (through the map) is owned by 0 on disk
	cfg '.process.user = {uid: 1000, gid: 2000}'
	args sh -c 'echo new >/mnt/h'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$(stat -c "%u %g" "$src/h")" "0 0"
}

@test "idmapped mounts: without both maps, or not a bind mount, refused by name" {
	cfg '.mounts += [{destination: "/mnt", type: "bind", source: "/tmp", options: ["rbind", "idmap"]}]'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "an idmapped mount needs uidMappings and gidMappings"
	cfg '.mounts[-1] = {destination: "/mnt", type: "tmpfs", source: "tmpfs",
		uidMappings: [{containerID: 0, hostID: 1000, size: 1}],
		gidMappings: [{containerID: 0, hostID: 1000, size: 1}]}'
	run rt run --bundle "$BUNDLE" c1
	assert_failure 1
	assert_output_contains "only bind mounts can be idmapped"
	run rt list -q
	assert_equal "$output" ""
	run rt features
	assert_equal "$(echo "$output" | jq -r '.linux.mountExtensions.idmap.enabled')" "true"
}

@test "idmapped bind mount in a container with its own user namespace: host files keep their owners inside" {
	src="$BATS_TEST_TMPDIR/usrc"
	mkdir -p "$src"
	echo hi >"$src/f"
	echo x >"$src/g"
	chown 5:5 "$src/g"
	chown -R 100000:100000 "$BUNDLE/rootfs"
	chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$BATS_TEST_TMPDIR" "$BUNDLE"
	m='[{containerID: 0, hostID: 100000, size: 65536}]'
	cfg ".linux.namespaces += [{type: \"user\"}] | .linux.uidMappings = $m | .linux.gidMappings = $m
		| .mounts |= map(select(.type != \"sysfs\" and .type != \"cgroup\"))
		| .mounts += [{destination: \"/mnt\", type: \"bind\", source: \$s, options: [\"rbind\"],
			uidMappings: $m, gidMappings: $m}]" --arg s "$src"
	args sh -c 'stat -c "%n %u %g" /mnt/f /mnt/g; cat /mnt/f'
	run rt run --bundle "$BUNDLE" c1
	assert_success
	assert_equal "$output" "/mnt/f 0 0
/mnt/g 5 5
hi"
}

# --- update: the device program is replaced, not stacked ---------------------------

# bpf_progs DIR: the ids of the device programs attached to the cgroup2
# DIR, one line (BPF_PROG_QUERY through python's ctypes; no bpftool here).
bpf_progs() {
	in_ns python3 -c '
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
ids = (ctypes.c_uint32 * 64)()
attr = ctypes.create_string_buffer(struct.pack("IIIIQI", fd, 6, 0, 0, ctypes.addressof(ids), 64), 120)
if libc.syscall(321, 16, attr, 120) < 0:
    sys.exit("BPF_PROG_QUERY: " + os.strerror(ctypes.get_errno()))
print(" ".join(str(ids[i]) for i in range(struct.unpack_from("I", attr, 24)[0])))' "$1"
}

@test "update in the v2-only view replaces the device eBPF program instead of adding one" {
	rt_view_holder v2
	args sleep 100
	rtd run -d --bundle "$BUNDLE" c1
	assert_success
	first=$(bpf_progs /sys/fs/cgroup/c1)
	[ -n "$first" ] && [ "${first#* }" = "$first" ]
	echo '{"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]}' >"$BATS_TEST_TMPDIR/r.json"
	for i in 1 2 3; do
		rt update -r "$BATS_TEST_TMPDIR/r.json" c1
	done
	now=$(bpf_progs /sys/fs/cgroup/c1)
	# one program, a new one
	[ -n "$now" ] && [ "${now#* }" = "$now" ]
	[ "$now" != "$first" ]
	run rt exec c1 sh -c 'echo x >/dev/null && echo null ok'
	assert_output_contains "null ok"
	rt delete --force c1
}
