/*
 * test_vertical_text.c — pins the segmentation of a column of stacked characters
 * (vertical_text.c) on columns the test renders itself (fixtures/render): one cell per
 * character, each holding that character's centre, at pitches and in fonts real codes
 * use; and the pitch found from the row profile is the rendered one, not a multiple; a
 * column whose lower half has faded still gives one cell per character; a column read
 * (with a stand-in recogniser) keeps one character per cell and tells where the rows of
 * the detector's box begin; a cell read as a symbol among others (a boxed check digit) is
 * read again alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts_fixture.h"
#include "render.h"
#include "vertical_text.h"

#define CHAR_H 34 /* px: as a lane camera sees a corner-post code */
#define MARGIN 20

/* Renders the one-column code in `st` light on dark and cuts the column (the code's
 * rectangle, 3 px wider each side, as a detector box would be) out of it. *geo gets the
 * layout; *top the column's first row in block coordinates. */
static gcv_image *render_column(const render_vertical_style *st, const char *code,
                                render_vertical_geometry *geo, int *top)
{
    GError *error = NULL;
    render_container_text t = {{0}, "45G1"};
    g_strlcpy(t.code, code, sizeof t.code);
    assert_int_equal(render_vertical_measure(fonts, &t, st, CHAR_H, geo, &error), 0);
    gcv_image *block = gcv_image_new(geo->width + 2 * MARGIN, geo->height + 2 * MARGIN, 3);
    gcv_fill_rect(block, 0, 0, block->width, block->height, 150, 60, 40);
    gcv_point quad[4];
    assert_int_equal(render_vertical_code(block, fonts, &t, st, MARGIN, MARGIN, CHAR_H,
                                          (render_colour){235, 235, 235}, quad, &error),
                     0);
    const render_rect *c = &geo->code;
    *top = MARGIN + c->y - 4;
    gcv_image *col = gcv_image_crop(block, MARGIN + c->x - 3, *top, c->w + 6, c->h + 8);
    gcv_image_free(block);
    assert_non_null(col);
    return col;
}

/* Cuts the rendered column `col` (which it frees) into cells: exactly 11, the i-th holding
 * the centre of the i-th character. */
static void assert_cells_hold_chars(gcv_image *col, const render_vertical_geometry *geo, int top,
                                    const char *what)
{
    int cells[24][2], pitch = 0;
    int n = vertical_text_cells(col, cells, 24, &pitch);
    gcv_image_free(col);
    assert_int_equal(n, 11);
    for (int i = 0; i < 11; i++) {
        int mid = MARGIN + geo->chars[i].y + geo->chars[i].h / 2 - top;
        if (mid < cells[i][0] || mid >= cells[i][1])
            fail_msg("%s: character %d (centre row %d) not in cell %d [%d, %d)", what, i, mid, i,
                     cells[i][0], cells[i][1]);
    }
}

static void assert_one_cell_per_char(const render_vertical_style *st, const char *code)
{
    render_vertical_geometry geo;
    int top;
    gcv_image *col = render_column(st, code, &geo, &top);
    char *what = g_strdup_printf("%s pitch %d", code, st->pitch);
    assert_cells_hold_chars(col, &geo, top, what);
    g_free(what);
}

/* The classic layout: pitch 120 %, the check digit boxed below. */
static void test_cells_classic(void **state)
{
    (void)state;
    render_vertical_style st;
    render_vertical_style_classic(&st, false);
    assert_one_cell_per_char(&st, "TRHU3074372");
    assert_one_cell_per_char(&st, "MSKU1234565");
}

/* Wide rows without a box, and bold condensed letters at the classic pitch. (Rows at 105 %,
 * where the letters touch: test_cells_touching.) */
