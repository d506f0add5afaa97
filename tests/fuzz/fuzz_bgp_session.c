/* Hostile bytes on a BGP session, all the way into the RIB: the first
 * byte says whether the session is already established (else it waits
 * for an OPEN), the rest arrives as if from the peer's socket. The
 * source then stops, every VP goes down, and the RIB must be empty
 * again: no route, prefix, attribute set or member left. */
#include <stdint.h>
#include <stdlib.h>

#include "feed/feed_bgp.h"
#include "rib/rib_query.h"
#include "util/log.h"
#include "fuzz_rib_empty.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_bgp_peer_conf peer = {
		.afi = BGP_AFI_IPV4, .addr = { 127, 0, 0, 2 }, .plen = 32,
		.passive = true, .port = 179, .hold_time = 90,
		.families = FEED_BGP_IPV4 | FEED_BGP_IPV6,
		.max_prefixes = 1000, .max_action = FEED_BGP_MAXPFX_TEARDOWN,
	};
	struct feed_bgp_config c = {
		.name = "fuzz", .local_as = 65000, .router_id = 0x0a000001,
		.peers = &peer, .npeers = 1, .connect_retry_s = 1,
	};
	struct feed_source *src;
	struct feed_apply fa;
	struct strbuf out;
	struct trie_key k;
	uv_loop_t loop;
	struct rib *r;

	log_set_level(LOG_NONE);
	if (size < 1)
		return 0;
	/* the first byte's other bits: ADD-PATH and the families */
	peer.add_path = (data[0] & 2) != 0;
	if ((data[0] & 12) != 0)
		peer.families = (uint8_t)((data[0] >> 2) & 3);
	fuzz_rib_check(uv_loop_init(&loop) == 0);
	c.loop = &loop;
	r = rib_new();
	fuzz_rib_check(r != NULL);
	feed_apply_init(&fa, r);
	src = feed_bgp_new(r, &c, feed_apply_sink, &fa);
	fuzz_rib_check(src != NULL);
	fuzz_rib_check(src->ops->start(src) == 0);
	fuzz_rib_check(feed_bgp_input(src, "127.0.0.2", (data[0] & 1) != 0, data + 1,
	    size - 1));
	uv_run(&loop, UV_RUN_NOWAIT);
	sb_init(&out);
	trie_key_parse("0.0.0.0/0", &k);
	rib_query_prefix(r, &k, RIB_MATCH_MORE, 0, true, &out);
	trie_key_parse("::/0", &k);
	rib_query_prefix(r, &k, RIB_MATCH_MORE, 0, false, &out);
	for (uint32_t i = 0; i < r->nvps; i++)
		rib_query_vp_routes(r, i, NULL, 100, 0, &out);
	sb_free(&out);
	src->ops->stop(src);
	src->ops->free(src);
	uv_run(&loop, UV_RUN_DEFAULT);		/* the closes */
	fuzz_rib_check(uv_loop_close(&loop) == 0);
	feed_apply_done(&fa);
	fuzz_rib_must_empty(r);
	rib_free(r);
	return 0;
}
