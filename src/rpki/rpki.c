/* The RPKI sources, their merge, and revalidation (see rpki.h). */
#include "rpki/rpki.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <rtrlib/rtrlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "rpki/rpki_json.h"
#include "util/grow.h"
#include "util/json_out.h"
#include "util/log.h"
#include "util/strbuf.h"

#define DEBOUNCE_MS	200	/* RTR changes settle before a snapshot */
/* The first tables wait for every source to be heard from (data or a
 * failure), at most this long: one source's VRPs alone would make the
 * routes of the others' invalid for a moment. */
#define READY_WAIT_S	30
#define ERR_MAX		512

/* --- configuration ---------------------------------------------------------- */

const char *
rpki_src_kind_name(enum rpki_src_kind k)
{
	return k == RPKI_SRC_RTR ? "rtr" : "json";
}

static void
src_conf_free(struct rpki_src_conf *s)
{
	free(s->name);
	free(s->file);
	free(s->url);
	free(s->ca_file);
	for (size_t i = 0; i < s->ncaches; i++) {
		free(s->caches[i].host);
		free(s->caches[i].port);
	}
	free(s->caches);
	memset(s, 0, sizeof(*s));
}

void
rpki_conf_free(struct rpki_conf *c)
{
	for (size_t i = 0; i < c->nsrc; i++)
		src_conf_free(&c->src[i]);
	free(c->src);
	free(c->monitor);
	memset(c, 0, sizeof(*c));
}

bool
rpki_conf_copy(struct rpki_conf *dst, const struct rpki_conf *src)
{
	bool ok = true;

	memset(dst, 0, sizeof(*dst));
	dst->dir = src->dir;
	if (src->nmonitor > 0) {
		if ((dst->monitor = malloc(src->nmonitor *
		    sizeof(*dst->monitor))) == NULL)
			return false;
		memcpy(dst->monitor, src->monitor, src->nmonitor *
		    sizeof(*dst->monitor));
		dst->nmonitor = src->nmonitor;
	}
	if (src->nsrc > 0 && (dst->src = calloc(src->nsrc,
	    sizeof(*dst->src))) == NULL) {
		rpki_conf_free(dst);
		return false;
	}
	for (; dst->nsrc < src->nsrc; dst->nsrc++) {
		const struct rpki_src_conf *o = &src->src[dst->nsrc];
		struct rpki_src_conf *d = &dst->src[dst->nsrc];

		*d = *o;
		d->name = str_dup_opt(o->name, &ok);
		d->file = str_dup_opt(o->file, &ok);
		d->url = str_dup_opt(o->url, &ok);
		d->ca_file = str_dup_opt(o->ca_file, &ok);
		d->caches = NULL;
		d->ncaches = 0;
		if (o->ncaches > 0 && (d->caches = calloc(o->ncaches,
		    sizeof(*d->caches))) == NULL)
			ok = false;
		for (; ok && d->ncaches < o->ncaches; d->ncaches++) {
			d->caches[d->ncaches] = o->caches[d->ncaches];
			d->caches[d->ncaches].host = str_dup_opt(
			    o->caches[d->ncaches].host, &ok);
			d->caches[d->ncaches].port = str_dup_opt(
			    o->caches[d->ncaches].port, &ok);
		}
		if (!ok) {
			dst->nsrc++;
			rpki_conf_free(dst);
			return false;
		}
	}
	return true;
}

static bool
same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

bool
rpki_conf_same(const struct rpki_conf *a, const struct rpki_conf *b)
{
	if (a->dir != b->dir || a->nsrc != b->nsrc ||
	    a->nmonitor != b->nmonitor || (a->nmonitor > 0 &&
	    memcmp(a->monitor, b->monitor, a->nmonitor *
	    sizeof(*a->monitor)) != 0))
		return false;
	for (size_t i = 0; i < a->nsrc; i++) {
		const struct rpki_src_conf *x = &a->src[i], *y = &b->src[i];

		if (x->kind != y->kind || !same_str(x->name, y->name) ||
		    !same_str(x->file, y->file) || !same_str(x->url, y->url) ||
		    !same_str(x->ca_file, y->ca_file) ||
		    x->refresh_s != y->refresh_s || x->retry_s != y->retry_s ||
		    x->expire_s != y->expire_s ||
		    x->timeout_s != y->timeout_s || x->ncaches != y->ncaches)
			return false;
		for (size_t j = 0; j < x->ncaches; j++)
			if (!same_str(x->caches[j].host, y->caches[j].host) ||
			    !same_str(x->caches[j].port, y->caches[j].port) ||
			    x->caches[j].preference != y->caches[j].preference)
				return false;
	}
	return true;
}

/* --- one source's data ----------------------------------------------------- */

/* Immutable once made; shared by the source and a merge in flight. */
struct rpki_set {
	unsigned		 refs;		/* on the loop only */
	struct vrp		*v;
	size_t			 nv;
	struct aspa_pair	*p;
	size_t			 np;
};

static struct rpki_set *
set_new(struct vrp *v, size_t nv, struct aspa_pair *p, size_t np)
{
	struct rpki_set *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		free(v);
		free(p);
		return NULL;
	}
	s->refs = 1;
	s->v = v;
	s->nv = nv;
	s->p = p;
	s->np = np;
	return s;
}

static void
set_unref(struct rpki_set *s)
{
	if (s == NULL || --s->refs > 0)
		return;
	free(s->v);
	free(s->p);
	free(s);
}

/* --- sources ----------------------------------------------------------------- */

enum src_state { S_STARTING, S_UP, S_DEGRADED, S_DOWN, S_EXPIRED };

static const char *
state_name(enum src_state s)
{
	static const char *const n[] = { "starting", "up", "degraded",
	    "down", "expired" };

	return n[s];
}

/* What an RTR cache's socket said last (copied on RTRlib's thread). */
struct cache_st {
	int		 state;		/* enum rtr_socket_state */
	uint32_t	 serial;
	uint32_t	 session;
	int64_t		 last_update;	/* Unix seconds, 0 never */
	unsigned	 refresh, retry, expire;
	unsigned	 version;
	int		 group_status;	/* enum rtr_mgr_status */
};

/* A JSON load's outcome, made on the thread pool. */
struct load {
	bool		 ok;
	bool		 not_modified;
	bool		 same_failure;	/* the file that failed, unchanged */
	struct vrp	*v;
	size_t		 nv;
	struct aspa_pair *p;
	size_t		 np;
	char		 time[RPKI_JSON_TIME_MAX];
	char		 etag[256];
	char		 last_modified[64];
	struct stat	 st;
	char		 err[ERR_MAX];
};

struct rsrc {
	struct rpki		*rp;
	const struct rpki_src_conf *c;
	unsigned		 idx;		/* its bit: 1 << idx */
	enum src_state		 state;
	uint64_t		 since_us;
	struct rpki_set		*set;		/* the last good data */
	uint64_t		 good_us;	/* when it was loaded */
	uint64_t		 attempt_us;
	uint64_t		 changed_us;	/* data differed last */
	char			 error[ERR_MAX];
	const char		*told;		/* the state last told
						 * on_source, or NULL */
	char			 data_time[RPKI_JSON_TIME_MAX];
	uint64_t		 refreshes;
	uint64_t		 failures;
	uint64_t		 unchanged;
	/* json */
	uv_timer_t		 timer;
	uv_work_t		 work;
	bool			 busy;
	struct load		 ld;
	char			 etag[256];
	char			 last_modified[64];
	struct stat		 file_st;	/* of the last good read */
	bool			 have_st;
	struct stat		 fail_st;	/* of the last failed one */
	char			 load_err[ERR_MAX];	/* its error */
	bool			 have_fail_st;
	/* rtr */
	struct rtr_mgr_config	*mgr;
	struct rtr_mgr_group	*groups;
	struct rtr_socket	*socks;
	struct tr_socket	*trs;
	struct tr_tcp_config	*tcps;
	size_t			 ntrs;		/* transports made */
	size_t			 nsocks;
	size_t			 ngroups;
	pthread_mutex_t		 mu;
	bool			 rec_dirty;	/* records changed (mu) */
	bool			 st_dirty;	/* a cache's state (mu) */
	struct cache_st		 cst[RPKI_CACHES_MAX];	/* (mu) */
	uv_timer_t		 settle;
	bool			 snap_again;	/* changed while copying */
	bool			 in_sync;
	/* on the monotonic clock: */
	uint64_t		 good_mono_us;	/* good_us's */
	uint64_t		 sync_us;	/* last seen in sync */
	uint64_t		 restart_us;	/* the manager's last start */
	unsigned		 restart_wait_s;	/* before the next */
	bool			 handles;
};

struct diff_vrp {
	struct vrp	v;
	bool		added;
};

struct diff_pair {
	struct aspa_pair p;
	bool		 added;
};

struct diff_route {
	struct trie_key	  k;
	uint32_t	  vp;
	uint32_t	  path_id;
	bool		  has_path_id;
	struct rpki_state old, now;
};

struct rpki_diffrec {
	uint64_t		 time_us;
	uint64_t		 generation;
	uint64_t		 vrps_added, vrps_removed;
	uint64_t		 pairs_added, pairs_removed;
	struct diff_vrp		*vrps;
	size_t			 nvrps, cap_vrps;
	struct diff_pair	*pairs;
	size_t			 npairs, cap_pairs;
	struct diff_route	*routes;
	size_t			 nroutes, cap_routes;
	struct rpki_reval_stats	 st;
};

