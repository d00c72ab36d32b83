#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# snapshot: layer cache, overlay and copy snapshots, diff | commit.

load helpers
load helpers-commit
load helpers-snapshot

setup() {
	dk_common_setup
	import_busybox
}

teardown() {
	snap_teardown
}

@test "snapshot: --help, --version, usage errors" {
	run snapshot --help
	assert_success
	assert_output_contains "prepare"
	run snapshot --version
	assert_output_contains "snapshot version"
	run snapshot
	assert_failure 2
	run snapshot frob
	assert_failure 2
	assert_output_contains 'unknown command "frob"'
	run snapshot prepare busybox
	assert_failure 2
	run snapshot prepare busybox '../evil'
	assert_failure 2
	assert_output_contains 'snapshot key "../evil"'
	run snapshot prepare --driver zfs busybox k
	assert_failure 2
	run snapshot list --format yaml
	assert_failure 2
}

@test "snapshot: prepare mounts an overlay rootfs of the image" {
	run snapshot prepare busybox c1
	assert_success
	rootfs=$output
	assert_equal "$rootfs" "$DK_ROOT/snapshots/c1/rootfs"
	findmnt -n -o FSTYPE "$rootfs" | grep -qx overlay
	[ -x "$rootfs/bin/busybox" ]
	grep -q '^root:' "$rootfs/etc/passwd"
	run snapshot list
	assert_output_contains "c1"
	assert_output_contains "docker.io/library/busybox:latest"
	run snapshot list --format json
	assert_equal "$(echo "$output" | jq -r '.[0].key, .[0].driver, .[0].mounted')" "c1
overlay
true"
	# only complete layers in the cache, each with its marker
	for d in $(ls "$DK_ROOT/layers" | grep '^[0-9a-f]\{64\}$'); do
		[ -f "$DK_ROOT/layers/$d/complete" ]
	done
	run snapshot prepare busybox c1
	assert_failure 1
	assert_output_contains "snapshot c1 already exists"
	run snapshot prepare no/such c2
	assert_failure 1
	assert_output_contains "no such image: no/such"
}

@test "snapshot: two containers share the extracted layers" {
	r1=$(snapshot prepare busybox c1)
	r2=$(snapshot prepare busybox c2)
	[ "$r1" != "$r2" ]
	assert_equal "$(ls "$DK_ROOT/layers" | grep -c '^[0-9a-f]\{64\}$')" 1
	chain=$(ls "$DK_ROOT/layers" | grep '^[0-9a-f]\{64\}$')
	cached=$(stat -c %i "$DK_ROOT/layers/$chain/fs/bin/busybox")
	assert_equal "$(stat -c %i "$r1/bin/busybox")" "$cached"
	assert_equal "$(stat -c %i "$r2/bin/busybox")" "$cached"
	# writes stay private
	echo one >"$r1/only-in-c1"
	[ ! -e "$r2/only-in-c1" ]
	[ ! -e "$DK_ROOT/layers/$chain/fs/only-in-c1" ]
}

@test "snapshot: diff | commit carries every kind of change; umoci sees the same tree" {
	make_base
	rootfs=$(snapshot prepare base c1)
	make_changes "$rootfs"
	snapshot diff c1 >"$BATS_TEST_TMPDIR/d.tar"
	run tar -tvf "$BATS_TEST_TMPDIR/d.tar"
	assert_output_contains "bin/.wh.ls"
	assert_output_contains "data/.wh.a"
	assert_output_contains "data2/.wh..wh..opq"
	assert_output_contains "new/hardlink link to new/dir/file"
	assert_output_contains "new/symlink -> ../bin/busybox"
	# only the change, not the image
	[ -z "$(echo "$output" | grep ' bin/busybox$')" ]
	# the same change gives the same bytes
	snapshot diff c1 | cmp - "$BATS_TEST_TMPDIR/d.tar"
	snapshot diff c1 | commit --base base --tag me/changed -m "changes" >/dev/null
	umoci unpack --image "$DK_ROOT/images:docker.io/me/changed:latest" "$BATS_TEST_TMPDIR/b" >/dev/null
	tree "$rootfs" >"$BATS_TEST_TMPDIR/want"
	tree "$BATS_TEST_TMPDIR/b/rootfs" >"$BATS_TEST_TMPDIR/got"
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	b=$BATS_TEST_TMPDIR/b/rootfs
	[ ! -e "$b/bin/ls" ] && [ ! -e "$b/data/a" ] && [ ! -e "$b/data2/x" ] && [ ! -e "$b/data2/sub" ]
	assert_equal "$(cat "$b/data2/fresh")" fresh
	assert_equal "$(tail -n1 "$b/etc/passwd")" changed
	assert_equal "$(stat -c %a "$b/etc/group")" 600
	assert_equal "$(stat -c %i "$b/new/hardlink")" "$(stat -c %i "$b/new/dir/file")"
	assert_equal "$(getfattr -n user.dk.test --only-values "$b/new/dir/file")" hello
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/me/changed:latest"
	assert_equal "$(echo "$output" | jq '.Layers | length')" 3
	assert_equal "$(config_of docker.io/me/changed:latest | jq -r '.history[-1].comment')" changes
}

