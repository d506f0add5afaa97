#include <stdlib.h>
#include <string.h>

#include "rib/rib_index.h"
#include "util/khash.h"
#include "wire/bgp.h"

/* Both indexes are open-addressing tables with linear probing, grown at
 * 3/4 load, deleting by moving later entries of the run back. */

struct origin_ent {
	uint64_t	hi;
	uint64_t	lo;
	uint32_t	asn;
	uint32_t	routes;		/* 0: empty slot */
	uint8_t		len;
	uint8_t		v6;
};

struct rib_origin_index {
	struct origin_ent	*tab;
	uint32_t		 mask;
	uint32_t		 count;
	/* The entry of the last call: the routes of one prefix mostly share
	 * their origin, and come one after the other. Cleared when entries
	 * move (growth, deletion). */
	struct origin_ent	*last;
};

static uint64_t
origin_hash(uint32_t asn, uint64_t hi, uint64_t lo, uint8_t len, uint8_t v6)
{
	uint8_t b[22];

	memcpy(b, &asn, 4);
	memcpy(b + 4, &hi, 8);
	memcpy(b + 12, &lo, 8);
	b[20] = len;
	b[21] = v6;
	return khash(b, sizeof(b));
}

struct rib_origin_index *
origin_index_new(void)
{
	struct rib_origin_index *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->tab = calloc(1024, sizeof(*x->tab));
	if (x->tab == NULL) {
		free(x);
		return NULL;
	}
	x->mask = 1023;
	return x;
}

void
origin_index_free(struct rib_origin_index *x)
{
	if (x == NULL)
		return;
	free(x->tab);
	free(x);
}

static uint32_t
origin_home(const struct rib_origin_index *x, const struct origin_ent *e)
{
	return (uint32_t)origin_hash(e->asn, e->hi, e->lo, e->len, e->v6) &
	    x->mask;
}

static struct origin_ent *
origin_slot(const struct rib_origin_index *x, uint32_t asn,
    const struct trie_key *k)
{
	uint32_t i = (uint32_t)origin_hash(asn, k->hi, k->lo, k->len, k->v6) &
	    x->mask;

	for (;; i = (i + 1) & x->mask) {
		struct origin_ent *e = &x->tab[i];

		if (e->routes == 0 || (e->asn == asn && e->hi == k->hi &&
		    e->lo == k->lo && e->len == k->len && e->v6 == k->v6))
			return e;
	}
}

static bool
origin_resize(struct rib_origin_index *x, size_t nsize)
{
	struct origin_ent *old = x->tab;
	uint32_t omask = x->mask;

	x->tab = calloc(nsize, sizeof(*x->tab));
	if (x->tab == NULL) {
		x->tab = old;
		return false;
	}
	x->mask = (uint32_t)nsize - 1;
	x->last = NULL;
	for (size_t i = 0; i <= omask; i++) {
		struct trie_key k;

		if (old[i].routes == 0)
			continue;
		k.hi = old[i].hi;
		k.lo = old[i].lo;
		k.len = old[i].len;
		k.v6 = old[i].v6;
		*origin_slot(x, old[i].asn, &k) = old[i];
	}
	free(old);
	return true;
}

static void
origin_delete(struct rib_origin_index *x, struct origin_ent *e)
{
	uint32_t i = (uint32_t)(e - x->tab), j = i;

	x->last = NULL;
	x->tab[i].routes = 0;
	for (;;) {
		uint32_t home;

		j = (j + 1) & x->mask;
		if (x->tab[j].routes == 0)
			return;
		home = origin_home(x, &x->tab[j]);
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		x->tab[i] = x->tab[j];
		x->tab[j].routes = 0;
		i = j;
	}
}

bool
origin_index_add(struct rib_origin_index *x, uint32_t asn,
    const struct trie_key *k, int delta)
{
	struct origin_ent *e = x->last;

	if (e != NULL && e->routes != 0 && e->asn == asn && e->hi == k->hi &&
	    e->lo == k->lo && e->len == k->len && e->v6 == k->v6)
		goto found;
	if (delta > 0 && (x->count + 1) * 4ull > (x->mask + 1) * 3ull &&
	    !origin_resize(x, ((size_t)x->mask + 1) * 2))
		return false;
	e = origin_slot(x, asn, k);
	x->last = e;
found:
	if (e->routes == 0) {
		if (delta < 0)
			return true;	/* not indexed: nothing to undo */
		e->asn = asn;
		e->hi = k->hi;
		e->lo = k->lo;
		e->len = k->len;
		e->v6 = k->v6;
		x->count++;
	}
	if (delta < 0 && e->routes <= (uint32_t)-delta) {
		origin_delete(x, e);
		x->count--;
		if (x->mask >= 1024 && x->count * 8ull < x->mask + 1ull)
			origin_resize(x, ((size_t)x->mask + 1) / 2);
		return true;
	}
	e->routes = (uint32_t)((int64_t)e->routes + delta);
	return true;
}

