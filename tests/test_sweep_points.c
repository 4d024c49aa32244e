/*
 * test_sweep_points.c — the points of a sweep (sweep_points.h): grid order and
 * range values, Latin hypercube strata and reproducibility, Sobol points
 * against GSL's sequence and its known first points, limits.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_qrng.h>

#include "sweep_points.h"

static jf_axis list_axis(const char *path, double *values, size_t n)
{
    jf_axis a;
    memset(&a, 0, sizeof a);
    snprintf(a.path, sizeof a.path, "%s", path);
    a.kind = JF_AXIS_LIST;
    a.values = values;
    a.n_values = n;
    return a;
}

static jf_axis range_axis(const char *path, double from, double to, unsigned steps)
{
    jf_axis a;
    memset(&a, 0, sizeof a);
    snprintf(a.path, sizeof a.path, "%s", path);
    a.kind = JF_AXIS_RANGE;
    a.from = from;
    a.to = to;
    a.steps = steps;
    return a;
}

static jf_axis minmax_axis(const char *path, double min, double max)
{
    jf_axis a;
    memset(&a, 0, sizeof a);
    snprintf(a.path, sizeof a.path, "%s", path);
    a.kind = JF_AXIS_MINMAX;
    a.min = min;
    a.max = max;
    return a;
}

static jf_sweep make_sweep(jf_sweep_method method, jf_axis *axes, size_t n_axes, unsigned n, uint64_t seed)
{
    jf_sweep sw;
    memset(&sw, 0, sizeof sw);
    sw.present = true;
    sw.method = method;
    sw.axes = axes;
    sw.n_axes = n_axes;
    sw.n = n;
    sw.seed = seed;
    return sw;
}

/* Grid: 2 × 3 × 2 points, the LAST axis varying fastest; the point i of
 * a product with sizes (2, 3, 2) has digits (i / 6, (i / 2) % 3, i % 2). */
static void test_grid_order(void **state)
{
    (void)state;
    double a[] = {1, 2}, c[] = {-1, 1};
    jf_axis axes[3] = {list_axis("a", a, 2), range_axis("b", 10, 30, 3), list_axis("c", c, 2)};
    jf_sweep sw = make_sweep(JF_SWEEP_GRID, axes, 3, 0, 0);
    double *v = NULL;
    size_t n = 0;
    jf_error err;
    assert_int_equal(jf__sweep_points(&sw, &v, &n, &err), JF_OK);
    assert_int_equal(n, 12);
    static const double want[12][3] = {
        {1, 10, -1}, {1, 10, 1}, {1, 20, -1}, {1, 20, 1}, {1, 30, -1}, {1, 30, 1},
        {2, 10, -1}, {2, 10, 1}, {2, 20, -1}, {2, 20, 1}, {2, 30, -1}, {2, 30, 1}};
    for (size_t i = 0; i < 12; i++)
        for (size_t j = 0; j < 3; j++)
            assert_true(v[i * 3 + j] == want[i][j]);
    free(v);
}

/* {from, to, steps}: x_i = from + (to - from)·i/(steps - 1); the ends exact. */
static void test_range_values(void **state)
{
    (void)state;
    /* 0.2 .. 0.6 in 5 steps: 0.2, 0.3, 0.4, 0.5, 0.6 (to within 2 ulp inside, exact at the ends). */
    static const double dec[5] = {0.2, 0.3, 0.4, 0.5, 0.6};
    for (unsigned i = 0; i < 5; i++) {
        double x = jf__sweep_range_value(0.2, 0.6, 5, i);
        assert_true(fabs(x - dec[i]) <= 2 * 0x1p-52 * dec[i]);
    }
    assert_true(jf__sweep_range_value(0.2, 0.6, 5, 0) == 0.2);
    assert_true(jf__sweep_range_value(0.2, 0.6, 5, 4) == 0.6);
    /* 0.03 + (0.29 - 0.03)·2/2 is 0.29000000000000004 in floating point; the last value must be `to`. */
    assert_true(0.03 + (0.29 - 0.03) * 2.0 / 2.0 != 0.29);
    assert_true(jf__sweep_range_value(0.03, 0.29, 3, 2) == 0.29);
    /* Descending, binary-exact: 1, 0.75, 0.5, 0.25, 0. */
    for (unsigned i = 0; i < 5; i++)
        assert_true(jf__sweep_range_value(1, 0, 5, i) == 1.0 - 0.25 * i);
    /* Inner points are the documented formula, bit for bit. */
    assert_true(jf__sweep_range_value(0.2, 0.6, 5, 3) == 0.2 + (0.6 - 0.2) * 3.0 / 4.0);
}

static size_t stratum(double x, double min, double max, size_t n)
{
    double u = (x - min) / (max - min) * (double)n;
    size_t s = (size_t)floor(u);
    return s >= n ? n - 1 : s;
}

/* LHS: every axis's n strata each hold exactly one point; same seed, same
 * points; another seed, other points; an axis's column does not move when
 * another axis is added (streams keyed by the axis path). */
