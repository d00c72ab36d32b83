#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fetch: pull, push, login/logout, tags, inspect and search against a real
# docker-registry on 127.0.0.1, with skopeo as the reference client; faults
# (corrupt and cut blobs, 503/429, schema 1, redirects) come from a small
# proxy in front of the registry, token auth from a small token server.

load helpers
load helpers-fetch

setup() {
	dk_common_setup
	export HOME="$BATS_TEST_TMPDIR/home"
	mkdir -p "$HOME"
	unset REGISTRY_AUTH_FILE DOCKER_CONFIG
	export no_proxy='*' NO_PROXY='*'
}

teardown() {
	stop_proxy
	stop_token_server
	stop_registry
}

store() {
	echo "$DK_ROOT/images"
}

# Names in the store's index.json.
store_tags() {
	jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' \
		"$(store)/index.json"
}

has_blob() {
	[ -f "$(store)/blobs/sha256/${1#sha256:}" ]
}

# Every blob's content matches its name.
store_verified() {
	local f
	for f in "$(store)"/blobs/sha256/*; do
		[ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || {
			echo "blob $f does not match its digest" >&2
			return 1
		}
	done
}

no_temp_files() {
	[ -z "$(ls -A "$(store)/.dk-tmp" 2>/dev/null)" ]
}

busybox_digest() {
	layout_manifest_digest "$(busybox_layout)"
}

busybox_layer() {
	jq -r '.layers[0].digest' \
		"$(busybox_layout)/blobs/sha256/$(busybox_digest | cut -d: -f2)"
}

login_alice() {
	echo s3cret | fetch login -u alice --password-stdin "$1" >/dev/null
}

# --- command line -----------------------------------------------------------

@test "fetch: --help, --version, usage errors exit 2" {
	run fetch --help
	assert_success
	assert_output_contains "pull"
	assert_output_contains "search"
	run fetch --version
	assert_success
	assert_output_contains "fetch version"
	run fetch pull --help
	assert_success
	run fetch
	assert_failure 2
	run fetch bogus
	assert_failure 2
	assert_output_contains 'unknown command "bogus"'
	run fetch pull
	assert_failure 2
	run fetch pull --bogus x
	assert_failure 2
	run fetch pull --platform linux/amd64 --all-platforms busybox
	assert_failure 2
	run fetch search --limit 0 x
	assert_failure 2
	run fetch inspect --raw --config busybox
	assert_failure 2
	run fetch push --platform linux/amd64 a b
	assert_failure 2
	assert_output_contains "does not apply"
}

@test "fetch pull: bad references fail clearly, store untouched" {
	run fetch pull 'Upper/Case'
	assert_failure 1
	assert_output_contains 'invalid reference'
	run fetch pull ''
	assert_failure 1
	run fetch pull 'busybox@sha256:1234'
	assert_failure 1
	assert_output_contains 'busybox@sha256:1234'
	[ ! -e "$(store)/index.json" ] || assert_equal "$(store_tags)" ""
}

# --- pull -------------------------------------------------------------------

@test "fetch pull: stores manifest, config, layer; tags the full reference" {
	start_registry
	skopeo_push_fixture busybox:latest
	run fetch pull "$REGISTRY/busybox"
	assert_success
	assert_equal "$output" "$(busybox_digest)"
	assert_equal "$(store_tags)" "$REGISTRY/busybox:latest"
	has_blob "$(busybox_digest)"
	has_blob "$(busybox_layer)"
	store_verified
	no_temp_files
	# skopeo reads our store and sees the same image
	assert_equal "$(skopeo_digest "oci:$(store):$REGISTRY/busybox:latest")" \
		"$(busybox_digest)"
}

@test "fetch pull: progress lines per blob on a terminal, none when piped" {
	start_registry
	skopeo_push_fixture busybox:latest
	# piped: stdout has the digest, stderr nothing at all
	fetch pull "$REGISTRY/busybox" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "$(busybox_digest)"
	[ ! -s "$BATS_TEST_TMPDIR/err" ] || { cat "$BATS_TEST_TMPDIR/err" >&2; false; }
	# on a terminal (script gives it one): a line per blob, each complete
	rm -rf "$(store)"
	local layer=$(busybox_layer)
	script -qec "fetch pull '$REGISTRY/busybox' >'$BATS_TEST_TMPDIR/out2'" "$BATS_TEST_TMPDIR/tty" >/dev/null
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out2")" "$(busybox_digest)"
	grep -q "${layer:7:12}: Pull complete" "$BATS_TEST_TMPDIR/tty"
	# -q on a terminal: nothing
	rm -rf "$(store)"
	script -qec "fetch pull -q '$REGISTRY/busybox' >/dev/null" "$BATS_TEST_TMPDIR/tty2" >/dev/null
	run grep -c "Pull complete" "$BATS_TEST_TMPDIR/tty2"
	assert_equal "$output" 0
}

@test "fetch pull: blobs download concurrently, never more than --parallel at once" {
	start_registry
	local img
	img=$(fixture_layout five big 1 5)
	push_layout "$img" five:latest
	start_proxy slowall
	run fetch pull -q --parallel 2 "$PROXY/five"
	assert_success
	# six blobs (config and five layers), each held 0.4 s by the proxy
	run grep -c "^inflight=" "$PROXY_LOG"
	assert_equal "$output" 6
	run sh -c "sed -n 's/^inflight=//p' '$PROXY_LOG' | sort -n | tail -1"
	assert_equal "$output" 2
	: >"$PROXY_LOG"
	run fetch --root "$BATS_TEST_TMPDIR/r4" pull -q --parallel 4 "$PROXY/five"
	assert_success
	run sh -c "sed -n 's/^inflight=//p' '$PROXY_LOG' | sort -n | tail -1"
	assert_equal "$output" 4
}

@test "fetch pull: a second pull downloads no blob again" {
	start_registry
	skopeo_push_fixture busybox:latest
	start_proxy log
	fetch pull -q "$PROXY/busybox:latest"
	grep -q "GET /v2/busybox/blobs/$(busybox_layer)" "$PROXY_LOG"
	: >"$PROXY_LOG"
	run fetch pull "$PROXY/busybox:latest"
	assert_success
	run grep -c "/blobs/" "$PROXY_LOG"
	assert_equal "$output" 0
}

@test "fetch pull: by digest pins exactly; unknown digest and tag are 404s" {
	start_registry
	skopeo_push_fixture busybox:latest
	local d
	d=$(busybox_digest)
	run fetch pull "$REGISTRY/busybox@$d"
	assert_success
	assert_equal "$output" "$d"
	assert_equal "$(store_tags)" "$REGISTRY/busybox@$d"
	run fetch pull "$REGISTRY/busybox@sha256:$(printf x | sha256sum | cut -d' ' -f1)"
	assert_failure 1
	assert_output_contains "manifest unknown"
	run fetch pull "$REGISTRY/busybox:nope"
	assert_failure 1
	assert_output_contains "manifest unknown: busybox:nope not found in $REGISTRY"
	run fetch pull "$REGISTRY/nothere"
	assert_failure 1
	assert_output_contains "nothere:latest not found"
	assert_equal "$(store_tags)" "$REGISTRY/busybox@$d"
}

@test "fetch pull: image index picks the platform; lists what exists" {
	start_registry
	local ma idx amd arm
	ma=$(fixture_layout multiarch multiarch)
	push_layout "$ma" multi:latest --all
	idx=$(layout_manifest_digest "$ma")
	amd=$(jq -r '.manifests[0].digest' "$ma/blobs/sha256/${idx#sha256:}")
	arm=$(jq -r '.manifests[1].digest' "$ma/blobs/sha256/${idx#sha256:}")

	run fetch pull --platform linux/amd64 "$REGISTRY/multi"
	assert_success
	assert_equal "$output" "$idx"
	has_blob "$idx"
	has_blob "$amd"
	! has_blob "$arm" || false
	run fetch pull --platform linux/arm64/v8 "$REGISTRY/multi"
	assert_success
	has_blob "$arm"
	run fetch pull --platform linux/s390x "$REGISTRY/multi"
	assert_failure 1
	assert_output_contains "no manifest for platform linux/s390x"
	assert_output_contains "linux/amd64, linux/arm64/v8"
	store_verified
	assert_equal "$(store_tags)" "$REGISTRY/multi:latest"
}

@test "fetch pull --all-platforms, push back: skopeo sees the same index" {
	start_registry
	local ma idx
	ma=$(fixture_layout multiarch multiarch)
	push_layout "$ma" multi:latest --all
	idx=$(layout_manifest_digest "$ma")
	run fetch pull --all-platforms "$REGISTRY/multi"
	assert_success
	for d in $(jq -r '.manifests[].digest' "$ma/blobs/sha256/${idx#sha256:}"); do
		has_blob "$d"
	done
	run fetch push "$REGISTRY/multi" "$REGISTRY/copy/multi:v1"
	assert_success
	assert_equal "$output" "$idx"
	assert_equal "$(skopeo_digest "docker://$REGISTRY/copy/multi:v1")" "$idx"
	# and skopeo copies all of it out of our store
	run skopeo copy --all --quiet "oci:$(store):$REGISTRY/multi:latest" \
		"oci:$BATS_TEST_TMPDIR/out:x"
	assert_success
}

@test "fetch pull: a 50 MB layer streams into the store" {
	start_registry
	local big
	big=$(fixture_layout big-50 big 50 1)
	push_layout "$big" big:latest
	run /usr/bin/time -f "rss %M" fetch pull -q "$REGISTRY/big"
	assert_success
	assert_output_contains "$(layout_manifest_digest "$big")"
	store_verified
	# peak RSS well below the layer size: nothing holds the blob in memory
	local rss
	rss=$(printf '%s\n' "$output" | sed -n 's/^rss //p')
	# (under ASan the allocator's own overhead comes on top)
	local max=30000
	case "$DK_BIN" in *asan*) max=120000 ;; esac
	[ "$rss" -lt "$max" ] || { echo "peak RSS ${rss} kB" >&2; false; }
}

# The journal fetch pull leaves for blobs published before the disk has
# their data (lib/unsynced.h).
journal() {
	ls "$(store)/unsynced"
}

# pull_big3: a one-layer image of 3 MB pulled from the test registry;
# sets big (its layout) and layer (its layer's digest).
pull_big3() {
	start_registry
	big=$(fixture_layout big-3 big 3 1)
	push_layout "$big" big:latest
	fetch pull -q "$REGISTRY/big" >/dev/null
	layer=$(jq -r '.layers[0].digest' "$big/blobs/sha256/$(layout_manifest_digest "$big" | cut -d: -f2)")
}

@test "fetch pull: blobs are published under a journal of this boot, not after a wait for the disk" {
	local big boot j layer
	pull_big3
	boot=$(cat /proc/sys/kernel/random/boot_id)
	j=$(journal)
	[ "$(echo "$j" | wc -l)" -eq 1 ]
	case "$j" in "$boot"-*) ;; *) echo "journal $j is not of boot $boot" >&2; false ;; esac
	grep -qx "$layer" "$(store)/unsynced/$j"
	grep -qx "$(layout_manifest_digest "$big")" "$(store)/unsynced/$j"
	store_verified
}

@test "fetch pull: after a crash, blobs the disk did not get are found torn and removed" {
	local big j layer blob
	pull_big3
	j=$(journal)
	blob="$(store)/blobs/sha256/${layer#sha256:}"
	# what a power cut leaves of a file whose data was never written back:
	# its size, with zeros; the journal then belongs to an earlier boot
	truncate -s 0 "$blob"
	truncate -s "$(stat -c %s "$big/blobs/sha256/${layer#sha256:}")" "$blob"
	mv "$(store)/unsynced/$j" "$(store)/unsynced/00000000-0000-0000-0000-000000000000${j:36}"
	run command store check
	assert_failure
	[ ! -e "$blob" ]
	[ -z "$(journal)" ]
	assert_output_contains "${layer}"
	# the other blobs were sound and stay; a pull brings the torn one back
	has_blob "$(layout_manifest_digest "$big")"
	fetch pull -q "$REGISTRY/big" >/dev/null
	command store check
	store_verified
}

@test "fetch pull: a journal of this boot older than a minute is retired, its blobs kept" {
	local big j layer
	pull_big3
	j=$(journal)
	command store check >/dev/null
	assert_equal "$(journal)" "$j"
	touch -d '2 minutes ago' "$(store)/unsynced/$j"
	command store check >/dev/null
	[ -z "$(journal)" ]
	store_verified
	# a line cut by a crash while the journal was written is skipped
	printf 'sha256:abc\nnot a digest' >"$(store)/unsynced/00000000-0000-0000-0000-000000000000-1-x"
	command store check >/dev/null
	[ -z "$(journal)" ]
}

@test "fetch pull: two concurrent pulls leave one consistent store" {
	start_registry
	local big
	big=$(fixture_layout big-4x3 big 4 3)
	push_layout "$big" big:latest
	skopeo_push_fixture busybox:latest
	fetch pull -q "$REGISTRY/big" >"$BATS_TEST_TMPDIR/a" 2>&1 &
	local p1=$!
	fetch pull -q "$REGISTRY/big" >"$BATS_TEST_TMPDIR/b" 2>&1 &
	local p2=$!
	fetch pull -q "$REGISTRY/busybox" >"$BATS_TEST_TMPDIR/c" 2>&1 &
	local p3=$!
	wait $p1
	wait $p2
	wait $p3
	assert_equal "$(cat "$BATS_TEST_TMPDIR/a")" "$(layout_manifest_digest "$big")"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/b")" "$(layout_manifest_digest "$big")"
	assert_equal "$(store_tags | sort | tr '\n' ' ')" \
		"$REGISTRY/big:latest $REGISTRY/busybox:latest "
	store_verified
	no_temp_files
	run skopeo inspect "oci:$(store):$REGISTRY/big:latest"
	assert_success
}

# --- faults -----------------------------------------------------------------

@test "fetch pull: a corrupted blob is not stored; the error names it" {
	start_registry
	skopeo_push_fixture busybox:latest
	start_proxy corrupt
	run fetch pull "$PROXY/busybox"
	assert_failure 1
	assert_output_contains "digest mismatch"
	# every blob is corrupted: the error names the one whose transfer
	# ended first (config or layer, by timing); none is stored
	local named config
	named=$(printf '%s\n' "$output" | grep -o 'blob sha256:[0-9a-f]*' | head -1 | cut -d' ' -f2)
	config=$(jq -r '.config.digest' \
		"$(busybox_layout)/blobs/sha256/$(busybox_digest | cut -d: -f2)")
	[ "$named" = "$(busybox_layer)" ] || [ "$named" = "$config" ]
	! has_blob "$(busybox_layer)" || false
	! has_blob "$config" || false
	no_temp_files
	[ -z "$(store_tags)" ]
}

@test "fetch pull: a blob corrupted in the registry's storage is refused" {
	start_registry
	skopeo_push_fixture busybox:latest
	local l data
	l=$(busybox_layer)
	data="$REGISTRY_DIR/data/docker/registry/v2/blobs/sha256/${l:7:2}/${l#sha256:}/data"
	[ -f "$data" ]
	printf 'garbage' | dd of="$data" bs=1 seek=100 conv=notrunc 2>/dev/null
	run fetch pull "$REGISTRY/busybox"
	assert_failure 1
	assert_output_contains "blob $l"
	assert_output_contains "digest mismatch"
	! has_blob "$l" || false
}

@test "fetch pull: a connection cut mid-blob resumes with Range" {
	start_registry
	skopeo_push_fixture busybox:latest
	start_proxy cut
	run fetch pull "$PROXY/busybox"
	assert_success
	assert_equal "$output" "$(busybox_digest)"
	grep -q "GET /v2/busybox/blobs/$(busybox_layer) range=bytes=[1-9]" "$PROXY_LOG"
	store_verified
	no_temp_files
}

@test "fetch pull: a cut blob restarts when the server ignores Range" {
	start_registry
	skopeo_push_fixture busybox:latest
	start_proxy cut,norange
	run fetch pull "$PROXY/busybox"
	assert_success
	run grep -c "GET /v2/busybox/blobs/$(busybox_layer)" "$PROXY_LOG"
	assert_equal "$output" 2
	store_verified
}

@test "fetch pull: 503 and 429 (Retry-After) are retried" {
	start_registry
	skopeo_push_fixture busybox:latest
	start_proxy busy
	run fetch pull "$PROXY/busybox"
	assert_success
	assert_equal "$output" "$(busybox_digest)"
	run grep -c "GET /v2/busybox/manifests/latest" "$PROXY_LOG"
	assert_equal "$output" 3
}

@test "fetch pull: schema 1 manifests are refused with a reason" {
	start_registry
	start_proxy schema1
	run fetch pull "$PROXY/old/img"
	assert_failure 1
	assert_output_contains "schema 1"
	assert_output_contains "not supported"
	[ ! -e "$(store)/index.json" ] || [ -z "$(store_tags)" ]
}

@test "fetch pull: redirected blobs do not carry the registry's credentials" {
	htpasswd -Bbn alice s3cret >"$BATS_TEST_TMPDIR/htpasswd"
	start_registry "$BATS_TEST_TMPDIR/htpasswd"
	skopeo_push_fixture busybox:latest alice:s3cret
	UPSTREAM_AUTH="Basic $(printf alice:s3cret | base64)" start_proxy redirect
	login_alice "$PROXY"
	run fetch pull "$PROXY/busybox"
	assert_success
	grep -q "GET /v2/busybox/blobs/$(busybox_layer) range=- auth=yes" "$PROXY_LOG"
	grep -q "GET /_blob/v2/busybox/blobs/$(busybox_layer) range=- auth=no" "$PROXY_LOG"
	store_verified
}

@test "fetch: a loopback registry speaking TLS is used over HTTPS" {
	start_tls_registry
	skopeo copy --quiet --dest-tls-verify=false --preserve-digests \
		"oci:$(busybox_layout):latest" "docker://$REGISTRY/busybox:latest"
	run fetch pull "$REGISTRY/busybox"
	assert_success
	assert_equal "$output" "$(busybox_digest)"
	run fetch push "$REGISTRY/busybox" "$REGISTRY/copy:v1"
	assert_success
	assert_equal "$(skopeo_digest "docker://$REGISTRY/copy:v1")" "$(busybox_digest)"
	# --insecure means plain HTTP, which this server does not speak
	run fetch --insecure pull "$REGISTRY/busybox"
	assert_failure 1
	assert_output_contains "$REGISTRY"
}

@test "fetch: a loopback registry speaking plain HTTP is found without a TLS handshake" {
	start_registry
	skopeo_push_fixture busybox:latest
	run fetch --verbose pull -q "$REGISTRY/busybox"
	assert_success
	assert_output_contains "$(busybox_digest)"
	# libcurl's trace names ALPN, TLS or SSL for any handshake it tries
	if grep -Ei 'alpn|tls|ssl' <<<"$output"; then
		false
	fi
}

@test "fetch: Docker Hub names go to registry-1.docker.io, search to index.docker.io" {
	# an HTTPS proxy from the environment that logs and refuses CONNECT:
	# shows where requests would go, and nothing leaves this machine
	start_registry
	start_proxy log
	https_proxy="http://$PROXY" HTTPS_PROXY="http://$PROXY" no_proxy= NO_PROXY= \
		run fetch pull busybox
	assert_failure 1
	assert_output_contains "docker.io/library/busybox:latest"
	grep -q "^CONNECT registry-1.docker.io:443 " "$PROXY_LOG"
	https_proxy="http://$PROXY" HTTPS_PROXY="http://$PROXY" no_proxy= NO_PROXY= \
		run fetch search busybox
	assert_failure 1
	grep -q "^CONNECT index.docker.io:443 " "$PROXY_LOG"
	[ "$(grep -vc '^CONNECT' "$PROXY_LOG")" -eq 0 ]
}

@test "fetch: dk pull, push, login, search and logout run it" {
	htpasswd -Bbn alice s3cret >"$BATS_TEST_TMPDIR/htpasswd"
	start_registry "$BATS_TEST_TMPDIR/htpasswd"
	skopeo_push_fixture busybox:latest alice:s3cret
	run dk login -u alice --password-stdin "$REGISTRY" <<<"s3cret"
	assert_success
	run dk pull "$REGISTRY/busybox"
	assert_success
	assert_output_contains "$(busybox_digest)"
	run dk push "$REGISTRY/busybox" "$REGISTRY/via/dk:1"
	assert_success
	run dk search "$REGISTRY/via"
	assert_success
	assert_output_contains "$REGISTRY/via/dk"
	run dk logout "$REGISTRY"
	assert_success
	run dk --root "$BATS_TEST_TMPDIR/other" pull "$REGISTRY/busybox"
	assert_failure 1
	[ ! -e "$DK_ROOT/../other/images/blobs/sha256/$(busybox_layer | cut -d: -f2)" ]
}

@test "fetch: client certificates from certs.d (DK_CERTS_D)" {
	start_tls_registry clientcas
	export DK_CERTS_D="$BATS_TEST_TMPDIR/certs.d"
	mkdir -p "$DK_CERTS_D/$REGISTRY"
	skopeo copy --quiet --dest-tls-verify=false --preserve-digests \
		--dest-cert-dir "$TLS_DIR/client" "oci:$(busybox_layout):latest" \
		"docker://$REGISTRY/busybox:latest"
	run fetch pull "$REGISTRY/busybox"
	assert_failure 1
	cp "$TLS_DIR/client/client.cert" "$TLS_DIR/client/client.key" "$DK_CERTS_D/$REGISTRY/"
	run fetch pull "$REGISTRY/busybox"
	assert_success
	assert_equal "$output" "$(busybox_digest)"
}

# --- push -------------------------------------------------------------------

@test "fetch push: skopeo pulls what we pushed with identical digests" {
	start_registry
	skopeo_push_fixture busybox:latest
	fetch pull -q "$REGISTRY/busybox"
	run fetch push "$REGISTRY/busybox" "$REGISTRY/mine/bb:v1"
	assert_success
	assert_equal "$output" "$(busybox_digest)"
	assert_equal "$(skopeo_digest "docker://$REGISTRY/mine/bb:v1")" "$(busybox_digest)"
	run skopeo copy --quiet --src-tls-verify=false \
		"docker://$REGISTRY/mine/bb:v1" "oci:$BATS_TEST_TMPDIR/back:v1"
	assert_success
	assert_equal "$(layout_manifest_digest "$BATS_TEST_TMPDIR/back" v1)" "$(busybox_digest)"
	# the layer came by cross-repository mount from busybox
	grep -q 'mount=sha256' "$REGISTRY_LOG"
}

@test "fetch push: existing blobs are skipped, uploads are chunked on request" {
	start_registry
	skopeo_push_fixture busybox:latest
	fetch pull -q "$REGISTRY/busybox"
	# localhost:PORT is another registry name for the store, so no mounts
	local other=localhost:${REGISTRY#*:}
	run fetch push --chunk-size 300000 "$REGISTRY/busybox" "$other/chunked:v1"
	assert_success
	run grep -c 'http.request.method=PATCH.*chunked' "$REGISTRY_LOG"
	[ "$output" -ge 4 ]
	assert_equal "$(skopeo_digest "docker://$REGISTRY/chunked:v1")" "$(busybox_digest)"
	start_proxy log
	run fetch push "$REGISTRY/busybox" "$PROXY/chunked:v2"
	assert_success
	run grep -c "^POST\|^PATCH" "$PROXY_LOG"
	assert_equal "$output" 0
	grep -q "^HEAD /v2/chunked/blobs/$(busybox_layer)" "$PROXY_LOG"
}

@test "fetch push: relative upload locations, chunked, through a proxy" {
	start_registry
	skopeo_push_fixture busybox:latest
	fetch pull -q "$REGISTRY/busybox"
	start_proxy relative
	run fetch push --chunk-size 400000 "$REGISTRY/busybox" "$PROXY/rel:v1"
	assert_success
	grep -q "^PATCH /v2/rel/blobs/uploads/" "$PROXY_LOG"
	grep -q "^PUT /v2/rel/blobs/uploads/.*digest=sha256" "$PROXY_LOG"
	grep -q "^PUT /v2/rel/manifests/v1" "$PROXY_LOG"
	assert_equal "$(skopeo_digest "docker://$REGISTRY/rel:v1")" "$(busybox_digest)"
}

@test "fetch push: a 50 MB layer round trip" {
	start_registry
	local big d
	big=$(fixture_layout big-50 big 50 1)
	d=$(layout_manifest_digest "$big")
	push_layout "$big" big:latest
	fetch pull -q "$REGISTRY/big"
	local other=localhost:${REGISTRY#*:}
	run fetch push "$REGISTRY/big" "$other/big2:latest"
	assert_success
	assert_equal "$output" "$d"
	assert_equal "$(skopeo_digest "docker://$REGISTRY/big2:latest")" "$d"
}

@test "fetch push: missing local image and bad remote references fail" {
	start_registry
	run fetch push "$REGISTRY/nothere:v1"
	assert_failure 1
	assert_output_contains "nothere:v1: not in the store"
	run fetch push "$REGISTRY/nothere:v1" 'Bad Ref'
	assert_failure 1
	assert_output_contains "invalid reference"
}

# --- credentials ------------------------------------------------------------

@test "fetch login: checks, saves docker's format (0600); skopeo reads it" {
	htpasswd -Bbn alice s3cret >"$BATS_TEST_TMPDIR/htpasswd"
	start_registry "$BATS_TEST_TMPDIR/htpasswd"
	skopeo_push_fixture busybox:latest alice:s3cret
	local cfg="$HOME/.docker/config.json"

	run fetch pull "$REGISTRY/busybox"
	assert_failure 1
	assert_output_contains "authentication required"
	run fetch login -u alice --password-stdin "$REGISTRY" <<<"wrong"
	assert_failure 1
	assert_output_contains "invalid username or password"
	[ ! -e "$cfg" ]
	run fetch login -u alice --password-stdin "$REGISTRY" <<<"s3cret"
	assert_success
	assert_output_contains "Login Succeeded"
	assert_equal "$(stat -c %a "$cfg")" 600
	assert_equal "$(jq -r --arg r "$REGISTRY" '.auths[$r].auth' "$cfg" | base64 -d)" \
		"alice:s3cret"
	run skopeo login --get-login --authfile "$cfg" "$REGISTRY"
	assert_success
	assert_equal "$output" alice
	run fetch pull "$REGISTRY/busybox"
	assert_success
	run fetch push "$REGISTRY/busybox" "$REGISTRY/alice/bb:v1"
	assert_success
	run skopeo inspect --tls-verify=false --authfile "$cfg" "docker://$REGISTRY/alice/bb:v1"
	assert_success
	run fetch logout "$REGISTRY"
	assert_success
	assert_equal "$(jq -r '.auths | length' "$cfg")" 0
	run fetch logout "$REGISTRY"
	assert_success
	assert_output_contains "not logged in"
	run fetch pull "$REGISTRY/busybox"
	assert_failure 1
}

@test "fetch login: keeps other entries; reads skopeo's logins and REGISTRY_AUTH_FILE" {
	htpasswd -Bbn alice s3cret >"$BATS_TEST_TMPDIR/htpasswd"
	start_registry "$BATS_TEST_TMPDIR/htpasswd"
	skopeo_push_fixture busybox:latest alice:s3cret
	local f="$BATS_TEST_TMPDIR/auth.json"
	skopeo login --authfile "$f" --tls-verify=false -u alice -p s3cret "$REGISTRY" >/dev/null
	REGISTRY_AUTH_FILE=$f run fetch pull "$REGISTRY/busybox"
	assert_success
	# a config with other keys and entries keeps them
	mkdir -p "$HOME/.docker"
	echo '{"auths":{"other.example:5000":{"auth":"eDp5"}},"psFormat":"table"}' \
		>"$HOME/.docker/config.json"
	login_alice "$REGISTRY"
	assert_equal "$(jq -r '.auths["other.example:5000"].auth' "$HOME/.docker/config.json")" eDp5
	assert_equal "$(jq -r .psFormat "$HOME/.docker/config.json")" table
	fetch logout "$REGISTRY" >/dev/null
	assert_equal "$(jq -r '.auths | keys | join(",")' "$HOME/.docker/config.json")" \
		"other.example:5000"
}

@test "fetch pull: credHelpers run docker-credential-NAME get" {
	htpasswd -Bbn alice s3cret >"$BATS_TEST_TMPDIR/htpasswd"
	start_registry "$BATS_TEST_TMPDIR/htpasswd"
	skopeo_push_fixture busybox:latest alice:s3cret
	mkdir -p "$BATS_TEST_TMPDIR/helpers" "$HOME/.docker"
	cat >"$BATS_TEST_TMPDIR/helpers/docker-credential-dktest" <<-EOF
		#!/bin/sh
		read server
		echo "\$1 \$server" >>"$BATS_TEST_TMPDIR/helper.log"
		echo '{"ServerURL":"'\$server'","Username":"alice","Secret":"s3cret"}'
	EOF
	chmod +x "$BATS_TEST_TMPDIR/helpers/docker-credential-dktest"
	echo "{\"credHelpers\":{\"$REGISTRY\":\"dktest\"}}" >"$HOME/.docker/config.json"
	PATH="$BATS_TEST_TMPDIR/helpers:$PATH" run fetch pull "$REGISTRY/busybox"
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/helper.log")" "get $REGISTRY"
	# a helper that is not installed is an error that names it
	echo "{\"credHelpers\":{\"$REGISTRY\":\"absent\"}}" >"$HOME/.docker/config.json"
	run fetch pull "$REGISTRY/busybox:latest"
	assert_failure 1
	assert_output_contains "docker-credential-absent"
}

@test "fetch login/logout: a credsStore helper stores and erases" {
	htpasswd -Bbn alice s3cret >"$BATS_TEST_TMPDIR/htpasswd"
	start_registry "$BATS_TEST_TMPDIR/htpasswd"
	skopeo_push_fixture busybox:latest alice:s3cret
	local kept="$BATS_TEST_TMPDIR/kept"
	mkdir -p "$BATS_TEST_TMPDIR/helpers" "$HOME/.docker"
	cat >"$BATS_TEST_TMPDIR/helpers/docker-credential-dkstore" <<-EOF
		#!/bin/sh
		in=\$(cat)
		echo "\$1" >>"$BATS_TEST_TMPDIR/helper.log"
		case "\$1" in
		store) printf '%s' "\$in" >"$kept" ;;
		get) [ -s "$kept" ] && cat "$kept" || { echo "credentials not found in native keychain"; exit 1; } ;;
		erase) rm -f "$kept" ;;
		esac
	EOF
	chmod +x "$BATS_TEST_TMPDIR/helpers/docker-credential-dkstore"
	echo '{"credsStore":"dkstore"}' >"$HOME/.docker/config.json"
	export PATH="$BATS_TEST_TMPDIR/helpers:$PATH"
	run fetch pull "$REGISTRY/busybox"
	assert_failure 1
	assert_output_contains "authentication required"
	login_alice "$REGISTRY"
	assert_equal "$(jq -r .Username "$kept")" alice
	assert_equal "$(jq -r .ServerURL "$kept")" "$REGISTRY"
	[ "$(jq -r '.auths // {} | length' "$HOME/.docker/config.json")" = 0 ]
	run fetch pull "$REGISTRY/busybox"
	assert_success
	run fetch logout "$REGISTRY"
	assert_success
	[ ! -e "$kept" ]
	assert_equal "$(tr '\n' ' ' <"$BATS_TEST_TMPDIR/helper.log")" "get store get erase "
}

@test "fetch: bearer token auth, anonymous and credentialed scopes" {
	start_token_registry
	skopeo copy --quiet --dest-tls-verify=false --preserve-digests \
		--dest-creds alice:s3cret "oci:$(busybox_layout):latest" \
		"docker://$REGISTRY/public/bb:latest"
	skopeo copy --quiet --dest-tls-verify=false --preserve-digests \
		--dest-creds alice:s3cret "oci:$(busybox_layout):latest" \
		"docker://$REGISTRY/private/bb:latest"
	: >"$TOKEN_LOG"
	run fetch pull "$REGISTRY/public/bb"
	assert_success
	grep -q "^account=- scope=repository:public/bb:pull$" "$TOKEN_LOG"
	run fetch pull "$REGISTRY/private/bb"
	assert_failure 1
	assert_output_contains "401"
	run fetch login -u alice --password-stdin "$REGISTRY" <<<"bad"
	assert_failure 1
	assert_output_contains "invalid username or password"
	login_alice "$REGISTRY"
	: >"$TOKEN_LOG"
	run fetch pull "$REGISTRY/private/bb"
	assert_success
	grep -q "^account=alice scope=repository:private/bb:pull$" "$TOKEN_LOG"
	run fetch push "$REGISTRY/private/bb" "$REGISTRY/private/copy:v1"
	assert_success
	grep -q "^account=alice scope=repository:private/copy:pull,push" "$TOKEN_LOG"
	assert_equal "$(skopeo_digest --creds alice:s3cret "docker://$REGISTRY/private/copy:v1")" \
		"$(busybox_digest)"
	# one token per scope for the run: not one per request
	run grep -c "scope=repository:private/bb:pull$" "$TOKEN_LOG"
	assert_equal "$output" 1
	run fetch tags "$REGISTRY/private/bb"
	assert_success
	assert_equal "$output" latest
}

@test "fetch: an HTTPS registry cannot send credentials to a plain-HTTP token realm" {
	# 0.0.0.0 reaches this machine but is not a loopback address: a realm
	# on a host we would speak verified TLS to
	TLS_DIR="$BATS_TEST_TMPDIR/tls"
	mkdir -p "$TLS_DIR"
	_cert "$TLS_DIR" 127.0.0.1
	port=$(_free_port)
	_serve_registry "$TLS_DIR" "$(printf '%s\n' "  tls:" \
		"    certificate: \"$TLS_DIR/cert.pem\"" "    key: \"$TLS_DIR/key.pem\"" \
		"auth:" "  token:" "    realm: \"http://0.0.0.0:$port/token\"" \
		"    service: dk-test" "    issuer: dk-test" "    rootcertbundle: \"$TLS_DIR/cert.pem\"")"
	login_alice "$REGISTRY" || true
	run fetch pull "$REGISTRY/busybox"
	assert_failure 1
	assert_output_contains "token server http://0.0.0.0:$port/token: a plain-HTTP realm for the HTTPS registry $REGISTRY"
	# a loopback realm stays allowed (the token tests above use one)
}

@test "fetch pull: a token that expires during the download is renewed" {
	start_token_registry
	skopeo copy --quiet --dest-tls-verify=false --preserve-digests \
		--dest-creds alice:s3cret "oci:$(busybox_layout):latest" \
		"docker://$REGISTRY/public/bb:latest"
	# the next token lives 2 s; the proxy holds the first blob request 3.5 s
	echo -58 >"$TOKEN_LOG.ttl"
	start_proxy slowblob
	: >"$TOKEN_LOG"
	run fetch pull "$PROXY/public/bb"
	assert_success
	assert_equal "$output" "$(busybox_digest)"
	run grep -c "scope=repository:public/bb:pull$" "$TOKEN_LOG"
	assert_equal "$output" 2
	store_verified
}

@test "fetch: token servers answering access_token work too" {
	start_token_registry access_token
	skopeo copy --quiet --dest-tls-verify=false --preserve-digests \
		--dest-creds alice:s3cret "oci:$(busybox_layout):latest" \
		"docker://$REGISTRY/public/bb:latest"
	run fetch pull "$REGISTRY/public/bb"
	assert_success
	assert_equal "$output" "$(busybox_digest)"
}

# --- tags, inspect, search --------------------------------------------------

@test "fetch tags: lists tags; unknown repository fails" {
	start_registry
	skopeo_push_fixture busybox:latest
	skopeo_push_fixture busybox:v2
	run fetch tags "$REGISTRY/busybox"
	assert_success
	assert_equal "$(echo "$output" | sort | tr '\n' ' ')" "latest v2 "
	run fetch tags "$REGISTRY/nothere"
	assert_failure 1
	assert_output_contains "not found"
	run fetch tags "$REGISTRY/busybox:latest"
	assert_failure 1
}

@test "fetch inspect: summary, --raw and --config of a remote image" {
	start_registry
	skopeo_push_fixture busybox:latest
	run fetch inspect "$REGISTRY/busybox"
	assert_success
	assert_equal "$(echo "$output" | jq -r .Digest)" "$(busybox_digest)"
	assert_equal "$(echo "$output" | jq -r '.Layers[0]')" "$(busybox_layer)"
	assert_equal "$(echo "$output" | jq -r .Os)" linux
	fetch inspect --raw "$REGISTRY/busybox" >"$BATS_TEST_TMPDIR/raw"
	assert_equal "sha256:$(sha256sum <"$BATS_TEST_TMPDIR/raw" | cut -d' ' -f1)" \
		"$(busybox_digest)"
	run fetch inspect --config "$REGISTRY/busybox"
	assert_success
	assert_equal "$(echo "$output" | jq -r '.config.Cmd[0]')" sh
	run fetch inspect "$REGISTRY/busybox:nope"
	assert_failure 1
	assert_output_contains "not found"
	# nothing lands in the store
	[ ! -e "$(store)/index.json" ]
}

@test "fetch search: a registry's catalog, filtered, as a table or JSON" {
	start_registry
	skopeo_push_fixture busybox:latest
	skopeo_push_fixture tools/busybox-extra:1
	skopeo_push_fixture other:1
	run fetch search "$REGISTRY/busy"
	assert_success
	assert_output_contains "NAME"
	assert_output_contains "$REGISTRY/busybox"
	assert_output_contains "$REGISTRY/tools/busybox-extra"
	[[ "$output" != *"$REGISTRY/other"* ]]
	run fetch search --format json --limit 1 "$REGISTRY/busy"
	assert_success
	assert_equal "$(echo "$output" | jq -r 'length')" 1
	assert_equal "$(echo "$output" | jq -r '.[0].name')" "$REGISTRY/busybox"
}

@test "fetch search: Docker Hub's v1 search format (served locally)" {
	start_registry
	start_proxy hubsearch
	run fetch search --limit 5 "$PROXY/busybox"
	assert_success
	grep -q "^GET /v1/search?q=busybox&n=5 " "$PROXY_LOG"
	assert_output_contains "STARS"
	assert_output_contains "OFFICIAL"
	assert_output_contains "[OK]"
	assert_output_contains "3300"
	assert_output_contains "xxx..."
	run fetch search --format json "$PROXY/busybox"
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].is_official')" true
	assert_equal "$(echo "$output" | jq -r '.[1].star_count')" 7
}
