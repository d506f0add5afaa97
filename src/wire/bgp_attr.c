/* UPDATE path attributes: decoding with RFC 7606 error handling, the
 * RFC 6793 AS_PATH/AS4_PATH merge, and encoding. */
#include <string.h>

#include "util/arena.h"
#include "util/bwriter.h"
#include "util/cursor.h"
#include "util/strbuf.h"
#include "wire/bgp.h"
#include "wire/bgp_private.h"

#define F_WK	BGP_ATTR_F_TRANSITIVE				/* well-known */
#define F_OT	(BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE)	/* optional transitive */
#define F_ON	BGP_ATTR_F_OPTIONAL				/* optional non-transitive */
#define F_MASK	(BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE)

struct attr_ctx {
	const uint8_t			*base;	/* the attribute block */
	uint32_t			 off;	/* its offset in the message */
	const struct bgp_session	*s;
	struct arena			*a;
	struct bgp_attrs		*out;
};

/* Each decoder checks one attribute's value and fills *out. It returns
 * BGP_R_NONE, or the reason the value is malformed; the reason's table
 * entry (bgp_names.c) decides the outcome. */
typedef enum bgp_reason (*attr_decode_fn)(struct attr_ctx *, const uint8_t *,
    uint16_t);

struct attr_desc {
	attr_decode_fn	decode;
	uint8_t		flags;		/* expected Optional/Transitive bits */
};

/* --- AS paths ------------------------------------------------------------ */

static bool
seg_type_valid(uint8_t t)
{
	return t >= BGP_AS_SET && t <= BGP_AS_CONFED_SET;
}

/* RFC 7606 7.2: unknown segment type, zero-length segment, overrun, or a
 * lone trailing octet make an AS_PATH malformed. */
static enum bgp_reason
aspath_parse(const uint8_t *d, size_t len, unsigned asz, struct arena *a,
    struct bgp_aspath *out)
{
	struct cursor c = cur_make(d, len);
	size_t nsegs = 0, nasns = 0;
	struct bgp_asseg *segs;
	uint32_t *asns;
	uint8_t t = 0, n = 0;

	out->segs = NULL;
	out->nsegs = 0;
	while (cur_left(&c) > 0) {
		if (cur_left(&c) < 2)
			return BGP_R_AS_PATH_UNDERRUN;
		cur_get_u8(&c, &t);
		cur_get_u8(&c, &n);
		if (!seg_type_valid(t))
			return BGP_R_AS_PATH_SEG_TYPE;
		if (n == 0)
			return BGP_R_AS_PATH_SEG_ZERO;
		if (!cur_skip(&c, (size_t)n * asz))
			return BGP_R_AS_PATH_OVERRUN;
		nsegs++;
		nasns += n;
	}
	if (nsegs == 0)
		return BGP_R_NONE;
	segs = arena_alloc(a, nsegs * sizeof(*segs));
	asns = arena_alloc(a, nasns * sizeof(*asns));
	if (segs == NULL || asns == NULL)
		return BGP_R_OUT_OF_MEMORY;
	c = cur_make(d, len);
	for (size_t i = 0; i < nsegs; i++) {
		cur_get_u8(&c, &t);
		cur_get_u8(&c, &n);
		segs[i].type = t;
		segs[i].count = n;
		segs[i].asn = asns;
		for (unsigned k = 0; k < n; k++) {
			if (asz == 4) {
				cur_get_u32(&c, &asns[k]);
			} else {
				uint16_t v = 0;

				cur_get_u16(&c, &v);
				asns[k] = v;
			}
		}
		asns += n;
	}
	out->segs = segs;
	out->nsegs = (uint16_t)nsegs;
	return BGP_R_NONE;
}

static void
aspath_encode(const struct bgp_aspath *p, unsigned asz, struct bwriter *w)
{
	for (unsigned i = 0; i < p->nsegs; i++) {
		const struct bgp_asseg *s = &p->segs[i];

		bw_put_u8(w, s->type);
		bw_put_u8(w, s->count);
		for (unsigned k = 0; k < s->count; k++) {
			if (asz == 4)
				bw_put_u32(w, s->asn[k]);
			else
				bw_put_u16(w, s->asn[k] > 0xffff ?
				    (uint16_t)BGP_AS_TRANS : (uint16_t)s->asn[k]);
		}
	}
}

