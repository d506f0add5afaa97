#include <errno.h>
#include <libwebsockets.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "api/lgcache.h"
#include "api/stream_rislive.h"
#include "api/ui_files.h"
#include "daemon/daemon.h"
#include "feed/source_events.h"
#include "rib/rib_query.h"
#include "util/json_out.h"
#include "util/log.h"
#include "util/strbuf.h"

#define CHUNK		(32u * 1024)
/* Room before the body: the answer's headers go there, right before
 * it, to leave in the same send (and LWS_PRE before them for the
 * library). */
#define HEAD_MAX	768
#define HEAD_ROOM	(LWS_PRE + HEAD_MAX)
#define ARG_MAX		256
/* Cacheable questions on their way, looked at one by one */
#define INFLIGHT_MAX	64
#define PATH_MAX_LEN	512
#define VP_ROUTES_LIMIT	10000	/* routes of a VP per answer, by default */
#define VP_ROUTES_MAX	1000000
#define UI_CSP		"default-src 'self'; connect-src 'self' ws: wss:; " \
			"img-src 'self' data:; style-src 'self' 'unsafe-inline'; " \
			"object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

enum { C_2XX, C_4XX, C_5XX, C_CLASSES };

/* docs/openapi.json, embedded at build time (cmake/embed.cmake) */
extern const unsigned char openapi_json[];
extern const size_t openapi_json_len;

/* The API runs on a thread of its own with its own libuv loop: it reads
 * requests and writes answers, so that the kernel's and the HTTP
 * library's share of every request is not taken from ingest. What a
 * request asks of the daemon (the RIB, the sources, the configuration)
 * is answered on the daemon's loop, which owns all of it: a request goes
 * there as a job, between two source polls, and comes back with its
 * answer. Nothing else crosses between the two threads. */
struct api {
	struct daemon		*d;
	struct lws_context	*ctx;
	uv_loop_t		 loop;		/* the API thread's */
	uv_thread_t		 thread;
	bool			 thread_started;
	uv_async_t		 jobs_async;	/* on the daemon's loop */
	uv_async_t		 done_async;	/* on the API's loop */
	uv_async_t		 stop_async;	/* on the API's loop */
	uv_mutex_t		 mu;		/* the two queues, the flags */
	struct req		*jobs;		/* to answer, in order */
	struct req		**jobs_tail;
	struct req		*done;		/* answered, in order */
	struct req		**done_tail;
	bool			 daemon_closed;	/* jobs_async closed */
	bool			 api_closed;	/* done_async closed */
	_Atomic uint64_t	 responses[C_CLASSES];
	/* requests sent to the daemon's loop, answered there, back on the
	 * API thread, and answers dropped (the connection went first) */
	_Atomic uint64_t	 submitted;
	_Atomic uint64_t	 jobs_run;
	_Atomic uint64_t	 delivered;
	_Atomic uint64_t	 dropped;
	bool			 stopping;
	struct lgcache		*cache;		/* API thread only */
	struct stream_hub	*hub;		/* /v1/ws */
	struct req		*inflight;	/* API thread only */
	unsigned		 ninflight;
	char			*ui_dir;	/* api.ui_dir, or NULL */
};

/* Query arguments as read on the API thread. */
struct args {
	unsigned	 n;
	char		 key[16][32];
	char		 val[16][ARG_MAX];
};

/* One request and its answer: made on the API thread when the request
 * has come, answered on the daemon's loop, written on the API thread.
 * The body starts with HEAD_ROOM bytes of room for the headers. */
struct req {
	struct req	*next;
	struct api	*a;
	struct lws	*wsi;		/* NULL: the connection went */
	/* the request */
	char		 path[PATH_MAX_LEN];
	bool		 post;
	bool		 other_method;	/* neither GET nor POST */
	char		 auth[512];
	int		 auth_len;	/* <= 0: none (or too long) */
	struct args	 args;
	char		 args_err[96];	/* why they could not be read */
	/* the answer */
	unsigned	 status;
	const char	*ctype;
	const char	*cache_control;	/* NULL: no-store */
	struct strbuf	 body;
	size_t		 off;		/* in body.s, the next byte to write */
	bool		 ready;
	/* a looking-glass answer to print on the API thread (the body is
	 * then empty), with the time its ages count from */
	bool		 has_lg;
	struct rib_lg	*lg;		/* NULL: no memory for it */
	uint32_t	 lg_now;
	/* a looking-glass request the cache may keep the answer of: its
	 * key, and the RIB's watch of its prefix (when watched) */
	struct strbuf	 ckey;
	bool		 cacheable;
	bool		 watched;
	struct rib_watch watch;
	/* API thread only: the same question asked meanwhile on other
	 * connections, answered with this one's answer (not sent to the
	 * daemon's loop), and the cacheable requests there now */
	struct req	*waiters;
	struct req	*inflight_next;
	/* API thread only: back from the daemon's loop */
	bool		 back;
};

/* Per connection: the request in flight (queued, or being written), and
 * a POST's path until its body has come. */
struct pss {
	struct req	*q;
	struct stream_client *ws;	/* a /v1/ws connection's */
	char		 path[PATH_MAX_LEN];
};

/* --- answers ---------------------------------------------------------------- */

static void
body_begin(struct req *q)
{
	static const char pad[HEAD_ROOM];

	sb_free(&q->body);
	sb_init(&q->body);
	q->off = HEAD_ROOM;
	sb_putn(&q->body, pad, HEAD_ROOM);
}

/* The answer is complete (it is written on the API thread). */
static int
send_answer(struct req *q)
{
	q->ready = true;
	return 0;
}

/* Is the answer whole (not cut short by a lack of memory)? */
static bool
answer_whole(const struct req *q)
{
	return q->ready && !q->body.oom && q->body.len >= HEAD_ROOM;
}

/* Now, in Unix seconds: routes' ages count from it. */
static uint32_t
now_s(void)
{
	return (uint32_t)(daemon_now_us() / 1000000u);
}

/* On the API thread: the answer's headers, put right before the body
 * (HTTP/1.1 only: the library then writes them as they are). */
static int
write_headers(struct req *q)
{
	uint8_t hdr[LWS_PRE + HEAD_MAX], *start = hdr + LWS_PRE, *h = start;
	uint8_t *end = hdr + sizeof(hdr) - 1;
	const char *cc;
	size_t len, hlen;

	/* an answer cut short by a lack of memory is no answer: the
	 * connection closes (and is counted as a 5xx) */
	if (!answer_whole(q)) {
		q->a->responses[C_5XX]++;
		log_error("api: out of memory for an answer; closing the "
		    "connection");
		return -1;
	}
	len = q->body.len - HEAD_ROOM;
	q->a->responses[q->status >= 500 ? C_5XX : q->status >= 400 ? C_4XX :
	    C_2XX]++;
	cc = q->cache_control != NULL ? q->cache_control : "no-store";
	if (lws_add_http_common_headers(q->wsi, q->status, q->ctype, len, &h,
	    end) ||
	    lws_add_http_header_by_name(q->wsi, (const uint8_t *)
	    "cache-control:", (const uint8_t *)cc, (int)strlen(cc), &h, end) ||
	    lws_add_http_header_by_name(q->wsi, (const uint8_t *)
	    "x-content-type-options:", (const uint8_t *)"nosniff", 7, &h,
	    end))
		return 1;
	/* the UI's pages: their own scripts and the API, nothing else */
	if (q->cache_control != NULL && strncmp(q->ctype, "text/html", 9) ==
	    0 && lws_add_http_header_by_name(q->wsi, (const uint8_t *)
	    "content-security-policy:", (const uint8_t *)UI_CSP,
	    (int)strlen(UI_CSP), &h, end))
		return 1;
	if (q->status == 401 && lws_add_http_header_by_name(q->wsi,
	    (const uint8_t *)"www-authenticate:", (const uint8_t *)
	    "Bearer realm=\"bgpsentry\"", 24, &h, end))
		return 1;
	if (lws_finalize_http_header(q->wsi, &h, end))
		return 1;
	hlen = (size_t)(h - start);
	q->off = HEAD_ROOM - hlen;
	memcpy(q->body.s + q->off, start, hlen);
	return 0;
}

static int __attribute__((format(printf, 3, 4)))
error_answer(struct req *q, unsigned status, const char *fmt, ...)
{
	char msg[512];
	struct jw j;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	body_begin(q);
	jw_init(&j, &q->body);
	jw_obj_begin(&j);
	jw_kstr(&j, "error", msg);
	jw_ku64(&j, "status", status);
	jw_obj_end(&j);
	sb_putc(&q->body, '\n');
	q->status = status;
	q->ctype = "application/json";
	return send_answer(q);
}

/* --- request parts ---------------------------------------------------------- */

/* On the API thread: the query arguments into q->args, or why they
 * cannot be (too long, too many) into q->args_err. */
