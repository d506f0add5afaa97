#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib/rib_query.h"
#include "util/json_out.h"

static const char *
vp_addr(const struct rib_vp *v, char *buf, size_t len)
{
	if (v->afi != BGP_AFI_IPV6 && len >= 16) {
		ipv4_fmt(v->addr, buf);
		return buf;
	}
	return inet_ntop(v->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, v->addr,
	    buf, (socklen_t)len);
}

static void
add_unique(uint32_t *v, uint32_t *n, uint32_t x)
{
	for (uint32_t i = 0; i < *n; i++)
		if (v[i] == x)
			return;
	if (*n < RIB_SUMMARY_MAX)
		v[(*n)++] = x;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* --- summary --------------------------------------------------------------- */

/* What summaries of many prefixes (one query) share: which VPs the view
 * takes (ok), the group of each source (sources of one name form one
 * group: a source restarted by a reload is a new registry entry), the
 * VPs up per family and group, and a mark per VP (a VP is counted once
 * per prefix when its mark is the prefix's generation). */
struct sum_ctx {
	struct rib	*r;
	uint32_t	 vps_up[2];
	uint32_t	*mark;
	uint32_t	 gen;
	uint8_t		*ok;		/* per VP: in the view */
	uint32_t	*group;		/* per registry source: its group */
	uint32_t	*group_src;	/* per group: one source of it */
	uint32_t	 ngroups;
	uint32_t	*group_up;	/* per group and family */
	struct rib_summary *per;	/* per group, for one prefix */
	bool		 per_source;
};

struct sum_arg {
	struct sum_ctx		*c;
	struct rib_summary	*s;
};

static bool
vp_in_view(const struct rib *r, const struct rib_vp *v,
    const struct rib_view *view)
{
	if (view == NULL)
		return true;
	if (view->source != NULL &&
	    strcmp(r->sources[v->source].name, view->source) != 0)
		return false;
	return view->tags == 0 || (v->tags & view->tags) != 0;
}

static void
sum_end(struct sum_ctx *c)
{
	free(c->mark);
	free(c->ok);
	free(c->group);
	free(c->group_src);
	free(c->group_up);
	free(c->per);
	memset(c, 0, sizeof(*c));
}

static bool
sum_begin(struct sum_ctx *c, struct rib *r, const struct rib_view *view)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
	c->per_source = view != NULL && view->per_source;
	c->mark = calloc(r->nvps + 1, sizeof(*c->mark));
	c->ok = calloc(r->nvps + 1, 1);
	c->group = calloc(r->nsources + 1, sizeof(*c->group));
	c->group_src = calloc(r->nsources + 1, sizeof(*c->group_src));
	c->group_up = calloc(2 * ((size_t)r->nsources + 1), sizeof(uint32_t));
	c->per = calloc(r->nsources + 1, sizeof(*c->per));
	if (c->mark == NULL || c->ok == NULL || c->group == NULL ||
	    c->group_src == NULL || c->group_up == NULL || c->per == NULL) {
		sum_end(c);
		return false;
	}
	for (uint32_t i = 0; i < r->nsources; i++) {
		uint32_t g;

		for (g = 0; g < c->ngroups; g++)
			if (strcmp(r->sources[c->group_src[g]].name,
			    r->sources[i].name) == 0)
				break;
		if (g == c->ngroups)
			c->group_src[c->ngroups++] = i;
		c->group[i] = g;
	}
	for (uint32_t i = 0; i < r->nvps; i++) {
		const struct rib_vp *v = &r->vps[i];

		c->ok[i] = vp_in_view(r, v, view);
		for (int f = 0; f < 2 && c->ok[i]; f++)
			if (v->state == RIB_VP_UP && v->routes[f] > 0) {
				c->vps_up[f]++;
				c->group_up[2 * c->group[v->source] + f]++;
			}
	}
	return true;
}

static void
sum_add(struct rib_summary *s, uint32_t routes, bool seeing,
    const uint32_t *o, unsigned n, uint32_t up)
{
	s->routes += routes;
	s->vps_seeing += seeing;
	for (unsigned i = 0; i < n; i++)
		add_unique(s->origins, &s->norigins, o[i]);
	if (up != 0)
		add_unique(s->upstreams, &s->nupstreams, up);
}

static int
sum_route(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct sum_arg *x = arg;
	struct sum_ctx *c = x->c;
	struct rib *r = c->r;
	uint32_t o[ATTR_MAX_ORIGINS], up;
	bool seeing = false;
	unsigned n;

	(void)k;
	if (!c->ok[e->vp->id])
		return 0;
	if (c->mark[e->vp->id] != c->gen && e->vp->state == RIB_VP_UP &&
	    !e->stale) {
		c->mark[e->vp->id] = c->gen;
		seeing = true;
	}
	n = attr_origins(&r->attrs, e->attr, o);
	up = attr_upstream(&r->attrs, e->attr);
	sum_add(x->s, 1, seeing, o, n, up);
	if (c->per_source)
		sum_add(&c->per[c->group[e->vp->source]], 1, seeing, o, n, up);
	return 0;
}