static unsigned
seg_hops(const struct bgp_asseg *s)
{
	switch (s->type) {
	case BGP_AS_SEQUENCE: return s->count;
	case BGP_AS_SET: return 1;
	default: return 0;	/* confederation segments */
	}
}

unsigned
bgp_aspath_hops(const struct bgp_aspath *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->nsegs; i++)
		n += seg_hops(&p->segs[i]);
	return n;
}

uint32_t
bgp_aspath_origin(const struct bgp_aspath *p)
{
	const struct bgp_asseg *last;

	if (p->nsegs == 0)
		return 0;
	last = &p->segs[p->nsegs - 1];
	if (last->type != BGP_AS_SEQUENCE)
		return 0;
	return last->asn[last->count - 1];
}

void
bgp_aspath_str(const struct bgp_aspath *p, struct strbuf *out)
{
	static const char open[] = " {{(", close[] = " }})";

	for (unsigned i = 0; i < p->nsegs; i++) {
		const struct bgp_asseg *s = &p->segs[i];
		unsigned t = s->type == BGP_AS_SEQUENCE ? 0 :
		    s->type == BGP_AS_SET ? 1 :
		    s->type == BGP_AS_CONFED_SET ? 2 : 3;

		if (i > 0)
			sb_putc(out, ' ');
		if (t != 0)
			sb_putc(out, open[t]);
		for (unsigned k = 0; k < s->count; k++) {
			if (k > 0)
				sb_putc(out, ' ');
			sb_u32(out, s->asn[k]);
		}
		if (t != 0)
			sb_putc(out, close[t]);
	}
}

/* RFC 6793 4.2.3: rebuild the path of a 2-octet session from AS_PATH and
 * AS4_PATH. The leading (hops(AS_PATH) - hops(AS4_PATH)) hops come from
 * AS_PATH, the rest from AS4_PATH; if AS_PATH is the shorter, AS4_PATH is
 * ignored. */
static void
aspath_merge(struct arena *a, const struct bgp_aspath *p2,
    const struct bgp_aspath *p4, struct bgp_aspath *out)
{
	unsigned h2 = bgp_aspath_hops(p2), h4 = bgp_aspath_hops(p4);
	unsigned keep, n = 0;
	struct bgp_asseg *segs;

	*out = *p2;
	if (h2 < h4)
		return;
	keep = h2 - h4;
	segs = arena_alloc(a, ((size_t)p2->nsegs + p4->nsegs) *
	    sizeof(*segs));
	if (segs == NULL)
		return;
	for (unsigned i = 0; i < p2->nsegs && keep > 0; i++) {
		struct bgp_asseg s = p2->segs[i];
		unsigned h = seg_hops(&s);

		if (s.type == BGP_AS_SEQUENCE && h > keep)
			s.count = (uint8_t)keep;
		keep -= h < keep ? h : keep;
		segs[n++] = s;
	}
	for (unsigned i = 0; i < p4->nsegs; i++)
		segs[n++] = p4->segs[i];
	out->segs = segs;
	out->nsegs = (uint16_t)n;
}

/* --- per-attribute decoders ---------------------------------------------- */

static uint32_t
get_u32(const uint8_t *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	    (uint32_t)d[2] << 8 | d[3];
}

static enum bgp_reason
dec_origin(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len != 1)
		return BGP_R_ORIGIN_LEN;
	if (d[0] > BGP_ORIGIN_INCOMPLETE)
		return BGP_R_ORIGIN_VALUE;
	x->out->origin = d[0];
	return BGP_R_NONE;
}

static enum bgp_reason
dec_as_path(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	return aspath_parse(d, len, x->s->as4 ? 4 : 2, x->a, &x->out->as_path);
}

static enum bgp_reason
dec_next_hop(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len != 4)
		return BGP_R_NEXT_HOP_LEN;
	memcpy(x->out->next_hop, d, 4);
	return BGP_R_NONE;
}

static enum bgp_reason
dec_med(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len != 4)
		return BGP_R_MED_LEN;
	x->out->med = get_u32(d);
	return BGP_R_NONE;
}