int
origin_index_walk(const struct rib_origin_index *x, uint32_t asn,
    origin_index_fn fn, void *arg)
{
	for (size_t i = 0; i <= x->mask; i++) {
		const struct origin_ent *e = &x->tab[i];
		struct trie_key k;
		int rc;

		if (e->routes == 0 || e->asn != asn)
			continue;
		k.hi = e->hi;
		k.lo = e->lo;
		k.len = e->len;
		k.v6 = e->v6;
		if ((rc = fn(&k, e->routes, arg)) != 0)
			return rc;
	}
	return 0;
}

size_t
origin_index_bytes(const struct rib_origin_index *x)
{
	return sizeof(*x) + ((size_t)x->mask + 1) * sizeof(*x->tab);
}

/* --- AS links ------------------------------------------------------------ */

struct link_ent {
	uint32_t	left;
	uint32_t	right;
	uint32_t	paths;		/* 0: empty slot */
};

struct rib_links {
	struct link_ent	*tab;
	uint32_t	 mask;
	uint32_t	 count;
};

static uint64_t
link_hash(uint32_t a, uint32_t b)
{
	uint32_t k[2] = { a, b };

	return khash(k, sizeof(k));
}

struct rib_links *
links_new(void)
{
	struct rib_links *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->tab = calloc(1024, sizeof(*l->tab));
	if (l->tab == NULL) {
		free(l);
		return NULL;
	}
	l->mask = 1023;
	return l;
}

void
links_free(struct rib_links *l)
{
	if (l == NULL)
		return;
	free(l->tab);
	free(l);
}

static struct link_ent *
link_slot(const struct rib_links *l, uint32_t a, uint32_t b)
{
	for (uint32_t i = (uint32_t)link_hash(a, b) & l->mask;;
	    i = (i + 1) & l->mask) {
		struct link_ent *e = &l->tab[i];

		if (e->paths == 0 || (e->left == a && e->right == b))
			return e;
	}
}

static bool
links_resize(struct rib_links *l, size_t nsize)
{
	struct link_ent *old = l->tab;
	uint32_t omask = l->mask;

	l->tab = calloc(nsize, sizeof(*l->tab));
	if (l->tab == NULL) {
		l->tab = old;
		return false;
	}
	l->mask = (uint32_t)nsize - 1;
	for (size_t i = 0; i <= omask; i++)
		if (old[i].paths != 0)
			*link_slot(l, old[i].left, old[i].right) = old[i];
	free(old);
	return true;
}

static void
link_delete(struct rib_links *l, struct link_ent *e)
{
	uint32_t i = (uint32_t)(e - l->tab), j = i;

	l->tab[i].paths = 0;
	for (;;) {
		uint32_t home;

		j = (j + 1) & l->mask;
		if (l->tab[j].paths == 0)
			return;
		home = (uint32_t)link_hash(l->tab[j].left, l->tab[j].right) &
		    l->mask;
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		l->tab[i] = l->tab[j];
		l->tab[j].paths = 0;
		i = j;
	}
}

static void
link_add(struct rib_links *l, uint32_t a, uint32_t b, int delta)
{
	struct link_ent *e;

	if (delta > 0 && (l->count + 1) * 4ull > (l->mask + 1) * 3ull &&
	    !links_resize(l, ((size_t)l->mask + 1) * 2))
		return;		/* the index misses a link; routes are fine */
	e = link_slot(l, a, b);
	if (e->paths == 0) {
		if (delta < 0)
			return;
		e->left = a;
		e->right = b;
		l->count++;
	}
	if (delta < 0) {
		if (--e->paths == 0) {
			e->paths = 1;	/* occupied until deleted */
			link_delete(l, e);
			l->count--;
			if (l->mask >= 1024 && l->count * 8ull < l->mask + 1ull)
				links_resize(l, ((size_t)l->mask + 1) / 2);
		}
		return;
	}
	e->paths++;
}

static inline uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
links_path(struct rib_links *l, const uint8_t *p, uint16_t len, int delta)
{
	uint32_t prev = 0;
	size_t off = 0;

	/* links between neighbours in AS_SEQUENCEs (prepends are not
	 * links); a set or a confederation segment breaks the chain */
	while (off + 2 <= len) {
		unsigned type = p[off], count = p[off + 1];

		if (off + 2 + 4u * count > len)
			return;
		for (unsigned i = 0; i < count; i++) {
			uint32_t asn = get_u32(p + off + 2 + 4 * i);

			if (type != BGP_AS_SEQUENCE) {
				prev = 0;
				break;
			}
			if (prev != 0 && asn != prev)
				link_add(l, prev, asn, delta);
			prev = asn;
		}
		off += 2 + 4u * count;
	}
}

void
links_walk(const struct rib_links *l, uint32_t asn, links_fn fn, void *arg)
{
	for (size_t i = 0; i <= l->mask; i++) {
		const struct link_ent *e = &l->tab[i];

		if (e->paths != 0 && (e->left == asn || e->right == asn))
			fn(e->left, e->right, e->paths, arg);
	}
}

size_t
links_bytes(const struct rib_links *l)
{
	return sizeof(*l) + ((size_t)l->mask + 1) * sizeof(*l->tab);
}
