#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <pthread.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/arena.h"
#include "util/bwriter.h"
#include "util/hex.h"
#include "util/json_out.h"
#include "util/strbuf.h"
#include "wire/rislive.h"

static const char *const type_names[RISLIVE_TYPES] = {
	[RISLIVE_OTHER] = "OTHER",
	[RISLIVE_UPDATE] = "UPDATE",
	[RISLIVE_OPEN] = "OPEN",
	[RISLIVE_NOTIFICATION] = "NOTIFICATION",
	[RISLIVE_KEEPALIVE] = "KEEPALIVE",
	[RISLIVE_PEER_STATE] = "RIS_PEER_STATE",
};

const char *
rislive_type_name(enum rislive_type t)
{
	return (unsigned)t < RISLIVE_TYPES ? type_names[t] : "OTHER";
}

static enum rislive_type
type_named(const char *s)
{
	for (int t = RISLIVE_UPDATE; t < RISLIVE_TYPES; t++)
		if (strcmp(s, type_names[t]) == 0)
			return (enum rislive_type)t;
	return RISLIVE_OTHER;
}

static bool __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* An integer in [0, max] (a number, or a string of digits as RIS writes
 * peer_asn). */
static bool
json_uint(const cJSON *v, uint64_t max, uint64_t *out)
{
	char *end;

	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (!(d >= 0 && d <= (double)max) || d != floor(d))
			return false;
		*out = (uint64_t)d;
		return true;
	}
	if (cJSON_IsString(v) && v->valuestring[0] >= '0' &&
	    v->valuestring[0] <= '9') {
		unsigned long long x = strtoull(v->valuestring, &end, 10);

		if (*end != '\0' || x > max)
			return false;
		*out = x;
		return true;
	}
	return false;
}

static bool
parse_addr(const char *s, uint8_t *afi, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		*afi = BGP_AFI_IPV4;
		return true;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*afi = BGP_AFI_IPV6;
		return true;
	}
	return false;
}

/* --- decoding: JSON to BGP UPDATEs ------------------------------------------ */

/* cJSON allocates from the message's arena while a message is decoded
 * (set per thread: the stream server's thread parses requests with
 * malloc meanwhile), so that the tree costs no malloc and free per node. */
static _Thread_local struct arena *json_arena;
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static void *
json_malloc(size_t n)
{
	return json_arena != NULL ? arena_alloc(json_arena, n) : malloc(n);
}

static void
json_free(void *p)
{
	if (json_arena == NULL)
		free(p);
}

static void
hooks_init(void)
{
	cJSON_Hooks h = { json_malloc, json_free };

	cJSON_InitHooks(&h);
}

void
rislive_init(void)
{
	pthread_once(&hooks_once, hooks_init);
}

/* The members of a ris_message's data, read in one pass (the first of a
 * name, as cJSON's lookup would). */
struct fields {
	const cJSON	*type, *host, *peer, *peer_asn, *timestamp, *raw;
	const cJSON	*state, *notification, *origin, *path, *med;
	const cJSON	*aggregator, *community, *large_community;
	const cJSON	*announcements, *withdrawals;
};

#define FIELD(name)	{ #name, offsetof(struct fields, name) }

static const struct {
	const char	*name;
	size_t		 off;
} field_names[] = {
	FIELD(type), FIELD(host), FIELD(peer), FIELD(peer_asn),
	FIELD(timestamp), FIELD(raw), FIELD(state), FIELD(notification),
	FIELD(origin), FIELD(path), FIELD(med), FIELD(aggregator),
	FIELD(community), FIELD(large_community), FIELD(announcements),
	FIELD(withdrawals),
};

static void
fields_of(const cJSON *d, struct fields *f)
{
	const cJSON *v;

	memset(f, 0, sizeof(*f));
	cJSON_ArrayForEach(v, d) {
		const char *k = v->string;

		for (size_t i = 0; i < sizeof(field_names) /
		    sizeof(field_names[0]); i++) {
			const cJSON **slot = (const cJSON **)(void *)((char *)f +
			    field_names[i].off);

			/* the first of a name, as cJSON's own lookup */
			if (field_names[i].name[0] == k[0] &&
			    strcmp(field_names[i].name, k) == 0) {
				if (*slot == NULL)
					*slot = v;
				break;
			}
		}
	}
}

/* What an UPDATE's JSON says, before it is written as BGP. */
struct upd {
	struct bwriter		 attrs;		/* without next hop, MP_* */
	const cJSON		*ann;		/* announcements */
	const cJSON		*wd;		/* withdrawals */
	bool			 has_ann;
};

static void
put_attr_hdr(struct bwriter *w, uint8_t flags, uint8_t type, size_t len)
{
	if (len > 255) {
		bw_put_u8(w, flags | BGP_ATTR_F_EXTLEN);
		bw_put_u8(w, type);
		bw_put_u16(w, (uint16_t)len);
	} else {
		bw_put_u8(w, flags);
		bw_put_u8(w, type);
		bw_put_u8(w, (uint8_t)len);
	}
}

/* path: [1, 2, [3, 4]]: ASNs in a row are an AS_SEQUENCE, an array an
 * AS_SET. Written as 4-octet AS_PATH. */
static bool
put_path(struct bwriter *w, const cJSON *path, char *err, size_t errlen)
{
	uint32_t asns[RISLIVE_PATH_MAX];
	struct { uint8_t type; uint16_t first, n; } seg[RISLIVE_PATH_MAX];
	unsigned nasn = 0, nseg = 0;
	size_t len = 0;
	const cJSON *e, *m;
	uint64_t v;

	if (!cJSON_IsArray(path))
		return fail(err, errlen, "path: an array is expected");
	cJSON_ArrayForEach(e, path) {
		if (cJSON_IsArray(e)) {
			if (cJSON_GetArraySize(e) == 0)
				return fail(err, errlen, "path: an empty AS "
				    "set");
			seg[nseg].type = BGP_AS_SET;
			seg[nseg].first = (uint16_t)nasn;
			seg[nseg].n = 0;
			cJSON_ArrayForEach(m, e) {
				if (nasn == RISLIVE_PATH_MAX ||
				    seg[nseg].n == 255)
					return fail(err, errlen, "path: too "
					    "long");
				if (!json_uint(m, UINT32_MAX, &v))
					return fail(err, errlen, "path: an AS "
					    "set holds a non-ASN");
				asns[nasn++] = (uint32_t)v;
				seg[nseg].n++;
			}
			nseg++;
			continue;
		}
		if (!json_uint(e, UINT32_MAX, &v))
			return fail(err, errlen, "path: an ASN or an AS set "
			    "is expected");
		if (nasn == RISLIVE_PATH_MAX)
			return fail(err, errlen, "path: too long");
		/* a segment holds 255 ASNs at most */
		if (nseg == 0 || seg[nseg - 1].type != BGP_AS_SEQUENCE ||
		    seg[nseg - 1].n == 255) {
			seg[nseg].type = BGP_AS_SEQUENCE;
			seg[nseg].first = (uint16_t)nasn;
			seg[nseg].n = 0;
			nseg++;
		}
		asns[nasn++] = (uint32_t)v;
		seg[nseg - 1].n++;
	}
	for (unsigned i = 0; i < nseg; i++)
		len += 2 + 4u * seg[i].n;
	put_attr_hdr(w, BGP_ATTR_F_TRANSITIVE, BGP_ATTR_AS_PATH, len);
	for (unsigned i = 0; i < nseg; i++) {
		bw_put_u8(w, seg[i].type);
		bw_put_u8(w, (uint8_t)seg[i].n);
		for (unsigned k = 0; k < seg[i].n; k++)
			bw_put_u32(w, asns[seg[i].first + k]);
	}
	return true;
}

/* community: [[65000, 1], ...]; large_community: [[1, 2, 3], ...]. */
static bool
put_communities(struct bwriter *w, const cJSON *list, unsigned width,
    char *err, size_t errlen)
{
	const char *what = width == 2 ? "community" : "large_community";
	uint64_t max = width == 2 ? 0xffff : UINT32_MAX, v;
	int n = cJSON_GetArraySize(list);
	const cJSON *c, *x;

	if (!cJSON_IsArray(list))
		return fail(err, errlen, "%s: an array is expected", what);
	if (n == 0)
		return true;
	if (n > RISLIVE_COMMUNITIES_MAX)
		return fail(err, errlen, "%s: more than %u", what,
		    RISLIVE_COMMUNITIES_MAX);
	put_attr_hdr(w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE,
	    width == 2 ? BGP_ATTR_COMMUNITIES : BGP_ATTR_LARGE_COMMUNITY,
	    (size_t)n * (width == 2 ? 4 : 12));
	cJSON_ArrayForEach(c, list) {
		if (!cJSON_IsArray(c) || cJSON_GetArraySize(c) != (int)width)
			return fail(err, errlen, "%s: each is an array of "
			    "%u numbers", what, width);
		cJSON_ArrayForEach(x, c) {
			if (!json_uint(x, max, &v))
				return fail(err, errlen, "%s: a value out of "
				    "range", what);
			if (width == 2)
				bw_put_u16(w, (uint16_t)v);
			else
				bw_put_u32(w, (uint32_t)v);
		}
	}
	return true;
}

