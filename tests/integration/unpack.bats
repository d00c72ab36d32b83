#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# unpack: image -> bundle (run by runc and crun, same tree as umoci), every
# layer semantic on crafted layers, hostile input, config.json generation.

load helpers
load helpers-unpack

setup() {
	dk_common_setup
	T=$BATS_TEST_TMPDIR
	cd "$T"
}

# --- command line -------------------------------------------------------

@test "unpack: --help, --version, usage errors" {
	run unpack --help
	assert_success
	assert_output_contains "IMAGE BUNDLE"
	run unpack --version
	assert_success
	assert_output_contains "unpack"
	run unpack onlyone
	assert_failure 2
	run unpack --bogus a b
	assert_failure 2
	run unpack layer
	assert_failure 2
	run unpack layer --uid-map 1:2 d
	assert_failure 2
	assert_output_contains "1:2"
}

@test "unpack: images named by digest" {
	import_busybox
	d=$(jq -r '.manifests[0].digest' "$DK_ROOT/images/index.json")
	for ref in "busybox@$d" "$d" "@$d"; do
		rm -rf "$T/b"
		run unpack "$ref" "$T/b"
		assert_success
		[ -x "$T/b/rootfs/bin/busybox" ]
	done
}

@test "unpack: the manifest for this platform (or --platform) is picked from an index" {
	mklayer host.tar f:which:host
	mklayer other.tar f:which:other
	mkimage docker.io/library/p:host host.tar >/dev/null
	MKIMAGE_ARCH=s390x mkimage docker.io/library/p:other other.tar >/dev/null
	case $(uname -m) in
	x86_64) arch=amd64 ;;
	aarch64) arch=arm64 ;;
	*) arch=$(uname -m) ;;
	esac
	mkindex docker.io/library/p:multi docker.io/library/p:other=linux/s390x \
		"docker.io/library/p:host=linux/$arch" >/dev/null
	run unpack p:multi "$T/b1"
	assert_success
	[ "$(cat "$T/b1/rootfs/which")" = host ]
	run unpack --platform linux/s390x p:multi "$T/b2"
	assert_success
	[ "$(cat "$T/b2/rootfs/which")" = other ]
	run unpack --platform linux/mips64le p:multi "$T/b3"
	assert_failure 1
	[ ! -e "$T/b3" ]
}

@test "unpack: missing image and bad platform fail clearly" {
	import_busybox
	run unpack nosuchimage "$T/b"
	assert_failure 1
	assert_output_contains "nosuchimage"
	[ ! -e "$T/b" ]
	run unpack --platform linux/s390x busybox "$T/b"
	assert_failure 1
	[ ! -e "$T/b" ]
}

# --- busybox: runs, matches umoci ---------------------------------------

@test "unpack: busybox bundle runs under runc" {
	import_busybox
	run unpack busybox "$T/bundle"
	assert_success
	[ -x "$T/bundle/rootfs/bin/busybox" ]
	set_process_args "$T/bundle" sh -c 'echo hi from $(id -u); cat /etc/passwd | head -1'
	run runtime_run runc "$T/bundle" "dk-unpack-$$-runc"
	assert_success
	assert_output_contains "hi from 0"
	assert_output_contains "root:"
}

@test "unpack: busybox bundle runs under crun" {
	import_busybox
	unpack --root "$DK_ROOT" docker.io/library/busybox:latest "$T/bundle"
	set_process_args "$T/bundle" sh -c 'echo crun ok; ls /dev/null'
	run runtime_run crun "$T/bundle" "dk-unpack-$$-crun"
	assert_success
	assert_output_contains "crun ok"
	assert_output_contains "/dev/null"
}

@test "unpack: --rootless bundle has a user namespace and runs under runc" {
	import_busybox
	run unpack --rootless busybox "$T/bundle"
	assert_success
	run jq -r '.linux.namespaces[].type' "$T/bundle/config.json"
	assert_output_contains "user"
	[ "$(jq '.linux.uidMappings[0].hostID' "$T/bundle/config.json")" = "$(id -u)" ]
	[ "$(jq '.mounts | map(select(.type == "cgroup")) | length' "$T/bundle/config.json")" = 0 ]
	set_process_args "$T/bundle" sh -c 'cat /proc/self/uid_map'
	run runtime_run runc "$T/bundle" "dk-unpack-$$-rl"
	assert_success
	assert_output_contains "0"
}

