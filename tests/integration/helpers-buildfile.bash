# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for buildfile.bats.

# import_busybox: the busybox fixture into $DK_ROOT/images as busybox.
bf_import_busybox() {
	mkdir -p "$DK_ROOT/images"
	skopeo copy --quiet "oci:$(busybox_layout):latest" \
		"oci:$DK_ROOT/images:docker.io/library/busybox:latest"
}

# bf_unpack REF DIR: umoci's view of an image's rootfs, in DIR/rootfs.
bf_unpack() {
	umoci unpack --image "$DK_ROOT/images:$1" "$2" >/dev/null
}

# bf_config REF: the image config, through skopeo.
bf_config() {
	skopeo inspect --config "oci:$DK_ROOT/images:$1"
}

# bf_no_leftovers: no temporary tag, snapshot, container or bundle stays.
bf_no_leftovers() {
	if jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"] // empty' \
		"$DK_ROOT/images/index.json" | grep -q dk-build; then
		echo "temporary tag left in index.json" >&2
		return 1
	fi
	if [ -n "$(snapshot list 2>/dev/null | grep dk-build)" ]; then
		echo "snapshot left: $(snapshot list)" >&2
		return 1
	fi
	if [ -d "$DK_ROOT/build" ] && [ -n "$(ls -A "$DK_ROOT/build")" ]; then
		echo "bundle left: $(ls "$DK_ROOT/build")" >&2
		return 1
	fi
	if [ -d "$DK_ROOT/run" ] && [ -n "$(ls -A "$DK_ROOT/run" | grep dk-build)" ]; then
		echo "container state left: $(ls "$DK_ROOT/run")" >&2
		return 1
	fi
	return 0
}

# bf_raw_config REF: the config blob as stored (skopeo drops fields the
# OCI spec lacks, such as OnBuild).
bf_raw_config() {
	local dir=$DK_ROOT/images m c
	m=$(jq -r --arg r "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' "$dir/index.json")
	c=$(jq -r .config.digest "$dir/blobs/sha256/${m#sha256:}")
	cat "$dir/blobs/sha256/${c#sha256:}"
}

# bf_start_http DIR: httpserve.py serving DIR on 127.0.0.1; sets HTTP
# (host:port), HTTP_PID and HTTP_LOG (a line per request). bf_stop_http
# (from teardown) kills only that pid.
bf_start_http() {
	local portfile="$BATS_TEST_TMPDIR/http.port" i
	HTTP_LOG="$BATS_TEST_TMPDIR/http.log"
	: >"$HTTP_LOG"
	python3 "$BATS_TEST_DIRNAME/buildfile/httpserve.py" "$portfile" "$1" "$HTTP_LOG" \
		>"$BATS_TEST_TMPDIR/http.out" 2>&1 </dev/null 3>&- &
	HTTP_PID=$!
	for i in $(seq 1 100); do
		if [ -s "$portfile" ]; then
			HTTP=127.0.0.1:$(cat "$portfile")
			return 0
		fi
		sleep 0.05
	done
	cat "$BATS_TEST_TMPDIR/http.out" >&2
	return 1
}

bf_stop_http() {
	[ -n "${HTTP_PID:-}" ] || return 0
	kill "$HTTP_PID" 2>/dev/null || true
	wait "$HTTP_PID" 2>/dev/null || true
	HTTP_PID=
}