/* The attributes every BGP message of the UPDATE shares. */
static bool
put_attrs(struct bwriter *w, const struct fields *f, char *err, size_t errlen)
{
	const cJSON *v;
	uint64_t x;

	if ((v = f->origin) != NULL) {
		uint8_t o;

		if (!cJSON_IsString(v))
			return fail(err, errlen, "origin: a string is "
			    "expected");
		if (strcasecmp(v->valuestring, "igp") == 0)
			o = BGP_ORIGIN_IGP;
		else if (strcasecmp(v->valuestring, "egp") == 0)
			o = BGP_ORIGIN_EGP;
		else if (strcasecmp(v->valuestring, "incomplete") == 0)
			o = BGP_ORIGIN_INCOMPLETE;
		else
			return fail(err, errlen, "origin: \"%.32s\" is not "
			    "IGP, EGP or INCOMPLETE", v->valuestring);
		put_attr_hdr(w, BGP_ATTR_F_TRANSITIVE, BGP_ATTR_ORIGIN, 1);
		bw_put_u8(w, o);
	}
	if ((v = f->path) != NULL && !put_path(w, v, err, errlen))
		return false;
	if ((v = f->med) != NULL) {
		if (!json_uint(v, UINT32_MAX, &x))
			return fail(err, errlen, "med: a 32-bit number is "
			    "expected");
		put_attr_hdr(w, BGP_ATTR_F_OPTIONAL, BGP_ATTR_MED, 4);
		bw_put_u32(w, (uint32_t)x);
	}
	if ((v = f->aggregator) != NULL) {
		/* "ASN:ADDRESS" */
		char *colon, *end;
		uint8_t afi, addr[16];
		unsigned long long asn;

		if (!cJSON_IsString(v) || (colon = strchr(v->valuestring,
		    ':')) == NULL)
			return fail(err, errlen, "aggregator: \"ASN:ADDRESS\" "
			    "is expected");
		asn = strtoull(v->valuestring, &end, 10);
		if (end != colon || asn > UINT32_MAX ||
		    !parse_addr(colon + 1, &afi, addr) || afi != BGP_AFI_IPV4)
			return fail(err, errlen, "aggregator: \"%.64s\" is not "
			    "ASN:IPv4", v->valuestring);
		put_attr_hdr(w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE,
		    BGP_ATTR_AGGREGATOR, 8);
		bw_put_u32(w, (uint32_t)asn);
		bw_put_bytes(w, addr, 4);
	}
	if ((v = f->community) != NULL &&
	    !put_communities(w, v, 2, err, errlen))
		return false;
	if ((v = f->large_community) != NULL &&
	    !put_communities(w, v, 3, err, errlen))
		return false;
	/* room left for the next hop and prefixes in a 64 KiB message (the
	 * buffer is that large: full is too long) */
	if (!bw_ok(w) || w->len > BGP_MAX_EXT_MSG_LEN - 512)
		return fail(err, errlen, "attributes too long for one BGP "
		    "message");
	return true;
}

/* A BGP message being built: header, withdrawn routes, attributes,
 * NLRI. */
struct bmsg {
	struct bwriter	 w;
	size_t		 wd_len_at;	/* withdrawn routes length field */
	size_t		 attr_len_at;	/* total path attribute length */
	size_t		 mp_len_at;	/* the open MP_* attribute's length */
	size_t		 mp_start;	/* where its value begins */
};

static void
put_prefix(struct bwriter *w, const struct bgp_prefix *p)
{
	bw_put_u8(w, p->len);
	bw_put_bytes(w, p->addr, (p->len + 7u) / 8);
}

static size_t
prefix_size(const struct bgp_prefix *p)
{
	return 1 + (p->len + 7u) / 8;
}

/* The messages so far, in the arena. */
struct out {
	struct arena		*a;
	struct rislive_bgp	*msgs;
	unsigned		 n;
	unsigned		 cap;
};

static bool
out_add(struct out *o, const struct bwriter *w)
{
	uint8_t *copy;

	if (o->n == o->cap) {
		unsigned ncap = o->cap ? o->cap * 2 : 4;
		struct rislive_bgp *nm = arena_alloc(o->a, ncap *
		    sizeof(*nm));

		if (nm == NULL)
			return false;
		if (o->n > 0)
			memcpy(nm, o->msgs, o->n * sizeof(*nm));
		o->msgs = nm;
		o->cap = ncap;
	}
	if ((copy = arena_alloc(o->a, w->len)) == NULL)
		return false;
	memcpy(copy, w->buf, w->len);
	o->msgs[o->n].msg = copy;
	o->msgs[o->n].len = (uint16_t)w->len;
	o->n++;
	return true;
}

