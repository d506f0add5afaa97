/* The prefix trie against a naive list, on millions of random operations
 * (BGPS_TRIE_OPS overrides the count; the seed is printed, and
 * BGPS_TRIE_SEED replays one): insert, remove, exact and longest match,
 * covering and more-specific walks, and the ordered walk. Prefixes are
 * drawn near a few base addresses so that they nest and part often. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rib/trie.h"
#include "wire/bgp.h"

#define NAIVE_MAX	4096

struct naive {
	struct trie_key	k[NAIVE_MAX];
	void		*v[NAIVE_MAX];
	unsigned	 n;
};

static uint64_t rng;

static uint64_t
next_rand(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static bool
key_eq(const struct trie_key *a, const struct trie_key *b)
{
	return a->v6 == b->v6 && a->len == b->len && a->hi == b->hi &&
	    a->lo == b->lo;
}

static int
naive_find(const struct naive *nv, const struct trie_key *k)
{
	for (unsigned i = 0; i < nv->n; i++)
		if (key_eq(&nv->k[i], k))
			return (int)i;
	return -1;
}

static uint64_t bases[2][16][2];

static void
random_key(struct trie_key *k)
{
	struct bgp_prefix p;
	unsigned bits, flip;
	const uint64_t *b;
	uint64_t hi, lo;

	memset(&p, 0, sizeof(p));
	k->v6 = (uint8_t)(next_rand() & 1);
	bits = k->v6 ? 128 : 32;
	b = bases[k->v6][next_rand() % 16];
	hi = b[0];
	lo = b[1];
	/* flip a bit or two, mostly deep, so that prefixes part late */
	for (unsigned i = next_rand() % 3; i > 0; i--) {
		flip = (unsigned)(next_rand() % bits);
		if (flip < 64)
			hi ^= (uint64_t)1 << (63 - flip);
		else
			lo ^= (uint64_t)1 << (127 - flip);
	}
	p.afi = k->v6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	p.len = (uint8_t)(next_rand() % (bits + 1));
	for (unsigned i = 0; i < 8; i++) {
		p.addr[i] = (uint8_t)(hi >> (56 - 8 * i));
		p.addr[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
	assert_true(trie_key_from_prefix(&p, k));
}

struct collect {
	struct trie_key	k[NAIVE_MAX];
	void		*v[NAIVE_MAX];
	unsigned	 n;
	unsigned	 stop_at;	/* stop the walk after this many */
};

static int
collect_fn(const struct trie_key *k, void *val, void *arg)
{
	struct collect *c = arg;

	assert_true(c->n < NAIVE_MAX);
	assert_non_null(val);
	c->k[c->n] = *k;
	c->v[c->n++] = val;
	return c->n == c->stop_at ? 7 : 0;
}

/* The naive answer for a walk, in walk order. */
static unsigned
naive_select(const struct naive *nv, const struct trie_key *q, int how,
    struct trie_key *out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nv->n; i++) {
		const struct trie_key *k = &nv->k[i];

		if ((how == 0 && k->v6 == q->v6) ||
		    (how == 1 && trie_key_covers(k, q)) ||
		    (how == 2 && trie_key_covers(q, k)))
			out[n++] = *k;
	}
	qsort(out, n, sizeof(*out), trie_key_cmp);
	return n;
}

static void
check_walk(const struct trie *t, const struct naive *nv,
    const struct trie_key *q, int how)
{
	static struct collect c;
	static struct trie_key want[NAIVE_MAX];
	unsigned n = naive_select(nv, q, how, want);
	int rc;

	c.n = 0;
	c.stop_at = 0;
	rc = how == 0 ? trie_walk(t, q->v6, collect_fn, &c) :
	    how == 1 ? trie_walk_covering(t, q, collect_fn, &c) :
	    trie_walk_more(t, q, collect_fn, &c);
	assert_int_equal(rc, 0);
	assert_int_equal(c.n, n);
	for (unsigned i = 0; i < n; i++) {
		assert_true(key_eq(&c.k[i], &want[i]));
		assert_ptr_equal(c.v[i], nv->v[naive_find(nv, &want[i])]);
	}
	/* a callback's non-zero return stops the walk and is returned */
	if (n > 1) {
		c.n = 0;
		c.stop_at = 1;
		rc = how == 0 ? trie_walk(t, q->v6, collect_fn, &c) :
		    how == 1 ? trie_walk_covering(t, q, collect_fn, &c) :
		    trie_walk_more(t, q, collect_fn, &c);
		assert_int_equal(rc, 7);
		assert_int_equal(c.n, 1);
	}
}

