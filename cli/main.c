/*
 * main.c — entry point of the jfsim command (INTERFACE.md "Command line"):
 * parses the command line, sets up the handling of Ctrl-C, and dispatches to
 * the command's file.  Exit status: 0 success, 2 bad usage or invalid
 * scenario, 1 any other failure; a run ended by a signal dies of that signal.
 *
 * Signals: SIGINT, SIGTERM and SIGHUP are blocked in every thread (the mask
 * is set before any OpenMP thread exists, so all inherit it) and taken by one
 * thread in sigwait.  That thread removes the temporary output files — waiting
 * while a set of output files is being renamed into place, so old and new
 * files are never left mixed — then ends the process with the same signal.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "cli.h"

static sigset_t ending_signals;

static void *signal_thread(void *arg)
{
    (void)arg;
    int sig;
    if (sigwait(&ending_signals, &sig) != 0)
        return NULL;
    const struct timespec pause = {0, 1000000}; /* 1 ms */
    while (jf_output_cleanup_on_signal() != 0)
        nanosleep(&pause, NULL);
    signal(sig, SIG_DFL);
    pthread_sigmask(SIG_UNBLOCK, &ending_signals, NULL);
    raise(sig); /* the default action ends the whole process */
    return NULL;
}

/* Block the ending signals in this (and so every later) thread and start the
 * thread that takes them; if it cannot start, unblock them again so they keep
 * their default action. */
static void handle_ending_signals(void)
{
    sigemptyset(&ending_signals);
    sigaddset(&ending_signals, SIGINT);
    sigaddset(&ending_signals, SIGTERM);
    sigaddset(&ending_signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &ending_signals, NULL);
    pthread_t tid;
    if (pthread_create(&tid, NULL, signal_thread, NULL) != 0)
        pthread_sigmask(SIG_UNBLOCK, &ending_signals, NULL);
    else
        pthread_detach(tid);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* the library checks every GSL status itself */
    cli_options o = {0};
    int rc = cli_parse_args(argc, argv, &o);
    if (rc < 0) {
        handle_ending_signals();
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
