/*
 * plugin.c — the gatecv GStreamer plugin (libgstgatecv.so): registers gatemotion,
 * gateplate and gatecontainer. The metas they attach are in libgatecvgstmeta.so
 * (gatecvmeta.h).
 */
#include <gst/gst.h>

#include "gstgatecontainer.h"
#include "gstgatemotion.h"
#include "gstgateplate.h"

static gboolean plugin_init(GstPlugin *plugin)
{
    gboolean ok = FALSE;
    ok |= GST_ELEMENT_REGISTER(gatemotion, plugin);
    ok |= GST_ELEMENT_REGISTER(gateplate, plugin);
    ok |= GST_ELEMENT_REGISTER(gatecontainer, plugin);
    return ok;
}

/* GST_PLUGIN_DEFINE names the source package PACKAGE and leaves the descriptor's padding
 * to the compiler's zero-fill, which -Wextra reports. */
#define PACKAGE "gatecv"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
GST_PLUGIN_DEFINE(GST_VERSION_MAJOR, GST_VERSION_MINOR, gatecv,
                  "gatecv: lane motion gate, licence-plate and ISO 6346 container-code readers",
                  plugin_init, GATECV_VERSION, "LGPL", "gatecv", "gatecv")
#pragma GCC diagnostic pop
