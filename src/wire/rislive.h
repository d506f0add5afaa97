/* RIPE RIS Live messages: JSON objects {"type": ..., "data": {...}} over
 * a WebSocket. Both sides: a client decodes ris_message (and the
 * server's replies) and writes ris_subscribe; bgpsentry's own stream
 * server reads ris_subscribe, matches messages against subscriptions and
 * writes ris_message in RIS Live's field layout.
 *
 * An UPDATE read from JSON becomes BGP UPDATE messages in wire form (one
 * per next hop, 4-octet AS numbers, extended length), so that it goes
 * through the same codec, checks and interning as every other source.
 * JSON is read with cJSON (measured against jansson, json-c and yajl on
 * real RIS Live messages: bench/bench_json.c). */
#ifndef BGPS_WIRE_RISLIVE_H
#define BGPS_WIRE_RISLIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/bgp.h"

struct arena;
struct strbuf;

/* The type of a ris_message (data.type). */
enum rislive_type {
	RISLIVE_OTHER = 0,		/* one we do not know */
	RISLIVE_UPDATE,
	RISLIVE_OPEN,
	RISLIVE_NOTIFICATION,
	RISLIVE_KEEPALIVE,
	RISLIVE_PEER_STATE,		/* RIS_PEER_STATE */
	RISLIVE_TYPES
};

const char	*rislive_type_name(enum rislive_type t);

/* Limits on what one message may hold. */
#define RISLIVE_HOST_MAX	64	/* a collector's name, NUL included */
#define RISLIVE_PREFIXES_MAX	65536	/* prefixes of one message */
#define RISLIVE_PATH_MAX	1024	/* ASNs of one AS path */
#define RISLIVE_COMMUNITIES_MAX	4096	/* communities of one message */
#define RISLIVE_SUB_PATH_MAX	32	/* items of a subscription's path */
#define RISLIVE_SUB_SET_MAX	16	/* ASNs of an AS set in one */
#define RISLIVE_SUB_PREFIXES_MAX 1024	/* prefixes of a subscription */

/* --- what a client reads ----------------------------------------------- */

enum rislive_kind {
	RISLIVE_MSG_OTHER = 0,		/* a type we do not know */
	RISLIVE_MSG_RIS_MESSAGE,
	RISLIVE_MSG_SUBSCRIBE_OK,
	RISLIVE_MSG_ERROR,		/* ris_error */
	RISLIVE_MSG_PONG,
};

/* One BGP UPDATE made from a ris_message, header included. */
struct rislive_bgp {
	const uint8_t	*msg;
	uint16_t	 len;
};

struct rislive_msg {
	uint8_t			 kind;		/* enum rislive_kind */
	uint8_t			 type;		/* enum rislive_type */
	char			 host[RISLIVE_HOST_MAX];
	uint8_t			 peer_afi;	/* BGP_AFI_IPV4/6 */
	uint8_t			 peer[16];
	uint32_t		 peer_asn;
	uint64_t		 time_us;
	/* RIS_PEER_STATE: "connected" is up; anything else is down */
	bool			 up;
	/* UPDATE: what it says, as BGP messages (none for an UPDATE that
	 * neither announces nor withdraws) */
	struct rislive_bgp	*updates;
	unsigned		 nupdates;
	uint32_t		 nannounced;
	uint32_t		 nwithdrawn;
	/* data.raw (includeRaw): the BGP message as RIS got it */
	const uint8_t		*raw;
	size_t			 raw_len;
	/* NOTIFICATION */
	uint8_t			 code;
	uint8_t			 subcode;
	/* ris_error's message, the state of RIS_PEER_STATE, or the name
	 * of an unknown type */
	char			 text[160];
};

/* Sets cJSON up for the decoder (its allocation hooks, process-wide):
 * best called once before threads start; rislive_decode calls it too. */
void	rislive_init(void);

/* Decodes one message (len bytes, not NUL-terminated) into m, with its
 * arrays and BGP messages from the arena. False, with err set (and the
 * message's kind and type, as far as they were read), when it is not
 * JSON or a ris_message lacks or mangles a field we need. */
bool	rislive_decode(const char *json, size_t len, struct arena *a,
	    struct rislive_msg *m, char *err, size_t errlen);

/* Does the UPDATE of raw (data.raw) say what the JSON said? Compares
 * the prefixes announced and withdrawn (as sets), the effective AS path,
 * origin, MED, communities, large communities and aggregator; raw is
 * read with 4-octet AS numbers, and with 2 if that fails. The arena
 * holds the decoding. */
bool	rislive_raw_agrees(const struct rislive_msg *m, struct arena *a);

