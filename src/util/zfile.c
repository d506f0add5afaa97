#include "util/zfile.h"

#include <bzlib.h>
#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "util/limits.h"

struct obuf {
	uint8_t	*p;
	size_t	 len;
	size_t	 cap;
};

/* Makes room for at least `want` more bytes; false past the limit. */
static bool
obuf_room(struct obuf *o, size_t want)
{
	size_t ncap;
	uint8_t *np;

	if (o->cap - o->len >= want)
		return true;
	ncap = o->cap ? o->cap : 1 << 20;
	while (ncap - o->len < want)
		ncap *= 2;
	if (ncap > MAX_INPUT_FILE_BYTES)
		return false;
	np = realloc(o->p, ncap);
	if (np == NULL)
		return false;
	o->p = np;
	o->cap = ncap;
	return true;
}

static bool
slurp(const char *path, struct obuf *o, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	for (;;) {
		if (!obuf_room(o, 1 << 16)) {
			snprintf(err, errlen, "%s: too large or out of memory",
			    path);
			fclose(f);
			return false;
		}
		n = fread(o->p + o->len, 1, o->cap - o->len, f);
		o->len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		fclose(f);
		return false;
	}
	fclose(f);
	return true;
}

/* gzip, possibly several members back to back (RFC 1952 2.2). */
static enum zfile_status
gunzip(const struct obuf *in, struct obuf *out)
{
	z_stream z;
	int r = Z_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return ZFILE_ERROR;
	z.next_in = in->p;
	z.avail_in = (uInt)in->len;
	while (z.avail_in > 0) {
		if (!obuf_room(out, 1 << 20)) {
			inflateEnd(&z);
			return ZFILE_ERROR;
		}
		z.next_out = out->p + out->len;
		z.avail_out = (uInt)(out->cap - out->len);
		r = inflate(&z, Z_NO_FLUSH);
		out->len = (size_t)(z.next_out - out->p);
		if (r == Z_STREAM_END) {
			if (z.avail_in == 0)
				break;
			inflateReset(&z);
			continue;
		}
		if (r != Z_OK && r != Z_BUF_ERROR)
			break;
		if (r == Z_BUF_ERROR && z.avail_out > 0)
			break;
	}
	inflateEnd(&z);
	return r == Z_STREAM_END ? ZFILE_OK : ZFILE_TRUNCATED;
}

static enum zfile_status
bunzip(const struct obuf *in, struct obuf *out)
{
	bz_stream b;
	int r = BZ_OK;

	memset(&b, 0, sizeof(b));
	if (BZ2_bzDecompressInit(&b, 0, 0) != BZ_OK)
		return ZFILE_ERROR;
	b.next_in = (char *)in->p;
	b.avail_in = (unsigned)in->len;
	for (;;) {
		if (!obuf_room(out, 1 << 20)) {
			BZ2_bzDecompressEnd(&b);
			return ZFILE_ERROR;
		}
		b.next_out = (char *)(out->p + out->len);
		b.avail_out = (unsigned)(out->cap - out->len);
		r = BZ2_bzDecompress(&b);
		out->len = (size_t)((uint8_t *)b.next_out - out->p);
		if (r == BZ_STREAM_END) {
			/* concatenated streams (pbzip2) */
			if (b.avail_in == 0)
				break;
			BZ2_bzDecompressEnd(&b);
			{
				char *ni = b.next_in;
				unsigned na = b.avail_in;

				memset(&b, 0, sizeof(b));
				if (BZ2_bzDecompressInit(&b, 0, 0) != BZ_OK)
					return ZFILE_ERROR;
				b.next_in = ni;
				b.avail_in = na;
			}
			continue;
		}
		if (r != BZ_OK)
			break;
		if (b.avail_in == 0 && b.avail_out > 0)
			break;	/* input ended inside a stream */
	}
	BZ2_bzDecompressEnd(&b);
	return r == BZ_STREAM_END ? ZFILE_OK : ZFILE_TRUNCATED;
}

static enum zfile_status
unxz(const struct obuf *in, struct obuf *out)
{
	lzma_stream x = LZMA_STREAM_INIT;
	lzma_ret r;

	if (lzma_stream_decoder(&x, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return ZFILE_ERROR;
	x.next_in = in->p;
	x.avail_in = in->len;
	for (;;) {
		if (!obuf_room(out, 1 << 20)) {
			lzma_end(&x);
			return ZFILE_ERROR;
		}
		x.next_out = out->p + out->len;
		x.avail_out = out->cap - out->len;
		r = lzma_code(&x, x.avail_in ? LZMA_RUN : LZMA_FINISH);
		out->len = (size_t)(x.next_out - out->p);
		if (r != LZMA_OK)
			break;
	}
	lzma_end(&x);
	return r == LZMA_STREAM_END ? ZFILE_OK : ZFILE_TRUNCATED;
}

static enum zfile_status
unzstd(const struct obuf *in, struct obuf *out)
{
	ZSTD_DStream *d = ZSTD_createDStream();
	ZSTD_inBuffer zi = { in->p, in->len, 0 };
	size_t r = 1;

	if (d == NULL)
		return ZFILE_ERROR;
	ZSTD_initDStream(d);
	while (zi.pos < zi.size) {
		ZSTD_outBuffer zo;

		if (!obuf_room(out, 1 << 20)) {
			ZSTD_freeDStream(d);
			return ZFILE_ERROR;
		}
		zo.dst = out->p + out->len;
		zo.size = out->cap - out->len;
		zo.pos = 0;
		r = ZSTD_decompressStream(d, &zo, &zi);
		out->len += zo.pos;
		if (ZSTD_isError(r))
			break;
		if (zo.pos == 0 && r != 0 && zi.pos == zi.size)
			break;
	}
	ZSTD_freeDStream(d);
	return r == 0 ? ZFILE_OK : ZFILE_TRUNCATED;
}

enum zfile_status
zfile_read(const char *path, uint8_t **buf, size_t *len, char *err,
    size_t errlen)
{
	struct obuf in = { 0 }, out = { 0 };
	enum zfile_status st;
	const uint8_t *m;

	*buf = NULL;
	*len = 0;
	if (!slurp(path, &in, err, errlen)) {
		free(in.p);
		return ZFILE_ERROR;
	}
	m = in.p;
	if (in.len >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		st = gunzip(&in, &out);
	else if (in.len >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h')
		st = bunzip(&in, &out);
	else if (in.len >= 6 && memcmp(m, "\xfd" "7zXZ\0", 6) == 0)
		st = unxz(&in, &out);
	else if (in.len >= 4 && memcmp(m, "\x28\xb5\x2f\xfd", 4) == 0)
		st = unzstd(&in, &out);
	else {
		*buf = in.p;
		*len = in.len;
		return ZFILE_OK;
	}
	free(in.p);
	if (st == ZFILE_ERROR) {
		snprintf(err, errlen, "%s: decompression failed (out of memory"
		    " or file too large)", path);
		free(out.p);
		return st;
	}
	if (st == ZFILE_TRUNCATED)
		snprintf(err, errlen, "%s: compressed stream is truncated or "
		    "corrupt after %zu bytes", path, out.len);
	*buf = out.p;
	*len = out.len;
	return st;
}
