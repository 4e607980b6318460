"""Reads of import batches: scoped, and limited to the specs the actor may import."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.errors import NotFound, PermissionDenied
from minzheng.exchange.models import ImportBatch
from minzheng.exchange.spec import ImportSpec, all_specs, get_spec


def may_import(actor: Actor, spec: ImportSpec) -> bool:
    if not actor.has(spec.perm):
        return False
    if spec.authorize is not None:
        try:
            spec.authorize(actor)
        except PermissionDenied:
            return False
    return True


def specs_for(actor: Actor, *, group: str | None = None) -> list[ImportSpec]:
    """The specs the actor may import: the listed department feeds (group None), or every spec
    of one app (group = its label, listed or not)."""
    specs = [s for s in all_specs() if may_import(actor, s)]
    if group is None:
        return [s for s in specs if s.listed]
    return [s for s in specs if s.group == group]


def list_batches_for(actor: Actor, *, kind: str = "", group: str | None = None) -> QuerySet[ImportBatch]:
    specs = [s for s in all_specs() if may_import(actor, s) and (group is None or s.group == group)]
    if kind:
        specs = [s for s in specs if s.kind == kind]
    shared = [s.kind for s in specs if not s.owner_only]
    own = [s.kind for s in specs if s.owner_only]
    return (
        ImportBatch.objects.visible_to(actor)
        .filter(Q(kind__in=shared) | Q(kind__in=own, created_by_id=actor.user_id))
        .defer("report", "staged_rows_encrypted")
    )


def access_batch_by_id(actor: Actor, batch_id: object) -> ImportBatch:
    """A batch of a spec the actor may import, in the actor's scope (and the actor's own for
    owner-only specs) — or NotFound."""
    batch = access_by_id(ImportBatch.objects.defer("staged_rows_encrypted"), actor, batch_id)
    spec = get_spec(batch.kind)
    if spec is None or not may_import(actor, spec):
        raise NotFound()
    if spec.owner_only and batch.created_by_id != actor.user_id:
        raise NotFound()
    return batch
