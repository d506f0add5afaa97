/* JSON libraries on RIS Live messages: jansson, cJSON, json-c and yajl's
 * tree API each parse every line of the given files (one ris_message per
 * line), walk what a RIS Live decoder reads from it, and free the tree.
 * The walk folds every string length and number into a checksum, so no
 * work is optimised away, and all libraries must agree on it. Timed in
 * process CPU time (one thread: a per-core figure), libraries interleaved
 * in each run, median of --runs runs of at least --min messages.
 * Each library as it comes: jansson and yajl check that strings are UTF-8,
 * cJSON and json-c (without JSON_TOKENER_VALIDATE_UTF8) do not. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>
#include <jansson.h>
#include <yajl_tree.h>
#include <yajl_version.h>

#include "bench_json.h"
#include "bench_util.h"

#define MAX_FILES	64
#define MAX_RUNS	32

#define STR(x)		STR_(x)
#define STR_(x)		#x
#define CJSON_VERSION_STR \
	STR(CJSON_VERSION_MAJOR) "." STR(CJSON_VERSION_MINOR) "." \
	STR(CJSON_VERSION_PATCH)
#define YAJL_VERSION_STR \
	STR(YAJL_MAJOR) "." STR(YAJL_MINOR) "." STR(YAJL_MICRO)

static struct line *lines;
static size_t nlines, caplines, nbytes;

/* --- jansson ------------------------------------------------------------ */

static void
jansson_ints(const json_t *v, struct sum *s)
{
	size_t i;
	json_t *e;

	if (json_is_integer(v))
		ck_int(s, json_integer_value(v));
	else if (json_is_array(v))
		json_array_foreach(v, i, e)
			jansson_ints(e, s);
}

static void
jansson_strs(const json_t *v, struct sum *s)
{
	size_t i;
	json_t *e;

	json_array_foreach(v, i, e) {
		if (json_is_string(e)) {
			ck_str(s, json_string_value(e), json_string_length(e));
			s->prefixes++;
		}
	}
}

static void
jansson_str(const json_t *obj, const char *key, struct sum *s)
{
	const json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		ck_str(s, json_string_value(v), json_string_length(v));
}

static int
jansson_one(const struct line *l, struct sum *s)
{
	json_t *root, *d, *v, *a;
	json_error_t err;
	size_t i;

	if ((root = json_loadb(l->s, l->len, 0, &err)) == NULL) {
		s->bad++;
		return -1;
	}
	jansson_str(root, "type", s);
	d = json_object_get(root, "data");
	for (i = 0; d != NULL && i < 4; i++)
		jansson_str(d, data_strs[i], s);
	if ((v = json_object_get(d, "timestamp")) != NULL && json_is_number(v))
		ck_time(s, json_number_value(v));
	for (i = 0; d != NULL && i < 3; i++)
		jansson_ints(json_object_get(d, data_ints[i]), s);
	for (i = 0; d != NULL && i < 2; i++)
		jansson_str(d, data_tail[i], s);
	if ((v = json_object_get(d, "med")) != NULL && json_is_integer(v))
		ck_int(s, json_integer_value(v));
	json_array_foreach(json_object_get(d, "announcements"), i, a) {
		jansson_str(a, "next_hop", s);
		jansson_strs(json_object_get(a, "prefixes"), s);
	}
	jansson_strs(json_object_get(d, "withdrawals"), s);
	jansson_str(d, "raw", s);
	json_decref(root);
	return 0;
}

/* --- cJSON ---------------------------------------------------------------- */

/* cJSON keeps numbers as doubles: exact for ASNs and communities. */
static void
cjson_ints(const cJSON *v, struct sum *s)
{
	const cJSON *e;

	if (cJSON_IsNumber(v))
		ck_int(s, (int64_t)v->valuedouble);
	else if (cJSON_IsArray(v))
		cJSON_ArrayForEach(e, v)
			cjson_ints(e, s);
}

static void
cjson_strs(const cJSON *v, struct sum *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, v) {
		if (cJSON_IsString(e)) {
			ck_str(s, e->valuestring, strlen(e->valuestring));
			s->prefixes++;
		}
	}
}

static void
cjson_str(const cJSON *obj, const char *key, struct sum *s)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (cJSON_IsString(v))
		ck_str(s, v->valuestring, strlen(v->valuestring));
}

