/*
 * lane_config.h — the daemon's configuration: a GLib key file naming the gate, the
 * lane, the direction that counts as positive, and each camera (role, URI, ROI,
 * tripwire, calibration). Parsing checks every value and reports the first bad one
 * as "FILE:LINE: [group] key: what is wrong".
 *
 *   [gate]
 *   name=huu-nghi
 *   lane=freight-1
 *   positive_direction=VN_TO_CN      # VN_TO_CN or CN_TO_VN
 *
 *   [camera front]                   # one group per camera; the name follows "camera "
 *   role=front                       # front, rear, side-left, side-right, top (lane_role)
 *   uri=file:///data/front.mkv       # file://, rtsp:// (rtspt:// TCP, rtspu:// UDP), rtsps://,
 *                                    # http(s):// (MJPEG) or v4l2:///dev/videoN (must exist)
 *   roi=0,200,1280,520               # x,y,w,h of the lane in the image (default: all)
 *   tripwire=640,720,640,0           # x1,y1,x2,y2: see below (required unless the
 *                                    # calibration file gives it)
 *   calibration=/etc/gatecv/front.yml  # optional: the camera's calibration file (OpenCV
 *                                    # FileStorage YAML, calib/; README "Calibrating a
 *                                    # camera"). Must exist here; gatecvd loads and checks it
 *                                    # at start (lane_calib.h), takes from it the roi (its
 *                                    # roi_polygon's bounding box), tripwire and
 *                                    # metres_per_pixel this group leaves out (one given in
 *                                    # both is refused), checks its image size against the
 *                                    # camera's frames and undistorts the regions it reads
 *   metres_per_pixel=0.0064          # optional, side cameras: the size of one pixel at the
 *                                    # vehicle's side, along the lane (0.0001..1)
 *
 *   [fusion]                         # optional
 *   votes=2                          # agreeing reads a code needs (1..50, default 2)
 *   read_interval=5                  # at least N frames from one read of a camera to its
 *                                    # next (1..1000, default 5; frame_select.h)
 *   join_window=1.5                  # seconds two cameras' times over the line may lie
 *                                    # apart and be one vehicle (0.1..30, default 1.5)
 *   max_vehicle_m=28                 # a passage longer than this (measured by a camera with
 *                                    # metres_per_pixel) is not one vehicle (5..100, default 28)
 *   provisional=true                 # publish a provisional revision of a vehicle's event
 *                                    # before its final one (lane_fusion.h; default true)
 *
 *   [readers]                        # optional: the box's reader threads (reader_pool.h)
 *   threads=0                        # reader threads (0..64; default 0: one per core)
 *   backlog=16                       # frames waiting to be read at most (1..1000, default 16;
 *                                    # each holds a decoded frame: 3 MB at 1080p)
 *   max_wait_ms=3000                 # live or --realtime: a frame waiting this long is dropped
 *                                    # (0..600000, default 3000; 0: never)
 *   blank_full_pass=false            # true: a frame read for codes in which the coarse
 *                                    # detection saw no text is detected again at full scale
 *                                    # (small vertical codes; a still image's reader does it).
 *                                    # Default false: on the measured lanes it changed no
 *                                    # event and cost a third of the reading time (README)
 *
 *   [decoding]                       # optional
 *   threads=1                        # threads of each camera's video decoder (0..16; default
 *                                    # 1; 0: the decoder's own choice, one per core). Cameras
 *                                    # decode side by side: a decoder of its own threads per
 *                                    # camera holds more frames and costs more CPU (README)
 *
 *   [bus]                            # optional: publish over ZeroMQ (docs/bus.md)
 *   publish=tcp://0.0.0.0:7700             # PUB endpoint: crossing.<gate>.<lane>, health.<gate>.<lane>
 *   request=tcp://0.0.0.0:7701             # ROUTER endpoint: fetch, ack, status, manifest
 *   server_key=/etc/gatecv/keys/box.key_secret  # the box's secret certificate (gatecv-keygen)
 *   allowed_keys=/etc/gatecv/keys/allowed       # folder of the clients' public certificates
 *   insecure=false                   # true: plain TCP without keys (warned at start)
 *   health_interval=5                # seconds between health messages (1..3600)
 *   max_fetch=100                    # most events one fetch returns (1..10000)
 *   max_request_bytes=1048576        # a larger request gets an error reply (1024..67108864)
 *   consumers=clearance              # consumers whose unacknowledged events are kept (;-list)
 *
 *   [trigger]                        # optional: the lane controller's presence sensor at the
 *                                    # tripwire (loop, light curtain; lane_trigger.h)
 *   source=request                   # request: "trigger" requests on [bus] request (needs
 *                                    # [bus]); gpio: a GPIO line's level (needs the next three)
 *   gpio_chip=/dev/gpiochip0         # gpio: the chip's character device
 *   gpio_line=17                     # gpio: the line's offset on the chip (0..1023)
 *   active_low=false                 # gpio: true when a low level means a vehicle is present
 *   min_gap=0.5                      # seconds the line must be free to part two vehicles
 *                                    # (0..10, default 0.5; shorter: the sensor's chatter)
 *
 *   [journal]                        # optional (docs/bus.md, "Journal")
 *   dir=/var/lib/gatecv/journal      # default: OUT/journal
 *   max_mb=2048                      # size cap of all segments, MiB (0.01..10000000)
 *   max_age_days=30                  # acknowledged events older than this go (1..3650)
 *   segment_mb=64                    # start a new segment file past this size (0.01..1024)
 *   min_free_mb=256                  # disk space to leave free, MiB (0..1000000)
 *
 * The tripwire is the image of one physical line across the lane, the same line in
 * every camera, directed from (x1,y1) to (x2,y2): a vehicle passing from the left of it
 * to its right (as seen looking along it in the image) moves in positive_direction.
 * Example: tripwire=640,720,640,0 points up the image, so a vehicle crossing the screen
 * from left to right moves in positive_direction.
 *
 * A lane_config owns all its strings; free it with lane_config_free().
 */
