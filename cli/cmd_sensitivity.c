/*
 * cmd_sensitivity.c — `jfsim sensitivity`: run the scenario's sensitivity section.
 */
#include <stdio.h>

#include "cli.h"

int cmd_sensitivity(const cli_options *o)
{
    (void)o;
    fprintf(stderr, "jfsim: 'sensitivity' is not implemented yet\n");
    return EXIT_FAILURE_OTHER;
}
