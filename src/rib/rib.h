/* The RIB: for every vantage point (VP) of every source, its current
 * route for each prefix (and path id under ADD-PATH). Prefixes live once
 * in a trie; each holds a compact array of routes, one per VP slot, of
 * 12 bytes: an interned attribute set, a time and the slot. */
#ifndef BGPS_RIB_RIB_H
#define BGPS_RIB_RIB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rib/attr.h"
#include "rib/trie.h"
#include "util/arena.h"

/* --- sources and vantage points ------------------------------------------ */

enum rib_source_state {
	RIB_SRC_STARTING,
	RIB_SRC_UP,
	RIB_SRC_DEGRADED,
	RIB_SRC_DOWN,
	RIB_SRC_DONE,		/* a finite source (MRT files) has ended */
};

struct rib_source {
	uint32_t	id;
	char		kind[16];	/* "mrt", "bgp", "bmp", "rislive" */
	char		name[64];
	uint8_t		state;		/* enum rib_source_state */
	uint64_t	since_us;	/* of the state */
	char		last_error[512];
	uint64_t	events;
	uint64_t	malformed;	/* input counted and skipped */
};

/* What a VP's table is (RFC 7854, 8671, 9069 for BMP). */
enum rib_table_kind {
	RIB_TABLE_COLLECTOR_PEER,	/* a route collector's peer (MRT, RIS) */
	RIB_TABLE_BGP_PEER,		/* our own BGP session's Adj-RIB-In */
	RIB_TABLE_ADJ_IN_PRE,
	RIB_TABLE_ADJ_IN_POST,
	RIB_TABLE_ADJ_OUT_PRE,
	RIB_TABLE_ADJ_OUT_POST,
	RIB_TABLE_LOC_RIB,
	RIB_TABLE_KINDS
};

#define RIB_TAG_OWN_ROUTER	0x01
#define RIB_TAG_UPSTREAM	0x02
#define RIB_TAG_COLLECTOR	0x04
#define RIB_TAG_ROUTE_SERVER	0x08

enum rib_vp_state {
	RIB_VP_DOWN,
	RIB_VP_UP,
	RIB_VP_STALE,		/* down, its routes kept and marked stale */
};

struct rib_vp {
	uint32_t	id;
	uint32_t	source;
	uint8_t		afi;		/* of addr */
	uint8_t		addr[16];
	uint32_t	asn;
	uint32_t	router_id;
	uint8_t		table;		/* enum rib_table_kind */
	uint8_t		state;		/* enum rib_vp_state */
	uint16_t	tags;		/* RIB_TAG_* */
	char		name[64];	/* e.g. the collector or router */
	uint64_t	since_us;	/* of the state */
	uint64_t	last_update_us;
	uint64_t	announcements;
	uint64_t	withdrawals;
	/* Announcements and withdrawals per second, as sampled by whoever
	 * runs the RIB (the daemon, each second), and the count then. */
	uint64_t	rate_1s;
	uint64_t	rate_mark;
	uint64_t	routes[2];	/* held now: IPv4, IPv6 */
	uint32_t	slot;		/* for routes without a path id */
	bool		eor[2];		/* End-of-RIB seen: IPv4, IPv6 */
	/* The prefixes of a VP with few routes (up to RIB_VP_KEYS_MAX; some
	 * may have lost the route since), so that it goes down without a
	 * walk of the whole trie. NULL once it has many: then it is
	 * walked. Internal to rib.c. */
	struct trie_key	*keys;
	uint32_t	nkeys;
	uint32_t	cap_keys;
	bool		many;
};

#define RIB_VP_KEYS_MAX	4096

/* The RIB_TAG_ bit of a tag's name (own-router, upstream, collector,
 * route-server), or 0. */
uint16_t	 rib_tag_named(const char *name);
const char	*rib_table_name(enum rib_table_kind k);
const char	*rib_vp_state_name(enum rib_vp_state s);
const char	*rib_source_state_name(enum rib_source_state s);

/* --- the store ------------------------------------------------------------- */

struct rib_route {
	uint32_t	attr;		/* attrstore handle */
	uint32_t	ts;		/* when learnt, Unix seconds */
	uint32_t	slot;		/* VP and path id; RIB_STALE bit */
};

#define RIB_STALE	0x80000000u

struct rib_routes {
	uint16_t		n;
	uint16_t		cap;
	uint32_t		watch;	/* rib_watch slot, 0 none */
	struct rib_route	r[];
};

struct rib_slot {
	uint32_t	vp;
	uint32_t	path_id;
	uint32_t	refs;		/* routes using it; the VP's own: +1 */
	uint32_t	has_path_id;
};

