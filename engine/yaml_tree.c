/*
 * yaml_tree.c — libyaml events -> jf__ynode tree (see yaml_tree.h).
 *
 * We drive libyaml's event parser and build the tree with an explicit stack of
 * open collections, so depth, node count, anchors and aliases are refused the
 * moment they appear: an alias bomb costs one event, a 10^6-deep flow list
 * costs 65 events.  Positions are libyaml's marks + 1 (lines and columns are
 * 0-based there).  Duplicate keys are found when a mapping closes (pairwise
 * for small mappings, by sorting for large ones, so a mapping with 10^6 keys
 * is O(n log n), not O(n^2)).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yaml_tree.h"

typedef struct {
    jf__ynode *node;
    jf__ynode *pending_key; /* mapping: a key waiting for its value (owned here) */
} jf__yframe;

typedef struct {
    const jf__yaml_origin *origin;
    jf_error *err;
    jf__ynode *root;
    jf__yframe stack[JF__YAML_MAX_DEPTH + 1];
    int depth;
    size_t n_nodes;
    int n_documents;
} jf__ybuild;

/* Column of a raw libyaml position, shifted for text that starts inside a --set argument. */
static int adj(const jf__ybuild *b, int line, int column)
{
    return column + (line == 1 ? b->origin->column_offset : 0);
}

