"""Property tests on every parser entry point and on rendering: no crash, no hang, valid output.
The long run (10,000 inputs per target) is `python tests/fuzzing.py 10000`."""

from __future__ import annotations

import pytest

from fuzzing import TARGETS, run


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_no_crash_no_hang_valid_output(name: str):
    assert run(name, 150) > 0
