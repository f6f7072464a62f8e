"""Findings an analyst can act on: constructs, merging, support thresholds, form vs framing, the unit of analysis."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.compare import Comparison, choose_unit
from framing.reporting.constructs import (
    FORM,
    FRAMING,
    MIN_OCCURRENCES,
    constructs_for,
    finding_sentence,
    findings,
)


def _catalogue(rows):
    return pd.DataFrame(rows, columns=["feature", "extractor", "label", "description"])


def _comparison(values: dict[str, list[float]], groups: list[str], evidence: list[tuple] = (),
                outlets: list[str] | None = None, extra: dict[str, tuple[str, str]] | None = None) -> Comparison:
    """A hand-made comparison: one row per document, with the given feature values and evidence rows
    ``(doc index, extractor, category, sentence text[, voice])`` (voice ``author`` when not given)."""
    n = len(groups)
    ids = [f"d{i}" for i in range(n)]
    docs = pd.DataFrame({"id": ids, "label": ids, "title": ids, "outlet": outlets or [""] * n, "date": [""] * n,
                         "role": groups, "detected_type": [""] * n, "group": groups, "n_words": [1000] * n})
    for col, v in values.items():
        docs[col] = v
    known = {"framing_deontic_per_1k": ("framing", "deontic modals per 1,000 words"),
             "framing_deontic_share": ("framing", "deontic / (deontic + epistemic) modals"),
             "framing_we_per_1k": ("framing", "we/our/us per 1,000 words"),
             "framing_institutional_first_person_per_1k": ("framing", "institutional first person per 1,000 words"),
             "source_type_qa_turns_per_1k": ("source_type", "Q&A turn markers per 1,000 words"),
             **(extra or {})}
    cat = _catalogue([(c, *known.get(c, ("x", c)), "higher = more") for c in values])
    ev = pd.DataFrame([(ids[d], groups[d], x, c, "cue", "cue", 0, 3, 0, 0, (voice or ["author"])[0], 1.0, "", text)
                       for d, x, c, text, *voice in evidence],
                      columns=["doc_id", "group", "extractor", "category", "cue", "text", "start", "end", "sentence",
                               "sentence_start", "voice", "weight", "note", "sentence_text"])
    comparison = pd.DataFrame(columns=["feature", "group", "q", "cliffs_delta"])
    order = ["official"] + sorted(set(groups) - {"official"})
    return Comparison(documents=docs, features=cat, comparison=comparison, terms=pd.DataFrame(),
                      formulae=pd.DataFrame(), frames=pd.DataFrame(), actors=pd.DataFrame(),
                      modality=pd.DataFrame(), evidence=ev, groups=order, grouping={"unit": "document"})


GROUPS = ["official"] * 4 + ["commentary"] * 4


def test_all_voices_and_author_voice_columns_of_one_construct_give_one_finding():
    values = {"framing_institutional_first_person_per_1k": [8, 9, 7, 8, 0, 0, 1, 0],
              "framing_we_per_1k": [6, 7, 5, 6, 0, 1, 0, 0]}
    ev = [(d, "framing", "institutional", "We stand ready.") for d in range(4) for _ in range(3)]
    comp = _comparison(values, GROUPS, ev)
    found = findings(comp, list(values), FRAMING)
    assert len(found) == 1
    f = found[0]
    assert f.construct.name == "institutional voice" and f.direction == "more"
    assert f.also == ("framing_we_per_1k",)
    assert f.occurrences == 12 and not f.thin
    assert f.quotes["official"].text == "We stand ready." and f.quotes["commentary"] is None


def test_support_counts_only_the_cues_of_the_column_shown():
    # the framing family's institutional cues (2 a document) and source type's diplomatic spans (12 a document)
    # both evidence 'institutional voice'; a finding shown on the framing column counts the framing cues only
    values = {"framing_institutional_first_person_per_1k": [2, 2, 2, 2, 0, 0, 0, 0]}
    ev = [(d, "framing", "institutional", "We stand ready.") for d in range(4) for _ in range(2)] + \
         [(d, "source_type", "diplomatic", "win-win cooperation") for d in range(4) for _ in range(12)]
    (f,) = findings(_comparison(values, GROUPS, ev), list(values), FRAMING)
    assert f.column == "framing_institutional_first_person_per_1k" and f.occurrences == 8


def test_support_of_institutional_voice_counts_the_we_it_is_made_of():
    # the column is we/our/us plus "China believes"-type predicates: a speech full of "we" has its "we" as support,
    # not only the two institution predicates (it read "11 cues" under a mean of 21 per 1,000 words)
    values = {"framing_institutional_first_person_per_1k": [20, 20, 20, 20, 0, 0, 0, 0]}
    ev = [(d, "framing", "first_person", "We grieve for them and with them.") for d in range(4) for _ in range(20)] + \
         [(d, "framing", "institutional", "China stands ready to help.") for d in range(2)]
    (f,) = findings(_comparison(values, GROUPS, ev), list(values), FRAMING)
    assert f.occurrences == 82 and f.docs_with_cues == 4


def test_support_of_a_capped_source_type_column_comes_from_its_rate():
    # source type keeps 12 spans a feature; 30 per 1,000 words in 1,000-word documents are 30 cues each
    values = {"source_type_diplomatic_per_1k": [30, 30, 30, 30, 0, 0, 0, 0]}
    ev = [(d, "source_type", "diplomatic", "win-win cooperation") for d in range(4) for _ in range(12)]
    extra = {"source_type_diplomatic_per_1k": ("source_type", "diplomatic formulae per 1,000 words")}
    (f,) = findings(_comparison(values, GROUPS, ev, extra=extra), list(values), FRAMING)
    assert f.occurrences == 120


def test_without_a_test_values_barely_apart_are_thin():
    groups = ["official"] + ["commentary"] * 3
    values = {"framing_deontic_per_1k": [36.8, 21.8, 30.0, 36.7], "framing_we_per_1k": [20.0, 0.0, 2.0, 5.0]}
    ev = [(0, "framing", "deontic", "We must act.")] * 9 + [(0, "framing", "institutional", "We stand.")] * 9
    found = {f.construct.name: f for f in findings(_comparison(values, groups, ev), list(values), FRAMING)}
    assert found["obligation"].thin and "barely separate" in found["obligation"].thin_reason
    assert not found["institutional voice"].thin  # 20 against 0-5: a gap of 75% of the range


def test_unclaimed_columns_of_one_family_merge_when_they_correlate():
    a = [1, 2, 3, 4, 5, 6, 7, 8]
    values = {"x_alpha_per_1k": a, "x_beta_per_1k": [2 * v + 1 for v in a], "x_gamma_per_1k": [5, 1, 7, 2, 8, 3, 6, 4]}
    comp = _comparison(values, GROUPS)
    names = {c.name: c.columns for c in constructs_for(comp, list(values))}
    merged = next(cols for cols in names.values() if "x_alpha_per_1k" in cols)
    assert merged == ("x_alpha_per_1k", "x_beta_per_1k")
    assert any(cols == ("x_gamma_per_1k",) for cols in names.values())


def test_a_finding_on_few_cues_is_thin_not_a_headline():
    values = {"framing_deontic_per_1k": [2, 2, 1, 2, 0, 0, 0, 0]}
    ev = [(0, "framing", "deontic", "We must act."), (1, "framing", "deontic", "They should."),
          (3, "framing", "deontic", "You need to.")]
    comp = _comparison(values, GROUPS, ev)
    (f,) = findings(comp, list(values), FRAMING)
    assert f.occurrences == 3 < MIN_OCCURRENCES
    assert f.thin and "3 cues" in f.thin_reason


def test_a_finding_carried_by_one_document_is_thin():
    values = {"framing_deontic_per_1k": [20, 1, 1, 1, 0, 0, 0, 0]}
    ev = [(0, "framing", "deontic", "We must act.")] * 20 + [(d, "framing", "deontic", "Must.") for d in (1, 2, 3)]
    comp = _comparison(values, GROUPS, ev)
    (f,) = findings(comp, list(values), FRAMING)
    assert f.occurrences == 23 and f.thin and "one document carries" in f.thin_reason


def test_form_and_framing_are_kept_apart():
    values = {"framing_deontic_per_1k": [5, 6, 5, 7, 0, 1, 0, 1], "source_type_qa_turns_per_1k": [9, 8, 9, 7, 0, 0, 0, 0]}
    ev = [(d, "framing", "deontic", "We must.") for d in range(4) for _ in range(3)] + \
         [(d, "source_type", "qa_turns", "Question:") for d in range(4) for _ in range(3)]
    comp = _comparison(values, GROUPS, ev)
    framing_found = [f.construct.name for f in findings(comp, list(values), FRAMING)]
    form_found = [f.construct.name for f in findings(comp, list(values), FORM)]
    assert framing_found == ["obligation"]
    assert form_found == ["Q&A format"]


def test_source_type_probabilities_are_never_findings():
    values = {"source_type_p_official": [0.9, 0.8, 0.9, 0.7, 0.1, 0.2, 0.1, 0.1]}
    comp = _comparison(values, GROUPS, extra={"source_type_p_official": ("source_type", "probability official")})
    assert findings(comp, list(values), None) == []


def test_ranking_prefers_larger_effects_with_support():
    values = {"framing_deontic_per_1k": [5, 6, 5, 7, 0, 1, 0, 1],                 # separated
              "framing_institutional_first_person_per_1k": [3, 1, 4, 0, 2, 0, 1, 0]}  # overlapping
    ev = [(d, "framing", "deontic", "We must.") for d in range(4) for _ in range(3)] + \
         [(d, "framing", "institutional", "We believe.") for d in range(4) for _ in range(3)]
    comp = _comparison(values, GROUPS, ev)
    found = findings(comp, list(values), FRAMING)
    assert next(f.construct.name for f in found) == "obligation"
    assert found[0].effect > found[-1].effect


def test_group_of_one_document_is_described_without_effect_size():
    values = {"framing_deontic_per_1k": [8, 0, 1, 0]}
    ev = [(0, "framing", "deontic", "We must.")] * 6
    comp = _comparison(values, ["official", "commentary", "commentary", "commentary"], ev)
    (f,) = findings(comp, list(values), FRAMING)
    assert not f.tested and np.isnan(f.delta)
    sentence = finding_sentence(f)
    assert "in the official text" in sentence and "each of the 3 commentary texts" in sentence
    assert "δ" not in sentence


def _docs(groups, outlets):
    return pd.DataFrame({"id": [f"d{i}" for i in range(len(groups))], "group": groups, "outlet": outlets})


def test_unit_is_outlet_when_outlets_repeat_and_each_group_has_several():
    unit, why, confounded = choose_unit(_docs(["official"] * 4 + ["commentary"] * 4,
                                              ["M", "M", "A", "A", "P", "P", "B", "B"]))
    assert unit == "outlet" and not confounded and "prolific outlet counts once" in why


def test_confounded_role_and_outlet_fall_back_to_documents_and_say_so():
    unit, why, confounded = choose_unit(_docs(["official"] * 3 + ["commentary"] * 3,
                                              ["State", "State", "State", "P", "P", "B"]))
    assert unit == "document" and confounded
    assert "confounded" in why and "'official'" in why and "document-level" in why


def test_unit_without_outlets_is_the_document_and_asking_for_outlets_is_honoured():
    unit, why, _ = choose_unit(_docs(["official", "official", "commentary", "commentary"], ["", "", "", ""]))
    assert unit == "document" and "outlet" in why
    unit, why, conf = choose_unit(_docs(["official"] * 2 + ["commentary"] * 2, ["S", "S", "P", "Q"]), "outlet")
    assert unit == "outlet" and conf and "no outlet-level test" in why
    with pytest.raises(ValueError):
        choose_unit(_docs(["a"], ["x"]), "sentence")


def test_exemplars_pick_the_sentences_with_the_rarest_own_voice_cues_in_reading_order():
    """Exemplar sentences on real text: the limit's best sentences of a document, in reading order, with the
    cues highlighted at their offsets inside the sentence; a document without such cues has none."""
    from framing.compare import compare
    from framing.ingest import make_document
    from framing.pipeline import analyze
    from framing.reporting.findings import exemplars, group_exemplars

    texts = {
        "a": ("The ministry said the plan may possibly work. Officials met on Monday. "
              "It is perhaps the best option, analysts suggest. The weather was fine."),
        "b": "The report was published on Monday. It lists the results in full.",
        "c": "Critics claim the deal might collapse. Some observers believe it could be delayed.",
    }
    docs = [make_document(k, t, {"role": "official" if k != "c" else "commentary"}) for k, t in texts.items()]
    comp = compare(analyze(docs), n_boot=50, n_perm=50)
    ev = comp.evidence
    hedged = set(ev[(ev["extractor"] == "hedging") & (ev["doc_id"] == "a")]["sentence"])
    picked = exemplars(ev, "a", "hedging", limit=2)
    assert len(hedged) >= 2 and len(picked) == 2
    assert [x.sentence for x in picked] == sorted(x.sentence for x in picked)  # reading order
    assert {x.sentence for x in picked} <= hedged and len(picked) == min(2, len(hedged))
    for x in picked:
        assert x.spans and all(x.text[s:e].strip() for s, e, _, _ in x.spans)  # offsets inside the sentence
        assert all(label.split(": ", 1)[0] in set(ev["category"]) for *_, label in x.spans)
    assert all(x.doc_id == "b" and x.sentence in set(ev[ev["doc_id"] == "b"]["sentence"])
               for x in exemplars(ev, "b", None))
    one_each = group_exemplars(ev, ["a", "c"], "hedging", per_doc=1, per_group=5)
    assert one_each[0].doc_id == "a"
    assert [x.doc_id for x in one_each] == [d for d in ("a", "c") if exemplars(ev, d, "hedging", limit=1)]
    assert exemplars(ev, "no such document", "hedging") == []


def test_source_type_table_lists_disagreements_first_and_counts_them():
    from framing.reporting.findings import source_type_rows

    docs = pd.DataFrame({"id": [f"d{i}" for i in range(6)],
                         "role": ["official", "commentary", "", "official", "commentary", "official"],
                         "detected_type": ["official", "news", "news", "commentary", "commentary", ""]})
    rows, n = source_type_rows(docs, 3)
    assert n == 2 and list(rows["id"]) == ["d1", "d3", "d0"]  # both disagreements, then the others in order
    rows, n = source_type_rows(docs, 10)
    assert n == 2 and list(rows["id"]) == list(docs["id"])  # all fit: in order


def test_a_speaker_and_a_reporting_verb_alone_do_not_stand_as_evidence():
    from framing.reporting.findings import stands_alone

    for fragment in ("Roberts pointed out.", "He said so.", "Foreign Ministry Spokesperson Wang Wenbin said.",
                     "Minister of Foreign Affairs Wang Yi stressed.", "The Foreign Ministry spokesperson said.",
                     "Declared GOP candidates including Sens.",
                     "Dr. Humphreys 2 reported at some detail in that field.,2 Maj."):
        assert not stands_alone(fragment), fragment
    for sentence in ("The minister said the deal was fair.", "Roberts said the spending cuts would hurt growth.",
                     "\"The tax increases sound scarier.", "China Opposes Unilateral Sanctions On Chips.",
                     "The bill was sponsored by Sens. Warren and Sanders."):
        assert stands_alone(sentence), sentence


ROBERTS = ('The economist Russ Roberts is not worried.\n\n"The tax increases sound scarier. But we have a trillion '
           'dollar deficit!" Roberts pointed out. "So to me, the idea of raising taxes is probably a good idea."\n\n'
           'Roberts said the spending cuts would hurt growth next year.')


def test_exemplars_pass_over_a_fragment_to_the_next_telling_sentence():
    """On real text the quotation is split off into the sentence before, leaving "Roberts pointed out." with the
    document's only author-voice attribution: the most telling sentence by score, but no evidence on its own."""
    from framing.compare import compare
    from framing.ingest import make_document
    from framing.pipeline import analyze
    from framing.reporting.findings import exemplars, group_exemplars

    docs = [make_document("a", ROBERTS, {"role": "commentary"}),
            make_document("b", "The report was published on Monday. It lists the results in full.",
                          {"role": "official"})]
    ev = compare(analyze(docs), n_boot=50, n_perm=50).evidence
    cred = ev[(ev["extractor"] == "credibility") & (ev["doc_id"] == "a")]
    fragment = set(cred.loc[cred["sentence_text"].str.strip() == "Roberts pointed out.", "sentence"])
    assert len(fragment) == 1 and cred["sentence"].nunique() >= 3  # the fragment is evidence, with others
    picked = exemplars(ev, "a", "credibility", limit=2)
    assert len(picked) == 2 and not {x.sentence for x in picked} & fragment
    assert all(x.text.strip() != "Roberts pointed out." for x in group_exemplars(ev, ["a"], "credibility", 3, 2))
    everything = exemplars(ev, "a", "credibility", limit=10)  # too few others left: the fragment is still shown
    assert {x.sentence for x in everything} == set(cred["sentence"])