#ifndef GATECV_LANE_CONFIG_H
#define GATECV_LANE_CONFIG_H

#include <glib.h>

#define LANE_MAX_CAMERAS 8

typedef enum { DIR_VN_TO_CN, DIR_CN_TO_VN } lane_direction;

typedef struct {
    int x, y, width, height; /* width 0 = the whole frame */
} lane_rect;

typedef struct {
    float x1, y1, x2, y2;
} lane_line;

/* Where a camera stands; what it can do follows from it (lane_role_can). */
typedef enum {
    LANE_ROLE_FRONT,
    LANE_ROLE_REAR,
    LANE_ROLE_SIDE_LEFT,
    LANE_ROLE_SIDE_RIGHT,
    LANE_ROLE_TOP,
} lane_role;

/* What a camera in a role can do. Reading costs 0.3-1 s a frame, so a camera reads only what
 * its view can show: plates from the front and the rear, codes from the sides, the rear doors
 * and above. The front and the rear look along the lane (they see vehicles one behind the
 * other); the sides look across it: they see a vehicle's whole length go over the line, so
 * they time it there and, with metres_per_pixel, measure it. */
typedef enum {
    LANE_CAN_READ_PLATES = 1 << 0,
    LANE_CAN_READ_CODES = 1 << 1,
    LANE_CAN_LOOK_ALONG = 1 << 2,
    LANE_CAN_MEASURE_LENGTH = 1 << 3,
} lane_capability;

typedef struct {
    char *name;     /* from the group name "camera NAME" */
    lane_role role; /* parsed once: nothing compares role names after lane_config_load */
    char *uri;
    lane_rect roi;
    lane_line tripwire;
    gboolean tripwire_given; /* by this file (else by the calibration file) */
    char *calibration;       /* NULL if none */
    double metres_per_pixel; /* along the lane at the vehicle; 0 = not given */
    struct camera_calib *calib; /* the calibration file's contents once lane_calib_apply has
                                 * loaded it (camera_calib.h), else NULL; owned, plain data */
} lane_camera;

