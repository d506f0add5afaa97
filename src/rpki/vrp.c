/* VRP tables and route origin validation: see vrp.h for the layout. */
#include "rpki/vrp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A distinct VRP prefix: its VRPs are v[first .. first + n) of its
 * family, its covering node is parent (-1: none). */
struct vnode {
	uint64_t	hi;
	uint64_t	lo;
	uint32_t	first;
	uint32_t	n;
	int32_t		parent;
	uint8_t		len;
};

#define VRP_BUCKETS	65536	/* by the first 16 bits of an address */

struct vfam {
	const struct vrp *v;
	size_t		 nv;
	struct vnode	*nodes;
	size_t		 nnodes;
	/* intervals: where each starts, and the deepest node covering it
	 * (-1: none) */
	uint64_t	*ihi;
	uint64_t	*ilo;
	int32_t		*ideep;
	size_t		 nint;
	uint32_t	*bucket;	/* VRP_BUCKETS + 1, or NULL when empty */
};

struct vrp_table {
	struct vrp	*v;		/* IPv4 first */
	size_t		 nv;
	struct vfam	 f[2];
	size_t		 bytes;
};

void
vrp_key(const struct vrp *v, struct trie_key *k)
{
	memset(k, 0, sizeof(*k));
	k->hi = v->hi;
	k->lo = v->lo;
	k->len = v->len;
	k->v6 = v->v6;
}

void
vrp_set_key(struct vrp *v, const struct trie_key *k)
{
	v->hi = k->hi;
	v->lo = k->lo;
	v->len = k->len;
	v->v6 = k->v6;
}

char *
vrp_str(const struct vrp *v, char *buf, size_t len)
{
	struct trie_key k;
	char p[64];

	vrp_key(v, &k);
	trie_key_str(&k, p, sizeof(p));
	snprintf(buf, len, "%s-%u AS%u", p, v->maxlen, v->asn);
	return buf;
}

int
vrp_cmp(const struct vrp *a, const struct vrp *b)
{
	if (a->v6 != b->v6)
		return a->v6 < b->v6 ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->asn != b->asn)
		return a->asn < b->asn ? -1 : 1;
	if (a->maxlen != b->maxlen)
		return a->maxlen < b->maxlen ? -1 : 1;
	return 0;
}

static int
vrp_qcmp(const void *a, const void *b)
{
	return vrp_cmp(a, b);
}

/* The bits past len, as a mask of the 128-bit address (hi, lo). */
static void
host_mask(uint8_t len, uint64_t *hi, uint64_t *lo)
{
	if (len >= 64) {
		*hi = 0;
		*lo = len >= 128 ? 0 : ~(uint64_t)0 >> (len - 64);
	} else {
		*hi = len == 0 ? ~(uint64_t)0 : ~(uint64_t)0 >> len;
		*lo = ~(uint64_t)0;
	}
}

static inline bool
addr_le(uint64_t ahi, uint64_t alo, uint64_t bhi, uint64_t blo)
{
	return ahi < bhi || (ahi == bhi && alo <= blo);
}

/* --- building ------------------------------------------------------------- */

struct sweep {
	struct vfam	*f;
	size_t		 cap;
};

static void
interval_add(struct vfam *f, uint64_t hi, uint64_t lo, int32_t deep)
{
	size_t i = f->nint;

	if (i > 0 && f->ihi[i - 1] == hi && f->ilo[i - 1] == lo) {
		f->ideep[i - 1] = deep;
		return;
	}
	if (i > 0 && f->ideep[i - 1] == deep)
		return;
	f->ihi[i] = hi;
	f->ilo[i] = lo;
	f->ideep[i] = deep;
	f->nint = i + 1;
}

/* After node n ends (at its last address), the deepest is its parent. */
static void
node_close(struct vfam *f, int32_t n)
{
	const struct vnode *d = &f->nodes[n];
	uint64_t mhi, mlo, ehi, elo;

	host_mask(d->len, &mhi, &mlo);
	ehi = d->hi | mhi;
	elo = d->lo | mlo;
	if (ehi == ~(uint64_t)0 && elo == ~(uint64_t)0)
		return;			/* the end of the address space */
	elo++;
	if (elo == 0)
		ehi++;
	interval_add(f, ehi, elo, d->parent);
}

static bool
node_contains(const struct vnode *outer, const struct vnode *inner)
{
	uint64_t mhi, mlo;

	if (outer->len > inner->len)
		return false;
	host_mask(outer->len, &mhi, &mlo);
	return (inner->hi & ~mhi) == outer->hi && (inner->lo & ~mlo) ==
	    outer->lo;
}

