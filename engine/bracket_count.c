/*
 * bracket_count.c — count a block of values into a bracket's histogram
 * (quantile_bracket.c explains the histogram and why its counts certify).
 *
 * Two stages per block.  Classify: for each value g = #{ranges entirely
 * below it} (x >= hi_bound[k]); it is inside range g when x >= lo_bound[g],
 * otherwise in the gap below range g, whose histogram slot is known.  Gap
 * counts need no per-value store: with per-bound totals
 * N_hi[k] = #{x >= hi_bound[k]} and N_lo[k] = #{x >= lo_bound[k]}, gap g
 * holds N_hi[g-1] - N_lo[g] values (N_hi[-1] = all, N_lo[R] = 0).  Values
 * equal to a hot atom are counted in registers.  Search: the other values
 * inside a range are located by a branch-free binary search with the same
 * steps for all, JF__QB_LANES values in flight so their loads overlap.
 *
 * The classify stage is the one that sees every value; it exists four
 * times: portable C (the reference, and the tail of every block), SSE2
 * (2 lanes), AVX2 (4 lanes) and AVX-512F (8 lanes, compares into mask
 * registers, popcount totals, compressed index stores).  The vector ones are
 * compiled with GCC/Clang target attributes whatever the build's -march, and
 * chosen at run time from the CPU's flags (cpu_isa.h); JF_PORTABLE_ONLY
 * leaves only the portable one.  They produce the same integers.  (An
 * AVX-512 binary search with gathers was slower than the 16 scalar lanes.)
 * The scan for NaN, extremes and the signs of zeros that precedes counting
 * (jf__qb_scan) has portable, SSE2, AVX2 and AVX-512 variants.
 */
#include "bracket_count.h"

#include "fast_sort.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define JF__QB_LANES 16u /* binary searches in flight at once */

#if !defined(JF_PORTABLE_ONLY) && defined(__SSE2__)
#include <emmintrin.h>
#define JF__QB_SSE2 1
#endif
#if !defined(JF_PORTABLE_ONLY) && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define JF__QB_AVX 1
#endif

/* Classify x[i0..n) one value at a time, appending to inside[*m].  Returns
 * nothing; gap and hot counts go straight to the histogram / hot_n. */
static void classify_portable(const jf__qb_tables *t, const double *x, size_t i0, size_t n,
                              uint64_t *rng, uint32_t *inside, size_t *m_io, uint64_t hot_n[2])
{
    const double *hi_bound = t->hi_bound, *lo_bound = t->lo_bound;
    const size_t n_ranges = t->n_ranges;
    const double hot0 = t->hot[0], hot1 = t->hot[1];
    size_t m = *m_io;
    for (size_t i = i0; i < n; i++) {
        uint64_t g = 0;
        for (size_t k = 0; k < n_ranges; k++)
            g += (uint64_t)(x[i] >= hi_bound[k]);
        rng[i] = g;
        size_t in = (size_t)(x[i] >= lo_bound[g]);
        size_t h0 = (size_t)(x[i] == hot0), h1 = (size_t)(x[i] == hot1);
        t->hist[t->gap_slot[g]] += 1 - in;
        hot_n[0] += h0;
        hot_n[1] += h1;
        inside[m] = (uint32_t)i;
        m += in & (size_t)!(h0 | h1);
    }
    *m_io = m;
}

/* Gap counts of the first `n_done` values from the per-bound totals
 * n_hi(k), n_lo(k) (the kernels keep them in different layouts). */
#define ADD_GAPS(t, n_done, n_hi_of, n_lo_of)                                  \
    do {                                                                       \
        uint64_t prev_hi_ = (n_done);                                          \
        for (size_t g_ = 0; g_ <= (t)->n_ranges; g_++) {                       \
            uint64_t lo_ = g_ < (t)->n_ranges ? (n_lo_of(g_)) : 0;             \
            (t)->hist[(t)->gap_slot[g_]] += prev_hi_ - lo_;                    \
            prev_hi_ = g_ < (t)->n_ranges ? (n_hi_of(g_)) : 0;                 \
        }                                                                      \
    } while (0)

#ifdef JF__QB_SSE2
/* Eight values at a time.  Totals are kept as negated lane sums in the acc
 * scratch: vector 2k for hi_bound[k], 2k+1 for lo_bound[k]; read as words. */
