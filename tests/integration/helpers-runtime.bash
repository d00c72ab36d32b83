# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for runtime.bats: a private cgroup + mount namespace for all
# containers of the file, a static probe program, bundles made from the
# busybox fixture, and `rt`/`rc` to drive runtime and runc inside it.

RT_PROBE_SRC="$DK_TOP/tests/probe/probe.c"

# Build the static probe once per source change (cached in the build dir).
_rt_probe() {
	local out="$DK_BUILD/probe/probe"
	if [ ! -x "$out" ] || [ "$RT_PROBE_SRC" -nt "$out" ]; then
		mkdir -p "$(dirname "$out")" || return 1
		cc -static -O2 -D_GNU_SOURCE -o "$out.tmp" "$RT_PROBE_SRC" &&
			mv "$out.tmp" "$out" || return 1
	fi
	echo "$out"
}

# Call from setup_file: base rootfs (busybox fixture unpacked with umoci,
# plus /bin/probe) and the namespace holder every command runs in.
rt_setup_file() {
	local probe layout
	probe=$(_rt_probe) || return 1
	layout=$(busybox_layout) || return 1
	RT_BASE="$BATS_FILE_TMPDIR/base"
	umoci unpack --image "$layout:latest" "$RT_BASE" >/dev/null || return 1
	cp "$probe" "$RT_BASE/rootfs/bin/probe" || return 1
	rt_holder
	export RT_BASE
}

# The holder: a process in a fresh cgroup + mount namespace with each
# cgroup hierarchy remounted (tests/cgroupns-run); its namespaces are
# entered with nsenter and vanish with it.
rt_holder() {
	"$DK_TOP/tests/cgroupns-run" sleep 100000 </dev/null >/dev/null 2>&1 3>&- &
	RT_NS_PID=$!
	local i
	for i in $(seq 1 100); do
		[ "$(readlink "/proc/$RT_NS_PID/exe" 2>/dev/null)" = "$(command -v sleep)" ] && break
		sleep 0.05
	done
	export RT_NS_PID
}

rt_teardown_file() {
	if [ -n "${RT_NS_PID:-}" ]; then
		kill "$RT_NS_PID" 2>/dev/null || true
		wait "$RT_NS_PID" 2>/dev/null || true
	fi
}

# in_ns CMD...: run CMD in the holder's cgroup and mount namespaces.
in_ns() {
	nsenter -t "$RT_NS_PID" --cgroup --mount -- "$@"
}

rt() {
	in_ns "$DK_BIN/runtime" --root "$RT_ROOT" "$@"
}

rc() {
	in_ns runc --root "$RC_ROOT" "$@"
}

# make_bundle DIR [ARGS...]: a bundle with a copy of the base rootfs and
# `runtime spec`'s config, not a terminal, running /bin/probe ARGS.
make_bundle() {
	local dir=$1
	shift
	mkdir -p "$dir" &&
		cp -a "$RT_BASE/rootfs" "$dir/rootfs" &&
		"$DK_BIN/runtime" spec --bundle "$dir" || return 1
	cfg_in "$dir" '.process.terminal = false | .process.args = $a' \
		--argjson a "$(json_strv /bin/probe "$@")"
}

# json_strv ARGS...: the arguments as a JSON array of strings.
json_strv() {
	printf '%s\n' "$@" | jq -R . | jq -sc .
}

# cfg_in BUNDLE JQ_FILTER [JQ ARGS...]: edit BUNDLE/config.json.
cfg_in() {
	local dir=$1 filter=$2
	shift 2
	jq "$filter" "$dir/config.json" "$@" >"$dir/config.json.tmp" &&
		mv "$dir/config.json.tmp" "$dir/config.json"
}

# cfg JQ_FILTER [ARGS...]: edit the test's bundle.
cfg() {
	cfg_in "$BUNDLE" "$@"
}

# args ARGS...: set the process args of the test's bundle.
args() {
	cfg '.process.args = $a' --argjson a "$(json_strv "$@")"
}

rt_setup() {
	dk_common_setup
	RT_ROOT="$BATS_TEST_TMPDIR/rt-state"
	RC_ROOT="$BATS_TEST_TMPDIR/runc-state"
	BUNDLE="$BATS_TEST_TMPDIR/bundle"
	make_bundle "$BUNDLE" hostname
	export RT_ROOT RC_ROOT BUNDLE
}

# Remove every container left by a failed test.
rt_teardown() {
	local id
	for id in $(rt list -q 2>/dev/null); do
		rt delete --force "$id" >/dev/null 2>&1 || true
	done
	for id in $(rc list -q 2>/dev/null); do
		rc delete --force "$id" >/dev/null 2>&1 || true
	done
}

# state_field ID FIELD: one field of `runtime state ID`.
state_field() {
	rt state "$1" | jq -r ".$2"
}

