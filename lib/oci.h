// SPDX-License-Identifier: GPL-2.0-or-later
/* oci.h: OCI image types (descriptor, index, manifest, image config) and
 * their Docker schema2 twins (manifest list, manifest): media types, parse,
 * emit. Configs keep fields we do not model, so a rewrite loses nothing. */
#ifndef DK_OCI_H
#define DK_OCI_H

#include <stdbool.h>
#include <stdint.h>
#include "digest.h"
#include "json.h"

#define DK_MT_OCI_INDEX		    "application/vnd.oci.image.index.v1+json"
#define DK_MT_OCI_MANIFEST	    "application/vnd.oci.image.manifest.v1+json"
#define DK_MT_OCI_CONFIG	    "application/vnd.oci.image.config.v1+json"
#define DK_MT_OCI_LAYER		    "application/vnd.oci.image.layer.v1.tar"
#define DK_MT_OCI_LAYER_GZIP	    "application/vnd.oci.image.layer.v1.tar+gzip"
#define DK_MT_OCI_LAYER_ZSTD	    "application/vnd.oci.image.layer.v1.tar+zstd"
#define DK_MT_OCI_LAYER_ND	    "application/vnd.oci.image.layer.nondistributable.v1.tar"
#define DK_MT_OCI_LAYER_ND_GZIP	    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
#define DK_MT_OCI_LAYER_ND_ZSTD	    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
#define DK_MT_DOCKER_LIST	    "application/vnd.docker.distribution.manifest.list.v2+json"
#define DK_MT_DOCKER_MANIFEST	    "application/vnd.docker.distribution.manifest.v2+json"
#define DK_MT_DOCKER_SCHEMA1	    "application/vnd.docker.distribution.manifest.v1+json"
#define DK_MT_DOCKER_SCHEMA1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define DK_MT_DOCKER_CONFIG	    "application/vnd.docker.container.image.v1+json"
#define DK_MT_DOCKER_LAYER	    "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define DK_MT_DOCKER_LAYER_FOREIGN  "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"

#define DK_ANNOT_REF_NAME "org.opencontainers.image.ref.name"

enum dk_doc_kind { DK_DOC_UNKNOWN, DK_DOC_INDEX, DK_DOC_MANIFEST, DK_DOC_SCHEMA1 };
enum dk_compression { DK_COMP_NONE, DK_COMP_GZIP, DK_COMP_ZSTD, DK_COMP_UNKNOWN };

struct dk_platform {
	char *os, *architecture, *variant, *os_version;
};

struct dk_descriptor {
	char *media_type;
	struct dk_digest digest;
	int64_t size;
	char **annotations; /* key, value, key, value, ..., NULL */
	char **urls;
	struct dk_platform *platform; /* NULL when absent */
	char *artifact_type;
};

struct dk_index {
	int schema_version;
	char *media_type; /* NULL when absent (as in index.json) */
	struct dk_descriptor *manifests;
	size_t n_manifests;
	char **annotations;
};

struct dk_manifest {
	int schema_version;
	char *media_type;
	struct dk_descriptor config;
	struct dk_descriptor *layers;
	size_t n_layers;
	char **annotations;
};

struct dk_history {
	char *created, *created_by, *author, *comment;
	bool empty_layer;
};

/* config.Healthcheck; durations in nanoseconds, 0: not set. */
struct dk_healthcheck {
	char **test; /* ["NONE"], ["CMD", ...], ["CMD-SHELL", cmd] */
	int64_t interval, timeout, start_period, start_interval, retries;
};
/* The part of config.config that builders and runtimes use. */
struct dk_run_config {
	char *user, *working_dir, *stop_signal;
	char **env, **entrypoint, **cmd, **onbuild;
	char **exposed_ports;		    /* "80/tcp", ... */
	char **volumes;			    /* "/data", ... */
	char **labels;			    /* key, value, ..., NULL */
	bool has_entrypoint, has_cmd;	    /* present (even if null) */
	char **shell;			    /* Shell (SHELL), NULL when absent */
	struct dk_healthcheck *healthcheck; /* NULL when absent */
};

struct dk_image_config {
	char *created, *author, *architecture, *os, *variant;
	struct dk_run_config config;
	char **diff_ids;
	struct dk_history *history;
	size_t n_history;
	struct dk_json *raw; /* the parsed original, for unknown fields */
};

/* Media types */
enum dk_doc_kind dk_doc_kind(const char *media_type);
bool dk_mt_is_layer(const char *media_type);
bool dk_mt_is_nondistributable(const char *media_type);
enum dk_compression dk_mt_compression(const char *media_type);
/* Kind of a parsed document: from mediaType, else from its shape. */
enum dk_doc_kind dk_doc_kind_of(const struct dk_json *doc);
/* Sniff a manifest document's kind from its bytes. */
enum dk_doc_kind dk_doc_sniff(const char *buf, size_t len, struct dk_err *err);

/* Descriptors */
int dk_descriptor_parse(const struct dk_json *v, struct dk_descriptor *out, const char *what,
			struct dk_err *err);
void dk_descriptor_emit(struct dk_jgen *g, const struct dk_descriptor *d);
void dk_descriptor_free(struct dk_descriptor *d);
int dk_descriptor_copy(struct dk_descriptor *dst, const struct dk_descriptor *src);
const char *dk_descriptor_annotation(const struct dk_descriptor *d, const char *key);
/* Set (or replace) an annotation. */
int dk_descriptor_annotate(struct dk_descriptor *d, const char *key, const char *value);

/* Platforms */
void dk_platform_host(struct dk_platform *p); /* static strings; do not free */
bool dk_platform_match(const struct dk_platform *have, const struct dk_platform *want);
int dk_platform_parse(const char *s, struct dk_platform *out,
		      struct dk_err *err); /* "os/arch[/variant]" */
void dk_platform_free(struct dk_platform *p);
void dk_platform_format(const struct dk_platform *p, char *buf, size_t size);

/* Index (OCI image index, Docker manifest list, or index.json) */
int dk_index_parse(const char *buf, size_t len, struct dk_index *out, struct dk_err *err);
int dk_index_emit(const struct dk_index *idx, char **buf, size_t *len, struct dk_err *err);
void dk_index_free(struct dk_index *idx);
/* Pick the manifest for want (host when NULL); error lists what exists. */
const struct dk_descriptor *dk_index_pick(const struct dk_index *idx,
					  const struct dk_platform *want, struct dk_err *err);

/* Manifest (OCI or Docker schema2) */
int dk_manifest_parse(const char *buf, size_t len, struct dk_manifest *out, struct dk_err *err);
int dk_manifest_emit(const struct dk_manifest *m, char **buf, size_t *len, struct dk_err *err);
void dk_manifest_free(struct dk_manifest *m);

/* Image config */
int dk_image_config_parse(const char *buf, size_t len, struct dk_image_config *out,
			  struct dk_err *err);
int dk_image_config_emit(const struct dk_image_config *c, char **buf, size_t *len,
			 struct dk_err *err);
void dk_image_config_free(struct dk_image_config *c);
void dk_healthcheck_free(struct dk_healthcheck *hc);
/* Append a history entry (strings copied). */
int dk_image_config_add_history(struct dk_image_config *c, const struct dk_history *h);

/* key/value vectors (annotations, labels) */
const char *dk_kv_get(char *const *kv, const char *key);
int dk_kv_set(char ***kv, const char *key, const char *value);

#endif
