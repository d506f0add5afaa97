#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rib/attr.h"
#include "util/arena.h"
#include "util/khash.h"

#define KEY_OFF		offsetof(struct attr_set, path)
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
	free(s->table);
	bw_free(&s->w);
	memset(s, 0, sizeof(*s));
}

static uint64_t
set_hash(const struct attr_set *a)
{
	return khash((const uint8_t *)a + KEY_OFF, KEY_LEN);
}

static bool
set_eq(const struct attr_set *a, const struct attr_set *b)
{
	return memcmp((const uint8_t *)a + KEY_OFF, (const uint8_t *)b + KEY_OFF,
	    KEY_LEN) == 0;
}

static uint32_t *
set_slot(const struct attrstore *s, const struct attr_set *key, uint64_t hv)
{
	for (uint32_t i = (uint32_t)hv & s->mask;; i = (i + 1) & s->mask) {
		uint32_t h = s->table[i];

		if (h == 0 || set_eq(attr_get(s, h), key))
			return &s->table[i];
	}
}

static bool
table_resize(struct attrstore *s, uint32_t nsize)
{
	uint32_t *old = s->table, omask = s->mask;

	if (nsize == 0)
		return false;
	s->table = calloc(nsize, sizeof(uint32_t));
	if (s->table == NULL) {
		s->table = old;
		return false;
	}
	s->mask = nsize - 1;
	for (size_t i = 0; old != NULL && i <= omask; i++) {
		const struct attr_set *a;

		if (old[i] == 0)
			continue;
		a = attr_get(s, old[i]);
		*set_slot(s, a, set_hash(a)) = old[i];
	}
	free(old);
	return true;
}

static bool
table_grow(struct attrstore *s)
{
	return table_resize(s, s->table == NULL ? 1024 : (s->mask + 1) * 2);
}

/* RFC 6793: the effective path, 4-octet ASNs, wire form. */
static uint32_t
intern_path(struct attrstore *s, const struct bgp_aspath *p)
{
	bw_reset(&s->w);
	for (unsigned i = 0; i < p->nsegs; i++) {
		const struct bgp_asseg *g = &p->segs[i];

		bw_put_u8(&s->w, g->type);
		bw_put_u8(&s->w, g->count);
		for (unsigned j = 0; j < g->count; j++)
			bw_put_u32(&s->w, g->asn[j]);
	}
	if (!bw_ok(&s->w) || s->w.len > BLOB_MAX_LEN)
		return 0;
	return blob_intern(&s->paths, s->w.buf, (uint16_t)s->w.len);
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
	struct bgp_attrs r = *a;

	for (size_t i = 0; i < sizeof(own); i++)
		skip[own[i] >> 6] |= (uint64_t)1 << (own[i] & 63);
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

uint32_t
attr_intern(struct attrstore *s, const struct bgp_attrs *a,
    const uint8_t *nexthop, uint8_t nexthop_len)
{
	struct attr_set k;
	uint32_t *slot, h, rest;
	bool failed = false;

	memset(&k, 0, sizeof(k));
	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN)) {
		k.flags |= ATTR_F_ORIGIN;
		k.origin = a->origin;
	}
	if (bgp_attrs_has(a, BGP_ATTR_MED)) {
		k.flags |= ATTR_F_MED;
		k.med = a->med;
	}
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF)) {
		k.flags |= ATTR_F_LP;
		k.local_pref = a->local_pref;
	}
	if (bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE))
		k.flags |= ATTR_F_ATOMIC;
	/* each member interned takes a reference that the set keeps, or
	 * that is dropped below if the set exists already */
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH)) {
		k.flags |= ATTR_F_PATH;
		failed |= (k.path = intern_path(s, &a->path)) == 0;
	}
	if (bgp_attrs_has(a, BGP_ATTR_COMMUNITIES) && a->n_communities > 0)
		failed |= (k.comms = blob_intern(&s->comms, a->communities,
		    (uint16_t)(4u * a->n_communities))) == 0;
	if (bgp_attrs_has(a, BGP_ATTR_LARGE_COMMUNITY) &&
	    a->n_large_communities > 0)
		failed |= (k.lcomms = blob_intern(&s->lcomms,
		    a->large_communities,
		    (uint16_t)(12u * a->n_large_communities))) == 0;
	if (nexthop_len > 0)
		failed |= (k.nexthop = blob_intern(&s->nexthops, nexthop,
		    nexthop_len)) == 0;
	rest = intern_rest(s, a);
	if (rest == UINT32_MAX)
		failed = true;
	else
		k.rest = rest;
	if (failed || ((s->table == NULL ||
	    (s->count + 1) * 4ull > (s->mask + 1) * 3ull) && !table_grow(s))) {
		key_release(s, &k);
		return 0;
	}
	slot = set_slot(s, &k, set_hash(&k));
	if (*slot != 0) {
		key_release(s, &k);
		attr_ref(s, *slot);
		return *slot;
	}
	h = pool_alloc(&s->sets);
	if (h == 0) {
		key_release(s, &k);
		return 0;
	}
	k.refs = 1;
	memcpy(pool_get(&s->sets, h), &k, sizeof(k));
	*slot = h;
	s->count++;
	return h;
}

