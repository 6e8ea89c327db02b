"""The planner's inputs as a file anyone can re-check (issue 20: "a plan anyone can re-check").

Pure: plain data in, plain data out, no ORM and no settings, so ``plan_rotation --verify`` and the tests use it
without a database. The file holds exactly what :func:`planner.plan_year` was given (workplaces, meetings,
params), the plan the planner made from it, the hand changes with their reasons and the published plan; never a
person's name or e-mail address.

Serialisation is generic over the planner's frozen dataclasses (``dataclasses.fields`` and their type hints), so a
field added to :class:`planner.WorkplaceIn` or :class:`planner.PlanParams` travels in the file without a change
here. Dates and times are ISO strings; sets become sorted lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Iterable, Sequence

from core.fingerprint import canonical_bytes, sha256_hex

from .planner import PLANNER_VERSION, MeetingIn, Plan, PlanParams, WorkplaceIn

FORMAT = "dialogportalen.rotation-inputs/1"


class InputsError(ValueError):
    """The file is not a readable inputs file (wrong format, a field of the wrong type, an unknown field)."""


# --- Encoding ------------------------------------------------------------------------------------------------------


def _encode(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (dt.date, dt.time)):  # dt.datetime is a dt.date
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted((_encode(v) for v in value), key=lambda v: canonical_bytes(v))
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise InputsError(f"cannot store a {type(value).__name__} in the inputs file")


def _decode(hint, value, where: str):
    """``value`` (from JSON) as the type ``hint`` names; raises :class:`InputsError` naming ``where``."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is typing.Any:
        return value
    if origin in (typing.Union, types.UnionType):
        for option in args:
            try:
                return _decode(option, value, where)
            except (InputsError, TypeError, ValueError):
                continue
        raise InputsError(f"{where}: {value!r} does not fit {hint}")
    if hint is type(None):
        if value is None:
            return None
        raise InputsError(f"{where}: expected null")
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decode_dataclass(hint, value, where)
    if hint in (dt.datetime, dt.date, dt.time):
        try:
            return hint.fromisoformat(_str(value, where))
        except ValueError:
            raise InputsError(f"{where}: {value!r} is not an ISO date or time") from None
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise InputsError(f"{where}: expected true or false")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise InputsError(f"{where}: expected a whole number")
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise InputsError(f"{where}: expected a number")
    if hint is str:
        return _str(value, where)
    if origin in (frozenset, set):
        return frozenset(_decode(args[0], v, f"{where}[{n}]") for n, v in enumerate(_list(value, where)))
    if origin is tuple:
        items = _list(value, where)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v, f"{where}[{n}]") for n, v in enumerate(items))
        if len(items) != len(args):
            raise InputsError(f"{where}: expected {len(args)} items")
        return tuple(_decode(a, v, f"{where}[{n}]") for n, (a, v) in enumerate(zip(args, items, strict=True)))
    if origin in (list, Sequence, typing.Sequence, Iterable):
        # The planner's dataclasses are frozen: sequences come back as tuples.
        return tuple(
            _decode(args[0] if args else typing.Any, v, f"{where}[{n}]") for n, v in enumerate(_list(value, where))
        )
    if origin is dict:
        if not isinstance(value, dict):
            raise InputsError(f"{where}: expected an object")
        return {_decode(args[0], k, where): _decode(args[1], v, f"{where}.{k}") for k, v in value.items()}
    raise InputsError(f"{where}: cannot read the type {hint}")


def _str(value, where: str) -> str:
    if isinstance(value, str):
        return value
    raise InputsError(f"{where}: expected text")


def _list(value, where: str) -> list:
    if isinstance(value, list):
        return value
    raise InputsError(f"{where}: expected a list")


def _decode_dataclass(cls, value, where: str):
    if not isinstance(value, dict):
        raise InputsError(f"{where}: expected an object")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(value) - names)
    if unknown:
        # A file from a newer planner: refuse rather than re-plan without what it knew.
        raise InputsError(f"{where}: unknown field(s) {', '.join(unknown)}; a newer planner wrote this file")
    return cls(**{name: _decode(hints[name], item, f"{where}.{name}") for name, item in value.items()})


