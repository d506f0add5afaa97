/* Interned attribute sets, in two layers: a set is a 40-byte record of
 * small values and handles to interned members (AS path, communities,
 * large communities, next hop, and the remaining attributes in wire
 * form), each member stored once however many sets share it. Sets are
 * reference counted; a route holds one reference. */
#ifndef BGPS_RIB_ATTR_H
#define BGPS_RIB_ATTR_H

#include <stdbool.h>
#include <stdint.h>

#include "rib/blob.h"
#include "util/bwriter.h"
#include "util/htab.h"
#include "util/pool.h"
#include "wire/bgp.h"

struct arena;

#define ATTR_F_ORIGIN	0x01
#define ATTR_F_MED	0x02
#define ATTR_F_LP	0x04
#define ATTR_F_ATOMIC	0x08
#define ATTR_F_PATH	0x10	/* an AS_PATH (possibly empty) */
#define ATTR_F_ORIGINS	0x20	/* several origins (a final AS_SET) */

struct attr_set {
	uint32_t	refs;
	/* Not part of the key: the origin AS of the path (0 with no AS or
	 * several, ATTR_F_ORIGINS saying which), kept so that indexing a
	 * route by origin does not read its path. */
	uint32_t	origin_as;
	uint32_t	path;		/* paths: packed (rib/path_pack.h) */
	uint32_t	comms;		/* comms: 4 octets each */
	uint32_t	lcomms;		/* lcomms: 12 octets each */
	uint32_t	nexthop;	/* nexthops: as in MP_REACH_NLRI */
	uint32_t	rest;		/* rest: other attributes, wire form */
	uint32_t	med;
	uint32_t	local_pref;
	uint8_t		origin;
	uint8_t		flags;		/* ATTR_F_* */
	uint16_t	pad_;
};

/* A direct-mapped cache from an attribute block as received (with its
 * decoding context and next hop) to its set: most routes repeat a block
 * seen a moment ago (the same peer's next prefix), and then none of its
 * members needs hashing. Each entry holds a reference to its set. */
#define ATTR_CACHE_SLOTS	2048
#define ATTR_CACHE_KEY		160	/* longer blocks are not cached */

struct attr_cache_ent {
	uint64_t	h;
	uint32_t	set;		/* 0: empty */
	uint32_t	ctx;
	uint16_t	len;		/* of key */
	uint8_t		key[ATTR_CACHE_KEY];	/* next hop, then block */
};

struct attrstore {
	struct blobstore	 paths;
	struct blobstore	 comms;
	struct blobstore	 lcomms;
	struct blobstore	 nexthops;
	struct blobstore	 rest;
	struct pool		 sets;
	struct htab		 table;		/* keyed hash -> set handle */
	uint32_t		 count;		/* distinct sets */
	struct bwriter		 w;		/* scratch for encoding */
	struct attr_cache_ent	*cache;		/* allocated on first use */
	uint64_t		 cache_hits;
	uint64_t		 cache_misses;
};

/* The ASes at the origin end of a path: the last of a final AS_SEQUENCE,
 * or the members of a final AS_SET (at most ATTR_MAX_ORIGINS). */
#define ATTR_MAX_ORIGINS	16

bool		 attr_init(struct attrstore *s);
void		 attr_destroy(struct attrstore *s);
/* The set for these attributes and this next hop (the NEXT_HOP
 * attribute's, or MP_REACH_NLRI's), with one new reference; 0 when
 * memory runs out. The next hop given replaces both attributes'. */
uint32_t	 attr_intern(struct attrstore *s, const struct bgp_attrs *a,
		    const uint8_t *nexthop, uint8_t nexthop_len);
/* As attr_intern, looked up first by a->raw (and nh) in the cache; ctx
 * tells apart blocks decoded differently (e.g. 2- and 4-octet AS
 * sessions, RIB entries' short MP_REACH_NLRI). */
uint32_t	 attr_intern_cached(struct attrstore *s, const struct bgp_attrs *a,
		    uint32_t ctx, const uint8_t *nexthop, uint8_t nexthop_len);
/* The cache by itself, for a caller that has the block but not yet its
 * decoding: the key's cache hash (its entry starts loading), the set for
 * the key (one new reference) or 0, and the set to remember for it. The
 * key is what tells blocks apart (for RIB dump entries, the block alone:
 * their next hop is in it). */
uint64_t	 attr_cache_hash(struct attrstore *s, const uint8_t *key,
		    size_t len, uint32_t ctx);
