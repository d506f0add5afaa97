/* A BMP station (feed_bmp.h). A router is what connects from an allowed
 * address; its monitored peers come with Peer Up, and each table a peer
 * is reported in (the per-peer header's type and flags) is a VP, made at
 * its first route. A router's peers and VPs are kept when it goes, so
 * that it finds them again when it reconnects. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "feed/feed_bmp.h"
#include "util/arena.h"
#include "util/json_out.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "wire/bmp.h"

#define READ_MIN	(64u * 1024)
#define READ_MAX	(2u * BMP_MSG_MAX)
#define ROUTERS_MAX	4096
#define STATS_KEPT	32		/* types of statistics kept per peer */

/* the table kinds a BMP peer can be reported in */
enum { T_IN_PRE, T_IN_POST, T_OUT_PRE, T_OUT_POST, T_LOC, T_KINDS };

static const uint8_t table_of[T_KINDS] = {
	RIB_TABLE_ADJ_IN_PRE, RIB_TABLE_ADJ_IN_POST, RIB_TABLE_ADJ_OUT_PRE,
	RIB_TABLE_ADJ_OUT_POST, RIB_TABLE_LOC_RIB,
};

struct feed_bmp;
struct router;

struct bstat {
	uint16_t	type;
	uint16_t	afi;
	uint8_t		safi;
	uint64_t	value;
	uint64_t	at_us;
};

/* A monitored peer of a router. */
struct mpeer {
	uint8_t			 type;		/* enum bmp_peer_type */
	uint8_t			 rd[8];
	uint8_t			 afi;
	uint8_t			 addr[16];
	uint32_t		 asn;
	uint32_t		 bgp_id;
	bool			 up;
	bool			 told;		/* route monitoring before
						 * peer up: logged once */
	uint8_t			 addpath_in;	/* from the OPENs */
	uint8_t			 addpath_out;
	uint32_t		 vp[T_KINDS];	/* UINT32_MAX: none yet */
	uint8_t			 down_reason;
	char			 table_name[64];	/* RFC 9069 TLV 3 */
	uint64_t		 since_us;
	struct bstat		 stats[STATS_KEPT];
	unsigned		 nstats;
};

struct router;

/* One TCP connection of a router. */
struct rconn {
	uv_tcp_t		 tcp;
	struct router		*r;		/* NULL once replaced */
	struct feed_bmp		*fb;
	int			 test_fd;	/* feed_bmp_input's other end */
};

struct router {
	struct feed_bmp		*fb;
	struct rconn		*conn;		/* NULL: not connected */
	uint8_t			 afi;
	uint8_t			 addr[16];
	char			 addr_str[INET6_ADDRSTRLEN];
	char			 sys_name[64];
	char			 sys_descr[256];
	uint8_t			*rbuf;
	size_t			 rlen;
	size_t			 rcap;
	FILE			*capture;
	struct mpeer		*peers;
	size_t			 npeers;
	size_t			 cap_peers;
	uv_timer_t		 stale;		/* keeps stale routes */
	uint64_t		 since_us;
	uint64_t		 msgs;
	uint64_t		 bytes;
	uint64_t		 errors;
	uint64_t		 connections;
	char			 last_error[256];
};

struct blisten {
	struct feed_bmp		*fb;
	uv_tcp_t		 tcp;
	struct feed_bgp_listen	 conf;
};

struct feed_bmp {
	struct feed_source	 base;
	char			 name[64];
	uv_loop_t		*loop;
	struct feed_bmp_allow	*allow;
	size_t			 nallow;
	uint32_t		 stale_s;
	char			*capture_dir;
	uint16_t		 vp_tags;
	bool			 restart;
	uint32_t		 restart_id;
	struct blisten		*listen;
	size_t			 nlisten;
	struct router		**routers;
	size_t			 nrouters;
	unsigned		 live;		/* handles not yet closed */
	bool			 stopped;
	bool			 freed;
	struct arena		 arena;		/* the BMP message's */
	struct arena		 bgp_arena;	/* the BGP message's in it */
	struct feed_events	 evs;
};

static struct feed_bmp *
to_bmp(struct feed_source *s)
{
	return (struct feed_bmp *)s;
}

static void
emit1(struct feed_bmp *fb, struct feed_event *ev)
{
	if (!fb->stopped)
		feed_emit_one(&fb->base, ev);
}

static void
fb_maybe_free(struct feed_bmp *fb)
{
	if (!fb->freed || fb->live > 0)
		return;
	for (size_t i = 0; i < fb->nrouters; i++) {
		free(fb->routers[i]->peers);
		free(fb->routers[i]->rbuf);
		free(fb->routers[i]);
	}
	free(fb->routers);
	free(fb->allow);
	free(fb->listen);
	free(fb->capture_dir);
	free(fb->evs.ev);
	arena_free(&fb->arena);
	arena_free(&fb->bgp_arena);
	free(fb);
}

