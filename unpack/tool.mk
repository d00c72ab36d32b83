# unpack: layer application needs libarchive (gzip and zstd through it).
unpack_PKGS := libarchive
DEPS += libarchive-dev zstd python3 umoci runc crun skopeo
