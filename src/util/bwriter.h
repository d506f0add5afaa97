/* A byte writer: appends big-endian fields to a buffer that grows on
 * demand (or, for a fixed buffer, records overflow instead of writing
 * past the end). Length fields are written as placeholders and patched
 * once the enclosed data is known. */
#ifndef BGPS_UTIL_BWRITER_H
#define BGPS_UTIL_BWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bwriter {
	uint8_t	*buf;
	size_t	 len;
	size_t	 cap;
	bool	 fixed;		/* buf is the caller's; never reallocated */
	bool	 overflow;	/* a write did not fit (fixed) or malloc failed */
};

/* A growing writer starting empty; free with bw_free. */
void	bw_init(struct bwriter *w);
/* A writer over the caller's buffer of cap bytes. */
void	bw_init_fixed(struct bwriter *w, uint8_t *buf, size_t cap);
void	bw_free(struct bwriter *w);
void	bw_reset(struct bwriter *w);

bool	bw_put_u8(struct bwriter *w, uint8_t v);
bool	bw_put_u16(struct bwriter *w, uint16_t v);
bool	bw_put_u32(struct bwriter *w, uint32_t v);
bool	bw_put_bytes(struct bwriter *w, const void *p, size_t n);

/* Overwrites previously written bytes at offset off. */
void	bw_patch_u8(struct bwriter *w, size_t off, uint8_t v);
void	bw_patch_u16(struct bwriter *w, size_t off, uint16_t v);

static inline bool
bw_ok(const struct bwriter *w)
{
	return !w->overflow;
}

#endif
