# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 2: A first neuron
#
# In Lesson 1 synapses produced currents. Now something has to *listen*:
# a membrane that charges up when current flows in and relaxes back to rest
# when it stops. That membrane is an electrical circuit of a capacitor and a
# resistor, and in this lesson you build it, then build the machine that
# runs it: a small neuron simulator, written by you, one class at a time.
# Words in the course's [glossary](../glossary.md) are linked the first
# time they appear.
#
# **What you will understand about neurons**
#
# - why a patch of membrane behaves like a capacitor and a resistor (an RC
#   circuit), and what its time constant, input resistance and steady state
#   mean for how a neuron responds to input;
# - how a cell's size and shape set its capacitance and leak, and when
#   treating a whole neuron as one point is a fair approximation (and when,
#   as for our cell, only a rough one);
# - why the membrane smooths fast input away (a low-pass filter), and how one
#   synaptic event moves a neuron by about half a millivolt.
#
# **Programming goals**
#
# - classes that keep their own state (**encapsulation**): a neuron with a
#   `step` method, a simulator with a clock, inputs with a `current` method;
# - a correct time axis (no duplicated $t = 0$, no overshooting float steps)
#   and a simulation you can continue without repeating a point;
# - the forward Euler method: its error, which shrinks in proportion to
#   $\Delta t$, and its instability for $\Delta t > 2\tau$.
#
# **Time.** Core path about 105 minutes (sections 1–7 and the summary), plus
# about 30 minutes for the optional low-pass section and the challenge. The
# estimates assume you read every cell, type
# the exercises yourself (each 5–15 lines) and run each cell once; they are
# estimates from the amount of work, not timings of a class.
# **Prerequisites:** Lesson 1 (synapses and their presets); Python
# functions, loops and lists. No previous experience with classes is
# needed: section 3 explains all you need. No circuits either: section 1
# explains the three laws it uses.

# %% [markdown]
# ## Units and imports

# %% [markdown] tags=["notes"]
# (2 min) Add pF and GOhm to lesson 1's units: the table shows that they fit
# without conversion factors.

# %% [markdown]
# As in Lesson 1: time in **ms**, voltage in **mV**, current in **pA**,
# conductance in **nS**, and now also capacitance in **pF** and resistance
# in **GΩ** (0.1 GΩ = 100 MΩ). They fit together without conversion
# factors:
#
# | expression | units | result |
# | --- | --- | --- |
# | $g\,(E - V)$ | nS × mV | pA |
# | $\Delta t\, I / C$ | ms × pA / pF | mV |
# | $\tau = C / g$ | pF / nS | ms |
# | $R\, I = I / g$ | GΩ × pA | mV |

# %%
import numpy as np

from course_utils import neurons, synapses
from course_utils.checks.passive import (
    check_cell_area,
    check_euler_time_step,
    check_neuron_step,
    check_passive_parameters,
    check_simulator,
    check_sine_current,
)
from course_utils.checks.synapses import compare_prediction
from course_utils.parameters import STANDARD_CELL  # 200 pF, 10 nS, -70 mV
from course_utils.plotting import COLORS, describe, label_axes, new_figure, plot_voltage, style
from course_utils.simulator import CurrentInput, PassiveNeuron, Simulator, SynapticInput
from course_utils.widgets import passive_explorer, psp_explorer

# %% [markdown]
# ## 1. The membrane is an RC circuit
#
# *About 15 min; time so far on the core path: 2 min.*

# %% [markdown] tags=["notes"]
# (15 min) Capacitor, leak (resistor plus battery), and the one equation
# they give. Draw the circuit. Explain the three laws in words; derive the
# exponential charging curve and its two numbers, tau and R I.

# %% [markdown]
# The cell membrane is a lipid bilayer about 4 nm thick: an insulator
# between two salt solutions. That is a **capacitor**: two conductors
# separated by an insulator, which stores charge. To change the voltage
# across it by $\Delta V$ you must move a charge $C\,\Delta V$ onto it, so
# a current $I_C = C\,dV/dt$ flows "into" the capacitor while $V$ changes.
#
# A few ion channels are always open, so current also *leaks* through the
# membrane. Think of the leak as a **resistor** (conductance $g_L = 1/R$)
# **in series with a battery** of voltage $E_L$: the battery sets the
# voltage at which no leak current flows (the leak's
# [reversal potential](../glossary.md#reversal-potential), as in lesson 1),
# and the resistor sets how much current flows per mV
# away from it, $g_L(E_L - V)$. This is **Ohm's law**: the current through a
# resistor is proportional to the voltage across it, $I = V/R = g\,V$.
#
# An injected current $I$ (from an electrode, or a synapse) either charges
# the capacitor or leaks out: charge is neither created nor lost, so the
# currents flowing into a point of a circuit add up to the currents
# flowing out (**Kirchhoff's current law**, conservation of charge):
#
# $$C\,\frac{dV}{dt} = g_L\,(E_L - V) + I.$$
#
# Currents are counted positive **into** the cell. Below $E_L$ the leak
# current is positive and pushes $V$ up; above $E_L$ it pushes $V$ down:
# the leak always pulls the voltage back to rest.
#
# For a constant current switched on at $t = 0$ with $V(0) = E_L$, the
# solution is
#
# $$V(t) = E_L + R\,I\,\bigl(1 - e^{-t/\tau}\bigr), \qquad
# \tau = \frac{C}{g_L} = R\,C, \qquad R = \frac{1}{g_L}.$$
#
# The voltage approaches the **steady state** $E_L + R I$: once $V$ stops
# changing, no current charges the capacitor ($C\,dV/dt = 0$), all of $I$
# flows through the leak, and Ohm's law gives $V - E_L = R I$. It covers
# $1 - 1/e \approx 63\%$ of the way in one **membrane time constant**
# $\tau$. This RC picture of the membrane goes back to Lapicque (1907) and
# underlies every model of this course; it captures how a neuron integrates
# input below its firing [threshold](../glossary.md#threshold), and nothing of the spike itself.

# %% [markdown]
# ### Specific membrane properties
#
# Every square centimetre of membrane has about the same capacitance,
# $c_m \approx 1\ \mu\text{F/cm}^2$ (a property of the lipid bilayer), and
# a **specific membrane resistance** $r_m$ of roughly
# $10$–$50\ \text{k}\Omega\,\text{cm}^2$ in cortical neurons (it depends on
# how many channels are open at rest). A cell with membrane area $A$ has
#
# $$C = c_m A, \qquad g_L = \frac{A}{r_m}, \qquad\text{so}\qquad
# \tau = \frac{C}{g_L} = r_m\, c_m, \qquad R_\text{in} = \frac{r_m}{A}.$$
#
# The time constant does not depend on the size of the cell at all; the
# input resistance does: big cells are harder to
# [depolarise](../glossary.md#depolarise).

# %% [markdown]
# ## 2. From geometry to $C$ and $g_L$
#
# *About 15 min; time so far on the core path: 17 min.*

# %% [markdown] tags=["notes"]
# (15 min) Ball and stick; Rall's equivalent cylinder; why our cell is NOT
# compact (L/lambda ~ 1) and what the point approximation costs. Exercises
# 2.1 and 2.2 (10 min together): the unit conversions are
# where students slip.

