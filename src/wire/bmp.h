/* BMP, the BGP Monitoring Protocol (RFC 7854, with RFC 8671's
 * Adj-RIB-Out and RFC 9069's Loc-RIB): bytes -> structs, no I/O.
 *
 * The BGP messages a BMP message carries (route monitoring UPDATEs, the
 * OPENs of a peer up, a peer down's NOTIFICATION, mirrored messages) are
 * left as byte views: decoding them needs the monitored session's
 * capabilities (4-octet AS from the A flag, ADD-PATH from the OPENs),
 * which the station keeps per peer. Views point into the caller's
 * buffer; arrays come from the arena. */
#ifndef BGPS_WIRE_BMP_H
#define BGPS_WIRE_BMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct jw;

#define BMP_VERSION		3
#define BMP_COMMON_LEN		6
#define BMP_PEER_HDR_LEN	42
#define BMP_MSG_MAX		(1u << 20)	/* longer is refused */

enum bmp_type {
	BMP_ROUTE_MONITORING	= 0,
	BMP_STATISTICS		= 1,
	BMP_PEER_DOWN		= 2,
	BMP_PEER_UP		= 3,
	BMP_INITIATION		= 4,
	BMP_TERMINATION		= 5,
	BMP_ROUTE_MIRRORING	= 6,
};

enum bmp_peer_type {
	BMP_PEER_GLOBAL		= 0,
	BMP_PEER_RD		= 1,
	BMP_PEER_LOCAL		= 2,
	BMP_PEER_LOC_RIB	= 3,	/* RFC 9069 */
};

/* Per-peer header flags (RFC 7854 4.2, RFC 8671 4, RFC 9069 4.2) */
#define BMP_F_V		0x80	/* the peer address is IPv6 */
#define BMP_F_L		0x40	/* post-policy */
#define BMP_F_A		0x20	/* AS_PATH in the legacy 2-octet form */
#define BMP_F_O		0x10	/* Adj-RIB-Out */
#define BMP_F_LOC_F	0x80	/* Loc-RIB peer type: filtered */

struct bmp_peer_hdr {
	uint8_t		type;		/* enum bmp_peer_type */
	uint8_t		flags;
	uint8_t		rd[8];
	uint8_t		afi;		/* 1 or 2, from the V flag */
	uint8_t		addr[16];	/* IPv4 in the first 4 octets */
	uint32_t	asn;
	uint32_t	bgp_id;
	uint32_t	ts_sec;
	uint32_t	ts_usec;
};

struct bmp_tlv {
	uint16_t	 type;
	uint16_t	 len;
	const uint8_t	*value;
};

/* Statistics types (RFC 7854 4.8, RFC 8671 5) */
enum bmp_stat_type {
	BMP_STAT_REJECTED		= 0,
	BMP_STAT_DUP_PREFIX		= 1,
	BMP_STAT_DUP_WITHDRAW		= 2,
	BMP_STAT_CLUSTER_LOOP		= 3,
	BMP_STAT_AS_PATH_LOOP		= 4,
	BMP_STAT_ORIGINATOR_LOOP	= 5,
	BMP_STAT_CONFED_LOOP		= 6,
	BMP_STAT_ADJ_RIB_IN		= 7,
	BMP_STAT_LOC_RIB		= 8,
	BMP_STAT_ADJ_RIB_IN_AFI		= 9,
	BMP_STAT_LOC_RIB_AFI		= 10,
	BMP_STAT_UPDATES_TAW		= 11,
	BMP_STAT_PREFIXES_TAW		= 12,
	BMP_STAT_DUP_UPDATES		= 13,
	BMP_STAT_ADJ_RIB_OUT_PRE	= 14,
	BMP_STAT_ADJ_RIB_OUT_POST	= 15,
	BMP_STAT_ADJ_RIB_OUT_PRE_AFI	= 16,
	BMP_STAT_ADJ_RIB_OUT_POST_AFI	= 17,
};

struct bmp_stat {
	uint16_t	 type;
	uint16_t	 len;
	bool		 known;		/* value decoded */
	bool		 per_afi;	/* afi and safi set */
	uint16_t	 afi;
	uint8_t		 safi;
	uint64_t	 value;		/* counter (32 bits) or gauge (64) */
	const uint8_t	*raw;		/* the value as sent */
};

/* Peer down reasons (RFC 7854 4.9, RFC 9069 5.4) */
enum bmp_down_reason {
	BMP_DOWN_LOCAL_NOTIFY		= 1,
	BMP_DOWN_LOCAL_FSM		= 2,
	BMP_DOWN_REMOTE_NOTIFY		= 3,
	BMP_DOWN_REMOTE_NO_DATA		= 4,
	BMP_DOWN_DECONFIGURED		= 5,
	BMP_DOWN_LOCAL_SYSTEM		= 6,
};

struct bmp_msg {
	uint8_t			 version;
	uint32_t		 len;
	uint8_t			 type;		/* enum bmp_type */
	bool			 has_peer;
	struct bmp_peer_hdr	 peer;
	/* route monitoring: the BGP UPDATE, header included */
	const uint8_t		*bgp;
	uint16_t		 bgp_len;
	/* peer up */
	uint8_t			 local_afi;
	uint8_t			 local_addr[16];
	uint16_t		 local_port;
	uint16_t		 remote_port;
	const uint8_t		*sent_open;
	uint16_t		 sent_open_len;
	const uint8_t		*recv_open;
	uint16_t		 recv_open_len;
	/* peer down */
	uint8_t			 reason;	/* enum bmp_down_reason */
	uint16_t		 fsm_event;	/* LOCAL_FSM */
	const uint8_t		*notification;	/* LOCAL/REMOTE_NOTIFY */
	uint16_t		 notification_len;
	/* statistics */
	uint32_t		 n_stats;
	struct bmp_stat		*stats;
	/* TLVs: initiation, termination, route mirroring, peer up's
	 * information, peer down's (LOCAL_SYSTEM) */
	uint32_t		 n_tlvs;
	struct bmp_tlv		*tlvs;
};

/* Frames a stream: the length of the first message in buf[0..len) (> 0),
 * 0 when more bytes are needed, -1 when its common header is unusable
 * (version not 3, length below 6 or over BMP_MSG_MAX), with why. */
long	bmp_frame(const uint8_t *buf, size_t len, const char **why);

/* Decodes one whole message. False with why (a fixed text) when it does
 * not parse; a message of an unknown type parses (its body is not
 * looked into). */
bool	bmp_decode(const uint8_t *buf, size_t len, struct arena *a,
	    struct bmp_msg *m, const char **why);

const char	*bmp_type_name(uint8_t type);		/* NULL if unknown */
const char	*bmp_peer_type_name(uint8_t type);	/* NULL if unknown */
const char	*bmp_stat_name(uint16_t type);		/* NULL if unknown */
const char	*bmp_down_reason_name(uint8_t reason);	/* NULL if unknown */

/* The message as one JSON object (the BGP messages it carries as hex). */
void	bmp_msg_json(const struct bmp_msg *m, struct jw *j);

#endif
