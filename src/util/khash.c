#include <pthread.h>
#include <stdbool.h>
#include <sodium.h>
#include <string.h>

#include "util/khash.h"

static unsigned char	key[crypto_shorthash_KEYBYTES];
uint64_t		khash_coef[KHASH_MAX_WORDS + 2];
static bool		ready;
static pthread_once_t	once = PTHREAD_ONCE_INIT;

static void
khash_start(void)
{
	if (sodium_init() < 0)
		return;
	crypto_shorthash_keygen(key);
	randombytes_buf(khash_coef, sizeof(khash_coef));
	ready = true;
}

bool
khash_init(void)
{
	pthread_once(&once, khash_start);
	return ready;
}

uint64_t
khash(const void *p, size_t n)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t h;

	crypto_shorthash(out, p, n, key);
	memcpy(&h, out, sizeof(h));
	return h;
}