struct rpki {
	uv_loop_t		*loop;
	struct rib		*rib;
	struct rpki_conf	 c;
	struct rsrc		*src;
	size_t			 nsrc;
	struct rpki_tables	 cur;
	struct vrp_table	*vrps;		/* cur's, owned */
	struct aspa_table	*aspas;
	uint64_t		 generation;
	uint64_t		 updated_us;
	uv_async_t		 async;
	uv_timer_t		 tick;		/* each second: expiry */
	uv_work_t		 mwork;
	bool			 merging;
	bool			 merge_again;
	struct rpki_set		*mset[RPKI_SOURCES_MAX];
	struct vrp_table	*mv;		/* the merge's results */
	struct aspa_table	*ma;
	rpki_change_fn		 on_change;
	void			*change_arg;
	rpki_source_fn		 on_source;
	void			*source_arg;
	struct trie		 monitor;	/* c.monitor, to look up */
	struct rpki_diffrec	 diff;
	uint64_t		 route_changes;
	uint64_t		 merges;
	uint64_t		 started_us;
	bool			 ready;		/* merges may start */
	bool			 merge_pending;	/* one was asked before */
	_Atomic bool		 stopping;	/* read by fetches too */
	unsigned		 open_handles;
};

/* Times shown (Unix microseconds), and times intervals are measured on
 * (a clock that a change of the date does not move). */
static uint64_t
clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t
now_us(void)
{
	return clock_us(CLOCK_REALTIME);
}

static uint64_t
mono_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

static void	merge_start(struct rpki *rp);

/* The source's state now, told on_source (its error unless it is up). */
static void
src_tell(struct rsrc *s, const char *to)
{
	struct rpki *rp = s->rp;

	if (rp->on_source == NULL)
		return;
	rp->on_source(s->c->name, s->told != NULL ? s->told : "", to,
	    strcmp(to, "up") == 0 || strcmp(to, "removed") == 0 ? "" :
	    s->error, rp->source_arg);
	s->told = to;
}

static void
src_state(struct rsrc *s, enum src_state st, const char *error)
{
	if (error != NULL)
		snprintf(s->error, sizeof(s->error), "%s", error);
	if (s->state == st)
		return;
	if (st == S_UP)
		log_info("rpki source up source=%s", s->c->name);
	else
		log_warn("rpki source %s source=%s error=\"%s\"",
		    state_name(st), s->c->name, s->error);
	s->state = st;
	s->since_us = now_us();
	src_tell(s, state_name(st));
}

/* The source's data is now set (NULL: none); merged at once. */
static void
src_data(struct rsrc *s, struct rpki_set *set)
{
	set_unref(s->set);
	s->set = set;
	s->changed_us = now_us();
	merge_start(s->rp);
}

/* --- json sources ------------------------------------------------------------- */

struct fetch {
	struct rpki_json	*j;
	struct load		*ld;
	CURL			*curl;
	bool			 failed;
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;
	long code = 0;

	/* an error page is no JSON to read: its status says it */
	curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &code);
	if (code != 200)
		return size * n;
	if (!rpki_json_feed(f->j, p, size * n)) {
		f->failed = true;
		return 0;
	}
	return size * n;
}

/* ETag and Last-Modified, as given, for the next conditional request. */
static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;
	size_t len = size * n;
	char *dst = NULL;
	size_t cap = 0, skip = 0;

	if (len > 5 && strncasecmp(p, "etag:", 5) == 0) {
		dst = f->ld->etag;
		cap = sizeof(f->ld->etag);
		skip = 5;
	} else if (len > 14 && strncasecmp(p, "last-modified:", 14) == 0) {
		dst = f->ld->last_modified;
		cap = sizeof(f->ld->last_modified);
		skip = 14;
	}
	if (dst != NULL) {
		while (skip < len && (p[skip] == ' ' || p[skip] == '\t'))
			skip++;
		while (len > skip && (p[len - 1] == '\r' || p[len - 1] == '\n'
		    || p[len - 1] == ' '))
			len--;
		if (len - skip < cap)
			snprintf(dst, cap, "%.*s", (int)(len - skip), p + skip);
	}
	return size * n;
}

/* A fetch in flight ends when the daemon stops. */
static int
on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	const struct rpki *rp = arg;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return rp->stopping ? 1 : 0;
}

static void
fetch_url(const struct rpki *rp, const struct rpki_src_conf *c, uint32_t bit,
    const char *etag, const char *last_modified, struct load *ld)
{
	char cerr[CURL_ERROR_SIZE] = "", hdr[300];
	struct fetch f = { rpki_json_new(bit), ld, NULL, false };
	struct curl_slist *h = NULL;
	long code = 0;
	CURLcode rc;
	CURL *curl;

	if (f.j == NULL || (curl = curl_easy_init()) == NULL) {
		snprintf(ld->err, sizeof(ld->err), "out of memory");
		rpki_json_free(f.j);
		return;
	}
	f.curl = curl;
	curl_easy_setopt(curl, CURLOPT_URL, c->url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &f);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &f);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, rp);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)c->timeout_s);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "bgpsentry/" BGPS_VERSION);
	if (c->ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, c->ca_file);
	if (etag[0] != '\0') {
		snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
		h = curl_slist_append(h, hdr);
	}
	if (last_modified[0] != '\0') {
		snprintf(hdr, sizeof(hdr), "If-Modified-Since: %s",
		    last_modified);
		h = curl_slist_append(h, hdr);
	}
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	if (f.failed)
		snprintf(ld->err, sizeof(ld->err), "%s", rpki_json_error(f.j));
	else if (rc != CURLE_OK)
		snprintf(ld->err, sizeof(ld->err), "%s", cerr[0] ? cerr :
		    curl_easy_strerror(rc));
	else if (code == 304)
		ld->ok = ld->not_modified = true;
	else if (code != 200)
		snprintf(ld->err, sizeof(ld->err), "HTTP status %ld", code);
	else if (!rpki_json_end(f.j))
		snprintf(ld->err, sizeof(ld->err), "%s", rpki_json_error(f.j));
	else {
		rpki_json_take(f.j, &ld->v, &ld->nv, &ld->p, &ld->np);
		snprintf(ld->time, sizeof(ld->time), "%s", rpki_json_time(f.j));
		ld->ok = true;
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	rpki_json_free(f.j);
}

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void
load_work(uv_work_t *w)
{
	struct rsrc *s = w->data;
	struct load *ld = &s->ld;

	if (s->c->url != NULL) {
		fetch_url(s->rp, s->c, 1u << s->idx, s->etag, s->last_modified,
		    ld);
		return;
	}
	if (stat(s->c->file, &ld->st) != 0) {
		snprintf(ld->err, sizeof(ld->err), "%s: %s", s->c->file,
		    strerror(errno));
		return;
	}
	/* the same file as last time: nothing to read (or the same
	 * error to give) */
	if (s->have_st && same_file(&ld->st, &s->file_st)) {
		ld->ok = ld->not_modified = true;
		return;
	}
	if (s->have_fail_st && same_file(&ld->st, &s->fail_st)) {
		ld->same_failure = true;
		return;
	}
	ld->ok = rpki_json_load_file(s->c->file, 1u << s->idx, &ld->v,
	    &ld->nv, &ld->p, &ld->np, ld->err, sizeof(ld->err));
}

static void	load_start(uv_timer_t *t);

static void
load_done(uv_work_t *w, int status)
{
	struct rsrc *s = w->data;
	struct load *ld = &s->ld;
	uint64_t now = now_us();

	s->busy = false;
	s->attempt_us = now;
	if (status != 0 && !ld->ok)
		snprintf(ld->err, sizeof(ld->err), "cancelled");
	if (s->rp->stopping) {
		free(ld->v);
		free(ld->p);
		return;
	}
	if (ld->same_failure)
		snprintf(ld->err, sizeof(ld->err), "%s", s->load_err);
	if (!ld->ok) {
		s->failures++;
		/* the same failure again is no news */
		log_msg(strcmp(ld->err, s->load_err) == 0 ? LOG_DEBUG : LOG_WARN,
		    "rpki source refresh failed%s source=%s error=\"%s\"",
		    s->set != NULL ? ", the last good data is kept" : "",
		    s->c->name, ld->err);
		snprintf(s->load_err, sizeof(s->load_err), "%s", ld->err);
		if (s->c->file != NULL && ld->st.st_ino != 0) {
			s->fail_st = ld->st;
			s->have_fail_st = true;
		}
		/* with no data: down, or still expired (not down, which
		 * reads as never having had any) */
		src_state(s, s->set != NULL ? S_DEGRADED : s->state ==
		    S_EXPIRED ? S_EXPIRED : S_DOWN, ld->err);
	} else if (ld->not_modified) {
		s->unchanged++;
		s->good_us = now;
		s->good_mono_us = mono_us();
		src_state(s, S_UP, NULL);
	} else {
		struct rpki_set *set = set_new(ld->v, ld->nv, ld->p, ld->np);

		s->refreshes++;
		s->good_us = now;
		s->good_mono_us = mono_us();
		s->load_err[0] = '\0';
		s->have_fail_st = false;
		snprintf(s->etag, sizeof(s->etag), "%s", ld->etag);
		snprintf(s->last_modified, sizeof(s->last_modified), "%s",
		    ld->last_modified);
		snprintf(s->data_time, sizeof(s->data_time), "%s", ld->time);
		if (s->c->file != NULL) {
			s->file_st = ld->st;
			s->have_st = true;
		}
		log_info("rpki source loaded source=%s vrps=%zu "
		    "aspa_pairs=%zu", s->c->name, ld->nv, ld->np);
		s->error[0] = '\0';
		src_state(s, S_UP, NULL);
		if (set != NULL)
			src_data(s, set);
	}
	ld->v = NULL;
	ld->p = NULL;
	uv_timer_start(&s->timer, load_start, (uint64_t)s->c->refresh_s *
	    1000u, 0);
}

