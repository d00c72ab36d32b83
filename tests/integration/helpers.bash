# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for dk's bats integration tests.  Load with `load helpers`.
#
# Typical test file:
#
#   load helpers
#   setup()    { dk_common_setup; }
#   teardown() { stop_registry; }
#
# Everything here uses only tools outside dk (docker-registry, umoci, skopeo,
# busybox-static, curl, jq), so a broken dk tool cannot hide behind a broken
# fixture.

# --- paths ------------------------------------------------------------------

DK_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
DK_BIN=${DK_BIN:-$DK_TOP/bin}	# make asan points this at build-asan/bin
DK_BUILD=${DK_BUILD:-$DK_TOP/build}
# Cached test images live here; shared by all bats files and runs.
DK_FIXTURE_DIR=${DK_FIXTURE_DIR:-$DK_TOP/build/fixtures}
# Static files that go into fixtures (etc/passwd ...).
DK_FIXTURE_SRC="$DK_TOP/tests/fixtures"
export DK_TOP DK_BIN DK_BUILD DK_FIXTURE_DIR
case ":$PATH:" in
*":$DK_BIN:"*) ;;
*) PATH="$DK_BIN:$PATH" ;;
esac
export PATH

# Call from setup(): a fresh, empty dk state directory per test.
dk_common_setup() {
	export DK_ROOT="$BATS_TEST_TMPDIR/dk-root"
	rm -rf "$DK_ROOT"
	mkdir -p "$DK_ROOT"
}

# Call from setup() of suites that run containers through dk: a fresh root
# holding the test busybox image as docker.io/library/busybox:latest, and
# N, a name prefix unique to this run and test.
dk_busybox_setup() {
	dk_common_setup
	mkdir -p "$DK_ROOT/images"
	skopeo copy -q "oci:$(busybox_layout):latest" \
		"oci:$DK_ROOT/images:docker.io/library/busybox:latest"
	N="t$$-${BATS_TEST_NUMBER}"
}

# Call from teardown(): every container of the test's root removed (their
# overlay mounts live under BATS_TEST_TMPDIR).
dk_remove_containers() {
	local c
	for c in $(dash "$DK_BIN/dk" ps -aq 2>/dev/null); do
		dash "$DK_BIN/dk" rm -f "$c" >/dev/null 2>&1 || true
	done
}

# dk as users run it: the POSIX sh front end, under dash.
dk() {
	dash "$DK_BIN/dk" "$@"
}

