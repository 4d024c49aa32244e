/*
 * rng.h — counter-based random streams (MODEL.md §1).
 *
 * A stream is the sequence of 64-bit words produced by Random123's
 * philox4x64 (10 rounds) with key {seed, stream id} and counter
 * {path, block, purpose, 0}, block = 0, 1, 2, ...; each block gives four
 * words, consumed in order.  The stream id is the 64-bit FNV-1a hash of a
 * text key ("resource/<name>/<variable>", "scheme/<name>/<variable>",
 * "path/regime", "path/fund_return"), so a stream depends on names only:
 * adding, removing or reordering other resources or schemes never moves it,
 * and any path can be generated alone.  `purpose` separates the per-year
 * series of a variable (JF__STREAM_SERIES) from the once-per-path draw of an
 * uncertain scalar (JF__STREAM_PARAM): the names overlap (`volume_noise` is
 * both the key of σv and the yearly noise series), the streams must not.
 * Uncertain scalars use the parameter's key path under the resource or
 * scheme ("capacity", "price.volatility", "schedule.3" (1-based, like the
 * parameter paths of --set and sweeps), "return.mean").
 *
 * The stream is exposed as a gsl_rng type (jf__rng_philox) so GSL's
 * gsl_ran_* samplers can use it.  `get` returns the top 32 bits of the next
 * word (range 0..2^32-1, what GSL's samplers assume at most); `get_double`
 * returns a uniform in (0,1) built from 53 bits of the next word.  The
 * gsl_rng `set` function keys the stream to (seed, path 0, id 0); real keying
 * goes through jf__rng_key, which re-keys a preallocated gsl_rng without
 * allocating.
 */
#ifndef JF_RNG_H
#define JF_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

typedef enum { JF__STREAM_SERIES = 0, JF__STREAM_PARAM = 1 } jf__stream_purpose;

/* 64-bit FNV-1a hash of a NUL-terminated text.  This function can't fail. */
uint64_t jf__fnv1a64(const char *text);

/* FNV-1a of "<prefix>/<name>/<variable>" without building the string.  This function can't fail. */
uint64_t jf__stream_id(const char *prefix, const char *name, const char *variable);

/* The gsl_rng type of a Philox stream.  Allocate with gsl_rng_alloc(jf__rng_philox). */
extern const gsl_rng_type *jf__rng_philox;

/* Allocate a Philox gsl_rng keyed to (seed 0, path 0, id 0).  Returns NULL when
 * out of memory (without calling GSL's error handler).  Free with jf__rng_free
 * (gsl_rng_free also works). */
gsl_rng *jf__rng_alloc(void);

/* Free a stream from jf__rng_alloc.  Accepts NULL.  This function can't fail. */
void jf__rng_free(gsl_rng *r);

/* Re-key `r` (which must come from jf__rng_alloc) to the start of the series
 * stream (seed, path, stream_id).  Allocates nothing.  This function can't fail. */
void jf__rng_key(gsl_rng *r, uint64_t seed, uint64_t path, uint64_t stream_id);

/* The same with an explicit purpose word (JF__STREAM_PARAM for the
 * once-per-path draw of an uncertain scalar).  This function can't fail. */
void jf__rng_key_purpose(gsl_rng *r, uint64_t seed, uint64_t path, uint64_t stream_id,
                         jf__stream_purpose purpose);

/* Next raw 64-bit word of the stream.  This function can't fail. */
uint64_t jf__rng_u64(gsl_rng *r);

/* Uniform double in the open interval (0,1) with 53 random bits:
 * (w >> 11) * 2^-53 + 2^-54.  This function can't fail. */
double jf__rng_uniform(gsl_rng *r);

/* The uniform double in (0,1) that 64 random bits map to: the top 53 bits
 * k give (k + 1/2)·2^-53, except that the largest k, which would round to
 * 1.0, gives the double just below 1.  So u < p is certain for p = 1 and
 * impossible for p = 0.  This function can't fail. */
double jf__u01_from_bits(uint64_t bits);

#endif /* JF_RNG_H */
