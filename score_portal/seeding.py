"""Demo data: each app contributes seed steps in its ``seed.py``; ``seed_demo`` runs them in
the order of INSTALLED_APPS (lowest layer first). Every step must be idempotent."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

SCALES = {
    # partners, enterprises per partner (roughly), trainers, workshops
    "small": {"extra_partners": 2, "enterprises": 120, "trainers": 40, "workshops": 40},
    "large": {"extra_partners": 18, "enterprises": 10_000, "trainers": 500, "workshops": 2_000},
}


@dataclass
class SeedContext:
    scale: str
    stdout: object
    rng: random.Random = field(default_factory=lambda: random.Random(2009))  # noqa: S311
    shared: dict = field(default_factory=dict)

    @property
    def size(self) -> dict:
        return SCALES[self.scale]

    def log(self, message: str) -> None:
        self.stdout.write(message)


_steps: list[tuple[str, Callable[[SeedContext], None]]] = []


def seed_step(func: Callable[[SeedContext], None]):
    _steps.append((func.__module__.split(".")[0], func))
    return func


def steps_in_layer_order() -> list[Callable[[SeedContext], None]]:
    from django.apps import apps

    order = {config.name: index for index, config in enumerate(apps.get_app_configs())}
    return [func for _, func in sorted(_steps, key=lambda item: order.get(item[0], 999))]
