# archive: load reads archives through lib/layer.c (libarchive); peers in
# the tests: skopeo (docker-archive:, oci-archive:) and podman save/load.
archive_PKGS := libarchive
DEPS += libarchive-dev skopeo podman