/* Called for every change of a route, before the old attributes are
 * released: old_attr 0 for a new route, new_attr 0 for a removal. */
typedef void	(*rib_change_fn)(const struct trie_key *k, uint32_t vp,
		    uint32_t path_id, uint32_t old_attr, uint32_t new_attr,
		    void *arg);

struct rib_origin_index;
struct rib_links;
struct rib_entry;

/* What the RIB's owner adds to each route a query shows (the daemon:
 * its RPKI state), as names that live as long as the process (NULL:
 * nothing). Called where the RIB runs. */
struct rib_note {
	const char	*rov;
	const char	*aspa;
};
typedef void	(*rib_note_fn)(const struct trie_key *k,
		    const struct rib_entry *e, struct rib_note *out,
		    void *arg);

struct rib {
	struct trie		 trie;
	struct attrstore	 attrs;
	struct rib_source	*sources;
	uint32_t		 nsources;
	struct rib_vp		*vps;
	uint32_t		 nvps;
	struct rib_slot		*slots;
	uint32_t		 nslots;
	uint32_t		 cap_slots;
	uint32_t		 free_slot;	/* free list through .vp, 0 none */
	uint32_t		*slot_table;	/* (vp, path id) -> slot */
	uint32_t		 slot_mask;
	uint32_t		 slot_count;
	struct rib_origin_index	*origins;
	struct rib_links	*links;
	uint64_t		 routes;	/* all VPs */
	size_t			 route_bytes;	/* route arrays */
	rib_change_fn		 on_change;
	void			*change_arg;
	rib_note_fn		 note;
	void			*note_arg;
	struct arena		 scratch;
	/* The prefix of the last announcement and its trie node: a RIB
	 * record brings one prefix for many VPs. Cleared when a prefix
	 * goes from the trie. */
	struct trie_key		 last_key;
	uint32_t		 last_node;
	/* Generations for answers kept elsewhere (rib_watch), and what
	 * VPs look like to them (rib_vp_flags): the table is replaced,
	 * larger, as VPs come; the old ones are kept until rib_free */
	_Atomic uint32_t	*watch_gen;
	uint32_t		 watch_next;
	_Atomic uint64_t	 gen_all;
	_Atomic uint64_t	 gen_vps;
	struct rib_vpflags * _Atomic vpflags;
};

struct rib	*rib_new(void);
void		 rib_free(struct rib *r);
void		 rib_on_change(struct rib *r, rib_change_fn fn, void *arg);
void		 rib_set_note(struct rib *r, rib_note_fn fn, void *arg);

uint32_t	 rib_source_add(struct rib *r, const char *kind,
		    const char *name);
struct rib_source *rib_source(struct rib *r, uint32_t id);
void		 rib_source_state(struct rib *r, uint32_t id,
		    enum rib_source_state st, uint64_t now_us,
		    const char *error);

/* A new VP (state down) from a template: id, slot and counters are set
 * here. Returns its id, or UINT32_MAX when memory runs out. */
uint32_t	 rib_vp_add(struct rib *r, const struct rib_vp *tmpl);
struct rib_vp	*rib_vp(struct rib *r, uint32_t id);
/* Samples every VP's update rate (to be called once a second). */
void		 rib_vps_sample_rates(struct rib *r);
void		 rib_vp_up(struct rib *r, uint32_t vp, uint64_t now_us);
/* Down: every route of the VP goes, or with keep_stale is kept and
 * marked stale until rib_vp_flush_stale (e.g. at End-of-RIB after a
 * graceful restart) or a new route replaces it. */
void		 rib_vp_down(struct rib *r, uint32_t vp, bool keep_stale,
		    uint64_t now_us);
/* The VP's routes marked stale are current again (a feed back after a
 * gap that sends no table again: RIS Live); returns how many. */
uint64_t	 rib_vp_unstale(struct rib *r, uint32_t vp);
/* Removes the VP's routes still marked stale, of one family (v6 0 or 1)
 * or of both (-1); returns how many. */
uint64_t	 rib_vp_flush_stale(struct rib *r, uint32_t vp, int v6);

/* --- routes ---------------------------------------------------------------- */

enum rib_change {
	RIB_UNCHANGED,
	RIB_ADDED,
	RIB_REPLACED,
	RIB_REMOVED,
	RIB_FAILED,		/* out of memory: nothing changed */
};

/* The attribute set handle comes from attr_intern on r->attrs; the route
 * takes its own reference. ts in Unix seconds. */
enum rib_change	 rib_announce(struct rib *r, uint32_t vp,
		    const struct bgp_prefix *p, uint32_t attr, uint32_t ts);
/* As rib_announce, told how many routes the prefix will hold (a RIB
 * dump record's entries): its array is sized once, exactly. */
