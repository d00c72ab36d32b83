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
	dk_remove_containers
	umount_below "$DK_ROOT"
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# kill_op_at T K OP: OP killed with SIGKILL at the K-th of N points spread
# over T ms (with jitter); returns OP's status (137: the kill landed)
kill_op_at() {
	local d=$(($1 * $2 / N + RANDOM % ($1 / N + 1))) rc=0
	timeout -s KILL "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))" \
		bash -c "$3" >/dev/null 2>&1 || rc=$?
	return "$rc"
}

# op_time NAME OP: OP run once, not killed; prints its time in ms (+1)
op_time() {
	local t0
	t0=$(now_ms)
	bash -c "$2" >/dev/null 2>&1 || {
		echo "$1: fails without a kill" >&2
		return 1
	}
	echo $(($(now_ms) - t0 + 1))
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
	local name=$1 setup=$2 op=$3 t k rc killed=0 bad=0
	$setup || return 1
	t=$(op_time "$name" "$op") || return 1
	for k in $(seq 0 $((N - 1))); do
		$setup || return 1
		rc=0
		kill_op_at "$t" "$k" "$op" || rc=$?
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

# The engine: `dk run -d` and `dk rm -f` killed as a user's kill -9 or
# Ctrl-C hits them (timeout kills the whole foreground process group: dk,
# container, snapshot, runtime), and on every other kill point the
# container's monitor too (a host-side crash). The checks, for each
# container record: `dk ps -a` works and lists every record directory;
# inspect works; a running record has a live process; mounts, cgroups and
# netns files below DK_ROOT belong to running containers only; the store
# checks clean. Then the operation runs again and `dk rm -f` of every
# container leaves nothing behind.

# dk_state_ok: the checks above
dk_state_ok() {
	local id st pid d m live created
	dk ps -aq --no-trunc >"$W/ps.out" 2>"$W/ps.err" || {
		echo "dk ps -a fails: $(cat "$W/ps.err")" >&2
		return 1
	}
	consistent || return 1
	live=" " created=" "
	for id in $(cat "$W/ps.out"); do
		dk inspect "$id" >"$W/insp.json" 2>&1 || {
			echo "inspect $id fails: $(cat "$W/insp.json")" >&2
			return 1
		}
		st=$(jq -r '.[0].State.Status' "$W/insp.json")
		pid=$(jq -r '.[0].State.Pid' "$W/insp.json")
		case $st in
		running | paused)
			kill -0 "$pid" 2>/dev/null || {
				echo "$id says $st, pid $pid is gone" >&2
				return 1
			}
			live="$live$id "
			;;
		created) created="$created$id " ;;
		exited | dead) ;;
		*)
			echo "$id: state '$st'" >&2
			return 1
			;;
		esac
	done
	for d in "$DK_ROOT"/containers/*/; do
		[ -d "$d" ] || continue
		id=$(basename "$d")
		[ "$id" = names ] && continue
		grep -qx "$id" "$W/ps.out" || {
			echo "container directory $id not listed by ps -a" >&2
			return 1
		}
	done
	for m in $(findmnt -rn -o TARGET | grep "^$DK_ROOT/" || true); do
		id=$(echo "$m" | grep -oE '[0-9a-f]{64}' | head -1)
		case "$live" in *" $id "*) continue ;; esac
		grep -qx "$id" "$W/ps.out" && [ -n "$id" ] && case $m in
			"$DK_ROOT"/snapshots/*) continue ;; # created: rootfs prepared
		esac
		echo "mount $m left (container ${id:-?} not running)" >&2
		return 1
	done
	for d in $(find /sys/fs/cgroup/ -mindepth 1 -type d -regextype egrep \
		-regex '.*/[0-9a-f]{64}' 2>/dev/null); do
		id=$(basename "$d")
		# created: killed between the runtime's create and start, its
		# init waits in the cgroup (runc's created state; rm -f ends it)
		case "$live$created" in *" $id "*) continue ;; esac
		echo "cgroup $d left (container neither running nor created)" >&2
		return 1
	done
	for d in "$DK_ROOT"/netns/*; do
		[ -e "$d" ] || continue
		id=$(basename "$d")
		case "$live" in *" $id "*) continue ;; esac
		echo "netns file $d left (container not running)" >&2
		return 1
	done
}

# dk_clean: `dk rm -f` of every container succeeds and leaves nothing
dk_clean() {
	local c
	for c in $(dk ps -aq --no-trunc); do
		dk rm -f "$c" >"$W/rm.out" 2>&1 || {
			echo "dk rm -f $c fails: $(cat "$W/rm.out")" >&2
			return 1
		}
	done
	[ -z "$(dk ps -aq)" ] &&
		[ -z "$(ls "$DK_ROOT/containers" 2>/dev/null | grep -v '^names$')" ] &&
		[ -z "$(ls "$DK_ROOT/containers/names" 2>/dev/null)" ] &&
		[ -z "$(ls "$DK_ROOT/snapshots" 2>/dev/null)" ] &&
		[ -z "$(ls "$DK_ROOT/netns" 2>/dev/null)" ] &&
		[ "$(grep -c " $DK_ROOT/" /proc/self/mountinfo)" = 0 ] &&
		[ -z "$(pgrep -f "monitor --root $DK_ROOT")" ] || {
		echo "dk rm -f left: $(ls "$DK_ROOT/containers" "$DK_ROOT/snapshots" "$DK_ROOT/netns" 2>&1 | tr '\n' ' ')" \
			"$(grep " $DK_ROOT/" /proc/self/mountinfo | cut -d' ' -f5)" >&2
		return 1
	}
}

# dk_torture NAME SETUP OP AGAIN: as torture, with the engine's checks;
# AGAIN is the operation run after the kill (rm: only if the container is
# still there), then every container removed.
dk_torture() {
	local name=$1 setup=$2 op=$3 again=$4 t k d rc killed=0 bad=0 mon
	$setup || return 1
	t=$(op_time "$name" "$op") || return 1
	dk_clean || return 1
	for k in $(seq 0 $((N - 1))); do
		$setup || return 1
		rc=0
		kill_op_at "$t" "$k" "$op" || rc=$?
		[ "$rc" = 137 ] && killed=$((killed + 1))
		if [ $((k % 2)) = 1 ]; then # the host-side crash: monitors too
			for mon in $(pgrep -f "monitor --root $DK_ROOT"); do
				kill -9 "$mon" 2>/dev/null || true
			done
		fi
		dk_state_ok || {
			echo "$name: inconsistent after a kill at ${d} ms (k=$k)" >&2
			bad=$((bad + 1))
		}
		{ bash -c "$again" >"$W/again.out" 2>&1 && dk_state_ok && dk_clean; } || {
			echo "$name: failed again after a kill at ${d} ms (k=$k): $(tail -3 "$W/again.out")" >&2
			bad=$((bad + 1))
			dk_clean >/dev/null 2>&1 || true
		}
	done
	echo "# $name: $N kill points over ${t} ms, $killed killed mid-way, $bad inconsistencies" >&3
	[ -z "${TORTURE_REPORT:-}" ] ||
		echo "$name: $N kill points over ${t} ms, $killed killed mid-way, $bad inconsistencies, $((N - bad)) recoveries verified" >>"$TORTURE_REPORT"
	[ "$bad" = 0 ]
}

export -f dk

@test "torture: dk run -d" {
	dk_busybox_setup
	N=${TORTURE_N:-3} # dk_busybox_setup sets N to a name prefix
	dk_torture "dk run -d" true 'dk run -d busybox sleep 1000' \
		'dk run -d busybox sleep 1000'
	dk_clean
}

@test "torture: dk rm" {
	dk_busybox_setup
	N=${TORTURE_N:-3} # dk_busybox_setup sets N to a name prefix
	dk_torture "dk rm" 'dk run -d --name tr busybox sleep 1000 >/dev/null' \
		'dk rm -f tr' '! dk inspect tr >/dev/null 2>&1 || dk rm -f tr'
	dk_clean
}
