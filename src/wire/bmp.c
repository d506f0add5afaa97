#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/cursor.h"
#include "util/json_out.h"
#include "wire/bgp.h"
#include "wire/bmp.h"

#define TLV_MAX		4096	/* in one message */

long
bmp_frame(const uint8_t *buf, size_t len, const char **why)
{
	uint32_t n;

	if (len < BMP_COMMON_LEN)
		return 0;
	if (buf[0] != BMP_VERSION) {
		*why = "not BMP version 3 (RFC 7854 4.1)";
		return -1;
	}
	n = (uint32_t)buf[1] << 24 | (uint32_t)buf[2] << 16 |
	    (uint32_t)buf[3] << 8 | buf[4];
	if (n < BMP_COMMON_LEN) {
		*why = "message length below the common header's";
		return -1;
	}
	if (n > BMP_MSG_MAX) {
		*why = "message length over 1 MiB";
		return -1;
	}
	return len >= n ? (long)n : 0;
}

/* A whole BGP message of type want at the cursor (its header says how
 * long); false if it is not one. */
static bool
bgp_pdu(struct cursor *c, uint8_t want, const uint8_t **p, uint16_t *len)
{
	uint16_t n;

	if (cur_left(c) < BGP_HEADER_LEN)
		return false;
	for (int i = 0; i < 16; i++)
		if (c->p[i] != 0xff)
			return false;
	n = (uint16_t)(c->p[16] << 8 | c->p[17]);
	if (n < BGP_HEADER_LEN || n > cur_left(c) ||
	    (want != 0 && c->p[18] != want))
		return false;
	*p = c->p;
	*len = n;
	return cur_skip(c, n);
}

static bool
peer_hdr(struct cursor *c, struct bmp_peer_hdr *h)
{
	if (!cur_get_u8(c, &h->type) || !cur_get_u8(c, &h->flags) ||
	    !cur_get_bytes(c, h->rd, 8) || !cur_get_bytes(c, h->addr, 16) ||
	    !cur_get_u32(c, &h->asn) || !cur_get_u32(c, &h->bgp_id) ||
	    !cur_get_u32(c, &h->ts_sec) || !cur_get_u32(c, &h->ts_usec))
		return false;
	/* the V flag (not for Loc-RIB, where 0x80 is F and the address is
	 * zero) */
	h->afi = h->type != BMP_PEER_LOC_RIB && (h->flags & BMP_F_V) ?
	    BGP_AFI_IPV6 : BGP_AFI_IPV4;
	if (h->afi == BGP_AFI_IPV4) {
		/* IPv4 is in the last 4 octets of the field */
		memmove(h->addr, h->addr + 12, 4);
		memset(h->addr + 4, 0, 12);
	}
	return true;
}

/* TLVs to the end of the cursor (type 2, length 2, value). */
static bool
tlvs(struct cursor *c, struct arena *a, struct bmp_msg *m)
{
	size_t max = cur_left(c) / 4 + 1;

	if (max > TLV_MAX)
		max = TLV_MAX;
	m->tlvs = arena_alloc(a, max * sizeof(*m->tlvs));
	if (m->tlvs == NULL)
		return false;
	while (cur_left(c) > 0) {
		struct bmp_tlv *t;
		size_t vlen;

		if (m->n_tlvs == max)
			return false;
		t = &m->tlvs[m->n_tlvs];
		if (!cur_get_u16(c, &t->type) || !cur_get_u16(c, &t->len))
			return false;
		vlen = t->len;
		if (!cur_get_view(c, &t->value, vlen))
			return false;
		m->n_tlvs++;
	}
	return true;
}

