/* RPKI: route origin validation against a naive reading of RFC 6811 on
 * random VRPs and routes, the table diff, ASPA verification on the
 * draft's published examples and OpenBGPD's regress vectors, and the
 * JSON loader on real exports and hostile text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rpki_ref.h"
#include "rpki/aspa.h"
#include "rpki/rpki_json.h"
#include "rpki/vrp.h"
#include "testutil.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
next_rand(void)
{
	return xorshift64(&rng);
}

static struct trie_key
key(const char *s)
{
	struct trie_key k;

	assert_true(trie_key_parse(s, &k));
	return k;
}

static struct vrp
vrp(const char *prefix, unsigned maxlen, uint32_t asn)
{
	struct trie_key k = key(prefix);
	struct vrp v;

	memset(&v, 0, sizeof(v));
	vrp_set_key(&v, &k);
	v.maxlen = (uint8_t)maxlen;
	v.asn = asn;
	v.src = 1;
	return v;
}

static struct vrp_table *
table_of(const struct vrp *v, size_t n)
{
	struct vrp *c = malloc((n + 1) * sizeof(*c));
	struct vrp_table *t;

	assert_non_null(c);
	memcpy(c, v, n * sizeof(*c));
	t = vrp_table_build(c, n);
	assert_non_null(t);
	return t;
}

/* --- ROV ------------------------------------------------------------------ */

/* RFC 6811's outcomes and our reasons, by hand. */
static void
test_rov_cases(void **state)
{
	const struct vrp v[] = {
		vrp("10.0.0.0/8", 16, 64500),
		vrp("10.1.0.0/16", 24, 64501),
		vrp("10.1.0.0/16", 16, 64502),
		vrp("192.0.2.0/24", 24, 0),		/* AS0: no route */
		vrp("2001:db8::/32", 48, 64503),
		vrp("::/0", 0, 64504),			/* the default only */
	};
	static const struct {
		const char	*prefix;
		int64_t		 origin;
		enum rov_state	 want;
	} c[] = {
		{ "10.0.0.0/8", 64500, ROV_VALID },
		{ "10.2.0.0/16", 64500, ROV_VALID },
		{ "10.2.0.0/17", 64500, ROV_INVALID_LENGTH },
		{ "10.2.0.0/16", 64999, ROV_INVALID_ORIGIN },
		{ "10.1.2.0/24", 64501, ROV_VALID },
		{ "10.1.0.0/16", 64502, ROV_VALID },
		{ "10.1.2.0/24", 64502, ROV_INVALID_LENGTH },
		/* covered by 10/8 too: AS 64500 up to /16 only */
		{ "10.1.2.0/24", 64500, ROV_INVALID_LENGTH },
		{ "10.1.0.0/16", 64500, ROV_VALID },
		{ "10.1.0.0/16", ROV_NO_ORIGIN, ROV_INVALID_ORIGIN },
		{ "192.0.2.0/24", 0, ROV_INVALID_ORIGIN },
		{ "192.0.2.0/24", 64500, ROV_INVALID_ORIGIN },
		{ "192.0.2.128/25", 64500, ROV_INVALID_ORIGIN },
		{ "192.0.3.0/24", 64500, ROV_NOT_FOUND },
		{ "11.0.0.0/8", 64500, ROV_NOT_FOUND },
		/* 10/7 is not covered by 10/8 */
		{ "10.0.0.0/7", 64500, ROV_NOT_FOUND },
		{ "::/0", 64504, ROV_VALID },
		{ "::/0", 64500, ROV_INVALID_ORIGIN },
		{ "2001:db8:1::/48", 64503, ROV_VALID },
		{ "2001:db8:1::/49", 64503, ROV_INVALID_LENGTH },
		/* covered by ::/0 alone */
		{ "2001:db9::/32", 64503, ROV_INVALID_ORIGIN },
		{ "2001:db8::/31", 64504, ROV_INVALID_LENGTH },
		{ "0.0.0.0/0", 64504, ROV_NOT_FOUND },
	};
	struct vrp_table *t = table_of(v, sizeof(v) / sizeof(v[0]));

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct trie_key k = key(c[i].prefix);
		enum rov_state got = rov_validate(t, &k, c[i].origin);

		if (got != c[i].want)
			fail_msg("%s AS%lld: %s, wanted %s", c[i].prefix,
			    (long long)c[i].origin, rov_state_name(got),
			    rov_state_name(c[i].want));
	}
	assert_int_equal(vrp_table_count(t, 0), 4);
	assert_int_equal(vrp_table_count(t, 1), 2);
	vrp_table_free(t);
}

