/* BGP messages: the header (RFC 4271 4.1), dispatch by type, and the small
 * messages: NOTIFICATION (4.5, RFC 9003), KEEPALIVE (4.4), ROUTE-REFRESH
 * (RFC 2918, RFC 7313). */
#include <string.h>

#include "util/arena.h"
#include "util/bwriter.h"
#include "util/cursor.h"
#include "wire/bgp.h"
#include "wire/bgp_private.h"

static size_t
max_len(const struct bgp_session *s)
{
	return s->ext_msg ? BGP_MAX_EXT_MSG_LEN : BGP_MAX_MSG_LEN;
}

/* RFC 4271 6.1: the length must be within [19, max] and fit the type. */
static bool
len_fits_type(uint8_t type, uint16_t len)
{
	switch (type) {
	case BGP_MSG_OPEN: return len >= BGP_MIN_OPEN_LEN;
	case BGP_MSG_UPDATE: return len >= BGP_MIN_UPDATE_LEN;
	case BGP_MSG_NOTIFICATION: return len >= BGP_MIN_NOTIFICATION_LEN;
	case BGP_MSG_KEEPALIVE: return len == BGP_HEADER_LEN;
	case BGP_MSG_ROUTE_REFRESH: return len >= BGP_ROUTE_REFRESH_LEN;
	}
	return true;
}

static enum bgp_reason
header_check(const uint8_t *buf, const struct bgp_session *s, uint16_t *len)
{
	static const uint8_t ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	uint8_t type = buf[18];

	*len = (uint16_t)(buf[16] << 8 | buf[17]);
	if (memcmp(buf, ones, sizeof(ones)) != 0)
		return BGP_R_HDR_MARKER;
	if (*len < BGP_HEADER_LEN || *len > max_len(s))
		return BGP_R_HDR_LENGTH;
	if (type < BGP_MSG_OPEN || type > BGP_MSG_ROUTE_REFRESH)
		return BGP_R_HDR_TYPE;
	if (!len_fits_type(type, *len)) {
		switch (type) {
		case BGP_MSG_NOTIFICATION: return BGP_R_NOTIFICATION_SHORT;
		case BGP_MSG_KEEPALIVE: return BGP_R_KEEPALIVE_LEN;
		case BGP_MSG_ROUTE_REFRESH: return BGP_R_ROUTE_REFRESH_LEN;
		}
		return BGP_R_HDR_LENGTH;
	}
	return BGP_R_NONE;
}

long
bgp_msg_frame(const uint8_t *buf, size_t len, const struct bgp_session *s,
    enum bgp_reason *why)
{
	uint16_t mlen;
	enum bgp_reason r;

	if (len < BGP_HEADER_LEN)
		return 0;
	r = header_check(buf, s, &mlen);
	if (r != BGP_R_NONE) {
		*why = r;
		return -1;
	}
	return len >= mlen ? (long)mlen : 0;
}

static enum bgp_action
notification_decode(struct cursor *c, struct bgp_notification *n)
{
	memset(n, 0, sizeof(*n));
	cur_get_u8(c, &n->code);
	cur_get_u8(c, &n->subcode);
	n->data_len = (uint16_t)cur_left(c);
	cur_get_view(c, &n->data, n->data_len);
	/* RFC 9003 2: Administrative Shutdown and Reset may carry a
	 * length-prefixed UTF-8 message; a bad length just means there is
	 * none to show, not an error in the NOTIFICATION. */
	if (n->code == 6 && (n->subcode == 2 || n->subcode == 4) &&
	    n->data_len >= 1 && n->data[0] <= n->data_len - 1u) {
		n->has_shutdown_msg = true;
		n->shutdown_len = n->data[0];
		n->shutdown_msg = n->data + 1;
	}
	return BGP_ACT_NONE;
}

static enum bgp_action
route_refresh_decode(struct cursor *c, struct bgp_route_refresh *rr,
    struct bgp_problems *pr)
{
	memset(rr, 0, sizeof(*rr));
	cur_get_u16(c, &rr->afi);
	cur_get_u8(c, &rr->subtype);
	cur_get_u8(c, &rr->safi);
	rr->orf_len = (uint16_t)cur_left(c);
	cur_get_view(c, &rr->orf, rr->orf_len);
	/* RFC 7313 5: BoRR and EoRR are exactly 23 octets; a normal request
	 * may carry ORF entries (RFC 5291). */
	if ((rr->subtype == 1 || rr->subtype == 2) && rr->orf_len != 0)
		return bgp_problem_add(pr, BGP_R_ROUTE_REFRESH_LEN, 0, 16);
	return BGP_ACT_NONE;
}

