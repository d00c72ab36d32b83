# snapshot: lib/layer.c applies layers through libarchive; extraction threads
snapshot_LDLIBS := -lpthread
DEPS += libarchive-dev umoci skopeo attr python3 jq util-linux
