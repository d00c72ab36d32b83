#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# dk run's flags for mounts, resources, security, users, environment,
# labels, health checks and init, each checked from inside the container
# (its mountinfo, its cgroup files, /proc/self/status, id), and docker's
# usage error (125, nothing left behind) for bad input.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	dk_busybox_setup
	HOSTDIR="$BATS_TEST_TMPDIR/host"
	mkdir -p "$HOSTDIR"
	echo from-host >"$HOSTDIR/f"
}

teardown() {
	dk_remove_containers
}

assert_nothing_left() {
	assert_equal "$(dk ps -aq | wc -l)" "0"
	assert_equal "$(ls "$DK_ROOT/containers" 2>/dev/null | grep -v '^names$' | wc -l)" "0"
	assert_equal "$(ls "$DK_ROOT/containers/names" 2>/dev/null | wc -l)" "0"
	assert_equal "$(ls "$DK_ROOT/snapshots" 2>/dev/null | wc -l)" "0"
	assert_equal "$(ls "$DK_ROOT/volumes" 2>/dev/null | wc -l)" "0"
	assert_equal "$(grep -c " $DK_ROOT/" /proc/self/mountinfo)" "0"
}

# the mountinfo line of the container's mount at $2, from `dk run` args $1...
mount_line() {
	local target=$1
	shift
	dk run --rm "$@" busybox grep " $target " /proc/self/mountinfo
}

@test "-v HOST:CTR:ro binds read-only; rw by default" {
	run dk run --rm -v "$HOSTDIR:/h:ro" busybox sh -c \
		'cat /h/f; grep " /h " /proc/self/mountinfo; echo x >/h/g'
	assert_failure
	assert_output_contains "from-host"
	assert_output_contains " /h ro,"
	assert_output_contains "Read-only file system"
	run dk run --rm -v "$HOSTDIR:/h" busybox sh -c 'echo written >/h/g'
	assert_success
	assert_equal "$(cat "$HOSTDIR/g")" "written"
	# ./DIR is a host path from here, as docker's CLI takes it
	cd "$HOSTDIR/.."
	run dk run --rm -v ./host:/h busybox cat /h/f
	assert_success
	assert_equal "$output" "from-host"
}

@test "--mount type=bind,readonly and type=tmpfs; inspect's Binds and Mounts" {
	run mount_line /m --mount "type=bind,source=$HOSTDIR,target=/m,readonly"
	assert_success
	assert_output_contains " /m ro,"
	run mount_line /t --mount type=tmpfs,target=/t,tmpfs-size=2m
	assert_success
	assert_output_contains "tmpfs"
	assert_output_contains "size=2048k"
	dk create --name "$N" -v "$HOSTDIR:/h:ro" --mount "type=bind,src=$HOSTDIR,dst=/m" busybox true
	run dk inspect "$N"
	assert_success
	assert_equal "$(echo "$output" | jq -c '.[0].HostConfig.Binds')" "[\"$HOSTDIR:/h:ro\"]"
	assert_equal "$(echo "$output" | jq -r '.[0].Mounts | map(.Destination + "=" + (.RW|tostring)) | join(",")')" \
		"/h=false,/m=true"
	assert_equal "$(echo "$output" | jq -r '.[0].Mounts[0].Type')" "bind"
}

@test "--tmpfs PATH:opts and --read-only" {
	run dk run --rm --read-only --tmpfs /run:size=1m,mode=1777 busybox sh -c \
		'grep " /run " /proc/self/mountinfo; stat -c %a /run; touch /run/ok && echo tmpfs-ok; touch /x'
	assert_failure
	assert_output_contains "size=1024k"
	assert_output_contains "1777"
	assert_output_contains "tmpfs-ok"
	assert_output_contains "Read-only file system"
	run dk run --rm --read-only busybox grep " / / " /proc/self/mountinfo
	assert_success
	assert_output_contains " / / ro,"
}

