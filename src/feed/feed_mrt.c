/* MRT files as a source: RIB dumps first (they initialise the VPs'
 * tables), then update files merged in timestamp order, at full speed or
 * following their timestamps at a speed factor. Each MRT peer (address
 * and AS) is a VP. Files are opened only when the replay reaches them,
 * so a day of update files does not hold a day of buffers. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed/feed.h"
#include "util/khash.h"
#include "util/log.h"
#include "util/readahead.h"
#include "util/zstream.h"
#include "wire/mrt.h"

struct mrt_file {
	const char		*path;
	bool			 is_rib;
	bool			 peeked;	/* first record read */
	bool			 done;
	bool			 failed;
	uint32_t		 first_ts;
	struct zstream		*z;
	struct readahead	*ra;
	struct mrt_reader	*r;
	struct mrt_record	 rec;		/* pending */
	bool			 have_rec;
};

struct feed_mrt;

struct lazy_ent {
	struct feed_mrt		*m;
	struct mrt_elem		 e;
};

struct vp_key {
	uint8_t		afi;
	uint8_t		ip[16];
	uint32_t	asn;
	uint32_t	vp;		/* UINT32_MAX: empty slot */
};

struct feed_mrt {
	struct feed_source	 base;
	char			 name[64];
	double			 speed;
	unsigned		 batch;
	bool			 loop;
	bool			 clock_now;
	uint64_t		 now_us;	/* of the poll, for clock_now */
	uint64_t		 loops;		/* replays started again */
	uint64_t		 since_loop;	/* records replayed since */
	struct mrt_file		*files;
	size_t			 nfiles;
	size_t			*ribs;		/* indexes of RIB dumps */
	size_t			 nribs;
	size_t			 next_rib;
	size_t			*upds;		/* update files by first_ts */
	size_t			 nupds;
	size_t			 next_upd;
	size_t			*open;		/* update files being read */
	size_t			 nopen;
	struct vp_key		*vpmap;		/* (afi, ip, asn) -> VP */
	uint32_t		 vpmask;
	uint32_t		 nvp;
	const struct mrt_peer	*peer_table;	/* last PEER_INDEX_TABLE */
	uint32_t		*peer_vps;	/* its peers' VPs */
	uint32_t		 npeer_vps;
	bool			 started;
	bool			 finished;
	size_t			 nfailed;	/* files that could not be
						 * opened */
	bool			 restart;
	uint32_t		 restart_id;
	uint16_t		 vp_tags;
	bool			 in_updates;	/* the RIB dumps are done */
	bool			 clock_set;
	uint64_t		 start_wall_us;
	uint64_t		 start_ts_us;
	uint32_t		 position;
	struct mrt_file		*cur;		/* being processed */
	/* The events of one RIB record, emitted together so that the RIB
	 * can intern their attributes side by side; with each, its entry
	 * (undecoded) for the decode callback. */
	struct feed_event	*evbatch;
	struct lazy_ent		*lazy;
	size_t			 nbatch;
	size_t			 cap_batch;
	/* same_attrs: the last announcement's record and attributes */
	uint64_t		 last_off;
	const struct mrt_file	*last_file;
	const void		*last_attrs;
	const void		*last_nh;
};

static void	batch_flush(struct feed_mrt *m);

static struct feed_mrt *
to_mrt(struct feed_source *s)
{
	return (struct feed_mrt *)s;
}

static void
set_state(struct feed_mrt *m, enum rib_source_state st, const char *err)
{
	/* the wall clock: a state's "since" is when we saw it change */
	struct feed_event ev = { .type = FEED_SOURCE_STATE,
	    .state = (uint8_t)st, .source = m->base.id, .error = err,
	    .time_us = feed_now_us() };

	feed_emit(&m->base, &ev, 1);
}

/* --- VPs ---------------------------------------------------------------------- */

