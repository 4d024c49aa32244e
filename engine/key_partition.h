/*
 * key_partition.h — the partition step of exact selection (select.c), with a
 * kernel per x86 instruction set and a portable one (internal).
 *
 * Values are ordered by the order key of fast_sort.h (the IEEE total order
 * of their bit patterns).  With a scratch array the partition is stable and
 * out of place: every kernel produces the same permutation, so which one
 * runs (cpu_isa.h) changes nothing but the speed.
 */
#ifndef JF_KEY_PARTITION_H
#define JF_KEY_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include "cpu_isa.h"

/* Move the values of a[0..n) whose order key is < p to the front and the
 * others after them, each group in its original order; returns the size of
 * the first group.  tmp: n doubles of scratch (clobbered); `isa` must be
 * supported.  This function can't fail. */
size_t jf__key_partition(jf__isa isa, double *a, size_t n, uint64_t p, double *tmp);

#endif
