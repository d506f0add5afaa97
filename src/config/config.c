#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config/config.h"
#include "rib/rib.h"
#include "util/log.h"
#include "util/strbuf.h"

#define DEFAULT_HOST	"127.0.0.1"
#define DEFAULT_PORT	8179
#define DEFAULT_MAXREQ	8192
#define DEFAULT_CACHE_MB	128
#define DEFAULT_STREAM_QUEUE_KB	8192
#define TOKEN_MIN	16

/* A key path as errors print it: "api.tls.cert", "sources[2].files". */
#define PATH_MAX_LEN	128

struct ctx {
	const char	*file;
	yaml_document_t	 doc;
	char		*err;
	size_t		 errlen;
	bool		 failed;
};

/* The first error wins; later checks return quietly. "FILE:LINE: path:
 * message", or "FILE: path: message" with no line (0). */
static bool __attribute__((format(printf, 4, 0)))
vfail(struct ctx *x, unsigned long line, const char *path, const char *fmt,
    va_list ap)
{
	char msg[CFG_ERR_MAX];

	if (x->failed)
		return false;
	x->failed = true;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		snprintf(x->err, x->errlen, "%s:%lu: %s%s%s", x->file, line,
		    path, path[0] != '\0' ? ": " : "", msg);
	else
		snprintf(x->err, x->errlen, "%s: %s%s%s", x->file, path,
		    path[0] != '\0' ? ": " : "", msg);
	return false;
}

static bool __attribute__((format(printf, 4, 5)))
fail(struct ctx *x, const yaml_node_t *n, const char *path, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(x, n != NULL ? (unsigned long)n->start_mark.line + 1 : 0, path,
	    fmt, ap);
	va_end(ap);
	return false;
}

/* The same for what is checked once the whole file is read: the line
 * is the item's, which no node holds any more. */
static bool __attribute__((format(printf, 4, 5)))
fail_line(struct ctx *x, unsigned line, const char *path, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(x, line, path, fmt, ap);
	va_end(ap);
	return false;
}

static const char *
node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a value";
	}
}

/* A plain empty, "~" or "null" scalar: the key has no value. */
static bool
is_null(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;

	return n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0);
}

static const char *
scalar(struct ctx *x, const yaml_node_t *n, const char *path,
    const char *what)
{
	if (n->type != YAML_SCALAR_NODE)
		return fail(x, n, path, "expected %s, got %s", what,
		    node_kind(n)), NULL;
	if (is_null(n))
		return fail(x, n, path, "expected %s, got nothing", what),
		    NULL;
	if (strlen((const char *)n->data.scalar.value) !=
	    n->data.scalar.length)
		return fail(x, n, path, "expected %s, got a value with a NUL "
		    "byte", what), NULL;
	return (const char *)n->data.scalar.value;
}

static bool
get_str(struct ctx *x, const yaml_node_t *n, const char *path, char **out)
{
	const char *v = scalar(x, n, path, "a string");

	if (v == NULL)
		return false;
	free(*out);
	if ((*out = strdup(v)) == NULL)
		return fail(x, n, path, "out of memory");
	return true;
}

static bool
get_bool(struct ctx *x, const yaml_node_t *n, const char *path, bool *out)
{
	const char *v = scalar(x, n, path, "true or false");

	if (v == NULL)
		return false;
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
		*out = false;
	else
		return fail(x, n, path, "expected true or false, got '%s'", v);
	return true;
}

static bool
get_uint(struct ctx *x, const yaml_node_t *n, const char *path,
    unsigned long min, unsigned long max, unsigned long *out)
{
	const char *v = scalar(x, n, path, "a whole number");
	unsigned long u;
	char *end;

	if (v == NULL)
		return false;
	errno = 0;
	u = strtoul(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 ||
	    u < min || u > max)
		return fail(x, n, path, "expected a whole number from %lu to "
		    "%lu, got '%s'", min, max, v);
	*out = u;
	return true;
}

static bool
get_double(struct ctx *x, const yaml_node_t *n, const char *path,
    double min, double max, double *out)
{
	const char *v = scalar(x, n, path, "a number");
	char *end;
	double d;

	if (v == NULL)
		return false;
	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !isfinite(d) ||
	    d < min || d > max)
		return fail(x, n, path, "expected a number from %g to %g, got "
		    "'%s'", min, max, v);
	*out = d;
	return true;
}

/* --- mappings ------------------------------------------------------------ */

struct field {
	const char	*key;
	bool		(*fn)(struct ctx *x, const yaml_node_t *v,
			    const char *path, void *obj);
};

/* Calls each key's handler; unknown and repeated keys are errors. */
static bool
walk_map(struct ctx *x, const yaml_node_t *n, const char *path,
    const struct field *fields, size_t nfields, void *obj)
{
	uint64_t seen = 0;

	if (n->type != YAML_MAPPING_NODE)
		return fail(x, n, path, "expected a mapping, got %s",
		    is_null(n) ? "nothing" : node_kind(n));
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	    p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&x->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&x->doc, p->value);
		char sub[PATH_MAX_LEN], known[256];
		const char *key;
		size_t i, kl = 0;

		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE)
			return fail(x, k, path, "a key must be a plain name");
		key = (const char *)k->data.scalar.value;
		snprintf(sub, sizeof(sub), "%s%s%s", path,
		    path[0] != '\0' ? "." : "", key);
		for (i = 0; i < nfields; i++)
			if (strcmp(fields[i].key, key) == 0)
				break;
		if (i == nfields) {
			known[0] = '\0';
			for (size_t j = 0; j < nfields; j++)
				kl += (size_t)snprintf(known + kl,
				    kl < sizeof(known) ? sizeof(known) - kl : 0,
				    "%s%s", j ? ", " : "", fields[j].key);
			return fail(x, k, sub, "unknown key (expected one of: "
			    "%s)", known);
		}
		if (seen & (uint64_t)1 << i)
			return fail(x, k, sub, "given twice");
		seen |= (uint64_t)1 << i;
		if (!fields[i].fn(x, v, sub, obj))
			return false;
	}
	return true;
}

/* --- log ----------------------------------------------------------------- */

static bool
lg_level(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct config *c = obj;
	const char *s = scalar(x, v, path, "a level");
	int l;

	if (s == NULL)
		return false;
	if ((l = log_level_parse(s)) < 0)
		return fail(x, v, path, "expected error, warn, info or debug, "
		    "got '%s'", s);
	c->log.level = l;
	return true;
}

static bool
lg_target(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct config *c = obj;
	const char *s = scalar(x, v, path, "a target");

	if (s == NULL)
		return false;
	if (strcmp(s, "stderr") == 0)
		c->log.target = CFG_LOG_STDERR;
	else if (strcmp(s, "file") == 0)
		c->log.target = CFG_LOG_FILE;
	else if (strcmp(s, "syslog") == 0)
		c->log.target = CFG_LOG_SYSLOG;
	else
		return fail(x, v, path, "expected stderr, file or syslog, got "
		    "'%s'", s);
	return true;
}

static bool
lg_file(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct config *)obj)->log.file);
}

static bool
lg_ident(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct config *)obj)->log.ident);
}

static bool
sec_log(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field f[] = {
		{ "level", lg_level }, { "target", lg_target },
		{ "file", lg_file }, { "syslog_ident", lg_ident },
	};
	struct config *c = obj;

	if (!walk_map(x, v, path, f, sizeof(f) / sizeof(f[0]), obj))
		return false;
	if (c->log.target == CFG_LOG_FILE && c->log.file == NULL)
		return fail(x, v, path, "target file needs file: PATH");
	return true;
}

/* --- api ----------------------------------------------------------------- */

bool
cfg_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 &&
	    IN6_IS_ADDR_LOOPBACK(&a6);
}

/* "ADDRESS:PORT" or "[ADDRESS]:PORT" with a numeric address: the
 * address as text in host (INET6_ADDRSTRLEN + 1 bytes), as bytes in
 * addr (16), its family (4 or 6) and the port. */
static bool
host_port(const char *s, char *host, uint8_t *addr, int *fam, uint16_t *port)
{
	const char *colon;
	unsigned long p;
	char *end;
	size_t hl;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL || rb[1] != ':')
			return false;
		hl = (size_t)(rb - s - 1);
		if (hl == 0 || hl > INET6_ADDRSTRLEN)
			return false;
		memcpy(host, s + 1, hl);
		colon = rb + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return false;
		hl = (size_t)(colon - s);
		if (hl == 0 || hl > INET6_ADDRSTRLEN)
			return false;
		memcpy(host, s, hl);
	}
	host[hl] = '\0';
	memset(addr, 0, 16);
	*fam = s[0] == '[' ? 6 : 4;
	if (inet_pton(*fam == 6 ? AF_INET6 : AF_INET, host, addr) != 1)
		return false;
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || errno != 0 ||
	    p == 0 || p > 65535)
		return false;
	*port = (uint16_t)p;
	return true;
}

