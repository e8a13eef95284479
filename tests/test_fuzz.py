"""Bad input never hangs, never exhausts memory, never surfaces an internal error (issue 20).

Runs ``tests/fuzz_public_api.py`` in a subprocess capped at 4 GiB of address
space: every listed bad or degenerate value for every parameter of every public
callable of course_utils (others kept valid), then values hypothesis draws;
each call must end within 10 s with a NaN-free result (NaN only where the
docstring defines it as "undefined") or a ValueError/TypeError naming the
argument. About a minute on two cores.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("fuzz_public_api.py")
EXAMPLES = 200  # hypothesis's draws, after the exhaustive sweep


@pytest.fixture(scope="module")
def report():
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--exhaustive", "--examples", str(EXAMPLES)],
        capture_output=True, text=True, timeout=1200, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)


def test_every_bad_input_is_refused_clearly(report, capsys):
    with capsys.disabled():
        print(f"\nfuzz: {report['callables']} callables, {report['parameters']} parameters, "
              f"{report['calls']} calls; without a known valid baseline: "
              f"{', '.join(report['untested'])}")
    problems = [
        f"{f['callable']}({f['argument']}={f['value']}): {f['problem']}" for f in report["failures"]
    ]
    assert not problems, "\n".join(problems)


def test_the_fuzz_reaches_most_of_the_api(report):
    # Every baseline works (else its callable would be left out silently).
    assert report["broken_baselines"] == {}
    assert report["callables"] >= 100
    # The exhaustive sweep: every parameter with each of the ~20 listed bad values.
    assert report["calls"] >= 20 * report["parameters"] + EXAMPLES
