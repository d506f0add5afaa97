/* OPEN messages and capabilities: RFC 4271 4.2, RFC 5492, RFC 9072. */
#include <string.h>

#include "util/arena.h"
#include "util/bwriter.h"
#include "util/cursor.h"
#include "wire/bgp.h"
#include "wire/bgp_private.h"

#define PARAM_CAPABILITIES	2
#define PARAM_EXTENDED		255	/* RFC 9072 */

static struct bgp_cap_fam *
cap_fams(struct arena *a, struct bgp_cap *cap, size_t n)
{
	cap->n_fams = (uint16_t)n;
	cap->fams = n ? arena_calloc(a, n, sizeof(*cap->fams)) : NULL;
	return cap->fams;
}

/* Reads n entries of AFI (2), SAFI (1), flags (1) and, with_time, a
 * 24-bit time (ADD-PATH, graceful restart, LLGR). */
static void
fams_read(struct cursor *c, struct bgp_cap_fam *f, size_t n, bool with_time)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t safi = 0;

		cur_get_u16(c, &f[i].afi);
		cur_get_u8(c, &safi);
		cur_get_u8(c, &f[i].flags);
		if (with_time)
			cur_get_u24(c, &f[i].time);
		f[i].safi = safi;
	}
}

/* Decodes the value of a capability we know. Returns false if its length
 * is wrong for the code; the raw bytes are kept either way. */
static bool
cap_decode(struct arena *a, struct bgp_cap *cap)
{
	struct cursor c = cur_make(cap->data, cap->len);
	struct bgp_cap_fam *f;
	size_t n;

	switch (cap->code) {
	case BGP_CAP_MP:
		if (cap->len != 4 || (f = cap_fams(a, cap, 1)) == NULL)
			return false;
		cur_get_u16(&c, &f->afi);
		cur_get_u8(&c, &cap->mp_reserved);
		f->safi = c.p[0];
		return true;
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_EXT_MESSAGE:
	case BGP_CAP_ENHANCED_RR:
	case BGP_CAP_ROUTE_REFRESH_OLD:
		return cap->len == 0;
	case BGP_CAP_AS4:
		return cap->len == 4 && cur_get_u32(&c, &cap->asn);
	case BGP_CAP_ROLE:
		return cap->len == 1 && cur_get_u8(&c, &cap->role);
	case BGP_CAP_ADDPATH:
		if (cap->len % 4 != 0)
			return false;
		n = cap->len / 4u;
		if ((f = cap_fams(a, cap, n)) == NULL && n > 0)
			return false;
		fams_read(&c, f, n, false);
		return true;
	case BGP_CAP_GRACEFUL_RESTART:
		if (cap->len < 2 || (cap->len - 2) % 4 != 0)
			return false;
		cur_get_u16(&c, &cap->gr_flags_time);
		n = (cap->len - 2u) / 4u;
		if ((f = cap_fams(a, cap, n)) == NULL && n > 0)
			return false;
		fams_read(&c, f, n, false);
		return true;
	case BGP_CAP_LLGR:
		if (cap->len % 7 != 0)
			return false;
		n = cap->len / 7u;
		if ((f = cap_fams(a, cap, n)) == NULL && n > 0)
			return false;
		fams_read(&c, f, n, true);
		return true;
	case BGP_CAP_EXT_NEXTHOP:
		if (cap->len % 6 != 0)
			return false;
		n = cap->len / 6u;
		if ((f = cap_fams(a, cap, n)) == NULL && n > 0)
			return false;
		for (size_t i = 0; i < n; i++) {
			cur_get_u16(&c, &f[i].afi);
			cur_get_u16(&c, &f[i].safi);
			cur_get_u16(&c, &f[i].nh_afi);
		}
		return true;
	case BGP_CAP_FQDN:
		return cur_get_u8(&c, &cap->host_len) &&
		    cur_get_view(&c, &cap->host, cap->host_len) &&
		    cur_get_u8(&c, &cap->domain_len) &&
		    cur_get_view(&c, &cap->domain, cap->domain_len) &&
		    cur_left(&c) == 0;
	}
	return true;	/* unknown: kept as bytes */
}

