/* The demo's data: real RIS MRT files from demo/ (demo/SOURCES.md says
 * what each is), built into the binary so that `bgpsentry run --demo`
 * needs nothing but itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/demo.h"

#ifndef BGPS_DEMO_DIR
#error "BGPS_DEMO_DIR: the demo/ directory of the source tree"
#endif

/* Each file between two symbols, in read-only data. */
#define DEMO_BLOB(sym, file)						\
	__asm__(".section .rodata\n"					\
	    ".balign 16\n"						\
	    ".global " #sym "\n"					\
	    #sym ":\n"							\
	    ".incbin \"" BGPS_DEMO_DIR "/" file "\"\n"			\
	    ".global " #sym "_end\n"					\
	    #sym "_end:\n"						\
	    ".previous\n");						\
	extern const unsigned char sym[], sym##_end[]

DEMO_BLOB(bgps_demo_rib, "rrc00.bview.20020722.2337.gz");
DEMO_BLOB(bgps_demo_upd16, "ris.updates.20160811.1600.gz");
DEMO_BLOB(bgps_demo_upd10, "rrc15.updates.20100227.1600.gz");

static const struct {
	const char		*name;
	const unsigned char	*start;
	const unsigned char	*end;
} files[] = {
	{ "rrc00.bview.20020722.2337.gz", bgps_demo_rib, bgps_demo_rib_end },
	{ "ris.updates.20160811.1600.gz", bgps_demo_upd16,
	    bgps_demo_upd16_end },
	{ "rrc15.updates.20100227.1600.gz", bgps_demo_upd10,
	    bgps_demo_upd10_end },
};

/* Is the file there with these bytes? */
static bool
same_file(const char *path, const unsigned char *p, size_t len)
{
	unsigned char buf[65536];
	struct stat st;
	size_t off = 0, n;
	FILE *f;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len || (f = fopen(path, "rb")) == NULL)
		return false;
	while (off < len && (n = fread(buf, 1, sizeof(buf), f)) > 0 &&
	    n <= len - off && memcmp(buf, p + off, n) == 0)
		off += n;
	fclose(f);
	return off == len;
}

/* Writes one file unless it is there already. */
static bool
put_file(const char *path, const unsigned char *p, size_t len, char *err,
    size_t errlen)
{
	char tmp[4300];
	bool bad;
	FILE *f;

	if (same_file(path, p, len))
		return true;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >=
	    sizeof(tmp)) {
		snprintf(err, errlen, "%s: name too long", path);
		return false;
	}
	if ((f = fopen(tmp, "wb")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return false;
	}
	bad = fwrite(p, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		remove(tmp);
		return false;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		remove(tmp);
		return false;
	}
	return true;
}

static bool
make_dir(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return true;
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return false;
}

char *
demo_config(const char *data_dir, const char *listen, double speed,
    char *err, size_t errlen)
{
	static const char fmt[] =
	    "data_dir: '%1$s'\n"
	    "api:\n"
	    "  listen: '%7$s'\n"
	    "sources:\n"
	    "  - name: rrc00-2002\n"
	    "    type: mrt\n"
	    "    files: ['%2$s/%3$s']\n"
	    "    clock: now\n"
	    "    tags: [collector]\n"
	    "  - name: ris-2016\n"
	    "    type: mrt\n"
	    "    files: ['%2$s/%4$s']\n"
	    "    speed: %6$g\n"
	    "    loop: true\n"
	    "    clock: now\n"
	    "    tags: [collector]\n"
	    "  - name: rrc15-2010\n"
	    "    type: mrt\n"
	    "    files: ['%2$s/%5$s']\n"
	    "    speed: %6$g\n"
	    "    loop: true\n"
	    "    clock: now\n"
	    "    tags: [collector]\n";
	char dir[4096];
	char *text;
	int n;

	if (strlen(data_dir) > 3000) {
		snprintf(err, errlen, "%s: the data directory's name is too "
		    "long", data_dir);
		return NULL;
	}
	/* paths go in YAML's single quotes */
	for (const char *c = data_dir; *c != '\0'; c++)
		if (*c == '\'' || (unsigned char)*c < 0x20) {
			snprintf(err, errlen, "%s: the data directory's name "
			    "has a quote or a control character", data_dir);
			return NULL;
		}
	/* the configuration's checks say what is wrong with an address */
	if (strlen(listen) > 64 || strchr(listen, '\'') != NULL ||
	    strchr(listen, '\n') != NULL) {
		snprintf(err, errlen, "--listen: expected ADDRESS:PORT, got "
		    "'%.64s'", listen);
		return NULL;
	}
	snprintf(dir, sizeof(dir), "%s/demo", data_dir);
	if (!make_dir(data_dir, err, errlen) || !make_dir(dir, err, errlen))
		return NULL;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4200];

		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		if (!put_file(path, files[i].start,
		    (size_t)(files[i].end - files[i].start), err, errlen))
			return NULL;
	}
	/* The RIB dump loads at once; the updates of two other times and
	 * collectors replay at the speed factor, again and again, stamped
	 * with the time they are replayed at. */
	n = snprintf(NULL, 0, fmt, data_dir, dir, files[0].name,
	    files[1].name, files[2].name, speed, listen);
	if (n < 0 || (text = malloc((size_t)n + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(text, (size_t)n + 1, fmt, data_dir, dir, files[0].name,
	    files[1].name, files[2].name, speed, listen);
	return text;
}