static bool
api_listen(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct config *c = obj;
	const char *s = scalar(x, v, path, "ADDRESS:PORT");
	char host[INET6_ADDRSTRLEN + 1];
	uint8_t addr[16];
	uint16_t port;
	int fam;

	if (s == NULL)
		return false;
	if (!host_port(s, host, addr, &fam, &port))
		return fail(x, v, path, "expected ADDRESS:PORT with a numeric "
		    "address (127.0.0.1:8179, [::1]:8179), got '%s'", s);
	free(c->api.host);
	if ((c->api.host = strdup(host)) == NULL)
		return fail(x, v, path, "out of memory");
	c->api.port = port;
	return true;
}

static bool
tls_cert(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct config *)obj)->api.tls_cert);
}

static bool
tls_key(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct config *)obj)->api.tls_key);
}

static bool
api_tls(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field f[] = {
		{ "cert", tls_cert }, { "key", tls_key },
	};
	struct config *c = obj;

	if (!walk_map(x, v, path, f, sizeof(f) / sizeof(f[0]), obj))
		return false;
	if (c->api.tls_cert == NULL || c->api.tls_key == NULL)
		return fail(x, v, path, "needs both cert and key");
	return true;
}

static bool
tok_name(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct cfg_token *)obj)->name);
}

static bool
tok_secret(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_token *t = obj;

	if (!get_str(x, v, path, &t->secret))
		return false;
	if (strlen(t->secret) < TOKEN_MIN)
		return fail(x, v, path, "expected at least %d characters",
		    TOKEN_MIN);
	for (const char *p = t->secret; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~')
			return fail(x, v, path, "expected printable characters "
			    "without spaces");
	return true;
}

static bool
tok_role(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_token *t = obj;
	const char *s = scalar(x, v, path, "a role");

	if (s == NULL)
		return false;
	if (strcmp(s, "read") == 0)
		t->role = CFG_ROLE_READ;
	else if (strcmp(s, "admin") == 0)
		t->role = CFG_ROLE_ADMIN;
	else
		return fail(x, v, path, "expected read or admin, got '%s'", s);
	return true;
}

static bool
api_tokens(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field f[] = {
		{ "name", tok_name }, { "token", tok_secret },
		{ "role", tok_role },
	};
	struct config *c = obj;
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of tokens, got %s",
		    is_null(v) ? "nothing" : node_kind(v));
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > CFG_TOKENS_MAX)
		return fail(x, v, path, "at most %d tokens", CFG_TOKENS_MAX);
	c->api.tokens = calloc(n ? n : 1, sizeof(*c->api.tokens));
	if (c->api.tokens == NULL)
		return fail(x, v, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc,
		    v->data.sequence.items.start[i]);
		struct cfg_token *t = &c->api.tokens[i];
		char sub[PATH_MAX_LEN];

		c->api.ntokens = i + 1;
		t->role = CFG_ROLE_READ;
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if (!walk_map(x, it, sub, f, sizeof(f) / sizeof(f[0]), t))
			return false;
		if (t->name == NULL || t->secret == NULL)
			return fail(x, it, sub, "a token needs name and token");
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->api.tokens[j].name, t->name) == 0)
				return fail(x, it, sub, "name '%s' given twice",
				    t->name);
	}
	return true;
}

static bool
api_maxreq(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	unsigned long u = 0;

	if (!get_uint(x, v, path, 1024, 1u << 20, &u))
		return false;
	((struct config *)obj)->api.max_request_bytes = (uint32_t)u;
	return true;
}

static bool
api_cache(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	unsigned long u = 0;

	if (!get_uint(x, v, path, 0, 65536, &u))
		return false;
	((struct config *)obj)->api.cache_mb = (uint32_t)u;
	return true;
}

static bool
api_stream_queue(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	unsigned long u = 0;

	if (!get_uint(x, v, path, 64, 1u << 20, &u))
		return false;
	((struct config *)obj)->api.stream_queue_kb = (uint32_t)u;
	return true;
}

static bool
api_ui(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct config *c = obj;

	if (!get_str(x, v, path, &c->api.ui_dir))
		return false;
	if (*c->api.ui_dir == '\0') {		/* "": no UI */
		free(c->api.ui_dir);
		c->api.ui_dir = NULL;
	}
	return true;
}

static bool
sec_api(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field f[] = {
		{ "listen", api_listen }, { "tls", api_tls },
		{ "tokens", api_tokens }, { "max_request_bytes", api_maxreq },
		{ "ui_dir", api_ui }, { "cache_mb", api_cache },
		{ "stream_queue_kb", api_stream_queue },
	};
	struct config *c = obj;

	if (!walk_map(x, v, path, f, sizeof(f) / sizeof(f[0]), obj))
		return false;
	/* DESIGN: remote access needs TLS and a token */
	if (!cfg_host_is_loopback(c->api.host) &&
	    (c->api.tls_cert == NULL || c->api.ntokens == 0))
		return fail(x, v, path, "listening on %s (not loopback) needs "
		    "tls (cert and key) and at least one token", c->api.host);
	return true;
}

/* --- sources ------------------------------------------------------------- */

/* A source's name: it goes into metric labels and URLs as it is. */
static bool
get_name(struct ctx *x, const yaml_node_t *v, const char *path, char **out)
{
	size_t n;

	if (!get_str(x, v, path, out))
		return false;
	n = strlen(*out);
	if (n == 0 || n > CFG_NAME_MAX)
		return fail(x, v, path, "expected 1 to %d characters",
		    CFG_NAME_MAX);
	for (const char *p = *out; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return fail(x, v, path, "expected letters, digits, "
			    "'-', '_' or '.', got '%s'", *out);
	return true;
}

static bool
src_name(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_name(x, v, path, &((struct cfg_source *)obj)->name);
}

static bool
src_type(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_source *s = obj;
	const char *t = scalar(x, v, path, "a source type");

	if (t == NULL)
		return false;
	if (strcmp(t, "mrt") == 0)
		s->kind = CFG_SRC_MRT;
	else if (strcmp(t, "bgp") == 0)
		s->kind = CFG_SRC_BGP;
	else if (strcmp(t, "bmp") == 0)
		s->kind = CFG_SRC_BMP;
	else if (strcmp(t, "rislive") == 0)
		s->kind = CFG_SRC_RISLIVE;
	else
		return fail(x, v, path, "expected mrt, bgp, bmp or rislive, "
		    "got '%s'", t);
	return true;
}

static bool
src_enabled(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_bool(x, v, path, &((struct cfg_source *)obj)->enabled);
}

static bool
tag_list(struct ctx *x, const yaml_node_t *v, const char *path, uint16_t *tags)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of tags, got %s",
		    is_null(v) ? "nothing" : node_kind(v));
	for (yaml_node_item_t *i = v->data.sequence.items.start;
	    i < v->data.sequence.items.top; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc, *i);
		const char *t = scalar(x, it, path, "a tag");
		uint16_t bit;

		if (t == NULL)
			return false;
		if ((bit = rib_tag_named(t)) == 0)
			return fail(x, it, path, "expected own-router, "
			    "upstream, collector or route-server, got '%s'", t);
		*tags |= bit;
	}
	return true;
}

static bool
src_tags(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_source *s = obj;
	uint16_t t = 0;

	if (!tag_list(x, v, path, &t))
		return false;
	s->tags = t;
	return true;
}

static bool
src_files(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_source *s = obj;
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of files, got %s",
		    is_null(v) ? "nothing" : node_kind(v));
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n == 0 || n > CFG_FILES_MAX)
		return fail(x, v, path, "expected 1 to %d files",
		    CFG_FILES_MAX);
	s->files = calloc(n, sizeof(*s->files));
	if (s->files == NULL)
		return fail(x, v, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc,
		    v->data.sequence.items.start[i]);

		s->nfiles = i + 1;
		if (!get_str(x, it, path, &s->files[i]))
			return false;
	}
	return true;
}

static bool
src_speed(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_double(x, v, path, 0, 1e6,
	    &((struct cfg_source *)obj)->speed);
}

static bool
src_loop(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_bool(x, v, path, &((struct cfg_source *)obj)->loop);
}

static bool
src_clock(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_source *s = obj;
	const char *t = scalar(x, v, path, "file or now");

	if (t == NULL)
		return false;
	if (strcmp(t, "file") != 0 && strcmp(t, "now") != 0)
		return fail(x, v, path, "expected file or now, got '%s'", t);
	s->clock_now = strcmp(t, "now") == 0;
	return true;
}

/* --- bgp sources ----------------------------------------------------------- */

static bool
get_asn(struct ctx *x, const yaml_node_t *v, const char *path, bool any_ok,
    uint32_t *out)
{
	const char *t = scalar(x, v, path, "an AS number");
	unsigned long u;
	char *end;

	if (t == NULL)
		return false;
	if (any_ok && strcmp(t, "any") == 0) {
		*out = 0;
		return true;
	}
	if ((t[0] == 'A' || t[0] == 'a') && (t[1] == 'S' || t[1] == 's'))
		t += 2;
	errno = 0;
	u = strtoul(t, &end, 10);
	if (t[0] < '0' || t[0] > '9' || *end != '\0' || errno != 0 || u == 0 ||
	    u > UINT32_MAX)
		return fail(x, v, path, "expected an AS number from 1 to "
		    "4294967295%s, got '%s'", any_ok ? " or any" : "",
		    (const char *)v->data.scalar.value);
	*out = (uint32_t)u;
	return true;
}