/* --- VPs -------------------------------------------------------------------- */

static int
kind_of(const struct bmp_peer_hdr *h)
{
	if (h->type == BMP_PEER_LOC_RIB)
		return T_LOC;
	if (h->flags & BMP_F_O)
		return h->flags & BMP_F_L ? T_OUT_POST : T_OUT_PRE;
	return h->flags & BMP_F_L ? T_IN_POST : T_IN_PRE;
}

static struct mpeer *
mpeer_find(struct router *r, const struct bmp_peer_hdr *h, bool add)
{
	struct mpeer *p;

	for (size_t i = 0; i < r->npeers; i++) {
		p = &r->peers[i];
		if (p->type == h->type && p->afi == h->afi &&
		    p->asn == h->asn && memcmp(p->rd, h->rd, 8) == 0 &&
		    memcmp(p->addr, h->addr, 16) == 0)
			return p;
	}
	if (!add)
		return NULL;
	if (r->npeers == r->cap_peers) {
		size_t cap = r->cap_peers ? r->cap_peers * 2 : 8;
		struct mpeer *np = realloc(r->peers, cap * sizeof(*np));

		if (np == NULL)
			return NULL;
		r->peers = np;
		r->cap_peers = cap;
	}
	p = &r->peers[r->npeers++];
	memset(p, 0, sizeof(*p));
	p->type = h->type;
	memcpy(p->rd, h->rd, 8);
	p->afi = h->afi;
	memcpy(p->addr, h->addr, 16);
	p->asn = h->asn;
	p->bgp_id = h->bgp_id;
	for (int k = 0; k < T_KINDS; k++)
		p->vp[k] = UINT32_MAX;
	return p;
}

/* The VP of a peer's table, made (and up) at its first use. */
static uint32_t
vp_of(struct router *r, struct mpeer *p, int kind)
{
	struct feed_bmp *fb = r->fb;
	struct rib_vp t;
	char ip[INET6_ADDRSTRLEN];

	if (p->vp[kind] != UINT32_MAX)
		return p->vp[kind];
	memset(&t, 0, sizeof(t));
	t.source = fb->base.id;
	t.afi = p->afi;
	memcpy(t.addr, p->addr, 16);
	t.asn = p->asn;
	t.router_id = p->bgp_id;
	t.table = table_of[kind];
	t.tags = (uint16_t)(fb->vp_tags | RIB_TAG_OWN_ROUTER);
	inet_ntop(p->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, p->addr, ip,
	    sizeof(ip));
	/* "ROUTER PEER ASn", the router by its sysName (cut to fit) */
	if (p->type == BMP_PEER_LOC_RIB)
		snprintf(t.name, sizeof(t.name), "%.30s loc-rib %.20s",
		    r->sys_name[0] ? r->sys_name : r->addr_str,
		    p->table_name);
	else
		snprintf(t.name, sizeof(t.name), "%.12s %.39s AS%u",
		    r->sys_name[0] ? r->sys_name : r->addr_str, ip, p->asn);
	p->vp[kind] = rib_vp_add(fb->base.rib, &t);
	if (p->vp[kind] != UINT32_MAX) {
		struct feed_event ev = { .type = FEED_VP_UP, .vp = p->vp[kind] };

		emit1(fb, &ev);
	}
	return p->vp[kind];
}

/* Every VP of the peer that is up goes down (stale: its routes are
 * kept). */
static void
mpeer_down(struct feed_bmp *fb, struct mpeer *p, bool stale, const char *why)
{
	for (int k = 0; k < T_KINDS; k++) {
		struct feed_event ev = { .type = FEED_VP_DOWN, .vp = p->vp[k],
		    .keep_stale = stale, .error = why };
		const struct rib_vp *v = p->vp[k] != UINT32_MAX ?
		    rib_vp(fb->base.rib, p->vp[k]) : NULL;

		if (v != NULL && v->state == RIB_VP_UP)
			emit1(fb, &ev);
	}
	p->up = false;
	p->since_us = feed_now_us();
}

/* --- messages --------------------------------------------------------------- */

static void
router_error(struct router *r, const char *what, const char *why)
{
	r->errors++;
	r->fb->base.counters.malformed++;
	snprintf(r->last_error, sizeof(r->last_error), "%s: %s", what, why);
	log_warn("bmp bad message source=%s router=%s what=\"%s\" why=\"%s\"",
	    r->fb->name, r->addr_str, what, why);
}

static void
tlv_text(const struct bmp_msg *m, uint16_t type, char *out, size_t len)
{
	for (uint32_t i = 0; i < m->n_tlvs; i++)
		if (m->tlvs[i].type == type) {
			size_t n = m->tlvs[i].len < len - 1 ? m->tlvs[i].len :
			    len - 1;

			for (size_t k = 0; k < n; k++)
				out[k] = m->tlvs[i].value[k] >= 0x20 &&
				    m->tlvs[i].value[k] < 0x7f &&
				    m->tlvs[i].value[k] != '"' ?
				    (char)m->tlvs[i].value[k] : '?';
			out[n] = '\0';
			return;
		}
}