static int
cjson_one(const struct line *l, struct sum *s)
{
	cJSON *root;
	const cJSON *d, *v, *a;
	size_t i;

	/* strict like the others: nothing but white space after the value */
	if ((root = cJSON_ParseWithLengthOpts(l->s, l->len + 1, NULL, 1)) ==
	    NULL) {
		s->bad++;
		return -1;
	}
	cjson_str(root, "type", s);
	d = cJSON_GetObjectItemCaseSensitive(root, "data");
	for (i = 0; d != NULL && i < 4; i++)
		cjson_str(d, data_strs[i], s);
	v = cJSON_GetObjectItemCaseSensitive(d, "timestamp");
	if (cJSON_IsNumber(v))
		ck_time(s, v->valuedouble);
	for (i = 0; d != NULL && i < 3; i++)
		cjson_ints(cJSON_GetObjectItemCaseSensitive(d, data_ints[i]), s);
	for (i = 0; d != NULL && i < 2; i++)
		cjson_str(d, data_tail[i], s);
	v = cJSON_GetObjectItemCaseSensitive(d, "med");
	if (cJSON_IsNumber(v))
		ck_int(s, (int64_t)v->valuedouble);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(d,
	    "announcements")) {
		cjson_str(a, "next_hop", s);
		cjson_strs(cJSON_GetObjectItemCaseSensitive(a, "prefixes"), s);
	}
	cjson_strs(cJSON_GetObjectItemCaseSensitive(d, "withdrawals"), s);
	cjson_str(d, "raw", s);
	cJSON_Delete(root);
	return 0;
}

/* --- yajl (tree API) ------------------------------------------------------ */

static yajl_val
yj_get(yajl_val obj, const char *key)
{
	size_t i;

	if (!YAJL_IS_OBJECT(obj))
		return NULL;
	for (i = 0; i < obj->u.object.len; i++)
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return obj->u.object.values[i];
	return NULL;
}

static void
yj_ints(yajl_val v, struct sum *s)
{
	size_t i;

	if (YAJL_IS_INTEGER(v))
		ck_int(s, YAJL_GET_INTEGER(v));
	else if (YAJL_IS_ARRAY(v))
		for (i = 0; i < v->u.array.len; i++)
			yj_ints(v->u.array.values[i], s);
}

static void
yj_strs(yajl_val v, struct sum *s)
{
	const char *p;
	size_t i;

	if (!YAJL_IS_ARRAY(v))
		return;
	for (i = 0; i < v->u.array.len; i++) {
		if ((p = YAJL_GET_STRING(v->u.array.values[i])) != NULL) {
			ck_str(s, p, strlen(p));
			s->prefixes++;
		}
	}
}

static void
yj_str(yajl_val obj, const char *key, struct sum *s)
{
	const char *p = YAJL_GET_STRING(yj_get(obj, key));

	if (p != NULL)
		ck_str(s, p, strlen(p));
}

static int
yj_one(const struct line *l, struct sum *s)
{
	yajl_val root, d, v, anns;
	char err[128];
	size_t i;

	if ((root = yajl_tree_parse(l->s, err, sizeof(err))) == NULL) {
		s->bad++;
		return -1;
	}
	yj_str(root, "type", s);
	d = yj_get(root, "data");
	for (i = 0; d != NULL && i < 4; i++)
		yj_str(d, data_strs[i], s);
	v = yj_get(d, "timestamp");
	if (YAJL_IS_DOUBLE(v))
		ck_time(s, YAJL_GET_DOUBLE(v));
	for (i = 0; d != NULL && i < 3; i++)
		yj_ints(yj_get(d, data_ints[i]), s);
	for (i = 0; d != NULL && i < 2; i++)
		yj_str(d, data_tail[i], s);
	if (YAJL_IS_INTEGER(v = yj_get(d, "med")))
		ck_int(s, YAJL_GET_INTEGER(v));
	anns = yj_get(d, "announcements");
	for (i = 0; YAJL_IS_ARRAY(anns) && i < anns->u.array.len; i++) {
		v = anns->u.array.values[i];
		yj_str(v, "next_hop", s);
		yj_strs(yj_get(v, "prefixes"), s);
	}
	yj_strs(yj_get(d, "withdrawals"), s);
	yj_str(d, "raw", s);
	yajl_tree_free(root);
	return 0;
}

/* --- the benchmark -------------------------------------------------------- */

struct lib {
	const char	*name;
	int		(*one)(const struct line *, struct sum *);
	struct sum	 sum;			/* of one pass */
	double		 rates[MAX_RUNS];	/* messages per CPU second */
};