#define SSE2_HI(g) (0 - (t->acc[4 * (g)] + t->acc[4 * (g) + 1]))
#define SSE2_LO(g) (0 - (t->acc[4 * (g) + 2] + t->acc[4 * (g) + 3]))
static size_t classify_sse2(const jf__qb_tables *t, const double *x, size_t n, uint64_t *rng,
                            uint32_t *inside, size_t *m_io, uint64_t hot_n[2])
{
    const size_t n8 = n - n % 8;
    if (n8 == 0)
        return 0;
    const double *hi_bound = t->hi_bound, *lo_bound = t->lo_bound;
    const size_t n_ranges = t->n_ranges;
    __m128i_u *acc = (__m128i_u *)(void *)t->acc;
    const __m128i zero = _mm_setzero_si128();
    for (size_t k = 0; k < 2 * n_ranges; k++)
        _mm_storeu_si128(acc + k, zero);
    __m128i h0acc = zero, h1acc = zero;
    const __m128d vh0 = _mm_set1_pd(t->hot[0]), vh1 = _mm_set1_pd(t->hot[1]);
    uint64_t flag[8];
    size_t m = *m_io;
    for (size_t i = 0; i < n8; i += 8) {
        __m128d xv[4];
        __m128i ch[4], cl[4];
        for (int j = 0; j < 4; j++) {
            xv[j] = _mm_loadu_pd(x + i + 2 * (size_t)j);
            ch[j] = cl[j] = zero;
        }
        for (size_t k = 0; k < n_ranges; k++) {
            __m128d bh = _mm_set1_pd(hi_bound[k]), bl = _mm_set1_pd(lo_bound[k]);
            __m128i sh = zero, sl = zero;
            for (int j = 0; j < 4; j++) {
                /* all-ones lanes where x >= b, i.e. -1: subtracting counts them */
                __m128i mh = _mm_castpd_si128(_mm_cmpge_pd(xv[j], bh));
                __m128i ml = _mm_castpd_si128(_mm_cmpge_pd(xv[j], bl));
                ch[j] = _mm_sub_epi64(ch[j], mh);
                cl[j] = _mm_sub_epi64(cl[j], ml);
                sh = _mm_add_epi64(sh, mh);
                sl = _mm_add_epi64(sl, ml);
            }
            _mm_storeu_si128(acc + 2 * k, _mm_add_epi64(_mm_loadu_si128(acc + 2 * k), sh));
            _mm_storeu_si128(acc + 2 * k + 1, _mm_add_epi64(_mm_loadu_si128(acc + 2 * k + 1), sl));
        }
        __m128i any = zero;
        for (int j = 0; j < 4; j++) {
            __m128i e0 = _mm_castpd_si128(_mm_cmpeq_pd(xv[j], vh0));
            __m128i e1 = _mm_castpd_si128(_mm_cmpeq_pd(xv[j], vh1));
            h0acc = _mm_sub_epi64(h0acc, e0);
            h1acc = _mm_sub_epi64(h1acc, e1);
            /* inside = cl - ch (0 or 1), unless hot */
            __m128i in = _mm_andnot_si128(_mm_or_si128(e0, e1), _mm_sub_epi64(cl[j], ch[j]));
            _mm_storeu_si128((__m128i_u *)(void *)(rng + i + 2 * (size_t)j), ch[j]);
            _mm_storeu_si128((__m128i_u *)(void *)(flag + 2 * j), in);
            any = _mm_or_si128(any, in);
        }
        if (_mm_movemask_epi8(_mm_cmpeq_epi32(any, zero)) != 0xFFFF)
            for (size_t u = 0; u < 8; u++) {
                inside[m] = (uint32_t)(i + u);
                m += flag[u];
            }
    }
    uint64_t lanes[2];
    _mm_storeu_si128((__m128i_u *)(void *)lanes, h0acc);
    hot_n[0] += lanes[0] + lanes[1];
    _mm_storeu_si128((__m128i_u *)(void *)lanes, h1acc);
    hot_n[1] += lanes[0] + lanes[1];
    ADD_GAPS(t, n8, SSE2_HI, SSE2_LO);
    *m_io = m;
    return n8;
}
#endif

