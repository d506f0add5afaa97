/* BGP-4 message codec (RFC 4271 and extensions): bytes <-> structs, no I/O.
 *
 * Decoding reads through a bounds-checked cursor and never casts structs
 * onto buffers. Decoded messages point into the caller's buffer (views) and
 * into a per-message arena; both must outlive the struct. Encoding writes a
 * whole message, header included, into a bwriter.
 *
 * Decoding depends on what the session negotiated (4-octet AS, ADD-PATH per
 * family, extended messages): that is the explicit struct bgp_session.
 *
 * UPDATE errors follow RFC 7606: every problem found is recorded with its
 * outcome (attribute discard, treat-as-withdraw, session reset) and a reason;
 * the message's outcome is the strongest of them (RFC 7606 3.f). */
#ifndef BGPS_WIRE_BGP_H
#define BGPS_WIRE_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/limits.h"

struct arena;
struct bwriter;
struct strbuf;
struct jw;

enum bgp_msg_type {
	BGP_MSG_OPEN		= 1,
	BGP_MSG_UPDATE		= 2,
	BGP_MSG_NOTIFICATION	= 3,
	BGP_MSG_KEEPALIVE	= 4,
	BGP_MSG_ROUTE_REFRESH	= 5,
};

/* Address families (IANA AFI / SAFI). */
#define BGP_AFI_IPV4		1
#define BGP_AFI_IPV6		2
#define BGP_AFI_L2VPN		25
#define BGP_AFI_BGPLS		16388
#define BGP_SAFI_UNICAST	1
#define BGP_SAFI_MULTICAST	2
#define BGP_SAFI_MPLS_LABEL	4
#define BGP_SAFI_EVPN		70
#define BGP_SAFI_BGPLS		71
#define BGP_SAFI_MPLS_VPN	128
#define BGP_SAFI_RT_CONSTRAINT	132
#define BGP_SAFI_FLOWSPEC	133

/* The families whose NLRI this codec parses into prefixes. Other families
 * are carried as raw NLRI bytes. */
enum bgp_fam {
	BGP_FAM_IPV4_UNICAST,
	BGP_FAM_IPV4_MULTICAST,
	BGP_FAM_IPV6_UNICAST,
	BGP_FAM_IPV6_MULTICAST,
	BGP_FAM_COUNT
};

/* Returns the bgp_fam for afi/safi, or -1 if NLRI of that family are not
 * parsed into prefixes. */
int		 bgp_fam_of(uint16_t afi, uint8_t safi);
const char	*bgp_afi_name(uint16_t afi);	/* NULL if unknown */
const char	*bgp_safi_name(uint8_t safi);	/* NULL if unknown */

/* What the session negotiated, as it changes the wire format. */
struct bgp_session {
	bool		as4;		/* RFC 6793: 4-octet AS numbers */
	bool		ext_msg;	/* RFC 8654: messages up to 65535 */
	uint8_t		addpath_rx;	/* RFC 7911: bit (1 << bgp_fam) set when
					 * NLRI of that family carry path ids */
	/* MRT RIB entries (RFC 6396 4.3.4) abbreviate MP_REACH_NLRI to the
	 * next hop alone; its family is then this one. 0: not a RIB entry. */
	uint16_t	rib_afi;
	uint8_t		rib_safi;
	/* Keep the prefixes before a syntax error in a prefix list (the
	 * message is still a session reset): how bgpdump reads archives. */
	bool		salvage;
};

#define BGP_ADDPATH_ALL	((uint8_t)((1u << BGP_FAM_COUNT) - 1))

static inline bool
bgp_session_addpath(const struct bgp_session *s, int fam)
{
	return fam >= 0 && (s->addpath_rx & (1u << fam)) != 0;
}

/* --- prefixes ----------------------------------------------------------- */

struct bgp_prefix {
	uint32_t	path_id;	/* RFC 7911; 0 without ADD-PATH */
	uint8_t		afi;		/* BGP_AFI_IPV4 or BGP_AFI_IPV6 */
	uint8_t		len;		/* prefix length in bits */
	uint8_t		has_path_id;
	uint8_t		pad_;
	uint8_t		addr[16];	/* bytes as on the wire, rest zero */
};

