/*
 * main.c — entry point of the jfsim command (INTERFACE.md "Command line"):
 * parses the command line, installs the signal handlers that remove temporary
 * output files on Ctrl-C, and dispatches to the command's file.
 * Exit status: 0 success, 2 bad usage or invalid scenario, 1 any other failure.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"

static void on_signal(int sig)
{
    jf_output_cleanup_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* the library checks every GSL status itself */
    cli_options o = {0};
    int rc = cli_parse_args(argc, argv, &o);
    if (rc < 0) {
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        if (strcmp(o.command, "check") == 0)
            rc = cmd_check(&o);
        else if (strcmp(o.command, "run") == 0)
            rc = cmd_run(&o);
        else if (strcmp(o.command, "sweep") == 0)
            rc = cmd_sweep(&o);
        else
            rc = cmd_sensitivity(&o);
    }
    free(o.overrides);
    free(o.command_line);
    return rc;
}
