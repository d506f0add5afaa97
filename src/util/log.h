/* Logging with a level: to stderr (the default) or a file, each line
 * with a UTC timestamp, or to syslog (facility daemon). Messages are
 * "what happened" followed by key=value fields (source=rrc00 vp=...). */
#ifndef BGPS_UTIL_LOG_H
#define BGPS_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_NONE = -1, LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* LOG_NONE: nothing at all (fuzzing, benchmarks). */
void	log_set_level(enum log_level lvl);
/* Parses "error", "warn", "info" or "debug"; returns -1 otherwise. */
int	log_level_parse(const char *s);
void	log_to_stderr(void);
/* Appends to path (line-buffered); false with err set when it cannot. */
bool	log_to_file(const char *path, char *err, size_t errlen);
void	log_to_syslog(const char *ident);
void	log_msg(enum log_level lvl, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