enum bgp_action
bgp_msg_decode(const uint8_t *buf, size_t len, const struct bgp_session *s,
    struct arena *a, struct bgp_msg *m)
{
	struct cursor c;
	enum bgp_reason r;
	uint16_t mlen;

	m->type = 0;
	m->len = 0;
	m->prob.action = BGP_ACT_NONE;
	m->prob.n = 0;
	m->prob.total = 0;
	if (len < BGP_HEADER_LEN)
		return bgp_problem_add(&m->prob, BGP_R_HDR_LENGTH_MISMATCH, 0, 0);
	r = header_check(buf, s, &mlen);
	m->type = buf[18];
	m->len = mlen;
	if (r == BGP_R_NONE && mlen != len)
		r = BGP_R_HDR_LENGTH_MISMATCH;
	if (r != BGP_R_NONE)
		return bgp_problem_add(&m->prob, r, 0, r == BGP_R_HDR_MARKER ?
		    0 : r == BGP_R_HDR_TYPE ? 18 : 16);

	c = cur_make(buf + BGP_HEADER_LEN, mlen - BGP_HEADER_LEN);
	switch (m->type) {
	case BGP_MSG_OPEN:
		return bgp_open_decode(&c, a, &m->u.open, &m->prob);
	case BGP_MSG_UPDATE:
		return bgp_update_decode(&c, s, a, &m->u.update, &m->prob);
	case BGP_MSG_NOTIFICATION:
		return notification_decode(&c, &m->u.notification);
	case BGP_MSG_KEEPALIVE:
		return BGP_ACT_NONE;
	case BGP_MSG_ROUTE_REFRESH:
		return route_refresh_decode(&c, &m->u.route_refresh, &m->prob);
	}
	return BGP_ACT_SESSION_RESET;	/* not reached: header_check */
}

void
bgp_header_put(uint8_t out[BGP_HEADER_LEN], uint8_t type, uint16_t len)
{
	memset(out, 0xff, 16);
	out[16] = (uint8_t)(len >> 8);
	out[17] = (uint8_t)len;
	out[18] = type;
}

size_t
bgp_msg_start(struct bwriter *w, uint8_t type)
{
	size_t start = w->len;
	uint8_t hdr[BGP_HEADER_LEN];

	bgp_header_put(hdr, type, 0);	/* length patched by bgp_msg_finish */
	bw_put_bytes(w, hdr, sizeof(hdr));
	return start;
}

bool
bgp_msg_finish(struct bwriter *w, size_t start, const struct bgp_session *s)
{
	size_t len;

	if (!bw_ok(w))
		return false;
	len = w->len - start;
	if (len > max_len(s)) {
		w->len = start;
		return false;
	}
	bw_patch_u16(w, start + 16, (uint16_t)len);
	return true;
}

bool
bgp_msg_encode(const struct bgp_msg *m, const struct bgp_session *s,
    struct bwriter *w)
{
	size_t start = bgp_msg_start(w, m->type);
	const struct bgp_notification *n = &m->u.notification;
	const struct bgp_route_refresh *rr = &m->u.route_refresh;

	switch (m->type) {
	case BGP_MSG_OPEN:
		if (!bgp_open_encode(&m->u.open, w))
			return false;
		break;
	case BGP_MSG_UPDATE:
		if (!bgp_update_encode(&m->u.update, s, w))
			return false;
		break;
	case BGP_MSG_NOTIFICATION:
		bw_put_u8(w, n->code);
		bw_put_u8(w, n->subcode);
		bw_put_bytes(w, n->data, n->data_len);
		break;
	case BGP_MSG_KEEPALIVE:
		break;
	case BGP_MSG_ROUTE_REFRESH:
		bw_put_u16(w, rr->afi);
		bw_put_u8(w, rr->subtype);
		bw_put_u8(w, rr->safi);
		bw_put_bytes(w, rr->orf, rr->orf_len);
		break;
	default:
		return false;
	}
	return bgp_msg_finish(w, start, s);
}