# %% [markdown]
# Our model cell is a **ball and stick**: a spherical soma (the cell body),
# 20 µm across, and its whole dendritic tree (the branches that receive
# most synapses) lumped into one equivalent cylinder, 4 µm wide and 1500 µm
# long. Lumping is **Rall's trick**: Wilfrid Rall showed (1959–1962) that a
# tree whose branches meet a "3/2 power" rule of diameters behaves, seen
# from the soma, like one cylinder.
#
# We then treat the whole membrane as one compartment at one voltage, a
# **point neuron**. That is exact only for an **electrotonically compact**
# cell: one that is short compared with its **length constant**
# $\lambda = \sqrt{r_m d / (4 r_i)}$, the distance over which a steady
# voltage along a thin cable falls to $1/e$ ($r_i$ is the resistivity of the
# cytoplasm inside, about 100 Ω cm). For our dendrite ($d$ = 4 µm,
# $r_m$ = 20 kΩ cm²) $\lambda \approx$ 1.4 mm, so $L/\lambda \approx 1.1$:
# **not** compact. A synapse at the far tip would reach the soma attenuated
# and delayed, which a point neuron cannot show. So the point neuron is a
# rough approximation for this cell: right for the total $C$ and $g_L$ and
# for slow inputs, wrong for where on the dendrite an input lands. The
# course uses it because it is the model the rest of the course builds on,
# and because for spike timing it often does well (lesson 5 tests it on a
# real recording).
#
# - a sphere of diameter $d$ has surface $4\pi r^2 = \pi d^2$;
# - a cylinder of diameter $d$ and length $L$ has a side of
#   $2\pi r L = \pi d L$. The dendrite is joined to the soma at one end, so
#   it has no cap there; its sealed far tip is a disc of only
#   $\pi d^2/4$ = 13 µm², 0.05% of the total: include it or not, as you
#   think right.
#
# ### Exercise 2.1: membrane area
#
# Write `cell_area(soma_diameter, dendrite_length, dendrite_diameter)`:
# the total membrane area in µm² (all lengths in µm).

# %% tags=["exercise"] minutes=5
def cell_area(soma_diameter, dendrite_length, dendrite_diameter):
    """Membrane area (um^2) of a spherical soma plus the side of one cylindrical dendrite."""
    # soma = ...
    # dendrite = ...
    ...


# %% tags=["solution"]
def cell_area(soma_diameter, dendrite_length, dendrite_diameter):
    """Membrane area (um^2) of a spherical soma plus the side of one cylindrical dendrite."""
    soma = np.pi * soma_diameter**2  # 4 pi r^2
    dendrite = np.pi * dendrite_diameter * dendrite_length  # 2 pi r L
    return soma + dendrite


# %% tags=["check"]
check_cell_area(cell_area)

# %% [markdown]
# ### Exercise 2.2: capacitance and leak conductance
#
# Write `passive_parameters(area, specific_capacitance, specific_membrane_resistance)`
# that returns `(C, g_L)` in (pF, nS) for an area in µm², $c_m$ in µF/cm²
# and $r_m$ in kΩ cm². Convert step by step:
#
# - 1 µm = $10^{-4}$ cm, so 1 µm² = $10^{-8}$ cm²;
# - $C$ [µF] $= c_m\,A$ [cm²], and 1 µF = $10^{6}$ pF;
# - $r_m$ [Ω cm²] = $10^{3}\, r_m$ [kΩ cm²]; $g_L$ [S] $= A$ [cm²] / $r_m$ [Ω cm²],
#   and 1 S = $10^{9}$ nS.

# %% tags=["exercise"] minutes=5
def passive_parameters(area, specific_capacitance=1.0, specific_membrane_resistance=20.0):
    """(C in pF, g_L in nS) of `area` um^2 with c_m in uF/cm^2 and r_m in kOhm cm^2."""
    # area_cm2 = ...
    # capacitance = ...    (pF)
    # conductance = ...    (nS)
    ...


# %% tags=["solution"]
def passive_parameters(area, specific_capacitance=1.0, specific_membrane_resistance=20.0):
    """(C in pF, g_L in nS) of `area` um^2 with c_m in uF/cm^2 and r_m in kOhm cm^2."""
    area_cm2 = area * 1e-8  # um^2 -> cm^2
    capacitance = specific_capacitance * area_cm2 * 1e6  # uF -> pF
    resistance = specific_membrane_resistance * 1e3  # kOhm cm^2 -> Ohm cm^2
    conductance = area_cm2 / resistance * 1e9  # S -> nS
    return capacitance, conductance


# %% tags=["check"]
check_passive_parameters(passive_parameters)

# %% [markdown]
# Our cell, and for comparison a soma without dendrites:

# %%
length_constant = np.sqrt(20e3 * 4e-4 / (4 * 100.0)) * 1e4  # um: sqrt(r_m d / 4 r_i)
print(f"length constant of the dendrite: {length_constant:.0f} um, "
      f"L / lambda = {1500.0 / length_constant:.2f}")
for label, area in [
    ("ball and stick", cell_area_in_use(20.0, 1500.0, 4.0)),
    ("soma only", cell_area_in_use(20.0, 1e-9, 4.0)),
]:
    capacitance, conductance = passive_parameters_in_use(area)
    print(f"{label:>15}: A = {area:7.0f} um^2, C = {capacitance:6.1f} pF, "
          f"g_L = {conductance:5.2f} nS, tau = {capacitance / conductance:4.1f} ms, "
          f"R_in = {1000 / conductance:6.0f} MOhm")

# %% [markdown]
# The ball and stick has about 200 pF and 10 nS: $\tau$ = 20 ms and
# $R_\text{in}$ = 100 MΩ, typical whole-cell values of a cortical pyramidal
# neuron. We round them and use **C = 200 pF, g_L = 10 nS, E_L = −70 mV**
# as the course's standard cell from now on.
#
# ### Think
#
# You double every length of the cell (soma diameter, dendrite length and
# diameter). What happens to $C$, $g_L$, $\tau$ and $R_\text{in}$? And to
# the voltage change caused by a 10 pA current?

# %% [markdown] tags=["answer"]
# **Answer.** Areas scale with length squared, so $A$, $C$ and $g_L$ all
# grow 4×. $\tau = C/g_L = r_m c_m$ stays at 20 ms. $R_\text{in} = r_m/A$
# drops to a quarter (25 MΩ), so 10 pA moves the bigger cell by only
# 0.25 mV instead of 1 mV. Large neurons need more synaptic current for the
# same depolarisation, but respond on the same time scale.

# %% [markdown]
# ## 3. A neuron as an object
#
# *About 15 min; time so far on the core path: 32 min.*

# %% [markdown] tags=["notes"]
# (15 min) Classes in five lines: blueprint, __init__, self, methods. Then
# forward Euler and exercise 2.3 (10 min): only the step method is missing.

