#include <assert.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "rib/rib.h"
#include "rib/rib_index.h"
#include "util/khash.h"
#include "util/prefetch.h"

static const char *const table_names[RIB_TABLE_KINDS] = {
	"collector-peer", "bgp-peer", "adj-rib-in-pre", "adj-rib-in-post",
	"adj-rib-out-pre", "adj-rib-out-post", "loc-rib",
};

uint16_t
rib_tag_named(const char *name)
{
	static const struct {
		const char	*name;
		uint16_t	 bit;
	} tags[] = {
		{ "own-router", RIB_TAG_OWN_ROUTER },
		{ "upstream", RIB_TAG_UPSTREAM },
		{ "collector", RIB_TAG_COLLECTOR },
		{ "route-server", RIB_TAG_ROUTE_SERVER },
	};

	for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++)
		if (strcmp(tags[t].name, name) == 0)
			return tags[t].bit;
	return 0;
}

const char *
rib_table_name(enum rib_table_kind k)
{
	return (unsigned)k < RIB_TABLE_KINDS ? table_names[k] : "unknown";
}

const char *
rib_vp_state_name(enum rib_vp_state s)
{
	switch (s) {
	case RIB_VP_DOWN:	return "down";
	case RIB_VP_UP:		return "up";
	case RIB_VP_STALE:	return "stale";
	}
	return "unknown";
}

const char *
rib_source_state_name(enum rib_source_state s)
{
	switch (s) {
	case RIB_SRC_STARTING:	return "starting";
	case RIB_SRC_UP:	return "up";
	case RIB_SRC_DEGRADED:	return "degraded";
	case RIB_SRC_DOWN:	return "down";
	case RIB_SRC_DONE:	return "done";
	}
	return "unknown";
}

static void	vp_publish(struct rib *r, const struct rib_vp *v);

static void
path_hook(const uint8_t *data, uint16_t len, int delta, void *arg)
{
	links_path(arg, data, len, delta);
}

struct rib *
rib_new(void)
{
	struct rib *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	trie_init(&r->trie);
	arena_init(&r->scratch, 0);
	r->origins = origin_index_new();
	r->links = links_new();
	r->slots = calloc(16, sizeof(*r->slots));
	r->slot_table = calloc(64, sizeof(uint32_t));
	if (!attr_init(&r->attrs) || r->origins == NULL || r->links == NULL ||
	    r->slots == NULL || r->slot_table == NULL) {
		rib_free(r);
		return NULL;
	}
	blob_set_hook(&r->attrs.paths, path_hook, r->links);
	r->cap_slots = 16;
	r->nslots = 1;			/* slot 0 means none */
	r->slot_mask = 63;
	return r;
}

static int
free_routes(const struct trie_key *k, void *val, void *arg)
{
	(void)k;
	(void)arg;
	free(val);
	return 0;
}

void
rib_free(struct rib *r)
{
	if (r == NULL)
		return;
	/* attribute sets go with their store; route arrays one by one */
	attr_cache_clear(&r->attrs);
	trie_walk(&r->trie, 0, free_routes, NULL);
	trie_walk(&r->trie, 1, free_routes, NULL);
	trie_destroy(&r->trie);
	attr_destroy(&r->attrs);
	origin_index_free(r->origins);
	links_free(r->links);
	free(r->sources);
	for (uint32_t i = 0; i < r->nvps; i++)
		free(r->vps[i].keys);
	free(r->vps);
	free(r->slots);
	free(r->slot_table);
	free(r->watch_gen);
	for (struct rib_vpflags *t = r->vpflags, *o; t != NULL; t = o) {
		o = t->older;
		free(t);
	}
	arena_free(&r->scratch);
	free(r);
}

void
rib_on_change(struct rib *r, rib_change_fn fn, void *arg)
{
	r->on_change = fn;
	r->change_arg = arg;
}

void
rib_set_note(struct rib *r, rib_note_fn fn, void *arg)
{
	r->note = fn;
	r->note_arg = arg;
}

/* --- sources and VPs ------------------------------------------------------- */

