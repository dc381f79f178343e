/*
 * fuzz_journal_record.c — a journal record read back from disk, whatever was written over it
 * (pipeline/journal_record.c): journal_record_decode on the bytes, and journal_record_check on
 * the same bytes in a file (the check recovery runs on each record of a segment). The two
 * must agree: the check finds a whole, sound record of exactly these bytes if and only if
 * decode accepts them, and a decoded record encodes back to the same bytes.
 */
#include "fuzz_target.h"

#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "journal_record.h"

static int scratch_fd(void)
{
    static FILE *f;
    if (!f)
        f = tmpfile();
    FUZZ_CHECK(f != NULL);
    return fileno(f);
}

/* journal_record_check on data as a file of its own; OK only when the record is all of it. */
static gboolean check_in_file(const uint8_t *data, size_t size)
{
    static guint8 *chunk;
    if (!chunk)
        chunk = g_malloc(JOURNAL_RECORD_CHUNK);
    int fd = scratch_fd();
    FUZZ_CHECK(ftruncate(fd, 0) == 0);
    FUZZ_CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);
    journal_record_head head;
    const char *why = NULL;
    journal_record_status s = journal_record_check(fd, 0, size, &head, chunk, &why);
    FUZZ_CHECK(s != JOURNAL_RECORD_IO);
    if (s != JOURNAL_RECORD_OK) {
        FUZZ_CHECK(why && *why);
        return FALSE;
    }
    FUZZ_CHECK(head.n_parts >= 1 && head.n_parts <= JOURNAL_MAX_PARTS);
    FUZZ_CHECK(head.length <= size);
    return head.length == size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_fatal_criticals();
    gboolean checked = size > 0 && check_in_file(data, size);
    journal_record *r = journal_record_decode(g_memdup2(data, size), size);
    FUZZ_CHECK(checked == (r != NULL));
    if (!r)
        return 0;
    FUZZ_CHECK(r->n_parts >= 1 && r->n_parts <= JOURNAL_MAX_PARTS);
    journal_part parts[JOURNAL_MAX_PARTS];
    for (guint i = 0; i < r->n_parts; i++)
        parts[i].data = g_bytes_get_data(r->parts[i], &parts[i].size);
    FUZZ_CHECK(journal_record_check_parts(parts, r->n_parts, NULL));
    gsize again_size = 0;
    guint8 *again = journal_record_encode(r->seq, r->time_us, parts, r->n_parts, &again_size);
    FUZZ_CHECK(again_size == size && memcmp(again, data, size) == 0);
    FUZZ_CHECK(journal_record_peek_seq(data) == r->seq);
    g_free(again);
    journal_record_free(r);
    return 0;
}
