/* The MRT source: a replay at a speed factor follows the records'
 * timestamps (driven here by a hand-made clock), RIB dumps go before
 * update files whatever their order on the command line, update files
 * are merged in time order, and a state change leaving Established takes
 * the VP down. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed/feed.h"
#include "testutil.h"
#include "util/bwriter.h"
#include "wire/mrt.h"

/* Peer n: 192.0.2.n, AS 65000 + n, to the collector 192.0.0.254. */
static void
peer_record(struct mrt_bgp4mp *b, uint8_t peer, uint16_t subtype)
{
	memset(b, 0, sizeof(*b));
	b->peer_as = 65000u + peer;
	b->local_as = 65000;
	b->afi = BGP_AFI_IPV4;
	b->peer_ip[0] = 192;
	b->peer_ip[2] = 2;
	b->peer_ip[3] = peer;
	b->local_ip[0] = 192;
	b->local_ip[3] = 254;
	b->subtype = subtype;
}

/* An UPDATE for 10.0.<n>.0/24 from that peer. */
static void
put_update(struct bwriter *w, uint32_t ts, uint8_t n, uint8_t peer)
{
	uint8_t msg[128];
	uint8_t attrs[] = { TU_MANDATORY };
	uint8_t nlri[] = { 24, 10, 0, n };
	struct mrt_bgp4mp b;
	size_t len;

	peer_record(&b, peer, MRT_BGP4MP_MESSAGE_AS4);
	len = tu_update(NULL, 0, attrs, sizeof(attrs), nlri, sizeof(nlri),
	    msg);
	assert_true(mrt_write_bgp4mp(w, ts, false, 0, &b, msg, len));
}

static void
put_state(struct bwriter *w, uint32_t ts, uint16_t from, uint16_t to,
    uint8_t peer)
{
	struct mrt_bgp4mp b;

	peer_record(&b, peer, MRT_BGP4MP_STATE_CHANGE_AS4);
	b.is_state_change = true;
	b.old_state = from;
	b.new_state = to;
	assert_true(mrt_write_bgp4mp(w, ts, false, 0, &b, NULL, 0));
}

