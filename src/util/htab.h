/* An open-addressing table of 32-bit values (handles) that lives beside
 * the records it indexes: the caller hashes and compares, the table
 * keeps one tag byte per slot - seven bits of the hash - so a probe
 * touches a record only when its tag matches, and an absent key is
 * known after a scan of tag bytes in one or two cache lines. Deletion
 * leaves a tombstone; the table is rebuilt when tombstones pile up, when
 * it grows past 7/8 and when it shrinks under 1/8. */
#ifndef BGPS_UTIL_HTAB_H
#define BGPS_UTIL_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/prefetch.h"

struct htab {
	uint32_t	*val;
	uint8_t		*tag;		/* 0 empty, 1 deleted, 0x80|7 bits */
	uint32_t	 mask;		/* slots - 1; 0 before the first add */
	uint32_t	 count;		/* values, old arrays included */
	uint32_t	 dead;		/* tombstones */
	/* A big table grows without a pause: its previous arrays stay
	 * until each add or delete has moved a few of their slots over;
	 * lookups look there too meanwhile. */
	uint32_t	*oval;
	uint8_t		*otag;		/* NULL: not growing */
	uint32_t	 omask;
	uint32_t	 onext;		/* the next old slot to move */
	uint32_t	 ocount;	/* values still in the old arrays */
};

/* A slot htab_find returns in the old arrays (while growing). */
#define HTAB_OLD	0x80000000u

/* Is the record behind val the key the caller looks for? */
typedef bool	(*htab_eq_fn)(uint32_t val, const void *key, void *ctx);

/* To rebuild the table: the hash of the record behind val, and a hint
 * to start loading that record (rebuilds work in batches, so that the
 * loads of many records overlap instead of waiting one by one). */
struct htab_ops {
	uint64_t	(*hash)(uint32_t val, void *ctx);
	void		(*prefetch)(uint32_t val, void *ctx);
};

void	 htab_init(struct htab *t);
void	 htab_destroy(struct htab *t);
/* The slot of the key with hash hv, or UINT32_MAX; htab_val reads the
 * value there. */
uint32_t htab_find(const struct htab *t, uint64_t hv, htab_eq_fn eq,
	    const void *key, void *ctx);
/* Adds val (whose key is not in the table) under hv; false when memory
 * runs out. */
bool	 htab_add(struct htab *t, uint64_t hv, uint32_t val,
	    const struct htab_ops *ops, void *ctx);
/* Removes the value in slot i (from htab_find). */
void	 htab_del(struct htab *t, uint32_t i, const struct htab_ops *ops,
	    void *ctx);
/* Ends a growth in progress now (before a walk of t->val). */
void	 htab_settle(struct htab *t, const struct htab_ops *ops, void *ctx);

static inline uint32_t
htab_val(const struct htab *t, uint32_t i)
{
	return i & HTAB_OLD ? t->oval[i & ~HTAB_OLD] : t->val[i];
}
/* Starts loading the slots a lookup of hv will look at first. */
static inline void
htab_prefetch(const struct htab *t, uint64_t hv)
{
	if (t->tag != NULL) {
		prefetch(&t->tag[(uint32_t)hv & t->mask]);
		prefetch(&t->val[(uint32_t)hv & t->mask]);
	}
	if (t->otag != NULL && t->ocount > 0) {
		prefetch(&t->otag[(uint32_t)hv & t->omask]);
		prefetch(&t->oval[(uint32_t)hv & t->omask]);
	}
}

size_t	 htab_bytes(const struct htab *t);

#endif
