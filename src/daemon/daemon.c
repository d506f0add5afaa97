#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "feed/source_events.h"
#include "daemon/daemon.h"
#include "util/log.h"
#include "util/xorshift.h"

#define RETRY_MIN_MS	1000u
#define RETRY_MAX_MS	60000u
/* MRT records per poll: small, so that the API answers between polls */
#define MRT_POLL_RECORDS	64

uint64_t
daemon_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* --- a source's lifecycle ------------------------------------------------- */

static void	source_start(struct dsource *s);
static void	start_cb(uv_timer_t *t);
static void	poll_idle_cb(uv_idle_t *h);

const char *
dsource_state(const struct dsource *s)
{
	const struct rib_source *rs;

	if (!s->cfg.enabled)
		return "disabled";
	if (s->src == NULL)
		return s->failures > 0 ? "down" : "starting";
	rs = rib_source(s->d->rib, s->rib_id);
	return rs != NULL ? rib_source_state_name(rs->state) : "starting";
}

const char *
dsource_error(const struct dsource *s)
{
	const struct rib_source *rs = rib_source(s->d->rib, s->rib_id);

	return rs != NULL ? rs->last_error : "";
}

/* A change of the source's state since the last one noted, into the
 * recent events. */
static void
source_event(struct dsource *s, uint64_t at_us)
{
	const char *st = dsource_state(s);
	bool bad = strcmp(st, "up") != 0 && strcmp(st, "done") != 0;

	if (s->ev_state != NULL && strcmp(st, s->ev_state) == 0)
		return;
	sevents_add(s->d->events, at_us, s->cfg.name,
	    cfg_source_kind_name(s->cfg.kind), s->ev_state != NULL ?
	    s->ev_state : "", st, bad ? dsource_error(s) : "");
	s->ev_state = st;
}

/* Every VP of the source loses its routes (the source went away). */
static void
source_vps_down(struct dsource *s)
{
	struct rib *r = s->d->rib;
	uint64_t now = daemon_now_us();

	if (s->rib_id == UINT32_MAX)
		return;
	for (uint32_t i = 0; i < r->nvps; i++)
		if (r->vps[i].source == s->rib_id &&
		    r->vps[i].state != RIB_VP_DOWN)
			rib_vp_down(r, i, false, now);
}

static void
source_drop(struct dsource *s, const char *why)
{
	if (s->src == NULL)
		return;
	s->src->ops->stop(s->src);
	source_vps_down(s);
	rib_source_state(s->d->rib, s->rib_id, RIB_SRC_DOWN,
	    daemon_now_us(), why);
	s->src->ops->free(s->src);
	s->src = NULL;
}

static void
retry_later(struct dsource *s, const char *error)
{
	uint64_t ms = RETRY_MIN_MS << (s->failures < 6 ? s->failures : 6);
	static uint64_t seed = 0x9e3779b97f4a7c15ull;

	if (ms > RETRY_MAX_MS)
		ms = RETRY_MAX_MS;
	/* jitter: 80% to 120% */
	seed ^= daemon_now_us();
	ms = ms * (80 + xorshift64(&seed) % 41) / 100;
	s->failures++;
	s->retry_at_us = daemon_now_us() + ms * 1000u;
	log_warn("source failed, retrying source=%s error=\"%s\" retry_ms=%llu "
	    "failures=%u", s->cfg.name, error, (unsigned long long)ms,
	    s->failures);
	uv_timer_stop(&s->timer);
	s->timer.data = s;
	uv_timer_start(&s->timer, start_cb, ms, 0);
}

static void	poll_timer_cb(uv_timer_t *t);

/* One poll of the source, then the next: at once (the idle handle: the
 * loop serves its sockets in between), at a time (the timer), or never
 * (it has ended). A timer of 0 ms would not do: libuv runs a timer
 * re-armed for now again in the same round, and the API would wait for
 * the whole replay. */
static void
source_poll(struct dsource *s)
{
	uint64_t now = daemon_now_us(), next;

	if (s->src == NULL || s->d->stopping) {
		uv_idle_stop(&s->idle);
		return;
	}
	next = s->src->ops->poll(s->src, now);
	if (next == UINT64_MAX) {
		const struct rib_source *rs = rib_source(s->d->rib, s->rib_id);

		uv_idle_stop(&s->idle);
		log_info("source finished source=%s state=%s", s->cfg.name,
		    rs != NULL ? rib_source_state_name(rs->state) : "?");
		return;
	}
	if (next <= now) {
		uv_idle_start(&s->idle, poll_idle_cb);
		return;
	}
	uv_idle_stop(&s->idle);
	uv_timer_start(&s->timer, poll_timer_cb, (next - now + 999) / 1000, 0);
}

