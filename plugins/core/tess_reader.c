/*
 * tess_reader.c — Tesseract through its C API (no C++ needed): single-line page
 * segmentation, a whitelist, and per-symbol confidences. Owns its TessBaseAPI.
 */
#include "tess_reader.h"

#include <string.h>

#include <omp.h>
#include <tesseract/capi.h>

#include "gatecv_error.h"

#define WHITELIST "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-."
#define LINE_HEIGHT 48 /* Tesseract reads best around 30-50 px text; crops are scaled to it */

struct tess_reader {
    TessBaseAPI *api;
};

/* Static one-character strings, so text_char.ch never dangles. */
static const char *symbol_string(char c)
{
    static const char table[] = WHITELIST;
    static char strings[sizeof table][2];
    const char *p = strchr(table, c);
    if (!p || !c)
        return NULL;
    char *s = strings[p - table];
    s[0] = c;
    s[1] = '\0';
    return s;
}

tess_reader *tess_reader_new(GError **error)
{
    TessBaseAPI *api = TessBaseAPICreate();
    if (TessBaseAPIInit3(api, NULL, "eng") != 0) {
        TessBaseAPIDelete(api);
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_MISSING,
                    "Tesseract cannot load its English data (eng.traineddata): run "
                    "packaging/install-deps.sh");
        return NULL;
    }
    TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
    TessBaseAPISetVariable(api, "tessedit_char_whitelist", WHITELIST);
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    tess_reader *t = g_new0(tess_reader, 1);
    t->api = api;
    return t;
}

void tess_reader_free(tess_reader *t)
{
    if (!t)
        return;
    TessBaseAPIEnd(t->api);
    TessBaseAPIDelete(t->api);
    g_free(t);
}

int tess_reader_read(tess_reader *t, const gcv_image *line, text_line *out, GError **error)
{
    memset(out, 0, sizeof *out);
    int w = line->width * LINE_HEIGHT / (line->height > 0 ? line->height : 1);
    gcv_image *grey0 = gcv_to_gray(line);
    gcv_image *grey =
        grey0 ? gcv_resize(grey0, w > 8 ? w : 8, LINE_HEIGHT, GCV_INTER_LINEAR) : NULL;
    gcv_image_free(grey0);
    if (!grey) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "tesseract input: %s",
                    gcv_last_error());
        return -1;
    }
    /* Debian's Tesseract runs each line's LSTM gates on 4 OpenMP threads (num_threads(4) in
     * its code, so omp_set_num_threads cannot lower it). On one 48 px line the threads'
     * start-up and hand-over cost far more than they save: 75-100 ms of wall clock per 1080p
     * scene, against 5-30 ms on one thread (the same instructions; measured with
     * OMP_THREAD_LIMIT=1), and a box's cores are taken by its cameras' readers anyway. With no
     * active level allowed, a parallel region runs on the thread that meets it. Set on every
     * read: the setting belongs to the calling thread, and it is one store. */
    omp_set_max_active_levels(0);
    TessBaseAPISetImage(t->api, grey->data, grey->width, grey->height, 1, (int)grey->stride);
    if (TessBaseAPIRecognize(t->api, NULL) != 0) {
        gcv_image_free(grey);
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "tesseract failed on a line");
        return -1;
    }
    TessResultIterator *it = TessBaseAPIGetIterator(t->api);
    double sum = 0;
    if (it) {
        do {
            char *sym = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
            float conf = TessResultIteratorConfidence(it, RIL_SYMBOL) / 100.0f;
            const char *ch = sym ? symbol_string(sym[0]) : NULL;
            if (ch && sym[1] == '\0' && out->n < TEXT_LINE_MAX_CHARS) {
                out->chars[out->n++] = (text_char){ch, conf, "", 0.0f, -1};
                sum += conf;
            }
            TessDeleteText(sym);
        } while (TessPageIteratorNext(TessResultIteratorGetPageIterator(it), RIL_SYMBOL));
        TessResultIteratorDelete(it);
    }
    TessBaseAPIClear(t->api);
    gcv_image_free(grey);
    out->confidence = out->n ? (float)(sum / out->n) : 0.0f;
    return 0;
}
