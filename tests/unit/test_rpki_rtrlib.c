/* Route origin validation on real data, ours against RTRlib's pfx_table:
 * the 723k VRPs rpki-client exported on 2025-07-20, every route of the
 * real RIB dumps in ../shared/data (RIS 2002, RouteViews 2014), and for
 * every VRP its own prefix with its AS, another AS, and one bit longer
 * than its max length. Zero mismatches, reasons included. And the
 * revalidation after a change of the tables against a full scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../rpki_ref.h"
#include "rpki/rpki_json.h"
#include "rpki/rpki_rib.h"
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

/* --- revalidation ------------------------------------------------------------ */

struct seen {
	struct trie_key	k;
	uint32_t	vp;
	uint32_t	path_id;
	struct rpki_state old, now;
};

struct seen_list {
	struct seen	*s;
	size_t		 n, cap;
};

static void
seen_add(struct seen_list *l, const struct trie_key *k,
    const struct rib_entry *e, struct rpki_state old, struct rpki_state now)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 1024 : l->cap * 2;
		l->s = realloc(l->s, l->cap * sizeof(*l->s));
		assert_non_null(l->s);
	}
	memset(&l->s[l->n], 0, sizeof(l->s[0]));
	l->s[l->n].k = *k;
	l->s[l->n].vp = e->vp->id;
	l->s[l->n].path_id = e->path_id;
	l->s[l->n].old = old;
	l->s[l->n++].now = now;
}

static void
on_change(const struct rpki_change *c, void *arg)
{
	seen_add(arg, c->k, c->e, c->old, c->now);
}

struct brute {
	struct rib			*r;
	const struct rpki_tables	*a, *b;
	struct seen_list		 l;
	size_t				 routes;
	struct trie			 changed;	/* VRPs' prefixes */
	size_t				 in_changed;	/* routes inside */
};

static int
found(const struct trie_key *k, void *val, void *arg)
{
	(void)k;
	(void)val;
	(void)arg;
	return 1;
}

static void
note_changed(const struct vrp *v, bool added, void *arg)
{
	struct trie *t = arg;
	struct trie_key k;
	void **slot;

	(void)added;
	vrp_key(v, &k);
	assert_non_null(slot = trie_insert(t, &k));
	*slot = (void *)1;
}

static int
brute_entry(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct brute *b = arg;
	struct rpki_state old, now;

	b->routes++;
	if (trie_walk_covering(&b->changed, k, found, NULL) != 0)
		b->in_changed++;
	rpki_route_state(b->a, &b->r->attrs, k, e->attr, e->vp->asn, &old);
	rpki_route_state(b->b, &b->r->attrs, k, e->attr, e->vp->asn, &now);
	if (old.rov != now.rov || old.aspa != now.aspa)
		seen_add(&b->l, k, e, old, now);
	return 0;
}

static int
seen_cmp(const void *pa, const void *pb)
{
	const struct seen *a = pa, *b = pb;
	int c = trie_key_cmp(&a->k, &b->k);

	if (c != 0)
		return c;
	if (a->vp != b->vp)
		return a->vp < b->vp ? -1 : 1;
	return a->path_id < b->path_id ? -1 : a->path_id > b->path_id;
}

/* How much of the RIB a revalidation walks: the changed VRPs' ranges
 * alone, those and the prefixes the changed ASPAs' ASes originate, or
 * every route. */
enum walk { W_RANGES, W_ORIGINS, W_ALL };

/* rpki_revalidate against a full scan of both states: the same routes
 * told, with the same states, having looked at only those in the
 * changed ranges when only VRPs changed, and only the changed ASes'
 * own prefixes when they are only origins. */