static void
poll_idle_cb(uv_idle_t *h)
{
	source_poll(h->data);
}

static void
poll_timer_cb(uv_timer_t *t)
{
	source_poll(t->data);
}

static void
source_state_seen(struct daemon *d, const struct feed_event *ev)
{
	char cause[160];

	for (struct dsource *s = d->sources; s != NULL; s = s->next) {
		if (s->rib_id != ev->source || s->src == NULL)
			continue;
		snprintf(cause, sizeof(cause), "%s: %.140s",
		    rib_source_state_name((enum rib_source_state)ev->state),
		    ev->error != NULL ? ev->error : "");
		if (feed_health_state(&s->health, ev->state != RIB_SRC_DOWN &&
		    ev->state != RIB_SRC_STARTING, ev->time_us != 0 ?
		    ev->time_us : daemon_now_us(), cause))
			log_warn("source gap begins source=%s error=\"%s\"",
			    s->cfg.name, ev->error != NULL ? ev->error : "");
		source_event(s, ev->time_us != 0 ? ev->time_us :
		    daemon_now_us());
		return;
	}
}

/* Where every source's events go: the RIB, then the stream's clients. */
static void
daemon_sink(const struct feed_event *ev, size_t n, void *arg)
{
	struct daemon *d = arg;

	feed_apply_sink(ev, n, &d->fa);
	api_stream_publish(d->api, d->rib, ev, n);
	/* a source that reports its own state changes: its gaps are exact,
	 * however short (the sampling each second would miss them) */
	for (size_t i = 0; i < n; i++)
		if (ev[i].type == FEED_SOURCE_STATE)
			source_state_seen(d, &ev[i]);
}

