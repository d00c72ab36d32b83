#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Rootless dk: a test user with a /etc/subuid + /etc/subgid range pulls,
# runs (-it, -d), execs, stops, commits and builds; dk runs as root of the
# user's own user namespace, so ids inside map onto the user and its range.

load helpers
bats_require_minimum_version 1.5.0

# ids_lock / ids_unlock: a host-wide lock around our edits of /etc/passwd,
# /etc/subuid and /etc/subgid (useradd, sed -i): two test runs at once
# must not interleave their read-modify-writes of those files.
ids_lock() {
	exec {IDS_LOCK}>/run/lock/dk-tests-ids.lock
	flock -w 300 "$IDS_LOCK"
}

ids_unlock() {
	exec {IDS_LOCK}>&-
}

setup_file() {
	if [ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/1/ns/net)" ] ||
		[ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ]; then
		echo "dk-rootless.bats must run in private network and mount namespaces" \
			"(tests/netns-run)" >&2
		return 1
	fi
	U="dkrl$$"
	T=$(mktemp -d /tmp/dk-rootless.XXXXXX)
	export U T
	chmod 755 "$T"
	ids_lock
	useradd -m -s /bin/sh "$U"
	# useradd may have given a range already; ours is the first line
	sed -i "/^$U:/d" /etc/subuid /etc/subgid
	SUB=$(free_subid_start)
	export SUB
	echo "$U:$SUB:65536" >>/etc/subuid
	echo "$U:$SUB:65536" >>/etc/subgid
	ids_unlock
	UID_OUT=$(id -u "$U")
	export UID_OUT
	# the tools, where the user can reach them (the checkout may not be)
	cp -r "$DK_BIN" "$T/bin"
	cp -r "$(busybox_layout)" "$T/layout"
	chmod -R a+rX "$T"
	rootless_net_setup
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
	[ -z "${T:-}" ] || kill "$(cat "$T/httpd.pid" 2>/dev/null)" \
		"$(cat "$T/httpd-lo.pid" 2>/dev/null)" 2>/dev/null || true
	umount /dev/net/tun 2>/dev/null || true
	if [ -n "${U:-}" ] && id "$U" >/dev/null 2>&1; then
		for c in $(as_user dk ps -aq 2>/dev/null); do
			as_user dk rm -f "$c" >/dev/null 2>&1 || true
		done
		# what is left of the user's (the namespace holder): by pid
		for p in $(pgrep -u "$U"); do kill -9 "$p" 2>/dev/null || true; done
	fi
	ids_lock
	if [ -n "${U:-}" ] && id "$U" >/dev/null 2>&1; then
		userdel -r "$U" >/dev/null 2>&1 || userdel -r -f "$U" >/dev/null 2>&1 || true
	fi
	[ -z "${U:-}" ] || sed -i "/^$U:/d" /etc/subuid /etc/subgid
	[ -z "${U:-}" ] || sed -i "/^${U}n:/d" /etc/subuid /etc/subgid
	id "${U}n" >/dev/null 2>&1 && userdel -r "${U}n" >/dev/null 2>&1
	ids_unlock
	[ -z "${T:-}" ] || rm -rf "$T"
}

