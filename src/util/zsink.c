#include "util/zsink.h"

#include <bzlib.h>
#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define ZK_OUTBUF	(256 * 1024)

struct zsink {
	FILE			*f;
	bool			 own;
	bool			 failed;
	enum zstream_format	 fmt;
	char			 err[256];
	union {
		z_stream	 gz;
		bz_stream	 bz;
		lzma_stream	 xz;
		ZSTD_CStream	*zs;
	} c;
	uint8_t			 out[ZK_OUTBUF];
};

enum zstream_format
zsink_format_for(const char *path)
{
	size_t n = strlen(path);

	if (n > 3 && strcmp(path + n - 3, ".gz") == 0)
		return ZS_GZIP;
	if (n > 4 && strcmp(path + n - 4, ".bz2") == 0)
		return ZS_BZIP2;
	if (n > 3 && strcmp(path + n - 3, ".xz") == 0)
		return ZS_XZ;
	if (n > 4 && strcmp(path + n - 4, ".zst") == 0)
		return ZS_ZSTD;
	return ZS_PLAIN;
}

static bool
zk_fail(struct zsink *z, const char *what)
{
	if (!z->failed)
		snprintf(z->err, sizeof(z->err), "%s", what);
	z->failed = true;
	return false;
}

static bool
zk_put(struct zsink *z, const void *p, size_t n)
{
	if (n > 0 && fwrite(p, 1, n, z->f) != n)
		return zk_fail(z, strerror(errno));
	return true;
}

struct zsink *
zsink_open(const char *path, enum zstream_format fmt, char *err,
    size_t errlen)
{
	struct zsink *z = calloc(1, sizeof(*z));
	bool ok = true;

	if (z == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		z->f = stdout;
	} else {
		z->f = fopen(path, "wb");
		z->own = true;
		if (z->f == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(z);
			return NULL;
		}
	}
	z->fmt = fmt;
	switch (fmt) {
	case ZS_PLAIN:
		break;
	case ZS_GZIP:
		ok = deflateInit2(&z->c.gz, 6, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY) == Z_OK;
		break;
	case ZS_BZIP2:
		ok = BZ2_bzCompressInit(&z->c.bz, 9, 0, 0) == BZ_OK;
		break;
	case ZS_XZ:
		z->c.xz = (lzma_stream)LZMA_STREAM_INIT;
		ok = lzma_easy_encoder(&z->c.xz, 6, LZMA_CHECK_CRC64) ==
		    LZMA_OK;
		break;
	case ZS_ZSTD:
		z->c.zs = ZSTD_createCStream();
		ok = z->c.zs != NULL &&
		    !ZSTD_isError(ZSTD_initCStream(z->c.zs, 3));
		break;
	}
	if (!ok) {
		snprintf(err, errlen, "%s: cannot start the compressor", path);
		if (z->own)
			fclose(z->f);
		if (fmt == ZS_ZSTD)
			ZSTD_freeCStream(z->c.zs);
		free(z);
		return NULL;
	}
	return z;
}

/* Runs the compressor over n input bytes (or finishes it when fin). */
static bool
zk_run(struct zsink *z, const uint8_t *p, size_t n, bool fin)
{
	switch (z->fmt) {
	case ZS_PLAIN:
		return zk_put(z, p, n);
	case ZS_GZIP: {
		z_stream *g = &z->c.gz;
		int r;

		g->next_in = (uint8_t *)p;
		g->avail_in = (uInt)n;
		do {
			g->next_out = z->out;
			g->avail_out = sizeof(z->out);
			r = deflate(g, fin ? Z_FINISH : Z_NO_FLUSH);
			if (r == Z_STREAM_ERROR)
				return zk_fail(z, "gzip compression failed");
			if (!zk_put(z, z->out, sizeof(z->out) - g->avail_out))
				return false;
		} while (g->avail_out == 0 || (fin && r != Z_STREAM_END));
		return true;
	}
	case ZS_BZIP2: {
		bz_stream *b = &z->c.bz;
		int r;

		b->next_in = (char *)p;
		b->avail_in = (unsigned)n;
		do {
			b->next_out = (char *)z->out;
			b->avail_out = sizeof(z->out);
			r = BZ2_bzCompress(b, fin ? BZ_FINISH : BZ_RUN);
			if (r < 0)
				return zk_fail(z, "bzip2 compression failed");
			if (!zk_put(z, z->out, sizeof(z->out) - b->avail_out))
				return false;
		} while (b->avail_in > 0 || (fin && r != BZ_STREAM_END));
		return true;
	}
	case ZS_XZ: {
		lzma_stream *x = &z->c.xz;
		lzma_ret r;

		x->next_in = p;
		x->avail_in = n;
		do {
			x->next_out = z->out;
			x->avail_out = sizeof(z->out);
			r = lzma_code(x, fin ? LZMA_FINISH : LZMA_RUN);
			if (r != LZMA_OK && r != LZMA_STREAM_END)
				return zk_fail(z, "xz compression failed");
			if (!zk_put(z, z->out, sizeof(z->out) - x->avail_out))
				return false;
		} while (x->avail_in > 0 || x->avail_out == 0 ||
		    (fin && r != LZMA_STREAM_END));
		return true;
	}
	case ZS_ZSTD: {
		ZSTD_inBuffer in = { p, n, 0 };
		size_t r;

		do {
			ZSTD_outBuffer out = { z->out, sizeof(z->out), 0 };

			r = fin ? ZSTD_endStream(z->c.zs, &out) :
			    ZSTD_compressStream(z->c.zs, &out, &in);
			if (ZSTD_isError(r))
				return zk_fail(z, "zstd compression failed");
			if (!zk_put(z, z->out, out.pos))
				return false;
		} while (fin ? r != 0 : in.pos < in.size);
		return true;
	}
	}
	return false;
}

bool
zsink_write(struct zsink *z, const void *buf, size_t n)
{
	if (z->failed)
		return false;
	return zk_run(z, buf, n, false);
}

bool
zsink_close(struct zsink *z, char *err, size_t errlen)
{
	bool ok = !z->failed && zk_run(z, NULL, 0, true);

	switch (z->fmt) {
	case ZS_PLAIN: break;
	case ZS_GZIP: deflateEnd(&z->c.gz); break;
	case ZS_BZIP2: BZ2_bzCompressEnd(&z->c.bz); break;
	case ZS_XZ: lzma_end(&z->c.xz); break;
	case ZS_ZSTD: ZSTD_freeCStream(z->c.zs); break;
	}
	if (fflush(z->f) != 0)
		ok = zk_fail(z, strerror(errno));
	if (z->own && fclose(z->f) != 0)
		ok = zk_fail(z, strerror(errno));
	if (!ok)
		snprintf(err, errlen, "%s", z->err);
	free(z);
	return ok;
}
