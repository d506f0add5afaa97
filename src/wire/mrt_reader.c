/* Streaming MRT reader: records from a byte source, and route elements
 * from records (RFC 6396, RFC 8050). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/cursor.h"
#include "util/limits.h"
#include "wire/mrt.h"

/* What one BGP4MP peer's recorded OPEN says about ADD-PATH (see
 * bgp4mp_elems). */
struct mrt_bgp_peer {
	uint8_t		peer_ip[16];
	uint8_t		local_ip[16];
	uint8_t		addpath_rx;
};

#define MRT_INBUF	(256 * 1024)

struct mrt_reader {
	mrt_read_fn		 read;
	void			*arg;
	uint8_t			*in;		/* read-ahead from the source */
	size_t			 in_pos;
	size_t			 in_len;
	bool			 in_eof;
	uint8_t			*buf;
	size_t			 cap;
	uint64_t		 offset;	/* of the next record */
	bool			 failed;
	char			 err[256];
	struct mrt_peer		*peers;		/* PEER_INDEX_TABLE */
	uint32_t		 npeers;
	uint32_t		 collector_id;
	struct mrt_bgp_peer	*bgp_peers;
	uint32_t		 n_bgp_peers;
	struct arena		 arena;
	struct mrt_stats	 stats;
	bool			 compat;	/* read as bgpdump does */
	bool			 lazy;		/* RIB entries undecoded */
	/* what a lazy RIB entry needs to be decoded later */
	struct bgp_session	 lazy_session;
	uint16_t		 lazy_afi;
	struct mrt_record	 lazy_rec;
	struct bgp_attrs	 lazy_attrs;
	/* the BGP4MP record's message and peer, which its elements point
	 * into until the next record */
	struct bgp_msg		 bgp4mp_msg;
	struct mrt_peer		 bgp4mp_peer;
	mrt_problem_fn		 on_problem;
	void			*problem_arg;
	uint8_t			 scratch[BGP_MAX_EXT_MSG_LEN];
};

struct mrt_reader *
mrt_reader_new(mrt_read_fn fn, void *arg)
{
	struct mrt_reader *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->in = malloc(MRT_INBUF);
	if (r->in == NULL) {
		free(r);
		return NULL;
	}
	r->read = fn;
	r->arg = arg;
	arena_init(&r->arena, 0);
	return r;
}

void
mrt_reader_free(struct mrt_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->in);
	free(r->peers);
	free(r->bgp_peers);
	arena_free(&r->arena);
	free(r);
}

void
mrt_reader_bgpdump_compat(struct mrt_reader *r, bool on)
{
	r->compat = on;
}

void
mrt_reader_lazy_rib(struct mrt_reader *r, bool on)
{
	r->lazy = on;
}

void
mrt_reader_on_problem(struct mrt_reader *r, mrt_problem_fn fn, void *arg)
{
	r->on_problem = fn;
	r->problem_arg = arg;
}

static void
report(struct mrt_reader *r, enum mrt_problem_kind kind,
    const struct mrt_record *rec, const struct mrt_peer *peer,
    const char *what, const struct bgp_problems *bgp, bool used)
{
	struct mrt_problem p = { .kind = (uint8_t)kind,
	    .mrt_type = rec->type, .mrt_subtype = rec->subtype,
	    .offset = rec->offset, .peer = peer, .what = what, .bgp = bgp,
	    .used = used };

	switch (kind) {
	case MRT_PROB_UNKNOWN:
		r->stats.unknown++;
		break;
	case MRT_PROB_MALFORMED:
		r->stats.malformed++;
		break;
	case MRT_PROB_BGP:
		r->stats.bgp_problems++;
		break;
	}
	if (r->on_problem != NULL)
		r->on_problem(&p, r->problem_arg);
}

const char *
mrt_reader_error(const struct mrt_reader *r)
{
	return r->err;
}

