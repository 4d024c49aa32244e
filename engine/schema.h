/*
 * schema.h — shared machinery of the scenario validator (internal).
 *
 * The validator walks the jf__ynode tree (yaml_tree.h) and fills the plain
 * structs of jfsim.h.  This header gives the pieces every part of the schema
 * uses (schema_common.c): error reporting with file/line/column/key path,
 * key checks with suggestions, numbers (MODEL.md §9: unquoted numbers are
 * numbers, quoted ones are text; no %, NaN, infinity or hex), integers, text,
 * enumerations, and uncertain parameters (MODEL.md §1 distributions) with
 * their key's valid range.  The parts of the schema live in
 * scenario_load.c (top level), schema_resource.c (resources, correlations),
 * schema_scheme.c (schemes) and schema_study.c (sweep, sensitivity).
 *
 * Every function here returns JF_OK or fills v->err and returns its status;
 * the first error stops validation.
 */
#ifndef JF_SCHEMA_H
#define JF_SCHEMA_H

#include <math.h>

#include "jfsim.h"
#include "yaml_tree.h"

/* Size limits beyond which a scenario is refused (JF_ERR_LIMIT). */
#define JF__MAX_RESOURCES 1000
#define JF__MAX_SCHEMES 256
#define JF__MAX_LIST 100000   /* schedule, discrete values, brackets, sweep lists, outputs */

/* Validation context. */
typedef struct {
    const char *file;      /* the scenario file as given (messages) */
    jf_error *err;
    jf_scenario *sc;       /* being filled */
} jf__vctx;

/* The valid range of a key: [lo, hi] with optionally open ends; +-HUGE_VAL = unbounded. */
typedef struct {
    double lo, hi;
    bool lo_open, hi_open;
    bool integer;          /* a fixed value must be a whole number */
} jf__range;

#define JF__ANY           ((jf__range){-HUGE_VAL, HUGE_VAL, false, false, false})
#define JF__NONNEG        ((jf__range){0.0, HUGE_VAL, false, false, false})
#define JF__POSITIVE      ((jf__range){0.0, HUGE_VAL, true, false, false})
#define JF__UNIT          ((jf__range){0.0, 1.0, false, false, false})
#define JF__UNIT_HALFOPEN ((jf__range){0.0, 1.0, false, true, false})
#define JF__ABOVE_M1      ((jf__range){-1.0, HUGE_VAL, true, false, false})
#define JF__YEAR          ((jf__range){1.0, 9999.0, false, false, true})

/* Fill v->err (file, position of `at`, path, formatted message) and return status. */
jf_status jf__vfail(jf__vctx *v, jf_status status, const jf__ynode *at, const char *path,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* out = prefix + "." + key (or key alone when prefix is empty), truncated to JF_PATH_MAX.  Can't fail. */
void jf__path_join(char out[JF_PATH_MAX], const char *prefix, const char *key);

/* `node` must be a mapping (TYPE error naming `what`, e.g. "a mapping of price settings"). */
jf_status jf__want_map(jf__vctx *v, const jf__ynode *node, const char *path, const char *what);

/* `node` must be a list. */
jf_status jf__want_seq(jf__vctx *v, const jf__ynode *node, const char *path, const char *what);

/*
 * Every key of `map` must be in the NULL-terminated `allowed` list
 * (UNKNOWN_KEY at the key, with "did you mean" when one is close; `context`
 * names the place, e.g. "a gbm price"), and no key may be given without a
 * value (MISSING at the key).
 */
jf_status jf__check_keys(jf__vctx *v, const jf__ynode *map, const char *path,
                         const char *const *allowed, const char *context);

/* Required key: MISSING at the mapping when absent.  *out is the value. */
jf_status jf__require(jf__vctx *v, const jf__ynode *map, const char *path, const char *key,
                      const jf__ynode **out);

/* Parse a plain scalar as a finite number (MODEL.md §9).  Returns JF_OK or
 * fills err (TYPE for text/quoted/collections, RANGE for overflow). */
jf_status jf__number(jf__vctx *v, const jf__ynode *node, const char *path, double *out);

/* A number (no distribution) in `range`. */
jf_status jf__real(jf__vctx *v, const jf__ynode *node, const char *path, jf__range range,
                   double *out);

/* Optional real under `key` of `map`, `def` when absent. */
jf_status jf__opt_real(jf__vctx *v, const jf__ynode *map, const char *prefix, const char *key,
                       jf__range range, double def, double *out);

/* A whole number in [lo, hi] (exact for all of 0..2^64-1). */
jf_status jf__u64(jf__vctx *v, const jf__ynode *node, const char *path, uint64_t lo, uint64_t hi,
                  uint64_t *out);
jf_status jf__int(jf__vctx *v, const jf__ynode *node, const char *path, long long lo,
                  long long hi, long long *out);

/* Text (plain or quoted scalar) that fits in `size` bytes with its NUL and holds no NUL. */
jf_status jf__text(jf__vctx *v, const jf__ynode *node, const char *path, char *out, size_t size);

/* One of the NULL-terminated `names`; *out is its index.  RANGE error with suggestion otherwise. */
jf_status jf__enum(jf__vctx *v, const jf__ynode *node, const char *path, const char *const *names,
                   const char *what, int *out);

/* A fixed parameter with value `x` and the key's range (loc 0 = a default). */
void jf__param_fixed(jf_param *p, double x, jf__range range);

/* A number or (when allowed) a distribution {dist: ...} into *p.  A fixed
 * value outside `range` is a RANGE error; a distribution may reach beyond it
 * (its draws are clamped to [p->lo, p->hi]). */
jf_status jf__param(jf__vctx *v, const jf__ynode *node, const char *path, jf__range range,
                    jf_param *p);

/* Optional parameter under `key` of `map`: fixed `def` when absent. */
jf_status jf__opt_param(jf__vctx *v, const jf__ynode *map, const char *prefix, const char *key,
                        jf__range range, double def, jf_param *p);

/* Free what a parameter owns (values, probs) and reset them.  Accepts NULL.  Can't fail. */
void jf__param_clear(jf_param *p);

/* Is `s` a valid resource/scheme name (MODEL.md §9)?  Returns NULL when valid,
 * else what is wrong.  Can't fail. */
const char *jf__name_problem(const char *s);

/* The parts of the schema (each returns JF_OK or the first error). */
jf_status jf__schema_resources(jf__vctx *v, const jf__ynode *root);
jf_status jf__schema_correlations(jf__vctx *v, const jf__ynode *root);
jf_status jf__schema_schemes(jf__vctx *v, const jf__ynode *root);
jf_status jf__schema_study(jf__vctx *v, const jf__ynode *root);

#endif /* JF_SCHEMA_H */
