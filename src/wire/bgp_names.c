/* Names and tables: message types, families, attributes, capabilities,
 * NOTIFICATION codes, and the RFC 7606 reason table. */
#include "wire/bgp.h"
#include "wire/bgp_private.h"

#include <stddef.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
bgp_msg_type_name(uint8_t type)
{
	static const char *const names[] = {
		NULL, "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE",
		"ROUTE-REFRESH",
	};

	return type < NELEM(names) ? names[type] : NULL;
}

int
bgp_fam_of(uint16_t afi, uint8_t safi)
{
	if (afi == BGP_AFI_IPV4 && safi == BGP_SAFI_UNICAST)
		return BGP_FAM_IPV4_UNICAST;
	if (afi == BGP_AFI_IPV4 && safi == BGP_SAFI_MULTICAST)
		return BGP_FAM_IPV4_MULTICAST;
	if (afi == BGP_AFI_IPV6 && safi == BGP_SAFI_UNICAST)
		return BGP_FAM_IPV6_UNICAST;
	if (afi == BGP_AFI_IPV6 && safi == BGP_SAFI_MULTICAST)
		return BGP_FAM_IPV6_MULTICAST;
	return -1;
}

const char *
bgp_afi_name(uint16_t afi)
{
	switch (afi) {
	case BGP_AFI_IPV4: return "ipv4";
	case BGP_AFI_IPV6: return "ipv6";
	case BGP_AFI_L2VPN: return "l2vpn";
	case BGP_AFI_BGPLS: return "bgp-ls";
	}
	return NULL;
}

const char *
bgp_safi_name(uint8_t safi)
{
	switch (safi) {
	case BGP_SAFI_UNICAST: return "unicast";
	case BGP_SAFI_MULTICAST: return "multicast";
	case BGP_SAFI_MPLS_LABEL: return "labeled-unicast";
	case BGP_SAFI_EVPN: return "evpn";
	case BGP_SAFI_BGPLS: return "bgp-ls";
	case BGP_SAFI_MPLS_VPN: return "mpls-vpn";
	case BGP_SAFI_RT_CONSTRAINT: return "rt-constraint";
	case BGP_SAFI_FLOWSPEC: return "flowspec";
	}
	return NULL;
}

const char *
bgp_attr_name(uint8_t type)
{
	switch (type) {
	case BGP_ATTR_ORIGIN: return "ORIGIN";
	case BGP_ATTR_AS_PATH: return "AS_PATH";
	case BGP_ATTR_NEXT_HOP: return "NEXT_HOP";
	case BGP_ATTR_MED: return "MULTI_EXIT_DISC";
	case BGP_ATTR_LOCAL_PREF: return "LOCAL_PREF";
	case BGP_ATTR_ATOMIC_AGGREGATE: return "ATOMIC_AGGREGATE";
	case BGP_ATTR_AGGREGATOR: return "AGGREGATOR";
	case BGP_ATTR_COMMUNITIES: return "COMMUNITIES";
	case BGP_ATTR_ORIGINATOR_ID: return "ORIGINATOR_ID";
	case BGP_ATTR_CLUSTER_LIST: return "CLUSTER_LIST";
	case BGP_ATTR_MP_REACH_NLRI: return "MP_REACH_NLRI";
	case BGP_ATTR_MP_UNREACH_NLRI: return "MP_UNREACH_NLRI";
	case BGP_ATTR_EXT_COMMUNITIES: return "EXTENDED_COMMUNITIES";
	case BGP_ATTR_AS4_PATH: return "AS4_PATH";
	case BGP_ATTR_AS4_AGGREGATOR: return "AS4_AGGREGATOR";
	case BGP_ATTR_PMSI_TUNNEL: return "PMSI_TUNNEL";
	case BGP_ATTR_TUNNEL_ENCAP: return "TUNNEL_ENCAPSULATION";
	case BGP_ATTR_TRAFFIC_ENG: return "TRAFFIC_ENGINEERING";
	case BGP_ATTR_IPV6_EXT_COMMUNITIES: return "IPV6_EXTENDED_COMMUNITIES";
	case BGP_ATTR_AIGP: return "AIGP";
	case BGP_ATTR_PE_DISTINGUISHER: return "PE_DISTINGUISHER_LABELS";
	case BGP_ATTR_BGP_LS: return "BGP_LS";
	case BGP_ATTR_LARGE_COMMUNITY: return "LARGE_COMMUNITY";
	case BGP_ATTR_BGPSEC_PATH: return "BGPSEC_PATH";
	case BGP_ATTR_OTC: return "ONLY_TO_CUSTOMER";
	case BGP_ATTR_PREFIX_SID: return "PREFIX_SID";
	case BGP_ATTR_ATTR_SET: return "ATTR_SET";
	}
	return NULL;
}

