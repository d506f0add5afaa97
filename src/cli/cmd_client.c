/* The CLI over the HTTP API: bgpsentry lg, asn, compare, sources, vps,
 * peers, stats, rpki, events, reload.
 * The daemon renders the answer (text for people, or JSON); these
 * commands find the daemon, ask, and print. The address and token come
 * from --api/--token, else BGPSENTRY_API/BGPSENTRY_TOKEN, else the
 * configuration file given with -c (its api.listen and first token),
 * else http://127.0.0.1:8179. */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/config.h"
#include "util/strbuf.h"

#define ANSWER_MAX	((size_t)1 << 30)

struct client {
	char		 base[300];
	const char	*token;
	char		*token_owned;
	const char	*cacert;	/* trusted besides the system's */
	char		*cacert_owned;
	bool		 json;
};

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct strbuf *b = arg;

	if (b->len + size * n > ANSWER_MAX)
		return 0;		/* curl stops: too large */
	sb_putn(b, p, size * n);
	return size * n;
}

/* GET (or POST) path; prints the answer to stdout, or the error to
 * stderr. Exit status: 0, 1 for an answer of 4xx/5xx, 2 when the daemon
 * cannot be reached. */
static int
call(struct client *c, const char *cmd, const char *path, bool post)
{
	char url[1800], auth[600], err[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = NULL;
	struct strbuf b;
	long status = 0;
	CURLcode rc;
	CURL *curl;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (curl = curl_easy_init()) == NULL) {
		fprintf(stderr, "bgpsentry %s: cannot start the HTTP client\n",
		    cmd);
		return EXIT_USAGE;
	}
	snprintf(url, sizeof(url), "%s%s", c->base, path);
	sb_init(&b);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	if (c->cacert != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, c->cacert);
	if (post) {
		curl_easy_setopt(curl, CURLOPT_POST, 1L);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
	}
	if (c->token != NULL && c->token[0] != '\0') {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		    c->token);
		h = curl_slist_append(h, auth);
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	}
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	if (rc != CURLE_OK) {
		fprintf(stderr, "bgpsentry %s: cannot reach the daemon at %s: "
		    "%s\n", cmd, c->base, err[0] ? err :
		    curl_easy_strerror(rc));
		sb_free(&b);
		return EXIT_USAGE;
	}
	if (status >= 400) {
		/* the daemon's JSON error, as it is */
		fprintf(stderr, "bgpsentry %s: %ld: %s", cmd, status,
		    sb_str(&b));
		if (b.len == 0 || b.s[b.len - 1] != '\n')
			fputc('\n', stderr);
		sb_free(&b);
		return EXIT_BAD_INPUT;
	}
	fwrite(sb_str(&b), 1, b.len, stdout);
	sb_free(&b);
	return 0;
}

/* Percent-encodes what a path element or argument must not carry. */
static void
escape(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	for (; *s != '\0' && n + 4 < cap; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~:/", ch) != NULL) {
			out[n++] = (char)ch;
		} else {
			out[n++] = '%';
			out[n++] = hex[ch >> 4];
			out[n++] = hex[ch & 15];
		}
	}
	out[n] = '\0';
}

