/* OPEN messages and capabilities (RFC 4271 4.2, RFC 5492, RFC 9072),
 * and what two OPENs negotiate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "testutil.h"
#include "util/arena.h"
#include "util/strbuf.h"

/* version 4, my AS 23456 (AS_TRANS), hold 90, id 10.0.0.1, then two
 * Capabilities parameters: one with MP ipv4 unicast alone (the Cisco
 * style), one with everything else. */
#define OPEN_HEAD "04" "5ba0" "005a" "0a000001"
#define CAPS_A "0206" "010400010001"
#define CAPS_B \
	"02" "67" \
	"010400020001"			/* MP ipv6 unicast */ \
	"0200"				/* route refresh */ \
	"4600"				/* enhanced route refresh */ \
	"4104fa56ea01"			/* AS4 4200000001 */ \
	"4508" "00010103" "00020101"	/* ADD-PATH v4u both, v6u receive */ \
	"4006" "8078" "00010180"	/* GR restarting, 120 s, v4u fwd */ \
	"4707" "00010180015180"		/* LLGR v4u fwd, stale 86400 */ \
	"0600"				/* extended message */ \
	"090103"			/* role customer */ \
	"490f" "027231" "0b6578616d706c652e6e6574" /* FQDN r1 example.net */ \
	"0506" "000100010002"		/* ext next hop: v4 unicast via v6 */ \
	"6302abcd"			/* unknown capability 99 */ \
	"8000"				/* route refresh, pre-standard */ \
	"4102abcd"			/* AS4 again, malformed length */ \
	"4704" "00010180"		/* LLGR with a bad length */ \
	"4503000101"			/* ADD-PATH with a bad length */ \
	"01050001000100"		/* MP with a bad length */ \
	"4500"				/* ADD-PATH, empty */

static size_t
build_open(uint8_t *msg)
{
	uint8_t body[512];
	size_t n = 0, caplen;
	uint8_t caps[400];

	caplen = tu_hex(CAPS_A CAPS_B, caps, sizeof(caps));
	n = tu_hex(OPEN_HEAD, body, sizeof(body));
	body[n++] = (uint8_t)caplen;
	memcpy(body + n, caps, caplen);
	n += caplen;
	return tu_msg(BGP_MSG_OPEN, body, n, msg);
}

static void
open_with_every_capability(void **state)
{
	uint8_t msg[600];
	size_t len = build_open(msg);
	struct bgp_session s = { .as4 = true };
	const struct bgp_msg *m = tu_decode(msg, len, &s, BGP_ACT_NONE);
	const struct bgp_open *o = &m->u.open;
	const struct bgp_cap *c;

	(void)state;
	assert_int_equal(o->version, 4);
	assert_int_equal(o->my_as, 23456);
	assert_int_equal(o->hold_time, 90);
	assert_int_equal(o->bgp_id, 0x0a000001);
	assert_int_equal(o->asn, 4200000001u);
	assert_false(o->ext_params);
	assert_int_equal(o->n_params, 2);
	assert_int_equal(o->params[0].n_caps, 1);
	assert_int_equal(o->n_caps, 19);

	c = bgp_open_cap(o, BGP_CAP_MP);
	assert_int_equal(c->fams[0].afi, BGP_AFI_IPV4);
	assert_int_equal(c->fams[0].safi, BGP_SAFI_UNICAST);
	assert_int_equal(o->caps[1].fams[0].afi, BGP_AFI_IPV6);

	c = bgp_open_cap(o, BGP_CAP_ADDPATH);
	assert_false(c->malformed);
	assert_int_equal(c->n_fams, 2);
	assert_int_equal(c->fams[0].flags, BGP_ADDPATH_SEND | BGP_ADDPATH_RECEIVE);
	assert_int_equal(c->fams[1].afi, BGP_AFI_IPV6);
	assert_int_equal(c->fams[1].flags, BGP_ADDPATH_RECEIVE);

	c = bgp_open_cap(o, BGP_CAP_GRACEFUL_RESTART);
	assert_int_equal(c->gr_flags_time, 0x8078);
	assert_int_equal(c->n_fams, 1);
	assert_int_equal(c->fams[0].flags, 0x80);

	c = bgp_open_cap(o, BGP_CAP_LLGR);
	assert_false(c->malformed);
	assert_int_equal(c->fams[0].time, 86400);

	c = bgp_open_cap(o, BGP_CAP_ROLE);
	assert_int_equal(c->role, 3);

	c = bgp_open_cap(o, BGP_CAP_FQDN);
	assert_int_equal(c->host_len, 2);
	assert_memory_equal(c->host, "r1", 2);
	assert_int_equal(c->domain_len, 11);
	assert_memory_equal(c->domain, "example.net", 11);

	c = bgp_open_cap(o, BGP_CAP_EXT_NEXTHOP);
	assert_int_equal(c->fams[0].afi, BGP_AFI_IPV4);
	assert_int_equal(c->fams[0].nh_afi, BGP_AFI_IPV6);

	c = bgp_open_cap(o, 99);
	assert_non_null(c);
	assert_int_equal(c->len, 2);
	assert_memory_equal(c->data, "\xab\xcd", 2);

	assert_non_null(bgp_open_cap(o, BGP_CAP_EXT_MESSAGE));
	assert_non_null(bgp_open_cap(o, BGP_CAP_ROUTE_REFRESH_OLD));
	/* the malformed repeats are kept, flagged, as bytes */
	assert_true(o->caps[14].malformed);	/* AS4, 2 octets */
	assert_true(o->caps[15].malformed);	/* LLGR, 4 octets */
	assert_true(o->caps[16].malformed);	/* ADD-PATH, 3 octets */
	assert_true(o->caps[17].malformed);	/* MP, 5 octets */
	assert_false(o->caps[18].malformed);	/* ADD-PATH, empty is fine */

	tu_roundtrip(m, &s, msg, len);
}

