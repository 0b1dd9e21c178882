"""Python's cyclic garbage collector, set for a long-running Django process.

With CPython 3.11's defaults (a young collection every 700 new container objects, a full one
after ten middle ones) a page that builds 50 board rows runs ~6 young collections, and every
tenth page or so a full collection walks the whole heap: Django, the apps, the URL patterns and
the compiled templates, ~240,000 objects, 60-90 ms on this machine, in the middle of someone's
request. Measured on the demo (bench/README.md, "Pages at province scale, third pass"),
collections were ~2 ms of a page's ~17 ms of CPU on average, and the full ones were the slow
requests.

- ``gc.freeze()`` once the apps are loaded: what exists then lives as long as the process, so no
  collection needs to look at it again.
- A young generation of 10,000: a request's short-lived objects die by reference counting long
  before a collection would look at them; reference cycles are still collected, just less
  often (a full collection every few hundred pages instead of every ten).
"""

import gc

YOUNG = 10_000  # new container objects before a young collection (CPython's default: 700)
MIDDLE = 50  # young collections before a middle one (default 10)
OLD = 100  # middle collections before a full one may run (default 10)


def tune() -> None:
    gc.collect()  # what startup left unreachable goes now, not frozen forever
    gc.freeze()
    gc.set_threshold(YOUNG, MIDDLE, OLD)
