#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# buildfile: Dockerfile builds on the busybox fixture, checked with umoci,
# skopeo and `dk run`. Run inside tests/cgroupns-run (containers start).

load helpers
load helpers-buildfile

setup() {
	dk_common_setup
	bf_import_busybox
	CTX=$BATS_TEST_TMPDIR/ctx
	mkdir -p "$CTX/app/sub"
	echo "hello file" >"$CTX/app/greeting.txt"
	echo "nested" >"$CTX/app/sub/nested.txt"
}

multi_step_dockerfile() {
	cat >"$CTX/Dockerfile" <<'DF'
# a comment
FROM busybox
ENV GREETING=hello \
    WHO=world
WORKDIR /srv/app
COPY app/ ./
RUN echo "$GREETING $WHO" >built.txt && \
    mkdir -p /data && echo ran >/data/run.txt
LABEL org.example.k=v
EXPOSE 8080
USER 1000:1000
CMD ["cat", "/srv/app/built.txt"]
DF
}

@test "multi-step build: files, config and history as umoci and skopeo see them" {
	multi_step_dockerfile
	run buildfile -t me/app:1 "$CTX"
	assert_success
	digest=$(echo "$output" | tail -n1)
	[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]
	assert_output_contains "Step 3/9 : WORKDIR /srv/app"
	bf_unpack docker.io/me/app:1 "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/srv/app/built.txt")" "hello world"
	assert_equal "$(cat "$r/srv/app/greeting.txt")" "hello file"
	assert_equal "$(cat "$r/srv/app/sub/nested.txt")" "nested"
	assert_equal "$(cat "$r/data/run.txt")" "ran"
	[ -x "$r/bin/busybox" ]
	cfg=$(bf_config docker.io/me/app:1)
	assert_equal "$(echo "$cfg" | jq -r .config.WorkingDir)" "/srv/app"
	assert_equal "$(echo "$cfg" | jq -r '.config.Env | index("GREETING=hello") != null')" "true"
	assert_equal "$(echo "$cfg" | jq -r '.config.Env | index("WHO=world") != null')" "true"
	assert_equal "$(echo "$cfg" | jq -c .config.Cmd)" '["cat","/srv/app/built.txt"]'
	assert_equal "$(echo "$cfg" | jq -r '.config.Labels["org.example.k"]')" "v"
	assert_equal "$(echo "$cfg" | jq -r '.config.ExposedPorts | keys[0]')" "8080/tcp"
	assert_equal "$(echo "$cfg" | jq -r .config.User)" "1000:1000"
	# busybox has 2 history entries; 8 steps after FROM add 8
	assert_equal "$(echo "$cfg" | jq ".history | length")" "10"
	assert_equal "$(echo "$cfg" | jq '[.history[] | select(.empty_layer != true)] | length')" \
		"$(echo "$cfg" | jq '.rootfs.diff_ids | length')"
	assert_equal "$(echo "$cfg" | jq -r '.history[-1].created_by')" '/bin/sh -c #(nop)  CMD ["cat", "/srv/app/built.txt"]'
	echo "$cfg" | jq -r '.history[].created_by' | grep -q '^/bin/sh -c echo "$GREETING $WHO" >built.txt'
	# the manifest skopeo reads is the digest printed
	assert_equal "$(skopeo inspect --raw "oci:$DK_ROOT/images:docker.io/me/app:1" | sha256sum | cut -d' ' -f1)" "${digest#sha256:}"
	bf_no_leftovers
}

@test "dk build, dk run and dk history of the result" {
	multi_step_dockerfile
	run dash "$DK_BIN/dk" build -q -t me/app "$CTX"
	assert_success
	[[ "$output" =~ ^sha256:[0-9a-f]{64}$ ]]
	run dash "$DK_BIN/dk" run --rm me/app
	assert_success
	assert_equal "$output" "hello world"
	run dash "$DK_BIN/dk" run --rm me/app id -u
	assert_equal "$output" "1000"
	run dash "$DK_BIN/dk" history me/app
	assert_success
	assert_output_contains "WORKDIR /srv/app"
	assert_output_contains "COPY app/ ./"
	assert_output_contains 'echo "$GREETING $WHO"'
}