#define BGP_PREFIX_STRLEN	64	/* "addr/len" plus " id N" */

/* "192.0.2.0/24"; bits past the length are shown as received. */
char	*bgp_prefix_str(const struct bgp_prefix *p, char *buf, size_t len);
/* Parses "ADDRESS/LENGTH" (IPv4 or IPv6, the length within the family's
 * bits, nothing after it) into *p, bits past the length cleared; false
 * if it is not a prefix. */
bool	 bgp_prefix_parse(const char *s, struct bgp_prefix *p);
/* The same, false also when a bit past the length is set (a VRP, a
 * configured prefix: where that is a mistake to report). */
bool	 bgp_prefix_parse_exact(const char *s, struct bgp_prefix *p);
/* Clears the bits past the prefix length (RFC 4271 4.3: they are
 * irrelevant); returns true if any was set. */
bool	 bgp_prefix_mask(struct bgp_prefix *p);

/* --- path attributes ---------------------------------------------------- */

#define BGP_ATTR_F_OPTIONAL	0x80
#define BGP_ATTR_F_TRANSITIVE	0x40
#define BGP_ATTR_F_PARTIAL	0x20
#define BGP_ATTR_F_EXTLEN	0x10

enum bgp_attr_type {
	BGP_ATTR_ORIGIN			= 1,
	BGP_ATTR_AS_PATH		= 2,
	BGP_ATTR_NEXT_HOP		= 3,
	BGP_ATTR_MED			= 4,
	BGP_ATTR_LOCAL_PREF		= 5,
	BGP_ATTR_ATOMIC_AGGREGATE	= 6,
	BGP_ATTR_AGGREGATOR		= 7,
	BGP_ATTR_COMMUNITIES		= 8,
	BGP_ATTR_ORIGINATOR_ID		= 9,
	BGP_ATTR_CLUSTER_LIST		= 10,
	BGP_ATTR_MP_REACH_NLRI		= 14,
	BGP_ATTR_MP_UNREACH_NLRI	= 15,
	BGP_ATTR_EXT_COMMUNITIES	= 16,
	BGP_ATTR_AS4_PATH		= 17,
	BGP_ATTR_AS4_AGGREGATOR		= 18,
	BGP_ATTR_PMSI_TUNNEL		= 22,
	BGP_ATTR_TUNNEL_ENCAP		= 23,
	BGP_ATTR_TRAFFIC_ENG		= 24,
	BGP_ATTR_IPV6_EXT_COMMUNITIES	= 25,
	BGP_ATTR_AIGP			= 26,
	BGP_ATTR_PE_DISTINGUISHER	= 27,
	BGP_ATTR_BGP_LS			= 29,
	BGP_ATTR_LARGE_COMMUNITY	= 32,
	BGP_ATTR_BGPSEC_PATH		= 33,
	BGP_ATTR_OTC			= 35,
	BGP_ATTR_PREFIX_SID		= 40,
	BGP_ATTR_ATTR_SET		= 128,
};

const char	*bgp_attr_name(uint8_t type);	/* NULL if unknown */

/* The addresses in a next hop of nh_len octets (MP_REACH_NLRI's, or the
 * 4-octet NEXT_HOP): an IPv4 or a global IPv6 address, then possibly an
 * IPv6 link-local one, each possibly behind an 8-octet route
 * distinguisher (RFC 2545 3, RFC 4364 4.3.2, RFC 4659 3.2.1). Sets *addr
 * and *ll (NULL if none) and returns BGP_AFI_IPV4 or BGP_AFI_IPV6, or 0
 * for a length of no known layout. */
uint16_t	bgp_nexthop_addrs(const uint8_t *nh, uint8_t nh_len,
		    const uint8_t **addr, const uint8_t **ll);

