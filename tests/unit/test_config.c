#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "config/config.h"
#include "rib/rib.h"
#include "util/log.h"

static bool
parse(const char *text, struct config *c, char *err)
{
	return config_parse("t.yaml", text, strlen(text), c, err,
	    CFG_ERR_MAX);
}

/* The text must fail with exactly this message. */
static void
fails_with(const char *text, const char *msg)
{
	char err[CFG_ERR_MAX];
	struct config c;

	assert_false(parse(text, &c, err));
	assert_string_equal(err, msg);
	assert_null(c.sources);		/* nothing half-built is left */
}

static void
empty_file_is_the_default(void **state)
{
	char err[CFG_ERR_MAX];
	struct config c;

	(void)state;
	assert_true(parse("", &c, err));
	assert_string_equal(c.api.host, "127.0.0.1");
	assert_int_equal(c.api.port, 8179);
	assert_int_equal(c.api.cache_mb, 128);
	assert_string_equal(c.data_dir, "./var");
	assert_int_equal(c.nsources, 0);
	assert_int_equal(c.log.level, LOG_INFO);
	config_free(&c);
	assert_true(parse("# nothing\n", &c, err));
	config_free(&c);
}

static void
full_config_reads_back(void **state)
{
	static const char text[] =
	    "data_dir: /tmp/x\n"
	    "log:\n"
	    "  level: debug\n"
	    "  target: file\n"
	    "  file: /tmp/x.log\n"
	    "api:\n"
	    "  listen: \"[::1]:9000\"\n"
	    "  max_request_bytes: 4096\n"
	    "  cache_mb: 0\n"
	    "  tokens:\n"
	    "    - name: ops\n"
	    "      token: 0123456789abcdef0123\n"
	    "      role: admin\n"
	    "    - name: viewer\n"
	    "      token: fedcba9876543210fedc\n"
	    "sources:\n"
	    "  - name: rrc00\n"
	    "    type: mrt\n"
	    "    files: [a.gz, b.gz]\n"
	    "    speed: 2.5\n"
	    "    loop: true\n"
	    "    clock: now\n"
	    "    tags: [collector, upstream]\n"
	    "  - name: off\n"
	    "    type: mrt\n"
	    "    enabled: false\n"
	    "    files:\n"
	    "      - c.bz2\n";
	char err[CFG_ERR_MAX];
	struct config c;

	(void)state;
	assert_true(parse(text, &c, err));
	assert_string_equal(c.data_dir, "/tmp/x");
	assert_int_equal(c.log.level, LOG_DEBUG);
	assert_int_equal(c.log.target, CFG_LOG_FILE);
	assert_string_equal(c.api.host, "::1");
	assert_int_equal(c.api.port, 9000);
	assert_int_equal(c.api.max_request_bytes, 4096);
	assert_int_equal(c.api.cache_mb, 0);
	assert_int_equal(c.api.ntokens, 2);
	assert_int_equal(c.api.tokens[0].role, CFG_ROLE_ADMIN);
	assert_int_equal(c.api.tokens[1].role, CFG_ROLE_READ);
	assert_int_equal(c.nsources, 2);
	assert_string_equal(c.sources[0].name, "rrc00");
	assert_int_equal(c.sources[0].kind, CFG_SRC_MRT);
	assert_int_equal(c.sources[0].nfiles, 2);
	assert_string_equal(c.sources[0].files[1], "b.gz");
	assert_true(c.sources[0].speed == 2.5);
	assert_true(c.sources[0].loop);
	assert_true(c.sources[0].clock_now);
	assert_false(c.sources[1].loop);
	assert_false(c.sources[1].clock_now);
	assert_int_equal(c.sources[0].tags,
	    RIB_TAG_COLLECTOR | RIB_TAG_UPSTREAM);
	assert_int_equal(c.sources[0].line, 17);
	assert_true(c.sources[0].enabled);
	assert_false(c.sources[1].enabled);
	assert_false(cfg_source_same(&c.sources[0], &c.sources[1]));
	assert_true(cfg_source_same(&c.sources[0], &c.sources[0]));
	config_free(&c);
}

