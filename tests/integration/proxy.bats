#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# proxy: publishing a port of a process in its own network namespace.

load helpers

setup() {
	dk_common_setup
	WWW="$BATS_TEST_TMPDIR/www"
	mkdir -p "$WWW"
	echo "hello from the namespace" >"$WWW/index.html"
	head -c 3000000 /dev/urandom >"$WWW/big"
	# a web server alone in a new network namespace (loopback only)
	unshare -n sh -c 'ip link set lo up; exec busybox httpd -f -p 127.0.0.1:8080 -h "$1"' \
		sh "$WWW" 3>&- &
	NS_PID=$!
	for _ in $(seq 50); do
		[ -e "/proc/$NS_PID/ns/net" ] && [ "$(readlink /proc/$NS_PID/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.05
	done
	PROXY_PID=
}

teardown() {
	[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
	kill "$NS_PID" 2>/dev/null
	wait 2>/dev/null || true
}

start_proxy() {
	proxy --netns "/proc/$NS_PID/ns/net" --listen 127.0.0.1:0 --to "$1" \
		--pid-file "$BATS_TEST_TMPDIR/proxy.pid" >"$BATS_TEST_TMPDIR/port" \
		2>"$BATS_TEST_TMPDIR/proxy.err" 3>&- &
	PROXY_PID=$!
	for _ in $(seq 50); do
		[ -s "$BATS_TEST_TMPDIR/proxy.pid" ] && break
		sleep 0.05
	done
	PORT=$(cat "$BATS_TEST_TMPDIR/port")
}

@test "relays a connection into the namespace" {
	# the server is not reachable from here directly
	run curl -s --max-time 2 http://127.0.0.1:8080/
	assert_failure
	start_proxy 8080
	[ -n "$PORT" ]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/proxy.pid")" "$PROXY_PID"
	run curl -s --max-time 5 "http://127.0.0.1:$PORT/"
	assert_success
	assert_equal "$output" "hello from the namespace"
}

@test "bytes arrive intact, many connections in a row and at once" {
	start_proxy 127.0.0.1:8080
	want=$(sha256sum <"$WWW/big" | cut -d' ' -f1)
	for i in 1 2 3 4 5; do
		got=$(curl -s --max-time 10 "http://127.0.0.1:$PORT/big" | sha256sum | cut -d' ' -f1)
		assert_equal "$got" "$want"
	done
	pids=
	for i in 1 2 3 4 5 6 7 8; do
		curl -s --max-time 10 -o "$BATS_TEST_TMPDIR/par$i" "http://127.0.0.1:$PORT/big" 3>&- &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p"; done
	for i in 1 2 3 4 5 6 7 8; do
		assert_equal "$(sha256sum <"$BATS_TEST_TMPDIR/par$i" | cut -d' ' -f1)" "$want"
	done
}

@test "nothing listening inside: the client is closed, the proxy lives on" {
	start_proxy 9999
	run curl -s --max-time 5 "http://127.0.0.1:$PORT/"
	assert_failure
	grep -q "connecting to 127.0.0.1:9999 in the container" "$BATS_TEST_TMPDIR/proxy.err"
	kill -0 "$PROXY_PID"
}

@test "bad input: usage errors exit 2, a bad namespace or busy port exits 1" {
	run proxy --netns /proc/self/ns/net --listen 127.0.0.1:0
	assert_failure 2
	assert_output_contains "required"
	run proxy --netns /proc/self/ns/net --listen 300.1.1.1:80 --to 80
	assert_failure 2
	assert_output_contains "invalid IPv4 address"
	run proxy --netns /proc/self/ns/net --listen 127.0.0.1:99999 --to 80
	assert_failure 2
	assert_output_contains "invalid port"
	run proxy --netns /nonexistent/ns --listen 127.0.0.1:0 --to 80
	assert_failure 1
	assert_output_contains "network namespace /nonexistent/ns"
	start_proxy 8080
	run proxy --netns "/proc/$NS_PID/ns/net" --listen "127.0.0.1:$PORT" --to 80
	assert_failure 1
	assert_output_contains "listening on 127.0.0.1:$PORT"
}
