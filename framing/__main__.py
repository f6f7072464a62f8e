"""``python -m framing``: the same command line as the ``framing`` script."""
from framing.cli import main

if __name__ == "__main__":  # pragma: no cover - run as a program
    main(prog_name="framing")
