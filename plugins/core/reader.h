/*
 * reader.h — the still-image reader: finds and reads licence plates and ISO 6346
 * container codes in one image.
 *
 * Pipeline: the PP-OCR detector finds text lines (a coarse pass, then the regions it
 * marks at the scale their text needs: text_detect.h); each line is read (vertical
 * columns are cut into characters and read as one line); geometry groups lines into
 * candidates (single lines, two stacked plate lines, container fragments on one row or
 * two rows, vertical codes); the plate grammars and the ISO 6346 check digit choose
 * among candidates and reject signs, badges and timestamps.
 *
 * A gatecv_reader borrows its gatecv_models (which must outlive it) and is used by one
 * thread at a time.
 */
#ifndef GATECV_READER_H
#define GATECV_READER_H

#include <stdbool.h>

#include <glib.h>

#include "gcv.h"
#include "models.h"
#include "plate_colour.h"
#include "plate_grammar.h"
#include "text_detect.h"
#include "text_fix.h"

typedef enum { READ_PLATE, READ_CONTAINER } gatecv_read_kind;

typedef enum {
    LAYOUT_ONE_LINE,
    LAYOUT_TWO_LINE,
    LAYOUT_HORIZONTAL, /* container code on one or more rows */
    LAYOUT_VERTICAL,   /* container code in a column, one character per row */
} gatecv_layout;

typedef enum { OCR_PPOCR, OCR_TESSERACT, OCR_BOTH } gatecv_ocr_engine;

#define GATECV_READ_TEXT 48

typedef struct {
    gatecv_read_kind kind;
    char text[GATECV_READ_TEXT]; /* normalised: no separators (12C34567, 桂F12345, MSKU1234565) */
    char display[GATECV_READ_TEXT]; /* display form (12C-345.67, 桂F·12345, MSKU 123456 5) */
    char raw[GATECV_READ_TEXT * 2]; /* what the recogniser read, lines joined by '|' */
    enum plate_country country;     /* plates: VN, CN or GENERIC (country unknown) */
    gatecv_layout layout;
    gcv_point quad[4];         /* the region in the image (TL, TR, BR, BL) */
    float confidence;          /* 0..1: mean character probability, less per correction */
    float min_char_confidence; /* the least sure character's probability */
    bool valid;                /* passed its grammar / check digit */
    struct text_fix fix;       /* look-alike substitutions applied (fix.n_subs) */
    char size_type[5];         /* containers: ISO size-type code if seen, else "" */
    enum plate_colour colour;  /* plates: the background colour of the region */
} gatecv_read;

/* Which plate grammars a reader uses (bit mask). A site on the VN-CN border reads
 * VN and CN plates and reports others as generic; generic alone is the mode for
 * comparing with other ALPR systems on foreign benchmarks. */
enum {
    PLATES_VN = 1 << PLATE_VN,
    PLATES_CN = 1 << PLATE_CN,
    PLATES_GENERIC = 1 << PLATE_GENERIC,
    PLATES_ALL = PLATES_VN | PLATES_CN | PLATES_GENERIC,
};

typedef struct {
    text_detect_params detect;
    gatecv_ocr_engine ocr;
    unsigned plate_grammars; /* PLATES_* mask (default PLATES_ALL) */
    bool plates;             /* look for plates (default true) */
    bool containers;         /* look for container codes (default true) */
    long max_pixels;         /* images larger than this are refused (default 40 Mpx) */
    bool narrow_recognisers; /* short lines through a narrower recogniser (default true) */
    bool second_read_all;    /* --ocr both: Tesseract reads every Latin line, not only the
                                lines of valid reads (default false) */
} gatecv_reader_params;

typedef struct gatecv_reader gatecv_reader;

void gatecv_reader_params_default(gatecv_reader_params *p);
/* Turns p's speed-ups off: the reader as it was before them (one full-scale detection pass,
 * the 320 px recogniser only, Tesseract on every Latin line), for side-by-side figures.
 * Other fields are left as they are. */
void gatecv_reader_params_legacy(gatecv_reader_params *p);

gatecv_reader *gatecv_reader_new(gatecv_models *models, const gatecv_reader_params *p,
                                 GError **error);
void gatecv_reader_free(gatecv_reader *reader);
/* Changes the detector size (params.detect.max_side) for the reads that follow: a caller
 * that reads parts of a view cut to size keeps the view's scale this way. */
void gatecv_reader_set_detect_side(gatecv_reader *reader, int max_side);

/* Changes what the reads that follow look for (params.plates, params.containers): one
 * reader, with its one Tesseract instance, serves cameras that read different kinds. */
void gatecv_reader_set_kinds(gatecv_reader *reader, bool plates, bool containers);

/* Read one image. Returns the number of reads (>= 0), best first, in *reads (g_new'd,
 * caller g_free's), or -1 and error. Invalid reads are included with valid = false
 * when nothing valid of their kind was found, so a caller can show what was seen. */
int gatecv_reader_read(gatecv_reader *reader, const gcv_image *bgr, gatecv_read **reads,
                       GError **error);

/* Where the time of the last gatecv_reader_read went (for benchmarks). */
typedef struct {
    double detect_ms;    /* text detection */
    double recognise_ms; /* all recogniser passes, Tesseract's included */
    int recognitions;    /* recogniser passes (lines, column chunks, check-digit probes) */
    double second_ms;    /* of which Tesseract's (--ocr both: the second reader) */
    int second_reads;    /* of which Tesseract's passes */
    int lines;           /* text regions found by the detector */
} gatecv_reader_stats;

void gatecv_reader_last_stats(const gatecv_reader *reader, gatecv_reader_stats *stats);

const char *gatecv_layout_name(gatecv_layout layout);
const char *gatecv_country_name(enum plate_country country); /* NULL for GENERIC */

/* Parse "vn,cn,generic" (any subset) into a PLATES_* mask; 0 if a name is unknown. */
unsigned gatecv_plate_grammars_parse(const char *list);

#endif