def test_a_finding_quotes_a_sentence_that_stands_alone_and_still_counts_the_fragment():
    values = {"credibility_attributions_per_1k": [9, 8, 9, 8, 0, 0, 1, 0]}
    extra = {"credibility_attributions_per_1k": ("credibility", "attributions per 1,000 words")}
    ev = ([(0, "credibility", "named_attribution", "Roberts pointed out.")] * 2
          + [(d, "credibility", "named_attribution", "Roberts said the spending cuts would hurt growth.")
             for d in (1, 2, 3) for _ in range(2)])
    (f,) = findings(_comparison(values, GROUPS, ev, extra=extra), list(values), FRAMING)
    assert f.construct.name == "attribution" and f.occurrences == 8  # the fragment's cues are counted
    assert f.quotes["official"].text == "Roberts said the spending cuts would hurt growth."
    only = [(d, "credibility", "named_attribution", "Roberts pointed out.") for d in range(4) for _ in range(2)]
    (f,) = findings(_comparison(values, GROUPS, only, extra=extra), list(values), FRAMING)
    assert f.quotes["official"].text == "Roberts pointed out."  # nothing better: the fragment, not nothing


def test_the_promotional_familys_total_is_not_a_finding_but_its_parts_are():
    """'Every cue of the family' mixes sentiment words and direct address with loaded words: official texts with
    more 'you' and 'great' but less loaded language must not read as 'more promotional and loaded wording'."""
    values = {"promo_cues_per_1k": [90, 95, 88, 92, 60, 58, 62, 61],
              "promo_loaded_per_1k": [1, 2, 1, 1, 5, 6, 5, 4]}
    ev = [(d, "promotional", "loaded", "It was chaos, a propaganda stunt by extremists.")
          for d in range(4, 8) for _ in range(3)]
    comp = _comparison(values, GROUPS, ev, extra={
        "promo_cues_per_1k": ("promotional", "every cue of this family per 1,000 words, all voices"),
        "promo_loaded_per_1k": ("promotional", "loaded words: per 1,000 words, all voices")})
    found = findings(comp, list(values), None)
    assert [f.column for f in found] == ["promo_loaded_per_1k"]
    assert finding_sentence(found[0]).startswith("Official texts use less loaded language")


