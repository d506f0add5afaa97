/* A streaming JSON writer into a strbuf. It inserts commas, escapes
 * strings, and checks nesting with asserts. Output only: input JSON is
 * read with a library, never by hand. */
#ifndef BGPS_UTIL_JSON_OUT_H
#define BGPS_UTIL_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define JW_MAX_DEPTH 32

struct jw {
	struct strbuf	*out;
	int		 depth;
	bool		 need_comma[JW_MAX_DEPTH];
	bool		 after_key;
};

void	jw_init(struct jw *j, struct strbuf *out);
void	jw_obj_begin(struct jw *j);
void	jw_obj_end(struct jw *j);
void	jw_arr_begin(struct jw *j);
void	jw_arr_end(struct jw *j);
void	jw_key(struct jw *j, const char *key);
void	jw_str(struct jw *j, const char *s);
void	jw_strn(struct jw *j, const char *s, size_t n);
void	jw_u64(struct jw *j, uint64_t v);
void	jw_bool(struct jw *j, bool v);
void	jw_null(struct jw *j);
void	jw_hex(struct jw *j, const void *p, size_t n);
/* A value given as JSON text (a number with a fraction, say). */
void	jw_raw(struct jw *j, const char *json);

/* key + value shorthands */
void	jw_kstr(struct jw *j, const char *key, const char *s);
void	jw_ku64(struct jw *j, const char *key, uint64_t v);
void	jw_kbool(struct jw *j, const char *key, bool v);
void	jw_khex(struct jw *j, const char *key, const void *p, size_t n);

#endif
