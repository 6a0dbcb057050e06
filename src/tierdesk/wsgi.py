import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")

# Requests a web process serves before it freezes what it holds (see FreezeAfterWarmUp): by
# then the URL patterns, compiled templates and translation catalogues it keeps for good are
# loaded.
WARM_UP_REQUESTS = 50


class FreezeAfterWarmUp:
    """Moves the objects a web process keeps for its lifetime out of the garbage collector's
    way once it has served its first requests.

    A full collection walks every tracked object. A warm web process holds some 125,000 that
    live as long as it does (modules, classes, Django's caches), so each full collection
    paused a request for 44–112 ms on a two-core test machine (bench/gc_pauses.py; 2–3 ms
    once frozen). ``gc.freeze()`` moves them to the permanent generation, which collections
    skip; what requests create is collected as before. The freeze happens before the next
    request runs, not after the last one, so no request's own objects are kept for good.
    """

    def __init__(self, application, *, warm_up: int = WARM_UP_REQUESTS) -> None:
        self.application = application
        self.remaining = warm_up

    def __call__(self, environ, start_response):
        if self.remaining >= 0:
            self.remaining -= 1
            if self.remaining < 0:
                gc.collect()
                gc.freeze()
        return self.application(environ, start_response)


application = FreezeAfterWarmUp(get_wsgi_application())
