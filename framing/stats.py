"""Group comparisons that stay honest at any size: bootstrap CIs, effect sizes, permutation tests, BH.

Pure functions of arrays (numpy/scipy), deterministic for a given ``seed``.
The design follows the standard small-sample toolkit of the field:

* percentile bootstrap confidence intervals (Efron & Tibshirani 1993), resampling
  whole *clusters* (documents, or outlets) when given, so one prolific source
  cannot dominate (Field & Welsh 2007, cluster bootstrap);
* Cliff's delta (Cliff 1993), a rank effect size that needs no distributional
  assumption, and Hedges' g (Hedges 1981) with the small-sample correction;
* two-sided permutation p-values, *exact* (full enumeration of labelings) when
  the number of labelings is small and Monte Carlo with the ``(b + 1) / (m + 1)``
  estimator (Phipson & Smyth 2010) otherwise;
* Benjamini-Hochberg (1995) false discovery rate q-values across features.

:func:`compare_groups` combines them into one tidy table per (feature, group).
With fewer than two documents in a group nothing is tested: the row says so.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "COMPARE_COLUMNS",
    "ONE_DOC_NOTE",
    "benjamini_hochberg",
    "bootstrap_ci",
    "cliffs_delta",
    "compare_groups",
    "hedges_g",
    "min_achievable_pvalue",
    "n_labelings",
    "permutation_pvalue",
]

NAN = float("nan")

#: Columns of :func:`compare_groups`, in order.
COMPARE_COLUMNS = ("feature", "group", "n_docs", "mean", "median", "ci_low", "ci_high", "reference",
                   "cliffs_delta", "hedges_g", "p", "q", "note")

#: The note on a row whose group (or reference) has a single document.
ONE_DOC_NOTE = "1 document: no test, see per-document values"

#: Above this many labelings the permutation test is Monte Carlo instead of exact.
_EXACT_LIMIT_DEFAULT = 5000


# ---------------------------------------------------------------------------
# helpers

def _as_float_array(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=float).ravel()


def _drop_nan(values: np.ndarray, clusters: Sequence[Hashable] | None) -> tuple[np.ndarray, np.ndarray | None]:
    keep = ~np.isnan(values)
    if clusters is None:
        return values[keep], None
    cl = np.asarray(clusters, dtype=object).ravel()
    if len(cl) != len(values):
        raise ValueError(f"clusters has {len(cl)} labels for {len(values)} values")
    return values[keep], cl[keep]


def _cluster_codes(clusters: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer codes 0..k-1 for cluster labels, in order of first appearance."""
    codes, uniques = pd.factorize(pd.Series(clusters, dtype=object), sort=False)
    return codes.astype(int), len(uniques)


def _statistic(name: str):
    if name == "mean":
        return np.mean
    if name == "median":
        return np.median
    raise ValueError(f"statistic must be 'mean' or 'median', not {name!r}")


# ---------------------------------------------------------------------------
# bootstrap

def bootstrap_ci(values: Any, statistic: str = "mean", n_boot: int = 2000, level: float = 0.95, seed: int = 0,
                 clusters: Sequence[Hashable] | None = None) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of the mean or median.

    Parameters
    ----------
    values : array-like of float
        One value per observation (NaNs are dropped, with their cluster labels).
    statistic : {"mean", "median"}
        The statistic whose sampling variability is estimated.
    n_boot : int
        Number of bootstrap resamples.
    level : float
        Coverage, e.g. 0.95 for a 95 % interval.
    seed : int
        Seed of the random generator: the same inputs and seed give the same interval.
    clusters : sequence, optional
        A cluster label per value (document id, outlet). Whole clusters are drawn
        with replacement and the statistic is computed over the pooled values of
        the drawn clusters (cluster bootstrap), so a cluster with many values
        counts as one unit of evidence.

    Returns
    -------
    (low, high) : tuple of float
        ``(nan, nan)`` with fewer than two observations (or two clusters): one
        value says nothing about variability. With very few units the interval is
        crude (n = 3 has only 10 distinct resamples); :func:`compare_groups` notes it.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    x, cl = _drop_nan(_as_float_array(values), clusters)
    stat = _statistic(statistic)
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    if cl is None:
        if len(x) < 2:
            return NAN, NAN
        boot = stat(x[_resample_indices(len(x), n_boot, seed)], axis=1)
    else:
        codes, k = _cluster_codes(cl)
        if k < 2:
            return NAN, NAN
        picks = rng.integers(0, k, size=(n_boot, k))
        if statistic == "mean":
            sums = np.bincount(codes, weights=x, minlength=k)
            counts = np.bincount(codes, minlength=k).astype(float)
            boot = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
        else:
            members = [x[codes == c] for c in range(k)]
            boot = np.array([stat(np.concatenate([members[c] for c in row])) for row in picks])
    low, high = np.quantile(boot, [alpha, 1 - alpha])
    return float(low), float(high)


