/*
 * fuzz_loader.c — libFuzzer target for the scenario loader.
 *
 * Each input is a scenario text for jf_scenario_load_string; on success the
 * scenario is emitted (to /dev/null) and freed, so loader, validator, emitter
 * and free all run under ASan/UBSan.  An input that starts with "@set:"
 * instead fuzzes --set: the rest, split at newlines, is a list of PATH=VALUE
 * overrides applied to a small valid built-in scenario.
 * Invariant checked: a failed load leaves *out NULL and a status that is an
 * input error (or NOMEM); a successful one emits YAML that loads again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfsim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_scenario[] =
    "start_year: 2026\nhorizon_years: 10\n"
    "regime: {initial: conflict, p_end: 0.3, p_relapse: 0.03}\n"
    "resources:\n"
    "  - {name: gas1, kind: gas, capacity: 100, price: {model: gbm, start: 10, volatility: 0.2}}\n"
    "  - {name: li, kind: mineral, schedule: [1, 2, 3], price: {model: fixed, start: 5}}\n"
    "schemes:\n  - {name: fund, type: joint_fund}\n  - {name: rep, type: repayment}\n";

static void check_roundtrip(const jf_scenario *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return;
    jf_error err;
    jf_status st = jf_scenario_emit(sc, mem, &err);
    fclose(mem);
    if (st == JF_OK) {
        jf_scenario *again = NULL;
        st = jf_scenario_load_string(buf, len, "emitted", NULL, 0, &again, &err);
        if (st != JF_OK && st != JF_ERR_NOMEM) {
            char msg[2048];
            jf_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "emitted scenario does not load again: %s\n%s\n", msg, buf);
            abort();
        }
        jf_scenario_free(again);
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jf_scenario *sc = NULL;
    jf_error err;
    jf_status st;
    if (size >= 5 && memcmp(data, "@set:", 5) == 0) {
        char *text = malloc(size - 4);
        if (!text)
            return 0;
        memcpy(text, data + 5, size - 5);
        text[size - 5] = '\0';
        jf_override ov[8];
        size_t n = 0;
        for (char *line = text, *next; line && n < 8; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = '\0';
            if (jf_override_parse(line, &ov[n], &err) == JF_OK)
                n++;
        }
        st = jf_scenario_load_string(base_scenario, sizeof base_scenario - 1, "base", ov, n, &sc, &err);
        if (st == JF_OK)
            check_roundtrip(sc);
        jf_scenario_free(sc);
        free(text);
        return 0;
    }
    st = jf_scenario_load_string((const char *)data, size, "fuzz.yaml", NULL, 0, &sc, &err);
    if (st == JF_OK) {
        check_roundtrip(sc);
    } else if (sc != NULL || (!jf_status_is_input_error(st) && st != JF_ERR_NOMEM)) {
        abort();
    }
    jf_scenario_free(sc);
    return 0;
}