static struct lib libs[] = {
	{ "jansson", jansson_one, { 0, 0, 0 }, { 0 } },
	{ "cJSON", cjson_one, { 0, 0, 0 }, { 0 } },
	{ "json-c", jsonc_one, { 0, 0, 0 }, { 0 } },
	{ "yajl (tree)", yj_one, { 0, 0, 0 }, { 0 } },
};
#define NLIBS	(sizeof(libs) / sizeof(libs[0]))

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Each line of the file, NUL-terminated in place; blank lines skipped. */
static char *
load(const char *path)
{
	FILE *f;
	char *buf, *p, *nl;
	long size;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(2);
	}
	if ((buf = malloc((size_t)size + 1)) == NULL ||
	    fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "%s: cannot read\n", path);
		exit(2);
	}
	fclose(f);
	buf[size] = '\0';
	for (p = buf; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		else
			*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		if (*p != '\0') {
			if (nlines == caplines) {
				caplines = caplines ? caplines * 2 : 65536;
				lines = realloc(lines, caplines * sizeof(*lines));
				if (lines == NULL)
					exit(2);
			}
			lines[nlines].s = p;
			lines[nlines].len = strlen(p);
			nbytes += lines[nlines].len;
			nlines++;
		}
		if (nl == buf + size)
			break;
	}
	return buf;
}

static void
one_pass(struct lib *l, struct sum *s)
{
	for (size_t i = 0; i < nlines; i++)
		l->one(&lines[i], s);
}

int
main(int argc, char **argv)
{
	size_t min = 300000, passes;
	int runs = 5, nfiles = 0;
	char *bufs[MAX_FILES];
	double fastest = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--min") == 0 && i + 1 < argc)
			min = strtoull(argv[++i], NULL, 10);
		else if (nfiles < MAX_FILES)
			bufs[nfiles++] = load(argv[i]);
	}
	if (nlines == 0 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: bench_json [--runs N] [--min MESSAGES] "
		    "FILE.jsonl...\n");
		return 2;
	}
	if (jsonc_init() != 0)
		return 2;

	/* one untimed pass each: the checksums must agree */
	for (size_t k = 0; k < NLIBS; k++) {
		one_pass(&libs[k], &libs[k].sum);
		if (memcmp(&libs[k].sum, &libs[0].sum, sizeof(struct sum)) != 0) {
			fprintf(stderr, "bench_json: %s disagrees with %s: "
			    "checksum %016llx/%016llx, not JSON %llu/%llu\n",
			    libs[k].name, libs[0].name,
			    (unsigned long long)libs[k].sum.ck,
			    (unsigned long long)libs[0].sum.ck,
			    (unsigned long long)libs[k].sum.bad,
			    (unsigned long long)libs[0].sum.bad);
			return 1;
		}
	}

	passes = (min + nlines - 1) / nlines;
	for (int r = 0; r < runs; r++) {
		for (size_t k = 0; k < NLIBS; k++) {
			struct sum s = { 0, 0, 0 };
			double t0 = cpu_now();

			for (size_t p = 0; p < passes; p++)
				one_pass(&libs[k], &s);
			libs[k].rates[r] = (double)(passes * nlines) /
			    (cpu_now() - t0);
			if (s.prefixes != passes * libs[k].sum.prefixes) {
				fprintf(stderr, "bench_json: %s: a timed pass "
				    "read other prefixes\n", libs[k].name);
				return 1;
			}
		}
	}

	printf("messages %zu (not JSON %llu), bytes %zu, mean %.0f bytes/message, "
	    "prefixes %llu\n", nlines, (unsigned long long)libs[0].sum.bad,
	    nbytes, (double)nbytes / (double)nlines,
	    (unsigned long long)libs[0].sum.prefixes);
	printf("checksum %016llx, the same from all %zu libraries "
	    "(jansson %s, cJSON %s, json-c %s, yajl %s)\n",
	    (unsigned long long)libs[0].sum.ck, NLIBS, JANSSON_VERSION,
	    CJSON_VERSION_STR, jsonc_version(), YAJL_VERSION_STR);
	printf("parse + walk + free, CPU time of one core, median of %d runs "
	    "of %zu messages\n", runs, passes * nlines);
	for (size_t k = 0; k < NLIBS; k++) {
		qsort(libs[k].rates, (size_t)runs, sizeof(double),
		    bench_cmp_double);
		if (libs[k].rates[runs / 2] > fastest)
			fastest = libs[k].rates[runs / 2];
	}
	printf("%-12s %12s %9s %9s %11s\n", "library", "messages/s", "MB/s",
	    "ns/msg", "vs fastest");
	for (size_t k = 0; k < NLIBS; k++) {
		double med = libs[k].rates[runs / 2];

		printf("%-12s %12.0f %9.1f %9.0f %10.2fx\n", libs[k].name, med,
		    med * (double)nbytes / (double)nlines / 1e6, 1e9 / med,
		    fastest / med);
	}
	jsonc_free();
	for (int i = 0; i < nfiles; i++)
		free(bufs[i]);
	free(lines);
	return 0;
}
