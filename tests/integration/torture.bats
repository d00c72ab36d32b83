#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# torture: each writing operation is killed with SIGKILL at points spread
# over its own duration, then the state must be consistent (`store check`
# passes: every tag resolves to present blobs with their digests; no
# partial layer directory or blob is visible; no mount is left behind)
# and the same operation, run again, must succeed.
#
# make check runs the short form (TORTURE_N kill points per operation,
# default 3); `make torture` runs TORTURE_N=50 and prints one line per
# operation: kill points tried, how many landed mid-way, inconsistencies.

load helpers
load helpers-commit
bats_require_minimum_version 1.5.0

N=${TORTURE_N:-3}

setup_file() {
	registry_with_busybox
}

teardown_file() {
	stop_registry
}

setup() {
	dk_common_setup
	export W="$BATS_TEST_TMPDIR/w"
	mkdir -p "$W"
}

teardown() {
	umount_below "$DK_ROOT"
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# consistent: the store passes its fsck, no layer directory without its
# "complete" marker is in place, and no mount below DK_ROOT is left but
# those of snapshots `snapshot list` knows.
consistent() {
	local d m
	if [ -d "$DK_ROOT/images" ]; then
		store check >"$W/check.out" 2>&1 || {
			cat "$W/check.out" >&2
			return 1
		}
	fi
	for d in "$DK_ROOT"/layers/*; do
		[ -d "$d" ] || continue
		case "$d" in */l | *.tmp-*) continue ;; esac # short links; partials
		[ -e "$d/complete" ] || {
			echo "layer $d visible without its marker" >&2
			return 1
		}
	done
	for m in $(findmnt -rn -o TARGET | grep "^$DK_ROOT/snapshots/" || true); do
		m=${m#"$DK_ROOT/snapshots/"}
		snapshot list 2>/dev/null | grep -q "^${m%%/*}\b" || {
			echo "mount of unknown snapshot ${m%%/*} left" >&2
			return 1
		}
	done
}

# torture NAME SETUP OP: time OP once (after SETUP), then N times: SETUP,
# OP killed after k/N of that time, consistent, OP again, consistent.
torture() {
	local name=$1 setup=$2 op=$3 t0 t k d rc killed=0 bad=0
	$setup || return 1
	t0=$(now_ms)
	bash -c "$op" >/dev/null 2>&1 || {
		echo "$name: fails without a kill" >&2
		return 1
	}
	t=$(($(now_ms) - t0 + 1))
	for k in $(seq 0 $((N - 1))); do
		$setup || return 1
		d=$((t * k / N + RANDOM % (t / N + 1)))
		rc=0
		timeout -s KILL "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))" \
			bash -c "$op" >/dev/null 2>&1 || rc=$?
		[ "$rc" = 137 ] && killed=$((killed + 1)) # timeout's status for KILL
		consistent || {
			echo "$name: inconsistent after a kill at ${d} ms" >&2
			bad=$((bad + 1))
		}
		bash -c "$op" >"$W/again.out" 2>&1 && consistent || {
			echo "$name: failed again after a kill at ${d} ms: $(tail -3 "$W/again.out")" >&2
			bad=$((bad + 1))
		}
	done
	echo "# $name: $N kill points over ${t} ms, $killed killed mid-way, $bad inconsistencies" >&3
	[ -z "${TORTURE_REPORT:-}" ] ||
		echo "$name: $N kill points over ${t} ms, $killed killed mid-way, $bad inconsistencies, $((N - bad)) recoveries verified" >>"$TORTURE_REPORT"
	[ "$bad" = 0 ]
}

fresh_root() {
	rm -rf "$DK_ROOT"
	mkdir -p "$DK_ROOT"
}

have_busybox() {
	[ -n "$(store list -q 2>/dev/null)" ] || fetch pull -q "$REGISTRY/busybox" >/dev/null
}

export -f now_ms

@test "torture: fetch pull" {
	torture "fetch pull" fresh_root 'fetch pull -q "$REGISTRY/busybox"'
}

@test "torture: fetch push" {
	have_busybox
	torture "fetch push" have_busybox 'fetch push "$REGISTRY/busybox" "$REGISTRY/tortured/bb:$RANDOM"'
}

@test "torture: unpack" {
	have_busybox
	# --force: the run after a kill replaces what a finished run made
	torture "unpack" 'rm -rf "$W/b"' 'unpack --force "$REGISTRY/busybox" "$W/b"'
	[ -f "$W/b/config.json" ] && [ -d "$W/b/rootfs/bin" ]
}

snap_fresh() {
	have_busybox && snapshot remove t1 >/dev/null 2>&1
	rm -rf "$DK_ROOT/layers"
	return 0
}

@test "torture: snapshot prepare" {
	have_busybox
	torture "snapshot prepare" snap_fresh 'snapshot remove t1 >/dev/null 2>&1; snapshot prepare "$REGISTRY/busybox" t1'
}

diff_ready() {
	have_busybox || return 1
	snapshot list 2>/dev/null | grep -q '^d1\b' && return 0
	local r
	r=$(snapshot prepare "$REGISTRY/busybox" d1) || return 1
	mkdir -p "$r/data" && head -c 3000000 /dev/urandom >"$r/data/blob" &&
		for i in $(seq 1 200); do echo "$i" >"$r/data/f$i"; done
}

@test "torture: snapshot diff | commit" {
	torture "snapshot diff | commit" diff_ready \
		'set -o pipefail; snapshot diff d1 | commit --base "$REGISTRY/busybox" --tag me/tortured'
}

@test "torture: buildfile" {
	have_busybox
	mkdir -p "$W/ctx"
	head -c 2000000 /dev/urandom >"$W/ctx/big"
	printf 'FROM %s/busybox\nCOPY big /big\nRUN echo built >/built\n' "$REGISTRY" >"$W/ctx/Dockerfile"
	torture "buildfile" have_busybox 'buildfile --no-cache -q -t me/built "$W/ctx"'
}

# gc_ready: busybox plus 40 valid blobs no tag reaches, for gc to delete
gc_ready() {
	local i f
	have_busybox || return 1
	for i in $(seq 1 40); do
		f="$W/garbage"
		head -c 200000 /dev/urandom >"$f"
		mv "$f" "$DK_ROOT/images/blobs/sha256/$(sha256sum "$f" | cut -d' ' -f1)"
	done
}

@test "torture: store gc" {
	torture "store gc" gc_ready 'store gc'
	[ "$(ls "$DK_ROOT/images/blobs/sha256" | wc -l)" -lt 10 ]
}
