/* BGP sessions as a source: a monitoring speaker that peers with
 * routers, route servers and collectors, receives their routes and
 * never announces any. RFC 4271's state machine per connection, passive
 * and active peers, dynamic peers from an address range, capabilities
 * (multiprotocol, 4-octet AS, ADD-PATH receive, route refresh, graceful
 * restart helper, extended messages), TCP-MD5, RFC 7606 error handling,
 * prefix limits. Each peer is a VP. Everything runs on the caller's
 * libuv loop. */
#ifndef BGPS_FEED_FEED_BGP_H
#define BGPS_FEED_FEED_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "feed/feed.h"

struct jw;
struct strbuf;

#define FEED_BGP_IPV4		FEED_FAM_IPV4	/* families, as a bit set */
#define FEED_BGP_IPV6		FEED_FAM_IPV6
#define FEED_BGP_PORT		179
#define FEED_BGP_HOLD		90	/* seconds, RFC 4271 10 */
#define FEED_BGP_PASSWORD_MAX	80	/* TCP_MD5SIG_MAXKEYLEN */

enum feed_bgp_maxpfx_action {
	FEED_BGP_MAXPFX_WARN,		/* log and count, keep the session */
	FEED_BGP_MAXPFX_TEARDOWN,	/* NOTIFICATION Cease/1 and down */
};

/* One configured peer: an address, or a range whose every address may
 * connect (dynamic peers, always passive). */
struct feed_bgp_peer_conf {
	uint8_t		 afi;		/* BGP_AFI_IPV4 or BGP_AFI_IPV6 */
	uint8_t		 addr[16];
	uint8_t		 plen;		/* a range when shorter than the
					 * address */
	bool		 is_range;
	bool		 passive;	/* waits to be connected to */
	uint32_t	 remote_as;	/* 0: any */
	uint16_t	 port;		/* where an active peer is reached */
	uint16_t	 hold_time;	/* offered: 0 or 3 to 65535 s */
	uint8_t		 families;	/* FEED_BGP_IPV4 | FEED_BGP_IPV6 */
	bool		 add_path;	/* ADD-PATH receive, both families */
	bool		 has_local;	/* local_addr set (active peers) */
	uint8_t		 local_addr[16];
	uint32_t	 max_prefixes;	/* 0: no limit */
	uint8_t		 max_action;	/* enum feed_bgp_maxpfx_action */
	uint32_t	 max_restart_s;	/* after a teardown; 0: not before
					 * a reload */
	uint16_t	 tags;		/* RIB_TAG_* */
	char		*password;	/* TCP-MD5 (RFC 2385), or NULL */
	char		*description;	/* or NULL */
	unsigned	 line;		/* in the configuration */
};

struct feed_bgp_listen {
	uint8_t		afi;
	uint8_t		addr[16];
	uint16_t	port;
};

struct feed_bgp_config {
	const char			*name;
	uv_loop_t			*loop;
	uint32_t			 local_as;
	uint32_t			 router_id;	/* host order */
	const struct feed_bgp_listen	*listen;
	size_t				 nlisten;
	const struct feed_bgp_peer_conf	*peers;
	size_t				 npeers;
	uint32_t			 connect_retry_s; /* first; doubles
							   * to 60 s */
	uint16_t			 vp_tags;
	/* a restart of a source the registry has already */
	bool				 restart;
	uint32_t			 source_id;
};

/* Initialises tcp on loop, binds it to l (an IPv6 address for IPv6
 * only) and listens with cb; 0, or -1 with why in err ("listen on
 * ADDRESS port N: ..."). *inited says whether tcp needs closing. */
int	feed_listen(uv_loop_t *loop, uv_tcp_t *tcp,
	    const struct feed_bgp_listen *l, uv_connection_cb cb,
	    bool *inited, char *err, size_t errlen);

/* The configuration is copied. */
struct feed_source *feed_bgp_new(struct rib *r, const struct feed_bgp_config *c,
		    feed_sink_fn sink, void *sink_arg);

/* The peers as a JSON array: state, uptime, prefixes per family,
 * messages in and out, negotiated capabilities, last error. */
void	feed_bgp_peers_json(struct feed_source *s, struct jw *j,
	    uint64_t now_us);
/* The same as a table for people: a header line, then a line a peer. */
void	feed_bgp_peers_text_head(struct strbuf *out);
void	feed_bgp_peers_text(struct feed_source *s, struct strbuf *out,
	    uint64_t now_us);
/* The peers' lines of the Prometheus metrics bgpsentry_bgp_peer_up,
 * _prefixes{afi}, _established_total and _malformed_total (the HELP and
 * TYPE lines are the caller's). */
void	feed_bgp_peers_metrics(struct feed_source *s, struct strbuf *out);
/* Asks an established peer (its address as text) to send its routes
 * again (RFC 2918); false with why in err. */
bool	feed_bgp_refresh(struct feed_source *s, const char *addr, char *err,
	    size_t errlen);
/* For tests and fuzzing: len bytes arrive on a connection of the peer
 * of that address (text), as if read from its socket; when the peer has
 * no connection, one is made over a socket pair, in state OpenSent, or
 * Established (with every capability the peer's configuration allows)
 * when established is set. False when there is no such peer. */
bool	feed_bgp_input(struct feed_source *s, const char *addr,
	    bool established, const uint8_t *data, size_t len);
/* Is there a peer of that address (text) in the source? */
bool	feed_bgp_has_peer(struct feed_source *s, const char *addr);

#endif
