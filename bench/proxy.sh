# SPDX-License-Identifier: GPL-2.0-or-later
# bench/proxy.sh: publishing a port of a network namespace: dk's proxy
# against socat relaying through nsenter (how it is done without docker),
# for many small requests and one large transfer.
set -eu
. "$DK_TOP/bench/lib.sh"
work=$(mktemp -d /tmp/dk-bench-proxy.XXXXXX)
mkdir -p "$work/www"
echo small >"$work/www/small"
head -c 50000000 /dev/zero >"$work/www/big"
unshare -n sh -c 'ip link set lo up; exec busybox httpd -f -p 127.0.0.1:8080 -h "$1"' sh "$work/www" &
ns=$!
sleep 0.3
proxy --netns "/proc/$ns/ns/net" --listen 127.0.0.1:0 --to 8080 >"$work/port" &
px=$!
socat TCP-LISTEN:0,bind=127.0.0.1,fork,reuseaddr \
	"EXEC:nsenter -t $ns -n socat STDIO TCP\:127.0.0.1\:8080" &
sx=$!
sleep 0.3
dport=$(cat "$work/port")
sport=$(ss -ltnp | awk -v pid="pid=$sx," '$0 ~ pid {split($4, a, ":"); print a[2]}' | head -1)
trap 'kill $px $sx $ns 2>/dev/null; rm -rf "$work"' EXIT
bench_pair "20 small requests" 7 \
	"for i in \$(seq 20); do curl -s http://127.0.0.1:$dport/small; done" socat \
	"for i in \$(seq 20); do curl -s http://127.0.0.1:$sport/small; done"
bench_pair "one 50 MB transfer" 5 \
	"curl -s -o /dev/null http://127.0.0.1:$dport/big" socat \
	"curl -s -o /dev/null http://127.0.0.1:$sport/big"
