/*
 * read_json.h — the JSON forms of reads (json-glib), shared by gatecv-read, gatecv-eval
 * and the daemon's events. A library of its own (gatecv_json) so that the recognition
 * core itself stays free of JSON.
 */
#ifndef GATECV_READ_JSON_H
#define GATECV_READ_JSON_H

#include <json-glib/json-glib.h>

#include "reader.h"

/* A JSON object for one read (caller owns the node). */
JsonNode *read_to_json(const gatecv_read *read);

/* Member "polygon": [[x, y] x 4], rounded to whole pixels. */
void read_json_add_polygon(JsonBuilder *b, const gcv_point quad[4]);

/* A confidence rounded to 3 decimals. */
double read_json_round(float v);

/* Serialise a node on one line (pretty = FALSE) or indented; returns a g_malloc'd string. */
char *json_node_to_string(JsonNode *node, gboolean pretty);

#endif
