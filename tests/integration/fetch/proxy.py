#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# proxy.py: a small HTTP server on 127.0.0.1 in front of a real registry,
# for fetch's tests of what a registry should not do. Usage:
#   proxy.py PORTFILE UPSTREAM MODE LOG
# It writes its port to PORTFILE, forwards requests to UPSTREAM
# (127.0.0.1:PORT) and logs one line per request to LOG
# ("METHOD PATH range=... auth=yes|no"); as an HTTPS proxy it logs the
# CONNECT target and refuses it. MODE (comma-separated):
#   cut        the first blob GET sends half its body, then drops the line
#   norange    ignore Range headers (answer 200 with the whole blob)
#   corrupt    flip one byte of every blob body
#   busy       the first manifest and blob GETs answer 503, then 429
#   schema1    manifests of repository "old/img" are schema 1 documents
#   redirect   blob GETs answer 307 to http://localhost:PORT/_blob/..., which
#              fetches from the registry with $UPSTREAM_AUTH
#   hubsearch  /v1/search answers in Docker Hub's format
#   relative   Location headers lose their scheme and host
#   slowblob   the first blob GET waits 3.5 s before going upstream
#   slowall    every blob GET waits 0.4 s before going upstream and logs
#              "inflight=N", the blob GETs being served at its start
import http.client, json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTFILE, UPSTREAM, MODE, LOG = sys.argv[1:5]
MODES = set(MODE.split(","))
state = {"cut": 0, "busy": 0, "slow": 0, "inflight": 0}
lock = threading.Lock()

SCHEMA1 = json.dumps({"schemaVersion": 1, "name": "old/img", "tag": "latest",
                      "architecture": "amd64", "fsLayers": [], "history": []})


def once(key, limit=1):
    with lock:
        state[key] += 1
        return state[key] <= limit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def log(self):
        with lock, open(LOG, "a") as f:
            f.write("%s %s range=%s auth=%s\n" % (
                self.command, self.path, self.headers.get("Range", "-"),
                "yes" if self.headers.get("Authorization") else "no"))

    def upstream(self, path, headers):
        conn = http.client.HTTPConnection(UPSTREAM, timeout=30)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        conn.request(self.command, path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r, data

    def send(self, status, headers, data, cut=False):
        self.send_response(status)
        for k, v in headers:
            if k.lower() == "location" and "relative" in MODES and "://" in v:
                v = "/" + v.split("://", 1)[1].split("/", 1)[1]
            if k.lower() not in ("content-length", "connection",
                                 "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if cut:
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(data)

    def hub_search(self):
        res = {"num_results": 2, "query": self.path, "results": [
            {"name": "busybox", "description": "Busybox base image.",
             "star_count": 3300, "is_official": True, "is_automated": False},
            {"name": "someone/busybox-tools",
             "description": "x" * 80, "star_count": 7,
             "is_official": False, "is_automated": True}]}
        self.send(200, [("Content-Type", "application/json")],
                  json.dumps(res).encode())

    def handle_any(self):
        self.log()
        path = self.path
        is_blob = "/blobs/sha256:" in path and self.command == "GET"
        is_man = "/manifests/" in path and self.command == "GET"
        if path.startswith("/v1/search") and "hubsearch" in MODES:
            return self.hub_search()
        if "schema1" in MODES and path.startswith("/v2/old/img/manifests/"):
            return self.send(200, [("Content-Type",
                             "application/vnd.docker.distribution.manifest.v1+prettyjws")],
                             SCHEMA1.encode())
        if "busy" in MODES and (is_blob or is_man) and once("busy", 2):
            code = 503 if state["busy"] == 1 else 429
            return self.send(code, [("Retry-After", "1")], b"busy\n")
        if "redirect" in MODES and is_blob and not path.startswith("/_blob/"):
            port = self.server.server_address[1]
            loc = "http://localhost:%d/_blob%s" % (port, path)
            return self.send(307, [("Location", loc)], b"")
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "connection")}
        if path.startswith("/_blob/"):
            # the redirect target: fetch from the registry with our own
            # credentials (the client must not have sent any here)
            path = path[len("/_blob"):]
            is_blob = True
            if os.environ.get("UPSTREAM_AUTH"):
                headers["Authorization"] = os.environ["UPSTREAM_AUTH"]
        if "norange" in MODES:
            headers.pop("Range", None)
        if "slowblob" in MODES and is_blob and once("slow"):
            time.sleep(3.5)
        if "slowall" in MODES and is_blob:
            return self.slow_blob(path, headers)
        r, data = self.upstream(path, headers)
        if is_blob and r.status in (200, 206) and "corrupt" in MODES and data:
            data = bytes([data[0] ^ 0xff]) + data[1:]
        cut = is_blob and r.status == 200 and "cut" in MODES and \
            len(data) > 1024 and once("cut")
        self.send(r.status, r.getheaders(), data, cut)

    def slow_blob(self, path, headers):
        with lock, open(LOG, "a") as f:
            state["inflight"] += 1
            f.write("inflight=%d\n" % state["inflight"])
        try:
            time.sleep(0.4)
            r, data = self.upstream(path, headers)
            self.send(r.status, r.getheaders(), data)
        finally:
            with lock:
                state["inflight"] -= 1

    def do_CONNECT(self):
        # used as an HTTPS proxy: log where the client wanted to go, and
        # refuse, so nothing leaves this machine
        self.log()
        self.send(403, [], b"")
        self.close_connection = True

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
srv.serve_forever()
