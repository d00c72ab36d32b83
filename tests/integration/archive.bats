#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# archive: dk save / dk load against skopeo (docker-archive:, oci-archive:)
# and podman save/load, and hostile archives.

load helpers

setup() {
	dk_common_setup
	mkdir -p "$DK_ROOT/images"
	LAYOUT=$(busybox_layout)
	skopeo copy -q "oci:$LAYOUT:latest" "oci:$DK_ROOT/images:docker.io/library/busybox:latest"
	W="$BATS_TEST_TMPDIR"
	POD=(podman --root "$W/pod/root" --runroot "$W/pod/run" --storage-driver vfs
		--events-backend file)
}

teardown() {
	for c in $(dash "$DK_BIN/dk" ps -aq 2>/dev/null); do
		dash "$DK_BIN/dk" rm -f "$c" >/dev/null 2>&1 || true
	done
	"${POD[@]}" rmi -a -f >/dev/null 2>&1 || true
}

# the store's blobs and tags, to show a failed load changed nothing
store_state() {
	(cd "$DK_ROOT/images" && find blobs -type f | sort && cat index.json)
}

# a second image on top of busybox: one more layer, so they share one
second_image() {
	mkdir -p "$W/l2"
	echo two >"$W/l2/two.txt"
	tar -C "$W/l2" -cf - . | commit --base busybox --tag me/two:v2 - >/dev/null
}

@test "dk save: skopeo and podman read it as a docker archive and as an OCI archive" {
	run dk save -o "$W/bb.tar" busybox
	assert_success
	tar -tf "$W/bb.tar" | grep -qx manifest.json
	tar -tf "$W/bb.tar" | grep -qx index.json
	assert_equal "$(tar -xOf "$W/bb.tar" manifest.json | jq -r '.[0].RepoTags[0]')" "busybox:latest"
	layer=$(store inspect busybox | jq -r '.[0].RootFS.Layers[0]')
	[ -n "$layer" ]
	run skopeo inspect --raw "oci-archive:$W/bb.tar"
	assert_success
	assert_equal "$(echo "$output" | jq -r '.config.digest')" \
		"$(store inspect busybox | jq -r '.[0].Id')"
	skopeo copy -q "docker-archive:$W/bb.tar" "oci:$W/back:t"
	assert_equal "$(skopeo inspect --config "oci:$W/back:t" | jq -r '.rootfs.diff_ids[0]')" "$layer"
	run "${POD[@]}" load -i "$W/bb.tar"
	assert_success
	assert_output_contains "Loaded image: docker.io/library/busybox:latest"
	# the same image saves to the same bytes
	dk save busybox >"$W/again.tar"
	cmp "$W/bb.tar" "$W/again.tar"
}

@test "dk load: skopeo's and podman's archives, old docker format and OCI, gzip on stdin" {
	skopeo copy -q "oci:$LAYOUT:latest" "docker-archive:$W/legacy.tar:me/legacy:v1"
	run dk load -i "$W/legacy.tar"
	assert_success
	assert_equal "$output" "Loaded image: me/legacy:v1"
	run dk run --rm me/legacy:v1 cat /etc/os-release-dk-test
	[ "$status" -ne 125 ] # the image runs; the file need not exist
	assert_equal "$(dk run --rm me/legacy:v1 echo legacy-runs)" "legacy-runs"
	"${POD[@]}" pull -q "oci:$LAYOUT:latest" >/dev/null
	"${POD[@]}" tag "$("${POD[@]}" images -q | head -1)" pod/x:1
	"${POD[@]}" save -o "$W/pod-docker.tar" pod/x:1
	"${POD[@]}" save --format oci-archive -o "$W/pod-oci.tar" pod/x:1
	rm -rf "$DK_ROOT/images"
	run dk load -i "$W/pod-docker.tar"
	assert_success
	assert_output_contains "Loaded image: localhost/pod/x:1"
	run dk load -i "$W/pod-oci.tar"
	assert_success
	assert_equal "$(dk run --rm localhost/pod/x:1 echo pod-runs)" "pod-runs"
	# docker load takes a compressed archive on stdin
	dk save -o "$W/bb.tar" localhost/pod/x:1
	rm -rf "$DK_ROOT/images"
	gzip -c "$W/bb.tar" | dk load >"$W/out"
	assert_equal "$(cat "$W/out")" "Loaded image: localhost/pod/x:1"
	store check
	# the scratch directory is gone
	assert_equal "$(ls -A "$DK_ROOT/tmp" | wc -l)" "0"
}