/* --- subscriptions ------------------------------------------------------ */

/* An item of a path pattern: an ASN, or an AS set (nset > 0). */
struct rislive_path_item {
	uint32_t	asn;
	uint8_t		nset;
	uint32_t	set[RISLIVE_SUB_SET_MAX];
};

#define RISLIVE_REQUIRE_ANNOUNCEMENTS	1
#define RISLIVE_REQUIRE_WITHDRAWALS	2

/* The data of a ris_subscribe (every field optional). */
struct rislive_sub {
	char			 host[RISLIVE_HOST_MAX];	/* "": any */
	uint8_t			 type;		/* 0: any */
	uint8_t			 require;	/* 0 or RISLIVE_REQUIRE_* */
	bool			 has_peer;
	uint8_t			 peer_afi;
	uint8_t			 peer[16];
	/* path: the items in a row somewhere in the path; from its first
	 * AS (^), up to the origin ($); negated (!) */
	bool			 has_path;
	bool			 path_first;
	bool			 path_last;
	bool			 path_not;
	uint8_t			 npath;
	struct rislive_path_item path[RISLIVE_SUB_PATH_MAX];
	struct bgp_prefix	*prefixes;	/* malloc'd; NULL: any */
	uint32_t		 nprefixes;
	bool			 more_specific;	/* default true */
	bool			 less_specific;	/* default false */
};

/* The sub with RIS Live's defaults (any message). */
void	rislive_sub_init(struct rislive_sub *s);
void	rislive_sub_free(struct rislive_sub *s);
bool	rislive_sub_equal(const struct rislive_sub *a,
	    const struct rislive_sub *b);
/* A path pattern as RIS Live writes it ("^174,3356", "[64512,64513]$",
 * "!1299", or an ASN); false, with err, when it is not one. */
bool	rislive_sub_path_parse(struct rislive_sub *s, const char *text,
	    char *err, size_t errlen);
/* Adds a prefix (text); false, with err, when it is not one or there
 * are too many. */
bool	rislive_sub_add_prefix(struct rislive_sub *s, const char *text,
	    char *err, size_t errlen);

/* What a stream client asks of the server. */
enum rislive_req_type {
	RISLIVE_REQ_PING = 1,
	RISLIVE_REQ_SUBSCRIBE,
	RISLIVE_REQ_UNSUBSCRIBE,
	RISLIVE_REQ_REQUEST_RRC_LIST,	/* answered as unsupported */
};

struct rislive_request {
	uint8_t			 type;		/* enum rislive_req_type */
	struct rislive_sub	*sub;		/* malloc'd: the caller's */
	bool			 acknowledge;	/* socketOptions */
	bool			 include_raw;
};

/* Reads a client's message; false, with err (for a ris_error), when it
 * is not one the server understands. */
bool	rislive_request_parse(const char *json, size_t len,
	    struct rislive_request *rq, char *err, size_t errlen);

/* --- what a server writes, and a client sends ------------------------- */

/* A message as the server sees it: one VP's UPDATE, or its state. */
struct rislive_ann {
	struct bgp_prefix	 prefix;
	const uint8_t		*nh;
	uint8_t			 nh_len;
};

struct rislive_view {
	uint8_t			 type;		/* UPDATE or PEER_STATE */
	const char		*host;
	uint8_t			 peer_afi;
	uint8_t			 peer[16];
	uint32_t		 peer_asn;
	uint64_t		 time_us;
	bool			 up;		/* PEER_STATE */
	const struct bgp_attrs	*attrs;		/* with announcements */
	const struct rislive_ann *ann;
	uint32_t		 nann;
	const struct bgp_prefix	*wd;
	uint32_t		 nwd;
};

bool	rislive_sub_match(const struct rislive_sub *s,
	    const struct rislive_view *v);

/* {"type":"ris_message","data":{...}}, id made of the peer, the time and
 * seq. With raw, an UPDATE has "raw": itself as one BGP UPDATE of a
 * speaker with 4-octet AS numbers (every attribute the source got, with
 * the effective AS_PATH and AGGREGATOR), in hex; none when it takes
 * more than one (two next hops of one family, say). */
void	rislive_print(const struct rislive_view *v, uint64_t seq, bool raw,
	    struct strbuf *out);
void	rislive_print_error(const char *message, struct strbuf *out);
/* ris_subscribe_ok for s (socketOptions as given). */
void	rislive_print_subscribe_ok(const struct rislive_sub *s, bool ack,
	    bool raw, struct strbuf *out);
/* The ris_subscribe a client sends for s. */
void	rislive_print_subscribe(const struct rislive_sub *s, bool ack,
	    bool raw, struct strbuf *out);

#endif
