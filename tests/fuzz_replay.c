/*
 * fuzz_replay.c — the plain driver of a fuzz target (fuzz/fuzz_*.c) for the ordinary build,
 * no clang or libFuzzer needed: runs LLVMFuzzerTestOneInput on every file named, or on every
 * file of every folder named (its seed corpus and the inputs that once broke it), in name
 * order. A broken parser crashes or aborts here as it did under the fuzzer.
 *
 *   fuzz_replay_TARGET FILE_OR_FOLDER...   exit 0 when at least one input ran
 */
#include "../fuzz/fuzz_target.h"

#include <glib.h>

static int run_file(const char *path)
{
    gchar *data = NULL;
    gsize size = 0;
    GError *error = NULL;
    if (!g_file_get_contents(path, &data, &size, &error)) {
        fprintf(stderr, "fuzz_replay: %s\n", error->message);
        g_error_free(error);
        return -1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, size);
    g_free(data);
    return 1;
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    int ran = 0;
    for (int i = 1; i < argc; i++) {
        if (!g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            if (run_file(argv[i]) < 0)
                return 1;
            ran++;
            continue;
        }
        GDir *dir = g_dir_open(argv[i], 0, NULL);
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        for (const char *n; dir && (n = g_dir_read_name(dir));)
            if (n[0] != '.')
                g_ptr_array_add(names, g_build_filename(argv[i], n, NULL));
        if (dir)
            g_dir_close(dir);
        g_ptr_array_sort(names, by_name);
        for (guint k = 0; k < names->len; k++) {
            if (run_file(names->pdata[k]) < 0)
                return 1;
            ran++;
        }
        g_ptr_array_unref(names);
    }
    printf("fuzz_replay: %d inputs, no crash\n", ran);
    return ran > 0 ? 0 : 1;
}
