/* Framing, KEEPALIVE, NOTIFICATION (RFC 4271 4.5, RFC 9003) and
 * ROUTE-REFRESH (RFC 2918, RFC 7313). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "testutil.h"
#include "util/bwriter.h"
#include "util/strbuf.h"

static const struct bgp_session S = { .as4 = true };

static void
frame_stream(void **state)
{
	uint8_t buf[128];
	size_t n = 0;
	enum bgp_reason why = BGP_R_NONE;

	(void)state;
	n += tu_msg(BGP_MSG_KEEPALIVE, NULL, 0, buf);
	n += tu_msg(BGP_MSG_NOTIFICATION, B(6, 2), 2, buf + n);
	assert_int_equal(bgp_msg_frame(buf, 10, &S, &why), 0);	/* need more */
	assert_int_equal(bgp_msg_frame(buf, n, &S, &why), 19);
	assert_int_equal(bgp_msg_frame(buf + 19, 20, &S, &why), 0);
	assert_int_equal(bgp_msg_frame(buf + 19, 21, &S, &why), 21);
	buf[3] = 0;
	assert_int_equal(bgp_msg_frame(buf, n, &S, &why), -1);
	assert_int_equal(why, BGP_R_HDR_MARKER);
}

static void
keepalive(void **state)
{
	uint8_t msg[32];
	size_t n = tu_msg(BGP_MSG_KEEPALIVE, NULL, 0, msg);
	const struct bgp_msg *m;
	struct strbuf out;

	(void)state;
	m = tu_decode(msg, n, &S, BGP_ACT_NONE);
	assert_int_equal(m->type, BGP_MSG_KEEPALIVE);
	assert_int_equal(m->len, 19);
	tu_roundtrip(m, &S, msg, n);
	sb_init(&out);
	bgp_msg_print(m, &out);
	assert_string_equal(sb_str(&out), "KEEPALIVE length 19\n");
	sb_free(&out);
}

/* RFC 9003: Cease/Administrative Shutdown with a UTF-8 message. */
static void
notification_shutdown_message(void **state)
{
	uint8_t body[64], msg[96];
	size_t n;
	const struct bgp_msg *m;
	struct strbuf out;

	(void)state;
	n = tu_hex("0602" "0e" "6d61696e74656e616e636520c3a9", body,
	    sizeof(body));
	n = tu_msg(BGP_MSG_NOTIFICATION, body, n, msg);
	m = tu_decode(msg, n, &S, BGP_ACT_NONE);
	assert_int_equal(m->u.notification.code, 6);
	assert_int_equal(m->u.notification.subcode, 2);
	assert_true(m->u.notification.has_shutdown_msg);
	assert_int_equal(m->u.notification.shutdown_len, 14);
	assert_memory_equal(m->u.notification.shutdown_msg,
	    "maintenance \xc3\xa9", 14);
	tu_roundtrip(m, &S, msg, n);
	sb_init(&out);
	bgp_msg_print(m, &out);
	assert_non_null(strstr(sb_str(&out),
	    "6/2 Cease / Administrative Shutdown"));
	assert_non_null(strstr(sb_str(&out), "shutdown message: \"maintenance"));
	sb_free(&out);
}

/* A length octet larger than the data means no message, not an error. */
static void
notification_shutdown_length_too_long(void **state)
{
	uint8_t msg[64];
	size_t n = tu_msg(BGP_MSG_NOTIFICATION, B(6, 4, 20, 'a', 'b'), 5, msg);
	const struct bgp_msg *m = tu_decode(msg, n, &S, BGP_ACT_NONE);

	(void)state;
	assert_false(m->u.notification.has_shutdown_msg);
	assert_int_equal(m->u.notification.data_len, 3);
	tu_roundtrip(m, &S, msg, n);
}

static void
notification_names(void **state)
{
	(void)state;
	assert_string_equal(bgp_notification_code_name(3),
	    "UPDATE Message Error");
	assert_string_equal(bgp_notification_subcode_name(3, 11),
	    "Malformed AS_PATH");
	assert_string_equal(bgp_notification_subcode_name(2, 11),
	    "Role Mismatch");
	assert_string_equal(bgp_notification_subcode_name(6, 9), "Hard Reset");
	assert_string_equal(bgp_notification_subcode_name(1, 2),
	    "Bad Message Length");
	assert_null(bgp_notification_subcode_name(6, 200));
	assert_null(bgp_notification_code_name(42));
}

static void
route_refresh(void **state)
{
	uint8_t msg[64];
	size_t n;
	const struct bgp_msg *m;

	(void)state;
	/* RFC 7313 BoRR for ipv6 unicast */
	n = tu_msg(BGP_MSG_ROUTE_REFRESH, B(0, 2, 1, 1), 4, msg);
	m = tu_decode(msg, n, &S, BGP_ACT_NONE);
	assert_int_equal(m->u.route_refresh.afi, BGP_AFI_IPV6);
	assert_int_equal(m->u.route_refresh.safi, BGP_SAFI_UNICAST);
	assert_int_equal(m->u.route_refresh.subtype, 1);
	tu_roundtrip(m, &S, msg, n);
	/* RFC 5291: a normal request may carry ORF entries */
	n = tu_msg(BGP_MSG_ROUTE_REFRESH, B(0, 1, 0, 1, 1, 0x40, 0, 0), 8, msg);
	m = tu_decode(msg, n, &S, BGP_ACT_NONE);
	assert_int_equal(m->u.route_refresh.orf_len, 4);
	tu_roundtrip(m, &S, msg, n);
}

/* The encoder refuses what would not fit the session's maximum. */
static void
encode_respects_max_length(void **state)
{
	static uint8_t data[5000];
	struct bgp_msg m;
	struct bwriter w;
	struct bgp_session ext = { .as4 = true, .ext_msg = true };

	(void)state;
	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_NOTIFICATION;
	m.u.notification.code = 6;
	m.u.notification.data = data;
	m.u.notification.data_len = sizeof(data);
	bw_init(&w);
	assert_false(bgp_msg_encode(&m, &S, &w));
	bw_reset(&w);
	assert_true(bgp_msg_encode(&m, &ext, &w));
	assert_int_equal(w.len, 19 + 2 + sizeof(data));
	bw_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frame_stream),
		cmocka_unit_test(keepalive),
		cmocka_unit_test(notification_shutdown_message),
		cmocka_unit_test(notification_shutdown_length_too_long),
		cmocka_unit_test(notification_names),
		cmocka_unit_test(route_refresh),
		cmocka_unit_test(encode_respects_max_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
