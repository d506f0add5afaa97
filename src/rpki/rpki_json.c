/* VRP and ASPA JSON, read with yajl's event parser (see rpki_json.h). */
#include "rpki/rpki_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "util/grow.h"
#include "util/zstream.h"
#include "wire/bgp.h"

/* What the container at each depth is. */
enum ctx { C_TOP, C_META, C_ROAS, C_ROA, C_ASPAS, C_ASPA, C_PROVS, C_PROV };

/* The members we read; K_OTHER for the rest. */
enum key { K_NONE, K_OTHER, K_ROAS, K_ASPAS, K_METADATA, K_PREFIX,
    K_MAXLEN, K_ASN, K_CUSTOMER, K_PROVIDERS, K_PROVIDER, K_TIME };

#define DEPTH_MAX	8

struct rpki_json {
	yajl_handle	 h;
	uint32_t	 src;
	unsigned	 depth;
	enum ctx	 ctx[DEPTH_MAX];
	enum key	 key[DEPTH_MAX];	/* the member being read */
	unsigned	 skip;		/* > 0: inside a value skipped */
	bool		 failed;
	bool		 seen_top;
	uint64_t	 fed;		/* bytes before the current piece */
	char		 err[RPKI_JSON_ERR_MAX];
	char		 time[RPKI_JSON_TIME_MAX];
	/* the entry being read */
	size_t		 nroas;		/* entries begun */
	size_t		 naspas;
	size_t		 nprov;		/* of the current ASPA */
	struct vrp	 roa;
	bool		 has_prefix, has_maxlen, has_asn;
	int		 maxlen;
	uint32_t	 customer;
	bool		 has_customer, has_providers;
	size_t		 first_pair;	/* of the current ASPA */
	bool		 prov_set;	/* a {"provider_asid"} object's */
	/* what was read */
	struct vrp	*v;
	size_t		 nv, cap_v;
	struct aspa_pair *p;
	size_t		 np, cap_p;
};

static int __attribute__((format(printf, 2, 3)))
fail(struct rpki_json *j, const char *fmt, ...)
{
	char what[RPKI_JSON_ERR_MAX - 64];	/* room for where */
	enum ctx c = j->depth > 0 ? j->ctx[j->depth - 1] : C_TOP;
	va_list ap;

	if (j->failed)
		return 0;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c == C_ROA)
		snprintf(j->err, sizeof(j->err), "roas[%zu]: %s", j->nroas - 1,
		    what);
	else if (c == C_ASPA)
		snprintf(j->err, sizeof(j->err), "aspas[%zu]: %s",
		    j->naspas - 1, what);
	else if (c == C_PROVS || c == C_PROV)
		snprintf(j->err, sizeof(j->err), "aspas[%zu].providers[%zu]: "
		    "%s", j->naspas - 1, j->nprov - 1, what);
	else
		snprintf(j->err, sizeof(j->err), "%s", what);
	j->failed = true;
	return 0;
}

static enum key
key_of(enum ctx c, const unsigned char *s, size_t n)
{
	static const struct {
		enum ctx	 c;
		const char	*name;
		enum key	 k;
	} keys[] = {
		{ C_TOP, "roas", K_ROAS },
		{ C_TOP, "aspas", K_ASPAS },
		{ C_TOP, "metadata", K_METADATA },
		{ C_META, "buildtime", K_TIME },
		{ C_META, "generatedTime", K_TIME },
		{ C_ROA, "prefix", K_PREFIX },
		{ C_ROA, "maxLength", K_MAXLEN },
		{ C_ROA, "asn", K_ASN },
		{ C_ASPA, "customer_asid", K_CUSTOMER },
		{ C_ASPA, "customer", K_CUSTOMER },
		{ C_ASPA, "providers", K_PROVIDERS },
		{ C_PROV, "provider_asid", K_PROVIDER },
		{ C_PROV, "asid", K_PROVIDER },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].c == c && strlen(keys[i].name) == n &&
		    memcmp(keys[i].name, s, n) == 0)
			return keys[i].k;
	return K_OTHER;
}

