/*
 * moment_lanes.c — the lanes of jf__moments_add_block (see moment_lanes.h):
 * portable C, SSE2 (4 registers of 2 lanes), AVX2 (2 of 4) and AVX-512F
 * (1 of 8).  The compensated step is
 *   t = s + v;  c += |s| >= |v| ? (s - t) + v : (v - t) + s;  s = t
 * with both corrections computed and one selected (no data-dependent jump);
 * min_pd(v, lo) is v < lo ? v : lo and max_pd likewise, in every width.
 * No fused multiply-add anywhere (the build passes -ffp-contract=off, and
 * the intrinsics multiply and add separately), so the lanes agree bit for
 * bit.
 */
#include "moment_lanes.h"

#include <math.h>

#define L JF__MOMENT_LANES

#if !defined(JF_PORTABLE_ONLY) && defined(__SSE2__)
#include <emmintrin.h>
#define JF__ML_SSE2 1
#endif
#if !defined(JF_PORTABLE_ONLY) && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define JF__ML_AVX 1
#endif

static void init_lanes(double *s, double *c, double *lo, double *hi)
{
    for (int l = 0; l < L; l++) {
        s[l] = c[l] = 0.0;
        lo[l] = INFINITY;
        hi[l] = -INFINITY;
    }
}

static void sum_minmax_portable(const double *x, size_t n, double *s, double *c, double *lo,
                                double *hi)
{
    for (size_t i = 0; i < n; i += L)
        for (int l = 0; l < L; l++) {
            double v = x[i + (size_t)l];
            double t = s[l] + v;
            double big_s = (s[l] - t) + v, big_x = (v - t) + s[l];
            c[l] += fabs(s[l]) >= fabs(v) ? big_s : big_x;
            s[l] = t;
            lo[l] = v < lo[l] ? v : lo[l];
            hi[l] = v > hi[l] ? v : hi[l];
        }
}

static void deviations_portable(const double *x, size_t n, double m, double *s1, double *s2)
{
    for (size_t i = 0; i < n; i += L)
        for (int l = 0; l < L; l++) {
            double d = x[i + (size_t)l] - m;
            s1[l] += d;
            s2[l] += d * d;
        }
}

#ifdef JF__ML_SSE2
static void sum_minmax_sse2(const double *x, size_t n, double *s, double *c, double *lo, double *hi)
{
    const __m128d sign = _mm_set1_pd(-0.0);
    __m128d vs[L / 2], vc[L / 2], vlo[L / 2], vhi[L / 2];
    for (int r = 0; r < L / 2; r++) {
        vs[r] = vc[r] = _mm_setzero_pd();
        vlo[r] = _mm_set1_pd(INFINITY);
        vhi[r] = _mm_set1_pd(-INFINITY);
    }
    for (size_t i = 0; i < n; i += L)
        for (int r = 0; r < L / 2; r++) {
            __m128d v = _mm_loadu_pd(x + i + 2 * (size_t)r);
            __m128d t = _mm_add_pd(vs[r], v);
            __m128d big_s = _mm_add_pd(_mm_sub_pd(vs[r], t), v);
            __m128d big_x = _mm_add_pd(_mm_sub_pd(v, t), vs[r]);
            __m128d ge = _mm_cmpge_pd(_mm_andnot_pd(sign, vs[r]), _mm_andnot_pd(sign, v));
            vc[r] = _mm_add_pd(vc[r], _mm_or_pd(_mm_and_pd(ge, big_s), _mm_andnot_pd(ge, big_x)));
            vs[r] = t;
            vlo[r] = _mm_min_pd(v, vlo[r]);
            vhi[r] = _mm_max_pd(v, vhi[r]);
        }
    for (int r = 0; r < L / 2; r++) {
        _mm_storeu_pd(s + 2 * r, vs[r]);
        _mm_storeu_pd(c + 2 * r, vc[r]);
        _mm_storeu_pd(lo + 2 * r, vlo[r]);
        _mm_storeu_pd(hi + 2 * r, vhi[r]);
    }
}
#endif

#ifdef JF__ML_AVX
__attribute__((target("avx2"))) static void sum_minmax_avx2(const double *x, size_t n, double *s,
                                                             double *c, double *lo, double *hi)
{
    const __m256d sign = _mm256_set1_pd(-0.0);
    __m256d vs[2], vc[2], vlo[2], vhi[2];
    for (int r = 0; r < 2; r++) {
        vs[r] = vc[r] = _mm256_setzero_pd();
        vlo[r] = _mm256_set1_pd(INFINITY);
        vhi[r] = _mm256_set1_pd(-INFINITY);
    }
    for (size_t i = 0; i < n; i += L)
        for (int r = 0; r < 2; r++) {
            __m256d v = _mm256_loadu_pd(x + i + 4 * (size_t)r);
            __m256d t = _mm256_add_pd(vs[r], v);
            __m256d big_s = _mm256_add_pd(_mm256_sub_pd(vs[r], t), v);
            __m256d big_x = _mm256_add_pd(_mm256_sub_pd(v, t), vs[r]);
            __m256d ge = _mm256_cmp_pd(_mm256_andnot_pd(sign, vs[r]), _mm256_andnot_pd(sign, v),
                                       _CMP_GE_OQ);
            vc[r] = _mm256_add_pd(vc[r], _mm256_blendv_pd(big_x, big_s, ge));
            vs[r] = t;
            vlo[r] = _mm256_min_pd(v, vlo[r]);
            vhi[r] = _mm256_max_pd(v, vhi[r]);
        }
    for (int r = 0; r < 2; r++) {
        _mm256_storeu_pd(s + 4 * r, vs[r]);
        _mm256_storeu_pd(c + 4 * r, vc[r]);
        _mm256_storeu_pd(lo + 4 * r, vlo[r]);
        _mm256_storeu_pd(hi + 4 * r, vhi[r]);
    }
}

