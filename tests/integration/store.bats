#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# store: the image store (libdk) read and written by skopeo and umoci, and
# the store tool's commands, including bad input.

load helpers

setup() {
	dk_common_setup
	STORE="$DK_ROOT/images"
	LAYOUT=$(busybox_layout)
	WANT=$(layout_manifest_digest "$LAYOUT")
}

import_busybox() {
	mkdir -p "$STORE"
	skopeo copy -q "oci:$LAYOUT:latest" "oci:$STORE:docker.io/library/busybox:latest"
}

@test "a store written by skopeo is read by dk: list, resolve, inspect, history" {
	import_busybox
	run store list
	assert_success
	assert_output_contains "busybox"
	assert_output_contains "latest"
	run store resolve busybox
	assert_success
	assert_equal "$output" "$WANT"
	run store inspect busybox
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].Config.Cmd[0]')" "sh"
	assert_equal "$(echo "$output" | jq -r '.[0].RepoTags[0]')" "busybox:latest"
	run store history busybox
	assert_success
	assert_output_contains "busybox-static rootfs"
}

@test "a tag written by dk is read by skopeo and umoci" {
	import_busybox
	run store tag busybox me/bb:v1
	assert_success
	run skopeo inspect "oci:$STORE:docker.io/me/bb:v1"
	assert_success
	assert_equal "$(echo "$output" | jq -r .Digest)" "$WANT"
	run umoci ls --layout "$STORE"
	assert_success
	assert_output_contains "docker.io/me/bb:v1"
	assert_output_contains "docker.io/library/busybox:latest"
	umoci unpack --image "$STORE:docker.io/me/bb:v1" "$BATS_TEST_TMPDIR/bundle"
	[ -x "$BATS_TEST_TMPDIR/bundle/rootfs/bin/busybox" ]
	# the layout stays valid for skopeo after our index.json rewrite
	run skopeo inspect "oci:$STORE:docker.io/library/busybox:latest"
	assert_success
}

@test "a layout written by umoci is read by dk (short tag names)" {
	mkdir -p "$DK_ROOT"
	cp -a "$LAYOUT" "$STORE"
	run store resolve latest
	assert_success
	assert_equal "$output" "$WANT"
	run store inspect latest
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].RootFS.Layers | length')" "1"
}

@test "--root and DK_ROOT choose the store" {
	import_busybox
	other="$BATS_TEST_TMPDIR/other"
	run store --root "$other" list -q
	assert_success
	assert_equal "$output" ""
	[ -f "$other/images/oci-layout" ]
	run env DK_ROOT="$DK_ROOT" store list -q
	assert_success
	[ -n "$output" ]
	run store list --format json
	assert_success
	assert_equal "$(echo "$output" | jq -r '.Repository')" "busybox"
	# a Go template on docker's fields; table TEMPLATE adds the titles
	run store list --format '{{.Repository}}:{{.Tag}} {{.Size}}'
	assert_success
	[[ "$output" =~ ^busybox:latest\ [0-9.]+[kM]B$ ]]
	run store list --format 'table {{.Repository}}\t{{.ID}}'
	assert_equal "$(echo "$output" | head -1)" "REPOSITORY	IMAGE ID"
	assert_equal "$(echo "$output" | sed -n 2p | cut -f1)" "busybox"
	run store list --format '{{.Nope}}'
	assert_failure 1
	run store list --format '{{.Repository'
	assert_failure 1
	assert_output_contains "template parsing error"
}

@test "rm removes the name and the blobs nothing else uses" {
	import_busybox
	store tag busybox keep:1
	run store rm busybox
	assert_success
	assert_output_contains "Untagged: docker.io/library/busybox:latest"
	run store resolve busybox
	assert_failure 1
	# still there under the other name, blobs intact
	run store resolve keep:1
	assert_success
	skopeo inspect "oci:$STORE:docker.io/library/keep:1" >/dev/null
	run store rm keep:1
	assert_success
	assert_equal "$(ls "$STORE/blobs/sha256" | wc -l)" "0"
}