uint32_t
rib_source_add(struct rib *r, const char *kind, const char *name)
{
	struct rib_source *s;

	if (r->nsources % 16 == 0) {
		s = realloc(r->sources, (r->nsources + 16) * sizeof(*s));
		if (s == NULL)
			return UINT32_MAX;
		r->sources = s;
	}
	s = &r->sources[r->nsources];
	memset(s, 0, sizeof(*s));
	s->id = r->nsources;
	snprintf(s->kind, sizeof(s->kind), "%s", kind);
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->state = RIB_SRC_STARTING;
	rib_changed_all(r);
	return r->nsources++;
}

void
rib_vps_sample_rates(struct rib *r)
{
	for (uint32_t i = 0; i < r->nvps; i++) {
		struct rib_vp *v = &r->vps[i];
		uint64_t n = v->announcements + v->withdrawals;

		v->rate_1s = n >= v->rate_mark ? n - v->rate_mark : 0;
		v->rate_mark = n;
	}
}

struct rib_source *
rib_source(struct rib *r, uint32_t id)
{
	return id < r->nsources ? &r->sources[id] : NULL;
}

void
rib_source_state(struct rib *r, uint32_t id, enum rib_source_state st,
    uint64_t now_us, const char *error)
{
	struct rib_source *s = rib_source(r, id);

	if (s == NULL)
		return;
	if (s->state != st)
		s->since_us = now_us;
	s->state = (uint8_t)st;
	if (error != NULL)
		snprintf(s->last_error, sizeof(s->last_error), "%s", error);
}

static uint32_t
slot_new(struct rib *r, uint32_t vp, uint32_t path_id, bool has_path_id)
{
	uint32_t s;

	if (r->free_slot != 0) {
		s = r->free_slot;
		r->free_slot = r->slots[s].vp;
	} else {
		if (r->nslots == r->cap_slots) {
			struct rib_slot *ns = realloc(r->slots,
			    (size_t)r->cap_slots * 2 * sizeof(*ns));

			if (ns == NULL || r->cap_slots >= RIB_STALE / 2)
				return 0;
			r->slots = ns;
			r->cap_slots *= 2;
		}
		s = r->nslots++;
	}
	r->slots[s].vp = vp;
	r->slots[s].path_id = path_id;
	r->slots[s].has_path_id = has_path_id;
	r->slots[s].refs = 0;
	return s;
}

uint32_t
rib_vp_add(struct rib *r, const struct rib_vp *tmpl)
{
	struct rib_vp *v;
	uint32_t slot;

	if (r->nvps % 64 == 0) {
		v = realloc(r->vps, (r->nvps + 64) * sizeof(*v));
		if (v == NULL)
			return UINT32_MAX;
		r->vps = v;
	}
	slot = slot_new(r, r->nvps, 0, false);
	if (slot == 0)
		return UINT32_MAX;
	r->slots[slot].refs = 1;	/* the VP's own, never freed */
	v = &r->vps[r->nvps];
	*v = *tmpl;
	v->keys = NULL;
	v->nkeys = v->cap_keys = 0;
	v->many = false;
	v->id = r->nvps;
	v->state = RIB_VP_DOWN;
	v->announcements = v->withdrawals = 0;
	v->rate_1s = v->rate_mark = 0;
	v->routes[0] = v->routes[1] = 0;
	v->eor[0] = v->eor[1] = false;
	v->slot = slot;
	vp_publish(r, v);
	rib_changed_all(r);
	return r->nvps++;
}

struct rib_vp *
rib_vp(struct rib *r, uint32_t id)
{
	return id < r->nvps ? &r->vps[id] : NULL;
}

/* ADD-PATH slots: (vp, path id) -> slot, open addressing, keyed hash. */
static uint32_t
slot_hash(uint32_t vp, uint32_t path_id)
{
	uint32_t k[2] = { vp, path_id };

	return (uint32_t)khash_words(k, 2);
}

static uint32_t *
slot_find(const struct rib *r, uint32_t vp, uint32_t path_id)
{
	for (uint32_t i = slot_hash(vp, path_id) & r->slot_mask;;
	    i = (i + 1) & r->slot_mask) {
		uint32_t s = r->slot_table[i];

		if (s == 0 || (r->slots[s].vp == vp &&
		    r->slots[s].path_id == path_id))
			return &r->slot_table[i];
	}
}

