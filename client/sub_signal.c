/* sub_signal — the stop flag set by SIGINT and SIGTERM (see sub_signal.h). */
#include "sub_signal.h"

#include <signal.h>
#include <string.h>

#include <czmq.h>

static volatile sig_atomic_t stopped;

static void on_signal(int signum)
{
    (void)signum;
    stopped = 1;
}

void sub_signal_install(void)
{
    zsys_handler_set(NULL); /* no czmq handler: ours below */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: zmq_poll returns with EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

gboolean sub_signal_stopped(void)
{
    return stopped != 0;
}
