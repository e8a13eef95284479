"""First Neuron course utilities.

A small scientific library that the lesson notebooks import, so that no
helper is copy-pasted between notebooks.

Unit system
-----------
Every function in ``course_utils`` takes and returns numbers in **one**
coherent unit system, chosen so that the physiological numbers of a
cortical point neuron are of order one:

==============  =====  ==========================================
quantity        unit   why it is coherent
==============  =====  ==========================================
time            ms
voltage         mV
current         pA     nS * mV = pA
conductance     nS
capacitance     pF     pA / pF = mV / ms
resistance      GOhm   mV / pA = GOhm (0.1 GOhm = 100 MOhm)
rate            Hz     spikes per second (1 / s, not 1 / ms)
length          um
==============  =====  ==========================================

So ``g * (V - E)`` with g in nS and V in mV is a current in pA, and
``dt * I / C`` with dt in ms, I in pA and C in pF is a voltage step in mV:
no conversion factors are ever needed inside a model. Rates are the one
exception people expect: they are reported in Hz, and every function that
converts ms to Hz says so. ``tests/test_units.py`` checks this table
against Brian2's unit system.

Modules
-------
excitability  the Venus flytrap's leaky memory and the RC membrane (lesson 0)
diagrams  a branching neuron, the RC circuit and its water tank, drawn by code
synapses  spike trains, conductance kernels, synaptic currents, presets
inputs    injected current waveforms on a time grid
simulator the object-oriented teaching simulator of lessons 2 and 3
neurons   vectorised passive, LIF and AdEx solvers and analytic references
mystery   a LIF neuron with hidden parameters (lesson 3's inverse problem)
networks  excitatory-inhibitory networks and spike-timing-dependent plasticity
brian     the same models built in Brian2, returning plain arrays
analysis  spike detection, rates, ISIs, f-I curves
data      loading current-clamp recordings (ABF)
fitting   fitting models to recordings
plotting  one figure style for the course
checks    exercise checkers with feedback
widgets   interactive explorers (ipywidgets + matplotlib)
scaling   one network on Brian2's runtime, C++ and CUDA devices, timed (lesson 6)
"""

__version__ = "0.1.0"

UNITS = {
    "time": "ms",
    "voltage": "mV",
    "current": "pA",
    "conductance": "nS",
    "capacitance": "pF",
    "resistance": "GOhm",
    "rate": "Hz",
    "length": "um",
}
"""The course's unit system, by quantity (see the module docstring)."""

__all__ = ["UNITS", "__version__"]
