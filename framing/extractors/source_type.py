"""What kind of source is this? ``official``, ``news``, ``commentary`` or ``promotional``.

The classifier reads interpretable cue features, never topic words:

* **lexical cue families** (``framing/lexicons/source_type.tsv``), each a rate
  per 1,000 words: institutional first person (``we``, ``our``), diplomatic
  formulae ("stands ready to", "win-win"), press-release and speech markers
  ("for immediate release", "ladies and gentlemen"), reporting verbs ("said",
  "according to"), vague sources ("critics argue"), time references,
  evaluative adjectives, certainty adverbs, interpretive framing ("less about",
  "seeks to"), obligation modals, promotional hype, calls to action and
  SEO/content-farm filler ("in conclusion", "pivotal", "landscape"), and
  (lexicon v2) the self-presentation of officials after Mayhew 1974 and
  Grimmer 2013: credit claiming ("secured", "funding", "million for"),
  legislative procedure ("bill", "amendment", "resolution"), first-person
  institutional action ("I introduced", "my amendment") and addresses to
  the polity ("our nation", "the American people"); and (lexicon v3)
  commentary cues of its own (concessives "to be sure", recommendations
  "it is time to", motive attribution "ploy", "to be seen as", reader-directed
  argument "make no mistake", "let's", judgement words of political
  argument) and official cues beyond Senate conventions (spokesperson and
  ministry voice "we urge", "we condemn", "the United States calls on";
  readout and communique formulae "the two sides", "exchanged views",
  "reaffirmed"; the briefer's and head of government's voice "I can
  announce", "a few things at the top"); and (lexicon v4) the reporter's
  wider range of attributing verbs and formulae ("warned", "insisted",
  "denied", "acknowledged", "declined to comment", "could not be reached");
* **token shapes** from the same pass: capitalised names inside sentences,
  numbers, metonymy for governments ("Beijing seeks", "Washington's"),
  named attribution ("said Smith", "Smith said");
* **layout** from the paragraphs: Q&A turn markers ("Question:",
  "Spokesperson:"), transcript speaker labels ("WALLACE:"), datelines ("WASHINGTON —"),
  dates, headings, "Conclusion" headings, section labels ("Analysis",
  "Editor's Desk"), bylines, and boilerplate lines (photo credits,
  share/subscribe prompts, disclaimers, author bios, related links) counted
  in the body and in ``doc.boilerplate``; a promotional label is one that labels the text ("Sponsored",
  "Advertorial", "Paid post"), not an "Advertisement" ad slot, which news pages carry too;
* **sentence shapes**: questions outside Q&A turns (rhetorical questions),
  exclamations, imperative openings, quotations and reported speech,
  recommendations to actors in the author's voice ("Washington should",
  "Congress must"; not inside quotations), opinion-piece titles ("Why ...",
  "The case for ...", a question), contractions in the author's voice, and
  word shapes (-ed, -ly, -ing, long words);
* **outlet marks are masked**: wire and network credits ("(Reuters) -",
  "(CNN)"), agency photo credits and AP's "FILE - In this ... photo"
  captions, issuing-office lines ("Office of the Spokesperson") and site
  names (:data:`_OUTLET_RES`) count toward no cue, so the model learns
  genre, not outlet. Ablation (leave-one-source-out, below): without the
  mask the headline macro-F1 is 0.790 (official F1 0.851), with it 0.778
  (official 0.809; model of 2026-12-06 (b)): the State Department's "Office of the Spokesperson" /
  "Department Spokesperson" lines were doing part of the official class's
  work. The mask stays: that gain was the outlet, not the genre.
* **stance by voice** (2026-12-06 (b)): the matches of the stance families (:data:`STANCE_FAMILIES`:
  evaluative, certainty, interpretive, obligation, judgement, concessive, recommendation, motive, reader
  address) counted in the author's own voice (``stance_author``) and quoted, reported or asked
  (``stance_other``), from :meth:`Attribution.voice_at <framing.attribution.Attribution.voice_at>`; and
  **dated attribution**, the wire report's "said on Tuesday", "told reporters Monday", "on Friday said"
  (``dated_attribution``, token arrays). Neutral on the headline figure (0.776 with them, 0.776 without);
  kept as interpretable evidence the issue asked for;
* **the author's negative sentiment** (2026-12-07 (c)): words of the shared sentiment lexicon
  (``promotional_sentiment.tsv``, Pattern subjectivity and VADER; terms of this lexicon keep their own family)
  with a negative polarity, counted in the author's own voice only (:data:`SENTIMENT_FAMILIES`). Commentary is
  above news in every labelled source (8.9-15.1 against 4.3-7.4 per 1,000 words), promotional pages lowest
  (2.7-4.3). Leave-one-source-out macro-F1 0.7926 -> 0.7987 (official 0.831, news 0.827, commentary 0.766,
  promotional 0.773; a paired bootstrap puts the gain at +0.006, 95% interval 0.002 to 0.011 over documents and
  0.001 to 0.011 over source families); the positive words beside it gave 0.7966, so they are left out;
* **performatives** (lexicon v5, 2026-12-07 (c)): speech acts an office performs in its own name: congratulations
  and greetings to a people ("I congratulate", "as you celebrate", "best wishes", "on behalf of my"), institutional
  announcements ("the United States is", "we note", "we encourage", "we reiterate"), designations and reward offers
  ("is designating", "reward of up to"). 0.7987 -> 0.8041 (official 0.844, news 0.826, commentary 0.767,
  promotional 0.779; State Department 0.85 -> 0.88; without the designation and reward phrases 0.8030). The phrases
  were chosen after reading the State Department releases the model typed promotional, so part of this gain is
  the developer's look at that source: the bootstrap interval is 0.002 to 0.010 over documents but -0.004 to 0.012
  over source families;
* **function-word rates** (:data:`FUNCTION_WORDS`, 107 topic-free words after
  Biber 1988: articles, prepositions, conjunctions, auxiliaries, modals,
  negation, pronouns, time and stance adverbs), one feature per word; their
  weights are learned. Added 2026-11-23: under source-grouped CV they raised
  both files (0.524 -> 0.556 and 0.711 -> 0.734 at C=0.02), so they carry
  genre, not the vocabulary of one source.

Speed (2026-12-06): the features come from the shared cue layer's matches and from one classification per
distinct token string (a bit set of word classes, remembered across documents), so every token-level cue is an
array operation and the regular expressions run only behind cheap gates; evidence spans are made only for the
cues shown (the :data:`MAX_EVIDENCE_FEATURES` that pushed most toward the type, :data:`MAX_SPANS` spans each).
``framing benchmark --n 1000 -x source_type``: 1.05 ms/doc (findall floor 0.15 ms/doc in the same run), from
7.96 ms/doc (floor 0.62) before.

A multinomial logistic regression over these features (the square root of
the rates, standardised; :data:`FEATURE_TRANSFORM`, recorded in the model
file as ``transform``) gives the class probabilities; it ships as a small JSON
file of coefficients (``framing/models/source_type.json``) trained by
``framing train source-type FILES... -o framing/models/source_type.json``.
HTML metadata (``doc.meta['schema_type']``, ``doc.meta['section']``), when
present, adds fixed log-odds offsets declared in the model file.

Class imbalance and corpus artefacts
------------------------------------
No labelled set has the four classes: ``source_type.csv`` is 98% US Senate
press releases, ``source_type_web.csv`` has no official class. So:

* every class weighs the same in total, and inside a class each source
  weighs ``sqrt(n)`` (112 senators do not drown 15 speeches);
* features are rates, shares and layout counts, not vocabulary; corpus
  artefacts were removed (mean sentence length and paragraph shape, which
  only measured the stripped punctuation of the Senate texts);
* a feature present in fewer than 20 training documents gets no learned
  coefficient (it would be noise); the genre markers the sets lack
  (section labels, Q&A turns, diplomatic formulae, forms of address,
  "Conclusion" headings, stock-photo credits, SEO filler, metonymy) carry
  hand-set log-odds instead (``EXPERT_CUES`` in :mod:`framing.training.source_type`, stored in the model);
* probabilities are temperature-scaled on grouped out-of-fold logits; the
  model itself assumes equal class priors;
* **a document's type does not depend on its batch** (``prior="uniform"``,
  the default): ``framing.score(text)`` on one document and on a corpus give
  the same probabilities. **The corpus prior** is an option
  (``prior="corpus"``, ``-O source_type.prior=corpus``): a real corpus is
  rarely balanced, so :meth:`SourceTypeExtractor.fit` can estimate the
  corpus's class proportions from its documents' own probabilities by EM
  (Saerens, Latinne & Decaestecker 2002; no labels involved) and score with
  a prior half-way (in log-odds) between equal priors and that estimate
  (corpora of 20+ documents). The setting, the estimate and the prior used
  are in the run record;
* **uncertain calls are marked**: when the two most probable types are
  within :data:`UNCERTAIN_MARGIN` (0.15) of each other the column
  ``source_type_uncertain`` is 1 and ``extra['display_label']`` reads
  "news?/official" (the detected type, a question mark, the runner-up);
  ``extra['label']`` stays the plain type, which grouping uses;
* documents the tool declines to score (non-English) are not trained on,
  and count as errors in evaluation;
* ``source_subjectivity.csv`` (sentences) is not pooled with documents; it
  checks the direction of the lexical opinion cues (``sentence_cue_check``
  in the model's provenance).

Validation (model of 2026-12-07 (b): square-root transform, lexicon v4, the 2026-12-06 (b) features, invariance
selection; legislative vocabulary without a coefficient): **leave-one-source-out**, each source family held out in
turn (sources sharing a name before "(" or ":" are one family: the GUM essays, the GUM speeches) and scored by a
model trained on every other row of every file; the 2,240 US Senate releases in 5 folds grouped by senator,
reported apart. Equal priors; declined documents count as errors. The table is in the model's provenance (``cv``)
and is printed by::

    framing train source-type ../shared/eval/source_type_extra.csv ../shared/eval/source_type_web.csv \
        ../shared/eval/source_type.csv ../shared/eval/source_subjectivity.csv --cv 5

    held-out source (family)                  label        n   right   predicted as
    us_state_dept_press_releases              official   300   0.843   official 253, promotional 34, news 10, commentary 3
    gov_uk_prime_minister_covid_statements    official    50   0.840   official 42, commentary 7, promotional 1
    us_president_news_conferences_1960_1980   official    45   1.000   official 45
    GUM speech (15 speakers)                  official    15   0.733   official 11, commentary 4
    allsides_associated_press                 news       110   0.982   news 108, commentary 2
    allsides_reuters                          news       150   1.000   news 150
    allsides_nytimes_news                     news       150   0.693   news 104, commentary 40, official 5, promotional 1
    allsides_cnn_web_news                     news        90   0.789   news 71, commentary 19
    en.wikinews.org                           news       292   0.890   news 260, commentary 18, promotional 8, official 4, unscored 2
    GUM news (Wikinews)                       news        24   0.917   news 22, commentary 1, official 1
    allsides_cnn_opinion                      commentary  86   0.535   commentary 46, news 38, official 2
    allsides_nytimes_opinion                  commentary  68   0.809   commentary 55, news 9, official 3, promotional 1
    allsides_townhall_columnists              commentary 100   0.900   commentary 90, news 9, promotional 1
    allsides_national_review                  commentary  90   0.856   commentary 77, news 13
    allsides_syndicated_columnists            commentary 100   0.820   commentary 82, news 16, official 1, promotional 1
    GUM essay (8 authors)                     commentary   9   0.889   commentary 8, promotional 1
    FTD English web texts                     c/n/p      471   0.743   promotional 210, news 117, commentary 105, official 39
    Slovene web (GINCO, DeepL)                c/n/p      527   0.693   promotional 268, news 127, commentary 98, official 34
    X-GENRE dev split, English                c/n/p       86   0.744   commentary 50, news 25, promotional 9, official 2

    all held-out sources above (2,763 documents): macro-F1 0.793, accuracy 0.797
        F1: official 0.824, news 0.827, commentary 0.758, promotional 0.764   (target 0.85: missed; none below 0.75)
        with the corpus prior (each held-out source scored as a corpus of its own): 0.849
    US Senate releases (2,240, 5 folds grouped by senator): 0.939 right (news 80, commentary 36, promotional 15,
        declined 6); source_type.csv as a file (Senate plus GUM rows): macro-F1 0.531
    per file: source_type_extra.csv 0.854 (official 0.912, news 0.842, commentary 0.809);
        source_type_web.csv 0.759 (news 0.808, commentary 0.672, promotional 0.795)
    uncertain calls (top two within 0.15): 7.6% of documents; 51% of them right, against 82% of the others

Against the model of 2026-12-07 (0.789: official 0.821, news 0.821, commentary 0.752, promotional 0.761; Senate
0.944): **invariance selection** (:func:`framing.training.source_type.invariant_columns`, inside every training
fold: a cue keeps its coefficient only if, for some class, its direction holds in at least 70% of the pairs of a
source of that class and a source of another class; 12 of 165 lose it on all rows, among them datelines, headings,
transcript speaker labels, release end marks and "shall") gives 0.793 (threshold 0.6: 0.792, 0.75: 0.794, 0.8:
0.791, 0.9: 0.786; the cue dropped per class rather than kept for any class: 0.775; a paired bootstrap over
documents puts the gain at +0.0045, 95% interval 0.0005 to 0.0087, over source families -0.001 to 0.012). The
Senate releases lose 0.005 (0.944 -> 0.939). Reading an interview's or transcript's turns (paragraphs opening with
a speaker's label, "Name:", "Q.", "((WN))") as the speakers' voice rather than the author's gave +0.002 on top
(0.795; Wikinews 0.890 -> 0.918; 19 of the 20 Wikinews reports the model of 2026-12-07 typed commentary were
interviews), but the voice of a cue is decided once, in the shared attribution layer (``framing.attribution``),
for every extractor alike, so turn detection belongs there and is left for later; this extractor keeps no voice of
its own.

Against the model of 2026-12-06 (b) (``log1p`` of the rates, lexicon v3): macro-F1 0.778 (official 0.809, news
0.815, commentary 0.745, promotional 0.741), Senate 0.945. The gain is the square root (0.788 with ``log1p``
replaced and nothing else; ``x ** 0.6`` 0.787, ``x ** 0.7`` 0.786, ``x ** 0.4`` 0.778: compressing heavy rates
less lets a cue used often count for more than one used once); not counting "Advertisement" ad slots as
promotional labels (21 NYT news pages carried one, no promotional text did) adds 0.001; the wider reporting-verb
family is neutral on the headline (0.789 with and without) and keeps seed 003 a clear news call (margin 0.17
against 0.13 without). Under random 5-fold CV (sources shared between training and test) the same features and
model reach 0.848 on the same rows: 0.85 is at the ceiling of what these cue rates separate even within sources.

C = 0.002 and a family weight of sqrt(n) inside each class are fixed a priori (the previous model's settings):
choosing C in {0.001, 0.002, 0.005} and the weight power in {0.5, 1} inside each training fold (nested, inner
leave-one-source-out) gave 0.773 with ``log1p``, no better; equal weight per source family (power 0) gave 0.768.
The optimum is flat (0.759 to 0.778 over C from 0.001 to 0.02 and powers 0 to 1 with ``log1p``; 0.764 to 0.789
over C from 0.0005 to 0.05 and powers 0.25 to 0.75 with the square root), so the knobs are not where the missing
accuracy is. Page furniture that names the site rather than the genre (share prompts, related links, author bios)
and legislative vocabulary (a topic, not a genre) are counted and shown but get no coefficient. The seeds: 000
promotional 0.994, 001 commentary 0.983, 002 official 0.656 (promotional 0.256), 003 news 0.599 (official 0.235).

References
----------
Biber D. (1988). Variation across Speech and Writing. Cambridge UP.
Grimmer J. (2013). Representational Style in Congress. Cambridge UP.
Mayhew D. (1974). Congress: The Electoral Connection. Yale UP.
Saerens M., Latinne P., Decaestecker C. (2002). Adjusting the outputs of a classifier to new a priori
probabilities: a simple procedure. Neural Computation 14(1), 21-41.
Biber D., Conrad S. (2009). Register, Genre, and Style. Cambridge UP.
Kuzman T., Rupnik P., Ljubešić N. (2023). The GINCO training dataset for web genre identification. LRE.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ..cues import cues_of, register_layer
from ..document import Document
from ..lexicon import Lexicon, load_lexicon
from ..model_files import load_model
from .base import Evidence, Extractor, OptionError, Result, register

__all__ = [
    "CLASSES",
    "FEATURES",
    "SourceTypeExtractor",
    "cue_features",
]

NAN = float("nan")
CLASSES = ("official", "news", "commentary", "promotional")

#: shown in the report's methods section
CAVEATS = (
    ("Validated leave-one-source-out (each source held out in turn, never both trained on and scored): "
     "macro-F1 0.804 over official, news, commentary and promotional on 19 held-out sources (target 0.85, "
     "missed; every class F1 at least 0.75, commentary 0.767 the lowest), and 0.939 of the US Senate releases typed "
     "official (folds grouped by senator). News analysis read as commentary, opinion columns that report, web "
     "pages of organisations read as official and head-of-government statements read as commentary are the "
     "usual confusions; treat a type as a reading of the text's genre cues, not of who published it."),
    ("A document's type does not depend on the batch it is scored in (equal priors). Calls whose two most "
     "probable types are within 0.15 are marked uncertain (source_type_uncertain = 1, shown as "
     "'news?/official'). A corpus prior estimated by EM is available with the option "
     "source_type.prior=corpus and is then recorded in run.json."),
)
MAX_SPANS = 12  # evidence spans kept per feature (the report counts a construct's support from them)
#: evidence spans are shown for at most this many of the cues that pushed toward the detected type (all of them:
#: the model has fewer features); built only when evidence is asked for
MAX_EVIDENCE_FEATURES = 200
#: corpus-prior adaptation (:meth:`SourceTypeExtractor.fit`): a corpus needs this many scorable documents
CORPUS_PRIOR_MIN_DOCS = 20
#: how far the scoring prior moves from equal priors toward the corpus estimate (0..1, in log-odds)
CORPUS_PRIOR_STRENGTH = 0.5
#: Dirichlet pseudo-count per class in the EM estimate of a corpus's class proportions
CORPUS_PRIOR_PSEUDOCOUNT = 1.0
#: a call is marked uncertain when the top two probabilities are closer than this
UNCERTAIN_MARGIN = 0.15

#: lexicon families matched word by word (pronouns); the others go through the phrase matcher
TOKEN_FAMILIES = ("we_institutional", "first_singular", "second_person")
LEXICON_FAMILIES = TOKEN_FAMILIES + (
    "institution", "diplomatic", "press_release", "speech_address", "vocative", "reporting", "vague_source", "immediacy",
    "news_time", "evaluative", "certainty", "interpretive", "obligation", "promo_hype", "cta", "seo_filler",
    "credit_claiming", "legislative", "self_action", "national_address",
    # lexicon v3: commentary cues of its own, official cues beyond Senate conventions
    "concessive", "recommendation", "motive", "reader_address", "judgement", "official_voice", "readout",
    "announcement",
    # 2026-12-07 (c): the author's own sentiment words, from the shared sentiment lexicon (see SENTIMENT_FAMILIES)
    "sentiment_negative",
    # lexicon v5: speech acts an office performs in its own name ("I congratulate", "as you celebrate", "we note")
    "performative")
#: sentiment words (``promotional_sentiment.tsv``: Pattern subjectivity and VADER lexicons) counted in the author's
#: own voice only: critique is commentary's stock in trade and promotion avoids the negative (commentary above news
#: in every labelled source, promotional pages lowest); a quoted speaker's "outrageous" is reported, not the
#: author's. Terms of the source-type lexicon keep their own family.
SENTIMENT_FAMILIES = frozenset(("sentiment_negative",))
SENTIMENT_LEXICON = "promotional_sentiment"

#: layout and shape features (computed from paragraphs, tokens and sentences)
SHAPE_FEATURES = (
    "qa_turns", "dateline", "date_refs", "headings", "conclusion_heading", "section_label",
    "promo_label", "byline", "photo_credit", "social", "disclaimer", "author_bio", "related", "contact_info",
    "release_marks", "currency", "metonymy", "named_attribution", "titled_names", "proper_nouns", "focus_name_share",
    "all_caps", "numbers", "rhetorical_questions", "exclamations", "imperatives", "quotes", "quoted_share",
    "reported_sentences", "speaker_turns", "actor_recommendations", "opinion_title",
    "contractions", "past_ed", "adverbs_ly", "ing_forms", "long_words",
    # 2026-12-06 (b): stance cues by voice, dated attribution
    "stance_author", "stance_other", "dated_attribution",
)
#: lexicon families that carry the writer's stance (evaluation, interpretation, argument); their matches are
#: also counted by voice: in the author's own voice (``stance_author``) or quoted, reported or asked
#: (``stance_other``). A columnist's "should" is the author's; a reporter's is inside a quotation.
STANCE_FAMILIES = frozenset(("evaluative", "certainty", "interpretive", "obligation", "judgement", "concessive",
                             "recommendation", "motive", "reader_address"))
#: first person inside quotations (the quoted speaker's voice), counted apart from the author's
QUOTED_FAMILIES = ("we_institutional_quoted", "first_singular_quoted")
#: function words whose rates are features (Biber 1988: determiners, prepositions, conjunctions, auxiliaries,
#: modals, negation, pronouns, stance and time adverbs). Topic-free; the regression learns their weights.
_FUNCTION_WORDS_TEXT = (
    "the a an of to in for on with at by from and but or nor that this these those which who whom whose it its "
    "is are was were be been being has have had do does did will would can could may might should must shall "
    "not no never if because so as than then more most very all also just only even there here now today "
    "yesterday tomorrow said says told according however although though while when where why how what "
    "i me my we our us you your he she his her they them their one such some any each every many much")
FUNCTION_WORDS = tuple(_FUNCTION_WORDS_TEXT.split())
_FUNCTION_WORD_SET = frozenset(FUNCTION_WORDS)
_FW_COUNT = {w: f"fw_{w}" for w in FUNCTION_WORDS}
_FW_FEATURE = {w: f"fw_{w}_per_1k" for w in FUNCTION_WORDS}
#: every model feature, in a fixed order
FEATURES = tuple(f"{f}_per_1k" for f in LEXICON_FAMILIES + QUOTED_FAMILIES) + SHAPE_FEATURES + tuple(
    f"fw_{w}_per_1k" for w in FUNCTION_WORDS)

#: features whose value is a share/mean rather than a per-1k rate
_NOT_RATES = frozenset({"quoted_share", "focus_name_share"})

def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------------------
# layout patterns (applied to the start of each paragraph, or to short paragraphs)

_QA_RE = re.compile(
    r"[ \t]*(?:Q|A|Question|Answer|Questioner|Journalist|Reporter|Interviewer|Host|Moderator|"
    r"(?:[A-Z][\w.'’-]*[ \t]){0,4}(?:Spokesperson|Spokesman|Spokeswoman|Minister|Ambassador|Secretary|President))"
    r"[ \t]*[:：]")
_DATELINE_RE = re.compile(
    r"[ \t]*[A-Z][A-Z.'’ ]{2,30}(?:,[ \t]*[A-Z][A-Za-z.]{1,20})*[ \t]*"
    r"(?:\([A-Za-z .]{2,25}\))?[ \t]*[—–-]{1,2}[ \t]")
_MONTHS = _wordset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct "
    "october nov november dec december")
_SECTION_RE = re.compile(r"(?i)\b(?:analysis|opinion|editorial|op-?ed|commentary|column|viewpoint|perspective|"
                         r"editor['’]s\s+(?:desk|note|pick)|insight|our view|my view|letters? to the editor)\b")
# labels of the text itself; a bare "Advertisement" line is an ad slot on the page (news sites have them), not a label
_PROMO_LABEL_RE = re.compile(r"(?i)^\W*(?:sponsored|advertorial|partner content|promoted|paid post)\b")
_CONCLUSION_RE = re.compile(r"(?i)^\W*(?:in\s+)?(?:conclusions?|final thoughts|wrapping up|the bottom line|"
                            r"to sum up|in summary|summary)\W*$")
_BYLINE_RE = re.compile(r"^\W*(?:By|BY|Written by|Posted by|Author:)\s+[A-Z]")
_PHOTO_RE = re.compile(r"(?i)^\W*(?:photo|image|picture|photograph|illustration|credit)s?\s*(?:by\b|:|credit)|"
                       r"\b(?:getty images|shutterstock|unsplash|pexels|istock|pixabay|adobe stock|"
                       r"photo credit)\b")
# Creative Commons attributions are licence notices (essays, wikis), not stock-photo credits
_CC_LICENCE_RE = re.compile(r"\bCC\b|Creative Commons|\blicen[cs]ed? under\b", re.IGNORECASE)
_SOCIAL_RE = re.compile(r"(?i)^\W*share\b|\b(?:share (?:this|article|link|on)|subscribe|follow us|sign up|"
                        r"newsletter|like us on|join our|tweet this)\b")
_DISCLAIMER_RE = re.compile(r"(?i)^\W*disclaimer|\bnot (?:financial|trading|investment|legal|medical) advice\b|"
                            r"\bholds no liability\b|\bfor informational purposes only\b")
_RELATED_RE = re.compile(r"(?i)^\W*(?:related (?:articles|news|posts|stories|content)|most read|read more|"
                         r"you may also like|recommended(?: for you)?|more from|popular posts|see also)\b")
_BIO_RE = re.compile(r"(?i)^\W*about the author\b|\bis an? (?:[\w-]+ ){0,3}(?:reporter|writer|journalist|editor|"
                     r"columnist|contributor|correspondent|blogger|author)\b")
# each pattern starts with a literal or a digit, so the regex engine can skip ahead quickly
_CONTACT_RES = (re.compile(r"\(\d{3}\)\s*\d{3}[- ]\d{4}"), re.compile(r"\d{3}[-.]\d{3}[-.]\d{4}\b"),
                re.compile(r"@[\w-]+\.[a-z]{2,}\b"), re.compile(r"ontact:"))
# press-release furniture: end marks ("###", "-30-") and party-affiliation tags of legislators ("(D-Mont.)")
_RELEASE_MARK_RES = (re.compile(r"#\s?#\s?#"), re.compile(r"-\s?30\s?-\s*$", re.MULTILINE),
                     re.compile(r"\([DRI]\s?-\s?[A-Z][A-Za-z.]{1,14}\)"))
# transcript speaker labels ("WALLACE:", "Chris WALLACE:", "BOB SCHIEFFER, HOST:") at a line start or after a
# run of spaces (transcripts pasted without line breaks)
_SPEAKER_RES = (re.compile(r"(?:^|(?<=[ \t]{2})|(?<=\n))(?:[A-Z][a-z]+[ \t])?[A-Z][A-Z.'’-]{2,}"
                           r"(?:[ ,]{1,2}[A-Z][A-Z.'’-]*){0,6}[ \t]?:(?=[ \t])", re.MULTILINE),
                 # briefing and news-conference turns the pattern above misses: "Q.", "THE PRESIDENT.", "MR PRICE:"
                 re.compile(r"^[ \t]*(?:(?:Q|THE (?:PRESIDENT|PRIME MINISTER|SECRETARY|CHAIRMAN)|"
                            r"(?:MR|MS|MRS|DR)\.?[ \t][A-Z][A-Z'’-]+)\.|(?:MR|MS|MRS|DR)[ \t][A-Z][A-Z'’-]+:)(?=[ \t])",
                            re.MULTILINE))
#: marks that name an outlet rather than a genre: wire and network credits ("(Reuters) -", "(CNN)"), agency photo
#: credits and AP's "FILE - In this ... photo" captions, issuing-office lines ("Office of the Spokesperson") and
#: site names. Tokens inside them are masked: they count toward no cue, so the model learns genre, not outlet.
_OUTLET_RES = (
    re.compile(r"\((?:Reuters|REUTERS|CNN|AP|AFP|Bloomberg|UPI|Xinhua|CNN Business|CNNMoney|The Hill)\)"),
    re.compile(r"\([^()\n]{0,60}/(?:Reuters|REUTERS|AP|AFP|Getty Images|Bloomberg)[^()\n]{0,30}\)"),
    re.compile(r"\b(?:AP|REUTERS|Reuters) Photo\b[^\n)]{0,40}"),
    re.compile(r"(?m)^[ \t]*FILE(?: PHOTO)?[ \t]*[-–—:][^\n]*?(?:file photo|photo)\b"),
    re.compile(r"\bFILE PHOTO\b"),
    re.compile(r"Office of the (?:Spokesperson|Press Secretary)|Department Spokesperson|Prime Minister['’]s Office|"
               r"10 Downing Street"),
    re.compile(r"\b(?:Reuters|REUTERS|Associated Press|CNN|(?:The )?New York Times|NYTimes(?:\.com)?|"
               r"Townhall(?:\.com)?|National Review|Creators Syndicate|Creators\.com|Wikinews|State\.gov|"
               r"GOV\.UK|gov\.uk)\b"),
)
#: set to False to measure what masking the outlet marks costs (the ablation in the training module)
MASK_OUTLETS = True
_CURRENCY_SIGNS = frozenset("$€£¥")
_CURRENCY_WORDS = frozenset(["eur", "euro", "euros", "usd", "dollars"])
_TERMINAL = ".!?:;,"

#: (boilerplate category in ``doc.boilerplate``) -> feature it adds to
_BOILERPLATE_FEATURE = {"photo_credit": "photo_credit", "social": "social", "disclaimer": "disclaimer",
                        "author_bio": "author_bio", "related": "related"}

# capitals and seats of power used as actors ("Beijing seeks", "Washington's")
_METONYMS = _wordset(
    "beijing washington moscow kremlin tehran brussels pyongyang tokyo london paris berlin kyiv kiev "
    "delhi ankara riyadh jerusalem taipei seoul canberra ottawa islamabad damascus caracas havana "
    "pretoria whitehall pentagon zhongnanhai westminster")
_ACTOR_VERBS = _wordset(
    "is has was will would wants seeks sees hopes fears insists believes knows needs must cannot can "
    "should wants appears seems remains continues tries aims plans intends refuses responded reacted")
# titles used before a name on every mention in institutional prose ("Senator Baucus", "Minister Wang"),
# where wire style uses the bare surname after the first mention
_TITLES = _wordset(
    "senator sen rep representative congressman congresswoman minister president secretary governor gov "
    "mayor ambassador chairman chairwoman chair commissioner councillor councilman director premier "
    "chancellor spokesperson spokesman spokeswoman mr mrs ms dr")
_SAID = frozenset(("said", "says", "told"))
_WEEKDAYS = _wordset("monday tuesday wednesday thursday friday saturday sunday")
# recommendations to actors in the author's voice ("Washington should", "Congress must", "Democrats need to")
_RECOMMEND_MODALS = _wordset("should must ought")
_SUBJECT_SKIP = _wordset("also now not still simply really just therefore finally instead first urgently")
_GROUP_ACTORS = _wordset(
    "congress lawmakers legislators democrats republicans policymakers leaders government administration voters "
    "americans conservatives liberals progressives officials regulators parents schools companies courts states "
    "gop president party parties nations countries europe china russia west media candidates governments")
_NOT_ACTORS = _wordset("i we you it this that there they he she these those which who what one")
# opening lines of opinion pieces ("Why ...", "The case for ...", "It's time to ...", a question as title)
_OPINION_TITLE_RE = re.compile(
    r"^\W*(?:Why\b|How\b.*\b(?:should|must|can)\b|The case (?:for|against)\b|In defen[cs]e of\b|Stop\b|Don['’]t\b|"
    r"It['’]s time\b|It is time\b|Let['’]s\b|We need\b|We must\b|Enough\b|Memo to\b|Dear\b|The (?:myth|truth|trouble|problem) "
    r"(?:of|with|about)\b|(?:Opinion|Op-Ed|Editorial|Column)\s*[:|])|\?\W*$")
_IMPERATIVES = _wordset(
    "visit call contact book order buy discover enjoy join try get find learn check click register apply "
    "explore shop choose make take see read subscribe follow sign download let come start save")


# ---------------------------------------------------------------------------
# features
#
# Speed: every distinct token string is classified once (:class:`_WordTypes`: a bit set of the word classes the
# cues need, and its function-word index) and remembered; a document's tokens are mapped to those classes in one
# C-level pass, and every token-level cue is then an array operation (counts, neighbours within a sentence). The
# regular expressions run on paragraph starts or behind cheap gates (a colon near a paragraph start, a word that
# can begin an outlet mark, a trigger word of page furniture), so a plain news text pays for none of them.

_BIT_NAMES = (
    "cap", "allcaps", "upper5", "digit", "ed", "ly", "ing", "long", "contraction", "title", "metonym", "poss",
    "actor_verb", "said", "month", "shortnum", "dateish", "currword", "recommend", "need", "to", "imperative",
    "notimpnext", "by", "we", "first", "second", "outlet", "furniture", "speaker",
    "group", "notactor", "subjskip", "phone", "weekday", "on")
_BIT = {name: k for k, name in enumerate(_BIT_NAMES)}
_OUTLET_WORDS = frozenset(
    "Reuters REUTERS CNN AP AFP Bloomberg UPI Xinhua Hill CNNMoney FILE Spokesperson Downing Associated Times "
    "NYTimes NYTimes.com Townhall Townhall.com Review Creators Creators.com Wikinews State.gov GOV.UK gov.uk Photo "
    "PHOTO Secretary Minister's Minister’s".split())
_FURNITURE_WORDS = _wordset(
    "disclaimer advice liability informational author reporter writer journalist editor columnist contributor "
    "correspondent blogger")
_NOT_IMPERATIVE_NEXT = _wordset("is was has said of")
_PHONE_TOKEN_RE = re.compile(r"\d{3}[.]\d{3}[.]\d{4}")


def _classify(w: str, table: dict[str, str]) -> tuple[int, int]:
    """(bit set, function-word index or -1) of one token string (original case)."""
    lw = w.lower().replace("’", "'")
    bits: list[str] = []
    c0 = w[0]
    if c0.isdigit():
        bits.append("digit")
        if len(w) <= 2:
            bits.append("shortnum")
        if w.count(".") == 2 or w.count("/") == 2:
            bits.append("dateish")
        if (len(w) == 3 and w.isdigit()) or _PHONE_TOKEN_RE.fullmatch(w):
            bits.append("phone")
    elif c0.isupper():
        bits.append("cap")
        if len(w) > 1 and w.isupper():
            bits.append("allcaps")
            if len(w) >= 5:
                bits.append("upper5")
        if lw in _TITLES:
            bits.append("title")
        if lw in _METONYMS or (lw.endswith("'s") and lw[:-2] in _METONYMS):
            bits.append("metonym")
        if lw in _IMPERATIVES:
            bits.append("imperative")
    if w.isupper():
        bits.append("speaker")
    if len(lw) > 4:
        if lw.endswith("ed"):
            bits.append("ed")
        elif lw.endswith("ly"):
            bits.append("ly")
        elif lw.endswith("ing"):
            bits.append("ing")
        if len(lw) >= 10:
            bits.append("long")
    if "'" in lw:
        if lw.endswith(_CONTRACTION_ENDS) or lw in _S_CONTRACTIONS:
            bits.append("contraction")
        if lw.endswith("'s"):
            bits.append("poss")
    for name, words in (("actor_verb", _ACTOR_VERBS), ("said", _SAID), ("month", _MONTHS),
                        ("currword", _CURRENCY_WORDS), ("recommend", _RECOMMEND_MODALS), ("need", ("need", "needs")),
                        ("to", ("to",)), ("weekday", _WEEKDAYS), ("on", ("on",)), ("notimpnext", _NOT_IMPERATIVE_NEXT), ("by", ("by",)),
                        ("furniture", _FURNITURE_WORDS), ("subjskip", _SUBJECT_SKIP)):
        if lw in words:
            bits.append(name)
    base = lw.removesuffix("'s")
    if base in _GROUP_ACTORS:
        bits.append("group")
    if base in _NOT_ACTORS:
        bits.append("notactor")
    fam = table.get(lw)
    if fam is not None and not (len(w) > 1 and w.isupper()):  # "US" the country is not "us"
        bits.append({"we_institutional": "we", "first_singular": "first", "second_person": "second"}[fam])
    if w in _OUTLET_WORDS:
        bits.append("outlet")
    value = 0
    for b in bits:
        value |= 1 << _BIT[b]
    return value, _FW_INDEX.get(lw, -1)


class _WordTypes:
    """Distinct token strings -> ids, with each type's bit set and function-word index (grown on demand)."""

    MAX_TYPES = 500_000

    def __init__(self, table: dict[str, str]):
        self.table = table
        self.ids: dict[str, int] = {}
        self.flags = np.zeros(8192, dtype=np.uint64)
        self.fw = np.full(8192, -1, dtype=np.int16)

    def lookup(self, words: list[str]) -> np.ndarray:
        ids = self.ids
        new = set(words).difference(ids)
        if new:
            if len(ids) + len(new) > self.MAX_TYPES:
                ids.clear()
                new = set(words)
            need = len(ids) + len(new)
            if need > len(self.flags):
                size = max(need, 2 * len(self.flags))
                self.flags = np.resize(self.flags, size)
                self.fw = np.resize(self.fw, size)
            table, flags, fw = self.table, self.flags, self.fw
            for w in new:
                k = len(ids)
                ids[w] = k
                flags[k], fw[k] = _classify(w, table)
        return np.fromiter(map(ids.__getitem__, words), dtype=np.intp, count=len(words))