def test_a_plural_measure_reads_fewer_without_its_direction_note():
    """The sentence names the column that shows the difference in plain words: 'fewer words not on ...', not
    'less words not on ... (higher = harder), than'."""
    values = {"readability_consensus_grade": [10, 10, 10, 10, 10, 10, 10, 10],
              "readability_unfamiliar_words_per_1k": [300, 310, 320, 305, 380, 370, 390, 375]}
    comp = _comparison(values, GROUPS, extra={
        "readability_consensus_grade": ("readability", "consensus grade"),
        "readability_unfamiliar_words_per_1k": (
            "readability", "words not on the Dale-Chall list of familiar words (higher = harder), per 1,000 words")})
    found = findings(comp, list(values), None)
    assert [f.column for f in found] == ["readability_unfamiliar_words_per_1k"]
    sentence = finding_sentence(found[0])
    assert sentence.startswith("Official texts use fewer words not on the Dale-Chall list of familiar words than ")
    assert "higher =" not in sentence


def test_a_share_reads_as_a_higher_share_without_its_range_note():
    """When a construct's share column shows the difference, the sentence says 'have a higher share of ...', not
    'use more deontic / (deontic + epistemic) modals, author voice (0-1; NaN without modals)'."""
    values = {"framing_deontic_per_1k": [4, 4, 4, 4, 4, 4, 4, 4],
              "framing_deontic_share": [0.6, 0.7, 0.6, 0.65, 0.3, 0.2, 0.3, 0.25]}
    ev = [(d, "framing", "deontic", "We must act now to protect the region.") for d in range(8) for _ in range(3)]
    comp = _comparison(values, GROUPS, ev, extra={"framing_deontic_share": (
        "framing", "share of obligation (should, must) among the author's modals (0-1; NaN without modals)")})
    found = findings(comp, list(values), FRAMING)
    assert [f.column for f in found] == ["framing_deontic_share"]
    assert finding_sentence(found[0]).startswith(
        "Official texts have a higher share of obligation (should, must) among the author's modals than commentary")


