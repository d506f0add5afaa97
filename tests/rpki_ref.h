/* What the RPKI differential test and benchmark share: RTRlib's
 * pfx_table as the independent ROV, and the routes (prefix, origin) of
 * MRT RIB dumps. */
#ifndef BGPS_TESTS_RPKI_REF_H
#define BGPS_TESTS_RPKI_REF_H

#include <rtrlib/rtrlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed/feed.h"
#include "rib/rib.h"
#include "rpki/rpki_rib.h"
#include "rpki/vrp.h"
#include "util/xorshift.h"
#include "util/zstream.h"
#include "wire/mrt.h"

/* RFC 6811 read the plain way: every VRP looked at. covering (if not
 * NULL) counts those that cover the prefix. */
static inline enum rov_state
ref_naive_rov(const struct vrp *v, size_t n, const struct trie_key *k,
    int64_t origin, unsigned *covering)
{
	bool covered = false, valid = false, length = false;
	unsigned c = 0;

	for (size_t i = 0; i < n; i++) {
		struct trie_key vk;

		vrp_key(&v[i], &vk);
		if (!trie_key_covers(&vk, k))
			continue;
		covered = true;
		c++;
		if (v[i].asn == 0 || origin != (int64_t)v[i].asn)
			continue;
		if (k->len <= v[i].maxlen)
			valid = true;
		else
			length = true;
	}
	if (covering != NULL)
		*covering = c;
	return !covered ? ROV_NOT_FOUND : valid ? ROV_VALID : length ?
	    ROV_INVALID_LENGTH : ROV_INVALID_ORIGIN;
}

/* VRPs that make routes valid: one route in `every`, a VRP for its own
 * prefix and origin (rib_more_specifics' callback). */
struct ref_pick {
	struct vrp		*v;
	size_t			 n, cap;
	const struct attrstore	*s;
	unsigned		 every;
	uint32_t		 src;
	uint64_t		 rng;
};

static inline int
ref_pick_route(const struct trie_key *k, const struct rib_entry *e,
    void *arg)
{
	struct ref_pick *p = arg;
	int64_t origin;

	if (xorshift64(&p->rng) % p->every != 0 || p->n == p->cap)
		return 0;
	origin = rpki_route_origin(p->s, e->attr, e->vp->asn);
	if (origin <= 0)
		return 0;
	memset(&p->v[p->n], 0, sizeof(p->v[0]));
	vrp_set_key(&p->v[p->n], k);
	p->v[p->n].maxlen = k->len;
	p->v[p->n].asn = (uint32_t)origin;
	p->v[p->n++].src = p->src;
	return 0;
}

/* A trie key's address as RTRlib holds it: 32-bit words, host order. */
static inline void
ref_addr(const struct trie_key *k, struct lrtr_ip_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!k->v6) {
		a->ver = LRTR_IPV4;
		a->u.addr4.addr = (uint32_t)(k->hi >> 32);
		return;
	}
	a->ver = LRTR_IPV6;
	a->u.addr6.addr[0] = (uint32_t)(k->hi >> 32);
	a->u.addr6.addr[1] = (uint32_t)k->hi;
	a->u.addr6.addr[2] = (uint32_t)(k->lo >> 32);
	a->u.addr6.addr[3] = (uint32_t)k->lo;
}

static inline bool
ref_add(struct pfx_table *pt, const struct vrp *v)
{
	struct pfx_record r;
	struct trie_key k;
	int rc;

	memset(&r, 0, sizeof(r));
	vrp_key(v, &k);
	ref_addr(&k, &r.prefix);
	r.asn = v->asn;
	r.min_len = v->len;
	r.max_len = v->maxlen;
	rc = pfx_table_add(pt, &r);
	return rc == PFX_SUCCESS || rc == PFX_DUPLICATE_RECORD;
}

/* RTRlib's verdict in our terms: the reason from the records it names
 * (one with the origin AS: the length is wrong). */
static inline enum rov_state
ref_validate(struct pfx_table *pt, const struct trie_key *k, uint32_t origin,
    struct pfx_record **reason, unsigned *nreason)
{
	struct lrtr_ip_addr a;
	enum pfxv_state st;

	ref_addr(k, &a);
	if (pfx_table_validate_r(pt, reason, nreason, origin, &a, k->len,
	    &st) != PFX_SUCCESS)
		return ROV_STATES;
	if (st == BGP_PFXV_STATE_VALID)
		return ROV_VALID;
	if (st == BGP_PFXV_STATE_NOT_FOUND)
		return ROV_NOT_FOUND;
	for (unsigned i = 0; i < *nreason; i++)
		if ((*reason)[i].asn == origin)
			return ROV_INVALID_LENGTH;
	return ROV_INVALID_ORIGIN;
}

struct ref_route {
	struct trie_key	k;
	uint32_t	origin;		/* 0: none (an AS_SET, or no path) */
};

struct ref_routes {
	struct ref_route *r;
	size_t		  n, cap;
};

static inline int
ref_route_elem(const struct mrt_elem *e, void *arg)
{
	struct ref_routes *rr = arg;
	struct ref_route *x;

	if (e->type != MRT_ELEM_RIB || e->attrs == NULL)
		return 0;
	if (rr->n == rr->cap) {
		rr->cap = rr->cap == 0 ? 65536 : rr->cap * 2;
		if ((x = realloc(rr->r, rr->cap * sizeof(*x))) == NULL)
			return 1;
		rr->r = x;
	}
	x = &rr->r[rr->n];
	if (!trie_key_from_prefix(&e->prefix, &x->k))
		return 0;
	x->origin = bgp_aspath_origin(&e->attrs->path);
	rr->n++;
	return 0;
}

static inline ssize_t
ref_zread(void *arg, void *buf, size_t n)
{
	return zstream_read(arg, buf, n);
}

/* Appends the routes of a RIB dump; false if it cannot be read (a
 * truncated dump gives what it holds). */
static inline bool
ref_routes_read(const char *path, struct ref_routes *rr)
{
	char err[256];
	struct zstream *z = zstream_open(path, err, sizeof(err));
	struct mrt_reader *rd;

	if (z == NULL) {
		fprintf(stderr, "%s\n", err);
		return false;
	}
	rd = mrt_reader_new(ref_zread, z);
	mrt_reader_run(rd, ref_route_elem, rr);
	mrt_reader_free(rd);
	zstream_close(z);
	return true;
}

/* A RIB of the files' routes, loaded through the MRT source. */
static inline struct rib *
ref_rib_load(const char **files, size_t n)
{
	struct feed_mrt_config c = { .name = "ref" };
	struct feed_source *src;
	struct feed_apply fa;
	struct rib *r = rib_new();

	if (r == NULL)
		return NULL;
	c.files = files;
	c.nfiles = n;
	feed_apply_init(&fa, r);
	src = feed_mrt_new(r, &c, feed_apply_sink, &fa);
	if (src == NULL || src->ops->start(src) != 0) {
		rib_free(r);
		return NULL;
	}
	while (src->ops->poll(src, 0) != UINT64_MAX)
		;
	feed_apply_done(&fa);
	src->ops->free(src);
	return r;
}

#endif
