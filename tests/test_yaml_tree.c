/*
 * test_yaml_tree.c — the YAML tree: shape, 1-based positions, plain vs quoted,
 * "no value" detection, and every refusal (depth, node count, anchors and
 * aliases, tags, complex keys, several documents, duplicate keys, invalid
 * UTF-8), with positions shifted for --set text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "yaml_tree.h"

static const jf__yaml_origin file_origin = {"t.yaml", 0, 0};

static jf__ynode *parse_ok(const char *text)
{
    jf__ynode *root = NULL;
    jf_error err;
    jf_status st = jf__yaml_parse(text, strlen(text), &file_origin, &root, &err);
    if (st != JF_OK)
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
    assert_int_equal(st, JF_OK);
    return root;
}

static void parse_fails(const char *text, size_t len, jf_status status, int line, int column, const char *message)
{
    jf__ynode *root = (jf__ynode *)&root;
    jf_error err;
    jf_status st = jf__yaml_parse(text, len, &file_origin, &root, &err);
    if (st != status || err.line != line || err.column != column || !strstr(err.message, message))
        print_error("got %d at %d:%d: %s\n", st, err.line, err.column, err.message);
    assert_int_equal(st, status);
    assert_null(root);
    assert_string_equal(err.file, "t.yaml");
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    assert_non_null(strstr(err.message, message));
}

static void test_shape_and_positions(void **state)
{
    (void)state;
    jf__ynode *root = parse_ok("# comment\na: 1\nb:\n  - 'x'\n  - {c: d}\n\"e\": |\n  text\n");
    assert_int_equal(root->kind, JF__YAML_MAP);
    assert_int_equal(root->n, 3);
    assert_int_equal(root->line, 2);
    assert_int_equal(root->column, 1);
    const jf__ynode *a = jf__yaml_get(root, "a", NULL);
    assert_true(jf__yaml_is(a, "1"));
    assert_false(a->quoted);
    assert_int_equal(a->line, 2);
    assert_int_equal(a->column, 4);
    assert_int_equal(root->keys[0]->column, 1);
    size_t ib;
    const jf__ynode *b = jf__yaml_get(root, "b", &ib);
    assert_int_equal(ib, 1);
    assert_int_equal(b->kind, JF__YAML_SEQ);
    assert_int_equal(b->n, 2);
    assert_int_equal(b->line, 4);
    assert_int_equal(b->column, 3);
    assert_true(b->vals[0]->quoted);
    assert_true(jf__yaml_is(b->vals[0], "x"));
    assert_int_equal(b->vals[0]->column, 5);
    const jf__ynode *m = b->vals[1];
    assert_int_equal(m->kind, JF__YAML_MAP);
    assert_int_equal(m->line, 5);
    assert_int_equal(m->column, 5);
    assert_true(jf__yaml_is(jf__yaml_get(m, "d", NULL) ? NULL : jf__yaml_get(m, "c", NULL), "d"));
    const jf__ynode *e = jf__yaml_get(root, "e", NULL); /* quoted key, block scalar value */
    assert_true(e->quoted);
    assert_true(jf__yaml_is(e, "text\n"));
    assert_true(root->keys[2]->quoted);
    assert_null(jf__yaml_get(root, "zz", NULL));
    assert_null(jf__yaml_get(a, "a", NULL)); /* not a mapping */
    jf__yaml_free(root);
    jf__yaml_free(NULL);
}

static void test_null_values(void **state)
{
    (void)state;
    jf__ynode *root = parse_ok("a:\nb: ~\nc: null\nd: ''\ne: NULL\nf: nil\n");
    assert_true(jf__yaml_is_null(jf__yaml_get(root, "a", NULL)));
    assert_true(jf__yaml_is_null(jf__yaml_get(root, "b", NULL)));
    assert_true(jf__yaml_is_null(jf__yaml_get(root, "c", NULL)));
    assert_false(jf__yaml_is_null(jf__yaml_get(root, "d", NULL))); /* quoted empty text is a value */
    assert_true(jf__yaml_is_null(jf__yaml_get(root, "e", NULL)));
    assert_false(jf__yaml_is_null(jf__yaml_get(root, "f", NULL)));
    assert_false(jf__yaml_is_null(root));
    char buf[64];
    jf__yaml_describe(jf__yaml_get(root, "a", NULL), buf, sizeof buf);
    assert_string_equal(buf, "nothing");
    jf__yaml_describe(jf__yaml_get(root, "d", NULL), buf, sizeof buf);
    assert_string_equal(buf, "text \"\"");
    jf__yaml_describe(jf__yaml_get(root, "f", NULL), buf, sizeof buf);
    assert_string_equal(buf, "\"nil\"");
    jf__yaml_describe(root, buf, sizeof buf);
    assert_string_equal(buf, "a mapping");
    jf__yaml_free(root);
}

