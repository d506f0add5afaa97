/* The RPKI state of RIB routes, and revalidation when the tables change
 * (see rpki_rib.h). */
#include "rpki/rpki_rib.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/grow.h"

int64_t
rpki_route_origin(const struct attrstore *s, uint32_t attr, uint32_t vp_asn)
{
	const struct attr_set *a = attr_get(s, attr);

	if (a->flags & ATTR_F_ORIGINS)
		return ROV_NO_ORIGIN;
	if (a->origin_as != 0)
		return a->origin_as;
	return vp_asn;
}

bool
rpki_route_path(const struct attrstore *s, uint32_t attr, uint32_t vp_asn,
    uint32_t *buf, size_t cap, struct aspa_path *p)
{
	uint32_t *as = buf;
	size_t n;

	n = attr_path_flat(s, attr, buf, cap, &p->has_set);
	if (n > cap) {
		if ((as = malloc(n * sizeof(*as))) == NULL)
			return false;
		attr_path_flat(s, attr, as, n, &p->has_set);
	}
	if (n == 0 && vp_asn != 0 && cap > 0) {
		buf[0] = vp_asn;	/* the VP's own route */
		n = 1;
	}
	p->as = as;
	p->n = n;
	return true;
}

void
rpki_path_done(struct aspa_path *p, const uint32_t *buf)
{
	if (p->as != buf)
		free((void *)p->as);
	p->as = NULL;
}

static enum rov_state
rov_of(const struct rpki_tables *t, const struct trie_key *k, int64_t origin)
{
	return t->vrps == NULL ? ROV_NOT_FOUND : rov_validate(t->vrps, k,
	    origin);
}

#define PATH_BUF	64

static enum aspa_state
aspa_of(const struct rpki_tables *t, const struct attrstore *s,
    uint32_t attr, uint32_t vp_asn)
{
	uint32_t buf[PATH_BUF];
	struct aspa_path p;
	enum aspa_state st;

	if (t->aspas == NULL)
		return ASPA_UNKNOWN;
	if (!rpki_route_path(s, attr, vp_asn, buf, PATH_BUF, &p))
		return ASPA_UNKNOWN;
	st = aspa_verify(t->aspas, &p, t->dir);
	rpki_path_done(&p, buf);
	return st;
}

void
rpki_route_state(const struct rpki_tables *t, const struct attrstore *s,
    const struct trie_key *k, uint32_t attr, uint32_t vp_asn,
    struct rpki_state *out)
{
	out->rov = (uint8_t)rov_of(t, k, rpki_route_origin(s, attr, vp_asn));
	out->aspa = (uint8_t)aspa_of(t, s, attr, vp_asn);
}

/* --- revalidation ------------------------------------------------------------ */

struct reval {
	struct rib			*r;
	const struct rpki_tables	*a;
	const struct rpki_tables	*b;
	const struct rpki_reval_fns	*fns;
	struct rpki_reval_stats		*st;
	/* the outermost prefixes of VRPs added or removed, sorted */
	struct trie_key			*keys;
	size_t				 nkeys, cap_keys;
	/* the ranges alone; the ranges, then the routes of the prefixes
	 * the changed ASPAs' ASes originate (they are only ever origins);
	 * every route, checked if in a range or its path holds a changed
	 * ASPA; every route checked */
	enum { RANGES, ORIGINS, WALK, EVERYTHING } mode;
	/* ORIGINS, the second part: the AS whose prefixes are walked (0:
	 * the ranges are) */
	uint32_t			 origin;
	/* ASes whose ASPA changed, sorted; which attribute sets' paths
	 * hold one (open addressing: 0 empty, 1 holds, 2 does not) */
	uint32_t			*cust;
	size_t				 ncust, cap_cust;
	uint32_t			*mkey;
	uint8_t				*mval;
	size_t				 mcap, mcount;
	bool				 failed;
};

static void
note_vrp(const struct vrp *v, bool added, void *arg)
{
	struct reval *rv = arg;
	struct trie_key *k;

	if (rv->fns->vrp != NULL)
		rv->fns->vrp(v, added, rv->fns->arg);
	rv->st->vrps_changed++;
	if ((k = grow_array(rv->keys, &rv->cap_keys, rv->nkeys,
	    sizeof(*k))) == NULL) {
		rv->failed = true;
		return;
	}
	rv->keys = k;
	vrp_key(v, &rv->keys[rv->nkeys++]);
}

