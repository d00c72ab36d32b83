#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# runtime-security: each test performs an attack from a container or an
# image on the host (the runc/crun vulnerability classes listed in
# docs/SECURITY.md) and checks that it fails. Attacks that could damage the
# runtime's binary run against a copy of it.

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
	ID=sec$$
}

teardown() {
	rt_teardown
}

# attack_bin NAME: tests/attack/NAME.c built static, without libc (it may
# run as an ELF interpreter, before anything is set up).
attack_bin() {
	local out="$DK_BUILD/attack/$1" src="$DK_TOP/tests/attack/$1.c"
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		mkdir -p "$(dirname "$out")" || return 1
		cc -static -nostdlib -fno-pie -no-pie -fno-stack-protector -O2 \
			-o "$out.tmp" "$src" && mv "$out.tmp" "$out" || return 1
	fi
	echo "$out"
}

# exe_attack_bundle: the test's bundle becomes an image carrying the
# CVE-2019-5736 attack: an ELF interpreter that keeps /proc/self/exe open
# and an entry point "#!/proc/self/exe" that makes the kernel run the
# runtime's binary with it.
exe_attack_bundle() {
	local interp
	interp=$(attack_bin exe-interp) || return 1
	mkdir -p "$BUNDLE/rootfs/lib64" &&
		cp "$interp" "$BUNDLE/rootfs/lib64/ld-linux-x86-64.so.2" &&
		printf '#!/proc/self/exe\n' >"$BUNDLE/rootfs/entry" &&
		chmod 755 "$BUNDLE/rootfs/entry"
}

# exe_attack_held OUT: the interpreter attack, whose output is in OUT, was
# held. A runtime with an ELF interpreter gives the image's interpreter
# control: it must have found the exe unwritable. A static runtime never
# runs the image's code with its exe: it ran as itself and refused
# "/entry" as a command (the /proc/PID/exe test below attacks that case).
exe_attack_held() {
	if readelf -l "$DK_BIN/runtime" | grep -q 'program interpreter'; then
		grep -qx exe-not-writable "$1"
	else
		grep -q 'unknown command "/entry"' "$1" && ! grep -q 'exe-' "$1"
	fi
}

# update_entry: /entry runs the runtime's binary in the container as
# `update /entry ARGS` ("#!/proc/self/exe update"); a dynamically linked
# runtime (make asan) needs its loader and libraries in the image (an
# attacker ships them).
update_entry() {
	printf '#!/proc/self/exe update\n' >"$BUNDLE/rootfs/entry"
	chmod 755 "$BUNDLE/rootfs/entry"
	for lib in $(ldd "$DK_BIN/runtime" 2>/dev/null | grep -o '/[^ ]*'); do
		mkdir -p "$BUNDLE/rootfs$(dirname "$lib")"
		cp -L "$lib" "$BUNDLE/rootfs$lib"
	done
}

# rt_copy ARGS...: the runtime, run from a copy that the attack may hit.
rt_copy() {
	in_ns "$BATS_TEST_TMPDIR/rt-copy" --root "$RT_ROOT" "$@"
}

@test "CVE-2019-5736: #!/proc/self/exe after create+start cannot overwrite the runtime binary" {
	exe_attack_bundle
	args /entry
	cp "$DK_BIN/runtime" "$BATS_TEST_TMPDIR/rt-copy"
	before=$(sha256sum <"$BATS_TEST_TMPDIR/rt-copy")
	rt_copy create --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 3>&-
	rt_copy start "$ID"
	wait_stopped "$ID" rt_copy
	after=$(sha256sum <"$BATS_TEST_TMPDIR/rt-copy")
	cat "$BATS_TEST_TMPDIR/out"
	# the attack ran (its interpreter got control) and could not write
	exe_attack_held "$BATS_TEST_TMPDIR/out"
	assert_equal "$after" "$before"
	rt_copy delete "$ID"
}

