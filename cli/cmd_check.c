/*
 * cmd_check.c — `jfsim check`: validate a scenario (with --set overrides) and
 * print it back with every default filled in, as YAML that check accepts again.
 */
#include <stdio.h>

#include "cli.h"

int cmd_check(const cli_options *o)
{
    jf_error err;
    jf_error_clear(&err);
    jf_scenario *sc = NULL;
    int rc = cli_load_scenario(o, &sc);
    if (rc >= 0)
        return rc;
    rc = EXIT_OK;
    if (jf_scenario_emit(sc, stdout, &err) != JF_OK || fflush(stdout) != 0)
        rc = cli_print_error(&err);
    jf_scenario_free(sc);
    return rc;
}