static void
errors_name_file_line_and_key(void **state)
{
	(void)state;
	fails_with("api:\n  listen: 127.0.0.1:8179\n  lisen: x\n",
	    "t.yaml:3: api.lisen: unknown key (expected one of: listen, tls, "
	    "tokens, max_request_bytes, ui_dir, cache_mb, stream_queue_kb)");
	fails_with("log:\n  level: loud\n",
	    "t.yaml:2: log.level: expected error, warn, info or debug, got "
	    "'loud'");
	fails_with("api:\n  listen: localhost:80\n",
	    "t.yaml:2: api.listen: expected ADDRESS:PORT with a numeric "
	    "address (127.0.0.1:8179, [::1]:8179), got 'localhost:80'");
	fails_with("api:\n  listen: 127.0.0.1:65536\n",
	    "t.yaml:2: api.listen: expected ADDRESS:PORT with a numeric "
	    "address (127.0.0.1:8179, [::1]:8179), got '127.0.0.1:65536'");
	fails_with("api:\n  max_request_bytes: 12k\n",
	    "t.yaml:2: api.max_request_bytes: expected a whole number from "
	    "1024 to 1048576, got '12k'");
	fails_with("api:\n  cache_mb: 70000\n",
	    "t.yaml:2: api.cache_mb: expected a whole number from 0 to "
	    "65536, got '70000'");
	fails_with("sources:\n  - name: a\n    type: mrt\n    files: x.gz\n",
	    "t.yaml:4: sources[0].files: expected a list of files, got a "
	    "value");
	fails_with("sources:\n  - name: a\n    type: bmpp\n",
	    "t.yaml:3: sources[0].type: expected mrt, bgp, bmp or rislive, got 'bmpp'");
	fails_with("sources:\n  - name: a\n    files: [x]\n",
	    "t.yaml:2: sources[0]: source 'a' needs a type (mrt, bgp, bmp or rislive)");
	fails_with("sources:\n  - name: a b\n",
	    "t.yaml:2: sources[0].name: expected letters, digits, '-', '_' "
	    "or '.', got 'a b'");
	fails_with("sources:\n  - {name: a, type: mrt, files: [x]}\n"
	    "  - {name: a, type: mrt, files: [y]}\n",
	    "t.yaml:3: sources[1]: name 'a' is taken by the source at line 2");
	fails_with("sources:\n  - name: a\n    type: mrt\n    files: [x]\n"
	    "    speed: -1\n",
	    "t.yaml:5: sources[0].speed: expected a number from 0 to 1e+06, "
	    "got '-1'");
	fails_with("sources:\n  - name: a\n    type: mrt\n    files: [x]\n"
	    "    tags: [ours]\n",
	    "t.yaml:5: sources[0].tags: expected own-router, upstream, "
	    "collector or route-server, got 'ours'");
	fails_with("sources:\n  - name: a\n    type: mrt\n    files: [x]\n"
	    "    clock: wall\n",
	    "t.yaml:5: sources[0].clock: expected file or now, got 'wall'");
	fails_with("sources:\n  - name: a\n    type: mrt\n    files: [x]\n"
	    "    loop: sometimes\n",
	    "t.yaml:5: sources[0].loop: expected true or false, got "
	    "'sometimes'");
	fails_with("sources:\n  - name: a\n    type: mrt\n    files: [-]\n"
	    "    loop: true\n",
	    "t.yaml:2: sources[0]: source 'a': loop cannot read standard "
	    "input (-) twice");
	fails_with("sources:\n  - name: a\n    name: b\n",
	    "t.yaml:3: sources[0].name: given twice");
	fails_with("log:\n  target: file\n",
	    "t.yaml:2: log: target file needs file: PATH");
	fails_with("data_dir:\n", "t.yaml:1: data_dir: expected a string, got "
	    "nothing");
	fails_with("- a\n- b\n", "t.yaml:1: expected a mapping, got a list");
	fails_with("api: [\n", "t.yaml:2:1: not valid YAML: did not find "
	    "expected node content while parsing a flow node");
}