@test "second build hits the cache; a changed COPY source invalidates from there" {
	multi_step_dockerfile
	run buildfile -t me/app "$CTX"
	assert_success
	first=$(echo "$output" | tail -n1)
	start=$(date +%s%N)
	run buildfile -t me/app "$CTX"
	end=$(date +%s%N)
	assert_success
	assert_equal "$(echo "$output" | tail -n1)" "$first"
	assert_equal "$(echo "$output" | grep -c "Using cache")" "8"
	# fast: no container ran
	[ $(((end - start) / 1000000)) -lt 1000 ]
	[ -n "$(ls "$DK_ROOT/buildcache")" ]
	echo "changed" >"$CTX/app/greeting.txt"
	run buildfile -t me/app "$CTX"
	assert_success
	assert_equal "$(echo "$output" | grep -c 'Using cache')" "2"
	assert_output_contains "Running in"
	[ "$(echo "$output" | tail -n1)" != "$first" ]
	bf_unpack docker.io/me/app:latest "$BATS_TEST_TMPDIR/u"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/srv/app/greeting.txt")" "changed"
	# --no-cache runs everything again
	run buildfile --no-cache -t me/app "$CTX"
	assert_success
	assert_equal "$(echo "$output" | grep -c 'Using cache')" "0"
}

@test "multi-stage: COPY --from a named stage, by index, and from an image; --target" {
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox AS builder
RUN mkdir /out && echo artifact >/out/a.txt && echo two >/out/b.txt
FROM busybox AS second
RUN echo second >/second.txt
FROM scratch
COPY --from=builder /out/a.txt /a.txt
COPY --from=1 /second.txt /
COPY --from=busybox /bin/busybox /bin/busybox
DF
	run buildfile -t me/multi "$CTX"
	assert_success
	bf_unpack docker.io/me/multi:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/a.txt")" "artifact"
	assert_equal "$(cat "$r/second.txt")" "second"
	[ -x "$r/bin/busybox" ]
	[ ! -e "$r/out" ]
	[ ! -e "$r/etc/passwd" ]
	assert_equal "$(bf_config docker.io/me/multi:latest | jq '.rootfs.diff_ids | length')" "3"
	bf_no_leftovers
	run buildfile --target second -t me/second "$CTX"
	assert_success
	bf_unpack docker.io/me/second:latest "$BATS_TEST_TMPDIR/u2"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u2/rootfs/second.txt")" "second"
	[ ! -e "$BATS_TEST_TMPDIR/u2/rootfs/a.txt" ]
	run buildfile --target nosuch -t me/x "$CTX"
	assert_failure 1
	assert_output_contains "--target nosuch"
}

@test "build args: ARG before FROM and in a stage, defaults, --build-arg, not kept in the image" {
	cat >"$CTX/Dockerfile" <<'DF'
ARG BASE=busybox
FROM $BASE
ARG WHO=nobody
ARG PLAIN
ENV GREET="hi ${WHO}"
RUN echo "$WHO/$PLAIN" >/arg.txt
DF
	run buildfile -t me/args "$CTX"
	assert_success
	bf_unpack docker.io/me/args:latest "$BATS_TEST_TMPDIR/u"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/arg.txt")" "nobody/"
	assert_equal "$(bf_config docker.io/me/args:latest | jq -r '.config.Env[] | select(startswith("GREET="))')" "GREET=hi nobody"
	run buildfile -t me/args --build-arg WHO=alice --build-arg PLAIN=p --build-arg UNUSED=1 "$CTX"
	assert_success
	assert_output_contains "UNUSED was not consumed"
	bf_unpack docker.io/me/args:latest "$BATS_TEST_TMPDIR/u2"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u2/rootfs/arg.txt")" "alice/p"
	# build args are not part of the image's environment
	[ -z "$(bf_config docker.io/me/args:latest | jq -r '.config.Env[] | select(startswith("WHO="))')" ]
}

@test "failing RUN: the step and exit status are named, no tag, nothing left behind" {
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
RUN echo before
RUN exit 3
CMD ["true"]
DF
	run buildfile -t me/fail "$CTX"
	assert_failure 1
	assert_output_contains "line 3: RUN"
	assert_output_contains "exit 3"
	assert_output_contains "non-zero code: 3"
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/me/fail:latest"
	assert_failure
	bf_no_leftovers
}

@test "syntax errors: unknown instruction and bad syntax name the line; empty, no FROM, bad context" {
	printf 'FROM busybox\nRUN true\nFROBNICATE x\n' >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "line 3"
	assert_output_contains 'unknown instruction "FROBNICATE"'
	[ -z "$(ls "$DK_ROOT/buildcache" 2>/dev/null)" ]
	printf 'FROM busybox\nENV onlykey\n' >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "line 2: ENV"
	printf '# nothing\n\n' >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "empty"
	printf 'RUN true\n' >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "before the first FROM"
	run buildfile -t me/bad "$BATS_TEST_TMPDIR/nosuch"
	assert_failure 1
	assert_output_contains "context"
	printf 'FROM nosuch/image\n' >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "nosuch/image"
	run buildfile "$CTX" extra
	assert_failure 2
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/me/bad:latest"
	assert_failure
}

