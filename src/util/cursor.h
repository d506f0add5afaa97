/* A bounds-checked read cursor over a byte buffer.
 *
 * Every byte read from the network goes through one of these calls. A read
 * past the end fails, leaves the cursor where it was, and returns false;
 * nothing is ever read outside [p, end). Sub-views (cur_sub) let a parser
 * hand a length-delimited field to another parser without copying. */
#ifndef BGPS_UTIL_CURSOR_H
#define BGPS_UTIL_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t	*p;
	const uint8_t	*end;
};

static inline struct cursor
cur_make(const uint8_t *buf, size_t len)
{
	/* an empty view may come without a buffer (NULL + 0 is undefined) */
	struct cursor c = { buf, buf != NULL ? buf + len : buf };
	return c;
}

static inline size_t
cur_left(const struct cursor *c)
{
	return (size_t)(c->end - c->p);
}

static inline bool
cur_get_u8(struct cursor *c, uint8_t *v)
{
	if (c->p >= c->end)
		return false;
	*v = *c->p++;
	return true;
}

static inline bool
cur_get_u16(struct cursor *c, uint16_t *v)
{
	if (cur_left(c) < 2)
		return false;
	*v = (uint16_t)((unsigned)c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return true;
}

static inline bool
cur_get_u24(struct cursor *c, uint32_t *v)
{
	if (cur_left(c) < 3)
		return false;
	*v = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
	c->p += 3;
	return true;
}

static inline bool
cur_get_u32(struct cursor *c, uint32_t *v)
{
	if (cur_left(c) < 4)
		return false;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return true;
}

static inline bool
cur_get_u64(struct cursor *c, uint64_t *v)
{
	uint32_t hi = 0, lo = 0;

	if (cur_left(c) < 8)
		return false;
	cur_get_u32(c, &hi);
	cur_get_u32(c, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/* Copies n bytes out. */
static inline bool
cur_get_bytes(struct cursor *c, void *dst, size_t n)
{
	if (cur_left(c) < n)
		return false;
	if (n > 0)
		memcpy(dst, c->p, n);
	c->p += n;
	return true;
}

/* Points *ptr at the next n bytes without copying, and skips them. */
static inline bool
cur_get_view(struct cursor *c, const uint8_t **ptr, size_t n)
{
	if (cur_left(c) < n)
		return false;
	*ptr = c->p;
	c->p += n;
	return true;
}

/* Splits the next n bytes off into *sub and advances past them. */
static inline bool
cur_sub(struct cursor *c, struct cursor *sub, size_t n)
{
	if (cur_left(c) < n)
		return false;
	sub->p = c->p;
	sub->end = c->p + n;
	c->p += n;
	return true;
}

static inline bool
cur_skip(struct cursor *c, size_t n)
{
	if (cur_left(c) < n)
		return false;
	c->p += n;
	return true;
}

#endif