static void
load_start(uv_timer_t *t)
{
	struct rsrc *s = t->data;

	if (s->busy || s->rp->stopping)
		return;
	memset(&s->ld, 0, sizeof(s->ld));
	s->busy = true;
	s->work.data = s;
	if (uv_queue_work(s->rp->loop, &s->work, load_work, load_done) != 0)
		s->busy = false;
}

/* --- rtr sources --------------------------------------------------------------
 * RTRlib calls back from its threads: with its table's lock held for
 * records (update_fp), so those calls only mark the source dirty and
 * wake the loop; the loop copies the records once the changes settle and
 * a cache is in sync. */

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct rsrc *registry[RPKI_SOURCES_MAX * 64];
static size_t nregistry;

static void
registry_add(struct rsrc *s)
{
	pthread_mutex_lock(&registry_mu);
	if (nregistry < sizeof(registry) / sizeof(registry[0]))
		registry[nregistry++] = s;
	pthread_mutex_unlock(&registry_mu);
}

static void
registry_remove(struct rsrc *s)
{
	pthread_mutex_lock(&registry_mu);
	for (size_t i = 0; i < nregistry; i++)
		if (registry[i] == s) {
			registry[i] = registry[--nregistry];
			break;
		}
	pthread_mutex_unlock(&registry_mu);
}

static void
on_pfx(struct pfx_table *t, const struct pfx_record rec, const bool added)
{
	(void)rec;
	(void)added;
	pthread_mutex_lock(&registry_mu);
	for (size_t i = 0; i < nregistry; i++) {
		struct rsrc *s = registry[i];

		if (s->mgr == NULL || s->mgr->pfx_table != t)
			continue;
		pthread_mutex_lock(&s->mu);
		s->rec_dirty = true;
		pthread_mutex_unlock(&s->mu);
		uv_async_send(&s->rp->async);
		break;
	}
	pthread_mutex_unlock(&registry_mu);
}

static void
cache_copy(struct cache_st *c, const struct rtr_socket *k,
    enum rtr_mgr_status st)
{
	c->state = (int)k->state;
	c->group_status = (int)st;
	c->serial = k->serial_number;
	c->session = k->session_id;
	c->last_update = (int64_t)k->last_update;
	c->refresh = k->refresh_interval;
	c->retry = k->retry_interval;
	c->expire = k->expire_interval;
	c->version = k->version;
}

static void
on_status(const struct rtr_mgr_group *g, enum rtr_mgr_status st,
    const struct rtr_socket *sock, void *arg)
{
	struct rsrc *s = arg;

	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->nsocks; i++) {
		bool in_group = false;

		for (unsigned j = 0; g != NULL && j < g->sockets_len; j++)
			in_group |= g->sockets[j] == &s->socks[i];
		if (&s->socks[i] == sock || (sock == NULL && in_group))
			cache_copy(&s->cst[i], &s->socks[i], st);
		else if (in_group)
			s->cst[i].group_status = (int)st;
	}
	/* RTRlib 0.8 follows a fatal error (a cache that restarted with a
	 * new session says "Session ID mismatch") with serial queries for
	 * the old session, for ever. The next connection is to ask for a
	 * reset instead (RFC 8210 section 5.10). This runs on the socket's
	 * own thread, as its state changes: the socket is ours to write. */
	for (size_t i = 0; i < s->nsocks; i++)
		if (&s->socks[i] == sock && sock->state == RTR_ERROR_FATAL)
			s->socks[i].request_session_id = true;
	s->st_dirty = true;
	pthread_mutex_unlock(&s->mu);
	uv_async_send(&s->rp->async);
}

struct snap {
	struct vrp	*v;
	size_t		 n, cap;
	uint32_t	 bit;
	bool		 oom;
};

static void
snap_record(const struct pfx_record *r, void *arg)
{
	struct snap *sn = arg;
	struct bgp_prefix p;
	struct trie_key k;
	struct vrp *v;

	if ((v = grow_array(sn->v, &sn->cap, sn->n, sizeof(*v))) == NULL) {
		sn->oom = true;
		return;
	}
	sn->v = v;
	memset(&p, 0, sizeof(p));
	if (r->prefix.ver == LRTR_IPV4) {
		uint32_t a = r->prefix.u.addr4.addr;

		p.afi = BGP_AFI_IPV4;
		for (int i = 0; i < 4; i++)
			p.addr[i] = (uint8_t)(a >> (24 - 8 * i));
	} else {
		p.afi = BGP_AFI_IPV6;
		for (int w = 0; w < 4; w++)
			for (int i = 0; i < 4; i++)
				p.addr[4 * w + i] = (uint8_t)(
				    r->prefix.u.addr6.addr[w] >> (24 - 8 * i));
	}
	p.len = r->min_len;
	if (r->max_len < r->min_len || !trie_key_from_prefix(&p, &k))
		return;			/* RTRlib checked; never */
	v = &sn->v[sn->n++];
	memset(v, 0, sizeof(*v));
	vrp_set_key(v, &k);
	v->maxlen = r->max_len;
	v->asn = r->asn;
	v->src = sn->bit;
}

static bool
rtr_synced(const struct rsrc *s, const struct cache_st *cst)
{
	for (size_t i = 0; i < s->nsocks; i++)
		if (cst[i].group_status == RTR_MGR_ESTABLISHED &&
		    cst[i].last_update != 0)
			return true;
	return false;
}

/* On the thread pool: every record RTRlib holds (of each cache in the
 * table: the same VRP from two caches is one). */
static void
snap_work(uv_work_t *w)
{
	struct rsrc *s = w->data;
	struct snap sn = { NULL, 0, 0, 1u << s->idx, false };

	rtr_mgr_for_each_ipv4_record(s->mgr, snap_record, &sn);
	rtr_mgr_for_each_ipv6_record(s->mgr, snap_record, &sn);
	if (sn.oom) {
		free(sn.v);
		s->ld.ok = false;
		snprintf(s->ld.err, sizeof(s->ld.err), "out of memory copying "
		    "the VRPs");
		return;
	}
	s->ld.ok = true;
	s->ld.v = sn.v;
	s->ld.nv = vrp_sort_unique(sn.v, sn.n);
}

static void	rtr_snapshot(uv_timer_t *t);
static void	rtr_free(struct rsrc *s);

static void
snap_done(uv_work_t *w, int status)
{
	struct rsrc *s = w->data;
	struct rpki_set *set;

	s->busy = false;
	if (status != 0 || s->rp->stopping || s->state == S_EXPIRED) {
		free(s->ld.v);
		s->ld.v = NULL;
		if (s->rp->stopping)
			rtr_free(s);	/* deferred while copying */
		return;
	}
	if (!s->ld.ok) {
		s->failures++;
		src_state(s, S_DEGRADED, s->ld.err);
		return;
	}
	s->refreshes++;
	s->good_us = now_us();
	log_info("rpki source synced source=%s vrps=%zu", s->c->name,
	    s->ld.nv);
	if ((set = set_new(s->ld.v, s->ld.nv, NULL, 0)) != NULL)
		src_data(s, set);
	s->ld.v = NULL;
	if (s->snap_again) {
		s->snap_again = false;
		rtr_snapshot(&s->settle);
	}
}

static void
rtr_snapshot(uv_timer_t *t)
{
	struct rsrc *s = t->data;

	if (s->rp->stopping || s->state == S_EXPIRED)
		return;
	if (s->busy) {
		s->snap_again = true;
		return;
	}
	memset(&s->ld, 0, sizeof(s->ld));
	s->busy = true;
	s->work.data = s;
	if (uv_queue_work(s->rp->loop, &s->work, snap_work, snap_done) != 0)
		s->busy = false;
}

/* On the loop: what RTRlib's threads said. The records are copied when
 * they changed while a cache is in sync, or when one comes in sync. */
static void
rtr_poll(struct rsrc *s)
{
	struct cache_st cst[RPKI_CACHES_MAX];
	bool rec, st, was = s->in_sync;

	pthread_mutex_lock(&s->mu);
	rec = s->rec_dirty;
	st = s->st_dirty;
	s->rec_dirty = s->st_dirty = false;
	memcpy(cst, s->cst, sizeof(cst));
	pthread_mutex_unlock(&s->mu);
	if (!rec && !st)
		return;
	s->in_sync = rtr_synced(s, cst);
	if (was != s->in_sync)
		s->sync_us = mono_us();	/* from when expiry counts */
	if (s->in_sync) {
		s->error[0] = '\0';
		if (s->state == S_EXPIRED)
			s->state = S_DOWN;	/* to say up below */
		src_state(s, S_UP, NULL);
		if (rec || !was || s->set == NULL)
			uv_timer_start(&s->settle, rtr_snapshot, DEBOUNCE_MS,
			    0);
		return;
	}
	if (s->state == S_UP || s->state == S_STARTING)
		src_state(s, s->set != NULL ? S_DEGRADED : S_STARTING,
		    s->set != NULL ? "no cache in sync: the data is kept "
		    "until it expires" : NULL);
}