static uint32_t
vpkey_hash(uint8_t afi, const uint8_t *ip, uint32_t asn)
{
	uint32_t w[6] = { afi, asn };

	memcpy(w + 2, ip, 16);
	return (uint32_t)khash_words(w, 6);
}

static struct vp_key *
vpmap_slot(struct feed_mrt *m, uint8_t afi, const uint8_t *ip, uint32_t asn)
{
	for (uint32_t i = vpkey_hash(afi, ip, asn) & m->vpmask;;
	    i = (i + 1) & m->vpmask) {
		struct vp_key *k = &m->vpmap[i];

		if (k->vp == UINT32_MAX || (k->afi == afi && k->asn == asn &&
		    memcmp(k->ip, ip, 16) == 0))
			return k;
	}
}

static bool
vpmap_grow(struct feed_mrt *m)
{
	struct vp_key *old = m->vpmap;
	uint32_t osize = m->vpmap != NULL ? m->vpmask + 1 : 0;
	uint32_t nsize = osize ? osize * 2 : 256;

	m->vpmap = malloc(nsize * sizeof(*m->vpmap));
	if (m->vpmap == NULL) {
		m->vpmap = old;
		return false;
	}
	for (uint32_t i = 0; i < nsize; i++)
		m->vpmap[i].vp = UINT32_MAX;
	m->vpmask = nsize - 1;
	for (uint32_t i = 0; i < osize; i++)
		if (old[i].vp != UINT32_MAX)
			*vpmap_slot(m, old[i].afi, old[i].ip, old[i].asn) =
			    old[i];
	free(old);
	return true;
}

/* The VP of an MRT peer, registered (and brought up) when first seen. */
static uint32_t
vp_of(struct feed_mrt *m, const struct mrt_peer *p, uint64_t time_us)
{
	struct vp_key *k;
	struct rib_vp t;
	char ip[INET6_ADDRSTRLEN];

	if ((m->nvp + 1) * 4 > (m->vpmap != NULL ? m->vpmask + 1 : 0) * 3 &&
	    !vpmap_grow(m))
		return UINT32_MAX;
	k = vpmap_slot(m, p->afi, p->ip, p->asn);
	if (k->vp != UINT32_MAX)
		return k->vp;
	memset(&t, 0, sizeof(t));
	t.source = m->base.id;
	t.afi = p->afi;
	memcpy(t.addr, p->ip, 16);
	t.asn = p->asn;
	t.router_id = p->bgp_id;
	t.table = RIB_TABLE_COLLECTOR_PEER;
	t.tags = RIB_TAG_COLLECTOR | m->vp_tags;
	inet_ntop(p->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, p->ip, ip,
	    sizeof(ip));
	snprintf(t.name, sizeof(t.name), "%s AS%u", ip, p->asn);
	k->vp = rib_vp_add(m->base.rib, &t);
	if (k->vp == UINT32_MAX)
		return UINT32_MAX;
	k->afi = p->afi;
	memcpy(k->ip, p->ip, 16);
	k->asn = p->asn;
	m->nvp++;
	{
		struct feed_event ev = { .type = FEED_VP_UP,
		    .source = m->base.id, .vp = k->vp, .time_us = time_us };

		batch_flush(m);		/* events stay in order */
		feed_emit(&m->base, &ev, 1);
	}
	return k->vp;
}

/* RIB entries name their peer by index: keep the index -> VP map of the
 * current peer table. */
static uint32_t
vp_of_rib(struct feed_mrt *m, const struct mrt_elem *e)
{
	uint32_t n, collector;
	const struct mrt_peer *peers = mrt_reader_peers(m->cur->r, &n,
	    &collector);

	if (peers != m->peer_table || n != m->npeer_vps) {
		uint32_t *pv = realloc(m->peer_vps, (n ? n : 1) * sizeof(*pv));

		if (pv == NULL)
			return UINT32_MAX;
		m->peer_vps = pv;
		for (uint32_t i = 0; i < n; i++)
			pv[i] = vp_of(m, &peers[i], m->clock_now ?
			    m->now_us : (uint64_t)e->ts * 1000000u);
		m->peer_table = peers;
		m->npeer_vps = n;
	}
	return e->peer_index < n ? m->peer_vps[e->peer_index] : UINT32_MAX;
}

