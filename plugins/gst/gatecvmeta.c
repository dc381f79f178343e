/*
 * gatecvmeta.c — registration, copy and rescale of GatecvMotionMeta and GatecvReadsMeta
 * (see gatecvmeta.h). Owns nothing but the metas' own fields.
 */
#include "gatecvmeta.h"

static const gchar *meta_tags[] = {GST_META_TAG_VIDEO_STR, GST_META_TAG_VIDEO_SIZE_STR,
                                   GST_META_TAG_VIDEO_ORIENTATION_STR, NULL};

/* Horizontal and vertical factors of a scale transform. */
static void scale_factors(gpointer data, gdouble *sx, gdouble *sy)
{
    const GstVideoMetaTransform *t = data;
    *sx = (gdouble)GST_VIDEO_INFO_WIDTH(t->out_info) / MAX(1, GST_VIDEO_INFO_WIDTH(t->in_info));
    *sy = (gdouble)GST_VIDEO_INFO_HEIGHT(t->out_info) / MAX(1, GST_VIDEO_INFO_HEIGHT(t->in_info));
}

static void scale_box(GatecvMotionBox *b, gdouble sx, gdouble sy)
{
    b->x = (gint)(b->x * sx + 0.5);
    b->y = (gint)(b->y * sy + 0.5);
    b->width = (gint)(b->width * sx + 0.5);
    b->height = (gint)(b->height * sy + 0.5);
}

/* --- motion ------------------------------------------------------------------------- */

GType gatecv_motion_meta_api_get_type(void)
{
    static gsize type = 0;
    if (g_once_init_enter(&type)) {
        GType t = gst_meta_api_type_register("GatecvMotionMetaAPI", meta_tags);
        g_once_init_leave(&type, t);
    }
    return type;
}

static gboolean motion_meta_init(GstMeta *meta, gpointer params, GstBuffer *buffer)
{
    (void)params;
    (void)buffer;
    GatecvMotionMeta *m = (GatecvMotionMeta *)meta;
    m->moving = FALSE;
    m->moving_fraction = 0.0f;
    m->x = m->y = m->width = m->height = 0;
    m->n_blobs = 0;
    return TRUE;
}

static gboolean motion_meta_transform(GstBuffer *dest, GstMeta *meta, GstBuffer *buffer,
                                      GQuark type, gpointer data)
{
    (void)buffer;
    const GatecvMotionMeta *m = (const GatecvMotionMeta *)meta;
    gdouble sx = 1.0, sy = 1.0;
    if (GST_VIDEO_META_TRANSFORM_IS_SCALE(type))
        scale_factors(data, &sx, &sy);
    else if (!GST_META_TRANSFORM_IS_COPY(type))
        return FALSE; /* a transform we do not know: the meta is dropped */
    GatecvMotionBox box = {m->x, m->y, m->width, m->height};
    scale_box(&box, sx, sy);
    GatecvMotionMeta *d = gst_buffer_add_gatecv_motion_meta(dest, m->moving, m->moving_fraction,
                                                            box.x, box.y, box.width, box.height);
    if (!d)
        return FALSE;
    d->n_blobs = MIN(m->n_blobs, GATECV_MOTION_MAX_BLOBS);
    for (guint i = 0; i < d->n_blobs; i++) {
        d->blobs[i] = m->blobs[i];
        scale_box(&d->blobs[i], sx, sy);
    }
    return TRUE;
}

const GstMetaInfo *gatecv_motion_meta_get_info(void)
{
    static const GstMetaInfo *info = NULL;
    if (g_once_init_enter((GstMetaInfo **)&info)) {
        const GstMetaInfo *mi = gst_meta_register(GATECV_MOTION_META_API_TYPE, "GatecvMotionMeta",
                                                  sizeof(GatecvMotionMeta), motion_meta_init, NULL,
                                                  motion_meta_transform);
        g_once_init_leave((GstMetaInfo **)&info, (GstMetaInfo *)mi);
    }
    return info;
}

GatecvMotionMeta *gst_buffer_add_gatecv_motion_meta(GstBuffer *buffer, gboolean moving,
                                                    gfloat moving_fraction, gint x, gint y,
                                                    gint width, gint height)
{
    g_return_val_if_fail(GST_IS_BUFFER(buffer), NULL);
    g_return_val_if_fail(gst_buffer_is_writable(buffer), NULL);
    GatecvMotionMeta *m =
        (GatecvMotionMeta *)gst_buffer_add_meta(buffer, GATECV_MOTION_META_INFO, NULL);
    if (!m)
        return NULL;
    m->moving = moving;
    m->moving_fraction = moving_fraction;
    m->x = x;
    m->y = y;
    m->width = width;
    m->height = height;
    m->n_blobs = 0;
    return m;
}