static bool
rtr_start(struct rsrc *s)
{
	const struct rpki_src_conf *c = s->c;
	uint8_t prefs[RPKI_CACHES_MAX];
	size_t npref = 0;
	unsigned expire = c->expire_s < 600 ? 600 : c->expire_s;

	s->nsocks = c->ncaches;
	s->socks = calloc(c->ncaches, sizeof(*s->socks));
	s->trs = calloc(c->ncaches, sizeof(*s->trs));
	s->tcps = calloc(c->ncaches, sizeof(*s->tcps));
	s->groups = calloc(c->ncaches, sizeof(*s->groups));
	if (s->socks == NULL || s->trs == NULL || s->tcps == NULL ||
	    s->groups == NULL)
		return false;
	for (size_t i = 0; i < c->ncaches; i++) {
		s->tcps[i].host = c->caches[i].host;
		s->tcps[i].port = c->caches[i].port;
		s->tcps[i].connect_timeout = 10;
		if (tr_tcp_init(&s->tcps[i], &s->trs[i]) != TR_SUCCESS)
			return false;
		s->ntrs = i + 1;
		s->socks[i].tr_socket = &s->trs[i];
	}
	/* one group per preference, holding its caches */
	for (size_t i = 0; i < c->ncaches; i++) {
		bool seen = false;

		for (size_t j = 0; j < npref; j++)
			seen |= prefs[j] == c->caches[i].preference;
		if (!seen)
			prefs[npref++] = c->caches[i].preference;
	}
	for (size_t g = 0; g < npref; g++) {
		struct rtr_mgr_group *gr = &s->groups[s->ngroups++];

		gr->preference = prefs[g];
		gr->sockets = calloc(c->ncaches, sizeof(*gr->sockets));
		if (gr->sockets == NULL)
			return false;
		for (size_t i = 0; i < c->ncaches; i++)
			if (c->caches[i].preference == prefs[g])
				gr->sockets[gr->sockets_len++] = &s->socks[i];
	}
	if (pthread_mutex_init(&s->mu, NULL) != 0)
		return false;
	if (rtr_mgr_init(&s->mgr, s->groups, (unsigned)s->ngroups,
	    c->refresh_s, expire, c->retry_s, on_pfx, NULL, on_status, s) !=
	    RTR_SUCCESS) {
		s->mgr = NULL;
		return false;
	}
	registry_add(s);
	s->restart_us = mono_us();
	if (rtr_mgr_start(s->mgr) != RTR_SUCCESS)
		return false;
	return true;
}

static void
rtr_free(struct rsrc *s)
{
	if (s->mgr != NULL) {
		rtr_mgr_stop(s->mgr);
		registry_remove(s);
		rtr_mgr_free(s->mgr);	/* the transports too */
		s->mgr = NULL;
		pthread_mutex_destroy(&s->mu);
	} else {
		for (size_t i = 0; i < s->ntrs; i++)
			if (s->trs[i].free_fp != NULL)
				s->trs[i].free_fp(&s->trs[i]);
	}
	s->ntrs = 0;
	for (size_t i = 0; i < s->ngroups; i++)
		free(s->groups[i].sockets);
	free(s->groups);
	free(s->socks);
	free(s->trs);
	free(s->tcps);
	s->ngroups = s->nsocks = 0;
	s->groups = NULL;
	s->socks = NULL;
	s->trs = NULL;
	s->tcps = NULL;
}

/* RTRlib 0.8's manager fails over once: after the preferred group took
 * back from another and fails again, it finds "no other inactive
 * groups" and keeps trying the failed one alone. A source with no cache
 * in sync for twice the retry interval (or half the expiry, if
 * shorter) gets a new manager, which starts from the preferred group
 * and fails over again; the waits between new managers double (to 10
 * minutes) while none gets in sync. Our last good data stays
 * meanwhile, until it expires. */
#define RESTART_MAX_S	600

static void
rtr_supervise(struct rsrc *s, uint64_t now)
{
	uint64_t wait = (uint64_t)s->restart_wait_s * 1000000u;

	if (s->mgr == NULL || s->busy)
		return;
	if (s->in_sync) {
		s->restart_wait_s = 0;
		return;
	}
	if (s->restart_wait_s == 0) {
		/* twice the retry interval, well before the data expires */
		s->restart_wait_s = 2 * s->c->retry_s;
		if (s->restart_wait_s > s->c->expire_s / 2)
			s->restart_wait_s = s->c->expire_s / 2;
		if (s->restart_wait_s < 2)
			s->restart_wait_s = 2;
		wait = (uint64_t)s->restart_wait_s * 1000000u;
	}
	if (now - s->sync_us < wait || now - s->restart_us < wait)
		return;
	log_info("rpki source: no cache in sync for %u s, starting the RTR "
	    "sessions again source=%s", s->restart_wait_s, s->c->name);
	s->restart_us = now;
	if (s->restart_wait_s < RESTART_MAX_S)
		s->restart_wait_s *= 2;
	rtr_free(s);
	memset(s->cst, 0, sizeof(s->cst));
	if (!rtr_start(s)) {
		rtr_free(s);
		src_state(s, S_DOWN, "RTRlib could not start the caches");
	}
}

/* --- expiry, each second ------------------------------------------------------ */

static void
tick_cb(uv_timer_t *t)
{
	struct rpki *rp = t->data;
	uint64_t now = mono_us();

	if (rp->merge_pending) {
		rp->merge_pending = false;
		merge_start(rp);
	}
	for (size_t i = 0; i < rp->nsrc; i++) {
		struct rsrc *s = &rp->src[i];
		uint64_t since;
		unsigned expire;
		char why[160];

		if (s->c->kind == RPKI_SRC_RTR)
			rtr_supervise(s, now);
		if (s->set == NULL || s->c->expire_s == 0 ||
		    (s->c->kind == RPKI_SRC_RTR && s->mgr == NULL))
			continue;
		expire = s->c->expire_s;
		if (s->c->kind == RPKI_SRC_RTR) {
			if (s->in_sync)
				continue;
			/* RFC 8210 section 6: the cache's expire interval,
			 * or ours if shorter */
			pthread_mutex_lock(&s->mu);
			for (size_t j = 0; j < s->nsocks; j++)
				if (s->cst[j].expire > 0 &&
				    s->cst[j].expire < expire)
					expire = s->cst[j].expire;
			pthread_mutex_unlock(&s->mu);
			since = s->sync_us;
			snprintf(why, sizeof(why), "no cache in sync for %u s: "
			    "the data expired", expire);
		} else {
			since = s->good_mono_us;
			snprintf(why, sizeof(why), "no good refresh for %u s: "
			    "the data expired", expire);
		}
		if (now - since < (uint64_t)expire * 1000000u)
			continue;
		src_state(s, S_EXPIRED, why);
		src_data(s, NULL);
		/* what comes next is read whole, not compared with data
		 * that is gone */
		s->etag[0] = s->last_modified[0] = '\0';
		s->have_st = false;
	}
}

static void
async_cb(uv_async_t *a)
{
	struct rpki *rp = a->data;

	if (rp->stopping)
		return;
	for (size_t i = 0; i < rp->nsrc; i++)
		if (rp->src[i].c->kind == RPKI_SRC_RTR)
			rtr_poll(&rp->src[i]);
}

/* --- the merge ------------------------------------------------------------------- */

static void
merge_work(uv_work_t *w)
{
	struct rpki *rp = w->data;
	size_t nv = 0, np = 0;
	struct vrp *v;
	struct aspa_pair *p;

	for (size_t i = 0; i < rp->nsrc; i++)
		if (rp->mset[i] != NULL) {
			nv += rp->mset[i]->nv;
			np += rp->mset[i]->np;
		}
	v = malloc((nv + 1) * sizeof(*v));
	p = malloc((np + 1) * sizeof(*p));
	if (v == NULL || p == NULL) {
		free(v);
		free(p);
		rp->mv = NULL;
		rp->ma = NULL;
		return;
	}
	nv = np = 0;
	for (size_t i = 0; i < rp->nsrc; i++) {
		const struct rpki_set *s = rp->mset[i];

		if (s == NULL)
			continue;
		if (s->nv > 0)
			memcpy(v + nv, s->v, s->nv * sizeof(*v));
		if (s->np > 0)
			memcpy(p + np, s->p, s->np * sizeof(*p));
		nv += s->nv;
		np += s->np;
	}
	rp->mv = vrp_table_build(v, nv);
	rp->ma = aspa_table_build(p, np);
}

static int
any(const struct trie_key *k, void *val, void *arg)
{
	(void)k;
	(void)val;
	(void)arg;
	return 1;
}

/* A monitored prefix covers k, or lies inside it. */
static bool
monitored(const struct rpki *rp, const struct trie_key *k)
{
	if (rp->c.nmonitor == 0)
		return true;
	return trie_walk_covering(&rp->monitor, k, any, NULL) != 0 ||
	    trie_walk_more(&rp->monitor, k, any, NULL) != 0;
}

static void
diff_clear(struct rpki_diffrec *d)
{
	free(d->vrps);
	free(d->pairs);
	free(d->routes);
	memset(d, 0, sizeof(*d));
}

static void
diff_vrp(const struct vrp *v, bool added, void *arg)
{
	struct rpki *rp = arg;
	struct rpki_diffrec *d = &rp->diff;
	struct trie_key k;
	struct diff_vrp *x;

	if (added)
		d->vrps_added++;
	else
		d->vrps_removed++;
	vrp_key(v, &k);
	if (d->nvrps >= RPKI_DIFF_KEEP || !monitored(rp, &k))
		return;
	if ((x = grow_array(d->vrps, &d->cap_vrps, d->nvrps,
	    sizeof(*x))) == NULL)
		return;
	d->vrps = x;
	d->vrps[d->nvrps].v = *v;
	d->vrps[d->nvrps++].added = added;
}

static void
diff_pair(const struct aspa_pair *p, bool added, void *arg)
{
	struct rpki *rp = arg;
	struct rpki_diffrec *d = &rp->diff;
	struct diff_pair *x;

	if (added)
		d->pairs_added++;
	else
		d->pairs_removed++;
	if (d->npairs >= RPKI_DIFF_KEEP)
		return;
	if ((x = grow_array(d->pairs, &d->cap_pairs, d->npairs,
	    sizeof(*x))) == NULL)
		return;
	d->pairs = x;
	d->pairs[d->npairs].p = *p;
	d->pairs[d->npairs++].added = added;
}