@test "CVE-2019-5736: #!/proc/self/exe through exec cannot overwrite the runtime binary" {
	exe_attack_bundle
	args /bin/sleep 100
	cp "$DK_BIN/runtime" "$BATS_TEST_TMPDIR/rt-copy"
	before=$(sha256sum <"$BATS_TEST_TMPDIR/rt-copy")
	out="$BATS_TEST_TMPDIR/out"
	rt_copy run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 3>&-
	# detached: the attack waits for the runtime to exit, then writes
	rt_copy exec -d "$ID" /entry </dev/null >"$out" 2>&1 3>&-
	for i in $(seq 1 100); do grep -q 'exe-\|unknown command' "$out" && break; sleep 0.05; done
	cat "$out"
	exe_attack_held "$out"
	assert_equal "$(sha256sum <"$BATS_TEST_TMPDIR/rt-copy")" "$before"
	rt_copy delete --force "$ID"
}

# The same attack without an ELF interpreter (it works on a static runtime
# too): "#!/proc/self/exe update" runs the runtime's binary in the
# container as `update /entry -r -`, which blocks reading the resources on
# stdin; a second container process opens /proc/PID/exe of it, lets it
# exit, and writes through the fd once no runtime runs from the file.
@test "CVE-2019-5736: /proc/PID/exe of the runtime's binary in the container cannot overwrite it" {
	update_entry
	args /bin/sleep 100
	cp "$DK_BIN/runtime" "$BATS_TEST_TMPDIR/rt-copy"
	before=$(sha256sum <"$BATS_TEST_TMPDIR/rt-copy")
	fifo="$BATS_TEST_TMPDIR/in" out="$BATS_TEST_TMPDIR/out"
	mkfifo "$fifo"
	rt_copy run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 3>&-
	exec 8<>"$fifo"
	# the binary in the container, waiting on our fifo
	rt_copy exec -d "$ID" /entry -r - <"$fifo" >"$BATS_TEST_TMPDIR/exec1" 2>&1 3>&- || { cat "$BATS_TEST_TMPDIR/exec1"; false; }
	rt_copy exec -d "$ID" sh -c '
		for i in $(seq 1 100); do
			for d in /proc/[0-9]*; do
				[ "$(head -c 14 "$d/cmdline" 2>/dev/null)" = /proc/self/exe ] &&
					pid=${d#/proc/}
			done
			[ -n "$pid" ] && break
			sleep 0.05
		done
		exec 3<"/proc/$pid/exe" || { echo no-exe; exit 1; }
		echo opened
		i=0
		while [ $i -lt 60 ]; do
			if (printf PWNED 1<>/proc/self/fd/3) 2>/dev/null; then echo wrote-exe; exit 0; fi
			i=$((i + 1))
			sleep 0.05
		done
		echo exe-not-writable' </dev/null >"$out" 2>&1 3>&-
	for i in $(seq 1 100); do grep -q 'opened\|no-exe' "$out" && break; sleep 0.05; done
	# EOF on its stdin: the binary in the container exits
	exec 8>&-
	for i in $(seq 1 100); do grep -q 'exe-\|no-exe' "$out" && break; sleep 0.05; done
	cat "$out"
	grep -qx opened "$out"
	grep -qx exe-not-writable "$out"
	assert_equal "$(sha256sum <"$BATS_TEST_TMPDIR/rt-copy")" "$before"
	rt_copy delete --force "$ID"
}

# create and run leave the exec of the protected copy to init (initexec.c):
# the runtime's binary run as the container's init by "#!/proc/self/exe"
# is that copy, on a read-only mount (a write fails with ETXTBSY while any
# binary runs, so the mount is what tells a copy from the host's file,
# which would take the write once it ends)
@test "CVE-2019-5736: /proc/1/exe of the runtime's binary run as init is the read-only copy" {
	update_entry
	args /entry -r -
	cp "$DK_BIN/runtime" "$BATS_TEST_TMPDIR/rt-copy"
	before=$(sha256sum <"$BATS_TEST_TMPDIR/rt-copy")
	fifo="$BATS_TEST_TMPDIR/in"
	mkfifo "$fifo"
	exec 8<>"$fifo"
	# init: the binary, waiting on our fifo as `update /entry -r -`
	rt_copy run -d --bundle "$BUNDLE" "$ID" <"$fifo" >/dev/null 2>&1 3>&-
	pid=$(rt_copy state "$ID" | jq -r .pid)
	run in_ns python3 -c 'import os, sys
exe = "/proc/%s/exe" % sys.argv[1]
print(open("/proc/%s/cmdline" % sys.argv[1], "rb").read()[:14].decode())
print("readonly" if os.statvfs(exe).f_flag & os.ST_RDONLY else "writable")' "$pid"
	exec 8>&-
	assert_success
	assert_equal "$output" "/proc/self/exe
readonly"
	assert_equal "$(sha256sum <"$BATS_TEST_TMPDIR/rt-copy")" "$before"
	rt_copy delete --force "$ID"
}

@test "CVE-2019-5736: the runtime's binary run by exec (#!/proc/self/exe) is the read-only copy" {
	update_entry
	args /bin/sleep 100
	rt run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 3>&-
	fifo="$BATS_TEST_TMPDIR/in"
	mkfifo "$fifo"
	exec 8<>"$fifo"
	rt exec -d --pid-file "$BATS_TEST_TMPDIR/pid" "$ID" /entry -r - <"$fifo" >/dev/null 2>&1 3>&-
	run in_ns python3 -c 'import os, sys
exe = "/proc/%s/exe" % sys.argv[1]
print(open("/proc/%s/cmdline" % sys.argv[1], "rb").read()[:14].decode())
print("readonly" if os.statvfs(exe).f_flag & os.ST_RDONLY else "writable")' "$(cat "$BATS_TEST_TMPDIR/pid")"
	exec 8>&-
	assert_success
	assert_equal "$output" "/proc/self/exe
readonly"
	rt delete --force "$ID"
}

@test "init's and exec's entry points refuse a bad environment and a binary that is not the protected copy" {
	run env _DK_RUNTIME_INIT=garbage "$DK_BIN/runtime"
	assert_failure 1
	assert_output_contains "init: bad _DK_RUNTIME_INIT"
	# well formed, but started from the binary itself (writable)
	run env _DK_RUNTIME_INIT=-1,-1,-1,-1,-1,0,0 _DK_RUNTIME_BUNDLE="$BUNDLE" "$DK_BIN/runtime"
	assert_failure 1
	assert_output_contains "it is writable, not the protected copy"
	# exec's child the same
	run env _DK_RUNTIME_EXEC=garbage "$DK_BIN/runtime" exec "$ID" true
	assert_failure 255
	assert_output_contains "exec: bad _DK_RUNTIME_EXEC"
	run env _DK_RUNTIME_EXEC=-1,-1,-1,-1,-1 _DK_RUNTIME_BUNDLE="$BUNDLE" "$DK_BIN/runtime" exec "$ID" true
	assert_failure 255
	assert_output_contains "it is writable, not the protected copy"
}

@test "CVE-2024-21626: process.cwd through a magic link is refused, nothing made outside" {
	hostdir="$BATS_TEST_TMPDIR/host-side"
	mkdir -p "$hostdir"
	# (a) a user namespace and a bind mount: the bind source's fd must
	# not be reachable as /proc/self/fd/N
	cfg '.linux.namespaces += [{type: "user"}] | .linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}] | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]'
	cfg '.mounts += [{destination: "/mnt", type: "bind", source: $s, options: ["rbind"]}]' --arg s "$hostdir"
	args /bin/probe cwd write=escaped
	for n in 3 4 5 6 7 8; do
		cfg '.process.cwd = $c' --arg c "/missing/../proc/self/fd/$n"
		rtd run --bundle "$BUNDLE" "$ID"
		echo "fd $n: $status $output"
		[ "$status" -ne 0 ]
		assert_output_contains "cwd"
		[ ! -e "$hostdir/escaped" ]
		[ ! -e "$(dirname "$hostdir")/escaped" ]
	done
	# (b) no pid namespace: /proc/PID/root of a host process
	make_bundle "$BUNDLE.b" cwd write=escaped
	cfg_in "$BUNDLE.b" '.linux.namespaces |= map(select(.type != "pid")) | .process.cwd = $c' \
		--arg c "/missing/../proc/$RT_NS_PID/root$BATS_TEST_TMPDIR"
	rtd run --bundle "$BUNDLE.b" "$ID"
	[ "$status" -ne 0 ]
	assert_output_contains "magic link"
	assert_output_contains "cwd"
	[ ! -e "$BATS_TEST_TMPDIR/escaped" ]
	[ "$(rt list -q | grep -c .)" = 0 ]
}

@test "CVE-2024-21626: an ordinary symlinked cwd still resolves inside the rootfs" {
	ln -s /etc "$BUNDLE/rootfs/lnk"
	mkdir -p "$BUNDLE/rootfs/a b"
	cfg '.process.cwd = "/lnk"'
	args /bin/probe cwd
	run rt run --bundle "$BUNDLE" "$ID"
	assert_success
	assert_equal "$output" "cwd: /etc"
	cfg '.process.cwd = "/a b/../a b/new/../made"'
	run rt run --bundle "$BUNDLE" "$ID"
	assert_success
	assert_equal "$output" "cwd: /a b/made"
}

@test "exec --cwd through a symlink the container made to /proc/PID/root stays inside" {
	cfg '.root.readonly = false | .linux.namespaces |= map(select(.type != "pid"))'
	args /bin/sleep 100
	rtd run -d --bundle "$BUNDLE" "$ID"
	assert_success
	# the container replaces /app with a link to a host process's root
	run rt exec "$ID" /bin/ln -sfn "/proc/$RT_NS_PID/root" /app
	assert_success
	touch "$BATS_TEST_TMPDIR/host-marker"
	run rt exec --cwd /app "$ID" /bin/probe cwd "cat=.$BATS_TEST_TMPDIR/host-marker"
	echo "$output"
	[ "$status" -ne 0 ]
	assert_output_contains 'cwd "/app"'
	[[ "$output" != *"cwd: /"* ]]
	# and through a path below it
	run rt exec --cwd "/app$BATS_TEST_TMPDIR" "$ID" /bin/probe cwd
	[ "$status" -ne 0 ]
	assert_output_contains "cwd \"/app$BATS_TEST_TMPDIR\""
}

@test "the bind sources' fds are closed before the container's process runs" {
	cfg '.linux.namespaces += [{type: "user"}] | .linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}] | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]'
	mkdir -p "$BATS_TEST_TMPDIR/src1" "$BATS_TEST_TMPDIR/src2"
	cfg '.mounts += [{destination: "/m1", type: "bind", source: $a, options: ["rbind"]}, {destination: "/m2", type: "bind", source: $b, options: ["rbind"]}]' \
		--arg a "$BATS_TEST_TMPDIR/src1" --arg b "$BATS_TEST_TMPDIR/src2"
	args /bin/probe fds
	run rt run --bundle "$BUNDLE" "$ID"
	assert_success
	assert_equal "$(echo "$output" | cut -d: -f1 | tr '\n' ' ')" "fd 0 fd 1 fd 2 "
}

@test "CVE-2025-52881: exec's oomScoreAdj reaches the real procfs under a container's fake /proc" {
	cfg '.root.readonly = false | .process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"]) | .process.oomScoreAdj = 300'
	args /bin/sh -c 'mount -t tmpfs fake /proc && mkdir /proc/self && touch /proc/self/oom_score_adj && echo ready >/ready && exec sleep 100'
	rtd run -d --bundle "$BUNDLE" "$ID"
	assert_success
	for i in $(seq 1 100); do [ -e "$BUNDLE/rootfs/ready" ] && break; sleep 0.05; done
	[ -e "$BUNDLE/rootfs/ready" ]
	run rt exec -d --pid-file "$BATS_TEST_TMPDIR/pid" "$ID" /bin/sleep 50
	assert_success
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	assert_equal "$(cat "/proc/$pid/oom_score_adj")" "300"
	# the container's decoy stayed empty
	run rt exec "$ID" /bin/sh -c 'wc -c </proc/self/oom_score_adj'
	assert_equal "$output" "0"
}

@test "CVE-2025-31133: maskedPaths are not unmasked by a /dev/null symlink in the image" {
	cfg '.mounts |= map(select(.destination != "/dev" and .destination != "/dev/pts" and .destination != "/dev/shm" and .destination != "/dev/mqueue"))'
	rm -rf "$BUNDLE/rootfs/dev"
	mkdir -p "$BUNDLE/rootfs/dev"
	ln -s /proc/timer_list "$BUNDLE/rootfs/dev/null"
	args /bin/sh -c 'wc -c </proc/timer_list'
	rtd run --bundle "$BUNDLE" "$ID"
	echo "$status $output"
	if [ "$status" -eq 0 ]; then
		assert_equal "$output" "0"
	else
		assert_output_contains "/dev/null is not the null device"
	fi
	# a real /dev/null still masks as before
	rm "$BUNDLE/rootfs/dev/null"
	mknod -m 666 "$BUNDLE/rootfs/dev/null" c 1 3
	run rt run --bundle "$BUNDLE" "$ID"
	assert_success
	assert_equal "$output" "0"
}

@test "sysctls are written to the real procfs, in the container's namespaces" {
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.domainname": "sec.example"}'
	args /bin/sh -c 'cat /proc/sys/net/ipv4/ip_forward; cat /proc/sys/kernel/domainname'
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	host_dom=$(cat /proc/sys/kernel/domainname)
	run rt run --bundle "$BUNDLE" "$ID"
	assert_success
	assert_equal "$(echo $output)" "1 sec.example"
	assert_equal "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_fwd"
	assert_equal "$(cat /proc/sys/kernel/domainname)" "$host_dom"
	cfg '.linux.sysctl = {"net/../../kernel/x": "1"}'
	run rt run --bundle "$BUNDLE" "$ID"
	assert_failure
	assert_output_contains "bad name"
	# found by fuzz_rtspec: an array here crashed the parser (strdup of a
	# missing key); a number was taken as ""
	cfg '.linux.sysctl = ["kernel.shmmni"]'
	run rt run --bundle "$BUNDLE" "$ID"
	assert_failure 1
	assert_output_contains "linux.sysctl: want an object of strings"
	cfg '.linux.sysctl = {"kernel.shmmni": 1234}'
	run rt run --bundle "$BUNDLE" "$ID"
	assert_failure 1
	assert_output_contains "linux.sysctl: kernel.shmmni: want a string value"
	[ "$(rt list -q | grep -c .)" = 0 ]
}

@test "seccomp: more than six argument conditions are refused; no_new_privs stays as configured" {
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["chmod"], action: "SCMP_ACT_ERRNO",
		args: [range(7) | {index: (. % 6), value: 1, op: "SCMP_CMP_EQ"}]}]}'
	run rt run --bundle "$BUNDLE" "$ID"
	assert_failure 1
	assert_output_contains "7 argument conditions, at most 6"
	[ "$(rt list -q | grep -c .)" = 0 ]
	# a filter does not switch no_new_privs on behind the config's back
	# (setuid programs keep working under a seccomp profile), as runc
	cfg '.process.noNewPrivileges = false | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO"}]}'
	args /bin/probe seccomp nnp
	run rt run --bundle "$BUNDLE" "$ID"
	assert_success
	assert_output_contains "Seccomp:	2"
	assert_output_contains "NoNewPrivs:	0"
	mine=$output
	run rc run --bundle "$BUNDLE" "$ID-runc"
	assert_equal "$output" "$mine"
}