#ifdef JF__QB_AVX
/* Sixteen values at a time in four 4-lane vectors; totals as in SSE2, one
 * 4-lane vector per bound. */
#define AVX2_HI(g) (0 - (t->acc[8 * (g)] + t->acc[8 * (g) + 1] + t->acc[8 * (g) + 2] + t->acc[8 * (g) + 3]))
#define AVX2_LO(g) (0 - (t->acc[8 * (g) + 4] + t->acc[8 * (g) + 5] + t->acc[8 * (g) + 6] + t->acc[8 * (g) + 7]))
__attribute__((target("avx2"))) static size_t classify_avx2(const jf__qb_tables *t,
                                                             const double *x, size_t n,
                                                             uint64_t *rng, uint32_t *inside,
                                                             size_t *m_io, uint64_t hot_n[2])
{
    const size_t n16 = n - n % 16;
    if (n16 == 0)
        return 0;
    const double *hi_bound = t->hi_bound, *lo_bound = t->lo_bound;
    const size_t n_ranges = t->n_ranges;
    __m256i_u *acc = (__m256i_u *)(void *)t->acc;
    const __m256i zero = _mm256_setzero_si256();
    for (size_t k = 0; k < 2 * n_ranges; k++)
        _mm256_storeu_si256(acc + k, zero);
    __m256i h0acc = zero, h1acc = zero;
    const __m256d vh0 = _mm256_set1_pd(t->hot[0]), vh1 = _mm256_set1_pd(t->hot[1]);
    size_t m = *m_io;
    for (size_t i = 0; i < n16; i += 16) {
        __m256d xv[4];
        __m256i ch[4], cl[4];
        for (int j = 0; j < 4; j++) {
            xv[j] = _mm256_loadu_pd(x + i + 4 * (size_t)j);
            ch[j] = cl[j] = zero;
        }
        for (size_t k = 0; k < n_ranges; k++) {
            __m256d bh = _mm256_set1_pd(hi_bound[k]), bl = _mm256_set1_pd(lo_bound[k]);
            __m256i sh = zero, sl = zero;
            for (int j = 0; j < 4; j++) {
                __m256i mh = _mm256_castpd_si256(_mm256_cmp_pd(xv[j], bh, _CMP_GE_OQ));
                __m256i ml = _mm256_castpd_si256(_mm256_cmp_pd(xv[j], bl, _CMP_GE_OQ));
                ch[j] = _mm256_sub_epi64(ch[j], mh);
                cl[j] = _mm256_sub_epi64(cl[j], ml);
                sh = _mm256_add_epi64(sh, mh);
                sl = _mm256_add_epi64(sl, ml);
            }
            _mm256_storeu_si256(acc + 2 * k, _mm256_add_epi64(_mm256_loadu_si256(acc + 2 * k), sh));
            _mm256_storeu_si256(acc + 2 * k + 1,
                                _mm256_add_epi64(_mm256_loadu_si256(acc + 2 * k + 1), sl));
        }
        unsigned bits = 0;
        for (int j = 0; j < 4; j++) {
            __m256i e0 = _mm256_castpd_si256(_mm256_cmp_pd(xv[j], vh0, _CMP_EQ_OQ));
            __m256i e1 = _mm256_castpd_si256(_mm256_cmp_pd(xv[j], vh1, _CMP_EQ_OQ));
            h0acc = _mm256_sub_epi64(h0acc, e0);
            h1acc = _mm256_sub_epi64(h1acc, e1);
            __m256i in = _mm256_andnot_si256(_mm256_or_si256(e0, e1), _mm256_cmpgt_epi64(cl[j], ch[j]));
            _mm256_storeu_si256((__m256i_u *)(void *)(rng + i + 4 * (size_t)j), ch[j]);
            bits |= (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(in)) << (4 * j);
        }
        if (bits != 0)
            for (unsigned u = 0; u < 16; u++) {
                inside[m] = (uint32_t)(i + u);
                m += (bits >> u) & 1u;
            }
    }
    uint64_t lanes[4];
    _mm256_storeu_si256((__m256i_u *)(void *)lanes, h0acc);
    hot_n[0] += lanes[0] + lanes[1] + lanes[2] + lanes[3];
    _mm256_storeu_si256((__m256i_u *)(void *)lanes, h1acc);
    hot_n[1] += lanes[0] + lanes[1] + lanes[2] + lanes[3];
    ADD_GAPS(t, n16, AVX2_HI, AVX2_LO);
    *m_io = m;
    return n16;
}

