/*
 * sha256.c — SHA-256 fingerprints through nettle (see sha256.h).
 *
 * The file is read in 64 KiB chunks into a stack buffer, so any size hashes
 * in constant memory.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "sha256.h"

static void to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char hex[JF_SHA256_HEX_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 0xF];
    }
    hex[2 * SHA256_DIGEST_SIZE] = '\0';
}

void jf__sha256_buffer(const void *data, size_t len, char hex[JF_SHA256_HEX_SIZE])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    to_hex(digest, hex);
}

static jf_status io_error(jf_error *err, const char *path, const char *what, int errnum)
{
    if (err) {
        jf_error_clear(err);
        err->status = JF_ERR_IO;
        snprintf(err->file, sizeof err->file, "%s", path);
        snprintf(err->message, sizeof err->message, "cannot %s file for hashing: %s", what,
                 strerror(errnum));
    }
    return JF_ERR_IO;
}

jf_status jf__sha256_file(const char *path, char hex[JF_SHA256_HEX_SIZE], jf_error *err)
{
    hex[0] = '\0';
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return io_error(err, path, "open", errno);

    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    unsigned char buf[65536];
    sha256_init(&ctx);
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        sha256_update(&ctx, got, buf);
    if (ferror(fp)) {
        int e = errno;
        fclose(fp);
        return io_error(err, path, "read", e);
    }
    fclose(fp);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    to_hex(digest, hex);
    return JF_OK;
}
