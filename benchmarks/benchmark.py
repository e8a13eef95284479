"""Speed of the course's LIF solver against a plain Python loop and Brian2.

Run from the repository root:

    python benchmarks/benchmark.py                  # every section
    python benchmarks/benchmark.py --only single fi # some sections
    python benchmarks/benchmark.py --list           # section names

This is a script, not a test: it prints a table and PASS/FAIL against the
targets, and always exits 0 (timings depend on the machine and its load).

Every timing is wall-clock time from ``time.perf_counter``. "first" is the
first call in this process (numba: loading or compiling the kernel; Brian2:
code generation and, for the cython target, compilation or loading from
Brian2's on-disk cache, which is not cleared). The other columns are warm
runs: the best of ``--repeat`` calls. A Brian2 run is timed as a student
writes it: build the NeuronGroup and monitors, then ``run``.

Adding a section
----------------
Write one function that takes the parsed options and returns a
:class:`Section`, and decorate it with ``@benchmark("name")``::

    @benchmark("fitting")
    def fitting_time(options):
        seconds = best_of(lambda: fit_something(), options.repeat)
        return Section("fitting", "AdEx fit to 17 sweeps", [Row("fit", seconds)])

Rows without neuron counts print "-" in the throughput columns.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course_utils.neurons import simulate_lif  # noqa: E402
from course_utils.parameters import LIF_DEFAULTS, STANDARD_CELL  # noqa: E402

# ---------------------------------------------------------------------------
# Framework
# ---------------------------------------------------------------------------


@dataclass
class Row:
    """One implementation's timing in a section."""

    implementation: str
    seconds: float | None  # warm wall time of the full workload (scaled if so noted)
    n_neurons: int | None = None
    n_steps: int | None = None
    first_seconds: float | None = None
    note: str = ""

    @property
    def neuron_steps_per_second(self) -> float | None:
        if self.seconds is None or self.n_neurons is None or self.n_steps is None:
            return None
        return self.n_neurons * self.n_steps / self.seconds


@dataclass
class Target:
    """A goal checked against the rows of a section."""

    description: str
    check: Callable[[dict[str, Row]], tuple[bool | None, str]]


@dataclass
class Section:
    name: str
    title: str
    rows: list[Row]
    targets: list[Target] = field(default_factory=list)


BENCHMARKS: dict[str, Callable[[argparse.Namespace], Section]] = {}
"""Registered sections, in the order they run."""


def benchmark(name: str):
    """Register a section function under ``name`` (for ``--only``)."""

    def register(function):
        BENCHMARKS[name] = function
        return function

    return register


