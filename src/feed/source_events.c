/* Recent source events (source_events.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "feed/source_events.h"
#include "util/json_out.h"
#include "util/seqspan.h"

void
sevents_add(struct sevents *e, uint64_t time_us, const char *source,
    const char *kind, const char *from, const char *to, const char *detail)
{
	struct sevent *v = &e->ring[e->last_seq % SEVENTS];

	v->seq = ++e->last_seq;
	v->time_us = time_us;
	snprintf(v->source, sizeof(v->source), "%s", source);
	snprintf(v->kind, sizeof(v->kind), "%s", kind);
	snprintf(v->from, sizeof(v->from), "%s", from);
	snprintf(v->to, sizeof(v->to), "%s", to);
	snprintf(v->detail, sizeof(v->detail), "%s", detail != NULL ?
	    detail : "");
}

void
sevents_json(const struct sevents *e, uint64_t after, unsigned limit,
    struct strbuf *out)
{
	struct seq_span w = seq_span(e->last_seq, SEVENTS, after, limit,
	    true);
	struct jw j;

	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_key(&j, "events");
	jw_arr_begin(&j);
	for (uint64_t s = w.first; s <= w.last; s++) {
		const struct sevent *v = &e->ring[(s - 1) % SEVENTS];

		jw_obj_begin(&j);
		jw_ku64(&j, "seq", v->seq);
		jw_ku64(&j, "time_us", v->time_us);
		jw_kstr(&j, "source", v->source);
		jw_kstr(&j, "kind", v->kind);
		jw_kstr(&j, "from", v->from);
		jw_kstr(&j, "to", v->to);
		jw_kstr(&j, "detail", v->detail);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_ku64(&j, "first_seq", e->last_seq > 0 ? w.oldest : 0);
	jw_ku64(&j, "last_seq", e->last_seq);
	jw_obj_end(&j);
	sb_putc(out, '\n');
}

void
sevents_text(const struct sevents *e, uint64_t after, unsigned limit,
    struct strbuf *out)
{
	struct seq_span w = seq_span(e->last_seq, SEVENTS, after, limit,
	    true);

	for (uint64_t s = w.first; s <= w.last; s++) {
		const struct sevent *v = &e->ring[(s - 1) % SEVENTS];
		time_t t = (time_t)(v->time_us / 1000000u);
		struct tm tm;
		char when[32];

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		sb_printf(out, "%6llu %s %-20s %-8s %s%s%s%s%s\n",
		    (unsigned long long)v->seq, when, v->source, v->kind,
		    v->from, *v->from != '\0' ? " -> " : "", v->to,
		    *v->detail != '\0' ? "  " : "", v->detail);
	}
	if (e->last_seq == 0)
		sb_puts(out, "no source events yet\n");
}