static void
check_longest(const struct trie *t, const struct naive *nv,
    const struct trie_key *q)
{
	struct trie_key found;
	void **slot = trie_longest(t, q, &found);
	int best = -1;

	for (unsigned i = 0; i < nv->n; i++)
		if (trie_key_covers(&nv->k[i], q) &&
		    (best < 0 || nv->k[i].len > nv->k[best].len))
			best = (int)i;
	if (best < 0) {
		assert_null(slot);
		return;
	}
	assert_non_null(slot);
	assert_true(key_eq(&found, &nv->k[best]));
	assert_ptr_equal(*slot, nv->v[best]);
}

/* Values set to NULL in a slot walk, then pruned: gone from the trie;
 * the walk's node handles lead back to the same slot and key. */
static struct trie *drop_trie;

static int
drop_fn(const struct trie_key *k, uint32_t node, void **val, void *arg)
{
	struct naive *nv = arg;
	struct trie_key nk;
	int at;

	if (next_rand() % 8 != 0)
		return 0;
	at = naive_find(nv, k);
	assert_true(at >= 0);
	assert_ptr_equal(*val, nv->v[at]);
	assert_ptr_equal(trie_node_val(drop_trie, node), val);
	trie_node_key(drop_trie, node, k->v6, &nk);
	assert_true(key_eq(&nk, k));
	*val = NULL;
	nv->k[at] = nv->k[nv->n - 1];
	nv->v[at] = nv->v[--nv->n];
	return 0;
}

static void
drop_some(struct trie *t, struct naive *nv)
{
	struct trie_key k;

	drop_trie = t;
	trie_walk_slots(t, 0, drop_fn, nv);
	trie_walk_slots(t, 1, drop_fn, nv);
	trie_prune(t);
	assert_int_equal(t->count[0] + t->count[1], nv->n);
	k.v6 = 0;
	check_walk(t, nv, &k, 0);
	k.v6 = 1;
	check_walk(t, nv, &k, 0);
}