@test "snapshot: the copy driver gives the same change" {
	make_base
	rootfs=$(snapshot prepare --driver copy base k1)
	[ -z "$(findmnt -n "$rootfs")" ]
	[ -x "$rootfs/bin/busybox" ]
	[ -f "$rootfs/data2/sub/y" ]
	make_changes "$rootfs"
	snapshot diff k1 >"$BATS_TEST_TMPDIR/d.tar"
	run tar -tvf "$BATS_TEST_TMPDIR/d.tar"
	assert_output_contains "bin/.wh.ls"
	assert_output_contains "data2/.wh.x"
	[ -z "$(echo "$output" | grep ' bin/busybox$')" ]
	commit --base base --tag me/copied <"$BATS_TEST_TMPDIR/d.tar" >/dev/null
	umoci unpack --image "$DK_ROOT/images:docker.io/me/copied:latest" "$BATS_TEST_TMPDIR/b" >/dev/null
	tree "$rootfs" >"$BATS_TEST_TMPDIR/want"
	tree "$BATS_TEST_TMPDIR/b/rootfs" >"$BATS_TEST_TMPDIR/got"
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	run snapshot list --format json
	assert_equal "$(echo "$output" | jq -r '.[0].driver')" copy
}

@test "snapshot: umount, mount, remove" {
	rootfs=$(snapshot prepare busybox c1)
	echo kept >"$rootfs/note"
	snapshot umount c1
	[ -z "$(findmnt -n "$rootfs")" ]
	run snapshot list --format json
	assert_equal "$(echo "$output" | jq '.[0].mounted')" false
	run snapshot mount c1
	assert_success
	assert_equal "$output" "$rootfs"
	assert_equal "$(cat "$rootfs/note")" kept
	snapshot remove c1
	[ -z "$(findmnt -n "$rootfs")" ]
	[ ! -e "$DK_ROOT/snapshots/c1" ]
	run snapshot remove c1
	assert_failure 1
	assert_output_contains "no such snapshot: c1"
	run snapshot diff nope
	assert_failure 1
	assert_output_contains "no such snapshot: nope"
}

@test "snapshot: prune removes layers no image or snapshot uses" {
	make_base
	snapshot prepare base c1 >/dev/null
	assert_equal "$(ls "$DK_ROOT/layers" | grep -c '^[0-9a-f]\{64\}$')" 2
	# named by chain id: sha256 of "<parent chain id> <diff_id>"
	ids=$(config_of docker.io/library/base:latest | jq -r '.rootfs.diff_ids[]')
	first=$(echo "$ids" | sed -n 1p)
	second=$(printf '%s %s' "$first" "$(echo "$ids" | sed -n 2p)" | sha256sum | cut -d' ' -f1)
	[ -f "$DK_ROOT/layers/${first#sha256:}/complete" ]
	[ -f "$DK_ROOT/layers/$second/complete" ]
	# untag base: its top layer is still used by c1
	jq '.manifests |= map(select(.annotations["org.opencontainers.image.ref.name"] != "docker.io/library/base:latest"))' \
		"$DK_ROOT/images/index.json" >"$BATS_TEST_TMPDIR/i" && cp "$BATS_TEST_TMPDIR/i" "$DK_ROOT/images/index.json"
	run snapshot prune
	assert_success
	assert_equal "$output" ""
	snapshot remove c1
	run snapshot prune
	assert_success
	[ -n "$output" ]
	assert_equal "$(ls "$DK_ROOT/layers" | grep -c '^[0-9a-f]\{64\}$')" 1
	# the busybox layer stays; a new prepare still works
	snapshot prepare busybox c2 >/dev/null
}

@test "snapshot: crash leftovers are cleaned; SIGKILL during prepare is harmless" {
	mkdir -p "$DK_ROOT/layers/$(printf '%064d' 1).tmp-999999-0/fs" "$DK_ROOT/snapshots/.dead.tmp-999999/upper"
	snapshot prepare busybox c0 >/dev/null
	[ ! -e "$DK_ROOT/layers/$(printf '%064d' 1).tmp-999999-0" ]
	[ ! -e "$DK_ROOT/snapshots/.dead.tmp-999999" ]
	snapshot remove c0
	snapshot prune >/dev/null
	for i in $(seq 1 6); do
		snapshot prepare busybox "k$i" >/dev/null 2>&1 &
		pid=$!
		sleep "0.0$((RANDOM % 6))"
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		snap_teardown
		# a layer directory is either complete or a temporary one
		for d in "$DK_ROOT"/layers/*; do
			case $d in
			*.tmp-*) ;;
			*/l | */empty) ;;
			*) [ -f "$d/complete" ] ;;
			esac
		done
	done
	rootfs=$(snapshot prepare busybox final)
	[ -x "$rootfs/bin/busybox" ]
	run ls "$DK_ROOT/layers"
	[[ "$output" != *.tmp-* ]]
	run ls -a "$DK_ROOT/snapshots"
	[[ "$output" != *.tmp-* ]]
}

