// gcv_camera.cpp — gcv_camera.h over OpenCV's calib3d, imgproc and videoio.
#include "gcv_camera.h"
#include "gcv_internal.hpp"

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>
#include <vector>

using gcv_detail::from_mat;
using gcv_detail::set_error_text;
using gcv_detail::valid_image;
using gcv_detail::view;

namespace {

void set_error(const std::string &what, const std::exception &e)
{
    set_error_text((what + ": " + e.what()).c_str());
}

cv::Mat camera(const double k[9])
{
    return cv::Mat(3, 3, CV_64F, const_cast<double *>(k)).clone();
}

cv::Mat distortion(const double *d, int n)
{
    return n > 0 ? cv::Mat(1, n, CV_64F, const_cast<double *>(d)).clone() : cv::Mat();
}

std::vector<cv::Point3f> board_points(int cols, int rows, double square)
{
    std::vector<cv::Point3f> p;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            p.emplace_back((float)(c * square), (float)(r * square), 0.f);
    return p;
}

} // namespace

struct gcv_undistort {
    cv::Mat map1, map2;     // fixed-point maps of the region, relative to the source rectangle
    cv::Rect region, source;
};

struct gcv_video {
    cv::VideoCapture cap;
};

extern "C" {

int gcv_find_chessboard(const gcv_image *img, int cols, int rows, gcv_point *corners)
{
    if (!valid_image(img))
        return -1;
    try {
        cv::Mat grey;
        cv::Mat src = view(img);
        if (src.channels() == 3)
            cv::cvtColor(src, grey, cv::COLOR_BGR2GRAY);
        else
            grey = src;
        std::vector<cv::Point2f> found;
        int flags = cv::CALIB_CB_ADAPTIVE_THRESH | cv::CALIB_CB_NORMALIZE_IMAGE;
        if (!cv::findChessboardCorners(grey, cv::Size(cols, rows), found, flags))
            return 0;
        cv::cornerSubPix(grey, found, cv::Size(5, 5), cv::Size(-1, -1),
                         cv::TermCriteria(cv::TermCriteria::EPS + cv::TermCriteria::COUNT, 40, 1e-4));
        for (size_t i = 0; i < found.size(); i++)
            corners[i] = {found[i].x, found[i].y};
        return 1;
    } catch (const std::exception &e) {
        set_error("findChessboardCorners", e);
        return -1;
    }
}

int gcv_calibrate_camera(const gcv_point *corners, int n_views, int cols, int rows,
                         double square_size, int width, int height, double camera_matrix[9],
                         double dist[5], double *rms)
{
    try {
        std::vector<std::vector<cv::Point3f>> object(n_views, board_points(cols, rows, square_size));
        std::vector<std::vector<cv::Point2f>> image(n_views);
        for (int v = 0; v < n_views; v++)
            for (int i = 0; i < cols * rows; i++)
                image[v].emplace_back(corners[v * cols * rows + i].x, corners[v * cols * rows + i].y);
        cv::Mat k, d;
        std::vector<cv::Mat> rvecs, tvecs;
        *rms = cv::calibrateCamera(object, image, cv::Size(width, height), k, d, rvecs, tvecs);
        for (int i = 0; i < 9; i++)
            camera_matrix[i] = k.at<double>(i / 3, i % 3);
        for (int i = 0; i < 5; i++)
            dist[i] = d.at<double>(0, i);
        return 0;
    } catch (const std::exception &e) {
        set_error("calibrateCamera", e);
        return -1;
    }
}

gcv_image *gcv_undistort_image(const gcv_image *src, const double camera_matrix[9],
                               const double *dist, int n_dist)
{
    if (!valid_image(src))
        return nullptr;
    try {
        cv::Mat out;
        cv::undistort(view(src), out, camera(camera_matrix), distortion(dist, n_dist));
        return from_mat(out);
    } catch (const std::exception &e) {
        set_error("undistort", e);
        return nullptr;
    }
}

gcv_undistort *gcv_undistort_new(const double camera_matrix[9], const double *dist, int n_dist,
                                 int frame_width, int frame_height, int x, int y, int width,
                                 int height)
{
    cv::Rect frame(0, 0, frame_width, frame_height), region(x, y, width, height);
    if (region.empty() || (region & frame) != region) {
        set_error_text("undistort: the region is not inside the frame");
        return nullptr;
    }
    try {
        // the full frame's maps (where each undistorted pixel comes from), fixed-point as
        // cv::undistort makes them; only the region's part is kept, its whole-pixel part
        // moved by the source rectangle's corner (exact: the fractions stay as they were)
        cv::Mat map1, map2;
        cv::Mat k = camera(camera_matrix);
        cv::initUndistortRectifyMap(k, distortion(dist, n_dist), cv::Mat(), k,
                                    cv::Size(frame_width, frame_height), CV_16SC2, map1, map2);
        map1 = map1(region).clone();
        map2 = map2(region).clone();
        std::vector<cv::Mat> xy;
        cv::split(map1, xy);
        double x0, x1, y0, y1;
        cv::minMaxLoc(xy[0], &x0, &x1);
        cv::minMaxLoc(xy[1], &y0, &y1);
        int sx0 = std::max(0, ((int)x0 - 1) & ~1);
        int sy0 = std::max(0, ((int)y0 - 1) & ~1);
        int sx1 = std::min(frame_width, (int)x1 + 2);
        int sy1 = std::min(frame_height, (int)y1 + 2);
        if (sx1 <= sx0 || sy1 <= sy0) {
            set_error_text("undistort: the region comes from outside the frame");
            return nullptr;
        }
        // even sizes too: 4:2:0 conversion (gcv_yuv420_to_bgr) gives no odd ones
        if ((sx1 - sx0) & 1)
            sx1 += sx1 < frame_width ? 1 : -1;
        if ((sy1 - sy0) & 1)
            sy1 += sy1 < frame_height ? 1 : -1;
        map1 -= cv::Scalar(sx0, sy0);
        gcv_undistort *u = new gcv_undistort;
        u->region = region;
        u->source = cv::Rect(sx0, sy0, sx1 - sx0, sy1 - sy0);
        u->map1 = map1;
        u->map2 = map2;
        return u;
    } catch (const std::exception &e) {
        set_error("undistort maps", e);
        return nullptr;
    }
}

void gcv_undistort_free(gcv_undistort *u)
{
    delete u;
}

void gcv_undistort_source(const gcv_undistort *u, int *x, int *y, int *width, int *height)
{
    *x = u->source.x;
    *y = u->source.y;
    *width = u->source.width;
    *height = u->source.height;
}

gcv_image *gcv_undistort_apply(const gcv_undistort *u, const gcv_image *source)
{
    if (!valid_image(source))
        return nullptr;
    if (source->width != u->source.width || source->height != u->source.height) {
        set_error_text("undistort: the source is not the rectangle the region needs");
        return nullptr;
    }
    try {
        cv::Mat out;
        // outside the frame is black, as cv::undistort leaves it
        cv::remap(view(source), out, u->map1, u->map2, cv::INTER_LINEAR, cv::BORDER_CONSTANT);
        return from_mat(out);
    } catch (const std::exception &e) {
        set_error("remap", e);
        return nullptr;
    }
}

gcv_image *gcv_render_chessboard(int width, int height, const double camera_matrix[9],
                                 const double *dist, int n_dist, const double rvec[3],
                                 const double tvec[3], int cols, int rows, double square)
{
    try {
        // every subpixel's ray back to the board plane: undistort its position, then the
        // inverse of the plane's homography [r1 r2 t]
        const int ss = 2;
        std::vector<cv::Point2f> px;
        px.reserve((size_t)width * height * ss * ss);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int j = 0; j < ss; j++)
                    for (int i = 0; i < ss; i++)
                        px.emplace_back(x + (i + 0.5f) / ss - 0.5f, y + (j + 0.5f) / ss - 0.5f);
        std::vector<cv::Point2f> norm;
        cv::undistortPoints(px, norm, camera(camera_matrix), distortion(dist, n_dist), cv::noArray(),
                            cv::noArray(),
                            cv::TermCriteria(cv::TermCriteria::COUNT + cv::TermCriteria::EPS, 20, 1e-10));
        cv::Mat r;
        cv::Rodrigues(cv::Mat(3, 1, CV_64F, const_cast<double *>(rvec)), r);
        cv::Matx33d h(r.at<double>(0, 0), r.at<double>(0, 1), tvec[0], r.at<double>(1, 0),
                      r.at<double>(1, 1), tvec[1], r.at<double>(2, 0), r.at<double>(2, 1), tvec[2]);
        cv::Matx33d inv = h.inv();
        cv::Mat out(height, width, CV_8UC1);
        size_t n = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                int sum = 0;
                for (int s = 0; s < ss * ss; s++, n++) {
                    cv::Vec3d b = inv * cv::Vec3d(norm[n].x, norm[n].y, 1.0);
                    double bx = b[0] / b[2] / square, by = b[1] / b[2] / square;
                    int level = 128; // background
                    if (b[2] > 0 && bx >= -2 && bx < cols + 1 && by >= -2 && by < rows + 1) {
                        int cx = (int)std::floor(bx), cy = (int)std::floor(by);
                        bool border = cx < -1 || cx >= cols || cy < -1 || cy >= rows;
                        level = border || ((cx + cy) & 1) ? 255 : 0;
                    }
                    sum += level;
                }
                out.at<uchar>(y, x) = (uchar)(sum / (ss * ss));
            }
        return from_mat(out);
    } catch (const std::exception &e) {
        set_error("render chessboard", e);
        return nullptr;
    }
}

gcv_video *gcv_video_open(const char *path)
{
    try {
        gcv_video *v = new gcv_video;
        if (!v->cap.open(path)) {
            delete v;
            set_error_text("cannot open the video");
            return nullptr;
        }
        return v;
    } catch (const std::exception &e) {
        set_error("VideoCapture", e);
        return nullptr;
    }
}

gcv_image *gcv_video_next(gcv_video *v)
{
    try {
        cv::Mat frame;
        if (!v->cap.read(frame) || frame.empty())
            return nullptr;
        return from_mat(frame);
    } catch (const std::exception &e) {
        set_error("VideoCapture", e);
        return nullptr;
    }
}

void gcv_video_free(gcv_video *v)
{
    delete v;
}

} // extern "C"
