/* A reader thread: pulls from a byte source (a decompressor, say) into a
 * few large buffers while the caller works on the previous ones, so that
 * decompression and decoding use both cores. */
#ifndef BGPS_UTIL_READAHEAD_H
#define BGPS_UTIL_READAHEAD_H

#include <stddef.h>
#include <sys/types.h>

typedef ssize_t	(*ra_source_fn)(void *arg, void *buf, size_t n);

struct readahead;

/* Starts the thread; NULL if it cannot (then read the source directly). */
struct readahead *ra_start(ra_source_fn fn, void *arg);
/* As the source: bytes read, 0 at the end, -1 on the source's error. */
ssize_t		 ra_read(void *ra, void *buf, size_t n);
/* Stops the thread (it may be blocked in the source until it returns). */
void		 ra_stop(struct readahead *ra);

#endif
