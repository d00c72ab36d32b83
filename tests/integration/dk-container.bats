#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# dk's container commands (the container and monitor tools), run by dash:
# lifecycle, docker's flag spelling and statuses, crash safety, concurrency.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	dk_busybox_setup
	# names unique to this run: other suites may run containers too
	N="t$$-${BATS_TEST_NUMBER}"
}

teardown() {
	dk_remove_containers
}

# nothing of any container left: records, names, runtime state, mounts,
# processes
assert_nothing_left() {
	assert_equal "$(dk ps -aq | wc -l)" "0"
	assert_equal "$(ls "$DK_ROOT/containers" | grep -v '^names$' | wc -l)" "0"
	assert_equal "$(ls "$DK_ROOT/containers/names" 2>/dev/null | wc -l)" "0"
	assert_equal "$(ls "$DK_ROOT/run" 2>/dev/null | wc -l)" "0"
	assert_equal "$(ls "$DK_ROOT/snapshots" 2>/dev/null | wc -l)" "0"
	assert_equal "$(grep -c " $DK_ROOT/" /proc/self/mountinfo)" "0"
	assert_equal "$(pgrep -f "monitor --root $DK_ROOT" | wc -l)" "0"
	# cgroups: the suite's cgroup namespace starts at our own cgroup
	assert_equal "$(find /sys/fs/cgroup/ -mindepth 2 -maxdepth 2 -type d \
		-regextype egrep -regex '.*/[0-9a-f]{64}' | wc -l)" "0"
}

@test "docker's flag spelling: -dit, -itd, -e=, --name=, --" {
	run dk run -itd --name="$N-a" -e=A=1 -e 'B=b c' busybox sh
	assert_success
	run dk exec "$N-a" sh -c 'echo "$A/$B"'
	assert_success
	assert_equal "$output" "1/b c"
	run dk run -dit --name "$N-b" busybox sh
	assert_success
	run dk run -d -it --name "$N-c" busybox sh
	assert_success
	run dk inspect "$N-c"
	assert_equal "$(echo "$output" | jq -r '.[0].Config.Tty')" "true"
	assert_equal "$(echo "$output" | jq -r '.[0].Config.OpenStdin')" "true"
	# after the image, options belong to the container's command
	run dk run --rm busybox echo -d --name=x -- -e
	assert_success
	assert_equal "$output" "-d --name=x -- -e"
	run dk run --rm -- busybox echo ok
	assert_equal "$output" "ok"
}

@test "exec keeps arguments whole: -e 'A=b c' -w '/a b'" {
	dk run -d --name "$N" busybox sleep 100
	dk exec "$N" mkdir "/a b"
	run dk exec -e 'A=b c' -w '/a b' "$N" sh -c 'echo "$A"; pwd'
	assert_success
	assert_equal "$output" "b c
/a b"
	# --env-file (K alone: from here); --privileged: every capability
	printf 'F1=from file\nFROM_HERE\n' >"$BATS_TEST_TMPDIR/env"
	FROM_HERE=here run dk exec --env-file "$BATS_TEST_TMPDIR/env" "$N" sh -c 'echo "$F1/$FROM_HERE"'
	assert_equal "$output" "from file/here"
	run dk exec "$N" sh -c 'grep CapEff /proc/self/status'
	assert_equal "$output" "CapEff:	00000000a80425fb"
	# every capability this machine's root has (its bounding set)
	run dk exec --privileged "$N" sh -c 'grep CapEff /proc/self/status'
	assert_equal "$output" "CapEff:	$(awk '/^CapBnd/ {print $2}' /proc/self/status)"
	run dk exec --env-file "$BATS_TEST_TMPDIR/none" "$N" true
	assert_failure 125
	# docker's status for what the runtime cannot exec in a container
	run dk exec "$N" /no/such
	assert_failure 126
	run dk exec -w /nowhere "$N" true
	assert_failure 126
	dk stop -t 0 "$N"
	run dk exec "$N" true
	assert_failure 1
	assert_output_contains "is not running"
}

@test "create, start -a, restart, pause/unpause, rename, wait" {
	run dk create --name "$N" busybox sh -c 'echo run; exit 7'
	assert_success
	id=$output
	[ "${#id}" -eq 64 ]
	run dk ps -a --format '{{.Names}} {{.Status}}'
	assert_equal "$output" "$N Created"
	run dk start -a "$N"
	assert_failure 7
	assert_equal "$output" "run"
	run dk ps -a --filter "name=$N" --format '{{.Status}}'
	[[ "$output" == "Exited (7) "*" ago" ]]
	run dk rename "$N" "$N-new"
	assert_success
	run dk inspect "$N-new"
	assert_equal "$(echo "$output" | jq -r '.[0].Name')" "/$N-new"
	run dk inspect "$N"
	assert_failure 1
	dk run -d --name "$N-p" busybox sleep 100
	run dk pause "$N-p"
	assert_success
	run dk ps --format '{{.Status}}' --filter "name=$N-p"
	[[ "$output" == Up*"(Paused)" ]]
	assert_equal "$(dk inspect "$N-p" | jq -r '.[0].State.Paused')" "true"
	run dk unpause "$N-p"
	assert_success
	pid1=$(dk inspect "$N-p" | jq -r '.[0].State.Pid')
	run dk restart -t 0 "$N-p"
	assert_success
	pid2=$(dk inspect "$N-p" | jq -r '.[0].State.Pid')
	[ "$pid1" != "$pid2" ]
	assert_equal "$(dk inspect "$N-p" | jq -r '.[0].State.Running')" "true"
	dk run -d --name "$N-w" busybox sh -c 'sleep 0.3; exit 5'
	run dk wait "$N-w"
	assert_success
	assert_equal "$output" "5"
}

