# SPDX-License-Identifier: GPL-2.0-or-later
# bench/archive.sh: dk save / dk load of a large image (bench/large-image,
# about 13,000 files, one layer) against podman save / load (vfs storage)
# and skopeo copy between an OCI layout and a docker archive, same run.
set -eu
. "$DK_TOP/bench/large-image"
work=$(mktemp -d /tmp/dk-bench-archive.XXXXXX)
pod() {
	podman --root "$work/pr" --runroot "$work/prr" --storage-driver vfs \
		--events-backend file "$@"
}
trap 'pod rmi -a -f >/dev/null 2>&1; pod unshare true >/dev/null 2>&1; rm -rf "$work"' EXIT
layout=$(realpath "$(large_layout)")
export DK_ROOT="$work/dk"
mkdir -p "$DK_ROOT"
skopeo copy -q "oci:$layout:base" "oci:$DK_ROOT/images:docker.io/library/large:latest"
pod pull -q "oci:$layout:base" >/dev/null
pod tag "$(pod images -q | head -1)" docker.io/library/large:latest
N=${BENCH_N:-5}
bench_pair "save a 260 MB image" "$N" \
	"rm -f $work/d.tar; archive save -o $work/d.tar large" podman \
	"rm -f $work/p.tar; podman --root $work/pr --runroot $work/prr --storage-driver vfs --events-backend file save -o $work/p.tar docker.io/library/large:latest"
bench_pair "save (peer: skopeo to docker-archive)" "$N" \
	"rm -f $work/d.tar; archive save -o $work/d.tar large" skopeo \
	"rm -f $work/s.tar; skopeo copy -q oci:$layout:base docker-archive:$work/s.tar:large:latest"
archive save -o "$work/d.tar" large
bench_pair "load it into an empty store" "$N" \
	"rm -rf $DK_ROOT/images; archive load -i $work/d.tar" podman \
	"podman --root $work/pr --runroot $work/prr --storage-driver vfs --events-backend file rmi -a -f; podman --root $work/pr --runroot $work/prr --storage-driver vfs --events-backend file load -i $work/d.tar"
bench_pair "load (peer: skopeo from docker-archive)" "$N" \
	"rm -rf $DK_ROOT/images; archive load -i $work/d.tar" skopeo \
	"rm -rf $work/sl; skopeo copy -q docker-archive:$work/d.tar oci:$work/sl:large"
