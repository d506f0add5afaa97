/* Fixed-size records addressed by 32-bit handles: no per-record malloc
 * header, and a handle is half a pointer. Records come from chunks of
 * POOL_CHUNK_RECS; a chunk whose records are all freed goes back to the
 * system. Handle 0 is never returned: it means "none". */
#ifndef BGPS_UTIL_POOL_H
#define BGPS_UTIL_POOL_H

#include <stddef.h>
#include <stdint.h>

#define POOL_CHUNK_SHIFT	12
#define POOL_CHUNK_RECS		(1u << POOL_CHUNK_SHIFT)
#define POOL_MAX_CHUNKS		(1u << (32 - POOL_CHUNK_SHIFT))

struct pool_chunk {
	uint8_t		*mem;		/* NULL: released */
	uint32_t	 live;		/* records handed out */
	uint32_t	 used;		/* records ever carved (bump) */
	uint32_t	 free_head;	/* index + 1 of a freed record, 0 none */
	uint32_t	 partial;	/* position + 1 on the partial stack */
};

struct pool {
	struct pool_chunk	*chunks;
	uint32_t		 nchunks;
	uint32_t		 cap_chunks;
	uint32_t		*partial;	/* chunks with room, stack */
	uint32_t		 npartial;
	uint32_t		*empty;		/* released chunks, stack */
	uint32_t		 nempty;
	uint32_t		 rec_size;
	size_t			 live;		/* records handed out */
	size_t			 bytes;		/* chunk memory held */
};

/* rec_size at least 4 (a freed record holds the free list link). */
void		 pool_init(struct pool *p, uint32_t rec_size);
void		 pool_destroy(struct pool *p);
/* A new record (contents undefined), or 0 when memory runs out. */
uint32_t	 pool_alloc(struct pool *p);
void		 pool_free(struct pool *p, uint32_t h);

static inline void *
pool_get(const struct pool *p, uint32_t h)
{
	return p->chunks[h >> POOL_CHUNK_SHIFT].mem +
	    (size_t)(h & (POOL_CHUNK_RECS - 1)) * p->rec_size;
}

/* Returns every chunk with nothing live to the system (pool_free keeps
 * one, to spare a malloc/free cycle at a boundary). */
void		 pool_trim(struct pool *p);
/* Bytes held, including the chunk table. */
size_t		 pool_bytes(const struct pool *p);

#endif
