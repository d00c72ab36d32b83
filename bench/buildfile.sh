# SPDX-License-Identifier: GPL-2.0-or-later
# bench/buildfile.sh: the same multi-stage Dockerfile with a cache mount
# built by buildfile and by `buildah bud --isolation chroot` (vfs storage),
# from the busybox fixture: cold (--no-cache) and cached (second build),
# interleaved, medians. Goals: cold <= 0.3x buildah, cached <= 50 ms;
# independent stages side by side (the last case).
# Runs itself inside tests/cgroupns-run so containers stay in our cgroup.
set -eu
if [ -z "${DK_BENCH_CGNS:-}" ]; then
	DK_BENCH_CGNS=1 exec "$DK_TOP/tests/cgroupns-run" sh "$0" "$@"
fi
. "$DK_TOP/bench/lib.sh"
work=$(mktemp -d /tmp/dk-bench-buildfile.XXXXXX)
trap 'rm -rf "$work"' EXIT
export BATS_TEST_DIRNAME="$DK_TOP/tests/integration" BATS_TEST_TMPDIR="$work"
layout=$(bash -c '. "$DK_TOP/tests/integration/helpers.bash"; busybox_layout')
export DK_ROOT="$work/root"
mkdir -p "$DK_ROOT" "$work/ctx/app/sub"
skopeo copy -q "oci:$layout:latest" "oci:$DK_ROOT/images:docker.io/library/busybox:latest"

ctx=$work/ctx
i=0
while [ $i -lt 50 ]; do
	head -c 4096 /dev/urandom >"$ctx/app/sub/f$i"
	i=$((i + 1))
done
echo hello >"$ctx/app/greeting.txt"
cat >"$ctx/Dockerfile" <<'DF'
FROM busybox AS build
WORKDIR /src
COPY app/ ./
RUN --mount=type=cache,target=/cache \
    mkdir -p /out && cat sub/* | md5sum >/cache/sum && cp /cache/sum /out/ && cp -r sub /out/
FROM busybox
ENV GREETING=hello
COPY --from=build /out /srv/app
RUN echo "$GREETING" >/srv/app/built.txt
LABEL bench=1
CMD ["cat", "/srv/app/built.txt"]
DF

# buildah: its own vfs store, the fixture imported under the same name
B="buildah --root $work/buildah --runroot $work/buildah-run --storage-driver vfs"
id=$($B pull -q "oci:$layout:latest")
$B tag "$id" docker.io/library/busybox:latest
BUD="$B bud --isolation chroot --pull-never --layers -q -t bench/app"

# both must build it before timing
buildfile -q -t bench/app "$ctx" >/dev/null
$BUD "$ctx" >/dev/null

bench_pair "build, cold (--no-cache)" 5 \
	"buildfile -q --no-cache -t bench/app $ctx" buildah "$BUD --no-cache $ctx"
bench_pair "build, all steps cached" 9 \
	"buildfile -q -t bench/app $ctx" buildah "$BUD $ctx"

# two independent stages of about a second each, then one that reads both:
# buildfile builds the two side by side; buildah bud (without --jobs)
# one after the other
mkdir -p "$work/par"
cat >"$work/par/Dockerfile" <<'DF'
FROM busybox AS a
RUN sleep 1 && echo a >/a.txt
FROM busybox AS b
RUN sleep 1 && echo b >/b.txt
FROM busybox
COPY --from=a /a.txt /
COPY --from=b /b.txt /
DF
buildfile -q -t bench/par "$work/par" >/dev/null
$B bud --isolation chroot --pull-never --layers -q -t bench/par "$work/par" >/dev/null
bench_pair "build, 2 independent stages, cold" 3 \
	"buildfile -q --no-cache -t bench/par $work/par" buildah \
	"$B bud --isolation chroot --pull-never --layers -q --no-cache -t bench/par $work/par"