@lru_cache(maxsize=4)
def _resample_indices(n: int, n_boot: int, seed: int) -> np.ndarray:
    """The (n_boot x n) resample index matrix for a seed; cached because every feature reuses it."""
    idx = np.random.default_rng(seed).integers(0, n, size=(n_boot, n))
    idx.flags.writeable = False
    return idx


def _distinct_resamples(n: int) -> int:
    """Number of distinct bootstrap resamples (multisets) of ``n`` units: C(2n-1, n)."""
    return math.comb(2 * n - 1, n)


# ---------------------------------------------------------------------------
# effect sizes

def cliffs_delta(a: Any, b: Any) -> float:
    """Cliff's delta: P(a > b) - P(a < b) over all pairs (Cliff 1993).

    Returns a float in [-1, 1]; positive = values of ``a`` tend to be larger,
    1 = every ``a`` exceeds every ``b``. NaN when either group is empty.
    NaNs are dropped. O((n + m) log m) via sorting, so fine for large groups.
    """
    x = _as_float_array(a)
    y = np.sort(_as_float_array(b))
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if len(x) == 0 or len(y) == 0:
        return NAN
    below = np.searchsorted(y, x, side="left")   # number of b strictly smaller than each a
    not_above = np.searchsorted(y, x, side="right")  # number of b <= each a
    greater = below.sum()
    less = (len(y) - not_above).sum()
    return float((greater - less) / (len(x) * len(y)))


def hedges_g(a: Any, b: Any) -> float:
    """Hedges' g: standardised mean difference (mean(a) - mean(b)) / pooled SD, bias-corrected.

    Positive = ``a`` has the larger mean. Pooled SD uses ``n_a + n_b - 2`` degrees
    of freedom and the correction factor ``J = 1 - 3 / (4 (n_a + n_b) - 9)``
    (Hedges 1981). A group of one contributes no variance, so with 1 vs 3 the
    scale is the other group's SD (descriptive only). NaN when undefined: either
    group empty, fewer than one degree of freedom, or zero pooled SD.
    """
    x = _as_float_array(a)
    y = _as_float_array(b)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    na, nb = len(x), len(y)
    dof = na + nb - 2
    if na == 0 or nb == 0 or dof < 1:
        return NAN
    ss = ((x - x.mean()) ** 2).sum() + ((y - y.mean()) ** 2).sum()
    sd = math.sqrt(ss / dof)
    if sd == 0 or not math.isfinite(sd):
        return NAN
    correction = 1 - 3 / (4 * (na + nb) - 9)
    return float((x.mean() - y.mean()) / sd * correction)


# ---------------------------------------------------------------------------
# permutation test

def n_labelings(n_a: int, n_b: int) -> int:
    """Number of ways to assign ``n_a`` of ``n_a + n_b`` units to group a."""
    return math.comb(n_a + n_b, n_a)


