/*
 * RPKI, timed, side by side with RTRlib's pfx_table (the reference):
 *
 * 1. loading a VRP export: our JSON reader and table build, against
 *    adding the same VRPs to RTRlib's table (which has no JSON reader);
 *    heap bytes of each;
 * 2. route origin validation of every route of a full table, per core;
 * 3. revalidation after 1% of the VRPs change (half removed, half added
 *    for routes' own prefixes): the routes walked, and the time, against
 *    validating the whole table twice.
 *
 *   bench_rpki [--runs N] VRPS.json RIB.mrt...
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/rpki_ref.h"
#include "bench_util.h"
#include "rpki/rpki_json.h"
#include "rpki/rpki_rib.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static size_t
heap(void)
{
	struct mallinfo2 m = mallinfo2();

	return m.uordblks + m.hblkhd;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

struct count {
	uint64_t	n;
};

static void
on_change(const struct rpki_change *c, void *arg)
{
	struct count *n = arg;

	(void)c;
	n->n++;
}

struct rescan {
	const struct rpki_tables *a, *b;
	struct rib		*r;
	uint64_t		 changed;
};

static int
rescan_entry(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct rescan *rs = arg;
	int64_t o = rpki_route_origin(&rs->r->attrs, e->attr, e->vp->asn);

	rs->changed += rov_validate(rs->a->vrps, k, o) !=
	    rov_validate(rs->b->vrps, k, o);
	return 0;
}

int
main(int argc, char **argv)
{
	struct ref_routes rr = { NULL, 0, 0 };
	struct pfx_table pt;
	struct vrp *v = NULL, *copy;
	struct aspa_pair *p = NULL;
	struct vrp_table *t = NULL;
	size_t nv = 0, np, h0, ours_bytes = 0, ref_bytes = 0;
	double lt[32], rt[32], vt[32], rv[32], t0;
	char err[1400];
	int runs = 5, i = 1;
	uint64_t sink = 0;

	if (argc > 2 && strcmp(argv[1], "--runs") == 0) {
		runs = atoi(argv[2]);
		i = 3;
	}
	if (argc - i < 2 || runs < 1 || runs > 32) {
		fprintf(stderr, "usage: bench_rpki [--runs N] VRPS.json "
		    "RIB.mrt...\n");
		return 2;
	}
	/* 1. load */
	for (int r = 0; r < runs; r++) {
		h0 = heap();
		t0 = bench_now();
		if (!rpki_json_load_file(argv[i], 1, &v, &nv, &p, &np, err,
		    sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		free(p);
		copy = malloc(nv * sizeof(*copy));
		memcpy(copy, v, nv * sizeof(*copy));
		vrp_table_free(t);
		t = vrp_table_build(v, nv);
		lt[r] = bench_now() - t0;
		if (r == 0)		/* the table, not the copy */
			ours_bytes = heap() - h0 - nv * sizeof(*copy);
		v = copy;
		if (r + 1 < runs)
			free(copy);
	}
	for (int r = 0; r < runs; r++) {
		h0 = heap();
		t0 = bench_now();
		pfx_table_init(&pt, NULL);
		for (size_t k = 0; k < nv; k++)
			ref_add(&pt, &v[k]);
		rt[r] = bench_now() - t0;
		if (r == 0)
			ref_bytes = heap() - h0;
		if (r + 1 < runs)
			pfx_table_free(&pt);
	}
	printf("load: %zu VRPs (%zu IPv4, %zu IPv6)\n", nv,
	    vrp_table_count(t, 0), vrp_table_count(t, 1));
	printf("  ours: JSON read and table built in %.3f s; heap %.1f MB "
	    "(%.1f B/VRP; the table counts %.1f MB)\n", median(lt, runs),
	    ours_bytes / 1048576.0, (double)ours_bytes / nv,
	    vrp_table_bytes(t) / 1048576.0);
	printf("  RTRlib pfx_table: the same VRPs added in %.3f s (no JSON "
	    "read); heap %.1f MB (%.1f B/VRP)\n", median(rt, runs),
	    ref_bytes / 1048576.0, (double)ref_bytes / nv);
	printf("  ratio: RTRlib's add alone takes %.2fx our whole load\n",
	    median(rt, runs) / median(lt, runs));

	/* 2. validation of every route of the table */
	for (int k = i + 1; k < argc; k++)
		if (!ref_routes_read(argv[k], &rr))
			return 2;
	for (int r = 0; r < runs; r++) {
		size_t cnt[ROV_STATES] = { 0 };

		t0 = bench_now();
		for (size_t k = 0; k < rr.n; k++)
			cnt[rov_validate(t, &rr.r[k].k, rr.r[k].origin == 0 ?
			    ROV_NO_ORIGIN : (int64_t)rr.r[k].origin)]++;
		vt[r] = (double)rr.n / (bench_now() - t0);
		if (r == 0)
			printf("validation: %zu routes: %zu not found, %zu "
			    "valid, %zu invalid (origin), %zu invalid "
			    "(length)\n", rr.n, cnt[0], cnt[1], cnt[2],
			    cnt[3]);
		t0 = bench_now();
		for (size_t k = 0; k < rr.n; k++) {
			struct lrtr_ip_addr a;
			enum pfxv_state st;

			ref_addr(&rr.r[k].k, &a);
			pfx_table_validate(&pt, rr.r[k].origin, &a,
			    rr.r[k].k.len, &st);
			sink += st;
		}
		rv[r] = (double)rr.n / (bench_now() - t0);
	}
	printf("  ours: %.1fM validations/s per core (%.0f ns each)\n",
	    median(vt, runs) / 1e6, 1e9 / median(vt, runs));
	printf("  RTRlib pfx_table_validate: %.1fM/s (%.0f ns each)\n",
	    median(rv, runs) / 1e6, 1e9 / median(rv, runs));
	printf("  ratio: ours %.1fx RTRlib's\n", median(vt, runs) /
	    median(rv, runs));

	/* 3. revalidation after 1% of the VRPs change */
	{
		struct rib *r = ref_rib_load((const char **)argv + i + 1,
		    (size_t)(argc - i - 1));
		struct vrp *v2 = malloc((nv + nv / 100 + 1) * sizeof(*v2));
		struct rpki_tables a = { t, NULL, ASPA_DOWNSTREAM }, b = a;
		struct rpki_reval_stats st;
		struct trie_key all = { 0 };
		struct count c = { 0 };
		size_t n2 = 0, removed = 0;
		struct ref_pick pk;
		double build, full;

		if (r == NULL || v2 == NULL)
			return 2;
		for (size_t k = 0; k < nv; k++) {
			if (xorshift64(&rng) % 200 == 0) {
				removed++;
				continue;
			}
			v2[n2++] = v[k];
		}
		pk = (struct ref_pick){ v2 + n2, 0, removed, &r->attrs,
		    (unsigned)(r->routes / removed), 1, rng };
		rib_more_specifics(r, &all, ref_pick_route, &pk);
		all.v6 = 1;
		rib_more_specifics(r, &all, ref_pick_route, &pk);
		n2 += pk.n;
		t0 = bench_now();
		b.vrps = vrp_table_build(v2, n2);
		build = bench_now() - t0;
		rpki_revalidate(r, &a, &b, &(struct rpki_reval_fns){
		    on_change, NULL, NULL, &c }, &st);
		/* the alternative: every route of the RIB walked and
		 * validated against both tables */
		{
			struct rescan rs = { &a, &b, r, 0 };
			struct trie_key k4 = { 0 }, k6 = { 0 };

			k6.v6 = 1;
			t0 = bench_now();
			rib_more_specifics(r, &k4, rescan_entry, &rs);
			rib_more_specifics(r, &k6, rescan_entry, &rs);
			full = bench_now() - t0;
			sink += rs.changed;
		}
		printf("revalidation: %zu VRPs removed, %zu added (%.2f%%): "
		    "new table %.3f s\n", removed, pk.n, 100.0 *
		    (double)(removed + pk.n) / nv, build);
		printf("  %llu changed ranges: %llu of %llu routes walked "
		    "(%.1f%%), %llu changed state, in %.3f s\n",
		    (unsigned long long)st.ranges,
		    (unsigned long long)st.routes_seen,
		    (unsigned long long)r->routes, 100.0 *
		    (double)st.routes_seen / (double)r->routes,
		    (unsigned long long)c.n, st.seconds);
		printf("  a full rescan (every route of the RIB walked, "
		    "validated against both tables) takes %.3f s: %.1fx the "
		    "delta's time\n", full, full / st.seconds);
		vrp_table_free((struct vrp_table *)b.vrps);
		rib_free(r);
	}
	pfx_table_free(&pt);
	vrp_table_free(t);
	free(v);
	free(rr.r);
	return sink == 42 ? 1 : 0;
}