@test "stop -t, kill -s, docker's STATUS text and exit codes" {
	dk run -d --name "$N" busybox sh -c 'trap "exit 3" TERM; while :; do sleep 0.1; done'
	run dk ps --format '{{.Status}}'
	[[ "$output" == "Up "* ]]
	run dk stop -t 5 "$N"
	assert_success
	assert_equal "$output" "$N"
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.ExitCode')" "3"
	# a process that ignores TERM is killed after -t
	dk run -d --name "$N-i" busybox sleep 100
	start=$(date +%s%N)
	dk stop -t 1 "$N-i"
	el=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$el" -ge 900 ] && [ "$el" -lt 5000 ]
	run dk ps -a --filter "name=$N-i" --format '{{.Status}}'
	[[ "$output" == "Exited (137) "* ]]
	dk run -d --name "$N-k" busybox sh -c 'trap "exit 9" USR1; while :; do sleep 0.1; done'
	run dk kill -s USR1 "$N-k"
	assert_success
	run dk wait "$N-k"
	assert_equal "$output" "9"
	run dk kill "$N-k"
	assert_failure 1
	assert_output_contains "is not running"
	run dk kill -s NOSUCH "$N-k"
	assert_failure 125
}

@test "logs: json-file, -f, --tail, -t, stderr kept apart" {
	dk run -d --name "$N" busybox sh -c 'echo one; echo two >&2; sleep 0.5; echo three'
	run dk logs -f "$N"
	assert_success
	assert_equal "$output" "one
two
three"
	assert_equal "$(dk logs "$N" 2>/dev/null)" "one
three"
	run dk logs --tail 1 "$N"
	assert_equal "$output" "three"
	run dk logs --since 1h "$N"
	assert_equal "$(echo "$output" | wc -l)" "3"
	run dk logs --since 2099-01-01T00:00:00Z "$N"
	assert_equal "$output" ""
	run dk logs --since yesterday "$N"
	assert_failure 125
	# --until: entries written before it
	assert_equal "$(dk logs --until 2099-01-01T00:00:00Z "$N" 2>&1 | wc -l)" "3"
	assert_equal "$(dk logs --until 2000-01-01T00:00:00Z "$N" 2>&1)" ""
	t=$(jq -r 'select(.log == "three\n") | .time' "$(dk inspect "$N" | jq -r '.[0].LogPath')")
	assert_equal "$(dk logs --until "$t" "$N" 2>&1)" "one
two"
	run dk logs --until later "$N"
	assert_failure 125
	run dk logs -t --tail=1 "$N"
	[[ "$output" =~ ^20[0-9-]+T[0-9:.]+Z\ three$ ]]
	log=$(dk inspect "$N" | jq -r '.[0].LogPath')
	jq -s -e 'map(select(.stream == "stderr"))[0].log == "two\n"' "$log"
	# the foreground run is logged too
	dk run --name "$N-fg" busybox echo fg >/dev/null
	assert_equal "$(dk logs "$N-fg")" "fg"
}

@test "log rotation: --log-opt max-size, max-file" {
	dk run --name "$N" --log-opt max-size=2k --log-opt max-file=2 busybox \
		sh -c 'i=0; while [ $i -lt 200 ]; do echo line-$i; i=$((i+1)); done' >/dev/null
	d=$(dirname "$(dk inspect "$N" | jq -r '.[0].LogPath')")
	[ -f "$d/json.log.1" ]
	[ ! -e "$d/json.log.2" ]
	[ "$(stat -c %s "$d/json.log.1")" -ge 2048 ]
	run dk logs "$N"
	assert_output_contains "line-199"
	run dk run --log-opt max-size=lots busybox true
	assert_failure 125
	run dk run --log-opt mode=fast busybox true
	assert_failure 125
	assert_output_contains "not supported"
}

