/* bgpdump's one-line formats for elements built here: its IPv6 text
 * (not RFC 5952's), and the fields of announcement lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "util/strbuf.h"
#include "wire/mrt.h"

static const char *
state_line(const char *ip6)
{
	static struct strbuf out;
	struct mrt_peer peer = { .afi = BGP_AFI_IPV6, .asn = 65001 };
	struct mrt_elem e = { .type = MRT_ELEM_STATE, .mrt_type = MRT_BGP4MP,
	    .ts = 1, .peer = &peer, .old_state = 5, .new_state = 6 };

	assert_int_equal(inet_pton(AF_INET6, ip6, peer.ip), 1);
	sb_reset(&out);
	mrt_elem_bgpdump(&e, MRT_FMT_M, &out);
	return sb_str(&out);
}

static void
ipv6_text_as_bgpdump(void **state)
{
	static const char *const cases[][2] = {
		/* a single zero group is compressed too */
		{ "2001:db8:0:1:1:1:1:1", "2001:db8::1:1:1:1:1" },
		{ "1:0:0:1:0:0:1:1", "1::1:0:0:1:1" },
		{ "1:0:1:0:0:1:0:1", "1:0:1::1:0:1" },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
		{ "0:0:1::", "0:0:1::" },
		{ "::", "::" },
		{ "::1", "::1" },
		{ "::2", "::0.0.0.2" },
		{ "::1.2.3.4", "::1.2.3.4" },
		{ "::ffff:193.0.0.56", "::ffff:193.0.0.56" },
		{ "fe80::c002:bff:fe7e:0", "fe80::c002:bff:fe7e:0" },
		{ "2001:7f8:4::73ab:1", "2001:7f8:4::73ab:1" },
	};
	char want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(want, sizeof(want), "BGP4MP|1|STATE|%s|65001|5|6\n",
		    cases[i][1]);
		assert_string_equal(state_line(cases[i][0]), want);
	}
}

static void
announcement_fields(void **state)
{
	uint32_t asns[] = { 65001, 23456 }, asns4[] = { 4200000001u };
	struct bgp_asseg seg = { asns, BGP_AS_SEQUENCE, 2 };
	struct bgp_asseg set = { asns, BGP_AS_SET, 2 };
	struct bgp_asseg seg4 = { asns4, BGP_AS_SEQUENCE, 1 };
	uint8_t comm[12] = { 0x0d, 0x05, 0, 100, 0xff, 0xff, 0xff, 0x01,
	    0xff, 0xff, 0xff, 0x03 };
	struct bgp_attrs a;
	struct mrt_peer peer = { .afi = BGP_AFI_IPV4, .asn = 3333,
	    .ip = { 193, 0, 0, 56 } };
	struct mrt_elem e = { .type = MRT_ELEM_ANNOUNCE,
	    .mrt_type = MRT_BGP4MP_ET, .ts = 1700000000, .usec = 42,
	    .peer = &peer, .attrs = &a,
	    .prefix = { .afi = BGP_AFI_IPV4, .len = 24, .addr = { 192, 0, 2 } } };
	struct strbuf out;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.as_path.segs = &seg;
	a.as_path.nsegs = 1;
	a.path = a.as_path;
	a.as4_path.segs = &seg4;
	a.as4_path.nsegs = 1;
	a.communities = comm;
	a.n_communities = 3;
	bgp_attrs_set(&a, BGP_ATTR_AS_PATH);
	bgp_attrs_set(&a, BGP_ATTR_AS4_PATH);
	bgp_attrs_set(&a, BGP_ATTR_COMMUNITIES);
	bgp_attrs_set(&a, BGP_ATTR_ATOMIC_AGGREGATE);
	sb_init(&out);
	mrt_elem_bgpdump(&e, MRT_FMT_M, &out);
	/* AS4_PATH merged; no ORIGIN -> INCOMPLETE; no next hop ->
	 * 255.255.255.255; well-known communities by name */
	assert_string_equal(sb_str(&out), "BGP4MP_ET|1700000000.000042|A|"
	    "193.0.0.56|3333|192.0.2.0/24|65001 4200000001|INCOMPLETE|"
	    "255.255.255.255|0|0|3333:100 no-export local-AS|AG||\n");
	sb_reset(&out);
	mrt_elem_bgpdump(&e, MRT_FMT_BIG_M, &out);
	assert_string_equal(sb_str(&out), "BGP4MP_ET|11/14/23 22:13:20.000042|"
	    "A|193.0.0.56|3333|192.0.2.0/24|65001 4200000001|INCOMPLETE\n");
	/* sets print as {a,b} */
	a.as_path.segs = &set;
	a.path = a.as_path;
	a.present[0] &= ~((uint64_t)1 << BGP_ATTR_AS4_PATH);
	sb_reset(&out);
	mrt_elem_bgpdump(&e, MRT_FMT_BIG_M, &out);
	assert_non_null(strstr(sb_str(&out), "|{65001,23456}|"));
	sb_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv6_text_as_bgpdump),
		cmocka_unit_test(announcement_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
