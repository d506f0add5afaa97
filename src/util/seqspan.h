/* The window to give of a ring of entries numbered from 1, which keeps
 * the latest cap of the last_seq made: those after `after`, the older
 * ones no longer kept skipped (and counted), at most limit of them (0:
 * no limit), the oldest of those (a reader pages forward) or the newest
 * (a reader wants the latest). Shared by the rings of recent events. */
#ifndef BGPS_UTIL_SEQSPAN_H
#define BGPS_UTIL_SEQSPAN_H

#include <stdbool.h>
#include <stdint.h>

struct seq_span {
	uint64_t	oldest;		/* the oldest kept (1 when none) */
	uint64_t	first;		/* to give: first..last, none when */
	uint64_t	last;		/* first > last */
	uint64_t	dropped;	/* after `after`, no longer kept */
};

static inline struct seq_span
seq_span(uint64_t last_seq, uint64_t cap, uint64_t after, unsigned limit,
    bool newest)
{
	struct seq_span s = { .oldest = last_seq > cap ? last_seq - cap + 1 :
	    1, .first = last_seq + 1, .last = last_seq };

	if (after >= last_seq)
		return s;			/* nothing newer */
	s.first = after + 1;
	if (s.first < s.oldest) {
		s.dropped = s.oldest - s.first;
		s.first = s.oldest;
	}
	if (limit > 0 && s.last - s.first >= limit) {
		if (newest)
			s.first = s.last - limit + 1;
		else
			s.last = s.first + limit - 1;
	}
	return s;
}

#endif
