#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Rootless dk: a test user with a /etc/subuid + /etc/subgid range pulls,
# runs (-it, -d), execs, stops, commits and builds; dk runs as root of the
# user's own user namespace, so ids inside map onto the user and its range.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	U="dkrl$$"
	T=$(mktemp -d /tmp/dk-rootless.XXXXXX)
	export U T
	chmod 755 "$T"
	useradd -m -s /bin/sh "$U"
	# useradd may have given a range already; ours is the first line
	sed -i "/^$U:/d" /etc/subuid /etc/subgid
	SUB=$(free_subid_start)
	export SUB
	echo "$U:$SUB:65536" >>/etc/subuid
	echo "$U:$SUB:65536" >>/etc/subgid
	UID_OUT=$(id -u "$U")
	export UID_OUT
	# the tools, where the user can reach them (the checkout may not be)
	cp -r "$DK_BIN" "$T/bin"
	cp -r "$(busybox_layout)" "$T/layout"
	chmod -R a+rX "$T"
	start_registry
	skopeo_push_fixture busybox:latest
	echo "$REGISTRY" >"$T/registry-addr"
	as_user mkdir -p "/home/$U/.local/share/dk"
	as_user skopeo copy -q "oci:$T/layout:latest" \
		"oci:/home/$U/.local/share/dk/images:docker.io/library/busybox:latest"
}

teardown_file() {
	local p
	stop_registry
	if [ -n "${U:-}" ] && id "$U" >/dev/null 2>&1; then
		for c in $(as_user dk ps -aq 2>/dev/null); do
			as_user dk rm -f "$c" >/dev/null 2>&1 || true
		done
		# what is left of the user's (the namespace holder): by pid
		for p in $(pgrep -u "$U"); do kill -9 "$p" 2>/dev/null || true; done
		userdel -r "$U" >/dev/null 2>&1 || userdel -r -f "$U" >/dev/null 2>&1 || true
	fi
	[ -z "${U:-}" ] || sed -i "/^$U:/d" /etc/subuid /etc/subgid
	[ -z "${U:-}" ] || sed -i "/^${U}n:/d" /etc/subuid /etc/subgid
	id "${U}n" >/dev/null 2>&1 && userdel -r "${U}n" >/dev/null 2>&1
	[ -z "${T:-}" ] || rm -rf "$T"
}

# the first start above every range in /etc/subuid and /etc/subgid
free_subid_start() {
	cat /etc/subuid /etc/subgid | awk -F: '
		{ e = $2 + $3; if (e > m) m = e }
		END { if (m < 200000) m = 200000; print m }'
}

# as_user CMD...: CMD as the test user, with the tools copied for it and
# none of the suite's dk settings
as_user() {
	(cd "$T" && runuser -u "$U" -- env -u DK_ROOT -u XDG_DATA_HOME -u XDG_RUNTIME_DIR \
		HOME="/home/$U" PATH="$T/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$@")
}

dk() {
	as_user dash "$T/bin/dk" "$@"
}

@test "rootless: pull (from a layout) shows in images, run --rm id as root of the user's namespace" {
	run dk images
	assert_success
	assert_output_contains busybox
	run dk run --rm busybox sh -c 'id -u; cat /proc/self/uid_map'
	assert_success
	# uid 0 inside is the user outside; 1.. are its subordinate ids
	assert_equal "$(echo "$output" | sed -n 1p)" "0"
	assert_equal "$(echo "$output" | sed -n 2p | awk '{print $1, $2, $3}')" "0 $UID_OUT 1"
	assert_equal "$(echo "$output" | sed -n 3p | awk '{print $1, $2, $3}')" "1 $SUB 65536"
	# the layer cache is the user's: files of uid 0 in the image are the user's
	local passwd
	passwd=$(find "/home/$U/.local/share/dk/layers" -path '*/fs/etc/passwd' | head -1)
	[ -n "$passwd" ]
	assert_equal "$(stat -c %u "$passwd")" "$UID_OUT"
}

@test "rootless: dk pull from a registry, then run the pulled image" {
	local reg
	reg=$(cat "$T/registry-addr")
	run dk pull "$reg/busybox:latest"
	assert_success
	run dk images
	assert_output_contains "$reg/busybox"
	run dk run --rm "$reg/busybox" cat /proc/self/uid_map
	assert_success
	assert_equal "$(echo "$output" | sed -n 1p | awk '{print $1, $2, $3}')" "0 $UID_OUT 1"
	# blobs and layers belong to the user outside
	assert_equal "$(find "/home/$U/.local/share/dk" ! -user "$U" ! -path '*/fs/*' \
		! -path '*/snapshots/*' | wc -l)" "0"
}

@test "rootless: files written in the container are owned by the user's subordinate ids outside" {
	run dk run --name own -u 1000:1000 busybox sh -c 'echo x >/tmp/byuser'
	assert_success
	run dk run --name own0 busybox sh -c 'echo y >/byroot'
	assert_success
	local id id0
	id=$(dk inspect own | jq -r '.[0].Id')
	id0=$(dk inspect own0 | jq -r '.[0].Id')
	[ -n "$id" ] && [ "$id" != null ] && [ -n "$id0" ] && [ "$id0" != null ]
	local snaps="/home/$U/.local/share/dk/snapshots"
	assert_equal "$(stat -c %u:%g "$snaps/$id/upper/tmp/byuser")" \
		"$((SUB + 999)):$((SUB + 999))"
	assert_equal "$(stat -c %u "$snaps/$id0/upper/byroot")" "$UID_OUT"
	run dk rm own own0
	assert_success
}

