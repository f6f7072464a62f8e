"""Framing of one document: policy frames, modality, institutional voice vs third-person analysis, actors.

The extractor is registered as ``framing``. Everything is lexicon-based and
transparent; each counted cue is an :class:`~framing.extractors.base.Evidence`
with character offsets and a voice (``doc.attribution.voice_at``).

* **Frames** — the 14 generic policy frames of the Policy Frames Codebook
  (Boydstun et al. 2014) as used in SemEval-2023 Task 3 subtask 2 (Piskorski et
  al. 2023), detected from cue words (``framing/lexicons/frames.tsv``): per
  1,000 words and as the frame's share of all frame cues. Counted in every voice:
  whom a document quotes is part of how it frames the issue. A lexicon-based
  signal of which frame vocabularies are present, not a trained frame classifier.
* **Modality** (``framing/lexicons/modality.tsv``) — deontic (should, must,
  need to, have to, ought to) vs epistemic (may, might, could, likely, perhaps)
  modals in the author's voice. "May" the month ("in May 2024") is not counted;
  "must/should have been" is epistemic.
* **Institutional first person vs third-person analysis** — an institution
  speaking of itself ("we", "our", "us"; "China believes", "China stands ready",
  "the Ministry remains committed": a country, organisation or metonym as the
  subject of a stance predicate of the ``institutional`` category) versus a text
  analysing an actor's intent from outside ("Beijing seeks", "China aims to",
  "positioning itself", "Beijing's strategy": predicates of the ``analytic``
  category, nouns of ``analytic_attribute`` after a possessive). Author voice only.
* **Actors** — mentions of countries, government metonyms, organisations,
  people and collective actors (:func:`framing.actors.find_actor_mentions`).

References
----------
Boydstun A. E., Card D., Gross J. H., Resnik P. & Smith N. A. (2014). Tracking the
development of media frames within and across policy issues. APSA 2014.
Piskorski J., Stefanovitch N., Da San Martino G. & Nakov P. (2023). SemEval-2023 Task 3.
Proceedings of SemEval-2023, 2343-2361.
Palmer F. R. (2001). *Mood and Modality*, 2nd ed. Cambridge University Press.
"""
from __future__ import annotations

from itertools import compress
from pathlib import Path
from typing import Any

from ..actors import ActorMention, find_actor_mentions
from ..cues import cues_of, register_layer
from ..cues.rules import NameGuard
from ..cues.stance import stance_cues
from ..document import Document
from ..lexicon import Lexicon, load_lexicon
from .base import NAN, Evidence, Extractor, Result, per_1k, register

__all__ = ["FRAMES", "FRAME_LABELS", "FramingExtractor"]

#: frame slug -> label of the Policy Frames Codebook / SemEval-2023 Task 3, in codebook order
FRAME_LABELS: dict[str, str] = {
    "economic": "Economic",
    "capacity_resources": "Capacity and resources",
    "morality": "Morality",
    "fairness_equality": "Fairness and equality",
    "legality": "Legality, constitutionality and jurisprudence",
    "policy": "Policy prescription and evaluation",
    "crime_punishment": "Crime and punishment",
    "security_defense": "Security and defense",
    "health_safety": "Health and safety",
    "quality_of_life": "Quality of life",
    "cultural_identity": "Cultural identity",
    "public_opinion": "Public opinion",
    "political": "Political",
    "external_reputation": "External regulation and reputation",
}
FRAMES: tuple[str, ...] = tuple(FRAME_LABELS)

_FIRST_PERSON = frozenset({"we", "our", "us", "ours", "ourselves"})
_INSTITUTION_KINDS = frozenset({"country", "organisation", "government metonym"})


def _modal_reading(stance: str | None, category: str) -> tuple[str, str]:
    """A modal's category given the stance layer's reading of the same token (``None`` when it has none)."""
    if stance in ("month", "name", "none", "ability", "request"):
        return "", ""
    if stance == "deontic":
        return "deontic", ""
    if stance in ("hedge", "booster") and category == "deontic":
        return "epistemic", "an epistemic reading (e.g. 'must have been')"
    return category, ""


def _columns() -> tuple[str, ...]:
    cols = [f"framing_frame_{f}_per_1k" for f in FRAMES] + [f"framing_frame_{f}_share" for f in FRAMES]
    cols += ["framing_frame_cues", "framing_frame_cues_per_1k",
             "framing_deontic", "framing_deontic_per_1k", "framing_epistemic", "framing_epistemic_per_1k",
             "framing_deontic_share",
             "framing_we", "framing_we_per_1k",
             "framing_institutional_first_person", "framing_institutional_first_person_per_1k",
             "framing_third_person_analysis", "framing_third_person_analysis_per_1k",
             "framing_actor_mentions", "framing_actor_mentions_per_1k"]
    return tuple(cols)


