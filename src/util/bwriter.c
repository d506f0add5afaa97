#include "util/bwriter.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void
bw_init(struct bwriter *w)
{
	memset(w, 0, sizeof(*w));
}

void
bw_init_fixed(struct bwriter *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->len = 0;
	w->cap = cap;
	w->fixed = true;
	w->overflow = false;
}

void
bw_free(struct bwriter *w)
{
	if (!w->fixed)
		free(w->buf);
	memset(w, 0, sizeof(*w));
}

void
bw_reset(struct bwriter *w)
{
	w->len = 0;
	w->overflow = false;
}

static bool
bw_reserve(struct bwriter *w, size_t n)
{
	size_t ncap;
	uint8_t *nbuf;

	if (w->overflow)
		return false;
	if (w->cap - w->len >= n)
		return true;
	if (w->fixed) {
		w->overflow = true;
		return false;
	}
	ncap = w->cap ? w->cap : 256;
	while (ncap - w->len < n) {
		if (ncap > SIZE_MAX / 2) {
			w->overflow = true;
			return false;
		}
		ncap *= 2;
	}
	nbuf = realloc(w->buf, ncap);
	if (nbuf == NULL) {
		w->overflow = true;
		return false;
	}
	w->buf = nbuf;
	w->cap = ncap;
	return true;
}

bool
bw_put_u8(struct bwriter *w, uint8_t v)
{
	if (!bw_reserve(w, 1))
		return false;
	w->buf[w->len++] = v;
	return true;
}

bool
bw_put_u16(struct bwriter *w, uint16_t v)
{
	if (!bw_reserve(w, 2))
		return false;
	w->buf[w->len++] = (uint8_t)(v >> 8);
	w->buf[w->len++] = (uint8_t)v;
	return true;
}

bool
bw_put_u32(struct bwriter *w, uint32_t v)
{
	if (!bw_reserve(w, 4))
		return false;
	w->buf[w->len++] = (uint8_t)(v >> 24);
	w->buf[w->len++] = (uint8_t)(v >> 16);
	w->buf[w->len++] = (uint8_t)(v >> 8);
	w->buf[w->len++] = (uint8_t)v;
	return true;
}

bool
bw_put_bytes(struct bwriter *w, const void *p, size_t n)
{
	if (!bw_reserve(w, n))
		return false;
	if (n > 0)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
	return true;
}

void
bw_patch_u8(struct bwriter *w, size_t off, uint8_t v)
{
	if (w->overflow)
		return;
	assert(off < w->len);
	w->buf[off] = v;
}

void
bw_patch_u16(struct bwriter *w, size_t off, uint16_t v)
{
	if (w->overflow)
		return;
	assert(off + 2 <= w->len);
	w->buf[off] = (uint8_t)(v >> 8);
	w->buf[off + 1] = (uint8_t)v;
}
