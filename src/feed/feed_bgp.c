/* BGP sessions as a source (feed_bgp.h). A peer is what the
 * configuration names (an address, or one address of a range that has
 * connected); a connection is one TCP session with its RFC 4271 state.
 * A peer may have two connections at once, one it opened and one we
 * opened, until collision detection (RFC 4271 6.8) keeps one. The
 * established connection's routes are the peer's VP. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "feed/feed_bgp.h"
#include "util/arena.h"
#include "util/bwriter.h"
#include "util/json_out.h"
#include "util/log.h"
#include "util/strbuf.h"

#define OPEN_HOLD_S		240	/* until the OPEN (RFC 4271 8) */
#define CONNECT_S		30	/* for TCP to connect */
#define RETRY_MAX_S		60
#define GR_RESTART_S		120	/* what we announce */
#define GR_STALE_S		360	/* stale routes wait for End-of-RIB */
#define READ_MIN		(32u * 1024)
#define READ_MAX		(2u * BGP_MAX_EXT_MSG_LEN + 1024)
#define DYNAMIC_MAX		65536	/* peers of ranges, per source */

/* RFC 4271 8.2.2 */
enum bst { BS_IDLE, BS_CONNECT, BS_ACTIVE, BS_OPENSENT, BS_OPENCONFIRM,
	BS_ESTABLISHED };

static const char *const bst_names[] = { "idle", "connect", "active",
	"opensent", "openconfirm", "established" };

/* NOTIFICATION codes (RFC 4271 4.5, RFC 4486, RFC 6608) */
#define N_HEADER	1
#define N_OPEN		2
#define N_UPDATE	3
#define N_HOLD		4
#define N_FSM		5
#define N_CEASE		6
#define N_OPEN_BAD_AS		2
#define N_OPEN_BAD_ID		3
#define N_CEASE_MAXPFX		1
#define N_CEASE_SHUTDOWN	2
#define N_CEASE_RESET		4
#define N_CEASE_REJECTED	5
#define N_CEASE_COLLISION	7

struct feed_bgp;
struct bpeer;

struct bconn {
	struct feed_bgp		*fb;
	struct bpeer		*peer;
	uv_tcp_t		 tcp;
	uv_timer_t		 timer;		/* hold and keepalive */
	uv_connect_t		 creq;
	unsigned		 open_handles;
	bool			 outgoing;
	bool			 closing;
	uint8_t			 state;		/* enum bst */
	uint8_t			*rbuf;
	size_t			 rlen;
	size_t			 rcap;
	int			 test_fd;	/* feed_bgp_input's other end */
	uint64_t		 last_rx_ms;
	uint64_t		 last_tx_ms;
	uint16_t		 hold_s;	/* negotiated; 0: none */
	struct bgp_session	 sess;
	uint32_t		 remote_id;
	uint32_t		 remote_as;
	uint8_t			 families;	/* negotiated, FEED_BGP_ */
	bool			 route_refresh;	/* the peer takes it */
	bool			 gr;		/* the peer sent GR */
	uint16_t		 gr_time;	/* its restart time */
	uint8_t			 gr_fams;	/* families whose
						 * forwarding state it kept
						 * (F bit): their stale
						 * routes wait for EoR */
	uint8_t			 gr_any;	/* families in its GR cap:
						 * kept if it goes away */
	struct bconn		*next;		/* the peer's, or pending */
};

struct bpeer {
	struct feed_bgp			*fb;
	struct feed_bgp_peer_conf	 conf;	/* strings owned */
	bool				 dynamic;	/* of a range */
	uint8_t				 afi;
	uint8_t				 addr[16];
	char				 addr_str[INET6_ADDRSTRLEN];
	uint32_t			 vp;	/* UINT32_MAX: none yet */
	struct bconn			*conns;	/* at most one each way */
	struct bconn			*est;	/* established */
	uv_timer_t			 retry;	/* connect, max-prefix */
	uv_timer_t			 gr_timer; /* restart, stale */
	unsigned			 open_handles;
	unsigned			 failures;	/* in a row */
	bool				 held_down;	/* max prefixes */
	bool				 warned_max;
	uint8_t				 stale;	/* families whose routes
						 * are kept stale (GR) */
	uint64_t			 since_us;	/* of the state */
	uint64_t			 msgs_in;
	uint64_t			 msgs_out;
	uint64_t			 updates_in;
	uint64_t			 notif_in;
	uint64_t			 notif_out;
	uint64_t			 established;	/* times */
	uint64_t			 malformed;
	char				 last_error[256];
	/* what the last established session negotiated */
	uint32_t			 remote_as;
	uint32_t			 remote_id;
	uint16_t			 hold_s;
	uint8_t				 families;
	uint8_t				 addpath;
	bool				 as4;
	bool				 route_refresh;
	bool				 gr;
};

struct blisten {
	struct feed_bgp		*fb;
	uv_tcp_t		 tcp;
	struct feed_bgp_listen	 conf;
};

struct feed_bgp {
	struct feed_source	 base;
	char			 name[64];
	uv_loop_t		*loop;
	uint32_t		 local_as;
	uint32_t		 router_id;
	uint32_t		 retry_s;
	uint16_t		 vp_tags;
	bool			 restart;
	uint32_t		 restart_id;
	struct feed_bgp_peer_conf *confs;	/* owned copies */
	size_t			 nconfs;
	struct bpeer		**peers;
	size_t			 npeers;
	size_t			 cap_peers;
	size_t			 ndynamic;
	struct blisten		*listen;
	size_t			 nlisten;
	struct bconn		*pending;	/* accepted, no peer yet */
	unsigned		 live;		/* objects with open handles */
	bool			 stopped;
	bool			 freed;
	struct arena		 arena;		/* per message */
	struct feed_events	 evs;		/* of one UPDATE */
};

static struct feed_bgp *
to_bgp(struct feed_source *s)
{
	return (struct feed_bgp *)s;
}

static void	conn_close(struct bconn *c, const char *why);
static void	peer_session_down(struct bpeer *p, struct bconn *c,
		    const char *why, bool notification);
static void	peer_schedule_connect(struct bpeer *p);
static void	fb_maybe_free(struct feed_bgp *fb);

/* --- events ---------------------------------------------------------------- */

static void
emit1(struct feed_bgp *fb, struct feed_event *ev)
{
	if (!fb->stopped)
		feed_emit_one(&fb->base, ev);
}

static void
set_state(struct feed_bgp *fb, enum rib_source_state st, const char *err)
{
	struct feed_event ev = { .type = FEED_SOURCE_STATE,
	    .state = (uint8_t)st, .error = err };

	emit1(fb, &ev);
}

/* --- sending --------------------------------------------------------------- */

struct wreq {
	uv_write_t	req;
	uint8_t		data[];
};

static void
write_done(uv_write_t *req, int status)
{
	(void)status;
	free(req);
}

/* Sends a whole message: at once when the socket takes it, else queued. */
static void
conn_send(struct bconn *c, const uint8_t *msg, size_t len)
{
	uv_buf_t b = uv_buf_init((char *)msg, (unsigned)len);
	struct wreq *w;
	int n;

	if (c->closing)
		return;
	n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
	if (n < 0 && n != UV_EAGAIN)
		return;		/* the read side sees the error */
	if (n < 0)
		n = 0;
	if (c->peer != NULL)
		c->peer->msgs_out++;
	c->last_tx_ms = uv_now(c->fb->loop);
	if ((size_t)n == len)
		return;
	w = malloc(sizeof(*w) + len - (size_t)n);
	if (w == NULL)
		return;
	memcpy(w->data, msg + n, len - (size_t)n);
	b = uv_buf_init((char *)w->data, (unsigned)(len - (size_t)n));
	if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, write_done) != 0)
		free(w);
}

static void
send_keepalive(struct bconn *c)
{
	uint8_t m[BGP_HEADER_LEN];

	bgp_header_put(m, BGP_MSG_KEEPALIVE, sizeof(m));
	conn_send(c, m, sizeof(m));
}

/* Sends a NOTIFICATION and closes the connection (its session goes
 * down, its routes with it). */
static void
conn_notify(struct bconn *c, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t dlen, const char *why)
{
	uint8_t m[BGP_HEADER_LEN + 2 + 256];
	size_t len;

	if (c->closing)
		return;
	if (dlen > 256)
		dlen = 256;
	len = BGP_HEADER_LEN + 2 + dlen;
	bgp_header_put(m, BGP_MSG_NOTIFICATION, (uint16_t)len);
	m[BGP_HEADER_LEN] = code;
	m[BGP_HEADER_LEN + 1] = subcode;
	if (dlen > 0)
		memcpy(m + BGP_HEADER_LEN + 2, data, dlen);
	conn_send(c, m, len);
	if (c->peer != NULL)
		c->peer->notif_out++;
	log_info("bgp notification sent source=%s peer=%s code=%u/%u "
	    "(%s / %s) why=\"%s\"", c->fb->name, c->peer != NULL ?
	    c->peer->addr_str : "?", code, subcode,
	    bgp_notification_code_name(code) ? bgp_notification_code_name(code)
	    : "?", bgp_notification_subcode_name(code, subcode) ?
	    bgp_notification_subcode_name(code, subcode) : "?", why);
	if (c->peer != NULL && c->state == BS_ESTABLISHED)
		peer_session_down(c->peer, c, why, true);
	conn_close(c, why);
}

