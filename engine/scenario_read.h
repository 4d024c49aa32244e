/*
 * scenario_read.h — reading a scenario file into memory (internal), with the
 * checks jf_scenario_load makes: a file (not a folder), at most 16 MiB, and
 * errors that name the file.  Sweeps and sensitivity studies read the file once
 * and re-validate its text at every point.
 */
#ifndef JF_SCENARIO_READ_H
#define JF_SCENARIO_READ_H

#include <stddef.h>

#include "jfsim.h"

/* The whole file as a new NUL-terminated buffer (*text, the caller frees it)
 * of *len bytes.  JF_ERR_USAGE (no file given), JF_ERR_IO (missing, a folder,
 * unreadable), JF_ERR_LIMIT (over 16 MiB), JF_ERR_NOMEM; then *text is NULL. */
jf_status jf__scenario_read(const char *file, char **text, size_t *len, jf_error *err);

#endif /* JF_SCENARIO_READ_H */
