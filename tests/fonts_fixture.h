/*
 * fonts_fixture.h — the rendering fonts that the reader's unit tests draw their fixtures with
 * (test_plate_colour, test_vertical_text, test_column_split): loaded once for a test group,
 * as cmocka's group set-up and tear-down. Header-only: each test is one file.
 */
#ifndef GATECV_FONTS_FIXTURE_H
#define GATECV_FONTS_FIXTURE_H

#include <stdio.h>

#include <glib.h>

#include "render.h"

static render_fonts *fonts;

/* Group set-up: loads the fonts, or says why not and fails the group. */
static int fonts_setup(void **state)
{
    (void)state;
    GError *error = NULL;
    fonts = render_fonts_load(NULL, &error);
    if (!fonts) {
        fprintf(stderr, "%s: %s\n", g_get_prgname() ? g_get_prgname() : "fonts", error->message);
        g_error_free(error);
        return -1;
    }
    return 0;
}

static int fonts_teardown(void **state)
{
    (void)state;
    render_fonts_free(fonts);
    fonts = NULL;
    return 0;
}

#endif