def time_once(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def best_of(function, repeat: int) -> float:
    """Best wall time of ``repeat`` calls (the least disturbed by other load)."""
    return min(time_once(function) for _ in range(repeat))


def timings(function, repeat: int) -> tuple[float, float, float]:
    """(first call, best warm call, median warm call) in seconds."""
    first = time_once(function)
    warm = [time_once(function) for _ in range(repeat)]
    return first, min(warm), statistics.median(warm)


def _format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def _format_rate(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.2e}"


def _format_ratio(ours: Row, reference: Row | None) -> str:
    if reference is None or reference.seconds is None or ours.seconds is None:
        return "-"
    ratio = reference.seconds / ours.seconds
    return f"{ratio:.3g}x"


def print_section(section: Section) -> None:
    print()
    print(f"== {section.name}: {section.title}")
    by_name = {row.implementation: row for row in section.rows}
    brian_numpy = by_name.get("Brian2 numpy")
    brian_cython = by_name.get("Brian2 cython")
    header = (
        f"{'implementation':<32} {'warm (best)':>11} {'first':>10} "
        f"{'neuron-steps/s':>14} {'vs B2 numpy':>11} {'vs B2 cython':>12}  note"
    )
    print(header)
    print("-" * len(header))
    for row in section.rows:
        print(
            f"{row.implementation:<32} {_format_seconds(row.seconds):>11} "
            f"{_format_seconds(row.first_seconds):>10} "
            f"{_format_rate(row.neuron_steps_per_second):>14} "
            f"{_format_ratio(row, brian_numpy):>11} {_format_ratio(row, brian_cython):>12}"
            f"  {row.note}"
        )
    for target in section.targets:
        passed, detail = target.check(by_name)
        verdict = {True: "PASS", False: "FAIL", None: "SKIP"}[passed]
        print(f"  [{verdict}] {target.description}: {detail}")


# ---------------------------------------------------------------------------
# The LIF workloads and their implementations
# ---------------------------------------------------------------------------

# One cortical point neuron: tau = 20 ms, rheobase 200 pA.
LIF = STANDARD_CELL | LIF_DEFAULTS  # 200 pF, 10 nS, -70 mV; -50, -65 mV, 2 ms


@dataclass
class Workload:
    currents: np.ndarray  # pA, one constant current per neuron
    duration: float  # ms
    dt: float  # ms
    record_voltage: bool

    @property
    def n_neurons(self) -> int:
        return len(self.currents)

    @property
    def n_steps(self) -> int:
        return round(self.duration / self.dt)


def course_row(workload: Workload, backend: str, repeat: int) -> Row:
    def run():
        return simulate_lif(
            duration=workload.duration,
            dt=workload.dt,
            bias_current=workload.currents,
            record_voltage=workload.record_voltage,
            backend=backend,
            **LIF,
        )

    first, best, median = timings(run, repeat)
    return Row(
        f"course {backend}", best, workload.n_neurons, workload.n_steps, first,
        note=f"median {_format_seconds(median)}",
    )


class NaiveLIF:
    """The loop a student writes in lesson 2: one object, one step at a time."""

    def __init__(self, capacitance, leak_conductance, leak_reversal, threshold, reset,
                 refractory_period, dt):
        self.capacitance = capacitance
        self.leak_conductance = leak_conductance
        self.leak_reversal = leak_reversal
        self.threshold = threshold
        self.reset = reset
        self.refractory_period = refractory_period
        self.dt = dt
        self.t = 0.0
        self.v = leak_reversal
        self.refractory_left = 0.0
        self.voltages = []
        self.spike_times = []

    def step(self, current):
        self.voltages.append(self.v)
        if self.refractory_left > 0:
            self.refractory_left -= self.dt
        else:
            leak = self.leak_conductance * (self.leak_reversal - self.v)
            self.v += self.dt * (leak + current) / self.capacitance
            if self.v >= self.threshold:
                self.v = self.reset
                self.refractory_left = self.refractory_period
                self.spike_times.append(self.t + self.dt)
        self.t += self.dt


def naive_row(workload: Workload, max_neurons: int, repeat: int) -> Row:
    subset = workload.currents[:max_neurons]

    def run():
        neurons = [
            NaiveLIF(
                LIF["membrane_capacitance"], LIF["leak_conductance"], LIF["leak_reversal"],
                LIF["threshold"], LIF["reset"], LIF["refractory_period"], workload.dt,
            )
            for _ in subset
        ]
        for _ in range(workload.n_steps):
            for neuron, current in zip(neurons, subset, strict=True):
                neuron.step(current)

    first, best, _ = timings(run, repeat)
    scale = workload.n_neurons / len(subset)
    note = "" if scale == 1 else f"ran {len(subset)} neurons, scaled x{scale:g}"
    return Row(
        "naive Python loop", best * scale, workload.n_neurons, workload.n_steps,
        first * scale, note=note,
    )


def brian2_row(workload: Workload, target: str, repeat: int) -> Row:
    label = f"Brian2 {target}"
    try:
        import brian2
    except ImportError:
        return Row(label, None, note="brian2 not installed")

    def run():
        from brian2 import (
            Network,
            NeuronGroup,
            SpikeMonitor,
            StateMonitor,
            defaultclock,
            ms,
            mV,
            nS,
            pA,
            pF,
            prefs,
            start_scope,
        )

        start_scope()
        prefs.codegen.target = target
        defaultclock.dt = workload.dt * ms
        namespace = dict(
            C=LIF["membrane_capacitance"] * pF, g_L=LIF["leak_conductance"] * nS,
            E_L=LIF["leak_reversal"] * mV, V_th=LIF["threshold"] * mV,
            V_r=LIF["reset"] * mV,
        )
        group = NeuronGroup(
            workload.n_neurons,
            """dv/dt = (g_L*(E_L - v) + I)/C : volt (unless refractory)
               I : amp (constant)""",
            threshold="v >= V_th", reset="v = V_r",
            refractory=LIF["refractory_period"] * ms, method="euler", namespace=namespace,
        )
        group.v = LIF["leak_reversal"] * mV
        group.I = workload.currents * pA
        monitors = [SpikeMonitor(group)]
        if workload.record_voltage:
            monitors.append(StateMonitor(group, "v", record=True))
        Network(group, *monitors).run(workload.duration * ms)

    old_target = brian2.prefs.codegen.target
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            first, best, median = timings(run, repeat)
    except Exception as error:  # noqa: BLE001 - report any failure and carry on
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return Row(label, None, note=f"FAILED: {detail[:120]}")
    finally:
        brian2.prefs.codegen.target = old_target
    return Row(
        label, best, workload.n_neurons, workload.n_steps, first,
        note=f"build + run; median {_format_seconds(median)}",
    )


def lif_rows(workload: Workload, options, naive_neurons: int) -> list[Row]:
    rows = []
    try:
        import numba  # noqa: F401

        rows.append(course_row(workload, "numba", options.repeat))
    except ImportError:
        rows.append(Row("course numba", None, note="numba not installed"))
    rows.append(course_row(workload, "numpy", max(1, options.repeat // 2)))
    rows.append(naive_row(workload, naive_neurons, max(1, options.repeat // 3)))
    for target in ("numpy", "cython"):
        rows.append(brian2_row(workload, target, options.brian2_repeat))
    return rows


def speedup_target(implementation: str, reference: str, minimum: float) -> Target:
    def check(rows):
        ours, theirs = rows.get(implementation), rows.get(reference)
        if ours is None or theirs is None or ours.seconds is None or theirs.seconds is None:
            return None, "not measured"
        ratio = theirs.seconds / ours.seconds
        return ratio >= minimum, f"{ratio:.3g}x (target >= {minimum:g}x)"

    return Target(f"{implementation} >= {minimum:g}x faster than {reference}", check)


def throughput_target(implementation: str, minimum: float) -> Target:
    def check(rows):
        row = rows.get(implementation)
        if row is None or row.neuron_steps_per_second is None:
            return None, "not measured"
        rate = row.neuron_steps_per_second
        return rate >= minimum, f"{rate:.3g} neuron-steps/s (target >= {minimum:.0e})"

    return Target(f"{implementation} >= {minimum:.0e} neuron-steps/s", check)


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


@benchmark("single")
def single_neuron(options) -> Section:
    workload = Workload(np.array([300.0]), duration=1000.0, dt=0.1, record_voltage=True)
    return Section(
        "single",
        "one LIF neuron, 1 s at dt = 0.1 ms (10,000 steps), 300 pA, voltage recorded",
        lif_rows(workload, options, naive_neurons=1),
        [speedup_target("course numba", "Brian2 numpy", 1000.0)],
    )


@benchmark("population")
def population(options) -> Section:
    currents = np.linspace(0.0, 1000.0, 10_000)
    workload = Workload(currents, duration=100.0, dt=0.1, record_voltage=False)
    return Section(
        "population",
        "10,000 LIF neurons, 0-1000 pA each, 1,000 steps (dt = 0.1 ms), spikes only",
        lif_rows(workload, options, naive_neurons=200),
        [throughput_target("course numba", 1e9)],
    )


@benchmark("fi")
def fi_sweep(options) -> Section:
    currents = np.linspace(0.0, 1000.0, 200)
    workload = Workload(currents, duration=1000.0, dt=0.1, record_voltage=False)
    return Section(
        "fi",
        "f-I sweep: 200 currents (0-1000 pA), 1 s each at dt = 0.1 ms, spikes only",
        lif_rows(workload, options, naive_neurons=20),
    )


ROOT = Path(__file__).resolve().parents[1]


@benchmark("widgets")
def widget_redraws(options) -> Section:
    """Seconds per redraw of each lesson's explorer (update + PNG render)."""
    import matplotlib

    matplotlib.use("Agg")
    from course_utils import widgets
    from course_utils.data import load_recording

    makers = {
        "synapse_explorer (lesson 1)": widgets.synapse_explorer,
        "stepping_explorer (lesson 1)": widgets.stepping_explorer,
        "passive_explorer (lesson 2)": widgets.passive_explorer,
        "psp_explorer (lesson 2)": widgets.psp_explorer,
        "lif_explorer (lesson 3)": widgets.lif_explorer,
        "noisy_lif_explorer (lesson 3)": widgets.noisy_lif_explorer,
        "brian_lif_explorer (lesson 4)": widgets.brian_lif_explorer,
        "integration_explorer (lesson 4)": widgets.integration_explorer,
        "izhikevich_explorer (lesson 4)": widgets.izhikevich_explorer,
        "recording_explorer (lesson 5)": lambda: widgets.recording_explorer(
            load_recording(ROOT / "data" / "171116sh_0018.abf")
        ),
    }
    rows = []
    for name, make in makers.items():
        explorer = make()
        explorer.redraw()  # warm: numba kernels and fonts loaded
        seconds = [explorer.redraw() for _ in range(max(options.repeat, 3))]
        median = _format_seconds(statistics.median(seconds))
        rows.append(Row(name, min(seconds), note=f"median {median}"))

    def check(by_name):
        worst = max(row.seconds for row in by_name.values())
        return worst < 0.1, f"slowest redraw {_format_seconds(worst)}"

    return Section(
        "widgets",
        "explorer redraw: update the figure and render the PNG the notebook shows",
        rows,
        [Target("every explorer redraws in < 0.1 s", check)],
    )


def warm_up_fitting_solvers() -> None:
    """Load (or compile) every kernel the fits use, once.

    The first call of a compiled (numba) kernel in a Python session loads
    it from the disk cache or compiles it; doing that first keeps it out of
    the timings of the fits (and times it on its own).
    """
    from course_utils.neurons.background import VARIANTS, compile_kernel

    for model in ("lif", "adex", "izhikevich"):
        for variant in VARIANTS:
            compile_kernel(model, variant)


@benchmark("fitting")
def fitting_time(options) -> Section:
    """Lesson 5: fitting the LIF, AdEx and Izhikevich models to the shipped recording."""
    from course_utils import fitting
    from course_utils.data import load_recording

    recording = load_recording(ROOT / "data" / "171116sh_0018.abf")
    rows = [Row("numba warm-up (first call)", time_once(warm_up_fitting_solvers))]
    fitting.fit_all(recording, progress=False)  # the rest of the first-call costs (imports)

    def whole_recording():
        passive = fitting.fit_passive(recording)
        fitting.fit_lif(recording, passive=passive)
        fitting.fit_adex(recording, passive=passive, rng=np.random.default_rng(0))

    start = time.perf_counter()
    passive = fitting.fit_passive(recording)
    rows.append(Row("passive fit, 17 sweeps", time.perf_counter() - start))
    start = time.perf_counter()
    fitting.fit_lif(recording, passive=passive)
    rows.append(Row("LIF fit, 17 sweeps", time.perf_counter() - start))
    start = time.perf_counter()
    fitting.fit_adex(recording, passive=passive, rng=np.random.default_rng(0))
    rows.append(Row("AdEx fit, 17 sweeps", time.perf_counter() - start))
    start = time.perf_counter()
    fitting.fit_izhikevich(recording, passive=passive, rng=np.random.default_rng(0))
    rows.append(Row("Izhikevich fit, 17 sweeps", time.perf_counter() - start))
    rows.append(Row("passive + LIF + AdEx, 17 sweeps", best_of(whole_recording, 1)))
    report = fitting.fit_all(recording, progress=False)
    rows.append(Row("fit_all (fit 9, score 8 held out)", report.timings["total"]))

    def under_10(by_name):
        seconds = by_name["passive + LIF + AdEx, 17 sweeps"].seconds
        return seconds < 10, f"{_format_seconds(seconds)}"

    return Section(
        "fitting",
        "lesson 5: fit passive, LIF, AdEx and Izhikevich models to 171116sh_0018.abf "
        "(dt = 0.1 ms)",
        rows,
        [Target("LIF + AdEx fit to the whole recording < 10 s", under_10)],
    )


@benchmark("notebooks")
def notebook_times(options) -> Section:
    """Every notebook top to bottom, cold then warm, and its slowest cell.

    Cold: a fresh kernel with an empty numba cache (NUMBA_CACHE_DIR is a new
    temporary folder), as on a student's first run. Warm: a second fresh
    kernel with that cache filled. The slowest cell is what a student waits
    for longest; the target is the course's: no cell over 3 s.
    """
    import tempfile

    sys.path.insert(0, str(ROOT / "authoring"))
    from notebook_execution import execute_notebook, slowest_cell

    rows = []
    for folder in ("notebooks", "solutions"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            with tempfile.TemporaryDirectory(prefix="first-neuron-numba-") as cache:
                env = {**os.environ, "NUMBA_CACHE_DIR": cache}
                runs = []
                for _ in ("cold", "warm"):
                    start = time.perf_counter()
                    notebook = execute_notebook(path, env=env)
                    runs.append((time.perf_counter() - start, slowest_cell(notebook)))
            (cold, (cold_cell, cold_slowest, cold_line)) = runs[0]
            (warm, (warm_cell, warm_slowest, warm_line)) = runs[1]
            name = f"{folder}/{path.name}"
            rows.append(Row(name, warm, first_seconds=cold, note="whole notebook"))
            rows.append(
                Row(
                    f"  slowest cell ({path.stem[:2]})",
                    warm_slowest,
                    first_seconds=cold_slowest,
                    note=f"cold: cell {cold_cell} {cold_line[:24]!r}; "
                    f"warm: cell {warm_cell} {warm_line[:24]!r}",
                )
            )

    cells = [row for row in rows if row.note != "whole notebook"]
    notebooks = [row for row in rows if row.note == "whole notebook"]

    def each_under_45(by_name):
        worst = max(notebooks, key=lambda row: row.first_seconds)
        detail = f"slowest {worst.implementation}: {_format_seconds(worst.first_seconds)} cold"
        return worst.first_seconds < 45, detail

    def course_under_3_minutes(by_name):
        total = sum(row.seconds for row in notebooks)
        return total < 180, f"all notebooks {_format_seconds(total)} warm"

    def cells_under_3_s(by_name, cold):
        worst = max(cells, key=lambda row: row.first_seconds if cold else row.seconds)
        seconds = worst.first_seconds if cold else worst.seconds
        return seconds < 3, f"slowest: {_format_seconds(seconds)} ({worst.note})"

    return Section(
        "notebooks",
        "each notebook in a fresh kernel: first/cold = empty numba cache, warm = cache filled "
        "(Brian2 numpy target); the slowest cell of each",
        rows,
        [
            Target("each notebook < 45 s", each_under_45),
            Target("whole course < 3 minutes", course_under_3_minutes),
            Target("every cell < 3 s, cold", lambda by_name: cells_under_3_s(by_name, True)),
            Target("every cell < 3 s, warm", lambda by_name: cells_under_3_s(by_name, False)),
        ],
    )


# ---------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="sections to run")
    parser.add_argument("--list", action="store_true", help="list the sections and exit")
    parser.add_argument("--repeat", type=int, default=7, help="warm runs per course timing")
    parser.add_argument("--brian2-repeat", type=int, default=3, help="warm runs for Brian2")
    options = parser.parse_args(argv)
    if options.list:
        print("\n".join(BENCHMARKS))
        return 0
    names = options.only or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {list(BENCHMARKS)}")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    print(
        f"Python {sys.version.split()[0]}, numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs, load average {load:.2f} at start"
    )
    for name in names:
        print_section(BENCHMARKS[name](options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