/* A random prefix near one of a few bases, so that VRPs nest. */
static struct trie_key
random_key(bool v6)
{
	static const uint64_t base[] = {
		0x0a00000000000000ull, 0xc000020000000000ull,
		0x20010db800000000ull, 0xffffffff00000000ull, 0,
	};
	unsigned bits = v6 ? 128 : 32;
	struct bgp_prefix p;
	struct trie_key k;
	uint64_t hi = base[next_rand() % 5] ^ (next_rand() &
	    (next_rand() % 2 ? 0x0000ffffffffffffull : 0x00000000ffffffffull));
	uint64_t lo = v6 ? next_rand() : 0;

	memset(&p, 0, sizeof(p));
	p.afi = v6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	p.len = (uint8_t)(next_rand() % 4 == 0 ? next_rand() % (bits + 1) :
	    (v6 ? 16 + next_rand() % 40 : 4 + next_rand() % 26));
	for (int i = 0; i < 8; i++)
		p.addr[i] = (uint8_t)(hi >> (56 - 8 * i));
	for (int i = 0; i < 8; i++)
		p.addr[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	bgp_prefix_mask(&p);
	assert_true(trie_key_from_prefix(&p, &k));
	return k;
}

struct why {
	unsigned	n;
	const struct trie_key *k;
};

static void
count_why(const struct vrp *v, void *arg)
{
	struct why *w = arg;
	struct trie_key vk;

	vrp_key(v, &vk);
	assert_true(trie_key_covers(&vk, w->k));
	w->n++;
}

/* Thousands of random tables, each against a naive scan of its VRPs:
 * the state, and the covering VRPs rov_validate_why names. */
static void
test_rov_random(void **state)
{
	unsigned rounds = 300, checks = 0;

	(void)state;
	for (unsigned r = 0; r < rounds; r++) {
		size_t n = 1 + next_rand() % 400;
		struct vrp *v = malloc(n * sizeof(*v));
		struct vrp_table *t;

		for (size_t i = 0; i < n; i++) {
			bool v6 = next_rand() % 3 == 0;
			struct trie_key k = random_key(v6);
			unsigned bits = v6 ? 128 : 32;

			memset(&v[i], 0, sizeof(v[i]));
			vrp_set_key(&v[i], &k);
			v[i].maxlen = (uint8_t)(k.len + next_rand() %
			    (bits - k.len + 1));
			v[i].asn = (uint32_t)(next_rand() % 6);
			v[i].src = 1u << (next_rand() % 3);
		}
		t = table_of(v, n);
		for (unsigned q = 0; q < 600; q++) {
			struct trie_key k = random_key(next_rand() % 3 == 0);
			int64_t origin = next_rand() % 8 == 0 ? ROV_NO_ORIGIN :
			    (int64_t)(next_rand() % 6);
			unsigned covering;
			enum rov_state want = ref_naive_rov(v, n, &k, origin,
			    &covering);
			struct why w = { 0, &k };

			/* a VRP's own prefix too, to hit the boundaries */
			if (q % 3 == 0) {
				vrp_key(&v[next_rand() % n], &k);
				want = ref_naive_rov(v, n, &k, origin,
				    &covering);
			}
			assert_int_equal(rov_validate(t, &k, origin), want);
			assert_int_equal(rov_validate_why(t, &k, origin,
			    count_why, &w), want);
			/* duplicates are merged in the table */
			assert_true(w.n <= covering);
			assert_true((w.n == 0) == (covering == 0));
			checks++;
		}
		vrp_table_free(t);
		free(v);
	}
	assert_true(checks == rounds * 600);
}

/* Duplicates merge with their sources' bits; diff sees VRPs, not bits. */
static void
test_vrp_merge(void **state)
{
	struct vrp a[] = {
		vrp("10.0.0.0/8", 8, 1), vrp("10.0.0.0/8", 8, 1),
		vrp("10.0.0.0/8", 16, 1), vrp("2001:db8::/32", 32, 2),
	};
	struct vrp b[] = {
		vrp("10.0.0.0/8", 8, 1), vrp("192.0.2.0/24", 24, 3),
		vrp("2001:db8::/32", 32, 2),
	};
	struct vrp_table *ta, *tb;
	const struct vrp *all;
	size_t n;

	(void)state;
	a[1].src = 2;
	b[2].src = 4;
	ta = table_of(a, 4);
	tb = table_of(b, 3);
	all = vrp_table_vrps(ta, &n);
	assert_int_equal(n, 3);
	assert_int_equal(all[0].src, 3);
	assert_int_equal(all[0].maxlen, 8);
	assert_int_equal(all[1].maxlen, 16);
	all = vrp_table_vrps(tb, &n);
	assert_int_equal(n, 3);
	assert_int_equal(all[2].src, 4);
	vrp_table_free(ta);
	vrp_table_free(tb);
}

struct diffs {
	char	 text[8][VRP_STRLEN + 2];
	unsigned n;
};

static void
diff_note(const struct vrp *v, bool added, void *arg)
{
	struct diffs *d = arg;
	char buf[VRP_STRLEN];

	assert_true(d->n < 8);
	snprintf(d->text[d->n++], sizeof(d->text[0]), "%c%s", added ? '+' :
	    '-', vrp_str(v, buf, sizeof(buf)));
}

static void
test_vrp_diff(void **state)
{
	struct vrp a[] = {
		vrp("10.0.0.0/8", 8, 1), vrp("10.0.0.0/8", 16, 1),
		vrp("2001:db8::/32", 32, 2),
	};
	struct vrp b[] = {
		vrp("10.0.0.0/8", 8, 1), vrp("192.0.2.0/24", 24, 3),
		vrp("2001:db8::/32", 32, 2),
	};
	struct vrp_table *ta, *tb;
	struct diffs d = { .n = 0 };

	(void)state;
	b[2].src = 4;			/* another source only: no change */
	ta = table_of(a, 3);
	tb = table_of(b, 3);
	assert_int_equal(vrp_table_diff(ta, tb, diff_note, &d), 2);
	assert_string_equal(d.text[0], "-10.0.0.0/8-16 AS1");
	assert_string_equal(d.text[1], "+192.0.2.0/24-24 AS3");
	vrp_table_free(ta);
	vrp_table_free(tb);
}

static void
test_keys_outermost(void **state)
{
	struct trie_key k[] = {
		key("10.1.0.0/16"), key("10.0.0.0/8"), key("10.1.2.0/24"),
		key("11.0.0.0/8"), key("10.0.0.0/8"), key("2001:db8::/32"),
		key("2001:db8:1::/48"), key("0.0.0.0/1"),
	};
	char buf[64];
	size_t n = vrp_keys_outermost(k, 8);

	(void)state;
	assert_int_equal(n, 2);
	assert_string_equal(trie_key_str(&k[0], buf, sizeof(buf)),
	    "0.0.0.0/1");
	assert_string_equal(trie_key_str(&k[1], buf, sizeof(buf)),
	    "2001:db8::/32");
	k[0] = key("10.1.0.0/16");
	k[1] = key("10.0.0.0/8");
	k[2] = key("11.0.0.0/8");
	k[3] = key("10.255.0.0/16");
	assert_int_equal(vrp_keys_outermost(k, 4), 2);
	assert_string_equal(trie_key_str(&k[1], buf, sizeof(buf)),
	    "11.0.0.0/8");
}

/* --- ASPA --------------------------------------------------------------- */

struct aspa_def {
	uint32_t	customer;
	uint32_t	providers[32];
};

static struct aspa_table *
aspa_of(const struct aspa_def *d, size_t n)
{
	struct aspa_pair *p = malloc(4096 * sizeof(*p));
	size_t np = 0;

	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; d[i].providers[j] != UINT32_MAX; j++) {
			p[np].customer = d[i].customer;
			p[np].provider = d[i].providers[j];
			p[np++].src = 1;
		}
	return aspa_table_build(p, np);
}