enum rib_change	 rib_announce_hint(struct rib *r, uint32_t vp,
		    const struct bgp_prefix *p, uint32_t attr, uint32_t ts,
		    unsigned hint);
enum rib_change	 rib_withdraw(struct rib *r, uint32_t vp,
		    const struct bgp_prefix *p, uint32_t ts);

/* One route as queries see it. */
struct rib_entry {
	const struct rib_vp	*vp;
	uint32_t		 path_id;
	bool			 has_path_id;
	bool			 stale;
	uint32_t		 ts;
	uint32_t		 attr;
};

typedef int	(*rib_entry_fn)(const struct trie_key *k,
		    const struct rib_entry *e, void *arg);
/* Every route for prefix k (exact). Returns the number of routes, or the
 * callback's non-zero return. */
int		 rib_prefix_routes(const struct rib *r, const struct trie_key *k,
		    rib_entry_fn fn, void *arg);
/* k and its more-specifics, or every prefix covering k. */
int		 rib_more_specifics(const struct rib *r,
		    const struct trie_key *k, rib_entry_fn fn, void *arg);
int		 rib_less_specifics(const struct rib *r,
		    const struct trie_key *k, rib_entry_fn fn, void *arg);

/* Prefixes originated by asn (with how many routes say so), and the AS
 * links seen in paths next to it. */
typedef int	(*rib_origin_fn)(const struct trie_key *k, uint32_t routes,
		    void *arg);
int		 rib_origin_prefixes(const struct rib *r, uint32_t asn,
		    rib_origin_fn fn, void *arg);
/* Neighbours of asn in the stored paths: ASes just before it (its
 * upstreams, toward the VPs) and just after it (downstreams); each with
 * how many distinct paths show the link. */
typedef void	(*rib_link_fn)(uint32_t neighbor, bool upstream,
		    uint32_t paths, void *arg);
void		 rib_as_neighbors(const struct rib *r, uint32_t asn,
		    rib_link_fn fn, void *arg);

/* --- watching prefixes ------------------------------------------------------
 * An answer kept (a cache on another thread) stays true while nothing it
 * shows has changed. rib_watch, called where the RIB runs, gives the
 * prefix k a watch slot (it must hold routes) and the slot's and the
 * whole RIB's generations now; every later change to its routes moves
 * the slot's generation (routes marked stale or no longer too), and a
 * VP added or rib_changed_all moves the RIB's. VPs going up or down
 * move rib_vps_gen instead: a kept answer then counts its VPs up again
 * (rib_lg_refresh).
 * Slots are few (RIB_WATCH_SLOTS) and shared once they wrap: a change
 * may then make a kept answer stale that is not, never the reverse.
 * rib_watch_current may be called from any thread. */
#define RIB_WATCH_SLOTS	65536
struct rib_watch {
	uint32_t	slot;
	uint32_t	gen;
	uint64_t	all;
};
bool		 rib_watch(struct rib *r, const struct trie_key *k,
		    struct rib_watch *w);
bool		 rib_watch_current(const struct rib *r,
		    const struct rib_watch *w);
void		 rib_changed_all(struct rib *r);

/* What a kept answer's summaries need of a VP, from any thread: its
 * state (enum rib_vp_state) and whether it holds IPv4 and IPv6 routes;
 * RIB_VPF_NONE for a VP not (yet) known there. Their generation
 * (rib_vps_gen) moves at every change of one of them: a VP going up or
 * down, or holding its first or last route of a family. */
#define RIB_VPF_STATE	0x03
#define RIB_VPF_V4	0x04
#define RIB_VPF_V6	0x08
#define RIB_VPF_NONE	0xff
struct rib_vpflags {
	struct rib_vpflags	*older;		/* replaced ones, for rib_free */
	uint32_t		 cap;
	_Atomic uint8_t		 f[];
};
uint8_t		 rib_vp_flags(const struct rib *r, uint32_t vp);
/* The flags of v as they are (the RIB's thread). */
uint8_t		 rib_vp_flags_of(const struct rib_vp *v);
uint64_t	 rib_vps_gen(const struct rib *r);

/* --- memory ---------------------------------------------------------------- */

struct rib_mem {
	uint64_t	prefixes[2];
	size_t		prefix_bytes;	/* the trie */
	uint64_t	routes;
	size_t		route_bytes;	/* route arrays */
	struct attr_mem	attr;		/* sets, paths, communities, other */
	size_t		index_bytes;	/* origin and AS-link indexes */
	size_t		vp_bytes;	/* sources, VPs, slots */
	size_t		total;
};
void		 rib_mem(const struct rib *r, struct rib_mem *m);

#endif
