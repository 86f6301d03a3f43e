#!/usr/bin/python3
"""stats_reference.py - reference values for tests/unit/test_stats.c.

Not run by ctest: run it by hand (Debian 12: apt-get install python3-scipy
python3-numpy) when a series in test_stats.c changes, and paste what it
prints.  Every series below is spelled exactly as in test_stats.c.

Where the numbers come from:
  ols_slope, ols_r2   scipy.stats.linregress (slope, rvalue**2)
  ts_slope            scipy.stats.theilslopes (median of pairwise slopes)
  ts_lo, ts_hi        scipy.stats.theilslopes(alpha=0.10) where Hamed-Rao
                      leaves the variance alone (n/n* = 1) and times are
                      distinct; otherwise ci_bounds() below (Sen 1968 ranks,
                      as R trend::sens.slope) with the corrected variance
  mk_s, mk_var        mk() below, written from Mann (1945) / Kendall (1975);
                      S and Var(S) are checked against scipy.stats.kendalltau
                      (tau-b times its denominator is S; its asymptotic
                      p-value is 2 sf(|S| / sqrt(Var S)), no continuity
                      correction)
  mk_z, p             continuity-corrected Z, scipy.stats.norm.sf
  hr_ratio, *_hr      hamed_rao() below, following Hamed & Rao (1998) "A
                      modified Mann-Kendall trend test for autocorrelated
                      data", J. Hydrology 204:182-196, in the form of
                      pyMannKendall's hamed_rao_modification_test (rank ACF
                      of the Theil-Sen residuals, lags significant at 5 %),
                      on t instead of the sample index, clamped to >= 1
  saturation          theilslopes of each half (split at the time midpoint)
  percentile          numpy.percentile (default "linear" method)
"""

import math

import numpy as np
from scipy import stats


def c_round(x):
    """C's round(): halves away from zero (Python's round() goes to even)."""
    return math.copysign(math.floor(abs(x) + 0.5), x)


def ties(values):
    _, counts = np.unique(np.asarray(values, dtype=float), return_counts=True)
    return [int(u) for u in counts if u > 1]


def mk(t, y, q=None):
    """S and Var(S) with ties in y and in t (Kendall's variance)."""
    t = np.asarray(t, dtype=float)
    v = np.asarray(y, dtype=float)
    if q is not None:
        v = np.array([c_round(x / q) for x in v])
    n = len(v)
    s = 0
    for i in range(n):
        for j in range(n):
            if t[j] > t[i]:
                s += int(np.sign(v[j] - v[i]))
    tu, tv = ties(t), ties(v)
    var = (n * (n - 1) * (2 * n + 5)
           - sum(u * (u - 1) * (2 * u + 5) for u in tu)
           - sum(u * (u - 1) * (2 * u + 5) for u in tv)) / 18.0
    var += (sum(u * (u - 1) for u in tu) * sum(u * (u - 1) for u in tv)
            / (2.0 * n * (n - 1)))
    if n > 2:
        var += (sum(u * (u - 1) * (u - 2) for u in tu)
                * sum(u * (u - 1) * (u - 2) for u in tv)
                / (9.0 * n * (n - 1) * (n - 2)))
    # cross-check with scipy: same S (via tau-b) and same variance (via p)
    if len(set(v)) > 1 and len(set(t)) > 1:
        kt = stats.kendalltau(t, v, method='asymptotic')
        n0 = n * (n - 1) / 2
        n1 = sum(u * (u - 1) / 2 for u in tu)
        n2 = sum(u * (u - 1) / 2 for u in tv)
        assert abs(kt.statistic * math.sqrt((n0 - n1) * (n0 - n2)) - s) < 1e-9
        if s != 0:
            p = 2 * stats.norm.sf(abs(s) / math.sqrt(var))
            assert abs(kt.pvalue - p) <= 1e-12 * max(p, 1e-300), (kt.pvalue, p)
    return s, var


def z_of(s, var):
    if s == 0:
        return 0.0
    return (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var)


def slopes_of(t, y):
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    d = [(y[j] - y[i]) / (t[j] - t[i])
         for i in range(len(t)) for j in range(len(t)) if t[j] > t[i]]
    return np.sort(np.array(d))


def hamed_rao(t, y, b):
    """n/n* (not clamped), pyMannKendall's steps on residuals y - b t."""
    t = np.asarray(t, dtype=float) - min(t)
    y = np.asarray(y, dtype=float)
    n = len(y)
    order = np.argsort(t, kind='stable')
    r = (y - b * t)[order]
    ranks = stats.rankdata(r)
    c = ranks - ranks.mean()
    acov = np.correlate(c, c, 'full')[n - 1:] / n
    acf = acov / acov[0]
    bound = stats.norm.ppf(1 - 0.05 / 2) / math.sqrt(n)
    sni = 0.0
    for k in range(1, n):
        if abs(acf[k]) > bound:
            sni += (n - k) * (n - k - 1) * (n - k - 2) * acf[k]
    return 1 + 2.0 / (n * (n - 1) * (n - 2)) * sni


def ci_bounds(d, var, alpha=0.10):
    """Sen (1968) interval from the sorted slopes D, ranks as R's sens.slope."""
    nn = len(d)
    c = stats.norm.isf(alpha / 2) * math.sqrt(var)
    lo = min(max(c_round((nn - c) / 2), 1), nn)
    hi = min(max(c_round((nn + c) / 2) + 1, 1), nn)
    return d[int(lo) - 1], d[int(hi) - 1]