/* Starts a message: header and an empty withdrawn routes field. */
static void
bmsg_begin(struct bmsg *b)
{
	static const uint8_t marker[16] = { 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	bw_reset(&b->w);
	bw_put_bytes(&b->w, marker, 16);
	bw_put_u16(&b->w, 0);
	bw_put_u8(&b->w, BGP_MSG_UPDATE);
	b->wd_len_at = b->w.len;
	bw_put_u16(&b->w, 0);
}

/* An MP_REACH_NLRI or MP_UNREACH_NLRI attribute of afi (unicast) begins:
 * header with extended length, AFI, SAFI. */
static void
mp_open(struct bmsg *b, uint8_t type, uint16_t afi)
{
	bw_put_u8(&b->w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_EXTLEN);
	bw_put_u8(&b->w, type);
	b->mp_len_at = b->w.len;
	bw_put_u16(&b->w, 0);
	b->mp_start = b->w.len;
	bw_put_u16(&b->w, afi);
	bw_put_u8(&b->w, BGP_SAFI_UNICAST);
}

/* ... and ends: its length. */
static void
mp_close(struct bmsg *b)
{
	bw_patch_u16(&b->w, b->mp_len_at, (uint16_t)(b->w.len - b->mp_start));
}

/* The total path attribute length, once the attributes are written. */
static void
attrs_close(struct bmsg *b)
{
	bw_patch_u16(&b->w, b->attr_len_at, (uint16_t)(b->w.len -
	    b->attr_len_at - 2));
}

static bool
bmsg_end(struct bmsg *b, struct out *o)
{
	bw_patch_u16(&b->w, 16, (uint16_t)b->w.len);
	return bw_ok(&b->w) && out_add(o, &b->w);
}

/* Withdrawals: the IPv4 unicast ones in the withdrawn routes field, the
 * others in MP_UNREACH_NLRI, as many messages as they need. */
static bool
put_withdrawals(struct bmsg *b, struct out *o, const struct bgp_prefix *p,
    uint32_t n, uint8_t afi)
{
	uint32_t i = 0;

	while (i < n) {
		bmsg_begin(b);
		if (afi == BGP_AFI_IPV4) {
			size_t at = b->w.len;

			for (; i < n && b->w.len + prefix_size(&p[i]) + 2 <=
			    BGP_MAX_EXT_MSG_LEN; i++)
				put_prefix(&b->w, &p[i]);
			bw_patch_u16(&b->w, b->wd_len_at, (uint16_t)(b->w.len -
			    at));
			bw_put_u16(&b->w, 0);
		} else {
			b->attr_len_at = b->w.len;
			bw_put_u16(&b->w, 0);
			mp_open(b, BGP_ATTR_MP_UNREACH_NLRI, afi);
			for (; i < n && b->w.len + prefix_size(&p[i]) <=
			    BGP_MAX_EXT_MSG_LEN; i++)
				put_prefix(&b->w, &p[i]);
			mp_close(b);
			attrs_close(b);
		}
		if (!bmsg_end(b, o))
			return false;
	}
	return true;
}

/* Announcements of one family with one next hop (nh, nh_len octets). */
static bool
put_announcements(struct bmsg *b, struct out *o, const struct bwriter *attrs,
    const struct bgp_prefix *p, uint32_t n, uint8_t afi, const uint8_t *nh,
    uint8_t nh_len)
{
	uint32_t i = 0;

	while (i < n) {
		bmsg_begin(b);
		b->attr_len_at = b->w.len;
		bw_put_u16(&b->w, 0);
		if (afi == BGP_AFI_IPV4 && nh_len == 4) {
			bw_put_bytes(&b->w, attrs->buf, attrs->len);
			put_attr_hdr(&b->w, BGP_ATTR_F_TRANSITIVE,
			    BGP_ATTR_NEXT_HOP, 4);
			bw_put_bytes(&b->w, nh, 4);
			attrs_close(b);
			for (; i < n && b->w.len + prefix_size(&p[i]) <=
			    BGP_MAX_EXT_MSG_LEN; i++)
				put_prefix(&b->w, &p[i]);
		} else {
			/* MP_REACH_NLRI first (RFC 7606 5.1), the rest
			 * after it */
			mp_open(b, BGP_ATTR_MP_REACH_NLRI, afi);
			bw_put_u8(&b->w, nh_len);
			bw_put_bytes(&b->w, nh, nh_len);
			bw_put_u8(&b->w, 0);
			for (; i < n && b->w.len + prefix_size(&p[i]) +
			    attrs->len <= BGP_MAX_EXT_MSG_LEN; i++)
				put_prefix(&b->w, &p[i]);
			mp_close(b);
			bw_put_bytes(&b->w, attrs->buf, attrs->len);
			attrs_close(b);
		}
		if (!bmsg_end(b, o))
			return false;
	}
	return true;
}

/* A list of prefix strings, split by family. */
static bool
read_prefixes(const cJSON *list, struct arena *a, struct bgp_prefix **v4,
    uint32_t *n4, struct bgp_prefix **v6, uint32_t *n6, const char *what,
    char *err, size_t errlen)
{
	int n = cJSON_GetArraySize(list);
	const cJSON *e;

	*n4 = *n6 = 0;
	if (!cJSON_IsArray(list))
		return fail(err, errlen, "%s: an array is expected", what);
	if (n > RISLIVE_PREFIXES_MAX)
		return fail(err, errlen, "%s: more than %u prefixes", what,
		    RISLIVE_PREFIXES_MAX);
	*v4 = arena_alloc(a, (size_t)(n ? n : 1) * sizeof(**v4));
	*v6 = arena_alloc(a, (size_t)(n ? n : 1) * sizeof(**v6));
	if (*v4 == NULL || *v6 == NULL)
		return fail(err, errlen, "out of memory");
	cJSON_ArrayForEach(e, list) {
		struct bgp_prefix p;

		if (!cJSON_IsString(e) || !bgp_prefix_parse(e->valuestring,
		    &p))
			return fail(err, errlen, "%s: \"%.64s\" is not a "
			    "prefix", what, cJSON_IsString(e) ?
			    e->valuestring : "(not a string)");
		if (p.afi == BGP_AFI_IPV4)
			(*v4)[(*n4)++] = p;
		else
			(*v6)[(*n6)++] = p;
	}
	return true;
}

/* "next_hop": an address, or "GLOBAL,LINK-LOCAL" for IPv6. */
static bool
read_nexthop(const cJSON *v, uint8_t nh[32], uint8_t *nh_len, uint8_t *afi,
    char *err, size_t errlen)
{
	char buf[2 * 46 + 2], *comma;
	uint8_t a2;

	if (!cJSON_IsString(v) || strlen(v->valuestring) >= sizeof(buf))
		return fail(err, errlen, "next_hop: an address is expected");
	strcpy(buf, v->valuestring);
	if ((comma = strchr(buf, ',')) != NULL)
		*comma++ = '\0';
	if (!parse_addr(buf, afi, nh))
		return fail(err, errlen, "next_hop: \"%.64s\" is not an "
		    "address", v->valuestring);
	*nh_len = *afi == BGP_AFI_IPV4 ? 4 : 16;
	if (comma != NULL) {
		if (*afi != BGP_AFI_IPV6 || !parse_addr(comma, &a2, nh + 16) ||
		    a2 != BGP_AFI_IPV6)
			return fail(err, errlen, "next_hop: \"%.64s\" is not "
			    "an IPv6 address and a link-local one",
			    v->valuestring);
		*nh_len = 32;
	}
	return true;
}

/* The attributes and the message being written: per thread, reused
 * (a message is copied out of it when done). */
static _Thread_local uint8_t attrs_buf[BGP_MAX_EXT_MSG_LEN];
static _Thread_local uint8_t msg_buf[BGP_MAX_EXT_MSG_LEN];

static bool
decode_update(const struct fields *f, struct rislive_msg *m, struct arena *a,
    char *err, size_t errlen)
{
	const cJSON *wd = f->withdrawals, *ann = f->announcements, *g;
	struct out o = { .a = a };
	struct bgp_prefix *v4, *v6;
	uint32_t n4, n6;
	struct bwriter attrs;
	struct bmsg b;
	bool ok = false;

	bw_init_fixed(&attrs, attrs_buf, sizeof(attrs_buf));
	bw_init_fixed(&b.w, msg_buf, sizeof(msg_buf));
	if (wd != NULL) {
		if (!read_prefixes(wd, a, &v4, &n4, &v6, &n6, "withdrawals",
		    err, errlen))
			goto done;
		m->nwithdrawn = n4 + n6;
		if (!put_withdrawals(&b, &o, v4, n4, BGP_AFI_IPV4) ||
		    !put_withdrawals(&b, &o, v6, n6, BGP_AFI_IPV6)) {
			fail(err, errlen, "out of memory");
			goto done;
		}
	}
	if (ann != NULL) {
		if (!cJSON_IsArray(ann)) {
			fail(err, errlen, "announcements: an array is "
			    "expected");
			goto done;
		}
		if (ann->child != NULL && !put_attrs(&attrs, f, err, errlen))
			goto done;
		cJSON_ArrayForEach(g, ann) {
			const cJSON *nhv = NULL, *pl = NULL, *e;
			const cJSON *obj = cJSON_IsObject(g) ? g : NULL;
			uint8_t nh[32], nh_len = 0, nh_afi = 0;

			cJSON_ArrayForEach(e, obj) {
				if (nhv == NULL && strcmp(e->string,
				    "next_hop") == 0)
					nhv = e;
				else if (pl == NULL && strcmp(e->string,
				    "prefixes") == 0)
					pl = e;
			}

			if (!cJSON_IsObject(g) || pl == NULL) {
				fail(err, errlen, "announcements: each is "
				    "{\"next_hop\", \"prefixes\"}");
				goto done;
			}
			if (!read_nexthop(nhv, nh, &nh_len, &nh_afi, err,
			    errlen) || !read_prefixes(pl, a, &v4, &n4, &v6,
			    &n6, "announcements", err, errlen))
				goto done;
			/* RFC 4760: IPv6 routes have an IPv6 next hop (an
			 * IPv4 one is written ::ffff:A.B.C.D) */
			if (n6 > 0 && nh_afi == BGP_AFI_IPV4) {
				fail(err, errlen, "announcements: IPv6 prefixes "
				    "with the IPv4 next hop %.46s",
				    nhv->valuestring);
				goto done;
			}
			m->nannounced += n4 + n6;
			if (!put_announcements(&b, &o, &attrs, v4, n4,
			    BGP_AFI_IPV4, nh, nh_len) || !put_announcements(&b,
			    &o, &attrs, v6, n6, BGP_AFI_IPV6, nh, nh_len)) {
				fail(err, errlen, "out of memory");
				goto done;
			}
		}
	}
	m->updates = o.msgs;
	m->nupdates = o.n;
	ok = true;
done:
	return ok;
}

static bool
decode_ris_message(const cJSON *d, struct rislive_msg *m, struct arena *a,
    char *err, size_t errlen)
{
	struct fields f;
	const cJSON *v;
	uint64_t x;

	if (!cJSON_IsObject(d))
		return fail(err, errlen, "data: an object is expected");
	fields_of(d, &f);
	v = f.type;
	if (!cJSON_IsString(v))
		return fail(err, errlen, "data.type: a string is expected");
	m->type = (uint8_t)type_named(v->valuestring);
	if (m->type == RISLIVE_OTHER)
		snprintf(m->text, sizeof(m->text), "%s", v->valuestring);
	v = f.host;
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= sizeof(m->host))
		return fail(err, errlen, "data.host: a collector name is "
		    "expected");
	strcpy(m->host, v->valuestring);
	v = f.peer;
	if (!cJSON_IsString(v) || !parse_addr(v->valuestring, &m->peer_afi,
	    m->peer))
		return fail(err, errlen, "data.peer: an address is expected");
	v = f.peer_asn;
	if (!json_uint(v, UINT32_MAX, &x))
		return fail(err, errlen, "data.peer_asn: an ASN is expected");
	m->peer_asn = (uint32_t)x;
	v = f.timestamp;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 &&
	    v->valuedouble < 1e11))
		return fail(err, errlen, "data.timestamp: seconds since 1970 "
		    "are expected");
	m->time_us = (uint64_t)llround(v->valuedouble * 1e6);
	if ((v = f.raw) != NULL) {
		size_t bad, n;
		uint8_t *buf;
		long got;

		if (!cJSON_IsString(v))
			return fail(err, errlen, "data.raw: hex is expected");
		n = strlen(v->valuestring) / 2 + 1;
		if ((buf = arena_alloc(a, n)) == NULL)
			return fail(err, errlen, "out of memory");
		if ((got = hex_decode(v->valuestring, buf, n, &bad)) < 0)
			return fail(err, errlen, "data.raw: not hex (at %zu)",
			    bad);
		m->raw = buf;
		m->raw_len = (size_t)got;
	}
	switch (m->type) {
	case RISLIVE_UPDATE:
		return decode_update(&f, m, a, err, errlen);
	case RISLIVE_PEER_STATE:
		v = f.state;
		if (!cJSON_IsString(v))
			return fail(err, errlen, "data.state: a string is "
			    "expected");
		snprintf(m->text, sizeof(m->text), "%s", v->valuestring);
		m->up = strcmp(v->valuestring, "connected") == 0 ||
		    strcmp(v->valuestring, "up") == 0;
		return true;
	case RISLIVE_NOTIFICATION:
		v = f.notification;
		if (cJSON_IsObject(v)) {
			if (json_uint(cJSON_GetObjectItemCaseSensitive(v,
			    "code"), 255, &x))
				m->code = (uint8_t)x;
			if (json_uint(cJSON_GetObjectItemCaseSensitive(v,
			    "subcode"), 255, &x))
				m->subcode = (uint8_t)x;
		}
		return true;
	default:
		return true;
	}
}