static bool
bgp_local_as(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_asn(x, v, path, false, &((struct cfg_source *)obj)->local_as);
}

static bool
bgp_router_id(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	struct cfg_source *s = obj;
	const char *t = scalar(x, v, path, "an IPv4 address");
	struct in_addr a;

	if (t == NULL)
		return false;
	if (inet_pton(AF_INET, t, &a) != 1 || a.s_addr == 0)
		return fail(x, v, path, "expected a non-zero IPv4 address "
		    "(192.0.2.1), got '%s'", t);
	s->router_id = ntohl(a.s_addr);
	return true;
}

static bool
listen_one(struct ctx *x, const yaml_node_t *v, const char *path,
    struct feed_bgp_listen *l)
{
	const char *t = scalar(x, v, path, "ADDRESS:PORT");
	char host[INET6_ADDRSTRLEN + 1];
	int fam;

	if (t == NULL)
		return false;
	if (!host_port(t, host, l->addr, &fam, &l->port))
		return fail(x, v, path, "expected ADDRESS:PORT with a numeric "
		    "address (127.0.0.1:179, [::1]:179), got '%s'", t);
	l->afi = fam == 6 ? 2 : 1;
	return true;
}

static bool
bgp_listen(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_source *s = obj;
	size_t n = 1;

	if (v->type == YAML_SEQUENCE_NODE) {
		n = (size_t)(v->data.sequence.items.top -
		    v->data.sequence.items.start);
		if (n == 0 || n > CFG_LISTEN_MAX)
			return fail(x, v, path, "expected 1 to %d addresses",
			    CFG_LISTEN_MAX);
	}
	s->listen = calloc(n, sizeof(*s->listen));
	if (s->listen == NULL)
		return fail(x, v, path, "out of memory");
	s->nlisten = n;
	if (v->type != YAML_SEQUENCE_NODE)
		return listen_one(x, v, path, &s->listen[0]);
	for (size_t i = 0; i < n; i++)
		if (!listen_one(x, yaml_document_get_node(&x->doc,
		    v->data.sequence.items.start[i]), path, &s->listen[i]))
			return false;
	return true;
}

static bool
bgp_retry(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	unsigned long u;

	if (!get_uint(x, v, path, 1, 3600, &u))
		return false;
	((struct cfg_source *)obj)->connect_retry_s = (uint32_t)u;
	return true;
}

/* A peer being read, and which keys were given. */
struct peer_ctx {
	struct feed_bgp_peer_conf	*p;
	bool				 as_given;
	bool				 passive_given;
	bool				 local6;
};

#define PEER(obj)	(((struct peer_ctx *)(obj))->p)

/* an address, or ADDRESS/LENGTH for a range */
static bool
peer_addr(struct ctx *x, const yaml_node_t *v, const char *path,
    struct feed_bgp_peer_conf *p, bool range)
{
	const char *t = scalar(x, v, path, range ? "ADDRESS/LENGTH" :
	    "an address");
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash;
	unsigned long len = 0;
	char *end;
	int fam;

	if (t == NULL)
		return false;
	if (strlen(t) >= sizeof(buf))
		goto bad;
	memcpy(buf, t, strlen(t) + 1);
	slash = strchr(buf, '/');
	if (range != (slash != NULL))
		goto bad;
	if (slash != NULL) {
		buf[slash - buf] = '\0';
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (slash[1] < '0' || slash[1] > '9' || *end != '\0' ||
		    errno != 0)
			goto bad;
	}
	memset(p->addr, 0, sizeof(p->addr));
	fam = strchr(buf, ':') != NULL ? 6 : 4;
	if (inet_pton(fam == 6 ? AF_INET6 : AF_INET, buf, p->addr) != 1)
		goto bad;
	p->afi = fam == 6 ? 2 : 1;
	if (!range)
		len = fam == 6 ? 128 : 32;
	if (len > (fam == 6 ? 128u : 32u))
		goto bad;
	p->plen = (uint8_t)len;
	p->is_range = range;
	/* the bits past the length go */
	for (unsigned b = (unsigned)len; b < 128; b++)
		p->addr[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
	return true;
bad:
	return fail(x, v, path, range ? "expected ADDRESS/LENGTH (127.0.0.0/8, "
	    "2001:db8::/32), got '%s'" : "expected a numeric IPv4 or IPv6 "
	    "address, got '%s'", t);
}

static bool
peer_address(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return peer_addr(x, v, path, PEER(obj), false);
}

static bool
peer_range(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return peer_addr(x, v, path, PEER(obj), true);
}

static bool
peer_remote_as(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	struct feed_bgp_peer_conf *p = PEER(obj);

	((struct peer_ctx *)obj)->as_given = true;
	return get_asn(x, v, path, true, &p->remote_as);
}

static bool
peer_passive(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct feed_bgp_peer_conf *p = PEER(obj);

	if (!get_bool(x, v, path, &p->passive))
		return false;
	((struct peer_ctx *)obj)->passive_given = true;
	return true;
}

static bool
peer_port(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	unsigned long u;

	if (!get_uint(x, v, path, 1, 65535, &u))
		return false;
	PEER(obj)->port = (uint16_t)u;
	return true;
}

static bool
peer_hold(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	unsigned long u;

	if (!get_uint(x, v, path, 0, 65535, &u))
		return false;
	if (u == 1 || u == 2)
		return fail(x, v, path, "expected 0 or 3 to 65535 seconds "
		    "(RFC 4271 4.2), got %lu", u);
	PEER(obj)->hold_time = (uint16_t)u;
	return true;
}

static bool
peer_password(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	struct feed_bgp_peer_conf *p = PEER(obj);
	size_t n;

	if (!get_str(x, v, path, &p->password))
		return false;
	n = strlen(p->password);
	if (n == 0 || n > FEED_BGP_PASSWORD_MAX)
		return fail(x, v, path, "expected 1 to %d characters",
		    FEED_BGP_PASSWORD_MAX);
	return true;
}

static bool
peer_families(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	struct feed_bgp_peer_conf *p = PEER(obj);

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of families (ipv4, "
		    "ipv6), got %s", is_null(v) ? "nothing" : node_kind(v));
	p->families = 0;
	for (yaml_node_item_t *i = v->data.sequence.items.start;
	    i < v->data.sequence.items.top; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc, *i);
		const char *t = scalar(x, it, path, "a family");

		if (t == NULL)
			return false;
		if (strcmp(t, "ipv4") == 0)
			p->families |= FEED_BGP_IPV4;
		else if (strcmp(t, "ipv6") == 0)
			p->families |= FEED_BGP_IPV6;
		else
			return fail(x, it, path, "expected ipv4 or ipv6 "
			    "(unicast), got '%s'", t);
	}
	if (p->families == 0)
		return fail(x, v, path, "expected at least one family");
	return true;
}

static bool
peer_add_path(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	return get_bool(x, v, path, &PEER(obj)->add_path);
}

static bool
peer_local(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct feed_bgp_peer_conf *p = PEER(obj);
	const char *t = scalar(x, v, path, "an address");

	if (t == NULL)
		return false;
	memset(p->local_addr, 0, sizeof(p->local_addr));
	if (inet_pton(strchr(t, ':') != NULL ? AF_INET6 : AF_INET, t,
	    p->local_addr) != 1)
		return fail(x, v, path, "expected a numeric IPv4 or IPv6 "
		    "address, got '%s'", t);
	p->has_local = true;
	((struct peer_ctx *)obj)->local6 = strchr(t, ':') != NULL;
	return true;
}

static bool
mp_limit(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	unsigned long u;

	if (!get_uint(x, v, path, 1, UINT32_MAX, &u))
		return false;
	PEER(obj)->max_prefixes = (uint32_t)u;
	return true;
}

static bool
mp_action(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct feed_bgp_peer_conf *p = PEER(obj);
	const char *t = scalar(x, v, path, "warn or teardown");

	if (t == NULL)
		return false;
	if (strcmp(t, "warn") == 0)
		p->max_action = FEED_BGP_MAXPFX_WARN;
	else if (strcmp(t, "teardown") == 0)
		p->max_action = FEED_BGP_MAXPFX_TEARDOWN;
	else
		return fail(x, v, path, "expected warn or teardown, got '%s'",
		    t);
	return true;
}

static bool
mp_restart(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	unsigned long u;

	if (!get_uint(x, v, path, 0, 86400, &u))
		return false;
	PEER(obj)->max_restart_s = (uint32_t)u;
	return true;
}

/* max_prefixes: N, or {limit: N, action: warn | teardown, restart: S} */
static bool
peer_max(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field f[] = {
		{ "limit", mp_limit }, { "action", mp_action },
		{ "restart", mp_restart },
	};
	struct feed_bgp_peer_conf *p = PEER(obj);

	if (v->type == YAML_SCALAR_NODE)
		return mp_limit(x, v, path, obj);
	if (!walk_map(x, v, path, f, sizeof(f) / sizeof(f[0]), obj))
		return false;
	if (p->max_prefixes == 0)
		return fail(x, v, path, "needs a limit");
	return true;
}

