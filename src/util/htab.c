#include <stdlib.h>
#include <string.h>

#include "util/htab.h"
#include "util/hugemem.h"

#define T_EMPTY		0
#define T_DEAD		1
#define MIN_SLOTS	1024u

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

void
htab_destroy(struct htab *t)
{
	if (t->tag != NULL)
		arrays_free(t->val, t->tag, (size_t)t->mask + 1);
	memset(t, 0, sizeof(*t));
}

uint32_t
htab_find(const struct htab *t, uint64_t hv, htab_eq_fn eq, const void *key,
    void *ctx)
{
	uint8_t tg = tag_of(hv);

	if (t->tag == NULL)
		return UINT32_MAX;
	for (uint32_t i = (uint32_t)hv & t->mask;; i = (i + 1) & t->mask) {
		uint8_t x = t->tag[i];

		if (x == T_EMPTY)
			return UINT32_MAX;
		if (x == tg && eq(t->val[i], key, ctx))
			return i;
	}
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

/* Rebuilds at nslots (a power of two), dropping the tombstones. Records
 * are read BATCH at a time: first all prefetched, then hashed, then
 * their new slots prefetched, then placed. */
static bool
rebuild(struct htab *t, uint32_t nslots, const struct htab_ops *ops,
    void *ctx)
{
	uint32_t vals[BATCH];
	uint64_t hs[BATCH];
	unsigned nb = 0;
	struct htab n;

	n.val = huge_calloc((size_t)nslots * sizeof(uint32_t));
	n.tag = huge_calloc(nslots);
	if (n.val == NULL || n.tag == NULL) {
		arrays_free(n.val, n.tag, nslots);
		return false;
	}
	n.mask = nslots - 1;
	n.count = t->count;
	n.dead = 0;
	for (size_t i = 0; t->tag != NULL && i <= (size_t)t->mask + 1; i++) {
		bool last = i == (size_t)t->mask + 1;

		if (!last && t->tag[i] > T_DEAD) {
			vals[nb++] = t->val[i];
			if (ops->prefetch != NULL)
				ops->prefetch(t->val[i], ctx);
		}
		if (nb < BATCH && !last)
			continue;
		for (unsigned j = 0; j < nb; j++) {
			hs[j] = ops->hash(vals[j], ctx);
			prefetch_w(&n.tag[hs[j] & n.mask]);
			prefetch_w(&n.val[hs[j] & n.mask]);
		}
		for (unsigned j = 0; j < nb; j++)
			place(&n, hs[j], vals[j]);
		nb = 0;
	}
	htab_destroy(t);
	*t = n;
	return true;
}

bool
htab_add(struct htab *t, uint64_t hv, uint32_t val,
    const struct htab_ops *ops, void *ctx)
{
	uint32_t slots = t->tag != NULL ? t->mask + 1 : 0;

	/* up to 7/8 full: the tags keep long runs cheap to scan */
	if ((uint64_t)(t->count + t->dead + 1) * 8 > (uint64_t)slots * 7) {
		/* mostly tombstones: rebuild at the same size */
		uint32_t n = slots == 0 ? MIN_SLOTS :
		    (t->count + 1) * 4ull > slots * 3ull ? slots * 2 : slots;

		if (n == 0 || !rebuild(t, n, ops, ctx))
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

	/* a slot followed by an empty one need not be a tombstone */
	if (t->tag[(i + 1) & t->mask] == T_EMPTY) {
		t->tag[i] = T_EMPTY;
	} else {
		t->tag[i] = T_DEAD;
		t->dead++;
	}
	t->count--;
	if (slots > MIN_SLOTS && (uint64_t)t->count * 8 < slots)
		rebuild(t, slots / 2, ops, ctx);	/* on failure, stay */
}

size_t
htab_bytes(const struct htab *t)
{
	return t->tag != NULL ? ((size_t)t->mask + 1) * 5 : 0;
}
