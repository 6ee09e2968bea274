"""What the demo seeding of each app shares: the generator and the records made so far."""

import datetime
import random
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoContext:
    """Handed from app to app by `seed_demo`; each app's `demo.seed(ctx)` reads and extends it."""

    rng: random.Random
    scale: float
    today: datetime.date
    region: Any = None
    municipalities: list[Any] = field(default_factory=list)
    schools: list[Any] = field(default_factory=list)
    center: Any = None
    teachers: list[Any] = field(default_factory=list)
    staff: list[Any] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.log.append(line)
