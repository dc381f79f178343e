/*
 * fuzz_bus_request.c — one frame a client sends to the bus's request endpoint, as
 * event_bus.c's dispatch parses it (pipeline/bus_request.c: JSON, object, "request", the
 * fields of fetch and ack), and for a manifest request the vehicles manifest_replace checks
 * field by field (pipeline/manifest.c); a manifest that is accepted is then matched against a
 * few reads (manifest_match), as each crossing is. The frame is at most max_request_bytes
 * (1 MiB by default): larger ones are refused before parsing.
 */
#include "fuzz_target.h"

#include <string.h>

#include "bus_request.h"
#include "manifest.h"

static void match_some(manifest *m)
{
    static const manifest_read plates[] = {{"51C12345", TRUE}, {"桂F12345", FALSE}, {"", FALSE}};
    static const manifest_read codes[] = {{"MSKU1234565", TRUE}, {"TGHU8765432", FALSE}};
    const gint64 times[] = {0, G_GINT64_CONSTANT(1795000000000000), G_MAXINT64};
    for (guint i = 0; i < G_N_ELEMENTS(times); i++) {
        GPtrArray *reasons = g_ptr_array_new_with_free_func(g_free);
        gboolean mismatch = TRUE;
        JsonNode *n = manifest_match(m, times[i], plates, 3, codes, 2, reasons, &mismatch);
        FUZZ_CHECK(n && JSON_NODE_HOLDS_OBJECT(n));
        FUZZ_CHECK(mismatch == (reasons->len > 0));
        json_node_unref(n);
        g_ptr_array_unref(reasons);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_fatal_criticals();
    bus_request r;
    char *why = NULL;
    if (!bus_request_parse((const char *)data, size, &r, &why)) {
        FUZZ_CHECK(why && *why);
        g_free(why);
        bus_request_clear(&r);
        return 0;
    }
    FUZZ_CHECK(why == NULL && r.object);
    if (r.kind == BUS_REQUEST_FETCH)
        FUZZ_CHECK(r.from_seq >= 1 && r.max >= 0);
    if (r.kind == BUS_REQUEST_ACK)
        FUZZ_CHECK(r.consumer && r.seq >= 0);
    if (r.kind == BUS_REQUEST_MANIFEST) {
        manifest *m = manifest_new();
        GError *error = NULL;
        if (manifest_replace(m, r.object, &error)) {
            FUZZ_CHECK(error == NULL);
            FUZZ_CHECK(manifest_count(m) >= 0 && manifest_count(m) <= MANIFEST_MAX_VEHICLES);
            match_some(m);
        } else {
            FUZZ_CHECK(error && error->domain == MANIFEST_ERROR && *error->message);
            FUZZ_CHECK(manifest_count(m) == -1);
            g_error_free(error);
        }
        manifest_free(m);
    }
    bus_request_clear(&r);
    return 0;
}
