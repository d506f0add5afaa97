#include <arpa/inet.h>
#include <libwebsockets.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api/stream_rislive.h"
#include "feed/feed.h"
#include "rib/rib.h"
#include "util/json_out.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "wire/rislive.h"

/* A client closed for being slow that does not read its last error
 * within this long is dropped without it. */
#define SLOW_CLOSE_TIMEOUT_S	30
/* Messages written in one writable callback, at most. */
#define WRITES_MAX		64
#define CLOSE_POLL_US		50000
/* A close frame written by us: the library's own value for it, not in
 * its public enum (lws-write.h: "LWS_WRITE_CLOSE is handled by
 * lws_close_reason()"); but lws_close_reason() and a non-zero return
 * from a writable callback close without the frame (libwebsockets 4.1),
 * and a client must be told why. */
#define WS_WRITE_CLOSE		((enum lws_write_protocol)4)

/* One message as it goes on the wire, shared by the clients it matches:
 * LWS_PRE bytes of room for the library, then the JSON text. */
struct smsg {
	_Atomic uint32_t	refs;
	uint32_t		len;
	unsigned char		buf[];
};

struct stream_client {
	struct stream_hub	*h;
	struct stream_client	*next;		/* the hub's list */
	struct lws		*wsi;
	/* under the hub's lock */
	struct rislive_sub	*subs[STREAM_SUBS_MAX];
	bool			 raw[STREAM_SUBS_MAX];	/* includeRaw */
	unsigned		 nsubs;
	struct smsg		**q;		/* a ring */
	unsigned		 qcap;
	unsigned		 qhead;
	unsigned		 qn;
	size_t			 qbytes;
	uint64_t		 dropped;
	bool			 overflow;	/* too slow: closing */
	bool			 writing;	/* a write is arranged */
	bool			 notify;	/* wake_cb is to arrange it */
	/* the API thread's */
	struct strbuf		 in;		/* a message in fragments */
	bool			 in_too_long;
	bool			 slow;		/* counted, its end timed */
	bool			 closing;	/* the last error is out */
	bool			 close_sent;
};

struct stream_hub {
	uv_mutex_t		 mu;
	uv_async_t		 wake;		/* on the API loop */
	struct stream_client	*clients;
	size_t			 queue_bytes;
	_Atomic unsigned	 subscribed;	/* clients with a subscription */
	/* the daemon's loop only: a message being cut from events */
	uint64_t		 seq;
	struct strbuf		 text;
	struct rislive_ann	*ann;
	uint32_t		 cap_ann;
	struct bgp_prefix	*wd;
	uint32_t		 cap_wd;
	char			 host[RISLIVE_HOST_MAX];
	/* counters: atomics, read from any thread */
	_Atomic uint64_t	 nclients;
	_Atomic uint64_t	 accepted;
	_Atomic uint64_t	 published;
	_Atomic uint64_t	 queued;
	_Atomic uint64_t	 sent;
	_Atomic uint64_t	 dropped;
	_Atomic uint64_t	 slow_closed;
	_Atomic uint64_t	 bad_requests;
};

static struct smsg *
smsg_new(const char *s, size_t len)
{
	struct smsg *m = malloc(sizeof(*m) + LWS_PRE + len);

	if (m == NULL)
		return NULL;
	atomic_init(&m->refs, 1);
	m->len = (uint32_t)len;
	memcpy(m->buf + LWS_PRE, s, len);
	return m;
}

static void
smsg_unref(struct smsg *m)
{
	if (m != NULL && atomic_fetch_sub(&m->refs, 1) == 1)
		free(m);
}

/* --- the hub ---------------------------------------------------------------- */

static void	wake_cb(uv_async_t *a);

struct stream_hub *
stream_hub_new(uv_loop_t *api_loop, size_t queue_bytes)
{
	struct stream_hub *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	if (uv_mutex_init(&h->mu) != 0) {
		free(h);
		return NULL;
	}
	if (uv_async_init(api_loop, &h->wake, wake_cb) != 0) {
		uv_mutex_destroy(&h->mu);
		free(h);
		return NULL;
	}
	h->wake.data = h;
	h->queue_bytes = queue_bytes;
	sb_init(&h->text);
	return h;
}

void
stream_hub_close(struct stream_hub *h)
{
	if (h != NULL)
		uv_close((uv_handle_t *)&h->wake, NULL);
}

