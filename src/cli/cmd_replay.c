/* bgpsentry replay FILE.mrt... --bgp HOST:PORT: an MRT-to-BGP injector.
 * One BGP session per MRT peer, each from its own loopback address
 * (127.0.0.10, .11, ...) and by default with that peer's own AS; each
 * sends its peer's RIB from the dumps, End-of-RIB, then its updates in
 * time order (as fast as possible, or at a speed factor), and stays up
 * until interrupted. Used against bgpsentry and other daemons alike.
 *
 * Files are read twice: once for the peers (the dump's peer table, the
 * update files' senders), so that every session is up before anything
 * is sent, then for the routes. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "cli/cli.h"
#include "util/arena.h"
#include "util/bwriter.h"
#include "util/readahead.h"
#include "util/zstream.h"
#include "wire/bmp.h"
#include "wire/mrt.h"

#define CHUNK		(64u * 1024)	/* bytes per write */
#define HIGH_WATER	(16u << 20)	/* unsent bytes before reading waits */
#define MSG_MAX		BGP_MAX_MSG_LEN
#define HOLD_S		90
#define OPEN_WAIT_S	30

enum pk { PK_NONE, PK_A4, PK_A6, PK_W4, PK_W6 };

struct replay;

struct rsess {
	struct replay		*rp;
	unsigned		 idx;
	struct mrt_peer		 peer;
	char			 src[INET6_ADDRSTRLEN];
	uv_tcp_t		 tcp;
	uv_connect_t		 creq;
	uv_timer_t		 ka;
	bool			 established;
	bool			 got_open;
	bool			 closed;
	uint16_t		 hold;
	bool			 as4;
	uint8_t			 fams;		/* the receiver's: 1 IPv4,
						 * 2 IPv6 */
	uint8_t			 addpath_tx;	/* families (1 << bgp_fam) */
	uint8_t			*rbuf;
	size_t			 rlen;
	size_t			 rcap;
	struct bwriter		 out;		/* being filled */
	size_t			 pending;	/* written, not yet sent */
	/* the UPDATE being packed (--bmp: inside a route monitoring
	 * message that starts at bmp_at) */
	uint8_t			 pk;		/* enum pk */
	size_t			 bmp_at;
	size_t			 pk_start;	/* of the message in out */
	size_t			 pk_len_at;	/* a length to patch: wlen,
						 * or the MP attribute's */
	size_t			 pk_alen_at;
	uint64_t		 pk_key;	/* what it packs: the record */
	const void		*pk_attrs;
	const uint8_t		*pk_nh;
	/* the last attributes encoded, for the next route */
	uint8_t			*enc;
	size_t			 enc_len;
	size_t			 enc_cap;
	const void		*enc_attrs;
	const uint8_t		*enc_nh;
	uint64_t		 enc_key;
	uint8_t			 nh[MAX_NEXTHOP_LEN];	/* its next hop */
	uint8_t			 nh_len;
	uint8_t			 enc_afi;	/* the family it is for */
	uint8_t			*raw;		/* a lazy entry's block */
	size_t			 raw_len;
	size_t			 raw_cap;
	uint64_t		 routes;
	uint64_t		 withdrawals;
	uint64_t		 messages;
	uint64_t		 merged;	/* paths sent without their id */
	uint64_t		 unsent;	/* of a family it does not take */
};

struct rfile {
	const char		*path;
	bool			 is_rib;
	bool			 is_bmp;	/* a raw BMP stream (.bmp) */
	uint32_t		 first_ts;
};

struct replay {
	uv_loop_t		*loop;
	struct sockaddr_storage	 to;
	uint32_t		 local_as;	/* 0: each peer's own */
	double			 speed;
	unsigned		 max_peers;
	bool			 exit_when_sent;
	struct rfile		*files;
	size_t			 nfiles;
	struct rsess		*s;
	size_t			 ns;
	/* reading */
	size_t			 fi;		/* the file being sent */
	struct zstream		*z;
	struct readahead	*ra;
	struct mrt_reader	*r;
	const struct mrt_peer	*ptable;	/* the dump's peer table */
	int32_t			*pmap;		/* its peers' sessions, -1 */
	uint32_t		 npmap;
	bool			 eor_sent;
	bool			 all_read;
	bool			 done;
	bool			 failed;
	size_t			 npending;	/* bytes unsent, all sessions */
	unsigned		 up;		/* sessions established */
	uint64_t		 t0_ms;
	uint64_t		 first_upd_ts;	/* of the updates, for --speed */
	uint64_t		 upd_start_ms;
	uv_timer_t		 pace;
	uv_signal_t		 sigint;
	uv_signal_t		 sigterm;
	uv_timer_t		 open_wait;
	struct mrt_record	 held;		/* a record waiting for its time */
	bool			 have_held;
	uint64_t		 rec_no;
	/* --bmp: one connection, a router whose monitored peers are the
	 * MRT peers (their routes as pre-policy route monitoring), and
	 * raw BMP streams passed through as they are */
	bool			 bmp;
	uv_tcp_t		 bmp_tcp;
	uv_connect_t		 bmp_creq;
	bool			 bmp_up;
	uint64_t		 bmp_bytes;	/* passed through */
};

static void	pump(struct replay *rp);