static void
sum_sort(struct rib_summary *s)
{
	qsort(s->origins, s->norigins, sizeof(uint32_t), cmp_u32);
	qsort(s->upstreams, s->nupstreams, sizeof(uint32_t), cmp_u32);
}

/* The prefix's summary over the view, and per group when asked. */
static void
summarize(struct sum_ctx *c, const struct trie_key *k, struct rib_summary *s)
{
	struct sum_arg x = { c, s };

	memset(s, 0, sizeof(*s));
	s->vps_up = c->vps_up[k->v6];
	c->gen++;
	if (c->per_source)
		for (uint32_t g = 0; g < c->ngroups; g++) {
			memset(&c->per[g], 0, sizeof(c->per[g]));
			c->per[g].vps_up = c->group_up[2 * g + k->v6];
		}
	rib_prefix_routes(c->r, k, sum_route, &x);
	sum_sort(s);
	for (uint32_t g = 0; c->per_source && g < c->ngroups; g++)
		sum_sort(&c->per[g]);
}

void
rib_prefix_summary(struct rib *r, const struct trie_key *k,
    struct rib_summary *s)
{
	struct sum_ctx c;

	memset(s, 0, sizeof(*s));
	if (!sum_begin(&c, r, NULL))
		return;
	summarize(&c, k, s);
	sum_end(&c);
}

/* --- routes of prefixes ------------------------------------------------------- */

struct pfx_arg {
	struct rib	*r;
	uint32_t	 now;
	bool		 json;
	struct jw	 j;
	struct strbuf	*out;
	struct strbuf	 tmp;
	bool		 have_prefix;
	struct trie_key	 cur;		/* prefix being printed */
	unsigned	 prefixes;
	struct sum_ctx	 sum;		/* for every prefix's summary */
	/* text: the prefix's routes, to print grouped by source */
	struct rib_entry *pend;
	size_t		 npend;
	size_t		 cap_pend;
};

static void
json_asns(struct jw *j, const char *key, const uint32_t *v, uint32_t n)
{
	jw_key(j, key);
	jw_arr_begin(j);
	for (uint32_t i = 0; i < n; i++)
		jw_u64(j, v[i]);
	jw_arr_end(j);
}

static void
prefix_open(struct pfx_arg *x, const struct trie_key *k)
{
	struct rib_summary s;
	char buf[64];

	summarize(&x->sum, k, &s);
	trie_key_str(k, buf, sizeof(buf));
	if (x->json) {
		jw_obj_begin(&x->j);
		jw_kstr(&x->j, "prefix", buf);
		jw_key(&x->j, "summary");
		jw_obj_begin(&x->j);
		jw_ku64(&x->j, "routes", s.routes);
		jw_ku64(&x->j, "vps_seeing", s.vps_seeing);
		jw_ku64(&x->j, "vps_up", s.vps_up);
		json_asns(&x->j, "origins", s.origins, s.norigins);
		json_asns(&x->j, "upstreams", s.upstreams, s.nupstreams);
		jw_obj_end(&x->j);
		if (x->sum.per_source) {
			jw_key(&x->j, "sources");
			jw_arr_begin(&x->j);
			for (uint32_t g = 0; g < x->sum.ngroups; g++) {
				const struct rib_summary *p = &x->sum.per[g];

				if (p->routes == 0 && p->vps_up == 0)
					continue;
				jw_obj_begin(&x->j);
				jw_kstr(&x->j, "source", x->r->sources[
				    x->sum.group_src[g]].name);
				jw_ku64(&x->j, "routes", p->routes);
				jw_ku64(&x->j, "vps_seeing", p->vps_seeing);
				jw_ku64(&x->j, "vps_up", p->vps_up);
				json_asns(&x->j, "origins", p->origins,
				    p->norigins);
				json_asns(&x->j, "upstreams", p->upstreams,
				    p->nupstreams);
				jw_obj_end(&x->j);
			}
			jw_arr_end(&x->j);
		}
		jw_key(&x->j, "routes");
		jw_arr_begin(&x->j);
		return;
	}
	sb_printf(x->out, "%s%s: seen by %u of %u VPs up, %u routes; origin",
	    x->prefixes > 0 ? "\n" : "", buf, s.vps_seeing, s.vps_up,
	    s.routes);
	for (uint32_t i = 0; i < s.norigins; i++)
		sb_printf(x->out, " AS%u", s.origins[i]);
	sb_puts(x->out, s.norigins ? "; upstreams" : " none; upstreams");
	for (uint32_t i = 0; i < s.nupstreams; i++)
		sb_printf(x->out, " AS%u", s.upstreams[i]);
	sb_puts(x->out, s.nupstreams ? "\n" : " none\n");
}

