"""Demo data of the place-name line (``minzheng demo``), at the seed's counts: 13,100 records
of the place-name register (第二次全国地名普查成果数字化 13,100余条) spread over the 27 towns, of
which 40 roads named in 2016–2020; a district 地名文化遗产 list; the district's six boundary lines
(涪长、涪南、涪武、涪丰、涪垫、涪巴) drawn along arcs of the real district outline with their
markers on it, and their 联检; the 27 towns' boundary records (勘定 2021–2024); naming cases in
flight. The names are synthetic compositions (with their pinyin), the arc of each district
line and the marker numbers are synthetic (演示). Bulk-written; idempotent."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.district import district_code
from minzheng.divisions.directory import get_directory
from minzheng.placenames import actions
from minzheng.placenames.enums import Category, DocumentKind, LineLevel, MarkerCondition, NameStatus
from minzheng.divisions.outline import random_point_inside
from minzheng.placenames.geometry import outline_ring
from minzheng.placenames.models import BoundaryLine, Inspection, Marker, PlaceName

RECORDS = 13_100
ROADS_2016_2020 = 40
CHARS = {
    "江": "jiāng", "东": "dōng", "南": "nán", "北": "běi", "西": "xī", "龙": "lóng", "凤": "fèng", "新": "xīn", "华": "huá",
    "兴": "xīng", "盛": "shèng", "太": "tài", "平": "píng", "安": "ān", "和": "hé", "顺": "shùn", "丰": "fēng", "石": "shí",
    "白": "bái", "鹤": "hè", "青": "qīng", "羊": "yáng", "金": "jīn", "玉": "yù", "明": "míng", "光": "guāng", "溪": "xī",
    "松": "sōng", "林": "lín", "花": "huā", "荔": "lì", "望": "wàng", "崇": "chóng", "义": "yì", "仁": "rén", "鹿": "lù",
    "桂": "guì", "梅": "méi", "泉": "quán", "坪": "píng",
}
SUFFIX = {
    Category.ROAD: (("路", "Lù"), ("大道", "Dàdào")),
    Category.STREET: (("街", "Jiē"), ("巷", "Xiàng")),
    Category.BRIDGE: (("桥", "Qiáo"),),
    Category.RESIDENTIAL: (("小区", "Xiǎoqū"), ("苑", "Yuàn")),
    Category.NATURAL: (("山", "Shān"), ("湾", "Wān"), ("沟", "Gōu")),
    Category.FACILITY: (("广场", "Guǎngchǎng"), ("公园", "Gōngyuán")),
}
WEIGHTS = {Category.ROAD: 3, Category.STREET: 2, Category.BRIDGE: 1, Category.RESIDENTIAL: 3, Category.NATURAL: 4, Category.FACILITY: 1}
# The six county-level lines of the plan (第四章第五节) and the neighbours their names abbreviate.
DISTRICT_LINES = (("涪长线", "涪陵区—长寿区"), ("涪南线", "涪陵区—南川区"), ("涪武线", "涪陵区—武隆区"),
                  ("涪丰线", "涪陵区—丰都县"), ("涪垫线", "涪陵区—垫江县"), ("涪巴线", "涪陵区—巴南区"))  # fmt: skip


def _pinyin(chars: str, suffix_pinyin: str) -> str:
    syllables = "".join(CHARS[c] for c in chars)
    return f"{syllables[0].upper()}{syllables[1:]} {suffix_pinyin}"


def _point(rng: random.Random) -> list[float]:
    return list(random_point_inside(rng))


def seed_demo(*, seed: int = 2021, scale: float = 1.0) -> dict:
    if PlaceName.objects.exists():
        return {"区划地名演示数据": "已存在，未重复生成"}
    actor = Actor.system("区划地名演示数据")
    rng = random.Random(f"{seed}-placenames")
    today = clock.today()
    towns = sorted(t.code for t in get_directory().towns())
    chars = list(CHARS)
    pool = [c for c, w in WEIGHTS.items() for _ in range(w)]
    seen: set[tuple[str, str, str]] = set()
    rows: list[PlaceName] = []
    roads_named = 0
    while len(rows) < RECORDS:
        town = towns[len(rows) % len(towns)]
        category = rng.choice(pool)
        a, b = rng.sample(chars, 2)
        suffix, suffix_py = rng.choice(SUFFIX[category])
        name = f"{a}{b}{suffix}"
        if (town, category, name) in seen:
            continue
        seen.add((town, category, name))
        geometry, approved_on, approval_no = None, None, ""
        if category == Category.ROAD and roads_named < ROADS_2016_2020:
            year = 2016 + roads_named % 5
            roads_named += 1
            approved_on, approval_no = dt.date(year, 6, 18), f"涪府地名〔{year}〕{roads_named}号（演示）"
            start = _point(rng)
            geometry = {"type": "LineString", "coordinates": [start, [round(start[0] + 0.01, 6), round(start[1] + 0.004, 6)]]}
        elif len(rows) % 20 == 0:
            geometry = {"type": "Point", "coordinates": _point(rng)}
        heritage = category == Category.NATURAL and len(rows) % 400 == 0
        rows.append(PlaceName(
            division_code=town, category=category, name=name, pinyin=_pinyin(a + b, suffix_py), geometry=geometry,
            meaning=f"以“{a}{b}”得名（演示）", status=NameStatus.STANDARD, approved_on=approved_on, approval_no=approval_no,
            heritage=heritage, heritage_listed_on=dt.date(2024, 10, 1) if heritage else None,
            heritage_note="沿用百年以上的历史地名（演示）" if heritage else "",
        ))  # fmt: skip
    PlaceName.objects.bulk_create(rows, batch_size=2000)

    # The six district lines along arcs of the real outline; markers on the outline's vertices.
    ring = outline_ring()
    arc = len(ring) // len(DISTRICT_LINES)
    markers = 0
    for i, (name, parties) in enumerate(DISTRICT_LINES):
        coords = ring[i * arc : (i + 1) * arc + 1]
        line = actions.do_register_line(actor, division_code=district_code(), level=LineLevel.DISTRICT, name=name, parties=parties,
                                        agreement=f"{parties}行政区域界线协议书", agreement_on=dt.date(2002, 12, 1),
                                        geometry={"type": "LineString", "coordinates": coords})  # fmt: skip
        for j, point in enumerate(coords[:: max(1, len(coords) // 4)][:4]):
            Marker.objects.create(line=line, division_code=line.division_code, number=f"{name[:2]}{j + 1:02d}（演示）",
                                  lon=Decimal(str(point[0])).quantize(Decimal("0.000001")), lat=Decimal(str(point[1])).quantize(Decimal("0.000001")),
                                  condition=MarkerCondition.DAMAGED if (i, j) == (2, 1) else MarkerCondition.GOOD, installed_on=dt.date(2003, 5, 1))  # fmt: skip
            markers += 1
        Inspection.objects.create(line=line, division_code=line.division_code, year=2023, inspected_on=dt.date(2023, 10, 12 + i),
                                  findings="界桩一处受损" if i == 2 else "", repairs="已修复" if i == 2 else "",
                                  markers_repaired=1 if i == 2 else 0)  # fmt: skip
    for t in towns:
        name = get_directory().name(t)
        BoundaryLine.objects.create(division_code=t, level=LineLevel.TOWN, name=f"{name}行政区域界线", parties=f"{name}与相邻乡镇（街道）",
                                    agreement=f"{name}界线勘定成果（2021—2024年）")  # fmt: skip

    # Naming cases in flight: a new road in 敦仁街道 applied, one reviewed.
    road = actions.do_apply_naming(actor, division_code=towns[0], category=Category.ROAD, name="滨江路", pinyin="Bīnjiāng Lù",
                                   applicant=f"{get_directory().name(towns[0])}办事处", meaning="滨临长江")  # fmt: skip
    actions.do_attach_document(actor, road, kind=DocumentKind.APPLICATION, title="滨江路命名申请书")
    return {"地名": len(rows), "2016—2020年道路命名": roads_named, "界线": len(DISTRICT_LINES) + len(towns), "界桩": markers}