@test "dk save of two images sharing a layer: each blob once; dk load restores both" {
	second_image
	run dk image save -o "$W/two.tar" busybox me/two:v2
	assert_success
	base=$(store inspect busybox | jq -r '.[0].RootFS.Layers[0]')
	# 2 manifests, 2 configs, 2 layers (the base one once)
	assert_equal "$(tar -tf "$W/two.tar" | grep -c '^blobs/sha256/.')" "6"
	assert_equal "$(tar -tf "$W/two.tar" | sort | uniq -d)" ""
	bb=$(store resolve busybox)
	two=$(store resolve me/two:v2)
	rm -rf "$DK_ROOT/images"
	run dk image load -i "$W/two.tar"
	assert_success
	assert_equal "$output" "Loaded image: busybox:latest
Loaded image: me/two:v2"
	assert_equal "$(store resolve busybox)" "$bb"
	assert_equal "$(store resolve me/two:v2)" "$two"
	assert_equal "$(store inspect me/two:v2 | jq -r '.[0].RootFS.Layers[0]')" "$base"
	# an image saved by id has no tag; load says its id
	id=$(store inspect busybox | jq -r '.[0].Id')
	dk save -o "$W/id.tar" "$id"
	assert_equal "$(tar -xOf "$W/id.tar" manifest.json | jq -r '.[0].RepoTags | length')" "0"
	rm -rf "$DK_ROOT/images"
	run dk load -i "$W/id.tar"
	assert_equal "$output" "Loaded image ID: $id"
}

@test "bad input: junk, unknown image, a terminal; nothing half-written" {
	before=$(store_state)
	echo junk >"$W/junk.tar"
	run dk load -i "$W/junk.tar"
	assert_failure 1
	assert_output_contains "not a tar stream"
	run dk load -i "$W/missing.tar"
	assert_failure 1
	assert_output_contains "missing.tar"
	tar -cf "$W/empty.tar" -T /dev/null
	run dk load -i "$W/empty.tar"
	assert_failure 1
	assert_output_contains "no index.json or manifest.json"
	assert_equal "$(store_state)" "$before"
	run dk save -o "$W/x.tar" nosuch
	assert_failure 1
	assert_output_contains "nosuch"
	[ ! -e "$W/x.tar" ]
	assert_equal "$(ls "$W" | grep -c 'x.tar')" "0"
	run dk save -o "$W/nodir/x.tar" busybox
	assert_failure 1
	run script -qec "dash $DK_BIN/dk save busybox" /dev/null
	[[ "$output" == *"cowardly refusing to save to a terminal"* ]]
	run dk save --platform linux/arm64 -o "$W/p.tar" busybox
	assert_failure 2
	assert_output_contains "not supported"
	run dk image prune -a
	assert_failure 125
}

