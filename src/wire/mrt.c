/* MRT record framing and BGP4MP records (RFC 6396 4.4, RFC 8050 4). */
#include <string.h>

#include "util/cursor.h"
#include "wire/mrt.h"

enum mrt_status
mrt_next(const uint8_t *buf, size_t len, size_t *pos, struct mrt_record *r)
{
	struct cursor c;

	if (*pos >= len)
		return MRT_END;
	c = cur_make(buf + *pos, len - *pos);
	memset(r, 0, sizeof(*r));
	r->offset = *pos;
	if (!cur_get_u32(&c, &r->ts) || !cur_get_u16(&c, &r->type) ||
	    !cur_get_u16(&c, &r->subtype) || !cur_get_u32(&c, &r->len) ||
	    !cur_get_view(&c, &r->data, r->len))
		return MRT_TRUNCATED;
	*pos += MRT_HEADER_LEN + r->len;
	/* RFC 6396 3: the _ET types carry microseconds first; the length
	 * counts them. */
	if (r->type == MRT_BGP4MP_ET) {
		struct cursor e = cur_make(r->data, r->len);

		if (!cur_get_u32(&e, &r->usec))
			return MRT_MALFORMED;
		r->data += 4;
		r->len -= 4;
	}
	return MRT_OK;
}

/* RFC 6396 B.2.1: peer AS, peer IPv4, then either local AS, local IPv4
 * and a BGP message without its 19-octet header, or two FSM states. */
static enum mrt_status
legacy_parse(const struct mrt_record *r, struct mrt_bgp4mp *m)
{
	struct cursor c = cur_make(r->data, r->len);
	uint16_t pas, las;

	m->afi = BGP_AFI_IPV4;
	if (!cur_get_u16(&c, &pas) || !cur_get_bytes(&c, m->peer_ip, 4))
		return MRT_MALFORMED;
	m->peer_as = pas;
	if (r->subtype == MRT_BGP_STATE_CHANGE) {
		m->is_state_change = true;
		if (!cur_get_u16(&c, &m->old_state) ||
		    !cur_get_u16(&c, &m->new_state))
			return MRT_MALFORMED;
		return MRT_OK;
	}
	switch (r->subtype) {
	case MRT_BGP_UPDATE: m->body_type = BGP_MSG_UPDATE; break;
	case MRT_BGP_OPEN: m->body_type = BGP_MSG_OPEN; break;
	case MRT_BGP_NOTIFY: m->body_type = BGP_MSG_NOTIFICATION; break;
	case MRT_BGP_KEEPALIVE: m->body_type = BGP_MSG_KEEPALIVE; break;
	default: return MRT_MALFORMED;
	}
	if (!cur_get_u16(&c, &las) || !cur_get_bytes(&c, m->local_ip, 4))
		return MRT_MALFORMED;
	m->local_as = las;
	m->msg = c.p;
	m->msg_len = cur_left(&c);
	return MRT_OK;
}

const uint8_t *
mrt_bgp4mp_message(const struct mrt_bgp4mp *m,
    uint8_t scratch[BGP_MAX_EXT_MSG_LEN], size_t *len)
{
	size_t total;

	if (m->is_state_change)
		return NULL;
	if (m->body_type == 0) {
		*len = m->msg_len;
		return m->msg;
	}
	total = BGP_HEADER_LEN + m->msg_len;
	if (total > BGP_MAX_EXT_MSG_LEN)
		return NULL;
	bgp_header_put(scratch, m->body_type, (uint16_t)total);
	if (m->msg_len > 0)
		memcpy(scratch + BGP_HEADER_LEN, m->msg, m->msg_len);
	*len = total;
	return scratch;
}

enum mrt_status
mrt_bgp4mp_parse(const struct mrt_record *r, struct mrt_bgp4mp *m)
{
	struct cursor c = cur_make(r->data, r->len);
	bool as4, state = false;
	size_t iplen;

	memset(m, 0, sizeof(*m));
	m->subtype = r->subtype;
	if (r->type == MRT_BGP)
		return legacy_parse(r, m);
	if (r->type != MRT_BGP4MP && r->type != MRT_BGP4MP_ET)
		return MRT_MALFORMED;
	switch (r->subtype) {
	case MRT_BGP4MP_STATE_CHANGE:
		state = true;
		/* FALLTHROUGH */
	case MRT_BGP4MP_MESSAGE:
	case MRT_BGP4MP_MESSAGE_LOCAL:
	case MRT_BGP4MP_MESSAGE_ADDPATH:
	case MRT_BGP4MP_MESSAGE_LOCAL_ADDPATH:
		as4 = false;
		break;
	case MRT_BGP4MP_STATE_CHANGE_AS4:
		state = true;
		/* FALLTHROUGH */
	case MRT_BGP4MP_MESSAGE_AS4:
	case MRT_BGP4MP_MESSAGE_AS4_LOCAL:
	case MRT_BGP4MP_MESSAGE_AS4_ADDPATH:
	case MRT_BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH:
		as4 = true;
		break;
	default:
		return MRT_MALFORMED;
	}
	if (as4) {
		if (!cur_get_u32(&c, &m->peer_as) ||
		    !cur_get_u32(&c, &m->local_as))
			return MRT_MALFORMED;
	} else {
		uint16_t p, l;

		if (!cur_get_u16(&c, &p) || !cur_get_u16(&c, &l))
			return MRT_MALFORMED;
		m->peer_as = p;
		m->local_as = l;
	}
	/* Zebra of 2000 (RIS rrc01) wrote short records: no interface,
	 * AFI or addresses, the states or the message right after the AS
	 * numbers. The peer is then unknown (0.0.0.0). */
	if (!as4 && ((state && cur_left(&c) == 4) || (!state &&
	    cur_left(&c) >= BGP_HEADER_LEN && memcmp(c.p,
	    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
	    16) == 0))) {
		m->afi = BGP_AFI_IPV4;
		m->zebra_short = true;
		goto body;
	}
	if (!cur_get_u16(&c, &m->ifindex) || !cur_get_u16(&c, &m->afi))
		return MRT_MALFORMED;
	if (m->afi == BGP_AFI_IPV4)
		iplen = 4;
	else if (m->afi == BGP_AFI_IPV6)
		iplen = 16;
	else
		return MRT_MALFORMED;
	if (!cur_get_bytes(&c, m->peer_ip, iplen) ||
	    !cur_get_bytes(&c, m->local_ip, iplen))
		return MRT_MALFORMED;
body:
	m->is_state_change = state;
	if (state) {
		if (!cur_get_u16(&c, &m->old_state) ||
		    !cur_get_u16(&c, &m->new_state))
			return MRT_MALFORMED;
		return MRT_OK;
	}
	m->local = r->subtype == MRT_BGP4MP_MESSAGE_LOCAL ||
	    r->subtype == MRT_BGP4MP_MESSAGE_AS4_LOCAL ||
	    r->subtype == MRT_BGP4MP_MESSAGE_LOCAL_ADDPATH ||
	    r->subtype == MRT_BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH;
	m->session.as4 = as4;
	/* A collector may have negotiated extended messages; the record
	 * length bounds the message either way. */
	m->session.ext_msg = true;
	if (r->subtype >= MRT_BGP4MP_MESSAGE_ADDPATH)
		m->session.addpath_rx = BGP_ADDPATH_ALL;
	m->msg = c.p;
	m->msg_len = cur_left(&c);
	return MRT_OK;
}
