# SPDX-License-Identifier: GPL-2.0-or-later
# bench/store.sh: reading the image store: dk's store tool against skopeo
# and umoci on the same layout (resolve a name, list names).
set -eu
. "$DK_TOP/bench/lib.sh"
work=$(mktemp -d /tmp/dk-bench-store.XXXXXX)
trap 'rm -rf "$work"' EXIT
export BATS_TEST_DIRNAME="$DK_TOP/tests/integration" BATS_TEST_TMPDIR="$work"
layout=$(bash -c '. "$DK_TOP/tests/integration/helpers.bash"; busybox_layout')
export DK_ROOT="$work/root"
mkdir -p "$DK_ROOT"
skopeo copy -q "oci:$layout:latest" "oci:$DK_ROOT/images:docker.io/library/busybox:latest"
i=0
while [ $i -lt 50 ]; do
	store tag busybox "bench/img$i:latest"
	i=$((i + 1))
done
S=$DK_ROOT/images
bench_pair "inspect one image (of 51 names)" 15 \
	"store inspect busybox" skopeo "skopeo inspect oci:$S:docker.io/library/busybox:latest"
bench_pair "list names (51)" 15 \
	"store list" umoci "umoci ls --layout $S"
