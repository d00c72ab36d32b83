#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/runtime.sh: start /bin/true containers one after another with
# runtime, crun and runc, interleaved in the same run, and print medians
# and ratios: `run`, create+start+wait+delete, peak RSS of the runtime
# process, and `exec` latency into a running container. Everything runs in
# a private cgroup + mount namespace (tests/cgroupns-run), once per cgroup
# view (BENCH_VIEWS, default "v1 hybrid"): v1 hides the cgroup2 mount (a
# v1-only host), hybrid keeps the host's; crun 1.8 refuses hybrid hosts, so
# there dk is compared with runc only. CPU time (user + system of the
# runtime and everything it waited for, build/helpers/cputime) is reported
# next to wall time: it varies far less on a loaded machine.
set -eu
top=${DK_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
if [ "${1:-}" != --inside ]; then
	for view in ${BENCH_VIEWS:-v1 hybrid}; do
		echo "# cgroup view: $view"
		"$top/tests/cgroupns-run" sh "$0" --inside "$view"
	done
	exit 0
fi
view=${2:-v1}
runtimes="dk crun runc"
if [ "$view" = v1 ]; then
	umount /sys/fs/cgroup/unified 2>/dev/null || true
else
	runtimes="dk runc"
fi
peers=${runtimes#dk }
N=${BENCH_N:-21}
rt=$top/bin/runtime
cputime=$top/${BUILD:-build}/helpers/cputime
work=$(mktemp -d)
trap 'for r in dk crun runc; do for id in $(cmd $r list -q 2>/dev/null); do cmd $r delete --force "$id" >/dev/null 2>&1; done; done; rm -rf "$work"' EXIT

cmd() {
	r=$1
	shift
	case "$r" in
	dk) "$rt" --root "$work/state-dk" "$@" ;;
	*) "$r" --root "$work/state-$r" "$@" ;;
	esac
}

bundle=$work/bundle
mkdir -p "$bundle/rootfs/bin"
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for a in true sleep sh; do ln -s busybox "$bundle/rootfs/bin/$a"; done
"$rt" spec --bundle "$bundle"
jq '.process.terminal = false | .process.args = ["/bin/true"]' \
	"$bundle/config.json" >"$bundle/c.tmp" && mv "$bundle/c.tmp" "$bundle/config.json"
mkdir -p "$work/sleep"
cp -a "$bundle/rootfs" "$work/sleep/rootfs"
jq '.process.args = ["/bin/sleep", "1000"]' "$bundle/config.json" >"$work/sleep/config.json"

now() { date +%s%N; }

# median of the numbers in file $1 (nanoseconds) printed as seconds
median() {
	sort -n "$1" | awk '{a[NR] = $1} END {printf "%.4f", a[int((NR + 1) / 2)] / 1e9}'
}

one_run() {
	t0=$(now)
	cmd "$1" run --bundle "$bundle" "b$2" >/dev/null
	echo $(($(now) - t0)) >>"$work/run-$1"
}

one_lifecycle() {
	t0=$(now)
	cmd "$1" create --bundle "$bundle" "l$2" >/dev/null
	cmd "$1" start "l$2"
	while [ "$(cmd "$1" state "l$2" | jq -r .status)" != stopped ]; do :; done
	cmd "$1" delete "l$2"
	echo $(($(now) - t0)) >>"$work/life-$1"
}

# peak RSS (KiB) of `run` (the runtime and what it waits for)
one_rss() {
	if [ "$1" = dk ]; then set -- "$rt" "$1"; else set -- "$1" "$1"; fi
	/usr/bin/time -f %M -o "$work/m" "$1" --root "$work/state-$2" \
		run --bundle "$bundle" "rss-$2" >/dev/null 2>&1 || true
	cat "$work/m"
}

i=0
while [ $i -lt "$N" ]; do
	for r in $runtimes; do one_run "$r" $i; done
	for r in $runtimes; do one_lifecycle "$r" $i; done
	i=$((i + 1))
done
for r in $runtimes; do
	cmd "$r" run -d --bundle "$work/sleep" "s-$r" >/dev/null 2>&1 </dev/null
	one_rss "$r" >"$work/rss-$r"
done
i=0
while [ $i -lt "$N" ]; do
	for r in $runtimes; do
		t0=$(now)
		cmd "$r" exec "s-$r" /bin/true
		echo $(($(now) - t0)) >>"$work/exec-$r"
	done
	i=$((i + 1))
done
# CPU time (microseconds, cputime's stderr) of run and exec, interleaved
i=0
while [ $i -lt "$N" ]; do
	for r in $runtimes; do
		bin=$r
		[ "$r" = dk ] && bin=$rt
		"$cputime" "$bin" --root "$work/state-$r" run --bundle "$bundle" "c$i" \
			2>>"$work/cpurun-$r" >/dev/null
		"$cputime" "$bin" --root "$work/state-$r" exec "s-$r" /bin/true 2>>"$work/cpuexec-$r"
	done
	i=$((i + 1))
done

report() {
	what=$1
	d=$(median "$work/$2-dk")
	for peer in $peers; do
		p=$(median "$work/$2-$peer")
		echo "$what: dk ${d}s $peer ${p}s ratio $(echo "$d $p" | awk '{printf "%.2f", $1 / $2}')"
	done
}
report "run /bin/true" run
report "create+start+wait+delete /bin/true" life
report "exec /bin/true" exec
# medians of microseconds, printed as milliseconds
cpu_report() {
	what=$1
	d=$(sort -n "$work/$2-dk" | awk '{a[NR] = $1} END {printf "%.2f", a[int((NR + 1) / 2)] / 1e3}')
	for peer in $peers; do
		p=$(sort -n "$work/$2-$peer" | awk '{a[NR] = $1} END {printf "%.2f", a[int((NR + 1) / 2)] / 1e3}')
		echo "$what CPU time: dk ${d}ms $peer ${p}ms ratio $(echo "$d $p" | awk '{printf "%.2f", $1 / $2}')"
	done
}
cpu_report "run /bin/true" cpurun
cpu_report "exec /bin/true" cpuexec
d=$(cat "$work/rss-dk")
for peer in $peers; do
	p=$(cat "$work/rss-$peer")
	echo "peak RSS of run: dk ${d}KiB $peer ${p}KiB ratio $(echo "$d $p" | awk '{printf "%.2f", $1 / $2}')"
done