static void
note_pair(const struct aspa_pair *p, bool added, void *arg)
{
	struct reval *rv = arg;
	uint32_t *c;

	if (rv->fns->pair != NULL)
		rv->fns->pair(p, added, rv->fns->arg);
	rv->st->pairs_changed++;
	if (rv->ncust > 0 && rv->cust[rv->ncust - 1] == p->customer)
		return;			/* pairs come by customer */
	if ((c = grow_array(rv->cust, &rv->cap_cust, rv->ncust,
	    sizeof(*c))) == NULL) {
		rv->failed = true;
		return;
	}
	rv->cust = c;
	rv->cust[rv->ncust++] = p->customer;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool
is_changed_customer(const struct reval *rv, uint32_t asn)
{
	return bsearch(&asn, rv->cust, rv->ncust, sizeof(*rv->cust),
	    u32_cmp) != NULL;
}

static bool
memo_grow(struct reval *rv)
{
	size_t ncap = rv->mcap == 0 ? 4096 : rv->mcap * 2;
	uint32_t *k = calloc(ncap, sizeof(*k));
	uint8_t *v = calloc(ncap, sizeof(*v));

	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return false;
	}
	for (size_t i = 0; i < rv->mcap; i++) {
		size_t j;

		if (rv->mval[i] == 0)
			continue;
		for (j = (rv->mkey[i] * 2654435761u) & (ncap - 1); v[j] != 0;
		    j = (j + 1) & (ncap - 1))
			;
		k[j] = rv->mkey[i];
		v[j] = rv->mval[i];
	}
	free(rv->mkey);
	free(rv->mval);
	rv->mkey = k;
	rv->mval = v;
	rv->mcap = ncap;
	return true;
}

/* Whether the path of set attr holds an AS whose ASPA changed. */
static bool
path_affected(struct reval *rv, uint32_t attr, uint32_t vp_asn)
{
	uint32_t buf[PATH_BUF];
	struct aspa_path p;
	bool hit = false;
	size_t j;

	if (rv->ncust == 0)
		return false;
	if (rv->mcount * 2 >= rv->mcap && !memo_grow(rv))
		return true;		/* no memory: check it */
	for (j = (attr * 2654435761u) & (rv->mcap - 1); rv->mval[j] != 0;
	    j = (j + 1) & (rv->mcap - 1))
		if (rv->mkey[j] == attr)
			return rv->mval[j] == 1;
	if (!rpki_route_path(&rv->r->attrs, attr, vp_asn, buf, PATH_BUF, &p))
		return true;
	for (size_t i = 0; i < p.n && !hit; i++)
		hit = is_changed_customer(rv, p.as[i]);
	rpki_path_done(&p, buf);
	rv->mkey[j] = attr;
	rv->mval[j] = hit ? 1 : 2;
	rv->mcount++;
	return hit;
}

/* Whether k lies inside one of the (disjoint, sorted) changed ranges:
 * the one that may cover it is the last that sorts before it. */
static bool
in_ranges(const struct reval *rv, const struct trie_key *k)
{
	size_t l = 0, r = rv->nkeys;

	while (l < r) {
		size_t m = (l + r) / 2;

		if (trie_key_cmp(&rv->keys[m], k) <= 0)
			l = m + 1;
		else
			r = m;
	}
	return l > 0 && trie_key_covers(&rv->keys[l - 1], k);
}

static int
reval_entry(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct reval *rv = arg;
	const struct attrstore *s = &rv->r->attrs;
	uint32_t asn = e->vp->asn;
	bool range, path;
	struct rpki_change c;
	int64_t origin = 0;

	rv->st->routes_seen++;
	if (rv->origin != 0) {
		/* a prefix of a changed AS: its own routes (those of a MOAS
		 * prefix's other origins are another's, or none's), outside
		 * the ranges, which had them all */
		origin = rpki_route_origin(s, e->attr, asn);
		if (origin != rv->origin || in_ranges(rv, k))
			return 0;
		range = false;
	} else
		range = rv->mode != WALK || in_ranges(rv, k);
	path = rv->mode == EVERYTHING || path_affected(rv, e->attr, asn);
	if (!range && !path)
		return 0;
	rv->st->routes_checked++;
	if (rv->origin == 0)
		origin = rpki_route_origin(s, e->attr, asn);
	c.old.rov = (uint8_t)rov_of(rv->a, k, origin);
	c.now.rov = range ? (uint8_t)rov_of(rv->b, k, origin) : c.old.rov;
	/* the path is read only when its state may have changed, or to
	 * tell the state of a route whose ROV did */
	if (path) {
		c.old.aspa = (uint8_t)aspa_of(rv->a, s, e->attr, asn);
		c.now.aspa = (uint8_t)aspa_of(rv->b, s, e->attr, asn);
	} else if (c.old.rov != c.now.rov)
		c.old.aspa = c.now.aspa = (uint8_t)aspa_of(rv->b, s, e->attr,
		    asn);
	if (c.old.rov == c.now.rov && (!path || c.old.aspa == c.now.aspa))
		return 0;
	rv->st->routes_changed++;
	c.k = k;
	c.e = e;
	rv->fns->route(&c, rv->fns->arg);
	return 0;
}