GatecvMotionMeta *gst_buffer_get_gatecv_motion_meta(GstBuffer *buffer)
{
    g_return_val_if_fail(GST_IS_BUFFER(buffer), NULL);
    return (GatecvMotionMeta *)gst_buffer_get_meta(buffer, GATECV_MOTION_META_API_TYPE);
}

/* --- reads -------------------------------------------------------------------------- */

GType gatecv_reads_meta_api_get_type(void)
{
    static gsize type = 0;
    if (g_once_init_enter(&type)) {
        GType t = gst_meta_api_type_register("GatecvReadsMetaAPI", meta_tags);
        g_once_init_leave(&type, t);
    }
    return type;
}

static gboolean reads_meta_init(GstMeta *meta, gpointer params, GstBuffer *buffer)
{
    (void)params;
    (void)buffer;
    GatecvReadsMeta *m = (GatecvReadsMeta *)meta;
    m->n_reads = 0;
    m->reads = NULL;
    m->element = NULL;
    return TRUE;
}

static void reads_meta_free(GstMeta *meta, GstBuffer *buffer)
{
    (void)buffer;
    GatecvReadsMeta *m = (GatecvReadsMeta *)meta;
    g_free(m->reads);
    g_free(m->element);
    m->reads = NULL;
    m->element = NULL;
    m->n_reads = 0;
}

static gboolean reads_meta_transform(GstBuffer *dest, GstMeta *meta, GstBuffer *buffer, GQuark type,
                                     gpointer data)
{
    (void)buffer;
    const GatecvReadsMeta *m = (const GatecvReadsMeta *)meta;
    gboolean scale = GST_VIDEO_META_TRANSFORM_IS_SCALE(type);
    if (!scale && !GST_META_TRANSFORM_IS_COPY(type))
        return FALSE;
    GatecvReadsMeta *copy =
        gst_buffer_add_gatecv_reads_meta(dest, m->reads, m->n_reads, m->element);
    if (!copy)
        return FALSE;
    if (scale) {
        gdouble sx, sy;
        scale_factors(data, &sx, &sy);
        for (guint i = 0; i < copy->n_reads; i++)
            for (int k = 0; k < 4; k++) {
                copy->reads[i].quad[k].x = (float)(copy->reads[i].quad[k].x * sx);
                copy->reads[i].quad[k].y = (float)(copy->reads[i].quad[k].y * sy);
            }
    }
    return TRUE;
}

const GstMetaInfo *gatecv_reads_meta_get_info(void)
{
    static const GstMetaInfo *info = NULL;
    if (g_once_init_enter((GstMetaInfo **)&info)) {
        const GstMetaInfo *mi = gst_meta_register(GATECV_READS_META_API_TYPE, "GatecvReadsMeta",
                                                  sizeof(GatecvReadsMeta), reads_meta_init,
                                                  reads_meta_free, reads_meta_transform);
        g_once_init_leave((GstMetaInfo **)&info, (GstMetaInfo *)mi);
    }
    return info;
}

GatecvReadsMeta *gst_buffer_add_gatecv_reads_meta(GstBuffer *buffer, const gatecv_read *reads,
                                                  guint n_reads, const gchar *element)
{
    g_return_val_if_fail(GST_IS_BUFFER(buffer), NULL);
    g_return_val_if_fail(gst_buffer_is_writable(buffer), NULL);
    g_return_val_if_fail(reads != NULL || n_reads == 0, NULL);
    GatecvReadsMeta *m =
        (GatecvReadsMeta *)gst_buffer_add_meta(buffer, GATECV_READS_META_INFO, NULL);
    if (!m)
        return NULL;
    m->n_reads = n_reads;
    m->reads = n_reads ? g_memdup2(reads, sizeof *reads * n_reads) : NULL;
    m->element = g_strdup(element);
    return m;
}

GatecvReadsMeta *gst_buffer_iterate_gatecv_reads_meta(GstBuffer *buffer, gpointer *state)
{
    g_return_val_if_fail(GST_IS_BUFFER(buffer), NULL);
    return (GatecvReadsMeta *)gst_buffer_iterate_meta_filtered(buffer, state,
                                                               GATECV_READS_META_API_TYPE);
}

GatecvReadsMeta *gst_buffer_get_gatecv_reads_meta(GstBuffer *buffer, const gchar *element)
{
    g_return_val_if_fail(GST_IS_BUFFER(buffer), NULL);
    gpointer state = NULL;
    GatecvReadsMeta *m;
    while ((m = gst_buffer_iterate_gatecv_reads_meta(buffer, &state)))
        if (g_strcmp0(m->element, element) == 0)
            return m;
    return NULL;
}