/* --- elements to events ------------------------------------------------------ */

/* attrs_fn of an undecoded RIB entry's event */
static const struct bgp_attrs *
lazy_attrs(void *arg, const uint8_t **nh, uint8_t *nh_len, uint8_t *action)
{
	struct lazy_ent *le = arg;
	const struct bgp_attrs *a;

	a = mrt_reader_rib_attrs(le->m->cur->r, &le->e, action);
	*nh = le->e.nexthop;
	*nh_len = le->e.nexthop_len;
	return a;
}

static void
batch_flush(struct feed_mrt *m)
{
	for (size_t i = 0; i < m->nbatch; i++)
		m->evbatch[i].attrs_arg = &m->lazy[i];
	if (m->nbatch > 0)
		feed_emit(&m->base, m->evbatch, m->nbatch);
	m->nbatch = 0;
}

/* Keeps a RIB entry's event for the record's batch; false when memory
 * runs out (then it goes alone). */
static bool
batch_add(struct feed_mrt *m, const struct feed_event *ev,
    const struct mrt_elem *e)
{
	if (m->nbatch == m->cap_batch) {
		size_t cap = m->cap_batch ? m->cap_batch * 2 : 64;
		struct feed_event *nb = realloc(m->evbatch, cap * sizeof(*nb));
		struct lazy_ent *nl;

		if (nb == NULL)
			return false;
		m->evbatch = nb;
		nl = realloc(m->lazy, cap * sizeof(*nl));
		if (nl == NULL)
			return false;
		m->lazy = nl;
		m->cap_batch = cap;
	}
	m->evbatch[m->nbatch] = *ev;
	m->lazy[m->nbatch].m = m;
	m->lazy[m->nbatch].e = *e;
	m->nbatch++;
	return true;
}

