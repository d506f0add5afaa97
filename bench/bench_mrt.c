/* MRT decode throughput: a file decompressed into memory once, then read
 * into route elements again and again (no text output) until at least
 * --min elements, on one core; decompression is timed on its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "util/memsrc.h"
#include "util/zfile.h"
#include "util/zstream.h"
#include "wire/mrt.h"

static int
count(const struct mrt_elem *e, void *arg)
{
	unsigned long long *n = arg;

	*n += e->prefix.len + 1 != 0;	/* touch the element */
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long long min = 5000000, per_pass = 0;
	int runs = 5;
	const char *path = NULL;
	char err[512];
	uint8_t *buf;
	size_t len;
	double rates[32], t0, dz;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--min") == 0 && i + 1 < argc)
			min = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else
			path = argv[i];
	}
	if (path == NULL || runs < 1 || runs > 32) {
		fprintf(stderr, "usage: bench_mrt [--min N] [--runs N] FILE\n");
		return 2;
	}
	/* decompression alone, streaming */
	{
		struct zstream *z = zstream_open(path, err, sizeof(err));
		static uint8_t chunk[1 << 16];
		unsigned long long out = 0;
		ssize_t n;

		if (z == NULL) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		t0 = bench_now();
		while ((n = zstream_read(z, chunk, sizeof(chunk))) > 0)
			out += (unsigned long long)n;
		dz = bench_now() - t0;
		zstream_close(z);
		printf("decompress_mb_per_s %.1f (%llu bytes in %.3f s)\n",
		    out / dz / 1e6, out, dz);
	}
	if (zfile_read(path, &buf, &len, err, sizeof(err)) == ZFILE_ERROR) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	for (int r = 0; r < runs; r++) {
		unsigned long long n = 0, passes = 0;
		double dt;

		t0 = bench_now();
		while (n < min) {
			struct memsrc m = { buf, len, 0 };
			struct mrt_reader *rd = mrt_reader_new(memsrc_read, &m);

			mrt_reader_run(rd, count, &n);
			mrt_reader_free(rd);
			passes++;
		}
		dt = bench_now() - t0;
		per_pass = n / passes;
		rates[r] = (double)n / dt;
	}
	qsort(rates, (size_t)runs, sizeof(rates[0]), bench_cmp_double);
	printf("elements_per_pass %llu\n", per_pass);
	printf("decode_elements_per_s %.0f\n", rates[runs / 2]);
	printf("decode_ns_per_element %.1f\n", 1e9 / rates[runs / 2]);
	printf("runs %d (min %.0f max %.0f elements/s)\n", runs, rates[0],
	    rates[runs - 1]);
	free(buf);
	return 0;
}
