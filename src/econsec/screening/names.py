"""Name similarity by token alignment ("name-align-v1").

Both names are taken in every normalised form (see :mod:`normalise`); for each pair of forms the
tokens are aligned one to one (a token may also meet several adjacent tokens written together,
Huawei ↔ hua wei), and the score is the length-weighted share of matched characters. The best
pair of forms wins, and the result says which tokens met, how well, and through which
transliteration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from econsec.screening.hanja import hangul_spellings
from econsec.screening.nicknames import nickname_map
from econsec.screening.normalise import NameForm, generic_words, name_forms
from econsec.screening.transliterate import (
    SKELETON_METHODS,
    is_han,
    is_hangul,
    organisation_types,
    place_tokens,
    skeleton,
)

ALGORITHM = "name-align-v1"


@dataclass(frozen=True)
class NameConfig:
    """Tunable parameters of the name algorithm."""

    min_token_similarity: float = 0.6  # weaker token pairs count as unmatched
    unmatched_query_weight: float = 1.0  # weight of unmatched query characters
    # Lists carry fuller names than the query (middle names, patronymics), so their extra
    # tokens weigh less than extra tokens of the query.
    unmatched_candidate_weight: float = 0.5
    initial_similarity: float = 0.8  # "J" against "John"
    loose_japanese: bool = True  # compare romaji with Latin through a Japanese sound key
    # Generic corporate words (industry, trading, holding…) say little about who a party is,
    # matched or not; "Mitsubishi Heavy Industries" is not "Kawasaki Heavy Industries".
    generic_weight: float = 0.5
    number_mismatch_factor: float = 0.6  # "Unit 1" vs "Unit 2"
    skeleton_factor: float = 0.9  # consonant skeletons (Arabic, Hebrew) are weaker evidence
    # One distinctive name part that finds no partner is strong evidence of another party
    # ("Muhammad Abdul Khan" vs "Muhammad Wali Khan"), however many other parts agree.
    unmatched_query_factor: float = 0.75
    unmatched_candidate_factor: float = 0.85
    weak_pair_factor: float = 0.85  # a matched pair below weak_pair_similarity
    weak_pair_similarity: float = 0.85
    rotation_factor: float = 0.97  # "KIM, Jong Un" vs "Jong Un Kim"
    reorder_factor: float = 0.8  # "Salman bin Muhammad" vs "Muhammad bin Salman"
    # People are listed with and without middle names, patronymics and grandfathers' names
    # ("Vladimir Vladimirovich Putin" / "Vladimir Putin"): when every part of the shorter name
    # finds its partner in order and the longer one only adds parts, those parts weigh little.
    # Organisations get no such allowance: "Banco Santander Chile" is another bank.
    middle_name_weight: float = 0.25
    middle_name_factor: float = 0.97
    # A given name and its nickname (Ted/Theodore) meet at this similarity, for people and
    # parties of unknown kind; in company names "Art" or "Will" are words, not Arthur or William.
    nickname_similarity: float = 0.9
    # An abbreviation and the words it abbreviates (PLA / People's Liberation Army): strong,
    # but weaker than the words themselves.
    acronym_similarity: float = 0.9
    # Names read from Japanese, Chinese or Korean script (issue 17). A personal name there is a
    # surname and a given name of one or two characters each; a romanisation one letter away
    # is another name (佐藤 Sato / Kato), not a variant, once the sound key has absorbed the
    # real spelling variants. A token pair's shortfall from 1.0 is multiplied by this.
    east_asian_person_strictness: float = 2.5
    # Two organisations that share their name but each carry a word the other lacks are two
    # companies of one group (Mitsubishi Electric / Mitsubishi Heavy Industries).
    conflicting_words_factor: float = 0.8
    # A word of the list entry that the query lacks, in an organisation name, when it is a
    # business-line word (University / University of Technology).
    unmatched_generic_factor: float = 0.9
    # Place names are optional qualifiers of organisation names (Hangzhou Hikvision / 海康威视).
    place_weight: float = 0.25


@dataclass(frozen=True)
class TokenMatch:
    query: str
    candidate: str
    similarity: float


@dataclass(frozen=True)
class NameResult:
    """The outcome of comparing two names, with its explanation."""

    score: float
    query_form: NameForm | None = None
    candidate_form: NameForm | None = None
    matched: tuple[TokenMatch, ...] = ()
    unmatched_query: tuple[str, ...] = ()
    unmatched_candidate: tuple[str, ...] = ()
    features: dict[str, float] = field(default_factory=dict)

    @property
    def transliteration(self) -> str:
        methods = {f.method for f in (self.query_form, self.candidate_form) if f is not None}
        methods.discard("latin")
        return "+".join(sorted(methods)) or "latin"


_BEFORE_LABIAL = re.compile(r"n(?=[bmp])")
_Y_AS_I = re.compile(r"(?<=[^aeiouy])y(?=[^aeiouy])")


@lru_cache(maxsize=200_000)
def japanese_key(token: str) -> str:
    """A lossy sound key that lets katakana romaji meet English spellings.

    Japanese has no l/r or b/v distinction, writes final y as i (ソニー sonii → soni ≈ sony),
    and adds a vowel after final consonants (パナソニック panasonikku ≈ panasonic).
    """
    # A word-initial xi is pinyin (Xiaomi シャオミ, Xi シー), which katakana writes with sh.
    token = "sh" + token[1:] if token.startswith("xi") else token
    key = token.replace("xx", "x").replace("ph", "f").replace("ck", "k").replace("th", "s")
    key = key.replace("x", "ks")
    # Spellings of sounds katakana writes one way: pf (Pfizer ファイザー), zh (Prigozhin プリゴジン),
    # ay (Raytheon レイセオン), and ti, which katakana writes チ in Russian names (Putin プーチン).
    key = key.replace("pf", "f").replace("zh", "j").replace("ay", "ei").replace("chi", "ti")
    # Japanese long o is also written oh before a consonant or at the end (Ricoh, Itoh, Ohno).
    key = "".join(
        ""
        if ch == "h" and key[i - 1 : i] == "o" and (key[i + 1 : i + 2] or "-") not in "aeiouy"
        else ch
        for i, ch in enumerate(key)
    )
    # ン before b, m or p sounds m (Hepburn writes Shimbashi, English Olympus); a y between
    # consonants is an i sound, which katakana writes イ (Olympus オリンパス).
    key = _BEFORE_LABIAL.sub("m", key)
    key = _Y_AS_I.sub("i", key)
    key = key.replace("l", "r").replace("v", "b").replace("qu", "ku")
    key = "".join("k" if c == "c" and key[i + 1 : i + 2] != "h" else c for i, c in enumerate(key))
    if key.endswith("y"):
        key = key[:-1] + "i"
    # Doubled letters and vowels added after final consonants.
    out: list[str] = []
    for ch in key:
        if not out or out[-1] != ch:
            out.append(ch)
    key = "".join(out)
    if len(key) > 3 and key[-1] in "uo" and key[-2] not in "aeiou":
        key = key[:-1]
    return key


_KO_KEY_STEPS = (
    ("woo", "u"), ("ai", "ae"), ("th", "t"), ("kh", "k"), ("ph", "p"), ("oi", "oe"), ("eui", "ui"), ("ui", "i"), ("eo", "o"), ("eu", "u"), ("oo", "u"), ("ee", "i"), ("ae", "e"),
    ("ch", "j"), ("sh", "s"), ("c", "k"), ("g", "k"), ("b", "p"), ("d", "t"), ("l", "r"),
    ("x", "ks"), ("o", "u"),
)  # fmt: skip


@lru_cache(maxsize=200_000)
def korean_key(token: str) -> str:
    """A lossy sound key that lets Revised Romanisation, McCune–Reischauer and customary Korean
    spellings meet: ㅓ is written eo, o or u (Jeong/Jong/Jung, Seong/Sung), plain stops k/g, p/b,
    t/d and j/ch alternate (Pak/Bak, Pong/Bong), l/r are one sound (Lee/Ri), North Korea's
    romanisation writes aspirates th/kh/ph (Thaek), customary spellings write 우 woo and ㅐ ai
    (Tae-woo, Hyundai), and English-style spellings add h or r after a vowel (Ahn, Oh, Park)."""
    key = token
    for old, new in _KO_KEY_STEPS:
        key = key.replace(old, new)
    out: list[str] = []
    for i, ch in enumerate(key):
        following = key[i + 1 : i + 2]
        after_vowel = bool(out) and out[-1] in "aeiou"
        if ch in "hr" and after_vowel and (not following or following not in "aeiouwy"):
            continue  # Ahn, Oh, Park
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


_SOUND_KEYS = {"ja": japanese_key, "ko": korean_key}


def _sound_key(q: NameForm, c: NameForm, config: NameConfig) -> str:
    """Which sound key compares the two forms: "ja" or "ko" when one side was read from that
    script, "" for plain spelling."""
    methods = (q.method, c.method)
    if config.loose_japanese and any(m.startswith("ja") for m in methods):
        return "ja"
    if any(m.startswith("ko") for m in methods):
        return "ko"
    return ""


def _token_similarity(a: str, b: str, config: NameConfig, key: str) -> float:
    if a == b:
        return 1.0
    return _cached_similarity(a, b, key, config.initial_similarity, config.min_token_similarity)


@lru_cache(maxsize=1 << 20)
def _cached_similarity(a: str, b: str, loose: str, initial: float, floor: float) -> float:
    if not (a.isalpha() and b.isalpha()) and (
        any(c.isdigit() for c in a) or any(c.isdigit() for c in b)
    ):
        return 0.0  # "Unit 1" is not "Unit 2"
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return initial if a[0] == b[0] else 0.0
    # Levenshtein similarity can never exceed the length ratio: skip hopeless pairs.
    if not loose and min(la, lb) / max(la, lb) < floor:
        return 0.0
    sim = Levenshtein.normalized_similarity(a, b)
    if loose and sim < 1.0:
        key = _SOUND_KEYS[loose]
        sim = max(sim, 0.95 * Levenshtein.normalized_similarity(key(a), key(b)))
    return sim


def _close_lengths(a: str, b: str, key: str) -> bool:
    """Whether two spellings are near enough in length to be one word; under a sound key the
    keys' lengths count (태우 is written taeu and tae-woo)."""
    if abs(len(a) - len(b)) <= 1 + len(b) // 8:
        return True
    if key:
        keyed = _SOUND_KEYS[key]
        return abs(len(keyed(a)) - len(keyed(b))) <= 1 + len(b) // 8
    return False


