/*
 * scenario_load.c — jf_scenario_load / jf_scenario_load_string: file -> tree -> overrides -> structs.
 *
 * The pipeline (INTERFACE.md "Scenario files", MODEL.md §9):
 *   1. read the file (refusing directories, missing files and files over
 *      JF__MAX_FILE_BYTES before reading them);
 *   2. parse it into a jf__ynode tree (yaml_tree.h: limits, no anchors);
 *   3. apply the --set overrides to the tree (overrides.h);
 *   4. validate the tree into a jf_scenario, filling every default:
 *      top level here, then resources and correlations
 *      (schema_resource.c), schemes (schema_scheme.c), sweep and
 *      sensitivity (schema_study.c).
 * The first error stops the load; nothing of the tree survives.  The
 * scenario name defaults to the file name without its extension, with
 * characters outside [A-Za-z0-9_.-] replaced by '_' (and "scenario"
 * prefixed when it would not start with a letter or digit).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "overrides.h"
#include "scenario_read.h"
#include "schema.h"

#define JF__MAX_FILE_BYTES (16u * 1024u * 1024u)

static const char *const top_keys[] = {"name", "start_year", "horizon_years", "paths", "seed",
                                       "discount_rate", "inflation", "regime", "resources",
                                       "correlations", "schemes", "comparison", "sweep",
                                       "sensitivity", NULL};
static const char *const regime_keys[] = {"initial", "p_end", "p_relapse", NULL};
static const char *const regime_states[] = {"peace", "conflict", NULL};
static const char *const comparison_keys[] = {"target", NULL};

static bool scenario_name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

static bool alnum_ascii(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Default scenario name from a file name (see the file comment). */
static void default_name(const char *file, char *out, size_t size)
{
    const char *base = file ? strrchr(file, '/') : NULL;
    base = base ? base + 1 : (file ? file : "");
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char tmp[JF_TEXT_MAX];
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < sizeof tmp; i++)
        tmp[o++] = scenario_name_char(base[i]) ? base[i] : '_';
    tmp[o] = '\0';
    if (!alnum_ascii(tmp[0]))
        snprintf(out, size, "scenario%.*s", (int)(size > 9 ? size - 9 : 0), tmp);
    else
        snprintf(out, size, "%s", tmp);
}

static jf_status parse_regime(jf__vctx *v, const jf__ynode *root)
{
    jf_scenario *sc = v->sc;
    const jf__ynode *node = jf__yaml_get(root, "regime", NULL), *x;
    if (!node)
        return JF_OK;
    jf_status st = jf__want_map(v, node, "regime", "a mapping {initial, p_end, p_relapse}");
    if (st == JF_OK)
        st = jf__check_keys(v, node, "regime", regime_keys, "the regime");
    if (st != JF_OK)
        return st;
    int initial;
    if ((st = jf__require(v, node, "regime", "initial", &x)) != JF_OK ||
        (st = jf__enum(v, x, "regime.initial", regime_states, "regime state", &initial)) != JF_OK ||
        (st = jf__require(v, node, "regime", "p_end", &x)) != JF_OK ||
        (st = jf__real(v, x, "regime.p_end", JF__UNIT, &sc->p_end)) != JF_OK ||
        (st = jf__require(v, node, "regime", "p_relapse", &x)) != JF_OK ||
        (st = jf__real(v, x, "regime.p_relapse", JF__UNIT, &sc->p_relapse)) != JF_OK)
        return st;
    sc->has_regime = true;
    sc->regime_initial = initial == 1 ? JF_REGIME_CONFLICT : JF_REGIME_PEACE;
    return JF_OK;
}

static jf_status parse_top(jf__vctx *v, const jf__ynode *root, const char *display)
{
    jf_scenario *sc = v->sc;
    const jf__ynode *x;
    long long year, horizon;
    jf_status st = jf__check_keys(v, root, "", top_keys, "the scenario");
    if (st != JF_OK)
        return st;
    if ((x = jf__yaml_get(root, "name", NULL)) != NULL) {
        if ((st = jf__text(v, x, "name", sc->name, sizeof sc->name)) != JF_OK)
            return st;
        bool ok = alnum_ascii(sc->name[0]);
        for (const char *c = sc->name; *c && ok; c++)
            ok = scenario_name_char(*c);
        if (!ok)
            return jf__vfail(v, JF_ERR_RANGE, x, "name",
                             "invalid scenario name '%s': it starts with a letter or digit and has only "
                             "letters, digits, '_', '.' and '-'", sc->name);
    } else {
        default_name(display, sc->name, sizeof sc->name);
    }
    if ((st = jf__require(v, root, "", "start_year", &x)) != JF_OK ||
        (st = jf__int(v, x, "start_year", 1, 9999, &year)) != JF_OK ||
        (st = jf__require(v, root, "", "horizon_years", &x)) != JF_OK ||
        (st = jf__int(v, x, "horizon_years", 1, 200, &horizon)) != JF_OK)
        return st;
    sc->start_year = (int)year;
    sc->horizon_years = (int)horizon;
    sc->paths = 10000;
    sc->seed = 0;
    if ((x = jf__yaml_get(root, "paths", NULL)) != NULL &&
        (st = jf__u64(v, x, "paths", 1, UINT64_MAX, &sc->paths)) != JF_OK)
        return st;
    if ((x = jf__yaml_get(root, "seed", NULL)) != NULL && (st = jf__u64(v, x, "seed", 0, UINT64_MAX, &sc->seed)) != JF_OK)
        return st;
    if ((st = jf__opt_real(v, root, "", "discount_rate", JF__ABOVE_M1, 0.0, &sc->discount_rate)) != JF_OK ||
        (st = jf__opt_real(v, root, "", "inflation", JF__ABOVE_M1, 0.0, &sc->inflation)) != JF_OK)
        return st;
    if ((st = parse_regime(v, root)) != JF_OK)
        return st;
    sc->comparison_target = 500e9;
    if ((x = jf__yaml_get(root, "comparison", NULL)) != NULL) {
        if ((st = jf__want_map(v, x, "comparison", "a mapping {target}")) != JF_OK ||
            (st = jf__check_keys(v, x, "comparison", comparison_keys, "comparison")) != JF_OK ||
            (st = jf__opt_real(v, x, "comparison", "target", JF__NONNEG, 500e9, &sc->comparison_target)) != JF_OK)
            return st;
    }
    return JF_OK;
}

