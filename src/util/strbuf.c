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

static unsigned
digits_of(uint32_t v)
{
	static const uint32_t pow10[] = { 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000, 1000000000 };
	unsigned n = 1;

	while (n < 10 && v >= pow10[n - 1])
		n++;
	return n;
}

void
sb_u32(struct strbuf *b, uint32_t v)
{
	unsigned n = digits_of(v);
	char *p;

	if (b->cap - b->len <= n && !sb_reserve(b, n))
		return;
	/* written from the last digit back, straight into the buffer */
	p = b->s + b->len + n;
	*p = '\0';
	while (v >= 100) {
		unsigned d = (v % 100) * 2;

		v /= 100;
		*--p = digit_pairs[d + 1];
		*--p = digit_pairs[d];
	}
	if (v >= 10) {
		*--p = digit_pairs[v * 2 + 1];
		*--p = digit_pairs[v * 2];
	} else {
		*--p = (char)('0' + v);
	}
	b->len += n;
}

void
sb_ipv4(struct strbuf *b, const uint8_t a[4])
{
	if (b->cap - b->len <= 15 && !sb_reserve(b, 15))
		return;
	b->len += ipv4_fmt(a, b->s + b->len);
}

size_t
ipv4_fmt(const uint8_t a[4], char *out)
{
	char *p = out;

	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (i > 0)
			*p++ = '.';
		if (v >= 100) {
			*p++ = (char)('0' + v / 100);
			v %= 100;
			*p++ = digit_pairs[v * 2];
			*p++ = digit_pairs[v * 2 + 1];
		} else if (v >= 10) {
			*p++ = digit_pairs[v * 2];
			*p++ = digit_pairs[v * 2 + 1];
		} else {
			*p++ = (char)('0' + v);
		}
	}
	*p = '\0';
	return (size_t)(p - out);
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

char *
str_dup_opt(const char *s, bool *ok)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*ok = false;
	return d;
}