bool
rislive_decode(const char *json, size_t len, struct arena *a,
    struct rislive_msg *m, char *err, size_t errlen)
{
	const char *end = NULL;
	cJSON *root;
	const cJSON *t, *d;
	bool ok = true;

	memset(m, 0, sizeof(*m));
	rislive_init();
	json_arena = a;
	root = cJSON_ParseWithLengthOpts(json, len, &end, false);
	if (root == NULL) {
		json_arena = NULL;
		return fail(err, errlen, "not JSON (at byte %zu)", end != NULL &&
		    end >= json ? (size_t)(end - json) : 0);
	}
	t = cJSON_GetObjectItemCaseSensitive(root, "type");
	d = cJSON_GetObjectItemCaseSensitive(root, "data");
	if (!cJSON_IsObject(root) || !cJSON_IsString(t)) {
		ok = fail(err, errlen, "not a RIS Live message (no \"type\")");
	} else if (strcmp(t->valuestring, "ris_message") == 0) {
		m->kind = RISLIVE_MSG_RIS_MESSAGE;
		ok = decode_ris_message(d, m, a, err, errlen);
	} else if (strcmp(t->valuestring, "ris_error") == 0) {
		const cJSON *msg = cJSON_GetObjectItemCaseSensitive(d,
		    "message");

		m->kind = RISLIVE_MSG_ERROR;
		snprintf(m->text, sizeof(m->text), "%s", cJSON_IsString(msg) ?
		    msg->valuestring : "(no message)");
	} else if (strcmp(t->valuestring, "ris_subscribe_ok") == 0) {
		m->kind = RISLIVE_MSG_SUBSCRIBE_OK;
	} else if (strcmp(t->valuestring, "pong") == 0) {
		m->kind = RISLIVE_MSG_PONG;
	} else {
		m->kind = RISLIVE_MSG_OTHER;
		snprintf(m->text, sizeof(m->text), "%s", t->valuestring);
	}
	cJSON_Delete(root);	/* nothing to free: the arena has it */
	json_arena = NULL;
	return ok;
}

/* --- the raw BGP message against the JSON ------------------------------------ */

struct facts {
	struct bgp_prefix	*ann;
	uint32_t		 nann;
	struct bgp_prefix	*wd;
	uint32_t		 nwd;
	bool			 has_attrs;
	struct bgp_attrs	 attrs;		/* of the first announcement */
};

static int
prefix_cmp(const void *x, const void *y)
{
	const struct bgp_prefix *a = x, *b = y;

	if (a->afi != b->afi)
		return a->afi < b->afi ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->addr, b->addr, 16);
}

static bool
facts_add(struct arena *a, struct bgp_prefix **v, uint32_t *n,
    const struct bgp_prefix *p, uint32_t k)
{
	struct bgp_prefix *nv;

	if (k == 0)
		return true;
	if ((nv = arena_alloc(a, (*n + k) * sizeof(*nv))) == NULL)
		return false;
	if (*n > 0)
		memcpy(nv, *v, *n * sizeof(*nv));
	memcpy(nv + *n, p, k * sizeof(*nv));
	for (uint32_t i = *n; i < *n + k; i++)
		nv[i].path_id = 0, nv[i].has_path_id = 0, nv[i].pad_ = 0;
	*v = nv;
	*n += k;
	return true;
}

static bool
facts_of(const uint8_t *buf, size_t len, bool as4, struct arena *a,
    struct facts *f)
{
	struct bgp_session s = { .as4 = as4, .ext_msg = true };
	struct bgp_msg msg;
	const struct bgp_update *u;

	if (bgp_msg_decode(buf, len, &s, a, &msg) == BGP_ACT_SESSION_RESET ||
	    msg.type != BGP_MSG_UPDATE)
		return false;
	u = &msg.u.update;
	if (!facts_add(a, &f->wd, &f->nwd, u->withdrawn, u->n_withdrawn) ||
	    !facts_add(a, &f->ann, &f->nann, u->nlri, u->n_nlri))
		return false;
	if (bgp_attrs_has(&u->attrs, BGP_ATTR_MP_UNREACH_NLRI) &&
	    u->attrs.mp_unreach.fam >= 0 && !facts_add(a, &f->wd, &f->nwd,
	    u->attrs.mp_unreach.withdrawn, u->attrs.mp_unreach.n_withdrawn))
		return false;
	if (bgp_attrs_has(&u->attrs, BGP_ATTR_MP_REACH_NLRI) &&
	    u->attrs.mp_reach.fam >= 0 && !facts_add(a, &f->ann, &f->nann,
	    u->attrs.mp_reach.nlri, u->attrs.mp_reach.n_nlri))
		return false;
	if (!f->has_attrs && (u->n_nlri > 0 || (bgp_attrs_has(&u->attrs,
	    BGP_ATTR_MP_REACH_NLRI) && u->attrs.mp_reach.n_nlri > 0))) {
		f->attrs = u->attrs;
		f->has_attrs = true;
	}
	return true;
}

static bool
paths_equal(const struct bgp_aspath *a, const struct bgp_aspath *b)
{
	if (a->nsegs != b->nsegs)
		return false;
	for (unsigned i = 0; i < a->nsegs; i++)
		if (a->segs[i].type != b->segs[i].type ||
		    a->segs[i].count != b->segs[i].count ||
		    memcmp(a->segs[i].asn, b->segs[i].asn,
		    a->segs[i].count * sizeof(uint32_t)) != 0)
			return false;
	return true;
}

static struct bgp_aggregator
aggregator_of(const struct bgp_attrs *a)
{
	if (bgp_attrs_has(a, BGP_ATTR_AS4_AGGREGATOR) &&
	    a->aggregator.asn == BGP_AS_TRANS)
		return a->as4_aggregator;
	return a->aggregator;
}

static bool
attrs_agree(const struct bgp_attrs *x, const struct bgp_attrs *y)
{
	static const uint8_t types[] = { BGP_ATTR_ORIGIN, BGP_ATTR_MED,
	    BGP_ATTR_AGGREGATOR, BGP_ATTR_COMMUNITIES,
	    BGP_ATTR_LARGE_COMMUNITY };
	struct bgp_aggregator ax, ay;

	for (size_t i = 0; i < sizeof(types); i++)
		if (bgp_attrs_has(x, types[i]) != bgp_attrs_has(y, types[i]))
			return false;
	if (!paths_equal(&x->path, &y->path))
		return false;
	if (bgp_attrs_has(x, BGP_ATTR_ORIGIN) && x->origin != y->origin)
		return false;
	if (bgp_attrs_has(x, BGP_ATTR_MED) && x->med != y->med)
		return false;
	ax = aggregator_of(x);
	ay = aggregator_of(y);
	if (bgp_attrs_has(x, BGP_ATTR_AGGREGATOR) && (ax.asn != ay.asn ||
	    memcmp(ax.addr, ay.addr, 4) != 0))
		return false;
	if (x->n_communities != y->n_communities || (x->n_communities > 0 &&
	    memcmp(x->communities, y->communities, 4u * x->n_communities)))
		return false;
	if (x->n_large_communities != y->n_large_communities ||
	    (x->n_large_communities > 0 && memcmp(x->large_communities,
	    y->large_communities, 12u * x->n_large_communities)))
		return false;
	return true;
}

