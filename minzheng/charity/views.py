"""Charity screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render

from minzheng.charity import actions, exports, selectors
from minzheng.charity.access import (
    access_campaign_by_id,
    access_charity_by_id,
    access_duty_by_id,
    access_project_by_id,
)
from minzheng.charity.enums import DonorKind
from minzheng.charity.indicators import donations_of_year
from minzheng.charity.permissions import CharityPerm
from minzheng.charity.rules import PROVISIONAL, TRUST_FILING_DAYS
from minzheng.core import clock
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.core.periods import year_or_none
from minzheng.sociorgs.selectors import list_organisations_for
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response

VIEW = CharityPerm.VIEW_CHARITY


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _year(request) -> int:
    this_year = clock.today().year
    return year_or_none(request.GET.get("year", ""), latest=this_year) or this_year


# The page section that holds each form (the notice at the top names it).
SECTION_OF_FORM = {
    "recognise": "慈善组织", "qualification": "慈善组织", "campaign": "慈善组织",
    "project": "慈善项目与支出", "spending": "慈善项目与支出", "trust": "慈善信托", "donation": "登记接受捐赠",
}


@staff_view(VIEW)
def home(request):
    actor = request.actor
    year = _year(request)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("form") == "duty":
                actions.do_complete_duty(actor, access_duty_by_id(actor, p.get("duty")), done_on=_date(p.get("done_on")) or clock.today())
                messages.success(request, "已登记公开。")
            elif p.get("form") == "recognise":
                code = (p.get("credit_code") or "").strip().upper()
                organisation = list_organisations_for(actor, q=code).first() if code else None
                if organisation is None or organisation.credit_code != code:
                    raise ValidationFailed({"credit_code": "本辖区社会组织名录中没有这个统一社会信用代码"})
                actions.do_recognise_charity(actor, organisation, applied_on=_date(p.get("applied_on")),
                                             recognised_on=_date(p.get("recognised_on")), decision_no=p.get("decision_no", ""))  # fmt: skip
                messages.success(request, f"已认定{organisation.name}为慈善组织。")
            elif p.get("form") in ("qualification", "campaign"):
                charity = access_charity_by_id(actor, p.get("charity")) if p.get("charity") else None
                if charity is None:
                    raise ValidationFailed({"charity": "请选择慈善组织"})
                if p.get("form") == "qualification":
                    actions.do_grant_qualification(actor, charity, granted_on=_date(p.get("granted_on")),
                                                   valid_until=_date(p.get("valid_until")), certificate_no=p.get("certificate_no", ""))  # fmt: skip
                    messages.success(request, "公开募捐资格已登记。")
                else:
                    actions.do_file_campaign(actor, charity, name=p.get("campaign_name", ""), filed_on=_date(p.get("filed_on")),
                                             starts_on=_date(p.get("starts_on")), ends_on=_date(p.get("ends_on")),
                                             emergency=p.get("emergency") == "on", target_yuan=p.get("target", ""))  # fmt: skip
                    messages.success(request, "募捐方案已备案，信息公开事项已列入待公开。")
            elif p.get("form") == "project":
                charity = access_charity_by_id(actor, p.get("charity")) if p.get("charity") else None
                if charity is None:
                    raise ValidationFailed({"charity": "请选择慈善组织"})
                actions.do_add_project(actor, charity, name=p.get("name", ""), starts_on=_date(p.get("starts_on")),
                                       ends_on=_date(p.get("ends_on")), budget_yuan=p.get("budget", ""))  # fmt: skip
                messages.success(request, "慈善项目已登记。")
            elif p.get("form") == "spending":
                project = access_project_by_id(actor, p.get("project")) if p.get("project") else None
                if project is None:
                    raise ValidationFailed({"project": "请选择慈善项目"})
                actions.do_record_spending(actor, project, spent_on=_date(p.get("spent_on")), amount_yuan=p.get("spending_amount", ""),
                                           purpose=p.get("purpose", ""))  # fmt: skip
                messages.success(request, "项目支出已登记。")
            elif p.get("form") == "trust":
                actions.do_file_trust(actor, name=p.get("trust_name", ""), trustee=p.get("trustee", ""), settlor=p.get("settlor", ""),
                                      signed_on=_date(p.get("signed_on")), filed_on=_date(p.get("filed_on")),
                                      property_yuan=p.get("property", ""), purpose=p.get("trust_purpose", ""))  # fmt: skip
                messages.success(request, "慈善信托已备案。")
            else:
                charity = access_charity_by_id(actor, p.get("charity")) if p.get("charity") else None
                if charity is None:
                    raise ValidationFailed({"charity": "请选择慈善组织"})
                campaign = access_campaign_by_id(actor, p.get("campaign")) if p.get("campaign") else None
                actions.do_record_donation(actor, charity, received_on=_date(p.get("received_on")), donor_kind=p.get("donor_kind", ""),
                                           donor_name=p.get("donor_name", ""), amount_yuan=p.get("amount", ""), in_kind_yuan=p.get("in_kind_value", ""),
                                           in_kind_description=p.get("in_kind_description", ""), receipt_no=p.get("receipt_no", ""),
                                           receipt_declined=p.get("receipt_declined") == "on", campaign=campaign)  # fmt: skip
                messages.success(request, "捐赠已登记。")
            return redirect(f"{request.path}?year={year}")
        except ValidationFailed as e:
            errors, status = e.errors, 400
            # the reasons sit above the form that was sent, further down the page: say so at the top
            where = SECTION_OF_FORM.get(p.get("form", "donation"), "登记接受捐赠")
            messages.error(request, f"未保存：有{len(errors)}处需要修改，原因列在下方“{where}”中。")
        except (NotFound, PermissionDenied):
            raise
        except DomainError as e:
            messages.error(request, e.message)
            status = 400
    months = selectors.donations_by_month(actor, year)
    context = {
        "title": "慈善事业", "year": year, "months": months, "year_total": sum(r["total_fen"] for r in months),
        "year_count": sum(r["count"] for r in months), "year_cash": sum(r["cash_fen"] for r in months),
        "year_in_kind": sum(r["in_kind_fen"] for r in months),
        "charities": selectors.list_charities_for(actor), "overdue": selectors.overdue_duties_for(actor)[:50],
        "open_duties": selectors.open_duties_for(actor)[:50], "donations": selectors.list_donations_for(actor, year=year)[:50],
        "trusts": selectors.list_trusts_for(actor)[:50], "projects": selectors.list_projects_for(actor)[:50], "donor_kinds": DonorKind.choices, "errors": errors, "post": request.POST, "error_form": request.POST.get("form", "donation") if errors else "",
        "can_manage": actor.has(CharityPerm.MANAGE_CHARITY), "provisional": PROVISIONAL.values(), "trust_filing_days": TRUST_FILING_DAYS,
        "indicator": donations_of_year(year) if actor.level == "district" else None,
    }  # fmt: skip
    return render(request, "charity/home.html", context, status=status)


@staff_view(VIEW)
def months_export(request):
    year = _year(request)
    return xlsx_response(exports.months_xlsx(request.actor, year), f"按月捐赠-{year}.xlsx")


@staff_view(VIEW)
def ledger_export(request):
    year = _year(request)
    return xlsx_response(exports.ledger_xlsx(request.actor, year), f"捐赠台账-{year}.xlsx")