def _merge_runs(left: list[str], right: list[str], config: NameConfig, key: str) -> list[str]:
    """Join adjacent tokens of ``left`` that together spell one token of ``right``."""
    if len(left) < 2:
        return left
    targets = set(right)
    # (A sound key may make a merged run longer than its partner: min+soo / minsu,
    # tae+woo / taeu.)
    long_targets = [t for t in targets if len(t) > (3 if key else 4)]
    shortest = min(len(t) for t in left)
    if not any(len(t) >= 2 * shortest - (2 if key else 0) for t in targets):
        return left  # no token on the other side is long enough to be two of ours
    out: list[str] = []
    i = 0
    while i < len(left):
        merged = False
        for size in (3, 2):
            if i + size > len(left):
                continue
            joined = "".join(left[i : i + size])
            # A token the other side has exactly stays whole ("Cubanacan U.K." must not
            # become "cubanacanu" and miss itself); runs spelling a target exactly still join.
            if joined in targets or (
                left[i] not in targets
                and any(
                    (t[0] == joined[0] or bool(key))  # sound keys may change the first letter
                    and _close_lengths(joined, t, key)
                    and _token_similarity(joined, t, config, key) >= 0.9
                    for t in long_targets
                )
            ):
                out.append(joined)
                i += size
                merged = True
                break
        if not merged:
            out.append(left[i])
            i += 1
    return out