/* RFC 9003: Cease with a shutdown message. */
static void
conn_cease(struct bconn *c, uint8_t subcode, const char *text)
{
	uint8_t d[1 + 128];
	size_t n = strlen(text);

	if (n > 128)
		n = 128;
	d[0] = (uint8_t)n;
	memcpy(d + 1, text, n);
	conn_notify(c, N_CEASE, subcode, d, subcode == N_CEASE_SHUTDOWN ||
	    subcode == N_CEASE_RESET ? n + 1 : 0, text);
}

static bool
send_open(struct bconn *c)
{
	const struct feed_bgp_peer_conf *pc = &c->peer->conf;
	struct feed_bgp *fb = c->fb;
	struct bgp_cap caps[8];
	struct bgp_cap_fam mp[2], ap[2];
	unsigned n = 0, nf = 0;
	struct bgp_msg m;
	struct bwriter w;
	bool ok;

	memset(caps, 0, sizeof(caps));
	memset(mp, 0, sizeof(mp));
	memset(ap, 0, sizeof(ap));
	for (int f = 0; f < 2; f++) {
		if (!(pc->families & (1u << f)))
			continue;
		mp[nf].afi = f == 0 ? BGP_AFI_IPV4 : BGP_AFI_IPV6;
		mp[nf].safi = BGP_SAFI_UNICAST;
		ap[nf] = mp[nf];
		ap[nf].flags = BGP_ADDPATH_RECEIVE;
		caps[n].code = BGP_CAP_MP;
		caps[n].n_fams = 1;
		caps[n].fams = &mp[nf];
		n++;
		nf++;
	}
	caps[n++].code = BGP_CAP_ROUTE_REFRESH;
	caps[n++].code = BGP_CAP_EXT_MESSAGE;
	/* a helper (RFC 4724 3): no family of our own to keep */
	caps[n].code = BGP_CAP_GRACEFUL_RESTART;
	caps[n++].gr_flags_time = GR_RESTART_S;
	caps[n].code = BGP_CAP_AS4;
	caps[n++].asn = fb->local_as;
	if (pc->add_path) {
		caps[n].code = BGP_CAP_ADDPATH;
		caps[n].n_fams = (uint16_t)nf;
		caps[n++].fams = ap;
	}
	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_OPEN;
	m.u.open.version = 4;
	m.u.open.my_as = fb->local_as > 0xffff ? BGP_AS_TRANS :
	    (uint16_t)fb->local_as;
	m.u.open.hold_time = pc->hold_time;
	m.u.open.bgp_id = fb->router_id;
	m.u.open.n_caps = (uint16_t)n;
	m.u.open.caps = caps;
	bw_init(&w);
	ok = bgp_msg_encode(&m, &c->sess, &w) && bw_ok(&w);
	if (ok)
		conn_send(c, w.buf, w.len);
	bw_free(&w);
	return ok;
}

static void
send_eor(struct bconn *c, int v6)
{
	uint8_t m[BGP_HEADER_LEN + 10];
	size_t len = BGP_HEADER_LEN + 4;

	memset(m, 0, sizeof(m));
	if (v6) {
		/* an empty MP_UNREACH_NLRI (RFC 4724 2) */
		uint8_t *p = m + BGP_HEADER_LEN;

		p[3] = 6;
		p[4] = BGP_ATTR_F_OPTIONAL;
		p[5] = BGP_ATTR_MP_UNREACH_NLRI;
		p[6] = 3;
		p[7] = 0;
		p[8] = BGP_AFI_IPV6;
		p[9] = BGP_SAFI_UNICAST;
		len += 6;
	}
	bgp_header_put(m, BGP_MSG_UPDATE, (uint16_t)len);
	conn_send(c, m, len);
}

static void
send_refresh(struct bconn *c, uint16_t afi)
{
	uint8_t m[BGP_HEADER_LEN + 4];

	bgp_header_put(m, BGP_MSG_ROUTE_REFRESH, sizeof(m));
	m[BGP_HEADER_LEN] = (uint8_t)(afi >> 8);
	m[BGP_HEADER_LEN + 1] = (uint8_t)afi;
	m[BGP_HEADER_LEN + 2] = 0;
	m[BGP_HEADER_LEN + 3] = BGP_SAFI_UNICAST;
	conn_send(c, m, sizeof(m));
}

/* --- handles and memory ----------------------------------------------------- */

static void
conn_free(struct bconn *c)
{
	struct feed_bgp *fb = c->fb;

	if (c->test_fd >= 0)
		close(c->test_fd);
	free(c->rbuf);
	free(c);
	fb->live--;
	fb_maybe_free(fb);
}

static void
conn_handle_closed(uv_handle_t *h)
{
	struct bconn *c = h->data;

	if (--c->open_handles == 0)
		conn_free(c);
}

/* Unlinks c from its peer or from the pending list. */
static void
conn_unlink(struct bconn *c)
{
	struct bconn **pp = c->peer != NULL ? &c->peer->conns :
	    &c->fb->pending;

	for (; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	if (c->peer != NULL && c->peer->est == c)
		c->peer->est = NULL;
	c->next = NULL;
}

static void
conn_close(struct bconn *c, const char *why)
{
	struct bpeer *p = c->peer;

	if (c->closing)
		return;
	c->closing = true;
	log_debug("bgp connection closed source=%s peer=%s state=%s why=\"%s\"",
	    c->fb->name, p != NULL ? p->addr_str : "?", bst_names[c->state],
	    why);
	if (p != NULL && c->state == BS_ESTABLISHED && p->est == c)
		peer_session_down(p, c, why, false);
	conn_unlink(c);
	if (p != NULL && p->est == NULL && why != NULL && why[0] != '\0')
		snprintf(p->last_error, sizeof(p->last_error), "%s", why);
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, conn_handle_closed);
	uv_close((uv_handle_t *)&c->tcp, conn_handle_closed);
	/* an active peer with no connection left tries again */
	if (p != NULL && p->conns == NULL && !p->conf.passive &&
	    !c->fb->stopped)
		peer_schedule_connect(p);
}