def test_institutional_voice_says_it_counts_every_we():
    # its column counts every "we/our/us" of the author's voice: a commentary's personal "us" is among its cues, so
    # the sentence must not claim the measure is institutional self-presentation alone
    values = {"framing_institutional_first_person_per_1k": [20, 20, 20, 20, 0, 0, 0, 0]}
    ev = [(d, "framing", "first_person", "We can get our civil rights bill.") for d in range(4) for _ in range(20)]
    (f,) = findings(_comparison(values, GROUPS, ev), list(values), FRAMING)
    assert finding_sentence(f).startswith("Official texts use more first-person plural and institutional "
                                          "self-presentation ('we', 'our'")


def test_an_attribution_quote_shows_the_groups_typical_attribution_in_whatever_voice_it_falls():
    """Attributions mostly fall in the reported clause ("..., said the minister"): the commentary's quote was
    "That's what normal people think", a rare vague attribution in the author's own voice, beside many named ones."""
    values = {"credibility_attributions_per_1k": [0, 1, 0, 0, 9, 8, 9, 8]}
    extra = {"credibility_attributions_per_1k": ("credibility", "attributions per 1,000 words")}
    ev = [(4, "credibility", "vague_attribution", "That is what normal people think.", "author")]
    ev += [(d, "credibility", "named_attribution",
            "The talks will resume next week in Geneva, said the foreign minister of Norway.", "reported")
           for d in (5, 6, 7) for _ in range(3)]
    ev += [(1, "credibility", "named_attribution", "They said the bill is still in committee.", "author")]
    (f,) = findings(_comparison(values, GROUPS, ev, extra=extra), list(values), FRAMING)
    assert f.construct.name == "attribution"
    assert f.quotes["commentary"].text == ("The talks will resume next week in Geneva, said the foreign minister of "
                                           "Norway.")
    assert f.quotes["official"].text == "They said the bill is still in committee."
    # outside sourcing the group's own words still come first: a loaded word quoted from someone else is not
    # the group's language while the author's own is there to show
    values = {"promo_loaded_per_1k": [0, 0, 0, 0, 5, 5, 5, 5]}
    extra = {"promo_loaded_per_1k": ("promotional", "charged or pejorative words per 1,000 words")}
    ev = [(d, "promotional", "loaded", "He called it a propaganda stunt by extremists on the radio.", "quoted")
          for d in (4, 5, 6) for _ in range(3)]
    ev += [(7, "promotional", "loaded", "The decision was a disgrace to the whole country.", "author")]
    (f,) = findings(_comparison(values, GROUPS, ev, extra=extra), list(values), FRAMING)
    assert f.quotes["commentary"].text == "The decision was a disgrace to the whole country."


