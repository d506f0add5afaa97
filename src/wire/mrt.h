/* MRT (RFC 6396, RFC 8050) record framing and BGP4MP records. */
#ifndef BGPS_WIRE_MRT_H
#define BGPS_WIRE_MRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/bgp.h"

#define MRT_HEADER_LEN		12
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
	const uint8_t	*msg;		/* whole BGP message, header included */
	size_t		 msg_len;
	struct bgp_session session;	/* how to decode msg */
};

/* Parses a BGP4MP/BGP4MP_ET record of a subtype listed above. */
enum mrt_status mrt_bgp4mp_parse(const struct mrt_record *r,
		    struct mrt_bgp4mp *out);

#endif
