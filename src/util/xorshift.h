/* A small, fast pseudo-random generator (xorshift64) for tests and
 * benchmarks that want reproducible sequences. Not for anything that
 * must be unpredictable (khash.h has the secret keys). */
#ifndef BGPS_UTIL_XORSHIFT_H
#define BGPS_UTIL_XORSHIFT_H

#include <stdint.h>

/* *state must not be 0. */
static inline uint64_t
xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

#endif
