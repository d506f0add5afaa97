#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rib/attr.h"
#include "rib/path_pack.h"
#include "util/arena.h"
#include "util/khash.h"
#include "util/prefetch.h"

#define KEY_OFF		offsetof(struct attr_set, path)	/* refs, origin_as
							 * are not key */
#define KEY_LEN		(sizeof(struct attr_set) - KEY_OFF)

static const struct bgp_session AS4 = { .as4 = true, .ext_msg = true };

bool
attr_init(struct attrstore *s)
{
	memset(s, 0, sizeof(*s));
	if (!khash_init())
		return false;
	blob_init(&s->paths, "paths");
	blob_init(&s->comms, "communities");
	blob_init(&s->lcomms, "large communities");
	blob_init(&s->nexthops, "next hops");
	blob_init(&s->rest, "other attributes");
	pool_init(&s->sets, sizeof(struct attr_set));
	bw_init(&s->w);
	return true;
}

void
attr_destroy(struct attrstore *s)
{
	free(s->cache);
	blob_destroy(&s->paths);
	blob_destroy(&s->comms);
	blob_destroy(&s->lcomms);
	blob_destroy(&s->nexthops);
	blob_destroy(&s->rest);
	pool_destroy(&s->sets);
	htab_destroy(&s->table);
	bw_free(&s->w);
	memset(s, 0, sizeof(*s));
}

/* A set's key is nine 32-bit words of handles and values. */
static uint64_t
set_hash(const struct attr_set *a)
{
	uint32_t w[KEY_LEN / 4];

	memcpy(w, (const uint8_t *)a + KEY_OFF, sizeof(w));
	return khash_words(w, KEY_LEN / 4);
}

static bool
set_eq(const struct attr_set *a, const struct attr_set *b)
{
	return memcmp((const uint8_t *)a + KEY_OFF, (const uint8_t *)b + KEY_OFF,
	    KEY_LEN) == 0;
}

static bool
set_key_eq(uint32_t h, const void *key, void *ctx)
{
	return set_eq(attr_get(ctx, h), key);
}

static uint64_t
set_rec_hash(uint32_t h, void *ctx)
{
	return set_hash(attr_get(ctx, h));
}

static void
set_prefetch(uint32_t h, void *ctx)
{
	prefetch(attr_get(ctx, h));
}

static const struct htab_ops set_ops = { set_rec_hash, set_prefetch };

/* RFC 6793: the effective path, packed (rib/path_pack.h), into s->w. */
static bool
encode_path(struct attrstore *s, const struct bgp_aspath *p)
{
	bw_reset(&s->w);
	for (unsigned i = 0; i < p->nsegs; i++) {
		const struct bgp_asseg *g = &p->segs[i];

		bw_put_u8(&s->w, g->type);
		bw_put_u8(&s->w, g->count);
		for (unsigned j = 0; j < g->count; j++)
			path_put_asn(&s->w, g->asn[j]);
	}
	return bw_ok(&s->w) && s->w.len <= BLOB_MAX_LEN;
}

/* What the set record does not hold itself goes to the rest, in wire
 * form with 4-octet ASNs: AGGREGATOR (AS4_AGGREGATOR merged as RFC 6793
 * 4.2.3 says), extended communities, ORIGINATOR_ID, CLUSTER_LIST, OTC,
 * AIGP, and unknown attributes as received. */
