"""Name → full pinyin and initials, with surname readings pypinyin gets wrong.

pypinyin reads 曾 as ceng, 单 as dan, 解 as jie …; as surnames they are zeng, shan, xie.
Compound surnames are checked first.
"""

from __future__ import annotations

from functools import lru_cache

SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "长孙": ("zhang", "sun"),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "曾": ("zeng",),
    "单": ("shan",),
    "翟": ("zhai",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "查": ("zha",),
    "覃": ("qin",),
    "区": ("ou",),
    "盖": ("ge",),
    "缪": ("miao",),
    "乐": ("yue",),
    "召": ("shao",),
    "隗": ("wei",),
    "任": ("ren",),
    "沈": ("shen",),
    "秘": ("bi",),
    "燕": ("yan",),
    "华": ("hua",),
    "纪": ("ji",),
    "繁": ("po",),
    "员": ("yun",),
    "种": ("chong",),
    "句": ("gou",),
    "能": ("nai",),
    "尉": ("yu",),
}


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> tuple[str, str]:
    """Return (full pinyin without tones, initials), both lowercase ASCII."""
    name = name.strip()
    syllables: list[str] = []
    rest = name
    for length in (2, 1):
        head = name[:length]
        if len(name) > length and head in SURNAME_READINGS:
            syllables.extend(SURNAME_READINGS[head])
            rest = name[length:]
            break
    syllables.extend(plain_syllables(rest))
    return "".join(syllables), "".join(s[0] for s in syllables)


def _pypinyin():
    # local import: pypinyin's phrase dictionary costs 0.16 s to load and 0.3 s of garbage
    # collection at interpreter exit; processes that never spell a name (minzheng screen) skip both.
    import pypinyin

    return pypinyin


def plain_syllables(text: str) -> list[str]:
    """pypinyin's reading of `text`, one lowercase ASCII syllable per character (ü as v), no tones."""
    p = _pypinyin()
    return [s.lower().replace("ü", "v") for s in p.lazy_pinyin(text, style=p.Style.NORMAL, errors="ignore") if s]


def toned_pinyin(text: str) -> str:
    """The syllables of `text` with tone marks, joined (涪陵 → fúlíng)."""
    p = _pypinyin()
    return "".join(p.lazy_pinyin(text, style=p.Style.TONE))
