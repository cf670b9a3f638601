"""The instance folder, the SQLite database, the secret key and the certificate keys are created
readable by their owner only, whatever the umask: another account on the machine must not read
the marks, the session key or the certificate keys."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_new_instance_is_private_to_its_owner(tmp_path):
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "PODIUM_CERTIFICATE_KEYS",
                                                              "PODIUM_CERTIFICATE_KEY_FILE")}
    env.update(PODIUM_INSTANCE=str(instance), PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", "import os; os.umask(0o022); from competition.cli import main; main()", "init-db"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert _mode(instance) == 0o700
    for name in ("podium.sqlite", "secret_key", "certificate_keys"):
        assert (instance / name).exists(), name
        assert _mode(instance / name) == 0o600, f"{name} is {oct(_mode(instance / name))}"