/* Does an AS come after asn in a stored path? */
static void
downstream_of(uint32_t neighbor, bool upstream, uint32_t paths, void *arg)
{
	(void)neighbor;
	(void)paths;
	if (!upstream)
		*(bool *)arg = true;
}

/* The routes whose verified path holds an AS whose ASPA changed are all
 * routes that AS originates, when no stored path has an AS after it (the
 * RIB's links; a prepend is no link) and no VP is that AS (an empty path
 * is read as the VP's AS). A path with an AS_SET is invalid whatever the
 * ASPAs; its set breaks the links, and it needs no look. A confederation
 * segment breaks them too, and is left out of the path verified: it
 * comes first in a path, before the AS it would hide. Past a few dozen
 * ASes, the links' scans cost more than they save. */
#define ORIGINS_MAX	64

static bool
origins_only(const struct reval *rv)
{
	const struct rib *r = rv->r;

	if (rv->ncust > ORIGINS_MAX)
		return false;
	for (uint32_t i = 0; i < r->nvps; i++)
		if (is_changed_customer(rv, r->vps[i].asn))
			return false;
	for (size_t i = 0; i < rv->ncust; i++) {
		bool transit = false;

		if (rv->cust[i] == 0)
			return false;
		rib_as_neighbors(r, rv->cust[i], downstream_of, &transit);
		if (transit)
			return false;
	}
	return true;
}

static int
origin_prefix(const struct trie_key *k, uint32_t routes, void *arg)
{
	struct reval *rv = arg;

	(void)routes;
	rib_prefix_routes(rv->r, k, reval_entry, rv);
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
rpki_revalidate(struct rib *r, const struct rpki_tables *a,
    const struct rpki_tables *b, const struct rpki_reval_fns *fns,
    struct rpki_reval_stats *st)
{
	struct vrp_table *none_v = NULL;
	struct aspa_table *none_a = NULL;
	const struct vrp_table *va = a->vrps, *vb = b->vrps;
	const struct aspa_table *aa = a->aspas, *ab = b->aspas;
	struct reval rv;
	double t0 = now_s();

	memset(st, 0, sizeof(*st));
	memset(&rv, 0, sizeof(rv));
	rv.r = r;
	rv.a = a;
	rv.b = b;
	rv.fns = fns;
	rv.st = st;
	if (va == NULL || vb == NULL)
		none_v = vrp_table_empty();
	if (aa == NULL || ab == NULL)
		none_a = aspa_table_empty();
	if ((none_v == NULL && (va == NULL || vb == NULL)) ||
	    (none_a == NULL && (aa == NULL || ab == NULL)))
		rv.failed = true;
	else {
		vrp_table_diff(va != NULL ? va : none_v, vb != NULL ? vb :
		    none_v, note_vrp, &rv);
		aspa_table_diff(aa != NULL ? aa : none_a, ab != NULL ? ab :
		    none_a, note_pair, &rv);
	}
	rv.nkeys = vrp_keys_outermost(rv.keys, rv.nkeys);
	st->ranges = rv.nkeys;
	st->customers = rv.ncust;
	/* out of memory, or another procedure: no delta to go by */
	rv.mode = rv.failed || a->dir != b->dir ? EVERYTHING : rv.ncust == 0 ?
	    RANGES : origins_only(&rv) ? ORIGINS : WALK;
	st->by_origin = rv.mode == ORIGINS;
	if (rv.mode == RANGES || rv.mode == ORIGINS) {
		for (size_t i = 0; i < rv.nkeys; i++)
			rib_more_specifics(r, &rv.keys[i], reval_entry, &rv);
		for (size_t i = 0; rv.mode == ORIGINS && i < rv.ncust; i++) {
			rv.origin = rv.cust[i];
			rib_origin_prefixes(r, rv.origin, origin_prefix, &rv);
		}
	} else {
		struct trie_key all[2];

		memset(all, 0, sizeof(all));
		all[1].v6 = 1;
		rib_more_specifics(r, &all[0], reval_entry, &rv);
		rib_more_specifics(r, &all[1], reval_entry, &rv);
	}
	free(rv.keys);
	free(rv.cust);
	free(rv.mkey);
	free(rv.mval);
	vrp_table_free(none_v);
	aspa_table_free(none_a);
	st->seconds = now_s() - t0;
}
