#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# dk's networks (the network tool driving the CNI plugins): user networks
# with names, outbound NAT, published ports, teardown, bad input. Runs
# only inside a private network namespace (tests/run wraps every suite in
# tests/netns-run): every bridge, veth, rule and packet stays there.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	if [ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/1/ns/net)" ]; then
		echo "dk-network.bats must run in a private network namespace (tests/netns-run)" >&2
		return 1
	fi
	# the namespace's "outside world": an address on lo, a web server on it
	ip addr add 198.51.100.1/32 dev lo 2>/dev/null || true
	export WWW="$BATS_FILE_TMPDIR/www"
	mkdir -p "$WWW"
	echo "from the host side" >"$WWW/index.html"
	busybox httpd -f -p 198.51.100.1:8099 -h "$WWW" 3>&- &
	echo $! >"$BATS_FILE_TMPDIR/httpd.pid"
	# busybox's nc has no UDP: a static UDP peer (tests/probe/udpcat.c)
	export NETCTX="$BATS_FILE_TMPDIR/netctx"
	mkdir -p "$NETCTX"
	cc -static -O2 -o "$NETCTX/udpcat" "$DK_TOP/tests/probe/udpcat.c"
	printf 'FROM busybox\nCOPY udpcat /bin/udpcat\n' >"$NETCTX/Dockerfile"
}

# the image "nettools": busybox with udpcat
nettools() {
	dk build -q -t nettools "$NETCTX" >/dev/null
}

teardown_file() {
	kill "$(cat "$BATS_FILE_TMPDIR/httpd.pid")" 2>/dev/null || true
}

setup() {
	dk_common_setup
	unset DK_DEFAULT_NETWORK
	mkdir -p "$DK_ROOT/images"
	skopeo copy -q "oci:$(busybox_layout):latest" \
		"oci:$DK_ROOT/images:docker.io/library/busybox:latest"
	N="n$$-${BATS_TEST_NUMBER}"
}

teardown() {
	local r2="$BATS_TEST_TMPDIR/root2"
	if [ -d "$r2" ]; then # the second root of the shared-leases test
		for c in $(DK_ROOT=$r2 dk ps -aq 2>/dev/null); do
			DK_ROOT=$r2 dk rm -f "$c" >/dev/null 2>&1 || true
		done
		DK_ROOT=$r2 dk network rm bridge >/dev/null 2>&1 || true
		umount_below "$r2"
	fi
	for c in $(dk ps -aq 2>/dev/null); do
		dk rm -f "$c" >/dev/null 2>&1 || true
	done
	for n in $(network --root "$DK_ROOT" ls -q 2>/dev/null); do :; done
	dk network prune -f >/dev/null 2>&1 || true
	dk network rm bridge >/dev/null 2>&1 || true
	umount_below "$DK_ROOT"
}

# ip of a running container on its network
ip_of() {
	dk inspect "$1" | jq -er '.[0].NetworkSettings.IPAddress | select(. != "")'
}

@test "dk network create, ls, inspect, rm" {
	run dk network create --subnet 10.123.0.0/24 "$N"
	assert_success
	[ "${#output}" -eq 64 ]
	run dk network ls
	assert_success
	assert_output_contains "$N"
	assert_output_contains "bridge"
	run dk network inspect "$N"
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0].IPAM.Config[0].Subnet')" "10.123.0.0/24"
	assert_equal "$(echo "$output" | jq -r '.[0].IPAM.Config[0].Gateway')" "10.123.0.1"
	[ -s "$DK_ROOT/networks/$N.conflist" ]
	jq -e '.plugins | map(.type) == ["bridge","portmap","firewall","dnsname"]' \
		"$DK_ROOT/networks/$N.conflist"
	# docker's filters: name is a regular expression, type builtin|custom
	dk network create "$N-2" >/dev/null
	assert_equal "$(dk network ls --format json -f "name=^$N" | jq -r .Name | tr '\n' ' ')" "$N $N-2 "
	assert_equal "$(dk network ls --format json -f "name=^$N\$" | jq -r .Name)" "$N"
	assert_equal "$(dk network ls -q -f type=builtin)" "$(dk network ls -q -f name=^bridge\$)"
	assert_equal "$(dk network ls -q -f type=custom -f "name=^$N-2" --no-trunc)" \
		"$(dk network inspect "$N-2" | jq -r '.[0].Id')"
	id=$(dk network inspect "$N" | jq -r '.[0].Id')
	assert_equal "$(dk network ls -q -f "id=${id:0:5}")" "${id:0:12}"
	assert_equal "$(dk network ls -q -f label=x)" ""
	assert_equal "$(dk network ls --format '{{.Name}}/{{.Driver}}/{{.Internal}}' -f "name=^$N\$")" \
		"$N/bridge/false"
	assert_equal "$(dk network ls --format 'table {{.Name}}' -f "name=^$N\$")" "NAME
