/*
 * camera_track.h — one camera's view of the lane, and nothing of the other cameras: its
 * observations make motion episodes (a gate that closes for under EPISODE_GAP_S mid-vehicle
 * does not cut one in two); an episode that ends on the other side of the tripwire than it
 * came from is a passage (a side camera follows the vehicle ahead of a queue over the line,
 * not the next one moving up behind it), with its time over the line, its direction, its length in metres
 * (cameras with metres_per_pixel) and the frames that showed two vehicles with road between
 * them over the line; every text read during an episode is voted on (lane_text), and knows,
 * once the episode has closed, when it was itself on the line. The lane fusion joins the passages of
 * all cameras into vehicles on the line and gives each text to one of them.
 *
 * Ownership: a camera_track owns its open episode; an episode it hands out (closed) belongs
 * to the caller, who frees it with camera_episode_free(). An episode owns its texts until
 * they are moved out with camera_episode_move_texts().
 */
#ifndef GATECV_CAMERA_TRACK_H
#define GATECV_CAMERA_TRACK_H

#include <stdbool.h>

#include <glib.h>

#include "lane_config.h"
#include "lane_fusion.h"
#include "tripwire.h"

/* Motion again within this many seconds of an episode's last moving frame continues it: a
 * camera's gate can close for a moment in the middle of a vehicle (a low-contrast container
 * at night passing between its cab and its rear). */
#define EPISODE_GAP_S 0.6

/* Within that gap, a box that comes back as a sliver at the edge of the view the last box
 * was at, under this share of the view across that edge, is a vehicle coming in where the
 * last one went out (one vehicle going one way, the next the other way): a new episode.
 * A vehicle that blinked out mid-view comes back as wide as it was, and one whose middle
 * went by unseen comes back at the other edge. */
#define EPISODE_SLIVER 0.125

/* How one episode's motion boxes met the tripwire. */
typedef struct {
    double t_begin; /* its first box */
    int side_from;  /* -1 / +1: the side of the tripwire it came from; 0 = not yet */
    int side_now;   /* -1 / +1 wholly on a side, 0 over the line */
    int centre_now; /* -1 / +1: the side of the box's centre */
    double t_cross; /* when the box last reached the line from side_from */
    double t_clear; /* the last moment the box was over the line or past it */
    double t_touch; /* the first moment it was over the line */
    double t_off;   /* the last moment it was over the line (or first wholly past it) */
    bool touched;   /* it has been over the line (or past it) */
} line_track;

/* One camera's motion episode; a passage once it has crossed the tripwire. */
typedef struct {
    int camera;
    double t_first, t_last;
    double t_opened; /* its first frame: names the episode (t_first may move, take_other_side) */
    /* How its motion box met the tripwire. When the first box was already over the line (the
     * gate opened late: at night only a truck's lit rear may move in the view), the side it
     * came from is a guess, its centre's; `other` then follows the boxes from the first one
     * wholly on the other side, for the vehicle that came from there after all. */
    line_track line, other;
    bool first_over;                 /* the first box was over the line */
    bool plate_passed; /* ended on the side it came from, but a plate it read went over */
    float first_bottom, last_bottom; /* the motion box's lower edge, first and latest */
    lane_box last_box;               /* the motion box of its latest moving frame */
    lane_box line_box; /* the box its line track followed then: the vehicle ahead of a queue */
    int two_frames; /* frames with two vehicles, road between them, both over the line or past */
    GPtrArray *votes; /* lane_text*, one per text read (owned) */
    /* The speed along the lane (cameras with metres_per_pixel): the motion box's edges in the
     * previous moving frame, and every edge movement seen since, in pixels per second. */
    bool has_edges;
    float prev_lo, prev_hi;
    double prev_t;
    GArray *edge_speeds; /* float */
    double length_m;     /* camera_episode_length_m, once the episode has closed */
} camera_episode;

/* A time a live camera was down: from its last frame before the drop to its first after
 * (to = INFINITY while it is still down). */
typedef struct {
    double from, to;
} camera_outage;

/* One camera: its open episode and how long it has been watching. The fields are read by
 * the fusion; only camera_track_* functions change them. */
typedef struct {
    const lane_camera *cam;
    int index;              /* the camera's index in the lane config */
    int votes;              /* frames a plate needs to be evidence of a passage */
    camera_episode *open;   /* owned; NULL while nothing moves */
    double first_t, last_t; /* first and latest observation (first_t < 0: none yet) */
    bool done;              /* ended, or down (a live camera lost: it may come up again) */
    double done_t;          /* when it ended, if done */
    bool down;              /* a live camera lost, not yet back */
    GArray *outages;        /* camera_outage: when it was down (NULL: never) */
    float seen_lo, seen_hi; /* the furthest motion boxes reached along the lane */
} camera_track;

/* `votes`: the frames a plate must be read in to show its vehicle's passage by itself. */
void camera_track_init(camera_track *t, const lane_camera *cam, int index, int votes);
/* Frees the open episode, if any, and the outages. */
void camera_track_clear(camera_track *t);

/* One observation of this camera. Returns the episode it closed (the caller owns it), or
 * NULL. */
camera_episode *camera_track_observe(camera_track *t, const lane_observation *o);

/* Closes the open episode now, whatever the gate says (end of the stream); NULL if none. */
camera_episode *camera_track_close(camera_track *t);

/* The stream ended at `time`: the open episode is closed and returned (or NULL). */
camera_episode *camera_track_end(camera_track *t, double time);

/* A live camera was lost after its frame at `time`: like an end (its open episode is closed
 * and returned, or NULL; nothing waits for it), but it may come up again. */
camera_episode *camera_track_down(camera_track *t, double time);
/* The camera that was down delivers again from `time` on. */
void camera_track_up(camera_track *t, double time);
/* Whether the camera was down at some time between start and end. */
bool camera_track_down_during(const camera_track *t, double start, double end);
/* Whether the camera was running at some time between start and end. */
bool camera_track_watching(const camera_track *t, double start, double end);

void camera_episode_free(camera_episode *e);

/* Whether the closed episode is a passage: it ended on the side opposite the one it came
 * from, or a plate it read went over the line while its box was there. */
bool camera_episode_passed(const camera_episode *e);

/* The side the episode ends on (-1 / +1): +1, its right, is the positive direction. */
int camera_episode_side_at_end(const camera_episode *e);

/* Whether the episode's vehicle comes towards the camera: the bottom of its motion box,
 * where it meets the road, moved down the image (nearer the camera is lower in the view). */
bool camera_episode_coming_closer(const camera_episode *e);

/* Moves the episode's texts (lane_text*, each with its t_line once closed) to the end of
 * `into`, which owns them from then on; the episode has none left. */
void camera_episode_move_texts(camera_episode *e, GPtrArray *into);

#endif