static void
route_changed(const struct rpki_change *c, void *arg)
{
	struct rpki *rp = arg;
	struct rpki_diffrec *d = &rp->diff;
	struct diff_route *x;

	rp->route_changes++;
	if (rp->on_change != NULL)
		rp->on_change(c, rp->change_arg);
	if (d->nroutes >= RPKI_DIFF_KEEP || !monitored(rp, c->k))
		return;
	if ((x = grow_array(d->routes, &d->cap_routes, d->nroutes,
	    sizeof(*x))) == NULL)
		return;
	d->routes = x;
	x = &d->routes[d->nroutes++];
	x->k = *c->k;
	x->vp = c->e->vp->id;
	x->path_id = c->e->path_id;
	x->has_path_id = c->e->has_path_id;
	x->old = c->old;
	x->now = c->now;
}

static void
merge_done(uv_work_t *w, int status)
{
	struct rpki *rp = w->data;
	struct rpki_tables nt;
	struct rpki_diffrec saved;
	size_t changed;

	rp->merging = false;
	for (size_t i = 0; i < rp->nsrc; i++) {
		set_unref(rp->mset[i]);
		rp->mset[i] = NULL;
	}
	if (status != 0 || rp->stopping || rp->mv == NULL || rp->ma == NULL) {
		vrp_table_free(rp->mv);
		aspa_table_free(rp->ma);
		rp->mv = NULL;
		rp->ma = NULL;
		if (!rp->stopping)
			log_error("rpki: the tables could not be built (out of "
			    "memory): the old ones stay");
		return;
	}
	nt.vrps = rp->mv;
	nt.aspas = rp->ma;
	nt.dir = rp->c.dir;
	/* the diff of this refresh, kept if something changed */
	saved = rp->diff;
	memset(&rp->diff, 0, sizeof(rp->diff));
	if (rp->cur.vrps == NULL) {
		/* the first tables: no before to compare routes with */
		changed = 1;
	} else {
		/* one walk of the tables' diffs: the routes, and the record
		 * `rpki diff` shows */
		struct rpki_reval_fns fns = { route_changed, diff_vrp,
		    diff_pair, rp };

		rpki_revalidate(rp->rib, &rp->cur, &nt, &fns, &rp->diff.st);
		/* the same data under another procedure (a reload) is a
		 * change */
		changed = rp->diff.st.vrps_changed + rp->diff.st.pairs_changed +
		    (rp->cur.dir != nt.dir);
	}
	if (changed == 0) {
		/* the same VRPs and ASPAs, no route changed: but a VRP or a
		 * pair may have gained or lost a source, which the new
		 * tables say (rpki/validate, rpki/vrps) */
		diff_clear(&rp->diff);
		rp->diff = saved;
		vrp_table_free(rp->vrps);
		aspa_table_free(rp->aspas);
		rp->vrps = rp->mv;
		rp->aspas = rp->ma;
		rp->cur.vrps = rp->mv;
		rp->cur.aspas = rp->ma;
	} else {
		diff_clear(&saved);
		rp->diff.time_us = now_us();
		rp->diff.generation = rp->generation + 1;
		vrp_table_free(rp->vrps);
		aspa_table_free(rp->aspas);
		rp->vrps = rp->mv;
		rp->aspas = rp->ma;
		rp->cur = nt;
		rp->generation++;
		rp->updated_us = now_us();
		/* answers kept with the routes' old states are stale */
		rib_changed_all(rp->rib);
		log_info("rpki tables updated vrps=%zu aspas=%zu "
		    "routes_changed=%llu revalidated=%llu seconds=%.3f",
		    vrp_table_count(rp->vrps, 0) + vrp_table_count(rp->vrps, 1),
		    aspa_table_customers(rp->aspas),
		    (unsigned long long)rp->diff.st.routes_changed,
		    (unsigned long long)rp->diff.st.routes_checked,
		    rp->diff.st.seconds);
	}
	rp->mv = NULL;
	rp->ma = NULL;
	rp->merges++;
	if (rp->merge_again) {
		rp->merge_again = false;
		merge_start(rp);
	}
}

/* Every source has data, or has failed to get some. */
static bool
all_heard(const struct rpki *rp)
{
	for (size_t i = 0; i < rp->nsrc; i++)
		if (rp->src[i].state == S_STARTING && rp->src[i].set == NULL)
			return false;
	return true;
}

static void
merge_start(struct rpki *rp)
{
	if (rp->stopping)
		return;
	if (!rp->ready) {
		if (!all_heard(rp) && mono_us() - rp->started_us <
		    (uint64_t)READY_WAIT_S * 1000000u) {
			rp->merge_pending = true;	/* the tick starts it */
			return;
		}
		rp->ready = true;
	}
	if (rp->merging) {
		rp->merge_again = true;
		return;
	}
	for (size_t i = 0; i < rp->nsrc; i++) {
		rp->mset[i] = rp->src[i].set;
		if (rp->mset[i] != NULL)
			rp->mset[i]->refs++;
	}
	rp->merging = true;
	rp->mwork.data = rp;
	if (uv_queue_work(rp->loop, &rp->mwork, merge_work, merge_done) != 0) {
		rp->merging = false;
		for (size_t i = 0; i < rp->nsrc; i++) {
			set_unref(rp->mset[i]);
			rp->mset[i] = NULL;
		}
	}
}

/* --- life -------------------------------------------------------------------------- */

struct rpki *
rpki_new(uv_loop_t *loop, struct rib *r, const struct rpki_conf *c,
    struct rpki *prev)
{
	struct rpki *rp = calloc(1, sizeof(*rp));

	if (rp == NULL)
		return NULL;
	rp->loop = loop;
	rp->rib = r;
	if (!rpki_conf_copy(&rp->c, c) || (c->nsrc > 0 &&
	    (rp->src = calloc(c->nsrc, sizeof(*rp->src))) == NULL)) {
		rpki_conf_free(&rp->c);
		free(rp);
		return NULL;
	}
	rp->cur.dir = c->dir;
	rp->started_us = mono_us();
	trie_init(&rp->monitor);
	for (size_t i = 0; i < rp->c.nmonitor; i++) {
		void **slot = trie_insert(&rp->monitor, &rp->c.monitor[i]);

		if (slot == NULL) {
			trie_destroy(&rp->monitor);
			rpki_conf_free(&rp->c);
			free(rp->src);
			free(rp);
			return NULL;
		}
		*slot = rp;		/* any non-NULL value */
	}
	if (prev != NULL) {
		/* its tables serve until ours are made, and are what ours
		 * are compared with (by its procedure: another one makes
		 * every route checked) */
		rp->vrps = prev->vrps;
		rp->aspas = prev->aspas;
		rp->cur = prev->cur;
		rp->generation = prev->generation;
		rp->updated_us = prev->updated_us;
		rp->route_changes = prev->route_changes;
		prev->vrps = NULL;
		prev->aspas = NULL;
		memset(&prev->cur, 0, sizeof(prev->cur));
	}
	uv_async_init(loop, &rp->async, async_cb);
	rp->async.data = rp;
	uv_timer_init(loop, &rp->tick);
	rp->tick.data = rp;
	uv_timer_start(&rp->tick, tick_cb, 1000, 1000);
	rp->open_handles = 2;
	for (size_t i = 0; i < rp->c.nsrc; i++) {
		struct rsrc *s = &rp->src[i];

		s->rp = rp;
		s->c = &rp->c.src[i];
		s->idx = (unsigned)i;
		s->state = S_STARTING;
		s->since_us = now_us();
		rp->nsrc = i + 1;
		uv_timer_init(loop, &s->timer);
		uv_timer_init(loop, &s->settle);
		s->timer.data = s->settle.data = s;
		s->handles = true;
		rp->open_handles += 2;
		if (s->c->kind == RPKI_SRC_JSON) {
			load_start(&s->timer);
			continue;
		}
		if (!rtr_start(s)) {
			rtr_free(s);
			src_state(s, S_DOWN, "RTRlib could not start the "
			    "caches");
		}
	}
	return rp;
}

void
rpki_on_change(struct rpki *rp, rpki_change_fn fn, void *arg)
{
	rp->on_change = fn;
	rp->change_arg = arg;
}

void
rpki_on_source(struct rpki *rp, rpki_source_fn fn, void *arg)
{
	rp->on_source = fn;
	rp->source_arg = arg;
	for (size_t i = 0; i < rp->nsrc; i++) {
		rp->src[i].told = NULL;
		src_tell(&rp->src[i], state_name(rp->src[i].state));
	}
}

const struct rpki_tables *
rpki_current(const struct rpki *rp)
{
	return &rp->cur;
}

uint64_t
rpki_generation(const struct rpki *rp)
{
	return rp->generation;
}

static void
closed_rp(uv_handle_t *h)
{
	((struct rpki *)h->data)->open_handles--;
}

static void
closed_src(uv_handle_t *h)
{
	((struct rsrc *)h->data)->rp->open_handles--;
}

void
rpki_stop(struct rpki *rp)
{
	if (rp == NULL || rp->stopping)
		return;
	rp->stopping = true;
	for (size_t i = 0; i < rp->nsrc; i++) {
		struct rsrc *s = &rp->src[i];

		src_tell(s, "removed");
		if (s->busy)
			uv_cancel((uv_req_t *)&s->work);
		/* a copy of the records in flight frees it when done */
		if (s->c->kind == RPKI_SRC_RTR && !s->busy)
			rtr_free(s);
		uv_close((uv_handle_t *)&s->timer, closed_src);
		uv_close((uv_handle_t *)&s->settle, closed_src);
	}
	rp->on_source = NULL;
	uv_close((uv_handle_t *)&rp->async, closed_rp);
	uv_close((uv_handle_t *)&rp->tick, closed_rp);
}