const struct mrt_peer *
mrt_reader_peers(const struct mrt_reader *r, uint32_t *n,
    uint32_t *collector_id)
{
	*n = r->npeers;
	*collector_id = r->collector_id;
	return r->peers;
}

const struct mrt_stats *
mrt_reader_stats(const struct mrt_reader *r)
{
	return &r->stats;
}

/* Reads exactly n bytes into buf; returns n, fewer at the end of input,
 * or -1 on a source error. The source is read in large blocks: a
 * decompressor called for every 12-octet header would spend its time
 * starting and stopping. */
static ssize_t
read_full(struct mrt_reader *r, uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		size_t k;

		if (r->in_pos == r->in_len) {
			ssize_t m;

			if (r->in_eof)
				break;
			m = r->read(r->arg, r->in, MRT_INBUF);
			if (m < 0)
				return -1;
			if (m == 0) {
				r->in_eof = true;
				break;
			}
			r->in_pos = 0;
			r->in_len = (size_t)m;
		}
		k = r->in_len - r->in_pos;
		if (k > n - got)
			k = n - got;
		memcpy(buf + got, r->in + r->in_pos, k);
		r->in_pos += k;
		got += k;
	}
	return (ssize_t)got;
}

static enum mrt_status
reader_fail(struct mrt_reader *r, enum mrt_status st, const char *what)
{
	r->failed = true;
	snprintf(r->err, sizeof(r->err), "%s at byte offset %llu", what,
	    (unsigned long long)r->offset);
	return st;
}

enum mrt_status
mrt_reader_next(struct mrt_reader *r, struct mrt_record *rec)
{
	uint8_t hdr[MRT_HEADER_LEN];
	struct cursor c;
	ssize_t n;
	uint32_t len;

	if (r->failed)
		return MRT_TRUNCATED;
	n = read_full(r, hdr, sizeof(hdr));
	if (n == 0)
		return MRT_END;
	if (n < 0)
		return reader_fail(r, MRT_TRUNCATED, "read error in the record");
	if (n < (ssize_t)sizeof(hdr))
		return reader_fail(r, MRT_TRUNCATED, "truncated record header");
	memset(rec, 0, sizeof(*rec));
	c = cur_make(hdr, sizeof(hdr));
	cur_get_u32(&c, &rec->ts);
	cur_get_u16(&c, &rec->type);
	cur_get_u16(&c, &rec->subtype);
	cur_get_u32(&c, &len);
	if (len > MAX_MRT_RECORD_LEN)
		return reader_fail(r, MRT_MALFORMED, "record length over the "
		    "64 MiB limit");
	if (len > r->cap) {
		size_t ncap = r->cap ? r->cap : 65536;
		uint8_t *nb;

		while (ncap < len)
			ncap *= 2;
		nb = realloc(r->buf, ncap);
		if (nb == NULL)
			return reader_fail(r, MRT_MALFORMED, "out of memory for "
			    "a record");
		r->buf = nb;
		r->cap = ncap;
	}
	n = read_full(r, r->buf, len);
	if (n < 0)
		return reader_fail(r, MRT_TRUNCATED, "read error in the record");
	if ((size_t)n < len)
		return reader_fail(r, MRT_TRUNCATED, "truncated record");
	rec->offset = r->offset;
	rec->data = r->buf;
	rec->len = len;
	r->offset += MRT_HEADER_LEN + len;
	r->stats.records++;
	if (rec->type == MRT_BGP4MP_ET) {
		if (len < 4)
			return MRT_OK;	/* mrt_reader_elems counts it */
		c = cur_make(r->buf, 4);
		cur_get_u32(&c, &rec->usec);
		rec->data += 4;
		rec->len -= 4;
	}
	return MRT_OK;
}

/* --- TABLE_DUMP_V2 ---------------------------------------------------------- */