# %% [markdown]
# A neuron has **parameters** ($C$, $g_L$, $E_L$), a **state** (its
# voltage now) and **behaviour** (how the state changes in one time step).
# A Python **class** keeps the three together:
#
# ```python
# class MyNeuron:                     # the blueprint
#     def __init__(self, name):       # runs when you create a neuron
#         self.name = name            # self is this particular neuron
#         self.voltage = -70.0
#     def step(self, time, dt):       # a method: behaviour
#         ...
# first = MyNeuron("first")           # an object (an instance) of the class
# second = MyNeuron("second")         # another one, with its own voltage
# ```
#
# Each object carries its own data, and the code that changes that data
# lives next to it: **encapsulation**. The rest of the program just calls
# `neuron.step(time, dt)` and never needs to know how the neuron works.
#
# ### One Euler step
#
# A computer cannot solve $dV/dt = f(V)$ continuously; it moves forward in
# small steps $\Delta t$. The simplest rule, **forward Euler** (Leonhard
# Euler, 1768), takes the slope at the start of the step:
#
# $$V(t + \Delta t) = V(t) + \frac{\Delta t}{C}\,\bigl[g_L\,(E_L - V(t)) + I(t)\bigr].$$

# %% [markdown]
# ### Exercise 2.3: the neuron's `step`
#
# Everything except `step` is written for you. Fill in `step(self, time, dt)`
# so that it updates `self.voltage` by one Euler step. Use
# `self.input_current(time)` for the sum of all input currents (pA).

# %% tags=["exercise"] minutes=10
class MyNeuron:
    """A passive point neuron: C dV/dt = g_L (E_L - V) + I_inputs."""

    def __init__(self, name="neuron", *, membrane_capacitance=200.0, leak_conductance=10.0,
                 leak_reversal=-70.0, initial_voltage=None):
        self.name = name
        self.membrane_capacitance = membrane_capacitance  # pF
        self.leak_conductance = leak_conductance  # nS
        self.leak_reversal = leak_reversal  # mV
        if initial_voltage is None:
            initial_voltage = leak_reversal
        self.initial_voltage = initial_voltage  # mV
        self.voltage = initial_voltage  # mV: the state, changed only by step() and reset()
        self.inputs = []

    def add_input(self, source):
        """Attach an input: any object with a method current(time, voltage) -> pA."""
        self.inputs.append(source)
        return source

    def input_current(self, time):
        """Sum of the input currents (pA) at `time` (ms)."""
        return sum(source.current(time, self.voltage) for source in self.inputs)

    def reset(self):
        """Back to the initial voltage (the simulator calls this before every run)."""
        self.voltage = self.initial_voltage

    def step(self, time, dt):
        """Advance the voltage from `time` to `time + dt` (ms) with one Euler step."""
        # leak = ...     (pA, positive into the cell)
        # self.voltage = ...
        ...


# %% tags=["solution"]
class MyNeuron:
    """A passive point neuron: C dV/dt = g_L (E_L - V) + I_inputs."""

    def __init__(self, name="neuron", *, membrane_capacitance=200.0, leak_conductance=10.0,
                 leak_reversal=-70.0, initial_voltage=None):
        self.name = name
        self.membrane_capacitance = membrane_capacitance  # pF
        self.leak_conductance = leak_conductance  # nS
        self.leak_reversal = leak_reversal  # mV
        if initial_voltage is None:
            initial_voltage = leak_reversal
        self.initial_voltage = initial_voltage  # mV
        self.voltage = initial_voltage  # mV: the state, changed only by step() and reset()
        self.inputs = []

    def add_input(self, source):
        """Attach an input: any object with a method current(time, voltage) -> pA."""
        self.inputs.append(source)
        return source

    def input_current(self, time):
        """Sum of the input currents (pA) at `time` (ms)."""
        return sum(source.current(time, self.voltage) for source in self.inputs)

    def reset(self):
        """Back to the initial voltage (the simulator calls this before every run)."""
        self.voltage = self.initial_voltage

    def step(self, time, dt):
        """Advance the voltage from `time` to `time + dt` (ms) with one Euler step."""
        leak = self.leak_conductance * (self.leak_reversal - self.voltage)  # pA
        total = leak + self.input_current(time)  # pA
        self.voltage = self.voltage + dt / self.membrane_capacitance * total  # ms * pA / pF = mV


# %% tags=["check"]
check_neuron_step(MyNeuron)

# %% [markdown]
# Step a neuron by hand with a 100 pA current (`CurrentInput` is an input
# class from `course_utils`; you will write your own in Exercise 2.5). Each
# step of 0.1 ms adds $\Delta t\,I/C$ = 0.05 mV, minus a growing leak:

# %%
first = MyNeuron_in_use("first")
first.add_input(CurrentInput(amplitude=100.0))  # pA, from t = 0 on
dt = 0.1  # ms
for k in range(4):
    print(f"t = {k * dt:.1f} ms: V = {first.voltage:.5f} mV")
    first.step(k * dt, dt)

# %% [markdown]
# ## 4. A simulator is an ordinary object
#
# *About 20 min; time so far on the core path: 47 min.*

# %% [markdown] tags=["notes"]
# (20 min) Spot the bug first (5 min: predict what each experiment prints,
# then run). Then the three rules for time, and exercise 2.4 (15 min).

# %% [markdown]
# Stepping by hand gets old quickly. A **simulator** owns a clock and a
# list of neurons, steps all of them, and records what happened. Before
# writing one, a warning in the form of a puzzle.
#
# ### Spot the bug
#
# Here is a simulator as you might meet it in the wild. It has a default
# list of neurons, so that `BuggySimulator()` works without arguments, and
# it removes a neuron with a duplicate name when a new one is added. Read
# it; everything it uses (a function argument with a default, a loop, a
# list) is plain Python from the prerequisites.

# %%
class BuggySimulator:
    """A simulator with three bugs that run without any error message."""

    def __init__(self, dt=0.1, neurons=[]):  # noqa: B006 - the first bug, on purpose
        self.dt = dt
        self.neurons = neurons
        self.time = 0.0

    def add(self, neuron):
        for other in self.neurons:
            if other.name == neuron.name:
                sim.neurons.remove(other)  # noqa: F821 - a global name, the second bug
        self.neurons.append(neuron)


# %% [markdown] tags=["predict"]
# **Predict before you run.** (1) A lab makes a simulator and adds neuron
# "a"; somewhere else, someone makes their own `BuggySimulator(dt=0.5)`.
# How many neurons does that new simulator hold? (2) What happens when the
# lab adds a second neuron called "a"? (3) The loop at the end removes every
# "a" from `["a", "a", "b"]`; what is left? Write your answer to (1) below.

# %%
predicted_neurons_in_new_simulator = None  # a whole number

# %%
lab = BuggySimulator(dt=0.1)
lab.add(MyNeuron_in_use("a"))
analysis = BuggySimulator(dt=0.5)  # somewhere else, someone "makes their own"
print("1. the new simulator holds", len(analysis.neurons), "neuron(s):",
      [neuron.name for neuron in analysis.neurons],
      "| same list as the lab's?", analysis.neurons is lab.neurons)
compare_prediction("neurons in the new simulator", predicted_neurons_in_new_simulator,
                   len(analysis.neurons), tolerance=0.0)

try:
    lab.add(MyNeuron_in_use("a"))
except NameError as error:
    print("2. NameError:", error)

names = ["a", "a", "b"]
for name in names:
    if name == "a":
        names.remove(name)  # changes the list the loop is walking through