static void test_lhs(void **state)
{
    (void)state;
    enum { N = 97 };
    jf_axis axes[3] = {minmax_axis("x", 0, 1), minmax_axis("y", -5, 15), minmax_axis("z", 0.1, 0.2)};
    jf_sweep sw = make_sweep(JF_SWEEP_LHS, axes, 3, N, 42);
    double *v = NULL, *w = NULL, *u = NULL, *two = NULL;
    size_t n = 0;
    jf_error err;
    assert_int_equal(jf__sweep_points(&sw, &v, &n, &err), JF_OK);
    assert_int_equal(n, N);
    for (size_t j = 0; j < 3; j++) {
        int hits[N] = {0};
        for (size_t i = 0; i < N; i++) {
            double x = v[i * 3 + j];
            assert_true(x >= axes[j].min && x <= axes[j].max);
            hits[stratum(x, axes[j].min, axes[j].max, N)]++;
        }
        for (size_t s = 0; s < N; s++)
            assert_int_equal(hits[s], 1);
    }
    assert_int_equal(jf__sweep_points(&sw, &w, &n, &err), JF_OK);
    assert_memory_equal(v, w, sizeof(double) * N * 3);
    sw.seed = 43;
    assert_int_equal(jf__sweep_points(&sw, &u, &n, &err), JF_OK);
    size_t same = 0;
    for (size_t i = 0; i < N * 3; i++)
        same += v[i] == u[i];
    assert_true(same == 0); /* continuous jitter: a coincidence has probability 0 */
    /* Only x and z: their columns are those of the 3-axis sweep. */
    jf_axis xz[2] = {axes[0], axes[2]};
    jf_sweep sw2 = make_sweep(JF_SWEEP_LHS, xz, 2, N, 42);
    assert_int_equal(jf__sweep_points(&sw2, &two, &n, &err), JF_OK);
    for (size_t i = 0; i < N; i++) {
        assert_true(two[i * 2] == v[i * 3]);
        assert_true(two[i * 2 + 1] == v[i * 3 + 2]);
    }
    free(v);
    free(w);
    free(u);
    free(two);
}

/* Sobol: the known first points of the sequence in 2 dimensions, (1/2, 1/2),
 * (3/4, 1/4), (1/4, 3/4), (3/8, 3/8), (7/8, 7/8), mapped to [min, max]; and
 * 64 points in 5 dimensions equal GSL's gsl_qrng_sobol mapped the same way. */
static void test_sobol(void **state)
{
    (void)state;
    jf_axis axes2[2] = {minmax_axis("a", 0, 1), minmax_axis("b", 10, 20)};
    jf_sweep sw = make_sweep(JF_SWEEP_SOBOL, axes2, 2, 5, 0);
    double *v = NULL;
    size_t n = 0;
    jf_error err;
    assert_int_equal(jf__sweep_points(&sw, &v, &n, &err), JF_OK);
    static const double first[5][2] = {{0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875}};
    for (size_t i = 0; i < 5; i++) {
        assert_true(v[i * 2] == first[i][0]);
        assert_true(v[i * 2 + 1] == 10 + 10 * first[i][1]);
    }
    free(v);

    enum { D = 5, N = 64 };
    jf_axis axes[D];
    for (int j = 0; j < D; j++) {
        char name[8];
        snprintf(name, sizeof name, "p%d", j);
        axes[j] = minmax_axis(name, -1.0 - j, 2.0 + 3 * j);
    }
    sw = make_sweep(JF_SWEEP_SOBOL, axes, D, N, 7);
    assert_int_equal(jf__sweep_points(&sw, &v, &n, &err), JF_OK);
    assert_int_equal(n, N);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, D);
    assert_non_null(q);
    double u[D];
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(gsl_qrng_get(q, u), GSL_SUCCESS);
        for (int j = 0; j < D; j++)
            assert_true(v[i * D + j] == axes[j].min + u[j] * (axes[j].max - axes[j].min));
    }
    gsl_qrng_free(q);
    free(v);
}

static void test_limits(void **state)
{
    (void)state;
    double *v = NULL;
    size_t n = 0;
    jf_error err;
    jf_axis many[41];
    for (int j = 0; j < 41; j++)
        many[j] = minmax_axis("p", 0, 1);
    jf_sweep sw = make_sweep(JF_SWEEP_SOBOL, many, 41, 8, 0);
    assert_int_equal(jf__sweep_points(&sw, &v, &n, &err), JF_ERR_LIMIT);
    assert_null(v);
    assert_non_null(strstr(err.message, "40"));
    /* 1000 × 1000 × 1000 × 11 grid points pass the 10^7 limit. */
    jf_axis big[4] = {range_axis("a", 0, 1, 1000), range_axis("b", 0, 1, 1000), range_axis("c", 0, 1, 1000),
                      range_axis("d", 0, 1, 11)};
    sw = make_sweep(JF_SWEEP_GRID, big, 4, 0, 0);
    assert_int_equal(jf__sweep_points(&sw, &v, &n, &err), JF_ERR_LIMIT);
    assert_int_equal(n, 0);
    jf_sweep none;
    memset(&none, 0, sizeof none);
    assert_int_equal(jf__sweep_points(&none, &v, &n, &err), JF_ERR_USAGE);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_order), cmocka_unit_test(test_range_values),
        cmocka_unit_test(test_lhs),        cmocka_unit_test(test_sobol),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
