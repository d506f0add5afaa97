/* RIS Live decoding, per core: real ris_message lines (one a line) through
 *   parse   cJSON alone: parse and free (the floor: the library's share),
 *   decode  rislive_decode: the JSON read into BGP UPDATEs in wire form,
 *   rib     the whole client path without the network: decode, the BGP
 *           codec, route events, and the RIB (a rislive source's input),
 * in CPU time of one thread, median of --runs runs of at least --min
 * messages. The RIB is fresh for each run. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "feed/feed_rislive.h"
#include "util/arena.h"
#include "util/log.h"
#include "wire/rislive.h"

#define MAX_RUNS	32

struct line {
	const char	*s;
	size_t		 len;
};

static struct line *lines;
static size_t nlines, nbytes;

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
load(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *p, *nl;
	size_t cap = 0, size = 0, n;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	do {
		if (size + 65536 > cap && (buf = realloc(buf, cap = cap * 2 +
		    65536)) == NULL)
			exit(2);
		n = fread(buf + size, 1, cap - size - 1, f);
		size += n;
	} while (n > 0);
	fclose(f);
	buf[size] = '\0';
	for (p = buf; p < buf + size; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = buf + size;
		if (nl > p) {
			if ((lines = realloc(lines, (nlines + 1) *
			    sizeof(*lines))) == NULL)
				exit(2);
			lines[nlines].s = p;
			lines[nlines].len = (size_t)(nl - p);
			nbytes += lines[nlines].len;
			nlines++;
		}
	}
}

static uint64_t
pass_parse(void)
{
	uint64_t ok = 0;

	for (size_t i = 0; i < nlines; i++) {
		cJSON *j = cJSON_ParseWithLength(lines[i].s, lines[i].len);

		ok += j != NULL;
		cJSON_Delete(j);
	}
	return ok;
}

static uint64_t
pass_decode(struct arena *a)
{
	uint64_t prefixes = 0;
	struct rislive_msg m;
	char err[160];

	for (size_t i = 0; i < nlines; i++) {
		arena_reset(a);
		if (rislive_decode(lines[i].s, lines[i].len, a, &m, err,
		    sizeof(err)))
			prefixes += m.nannounced + m.nwithdrawn;
	}
	return prefixes;
}

static uint64_t
pass_rib(struct feed_source *src)
{
	uint64_t before = src->counters.announcements +
	    src->counters.withdrawals;

	for (size_t i = 0; i < nlines; i++)
		feed_rislive_input(src, lines[i].s, lines[i].len);
	return src->counters.announcements + src->counters.withdrawals - before;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

int
main(int argc, char **argv)
{
	double parse[MAX_RUNS], decode[MAX_RUNS], rib[MAX_RUNS];
	uint64_t prefixes = 0, routes = 0;
	size_t min = 300000, passes;
	int runs = 5;
	struct arena a;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--min") == 0 && i + 1 < argc)
			min = strtoull(argv[++i], NULL, 10);
		else
			load(argv[i]);
	}
	if (nlines == 0 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: bench_rislive [--runs N] [--min "
		    "MESSAGES] FILE.jsonl...\n");
		return 2;
	}
	log_set_level(LOG_ERROR);
	arena_init(&a, 64 * 1024);
	passes = (min + nlines - 1) / nlines;
	for (int r = 0; r < runs; r++) {
		struct feed_rislive_config c = { .name = "bench" };
		struct feed_source *src;
		struct feed_apply fa;
		struct rib *rb;
		double t;

		t = cpu_now();
		for (size_t p = 0; p < passes; p++)
			(void)pass_parse();
		parse[r] = (double)(passes * nlines) / (cpu_now() - t);
		t = cpu_now();
		for (size_t p = 0; p < passes; p++)
			prefixes = pass_decode(&a);
		decode[r] = (double)(passes * nlines) / (cpu_now() - t);
		if ((rb = rib_new()) == NULL)
			return 2;
		feed_apply_init(&fa, rb);
		if ((src = feed_rislive_new(rb, &c, feed_apply_sink, &fa)) ==
		    NULL)
			return 2;
		t = cpu_now();
		for (size_t p = 0; p < passes; p++)
			(void)pass_rib(src);
		rib[r] = (double)(passes * nlines) / (cpu_now() - t);
		routes = rb->routes;
		src->ops->free(src);
		feed_apply_done(&fa);
		rib_free(rb);
	}
	printf("messages %zu, bytes %zu (mean %.0f a message), prefixes %llu, "
	    "routes in the RIB %llu\n", nlines, nbytes, (double)nbytes /
	    (double)nlines, (unsigned long long)prefixes,
	    (unsigned long long)routes);
	printf("CPU time of one core, median of %d runs of %zu messages\n",
	    runs, passes * nlines);
	printf("%-34s %12s %9s %11s\n", "stage", "messages/s", "MB/s",
	    "vs parse");
	{
		const char *name[3] = { "parse (cJSON alone)",
		    "decode (JSON to BGP UPDATEs)", "into the RIB (whole client)" };
		double med[3] = { median(parse, runs), median(decode, runs),
		    median(rib, runs) };

		for (int k = 0; k < 3; k++)
			printf("%-34s %12.0f %9.1f %10.2fx\n", name[k], med[k],
			    med[k] * (double)nbytes / (double)nlines / 1e6,
			    med[0] / med[k]);
	}
	arena_free(&a);
	return 0;
}