void
stream_hub_free(struct stream_hub *h)
{
	if (h == NULL)
		return;
	sb_free(&h->text);
	free(h->ann);
	free(h->wd);
	uv_mutex_destroy(&h->mu);
	free(h);
}

void
stream_hub_stats(struct stream_hub *h, struct stream_stats *o)
{
	memset(o, 0, sizeof(*o));
	if (h == NULL)
		return;
	o->clients = atomic_load(&h->nclients);
	o->accepted = atomic_load(&h->accepted);
	o->published = atomic_load(&h->published);
	o->queued = atomic_load(&h->queued);
	o->sent = atomic_load(&h->sent);
	o->dropped = atomic_load(&h->dropped);
	o->slow_closed = atomic_load(&h->slow_closed);
	o->bad_requests = atomic_load(&h->bad_requests);
}

static void	slow_client(struct stream_client *c);

/* On the API loop: the clients with something new to write, or found
 * too slow. */
static void
wake_cb(uv_async_t *a)
{
	struct stream_hub *h = a->data;
	struct stream_client *cs[64];
	bool slow[64];
	unsigned n;

	do {
		n = 0;
		uv_mutex_lock(&h->mu);
		for (struct stream_client *c = h->clients; c != NULL &&
		    n < 64; c = c->next)
			if (c->notify) {
				c->notify = false;
				slow[n] = c->overflow;
				cs[n++] = c;
			}
		uv_mutex_unlock(&h->mu);
		/* clients are freed on this thread only: still there */
		for (unsigned i = 0; i < n; i++) {
			if (slow[i])
				slow_client(cs[i]);
			lws_callback_on_writable(cs[i]->wsi);
		}
	} while (n == 64);
}

/* Under the lock: a write for c is to be arranged, unless one is. True
 * when the API thread must be woken for it. */
static bool
arrange(struct stream_client *c)
{
	if (c->writing)
		return false;
	c->writing = true;
	c->notify = true;
	return true;
}

/* Under the lock: m goes to c's queue (a reference taken), or c is
 * too slow. True when the API thread must be woken for c. */
static bool
enqueue(struct stream_hub *h, struct stream_client *c, struct smsg *m)
{
	if (c->overflow) {
		c->dropped++;
		atomic_fetch_add(&h->dropped, 1);
		return false;
	}
	if (c->qbytes + m->len > h->queue_bytes && c->qn > 0) {
		/* closing: nothing more is matched or printed for it (a
		 * client that stopped reading costs the loop nothing from
		 * here) */
		c->overflow = true;
		if (c->nsubs > 0)
			atomic_fetch_sub(&h->subscribed, 1);
		c->dropped++;
		atomic_fetch_add(&h->dropped, 1);
		/* the API thread is told even when a write is arranged: that
		 * write may never come (a client that does not read keeps its
		 * connection from being writable), and the close must not
		 * wait for it */
		arrange(c);
		c->notify = true;
		return true;
	}
	if (c->qn == c->qcap) {
		unsigned ncap = c->qcap ? c->qcap * 2 : 64;
		struct smsg **nq = malloc(ncap * sizeof(*nq));

		if (nq == NULL) {
			c->dropped++;
			atomic_fetch_add(&h->dropped, 1);
			return false;
		}
		for (unsigned i = 0; i < c->qn; i++)
			nq[i] = c->q[(c->qhead + i) % c->qcap];
		free(c->q);
		c->q = nq;
		c->qcap = ncap;
		c->qhead = 0;
	}
	atomic_fetch_add(&m->refs, 1);
	c->q[(c->qhead + c->qn) % c->qcap] = m;
	c->qn++;
	c->qbytes += m->len;
	atomic_fetch_add(&h->queued, 1);
	return arrange(c);
}

/* Under the lock: the next message of c, or NULL. */
static struct smsg *
dequeue(struct stream_client *c)
{
	struct smsg *m;

	if (c->qn == 0)
		return NULL;
	m = c->q[c->qhead];
	c->qhead = (c->qhead + 1) % c->qcap;
	c->qn--;
	c->qbytes -= m->len;
	return m;
}

/* --- publishing (the daemon's loop) -------------------------------------- */