/* Sixteen values at a time in two 8-lane vectors; each compare gives a mask,
 * whose popcount adds to the bound's total (acc[2k], acc[2k+1]) and which
 * adds 1 to the lanes' range counts; the indices of the values inside a
 * range are compressed into a vector and stored at once. */
#define AVX512_HI(g) (t->acc[2 * (g)])
#define AVX512_LO(g) (t->acc[2 * (g) + 1])
__attribute__((target("avx512f,popcnt"))) static size_t
classify_avx512(const jf__qb_tables *t, const double *x, size_t n, uint64_t *rng, uint32_t *inside,
                size_t *m_io, uint64_t hot_n[2])
{
    const size_t n16 = n - n % 16;
    if (n16 == 0)
        return 0;
    const double *hi_bound = t->hi_bound, *lo_bound = t->lo_bound;
    const size_t n_ranges = t->n_ranges;
    uint64_t *acc = t->acc;
    memset(acc, 0, 2 * n_ranges * sizeof *acc);
    const __m512i one = _mm512_set1_epi64(1), zero = _mm512_setzero_si512();
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512d vh0 = _mm512_set1_pd(t->hot[0]), vh1 = _mm512_set1_pd(t->hot[1]);
    uint64_t nh0 = 0, nh1 = 0;
    size_t m = *m_io;
    for (size_t i = 0; i < n16; i += 16) {
        const __m512d x0 = _mm512_loadu_pd(x + i), x1 = _mm512_loadu_pd(x + i + 8);
        __m512i ch0 = zero, ch1 = zero, cl0 = zero, cl1 = zero;
        for (size_t k = 0; k < n_ranges; k++) {
            const __m512d bh = _mm512_set1_pd(hi_bound[k]), bl = _mm512_set1_pd(lo_bound[k]);
            const __mmask8 h0 = _mm512_cmp_pd_mask(x0, bh, _CMP_GE_OQ);
            const __mmask8 h1 = _mm512_cmp_pd_mask(x1, bh, _CMP_GE_OQ);
            const __mmask8 l0 = _mm512_cmp_pd_mask(x0, bl, _CMP_GE_OQ);
            const __mmask8 l1 = _mm512_cmp_pd_mask(x1, bl, _CMP_GE_OQ);
            ch0 = _mm512_mask_add_epi64(ch0, h0, ch0, one);
            ch1 = _mm512_mask_add_epi64(ch1, h1, ch1, one);
            cl0 = _mm512_mask_add_epi64(cl0, l0, cl0, one);
            cl1 = _mm512_mask_add_epi64(cl1, l1, cl1, one);
            acc[2 * k] += (uint64_t)__builtin_popcount((unsigned)h0 | (unsigned)h1 << 8);
            acc[2 * k + 1] += (uint64_t)__builtin_popcount((unsigned)l0 | (unsigned)l1 << 8);
        }
        _mm512_storeu_si512((void *)(rng + i), ch0);
        _mm512_storeu_si512((void *)(rng + i + 8), ch1);
        const unsigned e0 = (unsigned)_mm512_cmp_pd_mask(x0, vh0, _CMP_EQ_OQ) |
                            (unsigned)_mm512_cmp_pd_mask(x1, vh0, _CMP_EQ_OQ) << 8;
        const unsigned e1 = (unsigned)_mm512_cmp_pd_mask(x0, vh1, _CMP_EQ_OQ) |
                            (unsigned)_mm512_cmp_pd_mask(x1, vh1, _CMP_EQ_OQ) << 8;
        nh0 += (uint64_t)__builtin_popcount(e0);
        nh1 += (uint64_t)__builtin_popcount(e1);
        const unsigned in = ((unsigned)_mm512_cmpneq_epi64_mask(cl0, ch0) |
                             (unsigned)_mm512_cmpneq_epi64_mask(cl1, ch1) << 8) & ~(e0 | e1);
        if (in != 0) {
            /* inside has JF__QB_LANES words of room past any m <= i */
            const __m512i idx = _mm512_add_epi32(lane, _mm512_set1_epi32((int)i));
            _mm512_storeu_si512((void *)(inside + m), _mm512_maskz_compress_epi32((__mmask16)in, idx));
            m += (size_t)__builtin_popcount(in);
        }
    }
    hot_n[0] += nh0;
    hot_n[1] += nh1;
    ADD_GAPS(t, n16, AVX512_HI, AVX512_LO);
    *m_io = m;
    return n16;
}