@test "unpack: the bundle is 0700, so no local user reaches the image's setuid files" {
	import_busybox
	unpack busybox "$T/b"
	[ "$(stat -c %a "$T/b")" = 700 ]
	chmod u+s "$T/b/rootfs/bin/busybox"
	# a local user cannot reach the rootfs (before: it ran setuid-root
	# binaries); the same user can reach a 0755 sibling
	d=$T
	while [ "$d" != / ]; do
		[ -n "$(find "$d" -maxdepth 0 -perm -o+x)" ] || chmod o+x "$d"
		d=$(dirname "$d")
	done
	mkdir -m 755 "$T/open" && cp "$T/b/rootfs/bin/busybox" "$T/open/"
	run runuser -u nobody -- "$T/open/busybox" id -u
	assert_success
	assert_equal "$output" 65534
	run runuser -u nobody -- "$T/b/rootfs/bin/busybox" id -u
	assert_failure
	assert_output_contains "Permission denied"
	run runuser -u nobody -- test -e "$T/b/rootfs/bin/busybox"
	assert_failure
	# with an id map the container's root owns it and may enter it
	unpack --uid-map 0:100000:65536 --gid-map 0:200000:65536 busybox "$T/m"
	[ "$(stat -c '%a %u %g' "$T/m")" = "700 100000 200000" ]
}

@test "unpack: an image's WorkingDir through .. and a magic link is cleaned, then refused by the runtime" {
	import_busybox
	commit --root "$DK_ROOT" --base busybox --tag evil/wd -c 'WORKDIR /missing/../proc/self/fd/3' </dev/null >/dev/null
	run unpack config evil/wd
	assert_success
	[ "$(echo "$output" | jq -r .process.cwd)" = /proc/self/fd/3 ]
	unpack evil/wd "$T/b"
	set_process_args "$T/b" pwd
	run runtime_run runtime "$T/b" "dk-unpack-$$-wd"
	assert_failure
	assert_output_contains 'cwd "/proc/self/fd/3"'
}

@test "unpack: busybox tree is the one umoci unpack makes" {
	import_busybox
	unpack busybox "$T/dk"
	umoci unpack --image "$DK_ROOT/images:docker.io/library/busybox:latest" "$T/umoci" >/dev/null
	diff <(tree_listing "$T/umoci/rootfs") <(tree_listing "$T/dk/rootfs")
	[ "$(tree_listing "$T/dk/rootfs" | wc -l)" -gt 10 ]
	cmp "$T/umoci/rootfs/bin/busybox" "$T/dk/rootfs/bin/busybox"
}