static void
random_operations(void **state)
{
	static struct naive nv;
	struct trie t;
	const char *env = getenv("BGPS_TRIE_OPS");
	const char *seed = getenv("BGPS_TRIE_SEED");
	unsigned long ops = env != NULL ? strtoul(env, NULL, 10) : 2000000;
	unsigned long inserts = 0, removes = 0, peak = 0;
	uintptr_t tag = 1;

	(void)state;
	rng = seed != NULL ? strtoull(seed, NULL, 10) :
	    (uint64_t)time(NULL) * 2654435761u + 1;
	printf("test_trie: seed %llu (BGPS_TRIE_SEED replays it), %lu "
	    "operations\n", (unsigned long long)rng, ops);
	for (unsigned f = 0; f < 2; f++)
		for (unsigned i = 0; i < 16; i++) {
			bases[f][i][0] = next_rand();
			bases[f][i][1] = next_rand();
		}
	trie_init(&t);
	nv.n = 0;
	for (unsigned long op = 0; op < ops; op++) {
		struct trie_key k;
		unsigned r = (unsigned)(next_rand() % 100);
		int at;
		void **slot;

		random_key(&k);
		at = naive_find(&nv, &k);
		/* grow to about 1000 prefixes, then hover there */
		if (r < (nv.n < 1000 ? 45u : 30u) && nv.n < NAIVE_MAX) {
			slot = trie_insert(&t, &k);
			assert_non_null(slot);
			if (at < 0) {
				assert_null(*slot);
				*slot = (void *)tag++;
				nv.k[nv.n] = k;
				nv.v[nv.n++] = *slot;
				inserts++;
			} else {
				assert_ptr_equal(*slot, nv.v[at]);
			}
		} else if (r < 60) {
			/* remove something present most of the time */
			if (nv.n > 0 && r < 57) {
				at = (int)(next_rand() % nv.n);
				k = nv.k[at];
			}
			trie_remove(&t, &k);
			if (at >= 0) {
				nv.k[at] = nv.k[nv.n - 1];
				nv.v[at] = nv.v[--nv.n];
				removes++;
			}
			assert_null(trie_get(&t, &k));
		} else if (r < 80) {
			uint32_t h = trie_get_node(&t, &k);

			slot = trie_get(&t, &k);
			if (at < 0) {
				assert_null(slot);
				assert_int_equal(h, 0);
			} else {
				assert_ptr_equal(*slot, nv.v[at]);
				assert_ptr_equal(trie_node_val(&t, h), slot);
			}
		} else if (r < 99) {
			check_longest(&t, &nv, &k);
		} else {
			check_walk(&t, &nv, &k, 1 + (int)(next_rand() % 2));
		}
		if (op % 100000 == 99999)
			drop_some(&t, &nv);
		if (op % 50000 == 0) {
			check_walk(&t, &nv, &k, 0);
			k.v6 ^= 1;
			check_walk(&t, &nv, &k, 0);
		}
		assert_int_equal(t.count[0] + t.count[1], nv.n);
		if (nv.n > peak)
			peak = nv.n;
	}
	printf("test_trie: %lu inserts, %lu removes, peak %lu prefixes\n",
	    inserts, removes, peak);
	/* empty it: every node goes back */
	while (nv.n > 0) {
		trie_remove(&t, &nv.k[--nv.n]);
	}
	assert_int_equal(t.count[0] + t.count[1], 0);
	assert_int_equal(t.root[0], 0);
	assert_int_equal(t.root[1], 0);
	assert_int_equal(t.nodes.live, 0);
	trie_destroy(&t);
}

static void
keys_and_text(void **state)
{
	struct trie_key k, o;
	char buf[64];

	(void)state;
	assert_true(trie_key_parse("192.0.2.77/24", &k));
	assert_string_equal(trie_key_str(&k, buf, sizeof(buf)),
	    "192.0.2.0/24");
	assert_true(trie_key_parse("2001:db8:ffff::1/33", &k));
	assert_string_equal(trie_key_str(&k, buf, sizeof(buf)),
	    "2001:db8:8000::/33");
	assert_true(trie_key_parse("0.0.0.0/0", &o));
	assert_false(trie_key_covers(&o, &k));	/* other family */
	assert_true(trie_key_parse("::/0", &o));
	assert_true(trie_key_covers(&o, &k));
	assert_true(trie_key_parse("::1/128", &k));
	assert_string_equal(trie_key_str(&k, buf, sizeof(buf)), "::1/128");
	assert_false(trie_key_parse("10.0.0.0/33", &k));
	assert_false(trie_key_parse("10.0.0.0", &k));
	assert_false(trie_key_parse("10.0.0.0/", &k));
	assert_false(trie_key_parse("10.0.0.0/8x", &k));
	assert_false(trie_key_parse("banana/8", &k));
	/* the walks' order: IPv4 first, then address, then length */
	{
		static const char *const sorted[] = { "10.0.0.0/8",
		    "10.0.0.0/16", "10.1.0.0/16", "192.0.2.0/24", "::/0",
		    "2001:db8::/32", "2001:db8::/48" };
		struct trie_key a, b;

		for (size_t i = 0; i + 1 < 7; i++) {
			assert_true(trie_key_parse(sorted[i], &a));
			assert_true(trie_key_parse(sorted[i + 1], &b));
			assert_true(trie_key_cmp(&a, &b) < 0);
			assert_true(trie_key_cmp(&b, &a) > 0);
			assert_int_equal(trie_key_cmp(&a, &a), 0);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_and_text),
		cmocka_unit_test(random_operations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
