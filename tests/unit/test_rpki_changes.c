/* The ring of route RPKI state changes behind GET /api/v1/rpki/changes:
 * numbering, "after", "limit" (the oldest of those newer: a reader pages
 * forward), the ring wrapping with what was dropped, the VP and source
 * named from the RIB, and the text form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib/rib.h"
#include "rpki/aspa.h"
#include "rpki/rpki_changes.h"
#include "rpki/vrp.h"
#include "util/strbuf.h"

struct answer {
	uint64_t	*seq;
	size_t		 n;
	uint64_t	 first, last, dropped;
};

static uint64_t
number_after(const char *json, const char *key)
{
	const char *p = strstr(json, key);

	assert_non_null(p);
	return strtoull(p + strlen(key), NULL, 10);
}

/* The seqs of a JSON answer, in order, and its counts. */
static void
read_answer(const char *json, struct answer *a, size_t max)
{
	a->n = 0;
	/* not strstr from each one: a sanitizer's strstr reads all that is
	 * left each time (quadratic on a 65,536-change answer) */
	for (const char *p = json; *p != '\0'; p++) {
		if (*p != '{' || strncmp(p, "{\"seq\":", 7) != 0)
			continue;
		assert_true(a->n < max);
		a->seq[a->n++] = strtoull(p + 7, NULL, 10);
	}
	a->first = number_after(json, "\"first_seq\":");
	a->last = number_after(json, "\"last_seq\":");
	a->dropped = number_after(json, "\"dropped\":");
}

static struct answer
ask(const struct rchanges *c, struct rib *r, uint64_t after, unsigned limit,
    uint64_t *seq, size_t max)
{
	struct answer a = { .seq = seq };
	struct strbuf b;

	sb_init(&b);
	rchanges_json(c, r, after, limit, &b);
	read_answer(b.s, &a, max);
	sb_free(&b);
	return a;
}

/* n changes of 10.x.y.0/24, x.y counting from the seq they get. */
static void
add_n(struct rchanges *c, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t s = c->last_seq + 1;
		struct rchange v = {
			.time_us = 1795821108000000u + s,
			.vp = 0,
			.origin = 64496,
			.has_origin = true,
			.old = { ROV_NOT_FOUND, ASPA_UNKNOWN },
			.now = { ROV_VALID, ASPA_UNKNOWN },
		};
		char p[32];

		snprintf(p, sizeof(p), "10.%u.%u.0/24",
		    (unsigned)(s >> 8) & 255, (unsigned)s & 255);
		assert_true(trie_key_parse(p, &v.k));
		rchanges_add(c, &v);
	}
}

static size_t
lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static struct rib *
rib_with_a_vp(void)
{
	struct rib *r = rib_new();
	struct rib_vp t = { .afi = 1, .asn = 3356 };

	assert_non_null(r);
	t.source = rib_source_add(r, "mrt", "rv");
	snprintf(t.name, sizeof(t.name), "4.68.4.46 AS3356");
	assert_int_equal(rib_vp_add(r, &t), 0);
	return r;
}

static void
numbered_after_and_limit(void **state)
{
	struct rchanges *c = calloc(1, sizeof(*c));
	struct rib *r = rib_with_a_vp();
	uint64_t seq[64];
	struct answer a;
	struct strbuf b;

	(void)state;
	sb_init(&b);
	rchanges_json(c, r, 0, RCHANGES_LIMIT, &b);
	assert_string_equal(b.s, "{\"changes\":[],\"first_seq\":0,"
	    "\"last_seq\":0,\"dropped\":0}\n");
	add_n(c, 1);
	sb_reset(&b);
	rchanges_json(c, r, 0, RCHANGES_LIMIT, &b);
	assert_string_equal(b.s, "{\"changes\":[{\"seq\":1,\"time_us\":"
	    "1795821108000001,\"prefix\":\"10.0.1.0/24\",\"source\":\"rv\","
	    "\"vp\":0,\"vp_name\":\"4.68.4.46 AS3356\",\"origin_asn\":64496,"
	    "\"rov\":{\"old\":\"not-found\",\"new\":\"valid\"},\"aspa\":"
	    "{\"old\":\"unknown\",\"new\":\"unknown\"}}],\"first_seq\":1,"
	    "\"last_seq\":1,\"dropped\":0}\n");
	add_n(c, 9);			/* 10 in all */
	/* after: only the newer ones */
	a = ask(c, r, 7, RCHANGES_LIMIT, seq, 64);
	assert_int_equal(a.n, 3);
	assert_true(a.seq[0] == 8 && a.seq[2] == 10);
	assert_true(a.first == 1 && a.last == 10 && a.dropped == 0);
	/* nothing newer, whatever the number */
	for (uint64_t after = 10; after < 13; after++)
		assert_int_equal(ask(c, r, after, 5, seq, 64).n, 0);
	assert_int_equal(ask(c, r, UINT64_MAX, 5, seq, 64).n, 0);
	/* limit: the oldest of the newer ones, so that paging by the last
	 * seq got reads every change once */
	a = ask(c, r, 0, 4, seq, 64);
	assert_true(a.n == 4 && a.seq[0] == 1 && a.seq[3] == 4);
	a = ask(c, r, 4, 4, seq, 64);
	assert_true(a.n == 4 && a.seq[0] == 5 && a.seq[3] == 8);
	a = ask(c, r, 8, 4, seq, 64);
	assert_true(a.n == 2 && a.seq[0] == 9 && a.seq[1] == 10);
	a = ask(c, r, 0, 10, seq, 64);
	assert_true(a.n == 10 && a.seq[9] == 10);
	sb_free(&b);
	rib_free(r);
	free(c);
}

