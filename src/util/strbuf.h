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
void	sb_putc(struct strbuf *b, char c);
void	sb_puts(struct strbuf *b, const char *s);
void	sb_putn(struct strbuf *b, const char *s, size_t n);
void	sb_printf(struct strbuf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	sb_vprintf(struct strbuf *b, const char *fmt, va_list ap);
/* A decimal number, without printf. */
void	sb_u32(struct strbuf *b, uint32_t v);
/* Lower-case hex of n bytes. */
void	sb_hex(struct strbuf *b, const void *p, size_t n);
/* The contents; "" for an empty buffer. */
const char *sb_str(const struct strbuf *b);

#endif
