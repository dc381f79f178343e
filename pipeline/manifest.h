/*
 * manifest.h — the manifest check (docs/bus.md, "Manifest check"): the vehicles the
 * clearance system said to expect, kept across restarts in a file, and each crossing
 * matched against the ones valid at its exit time, giving the event's `manifest_match`
 * object (schema/gatecv.crossing-1.schema.json).
 *
 * A manifest owns its vehicles; every function may be called from any thread (one
 * GMutex inside). Nothing here prints: errors come back as GError.
 */
#ifndef GATECV_MANIFEST_H
#define GATECV_MANIFEST_H

#include <glib.h>
#include <json-glib/json-glib.h>

#define MANIFEST_ERROR (manifest_error_quark())
GQuark manifest_error_quark(void);

typedef enum {
    MANIFEST_ERROR_INVALID, /* a manifest (request or file) with a bad or missing field */
    MANIFEST_ERROR_IO,      /* the manifest file could not be read or written */
} manifest_error_code;

#define MANIFEST_MAX_VEHICLES 10000
#define MANIFEST_MAX_CONTAINERS 16

typedef struct manifest manifest;

manifest *manifest_new(void);
void manifest_free(manifest *m);

/* Replace the expected vehicles with the "vehicles" array of a manifest request object
 * ({"request":"manifest","vehicles":[...]}; other members of `request` are not looked at).
 * Every field of every vehicle is checked; on the first bad one FALSE and an error
 * (MANIFEST_ERROR_INVALID) naming it, e.g.
 * "vehicles[3].containers[1]: 'MSKU123' is not an ISO 6346 code" — the manifest in force
 * is then unchanged. Each vehicle:
 *   id             string, 1-64 characters, unique in the manifest
 *   plate          normalised plate text: 1-16 characters, each A-Z, 0-9 or a CJK ideograph
 *                  (U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF; e.g. "12C34567", "桂F12345");
 *                  no separators
 *   trailer_plate  the same, or null / absent
 *   containers     array of at most 16 codes matching ^[A-Z]{3}[UJZ][0-9]{7}$, no repeats
 *                  (the check digit is not checked); required, may be empty
 *   valid_from, valid_until  RFC 3339 with an offset ("2026-11-23T18:30:00Z",
 *                  "2026-11-23T18:30:00.5+07:00"), or null / absent (open); from <= until
 * Unknown fields are an error naming them. At most 10000 vehicles. */
gboolean manifest_replace(manifest *m, JsonObject *request, GError **error);

/* The number of expected vehicles; -1 when no manifest was ever loaded (an empty
 * manifest, 0, is a manifest: every crossing is then not_expected). */
int manifest_count(manifest *m);

/* Writes the manifest in force to `path` as {"vehicles":[...]} (every field present):
 * a temporary file beside it, fsync, rename, fsync of the folder. With no manifest loaded
 * the file is removed, so that a load finds none. */
gboolean manifest_save(manifest *m, const char *path, GError **error);

/* Replaces the manifest with the one saved in `path`, checked as manifest_replace does
 * (errors name the file). A missing file is no manifest: TRUE, and manifest_count()
 * is then -1. On any other error the manifest in force is unchanged. */
gboolean manifest_load(manifest *m, const char *path, GError **error);

/* One text the lane read for the crossing. `verified`: it passed its grammar / check
 * digit and reached the vote threshold. */
typedef struct {
    const char *text;
    gboolean verified;
} manifest_read;

/* The event's manifest_match object for a crossing that left at ts_us (µs since 1970,
 * UTC), or NULL when no manifest is loaded (the caller owns the node):
 *
 *   {"vehicle_id": id or null,
 *    "result": "match" | "partial" | "mismatch" | "not_expected",
 *    "plates":     [{"expected": text, "read": text or null,
 *                    "match": "exact" | "one_edit" | "missing"}],
 *    "containers": [{"expected": code or null, "read": code or null,
 *                    "match": "exact" | "one_edit" | "missing" | "unexpected"}]}
 *
 * The expected vehicle is, among those valid at ts_us, the one with the most texts
 * matched (an exact match counts 2, one_edit 1; on a tie the one whose plates matched
 * exactly more often, then the earlier in the manifest). It must have its plate or trailer
 * plate matched, or at least one container; else the result is not_expected, with no
 * plates and every container read unexpected. `plates` lists the vehicle's plate, then its
 * trailer plate; `containers` its codes in manifest order, then each container read that
 * no expected code took. Results:
 *   mismatch  the plate or trailer plate matched exactly and a verified container read is
 *             not (exactly) on the vehicle: "manifest_container_differs:<code>" is appended
 *             to `reasons` (may be NULL; g_strdup'd strings) for each, and *mismatch set
 *             (may be NULL; it is set to FALSE otherwise)
 *   match     every expected text read exactly, and no container read left over
 *   partial   anything else: a one_edit, an expected text not read, a container left over
 * Texts are compared in Unicode characters: one_edit is a Levenshtein distance of 1. */
JsonNode *manifest_match(manifest *m, gint64 ts_us, const manifest_read *plates, int n_plates,
                         const manifest_read *containers, int n_containers, GPtrArray *reasons,
                         gboolean *mismatch);

#endif