$N"
	run dk network ls -f color=red
	assert_failure 1
	assert_output_contains "invalid filter 'color'"
	run dk network ls -f name
	assert_failure 2
	run dk network create --help
	assert_success
	assert_output_contains "Usage: network create"
	dk network rm "$N-2" >/dev/null
	run dk network rm "$N"
	assert_success
	[ ! -e "$DK_ROOT/networks/$N.conflist" ]
}

@test "dk run on the default bridge: address, default route, hosts, hostname, resolv.conf" {
	run dk run --rm --name "$N" --add-host db.example:192.0.2.7 --dns 192.0.2.53 \
		--dns-search example.org busybox sh -c \
		'busybox ip -4 addr show eth0; busybox ip route; cat /etc/hosts /etc/hostname /etc/resolv.conf'
	assert_success
	assert_output_contains "inet 172.17.0."
	assert_output_contains "default via 172.17.0.1"
	assert_output_contains "192.0.2.7	db.example"
	assert_output_contains "nameserver 192.0.2.53"
	assert_output_contains "search example.org"
	assert_output_contains "127.0.0.1	localhost"
}

@test "outbound NAT: a container reaches a server on the namespace's host side" {
	run dk run --rm busybox busybox wget -qO- http://198.51.100.1:8099/
	assert_success
	assert_output_contains "from the host side"
}

@test "two containers on a user network reach each other by name and alias, TCP and UDP" {
	nettools
	dk network create "$N" >/dev/null
	dk run -d --name "$N-srv" --network "$N" --network-alias db nettools sh -c \
		'while true; do echo tcp-hello | busybox nc -l -p 7000; done & udpcat listen 7001' >/dev/null
	run dk run --rm --network "$N" busybox sh -c \
		"for i in \$(seq 50); do out=\$(busybox nc -w 2 $N-srv 7000 </dev/null) && [ -n \"\$out\" ] && break; sleep 0.1; done; echo \"\$out\""
	assert_success
	assert_output_contains "tcp-hello"
	run dk run --rm --network "$N" busybox sh -c 'busybox nc -w 2 db 7000 </dev/null'
	assert_output_contains "tcp-hello"
	# UDP: the name through dnsmasq (itself UDP), then a datagram and its answer
	run dk run --rm --network "$N" nettools sh -c \
		"ip=\$(busybox nslookup $N-srv | awk '/^Address/ {a=\$NF} END {print a}'); echo \$ip; udpcat send \$ip 7001 udp-hello"
	assert_success
	assert_output_contains "pong"
	assert_equal "$(dk wait "$N-srv")" "0"
	run dk logs "$N-srv"
	assert_output_contains "udp-hello from"
}

@test "-p 8080, -P, -p 127.0.0.1:X:80/udp and ranges; dk port in docker's format" {
	cat >"$BATS_TEST_TMPDIR/Dockerfile" <<'DF'
FROM busybox
EXPOSE 80 81/udp
DF
	dk build -q -t exposing "$BATS_TEST_TMPDIR" >/dev/null
	id=$(dk run -d -p 8080 -p 127.0.0.1:18081:80/udp -p 18090-18091:90-91 busybox sleep 100)
	run dk port "$id"
	assert_success
	echo "$output" | grep -E '^8080/tcp -> 0\.0\.0\.0:[0-9]+$'
	assert_output_contains "80/udp -> 127.0.0.1:18081"
	assert_output_contains "90/tcp -> 0.0.0.0:18090"
	assert_output_contains "91/tcp -> 0.0.0.0:18091"
	run dk port "$id" 80/udp
	assert_equal "$output" "127.0.0.1:18081"
	run dk ps --format '{{.Ports}}'
	assert_output_contains "127.0.0.1:18081->80/udp"
	id2=$(dk run -d -P exposing sleep 100)
	run dk port "$id2"
	echo "$output" | grep -E '^80/tcp -> 0\.0\.0\.0:[0-9]+$'
	echo "$output" | grep -E '^81/udp -> 0\.0\.0\.0:[0-9]+$'
}

