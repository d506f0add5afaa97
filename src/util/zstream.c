#include "util/zstream.h"

#include <bzlib.h>
#include <errno.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define ZS_INBUF	(256 * 1024)

struct zstream {
	FILE			*f;
	bool			 own;		/* fclose at the end */
	bool			 eof;		/* no more compressed input */
	bool			 done;		/* decoder finished at EOF */
	bool			 failed;
	enum zstream_format	 fmt;
	uint64_t		 bytes_in;
	size_t			 in_pos;
	size_t			 in_len;
	char			 err[256];
	union {
		z_stream	 gz;
		bz_stream	 bz;
		lzma_stream	 xz;
		ZSTD_DStream	*zs;
	} d;
	bool			 zs_frame_open;	/* zstd: inside a frame */
	uint8_t			 in[ZS_INBUF];
};

static ssize_t
zs_fail(struct zstream *z, const char *fmt, const char *detail)
{
	z->failed = true;
	snprintf(z->err, sizeof(z->err), fmt, detail,
	    (unsigned long long)z->bytes_in);
	return -1;
}

/* Refills the input buffer when it is empty; false on a read error. */
static bool
zs_fill(struct zstream *z)
{
	size_t n;

	if (z->in_pos < z->in_len || z->eof)
		return true;
	n = fread(z->in, 1, sizeof(z->in), z->f);
	if (n == 0) {
		if (ferror(z->f)) {
			zs_fail(z, "read error: %s (after %llu bytes)",
			    strerror(errno));
			return false;
		}
		z->eof = true;
	}
	z->in_pos = 0;
	z->in_len = n;
	z->bytes_in += n;
	return true;
}

