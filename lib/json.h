// SPDX-License-Identifier: GPL-2.0-or-later
/* json.h: JSON read (a parsed tree with path lookups) and write (a streaming
 * generator). The only wall around yajl: nothing else includes it. */
#ifndef DK_JSON_H
#define DK_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

struct dk_json; /* a node of a parsed tree; owned by its root */

enum dk_json_type {
	DK_JSON_NULL,
	DK_JSON_BOOL,
	DK_JSON_NUMBER,
	DK_JSON_STRING,
	DK_JSON_ARRAY,
	DK_JSON_OBJECT,
};

/* Parse len bytes (need not be NUL-terminated). The caller frees the root
 * with dk_json_free. what names the input in errors ("config.json"). */
struct dk_json *dk_json_parse(const char *buf, size_t len, const char *what, struct dk_err *err);
void dk_json_free(struct dk_json *root);

enum dk_json_type dk_json_type(const struct dk_json *v);

/* Object member by key, or NULL (also when v is NULL or not an object). */
struct dk_json *dk_json_get(const struct dk_json *v, const char *key);
/* Walk nested objects: dk_json_path(v, "config", "Env", NULL). */
struct dk_json *dk_json_path(const struct dk_json *v, ...) __attribute__((sentinel));

/* Scalars: NULL / false / -1 when v is missing or of another type. */
const char *dk_json_str(const struct dk_json *v);
/* The member's string, or NULL. */
const char *dk_json_get_str(const struct dk_json *v, const char *key);
bool dk_json_is_true(const struct dk_json *v);
int dk_json_int64(const struct dk_json *v, int64_t *out);
int dk_json_uint64(const struct dk_json *v, uint64_t *out);
/* Raw text of a number node, so big values survive. */
const char *dk_json_number_text(const struct dk_json *v);

/* Arrays and objects: count, element, key of the i-th member. */
size_t dk_json_len(const struct dk_json *v);
struct dk_json *dk_json_at(const struct dk_json *v, size_t i);
const char *dk_json_key_at(const struct dk_json *v, size_t i);

/* Array of strings -> NULL-terminated vector (caller frees with
 * dk_strv_free); NULL with an error if an element is not a string. A
 * missing or null v gives an empty vector. */
char **dk_json_strv(const struct dk_json *v, const char *what, struct dk_err *err);
void dk_strv_free(char **v);
size_t dk_strv_len(char *const *v);
char **dk_strv_dup(char *const *v);
/* Append a copy of s to the NULL-terminated *v (which may be NULL). */
int dk_strv_push(char ***v, const char *s);
/* Whether the NULL-terminated v (may be NULL) holds a string equal to s. */
bool dk_strv_contains(char *const *v, const char *s);

/* Generator. Errors are sticky: check once with dk_jgen_finish. */
struct dk_jgen;
struct dk_jgen *dk_jgen_new(bool pretty);
void dk_jgen_free(struct dk_jgen *g);
void dk_jgen_map_open(struct dk_jgen *g);
void dk_jgen_map_close(struct dk_jgen *g);
void dk_jgen_array_open(struct dk_jgen *g);
void dk_jgen_array_close(struct dk_jgen *g);
void dk_jgen_str(struct dk_jgen *g, const char *s);
void dk_jgen_strn(struct dk_jgen *g, const char *s, size_t n);
void dk_jgen_int(struct dk_jgen *g, int64_t v);
void dk_jgen_uint(struct dk_jgen *g, uint64_t v);
void dk_jgen_bool(struct dk_jgen *g, bool v);
void dk_jgen_null(struct dk_jgen *g);
/* key then value, for the common cases */
void dk_jgen_kstr(struct dk_jgen *g, const char *key, const char *s);
void dk_jgen_kint(struct dk_jgen *g, const char *key, int64_t v);
void dk_jgen_kbool(struct dk_jgen *g, const char *key, bool v);
/* ["a","b"] from a NULL-terminated vector */
void dk_jgen_strv(struct dk_jgen *g, char *const *v);
/* Emit a parsed node as is (numbers keep their text). */
void dk_jgen_value(struct dk_jgen *g, const struct dk_json *v);
/* Emit the members of object v except those named in skip (NULL-ended);
 * used to keep unknown fields when rewriting a document. */
void dk_jgen_members_except(struct dk_jgen *g, const struct dk_json *v, const char *const *skip);
/* The document; valid until the generator is freed. */
int dk_jgen_finish(struct dk_jgen *g, const char **buf, size_t *len, struct dk_err *err);

/* Finish, copy the document into a malloc'd NUL-terminated *buf and free
 * the generator, whatever the outcome. */
int dk_jgen_finish_dup(struct dk_jgen *g, char **buf, size_t *len, struct dk_err *err);

#endif
