"""Bad and degenerate input, class by class (issue 20).

The fuzz test (tests/test_fuzz.py) sweeps the whole API; these tests pin
down each class of fix with the exact inputs a student might try:

- valid degenerate inputs are accepted (one-step grids, numpy integers,
  a soma-only cell, zero sodium conductance);
- oversized runs, trains, populations and figures are refused at once,
  before allocating, with the size they would need;
- messages name the argument the student passed;
- spike times are checked the same way everywhere;
- nothing returns NaN silently.
"""

import tracemalloc

import numpy as np
import pytest

from course_utils import brian, inputs, networks, neurons, plotting, simulator, synapses, widgets
from course_utils.parameters import STANDARD_CELL

RNG = np.random.default_rng


# --------------------------------------------------------------------------
# Valid degenerate inputs are accepted
# --------------------------------------------------------------------------


def test_a_one_step_grid_is_accepted_downstream():
    grid = inputs.time_grid(0.1, 0.1)
    assert grid.tolist() == [0.0]
    # A spike at t = 0 is in the one step: the exponential conductance jumps to g_max.
    g = synapses.conductance_numerical(grid, [0.0], 2.0, 5.0, dt=0.1)
    assert g.tolist() == [2.0]
    # Without dt too, as long as no spike needs the step's length to be placed.
    assert synapses.conductance_numerical(grid, [0.0], 2.0, 5.0).tolist() == [2.0]
    assert synapses.conductance_numerical(grid, [], 2.0, 5.0, shape="alpha").tolist() == [0.0]
    with pytest.raises(ValueError, match="spike after it .* pass dt"):
        synapses.conductance_numerical(grid, [0.05], 2.0, 5.0)
    noise = inputs.white_noise_current(grid, 10.0, 0.0, RNG(0), dt=0.1)
    assert noise.tolist() == [10.0]
    ou = inputs.ornstein_uhlenbeck_current(grid, 10.0, 0.0, 5.0, RNG(0))
    assert ou.tolist() == [10.0]
    result = neurons.simulate_lif(duration=0.1, dt=0.1, **STANDARD_CELL)
    assert result.voltage.shape == (1, 1) and result.voltage[0, 0] == -70.0


def test_a_given_dt_must_match_the_grid():
    with pytest.raises(ValueError, match=r"dt \(0.2 ms\) differs from the step of time"):
        synapses.conductance_numerical(inputs.time_grid(1.0, 0.1), [], 1.0, 5.0, dt=0.2)


def test_numpy_integer_scalars_count_like_ints():
    trains = synapses.poisson_population(np.int64(3), 10.0, 100.0, RNG(0))
    assert len(trains) == 3
    time = inputs.time_grid(100.0, 0.1)
    pulses = inputs.pulse_train(time, 1.0, 10.0, 1.0, 10.0, np.int64(2))
    assert pulses.sum() == pytest.approx(20.0)  # two pulses of 10 samples
    assert synapses.spike_counts_on_grid([0.05], np.int64(3), 0.1).tolist() == [1, 0, 0]


def test_tetrodotoxin_zero_sodium_conductance_gives_no_spikes():
    ttx = brian.HodgkinHuxleyParameters(sodium_conductance=0.0)
    result = brian.run_brian_hh(duration=30.0, bias_current=500.0, parameters=ttx)
    assert result.spike_times[0].size == 0
    # Without sodium the membrane only charges passively: no overshoot above 0 mV.
    assert result.voltage.max() < 0.0


def test_a_soma_only_cell_has_the_area_of_its_soma():
    area = simulator.ball_and_stick_area(soma_diameter=20.0, dendrite_length=0.0)
    assert area == pytest.approx(np.pi * 20.0**2)


def test_a_one_valued_slider_is_allowed():
    control = widgets.slider(0, 0, 0, 1, "sweep", integer=True)
    assert control.value == 0


