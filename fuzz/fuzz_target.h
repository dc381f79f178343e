/*
 * fuzz_target.h — the one entry point each fuzz/fuzz_*.c defines: libFuzzer calls it with
 * every input it makes (make fuzz), tests/fuzz_replay.c with every file of fuzz/corpus and
 * fuzz/regressions (make test). It returns 0; a broken invariant aborts.
 */
#ifndef GATECV_FUZZ_TARGET_H
#define GATECV_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts (a crash libFuzzer keeps) when `cond` is false: a parser broke its own contract. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: broken: %s\n", __FILE__, __LINE__, #cond);                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static inline void fuzz_log_abort(const gchar *domain, GLogLevelFlags level, const gchar *message,
                                  gpointer user)
{
    g_log_default_handler(domain, level, message, user);
    if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
        abort(); /* a SIGABRT libFuzzer catches, where GLib's own fatal path traps */
}

/* Makes a GLib critical or warning (a g_return_if_fail that failed: a NULL or freed node
 * handed to a library) abort, so that the fuzzer keeps the input. Call first thing. */
static inline void fuzz_fatal_criticals(void)
{
    static gboolean done;
    if (!done)
        g_log_set_default_handler(fuzz_log_abort, NULL);
    done = TRUE;
}

#endif