static struct bconn *
conn_new(struct feed_bgp *fb, int family)
{
	struct bconn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->fb = fb;
	c->test_fd = -1;
	if ((family != AF_UNSPEC ? uv_tcp_init_ex(fb->loop, &c->tcp, family) :
	    uv_tcp_init(fb->loop, &c->tcp)) != 0) {
		free(c);
		return NULL;
	}
	uv_timer_init(fb->loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	c->open_handles = 2;
	c->last_rx_ms = c->last_tx_ms = uv_now(fb->loop);
	fb->live++;
	return c;
}

static void
peer_handle_closed(uv_handle_t *h)
{
	struct bpeer *p = h->data;
	struct feed_bgp *fb = p->fb;

	if (--p->open_handles > 0)
		return;
	free(p->conf.password);
	free(p->conf.description);
	free(p);
	fb->live--;
	fb_maybe_free(fb);
}

static void
listen_closed(uv_handle_t *h)
{
	struct blisten *l = h->data;
	struct feed_bgp *fb = l->fb;

	fb->live--;
	fb_maybe_free(fb);
}

static void
fb_maybe_free(struct feed_bgp *fb)
{
	if (!fb->freed || fb->live > 0)
		return;
	for (size_t i = 0; i < fb->nconfs; i++) {
		free(fb->confs[i].password);
		free(fb->confs[i].description);
	}
	free(fb->confs);
	free(fb->peers);
	free(fb->listen);
	free(fb->evs.ev);
	arena_free(&fb->arena);
	free(fb);
}

/* --- peers ---------------------------------------------------------------- */

static int
fam_bit(uint8_t afi)
{
	return afi == BGP_AFI_IPV6 ? FEED_BGP_IPV6 : FEED_BGP_IPV4;
}

static const char *
fams_str(uint8_t f)
{
	switch (f & (FEED_BGP_IPV4 | FEED_BGP_IPV6)) {
	case FEED_BGP_IPV4:
		return "ipv4";
	case FEED_BGP_IPV6:
		return "ipv6";
	case FEED_BGP_IPV4 | FEED_BGP_IPV6:
		return "ipv4,ipv6";
	default:
		return "none";
	}
}

static struct bpeer *
peer_new(struct feed_bgp *fb, const struct feed_bgp_peer_conf *conf,
    uint8_t afi, const uint8_t *addr)
{
	struct bpeer *p;

	if (fb->npeers == fb->cap_peers) {
		size_t cap = fb->cap_peers ? fb->cap_peers * 2 : 16;
		struct bpeer **np = realloc(fb->peers, cap * sizeof(*np));

		if (np == NULL)
			return NULL;
		fb->peers = np;
		fb->cap_peers = cap;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->fb = fb;
	p->conf = *conf;
	p->conf.password = conf->password ? strdup(conf->password) : NULL;
	p->conf.description = conf->description ? strdup(conf->description) :
	    NULL;
	if ((conf->password && !p->conf.password) ||
	    (conf->description && !p->conf.description)) {
		free(p->conf.password);
		free(p->conf.description);
		free(p);
		return NULL;
	}
	p->dynamic = conf->is_range;
	p->afi = afi;
	memcpy(p->addr, addr, 16);
	inet_ntop(afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, addr, p->addr_str,
	    sizeof(p->addr_str));
	p->vp = UINT32_MAX;
	p->since_us = feed_now_us();
	uv_timer_init(fb->loop, &p->retry);
	uv_timer_init(fb->loop, &p->gr_timer);
	p->retry.data = p->gr_timer.data = p;
	p->open_handles = 2;
	fb->live++;
	fb->peers[fb->npeers++] = p;
	if (p->dynamic)
		fb->ndynamic++;
	return p;
}

/* Established, else the furthest of its connections, else active
 * (waiting to connect or to be connected to), or idle when held down. */
static uint8_t
peer_state(const struct bpeer *p)
{
	uint8_t st = BS_IDLE;

	if (p->est != NULL)
		return BS_ESTABLISHED;
	for (const struct bconn *c = p->conns; c != NULL; c = c->next)
		if (!c->closing && c->state > st)
			st = c->state;
	if (st == BS_IDLE && !p->held_down)
		st = BS_ACTIVE;
	return st;
}

static struct rib_vp *
peer_vp(struct bpeer *p)
{
	return p->vp != UINT32_MAX ? rib_vp(p->fb->base.rib, p->vp) : NULL;
}

static void
gr_timer_cb(uv_timer_t *t)
{
	struct bpeer *p = t->data;
	struct feed_event ev = { .type = FEED_FLUSH_STALE, .vp = p->vp };

	if (p->stale == 0 || p->vp == UINT32_MAX)
		return;
	log_info("bgp stale routes flushed source=%s peer=%s why=\"%s\"",
	    p->fb->name, p->addr_str, p->est != NULL ? "no End-of-RIB in time"
	    : "the peer did not come back within its restart time");
	p->stale = 0;
	if (p->est == NULL) {
		ev.type = FEED_VP_DOWN;
		ev.error = "graceful restart timed out";
	}
	emit1(p->fb, &ev);
}

/* End-of-RIB for a family ends its stale routes (RFC 4724 4.2; the RIB
 * flushes them); the timer stops with the last. */
static void
peer_eor(struct bpeer *p, uint16_t afi)
{
	if (p->stale == 0)
		return;
	p->stale &= (uint8_t)~fam_bit((uint8_t)afi);
	if (p->stale == 0)
		uv_timer_stop(&p->gr_timer);
}

/* The established session of p (on c) ends. notification: one was sent
 * or received, which ends graceful restart too (RFC 4724 4.2). */
static void
peer_session_down(struct bpeer *p, struct bconn *c, const char *why,
    bool notification)
{
	struct feed_bgp *fb = p->fb;
	/* RFC 4724 4.2: the families its GR capability listed are kept */
	bool keep = c->gr && !notification && !fb->stopped &&
	    (c->gr_any & c->families) != 0 && c->gr_time > 0;
	struct feed_event ev = { .type = FEED_VP_DOWN, .vp = p->vp,
	    .keep_stale = keep, .error = why };

	if (p->est != c)
		return;
	p->est = NULL;
	p->since_us = feed_now_us();
	c->state = BS_IDLE;
	snprintf(p->last_error, sizeof(p->last_error), "%s", why);
	log_warn("bgp peer down source=%s peer=%s asn=%u why=\"%s\" "
	    "graceful_restart=%s", fb->name, p->addr_str, c->remote_as, why,
	    keep ? "kept stale" : "no");
	if (p->vp == UINT32_MAX)
		return;
	emit1(fb, &ev);
	if (!keep) {
		p->stale = 0;
		uv_timer_stop(&p->gr_timer);
		return;
	}
	/* families it did not list go now */
	for (int f = 0; f < 2; f++)
		if ((c->families & (1u << f)) && !(c->gr_any & (1u << f))) {
			struct feed_event fl = { .type = FEED_FLUSH_STALE,
			    .vp = p->vp, .afi = f ? BGP_AFI_IPV6 :
			    BGP_AFI_IPV4 };

			emit1(fb, &fl);
		}
	p->stale = c->families & c->gr_any;
	uv_timer_start(&p->gr_timer, gr_timer_cb, (uint64_t)c->gr_time * 1000,
	    0);
}

static void	connect_timer_cb(uv_timer_t *t);

static void
peer_schedule_connect(struct bpeer *p)
{
	struct feed_bgp *fb = p->fb;
	uint64_t s = fb->retry_s;

	if (p->conf.passive || p->held_down || fb->stopped)
		return;
	for (unsigned i = 0; i < p->failures && s < RETRY_MAX_S; i++)
		s *= 2;
	if (s > RETRY_MAX_S)
		s = RETRY_MAX_S;
	if (p->failures == 0)
		s = p->established > 0 ? fb->retry_s : 0;
	p->failures++;
	uv_timer_start(&p->retry, connect_timer_cb, s * 1000, 0);
}

/* --- TCP-MD5 (RFC 2385) -------------------------------------------------- */

static void
sockaddr_of(uint8_t afi, const uint8_t *addr, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (afi == BGP_AFI_IPV6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, addr, 16);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, addr, 4);
		*len = sizeof(*s4);
	}
}

/* Sets (or with key NULL clears) the key for an address or prefix on a
 * socket; false with errno set. */
static bool
md5_set(int fd, const struct feed_bgp_peer_conf *pc, const char *key)
{
	struct tcp_md5sig sig;
	struct sockaddr_storage ss;
	socklen_t sl;
	int opt = TCP_MD5SIG;

	memset(&sig, 0, sizeof(sig));
	sockaddr_of(pc->afi, pc->addr, 0, &ss, &sl);
	memcpy(&sig.tcpm_addr, &ss, sizeof(ss));
	if (pc->is_range) {
		opt = TCP_MD5SIG_EXT;
		sig.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
		sig.tcpm_prefixlen = pc->plen;
	}
	if (key != NULL) {
		sig.tcpm_keylen = (uint16_t)strlen(key);
		memcpy(sig.tcpm_key, key, sig.tcpm_keylen);
	}
	return setsockopt(fd, IPPROTO_TCP, opt, &sig, sizeof(sig)) == 0;
}

/* --- receiving --------------------------------------------------------------- */

static void	check_max_prefixes(struct bpeer *p, struct bconn *c);

static void
log_problems(struct bconn *c, const struct bgp_msg *m, enum bgp_action act)
{
	const struct bgp_reason_info *ri = bgp_reason_info(m->prob.n > 0 ?
	    m->prob.p[0].reason : BGP_R_NONE);

	c->fb->base.counters.malformed++;
	c->peer->malformed++;
	log_warn("bgp malformed message source=%s peer=%s asn=%u type=%s "
	    "rfc7606=%s reason=%s problems=%u", c->fb->name,
	    c->peer->addr_str, c->remote_as, bgp_msg_type_name(m->type) ?
	    bgp_msg_type_name(m->type) : "?", bgp_action_name(act),
	    ri != NULL ? ri->name : "-", m->prob.total);
}

static void
on_update(struct bconn *c, struct bgp_msg *m, enum bgp_action act)
{
	struct feed_bgp *fb = c->fb;
	struct bgp_update *u = &m->u.update;
	uint64_t t = feed_now_us();
	uint16_t afi;
	uint8_t safi;

	c->peer->updates_in++;
	if (act == BGP_ACT_NONE && bgp_update_is_eor(u, &afi, &safi)) {
		struct feed_event ev = { .type = FEED_EOR, .vp = c->peer->vp,
		    .afi = afi, .safi = safi, .time_us = t };

		if (safi == BGP_SAFI_UNICAST && (afi == BGP_AFI_IPV4 ||
		    afi == BGP_AFI_IPV6) && (c->families & fam_bit(
		    (uint8_t)afi))) {
			log_debug("bgp end-of-rib source=%s peer=%s afi=%u",
			    fb->name, c->peer->addr_str, afi);
			emit1(fb, &ev);
			peer_eor(c->peer, afi);
		}
		return;
	}
	fb->evs.n = 0;
	if (!feed_update_events(&fb->evs, u, (uint8_t)act, fb->base.id,
	    c->peer->vp, t, c->families, &fb->base.counters)) {
		log_error("bgp out of memory source=%s peer=%s: an UPDATE is "
		    "lost", fb->name, c->peer->addr_str);
		fb->base.counters.malformed++;
	} else if (fb->evs.n > 0 && !fb->stopped) {
		feed_emit(&fb->base, fb->evs.ev, fb->evs.n);
	}
	check_max_prefixes(c->peer, c);
}

static void
retry_after_max(uv_timer_t *t)
{
	struct bpeer *p = t->data;

	p->held_down = false;
	p->failures = 0;
	log_info("bgp prefix limit hold-down over source=%s peer=%s",
	    p->fb->name, p->addr_str);
	peer_schedule_connect(p);
}

