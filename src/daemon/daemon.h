/* bgpsentry run: one process with the libuv loop, the RIB, every
 * configured source and the HTTP API. A source has a lifecycle
 * (starting, up, degraded, down with its last error and a retry with
 * backoff, done for a finite one); one failing source never stops the
 * others. SIGHUP re-reads the configuration and restarts only the
 * sources whose settings changed; SIGTERM and SIGINT stop cleanly. */
#ifndef BGPS_DAEMON_DAEMON_H
#define BGPS_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "config/config.h"
#include "feed/feed.h"
#include "feed/feed_bgp.h"
#include "feed/feed_bmp.h"
#include "feed/feed_health.h"
#include "feed/feed_rislive.h"
#include "rib/rib.h"
#include "rpki/rpki.h"
#include "rpki/rpki_changes.h"

struct api;

/* A configured source, running or waiting to retry. */
struct dsource {
	struct cfg_source	 cfg;		/* owned copy */
	struct feed_source	*src;		/* NULL while down */
	uint32_t		 rib_id;	/* its registry entry, or
						 * UINT32_MAX before the first
						 * start */
	uv_timer_t		 timer;		/* polls due later, retries */
	uv_idle_t		 idle;		/* polls due now */
	unsigned		 open_handles;	/* while closing */
	struct daemon		*d;
	unsigned		 failures;	/* in a row: the backoff */
	uint64_t		 retry_at_us;
	uint64_t		 started_us;
	bool			 closing;
	struct feed_health	 health;	/* sampled each second */
	const char		*ev_state;	/* the state last put in
						 * events, or NULL */
	struct dsource		*next;
};

struct daemon {
	uv_loop_t		*loop;
	struct config		 cfg;
	struct rib		*rib;
	struct feed_apply	 fa;
	struct dsource		*sources;
	struct api		*api;
	struct feed_ws		*ws;		/* RIS Live clients, made at
						 * the first */
	struct rpki		*rpki;
	struct sevents		*events;	/* recent source events */
	struct rchanges		*rchanges;	/* recent route RPKI state
						 * changes */
	/* replaced by a reload, freed once idle */
	struct rpki		*rpki_old[8];
	size_t			 nrpki_old;
	uv_signal_t		 sig_term;
	uv_signal_t		 sig_int;
	uv_signal_t		 sig_hup;
	uv_timer_t		 tick;		/* each second: rates, gaps */
	bool			 have_signals;
	uint64_t		 started_us;
	uint64_t		 reloads;
	uint64_t		 reload_failures;
	/* command-line settings that outlive a reload (NULL, -1: none) */
	char			*data_dir_override;
	int			 level_override;
	bool			 stopping;
};

uint64_t	 daemon_now_us(void);
/* Takes over cfg (freed by daemon_free). data_dir and level (NULL, -1:
 * none) override the file's, now and after every reload. */
int		 daemon_init(struct daemon *d, struct config *cfg,
		    const char *data_dir, int level);
/* Runs until SIGTERM/SIGINT (or daemon_stop); 0 on a clean stop. */
int		 daemon_run(struct daemon *d);
void		 daemon_stop(struct daemon *d);
/* Re-reads the configuration file; false (and nothing changed) when it
 * is wrong, with the error logged and in err. */
bool		 daemon_reload(struct daemon *d, char *err, size_t errlen);
void		 daemon_free(struct daemon *d);

/* The configured source of that name, or NULL. */
struct dsource	*dsource_find(const struct daemon *d, const char *name);
/* The state of a configured source as the API shows it. */
const char	*dsource_state(const struct dsource *s);
const char	*dsource_error(const struct dsource *s);

#endif