@test "a published port serves the host's loopback, its other address and other containers" {
	dk run -d --name "$N" -p 18080:8080 busybox sh -c \
		'mkdir /www && echo served >/www/index.html && exec busybox httpd -f -p 8080 -h /www' >/dev/null
	for _ in $(seq 50); do
		out=$(curl -s --max-time 2 http://127.0.0.1:18080/) && break
		sleep 0.1
	done
	assert_equal "$out" "served"
	run curl -s --max-time 2 http://198.51.100.1:18080/
	assert_equal "$output" "served"
	run dk run --rm busybox busybox wget -qO- http://198.51.100.1:18080/
	assert_output_contains "served"
	# UDP through the kernel path, from the host's loopback
	nettools
	id=$(dk run -d -p 127.0.0.1:18082:53/udp nettools udpcat listen 53)
	run "$NETCTX/udpcat" send 127.0.0.1 18082 ping-udp
	assert_success
	assert_equal "$output" "pong"
	dk wait "$id" >/dev/null
	run dk logs "$id"
	assert_output_contains "ping-udp from"
}

@test "port is already allocated: exit 125, nothing left" {
	dk run -d -p 18085:80 busybox sleep 100 >/dev/null
	before=$(iptables-save | grep -vc '^#')
	run dk run -d -p 18085:80 busybox sleep 100
	assert_equal "$status" 125
	assert_output_contains "port is already allocated"
	assert_equal "$(iptables-save | grep -vc '^#')" "$before"
	assert_equal "$(ls "$DK_ROOT/netns" | wc -l)" "2" # the first's file and .d
	# a port a host process holds
	python3 -c 'import socket,sys,time
s = socket.socket(); s.bind(("127.0.0.1", 18086)); s.listen(); open(sys.argv[1], "w").close(); time.sleep(30)' \
		"$BATS_TEST_TMPDIR/bound" 3>&- &
	pid=$!
	for _ in $(seq 100); do [ -e "$BATS_TEST_TMPDIR/bound" ] && break; sleep 0.05; done
	run dk run -d -p 127.0.0.1:18086:80 busybox sleep 100
	kill "$pid"
	assert_equal "$status" 125
	assert_output_contains "port is already allocated"
}

@test "20 concurrent containers get 20 distinct addresses; rm -f and network rm leave nothing" {
	links=$(ip -o link | awk -F': ' '{print $2}' | sort)
	rules=$(iptables-save | grep -v '^#' | sed 's/\[[0-9:]*\]//' | sort)
	dk network create "$N" >/dev/null
	for i in $(seq 20); do
		dk run -d --network "$N" --name "$N-$i" busybox sleep 100 >"$BATS_TEST_TMPDIR/id.$i" &
	done
	wait
	for i in $(seq 20); do ip_of "$N-$i"; done >"$BATS_TEST_TMPDIR/ips"
	assert_equal "$(sort -u "$BATS_TEST_TMPDIR/ips" | wc -l)" "20"
	assert_equal "$(ls "$DK_ROOT/networks/ipam/$N" | grep -c '^[0-9]')" "20"
	dk rm -f $(dk ps -aq) >/dev/null
	assert_equal "$(ls "$DK_ROOT/networks/ipam/$N" | grep -c '^[0-9]')" "0"
	dk network rm "$N" >/dev/null
	assert_equal "$(ip -o link | awk -F': ' '{print $2}' | sort)" "$links"
	assert_equal "$(iptables-save | grep -v '^#' | sed 's/\[[0-9:]*\]//' | sort)" "$rules"
	[ ! -e "$DK_ROOT/networks/ipam/$N" ]
	assert_equal "$(ls "$DK_ROOT/netns" | wc -l)" "0"
}

@test "two dk roots on one host share dk0 and its lease store (/run/dk/ipam): distinct addresses" {
	local r2="$BATS_TEST_TMPDIR/root2" i
	mkdir -p "$r2/images"
	skopeo copy -q "oci:$(busybox_layout):latest" \
		"oci:$r2/images:docker.io/library/busybox:latest"
	for i in 1 2 3; do
		dk run -d --name "$N-a$i" busybox sleep 100 >/dev/null &
		DK_ROOT=$r2 dk run -d --name "$N-b$i" busybox sleep 100 >/dev/null &
	done
	wait
	for i in 1 2 3; do
		ip_of "$N-a$i"
		DK_ROOT=$r2 ip_of "$N-b$i"
	done >"$BATS_TEST_TMPDIR/ips"
	assert_equal "$(sort -u "$BATS_TEST_TMPDIR/ips" | wc -l)" "6"
	assert_equal "$(ls /run/dk/ipam/bridge | grep -c '^[0-9]')" "6"
	# one root's network rm keeps the other's leases
	dk rm -f $(dk ps -aq) >/dev/null
	dk network rm bridge >/dev/null
	assert_equal "$(ls /run/dk/ipam/bridge | grep -c '^[0-9]')" "3"
	DK_ROOT=$r2 dk rm -f $(DK_ROOT=$r2 dk ps -aq) >/dev/null
	DK_ROOT=$r2 dk network rm bridge >/dev/null
	[ ! -e /run/dk/ipam/bridge ]
}

@test "kill -9 of the monitor: rm still tears the network down and the lease is reclaimed" {
	dk network create --subnet 10.124.0.0/29 "$N" >/dev/null
	id=$(dk run -d --network "$N" --name "$N" busybox sleep 100)
	mon=$(dk inspect "$N" | jq -r '.[0].State.MonitorPid // empty')
	[ -n "$mon" ] || mon=$(pgrep -f "monitor.*$id" | head -1)
	kill -9 "$mon"
	# the next command that reads the record finds the monitor gone: the
	# container is recorded as exited and leaves its network
	dk ps -a >/dev/null
	assert_equal "$(ls "$DK_ROOT/networks/ipam/$N" | grep -c '^[0-9]')" "0"
	[ ! -e "$DK_ROOT/netns/$id" ]
	dk rm -f "$N" >/dev/null
	assert_equal "$(ls "$DK_ROOT/networks/ipam/$N" | grep -c '^[0-9]')" "0"
	[ ! -e "$DK_ROOT/netns/$id" ]
	# the /29 has 5 addresses for containers: all usable again, repeatedly
	for i in 1 2 3 4 5 6; do
		dk run --rm --network "$N" busybox true
	done
}

@test "bad input: overlap, missing network, --ip outside the subnet, rm of a network in use" {
	dk network create --subnet 10.125.0.0/16 "$N" >/dev/null
	run dk network create --subnet 10.125.1.0/24 "$N-b"
	assert_failure
	assert_output_contains "overlaps"
	[ ! -e "$DK_ROOT/networks/$N-b.conflist" ]
	run dk network create --subnet 10.126.0.0/16 "$N"
	assert_failure
	assert_output_contains "already exists"
	run dk run --rm --network nosuch busybox true
	assert_equal "$status" 125
	assert_output_contains "network nosuch not found"
	run dk run --rm --network "$N" --ip 10.9.9.9 busybox true
	assert_equal "$status" 125
	assert_output_contains "10.9.9.9"
	assert_equal "$(dk ps -aq | wc -l)" "0"
	run dk run --rm --network "$N" --ip 10.125.3.4 busybox busybox ip -4 addr show eth0
	assert_success
	assert_output_contains "10.125.3.4/16"
	dk run -d --network "$N" busybox sleep 100 >/dev/null
	run dk network rm "$N"
	assert_failure
	assert_output_contains "active endpoints"
	[ -e "$DK_ROOT/networks/$N.conflist" ]
	run dk run --rm -p 99999:80 busybox true
	assert_equal "$status" 125
}

@test "--network none and host; container:NAME shares a namespace" {
	run dk run --rm --network none busybox busybox ip -o link
	assert_success
	assert_equal "$(echo "$output" | wc -l)" "1"
	run dk run --rm --network host busybox busybox ip -o addr
	assert_output_contains "198.51.100.1"
	dk run -d --name "$N" busybox sleep 100 >/dev/null
	a=$(ip_of "$N")
	run dk run --rm --network "container:$N" busybox busybox ip -4 addr show eth0
	assert_output_contains "$a/"
}

@test "dk network connect and disconnect a running container" {
	dk network create "$N" >/dev/null
	dk run -d --name "$N" busybox sleep 100 >/dev/null
	dk network connect "$N" "$N"
	run dk exec "$N" busybox ip -o link
	assert_output_contains "eth1"
	dk network disconnect "$N" "$N"
	run dk exec "$N" busybox ip -o link
	[[ "$output" != *eth1* ]]
	dk network rm "$N"
}

@test "dk build: RUN steps reach a server through the default network; --network none cannot" {
	ctx="$BATS_TEST_TMPDIR/ctx"
	mkdir -p "$ctx"
	printf 'FROM busybox\nRUN wget -qO /fetched.html http://198.51.100.1:8099/ && grep -c nameserver /etc/resolv.conf >/ns.txt\n' \
		>"$ctx/Dockerfile"
	run dk build -t "$N-b" "$ctx"
	assert_success
	assert_equal "$(dk run --rm "$N-b" cat /fetched.html)" "from the host side"
	[ "$(dk run --rm "$N-b" cat /ns.txt)" -ge 1 ]
	# the step's hosts and resolv.conf mount points are not in the layer
	dk create --name "$N-c" "$N-b" true >/dev/null
	dk export "$N-c" >"$BATS_TEST_TMPDIR/fs.tar"
	! tar -tf "$BATS_TEST_TMPDIR/fs.tar" | grep -qx 'etc/resolv.conf' || false
	! tar -tf "$BATS_TEST_TMPDIR/fs.tar" | grep -qx 'etc/hosts' || false
	# no network for the steps: the same RUN fails
	run dk build --network none --no-cache -t "$N-n" "$ctx"
	assert_failure
	printf 'FROM busybox\nRUN --network=none wget -qO /x http://198.51.100.1:8099/\n' >"$ctx/Dockerfile"
	run dk build -t "$N-n2" "$ctx"
	assert_failure
	run dk build --network bogus "$ctx"
	assert_failure 2
	assert_output_contains "not supported"
	# every step left its network: no namespace file, no lease
	assert_equal "$(ls "$DK_ROOT/netns" 2>/dev/null | wc -l)" "0"
	assert_equal "$(find "$DK_ROOT/networks/ipam" -type f -name '10.*' -o -type f -name '172.*' 2>/dev/null | wc -l)" "0"
}

@test "network inspect -f: Go templates, --format json, bad templates" {
	dk network create --subnet 10.124.0.0/24 "$N" >/dev/null
	run dk network inspect -f '{{.Name}} {{(index .IPAM.Config 0).Subnet}} {{range .IPAM.Config}}{{.Gateway}}{{end}}' "$N"
	assert_success
	assert_equal "$output" "$N 10.124.0.0/24 10.124.0.1"
	run dk inspect --type network --format '{{.Id}}' "$N"
	assert_success
	assert_equal "$output" "$(dk network inspect "$N" | jq -r '.[0].Id')"
	run dk network inspect --format json "$N"
	assert_success
	assert_equal "$(echo "$output" | jq -r .Name)" "$N"
	run dk network inspect -f '{{if eq .Name "nope"}}x{{end' "$N"
	assert_failure 1
	assert_equal "$output" "template parsing error: template: :1: unclosed action"
	run dk network inspect -f '{{index .IPAM.Config 5}}' "$N"
	assert_failure 1
	assert_output_contains "error calling index: index out of range: 5"
}