static const char *
key_name(enum key k)
{
	switch (k) {
	case K_ROAS:		return "roas";
	case K_ASPAS:		return "aspas";
	case K_PREFIX:		return "prefix";
	case K_MAXLEN:		return "maxLength";
	case K_ASN:		return "asn";
	case K_CUSTOMER:	return "customer";
	case K_PROVIDERS:	return "providers";
	case K_PROVIDER:	return "provider_asid";
	default:		return "value";
	}
}

/* Where the value now coming goes: the container and its member. */
static enum ctx
here(const struct rpki_json *j, enum key *k)
{
	*k = j->key[j->depth - 1];
	return j->ctx[j->depth - 1];
}

/* "64496", or "AS64496" when text (Routinator's spelling); 0 to 2^32-1,
 * plain decimal. */
static bool
read_asn(const char *s, size_t n, bool text, uint32_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (text && n >= 2 && (s[0] == 'A' || s[0] == 'a') &&
	    (s[1] == 'S' || s[1] == 's'))
		i = 2;
	if (i == n || n - i > 10)
		return false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int
add_provider(struct rpki_json *j, const char *s, size_t n, bool text)
{
	struct aspa_pair *p;
	uint32_t asn;

	if (!read_asn(s, n, text, &asn))
		return fail(j, "%.*s is not an AS number", (int)(n > 24 ? 24 :
		    n), s);
	if (j->has_customer && asn == j->customer)
		return fail(j, "the customer AS%u as its own provider", asn);
	if (j->np - j->first_pair >= RPKI_ASPA_PROVIDERS_MAX)
		return fail(j, "more than %u providers",
		    RPKI_ASPA_PROVIDERS_MAX);
	if (j->np == RPKI_ASPA_PAIRS_MAX || (p = grow_array(j->p, &j->cap_p,
	    j->np, sizeof(*j->p))) == NULL)
		return fail(j, "more than %u customer-provider pairs, or out "
		    "of memory", RPKI_ASPA_PAIRS_MAX);
	j->p = p;
	/* the customer may come after the providers: set at the end */
	j->p[j->np].provider = asn;
	j->p[j->np].src = j->src;
	j->p[j->np++].customer = 0;
	return 1;
}

/* A scalar: s (n bytes) as given, text for a string. */
static int
scalar(struct rpki_json *j, const char *s, size_t n, bool text,
    bool number)
{
	struct bgp_prefix p;
	char buf[64];
	enum key k;
	enum ctx c;

	if (j->skip > 0)
		return 1;
	if (j->depth == 0)
		return fail(j, "the text is not a JSON object");
	switch ((c = here(j, &k))) {
	case C_TOP:
		if (k == K_ROAS || k == K_ASPAS)
			return fail(j, "%s: not a list", key_name(k));
		if (k == K_METADATA)
			return fail(j, "metadata: not an object");
		return 1;
	case C_META:
		if (k == K_TIME && text)
			snprintf(j->time, sizeof(j->time), "%.*s", (int)n, s);
		return 1;
	case C_ROAS:
		j->nroas++;
		j->depth++;
		j->ctx[j->depth - 1] = C_ROA;
		fail(j, "not an object");
		return 0;
	case C_ASPAS:
		j->naspas++;
		j->depth++;
		j->ctx[j->depth - 1] = C_ASPA;
		fail(j, "not an object");
		return 0;
	case C_PROVS:
		j->nprov++;
		if (!number && !text)
			return fail(j, "not an AS number");
		return add_provider(j, s, n, text);
	case C_PROV:
		if (k != K_PROVIDER)
			return 1;
		if (j->prov_set)
			return fail(j, "provider_asid given twice");
		j->prov_set = true;
		if (!number && !text)
			return fail(j, "provider_asid is not an AS number");
		return add_provider(j, s, n, text);
	case C_ROA:
		break;
	case C_ASPA:
		if (k == K_PROVIDERS)
			return fail(j, "providers: not a list");
		if (k != K_CUSTOMER)
			return 1;
		if (j->has_customer)
			return fail(j, "the customer given twice");
		if ((!number && !text) || !read_asn(s, n, text, &j->customer))
			return fail(j, "customer %.*s is not an AS number",
			    (int)(n > 24 ? 24 : n), s);
		j->has_customer = true;
		for (size_t i = j->first_pair; i < j->np; i++)
			if (j->p[i].provider == j->customer)
				return fail(j, "the customer AS%u as its own "
				    "provider", j->customer);
		return 1;
	}
	(void)c;
	switch (k) {
	case K_PREFIX:
		if (j->has_prefix)
			return fail(j, "prefix given twice");
		if (!text || n >= sizeof(buf))
			return fail(j, "prefix is not a prefix");
		memcpy(buf, s, n);
		buf[n] = '\0';
		if (!bgp_prefix_parse(buf, &p))
			return fail(j, "\"%s\" is not a prefix", buf);
		if (!bgp_prefix_parse_exact(buf, &p))
			return fail(j, "\"%s\" has bits set past its length",
			    buf);
		{
			struct trie_key tk;

			trie_key_from_prefix(&p, &tk);
			vrp_set_key(&j->roa, &tk);
		}
		j->has_prefix = true;
		return 1;
	case K_MAXLEN:
		if (j->has_maxlen)
			return fail(j, "maxLength given twice");
		if (!number)
			return fail(j, "maxLength is not a number");
		j->maxlen = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '9' || j->maxlen > 1000)
				return fail(j, "maxLength %.*s is not a "
				    "length", (int)(n > 24 ? 24 : n), s);
			j->maxlen = j->maxlen * 10 + (s[i] - '0');
		}
		j->has_maxlen = true;
		return 1;
	case K_ASN:
		if (j->has_asn)
			return fail(j, "asn given twice");
		if ((!number && !text) || !read_asn(s, n, text, &j->roa.asn))
			return fail(j, "asn %.*s is not an AS number",
			    (int)(n > 24 ? 24 : n), s);
		j->has_asn = true;
		return 1;
	default:
		return 1;
	}
}