static bool
cap_known(uint8_t code)
{
	return bgp_cap_name(code) != NULL && code != BGP_CAP_ORF;
}

/* Splits one Capabilities parameter into capabilities (RFC 5492 4). */
static bool
caps_parse(struct cursor *pc, struct arena *a, struct bgp_open *o,
    size_t max_caps, uint16_t param)
{
	while (cur_left(pc) > 0) {
		struct bgp_cap *cap;

		if (o->n_caps >= max_caps)
			return false;
		cap = &o->caps[o->n_caps];
		memset(cap, 0, sizeof(*cap));
		if (!cur_get_u8(pc, &cap->code) || !cur_get_u8(pc, &cap->len) ||
		    !cur_get_view(pc, &cap->data, cap->len))
			return false;
		cap->param = param;
		if (cap_known(cap->code))
			cap->malformed = !cap_decode(a, cap);
		o->n_caps++;
	}
	return true;
}

enum bgp_action
bgp_open_decode(struct cursor *c, struct arena *a, struct bgp_open *o,
    struct bgp_problems *pr)
{
	struct cursor params;
	uint8_t optlen8;
	uint16_t optlen;
	size_t max;

	memset(o, 0, sizeof(*o));
	if (!cur_get_u8(c, &o->version) || !cur_get_u16(c, &o->my_as) ||
	    !cur_get_u16(c, &o->hold_time) || !cur_get_u32(c, &o->bgp_id) ||
	    !cur_get_u8(c, &optlen8))
		return bgp_problem_add(pr, BGP_R_OPEN_SHORT, 0, BGP_HEADER_LEN);
	o->asn = o->my_as;
	optlen = optlen8;
	/* RFC 9072 2: 255 followed by type 255 announces 2-octet lengths. */
	if (optlen8 == 255 && cur_left(c) > 0 && c->p[0] == PARAM_EXTENDED) {
		cur_skip(c, 1);
		if (!cur_get_u16(c, &optlen))
			return bgp_problem_add(pr, BGP_R_OPEN_PARAMS, 0, 29);
		o->ext_params = true;
	}
	if (cur_left(c) != optlen)
		return bgp_problem_add(pr, BGP_R_OPEN_PARAMS, 0, 28);
	cur_sub(c, &params, optlen);

	max = optlen / 2u + 1;
	o->params = arena_alloc(a, max * sizeof(*o->params));
	o->caps = arena_alloc(a, max * sizeof(*o->caps));
	if (o->params == NULL || o->caps == NULL)
		return bgp_problem_add(pr, BGP_R_OUT_OF_MEMORY, 0, 28);
	while (cur_left(&params) > 0) {
		struct bgp_open_param *p = &o->params[o->n_params];
		struct cursor pc;
		uint8_t len8;

		memset(p, 0, sizeof(*p));
		if (!cur_get_u8(&params, &p->type))
			break;
		if (o->ext_params) {
			if (!cur_get_u16(&params, &p->len))
				return bgp_problem_add(pr, BGP_R_OPEN_PARAMS,
				    0, 29);
		} else {
			if (!cur_get_u8(&params, &len8))
				return bgp_problem_add(pr, BGP_R_OPEN_PARAMS,
				    0, 29);
			p->len = len8;
		}
		if (!cur_sub(&params, &pc, p->len))
			return bgp_problem_add(pr, BGP_R_OPEN_PARAMS, 0, 29);
		p->data = pc.p;
		p->first_cap = o->n_caps;
		if (p->type == PARAM_CAPABILITIES &&
		    !caps_parse(&pc, a, o, max, o->n_params))
			return bgp_problem_add(pr, BGP_R_OPEN_PARAMS, 0, 29);
		p->n_caps = (uint16_t)(o->n_caps - p->first_cap);
		o->n_params++;
	}

