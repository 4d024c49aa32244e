/*
 * schema_common.c — errors, keys, numbers, text and distributions for the validator (see schema.h).
 *
 * Numbers (MODEL.md §9, INTERFACE.md "Rules"): a number is a PLAIN scalar
 * matching  [+-]? (D+ (. D*)? | . D+) ([eE] [+-]? D+)?  where D+ is a run of
 * digits in which single underscores may separate digits (500_000_000_000).
 * It must be finite after conversion (1e999 is refused).  Quoted scalars are
 * text; `%` anywhere, NaN/infinity in any spelling and 0x/0o/0b forms get
 * their own messages.  Whole numbers written with digits only are converted
 * exactly (seed covers 0..2^64-1); other spellings (2.026e3) must be integral.
 *
 * Distributions (MODEL.md §1): {dist: normal, mean, sd}, {dist: lognormal,
 * median, sigma}, {dist: uniform, min, max}, {dist: triangular, min, mode, max},
 * {dist: pert, min, mode, max}, {dist: discrete, values, probs},
 * {dist: bernoulli, p}.  Their own parameters are checked here (sd, sigma >= 0,
 * median > 0, min <= mode <= max, PERT min < max, probs in [0,1] summing to
 * 1 within 1e-9, p in [0,1]); their support may exceed the key's range.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "suggest.h"

jf_status jf__vfail(jf__vctx *v, jf_status status, const jf__ynode *at, const char *path,
                    const char *fmt, ...)
{
    jf_error *err = v->err;
    if (!err)
        return status;
    va_list ap;
    jf_error_clear(err);
    err->status = status;
    if (at && at->src > 0)
        snprintf(err->file, sizeof err->file, "--set");
    else
        snprintf(err->file, sizeof err->file, "%s", v->file ? v->file : "");
    if (at) {
        err->line = at->line;
        err->column = at->column;
    }
    snprintf(err->path, sizeof err->path, "%s", path ? path : "");
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

void jf__path_join(char out[JF_PATH_MAX], const char *prefix, const char *key)
{
    if (prefix && prefix[0])
        snprintf(out, JF_PATH_MAX, "%.127s.%.127s", prefix, key);
    else
        snprintf(out, JF_PATH_MAX, "%s", key);
}

jf_status jf__want_map(jf__vctx *v, const jf__ynode *node, const char *path, const char *what)
{
    if (node && node->kind == JF__YAML_MAP)
        return JF_OK;
    char found[96];
    jf__yaml_describe(node, found, sizeof found);
    return jf__vfail(v, JF_ERR_TYPE, node, path, "expected %s, found %s", what, found);
}

jf_status jf__want_seq(jf__vctx *v, const jf__ynode *node, const char *path, const char *what)
{
    if (node && node->kind == JF__YAML_SEQ)
        return JF_OK;
    char found[96];
    jf__yaml_describe(node, found, sizeof found);
    return jf__vfail(v, JF_ERR_TYPE, node, path, "expected %s, found %s", what, found);
}

/* Key text safe for messages and paths. */
static void key_text(const jf__ynode *key, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < key->len && o + 1 < size; i++) {
        unsigned char c = (unsigned char)key->text[i];
        buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    buf[o] = '\0';
}

