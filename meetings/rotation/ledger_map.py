"""The equal-access map: workplaces as points on a server-drawn SVG, coloured by their contacts. Pure: plain data
in, plain data out, no ORM and no settings (the tiles' address is passed in).

The points are placed by the Web Mercator projection at a whole zoom level, the same projection map tiles use, so
a tile background (when ``DIALOG_MAP_TILES_URL`` is set) lines up with the points without any script. Without
tiles the map is the points, their names and a legend, which is the whole of the information.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

TILE = 256
MAX_ZOOM = 15


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    contacts: int


@dataclass(frozen=True)
class Point:
    place: Place
    x: float
    y: float
    band: str
    # Where the name is written: "start" (right of the point), "end" (left of it), or "" when it would cover another
    # name (the point keeps its title, and the table below names every workplace).
    label: str = "start"

    @property
    def text_y(self) -> float:
        return round(self.y + 4, 1)

    @property
    def name_x(self) -> float:
        return round(self.x + 13 if self.label == "start" else self.x - 13, 1)


@dataclass(frozen=True)
class Tile:
    url: str
    x: float
    y: float


@dataclass(frozen=True)
class Map:
    width: int
    height: int
    points: list[Point]
    tiles: list[Tile]


# The colour bands (classes in portal.css), by contacts in the last 12 months: (lowest count, band).
BANDS = ((0, "none"), (1, "low"), (2, "mid"), (4, "high"))


def band(contacts: int) -> str:
    return [name for lowest, name in BANDS if contacts >= lowest][-1]


def _pixels(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    """The Web Mercator pixel position at ``zoom`` (the world is ``256 * 2**zoom`` pixels wide)."""
    size = TILE * 2**zoom
    x = (longitude + 180) / 360 * size
    sin = math.sin(math.radians(max(min(latitude, 85.0511), -85.0511)))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * size
    return x, y


def draw(places: list[Place], *, width: int = 600, height: int = 400, margin: int = 40, tiles_url: str = "") -> Map:
    """The places fitted into ``width`` × ``height`` (with ``margin`` for the names) at the largest whole zoom that
    holds them all; with ``tiles_url`` (``…/{z}/{x}/{y}.png``) the tiles that cover the map."""
    if not places:
        return Map(width=width, height=height, points=[], tiles=[])
    # The zoom at which the points' box fills the map; a whole zoom with tiles, since tiles come in whole zooms.
    xs0, ys0 = zip(*(_pixels(p.latitude, p.longitude, 0) for p in places), strict=True)
    spans = [
        (width - 2 * margin) / (max(xs0) - min(xs0) or 1e-9),
        (height - 2 * margin) / (max(ys0) - min(ys0) or 1e-9),
    ]
    zoom = min(MAX_ZOOM, math.log2(min(spans)))
    if tiles_url:
        zoom = max(0, math.floor(zoom))
    spots = [_pixels(p.latitude, p.longitude, zoom) for p in places]
    xs, ys = [s[0] for s in spots], [s[1] for s in spots]
    # The map's top-left corner in world pixels: the points' box centred.
    left = (min(xs) + max(xs)) / 2 - width / 2
    top = (min(ys) + max(ys)) / 2 - height / 2
    points = _labelled(
        [
            Point(place=p, x=round(x - left, 1), y=round(y - top, 1), band=band(p.contacts))
            for p, (x, y) in zip(places, spots, strict=True)
        ],
        width,
    )
    return Map(width=width, height=height, points=points, tiles=_tiles(tiles_url, zoom, left, top, width, height))


# A name's box, roughly: 7 units a letter at the map's font size, 14 high.
LETTER, LINE = 7, 14


def _labelled(points: list[Point], width: int) -> list[Point]:
    """Names placed so none covers another or a point: the least served first (they are the ones to see), each
    right of its point, else left of it, else left out."""
    taken = [(p.x - 10, p.y - 10, p.x + 10, p.y + 10) for p in points]
    placed = {}
    for point in sorted(points, key=lambda p: (p.place.contacts, p.place.name)):
        length = LETTER * len(point.place.name)
        for side in ("start", "end"):
            x0 = point.x + 13 if side == "start" else point.x - 13 - length
            box = (x0, point.y - LINE / 2, x0 + length, point.y + LINE / 2)
            inside = box[0] >= 0 and box[2] <= width
            if inside and not any(_overlap(box, other) for other in taken):
                taken.append(box)
                placed[id(point)] = side
                break
        else:
            placed[id(point)] = ""
    # Drawn in this order: the least served last, so no other point covers them.
    ordered = sorted(points, key=lambda p: (-p.place.contacts, p.place.name))
    return [replace(p, label=placed[id(p)]) for p in ordered]


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _tiles(url: str, zoom: int, left: float, top: float, width: int, height: int) -> list[Tile]:
    if not url:
        return []
    last = 2**zoom - 1
    found = []
    for ty in range(max(0, math.floor(top / TILE)), min(last, math.floor((top + height) / TILE)) + 1):
        for tx in range(max(0, math.floor(left / TILE)), min(last, math.floor((left + width) / TILE)) + 1):
            found.append(
                Tile(
                    url=url.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty)),
                    x=round(tx * TILE - left, 1),
                    y=round(ty * TILE - top, 1),
                )
            )
    return found