	if (o->version != 4)
		bgp_problem_add(pr, BGP_R_OPEN_VERSION, 0, BGP_HEADER_LEN);
	if (o->hold_time == 1 || o->hold_time == 2)
		bgp_problem_add(pr, BGP_R_OPEN_HOLD_TIME, 0, 22);
	if (o->bgp_id == 0)
		bgp_problem_add(pr, BGP_R_OPEN_BGP_ID, 0, 24);
	for (unsigned i = 0; i < o->n_caps; i++)
		if (o->caps[i].code == BGP_CAP_AS4 && !o->caps[i].malformed) {
			o->asn = o->caps[i].asn;
			break;
		}
	return (enum bgp_action)pr->action;
}

const struct bgp_cap *
bgp_open_cap(const struct bgp_open *o, uint8_t code)
{
	for (unsigned i = 0; i < o->n_caps; i++)
		if (o->caps[i].code == code)
			return &o->caps[i];
	return NULL;
}

static void
cap_encode_value(const struct bgp_cap *cap, struct bwriter *w)
{
	const struct bgp_cap_fam *f = cap->fams;

	if (cap->malformed || !cap_known(cap->code)) {
		bw_put_bytes(w, cap->data, cap->len);
		return;
	}
	switch (cap->code) {
	case BGP_CAP_MP:
		bw_put_u16(w, f[0].afi);
		bw_put_u8(w, cap->mp_reserved);
		bw_put_u8(w, (uint8_t)f[0].safi);
		break;
	case BGP_CAP_AS4:
		bw_put_u32(w, cap->asn);
		break;
	case BGP_CAP_ROLE:
		bw_put_u8(w, cap->role);
		break;
	case BGP_CAP_GRACEFUL_RESTART:
		bw_put_u16(w, cap->gr_flags_time);
		/* FALLTHROUGH */
	case BGP_CAP_ADDPATH:
		for (unsigned i = 0; i < cap->n_fams; i++) {
			bw_put_u16(w, f[i].afi);
			bw_put_u8(w, (uint8_t)f[i].safi);
			bw_put_u8(w, f[i].flags);
		}
		break;
	case BGP_CAP_LLGR:
		for (unsigned i = 0; i < cap->n_fams; i++) {
			bw_put_u16(w, f[i].afi);
			bw_put_u8(w, (uint8_t)f[i].safi);
			bw_put_u8(w, f[i].flags);
			bw_put_u8(w, (uint8_t)(f[i].time >> 16));
			bw_put_u16(w, (uint16_t)f[i].time);
		}
		break;
	case BGP_CAP_EXT_NEXTHOP:
		for (unsigned i = 0; i < cap->n_fams; i++) {
			bw_put_u16(w, f[i].afi);
			bw_put_u16(w, f[i].safi);
			bw_put_u16(w, f[i].nh_afi);
		}
		break;
	case BGP_CAP_FQDN:
		bw_put_u8(w, cap->host_len);
		bw_put_bytes(w, cap->host, cap->host_len);
		bw_put_u8(w, cap->domain_len);
		bw_put_bytes(w, cap->domain, cap->domain_len);
		break;
	}
}

static void
caps_encode(const struct bgp_cap *caps, unsigned n, struct bwriter *w)
{
	for (unsigned i = 0; i < n; i++) {
		size_t lenpos;

		bw_put_u8(w, caps[i].code);
		lenpos = w->len;
		bw_put_u8(w, 0);
		cap_encode_value(&caps[i], w);
		if (bw_ok(w) && w->len - lenpos - 1 > 0xff)
			w->overflow = true;
		bw_patch_u8(w, lenpos, (uint8_t)(w->len - lenpos - 1));
	}
}