#define END	UINT32_MAX

struct aspa_case {
	const char	*name;
	enum aspa_dir	 dir;
	uint32_t	 path[16];	/* neighbor first, END-terminated */
	enum aspa_state	 want;
};

static void
run_cases(const struct aspa_table *t, const struct aspa_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct aspa_path p = { c[i].path, 0, false };
		enum aspa_state got;

		while (c[i].path[p.n] != END)
			p.n++;
		got = aspa_verify(t, &p, c[i].dir);
		if (got != c[i].want)
			fail_msg("%s: %s, wanted %s", c[i].name,
			    aspa_state_name(got), aspa_state_name(c[i].want));
	}
}

/* The draft's examples (its reference [aspa-examples], section 6.1 of
 * -27), topology 1: A=1 .. G=7. */
static void
test_aspa_draft_examples(void **state)
{
	enum { A = 1, B, C, D, E, F, G };
	static const struct aspa_def set[] = {
		{ A, { C, D, END } },
		{ B, { E, END } },
		{ C, { F, END } },
		{ D, { F, G, END } },
		{ G, { 0, END } },
	};
	static const struct aspa_case c[] = {
		{ "U1", ASPA_UPSTREAM, { F, C, A, END }, ASPA_VALID },
		{ "U2", ASPA_UPSTREAM, { D, C, A, END }, ASPA_INVALID },
		{ "U3", ASPA_UPSTREAM, { D, F, C, A, END }, ASPA_UNKNOWN },
		{ "U4", ASPA_UPSTREAM, { D, E, B, END }, ASPA_UNKNOWN },
		{ "U5", ASPA_UPSTREAM, { A, D, E, B, END }, ASPA_INVALID },
		{ "U6", ASPA_UPSTREAM, { A, D, G, E, B, END }, ASPA_INVALID },
		{ "U7", ASPA_UPSTREAM, { A, C, F, END }, ASPA_INVALID },
		{ "U8", ASPA_UPSTREAM, { A, C, F, G, END }, ASPA_INVALID },
		{ "U9", ASPA_UPSTREAM, { E, B, END }, ASPA_VALID },
		{ "D1", ASPA_DOWNSTREAM, { E, G, F, C, A, END }, ASPA_UNKNOWN },
		{ "D2", ASPA_DOWNSTREAM, { E, G, D, A, END }, ASPA_VALID },
		{ "D3", ASPA_DOWNSTREAM, { E, D, C, A, END }, ASPA_UNKNOWN },
		{ "D4", ASPA_DOWNSTREAM, { E, G, D, C, A, END }, ASPA_INVALID },
		{ "D5", ASPA_DOWNSTREAM, { C, F, D, G, END }, ASPA_UNKNOWN },
		{ "D6", ASPA_DOWNSTREAM, { D, G, E, B, END }, ASPA_VALID },
		{ "D7", ASPA_DOWNSTREAM, { C, D, G, E, B, END }, ASPA_INVALID },
		{ "D8", ASPA_DOWNSTREAM, { F, C, A, END }, ASPA_VALID },
		{ "D9", ASPA_DOWNSTREAM, { E, A, END }, ASPA_VALID },
		{ "D10", ASPA_DOWNSTREAM, { E, C, A, END }, ASPA_VALID },
		/* prepends count once; an AS_SET or nothing is invalid */
		{ "U1 prepended", ASPA_UPSTREAM, { F, F, C, A, A, A, END },
		    ASPA_VALID },
		{ "empty", ASPA_UPSTREAM, { END }, ASPA_INVALID },
		{ "origin only", ASPA_UPSTREAM, { G, END }, ASPA_VALID },
		{ "no ASPAs", ASPA_UPSTREAM, { E, F, E, END }, ASPA_UNKNOWN },
	};
	struct aspa_table *t = aspa_of(set, sizeof(set) / sizeof(set[0]));
	struct aspa_path with_set = { (const uint32_t[]){ F, C, A }, 3, true };

	(void)state;
	run_cases(t, c, sizeof(c) / sizeof(c[0]));
	assert_int_equal(aspa_verify(t, &with_set, ASPA_DOWNSTREAM),
	    ASPA_INVALID);
	assert_int_equal(aspa_hop(t, G, D), ASPA_NOT_PROVIDER);
	assert_int_equal(aspa_hop(t, A, D), ASPA_PROVIDER);
	assert_int_equal(aspa_hop(t, E, A), ASPA_NO_ATTESTATION);
	aspa_table_free(t);
}