def _column_descriptions() -> dict[str, str]:
    d: dict[str, str] = {}
    for f, label in FRAME_LABELS.items():
        d[f"framing_frame_{f}_per_1k"] = (f"'{label}' frame cues per 1,000 words (lexicon-based, all voices); "
                                          "higher = more of that frame's vocabulary")
        d[f"framing_frame_{f}_share"] = (f"share of all frame cues that belong to '{label}' (0-1; the 14 shares "
                                         "sum to 1; NaN without frame cues)")
    d.update({
        "framing_frame_cues": "frame cues of any of the 14 frames (count, all voices); higher = more frame vocabulary",
        "framing_frame_cues_per_1k": "frame cues per 1,000 words (the 14 generic frames together); "
                                     "higher = denser frame vocabulary",
        "framing_deontic": "deontic modals in the author's voice (should, must, need to, have to, ought to; count); "
                           "higher = more prescriptive",
        "framing_deontic_per_1k": "deontic modals per 1,000 words, author voice; higher = more prescriptive",
        "framing_epistemic": "epistemic modals in the author's voice (may, might, could, likely, perhaps; count); "
                             "higher = more tentative",
        "framing_epistemic_per_1k": "epistemic modals per 1,000 words, author voice; higher = more tentative",
        "framing_deontic_share": "share of obligation (should, must) among the author's modals (0-1; NaN without "
                                 "modals); higher = obligation rather than possibility (deontic / (deontic + "
                                 "epistemic))",
        "framing_we": "first-person plural we/our/us in the author's voice (count); higher = more 'we'",
        "framing_we_per_1k": "we/our/us per 1,000 words, author voice; higher = the text speaks as a 'we'",
        "framing_institutional_first_person": "institutional self-presentation: we/our/us plus an institution as "
                                              "subject of a stance predicate ('China believes', 'stands ready'; count); "
                                              "higher = the institution speaks for itself more",
        "framing_institutional_first_person_per_1k": "institutional first person per 1,000 words, author voice; "
                                                     "higher = the institution speaks for itself",
        "framing_third_person_analysis": "third-person analysis of an actor's intent ('Beijing seeks', 'China aims "
                                         "to', 'positioning itself', 'Beijing's strategy'; count); "
                                         "higher = more reading of an actor's motives from outside",
        "framing_third_person_analysis_per_1k": "third-person analysis per 1,000 words, author voice; higher = the "
                                                "text reads an actor's motives from outside",
        "framing_actor_mentions": "mentions of countries, government metonyms, organisations, people and "
                                  "collective actors (count, all voices); higher = more actor-centred",
        "framing_actor_mentions_per_1k": "actor mentions per 1,000 words; higher = more actor-centred",
    })
    return d