static jf_status load_tree(jf__ynode *root, const char *display, jf_scenario **out, jf_error *err)
{
    jf_scenario *sc = calloc(1, sizeof *sc);
    jf__vctx v = {display, err, sc};
    if (!sc)
        return jf__vfail(&v, JF_ERR_NOMEM, NULL, "", "out of memory");
    snprintf(sc->source_file, sizeof sc->source_file, "%s", display);
    jf_status st = parse_top(&v, root, display);
    if (st == JF_OK)
        st = jf__schema_resources(&v, root);
    if (st == JF_OK)
        st = jf__schema_correlations(&v, root);
    if (st == JF_OK)
        st = jf__schema_schemes(&v, root);
    if (st == JF_OK)
        st = jf__schema_study(&v, root);
    if (st != JF_OK) {
        jf_scenario_free(sc);
        return st;
    }
    *out = sc;
    return JF_OK;
}

jf_status jf_scenario_load_string(const char *text, size_t len, const char *name,
                                  const jf_override *overrides, size_t n_overrides,
                                  jf_scenario **out, jf_error *err)
{
    const char *display = name ? name : "<string>";
    jf__vctx v = {display, err, NULL};
    jf__yaml_origin origin = {display, 0, 0};
    jf__ynode *root = NULL;
    *out = NULL;
    jf_error_clear(err);
    if (!text && len)
        return jf__vfail(&v, JF_ERR_USAGE, NULL, "", "no text given");
    jf_status st = jf__yaml_parse(text ? text : "", len, &origin, &root, err);
    if (st != JF_OK)
        return st;
    if (!root) {
        jf__vfail(&v, JF_ERR_MISSING, NULL, "",
                  "empty scenario: expected a mapping with start_year, horizon_years and resources");
        if (err) {
            err->line = 1;
            err->column = 1;
        }
        return JF_ERR_MISSING;
    }
    if (root->kind != JF__YAML_MAP) {
        char found[96];
        jf__yaml_describe(root, found, sizeof found);
        st = jf__vfail(&v, JF_ERR_TYPE, root, "",
                       "expected the scenario to be a mapping (start_year: ..., resources: ...), found %s", found);
        jf__yaml_free(root);
        return st;
    }
    st = jf__overrides_apply(root, overrides, n_overrides, err);
    if (st == JF_OK)
        st = load_tree(root, display, out, err);
    jf__yaml_free(root);
    return st;
}

jf_status jf__scenario_read(const char *file, char **text, size_t *text_len, jf_error *err)
{
    jf__vctx v = {file ? file : "", err, NULL};
    struct stat sb;
    *text = NULL;
    *text_len = 0;
    jf_error_clear(err);
    if (!file || !file[0])
        return jf__vfail(&v, JF_ERR_USAGE, NULL, "", "no scenario file given");
    if (stat(file, &sb) != 0)
        return jf__vfail(&v, JF_ERR_IO, NULL, "", "cannot open the scenario file: %s", strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return jf__vfail(&v, JF_ERR_IO, NULL, "", "this is a directory, not a scenario file");
    if (S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size > JF__MAX_FILE_BYTES)
        return jf__vfail(&v, JF_ERR_LIMIT, NULL, "", "the file is %llu bytes; scenario files are limited to 16 MiB",
                         (unsigned long long)sb.st_size);
    FILE *fp = fopen(file, "rb");
    if (!fp)
        return jf__vfail(&v, JF_ERR_IO, NULL, "", "cannot open the scenario file: %s", strerror(errno));
    size_t cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : 65536, len = 0;
    char *buf = malloc(cap + 1);
    jf_status st = JF_OK;
    if (!buf)
        st = jf__vfail(&v, JF_ERR_NOMEM, NULL, "", "out of memory");
    while (st == JF_OK) {
        if (len == cap) {
            if (cap > JF__MAX_FILE_BYTES) {
                st = jf__vfail(&v, JF_ERR_LIMIT, NULL, "", "scenario files are limited to 16 MiB");
                break;
            }
            char *grown = realloc(buf, cap * 2 + 1);
            if (!grown) {
                st = jf__vfail(&v, JF_ERR_NOMEM, NULL, "", "out of memory");
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) {
            if (ferror(fp))
                st = jf__vfail(&v, JF_ERR_IO, NULL, "", "cannot read the scenario file: %s", strerror(errno));
            break;
        }
    }
    fclose(fp);
    if (st == JF_OK && len > JF__MAX_FILE_BYTES)
        st = jf__vfail(&v, JF_ERR_LIMIT, NULL, "", "scenario files are limited to 16 MiB");
    if (st != JF_OK) {
        free(buf);
        return st;
    }
    buf[len] = '\0';
    *text = buf;
    *text_len = len;
    return JF_OK;
}

jf_status jf_scenario_load(const char *file, const jf_override *overrides, size_t n_overrides,
                           jf_scenario **out, jf_error *err)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    jf_status st = jf__scenario_read(file, &text, &len, err);
    if (st == JF_OK)
        st = jf_scenario_load_string(text, len, file, overrides, n_overrides, out, err);
    free(text);
    return st;
}