static int
roa_end(struct rpki_json *j)
{
	struct vrp *v;
	unsigned bits;

	if (!j->has_prefix)
		return fail(j, "no prefix");
	if (!j->has_asn)
		return fail(j, "no asn");
	bits = j->roa.v6 ? 128 : 32;
	/* RFC 6482: no maxLength means the prefix's length */
	if (!j->has_maxlen)
		j->maxlen = j->roa.len;
	if (j->maxlen < j->roa.len)
		return fail(j, "maxLength %d is less than the prefix length %u",
		    j->maxlen, j->roa.len);
	if ((unsigned)j->maxlen > bits)
		return fail(j, "maxLength %d is more than %u", j->maxlen,
		    bits);
	j->roa.maxlen = (uint8_t)j->maxlen;
	j->roa.src = j->src;
	if (j->nv == RPKI_VRPS_MAX || (v = grow_array(j->v, &j->cap_v, j->nv,
	    sizeof(*j->v))) == NULL)
		return fail(j, "more than %u VRPs, or out of memory",
		    RPKI_VRPS_MAX);
	j->v = v;
	j->v[j->nv++] = j->roa;
	return 1;
}

static int
aspa_end(struct rpki_json *j)
{
	if (!j->has_customer)
		return fail(j, "no customer");
	if (!j->has_providers)
		return fail(j, "no providers");
	if (j->np == j->first_pair)
		return fail(j, "an empty provider list (AS 0 says none)");
	for (size_t i = j->first_pair; i < j->np; i++)
		j->p[i].customer = j->customer;
	return 1;
}