jf_status jf__check_keys(jf__vctx *v, const jf__ynode *map, const char *path,
                         const char *const *allowed, const char *context)
{
    char kp[JF_PATH_MAX], name[128];
    for (size_t i = 0; i < map->n; i++) {
        const jf__ynode *key = map->keys[i];
        bool known = false;
        for (size_t j = 0; allowed[j] && !known; j++)
            known = jf__yaml_is(key, allowed[j]);
        key_text(key, name, sizeof name);
        jf__path_join(kp, path, name);
        if (!known) {
            const char *near = jf__suggest_from(name, allowed);
            if (near)
                return jf__vfail(v, JF_ERR_UNKNOWN_KEY, key, kp,
                                 "unknown key '%s' in %s; did you mean '%s'?", name, context, near);
            char list[512] = "";
            size_t o = 0;
            for (size_t j = 0; allowed[j] && o < sizeof list; j++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", j ? ", " : "", allowed[j]);
            return jf__vfail(v, JF_ERR_UNKNOWN_KEY, key, kp, "unknown key '%s' in %s (valid keys: %s)",
                             name, context, list);
        }
        if (jf__yaml_is_null(map->vals[i]))
            return jf__vfail(v, JF_ERR_MISSING, key, kp,
                             "key '%s' has no value: give a value or remove the key", name);
    }
    return JF_OK;
}

jf_status jf__require(jf__vctx *v, const jf__ynode *map, const char *path, const char *key,
                      const jf__ynode **out)
{
    *out = jf__yaml_get(map, key, NULL);
    if (*out)
        return JF_OK;
    char kp[JF_PATH_MAX];
    jf__path_join(kp, path, key);
    return jf__vfail(v, JF_ERR_MISSING, map, kp, "missing required key '%s'", key);
}

/* ---- numbers --------------------------------------------------------------- */

typedef enum {
    JF__NUM_OK = 0,
    JF__NUM_TEXT,
    JF__NUM_PERCENT,
    JF__NUM_NONFINITE,
    JF__NUM_RADIX,
    JF__NUM_OVERFLOW,
    JF__NUM_LONG
} jf__num_code;

#define JF__NUM_BUF 400

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Check the grammar and copy the number without underscores into buf. */
static jf__num_code clean_number(const char *s, size_t len, char *buf, bool *digits_only)
{
    if (memchr(s, '%', len))
        return JF__NUM_PERCENT;
    size_t i = 0, o = 0;
    if (len >= JF__NUM_BUF)
        return JF__NUM_LONG;
    /* NaN / infinity in any spelling: [+-]? .? (nan|inf|infinity), any case */
    {
        size_t k = 0;
        char low[16];
        if (k < len && (s[k] == '+' || s[k] == '-'))
            k++;
        if (k < len && s[k] == '.')
            k++;
        if (len - k < sizeof low) {
            size_t m;
            for (m = 0; k + m < len; m++)
                low[m] = (char)tolower((unsigned char)s[k + m]);
            low[m] = '\0';
            if (!strcmp(low, "nan") || !strcmp(low, "inf") || !strcmp(low, "infinity"))
                return JF__NUM_NONFINITE;
        }
    }
    if (i < len && (s[i] == '+' || s[i] == '-'))
        buf[o++] = s[i++];
    if (i + 1 < len && s[i] == '0' && strchr("xXoObB", s[i + 1]) && s[i + 1] != '\0')
        return JF__NUM_RADIX;
    size_t mant_digits = 0;
    bool frac = false, expo = false;
    *digits_only = true;
    for (; i < len; i++) {
        char c = s[i];
        if (is_digit(c)) {
            buf[o++] = c;
            mant_digits++;
        } else if (c == '_') {
            if (!(i > 0 && is_digit(s[i - 1]) && i + 1 < len && is_digit(s[i + 1])))
                return JF__NUM_TEXT;
        } else if (c == '.' && !frac) {
            frac = true;
            *digits_only = false;
            buf[o++] = c;
        } else {
            break;
        }
    }
    if (mant_digits == 0)
        return JF__NUM_TEXT;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp_digits = 0;
        expo = true;
        *digits_only = false;
        buf[o++] = s[i++];
        if (i < len && (s[i] == '+' || s[i] == '-'))
            buf[o++] = s[i++];
        for (; i < len; i++) {
            char c = s[i];
            if (is_digit(c)) {
                buf[o++] = c;
                exp_digits++;
            } else if (c == '_' && i > 0 && is_digit(s[i - 1]) && i + 1 < len && is_digit(s[i + 1])) {
                continue;
            } else {
                break;
            }
        }
        if (exp_digits == 0)
            return JF__NUM_TEXT;
    }
    (void)expo;
    if (i != len)
        return JF__NUM_TEXT;
    buf[o] = '\0';
    return JF__NUM_OK;
}