static void
ring_keeps_the_latest(void **state)
{
	struct rchanges *c = calloc(1, sizeof(*c));
	uint64_t *seq = calloc(RCHANGES + 8, sizeof(*seq));
	struct answer a;
	struct strbuf b;

	(void)state;
	add_n(c, RCHANGES * 2 + 17);
	a = ask(c, NULL, 0, RCHANGES, seq, RCHANGES + 8);
	assert_int_equal(a.n, RCHANGES);
	assert_int_equal(a.last, RCHANGES * 2 + 17);
	assert_int_equal(a.first, a.last - RCHANGES + 1);
	assert_int_equal(a.dropped, RCHANGES + 17);
	for (size_t i = 0; i < a.n; i++)
		assert_int_equal(a.seq[i], a.first + i);
	/* each slot holds its own change: its prefix says its seq (no VP
	 * in a RIB: named "?") */
	sb_init(&b);
	rchanges_json(c, NULL, a.last - 1, 1, &b);
	assert_non_null(strstr(b.s, "{\"seq\":131089,\"time_us\":"
	    "1795821108131089,\"prefix\":\"10.0.17.0/24\",\"source\":\"?\","
	    "\"vp\":0,\"vp_name\":\"?\""));
	/* after one no longer kept: from the oldest kept, the gap said */
	a = ask(c, NULL, 5, 3, seq, 8);
	assert_true(a.n == 3 && a.seq[0] == a.first);
	assert_int_equal(a.dropped, a.first - 6);
	a = ask(c, NULL, a.first - 1, 3, seq, 8);
	assert_int_equal(a.dropped, 0);
	a = ask(c, NULL, a.last - 3, RCHANGES, seq, 8);
	assert_int_equal(a.n, 3);
	sb_free(&b);
	free(seq);
	free(c);
}

static void
text_is_a_line_each(void **state)
{
	struct rchanges *c = calloc(1, sizeof(*c));
	struct rib *r = rib_with_a_vp();
	struct rchange v = {
		.time_us = 1795821110000000u,
		.vp = 0,
		.path_id = 7,
		.has_path_id = true,
		.old = { ROV_INVALID_ORIGIN, ASPA_VALID },
		.now = { ROV_NOT_FOUND, ASPA_INVALID },
	};
	const char *want;
	struct strbuf b;

	(void)state;
	sb_init(&b);
	rchanges_text(c, r, 0, RCHANGES_LIMIT, &b);
	assert_string_equal(b.s, "no route has changed RPKI state yet\n");
	add_n(c, 1);
	assert_true(trie_key_parse("2001:db8::/32", &v.k));
	rchanges_add(c, &v);		/* no origin: an AS_SET */
	sb_reset(&b);
	rchanges_text(c, r, 0, RCHANGES_LIMIT, &b);
	assert_string_equal(b.s,
	    "     1 2026-11-27T23:11:48Z 10.0.1.0/24          rv 4.68.4.46 "
	    "AS3356 origin AS64496: rov not-found -> valid, aspa unknown -> "
	    "unknown\n"
	    "     2 2026-11-27T23:11:50Z 2001:db8::/32        rv 4.68.4.46 "
	    "AS3356 path-id 7 origin AS_SET: rov invalid-origin -> "
	    "not-found, aspa valid -> invalid\n");
	sb_reset(&b);
	rchanges_json(c, r, 1, RCHANGES_LIMIT, &b);
	assert_non_null(strstr(b.s, "\"path_id\":7,\"origin_asn\":null,"));
	/* what a reader missed is said first */
	add_n(c, RCHANGES);
	sb_reset(&b);
	rchanges_text(c, r, 1, 1, &b);
	want = "(1 changes after 1 are no longer kept)\n     3 ";
	assert_int_equal(strncmp(b.s, want, strlen(want)), 0);
	assert_int_equal(lines(b.s), 2);	/* limit 1: the note, one */
	sb_free(&b);
	rib_free(r);
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbered_after_and_limit),
		cmocka_unit_test(ring_keeps_the_latest),
		cmocka_unit_test(text_is_a_line_each),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
