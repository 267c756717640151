"""docs/audit-json.schema.json describes what export-json and audit show --json write."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from importers.audit_json import _AUDIT_KEYS
from models.audit_json import FORMAT, FORMAT_VERSION
from tests.cli import run, run_json
from tests.exporters import demo_template

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "audit-json.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
    "integer": int, "number": (int, float),
}  # fmt: skip


def _is(value: Any, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, TYPES[kind])


def errors(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """What breaks the schema: the subset of JSON Schema the file uses, checked exactly."""
    if "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    found = []
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, k) for k in kinds):
            return [f"{where}: {value!r} is not {kinds}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            found.append(f"{where}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{where}: does not match {schema['pattern']}")
    if _is(value, "number") and "minimum" in schema and value < schema["minimum"]:
        found.append(f"{where}: below {schema['minimum']}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += errors(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        found += [f"{where}: needs {k!r}" for k in schema.get("required", []) if k not in value]
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                found += errors(item, properties[key], f"{where}.{key}")
            elif extra is False:
                found.append(f"{where}: unknown key {key!r}")
            elif isinstance(extra, dict):
                found += errors(item, extra, f"{where}.{key}")
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_template(tmp_path_factory.mktemp("demo"))


def test_the_schema_names_what_the_reader_reads() -> None:
    assert set(SCHEMA["$defs"]["audit"]["properties"]) == _AUDIT_KEYS
    assert SCHEMA["properties"]["format"]["const"] == FORMAT
    assert "format version 1" in SCHEMA["title"] and FORMAT_VERSION == 1


def test_export_json_and_audit_show_follow_the_schema(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.json"
    assert run(capsys, "export-json", "--db", demo, "--out", out)[0] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["audits"]) == 4 and all(a["tables"] for a in doc["audits"])
    assert errors(doc, SCHEMA) == []
    audit = doc["audits"][0]
    shown = run_json(capsys, "audit", "show", "--db", demo, "--department",
                     audit["department"]["name"], "--cycle", audit["cycle"])  # fmt: skip
    assert errors(shown, SCHEMA) == []
    assert {
        k: v for k, v in shown["audits"][0].items() if k not in ("figures", "data_quality")
    } == audit


def test_the_checker_finds_what_breaks_the_schema() -> None:
    bad = {"format": FORMAT, "format_version": 1, "audits": [{"cycle": "", "extra": 1}]}
    assert errors(bad, SCHEMA) == [
        "$.audits[0]: needs 'department'",
        "$.audits[0]: needs 'questionnaire'",
        "$.audits[0].cycle: too short",
        "$.audits[0]: unknown key 'extra'",
    ]