_TYPES: dict[tuple, _WordTypes] = {}


def _word_types(table: dict[str, str]) -> _WordTypes:
    key = tuple(sorted(table.items()))
    types = _TYPES.get(key)
    if types is None:
        types = _TYPES[key] = _WordTypes(table)
    return types


_FW_INDEX = {w: k for k, w in enumerate(FUNCTION_WORDS)}
_CONTRACTION_ENDS = ("n't", "'re", "'ve", "'ll", "'m", "'d")
_S_CONTRACTIONS = frozenset(("it's", "that's", "there's", "here's", "what's", "let's", "he's", "she's", "who's",
                             "where's", "how's"))


class _Spans:
    """Evidence spans per feature, capped. Token and lexicon cues are kept as the arrays and matches they were
    counted from and turned into spans only when a feature's evidence is asked for (:meth:`get`)."""

    def __init__(self) -> None:
        self._spans: dict[str, list[tuple[int, int, str]]] = {}
        self._lazy: dict[str, Any] = {}
        #: boilerplate blocks (kept apart from the body by ingestion) behind a feature
        self.blocks: dict[str, list[Any]] = {}

    def add(self, feature: str, start: int, end: int, cue: str) -> None:
        lst = self._spans.setdefault(feature, [])
        if len(lst) < MAX_SPANS:
            lst.append((start, end, cue))

    def tokens(self, feature: str, mask: np.ndarray, toks: list[tuple[int, int]], cue: str,
               before: int = 0, after: int = 0) -> None:
        """Spans of the first tokens where ``mask`` is set (widened by ``before``/``after`` tokens), made on demand."""
        self._lazy[feature] = (mask, toks, cue, before, after)

    def matches(self, families: dict[str, list], toks: list[tuple[int, int]]) -> None:
        """Lexicon matches per family, turned into spans on demand."""
        for fam, found in families.items():
            self._lazy[f"{fam}_per_1k"] = (found, toks)

    def get(self, feature: str) -> list[tuple[int, int, str]]:
        lazy = self._lazy.pop(feature, None)
        if lazy is not None:
            if len(lazy) == 2:
                found, toks = lazy
                for m in found[:MAX_SPANS]:
                    self.add(feature, toks[m.first][0], toks[m.last - 1][1], m.entry.term)
            else:
                mask, toks, cue, before, after = lazy
                last = len(toks) - 1
                for i in np.flatnonzero(mask)[:MAX_SPANS].tolist():
                    self.add(feature, toks[max(i - before, 0)][0], toks[min(i + after, last)][1], cue)
        return self._spans.get(feature, [])

    @property
    def by_feature(self) -> dict[str, list[tuple[int, int, str]]]:
        """Every feature's spans (all made now)."""
        for feature in list(self._lazy):
            self.get(feature)
        return {f: v for f, v in self._spans.items() if v}


