/*
 * percentile.c — nearest-rank percentiles over an array the caller owns.
 */
#include "percentile.h"

#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double percentile(double *values, int n, double p)
{
    if (n <= 0)
        return 0;
    qsort(values, (size_t)n, sizeof *values, cmp_double);
    return values[(int)(p * (n - 1) + 0.5)];
}