static void
bgp_source_reads_back(void **state)
{
	static const char text[] =
	    "sources:\n"
	    "  - name: routers\n"
	    "    type: bgp\n"
	    "    local_as: AS4200000000\n"
	    "    router_id: 192.0.2.1\n"
	    "    listen: [127.0.0.1:1179, \"[::1]:1179\"]\n"
	    "    connect_retry: 3\n"
	    "    tags: [own-router]\n"
	    "    peers:\n"
	    "      - address: 127.0.0.2\n"
	    "        remote_as: 65001\n"
	    "        port: 1790\n"
	    "        hold_time: 30\n"
	    "        password: s3cret\n"
	    "        families: [ipv6]\n"
	    "        add_path: true\n"
	    "        local_address: 127.0.0.1\n"
	    "        max_prefixes: {limit: 1000, action: warn, restart: 60}\n"
	    "        description: edge1\n"
	    "        tags: [upstream]\n"
	    "      - range: 10.9.9.9/8\n"
	    "      - address: \"2001:db8::1\"\n"
	    "        remote_as: any\n"
	    "        passive: true\n"
	    "        max_prefixes: 5\n";
	const struct feed_bgp_peer_conf *p;
	char err[CFG_ERR_MAX];
	struct config c;

	(void)state;
	assert_true(parse(text, &c, err));
	assert_int_equal(c.nsources, 1);
	assert_int_equal(c.sources[0].kind, CFG_SRC_BGP);
	assert_int_equal(c.sources[0].local_as, 4200000000u);
	assert_int_equal(c.sources[0].router_id, 0xc0000201u);
	assert_int_equal(c.sources[0].nlisten, 2);
	assert_int_equal(c.sources[0].listen[1].afi, 2);
	assert_int_equal(c.sources[0].listen[1].port, 1179);
	assert_int_equal(c.sources[0].connect_retry_s, 3);
	assert_int_equal(c.sources[0].npeers, 3);
	p = &c.sources[0].peers[0];
	assert_int_equal(p->afi, 1);
	assert_int_equal(p->plen, 32);
	assert_false(p->is_range);
	assert_false(p->passive);
	assert_int_equal(p->remote_as, 65001);
	assert_int_equal(p->port, 1790);
	assert_int_equal(p->hold_time, 30);
	assert_string_equal(p->password, "s3cret");
	assert_int_equal(p->families, FEED_BGP_IPV6);
	assert_true(p->add_path);
	assert_true(p->has_local);
	assert_int_equal(p->max_prefixes, 1000);
	assert_int_equal(p->max_action, FEED_BGP_MAXPFX_WARN);
	assert_int_equal(p->max_restart_s, 60);
	assert_string_equal(p->description, "edge1");
	assert_int_equal(p->tags, RIB_TAG_UPSTREAM);
	assert_int_equal(p->line, 10);
	p = &c.sources[0].peers[1];
	assert_true(p->is_range);
	assert_true(p->passive);		/* a range always is */
	assert_int_equal(p->remote_as, 0);	/* any, by default */
	assert_int_equal(p->plen, 8);
	assert_int_equal(p->addr[0], 10);
	assert_int_equal(p->addr[1], 0);	/* bits past the length go */
	assert_int_equal(p->port, 179);
	assert_int_equal(p->hold_time, 90);
	assert_int_equal(p->families, FEED_BGP_IPV4 | FEED_BGP_IPV6);
	assert_int_equal(p->max_action, FEED_BGP_MAXPFX_TEARDOWN);
	p = &c.sources[0].peers[2];
	assert_int_equal(p->afi, 2);
	assert_int_equal(p->remote_as, 0);
	assert_int_equal(p->max_prefixes, 5);
	/* a copy is the same; a changed peer is not */
	{
		struct cfg_source cp;

		assert_true(cfg_source_copy(&cp, &c.sources[0]));
		assert_true(cfg_source_same(&cp, &c.sources[0]));
		assert_string_equal(cp.peers[0].password, "s3cret");
		assert_ptr_not_equal(cp.peers[0].password,
		    c.sources[0].peers[0].password);
		cp.peers[1].hold_time = 10;
		assert_false(cfg_source_same(&cp, &c.sources[0]));
		cfg_source_free(&cp);
	}
	config_free(&c);
}

