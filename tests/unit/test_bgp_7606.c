/* RFC 7606 and message-level error handling: one test per malformation,
 * each a hand-made byte vector with the outcome and reason it must get.
 * Vectors that still decode are also re-encoded and compared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/strbuf.h"

enum form {
	F_PARTS,	/* withdrawn, attrs, nlri: lengths computed */
	F_BODY,		/* UPDATE body as given (lengths included) */
	F_MSG,		/* whole message as given */
};

struct vec {
	const char	*name;
	enum form	 form;
	const char	*a;	/* withdrawn, body or message (hex) */
	const char	*b;	/* attributes (hex) */
	const char	*c;	/* NLRI (hex) */
	uint8_t		 sess;	/* 1 as4, 2 ext_msg, 4 addpath ipv4 */
	enum bgp_action	 act;
	enum bgp_reason	 why;	/* BGP_R_NONE: no problem at all */
	void		(*check)(const struct bgp_msg *);
};

/* The mandatory trio, as hex, 4-octet AS_PATH "65001". */
#define MAND "40010100" "4002060201 0000fde9" "400304c0000201"
#define AS4 1
#define EXT 2

static void
check_first_origin_kept(const struct bgp_msg *m)
{
	assert_int_equal(m->u.update.attrs.origin, BGP_ORIGIN_IGP);
	assert_int_equal(m->u.update.n_nlri, 1);
}

static void
check_nlri_still_known(const struct bgp_msg *m)
{
	assert_int_equal(m->u.update.n_nlri, 1);
	assert_int_equal(m->u.update.nlri[0].len, 24);
}

static void
check_mp_nlri_known(const struct bgp_msg *m)
{
	assert_int_equal(m->u.update.attrs.mp_reach.n_nlri, 1);
}

static void
check_attr_kept_raw(const struct bgp_msg *m)
{
	const struct bgp_attrs *a = &m->u.update.attrs;

	assert_int_equal(a->n_ent, 4);
	assert_int_equal(a->ent[3].state, BGP_ATTR_UNKNOWN);
	assert_int_equal(a->ent[3].type, 99);
	assert_int_equal(a->ent[3].len, 3);
}

static void
check_atomic_dropped(const struct bgp_msg *m)
{
	assert_false(bgp_attrs_has(&m->u.update.attrs,
	    BGP_ATTR_ATOMIC_AGGREGATE));
	assert_true(bgp_attrs_has(&m->u.update.attrs, BGP_ATTR_ORIGIN));
}

static void
check_path_from_as_path(const struct bgp_msg *m)
{
	struct strbuf s;

	sb_init(&s);
	bgp_aspath_str(&m->u.update.attrs.path, &s);
	assert_string_equal(sb_str(&s), "65001 23456");
	sb_free(&s);
}

static void
check_default_route(const struct bgp_msg *m)
{
	assert_int_equal(m->u.update.n_nlri, 1);
	assert_int_equal(m->u.update.nlri[0].len, 0);
}

static void
check_raw_family(const struct bgp_msg *m)
{
	assert_int_equal(m->u.update.attrs.mp_reach.fam, -1);
	assert_int_equal(m->u.update.attrs.mp_reach.nlri_raw_len, 4);
}

