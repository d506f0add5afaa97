/* Well-formed UPDATEs: every attribute's decoded value, the RFC 6793
 * AS_PATH/AS4_PATH merge, ADD-PATH, MP with link-local next hops,
 * End-of-RIB, and encoding from a struct built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "testutil.h"
#include "util/arena.h"
#include "util/bwriter.h"
#include "util/strbuf.h"

static const struct bgp_session AS4 = { .as4 = true };
static const struct bgp_session AS2 = { .as4 = false };

static const struct bgp_msg *
decode_parts(const char *wd, const char *attrs, const char *nlri,
    const struct bgp_session *s, enum bgp_action want, uint8_t *msg,
    size_t *len)
{
	static uint8_t a[4096], b[4096], c[4096];
	size_t na = tu_hex(wd, a, sizeof(a)), nb = tu_hex(attrs, b, sizeof(b));
	size_t nc = tu_hex(nlri, c, sizeof(c));

	*len = tu_update(a, na, b, nb, c, nc, msg);
	return tu_decode(msg, *len, s, want);
}

static void
path_is(const struct bgp_aspath *p, const char *want)
{
	struct strbuf s;

	sb_init(&s);
	bgp_aspath_str(p, &s);
	assert_string_equal(sb_str(&s), want);
	sb_free(&s);
}

static void
every_attribute(void **state)
{
	uint8_t msg[4096];
	size_t len;
	const struct bgp_msg *m;
	const struct bgp_attrs *a;
	uint32_t l[3];

	(void)state;
	m = decode_parts("18c63364",
	    "40010101"					/* ORIGIN EGP */
	    "4002 18 0203 00000d05 0000044f fa56ea01"	/* SEQ 3333 1103 4200000001 */
	    "   01 02 0000fc00 0000fc01"		/* SET {64512 64513} */
	    "40030 4c6336401"				/* NEXT_HOP 198.51.100.1 */
	    "80040400000064"				/* MED 100 */
	    "40050400000096"				/* LOCAL_PREF 150 */
	    "400600"					/* ATOMIC_AGGREGATE */
	    "c007080000fde9c0000201"			/* AGGREGATOR 65001 192.0.2.1 */
	    "c008080d050064ffffff01"			/* 3333:100 NO_EXPORT */
	    "800904c0000202"				/* ORIGINATOR_ID */
	    "800a08c0000203c0000204"			/* CLUSTER_LIST */
	    "c0101000020d05000000640102c0000201000a"	/* RT 3333:100, RT 192.0.2.1:10 */
	    "c019140002" "20010db8000000000000000000000001" "0007" /* v6 ext comm */
	    "c0200c0000fde90000000100000200"		/* LARGE 65001:1:512 */
	    "c0230400000d05"				/* OTC 3333 */
	    "801a0b01000b0000000000001000",		/* AIGP 4096 */
	    "18cb0071" "0a0a00",
	    &AS4, BGP_ACT_NONE, msg, &len);
	a = &m->u.update.attrs;
	assert_int_equal(m->u.update.n_withdrawn, 1);
	assert_int_equal(m->u.update.withdrawn[0].addr[2], 100);
	assert_int_equal(m->u.update.n_nlri, 2);
	assert_int_equal(m->u.update.nlri[1].len, 10);
	assert_int_equal(a->origin, BGP_ORIGIN_EGP);
	path_is(&a->as_path, "3333 1103 4200000001 {64512 64513}");
	path_is(&a->path, "3333 1103 4200000001 {64512 64513}");
	assert_int_equal(bgp_aspath_hops(&a->path), 4);
	assert_int_equal(bgp_aspath_origin(&a->path), 0);	/* ends in a set */
	assert_memory_equal(a->next_hop, B(198, 51, 100, 1), 4);
	assert_int_equal(a->med, 100);
	assert_int_equal(a->local_pref, 150);
	assert_true(bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE));
	assert_int_equal(a->aggregator.asn, 65001);
	assert_int_equal(a->n_communities, 2);
	assert_int_equal(bgp_community_at(a, 0), (3333u << 16) | 100);
	assert_int_equal(bgp_community_at(a, 1), 0xffffff01u);
	assert_int_equal(a->originator_id, 0xc0000202);
	assert_int_equal(a->n_cluster_list, 2);
	assert_int_equal(bgp_cluster_id_at(a, 1), 0xc0000204);
	assert_int_equal(a->n_ext_communities, 2);
	assert_int_equal(bgp_ext_community_at(a, 0), 0x00020d0500000064ULL);
	assert_int_equal(a->n_ipv6_ext_communities, 1);
	{
		struct strbuf out;

		sb_init(&out);
		bgp_msg_print(m, &out);
		assert_non_null(strstr(sb_str(&out),
		    "IPV6_EXTENDED_COMMUNITIES [flags 0xc0]: rt:[2001:db8::1]:7\n"));
		assert_non_null(strstr(sb_str(&out), "COMMUNITIES [flags 0xc0]: "
		    "3333:100 65535:65281\n"));
		assert_non_null(strstr(sb_str(&out), "AIGP [flags 0x80]: 4096\n"));
		assert_non_null(strstr(sb_str(&out), "AGGREGATOR [flags 0xc0]: "
		    "AS65001 192.0.2.1\n"));
		sb_free(&out);
	}
	assert_int_equal(a->n_large_communities, 1);
	bgp_large_community_at(a, 0, l);
	assert_int_equal(l[0], 65001);
	assert_int_equal(l[2], 512);
	assert_int_equal(a->otc, 3333);
	assert_int_equal(a->aigp, 4096);
	tu_roundtrip(m, &AS4, msg, len);
}

