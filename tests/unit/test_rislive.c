#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "wire/rislive.h"

/* The first line of the real RIS Live sample in ../shared/data
 * (rislive/libbgpstream.ris-live-stream.json): an UPDATE with its raw
 * BGP message. */
static const char real_update[] =
    "{\"type\":\"ris_message\",\"data\":{\"timestamp\":1553627987.89,"
    "\"peer\":\"72.22.223.9\",\"peer_asn\":\"11708\",\"id\":\"72.22.223.9-"
    "1553627987.89-1829343\",\"raw\":\"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF005B"
    "020000004040010100400232020C00002DBC00007D61000005130000CC6000040361"
    "000403610004036100040361000403610000CF01000418C1000418C14003044816DF"
    "09172DA1C0\",\"host\":\"rrc00\",\"type\":\"UPDATE\",\"path\":[11708,"
    "32097,1299,52320,263009,263009,263009,263009,263009,52993,268481,"
    "268481],\"origin\":\"igp\",\"announcements\":[{\"next_hop\":"
    "\"72.22.223.9\",\"prefixes\":[\"45.161.192.0/23\"]}]}}";

static const char full_update[] =
    "{\"type\":\"ris_message\",\"data\":{\"timestamp\":1700000000.25,"
    "\"peer\":\"2001:db8::9\",\"peer_asn\":64500,\"id\":\"x\",\"host\":"
    "\"rrc21.ripe.net\",\"type\":\"UPDATE\",\"path\":[64500,64501,"
    "[64502,64503]],\"community\":[[64500,1],[65535,65281]],"
    "\"large_community\":[[64500,1,2]],\"origin\":\"INCOMPLETE\","
    "\"med\":0,\"aggregator\":\"64501:192.0.2.9\",\"announcements\":["
    "{\"next_hop\":\"192.0.2.1\",\"prefixes\":[\"198.51.100.0/24\","
    "\"203.0.113.0/25\"]},{\"next_hop\":\"2001:db8::1,fe80::1\","
    "\"prefixes\":[\"2001:db8:1::/48\"]}],\"withdrawals\":["
    "\"198.51.100.128/25\",\"2001:db8:2::/48\"]}}";

static struct arena A;

static bool
decode(const char *json, struct rislive_msg *m, char *err)
{
	arena_reset(&A);
	return rislive_decode(json, strlen(json), &A, m, err, 160);
}

static const struct bgp_msg *
bgp(const struct rislive_msg *m, unsigned i)
{
	struct bgp_session s = { .as4 = true, .ext_msg = true };

	assert_true(i < m->nupdates);
	return tu_decode(m->updates[i].msg, m->updates[i].len, &s,
	    BGP_ACT_NONE);
}

static void
real_message_decodes_and_its_raw_agrees(void **state)
{
	struct rislive_msg m;
	const struct bgp_msg *b;
	char err[160];
	struct strbuf s;

	(void)state;
	assert_true(decode(real_update, &m, err));
	assert_int_equal(m.kind, RISLIVE_MSG_RIS_MESSAGE);
	assert_int_equal(m.type, RISLIVE_UPDATE);
	assert_string_equal(m.host, "rrc00");
	assert_int_equal(m.peer_afi, BGP_AFI_IPV4);
	assert_memory_equal(m.peer, B(72, 22, 223, 9), 4);
	assert_int_equal(m.peer_asn, 11708);
	assert_int_equal(m.time_us, 1553627987890000ull);
	assert_int_equal(m.nannounced, 1);
	assert_int_equal(m.nwithdrawn, 0);
	assert_int_equal(m.raw_len, 0x5b);
	assert_int_equal(m.nupdates, 1);
	b = bgp(&m, 0);
	assert_int_equal(b->u.update.n_nlri, 1);
	assert_int_equal(bgp_aspath_origin(&b->u.update.attrs.path), 268481);
	sb_init(&s);
	bgp_aspath_str(&b->u.update.attrs.path, &s);
	assert_string_equal(sb_str(&s), "11708 32097 1299 52320 263009 263009 "
	    "263009 263009 263009 52993 268481 268481");
	sb_free(&s);
	assert_true(rislive_raw_agrees(&m, &A));
}

