/*
 * The RIB's looking-glass query, timed: load MRT files through the MRT
 * source, then ask "every route for prefix P" (each route's attributes
 * decoded, as the API renders them) for prefixes drawn at random from
 * the RIB, and report the latency distribution.
 *
 *   bench_rib [--queries N] FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "feed/feed.h"
#include "rib/rib.h"
#include "rib/rib_query.h"
#include "util/xorshift.h"

struct keys {
	struct trie_key	*k;
	size_t		 n;
	size_t		 cap;
};

static int
collect(const struct trie_key *k, void *val, void *arg)
{
	struct keys *ks = arg;

	(void)val;
	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 1 << 16;
		ks->k = realloc(ks->k, ks->cap * sizeof(*ks->k));
		if (ks->k == NULL)
			exit(2);
	}
	ks->k[ks->n++] = *k;
	return 0;
}

struct answer {
	struct rib	*r;
	size_t		 routes;
	uint64_t	 sum;		/* keeps the work from being skipped */
};

/* What an answer needs of each route: its VP and its attributes. */
static int
on_route(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct answer *a = arg;
	struct attr_view v;

	(void)k;
	if (attr_view(&a->r->attrs, e->attr, &a->r->scratch, &v))
		a->sum += v.attrs.path.nsegs + v.nexthop_len + e->vp->asn;
	a->routes++;
	return 0;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
next_rand(void)
{
	return xorshift64(&rng);
}

int
main(int argc, char **argv)
{
	struct feed_mrt_config c = { .name = "bench" };
	unsigned long nq = 100000;
	struct feed_source *src;
	struct feed_apply fa;
	struct keys ks = { 0 };
	struct answer a;
	struct rib *r;
	double *lat, t0, t1, total = 0;
	struct strbuf json;
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "--queries") == 0) {
		nq = strtoul(argv[2], NULL, 10);
		i = 3;
	}
	if (i >= argc || nq == 0) {
		fprintf(stderr, "usage: bench_rib [--queries N] FILE...\n");
		return 2;
	}
	c.files = (const char **)argv + i;
	c.nfiles = (size_t)(argc - i);
	r = rib_new();
	feed_apply_init(&fa, r);
	src = feed_mrt_new(r, &c, feed_apply_sink, &fa);
	if (src == NULL || src->ops->start(src) != 0)
		return 2;
	t0 = bench_now();
	while (src->ops->poll(src, 0) != UINT64_MAX)
		;
	t1 = bench_now();
	feed_apply_done(&fa);
	printf("loaded_routes %llu in %.3f s (%.0f/s)\n",
	    (unsigned long long)r->routes, t1 - t0, (double)r->routes /
	    (t1 - t0));
	trie_walk(&r->trie, 0, collect, &ks);
	trie_walk(&r->trie, 1, collect, &ks);
	if (ks.n == 0)
		return 2;
	lat = malloc(nq * sizeof(*lat));
	memset(&a, 0, sizeof(a));
	a.r = r;
	for (unsigned long q = 0; q < nq; q++) {
		const struct trie_key *k = &ks.k[next_rand() % ks.n];

		t0 = bench_now();
		arena_reset(&r->scratch);
		rib_prefix_routes(r, k, on_route, &a);
		t1 = bench_now();
		lat[q] = (t1 - t0) * 1e6;
		total += lat[q];
	}
	qsort(lat, nq, sizeof(*lat), bench_cmp_double);
	printf("prefix_queries %lu over %zu prefixes, %.1f routes each\n", nq,
	    ks.n, (double)a.routes / (double)nq);
	printf("query_us p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f "
	    "mean %.2f\n", lat[nq / 2], lat[nq * 9 / 10], lat[nq * 99 / 100],
	    lat[nq * 999 / 1000], lat[nq - 1], total / (double)nq);
	/* the same answers rendered as the API's JSON (with the summary) */
	sb_init(&json);
	total = 0;
	for (unsigned long q = 0; q < nq / 10; q++) {
		const struct trie_key *k = &ks.k[next_rand() % ks.n];

		sb_reset(&json);
		t0 = bench_now();
		rib_query_prefix(r, k, RIB_MATCH_EXACT, 0, true, &json);
		t1 = bench_now();
		lat[q] = (t1 - t0) * 1e6;
		total += lat[q];
	}
	qsort(lat, nq / 10, sizeof(*lat), bench_cmp_double);
	printf("json_answer_us p50 %.2f p99 %.2f max %.2f (%lu answers)\n",
	    lat[nq / 20], lat[nq / 10 * 99 / 100], lat[nq / 10 - 1], nq / 10);
	printf("checksum %llu\n", (unsigned long long)a.sum);
	sb_free(&json);
	free(lat);
	free(ks.k);
	src->ops->free(src);
	rib_free(r);
	return 0;
}
