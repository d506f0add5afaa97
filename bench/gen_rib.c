/*
 * gen-rib: a full-scale TABLE_DUMP_V2 RIB dump built from real ones, so
 * that the RIB's memory and speed can be measured at Internet scale with
 * realistic sharing of attributes (bench/README.md has the method).
 *
 *   gen-rib [--peers N] [--v4 N] [--v6 N] OUT TEMPLATE.mrt...
 *
 * Every prefix of the templates, with the routes each real peer has for
 * it, is a template. Synthetic prefix i copies template i mod T into its
 * own address range (replica r = i / T); synthetic peer p is real peer
 * p mod J, replica q = p / J. A route keeps its real AS path, next hop
 * and communities, except that the origin AS is renumbered per prefix
 * replica and the first AS per peer replica: sets are then shared within
 * a replica exactly as they were in the real table, and never across
 * replicas. IPv6 prefixes reuse the IPv4 templates in 2001::/16.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/bwriter.h"
#include "util/zsink.h"
#include "util/zstream.h"
#include "wire/mrt.h"

struct tentry {
	uint16_t	 peer;		/* real peer, index into peers[] */
	uint32_t	 originated;
	uint8_t		*attrs;		/* RIB entry attributes (wire) */
	uint16_t	 attrs_len;
};

struct tprefix {
	struct bgp_prefix	 p;
	struct tentry		*e;
	uint16_t		 n;
};

static struct tprefix	*tpl;
static size_t		 ntpl, cap_tpl;
static struct mrt_peer	 peers[4096];
static uint32_t		 npeers;
static uint32_t		 dump_ts;

/* Peers are merged across template files by address and AS. */
static uint16_t
peer_id(const struct mrt_peer *p)
{
	for (uint32_t i = 0; i < npeers; i++)
		if (peers[i].asn == p->asn && peers[i].afi == p->afi &&
		    memcmp(peers[i].ip, p->ip, 16) == 0)
			return (uint16_t)i;
	if (npeers == 4096) {
		fprintf(stderr, "gen-rib: more than 4096 template peers\n");
		exit(2);
	}
	peers[npeers] = *p;
	return (uint16_t)npeers++;
}

static int
collect(const struct mrt_elem *e, void *arg)
{
	struct tprefix *t;
	struct tentry *te;
	struct bwriter w;

	(void)arg;
	if (e->type != MRT_ELEM_RIB || e->prefix.afi != BGP_AFI_IPV4 ||
	    e->action == BGP_ACT_SESSION_RESET)
		return 0;
	dump_ts = e->ts;
	t = ntpl > 0 ? &tpl[ntpl - 1] : NULL;
	if (t == NULL || t->p.len != e->prefix.len ||
	    memcmp(t->p.addr, e->prefix.addr, 4) != 0) {
		if (ntpl == cap_tpl) {
			cap_tpl = cap_tpl ? cap_tpl * 2 : 4096;
			tpl = realloc(tpl, cap_tpl * sizeof(*tpl));
			if (tpl == NULL)
				exit(2);
		}
		t = &tpl[ntpl++];
		memset(t, 0, sizeof(*t));
		t->p = e->prefix;
		t->p.has_path_id = 0;
		t->p.path_id = 0;
	}
	t->e = realloc(t->e, (t->n + 1u) * sizeof(*t->e));
	if (t->e == NULL)
		exit(2);
	te = &t->e[t->n++];
	te->peer = peer_id(e->peer);
	te->originated = e->originated;
	/* kept as the RIB entry carries them: 4-octet ASNs, short MP_REACH */
	bw_init(&w);
	mrt_rib_attrs_encode(e->attrs, &w);
	te->attrs = w.buf;
	te->attrs_len = (uint16_t)w.len;
	return 0;
}

static ssize_t
zs_read(void *arg, void *buf, size_t n)
{
	return zstream_read(arg, buf, n);
}

static void
load_template(const char *path)
{
	char err[512];
	struct zstream *z = zstream_open(path, err, sizeof(err));
	struct mrt_reader *r;

	if (z == NULL) {
		fprintf(stderr, "gen-rib: %s\n", err);
		exit(2);
	}
	r = mrt_reader_new(zs_read, z);
	/* a truncated template (the RouteViews excerpt) is used up to the
	 * cut */
	mrt_reader_run(r, collect, NULL);
	mrt_reader_free(r);
	zstream_close(z);
}

/* ASNs that no template uses: 4-octet private space. */
static uint32_t
renumber(uint32_t asn, uint32_t replica, uint32_t salt)
{
	if (replica == 0)
		return asn;
	return 4200000000u + ((asn * 2654435761u + replica * 40503u + salt) %
	    94967295u);
}

