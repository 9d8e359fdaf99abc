"""Running the command line in-process, as a person would type it, for the CLI tests."""

from __future__ import annotations

from pathlib import Path

from aim3desk import cli


def run(capsys, folder: Path, *args: str) -> tuple[int, str, str]:
    """`aim3desk --profile FOLDER ARGS...`: (exit code, stdout, stderr); never a traceback."""
    capsys.readouterr()
    code = cli.main(["--profile", str(folder), *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err