/* Gives back what an array was allocated beyond its n entries. */
static void
trim(void **a, size_t n, size_t size)
{
	void *na;

	if (n > 0 && (na = realloc(*a, n * size)) != NULL)
		*a = na;
}

static bool
family_build(struct vfam *f, const struct vrp *v, size_t nv)
{
	int32_t stack[130];
	unsigned depth = 0;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->v = v;
	f->nv = nv;
	if (nv == 0)
		return true;
	if ((f->nodes = calloc(nv, sizeof(*f->nodes))) == NULL)
		return false;
	for (i = 0; i < nv; i++) {
		struct vnode *d = f->nnodes > 0 ? &f->nodes[f->nnodes - 1] :
		    NULL;

		if (d != NULL && d->hi == v[i].hi && d->lo == v[i].lo &&
		    d->len == v[i].len) {
			d->n++;
			continue;
		}
		d = &f->nodes[f->nnodes++];
		d->hi = v[i].hi;
		d->lo = v[i].lo;
		d->len = v[i].len;
		d->first = (uint32_t)i;
		d->n = 1;
	}
	f->ihi = malloc((2 * f->nnodes + 1) * sizeof(*f->ihi));
	/* IPv4 addresses are all in hi */
	f->ilo = malloc((2 * f->nnodes + 1) * sizeof(*f->ilo));
	f->ideep = malloc((2 * f->nnodes + 1) * sizeof(*f->ideep));
	f->bucket = malloc((VRP_BUCKETS + 1) * sizeof(*f->bucket));
	if (f->ihi == NULL || f->ilo == NULL || f->ideep == NULL ||
	    f->bucket == NULL)
		return false;
	/* Nodes come by first address, then length: a node's covering
	 * nodes are on the stack when it comes. */
	for (i = 0; i < f->nnodes; i++) {
		struct vnode *d = &f->nodes[i];

		while (depth > 0 && !node_contains(&f->nodes[stack[depth - 1]],
		    d))
			node_close(f, stack[--depth]);
		d->parent = depth > 0 ? stack[depth - 1] : -1;
		stack[depth++] = (int32_t)i;
		interval_add(f, d->hi, d->lo, (int32_t)i);
	}
	while (depth > 0)
		node_close(f, stack[--depth]);
	trim((void **)&f->nodes, f->nnodes, sizeof(*f->nodes));
	trim((void **)&f->ihi, f->nint, sizeof(*f->ihi));
	if (v[0].v6)
		trim((void **)&f->ilo, f->nint, sizeof(*f->ilo));
	else {
		free(f->ilo);
		f->ilo = NULL;
	}
	trim((void **)&f->ideep, f->nint, sizeof(*f->ideep));
	for (size_t b = 0, k = 0; b <= VRP_BUCKETS; b++) {
		while (k < f->nint && (f->ihi[k] >> 48) < b)
			k++;
		f->bucket[b] = (uint32_t)k;
	}
	return true;
}

static void
family_free(struct vfam *f)
{
	free(f->nodes);
	free(f->ihi);
	free(f->ilo);
	free(f->ideep);
	free(f->bucket);
}

size_t
vrp_sort_unique(struct vrp *v, size_t n)
{
	size_t i, w;

	if (n > 0)
		qsort(v, n, sizeof(*v), vrp_qcmp);
	for (i = w = 0; i < n; i++) {
		if (w > 0 && vrp_cmp(&v[w - 1], &v[i]) == 0) {
			v[w - 1].src |= v[i].src;
			continue;
		}
		v[w++] = v[i];
	}
	return w;
}

struct vrp_table *
vrp_table_build(struct vrp *v, size_t n)
{
	struct vrp_table *t;
	size_t i, w, n4;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		free(v);
		return NULL;
	}
	w = vrp_sort_unique(v, n);
	trim((void **)&v, w, sizeof(*v));
	t->v = v;
	t->nv = w;
	for (n4 = 0; n4 < w && !v[n4].v6; n4++)
		;
	if (!family_build(&t->f[0], v, n4) ||
	    !family_build(&t->f[1], w > 0 ? v + n4 : v, w - n4)) {
		vrp_table_free(t);
		return NULL;
	}
	t->bytes = sizeof(*t) + w * sizeof(*v);
	for (i = 0; i < 2; i++)
		t->bytes += t->f[i].nnodes * sizeof(struct vnode) +
		    t->f[i].nint * ((t->f[i].ilo != NULL ? 2 : 1) *
		    sizeof(uint64_t) + sizeof(int32_t)) +
		    (t->f[i].bucket != NULL ? (VRP_BUCKETS + 1) *
		    sizeof(uint32_t) : 0);
	return t;
}

