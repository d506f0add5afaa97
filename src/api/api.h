/* The HTTP API (libwebsockets on the daemon's libuv loop): the looking
 * glass under /api/v1, /metrics in Prometheus text, /healthz. Requests
 * are answered on the loop between source polls, from the RIB as it is.
 * docs/api.md and docs/openapi.json describe every route. */
#ifndef BGPS_API_API_H
#define BGPS_API_API_H

#include "config/config.h"

struct daemon;
struct api;

/* Listens as d->cfg says; NULL (logged) when it cannot. To be called
 * before anything else is on d->loop. Tokens are read
 * from d->cfg at each request, so a reload changes them at once; the
 * address and the request size limit hold until a restart. */
struct api	*api_new(struct daemon *d);
/* Stops listening and starts closing (the loop must then run). */
void		 api_stop(struct api *a);
/* Frees it; after api_stop and a run of the loop. */
void		 api_free(struct api *a);

#endif
