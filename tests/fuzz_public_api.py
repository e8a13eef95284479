"""Bad and degenerate input against every public callable of course_utils (issue 20).

Run by tests/test_fuzz.py in a subprocess with a memory cap, or by hand::

    python tests/fuzz_public_api.py --examples 400

For each public function and class, every parameter in turn gets a value a
careless or curious student might pass (NaN, inf, a string, a negative or
astronomically large number, an empty or 2-D array, a complex number, ``...``)
while the others keep valid values. Each call must end within a time limit
with either a result free of NaN, or a ``ValueError``/``TypeError`` whose
message names the argument. Hypothesis chooses the callables, parameters and
values, and shrinks any failure to its simplest form.

Prints a JSON report: how many callables and calls were tried, and each
failure (callable, argument, value, what happened).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import inspect
import json
import resource
import signal
import sys
import warnings

import numpy as np

MODULES = [
    "synapses", "inputs", "neurons", "networks", "analysis", "simulator", "fitting", "data",
    "plotting", "interactive", "brian",
]
SKIP = {
    # Draws into an axes the caller made; covered by the plotting tests.
    "plotting.plot_voltage", "plotting.raster", "plotting.course_style", "plotting.describe",
    "plotting.smallest_font", "plotting.figure_title", "plotting.label_axes",
    "interactive.show", "interactive.in_colab", "interactive.plotly_js_path",
    # Needs a file; covered by tests/test_data.py with real and synthetic recordings.
    "data.load_recording", "data.example_recording_path",
}
TIME_LIMIT = 10  # seconds per call
MEMORY_LIMIT = 4 * 1024**3  # bytes


def valid_values() -> dict:
    """A valid value for each parameter name that has no default."""
    time = np.arange(0.0, 50.0, 0.1)
    return {
        "duration": 50.0, "dt": 0.1, "time": time, "rate": 10.0, "rng": np.random.default_rng(0),
        "spike_times": np.array([5.0, 20.0]), "peak_conductance": 1.0, "decay_time": 5.0,
        "rise_time": 0.5, "time_since_spike": np.array([0.0, 1.0, 2.0]), "conductance": 1.0,
        "voltage": -70.0 * np.ones_like(time), "reversal_potential": 0.0, "n_steps": 10,
        "amplitude": 100.0, "start": 10.0, "stop": 30.0, "n_neurons": 3, "n_synapses": 3,
        "current": 100.0, "membrane_capacitance": 200.0, "leak_conductance": 10.0,
        "leak_reversal": -70.0, "threshold": -50.0, "reset": -65.0, "refractory_period": 2.0,
        "std": 10.0, "tau": 5.0, "mean": 0.0, "spike_counts": np.zeros(500, dtype=int),
        "interval": 10.0, "n_pulses": 3, "width": 1.0, "name": "neuron", "sigma": 10.0,
        "diameter": 10.0, "length": 100.0, "radius": 5.0, "soma_diameter": 20.0,
        "dendrite_length": 100.0, "dendrite_diameter": 2.0, "area": 1000.0,
        "model_spikes": np.array([5.0, 20.0]), "data_spikes": np.array([5.5, 30.0]),
        "pre_spikes": np.array([5.0, 20.0]), "post_spikes": np.array([7.0, 19.0]),
        "delta_t": np.array([-10.0, 10.0]), "time_difference": np.array([-10.0, 10.0]),
        "spike_trains": [np.array([5.0]), np.array([10.0, 20.0])], "pulse_duration": 1.0,
        "period": 10.0, "start_amplitude": 0.0, "stop_amplitude": 100.0,
        "correlation_time": 5.0, "slope_factor": 2.0, "rheobase_threshold": -50.0,
        "adaptation_coupling": 2.0, "spike_adaptation": 50.0, "adaptation_time_constant": 100.0,
        "connection_probability": 0.1, "n_excitatory": 8, "n_inhibitory": 2,
        "excitatory_weight": 1.0, "inhibitory_weight": 1.0, "potentiation": 0.01,
        "depression": 0.012, "pre_rate": 10.0, "post_rate": 10.0, "n_trains": 3,
        "correlation": 0.1, "window": 2.0, "meaning": "model", "onset": 10.0,
        "traces": {"V": -70.0 * np.ones_like(time)}, "title": "a title",
        "input_spike_trains": [np.array([5.0]), np.array([10.0, 20.0])],
        "initial_weights": np.array([0.5, 0.5]), "max_weight": 1.0,
    }


BAD_VALUES = [
    None, "1.0", float("nan"), float("inf"), -float("inf"), -1.0, 0.0, 1e300, 1e-300, -1e-300,
    [], [[1.0, 2.0], [3.0, 4.0]], 1 + 2j, np.array(np.nan), np.array(1 + 1j), Ellipsis, True,
    10**12, np.int64(3), np.array([np.nan, 1.0]), {"a": 1},
]


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout


def public_callables() -> list[tuple[str, object]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(f"course_utils.{name}")
        for attribute, obj in vars(module).items():
            qualified = f"{name}.{attribute}"
            if attribute.startswith("_") or qualified in SKIP:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if getattr(obj, "__module__", "") != module.__name__:
                continue
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue
            found.append((qualified, obj))
    return found


def baseline_arguments(obj) -> dict | None:
    """Valid keyword arguments for the required parameters, or None if unknown."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    values = valid_values()
    arguments = {}
    for parameter in signature.parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.default is inspect.Parameter.empty:
            if parameter.name not in values:
                return None
            arguments[parameter.name] = values[parameter.name]
    return arguments