struct vrp_table *
vrp_table_empty(void)
{
	return vrp_table_build(NULL, 0);
}

void
vrp_table_free(struct vrp_table *t)
{
	if (t == NULL)
		return;
	family_free(&t->f[0]);
	family_free(&t->f[1]);
	free(t->v);
	free(t);
}

const struct vrp *
vrp_table_vrps(const struct vrp_table *t, size_t *n)
{
	*n = t->nv;
	return t->v;
}

size_t
vrp_table_count(const struct vrp_table *t, int v6)
{
	return t->f[v6 != 0].nv;
}

size_t
vrp_table_bytes(const struct vrp_table *t)
{
	return t->bytes;
}

/* --- validation ------------------------------------------------------------- */

const char *
rov_state_name(enum rov_state s)
{
	static const char *const names[ROV_STATES] = {
		"not-found", "valid", "invalid-origin", "invalid-length",
	};

	return (unsigned)s < ROV_STATES ? names[s] : "?";
}

const char *
rov_state_rfc(enum rov_state s)
{
	return s == ROV_NOT_FOUND ? "not-found" : s == ROV_VALID ? "valid" :
	    "invalid";
}

/* The deepest node covering the address, or -1. */
static inline int32_t
deepest(const struct vfam *f, uint64_t hi, uint64_t lo)
{
	size_t l, r;

	if (f->nint == 0)
		return -1;
	l = f->bucket[hi >> 48];
	r = f->bucket[(hi >> 48) + 1];
	while (l < r) {
		size_t m = (l + r) / 2;

		if (f->ilo == NULL ? f->ihi[m] <= hi :
		    addr_le(f->ihi[m], f->ilo[m], hi, lo))
			l = m + 1;
		else
			r = m;
	}
	return l == 0 ? -1 : f->ideep[l - 1];
}

static inline enum rov_state
validate(const struct vrp_table *t, const struct trie_key *k,
    int64_t origin, vrp_fn fn, void *arg)
{
	const struct vfam *f = &t->f[k->v6 != 0];
	int32_t n = deepest(f, k->hi, k->lo);
	bool valid = false, length = false;

	while (n >= 0 && f->nodes[n].len > k->len)
		n = f->nodes[n].parent;
	if (n < 0)
		return ROV_NOT_FOUND;
	for (; n >= 0; n = f->nodes[n].parent) {
		const struct vnode *d = &f->nodes[n];

		for (uint32_t i = 0; i < d->n; i++) {
			const struct vrp *v = &f->v[d->first + i];

			if (fn != NULL)
				fn(v, arg);
			if (origin != (int64_t)v->asn || v->asn == 0)
				continue;
			if (k->len <= v->maxlen) {
				if (fn == NULL)
					return ROV_VALID;
				valid = true;
			} else
				length = true;
		}
	}
	return valid ? ROV_VALID : length ? ROV_INVALID_LENGTH :
	    ROV_INVALID_ORIGIN;
}

enum rov_state
rov_validate(const struct vrp_table *t, const struct trie_key *k,
    int64_t origin)
{
	return validate(t, k, origin, NULL, NULL);
}

enum rov_state
rov_validate_why(const struct vrp_table *t, const struct trie_key *k,
    int64_t origin, vrp_fn fn, void *arg)
{
	return validate(t, k, origin, fn, arg);
}

/* --- changes ---------------------------------------------------------------- */

size_t
vrp_table_diff(const struct vrp_table *a, const struct vrp_table *b,
    vrp_diff_fn fn, void *arg)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->nv || j < b->nv) {
		int c = i == a->nv ? 1 : j == b->nv ? -1 :
		    vrp_cmp(&a->v[i], &b->v[j]);

		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (c < 0)
			fn(&a->v[i++], false, arg);
		else
			fn(&b->v[j++], true, arg);
		n++;
	}
	return n;
}

size_t
vrp_keys_outermost(struct trie_key *k, size_t n)
{
	size_t i, w;

	if (n == 0)
		return 0;
	qsort(k, n, sizeof(*k), trie_key_cmp);
	for (i = 1, w = 1; i < n; i++)
		if (!trie_key_covers(&k[w - 1], &k[i]))
			k[w++] = k[i];
	return w;
}