static int
on_elem(const struct mrt_elem *e, void *arg)
{
	struct feed_mrt *m = arg;
	uint64_t t = (uint64_t)e->ts * 1000000u + e->usec;
	struct feed_event ev = { .source = m->base.id, .time_us = t };

	if (m->clock_now)
		t = m->now_us;
	if (e->type == MRT_ELEM_RIB && e->mrt_type == MRT_TABLE_DUMP_V2) {
		ev.vp = vp_of_rib(m, e);
		/* a RIB entry's time is when the route was learnt */
		ev.time_us = (uint64_t)e->originated * 1000000u;
	} else if (e->type == MRT_ELEM_RIB) {
		ev.vp = vp_of(m, e->peer, t);	/* TABLE_DUMP (v1) */
		ev.time_us = (uint64_t)e->originated * 1000000u;
	} else {
		ev.vp = vp_of(m, e->peer, t);
	}
	if (m->clock_now)
		ev.time_us = t;
	if (ev.vp == UINT32_MAX)
		return 0;
	switch (e->type) {
	case MRT_ELEM_STATE:
		/* RFC 4271 8.2.2: 6 is Established */
		if (e->new_state == 6) {
			ev.type = FEED_VP_UP;
		} else if (e->old_state == 6) {
			ev.type = FEED_VP_DOWN;
			ev.error = "session left Established";
		} else {
			return 0;
		}
		break;
	case MRT_ELEM_WITHDRAW:
		ev.type = FEED_WITHDRAW;
		ev.prefix = e->prefix;
		m->base.counters.withdrawals++;
		break;
	case MRT_ELEM_RIB:
	case MRT_ELEM_ANNOUNCE:
		ev.prefix = e->prefix;
		/* RFC 7606 treat-as-withdraw: the announcement withdraws
		 * (as does a RIB entry too broken to use: the RIB applies
		 * the same rule to the entries it decodes late) */
		if (e->action >= BGP_ACT_TREAT_AS_WITHDRAW) {
			ev.type = FEED_WITHDRAW;
			m->base.counters.withdrawals++;
			break;
		}
		ev.type = FEED_ANNOUNCE;
		ev.routes_hint = e->rib_entries;
		ev.attrs = e->attrs;
		/* MRT type and subtype fix how the block decodes */
		ev.raw_ctx = (uint32_t)e->mrt_type << 16 | e->mrt_subtype;
		if (e->attrs == NULL) {
			/* a RIB entry, undecoded until someone needs it; the
			 * record's entries go together */
			ev.raw = e->attrs_raw;
			ev.raw_len = e->attrs_raw_len;
			ev.attrs_fn = lazy_attrs;
			m->base.counters.announcements++;
			if (batch_add(m, &ev, e))
				return 0;
			/* no memory for a longer batch: this one alone, in
			 * the room there is (none: it is lost, and said) */
			batch_flush(m);
			if (m->cap_batch == 0) {
				m->base.counters.malformed++;
				log_error("source=%s out of memory: a route "
				    "is lost", m->name);
				return 0;
			}
			m->lazy[0].m = m;
			m->lazy[0].e = *e;
			ev.attrs_arg = &m->lazy[0];
			feed_emit(&m->base, &ev, 1);
			return 0;
		}
		ev.nexthop = e->nexthop;
		ev.nexthop_len = e->nexthop_len;
		ev.same_attrs = e->type == MRT_ELEM_ANNOUNCE &&
		    m->last_file == m->cur && m->last_off == m->cur->rec.offset &&
		    m->last_attrs == e->attrs && m->last_nh == e->nexthop;
		m->last_file = m->cur;
		m->last_off = m->cur->rec.offset;
		m->last_attrs = e->attrs;
		m->last_nh = e->nexthop;
		m->base.counters.announcements++;
		break;
	}
	/* the events of a BGP4MP record go together, as from a BGP
	 * session: a stream client sees an UPDATE as one message */
	if ((e->mrt_type == MRT_BGP4MP || e->mrt_type == MRT_BGP4MP_ET ||
	    e->mrt_type == MRT_BGP) && batch_add(m, &ev, e))
		return 0;
	batch_flush(m);
	feed_emit(&m->base, &ev, 1);
	return 0;
}

static void
on_problem(const struct mrt_problem *p, void *arg)
{
	struct feed_mrt *m = arg;
	char ip[INET6_ADDRSTRLEN] = "-";

	m->base.counters.malformed++;
	if (p->peer != NULL)
		inet_ntop(p->peer->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET,
		    p->peer->ip, ip, sizeof(ip));
	if (p->kind == MRT_PROB_BGP)
		log_warn("source=%s file=%s offset=%llu peer=%s asn=%u "
		    "rfc7606=%s reason=%s", m->name, m->cur->path,
		    (unsigned long long)p->offset, ip,
		    p->peer != NULL ? p->peer->asn : 0,
		    bgp_action_name(p->bgp->action),
		    p->bgp->n > 0 ?
		    bgp_reason_info(p->bgp->p[0].reason)->name : "-");
	else
		log_warn("source=%s file=%s offset=%llu type=%u subtype=%u "
		    "skipped=\"%s\"", m->name, m->cur->path,
		    (unsigned long long)p->offset, p->mrt_type,
		    p->mrt_subtype, p->what);
}

/* --- files ---------------------------------------------------------------------- */

static ssize_t
zs_read(void *arg, void *buf, size_t n)
{
	return zstream_read(arg, buf, n);
}

static void
file_close(struct mrt_file *f)
{
	mrt_reader_free(f->r);
	ra_stop(f->ra);
	zstream_close(f->z);
	f->r = NULL;
	f->ra = NULL;
	f->z = NULL;
	f->have_rec = false;
}