/* The OPENs of a peer up: which way path ids go (RFC 7911). */
static void
peer_up(struct router *r, const struct bmp_msg *m)
{
	struct feed_bmp *fb = r->fb;
	struct mpeer *p = mpeer_find(r, &m->peer, true);
	struct bgp_session none = { .ext_msg = true }, in, out;
	struct bgp_msg sent, recv;

	if (p == NULL)
		return;
	arena_reset(&fb->bgp_arena);
	if (bgp_msg_decode(m->sent_open, m->sent_open_len, &none,
	    &fb->bgp_arena, &sent) == BGP_ACT_SESSION_RESET ||
	    bgp_msg_decode(m->recv_open, m->recv_open_len, &none,
	    &fb->bgp_arena, &recv) == BGP_ACT_SESSION_RESET) {
		router_error(r, "peer up", "an OPEN does not parse");
		return;
	}
	/* routes from the peer: it sends, the router receives; routes to
	 * it the other way round */
	bgp_session_negotiate(&sent.u.open, &recv.u.open, &in);
	bgp_session_negotiate(&recv.u.open, &sent.u.open, &out);
	p->addpath_in = in.addpath_rx;
	p->addpath_out = out.addpath_rx;
	p->bgp_id = m->peer.bgp_id;
	/* a Loc-RIB instance names its table (RFC 9069 4.3) */
	tlv_text(m, 3, p->table_name, sizeof(p->table_name));
	p->up = true;
	p->since_us = feed_now_us();
	for (int k = 0; k < T_KINDS; k++) {
		struct feed_event ev = { .type = FEED_VP_UP, .vp = p->vp[k] };

		if (p->vp[k] != UINT32_MAX)
			emit1(fb, &ev);
	}
	log_info("bmp peer up source=%s router=%s peer_asn=%u type=%s",
	    fb->name, r->addr_str, p->asn, bmp_peer_type_name(p->type) ?
	    bmp_peer_type_name(p->type) : "?");
}

static void
route_monitoring(struct router *r, const struct bmp_msg *m)
{
	struct feed_bmp *fb = r->fb;
	struct mpeer *p = mpeer_find(r, &m->peer, true);
	int kind = kind_of(&m->peer);
	struct bgp_session s = { .ext_msg = true };
	enum bgp_action act;
	struct bgp_msg msg;
	uint8_t *ap;
	uint16_t afi;
	uint8_t safi;
	uint32_t vp;

	if (p == NULL)
		return;
	if (!p->up && !p->told) {
		/* RFC 7854 4.3 wants a peer up first; the routes are taken,
		 * the router told of */
		p->told = true;
		router_error(r, "route monitoring", "before the peer's peer "
		    "up");
	}
	if ((vp = vp_of(r, p, kind)) == UINT32_MAX)
		return;
	s.as4 = (m->peer.flags & BMP_F_A) == 0 || kind == T_LOC;
	ap = kind == T_OUT_PRE || kind == T_OUT_POST ? &p->addpath_out :
	    &p->addpath_in;
	s.addpath_rx = *ap;
	arena_reset(&fb->bgp_arena);
	act = bgp_msg_decode(m->bgp, m->bgp_len, &s, &fb->bgp_arena, &msg);
	if (act == BGP_ACT_SESSION_RESET) {
		/* Routers differ on path ids in route monitoring: some leave
		 * them out though the OPENs negotiated ADD-PATH (FRR 8), and
		 * the other way round. The other reading, if it parses, is
		 * the peer's from now on (as the MRT reader guesses). */
		s.addpath_rx = *ap != 0 ? 0 : (uint8_t)(1u <<
		    BGP_FAM_IPV4_UNICAST | 1u << BGP_FAM_IPV6_UNICAST);
		arena_reset(&fb->bgp_arena);
		act = bgp_msg_decode(m->bgp, m->bgp_len, &s, &fb->bgp_arena,
		    &msg);
		if (act != BGP_ACT_SESSION_RESET) {
			log_info("bmp path ids source=%s router=%s peer_asn=%u "
			    "table=%s: route monitoring %s them, not as its "
			    "OPENs say", fb->name, r->addr_str, p->asn,
			    rib_table_name((enum rib_table_kind)table_of[kind]),
			    s.addpath_rx ? "carries" : "leaves out");
			*ap = s.addpath_rx;
		} else {
			s.addpath_rx = *ap;
			arena_reset(&fb->bgp_arena);
			act = bgp_msg_decode(m->bgp, m->bgp_len, &s,
			    &fb->bgp_arena, &msg);
		}
	}
	if (msg.prob.total > 0)
		router_error(r, "route monitoring UPDATE", bgp_reason_info(
		    msg.prob.n > 0 ? msg.prob.p[0].reason : BGP_R_NONE)->name);
	if (act == BGP_ACT_SESSION_RESET)
		return;			/* nothing usable in it */
	if (act == BGP_ACT_NONE && bgp_update_is_eor(&msg.u.update, &afi,
	    &safi)) {
		struct feed_event ev = { .type = FEED_EOR, .vp = vp,
		    .afi = afi, .safi = safi };

		emit1(fb, &ev);
		return;
	}
	fb->evs.n = 0;
	/* a router whose clock is not set stamps 0: now */
	if (!feed_update_events(&fb->evs, &msg.u.update, (uint8_t)act,
	    fb->base.id, vp, m->peer.ts_sec == 0 ? feed_now_us() :
	    (uint64_t)m->peer.ts_sec * 1000000u + m->peer.ts_usec,
	    FEED_FAM_IPV4 | FEED_FAM_IPV6, &fb->base.counters)) {
		router_error(r, "route monitoring", "out of memory");
		return;
	}
	if (fb->evs.n > 0 && !fb->stopped)
		feed_emit(&fb->base, fb->evs.ev, fb->evs.n);
}