/* RFC 6396 4.3.1. */
static enum mrt_status
peer_index_parse(struct mrt_reader *r, const struct mrt_record *rec)
{
	struct cursor c = cur_make(rec->data, rec->len);
	uint16_t namelen, count;
	uint32_t collector;
	struct mrt_peer *p;

	if (!cur_get_u32(&c, &collector) || !cur_get_u16(&c, &namelen) ||
	    !cur_skip(&c, namelen) || !cur_get_u16(&c, &count))
		return MRT_MALFORMED;
	p = calloc(count ? count : 1, sizeof(*p));
	if (p == NULL)
		return MRT_MALFORMED;
	for (unsigned i = 0; i < count; i++) {
		uint8_t type;

		if (!cur_get_u8(&c, &type) || !cur_get_u32(&c, &p[i].bgp_id))
			goto bad;
		p[i].afi = (type & 1) ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
		if (!cur_get_bytes(&c, p[i].ip, (type & 1) ? 16 : 4))
			goto bad;
		if (type & 2) {
			if (!cur_get_u32(&c, &p[i].asn))
				goto bad;
		} else {
			uint16_t as2;

			if (!cur_get_u16(&c, &as2))
				goto bad;
			p[i].asn = as2;
		}
	}
	free(r->peers);
	r->peers = p;
	r->npeers = count;
	r->collector_id = collector;
	return MRT_OK;
bad:
	free(p);
	return MRT_MALFORMED;
}

static void
elem_nexthop(struct mrt_elem *e, const struct bgp_attrs *a, uint16_t afi)
{
	e->nexthop = NULL;
	e->nexthop_len = 0;
	if (bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI) &&
	    (afi != BGP_AFI_IPV4 || !bgp_attrs_has(a, BGP_ATTR_NEXT_HOP))) {
		e->nexthop = a->mp_reach.nh;
		e->nexthop_len = a->mp_reach.nh_len;
	} else if (bgp_attrs_has(a, BGP_ATTR_NEXT_HOP)) {
		e->nexthop = a->next_hop;
		e->nexthop_len = 4;
	}
}

/* Reads the prefix of a RIB record header into *p. */
static bool
rib_prefix(struct cursor *c, uint16_t afi, struct bgp_prefix *p)
{
	uint8_t plen;
	unsigned max = afi == BGP_AFI_IPV6 ? 128 : 32;

	memset(p, 0, sizeof(*p));
	p->afi = (uint8_t)afi;
	if (!cur_get_u8(c, &plen) || plen > max)
		return false;
	p->len = plen;
	return cur_get_bytes(c, p->addr, (plen + 7u) / 8u);
}

/* RFC 6396 4.3.2-4.3.3 and RFC 8050 4: one prefix, then an entry per
 * peer. */