static void
every_field_becomes_bgp(void **state)
{
	struct rislive_msg m;
	const struct bgp_msg *b;
	const struct bgp_attrs *a;
	uint32_t lc[3];
	char err[160], buf[64];
	struct strbuf s;

	(void)state;
	assert_true(decode(full_update, &m, err));
	assert_int_equal(m.peer_afi, BGP_AFI_IPV6);
	assert_int_equal(m.nannounced, 3);
	assert_int_equal(m.nwithdrawn, 2);
	/* withdrawals (IPv4, then MP_UNREACH), then one message per next
	 * hop and family */
	assert_int_equal(m.nupdates, 4);
	b = bgp(&m, 0);
	assert_int_equal(b->u.update.n_withdrawn, 1);
	assert_string_equal(bgp_prefix_str(&b->u.update.withdrawn[0], buf,
	    sizeof(buf)), "198.51.100.128/25");
	b = bgp(&m, 1);
	assert_int_equal(b->u.update.attrs.mp_unreach.n_withdrawn, 1);
	b = bgp(&m, 2);
	a = &b->u.update.attrs;
	assert_int_equal(b->u.update.n_nlri, 2);
	assert_memory_equal(a->next_hop, B(192, 0, 2, 1), 4);
	assert_int_equal(a->origin, BGP_ORIGIN_INCOMPLETE);
	assert_true(bgp_attrs_has(a, BGP_ATTR_MED));	/* 0 is a MED */
	assert_int_equal(a->med, 0);
	assert_int_equal(a->aggregator.asn, 64501);
	assert_int_equal(a->n_communities, 2);
	assert_int_equal(bgp_community_at(a, 1), 0xffffff01u);
	assert_int_equal(a->n_large_communities, 1);
	bgp_large_community_at(a, 0, lc);
	assert_int_equal(lc[2], 2);
	sb_init(&s);
	bgp_aspath_str(&a->path, &s);
	assert_string_equal(sb_str(&s), "64500 64501 {64502 64503}");
	sb_free(&s);
	b = bgp(&m, 3);
	a = &b->u.update.attrs;
	assert_int_equal(a->mp_reach.afi, BGP_AFI_IPV6);
	assert_int_equal(a->mp_reach.nh_len, 32);	/* global, link-local */
	assert_int_equal(a->mp_reach.n_nlri, 1);
	assert_int_equal(a->n_communities, 2);
}

static void
big_updates_are_split(void **state)
{
	struct strbuf j;
	struct rislive_msg m;
	char err[160];
	uint32_t total = 0;

	(void)state;
	sb_init(&j);
	sb_puts(&j, "{\"type\":\"ris_message\",\"data\":{\"timestamp\":1,"
	    "\"peer\":\"192.0.2.1\",\"peer_asn\":\"1\",\"host\":\"h\",\"type\":"
	    "\"UPDATE\",\"path\":[1],\"origin\":\"IGP\",\"announcements\":["
	    "{\"next_hop\":\"192.0.2.1\",\"prefixes\":[");
	for (int i = 0; i < 30000; i++)
		sb_printf(&j, "%s\"10.%d.%d.0/24\"", i ? "," : "", i / 256,
		    i % 256);
	sb_puts(&j, "]}]}}");
	assert_true(decode(j.s, &m, err));
	assert_int_equal(m.nannounced, 30000);
	assert_true(m.nupdates > 1);
	for (unsigned i = 0; i < m.nupdates; i++) {
		assert_true(m.updates[i].len <= 65535);
		total += bgp(&m, i)->u.update.n_nlri;
	}
	assert_int_equal(total, 30000);
	sb_free(&j);
}

