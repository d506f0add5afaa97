/* Route events: the one interface between sources and everything
 * downstream (RIB, detectors, history). Every source - MRT files, BGP
 * sessions, BMP, RIS Live - turns its input into these, and registers
 * itself and its vantage points (VPs) in the RIB's registry. */
#ifndef BGPS_FEED_FEED_H
#define BGPS_FEED_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rib/rib.h"
#include "wire/bgp.h"

enum feed_event_type {
	FEED_ANNOUNCE,		/* prefix, attrs, next hop */
	FEED_WITHDRAW,		/* prefix */
	FEED_EOR,		/* End-of-RIB for afi/safi */
	FEED_VP_UP,		/* keep_stale: its stale routes are
				 * current again */
	FEED_VP_DOWN,		/* keep_stale: routes kept, marked stale */
	FEED_SOURCE_STATE,	/* state, error */
	FEED_FLUSH_STALE,	/* the VP's routes still stale go: of afi,
				 * or of both families (afi 0) */
};

struct feed_event {
	uint8_t			 type;		/* enum feed_event_type */
	uint8_t			 state;		/* SOURCE_STATE */
	bool			 keep_stale;	/* VP_DOWN, VP_UP */
	/* ANNOUNCE: the attributes are those of the previous event of the
	 * same batch (an UPDATE with many prefixes): intern them once */
	bool			 same_attrs;
	uint32_t		 source;
	uint32_t		 vp;
	uint64_t		 time_us;	/* when it happened (Unix) */
	struct bgp_prefix	 prefix;
	/* ANNOUNCE: the attributes, valid during the call; or NULL with
	 * attrs_fn, which decodes raw on demand (a consumer that saw the
	 * same block before may not need it): feed_event_attrs. */
	const struct bgp_attrs	*attrs;
	const uint8_t		*raw;
	uint16_t		 raw_len;
	const struct bgp_attrs	*(*attrs_fn)(void *arg, const uint8_t **nh,
				    uint8_t *nh_len, uint8_t *action);
	void			*attrs_arg;
	/* How attrs->raw was decoded, for the interning cache (0: do not
	 * cache): equal for blocks that decode the same way. */
	uint32_t		 raw_ctx;
	const uint8_t		*nexthop;
	uint8_t			 nexthop_len;
	/* ANNOUNCE from a RIB dump: how many routes its prefix is about to
	 * get (the record's entries), so that room is made once */
	uint16_t		 routes_hint;
	uint8_t			 safi;		/* EOR */
	uint16_t		 afi;		/* EOR */
	const char		*error;		/* SOURCE_STATE, VP_DOWN */
};

typedef void	(*feed_sink_fn)(const struct feed_event *ev, size_t n,
		    void *arg);

/* The attributes of an ANNOUNCE (decoded if they came undecoded), its
 * next hop, and the RFC 7606 action of the block: an action of
 * treat-as-withdraw or stronger means the announcement withdraws. NULL
 * when memory runs out. */
const struct bgp_attrs *feed_event_attrs(const struct feed_event *ev,
		    const uint8_t **nh, uint8_t *nh_len, uint8_t *action);

/* --- UPDATEs to events ------------------------------------------------------ */

#define FEED_FAM_IPV4	0x01	/* unicast families, as a bit set */
#define FEED_FAM_IPV6	0x02

struct feed_counters;

/* A growing array of events. */
struct feed_events {
	struct feed_event	*ev;
	size_t			 n;
	size_t			 cap;
};

/* Appends the events of one decoded UPDATE of a VP (not an End-of-RIB):
 * its withdrawals, then its announcements, of the unicast families in
 * fams (the others are left out); with an RFC 7606 action of
 * treat-as-withdraw or stronger the announcements withdraw. Each
 * announcement of a run points at the UPDATE's attributes (same_attrs
 * after the first). The counters' announcements and withdrawals grow;
 * false (nothing appended) when memory runs out. */
bool	feed_update_events(struct feed_events *out, const struct bgp_update *u,
	    uint8_t action, uint32_t source, uint32_t vp, uint64_t time_us,
	    uint8_t fams, struct feed_counters *c);

