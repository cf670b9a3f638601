"""List the benchmarks."""

from bench import BENCHES

print("Benchmarks (run one with: python -m bench.<name> --help):")
for name, what in BENCHES.items():
    print(f"  {name:<10} {what}")