static const struct vec vecs[] = {
	/* --- message header, RFC 4271 6.1 --- */
	{ "header_marker_not_all_ones", F_MSG,
	  "fffffffffffffffffffffffffffffffe001304", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_HDR_MARKER, 0 },
	{ "header_length_zero", F_MSG,
	  "ffffffffffffffffffffffffffffffff000004", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_HDR_LENGTH, 0 },
	{ "header_length_too_short", F_MSG,
	  "ffffffffffffffffffffffffffffffff001204", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_HDR_LENGTH, 0 },
	{ "header_length_longer_than_buffer", F_MSG,
	  "ffffffffffffffffffffffffffffffff001702", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_HDR_LENGTH_MISMATCH, 0 },
	{ "header_length_shorter_than_buffer", F_MSG,
	  "ffffffffffffffffffffffffffffffff00130400", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_HDR_LENGTH_MISMATCH, 0 },
	{ "header_length_over_4096_without_extended_messages", F_MSG,
	  "ffffffffffffffffffffffffffffffff100102", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_HDR_LENGTH, 0 },
	{ "header_unknown_type", F_MSG,
	  "ffffffffffffffffffffffffffffffff001306", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_HDR_TYPE, 0 },
	{ "keepalive_too_long", F_MSG,
	  "ffffffffffffffffffffffffffffffff00140400", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_KEEPALIVE_LEN, 0 },
	{ "update_shorter_than_23", F_MSG,
	  "ffffffffffffffffffffffffffffffff0016020000", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_HDR_LENGTH, 0 },
	{ "notification_without_subcode", F_MSG,
	  "ffffffffffffffffffffffffffffffff00140306", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_NOTIFICATION_SHORT, 0 },
	{ "route_refresh_too_short", F_MSG,
	  "ffffffffffffffffffffffffffffffff0016050001", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_ROUTE_REFRESH_LEN, 0 },
	{ "route_refresh_borr_with_trailing_data", F_MSG,
	  "ffffffffffffffffffffffffffffffff0018050001010100", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_ROUTE_REFRESH_LEN, 0 },
	{ "open_shorter_than_29", F_MSG,
	  "ffffffffffffffffffffffffffffffff001c0104fde900b4c0000201", 0, 0,
	  AS4, BGP_ACT_SESSION_RESET, BGP_R_HDR_LENGTH, 0 },

	/* --- UPDATE lengths, RFC 4271 6.3 and RFC 7606 5.3 --- */
	{ "withdrawn_length_too_long", F_BODY, "00ff0000", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_WITHDRAWN_LEN, 0 },
	{ "withdrawn_length_too_short", F_BODY, "000118c000020000", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_WITHDRAWN_SYNTAX, 0 },
	{ "withdrawn_prefix_length_over_32", F_PARTS, "21c0000200", "", "",
	  AS4, BGP_ACT_SESSION_RESET, BGP_R_WITHDRAWN_SYNTAX, 0 },
	{ "withdrawn_prefix_overruns", F_PARTS, "18c000", "", "", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_WITHDRAWN_SYNTAX, 0 },
	{ "attributes_length_too_long", F_BODY, "00000010" "40010100", 0, 0,
	  AS4, BGP_ACT_SESSION_RESET, BGP_R_ATTR_TOTAL_LEN, 0 },
	/* The NLRI starts where the attribute length says (RFC 7606 4);
	 * here the rest happens to parse as 0.0.0.0/1 and 0.0.0.0/0. */
	{ "attributes_length_too_short", F_BODY,
	  "00000002" "40010100", 0, 0, AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ATTR_HEADER_TRUNC, 0 },
	{ "attributes_length_too_short_nlri_unparsable", F_BODY,
	  "00000002" "40012101", 0, 0, AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_NLRI_SYNTAX, 0 },
	{ "attributes_length_zero_with_nlri", F_BODY, "0000" "0000" "18c00002",
	  0, 0, AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_MISSING_ORIGIN,
	  check_nlri_still_known },
	{ "nlri_prefix_length_over_32", F_PARTS, "", MAND, "21c0000201", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_NLRI_SYNTAX, 0 },
	{ "nlri_prefix_overruns", F_PARTS, "", MAND, "18c000", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_NLRI_SYNTAX, 0 },
	{ "nlri_default_route_is_valid", F_PARTS, "", MAND, "00", AS4,
	  BGP_ACT_NONE, BGP_R_NONE, check_default_route },

	/* --- attribute framing, RFC 7606 4 --- */
	{ "attribute_header_truncated", F_PARTS, "", MAND "4001", "18c00002",
	  AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ATTR_HEADER_TRUNC,
	  check_nlri_still_known },
	{ "attribute_extended_length_header_truncated", F_PARTS, "",
	  MAND "500101", "18c00002", AS4, BGP_ACT_TREAT_AS_WITHDRAW,
	  BGP_R_ATTR_HEADER_TRUNC, check_nlri_still_known },
	{ "attribute_length_overruns", F_PARTS, "", MAND "c0080800010002",
	  "18c00002", AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ATTR_LEN_OVERRUN,
	  check_nlri_still_known },

	/* --- RFC 7606 3 --- */
	{ "flags_well_known_marked_optional", F_PARTS, "",
	  "c0010100" "40020602010000fde9" "400304c0000201", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ATTR_FLAGS, 0 },
	{ "flags_optional_nontransitive_marked_transitive", F_PARTS, "",
	  MAND "c00404 00000001", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ATTR_FLAGS, 0 },
	{ "flags_conflict_on_mp_reach_still_finds_nlri", F_PARTS, "",
	  "c00e1a00020110 20010db8000000000000000000000001 00 2020010db8"
	  "40010100" "40020602010000fde9", "", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ATTR_FLAGS, check_mp_nlri_known },
	{ "duplicate_attribute_keeps_first", F_PARTS, "",
	  MAND "40010102", "18c00002", AS4, BGP_ACT_ATTR_DISCARD,
	  BGP_R_ATTR_DUPLICATE, check_first_origin_kept },
	{ "duplicate_after_malformed_first", F_PARTS, "",
	  "4001020000" "40010100" "40020602010000fde9" "400304c0000201",
	  "18c00002", AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ATTR_DUPLICATE, 0 },
	{ "duplicate_mp_reach_resets", F_PARTS, "",
	  "800e0900010104c000020100" "800e0900010104c000020100" MAND, "",
	  AS4, BGP_ACT_SESSION_RESET, BGP_R_MP_DUPLICATE, 0 },
	{ "duplicate_mp_unreach_resets", F_PARTS, "",
	  "800f03000101" "800f03000101", "", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_MP_DUPLICATE, 0 },
	{ "unrecognized_well_known_resets", F_PARTS, "", MAND "406301ff",
	  "18c00002", AS4, BGP_ACT_SESSION_RESET,
	  BGP_R_UNRECOGNIZED_WELLKNOWN, 0 },
	{ "unknown_optional_transitive_kept", F_PARTS, "", MAND "c06303abcdef",
	  "18c00002", AS4, BGP_ACT_NONE, BGP_R_NONE, check_attr_kept_raw },
	{ "missing_origin", F_PARTS, "", "40020602010000fde9" "400304c0000201",
	  "18c00002", AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_MISSING_ORIGIN, 0 },
	{ "missing_as_path", F_PARTS, "", "40010100" "400304c0000201",
	  "18c00002", AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_MISSING_AS_PATH,
	  0 },
	{ "missing_next_hop_with_nlri", F_PARTS, "",
	  "40010100" "40020602010000fde9", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_MISSING_NEXT_HOP, 0 },
	{ "next_hop_not_needed_for_mp_only", F_PARTS, "",
	  "800e1a00020110 20010db8000000000000000000000001 00 2020010db8"
	  "40010100" "40020602010000fde9", "", AS4, BGP_ACT_NONE, BGP_R_NONE,
	  check_mp_nlri_known },
	{ "attributes_without_nlri_need_nothing", F_PARTS, "", "c0080400010002",
	  "", AS4, BGP_ACT_NONE, BGP_R_NONE, 0 },

	/* --- RFC 7606 7: per attribute --- */
	{ "origin_length_zero", F_PARTS, "",
	  "400100" "40020602010000fde9" "400304c0000201", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ORIGIN_LEN, 0 },
	{ "origin_length_too_long", F_PARTS, "",
	  "4001020000" "40020602010000fde9" "400304c0000201", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ORIGIN_LEN, 0 },
	{ "origin_value_undefined", F_PARTS, "",
	  "40010103" "40020602010000fde9" "400304c0000201", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ORIGIN_VALUE, 0 },
	{ "as_path_unknown_segment_type", F_PARTS, "",
	  "40010100" "40020605010000fde9" "400304c0000201", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_AS_PATH_SEG_TYPE, 0 },
	{ "as_path_segment_length_zero", F_PARTS, "",
	  "40010100" "4002020200" "400304c0000201", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_AS_PATH_SEG_ZERO, 0 },
	{ "as_path_segment_length_too_long", F_PARTS, "",
	  "40010100" "40020602020000fde9" "400304c0000201", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_AS_PATH_OVERRUN, 0 },
	{ "as_path_lone_trailing_octet", F_PARTS, "",
	  "40010100" "40020702010000fde902" "400304c0000201", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_AS_PATH_UNDERRUN, 0 },
	{ "as_path_2_octet_read_as_4_octet_overruns", F_PARTS, "",
	  "40010100" "4002040201fde9" "400304c0000201", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_AS_PATH_OVERRUN, 0 },
	{ "next_hop_length_wrong", F_PARTS, "",
	  "40010100" "40020602010000fde9" "400305c000020100", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_NEXT_HOP_LEN, 0 },
	{ "med_length_wrong", F_PARTS, "", MAND "800403000001", "18c00002",
	  AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_MED_LEN, 0 },
	{ "local_pref_length_zero", F_PARTS, "", MAND "400500", "18c00002",
	  AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_LOCAL_PREF_LEN, 0 },
	{ "atomic_aggregate_length_not_zero", F_PARTS, "", MAND "40060101",
	  "18c00002", AS4, BGP_ACT_ATTR_DISCARD, BGP_R_ATOMIC_AGGREGATE_LEN,
	  check_atomic_dropped },
	{ "aggregator_length_6_on_as4_session", F_PARTS, "",
	  MAND "c00706fde9c0000201", "18c00002", AS4, BGP_ACT_ATTR_DISCARD,
	  BGP_R_AGGREGATOR_LEN, 0 },
	{ "aggregator_length_8_on_as2_session", F_PARTS, "",
	  "40010100" "4002040201fde9" "400304c0000201"
	  "c007080000fde9c0000201", "18c00002", 0, BGP_ACT_ATTR_DISCARD,
	  BGP_R_AGGREGATOR_LEN, 0 },
	{ "communities_length_zero", F_PARTS, "", MAND "c00800", "18c00002",
	  AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_COMMUNITIES_LEN, 0 },
	{ "communities_length_not_multiple_of_4", F_PARTS, "",
	  MAND "c0080500010002ff", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_COMMUNITIES_LEN, 0 },
	{ "originator_id_length_wrong", F_PARTS, "", MAND "800903c00002",
	  "18c00002", AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_ORIGINATOR_ID_LEN,
	  0 },
	{ "cluster_list_length_zero", F_PARTS, "", MAND "800a00", "18c00002",
	  AS4, BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_CLUSTER_LIST_LEN, 0 },
	{ "cluster_list_length_not_multiple_of_4", F_PARTS, "",
	  MAND "800a06c0000201c000", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_CLUSTER_LIST_LEN, 0 },
	{ "mp_reach_too_short", F_PARTS, "", "800e03000201" MAND, "", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_MP_REACH_SHORT, 0 },
	{ "mp_reach_next_hop_length_overruns", F_PARTS, "",
	  "800e0600020120 2001" MAND, "", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_MP_REACH_SHORT, 0 },
	{ "mp_reach_next_hop_length_zero_for_ipv6", F_PARTS, "",
	  "800e0a0002010000 2020010db8" MAND, "", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_MP_REACH_NH_LEN, 0 },
	{ "mp_reach_next_hop_length_4_for_ipv6", F_PARTS, "",
	  "800e0e00020104c0000201 00 2020010db8" MAND, "", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_MP_REACH_NH_LEN, 0 },
	{ "mp_reach_prefix_length_over_128", F_PARTS, "",
	  "800e1a00020110 20010db8000000000000000000000001 00 8120010db8"
	  MAND, "", AS4, BGP_ACT_SESSION_RESET, BGP_R_MP_REACH_NLRI, 0 },
	{ "mp_reach_prefix_overruns", F_PARTS, "",
	  "800e1800020110 20010db8000000000000000000000001 00 2020"
	  MAND, "", AS4, BGP_ACT_SESSION_RESET, BGP_R_MP_REACH_NLRI, 0 },
	{ "mp_reach_unknown_family_kept_raw", F_PARTS, "",
	  "800e0d0019460400000001 00 01020304" MAND, "", AS4, BGP_ACT_NONE,
	  BGP_R_NONE, check_raw_family },
	{ "mp_unreach_too_short", F_PARTS, "", "800f020002", "", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_MP_UNREACH_SHORT, 0 },
	{ "mp_unreach_prefix_length_over_32", F_PARTS, "",
	  "800f0800010121c0000201", "", AS4, BGP_ACT_SESSION_RESET,
	  BGP_R_MP_UNREACH_NLRI, 0 },
	{ "extended_communities_length_not_multiple_of_8", F_PARTS, "",
	  MAND "c0100c000200010000000100000000", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_EXT_COMMUNITIES_LEN, 0 },
	{ "ipv6_extended_communities_length_wrong", F_PARTS, "",
	  MAND "c0190a00020000000000000000", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_IPV6_EXT_COMMUNITIES_LEN, 0 },
	{ "large_community_length_not_multiple_of_12", F_PARTS, "",
	  MAND "c020080000fde900000001", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_LARGE_COMMUNITY_LEN, 0 },
	{ "as4_path_malformed_is_discarded", F_PARTS, "",
	  "40010100" "4002060202fde95ba0" "400304c0000201"
	  "c0110602050000fde9", "18c00002", 0, BGP_ACT_ATTR_DISCARD,
	  BGP_R_AS4_PATH_MALFORMED, check_path_from_as_path },
	{ "as4_aggregator_length_wrong", F_PARTS, "",
	  "40010100" "4002040201fde9" "400304c0000201" "c01206fde9c0000201",
	  "18c00002", 0, BGP_ACT_ATTR_DISCARD, BGP_R_AS4_AGGREGATOR_LEN, 0 },
	{ "as4_path_on_as4_session_is_discarded", F_PARTS, "",
	  MAND "c0110602010000fde9", "18c00002", AS4, BGP_ACT_ATTR_DISCARD,
	  BGP_R_AS4_FROM_AS4_SPEAKER, 0 },
	{ "otc_length_wrong", F_PARTS, "", MAND "c0230200fd", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_OTC_LEN, 0 },
	{ "aigp_tlv_overruns", F_PARTS, "", MAND "801a0401000b00",
	  "18c00002", AS4, BGP_ACT_ATTR_DISCARD, BGP_R_AIGP_MALFORMED, 0 },
	{ "aigp_metric_tlv_wrong_length", F_PARTS, "",
	  MAND "801a06010006000000", "18c00002", AS4, BGP_ACT_ATTR_DISCARD,
	  BGP_R_AIGP_MALFORMED, 0 },

	/* --- RFC 7606 3.f: the strongest action wins --- */
	{ "discard_and_withdraw_give_withdraw", F_PARTS, "",
	  MAND "40060101" "c00800", "18c00002", AS4,
	  BGP_ACT_TREAT_AS_WITHDRAW, BGP_R_COMMUNITIES_LEN, 0 },
	{ "withdraw_and_reset_give_reset", F_PARTS, "",
	  MAND "c00800" "800f020002", "18c00002", AS4,
	  BGP_ACT_SESSION_RESET, BGP_R_MP_UNREACH_SHORT, 0 },
};