static uint32_t
intern_rest(struct attrstore *s, const struct bgp_attrs *a)
{
	static const uint8_t own[] = { BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH,
	    BGP_ATTR_NEXT_HOP, BGP_ATTR_MED, BGP_ATTR_LOCAL_PREF,
	    BGP_ATTR_ATOMIC_AGGREGATE, BGP_ATTR_COMMUNITIES,
	    BGP_ATTR_MP_REACH_NLRI, BGP_ATTR_MP_UNREACH_NLRI,
	    BGP_ATTR_AS4_PATH, BGP_ATTR_AS4_AGGREGATOR,
	    BGP_ATTR_LARGE_COMMUNITY };
	uint64_t skip[4] = { 0, 0, 0, 0 };
	struct bgp_attrs r;
	bool any = false;

	for (size_t i = 0; i < sizeof(own); i++)
		skip[own[i] >> 6] |= (uint64_t)1 << (own[i] & 63);
	/* most routes have nothing else: no copy, no encoding */
	if (a->ent != NULL) {
		for (unsigned i = 0; i < a->n_ent && !any; i++)
			any = a->ent[i].state != BGP_ATTR_DISCARDED &&
			    !((skip[a->ent[i].type >> 6] >> (a->ent[i].type & 63)) &
			    1);
	} else {
		for (unsigned i = 0; i < 4 && !any; i++)
			any = (a->present[i] & ~skip[i]) != 0;
	}
	if (!any)
		return 0;
	r = *a;
	if (bgp_attrs_has(a, BGP_ATTR_AS4_AGGREGATOR) &&
	    bgp_attrs_has(a, BGP_ATTR_AGGREGATOR) &&
	    a->aggregator.asn == BGP_AS_TRANS)
		r.aggregator = a->as4_aggregator;
	bw_reset(&s->w);
	if (!bgp_attrs_encode_except(&r, &AS4, skip, &s->w) ||
	    s->w.len > BLOB_MAX_LEN)
		return UINT32_MAX;
	if (s->w.len == 0)
		return 0;
	return blob_intern(&s->rest, s->w.buf, (uint16_t)s->w.len);
}

static void
key_release(struct attrstore *s, const struct attr_set *k)
{
	blob_unref(&s->paths, k->path);
	blob_unref(&s->comms, k->comms);
	blob_unref(&s->lcomms, k->lcomms);
	blob_unref(&s->nexthops, k->nexthop);
	blob_unref(&s->rest, k->rest);
}

void
attr_stage_members(struct attrstore *s, const struct bgp_attrs *a,
    const uint8_t *nexthop, uint8_t nexthop_len, struct attr_stage *st)
{
	struct attr_set *k = &st->key;
	uint32_t rest;

	memset(k, 0, sizeof(*k));
	st->failed = false;
	st->has_path = false;
	st->new_path = false;
	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN)) {
		k->flags |= ATTR_F_ORIGIN;
		k->origin = a->origin;
	}
	if (bgp_attrs_has(a, BGP_ATTR_MED)) {
		k->flags |= ATTR_F_MED;
		k->med = a->med;
	}
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF)) {
		k->flags |= ATTR_F_LP;
		k->local_pref = a->local_pref;
	}
	if (bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE))
		k->flags |= ATTR_F_ATOMIC;
	/* each member interned takes a reference that the set keeps, or
	 * that is dropped if the set exists already */
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH)) {
		k->flags |= ATTR_F_PATH;
		st->has_path = true;
		if (!encode_path(s, &a->path))
			st->failed = true;
		else if (s->w.len > ATTR_STAGE_PATH_MAX) {
			/* too long to keep: interned now, without overlap */
			st->has_path = false;
			st->failed |= (k->path = blob_intern(&s->paths,
			    s->w.buf, (uint16_t)s->w.len)) == 0;
		} else {
			st->path_len = (uint16_t)s->w.len;
			if (st->path_len > 0)
				memcpy(st->path, s->w.buf, st->path_len);
			st->path_hv = blob_hash_prefetch(&s->paths, st->path,
			    st->path_len);
		}
	}
	/* few distinct community lists and next hops, asked for all the
	 * time: through a small cache */
	if (bgp_attrs_has(a, BGP_ATTR_COMMUNITIES) && a->n_communities > 0)
		st->failed |= (k->comms = blob_intern_cached(&s->comms,
		    a->communities, (uint16_t)(4u * a->n_communities),
		    4096)) == 0;
	if (bgp_attrs_has(a, BGP_ATTR_LARGE_COMMUNITY) &&
	    a->n_large_communities > 0)
		st->failed |= (k->lcomms = blob_intern(&s->lcomms,
		    a->large_communities,
		    (uint16_t)(12u * a->n_large_communities))) == 0;
	if (nexthop_len > 0)
		st->failed |= (k->nexthop = blob_intern_cached(&s->nexthops,
		    nexthop, nexthop_len, 1024)) == 0;
	rest = intern_rest(s, a);
	if (rest == UINT32_MAX)
		st->failed = true;
	else
		k->rest = rest;
}