@test "-m and --memory-swap set the container's memory cgroup" {
	run dk run --rm -m 64m busybox cat /sys/fs/cgroup/memory/memory.limit_in_bytes \
		/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes
	assert_success
	assert_equal "$output" "67108864
134217728"
	run dk run --rm --memory=32m --memory-swap 48m busybox cat \
		/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes
	assert_success
	assert_equal "$output" "50331648"
	dk create --name "$N" -m 64m busybox true
	assert_equal "$(dk inspect "$N" | jq '.[0].HostConfig.Memory')" "67108864"
}

@test "--cpus and --cpu-shares set the cpu cgroup; --pids-limit the pids cgroup" {
	run dk run --rm --cpus 0.5 -c 512 busybox cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us \
		/sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.shares
	assert_success
	assert_equal "$output" "50000
100000
512"
	run dk run --rm --pids-limit 20 busybox cat /sys/fs/cgroup/pids/pids.max
	assert_success
	assert_equal "$output" "20"
	dk create --name "$N" --cpus 1.5 --pids-limit 7 busybox true
	run dk inspect "$N"
	assert_equal "$(echo "$output" | jq '.[0].HostConfig.NanoCpus')" "1500000000"
	assert_equal "$(echo "$output" | jq '.[0].HostConfig.PidsLimit')" "7"
}

# the container's memory, memsw, cfs quota, shares and pids.max, one per line
cgroup_limits() {
	dk exec "$1" cat /sys/fs/cgroup/memory/memory.limit_in_bytes \
		/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes \
		/sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares \
		/sys/fs/cgroup/pids/pids.max
}

@test "update: a running container's cgroups change at once, and stay changed after a restart" {
	dk run -d --name "$N" -m 64m --cpus 0.5 --pids-limit 20 busybox sleep 1000
	run dk update --cpus 1 -c 256 --pids-limit 50 -m 96m "$N"
	assert_success
	assert_equal "$output" "$N"
	# the memory+swap limit stays where it was (twice the old 64m), as docker's
	assert_equal "$(cgroup_limits "$N")" "100663296
134217728
100000
256
50"
	run dk inspect "$N"
	assert_equal "$(echo "$output" | jq -c '.[0].HostConfig | [.Memory, .MemorySwap, .NanoCpus, .CpuShares, .PidsLimit]')" \
		"[100663296,134217728,1000000000,256,50]"
	# above the swap limit without raising it: docker's error, nothing changed
	run dk update -m 200m "$N"
	assert_failure 1
	assert_output_contains "Cannot update container"
	assert_output_contains "Memory limit should be smaller than already set memoryswap limit"
	assert_equal "$(cgroup_limits "$N" | head -1)" "100663296"
	assert_equal "$(dk inspect "$N" | jq '.[0].HostConfig.Memory')" "100663296"
	# raising both works (the runtime writes memsw first)
	dk update -m 200m --memory-swap 400m "$N"
	assert_equal "$(cgroup_limits "$N" | head -2)" "209715200
419430400"
	dk update --pids-limit -1 "$N"
	assert_equal "$(cgroup_limits "$N" | tail -1)" "max"
	dk stop -t 0 "$N"
	dk start "$N"
	assert_equal "$(cgroup_limits "$N")" "209715200
419430400
100000
256
max"
}

@test "update: a created container starts with the new limits; a paused one is updated too" {
	dk create --name "$N" --pids-limit 20 busybox sleep 1000
	dk update --pids-limit 9 --cpus 0.25 "$N"
	dk start "$N"
	assert_equal "$(cgroup_limits "$N" | tail -3)" "25000
1024
9"
	dk pause "$N"
	dk update --pids-limit 11 "$N"
	dk unpause "$N"
	assert_equal "$(cgroup_limits "$N" | tail -1)" "11"
	# an exited container keeps the update for its next start
	dk stop -t 0 "$N"
	dk update -c 100 "$N"
	dk start "$N"
	assert_equal "$(cgroup_limits "$N" | sed -n 4p)" "100"
	# the finer cpu and memory flags
	dk run -d --name "$N-q" busybox sleep 1000
	dk update --cpuset-cpus 0 --cpu-period 50000 --cpu-quota 20000 --memory-reservation 20m "$N-q"
	run dk exec "$N-q" sh -c 'cd /sys/fs/cgroup; cat cpuset/cpuset.cpus cpu/cpu.cfs_period_us \
		cpu/cpu.cfs_quota_us memory/memory.soft_limit_in_bytes'
	assert_equal "$output" "0
50000
20000
20971520"
	run dk update --cpus 1 "$N-q"
	assert_failure 1
	assert_output_contains "Conflicting options: Nano CPUs and CPU Period cannot both be set"
}