static void test_empty_streams(void **state)
{
    (void)state;
    const char *texts[] = {"", "# only a comment\n", "\n\n   \n"};
    for (size_t i = 0; i < 3; i++) {
        jf__ynode *root = (jf__ynode *)&root;
        jf_error err;
        assert_int_equal(jf__yaml_parse(texts[i], strlen(texts[i]), &file_origin, &root, &err), JF_OK);
        assert_null(root);
    }
    /* an explicit document with nothing in it is one empty plain scalar */
    jf__ynode *root = parse_ok("---\n");
    assert_true(jf__yaml_is_null(root));
    jf__yaml_free(root);
}

static void test_depth_limit(void **state)
{
    (void)state;
    /* exactly 64 levels are fine, the 65th is refused at its own '[' */
    char text[256];
    memset(text, '[', 64);
    memset(text + 64, ']', 64);
    jf__ynode *root = NULL;
    jf_error err;
    assert_int_equal(jf__yaml_parse(text, 128, &file_origin, &root, &err), JF_OK);
    jf__yaml_free(root);
    memset(text, '[', 65);
    memset(text + 65, ']', 65);
    parse_fails(text, 130, JF_ERR_LIMIT, 1, 65, "nesting deeper than 64 levels");
    /* block nesting counts the same way */
    char block[8192];
    size_t o = 0;
    for (int d = 0; d < 70; d++)
        o += (size_t)snprintf(block + o, sizeof block - o, "%*sk:\n", 2 * d, "");
    parse_fails(block, o, JF_ERR_LIMIT, 65, 129, "nesting deeper than 64 levels");
}

static void test_node_limit(void **state)
{
    (void)state;
    /* a flat list of JF__YAML_MAX_NODES scalars plus the list itself is one too many */
    size_t n = JF__YAML_MAX_NODES;
    char *text = malloc(2 * n + 8);
    assert_non_null(text);
    text[0] = '[';
    for (size_t i = 0; i < n; i++) {
        text[1 + 2 * i] = '0';
        text[2 + 2 * i] = ',';
    }
    text[2 * n] = ']';
    clock_t t0 = clock();
    parse_fails(text, 2 * n + 1, JF_ERR_LIMIT, 1, 2 * (int)n, "too many YAML nodes");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 30.0); /* generous: sanitizer builds are slow */
    /* one fewer scalar is accepted */
    text[2 * n - 2] = ']';
    jf__ynode *root = NULL;
    jf_error err;
    assert_int_equal(jf__yaml_parse(text, 2 * n - 1, &file_origin, &root, &err), JF_OK);
    assert_int_equal(root->n, n - 1);
    jf__yaml_free(root);
    free(text);
}

static void test_refusals(void **state)
{
    (void)state;
    const char *t;
    t = "a: &x 1\nb: *x\n";
    parse_fails(t, strlen(t), JF_ERR_LIMIT, 1, 4, "anchors and aliases are not supported");
    t = "a: 1\nb: *x\n";
    parse_fails(t, strlen(t), JF_ERR_LIMIT, 2, 4, "anchors and aliases"); /* an alias alone is refused too */
    t = "a: !!str 5\n";
    parse_fails(t, strlen(t), JF_ERR_SYNTAX, 1, 4, "tags");
    t = "a: 1\n---\nb: 2\n";
    parse_fails(t, strlen(t), JF_ERR_SYNTAX, 2, 1, "only one YAML document");
    t = "? [a, b]\n: 1\n";
    parse_fails(t, strlen(t), JF_ERR_SYNTAX, 1, 3, "a mapping key must be a name");
    t = "a: 1\nb: 2\na: 3\n";
    parse_fails(t, strlen(t), JF_ERR_DUPLICATE, 3, 1, "duplicate key \"a\" (first given at line 1)");
    t = "a: \xc3\x28\n";
    parse_fails(t, strlen(t), JF_ERR_SYNTAX, 1, 5, "invalid trailing UTF-8 octet (byte 0x28)");
    t = "a: [1, 2\n";
    parse_fails(t, strlen(t), JF_ERR_SYNTAX, 2, 1, "YAML syntax error");
}