print("3. after removing every 'a':", names)

# %% [markdown]
# ### Spot the bug: what went wrong
#
# 1. **A shared default.** The default list `neurons=[]` is made *once*,
#    when Python reads the `def`, not at every call. Every simulator created
#    without its own list shares that one list: the "new" simulator already
#    holds the lab's neuron, and whatever one adds, the other sees. Hidden
#    shared state makes one part of a program break another far away. Write
#    `neurons=None` and `self.neurons = [] if neurons is None else neurons`.
# 2. **Global name lookup.** `sim` inside the method is not `self`: it
#    works only if the program happens to name its simulator `sim`.
# 3. **Mutating a list while iterating over it.** Removing an element
#    shifts the next one into its slot, and the loop skips it: one `"a"`
#    survives. Build a new list instead (`[n for n in names if n != "a"]`).
#
# The fix is simpler code: a simulator is an **ordinary object**. Each one
# owns its neurons, its clock and its recordings, created fresh in
# `__init__`; two simulators are two independent experiments; methods use
# `self`, never a global name; and adding the same neuron twice is an error
# you are told about.
#
# ### Getting time right
#
# Three rules, and the traps they avoid:
#
# - A run of duration $T$ has $n$ = `round(T / dt)` steps. Float steps
#   overshoot: `np.arange(0, 100 + 0.3, 0.3)` has 335 points, up to
#   100.2 ms, and `int(0.7 / 0.1)` is 6 because `0.7 / 0.1` is
#   `6.999999999999999`.
# - At the **start** of every step record the time and each neuron's
#   voltage, then step. So sample 0 is the initial voltage at $t = 0$, and
#   $t = 0$ appears exactly once.
# - Compute the time as `steps_done * dt` rather than adding `dt` again
#   and again, and let `continue_for` carry on from the current state: the
#   last recorded sample is the start of the last step, so the next call
#   starts one step later and never repeats the boundary.

# %%
print(len(np.arange(0, 100 + 0.3, 0.3)), "points from np.arange, last",
      np.arange(0, 100 + 0.3, 0.3)[-1], "| round(100 / 0.3) =", round(100 / 0.3),
      "| int(0.7 / 0.1) =", int(0.7 / 0.1))

# %% [markdown]
# ### Exercise 2.4: the run loop
#
# Write `continue_for(self, duration)`, which runs `round(duration / dt)`
# more steps following the rules above, and `run(self, duration)`, which
# starts from scratch (`self.reset()`) and then continues for `duration`.

# %% tags=["exercise"] minutes=15
class MySimulator:
    """Steps its neurons forward in time and records their voltages."""

    def __init__(self, dt=0.1):
        self.dt = dt  # ms
        self.neurons = []
        self.steps_done = 0  # the clock
        self.recorded_time = []  # ms, one entry per step
        self.voltage_traces = []  # one list of voltages (mV) per neuron

    @property
    def time(self):
        """The current time in ms."""
        return self.steps_done * self.dt

    def add(self, neuron):
        self.neurons.append(neuron)
        self.voltage_traces.append([])
        return neuron

    def recorded_voltage(self, neuron):
        return np.array(self.voltage_traces[self.neurons.index(neuron)])

    def reset(self):
        """Back to t = 0 with empty recordings and every neuron reset."""
        self.steps_done = 0
        self.recorded_time = []
        self.voltage_traces = [[] for _ in self.neurons]
        for neuron in self.neurons:
            neuron.reset()

    def continue_for(self, duration):
        """Run round(duration / dt) more steps, recording at the start of each."""
        # for each step: record the time and every neuron's voltage,
        # then step every neuron, then advance the clock
        ...

    def run(self, duration):
        """A fresh run of `duration` ms."""
        ...


# %% tags=["solution"]
class MySimulator:
    """Steps its neurons forward in time and records their voltages."""

    def __init__(self, dt=0.1):
        self.dt = dt  # ms
        self.neurons = []
        self.steps_done = 0  # the clock
        self.recorded_time = []  # ms, one entry per step
        self.voltage_traces = []  # one list of voltages (mV) per neuron

    @property
    def time(self):
        """The current time in ms."""
        return self.steps_done * self.dt

    def add(self, neuron):
        self.neurons.append(neuron)
        self.voltage_traces.append([])
        return neuron

    def recorded_voltage(self, neuron):
        return np.array(self.voltage_traces[self.neurons.index(neuron)])

    def reset(self):
        """Back to t = 0 with empty recordings and every neuron reset."""
        self.steps_done = 0
        self.recorded_time = []
        self.voltage_traces = [[] for _ in self.neurons]
        for neuron in self.neurons:
            neuron.reset()

    def continue_for(self, duration):
        """Run round(duration / dt) more steps, recording at the start of each."""
        for _ in range(round(duration / self.dt)):
            time = self.time
            self.recorded_time.append(time)
            for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                trace.append(neuron.voltage)
            for neuron in self.neurons:
                neuron.step(time, self.dt)
            self.steps_done += 1

    def run(self, duration):
        """A fresh run of `duration` ms."""
        self.reset()
        self.continue_for(duration)


# %% tags=["check"]
check_simulator(MySimulator)

# %% [markdown]
# ### Your simulator, your neuron
#
# A 100 pA step from 20 to 120 ms, run in two pieces to show that
# `continue_for` joins them seamlessly. The exact solution is drawn on top.

# %% [markdown] tags=["predict"]
# **Predict before you run.** The standard cell (200 pF, 10 nS, −70 mV)
# gets 100 pA for 100 ms. Where will the voltage end up just before the
# current stops (in mV), and how long after the onset is it 63% of the way
# there?

# %%
predicted_final_voltage = None  # mV, just before the current stops at 120 ms
predicted_time_to_63_percent = None  # ms after the onset

# %%
my_simulator = MySimulator_in_use(dt=0.1)
mine = my_simulator.add(MyNeuron_in_use("mine"))
mine.add_input(CurrentInput(amplitude=100.0, start=20.0, stop=120.0))
my_simulator.run(100.0)
my_simulator.continue_for(100.0)

time = np.array(my_simulator.recorded_time)
voltage = my_simulator.recorded_voltage(mine)
cell = dict(STANDARD_CELL)  # the standard cell: 200 pF, 10 nS, -70 mV
exact = (neurons.passive_step_response(time, amplitude=100.0, onset=20.0, **cell)
         - neurons.passive_step_response(time, amplitude=100.0, onset=120.0, **cell) - 70.0)
tau = 200.0 / 10.0  # ms

figure, ax = new_figure()
plot_voltage(ax, time, voltage, **style("model"), label="my simulator (Euler)")
ax.plot(time, exact, **style("reference"), lw=2.5, label="exact")
ax.axvline(20.0 + tau, color=COLORS["accent"], ls="-.", lw=1.0)
ax.axhline(-70.0 + 10.0 * (1 - np.exp(-1)), color=COLORS["accent"], ls="-.", lw=1.0,
           label="63% after one tau (20 ms)")
