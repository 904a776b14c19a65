"""Katakana back-transliteration: a loanword or foreign name written in katakana, spelt the way
its Latin original tends to be (ガスプロム → gasprom, ロッキード → lokkid → Lockheed).

Hepburn romaji of a loanword carries what Japanese adds to a foreign word: a vowel after every
consonant (プ pu, ド do), long-vowel marks, the small kana of sounds Japanese lacks (ティ, ファ, ヴ).
This reading undoes those additions by general rules, not word lists:

- small-kana combinations are read as the foreign sound (ティ ti, ディ di, ファ fa, ウィ wi,
  ウォ wo, ヴァ va, シェ she, ジェ je, チェ che, ツァ tsa);
- the vowel u after a consonant is dropped when another consonant or the end of the word
  follows (プロム → prom), in the first syllable only where English has such an onset (st, br,
  pr: スター → star); o after t or d is dropped at the end of the word or before r (ルド → ld, トリ → tri);
- ー after u is read oo (グーグル google); ー after a is read r (スター star, ウォルマート walmart), at the end of a word er
  (ダイムラー daimler); after other vowels it is dropped; ッ is dropped (the next consonant
  is not doubled, as in most English spellings).
The matcher still compares the result loosely (l/r, b/v), see ``names.japanese_key``.
"""

from __future__ import annotations

from functools import lru_cache

_DIGRAPHS = {
    "ティ": "ti", "ディ": "di", "トゥ": "tu", "ドゥ": "du", "テュ": "tyu", "デュ": "du",
    "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "フュ": "fyu",
    "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve",
    "ヴォ": "vo", "ヴュ": "vyu", "シェ": "she", "ジェ": "je", "チェ": "che", "ツァ": "tsa",
    "ツィ": "tsi", "ツェ": "tse", "ツォ": "tso", "クァ": "qua", "クィ": "qui", "クェ": "que",
    "クォ": "quo", "グァ": "gua", "イェ": "ye", "キャ": "kya", "キュ": "kyu", "キョ": "kyo",
    "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo", "シャ": "sha", "シュ": "shu", "ショ": "sho",
    "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "チャ": "cha", "チュ": "chu", "チョ": "cho",
    "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo", "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo",
    "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo",
    "ミャ": "mya", "ミュ": "myu", "ミョ": "myo", "リャ": "rya", "リュ": "ryu", "リョ": "ryo",
}  # fmt: skip
_ROWS = {
    "": "アイウエオ", "k": "カキクケコ", "g": "ガギグゲゴ", "s": "サシスセソ", "z": "ザジズゼゾ",
    "t": "タチツテト", "d": "ダヂヅデド", "n": "ナニヌネノ", "h": "ハヒフヘホ", "b": "バビブベボ",
    "p": "パピプペポ", "m": "マミムメモ", "y": "ヤ_ユ_ヨ", "r": "ラリルレロ", "w": "ワ___ヲ",
    "v": "____ヴ",
}  # fmt: skip
_IRREGULAR = {"シ": "shi", "チ": "chi", "ツ": "tsu", "フ": "fu", "ジ": "ji", "ヂ": "ji", "ヅ": "zu",
              "ヴ": "vu", "ヲ": "o", "ン": "n", "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e",
              "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo"}  # fmt: skip
_MONO: dict[str, str] = {}
for _consonant, _kana in _ROWS.items():
    for _vowel, _ch in zip("aiueo", _kana, strict=True):
        if _ch != "_":
            _MONO[_ch] = _consonant + _vowel
_MONO.update(_IRREGULAR)

_VOWELS = frozenset("aiueo")


# Company names long avoided small kana, so キヤノン is Canon (キャノン), キユーピー Kewpie and
# 富士フイルム Fujifilm: a large ヤ, ユ, ヨ after a kana of the i column, or a large イ after フ,
# may stand for the small one.
_LARGE_SMALL = {"ヤ": "ャ", "ユ": "ュ", "ヨ": "ョ"}
_I_COLUMN = frozenset("キシチニヒミリギジビピ")


def unstylise(text: str) -> str:
    """The text with large kana that may stand for small ones made small (キヤノン → キャノン)."""
    out: list[str] = []
    for ch in text:
        if ch in _LARGE_SMALL and out and out[-1] in _I_COLUMN:
            ch = _LARGE_SMALL[ch]
        elif ch == "イ" and out and out[-1] == "フ":
            ch = "ィ"
        out.append(ch)
    return "".join(out)


def is_katakana(ch: str) -> bool:
    return 0x30A1 <= ord(ch) <= 0x30FA or ch == "ー"


def _syllables(word: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        ch = word[i]
        if ch == "ー":
            out.append("ー")
        elif ch == "ッ":
            pass  # gemination: English spellings rarely double the consonant the same way
        elif ch in _MONO:
            out.append(_MONO[ch])
        i += 1
    return out


@lru_cache(maxsize=100_000)
def back_transliterate(word: str) -> str:
    """One katakana word in the Latin spelling its foreign original likely has."""
    syllables = _syllables(word)
    out: list[str] = []
    for k, syl in enumerate(syllables):
        following = syllables[k + 1] if k + 1 < len(syllables) else ""
        if syl == "ー":
            if out and out[-1].endswith("a"):
                out[-1] = out[-1][:-1] + "er" if not following else out[-1] + "r"
            elif out and out[-1].endswith("u") and len(out[-1]) >= 2:
                out[-1] = out[-1][:-1] + "oo"  # グーグル → google, ブーツ → boots
            continue
        if following == "ー":
            out.append(syl)
            continue
        before_consonant = bool(following) and following[0] not in _VOWELS
        consonant_u = len(syl) >= 2 and syl.endswith("u") and syl[-2] not in _VOWELS
        if k == 0:
            # English onsets: consonant + r (br, pr, gr…) and s + consonant (st, sp, sb…).
            drop = before_consonant and (
                (consonant_u and (following[0] == "r" or syl in ("su", "zu")))
                or (syl in ("to", "do") and following[0] == "r")  # tr, dr: トラック truck
            )
        elif syl in ("to", "do"):
            # An o added after t or d at the end or before r: ルド → ld, トリ → tri.
            drop = not following or following[0] == "r"
        else:
            drop = consonant_u and (before_consonant or not following)
        out.append(syl[:-1] if drop else syl)
    return "".join(out)
