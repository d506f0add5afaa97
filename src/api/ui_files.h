/* The web UI's files (api.ui_dir), served at /. */
#ifndef BGPS_API_UI_FILES_H
#define BGPS_API_UI_FILES_H

#include <stddef.h>

#include "util/strbuf.h"

struct ui_file_meta {
	const char	*ctype;
	const char	*cache_control;
};

/* Appends the file at path (a request's, "/" being /index.html) under
 * dir to out; the HTTP status: 200, 404 (no such file, a path we do not
 * serve: a segment other than [A-Za-z0-9._-], or beginning with a dot)
 * or 500, with err set when not 200. */
unsigned	 ui_file_read(const char *dir, const char *path,
		    struct strbuf *out, struct ui_file_meta *m, char *err,
		    size_t errlen);
/* The Content-Type of a file by its name's ending. */
const char	*ui_file_type(const char *path);

#endif
