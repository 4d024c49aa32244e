/*
 * overrides.c — jf_override_parse and applying --set overrides to the tree (see overrides.h).
 *
 * Each override is split into components with their columns, its VALUE is
 * parsed with yaml_tree (positions shifted so they count within the
 * "PATH=VALUE" argument), and the tree is walked from the root, creating
 * missing mapping keys, until the last component, whose value is replaced.
 * A replaced value's key takes the override's position too, so a later
 * validation error about it points at --set, not at the file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overrides.h"
#include "suggest.h"

#define JF__MAX_COMPONENTS 32

typedef struct {
    const char *text;
    size_t len;
    int column; /* 1-based within the argument */
} jf__comp;

static jf_status ofail(jf_error *err, jf_status status, int column, const char *path, size_t path_len,
                       const char *fmt, ...)
{
    if (!err)
        return status;
    va_list ap;
    jf_error_clear(err);
    err->status = status;
    snprintf(err->file, sizeof err->file, "--set");
    err->line = 1;
    err->column = column;
    snprintf(err->path, sizeof err->path, "%.*s", (int)(path_len < 255 ? path_len : 255), path);
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

jf_status jf_override_parse(const char *arg, jf_override *out, jf_error *err)
{
    const char *eq = arg ? strchr(arg, '=') : NULL;
    if (!eq)
        return ofail(err, JF_ERR_USAGE, 0, "", 0, "expected PATH=VALUE, found '%s'", arg ? arg : "");
    if (eq == arg)
        return ofail(err, JF_ERR_USAGE, 1, "", 0, "expected PATH=VALUE, found an empty path");
    out->path = arg;
    out->value = eq + 1;
    return JF_OK;
}

static bool comp_is(const jf__comp *c, const char *s)
{
    return c->len == strlen(s) && memcmp(c->text, s, c->len) == 0;
}

static bool key_matches(const jf__ynode *key, const jf__comp *c)
{
    return key->kind == JF__YAML_SCALAR && key->len == c->len && memcmp(key->text, c->text, c->len) == 0;
}

/* Split the path; the tail after sweep/sensitivity.parameters is one component. */
static jf_status split(const char *path, size_t len, jf__comp *comps, size_t *n, jf_error *err)
{
    size_t i = 0, k = 0;
    while (i <= len) {
        if (k == JF__MAX_COMPONENTS)
            return ofail(err, JF_ERR_USAGE, (int)i + 1, path, len, "path has too many components");
        size_t j = i;
        bool rest = k == 2 && (comp_is(&comps[0], "sweep") || comp_is(&comps[0], "sensitivity")) &&
                    comp_is(&comps[1], "parameters");
        while (j < len && (rest || path[j] != '.'))
            j++;
        if (j == i)
            return ofail(err, JF_ERR_USAGE, (int)i + 1, path, len, "empty component in path '%.*s'", (int)len, path);
        comps[k].text = path + i;
        comps[k].len = j - i;
        comps[k].column = (int)i + 1;
        k++;
        i = j + 1;
    }
    *n = k;
    return JF_OK;
}

static bool parse_index(const jf__comp *c, size_t *out)
{
    size_t x = 0;
    if (c->len == 0 || c->len > 9)
        return false;
    for (size_t i = 0; i < c->len; i++) {
        if (c->text[i] < '0' || c->text[i] > '9')
            return false;
        x = x * 10 + (size_t)(c->text[i] - '0');
    }
    *out = x;
    return true;
}

/* Item of a list named by index or by its `name:`.  Returns its position or fails. */
static jf_status find_item(const jf__ynode *seq, const jf__comp *c, int src, const char *path, size_t plen,
                           size_t *pos, jf_error *err)
{
    size_t idx;
    (void)src;
    if (parse_index(c, &idx)) {
        if (idx < 1 || idx > seq->n)
            return ofail(err, JF_ERR_RANGE, c->column, path, plen,
                         "index %zu is outside the list (it has %zu entries; indexes start at 1)", idx, seq->n);
        *pos = idx - 1;
        return JF_OK;
    }
    char name[JF_NAME_MAX + 8];
    snprintf(name, sizeof name, "%.*s", (int)(c->len < JF_NAME_MAX ? c->len : JF_NAME_MAX), c->text);
    jf__suggest sg;
    jf__suggest_init(&sg, name);
    char best[JF_NAME_MAX] = "";
    for (size_t i = 0; i < seq->n; i++) {
        const jf__ynode *nm = jf__yaml_get(seq->vals[i], "name", NULL);
        if (!nm || nm->kind != JF__YAML_SCALAR)
            continue;
        if (nm->len == c->len && memcmp(nm->text, c->text, c->len) == 0) {
            *pos = i;
            return JF_OK;
        }
        if (nm->len < JF_NAME_MAX && !memchr(nm->text, '\0', nm->len)) {
            const char *before = sg.best;
            jf__suggest_offer(&sg, nm->text);
            if (sg.best != before)
                snprintf(best, sizeof best, "%s", sg.best);
        }
    }
    if (best[0])
        return ofail(err, JF_ERR_REFERENCE, c->column, path, plen, "no item named '%s'; did you mean '%s'?", name, best);
    return ofail(err, JF_ERR_REFERENCE, c->column, path, plen, "no item named '%s'", name);
}

static jf_status apply_one(jf__ynode *root, const jf_override *ov, int src, jf_error *err)
{
    const char *path = ov->path ? ov->path : "";
    size_t plen = strcspn(path, "=");
    jf__comp comps[JF__MAX_COMPONENTS];
    size_t n = 0;
    jf_status st = split(path, plen, comps, &n, err);
    if (st != JF_OK)
        return st;

    /* Parse the value first: nothing is changed when it is not valid YAML. */
    const char *value = ov->value ? ov->value : "";
    jf__yaml_origin origin = {"--set", src, (int)plen + 1};
    jf__ynode *val = NULL;
    st = jf__yaml_parse(value, strlen(value), &origin, &val, err);
    if (st != JF_OK) {
        if (err && !err->path[0])
            snprintf(err->path, sizeof err->path, "%.*s", (int)(plen < 255 ? plen : 255), path);
        if (err && err->line != 1) { /* past the end of the argument: point just after it */
            err->line = 1;
            err->column = (int)(plen + 1 + strlen(value) + 1);
        }
        return st;
    }
    if (!val && !(val = jf__yaml_new(JF__YAML_SCALAR, 1, (int)plen + 2, src)))
        return ofail(err, JF_ERR_NOMEM, 0, path, plen, "out of memory");

    jf__ynode *node = root;
    for (size_t i = 0; i < n; i++) {
        const jf__comp *c = &comps[i];
        bool last = i + 1 == n;
        jf__ynode **slot = NULL;
        jf__ynode *key = NULL;
        if (node->kind == JF__YAML_MAP) {
            size_t k;
            for (k = 0; k < node->n && !key_matches(node->keys[k], c); k++)
                ;
            if (k == node->n) {
                jf__ynode *nk = jf__yaml_new_scalar(c->text, c->len, false, 1, c->column, src);
                jf__ynode *nv = last ? val : jf__yaml_new(JF__YAML_MAP, 1, c->column, src);
                if (!nk || !nv || !jf__yaml_append(node, nk, nv)) {
                    jf__yaml_free(nk);
                    if (nv != val)
                        jf__yaml_free(nv);
                    jf__yaml_free(val);
                    return ofail(err, JF_ERR_NOMEM, c->column, path, plen, "out of memory");
                }
                if (last)
                    return JF_OK;
                node = nv;
                continue;
            }
            key = node->keys[k];
            slot = &node->vals[k];
        } else if (node->kind == JF__YAML_SEQ) {
            size_t pos = 0;
            if ((st = find_item(node, c, src, path, plen, &pos, err)) != JF_OK) {
                jf__yaml_free(val);
                return st;
            }
            slot = &node->vals[pos];
        } else {
            jf__yaml_free(val);
            return ofail(err, JF_ERR_TYPE, c->column, path, plen,
                         "cannot set '%.*s': '%.*s' holds a single value, not a mapping or list", (int)c->len, c->text,
                         (int)(c->text - path - 1 > 0 ? c->text - path - 1 : 0), path);
        }
        if (last) {
            jf__yaml_free(*slot);
            *slot = val;
            if (key) {
                key->src = src;
                key->line = 1;
                key->column = c->column;
            }
            return JF_OK;
        }
        if (jf__yaml_is_null(*slot)) { /* `regime:` with no value: fill it with a mapping */
            jf__ynode *nv = jf__yaml_new(JF__YAML_MAP, 1, c->column, src);
            if (!nv) {
                jf__yaml_free(val);
                return ofail(err, JF_ERR_NOMEM, c->column, path, plen, "out of memory");
            }
            jf__yaml_free(*slot);
            *slot = nv;
        }
        node = *slot;
    }
    jf__yaml_free(val); /* not reached: the loop returns at the last component */
    return JF_OK;
}

jf_status jf__overrides_apply(jf__ynode *root, const jf_override *overrides, size_t n, jf_error *err)
{
    for (size_t i = 0; i < n; i++) {
        jf_status st = apply_one(root, &overrides[i], (int)i + 1, err);
        if (st != JF_OK)
            return st;
    }
    return JF_OK;
}