/* Origins of a path as the paths store keeps it. */
static unsigned
attr_path_origins(const uint8_t *p, uint16_t len,
    uint32_t out[ATTR_MAX_ORIGINS])
{
	struct path_iter it;
	uint32_t asn;
	unsigned n = 0;
	uint8_t type = 0;

	/* the members of the last segment (a set's, up to the maximum) */
	path_iter_init(&it, p, len);
	while (path_next(&it, &asn)) {
		if (it.seg_start) {
			n = 0;
			type = it.type;
		}
		if (type == BGP_AS_SEQUENCE || type == BGP_AS_CONFED_SEQUENCE)
			n = 0;
		if (n < ATTR_MAX_ORIGINS)
			out[n++] = asn;
	}
	return n;
}

/* The origin AS kept in the set (see struct attr_set), from the packed
 * path p; ATTR_F_ORIGINS is part of the key, and like the path it
 * depends on, it is known before the set is looked up. */
static void
set_origin(struct attr_set *k, const uint8_t *p, uint16_t len)
{
	uint32_t o[ATTR_MAX_ORIGINS];
	unsigned n = attr_path_origins(p, len, o);

	k->origin_as = n == 1 ? o[0] : 0;
	if (n > 1)
		k->flags |= ATTR_F_ORIGINS;
}

void
attr_stage_path(struct attrstore *s, struct attr_stage *st)
{
	const uint8_t *p;
	uint16_t len;

	if (st->has_path && !st->failed) {
		st->key.path = blob_intern_hashed(&s->paths, st->path,
		    st->path_len, st->path_hv);
		st->failed = st->key.path == 0;
		/* a path no set had before: no set can have it yet */
		st->new_path = !st->failed &&
		    blob_refs(&s->paths, st->key.path) == 1;
		set_origin(&st->key, st->path, st->path_len);
	} else if (st->key.path != 0) {
		/* a long path, interned in the first stage */
		p = blob_data(&s->paths, st->key.path, &len);
		set_origin(&st->key, p, len);
	}
	if (!st->failed) {
		st->set_hv = set_hash(&st->key);
		htab_prefetch(&s->table, st->set_hv);
	}
}

uint32_t
attr_stage_set(struct attrstore *s, struct attr_stage *st)
{
	struct attr_set *k = &st->key;
	uint32_t h, i;

	if (st->failed) {
		key_release(s, k);
		return 0;
	}
	i = st->new_path ? UINT32_MAX :
	    htab_find(&s->table, st->set_hv, set_key_eq, k, s);
	if (i != UINT32_MAX) {
		key_release(s, k);
		attr_ref(s, htab_val(&s->table, i));
		return htab_val(&s->table, i);
	}
	h = pool_alloc(&s->sets);
	if (h == 0) {
		key_release(s, k);
		return 0;
	}
	k->refs = 1;
	memcpy(pool_get(&s->sets, h), k, sizeof(*k));
	if (!htab_add(&s->table, st->set_hv, h, &set_ops, s)) {
		key_release(s, k);
		pool_free(&s->sets, h);
		return 0;
	}
	s->count++;
	return h;
}

uint32_t
attr_intern(struct attrstore *s, const struct bgp_attrs *a,
    const uint8_t *nexthop, uint8_t nexthop_len)
{
	struct attr_stage st;

	attr_stage_members(s, a, nexthop, nexthop_len, &st);
	attr_stage_path(s, &st);
	return attr_stage_set(s, &st);
}

void
attr_ref(struct attrstore *s, uint32_t h)
{
	struct attr_set *a = pool_get(&s->sets, h);

	assert(a->refs > 0 && a->refs < UINT32_MAX);
	a->refs++;
}

void
attr_unref(struct attrstore *s, uint32_t h)
{
	struct attr_set *a = pool_get(&s->sets, h);
	uint32_t i;

	assert(a->refs > 0);
	if (--a->refs > 0)
		return;
	i = htab_find(&s->table, set_hash(a), set_key_eq, a, s);
	assert(i != UINT32_MAX && htab_val(&s->table, i) == h);
	htab_del(&s->table, i, &set_ops, s);
	s->count--;
	key_release(s, a);
	pool_free(&s->sets, h);
}

void
attr_trim(struct attrstore *s)
{
	pool_trim(&s->sets);
	blob_trim(&s->paths);
	blob_trim(&s->comms);
	blob_trim(&s->lcomms);
	blob_trim(&s->nexthops);
	blob_trim(&s->rest);
}

/* --- the cache ------------------------------------------------------------- */