static enum bgp_reason
dec_local_pref(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len != 4)
		return BGP_R_LOCAL_PREF_LEN;
	x->out->local_pref = get_u32(d);
	return BGP_R_NONE;
}

static enum bgp_reason
dec_atomic(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	(void)x;
	(void)d;
	return len == 0 ? BGP_R_NONE : BGP_R_ATOMIC_AGGREGATE_LEN;
}

static enum bgp_reason
dec_aggregator(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	struct bgp_aggregator *ag = &x->out->aggregator;

	if (len != (x->s->as4 ? 8 : 6))
		return BGP_R_AGGREGATOR_LEN;
	if (x->s->as4) {
		ag->asn = get_u32(d);
		memcpy(ag->addr, d + 4, 4);
	} else {
		ag->asn = (uint32_t)d[0] << 8 | d[1];
		memcpy(ag->addr, d + 2, 4);
	}
	return BGP_R_NONE;
}

static enum bgp_reason
dec_communities(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len == 0 || len % 4 != 0)
		return BGP_R_COMMUNITIES_LEN;
	x->out->communities = d;
	x->out->n_communities = len / 4;
	return BGP_R_NONE;
}

static enum bgp_reason
dec_originator_id(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len != 4)
		return BGP_R_ORIGINATOR_ID_LEN;
	x->out->originator_id = get_u32(d);
	return BGP_R_NONE;
}

static enum bgp_reason
dec_cluster_list(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len == 0 || len % 4 != 0)
		return BGP_R_CLUSTER_LIST_LEN;
	x->out->cluster_list = d;
	x->out->n_cluster_list = len / 4;
	return BGP_R_NONE;
}

/* RFC 4760 3 and RFC 8950 3: the next hop lengths that a family allows. */
static bool
mp_nh_len_valid(int fam, uint8_t nh_len)
{
	switch (fam) {
	case BGP_FAM_IPV4_UNICAST:
	case BGP_FAM_IPV4_MULTICAST:
		return nh_len == 4 || nh_len == 16 || nh_len == 32;
	case BGP_FAM_IPV6_UNICAST:
	case BGP_FAM_IPV6_MULTICAST:
		return nh_len == 16 || nh_len == 32;
	}
	return true;	/* families we keep raw */
}

static enum bgp_reason
dec_mp_reach(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	struct bgp_mp_reach *r = &x->out->mp_reach;
	struct cursor c = cur_make(d, len);
	size_t left;
	int fam;

	memset(r, 0, sizeof(*r));
	/* RFC 6396 4.3.4: in a RIB entry only the next hop length and next
	 * hop are there, when the length says so (some writers keep the
	 * whole attribute). */
	if (x->s->rib_afi != 0 && len >= 1 && len == 1u + d[0]) {
		r->afi = x->s->rib_afi;
		r->safi = x->s->rib_safi;
		r->fam = (int8_t)bgp_fam_of(r->afi, r->safi);
		r->rib_abbrev = true;
		r->nh_len = d[0];
		r->nh = d + 1;
		if (!mp_nh_len_valid(r->fam, r->nh_len))
			return BGP_R_MP_REACH_NH_LEN;
		return BGP_R_NONE;
	}
	if (!cur_get_u16(&c, &r->afi) || !cur_get_u8(&c, &r->safi) ||
	    !cur_get_u8(&c, &r->nh_len) ||
	    !cur_get_view(&c, &r->nh, r->nh_len) ||
	    !cur_get_u8(&c, &r->reserved))
		return BGP_R_MP_REACH_SHORT;
	fam = bgp_fam_of(r->afi, r->safi);
	r->fam = (int8_t)fam;
	if (!mp_nh_len_valid(fam, r->nh_len))
		return BGP_R_MP_REACH_NH_LEN;
	left = cur_left(&c);
	r->nlri_raw = c.p;
	r->nlri_raw_len = (uint16_t)left;
	if (fam < 0)
		return BGP_R_NONE;
	return bgp_prefixes_parse(c.p, left, r->afi,
	    bgp_session_addpath(x->s, fam), x->s->salvage, x->a, &r->nlri,
	    &r->n_nlri, BGP_R_MP_REACH_NLRI);
}

