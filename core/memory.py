"""Garbage collection in a web process.

What a web process loads before serving (modules, models, URL patterns, settings:
about 115,000 objects the collector tracks) lives as long as the process, yet
Python's collector scans all of it at every full collection. A request that builds
thousands of objects, such as the calendar's events of a busy month, sets off one
every few requests, and with it the slowest requests: full collections were a third
of the events endpoint's 95th percentile with 5,000 posts (bench/calendar.py,
README). Freezing the loaded objects leaves full collections only what requests
create; it also keeps pages shared after a fork (gc.freeze in the Python docs).
"""

from __future__ import annotations

import gc


def freeze_loaded_objects() -> None:
    """Collect once, then move every object tracked so far out of the collector's sight.
    Call it once the application is loaded (config/wsgi.py, config/asgi.py)."""
    gc.collect()
    gc.freeze()