/* Topology 2 of the examples: complex relationships, H=1 .. S=8. C2 is
 * C1's path (J H) as another AS of the topology receives it, on a
 * session whose relationship also makes it upstream verification: the
 * same path, the same verdict. */
static void
test_aspa_draft_complex(void **state)
{
	enum { H = 1, J, K, L, P, Q, R, S };
	static const struct aspa_def set[] = {
		{ H, { 0, END } }, { K, { 0, END } }, { L, { K, END } },
		{ P, { 0, END } }, { Q, { 0, END } }, { R, { Q, END } },
		{ S, { R, END } },
	};
	static const struct aspa_case c[] = {
		{ "C1", ASPA_UPSTREAM, { J, H, END }, ASPA_INVALID },
		{ "C2", ASPA_UPSTREAM, { J, H, END }, ASPA_INVALID },
		{ "C3", ASPA_DOWNSTREAM, { K, J, H, END }, ASPA_INVALID },
		{ "C4", ASPA_UPSTREAM, { Q, P, END }, ASPA_INVALID },
		{ "C5", ASPA_DOWNSTREAM, { Q, P, END }, ASPA_VALID },
		{ "C6", ASPA_DOWNSTREAM, { R, Q, P, END }, ASPA_VALID },
	};
	struct aspa_table *t = aspa_of(set, sizeof(set) / sizeof(set[0]));

	(void)state;
	run_cases(t, c, sizeof(c) / sizeof(c[0]));
	aspa_table_free(t);
}

