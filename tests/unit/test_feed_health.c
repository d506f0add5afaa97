#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "feed/feed_health.h"

#define S	1000000ull	/* a second in us */

static void
rates_follow_the_counter(void **state)
{
	struct feed_health h;

	(void)state;
	memset(&h, 0, sizeof(h));
	feed_health_sample(&h, 100, true, 1 * S, NULL);
	assert_int_equal(h.rate_1s, 100);
	feed_health_sample(&h, 250, true, 2 * S, NULL);
	assert_int_equal(h.rate_1s, 150);
	/* the source restarted: its counter began again */
	feed_health_sample(&h, 40, true, 3 * S, NULL);
	assert_int_equal(h.rate_1s, 40);
	for (int i = 0; i < 600; i++)
		feed_health_sample(&h, 40 + 1000ull * (unsigned)(i + 1), true,
		    (4 + (unsigned)i) * S, NULL);
	assert_true(h.rate_1m > 999 && h.rate_1m < 1001);
}

static void
gaps_open_and_close(void **state)
{
	struct feed_health h;
	const struct feed_gap *g;

	(void)state;
	memset(&h, 0, sizeof(h));
	/* down before it was ever up: not a gap */
	assert_false(feed_health_sample(&h, 0, false, 1 * S, "down: x"));
	assert_int_equal(h.ngaps, 0);
	assert_false(feed_health_sample(&h, 5, true, 2 * S, NULL));
	assert_true(feed_health_sample(&h, 5, false, 3 * S, "down: refused"));
	/* still down: the same gap */
	assert_false(feed_health_sample(&h, 5, false, 4 * S, "down: again"));
	assert_int_equal(h.ngaps, 1);
	g = feed_health_gap(&h, 0);
	assert_non_null(g);
	assert_int_equal(g->start_us, 3 * S);
	assert_int_equal(g->end_us, 0);
	assert_string_equal(g->cause, "down: refused");
	feed_health_sample(&h, 6, true, 7 * S, NULL);
	assert_int_equal(feed_health_gap(&h, 0)->end_us, 7 * S);
	assert_null(feed_health_gap(&h, 1));
	/* many: the ring keeps the latest FEED_GAPS, newest first */
	for (unsigned i = 0; i < 20; i++) {
		assert_true(feed_health_sample(&h, 6, false, (10 + 2 * i) * S,
		    "down"));
		feed_health_sample(&h, 6, true, (11 + 2 * i) * S, NULL);
	}
	assert_int_equal(h.ngaps, 21);
	assert_int_equal(feed_health_gap(&h, 0)->start_us, 48 * S);
	assert_int_equal(feed_health_gap(&h, FEED_GAPS - 1)->start_us,
	    (48 - 2 * (FEED_GAPS - 1)) * S);
	assert_null(feed_health_gap(&h, FEED_GAPS));
}

/* The waits double from min up to max, each drawn between half and all
 * of it; a seed gives one sequence, another seed another. */
static void
backoff_doubles_with_jitter(void **state)
{
	static const uint64_t want[] = { 200, 400, 800, 1000, 1000, 1000 };
	uint64_t seed = 1, other = 2, lo[6], hi[6];
	bool differ = false;

	(void)state;
	for (unsigned f = 1; f <= 6; f++) {
		lo[f - 1] = UINT64_MAX;
		hi[f - 1] = 0;
		for (int k = 0; k < 2000; k++) {
			uint64_t ms = feed_backoff_ms(200, 1000, f, &seed);

			if (ms < lo[f - 1])
				lo[f - 1] = ms;
			if (ms > hi[f - 1])
				hi[f - 1] = ms;
			if (ms != feed_backoff_ms(200, 1000, f, &other))
				differ = true;
		}
	}
	for (unsigned i = 0; i < 6; i++) {
		/* the bounds are reached (2,000 draws over at most 501
		 * values), and never passed */
		assert_int_equal(lo[i], want[i] / 2);
		assert_int_equal(hi[i], want[i]);
	}
	assert_true(differ);
	/* min equal to max: no doubling; 0 failures is the first */
	for (int k = 0; k < 100; k++) {
		uint64_t ms = feed_backoff_ms(500, 500, 9, &seed);

		assert_true(ms >= 250 && ms <= 500);
		ms = feed_backoff_ms(100, 60000, 0, &seed);
		assert_true(ms >= 50 && ms <= 100);
	}
	/* many failures do not overflow */
	assert_true(feed_backoff_ms(1000, 60000, UINT32_MAX, &seed) <= 60000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rates_follow_the_counter),
		cmocka_unit_test(gaps_open_and_close),
		cmocka_unit_test(backoff_doubles_with_jitter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