static bool
slot_table_grow(struct rib *r)
{
	uint32_t *old = r->slot_table, omask = r->slot_mask;

	r->slot_table = calloc(((size_t)omask + 1) * 2, sizeof(uint32_t));
	if (r->slot_table == NULL) {
		r->slot_table = old;
		return false;
	}
	r->slot_mask = omask * 2 + 1;
	for (size_t i = 0; i <= omask; i++)
		if (old[i] != 0)
			*slot_find(r, r->slots[old[i]].vp,
			    r->slots[old[i]].path_id) = old[i];
	free(old);
	return true;
}

/* The slot of (vp, path id) for a route: the VP's own without a path id;
 * found or (create) made under ADD-PATH. 0 if none / no memory. */
static uint32_t
slot_for(struct rib *r, uint32_t vp, const struct bgp_prefix *p,
    bool create)
{
	uint32_t *at;

	if (!p->has_path_id)
		return r->vps[vp].slot;
	if (create && (r->slot_count + 1) * 4ull > (r->slot_mask + 1) * 3ull &&
	    !slot_table_grow(r))
		return 0;
	at = slot_find(r, vp, p->path_id);
	if (*at != 0 || !create)
		return *at;
	*at = slot_new(r, vp, p->path_id, true);
	if (*at != 0)
		r->slot_count++;
	return *at;
}

static void
slot_table_delete(struct rib *r, uint32_t i)
{
	uint32_t j = i;

	r->slot_table[i] = 0;
	for (;;) {
		uint32_t s, home;

		j = (j + 1) & r->slot_mask;
		s = r->slot_table[j];
		if (s == 0)
			return;
		home = slot_hash(r->slots[s].vp, r->slots[s].path_id) &
		    r->slot_mask;
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		r->slot_table[i] = s;
		r->slot_table[j] = 0;
		i = j;
	}
}

static void
slot_unref(struct rib *r, uint32_t s)
{
	struct rib_slot *sl = &r->slots[s];
	uint32_t *at;

	assert(sl->refs > 0);
	if (--sl->refs > 0)
		return;
	assert(sl->has_path_id);	/* a VP's own slot keeps a ref */
	at = slot_find(r, sl->vp, sl->path_id);
	assert(*at == s);
	slot_table_delete(r, (uint32_t)(at - r->slot_table));
	r->slot_count--;
	sl->vp = r->free_slot;
	r->free_slot = s;
}

/* --- route arrays ------------------------------------------------------------ */

static size_t
routes_size(unsigned cap)
{
	return sizeof(struct rib_routes) + (size_t)cap * sizeof(struct rib_route);
}

/* Resizes to room for at least cap routes; the array takes all the room
 * the allocator gave (its size classes round up), so that growing by a
 * little seldom moves it. */
static struct rib_routes *
routes_resize(struct rib *r, struct rib_routes *rs, unsigned cap)
{
	unsigned old = rs != NULL ? rs->cap : 0;
	struct rib_routes *n = realloc(rs, routes_size(cap));
	size_t room;

	if (n == NULL)
		return NULL;
	if (rs == NULL) {
		n->n = 0;
		n->watch = 0;
	}
	room = (malloc_usable_size(n) - sizeof(*n)) / sizeof(n->r[0]);
	if (room > cap)
		cap = room < UINT16_MAX ? (unsigned)room : UINT16_MAX;
	n->cap = (uint16_t)cap;
	r->route_bytes += routes_size(cap) - (old ? routes_size(old) : 0);
	return n;
}

/* The routes of a watched prefix changed. */
static inline void
routes_changed(struct rib *r, const struct rib_routes *rs)
{
	if (rs->watch != 0)
		atomic_fetch_add_explicit(&r->watch_gen[rs->watch], 1,
		    memory_order_release);
}

void
rib_changed_all(struct rib *r)
{
	atomic_fetch_add_explicit(&r->gen_all, 1, memory_order_release);
}

/* The VP's flags as kept answers see them; the table grows (a new one,
 * published whole) as VPs come. */
