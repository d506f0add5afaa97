/* Renderings of route elements: JSON for tools, and bgpdump's one-line
 * formats for everyone who has scripts around bgpdump. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/json_out.h"
#include "util/strbuf.h"
#include "wire/mrt.h"

static const char *const elem_names[] = { "rib", "announce", "withdraw",
    "state" };

static const char *
peer_ip_str(const struct mrt_peer *p, char *buf, size_t len)
{
	return inet_ntop(p->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, p->ip,
	    buf, (socklen_t)len);
}

void
mrt_elem_json(const struct mrt_elem *e, struct strbuf *out)
{
	char buf[BGP_PREFIX_STRLEN];
	struct jw j;

	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_kstr(&j, "type", elem_names[e->type]);
	jw_key(&j, "timestamp");
	if (e->usec != 0) {
		char ts[32];

		snprintf(ts, sizeof(ts), "%u.%06u", e->ts, e->usec);
		jw_raw(&j, ts);
	} else {
		jw_u64(&j, e->ts);
	}
	jw_kstr(&j, "peer_ip", peer_ip_str(e->peer, buf, sizeof(buf)));
	jw_ku64(&j, "peer_asn", e->peer->asn);
	if (e->type == MRT_ELEM_STATE) {
		jw_ku64(&j, "old_state", e->old_state);
		jw_ku64(&j, "new_state", e->new_state);
	} else {
		struct bgp_prefix p = e->prefix;

		p.has_path_id = 0;
		jw_kstr(&j, "prefix", bgp_prefix_str(&p, buf, sizeof(buf)));
		if (e->prefix.has_path_id)
			jw_ku64(&j, "path_id", e->prefix.path_id);
		if (e->attrs != NULL && e->type != MRT_ELEM_WITHDRAW)
			bgp_attrs_json_fields(&j, e->attrs, e->nexthop,
			    e->nexthop_len);
		if (e->action != BGP_ACT_NONE)
			jw_kstr(&j, "rfc7606",
			    bgp_action_name((enum bgp_action)e->action));
	}
	jw_obj_end(&j);
	sb_putc(out, '\n');
}

/* bgpdump's AS path: sequences space-separated, sets as {a,b}. At most
 * `hops` hops are printed (a set counts one, confederation segments
 * none); returns whether anything was. */
static bool
bgpdump_segs(const struct bgp_aspath *p, unsigned hops, bool sep,
    struct strbuf *out)
{
	for (unsigned i = 0; i < p->nsegs && hops > 0; i++) {
		const struct bgp_asseg *s = &p->segs[i];
		bool set = s->type == BGP_AS_SET || s->type == BGP_AS_CONFED_SET;
		unsigned n = s->count;

		if (s->type == BGP_AS_SEQUENCE && n > hops)
			n = hops;
		if (s->type == BGP_AS_SEQUENCE)
			hops -= n;
		else if (s->type == BGP_AS_SET)
			hops--;
		if (sep)
			sb_putc(out, ' ');
		sep = true;
		if (set)
			sb_putc(out, '{');
		else if (s->type == BGP_AS_CONFED_SEQUENCE)
			sb_putc(out, '(');
		for (unsigned k = 0; k < n; k++) {
			if (k > 0)
				sb_putc(out, set ? ',' : ' ');
			sb_u32(out, s->asn[k]);
		}
		if (set)
			sb_putc(out, '}');
		else if (s->type == BGP_AS_CONFED_SEQUENCE)
			sb_putc(out, ')');
	}
	return sep;
}

/* bgpdump merges AS4_PATH into a 2-octet AS_PATH (RFC 6793 4.2.3) even
 * when AGGREGATOR names a real 2-octet AS, where the RFC ignores
 * AS4_PATH: the path it prints is that merge. */
static void
bgpdump_aspath(const struct bgp_attrs *a, struct strbuf *out)
{
	unsigned h2, h4;

	if (!bgp_attrs_has(a, BGP_ATTR_AS4_PATH)) {
		bgpdump_segs(&a->path, ~0u, false, out);
		return;
	}
	h2 = bgp_aspath_hops(&a->as_path);
	h4 = bgp_aspath_hops(&a->as4_path);
	if (h2 < h4) {
		bgpdump_segs(&a->as_path, ~0u, false, out);
		return;
	}
	bgpdump_segs(&a->as4_path, ~0u,
	    bgpdump_segs(&a->as_path, h2 - h4, false, out), out);
}

