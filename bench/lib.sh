# SPDX-License-Identifier: GPL-2.0-or-later
# bench/lib.sh: timing helpers for the bench scripts (POSIX sh).
# bench_pair LABEL N "DK COMMAND" PEER_NAME "PEER COMMAND": run both
# commands N times, interleaved (dk, peer, dk, peer...), and print the
# medians and the ratio dk/peer.

bench_now() {
	date +%s%N
}

# median of the numbers on stdin
bench_median() {
	sort -n | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

bench_pair() {
	label=$1 n=$2 dkcmd=$3 peer=$4 peercmd=$5
	dkt=$(mktemp) pt=$(mktemp)
	i=0
	while [ "$i" -lt "$n" ]; do
		t0=$(bench_now); sh -c "$dkcmd" >/dev/null 2>&1 || echo "bench: dk command failed: $dkcmd" >&2
		t1=$(bench_now); sh -c "$peercmd" >/dev/null 2>&1 || echo "bench: $peer command failed: $peercmd" >&2
		t2=$(bench_now)
		echo $((t1 - t0)) >>"$dkt"
		echo $((t2 - t1)) >>"$pt"
		i=$((i + 1))
	done
	a=$(bench_median <"$dkt") b=$(bench_median <"$pt")
	rm -f "$dkt" "$pt"
	awk -v l="$label" -v a="$a" -v b="$b" -v p="$peer" \
		'BEGIN {printf "%-40s dk %.4fs  %s %.4fs  ratio %.2f\n", l, a/1e9, p, b/1e9, a/b}'
}
