/* MRT decode throughput: a file decompressed into memory once, then read
 * into route elements again and again (no text output) until at least
 * --min elements, on one core; decompression is timed on its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/zfile.h"
#include "util/zstream.h"
#include "wire/mrt.h"

struct memsrc {
	const uint8_t	*p;
	size_t		 len;
	size_t		 pos;
};

static ssize_t
mem_read(void *arg, void *buf, size_t n)
{
	struct memsrc *m = arg;
	size_t k = m->len - m->pos < n ? m->len - m->pos : n;

	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

static int
count(const struct mrt_elem *e, void *arg)
{
	unsigned long long *n = arg;

	*n += e->prefix.len + 1 != 0;	/* touch the element */
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
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
		t0 = now();
		while ((n = zstream_read(z, chunk, sizeof(chunk))) > 0)
			out += (unsigned long long)n;
		dz = now() - t0;
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

		t0 = now();
		while (n < min) {
			struct memsrc m = { buf, len, 0 };
			struct mrt_reader *rd = mrt_reader_new(mem_read, &m);

			mrt_reader_run(rd, count, &n);
			mrt_reader_free(rd);
			passes++;
		}
		dt = now() - t0;
		per_pass = n / passes;
		rates[r] = (double)n / dt;
	}
	qsort(rates, (size_t)runs, sizeof(rates[0]), cmp_double);
	printf("elements_per_pass %llu\n", per_pass);
	printf("decode_elements_per_s %.0f\n", rates[runs / 2]);
	printf("decode_ns_per_element %.1f\n", 1e9 / rates[runs / 2]);
	printf("runs %d (min %.0f max %.0f elements/s)\n", runs, rates[0],
	    rates[runs - 1]);
	free(buf);
	return 0;
}
