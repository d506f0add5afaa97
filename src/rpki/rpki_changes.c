/* Recent route state changes (rpki_changes.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rpki/aspa.h"
#include "rpki/rpki_changes.h"
#include "rpki/vrp.h"
#include "util/json_out.h"
#include "util/seqspan.h"

void
rchanges_add(struct rchanges *c, const struct rchange *v)
{
	struct rchange *slot = &c->ring[c->last_seq % RCHANGES];

	*slot = *v;
	slot->seq = ++c->last_seq;
}

static void
vp_names(struct rib *r, uint32_t id, const char **vp, const char **source)
{
	const struct rib_vp *v = r != NULL ? rib_vp(r, id) : NULL;
	const struct rib_source *s = v != NULL ? rib_source(r, v->source) :
	    NULL;

	*vp = v != NULL ? v->name : "?";
	*source = s != NULL ? s->name : "?";
}

static void
states_json(struct jw *j, const char *key, const char *old, const char *now)
{
	jw_key(j, key);
	jw_obj_begin(j);
	jw_kstr(j, "old", old);
	jw_kstr(j, "new", now);
	jw_obj_end(j);
}

static void
change_json(struct jw *j, const struct rchange *v, struct rib *r)
{
	const char *vp, *source;
	char buf[64];

	vp_names(r, v->vp, &vp, &source);
	jw_obj_begin(j);
	jw_ku64(j, "seq", v->seq);
	jw_ku64(j, "time_us", v->time_us);
	jw_kstr(j, "prefix", trie_key_str(&v->k, buf, sizeof(buf)));
	jw_kstr(j, "source", source);
	jw_ku64(j, "vp", v->vp);
	jw_kstr(j, "vp_name", vp);
	if (v->has_path_id)
		jw_ku64(j, "path_id", v->path_id);
	jw_key(j, "origin_asn");
	if (v->has_origin)
		jw_u64(j, v->origin);
	else
		jw_null(j);
	states_json(j, "rov", rov_state_name(v->old.rov),
	    rov_state_name(v->now.rov));
	states_json(j, "aspa", aspa_state_name(v->old.aspa),
	    aspa_state_name(v->now.aspa));
	jw_obj_end(j);
}

void
rchanges_json(const struct rchanges *c, struct rib *r, uint64_t after,
    unsigned limit, struct strbuf *out)
{
	struct seq_span s = seq_span(c->last_seq, RCHANGES, after,
	    limit, false);
	struct jw j;

	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_key(&j, "changes");
	jw_arr_begin(&j);
	for (uint64_t q = s.first; q <= s.last; q++)
		change_json(&j, &c->ring[(q - 1) % RCHANGES], r);
	jw_arr_end(&j);
	jw_ku64(&j, "first_seq", c->last_seq > 0 ? s.oldest : 0);
	jw_ku64(&j, "last_seq", c->last_seq);
	jw_ku64(&j, "dropped", s.dropped);
	jw_obj_end(&j);
	sb_putc(out, '\n');
}

static void
change_text(const struct rchange *v, struct rib *r, struct strbuf *out)
{
	time_t t = (time_t)(v->time_us / 1000000u);
	const char *vp, *source;
	char when[32], pb[64], id[32] = "", origin[16] = "AS_SET";
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	vp_names(r, v->vp, &vp, &source);
	if (v->has_path_id)
		snprintf(id, sizeof(id), " path-id %u", v->path_id);
	if (v->has_origin)
		snprintf(origin, sizeof(origin), "AS%u", v->origin);
	sb_printf(out, "%6llu %s %-20s %s %s%s origin %s: rov %s -> %s, "
	    "aspa %s -> %s\n", (unsigned long long)v->seq, when,
	    trie_key_str(&v->k, pb, sizeof(pb)), source, vp, id, origin,
	    rov_state_name(v->old.rov), rov_state_name(v->now.rov),
	    aspa_state_name(v->old.aspa), aspa_state_name(v->now.aspa));
}

void
rchanges_text(const struct rchanges *c, struct rib *r, uint64_t after,
    unsigned limit, struct strbuf *out)
{
	struct seq_span s = seq_span(c->last_seq, RCHANGES, after,
	    limit, false);

	if (c->last_seq == 0) {
		sb_puts(out, "no route has changed RPKI state yet\n");
		return;
	}
	if (s.dropped > 0)
		sb_printf(out, "(%llu changes after %llu are no longer kept)\n",
		    (unsigned long long)s.dropped, (unsigned long long)after);
	for (uint64_t q = s.first; q <= s.last; q++)
		change_text(&c->ring[(q - 1) % RCHANGES], r, out);
}