ax.axvline(100.0, color="black", lw=0.5)
ax.text(101.0, -69.5, "continue_for", fontsize=9)
ax.legend(loc="upper right")
label_axes(ax, "time (ms)", "membrane potential (mV)", "A 100 pA step, run in two pieces")
print(f"{time.size} samples, t = {time[0]:g} ... {time[-1]:.1f} ms, "
      f"no repeats: {np.all(np.diff(time) > 0)}; "
      f"largest difference from exact: {np.abs(voltage - exact).max():.4f} mV")
describe(figure, "The voltage rises from -70 mV at the 20 ms onset towards -60 mV, "
         "passing 63% of the way (the dash-dotted cross) at 40 ms, and relaxes back after "
         "120 ms; the simulated and exact curves overlap, with no step at the continue_for "
         "mark at 100 ms.")
reached = voltage[time < 120.0][-1]
compare_prediction("depolarisation before the current stops, V + 70 (mV)",
                   None if predicted_final_voltage is None else predicted_final_voltage + 70.0,
                   reached + 70.0, tolerance=0.1)
compare_prediction("time to 63% (ms)", predicted_time_to_63_percent, tau, tolerance=0.15)

# %% [markdown]
# ### The course's version
#
# `course_utils.simulator` holds the same classes, `PassiveNeuron`,
# `Simulator`, `CurrentInput` and `SynapticInput`, written the same way but
# with friendly error messages (and tested against the exact solution and
# against Brian2). From here on we use them. For example:

# %%
for mistake in (lambda: Simulator(dt=-0.1), lambda: Simulator().add(PassiveNeuron)):
    try:
        mistake()
    except (TypeError, ValueError) as error:
        print(f"{type(error).__name__}: {error}")

# %% [markdown]
# ## 5. How big may $\Delta t$ be?
#
# *About 15 min; time so far on the core path: 67 min.*

# %% [markdown] tags=["notes"]
# (15 min) Euler's error is first order; the instability beyond 2 tau. Ask
# for the prediction about dt = 3 and 5 ms before the figure. The Think
# question links tau to synaptic conductance.

# %% [markdown]
# Over one step the exact solution shrinks the distance to the steady state
# by $e^{-\Delta t/\tau}$; Euler shrinks it by $1 - \Delta t/\tau$, the first
# two terms of the same series. The error per step is of order
# $(\Delta t/\tau)^2$, there are $T/\Delta t$ steps, so the error at the end
# is of order $\Delta t$: forward Euler is a **first-order** method. For the
# charging curve the largest error works out as
# $R I\,\Delta t / (2 e \tau)$. Halve $\Delta t$, halve the error.

# %%
def charging_error(dt, amplitude=100.0, duration=100.0):
    """Largest |Euler - exact| (mV) for a current step from t = 0 on the standard cell."""
    simulator = Simulator(dt=dt)
    neuron = simulator.add(PassiveNeuron())
    neuron.add_input(CurrentInput(amplitude))
    simulator.run(duration)
    exact = neurons.passive_step_response(simulator.recorded_time, amplitude=amplitude,
                                          **STANDARD_CELL)
    return np.abs(simulator.recorded_voltage(neuron) - exact).max()


steps = np.array([0.01, 0.03, 0.1, 0.3, 1.0, 3.0])  # ms
errors = np.array([charging_error(dt) for dt in steps])
predicted = 0.1 * 100.0 * steps / (2 * np.e * 20.0)  # R I dt / (2 e tau)
print("  dt (ms)   max error (mV)   error / dt   R I dt / (2 e tau)")
for dt, error, guess in zip(steps, errors, predicted, strict=True):
    print(f"{dt:8.2f} {error:16.5f} {error / dt:12.4f} {guess:18.5f}")

figure, ax = new_figure(figsize=(5.0, 3.4))
ax.loglog(steps, errors, **style("model", markers=True), label="forward Euler")
ax.loglog(steps, errors[0] * steps / steps[0], **style("reference"),
          label="slope 1 (error ∝ dt)")
ax.legend()
label_axes(ax, "time step dt (ms)", "largest error (mV)", "Euler is first order")
slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
print(f"fitted slope: {slope:.2f}")
describe(figure, "Log-log plot of Euler's largest error against the time step: the "
         "circles lie on the dotted line of slope 1, from about 0.001 mV at 0.01 ms to "
         "0.3 mV at 3 ms.")

# %% [markdown]
# ### When Euler explodes
#
# Without input, each Euler step multiplies the distance to rest by
# $1 - \Delta t/\tau$. For $\Delta t < \tau$ that factor is between 0 and
# 1: a smooth decay. For $\tau < \Delta t < 2\tau$ it is negative but
# smaller than 1 in size: the voltage overshoots and oscillates, but
# settles. For $\Delta t > 2\tau$ it is below −1: every step overshoots
# more than the last, and the simulation **blows up**. Below, a fast cell
# ($C$ = 20 pF, $g_L$ = 10 nS, so $\tau$ = 2 ms) starts 10 mV above rest.

# %% [markdown] tags=["predict"]
# **Predict before you run.** With $\tau$ = 2 ms, what is Euler's factor
# per step at $\Delta t$ = 5 ms, and how far from rest (in mV, with its
# sign) is the voltage after the first step?

# %%
predicted_after_one_step = None  # mV from rest after one step of 5 ms

# %%
figure, ax = new_figure()
fast_cell = dict(membrane_capacitance=20.0, leak_conductance=10.0, initial_voltage=-60.0)
fine = np.linspace(0.0, 40.0, 401)
ax.plot(fine, -70.0 + 10.0 * np.exp(-fine / 2.0), color=COLORS["data"], lw=3, label="exact")
for dt, meaning in [(1.0, "model"), (3.0, "reference"), (5.0, "excitatory")]:
    simulator = Simulator(dt=dt)
    neuron = simulator.add(PassiveNeuron(**fast_cell))
    simulator.run(40.0)
    ax.plot(simulator.recorded_time, simulator.recorded_voltage(neuron), ms=5,
            **style(meaning, markers=True),
            label=f"dt = {dt:g} ms (factor {1 - dt / 2.0:+.1f} per step)")
ax.set_ylim(-95.0, -45.0)
ax.legend(loc="lower right")
label_axes(ax, "time (ms)", "membrane potential (mV)", "tau = 2 ms: stable only for dt < 4 ms")
after_one_step = simulator.recorded_voltage(neuron)[1] + 70.0
print(f"dt = 5 ms, after 40 ms: {simulator.recorded_voltage(neuron)[-1] + 70:+.0f} mV from "
      f"rest (exact: {10 * np.exp(-40 / 2):.1e} mV)")
describe(figure, "A fast cell relaxing from 10 mV above rest: the thick grey exact curve "
         "and dt = 1 ms (circles) decay smoothly; dt = 3 ms (diamonds) overshoots below "
         "rest and oscillates but settles; dt = 5 ms (triangles) flips sign every step "
         "with a growing amplitude and leaves the plot.")
compare_prediction("mV from rest after one 5 ms step", predicted_after_one_step,
                   after_one_step, tolerance=0.1)

# %% [markdown]
# With $\tau$ = 20 ms and $\Delta t$ = 0.1 ms we are far from trouble. But
# $\tau$ is not fixed: see the Think question.
#
# ### Think
#
# A neuron in an active network receives so much synaptic input that its
# total conductance is 10× its leak conductance. What happens to its
# effective time constant, and what does that mean for the time step?