#endif

void jf__qb_count_block(jf__isa isa, const jf__qb_tables *t, const double *x, size_t n)
{
    uint64_t rng[JF__QB_BLOCK];                   /* ranges entirely below x[i] */
    uint32_t inside[JF__QB_BLOCK + JF__QB_LANES]; /* indices of values to search */
    uint64_t hot_n[2] = {0, 0};
    size_t m = 0, done = 0;
    switch (isa) {
#ifdef JF__QB_AVX
    case JF__ISA_AVX512:
        done = classify_avx512(t, x, n, rng, inside, &m, hot_n);
        break;
    case JF__ISA_AVX2:
        done = classify_avx2(t, x, n, rng, inside, &m, hot_n);
        break;
#endif
#ifdef JF__QB_SSE2
    case JF__ISA_SSE2:
        done = classify_sse2(t, x, n, rng, inside, &m, hot_n);
        break;
#endif
    default:
        break;
    }
    classify_portable(t, x, done, n, rng, inside, &m, hot_n);
    uint64_t *hist = t->hist;
    hist[t->hot_slot[0]] += hot_n[0];
    hist[t->hot_slot[1]] += hot_n[1];
    if (m == 0)
        return;

    /* Binary searches, JF__QB_LANES values at a time, all taking the same
     * steps; the last group is padded with copies of its last value. */
    for (size_t u = m; u % JF__QB_LANES != 0; u++)
        inside[u] = inside[m - 1];
    const double *e = t->edges;
    const size_t *start = t->start;
    const size_t *steps = t->steps;
    const size_t n_steps = t->n_steps;
    for (size_t g = 0; g < m; g += JF__QB_LANES) {
        double v[JF__QB_LANES];
        size_t base[JF__QB_LANES];
        for (size_t u = 0; u < JF__QB_LANES; u++) {
            size_t k = inside[g + u];
            v[u] = x[k];
            base[u] = start[rng[k]];
        }
        for (size_t s = 0; s < n_steps; s++) {
            const size_t step = steps[s];
            for (size_t u = 0; u < JF__QB_LANES; u++)
                base[u] += e[base[u] + step] <= v[u] ? step : 0;
        }
        size_t cnt = m - g < JF__QB_LANES ? m - g : JF__QB_LANES;
        for (size_t u = 0; u < cnt; u++) {
            size_t j = base[u];
            hist[2 * j + 1 + (size_t)(e[j] < v[u])]++;
        }
    }
}

/* ---- the scan of jf__qb_scan ---------------------------------------------- */

/* What one pass over the values learns: the numeric min and max with
 * min_pd/max_pd semantics (v < lo ? v : lo, so a NaN leaves them alone),
 * whether a NaN occurs, and whether a -0 and a +0 occur (the sign of a zero
 * extreme in the bit order). */
typedef struct {
    double lo, hi;
    bool nan, neg_zero, pos_zero;
} scan_acc;

#if defined(JF__QB_SSE2) || defined(JF__QB_AVX)
/* Merge a vector kernel's lanes lo[], hi[] into acc->lo, acc->hi. */
static void combine_lanes(const double *lo, const double *hi, int lanes, scan_acc *acc)
{
    double l = acc->lo, h = acc->hi;
    for (int k = 0; k < lanes; k++) {
        l = lo[k] < l ? lo[k] : l;
        h = hi[k] > h ? hi[k] : h;
    }
    acc->lo = l;
    acc->hi = h;
}
#endif

/* Several running extremes keep the dependency chains short. */
static void extremes_portable(const double *x, size_t n, scan_acc *acc)
{
    double lo = acc->lo, hi = acc->hi;
    bool un = acc->nan;
    uint64_t nz = 0, pz = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        uint64_t u = jf__bits_at(x, i);
        un |= v != v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        nz |= (uint64_t)(u == ((uint64_t)1 << 63));
        pz |= (uint64_t)(u == 0);
    }
    acc->lo = lo;
    acc->hi = hi;
    acc->nan = un;
    acc->neg_zero |= nz != 0;
    acc->pos_zero |= pz != 0;
}

