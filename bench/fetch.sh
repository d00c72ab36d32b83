# SPDX-License-Identifier: GPL-2.0-or-later
# bench/fetch.sh: pulling from a local docker-registry into a cold store:
# dk's fetch against skopeo copy (docker:// -> oci:), and the floor (curl of
# the same blobs, in parallel, plus sha256sum). Interleaved runs, medians.
# Then issue 17's check: a one-layer 51 MB pull against a plain `curl -o`
# of that layer blob alone (target <= 1.3x) and skopeo (target <= 0.5x).
# Also the peak RSS of fetch pull for a small and a large layer.
set -eu
. "$DK_TOP/bench/lib.sh"
REPS=${REPS:-5}
work=$(mktemp -d /tmp/dk-bench-fetch.XXXXXX)
reg_pid=
cleanup() {
	[ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
export BATS_TEST_DIRNAME="$DK_TOP/tests/integration" BATS_TEST_TMPDIR="$work"
busybox=$(bash -c '. "$DK_TOP/tests/integration/helpers.bash"; busybox_layout')
big="$work/big"
python3 "$DK_TOP/tests/integration/fetch/fixture.py" big 32 4 "$big"
one="$work/one"
python3 "$DK_TOP/tests/integration/fetch/fixture.py" big 128 1 "$one"
mb51="$work/mb51"
python3 "$DK_TOP/tests/integration/fetch/fixture.py" big 49 1 "$mb51"

port=$((20000 + $$ % 30000))
mkdir -p "$work/reg"
cat >"$work/reg/config.yml" <<EOF2
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: "$work/reg/data"
http:
  addr: 127.0.0.1:$port
EOF2
env -u REGISTRY_LOG docker-registry serve "$work/reg/config.yml" >"$work/reg/log" 2>&1 &
reg_pid=$!
reg=127.0.0.1:$port
i=0
until curl -s --noproxy '*' -o /dev/null "http://$reg/v2/"; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "bench: registry did not start" >&2; exit 1; }
	sleep 0.1
done
for x in "busybox:$busybox" "big:$big" "one:$one" "mb51:$mb51"; do
	skopeo copy -q --dest-tls-verify=false --preserve-digests \
		"oci:${x#*:}:latest" "docker://$reg/${x%%:*}:latest"
done

# floor: every blob of the manifest, fetched in parallel, then hashed
floor() {
	name=$1 dir=$2
	m=$(curl -s --noproxy '*' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"http://$reg/v2/$name/manifests/latest")
	mkdir -p "$dir"
	pids=
	for d in $(printf '%s' "$m" | jq -r '.config.digest, .layers[].digest'); do
		(curl -s --noproxy '*' -o "$dir/${d#sha256:}" "http://$reg/v2/$name/blobs/$d" &&
			sha256sum "$dir/${d#sha256:}" >/dev/null) &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p"
	done
}

run_one() {
	name=$1 n=0
	: >"$work/t.dk"; : >"$work/t.sk"; : >"$work/t.fl"
	while [ $n -lt "$REPS" ]; do
		r="$work/runs/$name-$n"
		sync
		t0=$(bench_now)
		fetch --root "$r/dk" pull -q "$reg/$name" >/dev/null
		t1=$(bench_now)
		sync
		t1s=$(bench_now)
		skopeo copy -q --src-tls-verify=false "docker://$reg/$name:latest" \
			"oci:$r/skopeo:latest" >/dev/null
		t2=$(bench_now)
		sync
		t2s=$(bench_now)
		floor "$name" "$r/floor"
		t3=$(bench_now)
		echo $((t1 - t0)) >>"$work/t.dk"
		echo $((t2 - t1s)) >>"$work/t.sk"
		echo $((t3 - t2s)) >>"$work/t.fl"
		n=$((n + 1))
	done
	a=$(bench_median <"$work/t.dk") b=$(bench_median <"$work/t.sk")
	c=$(bench_median <"$work/t.fl")
	awk -v l="pull $name ($2)" -v a="$a" -v b="$b" -v c="$c" 'BEGIN {
		printf "%-34s dk %.3fs  skopeo %.3fs  floor %.3fs  ratio %.2f  vs floor %.2f\n",
			l, a/1e9, b/1e9, c/1e9, a/b, a/c }'
}

# single NAME: fetch pull vs curl -o of the one layer blob vs skopeo.
single() {
	name=$1 n=0
	: >"$work/t.dk"; : >"$work/t.sk"; : >"$work/t.cu"
	m=$(curl -s --noproxy '*' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"http://$reg/v2/$name/manifests/latest")
	d=$(printf '%s' "$m" | jq -r '.layers[0].digest')
	size=$(printf '%s' "$m" | jq -r '.layers[0].size')
	while [ $n -lt "$REPS" ]; do
		r="$work/runs/single-$n"
		mkdir -p "$r"
		# each starts with nothing left to write back: fetch leaves its
		# data to the kernel's writeback (see dk-store(5)), which would
		# otherwise slow the next one down
		sync
		t0=$(bench_now)
		fetch --root "$r/dk" pull -q "$reg/$name" >/dev/null
		t1=$(bench_now)
		sync
		t1s=$(bench_now)
		curl -s --noproxy '*' -o "$r/blob" "http://$reg/v2/$name/blobs/$d"
		t2=$(bench_now)
		sync
		t2s=$(bench_now)
		skopeo copy -q --src-tls-verify=false "docker://$reg/$name:latest" \
			"oci:$r/skopeo:latest" >/dev/null
		t3=$(bench_now)
		echo $((t1 - t0)) >>"$work/t.dk"
		echo $((t2 - t1s)) >>"$work/t.cu"
		echo $((t3 - t2s)) >>"$work/t.sk"
		n=$((n + 1))
	done
	a=$(bench_median <"$work/t.dk") b=$(bench_median <"$work/t.cu")
	c=$(bench_median <"$work/t.sk")
	awk -v s="$size" -v a="$a" -v b="$b" -v c="$c" 'BEGIN {
		printf "pull of one %.1f MB layer: dk %.3fs  curl -o %.3fs  skopeo %.3fs\n", s/1e6, a/1e9, b/1e9, c/1e9
		printf "  dk/curl %.2f (target <= 1.3)  dk/skopeo %.2f (target <= 0.5)\n", a/b, a/c }'
}

single mb51
run_one busybox "1 layer, 1 MB"
run_one big "4 layers of 32 MB"
run_one one "1 layer of 128 MB"

rss() {
	/usr/bin/time -f %M fetch --root "$work/rss-$1" pull -q "$reg/$1" 2>&1 >/dev/null | tail -1
}
echo "fetch pull peak RSS: busybox (1 MB layer) $(rss busybox) kB, one (128 MB layer) $(rss one) kB"