def min_achievable_pvalue(n_a: int, n_b: int) -> float:
    """Smallest two-sided p an exact permutation test can give for groups of ``n_a`` and ``n_b`` units.

    1 / C(n, n_a) for unequal sizes; 2 / C(n, n_a) for equal sizes, where a
    labeling and its mirror image give the same absolute difference.
    Examples: 1 vs 3 -> 0.25; 2 vs 2 -> 0.333; 4 vs 4 -> 0.029. NaN if a group is empty.
    """
    if n_a < 1 or n_b < 1:
        return NAN
    total = n_labelings(n_a, n_b)
    return (2.0 if n_a == n_b else 1.0) / total


def _unit_sums(values: np.ndarray, codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    sums = np.bincount(codes, weights=values, minlength=k)
    counts = np.bincount(codes, minlength=k).astype(float)
    return sums, counts


def _memberships(k: int, k_a: int, n_perm: int, exact_limit: int, rng: np.random.Generator) -> tuple[np.ndarray, bool]:
    """0/1 float (n_labelings x k) matrix: which units go to group a in each relabeling.

    Exact (all C(k, k_a) labelings) when that number is at most ``exact_limit``,
    else ``n_perm`` random labelings.
    """
    total = math.comb(k, k_a)
    if total <= exact_limit:
        m = np.zeros((total, k), dtype=bool)
        for row, chosen in enumerate(combinations(range(k), k_a)):
            m[row, list(chosen)] = True
        return m.astype(float), True
    order = np.argsort(rng.random((n_perm, k)), axis=1)
    m = np.zeros((n_perm, k))
    np.put_along_axis(m, order[:, :k_a], 1.0, axis=1)
    return m, False


def _perm_stats(m: np.ndarray, x: np.ndarray, codes: np.ndarray, k: int, statistic: str) -> np.ndarray:
    """The statistic (a minus b) for every labeling row of ``m`` (units = clusters)."""
    if statistic == "mean_diff":
        sums, counts = _unit_sums(x, codes, k)
        sa, ca = m @ sums, m @ counts
        sb, cb = sums.sum() - sa, counts.sum() - ca
        return sa / ca - sb / cb
    members = [x[codes == c] for c in range(k)]
    out = np.empty(len(m))
    for i, row in enumerate(m > 0):
        xa = np.concatenate([members[c] for c in np.flatnonzero(row)])
        xb = np.concatenate([members[c] for c in np.flatnonzero(~row)])
        if statistic == "median_diff":
            out[i] = np.median(xa) - np.median(xb)
        else:
            out[i] = cliffs_delta(xa, xb)
    return out


def permutation_pvalue(a: Any, b: Any, n_perm: int = 5000, seed: int = 0, statistic: str = "mean_diff",
                       clusters: Sequence[Hashable] | None = None, exact_limit: int | None = None) -> float:
    """Two-sided permutation p-value for a difference between groups ``a`` and ``b``.

    Parameters
    ----------
    a, b : array-like of float
        Values of the two groups (NaNs dropped).
    n_perm : int
        Random relabelings when the test is not exact.
    seed : int
        Seed for the random relabelings (exact tests use none).
    statistic : {"mean_diff", "median_diff", "cliffs_delta"}
        Test statistic; the p-value counts relabelings whose absolute statistic is at
        least the observed one (with a 1e-12 relative tolerance for float ties).
    clusters : sequence, optional
        Cluster labels aligned with ``concatenate([a, b])``. Whole clusters are
        relabelled (each cluster must lie entirely in ``a`` or in ``b``); the
        group mean pools the values of its clusters.
    exact_limit : int, optional
        Enumerate all labelings when there are at most this many (default:
        ``max(n_perm, 5000)``). Exact p = (#labelings at least as extreme) / (#labelings),
        so it can never be below :func:`min_achievable_pvalue` (e.g. 0.25 for 1 vs 3 units).
        Monte Carlo p = (b + 1) / (n_perm + 1) (Phipson & Smyth 2010).

    Returns
    -------
    float
        The p-value in (0, 1]; NaN when either group has no values.
    """
    if statistic not in ("mean_diff", "median_diff", "cliffs_delta"):
        raise ValueError(f"statistic must be 'mean_diff', 'median_diff' or 'cliffs_delta', not {statistic!r}")
    xa, xb = _as_float_array(a), _as_float_array(b)
    x = np.concatenate([xa, xb])
    in_a = np.concatenate([np.ones(len(xa), bool), np.zeros(len(xb), bool)])
    if clusters is None:
        labels = np.arange(len(x))
    else:
        labels = np.asarray(clusters, dtype=object).ravel()
        if len(labels) != len(x):
            raise ValueError(f"clusters has {len(labels)} labels for {len(x)} values")
    keep = ~np.isnan(x)
    x, in_a, labels = x[keep], in_a[keep], labels[keep]
    if not in_a.any() or in_a.all():
        return NAN
    codes, k = _cluster_codes(labels)
    unit_in_a = np.zeros(k, dtype=bool)
    unit_in_a[codes[in_a]] = True
    unit_in_b = np.zeros(k, dtype=bool)
    unit_in_b[codes[~in_a]] = True
    if (unit_in_a & unit_in_b).any():
        raise ValueError("a cluster has values in both groups; clusters must be nested in groups")
    limit = max(n_perm, _EXACT_LIMIT_DEFAULT) if exact_limit is None else exact_limit
    m, exact = _memberships(k, int(unit_in_a.sum()), n_perm, limit, np.random.default_rng(seed))
    observed = _perm_stats(unit_in_a[None, :].astype(float), x, codes, k, statistic)[0]
    return _pvalue_from(m, exact, observed, x, codes, k, statistic)


def _pvalue_from(m: np.ndarray, exact: bool, observed: float, x: np.ndarray, codes: np.ndarray, k: int,
                 statistic: str) -> float:
    perm = _perm_stats(m, x, codes, k, statistic)
    tol = 1e-12 * max(1.0, abs(observed))
    extreme = int(np.count_nonzero(np.abs(perm) >= abs(observed) - tol))
    if exact:
        return extreme / len(m)
    return (extreme + 1) / (len(m) + 1)


# ---------------------------------------------------------------------------
# multiple testing

def benjamini_hochberg(pvalues: Any) -> np.ndarray:
    """Benjamini-Hochberg (1995) q-values (FDR-adjusted p-values), NaN-aware.

    ``q_(i) = min_{j >= i} (m p_(j) / j)`` over the ``m`` non-NaN p-values sorted
    ascending, capped at 1. NaN p-values stay NaN and do not count in ``m``.
    Returns an array in the input order.
    """
    p = _as_float_array(pvalues)
    q = np.full(p.shape, NAN)
    ok = np.flatnonzero(~np.isnan(p))
    if len(ok) == 0:
        return q
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    ranked = p[order] * m / np.arange(1, m + 1)
    q[order] = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
    return q


# ---------------------------------------------------------------------------
# the comparison table

def _group_order(groups: pd.Series) -> list[Any]:
    return sorted(groups.dropna().unique(), key=lambda g: str(g))


def _clusters_nested(df: pd.DataFrame, group_col: str, cluster_col: str) -> bool:
    return bool((df.groupby(cluster_col, sort=False)[group_col].nunique(dropna=True) <= 1).all())


def compare_groups(df: pd.DataFrame, group_col: str, feature_cols: Sequence[str], cluster_col: str | None = None,
                   seed: int = 0, n_boot: int = 2000, n_perm: int = 5000) -> pd.DataFrame:
    """Compare each group with the rest (or with the other group) on every feature.

    Parameters
    ----------
    df : DataFrame
        One row per document.
    group_col : str
        Column with the group label (rows with a missing label are ignored).
    feature_cols : sequence of str
        Numeric feature columns to compare (NaN and infinite values are dropped per feature).
    cluster_col : str, optional
        Resampling unit (e.g. ``outlet``): bootstrap CIs resample whole clusters
        and the permutation test relabels whole clusters, so a prolific outlet
        counts once. Without it, the unit is the document. If clusters span
        groups, the permutation test falls back to documents (said in ``note``).
    seed, n_boot, n_perm : int
        Seed and sizes of bootstrap and permutation; output is deterministic.

    Returns
    -------
    DataFrame with columns :data:`COMPARE_COLUMNS`, one row per (feature, group),
    features in the given order, groups sorted by their string label:

    feature : str
    group : the group label
    n_docs : int — documents in the group with a non-NaN value for the feature
    mean, median : float — of the group's per-document values
    ci_low, ci_high : float — 95 % percentile bootstrap CI of the group mean
        (resampling documents, or clusters); NaN with fewer than 2 units
    reference : str — what the group is compared with: the other group's label (as str)
        when there are exactly two groups, else ``"rest"`` (all other groups pooled)
    cliffs_delta : float in [-1, 1] — positive = the group's values tend to be
        larger than the reference's (descriptive; computed even for 1 document)
    hedges_g : float — (mean group - mean reference) / pooled SD, bias-corrected;
        NaN when undefined
    p : float — two-sided permutation p of the mean difference (exact when the
        labelings are few); NaN when the group or the reference has < 2 units
    q : float — Benjamini-Hochberg q over all features of the same comparison
        (same group vs same reference)
    note : str — plain-language caveats: :data:`ONE_DOC_NOTE` when the group has
        one document, ``"reference '<g>' has 1 document: no test, ..."`` when the
        reference does (followed by what an exact test could give at best: "an exact
        permutation test of 1 vs 3 documents would have 4 labelings (smallest possible
        p = 0.25)"), the minimum achievable p of small exact tests, crude CIs from few
        units, no values, and cluster fall-backs. Notes are joined by "; ".
    """
    missing = [c for c in [group_col, *feature_cols, *([cluster_col] if cluster_col else [])] if c not in df]
    if missing:
        raise KeyError(f"columns not in the table: {missing}")
    data = df[df[group_col].notna()]
    groups = _group_order(data[group_col])
    two = len(groups) == 2
    nested = cluster_col is None or _clusters_nested(data, group_col, cluster_col)
    rows: list[dict[str, Any]] = []
    membership_cache: dict[Any, Any] = {}  # labelings per (units, units in a); p per two-group test
    for feature in feature_cols:
        values = pd.to_numeric(data[feature], errors="coerce").to_numpy(dtype=float, copy=True)
        values[~np.isfinite(values)] = np.nan  # inf (e.g. a ratio over zero words) is no value
        labels = data[group_col].to_numpy(dtype=object)
        units = (data[cluster_col].to_numpy(dtype=object) if cluster_col
                 else np.arange(len(data)).astype(object))
        for group in groups:
            rows.append(_compare_one(feature, group, groups, two, values, labels, units, cluster_col, nested,
                                     seed, n_boot, n_perm, membership_cache))
    out = pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))
    out["q"] = np.nan
    for (group, reference), idx in out.groupby(["group", "reference"], sort=False).groups.items():
        out.loc[idx, "q"] = benjamini_hochberg(out.loc[idx, "p"].to_numpy(dtype=float))
    out["n_docs"] = out["n_docs"].astype(int)
    return out


