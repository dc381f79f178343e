/*
 * read_output.h — how the tools show reads: one readable line per read, or JSON
 * (json-glib) for machines. Shared by gatecv-read and gatecv-eval.
 */
#ifndef GATECV_READ_OUTPUT_H
#define GATECV_READ_OUTPUT_H

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "reader.h"

/* A JSON object for one read (caller owns the node). */
JsonNode *read_to_json(const gatecv_read *read);

/* "  plate      12C34567 ..." — one line, no trailing newline handling needed. */
void read_print_line(FILE *out, const gatecv_read *read);

/* Serialise a node on one line (pretty = FALSE) or indented; returns a g_malloc'd string. */
char *json_node_to_string(JsonNode *node, gboolean pretty);

#endif
