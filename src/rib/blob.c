#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "rib/blob.h"
#include "util/khash.h"
#include "util/prefetch.h"

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

static const struct htab_ops blob_ops;

void
blob_destroy(struct blobstore *b)
{
	/* the large strings' bytes are malloc'd: free them through the
	 * table, which holds every live handle */
	htab_settle(&b->table, &blob_ops, b);
	for (size_t i = 0; b->table.tag != NULL && i <= b->table.mask; i++) {
		uint32_t h = b->table.val[i];

		if (b->table.tag[i] > 1 && h >> CLASS_SHIFT == LARGE) {
			struct blob_large *l = pool_get(&b->cls[LARGE],
			    h & INDEX_MASK);
			free(l->data);
		}
	}
	for (unsigned c = 0; c < BLOB_CLASSES; c++)
		pool_destroy(&b->cls[c]);
	htab_destroy(&b->table);
	free(b->cache);
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

void
blob_prefetch(const struct blobstore *b, uint32_t h)
{
	if (h != 0)
		prefetch(pool_get(&b->cls[h >> CLASS_SHIFT], h & INDEX_MASK));
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
	return khash_bytes(data, len);
}

struct blob_key {
	const void	*data;
	uint16_t	 len;
};

static bool
key_eq(uint32_t h, const void *key, void *ctx)
{
	const struct blob_key *k = key;
	const uint8_t *d;
	uint16_t l;

	d = blob_data(ctx, h, &l);
	return l == k->len && memcmp(d, k->data, l) == 0;
}

static uint64_t
rec_hash(uint32_t h, void *ctx)
{
	const uint8_t *d;
	uint16_t l;

	d = blob_data(ctx, h, &l);
	return hash_of(d, l);
}

static void
rec_prefetch(uint32_t h, void *ctx)
{
	prefetch(refs_of(ctx, h));
}

static const struct htab_ops blob_ops = { rec_hash, rec_prefetch };

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
		if (len > 0)
			memcpy(r->data, data, len);
	}
	return (uint32_t)c << CLASS_SHIFT | idx;
}

static void	release(struct blobstore *b, uint32_t h);

uint64_t
blob_hash_prefetch(const struct blobstore *b, const void *data, uint16_t len)
{
	uint64_t hv = hash_of(data != NULL ? data : "", len);

	htab_prefetch(&b->table, hv);
	return hv;
}

uint32_t
blob_intern_hashed(struct blobstore *b, const void *data, uint16_t len,
    uint64_t hv)
{
	struct blob_key k;
	uint32_t i, h;

	if (data == NULL)
		data = "";	/* an empty string (an empty AS_PATH) */
	k.data = data;
	k.len = len;
	i = htab_find(&b->table, hv, key_eq, &k, b);
	if (i != UINT32_MAX) {
		blob_ref(b, htab_val(&b->table, i));
		return htab_val(&b->table, i);
	}
	h = store(b, data, len);
	if (h == 0)
		return 0;
	if (!htab_add(&b->table, hv, h, &blob_ops, b)) {
		release(b, h);
		return 0;
	}
	b->count++;
	b->data_bytes += len;
	if (b->hook != NULL)
		b->hook(data, len, 1, b->hook_arg);
	return h;
}

uint32_t
blob_intern(struct blobstore *b, const void *data, uint16_t len)
{
	if (data == NULL)
		data = "";
	return blob_intern_hashed(b, data, len, hash_of(data, len));
}

uint32_t
blob_intern_cached(struct blobstore *b, const void *data, uint16_t len,
    uint32_t slots)
{
	struct blob_cache_ent *e;
	uint64_t hv;
	uint32_t h;

	if (data == NULL)
		data = "";
	if (b->cache == NULL) {
		b->cache = calloc(slots, sizeof(*b->cache));
		if (b->cache == NULL)
			return blob_intern(b, data, len);
		b->cache_mask = slots - 1;
	}
	hv = fast_hash(data, len, 0);
	e = &b->cache[hv & b->cache_mask];
	if (e->handle != 0 && e->h == hv) {
		const uint8_t *d;
		uint16_t l;

		d = blob_data(b, e->handle, &l);
		if (l == len && memcmp(d, data, len) == 0) {
			blob_ref(b, e->handle);
			return e->handle;
		}
	}
	h = blob_intern(b, data, len);
	if (h == 0)
		return 0;
	blob_ref(b, h);			/* the cache's */
	if (e->handle != 0)
		blob_unref(b, e->handle);
	e->handle = h;
	e->h = hv;
	return h;
}

void
blob_cache_clear(struct blobstore *b)
{
	struct blob_cache_ent *c = b->cache;

	if (c == NULL)
		return;
	b->cache = NULL;	/* unref below must not find it half-done */
	for (size_t i = 0; i <= b->cache_mask; i++)
		if (c[i].handle != 0)
			blob_unref(b, c[i].handle);
	free(c);
}

void
blob_ref(struct blobstore *b, uint32_t h)
{
	uint32_t *refs = refs_of(b, h);

	assert(*refs > 0 && *refs < UINT32_MAX);
	(*refs)++;
}

/* The record goes back to its pool (and a large string's bytes). */
static void
release(struct blobstore *b, uint32_t h)
{
	unsigned c = h >> CLASS_SHIFT;

	if (c == LARGE) {
		struct blob_large *l = pool_get(&b->cls[c], h & INDEX_MASK);

		b->large_bytes -= l->len;
		free(l->data);
	}
	pool_free(&b->cls[c], h & INDEX_MASK);
}

void
blob_unref(struct blobstore *b, uint32_t h)
{
	struct blob_key k;
	uint32_t *refs, i;

	if (h == 0)
		return;
	refs = refs_of(b, h);
	assert(*refs > 0);
	if (--*refs > 0)
		return;
	k.data = blob_data(b, h, &k.len);
	if (b->hook != NULL)
		b->hook(k.data, k.len, -1, b->hook_arg);
	i = htab_find(&b->table, hash_of(k.data, k.len), key_eq, &k, b);
	assert(i != UINT32_MAX && htab_val(&b->table, i) == h);
	htab_del(&b->table, i, &blob_ops, b);
	b->count--;
	b->data_bytes -= k.len;
	release(b, h);
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
	if (b->cache != NULL)
		n += ((size_t)b->cache_mask + 1) * sizeof(*b->cache);
	return n + htab_bytes(&b->table);
}
