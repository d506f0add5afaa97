/* Growing an array one element at a time, its capacity doubled. */
#ifndef BGPS_UTIL_GROW_H
#define BGPS_UTIL_GROW_H

#include <stddef.h>
#include <stdlib.h>

/* Room for element n of an array of cap elements of size bytes: the
 * array (moved or not), cap doubled when it was full; NULL when memory
 * runs out (the array is then untouched). */
static inline void *
grow_array(void *p, size_t *cap, size_t n, size_t size)
{
	size_t c;

	if (n < *cap)
		return p;
	c = *cap ? *cap * 2 : 64;
	if ((p = realloc(p, c * size)) != NULL)
		*cap = c;
	return p;
}

#endif