static enum mrt_status
rib_parse(struct mrt_reader *r, const struct mrt_record *rec, mrt_elem_fn fn,
    void *arg)
{
	struct cursor c = cur_make(rec->data, rec->len);
	struct bgp_session s = { .as4 = true, .ext_msg = true };
	struct mrt_elem e;
	uint32_t seq;
	uint16_t afi = BGP_AFI_IPV4, count;
	uint8_t safi = BGP_SAFI_UNICAST;
	bool addpath = rec->subtype >= MRT_V2_RIB_IPV4_UNICAST_ADDPATH;

	switch (rec->subtype) {
	case MRT_V2_RIB_IPV4_MULTICAST:
	case MRT_V2_RIB_IPV4_MULTICAST_ADDPATH:
		safi = BGP_SAFI_MULTICAST;
		break;
	case MRT_V2_RIB_IPV6_UNICAST:
	case MRT_V2_RIB_IPV6_UNICAST_ADDPATH:
		afi = BGP_AFI_IPV6;
		break;
	case MRT_V2_RIB_IPV6_MULTICAST:
	case MRT_V2_RIB_IPV6_MULTICAST_ADDPATH:
		afi = BGP_AFI_IPV6;
		safi = BGP_SAFI_MULTICAST;
		break;
	}
	memset(&e, 0, sizeof(e));
	if (!cur_get_u32(&c, &seq))
		return MRT_MALFORMED;
	if (rec->subtype == MRT_V2_RIB_GENERIC ||
	    rec->subtype == MRT_V2_RIB_GENERIC_ADDPATH) {
		if (!cur_get_u16(&c, &afi) || !cur_get_u8(&c, &safi))
			return MRT_MALFORMED;
		if ((afi != BGP_AFI_IPV4 && afi != BGP_AFI_IPV6) ||
		    (safi != BGP_SAFI_UNICAST && safi != BGP_SAFI_MULTICAST)) {
			/* VPN, labelled, flowspec...: not routes we hold */
			report(r, MRT_PROB_UNKNOWN, rec, NULL, "RIB_GENERIC "
			    "family other than IPv4/IPv6 unicast/multicast not "
			    "read", NULL, false);
			return MRT_OK;
		}
	}
	if (!rib_prefix(&c, afi, &e.prefix) || !cur_get_u16(&c, &count))
		return MRT_MALFORMED;
	s.rib_afi = afi;
	s.rib_safi = safi;
	e.rib_entries = count;
	e.type = MRT_ELEM_RIB;
	e.mrt_type = rec->type;
	e.mrt_subtype = rec->subtype;
	e.ts = rec->ts;
	e.offset = rec->offset;
	for (unsigned i = 0; i < count; i++) {
		uint16_t idx, alen;
		struct cursor at;
		struct bgp_attrs attrs;
		struct bgp_problems pr = { 0 };

		if (!cur_get_u16(&c, &idx) || !cur_get_u32(&c, &e.originated))
			return MRT_MALFORMED;
		e.prefix.has_path_id = addpath;
		if (addpath && !cur_get_u32(&c, &e.prefix.path_id))
			return MRT_MALFORMED;
		if (!cur_get_u16(&c, &alen) || !cur_sub(&c, &at, alen))
			return MRT_MALFORMED;
		if (idx >= r->npeers) {
			report(r, MRT_PROB_MALFORMED, rec, NULL, "RIB entry "
			    "with a peer index past the peer index table",
			    NULL, false);
			continue;
		}
		e.attrs_raw = at.p;
		e.attrs_raw_len = alen;
		if (r->lazy) {
			r->lazy_session = s;
			r->lazy_afi = afi;
			r->lazy_rec = *rec;
			e.peer = &r->peers[idx];
			e.peer_index = idx;
			e.attrs = NULL;
			e.nexthop = NULL;
			e.nexthop_len = 0;
			e.action = BGP_ACT_NONE;
			r->stats.elems++;
			if (fn(&e, arg) != 0)
				return MRT_END;
			continue;
		}
		arena_reset(&r->arena);
		e.action = (uint8_t)bgp_attrs_decode(at.p, alen, &s, &r->arena,
		    0, &attrs, &pr);
		if (pr.total > 0)
			report(r, MRT_PROB_BGP, rec, &r->peers[idx], NULL, &pr,
			    true);
		e.peer = &r->peers[idx];
		e.peer_index = idx;
		e.attrs = &attrs;
		elem_nexthop(&e, &attrs, afi);
		r->stats.elems++;
		if (fn(&e, arg) != 0)
			return MRT_END;
	}
	return MRT_OK;
}

const struct bgp_attrs *
mrt_reader_rib_attrs(struct mrt_reader *r, struct mrt_elem *e,
    uint8_t *action)
{
	struct bgp_problems pr = { 0 };

	arena_reset(&r->arena);
	*action = (uint8_t)bgp_attrs_decode(e->attrs_raw, e->attrs_raw_len,
	    &r->lazy_session, &r->arena, 0, &r->lazy_attrs, &pr);
	if (pr.total > 0)
		report(r, MRT_PROB_BGP, &r->lazy_rec, e->peer, NULL, &pr, true);
	if (*action == BGP_ACT_SESSION_RESET && pr.n > 0 &&
	    pr.p[0].reason == BGP_R_OUT_OF_MEMORY)
		return NULL;
	e->attrs = &r->lazy_attrs;
	e->action = *action;
	elem_nexthop(e, &r->lazy_attrs, r->lazy_afi);
	return &r->lazy_attrs;
}