static bool
stats(struct cursor *c, struct arena *a, struct bmp_msg *m)
{
	uint32_t n;

	if (!cur_get_u32(c, &n) || n > cur_left(c) / 4)
		return false;
	m->stats = arena_calloc(a, n ? n : 1, sizeof(*m->stats));
	if (m->stats == NULL)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		struct bmp_stat *s = &m->stats[i];
		struct cursor v;

		if (!cur_get_u16(c, &s->type) || !cur_get_u16(c, &s->len) ||
		    !cur_sub(c, &v, s->len))
			return false;
		s->raw = v.p;
		switch (s->type) {
		case BMP_STAT_ADJ_RIB_IN:
		case BMP_STAT_LOC_RIB:
		case BMP_STAT_ADJ_RIB_OUT_PRE:
		case BMP_STAT_ADJ_RIB_OUT_POST:
			s->known = s->len == 8 && cur_get_u64(&v, &s->value);
			break;
		case BMP_STAT_ADJ_RIB_IN_AFI:
		case BMP_STAT_LOC_RIB_AFI:
		case BMP_STAT_ADJ_RIB_OUT_PRE_AFI:
		case BMP_STAT_ADJ_RIB_OUT_POST_AFI:
			s->per_afi = s->len == 11;
			s->known = s->per_afi && cur_get_u16(&v, &s->afi) &&
			    cur_get_u8(&v, &s->safi) &&
			    cur_get_u64(&v, &s->value);
			break;
		default:
			if (s->type <= BMP_STAT_DUP_UPDATES && s->len == 4) {
				uint32_t u;

				s->known = cur_get_u32(&v, &u);
				s->value = u;
			}
			break;
		}
		m->n_stats++;
	}
	return cur_left(c) == 0;
}

static bool
peer_up(struct cursor *c, struct arena *a, struct bmp_msg *m)
{
	if (!cur_get_bytes(c, m->local_addr, 16) ||
	    !cur_get_u16(c, &m->local_port) || !cur_get_u16(c, &m->remote_port))
		return false;
	m->local_afi = m->peer.afi;
	if (m->local_afi == BGP_AFI_IPV4) {
		memmove(m->local_addr, m->local_addr + 12, 4);
		memset(m->local_addr + 4, 0, 12);
	}
	if (!bgp_pdu(c, BGP_MSG_OPEN, &m->sent_open, &m->sent_open_len) ||
	    !bgp_pdu(c, BGP_MSG_OPEN, &m->recv_open, &m->recv_open_len))
		return false;
	return tlvs(c, a, m);
}

static bool
peer_down(struct cursor *c, struct arena *a, struct bmp_msg *m)
{
	if (!cur_get_u8(c, &m->reason))
		return false;
	switch (m->reason) {
	case BMP_DOWN_LOCAL_NOTIFY:
	case BMP_DOWN_REMOTE_NOTIFY:
		return bgp_pdu(c, BGP_MSG_NOTIFICATION, &m->notification,
		    &m->notification_len) && cur_left(c) == 0;
	case BMP_DOWN_LOCAL_FSM:
		return cur_get_u16(c, &m->fsm_event) && cur_left(c) == 0;
	case BMP_DOWN_REMOTE_NO_DATA:
	case BMP_DOWN_DECONFIGURED:
		return cur_left(c) == 0;
	case BMP_DOWN_LOCAL_SYSTEM:
		return tlvs(c, a, m);
	default:
		return true;		/* a reason of later RFCs: data kept */
	}
}