static void
bad_messages_say_why(void **state)
{
	static const struct { const char *json, *err; } cases[] = {
		{ "{\"type\":", "not JSON (at byte 7)" },
		{ "[1,2]", "not a RIS Live message (no \"type\")" },
		{ "{\"type\":\"ris_message\",\"data\":{\"type\":\"UPDATE\","
		  "\"host\":\"h\",\"peer\":\"1.2.3\"}}",
		  "data.peer: an address is expected" },
		{ "{\"type\":\"ris_message\",\"data\":{\"type\":\"UPDATE\","
		  "\"host\":\"h\",\"peer\":\"1.2.3.4\",\"peer_asn\":\"4294967296\"}}",
		  "data.peer_asn: an ASN is expected" },
		{ "{\"type\":\"ris_message\",\"data\":{\"type\":\"UPDATE\","
		  "\"host\":\"h\",\"peer\":\"1.2.3.4\",\"peer_asn\":1,"
		  "\"timestamp\":1,\"announcements\":[{\"next_hop\":\"1.2.3.4\","
		  "\"prefixes\":[\"10.0.0.0/33\"]}],\"path\":[1],\"origin\":"
		  "\"igp\"}}",
		  "announcements: \"10.0.0.0/33\" is not a prefix" },
		{ "{\"type\":\"ris_message\",\"data\":{\"type\":\"UPDATE\","
		  "\"host\":\"h\",\"peer\":\"1.2.3.4\",\"peer_asn\":1,"
		  "\"timestamp\":1,\"path\":[1,\"x\"],\"announcements\":[{"
		  "\"next_hop\":\"1.2.3.4\",\"prefixes\":[\"10.0.0.0/8\"]}]}}",
		  "path: an ASN or an AS set is expected" },
		{ "{\"type\":\"ris_message\",\"data\":{\"type\":\"UPDATE\","
		  "\"host\":\"h\",\"peer\":\"1.2.3.4\",\"peer_asn\":1,"
		  "\"timestamp\":1,\"community\":[[1,65536]],\"announcements\":["
		  "{\"next_hop\":\"1.2.3.4\",\"prefixes\":[\"10.0.0.0/8\"]}]}}",
		  "community: a value out of range" },
		{ "{\"type\":\"ris_message\",\"data\":{\"type\":\"UPDATE\","
		  "\"host\":\"h\",\"peer\":\"1.2.3.4\",\"peer_asn\":1,"
		  "\"timestamp\":1,\"announcements\":[{\"next_hop\":"
		  "\"1.2.3.4,fe80::1\",\"prefixes\":[\"10.0.0.0/8\"]}]}}",
		  "next_hop: \"1.2.3.4,fe80::1\" is not an IPv6 address and a "
		  "link-local one" },
		{ "{\"type\":\"ris_message\",\"data\":{\"type\":\"UPDATE\","
		  "\"host\":\"h\",\"peer\":\"1.2.3.4\",\"peer_asn\":1,"
		  "\"timestamp\":1,\"announcements\":[{\"next_hop\":"
		  "\"1.2.3.4\",\"prefixes\":[\"2001:db8::/32\"]}]}}",
		  "announcements: IPv6 prefixes with the IPv4 next hop 1.2.3.4" },
	};
	struct rislive_msg m;
	char err[160];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_false(decode(cases[i].json, &m, err));
		assert_string_equal(err, cases[i].err);
	}
	/* an unknown type is not an error: it is told */
	assert_true(decode("{\"type\":\"ris_rrc_list\",\"data\":[]}", &m, err));
	assert_int_equal(m.kind, RISLIVE_MSG_OTHER);
	assert_string_equal(m.text, "ris_rrc_list");
}