# --------------------------------------------------------------------------
# The size guard refuses at once, with the size it would need
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "needed"),
    [
        (lambda: inputs.time_grid(1e12, 1.0), r"1e\+12 time steps \(8e\+03 GB"),
        (lambda: inputs.number_of_steps(1e300, 1e-9), "inf time steps"),
        (lambda: neurons.simulate_lif(duration=1e11, dt=0.1, **STANDARD_CELL),
         r"1e\+12 time steps"),
        (lambda: synapses.poisson_spike_train(1e9, 1e9, RNG(0)), r"1e\+15 spikes"),
        (lambda: synapses.regular_spike_train(1e9, 1e9), r"1e\+15 spikes"),
        (lambda: synapses.poisson_population(10**5, 1e6, 1e6, RNG(0)), r"1e\+14 spikes"),
        (lambda: networks.random_connections(10**6, 0.1, RNG(0)), r"1e\+12 random draws"),
        (lambda: networks.correlated_spike_trains(10, 10.0, 1e-12, 1000.0, RNG(0)),
         "rate / correlation"),
        # Within the budget of compiled loops (2e7 steps), beyond that of Python ones (1e7).
        (lambda: neurons.simulate_lif(duration=2e6, dt=0.1, backend="numpy", **STANDARD_CELL),
         r"2e\+07 time steps.*or backend='numba'"),
        (lambda: brian.run_brian_lif(duration=2e6, dt=0.1, **STANDARD_CELL),
         r"A Brian2 run .* 2e\+07 time steps"),
        (lambda: simulator.Simulator(dt=1e-300), r"dt must be at least 1e-09 ms"),
        (lambda: simulator.Simulator(dt=1e-6).run(1e3), r"1e\+09 time steps"),
        (lambda: networks.simulate_stdp(
            input_spike_trains=[[5.0]], initial_weights=0.5, duration=2e6, dt=0.1,
            potentiation=0.01, depression=0.012, max_weight=1.0), r"steps in Python"),
    ],
)
def test_oversized_work_is_refused_before_it_starts(call, needed):
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=needed):
            call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A refusal, not an attempt: nothing near the size it names was allocated.
    assert peak < 50e6


def test_the_network_size_guard_names_the_population_sizes():
    with pytest.raises(ValueError, match="n_excitatory must be at most"):
        networks.simulate_ei_network(
            duration=10.0, dt=0.1, n_excitatory=10**12, n_inhibitory=2, rng=RNG(0),
            connection_probability=0.1, excitatory_weight=1.0, inhibitory_weight=1.0,
        )


def test_a_huge_figure_is_refused():
    with pytest.raises(ValueError, match="nrows x ncols"):
        plotting.new_figure(nrows=10**12)


def test_pulses_beyond_the_grid_cost_nothing():
    time_ms = inputs.time_grid(100.0, 0.1)
    many = inputs.pulse_train(time_ms, 1.0, 10.0, 1.0, 10.0, 10**12)
    nine = inputs.pulse_train(time_ms, 1.0, 10.0, 1.0, 10.0, 9)
    np.testing.assert_array_equal(many, nine)


# --------------------------------------------------------------------------
# Messages name the argument the student passed
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "named"),
    [
        (lambda: simulator.ball_and_stick_area(soma_diameter=0.0), ValueError, "soma_diameter"),
        (lambda: networks.simulate_ei_network(
            duration=10.0, dt=0.1, n_excitatory=8, n_inhibitory=2, rng=RNG(0),
            connection_probability=0.1, excitatory_weight=1.0, inhibitory_weight=1.0,
            record="voltage"), TypeError, "record must hold neuron indices"),
        (lambda: widgets.lif_explorer(duration=100.0), ValueError,
         "duration must be longer than 100 ms"),
        (lambda: widgets.passive_explorer(stop=np.nan), ValueError, "stop is NaN"),
        (lambda: widgets.brian_lif_explorer(leak_conductance=-1.0), ValueError,
         "leak_conductance"),
        (lambda: neurons.simulate_lif(duration=10.0, dt=0.1, record_voltage=[1, 2],
                                      **STANDARD_CELL), TypeError, "record_voltage"),
        (lambda: neurons.simulate_lif(duration=10.0, dt=0.1, method=np.array([1.0]),
                                      **STANDARD_CELL), TypeError, "method must be one of"),
        (lambda: plotting.style(["model"]), TypeError, "meaning must be one of"),
        (lambda: networks.simulate_stdp(
            input_spike_trains=3, initial_weights=0.5, duration=50.0, dt=0.1,
            potentiation=0.01, depression=0.012, max_weight=1.0), TypeError,
         "input_spike_trains must be a list"),
        (lambda: widgets.slider(np.nan, 0.0, 1.0, 0.1, "x"), ValueError, "value is NaN"),
        (lambda: widgets.slider(0.5, 0.0, 1.0, 0.0, "x"), ValueError, "step must be greater"),
        (lambda: widgets.slider(2.0, 0.0, 1.0, 0.1, "x"), ValueError, "value .* must lie"),
        (lambda: synapses.spike_counts_on_grid([20.0], 3, 0.1), ValueError, r"n_steps \* dt"),
    ],
)
def test_the_message_names_the_argument(call, error, named):
    with pytest.raises(error, match=named):
        call()


def test_a_parameter_in_the_wrong_unit_is_refused_by_its_declared_range():
    # 2e-10 F written as pF: the declared range (0, 1e6] pF catches the slip.
    with pytest.raises(ValueError, match=r"membrane_capacitance \(membrane capacitance C\)"):
        neurons.simulate_lif(duration=10.0, dt=0.1, membrane_capacitance=2e10,
                             leak_conductance=10.0, leak_reversal=-70.0)