static void
fail(struct replay *rp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fail(struct replay *rp, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bgpsentry replay: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	rp->failed = true;
	uv_stop(rp->loop);
}

static uint64_t
now_ms(struct replay *rp)
{
	uv_update_time(rp->loop);
	return uv_now(rp->loop);
}

/* --- writing ------------------------------------------------------------------ */

struct wchunk {
	uv_write_t	 req;
	struct rsess	*s;		/* NULL: a BMP stream passed through */
	struct replay	*rp;
	uint8_t		*buf;
	size_t		 len;
};

static void
chunk_done(uv_write_t *req, int status)
{
	struct wchunk *c = req->data;
	struct rsess *s = c->s;
	struct replay *rp = c->rp;

	if (s != NULL)
		s->pending -= c->len;
	rp->npending -= c->len;
	free(c->buf);
	free(c);
	if (status != 0 && (s == NULL || !s->closed)) {
		fail(rp, "%s %s: write: %s", rp->bmp ? "connection" :
		    "session from", rp->bmp ? "to the station" : s->src,
		    uv_strerror(status));
		return;
	}
	pump(rp);
}

/* Writes buf (taken over) to the session's connection, or with --bmp
 * to the station. */
static void
write_buf(struct replay *rp, struct rsess *s, uint8_t *buf, size_t len)
{
	struct wchunk *c;
	uv_buf_t b;

	if ((c = malloc(sizeof(*c))) == NULL) {
		free(buf);
		fail(rp, "out of memory");
		return;
	}
	c->s = s;
	c->rp = rp;
	c->buf = buf;
	c->len = len;
	c->req.data = c;
	if (s != NULL)
		s->pending += len;
	rp->npending += len;
	b = uv_buf_init((char *)buf, (unsigned)len);
	if (uv_write(&c->req, (uv_stream_t *)(rp->bmp ? &rp->bmp_tcp :
	    &s->tcp), &b, 1, chunk_done) != 0)
		chunk_done(&c->req, UV_EPIPE);
}

/* Hands what out holds to the kernel (libuv keeps it until sent). */
static void
flush_out(struct rsess *s)
{
	uint8_t *buf = s->out.buf;
	size_t len = s->out.len;

	if (len == 0 || s->closed)
		return;
	bw_init(&s->out);
	write_buf(s->rp, s, buf, len);
}

/* --bmp: the common and per-peer headers of a message about s's peer
 * (RFC 7854 4.1, 4.2), its length patched by bmp_close. */
static void
bmp_open(struct rsess *s, uint8_t type)
{
	struct bwriter *w = &s->out;
	const struct mrt_peer *p = &s->peer;
	uint8_t addr[16];

	s->bmp_at = w->len;
	bw_put_u8(w, BMP_VERSION);
	bw_put_u32(w, 0);
	bw_put_u8(w, type);
	bw_put_u8(w, BMP_PEER_GLOBAL);
	bw_put_u8(w, p->afi == BGP_AFI_IPV6 ? BMP_F_V : 0);
	bw_put_u32(w, 0);
	bw_put_u32(w, 0);
	memset(addr, 0, sizeof(addr));
	if (p->afi == BGP_AFI_IPV6)
		memcpy(addr, p->ip, 16);
	else
		memcpy(addr + 12, p->ip, 4);
	bw_put_bytes(w, addr, 16);
	bw_put_u32(w, p->asn);
	bw_put_u32(w, p->bgp_id);
	bw_put_u32(w, (uint32_t)time(NULL));
	bw_put_u32(w, 0);
}

static void
bmp_close(struct rsess *s)
{
	struct bwriter *w = &s->out;
	uint32_t n = (uint32_t)(w->len - s->bmp_at);

	if (!bw_ok(w))
		return;
	w->buf[s->bmp_at + 1] = (uint8_t)(n >> 24);
	w->buf[s->bmp_at + 2] = (uint8_t)(n >> 16);
	w->buf[s->bmp_at + 3] = (uint8_t)(n >> 8);
	w->buf[s->bmp_at + 4] = (uint8_t)n;
}

static void	bmp_open(struct rsess *s, uint8_t type);
static void	bmp_close(struct rsess *s);

/* A whole BGP message (--bmp: an UPDATE, as route monitoring). */
static void
put_msg(struct rsess *s, const uint8_t *m, size_t len)
{
	if (s->rp->bmp) {
		bmp_open(s, BMP_ROUTE_MONITORING);
		bw_put_bytes(&s->out, m, len);
		bmp_close(s);
		s->messages++;
		if (s->out.len >= CHUNK)
			flush_out(s);
		return;
	}
	bw_put_bytes(&s->out, m, len);
	s->messages++;
	if (s->out.len >= CHUNK)
		flush_out(s);
}

/* Closes the UPDATE being packed: its lengths are known now. */
static void
pk_close(struct rsess *s)
{
	struct bwriter *w = &s->out;

	switch (s->pk) {
	case PK_NONE:
		return;
	case PK_W4:
		bw_patch_u16(w, s->pk_len_at, (uint16_t)(w->len -
		    s->pk_len_at - 2));
		bw_put_u16(w, 0);		/* no attributes */
		break;
	case PK_A4:
		break;				/* NLRI end the message */
	default:				/* the MP attribute is last */
		bw_patch_u16(w, s->pk_len_at, (uint16_t)(w->len -
		    s->pk_len_at - 2));
		bw_patch_u16(w, s->pk_alen_at, (uint16_t)(w->len -
		    s->pk_alen_at - 2));
		break;
	}
	bw_patch_u16(w, s->pk_start + 16, (uint16_t)(w->len - s->pk_start));
	if (s->rp->bmp)
		bmp_close(s);
	s->pk = PK_NONE;
	s->messages++;
	if (w->len >= CHUNK)
		flush_out(s);
}

static void
put_prefix(struct bwriter *w, const struct bgp_prefix *p, bool with_id)
{
	if (with_id)
		bw_put_u32(w, p->path_id);
	bw_put_u8(w, p->len);
	bw_put_bytes(w, p->addr, (p->len + 7u) / 8);
}

/* The attributes of an announcement as this session sends them: the
 * effective AS path in 4-octet form, no AS4_PATH/AS4_AGGREGATOR, no MP
 * attribute (ours is added), NEXT_HOP only for IPv4. */
static bool
encode_attrs(struct rsess *s, const struct bgp_attrs *in, const uint8_t *nh,
    uint8_t nh_len, uint16_t afi)
{
	struct bgp_session sess = { .as4 = true };
	uint64_t skip[4] = { 0 };
	struct bgp_attrs a = *in;
	struct bwriter w;

	a.as_path = a.path;
	if (bgp_attrs_has(&a, BGP_ATTR_AS4_AGGREGATOR) &&
	    a.aggregator.asn == BGP_AS_TRANS)
		a.aggregator = a.as4_aggregator;
	skip[BGP_ATTR_MP_REACH_NLRI >> 6] |= 1ull << (BGP_ATTR_MP_REACH_NLRI & 63);
	skip[BGP_ATTR_MP_UNREACH_NLRI >> 6] |= 1ull <<
	    (BGP_ATTR_MP_UNREACH_NLRI & 63);
	skip[0] |= 1ull << BGP_ATTR_AS4_PATH | 1ull << BGP_ATTR_AS4_AGGREGATOR;
	if (afi != BGP_AFI_IPV4)
		skip[0] |= 1ull << BGP_ATTR_NEXT_HOP;
	/* decoded attributes are written from their decoded form: the AS
	 * path and aggregator in 4 octets */
	bw_init(&w);
	if (!bgp_attrs_encode_except(&a, &sess, skip, &w)) {
		bw_free(&w);
		return false;
	}
	if (afi == BGP_AFI_IPV4 && !bgp_attrs_has(&a, BGP_ATTR_NEXT_HOP) &&
	    nh != NULL && nh_len >= 4) {
		uint8_t hdr[3] = { BGP_ATTR_F_TRANSITIVE, BGP_ATTR_NEXT_HOP, 4 };

		bw_put_bytes(&w, hdr, 3);
		bw_put_bytes(&w, nh, 4);
	}
	free(s->enc);
	s->enc = w.buf;
	s->enc_len = w.len;
	s->enc_cap = w.cap;
	return bw_ok(&w);
}

/* Starts an UPDATE of kind k (the one being packed is closed). */
static void
pk_open(struct rsess *s, uint8_t k)
{
	const uint8_t *nh = s->nh;
	uint8_t nh_len = s->nh_len;

	struct bwriter *w = &s->out;
	uint8_t hdr[BGP_HEADER_LEN];

	pk_close(s);
	if (s->rp->bmp)
		bmp_open(s, BMP_ROUTE_MONITORING);
	bgp_header_put(hdr, BGP_MSG_UPDATE, 0);
	s->pk_start = w->len;
	bw_put_bytes(w, hdr, sizeof(hdr));
	s->pk = k;
	switch (k) {
	case PK_W4:
		s->pk_len_at = w->len;
		bw_put_u16(w, 0);
		break;
	case PK_A4:
		bw_put_u16(w, 0);
		bw_put_u16(w, (uint16_t)s->enc_len);
		bw_put_bytes(w, s->enc, s->enc_len);
		break;
	case PK_A6:
		bw_put_u16(w, 0);
		s->pk_alen_at = w->len;
		bw_put_u16(w, 0);
		bw_put_bytes(w, s->enc, s->enc_len);
		/* MP_REACH_NLRI last, so that NLRI can be added to it */
		bw_put_u8(w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_EXTLEN);
		bw_put_u8(w, BGP_ATTR_MP_REACH_NLRI);
		s->pk_len_at = w->len;
		bw_put_u16(w, 0);
		bw_put_u16(w, BGP_AFI_IPV6);
		bw_put_u8(w, BGP_SAFI_UNICAST);
		bw_put_u8(w, nh_len);
		bw_put_bytes(w, nh, nh_len);
		bw_put_u8(w, 0);
		break;
	case PK_W6:
		bw_put_u16(w, 0);
		s->pk_alen_at = w->len;
		bw_put_u16(w, 0);
		bw_put_u8(w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_EXTLEN);
		bw_put_u8(w, BGP_ATTR_MP_UNREACH_NLRI);
		s->pk_len_at = w->len;
		bw_put_u16(w, 0);
		bw_put_u16(w, BGP_AFI_IPV6);
		bw_put_u8(w, BGP_SAFI_UNICAST);
		break;
	}
}

static bool
addpath_for(const struct rsess *s, uint8_t afi)
{
	return (s->addpath_tx & (1u << (afi == BGP_AFI_IPV6 ?
	    BGP_FAM_IPV6_UNICAST : BGP_FAM_IPV4_UNICAST))) != 0;
}

/* One route element to this session: packed into the UPDATE being
 * built when it came from the same record with the same attributes. */
static void
send_elem(struct rsess *s, struct mrt_reader *r, struct mrt_elem *e)
{
	uint8_t afi = e->prefix.afi;
	/* with ADD-PATH every prefix of the family has an id (0 if none) */
	bool id = addpath_for(s, afi);
	bool wd = e->type == MRT_ELEM_WITHDRAW;
	uint8_t k = wd ? (afi == BGP_AFI_IPV6 ? PK_W6 : PK_W4) :
	    (afi == BGP_AFI_IPV6 ? PK_A6 : PK_A4);
	const struct bgp_attrs *a = e->attrs;
	uint8_t action = e->action;

	if (!(s->fams & (afi == BGP_AFI_IPV6 ? 2 : 1))) {
		s->unsent++;
		return;
	}
	if (e->prefix.has_path_id && !id && e->prefix.path_id != 0)
		s->merged++;
	if (!wd && a == NULL && e->attrs_raw != NULL) {
		/* a lazy RIB entry: the same block as the last one needs
		 * no decoding */
		if (s->raw != NULL && s->raw_len == e->attrs_raw_len &&
		    s->enc_afi == afi &&
		    memcmp(s->raw, e->attrs_raw, s->raw_len) == 0 &&
		    s->enc_key == UINT64_MAX - 1) {
			goto encoded;
		}
		a = mrt_reader_rib_attrs(r, e, &action);
		if (a == NULL)
			return;
	}
	if (!wd && a == NULL)
		return;
	if (!wd && action >= BGP_ACT_TREAT_AS_WITHDRAW) {
		wd = true;
		k = afi == BGP_AFI_IPV6 ? PK_W6 : PK_W4;
	}
	if (!wd && (a != s->enc_attrs || e->nexthop != s->enc_nh ||
	    e->offset != s->enc_key || e->attrs_raw != NULL)) {
		if (!encode_attrs(s, a, e->nexthop, e->nexthop_len, afi)) {
			s->rp->failed = true;
			return;
		}
		s->enc_attrs = a;
		s->enc_nh = e->nexthop;
		s->enc_key = e->offset;
		s->enc_afi = afi;
		s->nh_len = e->nexthop != NULL && e->nexthop_len <=
		    sizeof(s->nh) ? e->nexthop_len : 0;
		if (s->nh_len > 0)
			memcpy(s->nh, e->nexthop, s->nh_len);
		if (e->attrs_raw != NULL) {
			if (s->raw_cap < e->attrs_raw_len) {
				uint8_t *n = realloc(s->raw, e->attrs_raw_len);

				if (n == NULL)
					return;
				s->raw = n;
				s->raw_cap = e->attrs_raw_len;
			}
			memcpy(s->raw, e->attrs_raw, e->attrs_raw_len);
			s->raw_len = e->attrs_raw_len;
			s->enc_key = UINT64_MAX - 1;	/* by bytes */
		}
		pk_close(s);
	}
encoded:
	/* a new UPDATE unless this one packs into the last */
	if (s->pk != k || (k != PK_W4 && k != PK_W6 && (s->pk_key !=
	    e->offset || e->mrt_type == MRT_TABLE_DUMP_V2 ||
	    e->mrt_type == MRT_TABLE_DUMP)) ||
	    s->out.len - s->pk_start + 4 + 1 + 16 > MSG_MAX)
		pk_open(s, k);
	s->pk_key = e->offset;
	put_prefix(&s->out, &e->prefix, id);
	if (wd)
		s->withdrawals++;
	else
		s->routes++;
}

static void
send_eor(struct rsess *s)
{
	static const uint8_t v6[] = { 0, 0, 0, 6, BGP_ATTR_F_OPTIONAL,
	    BGP_ATTR_MP_UNREACH_NLRI, 3, 0, BGP_AFI_IPV6, BGP_SAFI_UNICAST };
	uint8_t m[BGP_HEADER_LEN + sizeof(v6)];

	pk_close(s);
	memset(m, 0, sizeof(m));
	if (s->fams & 1) {
		bgp_header_put(m, BGP_MSG_UPDATE, BGP_HEADER_LEN + 4);
		put_msg(s, m, BGP_HEADER_LEN + 4);
	}
	if (s->fams & 2) {
		bgp_header_put(m, BGP_MSG_UPDATE, sizeof(m));
		memcpy(m + BGP_HEADER_LEN, v6, sizeof(v6));
		put_msg(s, m, sizeof(m));
	}
}

/* --- sessions ------------------------------------------------------------------- */

static void
send_keepalive(struct rsess *s)
{
	uint8_t m[BGP_HEADER_LEN];

	bgp_header_put(m, BGP_MSG_KEEPALIVE, sizeof(m));
	pk_close(s);
	put_msg(s, m, sizeof(m));
	flush_out(s);
}

static void
ka_cb(uv_timer_t *t)
{
	struct rsess *s = t->data;

	if (!s->closed && s->established)
		send_keepalive(s);
}

/* An OPEN into m (room for 128 bytes): multiprotocol IPv4 and IPv6
 * unicast, 4-octet AS, and ADD-PATH send when addpath is set; its
 * length. */
static size_t
open_bytes(uint8_t *m, uint32_t asn, uint32_t id, bool addpath)
{
	uint8_t caps[64], *c = caps;
	size_t n;

	for (int f = 1; f <= 2; f++) {
		*c++ = 2; *c++ = 6; *c++ = 1; *c++ = 4;
		*c++ = 0; *c++ = (uint8_t)f; *c++ = 0; *c++ = 1;
	}
	*c++ = 2; *c++ = 6; *c++ = BGP_CAP_AS4; *c++ = 4;
	*c++ = (uint8_t)(asn >> 24); *c++ = (uint8_t)(asn >> 16);
	*c++ = (uint8_t)(asn >> 8); *c++ = (uint8_t)asn;
	if (addpath) {
		*c++ = 2; *c++ = 10; *c++ = BGP_CAP_ADDPATH; *c++ = 8;
		*c++ = 0; *c++ = 1; *c++ = 1; *c++ = BGP_ADDPATH_SEND;
		*c++ = 0; *c++ = 2; *c++ = 1; *c++ = BGP_ADDPATH_SEND;
	}
	n = (size_t)(c - caps);
	m[19] = 4;
	m[20] = (uint8_t)((asn > 0xffff ? BGP_AS_TRANS : asn) >> 8);
	m[21] = (uint8_t)(asn > 0xffff ? BGP_AS_TRANS : asn);
	m[22] = 0;
	m[23] = HOLD_S;
	m[24] = (uint8_t)(id >> 24);
	m[25] = (uint8_t)(id >> 16);
	m[26] = (uint8_t)(id >> 8);
	m[27] = (uint8_t)id;
	m[28] = (uint8_t)n;
	memcpy(m + 29, caps, n);
	bgp_header_put(m, BGP_MSG_OPEN, (uint16_t)(29 + n));
	return 29 + n;
}

static uint32_t
local_as(const struct rsess *s)
{
	return s->rp->local_as != 0 ? s->rp->local_as : s->peer.asn;
}

static uint32_t
local_id(const struct rsess *s)
{
	return s->peer.bgp_id != 0 ? s->peer.bgp_id : 0x0afe0000u + s->idx;
}

static void
send_open(struct rsess *s)
{
	uint8_t m[128];
	size_t n = open_bytes(m, local_as(s), local_id(s), true);

	put_msg(s, m, n);
	flush_out(s);
}

/* The receiver's OPEN: what it takes. */
static void
on_open(struct rsess *s, const uint8_t *buf, size_t len)
{
	struct arena a;
	struct bgp_msg m;
	struct bgp_session none = { 0 };

	arena_init(&a, 16 * 1024);
	if (bgp_msg_decode(buf, len, &none, &a, &m) == BGP_ACT_SESSION_RESET) {
		arena_free(&a);
		fail(s->rp, "session from %s: the receiver's OPEN does not "
		    "parse", s->src);
		return;
	}
	s->as4 = bgp_open_cap(&m.u.open, BGP_CAP_AS4) != NULL;
	/* the families it takes (RFC 4760 8: without the capability, IPv4
	 * unicast) */
	s->fams = 0;
	for (unsigned i = 0; i < m.u.open.n_caps; i++) {
		const struct bgp_cap *c = &m.u.open.caps[i];

		if (c->code == BGP_CAP_MP && !c->malformed && c->n_fams == 1 &&
		    c->fams[0].safi == BGP_SAFI_UNICAST)
			s->fams |= c->fams[0].afi == BGP_AFI_IPV4 ? 1 :
			    c->fams[0].afi == BGP_AFI_IPV6 ? 2 : 0;
	}
	if (bgp_open_cap(&m.u.open, BGP_CAP_MP) == NULL)
		s->fams = 1;
	s->addpath_tx = bgp_open_addpath(&m.u.open, BGP_ADDPATH_RECEIVE);
	s->hold = m.u.open.hold_time < HOLD_S ? m.u.open.hold_time : HOLD_S;
	arena_free(&a);
	if (!s->as4) {
		fail(s->rp, "session from %s: the receiver does not take "
		    "4-octet AS numbers (RFC 6793)", s->src);
		return;
	}
	s->got_open = true;
	send_keepalive(s);
}

static void
on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b)
{
	struct rsess *s = st->data;
	size_t off = 0;

	(void)b;
	if (nread < 0) {
		if (!s->closed && !s->rp->done)
			fail(s->rp, "session from %s: %s", s->src,
			    nread == UV_EOF ? "closed by the receiver" :
			    uv_strerror((int)nread));
		return;
	}
	s->rlen += (size_t)nread;
	while (s->rlen - off >= BGP_HEADER_LEN) {
		const uint8_t *m = s->rbuf + off;
		size_t n = (size_t)m[16] << 8 | m[17];

		if (n < BGP_HEADER_LEN || n > BGP_MAX_EXT_MSG_LEN) {
			fail(s->rp, "session from %s: a bad message from the "
			    "receiver", s->src);
			return;
		}
		if (s->rlen - off < n)
			break;
		switch (m[18]) {
		case BGP_MSG_OPEN:
			on_open(s, m, n);
			break;
		case BGP_MSG_KEEPALIVE:
			if (s->got_open && !s->established) {
				s->established = true;
				s->rp->up++;
				uv_timer_start(&s->ka, ka_cb, s->hold > 0 ?
				    s->hold * 1000u / 3 : 30000,
				    s->hold > 0 ? s->hold * 1000u / 3 : 30000);
				pump(s->rp);
			}
			break;
		case BGP_MSG_NOTIFICATION:
			fail(s->rp, "session from %s: NOTIFICATION %u/%u from "
			    "the receiver (%s / %s)", s->src,
			    n > 19 ? m[19] : 0, n > 20 ? m[20] : 0,
			    n > 19 && bgp_notification_code_name(m[19]) ?
			    bgp_notification_code_name(m[19]) : "?",
			    n > 20 && bgp_notification_subcode_name(m[19],
			    m[20]) ? bgp_notification_subcode_name(m[19],
			    m[20]) : "?");
			return;
		default:
			break;		/* its End-of-RIB, refreshes: ignored */
		}
		off += n;
	}
	memmove(s->rbuf, s->rbuf + off, s->rlen - off);
	s->rlen -= off;
}

