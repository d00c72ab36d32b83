#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# concurrency: many writers on one store at once, and store gc running
# while they write. Everything must succeed, no tag may be lost, and
# `store check` must pass afterwards.

load helpers
load helpers-commit
bats_require_minimum_version 1.5.0

setup_file() {
	registry_with_busybox
}

teardown_file() {
	stop_registry
}

setup() {
	dk_common_setup
}

teardown() {
	umount_below "$DK_ROOT"
}

# wait_all PID...: every one succeeded
wait_all() {
	local p rc=0
	for p in "$@"; do
		wait "$p" || rc=1
	done
	return $rc
}

# images sharing busybox's layer: NAME:N for N in 1..8 in the registry
push_family() {
	local i r
	fetch pull -q "$REGISTRY/busybox" >/dev/null || return 1
	for i in $(seq 1 4); do
		snapshot remove "fam$i" >/dev/null 2>&1 || true
		r=$(snapshot prepare "$REGISTRY/busybox" "fam$i") &&
			echo "$i" >"$r/member" &&
			snapshot diff "fam$i" | commit --base "$REGISTRY/busybox" --tag "$REGISTRY/fam:$i" >/dev/null &&
			fetch push "$REGISTRY/fam:$i" >/dev/null && snapshot remove "fam$i" >/dev/null || return 1
	done
	rm -rf "$DK_ROOT"
	mkdir -p "$DK_ROOT"
}

@test "concurrency: 8 pulls of one image and of images sharing its layer, at once" {
	push_family
	pids=()
	for i in 1 2 3 4; do
		fetch pull -q "$REGISTRY/busybox" >/dev/null 2>"$BATS_TEST_TMPDIR/p$i.err" &
		pids+=($!)
		fetch pull -q "$REGISTRY/fam:$i" >/dev/null 2>"$BATS_TEST_TMPDIR/f$i.err" &
		pids+=($!)
	done
	wait_all "${pids[@]}" || { cat "$BATS_TEST_TMPDIR"/*.err; false; }
	run store list -q
	[ "$(store list | grep -c "$REGISTRY/")" = 5 ]
	run store check
	assert_success
}

@test "concurrency: store gc while pulls and commits run loses nothing" {
	push_family
	(for i in $(seq 1 40); do store gc >/dev/null 2>&1; done) &
	gcpid=$!
	pids=()
	for i in 1 2 3 4; do
		(fetch pull -q "$REGISTRY/fam:$i" >/dev/null &&
			r=$(snapshot prepare "$REGISTRY/fam:$i" "c$i") &&
			head -c 300000 /dev/urandom >"$r/data" &&
			snapshot diff "c$i" | commit --base "$REGISTRY/fam:$i" --tag "me/c:$i" >/dev/null) \
			2>"$BATS_TEST_TMPDIR/w$i.err" &
		pids+=($!)
	done
	wait_all "${pids[@]}" || { cat "$BATS_TEST_TMPDIR"/*.err; false; }
	wait "$gcpid" || true
	run store check
	echo "$output"
	assert_success
	for i in 1 2 3 4; do
		unpack "me/c:$i" "$BATS_TEST_TMPDIR/b$i" >/dev/null
		[ -s "$BATS_TEST_TMPDIR/b$i/rootfs/data" ]
		grep -qx "$i" "$BATS_TEST_TMPDIR/b$i/rootfs/member"
	done
}

@test "concurrency: 8 snapshot prepares of one image, 4 builds sharing a cache" {
	fetch pull -q "$REGISTRY/busybox" >/dev/null
	pids=()
	for i in $(seq 1 8); do
		snapshot prepare "$REGISTRY/busybox" "s$i" >/dev/null 2>"$BATS_TEST_TMPDIR/s$i.err" &
		pids+=($!)
	done
	wait_all "${pids[@]}" || { cat "$BATS_TEST_TMPDIR"/*.err; false; }
	[ "$(snapshot list | grep -c '^s[0-9]')" = 8 ]
	mkdir -p "$BATS_TEST_TMPDIR/ctx"
	echo shared >"$BATS_TEST_TMPDIR/ctx/f"
	printf 'FROM %s/busybox\nCOPY f /f\nRUN cat /f >/g\n' "$REGISTRY" >"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	pids=()
	for i in 1 2 3 4; do
		buildfile -q -t "me/b:$i" "$BATS_TEST_TMPDIR/ctx" >"$BATS_TEST_TMPDIR/b$i.out" 2>"$BATS_TEST_TMPDIR/b$i.err" &
		pids+=($!)
	done
	wait_all "${pids[@]}" || { cat "$BATS_TEST_TMPDIR"/b*.err; false; }
	# the cache they filled together serves the next build whole
	again=$(buildfile -q -t me/b:5 "$BATS_TEST_TMPDIR/ctx")
	grep -qx "$again" "$BATS_TEST_TMPDIR"/b*.out
	run store check
	assert_success
}
