#include <stdio.h>
#include <string.h>

#include "feed/feed_health.h"
#include "util/xorshift.h"

uint64_t
feed_backoff_ms(uint32_t min_ms, uint32_t max_ms, unsigned failures,
    uint64_t *seed)
{
	uint64_t ms = min_ms;

	for (unsigned i = 1; i < failures && ms < max_ms; i++)
		ms *= 2;
	if (ms > max_ms)
		ms = max_ms;
	return ms / 2 + xorshift64(seed) % (ms / 2 + 1);
}

const struct feed_gap *
feed_health_gap(const struct feed_health *h, unsigned i)
{
	if (i >= FEED_GAPS || i >= h->ngaps)
		return NULL;
	return &h->gaps[(h->ngaps - 1 - i) % FEED_GAPS];
}

bool
feed_health_sample(struct feed_health *h, uint64_t events, bool delivering,
    uint64_t now_us, const char *cause)
{
	if (events < h->last_events)
		h->last_events = 0;		/* restarted */
	h->rate_1s = events - h->last_events;
	h->rate_1m += ((double)h->rate_1s - h->rate_1m) / 60.0;
	h->last_events = events;
	return feed_health_state(h, delivering, now_us, cause);
}

bool
feed_health_state(struct feed_health *h, bool delivering, uint64_t now_us,
    const char *cause)
{
	struct feed_gap *g = h->ngaps > 0 ?
	    &h->gaps[(h->ngaps - 1) % FEED_GAPS] : NULL;

	if (delivering) {
		if (g != NULL && g->end_us == 0)
			g->end_us = now_us;
		h->was_up = true;
		return false;
	}
	if (!h->was_up || (g != NULL && g->end_us == 0))
		return false;		/* never up yet, or in a gap */
	g = &h->gaps[h->ngaps++ % FEED_GAPS];
	memset(g, 0, sizeof(*g));
	g->start_us = now_us;
	snprintf(g->cause, sizeof(g->cause), "%s", cause != NULL ? cause : "");
	return true;
}