static void
client_usage(FILE *f, const char *cmd)
{
	if (strcmp(cmd, "lg") == 0)
		fprintf(f, "usage: bgpsentry lg PREFIX [--more-specifics | "
		    "--less-specifics] [--json] [CONNECTION]\n"
		    "Every route for PREFIX across all sources and vantage "
		    "points of a running\ndaemon, grouped by source, with "
		    "the visibility summary.\n");
	else if (strcmp(cmd, "asn") == 0)
		fprintf(f, "usage: bgpsentry asn N [--json] [CONNECTION]\n"
		    "What AS N originates, with its upstreams and downstreams "
		    "seen in paths.\n");
	else if (strcmp(cmd, "compare") == 0)
		fprintf(f, "usage: bgpsentry compare PREFIX A B [--more-specifics "
		    "| --less-specifics]\n       [--json] [CONNECTION]\n"
		    "Where two views of PREFIX differ: A and B are each a "
		    "source's name or a\ntag (own-router, upstream, collector, "
		    "route-server).\n");
	else if (strcmp(cmd, "reload") == 0)
		fprintf(f, "usage: bgpsentry reload [CONNECTION]\n"
		    "Makes the daemon re-read its configuration file (an "
		    "admin token if tokens\nare configured).\n");
	else if (strcmp(cmd, "bmp") == 0)
		fprintf(f, "usage: bgpsentry bmp [--json] [CONNECTION]\n"
		    "       bgpsentry bmp dump FILE...\n"
		    "The BMP routers of the daemon's bmp sources, their peers "
		    "and tables; dump:\nthe messages of raw BMP streams.\n");
	else if (strcmp(cmd, "rislive") == 0)
		fprintf(f, "usage: bgpsentry rislive [--json] [CONNECTION]\n"
		    "The daemon's RIS Live clients: connection, subscriptions, "
		    "counters, gaps\nand the collectors heard.\n");
	else if (strcmp(cmd, "peers") == 0)
		fprintf(f, "usage: bgpsentry peers [--json] [CONNECTION]\n"
		    "       bgpsentry peers refresh ADDRESS [CONNECTION]\n"
		    "The BGP peers of the daemon's bgp sources: state, uptime, "
		    "prefixes per\nfamily, messages, last error; refresh asks "
		    "an established peer to send\nits routes again (RFC 2918; "
		    "an admin token if tokens are configured).\n");
	else if (strcmp(cmd, "rpki") == 0)
		fprintf(f, "usage: bgpsentry rpki validate PREFIX [ASN] [--path "
		    "\"A B C\"]\n           [--direction upstream|downstream] "
		    "[--json] [CONNECTION]\n"
		    "       bgpsentry rpki status [--json] [CONNECTION]\n"
		    "       bgpsentry rpki diff [--json] [CONNECTION]\n"
		    "       bgpsentry rpki changes [--after SEQ] [--limit N] "
		    "[--json] [CONNECTION]\n"
		    "validate: the ROV state of PREFIX originated by ASN (or "
		    "by the path's last AS)\nwith the VRPs that decide it, and "
		    "with a path (the neighbor first) its ASPA\nstate and each "
		    "hop; status: the RPKI sources, their caches and counts;\n"
		    "diff: what the last change of the tables changed for the "
		    "monitored prefixes;\nchanges: the routes whose state "
		    "changed with the tables, numbered, oldest first\n(after "
		    "SEQ, at most N: 1000 unless asked; the latest 65536 are "
		    "kept).\n");
	else if (strcmp(cmd, "events") == 0)
		fprintf(f, "usage: bgpsentry events [--json] [CONNECTION]\n"
		    "The daemon's recent source events (each change of a "
		    "source's state, the\nRPKI sources' too, the latest "
		    "1024), oldest first.\n");
	else if (strcmp(cmd, "stats") == 0)
		fprintf(f, "usage: bgpsentry stats [--json] [CONNECTION]\n"
		    "The daemon's RIB: routes, VPs and memory per "
		    "subsystem.\n");
	else
		fprintf(f, "usage: bgpsentry %s [--json] [CONNECTION]\n"
		    "The daemon's %s with their state and counters.\n", cmd,
		    strcmp(cmd, "vps") == 0 ? "vantage points" : "sources");
	fprintf(f, "CONNECTION: --api URL (default $BGPSENTRY_API, or "
	    "http://127.0.0.1:8179),\n  --token TOKEN (default "
	    "$BGPSENTRY_TOKEN), --cacert FILE (a CA or certificate to\n"
	    "  trust besides the system's; default $BGPSENTRY_CACERT), or "
	    "-c FILE (its api.listen,\n  first token and TLS "
	    "certificate)\n");
}

