/*
 * assign.h — which vehicle each text belongs to. Every text read (lane_text: one camera's
 * votes for one plate or code in one episode) knows when it was itself on the line; it goes
 * to the vehicle that was on the line then (line_timeline), within ASSIGN_CLAIM_S and nearer
 * it than to any other vehicle, whichever camera episode it was read in: an episode may have
 * held two vehicles, or made no passage at all. A valid text (or an AGV's fleet number) read
 * in `votes` frames that no vehicle claimed within ASSIGN_KEEP_S becomes a vehicle of its own
 * on the timeline, seen only by its reads, and is published like any other; other unclaimed
 * texts are logged and dropped.
 *
 * Ownership: the pool owns the texts no vehicle has claimed yet; a claim hands them to the
 * caller.
 */
#ifndef GATECV_ASSIGN_H
#define GATECV_ASSIGN_H

#include <stdbool.h>

#include <glib.h>

#include "camera_track.h"
#include "lane_config.h"
#include "lane_text.h"
#include "line_timeline.h"

/* How far (seconds) a text's time on the line may lie from its vehicle's span. */
#define ASSIGN_CLAIM_S 2.0
/* How long (seconds of every camera's time) an unclaimed text waits for its vehicle. */
#define ASSIGN_KEEP_S 30.0

typedef struct text_pool text_pool;

text_pool *text_pool_new(const lane_config *config);
void text_pool_free(text_pool *pool);

/* A closed episode's texts join the pool, whether it was a passage or not. */
void text_pool_add_episode(text_pool *pool, camera_episode *e);

/* Whether an open episode holds a text that will be on the line within ASSIGN_CLAIM_S of
 * vehicle v (a text still read on the side it came from reaches the line after `now`, the
 * camera's latest time). */
bool assign_open_texts_near(const camera_episode *e, const line_vehicle *v, double now);

/* The texts that vehicle v claims: those on the line within ASSIGN_CLAIM_S of its span and
 * nearer it than to any other vehicle — on the timeline, or the next one on the line in a
 * camera's open episode since after v left it; a container code between two vehicles, on the
 * line with neither, is the one's its true time leans to (line_lean: a camera along the lane
 * sees a code high on its container reach the line late when it comes towards the camera,
 * early when it goes away), and never goes to a vehicle it leans away from. They leave the
 * pool; the caller owns the array (the same text of the same camera read in two episodes is
 * one, its frames added). */
GPtrArray *assign_claim(text_pool *pool, const line_timeline *tl, const line_vehicle *v,
                        const camera_track *cams, int n_cameras);

/* The texts assign_claim would hand vehicle v now, as copies (with their evidence): the pool
 * keeps its own. What a provisional revision of a vehicle still pending is made from. */
GPtrArray *assign_peek(const text_pool *pool, const line_timeline *tl, const line_vehicle *v,
                       const camera_track *cams, int n_cameras);

/* Called for each vehicle seen only by its reads: `texts` are its own (owned by the pool). */
typedef void (*assign_vehicle_fn)(line_vehicle *v, GPtrArray *texts, void *user);

/* Texts no vehicle claimed for ASSIGN_KEEP_S of every camera's time (`slowest`), or all of
 * them when `all`: a valid one (or a fleet number) with `votes` frames, not near a vehicle
 * already decided and not published with one lately, becomes a vehicle seen only by its reads
 * (those within ASSIGN_CLAIM_S of each other on the line are one), added to the timeline and
 * handed to fn; the rest are logged and dropped. Texts still near a pending vehicle wait. */
void assign_expire(text_pool *pool, line_timeline *tl, double slowest, bool all,
                   assign_vehicle_fn fn, void *user);

/* Notes the texts as published with vehicle v: a second sighting of them is no new vehicle. */
void assign_note_published(line_vehicle *v, GPtrArray *texts);

#endif