static enum zstream_format
sniff(const uint8_t *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return ZS_GZIP;
	if (n >= 3 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h')
		return ZS_BZIP2;
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return ZS_XZ;
	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return ZS_ZSTD;
	return ZS_PLAIN;
}

struct zstream *
zstream_open(const char *path, char *err, size_t errlen)
{
	struct zstream *z = calloc(1, sizeof(*z));
	bool ok = true;

	if (z == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		z->f = stdin;
	} else {
		z->f = fopen(path, "rb");
		z->own = true;
		if (z->f == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(z);
			return NULL;
		}
	}
	if (!zs_fill(z)) {
		snprintf(err, errlen, "%s: %s", path, z->err);
		zstream_close(z);
		return NULL;
	}
	z->fmt = sniff(z->in, z->in_len);
	switch (z->fmt) {
	case ZS_PLAIN:
		break;
	case ZS_GZIP:
		ok = inflateInit2(&z->d.gz, 15 + 32) == Z_OK;
		break;
	case ZS_BZIP2:
		ok = BZ2_bzDecompressInit(&z->d.bz, 0, 0) == BZ_OK;
		break;
	case ZS_XZ:
		z->d.xz = (lzma_stream)LZMA_STREAM_INIT;
		ok = lzma_stream_decoder(&z->d.xz, UINT64_MAX,
		    LZMA_CONCATENATED) == LZMA_OK;
		break;
	case ZS_ZSTD:
		z->d.zs = ZSTD_createDStream();
		ok = z->d.zs != NULL && !ZSTD_isError(ZSTD_initDStream(z->d.zs));
		break;
	}
	if (!ok) {
		snprintf(err, errlen, "%s: cannot start the decompressor", path);
		z->fmt = ZS_PLAIN;
		zstream_close(z);
		return NULL;
	}
	return z;
}

static ssize_t
read_plain(struct zstream *z, uint8_t *buf, size_t n)
{
	size_t k;

	if (!zs_fill(z))
		return -1;
	k = z->in_len - z->in_pos;
	if (k > n)
		k = n;
	memcpy(buf, z->in + z->in_pos, k);
	z->in_pos += k;
	return (ssize_t)k;
}

/* gzip members may follow each other (RFC 1952 2.2). */
static ssize_t
read_gzip(struct zstream *z, uint8_t *buf, size_t n)
{
	z_stream *g = &z->d.gz;

	g->next_out = buf;
	g->avail_out = (uInt)n;
	while (g->avail_out == n && !z->done) {
		int r;

		if (!zs_fill(z))
			return -1;
		if (z->in_pos == z->in_len && z->eof)
			return zs_fail(z, "gzip stream %s after %llu bytes",
			    "is truncated");
		g->next_in = z->in + z->in_pos;
		g->avail_in = (uInt)(z->in_len - z->in_pos);
		r = inflate(g, Z_NO_FLUSH);
		z->in_pos = z->in_len - g->avail_in;
		if (r == Z_STREAM_END) {
			if (!zs_fill(z))
				return -1;
			if (z->in_pos == z->in_len && z->eof)
				z->done = true;
			else
				inflateReset(g);
		} else if (r != Z_OK && r != Z_BUF_ERROR) {
			return zs_fail(z, "gzip stream is corrupt (%s) after "
			    "%llu bytes", g->msg ? g->msg : "inflate error");
		}
	}
	return (ssize_t)(n - g->avail_out);
}

/* bzip2 streams may be concatenated (pbzip2). */
static ssize_t
read_bzip2(struct zstream *z, uint8_t *buf, size_t n)
{
	bz_stream *b = &z->d.bz;
	size_t got = 0;

	while (got == 0 && !z->done) {
		int r;

		if (!zs_fill(z))
			return -1;
		if (z->in_pos == z->in_len && z->eof)
			return zs_fail(z, "bzip2 stream %s after %llu bytes",
			    "is truncated");
		b->next_in = (char *)z->in + z->in_pos;
		b->avail_in = (unsigned)(z->in_len - z->in_pos);
		b->next_out = (char *)buf;
		b->avail_out = (unsigned)n;
		r = BZ2_bzDecompress(b);
		z->in_pos = z->in_len - b->avail_in;
		got = n - b->avail_out;
		if (r == BZ_STREAM_END) {
			BZ2_bzDecompressEnd(b);
			memset(b, 0, sizeof(*b));
			if (!zs_fill(z))
				return -1;
			if (z->in_pos == z->in_len && z->eof) {
				z->done = true;
				/* a finished decoder needs no End */
				if (BZ2_bzDecompressInit(b, 0, 0) != BZ_OK)
					return zs_fail(z, "bzip2: %s (after "
					    "%llu bytes)", "cannot restart");
				break;
			}
			if (BZ2_bzDecompressInit(b, 0, 0) != BZ_OK)
				return zs_fail(z, "bzip2: %s (after %llu bytes)",
				    "cannot restart");
		} else if (r != BZ_OK) {
			return zs_fail(z, "bzip2 stream is corrupt (%s) after "
			    "%llu bytes", "data error");
		}
	}
	return (ssize_t)got;
}

static ssize_t
read_xz(struct zstream *z, uint8_t *buf, size_t n)
{
	lzma_stream *x = &z->d.xz;

	x->next_out = buf;
	x->avail_out = n;
	while (x->avail_out == n && !z->done) {
		lzma_ret r;

		if (!zs_fill(z))
			return -1;
		x->next_in = z->in + z->in_pos;
		x->avail_in = z->in_len - z->in_pos;
		r = lzma_code(x, z->eof ? LZMA_FINISH : LZMA_RUN);
		z->in_pos = z->in_len - x->avail_in;
		if (r == LZMA_STREAM_END) {
			z->done = true;
		} else if (r == LZMA_BUF_ERROR && z->eof) {
			return zs_fail(z, "xz stream %s after %llu bytes",
			    "is truncated");
		} else if (r != LZMA_OK && r != LZMA_BUF_ERROR) {
			return zs_fail(z, "xz stream is corrupt (%s) after "
			    "%llu bytes", "lzma error");
		}
	}
	return (ssize_t)(n - x->avail_out);
}

static ssize_t
read_zstd(struct zstream *z, uint8_t *buf, size_t n)
{
	ZSTD_outBuffer out = { buf, n, 0 };

	while (out.pos == 0 && !z->done) {
		ZSTD_inBuffer in;
		size_t r;

		if (!zs_fill(z))
			return -1;
		if (z->in_pos == z->in_len && z->eof) {
			if (z->zs_frame_open)
				return zs_fail(z, "zstd stream %s after %llu "
				    "bytes", "is truncated");
			z->done = true;
			break;
		}
		in.src = z->in;
		in.size = z->in_len;
		in.pos = z->in_pos;
		r = ZSTD_decompressStream(z->d.zs, &out, &in);
		z->in_pos = in.pos;
		if (ZSTD_isError(r))
			return zs_fail(z, "zstd stream is corrupt (%s) after "
			    "%llu bytes", ZSTD_getErrorName(r));
		z->zs_frame_open = r != 0;
	}
	return (ssize_t)out.pos;
}

ssize_t
zstream_read(struct zstream *z, void *buf, size_t n)
{
	if (z->failed)
		return -1;
	if (n == 0)
		return 0;
	switch (z->fmt) {
	case ZS_PLAIN: return read_plain(z, buf, n);
	case ZS_GZIP: return read_gzip(z, buf, n);
	case ZS_BZIP2: return read_bzip2(z, buf, n);
	case ZS_XZ: return read_xz(z, buf, n);
	case ZS_ZSTD: return read_zstd(z, buf, n);
	}
	return -1;
}

const char *
zstream_error(const struct zstream *z)
{
	return z->err;
}

enum zstream_format
zstream_format(const struct zstream *z)
{
	return z->fmt;
}

uint64_t
zstream_bytes_in(const struct zstream *z)
{
	return z->bytes_in;
}

void
zstream_close(struct zstream *z)
{
	if (z == NULL)
		return;
	switch (z->fmt) {
	case ZS_PLAIN: break;
	case ZS_GZIP: inflateEnd(&z->d.gz); break;
	case ZS_BZIP2: BZ2_bzDecompressEnd(&z->d.bz); break;
	case ZS_XZ: lzma_end(&z->d.xz); break;
	case ZS_ZSTD: ZSTD_freeDStream(z->d.zs); break;
	}
	if (z->own && z->f != NULL)
		fclose(z->f);
	free(z);
}
