/* The web UI's files, served at / from api.ui_dir on the API thread.
 * They are a build's output (ui/dist): a page, its scripts, styles and
 * images, none of them data; so they need no token, and what the pages
 * ask of the API does. A file is read whole at each request (the page
 * cache keeps it): a UI built again is served at once, without a
 * restart. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/ui_files.h"

#define UI_FILE_MAX	(64u << 20)

static const struct {
	const char	*ext;
	const char	*ctype;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".map", "application/json" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".txt", "text/plain; charset=utf-8" },
};

/* A path we serve: '/', then segments of [A-Za-z0-9._-] that do not
 * begin with a dot (no "..", no hidden file), with no empty one. */
static bool
path_ok(const char *p)
{
	bool seg_start = true;

	if (*p++ != '/')
		return false;
	for (; *p != '\0'; p++) {
		char c = *p;

		if (c == '/') {
			if (seg_start)
				return false;
			seg_start = true;
			continue;
		}
		if (seg_start && c == '.')
			return false;
		seg_start = false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return !seg_start;
}

/* path (path_ok's) opened under dir one segment at a time, none of
 * them a symbolic link: nothing outside dir is reached, however the
 * tree is made. -1 with errno when it cannot be. */
static int
open_beneath(const char *dir, const char *path)
{
	char seg[256];
	int fd, next;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	for (const char *p = path + 1; fd >= 0; ) {
		const char *slash = strchr(p, '/');
		size_t n = slash != NULL ? (size_t)(slash - p) : strlen(p);

		if (n >= sizeof(seg)) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(seg, p, n);
		seg[n] = '\0';
		next = openat(fd, seg, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    (slash != NULL ? O_DIRECTORY : 0));
		close(fd);
		fd = next;
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	return fd;
}

const char *
ui_file_type(const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t e = strlen(types[i].ext);

		if (n > e && strcmp(path + n - e, types[i].ext) == 0)
			return types[i].ctype;
	}
	return "application/octet-stream";
}

unsigned
ui_file_read(const char *dir, const char *path, struct strbuf *out,
    struct ui_file_meta *m, char *err, size_t errlen)
{
	struct stat st;
	size_t got = 0;
	int fd;

	m->ctype = NULL;
	m->cache_control = NULL;
	if (dir == NULL || *dir == '\0') {
		snprintf(err, errlen, "no web UI here (api.ui_dir is not set)");
		return 404;
	}
	if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0)
		path = "/index.html";
	else if (!path_ok(path)) {
		snprintf(err, errlen, "no such path: %.64s", path);
		return 404;
	}
	if ((fd = open_beneath(dir, path)) < 0) {
		if (strcmp(path, "/index.html") == 0)
			snprintf(err, errlen, "no web UI: %.200s/index.html: %s "
			    "(build it: make ui)", dir, strerror(errno));
		else
			snprintf(err, errlen, "no such path: %.64s", path);
		return 404;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > UI_FILE_MAX) {
		close(fd);
		snprintf(err, errlen, "no such path: %.64s", path);
		return 404;
	}
	if (!sb_reserve(out, (size_t)st.st_size)) {
		close(fd);
		snprintf(err, errlen, "out of memory for %.64s", path);
		return 500;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, out->s + out->len + got,
		    (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "%.64s: %s", path, r < 0 ?
			    strerror(errno) : "shorter than it was");
			close(fd);
			return 500;
		}
		got += (size_t)r;
	}
	close(fd);
	out->len += got;
	out->s[out->len] = '\0';
	m->ctype = ui_file_type(path);
	/* Vite names what it builds under /assets/ by a hash of its
	 * content: those never change; the page that names them must be
	 * asked for again each time */
	m->cache_control = strncmp(path, "/assets/", 8) == 0 ?
	    "public, max-age=31536000, immutable" : "no-cache";
	return 200;
}