static bool
prefixes_equal(struct bgp_prefix *a, uint32_t na, struct bgp_prefix *b,
    uint32_t nb)
{
	if (na != nb)
		return false;
	if (na == 0)
		return true;
	qsort(a, na, sizeof(*a), prefix_cmp);
	qsort(b, nb, sizeof(*b), prefix_cmp);
	for (uint32_t i = 0; i < na; i++)
		if (prefix_cmp(&a[i], &b[i]) != 0)
			return false;
	return true;
}

static bool
raw_agrees_as(const struct rislive_msg *m, struct arena *a, bool as4)
{
	struct facts ours = { 0 }, theirs = { 0 };

	for (unsigned i = 0; i < m->nupdates; i++)
		if (!facts_of(m->updates[i].msg, m->updates[i].len, true, a,
		    &ours))
			return false;
	if (!facts_of(m->raw, m->raw_len, as4, a, &theirs))
		return false;
	if (!prefixes_equal(ours.ann, ours.nann, theirs.ann, theirs.nann) ||
	    !prefixes_equal(ours.wd, ours.nwd, theirs.wd, theirs.nwd) ||
	    ours.has_attrs != theirs.has_attrs)
		return false;
	return !ours.has_attrs || attrs_agree(&ours.attrs, &theirs.attrs);
}

bool
rislive_raw_agrees(const struct rislive_msg *m, struct arena *a)
{
	if (m->raw == NULL || m->type != RISLIVE_UPDATE)
		return true;
	return raw_agrees_as(m, a, true) || raw_agrees_as(m, a, false);
}

/* --- subscriptions ------------------------------------------------------------ */

void
rislive_sub_init(struct rislive_sub *s)
{
	memset(s, 0, sizeof(*s));
	s->more_specific = true;
}

void
rislive_sub_free(struct rislive_sub *s)
{
	if (s == NULL)
		return;
	free(s->prefixes);
	free(s);
}

static bool
items_equal(const struct rislive_path_item *a, const struct rislive_path_item *b)
{
	if (a->nset != b->nset)
		return false;
	if (a->nset == 0)
		return a->asn == b->asn;
	/* sets: the same members, in any order */
	for (unsigned i = 0; i < a->nset; i++) {
		bool found = false;

		for (unsigned k = 0; k < b->nset && !found; k++)
			found = a->set[i] == b->set[k];
		if (!found)
			return false;
	}
	return true;
}

bool
rislive_sub_equal(const struct rislive_sub *a, const struct rislive_sub *b)
{
	if (strcmp(a->host, b->host) != 0 || a->type != b->type ||
	    a->require != b->require || a->has_peer != b->has_peer ||
	    a->has_path != b->has_path || a->nprefixes != b->nprefixes ||
	    a->more_specific != b->more_specific ||
	    a->less_specific != b->less_specific)
		return false;
	if (a->has_peer && (a->peer_afi != b->peer_afi ||
	    memcmp(a->peer, b->peer, 16) != 0))
		return false;
	if (a->has_path && (a->path_first != b->path_first ||
	    a->path_last != b->path_last || a->path_not != b->path_not ||
	    a->npath != b->npath))
		return false;
	for (unsigned i = 0; a->has_path && i < a->npath; i++)
		if (!items_equal(&a->path[i], &b->path[i]))
			return false;
	for (uint32_t i = 0; i < a->nprefixes; i++)
		if (prefix_cmp(&a->prefixes[i], &b->prefixes[i]) != 0)
			return false;
	return true;
}

static bool
read_asn(const char **p, uint32_t *out)
{
	char *end;
	unsigned long long v;

	while (**p == ' ')
		(*p)++;
	if (**p < '0' || **p > '9')
		return false;
	v = strtoull(*p, &end, 10);
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	*p = end;
	while (**p == ' ')
		(*p)++;
	return true;
}

bool
rislive_sub_path_parse(struct rislive_sub *s, const char *text, char *err,
    size_t errlen)
{
	const char *p = text;
	size_t n = strlen(text);

	s->has_path = true;
	s->npath = 0;
	s->path_not = s->path_first = s->path_last = false;
	if (*p == '!') {
		s->path_not = true;
		p++;
	}
	if (*p == '^') {
		s->path_first = true;
		p++;
	}
	if (n > 0 && text[n - 1] == '$')
		s->path_last = true;
	for (;;) {
		struct rislive_path_item *it;

		if (s->npath == RISLIVE_SUB_PATH_MAX)
			return fail(err, errlen, "path: more than %u items",
			    RISLIVE_SUB_PATH_MAX);
		it = &s->path[s->npath];
		memset(it, 0, sizeof(*it));
		if (*p == '[') {
			p++;
			do {
				if (it->nset == RISLIVE_SUB_SET_MAX ||
				    !read_asn(&p, &it->set[it->nset]))
					return fail(err, errlen, "path: \"%.64s\" "
					    "has a bad AS set", text);
				it->nset++;
			} while (*p == ',' && p++);
			if (*p++ != ']')
				return fail(err, errlen, "path: \"%.64s\" has "
				    "an unclosed AS set", text);
		} else if (!read_asn(&p, &it->asn)) {
			return fail(err, errlen, "path: \"%.64s\" is not a "
			    "list of ASNs", text);
		}
		s->npath++;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '$' && p[1] == '\0')
			return true;
		if (*p == '\0')
			return true;
		return fail(err, errlen, "path: \"%.64s\" is not a list of "
		    "ASNs", text);
	}
}

bool
rislive_sub_add_prefix(struct rislive_sub *s, const char *text, char *err,
    size_t errlen)
{
	struct bgp_prefix p, *np;

	if (!bgp_prefix_parse(text, &p))
		return fail(err, errlen, "prefix: \"%.64s\" is not a prefix",
		    text);
	if (s->nprefixes == RISLIVE_SUB_PREFIXES_MAX)
		return fail(err, errlen, "prefix: more than %u",
		    RISLIVE_SUB_PREFIXES_MAX);
	if ((np = realloc(s->prefixes, (s->nprefixes + 1) * sizeof(*np))) ==
	    NULL)
		return fail(err, errlen, "out of memory");
	s->prefixes = np;
	s->prefixes[s->nprefixes++] = p;
	return true;
}

static bool
read_bool(const cJSON *v, const char *key, bool *out, char *err,
    size_t errlen)
{
	if (!cJSON_IsBool(v))
		return fail(err, errlen, "%s: true or false is expected", key);
	*out = cJSON_IsTrue(v);
	return true;
}

