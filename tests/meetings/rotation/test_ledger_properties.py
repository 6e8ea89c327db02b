"""The equal-access map and gap as properties (hypothesis): whatever the workplaces and their coordinates, every
point is inside the map, no name covers another or runs off the map, the least served are drawn on top, and tiles
cover the whole map. Pure: no database."""

from hypothesis import given
from hypothesis import strategies as st

from meetings.rotation import ledger_map
from tests.meetings.rotation.test_planner_properties import SETTINGS  # derandomised, no example database

places = st.lists(
    st.builds(
        ledger_map.Place,
        name=st.text(alphabet="abcæøå ", min_size=1, max_size=30),
        latitude=st.floats(min_value=54.5, max_value=57.8),
        longitude=st.floats(min_value=8.0, max_value=15.2),
        contacts=st.integers(min_value=0, max_value=12),
    ),
    min_size=1,
    max_size=40,
)


def _box(point):
    length = ledger_map.LETTER * len(point.place.name)
    x0 = point.x + 13 if point.label == "start" else point.x - 13 - length
    return (x0, point.y - ledger_map.LINE / 2, x0 + length, point.y + ledger_map.LINE / 2)


@SETTINGS
@given(places)
def test_every_point_is_inside_the_map_and_no_name_covers_another(found):
    drawn = ledger_map.draw(found, width=600, height=400, margin=40)
    assert len(drawn.points) == len(found)
    for point in drawn.points:
        assert -0.5 <= point.x <= 600.5 and -0.5 <= point.y <= 400.5
    boxes = [_box(p) for p in drawn.points if p.label]
    for n, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= 600
        for b in boxes[n + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    contacts = [p.place.contacts for p in drawn.points]
    assert contacts == sorted(contacts, reverse=True)


@SETTINGS
@given(places)
def test_tiles_cover_the_whole_map(found):
    drawn = ledger_map.draw(found, tiles_url="https://t.example/{z}/{x}/{y}.png")
    assert min(t.x for t in drawn.tiles) <= 0 and max(t.x for t in drawn.tiles) + ledger_map.TILE >= drawn.width
    assert min(t.y for t in drawn.tiles) <= 0 and max(t.y for t in drawn.tiles) + ledger_map.TILE >= drawn.height