/* OpenBGPD's regress vectors (regress/usr.sbin/bgpd/unittests/
 * rde_aspa_test.c): ROLE_CUSTOMER there is our downstream. */
static void
test_aspa_openbgpd_vectors(void **state)
{
	static const struct aspa_def set[] = {
		{ 1, { 4, 5, 6, END } }, { 2, { 10, 11, END } },
		{ 3, { 1, 13, 14, END } }, { 4, { 16, 24, END } },
		{ 5, { 1, 17, 25, END } }, { 8, { 0, END } },
		{ 9, { 2, END } }, { 10, { 0, END } }, { 11, { 2, END } },
		{ 12, { 3, END } }, { 13, { 0, END } }, { 14, { 3, 25, END } },
		{ 15, { 4, END } }, { 16, { 4, END } }, { 17, { 5, END } },
		{ 18, { 6, END } }, { 20, { 19, END } }, { 21, { 0, END } },
		{ 23, { 22, END } }, { 24, { 0, END } }, { 25, { 0, END } },
		{ 26, { 5, END } }, { 27, { 14, END } },
		{ 101, { 102, END } }, { 102, { 103, 104, 105, END } },
		{ 103, { 111, 112, 203, END } }, { 105, { 0, END } },
		{ 112, { 0, END } }, { 113, { 104, 105, 204, 205, END } },
		{ 201, { 202, END } }, { 202, { 203, 204, 205, END } },
		{ 203, { 103, 111, 112, END } }, { 205, { 0, END } },
	};
#define UP(...)		{ #__VA_ARGS__, ASPA_UPSTREAM, { __VA_ARGS__, END }
#define DOWN(...)	{ #__VA_ARGS__, ASPA_DOWNSTREAM, { __VA_ARGS__, END }
	static const struct aspa_case c[] = {
		UP(2), ASPA_VALID }, UP(7), ASPA_VALID },
		DOWN(4), ASPA_VALID },
		UP(2, 8), ASPA_INVALID }, UP(2, 9), ASPA_VALID },
		UP(2, 10), ASPA_INVALID }, UP(2, 11), ASPA_VALID },
		UP(3, 8), ASPA_INVALID }, UP(3, 12), ASPA_VALID },
		UP(3, 13), ASPA_INVALID }, UP(3, 14), ASPA_VALID },
		DOWN(4, 8), ASPA_VALID }, DOWN(5, 26), ASPA_VALID },
		DOWN(6, 19), ASPA_VALID },
		UP(7, 19), ASPA_UNKNOWN }, UP(7, 21), ASPA_INVALID },
		DOWN(6, 19, 20), ASPA_VALID }, DOWN(20, 19, 6), ASPA_VALID },
		UP(3, 14, 25), ASPA_INVALID }, UP(3, 14, 19), ASPA_UNKNOWN },
		UP(3, 14, 21), ASPA_INVALID }, UP(3, 14, 27), ASPA_VALID },
		UP(7, 19, 22, 21), ASPA_INVALID },
		DOWN(6, 19, 22, 23), ASPA_UNKNOWN },
		DOWN(1, 5, 17, 13, 3, 14, 27), ASPA_VALID },
		DOWN(27, 14, 3, 13, 17, 5, 1), ASPA_VALID },
		DOWN(27, 14, 3, 6, 7, 19, 17, 5, 1), ASPA_INVALID },
		DOWN(27, 14, 3, 7, 19, 6, 1, 5, 17), ASPA_UNKNOWN },
		DOWN(201, 202, 203, 103, 102, 101), ASPA_VALID },
		DOWN(101, 102, 103, 203, 202, 201), ASPA_VALID },
		DOWN(201, 202, 203, 111, 103, 102, 101), ASPA_VALID },
		DOWN(101, 102, 103, 111, 203, 202, 201), ASPA_VALID },
		DOWN(201, 202, 203, 112, 103, 102, 101), ASPA_VALID },
		DOWN(201, 202, 204, 104, 102, 101), ASPA_VALID },
		DOWN(201, 202, 205, 105, 102, 101), ASPA_VALID },
		DOWN(201, 202, 205, 111, 105, 102, 101), ASPA_INVALID },
		DOWN(201, 202, 205, 112, 105, 102, 101), ASPA_INVALID },
		DOWN(201, 202, 205, 113, 105, 102, 101), ASPA_INVALID },
		DOWN(201, 202, 205, 111, 104, 102, 101), ASPA_UNKNOWN },
		DOWN(201, 202, 204, 111, 105, 102, 101), ASPA_UNKNOWN },
		DOWN(201, 202, 204, 113, 104, 102, 101), ASPA_UNKNOWN },
	};