static bool
peer_description(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	struct feed_bgp_peer_conf *p = PEER(obj);

	if (!get_str(x, v, path, &p->description))
		return false;
	if (strlen(p->description) > 63)
		return fail(x, v, path, "expected at most 63 characters");
	return true;
}

static bool
peer_tags(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return tag_list(x, v, path, &PEER(obj)->tags);
}

static bool
same_addr(const struct feed_bgp_peer_conf *a, const struct feed_bgp_peer_conf *b)
{
	return a->afi == b->afi && a->plen == b->plen &&
	    memcmp(a->addr, b->addr, 16) == 0;
}

static bool
bgp_peers(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field f[] = {
		{ "address", peer_address }, { "range", peer_range },
		{ "remote_as", peer_remote_as }, { "passive", peer_passive },
		{ "port", peer_port }, { "hold_time", peer_hold },
		{ "password", peer_password }, { "families", peer_families },
		{ "add_path", peer_add_path }, { "local_address", peer_local },
		{ "max_prefixes", peer_max },
		{ "description", peer_description }, { "tags", peer_tags },
	};
	struct cfg_source *s = obj;
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of peers, got %s",
		    is_null(v) ? "nothing" : node_kind(v));
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n == 0 || n > CFG_PEERS_MAX)
		return fail(x, v, path, "expected 1 to %d peers",
		    CFG_PEERS_MAX);
	s->peers = calloc(n, sizeof(*s->peers));
	if (s->peers == NULL)
		return fail(x, v, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc,
		    v->data.sequence.items.start[i]);
		struct feed_bgp_peer_conf *p = &s->peers[i];
		struct peer_ctx pc = { .p = p };
		char sub[PATH_MAX_LEN];

		s->npeers = i + 1;
		p->port = FEED_BGP_PORT;
		p->hold_time = FEED_BGP_HOLD;
		p->families = FEED_BGP_IPV4 | FEED_BGP_IPV6;
		p->max_action = FEED_BGP_MAXPFX_TEARDOWN;
		p->line = (unsigned)it->start_mark.line + 1;
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if (!walk_map(x, it, sub, f, sizeof(f) / sizeof(f[0]), &pc))
			return false;
		if (p->afi == 0)
			return fail(x, it, sub, "a peer needs an address or a "
			    "range");
		if (p->is_range) {
			if (pc.passive_given && !p->passive)
				return fail(x, it, sub, "a range's peers "
				    "connect to us: passive cannot be false");
			p->passive = true;
		} else if (!pc.as_given) {
			return fail(x, it, sub, "peer needs remote_as (a "
			    "number, or any)");
		}
		if (p->has_local && pc.local6 != (p->afi == 2))
			return fail(x, it, sub, "local_address is not of the "
			    "peer's address family");
		for (size_t j = 0; j < i; j++)
			if (same_addr(&s->peers[j], p))
				return fail(x, it, sub, "the peer at line %u "
				    "has the same %s", s->peers[j].line,
				    p->is_range ? "range" : "address");
	}
	return true;
}

/* --- bmp sources ----------------------------------------------------------- */

static bool
bmp_routers(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_source *s = obj;
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of router addresses "
		    "or ranges, got %s", is_null(v) ? "nothing" : node_kind(v));
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n == 0 || n > CFG_PEERS_MAX)
		return fail(x, v, path, "expected 1 to %d addresses",
		    CFG_PEERS_MAX);
	if ((s->routers = calloc(n, sizeof(*s->routers))) == NULL)
		return fail(x, v, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc,
		    v->data.sequence.items.start[i]);
		const char *t = scalar(x, it, path, "an address or range");
		struct feed_bgp_peer_conf pc;

		if (t == NULL)
			return false;
		memset(&pc, 0, sizeof(pc));
		if (!peer_addr(x, it, path, &pc, strchr(t, '/') != NULL))
			return false;
		s->routers[i].afi = pc.afi;
		memcpy(s->routers[i].addr, pc.addr, 16);
		s->routers[i].plen = pc.plen;
		s->nrouters = i + 1;
	}
	return true;
}

static bool
bmp_stale(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	unsigned long u;

	if (!get_uint(x, v, path, 0, 86400, &u))
		return false;
	((struct cfg_source *)obj)->stale_s = (uint32_t)u;
	return true;
}

static bool
bmp_capture(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct cfg_source *)obj)->capture_dir);
}

/* The value of a mapping's key, or NULL. */
static yaml_node_t *
map_get(struct ctx *x, const yaml_node_t *n, const char *key)
{
	if (n->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	    p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&x->doc, p->key);

		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(&x->doc, p->value);
	}
	return NULL;
}

static bool
bgp_check(struct ctx *x, const yaml_node_t *it, const char *sub,
    struct cfg_source *s)
{
	if (s->local_as == 0)
		return fail(x, it, sub, "bgp source '%s' needs local_as",
		    s->name);
	if (s->router_id == 0)
		return fail(x, it, sub, "bgp source '%s' needs router_id",
		    s->name);
	if (s->npeers == 0)
		return fail(x, it, sub, "bgp source '%s' needs peers", s->name);
	for (size_t i = 0; i < s->npeers; i++)
		if (s->peers[i].passive && s->nlisten == 0)
			return fail(x, it, sub, "bgp source '%s': the peer at "
			    "line %u waits to be connected to (passive, or a "
			    "range), so the source needs listen", s->name,
			    s->peers[i].line);
	if (s->connect_retry_s == 0)
		s->connect_retry_s = 5;
	return true;
}

/* --- rislive sources --------------------------------------------------------- */

static bool
rl_url(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_source *s = obj;

	if (!get_str(x, v, path, &s->url))
		return false;
	if ((strncmp(s->url, "ws://", 5) != 0 &&
	    strncmp(s->url, "wss://", 6) != 0) || strlen(s->url) > 1000)
		return fail(x, v, path, "expected a ws:// or wss:// URL, got "
		    "'%.64s'", s->url);
	return true;
}

static bool
rl_ca(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct cfg_source *)obj)->ca_file);
}

static bool
rl_proxy(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct cfg_source *s = obj;
	const char *colon;
	char *end;
	long port;

	if (!get_str(x, v, path, &s->proxy))
		return false;
	colon = strrchr(s->proxy, ':');
	if (colon == NULL || colon == s->proxy ||
	    (port = strtol(colon + 1, &end, 10)) < 1 || port > 65535 ||
	    *end != '\0' || strlen(s->proxy) > 200)
		return fail(x, v, path, "expected HOST:PORT, got '%.64s'",
		    s->proxy);
	return true;
}

/* A prefix, or a list of them, appended to *arr; at most max of them. */
static bool
get_prefixes(struct ctx *x, const yaml_node_t *v, const char *path,
    struct bgp_prefix **arr, uint32_t *n, uint32_t max)
{
	yaml_node_item_t *i = NULL, *end = NULL;

	if (v->type == YAML_SEQUENCE_NODE) {
		i = v->data.sequence.items.start;
		end = v->data.sequence.items.top;
		if (i == end)
			return true;		/* [] */
	} else if (v->type != YAML_SCALAR_NODE) {
		return fail(x, v, path, "expected a prefix or a list of them, "
		    "got %s", node_kind(v));
	}
	for (;;) {
		const yaml_node_t *it = v->type == YAML_SCALAR_NODE ? v :
		    yaml_document_get_node(&x->doc, *i);
		const char *t = scalar(x, it, path, "a prefix");
		struct bgp_prefix p, *np;

		if (t == NULL)
			return false;
		if (!bgp_prefix_parse(t, &p))
			return fail(x, it, path, "expected ADDRESS/LENGTH "
			    "(192.0.2.0/24, 2001:db8::/32), got '%s'", t);
		if (*n == max)
			return fail(x, it, path, "at most %u prefixes", max);
		np = realloc(*arr, (*n + 1) * sizeof(*np));
		if (np == NULL)
			return fail(x, it, path, "out of memory");
		np[(*n)++] = p;
		*arr = np;
		if (v->type == YAML_SCALAR_NODE || ++i == end)
			return true;
	}
}

static bool
rl_prefix_list(struct ctx *x, const yaml_node_t *v, const char *path,
    struct rislive_sub *sub, uint32_t max)
{
	return get_prefixes(x, v, path, &sub->prefixes, &sub->nprefixes, max);
}

static bool
rl_prefixes(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	/* in pieces of RISLIVE_SUB_PREFIXES_MAX later (rislive_check) */
	return rl_prefix_list(x, v, path, &((struct cfg_source *)obj)->prefix_sub,
	    CFG_RISLIVE_SUBS_MAX * RISLIVE_SUB_PREFIXES_MAX);
}

static bool
rl_more(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_bool(x, v, path,
	    &((struct cfg_source *)obj)->prefix_sub.more_specific);
}

static bool
rl_less(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_bool(x, v, path,
	    &((struct cfg_source *)obj)->prefix_sub.less_specific);
}

