/* Text and JSON renderings of a decoded BGP message. Both walk the same
 * decoded struct; the text form is for people, the JSON form for tools. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "util/json_out.h"
#include "util/strbuf.h"
#include "wire/bgp.h"

/* --- small formatters shared by both renderings ---------------------------- */

static const char *
ip4_str(const uint8_t *a, char *buf, size_t len)
{
	return inet_ntop(AF_INET, a, buf, (socklen_t)len);
}

static const char *
u32_ip_str(uint32_t v, char *buf, size_t len)
{
	uint8_t a[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	return ip4_str(a, buf, len);
}

static const char *
afi_str(uint16_t afi, char *buf, size_t len)
{
	const char *n = bgp_afi_name(afi);

	if (n != NULL)
		return n;
	snprintf(buf, len, "afi-%u", afi);
	return buf;
}

static const char *
safi_str(uint8_t safi, char *buf, size_t len)
{
	const char *n = bgp_safi_name(safi);

	if (n != NULL)
		return n;
	snprintf(buf, len, "safi-%u", safi);
	return buf;
}

static const char *
origin_str(uint8_t o)
{
	static const char *const names[] = { "IGP", "EGP", "INCOMPLETE" };

	return o < 3 ? names[o] : "?";
}

static void
attr_label(uint8_t type, struct strbuf *out)
{
	const char *n = bgp_attr_name(type);

	if (n != NULL)
		sb_puts(out, n);
	else
		sb_printf(out, "ATTR_%u", type);
}

/* An MP next hop: an IPv4 or one or two IPv6 addresses, each possibly
 * behind an 8-octet route distinguisher (RFC 4364 4.3.2, RFC 4659 3.2.1),
 * or hex for anything else. */
static void
mp_nexthop_each(const struct bgp_mp_reach *r,
    void (*fn)(void *, const char *), void *arg)
{
	char buf[INET6_ADDRSTRLEN];
	const uint8_t *addr, *ll;
	struct strbuf hex;

	switch (bgp_nexthop_addrs(r->nh, r->nh_len, &addr, &ll)) {
	case BGP_AFI_IPV4:
		fn(arg, ip4_str(addr, buf, sizeof(buf)));
		return;
	case BGP_AFI_IPV6:
		fn(arg, inet_ntop(AF_INET6, addr, buf, sizeof(buf)));
		if (ll != NULL)
			fn(arg, inet_ntop(AF_INET6, ll, buf, sizeof(buf)));
		return;
	}
	if (r->nh_len == 0)
		return;
	sb_init(&hex);
	sb_hex(&hex, r->nh, r->nh_len);
	fn(arg, sb_str(&hex));
	sb_free(&hex);
}

/* RFC 4360 3 and 4: route target and route origin get their usual
 * notation; other types are shown as type:subtype:value hex. */
void
bgp_ext_community_str(uint64_t v, struct strbuf *out)
{
	uint8_t type = (uint8_t)(v >> 56), sub = (uint8_t)(v >> 48);
	const char *kind = sub == 2 ? "rt" : sub == 3 ? "soo" : NULL;
	char ip[INET_ADDRSTRLEN];

	if (kind != NULL && (type & 0xbf) == 0x00) {
		sb_printf(out, "%s:%u:%u", kind, (unsigned)(v >> 32) & 0xffff,
		    (unsigned)v);
		return;
	}
	if (kind != NULL && (type & 0xbf) == 0x01) {
		sb_printf(out, "%s:%s:%u", kind,
		    u32_ip_str((uint32_t)(v >> 16), ip, sizeof(ip)),
		    (unsigned)v & 0xffff);
		return;
	}
	if (kind != NULL && (type & 0xbf) == 0x02) {
		sb_printf(out, "%s:%u:%u", kind, (unsigned)(v >> 16),
		    (unsigned)v & 0xffff);
		return;
	}
	sb_printf(out, "0x%02x:0x%02x:%012llx", type, sub,
	    (unsigned long long)(v & 0xffffffffffffULL));
}

/* RFC 5701: type, subtype, IPv6 global administrator, 2-octet local
 * administrator; route target and route origin get their usual notation. */
static void
ipv6_ext_community_str(const uint8_t *d, struct strbuf *out)
{
	const char *kind = d[1] == 2 ? "rt" : d[1] == 3 ? "soo" : NULL;
	char ip[INET6_ADDRSTRLEN];
	unsigned local = (unsigned)d[18] << 8 | d[19];

	inet_ntop(AF_INET6, d + 2, ip, sizeof(ip));
	if (kind != NULL && (d[0] & 0xbf) == 0x00)
		sb_printf(out, "%s:[%s]:%u", kind, ip, local);
	else
		sb_printf(out, "0x%02x:0x%02x:[%s]:%u", d[0], d[1], ip, local);
}

static bool
utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		size_t k;

		if (c < 0x80)
			k = 0;
		else if ((c & 0xe0) == 0xc0 && c >= 0xc2)
			k = 1;
		else if ((c & 0xf0) == 0xe0)
			k = 2;
		else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
			k = 3;
		else
			return false;
		if (i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

/* --- text ------------------------------------------------------------------ */

static void
print_prefixes(struct strbuf *out, const char *label,
    const struct bgp_prefix *v, uint32_t n)
{
	char buf[BGP_PREFIX_STRLEN];

	if (n == 0)
		return;
	sb_printf(out, "  %s:", label);
	for (uint32_t i = 0; i < n; i++)
		sb_printf(out, " %s", bgp_prefix_str(&v[i], buf, sizeof(buf)));
	sb_putc(out, '\n');
}

static void
sb_nexthop(void *arg, const char *s)
{
	sb_printf(arg, " %s", s);
}

static void
print_attr_value(const struct bgp_attrs *a, const struct bgp_attr_ent *e,
    struct strbuf *out)
{
	char b1[16], b2[16], ip[INET6_ADDRSTRLEN];

	if (e->state != BGP_ATTR_USED) {
		sb_hex(out, e->data, e->len);
		sb_puts(out, e->state == BGP_ATTR_DISCARDED ? " (discarded)" :
		    " (not decoded)");
		return;
	}
	switch (e->type) {
	case BGP_ATTR_ORIGIN:
		sb_puts(out, origin_str(a->origin));
		break;
	case BGP_ATTR_AS_PATH:
		bgp_aspath_str(&a->as_path, out);
		break;
	case BGP_ATTR_AS4_PATH:
		bgp_aspath_str(&a->as4_path, out);
		break;
	case BGP_ATTR_NEXT_HOP:
		sb_puts(out, ip4_str(a->next_hop, ip, sizeof(ip)));
		break;
	case BGP_ATTR_MED:
		sb_printf(out, "%u", a->med);
		break;
	case BGP_ATTR_LOCAL_PREF:
		sb_printf(out, "%u", a->local_pref);
		break;
	case BGP_ATTR_ATOMIC_AGGREGATE:
		sb_puts(out, "yes");
		break;
	case BGP_ATTR_AGGREGATOR:
		sb_printf(out, "AS%u %s", a->aggregator.asn,
		    ip4_str(a->aggregator.addr, ip, sizeof(ip)));
		break;
	case BGP_ATTR_AS4_AGGREGATOR:
		sb_printf(out, "AS%u %s", a->as4_aggregator.asn,
		    ip4_str(a->as4_aggregator.addr, ip, sizeof(ip)));
		break;
	case BGP_ATTR_COMMUNITIES:
		for (unsigned i = 0; i < a->n_communities; i++) {
			uint32_t c = bgp_community_at(a, i);

			sb_printf(out, i ? " %u:%u" : "%u:%u", c >> 16,
			    c & 0xffff);
		}
		break;
	case BGP_ATTR_ORIGINATOR_ID:
		sb_puts(out, u32_ip_str(a->originator_id, ip, sizeof(ip)));
		break;
	case BGP_ATTR_CLUSTER_LIST:
		for (unsigned i = 0; i < a->n_cluster_list; i++)
			sb_printf(out, i ? " %s" : "%s", u32_ip_str(
			    bgp_cluster_id_at(a, i), ip, sizeof(ip)));
		break;
	case BGP_ATTR_MP_REACH_NLRI:
		sb_printf(out, "%s %s next-hop",
		    afi_str(a->mp_reach.afi, b1, sizeof(b1)),
		    safi_str(a->mp_reach.safi, b2, sizeof(b2)));
		mp_nexthop_each(&a->mp_reach, sb_nexthop, out);
		if (a->mp_reach.fam < 0 && a->mp_reach.nlri_raw_len > 0) {
			sb_puts(out, " nlri ");
			sb_hex(out, a->mp_reach.nlri_raw,
			    a->mp_reach.nlri_raw_len);
		}
		break;
	case BGP_ATTR_MP_UNREACH_NLRI:
		sb_printf(out, "%s %s",
		    afi_str(a->mp_unreach.afi, b1, sizeof(b1)),
		    safi_str(a->mp_unreach.safi, b2, sizeof(b2)));
		if (a->mp_unreach.fam < 0 && a->mp_unreach.nlri_raw_len > 0) {
			sb_puts(out, " withdrawn ");
			sb_hex(out, a->mp_unreach.nlri_raw,
			    a->mp_unreach.nlri_raw_len);
		}
		break;
	case BGP_ATTR_EXT_COMMUNITIES:
		for (unsigned i = 0; i < a->n_ext_communities; i++) {
			if (i)
				sb_putc(out, ' ');
			bgp_ext_community_str(bgp_ext_community_at(a, i), out);
		}
		break;
	case BGP_ATTR_LARGE_COMMUNITY:
		for (unsigned i = 0; i < a->n_large_communities; i++) {
			uint32_t l[3];

			bgp_large_community_at(a, i, l);
			sb_printf(out, i ? " %u:%u:%u" : "%u:%u:%u", l[0], l[1],
			    l[2]);
		}
		break;
	case BGP_ATTR_IPV6_EXT_COMMUNITIES:
		for (unsigned i = 0; i < a->n_ipv6_ext_communities; i++) {
			if (i)
				sb_putc(out, ' ');
			ipv6_ext_community_str(a->ipv6_ext_communities + 20 * i,
			    out);
		}
		break;
	case BGP_ATTR_OTC:
		sb_printf(out, "%u", a->otc);
		break;
	case BGP_ATTR_AIGP:
		sb_printf(out, "%llu", (unsigned long long)a->aigp);
		break;
	default:
		sb_hex(out, e->data, e->len);
	}
}

static void
print_problems(const struct bgp_problems *pr, struct strbuf *out)
{
	sb_printf(out, "  outcome: %s\n",
	    bgp_action_name((enum bgp_action)pr->action));
	for (unsigned i = 0; i < pr->n; i++) {
		const struct bgp_problem *p = &pr->p[i];
		const struct bgp_reason_info *ri = bgp_reason_info(p->reason);

		sb_printf(out, "  problem: %s: %s at offset %u",
		    bgp_action_name((enum bgp_action)p->action), ri->text,
		    p->offset);
		if (p->attr_type) {
			sb_puts(out, " (");
			attr_label(p->attr_type, out);
			sb_putc(out, ')');
		}
		sb_printf(out, " [%s, %s]\n", ri->name, ri->rfc);
	}
	if (pr->total > pr->n)
		sb_printf(out, "  problems not shown: %u\n", pr->total - pr->n);
}

static void
print_update(const struct bgp_update *u, struct strbuf *out)
{
	const struct bgp_attrs *a = &u->attrs;
	uint16_t afi;
	uint8_t safi;
	char b1[16], b2[16];

	if (bgp_update_is_eor(u, &afi, &safi))
		sb_printf(out, "  end-of-rib: %s %s\n",
		    afi_str(afi, b1, sizeof(b1)),
		    safi_str(safi, b2, sizeof(b2)));
	print_prefixes(out, "withdrawn", u->withdrawn, u->n_withdrawn);
	for (unsigned i = 0; i < a->n_ent; i++) {
		const struct bgp_attr_ent *e = &a->ent[i];

		sb_puts(out, "  ");
		attr_label(e->type, out);
		sb_printf(out, " [flags 0x%02x]: ", e->flags);
		print_attr_value(a, e, out);
		sb_putc(out, '\n');
		if (e->state != BGP_ATTR_USED)
			continue;
		if (e->type == BGP_ATTR_MP_REACH_NLRI)
			print_prefixes(out, "  mp nlri", a->mp_reach.nlri,
			    a->mp_reach.n_nlri);
		if (e->type == BGP_ATTR_MP_UNREACH_NLRI)
			print_prefixes(out, "  mp withdrawn",
			    a->mp_unreach.withdrawn, a->mp_unreach.n_withdrawn);
	}
	if (bgp_attrs_has(a, BGP_ATTR_AS4_PATH)) {
		sb_puts(out, "  effective AS path: ");
		bgp_aspath_str(&a->path, out);
		sb_putc(out, '\n');
	}
	print_prefixes(out, "nlri", u->nlri, u->n_nlri);
}

static const char *
addpath_mode_str(uint8_t m)
{
	static const char *const names[] = { "none", "receive", "send",
	    "send-receive" };

	return names[m & 3];
}

static const char *
role_str(uint8_t r)
{
	static const char *const names[] = { "provider", "route-server",
	    "route-server-client", "customer", "peer" };

	return r < 5 ? names[r] : "unknown";
}

static void
print_cap(const struct bgp_cap *c, struct strbuf *out)
{
	const char *n = bgp_cap_name(c->code);
	char b1[16], b2[16];

	if (n != NULL)
		sb_printf(out, "  capability %s (%u):", n, c->code);
	else
		sb_printf(out, "  capability %u:", c->code);
	if (c->malformed || n == NULL || c->code == BGP_CAP_ORF) {
		sb_putc(out, ' ');
		sb_hex(out, c->data, c->len);
		if (c->malformed)
			sb_puts(out, " (malformed)");
		sb_putc(out, '\n');
		return;
	}
	switch (c->code) {
	case BGP_CAP_AS4:
		sb_printf(out, " %u", c->asn);
		break;
	case BGP_CAP_ROLE:
		sb_printf(out, " %s", role_str(c->role));
		break;
	case BGP_CAP_GRACEFUL_RESTART:
		sb_printf(out, " restart-time %u%s%s", c->gr_flags_time & 0xfff,
		    c->gr_flags_time & 0x8000 ? " restarting" : "",
		    c->gr_flags_time & 0x4000 ? " notification" : "");
		break;
	case BGP_CAP_FQDN:
		sb_printf(out, " %.*s %.*s", c->host_len, c->host,
		    c->domain_len, c->domain);
		break;
	}
	for (unsigned i = 0; i < c->n_fams; i++) {
		const struct bgp_cap_fam *f = &c->fams[i];

		sb_printf(out, " %s/%s", afi_str(f->afi, b1, sizeof(b1)),
		    f->safi <= 0xff ? safi_str((uint8_t)f->safi, b2,
		    sizeof(b2)) : "?");
		if (c->code == BGP_CAP_ADDPATH)
			sb_printf(out, ":%s", addpath_mode_str(f->flags));
		if (c->code == BGP_CAP_EXT_NEXTHOP)
			sb_printf(out, ":nh-%s",
			    afi_str(f->nh_afi, b1, sizeof(b1)));
		if (c->code == BGP_CAP_LLGR)
			sb_printf(out, ":stale-%u", f->time);
	}
	sb_putc(out, '\n');
}

static void
print_shutdown(const uint8_t *s, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 0x20 && s[i] != 0x7f && s[i] != '\\')
			sb_putc(out, (char)s[i]);
		else
			sb_printf(out, "\\x%02x", s[i]);
	}
}

