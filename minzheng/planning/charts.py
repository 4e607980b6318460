"""Small charts drawn on the server: an SVG sparkline for the dashboard cards, and the
evaluation reports' progress chart as SVG (for the PDF) and PNG (for Word, which takes no SVG).
No plotting library: a few rectangles and lines are all these charts are."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe
from PIL import Image, ImageDraw, ImageFont

CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


def sparkline_svg(values: list[float | None], *, colour: str, target: float | None = None,
                  width: int = 120, height: int = 32) -> str:
    """A line through the known points (baseline first), with the target as a dashed line."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return ""
    scale_values = [v for _, v in known] + ([target] if target is not None else [])
    lo, hi = min(scale_values), max(scale_values)
    if hi == lo:
        hi, lo = hi + 1, lo - 1
    pad = 3
    n = max(len(values) - 1, 1)

    def x(i):
        return pad + (width - 2 * pad) * i / n

    def y(v):
        return height - pad - (height - 2 * pad) * (v - lo) / (hi - lo)

    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in known)
    parts = [f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="趋势">']
    if target is not None:
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="#9aa4b1" stroke-dasharray="3 2" stroke-width="1"/>'
        )
    parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
    last_i, last_v = known[-1]
    parts.append(f'<circle cx="{x(last_i):.1f}" cy="{y(last_v):.1f}" r="2.5" fill="{colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class Bar:
    label: str  # e.g. "16 养老服务床位总量"
    progress: float | None  # 0–100+ : share of the way from baseline to target, or None
    colour: str
    note: str = ""  # shown at the end of the bar, e.g. "92.3%" or "无基期"


BAR_ROW = 22
LABEL_W = 300
BAR_W = 330
CHART_PAD = 28


def progress_chart_svg(bars: list[Bar], *, expected: float | None, title: str) -> str:
    """Horizontal bars: each indicator's progress towards its target (0–100 %, capped at 110),
    with the time elapsed as a dashed line — the picture of 时间过半、任务过半."""
    height = CHART_PAD * 2 + BAR_ROW * len(bars)
    width = LABEL_W + BAR_W + 70
    cap = 110.0

    def bx(p):
        return LABEL_W + BAR_W * max(0.0, min(p, cap)) / cap

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="Noto Sans CJK SC, Noto Serif CJK SC, sans-serif" font-size="11">',
        f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in (0, 25, 50, 75, 100):
        out.append(
            f'<line x1="{bx(tick):.1f}" x2="{bx(tick):.1f}" y1="{CHART_PAD - 4}" y2="{height - CHART_PAD + 4}" '
            f'stroke="#e3e7ec" stroke-width="1"/>'
            f'<text x="{bx(tick):.1f}" y="{height - CHART_PAD + 16}" text-anchor="middle" fill="#5f6b7a">{tick}%</text>'
        )
    for i, bar in enumerate(bars):
        top = CHART_PAD + i * BAR_ROW
        out.append(f'<text x="{LABEL_W - 6}" y="{top + 14}" text-anchor="end">{escape(bar.label)}</text>')
        if bar.progress is not None:
            w = bx(bar.progress) - LABEL_W
            out.append(f'<rect x="{LABEL_W}" y="{top + 4}" width="{w:.1f}" height="{BAR_ROW - 8}" fill="{bar.colour}"/>')
        end = bx(bar.progress) if bar.progress is not None else LABEL_W
        out.append(f'<text x="{end + 4:.1f}" y="{top + 14}" fill="#1f2328">{escape(bar.note)}</text>')
    if expected is not None:
        ex = bx(expected)
        out.append(
            f'<line x1="{ex:.1f}" x2="{ex:.1f}" y1="{CHART_PAD - 6}" y2="{height - CHART_PAD + 2}" '
            f'stroke="#1f5fbf" stroke-width="1.5" stroke-dasharray="5 3"/>'
            f'<text x="{ex:.1f}" y="{CHART_PAD - 8}" text-anchor="middle" fill="#1f5fbf">时间进度 {expected:.0f}%</text>'
        )
    out.append("</svg>")
    return "".join(out)


@functools.lru_cache(maxsize=4)
def _font(size: int):
    for path in CJK_FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size=size, index=2)  # index 2: Simplified Chinese in the collection
    return ImageFont.load_default()


def progress_chart_png(bars: list[Bar], *, expected: float | None, title: str, scale: int = 2) -> bytes:
    """The same chart as a PNG (Word documents take no SVG)."""
    s = scale
    height = (CHART_PAD * 2 + BAR_ROW * len(bars)) * s
    width = (LABEL_W + BAR_W + 70) * s
    cap = 110.0
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font, bold = _font(11 * s), _font(13 * s)

    def bx(p):
        return (LABEL_W + BAR_W * max(0.0, min(p, cap)) / cap) * s

    draw.text((width / 2, 8 * s), title, fill="#1f2328", font=bold, anchor="mt")
    for tick in (0, 25, 50, 75, 100):
        draw.line([(bx(tick), (CHART_PAD - 4) * s), (bx(tick), height - (CHART_PAD - 4) * s)], fill="#e3e7ec", width=s)
        draw.text((bx(tick), height - (CHART_PAD - 8) * s), f"{tick}%", fill="#5f6b7a", font=font, anchor="mt")
    for i, bar in enumerate(bars):
        top = (CHART_PAD + i * BAR_ROW) * s
        draw.text(((LABEL_W - 6) * s, top + 11 * s), bar.label, fill="#1f2328", font=font, anchor="rm")
        if bar.progress is not None:
            draw.rectangle([(LABEL_W * s, top + 4 * s), (bx(bar.progress), top + (BAR_ROW - 4) * s)], fill=bar.colour)
        end = bx(bar.progress) if bar.progress is not None else LABEL_W * s
        draw.text((end + 4 * s, top + 11 * s), bar.note, fill="#1f2328", font=font, anchor="lm")
    if expected is not None:
        ex = bx(expected)
        y = (CHART_PAD - 6) * s
        while y < height - (CHART_PAD - 2) * s:
            draw.line([(ex, y), (ex, min(y + 5 * s, height - (CHART_PAD - 2) * s))], fill="#1f5fbf", width=2 * s // 2 + 1)
            y += 8 * s
        draw.text((ex, (CHART_PAD - 8) * s), f"时间进度 {expected:.0f}%", fill="#1f5fbf", font=font, anchor="mb")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
