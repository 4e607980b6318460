"""Reads of import batches: scoped, and limited to the feeds the actor may import."""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.errors import NotFound
from minzheng.exchange.models import ImportBatch
from minzheng.exchange.spec import ImportSpec, all_specs, get_spec


def specs_for(actor: Actor) -> list[ImportSpec]:
    return [s for s in all_specs() if actor.has(s.perm)]


def list_batches_for(actor: Actor, *, kind: str = "") -> QuerySet[ImportBatch]:
    kinds = [s.kind for s in specs_for(actor)]
    if kind:
        kinds = [k for k in kinds if k == kind]
    return ImportBatch.objects.visible_to(actor).filter(kind__in=kinds).defer("report", "staged_rows_encrypted")


def access_batch_by_id(actor: Actor, batch_id: object) -> ImportBatch:
    """A batch of a feed the actor may import, in the actor's scope — or NotFound."""
    batch = access_by_id(ImportBatch.objects.defer("staged_rows_encrypted"), actor, batch_id)
    spec = get_spec(batch.kind)
    if spec is None or not actor.has(spec.perm):
        raise NotFound()
    return batch