static int
container_start(struct rpki_json *j, bool map)
{
	enum ctx c, nc;
	enum key k;

	if (j->skip > 0) {
		j->skip++;
		return 1;
	}
	if (j->depth == 0) {
		if (!map || j->seen_top)
			return fail(j, "the text is not a JSON object");
		j->seen_top = true;
		j->ctx[0] = C_TOP;
		j->key[0] = K_NONE;
		j->depth = 1;
		return 1;
	}
	c = here(j, &k);
	switch (c) {
	case C_TOP:
		if (k == K_ROAS || k == K_ASPAS) {
			if (map)
				return fail(j, "%s: not a list", key_name(k));
			nc = k == K_ROAS ? C_ROAS : C_ASPAS;
		} else if (k == K_METADATA && map)
			nc = C_META;
		else {
			j->skip = 1;
			return 1;
		}
		break;
	case C_ROAS:
	case C_ASPAS:
		if (c == C_ROAS)
			j->nroas++;
		else
			j->naspas++;
		nc = c == C_ROAS ? C_ROA : C_ASPA;
		if (!map) {
			j->ctx[j->depth++] = nc;
			return fail(j, "not an object");
		}
		memset(&j->roa, 0, sizeof(j->roa));
		j->has_prefix = j->has_maxlen = j->has_asn = false;
		j->has_customer = j->has_providers = false;
		j->first_pair = j->np;
		j->nprov = 0;
		break;
	case C_ROA:
	case C_ASPA:
		if (c == C_ASPA && k == K_PROVIDERS && !map) {
			if (j->has_providers)
				return fail(j, "providers given twice");
			j->has_providers = true;
			nc = C_PROVS;
			break;
		}
		if (k != K_OTHER)
			return fail(j, "%s is not a %s", key_name(k),
			    k == K_PREFIX ? "string" : k == K_PROVIDERS ?
			    "list" : "number");
		j->skip = 1;
		return 1;
	case C_PROVS:
		j->nprov++;
		if (!map)
			return fail(j, "not an AS number");
		j->prov_set = false;
		nc = C_PROV;
		break;
	default:
		j->skip = 1;
		return 1;
	}
	if (j->depth == DEPTH_MAX)
		return fail(j, "nested too deep");
	j->ctx[j->depth] = nc;
	j->key[j->depth] = K_NONE;
	j->depth++;
	return 1;
}

static int
container_end(struct rpki_json *j)
{
	enum ctx c;

	if (j->skip > 0) {
		j->skip--;
		return 1;
	}
	/* errors name the entry: it is left after its checks */
	c = j->ctx[j->depth - 1];
	if ((c == C_ROA && !roa_end(j)) || (c == C_ASPA && !aspa_end(j)) ||
	    (c == C_PROV && !j->prov_set && !fail(j, "no provider_asid")))
		return 0;
	j->depth--;
	return 1;
}

static int
on_null(void *ctx)
{
	return scalar(ctx, "null", 4, false, false);
}

static int
on_bool(void *ctx, int b)
{
	return scalar(ctx, b ? "true" : "false", b ? 4 : 5, false, false);
}

static int
on_number(void *ctx, const char *s, size_t n)
{
	return scalar(ctx, s, n, false, true);
}

static int
on_string(void *ctx, const unsigned char *s, size_t n)
{
	return scalar(ctx, (const char *)s, n, true, false);
}

static int
on_key(void *ctx, const unsigned char *s, size_t n)
{
	struct rpki_json *j = ctx;

	if (j->skip == 0)
		j->key[j->depth - 1] = key_of(j->ctx[j->depth - 1], s, n);
	return 1;
}

static int
on_start_map(void *ctx)
{
	return container_start(ctx, true);
}

static int
on_end(void *ctx)
{
	return container_end(ctx);
}

static int
on_start_array(void *ctx)
{
	return container_start(ctx, false);
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_bool,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_key,
	.yajl_end_map = on_end,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end,
};