def saturation(t, y):
    t = np.asarray(t, dtype=float) - min(t)
    y = np.asarray(y, dtype=float)
    mid = t.max() / 2
    b1 = stats.theilslopes(y[t <= mid], t[t <= mid]).slope
    b2 = stats.theilslopes(y[t >= mid], t[t >= mid]).slope
    if b1 > 0:
        return b2 / b1
    if b2 > 0:
        return 1e9
    if b1 == 0 and b2 == 0:
        return None
    return -1e9 if b1 == 0 else b2 / b1


def report(name, t, y, q=None):
    t = [float(x) for x in t]
    y = [float(x) for x in y]
    n = len(t)
    tc = np.array(t) - min(t)
    lr = stats.linregress(tc, y)
    d = slopes_of(t, y)
    b = float(np.median(d))
    ts = stats.theilslopes(y, tc, alpha=0.10)
    assert ts.slope == b
    s, var = mk(t, y, q)
    s_raw, var_raw = mk(t, y) if q is not None else (s, var)
    ratio = max(1.0, hamed_rao(t, y, b))
    lo, hi = ci_bounds(d, var_raw * ratio)
    if ratio == 1.0 and len(set(t)) == n:
        assert (lo, hi) == (ts.low_slope, ts.high_slope), (lo, hi, ts)
    z = z_of(s, var)
    zh = z_of(s, var * ratio)
    out = {
        'ols_slope': lr.slope, 'ols_r2': lr.rvalue ** 2,
        'ts_slope': b, 'ts_lo': lo, 'ts_hi': hi,
        'mk_s': s, 'mk_var': var, 'tau': s / (n * (n - 1) / 2),
        'hr_ratio': ratio,
    }
    if n >= 10:
        out.update({
            'mk_z': z, 'mk_p_inc': stats.norm.sf(z), 'mk_p_dec': stats.norm.cdf(z),
            'mk_z_hr': zh, 'mk_p_inc_hr': stats.norm.sf(zh),
            'mk_p_dec_hr': stats.norm.cdf(zh),
        })
    out['saturation'] = saturation(t, y)
    print('/* %s%s */' % (name, '' if q is None else ' q=%r' % q))
    for k, v in out.items():
        print('\t%-12s %s' % (k, 'NULL' if v is None else repr(float(v))))


def ar1_series():
    """48 points: AR(1) noise (phi = 0.85) on a trend of 0.3 per step."""
    x, e_prev, ys = 12345, 0.0, []
    for i in range(48):
        x = (1103515245 * x + 12345) % 2 ** 31
        e = (x % 2001 - 1000) / 100
        e_prev = 0.85 * e_prev + e
        ys.append(0.3 * i + e_prev)
    return ys


SERIES_A = ([float(i) for i in range(12)], [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8])
B_DT = [0, 7, 15, 30, 31, 45, 61, 62, 80, 95, 97, 110, 125, 140, 141, 160,
        172, 180, 199, 215]
SERIES_B = ([1.7e9 + x for x in B_DT],
            [100.5, 101.25, 99.75, 103, 102.5, 104, 103.75, 106, 105.5, 107.25,
             106, 109, 108.5, 110, 111.75, 110.5, 113, 112.25, 115, 114.5])
SERIES_D = ([0, 0, 1, 2, 2, 2, 3, 4, 5, 5, 6, 7],
            [1, 2, 2, 3, 1, 4, 4, 5, 5, 6, 5, 7])
SERIES_E = (list(range(20)),
            [0, 3, 6, 8, 10, 12, 13, 14, 15, 16, 16.5, 17, 17.5, 17.75, 18, 18.25,
             18.5, 18.5, 18.75, 19])
SERIES_F = (list(range(16)), [5, 5, 4, 5, 5, 4, 5, 5, 5, 6, 7, 8, 10, 12, 13, 15])
G_JITTER = [0, 1024, -1024, 2048, 0, 3072, 1024, -2048, 0, 1024, 2048, 0]
SERIES_G = (list(range(12)), [1e6 + i * 40000 + j for i, j in enumerate(G_JITTER)])
# a sawtooth: strongly negative lag-1 autocorrelation, so n/n* < 1
SERIES_H = (list(range(20)), [0.1 * i + (5 if i % 2 == 0 else -5) for i in range(20)])

if __name__ == '__main__':
    print('/* AR(1) series C, as C literals */')
    print(', '.join(repr(v) for v in ar1_series()))
    report('A', *SERIES_A)
    report('B', *SERIES_B)
    report('C', list(range(48)), ar1_series())
    report('D', *SERIES_D)
    report('E', *SERIES_E)
    report('F', *SERIES_F)
    report('G', *SERIES_G)
    report('G', *SERIES_G, q=65536.0)
    report('H', *SERIES_H)
    t, y = SERIES_H
    b = float(np.median(slopes_of(t, y)))
    print('\tH raw n/n* %r' % hamed_rao(t, y, b))
    t, y = SERIES_B
    tc = np.array(t) - min(t)
    ts = stats.theilslopes(y, tc, alpha=0.05)
    print('/* B, 95 %% interval (scipy.stats.theilslopes alpha=0.05) */\n\t%r %r'
          % (ts.low_slope, ts.high_slope))
    print('/* percentile of 15 20 35 40 50 */')
    for p in (0, 10, 25, 40, 50, 75, 99.9, 100):
        print('\tp=%-5r %r' % (p, float(np.percentile([15, 20, 35, 40, 50], p))))
    print('\tmedian(1 2 3 4) %r' % float(np.median([1, 2, 3, 4])))
    print('\tp=33 of C %r' % float(np.percentile(ar1_series(), 33)))
    for a in (0.10, 0.05, 0.01, 1e-6):
        print('\tisf(%r/2) %r' % (a, float(stats.norm.isf(a / 2))))
