#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api/lgcache.h"
#include "util/khash.h"

struct entry {
	struct entry	*next;		/* in its hash chain */
	struct entry	*older;		/* least recently used last */
	struct entry	*newer;
	uint64_t	 hv;
	char		*key;
	struct rib_lg	*lg;
	struct rib_watch w;
	const char	*ctype;
	struct strbuf	 body;		/* printed at now, to the byte */
	uint32_t	 now;
	size_t		 bytes;
};

struct lgcache {
	size_t		 max_bytes;
	size_t		 bytes;
	struct entry	**bucket;
	uint32_t	 mask;
	uint32_t	 n;
	struct entry	*newest;
	struct entry	*oldest;
	struct strbuf	 tmp;		/* printing again */
	_Atomic uint64_t hits;
	_Atomic uint64_t misses;
	_Atomic uint64_t entries;
	_Atomic uint64_t used;
};

struct lgcache *
lgcache_new(size_t max_bytes)
{
	struct lgcache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->max_bytes = max_bytes;
	sb_init(&c->tmp);
	c->mask = 1023;
	if ((c->bucket = calloc(c->mask + 1, sizeof(*c->bucket))) == NULL ||
	    !khash_init()) {
		free(c->bucket);
		free(c);
		return NULL;
	}
	return c;
}

static void
entry_free(struct entry *e)
{
	rib_lg_free(e->lg);
	sb_free(&e->body);
	free(e->key);
	free(e);
}

void
lgcache_free(struct lgcache *c)
{
	struct entry *e, *n;

	if (c == NULL)
		return;
	for (e = c->newest; e != NULL; e = n) {
		n = e->older;
		entry_free(e);
	}
	free(c->bucket);
	sb_free(&c->tmp);
	free(c);
}

/* b holds exactly len bytes from p. */
static bool
set_exact(struct strbuf *b, const char *p, size_t len)
{
	char *n = realloc(b->s, len + 1);

	if (n == NULL)
		return false;
	memcpy(n, p, len);
	n[len] = '\0';
	b->s = n;
	b->len = len;
	b->cap = len + 1;
	return true;
}

static void
publish(struct lgcache *c)
{
	atomic_store_explicit(&c->entries, c->n, memory_order_relaxed);
	atomic_store_explicit(&c->used, c->bytes, memory_order_relaxed);
}

static void
lru_unlink(struct lgcache *c, struct entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void
lru_front(struct lgcache *c, struct entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest != NULL)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
}

static struct entry **
find(struct lgcache *c, const char *key, uint64_t hv)
{
	struct entry **pp = &c->bucket[hv & c->mask];

	for (; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->hv == hv && strcmp((*pp)->key, key) == 0)
			break;
	return pp;
}

static void
drop(struct lgcache *c, struct entry **pp)
{
	struct entry *e = *pp;

	*pp = e->next;
	lru_unlink(c, e);
	c->bytes -= e->bytes;
	c->n--;
	entry_free(e);
}

/* What an entry holds, its answer taking body bytes. */
static size_t
entry_bytes(const char *key, const struct rib_lg *lg, size_t body)
{
	return sizeof(struct entry) + strlen(key) + 1 + rib_lg_bytes(lg) + body;
}

const struct strbuf *
lgcache_get(struct lgcache *c, const struct rib *r, const char *key,
    uint32_t now, const char **ctype)
{
	uint64_t hv;
	struct entry **pp, *e;
	int rc;

	if (c == NULL || c->n == 0)
		goto miss;
	hv = khash(key, strlen(key));
	pp = find(c, key, hv);
	if ((e = *pp) == NULL)
		goto miss;
	if (!rib_watch_current(r, &e->w) ||
	    (rc = rib_lg_refresh(e->lg, r)) < 0) {
		drop(c, pp);
		publish(c);
		goto miss;
	}
	/* printed again when a VP went up or down, or the ages moved on */
	if (rc > 0 || e->now != now) {
		sb_reset(&c->tmp);
		rib_lg_render(e->lg, now, &c->tmp);
		if (c->tmp.oom || !set_exact(&e->body, c->tmp.s, c->tmp.len)) {
			sb_free(&c->tmp);
			sb_init(&c->tmp);
			drop(c, pp);
			publish(c);
			goto miss;
		}
		c->bytes -= e->bytes;
		e->bytes = entry_bytes(e->key, e->lg, e->body.cap);
		c->bytes += e->bytes;
		e->now = now;
		publish(c);
	}
	lru_unlink(c, e);
	lru_front(c, e);
	*ctype = e->ctype;
	atomic_fetch_add_explicit(&c->hits, 1, memory_order_relaxed);
	return &e->body;
miss:
	atomic_fetch_add_explicit(&c->misses, 1, memory_order_relaxed);
	return NULL;
}

void
lgcache_put(struct lgcache *c, const char *key, struct rib_lg *lg,
    const struct rib_watch *w, const char *ctype, const char *body,
    size_t len, uint32_t now)
{
	struct entry **pp, *e;
	uint64_t hv;
	size_t bytes;

	rib_lg_shrink(lg);
	bytes = entry_bytes(key, lg, len + 1);
	/* one answer takes at most an eighth of the room */
	if (c == NULL || bytes > c->max_bytes / 8 ||
	    (e = calloc(1, sizeof(*e))) == NULL) {
		rib_lg_free(lg);
		return;
	}
	sb_init(&e->body);
	e->ctype = ctype;
	if ((e->key = strdup(key)) == NULL || !set_exact(&e->body, body, len)) {
		e->lg = lg;
		entry_free(e);
		return;
	}
	hv = khash(key, strlen(key));
	pp = find(c, key, hv);
	if (*pp != NULL)
		drop(c, pp);	/* an older answer to the same request */
	e->hv = hv;
	e->lg = lg;
	e->w = *w;
	e->now = now;
	e->bytes = entry_bytes(key, lg, e->body.cap);
	e->next = c->bucket[hv & c->mask];
	c->bucket[hv & c->mask] = e;
	lru_front(c, e);
	c->bytes += e->bytes;
	c->n++;
	while (c->bytes > c->max_bytes && c->oldest != NULL) {
		struct entry *o = c->oldest;

		drop(c, find(c, o->key, o->hv));
	}
	publish(c);
}

void
lgcache_stats(const struct lgcache *c, struct lgcache_stats *s)
{
	memset(s, 0, sizeof(*s));
	if (c == NULL)
		return;
	s->hits = atomic_load_explicit(&c->hits, memory_order_relaxed);
	s->misses = atomic_load_explicit(&c->misses, memory_order_relaxed);
	s->entries = atomic_load_explicit(&c->entries, memory_order_relaxed);
	s->bytes = atomic_load_explicit(&c->used, memory_order_relaxed);
}
