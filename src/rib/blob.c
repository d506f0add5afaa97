#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "rib/blob.h"
#include "util/khash.h"

/* A record: refcount, length, then the bytes (small classes), or a
 * pointer to them (the large class). */
struct blob_hdr {
	uint32_t	refs;
	uint16_t	len;
	uint8_t		data[];		/* small: the bytes */
};

struct blob_large {
	uint32_t	refs;
	uint16_t	len;
	uint8_t		*data;
};

#define HDR		offsetof(struct blob_hdr, data)
#define LARGE		(BLOB_CLASSES - 1)
#define CLASS_SHIFT	27
#define INDEX_MASK	((1u << CLASS_SHIFT) - 1)

static unsigned
class_of(uint16_t len)
{
	size_t total = HDR + len;

	return total > (size_t)LARGE * 8 ? LARGE : (unsigned)((total + 7) / 8 - 1);
}

void
blob_init(struct blobstore *b, const char *name)
{
	memset(b, 0, sizeof(*b));
	b->name = name;
	for (unsigned c = 0; c < LARGE; c++)
		pool_init(&b->cls[c], (uint32_t)((c + 1) * 8));
	pool_init(&b->cls[LARGE], sizeof(struct blob_large));
}

void
blob_destroy(struct blobstore *b)
{
	/* the large strings' bytes are malloc'd: free them through the
	 * table, which holds every live handle */
	for (size_t i = 0; b->table != NULL && i <= b->mask; i++) {
		uint32_t h = b->table[i];

		if (h != 0 && h >> CLASS_SHIFT == LARGE) {
			struct blob_large *l = pool_get(&b->cls[LARGE],
			    h & INDEX_MASK);
			free(l->data);
		}
	}
	for (unsigned c = 0; c < BLOB_CLASSES; c++)
		pool_destroy(&b->cls[c]);
	free(b->table);
	memset(b, 0, sizeof(*b));
}

void
blob_set_hook(struct blobstore *b, blob_hook_fn fn, void *arg)
{
	b->hook = fn;
	b->hook_arg = arg;
}

const uint8_t *
blob_data(const struct blobstore *b, uint32_t h, uint16_t *len)
{
	unsigned c = h >> CLASS_SHIFT;

	if (c == LARGE) {
		struct blob_large *l = pool_get(&b->cls[c], h & INDEX_MASK);

		*len = l->len;
		return l->data;
	}
	struct blob_hdr *r = pool_get(&b->cls[c], h & INDEX_MASK);

	*len = r->len;
	return r->data;
}

/* refs is the first field of both record kinds */
static uint32_t *
refs_of(const struct blobstore *b, uint32_t h)
{
	return pool_get(&b->cls[h >> CLASS_SHIFT], h & INDEX_MASK);
}

uint32_t
blob_refs(const struct blobstore *b, uint32_t h)
{
	return *refs_of(b, h);
}

static uint64_t
hash_of(const void *data, uint16_t len)
{
	return khash(data, len);
}

/* The table slot holding this string, or the empty slot where it goes. */
static uint32_t *
slot_of(const struct blobstore *b, const void *data, uint16_t len,
    uint64_t hv)
{
	for (uint32_t i = (uint32_t)hv & b->mask;; i = (i + 1) & b->mask) {
		uint32_t h = b->table[i];
		const uint8_t *d;
		uint16_t l;

		if (h == 0)
			return &b->table[i];
		d = blob_data(b, h, &l);
		if (l == len && memcmp(d, data, len) == 0)
			return &b->table[i];
	}
}

/* Grows (or shrinks) the table to nsize slots, a power of two. */
static bool
table_resize(struct blobstore *b, uint32_t nsize)
{
	uint32_t *old = b->table, omask = b->mask;

	if (nsize == 0)
		return false;
	b->table = calloc(nsize, sizeof(uint32_t));
	if (b->table == NULL) {
		b->table = old;
		return false;
	}
	b->mask = nsize - 1;
	for (size_t i = 0; old != NULL && i <= omask; i++) {
		uint32_t h = old[i];
		const uint8_t *d;
		uint16_t l;

		if (h == 0)
			continue;
		d = blob_data(b, h, &l);
		*slot_of(b, d, l, hash_of(d, l)) = h;
	}
	free(old);
	return true;
}

static bool
table_grow(struct blobstore *b)
{
	return table_resize(b, b->table == NULL ? 1024 : (b->mask + 1) * 2);
}

