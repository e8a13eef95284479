"""Time the COBA network of course_utils.scaling on one Brian2 device at several sizes.

Usage (from the repository root)::

    python benchmarks/scaling_devices.py cpp_standalone 4000 40000 --threads 2
    python benchmarks/scaling_devices.py cuda_standalone 400000 2000000 --duration 1000

Prints one JSON line per run (wall-clock times in s, see
``course_utils.scaling.ScalingResult``) and, for standalone devices, the
program's own messages (brian2cuda reports how long creating and preparing
each synapse group took). The numbers quoted in lesson 6 come from this
script.
"""

import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_utils.scaling import DEVICES, run_coba  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("device", choices=DEVICES)
    parser.add_argument("sizes", type=int, nargs="+", help="numbers of neurons")
    parser.add_argument("--duration", type=float, default=1000.0, help="simulated ms")
    parser.add_argument("--threads", type=int, default=1, help="OpenMP threads (C++ only)")
    parser.add_argument("--directory", default="standalone_builds",
                        help="standalone programs are built in DIRECTORY/<device>_<size>")
    parser.add_argument("--json", help="also append the results to this file")
    parser.add_argument("--std", help="C++ standard for the host compiler, e.g. c++17 "
                        "(brian2cuda's code needs it with CUDA 13; Brian2 says c++11)")
    args = parser.parse_args(argv)
    if args.std:
        from brian2 import prefs

        flags = prefs.codegen.cpp.extra_compile_args_gcc
        prefs.codegen.cpp.extra_compile_args_gcc = [
            f"-std={args.std}" if flag.startswith("-std=") else flag for flag in flags]
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} {platform.node()} python "
          f"{platform.python_version()}", flush=True)
    for size in args.sizes:
        directory = Path(args.directory) / f"{args.device}_{size}"
        result = run_coba(size, args.duration, device=args.device, threads=args.threads,
                          directory=None if args.device == "runtime" else directory)
        line = json.dumps(result.as_dict())
        print(line, flush=True)
        if args.json:
            with open(args.json, "a") as handle:
                handle.write(line + "\n")
        results = directory / "results"
        if results.exists():
            written = sum(f.stat().st_size for f in results.iterdir() if f.is_file())
            print(f"# the program wrote {written / 1e6:.1f} MB of arrays to {results}")
            print((results / "stdout.txt").read_text(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
