"""How much of ``SandboxModel`` the rest of the package reaches into.

Usage: python scripts/hub_surface.py [--verbose] [--no-trace]

1. *Members*: the attributes and methods of ``SandboxModel``, read from the class in
   ``src/sandbox/model/model.py`` (its ``def``s, properties included, and every
   ``self.<name>`` it assigns).
2. *Static uses*: in every other file of ``src/sandbox``, the attribute accesses
   ``<model>.<member>`` where ``<model>`` is a name ``model`` or ``m``, or ``<x>.model``
   (``self.model`` of an agent): the members read or called from outside ``model.py``,
   the files reading them, and the writes (assignments to ``<model>.<member>``).
3. *Traced uses* (unless ``--no-trace``): the same, observed while a few small scenarios
   run through ``sandbox.experiments.runner.run`` (every regime, resource mechanism and
   data regime, with and without the merger, and branched from a stored history):
   every read and write of a member whose caller's code lies in ``src/sandbox`` outside
   ``model.py``, whatever the name the model goes by there (a narrow interface that the
   model itself implements is still the model).

4. *Context uses*: what each file of ``src/sandbox/model`` reads of the ``Context`` the
   model hands its parts (``sandbox.model.context``): attribute accesses on names ``ctx``,
   ``c`` or ``context`` and on ``<x>.context``, per file (``--verbose``), and how many
   distinct attributes.

The counts are printed as one JSON object; ``--verbose`` adds the members and files.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "sandbox"
MODEL_FILE = PACKAGE / "model" / "model.py"
MODEL_NAMES = ("model", "m")


def members() -> set[str]:
    """The attributes and methods ``SandboxModel`` defines."""
    tree = ast.parse(MODEL_FILE.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "SandboxModel")
    names: set[str] = set()
    for node in cls.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    for node in ast.walk(cls):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for t in ast.walk(target):
                if (
                    isinstance(t, ast.Attribute)
                    and isinstance(t.value, ast.Name)
                    and t.value.id == "self"
                ):
                    names.add(t.attr)
    return {n for n in names if not n.startswith("__")}


def _is_model(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in MODEL_NAMES
    return isinstance(node, ast.Attribute) and node.attr == "model"


def static_uses(names: set[str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per member, the files reading it and the files writing it (outside model.py)."""
    reads: dict[str, set[str]] = defaultdict(set)
    writes: dict[str, set[str]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == MODEL_FILE:
            continue
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in names and _is_model(node.value):
                (writes if isinstance(node.ctx, ast.Store) else reads)[node.attr].add(rel)
    return reads, writes


def traced_uses(names: set[str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per member, the files whose code read or wrote it while small scenarios ran."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import scenario  # the tests' composition of configs
    from sandbox.experiments.checkpoint import CheckpointStore
    from sandbox.experiments.runner import run
    from sandbox.model.model import SandboxModel

    reads: dict[str, set[str]] = defaultdict(set)
    writes: dict[str, set[str]] = defaultdict(set)
    package, model_file = str(PACKAGE), str(MODEL_FILE)
    get = object.__getattribute__
    put = SandboxModel.__setattr__
    own_setattr = "__setattr__" in vars(SandboxModel)

    def caller() -> str | None:
        filename = sys._getframe(2).f_code.co_filename
        if filename.startswith(package) and filename != model_file:
            return str(Path(filename).relative_to(ROOT))
        return None

    def getattribute(self, name):
        if name in names and (where := caller()) is not None:
            reads[name].add(where)
        return get(self, name)

    def setattr_(self, name, value):
        if name in names and (where := caller()) is not None:
            writes[name].add(where)
        put(self, name, value)

    toy = ("region=toy", "citizens.n=500", "horizon.end=2023-12")
    scenarios = [
        (*toy, "policy.start=2019-01", *levers)
        for levers in (
            ("policy=status_quo", "resources=central_budget", "data=fragmented"),
            ("policy=controlled_pilot", "resources=ppp", "data=interoperable"),
            ("policy=phased", "resources=mixed", "data=national_platform"),
            ("policy=phased_sandbox", "resources=competitive_fund", "data=interoperable"),
            ("policy=experimental", "resources=mixed", "data=national_platform"),
            ("policy=facilitation", "resources=competitive_fund", "data=fragmented"),
            ("policy=experimental", "policy.experimental.coordination=0"),
            ("resources.local_budget=1", "policy=phased", "data=interoperable"),
        )
    ]
    scenarios.append(("citizens.n=500", "horizon.end=2026-06", "policy=controlled_pilot"))
    SandboxModel.__getattribute__ = getattribute
    SandboxModel.__setattr__ = setattr_
    try:
        for overrides in scenarios:
            run(scenario(*overrides))
        with tempfile.TemporaryDirectory() as folder:  # a history stored, then branched from
            store = CheckpointStore(folder)
            for policy in ("status_quo", "controlled_pilot"):
                run(scenario(*toy, "policy.start=2020-01", f"policy={policy}"), store)
    finally:
        del SandboxModel.__getattribute__
        if own_setattr:
            SandboxModel.__setattr__ = put
        else:
            del SandboxModel.__setattr__
    return reads, writes


CONTEXT_NAMES = ("ctx", "c", "context")


def _is_context(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in CONTEXT_NAMES
    return isinstance(node, ast.Attribute) and node.attr == "context"


def context_uses() -> dict[str, list[str]] | None:
    """Per file, the context attributes it reads (None before the context existed)."""
    path = PACKAGE / "model" / "context.py"
    if not path.exists():
        return None
    tree = ast.parse(path.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Context")
    names = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    names |= {n.target.id for n in cls.body if isinstance(n, ast.AnnAssign)}
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and isinstance(node.ctx, ast.Store)
        ):
            names.add(node.attr)
    names.discard("__init__")
    uses: dict[str, set[str]] = defaultdict(set)
    for file in sorted((PACKAGE / "model").rglob("*.py")):
        rel = str(file.relative_to(ROOT))
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in names and _is_context(node.value):
                uses[rel].add(node.attr)
    return {k: sorted(v) for k, v in uses.items()}


def _summary(reads: dict[str, set[str]], writes: dict[str, set[str]], verbose: bool) -> dict:
    files = set().union(*reads.values(), *writes.values()) if reads or writes else set()
    used = set(reads) | set(writes)
    out = {
        "used_from_outside": len(used),
        "files": len(files),
        "written_from_outside": sum(len(v) for v in writes.values()),
    }
    if verbose:
        out["used"] = {k: sorted(reads.get(k, set()) | writes.get(k, set())) for k in sorted(used)}
        out["writes"] = {k: sorted(v) for k, v in sorted(writes.items())}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--no-trace", action="store_true")
    args = parser.parse_args()
    names = members()
    report = {"members": len(names), "static": _summary(*static_uses(names), args.verbose)}
    if not args.no_trace:
        report["traced"] = _summary(*traced_uses(names), args.verbose)
    context = context_uses()
    if context is not None:
        report["context"] = {
            "attributes_used": len(set().union(*context.values())),
            "files": len(context),
        }
        if args.verbose:
            report["context"]["used"] = context
    if args.verbose:
        report["member_names"] = sorted(names)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