/* [bus]: where and how events are published. */
typedef struct {
    gboolean enabled;      /* a [bus] group is present */
    char *publish;         /* PUB endpoint */
    char *request;         /* ROUTER endpoint */
    char *server_key;      /* the box's secret certificate, or NULL */
    char *allowed_keys;    /* folder of allowed clients' public certificates, or NULL */
    gboolean insecure;     /* plain TCP explicitly asked for */
    int health_interval;   /* seconds */
    int max_fetch;         /* events per fetch reply */
    int max_request_bytes; /* larger requests get an error reply */
    char **consumers;      /* registered consumers (NULL-terminated), or NULL */
} lane_bus_config;

/* [journal]: where events are kept and for how long. */
typedef struct {
    char *dir;     /* NULL: OUT/journal */
    double max_mb; /* MiB; fractions allowed (a small cap for tests) */
    int max_age_days;
    double segment_mb;  /* MiB */
    double min_free_mb; /* MiB */
} lane_journal_config;

/* [metrics]: the HTTP endpoint of /metrics and /healthz (metrics_http.h). */
typedef struct {
    char *host; /* an IP address; NULL: no endpoint (the default) */
    int port;
} lane_metrics_config;

/* [trigger]: the lane controller's presence sensor at the tripwire (lane_trigger.h). */
typedef enum {
    LANE_TRIGGER_NONE,    /* no [trigger] group: the fusion works from the cameras alone */
    LANE_TRIGGER_REQUEST, /* reports come as "trigger" requests on the bus's request endpoint */
    LANE_TRIGGER_GPIO,    /* reports come from a GPIO line's edges (libgpiod) */
} lane_trigger_source;

typedef struct {
    lane_trigger_source source;
    double min_gap;   /* seconds: a shorter gap is the sensor's chatter, not two vehicles */
    char *gpio_chip;  /* gpio: the chip's device, e.g. /dev/gpiochip0 */
    int gpio_line;    /* gpio: the line's offset on the chip */
    gboolean active_low; /* gpio: a low level means a vehicle is present */
} lane_trigger_config;

typedef struct {
    char *path;
    char *gate;
    char *lane;
    lane_direction positive;
    int n_cameras;
    lane_camera cameras[LANE_MAX_CAMERAS];
    int votes;
    int read_interval;
    int reader_threads; /* 0: one per core */
    int reader_backlog; /* frames */
    int decode_threads; /* per camera; 0: the decoder's own choice */
    int reader_max_wait_ms;
    double join_window;
    double max_vehicle_m;
    gboolean provisional; /* provisional revisions before the final event */
    gboolean blank_full_pass; /* codes: a frame blank at the coarse scale read at full scale */
    lane_bus_config bus;
    lane_journal_config journal;
    lane_metrics_config metrics;
    lane_trigger_config trigger;
} lane_config;

#define LANE_CONFIG_ERROR (lane_config_error_quark())
GQuark lane_config_error_quark(void);

/* Load and check the file; NULL and one-line error on the first problem. */
lane_config *lane_config_load(const char *path, GError **error);
/* The same parse and checks on text already in memory (len bytes; it ends at its first NUL),
 * errors naming `name` where lane_config_load names the file; config->path is `name`.
 * Relative paths in it (file:// URIs, calibration, keys) are checked as they stand. */
lane_config *lane_config_load_data(const char *data, gsize len, const char *name, GError **error);
void lane_config_free(lane_config *config);

const char *lane_direction_name(lane_direction d);

/* Parses a listen address, IP:PORT or [IPv6]:PORT (127.0.0.1:9464, [::1]:9464), into a
 * g_new'd host and a port 1..65535. Empty text (spaces only) is TRUE with *host NULL: off.
 * FALSE with `why` saying what is wrong (a static string). */
gboolean lane_parse_listen(const char *text, char **host, int *port, const char **why);

/* The role's name as the config spells it ("side-left"). */
const char *lane_role_name(lane_role role);

/* Whether a camera in `role` has every capability in `what` (LANE_CAN_ flags). */
gboolean lane_role_can(lane_role role, unsigned what);

/* Whether camera `camera` of `config` has every capability in `what` (by its role). */
gboolean lane_camera_can(const lane_config *config, int camera, unsigned what);

#endif