enum bgp_origin { BGP_ORIGIN_IGP = 0, BGP_ORIGIN_EGP = 1, BGP_ORIGIN_INCOMPLETE = 2 };

/* What became of one attribute of the message. */
enum bgp_attr_state {
	BGP_ATTR_USED,		/* decoded into struct bgp_attrs */
	BGP_ATTR_UNKNOWN,	/* optional, not decoded by us; kept raw */
	BGP_ATTR_DISCARDED,	/* malformed or duplicate: not used */
};

/* One attribute as it appeared on the wire, in wire order. Keeping the
 * order, the flags and the raw value makes the encoder reproduce the
 * received bytes exactly. */
struct bgp_attr_ent {
	const uint8_t	*data;		/* value, len bytes, in the message */
	uint16_t	 len;
	uint8_t		 flags;
	uint8_t		 type;
	uint8_t		 state;		/* enum bgp_attr_state */
};

enum bgp_seg_type {
	BGP_AS_SET		= 1,
	BGP_AS_SEQUENCE		= 2,
	BGP_AS_CONFED_SEQUENCE	= 3,
	BGP_AS_CONFED_SET	= 4,
};

struct bgp_asseg {
	const uint32_t	*asn;
	uint8_t		 type;		/* enum bgp_seg_type */
	uint8_t		 count;		/* >= 1 */
};

struct bgp_aspath {
	const struct bgp_asseg	*segs;
	uint16_t		 nsegs;
};

#define BGP_AS_TRANS	23456u		/* RFC 6793 */

/* Path length for best-path purposes: a set counts 1, confederation
 * segments 0 (RFC 4271 9.1.2.2, RFC 5065 5.3). */
unsigned	bgp_aspath_hops(const struct bgp_aspath *p);
/* The origin AS: the last AS of a trailing AS_SEQUENCE, or 0 when the path
 * is empty or ends in a set. */
uint32_t	bgp_aspath_origin(const struct bgp_aspath *p);
/* "3333 1103 {64512 64513} (65001)". */
void		bgp_aspath_str(const struct bgp_aspath *p, struct strbuf *out);

struct bgp_aggregator {
	uint32_t	asn;
	uint8_t		addr[4];
};

struct bgp_mp_reach {
	uint16_t		 afi;
	uint8_t			 safi;
	int8_t			 fam;		/* bgp_fam, or -1: NLRI kept raw */
	uint8_t			 nh_len;
	uint8_t			 reserved;	/* RFC 4760: "Reserved" (was SNPAs) */
	bool			 rib_abbrev;	/* MRT RIB form: next hop only */
	const uint8_t		*nh;		/* nh_len bytes */
	const uint8_t		*nlri_raw;
	uint16_t		 nlri_raw_len;
	uint32_t		 n_nlri;
	struct bgp_prefix	*nlri;		/* when fam >= 0 */
};

struct bgp_mp_unreach {
	uint16_t		 afi;
	uint8_t			 safi;
	int8_t			 fam;
	const uint8_t		*nlri_raw;
	uint16_t		 nlri_raw_len;
	uint32_t		 n_withdrawn;
	struct bgp_prefix	*withdrawn;
};

/* The decoded attributes. A field is valid only when bgp_attrs_has() says
 * so for its type. List-valued attributes are views of wire-format items:
 * use the accessors to read them. */
struct bgp_attrs {
	uint64_t		 present[4];	/* bit per type: decoded here */
	struct bgp_attr_ent	*ent;		/* wire order; NULL: canonical */
	uint16_t		 n_ent;

