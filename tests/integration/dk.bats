#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# dk: the POSIX sh front end, run by dash, over the tools.

load helpers

setup() {
	dk_common_setup
	mkdir -p "$DK_ROOT/images"
	skopeo copy -q "oci:$(busybox_layout):latest" \
		"oci:$DK_ROOT/images:docker.io/library/busybox:latest"
}

dk() {
	dash "$DK_BIN/dk" "$@"
}

@test "dk images / tag / history / inspect / rmi, under dash" {
	run dk images
	assert_success
	assert_output_contains "REPOSITORY"
	assert_output_contains "busybox"
	run dk tag busybox me/box:1
	assert_success
	run dk images -q
	assert_success
	assert_equal "$(echo "$output" | wc -l)" "2"
	run dk history me/box:1
	assert_success
	assert_output_contains "busybox-static rootfs"
	run dk inspect me/box:1
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].Config.Cmd[0]')" "sh"
	run dk rmi me/box:1
	assert_success
	run dk images --format json
	assert_equal "$(echo "$output" | jq length)" "1"
}

@test "dk --root is passed to the tools" {
	run dk --root "$BATS_TEST_TMPDIR/elsewhere" images -q
	assert_success
	assert_equal "$output" ""
	[ -f "$BATS_TEST_TMPDIR/elsewhere/images/index.json" ]
}

@test "dk usage errors exit 2, failures exit 1" {
	run dk frob
	assert_failure 2
	assert_output_contains 'unknown command "frob"'
	run dk images --bogus
	assert_failure 2
	run dk --root
	assert_failure 2
	run dk inspect nothere
	assert_failure 1
	assert_output_contains "no such image: nothere"
	run dk --version
	assert_success
	assert_output_contains "dk version"
}

@test "dk finds prefixed tools after make install PROGRAM_PREFIX=dk-" {
	dest="$BATS_TEST_TMPDIR/inst"
	make -s -C "$DK_TOP" install DESTDIR="$dest" PREFIX=/usr PROGRAM_PREFIX=dk- >/dev/null
	[ -x "$dest/usr/bin/dk-store" ]
	[ ! -e "$dest/usr/bin/store" ]
	[ -f "$dest/usr/share/man/man1/store.1" ]
	[ -f "$dest/usr/share/man/man5/dk-store.5" ]
	run dash "$dest/usr/bin/dk" images -q
	assert_success
	assert_equal "$(echo "$output" | wc -l)" "1"
}