/* Builds the vector's message; returns its length. */
static size_t
vec_build(const struct vec *v, uint8_t *out)
{
	static uint8_t a[70000], b[70000], c[70000];
	size_t na, nb = 0, nc = 0;

	na = tu_hex(v->a, a, sizeof(a));
	if (v->form == F_MSG) {
		memcpy(out, a, na);
		return na;
	}
	if (v->form == F_BODY)
		return tu_msg(BGP_MSG_UPDATE, a, na, out);
	nb = tu_hex(v->b, b, sizeof(b));
	nc = tu_hex(v->c, c, sizeof(c));
	return tu_update(a, na, b, nb, c, nc, out);
}

static void
run_vec(void **state)
{
	const struct vec *v = *state;
	static uint8_t msg[70000];
	struct bgp_session s = { .as4 = v->sess & AS4, .ext_msg = (v->sess & EXT) != 0,
	    .addpath_rx = (v->sess & 4) ? 1 : 0 };
	const struct bgp_msg *m;
	size_t len = vec_build(v, msg);

	m = tu_decode(msg, len, &s, v->act);
	if (v->why == BGP_R_NONE)
		assert_int_equal(m->prob.total, 0);
	else if (!tu_has_reason(m, v->why))
		fail_msg("%s: reason %s not recorded (first: %s)", v->name,
		    bgp_reason_info(v->why)->name, m->prob.n ?
		    bgp_reason_info(m->prob.p[0].reason)->name : "none");
	if (v->act != BGP_ACT_SESSION_RESET)
		tu_roundtrip(m, &s, msg, len);
	if (v->check != NULL)
		v->check(m);
}

