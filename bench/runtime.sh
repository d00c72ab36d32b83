#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/runtime.sh: start /bin/true containers one after another with
# runtime, crun and runc, interleaved in the same run, and print medians
# and ratios: `run`, create+start+wait+delete, peak RSS of the runtime
# process, and `exec` latency into a running container. Everything runs in
# a private cgroup + mount namespace (tests/cgroupns-run), once per cgroup
# view (BENCH_VIEWS, default "v1 hybrid"): v1 hides the cgroup2 mount (a
# v1-only host), hybrid keeps the host's; crun 1.8 refuses hybrid hosts, so
# there dk is compared with runc only. run and exec are timed by
# build/helpers/timeit (tests/helpers/timeit.c): wall time from fork to
# waitpid of the runtime, without the two `date` process starts that the
# create+start+wait+delete sequence still pays (several ms each on a loaded
# machine, which pulls every ratio towards 1), and CPU time (user + system
# of the runtime and everything it waited for), which varies far less
# under load.
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
timeit=$top/${BUILD:-build}/helpers/timeit
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

# bin R: the binary of runtime R
bin() {
	if [ "$1" = dk ]; then echo "$rt"; else echo "$1"; fi
}

# timed WHAT R ARGS...: runtime R with ARGS under timeit; "WALL CPU" (us)
# appended to $work/WHAT-R
timed() {
	what=$1 r=$2
	shift 2
	"$timeit" -o "$work/$what-$r" "$(bin "$r")" --root "$work/state-$r" "$@"
}

one_run() {
	timed run "$1" run --bundle "$bundle" "b$2" >/dev/null
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

# Each timed run starts after a 50 ms pause: the kernel tears the previous
# container down in workers after its runtime has exited (network
# namespace, cgroups, the cpuset static key), and without the pause each
# runtime would be charged for the one timed before it.
i=0
while [ $i -lt "$N" ]; do
	for r in $runtimes; do sleep 0.05; one_run "$r" $i; done
	for r in $runtimes; do one_lifecycle "$r" $i; done
	i=$((i + 1))
done
for r in $runtimes; do
	cmd "$r" run -d --bundle "$work/sleep" "s-$r" >/dev/null 2>&1 </dev/null
	one_rss "$r" >"$work/rss-$r"
done
i=0
while [ $i -lt "$N" ]; do
	for r in $runtimes; do timed exec "$r" exec "s-$r" /bin/true; done
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

# median of column $2 (microseconds) of file $1, as milliseconds
median_col() {
	cut -d' ' -f"$2" "$1" | sort -n | awk '{a[NR] = $1} END {printf "%.2f", a[int((NR + 1) / 2)] / 1e3}'
}

# timed_report WHAT NAME: wall and CPU medians of the timeit samples
timed_report() {
	for col in 1 2; do
		kind=wall
		[ $col = 2 ] && kind=CPU
		d=$(median_col "$work/$2-dk" $col)
		for peer in $peers; do
			p=$(median_col "$work/$2-$peer" $col)
			echo "$1 ($kind): dk ${d}ms $peer ${p}ms ratio $(echo "$d $p" | awk '{printf "%.2f", $1 / $2}')"
		done
	done
}
timed_report "run /bin/true" run
report "create+start+wait+delete /bin/true (date)" life
timed_report "exec /bin/true" exec
d=$(cat "$work/rss-dk")
for peer in $peers; do
	p=$(cat "$work/rss-$peer")
	echo "peak RSS of run: dk ${d}KiB $peer ${p}KiB ratio $(echo "$d $p" | awk '{printf "%.2f", $1 / $2}')"
done
