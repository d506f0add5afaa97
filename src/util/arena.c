#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 size;
	size_t			 used;
	_Alignas(16) unsigned char data[];
};

void
arena_init(struct arena *a, size_t chunk_size)
{
	memset(a, 0, sizeof(*a));
	a->chunk_size = chunk_size ? chunk_size : 65536;
}

static struct arena_chunk *
chunk_new(size_t size)
{
	struct arena_chunk *c;

	c = malloc(sizeof(*c) + size);
	if (c == NULL)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + 7) & ~(size_t)7;
	void *p;

	if (need < n)
		return NULL;
	if (c == NULL || c->size - c->used < need) {
		size_t sz = need > a->chunk_size ? need : a->chunk_size;
		struct arena_chunk *nc = chunk_new(sz);

		if (nc == NULL)
			return NULL;
		a->bytes += sz;
		if (c == NULL)
			a->first = nc;
		else
			c->next = nc;
		a->head = c = nc;
	}
	p = c->data + c->used;
	c->used += need;
	return p;
}

void *
arena_calloc(struct arena *a, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	p = arena_alloc(a, n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

/* The first chunk is kept for the next message; the others, which only
 * unusually large messages need, are freed, so what an arena holds
 * between messages is bounded by its chunk size. */
void
arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (a->first == NULL)
		return;
	for (c = a->first->next; c != NULL; c = next) {
		next = c->next;
		a->bytes -= c->size;
		free(c);
	}
	a->first->next = NULL;
	a->first->used = 0;
	a->head = a->first;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->first; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	memset(a, 0, sizeof(*a));
}
