/* Each node holds a prefix (with a value) or is a glue node where two
 * branches part (value NULL, always two children). A node's children
 * are chosen by the key bit at the node's length. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib/trie.h"
#include "util/khash.h"
#include "util/prefetch.h"
#include "wire/bgp.h"

struct trie_node {
	uint64_t	 hi;
	uint64_t	 lo;
	void		*val;
	uint32_t	 child[2];
	uint8_t		 len;
};

#define TRIE_MAX_DEPTH	130	/* a node per length 0..128, and one more */

static inline struct trie_node *
node(const struct trie *t, uint32_t h)
{
	return pool_get(&t->nodes, h);
}

static inline unsigned
key_bit(uint64_t hi, uint64_t lo, unsigned i)
{
	return i < 64 ? (unsigned)(hi >> (63 - i)) & 1u :
	    (unsigned)(lo >> (127 - i)) & 1u;
}

/* Length of the common prefix of two keys, up to 128. */
static inline unsigned
common_bits(uint64_t ahi, uint64_t alo, uint64_t bhi, uint64_t blo)
{
	uint64_t x = ahi ^ bhi;

	if (x != 0)
		return (unsigned)__builtin_clzll(x);
	x = alo ^ blo;
	return x != 0 ? 64u + (unsigned)__builtin_clzll(x) : 128u;
}

static void
key_mask(uint64_t *hi, uint64_t *lo, unsigned len)
{
	if (len == 0) {
		*hi = *lo = 0;
	} else if (len < 64) {
		*hi &= ~(uint64_t)0 << (64 - len);
		*lo = 0;
	} else if (len == 64) {
		*lo = 0;
	} else if (len < 128) {
		*lo &= ~(uint64_t)0 << (128 - len);
	}
}

void
trie_init(struct trie *t)
{
	memset(t, 0, sizeof(*t));
	pool_init(&t->nodes, sizeof(struct trie_node));
	htab_init(&t->index);
	khash_init();
}

void
trie_destroy(struct trie *t)
{
	pool_destroy(&t->nodes);
	htab_destroy(&t->index);
	memset(t, 0, sizeof(*t));
}

/* --- the exact-match index --------------------------------------------------- */

#define IX_V6	0x80000000u

static uint64_t
key_hash(uint64_t hi, uint64_t lo, unsigned len, unsigned v6)
{
	uint32_t w[5] = { (uint32_t)(hi >> 32), (uint32_t)hi,
	    (uint32_t)(lo >> 32), (uint32_t)lo, len << 1 | v6 };

	return khash_words(w, 5);
}

static bool
ix_eq(uint32_t val, const void *key, void *ctx)
{
	const struct trie_key *k = key;
	const struct trie_node *n = node(ctx, val & ~IX_V6);

	return n->hi == k->hi && n->lo == k->lo && n->len == k->len &&
	    ((val & IX_V6) != 0) == (k->v6 != 0);
}

static uint64_t
ix_hash(uint32_t val, void *ctx)
{
	const struct trie_node *n = node(ctx, val & ~IX_V6);

	return key_hash(n->hi, n->lo, n->len, (val & IX_V6) != 0);
}

static void
ix_prefetch(uint32_t val, void *ctx)
{
	prefetch(node(ctx, val & ~IX_V6));
}

static const struct htab_ops ix_ops = { ix_hash, ix_prefetch };

/* The slot of k in the index, or UINT32_MAX. */
static uint32_t
ix_find(const struct trie *t, const struct trie_key *k)
{
	return htab_find(&t->index, key_hash(k->hi, k->lo, k->len, k->v6),
	    ix_eq, k, (void *)(uintptr_t)t);
}

static bool
ix_add(struct trie *t, const struct trie_key *k, uint32_t h)
{
	if (!htab_add(&t->index, key_hash(k->hi, k->lo, k->len, k->v6),
	    h | (k->v6 ? IX_V6 : 0), &ix_ops, t))
		return false;
	t->count[k->v6]++;
	return true;
}

