/*
 * test_files.h — small file helpers the test programs share: read a whole
 * file, make a scratch folder.  Header-only (static inline functions), for tests.
 */
#ifndef JF_TEST_FILES_H
#define JF_TEST_FILES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* The whole file as a new NUL-terminated buffer (the caller frees it), its
 * length in *len (may be NULL); NULL when the file cannot be opened. */
static inline char *jf_test_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            char *grown = realloc(buf, 2 * cap + 1);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    fclose(fp);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* A new empty folder $TMPDIR/<prefix>_XXXXXX (default /tmp), its path in buf;
 * false when it cannot be made. */
static inline bool jf_test_tempdir(char *buf, size_t size, const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, size, "%s/%s_XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
    return mkdtemp(buf) != NULL;
}

#endif /* JF_TEST_FILES_H */
