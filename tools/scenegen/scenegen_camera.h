/*
 * scenegen_camera.h — the four lane cameras of gatecv-scenegen and what each sees.
 *
 * Each camera is a pinhole with a shifted principal point (a "shift lens"): faces of
 * the vehicles that look at the camera stay axis-aligned rectangles in the camera's
 * rectified image, which keeps drawing cheap. A fixed homography per camera (`warp`)
 * then maps the rectified image to the output image: the mild perspective of a camera
 * on a pole. All image coordinates below are rectified unless a name says "output".
 *
 *   front       over the lane at x = +9 m, looking back towards -x: sees VN_TO_CN
 *               vehicles come (their front grows), CN_TO_VN vehicles leave (their rear)
 *   rear        low, at x = -21 m, looking towards +x: sees VN_TO_CN rears leave towards
 *               the gate building 30 m away, CN_TO_VN fronts come out of it
 *   side-left   6.5 m left of the lane (left of VN_TO_CN traffic), looking across it at
 *               x = 0: VN_TO_CN vehicles slide right-to-left, front first
 *   side-right  the mirror: 6.5 m right of the lane, VN_TO_CN vehicles slide left-to-right
 *
 * A camera's scene at time t is a list of items (a face of a section, or a roof) in
 * painter's order, far to near. The coarse visibility raster says how much of each
 * vehicle is really seen (occlusion included), for the ground truth and the schedule.
 *
 * Pure arithmetic: no pixels are drawn here. Nothing is allocated except where noted.
 */
#ifndef GATECV_SCENEGEN_CAMERA_H
#define GATECV_SCENEGEN_CAMERA_H

#include "scenegen_world.h"

typedef enum { SG_CAM_FRONT, SG_CAM_REAR, SG_CAM_SIDE_LEFT, SG_CAM_SIDE_RIGHT, SG_N_CAMERAS } sg_role;

const char *sg_role_name(sg_role r); /* "front", "rear", "side-left", "side-right" */
bool sg_role_parse(const char *s, sg_role *out);

typedef struct {
    sg_role role;
    int width, height;
    double f, cx, cy; /* focal length and principal point, px */
    double mount_h;   /* camera height above the road, m */
    double pos;       /* front/rear: world x of the camera; sides: lateral distance to the lane centre */
    int look;         /* front/rear: the camera looks towards +x (1) or -x (-1);
                         sides: image x grows with world x (1) or shrinks (-1) */
    double d_clip;    /* nearer than this, a face is not drawn (front/rear) */
    double d_max;     /* farther than this, nothing is drawn (front/rear) */
    double tripwire_x; /* world x of the line the tripwire is drawn on (front/rear): the
                          crossing line x = 0, the same physical line in every camera */
    double warp[9];   /* rectified image -> output image, row-major */
} sg_camera;

void sg_camera_init(sg_camera *cam, sg_role role, int width, int height);

/* True for the front and rear cameras (they look along the lane). */
bool sg_camera_along(const sg_camera *cam);

/* Maps a rectified point to the output image. */
gcv_point sg_camera_to_output(const sg_camera *cam, gcv_point p);

typedef enum { SG_FACE_FRONT, SG_FACE_REAR, SG_FACE_LEFT, SG_FACE_RIGHT, SG_FACE_TOP } sg_face;

typedef struct {
    int vehicle; /* index into the vehicles given */
    int section;
    sg_face face;
    gcv_point quad[4]; /* rectified: top-left, top-right, bottom-right, bottom-left */
    double depth;      /* distance to the camera, m (for sorting) */
    double px_per_m;   /* scale of the face in the rectified image (faces only) */
} sg_item;

/* Upper bound of the items of n vehicles. */
int sg_scene_capacity(int n_vehicles);

/* The items `cam` sees at world time t of the n vehicles, far to near, into out
 * (room for sg_scene_capacity(n)). Returns how many. */
int sg_camera_scene(const sg_camera *cam, const sg_vehicle *vehicles, int n, double t, sg_item *out);

/* Coarse visibility: on a grid over the output image, paints the items in order and
 * counts, per vehicle, the cells it owns at the end (cells[v] for v < n_vehicles). */
#define SG_VIS_COLS 96
#define SG_VIS_ROWS 54
#define SG_VIS_MIN_CELLS 13 /* about 0.25% of the image: less is "not in view" */
void sg_camera_visibility(const sg_camera *cam, const sg_item *items, int n_items, int *cells,
                          int n_vehicles);

/* The lane's part of the output image: x, y, w, h. */
void sg_camera_roi(const sg_camera *cam, int roi[4]);
/* The output-image tripwire x1, y1, x2, y2: a vehicle moving VN_TO_CN passes from the
 * left of the directed line (x1,y1)->(x2,y2) to its right, left and right as seen on
 * the screen (y down). Front/rear: the line x = tripwire_x on the road; sides: the
 * vertical line through the image centre (world x = 0). */
void sg_camera_tripwire(const sg_camera *cam, int line[4]);
/* Side cameras: the size of one image pixel along the lane at the side of a truck (2.5 m
 * wide, in the middle of the lane), in metres; 0 for front and rear cameras. */
double sg_camera_metres_per_pixel(const sg_camera *cam);

/* Solves the homography taking src[i] to dst[i] (4 points); false if degenerate. */
bool sg_homography(const gcv_point src[4], const gcv_point dst[4], double h[9]);
gcv_point sg_homography_apply(const double h[9], gcv_point p);

#endif /* GATECV_SCENEGEN_CAMERA_H */
