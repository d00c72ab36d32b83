// SPDX-License-Identifier: GPL-2.0-or-later
/* test_oci.c: manifests, indexes, configs: parse, emit, bad input, unknown
 * fields kept, platform choice. */
#include "test.h"
#include "oci.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"

static const char *manifest_json =
    "{\"schemaVersion\":2,\"mediaType\":\"" DK_MT_DOCKER_MANIFEST "\","
    "\"config\":{\"mediaType\":\"" DK_MT_DOCKER_CONFIG "\",\"digest\":\"" D1 "\",\"size\":100},"
    "\"layers\":[{\"mediaType\":\"" DK_MT_DOCKER_LAYER "\",\"digest\":\"" D2
    "\",\"size\":12345678901},"
    "{\"mediaType\":\"" DK_MT_OCI_LAYER_ZSTD "\",\"digest\":\"" D3 "\",\"size\":5,"
    "\"annotations\":{\"a\":\"b\"},\"urls\":[\"http://x\"]}]}";

static void test_manifest_roundtrip(void)
{
	struct dk_err err;
	struct dk_manifest m, m2;
	char *buf = NULL;
	size_t len;

	CHECK_INT(dk_manifest_parse(manifest_json, strlen(manifest_json), &m, &err), 0);
	CHECK_INT(m.n_layers, 2);
	CHECK_INT(m.layers[0].size, 12345678901LL);
	CHECK_STR(m.config.digest.str, D1);
	CHECK_INT(dk_mt_compression(m.layers[0].media_type), DK_COMP_GZIP);
	CHECK_INT(dk_mt_compression(m.layers[1].media_type), DK_COMP_ZSTD);
	CHECK_STR(dk_descriptor_annotation(&m.layers[1], "a"), "b");
	CHECK_INT(dk_manifest_emit(&m, &buf, &len, &err), 0);
	CHECK_INT(dk_manifest_parse(buf, len, &m2, &err), 0);
	CHECK_STR(m2.layers[1].urls[0], "http://x");
	CHECK_STR(m2.media_type, DK_MT_DOCKER_MANIFEST);
	free(buf);
	dk_manifest_free(&m);
	dk_manifest_free(&m2);
}

static void test_manifest_bad(void)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
	    {"{\"schemaVersion\":1,\"fsLayers\":[]}", "schema1"},
	    {"{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:12\",\"size\":1},\"layers\":[]}",
	     "invalid digest"},
	    {"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1 "\"},\"layers\":[]}", "size"},
	    {"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1 "\",\"size\":-1},\"layers\":[]}",
	     "size"},
	    {"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1 "\",\"size\":1},\"layers\":{}}",
	     "layers"},
	    {"{\"schemaVersion\":2,\"manifests\":[]}", "index"},
	    {"[]", "not an image manifest"},
	    {"{\"schemaVersion\":2,\"config\":", "malformed JSON"},
	    {"{\"schemaVersion\":3,\"config\":{\"digest\":\"" D1 "\",\"size\":1},\"layers\":[]}",
	     "schemaVersion"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dk_err err = {0};
		struct dk_manifest m;

		CHECK_INT(dk_manifest_parse(cases[i].json, strlen(cases[i].json), &m, &err), -1);
		CHECK_MSG(strstr(err.msg, cases[i].want) != NULL, "case %zu: %s", i, err.msg);
	}
}

static const char *index_json =
    "{\"schemaVersion\":2,\"mediaType\":\"" DK_MT_OCI_INDEX "\",\"manifests\":["
    "{\"mediaType\":\"" DK_MT_OCI_MANIFEST "\",\"digest\":\"" D1 "\",\"size\":1,"
    "\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}},"
    "{\"mediaType\":\"" DK_MT_OCI_MANIFEST "\",\"digest\":\"" D2 "\",\"size\":1,"
    "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
    "{\"mediaType\":\"" DK_MT_OCI_MANIFEST "\",\"digest\":\"" D3 "\",\"size\":1,"
    "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}";