/* RFC 8654: a 5000-octet UPDATE is fine only with extended messages. */
static void
extended_message_length(void **state)
{
	static uint8_t msg[70000], attrs[6000];
	struct bgp_session ext = { .as4 = true, .ext_msg = true };
	struct bgp_session std = { .as4 = true };
	size_t n = 0, len;

	(void)state;
	n += tu_hex(MAND, attrs, sizeof(attrs));
	attrs[n++] = 0xd0;	/* optional transitive, extended length */
	attrs[n++] = BGP_ATTR_COMMUNITIES;
	attrs[n++] = 4960 >> 8;
	attrs[n++] = 4960 & 0xff;
	memset(attrs + n, 0x11, 4960);
	n += 4960;
	len = tu_update(NULL, 0, attrs, n, B(0x18, 0xc0, 0, 2), 4, msg);
	assert_true(len > 4096);
	tu_roundtrip(tu_decode(msg, len, &ext, BGP_ACT_NONE), &ext, msg, len);
	assert_true(tu_has_reason(tu_decode(msg, len, &std,
	    BGP_ACT_SESSION_RESET), BGP_R_HDR_LENGTH));
}

/* Every reason names its RFC section and has an action. */
static void
reason_table_complete(void **state)
{
	(void)state;
	for (int r = 1; r < BGP_R_COUNT; r++) {
		const struct bgp_reason_info *ri = bgp_reason_info(r);

		assert_non_null(ri->name);
		assert_true(strncmp(ri->rfc, "RFC ", 4) == 0);
		assert_int_not_equal(ri->action, BGP_ACT_NONE);
	}
}

int
main(void)
{
	size_t n = sizeof(vecs) / sizeof(vecs[0]);
	struct CMUnitTest *tests = calloc(n + 2, sizeof(*tests));
	int rc;

	for (size_t i = 0; i < n; i++) {
		tests[i].name = vecs[i].name;
		tests[i].test_func = run_vec;
		tests[i].initial_state = (void *)&vecs[i];
	}
	tests[n].name = "extended_message_length";
	tests[n].test_func = extended_message_length;
	tests[n + 1].name = "reason_table_complete";
	tests[n + 1].test_func = reason_table_complete;
	rc = _cmocka_run_group_tests("rfc7606", tests, n + 2, NULL, NULL);
	free(tests);
	return rc;
}