static void	route_text(struct pfx_arg *x, const struct rib_entry *e,
		    const struct attr_view *v);

static const struct sum_ctx *sort_ctx;	/* for by_source */

/* By source group, then by VP name. */
static int
by_source(const void *a, const void *b)
{
	const struct rib_entry *x = a, *y = b;
	uint32_t gx = sort_ctx->group[x->vp->source];
	uint32_t gy = sort_ctx->group[y->vp->source];
	int c;

	if (gx != gy)
		return gx < gy ? -1 : 1;
	if ((c = strcmp(x->vp->name, y->vp->name)) != 0)
		return c;
	return x->path_id < y->path_id ? -1 : x->path_id > y->path_id;
}

/* The text rows of a prefix, grouped by source under a header each. */
static void
flush_text(struct pfx_arg *x)
{
	uint32_t last = UINT32_MAX;

	sort_ctx = &x->sum;
	if (x->npend > 1)
		qsort(x->pend, x->npend, sizeof(*x->pend), by_source);
	for (size_t i = 0; i < x->npend; i++) {
		const struct rib_entry *e = &x->pend[i];
		uint32_t g = x->sum.group[e->vp->source];
		struct attr_view v;

		if (g != last) {
			const struct rib_source *src = &x->r->sources[
			    x->sum.group_src[g]];
			const struct rib_summary *p = &x->sum.per[g];

			last = g;
			sb_printf(x->out, " %s (%s): seen by %u of %u VPs up, "
			    "%u route%s", src->name, src->kind, p->vps_seeing,
			    p->vps_up, p->routes, p->routes == 1 ? "" : "s");
			for (uint32_t o = 0; o < p->norigins; o++)
				sb_printf(x->out, "%s AS%u", o ? "" :
				    "; origin", p->origins[o]);
			sb_putc(x->out, '\n');
		}
		arena_reset(&x->r->scratch);
		if (attr_view(&x->r->attrs, e->attr, &x->r->scratch, &v))
			route_text(x, e, &v);
	}
	x->npend = 0;
}

static void
prefix_close(struct pfx_arg *x)
{
	if (x->json) {
		jw_arr_end(&x->j);
		jw_obj_end(&x->j);
	} else {
		flush_text(x);
	}
}

static void
route_json(struct pfx_arg *x, const struct rib_entry *e,
    const struct attr_view *v)
{
	const struct rib_source *src = &x->r->sources[e->vp->source];
	char buf[INET6_ADDRSTRLEN];

	jw_obj_begin(&x->j);
	jw_kstr(&x->j, "source", src->name);
	jw_key(&x->j, "vp");
	jw_obj_begin(&x->j);
	jw_ku64(&x->j, "id", e->vp->id);
	jw_kstr(&x->j, "name", e->vp->name);
	jw_kstr(&x->j, "address", vp_addr(e->vp, buf, sizeof(buf)));
	jw_ku64(&x->j, "asn", e->vp->asn);
	jw_kstr(&x->j, "table", rib_table_name(e->vp->table));
	jw_kstr(&x->j, "state", rib_vp_state_name(e->vp->state));
	jw_obj_end(&x->j);
	if (e->has_path_id)
		jw_ku64(&x->j, "path_id", e->path_id);
	jw_kbool(&x->j, "stale", e->stale);
	jw_ku64(&x->j, "time", e->ts);
	jw_ku64(&x->j, "age", x->now > e->ts ? x->now - e->ts : 0);
	bgp_attrs_json_fields(&x->j, &v->attrs, v->nexthop, v->nexthop_len);
	jw_obj_end(&x->j);
}

