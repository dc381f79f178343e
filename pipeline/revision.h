/*
 * revision.h — what the revisions of one vehicle's event have told so far: the vehicle's
 * identity, how many revisions went out, and every plate and code they carried. A provisional
 * revision goes out while the vehicle is still pending; the clearance system may open a
 * barrier on a verified one, so no later revision may take back what it said: each carries
 * every item an earlier one carried (revisions_keep), the ones its own vote no longer counts
 * marked as such (lane_item_told) and left out of its verdict, except that a text that is no
 * longer the vehicle's at all makes it needs_review (verdict.c).
 *
 * Ownership: a vehicle_revisions lives in its line_vehicle (or on the stack for the later
 * parts of a split vehicle) and owns copies of the items told, without their evidence.
 */
#ifndef GATECV_REVISION_H
#define GATECV_REVISION_H

#include <stdbool.h>

#include <glib.h>

#include "lane_config.h"
#include "lane_fusion.h"

typedef struct {
    guint64 vehicle_id; /* 0 until its first revision goes out */
    int revision;       /* revisions gone out so far */
    int passages;       /* the vehicle's passages when a provisional was last considered */
    GArray *items;      /* lane_item: plates and codes told (evidence NULL), first told first */
    char *said;         /* what the last revision said (status and texts), or NULL */
} vehicle_revisions;

void revisions_init(vehicle_revisions *r);
void revisions_clear(vehicle_revisions *r);

/* Whether crossing c, about to go out as the next revision, says anything the last one did
 * not: its status or a text (the first revision always does). */
bool revisions_news(const vehicle_revisions *r, const lane_crossing *c);

/* Appends to c every plate and code an earlier revision told that c does not carry:
 * ITEM_OUTVOTED when `texts` (lane_text*, the vehicle's own now) still hold it, else
 * ITEM_UNCONFIRMED. Returns how many found no room in c (LANE_MAX_ITEMS). */
int revisions_keep(const vehicle_revisions *r, const lane_config *config, GPtrArray *texts,
                   lane_crossing *c);

/* Notes c as gone out: its revision number and every item it carried. */
void revisions_note(vehicle_revisions *r, const lane_crossing *c);

#endif