	uint8_t			 origin;
	uint8_t			 next_hop[4];
	uint32_t		 med;
	uint32_t		 local_pref;
	uint32_t		 originator_id;
	uint32_t		 otc;
	uint64_t		 aigp;		/* the AIGP TLV's metric */
	struct bgp_aspath	 as_path;	/* as received */
	struct bgp_aspath	 as4_path;	/* as received */
	struct bgp_aspath	 path;		/* effective: RFC 6793 4.2.3 */
	struct bgp_aggregator	 aggregator;
	struct bgp_aggregator	 as4_aggregator;
	struct bgp_mp_reach	 mp_reach;
	struct bgp_mp_unreach	 mp_unreach;
	const uint8_t		*communities;	/* 4 octets each */
	const uint8_t		*cluster_list;	/* 4 octets each */
	const uint8_t		*ext_communities;	/* 8 octets each */
	const uint8_t		*ipv6_ext_communities;	/* 20 octets each */
	const uint8_t		*large_communities;	/* 12 octets each */
	const uint8_t		*aigp_raw;	/* the whole TLV list */
	uint16_t		 n_communities;
	uint16_t		 n_cluster_list;
	uint16_t		 n_ext_communities;
	uint16_t		 n_ipv6_ext_communities;
	uint16_t		 n_large_communities;
	uint16_t		 aigp_raw_len;
	/* Bytes after an attribute whose header or length did not fit
	 * (RFC 7606 4): not attributes, kept so re-encoding is exact. */
	const uint8_t		*unparsed;
	uint16_t		 unparsed_len;
	/* The attribute block decoded (NULL when built by hand). */
	const uint8_t		*raw;
	uint16_t		 raw_len;
};

static inline bool
bgp_attrs_has(const struct bgp_attrs *a, uint8_t type)
{
	return (a->present[type >> 6] >> (type & 63)) & 1;
}

static inline void
bgp_attrs_set(struct bgp_attrs *a, uint8_t type)
{
	a->present[type >> 6] |= (uint64_t)1 << (type & 63);
}

uint32_t	bgp_community_at(const struct bgp_attrs *a, unsigned i);
uint64_t	bgp_ext_community_at(const struct bgp_attrs *a, unsigned i);
void		bgp_large_community_at(const struct bgp_attrs *a, unsigned i,
		    uint32_t out[3]);
uint32_t	bgp_cluster_id_at(const struct bgp_attrs *a, unsigned i);

/* --- RFC 7606 outcomes -------------------------------------------------- */

/* Ordered by strength: the strongest found applies (RFC 7606 3.f). */
enum bgp_action {
	BGP_ACT_NONE		= 0,
	BGP_ACT_ATTR_DISCARD	= 1,
	BGP_ACT_TREAT_AS_WITHDRAW = 2,
	BGP_ACT_SESSION_RESET	= 3,
};

const char	*bgp_action_name(enum bgp_action act);

/* Why. Each reason has one fixed action, a NOTIFICATION subcode we would
 * send for it, and the RFC section that decides it (bgp_reason_info). */