static void
copy_args(struct lws *wsi, struct req *q)
{
	char frag[ARG_MAX + 40];
	struct args *a = &q->args;

	a->n = 0;
	for (int i = 0;; i++) {
		int fl = lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS,
		    i);
		char *eq;

		if (fl <= 0)
			break;
		if ((size_t)fl >= sizeof(frag) || a->n == 16) {
			snprintf(q->args_err, sizeof(q->args_err), "query "
			    "arguments too long or too many");
			return;
		}
		if (lws_hdr_copy_fragment(wsi, frag, sizeof(frag),
		    WSI_TOKEN_HTTP_URI_ARGS, i) < 0)
			break;
		eq = strchr(frag, '=');
		if (eq != NULL)
			*eq++ = '\0';
		if (strlen(frag) >= sizeof(a->key[0]) ||
		    (eq != NULL && strlen(eq) >= sizeof(a->val[0]))) {
			snprintf(q->args_err, sizeof(q->args_err), "query "
			    "argument '%.40s' too long", frag);
			return;
		}
		strcpy(a->key[a->n], frag);
		strcpy(a->val[a->n], eq != NULL ? eq : "");
		a->n++;
	}
}

/* Could the query arguments be read (into q->args)? If not, false
 * and a 400 sent. */
static bool
args_read(struct req *q, int *rc)
{
	if (q->args_err[0] != '\0') {
		*rc = error_answer(q, 400, "%s", q->args_err);
		return false;
	}
	return true;
}

/* Every argument must be one the route knows. */
static bool
args_known(struct req *q, const struct args *a, const char *const *known,
    int *rc)
{
	for (unsigned i = 0; i < a->n; i++) {
		const char *const *k;

		for (k = known; *k != NULL; k++)
			if (strcmp(*k, a->key[i]) == 0)
				break;
		if (*k == NULL) {
			*rc = error_answer(q, 400, "unknown parameter '%s'",
			    a->key[i]);
			return false;
		}
	}
	return true;
}

/* A flag argument: absent, 0/false or 1/true; anything else is a 400. */
static bool
arg_flag(struct req *q, const struct args *a, const char *key, bool *out,
    int *rc)
{
	*out = false;
	for (unsigned i = 0; i < a->n; i++) {
		if (strcmp(a->key[i], key) != 0)
			continue;
		if (strcmp(a->val[i], "1") == 0 ||
		    strcmp(a->val[i], "true") == 0 || a->val[i][0] == '\0')
			*out = true;
		else if (strcmp(a->val[i], "0") == 0 ||
		    strcmp(a->val[i], "false") == 0)
			*out = false;
		else {
			*rc = error_answer(q, 400, "parameter '%s': expected 0 "
			    "or 1, got '%.64s'", key, a->val[i]);
			return false;
		}
	}
	return true;
}

/* format=json (the default) or format=text (what the CLI prints). */
static bool
arg_text(struct req *q, const struct args *a, bool *text, int *rc)
{
	*text = false;
	for (unsigned i = 0; i < a->n; i++) {
		if (strcmp(a->key[i], "format") != 0)
			continue;
		if (strcmp(a->val[i], "text") == 0)
			*text = true;
		else if (strcmp(a->val[i], "json") != 0) {
			*rc = error_answer(q, 400, "parameter 'format': expected "
			    "json or text, got '%.64s'", a->val[i]);
			return false;
		}
	}
	if (*text)
		q->ctype = "text/plain; charset=utf-8";
	return true;
}

/* The arguments of a route whose only one is format=. */
static bool
read_format(struct req *q, bool *text, int *rc)
{
	static const char *const known[] = { "format", NULL };

	return args_read(q, rc) && args_known(q, &q->args, known, rc) &&
	    arg_text(q, &q->args, text, rc);
}

enum role { R_NONE, R_READ, R_ADMIN };

/* The role of an Authorization header's bearer token (auth_len <= 0:
 * none, or too long to read); with no token configured (a loopback-only
 * API), everyone is admin. */
static enum role
token_role(const struct api *a, const char *auth, int auth_len,
    bool *presented)
{
	const struct config *c = &a->d->cfg;
	const char *tok;
	size_t tl;

	*presented = false;
	if (c->api.ntokens == 0)
		return R_ADMIN;
	if (auth_len <= 0)
		return R_NONE;
	*presented = true;
	if (strncasecmp(auth, "Bearer ", 7) != 0)
		return R_NONE;
	tok = auth + 7;
	tl = strlen(tok);
	for (size_t i = 0; i < c->api.ntokens; i++) {
		const char *s = c->api.tokens[i].secret;

		if (strlen(s) == tl && sodium_memcmp(s, tok, tl) == 0)
			return c->api.tokens[i].role == CFG_ROLE_ADMIN ?
			    R_ADMIN : R_READ;
	}
	return R_NONE;
}

static enum role
request_role(struct req *q, bool *presented)
{
	return token_role(q->a, q->auth, q->auth_len, presented);
}

/* --- routes ----------------------------------------------------------------- */

/* The configured source of that name, as its name kept by the daemon
 * (a view points at it), or NULL. */
static const char *
source_named(const struct daemon *d, const char *name)
{
	const struct dsource *s = dsource_find(d, name);

	return s != NULL ? s->cfg.name : NULL;
}

/* The arguments of a route that takes a match (more_specifics=,
 * less_specifics=) and a format: read, checked against known, and the
 * two flags against each other. False with the answer sent. */
static bool
read_match(struct req *q, const char *const *known, enum rib_match *match,
    bool *as_text, int *rc)
{
	const struct args *a = &q->args;
	bool more, less;

	if (!args_read(q, rc) || !args_known(q, a, known, rc) ||
	    !arg_flag(q, a, "more_specifics", &more, rc) ||
	    !arg_flag(q, a, "less_specifics", &less, rc) ||
	    !arg_text(q, a, as_text, rc))
		return false;
	if (more && less) {
		*rc = error_answer(q, 400, "more_specifics and less_specifics "
		    "exclude each other");
		return false;
	}
	*match = more ? RIB_MATCH_MORE : less ? RIB_MATCH_LESS :
	    RIB_MATCH_EXACT;
	return true;
}

/* compare?prefix=P&a=X&b=Y: X and Y each a source's name or a tag. */
static int
route_compare(struct req *q)
{
	static const char *const known[] = { "prefix", "a", "b",
	    "more_specifics", "less_specifics", "format", NULL };
	struct rib_view v[2];
	const char *name[2] = { NULL, NULL }, *prefix = NULL;
	enum rib_match match;
	struct trie_key k;
	bool as_text;
	const struct args *a = &q->args;
	int rc = 0;

	if (!read_match(q, known, &match, &as_text, &rc))
		return rc;
	memset(v, 0, sizeof(v));
	for (unsigned i = 0; i < a->n; i++) {
		int side = strcmp(a->key[i], "a") == 0 ? 0 :
		    strcmp(a->key[i], "b") == 0 ? 1 : -1;

		if (strcmp(a->key[i], "prefix") == 0)
			prefix = a->val[i];
		if (side < 0)
			continue;
		name[side] = a->val[i];
		if ((v[side].tags = rib_tag_named(a->val[i])) == 0 &&
		    (v[side].source = source_named(q->a->d, a->val[i])) == NULL)
			return error_answer(q, 400, "parameter '%s': '%.64s' is "
			    "neither a source nor a tag (own-router, upstream, "
			    "collector, route-server)", a->key[i], a->val[i]);
	}
	if (prefix == NULL || name[0] == NULL || name[1] == NULL)
		return error_answer(q, 400, "parameters prefix, a and b are "
		    "required");
	if (!trie_key_parse(prefix, &k))
		return error_answer(q, 400, "parameter 'prefix': '%.64s' is not "
		    "a prefix (expected ADDRESS/LENGTH)", prefix);
	body_begin(q);
	rib_query_compare(q->a->d->rib, &k, match, &v[0], name[0], &v[1],
	    name[1], !as_text, &q->body);
	return send_answer(q);
}

static int
route_prefix(struct req *q, const char *text)
{
	static const char *const known[] = { "more_specifics",
	    "less_specifics", "format", "source", "tag", NULL };
	struct rib_view view = { .per_source = true };
	enum rib_match match;
	const struct args *a = &q->args;
	struct trie_key k;
	bool as_text;
	int rc = 0;

	if (!read_match(q, known, &match, &as_text, &rc))
		return rc;
	for (unsigned i = 0; i < a->n; i++) {
		if (strcmp(a->key[i], "source") == 0) {
			if ((view.source = source_named(q->a->d,
			    a->val[i])) == NULL)
				return error_answer(q, 400, "parameter 'source': "
				    "no source named '%.64s'", a->val[i]);
		} else if (strcmp(a->key[i], "tag") == 0) {
			uint16_t t = rib_tag_named(a->val[i]);

			if (t == 0)
				return error_answer(q, 400, "parameter 'tag': "
				    "expected own-router, upstream, collector "
				    "or route-server, got '%.64s'", a->val[i]);
			view.tags |= t;
		}
	}
	if (!trie_key_parse(text, &k))
		return error_answer(q, 400, "prefix: '%.64s' is not a prefix "
		    "(expected ADDRESS/LENGTH)", text);
	/* the routes are copied here; printing them, the larger part, is
	 * the API thread's */
	body_begin(q);
	q->lg = rib_lg_collect(q->a->d->rib, &k, match, !as_text, &view);
	q->has_lg = true;
	q->status = rib_lg_status(q->lg);
	q->lg_now = now_s();
	/* the answer for one prefix that has routes may be kept, while
	 * they stay as they are */
	if (q->cacheable && q->status == 200 && match == RIB_MATCH_EXACT)
		q->watched = rib_watch(q->a->d->rib, &k, &q->watch);
	return send_answer(q);
}

