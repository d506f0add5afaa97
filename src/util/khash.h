/* Keyed hashing of data that may come from the network (SipHash-2-4
 * through libsodium, with a per-process random key), so that nobody can
 * choose inputs that collide in our tables. */
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

#endif
