/* Shared by the libFuzzer targets: decode, render, and check that every
 * message that is not a session reset re-encodes to the same bytes. */
#ifndef BGPS_FUZZ_COMMON_H
#define BGPS_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/bwriter.h"
#include "util/json_out.h"
#include "util/strbuf.h"
#include "wire/bgp.h"

/* The first input byte picks the session: bit 0 AS4, bit 1 extended
 * messages, bits 2-5 ADD-PATH per family. */
static inline struct bgp_session
fuzz_session(uint8_t b)
{
	struct bgp_session s = { .as4 = b & 1, .ext_msg = (b >> 1) & 1,
	    .addpath_rx = (uint8_t)((b >> 2) & BGP_ADDPATH_ALL) };

	return s;
}

static inline void
fuzz_check(const uint8_t *msg, size_t len, const struct bgp_session *s)
{
	static struct arena a;
	static int ready;
	struct bgp_msg m;
	struct bwriter w;
	struct strbuf sb;
	struct jw j;

	if (!ready) {
		arena_init(&a, 0);
		ready = 1;
	}
	arena_reset(&a);
	bgp_msg_decode(msg, len, s, &a, &m);
	sb_init(&sb);
	bgp_msg_print(&m, &sb);
	jw_init(&j, &sb);
	bgp_msg_json(&m, &j);
	sb_free(&sb);
	if (m.prob.action == BGP_ACT_SESSION_RESET)
		return;
	bw_init(&w);
	if (!bgp_msg_encode(&m, s, &w) || w.len != len ||
	    memcmp(w.buf, msg, len) != 0)
		abort();	/* decode and encode disagree */
	bw_free(&w);
}

/* Wraps a body in a BGP header of the given type. */
static inline size_t
fuzz_wrap(uint8_t type, const uint8_t *body, size_t blen, uint8_t *out)
{
	size_t len = BGP_HEADER_LEN + blen;

	bgp_header_put(out, type, (uint16_t)len);
	memcpy(out + BGP_HEADER_LEN, body, blen);
	return len;
}

#endif