# What slirp4netns needs, all inside this suite's private namespaces:
# /dev/net/tun open to every user (Debian's udev makes it 0666; hosts
# without that rule have 0600: a 0666 node over it, in our mount namespace
# only); the namespace's "outside world": an address on lo (the kernel has
# no dummy links), a web server on it; and one on 127.0.0.1, which a
# container must not reach (host loopback is off by default).
rootless_net_setup() {
	if [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
		mknod -m 666 "$T/tun" c 10 200
		mount --bind "$T/tun" /dev/net/tun
	fi
	ip addr add 198.51.100.1/32 dev lo 2>/dev/null || true
	mkdir -p "$T/www"
	echo "from the outside" >"$T/www/file"
	chmod -R a+rX "$T/www"
	WWW_PORT=$(_free_port)
	LO_PORT=$(_free_port)
	export WWW_PORT LO_PORT
	busybox httpd -f -p "198.51.100.1:$WWW_PORT" -h "$T/www" 3>&- &
	echo $! >"$T/httpd.pid"
	busybox httpd -f -p "127.0.0.1:$LO_PORT" -h "$T/www" 3>&- &
	echo $! >"$T/httpd-lo.pid"
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

# _fetch_page PORT: /index.html from 127.0.0.1:PORT, retried for 10 s
# while the container's server starts (empty if it never answers)
_fetch_page() {
	local out=
	for _ in $(seq 50); do
		out=$(curl -s "http://127.0.0.1:$1/index.html") && [ -n "$out" ] && break
		sleep 0.2
	done
	echo "$out"
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
	ids_lock
	useradd -m -s /bin/sh "${U}n"
	sed -i "/^${U}n:/d" /etc/subuid /etc/subgid
	ids_unlock
	run runuser -u "${U}n" -- env -u DK_ROOT HOME="/home/${U}n" dash "$T/bin/dk" images
	assert_failure
	assert_output_contains "/etc/subuid"
	assert_output_contains "${U}n"
	# nothing started for that user
	run pgrep -u "${U}n"
	assert_failure
	ids_lock
	userdel -r "${U}n"
	ids_unlock
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

@test "rootless: no bridge (refused, saying why); --network none is loopback only, -p through the relay" {
	run as_user env -u DK_DEFAULT_NETWORK dash "$T/bin/dk" run --rm --network none busybox \
		cat /proc/net/dev
	assert_success
	assert_output_contains "lo:"
	[[ "$output" != *"eth0"* && "$output" != *"tap0"* ]]
	run as_user env -u DK_DEFAULT_NETWORK dash "$T/bin/dk" run --rm --network bridge busybox true
	assert_failure 125
	assert_output_contains "bridge networks need root"
	port=$(_free_port)
	as_user env DK_DEFAULT_NETWORK=none dash "$T/bin/dk" run -d --name web -p "127.0.0.1:$port:80" \
		busybox sh -c 'echo rootless-web >/index.html; httpd -f -p 80 -h /' >/dev/null
	out=$(_fetch_page "$port")
	assert_equal "$out" "rootless-web"
	dk rm -f web >/dev/null
}

teardown() {
	for c in $(dk ps -aq 2>/dev/null); do
		dk rm -f "$c" >/dev/null 2>&1 || true
	done
}

# dk with rootless defaults (slirp4netns)
dkn() {
	as_user env -u DK_DEFAULT_NETWORK dash "$T/bin/dk" "$@"
}

# slirp4netns pid of container $1 (from its attachment file)
slirp_pid() {
	jq -er '.slirp_pid | select(. > 0)' \
		"/home/$U/.local/share/dk/netns/$1.d/slirp4netns.json"
}

# no slirp4netns of the user's within 5 s (an orphan whose starter
# exited is a zombie until init reaps it)
no_slirp_left() {
	for _ in $(seq 50); do
		pgrep -u "$U" slirp4netns >/dev/null || return 0
		sleep 0.1
	done
	ps -o pid,ppid,stat,args -p "$(pgrep -d, -u "$U" slirp4netns)" >&2
	return 1
}

# gone PID: no such process (not even a zombie) within 5 s
gone() {
	for _ in $(seq 50); do
		[ -e "/proc/$1" ] || return 0
		sleep 0.1
	done
	echo "process $1 still there: $(cat "/proc/$1/stat" 2>/dev/null)" >&2
	return 1
}

@test "rootless: slirp4netns by default: outbound by address, slirp's DNS in resolv.conf, name in hosts" {
	run dkn run --rm --name rlout busybox sh -c "wget -q -O- http://198.51.100.1:$WWW_PORT/file &&
		cat /etc/resolv.conf /etc/hosts && ip -4 -o addr show tap0 && cat /sys/class/net/tap0/mtu"
	assert_success
	assert_output_contains "from the outside"
	[[ "$output" == *"nameserver 10.0.2.3"* ]]
	[ "$(echo "$output" | grep -c '^nameserver')" = 1 ]
	echo "$output" | grep -E '^10\.0\.2\.100[[:space:]].*rlout'
	assert_output_contains "inet 10.0.2.100/24"
	assert_equal "$(echo "$output" | tail -1)" "65520"
	# --dns replaces slirp's resolver; mtu and cidr options as podman spells them
	run dkn run --rm --dns 192.0.2.53 --network slirp4netns:mtu=1500,cidr=10.7.0.0/24 busybox \
		sh -c 'cat /etc/resolv.conf; cat /sys/class/net/tap0/mtu; ip -4 -o addr show tap0'
	assert_success
	assert_equal "$(echo "$output" | grep '^nameserver')" "nameserver 192.0.2.53"
	assert_output_contains "1500"
	assert_output_contains "inet 10.7.0.100/24"
}

@test "rootless: host loopback is off by default (allow_host_loopback=true opens it)" {
	# (busybox-static's wget -T crashes here: no timeout option)
	run dkn run --rm busybox sh -c "wget -q -O- http://10.0.2.2:$LO_PORT/file; echo rc=\$?"
	assert_success
	echo "$output" | grep -x "rc=1"
	[[ "$output" != *"from the outside"* ]]
	run dkn run --rm --network slirp4netns:allow_host_loopback=true busybox \
		sh -c "wget -q -O- http://10.0.2.2:$LO_PORT/file"
	assert_success
	assert_output_contains "from the outside"
}

@test "rootless: -p through slirp4netns (given, random, udp), dk port, fetched from loopback" {
	local port out
	port=$(_free_port)
	run dkn run -d --name rlweb -p "$port:80" -p 80 -p 5353:53/udp busybox \
		sh -c 'echo rootless-slirp >/index.html; httpd -f -p 80 -h /'
	assert_success
	run dkn port rlweb
	assert_success
	assert_output_contains "80/tcp -> 0.0.0.0:$port"
	assert_output_contains "53/udp -> 0.0.0.0:5353"
	random=$(echo "$output" | grep '^80/tcp' | grep -v ":$port\$" | sed 's/.*://')
	[ -n "$random" ] && [ "$random" != 0 ]
	for p in "$port" "$random"; do
		out=$(_fetch_page "$p")
		assert_equal "$out" "rootless-slirp"
	done
	# the udp port is bound on the host side (by slirp4netns)
	ss -Hlun "sport = :5353" | grep -q 5353
	# a taken port: docker's message, exit 125, no network left for it
	# (the container stays created, as docker's does)
	run dkn run -d --name rlweb2 -p "$port:80" busybox true
	assert_failure 125
	assert_output_contains "port is already allocated"
	assert_equal "$(ls -A "/home/$U/.local/share/dk/netns" | wc -l)" "2" # rlweb's file and .d
	assert_equal "$(pgrep -u "$U" slirp4netns | wc -l)" "1"
	dkn rm -f rlweb rlweb2 >/dev/null
	# port_handler=slirp4netns: TCP through slirp4netns's forwarding, no relay
	port=$(_free_port)
	dkn run -d --name rlweb3 --network slirp4netns:port_handler=slirp4netns -p "$port:80" \
		busybox sh -c 'echo via-slirp >/index.html; httpd -f -p 80 -h /' >/dev/null
	out=$(_fetch_page "$port")
	assert_equal "$out" "via-slirp"
	run pgrep -u "$U" -x proxy
	assert_failure
	dkn rm -f rlweb3 >/dev/null
}

@test "rootless: slirp4netns and the netns file go with rm -f, stop, kill -9 of the monitor or the container" {
	local id pid d=/home/$U/.local/share/dk
	id=$(dkn run -d busybox sleep 100)
	pid=$(slirp_pid "$id")
	[ -e "/proc/$pid" ]
	dkn rm -f "$id" >/dev/null
	gone "$pid"
	[ ! -e "$d/netns/$id" ] && [ ! -e "$d/netns/$id.d" ]

	id=$(dkn run -d busybox sleep 100)
	pid=$(slirp_pid "$id")
	dkn stop -t 1 "$id" >/dev/null
	gone "$pid"
	[ ! -e "$d/netns/$id" ] && [ ! -e "$d/netns/$id.d" ]
	dkn rm "$id" >/dev/null

	id=$(dkn run -d busybox sleep 100)
	pid=$(slirp_pid "$id")
	kill -9 "$(jq .MonitorPid "$d/containers/$id/record.json")"
	gone "$pid"
	dkn rm -f "$id" >/dev/null
	[ ! -e "$d/netns/$id" ] && [ ! -e "$d/netns/$id.d" ]

	id=$(dkn run -d busybox sleep 100)
	pid=$(slirp_pid "$id")
	kill -9 "$(dkn inspect "$id" | jq .[0].State.Pid)"
	gone "$pid"
	dkn rm -f "$id" >/dev/null
	[ ! -e "$d/netns/$id" ] && [ ! -e "$d/netns/$id.d" ]
	no_slirp_left
}

@test "rootless: dk build RUN steps get slirp4netns: a RUN fetches by address; none leaves loopback" {
	mkdir -p "$T/netctx"
	printf 'FROM busybox\nRUN wget -q -O /fetched http://198.51.100.1:%s/file && cat /etc/resolv.conf >/resolv\nRUN --network=none cat /proc/net/dev >/devs\nEXPOSE 80\n' \
		"$WWW_PORT" >"$T/netctx/Dockerfile"
	chmod -R a+rX "$T/netctx"
	run dkn build -t me/rootless:net netctx
	assert_success
	run dkn run --rm --network none me/rootless:net cat /fetched /resolv /devs
	assert_success
	assert_output_contains "from the outside"
	assert_output_contains "nameserver 10.0.2.3"
	assert_output_contains "lo:"
	[[ "$output" != *"tap0"* ]]
	no_slirp_left
	assert_equal "$(ls -A "/home/$U/.local/share/dk/netns" 2>/dev/null)" ""
	# -P: the EXPOSEd port on a random host port, served
	run dkn run -d --name rlp -P me/rootless:net sh -c 'echo by-P >/index.html; httpd -f -p 80 -h /'
	assert_success
	run dkn port rlp
	assert_success
	[[ "$output" =~ ^80/tcp\ -\>\ 0\.0\.0\.0:([0-9]+)$ ]]
	p=${BASH_REMATCH[1]}
	out=$(_fetch_page "$p")
	assert_equal "$out" "by-P"
	dkn rm -f rlp >/dev/null
}

@test "rootless: bad slirp4netns options and pasta are refused (125), nothing left" {
	run dkn run --rm --network slirp4netns:bogus=1 busybox true
	assert_failure 125
	assert_output_contains 'option "bogus=1" is not supported'
	run dkn run --rm --network slirp4netns:mtu=70000 busybox true
	assert_failure 125
	assert_output_contains "mtu=70000"
	run dkn run --rm --network pasta busybox true
	assert_failure 125
	assert_output_contains "network pasta is not supported"
	run dkn ps -aq
	assert_equal "$output" ""
	no_slirp_left
	assert_equal "$(ls -A "/home/$U/.local/share/dk/netns" 2>/dev/null)" ""
}