bool
rpki_idle(const struct rpki *rp)
{
	if (rp->open_handles > 0 || rp->merging)
		return false;
	for (size_t i = 0; i < rp->nsrc; i++)
		if (rp->src[i].busy)
			return false;
	return true;
}

void
rpki_note(const struct trie_key *k, const struct rib_entry *e,
    struct rib_note *out, void *arg)
{
	const struct rpki *rp = arg;
	struct rpki_state st;

	/* before the first tables, no state is known: none is shown */
	if (rp == NULL || rp->cur.vrps == NULL)
		return;
	rpki_route_state(&rp->cur, &rp->rib->attrs, k, e->attr, e->vp->asn,
	    &st);
	out->rov = rov_state_name(st.rov);
	out->aspa = aspa_state_name(st.aspa);
}

void
rpki_free(struct rpki *rp)
{
	if (rp == NULL)
		return;
	for (size_t i = 0; i < rp->nsrc; i++)
		set_unref(rp->src[i].set);
	vrp_table_free(rp->vrps);
	aspa_table_free(rp->aspas);
	diff_clear(&rp->diff);
	trie_destroy(&rp->monitor);
	rpki_conf_free(&rp->c);
	free(rp->src);
	free(rp);
}

/* --- answers ----------------------------------------------------------------------- */

static void
jw_time(struct jw *j, const char *key, uint64_t us)
{
	jw_key(j, key);
	if (us == 0)
		jw_null(j);
	else
		jw_u64(j, us / 1000000u);
}

/* RTRlib's own names lack some states: ours, for every one. */
static const char *
cache_state_name(int st)
{
	static const char *const n[] = {
		[RTR_CONNECTING] = "connecting",
		[RTR_ESTABLISHED] = "established",
		[RTR_RESET] = "reset",
		[RTR_SYNC] = "syncing",
		[RTR_FAST_RECONNECT] = "reconnecting",
		[RTR_ERROR_NO_DATA_AVAIL] = "error: no data available",
		[RTR_ERROR_NO_INCR_UPDATE_AVAIL] = "error: no delta",
		[RTR_ERROR_FATAL] = "error: fatal",
		[RTR_ERROR_TRANSPORT] = "error: transport",
		[RTR_SHUTDOWN] = "shut down",
		[RTR_CLOSED] = "closed",
	};

	return st >= 0 && (size_t)st < sizeof(n) / sizeof(n[0]) &&
	    n[st] != NULL ? n[st] : "?";
}

static const char *
group_status_name(int st)
{
	static const char *const n[] = {
		[RTR_MGR_CLOSED] = "closed",
		[RTR_MGR_CONNECTING] = "connecting",
		[RTR_MGR_ESTABLISHED] = "in sync",
		[RTR_MGR_ERROR] = "error",
	};

	return st >= 0 && (size_t)st < sizeof(n) / sizeof(n[0]) &&
	    n[st] != NULL ? n[st] : "?";
}

/* A cache's socket state now: RTRlib's thread writes it, a word read
 * here without its lock (a moment old at worst), for people to read. */
static int
socket_state(const struct rsrc *s, size_t c)
{
	return (int)*(volatile const enum rtr_socket_state *)
	    &s->socks[c].state;
}

static void
src_counts(const struct rsrc *s, size_t *nv, size_t *np)
{
	*nv = s->set != NULL ? s->set->nv : 0;
	*np = s->set != NULL ? s->set->np : 0;
}