uint32_t
blob_find(const struct blobstore *b, const void *data, uint16_t len)
{
	if (b->table == NULL)
		return 0;
	return *slot_of(b, data, len, hash_of(data, len));
}

static uint32_t
store(struct blobstore *b, const void *data, uint16_t len)
{
	unsigned c = class_of(len);
	uint32_t idx = pool_alloc(&b->cls[c]);

	if (idx == 0 || idx > INDEX_MASK) {
		if (idx != 0)
			pool_free(&b->cls[c], idx);
		return 0;
	}
	if (c == LARGE) {
		struct blob_large *l = pool_get(&b->cls[c], idx);

		l->data = malloc(len);
		if (l->data == NULL) {
			pool_free(&b->cls[c], idx);
			return 0;
		}
		memcpy(l->data, data, len);
		l->refs = 1;
		l->len = len;
		b->large_bytes += len;
	} else {
		struct blob_hdr *r = pool_get(&b->cls[c], idx);

		r->refs = 1;
		r->len = len;
		memcpy(r->data, data, len);
	}
	return (uint32_t)c << CLASS_SHIFT | idx;
}

uint32_t
blob_intern(struct blobstore *b, const void *data, uint16_t len)
{
	uint32_t *slot, h;
	uint64_t hv;

	/* keep the load at or under 3/4 */
	if ((b->table == NULL || (b->count + 1) * 4ull > (b->mask + 1) * 3ull) &&
	    !table_grow(b))
		return 0;
	hv = hash_of(data, len);
	slot = slot_of(b, data, len, hv);
	if (*slot != 0) {
		blob_ref(b, *slot);
		return *slot;
	}
	h = store(b, data, len);
	if (h == 0)
		return 0;
	*slot = h;
	b->count++;
	b->data_bytes += len;
	if (b->hook != NULL)
		b->hook(data, len, 1, b->hook_arg);
	return h;
}

void
blob_ref(struct blobstore *b, uint32_t h)
{
	uint32_t *refs = refs_of(b, h);

	assert(*refs > 0 && *refs < UINT32_MAX);
	(*refs)++;
}

/* Linear probing: after emptying slot i, move later entries of the same
 * run back if their home slot is not between i and them. */
static void
table_delete(struct blobstore *b, uint32_t i)
{
	uint32_t j = i;

	b->table[i] = 0;
	for (;;) {
		uint32_t h, home;
		const uint8_t *d;
		uint16_t l;

		j = (j + 1) & b->mask;
		h = b->table[j];
		if (h == 0)
			return;
		d = blob_data(b, h, &l);
		home = (uint32_t)hash_of(d, l) & b->mask;
		/* h may stay at j if its home is cyclically in (i, j] */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		b->table[i] = h;
		b->table[j] = 0;
		i = j;
	}
}

void
blob_unref(struct blobstore *b, uint32_t h)
{
	uint32_t *refs, *slot;
	const uint8_t *d;
	uint16_t len;
	unsigned c;

	if (h == 0)
		return;
	refs = refs_of(b, h);
	assert(*refs > 0);
	if (--*refs > 0)
		return;
	d = blob_data(b, h, &len);
	if (b->hook != NULL)
		b->hook(d, len, -1, b->hook_arg);
	slot = slot_of(b, d, len, hash_of(d, len));
	assert(*slot == h);
	table_delete(b, (uint32_t)(slot - b->table));
	b->count--;
	b->data_bytes -= len;
	c = h >> CLASS_SHIFT;
	if (c == LARGE) {
		struct blob_large *l = pool_get(&b->cls[c], h & INDEX_MASK);

		b->large_bytes -= l->len;
		free(l->data);
	}
	pool_free(&b->cls[c], h & INDEX_MASK);
	/* memory goes back as strings go: shrink under 1/8 full */
	if (b->mask >= 1024 && b->count * 8ull < b->mask + 1ull)
		table_resize(b, (b->mask + 1) / 2);
}

void
blob_trim(struct blobstore *b)
{
	for (unsigned c = 0; c < BLOB_CLASSES; c++)
		pool_trim(&b->cls[c]);
}

size_t
blob_bytes(const struct blobstore *b)
{
	size_t n = b->large_bytes;

	for (unsigned c = 0; c < BLOB_CLASSES; c++)
		n += pool_bytes(&b->cls[c]);
	if (b->table != NULL)
		n += ((size_t)b->mask + 1) * sizeof(uint32_t);
	return n;
}
