"""`python -m parindex`: the parindex command, as `parindex watch` starts it for each run."""
from parindex.cli import cli

if __name__ == "__main__":
    cli(prog_name="parindex")