@test "a process without a capabilities key gets no capabilities" {
	cfg 'del(.process.capabilities)'
	args /bin/probe caps
	run rt run --bundle "$BUNDLE" "$ID"
	assert_success
	assert_output_contains "CapEff:	0000000000000000"
	assert_output_contains "CapPrm:	0000000000000000"
	assert_output_contains "CapBnd:	0000000000000000"
	# exec --process without capabilities: none either
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" "$ID"
	jq '.process | del(.capabilities) | .args = ["/bin/probe", "caps"]' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/p.json"
	run rt exec --process "$BATS_TEST_TMPDIR/p.json" "$ID"
	assert_success
	assert_output_contains "CapEff:	0000000000000000"
}

@test "exec --apparmor and --process-label are honoured or refused, never ignored" {
	args /bin/probe sleep=100
	rtd run -d --bundle "$BUNDLE" "$ID"
	run rt exec --apparmor docker-default "$ID" /bin/true
	assert_failure
	assert_output_contains 'apparmorProfile "docker-default": AppArmor is not enabled on this host'
	run rt exec --process-label system_u:system_r:container_t:s0 "$ID" /bin/true
	assert_failure
	assert_output_contains "SELinux is not enabled on this host"
	run rt exec "$ID" /bin/true
	assert_success
}
