#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# dk volume and volumes in dk run: named and anonymous volumes, filled from
# the image on first use, kept across `rm` (unless -v for anonymous ones),
# docker's "volume is in use" refusal.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	dk_busybox_setup
}

teardown() {
	dk_remove_containers
}

@test "volume create, ls, inspect, rm" {
	run dk volume create --label team=a "$N-v"
	assert_success
	assert_equal "$output" "$N-v"
	run dk volume ls
	assert_success
	assert_equal "$(echo "$output" | head -1)" "DRIVER    VOLUME NAME"
	assert_output_contains "local     $N-v"
	run dk volume inspect "$N-v"
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].Name')" "$N-v"
	assert_equal "$(echo "$output" | jq -r '.[0].Driver')" "local"
	assert_equal "$(echo "$output" | jq -r '.[0].Labels.team')" "a"
	assert_equal "$(echo "$output" | jq -r '.[0].Mountpoint')" "$DK_ROOT/volumes/$N-v/_data"
	[ -d "$DK_ROOT/volumes/$N-v/_data" ]
	run dk volume rm "$N-v"
	assert_success
	assert_equal "$(dk volume ls -q | wc -l)" "0"
	run dk volume inspect "$N-v"
	assert_failure 1
	assert_output_contains "no such volume"
	run dk volume rm "$N-v"
	assert_failure 1
	run dk volume create 'bad/name'
	assert_failure 125
	# names never lead out of $DK_ROOT/volumes
	mkdir -p "$DK_ROOT/victim/_data"
	run dk volume rm ../victim
	assert_failure 1
	assert_output_contains "no such volume"
	[ -d "$DK_ROOT/victim/_data" ]
	run dk volume inspect ../victim
	assert_failure 1
	# create with no name: a random one
	run dk volume create
	assert_success
	assert_equal "${#output}" "64"
}

@test "a named volume is filled from the image on first use and survives rm" {
	dk run --name "$N" -v "$N-etc:/etc" busybox sh -c 'ls /etc; echo mine >/etc/added'
	[ -f "$DK_ROOT/volumes/$N-etc/_data/passwd" ]
	run dk run --rm -v "$N-etc:/data" busybox sh -c 'cat /data/added; head -1 /data/passwd'
	assert_success
	assert_equal "$output" "mine
root:x:0:0:root:/root:/bin/sh"
	dk rm -v "$N" # -v removes anonymous volumes only
	run dk volume ls -q
	assert_equal "$output" "$N-etc"
	# a volume that has data is not filled again
	run -127 dk run --rm -v "$N-etc:/bin" busybox true
	assert_failure 127 # /bin is the volume, without the image's busybox
	# volume-nocopy: an empty volume stays empty
	dk run --rm --mount "type=volume,src=$N-nocopy,dst=/etc,volume-nocopy" busybox true
	# (only the mount points of /etc/hosts, hostname, resolv.conf, as docker)
	[ ! -e "$DK_ROOT/volumes/$N-nocopy/_data/passwd" ]
	[ ! -e "$DK_ROOT/volumes/$N-nocopy/_data/group" ]
}

@test "volume rm of a volume in use fails with docker's message" {
	dk create --name "$N" -v "$N-used:/data" busybox true
	id=$(dk inspect "$N" | jq -r '.[0].Id')
	run dk volume rm "$N-used"
	assert_failure 1
	assert_output_contains "Error response from daemon: remove $N-used: volume is in use - [$id]"
	[ -d "$DK_ROOT/volumes/$N-used/_data" ]
	dk rm "$N"
	run dk volume rm "$N-used"
	assert_success
	[ ! -e "$DK_ROOT/volumes/$N-used" ]
}