/* The server side: a request, matched against an UPDATE. */
static bool
matches(const char *req, const char *update)
{
	static struct rislive_ann ann[8];
	static struct bgp_prefix wd[8];
	struct rislive_request rq;
	struct rislive_view v = { .type = RISLIVE_UPDATE };
	struct rislive_msg m;
	char err[160];
	bool hit;

	assert_true(rislive_request_parse(req, strlen(req), &rq, err,
	    sizeof(err)));
	assert_true(decode(update, &m, err));
	v.host = m.host;
	v.peer_afi = m.peer_afi;
	memcpy(v.peer, m.peer, 16);
	v.peer_asn = m.peer_asn;
	for (unsigned i = 0; i < m.nupdates; i++) {
		const struct bgp_msg *b = bgp(&m, i);
		const struct bgp_attrs *a = &b->u.update.attrs;

		for (uint32_t k = 0; k < b->u.update.n_withdrawn; k++)
			wd[v.nwd++] = b->u.update.withdrawn[k];
		if (bgp_attrs_has(a, BGP_ATTR_MP_UNREACH_NLRI))
			for (uint32_t k = 0; k < a->mp_unreach.n_withdrawn; k++)
				wd[v.nwd++] = a->mp_unreach.withdrawn[k];
		for (uint32_t k = 0; k < b->u.update.n_nlri; k++)
			ann[v.nann++].prefix = b->u.update.nlri[k];
		if (bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI))
			for (uint32_t k = 0; k < a->mp_reach.n_nlri; k++)
				ann[v.nann++].prefix = a->mp_reach.nlri[k];
		if (b->u.update.n_nlri > 0 || (bgp_attrs_has(a,
		    BGP_ATTR_MP_REACH_NLRI) && a->mp_reach.n_nlri > 0)) {
			/* copied: the next decode reuses the message */
			static struct bgp_attrs keep;
			static struct bgp_asseg segs[8];
			static uint32_t asns[64];
			unsigned n = 0;

			keep = *a;
			for (unsigned s = 0; s < a->path.nsegs; s++) {
				segs[s] = a->path.segs[s];
				memcpy(asns + n, segs[s].asn, segs[s].count * 4);
				segs[s].asn = asns + n;
				n += segs[s].count;
			}
			keep.path.segs = segs;
			v.attrs = &keep;
		}
	}
	v.ann = ann;
	v.wd = wd;
	hit = rislive_sub_match(rq.sub, &v);
	rislive_sub_free(rq.sub);
	return hit;
}

#define SUB(x)	"{\"type\":\"ris_subscribe\",\"data\":" x "}"

static void
subscriptions_match_as_ris_live_says(void **state)
{
	(void)state;
	assert_true(matches(SUB("{}"), full_update));
	assert_true(matches(SUB("{\"host\":\"rrc21\"}"), full_update));
	assert_false(matches(SUB("{\"host\":\"rrc2\"}"), full_update));
	assert_true(matches(SUB("{\"type\":\"UPDATE\"}"), full_update));
	assert_false(matches(SUB("{\"type\":\"KEEPALIVE\"}"), full_update));
	assert_true(matches(SUB("{\"peer\":\"2001:db8::9\"}"), full_update));
	assert_false(matches(SUB("{\"peer\":\"2001:db8::8\"}"), full_update));
	assert_true(matches(SUB("{\"require\":\"withdrawals\"}"), full_update));
	assert_false(matches(SUB("{\"require\":\"withdrawals\"}"), real_update));
	/* paths: anywhere, from the first AS, to the origin, sets, not */
	assert_true(matches(SUB("{\"path\":64501}"), full_update));
	assert_true(matches(SUB("{\"path\":\"64500,64501\"}"), full_update));
	assert_false(matches(SUB("{\"path\":\"64501,64500\"}"), full_update));
	assert_true(matches(SUB("{\"path\":\"^64500\"}"), full_update));
	assert_false(matches(SUB("{\"path\":\"^64501\"}"), full_update));
	assert_true(matches(SUB("{\"path\":\"64501,[64503,64502]$\"}"),
	    full_update));
	assert_false(matches(SUB("{\"path\":\"64501$\"}"), full_update));
	assert_true(matches(SUB("{\"path\":\"268481$\"}"), real_update));
	assert_true(matches(SUB("{\"path\":\"!1299\"}"), full_update));
	assert_false(matches(SUB("{\"path\":\"!1299\"}"), real_update));
	/* prefixes: exact, more-specific (default), less-specific */
	assert_true(matches(SUB("{\"prefix\":\"45.161.192.0/23\"}"),
	    real_update));
	assert_true(matches(SUB("{\"prefix\":\"45.160.0.0/14\"}"),
	    real_update));
	assert_false(matches(SUB("{\"prefix\":\"45.160.0.0/14\","
	    "\"moreSpecific\":false}"), real_update));
	assert_false(matches(SUB("{\"prefix\":\"45.161.192.0/24\"}"),
	    real_update));
	assert_true(matches(SUB("{\"prefix\":\"45.161.192.0/24\","
	    "\"lessSpecific\":true}"), real_update));
	/* a withdrawn prefix matches too, of either family */
	assert_true(matches(SUB("{\"prefix\":[\"10.0.0.0/8\","
	    "\"2001:db8:2::/48\"]}"), full_update));
}