@test "snapshot: an image with many layers still mounts" {
	src=$BATS_TEST_TMPDIR/many
	prev=busybox
	for i in $(seq 1 70); do
		rm -rf "$src" && mkdir -p "$src/layers" && echo "$i" >"$src/layers/$i"
		layer_tar "$src" "$BATS_TEST_TMPDIR/m.tar"
		commit --base "$prev" --tag "many:$i" "$BATS_TEST_TMPDIR/m.tar" >/dev/null
		prev=many:$i
	done
	# 71 full lower paths ($DK_ROOT/layers/<64 hex>/fs) exceed a page
	[ $(( (${#DK_ROOT} + 75) * 71 )) -gt 4096 ]
	rootfs=$(snapshot prepare many:70 big)
	assert_equal "$(ls "$rootfs/layers" | wc -l)" 70
	assert_equal "$(cat "$rootfs/layers/1")" 1
	assert_equal "$(cat "$rootfs/layers/70")" 70
	[ -x "$rootfs/bin/busybox" ]
}

@test "snapshot: --root instead of DK_ROOT" {
	root=$DK_ROOT
	run env -u DK_ROOT snapshot --root "$root" prepare busybox r1
	assert_success
	run env -u DK_ROOT snapshot list --root "$root"
	assert_output_contains r1
}

@test "snapshot: a hardlink to a file of a lower layer" {
	python3 -c "
import tarfile
t = tarfile.open('$BATS_TEST_TMPDIR/hl.tar', 'w', format=tarfile.PAX_FORMAT)
i = tarfile.TarInfo('usr/bin/bb-link'); i.type = tarfile.LNKTYPE; i.linkname = 'bin/busybox'
t.addfile(i); t.close()"
	commit --base busybox --tag hl "$BATS_TEST_TMPDIR/hl.tar" >/dev/null
	rootfs=$(snapshot prepare hl c1)
	cmp "$rootfs/usr/bin/bb-link" "$rootfs/bin/busybox"
	rootfs=$(snapshot prepare --driver copy hl c2)
	assert_equal "$(stat -c %i "$rootfs/usr/bin/bb-link")" "$(stat -c %i "$rootfs/bin/busybox")"
}

@test "snapshot: concurrent prepares of one image extract it once, both work" {
	make_base
	snapshot prepare base p1 >"$BATS_TEST_TMPDIR/o1" &
	a=$!
	snapshot prepare base p2 >"$BATS_TEST_TMPDIR/o2" &
	b=$!
	wait "$a"
	wait "$b"
	[ -x "$(cat "$BATS_TEST_TMPDIR/o1")/bin/busybox" ]
	[ -f "$(cat "$BATS_TEST_TMPDIR/o2")/data/a" ]
	assert_equal "$(ls "$DK_ROOT/layers" | grep -c '^[0-9a-f]\{64\}$')" 2
	run ls "$DK_ROOT/layers"
	[[ "$output" != *.tmp-* ]]
}

@test "snapshot: unprivileged: overlay refused with a reason, copy driver works" {
	root=$(mktemp -d /tmp/dk-rootless.XXXXXX)
	chmod 755 "$root"
	cp -a "$DK_ROOT/images" "$root/"
	chown -R nobody:nogroup "$root"
	as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env DK_ROOT="$root" "$@"; }
	run as_nobody snapshot prepare busybox u1
	assert_failure 1
	assert_output_contains "mounting needs root; use --driver copy"
	run as_nobody snapshot prepare --driver copy busybox u2
	assert_success
	echo hi | as_nobody sh -c "cat >'$root/snapshots/u2/rootfs/tmp/hello'"
	run bash -c "setpriv --reuid=nobody --regid=nogroup --clear-groups env DK_ROOT='$root' snapshot diff u2 | tar -t"
	rm -rf "$root"
	assert_success
	assert_output_contains "tmp/hello"
}

@test "snapshot: SOURCE_DATE_EPOCH makes the same change in two containers the same image" {
	make_base
	r1=$(snapshot prepare base c1)
	make_changes "$r1"
	sleep 1.1
	r2=$(snapshot prepare base c2)
	make_changes "$r2"
	run cmp <(snapshot diff c1) <(snapshot diff c2)
	assert_failure	# times differ
	export SOURCE_DATE_EPOCH=1700000000
	cmp <(snapshot diff c1) <(snapshot diff c2)
	a=$(snapshot diff c1 | commit --base base --tag same:1)
	b=$(snapshot diff c2 | commit --base base --tag same:2)
	assert_equal "$a" "$b"
	run bash -c "SOURCE_DATE_EPOCH=soon snapshot diff c1 >/dev/null"
	assert_failure 1
	assert_output_contains 'SOURCE_DATE_EPOCH "soon"'
}

@test "snapshot: 10,000 nested directories and 255-byte names go through diff | commit" {
	rootfs=$(snapshot prepare busybox deep$$)
	# what a process in a container can do to `dk commit`: before, the
	# recursive walk died of a stack overflow and commit kept the cut tar
	python3 - "$rootfs" <<'PY'
import os, sys
os.chdir(sys.argv[1])
os.mkdir("deep"); os.chdir("deep")
for i in range(10000):
    os.mkdir("d"); os.chdir("d")
open("leaf", "w").write("bottom\n")
os.chdir(sys.argv[1])
os.mkdir("long")
open("long/" + "n" * 255, "w").write("long\n")
PY
	snapshot diff "deep$$" >"$BATS_TEST_TMPDIR/d.tar"
	run bash -c "tar -tf '$BATS_TEST_TMPDIR/d.tar' | grep -c '^deep/'"
	assert_equal "$output" 10002
	tar -tf "$BATS_TEST_TMPDIR/d.tar" | grep -q "/leaf$"
	tar -tf "$BATS_TEST_TMPDIR/d.tar" | grep -qx "long/$(printf 'n%.0s' $(seq 255))"
	run bash -c "set -o pipefail; snapshot diff deep$$ | commit --base busybox --tag me/deep"
	assert_success
	manifest=$(store resolve me/deep)
	layer=$(jq -r '.layers[-1].digest' <"$DK_ROOT/images/blobs/sha256/${manifest#sha256:}")
	[ -f "$DK_ROOT/images/blobs/sha256/${layer#sha256:}" ]
	run bash -c "tar -tzf '$DK_ROOT/images/blobs/sha256/${layer#sha256:}' | grep -c /leaf"
	assert_equal "$output" 1
	# and it can be removed: before, rm -rf held a descriptor per level
	# and ran out of them 1,000 levels down, leaving the snapshot behind
	(ulimit -n 256 && snapshot remove "deep$$")
	[ ! -e "$DK_ROOT/snapshots/deep$$" ]
	# the copy driver compares the image's tree level by level, holding
	# descriptors: out of them, its diff fails clearly (no crash), and
	# commit stores nothing
	snapshot prepare --driver copy me/deep "deepc$$" >/dev/null
	run bash -c "ulimit -n 1024; snapshot diff deepc$$ | commit --require-layer --base busybox --tag me/deepc"
	assert_failure
	[ "$status" -lt 128 ]
	assert_output_contains "Too many open files"
	run store resolve me/deepc
	assert_failure
	(ulimit -n 256 && snapshot remove "deepc$$")
}

@test "snapshot: the copy driver's diff keeps 4,000-byte paths of 255-byte names whole" {
	rootfs=$(snapshot prepare busybox lb$$)
	# 15 levels of 255-byte names: paths of about 3,900 bytes (a layer's
	# names stop at 4,095), in the image
	python3 - "$rootfs" <<'PY'
import os, sys
os.chdir(sys.argv[1])
for i in range(15):
    os.mkdir("%02d" % i + "n" * 253); os.chdir("%02d" % i + "n" * 253)
open("base", "w").write("base\n")
PY
	run bash -c "set -o pipefail; snapshot diff lb$$ | commit --base busybox --tag me/longbase"
	assert_success
	rootfs=$(snapshot prepare --driver copy me/longbase lc$$)
	# a change below every level: the copy driver compares both trees
	# at each level
	python3 - "$rootfs" <<'PY'
import os, sys
os.chdir(sys.argv[1])
for i in range(15):
    os.chdir("%02d" % i + "n" * 253)
open("added", "w").write("added\n")
PY
	snapshot diff "lc$$" >"$BATS_TEST_TMPDIR/d.tar"
	want=$(python3 -c 'print("/".join("%02d" % i + "n" * 253 for i in range(15)) + "/added")')
	run bash -c "tar -tf '$BATS_TEST_TMPDIR/d.tar' | grep -c /added"
	assert_equal "$output" 1
	assert_equal "$(tar -tf "$BATS_TEST_TMPDIR/d.tar" | grep /added)" "$want"
	assert_equal "$(tar -xOf "$BATS_TEST_TMPDIR/d.tar" "$want")" "added"
}