#ifdef JF__QB_SSE2
/* All ones in each 64-bit lane where a and b are equal. */
static inline __m128i eq64_sse2(__m128i a, __m128i b)
{
    __m128i m = _mm_cmpeq_epi32(a, b);
    return _mm_and_si128(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(2, 3, 0, 1)));
}

static size_t extremes_sse2(const double *x, size_t n, scan_acc *acc)
{
    const size_t n4 = n - n % 4;
    if (n4 == 0)
        return 0;
    /* minpd(v, lo) is v < lo ? v : lo, so a NaN v leaves lo alone: NaNs are
     * caught by the unordered compare, infinities by the extremes.  Zeros
     * are found by their bits, not by v == 0 (which a denormals-are-zero
     * mode would make true for subnormals): SSE2 has no 64-bit integer
     * compare, so a lane matches when both its 32-bit halves do. */
    const __m128i neg0 = _mm_set_epi32((int)0x80000000u, 0, (int)0x80000000u, 0);
    const __m128i pos0 = _mm_setzero_si128();
    __m128d lo0 = _mm_set1_pd(INFINITY), lo1 = lo0;
    __m128d hi0 = _mm_set1_pd(-INFINITY), hi1 = hi0;
    __m128d un0 = _mm_setzero_pd(), un1 = un0;
    __m128i nz = pos0, pz = pos0;
    for (size_t i = 0; i < n4; i += 4) {
        __m128d a = _mm_loadu_pd(x + i), b = _mm_loadu_pd(x + i + 2);
        lo0 = _mm_min_pd(a, lo0);
        lo1 = _mm_min_pd(b, lo1);
        hi0 = _mm_max_pd(a, hi0);
        hi1 = _mm_max_pd(b, hi1);
        un0 = _mm_or_pd(un0, _mm_cmpunord_pd(a, a));
        un1 = _mm_or_pd(un1, _mm_cmpunord_pd(b, b));
        __m128i ua = _mm_castpd_si128(a), ub = _mm_castpd_si128(b);
        nz = _mm_or_si128(nz, _mm_or_si128(eq64_sse2(ua, neg0), eq64_sse2(ub, neg0)));
        pz = _mm_or_si128(pz, _mm_or_si128(eq64_sse2(ua, pos0), eq64_sse2(ub, pos0)));
    }
    double lo[2], hi[2];
    _mm_storeu_pd(lo, _mm_min_pd(lo0, lo1));
    _mm_storeu_pd(hi, _mm_max_pd(hi0, hi1));
    acc->nan |= _mm_movemask_pd(_mm_or_pd(un0, un1)) != 0;
    acc->neg_zero |= _mm_movemask_pd(_mm_castsi128_pd(nz)) != 0;
    acc->pos_zero |= _mm_movemask_pd(_mm_castsi128_pd(pz)) != 0;
    combine_lanes(lo, hi, 2, acc);
    return n4;
}
#endif

#ifdef JF__QB_AVX
__attribute__((target("avx2"))) static size_t extremes_avx2(const double *x, size_t n, scan_acc *acc)
{
    const size_t n8 = n - n % 8;
    if (n8 == 0)
        return 0;
    const __m256i neg0 = _mm256_set1_epi64x((long long)((uint64_t)1 << 63));
    const __m256i pos0 = _mm256_setzero_si256();
    __m256d lo0 = _mm256_set1_pd(INFINITY), lo1 = lo0;
    __m256d hi0 = _mm256_set1_pd(-INFINITY), hi1 = hi0;
    __m256d un = _mm256_setzero_pd();
    __m256i nz = pos0, pz = pos0;
    for (size_t i = 0; i < n8; i += 8) {
        __m256d a = _mm256_loadu_pd(x + i), b = _mm256_loadu_pd(x + i + 4);
        lo0 = _mm256_min_pd(a, lo0);
        lo1 = _mm256_min_pd(b, lo1);
        hi0 = _mm256_max_pd(a, hi0);
        hi1 = _mm256_max_pd(b, hi1);
        un = _mm256_or_pd(un, _mm256_cmp_pd(a, b, _CMP_UNORD_Q));
        __m256i ua = _mm256_castpd_si256(a), ub = _mm256_castpd_si256(b);
        nz = _mm256_or_si256(nz, _mm256_or_si256(_mm256_cmpeq_epi64(ua, neg0), _mm256_cmpeq_epi64(ub, neg0)));
        pz = _mm256_or_si256(pz, _mm256_or_si256(_mm256_cmpeq_epi64(ua, pos0), _mm256_cmpeq_epi64(ub, pos0)));
    }
    double lo[4], hi[4];
    _mm256_storeu_pd(lo, _mm256_min_pd(lo0, lo1));
    _mm256_storeu_pd(hi, _mm256_max_pd(hi0, hi1));
    acc->nan |= _mm256_movemask_pd(un) != 0;
    acc->neg_zero |= _mm256_movemask_pd(_mm256_castsi256_pd(nz)) != 0;
    acc->pos_zero |= _mm256_movemask_pd(_mm256_castsi256_pd(pz)) != 0;
    combine_lanes(lo, hi, 4, acc);
    return n8;
}

