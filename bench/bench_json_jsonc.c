/* json-c for bench_json (see bench_json.h for why a file of its own). */
#include <stdio.h>

#include <json.h>

#include "bench_json.h"

static struct json_tokener *jc_tok;	/* reused, as a stream reader would */

static struct json_object *
jc_get(struct json_object *obj, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

static void
jc_ints(struct json_object *v, struct sum *s)
{
	size_t i, n;

	if (json_object_is_type(v, json_type_int))
		ck_int(s, json_object_get_int64(v));
	else if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			jc_ints(json_object_array_get_idx(v, i), s);
	}
}

static void
jc_strs(struct json_object *v, struct sum *s)
{
	struct json_object *e;
	size_t i, n;

	if (!json_object_is_type(v, json_type_array))
		return;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		if (json_object_is_type(e, json_type_string)) {
			ck_str(s, json_object_get_string(e),
			    (size_t)json_object_get_string_len(e));
			s->prefixes++;
		}
	}
}

static void
jc_str(struct json_object *obj, const char *key, struct sum *s)
{
	struct json_object *v = jc_get(obj, key);

	if (json_object_is_type(v, json_type_string))
		ck_str(s, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
}

int
jsonc_one(const struct line *l, struct sum *s)
{
	struct json_object *root, *d, *v, *anns;
	size_t i, n;

	json_tokener_reset(jc_tok);
	root = json_tokener_parse_ex(jc_tok, l->s, (int)l->len);
	if (root == NULL || json_tokener_get_parse_end(jc_tok) < l->len) {
		json_object_put(root);
		s->bad++;
		return -1;
	}
	jc_str(root, "type", s);
	d = jc_get(root, "data");
	for (i = 0; d != NULL && i < 4; i++)
		jc_str(d, data_strs[i], s);
	v = jc_get(d, "timestamp");
	if (json_object_is_type(v, json_type_double) ||
	    json_object_is_type(v, json_type_int))
		ck_time(s, json_object_get_double(v));
	for (i = 0; d != NULL && i < 3; i++)
		jc_ints(jc_get(d, data_ints[i]), s);
	for (i = 0; d != NULL && i < 2; i++)
		jc_str(d, data_tail[i], s);
	if (json_object_is_type(v = jc_get(d, "med"), json_type_int))
		ck_int(s, json_object_get_int64(v));
	anns = jc_get(d, "announcements");
	n = json_object_is_type(anns, json_type_array) ?
	    json_object_array_length(anns) : 0;
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(anns, i);
		jc_str(v, "next_hop", s);
		jc_strs(jc_get(v, "prefixes"), s);
	}
	jc_strs(jc_get(d, "withdrawals"), s);
	jc_str(d, "raw", s);
	json_object_put(root);
	return 0;
}

int
jsonc_init(void)
{
	return (jc_tok = json_tokener_new()) == NULL ? -1 : 0;
}

void
jsonc_free(void)
{
	json_tokener_free(jc_tok);
}

const char *
jsonc_version(void)
{
	return JSON_C_VERSION;
}