@test "rootless: run -d, exec, stop, rm" {
	run dk run -d --name d1 busybox sleep 60
	assert_success
	# under make asan: LeakSanitizer cannot stop the world of `runtime
	# exec` once it made itself non-dumpable in the user namespace (it
	# spins in sched_yield), so leak checks are off for this one command
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:detect_leaks=0} \
		run dk exec d1 sh -c 'echo hi >/f; cat /f; id -u'
	assert_success
	assert_equal "$output" "hi
0"
	run dk ps
	assert_success
	[[ "$output" =~ Up.*d1 ]]
	run dk stop -t 1 d1
	assert_success
	run dk inspect d1
	assert_equal "$(echo "$output" | jq -r '.[0].State.Status')" "exited"
	run dk rm d1
	assert_success
	run dk ps -aq
	assert_equal "$output" ""
}

@test "rootless: run -it gets a terminal" {
	run script -qec "runuser -u $U -- env -u DK_ROOT HOME=/home/$U dash $T/bin/dk run -it --rm busybox sh -c 'test -t 0 && test -t 1 && echo tty-ok'" /dev/null
	assert_success
	assert_output_contains tty-ok
}

@test "rootless: commit, then run the new image" {
	run dk run --name cm busybox sh -c 'echo committed >/note; chown 7:7 /note'
	assert_success
	run dk commit cm me/rootless:c1
	assert_success
	run dk run --rm me/rootless:c1 sh -c 'cat /note; stat -c %u:%g /note'
	assert_success
	assert_equal "$output" "committed
7:7"
	dk rm cm
}

@test "rootless: build a Dockerfile with RUN and COPY" {
	mkdir -p "$T/ctx"
	printf 'FROM busybox\nRUN echo built >/built && chown 5:6 /built\nCOPY hello.txt /hello.txt\n' \
		>"$T/ctx/Dockerfile"
	echo hello >"$T/ctx/hello.txt"
	chmod -R a+rX "$T/ctx"
	run dk build -t me/rootless:b1 ctx
	assert_success
	run dk run --rm me/rootless:b1 sh -c 'cat /built /hello.txt; stat -c %u:%g /built /hello.txt'
	assert_success
	assert_equal "$output" "built
hello
5:6
0:0"
}

@test "rootless: a user without a range in /etc/subuid gets a clear error" {
	useradd -m -s /bin/sh "${U}n"
	sed -i "/^${U}n:/d" /etc/subuid /etc/subgid
	run runuser -u "${U}n" -- env -u DK_ROOT HOME="/home/${U}n" dash "$T/bin/dk" images
	assert_failure
	assert_output_contains "/etc/subuid"
	assert_output_contains "${U}n"
	# nothing started for that user
	run pgrep -u "${U}n"
	assert_failure
	userdel -r "${U}n"
}

@test "rootless: no delegated cgroup: a memory limit fails the start, naming the limit" {
	local pid
	run dk images # the namespace holder is up
	assert_success
	pid=$(cut -d' ' -f1 "/home/$U/.local/share/dk/rootless/pid")
	[ -n "$pid" ]
	# in the user's namespace, as dk runs it: a bundle, then the runtime
	run as_user nsenter -t "$pid" -U -m --wd="/home/$U" sh -c '
		export DK_ROOT=$HOME/.local/share/dk
		unpack busybox lim >/dev/null &&
		jq ".linux.resources.memory.limit = 67108864 | .process.terminal = false |
			.process.args = [\"true\"]" lim/config.json >lim/c &&
		mv lim/c lim/config.json &&
		runtime --root "$HOME/rt" run -b lim lim1'
	assert_failure
	assert_output_contains "cgroups are not delegated to this user, cannot apply memory.limit"
	# without the limit the same bundle runs (device rules alone need no cgroup)
	run as_user nsenter -t "$pid" -U -m --wd="/home/$U" sh -c '
		jq "del(.linux.resources.memory)" lim/config.json >lim/c && mv lim/c lim/config.json &&
		runtime --root "$HOME/rt" run -b lim lim2'
	assert_success
}

@test "rootless: no bridge (refused, saying why); loopback only by default; -p through the relay" {
	run as_user env -u DK_DEFAULT_NETWORK dash "$T/bin/dk" run --rm busybox cat /proc/net/dev
	assert_success
	assert_output_contains "lo:"
	[[ "$output" != *"eth0"* ]]
	run as_user env -u DK_DEFAULT_NETWORK dash "$T/bin/dk" run --rm --network bridge busybox true
	assert_failure 125
	assert_output_contains "bridge networks need root"
	port=$(_free_port)
	as_user env -u DK_DEFAULT_NETWORK dash "$T/bin/dk" run -d --name web -p "127.0.0.1:$port:80" \
		busybox sh -c 'echo rootless-web >/index.html; httpd -f -p 80 -h /' >/dev/null
	for _ in $(seq 50); do
		out=$(curl -s "http://127.0.0.1:$port/index.html") && [ -n "$out" ] && break
		sleep 0.2
	done
	assert_equal "$out" "rootless-web"
	dk rm -f web >/dev/null
}
