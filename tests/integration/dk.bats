#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# dk: the POSIX sh front end, run by dash, over the tools.

load helpers

setup() {
	dk_busybox_setup
}

teardown() {
	dk_remove_containers
}

@test "dk images / tag / history / inspect / rmi, under dash" {
	run dk images
	assert_success
	assert_output_contains "REPOSITORY"
	assert_output_contains "busybox"
	run dk tag busybox me/box:1
	assert_success
	run dk images -q
	assert_success
	assert_equal "$(echo "$output" | wc -l)" "2"
	run dk history me/box:1
	assert_success
	assert_output_contains "busybox-static rootfs"
	run dk inspect me/box:1
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].Config.Cmd[0]')" "sh"
	run dk rmi me/box:1
	assert_success
	run dk images --format json
	assert_equal "$(echo "$output" | jq length)" "1"
}

@test "dk --root is passed to the tools" {
	run dk --root "$BATS_TEST_TMPDIR/elsewhere" images -q
	assert_success
	assert_equal "$output" ""
	[ -f "$BATS_TEST_TMPDIR/elsewhere/images/index.json" ]
}

@test "dk usage errors exit 125 and an unknown command 1, as docker" {
	run dk frob
	assert_failure 1
	assert_output_contains "'frob' is not a dk command"
	run dk images --bogus
	assert_failure 125
	run dk --root
	assert_failure 125
	run dk inspect nothere
	assert_failure 1
	assert_output_contains "no such image: nothere"
	run dk --version
	assert_success
	assert_output_contains "dk version"
}

@test "dk finds prefixed tools after make install PROGRAM_PREFIX=dk-" {
	dest="$BATS_TEST_TMPDIR/inst"
	make -s -C "$DK_TOP" install DESTDIR="$dest" PREFIX=/usr PROGRAM_PREFIX=dk- >/dev/null
	[ -x "$dest/usr/bin/dk-store" ]
	[ ! -e "$dest/usr/bin/store" ]
	[ -f "$dest/usr/share/man/man1/store.1" ]
	[ -f "$dest/usr/share/man/man5/dk-store.5" ]
	run dash "$dest/usr/bin/dk" images -q
	assert_success
	assert_equal "$(echo "$output" | wc -l)" "1"
}

# --- containers (the suite runs inside tests/cgroupns-run) ---------------------

@test "dk run: output, the container's exit status, --rm" {
	run dk run --rm busybox sh -c 'echo hello from dk; hostname'
	assert_success
	assert_output_contains "hello from dk"
	run dk run --name three busybox sh -c 'exit 3'
	assert_failure 3
	run dk ps -a
	assert_output_contains "Exited (3)"
	assert_output_contains "three"
	# --rm left nothing of the first container behind
	assert_equal "$(dk ps -aq | wc -l)" "1"
	run dk rm three
	assert_success
	assert_equal "$(dk ps -aq | wc -l)" "0"
}

@test "dk run -d, ps, logs, exec, stop, rm" {
	run dk run -d --name box busybox sh -c 'echo started; trap "exit 0" TERM; while :; do sleep 0.1; done'
	assert_success
	id=$output
	[ "${#id}" -eq 64 ]
	sleep 0.3
	run dk ps
	assert_output_contains "box"
	assert_output_contains "Up"
	run dk logs box
	assert_equal "$output" "started"
	run dk ps
	assert_output_contains " ago "
	run dk inspect box
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].Name')" "/box"
	assert_equal "$(echo "$output" | jq -r '.[0].Id')" "$id"
	assert_equal "$(echo "$output" | jq -r '.[0].State.Running')" "true"
	[ "$(echo "$output" | jq -r '.[0].State.Pid')" -gt 0 ]
	assert_equal "$(echo "$output" | jq -r '.[0].Config.Cmd[0]')" "sh"
	# containers and images in one call, as docker inspect
	run dk inspect box busybox
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[1].RepoTags[0]')" "busybox:latest"
	run dk exec box sh -c 'echo in exec: $(hostname)'
	assert_success
	assert_equal "$output" "in exec: ${id:0:12}"
	run dk rm box
	assert_failure 1
	assert_output_contains "stop the container before removing or force remove"
	run dk stop box
	assert_success
	run dk ps -a
	assert_output_contains "Exited (0)"
	run dk inspect box
	assert_equal "$(echo "$output" | jq -r '.[0].State.Status')" "exited"
	assert_equal "$(echo "$output" | jq -r '.[0].State.ExitCode')" "0"
	run dk exec box true
	assert_failure 1
	run dk rm box
	assert_success
}

