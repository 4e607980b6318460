"""Every line's workflow, registered once in its AppConfig.ready():

    from minzheng.cases.registry import register_workflow
    register_workflow(APPLICATION_WORKFLOW)

The open-task feed (cases/tasks.py) and the history labels read this registry; nothing else
has to know which lines exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minzheng.cases.workflow import Workflow

_WORKFLOWS: dict[str, Workflow] = {}


def register_workflow(workflow: Workflow) -> Workflow:
    existing = _WORKFLOWS.get(workflow.name)
    if existing is not None and existing is not workflow:
        raise ValueError(f"workflow {workflow.name!r} is registered twice")
    workflow.validate_model()
    _WORKFLOWS[workflow.name] = workflow
    return workflow


def unregister_workflow(name: str) -> None:
    """For tests that register a throwaway workflow."""
    _WORKFLOWS.pop(name, None)


def find_workflow(name: str) -> Workflow | None:
    return _WORKFLOWS.get(name)


def registered_workflows() -> tuple[Workflow, ...]:
    return tuple(_WORKFLOWS.values())