#undef UP
#undef DOWN
	struct aspa_table *t = aspa_of(set, sizeof(set) / sizeof(set[0]));

	(void)state;
	run_cases(t, c, sizeof(c) / sizeof(c[0]));
	/* their pair lookups */
	assert_int_equal(aspa_hop(t, 6, 1), ASPA_NO_ATTESTATION);
	assert_int_equal(aspa_hop(t, 1, 7), ASPA_NOT_PROVIDER);
	assert_int_equal(aspa_hop(t, 8, 2), ASPA_NOT_PROVIDER);
	assert_int_equal(aspa_hop(t, 27, 14), ASPA_PROVIDER);
	assert_int_equal(aspa_table_customers(t), 33);
	aspa_table_free(t);
}

/* A provider set of {0, P} is P's alone; pairs of two sources merge. */
static void
test_aspa_merge(void **state)
{
	struct aspa_pair *p = malloc(4 * sizeof(*p));
	struct aspa_table *t;
	const uint32_t *prov;
	size_t n;

	(void)state;
	p[0] = (struct aspa_pair){ 10, 0, 1 };
	p[1] = (struct aspa_pair){ 10, 20, 1 };
	p[2] = (struct aspa_pair){ 10, 20, 2 };
	p[3] = (struct aspa_pair){ 10, 30, 2 };
	t = aspa_table_build(p, 4);
	prov = aspa_providers(t, 10, &n);
	assert_int_equal(n, 3);
	assert_int_equal(prov[1], 20);
	assert_int_equal(aspa_hop(t, 10, 20), ASPA_PROVIDER);
	assert_int_equal(aspa_hop(t, 10, 40), ASPA_NOT_PROVIDER);
	assert_null(aspa_providers(t, 11, &n));
	assert_int_equal(aspa_table_pairs(t, &n)[1].src, 3);
	aspa_table_free(t);
}

/* --- JSON --------------------------------------------------------------- */

struct loaded {
	struct vrp	*v;
	size_t		 nv;
	struct aspa_pair *p;
	size_t		 np;
	char		 err[RPKI_JSON_ERR_MAX];
};

/* Fed in pieces of step bytes (0: at once). */
static bool
load_text(const char *text, size_t step, struct loaded *l)
{
	struct rpki_json *j = rpki_json_new(1);
	size_t len = strlen(text), off = 0;
	bool ok = true;

	assert_non_null(j);
	memset(l, 0, sizeof(*l));
	while (ok && off < len) {
		size_t n = step == 0 || step > len - off ? len - off : step;

		ok = rpki_json_feed(j, text + off, n);
		off += n;
	}
	if (ok)
		ok = rpki_json_end(j);
	if (ok)
		rpki_json_take(j, &l->v, &l->nv, &l->p, &l->np);
	else
		snprintf(l->err, sizeof(l->err), "%s", rpki_json_error(j));
	rpki_json_free(j);
	return ok;
}

static void
loaded_free(struct loaded *l)
{
	free(l->v);
	free(l->p);
}

