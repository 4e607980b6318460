"""Name data for the synthetic district (synthetic only: no real person's name is listed).

Surname weights approximate the frequency order of south-west China (Chongqing/Sichuan,
where 陈 李 刘 张 王 杨 lead and 冉 谭 向 况 牟 are far commoner than nationally), with the
polyphonic surnames that pinyin search must read correctly (曾 单 翟 解 仇 朴 查 覃 区) at small
rates. Given-name characters are grouped by birth era and sex, because names follow fashion:
a woman born in 1945 is 秀英 or 淑兰, one born in 2015 is 梓涵 or 欣怡. Within a pool earlier
characters are drawn more often (Zipf-like), which makes common names repeat as they do.
"""

from __future__ import annotations

# (surname, relative weight). Weights need not sum to anything; the generator normalises.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("陈", 7.0), ("李", 6.6), ("刘", 5.6), ("张", 5.0), ("王", 4.6), ("杨", 4.1), ("黄", 3.0),
    ("周", 3.0), ("何", 2.6), ("罗", 2.4), ("吴", 2.2), ("谭", 1.8), ("唐", 1.8), ("冉", 1.5),
    ("彭", 1.5), ("邓", 1.4), ("向", 1.3), ("徐", 1.3), ("胡", 1.3), ("赵", 1.2), ("冯", 1.2),
    ("蒋", 1.2), ("曾", 1.0), ("熊", 1.0), ("袁", 1.0), ("余", 1.0), ("秦", 0.9), ("谢", 0.9),
    ("肖", 0.9), ("任", 0.8), ("夏", 0.8), ("朱", 0.8), ("田", 0.8), ("廖", 0.7), ("付", 0.7),
    ("文", 0.6), ("汪", 0.6), ("程", 0.6), ("孙", 0.6), ("马", 0.6), ("郭", 0.6), ("高", 0.6),
    ("梁", 0.6), ("况", 0.5), ("林", 0.5), ("宋", 0.5), ("郑", 0.5), ("邹", 0.5), ("卢", 0.5),
    ("龚", 0.5), ("杜", 0.5), ("钟", 0.5), ("贺", 0.5), ("石", 0.5), ("雷", 0.5), ("牟", 0.5),
    ("韩", 0.4), ("苏", 0.4), ("姚", 0.4), ("蔡", 0.4), ("魏", 0.4), ("叶", 0.4), ("蒲", 0.4),
    ("范", 0.4), ("邱", 0.4), ("江", 0.4), ("万", 0.4), ("冷", 0.3), ("傅", 0.3), ("丁", 0.3),
    ("严", 0.3), ("吕", 0.3), ("潘", 0.3), ("饶", 0.3), ("姜", 0.3), ("方", 0.3), ("戴", 0.3),
    ("汤", 0.3), ("敖", 0.3), ("涂", 0.3), ("易", 0.3), ("陶", 0.3), ("毛", 0.3), ("黎", 0.3),
    ("陆", 0.2), ("金", 0.2), ("崔", 0.2), ("幸", 0.2), ("甘", 0.2), ("邵", 0.2), ("颜", 0.2),
    ("康", 0.2), ("简", 0.2), ("母", 0.2), ("喻", 0.2), ("舒", 0.2), ("侯", 0.2), ("白", 0.2),
    ("孔", 0.1), ("薛", 0.1), ("欧", 0.1), ("邬", 0.1),
    # Polyphonic surnames, read differently as surnames (see minzheng.core.pinyin).
    ("覃", 0.15), ("单", 0.05), ("翟", 0.05), ("解", 0.04), ("仇", 0.04), ("查", 0.03),
    ("朴", 0.01), ("区", 0.01),
)

# Birth-era boundaries (birth year < bound) for the given-name pools below.
ERA_BOUNDS: tuple[int, ...] = (1960, 1980, 2000)

# GIVEN_CHARS[era][sex]: characters in descending popularity. era 0: born before 1960,
# 1: 1960–1979, 2: 1980–1999, 3: 2000 and later. sex "M" / "F".
GIVEN_CHARS: tuple[dict[str, str], ...] = (
    {
        "M": "德明国华建军志福贵发荣才寿林成伟宏兵安文忠诚平清春光金山海生贤富顺树松柏祥正全民兴"
        "良云章学开玉永长世洪元仁义礼和昌胜奎武",
        "F": "秀英兰芳玉珍凤琼翠群碧淑素琴桂莲菊梅芬慧霞丽萍蓉燕红华敏秋云惠会春娥美淑容香"
        "珠碧银翠仙荣",
    },
    {
        "M": "勇伟军刚斌涛波强平杰辉峰建林亮鹏飞明超磊东俊华宇志兵龙阳健成洪海江红卫国军"
        "文春小云川",
        "F": "丽娟敏燕艳霞芳静玲红梅琴倩雪莉媛英春琼萍华蓉小利容秀淑群素",
    },
    {
        "M": "伟杰涛磊鹏浩宇俊超亮强斌军峰勇波辉刚鑫健飞龙明阳林旭东成川毅凯翔",
        "F": "丽娟静敏婷燕艳霞芳玲倩雪莉媛颖晓洁琳蓉娜丹琴欢佳月梅露薇",
    },
    {
        "M": "浩宇轩子涵梓睿博文然俊豪杰晨航奕鑫锦泽熙霖程铭诚昊凯瑞翔宸钧一辰宏嘉逸天",
        "F": "欣怡梓涵雨萱诗琪思佳悦妍馨可彤紫琳钰婧瑶雅嘉依语晴灵菲蕊若子欢沫梦",
    },
)

# Share of two-character given names by era (single-character names peaked in the 1980s–90s).
TWO_CHAR_SHARE: tuple[float, ...] = (0.82, 0.72, 0.62, 0.86)

# ID-number address codes of people born outside Fuling: (code, weight). Neighbouring
# Chongqing districts and counties first, then Sichuan, Guizhou, Hubei and further afield.
OUTSIDE_ADDRESS_CODES: tuple[tuple[str, float], ...] = (
    ("500101", 0.16),  # 万州区
    ("500103", 0.12),  # 渝中区
    ("500105", 0.06),  # 江北区
    ("500106", 0.05),  # 沙坪坝区
    ("500115", 0.10),  # 长寿区
    ("500114", 0.05),  # 黔江区
    ("500230", 0.10),  # 丰都县
    ("500233", 0.07),  # 忠县
    ("500243", 0.05),  # 彭水县
    ("510107", 0.04),  # 成都市武侯区
    ("510722", 0.03),  # 绵阳市三台县
    ("511602", 0.03),  # 广安市广安区
    ("520302", 0.03),  # 遵义市红花岗区
    ("420502", 0.03),  # 宜昌市西陵区
    ("430102", 0.02),  # 长沙市芙蓉区
    ("440106", 0.03),  # 广州市天河区
    ("330102", 0.03),  # 杭州市上城区
)

# Mobile prefixes of the three carriers (first three digits of an 11-digit number).
MOBILE_PREFIXES: tuple[str, ...] = (
    "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183",
    "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181",
    "189", "177", "199", "166",
)