/* Does one of c's subscriptions take the message? 0: no; 1: yes; 2:
 * yes, and one that takes it asked for the raw message. Under the
 * lock. */
static int
client_wants(const struct stream_client *c, const struct rislive_view *v)
{
	int want = 0;

	for (unsigned i = 0; i < c->nsubs && want < 2; i++)
		if ((!want || c->raw[i]) && rislive_sub_match(c->subs[i], v))
			want = c->raw[i] ? 2 : 1;
	return want;
}

/* One message to every client that wants it: printed once, at the
 * first, and once with "raw" at the first that asks for it. */
static void
publish_view(struct stream_hub *h, const struct rislive_view *v)
{
	struct smsg *m[2] = { NULL, NULL };
	bool wake = false;
	uint64_t seq = 0;

	uv_mutex_lock(&h->mu);
	for (struct stream_client *c = h->clients; c != NULL; c = c->next) {
		int want;

		if (c->overflow || c->nsubs == 0 ||
		    (want = client_wants(c, v)) == 0)
			continue;
		if (m[want - 1] == NULL) {
			if (seq == 0) {
				seq = ++h->seq;
				atomic_fetch_add(&h->published, 1);
			}
			sb_reset(&h->text);
			rislive_print(v, seq, want == 2, &h->text);
			if (h->text.oom || (m[want - 1] = smsg_new(h->text.s,
			    h->text.len)) == NULL)
				break;
		}
		wake |= enqueue(h, c, m[want - 1]);
	}
	uv_mutex_unlock(&h->mu);
	smsg_unref(m[0]);
	smsg_unref(m[1]);
	if (wake)
		uv_async_send(&h->wake);
}

/* The host a VP's messages name: its source, and for a BMP table the
 * table too (a station reports several tables of one peer). */
static const char *
vp_host(struct stream_hub *h, struct rib *r, const struct rib_vp *v)
{
	const struct rib_source *s = rib_source(r, v->source);
	const char *name = s != NULL ? s->name : "?";

	if (v->table >= RIB_TABLE_ADJ_IN_PRE)
		snprintf(h->host, sizeof(h->host), "%.40s-%s", name,
		    rib_table_name((enum rib_table_kind)v->table));
	else
		snprintf(h->host, sizeof(h->host), "%s", name);
	return h->host;
}

/* The message's VP as the view names it; false for a VP the RIB does
 * not know (none: sources register theirs first). */
static bool
view_of(struct stream_hub *h, struct rib *r, const struct feed_event *e,
    struct rislive_view *v)
{
	const struct rib_vp *vp = rib_vp(r, e->vp);

	memset(v, 0, sizeof(*v));
	if (vp == NULL)
		return false;
	v->host = vp_host(h, r, vp);
	v->peer_afi = vp->afi;
	memcpy(v->peer, vp->addr, 16);
	v->peer_asn = vp->asn;
	v->time_us = e->time_us;
	return true;
}

static bool
grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
	uint32_t ncap = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	if ((np = realloc(*p, (size_t)ncap * size)) == NULL)
		return false;
	*p = np;
	*cap = ncap;
	return true;
}

/* The message that begins at ev[0] (an announcement or a withdrawal): the
 * events of one UPDATE of one VP, its withdrawals then announcements
 * with one attribute set. Returns how many events it took. */
static size_t
cut_update(struct stream_hub *h, struct rib *r, const struct feed_event *ev,
    size_t n)
{
	struct rislive_view v;
	uint32_t nann = 0, nwd = 0;
	size_t k;

	bool known = view_of(h, r, &ev[0], &v);

	v.type = RISLIVE_UPDATE;
	for (k = 0; k < n; k++) {
		const struct feed_event *e = &ev[k];
		const struct bgp_attrs *a;
		const uint8_t *nh;
		uint8_t nh_len, action;

		if (e->vp != ev[0].vp || (e->type != FEED_ANNOUNCE &&
		    e->type != FEED_WITHDRAW))
			break;
		if (e->type == FEED_ANNOUNCE && nann > 0 && !e->same_attrs)
			break;
		a = NULL;
		if (e->type == FEED_ANNOUNCE && (a = feed_event_attrs(e, &nh,
		    &nh_len, &action)) != NULL &&
		    action >= BGP_ACT_TREAT_AS_WITHDRAW)
			a = NULL;	/* RFC 7606: it withdraws */
		if (a == NULL) {
			if (nann > 0)
				break;	/* the next UPDATE's */
			if (!grow((void **)&h->wd, &h->cap_wd, nwd + 1,
			    sizeof(*h->wd)))
				continue;
			h->wd[nwd] = e->prefix;
			h->wd[nwd++].has_path_id = 0;
			continue;
		}
		if (!grow((void **)&h->ann, &h->cap_ann, nann + 1,
		    sizeof(*h->ann)))
			continue;
		if (nann == 0)
			v.attrs = a;
		h->ann[nann].prefix = e->prefix;
		h->ann[nann].prefix.has_path_id = 0;
		h->ann[nann].nh = nh;
		h->ann[nann].nh_len = nh_len;
		nann++;
	}
	v.ann = h->ann;
	v.nann = nann;
	v.wd = h->wd;
	v.nwd = nwd;
	if (known && (nann > 0 || nwd > 0))
		publish_view(h, &v);
	return k > 0 ? k : 1;
}