static void
on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct rsess *s = h->data;

	(void)hint;
	if (s->rcap == 0) {
		s->rcap = 2 * BGP_MAX_EXT_MSG_LEN;
		s->rbuf = malloc(s->rcap);
		if (s->rbuf == NULL)
			s->rcap = 0;
	}
	*b = uv_buf_init((char *)s->rbuf + s->rlen,
	    (unsigned)(s->rcap - s->rlen));
}

static void
on_connect(uv_connect_t *req, int status)
{
	struct rsess *s = req->data;

	if (status != 0) {
		fail(s->rp, "session from %s: connect: %s", s->src,
		    uv_strerror(status));
		return;
	}
	uv_read_start((uv_stream_t *)&s->tcp, on_alloc, on_read);
	send_open(s);
}

static bool
sess_connect(struct replay *rp, struct rsess *s)
{
	struct sockaddr_in from;
	int rc;

	memset(&from, 0, sizeof(from));
	from.sin_family = AF_INET;
	/* 127.0.0.10, .11, ..., 127.0.1.0, ... */
	from.sin_addr.s_addr = htonl(0x7f00000au + s->idx);
	inet_ntop(AF_INET, &from.sin_addr, s->src, sizeof(s->src));
	uv_tcp_init(rp->loop, &s->tcp);
	uv_timer_init(rp->loop, &s->ka);
	s->tcp.data = s->ka.data = s->creq.data = s;
	bw_init(&s->out);
	if ((rc = uv_tcp_bind(&s->tcp, (struct sockaddr *)&from, 0)) != 0 ||
	    (rc = uv_tcp_connect(&s->creq, &s->tcp, (struct sockaddr *)&rp->to,
	    on_connect)) != 0) {
		fprintf(stderr, "bgpsentry replay: session from %s: %s\n",
		    s->src, uv_strerror(rc));
		return false;
	}
	uv_tcp_nodelay(&s->tcp, 1);
	return true;
}

