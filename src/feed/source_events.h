/* The daemon's recent source events: each change of a source's state
 * (starting, up, degraded, down, done, disabled; added and removed by a
 * reload), in a ring of the latest SEVENTS, numbered from 1 so that a
 * reader asks only for what is newer than what it has
 * (GET /api/v1/events?after=SEQ). The daemon's loop only. */
#ifndef BGPS_FEED_SOURCE_EVENTS_H
#define BGPS_FEED_SOURCE_EVENTS_H

#include <stdint.h>

#include "util/strbuf.h"

#define SEVENTS		1024

struct sevent {
	uint64_t	seq;		/* 0: an empty slot */
	uint64_t	time_us;
	char		source[64];
	char		kind[12];
	char		from[12];	/* "" when added */
	char		to[12];		/* a state, or "removed" */
	char		detail[176];
};

struct sevents {
	struct sevent	ring[SEVENTS];
	uint64_t	last_seq;	/* 0: none yet */
};

void	sevents_add(struct sevents *e, uint64_t time_us, const char *source,
	    const char *kind, const char *from, const char *to,
	    const char *detail);
/* The events after seq, oldest first, at most limit of them (the
 * newest when there are more): {"events":[...],"last_seq":N,
 * "first_seq":M} (first_seq: the oldest still kept); as text, a line
 * each. */
void	sevents_json(const struct sevents *e, uint64_t after, unsigned limit,
	    struct strbuf *out);
void	sevents_text(const struct sevents *e, uint64_t after, unsigned limit,
	    struct strbuf *out);

#endif