enum bgp_reason {
	BGP_R_NONE = 0,
	/* message header (RFC 4271 6.1) */
	BGP_R_HDR_MARKER,
	BGP_R_HDR_LENGTH,
	BGP_R_HDR_LENGTH_MISMATCH,
	BGP_R_HDR_TYPE,
	/* UPDATE structure */
	BGP_R_WITHDRAWN_LEN,
	BGP_R_WITHDRAWN_SYNTAX,
	BGP_R_ATTR_TOTAL_LEN,
	BGP_R_NLRI_SYNTAX,
	BGP_R_ATTR_HEADER_TRUNC,
	BGP_R_ATTR_LEN_OVERRUN,
	BGP_R_ATTR_FLAGS,
	BGP_R_ATTR_DUPLICATE,
	BGP_R_MP_DUPLICATE,
	BGP_R_UNRECOGNIZED_WELLKNOWN,
	BGP_R_MISSING_ORIGIN,
	BGP_R_MISSING_AS_PATH,
	BGP_R_MISSING_NEXT_HOP,
	/* per attribute */
	BGP_R_ORIGIN_LEN,
	BGP_R_ORIGIN_VALUE,
	BGP_R_AS_PATH_SEG_TYPE,
	BGP_R_AS_PATH_SEG_ZERO,
	BGP_R_AS_PATH_OVERRUN,
	BGP_R_AS_PATH_UNDERRUN,
	BGP_R_NEXT_HOP_LEN,
	BGP_R_MED_LEN,
	BGP_R_LOCAL_PREF_LEN,
	BGP_R_ATOMIC_AGGREGATE_LEN,
	BGP_R_AGGREGATOR_LEN,
	BGP_R_COMMUNITIES_LEN,
	BGP_R_ORIGINATOR_ID_LEN,
	BGP_R_CLUSTER_LIST_LEN,
	BGP_R_MP_REACH_SHORT,
	BGP_R_MP_REACH_NH_LEN,
	BGP_R_MP_REACH_NLRI,
	BGP_R_MP_UNREACH_SHORT,
	BGP_R_MP_UNREACH_NLRI,
	BGP_R_EXT_COMMUNITIES_LEN,
	BGP_R_IPV6_EXT_COMMUNITIES_LEN,
	BGP_R_LARGE_COMMUNITY_LEN,
	BGP_R_AS4_PATH_MALFORMED,
	BGP_R_AS4_AGGREGATOR_LEN,
	BGP_R_AS4_FROM_AS4_SPEAKER,
	BGP_R_OTC_LEN,
	BGP_R_AIGP_MALFORMED,
	/* OPEN (RFC 4271 6.2) */
	BGP_R_OPEN_SHORT,
	BGP_R_OPEN_VERSION,
	BGP_R_OPEN_HOLD_TIME,
	BGP_R_OPEN_BGP_ID,
	BGP_R_OPEN_PARAMS,
	/* NOTIFICATION, KEEPALIVE, ROUTE-REFRESH */
	BGP_R_NOTIFICATION_SHORT,
	BGP_R_KEEPALIVE_LEN,
	BGP_R_ROUTE_REFRESH_LEN,
	/* ours */
	BGP_R_OUT_OF_MEMORY,
	BGP_R_COUNT
};

struct bgp_reason_info {
	const char	*name;		/* short token, e.g. "communities-length" */
	const char	*text;		/* what is wrong, for people */
	const char	*rfc;		/* where the outcome is decided */
	uint8_t		 action;	/* enum bgp_action */
	uint8_t		 code;		/* NOTIFICATION code we would send */
	uint8_t		 subcode;
};

const struct bgp_reason_info *bgp_reason_info(enum bgp_reason r);

struct bgp_problem {
	uint32_t	offset;		/* from the start of the message */
	uint8_t		reason;		/* enum bgp_reason */
	uint8_t		action;		/* enum bgp_action */
	uint8_t		attr_type;	/* 0 if not about one attribute */
};

struct bgp_problems {
	uint8_t			action;		/* strongest so far */
	uint16_t		n;		/* recorded in p[] */
	uint16_t		total;		/* found, recorded or not */
	struct bgp_problem	p[MAX_PROBLEMS_PER_MSG];
};

/* --- messages ----------------------------------------------------------- */

struct bgp_update {
	uint32_t		 n_withdrawn;
	uint32_t		 n_nlri;
	struct bgp_prefix	*withdrawn;	/* IPv4 unicast, RFC 4271 */
	struct bgp_prefix	*nlri;
	struct bgp_attrs	 attrs;
};

/* True for an End-of-RIB marker (RFC 4724 2); afi and safi tell which. */
bool	bgp_update_is_eor(const struct bgp_update *u, uint16_t *afi,
	    uint8_t *safi);

enum bgp_cap_code {
	BGP_CAP_MP			= 1,	/* RFC 4760 */
	BGP_CAP_ROUTE_REFRESH		= 2,	/* RFC 2918 */
	BGP_CAP_ORF			= 3,	/* RFC 5291 */
	BGP_CAP_EXT_NEXTHOP		= 5,	/* RFC 8950 */
	BGP_CAP_EXT_MESSAGE		= 6,	/* RFC 8654 */
	BGP_CAP_ROLE			= 9,	/* RFC 9234 */
	BGP_CAP_GRACEFUL_RESTART	= 64,	/* RFC 4724 */
	BGP_CAP_AS4			= 65,	/* RFC 6793 */
	BGP_CAP_ADDPATH			= 69,	/* RFC 7911 */
	BGP_CAP_ENHANCED_RR		= 70,	/* RFC 7313 */
	BGP_CAP_LLGR			= 71,	/* RFC 9494 */
	BGP_CAP_FQDN			= 73,	/* draft-walton-bgp-hostname */
	BGP_CAP_ROUTE_REFRESH_OLD	= 128,	/* pre-standard Cisco */
};