@test "update --restart: the running monitor follows the new policy; --rm refuses one" {
	dk run -d --name "$N" busybox sh -c 'sleep 1; exit 3'
	dk update --restart on-failure:2 "$N"
	for _ in $(seq 100); do
		[ "$(dk inspect "$N" | jq -r '.[0].State.Status')" = exited ] && break
		sleep 0.1
	done
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.Status')" "exited"
	assert_equal "$(dk inspect "$N" | jq -r '.[0].RestartCount')" "2"
	assert_equal "$(dk inspect "$N" | jq -r '.[0].HostConfig.RestartPolicy.Name')" "on-failure"
	dk run -d --rm --name "$N-rm" busybox sleep 1000
	run dk update --restart always "$N-rm"
	assert_failure 1
	assert_output_contains "AutoRemove is enabled"
	dk rm -f "$N-rm"
}

@test "update: bad input fails as docker's and changes nothing" {
	dk create --name "$N" --pids-limit 20 busybox true
	before=$(cat "$DK_ROOT/containers/$(dk inspect "$N" | jq -r '.[0].Id')/config.json")
	run dk update "$N"
	assert_failure 1
	assert_output_contains "you must provide one or more flags"
	run dk update --pids-limit 5
	assert_failure 125
	assert_output_contains "requires at least 1 argument"
	run dk update --cpus lots "$N"
	assert_failure 125
	assert_output_contains "failed to parse lots as a rational number"
	run dk update -m 3m "$N"
	assert_failure 125
	assert_output_contains "Minimum memory limit allowed is 6MB"
	run dk update --blkio-weight 300 "$N"
	assert_failure 125
	assert_output_contains "--blkio-weight: not supported"
	run dk update --restart sometimes "$N"
	assert_failure 125
	assert_output_contains "invalid restart policy"
	run dk update --memory-swap 100m "$N"
	assert_failure 1
	assert_output_contains "always set the Memory limit"
	run dk update --pids-limit 5 "$N-missing"
	assert_failure 1
	assert_output_contains "No such container: $N-missing"
	assert_equal "$(cat "$DK_ROOT/containers/$(dk inspect "$N" | jq -r '.[0].Id')/config.json")" "$before"
	assert_equal "$(dk inspect "$N" | jq '.[0].HostConfig.PidsLimit')" "20"
}

@test "--cpuset-cpus, --cpu-period/--cpu-quota, --memory-reservation, --oom-kill-disable set the cgroups" {
	run dk run --rm --cpuset-cpus 0 --cpu-period 50000 --cpu-quota 25000 -m 64m \
		--memory-reservation 32m --oom-kill-disable busybox sh -c \
		'cd /sys/fs/cgroup; cat cpuset/cpuset.cpus cpu/cpu.cfs_period_us cpu/cpu.cfs_quota_us \
			memory/memory.soft_limit_in_bytes; grep oom_kill_disable memory/memory.oom_control'
	assert_success
	assert_equal "$output" "0
50000
25000
33554432
oom_kill_disable 1"
	dk create --name "$N" --cpuset-cpus 0 --cpu-quota 30000 --memory-reservation 32m busybox true
	assert_equal "$(dk inspect "$N" | jq -c '.[0].HostConfig | [.CpusetCpus, .CpuQuota, .MemoryReservation, .OomKillDisable]')" \
		'["0",30000,33554432,false]'
}

