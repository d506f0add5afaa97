/* The MRT reader on hostile files: the first byte picks strict or
 * bgpdump-compatible reading, the rest is the (decompressed) file. Every
 * element is rendered as JSON and as a bgpdump line. */
#include <stdint.h>
#include <string.h>

#include "util/memsrc.h"
#include "util/strbuf.h"
#include "wire/mrt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
render(const struct mrt_elem *e, void *arg)
{
	struct strbuf *out = arg;

	sb_reset(out);
	mrt_elem_json(e, out);
	mrt_elem_bgpdump(e, MRT_FMT_M, out);
	mrt_elem_bgpdump(e, MRT_FMT_BIG_M, out);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memsrc s;
	struct strbuf out;
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
	sb_init(&out);
	mrt_reader_run(r, render, &out);
	sb_free(&out);
	mrt_reader_free(r);
	return 0;
}
