/* The RPKI of the daemon: its sources (VRP and ASPA JSON from files or
 * HTTP(S) URLs; RTR caches through RTRlib), merged into one VRP table
 * and one ASPA table, kept current as the sources change, and the RIB's
 * routes revalidated by delta when they do.
 *
 * Runs on the daemon's libuv loop: reading a file or a URL, and building
 * the merged tables, happen on its thread pool; RTRlib runs threads of
 * its own and only signals the loop. The tables are replaced whole, never
 * changed: a lookup on the loop always sees one consistent pair.
 *
 * A source keeps its last good data when a refresh fails (the failure is
 * its state, its error and a warning) until its data expires: `expire`
 * seconds with no good refresh (JSON) or no cache in sync (RTR; RFC 8210
 * section 6's expire interval, or ours if shorter). */
#ifndef BGPS_RPKI_RPKI_H
#define BGPS_RPKI_RPKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "rib/rib.h"
#include "rpki/rpki_rib.h"
#include "util/strbuf.h"

#define RPKI_CACHES_MAX		8	/* of one RTR source */
#define RPKI_DIFF_KEEP		10000	/* changes `rpki diff` keeps */
#define RPKI_MONITOR_MAX	100000	/* monitored prefixes */

enum rpki_src_kind { RPKI_SRC_JSON, RPKI_SRC_RTR };

struct rpki_cache_conf {
	char		*host;
	char		*port;
	uint8_t		 preference;	/* lower is preferred */
};

struct rpki_src_conf {
	char			*name;
	enum rpki_src_kind	 kind;
	unsigned		 line;
	char			*file;		/* json: a file, */
	char			*url;		/* or an HTTP(S) URL */
	char			*ca_file;	/* NULL: the system's */
	uint32_t		 refresh_s;
	uint32_t		 retry_s;	/* rtr */
	uint32_t		 expire_s;	/* 0: never (json) */
	uint32_t		 timeout_s;	/* json URL */
	struct rpki_cache_conf	*caches;	/* rtr */
	size_t			 ncaches;
};

struct rpki_conf {
	enum aspa_dir		 dir;
	struct rpki_src_conf	*src;
	size_t			 nsrc;
	/* the monitored prefixes `rpki diff` shows (none: everything) */
	struct trie_key		*monitor;
	size_t			 nmonitor;
};

bool	rpki_conf_copy(struct rpki_conf *dst, const struct rpki_conf *src);
bool	rpki_conf_same(const struct rpki_conf *a, const struct rpki_conf *b);
void	rpki_conf_free(struct rpki_conf *c);
const char *rpki_src_kind_name(enum rpki_src_kind k);

struct rpki;

/* Starts every source. r is the RIB its changes are revalidated on.
 * prev (or NULL): an instance being replaced (a reload), whose tables
 * this one takes over: they serve until its own are made, and are what
 * those are compared with. The first tables are made once every source
 * has data or has failed to get some (or after 30 s). */
struct rpki	*rpki_new(uv_loop_t *loop, struct rib *r,
		    const struct rpki_conf *c, struct rpki *prev);
/* Each route whose state changes when the tables do: the detectors'
 * event. */
void		 rpki_on_change(struct rpki *rp, rpki_change_fn fn, void *arg);
/* A source's state changed: from ("" when it is first told), to
 * (starting, up, degraded, down, expired; removed when the instance
 * stops) and the error, unless to is up or removed. */
typedef void	(*rpki_source_fn)(const char *source, const char *from,
		    const char *to, const char *error, void *arg);
/* fn is told each source's state now, then each change of it, and each
 * source's removal by rpki_stop. */
void		 rpki_on_source(struct rpki *rp, rpki_source_fn fn, void *arg);
/* The tables now (their pointers stay valid until the loop runs on). */
const struct rpki_tables *rpki_current(const struct rpki *rp);
/* Generation of the tables: moves at each change. */
uint64_t	 rpki_generation(const struct rpki *rp);
/* Stops the sources and closes the handles (the loop must then run). */
void		 rpki_stop(struct rpki *rp);
/* After rpki_stop: whether its handles are closed and no work is left
 * on the thread pool (it may then be freed). */
bool		 rpki_idle(const struct rpki *rp);
/* After rpki_stop and a run of the loop. */
void		 rpki_free(struct rpki *rp);
/* The RIB's note (rib_set_note) for routes: their ROV and ASPA states,
 * once there are tables. arg: the struct rpki. */
void		 rpki_note(const struct trie_key *k, const struct rib_entry *e,
		    struct rib_note *out, void *arg);

/* The API's answers. */
void		 rpki_status(const struct rpki *rp, bool json,
		    struct strbuf *out);
/* The last refresh that changed something: the VRPs and ASPAs added and
 * removed, the routes whose state changed; those of the monitored
 * prefixes (covering or inside one) when some are, else all, up to
 * RPKI_DIFF_KEEP of each. */
void		 rpki_diff(const struct rpki *rp, bool json,
		    struct strbuf *out);
/* A route's validation explained: the VRPs covering the prefix (with
 * their sources) and its ROV state for origin; with a path (neighbor
 * first), its ASPA state and each hop. */
struct rpki_query {
	struct trie_key	 k;
	int64_t		 origin;	/* ROV_NO_ORIGIN: from the path */
	const uint32_t	*path;
	size_t		 npath;
	bool		 has_path;
	bool		 has_set;	/* the path has an AS_SET */
	enum aspa_dir	 dir;
};
void		 rpki_explain(const struct rpki *rp, const struct rpki_query *q,
		    bool json, struct strbuf *out);
/* Every VRP (with its sources) and ASPA of the tables now; text as
 * "192.0.2.0/24-24 AS64496 SOURCE,..." lines, then "ASPA AS64496: AS1
 * AS2" lines. */
void		 rpki_dump(const struct rpki *rp, bool json, struct strbuf *out);
/* Prometheus lines. */
void		 rpki_metrics(const struct rpki *rp, struct strbuf *out);

#endif
