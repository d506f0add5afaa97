/* A byte source over memory, for readers that take a read callback
 * (the MRT reader): tests, benchmarks and fuzz targets. */
#ifndef BGPS_UTIL_MEMSRC_H
#define BGPS_UTIL_MEMSRC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

struct memsrc {
	const uint8_t	*p;
	size_t		 len;
	size_t		 pos;
};

static inline ssize_t
memsrc_read(void *arg, void *buf, size_t n)
{
	struct memsrc *m = arg;
	size_t k = m->len - m->pos < n ? m->len - m->pos : n;

	if (k > 0)
		memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

#endif
