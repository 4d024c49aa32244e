/*
 * cpu_isa.h — which x86 vector instruction set the hot loops may use.
 *
 * A few kernels (bracket_count.c, moment_lanes.c, key_partition.c) exist
 * once per instruction set, compiled with GCC/Clang target attributes
 * whatever the build's -march, and are chosen at run time from the CPU's
 * flags.  Every
 * variant gives the same bits (same operations per lane, or integer
 * counts), so results never depend on the CPU; the tests run each one the
 * machine has against the portable one by lowering the limit.  The
 * environment variable JFSIM_ISA (portable, sse2, avx2, avx512) caps the
 * choice too: for benchmarks, or to rule the vector code out.
 */
#ifndef JF_CPU_ISA_H
#define JF_CPU_ISA_H

#include <stdbool.h>

typedef enum {
    JF__ISA_PORTABLE = 0, /* plain C, any CPU: the reference */
    JF__ISA_SSE2,         /* 2 doubles a vector (the x86-64 baseline) */
    JF__ISA_AVX2,         /* 4 doubles a vector */
    JF__ISA_AVX512,       /* AVX-512F: 8 doubles a vector, mask registers */
    JF__ISA_COUNT
} jf__isa;

/* Whether this build and this CPU can run `isa`. */
bool jf__isa_supported(jf__isa isa);

/* The widest supported instruction set, at most the limit. */
jf__isa jf__isa_best(void);

/* Lower (or restore, with JF__ISA_COUNT) the limit for the whole process:
 * for tests and benchmarks, called while no run is in progress. */
void jf__isa_set_limit(jf__isa limit);

/* "portable", "sse2", "avx2", "avx512". */
const char *jf__isa_name(jf__isa isa);

#endif
