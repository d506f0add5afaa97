#include "util/json_out.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

void
jw_init(struct jw *j, struct strbuf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Emits the comma that separates this value from the previous one. */
static void
jw_sep(struct jw *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		sb_putc(j->out, ',');
	j->need_comma[j->depth] = true;
}

static void
jw_open(struct jw *j, char c)
{
	jw_sep(j);
	sb_putc(j->out, c);
	assert(j->depth + 1 < JW_MAX_DEPTH);
	j->depth++;
	j->need_comma[j->depth] = false;
}

static void
jw_close(struct jw *j, char c)
{
	assert(j->depth > 0 && !j->after_key);
	j->depth--;
	sb_putc(j->out, c);
}

void jw_obj_begin(struct jw *j) { jw_open(j, '{'); }
void jw_obj_end(struct jw *j) { jw_close(j, '}'); }
void jw_arr_begin(struct jw *j) { jw_open(j, '['); }
void jw_arr_end(struct jw *j) { jw_close(j, ']'); }

/* Bytes a JSON string must escape: controls, '"' and '\\'. */
static bool
needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* Does any byte of w need escaping? Each test is exact for "any byte":
 * a borrow only runs on from a byte that matches. */
static inline bool
word_needs_escape(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull;
	const uint64_t high = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
	uint64_t below = (w - ones * 0x20) & ~w;	/* a byte < 0x20 */
	uint64_t quote = (q - ones) & ~q;		/* a '"' */
	uint64_t bslash = (b - ones) & ~b;		/* a '\\' */

	return ((below | quote | bslash) & high) != 0;
}

/* The length of s's first stretch that needs no escape: 8 bytes at a
 * time, then byte by byte. */
static size_t
clean_prefix(const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (word_needs_escape(w))
			break;
	}
	for (; i < n && !needs_escape((unsigned char)s[i]); i++)
		;
	return i;
}

static void
jw_quoted(struct strbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	/* most strings (keys, numbers, paths) need none: one copy */
	i = clean_prefix(s, n);
	if (i == n && b->cap - b->len > n + 2) {
		char *p = b->s + b->len;

		p[0] = '"';
		memcpy(p + 1, s, n);
		p[n + 1] = '"';
		p[n + 2] = '\0';
		b->len += n + 2;
		return;
	}
	sb_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sb_putn(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': sb_puts(b, "\\\""); break;
		case '\\': sb_puts(b, "\\\\"); break;
		case '\n': sb_puts(b, "\\n"); break;
		case '\r': sb_puts(b, "\\r"); break;
		case '\t': sb_puts(b, "\\t"); break;
		default: {
			char e[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
			sb_puts(b, e);
		}
		}
	}
	sb_putn(b, s + run, n - run);
	sb_putc(b, '"');
}

void
jw_key(struct jw *j, const char *key)
{
	assert(!j->after_key);
	jw_sep(j);
	jw_quoted(j->out, key, strlen(key));
	sb_putc(j->out, ':');
	j->after_key = true;
}

void
jw_strn(struct jw *j, const char *s, size_t n)
{
	jw_sep(j);
	jw_quoted(j->out, s, n);
}

void
jw_str(struct jw *j, const char *s)
{
	jw_strn(j, s, strlen(s));
}

void
jw_u64(struct jw *j, uint64_t v)
{
	jw_sep(j);
	if (v <= UINT32_MAX)
		sb_u32(j->out, (uint32_t)v);	/* no printf on the hot path */
	else
		sb_printf(j->out, "%" PRIu64, v);
}

void
jw_bool(struct jw *j, bool v)
{
	jw_sep(j);
	sb_puts(j->out, v ? "true" : "false");
}

void
jw_null(struct jw *j)
{
	jw_sep(j);
	sb_puts(j->out, "null");
}

void
jw_raw(struct jw *j, const char *json)
{
	jw_sep(j);
	sb_puts(j->out, json);
}

void
jw_hex(struct jw *j, const void *p, size_t n)
{
	jw_sep(j);
	sb_putc(j->out, '"');
	sb_hex(j->out, p, n);
	sb_putc(j->out, '"');
}

void jw_kstr(struct jw *j, const char *k, const char *s) { jw_key(j, k); jw_str(j, s); }
void jw_ku64(struct jw *j, const char *k, uint64_t v) { jw_key(j, k); jw_u64(j, v); }
void jw_kbool(struct jw *j, const char *k, bool v) { jw_key(j, k); jw_bool(j, v); }
void jw_khex(struct jw *j, const char *k, const void *p, size_t n) { jw_key(j, k); jw_hex(j, p, n); }
