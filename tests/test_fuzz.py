"""Bad input never hangs, never exhausts memory, never surfaces an internal error (issue 20).

Runs ``tests/fuzz_public_api.py`` in a subprocess capped at 4 GiB of address
space: hypothesis tries bad and degenerate values for every parameter of every
public callable of course_utils (others kept valid); each call must end within
10 s with a NaN-free result or a ValueError/TypeError naming the argument.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("fuzz_public_api.py")
EXAMPLES = 600


@pytest.fixture(scope="module")
def report():
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--examples", str(EXAMPLES)],
        capture_output=True, text=True, timeout=1200, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)


def test_every_bad_input_is_refused_clearly(report, capsys):
    with capsys.disabled():
        print(f"\nfuzz: {report['callables']} callables, {report['parameters']} parameters, "
              f"{report['calls']} calls; without a known valid baseline: {len(report['untested'])}")
    problems = [
        f"{f['callable']}({f['argument']}={f['value']}): {f['problem']}" for f in report["failures"]
    ]
    assert not problems, "\n".join(problems)


def test_the_fuzz_reaches_most_of_the_api(report):
    assert report["callables"] >= 50
    assert report["calls"] >= EXAMPLES
