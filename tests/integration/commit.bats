#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# commit: layer tar -> new image; read back with skopeo and umoci.

load helpers
load helpers-commit

setup() {
	dk_common_setup
	import_busybox
	SRC=$BATS_TEST_TMPDIR/src
	mkdir -p "$SRC/hello"
	echo "hi there" >"$SRC/hello/world"
	layer_tar "$SRC" "$BATS_TEST_TMPDIR/l.tar"
	L=$BATS_TEST_TMPDIR/l.tar
}

@test "commit: --help, --version, usage errors" {
	run commit --help
	assert_success
	assert_output_contains "Usage: commit"
	run commit --version
	assert_success
	assert_output_contains "commit version"
	run commit --tag x "$L"
	assert_failure 2
	assert_output_contains "--base and --tag are required"
	run commit --base busybox --tag x --compress lzma "$L"
	assert_failure 2
	assert_output_contains "--compress lzma"
	run commit --base busybox --tag x --level 42 "$L"
	assert_failure 2
	assert_output_contains "out of range 1-9"
	run commit --base busybox --tag x --level -3 "$L"
	assert_failure 2
	assert_output_contains "--level -3: not a valid level"
	for j in 0 65 two; do
		run commit --base busybox --tag x -j "$j" "$L"
		assert_failure 2
		assert_output_contains "--threads $j: want a number from 1 to 64"
	done
	run commit --base busybox --tag 'bad name' "$L"
	assert_failure 2
	assert_output_contains "--tag bad name"
	run commit --base busybox --tag "x@sha256:$(printf '%064d' 0)" "$L"
	assert_failure 2
	assert_output_contains "cannot contain a digest"
	run commit --base busybox --tag x --timestamp yesterday "$L"
	assert_failure 2
	assert_output_contains 'timestamp "yesterday"'
}

@test "commit: a layer on busybox; skopeo and umoci read the new image" {
	run commit --base busybox --tag me/hello:v1 -m "add hello" --author "A U Thor" "$L"
	assert_success
	digest=$output
	[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]
	# tagged under the full normalised reference
	run jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$DK_ROOT/images/index.json"
	assert_output_contains "docker.io/me/hello:v1"
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/me/hello:v1"
	assert_success
	assert_equal "$(echo "$output" | jq -r .Digest)" "$digest"
	assert_equal "$(echo "$output" | jq '.Layers | length')" 2
	config_of docker.io/me/hello:v1 >"$BATS_TEST_TMPDIR/c.json"
	assert_equal "$(jq -r '.history[-1].comment' "$BATS_TEST_TMPDIR/c.json")" "add hello"
	assert_equal "$(jq -r '.history[-1].author' "$BATS_TEST_TMPDIR/c.json")" "A U Thor"
	assert_equal "$(jq -r '.author' "$BATS_TEST_TMPDIR/c.json")" "A U Thor"
	assert_equal "$(jq -r '.history[-1].empty_layer // false' "$BATS_TEST_TMPDIR/c.json")" false
	# diff_id is the sha256 of the uncompressed tar
	assert_equal "$(jq -r '.rootfs.diff_ids[-1]' "$BATS_TEST_TMPDIR/c.json")" \
		"sha256:$(sha256sum "$L" | cut -d' ' -f1)"
	# the base config survives (Cmd, Env)
	assert_equal "$(jq -c .config.Cmd "$BATS_TEST_TMPDIR/c.json")" '["sh"]'
	run umoci ls --layout "$DK_ROOT/images"
	assert_output_contains "docker.io/me/hello:v1"
	umoci unpack --image "$DK_ROOT/images:docker.io/me/hello:v1" "$BATS_TEST_TMPDIR/b" >/dev/null
	assert_equal "$(cat "$BATS_TEST_TMPDIR/b/rootfs/hello/world")" "hi there"
	[ -x "$BATS_TEST_TMPDIR/b/rootfs/bin/busybox" ]
	store_consistent
}

