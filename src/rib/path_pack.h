/* The AS paths the RIB stores: segments of a type byte and a count byte,
 * then each AS number in 2, 3 or 5 bytes - most of the numbers in use
 * fit 15 or 22 bits - about 40% smaller than 4-octet wire form. Private
 * to rib/. */
#ifndef BGPS_RIB_PATH_PACK_H
#define BGPS_RIB_PATH_PACK_H

#include <stdbool.h>
#include <stdint.h>

#include "util/bwriter.h"

/* 0xxxxxxx x: 15 bits; 10xxxxxx x x: 22 bits; 11000000 x x x x: 32 */
static inline void
path_put_asn(struct bwriter *w, uint32_t asn)
{
	if (asn < 0x8000u) {
		bw_put_u16(w, (uint16_t)asn);
	} else if (asn < 0x400000u) {
		bw_put_u8(w, (uint8_t)(0x80u | asn >> 16));
		bw_put_u16(w, (uint16_t)asn);
	} else {
		bw_put_u8(w, 0xc0);
		bw_put_u32(w, asn);
	}
}

struct path_iter {
	const uint8_t	*p;
	const uint8_t	*end;
	uint8_t		 type;		/* of the current segment */
	uint8_t		 left;		/* ASes left in it */
	bool		 seg_start;	/* the AS returned begins a segment */
};

static inline void
path_iter_init(struct path_iter *it, const uint8_t *p, uint16_t len)
{
	it->p = p;
	it->end = p + len;
	it->type = 0;
	it->left = 0;
	it->seg_start = false;
}

/* The next AS (with its segment's type in it->type); false at the end
 * or on bytes that do not parse (which the RIB never writes). */
static inline bool
path_next(struct path_iter *it, uint32_t *asn)
{
	const uint8_t *p = it->p;

	it->seg_start = false;
	while (it->left == 0) {
		if (it->end - p < 2)
			return false;
		it->type = p[0];
		it->left = p[1];
		it->seg_start = true;
		p += 2;
	}
	if (it->end - p >= 2 && p[0] < 0x80) {
		*asn = (uint32_t)p[0] << 8 | p[1];
		p += 2;
	} else if (it->end - p >= 3 && (p[0] & 0xc0) == 0x80) {
		*asn = (uint32_t)(p[0] & 0x3f) << 16 | (uint32_t)p[1] << 8 | p[2];
		p += 3;
	} else if (it->end - p >= 5 && p[0] == 0xc0) {
		*asn = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 |
		    (uint32_t)p[3] << 8 | p[4];
		p += 5;
	} else {
		return false;
	}
	it->left--;
	it->p = p;
	return true;
}

#endif
