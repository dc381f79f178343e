/*
 * gstgatemotion.c — gatemotion: the ROI motion gate in front of the readers.
 *
 * Owns its running background (one grey level per cell of the ROI) and the gate state;
 * attaches a GatecvMotionMeta (gatecvmeta.h) to every buffer and changes no pixel.
 */

/**
 * SECTION:element-gatemotion
 * @title: gatemotion
 * @see_also: gateplate, gatecontainer
 *
 * Tells the readers behind it which frames are worth reading: a frame counts as moving
 * when enough of the region of interest (the lane) differs from a running background.
 *
 * The ROI is cut into 4x4-pixel cells (a 1/4-size grey image; smaller ROIs use 1-pixel
 * cells); each cell's mean grey level is compared with the background, an exponential
 * average of past frames (#GstGateMotion:learning-rate; a cell that moved is learnt at
 * #GstGateMotion:absorb-rate, by default the same: a slower one keeps a vehicle in view from
 * fading into the background and leaving a ghost when it drives on, but also keeps a change
 * of light moving for longer). A cell whose difference reaches
 * #GstGateMotion:threshold grey levels moved, and counts if at least
 * #GstGateMotion:min-neighbours of its 8 neighbours moved too (rain streaks and noise are
 * thin; vehicles are solid); the frame moves when at least #GstGateMotion:min-fraction of
 * the cells count. The gate opens on a moving frame and stays
 * open #GstGateMotion:hold-frames frames after the last one, so a truck that stops at the
 * barrier is still read for a while. The first frame (and the first after a flush or a
 * change of ROI or frame size) only starts the background, and so does a frame in which most
 * of the ROI changed at once while little had moved before: a change of light (the infrared
 * lamp, a cloud), not a vehicle, which always drives in over several frames.
 *
 * Every buffer leaves with a #GatecvMotionMeta: `moving` is the gate state, with the
 * fraction of the ROI that moved and the box of the moving cells in frame coordinates, and
 * the blobs: groups of moving cells at most #GstGateMotion:blob-gap pixels apart, one box
 * each (two vehicles with road between them are two blobs; one box around both would make
 * them one vehicle). A buffer that already carries one has it updated. Gate openings and
 * closings are logged at INFO (`GST_DEBUG=gatemotion:4`).
 *
 * Formats: BGR, GRAY8, and I420 / NV12, whose Y plane is used directly as the grey image
 * (converting colour costs more than decoding, so put gatemotion before videoconvert).
 * Frames pass through untouched: no copy, no pixel changed.
 *
 * ## Example launch line
 * |[
 * GST_DEBUG=gatemotion:4 gst-launch-1.0 videotestsrc pattern=ball num-buffers=60 ! \
 *     video/x-raw,format=I420,width=640,height=360 ! \
 *     gatemotion roi=0,0,640,360 threshold=25 hold-frames=12 ! fakesink
 * ]|
 */

#include "gstgatemotion.h"

#include <math.h>
#include <string.h>

#include "gatecvmeta.h"
#include "gstgateutil.h"

GST_DEBUG_CATEGORY_STATIC(gst_gate_motion_debug);
#define GST_CAT_DEFAULT gst_gate_motion_debug

#define DEFAULT_THRESHOLD 25
#define DEFAULT_MIN_FRACTION 0.01
#define DEFAULT_LEARNING_RATE 0.05
/* Moving cells are learnt as fast as still ones by default: learnt more slowly (measured
 * on generated lanes), a change of light between vehicles (dusk, the infrared lamp) keeps
 * the whole ROI "moving" for many seconds and joins vehicles into one episode, which costs
 * more than the ghosts it saves. */
#define DEFAULT_ABSORB_RATE DEFAULT_LEARNING_RATE
#define DEFAULT_HOLD_FRAMES 12
#define DEFAULT_MIN_NEIGHBOURS 3
#define DEFAULT_BLOB_GAP 8
/* Fewer counting cells than this make no blob of their own (a speck beside a vehicle). */
#define MIN_BLOB_CELLS 6
#define CELL 4 /* cell side in pixels: the ROI is compared at 1/4 size */
/* A change of light (the infrared lamp switching on, a cloud, dusk) moves most of the ROI
 * from one frame to the next; a vehicle, however big, drives in over several frames. */