/* Writes one parameter with its length (1 or 2 octets). */
static void
param_encode(const struct bgp_open *o, uint8_t type, const struct bgp_cap *caps,
    unsigned n_caps, const uint8_t *raw, uint16_t raw_len, struct bwriter *w)
{
	size_t lenpos, vlen;

	bw_put_u8(w, type);
	lenpos = w->len;
	if (o->ext_params)
		bw_put_u16(w, 0);
	else
		bw_put_u8(w, 0);
	if (type == PARAM_CAPABILITIES)
		caps_encode(caps, n_caps, w);
	else
		bw_put_bytes(w, raw, raw_len);
	if (!bw_ok(w))
		return;
	vlen = w->len - lenpos - (o->ext_params ? 2 : 1);
	if (vlen > (o->ext_params ? 0xffffu : 0xffu)) {
		w->overflow = true;
		return;
	}
	if (o->ext_params)
		bw_patch_u16(w, lenpos, (uint16_t)vlen);
	else
		bw_patch_u8(w, lenpos, (uint8_t)vlen);
}

bool
bgp_open_encode(const struct bgp_open *o, struct bwriter *w)
{
	size_t lenpos, optlen;

	bw_put_u8(w, o->version);
	bw_put_u16(w, o->my_as);
	bw_put_u16(w, o->hold_time);
	bw_put_u32(w, o->bgp_id);
	if (o->ext_params) {
		bw_put_u8(w, 255);
		bw_put_u8(w, PARAM_EXTENDED);
		lenpos = w->len;
		bw_put_u16(w, 0);
	} else {
		lenpos = w->len;
		bw_put_u8(w, 0);
	}
	if (o->params != NULL) {
		for (unsigned i = 0; i < o->n_params; i++) {
			const struct bgp_open_param *p = &o->params[i];

			param_encode(o, p->type, o->caps + p->first_cap,
			    p->n_caps, p->data, p->len, w);
		}
	} else if (o->n_caps > 0) {
		param_encode(o, PARAM_CAPABILITIES, o->caps, o->n_caps, NULL,
		    0, w);
	}
	if (!bw_ok(w))
		return false;
	optlen = w->len - lenpos - (o->ext_params ? 2 : 1);
	if (o->ext_params) {
		bw_patch_u16(w, lenpos, (uint16_t)optlen);
	} else {
		if (optlen > 0xff)
			return false;
		bw_patch_u8(w, lenpos, (uint8_t)optlen);
	}
	return true;
}

uint8_t
bgp_open_addpath(const struct bgp_open *o, uint8_t mode)
{
	uint8_t fams = 0;

	for (unsigned i = 0; i < o->n_caps; i++) {
		const struct bgp_cap *c = &o->caps[i];

		if (c->code != BGP_CAP_ADDPATH || c->malformed)
			continue;
		for (unsigned k = 0; k < c->n_fams; k++) {
			int fam = bgp_fam_of(c->fams[k].afi,
			    (uint8_t)c->fams[k].safi);

			if (fam >= 0 && (c->fams[k].flags & mode))
				fams |= (uint8_t)(1u << fam);
		}
	}
	return fams;
}

static bool
has_cap(const struct bgp_open *o, uint8_t code)
{
	const struct bgp_cap *c = bgp_open_cap(o, code);

	return c != NULL && !c->malformed;
}

void
bgp_session_negotiate(const struct bgp_open *local,
    const struct bgp_open *remote, struct bgp_session *out)
{
	memset(out, 0, sizeof(*out));
	out->as4 = has_cap(local, BGP_CAP_AS4) && has_cap(remote, BGP_CAP_AS4);
	out->ext_msg = has_cap(local, BGP_CAP_EXT_MESSAGE) &&
	    has_cap(remote, BGP_CAP_EXT_MESSAGE);
	/* RFC 7911 4: path ids arrive when the remote sends and we receive. */
	out->addpath_rx = bgp_open_addpath(remote, BGP_ADDPATH_SEND) &
	    bgp_open_addpath(local, BGP_ADDPATH_RECEIVE);
}