static void
bgp_source_errors(void **state)
{
	(void)state;
	fails_with("sources:\n  - name: r\n    type: bgp\n    files: [x]\n",
	    "t.yaml:4: sources[0].files: unknown key (expected one of: name, "
	    "type, enabled, tags, local_as, router_id, listen, connect_retry, "
	    "peers)");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n",
	    "t.yaml:2: sources[0]: bgp source 'r' needs peers");
	fails_with("sources:\n  - name: r\n    type: bgp\n    router_id: "
	    "1.2.3.4\n    peers: [{address: 127.0.0.2, remote_as: 1}]\n",
	    "t.yaml:2: sources[0]: bgp source 'r' needs local_as");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 0\n",
	    "t.yaml:4: sources[0].local_as: expected an AS number from 1 to "
	    "4294967295, got '0'");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 0.0.0.0\n",
	    "t.yaml:5: sources[0].router_id: expected a non-zero IPv4 "
	    "address (192.0.2.1), got '0.0.0.0'");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n    peers:\n      - address: 127.0.0.2\n",
	    "t.yaml:7: sources[0].peers[0]: peer needs remote_as (a number, "
	    "or any)");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n    peers:\n      - address: 127.0.0.2\n"
	    "        remote_as: 2\n        hold_time: 2\n",
	    "t.yaml:9: sources[0].peers[0].hold_time: expected 0 or 3 to "
	    "65535 seconds (RFC 4271 4.2), got 2");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n    peers:\n      - range: 127.0.0.0/33\n",
	    "t.yaml:7: sources[0].peers[0].range: expected ADDRESS/LENGTH "
	    "(127.0.0.0/8, 2001:db8::/32), got '127.0.0.0/33'");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n    peers:\n      - range: 127.0.0.0/8\n"
	    "        passive: false\n",
	    "t.yaml:7: sources[0].peers[0]: a range's peers connect to us: "
	    "passive cannot be false");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n    peers:\n      - range: 127.0.0.0/8\n",
	    "t.yaml:2: sources[0]: bgp source 'r': the peer at line 7 waits "
	    "to be connected to (passive, or a range), so the source needs "
	    "listen");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n    peers:\n"
	    "      - {address: 127.0.0.2, remote_as: 2}\n"
	    "      - {address: 127.0.0.2, remote_as: 3}\n",
	    "t.yaml:8: sources[0].peers[1]: the peer at line 7 has the same "
	    "address");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n    peers:\n"
	    "      - {address: 127.0.0.2, remote_as: 2, families: [ipv5]}\n",
	    "t.yaml:7: sources[0].peers[0].families: expected ipv4 or ipv6 "
	    "(unicast), got 'ipv5'");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n    peers:\n"
	    "      - {address: 127.0.0.2, remote_as: 2, max_prefixes: "
	    "{action: warn}}\n",
	    "t.yaml:7: sources[0].peers[0].max_prefixes: needs a limit");
	fails_with("sources:\n  - name: r\n    type: bgp\n    local_as: 1\n"
	    "    router_id: 1.2.3.4\n    peers:\n"
	    "      - {address: 127.0.0.2, remote_as: 2, local_address: "
	    "\"::1\"}\n",
	    "t.yaml:7: sources[0].peers[0]: local_address is not of the "
	    "peer's address family");
	fails_with("sources:\n  - name: r\n    type: mrt\n    peers: []\n",
	    "t.yaml:4: sources[0].peers: unknown key (expected one of: name, "
	    "type, enabled, tags, files, speed, loop, clock)");
}

static void
bmp_source(void **state)
{
	char err[CFG_ERR_MAX];
	struct config c;

	(void)state;
	assert_true(parse("sources:\n  - name: st\n    type: bmp\n"
	    "    listen: 127.0.0.1:1790\n    routers: [10.0.0.0/8, \"::1\"]\n"
	    "    stale_time: 30\n    capture: /tmp/cap\n", &c, err));
	assert_int_equal(c.sources[0].kind, CFG_SRC_BMP);
	assert_int_equal(c.sources[0].nrouters, 2);
	assert_int_equal(c.sources[0].routers[0].plen, 8);
	assert_int_equal(c.sources[0].routers[1].afi, 2);
	assert_int_equal(c.sources[0].routers[1].plen, 128);
	assert_int_equal(c.sources[0].stale_s, 30);
	assert_string_equal(c.sources[0].capture_dir, "/tmp/cap");
	{
		struct cfg_source cp;

		assert_true(cfg_source_copy(&cp, &c.sources[0]));
		assert_true(cfg_source_same(&cp, &c.sources[0]));
		cp.stale_s = 31;
		assert_false(cfg_source_same(&cp, &c.sources[0]));
		cfg_source_free(&cp);
	}
	config_free(&c);
	fails_with("sources:\n  - name: st\n    type: bmp\n"
	    "    listen: 127.0.0.1:1790\n",
	    "t.yaml:2: sources[0]: bmp source 'st' needs listen and routers");
	fails_with("sources:\n  - name: st\n    type: bmp\n"
	    "    routers: [10.0.0.0/33]\n",
	    "t.yaml:4: sources[0].routers: expected ADDRESS/LENGTH "
	    "(127.0.0.0/8, 2001:db8::/32), got '10.0.0.0/33'");
	fails_with("sources:\n  - name: st\n    type: bmp\n    peers: []\n",
	    "t.yaml:4: sources[0].peers: unknown key (expected one of: name, "
	    "type, enabled, tags, listen, routers, stale_time, capture)");
}