static enum bgp_reason
dec_mp_unreach(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	struct bgp_mp_unreach *u = &x->out->mp_unreach;
	struct cursor c = cur_make(d, len);
	size_t left;
	int fam;

	memset(u, 0, sizeof(*u));
	if (!cur_get_u16(&c, &u->afi) || !cur_get_u8(&c, &u->safi))
		return BGP_R_MP_UNREACH_SHORT;
	fam = bgp_fam_of(u->afi, u->safi);
	u->fam = (int8_t)fam;
	left = cur_left(&c);
	u->nlri_raw = c.p;
	u->nlri_raw_len = (uint16_t)left;
	if (fam < 0)
		return BGP_R_NONE;
	return bgp_prefixes_parse(c.p, left, u->afi,
	    bgp_session_addpath(x->s, fam), x->s->salvage, x->a,
	    &u->withdrawn, &u->n_withdrawn, BGP_R_MP_UNREACH_NLRI);
}

static enum bgp_reason
dec_ext_communities(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len == 0 || len % 8 != 0)
		return BGP_R_EXT_COMMUNITIES_LEN;
	x->out->ext_communities = d;
	x->out->n_ext_communities = len / 8;
	return BGP_R_NONE;
}

static enum bgp_reason
dec_as4_path(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	enum bgp_reason r = aspath_parse(d, len, 4, x->a, &x->out->as4_path);

	if (r != BGP_R_NONE && r != BGP_R_OUT_OF_MEMORY)
		return BGP_R_AS4_PATH_MALFORMED;
	return r;
}

static enum bgp_reason
dec_as4_aggregator(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len != 8)
		return BGP_R_AS4_AGGREGATOR_LEN;
	x->out->as4_aggregator.asn = get_u32(d);
	memcpy(x->out->as4_aggregator.addr, d + 4, 4);
	return BGP_R_NONE;
}

static enum bgp_reason
dec_ipv6_ext_communities(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len == 0 || len % 20 != 0)
		return BGP_R_IPV6_EXT_COMMUNITIES_LEN;
	x->out->ipv6_ext_communities = d;
	x->out->n_ipv6_ext_communities = len / 20;
	return BGP_R_NONE;
}

/* RFC 7311 3: TLVs of type, 2-octet length (header included), value; the
 * AIGP TLV (type 1) is 11 octets. */
static enum bgp_reason
dec_aigp(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	struct cursor c = cur_make(d, len);
	bool seen = false;

	while (cur_left(&c) > 0) {
		uint8_t t;
		uint16_t tlen;
		struct cursor v;

		if (!cur_get_u8(&c, &t) || !cur_get_u16(&c, &tlen) ||
		    tlen < 3 || !cur_sub(&c, &v, tlen - 3u))
			return BGP_R_AIGP_MALFORMED;
		if (t == 1) {
			if (tlen != 11 || seen)
				return BGP_R_AIGP_MALFORMED;
			cur_get_u64(&v, &x->out->aigp);
			seen = true;
		}
	}
	x->out->aigp_raw = d;
	x->out->aigp_raw_len = len;
	return BGP_R_NONE;
}

static enum bgp_reason
dec_large_communities(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len == 0 || len % 12 != 0)
		return BGP_R_LARGE_COMMUNITY_LEN;
	x->out->large_communities = d;
	x->out->n_large_communities = len / 12;
	return BGP_R_NONE;
}

static enum bgp_reason
dec_otc(struct attr_ctx *x, const uint8_t *d, uint16_t len)
{
	if (len != 4)
		return BGP_R_OTC_LEN;
	x->out->otc = get_u32(d);
	return BGP_R_NONE;
}

