#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# httpserve.py PORTFILE DIR LOG: a small HTTP server for buildfile.bats on
# 127.0.0.1 (an ephemeral port, written to PORTFILE) serving DIR's files
# with ETag and Last-Modified, answering 304 to a matching If-None-Match.
# /redirect/P answers 302 to /P; /disp/P sends P with a Content-Disposition
# filename of "named.bin". Each request is logged to LOG as
# "METHOD PATH STATUS". Static files also serve a git repository (dumb
# HTTP).
import email.utils
import hashlib
import http.server
import os
import sys

PORTFILE, ROOT, LOG = sys.argv[1], sys.argv[2], sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def note(self, status):
        with open(LOG, "a") as f:
            f.write("%s %s %d\n" % (self.command, self.path, status))

    def answer(self, status, headers=(), body=b""):
        self.note(status)
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        extra = []
        if path.startswith("/redirect/"):
            return self.answer(302, [("Location", path[len("/redirect"):])])
        if path.startswith("/disp/"):
            path = path[len("/disp"):]
            extra.append(("Content-Disposition", 'attachment; filename="named.bin"'))
        full = os.path.realpath(os.path.join(ROOT, path.lstrip("/")))
        if not full.startswith(os.path.realpath(ROOT)) or not os.path.isfile(full):
            return self.answer(404, body=b"not found\n")
        with open(full, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        mtime = email.utils.formatdate(os.stat(full).st_mtime, usegmt=True)
        headers = [("ETag", etag), ("Last-Modified", mtime)] + extra
        if self.headers.get("If-None-Match") == etag:
            return self.answer(304, headers)
        self.answer(200, headers, body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