#: outlet-mark patterns, each behind a cheap test of the body (a literal it needs, or a word of
#: :data:`_OUTLET_WORDS` among the tokens)
def _outlet_gates(body: str, has_outlet_word: bool) -> tuple[bool, ...]:
    return ("(" in body, "/" in body and "(" in body, " Photo" in body, "FILE" in body, "FILE PHOTO" in body,
            has_outlet_word, has_outlet_word)


def outlet_masked_tokens(seg: Any, has_outlet_word: bool = True) -> frozenset[int]:
    """Tokens inside outlet-naming marks (:data:`_OUTLET_RES`): they count toward no cue."""
    body, toks = seg.text, seg.tokens
    if not toks:
        return frozenset()
    out: set[int] = set()
    for rx, gate in zip(_OUTLET_RES, _outlet_gates(body, has_outlet_word)):
        if not gate:
            continue
        for m in rx.finditer(body):
            k = bisect_left(toks, (m.start(),))
            while k < len(toks) and toks[k][0] < m.end():
                out.add(k)
                k += 1
    return frozenset(out)


def _shift_next(a: np.ndarray, same: np.ndarray | None = None) -> np.ndarray:
    """``out[i] = a[i + 1]`` (False at the end; and where i + 1 starts a new sentence, when ``same`` is given)."""
    out = np.zeros_like(a)
    out[:-1] = a[1:]
    return out & same if same is not None else out


