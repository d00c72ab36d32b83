#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/commit.sh: on a large image (bench/large-image: a Debian-like tree,
# this machine's /usr/include and /usr/share/doc, 13,000 files, standing
# in for a debian image, which is not available offline), prepare a
# container, change 1000 files, delete 100, add 10 MiB of random data
# (a layer tar of about 40 MB), then time `snapshot diff | commit`
# against `umoci repack` of the same change, and against the floor:
# `pigz -6` on every core over the same layer tar (saved beforehand).
# Interleaved, median of BENCH_REPS (default 3) runs. Targets (issue 17):
# dk/pigz <= 1.2, dk/umoci <= 0.5.
set -eu
DK_TOP=${DK_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
. "$DK_TOP/bench/large-image"
REPS=${BENCH_REPS:-3}
large_workspace commit
umoci unpack --image "$work/ulayout:base" "$work/ref" >/dev/null
change_lists "$work/ref/rootfs" "$work/lists"
cores=$(nproc)
snapshot prepare large warmup >/dev/null

for i in $(seq 1 "$REPS"); do
	rootfs=$(snapshot prepare large "c$i")
	change_set "$rootfs" "$work/lists"
	umoci unpack --image "$work/ulayout:base" "$work/b$i" >/dev/null
	change_set "$work/b$i/rootfs" "$work/lists"
	snapshot diff "c$i" >"$work/layer$i.tar"
	sync

	t0=$(bench_now)
	snapshot diff "c$i" | commit --base large --tag "out:$i" >/dev/null
	t1=$(bench_now)
	umoci repack --image "$work/ulayout:out$i" "$work/b$i" >/dev/null
	t2=$(bench_now)
	pigz -6 -p "$cores" <"$work/layer$i.tar" >/dev/null
	t3=$(bench_now)
	snapshot prepare large "w$i" >/dev/null
	t4=$(bench_now)
	echo $((t1 - t0)) >>"$work/t.dk"
	echo $((t2 - t1)) >>"$work/umoci"
	echo $((t3 - t2)) >>"$work/floor"
	echo $((t4 - t3)) >>"$work/prepare"
done

dk=$(bench_median <"$work/t.dk")
um=$(bench_median <"$work/umoci")
fl=$(bench_median <"$work/floor")
pr=$(bench_median <"$work/prepare")
files=$(wc -l <"$work/lists/all")
size=$(wc -c <"$work/layer1.tar")
echo "commit (image of $files files; 1000 changed, 100 deleted, 10 MiB added; layer tar $size bytes):"
echo "  snapshot diff | commit: dk $(secs "$dk")s umoci-repack $(secs "$um")s ratio $(ratio "$dk" "$um") (target <= 0.5)"
echo "  floor, pigz -6 -p $cores of the same tar: $(secs "$fl")s ratio dk/pigz $(ratio "$dk" "$fl") (target <= 1.2)"
echo "  second snapshot prepare of the cached image: dk $(secs "$pr")s (target < 0.050s)"
