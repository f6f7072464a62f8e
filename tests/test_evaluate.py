"""Metric functions with hand-computed answers, and the evaluate command's error handling."""
import json
import math

import pytest
from click.testing import CliRunner

from framing.cli import main
from framing.evaluate import binary_metrics, multiclass_metrics, pairwise_accuracy, regression_metrics


def test_binary_metrics_match_hand_computation():
    m = binary_metrics([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1], [1, 0, 1, 0])
    assert m["precision"] == 0.5 and m["recall"] == 0.5 and m["f1"] == 0.5
    assert m["roc_auc"] == 0.75  # 3 of 4 positive/negative pairs ordered right


def test_pairwise_accuracy_counts_only_same_group_pairs_with_different_labels():
    labels = [1, 2, 3, 1, 2]
    preds = [5.0, 6.0, 7.0, 9.0, 8.0]
    groups = ["a", "a", "a", "b", "b"]
    # group a: 3 pairs all right; group b: 1 pair wrong -> 3/4
    assert pairwise_accuracy(labels, preds, groups) == 0.75


def test_regression_metrics_sign_and_groups():
    m = regression_metrics([1, 2, 3, 4], [10, 8, 6, 4], groups=["g"] * 4)
    assert m["spearman"] == pytest.approx(-1.0) and m["pairwise_accuracy"] == 0.0


def test_multiclass_macro_f1_averages_over_present_classes_only():
    m = multiclass_metrics(["news", "news", "official"], ["news", "commentary", "official"])
    # news: p=1, r=.5, f=2/3; official: f=1 -> macro (2/3+1)/2; 'commentary' (absent) does not enter the mean
    assert m["macro_f1"] == pytest.approx((2 / 3 + 1) / 2)
    assert m["accuracy"] == pytest.approx(2 / 3)
    assert m["confusion_matrix"]["labels"] == ["commentary", "news", "official"]
    assert not math.isnan(m["per_class"]["news"]["recall"])


@pytest.fixture
def runner():
    return CliRunner()


def _require_task(name):
    from framing.evaluate import TASKS, _ensure_tasks

    _ensure_tasks()
    if name not in TASKS:
        pytest.skip(f"{name} task not registered")


def test_evaluate_unknown_task_is_a_usage_error(runner, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("text,label\nhello,1\n")
    result = runner.invoke(main, ["evaluate", "nonsense", str(f)])
    assert result.exit_code == 2 and "unknown task" in result.output


def test_evaluate_missing_column_is_a_data_error(runner, tmp_path):
    _require_task("hedging")
    f = tmp_path / "x.csv"
    f.write_text("sentence,label\nIt may rain.,1\n")
    result = runner.invoke(main, ["evaluate", "hedging", str(f)])
    assert result.exit_code == 1 and "no column 'text'" in result.output


def test_evaluate_bad_binary_labels_are_a_data_error(runner, tmp_path):
    _require_task("hedging")
    f = tmp_path / "x.csv"
    f.write_text("text,label\nIt may rain.,yes\n")
    result = runner.invoke(main, ["evaluate", "hedging", str(f)])
    assert result.exit_code == 1 and "must be 0 or 1" in result.output


def test_evaluate_missing_file_is_a_data_error(runner, tmp_path):
    _require_task("readability")
    result = runner.invoke(main, ["evaluate", "readability", str(tmp_path / "none.csv")])
    assert result.exit_code == 1 and "none.csv: no such file" in result.output


def test_evaluate_too_few_rows_is_a_data_error_naming_the_file(runner, tmp_path):
    _require_task("readability")
    f = tmp_path / "one.csv"
    f.write_text('text,label\n"The minister said the talks would resume next week.",5\n')
    result = runner.invoke(main, ["evaluate", "readability", str(f), "--json"])
    assert result.exit_code == 1
    assert f"{f}: a correlation needs at least 2 scored rows; 1 of 1 could be scored" in result.output


def test_evaluate_json_is_strict_json_when_a_figure_is_undefined(runner, tmp_path):
    """Constant labels have no correlation: null, not the bare NaN strict JSON parsers reject (and no warning)."""
    _require_task("readability")
    f = tmp_path / "flat.csv"
    f.write_text('text,label\n"One two said.",5\n"Longer words notwithstanding everything.",5\n"x y z",5\n')
    result = runner.invoke(main, ["evaluate", "readability", str(f), "--json"])
    assert result.exit_code == 0, result.output

    def refuse(constant):
        raise ValueError(constant)

    metrics = json.loads(result.stdout, parse_constant=refuse)["metrics"]
    assert metrics["spearman"] is None and metrics["pearson"] is None and metrics["n_scored"] == 3
    assert "Warning" not in result.stderr
