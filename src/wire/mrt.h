/* MRT (RFC 6396, RFC 8050) record framing and BGP4MP records. */
#ifndef BGPS_WIRE_MRT_H
#define BGPS_WIRE_MRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/strbuf.h"
#include "wire/bgp.h"

struct strbuf;

#define MRT_HEADER_LEN		12
#define MRT_BGP			5	/* deprecated (RFC 6396 B.2.1) */
#define MRT_TABLE_DUMP		12
#define MRT_TABLE_DUMP_V2	13
#define MRT_BGP4MP		16
#define MRT_BGP4MP_ET		17

enum mrt_bgp4mp_subtype {
	MRT_BGP4MP_STATE_CHANGE		= 0,
	MRT_BGP4MP_MESSAGE		= 1,
	MRT_BGP4MP_MESSAGE_AS4		= 4,
	MRT_BGP4MP_STATE_CHANGE_AS4	= 5,
	MRT_BGP4MP_MESSAGE_LOCAL	= 6,
	MRT_BGP4MP_MESSAGE_AS4_LOCAL	= 7,
	MRT_BGP4MP_MESSAGE_ADDPATH	= 8,
	MRT_BGP4MP_MESSAGE_AS4_ADDPATH	= 9,
	MRT_BGP4MP_MESSAGE_LOCAL_ADDPATH = 10,
	MRT_BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH = 11,
};

/* Subtypes of the deprecated BGP type (RFC 6396 B.2.1). */
enum mrt_bgp_subtype {
	MRT_BGP_UPDATE		= 1,
	MRT_BGP_STATE_CHANGE	= 3,
	MRT_BGP_OPEN		= 5,
	MRT_BGP_NOTIFY		= 6,
	MRT_BGP_KEEPALIVE	= 7,
};

struct mrt_record {
	uint32_t	 ts;
	uint32_t	 usec;		/* _ET types only */
	uint16_t	 type;
	uint16_t	 subtype;
	uint32_t	 len;		/* of data */
	const uint8_t	*data;		/* after the header (and usec) */
	size_t		 offset;	/* of the record in the file */
};

enum mrt_status {
	MRT_OK,
	MRT_END,		/* no more records */
	MRT_TRUNCATED,		/* the last record is cut short */
	MRT_MALFORMED,		/* the record's body is inconsistent */
};

/* Reads the record at *pos and advances *pos past it. */
enum mrt_status mrt_next(const uint8_t *buf, size_t len, size_t *pos,
		    struct mrt_record *r);

struct mrt_bgp4mp {
	uint32_t	 peer_as;
	uint32_t	 local_as;
	uint16_t	 ifindex;
	uint16_t	 afi;
	uint8_t		 peer_ip[16];
	uint8_t		 local_ip[16];
	bool		 is_state_change;
	uint16_t	 old_state;
	uint16_t	 new_state;
	bool		 local;		/* sent by the collector itself */
	bool		 zebra_short;	/* a short Zebra record: no addresses */
	uint16_t	 subtype;	/* of the record */
	const uint8_t	*msg;		/* whole BGP message, header included;
					 * for the deprecated BGP type, only
					 * the body (see body_type) */
	size_t		 msg_len;
	uint8_t		 body_type;	/* deprecated BGP type: the message
					 * type of the header-less body */
	struct bgp_session session;	/* how to decode msg */
};

/* Parses a BGP4MP/BGP4MP_ET record of a subtype listed above, or a
 * record of the deprecated BGP type (1999-2001 archives). */
enum mrt_status mrt_bgp4mp_parse(const struct mrt_record *r,
		    struct mrt_bgp4mp *out);

/* The whole BGP message of a parsed record: a view into the record, or,
 * for the deprecated type, the body behind a header built in scratch.
 * Returns NULL for state changes and bodies too long to fit. */
const uint8_t	*mrt_bgp4mp_message(const struct mrt_bgp4mp *m,
		    uint8_t scratch[BGP_MAX_EXT_MSG_LEN], size_t *len);

/* --- streaming reader ---------------------------------------------------- */

enum mrt_v2_subtype {
	MRT_V2_PEER_INDEX_TABLE		= 1,
	MRT_V2_RIB_IPV4_UNICAST		= 2,
	MRT_V2_RIB_IPV4_MULTICAST	= 3,
	MRT_V2_RIB_IPV6_UNICAST		= 4,
	MRT_V2_RIB_IPV6_MULTICAST	= 5,
	MRT_V2_RIB_GENERIC		= 6,
	MRT_V2_RIB_IPV4_UNICAST_ADDPATH	= 8,	/* RFC 8050 */
	MRT_V2_RIB_IPV4_MULTICAST_ADDPATH = 9,
	MRT_V2_RIB_IPV6_UNICAST_ADDPATH	= 10,
	MRT_V2_RIB_IPV6_MULTICAST_ADDPATH = 11,
	MRT_V2_RIB_GENERIC_ADDPATH	= 12,
};