static bool
sub_host(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct rislive_sub *sub = obj;
	const char *t = scalar(x, v, path, "a collector name");

	if (t == NULL)
		return false;
	if (strlen(t) >= sizeof(sub->host))
		return fail(x, v, path, "expected at most %zu characters",
		    sizeof(sub->host) - 1);
	snprintf(sub->host, sizeof(sub->host), "%s", t);
	return true;
}

static bool
sub_type(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct rislive_sub *sub = obj;
	const char *t = scalar(x, v, path, "a message type");

	if (t == NULL)
		return false;
	for (int k = RISLIVE_UPDATE; k < RISLIVE_TYPES; k++)
		if (strcmp(t, rislive_type_name((enum rislive_type)k)) == 0) {
			sub->type = (uint8_t)k;
			return true;
		}
	return fail(x, v, path, "expected UPDATE, OPEN, NOTIFICATION, "
	    "KEEPALIVE or RIS_PEER_STATE, got '%s'", t);
}

static bool
sub_require(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct rislive_sub *sub = obj;
	const char *t = scalar(x, v, path, "announcements or withdrawals");

	if (t == NULL)
		return false;
	if (strcmp(t, "announcements") == 0)
		sub->require = RISLIVE_REQUIRE_ANNOUNCEMENTS;
	else if (strcmp(t, "withdrawals") == 0)
		sub->require = RISLIVE_REQUIRE_WITHDRAWALS;
	else
		return fail(x, v, path, "expected announcements or "
		    "withdrawals, got '%s'", t);
	return true;
}

static bool
sub_peer(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct rislive_sub *sub = obj;
	const char *t = scalar(x, v, path, "an address");

	if (t == NULL)
		return false;
	memset(sub->peer, 0, sizeof(sub->peer));
	if (inet_pton(AF_INET, t, sub->peer) == 1)
		sub->peer_afi = BGP_AFI_IPV4;
	else if (inet_pton(AF_INET6, t, sub->peer) == 1)
		sub->peer_afi = BGP_AFI_IPV6;
	else
		return fail(x, v, path, "expected an address, got '%s'", t);
	sub->has_peer = true;
	return true;
}

static bool
sub_path(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	const char *t = scalar(x, v, path, "an AS path pattern");
	char err[160];

	if (t == NULL)
		return false;
	if (!rislive_sub_path_parse(obj, t, err, sizeof(err)))
		return fail(x, v, path, "%s", err);
	return true;
}

static bool
sub_prefix(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return rl_prefix_list(x, v, path, obj, RISLIVE_SUB_PREFIXES_MAX);
}

static bool
sub_more(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_bool(x, v, path, &((struct rislive_sub *)obj)->more_specific);
}

static bool
sub_less(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_bool(x, v, path, &((struct rislive_sub *)obj)->less_specific);
}

static bool
rl_subscriptions(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	static const struct field f[] = {
		{ "host", sub_host }, { "type", sub_type },
		{ "require", sub_require }, { "peer", sub_peer },
		{ "path", sub_path }, { "prefix", sub_prefix },
		{ "more_specific", sub_more }, { "less_specific", sub_less },
	};
	struct cfg_source *s = obj;
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of subscriptions, got "
		    "%s", node_kind(v));
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > CFG_RISLIVE_SUBS_MAX)
		return fail(x, v, path, "at most %d subscriptions",
		    CFG_RISLIVE_SUBS_MAX);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc,
		    v->data.sequence.items.start[i]);
		struct rislive_sub *ns = realloc(s->subs, (s->nsubs + 1) *
		    sizeof(*ns));
		char sub[PATH_MAX_LEN];

		if (ns == NULL)
			return fail(x, it, path, "out of memory");
		s->subs = ns;
		rislive_sub_init(&s->subs[s->nsubs++]);
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if (!walk_map(x, it, sub, f, sizeof(f) / sizeof(f[0]),
		    &s->subs[s->nsubs - 1]))
			return false;
	}
	return true;
}

static bool
rl_raw(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_bool(x, v, path, &((struct cfg_source *)obj)->include_raw);
}

static bool
rl_firehose(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_bool(x, v, path, &((struct cfg_source *)obj)->firehose);
}

static bool
rl_heartbeat(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_bool(x, v, path, &((struct cfg_source *)obj)->heartbeat);
}

static bool
rl_seconds(struct ctx *x, const yaml_node_t *v, const char *path,
    unsigned long max, uint32_t *out)
{
	unsigned long u;

	if (!get_uint(x, v, path, 0, max, &u))
		return false;
	*out = (uint32_t)u;
	return true;
}

static bool
rl_ping(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return rl_seconds(x, v, path, 3600, &((struct cfg_source *)obj)->ping_s);
}

static bool
rl_silence(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return rl_seconds(x, v, path, 86400,
	    &((struct cfg_source *)obj)->silence_s);
}

static bool
rl_host_silence(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	return rl_seconds(x, v, path, 86400,
	    &((struct cfg_source *)obj)->host_silence_s);
}

static bool
rl_ms(struct ctx *x, const yaml_node_t *v, const char *path, uint32_t *out)
{
	double d;

	if (!get_double(x, v, path, 0.01, 3600, &d))
		return false;
	*out = (uint32_t)(d * 1000 + 0.5);
	return true;
}

static bool
rl_backoff_min(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	return rl_ms(x, v, path, &((struct cfg_source *)obj)->backoff_min_ms);
}

static bool
rl_backoff_max(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	return rl_ms(x, v, path, &((struct cfg_source *)obj)->backoff_max_ms);
}

/* The prefixes become subscriptions, before the explicit ones, in
 * pieces of RISLIVE_SUB_PREFIXES_MAX. */
static bool
rislive_pieces(struct ctx *x, const char *sub, struct cfg_source *s)
{
	struct rislive_sub *p = &s->prefix_sub;
	size_t pieces = (p->nprefixes + RISLIVE_SUB_PREFIXES_MAX - 1) /
	    RISLIVE_SUB_PREFIXES_MAX;
	struct rislive_sub *ns;

	if (s->nsubs + pieces > CFG_RISLIVE_SUBS_MAX)
		return fail_line(x, s->line, sub, "rislive source '%s': at "
		    "most %d subscriptions (%d prefixes in one)", s->name,
		    CFG_RISLIVE_SUBS_MAX, RISLIVE_SUB_PREFIXES_MAX);
	if (pieces == 0)
		return true;
	if ((ns = calloc(s->nsubs + pieces, sizeof(*ns))) == NULL)
		return fail_line(x, s->line, sub, "out of memory");
	for (size_t i = 0; i < pieces; i++) {
		uint32_t first = (uint32_t)(i * RISLIVE_SUB_PREFIXES_MAX);
		uint32_t n = p->nprefixes - first;

		if (n > RISLIVE_SUB_PREFIXES_MAX)
			n = RISLIVE_SUB_PREFIXES_MAX;
		rislive_sub_init(&ns[i]);
		ns[i].more_specific = p->more_specific;
		ns[i].less_specific = p->less_specific;
		if ((ns[i].prefixes = malloc(n * sizeof(*ns[i].prefixes))) ==
		    NULL) {
			for (size_t k = 0; k < i; k++)
				free(ns[k].prefixes);
			free(ns);
			return fail_line(x, s->line, sub, "out of memory");
		}
		memcpy(ns[i].prefixes, p->prefixes + first, n *
		    sizeof(*ns[i].prefixes));
		ns[i].nprefixes = n;
	}
	if (s->nsubs > 0)
		memcpy(ns + pieces, s->subs, s->nsubs * sizeof(*ns));
	free(s->subs);
	s->subs = ns;
	s->nsubs += pieces;
	free(p->prefixes);
	p->prefixes = NULL;
	p->nprefixes = 0;
	return true;
}

static bool
rislive_check(struct ctx *x, const yaml_node_t *it, const char *sub,
    struct cfg_source *s)
{
	if (s->url == NULL && (s->url = strdup(RISLIVE_DEFAULT_URL)) == NULL)
		return fail(x, it, sub, "out of memory");
	if (s->backoff_max_ms < s->backoff_min_ms)
		return fail(x, it, sub, "rislive source '%s' has backoff_max "
		    "less than backoff_min", s->name);
	if (s->firehose && (s->prefix_sub.nprefixes > 0 || s->nsubs > 0))
		return fail(x, it, sub, "rislive source '%s': firehose takes "
		    "the whole stream, without prefixes or subscriptions",
		    s->name);
	return rislive_pieces(x, sub, s);
}

/* Once the whole file is read (the monitor section may come after the
 * sources): a rislive source with neither prefixes nor subscriptions of
 * its own subscribes to the monitored prefixes, or to the whole stream
 * when nothing is monitored or it says firehose; then the defaults that
 * depend on what it subscribes to. */
