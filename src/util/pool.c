#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/pool.h"

void
pool_init(struct pool *p, uint32_t rec_size)
{
	assert(rec_size >= sizeof(uint32_t));
	memset(p, 0, sizeof(*p));
	p->rec_size = (rec_size + 3u) & ~3u;
}

void
pool_destroy(struct pool *p)
{
	for (uint32_t i = 0; i < p->nchunks; i++)
		free(p->chunks[i].mem);
	free(p->chunks);
	free(p->partial);
	free(p->empty);
	memset(p, 0, sizeof(*p));
}

static size_t
chunk_bytes(const struct pool *p)
{
	return (size_t)POOL_CHUNK_RECS * p->rec_size;
}

static void
partial_push(struct pool *p, uint32_t ci)
{
	p->partial[p->npartial++] = ci;
	p->chunks[ci].partial = p->npartial;
}

static void
partial_remove(struct pool *p, uint32_t ci)
{
	uint32_t pos = p->chunks[ci].partial - 1, last;

	last = p->partial[--p->npartial];
	p->partial[pos] = last;
	p->chunks[last].partial = pos + 1;
	p->chunks[ci].partial = 0;
}

static bool
chunk_fill(struct pool *p, uint32_t ci)
{
	struct pool_chunk *c = &p->chunks[ci];

	c->mem = malloc(chunk_bytes(p));
	if (c->mem == NULL)
		return false;
	c->live = 0;
	c->free_head = 0;
	c->used = ci == 0 ? 1 : 0;	/* handle 0 means none */
	p->bytes += chunk_bytes(p);
	partial_push(p, ci);
	return true;
}

/* A chunk with room: a released one filled again, or a new one. */
static bool
chunk_get(struct pool *p)
{
	if (p->nempty > 0) {
		if (!chunk_fill(p, p->empty[p->nempty - 1]))
			return false;
		p->nempty--;
		return true;
	}
	if (p->nchunks == POOL_MAX_CHUNKS)
		return false;
	if (p->nchunks == p->cap_chunks) {
		uint32_t ncap = p->cap_chunks ? p->cap_chunks * 2 : 16;
		struct pool_chunk *nc;
		uint32_t *np, *ne;

		if (ncap > POOL_MAX_CHUNKS)
			ncap = POOL_MAX_CHUNKS;
		nc = realloc(p->chunks, ncap * sizeof(*nc));
		if (nc == NULL)
			return false;
		p->chunks = nc;
		np = realloc(p->partial, ncap * sizeof(*np));
		if (np == NULL)
			return false;
		p->partial = np;
		ne = realloc(p->empty, ncap * sizeof(*ne));
		if (ne == NULL)
			return false;
		p->empty = ne;
		p->cap_chunks = ncap;
	}
	memset(&p->chunks[p->nchunks], 0, sizeof(p->chunks[0]));
	if (!chunk_fill(p, p->nchunks))
		return false;
	p->nchunks++;
	return true;
}

static void
chunk_release(struct pool *p, uint32_t ci)
{
	struct pool_chunk *c = &p->chunks[ci];

	partial_remove(p, ci);
	free(c->mem);
	c->mem = NULL;
	p->bytes -= chunk_bytes(p);
	p->empty[p->nempty++] = ci;
}

uint32_t
pool_alloc(struct pool *p)
{
	struct pool_chunk *c;
	uint32_t ci, idx;

	if (p->npartial == 0 && !chunk_get(p))
		return 0;
	ci = p->partial[p->npartial - 1];
	c = &p->chunks[ci];
	if (c->free_head != 0) {
		idx = c->free_head - 1;
		memcpy(&c->free_head, c->mem + (size_t)idx * p->rec_size,
		    sizeof(uint32_t));
	} else {
		assert(c->used < POOL_CHUNK_RECS);
		idx = c->used++;
	}
	c->live++;
	if (c->free_head == 0 && c->used == POOL_CHUNK_RECS)
		partial_remove(p, ci);		/* full */
	p->live++;
	return ci << POOL_CHUNK_SHIFT | idx;
}

void
pool_free(struct pool *p, uint32_t h)
{
	uint32_t ci = h >> POOL_CHUNK_SHIFT, idx = h & (POOL_CHUNK_RECS - 1);
	struct pool_chunk *c = &p->chunks[ci];

	assert(h != 0 && ci < p->nchunks && c->mem != NULL && c->live > 0);
	memcpy(c->mem + (size_t)idx * p->rec_size, &c->free_head,
	    sizeof(uint32_t));
	c->free_head = idx + 1;
	c->live--;
	p->live--;
	if (c->partial == 0)
		partial_push(p, ci);
	/* Nothing live: back to the system, unless it is the only chunk
	 * with room (alloc/free around a boundary would otherwise malloc
	 * and free it again and again). */
	if (c->live == 0 && p->npartial > 1)
		chunk_release(p, ci);
}

void
pool_trim(struct pool *p)
{
	for (uint32_t i = p->npartial; i-- > 0;) {
		uint32_t ci = p->partial[i];

		if (p->chunks[ci].live == 0)
			chunk_release(p, ci);
	}
}

size_t
pool_bytes(const struct pool *p)
{
	return p->bytes + (size_t)p->cap_chunks *
	    (sizeof(struct pool_chunk) + 2 * sizeof(uint32_t));
}