@test "COPY: sources outside the context refused; missing sources; globs; trailing slash rules" {
	echo "outside" >"$BATS_TEST_TMPDIR/outside.txt"
	printf 'FROM busybox\nCOPY ../outside.txt /x\n' >"$CTX/Dockerfile"
	run buildfile -t me/c "$CTX"
	assert_failure 1
	assert_output_contains "outside the build context"
	ln -s /etc/shadow "$CTX/link"
	printf 'FROM busybox\nCOPY link /x\n' >"$CTX/Dockerfile"
	run buildfile -t me/c "$CTX"
	assert_failure 1
	assert_output_contains "not found"
	rm "$CTX/link"
	printf 'FROM busybox\nCOPY nosuch.txt /x\n' >"$CTX/Dockerfile"
	run buildfile -t me/c "$CTX"
	assert_failure 1
	assert_output_contains "nosuch.txt"
	echo a >"$CTX/one.cfg"
	echo b >"$CTX/two.cfg"
	printf 'FROM busybox\nCOPY *.cfg /conf\n' >"$CTX/Dockerfile"
	run buildfile -t me/c "$CTX"
	assert_failure 1
	assert_output_contains "must be a directory"
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
COPY *.cfg /conf/
COPY app/greeting.txt /file-as-named
COPY app/greeting.txt /into/
COPY --chown=1234:99 --chmod=600 app/sub /owned
ADD https://example.com/x /x
DF
	run buildfile -t me/c "$CTX"
	assert_failure 1
	assert_output_contains "line 6: ADD"
	assert_output_contains "not supported"
	sed -i '$d' "$CTX/Dockerfile"
	run buildfile -t me/c "$CTX"
	assert_success
	bf_unpack docker.io/me/c:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/conf/one.cfg" "$r/conf/two.cfg")" "a
b"
	assert_equal "$(cat "$r/file-as-named")" "hello file"
	assert_equal "$(cat "$r/into/greeting.txt")" "hello file"
	assert_equal "$(stat -c '%u:%g %a' "$r/owned/nested.txt")" "1234:99 600"
	assert_equal "$(stat -c '%u:%g' "$r/into/greeting.txt")" "0:0"
}

@test "ADD of a local tar archive extracts it" {
	mkdir -p "$BATS_TEST_TMPDIR/t/pkg"
	echo packed >"$BATS_TEST_TMPDIR/t/pkg/p.txt"
	tar -C "$BATS_TEST_TMPDIR/t" -czf "$CTX/pkg.tar.gz" pkg
	printf 'FROM busybox\nADD pkg.tar.gz /opt/\nADD app/greeting.txt /plain.txt\n' >"$CTX/Dockerfile"
	run buildfile -t me/add "$CTX"
	assert_success
	bf_unpack docker.io/me/add:latest "$BATS_TEST_TMPDIR/u"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/opt/pkg/p.txt")" "packed"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/plain.txt")" "hello file"
}

@test ".dockerignore: excluded files are neither copied nor part of the cache key" {
	echo "secret" >"$CTX/app/secret.key"
	mkdir -p "$CTX/app/logs"
	echo log >"$CTX/app/logs/x.log"
	echo keep >"$CTX/app/keep.key"
	echo kept >"$CTX/app/logs/keep.log"
	printf '# comment\napp/*.key\n!app/keep.key\napp/logs\n!app/logs/keep.log\n' >"$CTX/.dockerignore"
	printf 'FROM busybox\nCOPY app /app\n' >"$CTX/Dockerfile"
	run buildfile -t me/ign "$CTX"
	assert_success
	bf_unpack docker.io/me/ign:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	[ -f "$r/app/greeting.txt" ]
	[ -f "$r/app/keep.key" ]
	[ ! -e "$r/app/secret.key" ]
	[ ! -e "$r/app/logs/x.log" ]
	assert_equal "$(cat "$r/app/logs/keep.log")" "kept"
	echo "other secret" >"$CTX/app/secret.key"
	run buildfile -t me/ign "$CTX"
	assert_success
	assert_output_contains "Using cache"
	printf 'FROM busybox\nCOPY app/secret.key /s\n' >"$CTX/Dockerfile"
	run buildfile -t me/ign "$CTX"
	assert_failure 1
	assert_output_contains "excluded by .dockerignore"
}

