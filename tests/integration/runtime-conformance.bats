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

@test "intelRdt, personality, ioPriority, scheduler, idmapped and rro mounts: clear 'not supported', no state" {
	for f in '.linux.intelRdt = {closID: "x"}' \
		'.linux.personality = {domain: "LINUX32"}' \
		'.process.ioPriority = {class: "IOPRIO_CLASS_IDLE", priority: 0}' \
		'.process.scheduler = {policy: "SCHED_BATCH"}' \
		'.mounts += [{destination: "/mnt", type: "bind", source: "/tmp", options: ["rbind", "rro"]}]' \
		'.mounts += [{destination: "/mnt", type: "bind", source: "/tmp", options: ["rbind"], uidMappings: [{containerID: 0, hostID: 100000, size: 65536}], gidMappings: [{containerID: 0, hostID: 100000, size: 65536}]}]'; do
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
	assert_equal "$(echo "$output" | jq -r '.linux.mountExtensions.idmap.enabled // "absent"')" "absent"
	assert_equal "$(echo "$output" | jq -r '[.mountOptions[] | select(. == "rro" or . == "idmap")] | length')" "0"
}
