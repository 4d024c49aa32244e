/*
 * signal_cleanup.c — the public, async-signal-safe clean-up of temporary
 * output files (jfsim.h), over the registry kept by csv.c.
 */
#include "csv.h"
#include "jfsim.h"

int jf_output_cleanup_on_signal(void)
{
    return jf__atomic_cleanup_on_signal();
}