static void
text_rendering(void **state)
{
	uint8_t msg[4096];
	size_t len;
	const struct bgp_msg *m;
	struct strbuf out;

	(void)state;
	m = decode_parts("", "40010100" "4002 10 0202 00000d05 0000044f"
	    "0301 0000fde9" "400304c6336401" "c0101000020d05000000640102c0000201000a",
	    "18cb0071", &AS4, BGP_ACT_NONE, msg, &len);
	sb_init(&out);
	bgp_msg_print(m, &out);
	assert_string_equal(sb_str(&out),
	    "UPDATE length 76\n"
	    "  ORIGIN [flags 0x40]: IGP\n"
	    "  AS_PATH [flags 0x40]: 3333 1103 (65001)\n"
	    "  NEXT_HOP [flags 0x40]: 198.51.100.1\n"
	    "  EXTENDED_COMMUNITIES [flags 0xc0]: rt:3333:100 rt:192.0.2.1:10\n"
	    "  nlri: 203.0.113.0/24\n"
	    "  outcome: none\n");
	sb_free(&out);
}

/* RFC 6793 4.2.3 on a 2-octet session. */
static void
as4_merge(void **state)
{
	uint8_t msg[4096];
	size_t len;
	const struct bgp_msg *m;

	(void)state;
	/* AS_PATH 65001 23456 23456, AS4_PATH 4200000001 4200000002 */
	m = decode_parts("", "40010100" "4002080203fde95ba05ba0" "400304c0000201"
	    "c0110a0202fa56ea01fa56ea02", "18c00002", &AS2, BGP_ACT_NONE, msg,
	    &len);
	path_is(&m->u.update.attrs.as_path, "65001 23456 23456");
	path_is(&m->u.update.attrs.path, "65001 4200000001 4200000002");
	assert_int_equal(bgp_aspath_origin(&m->u.update.attrs.path),
	    4200000002u);
	tu_roundtrip(m, &AS2, msg, len);

	/* AS4_PATH longer than AS_PATH: ignored */
	m = decode_parts("", "40010100" "4002040201fde9" "400304c0000201"
	    "c0110a0202fa56ea01fa56ea02", "18c00002", &AS2, BGP_ACT_NONE, msg,
	    &len);
	path_is(&m->u.update.attrs.path, "65001");

	/* an AS_SET counts as one: 65001 {23456 23457} 23456 */
	m = decode_parts("", "40010100" "40020e0201fde901025ba05ba10201 5ba0"
	    "400304c0000201" "c0110602 01fa56ea02", "18c00002", &AS2,
	    BGP_ACT_NONE, msg, &len);
	path_is(&m->u.update.attrs.path, "65001 {23456 23457} 4200000002");

	/* AGGREGATOR from a real 2-octet AS: AS4_PATH ignored */
	m = decode_parts("", "40010100" "4002060202fde95ba0" "400304c0000201"
	    "c00706fde9c0000201" "c0110602 01fa56ea02", "18c00002", &AS2,
	    BGP_ACT_NONE, msg, &len);
	path_is(&m->u.update.attrs.path, "65001 23456");
}

