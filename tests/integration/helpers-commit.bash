# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for commit.bats and snapshot.bats.

BUSYBOX_REF=docker.io/library/busybox:latest

# import_busybox: the busybox fixture into $DK_ROOT/images as busybox.
import_busybox() {
	skopeo copy --quiet "oci:$(busybox_layout):latest" \
		"oci:$DK_ROOT/images:$BUSYBOX_REF"
}

# import_busybox_docker NAME: the fixture rewritten as a Docker schema2
# image (manifest and config media types) tagged NAME (full reference).
import_busybox_docker() {
	local name=$1 dir=$DK_ROOT/images m cfg mf size digest
	import_busybox || return 1
	m=$(jq -r --arg r "$BUSYBOX_REF" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' "$dir/index.json")
	mf=$(mktemp)
	jq -c '.mediaType = "application/vnd.docker.distribution.manifest.v2+json"
		| .config.mediaType = "application/vnd.docker.container.image.v1+json"
		| .layers[].mediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip"
		| del(.annotations)' "$dir/blobs/sha256/${m#sha256:}" | tr -d '\n' >"$mf"
	digest=sha256:$(sha256sum "$mf" | cut -d' ' -f1)
	size=$(stat -c %s "$mf")
	mv "$mf" "$dir/blobs/sha256/${digest#sha256:}"
	jq --arg d "$digest" --argjson s "$size" --arg n "$name" \
		'.manifests += [{"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "digest": $d, "size": $s, "annotations": {"org.opencontainers.image.ref.name": $n}}]' \
		"$dir/index.json" >"$dir/index.json.new" && mv "$dir/index.json.new" "$dir/index.json"
}

# store_consistent: index.json parses, every blob's content matches its
# name, every tagged manifest's config and layers exist.
store_consistent() {
	local dir=$DK_ROOT/images b d
	jq -e . "$dir/index.json" >/dev/null || return 1
	for b in "$dir"/blobs/sha256/*; do
		[ -e "$b" ] || continue
		[ "$(sha256sum "$b" | cut -d' ' -f1)" = "$(basename "$b")" ] || {
			echo "blob $b: bad content" >&2
			return 1
		}
	done
	for d in $(jq -r '.manifests[].digest' "$dir/index.json"); do
		for b in $(jq -r '.config.digest, .layers[].digest' "$dir/blobs/sha256/${d#sha256:}"); do
			[ -f "$dir/blobs/sha256/${b#sha256:}" ] || {
				echo "manifest $d: missing $b" >&2
				return 1
			}
		done
	done
}

# blob_count: number of blobs in the store.
blob_count() {
	find "$DK_ROOT/images/blobs" -type f | wc -l
}

# manifest_of REF: the raw manifest tagged REF (full reference), read from
# the layout directly (skopeo's oci: transport skips Docker media types).
manifest_of() {
	local d
	d=$(jq -er --arg r "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' \
		"$DK_ROOT/images/index.json") || return 1
	cat "$DK_ROOT/images/blobs/sha256/${d#sha256:}"
}

# config_of REF: the raw image config of REF.
config_of() {
	local d
	d=$(manifest_of "$1" | jq -r .config.digest) || return 1
	cat "$DK_ROOT/images/blobs/sha256/${d#sha256:}"
}

# layer_tar DIR OUT: a tar of DIR's contents (GNU tar, numeric owners).
layer_tar() {
	tar -C "$1" --numeric-owner --sort=name -cf "$2" .
}
