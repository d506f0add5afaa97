#include <stdlib.h>
#include <string.h>

#include "util/htab.h"
#include "util/hugemem.h"

#define T_EMPTY		0
#define T_DEAD		1
#define MIN_SLOTS	1024u
/* Slots of the previous arrays moved at each add or delete while the
 * table grows: the old arrays are gone after (old slots / MOVE_STEP)
 * changes, long before the new ones can fill. */
#define MOVE_STEP	64u
/* Below this many slots a table grows in one go. */
#define STEP_SLOTS	(1u << 16)

static inline uint8_t
tag_of(uint64_t hv)
{
	return (uint8_t)(0x80u | (hv >> 57));
}

void
htab_init(struct htab *t)
{
	memset(t, 0, sizeof(*t));
}

/* The arrays of a big table are in huge pages (util/hugemem.h). */
static void
arrays_free(uint32_t *val, uint8_t *tag, size_t slots)
{
	huge_free(val, slots * sizeof(uint32_t));
	huge_free(tag, slots);
}

static void
old_free(struct htab *t)
{
	if (t->otag != NULL)
		arrays_free(t->oval, t->otag, (size_t)t->omask + 1);
	t->oval = NULL;
	t->otag = NULL;
	t->omask = 0;
	t->onext = 0;
	t->ocount = 0;
}

void
htab_destroy(struct htab *t)
{
	old_free(t);
	if (t->tag != NULL)
		arrays_free(t->val, t->tag, (size_t)t->mask + 1);
	memset(t, 0, sizeof(*t));
}

static uint32_t
probe(const uint8_t *tag, const uint32_t *val, uint32_t mask, uint64_t hv,
    htab_eq_fn eq, const void *key, void *ctx)
{
	uint8_t tg = tag_of(hv);

	for (uint32_t i = (uint32_t)hv & mask;; i = (i + 1) & mask) {
		uint8_t x = tag[i];

		if (x == T_EMPTY)
			return UINT32_MAX;
		if (x == tg && eq(val[i], key, ctx))
			return i;
	}
}

uint32_t
htab_find(const struct htab *t, uint64_t hv, htab_eq_fn eq, const void *key,
    void *ctx)
{
	uint32_t i;

	if (t->tag == NULL)
		return UINT32_MAX;
	i = probe(t->tag, t->val, t->mask, hv, eq, key, ctx);
	if (i != UINT32_MAX || t->otag == NULL || t->ocount == 0)
		return i;
	/* not moved yet */
	i = probe(t->otag, t->oval, t->omask, hv, eq, key, ctx);
	return i == UINT32_MAX ? i : i | HTAB_OLD;
}

static void
place(struct htab *t, uint64_t hv, uint32_t val)
{
	uint32_t i = (uint32_t)hv & t->mask;

	while (t->tag[i] > T_DEAD)
		i = (i + 1) & t->mask;
	if (t->tag[i] == T_DEAD)
		t->dead--;
	t->tag[i] = tag_of(hv);
	t->val[i] = val;
}

#define BATCH	32

/* Moves the live entries of old slots [from, to) into t's arrays. They
 * are read BATCH at a time: first all prefetched, then hashed, then
 * their new slots prefetched, then placed. The old slots become
 * tombstones, so that lookups in what is left of the old arrays still
 * run past them. */
static void
move(struct htab *t, uint8_t *otag, const uint32_t *oval, size_t from,
    size_t to, const struct htab_ops *ops, void *ctx)
{
	uint32_t vals[BATCH];
	uint64_t hs[BATCH];
	unsigned nb = 0;

	for (size_t i = from; i <= to; i++) {
		bool last = i == to;

		if (!last && otag[i] > T_DEAD) {
			vals[nb++] = oval[i];
			otag[i] = T_DEAD;
			if (ops->prefetch != NULL)
				ops->prefetch(oval[i], ctx);
		}
		if (nb < BATCH && !last)
			continue;
		for (unsigned j = 0; j < nb; j++) {
			hs[j] = ops->hash(vals[j], ctx);
			prefetch_w(&t->tag[hs[j] & t->mask]);
			prefetch_w(&t->val[hs[j] & t->mask]);
		}
		for (unsigned j = 0; j < nb; j++)
			place(t, hs[j], vals[j]);
		nb = 0;
	}
}