static void
open_text_names_capabilities(void **state)
{
	uint8_t msg[600];
	size_t len = build_open(msg);
	struct bgp_session s = { .as4 = true };
	struct strbuf out;

	(void)state;
	sb_init(&out);
	bgp_msg_print(tu_decode(msg, len, &s, BGP_ACT_NONE), &out);
	assert_non_null(strstr(sb_str(&out), "asn 4200000001"));
	assert_non_null(strstr(sb_str(&out), "capability add-path (69): "
	    "ipv4/unicast:send-receive ipv6/unicast:receive"));
	assert_non_null(strstr(sb_str(&out), "capability role (9): customer"));
	assert_non_null(strstr(sb_str(&out), "capability fqdn (73): r1 "
	    "example.net"));
	assert_non_null(strstr(sb_str(&out), "capability 99: abcd"));
	assert_non_null(strstr(sb_str(&out), "(malformed)"));
	sb_free(&out);
}

/* RFC 9072: Non-Ext OP Len 255, Non-Ext OP Type 255, then 2-octet
 * lengths for the whole and for each parameter. */
static void
open_extended_parameters(void **state)
{
	uint8_t msg[600], body[600];
	size_t n;
	struct bgp_session s = { .as4 = true };
	const struct bgp_msg *m;

	(void)state;
	n = tu_hex(OPEN_HEAD "ff" "ff" "000b" "02" "0008" "4104fa56ea01" "0600",
	    body, sizeof(body));
	n = tu_msg(BGP_MSG_OPEN, body, n, msg);
	m = tu_decode(msg, n, &s, BGP_ACT_NONE);
	assert_true(m->u.open.ext_params);
	assert_int_equal(m->u.open.n_caps, 2);
	assert_int_equal(m->u.open.asn, 4200000001u);
	tu_roundtrip(m, &s, msg, n);
}