static jf_status number_error(jf__vctx *v, const jf__ynode *node, const char *path,
                              jf__num_code code, const char *expected)
{
    char found[96];
    jf__yaml_describe(node, found, sizeof found);
    switch (code) {
    case JF__NUM_PERCENT:
        return jf__vfail(v, JF_ERR_TYPE, node, path,
                         "percent signs are not accepted: write 0.05 for 5%% (found %s)", found);
    case JF__NUM_NONFINITE:
        return jf__vfail(v, JF_ERR_RANGE, node, path,
                         "expected a finite number, found %s (NaN and infinity are not accepted)", found);
    case JF__NUM_RADIX:
        return jf__vfail(v, JF_ERR_TYPE, node, path,
                         "expected a decimal number, found %s (hexadecimal, octal and binary are not accepted)",
                         found);
    case JF__NUM_OVERFLOW:
        return jf__vfail(v, JF_ERR_RANGE, node, path, "number %s is too large to represent", found);
    case JF__NUM_LONG:
        return jf__vfail(v, JF_ERR_TYPE, node, path, "expected %s, found a number that is too long", expected);
    default:
        return jf__vfail(v, JF_ERR_TYPE, node, path, "expected %s, found %s", expected, found);
    }
}

/* Shared front end: type checks, then the grammar.  *digits_only as in clean_number. */
static jf_status scan(jf__vctx *v, const jf__ynode *node, const char *path, const char *expected,
                      bool allow_dist_msg, char *buf, bool *digits_only)
{
    char found[96];
    if (!node || jf__yaml_is_null(node))
        return jf__vfail(v, JF_ERR_MISSING, node, path, "expected %s, found nothing", expected);
    if (node->kind == JF__YAML_MAP) {
        if (jf__yaml_get(node, "dist", NULL) && !allow_dist_msg)
            return jf__vfail(v, JF_ERR_TYPE, node, path,
                             "a distribution is not allowed here: expected %s", expected);
        return jf__vfail(v, JF_ERR_TYPE, node, path, "expected %s, found a mapping", expected);
    }
    if (node->kind == JF__YAML_SEQ)
        return jf__vfail(v, JF_ERR_TYPE, node, path, "expected %s, found a list", expected);
    if (node->quoted) {
        jf__yaml_describe(node, found, sizeof found);
        return jf__vfail(v, JF_ERR_TYPE, node, path, "expected %s, found %s (quoted values are text)",
                         expected, found);
    }
    jf__num_code code = clean_number(node->text, node->len, buf, digits_only);
    if (code != JF__NUM_OK)
        return number_error(v, node, path, code, expected);
    return JF_OK;
}

jf_status jf__number(jf__vctx *v, const jf__ynode *node, const char *path, double *out)
{
    char buf[JF__NUM_BUF];
    bool digits_only;
    jf_status st = scan(v, node, path, "a number", false, buf, &digits_only);
    if (st != JF_OK)
        return st;
    errno = 0;
    char *end;
    double x = strtod(buf, &end);
    if (*end != '\0')
        return number_error(v, node, path, JF__NUM_TEXT, "a number");
    if (!isfinite(x))
        return number_error(v, node, path, JF__NUM_OVERFLOW, "a number");
    *out = x;
    return JF_OK;
}

/* The shortest of %.15g..%.17g that reads back as x. */
static void shortest(double x, char *buf, size_t size)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

static void format_range(jf__range r, char *buf, size_t size)
{
    bool has_lo = r.lo > -HUGE_VAL, has_hi = r.hi < HUGE_VAL;
    const char *what = r.integer ? "a whole number" : "a number";
    if (has_lo && has_hi)
        snprintf(buf, size, "%s in %c%.15g, %.15g%c", what, r.lo_open ? '(' : '[', r.lo, r.hi,
                 r.hi_open ? ')' : ']');
    else if (has_lo)
        snprintf(buf, size, "%s %s %.15g", what, r.lo_open ? ">" : ">=", r.lo);
    else if (has_hi)
        snprintf(buf, size, "%s %s %.15g", what, r.hi_open ? "<" : "<=", r.hi);
    else
        snprintf(buf, size, "%s", what);
}