@register
class FramingExtractor(Extractor):
    """Policy frames (14, lexicon-based), modality, institutional vs analytic voice, and actor mentions.

    Parameters
    ----------
    frames : str or Path, optional
        A lexicon replacing the packaged ``frames`` lexicon (categories = frame slugs of :data:`FRAMES`).
    modality : str or Path, optional
        A lexicon replacing the packaged ``modality`` lexicon (categories deontic, epistemic,
        institutional, analytic, analytic_attribute).
    actors : str or Path, optional
        A lexicon replacing the packaged ``actors`` lexicon (see :mod:`framing.actors`).
    extend_frames : str or Path, optional
        A lexicon whose entries are added to (and override) the frames lexicon.
    """

    name = "framing"
    version = "1"
    description = ("Lexicon-based framing: cue rates and shares of the 14 generic policy frames (Boydstun et al. "
                   "2014; SemEval-2023 Task 3), deontic vs epistemic modality, institutional first person "
                   "('China believes') vs third-person analysis ('Beijing seeks'), and actor mentions.")
    columns = _columns()
    column_descriptions = _column_descriptions()

    def __init__(self, frames: str | Path | None = None, modality: str | Path | None = None,
                 actors: str | Path | None = None, extend_frames: str | Path | None = None):
        self.frames = frames
        self.modality = modality
        self.actors = actors
        self.extend_frames = extend_frames
        frame_lex = load_lexicon(frames or "frames")
        if extend_frames is not None:
            frame_lex = frame_lex.extended(load_lexicon(extend_frames))
        unknown = sorted(set(frame_lex.categories()) - set(FRAMES))
        if unknown:
            raise ValueError(f"{frame_lex.path}: unknown frame categories {unknown}; use {', '.join(FRAMES)}")
        self._frame_lex: Lexicon = frame_lex
        self._modality_lex: Lexicon = load_lexicon(modality or "modality")
        self._actors_lex: Lexicon = load_lexicon(actors or "actors")
        self._actors_key = str(actors or "actors")
        modal_entries = [e for e in self._modality_lex.entries if e.category in ("deontic", "epistemic")]
        # frame cues and modals are one layer of the cue layer's single matcher (no term is in both)
        self._layer = register_layer("framing", list(frame_lex.entries) + modal_entries)
        self._institutional = self._modality_lex.terms("institutional")
        self._analytic = self._modality_lex.terms("analytic")
        self._analytic_attribute = self._modality_lex.terms("analytic_attribute")

    def get_params(self) -> dict[str, Any]:
        return {"frames": self.frames, "modality": self.modality, "actors": self.actors,
                "extend_frames": self.extend_frames}

    def resources(self) -> list[dict[str, str]]:
        return [self._frame_lex.provenance(), self._modality_lex.provenance(), self._actors_lex.provenance()]

    # ------------------------------------------------------------------
    lazy_evidence = True

    def extract(self, doc: Document, evidence: bool = True) -> Result:
        n = cues_of(doc).answered_words  # questioners' turns are not the document's words
        frame_counts = dict.fromkeys(FRAMES, 0.0)
        modal_counts = {"deontic": 0, "epistemic": 0}
        # hits are small tuples (category, cue, start, end, sentence, voice, weight, note); Evidence objects are
        # built from them only when evidence is wanted
        hits = self._lexicon_hits(doc)
        for hit in hits:
            category = hit[0]
            if category.startswith("frame_"):
                frame_counts[category[6:]] += hit[6]
            elif hit[6]:
                modal_counts[category] += 1
        we = self._first_person_hits(doc)
        mentions = find_actor_mentions(doc, self._actors_key)
        asked = doc.attribution.questioner_sentences
        n_mentions = sum(1 for m in mentions if m.sentence not in asked)
        stance = self._stance_evidence(doc, mentions)
        n_we = sum(1 for h in we if h[6])
        n_inst = n_we + sum(1 for e in stance if e.weight and e.category == "institutional")
        n_anal = sum(1 for e in stance if e.weight and e.category == "analytic")
        out: list[Evidence] = []
        if evidence:
            body, name = doc.body, self.name
            voice_at = doc.attribution.voice_at
            out = [Evidence(name, c, cue, body[s:e], s, e, si, v, w, note) for c, cue, s, e, si, v, w, note in hits]
            out += [Evidence(name, c, cue, body[s:e], s, e, si, v, w, note) for c, cue, s, e, si, v, w, note in we]
            out += stance
            out += [Evidence(name, "actor", m.actor, body[m.start:m.end], m.start, m.end, m.sentence,
                             voice_at(m.start, m.sentence), 0.0 if m.sentence in asked else 1.0,
                             m.kind + ("; questioner: not counted" if m.sentence in asked else ""))
                    for m in mentions]
        total_frames = sum(frame_counts.values())
        n_modal = modal_counts["deontic"] + modal_counts["epistemic"]
        f: dict[str, float] = {}
        for fr in FRAMES:
            f[f"framing_frame_{fr}_per_1k"] = per_1k(frame_counts[fr], n)
            f[f"framing_frame_{fr}_share"] = frame_counts[fr] / total_frames if total_frames else NAN
        f.update({
            "framing_frame_cues": total_frames, "framing_frame_cues_per_1k": per_1k(total_frames, n),
            "framing_deontic": modal_counts["deontic"], "framing_deontic_per_1k": per_1k(modal_counts["deontic"], n),
            "framing_epistemic": modal_counts["epistemic"],
            "framing_epistemic_per_1k": per_1k(modal_counts["epistemic"], n),
            "framing_deontic_share": modal_counts["deontic"] / n_modal if n_modal else NAN,
            "framing_we": n_we, "framing_we_per_1k": per_1k(n_we, n),
            "framing_institutional_first_person": n_inst,
            "framing_institutional_first_person_per_1k": per_1k(n_inst, n),
            "framing_third_person_analysis": n_anal, "framing_third_person_analysis_per_1k": per_1k(n_anal, n),
            "framing_actor_mentions": n_mentions, "framing_actor_mentions_per_1k": per_1k(n_mentions, n),
        })
        dominant = max(FRAMES, key=lambda fr: (frame_counts[fr], -FRAMES.index(fr))) if total_frames else ""
        extra = {"frame_counts": frame_counts, "dominant_frame": dominant,
                 "dominant_frame_label": FRAME_LABELS.get(dominant, "")}
        return Result(f, out, "", extra)

    # ---- evidence builders ------------------------------------------------
    def _lexicon_evidence(self, doc: Document) -> list[Evidence]:
        """Frame cues and modals as :class:`Evidence` (see :meth:`_lexicon_hits`)."""
        body = doc.body
        return [Evidence(self.name, c, cue, body[s:e], s, e, si, v, w, note)
                for c, cue, s, e, si, v, w, note in self._lexicon_hits(doc)]

    def _lexicon_hits(self, doc: Document) -> list[tuple[str, str, int, int, int, str, float, str]]:
        """Frame cues (all voices counted, never inside a name) and modals (author voice counted).

        A modal's reading is the cue layer's (:mod:`framing.cues.stance`): "should" of obligation is deontic,
        "must have been" epistemic, "May" the month nothing. Each hit is ``(category, cue, start, end, sentence,
        voice, weight, note)``.
        """
        seg = doc.segmentation
        toks = seg.tokens
        token_sentence = seg.token_sentence
        voice_at = doc.attribution.voice_at
        names = NameGuard(seg)
        stance: dict[int, str] | None = None
        out = []
        for m in cues_of(doc).layer(self._layer):
            entry = m.entry
            cat = entry.category
            start, end = toks[m.first][0], toks[m.last - 1][1]
            si = token_sentence[m.first]
            if cat in ("deontic", "epistemic"):
                if stance is None:
                    stance = {c.first: c.category for c in stance_cues(doc)}
                cat, note = _modal_reading(stance.get(m.first), cat)
                if not cat:
                    continue
                voice = voice_at(start, si)
                weight = 1.0 if voice == "author" else 0.0
                if not weight:
                    note = f"{voice}: not counted" + (f"; {note}" if note else "")
                out.append((cat, entry.term, start, end, si, voice, weight, note))
            elif not names.in_name(m.first, m.last, sentence_start_counts=True):
                voice = voice_at(start, si)
                if voice == "questioner":  # a journalist's question: shown, not counted
                    out.append((f"frame_{cat}", entry.term, start, end, si, voice, 0.0,
                                f"{FRAME_LABELS[cat]}; questioner: not counted"))
                else:
                    out.append((f"frame_{cat}", entry.term, start, end, si, voice, entry.weight, FRAME_LABELS[cat]))
        return out

    def _first_person_hits(self, doc: Document) -> list[tuple[str, str, int, int, int, str, float, str]]:
        """we/our/us (not the acronym "US") as ``(category, cue, start, end, sentence, voice, weight, note)``."""
        seg = doc.segmentation
        acronyms = cues_of(doc).acronyms
        voice_at = doc.attribution.voice_at
        out = []
        lower = seg.lower
        tokens, token_sentence = seg.tokens, seg.token_sentence
        for i in compress(range(len(lower)), map(_FIRST_PERSON.__contains__, lower)):
            if i not in acronyms:  # "US" the country is not "us"
                start, end = tokens[i]
                si = token_sentence[i]
                voice = voice_at(start, si)
                weight = 1.0 if voice == "author" else 0.0
                out.append(("first_person", lower[i], start, end, si, voice, weight,
                            "" if weight else f"{voice}: not counted"))
        return out

    def _stance_evidence(self, doc: Document, mentions: list[ActorMention]) -> list[Evidence]:
        """Institution + stance predicate (institutional) and actor + intent predicate/attribute (analytic)."""
        voice_at = doc.attribution.voice_at
        body = doc.body
        out = []
        for m in mentions:
            pairs: list[tuple[str, str, tuple[int, int]]] = []
            for pred, span in zip(m.predicates, m.predicate_spans):
                if m.kind in _INSTITUTION_KINDS and pred in self._institutional:
                    pairs.append(("institutional", pred, span))
                elif pred in self._analytic:
                    pairs.append(("analytic", pred, span))
            if m.attribute and m.attribute in self._analytic_attribute and m.attribute_span:
                pairs.append(("analytic", f"'s {m.attribute}", m.attribute_span))
            for category, pred, (ps, pe) in pairs:
                start, end = (min(m.start, ps), max(m.end, pe))
                if end - start > 80:  # fronted clause: point at the predicate, name the actor in the note
                    start, end = ps, pe
                voice = voice_at(m.start, m.sentence)
                weight = 1.0 if voice == "author" else 0.0
                note = f"{m.actor} + {pred}" + ("" if weight else f"; {voice}: not counted")
                out.append(Evidence(self.name, category, f"{m.actor} {pred}", body[start:end], start, end,
                                    m.sentence, voice, weight, note))
        return out
