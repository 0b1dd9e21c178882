"""One request at a time against the in-memory SQLite test database.

On SQLite the live server's threads share the test's one in-memory connection; two requests
at once (a page and its photos' thumbnails, a leftover request of the last journey while the
next one restores the demo) interleave their savepoints on it, and one's IntegrityError leaves
the connection broken for every journey after it. A lock around each request, and around the
demo's restore, keeps them apart. PostgreSQL needs none: each thread has its own connection.
"""

import threading

LOCK = threading.RLock()


class SerialRequests:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with LOCK:
            return self.get_response(request)
