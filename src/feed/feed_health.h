/* A source's health as the daemon samples it each second: its event
 * rate (the last second, and a minute's moving average) and its gaps,
 * the times it stopped delivering after it had been (down, or starting
 * again), each with its start, end and cause. Detectors must tell "the
 * prefix vanished" from "our feed did": gaps are how. */
#ifndef BGPS_FEED_FEED_HEALTH_H
#define BGPS_FEED_FEED_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#define FEED_GAPS	8		/* the latest kept */

struct feed_gap {
	uint64_t	start_us;
	uint64_t	end_us;		/* 0: still open */
	char		cause[128];
};

struct feed_health {
	uint64_t	last_events;
	uint64_t	rate_1s;	/* events in the last second */
	double		rate_1m;	/* per second, exponential average
					 * over about a minute */
	bool		was_up;
	struct feed_gap	gaps[FEED_GAPS];	/* a ring */
	uint64_t	ngaps;		/* ever */
};

/* One sample: events is the source's counter (it restarts from 0 when
 * the source does), delivering whether it is up (or degraded, or done
 * replaying). Returns true when a gap begins (cause says why). */
bool	feed_health_sample(struct feed_health *h, uint64_t events,
	    bool delivering, uint64_t now_us, const char *cause);
/* The same for a state change the source reports itself, at the time it
 * says (a gap shorter than the sampling is not missed then). */
bool	feed_health_state(struct feed_health *h, bool delivering,
	    uint64_t at_us, const char *cause);
/* The wait before the next attempt to reconnect, after the failures-th
 * failure in a row (1: the first): min_ms doubled for each failure after
 * the first, up to max_ms, then drawn between half of it and all of it
 * (jitter, so that many clients do not come back in step). */
uint64_t feed_backoff_ms(uint32_t min_ms, uint32_t max_ms,
	    unsigned failures, uint64_t *seed);
/* The i-th latest gap (0: the latest), or NULL. */
const struct feed_gap *feed_health_gap(const struct feed_health *h,
	    unsigned i);

#endif