__attribute__((target("avx512f"))) static size_t extremes_avx512(const double *x, size_t n,
                                                                  scan_acc *acc)
{
    const size_t n16 = n - n % 16;
    if (n16 == 0)
        return 0;
    const __m512i neg0 = _mm512_set1_epi64((long long)((uint64_t)1 << 63));
    const __m512i pos0 = _mm512_setzero_si512();
    __m512d lo0 = _mm512_set1_pd(INFINITY), lo1 = lo0;
    __m512d hi0 = _mm512_set1_pd(-INFINITY), hi1 = hi0;
    __mmask8 un = 0, nz = 0, pz = 0;
    for (size_t i = 0; i < n16; i += 16) {
        __m512d a = _mm512_loadu_pd(x + i), b = _mm512_loadu_pd(x + i + 8);
        lo0 = _mm512_min_pd(a, lo0);
        lo1 = _mm512_min_pd(b, lo1);
        hi0 = _mm512_max_pd(a, hi0);
        hi1 = _mm512_max_pd(b, hi1);
        un |= _mm512_cmp_pd_mask(a, b, _CMP_UNORD_Q);
        __m512i ua = _mm512_castpd_si512(a), ub = _mm512_castpd_si512(b);
        nz |= _mm512_cmpeq_epi64_mask(ua, neg0) | _mm512_cmpeq_epi64_mask(ub, neg0);
        pz |= _mm512_cmpeq_epi64_mask(ua, pos0) | _mm512_cmpeq_epi64_mask(ub, pos0);
    }
    double lo[8], hi[8];
    _mm512_storeu_pd(lo, _mm512_min_pd(lo0, lo1));
    _mm512_storeu_pd(hi, _mm512_max_pd(hi0, hi1));
    acc->nan |= un != 0;
    acc->neg_zero |= nz != 0;
    acc->pos_zero |= pz != 0;
    combine_lanes(lo, hi, 8, acc);
    return n16;
}
#endif

bool jf__qb_scan(jf__isa isa, const double *x, size_t n, double *min_out, double *max_out)
{
    scan_acc acc = {INFINITY, -INFINITY, false, false, false};
    size_t done = 0;
    switch (isa) {
#ifdef JF__QB_AVX
    case JF__ISA_AVX512:
        done = extremes_avx512(x, n, &acc);
        break;
    case JF__ISA_AVX2:
        done = extremes_avx2(x, n, &acc);
        break;
#endif
#ifdef JF__QB_SSE2
    case JF__ISA_SSE2:
        done = extremes_sse2(x, n, &acc);
        break;
#endif
    default:
        break;
    }
    extremes_portable(x + done, n - done, &acc);
    if (acc.nan || !(fabs(acc.lo) <= DBL_MAX) || !(fabs(acc.hi) <= DBL_MAX))
        return false;
    /* Finite: the bit order is the numeric one except that -0 < +0. */
    if (acc.lo == 0.0)
        acc.lo = acc.neg_zero ? -0.0 : 0.0;
    if (acc.hi == 0.0)
        acc.hi = acc.pos_zero ? 0.0 : -0.0;
    *min_out = acc.lo;
    *max_out = acc.hi;
    return true;
}
