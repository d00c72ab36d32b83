#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/commit.sh: on a large image (bench/large-image), prepare a
# container, change 1000 files, delete 100, add 10 MB, then time
# `snapshot diff | commit` against `umoci repack` of the same change, and
# the floor: tar + gzip of just the changed files. Interleaved, median of
# BENCH_REPS (default 3) runs.
set -eu
DK_TOP=${DK_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
. "$DK_TOP/bench/large-image"
REPS=${BENCH_REPS:-3}
large_workspace commit
umoci unpack --image "$work/ulayout:base" "$work/ref" >/dev/null
change_lists "$work/ref/rootfs" "$work/lists"
{ cat "$work/lists/mod"; echo added.bin; } >"$work/lists/floor"
snapshot prepare large warmup >/dev/null

for i in $(seq 1 "$REPS"); do
	rootfs=$(snapshot prepare large "c$i")
	change_set "$rootfs" "$work/lists"
	umoci unpack --image "$work/ulayout:base" "$work/b$i" >/dev/null
	change_set "$work/b$i/rootfs" "$work/lists"
	sync

	t0=$(bench_now)
	snapshot diff "c$i" | commit --base large --tag "out:$i" >/dev/null
	t1=$(bench_now)
	umoci repack --image "$work/ulayout:out$i" "$work/b$i" >/dev/null
	t2=$(bench_now)
	(cd "$rootfs" && tar -cf - -T "$work/lists/floor" | gzip >/dev/null)
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
echo "commit (image of $files files; 1000 changed, 100 deleted, 10 MB added):"
echo "  snapshot diff | commit: dk $(secs "$dk")s umoci-repack $(secs "$um")s ratio $(ratio "$dk" "$um") (speedup $(ratio "$um" "$dk")x, target >= 3x)"
echo "  floor, tar | gzip of the changed files: $(secs "$fl")s (dk/floor $(ratio "$dk" "$fl"))"
echo "  second snapshot prepare of the cached image: dk $(secs "$pr")s (target < 0.050s)"
