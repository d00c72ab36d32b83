#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fulldisk: each writer against a small tmpfs that fills up mid-operation:
# a clear "No space left on device" naming what was being written, nothing
# half-written (store check passes, no partial bundle), and the same
# operation succeeds once space is freed (the tmpfs grown).
# The suite runs in a private mount namespace (tests/cgroupns-run).

load helpers
load helpers-fetch
bats_require_minimum_version 1.5.0

setup_file() {
	registry_with_busybox
	push_layout "$(fixture_layout big-50)" big:latest
}

teardown_file() {
	stop_registry
}

setup() {
	dk_common_setup
	mount -t tmpfs -o size=12m dkfull "$DK_ROOT"
}

teardown() {
	umount_below "$DK_ROOT"
}

grow() {
	mount -o remount,size=400m "$DK_ROOT"
}

store_ok() {
	run store check
	echo "$output"
	assert_success
}

@test "full disk: fetch pull of a 50 MB layer into 12 MB" {
	run fetch pull -q "$REGISTRY/big"
	assert_failure 1
	assert_output_contains "No space left on device"
	assert_output_contains "sha256:"
	store_ok
	[ -z "$(store list -q)" ]
	grow
	run fetch pull -q "$REGISTRY/big"
	assert_success
	store_ok
}

@test "full disk: commit of a layer larger than the space left" {
	fetch pull -q "$REGISTRY/busybox" >/dev/null
	mkdir -p "$BATS_TEST_TMPDIR/l"
	head -c 30000000 /dev/urandom >"$BATS_TEST_TMPDIR/l/big"
	tar -C "$BATS_TEST_TMPDIR/l" -cf "$BATS_TEST_TMPDIR/l.tar" big
	run commit --base "$REGISTRY/busybox" --tag me/big "$BATS_TEST_TMPDIR/l.tar"
	assert_failure 1
	assert_output_contains "No space left on device"
	store_ok
	run store resolve me/big
	assert_failure
	grow
	run commit --base "$REGISTRY/busybox" --tag me/big "$BATS_TEST_TMPDIR/l.tar"
	assert_success
	store_ok
}

@test "full disk: unpack and snapshot prepare of an image larger than the space left" {
	mount -o remount,size=120m "$DK_ROOT"
	fetch pull -q "$REGISTRY/big" >/dev/null
	mount -o remount,size=$(($(du -sm "$DK_ROOT" | cut -f1) + 8))m "$DK_ROOT"
	run unpack "$REGISTRY/big" "$DK_ROOT/bundle"
	assert_failure 1
	assert_output_contains "No space left on device"
	[ ! -e "$DK_ROOT/bundle" ]
	[ -z "$(ls -A "$DK_ROOT" | grep '^\.unpack-' || true)" ]
	run snapshot prepare "$REGISTRY/big" s1
	assert_failure 1
	assert_output_contains "No space left on device"
	[ -z "$(ls "$DK_ROOT/layers" 2>/dev/null | grep -v '^l$' || true)" ]
	store_ok
	grow
	run unpack "$REGISTRY/big" "$DK_ROOT/bundle"
	assert_success
	run snapshot prepare "$REGISTRY/big" s1
	assert_success
}
