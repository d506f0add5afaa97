/* Prefetch hints that stay in the program. GCC sees __builtin_prefetch
 * as free of side effects: a function that does nothing else is found
 * pure, and a call to it whose result is unused is deleted, hint and
 * all (GCC 12 drops htab_prefetch that way). The empty volatile asm
 * that takes the address is a side effect the optimizer keeps; it
 * costs no instruction. */
#ifndef BGPS_UTIL_PREFETCH_H
#define BGPS_UTIL_PREFETCH_H

static inline void
prefetch(const void *p)
{
	__builtin_prefetch(p);
	__asm__ volatile("" : : "r"(p));
}

/* For a line about to be written. */
static inline void
prefetch_w(const void *p)
{
	__builtin_prefetch(p, 1);
	__asm__ volatile("" : : "r"(p));
}

#endif