static void
check_max_prefixes(struct bpeer *p, struct bconn *c)
{
	const struct rib_vp *v = peer_vp(p);
	uint64_t n;
	uint8_t d[7];

	if (p->conf.max_prefixes == 0 || v == NULL)
		return;
	n = v->routes[0] + v->routes[1];
	if (n <= p->conf.max_prefixes) {
		p->warned_max = false;
		return;
	}
	if (p->conf.max_action == FEED_BGP_MAXPFX_WARN) {
		if (!p->warned_max)
			log_warn("bgp prefix limit exceeded source=%s peer=%s "
			    "prefixes=%llu limit=%u action=warn", p->fb->name,
			    p->addr_str, (unsigned long long)n,
			    p->conf.max_prefixes);
		p->warned_max = true;
		return;
	}
	log_warn("bgp prefix limit exceeded source=%s peer=%s prefixes=%llu "
	    "limit=%u action=teardown restart_s=%u", p->fb->name, p->addr_str,
	    (unsigned long long)n, p->conf.max_prefixes,
	    p->conf.max_restart_s);
	/* RFC 4486 4: AFI, SAFI, the limit */
	d[0] = 0;
	d[1] = v->routes[1] > 0 && v->routes[0] <= p->conf.max_prefixes ?
	    BGP_AFI_IPV6 : BGP_AFI_IPV4;
	d[2] = BGP_SAFI_UNICAST;
	d[3] = (uint8_t)(p->conf.max_prefixes >> 24);
	d[4] = (uint8_t)(p->conf.max_prefixes >> 16);
	d[5] = (uint8_t)(p->conf.max_prefixes >> 8);
	d[6] = (uint8_t)p->conf.max_prefixes;
	p->held_down = true;
	conn_notify(c, N_CEASE, N_CEASE_MAXPFX, d, sizeof(d),
	    "maximum number of prefixes reached");
	if (p->conf.max_restart_s > 0)
		uv_timer_start(&p->retry, retry_after_max,
		    (uint64_t)p->conf.max_restart_s * 1000, 0);
}

/* The peer's capabilities that change what we do. */
static void
read_caps(struct bconn *c, const struct bgp_open *o)
{
	const struct feed_bgp_peer_conf *pc = &c->peer->conf;
	bool mp = false;
	uint8_t theirs = 0;

	c->route_refresh = false;
	c->gr = false;
	c->gr_fams = c->gr_any = 0;
	for (unsigned i = 0; i < o->n_caps; i++) {
		const struct bgp_cap *cap = &o->caps[i];

		if (cap->malformed)
			continue;
		switch (cap->code) {
		case BGP_CAP_MP:
			mp = true;
			if (cap->n_fams == 1 && cap->fams[0].safi ==
			    BGP_SAFI_UNICAST && (cap->fams[0].afi ==
			    BGP_AFI_IPV4 || cap->fams[0].afi == BGP_AFI_IPV6))
				theirs |= (uint8_t)fam_bit(
				    (uint8_t)cap->fams[0].afi);
			break;
		case BGP_CAP_ROUTE_REFRESH:
		case BGP_CAP_ROUTE_REFRESH_OLD:
			c->route_refresh = true;
			break;
		case BGP_CAP_GRACEFUL_RESTART:
			c->gr = true;
			c->gr_time = cap->gr_flags_time & 0x0fff;
			for (unsigned k = 0; k < cap->n_fams; k++) {
				const struct bgp_cap_fam *f = &cap->fams[k];

				if (f->safi != BGP_SAFI_UNICAST ||
				    (f->afi != BGP_AFI_IPV4 &&
				    f->afi != BGP_AFI_IPV6))
					continue;
				c->gr_any |= (uint8_t)fam_bit((uint8_t)f->afi);
				if (f->flags & 0x80)
					c->gr_fams |= (uint8_t)fam_bit(
					    (uint8_t)f->afi);
			}
			break;
		default:
			break;
		}
	}
	/* RFC 4760 8: without the capability, IPv4 unicast */
	if (!mp)
		theirs = FEED_BGP_IPV4;
	c->families = theirs & pc->families;
}

/* RFC 4271 6.8: of two connections to one peer, the one opened by the
 * speaker with the higher BGP identifier stays. Returns false when c
 * itself went. */
static bool
resolve_collision(struct bconn *c)
{
	struct bpeer *p = c->peer;
	struct bconn *o, *next;

	for (o = p->conns; o != NULL; o = next) {
		next = o->next;
		if (o == c || (o->state != BS_OPENCONFIRM &&
		    o->state != BS_ESTABLISHED))
			continue;
		if (o->state == BS_ESTABLISHED) {
			conn_cease(c, N_CEASE_COLLISION, "connection "
			    "collision: a session is established");
			return false;
		}
		/* keep the one initiated by the higher identifier */
		if ((c->fb->router_id < c->remote_id) == !c->outgoing) {
			conn_cease(o, N_CEASE_COLLISION, "connection "
			    "collision resolution");
		} else {
			conn_cease(c, N_CEASE_COLLISION, "connection "
			    "collision resolution");
			return false;
		}
	}
	return true;
}

static void
on_open(struct bconn *c, struct bgp_msg *m, enum bgp_action act)
{
	struct bpeer *p = c->peer;
	const struct bgp_open *o = &m->u.open;
	struct bgp_open ours;
	struct bgp_cap ocaps[2];
	struct bgp_cap_fam ofam[2];
	uint16_t hold;
	char why[160];

	if (act == BGP_ACT_SESSION_RESET) {
		const struct bgp_reason_info *ri = bgp_reason_info(
		    m->prob.p[0].reason);

		log_problems(c, m, act);
		snprintf(why, sizeof(why), "bad OPEN: %s", ri->text);
		conn_notify(c, ri->code, ri->subcode, NULL, 0, why);
		return;
	}
	c->remote_as = o->asn;
	c->remote_id = o->bgp_id;
	if (o->asn == 0) {
		uint8_t d[2] = { 0, 0 };

		conn_notify(c, N_OPEN, N_OPEN_BAD_AS, d, 2, "bad peer AS: "
		    "AS0 (RFC 7607)");
		return;
	}
	if (p->conf.remote_as != 0 && o->asn != p->conf.remote_as) {
		uint8_t d[2] = { (uint8_t)(o->my_as >> 8), (uint8_t)o->my_as };

		snprintf(why, sizeof(why), "bad peer AS: AS%u, expected AS%u",
		    o->asn, p->conf.remote_as);
		conn_notify(c, N_OPEN, N_OPEN_BAD_AS, d, 2, why);
		return;
	}
	if (o->bgp_id == c->fb->router_id && o->asn == c->fb->local_as) {
		conn_notify(c, N_OPEN, N_OPEN_BAD_ID, NULL, 0,
		    "bad BGP identifier: the same as ours");
		return;
	}
	read_caps(c, o);
	if (c->families == 0) {
		snprintf(why, sizeof(why), "no family in common (we take "
		    "%s unicast)", fams_str(p->conf.families));
		/* RFC 5492 5: Unsupported Capability */
		conn_notify(c, N_OPEN, 7, NULL, 0, why);
		return;
	}
	/* what the session negotiates: ours as the OPEN we sent */
	memset(&ours, 0, sizeof(ours));
	memset(ocaps, 0, sizeof(ocaps));
	memset(ofam, 0, sizeof(ofam));
	ocaps[0].code = BGP_CAP_AS4;
	ocaps[1].code = BGP_CAP_EXT_MESSAGE;
	ours.caps = ocaps;
	ours.n_caps = 2;
	bgp_session_negotiate(&ours, o, &c->sess);
	c->sess.addpath_rx = p->conf.add_path ? bgp_open_addpath(o,
	    BGP_ADDPATH_SEND) & (uint8_t)((c->families & FEED_BGP_IPV4 ?
	    1u << BGP_FAM_IPV4_UNICAST : 0) | (c->families & FEED_BGP_IPV6 ?
	    1u << BGP_FAM_IPV6_UNICAST : 0)) : 0;
	hold = p->conf.hold_time < o->hold_time ? p->conf.hold_time :
	    o->hold_time;
	c->hold_s = hold;
	if (!resolve_collision(c))
		return;
	send_keepalive(c);
	c->state = BS_OPENCONFIRM;
}

static void	conn_arm_timer(struct bconn *c);

