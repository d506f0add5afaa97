/* Decode throughput: every BGP UPDATE from real MRT update files, decoded
 * again and again until at least --min messages, on one core. Prints
 * messages/s, prefixes/s and ns/message (median of --runs runs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "util/arena.h"
#include "util/zfile.h"
#include "wire/bgp.h"
#include "wire/mrt.h"

struct msgref {
	const uint8_t		*p;
	size_t			 len;
	struct bgp_session	 s;
};

static struct msgref *msgs;
static size_t nmsgs, capmsgs;

static void
load(const char *path, uint8_t **keep)
{
	char err[512];
	uint8_t *buf;
	size_t len, pos = 0;
	struct mrt_record r;
	struct mrt_bgp4mp b;

	if (zfile_read(path, &buf, &len, err, sizeof(err)) == ZFILE_ERROR) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	*keep = buf;
	while (mrt_next(buf, len, &pos, &r) == MRT_OK) {
		/* BGP4MP only: the deprecated type would need a copy */
		if (mrt_bgp4mp_parse(&r, &b) != MRT_OK || b.is_state_change ||
		    b.body_type != 0 || b.msg_len < 19 ||
		    b.msg[18] != BGP_MSG_UPDATE)
			continue;
		if (nmsgs == capmsgs) {
			capmsgs = capmsgs ? capmsgs * 2 : 65536;
			msgs = realloc(msgs, capmsgs * sizeof(*msgs));
			if (msgs == NULL)
				exit(2);
		}
		msgs[nmsgs].p = b.msg;
		msgs[nmsgs].len = b.msg_len;
		msgs[nmsgs].s = b.session;
		nmsgs++;
	}
}

int
main(int argc, char **argv)
{
	size_t min = 10000000, total = 0;
	int runs = 5, nfiles = 0;
	uint8_t *bufs[64];
	double rates[32];
	unsigned long long prefixes = 0, bad = 0;
	struct arena a;
	struct bgp_msg m;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--min") == 0 && i + 1 < argc)
			min = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (nfiles < 64)
			load(argv[i], &bufs[nfiles++]);
	}
	if (nmsgs == 0 || runs < 1 || runs > 32) {
		fprintf(stderr, "usage: bench_decode [--min N] [--runs N] "
		    "MRT-UPDATE-FILE...\n");
		return 2;
	}
	arena_init(&a, 0);
	/* prefixes per pass, counted once */
	for (size_t i = 0; i < nmsgs; i++) {
		arena_reset(&a);
		if (bgp_msg_decode(msgs[i].p, msgs[i].len, &msgs[i].s, &a, &m) ==
		    BGP_ACT_SESSION_RESET) {
			bad++;
			continue;
		}
		prefixes += m.u.update.n_nlri + m.u.update.n_withdrawn +
		    m.u.update.attrs.mp_reach.n_nlri +
		    m.u.update.attrs.mp_unreach.n_withdrawn;
	}
	size_t passes = (min + nmsgs - 1) / nmsgs;
	for (int r = 0; r < runs; r++) {
		double t0 = bench_now(), dt;
		size_t sink = 0;

		for (size_t p = 0; p < passes; p++)
			for (size_t i = 0; i < nmsgs; i++) {
				arena_reset(&a);
				sink += bgp_msg_decode(msgs[i].p, msgs[i].len,
				    &msgs[i].s, &a, &m);
			}
		dt = bench_now() - t0;
		rates[r] = (double)(passes * nmsgs) / dt;
		total += sink;
	}
	qsort(rates, (size_t)runs, sizeof(rates[0]), bench_cmp_double);
	double med = rates[runs / 2];
	double ppm = (double)prefixes / (double)nmsgs;
	printf("updates_loaded %zu (session-reset %llu), prefixes %llu\n",
	    nmsgs, bad, prefixes);
	printf("messages_per_run %zu\n", passes * nmsgs);
	printf("decode_msgs_per_s %.0f\n", med);
	printf("decode_prefixes_per_s %.0f\n", med * ppm);
	printf("decode_ns_per_msg %.1f\n", 1e9 / med);
	printf("prefixes_per_msg %.3f\n", ppm);
	printf("runs %d (min %.0f max %.0f msgs/s)\n", runs, rates[0],
	    rates[runs - 1]);
	arena_free(&a);
	for (int i = 0; i < nfiles; i++)
		free(bufs[i]);
	free(msgs);
	return total == (size_t)-1;	/* keep the work observable */
}
