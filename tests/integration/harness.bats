#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks the shared helpers themselves (helpers.bash), so that later
# integration tests can trust their fixtures.

load helpers

setup() {
	dk_common_setup
}

teardown() {
	stop_registry
}

# HTTP status of GET URL; extra curl args (e.g. -u) may follow.
http_code() {
	local url=$1
	shift
	curl -s --noproxy '*' --max-time 5 -o /dev/null -w '%{http_code}' "$@" "$url"
}

@test "paths: DK_TOP, DK_BIN on PATH, fresh DK_ROOT" {
	[ -f "$DK_TOP/Makefile" ]
	assert_equal "${PATH%%:*}" "$DK_BIN"
	assert_equal "$DK_ROOT" "$BATS_TEST_TMPDIR/dk-root"
	[ -d "$DK_ROOT" ]
	assert_equal "$(ls -A "$DK_ROOT")" ""
}

@test "assertions report failures" {
	run true
	assert_success
	run assert_failure
	assert_equal "$status" 1

	run false
	assert_failure
	assert_failure 1
	run assert_failure 2
	assert_equal "$status" 1
	run assert_success
	assert_equal "$status" 1

	output="hello world"
	assert_output_contains "lo wo"
	run assert_output_contains "absent"
	assert_equal "$status" 1

	run assert_equal left right
	assert_equal "$status" 1
	assert_output_contains left
	assert_output_contains right
}

@test "registry starts on 127.0.0.1 and answers /v2/ with 200" {
	start_registry
	[[ "$REGISTRY" == 127.0.0.1:* ]]
	[ -n "$REGISTRY_PID" ]
	assert_equal "$(http_code "http://$REGISTRY/v2/")" 200
	# Listening on loopback only.
	run ss -ltnH "sport = :${REGISTRY##*:}"
	assert_success
	assert_output_contains "127.0.0.1:${REGISTRY##*:}"
}

@test "stop_registry stops the server and is safe to call twice" {
	start_registry
	local pid=$REGISTRY_PID
	stop_registry
	[ ! -d "/proc/$pid" ] || ! _pid_running "$pid"
	assert_equal "$(http_code "http://$REGISTRY/v2/")" 000
	stop_registry
	# A second registry can start after the first is stopped.
	start_registry
	assert_equal "$(http_code "http://$REGISTRY/v2/")" 200
}

@test "registry with htpasswd auth: 401 without, 200 with credentials" {
	htpasswd -Bbn dkuser dkpass >"$BATS_TEST_TMPDIR/htpasswd"
	start_registry "$BATS_TEST_TMPDIR/htpasswd"
	assert_equal "$(http_code "http://$REGISTRY/v2/")" 401
	assert_equal "$(http_code "http://$REGISTRY/v2/" -u dkuser:wrong)" 401
	assert_equal "$(http_code "http://$REGISTRY/v2/" -u dkuser:dkpass)" 200
}

@test "registry uses a given storage directory" {
	start_registry "" "$BATS_TEST_TMPDIR/store"
	skopeo_push_fixture dk/store:latest
	[ -d "$BATS_TEST_TMPDIR/store/docker/registry/v2/repositories/dk/store" ]
}

@test "busybox fixture is a valid OCI layout with one linux layer" {
	local layout
	layout=$(busybox_layout)
	[ -f "$layout/oci-layout" ]

	run umoci ls --layout "$layout"
	assert_success
	assert_equal "$output" latest

	run skopeo inspect "oci:$layout:latest"
	assert_success
	assert_equal "$(jq -r .Os <<<"$output")" linux
	assert_equal "$(jq -r '.Layers | length' <<<"$output")" 1

	run skopeo inspect --config "oci:$layout:latest"
	assert_success
	assert_equal "$(jq -c .config.Cmd <<<"$output")" '["sh"]'
	assert_output_contains "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	# repack and config both left a history entry.
	assert_equal "$(jq '.history | length' <<<"$output")" 2
}