#define LIGHT_CHANGE_FRACTION 0.5f
#define LIGHT_CHANGE_BEFORE 0.1f

enum {
    PROP_0,
    PROP_ROI,
    PROP_THRESHOLD,
    PROP_MIN_FRACTION,
    PROP_LEARNING_RATE,
    PROP_ABSORB_RATE,
    PROP_MIN_NEIGHBOURS,
    PROP_HOLD_FRAMES,
    PROP_BLOB_GAP,
};

struct _GstGateMotion {
    GstVideoFilter parent;

    /* properties, under the object lock */
    GstGateRoi roi;
    gint threshold;
    gdouble min_fraction;
    gdouble learning_rate;
    gdouble absorb_rate;
    gint min_neighbours;
    guint hold_frames;
    gint blob_gap;

    /* streaming state, streaming thread only (and stop) */
    GstGateRoi area; /* the clipped ROI the background is of */
    gint cell, cols, rows;
    gfloat *background; /* cols * rows mean grey levels; NULL: start over */
    gfloat *current;
    guint8 *moved;  /* cols * rows: the cell differs from the background */
    guint8 *counts; /* cols * rows: it moved and has enough moving neighbours */
    gint32 *labels; /* cols * rows: blob of a counting cell (scratch of find_blobs) */
    gint32 *stack;  /* cols * rows: cells still to visit (scratch of find_blobs) */
    guint32 *sums;  /* cols accumulators for one row of cells */
    gboolean open;
    gfloat last_fraction; /* of the previous frame */
    guint hold_left;
    GstGateRoi box; /* last box of moving cells, frame coordinates */
    GatecvMotionBox blobs[GATECV_MOTION_MAX_BLOBS]; /* last blobs, frame coordinates */
    guint n_blobs;
};

G_DEFINE_TYPE(GstGateMotion, gst_gate_motion, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE(gatemotion, "gatemotion", GST_RANK_NONE, GST_TYPE_GATE_MOTION);

#define FORMATS "{ BGR, GRAY8, I420, NV12 }"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE(
    "sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS(GST_VIDEO_CAPS_MAKE(FORMATS)));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE(
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS(GST_VIDEO_CAPS_MAKE(FORMATS)));

/* Forgets the background and closes the gate. */
static void reset(GstGateMotion *self)
{
    g_clear_pointer(&self->background, g_free);
    g_clear_pointer(&self->current, g_free);
    g_clear_pointer(&self->moved, g_free);
    g_clear_pointer(&self->counts, g_free);
    g_clear_pointer(&self->labels, g_free);
    g_clear_pointer(&self->stack, g_free);
    g_clear_pointer(&self->sums, g_free);
    self->cols = self->rows = 0;
    self->area = (GstGateRoi){0, 0, 0, 0};
    self->open = FALSE;
    self->last_fraction = 0.0f;
    self->hold_left = 0;
    self->box = (GstGateRoi){0, 0, 0, 0};
    self->n_blobs = 0;
}