void
attr_ref(struct attrstore *s, uint32_t h)
{
	struct attr_set *a = pool_get(&s->sets, h);

	assert(a->refs > 0 && a->refs < UINT32_MAX);
	a->refs++;
}

/* Linear probing deletion: move later entries of the run back unless
 * their home slot lies cyclically in (i, j]. */
static void
table_delete(struct attrstore *s, uint32_t i)
{
	uint32_t j = i;

	s->table[i] = 0;
	for (;;) {
		uint32_t h, home;

		j = (j + 1) & s->mask;
		h = s->table[j];
		if (h == 0)
			return;
		home = (uint32_t)set_hash(attr_get(s, h)) & s->mask;
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		s->table[i] = h;
		s->table[j] = 0;
		i = j;
	}
}

void
attr_unref(struct attrstore *s, uint32_t h)
{
	struct attr_set *a = pool_get(&s->sets, h);
	uint32_t *slot;

	assert(a->refs > 0);
	if (--a->refs > 0)
		return;
	slot = set_slot(s, a, set_hash(a));
	assert(*slot == h);
	table_delete(s, (uint32_t)(slot - s->table));
	s->count--;
	key_release(s, a);
	pool_free(&s->sets, h);
	if (s->mask >= 1024 && s->count * 8ull < s->mask + 1ull)
		table_resize(s, (s->mask + 1) / 2);
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

/* Not keyed: the cache is direct-mapped, so inputs made to collide only
 * evict each other (misses), they cannot make anything slower. */
static uint64_t
cache_hash(const uint8_t *p, size_t n, uint32_t ctx)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)ctx << 32 | n);

	while (n >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		uint64_t w = 0;

		memcpy(&w, p, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 32;
	return h * 0x9e3779b97f4a7c15ull;
}

uint32_t
attr_intern_cached(struct attrstore *s, const struct bgp_attrs *a,
    uint32_t ctx, const uint8_t *nexthop, uint8_t nexthop_len)
{
	uint8_t key[ATTR_CACHE_KEY];
	struct attr_cache_ent *e;
	size_t len = (size_t)nexthop_len + a->raw_len;
	uint32_t h;
	uint64_t hv;

	if (a->raw == NULL || len > ATTR_CACHE_KEY)
		return attr_intern(s, a, nexthop, nexthop_len);
	if (s->cache == NULL) {
		s->cache = calloc(ATTR_CACHE_SLOTS, sizeof(*s->cache));
		if (s->cache == NULL)
			return attr_intern(s, a, nexthop, nexthop_len);
	}
	if (nexthop_len > 0)
		memcpy(key, nexthop, nexthop_len);
	memcpy(key + nexthop_len, a->raw, a->raw_len);
	hv = cache_hash(key, len, ctx);
	e = &s->cache[hv & (ATTR_CACHE_SLOTS - 1)];
	if (e->set != 0 && e->h == hv && e->ctx == ctx && e->len == len &&
	    memcmp(e->key, key, len) == 0) {
		s->cache_hits++;
		attr_ref(s, e->set);
		return e->set;
	}
	s->cache_misses++;
	h = attr_intern(s, a, nexthop, nexthop_len);
	if (h == 0)
		return 0;
	if (e->set != 0)
		attr_unref(s, e->set);
	attr_ref(s, h);
	e->set = h;
	e->h = hv;
	e->ctx = ctx;
	e->len = (uint16_t)len;
	memcpy(e->key, key, len);
	return h;
}

void
attr_cache_clear(struct attrstore *s)
{
	for (size_t i = 0; s->cache != NULL && i < ATTR_CACHE_SLOTS; i++) {
		if (s->cache[i].set != 0)
			attr_unref(s, s->cache[i].set);
		s->cache[i].set = 0;
	}
	free(s->cache);
	s->cache = NULL;
}

/* --- reading sets back ----------------------------------------------------- */

static inline uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

unsigned
attr_path_origins(const uint8_t *p, uint16_t len,
    uint32_t out[ATTR_MAX_ORIGINS])
{
	const uint8_t *last = NULL;
	size_t off = 0;
	unsigned n = 0, count;

	while (off + 2 <= len) {
		last = p + off;
		off += 2 + 4u * p[off + 1];
	}
	if (last == NULL || last[1] == 0 || off != len)
		return 0;
	count = last[1];
	if (last[0] == BGP_AS_SEQUENCE || last[0] == BGP_AS_CONFED_SEQUENCE) {
		out[0] = get_u32(last + 2 + 4 * (count - 1));
		return 1;
	}
	for (unsigned i = 0; i < count && n < ATTR_MAX_ORIGINS; i++)
		out[n++] = get_u32(last + 2 + 4 * i);
	return n;
}

unsigned
attr_origins(const struct attrstore *s, uint32_t h,
    uint32_t out[ATTR_MAX_ORIGINS])
{
	const struct attr_set *a = attr_get(s, h);
	const uint8_t *p;
	uint16_t len;

	if (a->path == 0)
		return 0;
	p = blob_data(&s->paths, a->path, &len);
	return attr_path_origins(p, len, out);
}

uint32_t
attr_upstream(const struct attrstore *s, uint32_t h)
{
	const struct attr_set *a = attr_get(s, h);
	const uint8_t *p;
	uint32_t origin = 0, prev = 0;
	uint16_t len;
	size_t off = 0;

	if (a->path == 0)
		return 0;
	p = blob_data(&s->paths, a->path, &len);
	/* walk the sequences; a set resets (no single upstream past it) */
	while (off + 2 <= len) {
		unsigned type = p[off], count = p[off + 1];

		if (off + 2 + 4u * count > len)
			return 0;
		for (unsigned i = 0; i < count; i++) {
			uint32_t asn = get_u32(p + off + 2 + 4 * i);

			if (type != BGP_AS_SEQUENCE) {
				origin = prev = 0;
				break;
			}
			if (asn != origin) {
				prev = origin;
				origin = asn;
			}
		}
		off += 2 + 4u * count;
	}
	return origin != 0 ? prev : 0;
}

bool
attr_view(const struct attrstore *s, uint32_t h, struct arena *ar,
    struct attr_view *out)
{
	const struct attr_set *a = attr_get(s, h);
	struct bgp_attrs *at = &out->attrs;
	struct bgp_problems pr = { 0 };
	const uint8_t *d;
	uint16_t len;

	memset(out, 0, sizeof(*out));
	if (a->rest != 0) {
		d = blob_data(&s->rest, a->rest, &len);
		bgp_attrs_decode(d, len, &AS4, ar, 0, at, &pr);
	}
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
		size_t off = 0, nsegs = 0;
		struct bgp_asseg *segs;
		uint32_t *asns;

		d = blob_data(&s->paths, a->path, &len);
		while (off + 2 <= len) {
			nsegs++;
			off += 2 + 4u * d[off + 1];
		}
		segs = arena_calloc(ar, nsegs ? nsegs : 1, sizeof(*segs));
		asns = arena_calloc(ar, len / 4 + 1, sizeof(*asns));
		if (segs == NULL || asns == NULL)
			return false;
		off = 0;
		for (size_t i = 0; i < nsegs; i++) {
			segs[i].type = d[off];
			segs[i].count = d[off + 1];
			segs[i].asn = asns;
			for (unsigned j = 0; j < segs[i].count; j++)
				*asns++ = get_u32(d + off + 2 + 4 * j);
			off += 2 + 4u * segs[i].count;
		}
		at->as_path.segs = segs;
		at->as_path.nsegs = (uint16_t)nsegs;
		at->path = at->as_path;
		bgp_attrs_set(at, BGP_ATTR_AS_PATH);
	}
	if (a->comms != 0) {
		at->communities = blob_data(&s->comms, a->comms, &len);
		at->n_communities = len / 4;
		bgp_attrs_set(at, BGP_ATTR_COMMUNITIES);
	}
	if (a->lcomms != 0) {
		at->large_communities = blob_data(&s->lcomms, a->lcomms, &len);
		at->n_large_communities = len / 12;
		bgp_attrs_set(at, BGP_ATTR_LARGE_COMMUNITY);
	}
	if (a->nexthop != 0) {
		out->nexthop = blob_data(&s->nexthops, a->nexthop, &len);
		out->nexthop_len = (uint8_t)len;
	}
	return true;
}

void
attr_mem(const struct attrstore *s, struct attr_mem *m)
{
	m->sets = s->count;
	m->sets_bytes = pool_bytes(&s->sets) +
	    (s->table != NULL ? ((size_t)s->mask + 1) * sizeof(uint32_t) : 0);
	m->paths = s->paths.count;
	m->paths_bytes = blob_bytes(&s->paths);
	m->comms = s->comms.count + s->lcomms.count;
	m->comms_bytes = blob_bytes(&s->comms) + blob_bytes(&s->lcomms);
	m->other = s->nexthops.count + s->rest.count;
	m->other_bytes = blob_bytes(&s->nexthops) + blob_bytes(&s->rest) +
	    s->w.cap + (s->cache != NULL ?
	    ATTR_CACHE_SLOTS * sizeof(*s->cache) : 0);
}
