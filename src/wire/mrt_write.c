/* Writing MRT (RFC 6396, RFC 8050): TABLE_DUMP_V2 RIB snapshots and
 * BGP4MP/BGP4MP_ET update records, into a byte writer. */
#include <string.h>

#include "util/bwriter.h"
#include "wire/mrt.h"

/* Starts a record; returns the offset of its length field, patched by
 * rec_finish. */
static size_t
rec_start(struct bwriter *w, uint32_t ts, uint16_t type, uint16_t subtype)
{
	size_t lenpos;

	bw_put_u32(w, ts);
	bw_put_u16(w, type);
	bw_put_u16(w, subtype);
	lenpos = w->len;
	bw_put_u32(w, 0);
	return lenpos;
}

static bool
rec_finish(struct bwriter *w, size_t lenpos)
{
	size_t len;

	if (!bw_ok(w))
		return false;
	len = w->len - lenpos - 4;
	w->buf[lenpos] = (uint8_t)(len >> 24);
	w->buf[lenpos + 1] = (uint8_t)(len >> 16);
	w->buf[lenpos + 2] = (uint8_t)(len >> 8);
	w->buf[lenpos + 3] = (uint8_t)len;
	return true;
}

bool
mrt_write_peer_index(struct bwriter *w, uint32_t ts, uint32_t collector_id,
    const char *view, const struct mrt_peer *peers, uint16_t n)
{
	size_t lenpos = rec_start(w, ts, MRT_TABLE_DUMP_V2,
	    MRT_V2_PEER_INDEX_TABLE);
	size_t vlen = view != NULL ? strlen(view) : 0;

	if (vlen > 0xffff)
		return false;
	bw_put_u32(w, collector_id);
	bw_put_u16(w, (uint16_t)vlen);
	bw_put_bytes(w, view, vlen);
	bw_put_u16(w, n);
	for (unsigned i = 0; i < n; i++) {
		const struct mrt_peer *p = &peers[i];
		bool v6 = p->afi == BGP_AFI_IPV6, as4 = p->asn > 0xffff;

		bw_put_u8(w, (uint8_t)((v6 ? 1 : 0) | (as4 ? 2 : 0)));
		bw_put_u32(w, p->bgp_id);
		bw_put_bytes(w, p->ip, v6 ? 16 : 4);
		if (as4)
			bw_put_u32(w, p->asn);
		else
			bw_put_u16(w, (uint16_t)p->asn);
	}
	return rec_finish(w, lenpos);
}

bool
mrt_rib_attrs_encode(const struct bgp_attrs *a, struct bwriter *w)
{
	static const struct bgp_session s = { .as4 = true, .ext_msg = true };
	struct bgp_attrs rib = *a;

	rib.mp_reach.rib_abbrev = true;
	return bgp_attrs_encode(&rib, &s, w);
}

static uint16_t
rib_subtype(uint16_t afi, uint8_t safi, bool addpath)
{
	uint16_t st;

	if (afi == BGP_AFI_IPV6)
		st = safi == BGP_SAFI_MULTICAST ? MRT_V2_RIB_IPV6_MULTICAST :
		    MRT_V2_RIB_IPV6_UNICAST;
	else
		st = safi == BGP_SAFI_MULTICAST ? MRT_V2_RIB_IPV4_MULTICAST :
		    MRT_V2_RIB_IPV4_UNICAST;
	return addpath ? (uint16_t)(st + 6) : st;	/* RFC 8050 4 */
}

bool
mrt_write_rib(struct bwriter *w, uint32_t ts, uint32_t seq,
    const struct bgp_prefix *p, uint8_t safi, bool addpath,
    const struct mrt_rib_entry *e, uint16_t n)
{
	size_t lenpos = rec_start(w, ts, MRT_TABLE_DUMP_V2,
	    rib_subtype(p->afi, safi, addpath));

	bw_put_u32(w, seq);
	bw_put_u8(w, p->len);
	bw_put_bytes(w, p->addr, (p->len + 7u) / 8u);
	bw_put_u16(w, n);
	for (unsigned i = 0; i < n; i++) {
		bw_put_u16(w, e[i].peer_index);
		bw_put_u32(w, e[i].originated);
		if (addpath)
			bw_put_u32(w, e[i].path_id);
		bw_put_u16(w, e[i].attrs_len);
		bw_put_bytes(w, e[i].attrs, e[i].attrs_len);
	}
	return rec_finish(w, lenpos);
}

bool
mrt_write_bgp4mp(struct bwriter *w, uint32_t ts, bool et, uint32_t usec,
    const struct mrt_bgp4mp *b, const uint8_t *msg, size_t len)
{
	uint16_t st = b->subtype;
	bool as4;
	size_t lenpos, iplen = b->afi == BGP_AFI_IPV6 ? 16 : 4;

	if (b->body_type != 0 || b->zebra_short)
		/* the deprecated type and Zebra's short records become
		 * ordinary BGP4MP records */
		st = b->is_state_change ? MRT_BGP4MP_STATE_CHANGE :
		    MRT_BGP4MP_MESSAGE;
	as4 = st == MRT_BGP4MP_MESSAGE_AS4 ||
	    st == MRT_BGP4MP_STATE_CHANGE_AS4 ||
	    st == MRT_BGP4MP_MESSAGE_AS4_LOCAL ||
	    st == MRT_BGP4MP_MESSAGE_AS4_ADDPATH ||
	    st == MRT_BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH;
	lenpos = rec_start(w, ts, et ? MRT_BGP4MP_ET : MRT_BGP4MP, st);
	if (et)
		bw_put_u32(w, usec);
	if (as4) {
		bw_put_u32(w, b->peer_as);
		bw_put_u32(w, b->local_as);
	} else {
		bw_put_u16(w, (uint16_t)b->peer_as);
		bw_put_u16(w, (uint16_t)b->local_as);
	}
	bw_put_u16(w, b->ifindex);
	bw_put_u16(w, b->afi);
	bw_put_bytes(w, b->peer_ip, iplen);
	bw_put_bytes(w, b->local_ip, iplen);
	if (b->is_state_change) {
		bw_put_u16(w, b->old_state);
		bw_put_u16(w, b->new_state);
	} else {
		bw_put_bytes(w, msg, len);
	}
	return rec_finish(w, lenpos);
}
