#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/snapshot.sh: on a large image (bench/large-image): a container
# filesystem from a cached image (`snapshot prepare`) against `umoci unpack`
# and a plain copy (cp -a of an unpacked rootfs); the first prepare (layer
# extraction) against umoci unpack; `snapshot diff` of a change against
# `umoci repack` of it. Interleaved, median of BENCH_REPS (default 3).
set -eu
DK_TOP=${DK_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
. "$DK_TOP/bench/large-image"
REPS=${BENCH_REPS:-3}
large_workspace snapshot
mkdir -p "$work/t"
umoci unpack --image "$work/ulayout:base" "$work/ref" >/dev/null
change_lists "$work/ref/rootfs" "$work/lists"
sync

# time_to FILE CMD...: run CMD, append its nanoseconds to FILE
time_to() {
	f=$1
	shift
	s=$(bench_now)
	"$@" >/dev/null
	echo $(($(bench_now) - s)) >>"$work/t/$f"
}

for i in $(seq 1 "$REPS"); do
	time_to unpack umoci unpack --image "$work/ulayout:base" "$work/u$i"
	time_to copy cp -a "$work/ref/rootfs" "$work/cp$i"
	# cold: an empty layer cache (emptied before the peers ran)
	time_to cold snapshot prepare large "cold$i"
	snapshot remove "cold$i"
	rm -rf "$DK_ROOT/layers"
done
snapshot prepare large warm >/dev/null
for i in $(seq 1 "$REPS"); do
	time_to warm snapshot prepare large "w$i"
	change_set "$DK_ROOT/snapshots/w$i/rootfs" "$work/lists"
	change_set "$work/u$i/rootfs" "$work/lists"
	sync
	s=$(bench_now)
	snapshot diff "w$i" >"$work/d$i.tar"
	echo $(($(bench_now) - s)) >>"$work/t/diff"
	time_to repack umoci repack --image "$work/ulayout:r$i" "$work/u$i"
	rm -f "$work/d$i.tar"
done

m() { bench_median <"$work/t/$1"; }
echo "snapshot (image of $(wc -l <"$work/lists/all") files):"
echo "  container fs, cached image: dk $(secs "$(m warm)")s umoci-unpack $(secs "$(m unpack)")s ratio $(ratio "$(m warm)" "$(m unpack)"); cp -a $(secs "$(m copy)")s ratio $(ratio "$(m warm)" "$(m copy)")"
echo "  first prepare (extraction): dk $(secs "$(m cold)")s umoci-unpack $(secs "$(m unpack)")s ratio $(ratio "$(m cold)" "$(m unpack)")"
echo "  diff of 1000 changed, 100 deleted, 10 MB added: dk $(secs "$(m diff)")s umoci-repack $(secs "$(m repack)")s ratio $(ratio "$(m diff)" "$(m repack)")"