def _shift_prev(a: np.ndarray, same: np.ndarray | None = None) -> np.ndarray:
    """``out[i] = a[i - 1]`` (False at the start; and where i starts a sentence, when ``same`` is given)."""
    out = np.zeros_like(a)
    out[1:] = a[:-1]
    if same is not None:
        out[1:] &= same[:-1]
    return out


def _token_cues(doc: Document, types: _WordTypes, counts: Counter, spans: _Spans,
                masked_out: list) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Every token-level cue as array operations; returns function-word counts and sentence token bounds."""
    seg, body, att = doc.segmentation, doc.body, doc.attribution
    words, toks = seg.words, seg.tokens
    n = len(words)
    ids = types.lookup(words)
    flags = types.flags[ids]
    fw = types.fw[ids]
    bits = np.unpackbits(flags.view(np.uint8).reshape(n, 8), axis=1, bitorder="little").view(bool)

    def B(name: str) -> np.ndarray:
        return bits[:, _BIT[name]]

    masked = outlet_masked_tokens(seg, bool(B("outlet").any())) if MASK_OUTLETS else frozenset()
    if masked:
        idx = np.fromiter(masked, dtype=np.intp, count=len(masked))
        bits = bits.copy()
        bits[idx] = False
        fw = fw.copy()
        fw[idx] = -1
    masked_out.append(masked)
    bounds = [seg.sentence_tokens(si) for si in range(seg.n_sentences)]
    first = np.zeros(n + 1, dtype=bool)
    first[[a for a, b in bounds if b > a]] = True
    same = ~first[1:]  # token i and i + 1 are in the same sentence
    first = first[:n]
    total: dict[int, int] = {}  # tokens with each bit, counted when first asked for (one column each, in C)

    def count(name: str) -> int:
        k = _BIT[name]
        n = total.get(k)
        if n is None:
            n = total[k] = int(np.count_nonzero(bits[:, k]))
        return n

    def any_(name: str) -> bool:
        return count(name) > 0

    inside = None
    if att.quotes:
        inside = np.zeros(n, dtype=bool)
        for qs, qe in att.quotes:
            inside[bisect_left(toks, (qs,)):bisect_left(toks, (qe,))] = True
    cap, digit = B("cap"), B("digit")
    # pronoun families, the author's and the quoted speaker's
    for bit, fam in (("we", "we_institutional"), ("first", "first_singular"), ("second", "second_person")):
        if not any_(bit):
            continue
        hit = B(bit)
        if inside is not None and fam in ("we_institutional", "first_singular"):
            quoted = hit & inside
            counts[f"{fam}_quoted"] += int(np.count_nonzero(quoted))
            spans.tokens(f"{fam}_quoted_per_1k", quoted, toks, fam)
            hit = hit & ~inside
        elif inside is not None:
            hit = hit & ~inside
        counts[fam] += int(np.count_nonzero(hit))
        spans.tokens(f"{fam}_per_1k", hit, toks, fam)
    # word shapes (Biber 1988), numbers, capitals
    for bit, feature in (("ed", "past_ed"), ("ly", "adverbs_ly"), ("ing", "ing_forms"), ("long", "long_words"),
                         ("digit", "numbers"), ("upper5", "all_caps")):
        counts[feature] = count(bit)
    if any_("contraction"):
        contractions = B("contraction") if inside is None else B("contraction") & ~inside
        counts["contractions"] = int(np.count_nonzero(contractions))
        spans.tokens("contractions", contractions, toks, "contraction")
    proper = cap & ~B("allcaps") & ~first
    counts["proper_nouns"] = int(np.count_nonzero(proper))
    if counts["proper_nouns"]:
        counts["top_name"] = int(np.bincount(ids[proper]).max())
    if any_("title"):
        titled = B("title") & _shift_next(cap)
        counts["titled_names"] = int(np.count_nonzero(titled))
        spans.tokens("titled_names", titled, toks, "title before a name", after=1)
    metonym = B("metonym")
    if any_("metonym"):
        by_before = _shift_prev(B("by"), same)
        actor = metonym & (B("poss") | _shift_next(B("actor_verb"), same) | by_before)
        counts["metonymy"] = int(np.count_nonzero(actor))
        spans.tokens("metonymy", actor, toks, "government metonymy", after=1)
    if any_("said") and any_("weekday"):
        # dated attribution, the wire report's "said on Tuesday", "told reporters Monday", "on Friday said"
        said, day = B("said"), B("weekday")
        on_day = day | (B("on") & _shift_next(day, same))
        dated = (said & (_shift_next(on_day, same) | _shift_next(_shift_next(on_day, same), same))) | \
            (said & _shift_prev(day, same))
        counts["dated_attribution"] = int(np.count_nonzero(dated))
        spans.tokens("dated_attribution", dated, toks, "dated attribution", after=2)
    if any_("said"):
        said = B("said")
        named = cap & ~metonym & ((_shift_next(said, same) & ~first) | _shift_prev(said, same))
        counts["named_attribution"] = int(np.count_nonzero(named))
        spans.tokens("named_attribution", named, toks, "named source", before=1, after=1)
    if any_("digit"):
        month = B("month")
        dates = B("dateish") | (B("shortnum") & (_shift_prev(month) | _shift_next(month)))
        counts["date_refs"] = int(np.count_nonzero(dates))
        spans.tokens("date_refs", dates, toks, "date", before=1)
        price = digit & _shift_next(B("currword"))
        if any(ch in body for ch in _CURRENCY_SIGNS):
            for i in np.flatnonzero(digit & ~price).tolist():
                s = toks[i][0]
                if any(ch in _CURRENCY_SIGNS for ch in body[max(s - 2, 0):s]):
                    price[i] = True
        counts["currency"] = int(np.count_nonzero(price))
        spans.tokens("currency", price, toks, "price")
    if any_("imperative"):
        imperative = first & B("imperative") & ~_shift_next(B("notimpnext"), same)
        counts["imperatives"] = int(np.count_nonzero(imperative))
        spans.tokens("imperatives", imperative, toks, "imperative opening")
    if any_("recommend") or any_("need"):
        hits = B("recommend") | (B("need") & _shift_next(B("to")))
        if hits.any():
            _actor_recommendations(doc, np.flatnonzero(hits).tolist(), bits, counts, spans)
    if any_("speaker"):
        counts["_speaker_gate"] = int(_speaker_gate(body, toks, B("speaker")))
        counts["_briefing_gate"] = int(any(words[i] in _BRIEFING_WORDS for i in np.flatnonzero(B("speaker")).tolist()))
    counts["_furniture_gate"] = int(any_("furniture"))
    if any_("phone"):
        phone = B("phone")
        counts["_phone_gate"] = 1
        counts["_phone_gate_dots"] = int((phone & _shift_next(phone)).any() or
                                         any("." in words[i] for i in np.flatnonzero(phone).tolist()))
    return np.bincount(fw[fw >= 0], minlength=len(FUNCTION_WORDS)), bounds


_BRIEFING_WORDS = frozenset("Q PRESIDENT MINISTER SECRETARY CHAIRMAN MR MS MRS DR".split())


def _speaker_gate(body: str, toks: list[tuple[int, int]], upper: np.ndarray) -> bool:
    """True when an upper-case token is followed by a colon (a transcript's speaker label may follow)."""
    for i in np.flatnonzero(upper).tolist():
        after = body[toks[i][1]:toks[i][1] + 2]
        if after[:1] == ":" or after == " :" or after == "\t:":
            return True
    return False


def _actor_recommendations(doc: Document, hits: list[int], bits: np.ndarray, counts: Counter,
                           spans: _Spans) -> None:
    """'Washington should', 'Congress must', 'Democrats need to' in the author's own voice (not quoted or reported)."""
    seg = doc.segmentation
    tsent, toks = seg.token_sentence, seg.tokens
    voice = cues_of(doc).sentence_voice
    skip, cap, group, notactor = _BIT["subjskip"], _BIT["cap"], _BIT["group"], _BIT["notactor"]
    for i in hits:
        j = i - 1
        while j >= 0 and bits[j, skip] and tsent[j] == tsent[i]:
            j -= 1
        if j < 0 or tsent[j] != tsent[i] or voice[tsent[i]] != "author":
            continue
        if bits[j, notactor] or not (bits[j, cap] or bits[j, group]):
            continue
        counts["actor_recommendations"] += 1
        spans.add("actor_recommendations", toks[j][0], toks[i][1], "recommendation to an actor")


def _lexicon_counts(doc: Document, layer: str, counts: Counter, spans: _Spans,
                    masked: frozenset[int] = frozenset()) -> None:
    """Phrase families from the shared cue layer's matches (the pronoun families are token cues)."""
    found = cues_of(doc).layer(layer)
    if masked:
        found = [m for m in found if m.first not in masked]
    families: dict[str, list] = {}
    for m in found:
        fam = m.entry.category
        lst = families.get(fam)
        if lst is None:
            families[fam] = [m]
        else:
            lst.append(m)
    for fam, lst in families.items():
        counts[fam] = len(lst)
    sentiment = SENTIMENT_FAMILIES.intersection(families)
    if sentiment:
        toks, tsent = doc.segmentation.tokens, doc.segmentation.token_sentence
        voice_at = doc.attribution.voice_at
        for fam in sentiment:
            families[fam] = [m for m in families[fam] if voice_at(toks[m.first][0], tsent[m.first]) == "author"]
            counts[fam] = len(families[fam])
    stance = [m for fam in STANCE_FAMILIES.intersection(families) for m in families[fam]]
    if stance:
        toks, tsent = doc.segmentation.tokens, doc.segmentation.token_sentence
        voice_at = doc.attribution.voice_at
        author = sum(voice_at(toks[m.first][0], tsent[m.first]) == "author" for m in stance)
        counts["stance_author"] = author
        counts["stance_other"] = len(stance) - author
    spans.matches(families, doc.segmentation.tokens)


def _is_heading(text: str, n_words: int) -> bool:
    if not 1 <= n_words <= 12 or text[-1] in _TERMINAL or not text[0].isupper():
        return False
    words = [w for w in text.split() if len(w) > 3]
    return not words or sum(w[0].isupper() for w in words) / len(words) >= 0.5 or n_words <= 6


#: page furniture recognised in short paragraphs (<= 25 words) and in paragraphs of up to 80 words
_SHORT_FURNITURE = (("conclusion_heading", _CONCLUSION_RE), ("promo_label", _PROMO_LABEL_RE), ("byline", _BYLINE_RE),
                    ("photo_credit", _PHOTO_RE), ("social", _SOCIAL_RE), ("related", _RELATED_RE))
_LONG_FURNITURE = (("disclaimer", _DISCLAIMER_RE), ("author_bio", _BIO_RE))


def _match_furniture(text: str, offset: int, patterns: tuple, counts: Counter, spans: _Spans) -> None:
    for feature, rx in patterns:
        m = rx.search(text)
        if m and not (feature == "photo_credit" and _CC_LICENCE_RE.search(text)):
            counts[feature] += 1
            spans.add(feature, offset + m.start(), offset + m.end(), feature.replace("_", " "))


def _layout(doc: Document, counts: Counter, spans: _Spans) -> set[int]:
    """Q&A turns, datelines, headings, labels and boilerplate lines, one paragraph at a time; returns the
    paragraphs that are Q&A turns."""
    body, seg = doc.body, doc.segmentation
    toks = seg.tokens
    furniture = counts.pop("_furniture_gate", 0)
    qa_paras: set[int] = set()
    for pi, (ps, pe) in enumerate(seg.paragraphs):
        nw = bisect_left(toks, (pe,)) - bisect_left(toks, (ps,))
        if body.find(":", ps, min(pe, ps + 120)) >= 0 or body.find("：", ps, min(pe, ps + 120)) >= 0:
            m = _QA_RE.match(body, ps, pe)
            if m:
                qa_paras.add(pi)
                counts["qa_turns"] += 1
                spans.add("qa_turns", m.start(), m.end(), "Q&A turn marker")
        if nw > 8 and body[ps:ps + 3].strip()[:2].isupper():
            m = _DATELINE_RE.match(body, ps, pe)
            if m:
                counts["dateline"] += 1
                spans.add("dateline", m.start(), m.end(), "dateline")
        if nw > 25:
            if furniture and nw <= 80:
                _match_furniture(body[ps:pe], ps, _LONG_FURNITURE, counts, spans)
            continue
        text = body[ps:pe]
        _match_furniture(text, ps, _LONG_FURNITURE, counts, spans)
        stripped = text.strip()
        if pi == 0 and nw <= 15 and stripped and _OPINION_TITLE_RE.search(stripped):
            counts["opinion_title"] += 1
            spans.add("opinion_title", ps, pe, "opinion-piece title")
        if pi > 0 and stripped and _is_heading(stripped, nw):
            counts["headings"] += 1
            spans.add("headings", ps, pe, "heading")
        _match_furniture(text, ps, _SHORT_FURNITURE, counts, spans)
        if nw <= 5:
            m = _SECTION_RE.search(text)
            if m:
                counts["section_label"] += 1
                spans.add("section_label", ps + m.start(), ps + m.end(), "section label")
    for block in doc.boilerplate:
        feature = _BOILERPLATE_FEATURE.get(block.category)
        if feature == "photo_credit" and _CC_LICENCE_RE.search(block.text):
            feature = None
        if feature:
            counts[feature] += 1
        elif block.category in ("section_label", "author_bio") and len(block.text.split()) <= 5 and \
                _SECTION_RE.search(block.text):
            counts["section_label"] += 1
            feature = "section_label"
        if feature:
            spans.blocks.setdefault(feature, []).append(block)
    return qa_paras


def _regex_counts(body: str, counts: Counter, spans: _Spans) -> None:
    """Contact details, press-release end marks and party tags, transcript speaker labels (each behind a gate)."""
    gates = {"contact_info": (counts.pop("_phone_gate", 0) and "(" in body, counts["_phone_gate_dots"],
                              "@" in body, "ontact:" in body),
             "release_marks": ("#" in body, "30" in body, "(D" in body or "(R" in body or "(I" in body),
             "speaker_turns": (counts.pop("_speaker_gate", 0), counts.pop("_briefing_gate", 0))}
    counts.pop("_phone_gate_dots", None)
    for feature, patterns in (("contact_info", _CONTACT_RES), ("release_marks", _RELEASE_MARK_RES),
                              ("speaker_turns", _SPEAKER_RES)):
        for rx, gate in zip(patterns, gates[feature]):
            if not gate:
                continue
            for m in rx.finditer(body):
                counts[feature] += 1
                start = max(m.start() - (1 if rx.pattern == "ontact:" else 0), 0)
                spans.add(feature, start, m.end(), feature.replace("_", " "))


def _sentence_shapes(doc: Document, qa_paras: set[int], counts: Counter, spans: _Spans) -> None:
    """Rhetorical questions and exclamations; quotes and reported speech."""
    body, seg = doc.body, doc.segmentation
    att = doc.attribution
    para = seg.sentence_paragraph
    if "?" in body or "!" in body:
        for si, (ss, se) in enumerate(seg.sentences):
            tail = body[max(ss, se - 3):se].rstrip("\"'”’) ")
            if tail.endswith("?"):
                if para[si] not in qa_paras and not att.in_quote(se - 1):
                    counts["rhetorical_questions"] += 1
                    spans.add("rhetorical_questions", ss, se, "question in the author's voice")
            elif tail.endswith("!"):
                counts["exclamations"] += 1
                spans.add("exclamations", ss, se, "exclamation")
    for qs, qe in att.quotes:
        counts["quotes"] += 1
        counts["quoted_chars"] += qe - qs
        spans.add("quotes", qs, qe, "direct quotation")
    counts["reported_sentences"] = len(att.reported_sentences)


_FEATURE_INDEX = {f: j for j, f in enumerate(FEATURES)}
_COUNT_FEATURES = [(fam, _FEATURE_INDEX[f"{fam}_per_1k"]) for fam in LEXICON_FAMILIES + QUOTED_FAMILIES] + [
    (f, _FEATURE_INDEX[f]) for f in SHAPE_FEATURES if f not in _NOT_RATES]
_FW_SLICE = slice(_FEATURE_INDEX[f"fw_{FUNCTION_WORDS[0]}_per_1k"], _FEATURE_INDEX[f"fw_{FUNCTION_WORDS[-1]}_per_1k"] + 1)


def cue_vector(doc: Document, token_table: dict[str, str], layer: str, spans: _Spans | None = None) -> np.ndarray:
    """The model's raw feature values for ``doc``, in :data:`FEATURES` order (NaN rates without words)."""
    spans = spans if spans is not None else _Spans()
    seg = doc.segmentation
    n_words = seg.n_words
    out = np.zeros(len(FEATURES))
    if not n_words:
        out[:] = NAN
        out[_FEATURE_INDEX["quoted_share"]] = out[_FEATURE_INDEX["focus_name_share"]] = 0.0
        return out
    counts: Counter = Counter()
    masked: list = []
    fw, _ = _token_cues(doc, _word_types(token_table), counts, spans, masked)
    _lexicon_counts(doc, layer, counts, spans, masked[0])
    qa_paras = _layout(doc, counts, spans)
    _regex_counts(doc.body, counts, spans)
    _sentence_shapes(doc, qa_paras, counts, spans)
    for name, j in _COUNT_FEATURES:
        out[j] = counts[name]
    out[_FW_SLICE] = fw
    out *= 1000.0 / n_words
    out[_FEATURE_INDEX["quoted_share"]] = counts["quoted_chars"] / max(len(doc.body), 1)
    names = counts["proper_nouns"]
    out[_FEATURE_INDEX["focus_name_share"]] = counts["top_name"] / names if names >= 3 else 0.0
    return out


def cue_features(doc: Document, token_table: dict[str, str], layer: str,
                 spans: _Spans | None = None) -> dict[str, float]:
    """The model's feature values for ``doc`` by name (see :data:`FEATURES` and :func:`cue_vector`).

    Rates are per 1,000 words; ``quoted_share`` is a share of the body's
    characters and ``focus_name_share`` the most frequent name's share of
    the names.
    """
    return dict(zip(FEATURES, cue_vector(doc, token_table, layer, spans).tolist()))


#: how raw feature values are compressed before standardising, by the name a model file records (``transform``),
#: with the inverse (back to raw values); models trained before 2026-12-07 use ``log1p``
TRANSFORMS = {"sqrt": (np.sqrt, np.square), "log1p": (np.log1p, np.expm1)}
#: the transform new models are trained with: the square root compresses heavy rates less than ``log1p`` does,
#: so a cue used often still counts for more than one used once (leave-one-source-out macro-F1 0.788 against 0.778)
FEATURE_TRANSFORM = "sqrt"


def _transform(values: dict[str, float] | np.ndarray, names: Sequence[str] = FEATURES,
               kind: str = FEATURE_TRANSFORM) -> np.ndarray:
    """Each (non-negative) feature compressed by the transform ``kind`` (:data:`TRANSFORMS`); NaN -> 0."""
    if isinstance(values, dict):
        x = np.array([values.get(n, 0.0) for n in names], dtype=float)
    else:
        x = np.asarray(values, dtype=float)
    x = np.fmax(x, 0.0)  # NaN -> 0 and negatives -> 0 in one step
    return TRANSFORMS[kind][0](x)


def _untransform(x: np.ndarray, kind: str = FEATURE_TRANSFORM) -> np.ndarray:
    """Raw feature values back from transformed ones (the inverse of :func:`_transform`)."""
    return TRANSFORMS[kind][1](x)


# ---------------------------------------------------------------------------
# the shipped model: coefficients in JSON

class _LinearModel:
    """Multinomial logistic regression read from the model JSON (no scikit-learn needed at run time)."""

    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.features: list[str] = list(spec["features"])
        self.classes: list[str] = list(spec["classes"])
        self.mean = np.asarray(spec["scaler"]["mean"], dtype=float)
        self.scale = np.asarray(spec["scaler"]["scale"], dtype=float)
        coef = np.asarray(spec["coef"], dtype=float)
        self.coef = coef - coef.mean(axis=0, keepdims=True)  # centred: contributions read per class
        self.intercept = np.asarray(spec["intercept"], dtype=float)
        self.temperature = float(spec.get("temperature", 1.0))
        self.log_prior = np.log(np.asarray([spec.get("prior", {}).get(c, 1.0 / len(self.classes))
                                            for c in self.classes], dtype=float))
        self.meta_offsets: dict[str, dict[str, dict[str, float]]] = spec.get("metadata_offsets", {})
        self.expert_cues: dict[str, dict[str, Any]] = spec.get("expert_cues", {})
        self._in_order = tuple(self.features) == FEATURES
        self.transform = str(spec.get("transform", "log1p")).split()[0]
        self.expert_mask = np.array([f in self.expert_cues for f in self.features], dtype=bool)

    def expert_offsets(self, values: dict[str, float]) -> tuple[np.ndarray, dict[str, float]]:
        """Log-odds from the hand-set cues (``expert_cues`` in the model JSON), and each cue's contribution."""
        return expert_offsets(self.expert_cues, values, self.classes)

    def standardise(self, values: dict[str, float], vector: np.ndarray | None = None) -> np.ndarray:
        """Standardised transformed features (the model's ``transform``; ``vector``: the same values in
        :data:`FEATURES` order, a fast path)."""
        x = (_transform(vector, kind=self.transform) if vector is not None and self._in_order
             else _transform(values, self.features, self.transform))
        return (x - self.mean) / self.scale

    def logits(self, z: np.ndarray) -> np.ndarray:
        return (self.coef @ z + self.intercept) / self.temperature + self.log_prior

    def metadata_offsets(self, meta: dict[str, Any]) -> tuple[np.ndarray, list[tuple[str, str, float]]]:
        """Log-odds offsets from declared HTML metadata (schema.org type, section label)."""
        off = np.zeros(len(self.classes))
        fired: list[tuple[str, str, float]] = []
        for key, table in self.meta_offsets.items():
            value = str(meta.get(key, "") or "").strip().lower()
            if not value:
                continue
            for pattern, by_class in sorted(table.items(), key=lambda kv: -len(kv[0])):  # most specific first
                if pattern in value:
                    for cls, w in by_class.items():
                        if cls in self.classes:
                            off[self.classes.index(cls)] += w
                            fired.append((key, meta[key], w))
                    break
        return off, fired


def expert_offsets(cues: dict[str, dict[str, Any]], values: dict[str, float],
                   classes: Sequence[str]) -> tuple[np.ndarray, dict[str, float]]:
    """Log-odds offsets per class from hand-set cues, and the contribution of each cue that fired."""
    off = np.zeros(len(classes))
    fired: dict[str, float] = {}
    for feature, cue in cues.items():
        v = float(values.get(feature, 0.0) or 0.0)
        if v <= 0 or cue["class"] not in classes:
            continue
        w = cue["weight"] if cue["kind"] == "presence" else min(cue["weight"] * v, cue.get("cap", float("inf")))
        off[list(classes).index(cue["class"])] += w
        fired[feature] = w
    return off, fired


def _complete_prior(prior: dict[str, float], classes: Sequence[str]) -> dict[str, float]:
    """User priors for ``classes``; unnamed classes share the remaining mass (errors on bad values)."""
    unknown = set(prior) - set(classes)
    if unknown:
        raise OptionError(f"prior names unknown classes {sorted(unknown)}; classes: {list(classes)}")
    given = sum(prior.values())
    if any(v <= 0 for v in prior.values()) or given > 1 + 1e-9:
        raise OptionError("prior values must be positive and sum to at most 1")
    rest = [c for c in classes if c not in prior]
    if not rest and abs(given - 1) > 1e-6:
        raise OptionError("prior values must sum to 1 when every class is named")
    share = (1 - given) / len(rest) if rest else 0.0
    if rest and share <= 0:
        raise OptionError("prior leaves no mass for the classes it does not name")
    return {c: float(prior.get(c, share)) for c in classes}


def parse_prior(prior: dict[str, float] | str | None) -> dict[str, float] | str:
    """``"uniform"`` (default), ``"corpus"``, a dict, or ``"official=0.9,news=0.05"`` (the CLI's form)."""
    if prior is None or prior == "":
        return "uniform"
    if isinstance(prior, dict):
        return {str(k): float(v) for k, v in prior.items()}
    text = str(prior).strip()
    if text in ("corpus", "uniform"):
        return text
    out: dict[str, float] = {}
    for part in text.split(","):
        cls, sep, value = part.partition("=")
        try:
            out[cls.strip()] = float(value)
        except ValueError:
            raise OptionError(f"prior {prior!r} is not 'corpus', 'uniform' or CLASS=P,CLASS=P...") from None
        if not sep:
            raise OptionError(f"prior {prior!r} is not 'corpus', 'uniform' or CLASS=P,CLASS=P...")
    return out


def estimate_class_prior(probs: np.ndarray, train_prior: np.ndarray | None = None, *,
                         pseudocount: float = CORPUS_PRIOR_PSEUDOCOUNT, max_iter: int = 1000,
                         tol: float = 1e-9) -> np.ndarray:
    """Class proportions of a corpus estimated from its posteriors by EM (Saerens, Latinne & Decaestecker 2002).

    ``probs`` holds one row of calibrated class probabilities per document,
    computed under ``train_prior`` (default: equal priors). Each EM step
    re-weights the rows by ``prior / train_prior`` and takes the mean; the
    ``pseudocount`` (a Dirichlet prior, added to every class's expected count)
    keeps a class that the corpus seems to lack from collapsing to zero.
    Higher value = more of the corpus is believed to be of that class.
    """
    probs = np.asarray(probs, dtype=float)
    n, k = probs.shape
    base = np.full(k, 1.0 / k) if train_prior is None else np.asarray(train_prior, dtype=float)
    prior = base.copy()
    for _ in range(max_iter):
        q = probs * (prior / base)
        q /= q.sum(axis=1, keepdims=True)
        new = (q.sum(axis=0) + pseudocount) / (n + pseudocount * k)
        if np.abs(new - prior).max() < tol:
            return new
        prior = new
    return prior


def shrink_prior(prior: np.ndarray, strength: float) -> np.ndarray:
    """``prior ** strength``, renormalised: 0 = equal priors, 1 = the estimate itself, 0.5 = half-way in log-odds."""
    w = np.power(np.asarray(prior, dtype=float), strength)
    return w / w.sum()


def _declared_metadata(doc: Document) -> dict[str, Any]:
    """``doc.meta`` without a ``section`` that ingestion derived from labels in the text itself.

    Those labels are already counted by the ``section_label`` cue; using them
    twice would double their weight.
    """
    section = str(doc.meta.get("section", "") or "")
    if not section:
        return doc.meta
    labels = {" ".join(b.text.split()) for b in doc.boilerplate if b.category == "section_label"}
    if all(part.strip() in labels for part in section.split(";")):
        return {k: v for k, v in doc.meta.items() if k != "section"}
    return doc.meta


def _softmax_rows(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _softmax(v: np.ndarray) -> np.ndarray:
    return _softmax_rows(v[None, :])[0]


@register
class SourceTypeExtractor(Extractor):
    """Source type (official, news, commentary, promotional) from interpretable cues, with evidence.

    Parameters
    ----------
    model : str or Path, optional
        A model JSON written by ``framing train source-type`` (default: the
        packaged ``source_type`` model).
    lexicon : str or Path, optional
        A cue lexicon replacing the packaged ``source_type`` lexicon (same
        families as categories; the model's features are the family rates).
    extend_lexicon : str or Path, optional
        A lexicon whose entries are added to the packaged one.
    prior : {"uniform", "corpus"} or dict, default "uniform"
        The class priors the probabilities assume. The model is trained with
        equal priors. ``"uniform"`` (default): equal priors, so a document's
        type does not depend on the batch it is scored in. ``"corpus"`` (an
        option, recorded in the run record): :meth:`fit` estimates the corpus's class
        proportions from the documents' own probabilities by EM (Saerens,
        Latinne & Decaestecker 2002) and scores with a prior moved
        ``prior_strength`` of the way toward that estimate (in log-odds);
        corpora of fewer than ``min_corpus`` scorable documents keep equal
        priors. A dict (or ``"official=0.9,news=0.05"``
        on the command line) gives known priors; unnamed classes share what is
        left. Known or estimated, a prior shifts the log-odds by ``log(prior)``.
    prior_strength : float, default 0.5
        0 = equal priors, 1 = the full EM estimate (used with ``"corpus"``).
    min_corpus : int, default 20
        Fewest scorable documents for which ``"corpus"`` estimates a prior.

    Attributes
    ----------
    corpus_prior_ : dict or None
        After :meth:`fit` with ``prior="corpus"``: the prior the scores use.
    corpus_prior_estimate_ : dict or None
        The EM estimate of the corpus's class proportions it was shrunk from.
    n_corpus_docs_ : int
        Documents the estimate was made from (0 when none was made).
    """

    name = "source_type"
    version = "1"
    description = ("Source type (official / news / commentary / promotional): probabilities from a logistic "
                   "regression over cue rates (Q&A markers, datelines, attribution, evaluative and interpretive "
                   "language, promotional scaffolding), with the cues that drove the prediction.")
    #: the model's own cues shown as columns; constructs owned by other families (first person, attribution,
    #: quotations, evaluative and promotional words, reader address) are model features here, not columns
    columns = tuple(f"source_type_p_{c}" for c in CLASSES) + (
        "source_type_uncertain", "source_type_margin", "source_type_agrees_with_declared",
        "source_type_diplomatic_per_1k", "source_type_qa_turns_per_1k", "source_type_interpretive_per_1k",
        "source_type_metonymy_per_1k", "source_type_headings_per_1k", "source_type_boilerplate_promo")
    column_descriptions: ClassVar[dict[str, str]] = {
        "source_type_p_official": "probability the text is an official statement (government, IO, company); 0..1",
        "source_type_p_news": "probability the text is a news report; 0..1",
        "source_type_p_commentary": "probability the text is commentary (editorial, op-ed, analysis); 0..1",
        "source_type_p_promotional": "probability the text is promotional (SEO blog, marketing copy); 0..1",
        "source_type_uncertain": "1 if the two most probable types are within the uncertainty margin (0.15) of "
                                 "each other: read the type as 'X?/Y' (extra['display_label']), 0 if not",
        "source_type_margin": "probability of the detected type minus that of the runner-up; 0..1, "
                              "higher = a clearer call",
        "source_type_agrees_with_declared": "1 if the detected type equals the declared role, 0 if not, "
                                            "empty when no role is declared",
        "source_type_diplomatic_per_1k": "diplomatic formulae ('stands ready to', 'win-win') per 1,000 words; "
                                         "higher = more official-register formulae",
        "source_type_qa_turns_per_1k": "Q&A turn markers ('Question:', 'Spokesperson:') per 1,000 words; "
                                       "higher = more press-conference layout",
        "source_type_interpretive_per_1k": "interpretive framing ('less about', 'seeks to') per 1,000 words; "
                                           "higher = more reading of others' intentions (commentary)",
        "source_type_metonymy_per_1k": "capitals as actors ('Beijing seeks', 'Washington's') per 1,000 words; "
                                       "higher = more capitals acting as agents (commentary)",
        "source_type_headings_per_1k": "short title-case heading lines per 1,000 words (listicle scaffolding); "
                                       "higher = more listicle-like",
        "source_type_boilerplate_promo": "photo credits, share/subscribe prompts, disclaimers, author bios and "
                                         "related-links blocks (body lines plus separated boilerplate); "
                                         "count, higher = more page furniture",
    }

    def __init__(self, model: str | Path | None = None, lexicon: str | Path | None = None,
                 extend_lexicon: str | Path | None = None, prior: dict[str, float] | str = "uniform",
                 prior_strength: float = CORPUS_PRIOR_STRENGTH, min_corpus: int = CORPUS_PRIOR_MIN_DOCS):
        self.model = model
        self.lexicon = lexicon
        self.extend_lexicon = extend_lexicon
        self.prior = prior
        self.prior_strength = prior_strength
        self.min_corpus = min_corpus
        self.corpus_prior_: dict[str, float] | None = None
        self.corpus_prior_estimate_: dict[str, float] | None = None
        self.n_corpus_docs_ = 0
        self._lex: Lexicon | None = None
        self._token_table: dict[str, str] = {}
        self._matcher: str | None = None
        self._model: _LinearModel | None = None
        self._prior_offset: np.ndarray | float = 0.0

    # -- resources ---------------------------------------------------------
    def _resources(self) -> tuple[dict[str, str], str, _LinearModel]:
        if self._matcher is None:
            self._lex = cue_lexicon(self.lexicon, self.extend_lexicon)
            self._token_table, self._matcher = build_matchers(self._lex)
            spec = load_model(self.model or "source_type")
            prior = parse_prior(self.prior)
            if isinstance(prior, dict):
                spec = {**spec, "prior": _complete_prior(prior, spec["classes"])}
            self._model = _LinearModel(spec)
        assert self._model is not None
        return self._token_table, self._matcher, self._model

    # -- the corpus prior ------------------------------------------------------
    def fit(self, docs: Sequence[Document]) -> SourceTypeExtractor:
        """With ``prior="corpus"``, estimate the corpus's class prior from its documents; returns ``self``.

        Each scorable document's cues are computed once and kept in its
        ``cache`` for :meth:`extract`. Equal priors are kept (and
        ``corpus_prior_`` stays ``None``) for other ``prior`` settings and for
        corpora smaller than ``min_corpus``.
        """
        self.corpus_prior_ = self.corpus_prior_estimate_ = None
        self.n_corpus_docs_ = 0
        self._prior_offset = 0.0
        if parse_prior(self.prior) != "corpus":
            return self
        try:
            strength, min_corpus = float(self.prior_strength), int(self.min_corpus)
        except ValueError:
            raise OptionError(f"prior_strength must be a number and min_corpus a whole number, got "
                              f"{self.prior_strength!r} and {self.min_corpus!r}") from None
        if not 0.0 <= strength <= 1.0:
            raise OptionError(f"prior_strength must be between 0 and 1, got {self.prior_strength!r}")
        scorable = [d for d in docs if not d.na_reason]
        if len(scorable) < max(min_corpus, 1):
            return self
        probs = np.vstack([self._probabilities(doc)[0] for doc in scorable])
        model = self._model
        assert model is not None
        train_prior = np.exp(model.log_prior)
        estimate = estimate_class_prior(probs, train_prior)
        used = shrink_prior(estimate, strength)
        self._prior_offset = np.log(used) - model.log_prior
        self.corpus_prior_estimate_ = {c: round(float(p), 4) for c, p in zip(model.classes, estimate)}
        self.corpus_prior_ = {c: round(float(p), 4) for c, p in zip(model.classes, used)}
        self.n_corpus_docs_ = len(scorable)
        return self

    def provenance(self) -> dict[str, Any]:
        out = super().provenance()
        out["prior"] = {"setting": parse_prior(self.prior) if not isinstance(self.prior, dict) else self.prior,
                        "strength": float(self.prior_strength), "min_corpus": int(self.min_corpus),
                        "corpus_estimate": self.corpus_prior_estimate_, "used": self.corpus_prior_,
                        "documents": self.n_corpus_docs_}
        return out

    def resources(self) -> list[dict[str, str]]:
        _, _, model = self._resources()
        assert self._lex is not None
        prov = model.spec.get("provenance", {})
        return [self._lex.provenance(),
                {"name": "source_type model", "path": str(self.model or "framing/models/source_type.json"),
                 "version": str(model.spec.get("version", "")), "trained_on": ";".join(
                     f"{f['file']}:{f['sha256'][:12]}" for f in prov.get("files", []))}]

    def get_params(self) -> dict[str, Any]:
        return {"model": self.model, "lexicon": self.lexicon, "extend_lexicon": self.extend_lexicon,
                "prior": self.prior, "prior_strength": self.prior_strength, "min_corpus": self.min_corpus}

    # -- prediction -------------------------------------------------------------
    def _cues(self, doc: Document) -> tuple[dict[str, float], _Spans]:
        """The document's cue features and evidence spans, computed once per document and lexicon."""
        key = ("source_type_cues", str(self.lexicon), str(self.extend_lexicon))
        cached = doc.cache.get(key)
        if cached is None:
            table, matcher, _ = self._resources()
            spans = _Spans()
            vector = cue_vector(doc, table, matcher, spans)
            cached = doc.cache[key] = (dict(zip(FEATURES, vector.tolist())), spans, vector)
        return cached[0], cached[1]

    def _cue_vector(self, doc: Document) -> np.ndarray:
        return doc.cache[("source_type_cues", str(self.lexicon), str(self.extend_lexicon))][2]

    def _probabilities(self, doc: Document) -> tuple[np.ndarray, np.ndarray, dict[str, float], list, _Spans]:
        """Probabilities under the model's own prior, with standardised and raw features, metadata cues, spans."""
        _, _, model = self._resources()
        values, spans = self._cues(doc)
        z = model.standardise(values, self._cue_vector(doc))
        offsets, fired = model.metadata_offsets(_declared_metadata(doc))
        expert, _ = model.expert_offsets(values)
        return _softmax(model.logits(z) + offsets + expert), z, values, fired, spans

    def predict_proba(self, doc: Document) -> tuple[dict[str, float], np.ndarray, dict[str, float], list]:
        """Class probabilities (under the fitted corpus prior, if any), standardised and raw features,
        and metadata cues for ``doc``."""
        probs, z, values, fired, _ = self._probabilities(doc)
        if not isinstance(self._prior_offset, float):
            probs = _softmax(np.log(probs) + self._prior_offset)
        return dict(zip(self._model.classes, map(float, probs))), z, values, fired

    lazy_evidence = True

    def extract(self, doc: Document, evidence: bool = True) -> Result:
        probs, z, values, fired = self.predict_proba(doc)
        _, spans = self._cues(doc)
        model = self._model
        assert model is not None
        ranked = sorted(probs, key=probs.__getitem__, reverse=True)
        label, runner_up = ranked[0], ranked[1]
        margin = probs[label] - probs[runner_up]
        uncertain = margin < UNCERTAIN_MARGIN
        k = model.classes.index(label)
        contrib = model.coef[k] * z
        _, expert = model.expert_offsets(values)
        for feature, w in expert.items():
            if feature not in model.features:
                continue
            j = model.features.index(feature)
            contrib[j] += w if model.expert_cues[feature]["class"] == label else -w / (len(model.classes) - 1)
        order = np.argsort(-contrib)
        top = [{"feature": model.features[j], "value": round(float(values.get(model.features[j], 0.0)), 4),
                "contribution": round(float(contrib[j]), 4),
                "direction": "above training mean" if z[j] > 0 else "below training mean"}
               for j in order[:8] if contrib[j] > 0]
        rows: list[Evidence] = []
        if evidence:
            rows = self._evidence(doc, spans, model.features, contrib, label, z > 0)
            rows += [Evidence(self.name, "metadata", f"{key}={value}", "", 0, 0, -1, "author", float(w),
                              f"from document metadata; log-odds offset toward {label}") for key, value, w in fired]
        declared = doc.role
        agrees = NAN if not declared else float(declared == label)
        feats = {f"source_type_p_{c}": probs.get(c, NAN) for c in CLASSES}
        feats["source_type_uncertain"] = float(uncertain)
        feats["source_type_margin"] = round(margin, 4)
        feats["source_type_agrees_with_declared"] = agrees
        feats.update(self._cue_columns(values, doc.segmentation.n_words))
        extra = {"label": label, "display_label": f"{label}?/{runner_up}" if uncertain else label,
                 "uncertain": uncertain, "runner_up": runner_up, "margin": round(margin, 4),
                 "probabilities": {c: round(p, 4) for c, p in probs.items()}, "top_cues": top,
                 "declared": declared, "disagrees": bool(declared) and declared != label,
                 "metadata_cues": [f"{k_}={v}" for k_, v, _ in fired]}
        return Result(feats, rows, "", extra)

    @staticmethod
    def _cue_columns(v: dict[str, float], n_words: int) -> dict[str, float]:
        return {
            "source_type_diplomatic_per_1k": v["diplomatic_per_1k"],
            "source_type_qa_turns_per_1k": v["qa_turns"],
            "source_type_interpretive_per_1k": v["interpretive_per_1k"],
            "source_type_metonymy_per_1k": v["metonymy"],
            "source_type_headings_per_1k": v["headings"],
            "source_type_boilerplate_promo": round(n_words * sum(
                v[f] for f in ("photo_credit", "social", "disclaimer", "author_bio", "related")) / 1000.0),
        }

    def _evidence(self, doc: Document, spans: _Spans, features: list[str], contrib: np.ndarray,
                  label: str, above_mean: np.ndarray) -> list[Evidence]:
        """Spans of the cues whose *presence* pushed toward ``label``; weight = contribution shared among the spans.

        A cue that helps only because it is rarer than usual (few "said" in an
        op-ed) is reported in ``extra['top_cues']`` as below the training mean,
        not as evidence spans.
        """
        seg, att = doc.segmentation, doc.attribution
        out: list[Evidence] = []
        shown = 0
        expert = self._model.expert_mask
        candidates = np.flatnonzero((contrib > 0) & (above_mean | expert))
        for j in candidates[np.argsort(-contrib[candidates])].tolist():
            if shown >= MAX_EVIDENCE_FEATURES:
                break
            feature = features[j]
            found = spans.get(feature)
            family = feature.removesuffix("_per_1k")
            blocks = spans.blocks.get(feature, [])
            share = round(float(contrib[j]) / max(len(found) + len(blocks), 1), 4)
            if share <= 0:  # a contribution too small to show (rounds to zero per span)
                continue
            shown += bool(found or blocks)
            for start, end, cue in found:
                sent = seg.sentence_at(start)
                out.append(Evidence(self.name, family, cue, doc.body[start:end], start, end, sent,
                                    att.voice_at(start, sent), share, f"pushes toward {label}"))
            for block in blocks:  # page furniture lives outside the body: no body offsets
                out.append(Evidence(self.name, family, block.category, "", 0, 0, -1, "author", share,
                                    f"pushes toward {label}; boilerplate block {' '.join(block.text.split())!r} "
                                    f"at {block.start}-{block.end} of the source text"))
        return out


def cue_lexicon(lexicon: str | Path | None = None, extend: str | Path | None = None) -> Lexicon:
    """The packaged cue lexicon, or a user's replacement, optionally extended."""
    lex = load_lexicon(lexicon or "source_type")
    if extend:
        lex = lex.extended(load_lexicon(extend))
    sentiment = load_lexicon(SENTIMENT_LEXICON)
    own = {" ".join(e.term.lower().replace("’", "'").split()) for e in lex.entries}
    added = tuple(e for e in sentiment.entries if e.category in SENTIMENT_FAMILIES
                  and " ".join(e.term.lower().replace("’", "'").split()) not in own)
    return lex.extended(replace(sentiment, entries=added))


def build_matchers(lex: Lexicon) -> tuple[dict[str, str], str]:
    """Word table for the pronoun families, and the cue-layer key of the phrases (unknown families are ignored)."""
    table = {e.term.lower(): e.category for e in lex.entries if e.category in TOKEN_FAMILIES}
    phrases = [e for e in lex.entries if e.category in LEXICON_FAMILIES and e.category not in TOKEN_FAMILIES]
    return table, register_layer("source_type", phrases)
