"""What every demo step receives: the scale, a seeded random generator, and what earlier steps
share with later ones (``shared``). Every step must be idempotent."""

import random
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