static bool
rislive_finish(struct ctx *x, struct config *c)
{
	const struct rpki_conf *m = &c->rpki;

	for (size_t i = 0; i < c->nsources; i++) {
		struct cfg_source *s = &c->sources[i];
		char sub[PATH_MAX_LEN];

		if (s->kind != CFG_SRC_RISLIVE)
			continue;
		snprintf(sub, sizeof(sub), "sources[%zu]", i);
		if (!s->firehose && s->nsubs == 0 && m->nmonitor > 0) {
			struct rislive_sub *p = &s->prefix_sub;

			if (m->nmonitor > (size_t)CFG_RISLIVE_SUBS_MAX *
			    RISLIVE_SUB_PREFIXES_MAX)
				return fail_line(x, s->line, sub, "rislive "
				    "source '%s' takes the %zu monitored "
				    "prefixes, and can subscribe to %d at "
				    "most: give it prefixes of its own, or "
				    "firehose: true", s->name, m->nmonitor,
				    CFG_RISLIVE_SUBS_MAX *
				    RISLIVE_SUB_PREFIXES_MAX);
			if ((p->prefixes = calloc(m->nmonitor,
			    sizeof(*p->prefixes))) == NULL)
				return fail_line(x, s->line, sub,
				    "out of memory");
			for (size_t k = 0; k < m->nmonitor; k++)
				trie_key_to_prefix(&m->monitor[k],
				    &p->prefixes[k]);
			p->nprefixes = (uint32_t)m->nmonitor;
			if (!rislive_pieces(x, sub, s))
				return false;
		}
		/* with the firehose or the heartbeat, silence means
		 * trouble */
		if (s->silence_s == UINT32_MAX)
			s->silence_s = s->nsubs == 0 || s->heartbeat ? 120 : 0;
		if (s->host_silence_s == UINT32_MAX)
			s->host_silence_s = s->nsubs == 0 || s->heartbeat ?
			    300 : 0;
	}
	return true;
}

static bool
sec_sources(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field fmrt[] = {
		{ "name", src_name }, { "type", src_type },
		{ "enabled", src_enabled }, { "tags", src_tags },
		{ "files", src_files }, { "speed", src_speed },
		{ "loop", src_loop }, { "clock", src_clock },
	};
	static const struct field fbgp[] = {
		{ "name", src_name }, { "type", src_type },
		{ "enabled", src_enabled }, { "tags", src_tags },
		{ "local_as", bgp_local_as }, { "router_id", bgp_router_id },
		{ "listen", bgp_listen }, { "connect_retry", bgp_retry },
		{ "peers", bgp_peers },
	};
	static const struct field frl[] = {
		{ "name", src_name }, { "type", src_type },
		{ "enabled", src_enabled }, { "tags", src_tags },
		{ "url", rl_url }, { "ca_file", rl_ca }, { "proxy", rl_proxy },
		{ "prefixes", rl_prefixes }, { "more_specific", rl_more },
		{ "less_specific", rl_less },
		{ "subscriptions", rl_subscriptions },
		{ "firehose", rl_firehose },
		{ "include_raw", rl_raw }, { "heartbeat", rl_heartbeat },
		{ "ping_interval", rl_ping },
		{ "silence_timeout", rl_silence },
		{ "collector_silence", rl_host_silence },
		{ "backoff_min", rl_backoff_min },
		{ "backoff_max", rl_backoff_max },
	};
	static const struct field fbmp[] = {
		{ "name", src_name }, { "type", src_type },
		{ "enabled", src_enabled }, { "tags", src_tags },
		{ "listen", bgp_listen }, { "routers", bmp_routers },
		{ "stale_time", bmp_stale }, { "capture", bmp_capture },
	};
	struct config *c = obj;
	size_t n;

	if (is_null(v))
		return true;		/* "sources:" with none */
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of sources, got %s",
		    node_kind(v));
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > CFG_SOURCES_MAX)
		return fail(x, v, path, "at most %d sources", CFG_SOURCES_MAX);
	c->sources = calloc(n ? n : 1, sizeof(*c->sources));
	if (c->sources == NULL)
		return fail(x, v, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc,
		    v->data.sequence.items.start[i]);
		struct cfg_source *s = &c->sources[i];
		yaml_node_t *type;
		char sub[PATH_MAX_LEN];
		bool ok;

		c->nsources = i + 1;
		s->enabled = true;
		s->heartbeat = true;
		s->ping_s = 30;
		s->silence_s = UINT32_MAX;
		s->host_silence_s = UINT32_MAX;
		s->backoff_min_ms = 1000;
		s->backoff_max_ms = 60000;
		rislive_sub_init(&s->prefix_sub);
		s->line = (unsigned)it->start_mark.line + 1;
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		/* the type says which keys belong */
		if ((type = map_get(x, it, "type")) != NULL) {
			char tsub[PATH_MAX_LEN + 8];

			snprintf(tsub, sizeof(tsub), "%s.type", sub);
			if (!src_type(x, type, tsub, s))
				return false;
		}
		if (s->kind == CFG_SRC_BGP)
			ok = walk_map(x, it, sub, fbgp, sizeof(fbgp) /
			    sizeof(fbgp[0]), s);
		else if (s->kind == CFG_SRC_BMP)
			ok = walk_map(x, it, sub, fbmp, sizeof(fbmp) /
			    sizeof(fbmp[0]), s);
		else if (s->kind == CFG_SRC_RISLIVE)
			ok = walk_map(x, it, sub, frl, sizeof(frl) /
			    sizeof(frl[0]), s);
		else
			ok = walk_map(x, it, sub, fmrt, sizeof(fmrt) /
			    sizeof(fmrt[0]), s);
		if (!ok)
			return false;
		if (s->name == NULL)
			return fail(x, it, sub, "a source needs a name");
		if (s->kind == CFG_SRC_NONE)
			return fail(x, it, sub, "source '%s' needs a type (mrt, "
			    "bgp, bmp or rislive)", s->name);
		if (s->kind == CFG_SRC_MRT && s->nfiles == 0)
			return fail(x, it, sub, "mrt source '%s' needs files",
			    s->name);
		if (s->kind == CFG_SRC_BGP && !bgp_check(x, it, sub, s))
			return false;
		if (s->kind == CFG_SRC_RISLIVE && !rislive_check(x, it, sub, s))
			return false;
		if (s->kind == CFG_SRC_BMP && (s->nlisten == 0 ||
		    s->nrouters == 0))
			return fail(x, it, sub, "bmp source '%s' needs listen "
			    "and routers", s->name);
		for (size_t j = 0; s->loop && j < s->nfiles; j++)
			if (strcmp(s->files[j], "-") == 0)
				return fail(x, it, sub, "source '%s': loop "
				    "cannot read standard input (-) twice",
				    s->name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->sources[j].name, s->name) == 0)
				return fail(x, it, sub, "name '%s' is taken by "
				    "the source at line %u", s->name,
				    c->sources[j].line);
	}
	return true;
}

/* --- monitor ----------------------------------------------------------------- */

static bool
mon_prefixes(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct rpki_conf *r = &((struct config *)obj)->rpki;
	struct bgp_prefix *p = NULL;
	uint32_t n = 0;
	bool ok;

	ok = get_prefixes(x, v, path, &p, &n, RPKI_MONITOR_MAX);
	if (ok && n > 0 && (r->monitor = calloc(n, sizeof(*r->monitor))) ==
	    NULL)
		ok = fail(x, v, path, "out of memory");
	for (uint32_t i = 0; ok && i < n; i++)
		trie_key_from_prefix(&p[i], &r->monitor[r->nmonitor++]);
	free(p);
	return ok;
}

static bool
sec_monitor(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field f[] = {
		{ "prefixes", mon_prefixes },
	};

	if (is_null(v))
		return true;
	return walk_map(x, v, path, f, sizeof(f) / sizeof(f[0]), obj);
}

/* --- rpki ---------------------------------------------------------------------- */

static bool
rs_name(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_name(x, v, path, &((struct rpki_src_conf *)obj)->name);
}

static bool
rs_type(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct rpki_src_conf *s = obj;
	const char *t = scalar(x, v, path, "json or rtr");

	if (t == NULL)
		return false;
	if (strcmp(t, "json") == 0)
		s->kind = RPKI_SRC_JSON;
	else if (strcmp(t, "rtr") == 0)
		s->kind = RPKI_SRC_RTR;
	else
		return fail(x, v, path, "expected json or rtr, got '%s'", t);
	return true;
}

static bool
rs_file(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct rpki_src_conf *)obj)->file);
}

static bool
rs_url(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct rpki_src_conf *s = obj;

	if (!get_str(x, v, path, &s->url))
		return false;
	if ((strncmp(s->url, "http://", 7) != 0 &&
	    strncmp(s->url, "https://", 8) != 0) || strlen(s->url) > 1000)
		return fail(x, v, path, "expected an http:// or https:// URL, "
		    "got '%.64s'", s->url);
	return true;
}

static bool
rs_ca(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct rpki_src_conf *)obj)->ca_file);
}

static bool
rs_seconds(struct ctx *x, const yaml_node_t *v, const char *path,
    unsigned long min, unsigned long max, uint32_t *out)
{
	unsigned long u;

	if (!get_uint(x, v, path, min, max, &u))
		return false;
	*out = (uint32_t)u;
	return true;
}

/* RFC 8210 section 6's ranges, which JSON sources share */
static bool
rs_refresh(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return rs_seconds(x, v, path, 1, 86400,
	    &((struct rpki_src_conf *)obj)->refresh_s);
}