/* --- sources ----------------------------------------------------------- */

struct feed_source;

struct feed_counters {
	uint64_t	events;
	uint64_t	announcements;
	uint64_t	withdrawals;
	uint64_t	malformed;	/* input skipped, counted, logged */
	uint64_t	bytes_in;
};

struct feed_ops {
	const char	*kind;
	/* Begins (registers the source and opens what it reads); 0 or -1
	 * with the source's last_error set. */
	int		(*start)(struct feed_source *s);
	/* Does the work due at now_us (a bounded amount, so a caller can
	 * interleave sources); returns when it wants to be called again
	 * (<= now_us: at once), or UINT64_MAX when it has nothing left. */
	uint64_t	(*poll)(struct feed_source *s, uint64_t now_us);
	void		(*stop)(struct feed_source *s);
	void		(*free)(struct feed_source *s);
};

struct feed_source {
	const struct feed_ops	*ops;
	struct rib		*rib;		/* its registry of VPs */
	uint32_t		 id;		/* in the registry */
	feed_sink_fn		 sink;
	void			*sink_arg;
	struct feed_counters	 counters;
};

/* Sets up the part every source has (the registry id comes at start). */
void	feed_source_init(struct feed_source *s, const struct feed_ops *ops,
	    struct rib *r, feed_sink_fn sink, void *sink_arg);

/* The wall clock in microseconds since the Unix epoch: what events and
 * states are stamped with. */
uint64_t feed_now_us(void);

static inline void
feed_emit(struct feed_source *s, const struct feed_event *ev, size_t n)
{
	s->counters.events += n;
	s->sink(ev, n, s->sink_arg);
}

/* One event of the source's own (a state, a VP up or down): stamped
 * with the source, and with now if it has no time. */
static inline void
feed_emit_one(struct feed_source *s, struct feed_event *ev)
{
	ev->source = s->id;
	if (ev->time_us == 0)
		ev->time_us = feed_now_us();
	feed_emit(s, ev, 1);
}

/* --- applying events to the RIB ------------------------------------------- */

struct attr_stage;

struct feed_apply {
	struct rib		*rib;
	uint32_t		 last_attr;	/* for same_attrs; one
						 * reference */
	uint64_t		 changes;	/* routes added, replaced or
						 * removed */
	uint64_t		 failed;	/* out of memory */
	struct attr_stage	*stages;	/* batched interning */
};

void	feed_apply_init(struct feed_apply *fa, struct rib *r);
void	feed_apply_done(struct feed_apply *fa);
/* A sink: applies each event to the RIB. */
void	feed_apply_sink(const struct feed_event *ev, size_t n, void *arg);

/* --- the MRT source ------------------------------------------------------ */

struct feed_mrt_config {
	const char	*name;
	const char	**files;	/* RIB dumps and update files, any order */
	size_t		 nfiles;
	/* 0: as fast as possible; otherwise updates follow their
	 * timestamps at this multiple of real time (1 = real time). RIB
	 * dumps always load at full speed first. */
	double		 speed;
	/* records per poll at full speed, before returning */
	unsigned	 batch;
	/* At the end of the update files, replay them again from their
	 * start (the RIB dumps are not loaded again); the source never
	 * ends. */
	bool		 loop;
	/* Events carry the time they are replayed at, not the records'
	 * own (a replay then looks live: routes' ages count from now). */
	bool		 clock_now;
	/* A restart of a source the registry has already (as source_id):
	 * its entry is reused rather than a new one added. */
	bool		 restart;
	uint32_t	 source_id;
	/* RIB_TAG_* its VPs carry besides collector */
	uint16_t	 vp_tags;
};

struct feed_source *feed_mrt_new(struct rib *r, const struct feed_mrt_config *c,
		    feed_sink_fn sink, void *sink_arg);
/* The MRT timestamp of the last record replayed. */
uint32_t	 feed_mrt_position(const struct feed_source *s);
/* True once the RIB dumps are loaded and the update files begin (a poll
 * returns at that point). */
bool		 feed_mrt_in_updates(const struct feed_source *s);

#endif
