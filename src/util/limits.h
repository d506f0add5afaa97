/* Named limits: every count read from the wire is checked against one of
 * these before it sizes an allocation or a loop. */
#ifndef BGPS_UTIL_LIMITS_H
#define BGPS_UTIL_LIMITS_H

/* RFC 4271 4.1: a BGP message is at least its 19-octet header. */
#define BGP_HEADER_LEN		19
/* RFC 4271 4.1: maximum message size without extended messages. */
#define BGP_MAX_MSG_LEN		4096
/* RFC 8654: maximum message size once extended messages are negotiated. */
#define BGP_MAX_EXT_MSG_LEN	65535
/* RFC 4271 4.3: minimum UPDATE (header + two 2-octet length fields). */
#define BGP_MIN_UPDATE_LEN	23
/* RFC 4271 4.2: minimum OPEN. */
#define BGP_MIN_OPEN_LEN	29
/* RFC 4271 4.5: minimum NOTIFICATION (code and subcode). */
#define BGP_MIN_NOTIFICATION_LEN 21
/* RFC 2918 3: a ROUTE-REFRESH is header + AFI/res/SAFI. */
#define BGP_ROUTE_REFRESH_LEN	23

/* Attributes in one UPDATE. 256 types exist; duplicates are kept (and
 * discarded) so the list may be longer, but a 64 KiB message cannot hold
 * more than 65535/3 attributes. */
#define MAX_ATTRS_PER_UPDATE	(BGP_MAX_EXT_MSG_LEN / 3)
/* Problems recorded per message (the rest are only counted). */
#define MAX_PROBLEMS_PER_MSG	16
/* Capabilities in one OPEN (each at least 2 octets in 64 KiB). */
#define MAX_CAPS_PER_OPEN	1024
/* Families in one OPEN capability list (MP, ADD-PATH, GR, LLGR...). */
#define MAX_FAMILIES_PER_CAP	256
/* RFC 9003: shutdown communication is at most 255 octets of UTF-8. */
#define MAX_SHUTDOWN_MSG_LEN	255
/* RFC 7313/2918 and MP next hops: a global and a link-local IPv6
 * address (32 octets); other families may carry an RD in front. */
#define MAX_NEXTHOP_LEN		48

/* One MRT record. A TABLE_DUMP_V2 RIB record holds one prefix for every
 * peer of a collector (a few hundred KiB for 1,000 peers); bgpdump's own
 * regression set has attribute streams over 64 KiB. */
#define MAX_MRT_RECORD_LEN	(64u << 20)
/* Peers in a TABLE_DUMP_V2 PEER_INDEX_TABLE (a 2-octet count). */
#define MAX_MRT_PEERS		65535

/* Files read whole into memory (decompressed). */
#define MAX_INPUT_FILE_BYTES	((size_t)8 << 30)

#endif