struct out {
	struct bwriter	 w;
	struct zsink	*z;
	uint64_t	 routes;
	uint32_t	 seq;
	struct arena	 a;
};

static void
flush(struct out *o, bool force)
{
	if (!force && o->w.len < (1u << 20))
		return;
	if (!zsink_write(o->z, o->w.buf, o->w.len)) {
		fprintf(stderr, "gen-rib: write failed\n");
		exit(2);
	}
	bw_reset(&o->w);
}

/* One synthetic RIB record: template t, prefix replica r, for npeers_out
 * synthetic peers. */
/* IPv4 prefixes made so far (address and length), open addressing. */
static uint64_t	*seen;
static size_t	 seen_mask;

static bool
seen_add(const struct bgp_prefix *p)
{
	uint64_t k = ((uint64_t)p->addr[0] << 32 | (uint64_t)p->addr[1] << 24 |
	    (uint64_t)p->addr[2] << 16 | (uint64_t)p->addr[3] << 8 | p->len) + 1;
	size_t i = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 20) & seen_mask;

	for (;; i = (i + 1) & seen_mask) {
		if (seen[i] == k)
			return false;
		if (seen[i] == 0) {
			seen[i] = k;
			return true;
		}
	}
}

static bool
emit(struct out *o, const struct tprefix *t, uint32_t r, bool v6,
    uint32_t npeers_out)
{
	static const struct bgp_session s4 = { .as4 = true, .ext_msg = true,
	    .rib_afi = BGP_AFI_IPV4, .rib_safi = BGP_SAFI_UNICAST };
	struct mrt_rib_entry ent[1024];
	struct bgp_prefix p = t->p;
	struct bwriter aw;
	unsigned n = 0;

	if (v6) {
		/* 2001:RR + the IPv4 bits: /24 -> /48, as IPv6 tables have */
		memset(&p, 0, sizeof(p));
		p.afi = BGP_AFI_IPV6;
		p.addr[0] = 0x20;
		p.addr[1] = 0x01;
		p.addr[2] = (uint8_t)r;
		memcpy(p.addr + 3, t->p.addr, 4);
		p.len = (uint8_t)(t->p.len + 24);
	} else {
		/* the template's address in another /8 per replica; the rare
		 * prefix that lands on one made already is skipped */
		p.addr[0] = (uint8_t)(1 + (t->p.addr[0] * 7u + r * 13u) % 222u);
		if (!seen_add(&p))
			return false;
	}
	bw_init(&aw);
	arena_reset(&o->a);
	for (uint32_t sp = 0; sp < npeers_out && n < 1024; sp++) {
		uint32_t real = sp % npeers, q = sp / npeers;
		const struct tentry *te = NULL;
		struct bgp_attrs a;
		struct bgp_problems pr = { 0 };
		struct bgp_asseg *segs;
		uint8_t nh6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
		size_t start = aw.len;

		for (unsigned k = 0; k < t->n; k++)
			if (t->e[k].peer == real)
				te = &t->e[k];
		if (te == NULL)
			continue;
		if (bgp_attrs_decode(te->attrs, te->attrs_len, &s4, &o->a, 0,
		    &a, &pr) == BGP_ACT_SESSION_RESET)
			continue;
		/* the path with its first and last AS renumbered */
		segs = arena_alloc(&o->a, (a.path.nsegs + 1u) * sizeof(*segs));
		for (unsigned i = 0; i < a.path.nsegs; i++) {
			uint32_t *asn = arena_alloc(&o->a,
			    a.path.segs[i].count * sizeof(uint32_t) + 4);

			segs[i] = a.path.segs[i];
			memcpy(asn, segs[i].asn, segs[i].count * sizeof(uint32_t));
			if (i == 0)
				asn[0] = renumber(asn[0], q, 1);
			if (i == a.path.nsegs - 1u)
				for (unsigned k = i == 0; k < segs[i].count; k++)
					if (k == segs[i].count - 1u ||
					    segs[i].type == BGP_AS_SET)
						asn[k] = renumber(asn[k], r, 2);
			segs[i].asn = asn;
		}
		a.as_path.segs = a.path.segs = segs;
		a.as_path.nsegs = a.path.nsegs;
		a.ent = NULL;		/* canonical encoding of what is set */
		a.present[0] &= ~((uint64_t)1 << BGP_ATTR_AS4_PATH);
		if (v6) {
			memcpy(nh6 + 12, &sp, 4);
			a.present[0] &= ~((uint64_t)1 << BGP_ATTR_NEXT_HOP);
			bgp_attrs_set(&a, BGP_ATTR_MP_REACH_NLRI);
			memset(&a.mp_reach, 0, sizeof(a.mp_reach));
			a.mp_reach.afi = BGP_AFI_IPV6;
			a.mp_reach.safi = BGP_SAFI_UNICAST;
			a.mp_reach.nh = nh6;
			a.mp_reach.nh_len = 16;
			a.mp_reach.fam = -1;
		}
		mrt_rib_attrs_encode(&a, &aw);
		ent[n].peer_index = (uint16_t)sp;
		ent[n].originated = te->originated;
		ent[n].path_id = 0;
		ent[n].attrs_len = (uint16_t)(aw.len - start);
		ent[n].attrs = (const uint8_t *)(uintptr_t)start;	/* fixed below */
		n++;
	}
	for (unsigned i = 0; i < n; i++)
		ent[i].attrs = aw.buf + (uintptr_t)ent[i].attrs;
	if (n > 0) {
		mrt_write_rib(&o->w, dump_ts, o->seq++, &p, BGP_SAFI_UNICAST,
		    false, ent, (uint16_t)n);
		o->routes += n;
	}
	bw_free(&aw);
	flush(o, false);
	return n > 0;
}

