/*
 * lane_fusion.h — turns what each camera saw, frame by frame, into crossings.
 *
 * Each camera reports observations: the time, whether something moves in its lane ROI
 * (and the box of the moving region), and the reads of that frame. Per camera, a
 * passage is a motion episode that came from one side of the tripwire and ends on the
 * other: the box wholly on the other side, or over the line with its centre beyond it (a
 * vehicle that drives in and backs out makes none; one that stops and reverses over the
 * line counts once, by where it ends). Its crossing time is when the box last reached
 * the line from the side it came from: the vehicle's leading edge; its time over the line
 * runs from then to the last moment the box touched the line. The tripwire is the same
 * physical line in every view, so one vehicle's passages in all cameras happen while it is
 * on that line: a passage joins the crossing whose time over the line overlaps its own the
 * most (or is at most `join_window` seconds away). A passage that only one of several
 * watching cameras made, with nothing read in it, is noise (rain, glare): logged, not
 * published.
 *
 * Reads are voted per camera and text: a code needs `votes` agreeing frames. Each text
 * also knows when it was itself on the line (its reads' positions either side of the
 * tripwire, or the line through them), and goes to the vehicle that was on the line then —
 * not to whatever episode it was read in, which may have held two vehicles or made no
 * passage at all. A crossing in which a camera along the lane read different plates a
 * second or more apart on the line is published as that many vehicles (for review); a
 * second passage of a camera along the lane within a vehicle that the side cameras measured
 * as one is not a second crossing. The crossing is `verified` when every plate and code
 * passed its grammar or check digit, reached the vote threshold, every watching camera
 * passed it, and no camera disagreed; otherwise it is `needs_review` with machine-readable
 * reasons. A valid text read in `votes` frames that no vehicle was on the line with is a
 * vehicle no passage showed: published for review (`no_passage_seen`); other such texts
 * are logged.
 *
 * A crossing may go out in revisions (`[fusion] provisional`, below): provisional ones while the
 * vehicle is pending, then the final one; every revision carries what the one before did.
 *
 * Pure C over GLib: no GStreamer, no ZeroMQ. Time is stream time in seconds.
 */
#ifndef GATECV_LANE_FUSION_H
#define GATECV_LANE_FUSION_H

#include <stdbool.h>

#include <glib.h>

#include "gcv.h"
#include "lane_config.h"
#include "reader.h"
#include "tripwire.h"

#define LANE_MAX_ITEMS 8
#define LANE_MAX_REASONS 8

#define LANE_MAX_BLOBS 8

typedef struct {
    int camera;                /* index into lane_config.cameras */
    double t;                  /* stream time, seconds */
    bool moving;               /* the motion gate is open */
    float x, y, width, height; /* box of the moving region (when moving) */
    const gatecv_read *reads;  /* this frame's reads (may be NULL) */
    int n_reads;
    GBytes *evidence; /* the frame as a JPEG (evidence_jpeg.h), when it has reads (may be NULL;
                         a reference is taken if kept) */
    /* The separate moving regions in it, one per vehicle when road shows between them;
     * n_blobs 0 while moving: the box is the one region. */
    int n_blobs;
    lane_box blobs[LANE_MAX_BLOBS];
} lane_observation;

/* Whether an item is the vehicle's own read in this revision, or one an earlier revision of
 * its event carried that this one no longer counts (revision.h): kept, so that no revision
 * tells less than the one before, and left out of the verdict. */
typedef enum {
    ITEM_OWN = 0,
    ITEM_OUTVOTED,    /* still read of the vehicle, but the vote now prefers another read */
    ITEM_UNCONFIRMED, /* no longer among the vehicle's texts (another vehicle's, or lost) */
} lane_item_told;

/* One plate or container code of a crossing, after the vote. */
typedef struct {
    gatecv_read read;   /* the best frame's read of the winning text */
    const char *camera; /* camera name (owned by the config) */
    const char *role;   /* camera role: where on the vehicle it was seen */
    int frames;         /* agreeing frames */
    bool enough_votes;
    GBytes *evidence; /* JPEG of the best read's frame (a reference the crossing owns) */
    double evidence_t;
    lane_item_told told;
} lane_item;