@test "gc keeps what tags reach and drops orphans" {
	import_busybox
	echo orphan >"$STORE/blobs/sha256/$(echo orphan | sha256sum | cut -d' ' -f1)"
	before=$(ls "$STORE/blobs/sha256" | wc -l)
	run store gc
	assert_success
	assert_equal "$output" "1"
	assert_equal "$(ls "$STORE/blobs/sha256" | wc -l)" "$((before - 1))"
	skopeo inspect "oci:$STORE:docker.io/library/busybox:latest" >/dev/null
}

@test "bad input: unknown names, bad references, usage errors" {
	import_busybox
	run store resolve nope
	assert_failure 1
	assert_output_contains "store: no such image: nope"
	run store tag busybox "Bad:Name"
	assert_failure 1
	assert_output_contains "invalid reference"
	run store tag busybox
	assert_failure 2
	run store frobnicate
	assert_failure 2
	assert_output_contains 'unknown command "frobnicate"'
	# as docker's: any other --format is a template (here without actions)
	run store list --format yaml
	assert_success
	assert_equal "$output" "yaml"
	run store --version
	assert_success
	assert_output_contains "store version"
}

@test "bad input: malformed index.json, not a layout, corrupted blob" {
	import_busybox
	cp "$STORE/index.json" "$BATS_TEST_TMPDIR/index.good"
	printf '{"schemaVersion":2,"manifests":[' >"$STORE/index.json"
	run store list
	assert_failure 1
	assert_output_contains "index.json"
	assert_output_contains "malformed JSON"
	cp "$BATS_TEST_TMPDIR/index.good" "$STORE/index.json"

	# a blob whose bytes no longer match its name is refused, not used
	cfg=$(store inspect busybox | jq -r '.[0].Id' | cut -d: -f2)
	chmod u+w "$STORE/blobs/sha256/$cfg"
	echo '{"tampered":true}' >"$STORE/blobs/sha256/$cfg"
	run store inspect busybox
	assert_failure 1
	assert_output_contains "does not match its digest"

	# the store path is taken by something that is not a directory
	rm -rf "$STORE"
	echo x >"$STORE"
	run store list
	assert_failure 1
	assert_output_contains "image store $STORE"
}

@test "store check: a clean store passes; corrupt, missing and truncated blobs are found and repaired" {
	import_busybox
	skopeo copy -q "oci:$LAYOUT:latest" "oci:$STORE:docker.io/me/other:1"
	run bash -c "store check 2>/dev/null"
	assert_success
	[ -z "$output" ]
	run bash -c "store check 2>&1 >/dev/null"
	assert_output_contains "0 problems, 0 repairs, 0 problems left"
	man=$(store resolve busybox | cut -d: -f2)
	layer=$(jq -r '.layers[0].digest' "$STORE/blobs/sha256/$man" | cut -d: -f2)
	cfg=$(jq -r '.config.digest' "$STORE/blobs/sha256/$man" | cut -d: -f2)
	# a flipped byte in the layer, a config gone
	chmod u+w "$STORE/blobs/sha256/$layer"
	printf 'X' | dd of="$STORE/blobs/sha256/$layer" bs=1 seek=100 conv=notrunc 2>/dev/null
	rm "$STORE/blobs/sha256/$cfg"
	echo junk >"$STORE/blobs/sha256/not-a-digest"
	run store check
	assert_failure 1
	assert_output_contains "blob sha256:$layer: corrupt: its content is sha256:"
	assert_output_contains "docker.io/library/busybox:latest: sha256:$cfg"
	assert_output_contains "is missing"
	assert_output_contains "blobs/sha256/not-a-digest: not a blob"
	# both tags share the blobs: both are reported
	assert_output_contains "docker.io/me/other:1"
	run store check --repair
	assert_success
	assert_output_contains "repaired: removed blobs/sha256/$layer"
	assert_output_contains "repaired: untagged docker.io/library/busybox:latest"
	[ ! -e "$STORE/blobs/sha256/$layer" ]
	run store check
	assert_success
	run store list
	[[ "$output" != *busybox* ]]
	# skopeo reads what is left
	skopeo inspect "oci:$STORE" >/dev/null 2>&1 || true
	run store check extra
	assert_failure 2
}