static void
vp_publish(struct rib *r, const struct rib_vp *v)
{
	struct rib_vpflags *t = atomic_load_explicit(&r->vpflags,
	    memory_order_relaxed);
	uint8_t f = rib_vp_flags_of(v);

	if (t == NULL || v->id >= t->cap) {
		uint32_t cap = t == NULL ? 64 : t->cap * 2;
		struct rib_vpflags *n;

		while (cap <= v->id)
			cap *= 2;
		if ((n = malloc(sizeof(*n) + cap)) == NULL) {
			rib_changed_all(r);	/* kept answers can't tell */
			return;
		}
		n->cap = cap;
		for (uint32_t i = 0; i < cap; i++)
			atomic_init(&n->f[i], t != NULL && i < t->cap ?
			    atomic_load_explicit(&t->f[i],
			    memory_order_relaxed) : RIB_VPF_NONE);
		n->older = t;
		atomic_store_explicit(&r->vpflags, n, memory_order_release);
		t = n;
	}
	if (atomic_load_explicit(&t->f[v->id], memory_order_relaxed) == f)
		return;
	atomic_store_explicit(&t->f[v->id], f, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->gen_vps, 1, memory_order_release);
}

uint8_t
rib_vp_flags_of(const struct rib_vp *v)
{
	return (v->state & RIB_VPF_STATE) | (v->routes[0] > 0 ? RIB_VPF_V4 :
	    0) | (v->routes[1] > 0 ? RIB_VPF_V6 : 0);
}

uint8_t
rib_vp_flags(const struct rib *r, uint32_t vp)
{
	struct rib_vpflags *t = atomic_load_explicit(&r->vpflags,
	    memory_order_acquire);

	if (t == NULL || vp >= t->cap)
		return RIB_VPF_NONE;
	return atomic_load_explicit(&t->f[vp], memory_order_relaxed);
}

uint64_t
rib_vps_gen(const struct rib *r)
{
	return atomic_load_explicit(&r->gen_vps, memory_order_acquire);
}

bool
rib_watch(struct rib *r, const struct trie_key *k, struct rib_watch *w)
{
	uint32_t node = trie_get_node(&r->trie, k);
	struct rib_routes *rs;

	if (node == 0 || (rs = *trie_node_val(&r->trie, node)) == NULL ||
	    rs->n == 0)
		return false;
	if (r->watch_gen == NULL &&
	    (r->watch_gen = calloc(RIB_WATCH_SLOTS, sizeof(*r->watch_gen))) ==
	    NULL)
		return false;
	if (rs->watch == 0) {
		if (++r->watch_next >= RIB_WATCH_SLOTS)
			r->watch_next = 1;
		rs->watch = r->watch_next;
	}
	w->slot = rs->watch;
	w->gen = atomic_load_explicit(&r->watch_gen[rs->watch],
	    memory_order_relaxed);
	w->all = atomic_load_explicit(&r->gen_all, memory_order_relaxed);
	return true;
}

bool
rib_watch_current(const struct rib *r, const struct rib_watch *w)
{
	/* the table is made before the first slot is given, on the RIB's
	 * thread, and the slot came from there through a queue */
	return w->slot != 0 && w->slot < RIB_WATCH_SLOTS &&
	    r->watch_gen != NULL &&
	    atomic_load_explicit(&r->watch_gen[w->slot],
	    memory_order_acquire) == w->gen &&
	    atomic_load_explicit(&r->gen_all, memory_order_acquire) == w->all;
}

static void
index_origins(struct rib *r, uint32_t attr, uint32_t node, uint8_t v6,
    int delta)
{
	uint32_t o[ATTR_MAX_ORIGINS];
	unsigned n = attr_origins(&r->attrs, attr, o);

	for (unsigned i = 0; i < n; i++)
		origin_index_add(r->origins, o[i], node, v6, delta);
}

static int
find_route(const struct rib_routes *rs, uint32_t slot)
{
	for (unsigned i = 0; rs != NULL && i < rs->n; i++)
		if ((rs->r[i].slot & ~RIB_STALE) == slot)
			return (int)i;
	return -1;
}

/* Does the VP still have a route for prefix k? */
static bool
vp_has_route(const struct rib *r, const struct rib_vp *v,
    const struct trie_key *k)
{
	uint32_t node = trie_get_node(&r->trie, k);
	const struct rib_routes *rs;

	if (node == 0)
		return false;
	rs = *trie_node_val(&r->trie, node);
	for (unsigned i = 0; rs != NULL && i < rs->n; i++)
		if (r->slots[rs->r[i].slot & ~RIB_STALE].vp == v->id)
			return true;
	return false;
}

/* The VP's list of prefixes gets k; a full list is compacted (sorted,
 * duplicates and prefixes it no longer has dropped), and given up when
 * the VP has too many. */