/* --- TABLE_DUMP (v1) -------------------------------------------------------- */

/* RFC 6396 4.2: one route per record, 2-octet AS numbers. */
static enum mrt_status
table_dump_parse(struct mrt_reader *r, const struct mrt_record *rec,
    mrt_elem_fn fn, void *arg)
{
	struct cursor c = cur_make(rec->data, rec->len);
	struct bgp_session s = { .as4 = false, .ext_msg = true };
	uint16_t afi = rec->subtype, view, seq, as2, alen;
	size_t iplen = afi == BGP_AFI_IPV6 ? 16 : 4;
	struct mrt_peer peer;
	struct mrt_elem e;
	struct bgp_attrs attrs;
	struct bgp_problems pr = { 0 };
	struct cursor at;
	uint8_t plen, status;

	if (afi != BGP_AFI_IPV4 && afi != BGP_AFI_IPV6)
		return MRT_MALFORMED;
	memset(&e, 0, sizeof(e));
	memset(&peer, 0, sizeof(peer));
	e.prefix.afi = (uint8_t)afi;
	if (!cur_get_u16(&c, &view) || !cur_get_u16(&c, &seq) ||
	    !cur_get_bytes(&c, e.prefix.addr, iplen) ||
	    !cur_get_u8(&c, &plen) || plen > iplen * 8 ||
	    !cur_get_u8(&c, &status) || !cur_get_u32(&c, &e.originated) ||
	    !cur_get_bytes(&c, peer.ip, iplen) || !cur_get_u16(&c, &as2) ||
	    !cur_get_u16(&c, &alen) || !cur_sub(&c, &at, alen))
		return MRT_MALFORMED;
	e.prefix.len = plen;
	peer.afi = (uint8_t)afi;
	peer.asn = as2;
	s.rib_afi = afi;
	s.rib_safi = BGP_SAFI_UNICAST;
	arena_reset(&r->arena);
	e.action = (uint8_t)bgp_attrs_decode(at.p, alen, &s, &r->arena, 0,
	    &attrs, &pr);
	if (pr.total > 0)
		report(r, MRT_PROB_BGP, rec, &peer, NULL, &pr, true);
	e.type = MRT_ELEM_RIB;
	e.mrt_type = rec->type;
	e.mrt_subtype = rec->subtype;
	e.ts = rec->ts;
	e.offset = rec->offset;
	e.peer = &peer;
	e.attrs = &attrs;
	elem_nexthop(&e, &attrs, afi);
	r->stats.elems++;
	return fn(&e, arg) != 0 ? MRT_END : MRT_OK;
}

/* --- BGP4MP and the deprecated BGP type ------------------------------------ */

static struct mrt_bgp_peer *
bgp_peer_find(struct mrt_reader *r, const struct mrt_bgp4mp *b)
{
	struct mrt_bgp_peer *p;

	for (uint32_t i = 0; i < r->n_bgp_peers; i++) {
		p = &r->bgp_peers[i];
		if (memcmp(p->peer_ip, b->peer_ip, 16) == 0 &&
		    memcmp(p->local_ip, b->local_ip, 16) == 0)
			return p;
	}
	if (r->n_bgp_peers % 64 == 0) {
		p = realloc(r->bgp_peers, (r->n_bgp_peers + 64) * sizeof(*p));
		if (p == NULL)
			return NULL;
		r->bgp_peers = p;
	}
	p = &r->bgp_peers[r->n_bgp_peers++];
	memset(p, 0, sizeof(*p));
	memcpy(p->peer_ip, b->peer_ip, 16);
	memcpy(p->local_ip, b->local_ip, 16);
	return p;
}