static const struct attr_desc attr_table[256] = {
	[BGP_ATTR_ORIGIN]		= { dec_origin, F_WK },
	[BGP_ATTR_AS_PATH]		= { dec_as_path, F_WK },
	[BGP_ATTR_NEXT_HOP]		= { dec_next_hop, F_WK },
	[BGP_ATTR_MED]			= { dec_med, F_ON },
	[BGP_ATTR_LOCAL_PREF]		= { dec_local_pref, F_WK },
	[BGP_ATTR_ATOMIC_AGGREGATE]	= { dec_atomic, F_WK },
	[BGP_ATTR_AGGREGATOR]		= { dec_aggregator, F_OT },
	[BGP_ATTR_COMMUNITIES]		= { dec_communities, F_OT },
	[BGP_ATTR_ORIGINATOR_ID]	= { dec_originator_id, F_ON },
	[BGP_ATTR_CLUSTER_LIST]		= { dec_cluster_list, F_ON },
	[BGP_ATTR_MP_REACH_NLRI]	= { dec_mp_reach, F_ON },
	[BGP_ATTR_MP_UNREACH_NLRI]	= { dec_mp_unreach, F_ON },
	[BGP_ATTR_EXT_COMMUNITIES]	= { dec_ext_communities, F_OT },
	[BGP_ATTR_AS4_PATH]		= { dec_as4_path, F_OT },
	[BGP_ATTR_AS4_AGGREGATOR]	= { dec_as4_aggregator, F_OT },
	[BGP_ATTR_IPV6_EXT_COMMUNITIES]	= { dec_ipv6_ext_communities, F_OT },
	[BGP_ATTR_AIGP]			= { dec_aigp, F_ON },
	[BGP_ATTR_LARGE_COMMUNITY]	= { dec_large_communities, F_OT },
	[BGP_ATTR_OTC]			= { dec_otc, F_OT },
};

static bool
is_mp(uint8_t type)
{
	return type == BGP_ATTR_MP_REACH_NLRI ||
	    type == BGP_ATTR_MP_UNREACH_NLRI;
}

/* Decodes one attribute into x->out and decides its state. */
static void
attr_decode_one(struct attr_ctx *x, struct bgp_attr_ent *e, uint64_t *seen,
    struct bgp_problems *pr, uint32_t off)
{
	const struct attr_desc *desc = &attr_table[e->type];
	uint64_t bit = (uint64_t)1 << (e->type & 63);
	enum bgp_reason r;

	/* RFC 7606 3.g: the first occurrence on the wire counts, whether
	 * it could be decoded or not. */
	if (seen[e->type >> 6] & bit) {
		e->state = BGP_ATTR_DISCARDED;
		bgp_problem_add(pr, is_mp(e->type) ? BGP_R_MP_DUPLICATE :
		    BGP_R_ATTR_DUPLICATE, e->type, off);
		return;
	}
	seen[e->type >> 6] |= bit;

	if (desc->decode == NULL) {
		/* RFC 4271 6.3: an unrecognized well-known attribute. */
		if (!(e->flags & BGP_ATTR_F_OPTIONAL)) {
			e->state = BGP_ATTR_DISCARDED;
			bgp_problem_add(pr, BGP_R_UNRECOGNIZED_WELLKNOWN,
			    e->type, off);
			return;
		}
		e->state = BGP_ATTR_UNKNOWN;
		return;
	}
	if ((e->flags & F_MASK) != desc->flags) {
		/* RFC 7606 3.c. The MP attributes are still decoded so that
		 * treat-as-withdraw knows which prefixes it withdraws. */
		bgp_problem_add(pr, BGP_R_ATTR_FLAGS, e->type, off);
		if (!is_mp(e->type)) {
			e->state = BGP_ATTR_DISCARDED;
			return;
		}
	}
	r = desc->decode(x, e->data, e->len);
	if (r != BGP_R_NONE) {
		bgp_problem_add(pr, r, e->type, off);
		/* salvage keeps the MP prefixes read before the fault */
		if (!x->s->salvage || (r != BGP_R_MP_REACH_NLRI &&
		    r != BGP_R_MP_UNREACH_NLRI)) {
			e->state = BGP_ATTR_DISCARDED;
			return;
		}
	}
	e->state = BGP_ATTR_USED;
	bgp_attrs_set(x->out, e->type);
}

/* RFC 6793 3 and 4.2.3: AS4_PATH and AS4_AGGREGATOR are only for 2-octet
 * sessions; there they rebuild the path, unless AGGREGATOR shows a real
 * 2-octet AS (then both are ignored). */