def test_a_quote_shows_the_columns_own_cue_then_the_commonest_and_not_a_title():
    # the institutional column's own cue is the institutional one, though 'we' is commoner
    values = {"framing_institutional_first_person_per_1k": [20, 20, 20, 20, 0, 0, 0, 0]}
    ev = [(d, "framing", "first_person", "We can get our civil rights bill through this year.")
          for d in range(4) for _ in range(3)]
    ev += [(2, "framing", "institutional", "The United States is committed to our partnership with Bangladesh.")]
    (f,) = findings(_comparison(values, GROUPS, ev), list(values), FRAMING)
    assert f.quotes["official"].text == "The United States is committed to our partnership with Bangladesh."
    # loaded language counts two categories: the quote shows the commoner, not a one-off of the other
    values = {"promo_loaded_per_1k": [0, 0, 0, 0, 5, 5, 5, 5]}
    extra = {"promo_loaded_per_1k": ("promotional", "charged or pejorative words per 1,000 words")}
    ev = [(4, "promotional", "contentious_label", "The regime held a vote on Sunday.")] * 2
    ev += [(d, "promotional", "loaded", "It was a propaganda stunt by extremists and their allies.")
           for d in (5, 6, 7) for _ in range(2)]
    (f,) = findings(_comparison(values, GROUPS, ev, extra=extra), list(values), FRAMING)
    assert f.quotes["commentary"].text == "It was a propaganda stunt by extremists and their allies."
    # a title is passed over for a sentence of the text, however short
    ev = [(5, "promotional", "loaded", "Why The Propaganda Machine Keeps Winning Elections"),
          (6, "promotional", "loaded", ("It was a propaganda stunt by extremists, paid for by the party and its many "
                                        "allies in the press."))]
    (f,) = findings(_comparison(values, GROUPS, ev * 2, extra=extra), list(values), FRAMING)
    assert f.quotes["commentary"].text.startswith("It was a propaganda stunt by extremists, paid for")


def test_without_headlines_the_overview_says_why_each_finding_is_thin():
    from framing.reporting.sections import no_headline_sentence, thin_by_reason

    # (no cue of the 'we' column in the evidence: its rates in 1,000-word documents say 3 'we' in all)
    values = {"framing_deontic_per_1k": [9, 8, 9, 8, 1, 0, 1, 0], "framing_we_per_1k": [1, 1, 1, 0, 0, 0, 0, 0]}
    ev = [(d, "framing", "deontic", "We must act.") for d in (0, 1, 2, 3) for _ in range(10)]
    ev += [(0, "framing", "we_institutional", "We act."), (1, "framing", "we_institutional", "We do.")]
    comp = _comparison(values, GROUPS, ev, extra={"framing_we_per_1k": ("framing", "we/our/us per 1,000 words")})
    comp.comparison = pd.DataFrame({"feature": ["framing_deontic_per_1k"], "group": ["official"], "q": [0.3],
                                    "cliffs_delta": [0.9]})
    found = findings(comp, list(values), FRAMING)
    assert all(f.thin for f in found)
    grouped = dict(thin_by_reason(found))
    assert [f.column for f in grouped["not significant at this unit (q ≥ 0.05)"]] == ["framing_deontic_per_1k"]
    assert found[0].occurrences == 40  # many cues: thin only because it is not significant
    sentence = no_headline_sentence(found, "framing construct")
    assert sentence == ("No framing construct is a headline: 1 differs without being significant at this unit "
                        "(q ≥ 0.05); 1 rests on fewer than 5 cues.")
    assert no_headline_sentence([], "difference of form") == "No difference of form differs between the groups."


def test_support_of_an_author_voice_column_counts_the_authors_cues_only():
    # official texts quote loaded words (8 a document) and use 2 of their own; the author-voice column's finding
    # rests on those 2, not on the 10 the all-voices column counts, whether evidence is whole or counted in chunks
    values = {"promo_loaded_author_per_1k": [2, 2, 2, 2, 0, 0, 0, 0]}
    ev = [(d, "promotional", "loaded", "It is a brutal regime.") for d in range(4) for _ in range(2)] + \
         [(d, "promotional", "loaded", "'A brutal regime,' he said.", "quoted") for d in range(4) for _ in range(8)]
    extra = {"promo_loaded_author_per_1k": ("promotional", "loaded words per 1,000 words in the author's own voice")}
    comp = _comparison(values, GROUPS, ev, extra=extra)
    (f,) = findings(comp, list(values), FRAMING)
    assert f.occurrences == 8 and f.docs_with_cues == 4
    comp.cue_counts = pd.DataFrame({"doc_id": [f"d{d}" for d in range(4)], "extractor": ["promotional"] * 4,
                                    "category": ["loaded"] * 4, "n": [10] * 4, "n_author": [2] * 4})
    (f,) = findings(comp, list(values), FRAMING)
    assert f.occurrences == 8 and f.docs_with_cues == 4


def test_a_missing_quote_says_whether_the_group_has_cues():
    # official documents carry heading cues, on lines outside any sentence (sentence -1): nothing to quote, but not
    # "no cue"; the commentary has none
    values = {"source_type_headings_per_1k": [3, 3, 3, 3, 0, 0, 0, 0]}
    ev = [(d, "source_type", "section_label", "Background") for d in range(4) for _ in range(3)]
    extra = {"source_type_headings_per_1k": ("source_type", "short title-case heading lines per 1,000 words")}
    comp = _comparison(values, GROUPS, ev, extra=extra)
    comp.evidence["sentence"] = -1
    (f,) = findings(comp, list(values), FORM)
    assert f.quotes == {"official": None, "commentary": None}
    assert f.missing_quote("official", 4) == \
        "12 cues, none of them in a sentence that can be quoted here (see the evidence)."
    assert f.missing_quote("commentary", 4) == "No cue of this kind in the 4 commentary documents."