@test "--pid, --ipc, --uts, --cgroupns host share this namespace's; --pid container:C joins C's" {
	local ns
	for ns in pid ipc uts cgroup; do
		run dk run --rm busybox readlink /proc/self/ns/$ns
		assert_success
		[ "$output" != "$(readlink /proc/self/ns/$ns)" ]
	done
	run dk run --rm --pid host --ipc host --uts host --cgroupns host busybox sh -c \
		'for ns in pid ipc uts cgroup; do readlink /proc/self/ns/$ns; done; hostname'
	assert_success
	assert_equal "$output" "$(for ns in pid ipc uts cgroup; do readlink /proc/self/ns/$ns; done; hostname)"
	# --ipc host: the host's /dev/shm too
	echo shared >"/dev/shm/$N"
	run dk run --rm --ipc host busybox cat "/dev/shm/$N"
	rm -f "/dev/shm/$N"
	assert_equal "$output" "shared"
	dk run -d --name "$N" busybox sleep 1000
	run dk run --rm --pid "container:$N" busybox ps -o args
	assert_success
	assert_output_contains "sleep 1000"
	assert_equal "$(dk run --rm --pid "container:$N" busybox readlink /proc/self/ns/pid)" \
		"$(dk exec "$N" readlink /proc/self/ns/pid)"
	dk create --name "$N-c" --pid host --ipc none --uts host busybox true
	assert_equal "$(dk inspect "$N-c" | jq -c '.[0].HostConfig | [.PidMode, .IpcMode, .UTSMode, .CgroupnsMode]')" \
		'["host","none","host","private"]'
	run dk run --rm --ipc none busybox sh -c 'grep -c " /dev/shm " /proc/self/mountinfo'
	assert_equal "$output" "0"
}

@test "--sysctl, --shm-size, --oom-score-adj, --group-add, --annotation" {
	run dk run --rm --sysctl kernel.shmmax=1000000 --sysctl net.ipv4.ip_forward=1 \
		--shm-size 16m --oom-score-adj 500 --group-add 1234 --group-add nogroup busybox sh -c \
		'cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_forward /proc/self/oom_score_adj
		 grep " /dev/shm " /proc/self/mountinfo; id -G'
	assert_success
	assert_equal "$(echo "$output" | sed -n 1,3p)" "1000000
1
500"
	assert_output_contains "size=16384k"
	assert_equal "$(echo "$output" | tail -1)" "0 1234 65534"
	dk create --name "$N" --sysctl kernel.sem="250 32000 32 128" --annotation com.example.k=v \
		--shm-size 1g busybox true
	run dk inspect "$N"
	assert_equal "$(echo "$output" | jq -c '.[0].HostConfig | [.Sysctls, .Annotations, .ShmSize]')" \
		'[{"kernel.sem":"250 32000 32 128"},{"com.example.k":"v"},1073741824]'
	id=$(echo "$output" | jq -r '.[0].Id')
	assert_equal "$(jq -r '.annotations["com.example.k"]' "$DK_ROOT/containers/$id/config.json")" "v"
	assert_equal "$(jq -r '.linux.sysctl["kernel.sem"]' "$DK_ROOT/containers/$id/config.json")" \
		"250 32000 32 128"
}