@test "hostile archives: a tampered blob, a wrong diff_id, paths and links out, a fifo" {
	dk save -o "$W/bb.tar" busybox
	before=$(store_state)
	# a layer blob whose bytes do not match its name
	mkdir "$W/t" && tar -C "$W/t" -xf "$W/bb.tar"
	layer=$(tar -xOf "$W/bb.tar" manifest.json | jq -r '.[0].Layers[0]')
	cp "$W/t/$layer" "$W/layer.gz"
	gzip -dc "$W/layer.gz" | gzip -1 >"$W/t/$layer"
	rm -rf "$DK_ROOT/images" && mkdir "$DK_ROOT/images"
	(cd "$W/t" && tar -cf "$W/tampered.tar" .)
	run dk load -i "$W/tampered.tar"
	assert_failure 1
	assert_output_contains "sha256:"
	assert_equal "$(store list -q | wc -l)" "0"
	# an old-format archive whose layer is not the config's diff_id
	skopeo copy -q "oci:$LAYOUT:latest" "docker-archive:$W/legacy.tar:me/legacy:v1"
	mkdir "$W/l" && tar -C "$W/l" -xf "$W/legacy.tar"
	lt=$(jq -r '.[0].Layers[0]' "$W/l/manifest.json")
	chmod u+w "$W/l/$lt" && echo extra >>"$W/l/$lt"
	(cd "$W/l" && tar -cf "$W/badlegacy.tar" .)
	run dk load -i "$W/badlegacy.tar"
	assert_failure 1
	assert_output_contains "but the config says"
	assert_equal "$(store list -q | wc -l)" "0"
	# members that climb out, a link to a host file, a fifo as a layer
	python3 - "$W" <<'EOF'
import io, json, sys, tarfile
w = sys.argv[1]
def add(t, name, data=b"", **kw):
    i = tarfile.TarInfo(name)
    for k, v in kw.items():
        setattr(i, k, v)
    i.size = len(data) if i.type == tarfile.REGTYPE else 0
    t.addfile(i, io.BytesIO(data) if i.type == tarfile.REGTYPE else None)
cfg = json.dumps({"rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
for kind in ("link", "fifo", "abs"):
    with tarfile.open(f"{w}/{kind}.tar", "w") as t:
        add(t, "../../escape-" + kind, b"x")
        add(t, "c.json", cfg)
        layer = {"link": "l.tar", "fifo": "f.tar", "abs": "/etc/passwd"}[kind]
        if kind == "link":
            add(t, "l.tar", type=tarfile.SYMTYPE, linkname="/etc/passwd")
        if kind == "fifo":
            add(t, "f.tar", type=tarfile.FIFOTYPE)
        m = [{"Config": "c.json", "RepoTags": ["evil:1"], "Layers": [layer]}]
        add(t, "manifest.json", json.dumps(m).encode())
EOF
	for kind in link fifo abs; do
		run timeout 20 dash "$DK_BIN/dk" load -i "$W/$kind.tar"
		assert_failure 1
		[ ! -e "$W/../escape-$kind" ] && [ ! -e "$DK_ROOT/escape-$kind" ]
	done
	assert_equal "$(store list -q | wc -l)" "0"
	assert_equal "$(ls -A "$DK_ROOT/tmp" | wc -l)" "0"
	store check
}

@test "dk export / dk import: a container's filesystem to a tar and back as an image" {
	N="t$$-${BATS_TEST_NUMBER}"
	dk run --name "$N" busybox sh -c 'echo exported >/new.txt; ln /new.txt /hard; rm /etc/group'
	run dk export -o "$W/fs.tar" "$N"
	assert_success
	tar -tf "$W/fs.tar" | grep -qx new.txt
	! tar -tf "$W/fs.tar" | grep -qx etc/group || false
	[ "$(tar -tvf "$W/fs.tar" | grep -c '^h')" -eq 1 ]
	dk export "$N" | cmp - "$W/fs.tar"
	run dk import -m "from export" -c 'CMD ["/bin/cat", "/new.txt"]' "$W/fs.tar" me/imp:1
	assert_success
	assert_equal "$(dk run --rm me/imp:1)" "exported"
	store history me/imp:1 | grep -q "from export"
	# compressed, on stdin, -c after the file as docker's parser allows
	gzip -c "$W/fs.tar" | dk import - me/imp:2 -c 'CMD ["/bin/ls", "/hard"]'
	assert_equal "$(dk run --rm me/imp:2)" "/hard"
	xz -c "$W/fs.tar" >"$W/fs.tar.xz"
	dk import "$W/fs.tar.xz" me/imp:3
	assert_equal "$(dk run --rm me/imp:3 cat /new.txt)" "exported"
	dk rm "$N" >/dev/null
	# bad input
	before=$(store_state)
	echo junk >"$W/junk"
	run dk import "$W/junk" me/bad:1
	assert_failure
	head -c 3000 "$W/fs.tar" | gzip >"$W/cut.tar.gz"
	run dk import "$W/cut.tar.gz" me/bad:2
	assert_failure
	assert_equal "$(store list --format json | jq -r 'select(.Repository == "me/bad") | .Tag')" ""
	run dk import http://127.0.0.1:1/x.tar me/bad:3
	assert_failure 125
	assert_output_contains "not supported"
	run dk export -o "$W/none.tar" "$N-missing"
	assert_failure 1
	assert_output_contains "No such container"
	[ ! -e "$W/none.tar" ]
}
