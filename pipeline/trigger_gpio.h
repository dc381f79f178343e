/*
 * trigger_gpio.h — the lane's presence sensor wired to a GPIO line (an induction loop's
 * detector output, a light curtain's relay): its level is the state, each edge a report.
 * libgpiod (v1) requests both edges; the line's event file descriptor is watched on the
 * daemon's GLib main loop, so no thread of its own. The edges' kernel timestamps are on
 * CLOCK_MONOTONIC (g_get_monotonic_time's clock, and GStreamer's system clock that the live
 * cameras' times count on).
 */
#ifndef GATECV_TRIGGER_GPIO_H
#define GATECV_TRIGGER_GPIO_H

#include <glib.h>

/* Called on the main loop for the level at start and for every edge, with its monotonic
 * time in µs. */
typedef void (*trigger_gpio_fn)(gboolean present, gint64 at_mono_us, void *user);

typedef struct trigger_gpio trigger_gpio;

/* Opens `chip` (a /dev/gpiochipN path), requests line `line` for both edges (active low when
 * asked: a low level is a vehicle present) and reports its level now. NULL + an error naming
 * the chip and line when that cannot be done. */
trigger_gpio *trigger_gpio_open(const char *chip, int line, gboolean active_low,
                                trigger_gpio_fn fn, void *user, GError **error);
void trigger_gpio_close(trigger_gpio *g);

#endif