# Short words skipped when a name is abbreviated to its initials (Islamic State of Iraq and the
# Levant → ISIL).
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "du", "des", "la", "le", "el", "und"})


def _collapse_acronyms(
    left: list[str], right: list[str], whole: bool
) -> tuple[list[str], set[int]]:
    """Replace runs of ``right`` whose initials spell a short token of ``left`` by that token
    (PLA ↔ People's Liberation Army, JC ↔ Jean Claude); returns the new tokens and the replaced
    positions. ``whole``: whether the run may be the whole name (not for people: "KJU" is not
    a way to write Kim Jong Un's name)."""
    if len(right) < 2:
        return right, set()
    initials = {t[0] for t in right}
    # A token the other name also has whole is matched as itself, not as initials.
    short = {
        t
        for t in left
        if 2 <= len(t) <= 5 and t.isalpha() and initials.issuperset(t) and t not in right
    }
    if not short:
        return right, set()
    out: list[str] = []
    collapsed: set[int] = set()
    i = 0
    while i < len(right):
        found = 0
        for acronym in short:
            letters = 0
            j = i
            while j < len(right) and letters < len(acronym):
                token = right[j]
                if token in _ACRONYM_SKIP and j > i:
                    j += 1
                    continue
                if token[0] != acronym[letters]:
                    break
                letters += 1
                j += 1
            if letters == len(acronym) and j - i >= 2 and (whole or j - i < len(right)):
                found = j - i
                out.append(acronym)
                break
        if found:
            collapsed.add(len(out) - 1)
            i += found
        else:
            out.append(right[i])
            i += 1
    return out, collapsed