static void test_index_pick(void)
{
	struct dk_err err;
	struct dk_index idx;
	struct dk_platform p = {0};
	const struct dk_descriptor *d;

	CHECK_INT(dk_index_parse(index_json, strlen(index_json), &idx, &err), 0);
	CHECK_INT(idx.n_manifests, 3);
	dk_platform_parse("linux/arm64/v8", &p, &err);
	d = dk_index_pick(&idx, &p, &err);
	CHECK(d && strcmp(d->digest.str, D3) == 0);
	dk_platform_free(&p);
	dk_platform_parse("linux/arm/v6", &p, &err);
	CHECK(dk_index_pick(&idx, &p, &err) == NULL);
	CHECK_MSG(strstr(err.msg, "linux/arm/v7, linux/amd64, linux/arm64") != NULL, "%s", err.msg);
	dk_platform_free(&p);
	dk_platform_parse("windows/amd64", &p, &err);
	CHECK(dk_index_pick(&idx, &p, &err) == NULL);
	CHECK(strstr(err.msg, "no manifest for platform windows/amd64") != NULL);
	dk_platform_free(&p);
	CHECK_INT(dk_platform_parse("linux", &p, &err), -1);
	CHECK_INT(dk_platform_parse("a/b/c/d", &p, &err), -1);
	dk_index_free(&idx);
}

static void test_index_emit(void)
{
	struct dk_err err;
	struct dk_index idx, idx2;
	char *buf = NULL;
	size_t len;

	CHECK_INT(dk_index_parse(index_json, strlen(index_json), &idx, &err), 0);
	CHECK_INT(dk_descriptor_annotate(&idx.manifests[0], DK_ANNOT_REF_NAME, "x:1"), 0);
	CHECK_INT(dk_descriptor_annotate(&idx.manifests[0], DK_ANNOT_REF_NAME, "x:2"), 0);
	CHECK_INT(dk_index_emit(&idx, &buf, &len, &err), 0);
	CHECK_INT(dk_index_parse(buf, len, &idx2, &err), 0);
	CHECK_STR(dk_descriptor_annotation(&idx2.manifests[0], DK_ANNOT_REF_NAME), "x:2");
	CHECK_INT(dk_strv_len(idx2.manifests[0].annotations), 2);
	CHECK_STR(idx2.manifests[0].platform->variant, "v7");
	free(buf);
	dk_index_free(&idx);
	dk_index_free(&idx2);
}

static const char *config_json =
    "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\","
    "\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"],\"Healthcheck\":{\"Test\":[\"NONE\"]},"
    "\"ExposedPorts\":{\"80/tcp\":{}},\"Labels\":{\"k\":\"v\"},\"ArgsEscaped\":true},"
    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" D1 "\"]},"
    "\"history\":[{\"created_by\":\"ADD x\"},{\"created_by\":\"CMD\",\"empty_layer\":true}],"
    "\"container\":\"abc\",\"docker_version\":\"20.10\"}";

static void test_config_roundtrip(void)
{
	struct dk_err err;
	struct dk_image_config c, c2;
	char *buf = NULL;
	size_t len;
	char *ncmd[] = {"echo", "hi", NULL};

	CHECK_INT(dk_image_config_parse(config_json, strlen(config_json), &c, &err), 0);
	CHECK_STR(c.config.cmd[0], "sh");
	CHECK_STR(c.config.exposed_ports[0], "80/tcp");
	CHECK_STR(dk_kv_get(c.config.labels, "k"), "v");
	CHECK_INT(c.n_history, 2);
	CHECK(c.history[1].empty_layer);
	dk_strv_free(c.config.cmd);
	c.config.cmd = dk_strv_dup(ncmd);
	struct dk_history h = {.created_by = "dk commit", .comment = "msg"};
	CHECK_INT(dk_image_config_add_history(&c, &h), 0);
	CHECK_INT(dk_image_config_emit(&c, &buf, &len, &err), 0);
	/* fields we do not model survive */
	CHECK(strstr(buf, "\"Healthcheck\":{\"Test\":[\"NONE\"]}") != NULL);
	CHECK(strstr(buf, "\"docker_version\":\"20.10\"") != NULL);
	CHECK(strstr(buf, "\"ArgsEscaped\":true") != NULL);
	CHECK_INT(dk_image_config_parse(buf, len, &c2, &err), 0);
	CHECK_STR(c2.config.cmd[1], "hi");
	CHECK_INT(c2.n_history, 3);
	CHECK_STR(c2.history[2].comment, "msg");
	CHECK_STR(c2.diff_ids[0], D1);
	free(buf);
	dk_image_config_free(&c);
	dk_image_config_free(&c2);
}