static void
test_json_spellings(void **state)
{
	static const char text[] =
	    "{\"metadata\": {\"buildtime\": \"2025-07-20T09:31:33Z\", "
	    "\"talfiles\": [\"a\", {\"b\": [1]}]},\n"
	    " \"roas\": [\n"
	    "  {\"asn\": 13335, \"prefix\": \"1.0.0.0/24\", \"maxLength\": 24,"
	    " \"ta\": \"apnic\", \"expires\": 1753453058},\n"
	    "  {\"asn\": \"AS37125\", \"prefix\": \"2c0f:fff0::/32\", "
	    "\"maxLength\": 128, \"source\": [{\"type\": \"roa\", "
	    "\"validity\": {\"notBefore\": \"x\"}}]},\n"
	    "  {\"prefix\": \"10.0.0.0/8\", \"asn\": \"as0\"}],\n"
	    " \"bgpsec_keys\": [{\"asn\": 1, \"ski\": \"x\"}],\n"
	    " \"aspas\": [\n"
	    "  {\"customer_asid\": 945, \"expires\": 1, \"providers\": "
	    "[13213, 150369]},\n"
	    "  {\"customer\": \"AS64496\", \"providers\": [\"AS64497\", "
	    "{\"provider_asid\": 64498, \"afi_limit\": \"ipv4\"}]},\n"
	    "  {\"providers\": [0], \"customer_asid\": 39002}]}";
	struct loaded l, l1;
	char buf[VRP_STRLEN];

	(void)state;
	assert_true(load_text(text, 0, &l));
	assert_int_equal(l.nv, 3);
	assert_string_equal(vrp_str(&l.v[0], buf, sizeof(buf)),
	    "1.0.0.0/24-24 AS13335");
	assert_string_equal(vrp_str(&l.v[1], buf, sizeof(buf)),
	    "2c0f:fff0::/32-128 AS37125");
	/* no maxLength: the prefix's length (RFC 6482) */
	assert_string_equal(vrp_str(&l.v[2], buf, sizeof(buf)),
	    "10.0.0.0/8-8 AS0");
	assert_int_equal(l.np, 5);
	assert_int_equal(l.p[0].customer, 945);
	assert_int_equal(l.p[1].provider, 150369);
	assert_int_equal(l.p[3].customer, 64496);
	assert_int_equal(l.p[3].provider, 64498);
	assert_int_equal(l.p[4].customer, 39002);
	assert_int_equal(l.p[4].provider, 0);
	/* the same a byte at a time */
	assert_true(load_text(text, 1, &l1));
	assert_int_equal(l1.nv, l.nv);
	assert_int_equal(l1.np, l.np);
	assert_memory_equal(l1.v, l.v, l.nv * sizeof(*l.v));
	assert_memory_equal(l1.p, l.p, l.np * sizeof(*l.p));
	loaded_free(&l);
	loaded_free(&l1);
}

