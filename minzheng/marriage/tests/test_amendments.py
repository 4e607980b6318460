"""补领, 更正, 撤销 (冒名顶替) and a court's judgment: each a case with its documents."""

import datetime as dt

import pytest

from minzheng.cases.workflow import MissingDocuments
from minzheng.core.errors import DomainError, NotFound, PermissionDenied
from minzheng.marriage import actions
from minzheng.marriage.models import Amendment, Marriage

pytestmark = pytest.mark.django_db


def _open(registrar, married, kind, **kw):
    return actions.do_open_amendment(registrar, actions.AmendmentInput(kind=kind, marriage_id=married.pk, applicant=kw.pop("applicant", "王建国"), **kw))


def test_reissue_gives_a_new_certificate_number(registrar, married):
    a = _open(registrar, married, "reissue", certificate_kind="marriage", documents=("id_card", "archive"))
    a = actions.do_decide_amendment(registrar, a, expected_version=a.version)
    assert (a.status, a.new_certificate_number) == ("done", f"BJ500102-2026-{a.pk:06d}")
    a = actions.do_close_amendment_step(registrar, a, expected_version=a.version, step="serve")
    a = actions.do_close_amendment_step(registrar, a, expected_version=a.version, step="archive")
    assert (a.served_on, a.archived_on) == (dt.date(2026, 12, 4), dt.date(2026, 12, 4))


def test_reissue_without_the_archive_check_is_refused(registrar, married):
    a = _open(registrar, married, "reissue", certificate_kind="marriage", documents=("id_card",))
    with pytest.raises(DomainError) as e:
        actions.do_decide_amendment(registrar, a, expected_version=a.version)
    assert "婚姻登记档案核查记录" in e.value.message
    assert Amendment.objects.get(pk=a.pk).status == "applied"


def test_correction_changes_the_registration(registrar, married):
    a = _open(registrar, married, "correction", correction_field="woman_name", new_value="李秀瑛", documents=("id_card", "archive", "error_proof"))
    assert (a.old_value, a.new_value) == ("李秀英", "李秀瑛")
    actions.do_decide_amendment(registrar, a, expected_version=a.version)
    assert Marriage.objects.get(pk=married.pk).woman_name == "李秀瑛"


def test_cancellation_needs_notice_and_the_recommendation(registrar, married):
    a = _open(registrar, married, "cancellation", basis="court", authority="涪陵区人民法院", document_number="(2026)渝0102司建1号")
    a = actions.do_notify_amendment(registrar, a, expected_version=a.version)
    with pytest.raises(MissingDocuments):
        actions.do_decide_amendment(registrar, a, expected_version=a.version)
    actions.do_add_amendment_document(registrar, a, kind="court_advice", reference="(2026)渝0102司建1号")
    a = actions.do_decide_amendment(registrar, Amendment.objects.get(pk=a.pk), expected_version=a.version)
    m = Marriage.objects.get(pk=married.pk)
    assert (a.status, m.ended_on, m.end_kind) == ("done", dt.date(2026, 12, 4), "cancelled")


def test_cancellation_without_notice_is_refused(registrar, married):
    a = _open(registrar, married, "cancellation", basis="procuratorate", authority="涪陵区人民检察院", document_number="涪检建〔2026〕3号",
              documents=("procuratorate_advice",))
    with pytest.raises(DomainError) as e:
        actions.do_decide_amendment(registrar, a, expected_version=a.version)
    assert e.value.message == "撤销婚姻登记须先告知当事人"
    assert Marriage.objects.get(pk=married.pk).ended_on is None


def test_judgment_is_recorded_and_ends_the_marriage(registrar, married):
    a = _open(registrar, married, "judgment", applicant="涪陵区人民法院", judgment_kind="annulled", effective_on=dt.date(2026, 11, 20),
              authority="涪陵区人民法院", document_number="(2026)渝0102民初88号", documents=("judgment",))
    actions.do_decide_amendment(registrar, a, expected_version=a.version)
    m = Marriage.objects.get(pk=married.pk)
    assert (m.ended_on, m.end_kind, m.end_note) == (dt.date(2026, 11, 20), "annulled", "涪陵区人民法院 (2026)渝0102民初88号")


@pytest.mark.parametrize("who", ["town", "village", "staff", "leader", "rescue"])
def test_other_roles_cannot_open_or_decide(registrar, married, others, who):
    with pytest.raises(PermissionDenied):
        actions.do_open_amendment(others[who], actions.AmendmentInput(kind="reissue", marriage_id=married.pk, applicant="x", certificate_kind="marriage"))
    a = _open(registrar, married, "reissue", certificate_kind="marriage", documents=("id_card", "archive"))
    with pytest.raises((PermissionDenied, NotFound)):
        actions.do_decide_amendment(others[who], a, expected_version=a.version)
    assert Amendment.objects.get(pk=a.pk).status == "applied"