/* Where the bytes come from: returns the count read, 0 at the end, -1 on
 * an error. The reader does no I/O of its own. */
typedef ssize_t	(*mrt_read_fn)(void *arg, void *buf, size_t n);

struct mrt_peer {
	uint32_t	asn;
	uint32_t	bgp_id;
	uint8_t		afi;		/* BGP_AFI_IPV4 or BGP_AFI_IPV6 */
	uint8_t		ip[16];
};

enum mrt_elem_type {
	MRT_ELEM_RIB,		/* a route in a RIB dump */
	MRT_ELEM_ANNOUNCE,
	MRT_ELEM_WITHDRAW,
	MRT_ELEM_STATE,		/* a BGP session changed state */
};

/* One route element, valid during the callback only. */
struct mrt_elem {
	uint8_t			 type;		/* enum mrt_elem_type */
	uint16_t		 mrt_type;
	uint16_t		 mrt_subtype;
	uint32_t		 ts;
	uint32_t		 usec;		/* _ET records only */
	const struct mrt_peer	*peer;
	struct bgp_prefix	 prefix;	/* RIB, ANNOUNCE, WITHDRAW */
	const struct bgp_attrs	*attrs;		/* RIB, ANNOUNCE */
	/* The next hop for this prefix: NEXT_HOP, or MP_REACH_NLRI's. */
	const uint8_t		*nexthop;
	uint8_t			 nexthop_len;
	uint32_t		 originated;	/* RIB: when the route was learnt */
	uint16_t		 peer_index;	/* TABLE_DUMP_V2: into the peer
						 * index table */
	uint16_t		 old_state;	/* STATE */
	uint16_t		 new_state;
	uint64_t		 offset;	/* of its record in the input */
	uint16_t		 rib_entries;	/* RIB: entries in its record */
	/* The attribute block as recorded. With mrt_reader_lazy_rib, RIB
	 * entries come with only this (attrs and nexthop NULL, action
	 * unknown): mrt_reader_rib_attrs decodes it on demand. */
	const uint8_t		*attrs_raw;
	uint16_t		 attrs_raw_len;
	uint8_t			 action;	/* RFC 7606 outcome of the message
						 * or RIB entry (enum bgp_action);
						 * announcements of a
						 * treat-as-withdraw UPDATE keep
						 * type ANNOUNCE with this set */
};

/* Returns 0 to go on, anything else to stop the reader. */
typedef int	(*mrt_elem_fn)(const struct mrt_elem *e, void *arg);

struct mrt_stats {
	uint64_t	records;
	uint64_t	elems;
	uint64_t	unknown;	/* records of types/subtypes skipped */
	uint64_t	malformed;	/* records or RIB entries that did not
					 * parse; skipped */
	uint64_t	bgp_problems;	/* messages/entries with an RFC 7606
					 * problem */
};

/* Something in the input that was skipped or that RFC 7606 had to deal
 * with, reported as it is met (the counters above count it either way). */
enum mrt_problem_kind {
	MRT_PROB_UNKNOWN,	/* a record type or subtype we do not read */
	MRT_PROB_MALFORMED,	/* a record or RIB entry that does not parse */
	MRT_PROB_BGP,		/* a BGP message or RIB entry with RFC 7606
				 * problems (bgp) */
};

struct mrt_problem {
	uint8_t				 kind;	/* enum mrt_problem_kind */
	uint16_t			 mrt_type;
	uint16_t			 mrt_subtype;
	uint64_t			 offset; /* of the record */
	const struct mrt_peer		*peer;	/* the VP, NULL if unknown */
	const char			*what;	/* UNKNOWN, MALFORMED */
	const struct bgp_problems	*bgp;	/* BGP */
	bool				 used;	/* BGP session reset: the
						 * elements were still
						 * delivered (bgpdump reading) */
};

typedef void	(*mrt_problem_fn)(const struct mrt_problem *p, void *arg);

struct mrt_reader;

struct mrt_reader *mrt_reader_new(mrt_read_fn fn, void *arg);
void		 mrt_reader_on_problem(struct mrt_reader *r, mrt_problem_fn fn,
		    void *arg);
/* Read as bgpdump 1.6.2 does, for output that must match it: ADD-PATH
 * only from the _ADDPATH subtypes (no guess from recorded OPENs), and an
 * UPDATE whose prefix list goes wrong still yields the prefixes before
 * the fault (RFC 7606 would reset the session and use none). */
void		 mrt_reader_bgpdump_compat(struct mrt_reader *r, bool on);
void		 mrt_reader_free(struct mrt_reader *r);
/* TABLE_DUMP_V2 RIB entries are delivered undecoded (see attrs_raw): a
 * consumer that has seen the same block before need not decode it. */