def _as_skeleton(form: NameForm) -> NameForm:
    tokens = tuple(t for t in (skeleton(t) for t in form.tokens) if t)
    return replace(form, tokens=tokens) if tokens else form


def _extra_parts_only(
    qt: list[str], ct: list[str], kept: list[tuple[float, int, int]], strong: float
) -> bool:
    """One name is the other plus extra parts: every part of the shorter one matched strongly,
    in order, with its first part on the other name's first part or its last on the last."""
    matched_q = {i for _, i, _ in kept}
    matched_c = {j for _, _, j in kept}
    if len(matched_q) == len(qt) and len(ct) > len(qt):
        short = len(qt)
    elif len(matched_c) == len(ct) and len(qt) > len(ct):
        short = len(ct)
    else:
        return False
    if short < 2 or any(sim < strong for sim, _, _ in kept):
        return False
    pairs = sorted((i, j) for _, i, j in kept)
    order = [j for _, j in pairs]
    if order != sorted(order):
        return False
    first = pairs[0] == (0, 0)
    last = pairs[-1] == (len(qt) - 1, len(ct) - 1)
    return first or last


def _align(q: NameForm, c: NameForm, config: NameConfig, kind: str = "unknown") -> NameResult:
    # Consonant-skeleton readings (Arabic, Hebrew) meet Latin names in skeleton form too.
    skeletal = False
    if q.method in SKELETON_METHODS and c.method not in SKELETON_METHODS:
        c, skeletal = _as_skeleton(c), True
    elif c.method in SKELETON_METHODS and q.method not in SKELETON_METHODS:
        q, skeletal = _as_skeleton(q), True
    loose = _sound_key(q, c, config)
    qt = _merge_runs(list(q.tokens), list(c.tokens), config, loose)
    ct = _merge_runs(list(c.tokens), qt, config, loose)
    acronyms_c: set[int] = set()
    acronyms_q: set[int] = set()
    if q.method == c.method == "latin":  # transliterated tokens are not written initials
        whole = kind != "person"
        ct, acronyms_c = _collapse_acronyms(qt, ct, whole)
        qt, acronyms_q = _collapse_acronyms(ct, qt, whole)
    pairs: list[tuple[float, int, int]] = []
    floor, initial = config.min_token_similarity, config.initial_similarity
    if "zh-wg" in (q.method, c.method):
        # The Wade-Giles key is already lossy (b/p, j/zh/ch merged): only whole syllable
        # groups that agree count, or "hsin" would meet "hsifu".
        floor = 1.0
    # A personal name written in kanji, hanzi or hangul (not a foreign name in katakana).
    east_asian = kind == "person" and any(
        f.method.split("+")[0] in ("ja", "ja-unidic", "zh", "ko", "ko-hanja")
        and any(is_han(ch) or is_hangul(ch) for ch in f.original)
        for f in (q, c)
    )
    strict = config.east_asian_person_strictness if east_asian else 1.0
    nick_sim = config.nickname_similarity
    nicknames = nickname_map() if kind in ("person", "unknown") else {}
    none: frozenset[str] = frozenset()
    for i, a in enumerate(qt):
        for j, b in enumerate(ct):
            sim = 1.0 if a == b else _cached_similarity(a, b, loose, initial, floor)
            if sim < nick_sim and b in nicknames.get(a, none):
                sim = nick_sim
            elif sim == 1.0 and (i in acronyms_q or j in acronyms_c):
                sim = config.acronym_similarity
            if strict > 1.0 and sim < 0.95:  # 0.95: what the sound key gives a true variant
                sim = max(0.0, 1.0 - strict * (1.0 - sim))
            if sim >= floor:
                pairs.append((sim, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched: list[TokenMatch] = []
    kept_pairs: list[tuple[float, int, int]] = []
    numerator = 0.0
    denominator = 0.0
    generic = generic_words()
    places = place_tokens() if kind != "person" else frozenset()

    def size(token: str) -> float:
        if token in places:
            return len(token) * config.place_weight
        return len(token) * (config.generic_weight if token in generic else 1.0)

    for sim, i, j in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        kept_pairs.append((sim, i, j))
        weight = size(qt[i]) + size(ct[j])
        numerator += sim * weight
        denominator += weight
        matched.append(TokenMatch(qt[i], ct[j], round(sim, 4)))
    rest_q = tuple(t for i, t in enumerate(qt) if i not in used_q)
    rest_c = tuple(t for j, t in enumerate(ct) if j not in used_c)
    # East Asian personal names have no middle names or patronymics: an extra part is another
    # person, on either side.
    middle = (
        kind == "person"
        and not east_asian
        and _extra_parts_only(qt, ct, kept_pairs, config.weak_pair_similarity)
    )
    candidate_weight = 1.0 if east_asian else config.unmatched_candidate_weight
    if middle:
        extra = sum(size(t) for t in rest_q + rest_c)
        denominator += config.middle_name_weight * extra
    else:
        denominator += config.unmatched_query_weight * sum(size(t) for t in rest_q)
        denominator += candidate_weight * sum(size(t) for t in rest_c)
    score = numerator / denominator if denominator else 0.0
    features = {"token_alignment": round(score, 4)}
    if middle:
        factor = config.middle_name_factor ** len(rest_q + rest_c)
        score *= factor
        features["extra_name_parts"] = round(factor, 4)
        extra_q, extra_c = rest_q, rest_c
        rest_q, rest_c = (), ()  # no further penalty for them below
    else:
        extra_q, extra_c = (), ()
    if skeletal:
        score *= config.skeleton_factor
        features["consonant_skeleton"] = config.skeleton_factor
    significant = [t for t in rest_q if len(t) > 2 and t not in generic and t not in places]
    if significant:
        factor = config.unmatched_query_factor ** len(significant)
        score *= factor
        features["unmatched_query_parts"] = round(factor, 4)
    significant = [t for t in rest_c if len(t) > 2 and t not in generic and t not in places]
    if significant:
        base = config.unmatched_query_factor if east_asian else config.unmatched_candidate_factor
        factor = base ** len(significant)
        score *= factor
        features["unmatched_candidate_parts"] = round(factor, 4)
    if kind != "person" and matched:
        kinds = organisation_types()
        described_q = [t for t in rest_q if len(t) > 2 and t not in places and t not in kinds]
        described_c = [t for t in rest_c if len(t) > 2 and t not in places and t not in kinds]
        # Two different places left over are two different bodies (Beijing / Nanjing
        # University of Aeronautics), though one place alone is an optional qualifier.
        other_places = any(t in places for t in rest_q) and any(t in places for t in rest_c)
        if (described_q and described_c) or other_places:
            score *= config.conflicting_words_factor
            features["conflicting_words"] = config.conflicting_words_factor
        elif described_c and all(t in generic for t in described_c):
            factor = config.unmatched_generic_factor ** len(described_c)
            score *= factor
            features["unmatched_candidate_words"] = round(factor, 4)
    weak = sum(1 for m in matched if m.similarity < config.weak_pair_similarity)
    if weak:
        score *= config.weak_pair_factor**weak
        features["weak_pairs"] = round(config.weak_pair_factor**weak, 4)
    order = [j for _, _, j in sorted(kept_pairs, key=lambda p: p[1])]
    # A translated reading follows the source language's word order (中国…大学 / University
    # of … China), so order says nothing there.
    translated = "+words" in q.method or "+words" in c.method
    if order != sorted(order) and not translated:
        k = order.index(min(order))
        rotated = order[k:] + order[:k]
        factor = config.rotation_factor if rotated == sorted(order) else config.reorder_factor
        score *= factor
        features["token_order"] = factor
    if any(t.isdigit() for t in rest_q) and any(t.isdigit() for t in rest_c):
        score *= config.number_mismatch_factor
        features["number_mismatch"] = config.number_mismatch_factor
    return NameResult(
        score=score,
        query_form=q,
        candidate_form=c,
        matched=tuple(matched),
        unmatched_query=rest_q + extra_q,
        unmatched_candidate=rest_c + extra_c,
        features=features,
    )


_WG_PARTNERS = frozenset({"zh-wg", "latin"})


def _holds(form: NameForm, words: tuple[str, ...]) -> bool:
    """Whether the form has any of ``words`` inside it ("der" in "vanderbilt" too)."""
    joined = form.joined
    return any(w in joined for w in words)


@lru_cache(maxsize=100_000)
def same_script_cap(a: str, b: str) -> float:
    """How far two names written in non-Latin scripts agree as written, squared: in kanji or
    hangul one character is a whole syllable or word. A name in hanja is compared with a name
    in hangul through its hangul spellings (盧泰愚 / 노태우 agree)."""
    best = Levenshtein.normalized_similarity(a, b) ** 2
    for x, y in ((a, b), (b, a)):
        han_only = any(is_han(ch) for ch in x) and not any(is_han(ch) for ch in y)
        if han_only and any(is_hangul(ch) for ch in y):
            for spelling in hangul_spellings(x):
                similar = Levenshtein.normalized_similarity(spelling.replace(" ", ""), y)
                best = max(best, similar**2)
    return best


def compare_forms(
    query: tuple[NameForm, ...],
    candidate: tuple[NameForm, ...],
    config: NameConfig = NameConfig(),
    kind: str = "unknown",
) -> NameResult:
    """The best alignment over all pairs of forms.

    When both names are written in a non-Latin script, their original spellings are compared
    as well and cap the score: 高市 and 高石 share a Chinese reading but are different names.
    """
    best = NameResult(score=0.0)
    cap = 1.0
    if query and candidate and query[0].original and candidate[0].original:
        cap = same_script_cap(query[0].original, candidate[0].original)
    for q in query:
        for c in candidate:
            if (q.method == "zh-wg" or c.method == "zh-wg") and not _WG_PARTNERS.issuperset(
                (q.method, c.method)
            ):
                continue  # the Wade-Giles key meets only Latin spellings and other keys
            if (q.kept_titles and not _holds(c, q.kept_titles)) or (
                c.kept_titles and not _holds(q, c.kept_titles)
            ):
                continue  # a kept title word only helps against a name that has it too
            result = _align(q, c, config, kind)
            if result.score > best.score:
                best = result
                if best.score >= 1.0:
                    break
    if cap < best.score:
        features = {**best.features, "same_script_spelling": round(cap, 4)}
        best = replace(best, score=cap, features=features)
    return best


def compare_names(
    query: str, candidate: str, config: NameConfig = NameConfig(), kind: str = "unknown"
) -> NameResult:
    """Compare two raw names (see :func:`compare_forms`); ``kind`` "person" allows extra
    middle names and patronymics."""
    return compare_forms(name_forms(query), name_forms(candidate), config, kind)
