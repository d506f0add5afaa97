/* Writes fuzz seeds from real MRT files: whole messages (with a session
 * byte) for fuzz_bgp_msg, and OPEN/UPDATE bodies for the others. At most
 * --max seeds per target, preferring distinct sizes and attributes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/zfile.h"
#include "wire/mrt.h"

static unsigned counts[4], maxn = 400;
static unsigned char seen_len[4][65536 / 8];

static void
put(int kind, const char *dir, uint8_t sess, const uint8_t *p, size_t n)
{
	static const char *const names[] = { "msg", "open", "update", "mrt" };
	char path[4096];
	FILE *f;

	if (counts[kind] >= maxn || n > 65535 ||
	    (seen_len[kind][n / 8] >> (n % 8)) & 1)
		return;
	seen_len[kind][n / 8] |= (unsigned char)(1u << (n % 8));
	snprintf(path, sizeof(path), "%s/%s/seed-%05u", dir, names[kind],
	    counts[kind]);
	f = fopen(path, "wb");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	counts[kind]++;
	fputc(sess, f);
	fwrite(p, 1, n, f);
	fclose(f);
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: seed_extract OUTDIR MRT-FILE...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		char err[512];
		uint8_t *buf;
		size_t len, pos = 0;
		struct mrt_record r;
		struct mrt_bgp4mp b;

		if (zfile_read(argv[i], &buf, &len, err, sizeof(err)) ==
		    ZFILE_ERROR)
			continue;
		/* the file's first records, up to 16 KiB, for fuzz_mrt */
		{
			size_t cut = 0, p2 = 0;

			while (mrt_next(buf, len, &p2, &r) == MRT_OK &&
			    p2 <= 16384)
				cut = p2;
			if (cut > 0) {
				put(3, argv[1], 0, buf, cut);
				put(3, argv[1], 1, buf, cut);
			}
		}
		while (mrt_next(buf, len, &pos, &r) == MRT_OK) {
			static uint8_t scratch[BGP_MAX_EXT_MSG_LEN];
			const uint8_t *msg;
			size_t mlen;
			uint8_t sess;

			if (mrt_bgp4mp_parse(&r, &b) != MRT_OK ||
			    (msg = mrt_bgp4mp_message(&b, scratch,
			    &mlen)) == NULL || mlen < 19)
				continue;
			sess = (uint8_t)(b.session.as4 | 2 |
			    (b.session.addpath_rx << 2));
			put(0, argv[1], sess, msg, mlen);
			if (msg[18] == 1)
				put(1, argv[1], sess, msg + 19, mlen - 19);
			if (msg[18] == 2)
				put(2, argv[1], sess, msg + 19, mlen - 19);
		}
		free(buf);
	}
	printf("seeds: msg %u, open %u, update %u, mrt %u\n", counts[0],
	    counts[1], counts[2], counts[3]);
	return 0;
}
