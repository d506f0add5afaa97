/* ASPA tables and AS_PATH verification. */
#include "rpki/aspa.h"

#include <stdlib.h>
#include <string.h>

/* Customers sorted; customer i's providers are prov[off[i] .. off[i+1]),
 * sorted, the pairs' own record in pairs[] at the same index. */
struct aspa_table {
	struct aspa_pair *pairs;
	size_t		  npairs;
	uint32_t	 *cust;
	uint32_t	 *off;
	uint32_t	 *prov;
	size_t		  ncust;
};

static int
pair_cmp(const struct aspa_pair *a, const struct aspa_pair *b)
{
	if (a->customer != b->customer)
		return a->customer < b->customer ? -1 : 1;
	if (a->provider != b->provider)
		return a->provider < b->provider ? -1 : 1;
	return 0;
}

static int
pair_qcmp(const void *a, const void *b)
{
	return pair_cmp(a, b);
}

struct aspa_table *
aspa_table_build(struct aspa_pair *p, size_t n)
{
	struct aspa_table *t;
	size_t i, w, c;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		free(p);
		return NULL;
	}
	if (n > 0)
		qsort(p, n, sizeof(*p), pair_qcmp);
	for (i = w = 0; i < n; i++) {
		if (w > 0 && pair_cmp(&p[w - 1], &p[i]) == 0) {
			p[w - 1].src |= p[i].src;
			continue;
		}
		p[w++] = p[i];
	}
	t->pairs = p;
	t->npairs = w;
	for (i = 0, c = 0; i < w; i++)
		c += i == 0 || p[i].customer != p[i - 1].customer;
	t->cust = malloc((c + 1) * sizeof(*t->cust));
	t->off = malloc((c + 1) * sizeof(*t->off));
	t->prov = malloc((w + 1) * sizeof(*t->prov));
	if (t->cust == NULL || t->off == NULL || t->prov == NULL) {
		aspa_table_free(t);
		return NULL;
	}
	for (i = 0; i < w; i++) {
		if (i == 0 || p[i].customer != p[i - 1].customer) {
			t->cust[t->ncust] = p[i].customer;
			t->off[t->ncust++] = (uint32_t)i;
		}
		t->prov[i] = p[i].provider;
	}
	t->off[t->ncust] = (uint32_t)w;
	return t;
}

struct aspa_table *
aspa_table_empty(void)
{
	return aspa_table_build(NULL, 0);
}

void
aspa_table_free(struct aspa_table *t)
{
	if (t == NULL)
		return;
	free(t->pairs);
	free(t->cust);
	free(t->off);
	free(t->prov);
	free(t);
}

const struct aspa_pair *
aspa_table_pairs(const struct aspa_table *t, size_t *n)
{
	*n = t->npairs;
	return t->pairs;
}

size_t
aspa_table_customers(const struct aspa_table *t)
{
	return t->ncust;
}

size_t
aspa_table_bytes(const struct aspa_table *t)
{
	return sizeof(*t) + t->npairs * (sizeof(struct aspa_pair) +
	    sizeof(uint32_t)) + (t->ncust + 1) * 2 * sizeof(uint32_t);
}

const uint32_t *
aspa_providers(const struct aspa_table *t, uint32_t customer, size_t *n)
{
	size_t l = 0, r = t->ncust;

	while (l < r) {
		size_t m = (l + r) / 2;

		if (t->cust[m] < customer)
			l = m + 1;
		else
			r = m;
	}
	if (l == t->ncust || t->cust[l] != customer) {
		*n = 0;
		return NULL;
	}
	*n = t->off[l + 1] - t->off[l];
	return t->prov + t->off[l];
}

enum aspa_hop
aspa_hop(const struct aspa_table *t, uint32_t a, uint32_t b)
{
	const uint32_t *p;
	size_t n, l = 0, r;

	if ((p = aspa_providers(t, a, &n)) == NULL)
		return ASPA_NO_ATTESTATION;
	r = n;
	while (l < r) {
		size_t m = (l + r) / 2;

		if (p[m] < b)
			l = m + 1;
		else
			r = m;
	}
	return l < n && p[l] == b ? ASPA_PROVIDER : ASPA_NOT_PROVIDER;
}

const char *
aspa_state_name(enum aspa_state s)
{
	static const char *const names[ASPA_STATES] = {
		"unknown", "valid", "invalid",
	};

	return (unsigned)s < ASPA_STATES ? names[s] : "?";
}

