#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "util/arena.h"
#include "util/bwriter.h"
#include "util/hex.h"

const char *
tu_data_dir(void)
{
	const char *d = getenv("BGPS_SHARED_DATA");
	struct stat st;

	if (d == NULL || stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return d;
}

size_t
tu_hex(const char *hex, uint8_t *out, size_t cap)
{
	long n = hex_decode(hex, out, cap, NULL);

	assert_true(n >= 0);
	return (size_t)n;
}

size_t
tu_msg(uint8_t type, const uint8_t *body, size_t blen, uint8_t *out)
{
	size_t len = BGP_HEADER_LEN + blen;

	/* lengths over 65535 wrap, as a malformed vector may want */
	bgp_header_put(out, type, (uint16_t)len);
	if (blen > 0)
		memcpy(out + BGP_HEADER_LEN, body, blen);
	return len;
}

size_t
tu_update(const uint8_t *wd, size_t wlen, const uint8_t *attrs, size_t alen,
    const uint8_t *nlri, size_t nlen, uint8_t *out)
{
	uint8_t body[70000];
	size_t n = 0;

	body[n++] = (uint8_t)(wlen >> 8);
	body[n++] = (uint8_t)wlen;
	if (wlen)
		memcpy(body + n, wd, wlen);
	n += wlen;
	body[n++] = (uint8_t)(alen >> 8);
	body[n++] = (uint8_t)alen;
	if (alen)
		memcpy(body + n, attrs, alen);
	n += alen;
	if (nlen)
		memcpy(body + n, nlri, nlen);
	n += nlen;
	return tu_msg(BGP_MSG_UPDATE, body, n, out);
}

static struct arena tu_arena;
static bool tu_arena_ready;
static struct bgp_msg tu_m;

const struct bgp_msg *
tu_decode(const uint8_t *buf, size_t len, const struct bgp_session *s,
    enum bgp_action want)
{
	enum bgp_action got;

	if (!tu_arena_ready) {
		arena_init(&tu_arena, 0);
		tu_arena_ready = true;
	}
	arena_reset(&tu_arena);
	got = bgp_msg_decode(buf, len, s, &tu_arena, &tu_m);
	if (got != want)
		fail_msg("decode: action %s, expected %s (first reason: %s)",
		    bgp_action_name(got), bgp_action_name(want),
		    tu_m.prob.n ? bgp_reason_info(tu_m.prob.p[0].reason)->name :
		    "none");
	assert_int_equal(got, tu_m.prob.action);
	return &tu_m;
}

bool
tu_has_reason(const struct bgp_msg *m, enum bgp_reason r)
{
	for (unsigned i = 0; i < m->prob.n; i++)
		if (m->prob.p[i].reason == r)
			return true;
	return false;
}

void
tu_roundtrip(const struct bgp_msg *m, const struct bgp_session *s,
    const uint8_t *buf, size_t len)
{
	struct bwriter w;

	bw_init(&w);
	assert_true(bgp_msg_encode(m, s, &w));
	assert_int_equal(w.len, len);
	assert_memory_equal(w.buf, buf, len);
	bw_free(&w);
}