const char	*bgp_cap_name(uint8_t code);	/* NULL if unknown */

/* One (AFI, SAFI) entry of a capability, with the capability's own
 * per-family value. */
struct bgp_cap_fam {
	uint16_t	afi;
	uint16_t	safi;		/* 16 bits in extended next hop */
	uint16_t	nh_afi;		/* extended next hop only */
	uint8_t		flags;		/* GR/LLGR flags, ADD-PATH send/receive */
	uint32_t	time;		/* LLGR stale time (24 bits) */
};

#define BGP_ADDPATH_RECEIVE	1
#define BGP_ADDPATH_SEND	2

struct bgp_cap {
	const uint8_t		*data;		/* value as on the wire */
	uint8_t			 code;
	uint8_t			 len;
	bool			 malformed;	/* length wrong for the code */
	uint16_t		 param;		/* index of its optional parameter */
	/* decoded, by code */
	uint32_t		 asn;		/* AS4 */
	uint8_t			 role;		/* ROLE */
	uint8_t			 mp_reserved;	/* MP: the reserved octet */
	uint16_t		 gr_flags_time;	/* GR: restart flags and time */
	uint16_t		 n_fams;
	struct bgp_cap_fam	*fams;		/* MP (one), GR, LLGR, ADD-PATH,
						 * extended next hop */
	const uint8_t		*host;		/* FQDN */
	const uint8_t		*domain;
	uint8_t			 host_len;
	uint8_t			 domain_len;
};

/* An optional parameter; type 2 holds capabilities [first_cap,
 * first_cap + n_caps) of the OPEN's list. */
struct bgp_open_param {
	const uint8_t	*data;
	uint16_t	 len;
	uint8_t		 type;
	uint16_t	 first_cap;
	uint16_t	 n_caps;
};

struct bgp_open {
	uint8_t			 version;
	uint16_t		 my_as;
	uint16_t		 hold_time;
	uint32_t		 bgp_id;
	bool			 ext_params;	/* RFC 9072 encoding */
	uint32_t		 asn;		/* AS4 capability, else my_as */
	uint16_t		 n_params;
	uint16_t		 n_caps;
	struct bgp_open_param	*params;
	struct bgp_cap		*caps;
};

/* The first capability with this code, or NULL. */
const struct bgp_cap *bgp_open_cap(const struct bgp_open *o, uint8_t code);

/* The families (bit 1 << bgp_fam) whose ADD-PATH capability entry in o
 * has `mode` (BGP_ADDPATH_SEND or BGP_ADDPATH_RECEIVE) set. */
uint8_t	bgp_open_addpath(const struct bgp_open *o, uint8_t mode);

/* What a session between the sender of `local` and of `remote` negotiates,
 * as seen by the receiver of remote's messages (RFC 6793, RFC 7911, RFC 8654). */
void	bgp_session_negotiate(const struct bgp_open *local,
	    const struct bgp_open *remote, struct bgp_session *out);

struct bgp_notification {
	uint8_t		 code;
	uint8_t		 subcode;
	uint16_t	 data_len;
	const uint8_t	*data;
	/* RFC 9003: Cease / Administrative Shutdown or Reset */
	bool		 has_shutdown_msg;
	uint8_t		 shutdown_len;
	const uint8_t	*shutdown_msg;	/* UTF-8, not NUL-terminated */
};

const char	*bgp_notification_code_name(uint8_t code);
const char	*bgp_notification_subcode_name(uint8_t code, uint8_t subcode);