static void
statistics(struct router *r, const struct bmp_msg *m)
{
	struct mpeer *p = mpeer_find(r, &m->peer, true);
	uint64_t now = feed_now_us();

	if (p == NULL)
		return;
	for (uint32_t i = 0; i < m->n_stats; i++) {
		const struct bmp_stat *s = &m->stats[i];
		unsigned k;

		if (!s->known)
			continue;
		for (k = 0; k < p->nstats; k++)
			if (p->stats[k].type == s->type &&
			    p->stats[k].afi == s->afi &&
			    p->stats[k].safi == s->safi)
				break;
		if (k == p->nstats) {
			if (p->nstats == STATS_KEPT)
				continue;
			p->nstats++;
		}
		p->stats[k].type = s->type;
		p->stats[k].afi = s->afi;
		p->stats[k].safi = s->safi;
		p->stats[k].value = s->value;
		p->stats[k].at_us = now;
	}
}

static void
on_message(struct router *r, const uint8_t *buf, size_t len)
{
	struct feed_bmp *fb = r->fb;
	const char *why = NULL;
	struct bmp_msg m;
	struct mpeer *p;

	r->msgs++;
	arena_reset(&fb->arena);
	if (!bmp_decode(buf, len, &fb->arena, &m, &why)) {
		router_error(r, bmp_type_name(buf[5]) ? bmp_type_name(buf[5]) :
		    "message", why);
		return;
	}
	switch (m.type) {
	case BMP_INITIATION:
		tlv_text(&m, 2, r->sys_name, sizeof(r->sys_name));
		tlv_text(&m, 1, r->sys_descr, sizeof(r->sys_descr));
		log_info("bmp router up source=%s router=%s sys_name=\"%s\"",
		    fb->name, r->addr_str, r->sys_name);
		break;
	case BMP_TERMINATION:
		log_info("bmp router terminates source=%s router=%s",
		    fb->name, r->addr_str);
		break;
	case BMP_PEER_UP:
		peer_up(r, &m);
		break;
	case BMP_PEER_DOWN:
		if ((p = mpeer_find(r, &m.peer, false)) != NULL) {
			p->down_reason = m.reason;
			mpeer_down(fb, p, false, bmp_down_reason_name(
			    m.reason) ? bmp_down_reason_name(m.reason) :
			    "peer down");
		}
		break;
	case BMP_ROUTE_MONITORING:
		route_monitoring(r, &m);
		break;
	case BMP_STATISTICS:
		statistics(r, &m);
		break;
	default:
		break;			/* mirroring, later types: counted */
	}
}

/* --- connections -------------------------------------------------------------- */

static void
stale_over(uv_timer_t *t)
{
	struct router *r = t->data;

	for (size_t i = 0; i < r->npeers; i++) {
		struct mpeer *p = &r->peers[i];

		for (int k = 0; k < T_KINDS; k++) {
			struct feed_event ev = { .type = r->conn != NULL ?
			    FEED_FLUSH_STALE : FEED_VP_DOWN, .vp = p->vp[k],
			    .error = "stale time over" };

			if (p->vp[k] != UINT32_MAX)
				emit1(r->fb, &ev);
		}
	}
}

static void	router_close(struct router *r, const char *why);