/* The cache slot for the key with cache hash hv (allocating the cache
 * on first use), or NULL when the key is too long or memory ran out. */
static struct attr_cache_ent *
cache_slot(struct attrstore *s, size_t len, uint64_t hv)
{
	if (len > ATTR_CACHE_KEY)
		return NULL;
	if (s->cache == NULL) {
		s->cache = calloc(ATTR_CACHE_SLOTS, sizeof(*s->cache));
		if (s->cache == NULL)
			return NULL;
	}
	return &s->cache[hv & (ATTR_CACHE_SLOTS - 1)];
}

uint64_t
attr_cache_hash(struct attrstore *s, const uint8_t *key, size_t len,
    uint32_t ctx)
{
	uint64_t hv = fast_hash(key, len, (uint64_t)ctx << 32);

	if (s->cache != NULL)
		prefetch(&s->cache[hv & (ATTR_CACHE_SLOTS - 1)]);
	return hv;
}

uint32_t
attr_cache_find(struct attrstore *s, const uint8_t *key, size_t len,
    uint32_t ctx, uint64_t hv)
{
	struct attr_cache_ent *e = cache_slot(s, len, hv);

	if (e != NULL && e->set != 0 && e->h == hv && e->ctx == ctx &&
	    e->len == len && memcmp(e->key, key, len) == 0) {
		s->cache_hits++;
		attr_ref(s, e->set);
		return e->set;
	}
	/* the put that follows a miss drops this entry's reference */
	if (e != NULL && e->set != 0)
		prefetch(attr_get(s, e->set));
	s->cache_misses++;
	return 0;
}

void
attr_cache_put(struct attrstore *s, const uint8_t *key, size_t len,
    uint32_t ctx, uint64_t hv, uint32_t set)
{
	struct attr_cache_ent *e = cache_slot(s, len, hv);

	if (e == NULL)
		return;
	attr_ref(s, set);		/* the cache's own */
	if (e->set != 0)
		attr_unref(s, e->set);
	e->set = set;
	e->h = hv;
	e->ctx = ctx;
	e->len = (uint16_t)len;
	memcpy(e->key, key, len);
}

uint32_t
attr_intern_cached(struct attrstore *s, const struct bgp_attrs *a,
    uint32_t ctx, const uint8_t *nexthop, uint8_t nexthop_len)
{
	uint8_t key[ATTR_CACHE_KEY];
	size_t len = (size_t)nexthop_len + a->raw_len;
	uint64_t hv;
	uint32_t h;

	if (a->raw == NULL || len > ATTR_CACHE_KEY)
		return attr_intern(s, a, nexthop, nexthop_len);
	if (nexthop_len > 0)
		memcpy(key, nexthop, nexthop_len);
	memcpy(key + nexthop_len, a->raw, a->raw_len);
	hv = attr_cache_hash(s, key, len, ctx);
	h = attr_cache_find(s, key, len, ctx, hv);
	if (h != 0)
		return h;
	h = attr_intern(s, a, nexthop, nexthop_len);
	if (h != 0)
		attr_cache_put(s, key, len, ctx, hv, h);
	return h;
}

void
attr_cache_clear(struct attrstore *s)
{
	blob_cache_clear(&s->comms);
	blob_cache_clear(&s->nexthops);
	for (size_t i = 0; s->cache != NULL && i < ATTR_CACHE_SLOTS; i++) {
		if (s->cache[i].set != 0)
			attr_unref(s, s->cache[i].set);
		s->cache[i].set = 0;
	}
	free(s->cache);
	s->cache = NULL;
}

/* --- reading sets back ----------------------------------------------------- */

unsigned
attr_origins(const struct attrstore *s, uint32_t h,
    uint32_t out[ATTR_MAX_ORIGINS])
{
	const struct attr_set *a = attr_get(s, h);
	const uint8_t *p;
	uint16_t len;

	if (!(a->flags & ATTR_F_ORIGINS)) {
		out[0] = a->origin_as;
		return a->origin_as != 0;
	}
	if (a->path == 0)
		return 0;
	p = blob_data(&s->paths, a->path, &len);
	return attr_path_origins(p, len, out);
}