/* --- --bmp: a router's stream to a station -------------------------------- */

/* Initiation, then a Peer Up for each MRT peer: the router (AS 64512,
 * 127.0.0.10) and the peer exchanged OPENs without ADD-PATH. */
static void
bmp_hello(struct replay *rp)
{
	static const char name[] = "bgpsentry-replay";
	static const char descr[] = "bgpsentry replay of MRT files";
	struct bwriter w;

	bw_init(&w);
	bw_put_u8(&w, BMP_VERSION);
	bw_put_u32(&w, (uint32_t)(BMP_COMMON_LEN + 8 + sizeof(name) - 1 +
	    sizeof(descr) - 1));
	bw_put_u8(&w, BMP_INITIATION);
	bw_put_u16(&w, 2);
	bw_put_u16(&w, sizeof(name) - 1);
	bw_put_bytes(&w, name, sizeof(name) - 1);
	bw_put_u16(&w, 1);
	bw_put_u16(&w, sizeof(descr) - 1);
	bw_put_bytes(&w, descr, sizeof(descr) - 1);
	write_buf(rp, NULL, w.buf, w.len);
	for (size_t i = 0; i < rp->ns; i++) {
		struct rsess *s = &rp->s[i];
		uint8_t local[16], m[128];
		size_t n;

		memset(local, 0, sizeof(local));
		if (s->peer.afi == BGP_AFI_IPV6) {
			local[15] = 1;				/* ::1 */
		} else {
			local[12] = 127;
			local[15] = 10;				/* 127.0.0.10 */
		}
		bmp_open(s, BMP_PEER_UP);
		bw_put_bytes(&s->out, local, 16);
		bw_put_u16(&s->out, 179);
		bw_put_u16(&s->out, 179);
		n = open_bytes(m, 64512, 0x7f00000a, false);
		bw_put_bytes(&s->out, m, n);
		n = open_bytes(m, local_as(s), local_id(s), false);
		bw_put_bytes(&s->out, m, n);
		bmp_close(s);
		s->established = true;
		s->as4 = true;
		s->fams = 3;
		s->addpath_tx = 0;
		flush_out(s);
	}
	rp->up = (unsigned)rp->ns;
	rp->bmp_up = true;
}

