"""Training and cross-validation of the promotional score's logistic model.

``framing train promotional FILE... -o framing/models/promotional.json`` fits
the model (:func:`train_promotional`: grid search over the length prior, the
style-word scale and C, with nested cross-validation); ``framing train
promotional FILE... --cv K`` (or :func:`framing.training.cross_validate`)
prints the nested cross-validated ROC AUC per file without writing a model.
:func:`derive_sentiment_lexicon` rebuilds ``promotional_sentiment.tsv`` from
its public sources. The features are the scoring code's own
(:func:`framing.extractors.promotional.model_counts`), so a trained model
scores exactly as it was fitted.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Sequence

from ..document import Document
from ..extractors.promotional import RATE_UNIT, _State, find_cues, model_counts, model_features
from . import file_provenance, register_cv, register_trainer

__all__ = ["C_GRID", "GRID", "LENGTH_PRIORS", "WORD_SCALES", "cross_validate_promotional",
           "derive_sentiment_lexicon", "train_promotional"]

def _sentence_documents(texts: Sequence[str]) -> list[Document]:
    from ..ingest import make_document

    return [make_document(f"row-{i}", str(t)) for i, t in enumerate(texts)]


@register_trainer("promotional", default_output="framing/models/promotional.json",
                  description="logistic model over promotional lexicon-category rates by voice, frequent cues, "
                              "hedging categories and function/adverb/adjective style words")
def train_promotional(files: list[Path], *, text_col: str = "text", label_col: str = "label", min_support: int = 5,
                      min_df: int = 5, folds: int = 5, seed: int = 0, nested: bool = True, **_: Any
                      ) -> dict[str, Any]:
    """Fit the promotional score on labelled sentence files (label 1 = promotional/biased).

    Files are weighted equally and classes balanced within each file. The
    length prior, style-word scale and ``C`` are chosen from :data:`GRID` by
    stratified ``folds``-fold cross-validated ROC AUC averaged over files
    (folds stratified by file x label x ``subset`` where the file has that
    column). Cue features (``w:CUE``) need ``min_support`` training rows; style
    words (``v:WORD``) need ``min_df`` training rows in every file. With
    ``nested``, the whole selection is repeated inside each outer fold and the
    outer out-of-fold AUC is recorded as ``nested_cv_roc_auc`` (the honest
    estimate). In-sample AUC is recorded too.
    """
    import numpy as np

    data = _training_data(files, text_col, label_col, min_support, min_df, folds, seed)
    everything = np.arange(len(data.y))
    choice, table, oof = data.select(everything)
    k, scale, C = choice
    vec, clf = data.fit(everything, k, scale, C)
    feats = data.features(k, scale)
    in_sample = clf.decision_function(vec.transform(feats))
    threshold_logit = _best_threshold(data.y, oof, data.file_of)
    coefficients = {}
    for name, w in zip(vec.get_feature_names_out(), clf.coef_[0]):
        w = float(w) * (scale if name.startswith("v:") else 1.0)  # the scale folded into the weight
        if abs(w) >= 1e-5:
            coefficients[str(name)] = round(w, 5)
    training: dict[str, Any] = {
        "files": [file_provenance(f) for f in files],
        "rows": {str(f): int(n) for f, n in zip(*np.unique(data.file_of, return_counts=True))},
        "lexicons": [lex.provenance() for lex in (*data.state.lexicons, data.state.style_lexicon)],
        "C": C, "length_prior": k, "word_scale": scale,
        "grid": {"length_prior": list(LENGTH_PRIORS), "word_scale": list(WORD_SCALES), "C": list(C_GRID)},
        "selection": "the grid point with the best mean over files of cross-validated ROC AUC (ties: smaller C)",
        "min_support": min_support, "min_df": min_df, "folds": folds, "seed": seed,
        "cv_roc_auc": table[_grid_key(choice)],
        "cv_roc_auc_grid": table,
        "in_sample_roc_auc": _auc_by_file(data.y, in_sample, data.file_of),
        "threshold_rule": "maximises the mean over files of out-of-fold F1",
    }
    if nested:
        training.update(data.nested())
    return {
        "name": "promotional", "version": 2, "rate_unit": RATE_UNIT, "length_prior": k,
        "features": "rates = count * rate_unit / (words + length_prior). a:CATEGORY = author-voice cues of the "
                    "category; o:CATEGORY = quoted/reported cues; w:CUE = one lexicon cue in the author's voice; "
                    "h:/ho:CATEGORY = hedging-extractor cues in the author's/others' voice; v:WORD = a style word "
                    "(promotional_style.tsv function word or -ly/-ous/-ive/-ed/... word) in the author's voice",
        "intercept": round(float(clf.intercept_[0]), 5),
        "coefficients": dict(sorted(coefficients.items())),
        "threshold": round(1.0 / (1.0 + math.exp(-threshold_logit)), 5),
        "training": training,
    }


#: inverse regularisation strengths tried by :func:`train_promotional`
C_GRID = (0.01, 0.03, 0.1)
#: add-k length priors (words) of the rate denominator tried by :func:`train_promotional`
LENGTH_PRIORS = (20.0, 40.0)
#: scales of the style-word features (smaller = stronger L2 penalty on them relative to the lexicon features)
WORD_SCALES = (0.3, 0.6)
#: every grid point, in order
GRID = tuple((k, s, c) for k in LENGTH_PRIORS for s in WORD_SCALES for c in C_GRID)


#: feature families that need no support threshold (few, fixed categories)
_ALWAYS = ("a:", "o:", "h:", "ho:")


def _grid_key(point: tuple[float, float, float]) -> str:
    return "k={:g},s={:g},C={:g}".format(*point)


class _TrainingData:
    """Counts, labels and strata of the training rows, with (nested) cross-validated model selection."""

    def __init__(self, state: _State, rows: dict[str, list[Any]], min_support: int, min_df: int, folds: int,
                 seed: int):
        import numpy as np

        self.state, self.counts, self.n_words = state, rows["counts"], rows["n_words"]
        self.y = np.asarray(rows["label"], dtype=int)
        self.file_of = np.asarray(rows["file"])
        self.weights = _balanced_weights(self.file_of, self.y)
        self.strata = np.asarray([f"{f}|{lab}|{sub}" for f, lab, sub in zip(self.file_of, self.y, rows["subset"])])
        self.min_support, self.min_df, self.folds, self.seed = min_support, min_df, folds, seed
        self._features: dict[tuple[float, float], list[dict[str, float]]] = {}

    def features(self, k: float, scale: float) -> list[dict[str, float]]:
        if (k, scale) not in self._features:
            self._features[(k, scale)] = [model_features(c, n, k, scale) for c, n in zip(self.counts, self.n_words)]
        return self._features[(k, scale)]

    def allowed(self, idx: Any) -> set[str]:
        """Feature keys usable when training on rows ``idx`` (support counted on those rows only)."""
        support: dict[str, int] = {}
        df: dict[str, dict[str, int]] = {}
        files = sorted(set(self.file_of[idx]))
        for i in idx:
            for key in self.counts[i]:
                if key.startswith("w:"):
                    support[key] = support.get(key, 0) + 1
                elif key.startswith("v:"):
                    per_file = df.setdefault(key, {})
                    per_file[self.file_of[i]] = per_file.get(self.file_of[i], 0) + 1
        keep = {k for k, n in support.items() if n >= self.min_support}
        keep |= {k for k, per_file in df.items() if min(per_file.get(f, 0) for f in files) >= self.min_df}
        return keep

    def _design(self, train: Any, k: float, scale: float) -> tuple[Any, Any]:
        from sklearn.feature_extraction import DictVectorizer

        keep = self.allowed(train)
        feats = self.features(k, scale)
        vec = DictVectorizer(sort=True)
        vec.fit([{key: v for key, v in feats[i].items() if key in keep or key.startswith(_ALWAYS)} for i in train])
        return vec, feats

    def fit(self, train: Any, k: float, scale: float, C: float) -> tuple[Any, Any]:
        from sklearn.linear_model import LogisticRegression

        vec, feats = self._design(train, k, scale)
        clf = LogisticRegression(C=C, max_iter=5000)
        clf.fit(vec.transform([feats[i] for i in train]), self.y[train], sample_weight=self.weights[train])
        return vec, clf

    def out_of_fold(self, idx: Any) -> dict[tuple[float, float, float], Any]:
        """Out-of-fold logits over rows ``idx`` for every grid point."""
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        oof = {point: np.zeros(len(idx)) for point in GRID}
        splitter = StratifiedKFold(self.folds, shuffle=True, random_state=self.seed)
        for tr, te in splitter.split(idx, self.strata[idx]):
            train, test = idx[tr], idx[te]
            for k in LENGTH_PRIORS:
                for scale in WORD_SCALES:
                    vec, feats = self._design(train, k, scale)
                    X_train = vec.transform([feats[i] for i in train])
                    X_test = vec.transform([feats[i] for i in test])
                    for C in C_GRID:
                        clf = LogisticRegression(C=C, max_iter=5000)
                        clf.fit(X_train, self.y[train], sample_weight=self.weights[train])
                        oof[(k, scale, C)][te] = clf.decision_function(X_test)
        return oof

    def select(self, idx: Any) -> tuple[tuple[float, float, float], dict[str, dict[str, float]], Any]:
        """The best grid point by CV on rows ``idx``, the AUC table, and the out-of-fold logits at that point."""
        import numpy as np

        oof = self.out_of_fold(idx)
        table = {_grid_key(p): _auc_by_file(self.y[idx], oof[p], self.file_of[idx]) for p in GRID}
        best = max(GRID, key=lambda p: (round(float(np.mean(list(table[_grid_key(p)].values()))), 6), -p[2]))
        return best, table, oof[best]

    def nested(self) -> dict[str, Any]:
        """Nested CV: selection inside each outer training part, AUC on the outer test folds."""
        import numpy as np
        from sklearn.model_selection import StratifiedKFold

        scores = np.zeros(len(self.y))
        choices = []
        splitter = StratifiedKFold(self.folds, shuffle=True, random_state=self.seed + 1)
        for train, test in splitter.split(self.strata, self.strata):
            point, _, _ = self.select(train)
            vec, clf = self.fit(train, *point)
            scores[test] = clf.decision_function(vec.transform([self.features(*point[:2])[i] for i in test]))
            choices.append(_grid_key(point))
        return {"nested_cv_roc_auc": _auc_by_file(self.y, scores, self.file_of), "nested_cv_choices": choices}


def _training_data(files: Sequence[Path], text_col: str, label_col: str, min_support: int, min_df: int,
                   folds: int, seed: int) -> _TrainingData:
    state = _State.build(model=None)
    return _TrainingData(state, _training_rows(files, text_col, label_col, state), min_support, min_df, folds, seed)


def _training_rows(files: Sequence[Path], text_col: str, label_col: str, state: _State) -> dict[str, list[Any]]:
    from ..evaluate import read_eval_file

    out: dict[str, list[Any]] = {"counts": [], "n_words": [], "label": [], "file": [], "subset": []}
    for path in files:
        df = read_eval_file(path)
        for col in (text_col, label_col):
            if col not in df.columns:
                raise ValueError(f"{path}: no column '{col}'")
        labels = [int(float(v)) for v in df[label_col]]
        if set(labels) - {0, 1}:
            raise ValueError(f"{path}: labels in '{label_col}' must be 0 or 1")
        subsets = df["subset"].tolist() if "subset" in df.columns else [""] * len(df)
        for doc, lab, sub in zip(_sentence_documents(df[text_col].tolist()), labels, subsets):
            out["counts"].append(model_counts(doc, find_cues(doc, state), state.style_words))
            out["n_words"].append(doc.segmentation.n_words)
            out["label"].append(lab)
            out["file"].append(Path(path).name)
            out["subset"].append(sub)
    return out


def _balanced_weights(file_of: Any, y: Any) -> Any:
    import numpy as np

    w = np.zeros(len(y))
    groups = {(f, lab) for f, lab in zip(file_of, y)}
    for f, lab in groups:
        mask = (file_of == f) & (y == lab)
        w[mask] = len(y) / (len(groups) * mask.sum())
    return w


def _auc_by_file(y: Any, scores: Any, file_of: Any) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    return {str(f): round(float(roc_auc_score(y[file_of == f], scores[file_of == f])), 4)
            for f in sorted(set(file_of))}


def _best_threshold(y: Any, logits: Any, file_of: Any) -> float:
    import numpy as np
    from sklearn.metrics import f1_score

    candidates = np.unique(np.quantile(logits, np.linspace(0.05, 0.95, 91)))
    files = sorted(set(file_of))

    def mean_f1(t: float) -> float:
        return float(np.mean([f1_score(y[file_of == f], logits[file_of == f] >= t) for f in files]))

    return float(max(candidates, key=mean_f1))


# ---------------------------------------------------------------------------
# the derived sentiment list (framing/lexicons/promotional_sentiment.tsv)

#: function words, identity terms and words that are factual in news and encyclopedic prose
_SENTIMENT_STOP = frozenset("""
no yes like please ok okay well want wants wanted help helps helped care cares cared kind sure true whole far
full free freedom hand major main own certain much many more most last new old other first second third such
same different real rather just only even still very pretty fine right left top high low big small large
little long short early late young general special public private common present open clear chief ready due
able l united supreme won win wins winning winner winners award awards awarded gained gain gains base
primary light heavy live cold natural original behind latest higher greater lower debt debts death deaths
died dead die dies dying killed kill kills killing war wars crime crimes criminal wealth wealthy fear fears
justice violence peaceful ban banned bans protect protected protection approval approve approved sexual
significant significantly active becoming support supports supported supporting supporters supporter friend
friends unable critical criticism problem problems cancer disease ill illness sick attack attacks attacked
attacking battle battles prison prisoner prisoners arrest arrested fire fired fight fights fighting conflict
conflicts accident accidents injured injury injuries victim victims crisis emergency success popular
important care safe safety security secure peace black white old young elderly senior junior minor high low
gay lesbian homosexual transgender queer jewish muslim christian catholic blind deaf disabled poor poverty
rich hospital hospitals tax taxes lost lose loss losses defeat defeated defeats tragedy bomb bombs bombing
bombed weapon weapons army military police god church holy divine bless blessed heaven paradise sacred
spirit soul worship
growth interest interests agreement agreements confirmed holiday holidays hot unemployment recession deficit
deficits argued argument arguments mean
""".split())


def derive_sentiment_lexicon(pattern_xml: str | Path, vader_txt: str | Path, min_valence: float = 1.5) -> str:
    """Rebuild ``promotional_sentiment.tsv`` from its two public sources (returns the file's text).

    Parameters
    ----------
    pattern_xml : path
        ``en-sentiment.xml`` of the Pattern library (shipped in ``textblob/en/``; PDDL).
    vader_txt : path
        ``vader_lexicon.txt`` (shipped in the ``vaderSentiment`` package; MIT).
    min_valence : float
        Smallest absolute VADER valence for a word not in the Pattern list.

    Examples
    --------
    ``pip install --no-deps --target /tmp/pk textblob==0.20.1 vaderSentiment==3.3.2``, then
    ``derive_sentiment_lexicon("/tmp/pk/textblob/en/en-sentiment.xml",
    "/tmp/pk/vaderSentiment/vader_lexicon.txt")`` gives the packaged file byte for byte.
    """
    import statistics
    import xml.etree.ElementTree as ET

    senses: dict[str, list[tuple[float, float]]] = {}
    for w in ET.parse(pattern_xml).getroot().iter("word"):
        form = w.get("form", "").lower()
        if re.fullmatch(r"[a-z]+(?:-[a-z]+)*", form):
            senses.setdefault(form, []).append((float(w.get("polarity", 0)), float(w.get("subjectivity", 0))))
    vader = {}
    for line in Path(vader_txt).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if re.fullmatch(r"[a-z]+(?:[-'][a-z]+)*", parts[0]):
            vader[parts[0]] = float(parts[1])
    out: dict[str, tuple[str, float]] = {}
    for form, pairs in senses.items():
        pol, subj = statistics.mean(p for p, _ in pairs), statistics.mean(s for _, s in pairs)
        if subj >= 0.5:
            out[form] = ("positive" if pol >= 0.1 else "negative" if pol <= -0.1 else "subjective", round(subj, 2))
    for form, val in vader.items():
        if abs(val) >= min_valence and form not in out:
            out[form] = ("positive" if val > 0 else "negative", round(min(abs(val) / 3.0, 1.0), 2))
        elif form in out and out[form][0] == "subjective" and abs(val) >= 1.0:
            out[form] = ("positive" if val > 0 else "negative", out[form][1])
    lines = [
        "# name: promotional_sentiment",
        "# version: 2",
        "# source: derived for framing from (a) the Pattern subjectivity lexicon for English adjectives, "
        "en-sentiment.xml v1.3 (De Smedt & Daelemans 2012) as shipped in textblob 0.20.1: forms whose mean "
        "subjectivity over senses is >= 0.5, polarity sign = mean polarity (forms with |p| < 0.1 dropped unless "
        "VADER gives a sign, |valence| >= 1); (b) the VADER lexicon vader_lexicon.txt (Hutto & Gilbert 2014) as "
        f"shipped in vaderSentiment 3.3.2: alphabetic words with |mean valence| >= {min_valence:g} not already in "
        "(a); function words, identity terms (gay, black, jewish, ...) and words that are factual in news and "
        "encyclopedic prose (war, killed, united, supreme, won, award, debt, ...) removed; v2 also removes economic, "
        "procedural and discourse words that report rather than evaluate in news and official prose (growth, interest, "
        "agreement, confirmed, unemployment, recession, deficit, argued, argument, mean, holiday, hot)",
        "# licence: Pattern lexicon PDDL (public domain); VADER lexicon MIT, Copyright (c) 2016 C.J. Hutto; "
        "this derived list under the same terms",
        "# columns: term, category, weight",
        "# note: weight = Pattern subjectivity, or |VADER valence| / 3 capped at 1; the packaged promotional.tsv "
        "overrides any term it also lists",
        "# rebuild: framing.extractors.promotional.derive_sentiment_lexicon(pattern_xml, vader_txt)",
    ]
    for form in sorted(out):
        cat, weight = out[form]
        if form not in _SENTIMENT_STOP and cat != "subjective":
            lines.append(f"{form}\tsentiment_{cat}\t{weight:g}")
    return "\n".join(lines) + "\n"


@register_cv("promotional")
def cross_validate_promotional(files: Sequence[str | Path], folds: int = 5, *, text_col: str = "text",
                               label_col: str = "label", min_support: int = 5, min_df: int = 5, seed: int = 0
                               ) -> dict[str, Any]:
    """Nested ``folds``-fold cross-validated ROC AUC per file (hyper-parameters chosen inside each outer part)."""
    data = _training_data([Path(f) for f in files], text_col, label_col, min_support, min_df, folds, seed)
    return data.nested()