/* (Re)starts the source; on failure, retries with backoff. */
static void
source_start(struct dsource *s)
{
	struct feed_mrt_config mc = {
		.name = s->cfg.name,
		.files = (const char **)s->cfg.files,
		.nfiles = s->cfg.nfiles,
		.speed = s->cfg.speed,
		.loop = s->cfg.loop,
		.clock_now = s->cfg.clock_now,
		.batch = MRT_POLL_RECORDS,
		.restart = s->rib_id != UINT32_MAX,
		.source_id = s->rib_id,
		.vp_tags = (uint16_t)s->cfg.tags,
	};
	struct feed_bgp_config bc = {
		.name = s->cfg.name,
		.loop = s->d->loop,
		.local_as = s->cfg.local_as,
		.router_id = s->cfg.router_id,
		.listen = s->cfg.listen,
		.nlisten = s->cfg.nlisten,
		.peers = s->cfg.peers,
		.npeers = s->cfg.npeers,
		.connect_retry_s = s->cfg.connect_retry_s,
		.vp_tags = (uint16_t)s->cfg.tags,
		.restart = s->rib_id != UINT32_MAX,
		.source_id = s->rib_id,
	};
	struct daemon *d = s->d;
	const struct rib_source *rs;
	char err[sizeof(((struct rib_source *)0)->last_error)];

	if (d->stopping || !s->cfg.enabled || s->src != NULL)
		return;
	struct feed_bmp_config pc = {
		.name = s->cfg.name,
		.loop = s->d->loop,
		.listen = s->cfg.listen,
		.nlisten = s->cfg.nlisten,
		.allow = s->cfg.routers,
		.nallow = s->cfg.nrouters,
		.stale_s = s->cfg.stale_s,
		.capture_dir = s->cfg.capture_dir,
		.vp_tags = (uint16_t)s->cfg.tags,
		.restart = s->rib_id != UINT32_MAX,
		.source_id = s->rib_id,
	};

	struct feed_rislive_config rc = {
		.name = s->cfg.name,
		.loop = s->d->loop,
		.url = s->cfg.url,
		.ca_file = s->cfg.ca_file,
		.proxy = s->cfg.proxy,
		.subs = s->cfg.subs,
		.nsubs = s->cfg.nsubs,
		.include_raw = s->cfg.include_raw,
		.heartbeat = s->cfg.heartbeat,
		.ping_s = s->cfg.ping_s,
		.silence_s = s->cfg.silence_s,
		.host_silence_s = s->cfg.host_silence_s,
		.backoff_min_ms = s->cfg.backoff_min_ms,
		.backoff_max_ms = s->cfg.backoff_max_ms,
		.vp_tags = (uint16_t)s->cfg.tags,
		.restart = s->rib_id != UINT32_MAX,
		.source_id = s->rib_id,
	};

	if (s->cfg.kind == CFG_SRC_RISLIVE && d->ws == NULL &&
	    (d->ws = feed_ws_new(d->loop)) == NULL) {
		retry_later(s, "the WebSocket client cannot start");
		return;
	}
	rc.ws = d->ws;
	if (s->cfg.kind == CFG_SRC_BGP)
		s->src = feed_bgp_new(d->rib, &bc, daemon_sink, d);
	else if (s->cfg.kind == CFG_SRC_RISLIVE)
		s->src = feed_rislive_new(d->rib, &rc, daemon_sink, d);
	else if (s->cfg.kind == CFG_SRC_BMP)
		s->src = feed_bmp_new(d->rib, &pc, daemon_sink, d);
	else
		s->src = feed_mrt_new(d->rib, &mc, daemon_sink, d);
	if (s->src == NULL) {
		retry_later(s, "out of memory");
		return;
	}
	if (s->src->ops->start(s->src) != 0) {
		rs = rib_source(d->rib, s->src->id);
		snprintf(err, sizeof(err), "%s", rs != NULL &&
		    rs->last_error[0] != '\0' ? rs->last_error :
		    "cannot start");
		if (s->src->id != UINT32_MAX)
			s->rib_id = s->src->id;
		s->src->ops->free(s->src);
		s->src = NULL;
		if (s->rib_id != UINT32_MAX)
			rib_source_state(d->rib, s->rib_id, RIB_SRC_DOWN,
			    daemon_now_us(), err);
		retry_later(s, err);
		return;
	}
	s->rib_id = s->src->id;
	s->failures = 0;
	s->started_us = daemon_now_us();
	if (s->cfg.kind == CFG_SRC_BGP)
		log_info("source started source=%s kind=bgp peers=%zu",
		    s->cfg.name, s->cfg.npeers);
	else if (s->cfg.kind == CFG_SRC_BMP)
		log_info("source started source=%s kind=bmp listeners=%zu",
		    s->cfg.name, s->cfg.nlisten);
	else if (s->cfg.kind == CFG_SRC_RISLIVE)
		log_info("source started source=%s kind=rislive url=%s "
		    "subscriptions=%zu", s->cfg.name, s->cfg.url,
		    s->cfg.nsubs);
	else
		log_info("source started source=%s kind=%s files=%zu "
		    "speed=%g", s->cfg.name, cfg_source_kind_name(s->cfg.kind),
		    s->cfg.nfiles, s->cfg.speed);
	s->idle.data = s;
	uv_idle_start(&s->idle, poll_idle_cb);
}

static void
start_cb(uv_timer_t *t)
{
	source_start(t->data);
}

static struct dsource *
source_new(struct daemon *d, const struct cfg_source *c)
{
	struct dsource *s = calloc(1, sizeof(*s));

	if (s == NULL || !cfg_source_copy(&s->cfg, c)) {
		free(s);
		return NULL;
	}
	s->d = d;
	s->rib_id = UINT32_MAX;
	uv_timer_init(d->loop, &s->timer);
	uv_idle_init(d->loop, &s->idle);
	s->timer.data = s;
	s->idle.data = s;
	if (s->cfg.enabled)
		uv_timer_start(&s->timer, start_cb, 0, 0);
	source_event(s, daemon_now_us());
	return s;
}

/* Both handles closed: the last one frees the source. */
static void
source_closed(uv_handle_t *h)
{
	struct dsource *s = h->data;

	if (--s->open_handles > 0)
		return;
	cfg_source_free(&s->cfg);
	free(s);
}

/* Stops it, takes its routes out, and frees it once its handles close. */
static void
source_remove(struct dsource *s, const char *why)
{
	if (!s->d->stopping)
		sevents_add(s->d->events, daemon_now_us(), s->cfg.name,
		    cfg_source_kind_name(s->cfg.kind), s->ev_state != NULL ?
		    s->ev_state : "", "removed", why);
	source_drop(s, why);
	s->closing = true;
	uv_timer_stop(&s->timer);
	uv_idle_stop(&s->idle);
	s->open_handles = 2;
	uv_close((uv_handle_t *)&s->timer, source_closed);
	uv_close((uv_handle_t *)&s->idle, source_closed);
}

