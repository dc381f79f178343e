/* sub_signal — SIGINT and SIGTERM end gatecv-sub between events.
 *
 * czmq's zsys would install its own handler (setting zsys_interrupted) on the first socket;
 * gatecv-sub switches that off and keeps one flag of its own, so that the rule is visible
 * here: the handler only sets the flag, and a blocking poll returns early (EINTR, no
 * SA_RESTART) so that the loops see it. */
#ifndef GATECV_SUB_SIGNAL_H
#define GATECV_SUB_SIGNAL_H

#include <glib.h>

/* Call before making any czmq socket. */
void sub_signal_install(void);

/* TRUE once SIGINT or SIGTERM came. */
gboolean sub_signal_stopped(void);

#endif