def test_a_run_on_exemplar_is_cut_to_the_window_holding_its_cues():
    from framing.reporting.findings import MAX_EXEMPLAR_CHARS, trimmed

    # a spoken statement transcribed without full stops: one "sentence" of 1,500 characters
    said = ("Across this country families every day are continuing to lose loved ones before their time and we "
            "grieve for them and with them ")
    text = (said * 6 + "but I can tell you that we are making huge progress and we will get it right "
            + "and the same can be said of the entire people of this country " * 10)
    huge, right = text.index("huge progress"), text.index("get it right") + 7
    spans = [(huge, huge + 4, "author", "puffery: huge"), (right, right + 5, "author", "evaluative: right")]
    cut, kept = trimmed(text, spans)
    assert len(cut) <= MAX_EXEMPLAR_CHARS + 2 and cut.startswith("…") and cut.endswith("…")
    assert [cut[a:b] for a, b, *_ in kept] == ["huge", "right"]
    assert " " + cut[1:].split(" ", 1)[0] + " " in " " + text + " "  # no word cut in two
    assert trimmed("We will get it right.", spans[:0]) == ("We will get it right.", [])


def test_a_quote_shows_a_cue_of_the_column_the_finding_is_measured_by():
    # page furniture measured by source type's column (0 in every official document): an official call to action
    # of the promotional family ("We are not in any hurry") is not its evidence, nor is the commentary's
    values = {"source_type_boilerplate_promo": [0, 0, 0, 0, 2, 2, 1, 2]}
    ev = [(0, "promotional", "call_to_action", "We are not in any hurry to leave this place."),
          (5, "promotional", "call_to_action", "Get our free weekly newsletter and sign up today.")]
    extra = {"source_type_boilerplate_promo": ("source_type", "photo credits, share/subscribe prompts, disclaimers, "
                                                              "author bios and related-links blocks")}
    (f,) = findings(_comparison(values, GROUPS, ev, extra=extra), list(values), FORM)
    assert f.construct.name == "boilerplate" and f.column == "source_type_boilerplate_promo"
    assert f.quotes == {"official": None, "commentary": None}
    assert f.missing_quote("official", 4) == "No cue of this kind in the 4 official documents."
    # measured by the promotional family's own column, its cues are the evidence
    values = {"promo_call_to_action_per_1k": [1, 0, 0, 0, 2, 2, 1, 2]}
    extra = {"promo_call_to_action_per_1k": ("promotional", "calls to action per 1,000 words")}
    (f,) = findings(_comparison(values, GROUPS, ev, extra=extra), list(values), FORM)
    assert f.quotes["commentary"].text == "Get our free weekly newsletter and sign up today."


def test_support_of_a_column_without_cues_counts_what_the_column_counts_not_documents():
    # source type's heading spans are evidence only where they pushed the call: none here. 2, 3, 1 and 2 headings
    # in four 1,000-word documents are 8 headings in 4 documents, not "4 cues in 4 documents"
    values = {"source_type_headings_per_1k": [0, 0, 0, 0, 2, 3, 1, 2]}
    extra = {"source_type_headings_per_1k": ("source_type", "short title-case heading lines per 1,000 words")}
    (f,) = findings(_comparison(values, GROUPS, extra=extra), list(values), FORM)
    assert (f.occurrences, f.docs_with_cues, f.counted) == (8, 4, "cue")
    assert f.missing_quote("commentary", 4) == "8 cues counted, none of them in the evidence with a sentence to quote."
    assert f.missing_quote("official", 4) == "No cue of this kind in the 4 official documents."
    # a count column (page furniture blocks): its values are the count
    values = {"source_type_boilerplate_promo": [0, 0, 0, 0, 2, 1, 3, 1]}
    extra = {"source_type_boilerplate_promo": ("source_type", "photo credits, share prompts and author bios; count")}
    cat = {"source_type_boilerplate_promo": "page furniture blocks; count, higher = more page furniture"}
    comp = _comparison(values, GROUPS, extra=extra)
    comp.features["description"] = comp.features["feature"].map(cat)
    (f,) = findings(comp, list(values), FORM)
    assert (f.occurrences, f.docs_with_cues) == (7, 4)
    # a score has no count: its support is the documents with a value, and says so
    values = {"x_score": [0, 0, 0, 0, 0.2, 0.5, 0.1, 0.3]}
    (f,) = findings(_comparison(values, GROUPS), list(values), None)
    assert (f.occurrences, f.docs_with_cues, f.counted) == (4, 4, "document")


def test_groups_whose_dates_overlap_but_mostly_lie_apart_are_warned_of():
    from framing.reporting.sections import group_caveats

    # three official texts from the 1960s and one from 2020 span the commentary's 2012-2020: the spans overlap,
    # yet three quarters of the official texts are from another period
    comp = _comparison({"x_per_1k": [1] * 8}, GROUPS)
    comp.documents["date"] = ["1962-09-13", "1966-08-27", "1967-02-27", "2020-07-20",
                              "2012-09-05", "2016-01-01", "2018-05-05", "2020-07-20"]
    caveats = group_caveats(comp)
    assert "Time span: official 1962-09-13 to 2020-07-20 (4 of 4 dated); commentary 2012-09-05 to 2020-07-20 " \
           "(4 of 4 dated)." in caveats
    assert ("Warning: 3 of the 4 dated official documents fall outside the commentary documents' dates "
            "(2012-09-05 to 2020-07-20): differences may be differences of period or topic.") in caveats
    assert sum(c.startswith("Warning") for c in caveats) == 1  # every commentary text is within the official span
    comp.documents["date"] = ["2013-01-01", "2014-01-01", "2019-01-01", "2021-03-01"] + list(comp.documents["date"][4:])
    assert not any(c.startswith("Warning") for c in group_caveats(comp))  # one in four outside: no warning


