/* A BMP station as a source (RFC 7854, 8671, 9069): routers connect
 * and report their BGP peers' tables. Each (router, monitored peer,
 * table kind: Adj-RIB-In pre- or post-policy, Adj-RIB-Out pre- or
 * post-policy, Loc-RIB) is a VP. Runs on the caller's libuv loop. */
#ifndef BGPS_FEED_FEED_BMP_H
#define BGPS_FEED_FEED_BMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "feed/feed.h"
#include "feed/feed_bgp.h"

struct jw;

/* A router address, or a range, allowed to connect. */
struct feed_bmp_allow {
	uint8_t	afi;
	uint8_t	addr[16];
	uint8_t	plen;
};

struct feed_bmp_config {
	const char			*name;
	uv_loop_t			*loop;
	const struct feed_bgp_listen	*listen;
	size_t				 nlisten;
	const struct feed_bmp_allow	*allow;
	size_t				 nallow;
	/* a router that goes away: its VPs' routes are kept, stale, this
	 * long (0: they go at once) */
	uint32_t			 stale_s;
	const char			*capture_dir;	/* or NULL */
	uint16_t			 vp_tags;
	bool				 restart;
	uint32_t			 source_id;
};

struct feed_source *feed_bmp_new(struct rib *r, const struct feed_bmp_config *c,
		    feed_sink_fn sink, void *sink_arg);

/* The routers as a JSON array: address, state, sysName and sysDescr,
 * counters, and each monitored peer with its tables (VPs) and latest
 * statistics. */
void	feed_bmp_routers_json(struct feed_source *s, struct jw *j,
	    uint64_t now_us);

/* The same for people: a line a router, then a line a peer. */
struct strbuf;
void	feed_bmp_routers_text(struct feed_source *s, struct strbuf *out,
	    uint64_t now_us);

/* For tests and fuzzing: bytes arriving from the router of that address
 * (text), as if read from its connection (made over a socket pair when
 * it has none). False when the router is not allowed. */
bool	feed_bmp_input(struct feed_source *s, const char *router,
	    const uint8_t *data, size_t len);

#endif
