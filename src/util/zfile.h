/* Reads a whole file into memory, decompressing gzip, bzip2, xz or zstd
 * (recognized by their magic bytes, not the name). */
#ifndef BGPS_UTIL_ZFILE_H
#define BGPS_UTIL_ZFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum zfile_status {
	ZFILE_OK,
	ZFILE_TRUNCATED,	/* the compressed stream ended early or is
				 * corrupt: *buf holds what came before */
	ZFILE_ERROR,		/* could not open/read/allocate: see err */
};

enum zfile_status zfile_read(const char *path, uint8_t **buf, size_t *len,
		    char *err, size_t errlen);

#endif
