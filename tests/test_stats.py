"""Known-answer tests for framing.stats (hand computations and scipy cross-checks)."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from framing.stats import (
    COMPARE_COLUMNS,
    ONE_DOC_NOTE,
    benjamini_hochberg,
    bootstrap_ci,
    cliffs_delta,
    compare_groups,
    hedges_g,
    min_achievable_pvalue,
    permutation_pvalue,
)

# --- Cliff's delta -----------------------------------------------------------

def test_cliffs_delta_disjoint_groups_is_plus_or_minus_one():
    assert cliffs_delta([4, 5, 6], [1, 2, 3]) == 1.0
    assert cliffs_delta([1, 2, 3], [4, 5, 6]) == -1.0


def test_cliffs_delta_hand_computed_with_tie():
    # pairs: (1,2)<, (1,3)<, (2,2)=, (2,3)<  ->  (0 - 3) / 4
    assert cliffs_delta([1, 2], [2, 3]) == pytest.approx(-0.75)


def test_cliffs_delta_matches_brute_force_on_random_data():
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 5, 40).astype(float), rng.integers(0, 5, 30).astype(float)
    brute = np.sign(a[:, None] - b[None, :]).mean()
    assert cliffs_delta(a, b) == pytest.approx(brute)


def test_cliffs_delta_identical_groups_is_zero_and_empty_is_nan():
    assert cliffs_delta([1, 2, 3], [1, 2, 3]) == 0.0
    assert math.isnan(cliffs_delta([], [1, 2]))
    assert math.isnan(cliffs_delta([np.nan], [1, 2]))


# --- Hedges' g -----------------------------------------------------------------

def test_hedges_g_hand_computed():
    # means 2 and 4, pooled SD sqrt((2 + 2) / 4) = 1, J = 1 - 3 / (4 * 6 - 9) = 0.8
    assert hedges_g([1, 2, 3], [3, 4, 5]) == pytest.approx(-1.6)
    assert hedges_g([3, 4, 5], [1, 2, 3]) == pytest.approx(1.6)


def test_hedges_g_undefined_cases_are_nan():
    assert math.isnan(hedges_g([1.0], [2.0]))          # no degree of freedom
    assert math.isnan(hedges_g([1, 1], [1, 1]))        # zero pooled SD
    assert math.isnan(hedges_g([], [1, 2, 3]))


def test_hedges_g_one_document_uses_other_group_sd():
    # SD of [1, 2, 3] is 1 (ddof 2 over 4 values -> ss 2 / dof 2), J = 1 - 3 / 7
    assert hedges_g([5], [1, 2, 3]) == pytest.approx(3 * (1 - 3 / 7))


# --- permutation test ---------------------------------------------------------

def test_permutation_exact_one_vs_three_minimum_is_a_quarter():
    assert permutation_pvalue([10], [1, 2, 3]) == pytest.approx(0.25)
    assert min_achievable_pvalue(1, 3) == pytest.approx(0.25)
    # |x_i - mean(others)| for 3, 1, 2, 10 is 1.33, 4, 2.67, 8: singling out 3 is the least extreme
    assert permutation_pvalue([3], [1, 2, 10]) == pytest.approx(1.0)
    assert permutation_pvalue([2], [1, 3, 10]) == pytest.approx(0.75)


def test_permutation_exact_two_vs_two_counts_mirror_labeling():
    assert permutation_pvalue([10, 11], [1, 2]) == pytest.approx(2 / 6)
    assert min_achievable_pvalue(2, 2) == pytest.approx(1 / 3)


def test_permutation_exact_matches_scipy():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 5), rng.normal(1, 1, 4)
    # our two-sided p counts |statistic| >= |observed| (scipy's 'two-sided' doubles one tail instead)
    ref = sps.permutation_test((a, b), lambda x, y: abs(np.mean(x) - np.mean(y)), permutation_type="independent",
                               n_resamples=np.inf, alternative="greater").pvalue
    assert permutation_pvalue(a, b) == pytest.approx(ref)


def test_permutation_monte_carlo_is_seeded_and_detects_a_real_difference():
    rng = np.random.default_rng(4)
    a, b = rng.normal(0, 1, 40), rng.normal(1.5, 1, 40)
    p1 = permutation_pvalue(a, b, n_perm=2000, seed=7)
    assert p1 == permutation_pvalue(a, b, n_perm=2000, seed=7)
    assert p1 == pytest.approx(1 / 2001)  # no relabeling beats a 1.5 SD shift with n = 40
    same = rng.normal(0, 1, 80)
    assert permutation_pvalue(same[:40], same[40:], n_perm=2000, seed=7) > 0.05


def test_permutation_by_cluster_treats_a_cluster_as_one_unit():
    # group a: one outlet with 3 documents; group b: 3 outlets. As clusters: 1 vs 3 units -> min p 0.25
    a, b = [9, 9.5, 10], [1, 2, 3]
    assert permutation_pvalue(a, b) == pytest.approx(1 / math.comb(6, 3) * 2)
    assert permutation_pvalue(a, b, clusters=["x", "x", "x", "p", "q", "r"]) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="nested"):
        permutation_pvalue(a, b, clusters=["x", "x", "p", "p", "q", "r"])


def test_permutation_empty_group_is_nan():
    assert math.isnan(permutation_pvalue([], [1, 2]))


# --- Benjamini-Hochberg ------------------------------------------------------

def test_bh_against_hand_computation():
    # sorted: 0.005 (1), 0.01 (2), 0.03 (3), 0.04 (4); m p / rank: 0.02, 0.02, 0.04, 0.04
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.005])
    assert q == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_bh_enforces_monotonicity_and_cap():
    # m p / rank: 0.04, 0.03 -> step-up makes the first 0.03
    assert benjamini_hochberg([0.02, 0.03]) == pytest.approx([0.03, 0.03])
    assert benjamini_hochberg([0.9, 0.95, 1.0]) == pytest.approx([1.0, 1.0, 1.0])


def test_bh_is_nan_aware_and_matches_scipy():
    q = benjamini_hochberg([0.01, np.nan, 0.04, 0.03, 0.005])
    assert math.isnan(q[1])
    assert q[[0, 2, 3, 4]] == pytest.approx(sps.false_discovery_control([0.01, 0.04, 0.03, 0.005]))
    assert np.isnan(benjamini_hochberg([np.nan, np.nan])).all()


# --- bootstrap -----------------------------------------------------------------

def test_bootstrap_is_deterministic_with_seed_and_brackets_the_mean():
    x = [3.0, 5.0, 4.0, 8.0, 6.0, 7.0, 2.0]
    lo, hi = bootstrap_ci(x, seed=11)
    assert (lo, hi) == bootstrap_ci(x, seed=11)
    assert (lo, hi) != bootstrap_ci(x, seed=12)
    assert lo < np.mean(x) < hi
    assert min(x) <= lo and hi <= max(x)


def test_bootstrap_constant_and_single_values():
    assert bootstrap_ci([4.0, 4.0, 4.0]) == (4.0, 4.0)
    assert all(math.isnan(v) for v in bootstrap_ci([4.0]))
    assert all(math.isnan(v) for v in bootstrap_ci([1.0, 2.0], clusters=["a", "a"]))


def test_bootstrap_median_and_wider_interval_at_lower_level_is_narrower():
    x = np.random.default_rng(0).normal(10, 2, 50)
    lo95, hi95 = bootstrap_ci(x, "median")
    lo50, hi50 = bootstrap_ci(x, "median", level=0.5)
    assert lo95 <= lo50 <= np.median(x) <= hi50 <= hi95


def test_cluster_bootstrap_is_wider_when_clusters_are_internally_alike():
    # 4 outlets, each publishing 10 near-identical documents: the effective n is 4, not 40
    rng = np.random.default_rng(2)
    centres = [1.0, 5.0, 2.0, 7.0]
    x = np.concatenate([c + rng.normal(0, 0.01, 10) for c in centres])
    cl = np.repeat(["a", "b", "c", "d"], 10)
    naive = np.subtract(*bootstrap_ci(x)[::-1])
    clustered = np.subtract(*bootstrap_ci(x, clusters=cl)[::-1])
    assert clustered > 2 * naive


# --- compare_groups ------------------------------------------------------------

def _seeds_like() -> pd.DataFrame:
    return pd.DataFrame({"doc": ["000", "001", "002", "003"],
                         "role": ["commentary", "commentary", "official", "commentary"],
                         "hedges": [4.0, 6.0, 1.0, 5.0],
                         "boosters": [2.0, np.nan, 9.0, 3.0]})


def test_compare_groups_one_official_document_says_so_plainly():
    out = compare_groups(_seeds_like(), "role", ["hedges", "boosters"])
    assert list(out.columns) == list(COMPARE_COLUMNS)
    assert list(zip(out.feature, out.group)) == [("hedges", "commentary"), ("hedges", "official"),
                                                 ("boosters", "commentary"), ("boosters", "official")]
    official = out[out.group == "official"]
    assert (official.n_docs == 1).all()
    assert official.note.str.startswith(ONE_DOC_NOTE).all()
    assert "1 vs 3 documents would have 4 labelings (smallest possible p = 0.25)" in official.note.iloc[0]
    assert official[["ci_low", "ci_high", "p", "q"]].isna().all().all()
    assert official.reference.eq("commentary").all()
    # descriptive effect sizes are still given: the official doc hedges less than all commentary
    assert official.set_index("feature").loc["hedges", "cliffs_delta"] == -1.0
    commentary = out[out.group == "commentary"].set_index("feature")
    assert commentary.loc["hedges", "mean"] == pytest.approx(5.0)
    assert commentary.loc["boosters", "n_docs"] == 2      # NaN dropped
    assert commentary.loc["hedges", "p"] != commentary.loc["hedges", "p"]  # NaN: reference has 1 document
    assert "reference 'official' has 1 document" in commentary.loc["hedges", "note"]
    assert not math.isnan(commentary.loc["hedges", "ci_low"])


def test_compare_groups_three_groups_each_vs_rest_with_bh_per_comparison():
    rng = np.random.default_rng(5)
    n = 30
    df = pd.DataFrame({"outlet": np.repeat(["A", "B", "C"], n),
                       "f1": np.concatenate([rng.normal(m, 1, n) for m in (0, 0, 3)]),
                       "f2": rng.normal(0, 1, 3 * n),
                       "f3": rng.normal(0, 1, 3 * n)})
    out = compare_groups(df, "outlet", ["f1", "f2", "f3"], n_perm=999, n_boot=500)
    assert set(out.reference) == {"rest"}
    for g, sub in out.groupby("group"):
        assert sub.q.to_numpy() == pytest.approx(benjamini_hochberg(sub.p.to_numpy()))
    c = out[(out.group == "C") & (out.feature == "f1")].iloc[0]
    assert c.p == pytest.approx(1 / 1000) and c.cliffs_delta > 0.9 and c.hedges_g > 2
    assert out.equals(compare_groups(df, "outlet", ["f1", "f2", "f3"], n_perm=999, n_boot=500))


def test_compare_groups_two_groups_mirror_each_other():
    df = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4, "x": [5, 6, 7, 8, 1, 2, 3, 4.0]})
    out = compare_groups(df, "g", ["x"]).set_index("group")
    assert out.loc["a", "reference"] == "b" and out.loc["b", "reference"] == "a"
    assert out.loc["a", "cliffs_delta"] == 1.0 and out.loc["b", "cliffs_delta"] == -1.0
    assert out.loc["a", "p"] == out.loc["b", "p"] == pytest.approx(2 / 70)
    assert "smallest possible p = 0.0286" in out.loc["a", "note"]


def test_compare_groups_by_outlet_clusters():
    df = pd.DataFrame({"role": ["official"] * 3 + ["commentary"] * 3,
                       "outlet": ["gov", "gov", "gov", "x", "y", "z"],
                       "x": [9, 9.5, 10, 1, 2, 3.0]})
    out = compare_groups(df, "role", ["x"], cluster_col="outlet").set_index("group")
    assert out.loc["official", "n_docs"] == 3
    assert math.isnan(out.loc["official", "p"])
    assert "1 outlet: no test" in out.loc["official", "note"]
    by_doc = compare_groups(df, "role", ["x"]).set_index("group")
    assert by_doc.loc["official", "p"] == pytest.approx(0.1)


def test_compare_groups_rejects_unknown_columns():
    with pytest.raises(KeyError, match="nope"):
        compare_groups(_seeds_like(), "role", ["nope"])


def test_other_permutation_statistics_and_unknown_one():
    assert permutation_pvalue([10], [1, 2, 3], statistic="median_diff") == pytest.approx(0.25)
    assert permutation_pvalue([10, 11], [1, 2], statistic="cliffs_delta") == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="statistic"):
        permutation_pvalue([1], [2], statistic="t")


def test_cluster_bootstrap_median_is_deterministic():
    x = [1.0, 1.1, 5.0, 5.2, 3.0, 9.0]
    cl = ["a", "a", "b", "b", "c", "d"]
    lo, hi = bootstrap_ci(x, "median", clusters=cl, n_boot=300, seed=3)
    assert (lo, hi) == bootstrap_ci(x, "median", clusters=cl, n_boot=300, seed=3)
    assert 1.0 <= lo <= hi <= 9.0
    with pytest.raises(ValueError, match="statistic"):
        bootstrap_ci(x, "mode")


def test_compare_groups_feature_without_values_and_unlabelled_rows():
    df = pd.DataFrame({"g": ["a", "a", "b", "b", None], "x": [np.nan] * 5, "y": [1.0, 2.0, 3.0, 4.0, 100.0]})
    out = compare_groups(df, "g", ["x", "y"]).set_index(["feature", "group"])
    assert (out.loc["x", "n_docs"] == 0).all()
    assert out.loc[("x", "a"), "note"] == "no documents with a value"
    assert out.loc[("y", "b"), "mean"] == pytest.approx(3.5)  # the unlabelled row is ignored
