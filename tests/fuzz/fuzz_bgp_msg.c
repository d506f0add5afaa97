/* Whole messages, header included, after one session byte. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_session s;

	if (size < 1)
		return 0;
	s = fuzz_session(data[0]);
	fuzz_check(data + 1, size - 1, &s);
	return 0;
}
