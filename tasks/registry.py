"""The stages of the pipeline, in order: one line per stage. The flow (flows/pipeline.py), the CLI's
--stage and --from, the manifest (inputs, outputs, code version) and the batched (Dask) path all
read this list."""

from __future__ import annotations

from tasks import clean, dedup, extract, ingest
from tasks.context import Stage

STAGES: tuple[Stage, ...] = (
    ingest.STAGE,
    clean.STAGE,
    dedup.STAGE,
    extract.STAGE,
)
NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)


def get(name: str) -> Stage:
    """The stage called name (ValueError naming the choices when there is none)."""
    for s in STAGES:
        if s.name == name:
            return s
    raise ValueError(f"unknown stage {name!r}: choose one of {', '.join(NAMES)}")


def resolve(stage: str | None = None, from_stage: str | None = None) -> list[str]:
    """Which stages to run: one (--stage), from one on (--from), or all."""
    if stage and from_stage:
        raise ValueError("use either --stage or --from, not both")
    for s in (stage, from_stage):
        if s:
            get(s)
    if stage:
        return [stage]
    if from_stage:
        return list(NAMES[NAMES.index(from_stage):])
    return list(NAMES)
