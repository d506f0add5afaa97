/* Hostile BMP streams: framed message by message as a station reads
 * them, each decoded and rendered as JSON, until the framing breaks. */
#include <stdint.h>
#include <stdlib.h>

#include "util/arena.h"
#include "util/json_out.h"
#include "util/strbuf.h"
#include "wire/bmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	return 0;
}