/* A vehicle's event may go out in revisions: a provisional one as soon as it has crossed the
 * line in a camera, with what is read so far, then the final one once it is settled. All
 * revisions of one vehicle share vehicle_id (the event writer keys its event_id on it); each
 * carries every plate and code the one before it carried. */
typedef struct {
    guint64 vehicle_id; /* the same in every revision of one vehicle (never 0 from the fusion) */
    int revision;       /* 1, 2, ...: strictly increasing per vehicle_id */
    bool provisional;   /* more revisions will follow (false: this is the final one) */
    double t_enter, t_exit; /* first and last moment any camera saw the vehicle or read its texts */
    double t_cross;         /* when it crossed the tripwire */
    double t_decided;       /* the latest observation's time when it was decided */
    lane_direction direction;
    const char *vehicle_kind; /* "truck", "agv", "car" or "unknown" */
    lane_item plates[LANE_MAX_ITEMS];
    int n_plates;
    lane_item containers[LANE_MAX_ITEMS];
    int n_containers;
    const char *status; /* "verified" or "needs_review" */
    char reasons[LANE_MAX_REASONS][64];
    int n_reasons;
} lane_crossing;

/* Called for each decided crossing; the crossing is valid during the call only. */
typedef void (*lane_crossing_fn)(const lane_crossing *crossing, void *user);

typedef struct lane_fusion lane_fusion;

/* join_window: how far apart (seconds) the times over the line of two cameras' passages
 * may be and still be one crossing.
 *
 * Provisional revisions go out when the config says so (`[fusion] provisional`); without them
 * every event is a final revision 1. With them, a pending vehicle that a camera passed goes out
 * as a provisional revision when a passage joins it and what it would say has changed: its
 * texts as the pool holds them now (assign_peek) and the same verdict the final gets, a camera
 * that has not passed it yet counting as one that missed it. None goes out while the vehicle
 * may still be one camera's noise or a second look at another (it could not be taken back). */
lane_fusion *lane_fusion_new(const lane_config *config, double join_window, lane_crossing_fn fn,
                             void *user);
void lane_fusion_free(lane_fusion *f);

/* A camera's frame as it was taken, before its reads are back (they are ignored): with
 * provisional revisions on, a vehicle a side camera sees go past the line goes out at once
 * as a first notice, its provisional revision 1 with nothing read (crossing_notice.h); the
 * vehicle the fusion makes of the same frames later carries its later revisions. Each frame
 * must also come to lane_fusion_observe, in the same order per camera, when its reads are in. */
void lane_fusion_look(lane_fusion *f, const lane_observation *o);

/* Feed one observation; may call fn for crossings that are now decided. */
void lane_fusion_observe(lane_fusion *f, const lane_observation *o);

/* A camera's stream ended (end of a recording): its open episode is closed. */
void lane_fusion_camera_done(lane_fusion *f, int camera, double t);

/* The lane's presence sensor at the tripwire (lane_trigger.h) reported, at stream time t, a
 * vehicle coming onto the line (present) or the line free again. Once it has reported, the
 * fusion parts a vehicle the cameras passed as one where the sensor saw the line free, those
 * parts going out as vehicles of their own (not for review for the split alone); takes a
 * vehicle the sensor did not report, with nothing read, for noise (the sensor alive since),
 * and one with something read goes for review (trigger_saw_no_vehicle); and makes a crossing,
 * for review, of a presence no vehicle on the line accounts for. Reports come in time order;
 * one out of order or repeating the state is ignored (logged). Without reports the fusion
 * works from the cameras alone. */
void lane_fusion_trigger(lane_fusion *f, double t, bool present);

/* A live camera went down after its frame at t (up = false; every observation before the
 * drop has come) or came up again at t (before its first frame's observation). While it is
 * down nothing waits for it, and a vehicle in view while it was down gets the reason
 * camera_down:NAME (verdict.h). */
void lane_fusion_camera_state(lane_fusion *f, int camera, double t, bool up);

/* Decide everything still pending (all streams ended). */
void lane_fusion_finish(lane_fusion *f);

#endif
