"""Write small ABF files for the tests, with pyABF's own writer.

``pyabf.abfWriter.writeABF1`` writes a one-channel ABF1 file (16-bit samples,
one unit label, no epoch table). The course's loader must also handle files
with a second channel (the recorded command current) and files whose
stimulus comes from an epoch table, so :func:`write_abf1` lets pyABF write
the file and then sets the few ABF1 header fields that describe channels and
epochs. The byte offsets are the ones pyABF's own ABF1 reader uses
(``pyabf/abf1/headerV1.py``), so the test depends on pyABF reading back what
it is told, not on a home-made format.

The writer puts the data right after a 4-block (2048-byte) header, but
pyABF reads the extended ABF1 header (epoch table, telegraphs) from bytes
2048-6144. We therefore move the data to block 12 (``lDataSectionPtr``) and
leave the extended header zeroed, so nothing is read from the samples.

Resolution: the writer scales every channel with one factor chosen from the
largest absolute value in the file (for values up to 1000: 1/32.768 units per
bit, i.e. ~0.03 mV or ~0.03 pA) and truncates toward zero. Tests that
compare numbers read back from these files allow for that.
"""

from __future__ import annotations

import struct

import numpy as np
import pyabf.abfWriter

# ABF1 header offsets, from pyabf/abf1/headerV1.py
_DATA_SECTION_PTR = 40  # i (in 512-byte blocks)
_N_ADC_CHANNELS = 120  # h
_ADC_P_TO_L_MAP = 378  # 16h
_ADC_SAMPLING_SEQ = 410  # 16h
_ADC_CHANNEL_NAME = 442  # 10s x 16
_ADC_UNITS = 602  # 8s x 16
_DAC_CHANNEL_NAME = 1306  # 10s x 4
_DAC_CHANNEL_UNIT = 1346  # 8s x 4
_WAVEFORM_ENABLE = 2296  # 2h
_WAVEFORM_SOURCE = 2300  # 2h (1 = epoch table)
_INTER_EPISODE_LEVEL = 2304  # 2h
_EPOCH_TYPE = 2308  # 20h (1 = step)
_EPOCH_INIT_LEVEL = 2348  # 20f
_EPOCH_LEVEL_INC = 2428  # 20f
_EPOCH_INIT_DURATION = 2508  # 20i (samples)
_EPOCH_DURATION_INC = 2588  # 20i


def _text(value: str, size: int) -> bytes:
    return value.encode("ascii").ljust(size, b" ")[:size]


def write_abf1(
    path,
    voltage,
    sampling_rate,
    *,
    current=None,
    epochs=None,
    voltage_units="mV",
    current_units="pA",
    command_units="pA",
):
    """Write a current-clamp recording as an ABF1 file.

    Parameters
    ----------
    path : str or Path
        File to write.
    voltage : array (n_sweeps, n_samples)
        First channel, in ``voltage_units``.
    sampling_rate : float
        Samples per second per channel (Hz).
    current : array (n_sweeps, n_samples), optional
        A second recorded channel (the injected current) in ``current_units``.
    epochs : list of (level, level_increment, n_samples), optional
        Step epochs of the command of channel 0, in pA and samples. pyABF
        starts the epochs after a holding period of 1/64 of the sweep and
        takes the holding level of an ABF1 file from the first epoch's level,
        so make the first epoch a 0 pA baseline.
    voltage_units, current_units, command_units : str
        Unit labels (e.g. ``"pA"`` as voltage_units fakes a voltage-clamp file).
    """
    voltage = np.atleast_2d(np.asarray(voltage, dtype=float))
    channels = [voltage]
    units = [voltage_units]
    names = ["Vm"]
    if current is not None:
        channels.append(np.atleast_2d(np.asarray(current, dtype=float)))
        units.append(current_units)
        names.append("Im")
    n_channels = len(channels)
    # ABF1 stores multi-channel data interleaved sample by sample
    interleaved = np.stack(channels, axis=-1).reshape(voltage.shape[0], -1)
    pyabf.abfWriter.writeABF1(
        interleaved, str(path), sampleRateHz=sampling_rate * n_channels, units=voltage_units
    )

    with open(path, "rb") as handle:
        written = handle.read()
    old_start, new_start = 4 * 512, 12 * 512
    header = bytearray(written[:old_start]) + bytearray(new_start - old_start)
    data = written[old_start:]
    struct.pack_into("i", header, _DATA_SECTION_PTR, new_start // 512)
    struct.pack_into("h", header, _N_ADC_CHANNELS, n_channels)
    struct.pack_into("16h", header, _ADC_P_TO_L_MAP, *range(16))
    sequence = list(range(n_channels)) + [0] * (16 - n_channels)
    struct.pack_into("16h", header, _ADC_SAMPLING_SEQ, *sequence)
    for i, (unit, name) in enumerate(zip(units, names, strict=True)):
        header[_ADC_UNITS + 8 * i : _ADC_UNITS + 8 * i + 8] = _text(unit, 8)
        header[_ADC_CHANNEL_NAME + 10 * i : _ADC_CHANNEL_NAME + 10 * i + 10] = _text(name, 10)
    header[_DAC_CHANNEL_UNIT : _DAC_CHANNEL_UNIT + 8] = _text(command_units, 8)
    header[_DAC_CHANNEL_NAME : _DAC_CHANNEL_NAME + 10] = _text("Cmd 0", 10)
    if epochs:
        if len(epochs) > 10:
            raise ValueError("ABF1 holds at most 10 epochs per command channel.")
        types = [1] * len(epochs) + [0] * (20 - len(epochs))
        levels = [float(e[0]) for e in epochs] + [0.0] * (20 - len(epochs))
        increments = [float(e[1]) for e in epochs] + [0.0] * (20 - len(epochs))
        durations = [int(e[2]) for e in epochs] + [0] * (20 - len(epochs))
        struct.pack_into("2h", header, _WAVEFORM_ENABLE, 1, 0)
        struct.pack_into("2h", header, _WAVEFORM_SOURCE, 1, 0)
        struct.pack_into("2h", header, _INTER_EPISODE_LEVEL, 0, 0)
        struct.pack_into("20h", header, _EPOCH_TYPE, *types)
        struct.pack_into("20f", header, _EPOCH_INIT_LEVEL, *levels)
        struct.pack_into("20f", header, _EPOCH_LEVEL_INC, *increments)
        struct.pack_into("20i", header, _EPOCH_INIT_DURATION, *durations)
        struct.pack_into("20i", header, _EPOCH_DURATION_INC, *[0] * 20)
    with open(path, "wb") as handle:
        handle.write(bytes(header) + data)


def step_protocol(n_sweeps, n_samples, *, first, increment, onset, width):
    """Command current (pA) of a step series, as pyABF will play it.

    ``onset`` and ``width`` are in samples, counted from the start of the
    sweep. Returns an array (n_sweeps, n_samples).
    """
    command = np.zeros((n_sweeps, n_samples))
    for s in range(n_sweeps):
        command[s, onset : onset + width] = first + increment * s
    return command
