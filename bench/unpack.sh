# SPDX-License-Identifier: GPL-2.0-or-later
# bench/unpack.sh: image -> bundle, dk's unpack against `umoci unpack` and
# against the floor (plain `tar -xzf` of the same layers, no verification,
# no config), interleaved, medians over several runs. Images: the busybox
# fixture and a multi-megabyte one built from this host's /usr (thousands
# of files). Every run writes a fresh directory; all are removed at the
# end, never while timing.
set -eu
. "$DK_TOP/bench/lib.sh"
work=$(mktemp -d /tmp/dk-bench-unpack.XXXXXX)
trap 'rm -rf "$work"' EXIT
export BATS_TEST_DIRNAME="$DK_TOP/tests/integration" BATS_TEST_TMPDIR="$work"
layout=$(bash -c '. "$DK_TOP/tests/integration/helpers.bash"; busybox_layout')
export DK_ROOT="$work/root"
mkdir -p "$DK_ROOT" "$work/out"
S=$DK_ROOT/images
skopeo copy -q "oci:$layout:latest" "oci:$S:docker.io/library/busybox:latest"

# the big image: two gzip layers from the host's /usr
tar -C / -czf "$work/big1.tar.gz" usr/lib/python3.11 usr/share/zoneinfo \
	usr/share/i18n 2>/dev/null || true
tar -C / -czf "$work/big2.tar.gz" usr/share/perl usr/lib/python3 usr/sbin 2>/dev/null || true
python3 "$DK_TOP/tests/mkimage.py" "$S" docker.io/library/big:latest \
	"$work/big1.tar.gz" "$work/big2.tar.gz" >/dev/null

# the layer blobs of an image, in order, for the tar floor
layers() {
	m=$(jq -r --arg n "$1" '.manifests[] |
		select(.annotations["org.opencontainers.image.ref.name"] == $n) |
		.digest' "$S/index.json")
	jq -r '.layers[].digest' "$S/blobs/sha256/${m#sha256:}" |
		sed "s|^sha256:|$S/blobs/sha256/|" | tr '\n' ' '
}

# bench_three LABEL N IMAGE: dk, umoci and tar, interleaved
bench_three() {
	label=$1 n=$2 ref=docker.io/library/$3:latest
	tars=$(layers "$ref")
	out=$work/out
	dkt=$(mktemp) ut=$(mktemp) tt=$(mktemp)
	i=0
	while [ "$i" -lt "$n" ]; do
		# rotate who goes first; flush the previous writes (untimed) so
		# nobody pays for another's writeback
		for who in $(echo "dk umoci tar dk umoci" | cut -d' ' -f$((i % 3 + 1))-$((i % 3 + 3))); do
			sync
			t0=$(bench_now)
			case $who in
			dk) unpack "$ref" "$out/$3-dk$i" 2>"$work/err" || cat "$work/err" >&2 ;;
			umoci) umoci unpack --image "$S:$ref" "$out/$3-umoci$i" >/dev/null 2>&1 ||
				echo "bench: umoci failed" >&2 ;;
			tar) mkdir -p "$out/$3-tar$i/rootfs"
				for l in $tars; do tar -C "$out/$3-tar$i/rootfs" -xzf "$l"; done ;;
			esac
			t1=$(bench_now)
			case $who in
			dk) echo $((t1 - t0)) >>"$dkt" ;;
			umoci) echo $((t1 - t0)) >>"$ut" ;;
			tar) echo $((t1 - t0)) >>"$tt" ;;
			esac
		done
		i=$((i + 1))
	done
	a=$(bench_median <"$dkt") b=$(bench_median <"$ut") c=$(bench_median <"$tt")
	rm -f "$dkt" "$ut" "$tt"
	awk -v l="$label" -v a="$a" -v b="$b" -v c="$c" 'BEGIN {
		printf "%s: dk %.3fs umoci %.3fs ratio %.2f; tar %.3fs ratio %.2f\n",
			l, a/1e9, b/1e9, a/b, c/1e9, a/c }'
}

files=$(tar -tzf "$work/big1.tar.gz" | wc -l)
files=$((files + $(tar -tzf "$work/big2.tar.gz" | wc -l)))
size=$(du -m "$work/big1.tar.gz" "$work/big2.tar.gz" | awk '{s += $1} END {print s}')
bench_three "unpack busybox" 9 busybox
bench_three "unpack host-usr ($files files, ${size} MB gzip)" 3 big
