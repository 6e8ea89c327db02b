"""The equal-access map: workplaces as points on a server-drawn SVG, coloured by their contacts. Pure: plain data
in, plain data out, no ORM and no settings (the tiles' address is passed in).

The points are placed by the Web Mercator projection at a whole zoom level, the same projection map tiles use, so
a tile background (when ``DIALOG_MAP_TILES_URL`` is set) lines up with the points without any script. Without
tiles the map is the points, their names and a legend, which is the whole of the information.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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

    @property
    def text_y(self) -> float:
        return round(self.y + 4, 1)

    @property
    def name_x(self) -> float:
        return round(self.x + 13, 1)


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
    zoom = MAX_ZOOM
    while zoom > 0:
        spots = [_pixels(p.latitude, p.longitude, zoom) for p in places]
        xs, ys = [s[0] for s in spots], [s[1] for s in spots]
        if max(xs) - min(xs) <= width - 2 * margin and max(ys) - min(ys) <= height - 2 * margin:
            break
        zoom -= 1
    spots = [_pixels(p.latitude, p.longitude, zoom) for p in places]
    xs, ys = [s[0] for s in spots], [s[1] for s in spots]
    # The map's top-left corner in world pixels: the points' box centred.
    left = (min(xs) + max(xs)) / 2 - width / 2
    top = (min(ys) + max(ys)) / 2 - height / 2
    points = [
        Point(place=p, x=round(x - left, 1), y=round(y - top, 1), band=band(p.contacts))
        for p, (x, y) in zip(places, spots, strict=True)
    ]
    return Map(width=width, height=height, points=points, tiles=_tiles(tiles_url, zoom, left, top, width, height))


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