# the whole tree incl. contents and xattrs
full_listing() {
	tree_listing "$1"
	(cd "$1" && find . -type f -exec sha256sum {} + | sort -k2)
	(cd "$1" && find . ! -type d -printf '%p %T@\n' | sort)
	(cd "$1" && find . ! -type l -print0 | sort -z |
		xargs -0 python3 -c 'import os,sys
for p in sys.argv[1:]:
    for n in sorted(os.listxattr(p, follow_symlinks=False)):
        print(p, n, os.getxattr(p, n, follow_symlinks=False).hex())')
}

@test "unpack: multi-layer image with deletions, opaque dirs, hardlinks matches umoci" {
	mklayer l1.tar.gz d:etc f:etc/a:one f:etc/b:two d:opq f:opq/old:x \
		d:opq/sub f:opq/sub/old2:y f:keep:k h:keeplink:keep \
		'f:cap:c@xattr.security.capability=\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' \
		'f:bin/su:s@mode=4755' 'd:tmp@mode=1777' 'f:owned:o@uid=1234@gid=5678' \
		'f:attr:a@xattr.user.note=hello'
	mklayer l2.tar.gz f:etc/.wh.a d:opq f:opq/.wh..wh..opq f:opq/new:n \
		h:etc/link2:keep f:etc/c:three 'd:etc@mode=0700'
	mklayer l3.tar d:etc/a f:etc/a/x:dir-now f:.wh.keep
	mkimage docker.io/library/multi:latest l1.tar.gz l2.tar.gz l3.tar >/dev/null
	run unpack multi "$T/dk"
	assert_success
	umoci unpack --image "$DK_ROOT/images:docker.io/library/multi:latest" "$T/umoci" >/dev/null
	diff <(full_listing "$T/umoci/rootfs") <(full_listing "$T/dk/rootfs")
	[ ! -e "$T/dk/rootfs/opq/old" ] && [ ! -e "$T/dk/rootfs/opq/sub" ]
	[ -f "$T/dk/rootfs/opq/new" ] && [ ! -e "$T/dk/rootfs/keep" ]
	[ "$(stat -c %h "$T/dk/rootfs/keeplink")" = 2 ]
	[ "$(cat "$T/dk/rootfs/etc/a/x")" = dir-now ]
}

# --- media types ----------------------------------------------------------

@test "unpack: docker rootfs.diff.tar.gzip layers; unknown media types refused" {
	mklayer l.tar.gz f:hello:world
	MKIMAGE_MEDIATYPES=application/vnd.docker.image.rootfs.diff.tar.gzip \
		mkimage docker.io/library/dm:latest l.tar.gz >/dev/null
	run unpack dm "$T/b1"
	assert_success
	[ "$(cat "$T/b1/rootfs/hello")" = world ]
	MKIMAGE_MEDIATYPES=application/x-bogus mkimage docker.io/library/bad:latest l.tar.gz >/dev/null
	run unpack bad "$T/b2"
	assert_failure 1
	assert_output_contains "unsupported media type application/x-bogus"
	[ ! -e "$T/b2" ]
}

@test "unpack: a missing non-distributable layer is reported as such" {
	mklayer l.tar.gz f:hello:world
	MKIMAGE_MEDIATYPES=application/vnd.oci.image.layer.nondistributable.v1.tar+gzip \
		mkimage docker.io/library/nd:latest l.tar.gz >/dev/null
	run unpack nd "$T/ok"
	assert_success
	rm -f "$DK_ROOT/images/blobs/sha256/$(sha256sum l.tar.gz | cut -c1-64)"
	run unpack nd "$T/b"
	assert_failure 1
	assert_output_contains "non-distributable"
	[ ! -e "$T/b" ]
}

@test "unpack layer: plain, gzip and zstd detected from the bytes; diff_id printed" {
	mklayer l.tar f:a:1
	gzip -c l.tar >l.gz
	zstd -q -c l.tar >l.zst
	want=sha256:$(sha256sum l.tar | cut -c1-64)
	for f in l.tar l.gz l.zst; do
		mkdir "d-$f"
		run unpack layer "d-$f" <"$f"
		assert_success
		assert_equal "$output" "$want"
		[ "$(cat "d-$f/a")" = 1 ]
	done
	mkdir e
	run unpack layer --diff-id "$want" --digest "sha256:$(sha256sum l.zst | cut -c1-64)" e <l.zst
	assert_success
}

@test "unpack layer: garbage, truncated and mismatching input fail with exit 1" {
	mkdir d
	head -c 3000 /dev/urandom >junk
	run unpack layer d <junk
	assert_failure 1
	assert_output_contains "not a tar stream"
	mklayer big.tar.gz "f:x:$(head -c 20000 /dev/urandom | base64 -w0)"
	head -c 2000 big.tar.gz >trunc.gz
	run unpack layer d <trunc.gz
	assert_failure 1
	assert_output_contains "truncated"
	mklayer l.tar f:a:1
	run unpack layer --diff-id sha256:0000000000000000000000000000000000000000000000000000000000000000 d <l.tar
	assert_failure 1
	assert_output_contains "diff_id mismatch"
}

# --- entry types and metadata ---------------------------------------------

@test "unpack layer: files, dirs, symlinks, hardlinks, devices, fifos" {
	mklayer l.tar d:dir f:dir/file:content l:dir/sym:file l:abs:/dir/file \
		h:hard:dir/file c:null:1,3 b:blk:7,0 p:fifo
	mkdir r
	unpack layer r <l.tar
	[ "$(cat r/dir/file)" = content ]
	[ "$(readlink r/dir/sym)" = file ] && [ "$(readlink r/abs)" = /dir/file ]
	[ "$(stat -c %i r/hard)" = "$(stat -c %i r/dir/file)" ]
	[ "$(stat -c '%F %t:%T' r/null)" = "character special file 1:3" ]
	[ "$(stat -c '%F %t:%T' r/blk)" = "block special file 7:0" ]
	[ -p r/fifo ]
}

@test "unpack layer --rootless: devices skipped with a warning, no chown" {
	mklayer l.tar c:null:1,3 f:f:x@uid=4242 p:fifo
	mkdir r
	run unpack layer --rootless r <l.tar
	assert_success
	assert_output_contains "warning"
	assert_output_contains "null"
	[ ! -e r/null ] && [ -p r/fifo ]
	[ "$(stat -c %u r/f)" = "$(id -u)" ]
}

@test "unpack: a hardlink to a file of an earlier layer" {
	mklayer l1.tar f:orig:data
	mklayer l2.tar.zst h:link:orig h:abslink:/orig
	mkimage docker.io/library/hl:latest l1.tar l2.tar.zst >/dev/null
	grep -q 'tar+zstd' "$DK_ROOT/images/blobs/sha256/$(jq -r '.manifests[-1].digest' \
		"$DK_ROOT/images/index.json" | cut -c8-)"
	unpack hl "$T/b"
	[ "$(stat -c %i "$T/b/rootfs/link")" = "$(stat -c %i "$T/b/rootfs/orig")" ]
	[ "$(stat -c %h "$T/b/rootfs/orig")" = 3 ]
}

@test "unpack layer: sparse files keep their holes" {
	mkdir src r
	truncate -s 64M src/sparse
	printf 'end' | dd of=src/sparse bs=1 seek=$((64 * 1024 * 1024 - 3)) conv=notrunc 2>/dev/null
	printf 'start' | dd of=src/sparse bs=1 conv=notrunc 2>/dev/null
	tar --sparse -C src -cf sp.tar sparse
	run unpack layer r <sp.tar
	assert_success
	cmp src/sparse r/sparse
	[ "$(stat -c %s r/sparse)" = $((64 * 1024 * 1024)) ]
	[ "$(du -k r/sparse | cut -f1)" -lt 1024 ]
}

@test "unpack layer: long names (PAX and GNU) and long link targets" {
	long=$(printf 'd%.0s' {1..120})/$(printf 'n%.0s' {1..200})
	target=$(printf 't%.0s' {1..300})
	mklayer pax.tar "f:$long:pax" "l:plink:$target"
	mklayer --gnu gnu.tar "f:g/$long:gnu" "l:glink:$target"
	mkdir r
	unpack layer r <pax.tar
	unpack layer r <gnu.tar
	[ "$(cat "r/$long")" = pax ] && [ "$(cat "r/g/$long")" = gnu ]
	[ "$(readlink r/plink)" = "$target" ] && [ "$(readlink r/glink)" = "$target" ]
}

@test "unpack layer: xattrs including security.capability" {
	mklayer l.tar 'f:ping:x@xattr.security.capability=\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' \
		'f:u:y@xattr.user.k=v' 'f:o:z@xattr.trusted.overlay.opaque=y'
	mkdir r
	run unpack layer r <l.tar
	assert_success
	assert_output_contains "trusted.overlay.opaque ignored"
	[ "$(python3 -c 'import os; print(os.getxattr("r/ping", "security.capability").hex())')" = \
		0100000200200000000000000000000000000000 ]
	[ "$(python3 -c 'import os; print(os.getxattr("r/u", "user.k").decode())')" = v ]
	[ "$(python3 -c 'import os; print(len(os.listxattr("r/o")))')" = 0 ]
}

@test "unpack layer: owners, setuid/setgid/sticky modes, mtimes with dirs after contents" {
	mklayer l.tar 'd:d@mode=2775@uid=10@gid=20@mtime=1000000000' \
		'f:d/su@mode=4755@uid=0@gid=0@mtime=1100000000' \
		'f:d/sg@mode=2711@uid=33@gid=44' 'd:d/tmp@mode=1777@mtime=1200000000' \
		'f:d/tmp/f@mtime=1300000000' 'd:ro@mode=0555@mtime=1400000000' 'f:ro/inside'
	mkdir r
	unpack layer r <l.tar
	[ "$(stat -c '%a %u %g %Y' r/d)" = "2775 10 20 1000000000" ]
	[ "$(stat -c '%a %u %g %Y' r/d/su)" = "4755 0 0 1100000000" ]
	[ "$(stat -c '%a %u %g' r/d/sg)" = "2711 33 44" ]
	[ "$(stat -c '%a %Y' r/d/tmp)" = "1777 1200000000" ]
	[ "$(stat -c '%Y' r/d/tmp/f)" = 1300000000 ]
	[ "$(stat -c '%a %Y' r/ro)" = "555 1400000000" ]
	[ -f r/ro/inside ]
	# a later layer writing into or deleting from d keeps d's times
	mklayer l2.tar f:d/new f:d/.wh.sg f:ro/.wh..wh..opq
	unpack layer r <l2.tar
	[ -f r/d/new ] && [ ! -e r/d/sg ] && [ ! -e r/ro/inside ]
	[ "$(stat -c '%Y' r/d)" = 1000000000 ] && [ "$(stat -c '%Y' r/ro)" = 1400000000 ]
}

@test "unpack layer --uid-map/--gid-map: owners shifted; unmapped ids refused" {
	mklayer l.tar f:a@uid=0@gid=0 f:b@uid=1000@gid=100
	mkdir r
	unpack layer --uid-map 0:100000:65536 --gid-map 0:200000:65536 r <l.tar
	[ "$(stat -c '%u:%g' r/a)" = 100000:200000 ]
	[ "$(stat -c '%u:%g' r/b)" = 101000:200100 ]
	mkdir r2
	run unpack layer --uid-map 0:100000:10 r2 <l.tar
	assert_failure 1
	assert_output_contains "uid 1000 is not mapped"
}

# --- whiteouts and replacement --------------------------------------------

@test "unpack: whiteouts remove lower files, opaque dirs hide lower content" {
	mklayer l1.tar f:gone:x d:dir f:dir/gone2:x d:opq f:opq/a:x d:opq/deep f:opq/deep/b:x f:stay:x
	mklayer l2.tar f:.wh.gone f:dir/.wh.gone2 f:opq/.wh..wh..opq f:opq/fresh:y d:opq/deep f:opq/deep/c:z
	mkimage docker.io/library/wh:latest l1.tar l2.tar >/dev/null
	unpack wh "$T/b"
	r=$T/b/rootfs
	[ ! -e "$r/gone" ] && [ ! -e "$r/dir/gone2" ] && [ -d "$r/dir" ]
	[ ! -e "$r/opq/a" ] && [ ! -e "$r/opq/deep/b" ]
	[ -f "$r/opq/fresh" ] && [ -f "$r/opq/deep/c" ] && [ -f "$r/stay" ]
	[ -z "$(find "$r" -name '.wh.*')" ]
}

@test "unpack layer: a whiteout never removes what its own layer added" {
	mklayer l.tar f:before:1 f:.wh.before f:.wh.after f:after:2 d:o f:o/x:3 f:o/.wh..wh..opq
	mkdir r
	unpack layer r <l.tar
	[ "$(cat r/before)" = 1 ] && [ "$(cat r/after)" = 2 ] && [ "$(cat r/o/x)" = 3 ]
	# a directory whited out after this layer put something in it
	mklayer w1.tar d:a f:a/lower
	mklayer w2.tar f:a/mine f:.wh.a
	mkdir r2 o1 o2
	unpack layer r2 <w1.tar
	unpack layer r2 <w2.tar
	[ -f r2/a/mine ] && [ ! -e r2/a/lower ]
	unpack layer --overlay o2 <w2.tar
	[ -f o2/a/mine ]
	[ "$(python3 -c 'import os; print(os.getxattr("o2/a", "trusted.overlay.opaque").decode())')" = y ]
}

@test "unpack: a later entry replaces an earlier one of another type" {
	mklayer l1.tar f:fileThenDir:x l:symThenFile:/etc d:dirThenSym f:dirThenSym/in:x f:fileThenSym:x
	mklayer l2.tar d:fileThenDir f:fileThenDir/in:y f:symThenFile:now-file l:dirThenSym:/tmp l:fileThenSym:target
	mkimage docker.io/library/rep:latest l1.tar l2.tar >/dev/null
	unpack rep "$T/b"
	r=$T/b/rootfs
	[ -d "$r/fileThenDir" ] && [ "$(cat "$r/fileThenDir/in")" = y ]
	[ -f "$r/symThenFile" ] && [ ! -L "$r/symThenFile" ] && [ "$(cat "$r/symThenFile")" = now-file ]
	[ -L "$r/dirThenSym" ] && [ "$(readlink "$r/dirThenSym")" = /tmp ]
	[ "$(readlink "$r/fileThenSym")" = target ]
}

@test "unpack layer --overlay: whiteouts become 0:0 devices and opaque xattrs" {
	mklayer l.tar f:.wh.gone d:o f:o/.wh..wh..opq f:o/new:x f:kept:1 f:.wh.kept
	mkdir r u
	unpack layer --overlay r <l.tar
	[ "$(stat -c '%F %t:%T' r/gone)" = "character special file 0:0" ]
	[ "$(python3 -c 'import os; print(os.getxattr("r/o", "trusted.overlay.opaque").decode())')" = y ]
	[ -f r/o/new ] && [ -f r/kept ]
	unpack layer --overlay --rootless u <l.tar
	[ "$(python3 -c 'import os; print(os.getxattr("u/o", "user.overlay.opaque").decode())')" = y ]
}

@test "unpack layer --overlay: the result works as an overlayfs lower layer" {
	mklayer base.tar f:gone:x d:o f:o/old:x f:stay:s
	mklayer top.tar f:.wh.gone d:o f:o/.wh..wh..opq f:o/new:n
	mkdir lower1 lower2 merged
	unpack layer --overlay lower1 <base.tar
	unpack layer --overlay lower2 <top.tar
	run unshare --mount sh -c "mount -t overlay overlay -o lowerdir=lower2:lower1 merged && ls -A merged merged/o"
	assert_success
	assert_equal "$output" "$(printf 'merged:\no\nstay\n\nmerged/o:\nnew')"
}

# --- hostile input ----------------------------------------------------------

@test "unpack layer: ../ and absolute names stay inside the root" {
	mkdir -p box/r
	mklayer l.tar 'f:../../../escaped:x' f:/abs:y 'f:a/../../b:z'
	unpack layer box/r <l.tar
	[ -f box/r/escaped ] && [ -f box/r/abs ] && [ -f box/r/b ]
	[ ! -e box/escaped ] && [ ! -e "$T/escaped" ] && [ ! -e /abs ]
}

@test "unpack: a symlink in one layer cannot carry writes of a later one outside" {
	mkdir outside
	echo precious >outside/file
	mklayer l1.tar "l:abs:$T/outside" l:rel:../../../../../../../../$T/outside l:fsym:$T/outside/file
	mklayer l2.tar f:abs/file:pwned f:rel/new:pwned f:fsym:replaced h:hl:abs/file
	mkimage docker.io/library/sym:latest l1.tar l2.tar >/dev/null
	run unpack sym "$T/b"
	assert_success
	[ "$(cat outside/file)" = precious ] && [ ! -e outside/new ]
	r=$T/b/rootfs
	[ "$(cat "$r$T/outside/file")" = pwned ] && [ -f "$r$T/outside/new" ]
	[ ! -L "$r/fsym" ] && [ "$(cat "$r/fsym")" = replaced ]
}

@test "unpack layer: hardlinks to absolute or escaping targets stay inside" {
	mkdir -p box/r
	echo host >box/hostfile
	mklayer l1.tar f:hostfile:inside
	mklayer l2.tar h:l1:/hostfile h:l2:../../hostfile h:l3:../../../../../../etc/hostname
	unpack layer box/r <l1.tar
	run unpack layer box/r <l2.tar
	assert_failure 1
	assert_output_contains 'hardlink target "/etc/hostname" does not exist'
	[ "$(stat -c %i box/r/l1)" = "$(stat -c %i box/r/hostfile)" ]
	[ "$(stat -c %i box/r/l2)" = "$(stat -c %i box/r/hostfile)" ]
	[ "$(stat -c %h box/hostfile)" = 1 ] && [ "$(stat -c %h /etc/hostname)" = 1 ]
	mklayer l3.tar d:adir h:dl:adir
	run unpack layer box/r <l3.tar
	assert_failure 1
	assert_output_contains "hardlink to a directory"
}

@test "unpack layer: whiteouts of . and .. are refused, escaping ones confined" {
	mkdir -p box/r
	echo keep >box/victim
	mklayer dot.tar f:sub/.wh..
	run unpack layer box/r <dot.tar
	assert_failure 1
	assert_output_contains "whiteout"
	mklayer dots.tar f:.wh...
	run unpack layer box/r <dots.tar
	assert_failure 1
	mklayer esc.tar f:../.wh.victim f:../../.wh.r
	run unpack layer box/r <esc.tar
	assert_success
	[ "$(cat box/victim)" = keep ] && [ -d box/r ]
}

@test "unpack: a blob whose bytes do not match its digest is refused, nothing left" {
	mklayer l.tar.gz f:a:1
	mkimage docker.io/library/bad:latest l.tar.gz >/dev/null
	blob=$DK_ROOT/images/blobs/sha256/$(sha256sum l.tar.gz | cut -c1-64)
	mklayer other.tar.gz f:a:2
	cp other.tar.gz "$blob"
	run unpack bad "$T/out/b"
	assert_failure 1
	assert_output_contains "digest mismatch"
	[ ! -e "$T/out/b" ] && [ -z "$(ls -A "$T/out")" ]
}

@test "unpack: a layer whose tar does not match its diff_id is refused, nothing left" {
	mklayer l.tar.gz f:a:1
	MKIMAGE_DIFFIDS=sha256:1111111111111111111111111111111111111111111111111111111111111111 \
		mkimage docker.io/library/bad:latest l.tar.gz >/dev/null
	mkdir out
	run unpack bad "$T/out/b"
	assert_failure 1
	assert_output_contains "diff_id mismatch"
	[ -z "$(ls -A "$T/out")" ]
}

@test "unpack: a non-empty bundle is refused without --force, replaced with it" {
	import_busybox
	mkdir -p b && echo mine >b/note
	run unpack busybox b
	assert_failure 1
	assert_output_contains "not empty"
	[ -f b/note ]
	run unpack --force busybox b
	assert_success
	[ ! -e b/note ] && [ -f b/config.json ] && [ -d b/rootfs/bin ]
	mkdir empty
	run unpack busybox empty
	assert_success
	[ -f empty/config.json ]
}

# --- config.json ---------------------------------------------------------------

@test "unpack config: args, env, cwd, annotations from the image config" {
	mklayer l.tar d:etc 'f:etc/passwd:root:x:0:0:root:/root:/bin/sh
app:x:1000:1001::/home/app:/bin/sh
' 'f:etc/group:root:x:0:
appgrp:x:1001:
wheel:x:10:app
'
	MKIMAGE_CONFIG='{"Entrypoint":["/bin/ep","-x"],"Cmd":["arg"],"Env":["A=1"],"WorkingDir":"/work","User":"app","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Volumes":{"/data":{}},"Labels":{"com.example.k":"v"},"StopSignal":"SIGINT"}' \
		mkimage docker.io/library/cfg:latest l.tar >/dev/null
	run unpack config cfg
	assert_success
	c=$output
	[ "$(jq -c .process.args <<<"$c")" = '["/bin/ep","-x","arg"]' ]
	[ "$(jq -c .process.env <<<"$c")" = '["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","A=1","HOME=/home/app"]' ]
	[ "$(jq -r .process.cwd <<<"$c")" = /work ]
	[ "$(jq -c .process.user <<<"$c")" = '{"uid":1000,"gid":1001,"additionalGids":[10]}' ]
	[ "$(jq -r '.annotations["com.example.k"]' <<<"$c")" = v ]
	[ "$(jq -r '.annotations["org.opencontainers.image.stopSignal"]' <<<"$c")" = SIGINT ]
	jq -r '.annotations["org.opencontainers.image.exposedPorts"]' <<<"$c" | grep -q 80/tcp
	[ "$(jq -r '.annotations["org.opencontainers.image.volumes"]' <<<"$c")" = /data ]
	unpack cfg "$T/b"
	diff <(jq -S . "$T/b/config.json") <(jq -S . <<<"$c")
}

@test "unpack config: user forms uid, uid:gid, name:group; unknown names fail" {
	mklayer l.tar d:etc 'f:etc/passwd:app:x:1000:1001::/home/app:/bin/sh
' 'f:etc/group:staff:x:50:
'
	for pair in 1000=1000:1001 1000:7=1000:7 app:staff=1000:50 4242=4242:0 \
		app=1000:1001 0:0=0:0; do
		MKIMAGE_CONFIG="{\"User\":\"${pair%=*}\",\"Cmd\":[\"x\"]}" \
			mkimage docker.io/library/u:latest l.tar >/dev/null
		run unpack config u
		assert_success
		[ "$(jq -r '"\(.process.user.uid):\(.process.user.gid)"' <<<"$output")" = "${pair#*=}" ]
	done
	mkdir -p other/etc
	echo 'app:x:55:66::/x:/bin/sh' >other/etc/passwd
	MKIMAGE_CONFIG='{"User":"app","Cmd":["x"]}' mkimage docker.io/library/u:latest l.tar >/dev/null
	run unpack --root "$DK_ROOT" config --rootfs other u
	assert_success
	[ "$(jq -c .process.user <<<"$output")" = '{"uid":55,"gid":66}' ]
	MKIMAGE_CONFIG='{"User":"nobody","Cmd":["x"]}' mkimage docker.io/library/u:latest l.tar >/dev/null
	run unpack config u
	assert_failure 1
	assert_output_contains 'user "nobody"'
	run unpack u "$T/b"
	assert_failure 1
	[ ! -e "$T/b" ]
}

@test "unpack: a symlinked /etc/passwd is read inside the rootfs" {
	mklayer l.tar d:etc l:etc/passwd:/../../../../../etc/mypasswd \
		'f:etc/mypasswd:svc:x:777:778::/srv:/bin/sh
'
	MKIMAGE_CONFIG='{"User":"svc","Cmd":["x"]}' mkimage docker.io/library/s:latest l.tar >/dev/null
	run unpack config s
	assert_success
	[ "$(jq -c .process.user <<<"$output")" = '{"uid":777,"gid":778}' ]
}

@test "unpack layer --rootless: works as an unprivileged user" {
	mklayer l.tar 'd:ro@mode=0555' f:ro/inside:x 'f:f@uid=0@mode=0600' c:null:1,3 \
		'f:capf:x@xattr.security.capability=\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
	mklayer l2.tar f:ro/later:y
	mkdir r
	chown 65534:65534 r
	chmod 755 "$T"
	run setpriv --reuid 65534 --regid 65534 --clear-groups sh -c \
		"unpack layer --rootless r <l.tar && unpack layer --rootless r <l2.tar"
	assert_success
	assert_output_contains "warning"
	[ "$(stat -c %u r/f)" = 65534 ] && [ -f r/ro/later ] && [ ! -e r/null ]
	[ "$(stat -c %a r/ro)" = 755 ]
}

@test "unpack layer --overlay --lower: a hardlink into a lower layer is copied" {
	mklayer base.tar 'f:bin/tool:binary@mode=0751@uid=7'
	mklayer top.tar h:bin/alias:bin/tool h:usr/missing:nope
	mklayer top2.tar h:bin/alias:/bin/tool
	mkdir l1 l2 l3
	unpack layer --overlay l1 <base.tar
	run unpack layer --overlay --lower l1 l2 <top.tar
	assert_failure 1
	assert_output_contains 'hardlink target "/nope" does not exist'
	run unpack layer --overlay --lower l1 l3 <top2.tar
	assert_success
	[ "$(cat l3/bin/alias)" = binary ] && [ "$(stat -c '%a %u' l3/bin/alias)" = "751 7" ]
	[ ! -e l3/bin/tool ] && [ "$(stat -c %h l1/bin/tool)" = 1 ]
}

@test "unpack: killed while unpacking, it leaves nothing behind" {
	mkdir src out
	truncate -s 512M src/zeros
	tar -C src -cf - zeros | zstd -q -1 >z.tar.zst
	mkimage docker.io/library/slow:latest z.tar.zst >/dev/null
	unpack slow "$T/out/b" &
	pid=$!
	for _ in $(seq 100); do
		[ -n "$(find out -name zeros 2>/dev/null)" ] && break
		sleep 0.05
	done
	[ -n "$(find out -name zeros)" ]
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	[ -z "$(ls -A out)" ]
}

# deeptar OUT DEPTH COMPONENT: a pax tar of DEPTH nested directories named
# COMPONENT with a file "leaf" (content "deep") at the bottom
deeptar() {
	python3 - "$@" <<'PY'
import io, sys, tarfile
out, depth, comp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    p = ""
    for _ in range(depth):
        p = p + "/" + comp if p else comp
        d = tarfile.TarInfo(p); d.type = tarfile.DIRTYPE; d.mode = 0o755
        t.addfile(d)
    f = tarfile.TarInfo(p + "/leaf"); f.size = 5
    t.addfile(f, io.BytesIO(b"deep\n"))
PY
}

@test "unpack layer: 255-byte names in a 4,000-byte path go in whole" {
	name=$(printf 'n%.0s' $(seq 255))
	deeptar long.tar 15 "$name" # 15 * 256 + 4 = 3,844 bytes
	mkdir d
	run unpack layer d <long.tar
	assert_success
	leaf=$(find d -name leaf)
	[ "${#leaf}" -eq $((2 + 15 * 256 + 4)) ]
	[ "$(cat "$leaf")" = deep ]
	[ "$(find d -type d | wc -l)" -eq 16 ]
}

# depth_of DIR NAME: how many NAME directories nest below DIR, and the
# leaf at the bottom (a walk, one chdir at a time: the path is too long
# for one call).
depth_of() {
	python3 - "$1" "$2" <<'PY'
import os, sys
os.chdir(sys.argv[1])
n = 0
while os.path.isdir(sys.argv[2]):
    os.chdir(sys.argv[2]); n += 1
print(n, open("leaf").read().strip(), os.stat("leaf").st_nlink)
PY
}

@test "unpack layer: 10,000 nested directories go in whole, with a hard link to the bottom" {
	deeptar deep.tar 10000 d
	# and a hard link at the top to the leaf 20,000 bytes down
	python3 - deep.tar <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1], "a", format=tarfile.PAX_FORMAT) as t:
    l = tarfile.TarInfo("top-link"); l.type = tarfile.LNKTYPE
    l.linkname = "/".join(["d"] * 10000) + "/leaf"
    t.addfile(l)
