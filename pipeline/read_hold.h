/*
 * read_hold.h — one camera's observations, handed on in their order once their reads are
 * back.
 *
 * The camera's thread pushes every frame's observation (motion only) as it comes; a frame
 * sent to the readers is pushed as pending, and its reads arrive later, from a reader
 * thread, through read_hold_complete. The hold hands the observations on in frame order,
 * each with its reads: an observation waits for every pending one before it. So the lane
 * fusion sees a camera exactly as if it had read in line — a late read still lands in the
 * episode of its own frame, on the vehicle that was on the line then — and since a camera's
 * time in the fusion only moves past a frame once that frame's reads are in, no vehicle is
 * settled while a read of it is pending.
 *
 * Whoever makes the head ready hands it on: the camera's thread after a push, a reader
 * thread after completing; one at a time (the order is kept). The sink must not wait on the
 * readers (it is called on their threads).
 *
 * Thread-safe.
 */
#ifndef GATECV_READ_HOLD_H
#define GATECV_READ_HOLD_H

#include <stdbool.h>

#include "lane_fusion.h"

typedef struct read_hold read_hold;
typedef struct read_hold_item read_hold_item; /* a pending observation: its ticket */

typedef void (*read_hold_sink)(const lane_observation *o, void *user);

read_hold *read_hold_new(read_hold_sink sink, void *user);
/* Every pending observation must have been completed (read_hold_drain). */
void read_hold_free(read_hold *h);

/* Queues a copy of o (its reads and evidence are ignored) and hands on what is ready. When
 * `pending`, returns the ticket to complete it with; otherwise NULL. */
read_hold_item *read_hold_push(read_hold *h, const lane_observation *o, bool pending);

/* The pending observation's reads have come (n may be 0; `dropped`: it was never read). The
 * reads (g_new'd) and the reference on the evidence JPEG (may be NULL) are taken. Hands on
 * what is ready. */
void read_hold_complete(read_hold *h, read_hold_item *item, gatecv_read *reads, int n,
                        GBytes *evidence, bool dropped);

/* Waits until nothing is pending and everything is handed on (the camera has ended). */
void read_hold_drain(read_hold *h);

/* Observations queued and not yet handed on; of those, pending; and frames never read. */
guint read_hold_queued(read_hold *h);
guint read_hold_pending(read_hold *h);
guint64 read_hold_dropped(read_hold *h);

#endif
