/*
 * RPKI, timed, side by side with RTRlib's pfx_table (the reference):
 *
 * 1. loading a VRP export: our JSON reader and table build, against
 *    adding the same VRPs to RTRlib's table (which has no JSON reader);
 *    heap bytes of each; with --extra, a second file merged in as a
 *    second source (the daemon's merge: both read, one table built);
 * 2. route origin validation of every route of a full table, per core:
 *    from an array of (prefix, origin), and from the RIB itself (each
 *    route walked, its origin read from its path as the daemon does),
 *    ROV alone and ROV with ASPA;
 * 3. revalidation after 1% of the VRPs change (half removed, half added
 *    for routes' own prefixes), and after 1% of the ASPAs change: the
 *    routes walked and checked, and the time, against a full rescan of
 *    the RIB (every route validated against both tables).
 *
 *   bench_rpki [--runs N] [--extra VRPS2.json] VRPS.json RIB.mrt...
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/rpki_ref.h"
#include "bench_util.h"
#include "rpki/rpki_json.h"
#include "rpki/rpki_rib.h"

#define RUNS_MAX	32

struct bench {
	int			 runs;
	const char		*vrps;
	const char		*extra;		/* or NULL */
	const char		**ribs;
	size_t			 nribs;
	struct vrp		*v;		/* the export's VRPs */
	size_t			 nv;
	struct aspa_pair	*p;		/* and its ASPA pairs */
	size_t			 np;
	struct vrp_table	*t;
	struct aspa_table	*aspas;
	struct pfx_table	 pt;		/* RTRlib's, the same VRPs */
	struct rib		*r;
	uint64_t		 rng;
	uint64_t		 sink;
};

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

static int
bench_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool
read_vrps(const char *path, uint32_t src, struct vrp **v, size_t *nv,
    struct aspa_pair **p, size_t *np)
{
	char err[1400];

	if (rpki_json_load_file(path, src, v, nv, p, np, err, sizeof(err)))
		return true;
	fprintf(stderr, "%s\n", err);
	return false;
}

/* --- 1. loading --------------------------------------------------------- */

static bool
load_export(struct bench *b)
{
	double lt[RUNS_MAX], rt[RUNS_MAX], t0;
	size_t h0, ours_bytes = 0, ref_bytes = 0;
	struct vrp *v = NULL;

	for (int r = 0; r < b->runs; r++) {
		h0 = heap();
		t0 = bench_now();
		free(b->p);
		if (!read_vrps(b->vrps, 1, &v, &b->nv, &b->p, &b->np))
			return false;
		vrp_table_free(b->t);
		free(b->v);
		if ((b->v = malloc(b->nv * sizeof(*v))) == NULL)
			return false;
		memcpy(b->v, v, b->nv * sizeof(*v));
		b->t = vrp_table_build(v, b->nv);
		lt[r] = bench_now() - t0;
		if (r == 0)		/* the table, not the copy */
			ours_bytes = heap() - h0 - b->nv * sizeof(*v) -
			    b->np * sizeof(*b->p);
	}
	for (int r = 0; r < b->runs; r++) {
		if (r > 0)
			pfx_table_free(&b->pt);
		h0 = heap();
		t0 = bench_now();
		pfx_table_init(&b->pt, NULL);
		for (size_t k = 0; k < b->nv; k++)
			ref_add(&b->pt, &b->v[k]);
		rt[r] = bench_now() - t0;
		if (r == 0)
			ref_bytes = heap() - h0;
	}
	printf("load: %zu VRPs (%zu IPv4, %zu IPv6)\n", b->nv,
	    vrp_table_count(b->t, 0), vrp_table_count(b->t, 1));
	printf("  ours: JSON read and table built in %.3f s; heap %.1f MB "
	    "(%.1f B/VRP; the table counts %.1f MB)\n", median(lt, b->runs),
	    ours_bytes / 1048576.0, (double)ours_bytes / b->nv,
	    vrp_table_bytes(b->t) / 1048576.0);
	printf("  RTRlib pfx_table: the same VRPs added in %.3f s (no JSON "
	    "read); heap %.1f MB (%.1f B/VRP)\n", median(rt, b->runs),
	    ref_bytes / 1048576.0, (double)ref_bytes / b->nv);
	printf("  ratio: RTRlib's add alone takes %.2fx our whole load\n",
	    median(rt, b->runs) / median(lt, b->runs));
	return true;
}