static void gst_gate_motion_set_property(GObject *object, guint prop_id, const GValue *value,
                                         GParamSpec *pspec)
{
    GstGateMotion *self = GST_GATE_MOTION(object);
    GST_OBJECT_LOCK(self);
    switch (prop_id) {
    case PROP_ROI: {
        GstGateRoi roi;
        if (gst_gate_roi_parse(g_value_get_string(value), &roi))
            self->roi = roi;
        else
            g_warning("%s: roi must be \"x,y,width,height\", not \"%s\": ignored",
                      GST_OBJECT_NAME(self), g_value_get_string(value));
        break;
    }
    case PROP_THRESHOLD:
        self->threshold = g_value_get_int(value);
        break;
    case PROP_MIN_FRACTION:
        self->min_fraction = g_value_get_double(value);
        break;
    case PROP_LEARNING_RATE:
        self->learning_rate = g_value_get_double(value);
        break;
    case PROP_ABSORB_RATE:
        self->absorb_rate = g_value_get_double(value);
        break;
    case PROP_MIN_NEIGHBOURS:
        self->min_neighbours = g_value_get_int(value);
        break;
    case PROP_HOLD_FRAMES:
        self->hold_frames = g_value_get_uint(value);
        break;
    case PROP_BLOB_GAP:
        self->blob_gap = g_value_get_int(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
    GST_OBJECT_UNLOCK(self);
}

static void gst_gate_motion_get_property(GObject *object, guint prop_id, GValue *value,
                                         GParamSpec *pspec)
{
    GstGateMotion *self = GST_GATE_MOTION(object);
    GST_OBJECT_LOCK(self);
    switch (prop_id) {
    case PROP_ROI:
        g_value_take_string(value, gst_gate_roi_to_string(&self->roi));
        break;
    case PROP_THRESHOLD:
        g_value_set_int(value, self->threshold);
        break;
    case PROP_MIN_FRACTION:
        g_value_set_double(value, self->min_fraction);
        break;
    case PROP_LEARNING_RATE:
        g_value_set_double(value, self->learning_rate);
        break;
    case PROP_ABSORB_RATE:
        g_value_set_double(value, self->absorb_rate);
        break;
    case PROP_MIN_NEIGHBOURS:
        g_value_set_int(value, self->min_neighbours);
        break;
    case PROP_HOLD_FRAMES:
        g_value_set_uint(value, self->hold_frames);
        break;
    case PROP_BLOB_GAP:
        g_value_set_int(value, self->blob_gap);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
    GST_OBJECT_UNLOCK(self);
}

static void gst_gate_motion_finalize(GObject *object)
{
    reset(GST_GATE_MOTION(object));
    G_OBJECT_CLASS(gst_gate_motion_parent_class)->finalize(object);
}

static gboolean gst_gate_motion_stop(GstBaseTransform *trans)
{
    reset(GST_GATE_MOTION(trans));
    return TRUE;
}

static gboolean gst_gate_motion_sink_event(GstBaseTransform *trans, GstEvent *event)
{
    if (GST_EVENT_TYPE(event) == GST_EVENT_FLUSH_STOP)
        reset(GST_GATE_MOTION(trans)); /* after a seek the old background is another scene */
    return GST_BASE_TRANSFORM_CLASS(gst_gate_motion_parent_class)->sink_event(trans, event);
}

static gboolean gst_gate_motion_set_info(GstVideoFilter *filter, GstCaps *incaps,
                                         GstVideoInfo *in_info, GstCaps *outcaps,
                                         GstVideoInfo *out_info)
{
    (void)incaps;
    (void)outcaps;
    (void)out_info;
    GstGateMotion *self = GST_GATE_MOTION(filter);
    GST_DEBUG_OBJECT(self, "%s %dx%d", gst_video_format_to_string(GST_VIDEO_INFO_FORMAT(in_info)),
                     GST_VIDEO_INFO_WIDTH(in_info), GST_VIDEO_INFO_HEIGHT(in_info));
    reset(self);
    return TRUE;
}

/* (Re)allocates the cell arrays for `area` if it is not the one the background is of;
 * TRUE if it did (the background is then to be started from this frame). */
static gboolean ensure_cells(GstGateMotion *self, const GstGateRoi *area)
{
    if (self->background && area->x == self->area.x && area->y == self->area.y &&
        area->width == self->area.width && area->height == self->area.height)
        return FALSE;
    reset(self);
    self->area = *area;
    self->cell = MIN(CELL, MIN(area->width, area->height));
    self->cols = area->width / self->cell;
    self->rows = area->height / self->cell;
    self->background = g_new0(gfloat, (gsize)self->cols * self->rows);
    self->current = g_new0(gfloat, (gsize)self->cols * self->rows);
    self->moved = g_new0(guint8, (gsize)self->cols * self->rows);
    self->counts = g_new0(guint8, (gsize)self->cols * self->rows);
    self->labels = g_new0(gint32, (gsize)self->cols * self->rows);
    self->stack = g_new0(gint32, (gsize)self->cols * self->rows);
    self->sums = g_new0(guint32, self->cols);
    GST_DEBUG_OBJECT(self, "ROI %d,%d %dx%d: %dx%d cells of %d px, new background", area->x,
                     area->y, area->width, area->height, self->cols, self->rows, self->cell);
    return TRUE;
}

/* Mean grey level of every cell of the ROI into self->current. */
static void measure_cells(GstGateMotion *self, const GstVideoFrame *frame)
{
    const guint8 *plane = GST_VIDEO_FRAME_PLANE_DATA(frame, 0); /* BGR, GRAY8 or Y */
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE(frame, 0);
    gboolean bgr = GST_VIDEO_FRAME_FORMAT(frame) == GST_VIDEO_FORMAT_BGR;
    gint cell = self->cell, cols = self->cols;
    gint width = cols * cell;
    gfloat area = (gfloat)(cell * cell);

    for (gint cy = 0; cy < self->rows; cy++) {
        memset(self->sums, 0, sizeof *self->sums * cols);
        for (gint dy = 0; dy < cell; dy++) {
            const guint8 *row = plane + (gsize)(self->area.y + cy * cell + dy) * stride;
            if (bgr) {
                row += (gsize)self->area.x * 3;
                for (gint x = 0; x < width; x++, row += 3) /* ITU-R 601 luma */
                    self->sums[x / cell] += (29u * row[0] + 150u * row[1] + 77u * row[2]) >> 8;
            } else {
                row += self->area.x;
                for (gint x = 0; x < width; x++)
                    self->sums[x / cell] += row[x];
            }
        }
        for (gint cx = 0; cx < cols; cx++)
            self->current[cy * cols + cx] = self->sums[cx] / area;
    }
}

/* This frame's cells become the background: the first frame, and after a change of light. */
static void restart_background(GstGateMotion *self)
{
    memcpy(self->background, self->current, sizeof *self->current * self->cols * self->rows);
}

/* Compares self->current with the background into self->moved and updates the
 * background. A moving cell is learnt at absorb_rate (see the property). */
static void compare_cells(GstGateMotion *self, gint threshold, gfloat learning_rate,
                          gfloat absorb_rate)
{
    gsize n = (gsize)self->cols * self->rows;
    for (gsize i = 0; i < n; i++) {
        gfloat diff = self->current[i] - self->background[i];
        self->moved[i] = fabsf(diff) >= threshold;
        self->background[i] += (self->moved[i] ? absorb_rate : learning_rate) * diff;
    }
}

/* Moving neighbours (of 8) of cell (cx, cy). */
static gint moving_neighbours(const GstGateMotion *self, gint cx, gint cy)
{
    gint n = 0;
    for (gint dy = -1; dy <= 1; dy++)
        for (gint dx = -1; dx <= 1; dx++) {
            gint x = cx + dx, y = cy + dy;
            if ((dx || dy) && x >= 0 && y >= 0 && x < self->cols && y < self->rows)
                n += self->moved[(gsize)y * self->cols + x];
        }
    return n;
}

/* Counts the moving cells that have at least min_neighbours moving neighbours (a vehicle is
 * a solid blob of cells; a rain streak or pixel noise is a thin line or a speck), marks them
 * in self->counts and puts their bounding box, in cells, in *box. */
static gint count_moving(GstGateMotion *self, gint min_neighbours, GstGateRoi *box)
{
    gint moving = 0, x0 = G_MAXINT, y0 = G_MAXINT, x1 = -1, y1 = -1;
    for (gint cy = 0; cy < self->rows; cy++)
        for (gint cx = 0; cx < self->cols; cx++) {
            gsize i = (gsize)cy * self->cols + cx;
            self->counts[i] = self->moved[i] && (min_neighbours <= 0 ||
                                                 moving_neighbours(self, cx, cy) >= min_neighbours);
            if (!self->counts[i])
                continue;
            moving++;
            x0 = MIN(x0, cx);
            y0 = MIN(y0, cy);
            x1 = MAX(x1, cx);
            y1 = MAX(y1, cy);
        }
    *box = moving ? (GstGateRoi){x0, y0, x1 - x0 + 1, y1 - y0 + 1} : (GstGateRoi){0, 0, 0, 0};
    return moving;
}

/* One group of counting cells: its box in cells and its size. */
typedef struct {
    gint x0, y0, x1, y1, cells;
} cell_group;

/* Grows the group of counting cell `start` over every counting cell at most `reach` cells
 * away (a gap of reach - 1 still joins), labelling them `label`. */
static cell_group grow_group(GstGateMotion *self, gsize start, gint32 label, gint reach)
{
    gint cols = self->cols;
    cell_group g = {G_MAXINT, G_MAXINT, -1, -1, 0};
    gsize top = 0;
    self->labels[start] = label;
    self->stack[top++] = (gint32)start;
    while (top > 0) {
        gint32 i = self->stack[--top];
        gint cx = i % cols, cy = i / cols;
        g.x0 = MIN(g.x0, cx);
        g.y0 = MIN(g.y0, cy);
        g.x1 = MAX(g.x1, cx);
        g.y1 = MAX(g.y1, cy);
        g.cells++;
        for (gint y = MAX(0, cy - reach); y <= MIN(self->rows - 1, cy + reach); y++)
            for (gint x = MAX(0, cx - reach); x <= MIN(cols - 1, cx + reach); x++) {
                gsize k = (gsize)y * cols + x;
                if (self->counts[k] && self->labels[k] == 0) {
                    self->labels[k] = label;
                    self->stack[top++] = (gint32)k;
                }
            }
    }
    return g;
}

/* Splits the counting cells into groups whose cells are at most gap_px apart and keeps the
 * largest GATECV_MOTION_MAX_BLOBS of at least MIN_BLOB_CELLS cells in self->blobs, in frame
 * coordinates, largest first. */
static void find_blobs(GstGateMotion *self, gint gap_px)
{
    gsize n = (gsize)self->cols * self->rows;
    gint reach = 1 + MAX(0, gap_px) / self->cell;
    cell_group kept[GATECV_MOTION_MAX_BLOBS];
    guint n_kept = 0;
    gint32 label = 0;
    memset(self->labels, 0, sizeof *self->labels * n);
    for (gsize i = 0; i < n; i++) {
        if (!self->counts[i] || self->labels[i] != 0)
            continue;
        cell_group g = grow_group(self, i, ++label, reach);
        if (g.cells < MIN_BLOB_CELLS)
            continue;
        /* insertion into the kept groups, largest first */
        guint at = n_kept;
        while (at > 0 && kept[at - 1].cells < g.cells)
            at--;
        if (at == GATECV_MOTION_MAX_BLOBS)
            continue;
        n_kept = MIN(n_kept + 1, GATECV_MOTION_MAX_BLOBS);
        memmove(&kept[at + 1], &kept[at], sizeof *kept * (n_kept - 1 - at));
        kept[at] = g;
    }
    for (guint i = 0; i < n_kept; i++)
        self->blobs[i] = (GatecvMotionBox){
            self->area.x + kept[i].x0 * self->cell, self->area.y + kept[i].y0 * self->cell,
            (kept[i].x1 - kept[i].x0 + 1) * self->cell, (kept[i].y1 - kept[i].y0 + 1) * self->cell};
    self->n_blobs = n_kept;
}

static GstFlowReturn gst_gate_motion_transform_frame_ip(GstVideoFilter *filter,
                                                        GstVideoFrame *frame)
{
    GstGateMotion *self = GST_GATE_MOTION(filter);

    GST_OBJECT_LOCK(self);
    GstGateRoi roi = self->roi;
    gint threshold = self->threshold;
    gdouble min_fraction = self->min_fraction;
    gfloat learning_rate = (gfloat)self->learning_rate;
    gfloat absorb_rate = (gfloat)self->absorb_rate;
    gint min_neighbours = self->min_neighbours;
    guint hold_frames = self->hold_frames;
    gint blob_gap = self->blob_gap;
    GST_OBJECT_UNLOCK(self);

    gint fw = GST_VIDEO_FRAME_WIDTH(frame), fh = GST_VIDEO_FRAME_HEIGHT(frame);
    GstGateRoi area;
    if (!gst_gate_roi_clip(&roi, fw, fh, &area)) {
        GST_ELEMENT_ERROR(self, RESOURCE, SETTINGS,
                          ("roi %d,%d,%d,%d lies outside the %dx%d frame", roi.x, roi.y, roi.width,
                           roi.height, fw, fh),
                          ("set roi to a rectangle inside the frame, or unset it"));
        return GST_FLOW_ERROR;
    }

    gboolean first = ensure_cells(self, &area);
    measure_cells(self, frame);

    gint n_moving = 0;
    gfloat fraction = 0.0f;
    GstGateRoi cells = {0, 0, 0, 0};
    if (first) {
        restart_background(self);
    } else {
        compare_cells(self, threshold, learning_rate, absorb_rate);
        n_moving = count_moving(self, min_neighbours, &cells);
        fraction = (gfloat)n_moving / (self->cols * self->rows);
        if (fraction >= LIGHT_CHANGE_FRACTION && self->last_fraction < LIGHT_CHANGE_BEFORE) {
            /* not motion: the light changed; this frame is the new background */
            GST_INFO_OBJECT(self,
                            "%.0f%% of the ROI changed at once: a change of light, "
                            "background started again",
                            100.0 * fraction);
            restart_background(self);
            n_moving = 0;
            fraction = 0.0f;
            cells = (GstGateRoi){0, 0, 0, 0};
        }
        self->last_fraction = fraction;
    }

    GstClockTime pts = GST_BUFFER_PTS(frame->buffer);
    gboolean was_open = self->open;
    if (n_moving > 0 && fraction >= min_fraction) {
        self->open = TRUE;
        self->hold_left = hold_frames;
        self->box = (GstGateRoi){area.x + cells.x * self->cell, area.y + cells.y * self->cell,
                                 cells.width * self->cell, cells.height * self->cell};
        find_blobs(self, blob_gap);
    } else if (self->open) {
        if (self->hold_left == 0) {
            self->open = FALSE;
            self->box = (GstGateRoi){0, 0, 0, 0};
            self->n_blobs = 0;
        } else {
            self->hold_left--;
        }
    }
    if (self->open && !was_open)
        GST_INFO_OBJECT(
            self, "gate open at %" GST_TIME_FORMAT ": %.1f%% of the ROI moving, box %d,%d %dx%d",
            GST_TIME_ARGS(pts), 100.0 * fraction, self->box.x, self->box.y, self->box.width,
            self->box.height);
    else if (!self->open && was_open)
        GST_INFO_OBJECT(self, "gate closed at %" GST_TIME_FORMAT, GST_TIME_ARGS(pts));
    GST_LOG_OBJECT(self, "%" GST_TIME_FORMAT ": %d cells (%.2f%%) moving, gate %s",
                   GST_TIME_ARGS(pts), n_moving, 100.0 * fraction, self->open ? "open" : "closed");

    GatecvMotionMeta *meta = gst_buffer_get_gatecv_motion_meta(frame->buffer);
    if (!meta)
        meta = gst_buffer_add_gatecv_motion_meta(frame->buffer, FALSE, 0.0f, 0, 0, 0, 0);
    if (!meta) {
        GST_ELEMENT_ERROR(self, CORE, FAILED, (NULL), ("cannot add the motion meta"));
        return GST_FLOW_ERROR;
    }
    meta->moving = self->open;
    meta->moving_fraction = fraction;
    meta->x = self->box.x;
    meta->y = self->box.y;
    meta->width = self->box.width;
    meta->height = self->box.height;
    meta->n_blobs = self->n_blobs;
    memcpy(meta->blobs, self->blobs, sizeof *self->blobs * self->n_blobs);
    return GST_FLOW_OK;
}

static void gst_gate_motion_class_init(GstGateMotionClass *klass)
{
    GObjectClass *gobject_class = G_OBJECT_CLASS(klass);
    GstElementClass *element_class = GST_ELEMENT_CLASS(klass);
    GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS(klass);
    GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS(klass);

    GST_DEBUG_CATEGORY_INIT(gst_gate_motion_debug, "gatemotion", 0, "gatecv ROI motion gate");

    gobject_class->set_property = gst_gate_motion_set_property;
    gobject_class->get_property = gst_gate_motion_get_property;
    gobject_class->finalize = gst_gate_motion_finalize;

    const GParamFlags flags =
        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING;
    g_object_class_install_property(
        gobject_class, PROP_ROI,
        g_param_spec_string("roi", "Region of interest",
                            "Part of the frame watched for motion, \"x,y,width,height\" in "
                            "pixels (unset or empty: the whole frame; clipped to the frame)",
                            NULL, flags));
    g_object_class_install_property(
        gobject_class, PROP_THRESHOLD,
        g_param_spec_int("threshold", "Threshold",
                         "Difference from the background, in grey levels, at which a 4x4 cell "
                         "counts as moving",
                         1, 255, DEFAULT_THRESHOLD, flags));
    g_object_class_install_property(
        gobject_class, PROP_MIN_FRACTION,
        g_param_spec_double("min-fraction", "Minimum fraction",
                            "Fraction of the ROI's cells that must move for the frame to count "
                            "as moving",
                            0.0, 1.0, DEFAULT_MIN_FRACTION, flags));
    g_object_class_install_property(
        gobject_class, PROP_LEARNING_RATE,
        g_param_spec_double("learning-rate", "Learning rate",
                            "Weight of each new frame in the running background (0: keep the "
                            "first frame, 1: compare with the previous frame)",
                            0.0, 1.0, DEFAULT_LEARNING_RATE, flags));
    g_object_class_install_property(
        gobject_class, PROP_ABSORB_RATE,
        g_param_spec_double("absorb-rate", "Absorb rate",
                            "Weight of each new frame in the background where the cell moved: "
                            "how fast something that stopped in the lane becomes background "
                            "(0: never; learning-rate: like the still cells)",
                            0.0, 1.0, DEFAULT_ABSORB_RATE, flags));
    g_object_class_install_property(
        gobject_class, PROP_MIN_NEIGHBOURS,
        g_param_spec_int("min-neighbours", "Minimum neighbours",
                         "A moving cell counts only if at least this many of its 8 neighbours "
                         "moved too: a vehicle is a solid blob, rain streaks and noise are thin "
                         "lines and specks (0: every cell counts)",
                         0, 8, DEFAULT_MIN_NEIGHBOURS, flags));
    g_object_class_install_property(
        gobject_class, PROP_HOLD_FRAMES,
        g_param_spec_uint("hold-frames", "Hold frames",
                          "Frames the gate stays open after the last moving frame", 0, 100000,
                          DEFAULT_HOLD_FRAMES, flags));
    g_object_class_install_property(
        gobject_class, PROP_BLOB_GAP,
        g_param_spec_int("blob-gap", "Blob gap",
                         "Moving cells at most this many pixels apart are one blob (one "
                         "vehicle); the meta lists up to 8 blobs, largest first, besides the "
                         "box around all of them",
                         0, 4096, DEFAULT_BLOB_GAP, flags));

    gst_element_class_set_static_metadata(
        element_class, "gatecv ROI motion gate", "Filter/Analyzer/Video",
        "Marks the frames in which something moves inside a region of interest "
        "(GatecvMotionMeta), so the readers behind it can skip the others",
        "gatecv");
    gst_element_class_add_static_pad_template(element_class, &sink_template);
    gst_element_class_add_static_pad_template(element_class, &src_template);

    gst_gate_class_set_metadata_only(trans_class);
    trans_class->stop = GST_DEBUG_FUNCPTR(gst_gate_motion_stop);
    trans_class->sink_event = GST_DEBUG_FUNCPTR(gst_gate_motion_sink_event);
    filter_class->set_info = GST_DEBUG_FUNCPTR(gst_gate_motion_set_info);
    filter_class->transform_frame_ip = GST_DEBUG_FUNCPTR(gst_gate_motion_transform_frame_ip);
}

static void gst_gate_motion_init(GstGateMotion *self)
{
    self->roi = (GstGateRoi){0, 0, 0, 0};
    self->threshold = DEFAULT_THRESHOLD;
    self->min_fraction = DEFAULT_MIN_FRACTION;
    self->learning_rate = DEFAULT_LEARNING_RATE;
    self->absorb_rate = DEFAULT_ABSORB_RATE;
    self->min_neighbours = DEFAULT_MIN_NEIGHBOURS;
    self->hold_frames = DEFAULT_HOLD_FRAMES;
    self->blob_gap = DEFAULT_BLOB_GAP;
}