struct rpki_json *
rpki_json_new(uint32_t src)
{
	struct rpki_json *j;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	j->src = src;
	if ((j->h = yajl_alloc(&callbacks, NULL, j)) == NULL) {
		free(j);
		return NULL;
	}
	return j;
}

static bool
status(struct rpki_json *j, yajl_status st, const unsigned char *buf,
    size_t len)
{
	unsigned char *msg;

	if (st == yajl_status_ok)
		return true;
	if (!j->failed) {
		msg = yajl_get_error(j->h, 0, buf, len);
		snprintf(j->err, sizeof(j->err), "not JSON at byte %llu: %s",
		    (unsigned long long)(j->fed + yajl_get_bytes_consumed(
		    j->h)), msg != NULL ? (const char *)msg : "?");
		if (msg != NULL)
			yajl_free_error(j->h, msg);
		for (char *e = j->err; *e != '\0'; e++)
			if (*e == '\n')
				*e = ' ';
		for (size_t n = strlen(j->err); n > 0 && j->err[n - 1] == ' ';)
			j->err[--n] = '\0';
		j->failed = true;
	}
	return false;
}

bool
rpki_json_feed(struct rpki_json *j, const void *buf, size_t len)
{
	bool ok;

	if (j->failed)
		return false;
	ok = status(j, yajl_parse(j->h, buf, len), buf, len);
	j->fed += len;
	return ok;
}

bool
rpki_json_end(struct rpki_json *j)
{
	if (j->failed)
		return false;
	if (j->fed > 0 && !status(j, yajl_complete_parse(j->h), NULL, 0))
		return false;
	if (!j->seen_top) {
		snprintf(j->err, sizeof(j->err), "no JSON text");
		j->failed = true;
		return false;
	}
	return true;
}

const char *
rpki_json_error(const struct rpki_json *j)
{
	return j->err;
}

void
rpki_json_take(struct rpki_json *j, struct vrp **v, size_t *nv,
    struct aspa_pair **p, size_t *np)
{
	*v = j->v;
	*nv = j->nv;
	*p = j->p;
	*np = j->np;
	j->v = NULL;
	j->p = NULL;
	j->nv = j->np = j->cap_v = j->cap_p = 0;
}

const char *
rpki_json_time(const struct rpki_json *j)
{
	return j->time;
}

size_t
rpki_json_roas(const struct rpki_json *j)
{
	return j->nroas;
}

size_t
rpki_json_aspas(const struct rpki_json *j)
{
	return j->naspas;
}

void
rpki_json_free(struct rpki_json *j)
{
	if (j == NULL)
		return;
	yajl_free(j->h);
	free(j->v);
	free(j->p);
	free(j);
}

bool
rpki_json_load_file(const char *path, uint32_t src, struct vrp **v,
    size_t *nv, struct aspa_pair **p, size_t *np, char *err, size_t errlen)
{
	static const size_t piece = 1 << 18;
	struct rpki_json *j;
	struct zstream *z;
	unsigned char *buf;
	ssize_t n;
	bool ok = true;

	if ((z = zstream_open(path, err, errlen)) == NULL)
		return false;
	j = rpki_json_new(src);
	buf = malloc(piece);
	if (j == NULL || buf == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		ok = false;
	}
	while (ok && (n = zstream_read(z, buf, piece)) != 0) {
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, zstream_error(z));
			ok = false;
		} else if (!rpki_json_feed(j, buf, (size_t)n)) {
			snprintf(err, errlen, "%s: %s", path,
			    rpki_json_error(j));
			ok = false;
		}
	}
	if (ok && !rpki_json_end(j)) {
		snprintf(err, errlen, "%s: %s", path, rpki_json_error(j));
		ok = false;
	}
	if (ok)
		rpki_json_take(j, v, nv, p, np);
	rpki_json_free(j);
	free(buf);
	zstream_close(z);
	return ok;
}