static void
on_established(struct bconn *c)
{
	struct bpeer *p = c->peer;
	struct feed_bgp *fb = c->fb;
	struct rib_vp *v;
	struct bconn *o, *next;

	c->state = BS_ESTABLISHED;
	p->est = c;
	p->since_us = feed_now_us();
	p->failures = 0;
	p->established++;
	p->remote_as = c->remote_as;
	p->remote_id = c->remote_id;
	p->hold_s = c->hold_s;
	p->families = c->families;
	p->addpath = c->sess.addpath_rx;
	p->as4 = c->sess.as4;
	p->route_refresh = c->route_refresh;
	p->gr = c->gr;
	p->last_error[0] = '\0';
	p->warned_max = false;
	uv_timer_stop(&p->retry);
	/* any other connection of the peer goes */
	for (o = p->conns; o != NULL; o = next) {
		next = o->next;
		if (o != c)
			conn_cease(o, N_CEASE_COLLISION, "connection "
			    "collision: a session is established");
	}
	if (p->vp == UINT32_MAX) {
		struct rib_vp t;

		memset(&t, 0, sizeof(t));
		t.source = fb->base.id;
		t.afi = p->afi;
		memcpy(t.addr, p->addr, 16);
		t.asn = c->remote_as;
		t.router_id = c->remote_id;
		t.table = RIB_TABLE_BGP_PEER;
		t.tags = (uint16_t)(p->conf.tags | fb->vp_tags);
		if (p->conf.description != NULL && !p->dynamic)
			snprintf(t.name, sizeof(t.name), "%s",
			    p->conf.description);
		else
			snprintf(t.name, sizeof(t.name), "%s AS%u",
			    p->addr_str, c->remote_as);
		p->vp = rib_vp_add(fb->base.rib, &t);
		if (p->vp == UINT32_MAX) {
			conn_cease(c, N_CEASE_REJECTED, "out of memory");
			return;
		}
	} else if ((v = peer_vp(p)) != NULL) {
		v->asn = c->remote_as;
		v->router_id = c->remote_id;
	}
	{
		struct feed_event ev = { .type = FEED_VP_UP, .vp = p->vp };

		emit1(fb, &ev);
	}
	/* RFC 4724 4.2: stale families the peer no longer keeps go */
	if (p->stale != 0) {
		uint8_t keep = c->gr ? c->gr_fams & c->families : 0;

		for (int f = 0; f < 2; f++)
			if ((p->stale & (1u << f)) && !(keep & (1u << f))) {
				struct feed_event fl = {
				    .type = FEED_FLUSH_STALE, .vp = p->vp,
				    .afi = f ? BGP_AFI_IPV6 : BGP_AFI_IPV4 };

				emit1(fb, &fl);
			}
		p->stale &= keep;
		uv_timer_stop(&p->gr_timer);
		if (p->stale != 0)
			uv_timer_start(&p->gr_timer, gr_timer_cb,
			    GR_STALE_S * 1000u, 0);
	}
	log_info("bgp peer up source=%s peer=%s asn=%u router_id=%u.%u.%u.%u "
	    "hold=%u families=%s add_path=%s graceful_restart=%s",
	    fb->name, p->addr_str, c->remote_as, c->remote_id >> 24,
	    (c->remote_id >> 16) & 0xff, (c->remote_id >> 8) & 0xff,
	    c->remote_id & 0xff, c->hold_s, fams_str(c->families),
	    fams_str((uint8_t)((c->sess.addpath_rx & (1u <<
	    BGP_FAM_IPV4_UNICAST) ? FEED_BGP_IPV4 : 0) |
	    (c->sess.addpath_rx & (1u << BGP_FAM_IPV6_UNICAST) ?
	    FEED_BGP_IPV6 : 0))), c->gr ? "yes" : "no");
	/* we have nothing to send: End-of-RIB at once (RFC 4724 2) */
	for (int f = 0; f < 2; f++)
		if (c->families & (1u << f))
			send_eor(c, f);
	conn_arm_timer(c);
}

static void
on_notification(struct bconn *c, const struct bgp_msg *m, enum bgp_action act)
{
	const struct bgp_notification *n = &m->u.notification;
	char why[256], msg[130] = "";

	if (c->peer != NULL)
		c->peer->notif_in++;
	if (act != BGP_ACT_SESSION_RESET && n->has_shutdown_msg) {
		size_t k = n->shutdown_len < sizeof(msg) - 1 ? n->shutdown_len :
		    sizeof(msg) - 1;

		for (size_t i = 0; i < k; i++)
			msg[i] = n->shutdown_msg[i] >= 0x20 &&
			    n->shutdown_msg[i] != '"' ? (char)n->shutdown_msg[i]
			    : '?';
		msg[k] = '\0';
	}
	if (act == BGP_ACT_SESSION_RESET)
		snprintf(why, sizeof(why), "NOTIFICATION received (too short)");
	else
		snprintf(why, sizeof(why), "NOTIFICATION received: %u/%u %s / "
		    "%s%s%s", n->code, n->subcode,
		    bgp_notification_code_name(n->code) ?
		    bgp_notification_code_name(n->code) : "?",
		    bgp_notification_subcode_name(n->code, n->subcode) ?
		    bgp_notification_subcode_name(n->code, n->subcode) : "?",
		    msg[0] ? ": " : "", msg);
	if (c->peer != NULL && c->state == BS_ESTABLISHED)
		peer_session_down(c->peer, c, why, true);
	conn_close(c, why);
}

static void
fsm_error(struct bconn *c, uint8_t type)
{
	char why[96];

	snprintf(why, sizeof(why), "unexpected %s in state %s",
	    bgp_msg_type_name(type) ? bgp_msg_type_name(type) : "message",
	    bst_names[c->state]);
	/* RFC 6608 subcodes */
	conn_notify(c, N_FSM, c->state == BS_OPENSENT ? 1 :
	    c->state == BS_OPENCONFIRM ? 2 : 3, &type, 1, why);
}

/* One whole message; false when the connection closed. */
static bool
on_message(struct bconn *c, const uint8_t *buf, size_t len)
{
	struct feed_bgp *fb = c->fb;
	struct bgp_msg m;
	enum bgp_action act;

	c->peer->msgs_in++;
	c->last_rx_ms = uv_now(fb->loop);
	arena_reset(&fb->arena);
	act = bgp_msg_decode(buf, len, &c->sess, &fb->arena, &m);
	if (m.type == BGP_MSG_NOTIFICATION) {
		on_notification(c, &m, act);
		return false;
	}
	switch (c->state) {
	case BS_OPENSENT:
		if (m.type != BGP_MSG_OPEN) {
			fsm_error(c, m.type);
			return false;
		}
		on_open(c, &m, act);
		break;
	case BS_OPENCONFIRM:
		if (m.type != BGP_MSG_KEEPALIVE) {
			fsm_error(c, m.type);
			return false;
		}
		on_established(c);
		break;
	case BS_ESTABLISHED:
		if (m.type == BGP_MSG_KEEPALIVE || m.type ==
		    BGP_MSG_ROUTE_REFRESH)
			break;
		if (m.type != BGP_MSG_UPDATE) {
			fsm_error(c, m.type);
			return false;
		}
		if (m.prob.total > 0)
			log_problems(c, &m, act);
		if (act == BGP_ACT_SESSION_RESET) {
			const struct bgp_reason_info *ri = bgp_reason_info(
			    m.prob.p[0].reason);
			char why[160];

			snprintf(why, sizeof(why), "malformed UPDATE: %s "
			    "(RFC 7606: session reset)", ri->text);
			conn_notify(c, ri->code, ri->subcode, NULL, 0, why);
			return false;
		}
		on_update(c, &m, act);
		break;
	default:
		fsm_error(c, m.type);
		return false;
	}
	return !c->closing;
}

static void	conn_input(struct bconn *c);

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct bconn *c = s->data;

	(void)b;
	if (c->closing)
		return;
	if (nread < 0) {
		char why[96];

		snprintf(why, sizeof(why), "%s", nread == UV_EOF ?
		    "connection closed by the peer" : uv_strerror((int)nread));
		conn_close(c, why);
		return;
	}
	c->rlen += (size_t)nread;
	conn_input(c);
}

/* Handles the whole messages in the read buffer. */
static void
conn_input(struct bconn *c)
{
	size_t off = 0;

	while (off < c->rlen) {
		enum bgp_reason why;
		long n = bgp_msg_frame(c->rbuf + off, c->rlen - off, &c->sess,
		    &why);

		if (n == 0)
			break;
		if (n < 0) {
			const struct bgp_reason_info *ri = bgp_reason_info(why);
			char w[128];

			c->fb->base.counters.malformed++;
			c->peer->malformed++;
			snprintf(w, sizeof(w), "bad message header: %s",
			    ri->text);
			log_warn("bgp malformed message source=%s peer=%s "
			    "reason=%s", c->fb->name, c->peer->addr_str,
			    ri->name);
			/* RFC 4271 6.1: the bad type or length as data */
			conn_notify(c, ri->code, ri->subcode, c->rbuf + off +
			    (why == BGP_R_HDR_TYPE ? 18 : 16),
			    why == BGP_R_HDR_TYPE ? 1 :
			    why == BGP_R_HDR_MARKER ? 0 : 2, w);
			return;
		}
		if (!on_message(c, c->rbuf + off, (size_t)n))
			return;
		off += (size_t)n;
	}
	if (off > 0) {
		memmove(c->rbuf, c->rbuf + off, c->rlen - off);
		c->rlen -= off;
	}
}

static void
on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct bconn *c = h->data;

	(void)hint;
	if (c->rcap - c->rlen < 4096 && c->rcap < READ_MAX) {
		size_t cap = c->rcap ? c->rcap * 2 : READ_MIN;
		uint8_t *nb;

		if (cap > READ_MAX)
			cap = READ_MAX;
		if ((nb = realloc(c->rbuf, cap)) != NULL) {
			c->rbuf = nb;
			c->rcap = cap;
		}
	}
	*b = uv_buf_init((char *)c->rbuf + c->rlen,
	    (unsigned)(c->rcap - c->rlen));
}

/* --- timers ----------------------------------------------------------------- */

