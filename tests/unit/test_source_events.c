/* The ring of recent source events behind GET /api/v1/events: numbering,
 * "after", "limit", the ring wrapping, and the text form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/source_events.h"
#include "util/strbuf.h"

/* The seqs of a JSON answer, in order, and its first_seq and last_seq. */
static size_t
seqs_of(const char *json, uint64_t *out, size_t max, uint64_t *first,
    uint64_t *last)
{
	const char *p = json;
	size_t n = 0;

	while ((p = strstr(p, "{\"seq\":")) != NULL && n < max)
		out[n++] = strtoull(p += 7, NULL, 10);
	assert_non_null(p = strstr(json, "\"first_seq\":"));
	*first = strtoull(p + 12, NULL, 10);
	assert_non_null(p = strstr(json, "\"last_seq\":"));
	*last = strtoull(p + 11, NULL, 10);
	return n;
}

static void
add_n(struct sevents *e, unsigned n)
{
	char name[32];

	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "s%llu",
		    (unsigned long long)e->last_seq + 1);
		sevents_add(e, 1000 + e->last_seq, name, "mrt", "starting",
		    "up", NULL);
	}
}

static void
numbered_after_and_limit(void **state)
{
	struct sevents *e = calloc(1, sizeof(*e));
	uint64_t seq[SEVENTS + 8], first, last;
	struct strbuf b;
	size_t n;

	(void)state;
	sb_init(&b);
	sevents_json(e, 0, SEVENTS, &b);
	assert_string_equal(b.s, "{\"events\":[],\"first_seq\":0,"
	    "\"last_seq\":0}\n");
	sevents_add(e, 1795821108460538u, "rv", "mrt", "", "starting", "");
	sevents_add(e, 1795821108460567u, "rv", "mrt", "starting", "degraded",
	    "rv.mrt: \"truncated\"");
	sb_reset(&b);
	sevents_json(e, 0, SEVENTS, &b);
	assert_string_equal(b.s, "{\"events\":[{\"seq\":1,\"time_us\":"
	    "1795821108460538,\"source\":\"rv\",\"kind\":\"mrt\",\"from\":\"\","
	    "\"to\":\"starting\",\"detail\":\"\"},{\"seq\":2,\"time_us\":"
	    "1795821108460567,\"source\":\"rv\",\"kind\":\"mrt\",\"from\":"
	    "\"starting\",\"to\":\"degraded\",\"detail\":\"rv.mrt: "
	    "\\\"truncated\\\"\"}],\"first_seq\":1,\"last_seq\":2}\n");
	add_n(e, 8);			/* 10 in all */
	/* after: only the newer ones */
	sb_reset(&b);
	sevents_json(e, 7, SEVENTS, &b);
	n = seqs_of(b.s, seq, 16, &first, &last);
	assert_int_equal(n, 3);
	assert_true(seq[0] == 8 && seq[2] == 10 && first == 1 && last == 10);
	/* nothing newer, whatever the number */
	for (uint64_t after = 10; after < 13; after++) {
		sb_reset(&b);
		sevents_json(e, after, SEVENTS, &b);
		assert_int_equal(seqs_of(b.s, seq, 16, &first, &last), 0);
	}
	sb_reset(&b);
	sevents_json(e, UINT64_MAX, SEVENTS, &b);
	assert_int_equal(seqs_of(b.s, seq, 16, &first, &last), 0);
	/* limit: the newest */
	sb_reset(&b);
	sevents_json(e, 0, 4, &b);
	n = seqs_of(b.s, seq, 16, &first, &last);
	assert_true(n == 4 && seq[0] == 7 && seq[3] == 10);
	sb_reset(&b);
	sevents_json(e, 8, 4, &b);
	assert_int_equal(seqs_of(b.s, seq, 16, &first, &last), 2);
	sb_free(&b);
	free(e);
}

static void
ring_keeps_the_latest(void **state)
{
	struct sevents *e = calloc(1, sizeof(*e));
	uint64_t *seq = calloc(SEVENTS + 8, sizeof(*seq)), first, last;
	struct strbuf b;
	size_t n;

	(void)state;
	sb_init(&b);
	add_n(e, SEVENTS * 3 + 17);
	sevents_json(e, 0, SEVENTS, &b);
	n = seqs_of(b.s, seq, SEVENTS + 8, &first, &last);
	assert_int_equal(n, SEVENTS);
	assert_int_equal(last, SEVENTS * 3 + 17);
	assert_int_equal(first, last - SEVENTS + 1);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(seq[i], first + i);
	/* each slot holds its own event: the name says its seq */
	assert_non_null(strstr(b.s, "\"source\":\"s3089\""));
	assert_null(strstr(b.s, "\"source\":\"s1024\","));
	/* after an event no longer kept: from the oldest kept */
	sb_reset(&b);
	sevents_json(e, 5, SEVENTS, &b);
	n = seqs_of(b.s, seq, SEVENTS + 8, &first, &last);
	assert_true(n == SEVENTS && seq[0] == first);
	sb_reset(&b);
	sevents_json(e, last - 3, SEVENTS, &b);
	assert_int_equal(seqs_of(b.s, seq, SEVENTS + 8, &first, &last), 3);
	sb_free(&b);
	free(seq);
	free(e);
}

static void
text_is_a_line_each(void **state)
{
	struct sevents *e = calloc(1, sizeof(*e));
	struct strbuf b;

	(void)state;
	sb_init(&b);
	sevents_text(e, 0, SEVENTS, &b);
	assert_string_equal(b.s, "no source events yet\n");
	sevents_add(e, 1795821108460538u, "rv", "mrt", "", "starting", "");
	sevents_add(e, 1795821110000000u, "broken", "mrt", "starting", "down",
	    "/x.mrt: No such file or directory");
	sb_reset(&b);
	sevents_text(e, 0, SEVENTS, &b);
	assert_string_equal(b.s,
	    "     1 2026-11-27T23:11:48Z rv                   mrt      "
	    "starting\n"
	    "     2 2026-11-27T23:11:50Z broken               mrt      "
	    "starting -> down  /x.mrt: No such file or directory\n");
	/* long fields are cut to their room, not past it */
	sevents_add(e, 1, "a-source-name-much-longer-than-the-sixty-four-"
	    "bytes-a-slot-keeps-for-it", "rislive-with-a-long-kind", "degraded",
	    "down", NULL);
	assert_int_equal(strlen(e->ring[2].source), sizeof(e->ring[2].source) -
	    1);
	assert_int_equal(strlen(e->ring[2].kind), sizeof(e->ring[2].kind) - 1);
	assert_string_equal(e->ring[2].detail, "");
	sb_free(&b);
	free(e);
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