static void
vp_note(struct rib *r, struct rib_vp *v, const struct trie_key *k)
{
	if (v->many)
		return;
	if (v->nkeys == v->cap_keys) {
		uint32_t n = 0;

		if (v->cap_keys >= RIB_VP_KEYS_MAX) {
			qsort(v->keys, v->nkeys, sizeof(*v->keys),
			    trie_key_cmp);
			for (uint32_t i = 0; i < v->nkeys; i++)
				if ((i == 0 || trie_key_cmp(&v->keys[i],
				    &v->keys[i - 1]) != 0) &&
				    vp_has_route(r, v, &v->keys[i]))
					v->keys[n++] = v->keys[i];
			v->nkeys = n;
		}
		if (v->nkeys * 4ull >= RIB_VP_KEYS_MAX * 3ull) {
			free(v->keys);
			v->keys = NULL;
			v->nkeys = v->cap_keys = 0;
			v->many = true;
			return;
		}
		if (v->nkeys == v->cap_keys) {
			uint32_t cap = v->cap_keys ? v->cap_keys * 2 : 16;
			struct trie_key *nk = realloc(v->keys,
			    cap * sizeof(*nk));

			if (nk == NULL) {
				free(v->keys);
				v->keys = NULL;
				v->nkeys = v->cap_keys = 0;
				v->many = true;
				return;
			}
			v->keys = nk;
			v->cap_keys = cap;
		}
	}
	v->keys[v->nkeys++] = *k;
}

enum rib_change
rib_announce(struct rib *r, uint32_t vp, const struct bgp_prefix *p,
    uint32_t attr, uint32_t ts)
{
	return rib_announce_hint(r, vp, p, attr, ts, 0);
}

enum rib_change
rib_announce_hint(struct rib *r, uint32_t vp, const struct bgp_prefix *p,
    uint32_t attr, uint32_t ts, unsigned hint)
{
	struct rib_vp *v = &r->vps[vp];
	struct rib_routes *rs;
	struct rib_route *rt;
	struct trie_key k;
	uint32_t slot, node;
	void **val;
	int i;

	if (!trie_key_from_prefix(p, &k))
		return RIB_FAILED;
	slot = slot_for(r, vp, p, true);
	if (slot == 0)
		return RIB_FAILED;
	if (r->last_node != 0 && r->last_key.hi == k.hi &&
	    r->last_key.lo == k.lo && r->last_key.len == k.len &&
	    r->last_key.v6 == k.v6) {
		node = r->last_node;
	} else {
		node = trie_insert_node(&r->trie, &k);
		if (node == 0)
			return RIB_FAILED;
		r->last_key = k;
		r->last_node = node;
	}
	val = trie_node_val(&r->trie, node);
	rs = *val;
	v->announcements++;
	i = find_route(rs, slot);
	if (i >= 0) {
		uint32_t old;

		rt = &rs->r[i];
		old = rt->attr;
		if (old == attr) {
			if (rt->slot != slot) {
				rt->slot = slot;	/* no longer stale */
				routes_changed(r, rs);
			}
			return RIB_UNCHANGED;
		}
		if (r->on_change != NULL)
			r->on_change(&k, vp, p->path_id, old, attr,
			    r->change_arg);
		attr_ref(&r->attrs, attr);
		if (attr_get(&r->attrs, old)->path !=
		    attr_get(&r->attrs, attr)->path) {
			index_origins(r, old, node, k.v6, -1);
			index_origins(r, attr, node, k.v6, 1);
		}
		rt->attr = attr;
		rt->ts = ts;
		rt->slot = slot;
		routes_changed(r, rs);
		attr_unref(&r->attrs, old);
		return RIB_REPLACED;
	}
	if (rs == NULL || rs->n == rs->cap) {
		/* small steps: a prefix gets its routes one VP at a time,
		 * and each step wasted is 12 bytes for each prefix */
		unsigned cap = rs == NULL ? 1 : rs->cap + rs->cap / 8 + 1;
		struct rib_routes *n;

		/* a RIB dump says how many are coming: room for them all,
		 * exactly */
		if (hint > (rs == NULL ? 0u : rs->n) &&
		    hint <= (rs == NULL ? 0u : rs->n) + 4096u)
			cap = hint;

		if (cap > UINT16_MAX)
			cap = UINT16_MAX;
		if (rs != NULL && rs->n == cap)
			return RIB_FAILED;	/* 65535 routes for one prefix */
		n = routes_resize(r, rs, cap);
		if (n == NULL) {
			if (rs == NULL) {
				r->last_node = 0;
				trie_remove(&r->trie, &k);
			}
			return RIB_FAILED;
		}
		*val = rs = n;
	}
	if (r->on_change != NULL)
		r->on_change(&k, vp, p->path_id, 0, attr, r->change_arg);
	rt = &rs->r[rs->n++];
	rt->attr = attr;
	rt->ts = ts;
	rt->slot = slot;
	routes_changed(r, rs);
	attr_ref(&r->attrs, attr);
	r->slots[slot].refs++;
	if (v->routes[k.v6]++ == 0)
		vp_publish(r, v);	/* VPs up with routes: summaries */
	r->routes++;
	index_origins(r, attr, node, k.v6, 1);
	vp_note(r, v, &k);
	return RIB_ADDED;
}

