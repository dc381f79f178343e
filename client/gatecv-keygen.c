/* gatecv-keygen — makes a CurveZMQ key pair for the event bus (docs/bus.md, "Security").
 *
 *   gatecv-keygen [--dir DIR] [--force] NAME
 *
 * writes DIR/NAME.key (the public certificate, to hand to the other side) and
 * DIR/NAME.key_secret (the secret certificate, mode 0600, to keep), both in czmq's
 * certificate format, so that gatecvd ([bus] server_key=, allowed_keys=) and gatecv-sub
 * (--server-key, --key) load them with zcert_load. It never replaces an existing key
 * unless told to (--force): a replaced secret cannot be recovered.
 *
 * Exit codes: 0 written, 2 bad usage or a file that could not be written. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <czmq.h>
#include <glib.h>
#include <glib/gstdio.h>

#define EXIT_USAGE 2

/* A key's name becomes a file name and the certificate's `name` metadata: 1-64 of
 * A-Za-z0-9._- and not starting with a dot, like a consumer name on the bus. */
static gboolean valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || name[0] == '.')
        return FALSE;
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isalnum(name[i]) && !strchr("._-", name[i]))
            return FALSE;
    return TRUE;
}

/* Writes the pair with zcert_save (public file and `_secret` file) and makes sure the secret
 * is readable by its owner only, whatever the umask or a replaced file's mode was. */
static gboolean write_pair(const char *name, const char *public_path, const char *secret_path,
                           GError **error)
{
    zcert_t *cert = zcert_new();
    if (!cert) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "could not make a key pair");
        return FALSE;
    }
    GDateTime *now = g_date_time_new_now_utc();
    char *created = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
    zcert_set_meta(cert, "name", "%s", name);
    zcert_set_meta(cert, "created", "%s", created);
    g_free(created);
    g_date_time_unref(now);

    gboolean ok = zcert_save(cert, public_path) == 0;
    if (!ok)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: could not write: %s",
                    public_path, g_strerror(errno));
    else if (g_chmod(secret_path, 0600) != 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
                    "%s: could not make it private (mode 0600): %s", secret_path, g_strerror(e));
        ok = FALSE;
    }
    if (ok)
        printf("public key  %s\npublic      %s  (give this file to the other side)\n"
               "secret      %s  (mode 0600; keep it on this machine)\n",
               zcert_public_txt(cert), public_path, secret_path);
    zcert_destroy(&cert);
    return ok;
}

int main(int argc, char **argv)
{
    char *dir = NULL;
    gboolean force = FALSE;
    GOptionEntry entries[] = {
        {"dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir,
         "Folder to write the key files in (made if missing; default: the current folder)", "DIR"},
        {"force", 'f', 0, G_OPTION_ARG_NONE, &force,
         "Replace NAME.key and NAME.key_secret if they exist", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("NAME - make a CurveZMQ key pair for the event bus");
    g_option_context_set_summary(
        ctx, "Writes DIR/NAME.key (public certificate) and DIR/NAME.key_secret (secret\n"
             "certificate, mode 0600) in czmq's certificate format, and prints the public key.\n"
             "gatecvd takes its secret in [bus] server_key= and the clients' public files in\n"
             "[bus] allowed_keys=; gatecv-sub takes --server-key BOX.key --key CLIENT.key_secret.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *error = NULL;
    int rc = 0;
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        fprintf(stderr, "gatecv-keygen: %s\n", error->message);
        rc = EXIT_USAGE;
    } else if (argc != 2) {
        fprintf(stderr, "gatecv-keygen: expected one NAME (try --help)\n");
        rc = EXIT_USAGE;
    } else if (!valid_name(argv[1])) {
        fprintf(stderr,
                "gatecv-keygen: name \"%s\": expected 1-64 of A-Za-z0-9._- not starting with '.'\n",
                argv[1]);
        rc = EXIT_USAGE;
    }
    if (rc != 0) {
        g_clear_error(&error);
        g_option_context_free(ctx);
        g_free(dir);
        return rc;
    }

    const char *folder = dir ? dir : ".";
    char *base = g_strdup_printf("%s.key", argv[1]);
    char *public_path = g_build_filename(folder, base, NULL);
    char *secret_path = g_strdup_printf("%s_secret", public_path);
    if (g_mkdir_with_parents(folder, 0700) != 0) {
        fprintf(stderr, "gatecv-keygen: %s: could not make the folder: %s\n", folder,
                g_strerror(errno));
        rc = EXIT_USAGE;
    } else if (!force && (g_file_test(public_path, G_FILE_TEST_EXISTS) ||
                          g_file_test(secret_path, G_FILE_TEST_EXISTS))) {
        fprintf(stderr, "gatecv-keygen: %s exists: not replacing a key (use --force)\n",
                g_file_test(public_path, G_FILE_TEST_EXISTS) ? public_path : secret_path);
        rc = EXIT_USAGE;
    } else {
        /* A replaced file keeps its old mode when rewritten: remove both first. */
        if (force) {
            g_unlink(public_path);
            g_unlink(secret_path);
        }
        if (!write_pair(argv[1], public_path, secret_path, &error)) {
            fprintf(stderr, "gatecv-keygen: %s\n", error->message);
            rc = EXIT_USAGE;
        }
    }
    g_clear_error(&error);
    g_free(secret_path);
    g_free(public_path);
    g_free(base);
    g_option_context_free(ctx);
    g_free(dir);
    return rc;
}