static void
bgpdump_communities(const struct bgp_attrs *a, struct strbuf *out)
{
	for (unsigned i = 0; i < a->n_communities; i++) {
		uint32_t c = bgp_community_at(a, i);

		if (i > 0)
			sb_putc(out, ' ');
		switch (c) {	/* RFC 1997 well-known communities */
		case 0xffffff01: sb_puts(out, "no-export"); break;
		case 0xffffff02: sb_puts(out, "no-advertise"); break;
		case 0xffffff03: sb_puts(out, "local-AS"); break;
		default:
			sb_u32(out, c >> 16);
			sb_putc(out, ':');
			sb_u32(out, c & 0xffff);
		}
	}
}

static const char *
bgpdump_type(const struct mrt_elem *e)
{
	switch (e->mrt_type) {
	case MRT_TABLE_DUMP: return "TABLE_DUMP";
	case MRT_TABLE_DUMP_V2:
		return e->mrt_subtype >= MRT_V2_RIB_IPV4_UNICAST_ADDPATH ?
		    "TABLE_DUMP2_AP" : "TABLE_DUMP2";
	case MRT_BGP4MP: return "BGP4MP";
	case MRT_BGP4MP_ET: return "BGP4MP_ET";
	case MRT_BGP: return "BGP";
	}
	return "UNKNOWN";
}

static void
bgpdump_time(const struct mrt_elem *e, enum mrt_format fmt,
    struct strbuf *out)
{
	if (fmt == MRT_FMT_BIG_M) {
		time_t t = (time_t)e->ts;
		struct tm tm;
		char buf[32];

		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%m/%d/%y %H:%M:%S", &tm);
		sb_puts(out, buf);
	} else {
		sb_u32(out, e->ts);
	}
	if (e->mrt_type == MRT_BGP4MP_ET)
		sb_printf(out, ".%06u", e->usec);
}

static void
bgpdump_ip4(const uint8_t *a, struct strbuf *out)
{
	sb_ipv4(out, a);
}

/* bgpdump formats IPv6 itself: IPv4-mapped and IPv4-compatible (above
 * ::1) addresses end in dotted quad, and the longest run of zero groups,
 * even a single one (unlike RFC 5952), becomes "::", the first on a tie. */