static char *
write_file(struct bwriter *w)
{
	char *path = strdup("/tmp/bgps-test-feed-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, w->buf, w->len), (ssize_t)w->len);
	close(fd);
	return path;
}

struct seen {
	unsigned	announce;
	unsigned	vp_down;
	uint64_t	last_time;
	bool		in_order;
	uint8_t		order[16];
	unsigned	n;
	int		source_state;	/* the last one announced */
};

static void
sink(const struct feed_event *ev, size_t n, void *arg)
{
	struct seen *s = arg;

	for (size_t i = 0; i < n; i++) {
		if (ev[i].type == FEED_SOURCE_STATE)
			s->source_state = ev[i].state;
		if (ev[i].type == FEED_VP_DOWN)
			s->vp_down++;
		if (ev[i].type != FEED_ANNOUNCE)
			continue;
		s->announce++;
		if (ev[i].time_us < s->last_time)
			s->in_order = false;
		s->last_time = ev[i].time_us;
		if (s->n < 16)
			s->order[s->n++] = ev[i].prefix.addr[2];
	}
}

static void
speed_factor_follows_timestamps(void **state)
{
	struct bwriter w;
	struct rib *r = rib_new();
	struct seen s = { .in_order = true, .source_state = -1 };
	char *path;
	const char *files[1];
	struct feed_mrt_config c = { .name = "t", .files = files, .nfiles = 1,
	    .speed = 2.0 };
	struct feed_source *src;
	uint64_t due;

	(void)state;
	bw_init(&w);
	put_update(&w, 1000, 1, 1);
	put_update(&w, 1010, 2, 1);	/* 10 s later: 5 s at speed 2 */
	put_update(&w, 1030, 3, 1);	/* 30 s after the first: 15 s */
	path = write_file(&w);
	files[0] = path;
	src = feed_mrt_new(r, &c, sink, &s);
	assert_int_equal(src->ops->start(src), 0);
	/* the first record goes at once; the next is due 5 s later */
	due = src->ops->poll(src, 1000000);
	assert_int_equal(s.announce, 1);
	assert_int_equal(due, 6000000);
	assert_int_equal(src->ops->poll(src, 5999999), 6000000);
	assert_int_equal(s.announce, 1);
	assert_int_equal(src->ops->poll(src, 6000000), 16000000);
	assert_int_equal(s.announce, 2);
	/* late: everything due goes */
	assert_int_equal(src->ops->poll(src, 60000000), UINT64_MAX);
	assert_int_equal(s.announce, 3);
	assert_int_equal(s.source_state, RIB_SRC_DONE);
	src->ops->free(src);
	rib_free(r);
	unlink(path);
	free(path);
	bw_free(&w);
}

static void
ribs_first_then_updates_merged(void **state)
{
	struct bwriter u1, u2, rib;
	struct rib *r = rib_new();
	struct seen s = { .in_order = true };
	char *p1, *p2, *p3;
	const char *files[3];
	struct feed_mrt_config c = { .name = "t", .files = files, .nfiles = 3 };
	struct feed_source *src;
	struct feed_apply fa;
	struct mrt_peer peer = { .asn = 65009, .afi = BGP_AFI_IPV4,
	    .ip = { 192, 0, 2, 9 } };
	struct mrt_rib_entry e;
	struct bgp_prefix p = { .afi = BGP_AFI_IPV4, .len = 24,
	    .addr = { 10, 0, 99 } };
	uint8_t attrs[] = { TU_MANDATORY };

	(void)state;
	bw_init(&u1);
	bw_init(&u2);
	bw_init(&rib);
	/* two update files that interleave in time, and a RIB dump */
	put_update(&u1, 2000, 10, 1);
	put_update(&u1, 2002, 12, 1);
	put_state(&u1, 2003, 6, 1, 1);	/* peer 1 leaves Established */
	put_update(&u2, 2001, 11, 2);
	put_update(&u2, 2004, 14, 2);
	mrt_write_peer_index(&rib, 1500, 1, "", &peer, 1);
	memset(&e, 0, sizeof(e));
	e.attrs = attrs;
	e.attrs_len = sizeof(attrs);
	mrt_write_rib(&rib, 1500, 0, &p, BGP_SAFI_UNICAST, false, &e, 1);
	p1 = write_file(&u1);
	p2 = write_file(&u2);
	p3 = write_file(&rib);
	files[0] = p1;
	files[1] = p2;
	files[2] = p3;	/* the dump last on the command line */
	feed_apply_init(&fa, r);
	src = feed_mrt_new(r, &c, sink, &s);
	assert_int_equal(src->ops->start(src), 0);
	while (src->ops->poll(src, 0) != UINT64_MAX)
		;
	assert_int_equal(s.announce, 5);
	assert_int_equal(s.order[0], 99);	/* the dump first */
	assert_int_equal(s.order[1], 10);
	assert_int_equal(s.order[2], 11);
	assert_int_equal(s.order[3], 12);
	assert_int_equal(s.order[4], 14);
	assert_true(s.in_order);
	assert_int_equal(s.vp_down, 1);
	assert_int_equal(r->nvps, 3);	/* the dump's peer, and two */
	src->ops->free(src);
	feed_apply_done(&fa);
	rib_free(r);
	unlink(p1);
	unlink(p2);
	unlink(p3);
	free(p1);
	free(p2);
	free(p3);
	bw_free(&u1);
	bw_free(&u2);
	bw_free(&rib);
}

static void
apply_takes_a_vp_down(void **state)
{
	struct bwriter w;
	struct rib *r = rib_new();
	char *path;
	const char *files[1];
	struct feed_mrt_config c = { .name = "t", .files = files, .nfiles = 1 };
	struct feed_source *src;
	struct feed_apply fa;

	(void)state;
	bw_init(&w);
	put_update(&w, 3000, 1, 1);
	put_update(&w, 3000, 2, 1);
	put_update(&w, 3000, 3, 2);
	put_state(&w, 3001, 6, 1, 1);
	path = write_file(&w);
	files[0] = path;
	feed_apply_init(&fa, r);
	src = feed_mrt_new(r, &c, feed_apply_sink, &fa);
	assert_int_equal(src->ops->start(src), 0);
	while (src->ops->poll(src, 0) != UINT64_MAX)
		;
	feed_apply_done(&fa);
	/* peer 1's two routes went with it; peer 2's stays */
	assert_int_equal(r->routes, 1);
	assert_int_equal(r->vps[0].state, RIB_VP_DOWN);
	assert_int_equal(r->vps[1].state, RIB_VP_UP);
	src->ops->free(src);
	rib_free(r);
	unlink(path);
	free(path);
	bw_free(&w);
}

/* loop: the updates start again, with the replay clock, after their
 * last record; clock now: events carry the poll's time. */
static void
loop_replays_again_at_replay_time(void **state)
{
	struct bwriter w;
	struct rib *r = rib_new();
	struct seen s = { .in_order = true, .source_state = -1 };
	char *path;
	const char *files[1];
	struct feed_mrt_config c = { .name = "t", .files = files, .nfiles = 1,
	    .speed = 10.0, .loop = true, .clock_now = true };
	struct feed_source *src;

	(void)state;
	bw_init(&w);
	put_update(&w, 1000, 1, 1);
	put_update(&w, 1100, 2, 1);	/* 100 s later: 10 s at speed 10 */
	path = write_file(&w);
	files[0] = path;
	src = feed_mrt_new(r, &c, sink, &s);
	assert_int_equal(src->ops->start(src), 0);
	assert_int_equal(src->ops->poll(src, 50000000), 60000000);
	assert_int_equal(s.announce, 1);
	assert_int_equal(s.last_time, 50000000);	/* not 1000 s */
	/* the second record, then the first again at once (a new round
	 * starts its clock there), then the second 10 s later */
	assert_int_equal(src->ops->poll(src, 60000000), 70000000);
	assert_int_equal(s.announce, 3);
	assert_int_equal(s.order[1], 2);
	assert_int_equal(s.order[2], 1);
	assert_int_equal(s.last_time, 60000000);
	assert_int_equal(src->ops->poll(src, 70000000), 80000000);
	assert_int_equal(s.announce, 5);
	assert_int_equal(s.order[4], 1);
	assert_true(s.in_order);
	assert_int_not_equal(s.source_state, RIB_SRC_DONE);
	/* the file goes away: this round ends (the file is open), the
	 * next cannot start: the replay ends, degraded */
	unlink(path);
	assert_int_equal(src->ops->poll(src, 80000000), UINT64_MAX);
	assert_int_equal(s.announce, 6);
	assert_int_equal(s.source_state, RIB_SRC_DEGRADED);
	src->ops->free(src);
	rib_free(r);
	free(path);
	bw_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(speed_factor_follows_timestamps),
		cmocka_unit_test(ribs_first_then_updates_merged),
		cmocka_unit_test(apply_takes_a_vp_down),
		cmocka_unit_test(loop_replays_again_at_replay_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
