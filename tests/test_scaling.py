"""Scaling up (course_utils.scaling): the same network on Brian2's runtime and C++ standalone
devices, compile once and rerun with run_args, and the GPU device skipped without a GPU.

The C++ programs are built in scaling.build_directory(...), the folders Lesson 6 uses, so
CI compiles each program once for the tests and both notebooks together.
"""

import math

import pytest

from course_utils import scaling

N, DURATION = 2000, 100.0  # the size and duration Lesson 6 compiles


@pytest.fixture(scope="module")
def runs():
    runtime = scaling.run_coba(N, DURATION, device="runtime")
    standalone = scaling.run_coba(N, DURATION, device="cpp_standalone", threads=1,
                                  directory=scaling.build_directory(f"coba_{N}"))
    return runtime, standalone


def test_runtime_and_cpp_standalone_simulate_the_same_network(runs):
    runtime, standalone = runs
    # p = 80 / N over N x N pairs: binomial, mean 80 N, sd sqrt(80 N (1 - 80 / N)).
    mean, sd = 80 * N, math.sqrt(80 * N * (1 - 80 / N))
    for result in runs:
        assert abs(result.n_synapses - mean) < 5 * sd
        assert result.n_steps == 1000
    assert standalone.threads == 1
    # Different random numbers (numpy in Python, Brian2's own in C++), same statistics.
    assert standalone.mean_rate == pytest.approx(runtime.mean_rate, rel=0.1)
    assert runtime.mean_rate > 5.0  # the bias current keeps the network firing


def test_an_unchanged_network_is_not_compiled_again(runs):
    program = scaling.build_directory(f"coba_{N}") / "main"
    built = program.stat().st_mtime_ns
    again = scaling.run_coba(N, DURATION, device="cpp_standalone", threads=1,
                             directory=scaling.build_directory(f"coba_{N}"))
    assert program.stat().st_mtime_ns == built  # make found nothing to rebuild
    assert again.spike_count == runs[1].spike_count  # same seed, same program


def test_run_args_reruns_the_compiled_program(runs):
    _, standalone = runs
    rates, _, run_times = scaling.rates_for_drives(
        N, DURATION, [200.0, 100.0], threads=1, directory=scaling.build_directory(f"coba_{N}"))
    assert len(run_times) == 2
    # Same program, same seed, same drive as run_coba: the very same spikes.
    assert rates[0] == pytest.approx(standalone.mean_rate, abs=1e-12)
    # 100 pA through 10 nS lifts the free membrane to -60 + 10 = -50 mV, exactly the
    # threshold, which it approaches but never crosses: without spikes to start the
    # recurrent excitation, the network stays silent.
    assert rates[1] == 0.0


def test_cuda_standalone_runs_only_with_a_gpu():
    available, reason = scaling.cuda_available()
    if not available:
        pytest.skip(f"no Brian2CUDA run: {reason}")
    result = scaling.run_coba(1000, 50.0, device="cuda_standalone",
                              directory=scaling.build_directory("coba_cuda_1000"))
    assert result.spike_count > 0


@pytest.mark.parametrize("kwargs, match", [
    ({"device": "gpu"}, "device"),
    ({"n_neurons": 50}, "n_neurons"),
    ({"duration": -1.0}, "duration"),
    ({"dt": 0.0}, "dt"),
])
def test_friendly_errors(kwargs, match):
    arguments = {"n_neurons": 1000, "duration": 10.0} | kwargs
    with pytest.raises(ValueError, match=match):
        scaling.run_coba(**arguments)


def test_break_even_and_amdahl_by_hand():
    # 20 s of compiling, 4e6 vs 2.5e7 neuron-steps/s: saves 2.1e-7 s per neuron-step,
    # so it pays off after 20 / 2.1e-7 = 9.52e7 neuron-steps = 2381 ms for 4000 neurons.
    assert scaling.break_even_duration(20.0, 4e6, 2.5e7, 4000, 0.1) == pytest.approx(
        20 / 2.1e-7 * 0.1 / 4000)
    assert scaling.break_even_duration(20.0, 4e6, 4e6, 4000, 0.1) == math.inf
    # 184.2 s outside, 1.8 s inside the loop, loop 10x faster: 186 / 184.38.
    assert scaling.overall_speedup(184.2, 1.8, 10.0) == pytest.approx(186 / 184.38)
    assert scaling.overall_speedup(0.0, 5.0, 4.0) == pytest.approx(4.0)


def test_lesson_quotes_the_measured_numbers():
    """Lesson 6's numbers for the 16-core run are the ones in the saved measurement."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    measured = json.loads((root / "benchmarks" / "scaling_h200_2026-11-28.jsonl").read_text())
    source = (root / "authoring" / "lessons" / "06_scaling.py").read_text()
    text = " ".join(line.removeprefix("#").strip() for line in source.splitlines())
    rate = measured["neuron_steps_per_s"]
    assert f"{rate / 1e8:.1f} × 10⁸" in text
    assert f"{measured['n_neurons']:,}" in text
    assert f"{round(measured['n_synapses'] / 1e6)} M synapses" in text
    assert f"whole run {measured['total_s']:.1f} s" in text
    for part, field in (("generating code", "codegen_s"), ("compiling", "compile_s"),
                        ("outside the loop", "outside_loop_s"), ("loop", "simulate_s")):
        assert f"{measured[field]:.1f} s {part}" in text, part
