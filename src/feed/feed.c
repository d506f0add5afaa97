#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed/feed.h"

void
feed_source_init(struct feed_source *s, const struct feed_ops *ops,
    struct rib *r, feed_sink_fn sink, void *sink_arg)
{
	s->ops = ops;
	s->rib = r;
	s->id = UINT32_MAX;
	s->sink = sink;
	s->sink_arg = sink_arg;
}

uint64_t
feed_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void
feed_apply_init(struct feed_apply *fa, struct rib *r)
{
	memset(fa, 0, sizeof(*fa));
	fa->rib = r;
}

void
feed_apply_done(struct feed_apply *fa)
{
	if (fa->last_attr != 0)
		attr_unref(&fa->rib->attrs, fa->last_attr);
	fa->last_attr = 0;
	free(fa->stages);
	fa->stages = NULL;
}

const struct bgp_attrs *
feed_event_attrs(const struct feed_event *ev, const uint8_t **nh,
    uint8_t *nh_len, uint8_t *action)
{
	if (ev->attrs == NULL && ev->attrs_fn != NULL)
		return ev->attrs_fn(ev->attrs_arg, nh, nh_len, action);
	*nh = ev->nexthop;
	*nh_len = ev->nexthop_len;
	*action = BGP_ACT_NONE;
	return ev->attrs;
}

/* Counts a route change, and the VP's last update. */
static void
finish(struct feed_apply *fa, const struct feed_event *ev, enum rib_change c)
{
	struct rib_vp *v;

	if (c == RIB_FAILED)
		fa->failed++;
	else if (c != RIB_UNCHANGED)
		fa->changes++;
	v = rib_vp(fa->rib, ev->vp);
	if (v != NULL && ev->time_us > v->last_update_us)
		v->last_update_us = ev->time_us;
}

#define APPLY_BATCH	64

static void	apply_batch(struct feed_apply *fa, const struct feed_event *ev,
		    size_t n);

static bool
stages_ready(struct feed_apply *fa)
{
	if (fa->stages == NULL)
		fa->stages = malloc(APPLY_BATCH * sizeof(*fa->stages));
	return fa->stages != NULL;
}

static void
apply_one(struct feed_apply *fa, const struct feed_event *ev)
{
	struct rib *r = fa->rib;
	enum rib_change c = RIB_UNCHANGED;
	uint32_t ts = (uint32_t)(ev->time_us / 1000000u);
	struct rib_vp *v;

	switch (ev->type) {
	case FEED_ANNOUNCE:
		if (ev->attrs == NULL && ev->attrs_fn != NULL) {
			/* undecoded: as a batch of one */
			if (stages_ready(fa))
				apply_batch(fa, ev, 1);
			else
				fa->failed++;
			return;
		}
		if (!ev->same_attrs || fa->last_attr == 0) {
			uint32_t h = ev->raw_ctx != 0 ?
			    attr_intern_cached(&r->attrs, ev->attrs,
			    ev->raw_ctx, ev->nexthop, ev->nexthop_len) :
			    attr_intern(&r->attrs, ev->attrs, ev->nexthop,
			    ev->nexthop_len);

			if (fa->last_attr != 0)
				attr_unref(&r->attrs, fa->last_attr);
			fa->last_attr = h;
			if (h == 0) {
				fa->failed++;
				return;
			}
		}
		c = rib_announce_hint(r, ev->vp, &ev->prefix, fa->last_attr,
		    ts, ev->routes_hint);
		break;
	case FEED_WITHDRAW:
		c = rib_withdraw(r, ev->vp, &ev->prefix, ts);
		break;
	case FEED_EOR:
		v = rib_vp(r, ev->vp);
		if (v == NULL)
			return;
		v->eor[ev->afi == BGP_AFI_IPV6] = true;
		/* RFC 4724 4.2: after a restart, the stale routes of the
		 * family that were not sent again go at its End-of-RIB */
		rib_vp_flush_stale(r, ev->vp, ev->afi == BGP_AFI_IPV6);
		return;
	case FEED_VP_UP:
		rib_vp_up(r, ev->vp, ev->time_us);
		if (ev->keep_stale)
			rib_vp_unstale(r, ev->vp);
		return;
	case FEED_VP_DOWN:
		/* the set kept for same_attrs goes too: a VP that took its
		 * routes away leaves nothing interned behind */
		if (fa->last_attr != 0)
			attr_unref(&r->attrs, fa->last_attr);
		fa->last_attr = 0;
		rib_vp_down(r, ev->vp, ev->keep_stale, ev->time_us);
		return;
	case FEED_SOURCE_STATE:
		rib_source_state(r, ev->source, ev->state, ev->time_us,
		    ev->error);
		return;
	case FEED_FLUSH_STALE:
		if (rib_vp(r, ev->vp) != NULL)
			rib_vp_flush_stale(r, ev->vp, ev->afi == 0 ? -1 :
			    ev->afi == BGP_AFI_IPV6);
		return;
	}
	finish(fa, ev, c);
}

