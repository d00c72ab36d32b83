# unpack: layer application through lib/layer.c, which loads libarchive on
# first use (lib/archive_dl.c): only its headers are needed to build.
DEPS += libarchive-dev zstd python3 umoci runc crun skopeo