static bool
rs_retry(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return rs_seconds(x, v, path, 1, 7200,
	    &((struct rpki_src_conf *)obj)->retry_s);
}

static bool
rs_expire(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return rs_seconds(x, v, path, 0, 172800,
	    &((struct rpki_src_conf *)obj)->expire_s);
}

static bool
rs_timeout(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return rs_seconds(x, v, path, 1, 3600,
	    &((struct rpki_src_conf *)obj)->timeout_s);
}

static bool
cache_host(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct rpki_cache_conf *)obj)->host);
}

static bool
cache_port(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct rpki_cache_conf *c = obj;
	unsigned long u;
	char buf[8];

	if (!get_uint(x, v, path, 1, 65535, &u))
		return false;
	snprintf(buf, sizeof(buf), "%lu", u);
	free(c->port);
	if ((c->port = strdup(buf)) == NULL)
		return fail(x, v, path, "out of memory");
	return true;
}

static bool
cache_pref(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	unsigned long u;

	if (!get_uint(x, v, path, 0, 255, &u))
		return false;
	((struct rpki_cache_conf *)obj)->preference = (uint8_t)u;
	return true;
}

static bool
rs_caches(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field f[] = {
		{ "host", cache_host }, { "port", cache_port },
		{ "preference", cache_pref },
	};
	struct rpki_src_conf *s = obj;
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of caches, got %s",
		    is_null(v) ? "nothing" : node_kind(v));
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n == 0 || n > RPKI_CACHES_MAX)
		return fail(x, v, path, "expected 1 to %d caches, got %zu",
		    RPKI_CACHES_MAX, n);
	if ((s->caches = calloc(n, sizeof(*s->caches))) == NULL)
		return fail(x, v, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc,
		    v->data.sequence.items.start[i]);
		struct rpki_cache_conf *c = &s->caches[i];
		char sub[PATH_MAX_LEN];

		s->ncaches = i + 1;
		c->preference = (uint8_t)(i + 1);
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if (!walk_map(x, it, sub, f, sizeof(f) / sizeof(f[0]), c))
			return false;
		if (c->host == NULL || c->port == NULL)
			return fail(x, it, sub, "a cache needs host and port");
	}
	return true;
}

static bool
rpki_aspa(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	struct rpki_conf *r = &((struct config *)obj)->rpki;
	const char *t = scalar(x, v, path, "upstream or downstream");

	if (t == NULL)
		return false;
	if (strcmp(t, "upstream") == 0)
		r->dir = ASPA_UPSTREAM;
	else if (strcmp(t, "downstream") == 0)
		r->dir = ASPA_DOWNSTREAM;
	else
		return fail(x, v, path, "expected upstream or downstream, got "
		    "'%s'", t);
	return true;
}

static bool
rpki_sources(struct ctx *x, const yaml_node_t *v, const char *path,
    void *obj)
{
	static const struct field fjson[] = {
		{ "name", rs_name }, { "type", rs_type }, { "file", rs_file },
		{ "url", rs_url }, { "ca_file", rs_ca },
		{ "refresh", rs_refresh }, { "expire", rs_expire },
		{ "timeout", rs_timeout },
	};
	static const struct field frtr[] = {
		{ "name", rs_name }, { "type", rs_type },
		{ "caches", rs_caches }, { "refresh", rs_refresh },
		{ "retry", rs_retry }, { "expire", rs_expire },
	};
	struct rpki_conf *r = &((struct config *)obj)->rpki;
	size_t n;

	if (is_null(v))
		return true;
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(x, v, path, "expected a list of RPKI sources, got "
		    "%s", node_kind(v));
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > RPKI_SOURCES_MAX)
		return fail(x, v, path, "at most %d RPKI sources",
		    RPKI_SOURCES_MAX);
	if (n > 0 && (r->src = calloc(n, sizeof(*r->src))) == NULL)
		return fail(x, v, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = yaml_document_get_node(&x->doc,
		    v->data.sequence.items.start[i]);
		struct rpki_src_conf *s = &r->src[i];
		yaml_node_t *type;
		char sub[PATH_MAX_LEN];
		bool rtr;

		r->nsrc = i + 1;
		s->line = (unsigned)it->start_mark.line + 1;
		s->expire_s = UINT32_MAX;
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if ((type = map_get(x, it, "type")) == NULL)
			return fail(x, it, sub, "an RPKI source needs a type "
			    "(json or rtr)");
		{
			char tsub[PATH_MAX_LEN + 8];

			snprintf(tsub, sizeof(tsub), "%s.type", sub);
			if (!rs_type(x, type, tsub, s))
				return false;
		}
		rtr = s->kind == RPKI_SRC_RTR;
		if (!walk_map(x, it, sub, rtr ? frtr : fjson, rtr ?
		    sizeof(frtr) / sizeof(frtr[0]) : sizeof(fjson) /
		    sizeof(fjson[0]), s))
			return false;
		if (s->name == NULL)
			return fail(x, it, sub, "an RPKI source needs a name");
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->src[j].name, s->name) == 0)
				return fail(x, it, sub, "name '%s' is taken by "
				    "the RPKI source at line %u", s->name,
				    r->src[j].line);
		if (rtr && s->ncaches == 0)
			return fail(x, it, sub, "rtr source '%s' needs caches",
			    s->name);
		if (!rtr && (s->file == NULL) == (s->url == NULL))
			return fail(x, it, sub, "json source '%s' needs a file "
			    "or a url (one of them)", s->name);
		if (!rtr && s->ca_file != NULL && s->url == NULL)
			return fail(x, it, sub, "json source '%s': ca_file is "
			    "for a url", s->name);
		/* RFC 8210 section 6's defaults */
		if (s->refresh_s == 0)
			s->refresh_s = rtr ? 3600 : 600;
		if (s->retry_s == 0)
			s->retry_s = 600;
		if (s->expire_s == UINT32_MAX)
			s->expire_s = 7200;
		if (s->timeout_s == 0)
			s->timeout_s = 60;
		if (rtr && s->expire_s == 0)
			return fail(x, it, sub, "rtr source '%s' needs expire "
			    "of 1 or more (RFC 8210 section 6)", s->name);
	}
	return true;
}

static bool
sec_rpki(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	static const struct field f[] = {
		{ "aspa", rpki_aspa }, { "sources", rpki_sources },
	};

	if (is_null(v))
		return true;
	return walk_map(x, v, path, f, sizeof(f) / sizeof(f[0]), obj);
}

/* --- top level ------------------------------------------------------------ */

static bool
top_data_dir(struct ctx *x, const yaml_node_t *v, const char *path, void *obj)
{
	return get_str(x, v, path, &((struct config *)obj)->data_dir);
}

bool
config_default(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->log.level = LOG_INFO;
	c->log.target = CFG_LOG_STDERR;
	c->api.port = DEFAULT_PORT;
	c->api.max_request_bytes = DEFAULT_MAXREQ;
	c->api.cache_mb = DEFAULT_CACHE_MB;
	c->api.stream_queue_kb = DEFAULT_STREAM_QUEUE_KB;
	c->rpki.dir = ASPA_DOWNSTREAM;
	c->data_dir = strdup("./var");
	c->log.ident = strdup("bgpsentry");
	c->api.host = strdup(DEFAULT_HOST);
	c->api.ui_dir = strdup(BGPS_UI_DIR);
	c->path = strdup("(embedded default)");
	c->embedded = true;
	if (c->data_dir == NULL || c->log.ident == NULL ||
	    c->api.host == NULL || c->api.ui_dir == NULL || c->path == NULL) {
		config_free(c);
		return false;
	}
	return true;
}

bool
config_parse(const char *name, const char *text, size_t len,
    struct config *c, char *err, size_t errlen)
{
	static const struct field f[] = {
		{ "data_dir", top_data_dir }, { "log", sec_log },
		{ "api", sec_api }, { "sources", sec_sources },
		{ "monitor", sec_monitor }, { "rpki", sec_rpki },
	};
	struct ctx x = { .file = name, .err = err, .errlen = errlen };
	yaml_parser_t p;
	yaml_node_t *root;
	bool ok = false;

	if (errlen > 0)
		err[0] = '\0';
	if (!config_default(c)) {
		snprintf(err, errlen, "%s: out of memory", name);
		return false;
	}
	if (len > CFG_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %u bytes", name,
		    CFG_FILE_MAX);
		config_free(c);
		return false;
	}
	if (!yaml_parser_initialize(&p)) {
		snprintf(err, errlen, "%s: out of memory", name);
		config_free(c);
		return false;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &x.doc)) {
		snprintf(err, errlen, "%s:%lu:%lu: not valid YAML: %s%s%s",
		    name, (unsigned long)p.problem_mark.line + 1,
		    (unsigned long)p.problem_mark.column + 1,
		    p.problem ? p.problem : "error",
		    p.context ? " " : "", p.context ? p.context : "");
		yaml_parser_delete(&p);
		config_free(c);
		return false;
	}
	root = yaml_document_get_root_node(&x.doc);
	if (root == NULL || is_null(root))
		ok = true;			/* empty: all defaults */
	else
		ok = walk_map(&x, root, "", f, sizeof(f) / sizeof(f[0]), c);
	if (ok)
		ok = rislive_finish(&x, c);
	free(c->path);
	c->path = NULL;
	c->embedded = false;
	if (ok && (c->path = strdup(name)) == NULL)
		ok = fail(&x, NULL, "", "out of memory");
	yaml_document_delete(&x.doc);
	yaml_parser_delete(&p);
	if (!ok)
		config_free(c);
	return ok;
}

