/* sub_catchup — the Clone pattern's catch-up (docs/bus.md, "Guarantees" 3 and 4): fetch
 * events from a seq on, in batches, until the box's journal has nothing newer, and report
 * events it no longer holds instead of skipping them. */
#ifndef GATECV_SUB_CATCHUP_H
#define GATECV_SUB_CATCHUP_H

#include "sub_session.h"

/* Fetches and handles (sub_session_event) every event from `from_seq` to the end of the
 * box's journal. Live messages arriving meanwhile are kept in s->live. Errors:
 * SUB_EXIT_GAP when events from `from_seq` on are no longer held, SUB_EXIT_REQUEST when a
 * fetch timed out or was refused. */
gboolean sub_catchup(sub_session *s, gint64 from_seq, GError **error);

#endif
