"""Policy citations as users read them: the document (文号 and title) with the link behind.

The parameter files carry one free-text ``reference`` per value, written for whoever checks the
numbers: a 文号 and title, often a URL, sometimes a note for developers pointing into the
project's own documents (``domain/policy-facts.md 末节“Working defaults”``). Screens show the
text without the URLs and without internal file references — a working default reads
工作默认值（待区民政局确认）— and link the first URL behind the text.
Pure Python (no Django), so the rules engine and exports can use it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

URL = re.compile(r"https?://[^\s）)，,；;]+")
WORKING_DEFAULT_TEXT = "工作默认值（待区民政局确认）"
# “平台工作默认值（domain/policy-facts.md 末节“Working defaults”），待本地文件确认”
_WORKING_DEFAULT = re.compile(r"平台工作默认值（[^（）]*?(?:\.md|domain/)[^（）]*?）(?:，?待本地文件确认)?")
# any other bracketed note naming a project file
_INTERNAL_NOTE = re.compile(r"（[^（）]*?(?:\.md|\.py|domain/)[^（）]*?）")
_EMPTY_BRACKETS = re.compile(r"（\s*(二手来源)?\s*）")


@dataclass(frozen=True)
class Citation:
    text: str
    url: str = ""


def parse_citation(reference: str | None) -> Citation:
    """'渝民发〔2024〕9号 http://…' → Citation('渝民发〔2024〕9号', 'http://…')."""
    if not reference:
        return Citation("")
    urls = URL.findall(reference)
    text = URL.sub(" ", reference)
    text = _WORKING_DEFAULT.sub(WORKING_DEFAULT_TEXT, text)
    text = _INTERNAL_NOTE.sub("", text)
    text = _EMPTY_BRACKETS.sub(lambda m: "（二手来源）" if m.group(1) else "", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([；，。：）])", r"\1", text)
    text = re.sub(r"（\s+", "（", text)
    text = re.sub(r"[；，\s]+$", "", text).strip()
    return Citation(text or "政策文件", urls[0] if urls else "")
