#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/arena.h"
#include "util/bwriter.h"
#include "util/cursor.h"
#include "util/hex.h"
#include "util/htab.h"
#include "util/hugemem.h"
#include "util/json_out.h"
#include "util/strbuf.h"

static void
cursor_reads_and_stops_at_end(void **state)
{
	const uint8_t buf[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct cursor c = cur_make(buf, sizeof(buf)), sub;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	(void)state;
	assert_true(cur_get_u8(&c, &u8));
	assert_int_equal(u8, 1);
	assert_true(cur_get_u16(&c, &u16));
	assert_int_equal(u16, 0x0203);
	assert_true(cur_get_u32(&c, &u32));
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(cur_left(&c), 0);
	assert_false(cur_get_u8(&c, &u8));

	c = cur_make(buf, sizeof(buf));
	assert_false(cur_sub(&c, &sub, 8));	/* longer than the buffer */
	assert_int_equal(cur_left(&c), 7);	/* cursor did not move */
	assert_true(cur_sub(&c, &sub, 3));
	assert_int_equal(cur_left(&sub), 3);
	assert_false(cur_get_u32(&sub, &u32));	/* sub-view is bounded */
	assert_int_equal(cur_left(&sub), 3);
	assert_false(cur_skip(&c, 5));
	assert_true(cur_skip(&c, 4));
}

static void
bwriter_fixed_overflows_cleanly(void **state)
{
	uint8_t buf[5];
	struct bwriter w;

	(void)state;
	bw_init_fixed(&w, buf, sizeof(buf));
	assert_true(bw_put_u32(&w, 0x01020304));
	assert_false(bw_put_u16(&w, 0x0506));
	assert_false(bw_ok(&w));
	assert_int_equal(w.len, 4);

	bw_init(&w);
	for (int i = 0; i < 10000; i++)
		assert_true(bw_put_u16(&w, (uint16_t)i));
	assert_int_equal(w.len, 20000);
	assert_int_equal(w.buf[19998], 9999 >> 8);
	bw_patch_u16(&w, 0, 0xabcd);
	assert_int_equal(w.buf[0], 0xab);
	bw_free(&w);
}

static void
arena_reuses_memory(void **state)
{
	struct arena a;
	void *p1, *p2, *big;

	(void)state;
	arena_init(&a, 1024);
	p1 = arena_alloc(&a, 10);
	assert_non_null(p1);
	assert_int_equal((uintptr_t)p1 % 8, 0);
	big = arena_alloc(&a, 100000);
	assert_non_null(big);
	memset(big, 1, 100000);
	assert_int_equal(a.bytes, 1024 + 100000);
	arena_reset(&a);
	/* the first chunk is reused, the big one was given back */
	assert_int_equal(a.bytes, 1024);
	p2 = arena_alloc(&a, 10);
	assert_ptr_equal(p1, p2);
	assert_null(arena_calloc(&a, SIZE_MAX / 2, 4));
	arena_free(&a);
}

static void
hex_accepts_spacing_rejects_junk(void **state)
{
	uint8_t out[8];
	size_t bad = 0;

	(void)state;
	assert_int_equal(hex_decode("0xFF 00:ab", out, sizeof(out), NULL), 3);
	assert_int_equal(out[0], 0xff);
	assert_int_equal(out[2], 0xab);
	assert_int_equal(hex_decode("abz", out, sizeof(out), &bad), -1);
	assert_int_equal(bad, 2);
	assert_int_equal(hex_decode("abc", out, sizeof(out), NULL), -1);
	assert_int_equal(hex_decode("000000000000000000", out, sizeof(out),
	    NULL), -1);
}

static void
json_escapes_and_separates(void **state)
{
	struct strbuf b;
	struct jw j;

	(void)state;
	sb_init(&b);
	jw_init(&j, &b);
	jw_obj_begin(&j);
	jw_kstr(&j, "a", "q\"\\\n\x01");
	jw_key(&j, "l");
	jw_arr_begin(&j);
	jw_u64(&j, 1);
	jw_bool(&j, false);
	jw_null(&j);
	jw_arr_end(&j);
	jw_obj_end(&j);
	assert_string_equal(sb_str(&b),
	    "{\"a\":\"q\\\"\\\\\\n\\u0001\",\"l\":[1,false,null]}");
	sb_free(&b);
}

/* The escape test runs 8 bytes at a time: every byte value at every
 * position of strings around that size is escaped as byte by byte. */
static void
json_escapes_every_byte_anywhere(void **state)
{
	static const char hex[] = "0123456789abcdef";
	struct strbuf b, want;
	struct jw j;
	char s[20];

	(void)state;
	sb_init(&b);
	sb_init(&want);
	for (unsigned len = 1; len <= sizeof(s); len++)
		for (unsigned pos = 0; pos < len; pos++)
			for (unsigned c = 1; c < 256; c++) {
				memset(s, c == 'a' ? 'b' : 'a', len);
				s[pos] = (char)c;
				sb_reset(&b);
				jw_init(&j, &b);
				jw_strn(&j, s, len);
				sb_reset(&want);
				sb_putc(&want, '"');
				for (unsigned i = 0; i < len; i++) {
					unsigned char x = (unsigned char)s[i];

					if (x == '"' || x == '\\') {
						sb_putc(&want, '\\');
						sb_putc(&want, (char)x);
					} else if (x == '\n') {
						sb_puts(&want, "\\n");
					} else if (x == '\r') {
						sb_puts(&want, "\\r");
					} else if (x == '\t') {
						sb_puts(&want, "\\t");
					} else if (x < 0x20) {
						sb_puts(&want, "\\u00");
						sb_putc(&want, hex[x >> 4]);
						sb_putc(&want, hex[x & 15]);
					} else {
						sb_putc(&want, (char)x);
					}
				}
				sb_putc(&want, '"');
				assert_string_equal(sb_str(&b), sb_str(&want));
			}
	sb_free(&b);
	sb_free(&want);
}

static void
hugemem_zeroed_aligned_and_freed(void **state)
{
	size_t sizes[] = { 1, 4096, HUGEMEM_PAGE - 1, HUGEMEM_PAGE,
	    3 * HUGEMEM_PAGE + 17 };

	(void)state;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint8_t *p = huge_calloc(sizes[k]);
		size_t nz = 0;

		assert_non_null(p);
		if (sizes[k] >= HUGEMEM_PAGE)
			assert_int_equal((uintptr_t)p % HUGEMEM_PAGE, 0);
		for (size_t i = 0; i < sizes[k]; i++)
			nz += p[i] != 0;
		assert_int_equal(nz, 0);
		memset(p, 0xa5, sizes[k]);	/* all of it is ours */
		huge_free(p, sizes[k]);
	}
	huge_free(NULL, HUGEMEM_PAGE);
}