void
stream_hub_publish(struct stream_hub *h, struct rib *r,
    const struct feed_event *ev, size_t n)
{
	struct rislive_view v;
	size_t i = 0;

	if (h == NULL || atomic_load_explicit(&h->subscribed,
	    memory_order_relaxed) == 0)
		return;
	while (i < n) {
		const struct feed_event *e = &ev[i];

		if (e->type == FEED_ANNOUNCE || e->type == FEED_WITHDRAW) {
			i += cut_update(h, r, e, n - i);
			continue;
		}
		if ((e->type == FEED_VP_UP || e->type == FEED_VP_DOWN) &&
		    view_of(h, r, e, &v)) {
			v.type = RISLIVE_PEER_STATE;
			v.up = e->type == FEED_VP_UP;
			if (v.time_us == 0)
				v.time_us = feed_now_us();
			publish_view(h, &v);
		}
		i++;
	}
}

/* --- the WebSocket side (the API thread) ------------------------------------ */

/* A reply to this client alone (pong, ris_subscribe_ok, ris_error). */
static void
reply(struct stream_client *c, const struct strbuf *b)
{
	struct stream_hub *h = c->h;
	struct smsg *m;
	bool wake;

	if (b->oom || (m = smsg_new(b->s, b->len)) == NULL)
		return;
	uv_mutex_lock(&h->mu);
	wake = enqueue(h, c, m);
	uv_mutex_unlock(&h->mu);
	smsg_unref(m);
	if (wake)
		lws_callback_on_writable(c->wsi);
}

static void
reply_error(struct stream_client *c, const char *msg)
{
	struct strbuf b;

	atomic_fetch_add(&c->h->bad_requests, 1);
	sb_init(&b);
	rislive_print_error(msg, &b);
	reply(c, &b);
	sb_free(&b);
}

/* Under the lock: the count of clients publishing looks at follows c
 * (a client closing for being slow is out of it). */
static void
set_subscribed(struct stream_hub *h, struct stream_client *c, unsigned before)
{
	if (c->overflow)
		return;
	if (before == 0 && c->nsubs > 0)
		atomic_fetch_add(&h->subscribed, 1);
	else if (before > 0 && c->nsubs == 0)
		atomic_fetch_sub(&h->subscribed, 1);
}

static void
subscribe(struct stream_client *c, struct rislive_sub *s, bool ack, bool raw)
{
	struct stream_hub *h = c->h;
	unsigned before;
	struct strbuf b;

	uv_mutex_lock(&h->mu);
	before = c->nsubs;
	for (unsigned i = 0; i < c->nsubs; i++)
		if (rislive_sub_equal(c->subs[i], s)) {
			/* the same again: one is enough, with the
			 * options of the latest */
			c->raw[i] = raw;
			uv_mutex_unlock(&h->mu);
			goto ack;
		}
	if (c->nsubs == STREAM_SUBS_MAX) {
		uv_mutex_unlock(&h->mu);
		rislive_sub_free(s);
		reply_error(c, "too many subscriptions on this connection");
		return;
	}
	c->raw[c->nsubs] = raw;
	c->subs[c->nsubs++] = s;
	s = NULL;
	set_subscribed(h, c, before);
	uv_mutex_unlock(&h->mu);
ack:
	if (ack) {
		/* printed from the request, which the client's list may
		 * own now: read under no lock, it is never changed */
		sb_init(&b);
		rislive_print_subscribe_ok(s != NULL ? s : c->subs[c->nsubs -
		    1], ack, raw, &b);
		reply(c, &b);
		sb_free(&b);
	}
	rislive_sub_free(s);
}