static void
rislive_source(void **state)
{
	char err[CFG_ERR_MAX];
	struct config c;
	const struct cfg_source *s;
	char many[64 + 1100 * 32];
	size_t off;

	(void)state;
	assert_true(parse("sources:\n  - name: ris\n    type: rislive\n"
	    "    url: wss://example.net/v1/ws/?client=x\n"
	    "    ca_file: /etc/ca.pem\n    proxy: proxy.example:3128\n"
	    "    prefixes: [192.0.2.0/24, \"2001:db8::/32\"]\n"
	    "    less_specific: true\n"
	    "    subscriptions:\n"
	    "      - {host: rrc00, type: UPDATE, require: withdrawals,\n"
	    "         peer: 192.0.2.1, path: \"^174,[64512,64513]$\",\n"
	    "         prefix: 10.0.0.0/8, more_specific: false}\n"
	    "    include_raw: true\n    heartbeat: false\n"
	    "    ping_interval: 5\n    collector_silence: 60\n"
	    "    backoff_min: 0.2\n    backoff_max: 10\n", &c, err));
	s = &c.sources[0];
	assert_int_equal(s->kind, CFG_SRC_RISLIVE);
	assert_string_equal(s->url, "wss://example.net/v1/ws/?client=x");
	assert_string_equal(s->ca_file, "/etc/ca.pem");
	assert_string_equal(s->proxy, "proxy.example:3128");
	/* the prefixes first, then the explicit one */
	assert_int_equal(s->nsubs, 2);
	assert_int_equal(s->subs[0].nprefixes, 2);
	assert_true(s->subs[0].more_specific);
	assert_true(s->subs[0].less_specific);
	assert_string_equal(s->subs[1].host, "rrc00");
	assert_int_equal(s->subs[1].type, RISLIVE_UPDATE);
	assert_int_equal(s->subs[1].require, RISLIVE_REQUIRE_WITHDRAWALS);
	assert_true(s->subs[1].has_peer);
	assert_true(s->subs[1].path_first);
	assert_true(s->subs[1].path_last);
	assert_int_equal(s->subs[1].npath, 2);
	assert_int_equal(s->subs[1].path[1].nset, 2);
	assert_false(s->subs[1].more_specific);
	assert_true(s->include_raw);
	assert_false(s->heartbeat);
	assert_int_equal(s->ping_s, 5);
	/* neither the firehose nor the heartbeat: silence is normal */
	assert_int_equal(s->silence_s, 0);
	assert_int_equal(s->host_silence_s, 60);
	assert_int_equal(s->backoff_min_ms, 200);
	assert_int_equal(s->backoff_max_ms, 10000);
	{
		struct cfg_source cp;

		assert_true(cfg_source_copy(&cp, s));
		assert_true(cfg_source_same(&cp, s));
		cp.subs[1].require = RISLIVE_REQUIRE_ANNOUNCEMENTS;
		assert_false(cfg_source_same(&cp, s));
		cfg_source_free(&cp);
	}
	config_free(&c);
	/* the defaults: RIPE's URL, the firehose, silence 120 s */
	assert_true(parse("sources:\n  - name: ris\n    type: rislive\n", &c,
	    err));
	assert_string_equal(c.sources[0].url, RISLIVE_DEFAULT_URL);
	assert_int_equal(c.sources[0].nsubs, 0);
	assert_true(c.sources[0].heartbeat);
	assert_int_equal(c.sources[0].silence_s, 120);
	assert_int_equal(c.sources[0].host_silence_s, 300);
	config_free(&c);
	/* a filter without the heartbeat: quiet is normal, for all */
	assert_true(parse("sources:\n  - name: ris\n    type: rislive\n"
	    "    heartbeat: false\n    prefixes: [192.0.2.0/24]\n", &c, err));
	assert_int_equal(c.sources[0].silence_s, 0);
	assert_int_equal(c.sources[0].host_silence_s, 0);
	config_free(&c);
	/* 1,100 prefixes: two subscriptions */
	off = (size_t)snprintf(many, sizeof(many), "sources:\n  - name: r\n"
	    "    type: rislive\n    prefixes:\n");
	for (int i = 0; i < 1100; i++)
		off += (size_t)snprintf(many + off, sizeof(many) - off,
		    "      - 10.%d.%d.0/24\n", i / 256, i % 256);
	assert_true(parse(many, &c, err));
	assert_int_equal(c.sources[0].nsubs, 2);
	assert_int_equal(c.sources[0].subs[0].nprefixes, 1024);
	assert_int_equal(c.sources[0].subs[1].nprefixes, 76);
	config_free(&c);
	fails_with("sources:\n  - name: r\n    type: rislive\n"
	    "    url: http://x/\n",
	    "t.yaml:4: sources[0].url: expected a ws:// or wss:// URL, got "
	    "'http://x/'");
	fails_with("sources:\n  - name: r\n    type: rislive\n"
	    "    prefixes: [10.0.0.0/33]\n",
	    "t.yaml:4: sources[0].prefixes: expected ADDRESS/LENGTH "
	    "(192.0.2.0/24, 2001:db8::/32), got '10.0.0.0/33'");
	fails_with("sources:\n  - name: r\n    type: rislive\n"
	    "    subscriptions:\n      - {prefix: [10.0.0.0/8, x]}\n",
	    "t.yaml:5: sources[0].subscriptions[0].prefix: expected "
	    "ADDRESS/LENGTH (192.0.2.0/24, 2001:db8::/32), got 'x'");
	fails_with("sources:\n  - name: r\n    type: rislive\n"
	    "    subscriptions:\n      - {path: \"1,x\"}\n",
	    "t.yaml:5: sources[0].subscriptions[0].path: path: \"1,x\" is not "
	    "a list of ASNs");
	fails_with("sources:\n  - name: r\n    type: rislive\n"
	    "    subscriptions:\n      - {type: FOO}\n",
	    "t.yaml:5: sources[0].subscriptions[0].type: expected UPDATE, "
	    "OPEN, NOTIFICATION, KEEPALIVE or RIS_PEER_STATE, got 'FOO'");
	fails_with("sources:\n  - name: r\n    type: rislive\n"
	    "    proxy: nowhere\n",
	    "t.yaml:4: sources[0].proxy: expected HOST:PORT, got 'nowhere'");
	fails_with("sources:\n  - name: r\n    type: rislive\n"
	    "    backoff_min: 5\n    backoff_max: 1\n",
	    "t.yaml:2: sources[0]: rislive source 'r' has backoff_max less "
	    "than backoff_min");
	fails_with("sources:\n  - name: r\n    type: rislive\n    files: []\n",
	    "t.yaml:4: sources[0].files: unknown key (expected one of: name, "
	    "type, enabled, tags, url, ca_file, proxy, prefixes, "
	    "more_specific, less_specific, subscriptions, firehose, "
	    "include_raw, heartbeat, ping_interval, silence_timeout, "
	    "collector_silence, backoff_min, backoff_max)");
	fails_with("sources:\n  - name: r\n    type: rislive\n"
	    "    firehose: true\n    prefixes: [10.0.0.0/8]\n",
	    "t.yaml:2: sources[0]: rislive source 'r': firehose takes the "
	    "whole stream, without prefixes or subscriptions");
}