def _compare_one(feature: str, group: Any, groups: list[Any], two: bool, values: np.ndarray, labels: np.ndarray,
                 units: np.ndarray, cluster_col: str | None, nested: bool, seed: int, n_boot: int, n_perm: int,
                 membership_cache: dict) -> dict[str, Any]:
    in_group = labels == group
    ok = ~np.isnan(values)
    xa, xb = values[in_group & ok], values[~in_group & ok]
    ua, ub = units[in_group & ok], units[~in_group & ok]
    reference = str(groups[1 - groups.index(group)]) if two else "rest"
    notes: list[str] = []
    row: dict[str, Any] = {"feature": feature, "group": group, "n_docs": len(xa), "reference": reference,
                           "mean": NAN, "median": NAN, "ci_low": NAN, "ci_high": NAN,
                           "cliffs_delta": NAN, "hedges_g": NAN, "p": NAN, "q": NAN}
    if len(xa) == 0:
        row["note"] = "no documents with a value"
        return row
    row["mean"], row["median"] = float(xa.mean()), float(np.median(xa))
    row["cliffs_delta"], row["hedges_g"] = cliffs_delta(xa, xb), hedges_g(xa, xb)
    ka, kb = len(set(ua)), len(set(ub))
    unit_word = cluster_col or "document"
    if len(xa) < 2:
        notes.append(ONE_DOC_NOTE)
    elif ka < 2:
        notes.append(f"1 {unit_word}: no test, see per-document values")
    else:
        row["ci_low"], row["ci_high"] = bootstrap_ci(xa, "mean", n_boot=n_boot, seed=seed,
                                                     clusters=ua if cluster_col else None)
        if _distinct_resamples(ka) < 100:
            notes.append(f"CI from {ka} {unit_word}s ({_distinct_resamples(ka)} distinct resamples): crude")
    if len(xb) == 0:
        notes.append(f"reference '{reference}' has no values: no test")
    elif len(xb) < 2 or kb < 2:
        if len(xa) >= 2 and ka >= 2:
            notes.append(f"reference '{reference}' has 1 {unit_word if len(xb) >= 2 else 'document'}: "
                         "no test, see per-document values")
    elif len(xa) >= 2 and ka >= 2:
        # with two groups both rows are the same test: compute it once (cached under the unordered pair)
        key = (feature, frozenset((str(group), reference))) if two else None
        if key is None or key not in membership_cache:
            result = _group_pvalue(xa, xb, ua, ub, cluster_col, nested, seed, n_perm, membership_cache)
            if key is not None:
                membership_cache[key] = result
        else:
            result = membership_cache[key]
        row["p"] = result[0]
        notes.extend(result[1])
    if (ka < 2 or kb < 2) and ka and kb:
        notes.append(f"an exact permutation test of {ka} vs {kb} {unit_word}s would have {n_labelings(ka, kb)} "
                     f"labelings (smallest possible p = {min_achievable_pvalue(ka, kb):.3g})")
    row["note"] = "; ".join(notes)
    return row