/* MRT files record the OPEN a peer sent and rarely the collector's own,
 * so whether ADD-PATH was negotiated is a guess: a family carries path ids
 * when the peer said it would send them (RFC 7911 4). */
static int
emit_prefixes(struct mrt_reader *r, struct mrt_elem *e, uint8_t type,
    const struct bgp_prefix *v, uint32_t n, mrt_elem_fn fn, void *arg)
{
	e->type = type;
	for (uint32_t i = 0; i < n; i++) {
		e->prefix = v[i];
		r->stats.elems++;
		if (fn(e, arg) != 0)
			return 1;
	}
	return 0;
}

/* A session reset whose every reason is a prefix-list syntax error that
 * salvage read around. */
static bool
salvaged(const struct bgp_msg *m)
{
	if (m->type != BGP_MSG_UPDATE || m->prob.total > m->prob.n)
		return false;
	for (unsigned i = 0; i < m->prob.n; i++) {
		uint8_t rs = m->prob.p[i].reason;

		if (m->prob.p[i].action == BGP_ACT_SESSION_RESET &&
		    rs != BGP_R_WITHDRAWN_SYNTAX && rs != BGP_R_NLRI_SYNTAX &&
		    rs != BGP_R_MP_REACH_NLRI && rs != BGP_R_MP_UNREACH_NLRI)
			return false;
	}
	return true;
}

static enum mrt_status
bgp4mp_elems(struct mrt_reader *r, const struct mrt_record *rec,
    mrt_elem_fn fn, void *arg)
{
	struct mrt_bgp4mp b;
	/* in the reader: the elements' views outlive this call, until
	 * the next record */
	struct mrt_peer *peer = &r->bgp4mp_peer;
	struct bgp_msg *m = &r->bgp4mp_msg;
	struct mrt_bgp_peer *bp;
	struct bgp_session s;
	struct mrt_elem e;
	const struct bgp_update *u;
	const struct bgp_attrs *a;
	const uint8_t *msg;
	size_t len;
	enum bgp_action act;
	bool used;

	if (mrt_bgp4mp_parse(rec, &b) != MRT_OK)
		return MRT_MALFORMED;
	memset(peer, 0, sizeof(*peer));
	peer->afi = (uint8_t)b.afi;
	peer->asn = b.peer_as;
	memcpy(peer->ip, b.peer_ip, 16);
	memset(&e, 0, sizeof(e));
	e.mrt_type = rec->type;
	e.mrt_subtype = rec->subtype;
	e.ts = rec->ts;
	e.offset = rec->offset;
	e.usec = rec->usec;
	e.peer = peer;
	if (b.is_state_change) {
		e.type = MRT_ELEM_STATE;
		e.old_state = b.old_state;
		e.new_state = b.new_state;
		r->stats.elems++;
		return fn(&e, arg) != 0 ? MRT_END : MRT_OK;
	}
	msg = mrt_bgp4mp_message(&b, r->scratch, &len);
	if (msg == NULL)
		return MRT_MALFORMED;
	s = b.session;
	s.salvage = r->compat;
	bp = b.local || r->compat ? NULL : bgp_peer_find(r, &b);
	if (bp != NULL)
		s.addpath_rx |= bp->addpath_rx;
	arena_reset(&r->arena);
	act = bgp_msg_decode(msg, len, &s, &r->arena, m);
	if (act == BGP_ACT_SESSION_RESET && s.addpath_rx != b.session.addpath_rx) {
		/* the guess was wrong: this collector did not accept it */
		s.addpath_rx = b.session.addpath_rx;
		arena_reset(&r->arena);
		act = bgp_msg_decode(msg, len, &s, &r->arena, m);
		if (act != BGP_ACT_SESSION_RESET)
			bp->addpath_rx = 0;
	}
	used = act != BGP_ACT_SESSION_RESET || (r->compat && salvaged(m));
	if (m->prob.total > 0)
		report(r, MRT_PROB_BGP, rec, peer, NULL, &m->prob, used);
	if (!used)
		return MRT_OK;	/* reported; nothing usable */
	/* MRT files record the OPEN a peer sent and rarely the collector's
	 * own, so whether ADD-PATH was negotiated is a guess: a family
	 * carries path ids when the peer said it would send them (RFC 7911
	 * 4); the guess is dropped above when it does not parse. */
	if (m->type == BGP_MSG_OPEN && bp != NULL)
		bp->addpath_rx = bgp_open_addpath(&m->u.open, BGP_ADDPATH_SEND);
	if (m->type != BGP_MSG_UPDATE)
		return MRT_OK;
	u = &m->u.update;
	a = &u->attrs;
	e.action = (uint8_t)act;
	if (emit_prefixes(r, &e, MRT_ELEM_WITHDRAW, u->withdrawn,
	    u->n_withdrawn, fn, arg) ||
	    (bgp_attrs_has(a, BGP_ATTR_MP_UNREACH_NLRI) &&
	    emit_prefixes(r, &e, MRT_ELEM_WITHDRAW, a->mp_unreach.withdrawn,
	    a->mp_unreach.n_withdrawn, fn, arg)))
		return MRT_END;
	e.attrs = a;
	elem_nexthop(&e, a, BGP_AFI_IPV4);
	if (emit_prefixes(r, &e, MRT_ELEM_ANNOUNCE, u->nlri, u->n_nlri, fn,
	    arg))
		return MRT_END;
	if (bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI)) {
		elem_nexthop(&e, a, a->mp_reach.afi);
		if (emit_prefixes(r, &e, MRT_ELEM_ANNOUNCE, a->mp_reach.nlri,
		    a->mp_reach.n_nlri, fn, arg))
			return MRT_END;
	}
	return MRT_OK;
}

