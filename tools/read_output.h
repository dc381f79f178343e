/*
 * read_output.h — how the tools show reads: one readable line per read, or JSON for
 * machines (read_json.h). Shared by gatecv-read and gatecv-eval.
 */
#ifndef GATECV_READ_OUTPUT_H
#define GATECV_READ_OUTPUT_H

#include <stdio.h>

#include "read_json.h"
#include "reader.h"

/* "  plate      12C34567 ..." — one line, no trailing newline handling needed. */
void read_print_line(FILE *out, const gatecv_read *read);

#endif