static void
requests_are_read_and_printed_back(void **state)
{
	static const char req[] = SUB("{\"host\":\"rrc00\",\"type\":"
	    "\"UPDATE\",\"require\":\"announcements\",\"peer\":\"192.0.2.1\","
	    "\"path\":\"^174,[64512,64513]$\",\"prefix\":[\"192.0.2.0/24\","
	    "\"2001:db8::/32\"],\"moreSpecific\":false,\"lessSpecific\":true,"
	    "\"socketOptions\":{\"acknowledge\":true,\"includeRaw\":true}}");
	struct rislive_request rq, again;
	struct strbuf b;
	char err[160];

	(void)state;
	assert_true(rislive_request_parse(req, strlen(req), &rq, err,
	    sizeof(err)));
	assert_int_equal(rq.type, RISLIVE_REQ_SUBSCRIBE);
	assert_true(rq.acknowledge && rq.include_raw);
	sb_init(&b);
	rislive_print_subscribe(rq.sub, true, true, &b);
	assert_string_equal(sb_str(&b), "{\"type\":\"ris_subscribe\",\"data\":"
	    "{\"host\":\"rrc00\",\"type\":\"UPDATE\",\"require\":"
	    "\"announcements\",\"peer\":\"192.0.2.1\",\"path\":"
	    "\"^174,[64512,64513]$\",\"prefix\":[\"192.0.2.0/24\","
	    "\"2001:db8::/32\"],\"moreSpecific\":false,\"lessSpecific\":true,"
	    "\"socketOptions\":{\"acknowledge\":true,\"includeRaw\":true}}}");
	/* what we print reads back the same */
	assert_true(rislive_request_parse(b.s, b.len, &again, err,
	    sizeof(err)));
	assert_true(rislive_sub_equal(rq.sub, again.sub));
	rislive_sub_free(again.sub);
	rislive_sub_free(rq.sub);
	sb_free(&b);
	assert_true(rislive_request_parse("{\"type\":\"ping\"}", 15, &rq, err,
	    sizeof(err)));
	assert_int_equal(rq.type, RISLIVE_REQ_PING);
	assert_false(rislive_request_parse(SUB("{\"colour\":1}"),
	    strlen(SUB("{\"colour\":1}")), &rq, err, sizeof(err)));
	assert_string_equal(err, "unknown key \"colour\"");
	assert_null(rq.sub);
	assert_false(rislive_request_parse(SUB("{\"path\":\"1,,2\"}"),
	    strlen(SUB("{\"path\":\"1,,2\"}")), &rq, err, sizeof(err)));
	assert_string_equal(err, "path: \"1,,2\" is not a list of ASNs");
}

/* The view the stream server has of full_update's IPv4 announcements:
 * its two prefixes (ann[0] and ann[1]) and their attributes. */
static void
update_view(struct rislive_msg *m, struct rislive_ann *ann,
    struct rislive_view *v)
{
	const struct bgp_msg *b;
	char err[160];

	assert_true(decode(full_update, m, err));
	b = bgp(m, 2);
	ann[0].prefix = b->u.update.nlri[0];
	ann[1].prefix = b->u.update.nlri[1];
	ann[0].nh = ann[1].nh = b->u.update.attrs.next_hop;
	ann[0].nh_len = ann[1].nh_len = 4;
	v->attrs = &b->u.update.attrs;
	v->ann = ann;
	v->nann = 2;
}