@test "-t keeps a terminal, attach detaches with ctrl-p ctrl-q and --detach-keys" {
	run dk run --rm -t busybox sh -c tty
	assert_success
	[[ "$output" == /dev/pts/* ]]
	dk run -dit --name "$N" busybox sh
	(sleep 0.5; printf 'echo at-$((40+2))\n'; sleep 0.5; printf '\020\021') | dk attach "$N" >"$BATS_TEST_TMPDIR/out"
	grep -q at-42 "$BATS_TEST_TMPDIR/out"
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.Running')" "true"
	(sleep 0.5; printf 'echo again\n'; sleep 0.5; printf 'xy') | dk attach --detach-keys=x,y "$N" >"$BATS_TEST_TMPDIR/out"
	grep -q again "$BATS_TEST_TMPDIR/out"
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.Running')" "true"
	echo 'echo piped' | dk run --rm -i busybox sh >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "piped"
}

@test "restart policies: on-failure:N, always, and stop wins" {
	dk run -d --name "$N" --restart on-failure:2 busybox sh -c 'exit 1'
	for _ in $(seq 100); do
		[ "$(dk inspect "$N" | jq -r '.[0].State.Status')" = exited ] && break
		sleep 0.1
	done
	assert_equal "$(dk inspect "$N" | jq -r '.[0].RestartCount')" "2"
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.ExitCode')" "1"
	dk run -d --name "$N-a" --restart always busybox sh -c 'sleep 0.2; exit 0'
	for _ in $(seq 50); do
		[ "$(dk inspect "$N-a" | jq -r '.[0].RestartCount')" -ge 1 ] && break
		sleep 0.1
	done
	[ "$(dk inspect "$N-a" | jq -r '.[0].RestartCount')" -ge 1 ]
	dk stop -t 0 "$N-a"
	sleep 0.5
	assert_equal "$(dk inspect "$N-a" | jq -r '.[0].State.Status')" "exited"
	run dk run --rm --restart always busybox true
	assert_failure 125
	run dk run --restart sometimes busybox true
	assert_failure 125
}

@test "kill -9 of the monitor, of dk, of the container's init: ps -a stays truthful, rm cleans" {
	id=$(dk run -d --name "$N-m" busybox sleep 100)
	kill -9 "$(jq .MonitorPid "$DK_ROOT/containers/$id/record.json")"
	run dk ps -a --filter "name=$N-m" --format '{{.Status}}'
	[[ "$output" == "Exited (137) "* ]]
	id=$(dk run -d --name "$N-i" busybox sleep 100)
	kill -9 "$(dk inspect "$N-i" | jq .[0].State.Pid)"
	run dk wait "$N-i"
	assert_equal "$output" "137"
	dash "$DK_BIN/dk" run --name "$N-d" busybox sh -c 'sleep 1; exit 4' &
	dkpid=$!
	sleep 0.5
	kill -9 "$dkpid"
	wait "$dkpid" || true
	run dk wait "$N-d"
	assert_equal "$output" "4"
	run dk ps -a --filter "name=$N-d" --format '{{.Status}}'
	[[ "$output" == "Exited (4) "* ]]
	dk rm -f "$N-m" "$N-i" "$N-d"
	assert_nothing_left
}

@test "container boot: after a crash or reboot, always and unless-stopped come back as docker's daemon restart" {
	for c in a:always b:unless-stopped c:unless-stopped d:always e:no; do
		dk run -d --restart "${c#*:}" --name "$N-${c%%:*}" busybox sleep 100 >/dev/null
	done
	dk stop -t 1 "$N-c" "$N-d" >/dev/null
	# the host goes down: every monitor and its container die
	for c in a b e; do
		kill -9 "$(dk inspect "$N-$c" | jq .[0].State.Pid)" \
			"$(jq .MonitorPid "$DK_ROOT/containers/$(dk inspect "$N-$c" | jq -r .[0].Id)/record.json")"
	done
	sleep 0.5
	assert_equal "$(dk ps --filter "name=$N-" -q | wc -l)" "0"
	run "$DK_BIN/container" --root "$DK_ROOT" boot
	assert_success
	assert_equal "$(echo "$output" | wc -l)" "3"
	assert_equal "$(dk ps --filter "name=$N-" --format '{{.Names}}' | sort | tr '\n' ' ')" \
		"$N-a $N-b $N-d "
	run "$DK_BIN/container" --root "$DK_ROOT" boot extra
	assert_failure 125
}

@test "20 concurrent named runs, 20 runs of one name: one wins, docker's conflict; rm -f leaves nothing" {
	pids=
	for i in $(seq 20); do
		dk run -d --name "$N-c$i" busybox sleep 100 >/dev/null 2>"$BATS_TEST_TMPDIR/c$i" &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p" || { cat "$BATS_TEST_TMPDIR"/c*; false; }; done
	pids=
	for i in $(seq 20); do
		(rc=0
		 dk run -d --name "$N-same" busybox sleep 100 >/dev/null 2>"$BATS_TEST_TMPDIR/err$i" || rc=$?
		 echo "$rc" >"$BATS_TEST_TMPDIR/rc$i") &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p"; done
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/rc* | grep -c '^0$')" "1"
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/rc* | grep -c '^125$')" "19"
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/err* | grep -c "The container name \"/$N-same\" is already in use")" "19"
	assert_equal "$(dk ps -q | wc -l)" "21"
	dk rm -f $(dk ps -aq) >/dev/null
	assert_nothing_left
}

@test "bad input: 125, a clear message, nothing left behind" {
	run dk run --bogus busybox true
	assert_failure 125
	assert_output_contains "unknown flag: --bogus"
	run dk run -z busybox true
	assert_failure 125
	assert_output_contains "unknown shorthand flag: 'z'"
	run dk run --pull never nosuch/image true
	assert_failure 125
	assert_output_contains "No such image: nosuch/image"
	run dk run --pull sometimes busybox true
	assert_failure 125
	run dk run --name "$N" busybox true
	assert_success
	run dk run --name "$N" busybox true
	assert_failure 125
	assert_output_contains "Conflict. The container name \"/$N\" is already in use"
	run -127 dk run --rm busybox /no/such/binary
	assert_failure 127
	run dk run --rm busybox /etc/passwd
	assert_failure 126
	run dk run busybox
	assert_success
	run dk run -u nosuchuser busybox true
	assert_failure 125
	assert_output_contains "nosuchuser"
	run dk run
	assert_failure 125
	run dk run --name ../../etc busybox true
	assert_failure 125
	assert_output_contains "Invalid container name"
	dk rm "$N" >/dev/null
	run dk rm nosuch
	assert_failure 1
	assert_output_contains "No such container: nosuch"
	for c in $(dk ps -aq); do dk rm "$c" >/dev/null; done
	assert_nothing_left
}

@test "run -d returns once the container runs; --rm removes it when it ends" {
	run dk run -d --rm --name "$N" busybox sh -c 'sleep 0.3'
	assert_success
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.Status')" "running"
	run dk wait "$N"
	sleep 0.3
	run dk ps -aq
	assert_equal "$output" ""
	assert_nothing_left
}

@test "inspect: docker's container shape; ps -q, --filter status, container prune" {
	dk run --name "$N" -e X=1 -w /tmp -h myhost busybox sh -c 'exit 2' || true
	run dk inspect "$N"
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].State.Status')" "exited"
	assert_equal "$(echo "$output" | jq -r '.[0].State.ExitCode')" "2"
	assert_equal "$(echo "$output" | jq -r '.[0].Config.Hostname')" "myhost"
	assert_equal "$(echo "$output" | jq -r '.[0].Config.WorkingDir')" "/tmp"
	assert_equal "$(echo "$output" | jq -r '.[0].Config.Env | index("X=1") != null')" "true"
	assert_equal "$(echo "$output" | jq -r '.[0].Path')" "sh"
	assert_equal "$(echo "$output" | jq -r '.[0].Args[0]')" "-c"
	assert_equal "$(echo "$output" | jq -r '.[0].State.FinishedAt | test("^20.*Z$")')" "true"
	dk run -d --name "$N-r" busybox sleep 100
	assert_equal "$(dk ps -q)" "$(dk inspect "$N-r" | jq -r '.[0].Id[:12]')"
	assert_equal "$(dk ps -a --filter status=exited --format '{{.Names}}')" "$N"
	run dk container prune -f
	assert_success
	assert_output_contains "$(dk inspect "$N-r" >/dev/null; echo)"
	assert_equal "$(dk ps -aq | wc -l)" "1"
	run dk ps --format '{{.Bogus}}'
	assert_failure 1
	dk exec "$N-r" sh -c 'head -c 5000 /dev/zero >/five'
	run dk ps -s --format '{{.Names}} {{.Size}}'
	assert_success
	[[ "$output" == "$N-r 5kB (virtual "*"MB)" ]]
	run dk ps -s
	assert_output_contains "SIZE"
}

@test "diff (A/C/D), cp both ways and confined, top, stats --no-stream" {
	dk run -d --name "$N" busybox sh -c 'echo hi >/new; rm /etc/group; mkdir /etc/dd; echo x >>/etc/passwd; ln -s / /escape; sleep 100'
	for _ in $(seq 50); do dk exec "$N" test -L /escape && break; sleep 0.1; done
	run dk diff "$N"
	assert_success
	assert_equal "$output" "A /escape
C /etc
A /etc/dd
D /etc/group
C /etc/passwd
A /new"
	host="$BATS_TEST_TMPDIR/h"
	mkdir -p "$host/dir"
	echo hostfile >"$host/dir/f.txt"
	run dk cp "$host/dir/f.txt" "$N:/tmp/"
	assert_success
	assert_equal "$(dk exec "$N" cat /tmp/f.txt)" "hostfile"
	run dk cp "$host/dir" "$N:/copied"
	assert_success
	assert_equal "$(dk exec "$N" cat /copied/f.txt)" "hostfile"
	# a link in the container cannot send the copy to the host
	dk cp "$host/dir/f.txt" "$N:/escape$host/evil"
	[ ! -e "$host/evil" ]
	assert_equal "$(dk exec "$N" cat "$host/evil")" "hostfile"
	run dk cp "$N:/etc/passwd" "$host/"
	assert_success
	assert_equal "$(tail -1 "$host/passwd")" "x"
	run dk cp "$N:/etc" "$host/etc2"
	assert_success
	[ -f "$host/etc2/passwd" ] && [ -d "$host/etc2/dd" ]
	run dk cp "$N:/nonexistent" "$host/"
	assert_failure 1
	run dk top "$N"
	assert_success
	assert_output_contains "sleep 100"
	run dk stats --no-stream
	assert_success
	assert_output_contains "MEM USAGE / LIMIT"
	assert_output_contains "$N"
}

@test "a container's 10,000 nested directories: diff, export, commit and rm" {
	# what any process in a container can do to the commands that walk
	# its tree: before, each level cost a descriptor and 4 KiB of stack
	dk run -d --name "$N" busybox sleep 100
	# (a shell in the container cannot: it keeps $PWD, which stops at
	# 4 KiB; the tree is made through the container's own root)
	python3 - "/proc/$(dk inspect -f '{{.State.Pid}}' "$N")/root/tmp" <<'PY'
import os, sys
os.chdir(sys.argv[1])
for i in range(10000):
    os.mkdir("d"); os.chdir("d")
open("leaf", "w").write("bottom\n")
PY
	run bash -c "ulimit -n 512; dk diff '$N' | grep -c '^A /tmp/d'"
	assert_success
	assert_equal "$output" 10001 # and the leaf
	run bash -c "set -o pipefail; ulimit -n 512; dk export '$N' | tar -t | grep -c '^tmp/d.*/leaf$'"
	assert_success
	assert_equal "$output" 1
	run bash -c "ulimit -n 512; dk commit '$N' me/deep$$"
	assert_success
	# the image runs, with the whole tree (counted from outside: a shell's
	# cd stops where $PWD reaches 4 KiB)
	dk run -d --name "$N-2" "me/deep$$" sleep 100
	run python3 - "/proc/$(dk inspect -f '{{.State.Pid}}' "$N-2")/root/tmp" <<'PY'
import os, sys
os.chdir(sys.argv[1])
n = 0
while os.path.isdir("d"):
    os.chdir("d"); n += 1
print(n, open("leaf").read().strip())
PY
	assert_equal "$output" "10000 bottom"
	dk rm -f "$N-2" >/dev/null
	run bash -c "ulimit -n 512; dk rm -f '$N'"
	assert_success
	[ -z "$(ls "$DK_ROOT/snapshots" | grep "$(dk ps -aq --no-trunc --filter name="$N")" 2>/dev/null)" ]
	dk rmi "me/deep$$" >/dev/null
}

@test "cp and names: a path too long is an error, never a shorter path" {
	dk run -d --name "$N" busybox sleep 100
	# a host directory whose path is about 4,100 bytes: the copy's target
	# (it plus the file's name) no longer fits a path
	long=$(python3 - "$BATS_TEST_TMPDIR" <<'PY'
import os, sys
os.chdir(sys.argv[1])
p = sys.argv[1]
while len(p) < 4100:
    n = "n" * 250
    os.mkdir(n); os.chdir(n); p += "/" + n
print(p)
PY
)
	run dk cp "$N:/etc/hostname" "$long"
	assert_failure 1
	assert_output_contains "path too long"
	# nothing was written to a cut-short name, one level up
	[ -z "$(find "$BATS_TEST_TMPDIR/$(printf 'n%.0s' $(seq 250))" -type f | head -1)" ]
	# a name longer than any name is no container, even if a real name
	# is its start
	run dk container inspect "$N$(printf 'x%.0s' $(seq 4200))"
	assert_failure 1
	assert_output_contains "No such container"
	# a root whose paths would not fit is refused up front
	run dk --root "/tmp/$(printf 'r%.0s' $(seq 2100))" ps
	assert_failure
	assert_output_contains "File name too long"
}

@test "stats: streams, --format json and templates, v1/v2 numbers from the runtime" {
	dk run -d --name "$N-busy" busybox sh -c 'while :; do :; done'
	dk run -d --name "$N-idle" busybox sleep 100
	run dk stats --no-stream --format '{{.Name}} {{.CPUPerc}} {{.PIDs}}' "$N-busy" "$N-idle"
	assert_success
	busy=$(echo "$output" | awk -v n="$N-busy" '$1 == n {print $2}')
	# a spinning shell uses most of a core; a sleeping one nearly nothing
	awk -v c="${busy%\%}" 'BEGIN {exit !(c > 20)}'
	# (its start may still fall in the sample window: a little, not 0.00%)
	idle=$(echo "$output" | awk -v n="$N-idle" '$1 == n {print $2 " " $3}')
	awk -v c="${idle%%\%*}" 'BEGIN {exit !(c < 5)}'
	assert_equal "${idle#* }" "1"
	run dk stats --no-stream --format json "$N-idle"
	assert_success
	assert_equal "$(echo "$output" | jq -r '.Name + " " + .PIDs')" "$N-idle 1"
	echo "$output" | jq -e '.MemUsage | test("^[0-9.]+[KMG]?i?B / [0-9.]+[KMG]iB$")'
	run dk stats --no-stream --format 'table {{.Name}}\t{{.MemPerc}}' "$N-idle"
	assert_success
	assert_equal "${lines[0]}" "$(printf 'NAME\tMEM %%')"
	# streaming: a new table every second until interrupted
	run timeout 3 dash "$DK_BIN/dk" stats --format '{{.Name}}' "$N-idle"
	assert_equal "$status" 124
	[ "$(echo "$output" | grep -c "^$N-idle\$")" -ge 2 ]
	run dk stats --no-stream --format '{{.Nope}}' "$N-idle"
	assert_failure 1
	run dk stats --no-stream "$N-missing"
	assert_failure 1
	assert_output_contains "No such container: $N-missing"
	run dk stats --bogus
	assert_failure 125
}

@test "ps: filters as docker combines them, bad filters refused, --no-trunc" {
	dk run -d --name "$N-a" busybox sleep 100
	dk run --name "$N-b" busybox sh -c 'exit 3' || true
	dk run -d --name "$N-c" busybox sleep 100
	assert_equal "$(dk ps -a --filter "name=$N-" --filter status=running --format '{{.Names}}' | sort | tr '\n' ' ')" "$N-a $N-c "
	assert_equal "$(dk ps -a --filter "name=$N-a" --filter "name=$N-b" --format '{{.Names}}' | sort | tr '\n' ' ')" "$N-a $N-b "
	assert_equal "$(dk ps -a --filter exited=3 --format '{{.Names}}')" "$N-b"
	# without -a a stopped one shows only through status, before or since
	assert_equal "$(dk ps --filter "name=$N-b" -q)" ""
	assert_equal "$(dk ps --filter "name=$N-b" --filter status=exited --format '{{.Names}}')" "$N-b"
	assert_equal "$(dk ps -a --filter "before=$N-b" --format '{{.Names}}')" "$N-a"
	assert_equal "$(dk ps -a --filter "since=$N-b" --format '{{.Names}}')" "$N-c"
	# -n N, -l: the last created, of every state
	assert_equal "$(dk ps -n 2 --filter "name=$N-" --format '{{.Names}}' | tr '\n' ' ')" "$N-c $N-b "
	assert_equal "$(dk ps -l --filter "name=$N-" --format '{{.Names}}')" "$N-c"
	run dk ps -n many
	assert_failure 125
	assert_equal "$(dk ps -a --filter health=none --filter "name=$N-c" --format '{{.Names}}')" "$N-c"
	assert_equal "$(dk ps -a --filter ancestor=busybox:latest --filter "name=$N-a" -q)" \
		"$(dk ps -a --filter ancestor=busybox --filter "name=$N-a" -q)"
	id=$(dk inspect "$N-a" | jq -r '.[0].Id')
	assert_equal "$(dk ps --no-trunc -q --filter "name=$N-a")" "$id"
	assert_equal "$(dk ps --no-trunc --format '{{.ID}}' --filter "name=$N-a")" "$id"
	run dk ps --filter color=red
	assert_failure 1
	assert_output_contains "invalid filter 'color'"
	run dk ps --filter status=sleeping
	assert_failure 1
	assert_output_contains "invalid filter 'status=sleeping'"
	run dk ps --filter "before=$N-none"
	assert_failure 1
	assert_output_contains "No such container"
	run dk ps --format 'table {{.ID}}\t{{.RunningFor}}' --filter "name=$N-a"
	assert_equal "${lines[0]}" "$(printf 'CONTAINER ID\tCREATED')"
}

@test "cp: links copied as links, -L follows them, -a keeps ownership" {
	dk run -d --name "$N" busybox sh -c 'echo data >/target; ln -s /target /link; mkdir /own; echo o >/own/f; chown -R 1234:4321 /own; sleep 100'
	for _ in $(seq 50); do dk exec "$N" test -L /link && break; sleep 0.1; done
	host="$BATS_TEST_TMPDIR/h"
	mkdir -p "$host"
	run dk cp "$N:/link" "$host/l1"
	assert_success
	[ -L "$host/l1" ]
	assert_equal "$(readlink "$host/l1")" "/target"
	run dk cp -L "$N:/link" "$host/l2"
	assert_success
	[ ! -L "$host/l2" ]
	assert_equal "$(cat "$host/l2")" "data"
	dk cp "$N:/own" "$host/plain"
	assert_equal "$(stat -c %u:%g "$host/plain/f")" "0:0"
	dk cp -a "$N:/own" "$host/arch"
	assert_equal "$(stat -c %u:%g "$host/arch/f")" "1234:4321"
	# into the container: a host link, then what it points at
	echo hostdata >"$host/real"
	chown 555:666 "$host/real"
	ln -s "$host/real" "$host/hlink"
	dk cp "$host/hlink" "$N:/in-link"
	assert_equal "$(dk exec "$N" readlink /in-link)" "$host/real"
	dk cp -L "$host/hlink" "$N:/in-file"
	assert_equal "$(dk exec "$N" cat /in-file)" "hostdata"
	assert_equal "$(dk exec "$N" stat -c %u:%g /in-file)" "0:0"
	dk cp -a "$host/real" "$N:/in-arch"
	assert_equal "$(dk exec "$N" stat -c %u:%g /in-arch)" "555:666"
	run dk cp -x "$N:/link" "$host/"
	assert_failure 125
}

@test "run -it: ctrl-p ctrl-q (or --detach-keys) leaves the container running" {
	(sleep 1; printf 'echo typed-$((2+3))\r'; sleep 0.5; printf '\020\021'; sleep 1) |
		script -qec "dash $DK_BIN/dk run -it --name $N busybox sh" /dev/null >"$BATS_TEST_TMPDIR/out"
	grep -q typed-5 "$BATS_TEST_TMPDIR/out"
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.Running')" "true"
	(sleep 1; printf 'xy'; sleep 1) |
		script -qec "dash $DK_BIN/dk run -it --detach-keys=x,y --name $N-k busybox sh" /dev/null
	assert_equal "$(dk inspect "$N-k" | jq -r '.[0].State.Running')" "true"
	run dk run --detach-keys=ctrl-long busybox true
	assert_failure 125
}

@test "the image's HEALTHCHECK: starting, unhealthy after retries, healthy; State.Health" {
	mkdir -p "$BATS_TEST_TMPDIR/ctx"
	printf 'FROM busybox\nHEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD test -e /ok && echo fine || { echo missing >&2; exit 1; }\n' \
		>"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	dk build -q -t "hc-$N" "$BATS_TEST_TMPDIR/ctx" >/dev/null
	dk run -d --name "$N" "hc-$N" sleep 100
	run dk ps --format '{{.Status}}'
	[[ "$output" == *"(health: starting)" ]]
	for _ in $(seq 60); do
		[ "$(dk inspect "$N" | jq -r '.[0].State.Health.Status')" = unhealthy ] && break
		sleep 0.1
	done
	run dk inspect "$N"
	assert_equal "$(echo "$output" | jq -r '.[0].State.Health.Status')" "unhealthy"
	[ "$(echo "$output" | jq -r '.[0].State.Health.FailingStreak')" -ge 2 ]
	assert_equal "$(echo "$output" | jq -r '.[0].State.Health.Log[0].ExitCode')" "1"
	assert_equal "$(echo "$output" | jq -r '.[0].State.Health.Log[-1].Output')" "missing"
	dk exec "$N" touch /ok
	for _ in $(seq 40); do
		[ "$(dk inspect "$N" | jq -r '.[0].State.Health.Status')" = healthy ] && break
		sleep 0.1
	done
	run dk ps --format '{{.Status}}'
	[[ "$output" == *"(healthy)" ]]
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.Health.Log[-1].Output')" "fine"
	# docker keeps the last five results
	sleep 5
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.Health.Log | length')" "5"
	# a check that outlives its timeout: killed, counted, said so
	printf 'FROM busybox\nHEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD sleep 30\n' \
		>"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	dk build -q -t "hc-$N-t" "$BATS_TEST_TMPDIR/ctx" >/dev/null
	dk run -d --name "$N-t" "hc-$N-t" sleep 100
	for _ in $(seq 60); do
		[ "$(dk inspect "$N-t" | jq -r '.[0].State.Health.Status')" = unhealthy ] && break
		sleep 0.1
	done
	run dk inspect "$N-t"
	assert_equal "$(echo "$output" | jq -r '.[0].State.Health.Status')" "unhealthy"
	assert_equal "$(echo "$output" | jq -r '.[0].State.Health.Log[0].Output')" \
		"Health check exceeded timeout (1s)"
	assert_equal "$(echo "$output" | jq -r '.[0].State.Health.Log[0].ExitCode')" "-1"
	# no HEALTHCHECK, no Health
	dk run -d --name "$N-n" busybox sleep 100
	assert_equal "$(dk inspect "$N-n" | jq -r '.[0].State.Health')" "null"
}

@test "inspect -f: Go templates on a real container, as docker scripts write them" {
	dk volume create "$N-v" >/dev/null
	dk run -d --name "$N" --label com.example=yes --label b=2 -v "$N-v:/data" \
		busybox sleep 100 >/dev/null
	json=$(dk inspect "$N")
	id=$(echo "$json" | jq -r '.[0].Id')
	[ -n "$id" ]
	run dk inspect -f '{{.State.Status}}' "$N"
	assert_success
	assert_equal "$output" "running"
	run dk container inspect --format '{{.NetworkSettings.IPAddress}}|{{.Name}}|{{.Id}}' "$N"
	assert_success
	assert_equal "$output" "$(echo "$json" | jq -r '.[0] | "\(.NetworkSettings.IPAddress)|\(.Name)|\(.Id)"')"
	assert_equal "${output#*|}" "/$N|$id"
	run dk inspect --format '{{json .Config.Labels}}' "$N"
	assert_equal "$(echo "$output" | jq -S -c .)" '{"b":"2","com.example":"yes"}'
	run dk inspect -f '{{index .Config.Labels "com.example"}}[{{index .Config.Labels "nope"}}]' "$N"
	assert_equal "$output" "yes[]"
	run dk inspect -f '{{range .Mounts}}{{.Destination}}{{"\n"}}{{end}}' "$N"
	assert_equal "$output" "/data"
	run dk inspect -f '{{if .State.Running}}up{{else}}down{{end}} {{join .Args " "}} {{upper .State.Status}} {{len .Mounts}}' "$N"
	assert_equal "$output" "up 100 RUNNING 1"
	run dk inspect -f '{{printf "%s:%d" .Name .RestartCount}} {{eq .State.Status "running"}} {{with .State}}{{.Pid}}{{end}}' "$N"
	assert_equal "$output" "/$N:0 true $(echo "$json" | jq -r '.[0].State.Pid')"
	run dk inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}{{with .State}}{{$.Name}}{{end}}' "$N"
	assert_equal "$output" "b=2;com.example=yes;/$N"
	run dk inspect -f '{{println .Id}}' "$N"
	assert_equal "$output" "$id"
	run dk inspect -f '{{- .State.Status -}}  {{- lower "X" }}' "$N"
	assert_equal "$output" "runningx"
	# one line per object, in argument order; json: the object
	dk run -d --name "$N-2" busybox sleep 100 >/dev/null
	run dk container inspect -f '{{.Name}}' "$N" "$N-2"
	assert_equal "$output" "/$N
/$N-2"
	run dk inspect --format json "$N"
	assert_success
	assert_equal "$(echo "$output" | jq -r .Id)" "$id"
	assert_equal "$(echo "$output" | wc -l)" "1"
	run dk inspect --type container -f '{{.State.Running}}' "$N"
	assert_equal "$output" "true"
	run --separate-stderr dk container inspect -f '{{.Name}}' "$N" "$N-none"
	assert_failure 1
	assert_equal "$output" "/$N"
	assert_equal "$stderr" "Error: No such container: $N-none"
	# dk inspect: containers, then images, one template for both
	run dk inspect -f '{{.Id}}' "$N" busybox
	assert_success
	assert_equal "$output" "$id
$(dk inspect busybox | jq -r '.[0].Id')"
	# a field a struct lacks fails as in docker (not "<no value>")
	run dk inspect -f '{{.Architecture}}' "$N"
	assert_failure 1
	assert_output_contains 'executing "" at <.Architecture>: map has no entry for key "Architecture"'
}

@test "inspect -f: bad templates fail as docker's do, naming the template error" {
	dk run -d --name "$N" busybox sleep 100 >/dev/null
	run dk inspect -f '{{.State.Status' "$N"
	assert_failure 1
	assert_equal "$output" "template parsing error: template: :1: unclosed action"
	run dk container inspect -f '{{nosuch .Name}}' "$N"
	assert_failure 1
	assert_output_contains 'template parsing error: template: :1: function "nosuch" not defined'
	run dk inspect -f '{{.State.Status.Foo}}' "$N"
	assert_failure 1
	assert_output_contains 'template parsing error: template: :1:2: executing "" at <.State.Status.Foo>: can'"'"'t evaluate field Foo in type string'
	run dk inspect -f '{{.NoSuchField}}' "$N"
	assert_failure 1
	assert_output_contains 'map has no entry for key "NoSuchField"'
	run dk inspect -f '{{range .Mounts}}' "$N"
	assert_failure 1
	assert_output_contains "unexpected EOF"
	run dk inspect --type nosuch "$N"
	assert_failure 125
	assert_output_contains '"nosuch" is not a valid value for --type'
	run dk inspect --size "$N"
	assert_failure 125
	assert_output_contains "not supported"
	# a template parsed before any lookup: one message, nothing printed
	run --separate-stderr dk container inspect -f '{{.A' "$N" nosuch
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "template parsing error: template: :1: unclosed action"
}

@test "ps and stats --format: Go templates through the same engine, docker's row fields" {
	dk run -d --name "$N" busybox sleep 100 >/dev/null
	run dk ps --filter "name=$N" --format '{{.Names}}|{{if eq .State "running"}}up{{else}}down{{end}}|{{printf "%.5s" .Image}}|{{upper .Names}}'
	assert_success
	assert_equal "$output" "$N|up|busyb|$(echo "$N" | tr a-z A-Z)"
	run dk ps --filter "name=$N" --format '{{- .Names -}} {{json .Status}} {{len .ID}}'
	assert_success
	assert_equal "$output" "$N\"$(dk ps --filter "name=$N" --format '{{.Status}}')\" 12"
	run dk stats --no-stream --format '{{.Name}}={{if .PIDs}}{{.PIDs}}{{end}}' "$N"
	assert_success
	assert_equal "$output" "$N=1"
	run dk ps --format '{{.Names'
	assert_failure
	assert_output_contains "template parsing error: template: :1: unclosed action"
	run dk ps --filter "name=$N" --format '{{.Names.X}}'
	assert_failure
	assert_output_contains "can't evaluate field X in type string"
}
