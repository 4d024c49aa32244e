/*
 * sha256.h — SHA-256 of a file or a buffer as lowercase hex (internal).
 *
 * A thin wrapper over nettle's sha256_init/update/digest, used to fingerprint
 * the scenario file in manifest.json (INTERFACE.md "Outputs").
 */
#ifndef JF_SHA256_H
#define JF_SHA256_H

#include <stddef.h>

#include "jfsim.h"

#define JF_SHA256_HEX_SIZE 65 /* 64 hex digits and the NUL */

/* Hash `len` bytes at `data` into hex[65].  This function can't fail. */
void jf__sha256_buffer(const void *data, size_t len, char hex[JF_SHA256_HEX_SIZE]);

/* Hash the contents of the file `path` into hex[65].  Returns JF_ERR_IO (with
 * err filled) when the file cannot be opened or read; hex is then "". */
jf_status jf__sha256_file(const char *path, char hex[JF_SHA256_HEX_SIZE], jf_error *err);

#endif /* JF_SHA256_H */
