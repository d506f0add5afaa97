/* Interned byte strings with reference counts: one copy of each distinct
 * AS path, community list, next hop... however many attribute sets use
 * it. Records live in size-class pools (8-byte steps up to 248 bytes,
 * larger ones on their own), found through a table of 32-bit handles
 * under a keyed hash. Handle 0 means "none". */
#ifndef BGPS_RIB_BLOB_H
#define BGPS_RIB_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "util/htab.h"
#include "util/pool.h"

#define BLOB_CLASSES	32	/* 31 size classes, and the large ones */
#define BLOB_MAX_LEN	65535

/* Called when a distinct string is first stored and when its last
 * reference goes (e.g. to keep an index of AS links). */
typedef void	(*blob_hook_fn)(const uint8_t *data, uint16_t len, int delta,
		    void *arg);

struct blobstore {
	const char	*name;
	struct pool	 cls[BLOB_CLASSES];
	struct htab	 table;		/* keyed hash of the bytes -> handle */
	uint32_t	 count;		/* distinct strings */
	size_t		 data_bytes;	/* their lengths */
	size_t		 large_bytes;	/* malloc'd for the large class */
	blob_hook_fn	 hook;
	void		*hook_arg;
	/* Optional direct-mapped cache in front of the table, for stores
	 * with few distinct strings asked for all the time (next hops,
	 * community lists): a hit costs no keyed hash and no probe. Each
	 * entry holds a reference. */
	struct blob_cache_ent	*cache;
	uint32_t		 cache_mask;
};

struct blob_cache_ent {
	uint64_t	h;
	uint32_t	handle;
};

void		 blob_init(struct blobstore *b, const char *name);
void		 blob_destroy(struct blobstore *b);
void		 blob_set_hook(struct blobstore *b, blob_hook_fn fn,
		    void *arg);
/* The handle of this string with one more reference (stored if new);
 * 0 when memory runs out. */
uint32_t	 blob_intern(struct blobstore *b, const void *data,
		    uint16_t len);
/* The same in two steps, so that many lookups can overlap: the string's
 * hash (the table's slots for it start loading), then the intern. */
uint64_t	 blob_hash_prefetch(const struct blobstore *b, const void *data,
		    uint16_t len);
uint32_t	 blob_intern_hashed(struct blobstore *b, const void *data,
		    uint16_t len, uint64_t hv);
/* As blob_intern, through the cache (made with slots entries, a power
 * of two, on first use). */
uint32_t	 blob_intern_cached(struct blobstore *b, const void *data,
		    uint16_t len, uint32_t slots);
/* Empties the cache and drops its references. */
void		 blob_cache_clear(struct blobstore *b);
void		 blob_ref(struct blobstore *b, uint32_t h);
/* Drops a reference; the last one frees the string. h may be 0. */
void		 blob_unref(struct blobstore *b, uint32_t h);
const uint8_t	*blob_data(const struct blobstore *b, uint32_t h,
		    uint16_t *len);
uint32_t	 blob_refs(const struct blobstore *b, uint32_t h);
/* Starts loading the string's record (h may be 0). */
void		 blob_prefetch(const struct blobstore *b, uint32_t h);
/* Returns the chunks that hold no string to the system. */
void		 blob_trim(struct blobstore *b);
/* Bytes held: records, large strings and the table. */
size_t		 blob_bytes(const struct blobstore *b);

#endif
