/* The RPKI state of the RIB's routes. It is not stored: a route's ROV
 * state takes one table lookup (tens of nanoseconds) and its ASPA state
 * a walk of its path, so it is computed when asked, from the tables of
 * the moment. When the tables change, the routes they may affect are
 * validated against the old and the new ones, and each whose state
 * differs is told: that is the event detectors get. */
#ifndef BGPS_RPKI_RPKI_RIB_H
#define BGPS_RPKI_RPKI_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rib/rib.h"
#include "rpki/aspa.h"
#include "rpki/vrp.h"

/* The tables a validation reads (either may be NULL: no data, every
 * route "not-found" / "unknown"). */
struct rpki_tables {
	const struct vrp_table	*vrps;
	const struct aspa_table	*aspas;
	enum aspa_dir		 dir;
};

struct rpki_state {
	uint8_t		rov;		/* enum rov_state */
	uint8_t		aspa;		/* enum aspa_state */
};

/* The origin AS ROV uses for a route: its path's, or ROV_NO_ORIGIN when
 * the path ends in an AS_SET; for an empty path (a route of the VP's own
 * AS, learnt over iBGP) the VP's AS. */
int64_t		 rpki_route_origin(const struct attrstore *s, uint32_t attr,
		    uint32_t vp_asn);
/* Both states of a route (prefix k, attribute set attr, VP's AS). For
 * ASPA an empty path is read the same way, as the VP's AS alone. */
void		 rpki_route_state(const struct rpki_tables *t,
		    const struct attrstore *s, const struct trie_key *k,
		    uint32_t attr, uint32_t vp_asn, struct rpki_state *out);
/* The path as aspa_verify reads it (buf holds cap ASes; longer paths
 * are read into memory of their own, freed by rpki_path_done). */
bool		 rpki_route_path(const struct attrstore *s, uint32_t attr,
		    uint32_t vp_asn, uint32_t *buf, size_t cap,
		    struct aspa_path *p);
void		 rpki_path_done(struct aspa_path *p, const uint32_t *buf);

/* --- revalidation ---------------------------------------------------------- */

struct rpki_change {
	const struct trie_key	*k;
	const struct rib_entry	*e;
	struct rpki_state	 old;
	struct rpki_state	 now;
};
typedef void	(*rpki_change_fn)(const struct rpki_change *c, void *arg);

struct rpki_reval_stats {
	uint64_t	vrps_changed;	/* VRPs added or removed */
	uint64_t	pairs_changed;	/* ASPA pairs added or removed */
	uint64_t	ranges;		/* outermost changed VRP prefixes */
	uint64_t	customers;	/* ASes whose ASPA changed */
	uint64_t	routes_seen;	/* walked over */
	uint64_t	routes_checked;	/* validated against both tables */
	uint64_t	routes_changed;	/* whose state differs: told */
	bool		by_origin;	/* the changed ASPAs' ASes are only
					 * origins: their prefixes walked */
	double		seconds;
};

/* What a revalidation tells: each route whose state differs, and (if
 * not NULL) each VRP and ASPA pair added or removed, as the tables'
 * diffs find them. */
struct rpki_reval_fns {
	rpki_change_fn	 route;
	vrp_diff_fn	 vrp;
	aspa_diff_fn	 pair;
	void		*arg;
};

/* The tables went from a to b: every route whose prefix lies inside a
 * VRP added or removed is validated against both (the prefix ranges are
 * walked, nothing else). When ASPAs changed too, the routes whose path
 * holds an AS whose ASPA changed are checked: if those ASes are only
 * ever origins in the stored paths (as most ASPA holders are), the
 * routes of the prefixes they originate are walked; else every route
 * is (each attribute set's path read once). Under another procedure,
 * every route is checked. */
void		 rpki_revalidate(struct rib *r, const struct rpki_tables *a,
		    const struct rpki_tables *b,
		    const struct rpki_reval_fns *fns,
		    struct rpki_reval_stats *st);

#endif