uint32_t	 attr_cache_find(struct attrstore *s, const uint8_t *key,
		    size_t len, uint32_t ctx, uint64_t hv);
void		 attr_cache_put(struct attrstore *s, const uint8_t *key,
		    size_t len, uint32_t ctx, uint64_t hv, uint32_t set);
/* Drops the cache's references (so that sets no route uses go). */
void		 attr_cache_clear(struct attrstore *s);
/* attr_intern in three stages, so that the table lookups of many sets
 * (a RIB record's routes) overlap instead of waiting one by one: first
 * the small members and the path's hash (its table slots start
 * loading), then the path (the set's slots start loading), then the
 * set. attr_intern is the three in a row. */
#define ATTR_STAGE_PATH_MAX	1024

struct attr_stage {
	struct attr_set	key;
	uint64_t	path_hv;
	uint64_t	set_hv;
	uint16_t	path_len;
	bool		has_path;
	bool		new_path;	/* stored just now: so is the set */
	bool		failed;
	uint8_t		path[ATTR_STAGE_PATH_MAX];
};

void		 attr_stage_members(struct attrstore *s,
		    const struct bgp_attrs *a, const uint8_t *nexthop,
		    uint8_t nexthop_len, struct attr_stage *st);
void		 attr_stage_path(struct attrstore *s, struct attr_stage *st);
/* The set (one new reference), or 0 when memory ran out. */
uint32_t	 attr_stage_set(struct attrstore *s, struct attr_stage *st);
void		 attr_ref(struct attrstore *s, uint32_t h);
/* Returns chunks that hold nothing to the system. */
void		 attr_trim(struct attrstore *s);
void		 attr_unref(struct attrstore *s, uint32_t h);

static inline const struct attr_set *
attr_get(const struct attrstore *s, uint32_t h)
{
	return pool_get(&s->sets, h);
}

/* The set as decoded attributes (views of the store and of arena memory,
 * valid while the set lives and the arena is not reset), with its next
 * hop. */
struct attr_view {
	struct bgp_attrs	 attrs;
	const uint8_t		*nexthop;
	uint8_t			 nexthop_len;
};
bool		 attr_view(const struct attrstore *s, uint32_t h,
		    struct arena *a, struct attr_view *out);
/* A set's record and its members' bytes, copied out of the store (into
 * ar): a view of it can then be made anywhere, while the store changes
 * (e.g. on another thread). */
enum { ATTR_M_PATH, ATTR_M_COMMS, ATTR_M_LCOMMS, ATTR_M_NEXTHOP, ATTR_M_REST,
    ATTR_MEMBERS };
struct attr_copy {
	struct attr_set	 set;
	const uint8_t	*m[ATTR_MEMBERS];	/* NULL: none */
	uint16_t	 len[ATTR_MEMBERS];
};
/* Start loading a set's record; then, once it is there, its members:
 * a reader of many sets overlaps their loads. */
void		 attr_prefetch(const struct attrstore *s, uint32_t h);
void		 attr_prefetch_members(const struct attrstore *s, uint32_t h);
bool		 attr_copy(const struct attrstore *s, uint32_t h,
		    struct arena *ar, struct attr_copy *out);
bool		 attr_copy_view(const struct attr_copy *c, struct arena *ar,
		    struct attr_view *out);
/* attr_origins and attr_upstream of a copy. */
unsigned	 attr_copy_origins(const struct attr_copy *c,
		    uint32_t out[ATTR_MAX_ORIGINS]);
uint32_t	 attr_copy_upstream(const struct attr_copy *c);
unsigned	 attr_origins(const struct attrstore *s, uint32_t h,
		    uint32_t out[ATTR_MAX_ORIGINS]);
/* The AS just before the origin (its upstream), or 0. */
uint32_t	 attr_upstream(const struct attrstore *s, uint32_t h);
/* The path's ASes in order (the neighbor's first), confederation
 * segments left out: how many there are (the first cap of them in out),
 * and whether an AS_SET is among them. */
size_t		 attr_path_flat(const struct attrstore *s, uint32_t h,
		    uint32_t *out, size_t cap, bool *has_set);

struct attr_mem {
	size_t	sets, sets_bytes;
	size_t	paths, paths_bytes;
	size_t	comms, comms_bytes;	/* communities and large ones */
	size_t	other, other_bytes;	/* next hops and the rest */
};
void		 attr_mem(const struct attrstore *s, struct attr_mem *m);

#endif