static void
attrs_as4(struct attr_ctx *x, struct bgp_problems *pr)
{
	struct bgp_attrs *at = x->out;
	bool has4p = bgp_attrs_has(at, BGP_ATTR_AS4_PATH);
	bool has4a = bgp_attrs_has(at, BGP_ATTR_AS4_AGGREGATOR);

	at->path = at->as_path;
	if (!has4p && !has4a)
		return;
	if (x->s->as4) {
		for (unsigned i = 0; i < at->n_ent; i++) {
			struct bgp_attr_ent *e = &at->ent[i];

			if (e->state == BGP_ATTR_USED &&
			    (e->type == BGP_ATTR_AS4_PATH ||
			    e->type == BGP_ATTR_AS4_AGGREGATOR)) {
				uint32_t hdr = e->flags & BGP_ATTR_F_EXTLEN ?
				    4 : 3;

				e->state = BGP_ATTR_DISCARDED;
				bgp_problem_add(pr, BGP_R_AS4_FROM_AS4_SPEAKER,
				    e->type, x->off + (uint32_t)(e->data -
				    x->base) - hdr);
			}
		}
		at->present[0] &= ~(((uint64_t)1 << BGP_ATTR_AS4_PATH) |
		    ((uint64_t)1 << BGP_ATTR_AS4_AGGREGATOR));
		return;
	}
	if (bgp_attrs_has(at, BGP_ATTR_AGGREGATOR) &&
	    at->aggregator.asn != BGP_AS_TRANS)
		return;
	if (has4p && bgp_attrs_has(at, BGP_ATTR_AS_PATH))
		aspath_merge(x->a, &at->as_path, &at->as4_path, &at->path);
}

enum bgp_action
bgp_attrs_decode(const uint8_t *buf, size_t len, const struct bgp_session *s,
    struct arena *a, uint32_t off, struct bgp_attrs *out,
    struct bgp_problems *pr)
{
	struct attr_ctx x = { buf, off, s, a, out };
	struct cursor c = cur_make(buf, len);
	uint64_t seen[4] = { 0, 0, 0, 0 };
	size_t max = len / 3 + 1;

	memset(out, 0, sizeof(*out));
	out->raw = buf;
	out->raw_len = (uint16_t)(len > 0xffff ? 0xffff : len);
	out->ent = arena_alloc(a, max * sizeof(*out->ent));
	if (out->ent == NULL)
		return bgp_problem_add(pr, BGP_R_OUT_OF_MEMORY, 0, off);

	while (cur_left(&c) > 0) {
		uint32_t aoff = off + (uint32_t)(c.p - buf);
		struct bgp_attr_ent *e = &out->ent[out->n_ent];
		uint8_t len8 = 0;

		out->unparsed = c.p;
		out->unparsed_len = (uint16_t)cur_left(&c);
		/* RFC 7606 4: a header or value that does not fit is
		 * treat-as-withdraw; the NLRI is still found through the
		 * Total Path Attribute Length. */
		if (cur_left(&c) < 3 || ((c.p[0] & BGP_ATTR_F_EXTLEN) &&
		    cur_left(&c) < 4)) {
			bgp_problem_add(pr, BGP_R_ATTR_HEADER_TRUNC, 0, aoff);
			break;
		}
		cur_get_u8(&c, &e->flags);
		cur_get_u8(&c, &e->type);
		if (e->flags & BGP_ATTR_F_EXTLEN) {
			cur_get_u16(&c, &e->len);
		} else {
			cur_get_u8(&c, &len8);
			e->len = len8;
		}
		if (!cur_get_view(&c, &e->data, e->len)) {
			bgp_problem_add(pr, BGP_R_ATTR_LEN_OVERRUN, e->type,
			    aoff);
			break;
		}
		out->n_ent++;
		out->unparsed = NULL;
		out->unparsed_len = 0;
		attr_decode_one(&x, e, seen, pr, aoff);
	}
	attrs_as4(&x, pr);
	return (enum bgp_action)pr->action;
}

/* --- list accessors -------------------------------------------------------- */

uint32_t
bgp_community_at(const struct bgp_attrs *a, unsigned i)
{
	return get_u32(a->communities + 4 * i);
}

uint64_t
bgp_ext_community_at(const struct bgp_attrs *a, unsigned i)
{
	const uint8_t *d = a->ext_communities + 8 * i;

	return (uint64_t)get_u32(d) << 32 | get_u32(d + 4);
}

