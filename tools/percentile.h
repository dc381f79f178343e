/*
 * percentile.h — the percentile of a set of timings, for the tools' reports.
 */
#ifndef GATECV_PERCENTILE_H
#define GATECV_PERCENTILE_H

/* The p-th quantile (0..1, nearest rank) of n values; sorts `values` in place. 0 if n == 0. */
double percentile(double *values, int n, double p);

#endif
