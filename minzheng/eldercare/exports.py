"""Exports of the elderly-care line (xlsx through core.xlsx.write_table: masked, text codes)."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.core.xlsx import write_table
from minzheng.divisions.directory import get_directory
from minzheng.eldercare.models import ProviderSettlement
from minzheng.eldercare.selectors import list_orders_for

SETTLEMENT_HEADERS = (
    "工单编号", "服务对象", "身份证号码（脱敏）", "村（社区）", "服务项目", "数量", "补贴类别", "签到时间", "签退时间",
    "服务金额（元）", "政府补贴（元）", "个人自付（元）", "评价",
)  # fmt: skip


def settlement_xlsx(actor: Actor, settlement: ProviderSettlement) -> tuple[bytes, int]:
    """One provider's month: every settled order, then a total row. Amounts in yuan (2 dp,
    numeric cells through core.xlsx.write_money)."""
    directory = get_directory()
    orders = list_orders_for(actor).filter(settlement=settlement).order_by("id")

    def rows():
        for o in orders:
            yield (
                str(o.pk), o.person.name, o.person.id_number_masked, directory.path_name(o.division_code),
                o.get_service_kind_display(), o.quantity, o.get_category_display(),
                o.check_in_at.strftime("%Y-%m-%d %H:%M") if o.check_in_at else "",
                o.check_out_at.strftime("%Y-%m-%d %H:%M") if o.check_out_at else "",
                o.price_fen, o.subsidy_fen, o.self_pay_fen, o.rating or "",
            )  # fmt: skip
        yield (
            "合计", f"{settlement.order_count}单", "", "", "", "", "", "", "",
            settlement.total_fen, settlement.subsidy_fen, settlement.self_pay_fen, "",
        )  # fmt: skip

    content, count = write_table(
        SETTLEMENT_HEADERS, rows(), sheet_name=f"{settlement.month}结算", text_columns=(0, 2), money_columns=(9, 10, 11)
    )
    return content, count - 1