@test "commit: from a pipe; the blob is gzip with mtime 0 and no name" {
	run bash -c "cat '$L' | commit --base busybox --tag piped -"
	assert_success
	layer=$(skopeo inspect "oci:$DK_ROOT/images:docker.io/library/piped:latest" | jq -r '.Layers[-1]')
	blob=$DK_ROOT/images/blobs/sha256/${layer#sha256:}
	gzip -t "$blob"
	# header: magic, CM 8, FLG 0 (no name), MTIME 0
	assert_equal "$(head -c 8 "$blob" | od -An -tx1 | tr -d ' ')" 1f8b080000000000
	assert_equal "$(gzip -dc "$blob" | sha256sum)" "$(sha256sum <"$L")"
}

@test "commit: reproducible with --timestamp and SOURCE_DATE_EPOCH" {
	a=$(commit --base busybox --tag r:1 --timestamp 1700000000 -m m "$L")
	b=$(commit --base busybox --tag r:2 --timestamp 2023-11-14T22:13:20Z -m m "$L")
	c=$(SOURCE_DATE_EPOCH=1700000000 commit --base busybox --tag r:3 -m m <"$L")
	assert_equal "$a" "$b"
	assert_equal "$a" "$c"
	d=$(commit --base busybox --tag r:4 --timestamp 1700000001 -m m "$L")
	[ "$d" != "$a" ]
	assert_equal "$(config_of docker.io/library/r:1 | jq -r .created)" 2023-11-14T22:13:20Z
	for m in zstd none; do
		x=$(commit --base busybox --tag "z:$m" --compress "$m" --timestamp 5 "$L")
		y=$(commit --base busybox --tag "z2:$m" --compress "$m" --timestamp 5 "$L")
		assert_equal "$x" "$y"
	done
}

@test "commit: -j1 and -jN write the same bytes; gzip, skopeo and umoci read them" {
	# 4.7 MB of text and 3 MB of random data: eight 1 MiB gzip members
	for i in $(seq 1 8); do
		seq "$i" 100000 >"$SRC/hello/text$i"
	done
	head -c 3000000 /dev/urandom >"$SRC/hello/random"
	layer_tar "$SRC" "$BATS_TEST_TMPDIR/m.tar"
	M=$BATS_TEST_TMPDIR/m.tar
	for m in gzip zstd; do
		a=$(commit --base busybox --tag "j1:$m" --compress "$m" -j 1 --timestamp 5 "$M")
		b=$(commit --base busybox --tag "j2:$m" --compress "$m" --threads 2 --timestamp 5 "$M")
		c=$(commit --base busybox --tag "j7:$m" --compress "$m" -j 7 --timestamp 5 <"$M")
		[[ "$a" =~ ^sha256:[0-9a-f]{64}$ ]]
		assert_equal "$b" "$a"
		assert_equal "$c" "$a"
		[ "$m" != gzip ] || gz=$a
	done
	m=$(manifest_of docker.io/library/j7:gzip)
	blob=$DK_ROOT/images/blobs/sha256/$(echo "$m" | jq -r '.layers[-1].digest' | cut -d: -f2)
	gzip -t "$blob"
	assert_equal "$(gzip -dc "$blob" | sha256sum)" "$(sha256sum <"$M")"
	# smaller than the input: the text was compressed, the random data kept
	size=$(stat -c %s "$blob")
	[ "$size" -lt 4500000 ] && [ "$size" -gt 3000000 ]
	assert_equal "$(config_of docker.io/library/j7:gzip | jq -r '.rootfs.diff_ids[-1]')" \
		"sha256:$(sha256sum "$M" | cut -d' ' -f1)"
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/library/j7:gzip"
	assert_success
	assert_equal "$(echo "$output" | jq -r .Digest)" "$gz"
	umoci unpack --image "$DK_ROOT/images:docker.io/library/j7:gzip" "$BATS_TEST_TMPDIR/u" >/dev/null
	cmp "$BATS_TEST_TMPDIR/u/rootfs/hello/random" "$SRC/hello/random"
	cmp "$BATS_TEST_TMPDIR/u/rootfs/hello/text8" "$SRC/hello/text8"
	# umoci reads no zstd layers: check that one with zstd itself
	m=$(manifest_of docker.io/library/j7:zstd)
	blob=$DK_ROOT/images/blobs/sha256/$(echo "$m" | jq -r '.layers[-1].digest' | cut -d: -f2)
	assert_equal "$(zstd -dc "$blob" | sha256sum)" "$(sha256sum <"$M")"
	store_consistent
}

@test "commit --require-layer: empty input (a producer that failed first) leaves no image" {
	run commit --base busybox --tag nolayer --require-layer </dev/null
	assert_failure 1
	assert_output_contains "no input (did the producer fail?)"
	run store resolve nolayer
	assert_failure
	# dk commit passes it: a diff that fails before writing a byte (here
	# its snapshot is gone) no longer gives an image of the old config
	run bash -c 'snapshot diff no-such-snapshot | commit --require-layer --base busybox --tag nolayer2'
	assert_failure 1
	run store resolve nolayer2
	assert_failure
}

@test "commit: --change only adds an empty_layer history entry and config" {
	run commit --base busybox --tag cfg --timestamp 0 \
		--change 'CMD ["echo", "hi"]' --change 'ENV A=1 B="two words"' \
		--change 'ENV LEGACY some value' --change 'EXPOSE 80 53/udp' \
		--change 'LABEL org.example=yes' --change 'WORKDIR /srv' \
		--change 'USER nobody' --change 'VOLUME /data' \
		--change 'STOPSIGNAL SIGINT' --change 'ONBUILD RUN make' </dev/null
	assert_success
	config_of docker.io/library/cfg:latest >"$BATS_TEST_TMPDIR/c.json"
	c=$BATS_TEST_TMPDIR/c.json
	assert_equal "$(jq '.rootfs.diff_ids | length' "$c")" 1
	assert_equal "$(jq '.history[-1].empty_layer' "$c")" true
	assert_equal "$(jq -c .config.Cmd "$c")" '["echo","hi"]'
	assert_equal "$(jq -c '.config.Env[1:]' "$c")" '["A=1","B=two words","LEGACY=some value"]'
	assert_equal "$(jq -c '.config.ExposedPorts | keys' "$c")" '["53/udp","80/tcp"]'
	assert_equal "$(jq -r '.config.Labels["org.example"]' "$c")" yes
	assert_equal "$(jq -r .config.WorkingDir "$c")" /srv
	assert_equal "$(jq -r .config.User "$c")" nobody
	assert_equal "$(jq -c '.config.Volumes | keys' "$c")" '["/data"]'
	assert_equal "$(jq -r .config.StopSignal "$c")" SIGINT
	assert_equal "$(jq -c .config.OnBuild "$c")" '["RUN make"]'
	run skopeo inspect "oci:$DK_ROOT/images:docker.io/library/cfg:latest"
	assert_equal "$(echo "$output" | jq '.Layers | length')" 1
}

@test "commit: layer and --change together; ENTRYPOINT clears the inherited CMD" {
	run commit --base busybox --tag both --change 'ENTRYPOINT ["/bin/sh", "-c"]' "$L"
	assert_success
	c=$(config_of docker.io/library/both:latest)
	assert_equal "$(echo "$c" | jq -c .config.Entrypoint)" '["/bin/sh","-c"]'
	assert_equal "$(echo "$c" | jq -c .config.Cmd)" null
	assert_equal "$(echo "$c" | jq '.rootfs.diff_ids | length')" 2
	assert_equal "$(echo "$c" | jq '.history[-1].empty_layer // false')" false
}

@test "commit: zstd and uncompressed layers get their OCI media types" {
	commit --base busybox --tag zs --compress zstd --level 19 "$L" >/dev/null
	m=$(skopeo inspect --raw "oci:$DK_ROOT/images:docker.io/library/zs:latest")
	assert_equal "$(echo "$m" | jq -r '.layers[-1].mediaType')" application/vnd.oci.image.layer.v1.tar+zstd
	blob=$DK_ROOT/images/blobs/sha256/$(echo "$m" | jq -r '.layers[-1].digest' | cut -d: -f2)
	assert_equal "$(zstd -dc "$blob" | sha256sum)" "$(sha256sum <"$L")"
	commit --base busybox --tag plain --compress none "$L" >/dev/null
	m=$(skopeo inspect --raw "oci:$DK_ROOT/images:docker.io/library/plain:latest")
	assert_equal "$(echo "$m" | jq -r '.layers[-1].mediaType')" application/vnd.oci.image.layer.v1.tar
	umoci unpack --image "$DK_ROOT/images:docker.io/library/plain:latest" "$BATS_TEST_TMPDIR/b" >/dev/null
	[ -f "$BATS_TEST_TMPDIR/b/rootfs/hello/world" ]
}

@test "commit: a Docker schema2 base gives a Docker schema2 image" {
	import_busybox_docker docker.io/library/dockerbase:latest
	commit --base dockerbase --tag fromdocker "$L" >/dev/null
	m=$(manifest_of docker.io/library/fromdocker:latest)
	assert_equal "$(echo "$m" | jq -r .mediaType)" application/vnd.docker.distribution.manifest.v2+json
	assert_equal "$(echo "$m" | jq -r .config.mediaType)" application/vnd.docker.container.image.v1+json
	assert_equal "$(echo "$m" | jq -r '.layers[-1].mediaType')" application/vnd.docker.image.rootfs.diff.tar.gzip
	run commit --base dockerbase --tag z --compress zstd "$L"
	assert_failure 1
	assert_output_contains "Docker schema2 image, which has no zstd layer type"
}

@test "commit: bad input fails clearly and writes nothing" {
	before=$(blob_count)
	head -c 3000 /dev/urandom >"$BATS_TEST_TMPDIR/junk"
	run commit --base busybox --tag bad "$BATS_TEST_TMPDIR/junk"
	assert_failure 1
	assert_output_contains "layer $BATS_TEST_TMPDIR/junk: tar header at offset 0: not a tar archive: bad header checksum"
	head -c 1200 "$L" >"$BATS_TEST_TMPDIR/trunc.tar"
	run commit --base busybox --tag bad "$BATS_TEST_TMPDIR/trunc.tar"
	assert_failure 1
	assert_output_contains "truncated tar archive"
	# cut between two entries, as a producer killed there leaves it
	printf x >"$BATS_TEST_TMPDIR/f"
	tar -C "$BATS_TEST_TMPDIR" --format=pax -cf "$BATS_TEST_TMPDIR/one.tar" f
	entry_end=$(python3 -c 'import tarfile,sys; t=tarfile.open(sys.argv[1]); m=t.getmembers()[-1]; print(m.offset_data + ((m.size + 511)//512)*512)' "$BATS_TEST_TMPDIR/one.tar")
	head -c "$entry_end" "$BATS_TEST_TMPDIR/one.tar" >"$BATS_TEST_TMPDIR/cut.tar"
	run commit --base busybox --tag bad "$BATS_TEST_TMPDIR/cut.tar"
	assert_failure 1
	assert_output_contains "no end-of-archive marker"
	run bash -c "cat '$BATS_TEST_TMPDIR/cut.tar' | commit --base busybox --tag bad"
	assert_failure 1
	assert_output_contains "did the producer fail?"
	[ "$(blob_count)" = "$before" ]
	run bash -c "gzip -c '$L' | commit --base busybox --tag bad"
	assert_failure 1
	assert_output_contains "input is compressed"
	run commit --base nosuch/image --tag bad "$L"
	assert_failure 1
	assert_output_contains "--base: no such image: nosuch/image"
	run commit --base busybox --tag bad --change 'FROBNICATE x' "$L"
	assert_failure 2
	assert_output_contains "unknown instruction \"FROBNICATE\""
	run commit --base busybox --tag bad --change 'RUN rm -rf /' "$L"
	assert_failure 2
	assert_output_contains "RUN is not allowed"
	run commit --base busybox --tag bad --change 'ENV novalue' "$L"
	assert_failure 2
	assert_output_contains 'missing value for "novalue"'
	run commit --base busybox --tag bad --change 'EXPOSE 99999' "$L"
	assert_failure 1
	assert_output_contains '"99999": not a port'
	run commit --base busybox --tag bad "$BATS_TEST_TMPDIR/missing.tar"
	assert_failure 1
	assert_output_contains "missing.tar: No such file or directory"
	assert_equal "$(blob_count)" "$before"
	run jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$DK_ROOT/images/index.json"
	[[ "$output" != *bad* ]]
	store_consistent
}

@test "commit: --root instead of DK_ROOT" {
	root=$DK_ROOT
	run env -u DK_ROOT commit --root "$root" --base busybox --tag viaroot "$L"
	assert_success
	skopeo inspect "oci:$root/images:docker.io/library/viaroot:latest" >/dev/null
}

@test "commit: SIGKILL at random points leaves the store consistent" {
	head -c 4000000 /dev/urandom >"$SRC/hello/big"
	layer_tar "$SRC" "$BATS_TEST_TMPDIR/big.tar"
	for i in $(seq 1 8); do
		commit --base busybox --tag "k:$i" --level 9 "$BATS_TEST_TMPDIR/big.tar" >/dev/null &
		pid=$!
		sleep "0.0$((RANDOM % 9))"
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		store_consistent
	done
	# what a finished commit wrote is complete; the next commit works
	run commit --base busybox --tag k:last "$L"
	assert_success
	store_consistent
}

@test "commit: GNU and pax tars with long names and xattrs" {
	long=$SRC/$(printf 'd%.0s' $(seq 1 120))/$(printf 'e%.0s' $(seq 1 120))
	mkdir -p "$long"
	echo deep >"$long/$(printf 'f%.0s' $(seq 1 150))"
	setfattr -n user.k -v v "$SRC/hello/world"
	tar -C "$SRC" --format=gnu -cf "$BATS_TEST_TMPDIR/gnu.tar" .
	tar -C "$SRC" --format=pax --xattrs -cf "$BATS_TEST_TMPDIR/pax.tar" .
	for f in gnu pax; do
		run commit --base busybox --tag "long:$f" "$BATS_TEST_TMPDIR/$f.tar"
		assert_success
		umoci unpack --image "$DK_ROOT/images:docker.io/library/long:$f" "$BATS_TEST_TMPDIR/u$f" >/dev/null
		assert_equal "$(cat "$BATS_TEST_TMPDIR/u$f/rootfs/${long#"$SRC"/}/$(printf 'f%.0s' $(seq 1 150))")" deep
	done
	assert_equal "$(getfattr -n user.k --only-values "$BATS_TEST_TMPDIR/upax/rootfs/hello/world")" v
}