static bool
file_open(struct feed_mrt *m, struct mrt_file *f, bool threaded)
{
	char err[512];

	f->z = zstream_open(f->path, err, sizeof(err));
	if (f->z == NULL) {
		log_error("source=%s file=%s error=\"%s\"", m->name, f->path,
		    err);
		set_state(m, RIB_SRC_DEGRADED, err);
		f->failed = f->done = true;
		return false;
	}
	f->ra = threaded ? ra_start(zs_read, f->z) : NULL;
	f->r = f->ra != NULL ? mrt_reader_new(ra_read, f->ra) :
	    mrt_reader_new(zs_read, f->z);
	if (f->r == NULL) {
		file_close(f);
		f->failed = f->done = true;
		return false;
	}
	mrt_reader_on_problem(f->r, on_problem, m);
	mrt_reader_lazy_rib(f->r, true);
	return true;
}

/* Reads the file's next record into f->rec; at the end (or damage)
 * closes it. */
static bool
file_next(struct feed_mrt *m, struct mrt_file *f)
{
	enum mrt_status st = mrt_reader_next(f->r, &f->rec);

	if (st == MRT_OK) {
		f->have_rec = true;
		return true;
	}
	if (st != MRT_END) {
		char msg[600];
		const char *zerr = zstream_error(f->z);

		snprintf(msg, sizeof(msg), "%s: %s%s%s", f->path,
		    mrt_reader_error(f->r), *zerr ? ": " : "", zerr);
		log_error("source=%s error=\"%s\"", m->name, msg);
		m->base.counters.malformed++;
		f->failed = true;
		set_state(m, RIB_SRC_DEGRADED, msg);
	}
	m->base.counters.bytes_in += zstream_bytes_in(f->z);
	file_close(f);
	f->done = true;
	return false;
}

static void
process(struct feed_mrt *m, struct mrt_file *f)
{
	m->cur = f;
	m->since_loop++;
	if (f->rec.ts > m->position)
		m->position = f->rec.ts;
	mrt_reader_elems(f->r, &f->rec, on_elem, m);
	batch_flush(m);
	/* a new peer table: the next RIB entry maps its peers again (the
	 * table's address alone could repeat) */
	if (f->rec.type == MRT_TABLE_DUMP_V2 &&
	    f->rec.subtype == MRT_V2_PEER_INDEX_TABLE)
		m->peer_table = NULL;
	f->have_rec = false;
}

/* Kind and first timestamp of each file, read from its first record;
 * stdin stays open (it cannot be opened twice). */
static void
peek(struct feed_mrt *m, struct mrt_file *f)
{
	if (!file_open(m, f, strcmp(f->path, "-") == 0))
		return;
	if (file_next(m, f)) {
		f->first_ts = f->rec.ts;
		f->is_rib = f->rec.type == MRT_TABLE_DUMP ||
		    f->rec.type == MRT_TABLE_DUMP_V2;
		if (strcmp(f->path, "-") != 0)
			file_close(f);
	}
	f->peeked = true;
}

static const struct feed_mrt *sort_m;

static int
by_first_ts(const void *a, const void *b)
{
	const struct mrt_file *x = &sort_m->files[*(const size_t *)a];
	const struct mrt_file *y = &sort_m->files[*(const size_t *)b];

	return x->first_ts < y->first_ts ? -1 : x->first_ts > y->first_ts;
}