__attribute__((target("avx2"))) static void deviations_avx2(const double *x, size_t n, double m,
                                                             double *s1, double *s2)
{
    const __m256d vm = _mm256_set1_pd(m);
    __m256d a[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()}, b[2] = {a[0], a[0]};
    for (size_t i = 0; i < n; i += L)
        for (int r = 0; r < 2; r++) {
            __m256d d = _mm256_sub_pd(_mm256_loadu_pd(x + i + 4 * (size_t)r), vm);
            a[r] = _mm256_add_pd(a[r], d);
            b[r] = _mm256_add_pd(b[r], _mm256_mul_pd(d, d));
        }
    for (int r = 0; r < 2; r++) {
        _mm256_storeu_pd(s1 + 4 * r, a[r]);
        _mm256_storeu_pd(s2 + 4 * r, b[r]);
    }
}

/* Absolute value by clearing the sign bit (AVX-512F has no andnot_pd). */
__attribute__((target("avx512f"))) static inline __m512d abs512(__m512d v)
{
    return _mm512_castsi512_pd(
        _mm512_and_si512(_mm512_castpd_si512(v), _mm512_set1_epi64(0x7fffffffffffffffLL)));
}

__attribute__((target("avx512f"))) static void sum_minmax_avx512(const double *x, size_t n,
                                                                  double *s, double *c,
                                                                  double *lo, double *hi)
{
    __m512d vs = _mm512_setzero_pd(), vc = vs;
    __m512d vlo = _mm512_set1_pd(INFINITY), vhi = _mm512_set1_pd(-INFINITY);
    for (size_t i = 0; i < n; i += L) {
        __m512d v = _mm512_loadu_pd(x + i);
        __m512d t = _mm512_add_pd(vs, v);
        __m512d big_s = _mm512_add_pd(_mm512_sub_pd(vs, t), v);
        __m512d big_x = _mm512_add_pd(_mm512_sub_pd(v, t), vs);
        __mmask8 ge = _mm512_cmp_pd_mask(abs512(vs), abs512(v), _CMP_GE_OQ);
        vc = _mm512_add_pd(vc, _mm512_mask_blend_pd(ge, big_x, big_s));
        vs = t;
        vlo = _mm512_min_pd(v, vlo);
        vhi = _mm512_max_pd(v, vhi);
    }
    _mm512_storeu_pd(s, vs);
    _mm512_storeu_pd(c, vc);
    _mm512_storeu_pd(lo, vlo);
    _mm512_storeu_pd(hi, vhi);
}

__attribute__((target("avx512f"))) static void deviations_avx512(const double *x, size_t n,
                                                                  double m, double *s1, double *s2)
{
    const __m512d vm = _mm512_set1_pd(m);
    __m512d a = _mm512_setzero_pd(), b = a;
    for (size_t i = 0; i < n; i += L) {
        __m512d d = _mm512_sub_pd(_mm512_loadu_pd(x + i), vm);
        a = _mm512_add_pd(a, d);
        b = _mm512_add_pd(b, _mm512_mul_pd(d, d));
    }
    _mm512_storeu_pd(s1, a);
    _mm512_storeu_pd(s2, b);
}
#endif

void jf__lanes_sum_minmax(jf__isa isa, const double *x, size_t n, double s[L], double c[L],
                          double lo[L], double hi[L])
{
    init_lanes(s, c, lo, hi);
    if (n == 0)
        return;
    switch (isa) {
#ifdef JF__ML_AVX
    case JF__ISA_AVX512:
        sum_minmax_avx512(x, n, s, c, lo, hi);
        return;
    case JF__ISA_AVX2:
        sum_minmax_avx2(x, n, s, c, lo, hi);
        return;
#endif
#ifdef JF__ML_SSE2
    case JF__ISA_SSE2:
        sum_minmax_sse2(x, n, s, c, lo, hi);
        return;
#endif
    default:
        sum_minmax_portable(x, n, s, c, lo, hi);
        return;
    }
}

void jf__lanes_deviations(jf__isa isa, const double *x, size_t n, double m, double s1[L],
                          double s2[L])
{
    for (int l = 0; l < L; l++)
        s1[l] = s2[l] = 0.0;
    switch (isa) {
#ifdef JF__ML_AVX
    case JF__ISA_AVX512:
        deviations_avx512(x, n, m, s1, s2);
        return;
    case JF__ISA_AVX2:
        deviations_avx2(x, n, m, s1, s2);
        return;
#endif
    default:
        deviations_portable(x, n, m, s1, s2); /* the compiler vectorises it with SSE2 */
        return;
    }
}
