#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# recv-console.py SOCKET OUT: the receiving end of --console-socket. Accepts
# one connection, takes the pty master passed with SCM_RIGHTS and copies
# what the container writes to OUT until the pty closes.
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
with open(path + ".ready", "w"):
    pass
conn, _ = s.accept()
_, fds, _, _ = socket.recv_fds(conn, 1024, 1)
master = fds[0]
with open(out, "wb") as f:
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        f.write(data)
        f.flush()