/* Both files read, as two sources, and one table built of them: what
 * the daemon's merge does. Returns the table (of the last run). */
static struct vrp_table *
merge_two(const struct bench *b, size_t *read)
{
	struct vrp *v1, *v2, *v;
	struct aspa_pair *p1, *p2;
	size_t n1, n2, m1, m2;

	if (!read_vrps(b->vrps, 1, &v1, &n1, &p1, &m1) ||
	    !read_vrps(b->extra, 2, &v2, &n2, &p2, &m2))
		return NULL;
	if ((v = malloc((n1 + n2) * sizeof(*v))) == NULL)
		return NULL;
	memcpy(v, v1, n1 * sizeof(*v));
	memcpy(v + n1, v2, n2 * sizeof(*v));
	free(v1);
	free(v2);
	free(p1);
	free(p2);
	*read = n1 + n2;
	return vrp_table_build(v, n1 + n2);
}

static bool
load_merged(struct bench *b)
{
	double lt[RUNS_MAX], rt[RUNS_MAX], t0;
	struct vrp_table *t = NULL;
	struct pfx_table pt;
	const struct vrp *v;
	size_t n, nread = 0, h0, ours_bytes = 0, ref_bytes = 0;

	for (int r = 0; r < b->runs; r++) {
		vrp_table_free(t);
		h0 = heap();
		t0 = bench_now();
		if ((t = merge_two(b, &nread)) == NULL)
			return false;
		lt[r] = bench_now() - t0;
		if (r == 0)
			ours_bytes = heap() - h0;
	}
	v = vrp_table_vrps(t, &n);
	for (int r = 0; r < b->runs; r++) {
		h0 = heap();
		t0 = bench_now();
		pfx_table_init(&pt, NULL);
		for (size_t k = 0; k < n; k++)
			ref_add(&pt, &v[k]);
		rt[r] = bench_now() - t0;
		if (r == 0)
			ref_bytes = heap() - h0;
		pfx_table_free(&pt);
	}
	printf("load, two sources merged: %zu VRPs read, %zu distinct (%zu "
	    "IPv4, %zu IPv6)\n", nread, n, vrp_table_count(t, 0),
	    vrp_table_count(t, 1));
	printf("  ours: both JSON files read, merged and the table built in "
	    "%.3f s; heap %.1f MB (%.1f B/VRP)\n", median(lt, b->runs),
	    ours_bytes / 1048576.0, (double)ours_bytes / n);
	printf("  RTRlib pfx_table: the merged VRPs added in %.3f s (no JSON "
	    "read); heap %.1f MB (%.1f B/VRP)\n", median(rt, b->runs),
	    ref_bytes / 1048576.0, (double)ref_bytes / n);
	printf("  ratio: RTRlib's add alone takes %.2fx our whole load\n",
	    median(rt, b->runs) / median(lt, b->runs));
	vrp_table_free(t);
	return true;
}

/* --- 2. validation ------------------------------------------------------ */