static void
input(struct router *r)
{
	size_t off = 0;

	while (off < r->rlen && r->conn != NULL) {
		const char *why = NULL;
		long n = bmp_frame(r->rbuf + off, r->rlen - off, &why);

		if (n == 0)
			break;
		if (n < 0) {
			/* nothing after it can be framed: the connection
			 * goes */
			router_error(r, "stream", why);
			router_close(r, why);
			return;
		}
		on_message(r, r->rbuf + off, (size_t)n);
		off += (size_t)n;
	}
	memmove(r->rbuf, r->rbuf + off, r->rlen - off);
	r->rlen -= off;
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct rconn *c = s->data;
	struct router *r = c->r;

	(void)b;
	if (r == NULL)
		return;
	if (nread < 0) {
		router_close(r, nread == UV_EOF ? "closed by the router" :
		    uv_strerror((int)nread));
		return;
	}
	if (r->capture != NULL && nread > 0 &&
	    fwrite(r->rbuf + r->rlen, 1, (size_t)nread, r->capture) !=
	    (size_t)nread) {
		log_warn("bmp capture write failed source=%s router=%s",
		    r->fb->name, r->addr_str);
		fclose(r->capture);
		r->capture = NULL;
	}
	r->bytes += (uint64_t)nread;
	r->rlen += (size_t)nread;
	input(r);
}

static bool
room(struct router *r, size_t want)
{
	if (r->rcap - r->rlen < want && r->rcap < READ_MAX) {
		size_t cap = r->rcap ? r->rcap * 2 : READ_MIN;
		uint8_t *nb;

		while (cap - r->rlen < want && cap < READ_MAX)
			cap *= 2;
		if (cap > READ_MAX)
			cap = READ_MAX;
		if ((nb = realloc(r->rbuf, cap)) == NULL)
			return false;
		r->rbuf = nb;
		r->rcap = cap;
	}
	return r->rcap - r->rlen >= want;
}

static void
on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct rconn *c = h->data;
	struct router *r = c->r;

	(void)hint;
	if (r == NULL) {
		*b = uv_buf_init(NULL, 0);
		return;
	}
	room(r, 16384);
	*b = uv_buf_init((char *)r->rbuf + r->rlen,
	    (unsigned)(r->rcap - r->rlen));
}

static void
conn_closed(uv_handle_t *h)
{
	struct rconn *c = h->data;
	struct feed_bmp *fb = c->fb;

	if (c->test_fd >= 0)
		close(c->test_fd);
	free(c);
	fb->live--;
	fb_maybe_free(fb);
}

static void
conn_close(struct rconn *c)
{
	if (c->r != NULL && c->r->conn == c)
		c->r->conn = NULL;
	c->r = NULL;
	uv_close((uv_handle_t *)&c->tcp, conn_closed);
}

/* The connection goes; the router's peers go down, or stay stale for
 * stale_s. */
static void
router_close(struct router *r, const char *why)
{
	struct feed_bmp *fb = r->fb;
	bool stale = fb->stale_s > 0 && !fb->stopped;

	if (r->conn == NULL)
		return;
	snprintf(r->last_error, sizeof(r->last_error), "%s", why);
	log_warn("bmp router down source=%s router=%s why=\"%s\" stale_s=%u",
	    fb->name, r->addr_str, why, stale ? fb->stale_s : 0);
	for (size_t i = 0; i < r->npeers; i++)
		mpeer_down(fb, &r->peers[i], stale, why);
	if (stale)
		uv_timer_start(&r->stale, stale_over, (uint64_t)fb->stale_s *
		    1000u, 0);
	if (r->capture != NULL) {
		fclose(r->capture);
		r->capture = NULL;
	}
	r->since_us = feed_now_us();
	conn_close(r->conn);
}

static bool
allowed(const struct feed_bmp *fb, uint8_t afi, const uint8_t *addr)
{
	for (size_t i = 0; i < fb->nallow; i++) {
		const struct feed_bmp_allow *a = &fb->allow[i];
		unsigned full = a->plen / 8, rest = a->plen % 8;

		if (a->afi != afi || memcmp(a->addr, addr, full) != 0)
			continue;
		if (rest == 0 || ((a->addr[full] ^ addr[full]) &
		    (uint8_t)(0xff00u >> rest)) == 0)
			return true;
	}
	return false;
}