const char *
bgp_cap_name(uint8_t code)
{
	switch (code) {
	case BGP_CAP_MP: return "multiprotocol";
	case BGP_CAP_ROUTE_REFRESH: return "route-refresh";
	case BGP_CAP_ORF: return "outbound-route-filtering";
	case BGP_CAP_EXT_NEXTHOP: return "extended-next-hop";
	case BGP_CAP_EXT_MESSAGE: return "extended-message";
	case BGP_CAP_ROLE: return "role";
	case BGP_CAP_GRACEFUL_RESTART: return "graceful-restart";
	case BGP_CAP_AS4: return "4-octet-as";
	case BGP_CAP_ADDPATH: return "add-path";
	case BGP_CAP_ENHANCED_RR: return "enhanced-route-refresh";
	case BGP_CAP_LLGR: return "long-lived-graceful-restart";
	case BGP_CAP_FQDN: return "fqdn";
	case BGP_CAP_ROUTE_REFRESH_OLD: return "route-refresh-cisco";
	}
	return NULL;
}

const char *
bgp_notification_code_name(uint8_t code)
{
	static const char *const names[] = {
		NULL,
		"Message Header Error",
		"OPEN Message Error",
		"UPDATE Message Error",
		"Hold Timer Expired",
		"Finite State Machine Error",
		"Cease",
		"ROUTE-REFRESH Message Error",
		"Send Hold Timer Expired",
	};

	return code < NELEM(names) ? names[code] : NULL;
}

const char *
bgp_notification_subcode_name(uint8_t code, uint8_t subcode)
{
	static const char *const hdr[] = {
		"Unspecific", "Connection Not Synchronized",
		"Bad Message Length", "Bad Message Type",
	};
	static const char *const open[] = {
		"Unspecific", "Unsupported Version Number", "Bad Peer AS",
		"Bad BGP Identifier", "Unsupported Optional Parameter",
		"Deprecated (5)", "Unacceptable Hold Time",
		"Unsupported Capability", "Deprecated (8)", "Deprecated (9)",
		"Deprecated (10)", "Role Mismatch",
	};
	static const char *const update[] = {
		"Unspecific", "Malformed Attribute List",
		"Unrecognized Well-known Attribute",
		"Missing Well-known Attribute", "Attribute Flags Error",
		"Attribute Length Error", "Invalid ORIGIN Attribute",
		"Deprecated (7)", "Invalid NEXT_HOP Attribute",
		"Optional Attribute Error", "Invalid Network Field",
		"Malformed AS_PATH",
	};
	static const char *const fsm[] = {
		"Unspecified Error",
		"Receive Unexpected Message in OpenSent State",
		"Receive Unexpected Message in OpenConfirm State",
		"Receive Unexpected Message in Established State",
	};
	static const char *const cease[] = {
		"Unspecific", "Maximum Number of Prefixes Reached",
		"Administrative Shutdown", "Peer De-configured",
		"Administrative Reset", "Connection Rejected",
		"Other Configuration Change",
		"Connection Collision Resolution", "Out of Resources",
		"Hard Reset", "BFD Down",
	};
	static const char *const rr[] = {
		"Reserved", "Invalid Message Length",
	};

	switch (code) {
	case 1: return subcode < NELEM(hdr) ? hdr[subcode] : NULL;
	case 2: return subcode < NELEM(open) ? open[subcode] : NULL;
	case 3: return subcode < NELEM(update) ? update[subcode] : NULL;
	case 5: return subcode < NELEM(fsm) ? fsm[subcode] : NULL;
	case 6: return subcode < NELEM(cease) ? cease[subcode] : NULL;
	case 7: return subcode < NELEM(rr) ? rr[subcode] : NULL;
	case 4: case 8: return subcode == 0 ? "Unspecific" : NULL;
	}
	return NULL;
}