enum mrt_status
mrt_reader_elems(struct mrt_reader *r, const struct mrt_record *rec,
    mrt_elem_fn fn, void *arg)
{
	enum mrt_status st;

	switch (rec->type) {
	case MRT_TABLE_DUMP:
		st = table_dump_parse(r, rec, fn, arg);
		break;
	case MRT_TABLE_DUMP_V2:
		if (rec->subtype == MRT_V2_PEER_INDEX_TABLE)
			st = peer_index_parse(r, rec);
		else if (rec->subtype >= MRT_V2_RIB_IPV4_UNICAST &&
		    rec->subtype <= MRT_V2_RIB_GENERIC_ADDPATH &&
		    rec->subtype != 7)
			st = rib_parse(r, rec, fn, arg);
		else {
			report(r, MRT_PROB_UNKNOWN, rec, NULL,
			    "TABLE_DUMP_V2 subtype not read", NULL, false);
			return MRT_OK;
		}
		break;
	case MRT_BGP4MP:
	case MRT_BGP4MP_ET:
	case MRT_BGP:
		st = bgp4mp_elems(r, rec, fn, arg);
		break;
	default:
		report(r, MRT_PROB_UNKNOWN, rec, NULL, "record type not read",
		    NULL, false);
		return MRT_OK;
	}
	if (st == MRT_MALFORMED) {
		/* skipped; the framing is intact */
		report(r, MRT_PROB_MALFORMED, rec, NULL, "record does not parse",
		    NULL, false);
		return MRT_OK;
	}
	return st;
}

enum mrt_status
mrt_reader_run(struct mrt_reader *r, mrt_elem_fn fn, void *arg)
{
	struct mrt_record rec;
	enum mrt_status st;

	while ((st = mrt_reader_next(r, &rec)) == MRT_OK) {
		st = mrt_reader_elems(r, &rec, fn, arg);
		if (st == MRT_END)
			return MRT_END;
	}
	return st;
}