static void
printed_messages_read_back(void **state)
{
	struct rislive_msg m, back;
	struct rislive_ann ann[3];
	struct rislive_view v = { .type = RISLIVE_UPDATE, .host = "bmp1",
	    .peer_afi = BGP_AFI_IPV4, .peer = { 192, 0, 2, 7 },
	    .peer_asn = 65001, .time_us = 1700000000123456ull };
	struct arena a2;
	struct strbuf s;
	char err[160];

	(void)state;
	update_view(&m, ann, &v);
	sb_init(&s);
	rislive_print(&v, 7, false, &s);
	assert_non_null(strstr(sb_str(&s), "\"timestamp\":1700000000.123456,"
	    "\"peer\":\"192.0.2.7\",\"peer_asn\":\"65001\""));
	assert_non_null(strstr(sb_str(&s), "\"path\":[64500,64501,[64502,"
	    "64503]],\"community\":[[64500,1],[65535,65281]],"
	    "\"large_community\":[[64500,1,2]],\"origin\":\"INCOMPLETE\","
	    "\"med\":0,\"aggregator\":\"64501:192.0.2.9\",\"announcements\":"
	    "[{\"next_hop\":\"192.0.2.1\",\"prefixes\":[\"198.51.100.0/24\","
	    "\"203.0.113.0/25\"]}]"));
	arena_init(&a2, 4096);
	assert_true(rislive_decode(s.s, s.len, &a2, &back, err, sizeof(err)));
	assert_int_equal(back.time_us, v.time_us);
	assert_string_equal(back.host, "bmp1");
	assert_int_equal(back.nannounced, 2);
	assert_null(back.raw);		/* not asked for */
	arena_free(&a2);
	sb_free(&s);
}

/* With includeRaw, an UPDATE's view is one BGP UPDATE in hex: both
 * families' withdrawals and announcements, every attribute, the
 * effective AS path in 4-octet form; our client finds it agrees with the
 * JSON. A view that takes two messages has no raw. */
static void
raw_is_the_update_in_one_message(void **state)
{
	struct rislive_msg m, back;
	struct rislive_ann ann[3];
	struct bgp_prefix wd[2];
	uint8_t nh6[32] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1, [16] = 0xfe,
	    [17] = 0x80, [31] = 1 };
	struct rislive_view v = { .type = RISLIVE_UPDATE, .host = "bmp1",
	    .peer_afi = BGP_AFI_IPV4, .peer = { 192, 0, 2, 7 },
	    .peer_asn = 65001, .time_us = 1700000000123456ull };
	struct bgp_session as4 = { .as4 = true, .ext_msg = true };
	struct bgp_msg raw;
	struct arena a2;
	struct strbuf s, path;
	char err[160];

	(void)state;
	update_view(&m, ann, &v);
	assert_true(bgp_prefix_parse("2001:db8:1::/48", &ann[2].prefix));
	ann[2].nh = nh6;
	ann[2].nh_len = 32;
	assert_true(bgp_prefix_parse("198.51.100.128/25", &wd[0]));
	assert_true(bgp_prefix_parse("2001:db8:2::/48", &wd[1]));
	v.nann = 3;
	v.wd = wd;
	v.nwd = 2;
	sb_init(&s);
	rislive_print(&v, 7, true, &s);
	/* where RIS Live has it: after id, upper-case hex of the whole
	 * message */
	assert_non_null(strstr(sb_str(&s), "-7\",\"raw\":\"FFFFFFFFFFFFFFFF"
	    "FFFFFFFFFFFFFFFF"));
	arena_init(&a2, 4096);
	assert_true(rislive_decode(s.s, s.len, &a2, &back, err, sizeof(err)));
	assert_non_null(back.raw);
	assert_true(rislive_raw_agrees(&back, &a2));
	assert_int_equal(bgp_msg_decode(back.raw, back.raw_len, &as4, &a2,
	    &raw), BGP_ACT_NONE);
	assert_int_equal(raw.type, BGP_MSG_UPDATE);
	assert_int_equal(raw.u.update.n_withdrawn, 1);
	assert_int_equal(raw.u.update.n_nlri, 2);
	assert_int_equal(raw.u.update.attrs.mp_unreach.n_withdrawn, 1);
	assert_int_equal(raw.u.update.attrs.mp_reach.n_nlri, 1);
	assert_int_equal(raw.u.update.attrs.mp_reach.nh_len, 32);
	assert_int_equal(raw.u.update.attrs.n_communities, 2);
	assert_int_equal(raw.u.update.attrs.n_large_communities, 1);
	assert_int_equal(raw.u.update.attrs.aggregator.asn, 64501);
	assert_false(bgp_attrs_has(&raw.u.update.attrs, BGP_ATTR_AS4_PATH));
	sb_init(&path);
	bgp_aspath_str(&raw.u.update.attrs.as_path, &path);
	assert_string_equal(sb_str(&path), "64500 64501 {64502 64503}");
	sb_free(&path);
	arena_free(&a2);
	/* two IPv4 next hops: two messages, so no raw */
	ann[1].nh = nh6 + 12;		/* 0.0.0.1 */
	v.nann = 2;
	sb_reset(&s);
	rislive_print(&v, 8, true, &s);
	assert_null(strstr(sb_str(&s), "\"raw\""));
	assert_non_null(strstr(sb_str(&s), "\"announcements\""));
	sb_free(&s);
}