static void test_cells_wide_and_condensed(void **state)
{
    (void)state;
    render_vertical_style st;
    render_vertical_style_classic(&st, false);
    st.pitch = 150;
    st.check_box = false;
    assert_one_cell_per_char(&st, "BMOU5520140");
    render_vertical_style_classic(&st, false);
    st.condensed = true;
    st.stroke = 1;
    assert_one_cell_per_char(&st, "HHWU7228368");
    st.pitch = 135;
    assert_one_cell_per_char(&st, "ADUU2595853");
}

/* Rows at 105 % of the character height, where the letters touch and no row between them
 * is clear of ink: still one cell per character, the rows where one character meets the
 * next being weaker than the characters either side, at the pitch. (Where the characters'
 * own bars dip as deep, SNCU5793527 at 105 % or condensed letters, the dips are not
 * regular and the pitch still comes from the profile's repeat: not yet cut right.) */
static void test_cells_touching(void **state)
{
    (void)state;
    render_vertical_style st;
    render_vertical_style_classic(&st, false);
    st.pitch = 105;
    assert_one_cell_per_char(&st, "CWFU4172370");
}

/* The pitch from the row profile is the rendered pitch, not a multiple of it. */
static void test_pitch(void **state)
{
    (void)state;
    static const int pitches[] = {115, 120, 140};
    for (size_t k = 0; k < G_N_ELEMENTS(pitches); k++) {
        render_vertical_style st;
        render_vertical_style_classic(&st, false);
        st.pitch = pitches[k];
        render_vertical_geometry geo;
        int top, cells[24][2], pitch = 0;
        gcv_image *col = render_column(&st, "CSQU3054383", &geo, &top);
        vertical_text_cells(col, cells, 24, &pitch);
        gcv_image_free(col);
        int want = geo.chars[1].y - geo.chars[0].y; /* first row to second, both letters */
        want = (geo.chars[5].y - geo.chars[4].y + want) / 2;
        if (abs(pitch - want) > 2)
            fail_msg("pitch %d %%: found %d px, rendered %d px", pitches[k], pitch, want);
    }
}

/* The lower half of a rendered column fading to a fifth of its contrast (a light gradient
 * or a shadow band over the code): still one cell per character. */
static void test_cells_faded(void **state)
{
    (void)state;
    render_vertical_style st;
    render_vertical_style_classic(&st, false);
    render_vertical_geometry geo;
    int top;
    const char *code = "NNPU9925551";
    gcv_image *col = render_column(&st, code, &geo, &top);
    for (int y = col->height / 2; y < col->height; y++) /* towards the background 150,60,40 */
        for (int x = 0; x < col->width; x++) {
            uint8_t *p = col->data + (size_t)y * col->stride + (size_t)x * 3;
            static const int bg[3] = {150, 60, 40};
            float f = 1.0f - 0.8f * (y - col->height / 2) / (col->height / 2.0f);
            for (int c = 0; c < 3; c++)
                p[c] = (uint8_t)(bg[c] + (p[c] - bg[c]) * f);
        }
    assert_cells_hold_chars(col, &geo, top, "faded column");
}

/* A stand-in recogniser: for each run of ink along the strip, a '1' at its first step
 * (a frame or an edge read beside the character) and a 'C' at its middle step, as PP-OCR
 * gives steps. Counts its calls in *user. */
static int fake_read(void *user, const gcv_image *strip, text_line *out, GError **error)
{
    (void)error;
    ++*(int *)user;
    memset(out, 0, sizeof *out);
    const uint8_t *bg = strip->data; /* the strip's first column is background */
    /* the recogniser sees the strip at most 320 px wide, 8 px a step */
    float k = strip->width > 320 ? strip->width / 320.0f : 1.0f;
    int steps = (int)(strip->width / k) / 8, run = -1;
    for (int t = 0; t <= steps; t++) {
        bool ink = false;
        for (int x = (int)(t * 8 * k); t < steps && x < (int)((t + 1) * 8 * k) && !ink; x++)
            for (int y = 0; y < strip->height && !ink; y++)
                ink = abs(strip->data[(size_t)y * strip->stride + (size_t)x * 3] - bg[0]) > 60;
        if (ink && run < 0)
            run = t;
        if (!ink && run >= 0) {
            int mid = (run + t - 1) / 2;
            if (mid > run)
                out->chars[out->n++] = (text_char){"1", 0.9f, "", 0, run};
            out->chars[out->n++] = (text_char){"C", 0.9f, "", 0, mid};
            run = -1;
        }
    }
    return 0;
}