static int
mrt_start(struct feed_source *s)
{
	struct feed_mrt *m = to_mrt(s);
	size_t nfailed = 0;

	s->id = m->restart ? m->restart_id : rib_source_add(s->rib, "mrt",
	    m->name);
	if (s->id == UINT32_MAX)
		return -1;
	set_state(m, RIB_SRC_UP, NULL);
	m->ribs = calloc(m->nfiles + 1, sizeof(size_t));
	m->upds = calloc(m->nfiles + 1, sizeof(size_t));
	m->open = calloc(m->nfiles + 1, sizeof(size_t));
	if (m->ribs == NULL || m->upds == NULL || m->open == NULL)
		return -1;
	for (size_t i = 0; i < m->nfiles; i++) {
		struct mrt_file *f = &m->files[i];

		peek(m, f);
		nfailed += f->failed;
		if (f->done && !f->have_rec)
			continue;	/* empty or unreadable */
		if (f->is_rib)
			m->ribs[m->nribs++] = i;
		else
			m->upds[m->nupds++] = i;
	}
	/* none could be opened: the source is down (its caller may try
	 * again later); some: it replays the others, degraded */
	if (m->nfiles > 0 && nfailed == m->nfiles) {
		set_state(m, RIB_SRC_DOWN, NULL);
		return -1;
	}
	m->nfailed = nfailed;
	/* RIB dumps in time order too; then updates */
	sort_m = m;
	qsort(m->ribs, m->nribs, sizeof(size_t), by_first_ts);
	qsort(m->upds, m->nupds, sizeof(size_t), by_first_ts);
	m->started = true;
	return 0;
}

/* Opens a file for the replay, positioned at its first record. */
static bool
reopen(struct feed_mrt *m, struct mrt_file *f)
{
	if (f->r != NULL)
		return f->have_rec || file_next(m, f);	/* stdin, kept */
	if (!file_open(m, f, true)) {
		m->nfailed++;	/* gone since the start */
		return false;
	}
	return file_next(m, f);
}

/* The open update file with the earliest pending record. */
static struct mrt_file *
earliest(struct feed_mrt *m, size_t *at)
{
	struct mrt_file *best = NULL;

	for (size_t i = 0; i < m->nopen; i++) {
		struct mrt_file *f = &m->files[m->open[i]];

		if (best == NULL || f->rec.ts < best->rec.ts ||
		    (f->rec.ts == best->rec.ts && f->rec.usec < best->rec.usec)) {
			best = f;
			*at = i;
		}
	}
	return best;
}

/* The update files are done: they start again from their first record,
 * and the replay clock with them. False when none can be replayed (none
 * read any record, or all are standard input, which cannot be read
 * twice). */
static bool
loop_again(struct feed_mrt *m)
{
	size_t again = 0;

	if (m->since_loop == 0)
		return false;	/* the last round replayed nothing */
	for (size_t i = 0; i < m->nupds; i++) {
		struct mrt_file *f = &m->files[m->upds[i]];

		if (f->failed || strcmp(f->path, "-") == 0)
			continue;
		f->done = false;
		f->have_rec = false;
		again++;
	}
	if (again == 0)
		return false;
	m->next_upd = 0;
	m->nopen = 0;
	m->clock_set = false;
	m->position = 0;
	m->loops++;
	m->since_loop = 0;
	log_debug("source=%s replay starts again loops=%" PRIu64, m->name,
	    m->loops);
	return true;
}