static bool
read_sub(const cJSON *d, struct rislive_request *rq, char *err, size_t errlen)
{
	struct rislive_sub *s = rq->sub;
	const cJSON *v, *e;

	if (d == NULL)
		return true;	/* everything */
	if (!cJSON_IsObject(d))
		return fail(err, errlen, "data: an object is expected");
	cJSON_ArrayForEach(v, d) {
		const char *k = v->string;

		if (strcmp(k, "host") == 0) {
			if (cJSON_IsNull(v))
				continue;
			if (!cJSON_IsString(v) || strlen(v->valuestring) >=
			    sizeof(s->host))
				return fail(err, errlen, "host: a collector "
				    "name is expected");
			strcpy(s->host, v->valuestring);
		} else if (strcmp(k, "type") == 0) {
			if (cJSON_IsNull(v))
				continue;
			if (!cJSON_IsString(v) || (s->type = (uint8_t)
			    type_named(v->valuestring)) == RISLIVE_OTHER)
				return fail(err, errlen, "type: one of UPDATE, "
				    "OPEN, NOTIFICATION, KEEPALIVE, "
				    "RIS_PEER_STATE is expected");
		} else if (strcmp(k, "require") == 0) {
			if (cJSON_IsNull(v))
				continue;
			if (cJSON_IsString(v) && strcmp(v->valuestring,
			    "announcements") == 0)
				s->require = RISLIVE_REQUIRE_ANNOUNCEMENTS;
			else if (cJSON_IsString(v) && strcmp(v->valuestring,
			    "withdrawals") == 0)
				s->require = RISLIVE_REQUIRE_WITHDRAWALS;
			else
				return fail(err, errlen, "require: "
				    "\"announcements\" or \"withdrawals\" is "
				    "expected");
		} else if (strcmp(k, "peer") == 0) {
			if (cJSON_IsNull(v))
				continue;
			if (!cJSON_IsString(v) || !parse_addr(v->valuestring,
			    &s->peer_afi, s->peer))
				return fail(err, errlen, "peer: an address is "
				    "expected");
			s->has_peer = true;
		} else if (strcmp(k, "path") == 0) {
			char num[16];

			if (cJSON_IsNull(v))
				continue;
			if (cJSON_IsNumber(v)) {
				uint64_t x;

				if (!json_uint(v, UINT32_MAX, &x))
					return fail(err, errlen, "path: an ASN "
					    "or a pattern is expected");
				snprintf(num, sizeof(num), "%llu",
				    (unsigned long long)x);
				if (!rislive_sub_path_parse(s, num, err,
				    errlen))
					return false;
			} else if (!cJSON_IsString(v) ||
			    !rislive_sub_path_parse(s, v->valuestring, err,
			    errlen)) {
				if (!cJSON_IsString(v))
					fail(err, errlen, "path: an ASN or a "
					    "pattern is expected");
				return false;
			}
		} else if (strcmp(k, "prefix") == 0) {
			if (cJSON_IsNull(v))
				continue;
			if (cJSON_IsString(v)) {
				if (!rislive_sub_add_prefix(s, v->valuestring,
				    err, errlen))
					return false;
				continue;
			}
			if (!cJSON_IsArray(v))
				return fail(err, errlen, "prefix: a prefix or "
				    "a list of them is expected");
			cJSON_ArrayForEach(e, v)
				if (!cJSON_IsString(e) ||
				    !rislive_sub_add_prefix(s, e->valuestring,
				    err, errlen))
					return cJSON_IsString(e) ? false :
					    fail(err, errlen, "prefix: a list "
					    "of prefixes is expected");
		} else if (strcmp(k, "moreSpecific") == 0) {
			if (!read_bool(v, k, &s->more_specific, err, errlen))
				return false;
		} else if (strcmp(k, "lessSpecific") == 0) {
			if (!read_bool(v, k, &s->less_specific, err, errlen))
				return false;
		} else if (strcmp(k, "socketOptions") == 0) {
			if (!cJSON_IsObject(v))
				return fail(err, errlen, "socketOptions: an "
				    "object is expected");
			cJSON_ArrayForEach(e, v) {
				if (strcmp(e->string, "acknowledge") == 0) {
					if (!read_bool(e, e->string,
					    &rq->acknowledge, err, errlen))
						return false;
				} else if (strcmp(e->string, "includeRaw") ==
				    0) {
					if (!read_bool(e, e->string,
					    &rq->include_raw, err, errlen))
						return false;
				} else {
					return fail(err, errlen, "socketOptions: "
					    "unknown key \"%.32s\"", e->string);
				}
			}
		} else {
			return fail(err, errlen, "unknown key \"%.32s\"", k);
		}
	}
	return true;
}

bool
rislive_request_parse(const char *json, size_t len,
    struct rislive_request *rq, char *err, size_t errlen)
{
	cJSON *root;
	const cJSON *t;
	bool ok = true;

	memset(rq, 0, sizeof(*rq));
	if ((root = cJSON_ParseWithLength(json, len)) == NULL)
		return fail(err, errlen, "not JSON");
	t = cJSON_GetObjectItemCaseSensitive(root, "type");
	if (!cJSON_IsObject(root) || !cJSON_IsString(t)) {
		ok = fail(err, errlen, "a message is {\"type\": ..., "
		    "\"data\": ...}");
	} else if (strcmp(t->valuestring, "ping") == 0) {
		rq->type = RISLIVE_REQ_PING;
	} else if (strcmp(t->valuestring, "ris_subscribe") == 0 ||
	    strcmp(t->valuestring, "ris_unsubscribe") == 0) {
		rq->type = t->valuestring[4] == 's' ? RISLIVE_REQ_SUBSCRIBE :
		    RISLIVE_REQ_UNSUBSCRIBE;
		if ((rq->sub = malloc(sizeof(*rq->sub))) == NULL) {
			ok = fail(err, errlen, "out of memory");
		} else {
			rislive_sub_init(rq->sub);
			ok = read_sub(cJSON_GetObjectItemCaseSensitive(root,
			    "data"), rq, err, errlen);
		}
	} else {
		ok = fail(err, errlen, "unknown message type \"%.32s\"",
		    t->valuestring);
	}
	cJSON_Delete(root);
	if (!ok) {
		rislive_sub_free(rq->sub);
		rq->sub = NULL;
	}
	return ok;
}

/* --- matching ----------------------------------------------------------------- */

/* The path as items: each AS of a sequence, each set whole. */
static unsigned
path_items(const struct bgp_aspath *p, struct rislive_path_item *out,
    unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->nsegs; i++) {
		const struct bgp_asseg *s = &p->segs[i];

		if (s->type == BGP_AS_SET || s->type == BGP_AS_CONFED_SET) {
			if (n == max)
				return n;
			out[n].asn = 0;
			out[n].nset = s->count > RISLIVE_SUB_SET_MAX ?
			    RISLIVE_SUB_SET_MAX : s->count;
			memcpy(out[n].set, s->asn, out[n].nset *
			    sizeof(uint32_t));
			n++;
			continue;
		}
		for (unsigned k = 0; k < s->count && n < max; k++) {
			out[n].asn = s->asn[k];
			out[n].nset = 0;
			n++;
		}
	}
	return n;
}

static bool
path_match(const struct rislive_sub *s, const struct bgp_aspath *p)
{
	struct rislive_path_item items[RISLIVE_PATH_MAX];
	unsigned n = path_items(p, items, RISLIVE_PATH_MAX), k = s->npath;
	bool hit = false;

	for (unsigned i = 0; !hit && i + k <= n; i++) {
		if (s->path_first && i != 0)
			break;
		if (s->path_last && i + k != n)
			continue;
		hit = true;
		for (unsigned j = 0; hit && j < k; j++)
			hit = items_equal(&s->path[j], &items[i + j]);
	}
	return hit != s->path_not;
}

/* Is a within b (b covers it)? */
static bool
covers(const struct bgp_prefix *b, const struct bgp_prefix *a)
{
	unsigned full = b->len / 8, rest = b->len % 8;

	if (a->afi != b->afi || a->len < b->len)
		return false;
	if (memcmp(a->addr, b->addr, full) != 0)
		return false;
	return rest == 0 || ((a->addr[full] ^ b->addr[full]) &
	    (0xff00u >> rest)) == 0;
}

static bool
prefix_wanted(const struct rislive_sub *s, const struct bgp_prefix *p)
{
	for (uint32_t i = 0; i < s->nprefixes; i++) {
		const struct bgp_prefix *q = &s->prefixes[i];

		if (p->afi != q->afi)
			continue;
		if (p->len == q->len && covers(q, p))
			return true;
		if (s->more_specific && covers(q, p))
			return true;
		if (s->less_specific && covers(p, q))
			return true;
	}
	return false;
}

static bool
host_match(const char *want, const char *host)
{
	size_t n = strlen(want);

	/* "rrc00" matches "rrc00.ripe.net" too */
	return strncmp(want, host, n) == 0 && (host[n] == '\0' ||
	    host[n] == '.');
}

bool
rislive_sub_match(const struct rislive_sub *s, const struct rislive_view *v)
{
	if (s->type != 0 && s->type != v->type)
		return false;
	if (s->host[0] != '\0' && !host_match(s->host, v->host))
		return false;
	if (s->has_peer && (s->peer_afi != v->peer_afi ||
	    memcmp(s->peer, v->peer, 16) != 0))
		return false;
	if (s->require == 0 && !s->has_path && s->nprefixes == 0)
		return true;
	/* the rest is about UPDATEs */
	if (v->type != RISLIVE_UPDATE)
		return false;
	if (s->require == RISLIVE_REQUIRE_ANNOUNCEMENTS && v->nann == 0)
		return false;
	if (s->require == RISLIVE_REQUIRE_WITHDRAWALS && v->nwd == 0)
		return false;
	if (s->has_path && (v->attrs == NULL || v->nann == 0 ||
	    !path_match(s, &v->attrs->path)))
		return false;
	if (s->nprefixes > 0) {
		for (uint32_t i = 0; i < v->nann; i++)
			if (prefix_wanted(s, &v->ann[i].prefix))
				return true;
		for (uint32_t i = 0; i < v->nwd; i++)
			if (prefix_wanted(s, &v->wd[i]))
				return true;
		return false;
	}
	return true;
}

/* --- printing ------------------------------------------------------------------ */

