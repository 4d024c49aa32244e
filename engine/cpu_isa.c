/*
 * cpu_isa.c — the run-time choice of vector kernels (see cpu_isa.h).
 * JF_PORTABLE_ONLY at compile time leaves only the portable kernels.
 */
#include "cpu_isa.h"

#include "jfsim.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <strings.h>

static atomic_int isa_limit = JF__ISA_COUNT;
static atomic_int env_limit = -1; /* JFSIM_ISA, read once; -1 = not yet */

/* The cap set by the environment variable JFSIM_ISA (portable, sse2, avx2,
 * avx512, any case), for benchmarks and for ruling the vector code out when
 * something looks wrong; unset or unknown: no cap (jfsim --version shows
 * what runs). */
static int env_cap(void)
{
    int cap = atomic_load_explicit(&env_limit, memory_order_relaxed);
    if (cap >= 0)
        return cap;
    cap = JF__ISA_COUNT;
    const char *v = getenv("JFSIM_ISA");
    for (int isa = 0; v && isa < JF__ISA_COUNT; isa++)
        if (strcasecmp(v, jf__isa_name((jf__isa)isa)) == 0)
            cap = isa;
    atomic_store_explicit(&env_limit, cap, memory_order_relaxed);
    return cap;
}

bool jf__isa_supported(jf__isa isa)
{
    switch (isa) {
    case JF__ISA_PORTABLE:
        return true;
#if !defined(JF_PORTABLE_ONLY) && defined(__SSE2__)
    case JF__ISA_SSE2:
        return true;
#endif
#if !defined(JF_PORTABLE_ONLY) && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    case JF__ISA_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2");
    case JF__ISA_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("popcnt");
#endif
    default:
        return false;
    }
}

jf__isa jf__isa_best(void)
{
    int limit = atomic_load_explicit(&isa_limit, memory_order_relaxed);
    int cap = env_cap();
    if (cap < limit)
        limit = cap;
    for (int isa = JF__ISA_COUNT - 1; isa > JF__ISA_PORTABLE; isa--)
        if (isa <= limit && jf__isa_supported((jf__isa)isa))
            return (jf__isa)isa;
    return JF__ISA_PORTABLE;
}

void jf__isa_set_limit(jf__isa limit)
{
    atomic_store_explicit(&isa_limit, (int)limit, memory_order_relaxed);
}

const char *jf__isa_name(jf__isa isa)
{
    static const char *const names[JF__ISA_COUNT] = {"portable", "sse2", "avx2", "avx512"};
    return (unsigned)isa < JF__ISA_COUNT ? names[isa] : "?";
}

const char *jf_vector_kernels(void)
{
    return jf__isa_name(jf__isa_best());
}
