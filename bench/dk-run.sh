#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/dk-run.sh: `dk run --rm IMAGE true` from a cached image against
# `podman run --rm` (runc, vfs storage, cgroupfs, --network none) on the
# same image, interleaved in one run, inside a private cgroup + mount
# namespace (tests/cgroupns-run) and a private network namespace
# (tests/netns-run); prints medians and the ratio. Then how
# long after the container's first instruction `dk run -d` returns.
set -eu
top=${DK_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
if [ "${1:-}" != --inside ]; then
	exec "$top/tests/cgroupns-run" "$top/tests/netns-run" sh "$0" --inside
fi
# podman runs with --network none here: so does dk (bench/network.sh
# compares the networks)
export DK_DEFAULT_NETWORK=none
. "$top/bench/lib.sh"
N=${BENCH_N:-21}
work=$(mktemp -d)
export DK_ROOT="$work/dk"
pod() {
	podman --root "$work/pr" --runroot "$work/prr" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file --runtime runc "$@"
}
trap 'for c in $(dk ps -aq 2>/dev/null); do dk rm -f "$c" >/dev/null 2>&1; done
	pod rm -fa >/dev/null 2>&1; pod unshare true >/dev/null 2>&1
	rm -rf "$work" 2>/dev/null || true' EXIT

# the test suite's busybox image (built once, cached in build/fixtures)
layout=$(BATS_TEST_DIRNAME="$top/tests/integration" bash -c \
	'. "$BATS_TEST_DIRNAME/helpers.bash" && busybox_layout')
mkdir -p "$DK_ROOT/images"
skopeo copy -q "oci:$layout:latest" "oci:$DK_ROOT/images:docker.io/library/busybox:latest"
img=$(pod pull -q "oci:$layout:latest")
dk run --rm busybox true # the layers go into the cache once
parent=$(grep memory /proc/self/cgroup | cut -d: -f3)
parent=${parent%/}/dk-bench-podman
pod run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
	--cgroup-parent="$parent" "$img" true

bench_pair "run --rm busybox true" "$N" "dk run --rm busybox true" "podman" \
	"podman --root $work/pr --runroot $work/prr --storage-driver vfs --cgroup-manager cgroupfs \
	--events-backend file --runtime runc run --rm --network none \
	--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --cgroup-parent=$parent $img true"

# dk run -d: from the container's first instruction to dk's return
i=0
: >"$work/lat"
while [ "$i" -lt "$N" ]; do
	id=$(dk run -d busybox sh -c 'cat /proc/uptime; sleep 100')
	back=$(cut -d' ' -f1 /proc/uptime)
	up=$(dk logs "$id" | cut -d' ' -f1)
	awk -v a="$back" -v b="$up" 'BEGIN {print (a - b) * 1e9}' >>"$work/lat"
	dk rm -f "$id" >/dev/null
	i=$((i + 1))
done
awk -v m="$(bench_median <"$work/lat")" \
	'BEGIN {printf "%-40s dk %.4fs (10 ms resolution)\n", "run -d: container start -> return", m / 1e9}'