/* A batch of undecoded announcements (a RIB record's routes): interned
 * in stages across the batch, so that their table lookups overlap. Other
 * events in it are applied one by one, in order. */
enum lazy_state { L_OTHER, L_UNDECODED, L_SET, L_STAGED, L_WITHDRAW,
	L_FAILED };

static void
apply_batch(struct feed_apply *fa, const struct feed_event *ev, size_t n)
{
	struct rib *r = fa->rib;
	struct attrstore *s = &r->attrs;
	uint32_t h[APPLY_BATCH];
	uint64_t hv[APPLY_BATCH];
	uint8_t state[APPLY_BATCH];
	bool clean[APPLY_BATCH];

	for (size_t i = 0; i < n; i++) {
		state[i] = L_OTHER;
		if (ev[i].type == FEED_ANNOUNCE && ev[i].attrs == NULL &&
		    ev[i].attrs_fn != NULL) {
			state[i] = L_UNDECODED;
			hv[i] = attr_cache_hash(s, ev[i].raw, ev[i].raw_len,
			    ev[i].raw_ctx);
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct bgp_attrs *a;
		const uint8_t *nh;
		uint8_t nh_len, action;

		if (state[i] != L_UNDECODED)
			continue;
		h[i] = attr_cache_find(s, ev[i].raw, ev[i].raw_len,
		    ev[i].raw_ctx, hv[i]);
		if (h[i] != 0) {
			state[i] = L_SET;
			continue;
		}
		a = feed_event_attrs(&ev[i], &nh, &nh_len, &action);
		if (a == NULL) {
			state[i] = L_FAILED;
		} else if (action >= BGP_ACT_TREAT_AS_WITHDRAW) {
			state[i] = L_WITHDRAW;
		} else {
			/* problems: decoded (and counted) every time */
			clean[i] = action == BGP_ACT_NONE;
			attr_stage_members(s, a, nh, nh_len, &fa->stages[i]);
			state[i] = L_STAGED;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (state[i] == L_STAGED)
			attr_stage_path(s, &fa->stages[i]);
	for (size_t i = 0; i < n; i++) {
		if (state[i] != L_STAGED)
			continue;
		h[i] = attr_stage_set(s, &fa->stages[i]);
		state[i] = h[i] != 0 ? L_SET : L_FAILED;
		if (h[i] != 0 && clean[i])
			attr_cache_put(s, ev[i].raw, ev[i].raw_len,
			    ev[i].raw_ctx, hv[i], h[i]);
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t ts = (uint32_t)(ev[i].time_us / 1000000u);
		enum rib_change c;

		switch (state[i]) {
		case L_OTHER:
			apply_one(fa, &ev[i]);
			continue;
		case L_SET:
			c = rib_announce_hint(r, ev[i].vp, &ev[i].prefix, h[i],
			    ts, ev[i].routes_hint);
			attr_unref(s, h[i]);	/* the route has its own */
			break;
		case L_WITHDRAW:
			c = rib_withdraw(r, ev[i].vp, &ev[i].prefix, ts);
			break;
		default:
			c = RIB_FAILED;
			break;
		}
		finish(fa, &ev[i], c);
	}
}

void
feed_apply_sink(const struct feed_event *ev, size_t n, void *arg)
{
	struct feed_apply *fa = arg;

	if (n == 1 || !stages_ready(fa)) {
		for (size_t i = 0; i < n; i++)
			apply_one(fa, &ev[i]);
		return;
	}
	for (size_t off = 0; off < n; off += APPLY_BATCH)
		apply_batch(fa, ev + off, n - off < APPLY_BATCH ? n - off :
		    APPLY_BATCH);
}

/* --- UPDATEs to events ------------------------------------------------------ */

/* The next hop of prefixes of afi in an UPDATE (RFC 4760 3, RFC 4271
 * 5.1.3). */
static void
nexthop_of(const struct bgp_attrs *a, uint16_t afi, const uint8_t **nh,
    uint8_t *len)
{
	*nh = NULL;
	*len = 0;
	if (bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI) &&
	    (afi != BGP_AFI_IPV4 || !bgp_attrs_has(a, BGP_ATTR_NEXT_HOP))) {
		*nh = a->mp_reach.nh;
		*len = a->mp_reach.nh_len;
	} else if (bgp_attrs_has(a, BGP_ATTR_NEXT_HOP)) {
		*nh = a->next_hop;
		*len = 4;
	}
}

static void
add_prefixes(struct feed_events *out, const struct bgp_prefix *pfx,
    uint32_t n, uint8_t type, const struct bgp_attrs *a,
    const struct feed_event *tmpl, uint8_t fams, struct feed_counters *c)
{
	const uint8_t *nh = NULL;
	uint8_t nhl = 0;
	bool first = true;

	if (n > 0 && a != NULL)
		nexthop_of(a, pfx[0].afi, &nh, &nhl);
	for (uint32_t i = 0; i < n; i++) {
		struct feed_event *ev = &out->ev[out->n];

		if (!(fams & (pfx[i].afi == BGP_AFI_IPV6 ? FEED_FAM_IPV6 :
		    FEED_FAM_IPV4)))
			continue;
		*ev = *tmpl;
		ev->type = type;
		ev->prefix = pfx[i];
		if (type == FEED_ANNOUNCE) {
			ev->attrs = a;
			ev->nexthop = nh;
			ev->nexthop_len = nhl;
			ev->same_attrs = !first;
			first = false;
			c->announcements++;
		} else {
			c->withdrawals++;
		}
		out->n++;
	}
}

bool
feed_update_events(struct feed_events *out, const struct bgp_update *u,
    uint8_t action, uint32_t source, uint32_t vp, uint64_t time_us,
    uint8_t fams, struct feed_counters *c)
{
	const struct bgp_attrs *a = &u->attrs;
	const struct feed_event tmpl = { .source = source, .vp = vp,
	    .time_us = time_us };
	bool mpu = bgp_attrs_has(a, BGP_ATTR_MP_UNREACH_NLRI) &&
	    a->mp_unreach.safi == BGP_SAFI_UNICAST && a->mp_unreach.fam >= 0;
	bool mpr = bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI) &&
	    a->mp_reach.safi == BGP_SAFI_UNICAST && a->mp_reach.fam >= 0;
	size_t need = out->n + u->n_withdrawn + u->n_nlri +
	    (mpu ? a->mp_unreach.n_withdrawn : 0) +
	    (mpr ? a->mp_reach.n_nlri : 0);
	/* RFC 7606: treat-as-withdraw withdraws what it announces */
	uint8_t ann = action >= BGP_ACT_TREAT_AS_WITHDRAW ? FEED_WITHDRAW :
	    FEED_ANNOUNCE;

	if (need > out->cap) {
		size_t cap = out->cap ? out->cap : 64;
		struct feed_event *ne;

		while (cap < need)
			cap *= 2;
		if ((ne = realloc(out->ev, cap * sizeof(*ne))) == NULL)
			return false;
		out->ev = ne;
		out->cap = cap;
	}
	add_prefixes(out, u->withdrawn, u->n_withdrawn, FEED_WITHDRAW, NULL,
	    &tmpl, fams, c);
	if (mpu)
		add_prefixes(out, a->mp_unreach.withdrawn,
		    a->mp_unreach.n_withdrawn, FEED_WITHDRAW, NULL, &tmpl, fams,
		    c);
	add_prefixes(out, u->nlri, u->n_nlri, ann, ann == FEED_ANNOUNCE ? a :
	    NULL, &tmpl, fams, c);
	if (mpr)
		add_prefixes(out, a->mp_reach.nlri, a->mp_reach.n_nlri, ann,
		    ann == FEED_ANNOUNCE ? a : NULL, &tmpl, fams, c);
	return true;
}