/* The AS just before the origin in a stored path, or 0. */
static uint32_t
path_upstream(const uint8_t *p, uint16_t len)
{
	struct path_iter it;
	uint32_t origin = 0, prev = 0, asn;

	path_iter_init(&it, p, len);
	/* along the sequences, prepends folded; past a set there is no
	 * single upstream */
	while (path_next(&it, &asn)) {
		if (it.type != BGP_AS_SEQUENCE) {
			origin = prev = 0;
			continue;
		}
		if (asn != origin) {
			prev = origin;
			origin = asn;
		}
	}
	return origin != 0 ? prev : 0;
}

uint32_t
attr_upstream(const struct attrstore *s, uint32_t h)
{
	const struct attr_set *a = attr_get(s, h);
	const uint8_t *p;
	uint16_t len;

	if (a->path == 0)
		return 0;
	p = blob_data(&s->paths, a->path, &len);
	return path_upstream(p, len);
}

size_t
attr_path_flat(const struct attrstore *s, uint32_t h, uint32_t *out,
    size_t cap, bool *has_set)
{
	const struct attr_set *a = attr_get(s, h);
	struct path_iter it;
	const uint8_t *p;
	uint16_t len;
	uint32_t asn;
	size_t n = 0;

	*has_set = false;
	if (a->path == 0)
		return 0;
	p = blob_data(&s->paths, a->path, &len);
	path_iter_init(&it, p, len);
	while (path_next(&it, &asn)) {
		if (it.type == BGP_AS_CONFED_SEQUENCE ||
		    it.type == BGP_AS_CONFED_SET)
			continue;
		if (it.type == BGP_AS_SET)
			*has_set = true;
		if (n < cap)
			out[n] = asn;
		n++;
	}
	return n;
}

unsigned
attr_copy_origins(const struct attr_copy *c, uint32_t out[ATTR_MAX_ORIGINS])
{
	if (!(c->set.flags & ATTR_F_ORIGINS)) {
		out[0] = c->set.origin_as;
		return c->set.origin_as != 0;
	}
	if (c->m[ATTR_M_PATH] == NULL)
		return 0;
	return attr_path_origins(c->m[ATTR_M_PATH], c->len[ATTR_M_PATH], out);
}

uint32_t
attr_copy_upstream(const struct attr_copy *c)
{
	if (c->m[ATTR_M_PATH] == NULL)
		return 0;
	return path_upstream(c->m[ATTR_M_PATH], c->len[ATTR_M_PATH]);
}

/* The members of a set, as bytes: where attr_view reads them. */
static void
members(const struct attrstore *s, const struct attr_set *a,
    const uint8_t *m[ATTR_MEMBERS], uint16_t len[ATTR_MEMBERS])
{
	const struct blobstore *b[ATTR_MEMBERS] = { &s->paths, &s->comms,
	    &s->lcomms, &s->nexthops, &s->rest };
	const uint32_t h[ATTR_MEMBERS] = { a->path, a->comms, a->lcomms,
	    a->nexthop, a->rest };

	for (int i = 0; i < ATTR_MEMBERS; i++) {
		m[i] = NULL;
		len[i] = 0;
		if (h[i] != 0)
			m[i] = blob_data(b[i], h[i], &len[i]);
	}
}

static bool
view_of(const struct attr_set *a, const uint8_t *const m[ATTR_MEMBERS],
    const uint16_t mlen[ATTR_MEMBERS], struct arena *ar,
    struct attr_view *out)
{
	struct bgp_attrs *at = &out->attrs;
	struct bgp_problems pr = { 0 };
	const uint8_t *d;
	uint16_t len;