void
bgp_msg_print(const struct bgp_msg *m, struct strbuf *out)
{
	const char *tn = bgp_msg_type_name(m->type);
	char ip[INET_ADDRSTRLEN], b1[16], b2[16];

	if (tn != NULL)
		sb_printf(out, "%s length %u\n", tn, m->len);
	else
		sb_printf(out, "type %u length %u\n", m->type, m->len);
	/* A session reset leaves the body undecoded (or half decoded). */
	if (m->prob.action == BGP_ACT_SESSION_RESET) {
		print_problems(&m->prob, out);
		return;
	}
	switch (m->type) {
	case BGP_MSG_OPEN: {
		const struct bgp_open *o = &m->u.open;

		sb_printf(out, "  version %u my-as %u hold-time %u bgp-id %s"
		    " asn %u%s\n", o->version, o->my_as, o->hold_time,
		    u32_ip_str(o->bgp_id, ip, sizeof(ip)), o->asn,
		    o->ext_params ? " extended-parameters" : "");
		for (unsigned i = 0; i < o->n_caps; i++)
			print_cap(&o->caps[i], out);
		for (unsigned i = 0; i < o->n_params; i++) {
			if (o->params[i].type == 2)
				continue;
			sb_printf(out, "  parameter %u: ", o->params[i].type);
			sb_hex(out, o->params[i].data, o->params[i].len);
			sb_putc(out, '\n');
		}
		break;
	}
	case BGP_MSG_UPDATE:
		print_update(&m->u.update, out);
		break;
	case BGP_MSG_NOTIFICATION: {
		const struct bgp_notification *n = &m->u.notification;
		const char *cn = bgp_notification_code_name(n->code);
		const char *sn = bgp_notification_subcode_name(n->code,
		    n->subcode);

		sb_printf(out, "  %u/%u %s / %s\n", n->code, n->subcode,
		    cn ? cn : "unknown", sn ? sn : "unknown");
		if (n->has_shutdown_msg) {
			sb_puts(out, "  shutdown message: \"");
			print_shutdown(n->shutdown_msg, n->shutdown_len, out);
			sb_puts(out, "\"\n");
		} else if (n->data_len > 0) {
			sb_puts(out, "  data: ");
			sb_hex(out, n->data, n->data_len);
			sb_putc(out, '\n');
		}
		break;
	}
	case BGP_MSG_ROUTE_REFRESH: {
		const struct bgp_route_refresh *rr = &m->u.route_refresh;
		static const char *const st[] = { "normal", "begin-of-rr",
		    "end-of-rr" };

		sb_printf(out, "  %s %s %s", afi_str(rr->afi, b1, sizeof(b1)),
		    safi_str(rr->safi, b2, sizeof(b2)),
		    rr->subtype < 3 ? st[rr->subtype] : "reserved");
		if (rr->orf_len > 0) {
			sb_puts(out, " orf ");
			sb_hex(out, rr->orf, rr->orf_len);
		}
		sb_putc(out, '\n');
		break;
	}
	}
	if (m->prob.total > 0 || m->type == BGP_MSG_UPDATE)
		print_problems(&m->prob, out);
}