bool
config_load(const char *path, struct config *c, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	bool ok;

	memset(c, 0, sizeof(*c));
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
		    strerror(errno));
		return false;
	}
	buf = malloc(CFG_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return false;
	}
	n = fread(buf, 1, CFG_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		ok = false;
	} else {
		ok = config_parse(path, buf, n, c, err, errlen);
	}
	fclose(f);
	free(buf);
	return ok;
}

static void
peer_conf_free(struct feed_bgp_peer_conf *p)
{
	free(p->password);
	free(p->description);
	p->password = p->description = NULL;
}

void
cfg_source_free(struct cfg_source *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	free(s->name);
	for (size_t i = 0; i < s->npeers; i++)
		peer_conf_free(&s->peers[i]);
	free(s->peers);
	free(s->listen);
	free(s->routers);
	free(s->capture_dir);
	free(s->url);
	free(s->ca_file);
	free(s->proxy);
	for (size_t i = 0; i < s->nsubs; i++)
		free(s->subs[i].prefixes);
	free(s->subs);
	free(s->prefix_sub.prefixes);
	memset(s, 0, sizeof(*s));
}

bool
cfg_source_copy(struct cfg_source *dst, const struct cfg_source *src)
{
	bool ok = true;

	*dst = *src;
	dst->nfiles = 0;
	dst->npeers = 0;
	dst->listen = NULL;
	dst->peers = NULL;
	dst->routers = NULL;
	dst->nrouters = 0;
	dst->capture_dir = NULL;
	dst->url = dst->ca_file = dst->proxy = NULL;
	dst->subs = NULL;
	dst->nsubs = 0;
	dst->prefix_sub.prefixes = NULL;
	dst->prefix_sub.nprefixes = 0;
	dst->name = strdup(src->name);
	dst->files = calloc(src->nfiles ? src->nfiles : 1, sizeof(char *));
	if (dst->name == NULL || dst->files == NULL)
		goto fail;
	for (; dst->nfiles < src->nfiles; dst->nfiles++)
		if ((dst->files[dst->nfiles] = strdup(src->files[
		    dst->nfiles])) == NULL)
			goto fail;
	if (src->nlisten > 0) {
		dst->listen = malloc(src->nlisten * sizeof(*dst->listen));
		if (dst->listen == NULL)
			goto fail;
		memcpy(dst->listen, src->listen, src->nlisten *
		    sizeof(*dst->listen));
	}
	if (src->nrouters > 0) {
		dst->routers = malloc(src->nrouters * sizeof(*dst->routers));
		if (dst->routers == NULL)
			goto fail;
		memcpy(dst->routers, src->routers, src->nrouters *
		    sizeof(*dst->routers));
		dst->nrouters = src->nrouters;
	}
	if (src->capture_dir != NULL &&
	    (dst->capture_dir = strdup(src->capture_dir)) == NULL)
		goto fail;
	dst->url = str_dup_opt(src->url, &ok);
	dst->ca_file = str_dup_opt(src->ca_file, &ok);
	dst->proxy = str_dup_opt(src->proxy, &ok);
	if (!ok)
		goto fail;
	if (src->nsubs > 0) {
		if ((dst->subs = calloc(src->nsubs, sizeof(*dst->subs))) ==
		    NULL)
			goto fail;
		for (; dst->nsubs < src->nsubs; dst->nsubs++) {
			struct rislive_sub *d = &dst->subs[dst->nsubs];
			const struct rislive_sub *o = &src->subs[dst->nsubs];

			*d = *o;
			d->prefixes = NULL;
			if (o->nprefixes > 0 && (d->prefixes = malloc(
			    o->nprefixes * sizeof(*d->prefixes))) == NULL) {
				d->nprefixes = 0;
				dst->nsubs++;
				goto fail;
			}
			if (o->nprefixes > 0)
				memcpy(d->prefixes, o->prefixes, o->nprefixes *
				    sizeof(*d->prefixes));
		}
	}
	if (src->npeers > 0) {
		dst->peers = calloc(src->npeers, sizeof(*dst->peers));
		if (dst->peers == NULL)
			goto fail;
		for (; dst->npeers < src->npeers; dst->npeers++) {
			struct feed_bgp_peer_conf *p = &dst->peers[dst->npeers];

			*p = src->peers[dst->npeers];
			p->password = str_dup_opt(p->password, &ok);
			p->description = str_dup_opt(p->description, &ok);
			if (!ok) {
				dst->npeers++;
				goto fail;
			}
		}
	}
	return true;
fail:
	cfg_source_free(dst);
	return false;
}

void
config_free(struct config *c)
{
	free(c->path);
	free(c->data_dir);
	free(c->log.file);
	free(c->log.ident);
	free(c->api.host);
	free(c->api.tls_cert);
	free(c->api.tls_key);
	free(c->api.ui_dir);
	for (size_t i = 0; i < c->api.ntokens; i++) {
		free(c->api.tokens[i].name);
		free(c->api.tokens[i].secret);
	}
	free(c->api.tokens);
	for (size_t i = 0; i < c->nsources; i++)
		cfg_source_free(&c->sources[i]);
	free(c->sources);
	rpki_conf_free(&c->rpki);
	memset(c, 0, sizeof(*c));
}

static bool
str_same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static bool
peer_conf_same(const struct feed_bgp_peer_conf *a,
    const struct feed_bgp_peer_conf *b)
{
	return a->afi == b->afi && memcmp(a->addr, b->addr, 16) == 0 &&
	    a->plen == b->plen && a->is_range == b->is_range &&
	    a->passive == b->passive && a->remote_as == b->remote_as &&
	    a->port == b->port && a->hold_time == b->hold_time &&
	    a->families == b->families && a->add_path == b->add_path &&
	    a->has_local == b->has_local &&
	    memcmp(a->local_addr, b->local_addr, 16) == 0 &&
	    a->max_prefixes == b->max_prefixes &&
	    a->max_action == b->max_action &&
	    a->max_restart_s == b->max_restart_s && a->tags == b->tags &&
	    str_same(a->password, b->password) &&
	    str_same(a->description, b->description);
}

bool
cfg_source_same(const struct cfg_source *a, const struct cfg_source *b)
{
	if (strcmp(a->name, b->name) != 0 || a->kind != b->kind ||
	    a->enabled != b->enabled || a->tags != b->tags ||
	    a->nfiles != b->nfiles || a->speed != b->speed ||
	    a->loop != b->loop || a->clock_now != b->clock_now ||
	    a->local_as != b->local_as || a->router_id != b->router_id ||
	    a->nlisten != b->nlisten || a->npeers != b->npeers ||
	    a->connect_retry_s != b->connect_retry_s ||
	    a->nrouters != b->nrouters || a->stale_s != b->stale_s ||
	    !str_same(a->capture_dir, b->capture_dir) ||
	    !str_same(a->url, b->url) || !str_same(a->ca_file, b->ca_file) ||
	    !str_same(a->proxy, b->proxy) || a->nsubs != b->nsubs ||
	    a->include_raw != b->include_raw ||
	    a->heartbeat != b->heartbeat || a->ping_s != b->ping_s ||
	    a->silence_s != b->silence_s ||
	    a->host_silence_s != b->host_silence_s ||
	    a->backoff_min_ms != b->backoff_min_ms ||
	    a->backoff_max_ms != b->backoff_max_ms)
		return false;
	for (size_t i = 0; i < a->nsubs; i++)
		if (!rislive_sub_equal(&a->subs[i], &b->subs[i]))
			return false;
	if (a->nrouters > 0 && memcmp(a->routers, b->routers, a->nrouters *
	    sizeof(*a->routers)) != 0)
		return false;
	for (size_t i = 0; i < a->nfiles; i++)
		if (strcmp(a->files[i], b->files[i]) != 0)
			return false;
	if (a->nlisten > 0 && memcmp(a->listen, b->listen, a->nlisten *
	    sizeof(*a->listen)) != 0)
		return false;
	for (size_t i = 0; i < a->npeers; i++)
		if (!peer_conf_same(&a->peers[i], &b->peers[i]))
			return false;
	return true;
}

const char *
cfg_source_kind_name(enum cfg_source_kind k)
{
	switch (k) {
	case CFG_SRC_MRT:
		return "mrt";
	case CFG_SRC_BGP:
		return "bgp";
	case CFG_SRC_BMP:
		return "bmp";
	case CFG_SRC_RISLIVE:
		return "rislive";
	default:
		return "?";
	}
}

const char *
cfg_role_name(enum cfg_role r)
{
	return r == CFG_ROLE_ADMIN ? "admin" : "read";
}