# --------------------------------------------------------------------------
# Spike times are validated the same way everywhere
# --------------------------------------------------------------------------


def test_spike_times_before_zero_are_refused_everywhere():
    for call in (
        lambda: brian.spike_steps([-1.0, 5.0], 0.1),
        lambda: synapses.conductance_analytical(np.arange(10.0), [-1.0], 1.0, 5.0),
        lambda: synapses.conductance_numerical(np.arange(10.0), [-1.0], 1.0, 5.0),
        lambda: simulator.SynapticInput([-1.0]),
    ):
        with pytest.raises(ValueError, match="spike_times contains a negative time"):
            call()


def test_spikes_after_the_run_are_refused_by_both_conductance_solvers():
    time_ms = inputs.time_grid(10.0, 0.1)
    with pytest.raises(ValueError, match="after the end of the run"):
        synapses.conductance_numerical(time_ms, [50.0], 1.0, 5.0)
    with pytest.raises(ValueError, match="after the end of the run"):
        synapses.conductance_analytical(time_ms, [50.0], 1.0, 5.0)


def test_a_single_number_is_not_a_spike_train():
    with pytest.raises(TypeError, match="for one spike write"):
        synapses.conductance_analytical(np.arange(10.0), 5.0, 1.0, 5.0)


def test_spike_steps_needs_no_order_but_a_grid():
    np.testing.assert_array_equal(brian.spike_steps([5.0, 1.0], 0.1), [50, 10])


# --------------------------------------------------------------------------
# No silent NaN
# --------------------------------------------------------------------------


def test_a_result_built_with_nan_is_refused():
    with pytest.raises(ValueError, match="voltage contains a NaN"):
        neurons.SimulationResult(time=np.arange(3.0), voltage=np.full((1, 3), np.nan),
                                 spike_times=[np.array([])], dt=1.0)
    with pytest.raises(ValueError, match="voltage has shape"):
        neurons.SimulationResult(time=np.arange(3.0), voltage=np.zeros((2, 3)),
                                 spike_times=[np.array([])], dt=1.0)


def test_a_diverging_simulation_says_so_and_names_the_suspects():
    with pytest.raises(ValueError, match="diverged.*adaptation_time_constant"):
        neurons.simulate_adex(
            duration=50.0, dt=0.1, **STANDARD_CELL, slope_factor=2.0, rheobase_threshold=-50.0,
            reset=-58.0, adaptation_coupling=2.0, spike_adaptation=40.0,
            adaptation_time_constant=1e-300, current=300.0,
        )
    with pytest.raises(ValueError, match="diverged.*bias_current"):
        brian.run_brian_hh(duration=5.0, bias_current=-6e193)


def test_presets_and_parameters_validate_on_creation():
    with pytest.raises(ValueError, match="rise_time .* must be shorter than decay_time"):
        synapses.SynapsePreset("x", 0.0, rise_time=5.0, decay_time=1.0, peak_conductance=1.0,
                               source="test")
    with pytest.raises(ValueError, match="decay_time"):
        synapses.SynapsePreset("x", 0.0, rise_time=0.1, decay_time=-1.0, peak_conductance=1.0,
                               source="test")
    with pytest.raises(ValueError, match="leak_conductance is NaN"):
        simulator.PassiveParameters(200.0, np.nan)
    capacitance, conductance = simulator.PassiveParameters(200.0, 10.0)
    assert (capacitance, conductance) == (200.0, 10.0)


# --------------------------------------------------------------------------
# Recordings, analysis and fitting
# --------------------------------------------------------------------------


def _small_recording():
    from course_utils.data import recording_from_arrays

    dt, n_samples = 0.2, 2000
    command = np.zeros((3, n_samples))
    command[:, 250:1250] = [[-40.0], [0.0], [40.0]]
    truth = neurons.simulate_lif(duration=n_samples * dt, dt=dt, current=command,
                                 membrane_capacitance=200.0, leak_conductance=10.0,
                                 leak_reversal=-65.0, threshold=-55.0, reset=-65.0)
    return recording_from_arrays(truth.voltage, dt, command=command)


def test_step_windows_and_sweeps_validate_on_creation():
    from course_utils.data import StepWindow, Sweep

    with pytest.raises(ValueError, match="stop .* must be later than start"):
        StepWindow(250.0, 50.0, 100.0)
    with pytest.raises(ValueError, match="amplitude is NaN"):
        StepWindow(50.0, 250.0, np.nan)
    time_ms = np.arange(0.0, 10.0, 0.1)
    with pytest.raises(ValueError, match="voltage has 99 samples but time has 100"):
        Sweep(0, time_ms, np.zeros(99), np.zeros(100))


