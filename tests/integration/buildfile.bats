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

teardown() {
	bf_stop_http
	if [ -n "${AGENT_PID:-}" ]; then kill "$AGENT_PID" 2>/dev/null || true; fi
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
	# a missing base is pulled: from a registry that is not there (loopback)
	printf 'FROM localhost:1/nosuch/image\n' >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "image localhost:1/nosuch/image: pulling it failed"
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
ADD ftp://example.com/x /x
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

@test "heredocs: RUN script, RUN with a shebang, RUN feeding commands, COPY with and without expansion" {
	cat >"$CTX/Dockerfile" <<'DF'
# syntax=docker/dockerfile:1
FROM busybox
ARG WHO=builder
ENV PLACE=here
RUN <<EOF
echo "one $WHO" >/h1.txt
echo two >>/h1.txt
EOF
RUN <<EOT
#!/bin/sh -e
echo "script $0" >/h2.txt
EOT
RUN cat <<-A >/h3.txt && cat <<"B" >>/h3.txt
	tabbed $PLACE
	A
kept $PLACE
B
COPY <<X <<'Y' /docs/
expanded $PLACE $WHO
X
literal $PLACE
Y
COPY --chmod=0600 <<CONF /etc/app.conf
k=v
CONF
DF
	run buildfile -t me/here "$CTX"
	assert_success
	bf_unpack docker.io/me/here:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/h1.txt")" "one builder
two"
	assert_equal "$(cat "$r/h2.txt")" "script /dev/pipes/EOT"
	assert_equal "$(cat "$r/h3.txt")" 'tabbed here
kept $PLACE'
	assert_equal "$(cat "$r/docs/X")" "expanded here builder"
	assert_equal "$(cat "$r/docs/Y")" 'literal $PLACE'
	assert_equal "$(stat -c %a "$r/docs/X")" "644"
	assert_equal "$(stat -c %a "$r/etc/app.conf")" "600"
	# the script's mount point is no part of the image
	[ ! -e "$r/dev/pipes" ]
	# a changed here-document is a new step, not the cached one
	sed -i 's/echo two/echo TWO/' "$CTX/Dockerfile"
	run buildfile -t me/here "$CTX"
	assert_success
	bf_unpack docker.io/me/here:latest "$BATS_TEST_TMPDIR/u2"
	assert_equal "$(tail -n1 "$BATS_TEST_TMPDIR/u2/rootfs/h1.txt")" "TWO"
	printf 'FROM busybox\nRUN <<EOF\necho never\n' >"$CTX/Dockerfile"
	run buildfile -t me/here "$CTX"
	assert_failure 1
	assert_output_contains "line 2: here-document <<EOF is not terminated"
}

@test "parser directives: escape=\` continues lines with a backtick; syntax and check are accepted" {
	cat >"$CTX/Dockerfile" <<'DF'
# syntax=docker/dockerfile:1.7
# check=skip=all
# escape=`
FROM busybox
RUN echo 'C:\dir' `
    >/win.txt
# a comment inside nothing
COPY app\greeting.txt /g.txt
DF
	# the context path with a backslash is one file name under escape=`
	cp "$CTX/app/greeting.txt" "$CTX/app\\greeting.txt"
	run buildfile -t me/esc "$CTX"
	assert_success
	bf_unpack docker.io/me/esc:latest "$BATS_TEST_TMPDIR/u"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/win.txt")" 'C:\dir'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/g.txt")" "hello file"
	printf '# escape=x\nFROM busybox\n' >"$CTX/Dockerfile"
	run buildfile -t me/esc "$CTX"
	assert_failure 1
	assert_output_contains "invalid escape token"
}

@test "variable expansion: every \${VAR...} form of the reference" {
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
ARG P=a/b/c.tar.gz
ARG EMPTY=
ENV R1=${P#*/} R2=${P##*/} R3=${P%.*} R4=${P%%.*} R5=${P/b/x} R6=${P//[abc]/_}
ENV R7=${EMPTY:-dflt} R8=${EMPTY-dflt} R9=${P:+alt} R10=${NOPE+alt}x R11=${NOPE:-${P%%/*}}
DF
	run buildfile -t me/vars "$CTX"
	assert_success
	env=$(bf_config docker.io/me/vars:latest | jq -r '.config.Env[]')
	for want in R1=b/c.tar.gz R2=c.tar.gz R3=a/b/c.tar R4=a/b/c R5=a/x/c.tar.gz \
		R6=_/_/_.t_r.gz R7=dflt R8= R9=alt R10=x R11=a; do
		echo "$env" | grep -qx -- "$want" || { echo "missing $want in $env"; false; }
	done
	printf 'FROM busybox\nENV X="${NOPE:?must be set}"\n' >"$CTX/Dockerfile"
	run buildfile -t me/vars "$CTX"
	assert_failure 1
	assert_output_contains "NOPE: must be set"
}

@test "RUN --mount=type=cache: kept across builds per id, uid/gid/mode, sharing; no trace in the image" {
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
RUN --mount=type=cache,target=/var/cache/app,sharing=locked \
    echo x >>/var/cache/app/log && wc -l </var/cache/app/log >/count.txt
RUN --mount=type=cache,id=other,target=/c2,uid=1234,gid=99,mode=0700 \
    stat -c '%u:%g %a' /c2 >/c2.txt && ls -A /c2 >/c2-list.txt
RUN --mount=type=cache,target=/var/cache/app,sharing=private test -s /var/cache/app/log
DF
	run buildfile -t me/cache "$CTX"
	assert_success
	run buildfile --no-cache -t me/cache "$CTX"
	assert_success
	bf_unpack docker.io/me/cache:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/count.txt" | tr -d ' ')" "2"
	assert_equal "$(cat "$r/c2.txt")" "1234:99 700"
	assert_equal "$(cat "$r/c2-list.txt")" ""
	[ ! -e "$r/var/cache/app" ]
	[ ! -e "$r/c2" ]
	[ -d "$r/var" ]
	bf_no_leftovers
}

@test "RUN --mount=type=bind (context read-only, rw copy, another stage) and type=tmpfs" {
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox AS stage
RUN echo staged >/s.txt
FROM busybox
RUN --mount=type=bind,source=app,target=/src \
    cat /src/greeting.txt >/out.txt && ! touch /src/x 2>/dev/null
RUN --mount=type=bind,source=app,target=/src,rw touch /src/new && test -f /src/new
RUN --mount=type=bind,from=stage,source=/s.txt,target=/m.txt cp /m.txt /copied.txt
RUN --mount=type=bind,target=/ctx cat /ctx/app/sub/nested.txt >/nested.txt
RUN --mount=type=tmpfs,target=/scratch,size=1048576 \
    grep -q ' /scratch tmpfs ' /proc/mounts && echo t >/scratch/f && echo ok >/tmpfs.txt
DF
	run buildfile -t me/bind "$CTX"
	assert_success
	[ ! -e "$CTX/app/new" ]
	[ ! -e "$CTX/app/x" ]
	bf_unpack docker.io/me/bind:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/out.txt")" "hello file"
	assert_equal "$(cat "$r/copied.txt")" "staged"
	assert_equal "$(cat "$r/nested.txt")" "nested"
	assert_equal "$(cat "$r/tmpfs.txt")" "ok"
	[ ! -e "$r/src" ]
	[ ! -e "$r/scratch" ]
	[ ! -e "$r/m.txt" ]
	printf 'FROM busybox\nRUN --mount=type=bind,source=../..,target=/x ls /x/etc/shadow\n' >"$CTX/Dockerfile"
	run buildfile -t me/bind "$CTX"
	assert_failure 1
	bf_no_leftovers
}

@test "RUN --mount=type=secret: file and env secrets reach RUN, never a layer, the config or history" {
	secret="s3cr3t-$$-value"
	printf '%s' "$secret" >"$BATS_TEST_TMPDIR/tok"
	sum=$(printf '%s' "$secret" | sha256sum | cut -d' ' -f1)
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
ARG SUM
RUN --mount=type=secret,id=tok \
    test "$(sha256sum </run/secrets/tok | cut -d' ' -f1)" = "$SUM" && \
    stat -c %a /run/secrets/tok >/mode.txt
RUN --mount=type=secret,id=envtok,env=TOKEN,required=true \
    test "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" = "$SUM"
RUN --mount=type=secret,id=tok,target=/etc/tok,mode=0440 test -s /etc/tok
RUN --mount=type=secret,id=absent test ! -e /run/secrets/absent
DF
	MYTOK=wrong run buildfile -t me/sec --build-arg SUM="$sum" \
		--secret id=tok,src="$BATS_TEST_TMPDIR/tok" --secret id=envtok,env=MYTOK "$CTX"
	assert_failure 1
	assert_output_contains "line 6: RUN"
	assert_output_contains "returned a non-zero code: 1"
	MYTOK=$secret run buildfile -t me/sec --build-arg SUM="$sum" \
		--secret id=tok,src="$BATS_TEST_TMPDIR/tok" --secret id=envtok,env=MYTOK "$CTX"
	assert_success
	bf_unpack docker.io/me/sec:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/mode.txt")" "400"
	[ ! -e "$r/run/secrets" ]
	[ ! -e "$r/etc/tok" ]
	# no blob of the store holds the secret, compressed or not
	n=0
	for blob in "$DK_ROOT"/images/blobs/sha256/*; do
		n=$((n + 1))
		if { gzip -dc "$blob" 2>/dev/null || zstd -dc "$blob" 2>/dev/null || cat "$blob"; } |
			grep -aq "$secret"; then
			echo "secret found in $blob"
			false
		fi
	done
	[ "$n" -gt 5 ]
	# a required secret that was not given fails the step
	printf 'FROM busybox\nRUN --mount=type=secret,id=nope,required true\n' >"$CTX/Dockerfile"
	run buildfile -t me/sec "$CTX"
	assert_failure 1
	assert_output_contains "line 2: RUN"
	assert_output_contains "secret nope: required"
	run buildfile --secret src=/x "$CTX"
	assert_failure 2
}

@test "every flag of the Dockerfile reference is honoured or fails with its line and \"not supported\"" {
	# instruction line | what must happen: ok, or the text of the error
	while IFS='|' read -r line want; do
		printf 'FROM busybox\n%s\n' "$line" >"$CTX/Dockerfile"
		run buildfile -q -t me/flags "$CTX"
		if [ "$want" = ok ]; then
			[ "$status" -eq 0 ] || { echo "$line: $output"; false; }
		else
			[ "$status" -eq 1 ] || { echo "$line: status $status"; false; }
			case "$output" in *"line 2"*"$want"*) ;; *) echo "$line: $output"; false ;; esac
		fi
	done <<'LIST'
RUN --mount=type=ssh true|ok
RUN --mount=type=ssh,required=true true|ssh default: required, not given
RUN --mount=type=ssh,mode=0666 true|not supported
RUN --mount=type=ssh,uid=1 true|not supported
RUN --mount=type=cache,target=/c,from=busybox true|not supported
RUN --mount=type=nosuch,target=/x true|unknown mount type
RUN --mount=type=bind,target=/x,bogus=1 true|unknown key
RUN --security=insecure true|not supported
RUN --security=sandbox true|ok
RUN --network=none true|ok
RUN --network=default true|ok
RUN --network=bridge true|want none, default or host
RUN --device=/dev/null true|not supported
RUN --frobnicate true|unknown flag --frobnicate
ADD --keep-git-dir=true app /x|only for a git source
ADD --checksum=sha256:0 app /x|only for an http(s) URL or a git source
ADD --unpack=true app /x|not supported
ADD --from=x app /x|unknown flag --from
COPY --chown=0:0 --chmod=644 app /x|ok
COPY --bogus app /x|unknown flag --bogus
HEALTHCHECK --interval=5s --timeout=3s --start-period=1s --start-interval=1s --retries=2 CMD true|ok
HEALTHCHECK --bogus=1 CMD true|unknown flag
EXPOSE --x 80|not a port
ENV --x=1|ok
LIST
	printf 'FROM --platform=linux/s390x busybox\n' >"$CTX/Dockerfile"
	run buildfile -t me/flags "$CTX"
	assert_failure 1
	assert_output_contains "line 1"
	assert_output_contains "not supported"
	printf 'FROM --platform=$BUILDPLATFORM busybox\nARG TARGETARCH\nRUN test -n "$TARGETARCH"\n' >"$CTX/Dockerfile"
	run buildfile -t me/flags "$CTX"
	assert_success
	# nothing ran before the check: a bad flag on the last line fails first
	printf 'FROM busybox\nRUN touch /ran\nRUN --device=x true\n' >"$CTX/Dockerfile"
	run buildfile -t me/flags "$CTX"
	assert_failure 1
	assert_output_contains "line 3"
	[[ "$output" != *"Running in"* ]]
}

@test "build args: RUN history carries docker's |N K=V prefix; ARG has its own history entry" {
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
ARG B=2 A=1
ENV B=env
RUN echo "$A" >/a.txt
DF
	run buildfile -t me/hist --build-arg A=one "$CTX"
	assert_success
	cfg=$(bf_config docker.io/me/hist:latest)
	echo "$cfg" | jq -r '.history[].created_by' | grep -qx '|1 A=one /bin/sh -c echo "$A" >/a.txt'
	echo "$cfg" | jq -r '.history[].created_by' | grep -qx '/bin/sh -c #(nop)  ARG B=2 A=1'
}

@test "COPY/ADD: --chmod octal and symbolic, --chown names from the image (also in archives), --link, hard links" {
	mkdir -p "$CTX/tree/bin" "$BATS_TEST_TMPDIR/arc/pkg"
	echo run >"$CTX/tree/bin/tool"
	chmod 0750 "$CTX/tree/bin/tool"
	echo data >"$CTX/tree/data.txt"
	chmod 0640 "$CTX/tree/data.txt"
	echo linked >"$CTX/tree/one"
	ln "$CTX/tree/one" "$CTX/tree/two"
	echo a >"$BATS_TEST_TMPDIR/arc/pkg/a"
	ln "$BATS_TEST_TMPDIR/arc/pkg/a" "$BATS_TEST_TMPDIR/arc/pkg/b"
	tar -C "$BATS_TEST_TMPDIR/arc" --owner=4321 --group=4321 -czf "$CTX/pkg.tgz" pkg
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
RUN echo 'app:x:2000:3000::/home/app:/bin/sh' >>/etc/passwd && echo 'grp:x:3000:' >>/etc/group
COPY --chmod=u=rwX,go=rX tree /sym/
COPY --chmod=0600 tree/bin/tool /oct/tool
COPY --chown=app:grp --link tree /owned/
ADD pkg.tgz /keep/
ADD --chown=app pkg.tgz /chowned/
DF
	run buildfile -t me/modes "$CTX"
	assert_success
	bf_unpack docker.io/me/modes:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(stat -c %a "$r/sym/bin/tool" "$r/sym/data.txt" "$r/sym/bin")" "755
644
755"
	assert_equal "$(stat -c %a "$r/oct/tool")" "600"
	assert_equal "$(stat -c '%u:%g' "$r/owned/data.txt" "$r/owned/bin/tool")" "2000:3000
2000:3000"
	assert_equal "$(stat -c '%u:%g' "$r/keep/pkg/a")" "4321:4321"
	assert_equal "$(stat -c '%u:%g' "$r/chowned/pkg/a" "$r/chowned/pkg")" "2000:3000
2000:3000"
	# hard links stay links: in COPY and in what ADD extracts
	assert_equal "$(stat -c %i "$r/owned/one")" "$(stat -c %i "$r/owned/two")"
	assert_equal "$(stat -c %h "$r/owned/one")" "2"
	assert_equal "$(stat -c %i "$r/chowned/pkg/a")" "$(stat -c %i "$r/chowned/pkg/b")"
	printf 'FROM busybox\nCOPY --chmod=u+q tree /x\n' >"$CTX/Dockerfile"
	run buildfile -t me/modes "$CTX"
	assert_failure 1
	assert_output_contains "line 2: COPY: --chmod=u+q"
}

@test "COPY --parents keeps source paths (with a /./ pivot); --exclude drops matches" {
	mkdir -p "$CTX/src/a/deep" "$CTX/src/b"
	echo 1 >"$CTX/src/a/deep/x.go"
	echo 2 >"$CTX/src/b/y.go"
	echo 3 >"$CTX/src/b/y_test.go"
	echo 4 >"$CTX/src/b/notes.md"
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
COPY --parents src/a/deep/x.go src/b/y.go /p/
COPY --parents src/./a/deep /pivot/
COPY --exclude=*_test.go --exclude=*.md src/b /ex/
COPY --exclude=b src /ex2/
DF
	run buildfile -t me/parents "$CTX"
	assert_success
	bf_unpack docker.io/me/parents:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/p/src/a/deep/x.go" "$r/p/src/b/y.go")" "1
2"
	assert_equal "$(cat "$r/pivot/a/deep/x.go")" "1"
	[ ! -e "$r/pivot/src" ]
	assert_equal "$(ls "$r/ex")" "y.go"
	[ -f "$r/ex2/a/deep/x.go" ]
	[ ! -e "$r/ex2/b" ]
}

@test "--print: the plan as JSON (stages, dependencies, flags, here-documents) and nothing runs" {
	cat >"$CTX/Dockerfile" <<'DF'
# syntax=docker/dockerfile:1
ARG BASE=busybox
FROM $BASE AS build
RUN --mount=type=cache,target=/c <<EOF
echo hi
EOF
FROM busybox AS unused
FROM scratch
COPY --from=build /x /x
RUN --mount=type=bind,from=other/image,target=/a true
DF
	run buildfile --print --build-arg BASE=me/base "$CTX"
	assert_success
	plan=$output
	[ -n "$plan" ]
	assert_equal "$(echo "$plan" | jq -r .syntax)" "docker/dockerfile:1"
	assert_equal "$(echo "$plan" | jq -c '[.stages[] | .name]')" '["build","unused",null]'
	assert_equal "$(echo "$plan" | jq -r '.stages[0].base')" "me/base"
	assert_equal "$(echo "$plan" | jq -c '[.stages[] | .needed]')" '[true,false,true]'
	assert_equal "$(echo "$plan" | jq -c '.stages[2].depends_on')" '[0]'
	assert_equal "$(echo "$plan" | jq -c '.stages[2].images')" '["other/image"]'
	assert_equal "$(echo "$plan" | jq -r '.stages[0].instructions[1].flags[0].value')" "type=cache,target=/c"
	assert_equal "$(echo "$plan" | jq -r '.stages[0].instructions[1].heredocs[0].content')" "echo hi"
	assert_equal "$(echo "$plan" | jq -r '.target')" "2"
	run buildfile --print --target unused "$CTX"
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.stages[] | .needed]')" '[false,true,false]'
	# nothing was built or stored
	[ ! -e "$DK_ROOT/buildcache" ]
	[ -z "$(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$DK_ROOT/images/index.json" | grep -v busybox)" ]
	# a flag that is not honoured fails --print too
	printf 'FROM busybox\nRUN --security=insecure true\n' >"$CTX/Dockerfile"
	run buildfile --print "$CTX"
	assert_failure 1
	assert_output_contains "not supported"
}

@test "--label, --iidfile, --no-cache-filter" {
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox AS one
RUN echo one >/one.txt
FROM busybox AS two
COPY --from=one /one.txt /
RUN echo two >/two.txt
DF
	run buildfile -q -t me/opts --label org.example.a=1 --label "b=it's \$HOME" \
		--iidfile "$BATS_TEST_TMPDIR/iid" "$CTX"
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/iid")" "$output"
	cfg=$(bf_config docker.io/me/opts:latest)
	assert_equal "$(echo "$cfg" | jq -r '.config.Labels["org.example.a"]')" "1"
	assert_equal "$(echo "$cfg" | jq -r '.config.Labels.b')" "it's \$HOME"
	run buildfile -t me/opts --no-cache-filter two "$CTX"
	assert_success
	# stage one from the cache, stage two's COPY and RUN again
	assert_equal "$(echo "$output" | grep -c 'Using cache')" "1"
	assert_equal "$(echo "$output" | grep -c 'Running in')" "1"
	run buildfile -t me/opts --no-cache-filter 0 "$CTX"
	assert_success
	# stage 0's RUN runs again; stage two may then hit the cache, when the
	# rebuilt stage is byte for byte the one before (same second)
	[ "$(echo "$output" | grep -c 'Running in')" -ge 1 ]
	[ "$(echo "$output" | sed -n '/^Step 2\//,/^Step 3\//p' | grep -c 'Using cache')" -eq 0 ]
}

@test "-o type=oci|tar|local exports; SOURCE_DATE_EPOCH gives the same digest and bytes twice" {
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
COPY app /app
RUN echo built >/built.txt && ln /built.txt /hard.txt && mkdir -p /var/x
DF
	export SOURCE_DATE_EPOCH=1700000000
	run buildfile -q --no-cache -t me/repro -o type=oci,dest="$BATS_TEST_TMPDIR/one.tar" "$CTX"
	assert_success
	first=$output
	sleep 1.1
	run buildfile -q --no-cache -t me/repro -o type=oci,dest="$BATS_TEST_TMPDIR/two.tar" "$CTX"
	assert_success
	assert_equal "$output" "$first"
	cmp "$BATS_TEST_TMPDIR/one.tar" "$BATS_TEST_TMPDIR/two.tar"
	# the OCI archive is a layout skopeo reads
	mkdir "$BATS_TEST_TMPDIR/oci"
	tar -C "$BATS_TEST_TMPDIR/oci" -xf "$BATS_TEST_TMPDIR/one.tar"
	assert_equal "$(skopeo inspect --raw "oci:$BATS_TEST_TMPDIR/oci" | sha256sum | cut -d' ' -f1)" "${first#sha256:}"
	assert_equal "$(bf_config docker.io/me/repro:latest | jq -r .created)" "2023-11-14T22:13:20Z"
	run buildfile -q -t me/repro -o type=tar,dest="$BATS_TEST_TMPDIR/fs.tar" "$CTX"
	assert_success
	tar -tvf "$BATS_TEST_TMPDIR/fs.tar" | grep -q ' app/greeting.txt$'
	tar -tvf "$BATS_TEST_TMPDIR/fs.tar" | grep -q 'hard.txt link to built.txt$'
	run buildfile -q -t me/repro -o type=local,dest="$BATS_TEST_TMPDIR/out" "$CTX"
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out/built.txt")" "built"
	[ -x "$BATS_TEST_TMPDIR/out/bin/busybox" ]
	# dest=-: the tar on stdout, no digest
	buildfile -q -t me/repro -o type=tar,dest=- "$CTX" >"$BATS_TEST_TMPDIR/stdout.tar"
	tar -tf "$BATS_TEST_TMPDIR/stdout.tar" | grep -qx 'built.txt'
	# type=docker: the same archive, which docker load and dk load read
	buildfile -q -t me/repro -o type=docker,dest="$BATS_TEST_TMPDIR/docker.tar" "$CTX" >/dev/null
	assert_equal "$(tar -xOf "$BATS_TEST_TMPDIR/docker.tar" manifest.json | jq -r '.[0].RepoTags[0]')" \
		"me/repro:latest"
	skopeo inspect "docker-archive:$BATS_TEST_TMPDIR/docker.tar" >/dev/null
	run buildfile -o type=registry,dest=x "$CTX"
	assert_failure 2
	assert_output_contains "not supported"
}

@test "--progress=tty: a line per step with CACHED or DONE and its time; RUN output only on failure" {
	printf 'FROM busybox\nRUN echo visible-output\nLABEL a=b\n' >"$CTX/Dockerfile"
	run buildfile --progress=tty -t me/tty "$CTX"
	assert_success
	echo "$output" | grep -Eq '^\[2/3\] RUN echo visible-output  DONE [0-9]+\.[0-9]{2}s$'
	! echo "$output" | grep -qx visible-output || false
	run buildfile --progress=tty -t me/tty "$CTX"
	assert_success
	echo "$output" | grep -Eq '^\[2/3\] RUN echo visible-output  CACHED$'
	printf 'FROM busybox\nRUN echo shown-on-failure; exit 4\n' >"$CTX/Dockerfile"
	run buildfile --progress=tty -t me/tty "$CTX"
	assert_failure 1
	assert_output_contains "ERROR"
	echo "$output" | grep -qx "shown-on-failure"
	run buildfile --progress=plain -t me/tty "$CTX"
	assert_failure 1
	assert_output_contains "Step 2/2 : RUN"
	run buildfile --progress=fancy "$CTX"
	assert_failure 2
}

@test "ADD URL: downloaded by the builder; name, mode, mtime, --chown/--chmod, --checksum, redirect, 404, cache revalidated" {
	srv=$BATS_TEST_TMPDIR/srv
	mkdir -p "$srv/d"
	echo "remote data" >"$srv/d/file.txt"
	touch -d '2020-01-02 03:04:05 UTC' "$srv/d/file.txt"
	sum=sha256:$(sha256sum "$srv/d/file.txt" | cut -d' ' -f1)
	bf_start_http "$srv"
	cat >"$CTX/Dockerfile" <<DF
FROM busybox
ADD http://$HTTP/d/file.txt /dl/
ADD --checksum=$sum http://$HTTP/redirect/d/file.txt /named
ADD --chown=1234:99 --chmod=640 http://$HTTP/d/file.txt?x=1 /owned/
ADD http://$HTTP/disp/d/file.txt /disp/
RUN test "\$(cat /dl/file.txt)" = "remote data"
DF
	run buildfile -t me/url "$CTX"
	assert_success
	bf_unpack docker.io/me/url:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/dl/file.txt")" "remote data"
	assert_equal "$(stat -c '%u:%g %a %Y' "$r/dl/file.txt")" "0:0 600 $(date -d '2020-01-02 03:04:05 UTC' +%s)"
	assert_equal "$(cat "$r/named")" "remote data"
	assert_equal "$(stat -c '%u:%g %a' "$r/owned/file.txt")" "1234:99 640"
	assert_equal "$(cat "$r/disp/named.bin")" "remote data"
	grep -q "GET /redirect/d/file.txt 302" "$HTTP_LOG"
	bf_no_leftovers
	# the second build revalidates: 304s, every step from the cache
	: >"$HTTP_LOG"
	run buildfile -t me/url "$CTX"
	assert_success
	[ "$(grep -c ' 304$' "$HTTP_LOG")" -ge 3 ]
	! grep -q ' 200$' "$HTTP_LOG" || false
	[[ "$output" != *"Running in"* ]]
	# a changed file is downloaded again and invalidates from there
	echo "changed" >"$srv/d/file.txt"
	printf 'FROM busybox\nADD http://%s/d/file.txt /dl/\n' "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/url2 "$CTX"
	assert_success
	bf_unpack docker.io/me/url2:latest "$BATS_TEST_TMPDIR/u2"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u2/rootfs/dl/file.txt")" "changed"
	# checksum mismatch: names the URL and both digests, nothing tagged
	printf 'FROM busybox\nADD --checksum=%s http://%s/d/file.txt /x\n' "$sum" "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "http://$HTTP/d/file.txt: checksum mismatch: expected $sum, got sha256:$(sha256sum "$srv/d/file.txt" | cut -d' ' -f1)"
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/me/bad:latest"
	assert_failure
	# 404, a refused connection, a malformed checksum
	printf 'FROM busybox\nADD http://%s/nosuch /x\n' "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "http://$HTTP/nosuch: the server answered HTTP 404"
	printf 'FROM busybox\nADD --checksum=sha256:abc http://%s/d/file.txt /x\n' "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "--checksum=sha256:abc"
	printf 'FROM busybox\nADD http://%s/d/file.txt app /x/\n' "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "not supported"
	bf_stop_http
	printf 'FROM busybox\nADD http://%s/gone /x\n' "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "http://$HTTP/gone: "
	bf_no_leftovers
}

@test "ADD of a git repository: cloned by the builder at a branch, tag, commit and subdirectory; --keep-git-dir" {
	command -v git >/dev/null
	srv=$BATS_TEST_TMPDIR/srv
	work=$BATS_TEST_TMPDIR/work
	mkdir -p "$srv" "$work/sub"
	export GIT_CONFIG_NOSYSTEM=1 HOME=$BATS_TEST_TMPDIR
	git -C "$work" init -q -b main
	git -C "$work" config user.email t@example.com
	git -C "$work" config user.name t
	echo one >"$work/version"
	echo deep >"$work/sub/deep.txt"
	ln -s ../../../../etc "$work/out"
	git -C "$work" add -A
	git -C "$work" commit -q -m one
	git -C "$work" tag v1
	first=$(git -C "$work" rev-parse HEAD)
	echo two >"$work/version"
	git -C "$work" commit -q -am two
	git clone -q --bare "$work" "$srv/repo.git"
	git -C "$srv/repo.git" update-server-info
	bf_start_http "$srv"
	cat >"$CTX/Dockerfile" <<DF
FROM busybox
ADD http://$HTTP/repo.git /head/
ADD --keep-git-dir=true http://$HTTP/repo.git#v1 /tag
ADD http://$HTTP/repo.git#$first /commit
ADD --chown=7:7 http://$HTTP/repo.git#main:sub /sub/
DF
	run buildfile -t me/git "$CTX"
	assert_success
	bf_unpack docker.io/me/git:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/head/version")" "two"
	[ ! -e "$r/head/.git" ]
	assert_equal "$(cat "$r/tag/version")" "one"
	[ -d "$r/tag/.git" ]
	assert_equal "$(git -C "$r/tag" rev-parse HEAD)" "$first"
	assert_equal "$(cat "$r/commit/version")" "one"
	assert_equal "$(cat "$r/sub/deep.txt")" "deep"
	assert_equal "$(stat -c %u:%g "$r/sub/deep.txt")" "7:7"
	[ ! -e "$r/sub/version" ]
	bf_no_leftovers
	# a missing ref, a subdirectory not there or leading out, a checksum
	for bad in "#nosuch|nosuch" "#main:nope|subdirectory nope" "#main:out/passwd|out/passwd"; do
		printf 'FROM busybox\nADD http://%s/repo.git%s /x/\n' "$HTTP" "${bad%%|*}" >"$CTX/Dockerfile"
		run buildfile -t me/bad "$CTX"
		assert_failure 1
		assert_output_contains "http://$HTTP/repo.git"
		assert_output_contains "${bad#*|}"
	done
	# --checksum: the commit checked out (BuildKit's full commit id)
	printf 'FROM busybox\nADD --checksum=%s http://%s/repo.git#v1 /x/\n' "$first" "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/sum "$CTX"
	assert_success
	bf_unpack docker.io/me/sum:latest "$BATS_TEST_TMPDIR/s"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/s/rootfs/x/version")" "one"
	printf 'FROM busybox\nADD --checksum=%s http://%s/repo.git#main /x/\n' "$first" "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "http://$HTTP/repo.git#main: checksum mismatch: expected commit $first, got $(git -C "$work" rev-parse HEAD)"
	printf 'FROM busybox\nADD --checksum=sha256:%064d http://%s/repo.git /x/\n' 0 "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "want a full commit id"
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/me/bad:latest"
	assert_failure
	printf 'FROM busybox\nADD --keep-git-dir=maybe http://%s/repo.git /x/\n' "$HTTP" >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "--keep-git-dir=maybe"
	printf 'FROM busybox\nADD file:///etc/passwd /x\n' >"$CTX/Dockerfile"
	run buildfile -t me/bad "$CTX"
	assert_failure 1
	assert_output_contains "not supported"
	bf_no_leftovers
}

@test "RUN --mount=type=ssh with --ssh: the agent answers ssh-add -l in the step; nothing of it in a layer" {
	agent=$BATS_TEST_TMPDIR/agent
	mkdir -m 700 "$agent"
	ssh-agent -a "$agent/sock" >"$agent/env"
	AGENT_PID=$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' "$agent/env")
	[ -n "$AGENT_PID" ]
	ssh-keygen -q -t ed25519 -N '' -C dk-test-key -f "$agent/key"
	SSH_AUTH_SOCK=$agent/sock ssh-add -q "$agent/key" 2>/dev/null
	bf_ssh_helper
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
RUN --mount=type=bind,source=h,target=/h --mount=type=ssh \
    echo "$SSH_AUTH_SOCK" >/sock.txt && \
    /h/ld-linux-x86-64.so.2 --library-path /h /h/ssh-add -l >/keys.txt
RUN --mount=type=bind,source=h,target=/h --mount=type=ssh,id=other,target=/agent,required \
    SSH_AUTH_SOCK=/agent /h/ld-linux-x86-64.so.2 --library-path /h /h/ssh-add -l >/keys2.txt
DF
	run env SSH_AUTH_SOCK="$agent/sock" buildfile --ssh default --ssh "other=$agent/sock" -t me/ssh "$CTX"
	assert_success
	bf_unpack docker.io/me/ssh:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	assert_equal "$(cat "$r/sock.txt")" "/run/buildkit/ssh_agent.0"
	grep -q "dk-test-key (ED25519)" "$r/keys.txt"
	grep -q "dk-test-key (ED25519)" "$r/keys2.txt"
	[ ! -e "$r/run/buildkit" ]
	[ ! -e "$r/agent" ]
	# (the RUN text in the history names it; the Env must not)
	run bf_config docker.io/me/ssh:latest
	assert_success
	assert_equal "$(jq -r '.config.Env // [] | map(select(startswith("SSH_AUTH_SOCK"))) | length' <<<"$output")" "0"
	bf_no_leftovers
	# bad --ssh values: exit 2 (usage), naming the value
	kill "$AGENT_PID"
	AGENT_PID=
	run buildfile --ssh "nosuch=$agent/gone" -t me/bad "$CTX"
	assert_failure 2
	assert_output_contains "$agent/gone"
	run buildfile --ssh "k=$agent/fifo" -t me/bad "$CTX"
	assert_failure 2
	assert_output_contains "$agent/fifo"
	mkfifo "$agent/fifo2"
	run buildfile --ssh "k=$agent/fifo2" -t me/bad "$CTX"
	assert_failure 2
	assert_output_contains "neither an agent socket nor a key file"
	run env -u SSH_AUTH_SOCK buildfile --ssh default -t me/bad "$CTX"
	assert_failure 2
	assert_output_contains "SSH_AUTH_SOCK"
	run buildfile --ssh other -t me/bad "$CTX"
	assert_failure 2
}

@test "buildfile prune: cache mounts, URL downloads, stale entries; -a the whole layer cache; --filter until; waits for running builds" {
	mkdir -p "$BATS_TEST_TMPDIR/www"
	head -c 50000 /dev/urandom >"$BATS_TEST_TMPDIR/www/blob.bin"
	bf_start_http "$BATS_TEST_TMPDIR/www"
	cat >"$CTX/Dockerfile" <<DF
FROM busybox
RUN --mount=type=cache,target=/c dd if=/dev/zero of=/c/fill bs=1000 count=100 2>/dev/null
ADD http://$HTTP/blob.bin /blob.bin
RUN echo built >/f
DF
	run buildfile -t me/pr "$CTX"
	assert_success
	[ -n "$(ls -A "$DK_ROOT/buildcache-mounts")" ]
	[ -n "$(ls -A "$DK_ROOT/buildcache-urls")" ]
	entries=$(ls "$DK_ROOT/buildcache" | wc -l)
	[ "$entries" -ge 3 ]
	# nothing older than an hour: nothing goes
	run buildfile prune --filter until=1h
	assert_success
	assert_equal "$output" "Total reclaimed space: 0B"
	[ -n "$(ls -A "$DK_ROOT/buildcache-mounts")" ]
	# the default: mounts and downloads go (150 kB), the layer cache stays
	run buildfile prune
	assert_success
	assert_output_contains "Deleted build cache objects:"
	assert_output_contains "Total reclaimed space: 150kB"
	[ -z "$(ls -A "$DK_ROOT/buildcache-mounts")" ]
	[ -z "$(ls -A "$DK_ROOT/buildcache-urls")" ]
	assert_equal "$(ls "$DK_ROOT/buildcache" | wc -l)" "$entries"
	# an entry whose image is gone is stale: pruned without -a
	printf 'sha256:%064d\n' 0 >"$DK_ROOT/buildcache/$(printf '%064d' 1)"
	run buildfile prune
	assert_success
	assert_output_contains "$(printf '%064d' 1)"
	assert_equal "$(ls "$DK_ROOT/buildcache" | wc -l)" "$entries"
	# -a: every entry; the steps run again
	run buildfile prune -a
	assert_success
	assert_output_contains "Total reclaimed space:"
	[ -z "$(ls -A "$DK_ROOT/buildcache")" ]
	run buildfile -t me/pr "$CTX"
	assert_success
	! grep -q "Using cache" <<<"$output" || false
	# a prune waits for a running build and leaves what it uses
	printf 'FROM busybox\nRUN --mount=type=cache,target=/c sleep 2; echo x >/c/x; cat /c/x\n' >"$CTX/Dockerfile"
	buildfile --no-cache -t me/slow "$CTX" >"$BATS_TEST_TMPDIR/slow.out" 2>&1 &
	bpid=$!
	for _ in $(seq 100); do [ -n "$(ls -A "$DK_ROOT/run" 2>/dev/null)" ] && break; sleep 0.05; done
	run buildfile prune
	assert_success
	assert_output_contains "waiting for running builds"
	# (the build may still be exiting: it lets go of the lock first, and
	# under ASan the exit's leak check takes a while; its status tells)
	wait "$bpid"
	grep -qx x "$BATS_TEST_TMPDIR/slow.out" # its cache mount stayed whole
	bf_no_leftovers
	# bad input: usage errors, nothing removed
	run buildfile prune --filter label=x
	assert_failure 2
	assert_output_contains "not supported"
	run buildfile prune --keep-storage 1GB
	assert_failure 2
	assert_output_contains "not supported"
	run buildfile prune --filter until=soon
	assert_failure 2
	run buildfile prune extra
	assert_failure 2
}

# bf_ssh_helper: ssh-add and the libraries it needs in $CTX/h, for a step
# of busybox
bf_ssh_helper() {
	mkdir -p "$CTX/h"
	cp /usr/bin/ssh-add "$CTX/h/"
	for l in $(ldd /usr/bin/ssh-add | grep -o '/[^ ]*'); do cp "$l" "$CTX/h/"; done
}

@test "--ssh ID=KEY[,KEY]: the build's own agent serves the key files to RUN --mount=type=ssh and dies with the build" {
	k=$BATS_TEST_TMPDIR/keys
	mkdir -m 700 "$k"
	ssh-keygen -q -t ed25519 -N '' -C dk-key-one -f "$k/one"
	ssh-keygen -q -t ed25519 -N '' -C dk-key-two -f "$k/two"
	ssh-keygen -q -t ed25519 -N 'secret' -C dk-key-locked -f "$k/locked"
	bf_ssh_helper
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox
RUN --mount=type=bind,source=h,target=/h --mount=type=ssh,required \
    /h/ld-linux-x86-64.so.2 --library-path /h /h/ssh-add -l >/keys.txt
RUN --mount=type=bind,source=h,target=/h --mount=type=ssh,id=both,target=/a \
    SSH_AUTH_SOCK=/a /h/ld-linux-x86-64.so.2 --library-path /h /h/ssh-add -l >/both.txt
DF
	run env -u SSH_AUTH_SOCK buildfile --ssh "default=$k/one" --ssh "both=$k/one,$k/two" -t me/keys "$CTX"
	assert_success
	bf_unpack docker.io/me/keys:latest "$BATS_TEST_TMPDIR/u"
	r=$BATS_TEST_TMPDIR/u/rootfs
	grep -q "dk-key-one (ED25519)" "$r/keys.txt"
	! grep -q "dk-key-two" "$r/keys.txt" || false
	grep -q "dk-key-one (ED25519)" "$r/both.txt"
	grep -q "dk-key-two (ED25519)" "$r/both.txt"
	# the agents are gone, their sockets too; no key material in a layer
	! pgrep -f "ssh-agent -D -a $DK_ROOT/build/" || false
	bf_no_leftovers
	! grep -rq "PRIVATE KEY" "$r" || false
	# killed with SIGKILL mid-build: its agent dies with it
	printf 'FROM busybox\nRUN --mount=type=ssh sleep 60\n' >"$CTX/Dockerfile"
	buildfile --no-cache --ssh "default=$k/one" -t me/keys2 "$CTX" >/dev/null 2>&1 &
	bpid=$!
	for _ in $(seq 100); do pgrep -f "ssh-agent -D -a $DK_ROOT/build/" >/dev/null && break; sleep 0.1; done
	apid=$(pgrep -f "ssh-agent -D -a $DK_ROOT/build/")
	[ -n "$apid" ]
	kill -9 "$bpid"
	wait "$bpid" || true
	for _ in $(seq 50); do kill -0 "$apid" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$apid" 2>/dev/null || false
	# the step's container outlived the builder: removed by hand
	for c in $(runtime --root "$DK_ROOT/run" list -q); do
		runtime --root "$DK_ROOT/run" delete --force "$c"
	done
	umount_below "$DK_ROOT/snapshots"
	# a key with a passphrase and no terminal to ask on: fails, naming it
	printf 'FROM busybox\nRUN --mount=type=ssh true\n' >"$CTX/Dockerfile"
	run setsid -w env -u SSH_AUTH_SOCK buildfile --ssh "default=$k/locked" -t me/bad "$CTX" </dev/null
	assert_failure 1
	assert_output_contains "ssh-add $k/locked: failed"
	! pgrep -f "ssh-agent -D -a $DK_ROOT/build/" || false
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/me/bad:latest"
	assert_failure
}

@test "independent stages build side by side (each waits for the other's mark); the ordered run takes them from the cache" {
	# each stage finishes only once the other has started: built one
	# after the other, the first would give up and fail
	cat >"$CTX/Dockerfile" <<'DF'
FROM busybox AS a
RUN --mount=type=cache,id=meet,target=/m,sharing=shared \
    touch /m/a && i=0 && until [ -e /m/b ]; do i=$((i+1)); [ $i -lt 300 ] || exit 9; sleep 0.1; done && echo a >/a.txt
FROM busybox AS b
RUN --mount=type=cache,id=meet,target=/m,sharing=shared \
    touch /m/b && i=0 && until [ -e /m/a ]; do i=$((i+1)); [ $i -lt 300 ] || exit 9; sleep 0.1; done && echo b >/b.txt
FROM busybox
COPY --from=a /a.txt /
COPY --from=b /b.txt /
RUN cat /a.txt /b.txt >/both.txt
DF
	run buildfile -t me/par "$CTX"
	assert_success
	assert_output_contains "Building 2 independent stages side by side"
	bf_unpack docker.io/me/par:latest "$BATS_TEST_TMPDIR/u"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/u/rootfs/both.txt")" "a
b"
	bf_no_leftovers
	# --no-cache: the children run every step again, the ordered run
	# takes what they built (else the meeting would fail)
	run buildfile --no-cache -t me/par "$CTX"
	assert_success
	[ "$(grep -c 'Using cache' <<<"$output")" -ge 2 ]
	run buildfile --no-cache-filter a,b -t me/par "$CTX"
	assert_success
	bf_no_leftovers
	# a failing independent stage is reported by the ordered run
	printf 'FROM busybox AS x\nRUN exit 3\nFROM busybox AS y\nRUN true\nFROM busybox\nCOPY --from=x / /x\n' >"$CTX/Dockerfile"
	run buildfile -t me/par2 "$CTX"
	assert_failure 1
	assert_output_contains "line 2: RUN"
	assert_output_contains "exit"
	bf_no_leftovers
	# a stage reading another is not built ahead
	printf 'FROM busybox AS x\nRUN true\nFROM x AS y\nRUN true\n' >"$CTX/Dockerfile"
	run buildfile -t me/par3 "$CTX"
	assert_success
	[[ "$output" != *"side by side"* ]]
}

# nest DIR DEPTH NAME: DEPTH directories called NAME under DIR, a file
# "leaf" (content "deep") at the bottom; made level by level, since the
# whole path may be longer than PATH_MAX
nest() {
	python3 -c '
import os, sys
os.chdir(sys.argv[1])
for _ in range(int(sys.argv[2])):
    os.mkdir(sys.argv[3]); os.chdir(sys.argv[3])
open("leaf", "w").write("deep\n")' "$@"
}

# layer_list REF N: the names in layer N of the image REF
layer_list() {
	local m l
	m=$(store resolve "$1") || return 1
	l=$(jq -r ".layers[$2].digest" <"$DK_ROOT/images/blobs/sha256/${m#sha256:}")
	tar -tzf "$DK_ROOT/images/blobs/sha256/${l#sha256:}"
}

@test "COPY: 10,000 nested directories and 5,000-byte paths go in whole; a change at the bottom is seen" {
	mkdir "$CTX/deep" "$CTX/long"
	nest "$CTX/deep" 10000 d
	name=$(printf 'n%.0s' $(seq 255))
	nest "$CTX/long" 20 "$name"
	printf 'FROM scratch\nCOPY deep /x/\nCOPY long /y/\n' >"$CTX/Dockerfile"
	run bash -c "ulimit -n 512; buildfile -t me/nest '$CTX'"
	assert_success
	first=$(echo "$output" | tail -n1)
	layer_list me/nest 0 >"$BATS_TEST_TMPDIR/l0"
	layer_list me/nest 1 >"$BATS_TEST_TMPDIR/l1"
	assert_equal "$(grep -c '^x/\(d/\)*$' "$BATS_TEST_TMPDIR/l0")" 10001 # and x/ itself
	assert_equal "$(grep -c '^x/\(d/\)\{10000\}leaf$' "$BATS_TEST_TMPDIR/l0")" 1
	leaf=$(grep 'leaf$' "$BATS_TEST_TMPDIR/l1")
	[ "${#leaf}" -eq $((2 + 20 * 256 + 4)) ]
	# cached whole; a changed file 10,000 levels down invalidates the copy
	run buildfile -t me/nest "$CTX"
	assert_success
	assert_equal "$(echo "$output" | grep -c 'Using cache')" 2
	python3 -c '
import os, sys
os.chdir(sys.argv[1])
for _ in range(10000):
    os.chdir("d")
open("leaf", "w").write("changed\n")' "$CTX/deep"
	run buildfile -t me/nest "$CTX"
	assert_success
	assert_equal "$(echo "$output" | grep -c 'Using cache')" 0
	[ "$(echo "$output" | tail -n1)" != "$first" ]
	run store check
	assert_success
}