/* --- rates and gaps -------------------------------------------------------- */

static void
sample_source(struct dsource *s, uint64_t now)
{
	const char *st = dsource_state(s);
	char cause[160];

	source_event(s, now);
	if (!s->cfg.enabled)
		return;
	snprintf(cause, sizeof(cause), "%s: %.140s", st, dsource_error(s));
	/* degraded still delivers: a gap is the source down, or starting
	 * over, after it had been up */
	if (feed_health_sample(&s->health, s->src != NULL ?
	    s->src->counters.events : 0, strcmp(st, "down") != 0 &&
	    strcmp(st, "starting") != 0, now, cause))
		log_warn("source gap begins source=%s state=%s error=\"%s\"",
		    s->cfg.name, st, dsource_error(s));
}

/* --- RPKI ------------------------------------------------------------------ */

/* A route whose RPKI state changed with the tables: the detectors'
 * event, into the ring of recent changes (GET /api/v1/rpki/changes). */
static void
rpki_changed(const struct rpki_change *c, void *arg)
{
	struct daemon *d = arg;
	int64_t origin = rpki_route_origin(&d->rib->attrs, c->e->attr,
	    c->e->vp->asn);
	struct rchange v = {
		.time_us = daemon_now_us(),
		.k = *c->k,
		.vp = c->e->vp->id,
		.path_id = c->e->path_id,
		.has_path_id = c->e->has_path_id,
		.origin = origin != ROV_NO_ORIGIN ? (uint32_t)origin : 0,
		.has_origin = origin != ROV_NO_ORIGIN,
		.old = c->old,
		.now = c->now,
	};

	rchanges_add(d->rchanges, &v);
}

/* An RPKI source's state changed: into the recent source events, of
 * kind "rpki" (a reload that changes the rpki section removes its
 * sources and starts them again). */
static void
rpki_source_event(const char *source, const char *from, const char *to,
    const char *error, void *arg)
{
	struct daemon *d = arg;

	if (d->stopping)
		return;
	sevents_add(d->events, daemon_now_us(), source, "rpki", from, to,
	    strcmp(to, "removed") == 0 ? "the rpki configuration changed" :
	    error);
}

static bool
rpki_start(struct daemon *d, const struct rpki_conf *c, struct rpki *prev)
{
	if ((d->rpki = rpki_new(d->loop, d->rib, c, prev)) == NULL)
		return false;
	rpki_on_change(d->rpki, rpki_changed, d);
	rib_set_note(d->rib, rpki_note, d->rpki);
	return true;
}

/* Frees the RPKI instances a reload replaced, once they are idle. */
static void
rpki_reap(struct daemon *d)
{
	for (size_t i = 0; i < d->nrpki_old;) {
		if (!rpki_idle(d->rpki_old[i])) {
			i++;
			continue;
		}
		rpki_free(d->rpki_old[i]);
		d->rpki_old[i] = d->rpki_old[--d->nrpki_old];
	}
}

static void
tick_cb(uv_timer_t *t)
{
	struct daemon *d = t->data;
	uint64_t now = daemon_now_us();

	for (struct dsource *s = d->sources; s != NULL; s = s->next)
		sample_source(s, now);
	rib_vps_sample_rates(d->rib);
	rpki_reap(d);
}

/* --- configuration -------------------------------------------------------- */

/* The command line's settings over the file's. */
static bool
apply_overrides(const struct daemon *d, struct config *c)
{
	if (d->data_dir_override != NULL) {
		char *dir = strdup(d->data_dir_override);

		if (dir == NULL)
			return false;
		free(c->data_dir);
		c->data_dir = dir;
	}
	if (d->level_override >= 0)
		c->log.level = d->level_override;
	return true;
}

static bool
apply_logging(const struct config *c)
{
	char err[CFG_ERR_MAX];

	log_set_level((enum log_level)c->log.level);
	switch (c->log.target) {
	case CFG_LOG_FILE:
		if (!log_to_file(c->log.file, err, sizeof(err))) {
			log_error("log: %s", err);
			return false;
		}
		break;
	case CFG_LOG_SYSLOG:
		log_to_syslog(c->log.ident != NULL ? c->log.ident :
		    "bgpsentry");
		break;
	default:
		log_to_stderr();
		break;
	}
	return true;
}

struct dsource *
dsource_find(const struct daemon *d, const char *name)
{
	for (struct dsource *s = d->sources; s != NULL; s = s->next)
		if (strcmp(s->cfg.name, name) == 0)
			return s;
	return NULL;
}

