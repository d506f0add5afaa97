/* The MRT writer, record by record: what it writes, the reader reads back
 * field for field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "util/bwriter.h"
#include "util/memsrc.h"
#include "util/strbuf.h"
#include "wire/mrt.h"

struct got {
	struct mrt_elem	e[8];
	struct mrt_peer	peers[8];
	char		path[8][64];
	uint8_t		nh[8][16];
	unsigned	n;
};

static int
collect(const struct mrt_elem *e, void *arg)
{
	struct got *g = arg;
	struct strbuf s;

	assert_true(g->n < 8);
	g->e[g->n] = *e;
	g->peers[g->n] = *e->peer;
	if (e->attrs != NULL) {
		sb_init(&s);
		bgp_aspath_str(&e->attrs->path, &s);
		snprintf(g->path[g->n], sizeof(g->path[0]), "%s", sb_str(&s));
		sb_free(&s);
	}
	if (e->nexthop_len > 0)
		memcpy(g->nh[g->n], e->nexthop, e->nexthop_len);
	g->n++;
	return 0;
}

static void
read_back(const struct bwriter *w, struct got *g)
{
	struct memsrc m = { w->buf, w->len, 0 };
	struct mrt_reader *r = mrt_reader_new(memsrc_read, &m);

	memset(g, 0, sizeof(*g));
	assert_int_equal(mrt_reader_run(r, collect, g), MRT_END);
	assert_int_equal(mrt_reader_stats(r)->malformed, 0);
	mrt_reader_free(r);
}

static void
rib_snapshot(void **state)
{
	struct mrt_peer peers[2] = {
		{ .asn = 65001, .bgp_id = 1, .afi = BGP_AFI_IPV4,
		  .ip = { 192, 0, 2, 1 } },
		{ .asn = 4200000001u, .bgp_id = 2, .afi = BGP_AFI_IPV6,
		  .ip = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } },
	};
	uint32_t asns[] = { 4200000001u, 64500 };
	struct bgp_asseg seg = { asns, BGP_AS_SEQUENCE, 2 };
	uint8_t nh6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };
	struct bgp_attrs a;
	struct bwriter w, at;
	struct mrt_rib_entry e[2];
	struct bgp_prefix p = { .afi = BGP_AFI_IPV6, .len = 32,
	    .addr = { 0x20, 0x01, 0x0d, 0xb8 } };
	struct got g;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.origin = BGP_ORIGIN_IGP;
	a.as_path.segs = &seg;
	a.as_path.nsegs = 1;
	a.mp_reach.afi = BGP_AFI_IPV6;
	a.mp_reach.safi = BGP_SAFI_UNICAST;
	a.mp_reach.fam = BGP_FAM_IPV6_UNICAST;
	a.mp_reach.nh = nh6;
	a.mp_reach.nh_len = 16;
	bgp_attrs_set(&a, BGP_ATTR_ORIGIN);
	bgp_attrs_set(&a, BGP_ATTR_AS_PATH);
	bgp_attrs_set(&a, BGP_ATTR_MP_REACH_NLRI);
	bw_init(&at);
	assert_true(mrt_rib_attrs_encode(&a, &at));
	/* MP_REACH_NLRI in RIB form: flags, type, length 17, nh length 16 */
	{
		bool found = false;

		for (size_t i = 0; i + 4 <= at.len; i++)
			found |= memcmp(at.buf + i, "\x80\x0e\x11\x10", 4) == 0;
		assert_true(found);
	}
	e[0] = (struct mrt_rib_entry){ 1, 1000, 7, at.buf, (uint16_t)at.len };
	e[1] = (struct mrt_rib_entry){ 0, 2000, 8, at.buf, (uint16_t)at.len };
	bw_init(&w);
	assert_true(mrt_write_peer_index(&w, 50, 0x0a000001, "v", peers, 2));
	assert_true(mrt_write_rib(&w, 60, 0, &p, BGP_SAFI_UNICAST, true, e, 2));
	read_back(&w, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.e[0].type, MRT_ELEM_RIB);
	assert_int_equal(g.e[0].mrt_subtype, MRT_V2_RIB_IPV6_UNICAST_ADDPATH);
	assert_int_equal(g.e[0].ts, 60);
	assert_int_equal(g.e[0].originated, 1000);
	assert_int_equal(g.e[0].prefix.path_id, 7);
	assert_int_equal(g.e[1].prefix.path_id, 8);
	assert_int_equal(g.peers[0].asn, 4200000001u);
	assert_memory_equal(g.peers[0].ip, peers[1].ip, 16);
	assert_int_equal(g.peers[1].asn, 65001);
	assert_string_equal(g.path[0], "4200000001 64500");
	assert_int_equal(g.e[0].nexthop_len, 16);
	assert_memory_equal(g.nh[0], nh6, 16);
	bw_free(&w);
	bw_free(&at);
}

static void
update_records(void **state)
{
	uint8_t msg[64];
	size_t len = tu_update(NULL, 0, B(TU_MANDATORY), sizeof((uint8_t[]){
	    TU_MANDATORY }), B(0x18, 198, 51, 100), 4, msg);
	struct mrt_bgp4mp b = { .peer_as = 4200000001u, .local_as = 65000,
	    .afi = BGP_AFI_IPV4, .peer_ip = { 192, 0, 2, 7 },
	    .local_ip = { 192, 0, 2, 1 }, .subtype = MRT_BGP4MP_MESSAGE_AS4 };
	struct mrt_bgp4mp st = { .peer_as = 65001, .afi = BGP_AFI_IPV4,
	    .peer_ip = { 192, 0, 2, 8 }, .is_state_change = true,
	    .old_state = 5, .new_state = 6,
	    .subtype = MRT_BGP4MP_STATE_CHANGE };
	struct bwriter w;
	struct got g;

	(void)state;
	bw_init(&w);
	assert_true(mrt_write_bgp4mp(&w, 100, true, 123456, &b, msg, len));
	assert_true(mrt_write_bgp4mp(&w, 101, false, 0, &st, NULL, 0));
	read_back(&w, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.e[0].type, MRT_ELEM_ANNOUNCE);
	assert_int_equal(g.e[0].mrt_type, MRT_BGP4MP_ET);
	assert_int_equal(g.e[0].usec, 123456);
	assert_int_equal(g.peers[0].asn, 4200000001u);
	assert_int_equal(g.e[0].prefix.len, 24);
	assert_string_equal(g.path[0], "65001");
	assert_int_equal(g.e[1].type, MRT_ELEM_STATE);
	assert_int_equal(g.e[1].mrt_type, MRT_BGP4MP);
	assert_int_equal(g.e[1].old_state, 5);
	assert_int_equal(g.e[1].new_state, 6);
	assert_int_equal(g.peers[1].ip[3], 8);
	bw_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rib_snapshot),
		cmocka_unit_test(update_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
