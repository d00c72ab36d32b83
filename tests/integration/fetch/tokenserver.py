#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# tokenserver.py: a token server for docker-registry's token auth, for fetch's
# tests. Usage: tokenserver.py PORTFILE KEY CERT LOG [FIELD]
# Users: alice:s3cret may pull and push anywhere; anonymous callers may
# pull repositories under public/. Tokens are RS256 JWTs with the
# certificate in x5c (the registry trusts it through rootcertbundle).
# The answer's field is "token" (default) or FIELD ("access_token").
# LOG gets "account=NAME scope=..." per request. Tokens live 300 s; when
# the file LOG.ttl exists, the next token lives as many seconds as it says
# and the file goes (the registry allows 60 s of clock skew: -58 is 2 s).
import base64, json, os, sys, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

PORTFILE, KEY, CERT, LOG = sys.argv[1:5]
FIELD = sys.argv[5] if len(sys.argv) > 5 else "token"
USERS = {"alice": "s3cret"}
key = serialization.load_pem_private_key(open(KEY, "rb").read(), None)
cert = x509.load_pem_x509_certificate(open(CERT, "rb").read())
x5c = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def grant(account, scope):
    parts = scope.split(":")
    if len(parts) != 3 or parts[0] != "repository":
        return None
    want = parts[2].split(",")
    if account:
        allowed = want
    else:
        allowed = [a for a in want if a == "pull" and parts[1].startswith("public/")]
    return {"type": "repository", "name": parts[1], "actions": allowed}


def ttl():
    try:
        with open(LOG + ".ttl") as f:
            v = int(f.read())
        os.unlink(LOG + ".ttl")
        return v
    except FileNotFoundError:
        return 300


def jwt(account, service, access):
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "x5c": [x5c]}
    claims = {"iss": "dk-test-token", "sub": account, "aud": service,
              "exp": now + ttl(),
              "nbf": now - 10, "iat": now,
              "jti": str(uuid.uuid4()), "access": access}
    signing = b64url(json.dumps(header).encode()) + "." + \
        b64url(json.dumps(claims).encode())
    sig = key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing + "." + b64url(sig)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def account(self):
        h = self.headers.get("Authorization", "")
        if not h.startswith("Basic "):
            return ""
        user, _, pw = base64.b64decode(h[6:]).decode().partition(":")
        return user if USERS.get(user) == pw else None

    def do_GET(self):
        q = parse_qs(urlparse(self.path).query)
        account = self.account()
        scopes = q.get("scope", [])
        with open(LOG, "a") as f:
            f.write("account=%s scope=%s\n" % (account or "-", " ".join(scopes)))
        if account is None:
            return self.reply(401, {"details": "invalid credentials"})
        access = [g for g in (grant(account, s) for s in scopes) if g]
        tok = jwt(account, q.get("service", [""])[0], access)
        self.reply(200, {FIELD: tok, "expires_in": 300})


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
srv.serve_forever()
