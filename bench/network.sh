#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/network.sh: what networking costs, in a private network namespace
# (tests/netns-run) inside a private cgroup + mount namespace:
# 1. start time added by a bridge network: `dk run --rm` with --network
#    bridge against --network none, and the same for podman on the same
#    CNI plugins (its CNI backend, a private config dir); ratios of the
#    added times;
# 2. throughput of one 50 MB transfer from a web server in a container
#    through a published port: dk's kernel path (portmap DNAT) and dk's
#    relay (proxy, --network none) against socat relaying to the
#    container's address.
set -eu
top=${DK_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
if [ "${1:-}" != --inside ]; then
	exec "$top/tests/cgroupns-run" "$top/tests/netns-run" sh "$0" --inside
fi
. "$top/bench/lib.sh"
N=${BENCH_N:-11}
work=$(mktemp -d)
export DK_ROOT="$work/dk"
pod() {
	podman --root "$work/pr" --runroot "$work/prr" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file --runtime runc \
		--network-backend cni --network-config-dir "$work/cni" "$@"
}
trap 'for c in $(dk ps -aq 2>/dev/null); do dk rm -f "$c" >/dev/null 2>&1; done
	dk network rm bridge >/dev/null 2>&1
	pod rm -fa >/dev/null 2>&1; pod unshare true >/dev/null 2>&1
	kill $sx 2>/dev/null; rm -rf "$work" 2>/dev/null || true' EXIT
sx=

layout=$(BATS_TEST_DIRNAME="$top/tests/integration" bash -c \
	'. "$BATS_TEST_DIRNAME/helpers.bash" && busybox_layout')
mkdir -p "$DK_ROOT/images" "$work/cni"
skopeo copy -q "oci:$layout:latest" "oci:$DK_ROOT/images:docker.io/library/busybox:latest"
img=$(pod pull -q "oci:$layout:latest")
parent=$(grep memory /proc/self/cgroup | cut -d: -f3)
parent=${parent%/}/dk-bench-podman
prun="podman --root $work/pr --runroot $work/prr --storage-driver vfs --cgroup-manager cgroupfs \
	--events-backend file --runtime runc --network-backend cni --network-config-dir $work/cni \
	run --rm --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --cgroup-parent=$parent"
for net in none bridge; do # warm up: caches, the default networks
	dk run --rm --network "$net" busybox true
	$prun --network "$net" "$img" true
done

out=$work/times
bench_pair "run --rm true, --network none" "$N" "dk run --rm --network none busybox true" \
	podman "$prun --network none $img true" | tee -a "$out"
bench_pair "run --rm true, --network bridge" "$N" "dk run --rm --network bridge busybox true" \
	podman "$prun --network bridge $img true" | tee -a "$out"
awk '{for (i = 1; i <= NF; i++) if ($i == "dk") d[NR] = $(i + 1); else if ($i == "podman") p[NR] = $(i + 1)}
	END {a = d[2] - d[1]; b = p[2] - p[1];
	printf "%-40s dk %.4fs  podman %.4fs  ratio %.2f\n", "start time added by the bridge", a, b, a / b}' \
	"$out"

# throughput: a 50 MB file from busybox httpd in a container
web='mkdir /www && head -c 50000000 /dev/zero >/www/big && exec httpd -f -p 8080 -h /www'
kid=$(dk run -d -p 127.0.0.1:18480:8080 busybox sh -c "$web")
dk run -d --network none -p 127.0.0.1:18481:8080 busybox sh -c "$web" >/dev/null
kip=$(dk inspect "$kid" | jq -r '.[0].NetworkSettings.IPAddress')
socat TCP-LISTEN:18482,bind=127.0.0.1,fork,reuseaddr "TCP:$kip:8080" &
sx=$!
for p in 18480 18481 18482; do
	for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$p/big" && break; sleep 0.1; done
done
get="curl -s -o /dev/null http://127.0.0.1"
bench_pair "50 MB, published port: kernel path" 5 "$get:18480/big" socat "$get:18482/big"
bench_pair "50 MB, published port: relay (proxy)" 5 "$get:18481/big" socat "$get:18482/big"