/* Values are their own keys; the hash spreads them. */
static uint64_t
ht_hash(uint32_t v, void *ctx)
{
	(void)ctx;
	return (uint64_t)v * 0x9e3779b97f4a7c15ull;
}

static bool
ht_eq(uint32_t v, const void *key, void *ctx)
{
	(void)ctx;
	return v == *(const uint32_t *)key;
}

static void
htab_grows_into_huge_arrays_and_shrinks(void **state)
{
	static const struct htab_ops ops = { ht_hash, NULL };
	const uint32_t n = 1500000;	/* 2M slots: 8 MiB of values */
	struct htab t;

	(void)state;
	htab_init(&t);
	for (uint32_t v = 1; v <= n; v++) {
		assert_int_equal(htab_find(&t, ht_hash(v, NULL), ht_eq, &v,
		    NULL), UINT32_MAX);
		assert_true(htab_add(&t, ht_hash(v, NULL), v, &ops, NULL));
	}
	assert_true(htab_bytes(&t) >= 5 * HUGEMEM_PAGE);
	for (uint32_t v = 1; v <= n; v++) {
		uint32_t i = htab_find(&t, ht_hash(v, NULL), ht_eq, &v, NULL);

		assert_int_not_equal(i, UINT32_MAX);
		assert_int_equal(htab_val(&t, i), v);
		if (v % 16 != 0)
			htab_del(&t, i, &ops, NULL);
	}
	assert_int_equal(t.count, n / 16);
	assert_true(htab_bytes(&t) < 5 * HUGEMEM_PAGE);	/* shrank */
	for (uint32_t v = 1; v <= n; v++) {
		uint32_t i = htab_find(&t, ht_hash(v, NULL), ht_eq, &v, NULL);

		assert_int_equal(i != UINT32_MAX, v % 16 == 0);
	}
	htab_destroy(&t);
}

/* Random adds and deletes against a plain array, across growths that
 * move step by step (tables of 64Ki slots and more) and shrinks: every
 * key is found exactly when the model has it, the slot gives the value,
 * and the count agrees. */
static void
htab_differential(void **state)
{
	static const struct htab_ops ops = { ht_hash, NULL };
	const uint32_t keys = 400000;
	uint8_t *have = calloc(keys + 1, 1);
	uint64_t seed = 0x243f6a8885a308d3ull;
	uint32_t n = 0, grew_in_steps = 0;
	struct htab t;

	(void)state;
	assert_non_null(have);
	htab_init(&t);
	for (uint32_t op = 0; op < 3000000; op++) {
		uint32_t k, i;
		bool add;

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		k = (uint32_t)(seed % keys) + 1;
		/* phases: mostly adds, then mostly deletes, then mixed */
		add = op < 1200000 ? seed % 8 != 0 :
		    op < 2200000 ? seed % 8 == 0 : seed % 2 == 0;
		htab_prefetch(&t, ht_hash(k, NULL));
		i = htab_find(&t, ht_hash(k, NULL), ht_eq, &k, NULL);
		assert_int_equal(i != UINT32_MAX, have[k]);
		if (i != UINT32_MAX)
			assert_int_equal(htab_val(&t, i), k);
		if (add && !have[k]) {
			assert_true(htab_add(&t, ht_hash(k, NULL), k, &ops,
			    NULL));
			have[k] = 1;
			n++;
		} else if (!add && have[k]) {
			htab_del(&t, i, &ops, NULL);
			have[k] = 0;
			n--;
		}
		assert_int_equal(t.count, n);
		grew_in_steps += t.otag != NULL;
	}
	assert_true(grew_in_steps > 0);		/* the stepped path ran */
	for (uint32_t k = 1; k <= keys; k++) {
		uint32_t i = htab_find(&t, ht_hash(k, NULL), ht_eq, &k, NULL);

		assert_int_equal(i != UINT32_MAX, have[k]);
	}
	htab_settle(&t, &ops, NULL);
	assert_null(t.otag);
	htab_destroy(&t);
	free(have);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cursor_reads_and_stops_at_end),
		cmocka_unit_test(bwriter_fixed_overflows_cleanly),
		cmocka_unit_test(arena_reuses_memory),
		cmocka_unit_test(hex_accepts_spacing_rejects_junk),
		cmocka_unit_test(json_escapes_and_separates),
		cmocka_unit_test(json_escapes_every_byte_anywhere),
		cmocka_unit_test(hugemem_zeroed_aligned_and_freed),
		cmocka_unit_test(htab_grows_into_huge_arrays_and_shrinks),
		cmocka_unit_test(htab_differential),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