const char *
aspa_dir_name(enum aspa_dir d)
{
	return d == ASPA_DOWNSTREAM ? "downstream" : "upstream";
}

/* The draft numbers the path from the origin: AS(1) the origin, AS(N)
 * the AS that sent the route, prepends collapsed. Paths longer than
 * ASPA_PATH_STACK (never seen in practice) are numbered on the heap. */
#define ASPA_PATH_STACK	256

struct numbered {
	uint32_t	*as;		/* as[1 .. n] */
	size_t		 n;
};

static void
number(const struct aspa_path *p, struct numbered *o)
{
	o->n = 0;
	for (size_t i = p->n; i-- > 0;) {
		if (o->n > 0 && o->as[o->n] == p->as[i])
			continue;
		o->as[++o->n] = p->as[i];
	}
}

/* The bounds on the ramps' lengths (section 5.3 of draft -27). The
 * up-ramp climbs from the origin: AS(i) to AS(i + 1) customer to
 * provider; the down-ramp climbs from AS(N) back: AS(j) to AS(j - 1).
 * The maximum stops at the first "Not Provider+", the minimum at the
 * first hop that is not "Provider+"; both are N when none stops them. */
struct ramps {
	size_t	max_up, min_up, max_down, min_down;
};

static void
ramps(const struct aspa_table *t, const struct numbered *a, bool down,
    struct ramps *r)
{
	size_t n = a->n;

	r->max_up = r->min_up = n;
	for (size_t i = 1; i < n; i++) {
		enum aspa_hop h = aspa_hop(t, a->as[i], a->as[i + 1]);

		if (h != ASPA_PROVIDER && r->min_up == n)
			r->min_up = i;
		if (h == ASPA_NOT_PROVIDER) {
			r->max_up = i;
			break;
		}
	}
	r->max_down = r->min_down = down ? n : 0;
	if (!down)
		return;
	for (size_t j = n; j >= 2; j--) {
		enum aspa_hop h = aspa_hop(t, a->as[j], a->as[j - 1]);

		if (h != ASPA_PROVIDER && r->min_down == n)
			r->min_down = n - j + 1;
		if (h == ASPA_NOT_PROVIDER) {
			r->max_down = n - j + 1;
			break;
		}
	}
}

/* Sections 5.4 and 5.5: a route from a customer or a peer (upstream)
 * may only climb, so its down-ramp is 0; one from a provider may climb
 * and then descend. Ramps that cannot cover the path even at their
 * longest make it invalid; ramps that cover it only where ASes have no
 * ASPA leave it unknown. */
static enum aspa_state
verdict(const struct aspa_table *t, const struct numbered *a, bool down)
{
	struct ramps r;

	ramps(t, a, down, &r);
	if (r.max_up + r.max_down < a->n)
		return ASPA_INVALID;
	if (r.min_up + r.min_down < a->n)
		return ASPA_UNKNOWN;
	return ASPA_VALID;
}

/* Steps 1 and 3 of both procedures: an empty path or one with an
 * AS_SET is invalid. Step 2, the check that AS(N) is the neighbor's AS,
 * is the receiving router's (RFC 4271 section 6.3, enforce-first-as):
 * through a collector a path from a transparent route server rightly
 * lacks it, so it is not made here. */
enum aspa_state
aspa_verify(const struct aspa_table *t, const struct aspa_path *p,
    enum aspa_dir dir)
{
	uint32_t stack[ASPA_PATH_STACK + 1];
	struct numbered a = { .as = stack };
	enum aspa_state s;

	if (p->has_set || p->n == 0)
		return ASPA_INVALID;
	if (p->n > ASPA_PATH_STACK &&
	    (a.as = malloc((p->n + 1) * sizeof(*a.as))) == NULL)
		return ASPA_UNKNOWN;
	number(p, &a);
	s = verdict(t, &a, dir == ASPA_DOWNSTREAM);
	if (a.as != stack)
		free(a.as);
	return s;
}

size_t
aspa_table_diff(const struct aspa_table *a, const struct aspa_table *b,
    aspa_diff_fn fn, void *arg)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->npairs || j < b->npairs) {
		int c = i == a->npairs ? 1 : j == b->npairs ? -1 :
		    pair_cmp(&a->pairs[i], &b->pairs[j]);

		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (c < 0)
			fn(&a->pairs[i++], false, arg);
		else
			fn(&b->pairs[j++], true, arg);
		n++;
	}
	return n;
}
