#include <arpa/inet.h>
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_health.h"
#include "feed/feed_rislive.h"
#include "util/arena.h"
#include "util/htab.h"
#include "util/json_out.h"
#include "util/khash.h"
#include "util/log.h"
#include "util/strbuf.h"

#define RL_IN_MAX		(16u << 20)	/* one message from the server */
#define RL_HOSTS_MAX		1024		/* collectors heard */
#define RL_PEERS_MAX		(1u << 20)	/* RIS peers (VPs) */
#define RL_GAPS			16		/* the latest kept */
#define RL_CONNECT_TIMEOUT_US	(30u * 1000000u)
#define RL_TICK_US		250000u
/* A connection that delivered for this long starts the backoff over. */
#define RL_STABLE_US		(60u * 1000000u)
/* Malformed or unknown messages logged in full, per source; then one
 * line in RL_LOG_EVERY. */
#define RL_LOG_FIRST		20
#define RL_LOG_EVERY		1000

/* --- the shared client context ------------------------------------------------ */

struct feed_ws {
	uv_loop_t		*loop;
	struct lws_context	*ctx;
};

static int	ws_cb(struct lws *wsi, enum lws_callback_reasons reason,
		    void *user, void *in, size_t len);

static const struct lws_protocols client_protocols[] = {
	{ "bgpsentry-rislive", ws_cb, 0, 64 * 1024, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

struct feed_ws *
feed_ws_new(uv_loop_t *loop)
{
	struct lws_context_creation_info info;
	struct feed_ws *w = calloc(1, sizeof(*w));
	void *loops[1] = { loop };

	if (w == NULL)
		return NULL;
	w->loop = loop;
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
	    LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.foreign_loops = loops;
	info.protocols = client_protocols;
	if ((w->ctx = lws_create_context(&info)) == NULL) {
		free(w);
		return NULL;
	}
	return w;
}

void
feed_ws_stop(struct feed_ws *w)
{
	if (w != NULL && w->ctx != NULL)
		lws_context_destroy(w->ctx);
}

void
feed_ws_free(struct feed_ws *w)
{
	if (w == NULL)
		return;
	/* the second call a foreign loop needs, once the loop has run
	 * the closing the first started */
	if (w->ctx != NULL)
		lws_context_destroy(w->ctx);
	free(w);
}

/* --- the source ---------------------------------------------------------------- */

enum conn_state { C_WAITING, C_CONNECTING, C_OPEN };

static const char *const conn_names[] = { "waiting", "connecting",
    "connected" };

struct feed_rislive;

/* A connection, the wsi's user data. It outlives its source when the
 * library still holds it: then fr is NULL and it only closes. */
struct rconn {
	struct feed_rislive	*fr;
	struct lws		*wsi;
	bool			 closing;	/* the library closes it */
};

struct rhost {
	char		name[RISLIVE_HOST_MAX];
	uint64_t	last_us;
	uint64_t	messages;
	bool		silent;
};

/* Why a VP's routes are stale: the stream had a gap, or its collector
 * fell silent. */
#define STALE_GAP	0x01
#define STALE_HOST	0x02

struct rpeer {
	uint32_t	host;
	uint8_t		afi;
	uint8_t		addr[16];
	uint32_t	asn;
	uint32_t	vp;
	uint8_t		stale;
};

struct rgap {
	uint64_t	start_us;
	uint64_t	end_us;		/* 0: still open */
	char		cause[160];
};

struct feed_rislive {
	struct feed_source	 base;
	/* the configuration, copied */
	char			*name;
	uv_loop_t		*loop;
	struct feed_ws		*ws;
	char			*url;
	char			*ca_file;
	char			*proxy;
	struct rislive_sub	*subs;
	size_t			 nsubs;
	bool			 include_raw;
	bool			 heartbeat;
	uint64_t		 ping_us;
	uint64_t		 silence_us;
	uint64_t		 host_silence_us;
	uint32_t		 backoff_min_ms;
	uint32_t		 backoff_max_ms;
	uint16_t		 vp_tags;
	bool			 restart;
	uint32_t		 restart_id;
	/* the URL's parts */
	char			*url_buf;
	const char		*address;
	char			 path[1024];
	int			 port;
	bool			 tls;
	struct lws_vhost	*vh;
	/* the connection */
	struct rconn		*conn;
	enum conn_state		 state;
	uint64_t		 state_us;
	uint64_t		 retry_at_us;
	unsigned		 failures;
	uint64_t		 last_msg_us;
	uint64_t		 ping_due_us;
	uint64_t		 pong_wait_us;	/* a ping out since; 0: none */
	bool			 streaming;	/* subscribed, or heard */
	unsigned		 acks_due;
	struct strbuf		*out;		/* to send, in order */
	unsigned		 nout;
	unsigned		 out_next;
	struct strbuf		 in;
	bool			 in_too_long;
	uint64_t		 seed;
	/* collectors and peers */
	struct rhost		*hosts;
	uint32_t		 nhosts;
	struct rpeer		*peers;
	uint32_t		 npeers;
	uint32_t		 cap_peers;
	struct htab		 idx;
	unsigned		 silent_hosts;
	/* counters */
	uint64_t		 connects;
	uint64_t		 disconnects;
	uint64_t		 messages;
	uint64_t		 ris_messages;
	uint64_t		 per_type[RISLIVE_TYPES];
	uint64_t		 unknown;
	uint64_t		 ris_errors;
	uint64_t		 acks;
	uint64_t		 pongs;
	uint64_t		 raw_checked;
	uint64_t		 raw_mismatch;
	uint64_t		 bgp_problems;
	char			 last_error[256];
	char			 last_ris_error[160];
	struct rgap		 gaps[RL_GAPS];
	uint64_t		 ngaps;
	bool			 in_gap;
	struct arena		 arena;		/* a message's */
	struct arena		 bgp_arena;
	struct feed_events	 evs;
	bool			 stopped;
};

static struct feed_rislive *
to_rl(struct feed_source *s)
{
	return (struct feed_rislive *)s;
}

static void
emit1(struct feed_rislive *fr, struct feed_event *ev)
{
	if (!fr->stopped)
		feed_emit_one(&fr->base, ev);
}

static void
source_state(struct feed_rislive *fr, enum rib_source_state st,
    uint64_t at_us, const char *error)
{
	struct feed_event ev = { .type = FEED_SOURCE_STATE, .state = (uint8_t)st,
	    .time_us = at_us, .error = error };

	emit1(fr, &ev);
}

/* --- collectors and peers -------------------------------------------------------- */

static uint32_t
host_of(struct feed_rislive *fr, const char *name)
{
	struct rhost *nh;

	for (uint32_t i = 0; i < fr->nhosts; i++)
		if (strcmp(fr->hosts[i].name, name) == 0)
			return i;
	if (fr->nhosts == RL_HOSTS_MAX)
		return UINT32_MAX;
	if ((nh = realloc(fr->hosts, (fr->nhosts + 1) * sizeof(*nh))) ==
	    NULL)
		return UINT32_MAX;
	fr->hosts = nh;
	memset(&nh[fr->nhosts], 0, sizeof(*nh));
	snprintf(nh[fr->nhosts].name, sizeof(nh->name), "%s", name);
	return fr->nhosts++;
}

struct peer_key {
	uint32_t	host;
	uint8_t		afi;
	uint8_t		addr[16];
	uint32_t	asn;
};

static uint64_t
peer_hash(uint32_t host, uint8_t afi, const uint8_t *addr, uint32_t asn)
{
	uint32_t w[7];

	w[0] = host;
	w[1] = afi;
	memcpy(&w[2], addr, 16);
	w[6] = asn;
	return khash_multilinear(0, w, 7);
}

static bool
peer_eq(uint32_t val, const void *key, void *ctx)
{
	const struct rpeer *p = &((struct feed_rislive *)ctx)->peers[val];
	const struct peer_key *k = key;

	return p->host == k->host && p->afi == k->afi && p->asn == k->asn &&
	    memcmp(p->addr, k->addr, 16) == 0;
}

static uint64_t
peer_rehash(uint32_t val, void *ctx)
{
	const struct rpeer *p = &((struct feed_rislive *)ctx)->peers[val];

	return peer_hash(p->host, p->afi, p->addr, p->asn);
}

static void
peer_prefetch(uint32_t val, void *ctx)
{
	(void)val;
	(void)ctx;
}

static const struct htab_ops peer_ops = { peer_rehash, peer_prefetch };

/* The peer of a message, its VP made at the first message. NULL when
 * there is no room. */
static struct rpeer *
peer_of(struct feed_rislive *fr, uint32_t host, const struct rislive_msg *m)
{
	struct peer_key k = { .host = host, .afi = m->peer_afi,
	    .asn = m->peer_asn };
	uint64_t hv;
	uint32_t slot;
	struct rpeer *p;
	struct rib_vp t;
	char ip[INET6_ADDRSTRLEN];

	memcpy(k.addr, m->peer, 16);
	hv = peer_hash(host, k.afi, k.addr, k.asn);
	slot = htab_find(&fr->idx, hv, peer_eq, &k, fr);
	if (slot != UINT32_MAX)
		return &fr->peers[htab_val(&fr->idx, slot)];
	if (fr->npeers == RL_PEERS_MAX)
		return NULL;
	if (fr->npeers == fr->cap_peers) {
		uint32_t cap = fr->cap_peers ? fr->cap_peers * 2 : 256;
		struct rpeer *np = realloc(fr->peers, cap * sizeof(*np));

		if (np == NULL)
			return NULL;
		fr->peers = np;
		fr->cap_peers = cap;
	}
	memset(&t, 0, sizeof(t));
	t.source = fr->base.id;
	t.afi = k.afi;
	memcpy(t.addr, k.addr, 16);
	t.asn = k.asn;
	t.table = RIB_TABLE_COLLECTOR_PEER;
	t.tags = (uint16_t)(fr->vp_tags | RIB_TAG_COLLECTOR);
	inet_ntop(k.afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, k.addr, ip,
	    sizeof(ip));
	/* "rrc00 192.0.2.1 AS64500": the host's first label */
	snprintf(t.name, sizeof(t.name), "%.*s %.39s AS%u", (int)(strcspn(
	    m->host, ".") > 10 ? 10 : strcspn(m->host, ".")), m->host, ip,
	    k.asn);
	p = &fr->peers[fr->npeers];
	memset(p, 0, sizeof(*p));
	p->host = host;
	p->afi = k.afi;
	memcpy(p->addr, k.addr, 16);
	p->asn = k.asn;
	if ((p->vp = rib_vp_add(fr->base.rib, &t)) == UINT32_MAX)
		return NULL;
	if (!htab_add(&fr->idx, hv, fr->npeers, &peer_ops, fr))
		return NULL;	/* the VP stays, unused */
	fr->npeers++;
	return p;
}

static bool
vp_is(struct feed_rislive *fr, const struct rpeer *p, enum rib_vp_state st)
{
	const struct rib_vp *v = rib_vp(fr->base.rib, p->vp);

	return v != NULL && v->state == st;
}

/* The peer is heard from: up, with its routes current again if they
 * were kept stale for a reason that is over. */
static void
peer_heard(struct feed_rislive *fr, struct rpeer *p, uint64_t now)
{
	struct feed_event ev = { .type = FEED_VP_UP, .vp = p->vp,
	    .time_us = now };

	if (p->stale != 0 || vp_is(fr, p, RIB_VP_UP))
		return;
	emit1(fr, &ev);
}

/* Marks stale (keeping their routes) the peers that are up, of one
 * host or of all (UINT32_MAX), for why. */
static void
peers_stale(struct feed_rislive *fr, uint32_t host, uint8_t why,
    const char *error)
{
	for (uint32_t i = 0; i < fr->npeers; i++) {
		struct rpeer *p = &fr->peers[i];
		struct feed_event ev = { .type = FEED_VP_DOWN, .vp = p->vp,
		    .keep_stale = true, .error = error };

		if (host != UINT32_MAX && p->host != host)
			continue;
		if (vp_is(fr, p, RIB_VP_UP))
			emit1(fr, &ev);
		if (vp_is(fr, p, RIB_VP_STALE))
			p->stale |= why;
	}
}

/* The reason why is over: the peers stale for it alone are up, their
 * routes current again (RIS Live sends no table after a gap: what was
 * known is the best there is, and the gap says so). */
static void
peers_fresh(struct feed_rislive *fr, uint32_t host, uint8_t why)
{
	for (uint32_t i = 0; i < fr->npeers; i++) {
		struct rpeer *p = &fr->peers[i];
		struct feed_event ev = { .type = FEED_VP_UP, .vp = p->vp,
		    .keep_stale = true };

		if ((host != UINT32_MAX && p->host != host) ||
		    !(p->stale & why))
			continue;
		p->stale &= (uint8_t)~why;
		if (p->stale == 0 && vp_is(fr, p, RIB_VP_STALE))
			emit1(fr, &ev);
	}
}

/* --- gaps and state ------------------------------------------------------------------ */

static void
gap_begin(struct feed_rislive *fr, uint64_t start_us, const char *cause)
{
	struct rgap *g;

	if (fr->in_gap)
		return;
	fr->in_gap = true;
	g = &fr->gaps[fr->ngaps++ % RL_GAPS];
	memset(g, 0, sizeof(*g));
	g->start_us = start_us;
	snprintf(g->cause, sizeof(g->cause), "%.159s", cause);
}

static void
gap_end(struct feed_rislive *fr, uint64_t now)
{
	struct rgap *g;

	if (!fr->in_gap)
		return;
	fr->in_gap = false;
	g = &fr->gaps[(fr->ngaps - 1) % RL_GAPS];
	g->end_us = now;
	log_info("rislive stream back source=%s gap_ms=%llu cause=\"%s\"",
	    fr->name, (unsigned long long)((now - g->start_us) / 1000u),
	    g->cause);
}

static void
state_up(struct feed_rislive *fr, uint64_t now)
{
	char why[160];

	if (fr->silent_hosts == 0) {
		source_state(fr, RIB_SRC_UP, now, "");
		return;
	}
	snprintf(why, sizeof(why), "%u collector%s silent", fr->silent_hosts,
	    fr->silent_hosts == 1 ? "" : "s");
	source_state(fr, RIB_SRC_DEGRADED, now, why);
}

/* The stream delivers (again): the gap ends, the VPs are current. */
static void
streaming(struct feed_rislive *fr, uint64_t now)
{
	if (fr->streaming)
		return;
	fr->streaming = true;
	fr->last_msg_us = now;
	/* each collector has its full time again to be heard */
	for (uint32_t i = 0; i < fr->nhosts; i++)
		if (!fr->hosts[i].silent)
			fr->hosts[i].last_us = now;
	gap_end(fr, now);
	peers_fresh(fr, UINT32_MAX, STALE_GAP);
	state_up(fr, now);
}

static void	conn_detach(struct feed_rislive *fr);

/* The connection is gone (or given up): a gap, stale VPs, and a retry
 * after the backoff. since_us is when the stream stopped delivering. */
static void
lost(struct feed_rislive *fr, uint64_t since_us, const char *fmt, ...)
{
	uint64_t now = feed_now_us(), ms;
	char why[sizeof(fr->last_error)];
	va_list ap;

	/* the arguments may be last_error itself */
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	memcpy(fr->last_error, why, sizeof(why));
	if (fr->state == C_OPEN)
		fr->disconnects++;
	/* a connection that delivered for a good while starts over */
	if (fr->streaming && now - fr->state_us >= RL_STABLE_US)
		fr->failures = 0;
	fr->failures++;
	conn_detach(fr);
	fr->state = C_WAITING;
	fr->state_us = now;
	fr->streaming = false;
	ms = feed_backoff_ms(fr->backoff_min_ms, fr->backoff_max_ms,
	    fr->failures, &fr->seed);
	fr->retry_at_us = now + ms * 1000u;
	gap_begin(fr, since_us != 0 ? since_us : now, fr->last_error);
	peers_stale(fr, UINT32_MAX, STALE_GAP, "RIS Live stream down");
	source_state(fr, RIB_SRC_DOWN, since_us != 0 ? since_us : now,
	    fr->last_error);
	log_warn("rislive stream lost source=%s error=\"%s\" retry_ms=%llu "
	    "failures=%u", fr->name, fr->last_error, (unsigned long long)ms,
	    fr->failures);
}

/* --- the connection ----------------------------------------------------------------- */

static void
out_reset(struct feed_rislive *fr)
{
	for (unsigned i = 0; i < fr->nout; i++)
		sb_free(&fr->out[i]);
	free(fr->out);
	fr->out = NULL;
	fr->nout = fr->out_next = 0;
}

static void
out_add(struct feed_rislive *fr, struct strbuf *b)
{
	struct strbuf *no = realloc(fr->out, (fr->nout + 1) * sizeof(*no));

	if (no == NULL || b->oom) {
		sb_free(b);
		return;
	}
	fr->out = no;
	fr->out[fr->nout++] = *b;
	if (fr->conn != NULL && fr->conn->wsi != NULL)
		lws_callback_on_writable(fr->conn->wsi);
}

/* The library keeps the connection until it closes: it is no longer
 * the source's. */
static void
conn_detach(struct feed_rislive *fr)
{
	struct rconn *c = fr->conn;

	fr->conn = NULL;
	out_reset(fr);
	sb_reset(&fr->in);
	fr->in_too_long = false;
	if (c == NULL)
		return;
	c->fr = NULL;
	if (c->closing)
		return;			/* freed at LWS_CALLBACK_WSI_DESTROY */
	if (c->wsi != NULL) {
		c->closing = true;
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
		return;
	}
	free(c);			/* the library never had it */
}

static void
conn_start(struct feed_rislive *fr)
{
	struct lws_client_connect_info ci;
	struct rconn *c = calloc(1, sizeof(*c));

	fr->state = C_CONNECTING;
	fr->state_us = feed_now_us();
	if (c == NULL) {
		lost(fr, 0, "out of memory");
		return;
	}
	c->fr = fr;
	fr->conn = c;
	memset(&ci, 0, sizeof(ci));
	ci.context = fr->ws->ctx;
	ci.vhost = fr->vh;
	ci.address = fr->address;
	ci.port = fr->port;
	ci.path = fr->path;
	ci.host = fr->address;
	ci.origin = fr->address;
	ci.ssl_connection = fr->tls ? LCCSCF_USE_SSL : 0;
	ci.local_protocol_name = client_protocols[0].name;
	ci.userdata = c;
	ci.pwsi = &c->wsi;
	log_info("rislive connecting source=%s url=%s", fr->name, fr->url);
	if (lws_client_connect_via_info(&ci) == NULL && fr->conn == c) {
		c->wsi = NULL;
		lost(fr, 0, "cannot connect to %s", fr->url);
	}
}

/* The subscriptions of the configuration, and the heartbeat's. */
static void
subscribe_all(struct feed_rislive *fr)
{
	struct rislive_sub all, ka;
	struct strbuf b;

	fr->acks_due = 0;
	for (size_t i = 0; i < fr->nsubs; i++) {
		sb_init(&b);
		rislive_print_subscribe(&fr->subs[i], true, fr->include_raw,
		    &b);
		out_add(fr, &b);
		fr->acks_due++;
	}
	if (fr->nsubs == 0) {
		rislive_sub_init(&all);
		sb_init(&b);
		rislive_print_subscribe(&all, true, fr->include_raw, &b);
		out_add(fr, &b);
		fr->acks_due++;
	}
	if (fr->heartbeat && fr->nsubs > 0) {
		rislive_sub_init(&ka);
		ka.type = RISLIVE_KEEPALIVE;
		sb_init(&b);
		rislive_print_subscribe(&ka, true, false, &b);
		out_add(fr, &b);
		fr->acks_due++;
	}
}

/* Says what was wrong with a message, and from which VP; the first
 * few in full, then one in RL_LOG_EVERY (n counts them). */
static void
log_bad(struct feed_rislive *fr, const struct rislive_msg *m, uint64_t n,
    const char *what, const char *detail)
{
	char ip[INET6_ADDRSTRLEN] = "-";

	if (n > RL_LOG_FIRST && n % RL_LOG_EVERY != 0)
		return;
	if (m->peer_afi != 0)
		inet_ntop(m->peer_afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET,
		    m->peer, ip, sizeof(ip));
	log_warn("rislive %s source=%s host=%s peer=%s peer_asn=%u "
	    "error=\"%s\" count=%llu", what, fr->name,
	    m->host[0] ? m->host : "-", ip, m->peer_asn, detail,
	    (unsigned long long)n);
}

static void
count_bad(struct feed_rislive *fr, const struct rislive_msg *m,
    const char *what, const char *detail)
{
	log_bad(fr, m, ++fr->base.counters.malformed, what, detail);
}

static void
on_update(struct feed_rislive *fr, struct rpeer *p, const struct rislive_msg *m)
{
	struct bgp_session s = { .as4 = true, .ext_msg = true };

	if (m->raw != NULL) {
		fr->raw_checked++;
		if (!rislive_raw_agrees(m, &fr->bgp_arena))
			log_bad(fr, m, ++fr->raw_mismatch, "raw BGP message "
			    "disagrees with the JSON", "raw");
	}
	fr->evs.n = 0;
	for (unsigned i = 0; i < m->nupdates; i++) {
		struct bgp_msg msg;
		enum bgp_action act;

		arena_reset(&fr->bgp_arena);
		act = bgp_msg_decode(m->updates[i].msg, m->updates[i].len, &s,
		    &fr->bgp_arena, &msg);
		if (msg.prob.total > 0) {
			fr->bgp_problems++;
			count_bad(fr, m, "UPDATE", bgp_reason_info(msg.prob.n >
			    0 ? msg.prob.p[0].reason : BGP_R_NONE)->text);
		}
		if (act == BGP_ACT_SESSION_RESET)
			continue;
		fr->evs.n = 0;
		if (!feed_update_events(&fr->evs, &msg.u.update, (uint8_t)act,
		    fr->base.id, p->vp, m->time_us, FEED_FAM_IPV4 |
		    FEED_FAM_IPV6, &fr->base.counters)) {
			count_bad(fr, m, "UPDATE", "out of memory");
			continue;
		}
		if (fr->evs.n > 0 && !fr->stopped)
			feed_emit(&fr->base, fr->evs.ev, fr->evs.n);
	}
}

static void
on_ris_message(struct feed_rislive *fr, const struct rislive_msg *m,
    uint64_t now)
{
	uint32_t host = host_of(fr, m->host);
	struct rhost *h;
	struct rpeer *p;

	fr->ris_messages++;
	fr->per_type[m->type]++;
	if (host == UINT32_MAX) {
		count_bad(fr, m, "message dropped", "too many collectors");
		return;
	}
	h = &fr->hosts[host];
	h->last_us = now;
	h->messages++;
	if (h->silent) {
		h->silent = false;
		fr->silent_hosts--;
		log_info("rislive collector heard again source=%s host=%s",
		    fr->name, h->name);
		peers_fresh(fr, host, STALE_HOST);
		state_up(fr, now);
	}
	if ((p = peer_of(fr, host, m)) == NULL) {
		count_bad(fr, m, "message dropped", "no room for the peer");
		return;
	}
	switch (m->type) {
	case RISLIVE_UPDATE:
		peer_heard(fr, p, now);
		on_update(fr, p, m);
		break;
	case RISLIVE_KEEPALIVE:
	case RISLIVE_OPEN:
		peer_heard(fr, p, now);
		break;
	case RISLIVE_PEER_STATE:
		if (m->up) {
			peer_heard(fr, p, now);
		} else if (!vp_is(fr, p, RIB_VP_DOWN)) {
			struct feed_event ev = { .type = FEED_VP_DOWN,
			    .vp = p->vp, .time_us = m->time_us,
			    .error = "RIS peer state: down" };

			p->stale = 0;
			emit1(fr, &ev);
		}
		break;
	case RISLIVE_NOTIFICATION:
		break;
	default:
		fr->unknown++;
		count_bad(fr, m, "ris_message of an unknown type", m->text);
		break;
	}
}

/* One whole message from the server. */
static void
on_message(struct feed_rislive *fr, const char *text, size_t len)
{
	uint64_t now = feed_now_us();
	struct rislive_msg m;
	char err[160];

	fr->messages++;
	fr->base.counters.bytes_in += len;
	arena_reset(&fr->arena);
	if (!rislive_decode(text, len, &fr->arena, &m, err, sizeof(err))) {
		count_bad(fr, &m, "malformed message", err);
		return;
	}
	switch (m.kind) {
	case RISLIVE_MSG_RIS_MESSAGE:
		fr->last_msg_us = now;
		streaming(fr, now);
		on_ris_message(fr, &m, now);
		break;
	case RISLIVE_MSG_SUBSCRIBE_OK:
		fr->acks++;
		if (fr->acks_due > 0 && --fr->acks_due == 0)
			log_info("rislive subscribed source=%s "
			    "subscriptions=%zu", fr->name, fr->nsubs);
		fr->last_msg_us = now;
		streaming(fr, now);
		break;
	case RISLIVE_MSG_PONG:
		/* the server is there, but not that it delivers: a pong is
		 * no message for silence_timeout (a stream that stalls
		 * behind a server that still answers pings is a gap) */
		fr->pongs++;
		fr->pong_wait_us = 0;
		break;
	case RISLIVE_MSG_ERROR:
		fr->ris_errors++;
		snprintf(fr->last_ris_error, sizeof(fr->last_ris_error), "%s",
		    m.text);
		log_warn("rislive server error source=%s message=\"%s\"",
		    fr->name, m.text);
		break;
	default:
		fr->unknown++;
		count_bad(fr, &m, "message of an unknown type", m.text);
		break;
	}
}

/* Writable: the next message out. */
static int
conn_write(struct feed_rislive *fr, struct lws *wsi)
{
	struct strbuf *b;
	unsigned char *buf;
	int n;

	if (fr->out_next >= fr->nout)
		return 0;
	b = &fr->out[fr->out_next++];
	if ((buf = malloc(LWS_PRE + b->len)) == NULL)
		return -1;
	memcpy(buf + LWS_PRE, b->s, b->len);
	n = lws_write(wsi, buf + LWS_PRE, b->len, LWS_WRITE_TEXT);
	free(buf);
	if (n < (int)b->len)
		return -1;
	sb_free(b);
	if (fr->out_next < fr->nout)
		lws_callback_on_writable(wsi);
	else
		fr->nout = fr->out_next = 0;	/* all sent: the list again */
	return 0;
}

static int
ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct rconn *c = user;
	struct feed_rislive *fr = c != NULL ? c->fr : NULL;
	uint64_t now;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (c != NULL)
			c->closing = true;
		if (fr != NULL)
			lost(fr, 0, "cannot connect to %s: %s%.120s", fr->url,
			    fr->tls && in != NULL && strstr(in, "SSL") != NULL ?
			    "TLS failed (is the server's certificate from a "
			    "CA trusted, by the system or ca_file?): " : "",
			    in != NULL ? (const char *)in : "error");
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (fr == NULL)
			return -1;
		now = feed_now_us();
		fr->state = C_OPEN;
		fr->state_us = now;
		fr->connects++;
		fr->last_msg_us = now;
		fr->ping_due_us = now + fr->ping_us;
		fr->pong_wait_us = 0;
		log_info("rislive connected source=%s url=%s", fr->name,
		    fr->url);
		subscribe_all(fr);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (fr == NULL)
			return -1;
		if (fr->in.len + len > RL_IN_MAX)
			fr->in_too_long = true;
		else if (!lws_frame_is_binary(wsi))
			sb_putn(&fr->in, in, len);
		if (!lws_is_final_fragment(wsi))
			return 0;
		if (lws_frame_is_binary(wsi) || fr->in_too_long ||
		    fr->in.oom) {
			struct rislive_msg none;

			memset(&none, 0, sizeof(none));
			count_bad(fr, &none, "message skipped",
			    lws_frame_is_binary(wsi) ? "binary frame" :
			    "too long");
		} else {
			on_message(fr, fr->in.s != NULL ? fr->in.s : "",
			    fr->in.len);
		}
		/* the message may have stopped the source */
		if (c->fr != NULL) {
			sb_reset(&fr->in);
			fr->in_too_long = false;
		}
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (fr == NULL)
			return -1;
		return conn_write(fr, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (fr != NULL && len >= 2) {
			const uint8_t *p = in;

			snprintf(fr->last_error, sizeof(fr->last_error),
			    "closed by the server: %u %.*s", p[0] << 8 | p[1],
			    (int)(len - 2 > 120 ? 120 : len - 2),
			    (const char *)p + 2);
		}
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (c != NULL)
			c->closing = true;
		if (fr != NULL)
			lost(fr, 0, "%s", fr->last_error[0] != '\0' &&
			    strncmp(fr->last_error, "closed by", 9) == 0 ?
			    fr->last_error : "connection closed");
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		if (c == NULL)
			return 0;
		c->closing = true;
		if (c->fr != NULL && c->fr->conn == c)
			/* gone without a word before: said here */
			lost(c->fr, 0, "connection closed");
		free(c);
		return 0;
	default:
		return 0;
	}
}

/* --- the source's verbs -------------------------------------------------------------- */

static bool
parse_url(struct feed_rislive *fr)
{
	const char *proto, *addr, *path;
	int port;

	if ((fr->url_buf = strdup(fr->url)) == NULL)
		return false;
	if (lws_parse_uri(fr->url_buf, &proto, &addr, &port, &path) != 0)
		return false;
	if (strcmp(proto, "wss") == 0 || strcmp(proto, "https") == 0)
		fr->tls = true;
	else if (strcmp(proto, "ws") != 0 && strcmp(proto, "http") != 0)
		return false;
	if (strstr(fr->url, "://") == NULL || addr[0] == '\0')
		return false;
	/* lws_parse_uri gives 80 for a URL without a port */
	if (port == 80 && fr->tls && strstr(strstr(fr->url, "://") + 3,
	    ":80") == NULL)
		port = 443;
	fr->address = addr;
	fr->port = port;
	snprintf(fr->path, sizeof(fr->path), "/%s", path);
	return true;
}

static int
rl_start(struct feed_source *s)
{
	struct feed_rislive *fr = to_rl(s);
	struct lws_context_creation_info vi;
	char proxy[256], *colon;

	s->id = fr->restart ? fr->restart_id : rib_source_add(s->rib,
	    "rislive", fr->name);
	if (s->id == UINT32_MAX)
		return -1;
	if (!parse_url(fr)) {
		rib_source_state(s->rib, s->id, RIB_SRC_DOWN, feed_now_us(),
		    "url: ws://HOST[:PORT]/PATH or wss://... is expected");
		return -1;
	}
	if (fr->ws == NULL || fr->ws->ctx == NULL) {
		rib_source_state(s->rib, s->id, RIB_SRC_DOWN, feed_now_us(),
		    "the WebSocket client cannot start");
		return -1;
	}
	memset(&vi, 0, sizeof(vi));
	vi.port = CONTEXT_PORT_NO_LISTEN;
	vi.protocols = client_protocols;
	/* kept by the library as given: a constant */
	vi.vhost_name = "bgpsentry-rislive";
	vi.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	vi.client_ssl_ca_filepath = fr->ca_file;
	if (fr->proxy != NULL) {
		snprintf(proxy, sizeof(proxy), "%s", fr->proxy);
		if ((colon = strrchr(proxy, ':')) != NULL) {
			*colon = '\0';
			vi.http_proxy_port = (unsigned)atoi(colon + 1);
		}
		vi.http_proxy_address = proxy;
	}
	if ((fr->vh = lws_create_vhost(fr->ws->ctx, &vi)) == NULL) {
		rib_source_state(s->rib, s->id, RIB_SRC_DOWN, feed_now_us(),
		    fr->ca_file != NULL ? "cannot set up TLS (is ca_file "
		    "readable?)" : "cannot set up the client");
		return -1;
	}
	fr->seed ^= feed_now_us() ^ (uint64_t)(uintptr_t)fr;
	conn_start(fr);
	return 0;
}

static void
host_check(struct feed_rislive *fr, uint64_t now)
{
	for (uint32_t i = 0; i < fr->nhosts; i++) {
		struct rhost *h = &fr->hosts[i];
		char why[160];

		if (h->silent || h->messages == 0 ||
		    now - h->last_us < fr->host_silence_us)
			continue;
		h->silent = true;
		fr->silent_hosts++;
		snprintf(why, sizeof(why), "collector %s silent for %llu s",
		    h->name, (unsigned long long)((now - h->last_us) /
		    1000000u));
		log_warn("rislive collector silent source=%s host=%s "
		    "silent_s=%llu", fr->name, h->name, (unsigned long long)
		    ((now - h->last_us) / 1000000u));
		peers_stale(fr, i, STALE_HOST, why);
		state_up(fr, now);
	}
}

static uint64_t
rl_poll(struct feed_source *s, uint64_t now)
{
	struct feed_rislive *fr = to_rl(s);

	if (fr->stopped)
		return UINT64_MAX;
	switch (fr->state) {
	case C_WAITING:
		if (now >= fr->retry_at_us)
			conn_start(fr);
		break;
	case C_CONNECTING:
		if (now - fr->state_us > RL_CONNECT_TIMEOUT_US)
			lost(fr, 0, "connecting to %s timed out", fr->url);
		break;
	case C_OPEN:
		if (fr->silence_us > 0 && now - fr->last_msg_us >
		    fr->silence_us) {
			lost(fr, fr->last_msg_us, "no message for %llu s",
			    (unsigned long long)((now - fr->last_msg_us) /
			    1000000u));
			break;
		}
		if (fr->pong_wait_us != 0 && now - fr->pong_wait_us >
		    fr->ping_us) {
			lost(fr, fr->pong_wait_us, "no pong in %llu s",
			    (unsigned long long)(fr->ping_us / 1000000u));
			break;
		}
		if (fr->ping_us > 0 && fr->pong_wait_us == 0 &&
		    now >= fr->ping_due_us) {
			struct strbuf b;

			sb_init(&b);
			sb_puts(&b, "{\"type\":\"ping\"}");
			out_add(fr, &b);
			fr->pong_wait_us = now;
			fr->ping_due_us = now + fr->ping_us;
		}
		if (fr->host_silence_us > 0 && fr->streaming)
			host_check(fr, now);
		break;
	}
	if (fr->state == C_WAITING && fr->retry_at_us > now)
		return fr->retry_at_us < now + RL_TICK_US ? fr->retry_at_us :
		    now + RL_TICK_US;
	return now + RL_TICK_US;
}

static void
rl_stop(struct feed_source *s)
{
	struct feed_rislive *fr = to_rl(s);

	if (fr->stopped)
		return;
	/* no event from here: the daemon takes the VPs down itself */
	fr->stopped = true;
	conn_detach(fr);
	if (fr->vh != NULL) {
		lws_vhost_destroy(fr->vh);
		fr->vh = NULL;
	}
}

static void
rl_free(struct feed_source *s)
{
	struct feed_rislive *fr = to_rl(s);

	rl_stop(s);
	for (size_t i = 0; i < fr->nsubs; i++)
		free(fr->subs[i].prefixes);
	free(fr->subs);
	free(fr->name);
	free(fr->url);
	free(fr->url_buf);
	free(fr->ca_file);
	free(fr->proxy);
	free(fr->hosts);
	free(fr->peers);
	htab_destroy(&fr->idx);
	sb_free(&fr->in);
	out_reset(fr);
	arena_free(&fr->arena);
	arena_free(&fr->bgp_arena);
	free(fr->evs.ev);
	free(fr);
}

static const struct feed_ops rislive_ops = {
	.kind = "rislive",
	.start = rl_start,
	.poll = rl_poll,
	.stop = rl_stop,
	.free = rl_free,
};

struct feed_source *
feed_rislive_new(struct rib *r, const struct feed_rislive_config *c,
    feed_sink_fn sink, void *sink_arg)
{
	struct feed_rislive *fr = calloc(1, sizeof(*fr));
	bool ok = true;

	if (fr == NULL)
		return NULL;
	feed_source_init(&fr->base, &rislive_ops, r, sink, sink_arg);
	fr->name = str_dup_opt(c->name, &ok);
	fr->url = str_dup_opt(c->url != NULL ? c->url : RISLIVE_DEFAULT_URL,
	    &ok);
	fr->ca_file = str_dup_opt(c->ca_file, &ok);
	fr->proxy = str_dup_opt(c->proxy, &ok);
	fr->loop = c->loop;
	fr->ws = c->ws;
	fr->include_raw = c->include_raw;
	fr->heartbeat = c->heartbeat;
	fr->ping_us = (uint64_t)c->ping_s * 1000000u;
	fr->silence_us = (uint64_t)c->silence_s * 1000000u;
	fr->host_silence_us = (uint64_t)c->host_silence_s * 1000000u;
	fr->backoff_min_ms = c->backoff_min_ms ? c->backoff_min_ms : 1000;
	fr->backoff_max_ms = c->backoff_max_ms >= fr->backoff_min_ms ?
	    c->backoff_max_ms : fr->backoff_min_ms;
	fr->vp_tags = c->vp_tags;
	fr->restart = c->restart;
	fr->restart_id = c->source_id;
	fr->seed = 0x9e3779b97f4a7c15ull;
	if (c->nsubs > 0 && (fr->subs = calloc(c->nsubs,
	    sizeof(*fr->subs))) == NULL)
		ok = false;
	for (size_t i = 0; ok && i < c->nsubs; i++) {
		fr->subs[i] = c->subs[i];
		fr->subs[i].prefixes = NULL;
		fr->nsubs++;
		if (c->subs[i].nprefixes > 0) {
			size_t n = c->subs[i].nprefixes *
			    sizeof(*c->subs[i].prefixes);

			if ((fr->subs[i].prefixes = malloc(n)) == NULL) {
				fr->subs[i].nprefixes = 0;
				ok = false;
				break;
			}
			memcpy(fr->subs[i].prefixes, c->subs[i].prefixes, n);
		}
	}
	htab_init(&fr->idx);
	sb_init(&fr->in);
	arena_init(&fr->arena, 64 * 1024);
	arena_init(&fr->bgp_arena, 64 * 1024);
	fr->state = C_WAITING;
	fr->state_us = feed_now_us();
	if (!ok || fr->name == NULL || fr->url == NULL) {
		rl_free(&fr->base);
		return NULL;
	}
	return &fr->base;
}

void
feed_rislive_input(struct feed_source *s, const char *json, size_t len)
{
	/* a source never started (a test's) registers at its first input */
	if (s->id == UINT32_MAX && (s->id = rib_source_add(s->rib, "rislive",
	    to_rl(s)->name)) == UINT32_MAX)
		return;
	on_message(to_rl(s), json, len);
}

/* --- status ----------------------------------------------------------------------- */

static void
jw_age(struct jw *j, const char *key, uint64_t now, uint64_t then)
{
	char buf[32];

	jw_key(j, key);
	if (then == 0 || then > now) {
		jw_null(j);
		return;
	}
	snprintf(buf, sizeof(buf), "%.3f", (double)(now - then) / 1e6);
	jw_raw(j, buf);
}

void
feed_rislive_json(struct feed_source *s, struct jw *j, uint64_t now)
{
	struct feed_rislive *fr = to_rl(s);
	struct strbuf b;

	jw_obj_begin(j);
	jw_kstr(j, "source", fr->name);
	jw_kstr(j, "url", fr->url);
	jw_kstr(j, "connection", conn_names[fr->state]);
	jw_age(j, "connection_age_s", now, fr->state_us);
	jw_kbool(j, "streaming", fr->streaming);
	if (fr->state == C_WAITING)
		jw_ku64(j, "retry_in_ms", fr->retry_at_us > now ?
		    (fr->retry_at_us - now) / 1000u : 0);
	jw_ku64(j, "failures", fr->failures);
	jw_kstr(j, "last_error", fr->last_error);
	jw_ku64(j, "connects", fr->connects);
	jw_ku64(j, "disconnects", fr->disconnects);
	jw_age(j, "last_message_age_s", now, fr->last_msg_us);
	jw_key(j, "subscriptions");
	jw_arr_begin(j);
	for (size_t i = 0; i < fr->nsubs; i++) {
		sb_init(&b);
		rislive_print_subscribe(&fr->subs[i], true, fr->include_raw,
		    &b);
		jw_raw(j, sb_str(&b));
		sb_free(&b);
	}
	jw_arr_end(j);
	jw_kbool(j, "firehose", fr->nsubs == 0);
	jw_kbool(j, "heartbeat", fr->heartbeat && fr->nsubs > 0);
	jw_key(j, "messages");
	jw_obj_begin(j);
	jw_ku64(j, "total", fr->messages);
	jw_ku64(j, "ris_message", fr->ris_messages);
	for (int t = RISLIVE_UPDATE; t < RISLIVE_TYPES; t++)
		jw_ku64(j, rislive_type_name((enum rislive_type)t),
		    fr->per_type[t]);
	jw_ku64(j, "malformed", fr->base.counters.malformed);
	jw_ku64(j, "unknown_type", fr->unknown);
	jw_ku64(j, "bgp_problems", fr->bgp_problems);
	jw_ku64(j, "ris_error", fr->ris_errors);
	jw_ku64(j, "subscribe_ok", fr->acks);
	jw_ku64(j, "pong", fr->pongs);
	jw_ku64(j, "raw_checked", fr->raw_checked);
	jw_ku64(j, "raw_mismatch", fr->raw_mismatch);
	jw_obj_end(j);
	jw_kstr(j, "last_ris_error", fr->last_ris_error);
	jw_ku64(j, "gaps_total", fr->ngaps);
	jw_key(j, "gaps");
	jw_arr_begin(j);
	for (uint64_t i = 0; i < fr->ngaps && i < RL_GAPS; i++) {
		const struct rgap *g = &fr->gaps[(fr->ngaps - 1 - i) % RL_GAPS];
		uint64_t end = g->end_us != 0 ? g->end_us : now;
		char buf[32];

		jw_obj_begin(j);
		jw_ku64(j, "start_us", g->start_us);
		jw_ku64(j, "end_us", g->end_us);	/* 0: it lasts */
		snprintf(buf, sizeof(buf), "%.3f", end > g->start_us ?
		    (double)(end - g->start_us) / 1e6 : 0.0);
		jw_key(j, "duration_s");
		jw_raw(j, buf);
		jw_kstr(j, "cause", g->cause);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_ku64(j, "peers", fr->npeers);
	jw_key(j, "collectors");
	jw_arr_begin(j);
	for (uint32_t i = 0; i < fr->nhosts; i++) {
		const struct rhost *h = &fr->hosts[i];

		jw_obj_begin(j);
		jw_kstr(j, "host", h->name);
		jw_ku64(j, "messages", h->messages);
		jw_age(j, "last_message_age_s", now, h->last_us);
		jw_kbool(j, "silent", h->silent);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
}

void
feed_rislive_text(struct feed_source *s, struct strbuf *out, uint64_t now)
{
	struct feed_rislive *fr = to_rl(s);

	sb_printf(out, "%s %s %s for %llus%s: %llu messages, %llu "
	    "malformed, %llu unknown, %llu raw mismatches, %u peers, %llu "
	    "connects, %llu gaps\n", fr->name, fr->url, conn_names[fr->state],
	    (unsigned long long)(now > fr->state_us ? (now - fr->state_us) /
	    1000000u : 0), fr->streaming ? ", streaming" : "",
	    (unsigned long long)fr->messages,
	    (unsigned long long)fr->base.counters.malformed,
	    (unsigned long long)fr->unknown,
	    (unsigned long long)fr->raw_mismatch, fr->npeers,
	    (unsigned long long)fr->connects, (unsigned long long)fr->ngaps);
	if (fr->last_error[0] != '\0')
		sb_printf(out, "  last error: %s\n", fr->last_error);
	for (uint64_t i = 0; i < fr->ngaps && i < RL_GAPS; i++) {
		const struct rgap *g = &fr->gaps[(fr->ngaps - 1 - i) % RL_GAPS];
		uint64_t end = g->end_us != 0 ? g->end_us : now;

		sb_printf(out, "  gap %.3fs %s ago%s: %s\n",
		    end > g->start_us ? (double)(end - g->start_us) / 1e6 : 0.0,
		    g->end_us != 0 ? "ended" : "began",
		    g->end_us != 0 ? "" : " (open)", g->cause);
	}
	for (uint32_t i = 0; i < fr->nhosts; i++) {
		const struct rhost *h = &fr->hosts[i];

		sb_printf(out, "  %s: %llu messages, last %llus ago%s\n",
		    h->name, (unsigned long long)h->messages,
		    (unsigned long long)(now > h->last_us ? (now - h->last_us) /
		    1000000u : 0), h->silent ? ", silent" : "");
	}
}