/* The quick IPv4 way of bgp_prefix_parse against the general one:
 * inet_pton and strtol, on strings near to prefixes. */
static bool
reference_parse(const char *s, struct bgp_prefix *p)
{
	char buf[64], *slash, *end;
	long len;

	memset(p, 0, sizeof(*p));
	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) == NULL || slash[1] == '\0')
		return false;
	*slash = '\0';
	len = strtol(slash + 1, &end, 10);
	if (*end != '\0' || len < 0 || len > 32 ||
	    inet_pton(AF_INET, buf, p->addr) != 1)
		return false;
	p->afi = BGP_AFI_IPV4;
	p->len = (uint8_t)len;
	bgp_prefix_mask(p);
	return true;
}

static void
ipv4_prefixes_parse_as_inet_pton_says(void **state)
{
	static const char alphabet[] = "0123456789./0125.";
	struct bgp_prefix a, b;
	uint64_t seed = 42;
	unsigned agree = 0, good = 0;
	char s[24];

	(void)state;
	for (int i = 0; i < 200000; i++) {
		size_t n = 7 + (size_t)((seed = seed * 6364136223846793005ull +
		    1442695040888963407ull) >> 60);

		for (size_t k = 0; k < n && k < sizeof(s) - 1; k++) {
			seed = seed * 6364136223846793005ull +
			    1442695040888963407ull;
			s[k] = alphabet[(seed >> 33) % (sizeof(alphabet) - 1)];
		}
		s[n < sizeof(s) - 1 ? n : sizeof(s) - 1] = '\0';
		if (i % 3 == 0)		/* many well formed ones too */
			snprintf(s, sizeof(s), "%u.%u.%u.%u/%u",
			    (unsigned)(seed >> 10) % 300,
			    (unsigned)(seed >> 20) % 256,
			    (unsigned)(seed >> 30) % 256,
			    (unsigned)(seed >> 40) % 256,
			    (unsigned)(seed >> 50) % 40);
		{
			bool x = bgp_prefix_parse(s, &a) &&
			    a.afi == BGP_AFI_IPV4;
			bool y = reference_parse(s, &b);

			assert_true(x == y);
			if (x) {
				assert_memory_equal(&a, &b, sizeof(a));
				good++;
			}
			agree++;
		}
	}
	assert_true(good > 30000);
	assert_int_equal(agree, 200000);
	assert_false(bgp_prefix_parse("010.0.0.0/8", &a));
	assert_true(bgp_prefix_parse("10.1.2.3/8", &a));
	assert_int_equal(a.addr[1], 0);		/* masked */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_message_decodes_and_its_raw_agrees),
		cmocka_unit_test(every_field_becomes_bgp),
		cmocka_unit_test(big_updates_are_split),
		cmocka_unit_test(bad_messages_say_why),
		cmocka_unit_test(subscriptions_match_as_ris_live_says),
		cmocka_unit_test(requests_are_read_and_printed_back),
		cmocka_unit_test(printed_messages_read_back),
		cmocka_unit_test(raw_is_the_update_in_one_message),
		cmocka_unit_test(ipv4_prefixes_parse_as_inet_pton_says),
	};
	int rc;

	arena_init(&A, 64 * 1024);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&A);
	return rc;
}