static bool
validate_array(struct bench *b)
{
	struct ref_routes rr = { NULL, 0, 0 };
	double vt[RUNS_MAX], rv[RUNS_MAX], t0;

	for (size_t k = 0; k < b->nribs; k++)
		if (!ref_routes_read(b->ribs[k], &rr))
			return false;
	for (int r = 0; r < b->runs; r++) {
		size_t cnt[ROV_STATES] = { 0 };

		t0 = bench_now();
		for (size_t k = 0; k < rr.n; k++)
			cnt[rov_validate(b->t, &rr.r[k].k, rr.r[k].origin == 0 ?
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
			pfx_table_validate(&b->pt, rr.r[k].origin, &a,
			    rr.r[k].k.len, &st);
			b->sink += st;
		}
		rv[r] = (double)rr.n / (bench_now() - t0);
	}
	printf("  from an array of (prefix, origin):\n");
	printf("  ours: %.1fM validations/s per core (%.0f ns each)\n",
	    median(vt, b->runs) / 1e6, 1e9 / median(vt, b->runs));
	printf("  RTRlib pfx_table_validate: %.1fM/s (%.0f ns each)\n",
	    median(rv, b->runs) / 1e6, 1e9 / median(rv, b->runs));
	printf("  ratio: ours %.1fx RTRlib's\n", median(vt, b->runs) /
	    median(rv, b->runs));
	free(rr.r);
	return true;
}

/* Each route of the RIB, validated where it lies: its origin read from
 * its path (rpki_route_origin, as the daemon's note does). */
enum walk_kind { WALK_ROV, WALK_BOTH, WALK_RTRLIB };

struct walk {
	struct bench		*b;
	enum walk_kind		 kind;
	struct rpki_tables	 tables;
	uint64_t		 routes;
	uint64_t		 cnt[ROV_STATES];
	uint64_t		 aspa[ASPA_STATES];
};

static int
walk_route(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct walk *w = arg;
	struct rpki_state st;
	struct lrtr_ip_addr a;
	enum pfxv_state ps;
	int64_t o;

	w->routes++;
	switch (w->kind) {
	case WALK_ROV:
		o = rpki_route_origin(&w->b->r->attrs, e->attr, e->vp->asn);
		w->cnt[rov_validate(w->tables.vrps, k, o)]++;
		break;
	case WALK_BOTH:
		rpki_route_state(&w->tables, &w->b->r->attrs, k, e->attr,
		    e->vp->asn, &st);
		w->cnt[st.rov]++;
		w->aspa[st.aspa]++;
		break;
	case WALK_RTRLIB:
		o = rpki_route_origin(&w->b->r->attrs, e->attr, e->vp->asn);
		ref_addr(k, &a);
		pfx_table_validate(&w->b->pt, o < 0 ? 0 : (uint32_t)o, &a,
		    k->len, &ps);
		w->cnt[0] += ps;
		break;
	}
	return 0;
}

/* One walk of the whole RIB: the seconds it took. */
static double
walk_rib(struct walk *w)
{
	struct trie_key k4 = { 0 }, k6 = { 0 };
	double t0 = bench_now();

	k6.v6 = 1;
	w->routes = 0;
	memset(w->cnt, 0, sizeof(w->cnt));
	memset(w->aspa, 0, sizeof(w->aspa));
	rib_more_specifics(w->b->r, &k4, walk_route, w);
	rib_more_specifics(w->b->r, &k6, walk_route, w);
	return bench_now() - t0;
}

static bool
validate_rib(struct bench *b)
{
	struct walk w = { .b = b, .tables = { b->t, b->aspas,
	    ASPA_DOWNSTREAM } };
	double rov[RUNS_MAX], both[RUNS_MAX], ref[RUNS_MAX], s;

	w.kind = WALK_ROV;
	walk_rib(&w);			/* the RIB in the caches, as it runs */
	for (int r = 0; r < b->runs; r++) {
		w.kind = WALK_ROV;
		s = walk_rib(&w);
		rov[r] = (double)w.routes / s;
		w.kind = WALK_RTRLIB;
		s = walk_rib(&w);
		ref[r] = (double)w.routes / s;
		w.kind = WALK_BOTH;
		s = walk_rib(&w);
		both[r] = (double)w.routes / s;
	}
	printf("  from the RIB itself (%llu routes walked, each origin read "
	    "from its path): %llu not found, %llu valid, %llu invalid "
	    "(origin), %llu invalid (length); ASPA (downstream, %zu ASPAs): "
	    "%llu unknown, %llu valid, %llu invalid\n",
	    (unsigned long long)w.routes, (unsigned long long)w.cnt[0],
	    (unsigned long long)w.cnt[1], (unsigned long long)w.cnt[2],
	    (unsigned long long)w.cnt[3], aspa_table_customers(b->aspas),
	    (unsigned long long)w.aspa[0], (unsigned long long)w.aspa[1],
	    (unsigned long long)w.aspa[2]);
	printf("  ours, ROV: %.1fM routes/s per core (%.0f ns each, the walk "
	    "included)\n", median(rov, b->runs) / 1e6,
	    1e9 / median(rov, b->runs));
	printf("  ours, ROV and ASPA: %.1fM routes/s per core (%.0f ns "
	    "each)\n", median(both, b->runs) / 1e6,
	    1e9 / median(both, b->runs));
	printf("  RTRlib pfx_table_validate on the same walk: %.1fM/s (%.0f "
	    "ns each)\n", median(ref, b->runs) / 1e6,
	    1e9 / median(ref, b->runs));
	printf("  ratio: ours (ROV) %.1fx RTRlib's\n", median(rov, b->runs) /
	    median(ref, b->runs));
	return true;
}

/* --- 3. revalidation ---------------------------------------------------- */

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

/* The alternative to a revalidation by delta: every route of the RIB
 * validated against both tables (ROV alone when only the VRPs changed). */
struct rescan {
	const struct rpki_tables *a, *b;
	struct rib		*r;
	bool			 aspa;
	uint64_t		 changed;
};

static int
rescan_entry(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct rescan *rs = arg;
	struct rpki_state x, y;
	int64_t o;

	if (rs->aspa) {
		rpki_route_state(rs->a, &rs->r->attrs, k, e->attr, e->vp->asn,
		    &x);
		rpki_route_state(rs->b, &rs->r->attrs, k, e->attr, e->vp->asn,
		    &y);
		rs->changed += x.rov != y.rov || x.aspa != y.aspa;
		return 0;
	}
	o = rpki_route_origin(&rs->r->attrs, e->attr, e->vp->asn);
	rs->changed += rov_validate(rs->a->vrps, k, o) !=
	    rov_validate(rs->b->vrps, k, o);
	return 0;
}

static double
rescan(struct rib *r, const struct rpki_tables *a,
    const struct rpki_tables *b, bool aspa, uint64_t *changed)
{
	struct rescan rs = { a, b, r, aspa, 0 };
	struct trie_key k4 = { 0 }, k6 = { 0 };
	double t0 = bench_now();

	k6.v6 = 1;
	rib_more_specifics(r, &k4, rescan_entry, &rs);
	rib_more_specifics(r, &k6, rescan_entry, &rs);
	*changed = rs.changed;
	return bench_now() - t0;
}

static bool
revalidate_vrps(struct bench *b)
{
	struct vrp *v2 = malloc((b->nv + b->nv / 100 + 1) * sizeof(*v2));
	struct rpki_tables a = { b->t, NULL, ASPA_DOWNSTREAM }, c = a;
	struct rpki_reval_stats st;
	struct trie_key all = { 0 };
	struct count n = { 0 };
	size_t n2 = 0, removed = 0;
	struct ref_pick pk;
	uint64_t changed;
	double build, full;

	if (v2 == NULL)
		return false;
	for (size_t k = 0; k < b->nv; k++) {
		if (xorshift64(&b->rng) % 200 == 0) {
			removed++;
			continue;
		}
		v2[n2++] = b->v[k];
	}
	pk = (struct ref_pick){ v2 + n2, 0, removed, &b->r->attrs,
	    (unsigned)(b->r->routes / removed), 1, b->rng };
	rib_more_specifics(b->r, &all, ref_pick_route, &pk);
	all.v6 = 1;
	rib_more_specifics(b->r, &all, ref_pick_route, &pk);
	n2 += pk.n;
	b->rng = pk.rng;
	build = bench_now();
	c.vrps = vrp_table_build(v2, n2);
	build = bench_now() - build;
	rpki_revalidate(b->r, &a, &c, &(struct rpki_reval_fns){
	    on_change, NULL, NULL, &n }, &st);
	full = rescan(b->r, &a, &c, false, &changed);
	printf("revalidation: %zu VRPs removed, %zu added (%.2f%%): new "
	    "table %.3f s\n", removed, pk.n, 100.0 * (double)(removed +
	    pk.n) / b->nv, build);
	printf("  %llu changed ranges: %llu of %llu routes walked (%.1f%%), "
	    "%llu changed state, in %.3f s\n", (unsigned long long)st.ranges,
	    (unsigned long long)st.routes_seen,
	    (unsigned long long)b->r->routes, 100.0 *
	    (double)st.routes_seen / (double)b->r->routes,
	    (unsigned long long)n.n, st.seconds);
	printf("  a full rescan (every route of the RIB walked, validated "
	    "against both tables) takes %.3f s: %.1fx the delta's time "
	    "(it finds %llu changed)\n", full, full / st.seconds,
	    (unsigned long long)changed);
	vrp_table_free((struct vrp_table *)c.vrps);
	return true;
}

/* Which customers' ASPAs change: 1% of them (at least one), by index
 * in the table's order. */
struct aspa_pick {
	size_t		 idx[64];
	size_t		 n;
	const char	*how;
};

static size_t
pick_want(const struct bench *b)
{
	size_t n = aspa_table_customers(b->aspas) / 100;

	return n == 0 ? 1 : n > 64 ? 64 : n;
}

static void
pick_random(struct bench *b, struct aspa_pick *pk)
{
	size_t ncust = aspa_table_customers(b->aspas), want = pick_want(b);

	pk->n = 0;
	pk->how = "picked at random";
	while (pk->n < want && pk->n < ncust) {
		size_t x = xorshift64(&b->rng) % ncust, k = 0;

		while (k < pk->n && pk->idx[k] != x)
			k++;
		if (k == pk->n)
			pk->idx[pk->n++] = x;
	}
}

/* The customers whose AS is in the most routes' paths: the change that
 * makes the most routes to check. */
struct busy {
	struct bench	*b;
	const uint32_t	*cust;		/* the customers, in order */
	size_t		 ncust;
	uint64_t	*routes;	/* per customer */
};

static int
busy_route(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct busy *u = arg;
	uint32_t buf[64];
	struct aspa_path p;

	(void)k;
	if (!rpki_route_path(&u->b->r->attrs, e->attr, e->vp->asn, buf, 64,
	    &p))
		return 0;
	for (size_t i = 0; i < p.n; i++) {
		const uint32_t *c = bsearch(&p.as[i], u->cust, u->ncust,
		    sizeof(*c), bench_cmp_u32);

		/* once per route (a prepend repeats the AS) */
		if (c != NULL && (i == 0 || p.as[i - 1] != p.as[i]))
			u->routes[c - u->cust]++;
	}
	rpki_path_done(&p, buf);
	return 0;
}

static void
pick_busiest(struct bench *b, struct aspa_pick *pk)
{
	size_t np, want = pick_want(b);
	const struct aspa_pair *q = aspa_table_pairs(b->aspas, &np);
	struct busy u = { b, NULL, 0, NULL };
	uint32_t *cust = malloc((np + 1) * sizeof(*cust));
	struct trie_key k4 = { 0 }, k6 = { 0 };

	pk->n = 0;
	pk->how = "those in the most paths";
	u.routes = calloc(np + 1, sizeof(*u.routes));
	if (cust == NULL || u.routes == NULL)
		goto done;
	for (size_t i = 0; i < np; i++)
		if (i == 0 || q[i].customer != q[i - 1].customer)
			cust[u.ncust++] = q[i].customer;
	u.cust = cust;
	k6.v6 = 1;
	rib_more_specifics(b->r, &k4, busy_route, &u);
	rib_more_specifics(b->r, &k6, busy_route, &u);
	for (; pk->n < want && pk->n < u.ncust; pk->n++) {
		size_t best = 0;

		for (size_t i = 1; i < u.ncust; i++)
			if (u.routes[i] > u.routes[best])
				best = i;
		pk->idx[pk->n] = best;
		u.routes[best] = 0;
	}
done:
	free(cust);
	free(u.routes);
}

/* The ASPAs with the picked customers' changed: each loses its first
 * provider, or, with only one, has AS 64512 instead. */
static struct aspa_pair *
aspas_changed(const struct bench *b, const struct aspa_pick *pk, size_t *n)
{
	const struct aspa_pair *q = aspa_table_pairs(b->aspas, n);
	struct aspa_pair *p = malloc((*n + 1) * sizeof(*p));
	size_t m = 0, c = 0;

	for (size_t i = 0; p != NULL && i < *n; c++) {
		size_t j = i, nprov, k = 0;

		while (j < *n && q[j].customer == q[i].customer)
			j++;
		nprov = j - i;
		memcpy(p + m, q + i, nprov * sizeof(*p));
		while (k < pk->n && pk->idx[k] != c)
			k++;
		if (k < pk->n && nprov > 1)
			memmove(p + m, p + m + 1, --nprov * sizeof(*p));
		else if (k < pk->n)
			p[m].provider = 64512;
		m += nprov;
		i = j;
	}
	*n = m;
	return p;
}

static bool
revalidate_aspas(struct bench *b, const struct aspa_pick *pk)
{
	struct rpki_tables a = { b->t, b->aspas, ASPA_DOWNSTREAM }, c = a;
	struct rpki_reval_stats st;
	struct count n = { 0 };
	struct aspa_pair *p;
	uint64_t changed;
	size_t np;
	double full;

	if ((p = aspas_changed(b, pk, &np)) == NULL ||
	    (c.aspas = aspa_table_build(p, np)) == NULL)
		return false;
	rpki_revalidate(b->r, &a, &c, &(struct rpki_reval_fns){
	    on_change, NULL, NULL, &n }, &st);
	full = rescan(b->r, &a, &c, true, &changed);
	printf("revalidation: %zu of %zu ASPAs changed (%s; %llu pairs "
	    "added or removed)\n", pk->n, aspa_table_customers(b->aspas),
	    pk->how, (unsigned long long)st.pairs_changed);
	printf("  %s: %llu routes walked, %llu checked (a changed AS in "
	    "the path), %llu changed state, in %.3f s\n", st.by_origin ?
	    "the changed ASes are only origins, their prefixes walked" :
	    "every route walked", (unsigned long long)st.routes_seen,
	    (unsigned long long)st.routes_checked, (unsigned long long)n.n,
	    st.seconds);
	printf("  a full rescan (every route validated, ROV and ASPA, "
	    "against both tables) takes %.3f s: %.1fx the delta's time (it "
	    "finds %llu changed)\n", full, full / st.seconds,
	    (unsigned long long)changed);
	aspa_table_free((struct aspa_table *)c.aspas);
	return true;
}

/* --- main --------------------------------------------------------------- */

static bool
args(struct bench *b, int argc, char **argv)
{
	int i = 1;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--runs") == 0)
			b->runs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--extra") == 0)
			b->extra = argv[i + 1];
		else
			return false;
	}
	if (argc - i < 2 || b->runs < 1 || b->runs > RUNS_MAX)
		return false;
	b->vrps = argv[i];
	b->ribs = (const char **)argv + i + 1;
	b->nribs = (size_t)(argc - i - 1);
	return true;
}