# rtd ARGS...: like `run rt ARGS` for commands that leave a container
# behind (create, run -d, exec -d): the container inherits stdio, so its
# output goes to a file of its own instead of bats' pipes.
rtd() {
	local log
	log=$(mktemp "$BATS_TEST_TMPDIR/rtd.XXXXXX")
	status=0
	rt "$@" </dev/null >"$log" 2>&1 3>&- || status=$?
	output=$(cat "$log")
}

# rcd ARGS...: the same for runc.
rcd() {
	local log
	log=$(mktemp "$BATS_TEST_TMPDIR/rcd.XXXXXX")
	status=0
	rc "$@" </dev/null >"$log" 2>&1 3>&- || status=$?
	output=$(cat "$log")
}

# wait_stopped ID [CMD]: until the container's status, as `CMD state ID`
# gives it (rt by default), is stopped (5 s at most).
wait_stopped() {
	local i
	for i in $(seq 1 100); do
		[ "$("${2:-rt}" state "$1" | jq -r .status)" = stopped ] && return 0
		sleep 0.05
	done
	return 1
}

# pod ARGS...: podman on a private store, driving our runtime, inside the
# holder's namespaces (options from MACHINE-NOTES: vfs, cgroupfs, no network).
pod() {
	in_ns podman --root "$BATS_FILE_TMPDIR/pod/root" \
		--runroot "$BATS_FILE_TMPDIR/pod/runroot" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file \
		--runtime "$DK_BIN/runtime" "$@"
}

# Options every podman container here gets.
POD_RUN_OPTS=(--network none --ulimit nofile=1024:1024 --ulimit nproc=4096:4096
	--cgroup-parent=/dk-podtest)

# The busybox fixture as podman image "dkbusybox" (once per file).
pod_image() {
	if ! pod image exists dkbusybox 2>/dev/null; then
		local id
		id=$(pod pull -q "oci:$(busybox_layout):latest") || return 1
		pod tag "$id" dkbusybox || return 1
	fi
}

# Remove podman's containers and the cgroups below /dk-podtest.
pod_cleanup() {
	pod rm -af -t 0 >/dev/null 2>&1 || true
	in_ns sh -c 'for d in /sys/fs/cgroup/*/dk-podtest; do [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; ; done; true'
}

# rt_view_holder VIEW: a holder of the test's own (RT_VIEW_PID, killed by
# rt_view_teardown) in cgroup layout VIEW; the file's holder is untouched.
rt_view_holder() {
	rt_holder
	RT_VIEW_PID=$RT_NS_PID
	rt_view "$1"
}

rt_view_teardown() {
	if [ -n "${RT_VIEW_PID:-}" ]; then
		kill "$RT_VIEW_PID" 2>/dev/null || true
		wait "$RT_VIEW_PID" 2>/dev/null || true
	fi
}

# rt_view VIEW: rearrange the holder's cgroup mounts into one of the cgroup
# layouts users have (only inside the holder's private mount namespace):
#   v1     a tmpfs over /sys/fs/cgroup with only the v1 hierarchies (the
#          old cgroup2 mount is still listed in mountinfo but unreachable)
#   v2     only cgroup2 at /sys/fs/cgroup, with whatever controllers the
#          kernel lets it take (those not bound to a v1 hierarchy)
#   hybrid the host's view, as tests/cgroupns-run left it
rt_view() {
	case "$1" in
	hybrid) return 0 ;;
	v1)
		in_ns sh -ec '
			ctrls=$(grep -E " - cgroup " /proc/self/mountinfo | sed "s/.* //" |
				tr , "\n" | grep -vE "^(rw|ro|relatime|noexec|nosuid|nodev|clone_children|xattr|noprefix|cpuset_v2_mode|release_agent=.*)$" | sort -u)
			mnts=$(grep -E " - cgroup " /proc/self/mountinfo | cut -d" " -f5)
			opts=""
			for m in $mnts; do
				o=$(grep -E " $m .* - cgroup " /proc/self/mountinfo | sed "s/.* //" | tr , "\n" |
					grep -vE "^(rw|ro|relatime|noexec|nosuid|nodev|clone_children|xattr|noprefix|cpuset_v2_mode|release_agent=.*)$" | paste -sd, -)
				opts="$opts $m=$o"
			done
			mount -t tmpfs -o mode=755 cgroupview /sys/fs/cgroup
			for mo in $opts; do
				m=${mo%%=*}; o=${mo#*=}
				mkdir -p "$m"
				mount -t cgroup -o "$o" cgroup "$m"
			done'
		;;
	v2)
		in_ns sh -ec '
			mount -t tmpfs -o mode=755 cgroupview /sys/fs/cgroup
			mount -t cgroup2 cgroup2 /sys/fs/cgroup'
		;;
	*) return 1 ;;
	esac
}
