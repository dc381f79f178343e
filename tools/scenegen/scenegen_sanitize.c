/*
 * scenegen_sanitize.c — built into gatecv-scenegen only with GATECV_SANITIZE: keeps
 * LeakSanitizer on for our own allocations while it ignores what GLib and the system's
 * GStreamer plugins keep by design for the life of the process (GLib never frees a quark
 * or interned-string block it has outgrown, the first of which its constructor
 * allocates; a registry scan loads every system plugin, and the OpenNI2 drivers and
 * fontconfig some pull in keep allocations). GLib has no frame pointers, so the slow
 * unwinder (10 frames) is needed for these suppressions to match without hiding a
 * g_malloc'd leak of ours. The same policy as tests/test_gst_elements.c.
 */
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0:malloc_context_size=10";
}

const char *__lsan_default_suppressions(void)
{
    return "leak:g_quark_from_string\n"
           "leak:g_quark_from_static_string\n"
           "leak:g_intern_string\n"
           "leak:g_intern_static_string\n"
           "leak:_dl_init\n"
           "leak:libOpenNI2.so\n"
           "leak:libfontconfig.so\n";
}