/* An AS number, "AS" before it or not. */
static bool
asn_parse(const char *text, size_t len, uint32_t *out)
{
	unsigned long long v = 0;
	size_t i = 0;

	if (len >= 2 && strncasecmp(text, "AS", 2) == 0)
		i = 2;
	if (i == len || len - i > 10)
		return false;
	for (; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		v = v * 10 + (unsigned long long)(text[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

#define RPKI_PATH_MAX	512	/* ASes of a path to validate */

/* "3356 1299 64500", commas or pluses between them too; an AS_SET in
 * braces ("{64500,64501}") makes the path one with a set. */
static bool
path_parse(const char *text, uint32_t *as, size_t *n, bool *has_set)
{
	const char *p = text;
	bool in_set = false;

	*n = 0;
	*has_set = false;
	while (*p != '\0') {
		size_t len;

		if (*p == ' ' || *p == ',' || *p == '+') {
			p++;
			continue;
		}
		if (*p == '{' || *p == '}') {
			if ((*p == '{') == in_set)
				return false;
			in_set = *p == '{';
			*has_set = true;
			p++;
			continue;
		}
		len = strcspn(p, " ,+{}");
		if (*n == RPKI_PATH_MAX || !asn_parse(p, len, &as[*n]))
			return false;
		(*n)++;
		p += len;
	}
	return !in_set;
}

/* rpki/validate?prefix=P[&asn=N][&path=A B C][&direction=D]: the ROV
 * (and with a path, ASPA) state with its reasons, from the tables now. */
static int
route_rpki_validate(struct req *q)
{
	static const char *const known[] = { "prefix", "asn", "path",
	    "direction", "format", NULL };
	const struct args *a = &q->args;
	uint32_t path[RPKI_PATH_MAX], asn;
	const char *prefix = NULL;
	struct rpki_query rq;
	bool text;
	int rc = 0;

	if (!args_read(q, &rc) || !args_known(q, a, known, &rc) ||
	    !arg_text(q, a, &text, &rc))
		return rc;
	memset(&rq, 0, sizeof(rq));
	rq.origin = ROV_NO_ORIGIN;
	rq.dir = q->a->d->cfg.rpki.dir;
	for (unsigned i = 0; i < a->n; i++) {
		const char *v = a->val[i];

		if (strcmp(a->key[i], "prefix") == 0)
			prefix = v;
		else if (strcmp(a->key[i], "asn") == 0) {
			if (!asn_parse(v, strlen(v), &asn))
				return error_answer(q, 400, "parameter 'asn': "
				    "'%.64s' is not an AS number (0 to "
				    "4294967295)", v);
			rq.origin = asn;
		} else if (strcmp(a->key[i], "path") == 0) {
			if (!path_parse(v, path, &rq.npath, &rq.has_set))
				return error_answer(q, 400, "parameter 'path': "
				    "expected AS numbers from the neighbor to "
				    "the origin (\"3356 1299 64500\", an AS_SET "
				    "in braces), at most %d, got '%.64s'",
				    RPKI_PATH_MAX, v);
			rq.path = path;
			rq.has_path = true;
		} else if (strcmp(a->key[i], "direction") == 0) {
			if (strcmp(v, "upstream") == 0)
				rq.dir = ASPA_UPSTREAM;
			else if (strcmp(v, "downstream") == 0)
				rq.dir = ASPA_DOWNSTREAM;
			else
				return error_answer(q, 400, "parameter "
				    "'direction': expected upstream or "
				    "downstream, got '%.64s'", v);
		}
	}
	if (prefix == NULL)
		return error_answer(q, 400, "parameter prefix is required");
	if (!trie_key_parse(prefix, &rq.k))
		return error_answer(q, 400, "parameter 'prefix': '%.64s' is not "
		    "a prefix (expected ADDRESS/LENGTH)", prefix);
	if (rq.origin == ROV_NO_ORIGIN && (!rq.has_path || rq.npath == 0))
		return error_answer(q, 400, "parameter asn is required (or a "
		    "path, whose last AS is the origin)");
	body_begin(q);
	rpki_explain(q->a->d->rpki, &rq, !text, &q->body);
	return send_answer(q);
}

static int
route_asn(struct req *q, const char *text)
{
	uint32_t v;
	bool as_text;
	int rc = 0;

	if (!read_format(q, &as_text, &rc))
		return rc;
	if (!asn_parse(text, strlen(text), &v))
		return error_answer(q, 400, "asn: '%.64s' is not an AS number "
		    "(0 to 4294967295)", text);
	body_begin(q);
	rib_query_asn(q->a->d->rib, v, !as_text, &q->body);
	return send_answer(q);
}

static int
route_vps(struct req *q)
{
	bool text;
	int rc = 0;

	if (!read_format(q, &text, &rc))
		return rc;
	body_begin(q);
	rib_query_vps(q->a->d->rib, !text, &q->body);
	return send_answer(q);
}

/* The value of argument key, or NULL. */
static const char *
arg_val(const struct args *a, const char *key)
{
	for (unsigned i = 0; i < a->n; i++)
		if (strcmp(a->key[i], key) == 0)
			return a->val[i];
	return NULL;
}

/* A number argument within [lo, hi], or def when absent; false (the
 * error answered) when wrong. */
static bool
arg_uint(struct req *q, const char *key, unsigned long long lo,
    unsigned long long hi, unsigned long long def, unsigned long long *out,
    int *rc)
{
	const char *v = arg_val(&q->args, key);
	char *end;

	*out = def;
	if (v == NULL)
		return true;
	errno = 0;
	*out = strtoull(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 ||
	    *out < lo || *out > hi) {
		*rc = error_answer(q, 400, "parameter '%s': expected %llu to "
		    "%llu, got '%.64s'", key, lo, hi, v);
		return false;
	}
	return true;
}

/* GET /api/v1/rpki/changes?after=SEQ&limit=N: the routes' recent RPKI
 * state changes, oldest first. */
static int
route_rpki_changes(struct req *q)
{
	static const char *const known[] = { "after", "limit", "format",
	    NULL };
	unsigned long long after, limit;
	bool text;
	int rc = 0;

	if (!args_read(q, &rc) || !args_known(q, &q->args, known, &rc) ||
	    !arg_text(q, &q->args, &text, &rc) ||
	    !arg_uint(q, "after", 0, UINT64_MAX, 0, &after, &rc) ||
	    !arg_uint(q, "limit", 1, RCHANGES, RCHANGES_LIMIT, &limit, &rc))
		return rc;
	body_begin(q);
	if (text)
		rchanges_text(q->a->d->rchanges, q->a->d->rib, after,
		    (unsigned)limit, &q->body);
	else
		rchanges_json(q->a->d->rchanges, q->a->d->rib, after,
		    (unsigned)limit, &q->body);
	return send_answer(q);
}

/* GET /api/v1/vps/{id}/routes?after=PREFIX&limit=N: one VP's table. */
static int
route_vp_routes(struct req *q, const char *rest)
{
	static const char *const known[] = { "after", "limit", NULL };
	struct rib *r = q->a->d->rib;
	unsigned long long id, limit;
	struct trie_key after;
	const char *v;
	char *end;
	int rc = 0;

	if (!args_read(q, &rc) || !args_known(q, &q->args, known, &rc))
		return rc;
	errno = 0;
	id = strtoull(rest, &end, 10);
	if (rest[0] < '0' || rest[0] > '9' || errno != 0 ||
	    strcmp(end, "/routes") != 0)
		return error_answer(q, 404, "no such path (expected "
		    "/api/v1/vps/ID/routes)");
	if (id >= r->nvps)
		return error_answer(q, 404, "no VP %llu", id);
	if (!arg_uint(q, "limit", 1, VP_ROUTES_MAX, VP_ROUTES_LIMIT, &limit,
	    &rc))
		return rc;
	if ((v = arg_val(&q->args, "after")) != NULL &&
	    !trie_key_parse(v, &after))
		return error_answer(q, 400, "parameter 'after': '%.64s' is "
		    "not a prefix", v);
	body_begin(q);
	rib_query_vp_routes(r, (uint32_t)id, v != NULL ? &after : NULL,
	    (uint32_t)limit, (uint32_t)(daemon_now_us() / 1000000u),
	    &q->body);
	return send_answer(q);
}

/* A listing of every running source of one kind, as text or JSON. */
static int
route_per_source(struct req *q, enum cfg_source_kind kind,
    void (*head)(struct strbuf *),
    void (*text_fn)(struct feed_source *, struct strbuf *, uint64_t),
    void (*json_fn)(struct feed_source *, struct jw *, uint64_t))
{
	struct daemon *d = q->a->d;
	uint64_t now = daemon_now_us();
	bool text;
	struct jw j;
	int rc = 0;

	if (!read_format(q, &text, &rc))
		return rc;
	body_begin(q);
	if (text && head != NULL)
		head(&q->body);
	if (!text) {
		jw_init(&j, &q->body);
		jw_arr_begin(&j);
	}
	for (struct dsource *s = d->sources; s != NULL; s = s->next) {
		if (s->cfg.kind != kind || s->src == NULL)
			continue;
		if (text)
			text_fn(s->src, &q->body, now);
		else
			json_fn(s->src, &j, now);
	}
	if (!text) {
		jw_arr_end(&j);
		sb_putc(&q->body, '\n');
	}
	return send_answer(q);
}

/* POST /api/v1/peers/refresh?peer=ADDR[&source=NAME] */
static int
route_peer_refresh(struct req *q)
{
	static const char *const known[] = { "peer", "source", NULL };
	const char *peer, *src;
	char err[160];
	int rc = 0, found = 0;

	if (!args_read(q, &rc) || !args_known(q, &q->args, known, &rc))
		return rc;
	if ((peer = arg_val(&q->args, "peer")) == NULL)
		return error_answer(q, 400, "parameter 'peer' is required");
	src = arg_val(&q->args, "source");
	for (struct dsource *s = q->a->d->sources; s != NULL; s = s->next) {
		if (s->cfg.kind != CFG_SRC_BGP || s->src == NULL ||
		    (src != NULL && strcmp(src, s->cfg.name) != 0) ||
		    !feed_bgp_has_peer(s->src, peer))
			continue;
		found++;
		if (!feed_bgp_refresh(s->src, peer, err, sizeof(err)))
			return error_answer(q, 409, "%s", err);
	}
	if (found == 0)
		return error_answer(q, 404, "no BGP peer %.64s", peer);
	body_begin(q);
	sb_printf(&q->body, "{\"refreshed\":%d}\n", found);
	return send_answer(q);
}

/* The RIB's size and memory per subsystem. */
static int
route_stats(struct req *q)
{
	struct rib *r = q->a->d->rib;
	struct rib_mem m;
	uint32_t up = 0;
	bool text;
	int rc = 0;

	if (!read_format(q, &text, &rc))
		return rc;
	for (uint32_t i = 0; i < r->nvps; i++)
		up += r->vps[i].state == RIB_VP_UP;
	rib_mem(r, &m);
	body_begin(q);
	if (text) {
		sb_printf(&q->body, "%llu routes, %llu IPv4 and %llu IPv6 "
		    "prefixes, from %u VPs (%u up), up %llu s\n",
		    (unsigned long long)r->routes,
		    (unsigned long long)m.prefixes[0],
		    (unsigned long long)m.prefixes[1], r->nvps, up,
		    (unsigned long long)((daemon_now_us() -
		    q->a->d->started_us) / 1000000u));
		rib_query_mem(r, false, &q->body);
	} else {
		sb_printf(&q->body, "{\"uptime_s\":%llu,\"routes\":%llu,"
		    "\"prefixes\":{\"ipv4\":%llu,\"ipv6\":%llu},"
		    "\"vps\":%u,\"vps_up\":%u,\"memory\":",
		    (unsigned long long)((daemon_now_us() -
		    q->a->d->started_us) / 1000000u),
		    (unsigned long long)r->routes,
		    (unsigned long long)m.prefixes[0],
		    (unsigned long long)m.prefixes[1], r->nvps, up);
		rib_query_mem(r, true, &q->body);
		/* the memory object ends its line: close after it */
		if (q->body.len > HEAD_ROOM &&
		    q->body.s[q->body.len - 1] == '\n')
			q->body.s[--q->body.len] = '\0';
		sb_puts(&q->body, "}\n");
	}
	return send_answer(q);
}

/* A source's VPs, those up, and their routes. */
static void
source_vps(const struct rib *r, const struct dsource *s, uint64_t *vps,
    uint64_t *up, uint64_t *routes)
{
	*vps = *up = *routes = 0;
	if (s->rib_id == UINT32_MAX)
		return;
	for (uint32_t i = 0; i < r->nvps; i++) {
		if (r->vps[i].source != s->rib_id)
			continue;
		(*vps)++;
		*up += r->vps[i].state == RIB_VP_UP;
		*routes += r->vps[i].routes[0] + r->vps[i].routes[1];
	}
}

/* Sources as configured, with their state and counters. */
static void
sources_json(struct daemon *d, struct strbuf *out)
{
	struct rib *r = d->rib;
	struct jw j;

	jw_init(&j, out);
	jw_arr_begin(&j);
	for (struct dsource *s = d->sources; s != NULL; s = s->next) {
		const struct rib_source *rs = rib_source(r, s->rib_id);
		uint64_t vps, up, routes;

		source_vps(r, s, &vps, &up, &routes);
		jw_obj_begin(&j);
		jw_kstr(&j, "name", s->cfg.name);
		jw_kstr(&j, "kind", cfg_source_kind_name(s->cfg.kind));
		jw_kbool(&j, "enabled", s->cfg.enabled);
		jw_kstr(&j, "state", dsource_state(s));
		jw_ku64(&j, "since_us", rs != NULL ? rs->since_us : 0);
		jw_ku64(&j, "started_us", s->started_us);
		jw_kstr(&j, "last_error", dsource_error(s));
		jw_ku64(&j, "failures", s->failures);
		jw_ku64(&j, "retry_at_us", s->src == NULL ? s->retry_at_us : 0);
		jw_ku64(&j, "events", s->src != NULL ?
		    s->src->counters.events : 0);
		jw_ku64(&j, "announcements", s->src != NULL ?
		    s->src->counters.announcements : 0);
		jw_ku64(&j, "withdrawals", s->src != NULL ?
		    s->src->counters.withdrawals : 0);
		jw_ku64(&j, "malformed", s->src != NULL ?
		    s->src->counters.malformed : 0);
		jw_ku64(&j, "vps", vps);
		jw_ku64(&j, "vps_up", up);
		jw_ku64(&j, "routes", routes);
		jw_ku64(&j, "events_per_s", s->health.rate_1s);
		jw_ku64(&j, "events_per_s_1m",
		    (uint64_t)(s->health.rate_1m + 0.5));
		jw_ku64(&j, "gaps_total", s->health.ngaps);
		jw_key(&j, "gaps");
		jw_arr_begin(&j);
		for (unsigned g = 0; feed_health_gap(&s->health, g) != NULL;
		    g++) {
			const struct feed_gap *gp = feed_health_gap(&s->health,
			    g);

			jw_obj_begin(&j);
			jw_ku64(&j, "start_us", gp->start_us);
			jw_ku64(&j, "end_us", gp->end_us);
			jw_kstr(&j, "cause", gp->cause);
			jw_obj_end(&j);
		}
		jw_arr_end(&j);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	sb_putc(out, '\n');
}

static void
sources_text(struct daemon *d, struct strbuf *out)
{
	uint64_t now = daemon_now_us();

	if (d->sources == NULL)
		sb_puts(out, "no source is configured\n");
	for (struct dsource *s = d->sources; s != NULL; s = s->next) {
		const struct rib_source *rs = rib_source(d->rib, s->rib_id);
		uint64_t vps, up, routes, since;
		const char *err = dsource_error(s);

		source_vps(d->rib, s, &vps, &up, &routes);
		since = rs != NULL && rs->since_us != 0 && now > rs->since_us ?
		    (now - rs->since_us) / 1000000u : 0;
		sb_printf(out, "%-20s %-5s %-9s for %llus  VPs %llu/%llu up  "
		    "routes %llu  events %llu  malformed %llu%s%s%s\n",
		    s->cfg.name, cfg_source_kind_name(s->cfg.kind),
		    dsource_state(s), (unsigned long long)since,
		    (unsigned long long)up, (unsigned long long)vps,
		    (unsigned long long)routes,
		    (unsigned long long)(s->src ? s->src->counters.events : 0),
		    (unsigned long long)(s->src ? s->src->counters.malformed :
		    0), err[0] != '\0' ? "\n    last error: " : "", err,
		    s->failures > 0 ? " (retrying)" : "");
	}
}

static void
metric(struct strbuf *b, const char *name, const char *type,
    const char *help)
{
	sb_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static uint64_t
m_events(const struct dsource *s)
{
	return s->src != NULL ? s->src->counters.events : 0;
}

static uint64_t
m_malformed(const struct dsource *s)
{
	return s->src != NULL ? s->src->counters.malformed : 0;
}

static uint64_t
m_rate(const struct dsource *s)
{
	return s->health.rate_1s;
}

static uint64_t
m_gaps(const struct dsource *s)
{
	return s->health.ngaps;
}

static uint64_t
m_failures(const struct dsource *s)
{
	return s->failures;
}

/* The metrics with one value per source. */
static const struct {
	const char	*name;
	const char	*type;
	const char	*help;
	uint64_t	(*get)(const struct dsource *s);
} per_source[] = {
	{ "bgpsentry_source_events_total", "counter",
	    "Route events from the source since it (re)started.", m_events },
	{ "bgpsentry_source_malformed_total", "counter",
	    "Input the source skipped as malformed (counted and logged).",
	    m_malformed },
	{ "bgpsentry_source_events_per_second", "gauge",
	    "Route events in the last second.", m_rate },
	{ "bgpsentry_source_gaps_total", "counter",
	    "Times the source stopped delivering after it had been.", m_gaps },
	{ "bgpsentry_source_failures", "gauge",
	    "Failed starts in a row (0 once running).", m_failures },
};

static void
metrics_text(struct api *a, struct strbuf *b)
{
	struct daemon *d = a->d;
	struct rib *r = d->rib;
	uint64_t vps[3] = { 0, 0, 0 };
	struct rib_mem m;

	metric(b, "bgpsentry_uptime_seconds", "gauge", "Seconds since start.");
	sb_printf(b, "bgpsentry_uptime_seconds %llu\n", (unsigned long long)
	    ((daemon_now_us() - d->started_us) / 1000000u));
	metric(b, "bgpsentry_source_up", "gauge",
	    "1 when the source is up (or done replaying), by state.");
	for (struct dsource *s = d->sources; s != NULL; s = s->next) {
		const char *st = dsource_state(s);

		sb_printf(b, "bgpsentry_source_up{source=\"%s\",kind=\"%s\","
		    "state=\"%s\"} %d\n", s->cfg.name,
		    cfg_source_kind_name(s->cfg.kind), st,
		    strcmp(st, "up") == 0 || strcmp(st, "done") == 0);
	}
	for (size_t k = 0; k < sizeof(per_source) / sizeof(per_source[0]);
	    k++) {
		metric(b, per_source[k].name, per_source[k].type,
		    per_source[k].help);
		for (struct dsource *s = d->sources; s != NULL; s = s->next)
			sb_printf(b, "%s{source=\"%s\"} %llu\n",
			    per_source[k].name, s->cfg.name,
			    (unsigned long long)per_source[k].get(s));
	}
	for (uint32_t i = 0; i < r->nvps; i++)
		if (r->vps[i].state < 3)
			vps[r->vps[i].state]++;
	metric(b, "bgpsentry_vps", "gauge", "Vantage points by state.");
	sb_printf(b, "bgpsentry_vps{state=\"up\"} %llu\n"
	    "bgpsentry_vps{state=\"down\"} %llu\n"
	    "bgpsentry_vps{state=\"stale\"} %llu\n",
	    (unsigned long long)vps[RIB_VP_UP],
	    (unsigned long long)vps[RIB_VP_DOWN],
	    (unsigned long long)vps[RIB_VP_STALE]);
	rib_mem(r, &m);
	metric(b, "bgpsentry_rib_routes", "gauge", "Routes held, all VPs.");
	sb_printf(b, "bgpsentry_rib_routes %llu\n",
	    (unsigned long long)m.routes);
	metric(b, "bgpsentry_rib_prefixes", "gauge", "Prefixes held.");
	sb_printf(b, "bgpsentry_rib_prefixes{afi=\"ipv4\"} %llu\n"
	    "bgpsentry_rib_prefixes{afi=\"ipv6\"} %llu\n",
	    (unsigned long long)m.prefixes[0],
	    (unsigned long long)m.prefixes[1]);
	metric(b, "bgpsentry_rib_bytes", "gauge",
	    "Memory of the RIB by subsystem.");
	sb_printf(b, "bgpsentry_rib_bytes{subsystem=\"prefixes\"} %zu\n"
	    "bgpsentry_rib_bytes{subsystem=\"routes\"} %zu\n"
	    "bgpsentry_rib_bytes{subsystem=\"attribute_sets\"} %zu\n"
	    "bgpsentry_rib_bytes{subsystem=\"as_paths\"} %zu\n"
	    "bgpsentry_rib_bytes{subsystem=\"community_lists\"} %zu\n"
	    "bgpsentry_rib_bytes{subsystem=\"other_attributes\"} %zu\n"
	    "bgpsentry_rib_bytes{subsystem=\"indexes_and_vps\"} %zu\n",
	    m.prefix_bytes, m.route_bytes, m.attr.sets_bytes,
	    m.attr.paths_bytes, m.attr.comms_bytes, m.attr.other_bytes,
	    m.index_bytes + m.vp_bytes);
	metric(b, "bgpsentry_bgp_peer_up", "gauge",
	    "1 when the BGP session with the peer is established.");
	metric(b, "bgpsentry_bgp_peer_prefixes", "gauge",
	    "Routes the BGP peer holds now, by family.");
	metric(b, "bgpsentry_bgp_peer_established_total", "counter",
	    "Times the BGP session with the peer was established.");
	metric(b, "bgpsentry_bgp_peer_malformed_total", "counter",
	    "Malformed messages from the BGP peer.");
	for (struct dsource *s = d->sources; s != NULL; s = s->next)
		if (s->cfg.kind == CFG_SRC_BGP && s->src != NULL)
			feed_bgp_peers_metrics(s->src, b);
	metric(b, "bgpsentry_config_reloads_total", "counter",
	    "Configuration reloads, by outcome.");
	sb_printf(b, "bgpsentry_config_reloads_total{outcome=\"ok\"} %llu\n"
	    "bgpsentry_config_reloads_total{outcome=\"failed\"} %llu\n",
	    (unsigned long long)d->reloads,
	    (unsigned long long)d->reload_failures);
	metric(b, "bgpsentry_http_responses_total", "counter",
	    "HTTP answers by status class.");
	sb_printf(b, "bgpsentry_http_responses_total{code=\"2xx\"} %llu\n"
	    "bgpsentry_http_responses_total{code=\"4xx\"} %llu\n"
	    "bgpsentry_http_responses_total{code=\"5xx\"} %llu\n",
	    (unsigned long long)a->responses[C_2XX],
	    (unsigned long long)a->responses[C_4XX],
	    (unsigned long long)a->responses[C_5XX]);
	{
		uint64_t sub = a->submitted, run = a->jobs_run;
		uint64_t del = a->delivered;

		metric(b, "bgpsentry_api_queue_depth", "gauge",
		    "Requests waiting for the daemon's loop (to_daemon) and "
		    "answers waiting for the API thread (to_api, this one "
		    "included).");
		sb_printf(b, "bgpsentry_api_queue_depth{queue=\"to_daemon\"} "
		    "%llu\nbgpsentry_api_queue_depth{queue=\"to_api\"} "
		    "%llu\n", (unsigned long long)(sub > run ? sub - run : 0),
		    (unsigned long long)(run > del ? run - del : 0));
		metric(b, "bgpsentry_api_requests_total", "counter",
		    "Requests answered on the daemon's loop.");
		sb_printf(b, "bgpsentry_api_requests_total %llu\n",
		    (unsigned long long)run);
		metric(b, "bgpsentry_api_answers_dropped_total", "counter",
		    "Answers not written: the connection closed first.");
		sb_printf(b, "bgpsentry_api_answers_dropped_total %llu\n",
		    (unsigned long long)a->dropped);
	}
	{
		struct lgcache_stats cs;

		lgcache_stats(a->cache, &cs);
		metric(b, "bgpsentry_api_cache_requests_total", "counter",
		    "Looking-glass requests for one prefix, answered from "
		    "the answers kept (hit) or on the daemon's loop (miss).");
		sb_printf(b, "bgpsentry_api_cache_requests_total{result="
		    "\"hit\"} %llu\nbgpsentry_api_cache_requests_total{"
		    "result=\"miss\"} %llu\n", (unsigned long long)cs.hits,
		    (unsigned long long)cs.misses);
		metric(b, "bgpsentry_api_cache_entries", "gauge",
		    "Looking-glass answers kept.");
		sb_printf(b, "bgpsentry_api_cache_entries %llu\n",
		    (unsigned long long)cs.entries);
		metric(b, "bgpsentry_api_cache_bytes", "gauge",
		    "Memory of the looking-glass answers kept.");
		sb_printf(b, "bgpsentry_api_cache_bytes %llu\n",
		    (unsigned long long)cs.bytes);
	}
	{
		struct stream_stats st;

		stream_hub_stats(a->hub, &st);
		metric(b, "bgpsentry_stream_clients", "gauge",
		    "RIS Live stream clients (/v1/ws) connected.");
		sb_printf(b, "bgpsentry_stream_clients %llu\n",
		    (unsigned long long)st.clients);
		metric(b, "bgpsentry_stream_messages_total", "counter",
		    "Stream messages: printed (matched a client), queued "
		    "(per client), sent, dropped (for a slow client).");
		sb_printf(b, "bgpsentry_stream_messages_total{stage="
		    "\"published\"} %llu\nbgpsentry_stream_messages_total{"
		    "stage=\"queued\"} %llu\nbgpsentry_stream_messages_total{"
		    "stage=\"sent\"} %llu\nbgpsentry_stream_messages_total{"
		    "stage=\"dropped\"} %llu\n",
		    (unsigned long long)st.published,
		    (unsigned long long)st.queued,
		    (unsigned long long)st.sent,
		    (unsigned long long)st.dropped);
		metric(b, "bgpsentry_stream_clients_closed_slow_total",
		    "counter", "Stream clients closed for not keeping up.");
		sb_printf(b, "bgpsentry_stream_clients_closed_slow_total "
		    "%llu\n", (unsigned long long)st.slow_closed);
		metric(b, "bgpsentry_stream_bad_requests_total", "counter",
		    "Stream client messages answered with ris_error.");
		sb_printf(b, "bgpsentry_stream_bad_requests_total %llu\n",
		    (unsigned long long)st.bad_requests);
	}
	rpki_metrics(a->d->rpki, b);
}

static bool
starts(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(path, prefix, n) != 0)
		return false;
	*rest = path + n;
	return true;
}

static int
dispatch(struct req *q, const char *path, bool post)
{
	const char *rest;
	bool presented;
	enum role role;
	int rc = 0;

	q->status = 200;
	q->ctype = "application/json";
	if (q->other_method)
		return error_answer(q, 405, "only GET and POST");
	if (strcmp(path, "/healthz") == 0) {
		body_begin(q);
		sb_puts(&q->body, "{\"status\":\"ok\"}\n");
		return send_answer(q);
	}
	role = request_role(q, &presented);
	if (strcmp(path, "/metrics") != 0 && strncmp(path, "/api/", 5) != 0)
		return error_answer(q, 404, "no such path: %.64s", path);
	if (role == R_NONE)
		return error_answer(q, 401, presented ? "token not accepted" :
		    "a bearer token is required (Authorization: Bearer TOKEN)");
	if (post && strcmp(path, "/api/v1/peers/refresh") == 0) {
		if (role != R_ADMIN)
			return error_answer(q, 403, "route refresh needs an "
			    "admin token");
		return route_peer_refresh(q);
	}
	if (post) {
		if (strcmp(path, "/api/v1/reload") != 0)
			return error_answer(q, 405, "only GET here");
		if (role != R_ADMIN)
			return error_answer(q, 403, "reload needs an admin "
			    "token");
		{
			char err[CFG_ERR_MAX];

			if (!daemon_reload(q->a->d, err, sizeof(err)))
				return error_answer(q, 422, "configuration not "
				    "reloaded: %s", err);
		}
		body_begin(q);
		sb_puts(&q->body, "{\"reloaded\":true}\n");
		return send_answer(q);
	}
	if (strcmp(path, "/metrics") == 0) {
		if (!args_read(q, &rc) || !args_known(q, &q->args,
		    (const char *const[]){ NULL }, &rc))
			return rc;
		body_begin(q);
		metrics_text(q->a, &q->body);
		q->ctype = "text/plain; version=0.0.4";
		return send_answer(q);
	}
	if (starts(path, "/api/v1/prefix/", &rest))
		return route_prefix(q, rest);
	if (starts(path, "/api/v1/asn/", &rest))
		return route_asn(q, rest);
	if (strcmp(path, "/api/v1/vps") == 0)
		return route_vps(q);
	if (starts(path, "/api/v1/vps/", &rest))
		return route_vp_routes(q, rest);
	if (strcmp(path, "/api/v1/peers") == 0)
		return route_per_source(q, CFG_SRC_BGP, feed_bgp_peers_text_head,
		    feed_bgp_peers_text, feed_bgp_peers_json);
	if (strcmp(path, "/api/v1/bmp") == 0)
		return route_per_source(q, CFG_SRC_BMP, NULL,
		    feed_bmp_routers_text, feed_bmp_routers_json);
	if (strcmp(path, "/api/v1/rislive") == 0)
		return route_per_source(q, CFG_SRC_RISLIVE, NULL,
		    feed_rislive_text, feed_rislive_json);
	if (strcmp(path, "/api/v1/peers/refresh") == 0)
		return error_answer(q, 405, "route refresh takes POST");
	if (strcmp(path, "/api/v1/compare") == 0)
		return route_compare(q);
	if (strcmp(path, "/api/v1/stats") == 0)
		return route_stats(q);
	if (strcmp(path, "/api/v1/openapi.json") == 0) {
		body_begin(q);
		sb_putn(&q->body, (const char *)openapi_json,
		    openapi_json_len);
		return send_answer(q);
	}
	if (strcmp(path, "/api/v1/rpki/validate") == 0)
		return route_rpki_validate(q);
	if (strcmp(path, "/api/v1/rpki/changes") == 0)
		return route_rpki_changes(q);
	if (starts(path, "/api/v1/rpki/", &rest) &&
	    (strcmp(rest, "status") == 0 || strcmp(rest, "diff") == 0 ||
	    strcmp(rest, "vrps") == 0)) {
		bool text;

		if (!read_format(q, &text, &rc))
			return rc;
		body_begin(q);
		if (strcmp(rest, "status") == 0)
			rpki_status(q->a->d->rpki, !text, &q->body);
		else if (strcmp(rest, "diff") == 0)
			rpki_diff(q->a->d->rpki, !text, &q->body);
		else
			rpki_dump(q->a->d->rpki, !text, &q->body);
		return send_answer(q);
	}
	if (strcmp(path, "/api/v1/sources") == 0) {
		bool text;

		if (!read_format(q, &text, &rc))
			return rc;
		body_begin(q);
		if (text)
			sources_text(q->a->d, &q->body);
		else
			sources_json(q->a->d, &q->body);
		return send_answer(q);
	}
	if (strcmp(path, "/api/v1/events") == 0) {
		static const char *const known[] = { "after", "limit",
		    "format", NULL };
		unsigned long long after, limit;
		bool text;

		if (!args_read(q, &rc) || !args_known(q, &q->args, known,
		    &rc) || !arg_text(q, &q->args, &text, &rc) ||
		    !arg_uint(q, "after", 0, UINT64_MAX, 0, &after, &rc) ||
		    !arg_uint(q, "limit", 1, SEVENTS, SEVENTS, &limit, &rc))
			return rc;
		body_begin(q);
		if (text)
			sevents_text(q->a->d->events, after, (unsigned)limit,
			    &q->body);
		else
			sevents_json(q->a->d->events, after, (unsigned)limit,
			    &q->body);
		return send_answer(q);
	}
	if (strcmp(path, "/api/v1/reload") == 0)
		return error_answer(q, 405, "reload takes POST");
	return error_answer(q, 404, "no such path: %.64s", path);
}

/* --- between the threads ---------------------------------------------------- */

static void
req_free(struct req *q)
{
	if (q != NULL) {
		struct req *w, *n;

		for (w = q->waiters; w != NULL; w = n) {
			n = w->next;
			req_free(w);
		}
		rib_lg_free(q->lg);
		sb_free(&q->body);
		sb_free(&q->ckey);
		free(q);
	}
}

/* On the API thread: the request goes to the daemon's loop. */
static void
req_submit(struct api *a, struct req *q)
{
	/* sent under the lock: the handle cannot close meanwhile */
	uv_mutex_lock(&a->mu);
	if (!a->daemon_closed) {
		q->next = NULL;
		*a->jobs_tail = q;
		a->jobs_tail = &q->next;
		a->submitted++;
		uv_async_send(&a->jobs_async);
	} else {
		/* the daemon stops: unanswered, freed when its connection
		 * closes */
		q->back = true;
	}
	uv_mutex_unlock(&a->mu);
}

/* The whole of a queue, emptied. */
static struct req *
take(struct api *a, struct req **head, struct req ***tail)
{
	struct req *q;

	uv_mutex_lock(&a->mu);
	q = *head;
	*head = NULL;
	*tail = head;
	uv_mutex_unlock(&a->mu);
	return q;
}

/* On the daemon's loop: every request waiting is answered, and goes
 * back. */
static void
jobs_cb(uv_async_t *h)
{
	struct api *a = h->data;
	struct req *q, *n, *done = NULL, **tail = &done;

	for (q = take(a, &a->jobs, &a->jobs_tail); q != NULL; q = n) {
		n = q->next;
		q->next = NULL;
		a->jobs_run++;
		dispatch(q, q->path, q->post);
		*tail = q;
		tail = &q->next;
	}
	if (done == NULL)
		return;
	/* when the API thread has stopped, they wait for api_free: the
	 * thread may still mark them as their connections close */
	uv_mutex_lock(&a->mu);
	*a->done_tail = done;
	a->done_tail = tail;
	if (!a->api_closed)
		uv_async_send(&a->done_async);
	uv_mutex_unlock(&a->mu);
}

/* Writes the next piece of the answer (headers and body, or the rest of
 * a long body); returns 1 when all is written (or left to the library to
 * finish), 0 when more is to come on the next writable callback, -1 to
 * close. */
static int
write_more(struct lws *wsi, struct req *q)
{
	size_t left = q->body.len - q->off, n = left;
	bool last;

	if (q->off >= HEAD_ROOM && n > CHUNK)
		n = CHUNK;
	else if (q->off < HEAD_ROOM && n > HEAD_ROOM - q->off + CHUNK)
		n = HEAD_ROOM - q->off + CHUNK;
	last = n == left;
	/* the LWS_PRE bytes before the piece are sent already (or the
	 * padding): lws may write its framing there */
	if (lws_write(wsi, (uint8_t *)q->body.s + q->off, n,
	    last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
		return -1;
	q->off += n;
	if (!last) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	return 1;
}

/* The answer is written (or its end left to the library): the
 * connection waits for its next request, or closes. */
static int
answered(struct lws *wsi, struct pss *p)
{
	req_free(p->q);
	p->q = NULL;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* The answer is written at once, headers and body in one send: most
 * answers go whole, with no wait for a writable callback. -1: the
 * connection is to close (its close frees q). */
static int
write_now(struct req *q)
{
	struct lws *wsi = q->wsi;
	int rc;

	if (write_headers(q) != 0 || (rc = write_more(wsi, q)) < 0 ||
	    (rc == 1 && answered(wsi, lws_wsi_user(wsi)) != 0))
		return -1;
	return 0;
}

/* q is answered with a copy of len bytes at body. */
static int
answer_copy(struct req *q, unsigned status, const char *ctype,
    const char *body, size_t len)
{
	body_begin(q);
	sb_putn(&q->body, body, len);
	q->status = status;
	q->ctype = ctype;
	q->ready = q->back = true;
	return write_now(q);
}

static struct req *inflight_done(struct api *a, struct req *q);
static void	 serve_waiters(struct api *a, const struct req *q,
		    struct req *w);
static int	 cache_answer(struct api *a, struct req *q);

/* On the API thread: answers to write. */
static void
done_cb(uv_async_t *h)
{
	struct api *a = h->data;
	struct req *q, *n, *waiters;
	struct lws *wsi;

	for (q = take(a, &a->done, &a->done_tail); q != NULL; q = n) {
		n = q->next;
		q->back = true;
		a->delivered++;
		waiters = NULL;
		if (q->cacheable)
			waiters = inflight_done(a, q);
		if (q->wsi == NULL) {
			a->dropped++;
			req_free(q);	/* its connection went meanwhile */
			serve_waiters(a, NULL, waiters);
			continue;
		}
		if (q->has_lg) {
			rib_lg_render(q->lg, q->lg_now, &q->body);
			if (q->watched && !q->body.oom)
				lgcache_put(a->cache, sb_str(&q->ckey), q->lg,
				    &q->watch, q->ctype, q->body.s + HEAD_ROOM,
				    q->body.len - HEAD_ROOM, q->lg_now);
			else
				rib_lg_free(q->lg);
			q->lg = NULL;
		}
		/* the same question asked meanwhile: the same answer */
		serve_waiters(a, q, waiters);
		wsi = q->wsi;
		if (write_now(q) != 0)
			lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND,
			    LWS_TO_KILL_ASYNC);
	}
}

/* On the API thread: a cacheable question is answered (it is on its
 * way no more); returns those that waited for it. */
static struct req *
inflight_done(struct api *a, struct req *q)
{
	struct req **pp, *w;

	for (pp = &a->inflight; *pp != NULL; pp = &(*pp)->inflight_next)
		if (*pp == q) {
			*pp = q->inflight_next;
			a->ninflight--;
			break;
		}
	w = q->waiters;
	q->waiters = NULL;
	return w;
}

/* Those that waited for q get q's answer; with none (q NULL, or its
 * answer cut short), the cache's, or they go to the daemon's loop in
 * turn. */
static void
serve_waiters(struct api *a, const struct req *q, struct req *w)
{
	struct lws *wsi;
	struct req *n;
	int rc;

	if (q != NULL && !answer_whole(q))
		q = NULL;
	for (; w != NULL; w = n) {
		n = w->next;
		w->next = NULL;
		if ((wsi = w->wsi) == NULL) {
			req_free(w);	/* its connection went meanwhile */
			continue;
		}
		rc = q != NULL ? answer_copy(w, q->status, q->ctype,
		    q->body.s + HEAD_ROOM, q->body.len - HEAD_ROOM) :
		    cache_answer(a, w);
		/* the connection closes; its close frees w */
		if (rc != 0)
			lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND,
			    LWS_TO_KILL_ASYNC);
	}
}

/* --- libwebsockets ---------------------------------------------------------- */

/* A looking-glass request: answered here from the cache when its answer
 * is kept and still true, else it goes to the daemon's loop with its
 * key (or waits for the same question already on its way there). The
 * key holds the path, the arguments and the credentials: an answer is
 * served again only to the same question with the same token (a
 * reload, which may change the tokens, empties the cache). Returns -1
 * when the connection is to close. */
static int
cache_answer(struct api *a, struct req *q)
{
	const struct strbuf *hit;
	const char *ctype;
	struct req *f;

	hit = lgcache_get(a->cache, a->d->rib, sb_str(&q->ckey), now_s(),
	    &ctype);
	if (hit == NULL) {
		for (f = a->inflight; f != NULL; f = f->inflight_next)
			if (f->ckey.len == q->ckey.len &&
			    memcmp(f->ckey.s, q->ckey.s, q->ckey.len) == 0)
				break;
		if (f != NULL) {
			q->next = f->waiters;
			f->waiters = q;
			return 0;
		}
		q->cacheable = true;
		req_submit(a, q);
		/* (not when the daemon stops: it comes back no more) */
		if (!q->back && a->ninflight < INFLIGHT_MAX) {
			q->inflight_next = a->inflight;
			a->inflight = q;
			a->ninflight++;
		}
		return 0;
	}
	return answer_copy(q, 200, ctype, hit->s, hit->len);
}

static int
from_cache(struct api *a, struct req *q)
{
	sb_init(&q->ckey);
	sb_puts(&q->ckey, q->path);
	for (unsigned i = 0; i < q->args.n; i++)
		sb_printf(&q->ckey, "%c%s=%s", i == 0 ? '?' : '&',
		    q->args.key[i], q->args.val[i]);
	sb_putc(&q->ckey, '\n');
	if (q->auth_len > 0)
		sb_putn(&q->ckey, q->auth, (size_t)q->auth_len);
	if (q->ckey.oom || memchr(q->ckey.s, '\0', q->ckey.len) != NULL) {
		req_submit(a, q);
		return 0;
	}
	return cache_answer(a, q);
}

/* A path of the web UI's, not the API's: answered from api.ui_dir on
 * this thread. */
static bool
is_ui_path(const char *path)
{
	return strncmp(path, "/api/", 5) != 0 && strcmp(path, "/metrics") !=
	    0 && strcmp(path, "/healthz") != 0 && strcmp(path, "/api") != 0;
}

static int
ui_file(struct api *a, struct req *q)
{
	struct ui_file_meta m;
	char err[320];
	unsigned st;

	body_begin(q);
	st = ui_file_read(a->ui_dir, q->path, &q->body, &m, err, sizeof(err));
	if (st != 200) {
		error_answer(q, st, "%s", err);
	} else {
		q->status = 200;
		q->ctype = m.ctype;
		q->cache_control = m.cache_control;
		send_answer(q);
	}
	q->back = true;
	return write_now(q);
}

/* A request has come: it goes to the daemon's loop (a file of the UI's
 * is read here). */
static int
request(struct lws *wsi, struct pss *p, const char *path, bool post,
    bool other)
{
	struct api *a = lws_context_user(lws_get_context(wsi));
	struct req *q;

	if (p->q != NULL)
		return -1;	/* one request at a time per connection */
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		a->responses[C_5XX]++;
		log_error("api: out of memory for a request; closing the "
		    "connection");
		return -1;
	}
	q->a = a;
	q->wsi = wsi;
	q->post = post;
	q->other_method = other;
	snprintf(q->path, sizeof(q->path), "%s", path);
	q->auth_len = lws_hdr_copy(wsi, q->auth, sizeof(q->auth),
	    WSI_TOKEN_HTTP_AUTHORIZATION);
	copy_args(wsi, q);
	p->q = q;
	if (!post && !other && is_ui_path(path))
		return ui_file(a, q);
	if (!post && !other && a->cache != NULL &&
	    strncmp(path, "/api/v1/prefix/", 15) == 0 && q->args_err[0] == 0)
		return from_cache(a, q);
	req_submit(a, q);
	return 0;
}

/* A WebSocket handshake: only at /v1/ws, with a token when tokens are
 * configured. Non-zero refuses it. */
static int
ws_filter(struct lws *wsi)
{
	struct api *a = lws_context_user(lws_get_context(wsi));
	char uri[64], auth[512];
	int auth_len;
	bool presented;

	if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0 ||
	    (strcmp(uri, "/v1/ws") != 0 && strcmp(uri, "/v1/ws/") != 0))
		return 1;
	auth_len = lws_hdr_copy(wsi, auth, sizeof(auth),
	    WSI_TOKEN_HTTP_AUTHORIZATION);
	if (token_role(a, auth, auth_len, &presented) == R_NONE) {
		log_warn("stream client refused: %s", presented ?
		    "token not accepted" : "no token");
		return 1;
	}
	return a->hub == NULL;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct pss *p = user;
	struct req *q;
	int rc;

	if (reason == LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION)
		return ws_filter(wsi);
	/* a connection closed before its request was read has none */
	if (p == NULL)
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
	case LWS_CALLBACK_RECEIVE:
	case LWS_CALLBACK_SERVER_WRITEABLE:
	case LWS_CALLBACK_TIMER:
	case LWS_CALLBACK_CLOSED:
		return stream_ws_event(((struct api *)lws_context_user(
		    lws_get_context(wsi)))->hub, wsi, (int)reason, &p->ws, in,
		    len);
	case LWS_CALLBACK_HTTP:
		if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0) {
			/* with no body announced, the body is empty (RFC
			 * 9112 6.3); else answered when it (ignored) has
			 * come */
			if (lws_hdr_total_length(wsi,
			    WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0 &&
			    lws_hdr_total_length(wsi,
			    WSI_TOKEN_HTTP_TRANSFER_ENCODING) <= 0)
				return request(wsi, p, (const char *)in, true,
				    false);
			snprintf(p->path, sizeof(p->path), "%s",
			    (const char *)in);
			return 0;
		}
		/* not GET either: the answer is a 405 */
		return request(wsi, p, (const char *)in, false,
		    lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0);
	case LWS_CALLBACK_HTTP_BODY:
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		return request(wsi, p, p->path, true, false);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if ((q = p->q) == NULL || !q->back || !q->ready)
			return 0;
		if ((rc = write_more(wsi, q)) <= 0)
			return rc;
		return answered(wsi, p);
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if ((q = p->q) != NULL) {
			p->q = NULL;
			/* answered: ours to free; else the daemon's loop has
			 * it, and the API thread frees it when it comes
			 * back */
			if (q->back)
				req_free(q);
			else
				q->wsi = NULL;
		}
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	/* tx_packet_size: a send takes a whole piece (by default the
	 * library sends 4 KB at a time, one writable callback each) */
	{ "http", callback, sizeof(struct pss), 0, 0, NULL, HEAD_ROOM + CHUNK },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void
lws_log(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		log_error("http: %.*s", (int)n, line);
	else
		log_warn("http: %.*s", (int)n, line);
}

/* The API thread: its loop until the context has closed. */
static void
api_thread(void *arg)
{
	struct api *a = arg;

	uv_run(&a->loop, UV_RUN_DEFAULT);
	/* the second call of the two a foreign loop needs: the first
	 * (stop_cb) started the closing, the loop has run it */
	lws_context_destroy(a->ctx);
	a->ctx = NULL;
	uv_run(&a->loop, UV_RUN_DEFAULT);
}

/* On the API thread: the daemon stops. */
static void
stop_cb(uv_async_t *h)
{
	struct api *a = h->data;

	uv_mutex_lock(&a->mu);
	a->api_closed = true;
	uv_mutex_unlock(&a->mu);
	uv_close((uv_handle_t *)&a->stop_async, NULL);
	uv_close((uv_handle_t *)&a->done_async, NULL);
	stream_hub_close(a->hub);
	lws_context_destroy(a->ctx);
}

static void
free_list(struct req *q)
{
	struct req *n;

	for (; q != NULL; q = n) {
		n = q->next;
		req_free(q);
	}
}

struct api *
api_new(struct daemon *d)
{
	const struct config *c = &d->cfg;
	struct lws_context_creation_info info;
	void *loops[1];
	struct api *a = calloc(1, sizeof(*a));

	if (a == NULL || uv_loop_init(&a->loop) != 0) {
		log_error("api: out of memory");
		free(a);
		return NULL;
	}
	loops[0] = &a->loop;
	a->d = d;
	if (c->api.ui_dir != NULL && *c->api.ui_dir != '\0' &&
	    (a->ui_dir = strdup(c->api.ui_dir)) == NULL) {
		log_error("api: out of memory");
		uv_loop_close(&a->loop);
		free(a);
		return NULL;
	}
	if (c->api.cache_mb > 0 && (a->cache = lgcache_new((size_t)
	    c->api.cache_mb << 20)) == NULL) {
		log_error("api: out of memory");
		uv_loop_close(&a->loop);
		free(a->ui_dir);
		free(a);
		return NULL;
	}
	a->jobs_tail = &a->jobs;
	a->done_tail = &a->done;
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
	memset(&info, 0, sizeof(info));
	info.port = c->api.port;
	info.iface = c->api.host;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_VALIDATE_UTF8;
	info.foreign_loops = loops;
	info.user = a;
	info.vhost_name = "bgpsentry";
	info.server_string = "bgpsentry";
	info.max_http_header_data = (unsigned short)(c->api.max_request_bytes >
	    65535 ? 65535 : c->api.max_request_bytes);
	info.timeout_secs = 30;
	if (c->api.tls_cert != NULL) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = c->api.tls_cert;
		info.ssl_private_key_filepath = c->api.tls_key;
		/* HTTP/1.1 only: answers are written headers and body
		 * together, as HTTP/1.1 puts them on the wire */
		info.alpn = "http/1.1";
	}
	/* the vhost made apart: its creation fails when it cannot listen
	 * (the context alone would carry on without a listener) */
	info.options |= LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	a->ctx = lws_create_context(&info);
	if (a->ctx != NULL && lws_create_vhost(a->ctx, &info) == NULL) {
		/* the API's loop runs just the context's closing */
		lws_context_destroy(a->ctx);
		uv_run(&a->loop, UV_RUN_DEFAULT);
		lws_context_destroy(a->ctx);
		a->ctx = NULL;
	}
	if (a->ctx == NULL) {
		log_error("api: cannot listen on %s port %u (in use, or the "
		    "address is not this machine's%s)", c->api.host,
		    c->api.port, c->api.tls_cert != NULL ? ", or the TLS "
		    "certificate or key cannot be read" : "");
		uv_run(&a->loop, UV_RUN_DEFAULT);
		uv_loop_close(&a->loop);
		lgcache_free(a->cache);
		free(a->ui_dir);
		free(a);
		return NULL;
	}
	/* made here, before the thread runs the loop: nothing else
	 * touches it yet */
	if ((a->hub = stream_hub_new(&a->loop, (size_t)c->api.stream_queue_kb
	    << 10)) == NULL || uv_mutex_init(&a->mu) != 0 ||
	    uv_async_init(d->loop, &a->jobs_async, jobs_cb) != 0) {
		log_error("api: cannot set up its thread");
		abort();	/* the loop and the system are broken */
	}
	uv_async_init(&a->loop, &a->done_async, done_cb);
	uv_async_init(&a->loop, &a->stop_async, stop_cb);
	a->jobs_async.data = a->done_async.data = a->stop_async.data = a;
	if (uv_thread_create(&a->thread, api_thread, a) != 0) {
		log_error("api: cannot start its thread");
		abort();
	}
	a->thread_started = true;
	log_info("api listening address=%s port=%u tls=%s tokens=%zu ui=%s",
	    c->api.host, c->api.port, c->api.tls_cert != NULL ? "yes" : "no",
	    c->api.ntokens, a->ui_dir != NULL ? a->ui_dir : "none");
	if (a->ui_dir != NULL) {
		char index[4096];

		snprintf(index, sizeof(index), "%s/index.html", a->ui_dir);
		if (access(index, R_OK) != 0)
			log_warn("api: no web UI at %s (%s): / answers 404; "
			    "build it with make ui", index, strerror(errno));
	}
	return a;
}

/* On the daemon's loop: no more requests from now on; the API thread
 * closes its context (and its loop ends). */
void
api_stop(struct api *a)
{
	if (a == NULL || a->stopping)
		return;
	a->stopping = true;
	uv_mutex_lock(&a->mu);
	a->daemon_closed = true;
	uv_mutex_unlock(&a->mu);
	uv_close((uv_handle_t *)&a->jobs_async, NULL);
	uv_async_send(&a->stop_async);
}

void
api_stream_publish(struct api *a, struct rib *r, const struct feed_event *ev,
    size_t n)
{
	/* after api_stop the API thread may have closed the hub's wake-up */
	if (a != NULL && !a->stopping)
		stream_hub_publish(a->hub, r, ev, n);
}

void
api_free(struct api *a)
{
	if (a == NULL)
		return;
	api_stop(a);
	if (a->thread_started)
		uv_thread_join(&a->thread);
	/* requests no one will answer, answers no one will write */
	free_list(a->jobs);
	free_list(a->done);
	lgcache_free(a->cache);
	free(a->ui_dir);
	stream_hub_free(a->hub);
	uv_loop_close(&a->loop);
	uv_mutex_destroy(&a->mu);
	free(a);
}