def _group_pvalue(xa: np.ndarray, xb: np.ndarray, ua: np.ndarray, ub: np.ndarray, cluster_col: str | None,
                  nested: bool, seed: int, n_perm: int, membership_cache: dict) -> tuple[float, list[str]]:
    notes: list[str] = []
    x = np.concatenate([xa, xb])
    if cluster_col and nested:
        codes, k = _cluster_codes(np.concatenate([ua, ub]))
        k_a = len(set(codes[: len(xa)]))
    else:
        if cluster_col:
            notes.append(f"'{cluster_col}' spans groups: permutation by document")
        codes, k = np.arange(len(x)), len(x)
        k_a = len(xa)
    limit = max(n_perm, _EXACT_LIMIT_DEFAULT)
    key = (k, k_a)
    if key not in membership_cache:
        membership_cache[key] = _memberships(k, k_a, n_perm, limit, np.random.default_rng(seed))
    m, exact = membership_cache[key]
    unit_in_a = np.zeros(k, dtype=bool)
    unit_in_a[codes[: len(xa)]] = True
    # rows of m index units in code order; the observed labeling marks the group's units
    observed = _perm_stats(unit_in_a[None, :].astype(float), x, codes, k, "mean_diff")[0]
    p = _pvalue_from(m, exact, observed, x, codes, k, "mean_diff")
    if exact and len(m) < 1000:
        notes.append(f"exact test over {len(m)} labelings: smallest possible p = "
                     f"{min_achievable_pvalue(k_a, k - k_a):.3g}")
    return p, notes
