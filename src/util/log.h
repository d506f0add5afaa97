/* Logging to stderr with a level and a UTC timestamp. */
#ifndef BGPS_UTIL_LOG_H
#define BGPS_UTIL_LOG_H

enum log_level { LOG_NONE = -1, LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* LOG_NONE: nothing at all (fuzzing, benchmarks). */
void	log_set_level(enum log_level lvl);
/* Parses "error", "warn", "info" or "debug"; returns -1 otherwise. */
int	log_level_parse(const char *s);
void	log_msg(enum log_level lvl, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