/* --- JSON ------------------------------------------------------------------ */

static void
json_prefixes(struct jw *j, const char *key, const struct bgp_prefix *v,
    uint32_t n)
{
	char buf[BGP_PREFIX_STRLEN];

	jw_key(j, key);
	jw_arr_begin(j);
	for (uint32_t i = 0; i < n; i++) {
		if (v[i].has_path_id) {
			struct bgp_prefix p = v[i];

			p.has_path_id = 0;
			jw_obj_begin(j);
			jw_kstr(j, "prefix", bgp_prefix_str(&p, buf,
			    sizeof(buf)));
			jw_ku64(j, "path_id", v[i].path_id);
			jw_obj_end(j);
		} else {
			jw_str(j, bgp_prefix_str(&v[i], buf, sizeof(buf)));
		}
	}
	jw_arr_end(j);
}

static void
json_family(struct jw *j, uint16_t afi, uint8_t safi)
{
	char b1[16], b2[16];

	jw_kstr(j, "afi", afi_str(afi, b1, sizeof(b1)));
	jw_kstr(j, "safi", safi_str(safi, b2, sizeof(b2)));
}

static void
json_aspath(struct jw *j, const char *key, const struct bgp_aspath *p)
{
	static const char *const segnames[] = { "", "AS_SET", "AS_SEQUENCE",
	    "AS_CONFED_SEQUENCE", "AS_CONFED_SET" };
	struct strbuf s;

	sb_init(&s);
	bgp_aspath_str(p, &s);
	jw_key(j, key);
	jw_obj_begin(j);
	jw_kstr(j, "text", sb_str(&s));
	jw_key(j, "segments");
	jw_arr_begin(j);
	for (unsigned i = 0; i < p->nsegs; i++) {
		jw_obj_begin(j);
		jw_kstr(j, "type", segnames[p->segs[i].type]);
		jw_key(j, "asns");
		jw_arr_begin(j);
		for (unsigned k = 0; k < p->segs[i].count; k++)
			jw_u64(j, p->segs[i].asn[k]);
		jw_arr_end(j);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
	sb_free(&s);
}

static void
jw_nexthop(void *arg, const char *s)
{
	jw_str(arg, s);
}

static void
json_aggregator(struct jw *j, const struct bgp_aggregator *ag)
{
	char ip[INET_ADDRSTRLEN];

	jw_key(j, "value");
	jw_obj_begin(j);
	jw_ku64(j, "asn", ag->asn);
	jw_kstr(j, "address", ip4_str(ag->addr, ip, sizeof(ip)));
	jw_obj_end(j);
}

/* Community and large community lists as JSON strings ("a:b",
 * "a:b:c"), into an open array. */
static void
json_communities(struct jw *j, const struct bgp_attrs *a, struct strbuf *s)
{
	for (unsigned i = 0; i < a->n_communities; i++) {
		uint32_t c = bgp_community_at(a, i);

		sb_reset(s);
		sb_u32(s, c >> 16);
		sb_putc(s, ':');
		sb_u32(s, c & 0xffff);
		jw_strn(j, s->s, s->len);
	}
}

static void
json_large_communities(struct jw *j, const struct bgp_attrs *a,
    struct strbuf *s)
{
	for (unsigned i = 0; i < a->n_large_communities; i++) {
		uint32_t l[3];

		bgp_large_community_at(a, i, l);
		sb_reset(s);
		sb_u32(s, l[0]);
		sb_putc(s, ':');
		sb_u32(s, l[1]);
		sb_putc(s, ':');
		sb_u32(s, l[2]);
		jw_strn(j, s->s, s->len);
	}
}

static void
json_attr_value(struct jw *j, const struct bgp_attrs *a,
    const struct bgp_attr_ent *e)
{
	char ip[INET6_ADDRSTRLEN];
	struct strbuf s;

	switch (e->type) {
	case BGP_ATTR_ORIGIN:
		jw_kstr(j, "value", origin_str(a->origin));
		return;
	case BGP_ATTR_AS_PATH:
		json_aspath(j, "value", &a->as_path);
		return;
	case BGP_ATTR_AS4_PATH:
		json_aspath(j, "value", &a->as4_path);
		return;
	case BGP_ATTR_NEXT_HOP:
		jw_kstr(j, "value", ip4_str(a->next_hop, ip, sizeof(ip)));
		return;
	case BGP_ATTR_MED:
		jw_ku64(j, "value", a->med);
		return;
	case BGP_ATTR_LOCAL_PREF:
		jw_ku64(j, "value", a->local_pref);
		return;
	case BGP_ATTR_ATOMIC_AGGREGATE:
		jw_kbool(j, "value", true);
		return;
	case BGP_ATTR_AGGREGATOR:
		json_aggregator(j, &a->aggregator);
		return;
	case BGP_ATTR_AS4_AGGREGATOR:
		json_aggregator(j, &a->as4_aggregator);
		return;
	case BGP_ATTR_ORIGINATOR_ID:
		jw_kstr(j, "value", u32_ip_str(a->originator_id, ip,
		    sizeof(ip)));
		return;
	case BGP_ATTR_OTC:
		jw_ku64(j, "value", a->otc);
		return;
	case BGP_ATTR_AIGP:
		jw_ku64(j, "value", a->aigp);
		return;
	case BGP_ATTR_MP_REACH_NLRI:
		jw_key(j, "value");
		jw_obj_begin(j);
		json_family(j, a->mp_reach.afi, a->mp_reach.safi);
		jw_key(j, "next_hop");
		jw_arr_begin(j);
		mp_nexthop_each(&a->mp_reach, jw_nexthop, j);
		jw_arr_end(j);
		if (a->mp_reach.fam >= 0)
			json_prefixes(j, "nlri", a->mp_reach.nlri,
			    a->mp_reach.n_nlri);
		else
			jw_khex(j, "nlri_hex", a->mp_reach.nlri_raw,
			    a->mp_reach.nlri_raw_len);
		jw_obj_end(j);
		return;
	case BGP_ATTR_MP_UNREACH_NLRI:
		jw_key(j, "value");
		jw_obj_begin(j);
		json_family(j, a->mp_unreach.afi, a->mp_unreach.safi);
		if (a->mp_unreach.fam >= 0)
			json_prefixes(j, "withdrawn", a->mp_unreach.withdrawn,
			    a->mp_unreach.n_withdrawn);
		else
			jw_khex(j, "withdrawn_hex", a->mp_unreach.nlri_raw,
			    a->mp_unreach.nlri_raw_len);
		jw_obj_end(j);
		return;
	case BGP_ATTR_COMMUNITIES:
	case BGP_ATTR_CLUSTER_LIST:
	case BGP_ATTR_EXT_COMMUNITIES:
	case BGP_ATTR_IPV6_EXT_COMMUNITIES:
	case BGP_ATTR_LARGE_COMMUNITY:
		break;
	default:
		jw_khex(j, "hex", e->data, e->len);
		return;
	}
	/* Lists: one string per member, in the text notation. */
	sb_init(&s);
	jw_key(j, "value");
	jw_arr_begin(j);
	if (e->type == BGP_ATTR_COMMUNITIES) {
		json_communities(j, a, &s);
	} else if (e->type == BGP_ATTR_CLUSTER_LIST) {
		for (unsigned i = 0; i < a->n_cluster_list; i++)
			jw_str(j, u32_ip_str(bgp_cluster_id_at(a, i), ip,
			    sizeof(ip)));
	} else if (e->type == BGP_ATTR_EXT_COMMUNITIES) {
		for (unsigned i = 0; i < a->n_ext_communities; i++) {
			sb_reset(&s);
			bgp_ext_community_str(bgp_ext_community_at(a, i), &s);
			jw_str(j, sb_str(&s));
		}
	} else if (e->type == BGP_ATTR_IPV6_EXT_COMMUNITIES) {
		for (unsigned i = 0; i < a->n_ipv6_ext_communities; i++) {
			sb_reset(&s);
			ipv6_ext_community_str(a->ipv6_ext_communities + 20 * i,
			    &s);
			jw_str(j, sb_str(&s));
		}
	} else {
		json_large_communities(j, a, &s);
	}
	jw_arr_end(j);
	sb_free(&s);
}

static void
json_update(const struct bgp_update *u, struct jw *j)
{
	static const char *const states[] = { "used", "unknown", "discarded" };
	const struct bgp_attrs *a = &u->attrs;
	struct strbuf s;
	uint16_t afi;
	uint8_t safi;

	if (bgp_update_is_eor(u, &afi, &safi)) {
		jw_key(j, "end_of_rib");
		jw_obj_begin(j);
		json_family(j, afi, safi);
		jw_obj_end(j);
	}
	json_prefixes(j, "withdrawn", u->withdrawn, u->n_withdrawn);
	jw_key(j, "attributes");
	jw_arr_begin(j);
	for (unsigned i = 0; i < a->n_ent; i++) {
		const struct bgp_attr_ent *e = &a->ent[i];

		sb_init(&s);
		attr_label(e->type, &s);
		jw_obj_begin(j);
		jw_ku64(j, "type", e->type);
		jw_kstr(j, "name", sb_str(&s));
		jw_ku64(j, "flags", e->flags);
		jw_ku64(j, "length", e->len);
		jw_kstr(j, "state", states[e->state]);
		if (e->state == BGP_ATTR_USED)
			json_attr_value(j, a, e);
		else
			jw_khex(j, "hex", e->data, e->len);
		jw_obj_end(j);
		sb_free(&s);
	}
	jw_arr_end(j);
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH)) {
		sb_init(&s);
		bgp_aspath_str(&a->path, &s);
		jw_kstr(j, "as_path", sb_str(&s));
		jw_ku64(j, "origin_as", bgp_aspath_origin(&a->path));
		sb_free(&s);
	}
	json_prefixes(j, "nlri", u->nlri, u->n_nlri);
}

