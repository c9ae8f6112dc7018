"""The adapters a service's subscribers call, known only once its stores are connected.

Subscribers are registered when the app is built, so the broker documents them (AsyncAPI)
without connecting anywhere; the lifespan connects the stores and fills the slot before the
broker starts. Tests hand the same registration a plain `lambda: fakes` instead.
"""

from typing import Generic, TypeVar

_Adapters = TypeVar("_Adapters")


class AdapterSlot(Generic[_Adapters]):
    def __init__(self) -> None:
        self._adapters: _Adapters | None = None

    def fill(self, adapters: _Adapters) -> None:
        self._adapters = adapters

    def __call__(self) -> _Adapters:
        if self._adapters is None:
            raise RuntimeError("a subscriber ran before the app connected its stores")
        return self._adapters