@test "dk run -p publishes a port on 127.0.0.1" {
	run dk run -d --name web -p 127.0.0.1:80/udp busybox true
	assert_failure 125
	assert_output_contains "invalid publish"
	port=$(( (RANDOM % 20000) + 30000 ))
	dk run -d --name web -p "127.0.0.1:$port:80" busybox \
		sh -c 'mkdir /www && echo served >/www/index.html && exec httpd -f -p 80 -h /www'
	run dk port web
	assert_equal "$output" "80/tcp -> 127.0.0.1:$port"
	run dk inspect web
	assert_equal "$(echo "$output" | jq -r '.[0].HostConfig.PortBindings["80/tcp"][0].HostPort')" "$port"
	for _ in $(seq 50); do
		out=$(curl -s --max-time 2 "http://127.0.0.1:$port/") && break
		sleep 0.1
	done
	assert_equal "$out" "served"
	dk rm -f web
	run curl -s --max-time 2 "http://127.0.0.1:$port/"
	assert_failure
}

@test "dk commit: a container's changes become an image that runs" {
	dk run --name maker busybox sh -c 'echo made >/made.txt; rm /bin/wc'
	run dk commit -m "add made.txt" -a "Tester <t@example.com>" -c 'CMD ["cat", "/made.txt"]' maker me/made:1
	assert_success
	[[ "$output" == sha256:* ]]
	run dk run --rm me/made:1
	assert_success
	assert_equal "$output" "made"
	run dk run --rm me/made:1 sh -c 'test -e /bin/wc && echo present || echo gone'
	assert_equal "$output" "gone"
	run dk history me/made:1
	assert_output_contains "add made.txt"
	assert_equal "$(dk inspect me/made:1 | jq -r '.[0].Author')" "Tester <t@example.com>"
	# readable by the peers
	skopeo inspect "oci:$DK_ROOT/images:docker.io/me/made:1" >/dev/null
	# the layer holds the changes only: not the empty hosts, hostname and
	# resolv.conf the runtime made to bind over (busybox has none of them)
	blob=$(jq -r '.layers[-1].digest' "$DK_ROOT/images/blobs/sha256/$(jq -r \
		'.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "docker.io/me/made:1") | .digest' \
		"$DK_ROOT/images/index.json" | cut -d: -f2)" | cut -d: -f2)
	run tar -tzf "$DK_ROOT/images/blobs/sha256/$blob"
	assert_success
	assert_output_contains "made.txt"
	assert_output_contains "bin/.wh.wc"
	for f in etc/hosts etc/hostname etc/resolv.conf; do
		! grep -qx "$f" <<<"$output" || false
	done
	# a container that wrote one of them through its bind mount changed
	# the engine's file, not the image: still not in the layer
	dk run --name maker2 busybox sh -c 'echo 10.9.9.9 extra >>/etc/hosts'
	run dk commit maker2 me/made:2
	assert_success
	run dk run --rm me/made:2 cat /etc/hosts
	assert_success
	! grep -q extra <<<"$output" || false
	# snapshot diff refuses a relative mount point
	run snapshot diff --mountpoint etc/hosts nosuch
	assert_failure 2
	assert_output_contains "want an absolute path"
}

@test "dk run bad input: unknown image, bad options, name in use: 125 as docker" {
	run dk run --pull never --rm nosuchimage true
	assert_failure 125
	assert_output_contains "No such image: nosuchimage"
	run dk run -p notaport busybox true
	assert_failure 125
	run dk run --bogus busybox true
	assert_failure 125
	assert_output_contains "unknown flag: --bogus"
	dk run --name taken busybox true
	run dk run --name taken busybox true
	assert_failure 125
	assert_output_contains 'The container name "/taken" is already in use'
	run dk logs nosuch
	assert_failure 1
	assert_output_contains "No such container: nosuch"
	rc=0
	dk run --rm busybox /no/such/binary 2>/dev/null || rc=$?
	assert_equal "$rc" 127
}

