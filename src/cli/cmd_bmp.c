/* bgpsentry bmp dump FILE...: the messages of raw BMP streams (as a
 * station receives them over TCP, captured to a file), one JSON object
 * per line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/arena.h"
#include "util/json_out.h"
#include "util/strbuf.h"
#include "util/zstream.h"
#include "wire/bmp.h"

static void
bmp_usage(FILE *f)
{
	fprintf(f,
	    "usage: bgpsentry bmp [--json] [CONNECTION]\n"
	    "       bgpsentry bmp dump FILE...\n"
	    "The first: the BMP routers of the running daemon, their peers\n"
	    "and tables (CONNECTION as for bgpsentry sources).\n"
	    "Prints each message of raw BMP streams (RFC 7854, 8671, 9069;\n"
	    "plain or compressed; '-' reads stdin) as one JSON object a line,\n"
	    "with the byte offset of each. A message that does not parse is\n"
	    "a line with its error, and the next is read; a stream whose\n"
	    "framing breaks stops there.\n"
	    "Exit status: 0, 1 if a message or a stream is bad, 2 usage or\n"
	    "open error.\n");
}

static int
dump_stream(const char *path, struct strbuf *out)
{
	char err[512];
	struct zstream *z = zstream_open(path, err, sizeof(err));
	uint8_t *buf;
	size_t len = 0, cap = 2 * BMP_MSG_MAX, off = 0;
	uint64_t base = 0;
	struct arena a;
	int rc = 0;

	if (z == NULL) {
		fprintf(stderr, "bgpsentry bmp dump: %s\n", err);
		return EXIT_USAGE;
	}
	if ((buf = malloc(cap)) == NULL) {
		zstream_close(z);
		return EXIT_USAGE;
	}
	arena_init(&a, 64 * 1024);
	for (;;) {
		const char *why = NULL;
		struct bmp_msg m;
		struct jw j;
		long n;

		n = bmp_frame(buf + off, len - off, &why);
		if (n == 0) {
			ssize_t got;

			memmove(buf, buf + off, len - off);
			base += off;
			len -= off;
			off = 0;
			got = zstream_read(z, buf + len, cap - len);
			if (got < 0) {
				fprintf(stderr, "bgpsentry bmp dump: %s: %s\n",
				    path, zstream_error(z));
				rc = EXIT_BAD_INPUT;
				break;
			}
			if (got == 0) {
				if (len > 0) {
					fprintf(stderr, "bgpsentry bmp dump: "
					    "%s: the stream ends inside a "
					    "message at byte offset %llu\n",
					    path, (unsigned long long)base);
					rc = EXIT_BAD_INPUT;
				}
				break;
			}
			len += (size_t)got;
			continue;
		}
		if (n < 0) {
			fprintf(stderr, "bgpsentry bmp dump: %s: byte offset "
			    "%llu: %s; the rest of the stream is not read\n",
			    path, (unsigned long long)(base + off), why);
			rc = EXIT_BAD_INPUT;
			break;
		}
		arena_reset(&a);
		sb_reset(out);
		jw_init(&j, out);
		if (bmp_decode(buf + off, (size_t)n, &a, &m, &why)) {
			bmp_msg_json(&m, &j);
			/* the offset goes in as the first key */
			printf("{\"offset\":%llu,%s\n",
			    (unsigned long long)(base + off), sb_str(out) + 1);
		} else {
			jw_obj_begin(&j);
			jw_ku64(&j, "offset", base + off);
			jw_ku64(&j, "type", buf[off + 5]);
			jw_kstr(&j, "error", why);
			jw_obj_end(&j);
			printf("%s\n", sb_str(out));
			rc = EXIT_BAD_INPUT;
		}
		off += (size_t)n;
	}
	arena_free(&a);
	free(buf);
	zstream_close(z);
	return rc;
}

int
cmd_bmp(int argc, char **argv)
{
	struct strbuf out;
	int rc = 0;

	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		bmp_usage(stdout);
		return 0;
	}
	/* without dump: the running daemon's routers */
	if (argc < 2 || strcmp(argv[1], "dump") != 0)
		return cmd_client(argc, argv);
	if (argc < 3) {
		bmp_usage(stderr);
		return EXIT_USAGE;
	}
	sb_init(&out);
	for (int i = 2; i < argc; i++) {
		int r = dump_stream(argv[i], &out);

		if (r > rc)
			rc = r;
	}
	sb_free(&out);
	fflush(stdout);
	return rc;
}
