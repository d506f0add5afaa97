/* A streaming reader over a file or stdin that decompresses gzip, bzip2,
 * xz or zstd on the fly (recognized by magic bytes, not the name). Memory
 * stays constant whatever the file size. */
#ifndef BGPS_UTIL_ZSTREAM_H
#define BGPS_UTIL_ZSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct zstream;

enum zstream_format { ZS_PLAIN, ZS_GZIP, ZS_BZIP2, ZS_XZ, ZS_ZSTD };

/* Opens path ("-" for stdin). NULL on failure, with the reason in err. */
struct zstream	*zstream_open(const char *path, char *err, size_t errlen);
/* Reads up to n decompressed bytes. Returns the count, 0 at the end, or
 * -1 on an error (zstream_error says what: a read error, or a compressed
 * stream that is truncated or corrupt). */
ssize_t		 zstream_read(struct zstream *z, void *buf, size_t n);
const char	*zstream_error(const struct zstream *z);
enum zstream_format zstream_format(const struct zstream *z);
/* Compressed bytes read from the file so far. */
uint64_t	 zstream_bytes_in(const struct zstream *z);
void		 zstream_close(struct zstream *z);

#endif
