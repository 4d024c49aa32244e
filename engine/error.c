/*
 * error.c — status codes and error records (see jfsim.h).
 *
 * One X-macro table in jfsim.h gives the codes and their descriptions; every
 * library failure is reported through a jf_error that the CLI prints as
 * "FILE:LINE:COL: error: KEY.PATH: message".
 */
#include <stdio.h>
#include <string.h>

#include "jfsim.h"

const char *jf_status_str(jf_status status)
{
    static const char *const text[] = {
#define JF__STATUS_TEXT(code, description) description,
        JF_STATUS_TABLE(JF__STATUS_TEXT)
#undef JF__STATUS_TEXT
    };
    if ((unsigned)status >= (unsigned)JF_STATUS_COUNT)
        return "unknown status";
    return text[status];
}

bool jf_status_is_input_error(jf_status status)
{
    switch (status) {
    case JF_ERR_USAGE: case JF_ERR_SYNTAX: case JF_ERR_UNKNOWN_KEY: case JF_ERR_DUPLICATE:
    case JF_ERR_TYPE: case JF_ERR_MISSING: case JF_ERR_RANGE: case JF_ERR_REFERENCE:
    case JF_ERR_NOT_PD: case JF_ERR_LIMIT:
        return true;
    default:
        return false;
    }
}

void jf_error_clear(jf_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int jf_error_format(const jf_error *err, char *buf, size_t size)
{
    char where[640] = "";
    if (err->file[0] && err->line > 0)
        snprintf(where, sizeof where, "%s:%d:%d: ", err->file, err->line, err->column > 0 ? err->column : 1);
    else if (err->file[0])
        snprintf(where, sizeof where, "%s: ", err->file);
    return snprintf(buf, size, "%serror: %s%s%s", where, err->path, err->path[0] ? ": " : "",
                    err->message[0] ? err->message : jf_status_str(err->status));
}