static void
bmp_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b)
{
	struct replay *rp = st->data;

	free(b->base);
	/* a station sends nothing: only its closing matters */
	if (nread < 0 && !rp->done)
		fail(rp, "connection to the station: %s", nread == UV_EOF ?
		    "closed by the station" : uv_strerror((int)nread));
}

static void
bmp_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	(void)h;
	(void)hint;
	*b = uv_buf_init(malloc(4096), 4096);
	if (b->base == NULL)
		b->len = 0;
}

static void
bmp_connected(uv_connect_t *req, int status)
{
	struct replay *rp = req->data;

	if (status != 0) {
		fail(rp, "connection to the station: %s", uv_strerror(status));
		return;
	}
	uv_read_start((uv_stream_t *)&rp->bmp_tcp, bmp_alloc, bmp_read);
	bmp_hello(rp);
	pump(rp);
}

static bool
bmp_connect(struct replay *rp)
{
	struct sockaddr_in from;
	int rc;

	memset(&from, 0, sizeof(from));
	from.sin_family = AF_INET;
	from.sin_addr.s_addr = htonl(0x7f00000a);
	uv_tcp_init(rp->loop, &rp->bmp_tcp);
	rp->bmp_tcp.data = rp->bmp_creq.data = rp;
	if ((rc = uv_tcp_bind(&rp->bmp_tcp, (struct sockaddr *)&from, 0)) != 0 ||
	    (rc = uv_tcp_connect(&rp->bmp_creq, &rp->bmp_tcp,
	    (struct sockaddr *)&rp->to, bmp_connected)) != 0) {
		fprintf(stderr, "bgpsentry replay: connection to the station: "
		    "%s\n", uv_strerror(rc));
		return false;
	}
	return true;
}

/* A raw BMP stream's next chunk to the station; false at its end. */
static bool
bmp_pass(struct replay *rp)
{
	char err[512];
	uint8_t *buf;
	ssize_t n;

	if (rp->z == NULL &&
	    (rp->z = zstream_open(rp->files[rp->fi].path, err, sizeof(err))) ==
	    NULL) {
		fail(rp, "%s", err);
		return false;
	}
	if ((buf = malloc(CHUNK)) == NULL) {
		fail(rp, "out of memory");
		return false;
	}
	n = zstream_read(rp->z, buf, CHUNK);
	if (n <= 0) {
		if (n < 0)
			fprintf(stderr, "bgpsentry replay: %s: %s\n",
			    rp->files[rp->fi].path, zstream_error(rp->z));
		free(buf);
		zstream_close(rp->z);
		rp->z = NULL;
		return false;
	}
	rp->bmp_bytes += (uint64_t)n;
	write_buf(rp, NULL, buf, (size_t)n);
	return true;
}

/* --- the files -------------------------------------------------------------------- */

static ssize_t
zs_read(void *arg, void *buf, size_t n)
{
	return zstream_read(arg, buf, n);
}

static void
file_close(struct replay *rp)
{
	mrt_reader_free(rp->r);
	ra_stop(rp->ra);
	zstream_close(rp->z);
	rp->r = NULL;
	rp->ra = NULL;
	rp->z = NULL;
}