static void
ix_del(struct trie *t, const struct trie_key *k)
{
	uint32_t i = ix_find(t, k);

	if (i != UINT32_MAX) {
		htab_del(&t->index, i, &ix_ops, t);
		t->count[k->v6]--;
	}
}

bool
trie_key_from_prefix(const struct bgp_prefix *p, struct trie_key *k)
{
	unsigned bits = p->afi == BGP_AFI_IPV6 ? 128 : 32;
	uint64_t hi = 0, lo = 0;

	if (p->len > bits)
		return false;
	for (unsigned i = 0; i < 8; i++)
		hi = hi << 8 | p->addr[i];
	for (unsigned i = 8; i < 16; i++)
		lo = lo << 8 | p->addr[i];
	if (bits == 32) {
		hi &= ~(uint64_t)0 << 32;
		lo = 0;
	}
	key_mask(&hi, &lo, p->len);
	k->hi = hi;
	k->lo = lo;
	k->len = p->len;
	k->v6 = bits == 128;
	return true;
}

void
trie_key_to_prefix(const struct trie_key *k, struct bgp_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->afi = k->v6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	p->len = k->len;
	for (unsigned i = 0; i < 8; i++) {
		p->addr[i] = (uint8_t)(k->hi >> (56 - 8 * i));
		p->addr[8 + i] = (uint8_t)(k->lo >> (56 - 8 * i));
	}
	if (!k->v6)
		memset(p->addr + 4, 0, 12);
}

char *
trie_key_str(const struct trie_key *k, char *buf, size_t len)
{
	struct bgp_prefix p;
	char a[INET6_ADDRSTRLEN];

	trie_key_to_prefix(k, &p);
	inet_ntop(k->v6 ? AF_INET6 : AF_INET, p.addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, k->len);
	return buf;
}

bool
trie_key_parse(const char *s, struct trie_key *k)
{
	struct bgp_prefix p;

	return bgp_prefix_parse(s, &p) && trie_key_from_prefix(&p, k);
}

