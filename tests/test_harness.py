"""The test harness itself: a missing Debian binary skips its tests outside CI and fails them
in CI, and servers report the port the system gave them."""

import pytest

from tests.servers import require


def test_a_missing_binary_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-binary is not installed"):
        require("no-such-binary", "apt-get install nothing")


def test_a_missing_binary_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must have it"):
        require("no-such-binary", "apt-get install nothing")


def test_a_present_binary_is_found() -> None:
    assert require("sh", "")  # every Debian has it