# umount_below DIR: unmount DIR's mounts, deepest first (DIR itself too),
# whatever state a test left.
umount_below() {
	local m d=${1%/}
	[ -n "$d" ] || return 0
	for m in $(findmnt -rn -o TARGET | grep -E "^$d(/|\$)" | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}

# registry_with_busybox: (setup_file) a registry holding the busybox
# fixture as REGISTRY/busybox:latest; REGISTRY exported.
registry_with_busybox() {
	start_registry || return 1
	skopeo_push_fixture busybox:latest || return 1
	export REGISTRY
}

# Per-test scratch dir, or the per-file one when called from setup_file.
_dk_tmpdir() {
	echo "${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}"
}

# --- assertions -------------------------------------------------------------
# Minimal stand-ins for bats-assert.  They work on bats' $status/$output after
# `run`, print what they saw to stderr and return 1 (which fails the test).

assert_success() {
	if [ "$status" -ne 0 ]; then
		printf 'expected success, got status %s\noutput:\n%s\n' \
			"$status" "$output" >&2
		return 1
	fi
}

# assert_failure [STATUS]: non-zero status, and exactly STATUS if given.
assert_failure() {
	if [ "$status" -eq 0 ]; then
		printf 'expected failure, got status 0\noutput:\n%s\n' "$output" >&2
		return 1
	fi
	if [ $# -gt 0 ] && [ "$status" -ne "$1" ]; then
		printf 'expected status %s, got %s\noutput:\n%s\n' \
			"$1" "$status" "$output" >&2
		return 1
	fi
}

assert_output_contains() {
	if [[ "$output" != *"$1"* ]]; then
		printf 'output does not contain: %s\noutput:\n%s\n' "$1" "$output" >&2
		return 1
	fi
}

# assert_equal ACTUAL EXPECTED
assert_equal() {
	if [ "$1" != "$2" ]; then
		printf 'values differ\n  actual:   %s\n  expected: %s\n' "$1" "$2" >&2
		return 1
	fi
}

# --- registry ---------------------------------------------------------------

# True if something listens on 127.0.0.1:PORT (or on any address).
_port_in_use() {
	[ -n "$(ss -ltnH "sport = :$1" 2>/dev/null)" ]
}

# A port from 20000-59999 that nothing listens on right now.  Another process
# may still take it before we bind; start_registry retries for that case.
_free_port() {
	local port i
	for i in $(seq 1 50); do
		port=$((20000 + RANDOM % 40000))
		if ! _port_in_use "$port"; then
			echo "$port"
			return 0
		fi
	done
	echo "no free port found" >&2
	return 1
}

# Is PID alive and not a zombie?  (kill -0 succeeds on zombies.)
_pid_running() {
	[ -r "/proc/$1/stat" ] || return 1
	# Field 3 of /proc/PID/stat is the state; field 2 may contain spaces, so
	# strip up to the last ')'.
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# start_registry [HTPASSWD_FILE [STORAGE_DIR]]
#
# Starts docker-registry on a free 127.0.0.1 port and exports
#   REGISTRY      127.0.0.1:PORT
#   REGISTRY_PID  the server's pid (stop_registry uses it)
#   REGISTRY_DIR  config, log and (by default) storage of this server
#   REGISTRY_LOG  the server's log file
# With HTPASSWD_FILE (bcrypt entries, `htpasswd -Bbn`) basic auth is required.
# Pass "" as HTPASSWD_FILE to set only STORAGE_DIR.  One registry per test.
start_registry() {
	local htpasswd=${1:-} storage=${2:-} tmp port code attempt deadline logsize

	if [ -n "${REGISTRY_PID:-}" ] && _pid_running "$REGISTRY_PID"; then
		echo "start_registry: a registry is already running ($REGISTRY)" >&2
		return 1
	fi
	if [ -n "$htpasswd" ] && [ ! -r "$htpasswd" ]; then
		echo "start_registry: cannot read $htpasswd" >&2
		return 1
	fi
	tmp=$(_dk_tmpdir)
	REGISTRY_DIR="$tmp/registry"
	REGISTRY_LOG="$REGISTRY_DIR/registry.log"
	storage=${storage:-$REGISTRY_DIR/data}
	mkdir -p "$REGISTRY_DIR" "$storage"

	# A free port can be taken between our check and the bind, so try a few.
	for attempt in 1 2 3 4 5; do
		port=$(_free_port) || return 1
		{
			echo "version: 0.1"
			echo "log:"
			echo "  level: info"
			echo "storage:"
			echo "  filesystem:"
			echo "    rootdirectory: \"$storage\""
			echo "  delete:"
			echo "    enabled: true"
			echo "http:"
			echo "  addr: 127.0.0.1:$port"
			if [ -n "$htpasswd" ]; then
				echo "auth:"
				echo "  htpasswd:"
				echo "    realm: dk-test"
				echo "    path: \"$htpasswd\""
			fi
		} >"$REGISTRY_DIR/config.yml"

		# The registry reads every REGISTRY_* environment variable as a
		# config override (REGISTRY_LOG would replace the log section), so
		# it gets an environment without them.  Close bats' fd 3, or bats
		# would wait for the server to exit.
		logsize=$(stat -c %s "$REGISTRY_LOG" 2>/dev/null || echo 0)
		env $(compgen -e | sed -n 's/^REGISTRY_/-u &/p') \
			docker-registry serve "$REGISTRY_DIR/config.yml" \
			>>"$REGISTRY_LOG" 2>&1 </dev/null 3>&- &
		REGISTRY_PID=$!
		REGISTRY="127.0.0.1:$port"
		export REGISTRY REGISTRY_PID REGISTRY_DIR REGISTRY_LOG

		# Up to 10 s: 200 without auth, 401 with it both mean "serving".
		deadline=$((SECONDS + 10))
		while [ "$SECONDS" -lt "$deadline" ]; do
			if ! _pid_running "$REGISTRY_PID"; then
				break
			fi
			code=$(curl -s --noproxy '*' --max-time 1 -o /dev/null \
				-w '%{http_code}' "http://$REGISTRY/v2/" 2>/dev/null) || true
			case "$code" in
			200 | 401) return 0 ;;
			esac
			sleep 0.1
		done

		if _pid_running "$REGISTRY_PID"; then
			# Running but not answering: a retry would not help.
			echo "start_registry: no answer from $REGISTRY in 10 s" >&2
			stop_registry
			break
		fi
		# Died early: reap it; retry only if the port was taken meanwhile.
		wait "$REGISTRY_PID" 2>/dev/null || true
		unset REGISTRY_PID REGISTRY
		tail -c +$((logsize + 1)) "$REGISTRY_LOG" |
			grep -q 'address already in use' || break
	done
	echo "start_registry: failed; log $REGISTRY_LOG:" >&2
	cat "$REGISTRY_LOG" >&2
	return 1
}

# Stop the registry started by start_registry.  Safe to call twice, or when
# none was started.
stop_registry() {
	local pid=${REGISTRY_PID:-} i
	[ -n "$pid" ] || return 0
	unset REGISTRY_PID
	# Only signal the pid if it still is our registry (pids get reused).
	if _pid_running "$pid" &&
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
		grep -q docker-registry; then
		kill -TERM "$pid" 2>/dev/null || true
		for i in $(seq 1 50); do
			_pid_running "$pid" || break
			sleep 0.1
		done
		if _pid_running "$pid"; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	# Reap it if it is our child (no-op otherwise, e.g. across setup_file).
	wait "$pid" 2>/dev/null || true
	return 0
}

# --- busybox image fixture --------------------------------------------------

# Applets linked into /bin of the fixture image.
DK_BUSYBOX_APPLETS=(
	sh ls cat echo id hostname mount umount ps sleep true false env mkdir
	rm touch wc grep head tail test '[' printf stat readlink cp mv ln chmod
	chown uname pwd kill sed tr cut sort uniq seq find xargs df du dd
	whoami sync mkfifo basename dirname date expr tee
)
DK_BUSYBOX_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Bump when the recipe below changes, so cached fixtures get rebuilt.
DK_BUSYBOX_RECIPE=1

# Key that names the cached build: recipe version + inputs.  If any of them
# change, the marker no longer matches and the fixture is rebuilt.
_busybox_key() {
	{
		echo "recipe $DK_BUSYBOX_RECIPE"
		echo "applets ${DK_BUSYBOX_APPLETS[*]}"
		echo "path $DK_BUSYBOX_PATH"
		sha256sum /bin/busybox
		(cd "$DK_FIXTURE_SRC/busybox-rootfs" && find . -type f | sort |
			xargs sha256sum)
	} | sha256sum | cut -d' ' -f1
}

# Build the layout into $1 (a new directory).  Logs to stdout/stderr.
# Every step ends in `|| return 1`: this runs under `if !`, where bash
# ignores set -e.
_busybox_build() {
	local out=$1 layout="$1/layout" bundle="$1/bundle" rootfs a
	mkdir -p "$out" || return 1
	umoci init --layout "$layout" || return 1
	umoci new --image "$layout:latest" || return 1
	umoci unpack --image "$layout:latest" "$bundle" || return 1
	rootfs="$bundle/rootfs"

	mkdir -p "$rootfs"/{bin,sbin,etc,dev,proc,sys,home,root,tmp,var,usr/bin} &&
		chmod 0755 "$rootfs"/{bin,sbin,etc,home,usr,usr/bin,var} &&
		chmod 0700 "$rootfs/root" &&
		chmod 1777 "$rootfs/tmp" &&
		cp /bin/busybox "$rootfs/bin/busybox" &&
		chmod 0755 "$rootfs/bin/busybox" || return 1
	for a in "${DK_BUSYBOX_APPLETS[@]}"; do
		ln -s busybox "$rootfs/bin/$a" || return 1
	done
	cp "$DK_FIXTURE_SRC/busybox-rootfs/etc/passwd" \
		"$DK_FIXTURE_SRC/busybox-rootfs/etc/group" "$rootfs/etc/" &&
		chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group" || return 1

	# Both steps record a history entry (config's is marked empty_layer).
	umoci repack --image "$layout:latest" \
		--history.created_by "dk tests: busybox-static rootfs" \
		"$bundle" || return 1
	umoci config --image "$layout:latest" \
		--config.cmd sh --config.env "PATH=$DK_BUSYBOX_PATH" \
		--history.created_by "dk tests: cmd sh, PATH" || return 1
	# Drop the superseded manifests/configs left by repack and config.
	umoci gc --layout "$layout" || return 1
	rm -rf "$bundle"
}

# Print the path of the cached busybox OCI layout (tag "latest": one layer,
# Cmd ["sh"], PATH set), building it on first use.  A flock serialises
# concurrent builders (parallel bats files); the marker file is written only
# after a complete build, so a half-built cache is never used.
busybox_layout() {
	local dir="$DK_FIXTURE_DIR/busybox" key rc
	key=$(_busybox_key) || return 1
	if [ "$(cat "$dir/.complete" 2>/dev/null)" != "$key" ]; then
		mkdir -p "$DK_FIXTURE_DIR" || return 1
		(
			flock 9 || exit 1
			# Someone may have finished while we waited for the lock.
			[ "$(cat "$dir/.complete" 2>/dev/null)" = "$key" ] && exit 0
			rm -rf "$dir" "$dir.tmp"
			if ! _busybox_build "$dir.tmp" >"$DK_FIXTURE_DIR/busybox.log" 2>&1; then
				echo "busybox_layout: build failed:" >&2
				cat "$DK_FIXTURE_DIR/busybox.log" >&2
				rm -rf "$dir.tmp"
				exit 1
			fi
			echo "$key" >"$dir.tmp/.complete"
			mv "$dir.tmp" "$dir"
		) 9>"$DK_FIXTURE_DIR/busybox.lock"
		rc=$?
		[ "$rc" -eq 0 ] || return "$rc"
	fi
	echo "$dir/layout"
}

# busybox_layout_copy DEST: a private copy of the layout for tests that
# modify it.  DEST is created; it should not exist or be empty.
busybox_layout_copy() {
	local src
	src=$(busybox_layout) || return 1
	mkdir -p "$1" && cp -a "$src/." "$1/"
}

# layout_manifest_digest LAYOUT [TAG]: digest of TAG's manifest (default
# latest) as recorded in LAYOUT/index.json.
layout_manifest_digest() {
	jq -er --arg tag "${2:-latest}" \
		'.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $tag) | .digest' \
		"$1/index.json"
}

# skopeo_push_fixture REF [USER:PASS]: push the busybox layout unchanged
# (same manifest digest) to docker://$REGISTRY/REF over plain http.
skopeo_push_fixture() {
	local ref=$1 creds=${2:-} layout
	local -a auth=()
	[ -n "${REGISTRY:-}" ] || {
		echo "skopeo_push_fixture: no registry running" >&2
		return 1
	}
	layout=$(busybox_layout) || return 1
	[ -n "$creds" ] && auth=(--dest-creds "$creds")
	skopeo copy --quiet --dest-tls-verify=false --preserve-digests \
		"${auth[@]}" "oci:$layout:latest" "docker://$REGISTRY/$ref"
}