static void
expect_same(struct rib *r, const struct rpki_tables *a,
    const struct rpki_tables *b, enum walk walk, size_t *changed)
{
	struct seen_list got = { NULL, 0, 0 };
	struct brute want;
	struct rpki_reval_stats st;
	struct trie_key all[2];

	memset(&want, 0, sizeof(want));
	want.r = r;
	want.a = a;
	want.b = b;
	/* the prefixes of the VRPs that changed, in the RIB's own trie */
	trie_init(&want.changed);
	vrp_table_diff(a->vrps, b->vrps, note_changed, &want.changed);
	rpki_revalidate(r, a, b, &(struct rpki_reval_fns){ on_change, NULL,
	    NULL, &got }, &st);
	memset(all, 0, sizeof(all));
	all[1].v6 = 1;
	rib_more_specifics(r, &all[0], brute_entry, &want);
	rib_more_specifics(r, &all[1], brute_entry, &want);
	assert_int_equal(got.n, want.l.n);
	assert_int_equal(st.routes_changed, got.n);
	if (got.n > 0) {
		qsort(got.s, got.n, sizeof(*got.s), seen_cmp);
		qsort(want.l.s, want.l.n, sizeof(*want.l.s), seen_cmp);
		for (size_t i = 0; i < got.n; i++) {
			const struct seen *x = &got.s[i], *y = &want.l.s[i];

			assert_int_equal(seen_cmp(x, y), 0);
			assert_int_equal(x->old.rov, y->old.rov);
			assert_int_equal(x->now.rov, y->now.rov);
			assert_int_equal(x->old.aspa, y->old.aspa);
			assert_int_equal(x->now.aspa, y->now.aspa);
		}
	}
	/* only the routes inside a changed VRP's prefix, each once */
	assert_int_equal(st.by_origin, walk == W_ORIGINS);
	if (walk == W_RANGES)
		assert_int_equal(st.routes_seen, want.in_changed);
	else if (walk == W_ALL)
		assert_int_equal(st.routes_seen, want.routes);
	else	/* the ranges, and the stubs' few prefixes */
		assert_true(st.routes_seen < want.in_changed +
		    want.routes / 100);
	assert_true(want.in_changed < want.routes);
	trie_destroy(&want.changed);
	print_message("%llu VRPs and %llu ASPA pairs changed: %llu ranges, "
	    "%llu of %zu routes walked, %llu checked, %zu changed state, "
	    "%.3f s\n", (unsigned long long)st.vrps_changed,
	    (unsigned long long)st.pairs_changed,
	    (unsigned long long)st.ranges,
	    (unsigned long long)st.routes_seen, want.routes,
	    (unsigned long long)st.routes_checked, got.n, st.seconds);
	*changed = got.n;
	free(got.s);
	free(want.l.s);
}

static uint64_t rng = 0x2545f4914f6cdd1dull;

/* ASes that only ever originate in the RIB's paths, and are no VP's:
 * the first STUBS of them, in trie order. */
#define STUBS	5

struct stubs {
	struct rib	*r;
	uint32_t	 as[STUBS];
	int		 n;
};

static void
has_downstream(uint32_t neighbor, bool upstream, uint32_t paths, void *arg)
{
	(void)neighbor;
	(void)paths;
	if (!upstream)
		*(bool *)arg = true;
}

static int
find_stub(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct stubs *sb = arg;
	int64_t o = rpki_route_origin(&sb->r->attrs, e->attr, e->vp->asn);
	bool transit = false;

	(void)k;
	if (sb->n == STUBS || o == ROV_NO_ORIGIN || o == 0 ||
	    o == e->vp->asn)
		return sb->n == STUBS;
	for (int i = 0; i < sb->n; i++)
		if (sb->as[i] == (uint32_t)o)
			return 0;
	for (uint32_t i = 0; i < sb->r->nvps; i++)
		if (sb->r->vps[i].asn == (uint32_t)o)
			return 0;
	rib_as_neighbors(sb->r, (uint32_t)o, has_downstream, &transit);
	if (!transit)
		sb->as[sb->n++] = (uint32_t)o;
	return 0;
}

