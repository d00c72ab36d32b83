#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The commands of a docker tutorial, verbatim through dk (one test per
# line, in the tutorial's order, sharing one dk root), against a local
# registry instead of Docker Hub.

load helpers

setup_file() {
	export DK_ROOT="$BATS_FILE_TMPDIR/dk-root"
	mkdir -p "$DK_ROOT"
	start_registry
	skopeo_push_fixture centos:latest
	echo "$REGISTRY" >"$BATS_FILE_TMPDIR/registry-addr"
}

teardown_file() {
	for c in $(dk ps -aq 2>/dev/null); do
		dk rm -f "$c" >/dev/null 2>&1 || true
	done
	stop_registry
}

setup() {
	REGISTRY=$(cat "$BATS_FILE_TMPDIR/registry-addr")
	export DK_ROOT="$BATS_FILE_TMPDIR/dk-root"
}

@test "dk run -t -i --name test_centos IMAGE /bin/sh: pulls the missing image" {
	run dk images -q
	assert_equal "$output" ""
	run dk run -t -i --name test_centos "$REGISTRY/centos" /bin/sh <<<'echo in-$((6*7)); exit 3'
	assert_failure 3
	assert_output_contains "in-42"
	assert_output_contains "Unable to find image '$REGISTRY/centos' locally"
	run dk images
	assert_output_contains "$REGISTRY/centos"
}

@test "dk pull IMAGE" {
	run dk pull "$REGISTRY/centos"
	assert_success
}

@test "dk images" {
	run dk images
	assert_success
	assert_output_contains "REPOSITORY"
	assert_output_contains "$REGISTRY/centos"
}

@test "dk search IMAGE" {
	run dk search "$REGISTRY/centos"
	assert_success
	assert_output_contains "$REGISTRY/centos"
}

@test "dk login" {
	run dk login -u bigdata --password-stdin "$REGISTRY" <<<'s3cret'
	assert_success
	assert_output_contains "Login Succeeded"
}

@test "dk commit -m=\"a new image\" --author=\"bigdata\" ID repo/name:test" {
	id=$(dk ps -aq --filter name=test_centos)
	[ -n "$id" ]
	run dk commit -m="a new image" --author="bigdata" "$id" "$REGISTRY/repo/name:test"
	assert_success
	run dk inspect "$REGISTRY/repo/name:test"
	assert_equal "$(echo "$output" | jq -r '.[0].Author')" "bigdata"
	run dk history "$REGISTRY/repo/name:test"
	assert_output_contains "a new image"
}

@test "dk push repo/name" {
	run dk push "$REGISTRY/repo/name"
	assert_success
	run skopeo inspect --tls-verify=false "docker://$REGISTRY/repo/name:test"
	assert_success
}

@test "dk build -t=\"repo/name:tag\" ." {
	mkdir -p "$BATS_TEST_TMPDIR/ctx"
	cd "$BATS_TEST_TMPDIR/ctx"
	printf 'FROM %s/repo/name:test\nRUN echo built >/built\n' "$REGISTRY" >Dockerfile
	run dk build -t="repo/name:tag" .
	assert_success
	run dk run --rm repo/name:tag cat /built
	assert_equal "$output" "built"
}

@test "dk history ID" {
	id=$(dk images --format json |
		jq -r 'select(.Repository == "repo/name" and .Tag == "tag") | .ID')
	[ "${#id}" -eq 12 ]
	run dk history "$id"
	assert_success
	assert_output_contains "echo built"
}

@test "dk port ID 80" {
	port=$(( (RANDOM % 20000) + 30000 ))
	id=$(dk run -d -p "127.0.0.1:$port:80" "$REGISTRY/centos" sleep 100)
	run dk port "${id:0:12}" 80
	assert_success
	assert_equal "$output" "127.0.0.1:$port"
}

@test "dk run -d -p 80:8080 --name NAME IMAGE (in a private network namespace)" {
	unshare -n bash -c '
		set -e
		ip link set lo up
		dash "$DK_BIN/dk" run -d -p 80:8080 --name web "$0/centos" \
			sh -c "mkdir /www && echo served >/www/index.html && exec httpd -f -p 8080 -h /www" >/dev/null
		for _ in $(seq 50); do
			out=$(curl -s --max-time 2 http://127.0.0.1:80/) && break
			sleep 0.1
		done
		[ "$out" = served ]' "$REGISTRY"
	run dk port web 8080
	assert_equal "$output" "0.0.0.0:80"
	dk rm -f web
}
