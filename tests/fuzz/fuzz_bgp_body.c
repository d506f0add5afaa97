/* Message bodies (after the header) of type FUZZ_MSG_TYPE, after one
 * session byte; the header is built to fit, so every input reaches that
 * type's decoder. Built once per type: fuzz_bgp_open, fuzz_bgp_update. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[BGP_MAX_EXT_MSG_LEN];
	struct bgp_session s;
	size_t len;

	if (size < 1 || size - 1 > BGP_MAX_EXT_MSG_LEN - BGP_HEADER_LEN)
		return 0;
	s = fuzz_session(data[0]);
	len = fuzz_wrap(FUZZ_MSG_TYPE, data + 1, size - 1, msg);
	fuzz_check(msg, len, &s);
	return 0;
}