/* Connection options, consumed from argv; false on a usage error. */
static bool
connection(struct client *c, const char *cmd, int *argc, char **argv)
{
	const char *api = getenv("BGPSENTRY_API"), *file = NULL;
	int out = 1;

	c->token = getenv("BGPSENTRY_TOKEN");
	c->cacert = getenv("BGPSENTRY_CACERT");
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--api") == 0 && i + 1 < *argc)
			api = argv[++i];
		else if (strcmp(argv[i], "--token") == 0 && i + 1 < *argc)
			c->token = argv[++i];
		else if (strcmp(argv[i], "--cacert") == 0 && i + 1 < *argc)
			c->cacert = argv[++i];
		else if ((strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0) && i + 1 < *argc)
			file = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			c->json = true;
		else
			argv[out++] = argv[i];
	}
	*argc = out;
	if (file != NULL) {
		char err[CFG_ERR_MAX];
		struct config cfg;

		if (!config_load(file, &cfg, err, sizeof(err))) {
			fprintf(stderr, "bgpsentry %s: %s\n", cmd, err);
			return false;
		}
		snprintf(c->base, sizeof(c->base), "%s://%s%s%s:%u",
		    cfg.api.tls_cert != NULL ? "https" : "http",
		    strchr(cfg.api.host, ':') ? "[" : "", cfg.api.host,
		    strchr(cfg.api.host, ':') ? "]" : "", cfg.api.port);
		if (c->token == NULL && cfg.api.ntokens > 0)
			c->token = c->token_owned =
			    strdup(cfg.api.tokens[0].secret);
		/* the daemon's own certificate, trusted as it is (it may
		 * be self-signed) */
		if (c->cacert == NULL && cfg.api.tls_cert != NULL)
			c->cacert = c->cacert_owned =
			    strdup(cfg.api.tls_cert);
		config_free(&cfg);
	} else {
		snprintf(c->base, sizeof(c->base), "%s", api != NULL ? api :
		    "http://127.0.0.1:8179");
	}
	/* no trailing slash: paths start with one */
	for (size_t n = strlen(c->base); n > 0 && c->base[n - 1] == '/'; n--)
		c->base[n - 1] = '\0';
	return true;
}

/* rpki changes [--after SEQ] [--limit N]: the path to ask; false on a
 * usage error (the daemon checks the numbers). */
static bool
rpki_changes_path(int argc, char **argv, const char *fmt, char *path,
    size_t cap)
{
	char after[40] = "", limit[40] = "", v[24];
	int i;

	for (i = 2; i + 1 < argc; i += 2) {
		escape(argv[i + 1], v, sizeof(v));
		if (strcmp(argv[i], "--after") == 0)
			snprintf(after, sizeof(after), "&after=%s", v);
		else if (strcmp(argv[i], "--limit") == 0)
			snprintf(limit, sizeof(limit), "&limit=%s", v);
		else
			return false;
	}
	if (i != argc)
		return false;
	snprintf(path, cap, "/api/v1/rpki/changes?format=%s%s%s", fmt, after,
	    limit);
	return true;
}

