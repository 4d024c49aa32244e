/*
 * test_cholesky.c — the library never aborts on a correlation matrix that is
 * not positive definite, even when the caller keeps GSL's default
 * abort-on-error handler (this program deliberately does not switch it off),
 * and it leaves the caller's handler in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>

#include "cholesky.h"
#include "jfsim.h"

static int handler_calls;
static void counting_handler(const char *reason, const char *file, int line, int gsl_errno)
{
    (void)reason, (void)file, (void)line, (void)gsl_errno;
    handler_calls++;
}

/* rho = 0.9, 0.9, -0.9 among three: not positive definite (det < 0). */
static void test_not_pd_returns_status(void **state)
{
    (void)state;
    gsl_matrix *m = gsl_matrix_alloc(3, 3);
    const double a[9] = {1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1};
    for (size_t i = 0; i < 9; i++)
        gsl_matrix_set(m, i / 3, i % 3, a[i]);
    gsl_error_handler_t *mine = counting_handler;
    gsl_set_error_handler(mine);
    assert_int_equal(jf__cholesky_decomp(m), GSL_EDOM);
    assert_int_equal(handler_calls, 0);                      /* not called: it was off */
    assert_true(gsl_set_error_handler(NULL) == mine);         /* and is restored */
    gsl_matrix_free(m);
}

/* Through the public loader, with GSL's default (aborting) handler in force. */
static void test_loader_with_default_handler(void **state)
{
    (void)state;
    gsl_set_error_handler(NULL); /* GSL's default: abort() */
    jf_scenario *sc = NULL;
    jf_error err;
    jf_status st = jf_scenario_load(JF_TEST_DATA "/err_not_pd.yaml", NULL, 0, &sc, &err);
    assert_int_equal(st, JF_ERR_NOT_PD);
    assert_null(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_pd_returns_status),
        cmocka_unit_test(test_loader_with_default_handler),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