static void
test_revalidate(void **state)
{
	const char *dir = tu_data_dir();
	char rv[1024], ris[1024], path[1024], err[1400];
	const char *files[2] = { rv, ris };
	struct vrp *v, *v2;
	struct aspa_pair *p, *p2;
	size_t nv, np, n2, changed;
	struct rpki_tables a, b;
	struct ref_pick pk;
	struct trie_key all = { 0 };
	struct rib *r;

	(void)state;
	if (dir == NULL)
		skip();
	snprintf(rv, sizeof(rv), "%s/mrt/routeviews/"
	    "route-views2.rib.20140523.0600_firstMB.bz2", dir);
	snprintf(ris, sizeof(ris), "%s/mrt/bgpdump-test/"
	    "bview.20020722.2337.gz", dir);
	assert_non_null(r = ref_rib_load(files, 2));
	snprintf(path, sizeof(path), "%s/rpki/"
	    "rpki-client.vrps.20250720T093135Z.json.bz2", dir);
	if (!rpki_json_load_file(path, 1, &v, &nv, &p, &np, err, sizeof(err)))
		fail_msg("%s", err);
	/* b: 1% of the VRPs gone, and VRPs making 0.5% of routes valid */
	v2 = malloc((nv + 4096) * sizeof(*v2));
	assert_non_null(v2);
	n2 = 0;
	for (size_t i = 0; i < nv; i++)
		if (xorshift64(&rng) % 100 != 0)
			v2[n2++] = v[i];
	pk = (struct ref_pick){ v2 + n2, 0, 4096, &r->attrs, 200, 2, rng };
	rib_more_specifics(r, &all, ref_pick_route, &pk);
	assert_true(pk.n > 100);
	n2 += pk.n;
	p2 = malloc(np * sizeof(*p2));
	memcpy(p2, p, np * sizeof(*p2));
	a = (struct rpki_tables){ vrp_table_build(v, nv),
	    aspa_table_build(p, np), ASPA_DOWNSTREAM };
	b = (struct rpki_tables){ vrp_table_build(v2, n2),
	    aspa_table_build(p2, np), ASPA_DOWNSTREAM };
	assert_non_null(a.vrps);
	assert_non_null(b.vrps);
	expect_same(r, &a, &b, W_RANGES, &changed);
	assert_true(changed > 1000);
	expect_same(r, &b, &a, W_RANGES, &changed);
	assert_true(changed > 1000);
	/* ASPAs: 3356 (a transit in most 2002 and 2014 paths) says it has
	 * no providers; 701 that 3356 is one */
	aspa_table_free((struct aspa_table *)b.aspas);
	p2 = malloc((np + 2) * sizeof(*p2));
	memcpy(p2, p, np * sizeof(*p2));
	p2[np] = (struct aspa_pair){ 3356, 0, 2 };
	p2[np + 1] = (struct aspa_pair){ 701, 3356, 2 };
	b.aspas = aspa_table_build(p2, np + 2);
	expect_same(r, &a, &b, W_ALL, &changed);
	assert_true(changed > 1000);
	/* ASPAs of ASes that are only ever origins (stubs): the routes of
	 * their prefixes alone are walked; with the VRPs' change too */
	aspa_table_free((struct aspa_table *)b.aspas);
	p2 = malloc((np + STUBS) * sizeof(*p2));
	memcpy(p2, p, np * sizeof(*p2));
	{
		struct stubs sb = { .r = r };

		rib_more_specifics(r, &all, find_stub, &sb);
		assert_int_equal(sb.n, STUBS);
		for (int i = 0; i < STUBS; i++)
			p2[np + i] = (struct aspa_pair){ sb.as[i], 64496, 2 };
	}
	b.aspas = aspa_table_build(p2, np + STUBS);
	{
		/* upstream: a hop to an AS not its provider is invalid */
		struct rpki_tables up = { a.vrps, a.aspas, ASPA_UPSTREAM };
		struct rpki_tables c = { a.vrps, b.aspas, ASPA_UPSTREAM };
		size_t alone;

		expect_same(r, &up, &c, W_ORIGINS, &alone);
		assert_true(alone > 0);
		expect_same(r, &c, &up, W_ORIGINS, &changed);
		assert_int_equal(changed, alone);
	}
	expect_same(r, &a, &b, W_ORIGINS, &changed);
	assert_true(changed > 1000);
	/* the other procedure: everything checked */
	b.dir = ASPA_UPSTREAM;
	expect_same(r, &b, &a, W_ALL, &changed);
	assert_true(changed > 1000);
	vrp_table_free((struct vrp_table *)a.vrps);
	vrp_table_free((struct vrp_table *)b.vrps);
	aspa_table_free((struct aspa_table *)a.aspas);
	aspa_table_free((struct aspa_table *)b.aspas);
	rib_free(r);
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
		cmocka_unit_test(test_revalidate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