struct bgp_route_refresh {
	uint16_t	 afi;
	uint8_t		 subtype;	/* RFC 7313: 0 normal, 1 BoRR, 2 EoRR */
	uint8_t		 safi;
	uint16_t	 orf_len;	/* RFC 5291 entries, kept raw */
	const uint8_t	*orf;
};

struct bgp_msg {
	uint8_t			 type;
	uint16_t		 len;		/* from the header */
	struct bgp_problems	 prob;
	union {
		struct bgp_open		 open;
		struct bgp_update	 update;
		struct bgp_notification	 notification;
		struct bgp_route_refresh route_refresh;
	} u;
};

/* Writes a message header: marker, length (header included), type. */
void	bgp_header_put(uint8_t out[BGP_HEADER_LEN], uint8_t type, uint16_t len);

/* --- decoding ----------------------------------------------------------- */

/* Frames a stream: given buf[0..len), returns the length of the first
 * message (> 0), 0 if more bytes are needed, or -1 if the header is bad
 * (*why is then the reason). */
long	bgp_msg_frame(const uint8_t *buf, size_t len,
	    const struct bgp_session *s, enum bgp_reason *why);

/* Decodes one whole message (header included). Returns the message's
 * RFC 7606 action (the strongest in m->prob); BGP_ACT_SESSION_RESET means
 * the message is unusable, with the reason in m->prob.p[0]. Views in *m
 * point into buf; arrays come from the arena. */
enum bgp_action bgp_msg_decode(const uint8_t *buf, size_t len,
	    const struct bgp_session *s, struct arena *a, struct bgp_msg *m);

/* Decodes a path attribute block alone (as MRT RIB entries carry it);
 * off is where it starts within its message, for problem offsets. */
enum bgp_action bgp_attrs_decode(const uint8_t *buf, size_t len,
	    const struct bgp_session *s, struct arena *a, uint32_t off,
	    struct bgp_attrs *out, struct bgp_problems *prob);

/* --- encoding ----------------------------------------------------------- */

/* Encodes a whole message. Attributes with a wire-order list (ent) are
 * written in that order with their flags; unknown and discarded ones as
 * received. Without a list, the present attributes are written in type
 * order (MP_REACH/MP_UNREACH first, RFC 7606 5.1) with standard flags.
 * Returns false if the message does not fit (4096 or 65535 octets) or the
 * writer failed. */
bool	bgp_msg_encode(const struct bgp_msg *m, const struct bgp_session *s,
	    struct bwriter *w);
bool	bgp_attrs_encode(const struct bgp_attrs *a, const struct bgp_session *s,
	    struct bwriter *w);
/* As bgp_attrs_encode, without the types whose bit is set in skip (as in
 * bgp_attrs.present), without attributes discarded as malformed, and
 * without the bytes after a broken attribute header. */
bool	bgp_attrs_encode_except(const struct bgp_attrs *a,
	    const struct bgp_session *s, const uint64_t skip[4],
	    struct bwriter *w);

/* --- rendering ---------------------------------------------------------- */

void	bgp_msg_print(const struct bgp_msg *m, struct strbuf *out);
/* An extended community (RFC 4360): rt:ASN:N, soo:ASN:N, rt:IP:N, or
 * 0xTYPE:0xSUBTYPE:VALUE in hex. */
void	bgp_ext_community_str(uint64_t v, struct strbuf *out);
/* The next hop's address as text (IPv4, or the global IPv6 address), or
 * NULL for a length of no known layout. */
const char *bgp_nexthop_str(const uint8_t *nh, uint8_t nh_len, char *buf,
	    size_t len);
/* The route fields of a JSON object (the object is open): as_path,
 * origin_asns, origin, next_hop, communities, large_communities, med,
 * local_pref, aggregator, atomic_aggregate, otc. */
void	bgp_attrs_json_fields(struct jw *j, const struct bgp_attrs *a,
	    const uint8_t *nh, uint8_t nh_len);
void	bgp_msg_json(const struct bgp_msg *m, struct jw *j);
const char *bgp_msg_type_name(uint8_t type);	/* NULL if unknown */

#endif
