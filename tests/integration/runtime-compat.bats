#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# runtime-compat: what runc's own integration tests expect of a runtime
# with runc's command line (output formats, exit codes, option forms,
# behaviour), each checked on our runtime, with runc alongside where it
# helps. Same harness as runtime.bats (helpers-runtime.bash).

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
}

@test "kill 0 probes, kill on a stopped one fails, --all does not; delete -f of none" {
	run -0 rt delete --force nosuch
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	run -0 rt kill c1 0
	rt kill c1 KILL && wait_stopped c1
	run -1 rt kill c1 0
	assert_output_contains "container not running"
	run -0 rt kill --all c1 KILL
}

@test "list is sorted by id; an empty JSON list is null" {
	assert_equal "$(rt list --format json)" "null"
	args /bin/probe sleep=100
	for id in b2 a3 c1; do rtd create --bundle "$BUNDLE" "$id"; done
	assert_equal "$(rt list -q | tr '\n' ,)" "a3,b2,c1,"
	assert_equal "$(rt list --format json | jq -r '[.[].id] | join(",")')" "a3,b2,c1"
}

@test "ps shows ps -ef lines of the container, ps options after the id" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	pid=$(state_field c1 pid)
	run -0 rt ps c1
	[[ "${lines[0]}" =~ UID\ +PID\ +PPID\ +C\ +STIME\ +TTY\ +TIME\ +CMD ]]
	assert_equal "$(echo "${lines[1]}" | awk '{print $2}')" "$pid"
	assert_equal "${#lines[@]}" 2
	run rt ps c1 -e -o pid,comm
	assert_equal "$(echo "${lines[1]}" | awk '{print $1, $2}')" "$pid probe"
}

@test "--pid-file is relative to the caller's directory, not the bundle" {
	args /bin/probe sleep=100
	mkdir "$BATS_TEST_TMPDIR/here" && cd "$BATS_TEST_TMPDIR/here"
	nsenter -t "$RT_NS_PID" --cgroup --mount --wd="$PWD" "$DK_BIN/runtime" --root "$RT_ROOT" \
		create --bundle "$BUNDLE" --pid-file pid.txt c1 </dev/null >/dev/null 2>&1 3>&-
	assert_equal "$(cat "$BATS_TEST_TMPDIR/here/pid.txt")" "$(state_field c1 pid)"
	[ ! -e "$BUNDLE/pid.txt" ]
}

@test "run --keep leaves the stopped container and its cgroup" {
	args /bin/probe exit=0
	run -0 rt run --keep --bundle "$BUNDLE" c1
	assert_equal "$(state_field c1 status)" "stopped"
	in_ns test -d /sys/fs/cgroup/pids/c1
	rt delete c1
	run ! in_ns test -d /sys/fs/cgroup/pids/c1
}

@test "exec --cap, --additional-gids; exec's own failures exit 255" {
	args /bin/probe sleep=100
	cfg '.process.capabilities = {}'
	rtd run -d --bundle "$BUNDLE" c1
	run rt exec --cap CAP_KILL --cap CAP_AUDIT_WRITE c1 /bin/probe caps
	assert_output_contains "CapBnd:	0000000020000020"
	assert_output_contains "CapEff:	0000000020000020"
	run rt exec --user 1000:1000 --additional-gids 100 --additional-gids 65534 c1 /bin/probe ids
	assert_output_contains "uid=1000 gid=1000 euid=1000 groups=100,65534"
	run -255 rt exec nosuch /bin/true
	run rt exec --pid-file /nonexistent/dir/pid c1 /bin/true
	assert_failure 255
}

@test "a terminal belongs to the process's user; it does not turn \\n into \\r\\n" {
	cfg '.process.terminal = true | .process.user = {uid: 1000, gid: 1000}'
	args /bin/sh -c 'stat -Lc %u:%g /proc/self/fd/0'
	run -0 rt run --bundle "$BUNDLE" c1
	assert_equal "$output" "1000:5"
}

@test "env: the last of a repeated variable wins; empty HOME comes from /etc/passwd" {
	echo 'u2:x:2000:2000::/home/u2:/bin/sh' >>"$BUNDLE/rootfs/etc/passwd"
	cfg '.process.env = ["A=1", "HOME=", "A=2"]'
	args /bin/probe env
	run rt run --bundle "$BUNDLE" c1
	assert_equal "$(echo "$output" | grep -c 'A=')" 1
	assert_output_contains "env: A=2"
	assert_output_contains "env: HOME=/root"
	cfg '.process.user = {uid: 2000, gid: 2000}'
	run rt run --bundle "$BUNDLE" c1
	assert_output_contains "env: HOME=/home/u2"
}

@test "cwd is entered before the uid switch (and after, if only the user may)" {
	mkdir -m 700 "$BUNDLE/rootfs/priv"
	chown 42 "$BUNDLE/rootfs/priv"
	cfg '.process.cwd = "/priv" | .process.user = {uid: 42, gid: 42}'
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	run -0 rt exec --user 0 c1 /bin/probe cwd
	assert_output_contains "cwd: /priv"
}

