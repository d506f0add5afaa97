/* The routes' recent RPKI state changes: each route whose ROV or ASPA
 * state changed when the tables did (what rpki_revalidate tells), in a
 * ring of the latest RCHANGES, numbered from 1 so that a detector asks
 * only for what is newer than what it has
 * (GET /api/v1/rpki/changes?after=SEQ) and knows when some it did not
 * read are gone. The daemon's loop only. */
#ifndef BGPS_RPKI_RPKI_CHANGES_H
#define BGPS_RPKI_RPKI_CHANGES_H

#include <stdbool.h>
#include <stdint.h>

#include "rib/rib.h"
#include "rpki/rpki_rib.h"
#include "util/strbuf.h"

#define RCHANGES	65536	/* kept (64 bytes each: 4 MB) */
#define RCHANGES_LIMIT	1000	/* given at once unless asked for more */

struct rchange {
	uint64_t		 seq;		/* 0: an empty slot */
	uint64_t		 time_us;
	struct trie_key		 k;
	uint32_t		 vp;
	uint32_t		 path_id;
	uint32_t		 origin;
	bool			 has_path_id;
	bool			 has_origin;	/* false: the path ends in an
						 * AS_SET */
	struct rpki_state	 old;
	struct rpki_state	 now;
};

struct rchanges {
	struct rchange	 ring[RCHANGES];
	uint64_t	 last_seq;	/* 0: none yet */
};

/* One more change (v's seq is set here); the oldest goes when full. */
void	rchanges_add(struct rchanges *c, const struct rchange *v);
/* The changes after seq, oldest first, at most limit of them (the
 * oldest of those newer: a reader goes on after the last it got):
 * {"changes":[...],"first_seq":M,"last_seq":N,"dropped":D} (first_seq:
 * the oldest still kept; dropped: those after `after` no longer kept);
 * as text, a line each. r names each route's VP and source (NULL: "?"). */
void	rchanges_json(const struct rchanges *c, struct rib *r, uint64_t after,
	    unsigned limit, struct strbuf *out);
void	rchanges_text(const struct rchanges *c, struct rib *r, uint64_t after,
	    unsigned limit, struct strbuf *out);

#endif
