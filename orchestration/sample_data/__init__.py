"""Deterministic, streaming generator of realistic landing files for every contract entity.

``generate_landing`` writes a history as delta extracts; ``generate_next_night`` appends one
more single-day extract after it. See ``generate.py`` for the layout and ``world.py`` for the
simulation.
"""

from orchestration.sample_data.generate import (
    GenerationSummary,
    generate_landing,
    generate_next_night,
)

__all__ = ["GenerationSummary", "generate_landing", "generate_next_night"]
