#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib/rib_query.h"
#include "util/arena.h"
#include "util/grow.h"
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

/* Every route of k, of its more-specifics or of its less-specifics. */
static void
match_routes(const struct rib *r, const struct trie_key *k,
    enum rib_match match, rib_entry_fn fn, void *arg)
{
	if (match == RIB_MATCH_EXACT)
		rib_prefix_routes(r, k, fn, arg);
	else if (match == RIB_MATCH_MORE)
		rib_more_specifics(r, k, fn, arg);
	else
		rib_less_specifics(r, k, fn, arg);
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
	uint32_t	*mark;		/* per VP: gen when seen up */
	uint32_t	*smark;		/* per VP: gen when seen stale */
	uint32_t	*stale;		/* the VPs seen stale, this gen */
	size_t		 nstale, cap_stale;
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

/* A VP (its rib_vp_flags) counted among the VPs up of each family it
 * holds routes of, overall and in its group. */
static void
count_up(uint8_t f, uint32_t group, uint32_t up[2], uint32_t *group_up)
{
	if ((f & RIB_VPF_STATE) != RIB_VP_UP)
		return;
	for (int v6 = 0; v6 < 2; v6++)
		if (f & (v6 ? RIB_VPF_V6 : RIB_VPF_V4)) {
			up[v6]++;
			group_up[2 * group + v6]++;
		}
}

static void
sum_end(struct sum_ctx *c)
{
	free(c->mark);
	free(c->smark);
	free(c->stale);
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
	c->smark = calloc(r->nvps + 1, sizeof(*c->smark));
	c->ok = calloc(r->nvps + 1, 1);
	c->group = calloc(r->nsources + 1, sizeof(*c->group));
	c->group_src = calloc(r->nsources + 1, sizeof(*c->group_src));
	c->group_up = calloc(2 * ((size_t)r->nsources + 1), sizeof(uint32_t));
	c->per = calloc(r->nsources + 1, sizeof(*c->per));
	if (c->mark == NULL || c->smark == NULL || c->ok == NULL ||
	    c->group == NULL || c->group_src == NULL || c->group_up == NULL ||
	    c->per == NULL) {
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
		if (c->ok[i])
			count_up(rib_vp_flags_of(v), c->group[v->source],
			    c->vps_up, c->group_up);
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
	if (e->vp->state == RIB_VP_UP && !e->stale) {
		seeing = c->mark[e->vp->id] != c->gen;
		c->mark[e->vp->id] = c->gen;
	} else if (c->smark[e->vp->id] != c->gen) {
		uint32_t *v = grow_array(c->stale, &c->cap_stale, c->nstale,
		    sizeof(*v));

		/* counted once the walk says it has no current route */
		c->smark[e->vp->id] = c->gen;
		if (v != NULL) {
			c->stale = v;
			c->stale[c->nstale++] = e->vp->id;
		}
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
	c->nstale = 0;
	rib_prefix_routes(c->r, k, sum_route, &x);
	/* stale: VPs with a route kept and none current */
	for (size_t i = 0; i < c->nstale; i++) {
		uint32_t vp = c->stale[i];

		if (c->mark[vp] == c->gen)
			continue;
		s->vps_stale++;
		if (c->per_source)
			c->per[c->group[c->r->vps[vp].source]].vps_stale++;
	}
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

/* A looking-glass answer is collected from the RIB, with copies of all
 * it prints, then printed from those copies alone: the printing (most of
 * the work) can then be done away from the RIB, on another thread. */

struct lg_route {
	uint32_t	 attr;		/* index in attrs */
	uint32_t	 group;
	uint32_t	 vp_id;
	uint32_t	 vp_asn;
	uint32_t	 path_id;
	uint32_t	 ts;
	bool		 has_path_id;
	bool		 stale;
	uint8_t		 vp_afi;
	uint8_t		 vp_table;
	uint8_t		 vp_state;
	uint8_t		 vp_addr[16];
	char		 vp_name[64];
	struct rib_note	 note;
};

struct lg_prefix {
	struct trie_key	 k;
	size_t		 first;		/* its routes */
	size_t		 n;
};

struct rib_lg {
	struct arena	 ar;		/* summaries' lists, attributes */
	bool		 json;
	bool		 per_source;
	bool		 oom;
	bool		 too_large;	/* RIB_LG_MAX_ROUTES reached */
	enum rib_match	 match;
	struct trie_key	 query;
	uint32_t	 ngroups;
	char		(*gname)[64];	/* per group: the source's name */
	char		(*gkind)[16];
	/* VPs up in the view, per family, and per group and family */
	uint32_t	 vps_up[2];
	uint32_t	*group_up;
	struct lg_prefix *pfx;
	size_t		 npfx;
	size_t		 cap_pfx;
	struct lg_route	*rt;
	size_t		 nrt;
	size_t		 cap_rt;
	struct attr_copy *attrs;
	uint32_t	 nattrs;
	size_t		 cap_attrs;
	uint32_t	*amap;		/* attribute handle, index + 1 */
	uint32_t	 amask;
	/* the VPs in the view and their groups, and rib_vps_gen when
	 * their states were read: to count them again (rib_lg_refresh) */
	uint32_t	*view_vp;
	uint32_t	*view_group;
	uint32_t	 nview;
	uint64_t	 vps_gen;
};

struct collect_arg {
	struct rib	*r;
	struct rib_lg	*lg;
	struct sum_ctx	 sum;
	bool		 have_prefix;
	struct trie_key	 cur;
};

static void
note_of(const struct rib *r, const struct trie_key *k,
    const struct rib_entry *e, struct rib_note *out)
{
	out->rov = out->aspa = NULL;
	if (r->note != NULL)
		r->note(k, e, out, r->note_arg);
}

static void
note_json(struct jw *j, const struct rib_note *n)
{
	if (n->rov == NULL)
		return;
	jw_key(j, "rpki");
	jw_obj_begin(j);
	jw_kstr(j, "rov", n->rov);
	jw_kstr(j, "aspa", n->aspa);
	jw_obj_end(j);
}

/* The index of the attribute set's copy, copied now if new; UINT32_MAX
 * when memory runs out. */
static uint32_t
attr_index(struct collect_arg *x, uint32_t h)
{
	struct rib_lg *lg = x->lg;
	struct attr_copy *ac;
	uint32_t i;

	/* pairs (handle, index + 1), half full at most */
	if (lg->amap == NULL || (lg->nattrs + 1) * 2 > lg->amask + 1) {
		uint32_t size = lg->amap == NULL ? 128 : (lg->amask + 1) * 2;
		uint32_t *m = calloc(2 * (size_t)size, sizeof(*m));

		if (m == NULL)
			return UINT32_MAX;
		for (uint32_t j = 0; lg->amap != NULL && j <= lg->amask; j++) {
			if (lg->amap[2 * j + 1] == 0)
				continue;
			for (i = (lg->amap[2 * j] * 2654435761u) & (size - 1);
			    m[2 * i + 1] != 0; i = (i + 1) & (size - 1))
				;
			m[2 * i] = lg->amap[2 * j];
			m[2 * i + 1] = lg->amap[2 * j + 1];
		}
		free(lg->amap);
		lg->amap = m;
		lg->amask = size - 1;
	}
	for (i = (h * 2654435761u) & lg->amask; lg->amap[2 * i + 1] != 0;
	    i = (i + 1) & lg->amask)
		if (lg->amap[2 * i] == h)
			return lg->amap[2 * i + 1] - 1;
	if ((ac = grow_array(lg->attrs, &lg->cap_attrs, lg->nattrs,
	    sizeof(*ac))) == NULL)
		return UINT32_MAX;
	lg->attrs = ac;
	if (!attr_copy(&x->r->attrs, h, &lg->ar, &lg->attrs[lg->nattrs]))
		return UINT32_MAX;
	lg->amap[2 * i] = h;
	lg->amap[2 * i + 1] = ++lg->nattrs;
	return lg->nattrs - 1;
}

/* A new prefix of the answer. */
static bool
collect_prefix(struct collect_arg *x, const struct trie_key *k)
{
	struct rib_lg *lg = x->lg;
	struct lg_prefix *p;

	if ((p = grow_array(lg->pfx, &lg->cap_pfx, lg->npfx,
	    sizeof(*p))) == NULL)
		return false;
	lg->pfx = p;
	p = &lg->pfx[lg->npfx++];
	p->k = *k;
	p->first = lg->nrt;
	p->n = 0;
	return true;
}

static int
collect_route(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct collect_arg *x = arg;
	struct rib_lg *lg = x->lg;
	struct lg_route *rt;
	uint32_t ai;

	if (lg->oom || lg->too_large || !x->sum.ok[e->vp->id])
		return 0;		/* not in the view */
	if (!x->have_prefix || x->cur.len != k->len || x->cur.hi != k->hi ||
	    x->cur.lo != k->lo) {
		x->cur = *k;
		x->have_prefix = true;
		if (!collect_prefix(x, k))
			goto oom;
	}
	if (lg->nrt == RIB_LG_MAX_ROUTES) {
		lg->too_large = true;
		return 1;
	}
	if ((ai = attr_index(x, e->attr)) == UINT32_MAX ||
	    (rt = grow_array(lg->rt, &lg->cap_rt, lg->nrt,
	    sizeof(*rt))) == NULL)
		goto oom;
	lg->rt = rt;
	rt = &lg->rt[lg->nrt++];
	rt->attr = ai;
	rt->group = x->sum.group[e->vp->source];
	rt->vp_id = e->vp->id;
	rt->vp_asn = e->vp->asn;
	rt->path_id = e->path_id;
	rt->ts = e->ts;
	rt->has_path_id = e->has_path_id;
	rt->stale = e->stale;
	rt->vp_afi = e->vp->afi;
	rt->vp_table = e->vp->table;
	rt->vp_state = e->vp->state;
	memcpy(rt->vp_addr, e->vp->addr, 16);
	memcpy(rt->vp_name, e->vp->name, sizeof(rt->vp_name));
	rt->vp_name[sizeof(rt->vp_name) - 1] = '\0';
	note_of(x->r, k, e, &rt->note);
	lg->pfx[lg->npfx - 1].n++;
	return 0;
oom:
	lg->oom = true;
	return 1;
}

struct rib_lg *
rib_lg_collect(struct rib *r, const struct trie_key *k, enum rib_match match,
    bool json, const struct rib_view *view)
{
	struct collect_arg x = { .r = r };
	struct rib_view text_view = { .per_source = true };
	struct rib_lg *lg = calloc(1, sizeof(*lg));

	if (lg == NULL)
		return NULL;
	arena_init(&lg->ar, 4096);
	lg->json = json;
	lg->match = match;
	lg->query = *k;
	/* text groups routes by source, each under its own summary */
	if (!json) {
		if (view != NULL)
			text_view = *view;
		text_view.per_source = true;
		view = &text_view;
	}
	lg->per_source = view != NULL && view->per_source;
	x.lg = lg;
	if (!sum_begin(&x.sum, r, view)) {
		lg->oom = true;
		return lg;
	}
	lg->ngroups = x.sum.ngroups;
	lg->gname = arena_calloc(&lg->ar, lg->ngroups + 1, sizeof(*lg->gname));
	lg->gkind = arena_calloc(&lg->ar, lg->ngroups + 1, sizeof(*lg->gkind));
	lg->group_up = arena_calloc(&lg->ar, 2 * ((size_t)lg->ngroups + 1),
	    sizeof(uint32_t));
	lg->vps_up[0] = x.sum.vps_up[0];
	lg->vps_up[1] = x.sum.vps_up[1];
	lg->vps_gen = rib_vps_gen(r);
	lg->view_vp = arena_calloc(&lg->ar, r->nvps + 1, sizeof(uint32_t));
	lg->view_group = arena_calloc(&lg->ar, r->nvps + 1, sizeof(uint32_t));
	for (uint32_t i = 0; lg->view_vp != NULL && lg->view_group != NULL &&
	    i < r->nvps; i++)
		if (x.sum.ok[i]) {
			lg->view_vp[lg->nview] = i;
			lg->view_group[lg->nview++] =
			    x.sum.group[r->vps[i].source];
		}
	if (lg->gname == NULL || lg->gkind == NULL || lg->group_up == NULL ||
	    lg->view_vp == NULL || lg->view_group == NULL) {
		lg->oom = true;
	} else {
		for (uint32_t g = 0; g < lg->ngroups; g++) {
			const struct rib_source *s =
			    &r->sources[x.sum.group_src[g]];

			snprintf(lg->gname[g], sizeof(lg->gname[g]), "%s",
			    s->name);
			snprintf(lg->gkind[g], sizeof(lg->gkind[g]), "%s",
			    s->kind);
			lg->group_up[2 * g] = x.sum.group_up[2 * g];
			lg->group_up[2 * g + 1] = x.sum.group_up[2 * g + 1];
		}
		match_routes(r, k, match, collect_route, &x);
	}
	sum_end(&x.sum);
	return lg;
}

int
rib_lg_refresh(struct rib_lg *lg, const struct rib *r)
{
	uint64_t gen = rib_vps_gen(r);
	uint32_t up[2] = { 0, 0 }, *gup;
	bool changed = false;

	if (lg == NULL || lg->oom || lg->too_large || gen == lg->vps_gen)
		return 0;
	if ((gup = calloc(2 * ((size_t)lg->ngroups + 1), sizeof(*gup))) ==
	    NULL)
		return -1;
	for (uint32_t i = 0; i < lg->nview; i++) {
		uint8_t f = rib_vp_flags(r, lg->view_vp[i]);

		if (f == RIB_VPF_NONE) {
			free(gup);
			return -1;	/* not published (no memory then) */
		}
		count_up(f, lg->view_group[i], up, gup);
	}
	/* the states, read while none changed, are one moment's */
	for (size_t i = 0; i < lg->nrt; i++) {
		uint8_t f = rib_vp_flags(r, lg->rt[i].vp_id);

		if (f == RIB_VPF_NONE) {
			free(gup);
			return -1;
		}
		if (lg->rt[i].vp_state != (f & RIB_VPF_STATE)) {
			lg->rt[i].vp_state = f & RIB_VPF_STATE;
			changed = true;
		}
	}
	if (rib_vps_gen(r) != gen) {
		/* they changed meanwhile: the route states read may be
		 * of two moments; the next look starts again */
		lg->vps_gen = 0;
		free(gup);
		return -1;
	}
	if (up[0] != lg->vps_up[0] || up[1] != lg->vps_up[1] ||
	    memcmp(gup, lg->group_up, 2 * (size_t)lg->ngroups *
	    sizeof(*gup)) != 0)
		changed = true;
	lg->vps_up[0] = up[0];
	lg->vps_up[1] = up[1];
	memcpy(lg->group_up, gup, 2 * (size_t)lg->ngroups * sizeof(*gup));
	lg->vps_gen = gen;
	free(gup);
	return changed ? 1 : 0;
}

unsigned
rib_lg_status(const struct rib_lg *lg)
{
	return lg == NULL || lg->oom ? 500 : lg->too_large ? 413 : 200;
}

void
rib_lg_shrink(struct rib_lg *lg)
{
	void *p;

	if (lg == NULL)
		return;
	if (lg->npfx < lg->cap_pfx && lg->npfx > 0 &&
	    (p = realloc(lg->pfx, lg->npfx * sizeof(*lg->pfx))) != NULL) {
		lg->pfx = p;
		lg->cap_pfx = lg->npfx;
	}
	if (lg->nrt < lg->cap_rt && lg->nrt > 0 &&
	    (p = realloc(lg->rt, lg->nrt * sizeof(*lg->rt))) != NULL) {
		lg->rt = p;
		lg->cap_rt = lg->nrt;
	}
	if (lg->nattrs < lg->cap_attrs && lg->nattrs > 0 &&
	    (p = realloc(lg->attrs, lg->nattrs * sizeof(*lg->attrs))) != NULL) {
		lg->attrs = p;
		lg->cap_attrs = lg->nattrs;
	}
	/* the map from RIB handles is for collecting only */
	free(lg->amap);
	lg->amap = NULL;
	lg->amask = 0;
}

size_t
rib_lg_bytes(const struct rib_lg *lg)
{
	if (lg == NULL)
		return 0;
	return sizeof(*lg) + lg->ar.bytes + lg->cap_pfx * sizeof(*lg->pfx) +
	    lg->cap_rt * sizeof(*lg->rt) + lg->cap_attrs * sizeof(*lg->attrs) +
	    (lg->amap != NULL ? 2 * ((size_t)lg->amask + 1) * sizeof(*lg->amap) :
	    0);
}

void
rib_lg_free(struct rib_lg *lg)
{
	if (lg == NULL)
		return;
	arena_free(&lg->ar);
	free(lg->pfx);
	free(lg->rt);
	free(lg->attrs);
	free(lg->amap);
	free(lg);
}

/* Printing. */
struct pfx_arg {
	const struct rib_lg	*lg;
	uint32_t		 now;
	struct jw		 j;
	struct strbuf		*out;
	struct strbuf		 tmp;
	struct arena		 scratch;
	/* the prefix's summary, and per group */
	struct rib_summary	 sum;
	struct rib_summary	*per;
	uint32_t		*seen;		/* VPs counted: id + 1 */
	uint32_t		 seen_mask;
};

/* Was the VP seen for the prefix with a current route (stale false), or
 * a stale one (true)? add: it is now. */
static bool
sighted(struct pfx_arg *x, uint32_t vp, bool stale, bool add)
{
	uint32_t key = (vp + 1) | (stale ? 0x80000000u : 0), i;

	for (i = (key * 2654435761u) & x->seen_mask; x->seen[i] != 0;
	    i = (i + 1) & x->seen_mask)
		if (x->seen[i] == key)
			return true;
	if (add)
		x->seen[i] = key;
	return false;
}

/* The prefix's summary (and per group): VPs up that see it, origins,
 * upstreams of the origins, from its routes' copies. */
static bool
lg_summarize(struct pfx_arg *x, const struct lg_prefix *p)
{
	const struct rib_lg *lg = x->lg;
	uint32_t size = 16;

	memset(&x->sum, 0, sizeof(x->sum));
	x->sum.vps_up = lg->vps_up[p->k.v6];
	for (uint32_t g = 0; lg->per_source && g < lg->ngroups; g++) {
		memset(&x->per[g], 0, sizeof(x->per[g]));
		x->per[g].vps_up = lg->group_up[2 * g + p->k.v6];
	}
	while (size < 2 * p->n)
		size *= 2;
	arena_reset(&x->scratch);
	if ((x->seen = arena_calloc(&x->scratch, size, sizeof(uint32_t))) ==
	    NULL)
		return false;
	x->seen_mask = size - 1;
	for (size_t i = p->first; i < p->first + p->n; i++) {
		const struct lg_route *rt = &lg->rt[i];
		const struct attr_copy *c = &lg->attrs[rt->attr];
		uint32_t o[ATTR_MAX_ORIGINS], up;
		bool seeing = rt->vp_state == RIB_VP_UP && !rt->stale &&
		    !sighted(x, rt->vp_id, false, true);
		unsigned n;

		n = attr_copy_origins(c, o);
		up = attr_copy_upstream(c);
		sum_add(&x->sum, 1, seeing, o, n, up);
		if (lg->per_source)
			sum_add(&x->per[rt->group], 1, seeing, o, n, up);
	}
	/* stale: VPs with a route kept and none current, once each */
	for (size_t i = p->first; i < p->first + p->n; i++) {
		const struct lg_route *rt = &lg->rt[i];

		if ((rt->vp_state == RIB_VP_UP && !rt->stale) ||
		    sighted(x, rt->vp_id, false, false) ||
		    sighted(x, rt->vp_id, true, true))
			continue;
		x->sum.vps_stale++;
		if (lg->per_source)
			x->per[rt->group].vps_stale++;
	}
	sum_sort(&x->sum);
	for (uint32_t g = 0; lg->per_source && g < lg->ngroups; g++)
		sum_sort(&x->per[g]);
	return true;
}

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
json_sum(struct jw *j, const struct rib_summary *s)
{
	jw_ku64(j, "routes", s->routes);
	jw_ku64(j, "vps_seeing", s->vps_seeing);
	jw_ku64(j, "vps_stale", s->vps_stale);
	jw_ku64(j, "vps_up", s->vps_up);
	json_asns(j, "origins", s->origins, s->norigins);
	json_asns(j, "upstreams", s->upstreams, s->nupstreams);
}

static const char *
route_addr(const struct lg_route *rt, char *buf, size_t len)
{
	if (rt->vp_afi != BGP_AFI_IPV6 && len >= 16) {
		ipv4_fmt(rt->vp_addr, buf);
		return buf;
	}
	return inet_ntop(rt->vp_afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET,
	    rt->vp_addr, buf, (socklen_t)len);
}

static void
route_json(struct pfx_arg *x, const struct lg_route *rt,
    const struct attr_view *v)
{
	char buf[INET6_ADDRSTRLEN];

	jw_obj_begin(&x->j);
	jw_kstr(&x->j, "source", x->lg->gname[rt->group]);
	jw_key(&x->j, "vp");
	jw_obj_begin(&x->j);
	jw_ku64(&x->j, "id", rt->vp_id);
	jw_kstr(&x->j, "name", rt->vp_name);
	jw_kstr(&x->j, "address", route_addr(rt, buf, sizeof(buf)));
	jw_ku64(&x->j, "asn", rt->vp_asn);
	jw_kstr(&x->j, "table", rib_table_name(rt->vp_table));
	jw_kstr(&x->j, "state", rib_vp_state_name(rt->vp_state));
	jw_obj_end(&x->j);
	if (rt->has_path_id)
		jw_ku64(&x->j, "path_id", rt->path_id);
	jw_kbool(&x->j, "stale", rt->stale);
	jw_ku64(&x->j, "time", rt->ts);
	jw_ku64(&x->j, "age", x->now > rt->ts ? x->now - rt->ts : 0);
	note_json(&x->j, &rt->note);
	bgp_attrs_json_fields(&x->j, &v->attrs, v->nexthop, v->nexthop_len);
	jw_obj_end(&x->j);
}

static void
route_text(struct pfx_arg *x, const struct lg_route *rt,
    const struct attr_view *v)
{
	static const char *const origins[] = { "IGP", "EGP", "INCOMPLETE" };
	char nh[INET6_ADDRSTRLEN] = "-";
	const struct bgp_attrs *a = &v->attrs;
	uint32_t age = x->now > rt->ts ? x->now - rt->ts : 0;

	sb_reset(&x->tmp);
	bgp_aspath_str(&a->path, &x->tmp);
	bgp_nexthop_str(v->nexthop, v->nexthop_len, nh, sizeof(nh));
	sb_printf(x->out, "  %-30s %-8s path %s  next-hop %s  origin %s",
	    rt->vp_name, x->lg->gname[rt->group], sb_str(&x->tmp), nh,
	    bgp_attrs_has(a, BGP_ATTR_ORIGIN) && a->origin < 3 ?
	    origins[a->origin] : "-");
	if (rt->has_path_id)
		sb_printf(x->out, "  path-id %u", rt->path_id);
	if (rt->note.rov != NULL)
		sb_printf(x->out, "  rov %s  aspa %s", rt->note.rov,
		    rt->note.aspa);
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
	for (unsigned i = 0; i < a->n_ext_communities; i++) {
		sb_puts(x->out, i == 0 ? "  ext-communities " : " ");
		bgp_ext_community_str(bgp_ext_community_at(a, i), x->out);
	}
	sb_printf(x->out, "  age %um%02us%s\n", age / 60, age % 60,
	    rt->stale ? "  STALE" : "");
}

/* By source group, then by VP name. */
static int
by_source(const void *a, const void *b)
{
	const struct lg_route *x = a, *y = b;
	int c;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if ((c = strcmp(x->vp_name, y->vp_name)) != 0)
		return c;
	return x->path_id < y->path_id ? -1 : x->path_id > y->path_id;
}

static void
prefix_json(struct pfx_arg *x, const struct lg_prefix *p)
{
	const struct rib_lg *lg = x->lg;
	char buf[64];

	if (!lg_summarize(x, p))
		return;
	trie_key_str(&p->k, buf, sizeof(buf));
	jw_obj_begin(&x->j);
	jw_kstr(&x->j, "prefix", buf);
	jw_key(&x->j, "summary");
	jw_obj_begin(&x->j);
	json_sum(&x->j, &x->sum);
	jw_obj_end(&x->j);
	if (lg->per_source) {
		jw_key(&x->j, "sources");
		jw_arr_begin(&x->j);
		for (uint32_t g = 0; g < lg->ngroups; g++) {
			if (x->per[g].routes == 0 && x->per[g].vps_up == 0)
				continue;
			jw_obj_begin(&x->j);
			jw_kstr(&x->j, "source", lg->gname[g]);
			json_sum(&x->j, &x->per[g]);
			jw_obj_end(&x->j);
		}
		jw_arr_end(&x->j);
	}
	jw_key(&x->j, "routes");
	jw_arr_begin(&x->j);
	for (size_t i = p->first; i < p->first + p->n; i++) {
		const struct lg_route *rt = &lg->rt[i];
		struct attr_view v;

		arena_reset(&x->scratch);
		if (attr_copy_view(&lg->attrs[rt->attr], &x->scratch, &v))
			route_json(x, rt, &v);
	}
	jw_arr_end(&x->j);
	jw_obj_end(&x->j);
}

/* A prefix's text: its summary, then its routes grouped by source under
 * a header each. */
static void
prefix_text(struct pfx_arg *x, const struct lg_prefix *p, bool first,
    struct lg_route *rts)
{
	const struct rib_lg *lg = x->lg;
	const struct rib_summary *s = &x->sum;
	uint32_t last = UINT32_MAX;
	char buf[64];

	if (!lg_summarize(x, p))
		return;
	trie_key_str(&p->k, buf, sizeof(buf));
	sb_printf(x->out, "%s%s: seen by %u of %u VPs up, %u routes",
	    first ? "" : "\n", buf, s->vps_seeing, s->vps_up, s->routes);
	if (s->vps_stale > 0)
		sb_printf(x->out, " (%u VP%s stale: feed down)", s->vps_stale,
		    s->vps_stale == 1 ? "" : "s");
	sb_puts(x->out, "; origin");
	for (uint32_t i = 0; i < s->norigins; i++)
		sb_printf(x->out, " AS%u", s->origins[i]);
	sb_puts(x->out, s->norigins ? "; upstreams" : " none; upstreams");
	for (uint32_t i = 0; i < s->nupstreams; i++)
		sb_printf(x->out, " AS%u", s->upstreams[i]);
	sb_puts(x->out, s->nupstreams ? "\n" : " none\n");
	if (p->n > 1)
		qsort(rts, p->n, sizeof(*rts), by_source);
	for (size_t i = 0; i < p->n; i++) {
		const struct lg_route *rt = &rts[i];
		struct attr_view v;

		if (rt->group != last) {
			const struct rib_summary *g = &x->per[rt->group];

			last = rt->group;
			sb_printf(x->out, " %s (%s): seen by %u of %u VPs up, "
			    "%u route%s", lg->gname[rt->group],
			    lg->gkind[rt->group], g->vps_seeing, g->vps_up,
			    g->routes, g->routes == 1 ? "" : "s");
			for (uint32_t o = 0; o < g->norigins; o++)
				sb_printf(x->out, "%s AS%u", o ? "" :
				    "; origin", g->origins[o]);
			sb_putc(x->out, '\n');
		}
		arena_reset(&x->scratch);
		if (attr_copy_view(&lg->attrs[rt->attr], &x->scratch, &v))
			route_text(x, rt, &v);
	}
}

void
rib_lg_render(struct rib_lg *lg, uint32_t now, struct strbuf *out)
{
	static const char *const names[] = { "exact", "more-specifics",
	    "less-specifics" };
	struct pfx_arg x = { .lg = lg, .now = now, .out = out };
	char buf[64];

	if (lg == NULL || lg->oom) {
		sb_puts(out, lg == NULL || lg->json ?
		    "{\"error\":\"out of memory\"}\n" : "out of memory\n");
		return;
	}
	if (lg->too_large) {
		trie_key_str(&lg->query, buf, sizeof(buf));
		sb_printf(out, lg->json ? "{\"error\":\"%s (%s): more than %u "
		    "routes; narrow the query (a longer prefix, source= or "
		    "tag=)\",\"status\":413}\n" : "%s (%s): more than %u "
		    "routes; narrow the query\n", buf, names[lg->match],
		    RIB_LG_MAX_ROUTES);
		return;
	}
	x.per = calloc(lg->ngroups + 1, sizeof(*x.per));
	if (x.per == NULL) {
		sb_puts(out, lg->json ? "{\"error\":\"out of memory\"}\n" :
		    "out of memory\n");
		return;
	}
	sb_init(&x.tmp);
	arena_init(&x.scratch, 0);
	trie_key_str(&lg->query, buf, sizeof(buf));
	if (lg->json) {
		jw_init(&x.j, out);
		jw_obj_begin(&x.j);
		jw_kstr(&x.j, "query", buf);
		jw_kstr(&x.j, "match", names[lg->match]);
		jw_key(&x.j, "prefixes");
		jw_arr_begin(&x.j);
		for (size_t i = 0; i < lg->npfx; i++)
			prefix_json(&x, &lg->pfx[i]);
		jw_arr_end(&x.j);
		jw_obj_end(&x.j);
		sb_putc(out, '\n');
	} else {
		for (size_t i = 0; i < lg->npfx; i++)
			prefix_text(&x, &lg->pfx[i], i == 0,
			    &lg->rt[lg->pfx[i].first]);
		if (lg->npfx == 0)
			sb_printf(out, "%s: no route (%s)\n", buf,
			    names[lg->match]);
	}
	sb_free(&x.tmp);
	arena_free(&x.scratch);
	free(x.per);
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
	struct rib_lg *lg = rib_lg_collect(r, k, match, json, view);

	rib_lg_render(lg, now, out);
	rib_lg_free(lg);
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
	struct asn_pfx *nv;

	if ((nv = grow_array(x->v, &x->cap, x->n, sizeof(*nv))) == NULL) {
		x->oom = true;
		return 1;
	}
	x->v = nv;
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
	struct nb *nv;

	if ((nv = grow_array(x->v, &x->cap, x->n, sizeof(*nv))) == NULL)
		return;
	x->v = nv;
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
	struct trie_key *n;

	if (!x->side[0].sum.ok[e->vp->id] && !x->side[1].sum.ok[e->vp->id])
		return 0;
	if (x->nkeys > 0 && trie_key_cmp(&x->keys[x->nkeys - 1], k) == 0)
		return 0;
	if ((n = grow_array(x->keys, &x->cap, x->nkeys, sizeof(*n))) == NULL) {
		x->oom = true;
		return 1;
	}
	x->keys = n;
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
		char *p, **n;

		if (!s->sum.ok[e->vp->id])
			continue;
		arena_reset(&x->r->scratch);
		if (!attr_view(&x->r->attrs, e->attr, &x->r->scratch, &v))
			continue;
		sb_reset(&x->tmp);
		bgp_aspath_str(&v.attrs.path, &x->tmp);
		if ((n = grow_array(s->paths, &s->cap, s->npaths,
		    sizeof(*n))) == NULL) {
			x->oom = true;
			return 1;
		}
		s->paths = n;
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
	match_routes(r, k, match, cmp_collect, &x);
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
				jw_ku64(&j, "vps_stale", s[v].vps_stale);
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

/* --- one VP's table -------------------------------------------------------- */

struct vpr_arg {
	struct rib		*r;
	uint32_t		 vp;
	const struct trie_key	*after;
	uint32_t		 limit;
	uint32_t		 n;
	uint32_t		 now;
	bool			 more;		/* stopped at the limit */
	struct trie_key		 last;
	struct jw		 j;
};

static int
vpr_route(const struct trie_key *k, const struct rib_entry *e, void *arg)
{
	struct vpr_arg *x = arg;
	struct attr_view v;
	char buf[64];

	if (e->vp->id != x->vp)
		return 0;
	if (x->after != NULL && trie_key_cmp(k, x->after) <= 0)
		return 0;
	/* the limit falls between prefixes, never inside one */
	if (x->n >= x->limit && trie_key_cmp(k, &x->last) != 0) {
		x->more = true;
		return 1;
	}
	arena_reset(&x->r->scratch);
	if (!attr_view(&x->r->attrs, e->attr, &x->r->scratch, &v))
		return 0;
	jw_obj_begin(&x->j);
	jw_kstr(&x->j, "prefix", trie_key_str(k, buf, sizeof(buf)));
	if (e->has_path_id)
		jw_ku64(&x->j, "path_id", e->path_id);
	jw_kbool(&x->j, "stale", e->stale);
	jw_ku64(&x->j, "time", e->ts);
	jw_ku64(&x->j, "age", x->now > e->ts ? x->now - e->ts : 0);
	{
		struct rib_note n;

		note_of(x->r, k, e, &n);
		note_json(&x->j, &n);
	}
	bgp_attrs_json_fields(&x->j, &v.attrs, v.nexthop, v.nexthop_len);
	jw_obj_end(&x->j);
	x->n++;
	x->last = *k;
	return 0;
}

void
rib_query_vp_routes(struct rib *r, uint32_t vp, const struct trie_key *after,
    uint32_t limit, uint32_t now, struct strbuf *out)
{
	struct vpr_arg x = { .r = r, .vp = vp, .after = after,
	    .limit = limit, .now = now };
	const struct rib_vp *v = rib_vp(r, vp);
	char buf[64];

	jw_init(&x.j, out);
	jw_obj_begin(&x.j);
	jw_key(&x.j, "vp");
	jw_obj_begin(&x.j);
	jw_ku64(&x.j, "id", v->id);
	jw_kstr(&x.j, "name", v->name);
	jw_kstr(&x.j, "source", r->sources[v->source].name);
	jw_kstr(&x.j, "address", vp_addr(v, buf, sizeof(buf)));
	jw_ku64(&x.j, "asn", v->asn);
	jw_kstr(&x.j, "state", rib_vp_state_name(v->state));
	jw_ku64(&x.j, "routes_v4", v->routes[0]);
	jw_ku64(&x.j, "routes_v6", v->routes[1]);
	jw_obj_end(&x.j);
	jw_key(&x.j, "routes");
	jw_arr_begin(&x.j);
	for (int v6 = 0; v6 < 2 && !x.more; v6++) {
		struct trie_key all = { .v6 = (uint8_t)v6 };

		if (v->routes[v6] == 0)
			continue;
		if (after != NULL && after->v6 > v6)
			continue;
		rib_more_specifics(r, &all, vpr_route, &x);
	}
	jw_arr_end(&x.j);
	jw_key(&x.j, "next");
	if (x.more)
		jw_str(&x.j, trie_key_str(&x.last, buf, sizeof(buf)));
	else
		jw_null(&x.j);
	jw_obj_end(&x.j);
	sb_putc(out, '\n');
}
