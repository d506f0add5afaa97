/* The configuration: one YAML file (docs/configuration.md is the
 * schema). Loading checks everything it can without touching the
 * network or the files a source will read: types, ranges, unknown keys,
 * names, addresses, and what depends on what (an API address other than
 * loopback needs TLS and tokens). Every error names the file, the line
 * and the key, and says what was expected. */
#ifndef BGPS_CONFIG_CONFIG_H
#define BGPS_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/feed_bgp.h"
#include "feed/feed_bmp.h"
#include "feed/feed_rislive.h"
#include "rpki/rpki.h"

#define CFG_ERR_MAX		512
#define CFG_NAME_MAX		63	/* a source's name */
#define CFG_SOURCES_MAX		1024
/* subscriptions of a rislive source, the prefixes' pieces included */
#define CFG_RISLIVE_SUBS_MAX	64
#define CFG_FILES_MAX		100000	/* of one MRT source */
#define CFG_TOKENS_MAX		256
#define CFG_FILE_MAX		(1u << 20)	/* bytes of configuration */
#define CFG_PEERS_MAX		4096	/* of one BGP source */
#define CFG_LISTEN_MAX		16

enum cfg_log_target { CFG_LOG_STDERR, CFG_LOG_FILE, CFG_LOG_SYSLOG };
enum cfg_role { CFG_ROLE_READ, CFG_ROLE_ADMIN };
enum cfg_source_kind { CFG_SRC_NONE, CFG_SRC_MRT, CFG_SRC_BGP, CFG_SRC_BMP,
    CFG_SRC_RISLIVE };

struct cfg_token {
	char		*name;
	char		*secret;
	enum cfg_role	 role;
};

struct cfg_source {
	char			*name;
	enum cfg_source_kind	 kind;
	bool			 enabled;
	uint32_t		 tags;		/* RIB_TAG_* */
	unsigned		 line;		/* where it is defined */
	/* mrt */
	char			**files;
	size_t			 nfiles;
	double			 speed;		/* 0: as fast as possible */
	bool			 loop;		/* replay the updates again */
	bool			 clock_now;	/* events at replay time */
	/* bgp */
	uint32_t		 local_as;
	uint32_t		 router_id;	/* host order */
	struct feed_bgp_listen	*listen;
	size_t			 nlisten;
	struct feed_bgp_peer_conf *peers;
	size_t			 npeers;
	uint32_t		 connect_retry_s;
	/* bmp (and listen) */
	struct feed_bmp_allow	*routers;
	size_t			 nrouters;
	uint32_t		 stale_s;
	char			*capture_dir;
	/* rislive: the subscriptions (the prefixes' first, in pieces of
	 * RISLIVE_SUB_PREFIXES_MAX), none for the firehose */
	char			*url;
	char			*ca_file;
	char			*proxy;
	struct rislive_sub	*subs;
	size_t			 nsubs;
	struct rislive_sub	 prefix_sub;	/* "prefixes", while read */
	bool			 firehose;	/* all, even with a monitor */
	bool			 include_raw;
	bool			 heartbeat;
	uint32_t		 ping_s;
	uint32_t		 silence_s;	/* UINT32_MAX until set */
	uint32_t		 host_silence_s;
	uint32_t		 backoff_min_ms;
	uint32_t		 backoff_max_ms;
};

struct config {
	/* The file, or what an embedded configuration is called (then
	 * embedded is set and there is nothing to re-read). */
	char			*path;
	bool			 embedded;
	char			*data_dir;
	struct {
		int			 level;	/* enum log_level */
		enum cfg_log_target	 target;
		char			*file;
		char			*ident;	/* syslog */
	} log;
	struct {
		char		*host;		/* numeric address */
		uint16_t	 port;
		char		*tls_cert;
		char		*tls_key;
		struct cfg_token *tokens;
		size_t		 ntokens;
		uint32_t	 max_request_bytes;
		char		*ui_dir;	/* static files at /, or NULL */
		uint32_t	 cache_mb;	/* looking-glass answers kept */
		/* a /v1/ws client's queue; a slower one is closed */
		uint32_t	 stream_queue_kb;
	} api;
	struct cfg_source	*sources;
	size_t			 nsources;
	/* RPKI sources, the ASPA procedure, and the monitored prefixes */
	struct rpki_conf	 rpki;
};

/* The embedded default: no sources, data under ./var, the API on
 * 127.0.0.1:8179; its path is "(embedded default)". */
bool	 config_default(struct config *c);
/* Reads and checks FILE. On error: false, c left empty, and err says
 * "FILE:LINE: key: what was expected". */
bool	 config_load(const char *path, struct config *c, char *err,
	    size_t errlen);
/* The same on text in memory; name is what errors call the file. */
bool	 config_parse(const char *name, const char *text, size_t len,
	    struct config *c, char *err, size_t errlen);
void	 config_free(struct config *c);

/* A deep copy (false, dst empty, when memory runs out), and its
 * release. */
bool	 cfg_source_copy(struct cfg_source *dst, const struct cfg_source *src);
void	 cfg_source_free(struct cfg_source *s);
/* Are two sources' settings the same (a reload leaves it running)? */
bool	 cfg_source_same(const struct cfg_source *a,
	    const struct cfg_source *b);
/* Is host a loopback address (127.0.0.0/8, ::1)? */
bool	 cfg_host_is_loopback(const char *host);
const char *cfg_source_kind_name(enum cfg_source_kind k);
const char *cfg_role_name(enum cfg_role r);

#endif