@test "busybox fixture is cached and not rebuilt" {
	local layout1 layout2 before
	layout1=$(busybox_layout)
	before=$(stat -c %Y.%i "$DK_FIXTURE_DIR/busybox/.complete")
	layout2=$(busybox_layout)
	assert_equal "$layout2" "$layout1"
	assert_equal "$(stat -c %Y.%i "$DK_FIXTURE_DIR/busybox/.complete")" "$before"
}

@test "busybox_layout_copy gives an independent copy" {
	local layout copy=$BATS_TEST_TMPDIR/copy
	layout=$(busybox_layout)
	busybox_layout_copy "$copy"
	run umoci ls --layout "$copy"
	assert_success
	assert_equal "$output" latest
	assert_equal "$(layout_manifest_digest "$copy")" \
		"$(layout_manifest_digest "$layout")"
	# Changing the copy leaves the cache alone.
	umoci tag --image "$copy:latest" other
	run umoci ls --layout "$layout"
	assert_equal "$output" latest
}

@test "busybox fixture pushes to the registry with its digest unchanged" {
	local layout
	layout=$(busybox_layout)
	start_registry
	skopeo_push_fixture dk/busybox:latest

	run skopeo inspect --tls-verify=false "docker://$REGISTRY/dk/busybox:latest"
	assert_success
	assert_equal "$(jq -r .Digest <<<"$output")" \
		"$(layout_manifest_digest "$layout")"
	assert_equal "$(jq -r '.Layers | length' <<<"$output")" 1
}

@test "busybox fixture pushes to an htpasswd-protected registry" {
	htpasswd -Bbn dkuser dkpass >"$BATS_TEST_TMPDIR/htpasswd"
	start_registry "$BATS_TEST_TMPDIR/htpasswd"
	run skopeo_push_fixture dk/busybox:latest
	assert_failure
	skopeo_push_fixture dk/busybox:latest dkuser:dkpass
	assert_equal "$(http_code "http://$REGISTRY/v2/dk/busybox/tags/list" \
		-u dkuser:dkpass)" 200
}

# MACHINE-NOTES: containers must stay inside our own cgroup.  A plain
# `runc run` would create its cgroups at the hierarchy roots (outside our
# memory cgroup) unless wrapped in a cgroup namespace with remounted
# hierarchies, so this only checks the rootfs with chroot.
@test "busybox fixture rootfs runs sh (chroot)" {
	local bundle=$BATS_TEST_TMPDIR/bundle
	umoci unpack --image "$(busybox_layout):latest" "$bundle"
	run chroot "$bundle/rootfs" /bin/sh -c 'echo hi'
	assert_success
	assert_equal "$output" hi

	# The applets tests rely on resolve, and the user database is there.
	run chroot "$bundle/rootfs" /bin/sh -c \
		'for a in ls cat id hostname mount ps sleep env mkdir rm touch wc grep head test printf stat readlink; do command -v $a >/dev/null || echo missing $a; done; id -un; stat -c %a /tmp'
	assert_success
	assert_equal "$output" "root
1777"
	run chroot "$bundle/rootfs" /bin/sh -c 'grep -c . /etc/passwd /etc/group'
	assert_output_contains "/etc/passwd:2"
}

@test "no suite negates a command with a bare ! (set -e ignores it: add || false)" {
	bad=$(grep -nE '^\s*! [^-]' "$BATS_TEST_DIRNAME"/*.bats "$BATS_TEST_DIRNAME"/*.bash |
		grep -v '|| false$' || true)
	if [ -n "$bad" ]; then
		echo "$bad"
		false
	fi
	# the rule itself: a bare negation does not fail a test
	printf '@test "t" {\n\t! true\n\ttrue\n}\n' >"$BATS_TEST_TMPDIR/neg.bats"
	run bats "$BATS_TEST_TMPDIR/neg.bats"
	assert_success
}