int
main(int argc, char **argv)
{
	struct bench b = { .runs = 5, .rng = 0x9e3779b97f4a7c15ull };
	struct aspa_pick pk;
	struct aspa_pair *p;
	bool ok;

	if (!args(&b, argc, argv)) {
		fprintf(stderr, "usage: bench_rpki [--runs N] [--extra "
		    "VRPS2.json] VRPS.json RIB.mrt...\n");
		return 2;
	}
	if (!load_export(&b) || (b.extra != NULL && !load_merged(&b)))
		return 2;
	if ((p = malloc((b.np + 1) * sizeof(*p))) == NULL)
		return 2;
	memcpy(p, b.p, b.np * sizeof(*p));
	if ((b.aspas = aspa_table_build(p, b.np)) == NULL ||
	    (b.r = ref_rib_load(b.ribs, b.nribs)) == NULL)
		return 2;
	ok = validate_array(&b) && validate_rib(&b) && revalidate_vrps(&b);
	pick_random(&b, &pk);
	ok = ok && revalidate_aspas(&b, &pk);
	pick_busiest(&b, &pk);
	ok = ok && revalidate_aspas(&b, &pk);
	rib_free(b.r);
	aspa_table_free(b.aspas);
	pfx_table_free(&b.pt);
	vrp_table_free(b.t);
	free(b.v);
	free(b.p);
	return !ok ? 2 : b.sink == 42 ? 1 : 0;
}
