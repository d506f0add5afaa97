#include <setjmp.h>
#include <stdarg.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rates_follow_the_counter),
		cmocka_unit_test(gaps_open_and_close),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
