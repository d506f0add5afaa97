/* The MRT reader on hostile files: the first byte picks strict or
 * bgpdump-compatible reading, the rest is the (decompressed) file. Every
 * element is rendered as JSON and as bgpdump lines; a -m line made with
 * the per-UPDATE column cache must equal the one made without. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/memsrc.h"
#include "util/strbuf.h"
#include "wire/mrt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct render {
	struct strbuf			out;
	struct strbuf			line;
	struct mrt_bgpdump_cache	cache;
};

static int
render(const struct mrt_elem *e, void *arg)
{
	struct render *x = arg;

	sb_reset(&x->out);
	mrt_elem_json(e, &x->out);
	mrt_elem_bgpdump(e, MRT_FMT_BIG_M, &x->out);
	sb_reset(&x->out);
	mrt_elem_bgpdump(e, MRT_FMT_M, &x->out);
	sb_reset(&x->line);
	mrt_elem_bgpdump_cached(e, MRT_FMT_M, &x->line, &x->cache);
	if (x->out.len != x->line.len ||
	    memcmp(sb_str(&x->out), sb_str(&x->line), x->out.len) != 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memsrc s;
	struct render x;
	struct mrt_reader *r;

	if (size < 1)
		return 0;
	s.p = data + 1;
	s.len = size - 1;
	s.pos = 0;
	r = mrt_reader_new(memsrc_read, &s);
	if (r == NULL)
		return 0;
	mrt_reader_bgpdump_compat(r, data[0] & 1);
	memset(&x, 0, sizeof(x));
	mrt_reader_run(r, render, &x);
	sb_free(&x.out);
	sb_free(&x.line);
	mrt_bgpdump_cache_free(&x.cache);
	mrt_reader_free(r);
	return 0;
}
