"""List the benchmarks."""

import pkgutil
from pathlib import Path

print("Benchmarks (run one with python -m bench.<name>):")
for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if not module.name.startswith("_"):
        print(f"  bench.{module.name}")