static void
route_text(struct pfx_arg *x, const struct rib_entry *e,
    const struct attr_view *v)
{
	static const char *const origins[] = { "IGP", "EGP", "INCOMPLETE" };
	char nh[INET6_ADDRSTRLEN] = "-";
	const struct bgp_attrs *a = &v->attrs;
	uint32_t age = x->now > e->ts ? x->now - e->ts : 0;

	sb_reset(&x->tmp);
	bgp_aspath_str(&a->path, &x->tmp);
	bgp_nexthop_str(v->nexthop, v->nexthop_len, nh, sizeof(nh));
	sb_printf(x->out, "  %-30s %-8s path %s  next-hop %s  origin %s",
	    e->vp->name, x->r->sources[e->vp->source].name, sb_str(&x->tmp),
	    nh, bgp_attrs_has(a, BGP_ATTR_ORIGIN) && a->origin < 3 ?
	    origins[a->origin] : "-");
	if (e->has_path_id)
		sb_printf(x->out, "  path-id %u", e->path_id);
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		sb_printf(x->out, "  med %u", a->med);
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		sb_printf(x->out, "  local-pref %u", a->local_pref);
	if (a->n_communities > 0) {
		sb_puts(x->out, "  communities");
		for (unsigned i = 0; i < a->n_communities; i++) {
			uint32_t c = bgp_community_at(a, i);

			sb_printf(x->out, " %u:%u", c >> 16, c & 0xffff);
		}
	}
	for (unsigned i = 0; i < a->n_large_communities; i++) {
		uint32_t l[3];

		bgp_large_community_at(a, i, l);
		sb_printf(x->out, "%s%u:%u:%u", i == 0 ?
		    "  large-communities " : " ", l[0], l[1], l[2]);
	}
	sb_printf(x->out, "  age %um%02us%s\n", age / 60, age % 60,
	    e->stale ? "  STALE" : "");
}

static int
pfx_route(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct pfx_arg *x = arg;
	struct attr_view v;

	if (!x->sum.ok[e->vp->id])
		return 0;		/* not in the view */
	if (!x->have_prefix || x->cur.len != k->len || x->cur.hi != k->hi ||
	    x->cur.lo != k->lo) {
		if (x->have_prefix)
			prefix_close(x);
		prefix_open(x, k);
		x->cur = *k;
		x->have_prefix = true;
		x->prefixes++;
	}
	if (!x->json) {
		if (x->npend == x->cap_pend) {
			size_t cap = x->cap_pend ? x->cap_pend * 2 : 64;
			struct rib_entry *n = realloc(x->pend,
			    cap * sizeof(*n));

			if (n == NULL)
				return 0;	/* this route is not shown */
			x->pend = n;
			x->cap_pend = cap;
		}
		x->pend[x->npend++] = *e;
		return 0;
	}
	arena_reset(&x->r->scratch);
	if (attr_view(&x->r->attrs, e->attr, &x->r->scratch, &v))
		route_json(x, e, &v);
	return 0;
}

void
rib_query_prefix(struct rib *r, const struct trie_key *k,
    enum rib_match match, uint32_t now, bool json, struct strbuf *out)
{
	rib_query_prefix_in(r, k, match, now, json, NULL, out);
}

void
rib_query_prefix_in(struct rib *r, const struct trie_key *k,
    enum rib_match match, uint32_t now, bool json,
    const struct rib_view *view, struct strbuf *out)
{
	static const char *const names[] = { "exact", "more-specifics",
	    "less-specifics" };
	struct pfx_arg x = { .r = r, .now = now, .json = json, .out = out };
	struct rib_view text_view = { .per_source = true };
	char buf[64];

	/* text groups routes by source, each under its own summary */
	if (!json) {
		if (view != NULL)
			text_view = *view;
		text_view.per_source = true;
		view = &text_view;
	}
	if (!sum_begin(&x.sum, r, view)) {
		sb_puts(out, json ? "{\"error\":\"out of memory\"}\n" :
		    "out of memory\n");
		return;
	}
	sb_init(&x.tmp);
	trie_key_str(k, buf, sizeof(buf));
	if (json) {
		jw_init(&x.j, out);
		jw_obj_begin(&x.j);
		jw_kstr(&x.j, "query", buf);
		jw_kstr(&x.j, "match", names[match]);
		jw_key(&x.j, "prefixes");
		jw_arr_begin(&x.j);
	}
	if (match == RIB_MATCH_EXACT)
		rib_prefix_routes(r, k, pfx_route, &x);
	else if (match == RIB_MATCH_MORE)
		rib_more_specifics(r, k, pfx_route, &x);
	else
		rib_less_specifics(r, k, pfx_route, &x);
	if (x.have_prefix)
		prefix_close(&x);
	if (json) {
		jw_arr_end(&x.j);
		jw_obj_end(&x.j);
		sb_putc(out, '\n');
	} else if (x.prefixes == 0) {
		sb_printf(out, "%s: no route (%s)\n", buf, names[match]);
	}
	sb_free(&x.tmp);
	free(x.pend);
	sum_end(&x.sum);
}

/* --- an AS ------------------------------------------------------------------ */

struct asn_pfx {
	struct trie_key	k;
	uint32_t	routes;
};

struct asn_arg {
	struct asn_pfx	*v;
	size_t		 n;
	size_t		 cap;
	bool		 oom;
};

