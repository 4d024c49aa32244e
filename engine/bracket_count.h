/*
 * bracket_count.h — the per-value counting loop of quantile_bracket.c, with
 * one kernel per x86 instruction set and a portable one.
 *
 * Every kernel adds the same integers to the same histogram slots (counts do
 * not depend on the order values are looked at), so results never depend on
 * the CPU (cpu_isa.h).
 */
#ifndef JF_BRACKET_COUNT_H
#define JF_BRACKET_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu_isa.h"

#define JF__QB_BLOCK 512u       /* values per call of jf__qb_count_block, at most */
#define JF__QB_MAX_STEPS 64u    /* binary search steps, at most */
#define JF__QB_HOT 2u           /* atoms counted without a search */
/* Scratch words of the per-bound totals for R ranges (the widest kernel: 2R
 * bounds of 4 lanes). */
#define JF__QB_ACC_WORDS(r) (8 * (r) + 4)


/* The read-only tables of a bracket's histogram stage (quantile_bracket.c
 * builds them) and the histogram they count into.  Edges e[0..E) strictly
 * increase; R ranges of edge indices [ws_g, we_g] cover the windows. */
typedef struct {
    size_t n_edges;          /* E */
    const double *edges;     /* e[0..E) */
    uint64_t *hist;          /* 2E+1 slots: < e0, == e0, (e0,e1), == e1, ... */
    size_t n_ranges;         /* R */
    const double *lo_bound;  /* R+1: e[ws_g], and +inf */
    const double *hi_bound;  /* R: the double just above e[we_g] */
    const size_t *gap_slot;  /* R+1: histogram slot of the values between ranges g-1 and g */
    const size_t *start;     /* R+1: first edge index searched for range g */
    size_t n_steps;
    const size_t *steps;     /* the binary search's probe offsets */
    double hot[JF__QB_HOT];  /* atoms counted without a search (NaN: none) */
    size_t hot_slot[JF__QB_HOT]; /* their histogram slots 2j+1 (0 with an extra += 0) */
    uint64_t *acc;           /* JF__QB_ACC_WORDS(R) scratch words */
} jf__qb_tables;

/* Count the finite values x[0..n), n <= JF__QB_BLOCK, into t->hist with
 * the kernels of `isa` (which must be supported, cpu_isa.h).  This function can't fail. */
void jf__qb_count_block(jf__isa isa, const jf__qb_tables *t, const double *x, size_t n);

/* Check x[0..n) (n >= 1) is finite and find its min and max by bit order
 * (-0 < +0) with the scan of `isa`.  Returns false on NaN or infinity.
 * This function can't fail. */
bool jf__qb_scan(jf__isa isa, const double *x, size_t n, double *min_out, double *max_out);

#endif