static jf_status yfail(jf__ybuild *b, jf_status status, int line, int column, const char *fmt, ...)
{
    jf_error *err = b->err;
    if (err) {
        va_list ap;
        jf_error_clear(err);
        err->status = status;
        snprintf(err->file, sizeof err->file, "%s", b->origin->file ? b->origin->file : "");
        err->line = line;
        err->column = column;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

jf__ynode *jf__yaml_new(jf__yaml_kind kind, int line, int column, int src)
{
    jf__ynode *node = calloc(1, sizeof *node);
    if (!node)
        return NULL;
    node->kind = kind;
    node->line = line;
    node->column = column;
    node->src = src;
    if (kind == JF__YAML_SCALAR) {
        node->text = calloc(1, 1);
        if (!node->text) {
            free(node);
            return NULL;
        }
    }
    return node;
}

jf__ynode *jf__yaml_new_scalar(const char *text, size_t len, bool quoted, int line, int column,
                               int src)
{
    jf__ynode *node = calloc(1, sizeof *node);
    if (!node)
        return NULL;
    node->kind = JF__YAML_SCALAR;
    node->line = line;
    node->column = column;
    node->src = src;
    node->quoted = quoted;
    node->len = len;
    node->text = malloc(len + 1);
    if (!node->text) {
        free(node);
        return NULL;
    }
    if (len)
        memcpy(node->text, text, len);
    node->text[len] = '\0';
    return node;
}

void jf__yaml_free(jf__ynode *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n; i++) {
        if (node->keys)
            jf__yaml_free(node->keys[i]);
        jf__yaml_free(node->vals[i]);
    }
    free(node->keys);
    free(node->vals);
    free(node->text);
    free(node);
}

bool jf__yaml_append(jf__ynode *node, jf__ynode *key, jf__ynode *value)
{
    if (node->n == node->cap) {
        size_t cap = node->cap ? 2 * node->cap : 4;
        jf__ynode **vals = realloc(node->vals, cap * sizeof *vals);
        if (!vals)
            return false;
        node->vals = vals;
        if (node->kind == JF__YAML_MAP) {
            jf__ynode **keys = realloc(node->keys, cap * sizeof *keys);
            if (!keys)
                return false;
            node->keys = keys;
        }
        node->cap = cap;
    }
    if (node->kind == JF__YAML_MAP)
        node->keys[node->n] = key;
    node->vals[node->n++] = value;
    return true;
}

jf__ynode *jf__yaml_get(const jf__ynode *map, const char *key, size_t *index)
{
    if (!map || map->kind != JF__YAML_MAP)
        return NULL;
    size_t len = strlen(key);
    for (size_t i = 0; i < map->n; i++) {
        const jf__ynode *k = map->keys[i];
        if (k->len == len && memcmp(k->text, key, len) == 0) {
            if (index)
                *index = i;
            return map->vals[i];
        }
    }
    return NULL;
}

bool jf__yaml_is(const jf__ynode *node, const char *s)
{
    return node && node->kind == JF__YAML_SCALAR && node->len == strlen(s) &&
           memcmp(node->text, s, node->len) == 0;
}

bool jf__yaml_is_null(const jf__ynode *node)
{
    if (!node || node->kind != JF__YAML_SCALAR || node->quoted)
        return false;
    return node->len == 0 || jf__yaml_is(node, "~") || jf__yaml_is(node, "null") ||
           jf__yaml_is(node, "Null") || jf__yaml_is(node, "NULL");
}

void jf__yaml_describe(const jf__ynode *node, char *buf, size_t size)
{
    if (!node || jf__yaml_is_null(node)) {
        snprintf(buf, size, "nothing");
        return;
    }
    if (node->kind == JF__YAML_MAP) {
        snprintf(buf, size, "a mapping");
        return;
    }
    if (node->kind == JF__YAML_SEQ) {
        snprintf(buf, size, "a list");
        return;
    }
    /* A short, printable rendering of the scalar. */
    char shown[64];
    size_t o = 0;
    for (size_t i = 0; i < node->len && o + 5 < sizeof shown; i++) {
        unsigned char c = (unsigned char)node->text[i];
        if (c == '"' || c == '\\') {
            shown[o++] = '\\';
            shown[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(shown + o, sizeof shown - o, "\\x%02x", c);
        } else {
            shown[o++] = (char)c;
        }
    }
    shown[o] = '\0';
    bool cut = o + 5 >= sizeof shown;
    snprintf(buf, size, "%s\"%s%s\"", node->quoted ? "text " : "", shown, cut ? "..." : "");
}

/* ---- duplicate keys -------------------------------------------------------- */

typedef struct {
    const jf__ynode *key;
    size_t index;
} jf__ykey;

static int key_cmp(const void *pa, const void *pb)
{
    const jf__ykey *a = pa, *b = pb;
    size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
    int c = memcmp(a->key->text, b->key->text, n);
    if (c)
        return c;
    if (a->key->len != b->key->len)
        return a->key->len < b->key->len ? -1 : 1;
    return a->index < b->index ? -1 : (a->index > b->index ? 1 : 0);
}

static bool same_key(const jf__ynode *a, const jf__ynode *b)
{
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

static jf_status check_duplicates(jf__ybuild *b, const jf__ynode *map)
{
    size_t first = 0, second = 0;
    bool found = false;
    if (map->n <= 16) {
        for (size_t j = 1; j < map->n && !found; j++)
            for (size_t i = 0; i < j; i++)
                if (same_key(map->keys[i], map->keys[j])) {
                    first = i;
                    second = j;
                    found = true;
                    break;
                }
    } else {
        jf__ykey *sorted = malloc(map->n * sizeof *sorted);
        if (!sorted)
            return yfail(b, JF_ERR_NOMEM, map->line, map->column, "out of memory");
        for (size_t i = 0; i < map->n; i++) {
            sorted[i].key = map->keys[i];
            sorted[i].index = i;
        }
        qsort(sorted, map->n, sizeof *sorted, key_cmp);
        for (size_t i = 1, group = 0; i < map->n; i++) {
            if (!same_key(sorted[i].key, sorted[group].key)) {
                group = i;
                continue;
            }
            if (!found || sorted[i].index < second) {
                first = sorted[group].index;
                second = sorted[i].index;
                found = true;
            }
        }
        free(sorted);
    }
    if (!found)
        return JF_OK;
    const jf__ynode *k = map->keys[second];
    char what[96];
    jf__yaml_describe(k, what, sizeof what);
    jf_status st = yfail(b, JF_ERR_DUPLICATE, k->line, k->column,
                         "duplicate key %s (first given at line %d)", what, map->keys[first]->line);
    if (b->err)
        snprintf(b->err->path, sizeof b->err->path, "%.*s", (int)(k->len < 200 ? k->len : 200), k->text);
    return st;
}

/* ---- event handling -------------------------------------------------------- */

static jf_status attach(jf__ybuild *b, jf__ynode *node, int line, int column)
{
    if (b->depth == 0) {
        if (b->root) { /* cannot happen: one document, one root */
            jf__yaml_free(node);
            return yfail(b, JF_ERR_SYNTAX, line, column, "more than one root node");
        }
        b->root = node;
        return JF_OK;
    }
    jf__yframe *top = &b->stack[b->depth - 1];
    if (top->node->kind == JF__YAML_SEQ) {
        if (!jf__yaml_append(top->node, NULL, node)) {
            jf__yaml_free(node);
            return yfail(b, JF_ERR_NOMEM, line, column, "out of memory");
        }
        return JF_OK;
    }
    if (!top->pending_key) {
        if (node->kind != JF__YAML_SCALAR) {
            const char *found = node->kind == JF__YAML_MAP ? "a mapping" : "a list";
            jf__yaml_free(node);
            return yfail(b, JF_ERR_SYNTAX, line, column, "a mapping key must be a name, found %s", found);
        }
        top->pending_key = node;
        return JF_OK;
    }
    if (!jf__yaml_append(top->node, top->pending_key, node)) {
        jf__yaml_free(node);
        return yfail(b, JF_ERR_NOMEM, line, column, "out of memory");
    }
    top->pending_key = NULL;
    return JF_OK;
}

static jf_status on_node(jf__ybuild *b, const yaml_event_t *ev)
{
    int line = (int)ev->start_mark.line + 1;
    int column = (int)ev->start_mark.column + 1;
    const yaml_char_t *anchor = NULL, *tag = NULL;
    if (ev->type == YAML_SCALAR_EVENT) {
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
    } else if (ev->type == YAML_MAPPING_START_EVENT) {
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
    } else {
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
    }
    column = adj(b, line, column);
    if (anchor)
        return yfail(b, JF_ERR_LIMIT, line, column, "anchors and aliases are not supported");
    if (tag)
        return yfail(b, JF_ERR_SYNTAX, line, column, "YAML tags (like !!str) are not supported");
    if (++b->n_nodes > JF__YAML_MAX_NODES)
        return yfail(b, JF_ERR_LIMIT, line, column, "too many YAML nodes (the limit is %u)",
                     JF__YAML_MAX_NODES);
    int src = b->origin->src;
    int col = column;
    jf__ynode *node;
    if (ev->type == YAML_SCALAR_EVENT) {
        node = jf__yaml_new_scalar((const char *)ev->data.scalar.value, ev->data.scalar.length,
                                   ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE, line, col, src);
    } else {
        if (b->depth >= JF__YAML_MAX_DEPTH)
            return yfail(b, JF_ERR_LIMIT, line, column, "nesting deeper than %d levels",
                         JF__YAML_MAX_DEPTH);
        node = jf__yaml_new(ev->type == YAML_MAPPING_START_EVENT ? JF__YAML_MAP : JF__YAML_SEQ,
                            line, col, src);
    }
    if (!node)
        return yfail(b, JF_ERR_NOMEM, line, column, "out of memory");
    jf_status st = attach(b, node, line, column);
    if (st != JF_OK || node->kind == JF__YAML_SCALAR)
        return st;
    b->stack[b->depth].node = node;
    b->stack[b->depth].pending_key = NULL;
    b->depth++;
    return JF_OK;
}

/* Line/column of a byte offset (reader errors carry an offset, not a mark). */
static void offset_position(const char *text, size_t len, size_t offset, int *line, int *column)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *column = c;
}

/* Does line `index` (0-based) of `text` start with blanks that include a tab?
 * Used to explain libyaml's "found character that cannot start any token". */
static bool line_indented_with_tab(const char *text, size_t len, size_t index)
{
    size_t i = 0;
    for (size_t l = 0; l < index && i < len; i++)
        if (text[i] == '\n')
            l++;
    for (; i < len && (text[i] == ' ' || text[i] == '\t'); i++)
        if (text[i] == '\t')
            return true;
    return false;
}

static jf_status parser_error(jf__ybuild *b, const yaml_parser_t *p, const char *text, size_t len)
{
    if (p->error == YAML_MEMORY_ERROR)
        return yfail(b, JF_ERR_NOMEM, 0, 0, "out of memory while parsing YAML");
    int line, column;
    if (p->error == YAML_READER_ERROR) {
        offset_position(text, len, p->problem_offset, &line, &column);
        column = adj(b, line, column);
        if (p->problem_value != -1)
            return yfail(b, JF_ERR_SYNTAX, line, column, "invalid input: %s (byte 0x%02x)",
                         p->problem ? p->problem : "unreadable text", (unsigned)p->problem_value & 0xffu);
        return yfail(b, JF_ERR_SYNTAX, line, column, "invalid input: %s",
                     p->problem ? p->problem : "unreadable text");
    }
    line = (int)p->problem_mark.line + 1;
    column = adj(b, line, (int)p->problem_mark.column + 1);
    if (line_indented_with_tab(text, len, (size_t)p->problem_mark.line))
        return yfail(b, JF_ERR_SYNTAX, line, column,
                     "YAML syntax error: a tab in the indentation (YAML indents with spaces only)");
    if (p->context)
        return yfail(b, JF_ERR_SYNTAX, line, column, "YAML syntax error: %s (%s at line %d)",
                     p->problem ? p->problem : "invalid YAML", p->context,
                     (int)p->context_mark.line + 1);
    return yfail(b, JF_ERR_SYNTAX, line, column, "YAML syntax error: %s",
                 p->problem ? p->problem : "invalid YAML");
}

static void build_cleanup(jf__ybuild *b)
{
    for (int i = 0; i < b->depth; i++)
        jf__yaml_free(b->stack[i].pending_key);
    jf__yaml_free(b->root);
    b->root = NULL;
}

jf_status jf__yaml_parse(const char *text, size_t len, const jf__yaml_origin *origin,
                         jf__ynode **out, jf_error *err)
{
    /* A UTF-8 byte-order mark (Notepad, Excel) is not content: skip it.  (libyaml
     * would, but only when left to detect the encoding itself.) */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    jf__ybuild b;
    memset(&b, 0, sizeof b);
    b.origin = origin;
    b.err = err;
    *out = NULL;

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return yfail(&b, JF_ERR_NOMEM, 0, 0, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    jf_status st = JF_OK;
    bool done = false;
    while (!done && st == JF_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            st = parser_error(&b, &parser, text, len);
            break;
        }
        int line = (int)ev.start_mark.line + 1;
        int column = adj(&b, line, (int)ev.start_mark.column + 1);
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++b.n_documents > 1)
                st = yfail(&b, JF_ERR_SYNTAX, line, column,
                           "only one YAML document is allowed (found a second '---')");
            break;
        case YAML_ALIAS_EVENT:
            st = yfail(&b, JF_ERR_LIMIT, line, column, "anchors and aliases are not supported");
            break;
        case YAML_SCALAR_EVENT:
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            st = on_node(&b, &ev);
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (b.depth > 0) {
                jf__ynode *closed = b.stack[--b.depth].node;
                if (closed->kind == JF__YAML_MAP)
                    st = check_duplicates(&b, closed);
            }
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (st != JF_OK) {
        build_cleanup(&b);
        return st;
    }
    *out = b.root;
    return JF_OK;
}
