"""Tests for course_utils.data: loading ABF recordings and finding their steps.

Expected values come from the protocol itself (its name says "-100 to 300
step 25"), from ClampEx's convention that the epochs start after a holding
period of 1/64 of the sweep (documented in pyABF's waveform.py), and from
files written in the test with known contents.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from abf_factory import step_protocol, write_abf1

from course_utils.data import (
    Recording,
    RecordingError,
    StepWindow,
    example_recording_path,
    load_recording,
    recording_from_arrays,
    steps_from_command,
)

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "171116sh_0018.abf"
DATA_DIR = SHIPPED.parent

# One bit of the 16-bit test files written by pyABF's writer, for values up to
# 1000 (see abf_factory): 10 / 2**15 * 100 ... = 1 / 32.768.
ABF1_RESOLUTION = 1 / 32.768


@pytest.fixture(scope="module")
def shipped():
    return load_recording(SHIPPED)


# --------------------------------------------------------------------------
# The course's example recording
# --------------------------------------------------------------------------


def test_example_path_points_at_the_shipped_file():
    assert example_recording_path().resolve() == SHIPPED


def test_shipped_recording_header(shipped):
    assert isinstance(shipped, Recording)
    assert shipped.file_name == "171116sh_0018.abf"
    assert shipped.n_sweeps == 17
    assert shipped.sampling_rate == 20000.0
    assert shipped.dt == pytest.approx(0.05)  # 1000 ms / 20000 samples
    assert shipped.sweep_duration == pytest.approx(3000.0)
    assert "steps dual -100 to 300 step 25" in shipped.protocol
    assert shipped.clamp_mode == "current clamp"
    assert shipped.stimulus_source == "epoch table"
    sweep = shipped.sweeps[0]
    assert sweep.time[0] == 0.0
    assert sweep.time.size == sweep.voltage.size == sweep.command.size == 60000
    assert np.allclose(np.diff(sweep.time), 0.05)


def test_shipped_voltage_is_in_millivolts(shipped):
    # A cortical neuron rests between -80 and -50 mV and spikes overshoot 0 mV:
    # a factor 1000 (V instead of mV) would put these far off.
    before_steps = shipped.sweeps[0].voltage[: int(100 / shipped.dt)]
    assert -80 < np.median(before_steps) < -50
    assert shipped.sweeps[-1].voltage.max() > 0


def test_shipped_test_step_is_epoch_B(shipped):
    tests = shipped.test_steps()
    # 60000 samples / 64 = 937 samples of holding, then epoch A (2000 samples),
    # then B (10000 samples) at 0.05 ms per sample.
    start = (937 + 2000) * 0.05
    for i, step in enumerate(tests):
        assert step.label == "B"
        assert step.start == pytest.approx(start)  # 146.85 ms
        assert step.stop == pytest.approx(start + 500.0)
        assert step.amplitude == pytest.approx(-100 + 25 * i)  # protocol name


def test_shipped_hyperpolarising_step_is_epoch_D(shipped):
    for step in shipped.hyperpolarising_steps():
        assert step.label == "D"
        assert step.amplitude == pytest.approx(-100.0)
        # holding + A + B + C = 937 + 2000 + 10000 + 10000 samples
        assert step.start == pytest.approx(22937 * 0.05)
        assert step.duration == pytest.approx(500.0)


def test_shipped_has_three_steps_per_sweep_with_E_equal_to_B(shipped):
    for sweep in shipped.sweeps:
        labels = [s.label for s in sweep.steps]
        assert labels == ["B", "D", "E"]
        assert sweep.step("E").amplitude == sweep.step("B").amplitude
        assert sweep.step("E").start == pytest.approx(sweep.step("D").stop)


def test_shipped_command_matches_step_windows(shipped):
    for sweep in shipped.sweeps[::4]:
        expected = np.zeros_like(sweep.time)
        for step in sweep.steps:
            expected[step.contains(sweep.time)] += step.amplitude
        assert np.array_equal(sweep.command, expected)


def test_hyperpolarising_step_hyperpolarises(shipped):
    # Negative current must lower the membrane potential (sign check of the
    # command): compare the last 100 ms of D with the 100 ms before it.
    sweep = shipped.sweeps[0]
    step = sweep.step("D")
    before = sweep.voltage[(sweep.time >= step.start - 100) & (sweep.time < step.start)]
    late = sweep.voltage[(sweep.time >= step.stop - 100) & (sweep.time < step.stop)]
    assert late.mean() < before.mean() - 5


def test_sweep_step_lookup_error_names_the_labels(shipped):
    with pytest.raises(ValueError, match="no step labelled 'Z'.*'B'"):
        shipped.sweeps[0].step("Z")


def test_select_keeps_original_indices(shipped):
    subset = shipped.select([2, 5])
    assert [s.index for s in subset.sweeps] == [2, 5]
    assert subset.n_sweeps == 2
    assert [s.amplitude for s in subset.test_steps()] == [-50.0, 25.0]
    with pytest.raises(ValueError, match="only 17 sweeps"):
        shipped.select([17])


def test_repr_is_a_one_line_summary(shipped):
    text = repr(shipped)
    assert "17 sweeps" in text and "20 kHz" in text and "\n" not in text


# --------------------------------------------------------------------------
# Other protocols, written with pyABF's writer
# --------------------------------------------------------------------------


def test_abf1_epoch_table_with_another_protocol(tmp_path):
    rate, n_samples, n_sweeps = 10000, 12800, 4  # 10 kHz, 1280 ms sweeps
    holding = n_samples // 64  # 200 samples, ClampEx's pre-epoch holding
    epochs = [(0.0, 0.0, 500), (-40.0, 40.0, 3000), (0.0, 0.0, 2000), (-30.0, 0.0, 1500)]
    voltage = np.full((n_sweeps, n_samples), -68.0)
    path = tmp_path / "other_protocol.abf"
    write_abf1(path, voltage, rate, epochs=epochs)
    recording = load_recording(path)
    assert recording.stimulus_source == "epoch table"
    assert recording.sampling_rate == 10000.0
    assert recording.dt == pytest.approx(0.1)
    assert recording.sweep_duration == pytest.approx(1280.0)
    onset = (holding + 500) * 0.1
    for i, step in enumerate(recording.test_steps()):
        assert step.start == pytest.approx(onset)  # 70 ms
        assert step.duration == pytest.approx(300.0)
        assert step.amplitude == pytest.approx(-40.0 + 40.0 * i)
    for step in recording.hyperpolarising_steps():
        assert step.start == pytest.approx((holding + 500 + 3000 + 2000) * 0.1)
        assert step.amplitude == pytest.approx(-30.0)
    # the voltage channel survives the 16-bit round trip
    assert np.allclose(recording.sweeps[0].voltage, -68.0, atol=ABF1_RESOLUTION)


def test_abf1_steps_from_a_recorded_current_channel(tmp_path):
    rate, n_samples, n_sweeps = 10000, 10000, 5
    command = step_protocol(n_sweeps, n_samples, first=-80, increment=40, onset=1000, width=3000)
    voltage = -65.0 + 0.1 * command  # a 100 MOhm "cell" without dynamics
    path = tmp_path / "with_current_channel.abf"
    write_abf1(path, voltage, rate, current=command)
    recording = load_recording(path)
    assert recording.stimulus_source == "command channel"
    for i, (sweep, step) in enumerate(zip(recording.sweeps, recording.test_steps(), strict=True)):
        assert step.start == pytest.approx(100.0)
        assert step.stop == pytest.approx(400.0)
        assert step.amplitude == pytest.approx(-80 + 40 * i, abs=2 * ABF1_RESOLUTION)
        assert np.allclose(sweep.command, command[i], atol=2 * ABF1_RESOLUTION)
        assert np.allclose(sweep.voltage, voltage[i], atol=2 * ABF1_RESOLUTION)
    # the sweep with 0 pA keeps its (zero) step, so sweeps stay comparable
    assert recording.sweeps[2].steps[0].amplitude == pytest.approx(0.0)


def test_file_without_stimulus_information_loads_but_has_no_steps(tmp_path):
    path = tmp_path / "voltage_only.abf"
    write_abf1(path, np.full((2, 2000), -70.0), 20000)
    recording = load_recording(path)
    assert recording.stimulus_source == "none"
    assert all(sweep.steps == () for sweep in recording.sweeps)
    with pytest.raises(RecordingError, match="voltage_only.abf.*no stimulus information"):
        recording.test_steps()


# --------------------------------------------------------------------------
# Steps from a command signal
# --------------------------------------------------------------------------


def test_steps_from_a_noisy_filtered_command():
    rng = np.random.default_rng(1)
    dt, n = 0.05, 20000
    command = np.zeros((3, n))
    for s, amplitude in enumerate([-50.0, 0.0, 50.0]):
        command[s, 4000:12000] = amplitude
        command[s, 14000:16000] = -20.0
    # a 4-sample edge, as an amplifier's filter would make it
    kernel = np.ones(4) / 4
    command = np.array([np.convolve(row, kernel, mode="same") for row in command])
    command += rng.normal(0.0, 1.0, command.shape)
    steps, holding = steps_from_command(command, dt)
    assert [len(s) for s in steps] == [2, 2, 2]
    for s, amplitude in enumerate([-50.0, 0.0, 50.0]):
        first, second = steps[s]
        assert first.start == pytest.approx(200.0, abs=0.2)
        assert first.stop == pytest.approx(600.0, abs=0.2)
        assert first.amplitude == pytest.approx(amplitude, abs=0.5)
        assert second.amplitude == pytest.approx(-20.0, abs=0.5)
        assert holding[s] == pytest.approx(0.0, abs=0.5)


def test_back_to_back_steps_stay_separate_when_equal_in_one_sweep():
    # Like epochs D and E of the example file: in sweep 0 both are -100 pA.
    dt, n = 0.1, 5000
    command = np.zeros((2, n))
    command[:, 1000:2000] = -100.0
    command[0, 2000:3000] = -100.0
    command[1, 2000:3000] = 50.0
    steps, _ = steps_from_command(command, dt)
    assert [(s.start, s.stop) for s in steps[0]] == [(100.0, 200.0), (200.0, 300.0)]
    assert [s.amplitude for s in steps[0]] == [-100.0, -100.0]
    assert [s.amplitude for s in steps[1]] == [-100.0, 50.0]


def test_recording_from_arrays_with_command_and_with_steps():
    dt = 0.1
    command = np.zeros((2, 3000))
    command[0, 500:1500] = 20.0
    command[1, 500:1500] = 40.0
    voltage = -70 + 0.2 * command
    from_command = recording_from_arrays(voltage, dt, command=command)
    assert [s.amplitude for s in from_command.test_steps()] == [20.0, 40.0]
    steps = [[StepWindow(50.0, 150.0, 20.0, "B")], [StepWindow(50.0, 150.0, 40.0, "B")]]
    from_steps = recording_from_arrays(voltage, dt, steps=steps)
    assert np.array_equal(from_steps.sweeps[1].command, command[1])
    assert from_steps.test_steps()[1] == StepWindow(50.0, 150.0, 40.0, "B")


def test_recording_from_arrays_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="command has shape"):
        recording_from_arrays(np.zeros((2, 100)), 0.1, command=np.zeros((2, 99)))
    with pytest.raises(ValueError, match="steps has 1 entries for 2 sweeps"):
        recording_from_arrays(np.zeros((2, 100)), 0.1, steps=[[StepWindow(1, 2, 3)]])
    with pytest.raises(ValueError, match="dt"):
        recording_from_arrays(np.zeros((2, 100)), 0.0)


def test_step_window_contains_is_half_open():
    step = StepWindow(10.0, 20.0, 5.0)
    assert list(step.contains([9.999, 10.0, 19.999, 20.0])) == [False, True, True, False]
    assert step.duration == 10.0


# --------------------------------------------------------------------------
# Bad input: one clear error each, naming the file
# --------------------------------------------------------------------------


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="no_such_file.abf"):
        load_recording("no_such_file.abf")


def test_path_of_wrong_type():
    with pytest.raises(TypeError, match="path must be a file name"):
        load_recording(42)


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(RecordingError, match="is a folder"):
        load_recording(tmp_path)


def test_text_file_renamed_abf(tmp_path):
    path = tmp_path / "notes.abf"
    path.write_text("time,voltage\n0,-70\n")
    with pytest.raises(RecordingError, match=r"notes.abf.*not an Axon Binary File.*text file"):
        load_recording(path)


def test_png_renamed_abf(tmp_path):
    path = tmp_path / "figure.abf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(RecordingError, match=r"figure.abf.*PNG image"):
        load_recording(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.abf"
    path.write_bytes(b"")
    with pytest.raises(RecordingError, match=r"empty.abf.*empty"):
        load_recording(path)


def test_truncated_file(tmp_path):
    path = tmp_path / "half.abf"
    data = SHIPPED.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(RecordingError, match=r"half.abf.*(truncated|damaged)"):
        load_recording(path)


def test_file_cut_inside_the_header(tmp_path):
    path = tmp_path / "stub.abf"
    path.write_bytes(SHIPPED.read_bytes()[:300])
    with pytest.raises(RecordingError, match=r"stub.abf.*(truncated|damaged)"):
        load_recording(path)


def test_voltage_clamp_recording_is_refused(tmp_path):
    # Voltage clamp records current (pA) and commands voltage (mV).
    path = tmp_path / "vclamp.abf"
    write_abf1(path, np.full((2, 1000), -50.0), 10000, voltage_units="pA", command_units="mV")
    with pytest.raises(RecordingError, match=r"vclamp.abf.*voltage-clamp"):
        load_recording(path)


def test_voltage_clamp_with_a_voltage_monitor_is_refused(tmp_path):
    path = tmp_path / "vclamp2.abf"
    write_abf1(
        path,
        np.full((1, 1000), -70.0),
        10000,
        current=np.full((1, 1000), -20.0),
        command_units="mV",
    )
    with pytest.raises(RecordingError, match=r"vclamp2.abf.*voltage-clamp"):
        load_recording(path)


def test_copy_of_shipped_file_loads_under_another_name(tmp_path):
    path = tmp_path / "copy.abf"
    shutil.copy(SHIPPED, path)
    assert load_recording(path).file_name == "copy.abf"


def test_sweeps_with_different_step_lists_are_refused():
    steps = [[StepWindow(10.0, 20.0, 5.0)], []]
    recording = recording_from_arrays(np.zeros((2, 300)), 0.1, steps=steps, name="odd")
    with pytest.raises(RecordingError, match="odd: the sweeps have different numbers of steps"):
        recording.test_steps()


def test_shipped_voltage_clamp_file_is_refused():
    """The real voltage-clamp file from the same collection."""
    with pytest.raises(RecordingError, match=r"17o05024_vc_steps.abf: is a voltage-clamp"):
        load_recording(DATA_DIR / "17o05024_vc_steps.abf")


def test_mislabelled_current_clamp_file_is_not_called_voltage_clamp(tmp_path):
    """The command is a current (pA), as in current clamp, but the recorded
    channel is labelled pA too: the units are mislabelled, and the message
    says so instead of calling it voltage clamp."""
    path = tmp_path / "mislabelled.abf"
    write_abf1(path, np.full((2, 1000), -65.0), 10000, voltage_units="pA", command_units="pA")
    with pytest.raises(RecordingError, match="mislabelled") as caught:
        load_recording(path)
    assert "voltage-clamp" not in str(caught.value)


def test_gap_free_file_with_a_current_channel_is_told_so(tmp_path):
    """A recorded current channel that never changes: the message must not
    say the file has no current channel."""
    path = tmp_path / "gapfree.abf"
    rng = np.random.default_rng(4)
    voltage = -65.0 + rng.normal(0.0, 0.3, (1, 20000))
    write_abf1(path, voltage, 10000, current=np.zeros((1, 20000)))
    recording = load_recording(path)
    with pytest.raises(RecordingError, match="never changes") as caught:
        recording.test_steps()
    assert "no recorded current channel" not in str(caught.value)


def test_loading_uses_only_public_pyabf_api():
    """pyABF's private methods change without notice between releases
    (pyproject asks only pyabf>=2.3.8): data.py must read files through the
    public API (ABF(..., loadData=False), setSweep, sweepY / sweepC and the
    header attributes), never a private ``abf._...`` call."""
    import inspect
    import re

    import course_utils.data

    source = inspect.getsource(course_utils.data)
    assert re.findall(r"\babf\._\w+", source) == []
    assert "setSweep" in source