/* RFC 7911: path identifiers in front of each prefix. */
static void
addpath(void **state)
{
	uint8_t msg[4096];
	size_t len;
	struct bgp_session ap = { .as4 = true,
	    .addpath_rx = 1u << BGP_FAM_IPV4_UNICAST };
	const struct bgp_msg *m;
	char buf[BGP_PREFIX_STRLEN];

	(void)state;
	m = decode_parts("0000000718c00002", "40010100" "40020602010000fde9"
	    "400304c0000201", "0000000118c63364" "0000000218c63364", &ap,
	    BGP_ACT_NONE, msg, &len);
	assert_int_equal(m->u.update.n_withdrawn, 1);
	assert_int_equal(m->u.update.withdrawn[0].path_id, 7);
	assert_int_equal(m->u.update.n_nlri, 2);
	assert_int_equal(m->u.update.nlri[1].path_id, 2);
	assert_string_equal(bgp_prefix_str(&m->u.update.nlri[0], buf,
	    sizeof(buf)), "198.51.100.0/24 id 1");
	tu_roundtrip(m, &ap, msg, len);
	/* the same bytes without ADD-PATH do not parse */
	tu_decode(msg, len, &AS4, BGP_ACT_SESSION_RESET);
}

/* RFC 2545 3: a global and a link-local IPv6 next hop. */
static void
mp_ipv6_link_local(void **state)
{
	uint8_t msg[4096];
	size_t len;
	const struct bgp_msg *m;
	const struct bgp_mp_reach *r;
	struct strbuf out;

	(void)state;
	m = decode_parts("", "800e3100020120"
	    "20010db8000000000000000000000001" "fe800000000000000000000000000001"
	    "00" "2020010db8" "302001 0db8 0001" "40010100" "40020602010000fde9"
	    "800f080002012020010db9", "", &AS4, BGP_ACT_NONE, msg, &len);
	r = &m->u.update.attrs.mp_reach;
	assert_int_equal(r->afi, BGP_AFI_IPV6);
	assert_int_equal(r->nh_len, 32);
	assert_int_equal(r->n_nlri, 2);
	assert_int_equal(r->nlri[1].len, 48);
	assert_int_equal(m->u.update.attrs.mp_unreach.n_withdrawn, 1);
	sb_init(&out);
	bgp_msg_print(m, &out);
	assert_non_null(strstr(sb_str(&out), "MP_REACH_NLRI [flags 0x80]: ipv6"
	    " unicast next-hop 2001:db8::1 fe80::1\n"));
	assert_non_null(strstr(sb_str(&out),
	    "    mp nlri: 2001:db8::/32 2001:db8:1::/48\n"));
	assert_non_null(strstr(sb_str(&out), "    mp withdrawn: 2001:db9::/32\n"));
	sb_free(&out);
	tu_roundtrip(m, &AS4, msg, len);
}

static void
end_of_rib(void **state)
{
	uint8_t msg[64];
	size_t len;
	uint16_t afi = 0;
	uint8_t safi = 0;
	const struct bgp_msg *m;

	(void)state;
	m = decode_parts("", "", "", &AS4, BGP_ACT_NONE, msg, &len);
	assert_true(bgp_update_is_eor(&m->u.update, &afi, &safi));
	assert_int_equal(afi, BGP_AFI_IPV4);
	m = decode_parts("", "800f03000201", "", &AS4, BGP_ACT_NONE, msg, &len);
	assert_true(bgp_update_is_eor(&m->u.update, &afi, &safi));
	assert_int_equal(afi, BGP_AFI_IPV6);
	assert_int_equal(safi, BGP_SAFI_UNICAST);
	m = decode_parts("", "800f0600020110 2001", "", &AS4, BGP_ACT_NONE, msg,
	    &len);
	assert_false(bgp_update_is_eor(&m->u.update, &afi, &safi));
}

/* An UPDATE built as a struct, without a wire-order list, encodes in
 * canonical order with standard flags, and decodes back to itself. */