static void
unsubscribe(struct stream_client *c, struct rislive_sub *s)
{
	struct stream_hub *h = c->h;
	unsigned before;

	uv_mutex_lock(&h->mu);
	before = c->nsubs;
	for (unsigned i = 0; i < c->nsubs; i++)
		if (rislive_sub_equal(c->subs[i], s)) {
			rislive_sub_free(c->subs[i]);
			c->raw[i] = c->raw[c->nsubs - 1];
			c->subs[i] = c->subs[--c->nsubs];
			break;
		}
	set_subscribed(h, c, before);
	uv_mutex_unlock(&h->mu);
	rislive_sub_free(s);
}

/* A whole message from the client. */
static void
client_input(struct stream_client *c, const char *text, size_t len)
{
	struct rislive_request rq;
	char err[160];
	struct strbuf b;

	if (!rislive_request_parse(text, len, &rq, err, sizeof(err))) {
		reply_error(c, err);
		return;
	}
	switch (rq.type) {
	case RISLIVE_REQ_PING:
		sb_init(&b);
		sb_puts(&b, "{\"type\":\"pong\",\"data\":null}");
		reply(c, &b);
		sb_free(&b);
		break;
	case RISLIVE_REQ_SUBSCRIBE:
		subscribe(c, rq.sub, rq.acknowledge, rq.include_raw);
		break;
	case RISLIVE_REQ_UNSUBSCRIBE:
		unsubscribe(c, rq.sub);
		break;
	default:
		break;
	}
}

static struct stream_client *
client_new(struct stream_hub *h, struct lws *wsi)
{
	struct stream_client *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->h = h;
	c->wsi = wsi;
	sb_init(&c->in);
	uv_mutex_lock(&h->mu);
	c->next = h->clients;
	h->clients = c;
	uv_mutex_unlock(&h->mu);
	atomic_fetch_add(&h->nclients, 1);
	atomic_fetch_add(&h->accepted, 1);
	return c;
}

static void
client_free(struct stream_client *c)
{
	struct stream_hub *h = c->h;
	struct stream_client **pp;
	struct smsg *m;

	uv_mutex_lock(&h->mu);
	for (pp = &h->clients; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	if (c->nsubs > 0 && !c->overflow)
		atomic_fetch_sub(&h->subscribed, 1);
	for (unsigned i = 0; i < c->nsubs; i++)
		rislive_sub_free(c->subs[i]);
	while ((m = dequeue(c)) != NULL)
		smsg_unref(m);
	uv_mutex_unlock(&h->mu);
	atomic_fetch_sub(&h->nclients, 1);
	free(c->q);
	sb_free(&c->in);
	free(c);
}

/* A slow client whose last error has left: the close frame goes once
 * the kernel has sent everything before it (a frame that did not fit
 * would be lost, and the client would see no reason); until then, a
 * look every CLOSE_POLL_US. */
static int
close_when_sent(struct stream_client *c)
{
	unsigned char frame[LWS_PRE + 16];
	int queued = 0;

	if (c->close_sent)
		return -1;
	if (ioctl(lws_get_socket_fd(c->wsi), SIOCOUTQ, &queued) == 0 &&
	    queued > 0) {
		lws_set_timer_usecs(c->wsi, CLOSE_POLL_US);
		return 0;
	}
	/* RFC 6455 5.5.1: the status code, then the reason; the client
	 * answers with its own close, or the timeout ends it */
	frame[LWS_PRE] = LWS_CLOSE_STATUS_POLICY_VIOLATION >> 8;
	frame[LWS_PRE + 1] = LWS_CLOSE_STATUS_POLICY_VIOLATION & 0xff;
	memcpy(frame + LWS_PRE + 2, "too slow", 8);
	c->close_sent = true;
	if (lws_write(c->wsi, frame + LWS_PRE, 10, WS_WRITE_CLOSE) < 10)
		return -1;
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_ACK, 5);
	return 0;
}