static int
asn_collect(const struct trie_key *k, uint32_t routes, void *arg)
{
	struct asn_arg *x = arg;

	if (x->n == x->cap) {
		size_t ncap = x->cap ? x->cap * 2 : 64;
		struct asn_pfx *nv = realloc(x->v, ncap * sizeof(*nv));

		if (nv == NULL) {
			x->oom = true;
			return 1;
		}
		x->v = nv;
		x->cap = ncap;
	}
	x->v[x->n].k = *k;
	x->v[x->n++].routes = routes;
	return 0;
}

struct nb {
	uint32_t	asn;
	uint32_t	paths;
	bool		up;
};

struct nb_arg {
	struct nb	*v;
	size_t		 n;
	size_t		 cap;
};

static void
nb_collect(uint32_t neighbor, bool upstream, uint32_t paths, void *arg)
{
	struct nb_arg *x = arg;

	if (x->n == x->cap) {
		size_t ncap = x->cap ? x->cap * 2 : 64;
		struct nb *nv = realloc(x->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return;
		x->v = nv;
		x->cap = ncap;
	}
	x->v[x->n].asn = neighbor;
	x->v[x->n].paths = paths;
	x->v[x->n++].up = upstream;
}

static int
cmp_nb(const void *pa, const void *pb)
{
	const struct nb *a = pa, *b = pb;

	if (a->up != b->up)
		return a->up ? -1 : 1;
	if (a->paths != b->paths)
		return a->paths > b->paths ? -1 : 1;
	return a->asn < b->asn ? -1 : a->asn > b->asn;
}

/* VPs with a route to the prefix whose path ends at asn. */
struct vps_arg {
	struct rib	*r;
	uint32_t	 asn;
	uint8_t		*seen;
	uint32_t	 n;
};

static int
vps_route(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct vps_arg *x = arg;
	uint32_t o[ATTR_MAX_ORIGINS];
	unsigned n = attr_origins(&x->r->attrs, e->attr, o);

	(void)k;
	for (unsigned i = 0; i < n; i++)
		if (o[i] == x->asn && !x->seen[e->vp->id]) {
			x->seen[e->vp->id] = 1;
			x->n++;
		}
	return 0;
}

void
rib_query_asn(struct rib *r, uint32_t asn, bool json, struct strbuf *out)
{
	struct asn_arg px = { 0 };
	struct nb_arg nx = { 0 };
	struct vps_arg vx = { r, asn, calloc(r->nvps + 1, 1), 0 };
	char buf[64];
	struct jw j;

	rib_origin_prefixes(r, asn, asn_collect, &px);
	if (px.n > 0)
		qsort(px.v, px.n, sizeof(*px.v), trie_key_cmp);
	rib_as_neighbors(r, asn, nb_collect, &nx);
	if (nx.n > 0)
		qsort(nx.v, nx.n, sizeof(*nx.v), cmp_nb);
	for (size_t i = 0; vx.seen != NULL && i < px.n; i++)
		rib_prefix_routes(r, &px.v[i].k, vps_route, &vx);
	if (json) {
		jw_init(&j, out);
		jw_obj_begin(&j);
		jw_ku64(&j, "asn", asn);
		jw_key(&j, "originated");
		jw_arr_begin(&j);
		for (size_t i = 0; i < px.n; i++) {
			jw_obj_begin(&j);
			jw_kstr(&j, "prefix", trie_key_str(&px.v[i].k, buf,
			    sizeof(buf)));
			jw_ku64(&j, "routes", px.v[i].routes);
			jw_obj_end(&j);
		}
		jw_arr_end(&j);
		for (int up = 1; up >= 0; up--) {
			jw_key(&j, up ? "upstreams" : "downstreams");
			jw_arr_begin(&j);
			for (size_t i = 0; i < nx.n; i++) {
				if (nx.v[i].up != (up == 1))
					continue;
				jw_obj_begin(&j);
				jw_ku64(&j, "asn", nx.v[i].asn);
				jw_ku64(&j, "paths", nx.v[i].paths);
				jw_obj_end(&j);
			}
			jw_arr_end(&j);
		}
		jw_ku64(&j, "vps_seeing", vx.n);
		jw_obj_end(&j);
		sb_putc(out, '\n');
	} else {
		sb_printf(out, "AS%u originates %zu prefixes, seen by %u VPs\n",
		    asn, px.n, vx.n);
		for (size_t i = 0; i < px.n; i++)
			sb_printf(out, "  %-43s %u routes\n", trie_key_str(
			    &px.v[i].k, buf, sizeof(buf)), px.v[i].routes);
		for (size_t i = 0; i < nx.n; i++)
			sb_printf(out, "  %s AS%u (in %u paths)\n", nx.v[i].up ?
			    "upstream  " : "downstream", nx.v[i].asn,
			    nx.v[i].paths);
	}
	free(px.v);
	free(nx.v);
	free(vx.seen);
}

/* --- VPs and memory ------------------------------------------------------------ */

void
rib_query_vps(struct rib *r, bool json, struct strbuf *out)
{
	char buf[INET6_ADDRSTRLEN];
	struct jw j;

	if (json) {
		jw_init(&j, out);
		jw_arr_begin(&j);
	}
	for (uint32_t i = 0; i < r->nvps; i++) {
		const struct rib_vp *v = &r->vps[i];

		if (!json) {
			sb_printf(out, "%-28s %-10s AS%-10u %-16s %-6s v4 %-8llu "
			    "v6 %-8llu ann %llu wd %llu\n", v->name,
			    r->sources[v->source].name, v->asn,
			    rib_table_name(v->table), rib_vp_state_name(v->state),
			    (unsigned long long)v->routes[0],
			    (unsigned long long)v->routes[1],
			    (unsigned long long)v->announcements,
			    (unsigned long long)v->withdrawals);
			continue;
		}
		jw_obj_begin(&j);
		jw_ku64(&j, "id", v->id);
		jw_kstr(&j, "name", v->name);
		jw_kstr(&j, "source", r->sources[v->source].name);
		jw_kstr(&j, "address", vp_addr(v, buf, sizeof(buf)));
		jw_ku64(&j, "asn", v->asn);
		jw_kstr(&j, "table", rib_table_name(v->table));
		jw_kstr(&j, "state", rib_vp_state_name(v->state));
		jw_ku64(&j, "since_us", v->since_us);
		jw_ku64(&j, "last_update_us", v->last_update_us);
		jw_ku64(&j, "routes_v4", v->routes[0]);
		jw_ku64(&j, "routes_v6", v->routes[1]);
		jw_ku64(&j, "announcements", v->announcements);
		jw_ku64(&j, "withdrawals", v->withdrawals);
		jw_ku64(&j, "updates_per_s", v->rate_1s);
		jw_obj_end(&j);
	}
	if (json) {
		jw_arr_end(&j);
		sb_putc(out, '\n');
	}
}

void
rib_query_mem(struct rib *r, bool json, struct strbuf *out)
{
	struct rib_mem m;
	struct jw j;

	rib_mem(r, &m);
	const struct {
		const char	*name;
		uint64_t	 count;
		size_t		 bytes;
	} rows[] = {
		{ "prefixes", m.prefixes[0] + m.prefixes[1], m.prefix_bytes },
		{ "routes", m.routes, m.route_bytes },
		{ "attribute_sets", m.attr.sets, m.attr.sets_bytes },
		{ "as_paths", m.attr.paths, m.attr.paths_bytes },
		{ "community_lists", m.attr.comms, m.attr.comms_bytes },
		{ "other_attributes", m.attr.other, m.attr.other_bytes },
		{ "indexes_and_vps", r->nvps, m.index_bytes + m.vp_bytes },
	};

	if (json) {
		jw_init(&j, out);
		jw_obj_begin(&j);
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			jw_key(&j, rows[i].name);
			jw_obj_begin(&j);
			jw_ku64(&j, "count", rows[i].count);
			jw_ku64(&j, "bytes", rows[i].bytes);
			jw_obj_end(&j);
		}
		jw_ku64(&j, "prefixes_v4", m.prefixes[0]);
		jw_ku64(&j, "prefixes_v6", m.prefixes[1]);
		jw_ku64(&j, "total_bytes", m.total);
		jw_obj_end(&j);
		sb_putc(out, '\n');
		return;
	}
	sb_printf(out, "%-18s %12s %14s %10s\n", "memory", "count", "bytes",
	    "per route");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		sb_printf(out, "%-18s %12llu %14zu %10.1f\n", rows[i].name,
		    (unsigned long long)rows[i].count, rows[i].bytes,
		    m.routes ? (double)rows[i].bytes / (double)m.routes : 0.0);
	sb_printf(out, "%-18s %12s %14zu %10.1f\n", "total", "", m.total,
	    m.routes ? (double)m.total / (double)m.routes : 0.0);
}

