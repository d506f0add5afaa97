/* Hostile RIS Live traffic, one message a line. Each line goes through
 * the client's decoder (and its raw check) and the stream server's
 * request parser; a decoded UPDATE is printed back as the server prints
 * it, which must decode again to as many announcements and withdrawals,
 * and be matched against the subscription the line may have been. Then
 * every line into a rislive source and its RIB, which must be empty
 * again once its VPs go down. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_rislive.h"
#include "fuzz_rib_empty.h"
#include "util/arena.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "wire/rislive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ANN_MAX	4096

/* The UPDATE of one BGP message as the server sees it: printed, decoded
 * again, matched. */
static void
view_back(const struct rislive_msg *m, const struct rislive_bgp *b,
    const struct rislive_sub *sub, struct arena *a)
{
	static struct rislive_ann ann[FUZZ_ANN_MAX];
	static struct bgp_prefix wd[FUZZ_ANN_MAX];
	struct bgp_session s = { .as4 = true, .ext_msg = true };
	const struct bgp_attrs *at;
	struct rislive_view v = { .type = RISLIVE_UPDATE, .host = m->host,
	    .peer_afi = m->peer_afi, .peer_asn = m->peer_asn,
	    .time_us = m->time_us };
	struct rislive_msg back;
	struct bgp_msg msg;
	struct strbuf out;
	struct arena a2;
	char err[160];
	uint32_t nann = 0, nwd = 0;

	if (bgp_msg_decode(b->msg, b->len, &s, a, &msg) ==
	    BGP_ACT_SESSION_RESET || msg.type != BGP_MSG_UPDATE)
		abort();	/* we wrote it: it must be a good UPDATE */
	memcpy(v.peer, m->peer, 16);
	at = &msg.u.update.attrs;
	for (uint32_t i = 0; i < msg.u.update.n_withdrawn && nwd <
	    FUZZ_ANN_MAX; i++)
		wd[nwd++] = msg.u.update.withdrawn[i];
	if (bgp_attrs_has(at, BGP_ATTR_MP_UNREACH_NLRI))
		for (uint32_t i = 0; i < at->mp_unreach.n_withdrawn && nwd <
		    FUZZ_ANN_MAX; i++)
			wd[nwd++] = at->mp_unreach.withdrawn[i];
	for (uint32_t i = 0; i < msg.u.update.n_nlri && nann < FUZZ_ANN_MAX;
	    i++) {
		ann[nann].prefix = msg.u.update.nlri[i];
		ann[nann].nh = at->next_hop;
		ann[nann++].nh_len = 4;
	}
	if (bgp_attrs_has(at, BGP_ATTR_MP_REACH_NLRI))
		for (uint32_t i = 0; i < at->mp_reach.n_nlri && nann <
		    FUZZ_ANN_MAX; i++) {
			ann[nann].prefix = at->mp_reach.nlri[i];
			ann[nann].nh = at->mp_reach.nh;
			ann[nann++].nh_len = at->mp_reach.nh_len;
		}
	v.attrs = at;
	v.ann = ann;
	v.nann = nann;
	v.wd = wd;
	v.nwd = nwd;
	if (sub != NULL)
		(void)rislive_sub_match(sub, &v);
	sb_init(&out);
	rislive_print(&v, 1, true, &out);
	arena_init(&a2, 16 * 1024);
	if (!out.oom) {
		if (!rislive_decode(out.s, out.len, &a2, &back, err,
		    sizeof(err)))
			abort();	/* what we print, we read */
		if (nann < FUZZ_ANN_MAX && nwd < FUZZ_ANN_MAX &&
		    (back.nwithdrawn != nwd || back.nannounced != nann))
			abort();
		/* one next hop a family here: a raw message, unless too
		 * long, and it says what the JSON says */
		if (back.raw == NULL && nann + nwd < 1000)
			abort();
		if (back.raw != NULL && !rislive_raw_agrees(&back, &a2))
			abort();
	}
	arena_free(&a2);
	sb_free(&out);
}

static void
one_line(const char *line, size_t len, struct arena *a)
{
	struct rislive_request rq;
	struct rislive_msg m;
	struct strbuf out;
	char err[160];

	sb_init(&out);
	if (rislive_request_parse(line, len, &rq, err, sizeof(err)) &&
	    rq.sub != NULL) {
		rislive_print_subscribe(rq.sub, rq.acknowledge, rq.include_raw,
		    &out);
		rislive_print_subscribe_ok(rq.sub, true, false, &out);
	}
	arena_reset(a);
	if (rislive_decode(line, len, a, &m, err, sizeof(err)) &&
	    m.kind == RISLIVE_MSG_RIS_MESSAGE && m.type == RISLIVE_UPDATE) {
		(void)rislive_raw_agrees(&m, a);
		for (unsigned i = 0; i < m.nupdates; i++)
			view_back(&m, &m.updates[i], rq.sub, a);
	}
	rislive_sub_free(rq.sub);
	sb_free(&out);
}

static void
source(const uint8_t *data, size_t size)
{
	struct feed_rislive_config c = { .name = "fuzz", .heartbeat = true };
	struct feed_source *src;
	struct feed_apply fa;
	struct rib *r;
	size_t off = 0;

	r = rib_new();
	fuzz_rib_check(r != NULL);
	feed_apply_init(&fa, r);
	src = feed_rislive_new(r, &c, feed_apply_sink, &fa);
	fuzz_rib_check(src != NULL);
	while (off < size) {
		const uint8_t *nl = memchr(data + off, '\n', size - off);
		size_t n = nl != NULL ? (size_t)(nl - data) - off : size - off;

		feed_rislive_input(src, (const char *)data + off, n);
		off += n + 1;
	}
	src->ops->stop(src);
	src->ops->free(src);
	feed_apply_done(&fa);
	fuzz_rib_must_empty(r);
	rib_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	size_t off = 0;

	log_set_level(LOG_NONE);
	arena_init(&a, 64 * 1024);
	while (off < size) {
		const uint8_t *nl = memchr(data + off, '\n', size - off);
		size_t n = nl != NULL ? (size_t)(nl - data) - off : size - off;

		one_line((const char *)data + off, n, &a);
		off += n + 1;
	}
	arena_free(&a);
	source(data, size);
	return 0;
}