/* A client found too slow, as soon as the API thread learns of it:
 * counted, and closed within SLOW_CLOSE_TIMEOUT_S whatever happens (a
 * client that does not read at all never makes its connection writable
 * again, to be told why). */
static void
slow_client(struct stream_client *c)
{
	if (c->slow)
		return;
	c->slow = true;
	atomic_fetch_add(&c->h->slow_closed, 1);
	log_warn("stream client too slow, closing");
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, SLOW_CLOSE_TIMEOUT_S);
}

/* A slow client's last message: why it is closed. The close follows
 * once this has gone out. */
static void
client_too_slow(struct stream_client *c, uint64_t dropped)
{
	struct stream_hub *h = c->h;
	char why[160];
	struct strbuf b;
	struct smsg *m;

	snprintf(why, sizeof(why), "client too slow: its queue of %zu bytes "
	    "is full, %llu messages dropped; closing", h->queue_bytes,
	    (unsigned long long)dropped);
	slow_client(c);
	sb_init(&b);
	rislive_print_error(why, &b);
	if (!b.oom && (m = smsg_new(b.s, b.len)) != NULL) {
		lws_write(c->wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
		smsg_unref(m);
	}
	sb_free(&b);
	/* closed once the error has gone out (the library keeps what the
	 * socket does not take, and calls back when it has), or after a
	 * while if the client never reads again */
	c->closing = true;
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, SLOW_CLOSE_TIMEOUT_S);
	lws_callback_on_writable(c->wsi);
}

/* Writable: the next messages, as many as the connection takes now (up
 * to WRITES_MAX), or the final error of a slow client. */
static int
client_write(struct stream_client *c)
{
	struct stream_hub *h = c->h;
	struct smsg *m;
	bool overflow, more = false;
	uint64_t dropped;

	if (c->closing)
		return close_when_sent(c);
	for (unsigned i = 0; i < WRITES_MAX; i++) {
		uv_mutex_lock(&h->mu);
		overflow = c->overflow;
		dropped = c->dropped;
		m = overflow ? NULL : dequeue(c);
		more = c->qn > 0;
		/* nothing more: the next message arranges the next write */
		if (!more && !overflow)
			c->writing = false;
		if (overflow)
			while ((m = dequeue(c)) != NULL)
				smsg_unref(m);
		uv_mutex_unlock(&h->mu);
		if (overflow) {
			client_too_slow(c, dropped);
			return 0;
		}
		if (m == NULL)
			return 0;
		if (lws_write(c->wsi, m->buf + LWS_PRE, m->len,
		    LWS_WRITE_TEXT) < (int)m->len) {
			smsg_unref(m);
			return -1;
		}
		smsg_unref(m);
		atomic_fetch_add(&h->sent, 1);
		/* another write only while the socket takes it at once (the
		 * library's rule: else wait for the next callback) */
		if (!more || lws_send_pipe_choked(c->wsi))
			break;
	}
	if (more)
		lws_callback_on_writable(c->wsi);
	return 0;
}

int
stream_ws_event(struct stream_hub *h, struct lws *wsi, int reason,
    struct stream_client **slot, void *in, size_t len)
{
	struct stream_client *c = *slot;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		if ((*slot = client_new(h, wsi)) == NULL)
			return -1;
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (c == NULL)
			return -1;
		if (lws_frame_is_binary(wsi)) {
			if (lws_is_final_fragment(wsi))
				reply_error(c, "binary messages are not "
				    "understood: send JSON text");
			return 0;
		}
		if (c->in.len + len > STREAM_IN_MAX)
			c->in_too_long = true;
		else
			sb_putn(&c->in, in, len);
		if (!lws_is_final_fragment(wsi))
			return 0;
		if (c->in_too_long || c->in.oom)
			reply_error(c, "message too long");
		else
			client_input(c, c->in.s != NULL ? c->in.s : "",
			    c->in.len);
		sb_reset(&c->in);
		c->in_too_long = false;
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return c != NULL ? client_write(c) : 0;
	case LWS_CALLBACK_TIMER:
		if (c != NULL && c->closing)
			lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLOSED:
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (reason == LWS_CALLBACK_WS_PEER_INITIATED_CLOSE)
			return 0;
		if (c != NULL) {
			*slot = NULL;
			client_free(c);
		}
		return 0;
	default:
		return 0;
	}
}
