/* MRT (RFC 6396, RFC 8050) record framing and BGP4MP records. */
#ifndef BGPS_WIRE_MRT_H
#define BGPS_WIRE_MRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/bgp.h"

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

#endif