const char *
bgp_action_name(enum bgp_action act)
{
	switch (act) {
	case BGP_ACT_NONE: return "none";
	case BGP_ACT_ATTR_DISCARD: return "attribute-discard";
	case BGP_ACT_TREAT_AS_WITHDRAW: return "treat-as-withdraw";
	case BGP_ACT_SESSION_RESET: return "session-reset";
	}
	return "?";
}

#define SR	BGP_ACT_SESSION_RESET
#define TAW	BGP_ACT_TREAT_AS_WITHDRAW
#define AD	BGP_ACT_ATTR_DISCARD

/* The one place where each outcome is decided, with the section that
 * decides it. */
static const struct bgp_reason_info reasons[BGP_R_COUNT] = {
	[BGP_R_NONE] = { "none", "no problem", "", BGP_ACT_NONE, 0, 0 },
	[BGP_R_HDR_MARKER] = { "header-marker",
	    "marker is not all ones", "RFC 4271 6.1", SR, 1, 1 },
	[BGP_R_HDR_LENGTH] = { "header-length",
	    "message length field out of range for the type",
	    "RFC 4271 6.1", SR, 1, 2 },
	[BGP_R_HDR_LENGTH_MISMATCH] = { "header-length-mismatch",
	    "the bytes given are not one message of the header's length",
	    "RFC 4271 6.1", SR, 1, 2 },
	[BGP_R_HDR_TYPE] = { "header-type", "unknown message type",
	    "RFC 4271 6.1", SR, 1, 3 },
	[BGP_R_WITHDRAWN_LEN] = { "withdrawn-length",
	    "withdrawn routes length exceeds the message",
	    "RFC 4271 6.3, RFC 7606 5.3", SR, 3, 1 },
	[BGP_R_WITHDRAWN_SYNTAX] = { "withdrawn-syntax",
	    "withdrawn routes field is syntactically incorrect",
	    "RFC 7606 5.3", SR, 3, 1 },
	[BGP_R_ATTR_TOTAL_LEN] = { "attributes-length",
	    "total path attribute length exceeds the message",
	    "RFC 4271 6.3, RFC 7606 5.3", SR, 3, 1 },
	[BGP_R_NLRI_SYNTAX] = { "nlri-syntax",
	    "NLRI field is syntactically incorrect", "RFC 7606 5.3",
	    SR, 3, 10 },
	[BGP_R_ATTR_HEADER_TRUNC] = { "attribute-header-truncated",
	    "too few octets left for an attribute header", "RFC 7606 4",
	    TAW, 3, 1 },
	[BGP_R_ATTR_LEN_OVERRUN] = { "attribute-length-overrun",
	    "attribute length runs past the path attributes", "RFC 7606 4",
	    TAW, 3, 5 },
	[BGP_R_ATTR_FLAGS] = { "attribute-flags",
	    "Optional or Transitive flag conflicts with the type",
	    "RFC 7606 3.c", TAW, 3, 4 },
	[BGP_R_ATTR_DUPLICATE] = { "attribute-duplicate",
	    "attribute appears more than once; later copies discarded",
	    "RFC 7606 3.g", AD, 3, 1 },
	[BGP_R_MP_DUPLICATE] = { "mp-attribute-duplicate",
	    "MP_REACH_NLRI or MP_UNREACH_NLRI appears more than once",
	    "RFC 7606 3.g", SR, 3, 1 },
	[BGP_R_UNRECOGNIZED_WELLKNOWN] = { "unrecognized-well-known",
	    "attribute not recognized but flagged well-known",
	    "RFC 4271 6.3", SR, 3, 2 },
	[BGP_R_MISSING_ORIGIN] = { "missing-origin",
	    "well-known mandatory ORIGIN is missing", "RFC 7606 3.d",
	    TAW, 3, 3 },
	[BGP_R_MISSING_AS_PATH] = { "missing-as-path",
	    "well-known mandatory AS_PATH is missing", "RFC 7606 3.d",
	    TAW, 3, 3 },
	[BGP_R_MISSING_NEXT_HOP] = { "missing-next-hop",
	    "NEXT_HOP is missing while the NLRI field is not empty",
	    "RFC 7606 3.d", TAW, 3, 3 },
	[BGP_R_ORIGIN_LEN] = { "origin-length", "ORIGIN length is not 1",
	    "RFC 7606 7.1", TAW, 3, 5 },
	[BGP_R_ORIGIN_VALUE] = { "origin-value", "ORIGIN value undefined",
	    "RFC 7606 7.1", TAW, 3, 6 },
	[BGP_R_AS_PATH_SEG_TYPE] = { "as-path-segment-type",
	    "AS_PATH has an unrecognized segment type", "RFC 7606 7.2",
	    TAW, 3, 11 },
	[BGP_R_AS_PATH_SEG_ZERO] = { "as-path-segment-empty",
	    "AS_PATH has a segment of zero length", "RFC 7606 7.2",
	    TAW, 3, 11 },
	[BGP_R_AS_PATH_OVERRUN] = { "as-path-overrun",
	    "AS_PATH segment runs past the attribute", "RFC 7606 7.2",
	    TAW, 3, 11 },
	[BGP_R_AS_PATH_UNDERRUN] = { "as-path-underrun",
	    "AS_PATH ends with a lone octet", "RFC 7606 7.2", TAW, 3, 11 },
	[BGP_R_NEXT_HOP_LEN] = { "next-hop-length",
	    "NEXT_HOP length is not 4", "RFC 7606 7.3", TAW, 3, 5 },
	[BGP_R_MED_LEN] = { "med-length",
	    "MULTI_EXIT_DISC length is not 4", "RFC 7606 7.4", TAW, 3, 5 },
	[BGP_R_LOCAL_PREF_LEN] = { "local-pref-length",
	    "LOCAL_PREF length is not 4", "RFC 7606 7.5", TAW, 3, 5 },
	[BGP_R_ATOMIC_AGGREGATE_LEN] = { "atomic-aggregate-length",
	    "ATOMIC_AGGREGATE length is not 0", "RFC 7606 7.6", AD, 3, 5 },
	[BGP_R_AGGREGATOR_LEN] = { "aggregator-length",
	    "AGGREGATOR length is not 6 (8 with 4-octet AS)",
	    "RFC 7606 7.7", AD, 3, 5 },
	[BGP_R_COMMUNITIES_LEN] = { "communities-length",
	    "COMMUNITIES length is not a non-zero multiple of 4",
	    "RFC 7606 7.8", TAW, 3, 5 },
	[BGP_R_ORIGINATOR_ID_LEN] = { "originator-id-length",
	    "ORIGINATOR_ID length is not 4", "RFC 7606 7.9", TAW, 3, 5 },
	[BGP_R_CLUSTER_LIST_LEN] = { "cluster-list-length",
	    "CLUSTER_LIST length is not a non-zero multiple of 4",
	    "RFC 7606 7.10", TAW, 3, 5 },
	[BGP_R_MP_REACH_SHORT] = { "mp-reach-short",
	    "MP_REACH_NLRI too short for its fixed fields",
	    "RFC 7606 7.11, RFC 4760 7", SR, 3, 9 },
	[BGP_R_MP_REACH_NH_LEN] = { "mp-reach-next-hop-length",
	    "MP_REACH_NLRI next hop length inconsistent with the AFI/SAFI",
	    "RFC 7606 7.11", SR, 3, 9 },
	[BGP_R_MP_REACH_NLRI] = { "mp-reach-nlri",
	    "MP_REACH_NLRI prefixes are syntactically incorrect",
	    "RFC 7606 5.3", SR, 3, 9 },
	[BGP_R_MP_UNREACH_SHORT] = { "mp-unreach-short",
	    "MP_UNREACH_NLRI too short for AFI and SAFI",
	    "RFC 7606 7.11, RFC 4760 7", SR, 3, 9 },
	[BGP_R_MP_UNREACH_NLRI] = { "mp-unreach-nlri",
	    "MP_UNREACH_NLRI prefixes are syntactically incorrect",
	    "RFC 7606 5.3", SR, 3, 9 },
	[BGP_R_EXT_COMMUNITIES_LEN] = { "extended-communities-length",
	    "EXTENDED_COMMUNITIES length is not a non-zero multiple of 8",
	    "RFC 7606 7.14", TAW, 3, 5 },
	[BGP_R_IPV6_EXT_COMMUNITIES_LEN] = {
	    "ipv6-extended-communities-length",
	    "IPv6 address specific extended communities length is not a "
	    "non-zero multiple of 20", "RFC 7606 7.15", TAW, 3, 5 },
	[BGP_R_LARGE_COMMUNITY_LEN] = { "large-community-length",
	    "LARGE_COMMUNITY length is not a non-zero multiple of 12",
	    "RFC 8092 6", TAW, 3, 5 },
	[BGP_R_AS4_PATH_MALFORMED] = { "as4-path-malformed",
	    "AS4_PATH is malformed", "RFC 6793 6, RFC 7606 7.2", AD, 3, 9 },
	[BGP_R_AS4_AGGREGATOR_LEN] = { "as4-aggregator-length",
	    "AS4_AGGREGATOR length is not 8", "RFC 6793 6", AD, 3, 9 },
	[BGP_R_AS4_FROM_AS4_SPEAKER] = { "as4-attribute-from-as4-speaker",
	    "AS4_PATH or AS4_AGGREGATOR received on a 4-octet AS session",
	    "RFC 6793 3", AD, 3, 9 },
	[BGP_R_OTC_LEN] = { "otc-length",
	    "ONLY_TO_CUSTOMER length is not 4", "RFC 9234 5", TAW, 3, 5 },
	[BGP_R_AIGP_MALFORMED] = { "aigp-malformed",
	    "AIGP TLVs are malformed", "RFC 7311 3.2", AD, 3, 9 },
	[BGP_R_OPEN_SHORT] = { "open-malformed",
	    "OPEN is truncated or its lengths are inconsistent",
	    "RFC 4271 6.2", SR, 2, 0 },
	[BGP_R_OPEN_VERSION] = { "open-version",
	    "OPEN version is not 4", "RFC 4271 6.2", SR, 2, 1 },
	[BGP_R_OPEN_HOLD_TIME] = { "open-hold-time",
	    "OPEN hold time is 1 or 2 seconds", "RFC 4271 6.2", SR, 2, 6 },
	[BGP_R_OPEN_BGP_ID] = { "open-bgp-id",
	    "OPEN BGP Identifier is zero", "RFC 6286 2.2", SR, 2, 3 },
	[BGP_R_OPEN_PARAMS] = { "open-parameters",
	    "OPEN optional parameters overrun their length",
	    "RFC 4271 6.2, RFC 9072 2", SR, 2, 0 },
	[BGP_R_NOTIFICATION_SHORT] = { "notification-length",
	    "NOTIFICATION shorter than code and subcode", "RFC 4271 6.1",
	    SR, 1, 2 },
	[BGP_R_KEEPALIVE_LEN] = { "keepalive-length",
	    "KEEPALIVE length is not 19", "RFC 4271 6.1", SR, 1, 2 },
	[BGP_R_ROUTE_REFRESH_LEN] = { "route-refresh-length",
	    "ROUTE-REFRESH length is wrong for its subtype",
	    "RFC 2918 3, RFC 7313 5", SR, 7, 1 },
	[BGP_R_OUT_OF_MEMORY] = { "out-of-memory",
	    "no memory to decode the message", "RFC 4271 6.7", SR, 6, 8 },
};

const struct bgp_reason_info *
bgp_reason_info(enum bgp_reason r)
{
	if ((unsigned)r >= BGP_R_COUNT)
		r = BGP_R_NONE;
	return &reasons[r];
}

enum bgp_action
bgp_problem_add(struct bgp_problems *pr, enum bgp_reason r, uint8_t attr_type,
    uint32_t offset)
{
	enum bgp_action act = (enum bgp_action)reasons[r].action;

	if (act > pr->action)
		pr->action = (uint8_t)act;
	if (pr->total < UINT16_MAX)
		pr->total++;
	if (pr->n < MAX_PROBLEMS_PER_MSG) {
		struct bgp_problem *p = &pr->p[pr->n++];

		p->offset = offset;
		p->reason = (uint8_t)r;
		p->action = (uint8_t)act;
		p->attr_type = attr_type;
	}
	return act;
}