@test "namespace and finer resource flags: bad input is docker's usage error, nothing left" {
	run dk run --rm --sysctl vm.swappiness=1 busybox true
	assert_failure 125
	assert_output_contains "sysctl 'vm.swappiness' is not allowed"
	run dk run --rm --network host --sysctl net.ipv4.ip_forward=1 busybox true
	assert_failure 125
	assert_output_contains "not allowed"
	run dk run --rm --sysctl kernel.shmmax busybox true
	assert_failure 125
	# a name that climbs out of /proc/sys/net to a host-wide sysctl
	run dk run --rm --sysctl net.../kernel/core_pattern=x busybox true
	assert_failure 125
	assert_output_contains "want KEY=VALUE"
	run dk run --rm --pid nope busybox true
	assert_failure 125
	assert_output_contains 'invalid argument "nope" for "--pid" flag'
	run dk run --rm --ipc container:x busybox true
	assert_failure 125
	assert_output_contains "not supported"
	run dk run --rm --uts host -h name busybox true
	assert_failure 125
	assert_output_contains "Conflicting options: hostname and the UTS mode"
	run dk run --rm --oom-score-adj 2000 busybox true
	assert_failure 125
	assert_output_contains "range for oom score adj is [-1000, 1000]"
	run dk run --rm --cpus 1 --cpu-period 50000 busybox true
	assert_failure 125
	assert_output_contains "Conflicting options: Nano CPUs and CPU Period"
	run dk run --rm --cpu-period 10 busybox true
	assert_failure 125
	run dk run --rm --cpuset-cpus 0-x busybox true
	assert_failure 125
	run dk run --rm --shm-size lots busybox true
	assert_failure 125
	assert_output_contains "invalid size: 'lots'"
	run dk run --rm --ipc none --shm-size 1m busybox true
	assert_failure 125
	run dk run --rm --annotation novalue busybox true
	assert_failure 125
	run dk run --rm --group-add nosuchgroup busybox true
	assert_failure 125
	assert_output_contains "Unable to find group nosuchgroup"
	run dk run --rm --pid "container:$N-missing" busybox true
	assert_failure 125
	assert_output_contains "No such container: $N-missing"
	dk create --name "$N-stopped" busybox true
	run dk run --rm --pid "container:$N-stopped" busybox true
	assert_failure 125
	assert_output_contains "cannot join PID of a non running container"
	dk rm "$N-stopped"
	assert_nothing_left
}

@test "--log-driver none, --domainname, --expose with -P, --platform of this host, -q" {
	run dk run --name "$N" --log-driver none busybox echo not-logged
	assert_success
	assert_equal "$output" "not-logged"
	run dk logs "$N"
	assert_failure 1
	assert_output_contains "configured logging driver does not support reading"
	assert_equal "$(dk inspect "$N" | jq -r '.[0].HostConfig.LogConfig.Type')" "none"
	id=$(dk inspect "$N" | jq -r '.[0].Id')
	[ ! -e "$DK_ROOT/containers/$id/json.log" ]
	dk run --name "$N-j" --log-driver json-file busybox echo logged
	assert_equal "$(dk logs "$N-j")" "logged"
	run dk run --rm --domainname example.org busybox sh -c 'cat /proc/sys/kernel/domainname'
	assert_equal "$output" "example.org"
	dk create --name "$N-p" --network bridge -P --expose 7000 --expose 7100-7101/udp busybox true
	assert_equal "$(dk inspect "$N-p" | jq -c '.[0].HostConfig.PortBindings | keys')" \
		'["7000/tcp","7100/udp","7101/udp"]'
	host=$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')
	run dk run --rm --platform "linux/$host" busybox echo native
	assert_success
	assert_equal "$output" "native"
	run dk run --rm --platform linux/s390x busybox true
	assert_failure 125
	assert_output_contains "--platform linux/s390x: not supported"
	run dk run --rm --log-driver syslog busybox true
	assert_failure 125
	assert_output_contains "--log-driver syslog: not supported"
	run dk run --rm --expose 80:80 busybox true
	assert_failure 125
	assert_output_contains '"--expose" flag'
	# -q: no pull output (no registry answers here, so the pull fails; only
	# the error is printed)
	run dk run --rm "localhost:1/$N-none:1" true
	assert_failure 125
	assert_output_contains "Unable to find image 'localhost:1/$N-none:1' locally"
	run dk run --rm -q "localhost:1/$N-none:1" true
	assert_failure 125
	[[ "$output" != *"Unable to find"* ]]
}