static void
bgpdump_ip6(const uint8_t *a, struct strbuf *out)
{
	static const char hex[] = "0123456789abcdef";
	static const uint8_t zero[12];
	unsigned g[8], best = 0, blen = 0;

	if (memcmp(a, zero, 10) == 0 && a[10] == 0xff && a[11] == 0xff) {
		sb_puts(out, "::ffff:");
		bgpdump_ip4(a + 12, out);
		return;
	}
	if (memcmp(a, zero, 12) == 0 && (a[12] | a[13] | a[14] ||
	    a[15] > 1)) {
		sb_puts(out, "::");
		bgpdump_ip4(a + 12, out);
		return;
	}
	for (unsigned i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (unsigned i = 0; i < 8; i++) {
		unsigned n = 0;

		while (i + n < 8 && g[i + n] == 0)
			n++;
		if (n > blen) {
			best = i;
			blen = n;
		}
		i += n;
	}
	for (unsigned i = 0; i < 8; i++) {
		char buf[4];
		int k = 0;

		if (blen > 0 && i == best) {
			sb_puts(out, "::");
			i += blen - 1;
			continue;
		}
		if (i > 0 && !(blen > 0 && i == best + blen))
			sb_putc(out, ':');
		if (g[i] == 0) {
			sb_putc(out, '0');
			continue;
		}
		for (int sh = 12; sh >= 0; sh -= 4)
			if (k > 0 || (g[i] >> sh) & 15)
				buf[k++] = hex[(g[i] >> sh) & 15];
		sb_putn(out, buf, (size_t)k);
	}
}

static void
bgpdump_addr(uint8_t afi, const uint8_t *a, struct strbuf *out)
{
	if (afi == BGP_AFI_IPV6)
		bgpdump_ip6(a, out);
	else
		bgpdump_ip4(a, out);
}

/* The next hop: IPv4, or the global IPv6 address (behind a route
 * distinguisher for VPN families); false if there is none to show. */
static bool
bgpdump_nexthop(const struct mrt_elem *e, struct strbuf *out)
{
	const uint8_t *addr, *ll;
	uint16_t afi = bgp_nexthop_addrs(e->nexthop, e->nexthop_len, &addr,
	    &ll);

	if (afi == 0)
		return false;
	bgpdump_addr((uint8_t)afi, addr, out);
	return true;
}

static void	bgpdump_tail(const struct mrt_elem *e, enum mrt_format fmt,
		    struct strbuf *out);

void
mrt_elem_bgpdump(const struct mrt_elem *e, enum mrt_format fmt,
    struct strbuf *out)
{
	mrt_elem_bgpdump_cached(e, fmt, out, NULL);
}

void
mrt_bgpdump_cache_free(struct mrt_bgpdump_cache *c)
{
	sb_free(&c->tail);
	c->valid = false;
}

void
mrt_elem_bgpdump_cached(const struct mrt_elem *e, enum mrt_format fmt,
    struct strbuf *out, struct mrt_bgpdump_cache *c)
{
	static const char *const kinds[] = { "|B|", "|A|", "|W|", "|STATE|" };
	const struct bgp_attrs *a = e->attrs;
	const uint8_t *addr = e->prefix.addr;
	size_t tail;

	sb_puts(out, bgpdump_type(e));
	sb_putc(out, '|');
	bgpdump_time(e, fmt, out);
	sb_puts(out, kinds[e->type]);
	bgpdump_addr(e->peer->afi, e->peer->ip, out);
	sb_putc(out, '|');
	sb_u32(out, e->peer->asn);
	sb_putc(out, '|');
	if (e->type == MRT_ELEM_STATE) {
		sb_u32(out, e->old_state);
		sb_putc(out, '|');
		sb_u32(out, e->new_state);
		sb_putc(out, '\n');
		return;
	}
	/* bgpdump 1.6.2 prints the peer's address in place of the prefix's
	 * for withdrawals of the deprecated BGP type (1999-2001 files). */
	if (e->mrt_type == MRT_BGP && e->type == MRT_ELEM_WITHDRAW &&
	    e->peer->afi == BGP_AFI_IPV4)
		addr = e->peer->ip;
	bgpdump_addr(e->prefix.afi, addr, out);
	sb_putc(out, '/');
	sb_u32(out, e->prefix.len);
	if (e->type == MRT_ELEM_WITHDRAW || a == NULL) {
		sb_putc(out, '\n');
		return;
	}
	if (e->prefix.has_path_id) {
		sb_putc(out, '|');
		sb_u32(out, e->prefix.path_id);
	}
	if (c != NULL && c->valid && c->offset == e->offset &&
	    c->nexthop == e->nexthop && c->afi == e->prefix.afi &&
	    c->fmt == fmt && e->type == MRT_ELEM_ANNOUNCE) {
		sb_putn(out, c->tail.s, c->tail.len);
		return;
	}
	tail = out->len;

	bgpdump_tail(e, fmt, out);
	if (c != NULL && e->type == MRT_ELEM_ANNOUNCE) {
		sb_reset(&c->tail);
		sb_putn(&c->tail, out->s + tail, out->len - tail);
		c->valid = !c->tail.oom;
		c->offset = e->offset;
		c->nexthop = e->nexthop;
		c->afi = e->prefix.afi;
		c->fmt = (uint8_t)fmt;
	}
}

/* The columns after the prefix: the attributes. */
static void
bgpdump_tail(const struct mrt_elem *e, enum mrt_format fmt,
    struct strbuf *out)
{
	static const char *const origins[] = { "IGP", "EGP", "INCOMPLETE" };
	const struct bgp_attrs *a = e->attrs;

	sb_putc(out, '|');
	bgpdump_aspath(a, out);
	/* bgpdump shows a missing ORIGIN as INCOMPLETE and a missing IPv4
	 * next hop as 255.255.255.255 (its defaults). */
	sb_putc(out, '|');
	sb_puts(out, origins[bgp_attrs_has(a, BGP_ATTR_ORIGIN) ?
	    a->origin : BGP_ORIGIN_INCOMPLETE]);
	if (fmt == MRT_FMT_BIG_M) {	/* -M stops after the origin */
		sb_putc(out, '\n');
		return;
	}
	sb_putc(out, '|');
	if (!bgpdump_nexthop(e, out) && e->prefix.afi == BGP_AFI_IPV4)
		sb_puts(out, "255.255.255.255");
	sb_putc(out, '|');
	sb_u32(out, bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF) ? a->local_pref : 0);
	sb_putc(out, '|');
	sb_u32(out, bgp_attrs_has(a, BGP_ATTR_MED) ? a->med : 0);
	sb_putc(out, '|');
	/* the deprecated BGP type's lines have no communities column */
	if (e->mrt_type != MRT_BGP) {
		bgpdump_communities(a, out);
		sb_putc(out, '|');
	}
	sb_puts(out, bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE) ? "AG|" :
	    "NAG|");
	/* bgpdump takes an aggregator address of 255.255.255.255 (its
	 * "none") for no aggregator */
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR) &&
	    memcmp(a->aggregator.addr, "\xff\xff\xff\xff", 4) != 0) {
		sb_u32(out, a->aggregator.asn);
		sb_putc(out, ' ');
		bgpdump_ip4(a->aggregator.addr, out);
	}
	sb_puts(out, "|\n");
}
