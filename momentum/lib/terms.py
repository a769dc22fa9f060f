"""Plain-text analysis shared by the offline generator and reference selection.

Sentences, words without the common filler (English, Spanish, Arabic), the key terms of a passage, and a BM25
score of passages against a query. Deterministic and dependency-free: the same text gives the
same terms in the same order, which keeps the offline generator reproducible.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each either else etc even ever every few for
    from further had has have having he her here hers herself him himself his how however i if in into is it
    its itself just least less let like made make makes many may me might more most much must my myself need
    neither no nor not now of off often on once one only or other others our ours ourselves out over own per
    rather really same several shall she should since so some such than that the their theirs them
    themselves then there these they this those though through thus to too two under until up upon us use
    used uses using very via was we well were what when where whether which while who whom whose why will
    with within without would yet you your yours yourself yourselves first second third new way ways thing
    things lot lots get gets got see shown show shows figure table page chapter section example examples
    e.g i.e one's able within across among along around toward towards else instead because often usually
    """
# The filler of the other languages the offline generator writes in (generation.models.Language);
# Spanish words that are also English key terms ("con", "sin", "son") are left out.
_SPANISH_STOPWORDS = """
    al algo algunas algunos ante antes aquí así aun aunque cada cómo como cual cuál cuando cuándo cuyo
    del desde donde dónde durante ella ellas ello ellos entre era eran eres esa esas ese eso esos esta
    está están estas este esto estos fue fueron gran hay hacia hasta las les los mas más mismo muy nada
    nos nosotros nuestra nuestro otra otras otro otros para pero poco por porque puede pueden qué que
    quien quién sea según ser será sido sobre solo sólo somos sus también tan tanto tiene tienen todas
    todo todos tras tus una uno unos unas usted vez ver día días hoy tu te se lo le la el en es un y o
    """
_ARABIC_STOPWORDS = """
    في من على إلى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم أن إن كان كانت يكون لا ما لم لن قد
    ثم أو و كل بعض بين عند حتى إذا كما لكن أي غير بعد قبل هنا هناك اليوم يوم أيام
    """
STOPWORDS = frozenset((_STOPWORD_TEXT + _SPANISH_STOPWORDS + _ARABIC_STOPWORDS).split())

# Combining marks inside a word (accents written apart, Arabic vowel signs and shadda): not \w in
# Python's re, yet part of the word they sit on.
MARKS = "\u0300-\u036f\u064b-\u065f\u0670"
# A word: letters of any script, then letters, digits, marks, apostrophes or hyphens, ending in a letter,
# digit or mark.
_WORD = re.compile(rf"[^\W\d_](?:[^\W_]|[{MARKS}'\-])*(?:[^\W_]|[{MARKS}])|[^\W\d_]")
# A sentence ends at . ! ? (or the Arabic question mark) before a capital, a digit, an opening
# mark (¿ ¡ in Spanish), or a letter of a script without case (Arabic).
_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"')\]»”]?\s+(?=[\"'(\[«“¿¡]?(?![a-zß-öø-ÿ])[^\W_])")
_SPACE = re.compile(r"\s+")
MAX_WORD = 30  # longer "words" are identifiers, URLs or extraction noise, never a key term


def normalise(text: str) -> str:
    """One line of text: whitespace runs collapsed, hyphenated line breaks joined."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return _SPACE.sub(" ", text).strip()


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, in order (a line of prose ending in . ! or ?)."""
    return [part.strip() for part in _SENTENCE_END.split(normalise(text)) if part.strip()]


def words(text: str) -> list[str]:
    """The lowercase words of ``text``, without stopwords and without one- or two-letter words."""
    return [w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if _is_word(w)]


def _is_word(token: str) -> bool:
    return 2 < len(token) <= MAX_WORD and token not in STOPWORDS


def key_terms(texts: Iterable[str], *, limit: int = 12, exclude: Iterable[str] = ()) -> list[str]:
    """The terms that characterise ``texts``: recurring word pairs first, then frequent words.

    Terms whose words all appear in ``exclude`` (e.g. the course topic) are left out: they say
    nothing a learner has not already read in the title.
    """
    excluded = {w for phrase in exclude for w in words(phrase)}
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    for text in texts:
        for sentence in sentences(text) or [text]:
            tokens = [m.group(0).lower() for m in _WORD.finditer(sentence)]
            for left, right in itertools.pairwise(tokens):
                if _is_word(left) and _is_word(right) and left != right:
                    bigrams[f"{left} {right}"] += 1
            unigrams.update(w for w in tokens if len(w) > 3 and _is_word(w))
    terms: list[str] = []
    taken: set[str] = set()
    for phrase, count in sorted(bigrams.items(), key=lambda item: (-item[1], item[0])):
        parts = set(phrase.split())
        if count < 2 or parts <= excluded or parts & taken:
            continue
        terms.append(phrase)
        taken |= parts
        if len(terms) >= limit // 2:
            break
    for word, _count in sorted(unigrams.items(), key=lambda item: (-item[1], item[0])):
        if len(terms) >= limit:
            break
        if word in excluded or word in taken:
            continue
        terms.append(word)
        taken.add(word)
    return terms


def bm25_scores(documents: Sequence[str], query: str, *, k1: float = 1.5, b: float = 0.75) -> list[float]:
    """The Okapi BM25 score of each document for ``query`` (0 for a document sharing no term)."""
    query_terms = set(words(query))
    tokenised = [words(document) for document in documents]
    if not tokenised or not query_terms:
        return [0.0] * len(documents)
    average_length = (sum(len(tokens) for tokens in tokenised) / len(tokenised)) or 1.0
    frequency: Counter[str] = Counter()
    for tokens in tokenised:
        frequency.update(query_terms & set(tokens))
    total = len(tokenised)
    scores = []
    for tokens in tokenised:
        counts = Counter(tokens)
        score = 0.0
        for term in query_terms:
            tf = counts.get(term, 0)
            if not tf:
                continue
            idf = math.log(1 + (total - frequency[term] + 0.5) / (frequency[term] + 0.5))
            score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(tokens) / average_length))
        scores.append(score)
    return scores
