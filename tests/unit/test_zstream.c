/* The streaming decompressor: every format, concatenated streams, odd
 * read sizes, and truncated input (an error after the good prefix). The
 * compressed files are made here with the same libraries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <bzlib.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "testutil.h"
#include "util/zsink.h"
#include "util/zstream.h"

#define PLAIN_LEN (3u << 20)

static uint8_t *plain;

static int
setup(void **state)
{
	uint32_t x = 12345;

	(void)state;
	plain = malloc(PLAIN_LEN);
	/* compressible but not trivial: text-like runs with noise */
	for (size_t i = 0; i < PLAIN_LEN; i++) {
		x = x * 1103515245u + 12345u;
		plain[i] = (uint8_t)("TABLE_DUMP2|B|193.0.0.56|"[i % 25] ^
		    ((x >> 24) & 3));
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(plain);
	return 0;
}

/* Compresses src into a malloc'd buffer in the given format. */
static uint8_t *
make_compressed(enum zstream_format f, const uint8_t *src, size_t n, size_t *out)
{
	size_t cap = n + n / 2 + 65536;
	uint8_t *dst = malloc(cap);

	switch (f) {
	case ZS_GZIP: {
		z_stream z;

		memset(&z, 0, sizeof(z));
		assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY), Z_OK);
		z.next_in = (uint8_t *)src;
		z.avail_in = (uInt)n;
		z.next_out = dst;
		z.avail_out = (uInt)cap;
		assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
		*out = cap - z.avail_out;
		deflateEnd(&z);
		break;
	}
	case ZS_BZIP2: {
		unsigned len = (unsigned)cap;

		assert_int_equal(BZ2_bzBuffToBuffCompress((char *)dst, &len,
		    (char *)src, (unsigned)n, 9, 0, 0), BZ_OK);
		*out = len;
		break;
	}
	case ZS_XZ: {
		size_t pos = 0;

		assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64,
		    NULL, src, n, dst, &pos, cap), LZMA_OK);
		*out = pos;
		break;
	}
	case ZS_ZSTD:
		*out = ZSTD_compress(dst, cap, src, n, 3);
		assert_false(ZSTD_isError(*out));
		break;
	case ZS_PLAIN:
		memcpy(dst, src, n);
		*out = n;
		break;
	}
	return dst;
}

static char *
write_tmp(const uint8_t *p, size_t n)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/bgps-zstream-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
	return path;
}

/* Reads everything with the given read size; returns the byte count and
 * whether it ended in an error. */
static size_t
drain(const char *path, size_t chunk, uint8_t *got, size_t cap, int *err,
    enum zstream_format *fmt)
{
	char e[256];
	struct zstream *z = zstream_open(path, e, sizeof(e));
	size_t total = 0;
	ssize_t n;

	assert_non_null(z);
	*fmt = zstream_format(z);
	while ((n = zstream_read(z, got + total, chunk < cap - total ?
	    chunk : cap - total)) > 0)
		total += (size_t)n;
	*err = n < 0;
	if (*err)
		assert_non_null(strstr(zstream_error(z), "truncated"));
	zstream_close(z);
	return total;
}

static void
check_format(enum zstream_format f)
{
	size_t clen, clen2, total;
	uint8_t *c1 = make_compressed(f, plain, PLAIN_LEN / 2, &clen);
	uint8_t *c2 = make_compressed(f, plain + PLAIN_LEN / 2, PLAIN_LEN / 2, &clen2);
	uint8_t *both = malloc(clen + clen2), *got = malloc(PLAIN_LEN + 16);
	enum zstream_format seen;
	char *path;
	int err;

	/* two streams back to back, read in odd and large chunks */
	memcpy(both, c1, clen);
	memcpy(both + clen, c2, clen2);
	path = write_tmp(both, clen + clen2);
	for (size_t chunk = 1; chunk <= 1u << 20; chunk *= 97) {
		memset(got, 0, PLAIN_LEN);
		total = drain(path, chunk, got, PLAIN_LEN + 16, &err, &seen);
		assert_int_equal(seen, f);
		assert_false(err);
		assert_int_equal(total, PLAIN_LEN);
		assert_memory_equal(got, plain, PLAIN_LEN);
	}
	unlink(path);

	/* truncated: an error, after a prefix of the right bytes */
	if (f != ZS_PLAIN) {
		path = write_tmp(c1, clen * 2 / 3);
		total = drain(path, 4096, got, PLAIN_LEN + 16, &err, &seen);
		assert_true(err);
		assert_true(total < PLAIN_LEN / 2);
		assert_memory_equal(got, plain, total);
		unlink(path);
	}
	free(c1);
	free(c2);
	free(both);
	free(got);
}

static void plain_file(void **s) { (void)s; check_format(ZS_PLAIN); }
static void gzip_file(void **s) { (void)s; check_format(ZS_GZIP); }
static void bzip2_file(void **s) { (void)s; check_format(ZS_BZIP2); }
static void xz_file(void **s) { (void)s; check_format(ZS_XZ); }
static void zstd_file(void **s) { (void)s; check_format(ZS_ZSTD); }

/* What zsink writes, zstream reads back, in every format, from writes of
 * many sizes. */
static void
sink_round_trip(void **state)
{
	static const enum zstream_format fmts[] = { ZS_PLAIN, ZS_GZIP,
	    ZS_BZIP2, ZS_XZ, ZS_ZSTD };
	static const char *const names[] = { "x.mrt", "x.gz", "x.bz2", "x.xz",
	    "x.zst" };
	uint8_t *got = malloc(PLAIN_LEN + 16);
	char path[64], err[256];

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		struct zsink *z;
		enum zstream_format seen;
		size_t off = 0, step = 1, total;
		int e;
		int fd;

		assert_int_equal(zsink_format_for(names[i]), fmts[i]);
		snprintf(path, sizeof(path), "/tmp/bgps-zsink-XXXXXX");
		fd = mkstemp(path);
		assert_true(fd >= 0);
		close(fd);
		z = zsink_open(path, fmts[i], err, sizeof(err));
		assert_non_null(z);
		while (off < PLAIN_LEN) {
			size_t n = step < PLAIN_LEN - off ? step : PLAIN_LEN - off;

			assert_true(zsink_write(z, plain + off, n));
			off += n;
			step = step * 7 + 1;
		}
		assert_true(zsink_close(z, err, sizeof(err)));
		total = drain(path, 65536, got, PLAIN_LEN + 16, &e, &seen);
		assert_int_equal(seen, fmts[i]);
		assert_false(e);
		assert_int_equal(total, PLAIN_LEN);
		assert_memory_equal(got, plain, PLAIN_LEN);
		unlink(path);
	}
	free(got);
}

static void
missing_file(void **state)
{
	char e[256];

	(void)state;
	assert_null(zstream_open("/nonexistent/x.gz", e, sizeof(e)));
	assert_non_null(strstr(e, "/nonexistent/x.gz: No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_file),
		cmocka_unit_test(gzip_file),
		cmocka_unit_test(bzip2_file),
		cmocka_unit_test(xz_file),
		cmocka_unit_test(zstd_file),
		cmocka_unit_test(sink_round_trip),
		cmocka_unit_test(missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
