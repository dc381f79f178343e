// gcv_internal.hpp — what the wrapper's C++ files share (defined in gcv.cpp): the per-thread
// error gcv_last_error() returns, and gcv_image <-> cv::Mat at the boundary. Not for C.
#ifndef GATECV_GCV_INTERNAL_HPP
#define GATECV_GCV_INTERNAL_HPP

#include <opencv2/core.hpp>

#include "gcv.h"

namespace gcv_detail {
void set_error_text(const char *text);
cv::Mat view(const gcv_image *img);   // a header over its pixels, no copy
gcv_image *from_mat(const cv::Mat &m); // a copy (8-bit, 1 or 3 channels)
bool valid_image(const gcv_image *img); // sets the error when not
} // namespace gcv_detail

#endif
