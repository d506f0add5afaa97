/* The HTTP API: the looking glass under /api/v1, /metrics in Prometheus
 * text, /healthz. libwebsockets runs on a thread of its own with its own
 * libuv loop; what a request asks of the daemon is answered on the
 * daemon's loop between source polls, from the RIB as it is, and the
 * looking glass's answers are printed back on the API thread. docs/api.md
 * and docs/openapi.json describe every route. */
#ifndef BGPS_API_API_H
#define BGPS_API_API_H

#include "config/config.h"

struct daemon;
struct api;
struct feed_event;
struct rib;

/* Listens as d->cfg says and starts the API thread; NULL (logged) when
 * it cannot listen. Tokens are read from d->cfg at each request, so a
 * reload changes them at once; the address and the request size limit
 * hold until a restart. */
struct api	*api_new(struct daemon *d);
/* No more requests; the API thread closes its connections and ends
 * (d->loop must then run, to close the API's handle on it). */
void		 api_stop(struct api *a);
/* On the daemon's loop: a batch of events the sources emitted (after
 * the RIB took them), for the RIS Live stream's clients. */
void		 api_stream_publish(struct api *a, struct rib *r,
		    const struct feed_event *ev, size_t n);
/* Waits for the API thread and frees it; after api_stop and a run of
 * d->loop. */
void		 api_free(struct api *a);

#endif
