/*
 * key_partition.c — stable partition by order key (see key_partition.h).
 *
 * One pass: a value below the pivot is written back to a[m++], any other to
 * tmp[j++]; finally tmp[0..j) is copied to a[m..n).  Writing into a is safe
 * because m never passes the read position.  The vector kernels do the same
 * a vector at a time: the order key is computed in the lanes (negative:
 * every bit flipped; otherwise: the sign bit set), compared with the pivot,
 * and each side's lanes are moved to the front of a register (AVX-512:
 * compress; AVX2: a permutation from a 16-entry table) and stored whole;
 * the lanes past the side's count are overwritten by the next store or lie
 * past what is read back.  The portable loop does the tail and every value
 * on other CPUs.  All kernels give the same array.
 */
#include "key_partition.h"

#include <stdbool.h>
#include <string.h>

#include "fast_sort.h"

#if !defined(JF_PORTABLE_ONLY) && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define JF__KP_AVX 1
#endif

/* Partition a[i..n) onto a[m..] and tmp[j..]; returns nothing, updates m, j. */
static void partition_portable(double *a, size_t i, size_t n, uint64_t p, double *tmp, size_t *m_io,
                               size_t *j_io)
{
    size_t m = *m_io, j = *j_io;
    for (; i < n; i++) {
        uint64_t u = jf__bits_at(a, i);
        bool below = jf__order_key(u) < p;
        /* both stores, one of them kept: no branch on the data */
        jf__set_bits(a, m, u);
        jf__set_bits(tmp, j, u);
        m += below;
        j += !below;
    }
    *m_io = m;
    *j_io = j;
}

#ifdef JF__KP_AVX
__attribute__((target("avx512f,popcnt"))) static size_t
partition_avx512(double *a, size_t n, uint64_t p, double *tmp, size_t *m_io, size_t *j_io)
{
    const __m512i sign = _mm512_set1_epi64(INT64_MIN);
    const __m512i vp = _mm512_set1_epi64((long long)p);
    size_t m = 0, j = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m512i u = _mm512_loadu_si512((const void *)(a + i));
        const __m512i key = _mm512_xor_si512(u, _mm512_or_si512(_mm512_srai_epi64(u, 63), sign));
        const __mmask8 below = _mm512_cmplt_epu64_mask(key, vp);
        _mm512_storeu_si512((void *)(a + m), _mm512_maskz_compress_epi64(below, u));
        _mm512_storeu_si512((void *)(tmp + j), _mm512_maskz_compress_epi64((__mmask8)~below, u));
        const size_t c = (size_t)__builtin_popcount((unsigned)below);
        m += c;
        j += 8 - c;
    }
    *m_io = m;
    *j_io = j;
    return i;
}

/* For a 4-bit mask, the 32-bit lane indices that bring the 64-bit lanes
 * whose bit is set to the front, in order. */
static const int32_t front_of[16][8] = {
    {0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 0, 0, 0, 0, 0, 0}, {2, 3, 0, 0, 0, 0, 0, 0},
    {0, 1, 2, 3, 0, 0, 0, 0}, {4, 5, 0, 0, 0, 0, 0, 0}, {0, 1, 4, 5, 0, 0, 0, 0},
    {2, 3, 4, 5, 0, 0, 0, 0}, {0, 1, 2, 3, 4, 5, 0, 0}, {6, 7, 0, 0, 0, 0, 0, 0},
    {0, 1, 6, 7, 0, 0, 0, 0}, {2, 3, 6, 7, 0, 0, 0, 0}, {0, 1, 2, 3, 6, 7, 0, 0},
    {4, 5, 6, 7, 0, 0, 0, 0}, {0, 1, 4, 5, 6, 7, 0, 0}, {2, 3, 4, 5, 6, 7, 0, 0},
    {0, 1, 2, 3, 4, 5, 6, 7},
};

/* Set bits of a 4-bit mask (AVX2 does not imply the popcnt instruction). */
static const unsigned char bits_of[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};

__attribute__((target("avx2"))) static size_t
partition_avx2(double *a, size_t n, uint64_t p, double *tmp, size_t *m_io, size_t *j_io)
{
    /* Unsigned key < p as a signed comparison of key ^ sign-bit, which is
     * u with the 63 low bits flipped when u is negative. */
    const __m256i low63 = _mm256_set1_epi64x(INT64_MAX), zero = _mm256_setzero_si256();
    const __m256i vp = _mm256_set1_epi64x((long long)(p ^ ((uint64_t)1 << 63)));
    size_t m = 0, j = 0, i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256i u = _mm256_loadu_si256((const __m256i_u *)(const void *)(a + i));
        const __m256i neg = _mm256_cmpgt_epi64(zero, u);
        const __m256i skey = _mm256_xor_si256(u, _mm256_and_si256(neg, low63));
        const unsigned below =
            (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(vp, skey)));
        const __m256i lo = _mm256_loadu_si256((const __m256i_u *)(const void *)front_of[below]);
        const __m256i hi = _mm256_loadu_si256((const __m256i_u *)(const void *)front_of[~below & 15u]);
        _mm256_storeu_si256((__m256i_u *)(void *)(a + m), _mm256_permutevar8x32_epi32(u, lo));
        _mm256_storeu_si256((__m256i_u *)(void *)(tmp + j), _mm256_permutevar8x32_epi32(u, hi));
        const size_t c = bits_of[below];
        m += c;
        j += 4 - c;
    }
    *m_io = m;
    *j_io = j;
    return i;
}
#endif

size_t jf__key_partition(jf__isa isa, double *a, size_t n, uint64_t p, double *tmp)
{
    size_t m = 0, j = 0, done = 0;
    switch (isa) {
#ifdef JF__KP_AVX
    case JF__ISA_AVX512:
        done = partition_avx512(a, n, p, tmp, &m, &j);
        break;
    case JF__ISA_AVX2:
        done = partition_avx2(a, n, p, tmp, &m, &j);
        break;
#endif
    default:
        break;
    }
    partition_portable(a, done, n, p, tmp, &m, &j);
    memcpy(a + m, tmp, j * sizeof *a);
    return m;
}
