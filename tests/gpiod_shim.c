/*
 * gpiod_shim — a test double of the GPIO hardware for gatecvd's [trigger] source=gpio, loaded
 * with LD_PRELOAD in front of libgpiod (v1): no machine that runs the tests has a GPIO chip, and
 * the kernel's gpio-sim cannot be loaded in a container. It implements the libgpiod calls that
 * trigger_gpio.c makes, over a FIFO instead of a chip:
 *
 *   GPIOD_SHIM_FIFO=PATH   each line written to it is one edge: "1" rising, "0" falling
 *   GPIOD_SHIM_LEVEL=0|1   the line's level when it is requested (default 0)
 *
 * An edge's time stamp is CLOCK_MONOTONIC when it is read, as the kernel stamps a real one.
 * gpiod_chip_open fails (ENOENT) for a path that does not exist, as the real one does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gpiod.h>

static int fifo_fd = -1;
static int the_chip, the_line; /* their addresses stand for the chip and the line */

struct gpiod_chip *gpiod_chip_open(const char *path)
{
    if (access(path, F_OK) != 0) {
        errno = ENOENT;
        return NULL;
    }
    return (struct gpiod_chip *)&the_chip;
}

void gpiod_chip_close(struct gpiod_chip *chip)
{
    (void)chip;
}

struct gpiod_line *gpiod_chip_get_line(struct gpiod_chip *chip, unsigned int offset)
{
    (void)chip;
    (void)offset;
    return (struct gpiod_line *)&the_line;
}

int gpiod_line_request_both_edges_events_flags(struct gpiod_line *line, const char *consumer,
                                               int flags)
{
    (void)line;
    (void)consumer;
    (void)flags;
    const char *path = getenv("GPIOD_SHIM_FIFO");
    fifo_fd = path ? open(path, O_RDONLY | O_NONBLOCK) : -1;
    return fifo_fd >= 0 ? 0 : -1;
}

int gpiod_line_get_value(struct gpiod_line *line)
{
    (void)line;
    const char *level = getenv("GPIOD_SHIM_LEVEL");
    return level && strcmp(level, "1") == 0;
}

int gpiod_line_event_get_fd(struct gpiod_line *line)
{
    (void)line;
    return fifo_fd;
}

/* One edge: the next "0" or "1" of the FIFO (a newline or other byte is skipped). */
int gpiod_line_event_read(struct gpiod_line *line, struct gpiod_line_event *event)
{
    (void)line;
    char c = 0;
    ssize_t n;
    while ((n = read(fifo_fd, &c, 1)) == 1 && c != '0' && c != '1')
        ;
    if (n != 1) {
        errno = n == 0 ? EIO : errno;
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &event->ts);
    event->event_type = c == '1' ? GPIOD_LINE_EVENT_RISING_EDGE : GPIOD_LINE_EVENT_FALLING_EDGE;
    return 0;
}

void gpiod_line_release(struct gpiod_line *line)
{
    (void)line;
    if (fifo_fd >= 0)
        close(fifo_fd);
    fifo_fd = -1;
}