int
cmd_client(int argc, char **argv)
{
	const char *cmd = argv[0];
	struct client c = { .json = false };
	char path[1400], arg[400];
	const char *fmt;
	int rc = EXIT_USAGE;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		client_usage(stdout, cmd);
		return 0;
	}
	if (!connection(&c, cmd, &argc, argv))
		return EXIT_BAD_INPUT;
	fmt = c.json ? "json" : "text";
	if (strcmp(cmd, "lg") == 0) {
		const char *prefix = NULL, *match = "";

		for (int i = 1; i < argc; i++) {
			if (strcmp(argv[i], "--more-specifics") == 0)
				match = "&more_specifics=1";
			else if (strcmp(argv[i], "--less-specifics") == 0)
				match = "&less_specifics=1";
			else if (prefix == NULL && argv[i][0] != '-')
				prefix = argv[i];
			else
				goto usage;
		}
		if (prefix == NULL)
			goto usage;
		escape(prefix, arg, sizeof(arg));
		snprintf(path, sizeof(path), "/api/v1/prefix/%s?format=%s%s",
		    arg, fmt, match);
		rc = call(&c, cmd, path, false);
	} else if (strcmp(cmd, "asn") == 0) {
		if (argc != 2 || argv[1][0] == '-')
			goto usage;
		escape(argv[1], arg, sizeof(arg));
		snprintf(path, sizeof(path), "/api/v1/asn/%s?format=%s", arg,
		    fmt);
		rc = call(&c, cmd, path, false);
	} else if (strcmp(cmd, "compare") == 0) {
		const char *pos[3] = { NULL, NULL, NULL }, *match = "";
		char a[200], b[200];
		int np = 0;

		for (int i = 1; i < argc; i++) {
			if (strcmp(argv[i], "--more-specifics") == 0)
				match = "&more_specifics=1";
			else if (strcmp(argv[i], "--less-specifics") == 0)
				match = "&less_specifics=1";
			else if (np < 3 && argv[i][0] != '-')
				pos[np++] = argv[i];
			else
				goto usage;
		}
		if (np != 3)
			goto usage;
		escape(pos[0], arg, sizeof(arg));
		escape(pos[1], a, sizeof(a));
		escape(pos[2], b, sizeof(b));
		snprintf(path, sizeof(path), "/api/v1/compare?prefix=%s&a=%s&"
		    "b=%s&format=%s%s", arg, a, b, fmt, match);
		rc = call(&c, cmd, path, false);
	} else if (strcmp(cmd, "sources") == 0 || strcmp(cmd, "vps") == 0 ||
	    strcmp(cmd, "stats") == 0 || strcmp(cmd, "bmp") == 0 ||
	    strcmp(cmd, "rislive") == 0 || strcmp(cmd, "events") == 0) {
		if (argc != 1)
			goto usage;
		snprintf(path, sizeof(path), "/api/v1/%s?format=%s", cmd, fmt);
		rc = call(&c, cmd, path, false);
	} else if (strcmp(cmd, "peers") == 0) {
		if (argc == 3 && strcmp(argv[1], "refresh") == 0 && !c.json) {
			escape(argv[2], arg, sizeof(arg));
			snprintf(path, sizeof(path), "/api/v1/peers/refresh?"
			    "peer=%s", arg);
			rc = call(&c, cmd, path, true);
		} else if (argc == 1) {
			snprintf(path, sizeof(path), "/api/v1/peers?format=%s",
			    fmt);
			rc = call(&c, cmd, path, false);
		} else {
			goto usage;
		}
	} else if (strcmp(cmd, "rpki") == 0) {
		if (argc == 2 && (strcmp(argv[1], "status") == 0 ||
		    strcmp(argv[1], "diff") == 0)) {
			snprintf(path, sizeof(path), "/api/v1/rpki/%s?format=%s",
			    argv[1], fmt);
			rc = call(&c, cmd, path, false);
		} else if (argc >= 2 && strcmp(argv[1], "changes") == 0) {
			if (!rpki_changes_path(argc, argv, fmt, path,
			    sizeof(path)))
				goto usage;
			rc = call(&c, cmd, path, false);
		} else if (argc >= 3 && strcmp(argv[1], "validate") == 0) {
			const char *prefix = NULL, *asn = NULL, *aspath = NULL;
			const char *dir = NULL;
			char p2[600], a2[40];
			size_t n;

			for (int i = 2; i < argc; i++) {
				if (strcmp(argv[i], "--path") == 0 &&
				    i + 1 < argc)
					aspath = argv[++i];
				else if (strcmp(argv[i], "--direction") == 0 &&
				    i + 1 < argc)
					dir = argv[++i];
				else if (argv[i][0] == '-')
					goto usage;
				else if (prefix == NULL)
					prefix = argv[i];
				else if (asn == NULL)
					asn = argv[i];
				else
					goto usage;
			}
			if (prefix == NULL || (asn == NULL && aspath == NULL))
				goto usage;
			escape(prefix, arg, sizeof(arg));
			n = (size_t)snprintf(path, sizeof(path),
			    "/api/v1/rpki/validate?prefix=%s&format=%s", arg,
			    fmt);
			if (asn != NULL) {
				escape(asn, a2, sizeof(a2));
				n += (size_t)snprintf(path + n, sizeof(path) - n,
				    "&asn=%s", a2);
			}
			if (aspath != NULL && n < sizeof(path)) {
				escape(aspath, p2, sizeof(p2));
				n += (size_t)snprintf(path + n, sizeof(path) - n,
				    "&path=%s", p2);
			}
			if (dir != NULL && n < sizeof(path))
				snprintf(path + n, sizeof(path) - n,
				    "&direction=%s", strcmp(dir, "up") == 0 ?
				    "upstream" : strcmp(dir, "down") == 0 ?
				    "downstream" : dir);
			rc = call(&c, cmd, path, false);
		} else {
			goto usage;
		}
	} else if (strcmp(cmd, "reload") == 0) {
		if (argc != 1 || c.json)
			goto usage;
		rc = call(&c, cmd, "/api/v1/reload", true);
	}
	free(c.token_owned);
	free(c.cacert_owned);
	return rc;
usage:
	client_usage(stderr, cmd);
	free(c.token_owned);
	free(c.cacert_owned);
	return EXIT_USAGE;
}
