/* UPDATE messages: RFC 4271 4.3, with RFC 7606 error handling. */
#include <string.h>

#include "util/arena.h"
#include "util/bwriter.h"
#include "util/cursor.h"
#include "wire/bgp.h"
#include "wire/bgp_private.h"

/* Offsets in problems count from the start of the message. */
#define BODY_OFF(c, start) ((uint32_t)((c)->p - (start)) + BGP_HEADER_LEN)

/* RFC 7606 3.d: the well-known mandatory attributes must be there when
 * the UPDATE carries reachable NLRI; NEXT_HOP only for the NLRI field
 * (RFC 4760 reclassified it). */
static void
update_check_mandatory(const struct bgp_update *u, struct bgp_problems *pr)
{
	const struct bgp_attrs *a = &u->attrs;
	bool mp_nlri = bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI) &&
	    (a->mp_reach.n_nlri > 0 || a->mp_reach.nlri_raw_len > 0);

	if (u->n_nlri == 0 && !mp_nlri)
		return;
	if (!bgp_attrs_has(a, BGP_ATTR_ORIGIN))
		bgp_problem_add(pr, BGP_R_MISSING_ORIGIN, BGP_ATTR_ORIGIN, 0);
	if (!bgp_attrs_has(a, BGP_ATTR_AS_PATH))
		bgp_problem_add(pr, BGP_R_MISSING_AS_PATH, BGP_ATTR_AS_PATH, 0);
	if (u->n_nlri > 0 && !bgp_attrs_has(a, BGP_ATTR_NEXT_HOP))
		bgp_problem_add(pr, BGP_R_MISSING_NEXT_HOP, BGP_ATTR_NEXT_HOP,
		    0);
}

enum bgp_action
bgp_update_decode(struct cursor *c, const struct bgp_session *s,
    struct arena *a, struct bgp_update *u, struct bgp_problems *pr)
{
	const uint8_t *start = c->p;
	bool ap4 = bgp_session_addpath(s, BGP_FAM_IPV4_UNICAST);
	struct cursor wd, at;
	uint16_t wlen, alen;
	uint32_t aoff;
	enum bgp_reason r;

	memset(u, 0, sizeof(*u));
	/* RFC 4271 6.3 and RFC 7606 5.3: if the lengths do not add up, the
	 * NLRI cannot be located and nothing can be withdrawn reliably. */
	if (!cur_get_u16(c, &wlen) || !cur_sub(c, &wd, wlen))
		return bgp_problem_add(pr, BGP_R_WITHDRAWN_LEN, 0,
		    BGP_HEADER_LEN);
	r = bgp_prefixes_parse(wd.p, wlen, BGP_AFI_IPV4, ap4, s->salvage, a,
	    &u->withdrawn, &u->n_withdrawn, BGP_R_WITHDRAWN_SYNTAX);
	if (r != BGP_R_NONE) {
		bgp_problem_add(pr, r, 0, BGP_HEADER_LEN + 2);
		if (!s->salvage || r == BGP_R_OUT_OF_MEMORY)
			return (enum bgp_action)pr->action;
	}
	if (!cur_get_u16(c, &alen) || !cur_sub(c, &at, alen))
		return bgp_problem_add(pr, BGP_R_ATTR_TOTAL_LEN, 0,
		    BODY_OFF(c, start));
	aoff = BGP_HEADER_LEN + 4 + wlen;
	r = bgp_prefixes_parse(c->p, cur_left(c), BGP_AFI_IPV4, ap4,
	    s->salvage, a, &u->nlri, &u->n_nlri, BGP_R_NLRI_SYNTAX);
	if (r != BGP_R_NONE) {
		bgp_problem_add(pr, r, 0, aoff + alen);
		if (!s->salvage || r == BGP_R_OUT_OF_MEMORY)
			return (enum bgp_action)pr->action;
	}
	bgp_attrs_decode(at.p, alen, s, a, aoff, &u->attrs, pr);
	update_check_mandatory(u, pr);
	c->p = c->end;
	return (enum bgp_action)pr->action;
}

bool
bgp_update_encode(const struct bgp_update *u, const struct bgp_session *s,
    struct bwriter *w)
{
	bool ap4 = bgp_session_addpath(s, BGP_FAM_IPV4_UNICAST);
	size_t lenpos;

	lenpos = w->len;
	bw_put_u16(w, 0);
	bgp_prefixes_encode(u->withdrawn, u->n_withdrawn, ap4, w);
	if (!bw_ok(w) || w->len - lenpos - 2 > 0xffff)
		return false;
	bw_patch_u16(w, lenpos, (uint16_t)(w->len - lenpos - 2));
	lenpos = w->len;
	bw_put_u16(w, 0);
	bgp_attrs_encode(&u->attrs, s, w);
	if (!bw_ok(w) || w->len - lenpos - 2 > 0xffff)
		return false;
	bw_patch_u16(w, lenpos, (uint16_t)(w->len - lenpos - 2));
	bgp_prefixes_encode(u->nlri, u->n_nlri, ap4, w);
	return bw_ok(w);
}

/* RFC 4724 2: an UPDATE with nothing in it is the IPv4 unicast
 * End-of-RIB; one with only an empty MP_UNREACH_NLRI is the marker for
 * that attribute's family. */
bool
bgp_update_is_eor(const struct bgp_update *u, uint16_t *afi, uint8_t *safi)
{
	const struct bgp_attrs *a = &u->attrs;

	unsigned n = 0;

	if (u->n_withdrawn != 0 || u->n_nlri != 0)
		return false;
	for (unsigned i = 0; i < 4; i++)
		n += (unsigned)__builtin_popcountll(a->present[i]);
	if (a->ent != NULL)
		n = a->n_ent;
	if (n == 0) {
		*afi = BGP_AFI_IPV4;
		*safi = BGP_SAFI_UNICAST;
		return true;
	}
	if (n == 1 && bgp_attrs_has(a, BGP_ATTR_MP_UNREACH_NLRI) &&
	    a->mp_unreach.nlri_raw_len == 0) {
		*afi = a->mp_unreach.afi;
		*safi = a->mp_unreach.safi;
		return true;
	}
	return false;
}