static void
json_cap(struct jw *j, const struct bgp_cap *c)
{
	const char *n = bgp_cap_name(c->code);
	char b1[16], b2[16];

	jw_obj_begin(j);
	jw_ku64(j, "code", c->code);
	if (n != NULL)
		jw_kstr(j, "name", n);
	jw_ku64(j, "length", c->len);
	jw_khex(j, "hex", c->data, c->len);
	if (c->malformed)
		jw_kbool(j, "malformed", true);
	if (c->malformed || n == NULL) {
		jw_obj_end(j);
		return;
	}
	switch (c->code) {
	case BGP_CAP_AS4:
		jw_ku64(j, "asn", c->asn);
		break;
	case BGP_CAP_ROLE:
		jw_kstr(j, "role", role_str(c->role));
		break;
	case BGP_CAP_GRACEFUL_RESTART:
		jw_ku64(j, "restart_time", c->gr_flags_time & 0xfff);
		jw_kbool(j, "restart_state", c->gr_flags_time & 0x8000);
		jw_kbool(j, "notification", c->gr_flags_time & 0x4000);
		break;
	case BGP_CAP_FQDN:
		if (utf8_valid(c->host, c->host_len) &&
		    utf8_valid(c->domain, c->domain_len)) {
			jw_key(j, "hostname");
			jw_strn(j, (const char *)c->host, c->host_len);
			jw_key(j, "domain");
			jw_strn(j, (const char *)c->domain, c->domain_len);
		}
		break;
	}
	if (c->n_fams > 0) {
		jw_key(j, "families");
		jw_arr_begin(j);
		for (unsigned i = 0; i < c->n_fams; i++) {
			const struct bgp_cap_fam *f = &c->fams[i];

			jw_obj_begin(j);
			jw_kstr(j, "afi", afi_str(f->afi, b1, sizeof(b1)));
			if (f->safi <= 0xff)
				jw_kstr(j, "safi", safi_str((uint8_t)f->safi,
				    b2, sizeof(b2)));
			else
				jw_ku64(j, "safi", f->safi);
			if (c->code == BGP_CAP_ADDPATH)
				jw_kstr(j, "mode", addpath_mode_str(f->flags));
			if (c->code == BGP_CAP_GRACEFUL_RESTART ||
			    c->code == BGP_CAP_LLGR)
				jw_kbool(j, "forwarding_state",
				    f->flags & 0x80);
			if (c->code == BGP_CAP_LLGR)
				jw_ku64(j, "stale_time", f->time);
			if (c->code == BGP_CAP_EXT_NEXTHOP)
				jw_kstr(j, "next_hop_afi", afi_str(f->nh_afi,
				    b1, sizeof(b1)));
			jw_obj_end(j);
		}
		jw_arr_end(j);
	}
	jw_obj_end(j);
}

