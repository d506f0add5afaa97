/* Hostile BMP streams: framed message by message as a station reads
 * them, each decoded and rendered as JSON, until the framing breaks;
 * then the same bytes into a station and its RIB, which must be empty
 * again once the station stops and its VPs go down. */
#include <stdint.h>
#include <stdlib.h>

#include "feed/feed_bmp.h"
#include "util/arena.h"
#include "util/log.h"
#include "fuzz_rib_empty.h"
#include "util/json_out.h"
#include "util/strbuf.h"
#include "wire/bmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
station(const uint8_t *data, size_t size)
{
	struct feed_bmp_allow allow = { .afi = 1, .addr = { 127 }, .plen = 8 };
	struct feed_bmp_config c = { .name = "fuzz", .allow = &allow,
	    .nallow = 1 };
	struct feed_source *src;
	struct feed_apply fa;
	uv_loop_t loop;
	struct rib *r;

	log_set_level(LOG_NONE);
	fuzz_rib_check(uv_loop_init(&loop) == 0);
	c.loop = &loop;
	r = rib_new();
	fuzz_rib_check(r != NULL);
	feed_apply_init(&fa, r);
	src = feed_bmp_new(r, &c, feed_apply_sink, &fa);
	fuzz_rib_check(src != NULL);
	fuzz_rib_check(src->ops->start(src) == 0);
	fuzz_rib_check(feed_bmp_input(src, "127.0.0.1", data, size));
	uv_run(&loop, UV_RUN_NOWAIT);
	src->ops->stop(src);
	src->ops->free(src);
	uv_run(&loop, UV_RUN_DEFAULT);
	fuzz_rib_check(uv_loop_close(&loop) == 0);
	feed_apply_done(&fa);
	fuzz_rib_must_empty(r);
	rib_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out;
	struct arena a;
	size_t off = 0;

	arena_init(&a, 16 * 1024);
	sb_init(&out);
	for (;;) {
		const char *why = NULL;
		struct bmp_msg m;
		struct jw j;
		long n = bmp_frame(data + off, size - off, &why);

		if (n <= 0) {
			if (n < 0 && why == NULL)
				abort();	/* an error says why */
			break;
		}
		arena_reset(&a);
		sb_reset(&out);
		jw_init(&j, &out);
		if (bmp_decode(data + off, (size_t)n, &a, &m, &why)) {
			if (m.len != (uint32_t)n)
				abort();
			bmp_msg_json(&m, &j);
		} else if (why == NULL) {
			abort();
		}
		off += (size_t)n;
	}
	sb_free(&out);
	arena_free(&a);
	station(data, size);
	return 0;
}