bool
daemon_reload(struct daemon *d, char *err, size_t errlen)
{
	struct dsource **pp, *s, *keep = NULL, **tail = &keep;
	struct config nc;
	unsigned added = 0, removed = 0, restarted = 0, kept = 0;

	if (d->cfg.embedded) {
		log_info("reload: running on an embedded configuration, "
		    "nothing to re-read");
		return true;
	}
	if (!config_load(d->cfg.path, &nc, err, errlen)) {
		d->reload_failures++;
		log_error("reload failed, configuration unchanged error=\"%s\"",
		    err);
		return false;
	}
	if (!apply_overrides(d, &nc)) {
		config_free(&nc);
		snprintf(err, errlen, "out of memory");
		d->reload_failures++;
		return false;
	}
	/* sources gone or changed stop; the unchanged keep running */
	for (pp = &d->sources; (s = *pp) != NULL;) {
		const struct cfg_source *n = NULL;

		for (size_t i = 0; i < nc.nsources; i++)
			if (strcmp(nc.sources[i].name, s->cfg.name) == 0)
				n = &nc.sources[i];
		*pp = s->next;
		if (n != NULL && cfg_source_same(n, &s->cfg)) {
			s->next = NULL;
			*tail = s;
			tail = &s->next;
			kept++;
			continue;
		}
		if (n != NULL)
			restarted++;
		else
			removed++;
		log_info("source %s source=%s", n != NULL ? "changed, "
		    "restarting" : "removed", s->cfg.name);
		source_remove(s, n != NULL ? "configuration changed" :
		    "removed from the configuration");
	}
	d->sources = keep;
	/* new sources go at the end of the list (tail pointed into the
	 * local keep when nothing was kept) */
	for (tail = &d->sources; *tail != NULL; tail = &(*tail)->next)
		;
	for (size_t i = 0; i < nc.nsources; i++) {
		if (dsource_find(d, nc.sources[i].name) != NULL)
			continue;
		if ((s = source_new(d, &nc.sources[i])) == NULL) {
			log_error("reload: out of memory source=%s",
			    nc.sources[i].name);
			continue;
		}
		*tail = s;
		tail = &s->next;
		added++;
	}
	added -= restarted < added ? restarted : added;
	if (nc.api.port != d->cfg.api.port ||
	    strcmp(nc.api.host, d->cfg.api.host) != 0)
		log_warn("reload: the API address changes at the next start "
		    "(now %s port %u)", d->cfg.api.host, d->cfg.api.port);
	if (!rpki_conf_same(&nc.rpki, &d->cfg.rpki)) {
		struct rpki *old = d->rpki;

		if (d->nrpki_old == sizeof(d->rpki_old) /
		    sizeof(d->rpki_old[0]) || !rpki_start(d, &nc.rpki, old)) {
			log_error("reload: the RPKI sources are unchanged (too "
			    "many reloads in flight, or out of memory)");
			d->rpki = old;
		} else {
			/* the old sources' removal, then the new ones */
			rpki_stop(old);
			rpki_on_source(d->rpki, rpki_source_event, d);
			d->rpki_old[d->nrpki_old++] = old;
			log_info("reload: RPKI sources restarted");
		}
	}
	apply_logging(&nc);
	config_free(&d->cfg);
	d->cfg = nc;
	d->reloads++;
	/* answers kept by the API may name sources, tags or tokens that
	 * changed */
	rib_changed_all(d->rib);
	log_info("reloaded path=%s sources_added=%u removed=%u restarted=%u "
	    "unchanged=%u", d->cfg.path, added, removed, restarted, kept);
	return true;
}

/* --- signals and the loop ------------------------------------------------- */