# --- The file ------------------------------------------------------------------------------------------------------


def plan_dump(plan: Plan) -> list[dict]:
    """The plan's meetings as the file records them: what the re-check compares (date, start, host, guests and
    any further field the planner adds to a meeting, such as a venue), without the explanations."""
    rows = []
    for meeting in plan.meetings:
        row = _encode(meeting)
        row.pop("why", None)
        rows.append(row)
    return rows


def fingerprint(data: dict) -> str:
    """SHA-256 of the canonical JSON of everything in the file except the fingerprint itself."""
    return sha256_hex(canonical_bytes({k: v for k, v in data.items() if k != "fingerprint"}))


def inputs_dump(
    workplaces: Iterable[WorkplaceIn],
    meetings: Iterable[MeetingIn],
    params: PlanParams,
    *,
    committee: str,
    year: int,
    planned: Plan | list[dict],
    hand_changes: Sequence[dict] = (),
    published: list[dict] | None = None,
) -> dict:
    """The inputs file: what ``plan_year`` was given, in the order it was given, and what came out of it.

    ``planned`` is the planner's own plan (before any hand change); ``published`` the plan as published (after
    the hand changes, which are listed with their reasons). The fingerprint covers all of it."""
    planner_rows = plan_dump(planned) if isinstance(planned, Plan) else [dict(row) for row in planned]
    data = {
        "format": FORMAT,
        "planner_version": PLANNER_VERSION,
        "committee": committee,
        "year": year,
        "inputs": {
            "workplaces": [_encode(w) for w in workplaces],
            "meetings": [_encode(m) for m in meetings],
            "params": _encode(params),
        },
        "planned": planner_rows,
        "hand_changes": [_encode(dict(change)) for change in hand_changes],
        "published": planner_rows if published is None else [dict(row) for row in published],
    }
    data["fingerprint"] = fingerprint(data)
    return data


def inputs_load(data) -> tuple[list[WorkplaceIn], list[MeetingIn], PlanParams]:
    """The arguments for ``plan_year`` from an inputs file (parsed JSON). Does not check the fingerprint:
    :func:`fingerprint_matches` does."""
    if not isinstance(data, dict):
        raise InputsError("the file is not a JSON object")
    if data.get("format") != FORMAT:
        raise InputsError(f"unknown format {data.get('format')!r}; expected {FORMAT!r}")
    inputs = data.get("inputs")
    if not isinstance(inputs, dict):
        raise InputsError("the file has no inputs")
    workplaces = [
        _decode_dataclass(WorkplaceIn, w, f"inputs.workplaces[{n}]")
        for n, w in enumerate(_list(inputs.get("workplaces"), "inputs.workplaces"))
    ]
    meetings = [
        _decode_dataclass(MeetingIn, m, f"inputs.meetings[{n}]")
        for n, m in enumerate(_list(inputs.get("meetings"), "inputs.meetings"))
    ]
    params = _decode_dataclass(PlanParams, inputs.get("params"), "inputs.params")
    return workplaces, meetings, params


def fingerprint_matches(data: dict) -> bool:
    return isinstance(data, dict) and data.get("fingerprint") == fingerprint(data)


def dumps(data: dict) -> str:
    """The file as people download it: readable (indented), and the same bytes for the same record."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


# --- The re-check --------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Difference:
    date: str
    field: str
    recorded: object
    replanned: object


def plan_differences(recorded: list[dict], replanned: list[dict]) -> list[Difference]:
    """Every place where the re-planned meetings differ from the recorded ones, field by field, date by date."""
    differences = []
    by_date = {row.get("date"): row for row in replanned}
    seen = set()
    for row in recorded:
        day = row.get("date")
        seen.add(day)
        other = by_date.get(day)
        if other is None:
            differences.append(Difference(day, "date", day, None))
            continue
        for key in sorted(set(row) | set(other)):
            if row.get(key) != other.get(key):
                differences.append(Difference(day, key, row.get(key), other.get(key)))
    for row in replanned:
        if row.get("date") not in seen:
            differences.append(Difference(row.get("date"), "date", None, row.get("date")))
    return differences