static uint64_t
mrt_poll(struct feed_source *s, uint64_t now_us)
{
	struct feed_mrt *m = to_mrt(s);
	unsigned budget = m->batch;

	if (!m->started || m->finished)
		return UINT64_MAX;
	m->now_us = now_us;
	/* RIB dumps: in order, at full speed */
	while (m->next_rib < m->nribs && budget > 0) {
		struct mrt_file *f = &m->files[m->ribs[m->next_rib]];

		if (!f->have_rec && (f->done || !reopen(m, f))) {
			m->next_rib++;
			continue;
		}
		process(m, f);
		budget--;
		if (!file_next(m, f))
			m->next_rib++;
		/* the dumps are done: the updates start with the next call,
		 * so a caller can tell the two phases apart */
		if (m->next_rib == m->nribs)
			return now_us;
	}
	if (m->next_rib < m->nribs)
		return now_us;		/* more of the dumps, next call */
	m->in_updates = true;
	while (budget > 0) {
		struct mrt_file *f;
		size_t at = 0;

		/* open the next file once the replay reaches its start */
		while (m->next_upd < m->nupds) {
			struct mrt_file *n = &m->files[m->upds[m->next_upd]];

			f = earliest(m, &at);
			if (f != NULL && f->rec.ts < n->first_ts)
				break;
			m->next_upd++;
			if (reopen(m, n))
				m->open[m->nopen++] = (size_t)(n - m->files);
		}
		f = earliest(m, &at);
		if (f == NULL && m->loop && loop_again(m))
			continue;
		if (f == NULL) {
			m->finished = true;
			/* the last error (a file that could not be read)
			 * stays */
			set_state(m, m->nfailed > 0 ?
			    RIB_SRC_DEGRADED : RIB_SRC_DONE, NULL);
			return UINT64_MAX;
		}
		if (m->speed > 0) {
			uint64_t t = (uint64_t)f->rec.ts * 1000000u + f->rec.usec;
			uint64_t due;

			if (!m->clock_set) {
				m->clock_set = true;
				m->start_wall_us = now_us;
				m->start_ts_us = t;
			}
			due = m->start_wall_us + (uint64_t)((double)(t -
			    m->start_ts_us) / m->speed);
			if (t < m->start_ts_us)
				due = m->start_wall_us;
			if (due > now_us)
				return due;
		}
		process(m, f);
		budget--;
		if (!file_next(m, f))
			m->open[at] = m->open[--m->nopen];
	}
	return now_us;
}

static void
mrt_stop(struct feed_source *s)
{
	struct feed_mrt *m = to_mrt(s);

	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].r != NULL || m->files[i].z != NULL)
			file_close(&m->files[i]);
	m->nopen = 0;
	if (m->started && !m->finished) {
		m->finished = true;
		set_state(m, RIB_SRC_DOWN, "stopped");
	}
}

static void
mrt_free(struct feed_source *s)
{
	struct feed_mrt *m = to_mrt(s);

	if (m == NULL)
		return;
	mrt_stop(s);
	free(m->files);
	free(m->ribs);
	free(m->upds);
	free(m->open);
	free(m->vpmap);
	free(m->peer_vps);
	free(m->evbatch);
	free(m->lazy);
	free(m);
}

static const struct feed_ops mrt_ops = {
	.kind = "mrt",
	.start = mrt_start,
	.poll = mrt_poll,
	.stop = mrt_stop,
	.free = mrt_free,
};

struct feed_source *
feed_mrt_new(struct rib *r, const struct feed_mrt_config *c,
    feed_sink_fn sink, void *sink_arg)
{
	struct feed_mrt *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->files = calloc(c->nfiles + 1, sizeof(*m->files));
	if (m->files == NULL || !khash_init()) {
		free(m->files);
		free(m);
		return NULL;
	}
	for (size_t i = 0; i < c->nfiles; i++)
		m->files[i].path = c->files[i];
	m->nfiles = c->nfiles;
	m->speed = c->speed;
	m->loop = c->loop;
	m->clock_now = c->clock_now;
	m->restart = c->restart && rib_source(r, c->source_id) != NULL;
	m->restart_id = c->source_id;
	m->vp_tags = c->vp_tags;
	m->batch = c->batch ? c->batch : 4096;
	snprintf(m->name, sizeof(m->name), "%s", c->name ? c->name : "mrt");
	feed_source_init(&m->base, &mrt_ops, r, sink, sink_arg);
	return &m->base;
}

uint32_t
feed_mrt_position(const struct feed_source *s)
{
	return ((const struct feed_mrt *)s)->position;
}

bool
feed_mrt_in_updates(const struct feed_source *s)
{
	return ((const struct feed_mrt *)s)->in_updates;
}