static void
addr_str(uint8_t afi, const uint8_t *a, char *buf, size_t len)
{
	if (inet_ntop(afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, a, buf,
	    (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}

static void
jw_prefix(struct jw *j, const struct bgp_prefix *p)
{
	char buf[BGP_PREFIX_STRLEN];
	struct bgp_prefix q = *p;

	q.has_path_id = 0;
	jw_str(j, bgp_prefix_str(&q, buf, sizeof(buf)));
}

static void
print_path(struct jw *j, const struct bgp_aspath *p)
{
	jw_key(j, "path");
	jw_arr_begin(j);
	for (unsigned i = 0; i < p->nsegs; i++) {
		const struct bgp_asseg *s = &p->segs[i];
		bool set = s->type == BGP_AS_SET ||
		    s->type == BGP_AS_CONFED_SET;

		if (set)
			jw_arr_begin(j);
		for (unsigned k = 0; k < s->count; k++)
			jw_u64(j, s->asn[k]);
		if (set)
			jw_arr_end(j);
	}
	jw_arr_end(j);
}

static void
print_attrs(struct jw *j, const struct bgp_attrs *a)
{
	static const char *const origins[] = { "IGP", "EGP", "INCOMPLETE" };
	char buf[64];

	print_path(j, &a->path);
	if (a->n_communities > 0) {
		jw_key(j, "community");
		jw_arr_begin(j);
		for (unsigned i = 0; i < a->n_communities; i++) {
			uint32_t c = bgp_community_at(a, i);

			jw_arr_begin(j);
			jw_u64(j, c >> 16);
			jw_u64(j, c & 0xffff);
			jw_arr_end(j);
		}
		jw_arr_end(j);
	}
	if (a->n_large_communities > 0) {
		jw_key(j, "large_community");
		jw_arr_begin(j);
		for (unsigned i = 0; i < a->n_large_communities; i++) {
			uint32_t c[3];

			bgp_large_community_at(a, i, c);
			jw_arr_begin(j);
			for (int k = 0; k < 3; k++)
				jw_u64(j, c[k]);
			jw_arr_end(j);
		}
		jw_arr_end(j);
	}
	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN) && a->origin <= 2)
		jw_kstr(j, "origin", origins[a->origin]);
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		jw_ku64(j, "med", a->med);
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR)) {
		struct bgp_aggregator ag = aggregator_of(a);
		char ip[16];

		ipv4_fmt(ag.addr, ip);
		snprintf(buf, sizeof(buf), "%u:%s", ag.asn, ip);
		jw_kstr(j, "aggregator", buf);
	}
}

static void
print_nexthop(struct jw *j, const uint8_t *nh, uint8_t nh_len)
{
	const uint8_t *addr, *ll;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], both[2 *
	    INET6_ADDRSTRLEN + 2];
	uint16_t afi = bgp_nexthop_addrs(nh, nh_len, &addr, &ll);

	if (afi == 0) {
		jw_kstr(j, "next_hop", "");
		return;
	}
	addr_str((uint8_t)afi, addr, a, sizeof(a));
	if (ll == NULL) {
		jw_kstr(j, "next_hop", a);
		return;
	}
	addr_str(BGP_AFI_IPV6, ll, b, sizeof(b));
	snprintf(both, sizeof(both), "%s,%s", a, b);
	jw_kstr(j, "next_hop", both);
}

static bool
same_nh(const struct rislive_ann *x, const struct rislive_ann *y)
{
	return x->nh_len == y->nh_len && (x->nh_len == 0 ||
	    memcmp(x->nh, y->nh, x->nh_len) == 0);
}

static void
print_announcements(struct jw *j, const struct rislive_view *v)
{
	jw_key(j, "announcements");
	jw_arr_begin(j);
	/* grouped by next hop, in the order the next hops come */
	for (uint32_t i = 0; i < v->nann; i++) {
		bool seen = false;

		for (uint32_t k = 0; k < i && !seen; k++)
			seen = same_nh(&v->ann[k], &v->ann[i]);
		if (seen)
			continue;
		jw_obj_begin(j);
		print_nexthop(j, v->ann[i].nh, v->ann[i].nh_len);
		jw_key(j, "prefixes");
		jw_arr_begin(j);
		for (uint32_t k = i; k < v->nann; k++)
			if (same_nh(&v->ann[k], &v->ann[i]))
				jw_prefix(j, &v->ann[k].prefix);
		jw_arr_end(j);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

/* --- raw: a view as one BGP message ------------------------------------------ */

/* The announcements of afi all have one next hop: true, and *nh is the
 * first of them (NULL: none of that family). */
static bool
one_nexthop(const struct rislive_view *v, uint16_t afi,
    const struct rislive_ann **nh)
{
	*nh = NULL;
	for (uint32_t i = 0; i < v->nann; i++) {
		if (v->ann[i].prefix.afi != afi)
			continue;
		if (*nh == NULL)
			*nh = &v->ann[i];
		else if (!same_nh(*nh, &v->ann[i]))
			return false;
	}
	return true;
}

/* The effective AS path as a 4-octet AS_PATH. */
static void
put_aspath(struct bwriter *w, const struct bgp_aspath *p)
{
	size_t len = 0;

	for (uint16_t i = 0; i < p->nsegs; i++)
		len += 2 + 4u * p->segs[i].count;
	put_attr_hdr(w, BGP_ATTR_F_TRANSITIVE, BGP_ATTR_AS_PATH, len);
	for (uint16_t i = 0; i < p->nsegs; i++) {
		bw_put_u8(w, p->segs[i].type);
		bw_put_u8(w, p->segs[i].count);
		for (unsigned k = 0; k < p->segs[i].count; k++)
			bw_put_u32(w, p->segs[i].asn[k]);
	}
}

/* The prefixes of afi among the announcements (ann) or withdrawals. */
static void
put_prefixes_of(struct bwriter *w, const struct rislive_view *v, bool ann,
    uint16_t afi)
{
	uint32_t n = ann ? v->nann : v->nwd;

	for (uint32_t i = 0; i < n; i++) {
		const struct bgp_prefix *p = ann ? &v->ann[i].prefix :
		    &v->wd[i];

		if (p->afi == afi)
			put_prefix(w, p);
	}
}

/* An UPDATE's view as the one BGP UPDATE a speaker with 4-octet AS
 * numbers would send: IPv4 withdrawals in the withdrawn routes, IPv6
 * ones in MP_UNREACH_NLRI; the attributes as the source got them (all
 * of them, those a ris_message has no field for too), with the
 * effective AS_PATH and AGGREGATOR in 4-octet form (no AS4_PATH or
 * AS4_AGGREGATOR); IPv4 announcements with NEXT_HOP, IPv6 ones (and
 * IPv4 with an IPv6 next hop) in MP_REACH_NLRI. False when the view
 * takes more than one message: two next hops in one family, two
 * families in MP_REACH_NLRI, or over 65,535 octets. */
static bool
view_raw(const struct rislive_view *v, struct bwriter *w)
{
	static const struct bgp_session as4 = { .as4 = true,
	    .ext_msg = true };
	const struct rislive_ann *nh4, *nh6;
	uint64_t skip[4] = { 0 };
	size_t wd_at, attr_at, mp_at;
	bool v4_nlri, any6wd = false;

	if (!one_nexthop(v, BGP_AFI_IPV4, &nh4) ||
	    !one_nexthop(v, BGP_AFI_IPV6, &nh6))
		return false;
	v4_nlri = nh4 != NULL && nh4->nh_len == 4;
	if (nh4 != NULL && !v4_nlri && nh6 != NULL)
		return false;		/* two families in MP_REACH */
	if (v->nann > 0 && v->attrs == NULL)
		return false;
	for (uint32_t i = 0; i < v->nwd; i++)
		any6wd |= v->wd[i].afi == BGP_AFI_IPV6;
	bw_reset(w);
	for (int i = 0; i < 16; i++)
		bw_put_u8(w, 0xff);
	bw_put_u16(w, 0);
	bw_put_u8(w, BGP_MSG_UPDATE);
	wd_at = w->len;
	bw_put_u16(w, 0);
	put_prefixes_of(w, v, false, BGP_AFI_IPV4);
	bw_patch_u16(w, wd_at, (uint16_t)(w->len - wd_at - 2));
	attr_at = w->len;
	bw_put_u16(w, 0);
	/* MP_REACH_NLRI and MP_UNREACH_NLRI first (RFC 7606 5.1) */
	if (any6wd) {
		bw_put_u8(w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_EXTLEN);
		bw_put_u8(w, BGP_ATTR_MP_UNREACH_NLRI);
		mp_at = w->len;
		bw_put_u16(w, 0);
		bw_put_u16(w, BGP_AFI_IPV6);
		bw_put_u8(w, BGP_SAFI_UNICAST);
		put_prefixes_of(w, v, false, BGP_AFI_IPV6);
		bw_patch_u16(w, mp_at, (uint16_t)(w->len - mp_at - 2));
	}
	if (nh6 != NULL || (nh4 != NULL && !v4_nlri)) {
		const struct rislive_ann *nh = nh6 != NULL ? nh6 : nh4;

		bw_put_u8(w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_EXTLEN);
		bw_put_u8(w, BGP_ATTR_MP_REACH_NLRI);
		mp_at = w->len;
		bw_put_u16(w, 0);
		bw_put_u16(w, nh->prefix.afi);
		bw_put_u8(w, BGP_SAFI_UNICAST);
		bw_put_u8(w, nh->nh_len);
		bw_put_bytes(w, nh->nh, nh->nh_len);
		bw_put_u8(w, 0);
		put_prefixes_of(w, v, true, nh->prefix.afi);
		bw_patch_u16(w, mp_at, (uint16_t)(w->len - mp_at - 2));
	}
	if (v->nann > 0) {
		const struct bgp_attrs *a = v->attrs;
		static const uint8_t own[] = { BGP_ATTR_MP_REACH_NLRI,
		    BGP_ATTR_MP_UNREACH_NLRI, BGP_ATTR_NEXT_HOP,
		    BGP_ATTR_AS_PATH, BGP_ATTR_AS4_PATH, BGP_ATTR_AGGREGATOR,
		    BGP_ATTR_AS4_AGGREGATOR };

		for (size_t i = 0; i < sizeof(own); i++)
			skip[own[i] >> 6] |= (uint64_t)1 << (own[i] & 63);
		if (bgp_attrs_has(a, BGP_ATTR_AS_PATH))
			put_aspath(w, &a->path);
		if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR)) {
			struct bgp_aggregator ag = aggregator_of(a);

			put_attr_hdr(w, BGP_ATTR_F_OPTIONAL |
			    BGP_ATTR_F_TRANSITIVE, BGP_ATTR_AGGREGATOR, 8);
			bw_put_u32(w, ag.asn);
			bw_put_bytes(w, ag.addr, 4);
		}
		if (!bgp_attrs_encode_except(a, &as4, skip, w))
			return false;
		if (v4_nlri) {
			put_attr_hdr(w, BGP_ATTR_F_TRANSITIVE,
			    BGP_ATTR_NEXT_HOP, 4);
			bw_put_bytes(w, nh4->nh, 4);
		}
	}
	bw_patch_u16(w, attr_at, (uint16_t)(w->len - attr_at - 2));
	if (v4_nlri)
		put_prefixes_of(w, v, true, BGP_AFI_IPV4);
	if (!bw_ok(w) || w->len > BGP_MAX_EXT_MSG_LEN)
		return false;
	bw_patch_u16(w, 16, (uint16_t)w->len);
	return true;
}

