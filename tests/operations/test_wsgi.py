"""The web process freezes what it keeps for good once warm (tierdesk.wsgi)."""

from __future__ import annotations

import gc

import pytest

from tierdesk import wsgi


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


class Held:
    """An object the served application keeps, to find among the frozen ones."""


def test_the_served_application_freezes_after_warm_up():
    assert isinstance(wsgi.application, wsgi.FreezeAfterWarmUp)
    assert wsgi.application.remaining == wsgi.WARM_UP_REQUESTS


def test_objects_are_frozen_before_the_request_after_warm_up_and_never_again(unfrozen):
    held: list[list[Held]] = []

    def application(environ, start_response):
        # What a request leaves behind for good (a cache entry, say), and a cycle it drops.
        held.append([Held()])
        cycle: list = []
        cycle.append(cycle)
        start_response("200 OK", [])
        return [environ["PATH_INFO"].encode()]

    served = wsgi.FreezeAfterWarmUp(application, warm_up=3)
    for number in range(3):
        assert served({"PATH_INFO": f"/{number}"}, lambda *_: None) == [f"/{number}".encode()]
        assert gc.get_freeze_count() == 0

    served({"PATH_INFO": "/3"}, lambda *_: None)
    frozen = gc.get_freeze_count()
    assert frozen > 0
    tracked = {id(obj) for obj in gc.get_objects()}
    # Kept by the warm-up requests: frozen. Made by the request that ran after the freeze: not.
    assert all(id(entry) not in tracked for entry in held[:3])
    assert id(held[3]) in tracked

    served({"PATH_INFO": "/4"}, lambda *_: None)
    assert gc.get_freeze_count() == frozen