void		 mrt_reader_lazy_rib(struct mrt_reader *r, bool on);
/* Decodes the attributes of a lazy RIB entry e (valid until the next
 * call or record), sets its next hop, and returns its RFC 7606 action
 * in *action (problems are reported as for eager entries); NULL when
 * memory runs out. */
const struct bgp_attrs *mrt_reader_rib_attrs(struct mrt_reader *r,
		    struct mrt_elem *e, uint8_t *action);
/* Reads the next record (valid until the next call). MRT_TRUNCATED and
 * MRT_MALFORMED come with mrt_reader_error() naming the byte offset. */
enum mrt_status	 mrt_reader_next(struct mrt_reader *r, struct mrt_record *rec);
/* Turns one record into route elements. Those of a BGP4MP record (the
 * attributes, peer and next hop they point at) stay valid until the
 * next record is read, so that a consumer may keep them together. */
enum mrt_status	 mrt_reader_elems(struct mrt_reader *r,
		    const struct mrt_record *rec, mrt_elem_fn fn, void *arg);
/* Reads every record and calls fn for every element; returns MRT_END
 * when the input ended cleanly, MRT_TRUNCATED (or MRT_MALFORMED) with an
 * error otherwise, everything before the damage delivered. */
enum mrt_status	 mrt_reader_run(struct mrt_reader *r, mrt_elem_fn fn,
		    void *arg);
const char	*mrt_reader_error(const struct mrt_reader *r);
/* The last PEER_INDEX_TABLE read (TABLE_DUMP_V2), and its collector. */
const struct mrt_peer *mrt_reader_peers(const struct mrt_reader *r,
		    uint32_t *n, uint32_t *collector_id);
const struct mrt_stats *mrt_reader_stats(const struct mrt_reader *r);

/* --- renderings ------------------------------------------------------------ */

enum mrt_format {
	MRT_FMT_JSON,		/* one JSON object per element */
	MRT_FMT_M,		/* bgpdump -m: one line, Unix time */
	MRT_FMT_BIG_M,		/* bgpdump -M: one line, human time */
};

/* Appends one line (with its newline) describing e. */
void	mrt_elem_json(const struct mrt_elem *e, struct strbuf *out);
void	mrt_elem_bgpdump(const struct mrt_elem *e, enum mrt_format fmt,
	    struct strbuf *out);
/* As mrt_elem_bgpdump, reusing the attribute columns of the previous
 * line when it came from the same record with the same next hop (the
 * prefixes of one UPDATE). Zero it before use; mrt_bgpdump_cache_free
 * after. */
struct mrt_bgpdump_cache {
	uint64_t	 offset;
	const uint8_t	*nexthop;
	uint8_t		 afi;
	uint8_t		 fmt;
	bool		 valid;
	struct strbuf	 tail;
};
void	mrt_elem_bgpdump_cached(const struct mrt_elem *e, enum mrt_format fmt,
	    struct strbuf *out, struct mrt_bgpdump_cache *c);
void	mrt_bgpdump_cache_free(struct mrt_bgpdump_cache *c);

/* --- writing ---------------------------------------------------------------- */

struct bwriter;

/* TABLE_DUMP_V2 PEER_INDEX_TABLE (RFC 6396 4.3.1); peers with an AS over
 * 65535 get the 4-octet form, IPv6 peers the IPv6 form. */
bool	mrt_write_peer_index(struct bwriter *w, uint32_t ts,
	    uint32_t collector_id, const char *view,
	    const struct mrt_peer *peers, uint16_t n);

struct mrt_rib_entry {
	uint16_t	 peer_index;
	uint32_t	 originated;
	uint32_t	 path_id;	/* with ADD-PATH */
	const uint8_t	*attrs;		/* encoded by mrt_rib_attrs_encode */
	uint16_t	 attrs_len;
};

/* Encodes attributes as a RIB entry carries them: 4-octet AS numbers,
 * MP_REACH_NLRI cut to its next hop (RFC 6396 4.3.4). */
bool	mrt_rib_attrs_encode(const struct bgp_attrs *a, struct bwriter *w);
/* One RIB record: the prefix (IPv4/IPv6, unicast or multicast; with
 * addpath the RFC 8050 subtype) and an entry per peer. */
bool	mrt_write_rib(struct bwriter *w, uint32_t ts, uint32_t seq,
	    const struct bgp_prefix *p, uint8_t safi, bool addpath,
	    const struct mrt_rib_entry *e, uint16_t n);
/* A BGP4MP (et: BGP4MP_ET, with usec) record of b's subtype, for b's
 * message (msg, len: header included) or state change. */
bool	mrt_write_bgp4mp(struct bwriter *w, uint32_t ts, bool et,
	    uint32_t usec, const struct mrt_bgp4mp *b, const uint8_t *msg,
	    size_t len);

#endif