/* Takes route i out of the array at *val (which may shrink or go, with
 * the prefix when prune is set). */
static void
route_remove(struct rib *r, const struct trie_key *k, uint32_t node,
    unsigned i, bool prune)
{
	void **val = trie_node_val(&r->trie, node);
	struct rib_routes *rs = *val;
	struct rib_route rt = rs->r[i];
	uint32_t slot = rt.slot & ~RIB_STALE;
	struct rib_vp *v = &r->vps[r->slots[slot].vp];

	if (r->on_change != NULL)
		r->on_change(k, v->id, r->slots[slot].path_id, rt.attr, 0,
		    r->change_arg);
	rs->r[i] = rs->r[--rs->n];
	routes_changed(r, rs);
	index_origins(r, rt.attr, node, k->v6, -1);
	attr_unref(&r->attrs, rt.attr);
	slot_unref(r, slot);
	if (--v->routes[k->v6] == 0)
		vp_publish(r, v);
	r->routes--;
	if (rs->n == 0) {
		r->route_bytes -= routes_size(rs->cap);
		free(rs);
		r->last_node = 0;
		if (prune)
			trie_remove(&r->trie, k);	/* the slot goes too */
		else
			*val = NULL;			/* trie_prune, later */
	} else if (rs->n <= rs->cap / 2 && rs->cap > 4) {
		struct rib_routes *n = routes_resize(r, rs, rs->n + rs->n / 4);

		if (n != NULL)
			*val = n;
	}
}

enum rib_change
rib_withdraw(struct rib *r, uint32_t vp, const struct bgp_prefix *p,
    uint32_t ts)
{
	struct trie_key k;
	uint32_t slot, node;
	int i;

	(void)ts;
	if (!trie_key_from_prefix(p, &k))
		return RIB_FAILED;
	r->vps[vp].withdrawals++;
	slot = slot_for(r, vp, p, false);
	if (slot == 0)
		return RIB_UNCHANGED;
	node = trie_get_node(&r->trie, &k);
	if (node == 0 ||
	    (i = find_route(*trie_node_val(&r->trie, node), slot)) < 0)
		return RIB_UNCHANGED;
	route_remove(r, &k, node, (unsigned)i, true);
	return RIB_REMOVED;
}

/* --- a VP going down --------------------------------------------------------- */

/* Prefixes a sweep emptied, taken out one by one afterwards when they
 * are few; past this many, the whole trie is pruned in one walk. */
#define SWEEP_EMPTIED_MAX	65536

struct vp_sweep {
	struct rib	*r;
	uint32_t	 vp;
	int		 how;		/* 0 remove, 1 mark stale, 2 flush,
					 * 3 current again */
	uint64_t	 n;
	struct trie_key	*emptied;
	size_t		 nemptied;
	bool		 prune_all;
};

static bool
slot_of_vp(const struct rib *r, uint32_t slot, uint32_t vp)
{
	return r->slots[slot & ~RIB_STALE].vp == vp;
}

