/*
 * rng.c — Philox streams as a gsl_rng type (see rng.h, MODEL.md §1).
 *
 * State: key, counter, the current block of four output words and the
 * position of the next unused word (4 = block exhausted).  Generating the
 * next block increments the block word of the counter.
 */
#include <stdint.h>
#include <stdlib.h>

#include <Random123/philox.h>

#include "rng.h"

typedef struct {
    philox4x64_key_t key;
    philox4x64_ctr_t ctr;
    philox4x64_ctr_t out;
    unsigned pos;
} jf__philox_state;

#define JF__FNV_OFFSET 14695981039346656037ull
#define JF__FNV_PRIME 1099511628211ull

static uint64_t fnv_feed(uint64_t h, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= JF__FNV_PRIME;
    }
    return h;
}

uint64_t jf__fnv1a64(const char *text)
{
    return fnv_feed(JF__FNV_OFFSET, text);
}

uint64_t jf__stream_id(const char *prefix, const char *name, const char *variable)
{
    uint64_t h = fnv_feed(JF__FNV_OFFSET, prefix);
    h = fnv_feed(h, "/");
    h = fnv_feed(h, name);
    h = fnv_feed(h, "/");
    return fnv_feed(h, variable);
}

static void state_key(jf__philox_state *s, uint64_t seed, uint64_t path, uint64_t id, uint64_t purpose)
{
    s->key.v[0] = seed;
    s->key.v[1] = id;
    s->ctr.v[0] = path;
    s->ctr.v[1] = 0;
    s->ctr.v[2] = purpose;
    s->ctr.v[3] = 0;
    s->pos = 4;
}

static inline uint64_t state_next(jf__philox_state *s)
{
    if (s->pos == 4) {
        s->out = philox4x64(s->ctr, s->key);
        s->ctr.v[1]++;
        s->pos = 0;
    }
    return s->out.v[s->pos++];
}

static void philox_set(void *vstate, unsigned long int seed)
{
    state_key(vstate, (uint64_t)seed, 0, 0, JF__STREAM_SERIES);
}

static unsigned long int philox_get(void *vstate)
{
    return (unsigned long int)(state_next(vstate) >> 32);
}

double jf__u01_from_bits(uint64_t bits)
{
    double u = (double)(bits >> 11) * 0x1.0p-53 + 0x1.0p-54;
    return u < 1.0 ? u : 0x1.fffffffffffffp-1;
}

static double philox_get_double(void *vstate)
{
    return jf__u01_from_bits(state_next(vstate));
}

static const gsl_rng_type philox_type = {
    "jf_philox4x64",
    0xFFFFFFFFul,
    0,
    sizeof(jf__philox_state),
    philox_set,
    philox_get,
    philox_get_double,
};

const gsl_rng_type *jf__rng_philox = &philox_type;

gsl_rng *jf__rng_alloc(void)
{
    /* Not gsl_rng_alloc: on failure it calls GSL's error handler, which may abort. */
    gsl_rng *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->type = jf__rng_philox;
    r->state = malloc(sizeof(jf__philox_state));
    if (!r->state) {
        free(r);
        return NULL;
    }
    philox_set(r->state, 0);
    return r;
}

void jf__rng_free(gsl_rng *r)
{
    if (!r)
        return;
    free(r->state);
    free(r);
}

void jf__rng_key(gsl_rng *r, uint64_t seed, uint64_t path, uint64_t stream_id)
{
    state_key(r->state, seed, path, stream_id, JF__STREAM_SERIES);
}

void jf__rng_key_purpose(gsl_rng *r, uint64_t seed, uint64_t path, uint64_t stream_id,
                         jf__stream_purpose purpose)
{
    state_key(r->state, seed, path, stream_id, (uint64_t)purpose);
}

uint64_t jf__rng_u64(gsl_rng *r)
{
    return state_next(r->state);
}

double jf__rng_uniform(gsl_rng *r)
{
    return philox_get_double(r->state);
}
