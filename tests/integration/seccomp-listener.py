#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# seccomp-listener.py SOCKET OUT: a seccomp listener (listenerPath) that
# accepts one connection, saves the container process state JSON it gets
# to OUT and closes the notify fd it got with it, so the notified syscalls
# fail with ENOSYS.
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
msg, fds, _, _ = socket.recv_fds(conn, 65536, 4)
with open(out + ".tmp", "wb") as f:
    f.write(msg)
os.rename(out + ".tmp", out)
for fd in fds:
    os.close(fd)
