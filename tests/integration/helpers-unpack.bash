# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for unpack.bats: running bundles with runc/crun inside a private
# cgroup namespace (so containers stay below this test's own cgroups),
# importing the busybox fixture, crafting layers and images.

# cgns_run [--no-unified] CMD...: run CMD in new cgroup and mount
# namespaces where every cgroup hierarchy is remounted, so the namespace's
# root (what runtimes see as "/") is this process's own cgroup. With
# --no-unified the cgroup2 mount is dropped (crun refuses hybrid hosts).
cgns_run() {
	local unified=1
	if [ "$1" = --no-unified ]; then
		unified=0
		shift
	fi
	unshare --cgroup --mount --propagation private sh -c '
		unified=$1; shift
		awk "\$3 == \"cgroup\" || \$3 == \"cgroup2\" {print \$2, \$3, \$4}" /proc/self/mounts |
		while read -r dir type opts; do
			umount -l "$dir" || exit 1
			if [ "$type" = cgroup2 ]; then
				[ "$unified" = 1 ] || continue
				mount -t cgroup2 cgroup2 "$dir" || exit 1
				continue
			fi
			ctrl=$(echo "$opts" | tr , "\n" |
				grep -vE "^(rw|ro|relatime|nosuid|nodev|noexec|clone_children)$" |
				paste -sd, -)
			mount -t cgroup -o "$ctrl" cgroup "$dir" || exit 1
		done || exit 1
		exec "$@"' cgns_run "$unified" "$@"
}

# runtime_run RUNTIME BUNDLE ID: run the bundle to completion with runc or
# crun, state under the test's tmpdir; prints the container's output.
runtime_run() {
	local rt=$1 bundle=$2 id=$3 flag=
	[ "$rt" = crun ] && flag=--no-unified
	cgns_run $flag "$rt" --root "$BATS_TEST_TMPDIR/$rt-state" run \
		-b "$bundle" "$id" </dev/null
}

# import_busybox: the busybox fixture into $DK_ROOT/images as
# docker.io/library/busybox:latest
import_busybox() {
	skopeo copy -q "oci:$(busybox_layout):latest" \
		"oci:$DK_ROOT/images:docker.io/library/busybox:latest"
}

# set_process_args BUNDLE ARG...: replace process.args in config.json
set_process_args() {
	local b=$1
	shift
	local args
	args=$(printf '%s\n' "$@" | jq -R . | jq -s .) || return 1
	jq --argjson a "$args" '.process.args = $a' <"$b/config.json" \
		>"$b/config.json.new" && mv "$b/config.json.new" "$b/config.json"
}

# tree_listing DIR: one sorted line per file: path, type, mode, owner,
# size (regular files), link target
tree_listing() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s %l\n' |
		awk '$2 != "f" && $2 != "l" {$5 = "-"} {print}' | sort)
}

# mklayer OUT.tar SPEC...: build a tar with python3 tarfile from specs
# "TYPE:NAME[:ARG]" (f file with content ARG, d dir, l symlink to ARG,
# h hardlink to ARG, c/b device ARG=maj,min, p fifo); modes, owners and
# xattrs with the env MKLAYER_* knobs documented in tests/mklayer.py.
mklayer() {
	python3 "$DK_TOP/tests/mklayer.py" "$@"
}

# mkimage NAME LAYER_FILE... [-- CONFIG_JSON_PATCH]: an OCI image whose
# layers are the given files (compressed or not, media type from the
# file's bytes), tagged NAME in $DK_ROOT/images. Done with umoci-free
# python so the tests control every byte.
mkimage() {
	python3 "$DK_TOP/tests/mkimage.py" "$DK_ROOT/images" "$@"
}

# mkindex NAME REF=OS/ARCH...: tag NAME as an index of the tagged images
mkindex() {
	python3 "$DK_TOP/tests/mkimage.py" --index "$DK_ROOT/images" "$@"
}