static struct router *
router_get(struct feed_bmp *fb, uint8_t afi, const uint8_t *addr)
{
	struct router *r, **nr;

	for (size_t i = 0; i < fb->nrouters; i++)
		if (fb->routers[i]->afi == afi &&
		    memcmp(fb->routers[i]->addr, addr, 16) == 0)
			return fb->routers[i];
	if (fb->nrouters >= ROUTERS_MAX ||
	    (r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((nr = realloc(fb->routers, (fb->nrouters + 1) * sizeof(*nr))) ==
	    NULL) {
		free(r);
		return NULL;
	}
	fb->routers = nr;
	r->fb = fb;
	r->afi = afi;
	memcpy(r->addr, addr, 16);
	inet_ntop(afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, addr, r->addr_str,
	    sizeof(r->addr_str));
	uv_timer_init(fb->loop, &r->stale);
	r->stale.data = r;
	fb->live++;
	fb->routers[fb->nrouters++] = r;
	return r;
}

static void
capture_open(struct router *r)
{
	struct feed_bmp *fb = r->fb;
	char path[1024];

	if (fb->capture_dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s-%llu.bmp", fb->capture_dir,
	    r->addr_str, (unsigned long long)(feed_now_us() / 1000000u));
	if ((r->capture = fopen(path, "ab")) == NULL)
		log_warn("bmp capture cannot open source=%s router=%s path=%s "
		    "error=\"%s\"", fb->name, r->addr_str, path,
		    strerror(errno));
}

/* The router's new connection c (a second one replaces the first). */
static void
router_attach(struct router *r, struct rconn *c)
{
	struct feed_bmp *fb = r->fb;

	if (r->conn != NULL)
		router_close(r, "the router connected again");
	c->r = r;
	r->conn = c;
	r->rlen = 0;
	r->connections++;
	r->since_us = feed_now_us();
	r->last_error[0] = '\0';
	capture_open(r);
	/* its stale routes wait for its tables again, stale_s at most */
	if (uv_is_active((uv_handle_t *)&r->stale))
		uv_timer_start(&r->stale, stale_over, (uint64_t)fb->stale_s *
		    1000u, 0);
	log_info("bmp router connected source=%s router=%s", fb->name,
	    r->addr_str);
}

static struct rconn *
conn_new(struct feed_bmp *fb)
{
	struct rconn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->fb = fb;
	c->test_fd = -1;
	uv_tcp_init(fb->loop, &c->tcp);
	c->tcp.data = c;
	fb->live++;
	return c;
}

static void
on_accept(uv_stream_t *server, int status)
{
	struct blisten *l = server->data;
	struct feed_bmp *fb = l->fb;
	struct sockaddr_storage ss;
	int sl = sizeof(ss);
	struct rconn *c;
	struct router *r;
	char ip[INET6_ADDRSTRLEN] = "?";
	uint8_t afi, addr[16];

	if (status != 0 || fb->stopped || (c = conn_new(fb)) == NULL)
		return;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &sl) != 0) {
		conn_close(c);
		return;
	}
	memset(addr, 0, sizeof(addr));
	if (ss.ss_family == AF_INET) {
		afi = BGP_AFI_IPV4;
		memcpy(addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	} else {
		afi = BGP_AFI_IPV6;
		memcpy(addr, ((struct sockaddr_in6 *)&ss)->sin6_addr.s6_addr,
		    16);
		if (IN6_IS_ADDR_V4MAPPED((struct in6_addr *)addr)) {
			afi = BGP_AFI_IPV4;
			memmove(addr, addr + 12, 4);
			memset(addr + 4, 0, 12);
		}
	}
	inet_ntop(afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, addr, ip,
	    sizeof(ip));
	if (!allowed(fb, afi, addr) || (r = router_get(fb, afi, addr)) ==
	    NULL) {
		log_warn("bmp connection refused source=%s router=%s "
		    "why=\"not an allowed router address\"", fb->name, ip);
		conn_close(c);
		return;
	}
	router_attach(r, c);
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
		router_close(r, "cannot read");
}

/* --- the source ------------------------------------------------------------------ */

static int
bmp_start(struct feed_source *s)
{
	struct feed_bmp *fb = to_bmp(s);
	char err[256];

	s->id = fb->restart ? fb->restart_id : rib_source_add(s->rib, "bmp",
	    fb->name);
	if (s->id == UINT32_MAX)
		return -1;
	for (size_t i = 0; i < fb->nlisten; i++) {
		struct blisten *l = &fb->listen[i];
		bool inited = false;
		int rc;

		l->tcp.data = l;
		rc = feed_listen(fb->loop, &l->tcp, &l->conf, on_accept, &inited,
		    err, sizeof(err));
		if (inited) {
			l->fb = fb;
			fb->live++;
		}
		if (rc != 0) {
			rib_source_state(s->rib, s->id, RIB_SRC_DOWN, feed_now_us(),
			    err);
			return -1;
		}
	}
	{
		struct feed_event ev = { .type = FEED_SOURCE_STATE,
		    .state = RIB_SRC_UP, .error = "" };

		emit1(fb, &ev);
	}
	log_info("bmp station up source=%s listeners=%zu", fb->name,
	    fb->nlisten);
	return 0;
}

static uint64_t
bmp_poll(struct feed_source *s, uint64_t now)
{
	(void)s;
	return now + 3600u * 1000000u;
}

static void
bmp_stop(struct feed_source *s)
{
	struct feed_bmp *fb = to_bmp(s);

	if (fb->stopped)
		return;
	/* no event from here: the daemon takes the VPs down itself */
	fb->stopped = true;
	for (size_t i = 0; i < fb->nrouters; i++) {
		uv_timer_stop(&fb->routers[i]->stale);
		if (fb->routers[i]->conn != NULL)
			router_close(fb->routers[i], "source stopped");
	}
}

static void
listen_closed(uv_handle_t *h)
{
	struct blisten *l = h->data;

	l->fb->live--;
	fb_maybe_free(l->fb);
}

static void
stale_closed(uv_handle_t *h)
{
	struct router *r = h->data;

	r->fb->live--;
	fb_maybe_free(r->fb);
}

static void
bmp_free(struct feed_source *s)
{
	struct feed_bmp *fb = to_bmp(s);

	bmp_stop(s);
	fb->freed = true;
	for (size_t i = 0; i < fb->nrouters; i++)
		uv_close((uv_handle_t *)&fb->routers[i]->stale, stale_closed);
	for (size_t i = 0; i < fb->nlisten; i++)
		if (fb->listen[i].fb != NULL)
			uv_close((uv_handle_t *)&fb->listen[i].tcp,
			    listen_closed);
	fb_maybe_free(fb);
}

static const struct feed_ops bmp_ops = {
	.kind = "bmp",
	.start = bmp_start,
	.poll = bmp_poll,
	.stop = bmp_stop,
	.free = bmp_free,
};

struct feed_source *
feed_bmp_new(struct rib *r, const struct feed_bmp_config *c,
    feed_sink_fn sink, void *sink_arg)
{
	struct feed_bmp *fb = calloc(1, sizeof(*fb));

	if (fb == NULL)
		return NULL;
	feed_source_init(&fb->base, &bmp_ops, r, sink, sink_arg);
	snprintf(fb->name, sizeof(fb->name), "%s", c->name);
	fb->loop = c->loop;
	fb->stale_s = c->stale_s;
	fb->vp_tags = c->vp_tags;
	fb->restart = c->restart;
	fb->restart_id = c->source_id;
	arena_init(&fb->arena, 64 * 1024);
	arena_init(&fb->bgp_arena, 64 * 1024);
	fb->allow = calloc(c->nallow ? c->nallow : 1, sizeof(*fb->allow));
	fb->listen = calloc(c->nlisten ? c->nlisten : 1, sizeof(*fb->listen));
	fb->capture_dir = c->capture_dir ? strdup(c->capture_dir) : NULL;
	if (fb->allow == NULL || fb->listen == NULL ||
	    (c->capture_dir != NULL && fb->capture_dir == NULL)) {
		fb->freed = true;
		fb_maybe_free(fb);
		return NULL;
	}
	if (c->nallow > 0)
		memcpy(fb->allow, c->allow, c->nallow * sizeof(*fb->allow));
	fb->nallow = c->nallow;
	for (size_t i = 0; i < c->nlisten; i++)
		fb->listen[i].conf = c->listen[i];
	fb->nlisten = c->nlisten;
	return &fb->base;
}

/* --- what the API shows ----------------------------------------------------- */

void
feed_bmp_routers_json(struct feed_source *s, struct jw *j, uint64_t now)
{
	struct feed_bmp *fb = to_bmp(s);

	for (size_t i = 0; i < fb->nrouters; i++) {
		const struct router *r = fb->routers[i];

		jw_obj_begin(j);
		jw_kstr(j, "source", fb->name);
		jw_kstr(j, "address", r->addr_str);
		jw_kstr(j, "state", r->conn != NULL ? "up" : "down");
		jw_ku64(j, "state_for_s", now > r->since_us ?
		    (now - r->since_us) / 1000000u : 0);
		jw_kstr(j, "sys_name", r->sys_name);
		jw_kstr(j, "sys_descr", r->sys_descr);
		jw_ku64(j, "connections", r->connections);
		jw_ku64(j, "messages", r->msgs);
		jw_ku64(j, "bytes", r->bytes);
		jw_ku64(j, "errors", r->errors);
		jw_kstr(j, "last_error", r->last_error);
		jw_key(j, "peers");
		jw_arr_begin(j);
		for (size_t k = 0; k < r->npeers; k++) {
			const struct mpeer *p = &r->peers[k];
			char ip[INET6_ADDRSTRLEN];

			inet_ntop(p->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET,
			    p->addr, ip, sizeof(ip));
			jw_obj_begin(j);
			jw_kstr(j, "type", bmp_peer_type_name(p->type) ?
			    bmp_peer_type_name(p->type) : "?");
			jw_khex(j, "rd", p->rd, 8);
			jw_kstr(j, "address", ip);
			jw_ku64(j, "asn", p->asn);
			if (p->table_name[0] != '\0')
				jw_kstr(j, "table_name", p->table_name);
			jw_kbool(j, "up", p->up);
			jw_key(j, "tables");
			jw_arr_begin(j);
			for (int t = 0; t < T_KINDS; t++) {
				const struct rib_vp *v;

				if (p->vp[t] == UINT32_MAX || (v = rib_vp(
				    fb->base.rib, p->vp[t])) == NULL)
					continue;
				jw_obj_begin(j);
				jw_kstr(j, "table", rib_table_name(
				    (enum rib_table_kind)table_of[t]));
				jw_ku64(j, "vp", p->vp[t]);
				jw_ku64(j, "routes_v4", v->routes[0]);
				jw_ku64(j, "routes_v6", v->routes[1]);
				jw_obj_end(j);
			}
			jw_arr_end(j);
			jw_key(j, "stats");
			jw_arr_begin(j);
			for (unsigned n = 0; n < p->nstats; n++) {
				const struct bstat *st = &p->stats[n];

				jw_obj_begin(j);
				jw_ku64(j, "type", st->type);
				if (bmp_stat_name(st->type) != NULL)
					jw_kstr(j, "name",
					    bmp_stat_name(st->type));
				if (st->afi != 0) {
					jw_ku64(j, "afi", st->afi);
					jw_ku64(j, "safi", st->safi);
				}
				jw_ku64(j, "value", st->value);
				jw_ku64(j, "age_s", now > st->at_us ?
				    (now - st->at_us) / 1000000u : 0);
				jw_obj_end(j);
			}
			jw_arr_end(j);
			jw_obj_end(j);
		}
		jw_arr_end(j);
		jw_obj_end(j);
	}
}

void
feed_bmp_routers_text(struct feed_source *s, struct strbuf *out, uint64_t now)
{
	struct feed_bmp *fb = to_bmp(s);

	for (size_t i = 0; i < fb->nrouters; i++) {
		const struct router *r = fb->routers[i];
		size_t up = 0;

		for (size_t k = 0; k < r->npeers; k++)
			up += r->peers[k].up;
		sb_printf(out, "%s router %s %s for %llus  %s  peers %zu/%zu up"
		    "  messages %llu  errors %llu%s%s\n", fb->name, r->addr_str,
		    r->conn != NULL ? "up" : "down", (unsigned long long)(now >
		    r->since_us ? (now - r->since_us) / 1000000u : 0),
		    r->sys_name[0] ? r->sys_name : "-", up, r->npeers,
		    (unsigned long long)r->msgs, (unsigned long long)r->errors,
		    r->last_error[0] ? "  last error: " : "", r->last_error);
		for (size_t k = 0; k < r->npeers; k++) {
			const struct mpeer *p = &r->peers[k];
			char ip[INET6_ADDRSTRLEN];

			inet_ntop(p->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET,
			    p->addr, ip, sizeof(ip));
			sb_printf(out, "  %-7s %-26s AS%-10u %-4s", bmp_peer_type_name(
			    p->type) ? bmp_peer_type_name(p->type) : "?", ip,
			    p->asn, p->up ? "up" : "down");
			for (int t = 0; t < T_KINDS; t++) {
				const struct rib_vp *v;

				if (p->vp[t] == UINT32_MAX || (v = rib_vp(
				    fb->base.rib, p->vp[t])) == NULL)
					continue;
				sb_printf(out, "  %s %llu", rib_table_name(
				    (enum rib_table_kind)table_of[t]),
				    (unsigned long long)(v->routes[0] +
				    v->routes[1]));
			}
			if (p->table_name[0] != '\0')
				sb_printf(out, "  table %s", p->table_name);
			sb_putc(out, '\n');
			for (unsigned n = 0; n < p->nstats; n++)
				sb_printf(out, "%s%s %llu%s", n == 0 ?
				    "    stats: " : ", ",
				    bmp_stat_name(p->stats[n].type) ?
				    bmp_stat_name(p->stats[n].type) : "?",
				    (unsigned long long)p->stats[n].value,
				    n + 1 == p->nstats ? "\n" : "");
		}
	}
}

/* --- for tests and fuzzing ------------------------------------------------- */

bool
feed_bmp_input(struct feed_source *s, const char *router, const uint8_t *data,
    size_t len)
{
	struct feed_bmp *fb = to_bmp(s);
	uint8_t addr[16] = { 0 }, afi = BGP_AFI_IPV4;
	struct router *r;
	struct rconn *c;
	int sv[2];

	if (inet_pton(AF_INET, router, addr) != 1) {
		afi = BGP_AFI_IPV6;
		if (inet_pton(AF_INET6, router, addr) != 1)
			return false;
	}
	if (fb->stopped || !allowed(fb, afi, addr) ||
	    (r = router_get(fb, afi, addr)) == NULL)
		return false;
	if (r->conn == NULL) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) != 0)
			return false;
		if ((c = conn_new(fb)) == NULL) {
			close(sv[0]);
			close(sv[1]);
			return false;
		}
		c->test_fd = sv[1];
		if (uv_tcp_open(&c->tcp, sv[0]) != 0) {
			close(sv[0]);
			conn_close(c);
			return false;
		}
		router_attach(r, c);
	}
	if (len == 0)
		return true;
	if (!room(r, len))
		return false;
	memcpy(r->rbuf + r->rlen, data, len);
	r->rlen += len;
	r->bytes += len;
	input(r);
	return true;
}
