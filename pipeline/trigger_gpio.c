/*
 * trigger_gpio.c — a GPIO line's edges as presence reports (see trigger_gpio.h). Owns the
 * chip, the line request and the fd watch.
 */
#define G_LOG_DOMAIN "gatecvd"
#include "trigger_gpio.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <gpiod.h>

#define CONSUMER "gatecvd"

struct trigger_gpio {
    struct gpiod_chip *chip;
    struct gpiod_line *line;
    guint watch;
    trigger_gpio_fn fn;
    void *user;
};

/* A kernel CLOCK_MONOTONIC time stamp in µs, as g_get_monotonic_time counts. */
static gint64 monotonic_us(const struct timespec *ts)
{
    return (gint64)ts->tv_sec * G_USEC_PER_SEC + ts->tv_nsec / 1000;
}

static gboolean on_edge(gint fd, GIOCondition cond, gpointer user)
{
    (void)fd;
    (void)cond;
    trigger_gpio *g = user;
    struct gpiod_line_event ev;
    if (gpiod_line_event_read(g->line, &ev) < 0) {
        g_warning("lane trigger: cannot read the GPIO line's event: %s; its reports stop",
                  g_strerror(errno));
        g->watch = 0;
        return G_SOURCE_REMOVE;
    }
    /* with the active-low flag the kernel reports edges of the line's logical value */
    g->fn(ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE, monotonic_us(&ev.ts), g->user);
    return G_SOURCE_CONTINUE;
}

trigger_gpio *trigger_gpio_open(const char *chip, int line, gboolean active_low,
                                trigger_gpio_fn fn, void *user, GError **error)
{
    trigger_gpio *g = g_new0(trigger_gpio, 1);
    g->fn = fn;
    g->user = user;
    const char *step = "cannot open it as a GPIO chip";
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    int value = -1;
    if ((g->chip = gpiod_chip_open(chip)) && (step = "no such line on it") &&
        (g->line = gpiod_chip_get_line(g->chip, (unsigned)line)) &&
        (step = "cannot request its edges (is the line in use?)") &&
        gpiod_line_request_both_edges_events_flags(g->line, CONSUMER, flags) == 0 &&
        (step = "cannot read its level") && (value = gpiod_line_get_value(g->line)) >= 0) {
        g->watch = g_unix_fd_add(gpiod_line_event_get_fd(g->line), G_IO_IN, on_edge, g);
        g_message("lane trigger: GPIO %s line %d%s, a vehicle %s now", chip, line,
                  active_low ? " (active low)" : "", value ? "present" : "not present");
        fn(value == 1, g_get_monotonic_time(), user);
        return g;
    }
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "[trigger] gpio_chip=%s "
                "gpio_line=%d: %s: %s", chip, line, step, g_strerror(errno));
    trigger_gpio_close(g);
    return NULL;
}

void trigger_gpio_close(trigger_gpio *g)
{
    if (!g)
        return;
    if (g->watch)
        g_source_remove(g->watch);
    if (g->line)
        gpiod_line_release(g->line);
    if (g->chip)
        gpiod_chip_close(g->chip);
    g_free(g);
}