/* How long the connection may stay silent. */
static uint64_t
conn_hold_ms(const struct bconn *c)
{
	switch (c->state) {
	case BS_CONNECT:
		return CONNECT_S * 1000ull;
	case BS_OPENSENT:
		return OPEN_HOLD_S * 1000ull;
	default:
		return c->hold_s * 1000ull;
	}
}

static void
conn_timer_cb(uv_timer_t *t)
{
	struct bconn *c = t->data;
	uint64_t now = uv_now(c->fb->loop);
	uint64_t hold = conn_hold_ms(c);

	if (c->closing)
		return;
	if (c->state == BS_CONNECT && now - c->last_rx_ms >= hold) {
		conn_close(c, "connect: timed out");
		return;
	}
	if (hold > 0 && now - c->last_rx_ms >= hold) {
		conn_notify(c, N_HOLD, 0, NULL, 0, "hold timer expired");
		return;
	}
	if (c->hold_s > 0 && c->state >= BS_OPENCONFIRM &&
	    now - c->last_tx_ms >= c->hold_s * 1000ull / 3)
		send_keepalive(c);
	conn_arm_timer(c);
}

/* The next moment something is due: the hold deadline or a keepalive. */
static void
conn_arm_timer(struct bconn *c)
{
	uint64_t now = uv_now(c->fb->loop), next = UINT64_MAX;
	uint64_t hold = conn_hold_ms(c);

	if (c->closing)
		return;
	if (hold > 0)
		next = c->last_rx_ms + hold;
	if (c->hold_s > 0 && c->state >= BS_OPENCONFIRM) {
		uint64_t ka = c->last_tx_ms + c->hold_s * 1000ull / 3;

		if (ka < next)
			next = ka;
	}
	if (next == UINT64_MAX)
		return;
	uv_timer_start(&c->timer, conn_timer_cb, next > now ? next - now : 0,
	    0);
}

/* --- connections ------------------------------------------------------------- */

/* The TCP connection is up (either way): OPEN, then OpenSent. */
static void
conn_start(struct bconn *c)
{
	int rc;

	uv_tcp_nodelay(&c->tcp, 1);
	if ((rc = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read))
	    != 0) {
		conn_close(c, uv_strerror(rc));
		return;
	}
	if (!send_open(c)) {
		conn_close(c, "cannot encode our OPEN");
		return;
	}
	c->state = BS_OPENSENT;
	c->last_rx_ms = uv_now(c->fb->loop);
	conn_arm_timer(c);
}

static void
on_connect(uv_connect_t *req, int status)
{
	struct bconn *c = req->data;

	if (c->closing)
		return;
	if (status != 0) {
		char why[96];

		snprintf(why, sizeof(why), "connect: %s", uv_strerror(status));
		conn_close(c, why);
		return;
	}
	conn_start(c);
}

static void
peer_connect(struct bpeer *p)
{
	struct feed_bgp *fb = p->fb;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct bconn *c;
	int rc, fd;

	if (fb->stopped || p->held_down || p->est != NULL)
		return;
	for (c = p->conns; c != NULL; c = c->next)
		if (c->outgoing)
			return;
	c = conn_new(fb, p->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET);
	if (c == NULL) {
		peer_schedule_connect(p);
		return;
	}
	c->peer = p;
	c->outgoing = true;
	c->state = BS_CONNECT;
	c->next = p->conns;
	p->conns = c;
	if (p->conf.password != NULL &&
	    (uv_fileno((uv_handle_t *)&c->tcp, &fd) != 0 ||
	    !md5_set(fd, &p->conf, p->conf.password))) {
		char why[128];

		snprintf(why, sizeof(why), "TCP-MD5: %s", strerror(errno));
		conn_close(c, why);
		return;
	}
	if (p->conf.has_local) {
		sockaddr_of(p->afi, p->conf.local_addr, 0, &ss, &sl);
		if ((rc = uv_tcp_bind(&c->tcp, (struct sockaddr *)&ss, 0))
		    != 0) {
			char why[128];

			snprintf(why, sizeof(why), "bind to local_address: %s",
			    uv_strerror(rc));
			conn_close(c, why);
			return;
		}
	}
	sockaddr_of(p->afi, p->addr, p->conf.port, &ss, &sl);
	c->creq.data = c;
	conn_arm_timer(c);
	if ((rc = uv_tcp_connect(&c->creq, &c->tcp, (struct sockaddr *)&ss,
	    on_connect)) != 0) {
		char why[96];

		snprintf(why, sizeof(why), "connect: %s", uv_strerror(rc));
		conn_close(c, why);
	}
}

static void
connect_timer_cb(uv_timer_t *t)
{
	peer_connect(t->data);
}

/* The configured peer for an address: the exact one, else the range
 * with the longest prefix that holds it. */
static const struct feed_bgp_peer_conf *
conf_for(const struct feed_bgp *fb, uint8_t afi, const uint8_t *addr)
{
	const struct feed_bgp_peer_conf *best = NULL;

	for (size_t i = 0; i < fb->nconfs; i++) {
		const struct feed_bgp_peer_conf *pc = &fb->confs[i];
		unsigned bits = pc->plen, k;

		if (pc->afi != afi)
			continue;
		for (k = 0; k < bits / 8; k++)
			if (pc->addr[k] != addr[k])
				break;
		if (k < bits / 8)
			continue;
		if (bits % 8 != 0 && ((pc->addr[k] ^ addr[k]) &
		    (uint8_t)(0xff00u >> (bits % 8))) != 0)
			continue;
		if (best == NULL || pc->plen > best->plen)
			best = pc;
	}
	return best;
}

static struct bpeer *
peer_find(const struct feed_bgp *fb, uint8_t afi, const uint8_t *addr)
{
	for (size_t i = 0; i < fb->npeers; i++)
		if (fb->peers[i]->afi == afi &&
		    memcmp(fb->peers[i]->addr, addr, 16) == 0)
			return fb->peers[i];
	return NULL;
}

/* A peer's address from a socket (IPv4-mapped IPv6 as IPv4). */
static bool
addr_of(const struct sockaddr_storage *ss, uint8_t *afi, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (ss->ss_family == AF_INET) {
		memcpy(addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		*afi = BGP_AFI_IPV4;
		return true;
	}
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a =
		    &((const struct sockaddr_in6 *)ss)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a)) {
			memcpy(addr, a->s6_addr + 12, 4);
			*afi = BGP_AFI_IPV4;
		} else {
			memcpy(addr, a->s6_addr, 16);
			*afi = BGP_AFI_IPV6;
		}
		return true;
	}
	return false;
}

static void
on_accept(uv_stream_t *server, int status)
{
	struct blisten *l = server->data;
	struct feed_bgp *fb = l->fb;
	const struct feed_bgp_peer_conf *pc;
	struct sockaddr_storage ss;
	int sl = sizeof(ss);
	struct bconn *c;
	struct bpeer *p;
	char ip[INET6_ADDRSTRLEN] = "?";
	uint8_t afi = 0, addr[16];

	if (status != 0 || fb->stopped)
		return;
	if ((c = conn_new(fb, AF_UNSPEC)) == NULL)
		return;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &sl) != 0 ||
	    !addr_of(&ss, &afi, addr)) {
		c->next = fb->pending;
		fb->pending = c;
		conn_close(c, "accept failed");
		return;
	}
	inet_ntop(afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, addr, ip,
	    sizeof(ip));
	p = peer_find(fb, afi, addr);
	if (p == NULL && (pc = conf_for(fb, afi, addr)) != NULL &&
	    pc->is_range) {
		if (fb->ndynamic >= DYNAMIC_MAX)
			log_warn("bgp connection refused source=%s peer=%s "
			    "why=\"too many dynamic peers (%u)\"", fb->name,
			    ip, DYNAMIC_MAX);
		else
			p = peer_new(fb, pc, afi, addr);
	}
	if (p == NULL) {
		c->next = fb->pending;
		fb->pending = c;
		log_warn("bgp connection refused source=%s peer=%s why=\"not a "
		    "configured peer\"", fb->name, ip);
		conn_close(c, "not a configured peer");
		return;
	}
	c->peer = p;
	c->next = p->conns;
	p->conns = c;
	if (p->held_down) {
		conn_cease(c, N_CEASE_REJECTED, "held down after the prefix "
		    "limit");
		return;
	}
	for (struct bconn *o = p->conns; o != NULL; o = o->next)
		if (o != c && !o->outgoing) {
			/* a second incoming connection: the peer gave up on
			 * the first (or restarted); the newer one stays */
			if (o->state == BS_ESTABLISHED && !o->gr) {
				conn_cease(c, N_CEASE_COLLISION, "a session "
				    "is established");
				return;
			}
			conn_close(o, "the peer connected again");
			break;
		}
	if (p->est != NULL && p->est->gr) {
		/* RFC 4724 4.2: a peer that restarts reconnects while we
		 * still hold its session: that session is over, its
		 * routes kept stale */
		struct bconn *old = p->est;

		peer_session_down(p, old, "the peer restarted (new "
		    "connection)", false);
		conn_close(old, "the peer restarted (new connection)");
	}
	log_debug("bgp connection accepted source=%s peer=%s", fb->name, ip);
	conn_start(c);
}

/* --- the source ------------------------------------------------------------- */

