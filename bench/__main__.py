"""`make bench`: the load benchmark (with the Moodle comparison) and the generation benchmark."""

from __future__ import annotations

import importlib.util
import sys

from bench import load


def main() -> int:
    status = load.main(["--compare-moodle", *sys.argv[1:]])
    if importlib.util.find_spec("bench.generation") is not None:
        import bench.generation

        status = status or bench.generation.main([])
    return status


if __name__ == "__main__":
    sys.exit(main())