@test "anonymous volumes: kept by rm, removed by rm -v and by --rm" {
	dk run --name "$N" -v /anon busybox sh -c 'echo x >/anon/f'
	run dk inspect "$N"
	name=$(echo "$output" | jq -r '.[0].Mounts[0].Name')
	assert_equal "${#name}" "64"
	assert_equal "$(echo "$output" | jq -c '[.[0].Config.Volumes, .[0].HostConfig.Binds]')" \
		'[{"/anon":{}},null]'
	assert_equal "$(cat "$DK_ROOT/volumes/$name/_data/f")" "x"
	dk rm "$N"
	[ -d "$DK_ROOT/volumes/$name" ]
	dk volume rm "$name"
	dk run --name "$N-v" -v /anon busybox true
	name=$(dk inspect "$N-v" | jq -r '.[0].Mounts[0].Name')
	[ -d "$DK_ROOT/volumes/$name" ]
	dk rm -v "$N-v"
	[ ! -e "$DK_ROOT/volumes/$name" ]
	dk run --rm -v /anon -v "$N-keep:/keep" busybox true
	for _ in $(seq 50); do
		[ "$(dk ps -aq | wc -l)" = 0 ] && break
		sleep 0.1
	done
	run dk volume ls -q
	assert_equal "$output" "$N-keep"
}

@test "volume prune removes unused anonymous volumes; -a every unused one" {
	dk volume create "$N-named"
	dk run --name "$N" -v /anon busybox true
	dk rm "$N"
	dk create --name "$N-busy" -v "$N-busy:/x" -v /busyanon busybox true
	assert_equal "$(dk volume ls -q | wc -l)" "4"
	run dk volume prune
	assert_failure 125
	run dk volume prune -f
	assert_success
	assert_equal "$(dk volume ls -q | wc -l)" "3"
	run dk volume prune -f -a
	assert_success
	assert_equal "$(dk volume ls -q | sort | tr '\n' ' ')" \
		"$(echo "$N-busy" "$(dk inspect "$N-busy" | jq -r '.[0].Mounts[1].Name')" | tr ' ' '\n' | sort | tr '\n' ' ')"
}

@test "--volumes-from C[:ro]: docker's backup recipe; its own mounts win; rm -v keeps C's volume" {
	mkdir -p "$BATS_TEST_TMPDIR/backup" "$BATS_TEST_TMPDIR/hostdir"
	echo host >"$BATS_TEST_TMPDIR/hostdir/h"
	dk run --name "$N-db" -v /dbdata -v "$N-named:/named" -v "$BATS_TEST_TMPDIR/hostdir:/hostdir" \
		--tmpfs /scratch busybox sh -c 'echo rows >/dbdata/table; echo n >/named/f'
	# C's tmpfs is its own: not taken
	run dk run --rm --volumes-from "$N-db" -v "$BATS_TEST_TMPDIR/backup:/backup" busybox \
		sh -c 'tar cf /backup/backup.tar -C / dbdata named hostdir; grep -c " /scratch " /proc/self/mountinfo'
	assert_equal "$output" "0"
	assert_equal "$(tar tf "$BATS_TEST_TMPDIR/backup/backup.tar" | sort | tr '\n' ' ')" \
		"dbdata/ dbdata/table hostdir/ hostdir/h named/ named/f "
	# :ro makes every taken mount read-only
	run dk run --rm --volumes-from "$N-db:ro" busybox sh -c 'cat /dbdata/table; echo x >/dbdata/new'
	assert_failure
	assert_output_contains "rows"
	assert_output_contains "Read-only file system"
	# a target mounted by the container itself keeps its own mount
	run dk run --rm --volumes-from "$N-db" -v "$N-other:/named" busybox sh -c 'ls /named | wc -l'
	assert_equal "$output" "0"
	dk create --name "$N-c" --volumes-from "$N-db" busybox true
	assert_equal "$(dk inspect "$N-c" | jq -c '.[0].HostConfig.VolumesFrom')" "[\"$N-db\"]"
	dk rm -v "$N-c"
	anon=$(dk inspect "$N-db" | jq -r '.[0].Mounts[] | select(.Destination == "/dbdata") | .Name')
	[ -d "$DK_ROOT/volumes/$anon" ]
	run dk run --rm --volumes-from "$N-missing" busybox true
	assert_failure 125
	assert_output_contains "No such container: $N-missing"
	run dk run --rm --volumes-from "$N-db:rx" busybox true
	assert_failure 125
	assert_output_contains "want CONTAINER[:ro|:rw]"
}

