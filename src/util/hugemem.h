/* Large arrays in transparent huge pages. A table of millions of slots
 * read at random costs a TLB miss, and in a virtual machine a long page
 * walk, on nearly every access with 4 KiB pages; with 2 MiB pages the
 * walks all but vanish, and a prefetch need not wait for one. Arrays
 * under 2 MiB come from malloc as before. */
#ifndef BGPS_UTIL_HUGEMEM_H
#define BGPS_UTIL_HUGEMEM_H

#include <stddef.h>

#define HUGEMEM_PAGE	((size_t)2 << 20)

/* n zeroed bytes, or NULL. */
void	*huge_calloc(size_t n);
/* Frees what huge_calloc(n) returned (the same n). */
void	 huge_free(void *p, size_t n);

#endif