def test_a_group_dated_on_one_day_has_a_date_not_a_span():
    from framing.reporting.sections import group_caveats

    comp = _comparison({"x_per_1k": [1] * 8}, GROUPS)
    comp.documents["date"] = ["", "", "", "", "2025-02-15", "", "2025-02-15", ""]
    assert group_caveats(comp)[0] == "Time span: commentary 2025-02-15 (2 of 4 dated)."


def test_a_quote_highlights_every_cue_of_its_kind_in_the_sentence():
    from framing.reporting.sections import _quote_html

    # the sentence is chosen for holding the most loaded words: all of them are shown, not the first alone
    sentence = "A common one is that she deliberately lied to pander to her base and further unfairly demonize him."
    words = ["deliberately", "lied", "pander", "unfairly", "demonize"]
    values = {"promo_loaded_per_1k": [0, 0, 0, 0, 5, 1, 1, 1]}
    ev = [(4, "promotional", "loaded", sentence) for _ in words] + \
         [(d, "promotional", "loaded", "They spread propaganda about the vote.") for d in (5, 6, 7)]
    extra = {"promo_loaded_per_1k": ("promotional", "charged or pejorative words per 1,000 words")}
    comp = _comparison(values, GROUPS, ev, extra=extra)
    comp.evidence.loc[:4, "start"] = [sentence.index(w) for w in words]
    comp.evidence.loc[:4, "end"] = [sentence.index(w) + len(w) for w in words]
    (f,) = findings(comp, list(values), FRAMING)
    q = f.quotes["commentary"]
    assert q.text == sentence
    assert [q.text[a:a + n] for a, n, _ in q.spans] == words
    html = _quote_html(q, comp.groups, {}, "commentary", "")
    assert [part.split("</mark>")[0].split(">")[-1] for part in html.split("<mark")[1:]] == words


def test_a_finding_on_cues_the_grouping_model_reads_says_it_restates_the_grouping():
    import json
    from pathlib import Path

    from framing.reporting.constructs import MODEL_READS, support_sentence
    from framing.reporting.sections import group_caveats

    values = {"framing_institutional_first_person_per_1k": [8, 9, 7, 8, 0, 0, 1, 0]}
    ev = [(d, "framing", "institutional", "We stand ready.") for d in range(4) for _ in range(3)]
    comp = _comparison(values, GROUPS, ev)
    comp.documents["group_basis"] = "declared role"
    (f,) = findings(comp, list(values), FRAMING)
    assert not f.model_read and "source-type model" not in support_sentence(f)
    assert not any("source-type model" in c for c in group_caveats(comp))
    # texts called official by the source-type model, which reads their "we": the difference partly restates that
    comp.documents["group_basis"] = "detected type"
    (f,) = findings(comp, list(values), FRAMING)
    assert f.model_read
    assert support_sentence(f).endswith("· the source-type model that made the groups reads these cues: the "
                                        "difference partly restates the grouping")
    assert any(c.startswith("Warning: 8 of the 8 documents are grouped by the source-type model's call")
               for c in group_caveats(comp))
    # every feature named is one the shipped model weighs
    import framing.extractors.source_type as st

    model = json.loads((Path(st.__file__).parents[1] / "models" / "source_type.json").read_text(encoding="utf-8"))
    weighed = {f for j, f in enumerate(model["features"]) if any(abs(row[j]) > 0 for row in model["coef"])}
    assert {x for features in MODEL_READS.values() for x in features} <= weighed


def test_a_pooled_group_reads_as_texts_with_their_kinds_not_as_a_colon_inside_the_sentence():
    from framing.reporting.constructs import _as_object, _as_subject

    pooled = "non-official (commentary, news, promotional)"
    assert _as_object("non-official", pooled) == "non-official texts (commentary, news, promotional)"
    assert _as_subject("non-official", pooled) == "Non-official texts (commentary, news, promotional)"
    assert _as_object("commentary", "commentary") == "commentary"
    assert _as_subject("official", "official") == "Official texts"
    # a group named by a metadata value keeps its own parentheses and capitals
    assert _as_subject("Reuters (UK)", "Reuters (UK)") == "Reuters (UK) texts"
    assert _as_subject("BBC", "BBC") == "BBC texts" and _as_object("BBC", "BBC") == "BBC"


#: Real text (a 1966 presidential news conference; a #MeToo reader's comment and two news analyses, 2018-2019).
_WE_OFFICIAL = (
    "Most of you like to have your stories printed just as you write them. But we don't have that kind of system in "
    "Government. We had a $2.3 billion bill for 6 years. Congress has said that we will give you in effect $1 "
    "billion for 3 years, that is close to what you recommended. If you do your first 3 years right, then we have no "
    "doubt but that we can move on. It has been a long, slow process to get our Teacher Corps so we can go into "
    "these areas. I know what we can do. We can get our civil rights bill, our housing, our demonstration cities, "
    "our urban renewal, our rent supplements, and our Teacher Corps.")
_WE_COMMENTARY = (
    ("In high school and college, I learned about some of the games and manipulations men and women engaged in, but "
     "the greater weight of the malfeasance was often with the boys who assumed the roles of aggressors and "
     "initiators. I don’t think any of us thought we were damaging anybody, we just wanted what we wanted. Now I "
     "cringe inwardly when I think of the stupid stuff I did. I wish I could find these girls and women and "
     "apologize. A teenage boy facing those complexities mid-seduction is unlikely to try to divine a woman’s "
     "intentions. He just wants to get her clothes off. Once he’s a man, a woman’s changeability can be every bit as "
     "baffling. It’s a game with loose rules."),
    ("Two days before televised impeachment hearings begin, Donald Trump's allies are peddling a smokescreen of "
     "conspiracy theories and distractions, hoping to sow confusion over the case against him. Trump himself "
     "aggressively squelched the one defense that could ease the political pain of moderate Republican lawmakers. "
     "He warned that it would be unacceptable for any Republican to argue his phone call with Ukrainian President "
     "Volodymyr Zelensky was inappropriate but did not meet the constitutional standards for removal."),
    ("Plans for a dramatic, clarifying hearing featuring Supreme Court pick Brett Kavanaugh and the woman who accused "
     "him of sexual assault have descended into chaos and partisan bitterness. The confusion and bickering between "
     "Democrats and Republicans set off by Christine Blasey Ford's allegations are casting a darkening cloud over "
     "Kavanaugh's hopes of being swiftly confirmed. Senate Democrats are demanding a delay in the hearing scheduled "
     "for Monday to allow for time for an FBI probe into the allegations."),
)