int
main(int argc, char **argv)
{
	unsigned long npeers_out = 48, nv4 = 1000000, nv6 = 230000;
	const char *outpath = NULL;
	struct mrt_peer *op;
	char err[512];
	struct out o;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
		if (i + 1 >= argc)
			break;
		if (strcmp(argv[i], "--peers") == 0)
			npeers_out = strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--v4") == 0)
			nv4 = strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--v6") == 0)
			nv6 = strtoul(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (argc - i < 2 || npeers_out == 0 || npeers_out > 1024) {
		fprintf(stderr, "usage: gen-rib [--peers N (1-1024)] [--v4 N] "
		    "[--v6 N] OUT TEMPLATE.mrt...\n");
		return 2;
	}
	outpath = argv[i++];
	for (; i < argc; i++)
		load_template(argv[i]);
	if (ntpl == 0 || npeers == 0) {
		fprintf(stderr, "gen-rib: no IPv4 RIB entries in the templates\n");
		return 2;
	}
	if (nv6 / ntpl > 250) {
		fprintf(stderr, "gen-rib: %zu template prefixes are too few for "
		    "%lu IPv4 / %lu IPv6 prefixes\n", ntpl, nv4, nv6);
		return 2;
	}
	memset(&o, 0, sizeof(o));
	bw_init(&o.w);
	arena_init(&o.a, 0);
	o.z = zsink_open(outpath, zsink_format_for(outpath), err, sizeof(err));
	if (o.z == NULL) {
		fprintf(stderr, "gen-rib: %s\n", err);
		return 2;
	}
	op = calloc(npeers_out, sizeof(*op));
	for (unsigned long p = 0; p < npeers_out; p++) {
		op[p] = peers[p % npeers];
		if (p >= npeers) {
			/* a replica of a real peer: its own address and AS */
			op[p].afi = BGP_AFI_IPV4;
			memset(op[p].ip, 0, 16);
			op[p].ip[0] = 10;
			op[p].ip[1] = (uint8_t)(p >> 16);
			op[p].ip[2] = (uint8_t)(p >> 8);
			op[p].ip[3] = (uint8_t)p;
			op[p].asn = renumber(op[p].asn, (uint32_t)(p / npeers), 1);
		}
	}
	mrt_write_peer_index(&o.w, dump_ts, 0x0a000001, "gen-rib", op,
	    (uint16_t)npeers_out);
	for (seen_mask = 1; seen_mask < nv4 * 2; seen_mask <<= 1)
		;
	seen = calloc(seen_mask, sizeof(*seen));
	seen_mask--;
	for (unsigned long k = 0, made = 0; made < nv4; k++) {
		if (k / ntpl > 250) {
			fprintf(stderr, "gen-rib: the templates give only %lu "
			    "distinct IPv4 prefixes\n", made);
			return 2;
		}
		made += emit(&o, &tpl[k % ntpl], (uint32_t)(k / ntpl), false,
		    (uint32_t)npeers_out);
	}
	for (unsigned long k = 0; k < nv6; k++)
		emit(&o, &tpl[k % ntpl], (uint32_t)(k / ntpl), true,
		    (uint32_t)npeers_out);
	flush(&o, true);
	if (!zsink_close(o.z, err, sizeof(err))) {
		fprintf(stderr, "gen-rib: %s\n", err);
		return 2;
	}
	printf("gen-rib: %s: %lu peers, %lu IPv4 + %lu IPv6 prefixes, %llu "
	    "routes, from %zu template prefixes of %u real peers\n", outpath,
	    npeers_out, nv4, nv6, (unsigned long long)o.routes, ntpl, npeers);
	arena_free(&o.a);
	bw_free(&o.w);
	free(seen);
	free(op);
	return 0;
}