/* --- two views compared ------------------------------------------------------ */

struct cmp_side {
	struct sum_ctx	 sum;
	char		**paths;	/* of the current prefix, sorted */
	size_t		 npaths;
	size_t		 cap;
};

struct cmp_arg {
	struct rib	*r;
	struct trie_key	*keys;		/* prefixes with a route in a view */
	size_t		 nkeys;
	size_t		 cap;
	struct cmp_side	 side[2];
	struct strbuf	 tmp;
	bool		 oom;
};

static int
cmp_collect(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct cmp_arg *x = arg;

	if (!x->side[0].sum.ok[e->vp->id] && !x->side[1].sum.ok[e->vp->id])
		return 0;
	if (x->nkeys > 0 && trie_key_cmp(&x->keys[x->nkeys - 1], k) == 0)
		return 0;
	if (x->nkeys == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		struct trie_key *n = realloc(x->keys, cap * sizeof(*n));

		if (n == NULL) {
			x->oom = true;
			return 1;
		}
		x->keys = n;
		x->cap = cap;
	}
	x->keys[x->nkeys++] = *k;
	return 0;
}

static int
cmp_path(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct cmp_arg *x = arg;
	struct attr_view v;

	(void)k;
	for (int i = 0; i < 2; i++) {
		struct cmp_side *s = &x->side[i];
		char *p;

		if (!s->sum.ok[e->vp->id])
			continue;
		arena_reset(&x->r->scratch);
		if (!attr_view(&x->r->attrs, e->attr, &x->r->scratch, &v))
			continue;
		sb_reset(&x->tmp);
		bgp_aspath_str(&v.attrs.path, &x->tmp);
		if (s->npaths == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 16;
			char **n = realloc(s->paths, cap * sizeof(*n));

			if (n == NULL) {
				x->oom = true;
				return 1;
			}
			s->paths = n;
			s->cap = cap;
		}
		if ((p = strdup(sb_str(&x->tmp))) == NULL) {
			x->oom = true;
			return 1;
		}
		s->paths[s->npaths++] = p;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
paths_reset(struct cmp_side *s)
{
	for (size_t i = 0; i < s->npaths; i++)
		free(s->paths[i]);
	s->npaths = 0;
}

/* Sorted, without repeats. */
static void
paths_unique(struct cmp_side *s)
{
	size_t n = 0;

	if (s->npaths < 2)
		return;
	qsort(s->paths, s->npaths, sizeof(char *), cmp_str);
	for (size_t i = 0; i < s->npaths; i++) {
		if (n > 0 && strcmp(s->paths[n - 1], s->paths[i]) == 0) {
			free(s->paths[i]);
			continue;
		}
		s->paths[n++] = s->paths[i];
	}
	s->npaths = n;
}

static bool
has_u32(const uint32_t *v, uint32_t n, uint32_t x)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* Members of a not in b; returns whether there were any. */
static bool
json_only(struct jw *j, const char *key, const uint32_t *a, uint32_t na,
    const uint32_t *b, uint32_t nb)
{
	bool any = false;

	jw_key(j, key);
	jw_arr_begin(j);
	for (uint32_t i = 0; i < na; i++)
		if (!has_u32(b, nb, a[i])) {
			jw_u64(j, a[i]);
			any = true;
		}
	jw_arr_end(j);
	return any;
}

static bool
paths_only(struct jw *j, struct strbuf *out, const char *key,
    const struct cmp_side *a, const struct cmp_side *b, const char *label)
{
	bool any = false;

	if (j != NULL) {
		jw_key(j, key);
		jw_arr_begin(j);
	}
	for (size_t i = 0; i < a->npaths; i++) {
		if (b->npaths > 0 && bsearch(&a->paths[i], b->paths,
		    b->npaths, sizeof(char *), cmp_str) != NULL)
			continue;
		if (j != NULL)
			jw_str(j, a->paths[i]);
		else
			sb_printf(out, "  path only in %s: %s\n", label,
			    a->paths[i]);
		any = true;
	}
	if (j != NULL)
		jw_arr_end(j);
	return any;
}

void
rib_query_compare(struct rib *r, const struct trie_key *k,
    enum rib_match match, const struct rib_view *va, const char *na,
    const struct rib_view *vb, const char *nb, bool json,
    struct strbuf *out)
{
	struct cmp_arg x = { .r = r };
	unsigned differ = 0;
	char buf[64];
	struct jw j;

	sb_init(&x.tmp);
	if (!sum_begin(&x.side[0].sum, r, va) ||
	    !sum_begin(&x.side[1].sum, r, vb)) {
		sb_puts(out, json ? "{\"error\":\"out of memory\"}\n" :
		    "out of memory\n");
		goto done;
	}
	if (match == RIB_MATCH_EXACT)
		rib_prefix_routes(r, k, cmp_collect, &x);
	else if (match == RIB_MATCH_MORE)
		rib_more_specifics(r, k, cmp_collect, &x);
	else
		rib_less_specifics(r, k, cmp_collect, &x);
	trie_key_str(k, buf, sizeof(buf));
	if (json) {
		jw_init(&j, out);
		jw_obj_begin(&j);
		jw_kstr(&j, "query", buf);
		jw_kstr(&j, "a", na);
		jw_kstr(&j, "b", nb);
		jw_key(&j, "prefixes");
		jw_arr_begin(&j);
	}
	for (size_t i = 0; i < x.nkeys && !x.oom; i++) {
		struct rib_summary s[2];
		bool d = false;

		summarize(&x.side[0].sum, &x.keys[i], &s[0]);
		summarize(&x.side[1].sum, &x.keys[i], &s[1]);
		paths_reset(&x.side[0]);
		paths_reset(&x.side[1]);
		rib_prefix_routes(r, &x.keys[i], cmp_path, &x);
		paths_unique(&x.side[0]);
		paths_unique(&x.side[1]);
		trie_key_str(&x.keys[i], buf, sizeof(buf));
		if (json) {
			jw_obj_begin(&j);
			jw_kstr(&j, "prefix", buf);
			for (int v = 0; v < 2; v++) {
				jw_key(&j, v == 0 ? "in_a" : "in_b");
				jw_obj_begin(&j);
				jw_ku64(&j, "routes", s[v].routes);
				jw_ku64(&j, "vps_seeing", s[v].vps_seeing);
				jw_ku64(&j, "vps_up", s[v].vps_up);
				json_asns(&j, "origins", s[v].origins,
				    s[v].norigins);
				json_asns(&j, "upstreams", s[v].upstreams,
				    s[v].nupstreams);
				jw_obj_end(&j);
			}
			d |= (s[0].routes > 0) != (s[1].routes > 0);
			d |= json_only(&j, "origins_only_in_a", s[0].origins,
			    s[0].norigins, s[1].origins, s[1].norigins);
			d |= json_only(&j, "origins_only_in_b", s[1].origins,
			    s[1].norigins, s[0].origins, s[0].norigins);
			d |= json_only(&j, "upstreams_only_in_a",
			    s[0].upstreams, s[0].nupstreams, s[1].upstreams,
			    s[1].nupstreams);
			d |= json_only(&j, "upstreams_only_in_b",
			    s[1].upstreams, s[1].nupstreams, s[0].upstreams,
			    s[0].nupstreams);
			paths_only(&j, NULL, "paths_only_in_a", &x.side[0],
			    &x.side[1], na);
			paths_only(&j, NULL, "paths_only_in_b", &x.side[1],
			    &x.side[0], nb);
			jw_kbool(&j, "differ", d);
			jw_obj_end(&j);
		} else {
			sb_printf(out, "%s: %s %u routes from %u of %u VPs up; "
			    "%s %u routes from %u of %u VPs up\n", buf, na,
			    s[0].routes, s[0].vps_seeing, s[0].vps_up, nb,
			    s[1].routes, s[1].vps_seeing, s[1].vps_up);
			if ((s[0].routes > 0) != (s[1].routes > 0)) {
				sb_printf(out, "  seen only in %s\n",
				    s[0].routes > 0 ? na : nb);
				d = true;
			}
			for (int v = 0; v < 2; v++) {
				const struct rib_summary *p = &s[v], *o =
				    &s[1 - v];
				const char *name = v == 0 ? na : nb;

				for (uint32_t n = 0; n < p->norigins; n++)
					if (!has_u32(o->origins, o->norigins,
					    p->origins[n]) && o->routes > 0) {
						sb_printf(out, "  origin AS%u "
						    "only in %s\n",
						    p->origins[n], name);
						d = true;
					}
				for (uint32_t n = 0; n < p->nupstreams; n++)
					if (!has_u32(o->upstreams,
					    o->nupstreams, p->upstreams[n]) &&
					    o->routes > 0) {
						sb_printf(out, "  upstream AS%u "
						    "only in %s\n",
						    p->upstreams[n], name);
						d = true;
					}
			}
			paths_only(NULL, out, NULL, &x.side[0], &x.side[1],
			    na);
			paths_only(NULL, out, NULL, &x.side[1], &x.side[0],
			    nb);
		}
		differ += d;
	}
	if (json) {
		jw_arr_end(&j);
		jw_ku64(&j, "prefixes_differing", differ);
		jw_obj_end(&j);
		sb_putc(out, '\n');
	} else if (x.nkeys == 0) {
		sb_printf(out, "%s: no route in %s or %s\n", buf, na, nb);
	} else {
		sb_printf(out, "%u of %zu prefix%s differ%s\n", differ, x.nkeys,
		    x.nkeys == 1 ? "" : "es", differ == 1 ? "s" : "");
	}
done:
	for (int i = 0; i < 2; i++) {
		paths_reset(&x.side[i]);
		free(x.side[i].paths);
		sum_end(&x.side[i].sum);
	}
	free(x.keys);
	sb_free(&x.tmp);
}