@test "metadata instructions: ENTRYPOINT, VOLUME, STOPSIGNAL, SHELL, HEALTHCHECK, ONBUILD triggers, MAINTAINER" {
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
MAINTAINER someone@example.com
SHELL ["/bin/sh", "-ec"]
RUN echo "$0 $-" | grep -q e
VOLUME /data
STOPSIGNAL SIGINT
ONBUILD RUN echo triggered >/onbuild.txt
HEALTHCHECK --interval=30s --retries=3 CMD wget -q localhost || exit 1
CMD echo shell form
ENTRYPOINT ["/bin/echo"]
DF
	run buildfile -t me/base "$CTX"
	assert_success
	cfg=$(bf_raw_config docker.io/me/base:latest)
	assert_equal "$(echo "$cfg" | jq -r .author)" "someone@example.com"
	assert_equal "$(echo "$cfg" | jq -r '.config.Volumes | keys[0]')" "/data"
	assert_equal "$(echo "$cfg" | jq -r .config.StopSignal)" "SIGINT"
	assert_equal "$(echo "$cfg" | jq -c .config.Entrypoint)" '["/bin/echo"]'
	assert_equal "$(echo "$cfg" | jq -r '.config.OnBuild[0]')" "RUN echo triggered >/onbuild.txt"
	assert_equal "$(echo "$cfg" | jq -c .config.Shell)" '["/bin/sh","-ec"]'
	assert_equal "$(echo "$cfg" | jq -c .config.Cmd)" '["/bin/sh","-ec","echo shell form"]'
	assert_equal "$(echo "$cfg" | jq -c .config.Healthcheck)" \
		'{"Test":["CMD-SHELL","wget -q localhost || exit 1"],"Interval":30000000000,"Retries":3}'
	printf 'FROM me/base\nRUN test -f /onbuild.txt\n' >"$CTX/Dockerfile"
	run buildfile -t me/child "$CTX"
	assert_success
	assert_output_contains "ONBUILD"
	[ "$(bf_raw_config docker.io/me/child:latest | jq -r '.config.OnBuild // [] | length')" = 0 ]
}

@test "interrupted build: SIGTERM during RUN kills the container and leaves nothing behind" {
	printf 'FROM busybox\nRUN sleep 30\n' >"$CTX/Dockerfile"
	buildfile -t me/int "$CTX" 2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	i=0
	until ls "$DK_ROOT/run" 2>/dev/null | grep -q dk-build || [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
	kill -TERM "$pid"
	start=$(date +%s)
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 1 ]
	[ $(($(date +%s) - start)) -lt 10 ]
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/me/int:latest"
	assert_failure
	bf_no_leftovers
}

@test "COPY globs do not follow a symlinked directory out of the context" {
	mkdir -p "$BATS_TEST_TMPDIR/outside"
	echo "not yours" >"$BATS_TEST_TMPDIR/outside/data.txt"
	ln -s "$BATS_TEST_TMPDIR/outside" "$CTX/escape"
	printf 'FROM busybox\nCOPY e*/*.txt /got/\n' >"$CTX/Dockerfile"
	run buildfile -t me/g "$CTX"
	assert_failure 1
	assert_output_contains "no source files match"
}

@test "-f - reads the Dockerfile from stdin; -f names another file; --root instead of DK_ROOT" {
	root=$DK_ROOT
	unset DK_ROOT
	run bash -c "printf 'FROM busybox\nRUN echo stdin >/s.txt\n' | buildfile --root '$root' -q -t me/stdin -f - '$CTX'"
	assert_success
	printf 'FROM busybox\nLABEL which=dev\n' >"$CTX/Dockerfile.dev"
	run buildfile --root "$root" -q -t me/dev -f "$CTX/Dockerfile.dev" "$CTX"
	assert_success
	export DK_ROOT=$root
	bf_unpack docker.io/me/stdin:latest "$BATS_TEST_TMPDIR/u"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/s.txt")" "stdin"
	assert_equal "$(bf_config docker.io/me/dev:latest | jq -r .config.Labels.which)" "dev"
	run buildfile --help
	assert_success
	assert_output_contains "Usage: buildfile"
	run buildfile --version
	assert_success
	run buildfile --bogus "$CTX"
	assert_failure 2
}

@test "COPY destinations through symlinks in the image stay inside its rootfs" {
	name="dk-bf-escape-$$-$BATS_TEST_NUMBER"
	cat >"$CTX/Dockerfile" <<DF
FROM busybox
RUN mkdir -p /tmp && ln -s / /abs && ln -s ../../../../../../../../tmp /up
COPY app/greeting.txt /abs/tmp/$name.a
COPY app/greeting.txt /up/$name.b
DF
	run buildfile -t me/esc "$CTX"
	assert_success
	[ ! -e "/tmp/$name.a" ]
	[ ! -e "/tmp/$name.b" ]
	bf_unpack docker.io/me/esc:latest "$BATS_TEST_TMPDIR/u"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/tmp/$name.a")" "hello file"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/tmp/$name.b")" "hello file"
}
