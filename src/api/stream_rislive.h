/* A RIS Live compatible stream of bgpsentry's own sources, at /v1/ws on
 * the API's port: clients send ris_subscribe (host, type, require, peer,
 * path, prefix with moreSpecific and lessSpecific), ris_unsubscribe and
 * ping, and get ris_message objects in RIPE RIS Live's field layout for
 * the UPDATEs and peer state changes of every VP.
 *
 * Messages are matched and printed on the daemon's loop, where the
 * events are (only while a client has a subscription), once for all the
 * clients they match, and queued per client; the API thread writes them.
 * A client's queue is bounded: one that does not keep up gets a final
 * ris_error and is closed, and ingest never waits for it. */
#ifndef BGPS_API_STREAM_RISLIVE_H
#define BGPS_API_STREAM_RISLIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct feed_event;
struct lws;
struct rib;
struct strbuf;
struct stream_client;
struct stream_hub;

/* Limits of one client (those of one subscription are rislive.h's). */
#define STREAM_SUBS_MAX		64	/* subscriptions at once */
#define STREAM_IN_MAX		(256u * 1024)	/* a message from it */

struct stream_stats {
	uint64_t	clients;	/* connected now */
	uint64_t	accepted;	/* ever */
	uint64_t	published;	/* messages printed (matched someone) */
	uint64_t	queued;		/* messages queued, for all clients */
	uint64_t	sent;
	uint64_t	dropped;	/* for clients too slow */
	uint64_t	slow_closed;	/* clients closed for being slow */
	uint64_t	bad_requests;	/* answered with ris_error */
};

/* The hub wakes the API thread on api_loop; queue_bytes bounds each
 * client's queue. NULL when memory runs out. */
struct stream_hub *stream_hub_new(uv_loop_t *api_loop, size_t queue_bytes);
/* On the API thread, once every client is gone: closes its handle. */
void	stream_hub_close(struct stream_hub *h);
/* After the API loop has run the close. */
void	stream_hub_free(struct stream_hub *h);
void	stream_hub_stats(struct stream_hub *h, struct stream_stats *out);

/* On the daemon's loop, for every batch of events the sources emit (after
 * the RIB has taken them: VPs are known). Cheap while no one listens. */
void	stream_hub_publish(struct stream_hub *h, struct rib *r,
	    const struct feed_event *ev, size_t n);

/* On the API thread: the WebSocket side, called from the API's lws
 * callback for a connection upgraded at /v1/ws. *slot is the
 * connection's client (NULL before ESTABLISHED). Returns what the lws
 * callback returns (non-zero closes the connection). */
int	stream_ws_event(struct stream_hub *h, struct lws *wsi, int reason,
	    struct stream_client **slot, void *in, size_t len);

#endif