static bool in_range(double x, jf__range r)
{
    if (r.lo_open ? !(x > r.lo) : !(x >= r.lo))
        return false;
    if (r.hi_open ? !(x < r.hi) : !(x <= r.hi))
        return false;
    return true;
}

static jf_status check_range(jf__vctx *v, const jf__ynode *node, const char *path, jf__range r,
                             double x)
{
    char want[128], found[40];
    if ((!r.integer || x == floor(x)) && in_range(x, r))
        return JF_OK;
    format_range(r, want, sizeof want);
    shortest(x, found, sizeof found);
    return jf__vfail(v, JF_ERR_RANGE, node, path, "expected %s, found %s", want, found);
}

jf_status jf__real(jf__vctx *v, const jf__ynode *node, const char *path, jf__range range,
                   double *out)
{
    jf_status st = jf__number(v, node, path, out);
    if (st != JF_OK)
        return st;
    return check_range(v, node, path, range, *out);
}

jf_status jf__opt_real(jf__vctx *v, const jf__ynode *map, const char *prefix, const char *key,
                       jf__range range, double def, double *out)
{
    const jf__ynode *node = jf__yaml_get(map, key, NULL);
    if (!node) {
        *out = def;
        return JF_OK;
    }
    char kp[JF_PATH_MAX];
    jf__path_join(kp, prefix, key);
    return jf__real(v, node, kp, range, out);
}

/* Exact unsigned parse of a digits-only (underscores already removed) string. */
static bool digits_u64(const char *s, bool *negative, uint64_t *out)
{
    uint64_t x = 0;
    *negative = false;
    if (*s == '+' || *s == '-')
        *negative = *s++ == '-';
    for (; *s; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (x > (UINT64_MAX - d) / 10)
            return false;
        x = x * 10 + d;
    }
    *out = x;
    return true;
}

jf_status jf__u64(jf__vctx *v, const jf__ynode *node, const char *path, uint64_t lo, uint64_t hi,
                  uint64_t *out)
{
    char buf[JF__NUM_BUF];
    bool digits_only;
    jf_status st = scan(v, node, path, "a whole number", false, buf, &digits_only);
    if (st != JF_OK)
        return st;
    uint64_t x = 0;
    bool ok;
    if (digits_only) {
        bool negative;
        ok = digits_u64(buf, &negative, &x);
        if (ok && negative && x != 0)
            ok = false;
    } else {
        double d = strtod(buf, NULL);
        if (!isfinite(d) || d != floor(d))
            return jf__vfail(v, JF_ERR_RANGE, node, path, "expected a whole number, found %s", node->text);
        ok = d >= 0.0 && d < 18446744073709551616.0;
        if (ok)
            x = (uint64_t)d;
    }
    if (!ok || x < lo || x > hi) {
        if (hi == UINT64_MAX)
            return jf__vfail(v, JF_ERR_RANGE, node, path, "expected a whole number >= %llu (at most 2^64-1), found %s",
                             (unsigned long long)lo, node->text);
        return jf__vfail(v, JF_ERR_RANGE, node, path, "expected a whole number in [%llu, %llu], found %s",
                         (unsigned long long)lo, (unsigned long long)hi, node->text);
    }
    *out = x;
    return JF_OK;
}

jf_status jf__int(jf__vctx *v, const jf__ynode *node, const char *path, long long lo, long long hi,
                  long long *out)
{
    double d;
    jf_status st = jf__number(v, node, path, &d);
    if (st != JF_OK)
        return st;
    if (d != floor(d) || d < (double)lo || d > (double)hi)
        return jf__vfail(v, JF_ERR_RANGE, node, path, "expected a whole number in [%lld, %lld], found %s",
                         lo, hi, node->text);
    *out = (long long)d;
    return JF_OK;
}