@test "dk version, dk info: counts of containers and images, the root" {
	run dk version
	assert_success
	assert_output_contains "Version:    0.1.0"
	assert_output_contains "runtime version"
	N="t$$-${BATS_TEST_NUMBER}"
	dk run -d --name "$N-up" busybox sleep 100 >/dev/null
	dk run --name "$N-done" busybox true
	dk tag busybox me/other:1
	run dk info
	assert_success
	assert_output_contains "Containers: 2"
	assert_output_contains " Running: 1"
	assert_output_contains " Stopped: 1"
	# two names, one image
	assert_output_contains "Images: 1"
	assert_output_contains "Docker Root Dir: $DK_ROOT"
	run dk info --format '{{.Containers}}'
	assert_failure 125
	assert_output_contains "not supported"
}

@test "dk builder prune, dk buildx prune, dk system prune: -f asked for; the build cache, stopped containers and blobs go" {
	N="t$$-${BATS_TEST_NUMBER}"
	ctx=$BATS_TEST_TMPDIR/ctx
	mkdir -p "$ctx"
	printf 'FROM busybox\nRUN --mount=type=cache,target=/c echo x >/c/x\n' >"$ctx/Dockerfile"
	dk build -q -t me/pr "$ctx" >/dev/null
	[ -n "$(ls -A "$DK_ROOT/buildcache-mounts")" ]
	# no -f: docker would prompt; dk asks for -f (125), nothing removed
	run dk builder prune
	assert_failure 125
	assert_output_contains "confirm with -f"
	[ -n "$(ls -A "$DK_ROOT/buildcache-mounts")" ]
	run dk builder inspect
	assert_failure 125
	assert_output_contains "not supported"
	run dk buildx prune -f
	assert_success
	assert_output_contains "Total reclaimed space:"
	[ -z "$(ls -A "$DK_ROOT/buildcache-mounts")" ]
	dk build -q -t me/pr "$ctx" >/dev/null
	run dk builder prune -af
	assert_success
	[ -z "$(ls -A "$DK_ROOT/buildcache")" ]
	# system prune: stopped containers, the build cache, unreferenced blobs
	dk build -q -t me/pr "$ctx" >/dev/null
	dk run -d --name "$N-up" busybox sleep 100 >/dev/null
	dk run --name "$N-done" busybox true
	dk rmi me/pr >/dev/null
	run dk system prune
	assert_failure 125
	run dk system prune -a -f
	assert_failure 125
	assert_output_contains "not supported"
	run dk system prune -f
	assert_success
	assert_output_contains "Deleted Containers:"
	assert_output_contains "Total reclaimed space:"
	run dk ps -a --format '{{.Names}}'
	assert_success
	assert_equal "$output" "$N-up"
	[ -z "$(ls -A "$DK_ROOT/buildcache-mounts")" ]
	run dk run --rm busybox echo still-runs
	assert_success
	assert_output_contains "still-runs"
}

@test "image inspect -f: Go templates on an image, --format json, bad templates" {
	json=$(dk image inspect busybox)
	run dk image inspect -f '{{.Os}}/{{.Architecture}} {{len .RootFS.Layers}} {{json .RepoTags}}' busybox
	assert_success
	assert_equal "$output" "$(echo "$json" | jq -r '.[0] | "\(.Os)/\(.Architecture) \(.RootFS.Layers | length) \(.RepoTags | tojson)"')"
	run dk inspect --format '{{.Id}}|{{join .Config.Cmd ","}}' busybox
	assert_success
	assert_equal "$output" "$(echo "$json" | jq -r '.[0] | "\(.Id)|\(.Config.Cmd | join(","))"')"
	run dk inspect --type image -f '{{range .RepoTags}}{{println .}}{{end}}' busybox
	assert_success
	assert_equal "$output" "$(echo "$json" | jq -r '.[0].RepoTags[]')"
	run dk image inspect --format json busybox
	assert_success
	assert_equal "$(echo "$output" | jq -r .Id)" "$(echo "$json" | jq -r '.[0].Id')"
	run dk image inspect -f '{{.Os' busybox
	assert_failure 1
	assert_output_contains "template parsing error: template: :1: unclosed action"
	run dk image inspect -f '{{.Os.Foo}}' busybox
	assert_failure 1
	assert_output_contains "can't evaluate field Foo in type string"
	run dk inspect -f '{{.Nope}}' busybox
	assert_failure 1
	assert_output_contains 'map has no entry for key "Nope"'
	run dk inspect -f '{{nope}}' busybox
	assert_failure 1
	assert_output_contains 'function "nope" not defined'
}
