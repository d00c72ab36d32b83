#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# dk: the POSIX sh front end, run by dash, over the tools.

load helpers

setup() {
	dk_busybox_setup
}

teardown() {
	dk_remove_containers
	stop_registry
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
	id=$(dk inspect me/box:1 | jq -r '.[0].Id')
	assert_equal "$(dk history -q me/box:1 | tr '\n' ' ')" "${id:7:12} <missing> "
	assert_equal "$(dk history -q --no-trunc me/box:1 | head -1)" "$id"
	assert_equal "$(dk history --format json me/box:1 | jq -r '.CreatedBy' | tail -1)" \
		"dk tests: busybox-static rootfs"
	assert_equal "$(dk history -H=false me/box:1 | awk 'NR == 3 {print $(NF)}')" \
		"$(dk history --format json me/box:1 | jq -r '.Size' | tail -1)"
	run dk inspect me/box:1
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].Config.Cmd[0]')" "sh"
	run dk rmi me/box:1
	assert_success
	run dk images --format json
	assert_equal "$(echo "$output" | wc -l)" "1"
	assert_equal "$(echo "$output" | jq -r .Repository)" "busybox"
	assert_equal "$(dk images --format '{{.Repository}}:{{.Tag}}')" "busybox:latest"
}

@test "dk images REPO[:TAG], --filter reference|label|before|since|dangling, --digests, -a" {
	dk tag busybox example.com/team/app:1.0
	dk tag busybox app:2
	dk run --name "$N" busybox true
	dk commit -c 'LABEL team=dk' "$N" labeled:1 >/dev/null
	names() { dk images "$@" --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' '; }
	assert_equal "$(names app)" "app:2 "
	assert_equal "$(names app:2)" "app:2 "
	assert_equal "$(names --filter 'reference=*/*/app')" "example.com/team/app:1.0 "
	assert_equal "$(names --filter 'reference=app*' --filter reference=busybox)" "app:2 busybox:latest "
	assert_equal "$(names -f label=team)" "labeled:1 "
	assert_equal "$(names --filter label=team=dk)" "labeled:1 "
	assert_equal "$(names --filter label=team=other)" ""
	assert_equal "$(names --filter since=busybox)" "labeled:1 "
	assert_equal "$(names --filter before=labeled:1)" "app:2 busybox:latest example.com/team/app:1.0 "
	assert_equal "$(names --filter dangling=true)" ""
	assert_equal "$(names --filter dangling=false -a)" "app:2 busybox:latest example.com/team/app:1.0 labeled:1 "
	run dk images --digests busybox
	assert_success
	assert_output_contains "DIGEST"
	assert_equal "$(echo "$output" | sed -n 2p | awk '{print $3}')" "$(dk images --format '{{.Digest}}' busybox)"
	run dk images --filter nope=1
	assert_failure 1
	assert_output_contains "invalid filter 'nope'"
	run dk images --filter dangling
	assert_failure 1
	assert_output_contains "bad format of filter"
	run dk images --filter "since=$N-missing"
	assert_failure 1
	assert_output_contains "No such image: $N-missing"
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
	assert_output_contains "unknown flag: --bogus"
	run dk images --filter
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
	assert_success
	assert_equal "$output" "2"
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

@test "dk system df: images, containers, volumes and build cache as docker's table" {
	run dk system df
	assert_success
	assert_equal "$(echo "$output" | head -1 | tr -s ' ')" "TYPE TOTAL ACTIVE SIZE RECLAIMABLE"
	assert_equal "$(echo "$output" | awk 'NR > 1 {print $1}' | tr '\n' ' ')" \
		"Images Containers Local Build "
	# one image, unused: all of it reclaimable
	[[ "$(echo "$output" | sed -n 2p)" =~ ^Images\ +1\ +0\ +([0-9.]+[kMG]?B)\ +([0-9.]+[kMG]?B)\ \(100%\)$ ]]
	assert_equal "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
	dk run -d --name "$N" -v "$N-vol:/v" busybox sh -c 'head -c 300000 /dev/zero >/v/f; head -c 200000 /dev/zero >/w; sleep 1000'
	dk run --name "$N-x" busybox sh -c 'head -c 100000 /dev/zero >/w'
	dk volume create "$N-free" >/dev/null
	for _ in $(seq 50); do
		[ "$(dk exec "$N" stat -c %s /w 2>/dev/null)" = 200000 ] && break
		sleep 0.1
	done
	run dk system df
	assert_success
	# the image is in use now: nothing of it reclaimable
	[[ "$(echo "$output" | sed -n 2p)" =~ ^Images\ +1\ +1\ +[0-9.]+[kMG]?B\ +0B\ \(0%\)$ ]]
	# two containers, one running; the stopped one's 100kB reclaimable
	[[ "$(echo "$output" | sed -n 3p)" =~ ^Containers\ +2\ +1\ +300(\.[0-9]+)?kB\ +100kB\ \(33%\)$ ]]
	# two volumes, one in use (300kB); the free one is empty
	[[ "$(echo "$output" | sed -n 4p)" =~ ^Local\ Volumes\ +2\ +1\ +300kB\ +0B\ \(0%\)$ ]]
	[[ "$(echo "$output" | sed -n 5p)" =~ ^Build\ Cache\ +0\ +0\ +0B\ +0B\ \(0%\)$ ]]
	# a build with a cache mount: its 50kB are build cache
	mkdir "$BATS_TEST_TMPDIR/ctx"
	printf 'FROM busybox\nRUN --mount=type=cache,target=/c head -c 50000 /dev/zero >/c/f\n' \
		>"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	dk build -q -t "$N-built" "$BATS_TEST_TMPDIR/ctx" >/dev/null
	run dk system df
	[[ "$(echo "$output" | sed -n 5p)" =~ ^Build\ Cache\ +[1-9][0-9]*\ +0\ +5[0-9.]*kB\ +5[0-9.]*kB\ \(100%\)$ ]]
	run dk system df -v
	assert_failure 125
	assert_output_contains "not supported"
}

@test "dk image prune -f: the blobs no tag reaches, docker's Total reclaimed space" {
	# a blob nothing references (as a pull cut short or a gone build step leaves)
	head -c 100000 /dev/urandom >"$BATS_TEST_TMPDIR/orphan"
	sum=$(sha256sum "$BATS_TEST_TMPDIR/orphan" | cut -d' ' -f1)
	cp "$BATS_TEST_TMPDIR/orphan" "$DK_ROOT/images/blobs/sha256/$sum"
	run dk image prune
	assert_failure 125
	assert_output_contains "confirm with -f"
	[ -e "$DK_ROOT/images/blobs/sha256/$sum" ]
	run dk image prune -f
	assert_success
	[[ "$output" =~ ^Total\ reclaimed\ space:\ 10[0-9.]*kB$ ]]
	[ ! -e "$DK_ROOT/images/blobs/sha256/$sum" ]
	run dk image prune --force
	assert_equal "$output" "Total reclaimed space: 0B"
	# what tags reach stays
	run dk run --rm busybox echo still-here
	assert_equal "$output" "still-here"
}

@test "dk build pulls a missing FROM image; --pull, --push, --metadata-file; buildx's other flags" {
	start_registry
	dk tag busybox "$REGISTRY/base:1"
	dk push "$REGISTRY/base:1" >/dev/null
	dk rmi "$REGISTRY/base:1" >/dev/null
	mkdir "$BATS_TEST_TMPDIR/ctx"
	printf 'FROM %s/base:1\nRUN echo built >/built\n' "$REGISTRY" >"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	run dk build -q -t "$REGISTRY/app:1" --push --metadata-file "$BATS_TEST_TMPDIR/meta.json" \
		"$BATS_TEST_TMPDIR/ctx"
	assert_success
	digest=$(echo "$output" | tail -1)
	[[ "$digest" == sha256:* ]]
	[ -n "$(dk images -q "$REGISTRY/base:1")" ]
	assert_equal "$(jq -r '."containerimage.digest"' "$BATS_TEST_TMPDIR/meta.json")" "$digest"
	assert_equal "$(jq -r '."image.name"' "$BATS_TEST_TMPDIR/meta.json")" "$REGISTRY/app:1"
	assert_equal "$(jq -r '."containerimage.config.digest"' "$BATS_TEST_TMPDIR/meta.json")" \
		"$(dk inspect "$REGISTRY/app:1" | jq -r '.[0].Id')"
	# pushed: another root pulls and runs it
	other="$BATS_TEST_TMPDIR/other"
	dk --root "$other" pull -q "$REGISTRY/app:1" >/dev/null
	run dk --root "$other" run --rm "$REGISTRY/app:1" cat /built
	assert_equal "$output" "built"
	# --pull asks the registry again though the base is here
	before=$(grep -c 'GET /v2/base/manifests/1' "$REGISTRY_LOG")
	dk build -q --pull "$BATS_TEST_TMPDIR/ctx" >/dev/null
	[ "$(grep -c 'GET /v2/base/manifests/1' "$REGISTRY_LOG")" -gt "$before" ]
	before=$(grep -c 'GET /v2/base/manifests/1' "$REGISTRY_LOG")
	dk build -q "$BATS_TEST_TMPDIR/ctx" >/dev/null
	assert_equal "$(grep -c 'GET /v2/base/manifests/1' "$REGISTRY_LOG")" "$before"
	# what they ask is what dk does anyway; buildx's spelling
	run dk buildx build -q --load --rm --force-rm --provenance=false --sbom=false \
		"$BATS_TEST_TMPDIR/ctx"
	assert_success
	[[ "$output" == sha256:* ]]
	run dk buildx du
	assert_output_contains "Build Cache"
	run dk buildx bake
	assert_failure 125
	assert_output_contains "not supported"
	for f in --rm=false --provenance=true "--cache-from type=local,src=/x" "--add-host a:10.0.0.1" "--shm-size 1g"; do
		run dk build $f "$BATS_TEST_TMPDIR/ctx"
		assert_failure
		assert_output_contains "not supported"
	done
	# a base no registry has: the pull's reason, and the build fails
	printf 'FROM %s/nosuch:1\n' "$REGISTRY" >"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	run dk build "$BATS_TEST_TMPDIR/ctx"
	assert_failure
	assert_output_contains "image $REGISTRY/nosuch:1: pulling it failed"
}

@test "dk events: containers, images, volumes, networks; --since/--until, filters, json" {
	start=$(date +%s)
	# following: new events appear as they happen
	# (dash execs the tool: $! is the follower itself, so kill ends it)
	dash "$DK_BIN/dk" events -f type=container -f "container=$N" --format json \
		>"$BATS_TEST_TMPDIR/live" 2>&1 3>&- &
	follower=$!
	# it follows once it holds the log open (at its end)
	for _ in $(seq 100); do
		ls -l "/proc/$follower/fd" 2>/dev/null | grep -q "events.log" && break
		sleep 0.05
	done
	ls -l "/proc/$follower/fd" | grep -q "events.log"
	dk run --name "$N" busybox sh -c 'exit 3' || true
	dk tag busybox "$N-img:1"
	dk rmi "$N-img:1" >/dev/null
	dk volume create "$N-vol" >/dev/null
	dk volume rm "$N-vol" >/dev/null
	dk network create "$N-net" >/dev/null
	dk network rm "$N-net" >/dev/null
	dk rename "$N" "$N-b"
	dk rm "$N-b" >/dev/null
	for _ in $(seq 100); do
		[ "$(grep -c . "$BATS_TEST_TMPDIR/live")" -ge 3 ] && break
		sleep 0.05
	done
	kill "$follower"
	wait "$follower" || true
	assert_equal "$(jq -r .Action "$BATS_TEST_TMPDIR/live" | tr '\n' ' ')" "create start die "
	# the past, with --since and --until: everything in order
	now=$(($(date +%s) + 1))
	run dk events --since "$start" --until "$now" --format json
	assert_success
	assert_equal "$(echo "$output" | jq -r '.Type + ":" + .Action' | tr '\n' ' ')" \
		"container:create container:start container:die image:tag image:untag volume:create volume:destroy network:create network:destroy container:rename container:destroy "
	assert_equal "$(echo "$output" | jq -r 'select(.Action == "die") | .Actor.Attributes.exitCode')" "3"
	assert_equal "$(echo "$output" | jq -r 'select(.Action == "rename") | .Actor.Attributes.oldName')" "$N"
	# docker's text line, filters
	run dk events --since "$start" --until "$now" -f event=die
	[[ "$output" =~ ^20[0-9-]+T[0-9:.]+[+-][0-9]{2}:[0-9]{2}\ container\ die\ [0-9a-f]{64}\ \(exitCode=3,\ image=busybox,\ name=$N\)$ ]]
	assert_equal "$(dk events --since "$start" --until "$now" -f type=volume -f type=network | wc -l)" "4"
	assert_equal "$(dk events --since "$start" --until "$now" -f "image=$N-img:1" --format json | jq -r .Action | tr '\n' ' ')" "tag untag "
	assert_equal "$(dk events --since "$start" --until "$now" -f "volume=$N-vol" | wc -l)" "2"
	run dk events --since "$start" --until "$now" -f colour=red
	assert_failure 1
	assert_output_contains "invalid filter 'colour'"
	run dk events --since yesterday
	assert_failure 125
}

@test "dk rmi frees the image's own blobs; the build cache and other stray blobs stay" {
	mkdir "$BATS_TEST_TMPDIR/ctx"
	printf 'FROM busybox\nRUN head -c 5000 /dev/urandom >/r\nRUN echo one >/s\n' \
		>"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	dk build -q -t "$N-a" "$BATS_TEST_TMPDIR/ctx" >/dev/null
	head -c 1000 /dev/urandom >"$BATS_TEST_TMPDIR/stray"
	sum=$(sha256sum "$BATS_TEST_TMPDIR/stray" | cut -d' ' -f1)
	cp "$BATS_TEST_TMPDIR/stray" "$DK_ROOT/images/blobs/sha256/$sum"
	# removing another image leaves the untagged middle step's image (the
	# build cache) and the stray blob in place
	dk tag busybox "$N-other"
	dk rmi "$N-other" >/dev/null
	[ -e "$DK_ROOT/images/blobs/sha256/$sum" ]
	printf 'FROM busybox\nRUN head -c 5000 /dev/urandom >/r\nRUN echo two >/s\n' \
		>"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	run dk build --progress=tty -t "$N-b" "$BATS_TEST_TMPDIR/ctx"
	assert_success
	assert_equal "$(echo "$output" | grep -c 'RUN head.*CACHED')" "1"
	assert_equal "$(echo "$output" | grep -c 'RUN echo two.*DONE')" "1"
	# removing the last name of an image frees what only it used
	mf=$(dk images --format json "$N-b" | jq -r .Digest)
	dk rmi "$N-a" "$N-b" >/dev/null
	[ ! -e "$DK_ROOT/images/blobs/sha256/${mf#sha256:}" ]
	[ -e "$DK_ROOT/images/blobs/sha256/$sum" ]
	run dk run --rm busybox echo base-intact
	assert_equal "$output" "base-intact"
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

@test "dk version and dk info --format: docker's fields through a Go template" {
	run dk version --format '{{.Client.Version}}/{{.Server.Version}}'
	assert_success
	v=$(dk --version | awk '{print $3}')
	assert_equal "$output" "$v/$v"
	assert_equal "$(dk version -f '{{json .Client}}' | jq -r .Os)" "linux"
	dk run --name "$N" busybox true
	dk run -d --name "$N-up" busybox sleep 100 >/dev/null
	run dk info --format '{{.Containers}} {{.ContainersRunning}} {{.ContainersStopped}} {{.Images}} {{.NCPU}}'
	assert_success
	assert_equal "$output" "2 1 1 1 $(nproc)"
	assert_equal "$(dk info --format json | jq -r .DockerRootDir)" "$DK_ROOT"
	run dk info --format '{{.Nope}}'
	assert_failure 1
	assert_output_contains 'executing "" at <.Nope>'
	run dk version --format '{{.Client'
	assert_failure 1
	assert_output_contains "template parsing error"
	run dk info --bogus
	assert_failure 125
}