# %% [markdown] tags=["answer"]
# **Answer.** Every open conductance acts like more leak:
# $C\,dV/dt = -(g_L + g_\text{syn})\,V + \dots$, so the effective time
# constant is $C/(g_L + g_\text{syn})$, here 2 ms instead of 20 ms (a
# "high-conductance state"). At the same $\Delta t$, Euler's error
# *relative to the response* grows 10× (it is about $\Delta t/(2e\tau)$ of
# the size of the response); the response itself is 10× smaller (the input
# resistance fell 10×), so the error in mV stays about the same. And Euler
# becomes unstable already at $\Delta t$ = 4 ms. The time
# step must be small compared with the *fastest* time constant in the
# model, not the resting one (or use an exponential integrator, which Lesson 4
# compares with Euler in Brian2).

# %% [markdown]
# ## 6. Inputs: currents and synapses
#
# *About 12 min; time so far on the core path: 82 min.*

# %% [markdown] tags=["notes"]
# (12 min, plus 8 optional) Any object with current(time, voltage) is an
# input. Exercise 2.5 (5 min), the optional low-pass filter (predict the
# 50 Hz amplitude first), then one excitatory and one inhibitory event, and a barrage whose
# mean the lesson-1 formula predicts.

# %% [markdown]
# For the neuron, an input is anything with a method
# `current(time, voltage)` that returns pA. The neuron does not care what
# is behind it. That is why it could take `CurrentInput` before you ever
# wrote it, and why it will take the class you write now.
#
# ### Exercise 2.5: a sine-wave current
#
# Write `SineCurrent(amplitude, frequency, offset=0.0)` whose
# `current(time, voltage)` returns
# $I(t) = I_\text{offset} + I_\text{amp}\sin(2\pi f t)$ in pA. The
# frequency is in Hz and the time in ms: $f t$ counts cycles only after
# dividing by 1000.

# %% tags=["exercise"] minutes=5
class SineCurrent:
    """A sinusoidal injected current (pA), like a function generator on the electrode."""

    def __init__(self, amplitude, frequency, offset=0.0):
        self.amplitude = amplitude  # pA
        self.frequency = frequency  # Hz
        self.offset = offset  # pA

    def current(self, time, voltage):
        """Current in pA at `time` (ms); an electrode does not care about the voltage."""
        ...


# %% tags=["solution"]
class SineCurrent:
    """A sinusoidal injected current (pA), like a function generator on the electrode."""

    def __init__(self, amplitude, frequency, offset=0.0):
        self.amplitude = amplitude  # pA
        self.frequency = frequency  # Hz
        self.offset = offset  # pA

    def current(self, time, voltage):
        """Current in pA at `time` (ms); an electrode does not care about the voltage."""
        cycles = self.frequency * time / 1000.0  # Hz * ms / 1000
        return self.offset + self.amplitude * np.sin(2 * np.pi * cycles)


# %% tags=["check"]
check_sine_current(SineCurrent)

# %% [markdown] tags=["optional"]
# ### Optional (8 min): the membrane is a low-pass filter
#
# Drive the standard cell with 50 pA sine waves of different frequencies.
# The capacitor needs time to charge, so fast wiggles are smoothed away.
# For an RC circuit the voltage amplitude is
# $R I_\text{amp} / \sqrt{1 + (2\pi f \tau)^2}$ (with $f\tau$ in cycles:
# $f$ in Hz × $\tau$ in ms / 1000).

# %% [markdown] tags=["predict"]
# **Predict before you run.** A slow 50 pA sine (2 Hz) moves the standard
# cell by almost $R I$ = 5 mV up and down. How large is the swing (the
# amplitude, in mV) at 50 Hz?

# %%
predicted_amplitude_at_50_hz = None  # mV

# %%
frequencies = [2.0, 5.0, 10.0, 20.0, 50.0, 100.0]  # Hz
figure, ax = new_figure()
label_axes(ax, "time (ms)", "membrane potential (mV)", "50 pA sine waves")
amplitudes = {}
print(" f (Hz)   amplitude (mV)   RC prediction (mV)")
for frequency in frequencies:
    simulator = Simulator(dt=0.1)
    neuron = simulator.add(PassiveNeuron())
    neuron.add_input(SineCurrent_in_use(amplitude=50.0, frequency=frequency))
    simulator.run(1000.0)
    time, voltage = simulator.recorded_time, simulator.recorded_voltage(neuron)
    settled = voltage[time >= 500.0]  # after the start-up transient (25 tau)
    amplitude = (settled.max() - settled.min()) / 2
    amplitudes[frequency] = amplitude
    theory = 0.1 * 50.0 / np.sqrt(1 + (2 * np.pi * frequency * 20.0 / 1000.0) ** 2)
    print(f"{frequency:7.0f} {amplitude:16.3f} {theory:20.3f}")
    if frequency in (5.0, 50.0):
        line = {"linestyle": "-"} if frequency == 5.0 else {"linestyle": "--"}
        ax.plot(time, voltage, **{**style("model" if frequency == 5.0 else "excitatory"), **line},
                label=f"{frequency:g} Hz")
ax.set_xlim(0.0, 400.0)
ax.legend(loc="upper right")
print("the membrane passes slow input and filters out fast input")
describe(figure, "Two voltage traces driven by 50 pA sine currents: at 5 Hz (solid) the "
         "voltage swings about 4 mV up and down around rest; at 50 Hz (dashed) it "
         "swings less than 1 mV.")
compare_prediction("amplitude at 50 Hz (mV)", predicted_amplitude_at_50_hz,
                   amplitudes[50.0], tolerance=0.2)

# %% [markdown]
# ### Synaptic input
#
# `SynapticInput(spike_times, preset)` is an input with a state of its own:
# the conductance of Lesson 1. It jumps by $g_\text{max}$ at each
# presynaptic spike and decays with the preset's time constant, and its
# current is $g\,(E_\text{rev} - V)$. Because it has a state, the neuron
# also calls its `advance(time, dt)` at the end of every step (the course's
# `PassiveNeuron.step` does this). A spike during $[t, t + \Delta t)$ is
# felt from $t + \Delta t$ on, as in Brian2: one step later than in lesson
# 1's `conductance_ode`, because the neuron's step from $t$ has already used
# the conductance at $t$ (section 3 of lesson 1 says why). Like lesson 1's
# simulations it uses the plain exponential AMPA kernel; lesson 3 uses the
# dual exponential (a response about 12% larger, 0.63 mV).
#
# The voltage change that one synaptic event causes in the receiving cell
# is a **postsynaptic potential**: an **EPSP** (excitatory postsynaptic
# potential) when it depolarises the cell, an **IPSP** (inhibitory
# postsynaptic potential) when it **hyperpolarises** it (moves it to more
# negative values) or holds it back. One AMPA and one GABA$_A$ event, on a
# cell at rest (−70 mV) and on one held at about −55 mV by a 150 pA
# current:

# %%
figure, ax = new_figure()
label_axes(ax, "time (ms)", "V - V(0) (mV)", "AMPA at 20 ms, GABA_A at 120 ms")
for label, holding, meaning in [("at rest", 0.0, "model"), ("held near -55 mV", 150.0, "accent")]:
    simulator = Simulator(dt=0.1)
    neuron = simulator.add(PassiveNeuron(initial_voltage=-70.0 + 0.1 * holding))
    neuron.add_input(CurrentInput(holding))
    neuron.add_input(SynapticInput([20.0], synapses.AMPA))
    neuron.add_input(SynapticInput([120.0], synapses.GABA_A))
    simulator.run(220.0)
    time, voltage = simulator.recorded_time, simulator.recorded_voltage(neuron)
    change = voltage - voltage[0]
    ax.plot(time, change, **style(meaning), label=label)
    epsp, ipsp = change[time < 100.0].max(), change[time >= 100.0].min()
    print(f"{label:>17}: EPSP {epsp:+.2f} mV at {time[change.argmax()]:.1f} ms, "
          f"IPSP {ipsp:+.2f} mV")
ax.axhline(0.0, color="black", lw=0.5)
ax.legend()
for voltage_now in (-70.0, -55.0):
    print(f"driving force E_rev - V at {voltage_now:g} mV: AMPA "
          f"{synapses.AMPA.reversal_potential - voltage_now:+.0f} mV, GABA_A "
          f"{synapses.GABA_A.reversal_potential - voltage_now:+.0f} mV")
describe(figure, "Voltage change after one AMPA event at 20 ms and one GABA_A event at "
         "120 ms: the EPSP is a bump of about half a millivolt in both cells; the IPSP is "
         "a barely visible dip at rest (solid) and a clear dip of about 0.5 mV in the cell "
         "held near -55 mV (dash-dotted).")

# %% [markdown]
# One AMPA event moves the cell by about half a millivolt, peaking ~9 ms
# after the spike: a typical unitary EPSP. It takes dozens of coincident
# inputs to move a neuron 15 mV. The GABA$_A$ event barely shows at rest,
# because −70 mV is close to its reversal potential (−75 mV); near −55 mV
# its [driving force](../glossary.md#driving-force) is four times larger (20
# mV instead of 5 mV), and so is
# the IPSP. Also the EPSP shrinks a little there: less driving force for
# AMPA too.

# %% [markdown]
# ### Explore: postsynaptic potentials
#
# The sliders set the potential at which the cell is held, the two peak
# conductances and the GABA$_A$ reversal potential; the line under the
# figure gives the sizes and the driving forces.
#
# 1. Move the holding potential from −85 to −50 mV. Where does the GABA$_A$
#    response vanish, and what does it do on either side?
# 2. How does the EPSP change over the same range, and why much less than
#    the GABA$_A$ response?
# 3. Set the GABA$_A$ reversal potential to −55 mV (immature neurons, lesson
#    1). At rest, is the GABA$_A$ event excitatory or inhibitory?

# %% tags=["explorer"]
psp_explorer()

# %% [markdown] tags=["answer"]
# **Answers.** 1. It vanishes at its reversal potential (−75 mV by default):
# below, the GABA$_A$ event depolarises; above, it hyperpolarises, more the
# further the cell is from −75 mV. 2. The EPSP shrinks in proportion to its
# driving force, $0 - V$: from 85 to 50 mV, by 40%; the GABA$_A$ driving
# force changes from −10 to +25 mV, i.e. sign and size. 3. At rest it
# depolarises the cell (a positive response): alone it excites, though it
# can never take the cell above −55 mV.

# %% [markdown]
# ### A barrage of input
#
# 200 excitatory synapses at 5 Hz and 50 inhibitory ones at 10 Hz. The
# conductance equation is linear, so all synapses of one type add up to
# one `SynapticInput` fed with all their spikes (Lesson 1).

# %%
rng = np.random.default_rng(7)
duration = 500.0  # ms
excitatory = np.sort(np.concatenate(synapses.poisson_population(200, 5.0, duration, rng)))
inhibitory = np.sort(np.concatenate(synapses.poisson_population(50, 10.0, duration, rng)))
simulator = Simulator(dt=0.1)
neuron = simulator.add(PassiveNeuron("busy"))
neuron.add_input(SynapticInput(excitatory, synapses.AMPA))
neuron.add_input(SynapticInput(inhibitory, synapses.GABA_A))
simulator.run(duration)
voltage = simulator.recorded_voltage(neuron)

# Lesson 1: mean conductance = (spikes per ms) * g_max * tau for each type.
g_exc = 200 * 5.0 / 1000 * synapses.AMPA.peak_conductance * synapses.AMPA.decay_time
g_inh = 50 * 10.0 / 1000 * synapses.GABA_A.peak_conductance * synapses.GABA_A.decay_time
balance = (10.0 * -70.0 + g_exc * 0.0 + g_inh * -75.0) / (10.0 + g_exc + g_inh)

figure, ax = new_figure()
plot_voltage(ax, simulator.recorded_time, voltage, **style("model"), lw=1.0,
             label="simulated")
ax.axhline(-70.0, color="black", lw=0.5)
ax.axhline(balance, **style("reference"), lw=2.5, label=f"predicted mean, {balance:.2f} mV")
ax.legend(loc="upper right")
label_axes(ax, "time (ms)", "membrane potential (mV)",
           f"{excitatory.size} excitatory and {inhibitory.size} inhibitory input spikes")
settled = voltage[simulator.recorded_time >= 100.0]
print(f"after 100 ms: mean V = {settled.mean():.2f} mV, sd = {settled.std():.2f} mV")
print(f"mean conductances {g_exc:.1f} nS (AMPA), {g_inh:.1f} nS (GABA_A): "
      f"V settles near (sum of g E) / (sum of g) = {balance:.2f} mV")
describe(figure, f"The membrane potential starts at rest, -70 mV (thin line), rises within "
         f"about 30 ms and then fluctuates irregularly around the dotted predicted mean "
         f"of {balance:.1f} mV.")

# %% [markdown]
# The voltage settles where the three currents balance: the conductances
# pull it towards their reversal potentials, each in proportion to its
# size. The total conductance, 17.5 nS instead of 10, also shortens the
# effective time constant to 200 / 17.5 ≈ 11 ms (see the Think question
# in section 5).
#
# ## 7. Explore
#
# *About 10 min; time so far on the core path: 94 min.*

# %% [markdown] tags=["notes"]
# (10 min) The explorer: let students answer the three questions in pairs,
# then show the answers. The sliders stop where a passive model stops being
# plausible (steady state between -90 and -40 mV).

# %% [markdown]
# The explorer below injects a current step (50–250 ms) into a passive
# cell and shows the exact response, forward Euler at the chosen time step,
# the steady state, and $\tau$ marked at 63% of the way. The line under the
# figure repeats its numbers.
#
# 1. Double $C$ (200 → 400 pF). What changes, and what stays the same?
# 2. Double $g_L$ (10 → 20 nS) instead. Why does the curve change in *two*
#    ways?
# 3. Make the cell fast ($C$ = 50 pF, $g_L$ = 50 nS) and raise $\Delta t$.
#    At which $\Delta t$ does Euler start to oscillate, and at which does it
#    blow up?

# %% tags=["explorer"]
passive_explorer()

