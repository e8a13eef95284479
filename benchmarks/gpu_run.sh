#!/usr/bin/env bash
# The device run behind lesson 6's measured numbers (see benchmarks/scaling_devices.py).
# Expects brian2 2.10.1 and brian2cuda 1.0b1 wheels in .whl/ and writes to $OUT.
# On 2026-11-28 (one H200, 16 cores) the cpp_standalone line gave
# benchmarks/scaling_h200_2026-11-28.jsonl; both CUDA runs failed to compile because
# the synapses had their own dt ("identifier defaultclock is undefined"), which
# course_utils.scaling has avoided since; no GPU was lent for a second run.
set -x
export PYTHONUNBUFFERED=1
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD
# brian2cuda 1.0b1's makefile says -std=c++11; CUDA 13's headers need C++17.
sed -i 's/-std=c++11/-std=c++17/' /tmp/site/brian2cuda/templates/makefile
export PATH=/usr/local/cuda/bin:$PATH
nvidia-smi -L; nvcc --version | tail -2; nproc
python3 -c "import brian2, numpy; print('brian2', brian2.__version__, 'numpy', numpy.__version__)"
B="python3 benchmarks/scaling_devices.py --directory /tmp/builds --json $OUT/results.jsonl --std c++17"
$B cuda_standalone 400000 --duration 1000 2>&1 | tee $OUT/cuda_400k.log
$B cpp_standalone 400000 --duration 1000 --threads 16 2>&1 | tee $OUT/cpp_400k.log
$B cuda_standalone 2000000 --duration 1000 2>&1 | tee $OUT/cuda_2M.log
du -sh /tmp/builds/*/results
