/* RIPE RIS Live as a source: a WebSocket client (ws:// or wss://, through
 * an HTTP proxy if asked) that subscribes - to the monitored prefixes, to
 * explicit filters, or to everything - and turns each ris_message into
 * route events. Each RIS peer (collector host, peer address, peer ASN) is
 * a VP; RIS_PEER_STATE takes it up and down.
 *
 * It is built never to go blind silently: it pings, notices a stream
 * that stops (no message for silence_s; heartbeat subscribes to every
 * peer's KEEPALIVEs so that even a quiet subscription hears something),
 * notices a collector that stops while others go on, reconnects with
 * jittered exponential backoff and subscribes again. Every gap is a
 * source state change (down, then up) with its start, end and cause;
 * the VPs' routes are kept, stale, through it, and current again once
 * the stream is back. Runs on the caller's libuv loop. */
#ifndef BGPS_FEED_FEED_RISLIVE_H
#define BGPS_FEED_FEED_RISLIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "feed/feed.h"
#include "wire/rislive.h"

struct jw;

/* The WebSocket client side every RIS Live source of a loop shares (one
 * libwebsockets context); made at the first use. */
struct feed_ws;

struct feed_ws	*feed_ws_new(uv_loop_t *loop);
/* Closes every connection; the loop must then run. */
void		 feed_ws_stop(struct feed_ws *w);
/* After feed_ws_stop and a run of the loop. */
void		 feed_ws_free(struct feed_ws *w);

#define RISLIVE_DEFAULT_URL \
	"wss://ris-live.ripe.net/v1/ws/?client=bgpsentry"

struct feed_rislive_config {
	const char			*name;
	uv_loop_t			*loop;
	struct feed_ws			*ws;
	const char			*url;
	const char			*ca_file;	/* NULL: the system's */
	const char			*proxy;		/* "HOST:PORT", or NULL */
	/* each a ris_subscribe; none: everything (the firehose) */
	const struct rislive_sub	*subs;
	size_t				 nsubs;
	bool				 include_raw;
	bool				 heartbeat;	/* KEEPALIVEs too */
	uint32_t			 ping_s;	/* 0: no pings */
	uint32_t			 silence_s;	/* 0: never */
	uint32_t			 host_silence_s; /* 0: never */
	uint32_t			 backoff_min_ms;
	uint32_t			 backoff_max_ms;
	uint16_t			 vp_tags;
	bool				 restart;
	uint32_t			 source_id;
};

/* The configuration is copied. */
struct feed_source *feed_rislive_new(struct rib *r,
		    const struct feed_rislive_config *c, feed_sink_fn sink,
		    void *sink_arg);

/* The client's state as a JSON object: connection, subscriptions,
 * counters, gaps, and the collectors heard with when. */
void	feed_rislive_json(struct feed_source *s, struct jw *j,
	    uint64_t now_us);

/* The same for people: a line for the source, then its gaps and its
 * collectors. */
struct strbuf;
void	feed_rislive_text(struct feed_source *s, struct strbuf *out,
	    uint64_t now_us);

/* For tests and fuzzing: one message as if it came over the stream. */
void	feed_rislive_input(struct feed_source *s, const char *json,
	    size_t len);

#endif
