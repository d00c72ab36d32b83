# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for fetch.bats: a fault-injecting proxy in front of the registry,
# a token server and a registry that trusts it, hand-made OCI layouts.
# Servers listen on 127.0.0.1 only; each stop_* kills only its own pid.

FETCH_HELPERS="$BATS_TEST_DIRNAME/fetch"

# _start_py VAR SCRIPT ARGS...: run a python server that writes its port to
# a file; sets ${VAR}_PID and ${VAR}_PORT.
_start_py() {
	local var=$1 script=$2 portfile i
	shift 2
	portfile="$(_dk_tmpdir)/$var.port"
	rm -f "$portfile"
	python3 "$FETCH_HELPERS/$script" "$portfile" "$@" \
		>"$(_dk_tmpdir)/$var.out" 2>&1 </dev/null 3>&- &
	printf -v "${var}_PID" %s "$!"
	for i in $(seq 1 100); do
		if [ -s "$portfile" ]; then
			printf -v "${var}_PORT" %s "$(cat "$portfile")"
			return 0
		fi
		sleep 0.05
	done
	echo "$script did not start:" >&2
	cat "$(_dk_tmpdir)/$var.out" >&2
	return 1
}

_stop_pid() {
	local pid=$1
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# start_proxy MODES: proxy.py in front of $REGISTRY; sets PROXY (host:port)
# and PROXY_LOG (one line per request).
start_proxy() {
	PROXY_LOG="$(_dk_tmpdir)/proxy.log"
	: >"$PROXY_LOG"
	_start_py PROXYSRV proxy.py "$REGISTRY" "$1" "$PROXY_LOG" || return 1
	PROXY="127.0.0.1:$PROXYSRV_PORT"
}

stop_proxy() {
	_stop_pid "${PROXYSRV_PID:-}"
	unset PROXYSRV_PID
}

# start_token_registry [FIELD]: a token server (tokenserver.py) and a registry
# that uses it. Sets REGISTRY, REGISTRY_PID (stop_registry stops it),
# TOKEN_LOG. FIELD: "token" (default) or "access_token".
start_token_registry() {
	local dir port code i
	dir="$(_dk_tmpdir)/tokenauth"
	mkdir -p "$dir/data"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" \
		-out "$dir/cert.pem" -days 2 -subj /CN=dk-test-token \
		>/dev/null 2>&1 || return 1
	TOKEN_LOG="$dir/token.log"
	: >"$TOKEN_LOG"
	_start_py TOKENSRV tokenserver.py "$dir/key.pem" "$dir/cert.pem" "$TOKEN_LOG" \
		"${1:-token}" || return 1
	port=$(_free_port) || return 1
	cat >"$dir/config.yml" <<-YML
		version: 0.1
		log:
		  level: info
		storage:
		  filesystem:
		    rootdirectory: "$dir/data"
		http:
		  addr: 127.0.0.1:$port
		auth:
		  token:
		    realm: "http://127.0.0.1:$TOKENSRV_PORT/token"
		    service: dk-test-registry
		    issuer: dk-test-token
		    rootcertbundle: "$dir/cert.pem"
	YML
	REGISTRY_LOG="$dir/registry.log"
	env $(compgen -e | sed -n 's/^REGISTRY_/-u &/p') \
		docker-registry serve "$dir/config.yml" \
		>>"$REGISTRY_LOG" 2>&1 </dev/null 3>&- &
	REGISTRY_PID=$!
	REGISTRY="127.0.0.1:$port"
	for i in $(seq 1 100); do
		code=$(curl -s --noproxy '*' --max-time 1 -o /dev/null \
			-w '%{http_code}' "http://$REGISTRY/v2/" 2>/dev/null) || true
		[ "$code" = 401 ] && return 0
		sleep 0.1
	done
	echo "token registry did not start:" >&2
	cat "$REGISTRY_LOG" >&2
	return 1
}

stop_token_server() {
	_stop_pid "${TOKENSRV_PID:-}"
	unset TOKENSRV_PID
}

# fixture_layout NAME ARGS...: cached layout built by fixture.py (NAME is
# multiarch or big-MB-N); prints its path.
fixture_layout() {
	local name=$1 dir
	shift
	dir="$DK_FIXTURE_DIR/fetch-$name"
	if [ ! -f "$dir/.complete" ]; then
		mkdir -p "$DK_FIXTURE_DIR"
		(
			flock 9
			[ -f "$dir/.complete" ] && exit 0
			rm -rf "$dir" "$dir.tmp"
			python3 "$FETCH_HELPERS/fixture.py" "$@" "$dir.tmp" >&2 || exit 1
			touch "$dir.tmp/.complete"
			mv "$dir.tmp" "$dir"
		) 9>"$DK_FIXTURE_DIR/fetch-$name.lock" || return 1
	fi
	echo "$dir"
}

# push_layout LAYOUT REF [skopeo options]: copy tag latest of LAYOUT to
# docker://$REGISTRY/REF unchanged.
push_layout() {
	local layout=$1 ref=$2
	shift 2
	skopeo copy --quiet --dest-tls-verify=false --preserve-digests "$@" \
		"oci:$layout:latest" "docker://$REGISTRY/$ref"
}

# Digest of a remote manifest as skopeo sees it.
skopeo_digest() {
	skopeo inspect --raw --tls-verify=false "$@" | sha256sum |
		sed 's/^/sha256:/; s/ .*//'
}
