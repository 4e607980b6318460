"""Single-row reads of plan-monitoring rows: scoped through access_by_id, one NotFound for
"missing" and "not yours". The views' own permission decorators say who may call them."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.planning.models import GeneratedReport, KeyProject, ProgressPhoto, ValueSubmission


def access_submission_by_id(actor: Actor, submission_id: object) -> ValueSubmission:
    return access_by_id(ValueSubmission.objects.all(), actor, submission_id)


def access_project_by_id(actor: Actor, project_id: object) -> KeyProject:
    return access_by_id(KeyProject.objects.select_related("plan"), actor, project_id)


def access_photo_by_id(actor: Actor, photo_id: object) -> ProgressPhoto:
    return access_by_id(ProgressPhoto.objects.all(), actor, photo_id)


def access_report_by_id(actor: Actor, report_id: object) -> GeneratedReport:
    return access_by_id(GeneratedReport.objects.select_related("plan"), actor, report_id)
