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

# _serve_registry DIR EXTRA_YAML: docker-registry on a free
# 127.0.0.1 port with storage in DIR/data and EXTRA_YAML appended under
# its http/auth sections as given; sets REGISTRY, REGISTRY_PID (for
# stop_registry) and REGISTRY_LOG.
_serve_registry() {
	local dir=$1 extra=$2 port i
	port=$(_free_port) || return 1
	mkdir -p "$dir/data"
	printf '%s\n' "version: 0.1" "log:" "  level: info" "storage:" \
		"  filesystem:" "    rootdirectory: \"$dir/data\"" "http:" \
		"  addr: 127.0.0.1:$port" "$extra" >"$dir/config.yml"
	REGISTRY_LOG="$dir/registry.log"
	env $(compgen -e | sed -n 's/^REGISTRY_/-u &/p') \
		docker-registry serve "$dir/config.yml" \
		>>"$REGISTRY_LOG" 2>&1 </dev/null 3>&- &
	REGISTRY_PID=$!
	REGISTRY="127.0.0.1:$port"
	for i in $(seq 1 100); do
		# "listening on": a TLS server may want a client certificate
		grep -qs "listening on $REGISTRY" "$REGISTRY_LOG" && return 0
		sleep 0.1
	done
	echo "registry did not start:" >&2
	cat "$REGISTRY_LOG" >&2
	return 1
}

# _cert DIR CN: a self-signed key.pem/cert.pem in DIR.
_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/key.pem" \
		-out "$1/cert.pem" -days 2 -subj "/CN=$2" \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1
}

# start_token_registry [FIELD]: a token server (tokenserver.py) and a
# registry that uses it. Sets REGISTRY, REGISTRY_PID, TOKEN_LOG. FIELD:
# "token" (default) or "access_token".
start_token_registry() {
	local dir
	dir="$(_dk_tmpdir)/tokenauth"
	mkdir -p "$dir"
	_cert "$dir" dk-test-token || return 1
	TOKEN_LOG="$dir/token.log"
	: >"$TOKEN_LOG"
	_start_py TOKENSRV tokenserver.py "$dir/key.pem" "$dir/cert.pem" "$TOKEN_LOG" \
		"${1:-token}" || return 1
	_serve_registry "$dir" "$(printf '%s\n' "auth:" "  token:" \
		"    realm: \"http://127.0.0.1:$TOKENSRV_PORT/token\"" \
		"    service: dk-test-registry" "    issuer: dk-test-token" \
		"    rootcertbundle: \"$dir/cert.pem\"")"
}

# start_tls_registry [clientcas]: a registry serving HTTPS only
# (self-signed); with "clientcas" it also wants a client certificate signed
# by $TLS_DIR/ca/ca.pem; $TLS_DIR/client/ holds one (client.cert/.key).
start_tls_registry() {
	local extra=""
	TLS_DIR="$(_dk_tmpdir)/tls"
	mkdir -p "$TLS_DIR"
	_cert "$TLS_DIR" 127.0.0.1 || return 1
	if [ "${1:-}" = clientcas ]; then
		_client_certs "$TLS_DIR/ca" "$TLS_DIR/client" || return 1
		extra=$(printf '%s\n' "    clientcas:" "      - \"$TLS_DIR/ca/ca.pem\"")
	fi
	_serve_registry "$TLS_DIR" "$(printf '%s\n' "  tls:" \
		"    certificate: \"$TLS_DIR/cert.pem\"" "    key: \"$TLS_DIR/key.pem\"" \
		"$extra")"
}

# _client_certs CADIR CLIENTDIR: CADIR/ca.pem and a CLIENTDIR/client.cert
# (and .key) it signed.
_client_certs() {
	mkdir -p "$1" "$2"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ca.key" -out "$1/ca.pem" \
		-days 2 -subj /CN=dk-test-ca >/dev/null 2>&1 &&
		openssl req -newkey rsa:2048 -nodes -keyout "$2/client.key" \
			-out "$1/client.csr" -subj /CN=dk-test-client >/dev/null 2>&1 &&
		openssl x509 -req -in "$1/client.csr" -CA "$1/ca.pem" -CAkey "$1/ca.key" \
			-CAcreateserial -days 2 -out "$2/client.cert" \
			-extfile <(echo "extendedKeyUsage=clientAuth") >/dev/null 2>&1
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