static void
json_open(const struct bgp_open *o, struct jw *j)
{
	char ip[INET_ADDRSTRLEN];

	jw_ku64(j, "version", o->version);
	jw_ku64(j, "my_as", o->my_as);
	jw_ku64(j, "hold_time", o->hold_time);
	jw_kstr(j, "bgp_id", u32_ip_str(o->bgp_id, ip, sizeof(ip)));
	jw_ku64(j, "asn", o->asn);
	jw_kbool(j, "extended_parameters", o->ext_params);
	jw_key(j, "capabilities");
	jw_arr_begin(j);
	for (unsigned i = 0; i < o->n_caps; i++)
		json_cap(j, &o->caps[i]);
	jw_arr_end(j);
	jw_key(j, "parameters");
	jw_arr_begin(j);
	for (unsigned i = 0; i < o->n_params; i++) {
		jw_obj_begin(j);
		jw_ku64(j, "type", o->params[i].type);
		jw_ku64(j, "length", o->params[i].len);
		if (o->params[i].type == 2)
			jw_ku64(j, "capabilities", o->params[i].n_caps);
		else
			jw_khex(j, "hex", o->params[i].data, o->params[i].len);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

static void
json_notification(const struct bgp_notification *n, struct jw *j)
{
	const char *cn = bgp_notification_code_name(n->code);
	const char *sn = bgp_notification_subcode_name(n->code, n->subcode);

	jw_ku64(j, "code", n->code);
	jw_ku64(j, "subcode", n->subcode);
	if (cn != NULL)
		jw_kstr(j, "code_name", cn);
	if (sn != NULL)
		jw_kstr(j, "subcode_name", sn);
	jw_khex(j, "data", n->data, n->data_len);
	if (n->has_shutdown_msg && utf8_valid(n->shutdown_msg,
	    n->shutdown_len)) {
		jw_key(j, "shutdown_message");
		jw_strn(j, (const char *)n->shutdown_msg, n->shutdown_len);
	}
}

void
bgp_msg_json(const struct bgp_msg *m, struct jw *j)
{
	const char *tn = bgp_msg_type_name(m->type);
	const struct bgp_route_refresh *rr = &m->u.route_refresh;

	jw_obj_begin(j);
	if (tn != NULL)
		jw_kstr(j, "type", tn);
	else
		jw_ku64(j, "type", m->type);
	jw_ku64(j, "length", m->len);
	jw_kstr(j, "outcome", bgp_action_name((enum bgp_action)m->prob.action));
	if (m->prob.action != BGP_ACT_SESSION_RESET) {
		switch (m->type) {
		case BGP_MSG_OPEN:
			json_open(&m->u.open, j);
			break;
		case BGP_MSG_UPDATE:
			json_update(&m->u.update, j);
			break;
		case BGP_MSG_NOTIFICATION:
			json_notification(&m->u.notification, j);
			break;
		case BGP_MSG_ROUTE_REFRESH:
			json_family(j, rr->afi, rr->safi);
			jw_ku64(j, "subtype", rr->subtype);
			jw_khex(j, "orf", rr->orf, rr->orf_len);
			break;
		}
	}
	jw_key(j, "problems");
	jw_arr_begin(j);
	for (unsigned i = 0; i < m->prob.n; i++) {
		const struct bgp_problem *p = &m->prob.p[i];
		const struct bgp_reason_info *ri = bgp_reason_info(p->reason);

		jw_obj_begin(j);
		jw_kstr(j, "reason", ri->name);
		jw_kstr(j, "action", bgp_action_name((enum bgp_action)p->action));
		jw_kstr(j, "text", ri->text);
		jw_kstr(j, "rfc", ri->rfc);
		jw_ku64(j, "offset", p->offset);
		if (p->attr_type)
			jw_ku64(j, "attribute", p->attr_type);
		jw_ku64(j, "notification_code", ri->code);
		jw_ku64(j, "notification_subcode", ri->subcode);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_ku64(j, "problems_total", m->prob.total);
	jw_obj_end(j);
}

/* --- route fields, as route elements show them ------------------------------ */

/* The next hop as an address: IPv4, or the global IPv6 address (behind
 * a route distinguisher for VPN families). */
const char *
bgp_nexthop_str(const uint8_t *nh, uint8_t nh_len, char *buf, size_t len)
{
	const uint8_t *addr, *ll;

	switch (bgp_nexthop_addrs(nh, nh_len, &addr, &ll)) {
	case BGP_AFI_IPV4:
		if (len < 16)
			return NULL;
		ipv4_fmt(addr, buf);
		return buf;
	case BGP_AFI_IPV6:
		return inet_ntop(AF_INET6, addr, buf, (socklen_t)len);
	}
	return NULL;
}

static void
json_origins(struct jw *j, const struct bgp_aspath *p)
{
	const struct bgp_asseg *last;

	jw_key(j, "origin_asns");
	jw_arr_begin(j);
	if (p->nsegs > 0) {
		last = &p->segs[p->nsegs - 1];
		if (last->type == BGP_AS_SEQUENCE)
			jw_u64(j, last->asn[last->count - 1]);
		else if (last->type == BGP_AS_SET)
			for (unsigned i = 0; i < last->count; i++)
				jw_u64(j, last->asn[i]);
	}
	jw_arr_end(j);
}

void
bgp_attrs_json_fields(struct jw *j, const struct bgp_attrs *a,
    const uint8_t *nh, uint8_t nh_len)
{
	static const char *const origins[] = { "IGP", "EGP", "INCOMPLETE" };
	char buf[INET6_ADDRSTRLEN];
	struct strbuf s;

	sb_init(&s);
	bgp_aspath_str(&a->path, &s);
	jw_kstr(j, "as_path", sb_str(&s));
	json_origins(j, &a->path);
	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN))
		jw_kstr(j, "origin", origins[a->origin]);
	if (bgp_nexthop_str(nh, nh_len, buf, sizeof(buf)) != NULL)
		jw_kstr(j, "next_hop", buf);
	jw_key(j, "communities");
	jw_arr_begin(j);
	json_communities(j, a, &s);
	jw_arr_end(j);
	jw_key(j, "large_communities");
	jw_arr_begin(j);
	json_large_communities(j, a, &s);
	jw_arr_end(j);
	if (a->n_ext_communities > 0 || a->n_ipv6_ext_communities > 0) {
		jw_key(j, "ext_communities");
		jw_arr_begin(j);
		for (unsigned i = 0; i < a->n_ext_communities; i++) {
			sb_reset(&s);
			bgp_ext_community_str(bgp_ext_community_at(a, i), &s);
			jw_str(j, sb_str(&s));
		}
		for (unsigned i = 0; i < a->n_ipv6_ext_communities; i++) {
			sb_reset(&s);
			ipv6_ext_community_str(a->ipv6_ext_communities + 20 * i,
			    &s);
			jw_str(j, sb_str(&s));
		}
		jw_arr_end(j);
	}
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		jw_ku64(j, "med", a->med);
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		jw_ku64(j, "local_pref", a->local_pref);
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR)) {
		const struct bgp_aggregator *ag = &a->aggregator;

		if (bgp_attrs_has(a, BGP_ATTR_AS4_AGGREGATOR) &&
		    ag->asn == BGP_AS_TRANS)
			ag = &a->as4_aggregator;
		jw_key(j, "aggregator");
		jw_obj_begin(j);
		jw_ku64(j, "asn", ag->asn);
		jw_kstr(j, "address", inet_ntop(AF_INET, ag->addr, buf,
		    sizeof(buf)));
		jw_obj_end(j);
	}
	jw_kbool(j, "atomic_aggregate",
	    bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE));
	if (bgp_attrs_has(a, BGP_ATTR_OTC))
		jw_ku64(j, "otc", a->otc);
	sb_free(&s);
}
