/*
 * line_timeline.h — the vehicles on the tripwire, in the order their first passage closed:
 * those still pending (cameras may add to them) and those lately decided. Each has its span
 * (when it was on the line), its direction and how far that span can be trusted (a side
 * camera sees a vehicle's whole length go over the line; with its scale it also measured
 * whether the passage was one vehicle long). The timeline alone answers "who was on the line
 * at t": whether another vehicle was nearer a moment than a given one, whether two shared the
 * line, whether a vehicle is only a second look of cameras along the lane at one already
 * there; and where one vehicle on it was in fact several (line_timeline_split).
 *
 * Passages of several cameras join one vehicle: the pending one of the same direction whose
 * time over the line overlaps theirs the most, or lies at most join_window away.
 *
 * Ownership: the timeline owns its vehicles, and a vehicle the passages (camera episodes) it
 * was made of, until line_timeline_forget drops it. Pure C over GLib; times are stream
 * seconds.
 */
#ifndef GATECV_LINE_TIMELINE_H
#define GATECV_LINE_TIMELINE_H

#include <stdbool.h>

#include <glib.h>

#include "camera_track.h"
#include "lane_config.h"
#include "revision.h"

/* When a vehicle was on the line, and how far that can be trusted. */
typedef struct {
    double start, end; /* on the line (start <= end) */
    int sign;          /* +1: it moved towards the tripwire's right (the positive direction) */
    bool from_side;    /* start..end come from a side camera (its whole length passed it) */
    bool measured;     /* a side camera with a known scale measured its passage */
    bool one_vehicle;  /* measured, and no passage was longer than a vehicle */
    unsigned cameras;  /* bit i: camera i made a passage */
} line_span;

/* How far t lies outside the span (0 inside). */
double line_span_distance(const line_span *s, double t);

/* Where a text's true time on the line lies from the time measured in its camera's image
 * (lane_text_line_time): a camera along the lane sees a text above the road reach the line in
 * its image after the text itself reached it when the vehicle comes towards the camera (a
 * point above the road shows where the road further away does), before it when the vehicle
 * goes away; a side camera sees it cross where it does. */
typedef enum {
    LINE_TRULY_EARLIER = -1,
    LINE_TRULY_THERE = 0,
    LINE_TRULY_LATER = 1,
} line_lean;

/* Whether `other` was nearer the line at time t than `mine`: by how far t lies outside each,
 * then (both holding it) the one a side camera measured as one vehicle, then by the distance
 * to its middle. A time that lies between the two, on the line with neither, belongs to the
 * one on the side `lean` says the true time lies. */
bool line_span_nearer(const line_span *mine, const line_span *other, double t, line_lean lean);

typedef enum {
    LINE_PENDING,     /* cameras may still add to it */
    LINE_DECIDED,     /* published (or taken for noise): it stays on the line for the others */
    LINE_SECOND_LOOK, /* cameras along the lane looking again at a vehicle already there */
    /* published from its reads alone, no camera passed it: its span is only where its texts
     * were on the line, no measure of the vehicle, so it answers for no other text or passage
     * (but its texts, published, are not published again) */
    LINE_SEEN_BY_READS,
    /* decided, then taken for one camera's noise (a glare, a shadow, the tail of a flat
     * trailer after the gate lost it): not published, and no vehicle for the others */
    LINE_NOISE,
} line_state;

typedef struct {
    line_state state;
    line_span span;
    double t_cross;                             /* its first passage's crossing time */
    double t_start, t_end;                      /* the union of its passages' time over the line */
    camera_episode *passages[LANE_MAX_CAMERAS]; /* owned; NULL: that camera made none */
    GArray *published; /* line_published: its texts that went out, for a second sighting */
    vehicle_revisions revisions; /* what its event's revisions told so far */
    /* only the lane's presence sensor felt it and nothing showed which way it went: its sign
     * is the lane's positive direction, a guess */
    bool direction_guessed;
} line_vehicle;

/* A vehicle in `state`, on the line from start to end going the way `sign` says, with no
 * passage yet; line_vehicle_clear frees what it holds (its passages too), not v itself. */
void line_vehicle_init(line_vehicle *v, line_state state, double start, double end, int sign);
void line_vehicle_clear(line_vehicle *v);

/* A text that went out in a vehicle's event, and when it was on the line. */
typedef struct {
    char text[GATECV_READ_TEXT];
    double t_line;
} line_published;

typedef struct line_timeline line_timeline;

line_timeline *line_timeline_new(const lane_config *config, double join_window);
void line_timeline_free(line_timeline *tl);

/* A camera's passage (camera_episode_passed) joins a pending vehicle or starts one; the
 * timeline owns it from then on. Returns its vehicle. */
line_vehicle *line_timeline_add_passage(line_timeline *tl, camera_episode *e);

/* Whether the open episode e, were it to close now as a passage going the way `sign` says,
 * would join a pending vehicle (line_timeline_add_passage): the fusion already has it. */
bool line_timeline_would_join(const line_timeline *tl, const camera_episode *e, int sign);

