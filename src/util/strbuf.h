/* A growable, always NUL-terminated text buffer. */
#ifndef BGPS_UTIL_STRBUF_H
#define BGPS_UTIL_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
	bool	 oom;
};

void	sb_init(struct strbuf *b);
void	sb_free(struct strbuf *b);
void	sb_reset(struct strbuf *b);
void	sb_putn(struct strbuf *b, const char *s, size_t n);
/* Makes room for n more bytes and the NUL; false when memory ran out. */
bool	sb_reserve(struct strbuf *b, size_t n);
void	sb_printf(struct strbuf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	sb_vprintf(struct strbuf *b, const char *fmt, va_list ap);
/* A decimal number, without printf. */
void	sb_u32(struct strbuf *b, uint32_t v);
/* An IPv4 address in dotted quad. */
void	sb_ipv4(struct strbuf *b, const uint8_t a[4]);
/* Dotted quad into out (16 bytes at least), NUL-terminated; its length.
 * inet_ntop's own goes through sprintf. */
size_t	ipv4_fmt(const uint8_t a[4], char *out);
/* Lower-case hex of n bytes. */
void	sb_hex(struct strbuf *b, const void *p, size_t n);
/* The contents; "" for an empty buffer. */
const char *sb_str(const struct strbuf *b);
/* A copy of s, or NULL for NULL; *ok becomes false when memory runs out
 * (so that a struct's strings are copied in a row and checked once). */
char	*str_dup_opt(const char *s, bool *ok);

/* The hot paths of text output, inline: room is there nearly always. */
static inline void
sb_putc(struct strbuf *b, char c)
{
	if (b->cap - b->len > 1 || sb_reserve(b, 1)) {
		b->s[b->len++] = c;
		b->s[b->len] = '\0';
	}
}

static inline void
sb_puts(struct strbuf *b, const char *s)
{
	size_t n = __builtin_strlen(s);

	if (b->cap - b->len > n) {
		__builtin_memcpy(b->s + b->len, s, n + 1);
		b->len += n;
	} else {
		sb_putn(b, s, n);
	}
}

#endif