def has_nan(result, depth=0) -> bool:
    if depth > 2:
        return False
    if isinstance(result, (float, np.floating)):
        return bool(np.isnan(result))
    if isinstance(result, np.ndarray) and result.dtype.kind == "f":
        return bool(np.isnan(result).any())
    if isinstance(result, (tuple, list)):
        return any(has_nan(item, depth + 1) for item in result[:50])
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return any(has_nan(getattr(result, f.name), depth + 1) for f in dataclasses.fields(result))
    return False


def try_call(qualified, obj, arguments, argument, value) -> dict | None:
    """Call once; return a failure record, or None if the outcome is acceptable."""
    call = dict(arguments)
    call[argument] = value
    signal.alarm(TIME_LIMIT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = obj(**call)
    except (ValueError, TypeError) as error:
        message = str(error)
        if argument not in message:
            return {"problem": f"{type(error).__name__} not naming the argument: {message[:200]}"}
        return None
    except Timeout:
        return {"problem": f"no answer within {TIME_LIMIT} s"}
    except MemoryError:
        return {"problem": "MemoryError"}
    except Exception as error:  # noqa: BLE001 - any other exception is the finding
        return {"problem": f"internal {type(error).__name__}: {str(error)[:200]}"}
    finally:
        signal.alarm(0)
    if has_nan(result):
        return {"problem": "silently returned NaN"}
    return None


def run(examples: int, seed: int) -> dict:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    callables = [(q, o, baseline_arguments(o)) for q, o in public_callables()]
    untested = sorted(q for q, _, arguments in callables if arguments is None)
    testable = [(q, o, a) for q, o, a in callables if a is not None]
    cases = []
    for qualified, obj, arguments in testable:
        names = [
            p.name for p in inspect.signature(obj).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        cases.extend((qualified, obj, arguments, name) for name in names)
    failures: dict[tuple[str, str, str], dict] = {}
    calls = 0

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=st.sampled_from(cases), value=st.sampled_from(BAD_VALUES) | st.floats())
    def fuzz(case, value):
        nonlocal calls
        qualified, obj, arguments, argument = case
        calls += 1
        failure = try_call(qualified, obj, arguments, argument, value)
        if failure is not None:
            key = (qualified, argument, failure["problem"][:60])
            failures.setdefault(key, {"callable": qualified, "argument": argument,
                                      "value": repr(value)[:80], **failure})

    signal.signal(signal.SIGALRM, _alarm)
    fuzz()
    return {
        "callables": len(testable), "parameters": len(cases), "calls": calls,
        "untested": untested, "failures": list(failures.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    import matplotlib

    matplotlib.use("Agg")
    report = run(args.examples, args.seed)
    json.dump(report, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