/* A rislive source with no prefixes or subscriptions of its own takes
 * the monitored prefixes, wherever the monitor section is in the file;
 * firehose: true or prefixes of its own keep it from them. */
static void
rislive_takes_the_monitored_prefixes(void **state)
{
	char err[CFG_ERR_MAX];
	struct config c;
	const struct cfg_source *s;
	static char many[64 + 66000 * 16];
	size_t off;

	(void)state;
	assert_true(parse("sources:\n  - name: a\n    type: rislive\n"
	    "    less_specific: true\n"
	    "  - name: b\n    type: rislive\n    firehose: true\n"
	    "  - name: c\n    type: rislive\n    prefixes: [10.0.0.0/8]\n"
	    "monitor:\n  prefixes: [192.0.2.0/24, \"2001:db8::/32\", "
	    "198.51.100.0/24]\n", &c, err));
	s = &c.sources[0];
	assert_int_equal(s->nsubs, 1);
	assert_int_equal(s->subs[0].nprefixes, 3);
	assert_true(s->subs[0].more_specific);
	assert_true(s->subs[0].less_specific);
	{
		char buf[INET6_ADDRSTRLEN + 4];

		bgp_prefix_str(&s->subs[0].prefixes[1], buf, sizeof(buf));
		assert_string_equal(buf, "2001:db8::/32");
	}
	/* with the heartbeat, silence is trouble */
	assert_int_equal(s->silence_s, 120);
	s = &c.sources[1];
	assert_int_equal(s->nsubs, 0);
	assert_int_equal(s->silence_s, 120);
	s = &c.sources[2];
	assert_int_equal(s->nsubs, 1);
	assert_int_equal(s->subs[0].nprefixes, 1);
	config_free(&c);
	/* nothing monitored: the firehose */
	assert_true(parse("monitor:\n  prefixes: []\nsources:\n"
	    "  - name: a\n    type: rislive\n", &c, err));
	assert_int_equal(c.sources[0].nsubs, 0);
	config_free(&c);
	/* more than 64 subscriptions of 1,024 can hold */
	off = (size_t)snprintf(many, sizeof(many), "sources:\n"
	    "  - name: a\n    type: rislive\nmonitor:\n  prefixes: [");
	for (int i = 0; i < 66000; i++)
		off += (size_t)snprintf(many + off, sizeof(many) - off,
		    "%s%d.%d.%d.0/24", i > 0 ? "," : "", 10 + i / 65536,
		    i / 256 % 256, i % 256);
	snprintf(many + off, sizeof(many) - off, "]\n");
	fails_with(many, "t.yaml:2: sources[0]: rislive source 'a' takes "
	    "the 66000 monitored prefixes, and can subscribe to 65536 at "
	    "most: give it prefixes of its own, or firehose: true");
}