PY
	mkdir d
	run unpack layer d <deep.tar
	assert_success
	assert_equal "$(depth_of d d)" "10000 deep 2"
	assert_equal "$(cat d/top-link)" "deep"
	# and the same layer with a whiteout at the bottom over it as a lower
	# layer: the leaf goes, the tree stays
	python3 - wh.tar <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    w = tarfile.TarInfo("/".join(["d"] * 10000) + "/.wh.leaf")
    t.addfile(w)
PY
	run unpack layer d <wh.tar
	assert_success
	run python3 -c 'import os; os.chdir("d"); [os.chdir("d") for _ in range(10000)]; print(os.listdir("."))'
	assert_equal "$output" "[]"
}

@test "unpack layer: a symbolic link deep in a long path is not followed out of the root" {
	# past the first 3 KiB a path is looked up without following links:
	# a link there that would lead out (or anywhere) stops the entry
	python3 - evil.tar "$BATS_TEST_TMPDIR/outside" <<'PY'
import io, sys, tarfile
deep = "/".join(["d"] * 2000)
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    d = tarfile.TarInfo(deep); d.type = tarfile.DIRTYPE; d.mode = 0o755
    t.addfile(d)
    for target in (sys.argv[2], "/".join([".."] * 2100) + sys.argv[2]):
        l = tarfile.TarInfo(deep + "/link"); l.type = tarfile.SYMTYPE; l.linkname = target
        t.addfile(l)
        f = tarfile.TarInfo(deep + "/link/pwned"); f.size = 5
        t.addfile(f, io.BytesIO(b"evil\n"))
PY
	mkdir d "$BATS_TEST_TMPDIR/outside"
	run unpack layer d <evil.tar
	assert_failure 1
	assert_output_contains "links there are not followed"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/outside")" ]
}