@test "--ulimit NAME=SOFT:HARD" {
	run dk run --rm --ulimit nofile=100:200 --ulimit nproc=500 busybox sh -c \
		'ulimit -n; ulimit -Hn; ulimit -u'
	assert_success
	assert_equal "$output" "100
200
500"
	dk create --name "$N" --ulimit nofile=100:200 busybox true
	assert_equal "$(dk inspect "$N" | jq -c '.[0].HostConfig.Ulimits')" \
		'[{"Name":"nofile","Hard":200,"Soft":100}]'
}

@test "--device HOST:CTR gives the node and its cgroup rule" {
	run dk run --rm --device /dev/null:/dev/mynull busybox sh -c \
		'stat -c "%t,%T" /dev/mynull; echo x >/dev/mynull && echo wrote'
	assert_success
	assert_equal "$output" "1,3
wrote"
	run dk run --rm --device /no/such busybox true
	assert_failure 125
	assert_output_contains "/no/such"
}

@test "default capabilities, --cap-add, --cap-drop, ALL" {
	run dk run --rm busybox grep CapEff /proc/self/status
	assert_success
	assert_output_contains "00000000a80425fb" # docker's default set
	run dk run --rm --cap-drop ALL --cap-add net_admin busybox grep CapEff /proc/self/status
	assert_output_contains "0000000000001000" # CAP_NET_ADMIN only
	run dk run --rm --cap-drop CHOWN busybox grep CapEff /proc/self/status
	assert_output_contains "00000000a80425fa"
	run dk run --rm --cap-drop chown busybox chown 1 /tmp
	assert_failure
	dk create --name "$N" --cap-add SYS_ADMIN --cap-drop MKNOD busybox true
	run dk inspect "$N"
	assert_equal "$(echo "$output" | jq -c '[.[0].HostConfig.CapAdd, .[0].HostConfig.CapDrop]')" \
		'[["CAP_SYS_ADMIN"],["CAP_MKNOD"]]'
}

@test "--privileged: every capability we hold, no seccomp, no masked paths" {
	run dk run --rm --privileged busybox sh -c \
		'grep -E "^(Seccomp|CapEff):" /proc/self/status; grep -c " /proc/kcore " /proc/self/mountinfo'
	assert_output_contains "Seccomp:	0"
	# CAP_SYS_ADMIN (bit 21) is in
	eff=$(echo "$output" | sed -n 's/^CapEff:\t//p')
	[ $(( (0x$eff >> 21) & 1 )) -eq 1 ]
	assert_equal "$(echo "$output" | tail -1)" "0"
	dk create --name "$N" --privileged busybox true
	assert_equal "$(dk inspect "$N" | jq '.[0].HostConfig.Privileged')" "true"
}

@test "the default seccomp filter: on for every container, docker's policy" {
	run dk run --rm busybox grep "^Seccomp:" /proc/self/status
	assert_success
	assert_equal "$output" "Seccomp:	2"
	# docker's default denies unshare without CAP_SYS_ADMIN (user
	# namespaces need no capability, so only the filter stops this)
	run dk run --rm busybox busybox unshare -U true
	assert_failure
	assert_output_contains "Operation not permitted"
	run dk run --rm --cap-add SYS_ADMIN busybox busybox unshare -U true
	assert_success
	dk create --name "$N" busybox true
	assert_equal "$(dk inspect "$N" | jq -c '.[0].HostConfig.SecurityOpt')" '["seccomp=default"]'
}