static void
open_errors(void **state)
{
	struct {
		const char	*hex;
		enum bgp_reason	 why;
	} cases[] = {
		{ "03" "fde9" "005a" "0a000001" "00", BGP_R_OPEN_VERSION },
		{ "04" "fde9" "0002" "0a000001" "00", BGP_R_OPEN_HOLD_TIME },
		{ "04" "fde9" "0001" "0a000001" "00", BGP_R_OPEN_HOLD_TIME },
		{ "04" "fde9" "005a" "00000000" "00", BGP_R_OPEN_BGP_ID },
		/* optional parameters length: too long, too short */
		{ "04" "fde9" "005a" "0a000001" "08" "02020200", BGP_R_OPEN_PARAMS },
		{ "04" "fde9" "005a" "0a000001" "02" "02020200", BGP_R_OPEN_PARAMS },
		/* a parameter longer than the parameters */
		{ "04" "fde9" "005a" "0a000001" "04" "02050200", BGP_R_OPEN_PARAMS },
		/* a capability longer than its parameter */
		{ "04" "fde9" "005a" "0a000001" "04" "02024104", BGP_R_OPEN_PARAMS },
		/* extended parameters with the 2-octet length cut */
		{ "04" "fde9" "005a" "0a000001" "ff" "ff00", BGP_R_OPEN_PARAMS },
	};
	struct bgp_session s = { .as4 = true };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t body[64], msg[128];
		size_t n = tu_hex(cases[i].hex, body, sizeof(body));
		const struct bgp_msg *m;

		n = tu_msg(BGP_MSG_OPEN, body, n, msg);
		m = tu_decode(msg, n, &s, BGP_ACT_SESSION_RESET);
		if (!tu_has_reason(m, cases[i].why))
			fail_msg("case %zu: expected %s", i,
			    bgp_reason_info(cases[i].why)->name);
	}
}

/* A non-capability parameter (type 1, deprecated authentication) is
 * kept as it is. */
static void
open_other_parameter_kept(void **state)
{
	uint8_t body[64], msg[128];
	size_t n;
	struct bgp_session s = { .as4 = true };
	const struct bgp_msg *m;

	(void)state;
	n = tu_hex(OPEN_HEAD "09" "0103010203" "02020200", body, sizeof(body));
	n = tu_msg(BGP_MSG_OPEN, body, n, msg);
	m = tu_decode(msg, n, &s, BGP_ACT_NONE);
	assert_int_equal(m->u.open.n_params, 2);
	assert_int_equal(m->u.open.params[0].type, 1);
	assert_int_equal(m->u.open.params[0].len, 3);
	assert_int_equal(m->u.open.n_caps, 1);
	tu_roundtrip(m, &s, msg, n);
}

static void
negotiation(void **state)
{
	/* local: AS4, ext msg, ADD-PATH v4u receive, v6u send */
	const char *local = OPEN_HEAD "14" "0212" "4104fa56ea01" "0600"
	    "4508" "00010101" "00020102";
	/* remote: AS4, ADD-PATH v4u send, v6u send (we do not receive) */
	const char *remote = OPEN_HEAD "12" "0210" "4104fa56ea02"
	    "4508" "00010102" "00020102";
	/* remote without AS4 */
	const char *old = OPEN_HEAD "00";
	uint8_t b1[128], b2[128], b3[128], m1[160], m2[160], m3[160];
	size_t n1, n2, n3;
	struct bgp_session s = { .as4 = true }, out;
	struct bgp_msg lo, re, ol;

	(void)state;
	n1 = tu_msg(BGP_MSG_OPEN, b1, tu_hex(local, b1, sizeof(b1)), m1);
	n2 = tu_msg(BGP_MSG_OPEN, b2, tu_hex(remote, b2, sizeof(b2)), m2);
	n3 = tu_msg(BGP_MSG_OPEN, b3, tu_hex(old, b3, sizeof(b3)), m3);
	{
		struct arena a1, a2;

		arena_init(&a1, 0);
		arena_init(&a2, 0);
		assert_int_equal(bgp_msg_decode(m1, n1, &s, &a1, &lo),
		    BGP_ACT_NONE);
		assert_int_equal(bgp_msg_decode(m2, n2, &s, &a2, &re),
		    BGP_ACT_NONE);
		bgp_session_negotiate(&lo.u.open, &re.u.open, &out);
		assert_true(out.as4);
		assert_false(out.ext_msg);	/* remote did not offer it */
		assert_int_equal(out.addpath_rx, 1u << BGP_FAM_IPV4_UNICAST);
		assert_int_equal(bgp_msg_decode(m3, n3, &s, &a2, &ol),
		    BGP_ACT_NONE);
		bgp_session_negotiate(&lo.u.open, &ol.u.open, &out);
		assert_false(out.as4);
		assert_int_equal(out.addpath_rx, 0);
		arena_free(&a1);
		arena_free(&a2);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_with_every_capability),
		cmocka_unit_test(open_text_names_capabilities),
		cmocka_unit_test(open_extended_parameters),
		cmocka_unit_test(open_errors),
		cmocka_unit_test(open_other_parameter_kept),
		cmocka_unit_test(negotiation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