static void test_config_bad(void)
{
	static const char *bad[] = {
	    "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"nope\"]}}",
	    "{\"rootfs\":{\"type\":\"other\",\"diff_ids\":[]}}",
	    "{\"config\":{\"Env\":\"PATH=/bin\"}}",
	    "{\"config\":{\"Cmd\":[1]}}",
	    "{\"config\":{\"Labels\":{\"a\":1}}}",
	    "[1]",
	    "{",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dk_err err = {0};
		struct dk_image_config c;

		CHECK_MSG(dk_image_config_parse(bad[i], strlen(bad[i]), &c, &err) == -1, "case %zu",
			  i);
		CHECK_MSG(strncmp(err.msg, "image config", 12) == 0 ||
			      strstr(err.msg, "image config") != NULL,
			  "%s", err.msg);
	}
}

static void test_media_types(void)
{
	CHECK_INT(dk_doc_kind(DK_MT_DOCKER_LIST), DK_DOC_INDEX);
	CHECK_INT(dk_doc_kind(DK_MT_OCI_MANIFEST), DK_DOC_MANIFEST);
	CHECK_INT(dk_doc_kind(DK_MT_DOCKER_SCHEMA1_SIGNED), DK_DOC_SCHEMA1);
	CHECK_INT(dk_mt_compression(DK_MT_OCI_LAYER), DK_COMP_NONE);
	CHECK_INT(dk_mt_compression("application/x-foo"), DK_COMP_UNKNOWN);
	CHECK(dk_mt_is_nondistributable(DK_MT_OCI_LAYER_ND_GZIP));
	CHECK(dk_mt_is_nondistributable(DK_MT_DOCKER_LAYER_FOREIGN));
	CHECK(!dk_mt_is_nondistributable(DK_MT_OCI_LAYER_GZIP));
	CHECK(dk_mt_is_layer(DK_MT_DOCKER_LAYER));
	CHECK(!dk_mt_is_layer(DK_MT_OCI_CONFIG));
}

/* Shell and Healthcheck are modelled; one we cannot model stays as is. */
static void test_config_shell_health(void)
{
	const char *doc =
	    "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":"
	    "{\"Shell\":[\"/bin/bash\",\"-c\"],\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],"
	    "\"Interval\":30000000000,\"Retries\":3}},"
	    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
	const char *odd =
	    "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":"
	    "{\"Shell\":null,\"Healthcheck\":{\"Test\":[\"CMD\"],\"Interval\":\"x\"}},"
	    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
	struct dk_image_config c;
	struct dk_err err = {0};
	char *buf;
	size_t len;

	CHECK(dk_image_config_parse(doc, strlen(doc), &c, &err) == 0);
	CHECK_STR(c.config.shell[0], "/bin/bash");
	CHECK(c.config.healthcheck && c.config.healthcheck->interval == 30000000000LL);
	CHECK(c.config.healthcheck->retries == 3);
	CHECK_STR(c.config.healthcheck->test[1], "true");
	CHECK(dk_image_config_emit(&c, &buf, &len, &err) == 0);
	CHECK(strstr(buf, "\"Shell\":[\"/bin/bash\",\"-c\"]") != NULL);
	CHECK(
	    strstr(
		buf,
		"\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":30000000000,\"Retries\":3}") !=
	    NULL);
	free(buf);
	dk_image_config_free(&c);
	CHECK(dk_image_config_parse(odd, strlen(odd), &c, &err) == 0);
	CHECK(c.config.shell == NULL && c.config.healthcheck == NULL);
	CHECK(dk_image_config_emit(&c, &buf, &len, &err) == 0);
	CHECK(strstr(buf, "\"Interval\":\"x\"") != NULL);
	CHECK(strstr(buf, "\"Shell\":null") != NULL);
	free(buf);
	dk_image_config_free(&c);
}

T_MAIN(T(test_config_shell_health), T(test_manifest_roundtrip), T(test_manifest_bad),
       T(test_index_pick), T(test_index_emit), T(test_config_roundtrip), T(test_config_bad),
       T(test_media_types))