static void
test_json_hostile(void **state)
{
	static const struct {
		const char	*text;
		const char	*err;
	} c[] = {
		{ "[]", "the text is not a JSON object" },
		{ "", "no JSON text" },
		{ "{\"roas\": {}}", "roas: not a list" },
		{ "{\"roas\": 5}", "roas: not a list" },
		{ "{\"roas\": [5]}", "roas[0]: not an object" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/24\", \"asn\": 1}, []]}",
		    "roas[1]: not an object" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/33\", \"asn\": 1}]}",
		    "roas[0]: \"1.0.0.0/33\" is not a prefix" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.1/24\", \"asn\": 1}]}",
		    "roas[0]: \"1.0.0.1/24\" has bits set past its length" },
		{ "{\"roas\": [{\"prefix\": 7, \"asn\": 1}]}",
		    "roas[0]: prefix is not a prefix" },
		{ "{\"roas\": [{\"prefix\": [\"1.0.0.0/8\"], \"asn\": 1}]}",
		    "roas[0]: prefix is not a string" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\", \"asn\": 1, "
		    "\"maxLength\": 200}]}",
		    "roas[0]: maxLength 200 is more than 32" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\", \"asn\": 1, "
		    "\"maxLength\": 99999999999999999999999}]}",
		    "roas[0]: maxLength 99999999999999999999999 is not a "
		    "length" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/16\", \"asn\": 1, "
		    "\"maxLength\": 8}]}",
		    "roas[0]: maxLength 8 is less than the prefix length 16" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\", \"asn\": 1, "
		    "\"maxLength\": \"24\"}]}",
		    "roas[0]: maxLength is not a number" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\", \"asn\": 1, "
		    "\"maxLength\": -1}]}", "roas[0]: maxLength -1 is not a "
		    "length" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\", \"asn\": "
		    "4294967296}]}",
		    "roas[0]: asn 4294967296 is not an AS number" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\", \"asn\": \"ASx\"}]}",
		    "roas[0]: asn ASx is not an AS number" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\", \"asn\": 1.5}]}",
		    "roas[0]: asn 1.5 is not an AS number" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\", \"asn\": true}]}",
		    "roas[0]: asn true is not an AS number" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\"}]}",
		    "roas[0]: no asn" },
		{ "{\"roas\": [{\"asn\": 5}]}", "roas[0]: no prefix" },
		{ "{\"roas\": [{\"asn\": 5, \"asn\": 6, \"prefix\": "
		    "\"1.0.0.0/8\"}]}", "roas[0]: asn given twice" },
		{ "{\"aspas\": [{\"customer_asid\": 1}]}",
		    "aspas[0]: no providers" },
		{ "{\"aspas\": [{\"customer_asid\": 1, \"providers\": []}]}",
		    "aspas[0]: an empty provider list (AS 0 says none)" },
		{ "{\"aspas\": [{\"providers\": [2]}]}",
		    "aspas[0]: no customer" },
		{ "{\"aspas\": [{\"customer_asid\": 1, \"providers\": "
		    "[2, \"x\"]}]}", "aspas[0].providers[1]: x is not an AS "
		    "number" },
		{ "{\"aspas\": [{\"customer_asid\": 1, \"providers\": "
		    "[2, null]}]}", "aspas[0].providers[1]: not an AS number" },
		{ "{\"aspas\": [{\"customer_asid\": 1, \"providers\": "
		    "[2, 1]}]}", "aspas[0].providers[1]: the customer AS1 as "
		    "its own provider" },
		{ "{\"aspas\": [{\"providers\": [1], \"customer_asid\": 1}]}",
		    "aspas[0]: the customer AS1 as its own provider" },
		{ "{\"aspas\": [{\"customer_asid\": 1, \"providers\": "
		    "[{\"afi_limit\": \"ipv4\"}]}]}",
		    "aspas[0].providers[0]: no provider_asid" },
		{ "{\"aspas\": [{\"customer_asid\": 1, \"providers\": 2}]}",
		    "aspas[0]: providers: not a list" },
		{ "{\"roas\": [], \"roas\": [}",
		    "not JSON at byte 23: parse error: unallowed token at this "
		    "point in JSON text" },
		{ "{\"roas\": [{\"prefix\": \"1.0.0.0/8\", \"asn\": 1}",
		    "not JSON at byte 44: parse error: premature EOF" },
		{ "{} {}", "not JSON at byte 4: parse error: trailing garbage" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct loaded l;

		if (load_text(c[i].text, 0, &l))
			fail_msg("%s: accepted", c[i].text);
		if (strcmp(l.err, c[i].err) != 0)
			fail_msg("%s: \"%s\", wanted \"%s\"", c[i].text, l.err,
			    c[i].err);
	}
}

/* The real exports: rpki-client (2021, 2023, 2025 with ASPAs) and
 * Routinator's jsonext, with the counts their own metadata gives. */
static void
test_json_real(void **state)
{
	static const struct {
		const char	*file;
		size_t		 vrps, unique, pairs;
	} f[] = {
		{ "rpki/rpkilog.roa_test.routinator_jsonext.json", 2, 2, 0 },
		{ "rpki/rpkilog.roa_test.rpkiclient2021.json", 0, 0, 0 },
		{ "rpki/stayrtr.test.rpki.json", 0, 0, 0 },
		{ "rpki/rpki-client.vrps.20250720T093135Z.json.bz2", 723521,
		    723521, 0 },
	};
	const char *dir = tu_data_dir();
	char path[1024], err[RPKI_JSON_ERR_MAX + 1100];

	(void)state;
	if (dir == NULL)
		skip();
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		struct vrp *v;
		struct aspa_pair *p;
		struct vrp_table *t;
		struct aspa_table *a;
		size_t nv, np, n;

		snprintf(path, sizeof(path), "%s/%s", dir, f[i].file);
		if (!rpki_json_load_file(path, 1, &v, &nv, &p, &np, err,
		    sizeof(err)))
			fail_msg("%s", err);
		assert_true(nv > 0);
		if (f[i].vrps > 0)
			assert_int_equal(nv, f[i].vrps);
		t = vrp_table_build(v, nv);
		a = aspa_table_build(p, np);
		assert_non_null(t);
		assert_non_null(a);
		vrp_table_vrps(t, &n);
		if (f[i].unique > 0)
			assert_int_equal(n, f[i].unique);
		if (strstr(f[i].file, "2025") != NULL) {
			/* metadata: 100 ASPAs, 1.1.1.0/24 by AS13335 */
			struct trie_key k = key("1.1.1.0/24");

			assert_int_equal(aspa_table_customers(a), 100);
			assert_int_equal(rov_validate(t, &k, 13335), ROV_VALID);
			assert_int_equal(rov_validate(t, &k, 15169),
			    ROV_INVALID_ORIGIN);
			assert_int_equal(aspa_hop(a, 945, 13213),
			    ASPA_PROVIDER);
		}
		vrp_table_free(t);
		aspa_table_free(a);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rov_cases),
		cmocka_unit_test(test_rov_random),
		cmocka_unit_test(test_vrp_merge),
		cmocka_unit_test(test_vrp_diff),
		cmocka_unit_test(test_keys_outermost),
		cmocka_unit_test(test_aspa_draft_examples),
		cmocka_unit_test(test_aspa_draft_complex),
		cmocka_unit_test(test_aspa_openbgpd_vectors),
		cmocka_unit_test(test_aspa_merge),
		cmocka_unit_test(test_json_spellings),
		cmocka_unit_test(test_json_hostile),
		cmocka_unit_test(test_json_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