bool
bmp_decode(const uint8_t *buf, size_t len, struct arena *a, struct bmp_msg *m,
    const char **why)
{
	struct cursor c = cur_make(buf, len), body;
	const char *w = NULL;

	memset(m, 0, sizeof(*m));
	if (bmp_frame(buf, len, &w) != (long)len || len < BMP_COMMON_LEN) {
		*why = w != NULL ? w : "length does not match the message";
		return false;
	}
	cur_get_u8(&c, &m->version);
	cur_get_u32(&c, &m->len);
	cur_get_u8(&c, &m->type);
	body = c;
	switch (m->type) {
	case BMP_ROUTE_MONITORING:
	case BMP_STATISTICS:
	case BMP_PEER_DOWN:
	case BMP_PEER_UP:
	case BMP_ROUTE_MIRRORING:
		if (!peer_hdr(&body, &m->peer)) {
			*why = "per-peer header cut short";
			return false;
		}
		m->has_peer = true;
		break;
	default:
		break;
	}
	switch (m->type) {
	case BMP_ROUTE_MONITORING:
		if (!bgp_pdu(&body, BGP_MSG_UPDATE, &m->bgp, &m->bgp_len) ||
		    cur_left(&body) != 0) {
			*why = "route monitoring without exactly one BGP UPDATE";
			return false;
		}
		return true;
	case BMP_STATISTICS:
		if (!stats(&body, a, m)) {
			*why = "statistics report: counts or lengths past the "
			    "message";
			return false;
		}
		return true;
	case BMP_PEER_DOWN:
		if (!peer_down(&body, a, m)) {
			*why = "peer down: its data does not match its reason";
			return false;
		}
		return true;
	case BMP_PEER_UP:
		if (!peer_up(&body, a, m)) {
			*why = "peer up: addresses, ports, two OPENs and TLVs "
			    "expected";
			return false;
		}
		return true;
	case BMP_INITIATION:
	case BMP_TERMINATION:
	case BMP_ROUTE_MIRRORING:
		if (!tlvs(&body, a, m)) {
			*why = "TLVs past the message";
			return false;
		}
		return true;
	default:
		return true;
	}
}

/* --- names ---------------------------------------------------------------- */

const char *
bmp_type_name(uint8_t type)
{
	static const char *const n[] = { "route-monitoring", "statistics",
	    "peer-down", "peer-up", "initiation", "termination",
	    "route-mirroring" };

	return type < sizeof(n) / sizeof(n[0]) ? n[type] : NULL;
}

const char *
bmp_peer_type_name(uint8_t type)
{
	static const char *const n[] = { "global", "rd", "local", "loc-rib" };

	return type < sizeof(n) / sizeof(n[0]) ? n[type] : NULL;
}

const char *
bmp_stat_name(uint16_t type)
{
	static const char *const n[] = { "rejected-prefixes",
	    "duplicate-prefixes", "duplicate-withdraws",
	    "cluster-list-loops", "as-path-loops", "originator-id-loops",
	    "as-confed-loops", "adj-rib-in-routes", "loc-rib-routes",
	    "adj-rib-in-routes-per-afi", "loc-rib-routes-per-afi",
	    "updates-treated-as-withdraw", "prefixes-treated-as-withdraw",
	    "duplicate-updates", "adj-rib-out-pre-routes",
	    "adj-rib-out-post-routes", "adj-rib-out-pre-routes-per-afi",
	    "adj-rib-out-post-routes-per-afi" };

	return type < sizeof(n) / sizeof(n[0]) ? n[type] : NULL;
}

const char *
bmp_down_reason_name(uint8_t reason)
{
	static const char *const n[] = { NULL, "local-notification",
	    "local-no-notification", "remote-notification",
	    "remote-no-data", "peer-deconfigured", "local-system-closed" };

	return reason < sizeof(n) / sizeof(n[0]) ? n[reason] : NULL;
}

/* --- JSON ------------------------------------------------------------------- */

static void
json_addr(struct jw *j, const char *key, uint8_t afi, const uint8_t *addr)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, addr, buf,
	    sizeof(buf));
	jw_kstr(j, key, buf);
}