def test_a_zero_current_step_has_no_response_to_measure():
    from course_utils.analysis import step_response
    from course_utils.data import StepWindow

    recording = _small_recording()
    sweep = recording.sweeps[1]
    with pytest.raises(ValueError, match="step has amplitude 0 pA"):
        step_response(sweep.time, sweep.voltage, StepWindow(50.0, 250.0, 0.0))
    # The -40 pA step of the same cell: R = 0.1 GOhm, tau = 20 ms, both finite.
    response = step_response(recording.sweeps[0].time, recording.sweeps[0].voltage,
                             StepWindow(50.0, 250.0, -40.0))
    assert response.input_resistance == pytest.approx(0.1, rel=0.02)
    assert response.membrane_time_constant == pytest.approx(20.0, rel=0.05)


def test_a_fit_window_outside_the_trace_is_refused():
    from course_utils.analysis import fit_time_constant

    time_ms = np.arange(0.0, 100.0, 0.1)
    with pytest.raises(ValueError, match="lies outside the trace"):
        fit_time_constant(time_ms, np.exp(-time_ms / 20.0), 500.0, 600.0)


def test_fits_refuse_a_time_step_too_coarse_for_spikes():
    from course_utils.fitting import score_model

    lif = {"membrane_capacitance": 200.0, "leak_conductance": 10.0, "leak_reversal": -65.0,
           "threshold": -55.0, "reset": -65.0, "refractory_period": 2.0}
    with pytest.raises(ValueError, match="dt must be between 0.01 and 1 ms"):
        score_model(_small_recording(), "lif", lif, dt=2.5)
    with pytest.raises(TypeError, match="parameters has keys the model does not take: 'tau'"):
        score_model(_small_recording(), "lif", {"tau": 20.0})


def test_split_sweeps_takes_numpy_integers_and_refuses_bad_offsets():
    from course_utils.fitting import split_sweeps

    recording = _small_recording()
    train, test = split_sweeps(recording, test_every=np.int64(3), offset=np.int64(0))
    assert [s.index for s in test.sweeps] == [0]
    assert [s.index for s in train.sweeps] == [1, 2]
    for offset in (-1, 3, 10**12):
        with pytest.raises(ValueError, match="offset must be at"):
            split_sweeps(recording, test_every=3, offset=offset)


def test_coincidence_factor_checks_its_trains_and_precision():
    from course_utils.fitting import coincidence_factor

    assert coincidence_factor([5.0, 20.0], [20.0, 5.0], (0.0, 50.0)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="data_spikes contains a NaN"):
        coincidence_factor([np.nan], [5.0], (0.0, 50.0))
    with pytest.raises(ValueError, match="data_spikes must be a 1-D array"):
        coincidence_factor([[5.0]], [5.0], (0.0, 50.0))
    with pytest.raises(ValueError, match="delta .* must be shorter than half the window"):
        coincidence_factor([5.0], [5.0], (0.0, 50.0), delta=1e300)
    with pytest.raises(TypeError, match="window must be a"):
        coincidence_factor([5.0], [5.0], None)


# --------------------------------------------------------------------------
# The shared helpers themselves
# --------------------------------------------------------------------------


def test_the_size_guard_states_count_memory_and_limit():
    from course_utils._validation import check_size

    assert check_size("A grid", 1000.0, limit=2000) == 1000
    with pytest.raises(ValueError, match=r"A grid would need 3e\+09 values \(24 GB of memory"):
        check_size("A grid", 3e9, limit=2000)
    with pytest.raises(ValueError, match="would need inf values; the course allows at most 2e"):
        check_size("A grid", np.inf, limit=2000)


def test_choices_and_flags_refuse_other_kinds_by_name():
    from course_utils._validation import as_bool, check_choice

    assert check_choice("method", "euler", ("euler", "rk4")) == "euler"
    with pytest.raises(ValueError, match="method must be one of 'euler', 'rk4', but got 'rk2'"):
        check_choice("method", "rk2", ("euler", "rk4"))
    with pytest.raises(TypeError, match="method must be one of"):
        check_choice("method", np.array(["euler"]), ("euler", "rk4"))
    assert as_bool("record", np.bool_(True)) is True and as_bool("record", 0) is False
    with pytest.raises(TypeError, match="record must be True or False"):
        as_bool("record", "yes")


def test_a_diverged_trace_is_reported_with_its_step_and_suspects():
    from course_utils._validation import check_converged

    check_converged(np.zeros((2, 5)), "dt")  # finite: nothing to say
    check_converged(None, "dt")  # not recorded: nothing to check
    trace = np.zeros((2, 5))
    trace[1, 3] = np.inf
    with pytest.raises(ValueError, match="became NaN or infinite at step 3. Check current or dt"):
        check_converged(trace, "current or dt")