static void
rpki_reads_back(void **state)
{
	static const char text[] =
	    "monitor:\n"
	    "  prefixes: [192.0.2.0/24, 2001:db8::/32]\n"
	    "rpki:\n"
	    "  aspa: upstream\n"
	    "  sources:\n"
	    "    - name: file\n"
	    "      type: json\n"
	    "      file: /var/lib/rpki-client/json\n"
	    "    - name: web\n"
	    "      type: json\n"
	    "      url: https://console.rpki-client.org/vrps.json\n"
	    "      ca_file: /etc/ssl/ca.pem\n"
	    "      refresh: 300\n"
	    "      expire: 0\n"
	    "      timeout: 20\n"
	    "    - name: caches\n"
	    "      type: rtr\n"
	    "      caches:\n"
	    "        - {host: rtr1.example, port: 323}\n"
	    "        - {host: 192.0.2.9, port: 8282, preference: 9}\n"
	    "      retry: 30\n";
	const struct rpki_conf *r;
	char err[CFG_ERR_MAX];
	struct config c, d;
	char buf[64];

	(void)state;
	assert_true(parse(text, &c, err));
	r = &c.rpki;
	assert_int_equal(r->dir, ASPA_UPSTREAM);
	assert_int_equal(r->nmonitor, 2);
	assert_string_equal(trie_key_str(&r->monitor[1], buf, sizeof(buf)),
	    "2001:db8::/32");
	assert_int_equal(r->nsrc, 3);
	assert_string_equal(r->src[0].file, "/var/lib/rpki-client/json");
	/* RFC 8210 section 6's defaults */
	assert_int_equal(r->src[0].refresh_s, 600);
	assert_int_equal(r->src[0].expire_s, 7200);
	assert_int_equal(r->src[1].refresh_s, 300);
	assert_int_equal(r->src[1].expire_s, 0);
	assert_int_equal(r->src[1].timeout_s, 20);
	assert_string_equal(r->src[1].ca_file, "/etc/ssl/ca.pem");
	assert_int_equal(r->src[2].kind, RPKI_SRC_RTR);
	assert_int_equal(r->src[2].refresh_s, 3600);
	assert_int_equal(r->src[2].retry_s, 30);
	assert_int_equal(r->src[2].ncaches, 2);
	assert_int_equal(r->src[2].caches[0].preference, 1);
	assert_string_equal(r->src[2].caches[0].port, "323");
	assert_int_equal(r->src[2].caches[1].preference, 9);
	assert_true(parse(text, &d, err));
	assert_true(rpki_conf_same(&c.rpki, &d.rpki));
	d.rpki.src[2].caches[1].preference = 2;
	assert_false(rpki_conf_same(&c.rpki, &d.rpki));
	config_free(&d);
	config_free(&c);
	/* none: no sources, the downstream procedure */
	assert_true(parse("rpki:\n", &c, err));
	assert_int_equal(c.rpki.nsrc, 0);
	assert_int_equal(c.rpki.dir, ASPA_DOWNSTREAM);
	config_free(&c);
}

