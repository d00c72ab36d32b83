# commit: gzip through libdeflate, zstd through libzstd (commit/codec.c),
# compressed on worker threads (commit/pgzip.c); pigz for bench/commit.sh
commit_PKGS := libdeflate libzstd
commit_LDLIBS := -pthread
DEPS += libdeflate-dev libzstd-dev zstd skopeo umoci jq pigz