static void
json_tlvs(struct jw *j, const struct bmp_msg *m)
{
	jw_key(j, "tlvs");
	jw_arr_begin(j);
	for (uint32_t i = 0; i < m->n_tlvs; i++) {
		const struct bmp_tlv *t = &m->tlvs[i];
		bool text = true;

		for (uint16_t k = 0; k < t->len; k++)
			if (t->value[k] < 0x20 || t->value[k] >= 0x7f)
				text = false;
		jw_obj_begin(j);
		jw_ku64(j, "type", t->type);
		if (text)
			jw_key(j, "text"), jw_strn(j, (const char *)t->value,
			    t->len);
		else
			jw_khex(j, "hex", t->value, t->len);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

void
bmp_msg_json(const struct bmp_msg *m, struct jw *j)
{
	const char *n = bmp_type_name(m->type);

	jw_obj_begin(j);
	jw_ku64(j, "version", m->version);
	jw_ku64(j, "length", m->len);
	jw_key(j, "type");
	if (n != NULL)
		jw_str(j, n);
	else
		jw_u64(j, m->type);
	if (m->has_peer) {
		const struct bmp_peer_hdr *p = &m->peer;
		char id[16];

		jw_key(j, "peer");
		jw_obj_begin(j);
		n = bmp_peer_type_name(p->type);
		jw_key(j, "type");
		if (n != NULL)
			jw_str(j, n);
		else
			jw_u64(j, p->type);
		jw_ku64(j, "flags", p->flags);
		if (p->type == BMP_PEER_LOC_RIB) {
			jw_kbool(j, "filtered", (p->flags & BMP_F_LOC_F) != 0);
		} else {
			jw_kbool(j, "post_policy", (p->flags & BMP_F_L) != 0);
			jw_kbool(j, "adj_rib_out", (p->flags & BMP_F_O) != 0);
			jw_kbool(j, "as2", (p->flags & BMP_F_A) != 0);
		}
		jw_khex(j, "rd", p->rd, 8);
		json_addr(j, "address", p->afi, p->addr);
		jw_ku64(j, "asn", p->asn);
		snprintf(id, sizeof(id), "%u.%u.%u.%u", p->bgp_id >> 24,
		    (p->bgp_id >> 16) & 0xff, (p->bgp_id >> 8) & 0xff,
		    p->bgp_id & 0xff);
		jw_kstr(j, "bgp_id", id);
		jw_ku64(j, "timestamp", p->ts_sec);
		jw_ku64(j, "timestamp_usec", p->ts_usec);
		jw_obj_end(j);
	}
	switch (m->type) {
	case BMP_ROUTE_MONITORING:
		jw_khex(j, "bgp", m->bgp, m->bgp_len);
		break;
	case BMP_STATISTICS:
		jw_key(j, "stats");
		jw_arr_begin(j);
		for (uint32_t i = 0; i < m->n_stats; i++) {
			const struct bmp_stat *s = &m->stats[i];

			jw_obj_begin(j);
			jw_ku64(j, "type", s->type);
			if ((n = bmp_stat_name(s->type)) != NULL)
				jw_kstr(j, "name", n);
			if (s->per_afi) {
				jw_ku64(j, "afi", s->afi);
				jw_ku64(j, "safi", s->safi);
			}
			if (s->known)
				jw_ku64(j, "value", s->value);
			else
				jw_khex(j, "raw", s->raw, s->len);
			jw_obj_end(j);
		}
		jw_arr_end(j);
		break;
	case BMP_PEER_DOWN:
		jw_ku64(j, "reason", m->reason);
		if ((n = bmp_down_reason_name(m->reason)) != NULL)
			jw_kstr(j, "reason_name", n);
		if (m->reason == BMP_DOWN_LOCAL_FSM)
			jw_ku64(j, "fsm_event", m->fsm_event);
		if (m->notification != NULL)
			jw_khex(j, "notification", m->notification,
			    m->notification_len);
		if (m->reason == BMP_DOWN_LOCAL_SYSTEM)
			json_tlvs(j, m);
		break;
	case BMP_PEER_UP:
		json_addr(j, "local_address", m->local_afi, m->local_addr);
		jw_ku64(j, "local_port", m->local_port);
		jw_ku64(j, "remote_port", m->remote_port);
		jw_khex(j, "sent_open", m->sent_open, m->sent_open_len);
		jw_khex(j, "received_open", m->recv_open, m->recv_open_len);
		json_tlvs(j, m);
		break;
	case BMP_INITIATION:
	case BMP_TERMINATION:
	case BMP_ROUTE_MIRRORING:
		json_tlvs(j, m);
		break;
	default:
		break;
	}
	jw_obj_end(j);
}
