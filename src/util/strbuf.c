#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sb_init(struct strbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void
sb_free(struct strbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

void
sb_reset(struct strbuf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

bool
sb_reserve(struct strbuf *b, size_t n)
{
	size_t ncap;
	char *ns;

	if (b->oom)
		return false;
	if (b->cap - b->len > n)
		return true;
	ncap = b->cap ? b->cap : 128;
	while (ncap - b->len <= n)
		ncap *= 2;
	ns = realloc(b->s, ncap);
	if (ns == NULL) {
		b->oom = true;
		return false;
	}
	b->s = ns;
	b->cap = ncap;
	return true;
}

void
sb_putn(struct strbuf *b, const char *s, size_t n)
{
	if (!sb_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sb_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	/* Try in the room there is; measure and grow only if it does not
	 * fit. */
	if (b->cap - b->len < 64 && !sb_reserve(b, 64))
		return;
	va_copy(aq, ap);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, aq);
	va_end(aq);
	if (n < 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (!sb_reserve(b, (size_t)n)) {
			b->s[b->len] = '\0';
			return;
		}
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Two digits at a time from a table: numbers are most of what the
 * bgpdump formats print. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

void
sb_u32(struct strbuf *b, uint32_t v)
{
	char tmp[10];
	int n = 10;

	while (v >= 100) {
		unsigned d = (v % 100) * 2;

		v /= 100;
		tmp[--n] = digit_pairs[d + 1];
		tmp[--n] = digit_pairs[d];
	}
	if (v >= 10) {
		tmp[--n] = digit_pairs[v * 2 + 1];
		tmp[--n] = digit_pairs[v * 2];
	} else {
		tmp[--n] = (char)('0' + v);
	}
	if (b->cap - b->len <= 10 && !sb_reserve(b, 10))
		return;
	memcpy(b->s + b->len, tmp + n, (size_t)(10 - n));
	b->len += (size_t)(10 - n);
	b->s[b->len] = '\0';
}

void
sb_hex(struct strbuf *b, const void *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *u = p;
	size_t i;

	if (!sb_reserve(b, n * 2))
		return;
	for (i = 0; i < n; i++) {
		b->s[b->len++] = digits[u[i] >> 4];
		b->s[b->len++] = digits[u[i] & 15];
	}
	b->s[b->len] = '\0';
}

const char *
sb_str(const struct strbuf *b)
{
	return b->s != NULL ? b->s : "";
}