void
bgp_large_community_at(const struct bgp_attrs *a, unsigned i, uint32_t out[3])
{
	const uint8_t *d = a->large_communities + 12 * i;

	out[0] = get_u32(d);
	out[1] = get_u32(d + 4);
	out[2] = get_u32(d + 8);
}

uint32_t
bgp_cluster_id_at(const struct bgp_attrs *a, unsigned i)
{
	return get_u32(a->cluster_list + 4 * i);
}

/* --- encoding -------------------------------------------------------------- */

static void
enc_aggregator(const struct bgp_aggregator *ag, unsigned asz,
    struct bwriter *w)
{
	if (asz == 4)
		bw_put_u32(w, ag->asn);
	else
		bw_put_u16(w, ag->asn > 0xffff ? (uint16_t)BGP_AS_TRANS :
		    (uint16_t)ag->asn);
	bw_put_bytes(w, ag->addr, 4);
}

/* Writes the value of a decoded attribute. */
static void
enc_value(const struct bgp_attrs *a, uint8_t type, const struct bgp_session *s,
    struct bwriter *w)
{
	unsigned asz = s->as4 ? 4 : 2;

	switch (type) {
	case BGP_ATTR_ORIGIN:
		bw_put_u8(w, a->origin);
		break;
	case BGP_ATTR_AS_PATH:
		aspath_encode(&a->as_path, asz, w);
		break;
	case BGP_ATTR_NEXT_HOP:
		bw_put_bytes(w, a->next_hop, 4);
		break;
	case BGP_ATTR_MED:
		bw_put_u32(w, a->med);
		break;
	case BGP_ATTR_LOCAL_PREF:
		bw_put_u32(w, a->local_pref);
		break;
	case BGP_ATTR_ATOMIC_AGGREGATE:
		break;
	case BGP_ATTR_AGGREGATOR:
		enc_aggregator(&a->aggregator, asz, w);
		break;
	case BGP_ATTR_COMMUNITIES:
		bw_put_bytes(w, a->communities, 4u * a->n_communities);
		break;
	case BGP_ATTR_ORIGINATOR_ID:
		bw_put_u32(w, a->originator_id);
		break;
	case BGP_ATTR_CLUSTER_LIST:
		bw_put_bytes(w, a->cluster_list, 4u * a->n_cluster_list);
		break;
	case BGP_ATTR_MP_REACH_NLRI: {
		const struct bgp_mp_reach *r = &a->mp_reach;

		if (r->rib_abbrev) {
			bw_put_u8(w, r->nh_len);
			bw_put_bytes(w, r->nh, r->nh_len);
			break;
		}
		bw_put_u16(w, r->afi);
		bw_put_u8(w, r->safi);
		bw_put_u8(w, r->nh_len);
		bw_put_bytes(w, r->nh, r->nh_len);
		bw_put_u8(w, r->reserved);
		if (r->fam >= 0)
			bgp_prefixes_encode(r->nlri, r->n_nlri,
			    bgp_session_addpath(s, r->fam), w);
		else
			bw_put_bytes(w, r->nlri_raw, r->nlri_raw_len);
		break;
	}
	case BGP_ATTR_MP_UNREACH_NLRI: {
		const struct bgp_mp_unreach *u = &a->mp_unreach;

		bw_put_u16(w, u->afi);
		bw_put_u8(w, u->safi);
		if (u->fam >= 0)
			bgp_prefixes_encode(u->withdrawn, u->n_withdrawn,
			    bgp_session_addpath(s, u->fam), w);
		else
			bw_put_bytes(w, u->nlri_raw, u->nlri_raw_len);
		break;
	}
	case BGP_ATTR_EXT_COMMUNITIES:
		bw_put_bytes(w, a->ext_communities, 8u * a->n_ext_communities);
		break;
	case BGP_ATTR_AS4_PATH:
		aspath_encode(&a->as4_path, 4, w);
		break;
	case BGP_ATTR_AS4_AGGREGATOR:
		enc_aggregator(&a->as4_aggregator, 4, w);
		break;
	case BGP_ATTR_IPV6_EXT_COMMUNITIES:
		bw_put_bytes(w, a->ipv6_ext_communities,
		    20u * a->n_ipv6_ext_communities);
		break;
	case BGP_ATTR_AIGP:
		bw_put_bytes(w, a->aigp_raw, a->aigp_raw_len);
		break;
	case BGP_ATTR_LARGE_COMMUNITY:
		bw_put_bytes(w, a->large_communities,
		    12u * a->n_large_communities);
		break;
	case BGP_ATTR_OTC:
		bw_put_u32(w, a->otc);
		break;
	}
}