static bool
file_open(struct replay *rp, const char *path)
{
	char err[512];

	if ((rp->z = zstream_open(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bgpsentry replay: %s\n", err);
		return false;
	}
	rp->ra = ra_start(zs_read, rp->z);
	rp->r = rp->ra != NULL ? mrt_reader_new(ra_read, rp->ra) :
	    mrt_reader_new(zs_read, rp->z);
	if (rp->r == NULL) {
		file_close(rp);
		fprintf(stderr, "bgpsentry replay: out of memory\n");
		return false;
	}
	mrt_reader_lazy_rib(rp->r, true);
	return true;
}

static int
sess_find(const struct replay *rp, const struct mrt_peer *p)
{
	for (size_t i = 0; i < rp->ns; i++)
		if (rp->s[i].peer.afi == p->afi && rp->s[i].peer.asn == p->asn &&
		    memcmp(rp->s[i].peer.ip, p->ip, 16) == 0)
			return (int)i;
	return -1;
}

static bool
sess_add(struct replay *rp, const struct mrt_peer *p)
{
	struct rsess *n;

	if (sess_find(rp, p) >= 0 || rp->ns >= rp->max_peers)
		return true;
	/* RFC 7607: no session with AS 0 (archives have such peers) */
	if (p->asn == 0 && rp->local_as == 0) {
		char ip[INET6_ADDRSTRLEN];

		inet_ntop(p->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, p->ip,
		    ip, sizeof(ip));
		printf("skipped: MRT peer %s has AS 0 (RFC 7607; --local-as "
		    "gives it one)\n", ip);
		return true;
	}
	if (rp->ns >= 65000)
		return true;
	if ((n = realloc(rp->s, (rp->ns + 1) * sizeof(*n))) == NULL)
		return false;
	rp->s = n;
	memset(&rp->s[rp->ns], 0, sizeof(*n));
	rp->s[rp->ns].rp = rp;
	rp->s[rp->ns].peer = *p;
	rp->s[rp->ns].idx = (unsigned)rp->ns;
	rp->s[rp->ns].enc_key = UINT64_MAX;
	rp->ns++;
	return true;
}

static int
no_elem(const struct mrt_elem *e, void *arg)
{
	(void)e;
	(void)arg;
	return 0;
}

/* Each file's kind and first time: the order they are sent in. */
static bool
peek(struct replay *rp)
{
	for (size_t i = 0; i < rp->nfiles; i++) {
		struct rfile *f = &rp->files[i];
		struct mrt_record rec;
		size_t n = strlen(f->path);

		/* raw BMP streams go last, as they are (--bmp only) */
		if ((n > 4 && strcmp(f->path + n - 4, ".bmp") == 0) ||
		    strstr(f->path, ".bmp.") != NULL) {
			f->is_bmp = true;
			f->first_ts = UINT32_MAX;
			continue;
		}
		if (!file_open(rp, f->path))
			return false;
		if (mrt_reader_next(rp->r, &rec) == MRT_OK) {
			f->is_rib = rec.type == MRT_TABLE_DUMP ||
			    rec.type == MRT_TABLE_DUMP_V2;
			f->first_ts = rec.ts;
		}
		file_close(rp);
	}
	return true;
}

/* The peers, in the order the files are sent in. */
static bool
scan(struct replay *rp)
{
	for (size_t i = 0; i < rp->nfiles; i++) {
		struct rfile *f = &rp->files[i];
		struct mrt_record rec;
		enum mrt_status st;

		if (f->is_bmp)
			continue;
		if (!file_open(rp, f->path))
			return false;
		while ((st = mrt_reader_next(rp->r, &rec)) == MRT_OK) {
			struct mrt_bgp4mp b;

			if (rec.type == MRT_TABLE_DUMP_V2 && rec.subtype ==
			    MRT_V2_PEER_INDEX_TABLE) {
				uint32_t n, coll;
				const struct mrt_peer *pt;

				mrt_reader_elems(rp->r, &rec, no_elem, NULL);
				pt = mrt_reader_peers(rp->r, &n, &coll);
				for (uint32_t k = 0; k < n; k++)
					if (!sess_add(rp, &pt[k]))
						return false;
				break;		/* the rest is its routes */
			}
			if (rec.type == MRT_TABLE_DUMP) {
				/* v1: each entry names its peer (scan_v1) */
				break;
			}
			if ((rec.type == MRT_BGP4MP || rec.type ==
			    MRT_BGP4MP_ET) && mrt_bgp4mp_parse(&rec, &b) ==
			    MRT_OK && !b.is_state_change && !b.local &&
			    !b.zebra_short) {
				struct mrt_peer p = { .asn = b.peer_as,
				    .afi = (uint8_t)b.afi };

				memcpy(p.ip, b.peer_ip, 16);
				if (!sess_add(rp, &p))
					return false;
			}
		}
		file_close(rp);
	}
	return true;
}

static int
v1_peers(const struct mrt_elem *e, void *arg)
{
	struct replay *rp = arg;

	if (e->peer != NULL && !sess_add(rp, e->peer))
		return 1;
	return 0;
}

/* TABLE_DUMP (v1) files name their peers per entry. */
static bool
scan_v1(struct replay *rp)
{
	for (size_t i = 0; i < rp->nfiles; i++) {
		struct mrt_record rec;

		if (!rp->files[i].is_rib)
			continue;
		if (!file_open(rp, rp->files[i].path))
			return false;
		while (mrt_reader_next(rp->r, &rec) == MRT_OK &&
		    rec.type == MRT_TABLE_DUMP)
			if (mrt_reader_elems(rp->r, &rec, v1_peers, rp) ==
			    MRT_END)
				break;
		file_close(rp);
	}
	return true;
}

static int
by_kind_then_time(const void *x, const void *y)
{
	const struct rfile *a = x, *b = y;

	if (a->is_bmp != b->is_bmp)
		return a->is_bmp ? 1 : -1;
	if (a->is_rib != b->is_rib)
		return a->is_rib ? -1 : 1;
	return a->first_ts < b->first_ts ? -1 : a->first_ts > b->first_ts;
}

/* --- sending -------------------------------------------------------------------- */

static int
on_elem(const struct mrt_elem *e, void *arg)
{
	struct replay *rp = arg;
	struct mrt_elem copy = *e;
	int si = -1;

	if (e->type == MRT_ELEM_STATE)
		return 0;
	/* offsets are per file: the key of a record is both */
	copy.offset = (uint64_t)rp->fi << 44 | e->offset;
	if (e->mrt_type == MRT_TABLE_DUMP_V2) {
		if (e->peer_index < rp->npmap)
			si = rp->pmap[e->peer_index];
	} else if (e->peer != NULL) {
		si = sess_find(rp, e->peer);
	}
	if (si < 0 || e->prefix.afi == 0)
		return 0;
	if (e->prefix.afi != BGP_AFI_IPV4 && e->prefix.afi != BGP_AFI_IPV6)
		return 0;
	send_elem(&rp->s[si], rp->r, &copy);
	return 0;
}

static void
peer_table(struct replay *rp)
{
	uint32_t n, coll;
	const struct mrt_peer *pt = mrt_reader_peers(rp->r, &n, &coll);

	if (pt == rp->ptable && n == rp->npmap)
		return;
	free(rp->pmap);
	rp->pmap = malloc((n ? n : 1) * sizeof(*rp->pmap));
	rp->npmap = rp->pmap != NULL ? n : 0;
	for (uint32_t i = 0; i < rp->npmap; i++)
		rp->pmap[i] = sess_find(rp, &pt[i]);
	rp->ptable = pt;
}

static void
all_sent(struct replay *rp)
{
	uint64_t routes = 0, wd = 0, msgs = 0, merged = 0, unsent = 0;

	for (size_t i = 0; i < rp->ns; i++) {
		routes += rp->s[i].routes;
		wd += rp->s[i].withdrawals;
		msgs += rp->s[i].messages;
		merged += rp->s[i].merged;
		unsent += rp->s[i].unsent;
	}
	printf("sent: %llu routes and %llu withdrawals in %llu messages over "
	    "%zu sessions in %.3f s\n", (unsigned long long)routes,
	    (unsigned long long)wd, (unsigned long long)msgs, rp->ns,
	    (double)(now_ms(rp) - rp->t0_ms) / 1000.0);
	if (rp->bmp_bytes > 0)
		printf("sent: %llu bytes of BMP streams as they were\n",
		    (unsigned long long)rp->bmp_bytes);
	if (merged > 0)
		printf("note: %llu paths went without their path id (the "
		    "receiver does not take ADD-PATH)\n",
		    (unsigned long long)merged);
	if (unsent > 0)
		printf("note: %llu routes and withdrawals of a family the "
		    "receiver did not take were not sent\n",
		    (unsigned long long)unsent);
	fflush(stdout);
	rp->done = true;
	if (rp->exit_when_sent)
		uv_stop(rp->loop);
}

static void
pace_cb(uv_timer_t *t)
{
	pump(t->data);
}

static void
flush_all(struct replay *rp)
{
	for (size_t i = 0; i < rp->ns; i++) {
		pk_close(&rp->s[i]);
		flush_out(&rp->s[i]);
	}
}

/* Sends what can be sent now: until the unsent bytes pass the high
 * water mark, a record's time has not come (--speed), or all is read. */
static void
pump(struct replay *rp)
{
	struct mrt_record rec;
	unsigned batch = 0;

	if (rp->failed || rp->done || rp->up < rp->ns)
		return;
	if (rp->t0_ms == 0)
		rp->t0_ms = now_ms(rp);
	while (!rp->all_read && rp->npending < HIGH_WATER) {
		if (rp->fi < rp->nfiles && rp->files[rp->fi].is_bmp) {
			if (!rp->eor_sent) {
				for (size_t i = 0; i < rp->ns; i++)
					send_eor(&rp->s[i]);
				rp->eor_sent = true;
				flush_all(rp);
			}
			if (!bmp_pass(rp)) {
				if (rp->failed)
					return;
				rp->fi++;
			}
			continue;
		}
		if (rp->r == NULL) {
			if (rp->fi == rp->nfiles) {
				rp->all_read = true;
				break;
			}
			if (!rp->files[rp->fi].is_rib && !rp->eor_sent) {
				for (size_t i = 0; i < rp->ns; i++)
					send_eor(&rp->s[i]);
				rp->eor_sent = true;
			}
			if (!file_open(rp, rp->files[rp->fi].path)) {
				rp->failed = true;
				uv_stop(rp->loop);
				return;
			}
		}
		if (rp->have_held) {
			rec = rp->held;
			rp->have_held = false;
		} else if (mrt_reader_next(rp->r, &rec) != MRT_OK) {
			const char *err = mrt_reader_error(rp->r);

			if (err != NULL && err[0] != '\0')
				fprintf(stderr, "bgpsentry replay: %s: %s\n",
				    rp->files[rp->fi].path, err);
			file_close(rp);
			rp->fi++;
			continue;
		}
		if (rp->speed > 0 && !rp->files[rp->fi].is_rib) {
			uint64_t ts = (uint64_t)rec.ts * 1000u + rec.usec / 1000u;
			uint64_t now = now_ms(rp), due;

			if (rp->first_upd_ts == 0) {
				rp->first_upd_ts = ts;
				rp->upd_start_ms = now;
			}
			due = rp->upd_start_ms + (uint64_t)((double)(ts -
			    rp->first_upd_ts) / rp->speed);
			if (due > now) {
				/* the record waits (its bytes stay valid:
				 * nothing else is read meanwhile) */
				rp->held = rec;
				rp->have_held = true;
				flush_all(rp);
				uv_timer_start(&rp->pace, pace_cb, due - now, 0);
				return;
			}
		}
		if (rec.type == MRT_TABLE_DUMP_V2 && rec.subtype ==
		    MRT_V2_PEER_INDEX_TABLE) {
			mrt_reader_elems(rp->r, &rec, no_elem, NULL);
			peer_table(rp);
			continue;
		}
		mrt_reader_elems(rp->r, &rec, on_elem, rp);
		/* let the loop write and read between records */
		if (++batch == 4096)
			break;
	}
	flush_all(rp);
	if (rp->all_read && !rp->eor_sent) {
		for (size_t i = 0; i < rp->ns; i++)
			send_eor(&rp->s[i]);
		rp->eor_sent = true;
		flush_all(rp);
	}
	if (rp->all_read && rp->npending == 0 && !rp->done) {
		all_sent(rp);
		return;
	}
	if (!rp->all_read && rp->npending < HIGH_WATER)
		uv_timer_start(&rp->pace, pace_cb, 0, 0);
}

/* --- the command ---------------------------------------------------------------- */

static void
on_signal(uv_signal_t *h, int signum)
{
	struct replay *rp = h->data;

	(void)signum;
	uv_stop(rp->loop);
}

static void
open_wait_cb(uv_timer_t *t)
{
	struct replay *rp = t->data;

	if (rp->up < rp->ns)
		fail(rp, "%u of %zu sessions established after %d s", rp->up,
		    rp->ns, OPEN_WAIT_S);
}

static void
replay_usage(FILE *f)
{
	fprintf(f,
	    "usage: bgpsentry replay FILE.mrt... --bgp HOST:PORT [--peers K]\n"
	    "                        [--local-as N] [--speed X] [--exit]\n"
	    "       bgpsentry replay FILE... --bmp HOST:PORT [--peers K]\n"
	    "                        [--speed X] [--exit]\n"
	    "Opens a BGP session per MRT peer to HOST:PORT, each from its own\n"
	    "loopback address (127.0.0.10, .11, ...) and with that peer's AS\n"
	    "(or N), sends each peer's RIB from the dumps, End-of-RIB, then its\n"
	    "updates in time order, prints a line when everything is sent, and\n"
	    "keeps the sessions up until interrupted.\n"
	    "  --peers K      only the first K peers\n"
	    "  --speed X      updates at X times real time (default: as fast\n"
	    "                 as possible); RIB dumps always go at full speed\n"
	    "  --exit         stop once everything is sent\n"
	    "With --bmp, one connection to a BMP station, from 127.0.0.10: a\n"
	    "router whose monitored peers are the MRT peers (Initiation, a\n"
	    "Peer Up each, their routes as pre-policy route monitoring), then\n"
	    "raw BMP streams (FILE.bmp, as `capture` writes them) as they are.\n");
}

static bool
parse_to(const char *s, struct sockaddr_storage *to)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	unsigned long port;
	char *end;
	size_t hl;

	if (colon == NULL)
		return false;
	hl = (size_t)(colon - s);
	if (s[0] == '[' && hl >= 2 && s[hl - 1] == ']') {
		s++;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		return false;
	memcpy(host, s, hl);
	host[hl] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || port == 0 ||
	    port > 65535)
		return false;
	memset(to, 0, sizeof(*to));
	/* IPv4: the sessions come from 127.0.0.10 on */
	return uv_ip4_addr(host, (int)port, (struct sockaddr_in *)to) == 0;
}

int
cmd_replay(int argc, char **argv)
{
	struct replay rp;
	bool have_to = false;
	int rc = 0;

	memset(&rp, 0, sizeof(rp));
	rp.max_peers = UINT32_MAX;
	rp.files = calloc((size_t)argc, sizeof(*rp.files));
	if (rp.files == NULL)
		return EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (strcmp(a, "--help") == 0) {
			replay_usage(stdout);
			free(rp.files);
			return 0;
		} else if (strcmp(a, "--bgp") == 0 && v != NULL) {
			if (!parse_to(v, &rp.to)) {
				fprintf(stderr, "bgpsentry replay: --bgp: expected "
				    "IPV4-ADDRESS:PORT, got '%s'\n", v);
				goto usage;
			}
			have_to = true;
			i++;
		} else if (strcmp(a, "--bmp") == 0 && v != NULL) {
			if (!parse_to(v, &rp.to)) {
				fprintf(stderr, "bgpsentry replay: --bmp: expected "
				    "IPV4-ADDRESS:PORT, got '%s'\n", v);
				goto usage;
			}
			have_to = true;
			rp.bmp = true;
			i++;
		} else if (strcmp(a, "--peers") == 0 && v != NULL) {
			unsigned long k = strtoul(v, &end, 10);

			if (*end != '\0' || k == 0 || k > 65000) {
				fprintf(stderr, "bgpsentry replay: --peers: "
				    "expected 1 to 65000, got '%s'\n", v);
				goto usage;
			}
			rp.max_peers = (unsigned)k;
			i++;
		} else if (strcmp(a, "--local-as") == 0 && v != NULL) {
			unsigned long long n = strtoull(v, &end, 10);

			if (*end != '\0' || n == 0 || n > UINT32_MAX) {
				fprintf(stderr, "bgpsentry replay: --local-as: "
				    "expected an AS number, got '%s'\n", v);
				goto usage;
			}
			rp.local_as = (uint32_t)n;
			i++;
		} else if (strcmp(a, "--speed") == 0 && v != NULL) {
			rp.speed = strtod(v, &end);
			if (*end != '\0' || !(rp.speed > 0) || rp.speed > 1e6) {
				fprintf(stderr, "bgpsentry replay: --speed: "
				    "expected a number above 0, got '%s'\n", v);
				goto usage;
			}
			i++;
		} else if (strcmp(a, "--exit") == 0) {
			rp.exit_when_sent = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "bgpsentry replay: unknown option %s\n",
			    a);
			goto usage;
		} else {
			rp.files[rp.nfiles++].path = a;
		}
	}
	if (!have_to || rp.nfiles == 0)
		goto usage;
	if (!peek(&rp)) {
		rc = EXIT_USAGE;
		goto out;
	}
	qsort(rp.files, rp.nfiles, sizeof(*rp.files), by_kind_then_time);
	if (!scan(&rp) || !scan_v1(&rp)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (rp.ns == 0 && !rp.bmp) {
		fprintf(stderr, "bgpsentry replay: no peer in the files\n");
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	rp.loop = uv_default_loop();
	uv_timer_init(rp.loop, &rp.pace);
	uv_timer_init(rp.loop, &rp.open_wait);
	uv_signal_init(rp.loop, &rp.sigint);
	uv_signal_init(rp.loop, &rp.sigterm);
	rp.pace.data = rp.open_wait.data = rp.sigint.data = rp.sigterm.data =
	    &rp;
	uv_signal_start(&rp.sigint, on_signal, SIGINT);
	uv_signal_start(&rp.sigterm, on_signal, SIGTERM);
	uv_timer_start(&rp.open_wait, open_wait_cb, OPEN_WAIT_S * 1000u, 0);
	if (rp.bmp && !bmp_connect(&rp)) {
		rc = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < rp.ns && !rp.bmp; i++)
		if (!sess_connect(&rp, &rp.s[i])) {
			rc = EXIT_USAGE;
			goto out;
		}
	if (rp.bmp)
		printf("station: from 127.0.0.10, a router of %zu monitored "
		    "peers\n", rp.ns);
	for (size_t i = 0; i < rp.ns; i++) {
		char ip[INET6_ADDRSTRLEN];

		inet_ntop(rp.s[i].peer.afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET,
		    rp.s[i].peer.ip, ip, sizeof(ip));
		if (rp.bmp)
			printf("monitored peer: MRT peer %s AS%u\n", ip,
			    rp.s[i].peer.asn);
		else
			printf("session %s: MRT peer %s AS%u\n", rp.s[i].src, ip,
			    rp.s[i].peer.asn);
	}
	fflush(stdout);
	uv_run(rp.loop, UV_RUN_DEFAULT);
	rc = rp.failed ? EXIT_BAD_INPUT : 0;
	/* Cease / Administrative Shutdown to every receiver */
	for (size_t i = 0; i < rp.ns; i++) {
		struct rsess *s = &rp.s[i];
		uint8_t m[BGP_HEADER_LEN + 2];
		uv_buf_t b;

		if (!s->established || rp.bmp)
			continue;
		bgp_header_put(m, BGP_MSG_NOTIFICATION, sizeof(m));
		m[19] = 6;
		m[20] = 2;
		b = uv_buf_init((char *)m, sizeof(m));
		uv_try_write((uv_stream_t *)&s->tcp, &b, 1);
	}
out:
	for (size_t i = 0; i < rp.ns; i++) {
		bw_free(&rp.s[i].out);
		free(rp.s[i].rbuf);
		free(rp.s[i].enc);
		free(rp.s[i].raw);
	}
	if (rp.r != NULL)
		file_close(&rp);
	free(rp.s);
	free(rp.pmap);
	free(rp.files);
	return rc;
usage:
	replay_usage(stderr);
	free(rp.files);
	return EXIT_USAGE;
}
