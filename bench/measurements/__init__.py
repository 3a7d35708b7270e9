"""The registry of named measurements, in the order ``run.py`` runs them.

To add one (``food_search``, ``trends_tab``, ``report``...): write ``measurements/NAME.py``
with a ``run(ctx: Context) -> MeasurementResult`` function and a module-level
``MEASUREMENT = Measurement(name=..., title=..., run=run)``, then list it below.
``run.py --only NAME`` picks it, ``--list`` shows them all.
"""

from __future__ import annotations

from core import Measurement
from measurements import food_search, startup

REGISTRY: dict[str, Measurement] = {
    m.name: m for m in (startup.MEASUREMENT, food_search.MEASUREMENT)
}