@test "volume ls -q -f dangling|name|label|driver, as docker's cleanup scripts use it" {
	dk volume create --label team=dk --label tier=db "$N-a" >/dev/null
	dk volume create "$N-b" >/dev/null
	dk run -d --name "$N" -v "$N-a:/a" busybox sleep 1000
	assert_equal "$(dk volume ls -q -f dangling=true | grep -c "^$N-")" "1"
	assert_equal "$(dk volume ls -qf dangling=true | grep "^$N-")" "$N-b"
	assert_equal "$(dk volume ls -q --filter dangling=false | grep "^$N-")" "$N-a"
	assert_equal "$(dk volume ls -q -f "name=$N-" | tr '\n' ' ')" "$N-a $N-b "
	assert_equal "$(dk volume ls -q -f label=team)" "$N-a"
	assert_equal "$(dk volume ls -q -f label=team=dk -f label=nope)" "$N-a"
	assert_equal "$(dk volume ls -q -f label=team=other)" ""
	assert_equal "$(dk volume ls -q -f driver=local -f "name=$N-b")" "$N-b"
	run dk volume ls -f "name=$N-b"
	assert_equal "$output" "DRIVER    VOLUME NAME
local     $N-b"
	assert_equal "$(dk volume ls --format json -f "name=$N-b" | jq -r .Name)" "$N-b"
	assert_equal "$(dk volume ls --format '{{.Name}} {{.Labels}}' -f label=team)" \
		"$N-a team=dk,tier=db"
	assert_equal "$(dk volume ls --format 'table {{.Name}}\t{{.Driver}}' -f "name=$N-b")" \
		"VOLUME NAME	DRIVER
$N-b	local"
	run dk volume ls --format '{{.Name'
	assert_failure 1
	assert_output_contains "template parsing error"
	# docker's cleanup idiom
	dk volume rm $(dk volume ls -qf dangling=true -f "name=$N-") >/dev/null
	assert_equal "$(dk volume ls -q -f "name=$N-")" "$N-a"
	run dk volume ls -f color=red
	assert_failure 1
	assert_output_contains "invalid filter 'color'"
	run dk volume ls -f dangling=maybe
	assert_failure 125
	run dk volume ls -f dangling
	assert_failure 125
	run dk volume ls extra
	assert_failure 125
}

@test "volume inspect -f: Go templates, --format json, bad templates" {
	dk volume create --label team=a --label b=2 "$N-v" >/dev/null
	dk volume create "$N-w" >/dev/null
	run dk volume inspect -f '{{.Name}} {{.Driver}} {{.Scope}} {{index .Labels "team"}} {{json .Labels}}' "$N-v"
	assert_success
	assert_equal "$output" "$N-v local local a {\"b\":\"2\",\"team\":\"a\"}"
	run dk volume inspect --format '{{.Mountpoint}}' "$N-v" "$N-w"
	assert_success
	assert_equal "$output" "$DK_ROOT/volumes/$N-v/_data
$DK_ROOT/volumes/$N-w/_data"
	run dk volume inspect --format json "$N-v"
	assert_success
	assert_equal "$(echo "$output" | jq -r '.Labels.team')" "a"
	assert_equal "$(echo "$output" | wc -l)" "1"
	run dk inspect --type volume -f '{{range $k, $v := .Labels}}{{$k}}={{$v}} {{end}}' "$N-v"
	assert_success
	assert_equal "$output" "b=2 team=a "
	run dk volume inspect -f '{{.Name' "$N-v"
	assert_failure 1
	assert_equal "$output" "template parsing error: template: :1: unclosed action"
	run dk volume inspect -f '{{.Name.Foo}}' "$N-v"
	assert_failure 1
	assert_output_contains "can't evaluate field Foo in type string"
	run dk volume inspect -f '{{lowercase .Name}}' "$N-v"
	assert_failure 1
	assert_output_contains 'function "lowercase" not defined'
}
