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
	    "tokens, max_request_bytes, ui_dir, cache_mb)");
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
	fails_with("sources:\n  - name: a\n    type: bmp\n",
	    "t.yaml:3: sources[0].type: expected mrt, got 'bmp'");
	fails_with("sources:\n  - name: a\n    files: [x]\n",
	    "t.yaml:2: sources[0]: source 'a' needs a type (mrt)");
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
		cmocka_unit_test(remote_api_needs_tls_and_tokens),
		cmocka_unit_test(load_reports_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
