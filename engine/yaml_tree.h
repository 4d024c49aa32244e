/*
 * yaml_tree.h — a YAML document as a plain tree of nodes with source positions (internal).
 *
 * The loader never works on libyaml types: jf__yaml_parse turns a text into a
 * tree of mapping / sequence / scalar nodes, each with the 1-based line and
 * column where it starts, the source it came from (the file, or the k-th
 * --set override) and, for scalars, the text and whether it was plain or
 * quoted (a quoted value is text, never a number: MODEL.md §9).
 *
 * Safety limits (checked while parsing, so memory stays bounded):
 *   - nesting deeper than JF__YAML_MAX_DEPTH collections      -> JF_ERR_LIMIT
 *   - more than JF__YAML_MAX_NODES nodes (keys included)       -> JF_ERR_LIMIT
 *   - any anchor (&a) or alias (*a): refused at the first one  -> JF_ERR_LIMIT
 *     (this stops "billion laughs" alias bombs before they expand)
 *   - tags (!!str), complex keys, several documents            -> JF_ERR_SYNTAX
 *   - a key given twice in one mapping: refused at the second, naming the
 *     line of the first                                         -> JF_ERR_DUPLICATE
 * The 16 MiB file-size limit is the caller's (scenario_load.c), checked before reading.
 *
 * Layout: a mapping holds n (key, value) pairs in keys[i]/vals[i], in file
 * order; keys are scalar nodes.  A sequence holds its n items in vals[i].
 * Every node is owned by its parent; jf__yaml_free frees a whole subtree.
 */
#ifndef JF_YAML_TREE_H
#define JF_YAML_TREE_H

#include "jfsim.h"

#define JF__YAML_MAX_DEPTH 64
#define JF__YAML_MAX_NODES 1000000u

typedef enum { JF__YAML_SCALAR = 0, JF__YAML_MAP, JF__YAML_SEQ } jf__yaml_kind;

typedef struct jf__ynode jf__ynode;
struct jf__ynode {
    jf__yaml_kind kind;
    int line;             /* 1-based */
    int column;           /* 1-based, in characters */
    int src;              /* 0 = the scenario file; k >= 1 = the k-th --set override */
    bool quoted;          /* scalar: written in any quoted or block style (text, never a number) */
    size_t len;           /* scalar: bytes of text, not counting the NUL */
    char *text;           /* scalar: NUL-terminated (may hold an inner NUL from "\0") */
    size_t n;             /* map: pairs; seq: items */
    size_t cap;
    jf__ynode **keys;     /* map only */
    jf__ynode **vals;     /* map: values; seq: items */
};

/* Where a text comes from, for positions and messages. */
typedef struct {
    const char *file;     /* name used in error records ("--set" for overrides) */
    int src;              /* stored in every node */
    int column_offset;    /* added to the column of nodes on line 1 */
} jf__yaml_origin;

/*
 * Parse `text` (len bytes, need not be NUL-terminated).  On success *out is
 * the root node (caller frees with jf__yaml_free), or NULL when the stream
 * holds no document at all (empty text, only comments).  On failure *out is
 * NULL and err is filled (SYNTAX with libyaml's problem and position, LIMIT,
 * DUPLICATE or NOMEM).
 */
jf_status jf__yaml_parse(const char *text, size_t len, const jf__yaml_origin *origin,
                         jf__ynode **out, jf_error *err);

/* Free a node and everything below it.  Accepts NULL.  This function can't fail. */
void jf__yaml_free(jf__ynode *node);

/* A new empty node of `kind` (text "" for scalars).  Returns NULL when out of memory. */
jf__ynode *jf__yaml_new(jf__yaml_kind kind, int line, int column, int src);

/* A new scalar holding a copy of `text`.  Returns NULL when out of memory. */
jf__ynode *jf__yaml_new_scalar(const char *text, size_t len, bool quoted, int line, int column,
                               int src);

/* Append a pair to a mapping (takes ownership of both) or, with key NULL, an
 * item to a sequence.  Returns false when out of memory (nothing is taken then). */
bool jf__yaml_append(jf__ynode *node, jf__ynode *key, jf__ynode *value);

/* Value of `key` in mapping `map` (NULL when absent or map is not a mapping);
 * *index (may be NULL) receives its position.  This function can't fail. */
jf__ynode *jf__yaml_get(const jf__ynode *map, const char *key, size_t *index);

/* Does the scalar's text equal `s` exactly?  False for non-scalars.  This function can't fail. */
bool jf__yaml_is(const jf__ynode *node, const char *s);

/* Is this a plain scalar meaning "no value" (empty, ~, null, Null, NULL)?  This function can't fail. */
bool jf__yaml_is_null(const jf__ynode *node);

/* "a mapping", "a list", "text \"abc\"", "a number" ... for messages.  This function can't fail. */
void jf__yaml_describe(const jf__ynode *node, char *buf, size_t size);

#endif /* JF_YAML_TREE_H */
