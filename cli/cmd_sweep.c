/*
 * cmd_sweep.c — `jfsim sweep`: run every point of the scenario's sweep section.
 */
#include <stdio.h>

#include "cli.h"

int cmd_sweep(const cli_options *o)
{
    (void)o;
    fprintf(stderr, "jfsim: 'sweep' is not implemented yet\n");
    return EXIT_FAILURE_OTHER;
}
