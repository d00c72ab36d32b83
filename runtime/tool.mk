# SPDX-License-Identifier: GPL-2.0-or-later
# The runtime starts (and re-executes, selfexe.c) for every container and
# exec: libseccomp, libcap and yajl are linked in statically (Debian's -dev
# packages ship the .a files), so the dynamic loader maps libc only and
# binds far fewer symbols at each start. libc stays dynamic: the
# CVE-2019-5736 test needs the binary to have an ELF interpreter.
runtime_LDLIBS := -Wl,--as-needed -Wl,-Bstatic -lseccomp -lcap -lyajl_s -Wl,-Bdynamic
DEPS += podman containerd python3