static void
on_signal(uv_signal_t *h, int signum)
{
	struct daemon *d = h->data;

	if (signum == SIGHUP) {
		char err[CFG_ERR_MAX];

		log_info("SIGHUP: reloading the configuration");
		daemon_reload(d, err, sizeof(err));
		return;
	}
	log_info("%s: stopping", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	daemon_stop(d);
}

int
daemon_init(struct daemon *d, struct config *cfg, const char *data_dir,
    int level)
{
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	memset(cfg, 0, sizeof(*cfg));
	d->level_override = level;
	if (data_dir != NULL &&
	    (d->data_dir_override = strdup(data_dir)) == NULL) {
		log_error("out of memory");
		return -1;
	}
	if (!apply_overrides(d, &d->cfg)) {
		log_error("out of memory");
		return -1;
	}
	d->started_us = daemon_now_us();
	if (!apply_logging(&d->cfg))
		return -1;
	d->loop = malloc(sizeof(*d->loop));
	if (d->loop == NULL || uv_loop_init(d->loop) != 0) {
		free(d->loop);
		d->loop = NULL;
		log_error("cannot start the event loop");
		return -1;
	}
	d->rib = rib_new();
	d->events = calloc(1, sizeof(*d->events));
	d->rchanges = calloc(1, sizeof(*d->rchanges));
	if (d->rib == NULL || d->events == NULL || d->rchanges == NULL) {
		log_error("out of memory");
		return -1;
	}
	feed_apply_init(&d->fa, d->rib);
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    !rpki_start(d, &d->cfg.rpki, NULL)) {
		log_error("out of memory");
		return -1;
	}
	rpki_on_source(d->rpki, rpki_source_event, d);
	d->api = api_new(d);
	if (d->api == NULL)
		return -1;		/* api_new said why */
	uv_signal_init(d->loop, &d->sig_term);
	uv_signal_init(d->loop, &d->sig_int);
	uv_signal_init(d->loop, &d->sig_hup);
	d->sig_term.data = d->sig_int.data = d->sig_hup.data = d;
	uv_signal_start(&d->sig_term, on_signal, SIGTERM);
	uv_signal_start(&d->sig_int, on_signal, SIGINT);
	uv_signal_start(&d->sig_hup, on_signal, SIGHUP);
	uv_timer_init(d->loop, &d->tick);
	d->tick.data = d;
	uv_timer_start(&d->tick, tick_cb, 1000, 1000);
	d->have_signals = true;
	for (size_t i = 0; i < d->cfg.nsources; i++) {
		struct dsource *s = source_new(d, &d->cfg.sources[i]);

		if (s == NULL) {
			log_error("out of memory");
			return -1;
		}
		s->next = d->sources;
		d->sources = s;
	}
	if (d->cfg.nsources == 0)
		log_warn("no source is configured: there is nothing to monitor "
		    "yet; add sources to a configuration file (see "
		    "docs/configuration.md) and start with -c FILE, or try "
		    "--demo");
	log_info("running config=%s data_dir=%s api=%s:%u sources=%zu",
	    d->cfg.path,
	    d->cfg.data_dir, d->cfg.api.host, d->cfg.api.port,
	    d->cfg.nsources);
	return 0;
}

void
daemon_stop(struct daemon *d)
{
	struct dsource *s, *n;

	if (d->stopping)
		return;
	d->stopping = true;
	for (s = d->sources; s != NULL; s = n) {
		n = s->next;
		source_remove(s, "stopping");
	}
	d->sources = NULL;
	feed_ws_stop(d->ws);	/* freed once the loop has closed it */
	rpki_stop(d->rpki);	/* the same */
	api_stop(d->api);	/* freed once the loop has closed it */
	if (d->have_signals) {
		uv_close((uv_handle_t *)&d->sig_term, NULL);
		uv_close((uv_handle_t *)&d->sig_int, NULL);
		uv_close((uv_handle_t *)&d->sig_hup, NULL);
		uv_close((uv_handle_t *)&d->tick, NULL);
	}
}

int
daemon_run(struct daemon *d)
{
	uv_run(d->loop, UV_RUN_DEFAULT);
	log_info("stopped");
	return 0;
}

void
daemon_free(struct daemon *d)
{
	if (d->loop != NULL) {
		if (!d->stopping)
			daemon_stop(d);
		uv_run(d->loop, UV_RUN_DEFAULT);	/* the closes */
		feed_ws_free(d->ws);
		d->ws = NULL;
		rib_set_note(d->rib, NULL, NULL);
		rpki_free(d->rpki);
		d->rpki = NULL;
		for (size_t i = 0; i < d->nrpki_old; i++)
			rpki_free(d->rpki_old[i]);
		d->nrpki_old = 0;
		api_free(d->api);
		d->api = NULL;
		uv_run(d->loop, UV_RUN_DEFAULT);
		uv_loop_close(d->loop);
		free(d->loop);
	}
	if (d->rib != NULL) {
		feed_apply_done(&d->fa);
		rib_free(d->rib);
	}
	config_free(&d->cfg);
	free(d->events);
	free(d->rchanges);
	free(d->data_dir_override);
	curl_global_cleanup();
	memset(d, 0, sizeof(*d));
}
