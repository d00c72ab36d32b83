# archive: load reads archives through lib/layer.c (libarchive); peers in
# the tests: skopeo (docker-archive:, oci-archive:) and podman save/load.
DEPS += libarchive-dev skopeo podman
