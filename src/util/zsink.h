/* A streaming writer to a file or stdout that compresses on the fly
 * (gzip, bzip2, xz, zstd, or none), the counterpart of zstream. */
#ifndef BGPS_UTIL_ZSINK_H
#define BGPS_UTIL_ZSINK_H

#include <stdbool.h>
#include <stddef.h>

#include "util/zstream.h"

struct zsink;

/* Opens path ("-" for stdout) for writing in the given format. NULL on
 * failure, with the reason in err. */
struct zsink	*zsink_open(const char *path, enum zstream_format fmt,
		    char *err, size_t errlen);
bool		 zsink_write(struct zsink *z, const void *buf, size_t n);
/* Finishes the compressed stream and closes the file; false if anything
 * failed since opening (zsink_error says what). Frees z either way. */
bool		 zsink_close(struct zsink *z, char *err, size_t errlen);
/* The format a file name asks for: .gz, .bz2, .xz, .zst, else none. */
enum zstream_format zsink_format_for(const char *path);

#endif