jf_status jf__text(jf__vctx *v, const jf__ynode *node, const char *path, char *out, size_t size)
{
    if (!node || jf__yaml_is_null(node))
        return jf__vfail(v, JF_ERR_MISSING, node, path, "expected text, found nothing");
    if (node->kind != JF__YAML_SCALAR)
        return jf__vfail(v, JF_ERR_TYPE, node, path, "expected text, found %s",
                         node->kind == JF__YAML_MAP ? "a mapping" : "a list");
    if (memchr(node->text, '\0', node->len))
        return jf__vfail(v, JF_ERR_TYPE, node, path, "text may not contain a NUL character");
    if (node->len >= size)
        return jf__vfail(v, JF_ERR_RANGE, node, path, "text too long: at most %zu bytes, found %zu",
                         size - 1, node->len);
    memcpy(out, node->text, node->len + 1);
    return JF_OK;
}

jf_status jf__enum(jf__vctx *v, const jf__ynode *node, const char *path, const char *const *names,
                   const char *what, int *out)
{
    char text[128];
    jf_status st = jf__text(v, node, path, text, sizeof text);
    if (st == JF_ERR_RANGE)
        text[0] = '\0';
    else if (st != JF_OK)
        return st;
    for (int i = 0; names[i]; i++)
        if (!strcmp(text, names[i])) {
            *out = i;
            return JF_OK;
        }
    char list[256] = "";
    size_t o = 0;
    for (size_t j = 0; names[j] && o < sizeof list; j++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", j ? ", " : "", names[j]);
    char found[96];
    jf__yaml_describe(node, found, sizeof found);
    const char *near = text[0] ? jf__suggest_from(text, names) : NULL;
    if (near)
        return jf__vfail(v, JF_ERR_RANGE, node, path, "unknown %s %s (expected one of %s); did you mean '%s'?",
                         what, found, list, near);
    return jf__vfail(v, JF_ERR_RANGE, node, path, "unknown %s %s (expected one of %s)", what, found, list);
}

/* ---- parameters ------------------------------------------------------------ */

void jf__param_fixed(jf_param *p, double x, jf__range range)
{
    jf__param_clear(p);
    memset(p, 0, sizeof *p);
    p->dist = JF_DIST_FIXED;
    p->p[0] = x;
    p->lo = range.lo_open ? nextafter(range.lo, HUGE_VAL) : range.lo;
    p->hi = range.hi_open ? nextafter(range.hi, -HUGE_VAL) : range.hi;
}

void jf__param_clear(jf_param *p)
{
    if (!p)
        return;
    free(p->values);
    free(p->probs);
    p->values = NULL;
    p->probs = NULL;
    p->n_values = 0;
}

static const char *const dist_names[] = {"fixed", "normal", "lognormal", "uniform", "triangular",
                                         "pert", "discrete", "bernoulli", NULL};

/* Keys of each distribution form, after "dist". */
static const char *const dist_keys[][5] = {
    [JF_DIST_FIXED] = {"dist", NULL},
    [JF_DIST_NORMAL] = {"dist", "mean", "sd", NULL},
    [JF_DIST_LOGNORMAL] = {"dist", "median", "sigma", NULL},
    [JF_DIST_UNIFORM] = {"dist", "min", "max", NULL},
    [JF_DIST_TRIANGULAR] = {"dist", "min", "mode", "max", NULL},
    [JF_DIST_PERT] = {"dist", "min", "mode", "max", NULL},
    [JF_DIST_DISCRETE] = {"dist", "values", "probs", NULL},
    [JF_DIST_BERNOULLI] = {"dist", "p", NULL},
};

/* Required real key of a distribution into *x (any finite number). */
static jf_status dist_real(jf__vctx *v, const jf__ynode *map, const char *path, const char *key,
                           jf__range r, double *x, const jf__ynode **node)
{
    char kp[JF_PATH_MAX];
    jf_status st = jf__require(v, map, path, key, node);
    if (st != JF_OK)
        return st;
    jf__path_join(kp, path, key);
    return jf__real(v, *node, kp, r, x);
}

static jf_status number_list(jf__vctx *v, const jf__ynode *seq, const char *path, double **out,
                             size_t *n)
{
    jf_status st = jf__want_seq(v, seq, path, "a list of numbers");
    if (st != JF_OK)
        return st;
    if (seq->n == 0)
        return jf__vfail(v, JF_ERR_RANGE, seq, path, "expected at least one number, found an empty list");
    if (seq->n > JF__MAX_LIST)
        return jf__vfail(v, JF_ERR_LIMIT, seq, path, "too many entries (the limit is %d)", JF__MAX_LIST);
    double *x = malloc(seq->n * sizeof *x);
    if (!x)
        return jf__vfail(v, JF_ERR_NOMEM, seq, path, "out of memory");
    for (size_t i = 0; i < seq->n; i++) {
        char ip[JF_PATH_MAX], idx[24];
        snprintf(idx, sizeof idx, "%zu", i + 1);
        jf__path_join(ip, path, idx);
        st = jf__number(v, seq->vals[i], ip, &x[i]);
        if (st != JF_OK) {
            free(x);
            return st;
        }
    }
    *out = x;
    *n = seq->n;
    return JF_OK;
}

static jf_status parse_dist(jf__vctx *v, const jf__ynode *map, const char *path, jf_param *p)
{
    char kp[JF_PATH_MAX];
    const jf__ynode *kind_node, *a, *b, *c;
    int kind;
    jf_status st = jf__require(v, map, path, "dist", &kind_node);
    if (st != JF_OK)
        return st;
    jf__path_join(kp, path, "dist");
    st = jf__enum(v, kind_node, kp, dist_names + 1, "distribution", &kind);
    if (st != JF_OK)
        return st;
    kind += 1;
    char context[64];
    snprintf(context, sizeof context, "a %s distribution", dist_names[kind]);
    st = jf__check_keys(v, map, path, dist_keys[kind], context);
    if (st != JF_OK)
        return st;
    p->dist = (jf_dist_kind)kind;
    switch (p->dist) {
    case JF_DIST_NORMAL:
        if ((st = dist_real(v, map, path, "mean", JF__ANY, &p->p[0], &a)) != JF_OK ||
            (st = dist_real(v, map, path, "sd", JF__NONNEG, &p->p[1], &b)) != JF_OK)
            return st;
        break;
    case JF_DIST_LOGNORMAL:
        if ((st = dist_real(v, map, path, "median", JF__POSITIVE, &p->p[0], &a)) != JF_OK ||
            (st = dist_real(v, map, path, "sigma", JF__NONNEG, &p->p[1], &b)) != JF_OK)
            return st;
        break;
    case JF_DIST_UNIFORM:
        if ((st = dist_real(v, map, path, "min", JF__ANY, &p->p[0], &a)) != JF_OK ||
            (st = dist_real(v, map, path, "max", JF__ANY, &p->p[1], &b)) != JF_OK)
            return st;
        if (p->p[0] > p->p[1]) {
            jf__path_join(kp, path, "max");
            return jf__vfail(v, JF_ERR_RANGE, b, kp, "expected max >= min (%.15g), found %.15g", p->p[0],
                             p->p[1]);
        }
        break;
    case JF_DIST_TRIANGULAR:
    case JF_DIST_PERT:
        if ((st = dist_real(v, map, path, "min", JF__ANY, &p->p[0], &a)) != JF_OK ||
            (st = dist_real(v, map, path, "mode", JF__ANY, &p->p[1], &b)) != JF_OK ||
            (st = dist_real(v, map, path, "max", JF__ANY, &p->p[2], &c)) != JF_OK)
            return st;
        if (p->p[1] < p->p[0]) {
            jf__path_join(kp, path, "mode");
            return jf__vfail(v, JF_ERR_RANGE, b, kp, "expected min <= mode <= max, found min %.15g > mode %.15g",
                             p->p[0], p->p[1]);
        }
        if (p->p[1] > p->p[2]) {
            jf__path_join(kp, path, "max");
            return jf__vfail(v, JF_ERR_RANGE, c, kp, "expected min <= mode <= max, found mode %.15g > max %.15g",
                             p->p[1], p->p[2]);
        }
        if (p->dist == JF_DIST_PERT && !(p->p[0] < p->p[2])) {
            jf__path_join(kp, path, "max");
            return jf__vfail(v, JF_ERR_RANGE, c, kp, "a PERT distribution needs min < max, found min = max = %.15g",
                             p->p[0]);
        }
        break;
    case JF_DIST_BERNOULLI:
        if ((st = dist_real(v, map, path, "p", JF__UNIT, &p->p[0], &a)) != JF_OK)
            return st;
        break;
    case JF_DIST_DISCRETE: {
        size_t nv = 0, np = 0;
        if ((st = jf__require(v, map, path, "values", &a)) != JF_OK ||
            (st = jf__require(v, map, path, "probs", &b)) != JF_OK)
            return st;
        jf__path_join(kp, path, "values");
        if ((st = number_list(v, a, kp, &p->values, &nv)) != JF_OK)
            return st;
        p->n_values = nv;
        jf__path_join(kp, path, "probs");
        if ((st = number_list(v, b, kp, &p->probs, &np)) != JF_OK)
            return st;
        if (np != nv)
            return jf__vfail(v, JF_ERR_RANGE, b, kp, "expected %zu probabilities (one per value), found %zu",
                             nv, np);
        double sum = 0.0;
        for (size_t i = 0; i < np; i++) {
            if (!(p->probs[i] >= 0.0 && p->probs[i] <= 1.0)) {
                char ip[JF_PATH_MAX], idx[24];
                snprintf(idx, sizeof idx, "%zu", i + 1);
                jf__path_join(ip, kp, idx);
                return jf__vfail(v, JF_ERR_RANGE, b->vals[i], ip,
                                 "expected a probability in [0, 1], found %.15g", p->probs[i]);
            }
            sum += p->probs[i];
        }
        if (fabs(sum - 1.0) > 1e-9)
            return jf__vfail(v, JF_ERR_RANGE, b, kp, "probabilities must sum to 1, found a sum of %.15g", sum);
        break;
    }
    default:
        break;
    }
    return JF_OK;
}

jf_status jf__param(jf__vctx *v, const jf__ynode *node, const char *path, jf__range range,
                    jf_param *p)
{
    jf__param_fixed(p, 0.0, range);
    if (node)
        p->loc = (jf_loc){node->src ? 0 : node->line, node->src ? 0 : node->column};
    if (node && node->kind == JF__YAML_MAP)
        return parse_dist(v, node, path, p);
    char buf[JF__NUM_BUF];
    bool digits_only;
    jf_status st = scan(v, node, path, "a number or a distribution", true, buf, &digits_only);
    if (st != JF_OK)
        return st;
    return jf__real(v, node, path, range, &p->p[0]);
}

jf_status jf__opt_param(jf__vctx *v, const jf__ynode *map, const char *prefix, const char *key,
                        jf__range range, double def, jf_param *p)
{
    const jf__ynode *node = jf__yaml_get(map, key, NULL);
    if (!node) {
        jf__param_fixed(p, def, range);
        return JF_OK;
    }
    char kp[JF_PATH_MAX];
    jf__path_join(kp, prefix, key);
    return jf__param(v, node, kp, range, p);
}

const char *jf__name_problem(const char *s)
{
    static const char *const reserved[] = {"mineral", "oil", "gas", "total", NULL};
    if (!s[0])
        return "a name may not be empty";
    if (strlen(s) >= JF_NAME_MAX)
        return "a name has at most 63 characters";
    if (!isalpha((unsigned char)s[0]) || (unsigned char)s[0] > 0x7f)
        return "a name starts with a letter A-Z or a-z";
    for (const char *c = s; *c; c++)
        if (!(((unsigned char)*c < 0x80 && isalnum((unsigned char)*c)) || *c == '_'))
            return "a name has only letters A-Z, a-z, digits and '_'";
    for (size_t i = 0; reserved[i]; i++)
        if (!strcmp(s, reserved[i]))
            return "mineral, oil, gas and total are reserved (they name kinds and totals)";
    return NULL;
}