/* A step of the growth in progress: the next MOVE_STEP old slots. */
static void
step(struct htab *t, const struct htab_ops *ops, void *ctx)
{
	size_t end = (size_t)t->omask + 1, to = (size_t)t->onext + MOVE_STEP;
	uint32_t moved = 0;

	if (t->otag == NULL)
		return;
	if (to > end)
		to = end;
	for (size_t i = t->onext; i < to; i++)
		moved += t->otag[i] > T_DEAD;
	move(t, t->otag, t->oval, t->onext, to, ops, ctx);
	t->ocount -= moved;
	t->onext = (uint32_t)to;
	if (to == end)
		old_free(t);
}

void
htab_settle(struct htab *t, const struct htab_ops *ops, void *ctx)
{
	while (t->otag != NULL)
		step(t, ops, ctx);
}

/* New arrays of nslots (a power of two). With grow, the old ones stay
 * and are moved over step by step; otherwise everything moves now
 * (shrinking, or dropping tombstones). */
static bool
resize(struct htab *t, uint32_t nslots, bool grow, const struct htab_ops *ops,
    void *ctx)
{
	uint32_t *val = huge_calloc((size_t)nslots * sizeof(uint32_t));
	uint8_t *tag = huge_calloc(nslots);
	uint32_t *oval = t->val, omask = t->mask;
	uint8_t *otag = t->tag;

	if (val == NULL || tag == NULL) {
		arrays_free(val, tag, nslots);
		return false;
	}
	htab_settle(t, ops, ctx);	/* one growth at a time */
	oval = t->val;
	otag = t->tag;
	omask = t->mask;
	t->val = val;
	t->tag = tag;
	t->mask = nslots - 1;
	t->dead = 0;
	if (otag == NULL)
		return true;
	if (grow && omask + 1 >= STEP_SLOTS) {
		t->oval = oval;
		t->otag = otag;
		t->omask = omask;
		t->onext = 0;
		t->ocount = t->count;
		return true;
	}
	move(t, otag, oval, 0, (size_t)omask + 1, ops, ctx);
	arrays_free(oval, otag, (size_t)omask + 1);
	return true;
}

bool
htab_add(struct htab *t, uint64_t hv, uint32_t val,
    const struct htab_ops *ops, void *ctx)
{
	uint32_t slots = t->tag != NULL ? t->mask + 1 : 0;

	step(t, ops, ctx);
	/* up to 7/8 full: the tags keep long runs cheap to scan (the
	 * count includes what the old arrays still hold: it will come) */
	if ((uint64_t)(t->count + t->dead + 1) * 8 > (uint64_t)slots * 7) {
		/* mostly tombstones: rebuild at the same size */
		bool grow = slots == 0 ||
		    (t->count + 1) * 4ull > slots * 3ull;
		uint32_t n = slots == 0 ? MIN_SLOTS : grow ? slots * 2 : slots;

		if (n == 0 || !resize(t, n, grow, ops, ctx))
			return false;
	}
	place(t, hv, val);
	t->count++;
	return true;
}

void
htab_del(struct htab *t, uint32_t i, const struct htab_ops *ops, void *ctx)
{
	uint32_t slots = t->mask + 1;

	if (i & HTAB_OLD) {
		/* not moved yet: deleted where it is */
		i &= ~HTAB_OLD;
		t->otag[i] = T_DEAD;
		t->ocount--;
		t->count--;
		step(t, ops, ctx);
		return;
	}
	/* a slot followed by an empty one need not be a tombstone */
	if (t->tag[(i + 1) & t->mask] == T_EMPTY) {
		t->tag[i] = T_EMPTY;
	} else {
		t->tag[i] = T_DEAD;
		t->dead++;
	}
	t->count--;
	step(t, ops, ctx);
	if (t->otag == NULL && slots > MIN_SLOTS &&
	    (uint64_t)t->count * 8 < slots)
		resize(t, slots / 2, false, ops, ctx);	/* on failure, stay */
}

size_t
htab_bytes(const struct htab *t)
{
	size_t n = t->tag != NULL ? ((size_t)t->mask + 1) * 5 : 0;

	return n + (t->otag != NULL ? ((size_t)t->omask + 1) * 5 : 0);
}