int
feed_listen(uv_loop_t *loop, uv_tcp_t *tcp, const struct feed_bgp_listen *l,
    uv_connection_cb cb, bool *inited, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	char ip[INET6_ADDRSTRLEN];
	socklen_t sl;
	void *data = tcp->data;
	int rc;

	*inited = false;
	inet_ntop(l->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, l->addr, ip,
	    sizeof(ip));
	if ((rc = uv_tcp_init_ex(loop, tcp, l->afi == BGP_AFI_IPV6 ?
	    AF_INET6 : AF_INET)) != 0) {
		snprintf(err, errlen, "listen on %s port %u: %s", ip, l->port,
		    uv_strerror(rc));
		return -1;
	}
	*inited = true;
	tcp->data = data;
	sockaddr_of(l->afi, l->addr, l->port, &ss, &sl);
	rc = uv_tcp_bind(tcp, (struct sockaddr *)&ss, l->afi == BGP_AFI_IPV6 ?
	    UV_TCP_IPV6ONLY : 0);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)tcp, 128, cb);
	if (rc != 0) {
		snprintf(err, errlen, "listen on %s port %u: %s", ip, l->port,
		    uv_strerror(rc));
		return -1;
	}
	return 0;
}

static int
bgp_start(struct feed_source *s)
{
	struct feed_bgp *fb = to_bgp(s);
	char err[256];

	s->id = fb->restart ? fb->restart_id : rib_source_add(s->rib, "bgp",
	    fb->name);
	if (s->id == UINT32_MAX)
		return -1;
	for (size_t i = 0; i < fb->nlisten; i++) {
		struct blisten *l = &fb->listen[i];
		int rc, fd;

		bool inited = false;

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
		/* TCP-MD5 keys of the peers of its family */
		if (uv_fileno((uv_handle_t *)&l->tcp, &fd) == 0)
			for (size_t k = 0; k < fb->nconfs; k++)
				if (fb->confs[k].password != NULL &&
				    fb->confs[k].afi == l->conf.afi &&
				    !md5_set(fd, &fb->confs[k],
				    fb->confs[k].password)) {
					snprintf(err, sizeof(err), "TCP-MD5 "
					    "for the peer at line %u: %s",
					    fb->confs[k].line, strerror(errno));
					rib_source_state(s->rib, s->id,
					    RIB_SRC_DOWN, feed_now_us(), err);
					return -1;
				}
	}
	for (size_t i = 0; i < fb->nconfs; i++) {
		struct bpeer *p;

		if (fb->confs[i].is_range)
			continue;
		if ((p = peer_new(fb, &fb->confs[i], fb->confs[i].afi,
		    fb->confs[i].addr)) == NULL) {
			rib_source_state(s->rib, s->id, RIB_SRC_DOWN, feed_now_us(),
			    "out of memory");
			return -1;
		}
		if (!p->conf.passive)
			peer_schedule_connect(p);
	}
	set_state(fb, RIB_SRC_UP, "");
	log_info("bgp source up source=%s local_as=%u listeners=%zu peers=%zu",
	    fb->name, fb->local_as, fb->nlisten, fb->nconfs);
	return 0;
}

/* Nothing to poll: the loop drives everything. */
static uint64_t
bgp_poll(struct feed_source *s, uint64_t now)
{
	(void)s;
	return now + 3600u * 1000000u;
}

static void
bgp_stop(struct feed_source *s)
{
	struct feed_bgp *fb = to_bgp(s);

	if (fb->stopped)
		return;
	/* no event from here: the daemon takes the VPs down itself */
	fb->stopped = true;
	for (size_t i = 0; i < fb->npeers; i++) {
		struct bpeer *p = fb->peers[i];

		uv_timer_stop(&p->retry);
		uv_timer_stop(&p->gr_timer);
		while (p->conns != NULL) {
			struct bconn *c = p->conns;

			if (c->state >= BS_OPENSENT)
				conn_cease(c, N_CEASE_SHUTDOWN,
				    "bgpsentry: source stopped");
			else
				conn_close(c, "source stopped");
		}
	}
	while (fb->pending != NULL)
		conn_close(fb->pending, "source stopped");
}

static void
bgp_free(struct feed_source *s)
{
	struct feed_bgp *fb = to_bgp(s);

	bgp_stop(s);
	fb->freed = true;
	for (size_t i = 0; i < fb->npeers; i++) {
		struct bpeer *p = fb->peers[i];

		uv_timer_stop(&p->retry);
		uv_timer_stop(&p->gr_timer);
		uv_close((uv_handle_t *)&p->retry, peer_handle_closed);
		uv_close((uv_handle_t *)&p->gr_timer, peer_handle_closed);
	}
	fb->npeers = 0;
	for (size_t i = 0; i < fb->nlisten; i++)
		if (fb->listen[i].fb != NULL)
			uv_close((uv_handle_t *)&fb->listen[i].tcp,
			    listen_closed);
	fb_maybe_free(fb);
}

static const struct feed_ops bgp_ops = {
	.kind = "bgp",
	.start = bgp_start,
	.poll = bgp_poll,
	.stop = bgp_stop,
	.free = bgp_free,
};

struct feed_source *
feed_bgp_new(struct rib *r, const struct feed_bgp_config *c,
    feed_sink_fn sink, void *sink_arg)
{
	struct feed_bgp *fb = calloc(1, sizeof(*fb));

	if (fb == NULL)
		return NULL;
	feed_source_init(&fb->base, &bgp_ops, r, sink, sink_arg);
	snprintf(fb->name, sizeof(fb->name), "%s", c->name);
	fb->loop = c->loop;
	fb->local_as = c->local_as;
	fb->router_id = c->router_id;
	fb->retry_s = c->connect_retry_s > 0 ? c->connect_retry_s : 5;
	fb->vp_tags = c->vp_tags;
	fb->restart = c->restart;
	fb->restart_id = c->source_id;
	arena_init(&fb->arena, 64 * 1024);
	fb->confs = calloc(c->npeers ? c->npeers : 1, sizeof(*fb->confs));
	fb->listen = calloc(c->nlisten ? c->nlisten : 1, sizeof(*fb->listen));
	if (fb->confs == NULL || fb->listen == NULL)
		goto fail;
	for (; fb->nconfs < c->npeers; fb->nconfs++) {
		struct feed_bgp_peer_conf *p = &fb->confs[fb->nconfs];

		*p = c->peers[fb->nconfs];
		p->password = c->peers[fb->nconfs].password ?
		    strdup(c->peers[fb->nconfs].password) : NULL;
		p->description = c->peers[fb->nconfs].description ?
		    strdup(c->peers[fb->nconfs].description) : NULL;
	}
	for (size_t i = 0; i < c->nlisten; i++)
		fb->listen[i].conf = c->listen[i];
	fb->nlisten = c->nlisten;
	return &fb->base;
fail:
	fb->freed = true;
	fb_maybe_free(fb);
	return NULL;
}

/* --- what the API shows --------------------------------------------------- */

static void
json_fams(struct jw *j, const char *key, uint8_t f)
{
	jw_key(j, key);
	jw_arr_begin(j);
	if (f & FEED_BGP_IPV4)
		jw_str(j, "ipv4");
	if (f & FEED_BGP_IPV6)
		jw_str(j, "ipv6");
	jw_arr_end(j);
}

void
feed_bgp_peers_json(struct feed_source *s, struct jw *j, uint64_t now)
{
	struct feed_bgp *fb = to_bgp(s);

	for (size_t i = 0; i < fb->npeers; i++) {
		struct bpeer *p = fb->peers[i];
		const struct rib_vp *v = peer_vp(p);
		uint8_t st = peer_state(p);
		uint8_t ap = (uint8_t)((p->addpath & (1u <<
		    BGP_FAM_IPV4_UNICAST) ? FEED_BGP_IPV4 : 0) |
		    (p->addpath & (1u << BGP_FAM_IPV6_UNICAST) ?
		    FEED_BGP_IPV6 : 0));

		jw_obj_begin(j);
		jw_kstr(j, "source", fb->name);
		jw_kstr(j, "address", p->addr_str);
		if (p->conf.description != NULL)
			jw_kstr(j, "description", p->conf.description);
		jw_kbool(j, "dynamic", p->dynamic);
		jw_kbool(j, "passive", p->conf.passive);
		jw_key(j, "remote_as");
		if (p->conf.remote_as != 0)
			jw_u64(j, p->conf.remote_as);
		else
			jw_str(j, "any");
		jw_kstr(j, "state", bst_names[st]);
		jw_ku64(j, "state_for_s", now > p->since_us ?
		    (now - p->since_us) / 1000000u : 0);
		if (p->held_down)
			jw_kstr(j, "held_down", "prefix limit");
		jw_key(j, "vp");
		if (p->vp != UINT32_MAX)
			jw_u64(j, p->vp);
		else
			jw_null(j);
		jw_ku64(j, "asn", p->remote_as);
		jw_key(j, "prefixes");
		jw_obj_begin(j);
		jw_ku64(j, "ipv4", v != NULL ? v->routes[0] : 0);
		jw_ku64(j, "ipv6", v != NULL ? v->routes[1] : 0);
		jw_obj_end(j);
		json_fams(j, "stale", p->stale);
		jw_key(j, "messages");
		jw_obj_begin(j);
		jw_ku64(j, "in", p->msgs_in);
		jw_ku64(j, "out", p->msgs_out);
		jw_ku64(j, "updates_in", p->updates_in);
		jw_ku64(j, "notifications_in", p->notif_in);
		jw_ku64(j, "notifications_out", p->notif_out);
		jw_ku64(j, "malformed", p->malformed);
		jw_obj_end(j);
		jw_ku64(j, "established_count", p->established);
		jw_kstr(j, "last_error", p->last_error);
		if (p->established > 0) {
			char rid[16];

			snprintf(rid, sizeof(rid), "%u.%u.%u.%u",
			    p->remote_id >> 24, (p->remote_id >> 16) & 0xff,
			    (p->remote_id >> 8) & 0xff, p->remote_id & 0xff);
			jw_key(j, "session");
			jw_obj_begin(j);
			jw_kstr(j, "router_id", rid);
			jw_ku64(j, "hold_time", p->hold_s);
			json_fams(j, "families", p->families);
			json_fams(j, "add_path", ap);
			jw_kbool(j, "as4", p->as4);
			jw_kbool(j, "route_refresh", p->route_refresh);
			jw_kbool(j, "graceful_restart", p->gr);
			jw_obj_end(j);
		}
		jw_ku64(j, "max_prefixes", p->conf.max_prefixes);
		jw_obj_end(j);
	}
}

