/*
 * cholesky.c — see cholesky.h: GSL's Cholesky factorisation with the
 * abort-on-error handler off, serialised by one lock.
 */
#include <pthread.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "cholesky.h"

static pthread_mutex_t jf__gsl_handler_lock = PTHREAD_MUTEX_INITIALIZER;

int jf__cholesky_decomp(gsl_matrix *m)
{
    pthread_mutex_lock(&jf__gsl_handler_lock);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int rc = gsl_linalg_cholesky_decomp1(m);
    gsl_set_error_handler(old);
    pthread_mutex_unlock(&jf__gsl_handler_lock);
    return rc;
}