/* "raw": the message in upper-case hex, as RIS Live writes it. */
static void
print_raw(struct jw *j, const struct rislive_view *v)
{
	static const char digits[] = "0123456789ABCDEF";
	struct bwriter w;
	struct strbuf hex;

	bw_init(&w);
	if (view_raw(v, &w)) {
		sb_init(&hex);
		sb_putc(&hex, '"');
		for (size_t i = 0; i < w.len; i++) {
			sb_putc(&hex, digits[w.buf[i] >> 4]);
			sb_putc(&hex, digits[w.buf[i] & 15]);
		}
		sb_putc(&hex, '"');
		if (!hex.oom) {
			jw_key(j, "raw");
			jw_raw(j, sb_str(&hex));
		}
		sb_free(&hex);
	}
	bw_free(&w);
}

void
rislive_print(const struct rislive_view *v, uint64_t seq, bool raw,
    struct strbuf *out)
{
	char peer[INET6_ADDRSTRLEN], buf[96];
	struct jw j;

	addr_str(v->peer_afi, v->peer, peer, sizeof(peer));
	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_kstr(&j, "type", "ris_message");
	jw_key(&j, "data");
	jw_obj_begin(&j);
	snprintf(buf, sizeof(buf), "%llu.%06u", (unsigned long long)
	    (v->time_us / 1000000u), (unsigned)(v->time_us % 1000000u));
	jw_key(&j, "timestamp");
	jw_raw(&j, buf);
	jw_kstr(&j, "peer", peer);
	snprintf(buf, sizeof(buf), "%u", v->peer_asn);
	jw_kstr(&j, "peer_asn", buf);
	snprintf(buf, sizeof(buf), "%.46s-%llx-%llu", peer,
	    (unsigned long long)v->time_us, (unsigned long long)seq);
	jw_kstr(&j, "id", buf);
	if (raw && v->type == RISLIVE_UPDATE)
		print_raw(&j, v);
	jw_kstr(&j, "host", v->host);
	jw_kstr(&j, "type", rislive_type_name((enum rislive_type)v->type));
	if (v->type == RISLIVE_PEER_STATE) {
		jw_kstr(&j, "state", v->up ? "connected" : "down");
	} else if (v->type == RISLIVE_UPDATE) {
		if (v->nann > 0 && v->attrs != NULL) {
			print_attrs(&j, v->attrs);
			print_announcements(&j, v);
		}
		if (v->nwd > 0) {
			jw_key(&j, "withdrawals");
			jw_arr_begin(&j);
			for (uint32_t i = 0; i < v->nwd; i++)
				jw_prefix(&j, &v->wd[i]);
			jw_arr_end(&j);
		}
	}
	jw_obj_end(&j);
	jw_obj_end(&j);
}

void
rislive_print_error(const char *message, struct strbuf *out)
{
	struct jw j;

	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_kstr(&j, "type", "ris_error");
	jw_key(&j, "data");
	jw_obj_begin(&j);
	jw_kstr(&j, "message", message);
	jw_obj_end(&j);
	jw_obj_end(&j);
}

static void
print_path_pattern(const struct rislive_sub *s, struct strbuf *b)
{
	if (s->path_not)
		sb_putc(b, '!');
	if (s->path_first)
		sb_putc(b, '^');
	for (unsigned i = 0; i < s->npath; i++) {
		const struct rislive_path_item *it = &s->path[i];

		if (i > 0)
			sb_putc(b, ',');
		if (it->nset == 0) {
			sb_u32(b, it->asn);
			continue;
		}
		sb_putc(b, '[');
		for (unsigned k = 0; k < it->nset; k++) {
			if (k > 0)
				sb_putc(b, ',');
			sb_u32(b, it->set[k]);
		}
		sb_putc(b, ']');
	}
	if (s->path_last)
		sb_putc(b, '$');
}

/* The fields of a subscription, in the open object. */
static void
sub_fields(struct jw *j, const struct rislive_sub *s)
{
	char buf[INET6_ADDRSTRLEN];

	if (s->host[0] != '\0')
		jw_kstr(j, "host", s->host);
	if (s->type != 0)
		jw_kstr(j, "type", rislive_type_name((enum rislive_type)
		    s->type));
	if (s->require != 0)
		jw_kstr(j, "require", s->require ==
		    RISLIVE_REQUIRE_ANNOUNCEMENTS ? "announcements" :
		    "withdrawals");
	if (s->has_peer) {
		addr_str(s->peer_afi, s->peer, buf, sizeof(buf));
		jw_kstr(j, "peer", buf);
	}
	if (s->has_path) {
		struct strbuf p;

		sb_init(&p);
		print_path_pattern(s, &p);
		jw_kstr(j, "path", sb_str(&p));
		sb_free(&p);
	}
	if (s->nprefixes > 0) {
		jw_key(j, "prefix");
		if (s->nprefixes == 1) {
			jw_prefix(j, &s->prefixes[0]);
		} else {
			jw_arr_begin(j);
			for (uint32_t i = 0; i < s->nprefixes; i++)
				jw_prefix(j, &s->prefixes[i]);
			jw_arr_end(j);
		}
		jw_kbool(j, "moreSpecific", s->more_specific);
		jw_kbool(j, "lessSpecific", s->less_specific);
	}
}

static void
socket_options(struct jw *j, bool ack, bool raw)
{
	jw_key(j, "socketOptions");
	jw_obj_begin(j);
	jw_kbool(j, "acknowledge", ack);
	jw_kbool(j, "includeRaw", raw);
	jw_obj_end(j);
}

void
rislive_print_subscribe_ok(const struct rislive_sub *s, bool ack, bool raw,
    struct strbuf *out)
{
	struct jw j;

	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_kstr(&j, "type", "ris_subscribe_ok");
	jw_key(&j, "data");
	jw_obj_begin(&j);
	jw_key(&j, "subscription");
	jw_obj_begin(&j);
	sub_fields(&j, s);
	jw_obj_end(&j);
	socket_options(&j, ack, raw);
	jw_obj_end(&j);
	jw_obj_end(&j);
}

void
rislive_print_subscribe(const struct rislive_sub *s, bool ack, bool raw,
    struct strbuf *out)
{
	struct jw j;

	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_kstr(&j, "type", "ris_subscribe");
	jw_key(&j, "data");
	jw_obj_begin(&j);
	sub_fields(&j, s);
	socket_options(&j, ack, raw);
	jw_obj_end(&j);
	jw_obj_end(&j);
}