# %% [markdown] tags=["answer"]
# **Answers.** 1. $\tau = C/g_L$ doubles to 40 ms: the curve is slower, but
# the steady state $E_L + I/g_L$ does not depend on $C$, so it ends at the
# same level. 2. $\tau$ halves (faster) *and* $R = 1/g_L$ halves, so the
# steady-state depolarisation $R I$ halves too. 3. $\tau$ = 1 ms: Euler's
# factor $1 - \Delta t/\tau$ turns negative above $\Delta t$ = 1 ms (the
# dots overshoot and oscillate) and falls below −1 above 2 ms (each step
# overshoots more: "UNSTABLE").

# %% [markdown]
# ### Think
#
# A recorded neuron (Lesson 5) has $R_\text{in} \approx$ 115 MΩ and
# $\tau \approx$ 41 ms. Assuming $c_m$ = 1 µF/cm², what are its capacitance,
# its membrane area and its specific membrane resistance? Is that a
# plausible cell?

# %% [markdown] tags=["answer"]
# **Answer.** $C = \tau / R$ = 41 ms / 0.115 GΩ ≈ 357 pF. With
# $c_m$ = 1 µF/cm² = $10^6$ pF/cm², $A = C / c_m \approx 3.6\times10^{-4}$
# cm² ≈ 36,000 µm² (a bit under twice our ball and stick). And
# $r_m = \tau / c_m$ = 41 ms / (1 µF/cm²) = 41 kΩ cm²: inside the usual
# 10–50 kΩ cm² range. A plausible, fairly large neuron with few channels
# open at rest. (Real cells are not compact points, so the "area" seen by
# a somatic electrode is an effective one.)

# %% [markdown] tags=["optional"]
# ## Challenge (optional, 20 min): how small must $\Delta t$ be?

# %% [markdown] tags=["notes"]
# (20 min) A goal and a check, no recipe: students may reason from the
# error formula or experiment with the simulator; the formula alone lands
# just above 1%, so the check rewards testing the answer.

# %% [markdown]
# A fast cell, $C$ = 100 pF and $g_L$ = 25 nS, is charged from rest by
# 100 pA (switched on at $t = 0$) for 40 ms. Find the **largest** time step
# $\Delta t$ (ms) for which forward Euler's largest error stays below 1% of
# the response $R I$. The check accepts any $\Delta t$ that meets the 1%
# goal and is within 20% of the largest one. You may reason, experiment
# with `Simulator` and `neurons.passive_step_response`, or both.

# %% tags=["exercise"] minutes=20
dt_for_one_percent = ...  # ms


# %% tags=["solution"]
def largest_relative_error(dt):
    """Largest |Euler - exact| / (R I) for the challenge cell, by simulation."""
    cell = dict(membrane_capacitance=100.0, leak_conductance=25.0, leak_reversal=-70.0)
    simulator = Simulator(dt=dt)
    neuron = simulator.add(PassiveNeuron(**cell))
    neuron.add_input(CurrentInput(100.0))
    simulator.run(40.0)
    exact = neurons.passive_step_response(simulator.recorded_time, amplitude=100.0, **cell)
    return np.abs(simulator.recorded_voltage(neuron) - exact).max() / (100.0 / 25.0)


# The error is about R I dt / (2 e tau): 1% for dt = 0.02 e tau. That is a first-order
# estimate, so check it by simulation and shrink dt until the goal is met.
dt_for_one_percent = 0.02 * np.e * 100.0 / 25.0  # ms
while largest_relative_error(dt_for_one_percent) >= 0.01:
    dt_for_one_percent *= 0.99

# %% tags=["check"]
check_euler_time_step(dt_for_one_percent)

# %% [markdown]
# ## Summary

# %% [markdown] tags=["notes"]
# (3 min) Read the summary; the next lesson adds a threshold and a reset.

# %% [markdown]
# - The membrane is an RC circuit: $C\,dV/dt = g_L (E_L - V) + I$, with
#   $\tau = C/g_L = r_m c_m$ (independent of size) and
#   $R_\text{in} = 1/g_L = r_m/A$ (big cells, small $R_\text{in}$).
# - From shape to parameters: $A$ in µm² × $10^{-8}$ = cm²; $C$ = $c_m A$
#   (µF → × $10^6$ pF); $g_L = A / r_m$ (S → × $10^9$ nS). Our cell:
#   200 pF, 10 nS, 20 ms, 100 MΩ. It is not electrotonically compact
#   ($L/\lambda \approx 1$): as a point neuron it is a rough approximation.
# - Classes bundle parameters, state and behaviour (encapsulation). A
#   simulator is an ordinary object: its own lists made in `__init__` (no
#   shared mutable defaults), no global names, no silent resets.
# - Time: `round(T / dt)` steps, record at the start of each step, time =
#   steps × dt, `continue_for` never repeats the boundary.
# - Forward Euler is first order (error ∝ $\Delta t$) and unstable for
#   $\Delta t > 2\tau$, where $\tau$ is the fastest time constant.
# - Inputs are objects with `current(time, voltage)`; one AMPA event gives
#   a ~0.5 mV EPSP; inhibition depends on the driving force.
#
# ## Next: Lesson 3

# %% [markdown] tags=["notes"]
# (1 min) Lesson 3 subclasses PassiveNeuron to add the spike.

# %% [markdown]
# Our neuron integrates and leaks, but never fires. In Lesson 3 you add a
# threshold, a reset and a [refractory period](../glossary.md#refractory-period): the leaky
# integrate-and-fire neuron, written as a **subclass** of `PassiveNeuron`
# that inherits everything you built today.

# %% [markdown]
# ## Further reading

# %% [markdown] tags=["notes"]
# (1 min) Point to the free Neuronal Dynamics chapters and the Neuromatch
# tutorial for students who want more.

# %% [markdown]
# - W. Gerstner, W. M. Kistler, R. Naud, L. Paninski, *Neuronal Dynamics*
#   (2014), free online: chapter 1.3, the passive membrane and the leaky
#   integrate-and-fire model (https://neuronaldynamics.epfl.ch/online/Ch1.S3.html),
#   and chapter 3.2, spatial structure: the dendritic tree and the cable
#   equation (https://neuronaldynamics.epfl.ch/online/Ch3.S2.html).
# - P. Dayan, L. F. Abbott, *Theoretical Neuroscience* (2001), chapters 5.2
#   (the membrane as an RC circuit) and 6.3 (cable theory, the length
#   constant).
# - W. Rall (1959), Branching dendritic trees and motoneuron membrane
#   resistivity, *Experimental Neurology* 1:491–527 (the equivalent
#   cylinder).
# - L. Lapicque (1907), Recherches quantitatives sur l'excitation électrique
#   des nerfs traitée comme une polarisation, *J. Physiol. Pathol. Gén.*
#   9:620–635; English commentary: N. Brunel, M. C. W. van Rossum (2007),
#   *Biological Cybernetics* 97:337–339.
# - Brian2 documentation, models and equations:
#   https://brian2.readthedocs.io/en/stable/user/models.html
# - Neuromatch Academy, Computational Neuroscience, W2D3 tutorial 1 (the
#   LIF neuron, built on this passive membrane):
# https://compneuro.neuromatch.io/tutorials/W2D3_BiologicalNeuronModels/student/W2D3_Tutorial1.html