@test "--security-opt seccomp=unconfined, seccomp=FILE, no-new-privileges" {
	run dk run --rm --security-opt seccomp=unconfined busybox sh -c \
		'grep "^Seccomp:" /proc/self/status; busybox unshare -U true && echo unshared'
	assert_success
	assert_equal "$output" "Seccomp:	0
unshared"
	cat >"$BATS_TEST_TMPDIR/prof.json" <<-'J'
	{"defaultAction": "SCMP_ACT_ALLOW",
	 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}
	J
	run dk run --rm --security-opt "seccomp=$BATS_TEST_TMPDIR/prof.json" busybox mkdir /x
	assert_failure
	assert_output_contains "Operation not permitted"
	run dk run --rm --security-opt no-new-privileges busybox grep NoNewPrivs /proc/self/status
	assert_equal "$output" "NoNewPrivs:	1"
	run dk run --rm busybox grep NoNewPrivs /proc/self/status
	assert_equal "$output" "NoNewPrivs:	0"
	dk create --name "$N" --security-opt no-new-privileges --security-opt seccomp=unconfined busybox true
	assert_equal "$(dk inspect "$N" | jq -c '.[0].HostConfig.SecurityOpt')" \
		'["no-new-privileges","seccomp=unconfined"]'
	run dk run --rm --security-opt apparmor=x busybox true
	assert_failure 125
	assert_output_contains "not supported"
	# docker's conditional profile fields would be applied wrongly: refused
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"],
	  "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}' \
		>"$BATS_TEST_TMPDIR/docker.json"
	run dk run --rm --security-opt "seccomp=$BATS_TEST_TMPDIR/docker.json" busybox true
	assert_failure 125
	assert_output_contains '"includes" is not supported'
	dk rm "$N"
	run dk run --rm --security-opt seccomp=/no/such.json busybox true
	assert_failure 125
	assert_nothing_left
}

@test "-u NAME and NAME:GROUP resolve in the image's own passwd and group" {
	run dk run --rm -u nobody busybox id
	assert_success
	assert_equal "$output" "uid=65534(nobody) gid=65534(nogroup)"
	run dk run --rm -u nobody:root busybox id
	assert_success
	assert_output_contains "uid=65534(nobody) gid=0(root)"
	run dk run --rm -u 123:456 busybox id -u
	assert_equal "$output" "123"
}

@test "-e NAME from the environment, --env-file" {
	printf 'A=1\n# comment\n\nFROM_HERE\nB=two words\n' >"$BATS_TEST_TMPDIR/env"
	FROM_HERE=here run dk run --rm --env-file "$BATS_TEST_TMPDIR/env" -e X=y busybox \
		sh -c 'echo "$A|$FROM_HERE|$B|$X"'
	assert_success
	assert_equal "$output" "1|here|two words|y"
	V=val run dk run --rm -e V -e UNSET_HERE busybox sh -c 'echo "$V|${UNSET_HERE-unset}"'
	assert_equal "$output" "val|unset"
	run dk run --rm --env-file /no/such busybox true
	assert_failure 125
}

@test "--label, --label-file: Config.Labels" {
	printf 'from=file\n' >"$BATS_TEST_TMPDIR/labels"
	dk create --name "$N" -l a=1 --label b=two --label-file "$BATS_TEST_TMPDIR/labels" busybox true
	assert_equal "$(dk inspect "$N" | jq -c '.[0].Config.Labels')" '{"a":"1","b":"two","from":"file"}'
}

@test "--init runs tini as pid 1, which reaps orphans" {
	run dk run --rm --init busybox sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo'
	assert_success
	assert_output_contains "/sbin/docker-init -- sh"
	# an orphaned child is reaped by init: no zombie left behind
	run dk run --rm --init busybox sh -c \
		'sh -c "sleep 0.2 &"; sleep 1; ps -o stat,comm | grep -c "^Z" || true'
	assert_success
	assert_equal "$(echo "$output" | tail -1)" "0"
	dk create --name "$N" --init busybox true
	assert_equal "$(dk inspect "$N" | jq '.[0].HostConfig.Init')" "true"
}

@test "--hostname" {
	run dk run --rm --hostname box.example busybox hostname
	assert_success
	assert_equal "$output" "box.example"
}