static int
sweep(const struct trie_key *k, uint32_t node, void **val, void *arg)
{
	struct vp_sweep *s = arg;
	struct rib_routes *rs = *val;

	for (unsigned i = rs->n; i-- > 0;) {
		struct rib_route *rt = &rs->r[i];

		if (!slot_of_vp(s->r, rt->slot, s->vp))
			continue;
		if (s->how == 1) {
			if (!(rt->slot & RIB_STALE))
				routes_changed(s->r, rs);
			rt->slot |= RIB_STALE;
			s->n++;
		} else if (s->how == 3) {
			if (rt->slot & RIB_STALE) {
				routes_changed(s->r, rs);
				rt->slot &= ~RIB_STALE;
				s->n++;
			}
		} else if (s->how == 0 || (rt->slot & RIB_STALE)) {
			route_remove(s->r, k, node, i, false);
			s->n++;
			if (*val == NULL) {
				if (s->emptied != NULL &&
				    s->nemptied < SWEEP_EMPTIED_MAX)
					s->emptied[s->nemptied++] = *k;
				else
					s->prune_all = true;
				break;
			}
			rs = *val;
		}
	}
	return 0;
}

static uint64_t
vp_sweep(struct rib *r, uint32_t vp, int how, int v6)
{
	struct vp_sweep s = { .r = r, .vp = vp, .how = how };

	struct rib_vp *v = &r->vps[vp];

	if (how != 1 && how != 3)
		s.emptied = malloc(SWEEP_EMPTIED_MAX * sizeof(*s.emptied));
	if (!v->many) {
		/* a VP with few routes: visit its prefixes only */
		for (uint32_t i = 0; i < v->nkeys; i++) {
			const struct trie_key *k = &v->keys[i];
			uint32_t node;

			if (v6 >= 0 && k->v6 != v6)
				continue;
			node = trie_get_node(&r->trie, k);
			if (node != 0)
				sweep(k, node, trie_node_val(&r->trie, node),
				    &s);
		}
		if (how == 0 && v6 < 0) {
			free(v->keys);		/* none left: memory back */
			v->keys = NULL;
			v->nkeys = v->cap_keys = 0;
		}
	} else {
		for (int f = 0; f < 2; f++)
			if ((v6 < 0 || v6 == f) && v->routes[f] > 0)
				trie_walk_slots(&r->trie, f, sweep, &s);
		/* emptied: it starts again as a VP with few routes */
		if (v->routes[0] + v->routes[1] == 0)
			v->many = false;
	}
	/* a few prefixes emptied: out one by one; many: one prune walk */
	if (s.prune_all)
		trie_prune(&r->trie);
	else
		for (size_t i = 0; i < s.nemptied; i++)
			trie_remove(&r->trie, &s.emptied[i]);
	free(s.emptied);
	return s.n;
}

void
rib_vp_up(struct rib *r, uint32_t vp, uint64_t now_us)
{
	struct rib_vp *v = &r->vps[vp];

	if (v->state != RIB_VP_UP)
		v->since_us = now_us;
	v->state = RIB_VP_UP;
	vp_publish(r, v);
	v->eor[0] = v->eor[1] = false;
}

uint64_t
rib_vp_unstale(struct rib *r, uint32_t vp)
{
	return vp_sweep(r, vp, 3, -1);
}

void
rib_vp_down(struct rib *r, uint32_t vp, bool keep_stale, uint64_t now_us)
{
	struct rib_vp *v = &r->vps[vp];

	vp_sweep(r, vp, keep_stale ? 1 : 0, -1);
	if (!keep_stale) {
		/* memory goes back: the cache would keep sets of the routes
		 * that went, and emptied chunks go to the system */
		attr_cache_clear(&r->attrs);
		attr_trim(&r->attrs);
		pool_trim(&r->trie.nodes);
	}
	if (v->state != (keep_stale ? RIB_VP_STALE : RIB_VP_DOWN))
		v->since_us = now_us;
	v->state = keep_stale ? RIB_VP_STALE : RIB_VP_DOWN;
	vp_publish(r, v);
}

uint64_t
rib_vp_flush_stale(struct rib *r, uint32_t vp, int v6)
{
	return vp_sweep(r, vp, 2, v6);
}

/* --- queries ---------------------------------------------------------------- */

