/* Keyed hashing of data that may come from the network, with secrets
 * drawn per process, so that nobody can choose inputs that collide in our
 * tables: SipHash-2-4 through libsodium (khash), and for short keys a
 * multilinear hash with random coefficients (khash_words, khash_bytes). */
#ifndef BGPS_UTIL_KHASH_H
#define BGPS_UTIL_KHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Draws the key once; safe to call from any thread, any number of
 * times. Returns false if libsodium cannot start. */
bool		khash_init(void);
/* khash_init must have succeeded. */
uint64_t	khash(const void *p, size_t n);

/* For fixed-size keys of 32-bit words (at most KHASH_MAX_WORDS), much
 * cheaper than SipHash: a multilinear hash with per-process random 64-bit
 * coefficients (two different keys collide with probability at most
 * 2^-32 whatever they are, as long as the coefficients stay secret), then
 * a bijective mix so that every output bit depends on all of it. */
#define KHASH_MAX_WORDS	32

extern uint64_t	khash_coef[KHASH_MAX_WORDS + 2];

/* h plus the words times their coefficients, then fmix64 (a bijection). */
static inline uint64_t
khash_multilinear(uint64_t h, const uint32_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		h += khash_coef[i + 1] * w[i];
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static inline uint64_t
khash_words(const uint32_t *w, unsigned n)
{
	return khash_multilinear(khash_coef[0], w, n);
}

/* Byte strings of up to 4 * KHASH_MAX_WORDS bytes the same way (as
 * words, zero-padded, with their length: strings of different lengths
 * collide no more than others); longer ones with SipHash. */
static inline uint64_t
khash_bytes(const void *p, size_t n)
{
	uint32_t w[KHASH_MAX_WORDS];
	unsigned nw = (unsigned)((n + 3) / 4);

	if (n > 4 * KHASH_MAX_WORDS)
		return khash(p, n);
	if (nw > 0) {
		w[nw - 1] = 0;
		__builtin_memcpy(w, p, n);
	}
	return khash_multilinear(khash_coef[0] +
	    khash_coef[KHASH_MAX_WORDS + 1] * (uint64_t)n, w, nw);
}

/* Not keyed, for direct-mapped caches only: there inputs made to collide
 * just evict each other (misses); they cannot make anything slower. */
static inline uint64_t
fast_hash(const void *data, size_t n, uint64_t seed)
{
	const uint8_t *p = data;
	uint64_t a = 0x9e3779b97f4a7c15ull ^ seed ^ n, b = 0x2545f4914f6cdd1dull;

	/* two independent lanes: the multiplies overlap */
	while (n >= 16) {
		uint64_t w0, w1;

		__builtin_memcpy(&w0, p, 8);
		__builtin_memcpy(&w1, p + 8, 8);
		a = (a ^ w0) * 0xff51afd7ed558ccdull;
		b = (b ^ w1) * 0xc4ceb9fe1a85ec53ull;
		a ^= a >> 29;
		b ^= b >> 31;
		p += 16;
		n -= 16;
	}
	if (n >= 8) {
		uint64_t w;

		__builtin_memcpy(&w, p, 8);
		a = (a ^ w) * 0xff51afd7ed558ccdull;
		a ^= a >> 29;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		uint64_t w = 0;

		__builtin_memcpy(&w, p, n);
		b = (b ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	a ^= b * 0x9e3779b97f4a7c15ull;
	a ^= a >> 32;
	return a * 0x9e3779b97f4a7c15ull;
}

#endif
