/* A per-message arena (bump allocator). Temporary allocations for one
 * message come from here and are released together by arena_reset, so the
 * hot path does no malloc/free per attribute. */
#ifndef BGPS_UTIL_ARENA_H
#define BGPS_UTIL_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;		/* chunk being filled */
	struct arena_chunk	*first;		/* kept across resets */
	size_t			 chunk_size;
	size_t			 bytes;		/* bytes held in chunks */
};

/* chunk_size 0 picks 64 KiB, enough for any UPDATE of 4096 octets. */
void	 arena_init(struct arena *a, size_t chunk_size);
void	 arena_free(struct arena *a);
/* Returns 8-byte aligned memory, or NULL if malloc fails. */
void	*arena_alloc(struct arena *a, size_t n);
/* As arena_alloc, zeroed; n * size is checked for overflow. */
void	*arena_calloc(struct arena *a, size_t n, size_t size);
/* Releases everything; keeps the first chunk for reuse and frees the
 * rest. */
void	 arena_reset(struct arena *a);

#endif