int
trie_key_cmp(const void *pa, const void *pb)
{
	const struct trie_key *a = pa, *b = pb;

	if (a->v6 != b->v6)
		return a->v6 < b->v6 ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

bool
trie_key_covers(const struct trie_key *outer, const struct trie_key *inner)
{
	return outer->v6 == inner->v6 && outer->len <= inner->len &&
	    common_bits(outer->hi, outer->lo, inner->hi, inner->lo) >=
	    outer->len;
}

static uint32_t
node_new(struct trie *t, uint64_t hi, uint64_t lo, unsigned len)
{
	uint32_t h = pool_alloc(&t->nodes);
	struct trie_node *n;

	if (h == 0)
		return 0;
	n = node(t, h);
	n->hi = hi;
	n->lo = lo;
	n->len = (uint8_t)len;
	n->val = NULL;
	n->child[0] = n->child[1] = 0;
	return h;
}

uint32_t
trie_get_node(const struct trie *t, const struct trie_key *k)
{
	uint32_t i = ix_find(t, k), h;

	if (i == UINT32_MAX)
		return 0;
	h = htab_val(&t->index, i) & ~IX_V6;
	return node(t, h)->val != NULL ? h : 0;
}

void **
trie_get(const struct trie *t, const struct trie_key *k)
{
	uint32_t h = trie_get_node(t, k);

	return h != 0 ? &node(t, h)->val : NULL;
}

void **
trie_node_val(const struct trie *t, uint32_t h)
{
	return &node(t, h)->val;
}

void
trie_node_key(const struct trie *t, uint32_t h, int v6, struct trie_key *k)
{
	const struct trie_node *n = node(t, h);

	k->hi = n->hi;
	k->lo = n->lo;
	k->len = n->len;
	k->v6 = (uint8_t)(v6 != 0);
}

/* A node for prefix k, in the index; 0 when memory runs out. */
static uint32_t
prefix_node_new(struct trie *t, const struct trie_key *k)
{
	uint32_t nh = node_new(t, k->hi, k->lo, k->len);

	if (nh != 0 && !ix_add(t, k, nh)) {
		pool_free(&t->nodes, nh);
		return 0;
	}
	return nh;
}

uint32_t
trie_insert_node(struct trie *t, const struct trie_key *k)
{
	uint32_t *link = &t->root[k->v6], i = ix_find(t, k);

	if (i != UINT32_MAX)
		return htab_val(&t->index, i) & ~IX_V6;
	for (;;) {
		uint32_t h = *link, nh, glue;
		struct trie_node *n;
		unsigned c;

		if (h == 0) {
			nh = prefix_node_new(t, k);
			if (nh != 0)
				*link = nh;
			return nh;
		}
		n = node(t, h);
		c = common_bits(n->hi, n->lo, k->hi, k->lo);
		if (c > n->len)
			c = n->len;
		if (c > k->len)
			c = k->len;
		if (c == n->len) {
			if (n->len == k->len) {
				/* a glue node becomes a prefix */
				return ix_add(t, k, h) ? h : 0;
			}
			link = &n->child[key_bit(k->hi, k->lo, n->len)];
			continue;
		}
		/* k parts from n at bit c < n->len */
		if (c == k->len) {
			/* k covers n: k becomes n's parent */
			nh = prefix_node_new(t, k);
			if (nh == 0)
				return 0;
			n = node(t, h);
			node(t, nh)->child[key_bit(n->hi, n->lo, c)] = h;
			*link = nh;
			return nh;
		}
		{
			uint64_t ghi = k->hi, glo = k->lo;

			key_mask(&ghi, &glo, c);
			glue = node_new(t, ghi, glo, c);
		}
		if (glue == 0)
			return 0;
		nh = prefix_node_new(t, k);
		if (nh == 0) {
			pool_free(&t->nodes, glue);
			return 0;
		}
		n = node(t, h);
		node(t, glue)->child[key_bit(n->hi, n->lo, c)] = h;
		node(t, glue)->child[key_bit(k->hi, k->lo, c)] = nh;
		*link = glue;
		return nh;
	}
}

void **
trie_insert(struct trie *t, const struct trie_key *k)
{
	uint32_t h = trie_insert_node(t, k);

	return h != 0 ? &node(t, h)->val : NULL;
}

void
trie_remove(struct trie *t, const struct trie_key *k)
{
	uint32_t *link = &t->root[k->v6], *plink = NULL, parent = 0, h;
	struct trie_node *n;

	for (;;) {
		h = *link;
		if (h == 0)
			return;
		n = node(t, h);
		if (n->len > k->len ||
		    common_bits(n->hi, n->lo, k->hi, k->lo) < n->len)
			return;
		if (n->len == k->len)
			break;
		plink = link;
		parent = h;
		link = &n->child[key_bit(k->hi, k->lo, n->len)];
	}
	if (ix_find(t, k) == UINT32_MAX)
		return;			/* a glue node, not a prefix */
	ix_del(t, k);
	n->val = NULL;
	if (n->child[0] != 0 && n->child[1] != 0)
		return;			/* stays as glue */
	*link = n->child[0] != 0 ? n->child[0] : n->child[1];
	pool_free(&t->nodes, h);
	/* a glue parent left with one child goes too */
	if (parent != 0 && *link == 0) {
		struct trie_node *p = node(t, parent);
		struct trie_key pk = { p->hi, p->lo, p->len, k->v6 };

		if (ix_find(t, &pk) == UINT32_MAX) {
			*plink = p->child[0] != 0 ? p->child[0] : p->child[1];
			pool_free(&t->nodes, parent);
		}
	}
}

void **
trie_longest(const struct trie *t, const struct trie_key *k,
    struct trie_key *found)
{
	uint32_t h = t->root[k->v6];
	struct trie_node *best = NULL;

	while (h != 0) {
		struct trie_node *n = node(t, h);

		if (n->len > k->len ||
		    common_bits(n->hi, n->lo, k->hi, k->lo) < n->len)
			break;
		if (n->val != NULL)
			best = n;
		if (n->len == k->len)
			break;
		h = n->child[key_bit(k->hi, k->lo, n->len)];
	}
	if (best == NULL)
		return NULL;
	if (found != NULL) {
		found->hi = best->hi;
		found->lo = best->lo;
		found->len = best->len;
		found->v6 = k->v6;
	}
	return &best->val;
}

static int
visit(uint8_t v6, const struct trie_node *n, trie_fn fn, void *arg)
{
	struct trie_key k = { n->hi, n->lo, n->len, v6 };

	return fn(&k, n->val, arg);
}

int
trie_walk_covering(const struct trie *t, const struct trie_key *k,
    trie_fn fn, void *arg)
{
	uint32_t h = t->root[k->v6];
	int rc;

	while (h != 0) {
		struct trie_node *n = node(t, h);

		if (n->len > k->len ||
		    common_bits(n->hi, n->lo, k->hi, k->lo) < n->len)
			break;
		if (n->val != NULL && (rc = visit(k->v6, n, fn, arg)) != 0)
			return rc;
		if (n->len == k->len)
			break;
		h = n->child[key_bit(k->hi, k->lo, n->len)];
	}
	return 0;
}

/* Pre-order, 0 before 1: a prefix before what it covers, and addresses
 * ascending. Iterative, with an explicit stack of the right children.
 * Calls fn (or sfn, with the node and the value's slot) for each node
 * with a value. */
static int
walk_nodes(const struct trie *t, uint8_t v6, uint32_t h, trie_fn fn,
    trie_slot_fn sfn, void *arg)
{
	uint32_t stack[TRIE_MAX_DEPTH];
	unsigned sp = 0;
	int rc;

	while (h != 0 || sp > 0) {
		struct trie_node *n;

		if (h == 0)
			h = stack[--sp];
		n = node(t, h);
		if (n->val != NULL) {
			struct trie_key k = { n->hi, n->lo, n->len, v6 };

			rc = fn != NULL ? fn(&k, n->val, arg) :
			    sfn(&k, h, &n->val, arg);
			if (rc != 0)
				return rc;
		}
		if (n->child[1] != 0)
			stack[sp++] = n->child[1];
		h = n->child[0];
	}
	return 0;
}

int
trie_walk_more(const struct trie *t, const struct trie_key *k, trie_fn fn,
    void *arg)
{
	uint32_t h = t->root[k->v6];

	/* the first node at or under k */
	while (h != 0) {
		struct trie_node *n = node(t, h);
		unsigned c = common_bits(n->hi, n->lo, k->hi, k->lo);

		if (n->len >= k->len)
			return c >= k->len ?
			    walk_nodes(t, k->v6, h, fn, NULL, arg) : 0;
		if (c < n->len)
			return 0;
		h = n->child[key_bit(k->hi, k->lo, n->len)];
	}
	return 0;
}

int
trie_walk(const struct trie *t, int v6, trie_fn fn, void *arg)
{
	return walk_nodes(t, (uint8_t)(v6 != 0), t->root[v6 != 0], fn, NULL,
	    arg);
}

int
trie_walk_slots(struct trie *t, int v6, trie_slot_fn fn, void *arg)
{
	return walk_nodes(t, (uint8_t)(v6 != 0), t->root[v6 != 0], NULL, fn,
	    arg);
}

/* Post-order: children first, so that a chain of emptied nodes goes at
 * once. */
static void
prune(struct trie *t, uint32_t *link, uint8_t v6)
{
	uint32_t h = *link;
	struct trie_node *n;
	struct trie_key k;

	if (h == 0)
		return;
	n = node(t, h);
	prune(t, &n->child[0], v6);
	prune(t, &n->child[1], v6);
	if (n->val != NULL)
		return;
	k.hi = n->hi;
	k.lo = n->lo;
	k.len = n->len;
	k.v6 = v6;
	ix_del(t, &k);		/* a prefix emptied by the walk */
	if (n->child[0] != 0 && n->child[1] != 0)
		return;		/* glue */
	*link = n->child[0] != 0 ? n->child[0] : n->child[1];
	pool_free(&t->nodes, h);
}

void
trie_prune(struct trie *t)
{
	prune(t, &t->root[0], 0);
	prune(t, &t->root[1], 1);
}

size_t
trie_bytes(const struct trie *t)
{
	return pool_bytes(&t->nodes) + htab_bytes(&t->index);
}
