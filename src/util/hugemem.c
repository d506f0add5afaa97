#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "util/hugemem.h"

static size_t
span(size_t n)
{
	return (n + HUGEMEM_PAGE - 1) & ~(HUGEMEM_PAGE - 1);
}

void *
huge_calloc(size_t n)
{
	size_t len, head;
	uint8_t *m, *p;

	if (n < HUGEMEM_PAGE)
		return calloc(1, n > 0 ? n : 1);
	len = span(n);
	/* one page more than needed, then trimmed to a 2 MiB boundary */
	m = mmap(NULL, len + HUGEMEM_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	head = (HUGEMEM_PAGE - (uintptr_t)m % HUGEMEM_PAGE) % HUGEMEM_PAGE;
	p = m + head;
	if (head > 0)
		munmap(m, head);
	munmap(p + len, HUGEMEM_PAGE - head);
	/* a hint: without THP (or with it off) these are 4 KiB pages */
	(void)madvise(p, len, MADV_HUGEPAGE);
	return p;
}

void
huge_free(void *p, size_t n)
{
	if (p == NULL)
		return;
	if (n < HUGEMEM_PAGE)
		free(p);
	else
		munmap(p, span(n));
}