static void test_duplicates_in_large_mapping(void **state)
{
    (void)state;
    /* 200 keys; k150 repeats k30 at line 151 and k40 repeats k10 at line 181:
     * the second occurrence that comes first in the file is reported. */
    char *text = malloc(200 * 16);
    assert_non_null(text);
    size_t o = 0;
    for (int i = 0; i < 200; i++) {
        int k = i == 150 ? 30 : i == 180 ? 10 : i;
        o += (size_t)sprintf(text + o, "k%d: %d\n", k, i);
    }
    parse_fails(text, o, JF_ERR_DUPLICATE, 151, 1, "duplicate key \"k30\" (first given at line 31)");
    free(text);
}

static void test_override_origin(void **state)
{
    (void)state;
    /* --set text: positions count within "PATH=VALUE" (column_offset = strlen(PATH) + 1) */
    jf__yaml_origin o = {"--set", 3, 6};
    jf__ynode *root = NULL;
    jf_error err;
    const char *v = "{mean: 1}";
    assert_int_equal(jf__yaml_parse(v, strlen(v), &o, &root, &err), JF_OK);
    assert_int_equal(root->column, 7);
    assert_int_equal(root->src, 3);
    assert_int_equal(root->keys[0]->column, 8);
    assert_int_equal(root->vals[0]->column, 14);
    assert_int_equal(root->vals[0]->src, 3);
    jf__yaml_free(root);
    /* a scalar root is fine for --set values */
    v = "0.5";
    assert_int_equal(jf__yaml_parse(v, strlen(v), &o, &root, &err), JF_OK);
    assert_int_equal(root->kind, JF__YAML_SCALAR);
    jf__yaml_free(root);
    v = "&a 1";
    assert_int_equal(jf__yaml_parse(v, strlen(v), &o, &root, &err), JF_ERR_LIMIT);
    assert_string_equal(err.file, "--set");
    assert_int_equal(err.column, 7);
}

/* A UTF-8 byte-order mark (as Notepad and Excel save) is skipped, and
 * positions stay those of the visible text; a tab in the indentation gets a
 * message that says so instead of libyaml's "cannot start any token". */
static void test_bom_and_tabs(void **state)
{
    (void)state;
    jf__ynode *root = parse_ok("\xEF\xBB\xBFname: x\nstart_year: 2026\n");
    const jf__ynode *v = jf__yaml_get(root, "start_year", NULL);
    assert_non_null(v);
    assert_int_equal(v->line, 2);
    assert_int_equal(v->column, 13);
    jf__yaml_free(root);
    const char *tabbed = "resources:\n  - name: a\n\t kind: gas\n";
    parse_fails(tabbed, strlen(tabbed), JF_ERR_SYNTAX, 3, 1, "a tab in the indentation");
}

static void test_building_api(void **state)
{
    (void)state;
    jf__ynode *map = jf__yaml_new(JF__YAML_MAP, 1, 1, 0);
    assert_non_null(map);
    for (int i = 0; i < 100; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        jf__ynode *k = jf__yaml_new_scalar(key, strlen(key), false, 1, 1, 0);
        jf__ynode *v = jf__yaml_new(JF__YAML_SEQ, 1, 1, 0);
        assert_true(jf__yaml_append(map, k, v));
    }
    assert_int_equal(map->n, 100);
    size_t idx;
    assert_non_null(jf__yaml_get(map, "k77", &idx));
    assert_int_equal(idx, 77);
    jf__ynode *s = jf__yaml_new(JF__YAML_SCALAR, 1, 1, 0);
    assert_true(jf__yaml_is_null(s));
    assert_true(jf__yaml_append(jf__yaml_get(map, "k3", NULL), NULL, s));
    assert_int_equal(jf__yaml_get(map, "k3", NULL)->n, 1);
    jf__yaml_free(map);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape_and_positions),
        cmocka_unit_test(test_null_values),
        cmocka_unit_test(test_empty_streams),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_node_limit),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_duplicates_in_large_mapping),
        cmocka_unit_test(test_override_origin),
        cmocka_unit_test(test_bom_and_tabs),
        cmocka_unit_test(test_building_api),
    };
    return cmocka_run_group_tests_name("yaml_tree", tests, NULL, NULL);
}