@test "a failed poststart hook fails run; hook errors name the hook" {
	args /bin/probe sleep=100
	cfg '.hooks = {poststart: [{path: "/bin/true"}, {path: "/bin/false"}]}'
	run rt run --bundle "$BUNDLE" c1
	assert_failure
	assert_output_contains "error running poststart hook #1: /bin/false: exit status 1"
	assert_equal "$(rt list -q)" ""
}

@test "a namespace listed twice the same way counts once" {
	cfg '.linux.namespaces += [{type: "uts"}] | .hostname = "h2"'
	run -0 rt run --bundle "$BUNDLE" c1
	assert_equal "$output" "hostname: h2"
	cfg '.linux.namespaces += [{type: "uts", path: "/proc/1/ns/uts"}]'
	run -1 rt run --bundle "$BUNDLE" c1
	assert_output_contains '"uts" given twice'
}

@test "mounts: no proc via a symlink; rootfs-prefixed destinations; ro /dev; tmpfs mode" {
	rmdir "$BUNDLE/rootfs/proc" && mkdir "$BUNDLE/rootfs/bad" && ln -s /bad "$BUNDLE/rootfs/proc"
	run -1 rt run --bundle "$BUNDLE" c1
	assert_output_contains "must be mounted on ordinary directory"
	rm "$BUNDLE/rootfs/proc" && mkdir "$BUNDLE/rootfs/proc" && mkdir -m 0710 "$BUNDLE/rootfs/t"
	cfg '.mounts += [{destination: ($r + "/m"), type: "tmpfs", source: "tmpfs"},
		{destination: "/t", type: "tmpfs", source: "tmpfs"}]
		| .mounts |= map(if .destination == "/dev" then .options += ["ro"] else . end)' \
		--arg r "$BUNDLE/rootfs"
	args /bin/sh -c 'grep -E " /(m|dev) " /proc/mounts | cut -d" " -f2,4 | cut -d, -f1; stat -c %a /t'
	run -0 rt run --bundle "$BUNDLE" c1
	assert_equal "$output" "$(printf '/dev ro\n/m rw\n710')"
}

@test "unified resources on a v1 controller are an invalid configuration" {
	cfg '.linux.resources.unified = {"memory.min": "131072"}'
	run -1 rt run --bundle "$BUNDLE" c1
	assert_output_contains "invalid configuration"
}

@test "--no-pivot leaves no host proc for a fresh proc mount in a new user namespace" {
	args /bin/probe mountproc
	run -0 rt run --bundle "$BUNDLE" c1
	assert_equal "$output" "mountproc: Operation not permitted"
	run -0 rt run --no-pivot --bundle "$BUNDLE" c1
	assert_equal "$output" "mountproc: Operation not permitted"
}

@test "exec --cgroup joins a sub-cgroup; .. and unknown controllers are refused" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	in_ns mkdir /sys/fs/cgroup/memory/c1/sub
	run -0 rt exec --cgroup memory:sub c1 /bin/probe cgroup
	assert_output_contains ":memory:/sub"
	run -255 rt exec --cgroup .. c1 /bin/true
	run -255 rt exec --cgroup nope:/ c1 /bin/true
	assert_output_contains 'unknown controller "nope"'
}

@test "update takes runc's flags and sizes; memory above the old swap limit is raised in order" {
	args /bin/probe sleep=100
	cfg '.linux.resources.memory = {limit: 33554432, swap: 33554432}'
	rtd run -d --bundle "$BUNDLE" c1
	run -0 rt update --memory 60M --memory-swap 80M --cpuset-cpus 0 --pids-limit 7 c1
	run -0 in_ns sh -c 'cd /sys/fs/cgroup; cat memory/c1/memory.limit_in_bytes \
		memory/c1/memory.memsw.limit_in_bytes cpuset/c1/cpuset.cpus pids/c1/pids.max'
	assert_equal "$(echo $output)" "62914560 83886080 0 7"
	run -0 rt update --memory -1 c1
	assert_equal "$(in_ns cat /sys/fs/cgroup/memory/c1/memory.memsw.limit_in_bytes)" \
		"$(in_ns cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes)"
	run -2 rt update --memory 5X c1
	assert_output_contains '--memory: "5X" is not a number (or a size such as 64M)'
}

@test "delete removes cgroups made below the container's, as runc" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" c1
	in_ns mkdir -p /sys/fs/cgroup/memory/c1/a/b /sys/fs/cgroup/pids/c1/x
	run -0 rt delete --force c1
	run ! in_ns test -d /sys/fs/cgroup/memory/c1
	run ! in_ns test -d /sys/fs/cgroup/pids/c1
}

@test "a new user namespace binds sources only the host's root may enter, as runc" {
	cfg '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}]
		| .mounts += [{source: "priv/dir", destination: "/m", options: ["bind"]}]'
	chown -R 100000:200000 "$BUNDLE/rootfs"
	chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$BATS_TEST_TMPDIR" "$BUNDLE"
	mkdir -p "$BUNDLE/priv/dir" && touch "$BUNDLE/priv/dir/f" && chmod 700 "$BUNDLE/priv"
	args /bin/sh -c 'ls /m'
	run -0 rt run --bundle "$BUNDLE" c1
	assert_equal "$output" "f"
	run -0 rc run --bundle "$BUNDLE" c2
	assert_equal "$output" "f"
}
