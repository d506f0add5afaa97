#include <stdlib.h>
#include <string.h>

#include "rib/path_pack.h"
#include "rib/rib_index.h"
#include "util/khash.h"
#include "wire/bgp.h"

/* Both indexes are open-addressing tables with linear probing, grown at
 * 3/4 load, deleting by moving later entries of the run back. */

struct origin_ent {
	uint32_t	asn;
	uint32_t	node;		/* the prefix's trie node */
	uint32_t	routes;		/* 0: empty slot; top bit: IPv6 */
};

#define ROUTES_V6	0x80000000u
#define ROUTES_MASK	0x7fffffffu

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
origin_hash(uint32_t asn, uint32_t node, uint32_t v6)
{
	uint32_t w[3] = { asn, node, v6 };

	return khash_words(w, 3);
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
	return (uint32_t)origin_hash(e->asn, e->node, e->routes & ROUTES_V6) &
	    x->mask;
}

static struct origin_ent *
origin_slot(const struct rib_origin_index *x, uint32_t asn, uint32_t node,
    uint32_t v6)
{
	uint32_t i = (uint32_t)origin_hash(asn, node, v6) & x->mask;

	for (;; i = (i + 1) & x->mask) {
		struct origin_ent *e = &x->tab[i];

		if (e->routes == 0 || (e->asn == asn && e->node == node &&
		    (e->routes & ROUTES_V6) == v6))
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
	for (size_t i = 0; i <= omask; i++)
		if (old[i].routes != 0)
			*origin_slot(x, old[i].asn, old[i].node,
			    old[i].routes & ROUTES_V6) = old[i];
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
origin_index_add(struct rib_origin_index *x, uint32_t asn, uint32_t node,
    uint8_t v6, int delta)
{
	uint32_t v6bit = v6 ? ROUTES_V6 : 0;
	struct origin_ent *e = x->last;

	if (e != NULL && e->routes != 0 && e->asn == asn && e->node == node &&
	    (e->routes & ROUTES_V6) == v6bit)
		goto found;
	if (delta > 0 && (x->count + 1) * 4ull > (x->mask + 1) * 3ull &&
	    !origin_resize(x, ((size_t)x->mask + 1) * 2))
		return false;
	e = origin_slot(x, asn, node, v6bit);
	x->last = e;
found:
	if (e->routes == 0) {
		if (delta < 0)
			return true;	/* not indexed: nothing to undo */
		e->asn = asn;
		e->node = node;
		e->routes = v6bit;
		x->count++;
	}
	if (delta < 0 && (e->routes & ROUTES_MASK) <= (uint32_t)-delta) {
		origin_delete(x, e);
		x->count--;
		if (x->mask >= 1024 && x->count * 8ull < x->mask + 1ull)
			origin_resize(x, ((size_t)x->mask + 1) / 2);
		return true;
	}
	e->routes = (e->routes & ROUTES_V6) |
	    (uint32_t)((int64_t)(e->routes & ROUTES_MASK) + delta);
	return true;
}

int
origin_index_walk(const struct rib_origin_index *x, uint32_t asn,
    origin_index_fn fn, void *arg)
{
	for (size_t i = 0; i <= x->mask; i++) {
		const struct origin_ent *e = &x->tab[i];
		int rc;

		if (e->routes == 0 || e->asn != asn)
			continue;
		if ((rc = fn(e->node, (e->routes & ROUTES_V6) != 0,
		    e->routes & ROUTES_MASK, arg)) != 0)
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

	return khash_words(k, 2);
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

void
links_path(struct rib_links *l, const uint8_t *p, uint16_t len, int delta)
{
	struct path_iter it;
	uint32_t prev = 0, asn;

	/* links between neighbours in AS_SEQUENCEs (prepends are not
	 * links); a set or a confederation segment breaks the chain */
	path_iter_init(&it, p, len);
	while (path_next(&it, &asn)) {
		if (it.type != BGP_AS_SEQUENCE) {
			prev = 0;
			continue;
		}
		if (prev != 0 && asn != prev)
			link_add(l, prev, asn, delta);
		prev = asn;
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