def test_a_footer_names_the_merged_column_whose_cues_its_quotes_highlight():
    # institutional voice is measured by the institutional first person (every 'we/our/us' plus an institution's
    # stance), merged with the we/our/us column; its quotes show a 'we' — the commentary's a personal one, "any of
    # us thought we were damaging anybody" — so the footer must say whose cues those are, not name the
    # institutional first person alone
    from framing.compare import compare
    from framing.ingest import make_document
    from framing.pipeline import analyze
    from framing.reporting.constructs import support_sentence
    from framing.reporting.findings import headline_features

    docs = [make_document("official", _WE_OFFICIAL, {"role": "official"})] + \
        [make_document(f"c{i}", text, {"role": "commentary"}) for i, text in enumerate(_WE_COMMENTARY)]
    comp = compare(analyze(docs), n_boot=50, n_perm=50)
    (f,) = [f for f in findings(comp, headline_features(comp)) if f.construct.name == "institutional voice"]
    assert f.column == "framing_institutional_first_person_per_1k" and "framing_we_per_1k" in f.also
    assert not f.thin and f.occurrences == 15  # the numbers are the institutional first person's, as before
    official, commentary = f.quotes["official"], f.quotes["commentary"]
    assert official.text.startswith("We can get our civil rights bill, our housing")
    assert commentary.text == "I don’t think any of us thought we were damaging anybody, we just wanted what we wanted."
    assert [commentary.text[a:a + n] for a, n, _ in commentary.spans] == ["us", "we", "we", "we"]
    assert support_sentence(f) == (
        "measured by institutional first person per 1,000 words, author voice; 15 cues in 1 official document; the "
        "quotes highlight cues of a merged column: we/our/us per 1,000 words, author voice")
    assert {cue for q in (official, commentary) for cue in q.cues} == {("framing", "first_person")}
    # quotes showing the institutional first person's own cue ("We stand ready": an institution's stance) add nothing
    values = {"framing_institutional_first_person_per_1k": [8, 9, 7, 8, 0, 0, 1, 0],
              "framing_we_per_1k": [6, 7, 5, 6, 0, 1, 0, 0]}
    ev = [(d, "framing", "institutional", "We stand ready.") for d in range(4) for _ in range(3)]
    (f,) = findings(_comparison(values, GROUPS, ev), list(values), FRAMING)
    assert f.quotes["official"].cues == (("framing", "institutional"),)
    assert support_sentence(f) == ("measured by institutional first person per 1,000 words; 12 cues in 4 official "
                                   "documents")


def test_the_overview_findings_are_found_once_for_both_reports(monkeypatch, seeds_dir):
    """The HTML and the Markdown report show the same findings: they are found once per comparison and kind,
    found again for another comparison or a replaced table, and the comparison is not kept alive for them."""
    import gc
    import weakref

    import framing
    from framing.reporting import html, markdown, sections
    from framing.reporting.methods import methods_info

    comp = framing.compare(framing.analyze(framing.load(seeds_dir)), by="role")
    info = methods_info({}, title="t", seed=0, n_boot=10, n_perm=10)
    calls = []
    real = sections.findings
    monkeypatch.setattr(sections, "findings", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    page = html.render_html(comp, info)
    text = markdown.render_markdown(comp, info)
    assert sorted(calls) == sorted(set(calls)) and len(calls) == 2  # framing and form, once each
    solid, _ = sections.overview_findings(comp)
    assert solid and solid[0].column and all(f.label in page and f.label in text for f in solid[:1])

    comp.comparison = comp.comparison.copy()  # a replaced table: found again
    sections.overview_findings(comp)
    assert len(calls) == 3

    ref = weakref.ref(comp)
    del comp
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize("dtype", ["str", object, "category", pd.StringDtype("python"), pd.StringDtype("pyarrow")])
def test_rows_of_a_group_are_found_as_isin_finds_them(dtype):
    from framing.compare import rows_among

    values = pd.Series(["d1", "d2", None, "d3", "d1", "d10"], dtype=dtype)
    for ids in (["d1", "d3"], [], ["d1"], ["nothing"], ["d10", "d2", "d1"]):
        assert rows_among(values, ids).tolist() == values.isin(ids).tolist()


def test_a_documents_evidence_rows_come_back_as_pandas_gives_them():
    """Rows taken from Arrow columns hold what pandas' own take gives, a missing string included."""
    from framing.reporting.findings import _FIELDS, _Selection

    n = 4
    table = pd.DataFrame({c: pd.Series([f"{c}{i}" for i in range(n)], dtype="str") for c in _FIELDS})
    for c in ("sentence", "start", "end", "sentence_start"):
        table[c] = np.arange(n, dtype=np.int64)
    table.loc[2, "note"] = None
    selection = _Selection(table, {"a": np.array([0, 2]), "b": np.array([3])}, {})
    expected = [tuple(table[c].take([0, 2]).tolist()[k] for c in _FIELDS) for k in range(2)]
    got = selection.rows("a")
    assert [g[:6] + g[7:] for g in got] == [e[:6] + e[7:] for e in expected]
    assert got[0][6] == "note0" and isinstance(got[1][6], float) and np.isnan(got[1][6])
    assert selection.rows("missing") == [] and len(selection.rows("b")) == 1