static void
status_json(const struct rpki *rp, struct strbuf *out)
{
	struct jw j;

	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_kstr(&j, "aspa_direction", aspa_dir_name(rp->c.dir));
	jw_ku64(&j, "generation", rp->generation);
	jw_time(&j, "updated", rp->updated_us);
	jw_key(&j, "vrps");
	jw_obj_begin(&j);
	jw_ku64(&j, "ipv4", rp->vrps ? vrp_table_count(rp->vrps, 0) : 0);
	jw_ku64(&j, "ipv6", rp->vrps ? vrp_table_count(rp->vrps, 1) : 0);
	jw_obj_end(&j);
	jw_ku64(&j, "aspas", rp->aspas ? aspa_table_customers(rp->aspas) : 0);
	jw_ku64(&j, "table_bytes", (rp->vrps ? vrp_table_bytes(rp->vrps) : 0) +
	    (rp->aspas ? aspa_table_bytes(rp->aspas) : 0));
	jw_ku64(&j, "route_changes", rp->route_changes);
	jw_key(&j, "sources");
	jw_arr_begin(&j);
	for (size_t i = 0; i < rp->nsrc; i++) {
		const struct rsrc *s = &rp->src[i];
		struct cache_st cst[RPKI_CACHES_MAX];
		size_t nv, np;

		src_counts(s, &nv, &np);
		jw_obj_begin(&j);
		jw_kstr(&j, "name", s->c->name);
		jw_kstr(&j, "type", rpki_src_kind_name(s->c->kind));
		jw_kstr(&j, "state", state_name(s->state));
		jw_time(&j, "since", s->since_us);
		jw_key(&j, "error");
		if (s->error[0] != '\0')
			jw_str(&j, s->error);
		else
			jw_null(&j);
		jw_ku64(&j, "vrps", nv);
		jw_ku64(&j, "aspa_pairs", np);
		jw_time(&j, "last_good", s->good_us);
		jw_time(&j, "last_change", s->set != NULL ? s->changed_us : 0);
		jw_ku64(&j, "refreshes", s->refreshes);
		jw_ku64(&j, "failures", s->failures);
		jw_ku64(&j, "refresh", s->c->refresh_s);
		jw_ku64(&j, "expire", s->c->expire_s);
		if (s->c->kind == RPKI_SRC_JSON) {
			jw_kstr(&j, s->c->url != NULL ? "url" : "file",
			    s->c->url != NULL ? s->c->url : s->c->file);
			jw_time(&j, "last_attempt", s->attempt_us);
			jw_ku64(&j, "unchanged", s->unchanged);
			jw_kstr(&j, "data_time", s->data_time);
			jw_obj_end(&j);
			continue;
		}
		memset(cst, 0, sizeof(cst));
		if (s->mgr != NULL) {
			pthread_mutex_lock((pthread_mutex_t *)&s->mu);
			memcpy(cst, s->cst, sizeof(cst));
			pthread_mutex_unlock((pthread_mutex_t *)&s->mu);
		}
		jw_kbool(&j, "in_sync", s->in_sync);
		jw_key(&j, "caches");
		jw_arr_begin(&j);
		for (size_t c = 0; c < s->c->ncaches; c++) {
			const struct rpki_cache_conf *cc = &s->c->caches[c];

			jw_obj_begin(&j);
			jw_kstr(&j, "host", cc->host);
			jw_kstr(&j, "port", cc->port);
			jw_ku64(&j, "preference", cc->preference);
			jw_kstr(&j, "state", s->mgr != NULL ?
			    cache_state_name(socket_state(s, c)) : "closed");
			jw_kstr(&j, "group", s->mgr != NULL ?
			    group_status_name(cst[c].group_status) :
			    "closed");
			jw_ku64(&j, "serial", cst[c].serial);
			jw_ku64(&j, "session_id", cst[c].session);
			jw_time(&j, "last_update", (uint64_t)cst[c].last_update *
			    1000000u);
			jw_ku64(&j, "version", cst[c].version);
			jw_ku64(&j, "refresh", cst[c].refresh);
			jw_ku64(&j, "retry", cst[c].retry);
			jw_ku64(&j, "expire", cst[c].expire);
			jw_obj_end(&j);
		}
		jw_arr_end(&j);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_obj_end(&j);
	sb_putn(out, "\n", 1);
}

static const char *
ago(uint64_t us, char *buf, size_t len)
{
	uint64_t now = now_us();

	if (us == 0)
		return "never";
	snprintf(buf, len, "%llus ago", (unsigned long long)(now > us ?
	    (now - us) / 1000000u : 0));
	return buf;
}

static void
status_text(const struct rpki *rp, struct strbuf *out)
{
	char b1[32], b2[32];

	sb_printf(out, "VRPs %zu IPv4, %zu IPv6; ASPAs %zu; ASPA procedure "
	    "%s; tables updated %s (generation %llu); route state changes "
	    "%llu\n", rp->vrps ? vrp_table_count(rp->vrps, 0) : 0,
	    rp->vrps ? vrp_table_count(rp->vrps, 1) : 0,
	    rp->aspas ? aspa_table_customers(rp->aspas) : 0,
	    aspa_dir_name(rp->c.dir), ago(rp->updated_us, b1, sizeof(b1)),
	    (unsigned long long)rp->generation,
	    (unsigned long long)rp->route_changes);
	if (rp->nsrc == 0)
		sb_puts(out, "no RPKI sources configured\n");
	for (size_t i = 0; i < rp->nsrc; i++) {
		const struct rsrc *s = &rp->src[i];
		size_t nv, np;

		src_counts(s, &nv, &np);
		sb_printf(out, "%-20s %-4s %-9s vrps %zu aspa-pairs %zu  last "
		    "good %s  since %s  refreshes %llu failures %llu\n",
		    s->c->name, rpki_src_kind_name(s->c->kind),
		    state_name(s->state), nv, np,
		    ago(s->good_us, b1, sizeof(b1)),
		    ago(s->since_us, b2, sizeof(b2)),
		    (unsigned long long)s->refreshes,
		    (unsigned long long)s->failures);
		if (s->error[0] != '\0')
			sb_printf(out, "    error: %s\n", s->error);
		for (size_t c = 0; s->mgr != NULL && c < s->c->ncaches; c++) {
			struct cache_st cst;

			pthread_mutex_lock((pthread_mutex_t *)&s->mu);
			cst = s->cst[c];
			pthread_mutex_unlock((pthread_mutex_t *)&s->mu);
			sb_printf(out, "    cache %s:%s preference %u: %s, group "
			    "%s, serial %u, session %u\n", s->c->caches[c].host,
			    s->c->caches[c].port, s->c->caches[c].preference,
			    cache_state_name(socket_state(s, c)),
			    group_status_name(cst.group_status), cst.serial,
			    cst.session);
		}
	}
}

void
rpki_status(const struct rpki *rp, bool json, struct strbuf *out)
{
	if (json)
		status_json(rp, out);
	else
		status_text(rp, out);
}

/* The names of the sources whose bits are in src. */
static void
jw_sources(struct jw *j, const struct rpki *rp, uint32_t src)
{
	jw_key(j, "sources");
	jw_arr_begin(j);
	for (size_t i = 0; i < rp->nsrc; i++)
		if (src & (1u << i))
			jw_str(j, rp->src[i].c->name);
	jw_arr_end(j);
}

static void
sb_sources(struct strbuf *out, const struct rpki *rp, uint32_t src)
{
	bool first = true;

	for (size_t i = 0; i < rp->nsrc; i++)
		if (src & (1u << i)) {
			sb_printf(out, "%s%s", first ? "" : ",",
			    rp->src[i].c->name);
			first = false;
		}
}

static void
jw_vrp(struct jw *j, const struct rpki *rp, const struct vrp *v)
{
	struct trie_key k;
	char buf[64];

	vrp_key(v, &k);
	jw_kstr(j, "prefix", trie_key_str(&k, buf, sizeof(buf)));
	jw_ku64(j, "max_length", v->maxlen);
	jw_ku64(j, "asn", v->asn);
	jw_sources(j, rp, v->src);
}

static void
route_vp(const struct rpki *rp, uint32_t vp, const char **name,
    const char **source)
{
	struct rib_vp *v = rib_vp(rp->rib, vp);
	struct rib_source *s = v != NULL ? rib_source(rp->rib, v->source) :
	    NULL;

	*name = v != NULL ? v->name : "?";
	*source = s != NULL ? s->name : "?";
}

static void
diff_json(const struct rpki *rp, struct strbuf *out)
{
	const struct rpki_diffrec *d = &rp->diff;
	char buf[64];
	struct jw j;

	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_time(&j, "time", d->time_us);
	jw_ku64(&j, "generation", d->generation);
	jw_key(&j, "monitored");
	if (rp->c.nmonitor == 0)
		jw_null(&j);
	else {
		jw_arr_begin(&j);
		for (size_t i = 0; i < rp->c.nmonitor; i++)
			jw_str(&j, trie_key_str(&rp->c.monitor[i], buf,
			    sizeof(buf)));
		jw_arr_end(&j);
	}
	jw_key(&j, "vrps");
	jw_obj_begin(&j);
	jw_ku64(&j, "added", d->vrps_added);
	jw_ku64(&j, "removed", d->vrps_removed);
	jw_key(&j, "changes");
	jw_arr_begin(&j);
	for (size_t i = 0; i < d->nvrps; i++) {
		jw_obj_begin(&j);
		jw_kstr(&j, "change", d->vrps[i].added ? "added" : "removed");
		jw_vrp(&j, rp, &d->vrps[i].v);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_obj_end(&j);
	jw_key(&j, "aspas");
	jw_obj_begin(&j);
	jw_ku64(&j, "added", d->pairs_added);
	jw_ku64(&j, "removed", d->pairs_removed);
	jw_key(&j, "changes");
	jw_arr_begin(&j);
	for (size_t i = 0; i < d->npairs; i++) {
		jw_obj_begin(&j);
		jw_kstr(&j, "change", d->pairs[i].added ? "added" : "removed");
		jw_ku64(&j, "customer", d->pairs[i].p.customer);
		jw_ku64(&j, "provider", d->pairs[i].p.provider);
		jw_sources(&j, rp, d->pairs[i].p.src);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_obj_end(&j);
	jw_key(&j, "routes");
	jw_obj_begin(&j);
	jw_ku64(&j, "walked", d->st.routes_seen);
	jw_ku64(&j, "checked", d->st.routes_checked);
	jw_ku64(&j, "changed", d->st.routes_changed);
	jw_key(&j, "changes");
	jw_arr_begin(&j);
	for (size_t i = 0; i < d->nroutes; i++) {
		const struct diff_route *r = &d->routes[i];
		const char *name, *source;

		route_vp(rp, r->vp, &name, &source);
		jw_obj_begin(&j);
		jw_kstr(&j, "prefix", trie_key_str(&r->k, buf, sizeof(buf)));
		jw_kstr(&j, "source", source);
		jw_ku64(&j, "vp", r->vp);
		jw_kstr(&j, "vp_name", name);
		if (r->has_path_id)
			jw_ku64(&j, "path_id", r->path_id);
		jw_key(&j, "rov");
		jw_obj_begin(&j);
		jw_kstr(&j, "old", rov_state_name(r->old.rov));
		jw_kstr(&j, "new", rov_state_name(r->now.rov));
		jw_obj_end(&j);
		jw_key(&j, "aspa");
		jw_obj_begin(&j);
		jw_kstr(&j, "old", aspa_state_name(r->old.aspa));
		jw_kstr(&j, "new", aspa_state_name(r->now.aspa));
		jw_obj_end(&j);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_obj_end(&j);
	jw_kbool(&j, "truncated", d->nvrps >= RPKI_DIFF_KEEP ||
	    d->npairs >= RPKI_DIFF_KEEP || d->nroutes >= RPKI_DIFF_KEEP);
	jw_obj_end(&j);
	sb_putn(out, "\n", 1);
}

static void
diff_text(const struct rpki *rp, struct strbuf *out)
{
	const struct rpki_diffrec *d = &rp->diff;
	char buf[VRP_STRLEN], b1[32];

	if (d->time_us == 0) {
		sb_puts(out, "no change of the RPKI tables yet\n");
		return;
	}
	sb_printf(out, "last change %s (generation %llu)%s: VRPs +%llu "
	    "-%llu, ASPA pairs +%llu -%llu; routes walked %llu, checked "
	    "%llu, changed state %llu\n", ago(d->time_us, b1, sizeof(b1)),
	    (unsigned long long)d->generation, rp->c.nmonitor > 0 ?
	    " for the monitored prefixes" : "",
	    (unsigned long long)d->vrps_added,
	    (unsigned long long)d->vrps_removed,
	    (unsigned long long)d->pairs_added,
	    (unsigned long long)d->pairs_removed,
	    (unsigned long long)d->st.routes_seen,
	    (unsigned long long)d->st.routes_checked,
	    (unsigned long long)d->st.routes_changed);
	for (size_t i = 0; i < d->nvrps; i++) {
		sb_printf(out, "%c VRP %s (", d->vrps[i].added ? '+' : '-',
		    vrp_str(&d->vrps[i].v, buf, sizeof(buf)));
		sb_sources(out, rp, d->vrps[i].v.src);
		sb_puts(out, ")\n");
	}
	for (size_t i = 0; i < d->npairs; i++)
		sb_printf(out, "%c ASPA AS%u provider AS%u\n",
		    d->pairs[i].added ? '+' : '-', d->pairs[i].p.customer,
		    d->pairs[i].p.provider);
	for (size_t i = 0; i < d->nroutes; i++) {
		const struct diff_route *r = &d->routes[i];
		const char *name, *source;
		char pb[64];

		route_vp(rp, r->vp, &name, &source);
		sb_printf(out, "  %-20s %s %s: rov %s -> %s, aspa %s -> %s\n",
		    trie_key_str(&r->k, pb, sizeof(pb)), source, name,
		    rov_state_name(r->old.rov), rov_state_name(r->now.rov),
		    aspa_state_name(r->old.aspa), aspa_state_name(r->now.aspa));
	}
}

void
rpki_diff(const struct rpki *rp, bool json, struct strbuf *out)
{
	if (json)
		diff_json(rp, out);
	else
		diff_text(rp, out);
}

/* --- explaining a validation ------------------------------------------------------ */

struct why_list {
	const struct vrp *v[64];
	size_t		  n;
	size_t		  more;
};

static void
why_add(const struct vrp *v, void *arg)
{
	struct why_list *w = arg;

	if (w->n < sizeof(w->v) / sizeof(w->v[0]))
		w->v[w->n++] = v;
	else
		w->more++;
}

static const char *
hop_name(enum aspa_hop h)
{
	return h == ASPA_PROVIDER ? "provider" : h == ASPA_NOT_PROVIDER ?
	    "not-provider" : "no-attestation";
}

void
rpki_explain(const struct rpki *rp, const struct rpki_query *q, bool json,
    struct strbuf *out)
{
	struct why_list w = { .n = 0 };
	enum rov_state rov = ROV_NOT_FOUND;
	enum aspa_state aspa = ASPA_UNKNOWN;
	int64_t origin = q->origin;
	char buf[64];
	struct jw j;

	if (origin == ROV_NO_ORIGIN && q->has_path && q->npath > 0 &&
	    !q->has_set)
		origin = q->path[q->npath - 1];
	if (rp->cur.vrps != NULL)
		rov = rov_validate_why(rp->cur.vrps, &q->k, origin, why_add, &w);
	if (q->has_path) {
		struct aspa_path p = { q->path, q->npath, q->has_set };

		aspa = rp->cur.aspas != NULL ? aspa_verify(rp->cur.aspas, &p,
		    q->dir) : ASPA_UNKNOWN;
	}
	if (!json) {
		sb_printf(out, "%s", trie_key_str(&q->k, buf, sizeof(buf)));
		if (origin >= 0)
			sb_printf(out, " AS%lld", (long long)origin);
		sb_printf(out, ": ROV %s\n", rov_state_name(rov));
		for (size_t i = 0; i < w.n; i++) {
			char vb[VRP_STRLEN];

			sb_printf(out, "  VRP %s (", vrp_str(w.v[i], vb,
			    sizeof(vb)));
			sb_sources(out, rp, w.v[i]->src);
			sb_printf(out, ")%s\n", origin == (int64_t)w.v[i]->asn &&
			    w.v[i]->asn != 0 && q->k.len <= w.v[i]->maxlen ?
			    ": matches" : "");
		}
		if (q->has_path) {
			sb_printf(out, "ASPA (%s) %s, path", aspa_dir_name(q->dir),
			    aspa_state_name(aspa));
			for (size_t i = 0; i < q->npath; i++)
				sb_printf(out, " %u", q->path[i]);
			sb_puts(out, "\n");
			for (size_t i = q->npath; i-- > 1;) {
				if (q->path[i] == q->path[i - 1])
					continue;
				sb_printf(out, "  AS%u -> AS%u: %s; AS%u -> AS%u: "
				    "%s\n", q->path[i], q->path[i - 1],
				    rp->cur.aspas ? hop_name(aspa_hop(
				    rp->cur.aspas, q->path[i], q->path[i - 1])) :
				    "no-attestation", q->path[i - 1], q->path[i],
				    rp->cur.aspas ? hop_name(aspa_hop(
				    rp->cur.aspas, q->path[i - 1], q->path[i])) :
				    "no-attestation");
			}
		}
		return;
	}
	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_kstr(&j, "prefix", trie_key_str(&q->k, buf, sizeof(buf)));
	jw_key(&j, "origin_asn");
	if (origin >= 0)
		jw_u64(&j, (uint64_t)origin);
	else
		jw_null(&j);
	jw_key(&j, "rov");
	jw_obj_begin(&j);
	jw_kstr(&j, "state", rov_state_rfc(rov));
	jw_key(&j, "reason");
	if (rov == ROV_INVALID_ORIGIN)
		jw_str(&j, "origin");
	else if (rov == ROV_INVALID_LENGTH)
		jw_str(&j, "length");
	else
		jw_null(&j);
	jw_key(&j, "vrps");
	jw_arr_begin(&j);
	for (size_t i = 0; i < w.n; i++) {
		jw_obj_begin(&j);
		jw_vrp(&j, rp, w.v[i]);
		jw_kbool(&j, "matches", origin == (int64_t)w.v[i]->asn &&
		    w.v[i]->asn != 0 && q->k.len <= w.v[i]->maxlen);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_ku64(&j, "vrps_not_shown", w.more);
	jw_obj_end(&j);
	if (q->has_path) {
		jw_key(&j, "aspa");
		jw_obj_begin(&j);
		jw_kstr(&j, "state", aspa_state_name(aspa));
		jw_kstr(&j, "direction", aspa_dir_name(q->dir));
		jw_kbool(&j, "as_set", q->has_set);
		jw_key(&j, "path");
		jw_arr_begin(&j);
		for (size_t i = 0; i < q->npath; i++)
			jw_u64(&j, q->path[i]);
		jw_arr_end(&j);
		/* each hop from the origin on, both ways */
		jw_key(&j, "hops");
		jw_arr_begin(&j);
		for (size_t i = q->npath; i-- > 1;) {
			uint32_t a = q->path[i], b = q->path[i - 1];

			if (a == b)
				continue;
			jw_obj_begin(&j);
			jw_ku64(&j, "from", a);
			jw_ku64(&j, "to", b);
			jw_kstr(&j, "up", rp->cur.aspas ? hop_name(aspa_hop(
			    rp->cur.aspas, a, b)) : "no-attestation");
			jw_kstr(&j, "down", rp->cur.aspas ? hop_name(aspa_hop(
			    rp->cur.aspas, b, a)) : "no-attestation");
			jw_obj_end(&j);
		}
		jw_arr_end(&j);
		jw_obj_end(&j);
	}
	jw_obj_end(&j);
	sb_putn(out, "\n", 1);
}

void
rpki_metrics(const struct rpki *rp, struct strbuf *b)
{
	sb_puts(b, "# HELP bgpsentry_rpki_vrps VRPs in the merged table.\n"
	    "# TYPE bgpsentry_rpki_vrps gauge\n");
	sb_printf(b, "bgpsentry_rpki_vrps{family=\"ipv4\"} %zu\n"
	    "bgpsentry_rpki_vrps{family=\"ipv6\"} %zu\n",
	    rp->vrps ? vrp_table_count(rp->vrps, 0) : 0,
	    rp->vrps ? vrp_table_count(rp->vrps, 1) : 0);
	sb_printf(b, "# HELP bgpsentry_rpki_aspas Customer ASes with an ASPA."
	    "\n# TYPE bgpsentry_rpki_aspas gauge\nbgpsentry_rpki_aspas %zu\n",
	    rp->aspas ? aspa_table_customers(rp->aspas) : 0);
	sb_printf(b, "# HELP bgpsentry_rpki_generation Changes of the RPKI "
	    "tables.\n# TYPE bgpsentry_rpki_generation counter\n"
	    "bgpsentry_rpki_generation %llu\n",
	    (unsigned long long)rp->generation);
	sb_printf(b, "# HELP bgpsentry_rpki_route_changes_total Routes whose "
	    "RPKI state changed with the tables.\n# TYPE "
	    "bgpsentry_rpki_route_changes_total counter\n"
	    "bgpsentry_rpki_route_changes_total %llu\n",
	    (unsigned long long)rp->route_changes);
	sb_puts(b, "# HELP bgpsentry_rpki_source_up 1 when the RPKI source "
	    "has current data, by state.\n# TYPE bgpsentry_rpki_source_up "
	    "gauge\n");
	for (size_t i = 0; i < rp->nsrc; i++)
		sb_printf(b, "bgpsentry_rpki_source_up{source=\"%s\",type=\"%s\","
		    "state=\"%s\"} %d\n", rp->src[i].c->name,
		    rpki_src_kind_name(rp->src[i].c->kind),
		    state_name(rp->src[i].state), rp->src[i].state == S_UP);
	sb_puts(b, "# HELP bgpsentry_rpki_source_vrps VRPs the source gives."
	    "\n# TYPE bgpsentry_rpki_source_vrps gauge\n");
	for (size_t i = 0; i < rp->nsrc; i++)
		sb_printf(b, "bgpsentry_rpki_source_vrps{source=\"%s\"} %zu\n",
		    rp->src[i].c->name, rp->src[i].set ? rp->src[i].set->nv :
		    0);
	sb_puts(b, "# HELP bgpsentry_rpki_source_failures_total Refreshes "
	    "that failed (the last good data kept).\n# TYPE "
	    "bgpsentry_rpki_source_failures_total counter\n");
	for (size_t i = 0; i < rp->nsrc; i++)
		sb_printf(b, "bgpsentry_rpki_source_failures_total{source="
		    "\"%s\"} %llu\n", rp->src[i].c->name,
		    (unsigned long long)rp->src[i].failures);
}

void
rpki_dump(const struct rpki *rp, bool json, struct strbuf *out)
{
	const struct vrp *v = NULL;
	const struct aspa_pair *p = NULL;
	size_t nv = 0, np = 0;
	char buf[VRP_STRLEN];
	struct jw j;

	if (rp->vrps != NULL)
		v = vrp_table_vrps(rp->vrps, &nv);
	if (rp->aspas != NULL)
		p = aspa_table_pairs(rp->aspas, &np);
	if (!json) {
		for (size_t i = 0; i < nv; i++) {
			sb_printf(out, "%s ", vrp_str(&v[i], buf, sizeof(buf)));
			sb_sources(out, rp, v[i].src);
			sb_puts(out, "\n");
		}
		for (size_t i = 0; i < np; i++) {
			if (i == 0 || p[i].customer != p[i - 1].customer)
				sb_printf(out, "%sASPA AS%u:", i ? "\n" : "",
				    p[i].customer);
			sb_printf(out, " AS%u", p[i].provider);
		}
		if (np > 0)
			sb_puts(out, "\n");
		return;
	}
	jw_init(&j, out);
	jw_obj_begin(&j);
	jw_ku64(&j, "generation", rp->generation);
	jw_key(&j, "vrps");
	jw_arr_begin(&j);
	for (size_t i = 0; i < nv; i++) {
		jw_obj_begin(&j);
		jw_vrp(&j, rp, &v[i]);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_key(&j, "aspas");
	jw_arr_begin(&j);
	for (size_t i = 0; i < np; i++) {
		if (i == 0 || p[i].customer != p[i - 1].customer) {
			if (i > 0) {
				jw_arr_end(&j);
				jw_obj_end(&j);
			}
			jw_obj_begin(&j);
			jw_ku64(&j, "customer", p[i].customer);
			jw_key(&j, "providers");
			jw_arr_begin(&j);
		}
		jw_u64(&j, p[i].provider);
	}
	if (np > 0) {
		jw_arr_end(&j);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_obj_end(&j);
	sb_putn(out, "\n", 1);
}
