#include "util/readahead.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define RA_BUFS		4
#define RA_BUFSIZE	(1024 * 1024)

struct ra_buf {
	unsigned char	*p;
	size_t		 len;	/* filled bytes */
	ssize_t		 rc;	/* 0 end, -1 error, else > 0 */
};

struct readahead {
	ra_source_fn	 fn;
	void		*arg;
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct ra_buf	 bufs[RA_BUFS];
	unsigned	 head;		/* next to consume */
	unsigned	 count;		/* filled, not yet consumed */
	size_t		 pos;		/* within bufs[head] */
	bool		 stop;
	bool		 done;		/* producer finished */
};

static void *
ra_main(void *arg)
{
	struct readahead *ra = arg;
	unsigned tail = 0;

	for (;;) {
		struct ra_buf *b;
		ssize_t n;

		pthread_mutex_lock(&ra->mu);
		while (ra->count == RA_BUFS && !ra->stop)
			pthread_cond_wait(&ra->cv, &ra->mu);
		if (ra->stop) {
			pthread_mutex_unlock(&ra->mu);
			break;
		}
		pthread_mutex_unlock(&ra->mu);
		b = &ra->bufs[tail];
		/* fill the buffer as far as the source goes */
		b->len = 0;
		b->rc = 1;
		while (b->len < RA_BUFSIZE) {
			n = ra->fn(ra->arg, b->p + b->len, RA_BUFSIZE - b->len);
			if (n <= 0) {
				b->rc = n;
				break;
			}
			b->len += (size_t)n;
		}
		pthread_mutex_lock(&ra->mu);
		ra->count++;
		tail = (tail + 1) % RA_BUFS;
		if (b->rc <= 0)
			ra->done = true;
		pthread_cond_broadcast(&ra->cv);
		pthread_mutex_unlock(&ra->mu);
		if (b->rc <= 0)
			break;
	}
	return NULL;
}

struct readahead *
ra_start(ra_source_fn fn, void *arg)
{
	struct readahead *ra = calloc(1, sizeof(*ra));

	if (ra == NULL)
		return NULL;
	ra->fn = fn;
	ra->arg = arg;
	for (int i = 0; i < RA_BUFS; i++)
		if ((ra->bufs[i].p = malloc(RA_BUFSIZE)) == NULL)
			goto fail;
	pthread_mutex_init(&ra->mu, NULL);
	pthread_cond_init(&ra->cv, NULL);
	if (pthread_create(&ra->thread, NULL, ra_main, ra) != 0) {
		pthread_mutex_destroy(&ra->mu);
		pthread_cond_destroy(&ra->cv);
		goto fail;
	}
	return ra;
fail:
	for (int i = 0; i < RA_BUFS; i++)
		free(ra->bufs[i].p);
	free(ra);
	return NULL;
}

ssize_t
ra_read(void *arg, void *buf, size_t n)
{
	struct readahead *ra = arg;
	struct ra_buf *b;
	size_t k;

	pthread_mutex_lock(&ra->mu);
	while (ra->count == 0)
		pthread_cond_wait(&ra->cv, &ra->mu);
	b = &ra->bufs[ra->head];
	pthread_mutex_unlock(&ra->mu);
	if (ra->pos == b->len) {
		/* an exhausted last buffer: its status is the answer */
		if (b->rc <= 0)
			return b->rc;
		pthread_mutex_lock(&ra->mu);
		ra->head = (ra->head + 1) % RA_BUFS;
		ra->count--;
		ra->pos = 0;
		pthread_cond_broadcast(&ra->cv);
		pthread_mutex_unlock(&ra->mu);
		return ra_read(arg, buf, n);
	}
	k = b->len - ra->pos;
	if (k > n)
		k = n;
	memcpy(buf, b->p + ra->pos, k);
	ra->pos += k;
	return (ssize_t)k;
}

void
ra_stop(struct readahead *ra)
{
	if (ra == NULL)
		return;
	pthread_mutex_lock(&ra->mu);
	ra->stop = true;
	pthread_cond_broadcast(&ra->cv);
	pthread_mutex_unlock(&ra->mu);
	pthread_join(ra->thread, NULL);
	pthread_mutex_destroy(&ra->mu);
	pthread_cond_destroy(&ra->cv);
	for (int i = 0; i < RA_BUFS; i++)
		free(ra->bufs[i].p);
	free(ra);
}