#define TEXT_FMT	"%-12s %-26s %-11s %-12s %9s %9s %9s %10s %10s  %s\n"

void
feed_bgp_peers_text_head(struct strbuf *out)
{
	sb_printf(out, TEXT_FMT, "SOURCE", "PEER", "AS", "STATE", "FOR",
	    "IPV4", "IPV6", "MSGS IN", "MSGS OUT", "LAST ERROR");
}

/* 3d04h, 5h12m, 42m10s, 9s */
static void
span(uint64_t s, char *buf, size_t len)
{
	if (s >= 86400)
		snprintf(buf, len, "%llud%02lluh", (unsigned long long)(s /
		    86400), (unsigned long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s /
		    3600), (unsigned long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60),
		    (unsigned long long)(s % 60));
	else
		snprintf(buf, len, "%llus", (unsigned long long)s);
}

void
feed_bgp_peers_text(struct feed_source *s, struct strbuf *out, uint64_t now)
{
	struct feed_bgp *fb = to_bgp(s);

	for (size_t i = 0; i < fb->npeers; i++) {
		struct bpeer *p = fb->peers[i];
		const struct rib_vp *v = peer_vp(p);
		char as[16], v4[24], v6[24], in[24], out_[24], f[16];
		char name[80];

		snprintf(name, sizeof(name), "%s%s%s%s", p->addr_str,
		    p->conf.description != NULL && !p->dynamic ? " (" : "",
		    p->conf.description != NULL && !p->dynamic ?
		    p->conf.description : "", p->conf.description != NULL &&
		    !p->dynamic ? ")" : "");
		if (p->remote_as != 0)
			snprintf(as, sizeof(as), "AS%u", p->remote_as);
		else if (p->conf.remote_as != 0)
			snprintf(as, sizeof(as), "AS%u", p->conf.remote_as);
		else
			snprintf(as, sizeof(as), "any");
		snprintf(v4, sizeof(v4), "%llu", (unsigned long long)(v ?
		    v->routes[0] : 0));
		snprintf(v6, sizeof(v6), "%llu", (unsigned long long)(v ?
		    v->routes[1] : 0));
		snprintf(in, sizeof(in), "%llu", (unsigned long long)p->msgs_in);
		snprintf(out_, sizeof(out_), "%llu",
		    (unsigned long long)p->msgs_out);
		span(now > p->since_us ? (now - p->since_us) / 1000000u : 0, f,
		    sizeof(f));
		sb_printf(out, TEXT_FMT, fb->name, name, as,
		    p->held_down ? "idle (limit)" : bst_names[peer_state(p)],
		    f, v4, v6, in, out_, p->est != NULL ? "" : p->last_error);
	}
}

void
feed_bgp_peers_metrics(struct feed_source *s, struct strbuf *out)
{
	struct feed_bgp *fb = to_bgp(s);

	for (size_t i = 0; i < fb->npeers; i++) {
		const struct bpeer *p = fb->peers[i];
		const struct rib_vp *v = peer_vp(fb->peers[i]);
		char lbl[160];

		snprintf(lbl, sizeof(lbl), "source=\"%s\",peer=\"%s\"",
		    fb->name, p->addr_str);
		sb_printf(out, "bgpsentry_bgp_peer_up{%s} %d\n"
		    "bgpsentry_bgp_peer_prefixes{%s,afi=\"ipv4\"} %llu\n"
		    "bgpsentry_bgp_peer_prefixes{%s,afi=\"ipv6\"} %llu\n"
		    "bgpsentry_bgp_peer_established_total{%s} %llu\n"
		    "bgpsentry_bgp_peer_malformed_total{%s} %llu\n", lbl,
		    p->est != NULL, lbl, (unsigned long long)(v != NULL ?
		    v->routes[0] : 0), lbl, (unsigned long long)(v != NULL ?
		    v->routes[1] : 0), lbl, (unsigned long long)p->established,
		    lbl, (unsigned long long)p->malformed);
	}
}

static struct bpeer *
peer_named(struct feed_bgp *fb, const char *addr)
{
	uint8_t a[16];

	memset(a, 0, sizeof(a));
	if (inet_pton(AF_INET, addr, a) == 1)
		return peer_find(fb, BGP_AFI_IPV4, a);
	memset(a, 0, sizeof(a));
	if (inet_pton(AF_INET6, addr, a) == 1)
		return peer_find(fb, BGP_AFI_IPV6, a);
	return NULL;
}

bool
feed_bgp_has_peer(struct feed_source *s, const char *addr)
{
	return peer_named(to_bgp(s), addr) != NULL;
}

bool
feed_bgp_refresh(struct feed_source *s, const char *addr, char *err,
    size_t errlen)
{
	struct bpeer *p = peer_named(to_bgp(s), addr);

	if (p == NULL) {
		snprintf(err, errlen, "no peer %s", addr);
		return false;
	}
	if (p->est == NULL) {
		snprintf(err, errlen, "peer %s is not established", addr);
		return false;
	}
	if (!p->est->route_refresh) {
		snprintf(err, errlen, "peer %s does not take route refresh "
		    "(RFC 2918)", addr);
		return false;
	}
	for (int f = 0; f < 2; f++)
		if (p->est->families & (1u << f))
			send_refresh(p->est, f ? BGP_AFI_IPV6 : BGP_AFI_IPV4);
	log_info("bgp route refresh sent source=%s peer=%s families=%s",
	    p->fb->name, p->addr_str, fams_str(p->est->families));
	return true;
}

/* --- for tests and fuzzing ------------------------------------------------- */

bool
feed_bgp_input(struct feed_source *s, const char *addr, bool established,
    const uint8_t *data, size_t len)
{
	struct feed_bgp *fb = to_bgp(s);
	struct bpeer *p = peer_named(fb, addr);
	struct bconn *c;
	int sv[2];

	if (p == NULL || fb->stopped)
		return false;
	if ((c = p->conns) == NULL) {
		/* a connection over a socket pair: what we send goes to the
		 * other end, which stays open until the connection closes */
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) != 0)
			return false;
		if ((c = conn_new(fb, AF_UNSPEC)) == NULL ||
		    uv_tcp_open(&c->tcp, sv[0]) != 0) {
			if (c != NULL) {
				c->next = fb->pending;
				fb->pending = c;
				conn_close(c, "test connection");
			} else {
				close(sv[0]);
			}
			close(sv[1]);
			return false;
		}
		c->test_fd = sv[1];
		c->peer = p;
		c->next = p->conns;
		p->conns = c;
		if (!send_open(c)) {
			conn_close(c, "cannot encode our OPEN");
			return false;
		}
		c->state = BS_OPENSENT;
		if (established) {
			/* what an OPEN with every capability would give */
			c->remote_as = p->conf.remote_as ? p->conf.remote_as :
			    65001;
			c->remote_id = 0x0a000002;
			c->families = p->conf.families;
			c->sess.as4 = true;
			c->sess.ext_msg = true;
			c->sess.addpath_rx = p->conf.add_path ?
			    (uint8_t)(1u << BGP_FAM_IPV4_UNICAST |
			    1u << BGP_FAM_IPV6_UNICAST) : 0;
			c->route_refresh = true;
			c->gr = true;
			c->gr_time = 120;
			c->gr_any = c->gr_fams = c->families;
			c->hold_s = 90;
			on_established(c);
		}
	}
	if (c->closing || len == 0)
		return true;
	if (c->rcap - c->rlen < len) {
		uint8_t *nb = realloc(c->rbuf, c->rlen + len);

		if (nb == NULL)
			return false;
		c->rbuf = nb;
		c->rcap = c->rlen + len;
	}
	memcpy(c->rbuf + c->rlen, data, len);
	c->rlen += len;
	conn_input(c);
	return true;
}