static void
rpki_errors(void **state)
{
	(void)state;
	fails_with("rpki:\n  sources:\n    - name: a\n",
	    "t.yaml:3: rpki.sources[0]: an RPKI source needs a type (json or "
	    "rtr)");
	fails_with("rpki:\n  sources:\n    - {name: a, type: rsync}\n",
	    "t.yaml:3: rpki.sources[0].type: expected json or rtr, got "
	    "'rsync'");
	fails_with("rpki:\n  sources:\n    - {name: a, type: json}\n",
	    "t.yaml:3: rpki.sources[0]: json source 'a' needs a file or a url "
	    "(one of them)");
	fails_with("rpki:\n  sources:\n    - {name: a, type: json, file: /f, "
	    "url: http://x/}\n",
	    "t.yaml:3: rpki.sources[0]: json source 'a' needs a file or a url "
	    "(one of them)");
	fails_with("rpki:\n  sources:\n    - {name: a, type: json, url: "
	    "ftp://x/}\n",
	    "t.yaml:3: rpki.sources[0].url: expected an http:// or https:// "
	    "URL, got 'ftp://x/'");
	fails_with("rpki:\n  sources:\n    - {name: a, type: json, file: /f,\n"
	    "       caches: []}\n",
	    "t.yaml:4: rpki.sources[0].caches: unknown key (expected one of: "
	    "name, type, file, url, ca_file, refresh, expire, timeout)");
	fails_with("rpki:\n  sources:\n    - {name: a, type: rtr}\n",
	    "t.yaml:3: rpki.sources[0]: rtr source 'a' needs caches");
	fails_with("rpki:\n  sources:\n    - name: a\n      type: rtr\n"
	    "      caches:\n        - {host: h, port: 70000}\n",
	    "t.yaml:6: rpki.sources[0].caches[0].port: expected a whole number "
	    "from 1 to 65535, got '70000'");
	fails_with("rpki:\n  sources:\n    - name: a\n      type: rtr\n"
	    "      caches:\n        - {host: h}\n",
	    "t.yaml:6: rpki.sources[0].caches[0]: a cache needs host and "
	    "port");
	fails_with("rpki:\n  sources:\n    - name: a\n      type: rtr\n"
	    "      caches: [{host: h, port: 1}]\n      expire: 0\n",
	    "t.yaml:3: rpki.sources[0]: rtr source 'a' needs expire of 1 or "
	    "more (RFC 8210 section 6)");
	fails_with("rpki:\n  sources:\n    - {name: a, type: json, file: /f,\n"
	    "       refresh: 0}\n",
	    "t.yaml:4: rpki.sources[0].refresh: expected a whole number from 1 "
	    "to 86400, got '0'");
	fails_with("rpki:\n  sources:\n    - {name: a, type: json, file: /f}\n"
	    "    - {name: a, type: json, file: /g}\n",
	    "t.yaml:4: rpki.sources[1]: name 'a' is taken by the RPKI source at "
	    "line 3");
	fails_with("rpki:\n  sources:\n    - {name: \"a b\", type: json, "
	    "file: /f}\n",
	    "t.yaml:3: rpki.sources[0].name: expected letters, digits, '-', "
	    "'_' or '.', got 'a b'");
	fails_with("rpki:\n  aspa: sideways\n",
	    "t.yaml:2: rpki.aspa: expected upstream or downstream, got "
	    "'sideways'");
	fails_with("rpki:\n  vrps: 1\n",
	    "t.yaml:2: rpki.vrps: unknown key (expected one of: aspa, "
	    "sources)");
	fails_with("monitor:\n  prefixes: [192.0.2.0/33]\n",
	    "t.yaml:2: monitor.prefixes: expected ADDRESS/LENGTH (192.0.2.0/24, "
	    "2001:db8::/32), got '192.0.2.0/33'");
}

static void
remote_api_needs_tls_and_tokens(void **state)
{
	char err[CFG_ERR_MAX];
	struct config c;

	(void)state;
	fails_with("api:\n  listen: 192.0.2.1:8179\n",
	    "t.yaml:2: api: listening on 192.0.2.1 (not loopback) needs tls "
	    "(cert and key) and at least one token");
	fails_with("api:\n  tokens:\n    - {name: a, token: short}\n",
	    "t.yaml:3: api.tokens[0].token: expected at least 16 characters");
	fails_with("api:\n  tls: {cert: /c}\n",
	    "t.yaml:2: api.tls: needs both cert and key");
	assert_true(parse("api:\n  listen: 192.0.2.1:8179\n"
	    "  tls: {cert: /c, key: /k}\n"
	    "  tokens: [{name: a, token: 0123456789abcdef}]\n", &c, err));
	config_free(&c);
	assert_true(cfg_host_is_loopback("127.1.2.3"));
	assert_true(cfg_host_is_loopback("::1"));
	assert_false(cfg_host_is_loopback("0.0.0.0"));
	assert_false(cfg_host_is_loopback("::"));
}

static void
load_reports_missing_file(void **state)
{
	char err[CFG_ERR_MAX];
	struct config c;

	(void)state;
	assert_false(config_load("/nonexistent/b.yaml", &c, err, sizeof(err)));
	assert_string_equal(err, "/nonexistent/b.yaml: cannot open: No such "
	    "file or directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_file_is_the_default),
		cmocka_unit_test(full_config_reads_back),
		cmocka_unit_test(errors_name_file_line_and_key),
		cmocka_unit_test(bgp_source_reads_back),
		cmocka_unit_test(bgp_source_errors),
		cmocka_unit_test(bmp_source),
		cmocka_unit_test(rislive_source),
		cmocka_unit_test(rislive_takes_the_monitored_prefixes),
		cmocka_unit_test(rpki_reads_back),
		cmocka_unit_test(rpki_errors),
		cmocka_unit_test(remote_api_needs_tls_and_tokens),
		cmocka_unit_test(load_reports_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