/* The column test_read_* use: BMOU5520140 in the classic style, its check digit unboxed. */
static gcv_image *plain_column(render_vertical_geometry *geo, int *top)
{
    render_vertical_style st;
    render_vertical_style_classic(&st, false);
    st.check_box = false;
    return render_column(&st, "BMOU5520140", geo, top);
}

/* Reads the column's rows from core0 to its end with the stand-in `read` into *line, and
 * frees the column. */
static void read_column(gcv_image *col, int core0, line_reader_fn read, int *calls,
                        int *code_start, text_line *line)
{
    GError *error = NULL;
    assert_int_equal(
        vertical_text_read(col, core0, col->height, read, calls, line, code_start, &error), 0);
    gcv_image_free(col);
}

/* A column read keeps one character per cell (the one read at the cell's centre), and the
 * index of the first one inside the box's rows [core0, core1). */
static void test_read_one_per_cell(void **state)
{
    (void)state;
    render_vertical_geometry geo;
    int top, calls = 0, code_start = -1;
    gcv_image *col = plain_column(&geo, &top);
    /* the box begins between the second and third characters */
    int core0 = MARGIN + (geo.chars[1].y + geo.chars[1].h + geo.chars[2].y) / 2 - top;
    text_line line;
    read_column(col, core0, fake_read, &calls, &code_start, &line);
    assert_true(calls >= 2); /* 11 cells, read in chunks */
    assert_int_equal(line.n, 11);
    for (int i = 0; i < line.n; i++)
        assert_string_equal(line.chars[i].ch, "C");
    assert_int_equal(code_start, 2);
}

/* A stand-in recogniser that fails on a boxed character among others: in a strip of
 * several characters its last one reads as '?', alone it reads as '7' (beside its frame's
 * stroke, '1'). */
static int fake_read_boxed(void *user, const gcv_image *strip, text_line *out, GError **error)
{
    fake_read(user, strip, out, error);
    int last = -1, n = 0;
    for (int i = 0; i < out->n; i++)
        if (strcmp(out->chars[i].ch, "C") == 0)
            last = i, n++;
    if (last >= 0)
        out->chars[last].ch = n > 1 ? "?" : "7";
    return 0;
}

/* A cell read as a symbol among its chunk is read again alone, and the character read
 * there, its frame's stroke dropped, takes the symbol's place. */
static void test_read_symbol_cell_again(void **state)
{
    (void)state;
    render_vertical_geometry geo;
    int top, calls = 0, code_start = -1;
    text_line line;
    read_column(plain_column(&geo, &top), 0, fake_read_boxed, &calls, &code_start, &line);
    assert_int_equal(line.n, 11);
    for (int i = 0; i < line.n; i++) /* chunks of 6: cells 5 and 10 end one */
        assert_string_equal(line.chars[i].ch, i == 5 || i == 10 ? "7" : "C");
}

/* A stand-in recogniser that reads the last character of a strip as a full-width seven,
 * and a lone cell as 'N'. */
static int fake_read_fullwidth(void *user, const gcv_image *strip, text_line *out, GError **error)
{
    fake_read(user, strip, out, error);
    int n = 0, last = -1;
    for (int i = 0; i < out->n; i++)
        if (strcmp(out->chars[i].ch, "C") == 0)
            n++, last = i;
    if (last >= 0)
        out->chars[last].ch = n > 1 ? "\xef\xbc\x97" : "N"; /* U+FF17 */
    return 0;
}

