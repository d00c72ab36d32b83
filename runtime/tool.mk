# SPDX-License-Identifier: GPL-2.0-or-later
# The runtime starts (and re-executes itself, selfexe.c) for every
# container and every exec: it is linked static-pie, so no dynamic loader
# maps libraries and binds symbols at each start (a tenth of `run`'s CPU
# time). Debian's -dev packages ship the .a files (libyajl-dev's is
# libyajl_s.a). The sanitizers need a dynamic libc: under SAN only the
# three libraries are static.
ifeq ($(strip $(SAN)),)
runtime_LDLIBS := -static-pie -lseccomp -lcap
else
runtime_LDLIBS := -Wl,--as-needed -Wl,-Bstatic -lseccomp -lcap -lyajl_s -Wl,-Bdynamic
endif
runtime_LIB_LDLIBS := -lyajl_s
DEPS += podman containerd python3
