# SPDX-License-Identifier: GPL-2.0-or-later
runtime_PKGS := libseccomp libcap
DEPS += podman containerd python3