static void
encode_from_struct(void **state)
{
	uint32_t asns[] = { 65001, 4200000001u };
	struct bgp_asseg seg = { asns, BGP_AS_SEQUENCE, 2 };
	struct bgp_prefix p4 = { .afi = BGP_AFI_IPV4, .len = 24,
	    .addr = { 192, 0, 2 } };
	struct bgp_prefix p6 = { .afi = BGP_AFI_IPV6, .len = 32,
	    .addr = { 0x20, 0x01, 0x0d, 0xb8 } };
	uint8_t nh6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t comm[8] = { 0x0d, 0x05, 0, 100, 0x0d, 0x05, 0, 200 };
	uint8_t expect[256];
	size_t elen;
	struct bgp_msg m;
	struct bwriter w;
	const struct bgp_msg *d;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_UPDATE;
	m.u.update.nlri = &p4;
	m.u.update.n_nlri = 1;
	{
		struct bgp_attrs *a = &m.u.update.attrs;

		a->origin = BGP_ORIGIN_IGP;
		a->as_path.segs = &seg;
		a->as_path.nsegs = 1;
		memcpy(a->next_hop, B(192, 0, 2, 1), 4);
		a->communities = comm;
		a->n_communities = 2;
		a->mp_reach.afi = BGP_AFI_IPV6;
		a->mp_reach.safi = BGP_SAFI_UNICAST;
		a->mp_reach.fam = BGP_FAM_IPV6_UNICAST;
		a->mp_reach.nh = nh6;
		a->mp_reach.nh_len = 16;
		a->mp_reach.nlri = &p6;
		a->mp_reach.n_nlri = 1;
		bgp_attrs_set(a, BGP_ATTR_ORIGIN);
		bgp_attrs_set(a, BGP_ATTR_AS_PATH);
		bgp_attrs_set(a, BGP_ATTR_NEXT_HOP);
		bgp_attrs_set(a, BGP_ATTR_COMMUNITIES);
		bgp_attrs_set(a, BGP_ATTR_MP_REACH_NLRI);
	}
	bw_init(&w);
	assert_true(bgp_msg_encode(&m, &AS4, &w));
	elen = tu_update(NULL, 0, expect, tu_hex(
	    "800e1a00020110" "20010db8000000000000000000000001" "00" "2020010db8"
	    "40010100" "40020a0202 0000fde9 fa56ea01" "400304c0000201"
	    "c008080d0500640d0500c8", expect, sizeof(expect)),
	    B(0x18, 192, 0, 2), 4, expect);
	assert_int_equal(w.len, elen);
	assert_memory_equal(w.buf, expect, elen);
	d = tu_decode(w.buf, w.len, &AS4, BGP_ACT_NONE);
	path_is(&d->u.update.attrs.path, "65001 4200000001");
	assert_int_equal(d->u.update.attrs.mp_reach.n_nlri, 1);
	bw_free(&w);

	/* the same path on a 2-octet session carries AS_TRANS */
	bw_init(&w);
	assert_true(bgp_msg_encode(&m, &AS2, &w));
	d = tu_decode(w.buf, w.len, &AS2, BGP_ACT_NONE);
	path_is(&d->u.update.attrs.as_path, "65001 23456");
	bw_free(&w);
}

/* A value over 255 octets gets the Extended Length flag by itself. */
static void
encode_sets_extended_length(void **state)
{
	static uint8_t comm[400];
	struct bgp_msg m;
	struct bwriter w;
	const struct bgp_msg *d;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_UPDATE;
	m.u.update.attrs.communities = comm;
	m.u.update.attrs.n_communities = 100;
	bgp_attrs_set(&m.u.update.attrs, BGP_ATTR_COMMUNITIES);
	bw_init(&w);
	assert_true(bgp_msg_encode(&m, &AS4, &w));
	assert_int_equal(w.buf[23], 0xd0);	/* optional, transitive, extlen */
	assert_int_equal(w.buf[25], 400 >> 8);
	d = tu_decode(w.buf, w.len, &AS4, BGP_ACT_NONE);
	assert_int_equal(d->u.update.attrs.n_communities, 100);
	bw_free(&w);
}

static void
prefix_mask(void **state)
{
	struct bgp_prefix p = { .afi = BGP_AFI_IPV4, .len = 13,
	    .addr = { 11, 13, 0xff, 1 } };
	struct bgp_prefix z = { .afi = BGP_AFI_IPV6, .len = 0 };
	char buf[BGP_PREFIX_STRLEN];

	(void)state;
	assert_true(bgp_prefix_mask(&p));
	assert_string_equal(bgp_prefix_str(&p, buf, sizeof(buf)), "11.8.0.0/13");
	assert_false(bgp_prefix_mask(&p));
	assert_false(bgp_prefix_mask(&z));
	assert_string_equal(bgp_prefix_str(&z, buf, sizeof(buf)), "::/0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_attribute),
		cmocka_unit_test(text_rendering),
		cmocka_unit_test(as4_merge),
		cmocka_unit_test(addpath),
		cmocka_unit_test(mp_ipv6_link_local),
		cmocka_unit_test(end_of_rib),
		cmocka_unit_test(encode_from_struct),
		cmocka_unit_test(encode_sets_extended_length),
		cmocka_unit_test(prefix_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
