# commit: gzip through zlib, zstd through libzstd (commit/compress.c)
commit_PKGS := zlib libzstd
DEPS += zlib1g-dev libzstd-dev zstd skopeo umoci jq
