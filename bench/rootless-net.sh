#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/rootless-net.sh: what rootless networking costs, as a test user
# this script creates (and removes) with its own subuid range, in a private
# network namespace (tests/netns-run) inside a private cgroup + mount
# namespace: the start time slirp4netns adds to `dk run --rm` (against
# --network none) next to what it adds to rootless podman's (slirp4netns
# too), and the ratio of the two. Needs root (to make the user).
set -eu
top=${DK_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
if [ "$(id -u)" != 0 ]; then
	echo "rootless-net: needs root to create its test user; skipped" >&2
	exit 0
fi
if [ "${1:-}" != --inside ]; then
	exec "$top/tests/cgroupns-run" "$top/tests/netns-run" sh "$0" --inside
fi
. "$top/bench/lib.sh"
N=${BENCH_N:-11}
U=dkbn$$
T=/tmp/dk-bench-rl-$$ # lower case: podman names the image after it
rm -rf "$T"
mkdir "$T"
chmod 755 "$T"
trap 'for p in $(pgrep -u "$U" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	umount /dev/net/tun 2>/dev/null; userdel -r "$U" >/dev/null 2>&1
	sed -i "/^$U:/d" /etc/subuid /etc/subgid; rm -rf "$T"' EXIT
useradd -m -s /bin/sh "$U"
sed -i "/^$U:/d" /etc/subuid /etc/subgid
sub=$(cat /etc/subuid /etc/subgid | awk -F: '{e = $2 + $3; if (e > m) m = e}
	END {if (m < 200000) m = 200000; print m}')
echo "$U:$sub:65536" >>/etc/subuid
echo "$U:$sub:65536" >>/etc/subgid
# slirp4netns needs /dev/net/tun open to the user (ours only, in this
# mount namespace, where a host lacks udev's 0666)
if [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
	mknod -m 666 "$T/tun" c 10 200
	mount --bind "$T/tun" /dev/net/tun
fi
cp -r "$top/bin" "$T/bin"
layout=$(BATS_TEST_DIRNAME="$top/tests/integration" bash -c \
	'. "$BATS_TEST_DIRNAME/helpers.bash" && busybox_layout')
cp -r "$layout" "$T/layout"
mkdir -p "$T/xdg"
chown "$U" "$T/xdg"
chmod 700 "$T/xdg"
chmod -R a+rX "$T/bin" "$T/layout"
as_user="runuser -u $U -- env -u DK_ROOT -u DK_DEFAULT_NETWORK HOME=/home/$U \
	XDG_RUNTIME_DIR=$T/xdg PATH=$T/bin:/usr/sbin:/usr/bin:/sbin:/bin"
dkc="cd $T && $as_user dash $T/bin/dk"
pod="cd $T && $as_user podman --root $T/pr --runroot $T/prr --storage-driver vfs \
	--cgroup-manager cgroupfs --events-backend file --runtime runc"
chmod 777 "$T"
sh -c "$as_user mkdir -p /home/$U/.local/share/dk"
sh -c "$as_user skopeo copy -q oci:$T/layout:latest \
	oci:/home/$U/.local/share/dk/images:docker.io/library/busybox:latest"
img=$(sh -c "$pod pull -q oci:$T/layout:latest" | tail -1)
if ! sh -c "$pod run --rm --network slirp4netns $img true" >/dev/null 2>&1; then
	echo "rootless-net: rootless podman with slirp4netns does not run here; dk only" >&2
	pod="true"
fi
for net in none slirp4netns; do # warm up
	sh -c "$dkc run --rm --network $net busybox true" >/dev/null
	sh -c "$pod run --rm --network $net $img true" >/dev/null 2>&1 || true
done
out=$T/times
bench_pair "rootless run --rm true, --network none" "$N" \
	"$dkc run --rm --network none busybox true" podman \
	"$pod run --rm --network none $img true" | tee -a "$out"
bench_pair "rootless run --rm true, slirp4netns" "$N" \
	"$dkc run --rm --network slirp4netns busybox true" podman \
	"$pod run --rm --network slirp4netns $img true" | tee -a "$out"
awk '{for (i = 1; i <= NF; i++) if ($i == "dk") d[NR] = $(i + 1); else if ($i == "podman") p[NR] = $(i + 1)}
	END {a = d[2] - d[1]; b = p[2] - p[1];
	printf "%-40s dk %.4fs  podman %.4fs  ratio %.2f\n", "start time added by slirp4netns", a, b,
		(b > 0 ? a / b : 0)}' "$out"
