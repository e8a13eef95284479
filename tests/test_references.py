"""The build's renaming of reference solutions (authoring/references.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "authoring"))
import references  # noqa: E402


def run(source: str, namespace=None) -> dict:
    namespace = {} if namespace is None else namespace
    exec(compile(source, "<cell>", "exec"), namespace)  # noqa: S102 - test of generated code
    return namespace


def test_top_level_names_get_the_suffix_and_the_student_keeps_theirs():
    solution = (
        "import numpy as np\n"
        "scale = 2.0  # a comment stays\n"
        "def double(x, scale=1.0):\n"
        "    return scale * x * 2\n"
        "def twice(x):\n"
        "    return double(x) * scale\n"
    )
    names = references.bound_names(solution)
    assert names == ["scale", "double", "twice"]
    renamed = references.rename(solution, set(names))
    assert "# a comment stays" in renamed
    namespace = run("def double(x):\n    return 'mine'\n")
    run(renamed, namespace)
    assert namespace["double"](3) == "mine"  # the student's function is untouched
    assert namespace["double_reference"](3) == 6  # local parameter `scale` unchanged
    assert namespace["twice_reference"](3) == 12


def test_references_chain_to_earlier_references_not_to_the_student():
    first = "class Neuron:\n    def step(self):\n        return 'reference'\n"
    second = (
        "class LIF(Neuron):\n    threshold = -50.0\n"
        "    def fire(self):\n        return self.step()\n"
    )
    namespace = run("class Neuron:\n    def step(self):\n        return 'student'\n")
    run(references.rename(first, {"Neuron"}), namespace)
    run(references.rename(second, {"Neuron", "LIF"}), namespace)
    assert namespace["LIF_reference"]().fire() == "reference"
    assert namespace["LIF_reference"].threshold == -50.0


def test_keywords_attributes_comprehensions_are_left_alone():
    source = (
        "duration = 10\n"
        "result = dict(duration=duration)\n"
        "values = [duration for duration in range(3)]\n"
        "f = lambda duration: duration + 1\n"
    )
    renamed = references.rename(source, {"duration", "result", "values", "f"})
    namespace = run(renamed)
    assert namespace["result_reference"] == {"duration": 10}
    assert namespace["values_reference"] == [0, 1, 2]
    assert namespace["f_reference"](1) == 2


def test_choosing_check_for_student_and_solution():
    student = references.choosing_check("check_x((a, b))\n", ["a", "b"], student=True)
    assert student == (
        "feedback = check_x((a, b))\n"
        "a_in_use, b_in_use = feedback.choose((a_reference, b_reference))\n"
    )
    solution = references.choosing_check("check_x(a)\n", ["a"], student=False)
    assert solution == "feedback = check_x(a, strict=True)\na_in_use = feedback.choose(a)\n"


def test_names_inside_f_strings_are_renamed_too():
    renamed = references.rename("x = 1\nlabel = f'{x} and {x!r:>3}'\n", {"x", "label"})
    assert run(renamed)["label_reference"] == "1 and   1"