/* Writes one attribute. The header is written with a 2-octet length; if
 * the flags do not ask for Extended Length and the value fits one octet,
 * the value moves down by one. */
static void
enc_attr(struct bwriter *w, uint8_t flags, uint8_t type,
    const struct bgp_attrs *a, const struct bgp_attr_ent *raw,
    const struct bgp_session *s)
{
	size_t start = w->len, vlen;

	bw_put_u8(w, flags);
	bw_put_u8(w, type);
	bw_put_u16(w, 0);
	if (raw != NULL)
		bw_put_bytes(w, raw->data, raw->len);
	else
		enc_value(a, type, s, w);
	if (!bw_ok(w))
		return;
	vlen = w->len - start - 4;
	if (vlen > 0xffff) {
		w->overflow = true;
		return;
	}
	if (!(flags & BGP_ATTR_F_EXTLEN) && vlen <= 0xff) {
		memmove(w->buf + start + 3, w->buf + start + 4, vlen);
		w->buf[start + 2] = (uint8_t)vlen;
		w->len--;
		return;
	}
	w->buf[start] = flags | BGP_ATTR_F_EXTLEN;
	bw_patch_u16(w, start + 2, (uint16_t)vlen);
}

static uint8_t
default_flags(uint8_t type)
{
	return attr_table[type].decode != NULL ? attr_table[type].flags :
	    F_OT;
}

bool
bgp_attrs_encode(const struct bgp_attrs *a, const struct bgp_session *s,
    struct bwriter *w)
{
	if (a->ent != NULL) {
		for (unsigned i = 0; i < a->n_ent; i++) {
			const struct bgp_attr_ent *e = &a->ent[i];

			enc_attr(w, e->flags, e->type, a,
			    e->state == BGP_ATTR_USED ? NULL : e, s);
		}
		bw_put_bytes(w, a->unparsed, a->unparsed_len);
		return bw_ok(w);
	}
	/* Canonical: MP attributes first (RFC 7606 5.1), then by type. */
	if (bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI))
		enc_attr(w, F_ON, BGP_ATTR_MP_REACH_NLRI, a, NULL, s);
	if (bgp_attrs_has(a, BGP_ATTR_MP_UNREACH_NLRI))
		enc_attr(w, F_ON, BGP_ATTR_MP_UNREACH_NLRI, a, NULL, s);
	for (unsigned t = 1; t < 256; t++) {
		if (is_mp((uint8_t)t) || !bgp_attrs_has(a, (uint8_t)t))
			continue;
		enc_attr(w, default_flags((uint8_t)t), (uint8_t)t, a, NULL, s);
	}
	return bw_ok(w);
}

static bool
skipped(const uint64_t skip[4], uint8_t t)
{
	return (skip[t >> 6] >> (t & 63)) & 1;
}

bool
bgp_attrs_encode_except(const struct bgp_attrs *a,
    const struct bgp_session *s, const uint64_t skip[4], struct bwriter *w)
{
	if (a->ent != NULL) {
		for (unsigned i = 0; i < a->n_ent; i++) {
			const struct bgp_attr_ent *e = &a->ent[i];

			if (e->state == BGP_ATTR_DISCARDED ||
			    skipped(skip, e->type))
				continue;
			enc_attr(w, e->flags, e->type, a,
			    e->state == BGP_ATTR_USED ? NULL : e, s);
		}
		return bw_ok(w);
	}
	for (unsigned t = 1; t < 256; t++) {
		if (!bgp_attrs_has(a, (uint8_t)t) || skipped(skip, (uint8_t)t))
			continue;
		enc_attr(w, default_flags((uint8_t)t), (uint8_t)t, a, NULL, s);
	}
	return bw_ok(w);
}