/* A cell read as a full-width digit holds a digit: it is not read again (alone, a cell
 * may read as anything). */
static void test_fullwidth_digit_kept(void **state)
{
    (void)state;
    render_vertical_geometry geo;
    int top, calls = 0, code_start = -1;
    text_line line;
    read_column(plain_column(&geo, &top), 0, fake_read_fullwidth, &calls, &code_start, &line);
    assert_int_equal(line.n, 11);
    assert_string_equal(line.chars[10].ch, "\xef\xbc\x97");
}

/* A stand-in recogniser that reads a lone cell as '?' the first time (its box's frame
 * whole) and as '7' after (trimmed); strips of several cells as fake_read does. */
static int lone_calls;
static int fake_read_lone(void *user, const gcv_image *strip, text_line *out, GError **error)
{
    fake_read(user, strip, out, error);
    int n = 0, last = -1;
    for (int i = 0; i < out->n; i++)
        if (strcmp(out->chars[i].ch, "C") == 0)
            n++, last = i;
    if (n == 1)
        out->chars[last].ch = lone_calls++ == 0 ? "?" : "7";
    return 0;
}

/* A column's last cell, read alone in a chunk of its own (7 cells: chunks of 6 and 1), as a
 * symbol is read again trimmed. */
static void test_read_lone_last_cell_again(void **state)
{
    (void)state;
    render_vertical_geometry geo;
    int top, calls = 0, code_start = -1;
    gcv_image *col = plain_column(&geo, &top);
    const render_rect *c6 = &geo.chars[6], *c7 = &geo.chars[7];
    int end = MARGIN + (c6->y + c6->h + c7->y) / 2 - top;
    gcv_image *seven = gcv_image_crop(col, 0, 0, col->width, end);
    gcv_image_free(col);
    text_line line;
    lone_calls = 0;
    read_column(seven, 0, fake_read_lone, &calls, &code_start, &line);
    assert_int_equal(line.n, 7);
    assert_string_equal(line.chars[6].ch, "7");
}

/* A column whose crop ends through its boxed check digit is cut at its bottom; the whole
 * column, and one whose crop ends in the gap after a character, are not. */
static void test_cut_ends(void **state)
{
    (void)state;
    render_vertical_style st;
    render_vertical_style_classic(&st, false);
    render_vertical_geometry geo;
    int top;
    gcv_image *col = render_column(&st, "RHNU2134090", &geo, &top);
    assert_int_equal(vertical_text_cut_ends(col, 0, col->height), 0);
    const render_rect *last = &geo.chars[10], *before = &geo.chars[9];
    int mid = MARGIN + last->y + last->h / 2 - top;
    gcv_image *cut = gcv_image_crop(col, 0, 0, col->width, mid);
    assert_int_equal(vertical_text_cut_ends(cut, 0, cut->height), VERTICAL_CUT_BOTTOM);
    gcv_image_free(cut);
    int gap = MARGIN + before->y + before->h + 3 - top;
    cut = gcv_image_crop(col, 0, 0, col->width, gap);
    assert_int_equal(vertical_text_cut_ends(cut, 0, cut->height), 0);
    gcv_image_free(cut);
    gcv_image_free(col);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_classic),
        cmocka_unit_test(test_cells_wide_and_condensed),
        cmocka_unit_test(test_cells_touching),
        cmocka_unit_test(test_pitch),
        cmocka_unit_test(test_cells_faded),
        cmocka_unit_test(test_read_one_per_cell),
        cmocka_unit_test(test_read_symbol_cell_again),
        cmocka_unit_test(test_cut_ends),
        cmocka_unit_test(test_read_lone_last_cell_again),
        cmocka_unit_test(test_fullwidth_digit_kept),
    };
    return cmocka_run_group_tests(tests, fonts_setup, fonts_teardown);
}
