"""The layers are contracts, checked on every run: a cycle or an upward import fails the build."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_are_kept():
    result = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_of_ours_imports_itself_in_a_circle():
    import grimp

    graph = grimp.build_graph("competition")
    circles = [
        (a, b) for a, b in itertools.combinations(sorted(graph.modules), 2)
        if graph.direct_import_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)
    ]
    assert circles == []