static int
each_route(const struct rib *r, const struct trie_key *k,
    const struct rib_routes *rs, rib_entry_fn fn, void *arg)
{
	if (rs == NULL)
		return 0;
	/* the routes' attribute sets, then their members, loaded side by
	 * side rather than one miss after the other */
	for (unsigned i = 0; i < rs->n; i++) {
		attr_prefetch(&r->attrs, rs->r[i].attr);
		prefetch(&r->slots[rs->r[i].slot & ~RIB_STALE]);
	}
	for (unsigned i = 0; i < rs->n; i++)
		attr_prefetch_members(&r->attrs, rs->r[i].attr);
	for (unsigned i = 0; i < rs->n; i++) {
		const struct rib_route *rt = &rs->r[i];
		const struct rib_slot *sl = &r->slots[rt->slot & ~RIB_STALE];
		struct rib_entry e = {
			.vp = &r->vps[sl->vp], .path_id = sl->path_id,
			.has_path_id = sl->has_path_id != 0,
			.stale = (rt->slot & RIB_STALE) != 0, .ts = rt->ts,
			.attr = rt->attr };
		int rc = fn(k, &e, arg);

		if (rc != 0)
			return rc;
	}
	return 0;
}

int
rib_prefix_routes(const struct rib *r, const struct trie_key *k,
    rib_entry_fn fn, void *arg)
{
	void **val = trie_get(&r->trie, k);

	if (val == NULL)
		return 0;
	return each_route(r, k, *val, fn, arg);
}

struct each_arg {
	const struct rib	*r;
	rib_entry_fn		 fn;
	void			*arg;
};

static int
each_prefix(const struct trie_key *k, void *val, void *arg)
{
	struct each_arg *x = arg;

	return each_route(x->r, k, val, x->fn, x->arg);
}

int
rib_more_specifics(const struct rib *r, const struct trie_key *k,
    rib_entry_fn fn, void *arg)
{
	struct each_arg x = { r, fn, arg };

	return trie_walk_more(&r->trie, k, each_prefix, &x);
}

int
rib_less_specifics(const struct rib *r, const struct trie_key *k,
    rib_entry_fn fn, void *arg)
{
	struct each_arg x = { r, fn, arg };

	return trie_walk_covering(&r->trie, k, each_prefix, &x);
}

struct origin_arg {
	const struct rib	*r;
	rib_origin_fn		 fn;
	void			*arg;
};

static int
origin_each(uint32_t node, uint8_t v6, uint32_t routes, void *arg)
{
	struct origin_arg *x = arg;
	struct trie_key k;

	trie_node_key(&x->r->trie, node, v6, &k);
	return x->fn(&k, routes, x->arg);
}

int
rib_origin_prefixes(const struct rib *r, uint32_t asn, rib_origin_fn fn,
    void *arg)
{
	struct origin_arg x = { r, fn, arg };

	return origin_index_walk(r->origins, asn, origin_each, &x);
}

struct nb_arg {
	uint32_t	 asn;
	rib_link_fn	 fn;
	void		*arg;
};

static void
nb_each(uint32_t left, uint32_t right, uint32_t paths, void *arg)
{
	struct nb_arg *x = arg;

	/* left is nearer the VP: the AS left of asn is its upstream */
	if (right == x->asn)
		x->fn(left, true, paths, x->arg);
	if (left == x->asn)
		x->fn(right, false, paths, x->arg);
}

void
rib_as_neighbors(const struct rib *r, uint32_t asn, rib_link_fn fn,
    void *arg)
{
	struct nb_arg x = { asn, fn, arg };

	links_walk(r->links, asn, nb_each, &x);
}

void
rib_mem(const struct rib *r, struct rib_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->prefixes[0] = r->trie.count[0];
	m->prefixes[1] = r->trie.count[1];
	m->prefix_bytes = trie_bytes(&r->trie);
	m->routes = r->routes;
	m->route_bytes = r->route_bytes;
	attr_mem(&r->attrs, &m->attr);
	m->index_bytes = origin_index_bytes(r->origins) +
	    links_bytes(r->links);
	for (uint32_t i = 0; i < r->nvps; i++)
		m->vp_bytes += (size_t)r->vps[i].cap_keys *
		    sizeof(struct trie_key);
	m->vp_bytes += (size_t)r->nsources * sizeof(struct rib_source) +
	    (size_t)r->nvps * sizeof(struct rib_vp) +
	    (size_t)r->cap_slots * sizeof(struct rib_slot) +
	    ((size_t)r->slot_mask + 1) * sizeof(uint32_t);
	m->total = m->prefix_bytes + m->route_bytes + m->attr.sets_bytes +
	    m->attr.paths_bytes + m->attr.comms_bytes + m->attr.other_bytes +
	    m->index_bytes + m->vp_bytes + r->scratch.bytes;
}
