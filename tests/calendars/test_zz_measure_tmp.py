import time
import pytest
from django.core.cache import cache
from django.test import Client
from dialog_portal.bench import pages
from dialog_portal.bench.scale import seed_scale

@pytest.mark.django_db
def test_measure():
    seed_scale(workplaces=200, committees=3, years=1)
    url = pages._busy_feed()
    c = Client()
    r = c.get(url); n = r.content.count(b"BEGIN:VEVENT")
    def run(clear, etag=None):
        t = []
        for _ in range(9):
            if clear: cache.clear()
            kw = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
            s = time.process_time(); c.get(url, **kw); t.append(time.process_time() - s)
        t.sort(); return "median %.1f ms (min %.1f, max %.1f)" % (t[4]*1000, t[0]*1000, t[-1]*1000)
    print("\nevents", n)
    print("built (cache cleared):", run(True))
    print("kept body:", run(False))
    print("304:", run(False, r["ETag"]))
    import cProfile, pstats
    pr = cProfile.Profile(); pr.enable()
    for _ in range(5): c.get(url)
    pr.disable(); pstats.Stats(pr).sort_stats("cumtime").print_stats(35)
