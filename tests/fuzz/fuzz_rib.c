/* Hostile MRT files all the way into the RIB: the file is replayed by
 * the MRT source into a RIB, every answer is rendered (prefixes with
 * their more-specifics, an AS, the VPs, memory), then every VP goes
 * down, and the RIB must be empty again: no route, no prefix, no
 * attribute set or member left once the interning caches are cleared. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "feed/feed.h"
#include "rib/rib_query.h"
#include "util/log.h"
#include "fuzz_rib_empty.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	const char *files[1] = { path };
	struct feed_mrt_config c = { .name = "fuzz", .files = files,
	    .nfiles = 1 };
	struct feed_source *src;
	struct feed_apply fa;
	struct trie_key k;
	struct strbuf out;
	struct rib *r;
	int fd;

	log_set_level(LOG_NONE);
	fd = memfd_create("fuzz_rib", 0);
	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = rib_new();
	fuzz_rib_check(r != NULL);
	feed_apply_init(&fa, r);
	src = feed_mrt_new(r, &c, feed_apply_sink, &fa);
	fuzz_rib_check(src != NULL);
	/* an input that does not open as a file (a compression header
	 * that lies) leaves the source down: nothing to replay */
	if (src->ops->start(src) == 0)
		while (src->ops->poll(src, 0) != UINT64_MAX)
			;
	feed_apply_done(&fa);
	sb_init(&out);
	trie_key_parse("0.0.0.0/0", &k);
	rib_query_prefix(r, &k, RIB_MATCH_MORE, 0, true, &out);
	rib_query_prefix(r, &k, RIB_MATCH_MORE, 0, false, &out);
	trie_key_parse("::/0", &k);
	rib_query_prefix(r, &k, RIB_MATCH_MORE, 0, true, &out);
	trie_key_parse("10.0.0.1/32", &k);
	rib_query_prefix(r, &k, RIB_MATCH_LESS, 0, false, &out);
	{
		/* two views: by tag, and by source with a summary each */
		struct rib_view va = { .tags = RIB_TAG_COLLECTOR };
		struct rib_view vb = { .source = "fuzz", .per_source = true };

		trie_key_parse("0.0.0.0/0", &k);
		rib_query_prefix_in(r, &k, RIB_MATCH_MORE, 0, true, &vb, &out);
		rib_query_compare(r, &k, RIB_MATCH_MORE, &va, "collector",
		    &vb, "fuzz", true, &out);
		rib_query_compare(r, &k, RIB_MATCH_MORE, &va, "collector",
		    &vb, "fuzz", false, &out);
	}
	rib_query_asn(r, 65001, true, &out);
	rib_query_vps(r, true, &out);
	rib_query_mem(r, false, &out);
	fuzz_rib_must_empty(r);
	sb_free(&out);
	src->ops->free(src);
	rib_free(r);
	close(fd);
	return 0;
}