@test "--health-cmd: (healthy) in ps, .State.Health in inspect; --no-healthcheck" {
	dk run -d --name "$N" --health-cmd 'test -e /tmp' --health-interval 200ms busybox sleep 60
	for _ in $(seq 50); do
		[ "$(dk inspect "$N" | jq -r '.[0].State.Health.Status')" = healthy ] && break
		sleep 0.2
	done
	assert_equal "$(dk inspect "$N" | jq -r '.[0].State.Health.Status')" "healthy"
	run dk ps --filter "name=$N"
	assert_output_contains "(healthy)"
	assert_equal "$(dk inspect "$N" | jq -c '.[0].Config.Healthcheck.Test')" '["CMD-SHELL","test -e /tmp"]'
	dk run -d --name "$N-bad" --health-cmd false --health-interval 200ms --health-retries 1 \
		busybox sleep 60
	for _ in $(seq 50); do
		[ "$(dk inspect "$N-bad" | jq -r '.[0].State.Health.Status')" = unhealthy ] && break
		sleep 0.2
	done
	assert_equal "$(dk inspect "$N-bad" | jq -r '.[0].State.Health.Status')" "unhealthy"
	dk create --name "$N-none" --no-healthcheck busybox true
	assert_equal "$(dk inspect "$N-none" | jq -c '.[0].State.Health')" "null"
	run dk run --rm --no-healthcheck --health-cmd true busybox true
	assert_failure 125
}

@test "--stop-signal and --stop-timeout" {
	dk run -d --name "$N" --stop-signal USR1 --stop-timeout 5 busybox sh -c \
		'trap "echo got-usr1; exit 3" USR1; while :; do sleep 0.1; done'
	sleep 0.5
	dk stop "$N"
	assert_equal "$(dk inspect "$N" | jq '.[0].State.ExitCode')" "3"
	run dk logs "$N"
	assert_output_contains "got-usr1"
}

@test "--cidfile writes the id; an existing file is docker's error" {
	dk create --name "$N" --cidfile "$BATS_TEST_TMPDIR/cid" busybox true
	assert_equal "$(cat "$BATS_TEST_TMPDIR/cid")" "$(dk inspect "$N" | jq -r '.[0].Id')"
	dk rm "$N"
	run dk run --rm --cidfile "$BATS_TEST_TMPDIR/cid" busybox true
	assert_failure 125
	assert_output_contains "Container ID file found"
	assert_nothing_left
}

@test "--rm with -d removes the container when it exits" {
	dk run -d --rm --name "$N" busybox true
	for _ in $(seq 50); do
		[ "$(dk ps -aq | wc -l)" = 0 ] && break
		sleep 0.1
	done
	assert_nothing_left
}

@test "bad input: docker's usage error 125 naming the value, nothing left behind" {
	run dk run --rm -v a:b:c:d busybox true
	assert_failure 125
	assert_output_contains "a:b:c:d"
	run dk run --rm -v x:relative busybox true
	assert_failure 125
	assert_output_contains "mount path must be absolute"
	run dk run --rm -v "$BATS_TEST_TMPDIR/no/such:/x" busybox true
	assert_failure 125
	assert_output_contains "bind source path does not exist: $BATS_TEST_TMPDIR/no/such"
	run dk run --rm -m 1x busybox true
	assert_failure 125
	assert_output_contains "invalid size: '1x'"
	run dk run --rm --cpus -1 busybox true
	assert_failure 125
	assert_output_contains '"-1"'
	run dk run --rm --cap-add CAP_NOPE busybox true
	assert_failure 125
	assert_output_contains "unknown capability: \"CAP_NOPE\""
	run dk run --rm --ulimit nofile=9:1 busybox true
	assert_failure 125
	run dk run --rm --mount type=nfs,target=/x busybox true
	assert_failure 125
	assert_output_contains "not supported"
	run dk run --rm -u nosuchuser busybox true
	assert_failure 125
	assert_output_contains "unable to find user nosuchuser: no matching entries in passwd file"
	# an abbreviated flag is unknown (glibc would take --memory-s as
	# --memory-swap; docker's parser does not)
	run dk run --rm --memory-s 10m busybox true
	assert_failure 125
	assert_output_contains "unknown flag: --memory-s"
	run dk ps --al
	assert_failure 125
	assert_output_contains "unknown flag: --al"
	run dk create --name "$N" -u nosuchuser -v named:/data busybox true
	assert_failure 125
	assert_nothing_left
}