/* A vehicle no camera passed, published from its texts, on the line from start to end going
 * the way `sign` says (LINE_SEEN_BY_READS). */
line_vehicle *line_timeline_add_seen_by_reads(line_timeline *tl, double start, double end,
                                              int sign);

/* When v was on the line by any measure: from the earlier to the later end of its span and of
 * its passages' time over the line (what the presence sensor's reports are held against). */
void line_vehicle_on_line(const line_vehicle *v, double *from, double *to);

/* A vehicle that only the lane's presence sensor reported (lane_trigger.h), on the line from
 * start to end going the way `sign` says, pending like one a camera passed: passages may still
 * join it, and it is decided as any other. */
line_vehicle *line_timeline_add_sensed(line_timeline *tl, double start, double end, int sign);

/* Whether a vehicle — pending (not a second look), decided, or seen by its reads — was on the
 * line at some time within [t0, t1]. */
bool line_timeline_on_line_within(const line_timeline *tl, double t0, double t1);

/* The pending vehicle whose first passage closed first, or NULL. */
line_vehicle *line_timeline_oldest_pending(const line_timeline *tl);

/* The pending vehicles in the order their first passage closed: *cursor starts at 0; NULL
 * after the last. The timeline must not change between calls. */
line_vehicle *line_timeline_next_pending(const line_timeline *tl, guint *cursor);

/* Marks a pending vehicle decided (LINE_DECIDED) or a second look (LINE_SECOND_LOOK), or a
 * decided one noise (LINE_NOISE). */
void line_timeline_settle(line_timeline *tl, line_vehicle *v, line_state state);

/* Whether v is only another look of cameras along the lane at a vehicle that the side cameras
 * saw on the line (see line_timeline.c). */
bool line_timeline_second_look(const line_timeline *tl, const line_vehicle *v);

/* Whether another vehicle, pending (not a second look) or decided, was nearer the line at
 * time t than v (line_span_nearer). */
bool line_timeline_nearer_other(const line_timeline *tl, const line_vehicle *v, double t,
                                line_lean lean);

/* When v's share of a camera episode that began at t begins: a camera that keeps its gate
 * open for vehicles close behind each other sees them in one episode, and the part of it
 * before what a camera passed over the line before v (another vehicle, a second look at one,
 * a camera's noise) had left the line was not v's. Returns t, or the latest such leaving of
 * the line (v's own arrival at most). */
double line_timeline_share_from(const line_timeline *tl, const line_vehicle *v, double t);

/* The mirror: when v's share of a camera episode that ended at t ends. The part of it after
 * what a camera passed over the line after v (another vehicle, a second look at one, a
 * camera's noise) came onto it was not v's. Returns t, or the earliest such coming onto the
 * line (v's own leaving it at least). */
double line_timeline_share_until(const line_timeline *tl, const line_vehicle *v, double t);

/* Whether another vehicle, pending (not a second look) or decided, was on the line while v
 * was. */
bool line_timeline_shares_line(const line_timeline *tl, const line_vehicle *v);

/* Whether a vehicle in `state` (LINE_PENDING or LINE_DECIDED) was on the line within
 * `within` seconds of time t. */
bool line_timeline_near(const line_timeline *tl, line_state state, double t, double within);

/* How many vehicles (pending but not a second look, or decided) had a passage of `camera`
 * crossing the line between t0 and t1. */
int line_timeline_passages_within(const line_timeline *tl, int camera, double t0, double t1);

/* Whether `text` went out in a kept vehicle's event, on the line within `within` s of t. */
bool line_timeline_published_near(const line_timeline *tl, const char *text, double t,
                                  double within);

/* Notes that v's event carried `text`, on the line at t_line. */
void line_vehicle_note_published(line_vehicle *v, const char *text, double t_line);

/* Evidence that one vehicle on the line was several: a plate read by a camera along the lane,
 * with the time it was on the line and whether the vehicle came towards the camera (the plate
 * is then its front, else its rear). */
typedef struct {
    int camera;
    double t_line;
    bool towards;
} line_plate_mark;

/* Where vehicle v was in fact several vehicles one behind the other; the boundaries, in
 * ascending order, go to `bounds` (at most max_bounds); returns how many (0: one vehicle).
 * Two kinds of evidence, the first that shows any: plates of one camera along the lane a
 * second or more apart on the line (each marks its own vehicle's front or rear), or, for a
 * vehicle measured longer than one that shared the line with no other, the widest gap of a
 * second or more between the times on the line of its reads (`read_times`, any order). */
int line_timeline_split(const line_timeline *tl, const line_vehicle *v,
                        const line_plate_mark *plates, int n_plates, const double *read_times,
                        int n_reads, double *bounds, int max_bounds);

/* Drops the decided vehicles (and second looks) that lay wholly before `horizon`: nothing
 * still open or pending reaches back to them. */
void line_timeline_forget(line_timeline *tl, double horizon);

/* The earliest first frame of a pending vehicle's passages (INFINITY: none pending). */
double line_timeline_pending_since(const line_timeline *tl);

#endif