	memset(out, 0, sizeof(*out));
	if (a->rest != 0)
		bgp_attrs_decode(m[ATTR_M_REST], mlen[ATTR_M_REST], &AS4, ar, 0,
		    at, &pr);
	at->ent = NULL;
	at->n_ent = 0;
	if (a->flags & ATTR_F_ORIGIN) {
		at->origin = a->origin;
		bgp_attrs_set(at, BGP_ATTR_ORIGIN);
	}
	if (a->flags & ATTR_F_MED) {
		at->med = a->med;
		bgp_attrs_set(at, BGP_ATTR_MED);
	}
	if (a->flags & ATTR_F_LP) {
		at->local_pref = a->local_pref;
		bgp_attrs_set(at, BGP_ATTR_LOCAL_PREF);
	}
	if (a->flags & ATTR_F_ATOMIC)
		bgp_attrs_set(at, BGP_ATTR_ATOMIC_AGGREGATE);
	if (a->flags & ATTR_F_PATH) {
		struct path_iter it;
		struct bgp_asseg *segs;
		uint32_t *asns, asn;
		size_t nsegs = 0, nasns = 0, i = 0;

		d = m[ATTR_M_PATH];
		len = mlen[ATTR_M_PATH];
		path_iter_init(&it, d, len);
		while (path_next(&it, &asn)) {
			nsegs += it.seg_start;
			nasns++;
		}
		segs = arena_calloc(ar, nsegs ? nsegs : 1, sizeof(*segs));
		asns = arena_calloc(ar, nasns ? nasns : 1, sizeof(*asns));
		if (segs == NULL || asns == NULL)
			return false;
		path_iter_init(&it, d, len);
		while (path_next(&it, &asn)) {
			if (it.seg_start) {
				segs[i].type = it.type;
				segs[i].asn = asns;
				i++;
			}
			segs[i - 1].count++;
			*asns++ = asn;
		}
		at->as_path.segs = segs;
		at->as_path.nsegs = (uint16_t)nsegs;
		at->path = at->as_path;
		bgp_attrs_set(at, BGP_ATTR_AS_PATH);
	}
	if (a->comms != 0) {
		at->communities = m[ATTR_M_COMMS];
		at->n_communities = mlen[ATTR_M_COMMS] / 4;
		bgp_attrs_set(at, BGP_ATTR_COMMUNITIES);
	}
	if (a->lcomms != 0) {
		at->large_communities = m[ATTR_M_LCOMMS];
		at->n_large_communities = mlen[ATTR_M_LCOMMS] / 12;
		bgp_attrs_set(at, BGP_ATTR_LARGE_COMMUNITY);
	}
	if (a->nexthop != 0) {
		out->nexthop = m[ATTR_M_NEXTHOP];
		out->nexthop_len = (uint8_t)mlen[ATTR_M_NEXTHOP];
	}
	return true;
}

bool
attr_view(const struct attrstore *s, uint32_t h, struct arena *ar,
    struct attr_view *out)
{
	const struct attr_set *a = attr_get(s, h);
	const uint8_t *m[ATTR_MEMBERS];
	uint16_t len[ATTR_MEMBERS];

	members(s, a, m, len);
	return view_of(a, m, len, ar, out);
}

void
attr_prefetch(const struct attrstore *s, uint32_t h)
{
	prefetch(attr_get(s, h));
}

void
attr_prefetch_members(const struct attrstore *s, uint32_t h)
{
	const struct attr_set *a = attr_get(s, h);

	/* next hops are few and hot; large communities and the rest are
	 * rare */
	blob_prefetch(&s->paths, a->path);
	blob_prefetch(&s->comms, a->comms);
}

bool
attr_copy(const struct attrstore *s, uint32_t h, struct arena *ar,
    struct attr_copy *out)
{
	const struct attr_set *a = attr_get(s, h);
	const uint8_t *m[ATTR_MEMBERS];

	out->set = *a;
	members(s, a, m, out->len);
	for (int i = 0; i < ATTR_MEMBERS; i++) {
		uint8_t *c = NULL;

		if (m[i] != NULL && (c = arena_alloc(ar, out->len[i] ?
		    out->len[i] : 1)) == NULL)
			return false;
		if (c != NULL)
			memcpy(c, m[i], out->len[i]);
		out->m[i] = c;
	}
	return true;
}

bool
attr_copy_view(const struct attr_copy *c, struct arena *ar,
    struct attr_view *out)
{
	return view_of(&c->set, c->m, c->len, ar, out);
}

void
attr_mem(const struct attrstore *s, struct attr_mem *m)
{
	m->sets = s->count;
	m->sets_bytes = pool_bytes(&s->sets) + htab_bytes(&s->table);
	m->paths = s->paths.count;
	m->paths_bytes = blob_bytes(&s->paths);
	m->comms = s->comms.count + s->lcomms.count;
	m->comms_bytes = blob_bytes(&s->comms) + blob_bytes(&s->lcomms);
	m->other = s->nexthops.count + s->rest.count;
	m->other_bytes = blob_bytes(&s->nexthops) + blob_bytes(&s->rest) +
	    s->w.cap + (s->cache != NULL ?
	    ATTR_CACHE_SLOTS * sizeof(*s->cache) : 0);
}
