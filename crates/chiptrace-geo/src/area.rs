//! Areas (countries, licensed regions) as polygons with optional holes, and
//! their GeoJSON reader.
//!
//! Edges are straight lines in the longitude/latitude plane, which is what
//! GeoJSON (RFC 7946 §3.1.1) specifies, so a rectangle of latitudes and
//! longitudes means what it says. Point-in-polygon is the even-odd rule in
//! that plane, exact for that definition. Polygons are expected not to cross
//! the antimeridian (RFC 7946 §3.1.9 asks producers to split them); an edge
//! spanning more than 180° of longitude is taken the long way, as the plane
//! says.

use serde_json::Value;

use crate::sphere::{angle, to_vec};
use crate::{EARTH_RADIUS_KM, GeoError, LatLon};

/// Largest GeoJSON text accepted (64 MiB).
pub const MAX_GEOJSON_BYTES: usize = 64 * 1024 * 1024;
/// Most vertices accepted in one GeoJSON document.
pub const MAX_GEOJSON_VERTICES: usize = 1_000_000;

/// Accuracy goal of [`Area::distance_to_boundary_km`] (the bound is within
/// this much of the true distance unless the work limit is hit).
const DISTANCE_ACCURACY_KM: f64 = 0.01;
const DISTANCE_BUDGET: usize = 2_000_000;

/// A named area: one or more polygons, each an outer ring followed by
/// optional holes. Rings are stored closed (last vertex = first).
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// Display name (from the GeoJSON properties, or given).
    pub name: String,
    polygons: Vec<Vec<Vec<LatLon>>>,
}

impl Area {
    /// An area from polygons (each: outer ring, then holes). Every vertex must
    /// be a valid [`LatLon`]; a ring needs at least 3 distinct vertices and is
    /// closed if it is not already.
    pub fn new(name: impl Into<String>, polygons: Vec<Vec<Vec<LatLon>>>) -> Result<Area, GeoError> {
        let name = name.into();
        let mut out = Vec::with_capacity(polygons.len());
        for (pi, poly) in polygons.into_iter().enumerate() {
            if poly.is_empty() {
                return Err(GeoError::InvalidArea {
                    name,
                    message: format!("polygon {pi} has no ring"),
                });
            }
            let mut rings = Vec::with_capacity(poly.len());
            for (ri, ring) in poly.into_iter().enumerate() {
                if let Some(bad) = ring.iter().position(|p| !p.is_valid()) {
                    return Err(GeoError::InvalidArea {
                        name,
                        message: format!(
                            "polygon {pi} ring {ri} vertex {bad} is not a valid coordinate"
                        ),
                    });
                }
                let ring = close_ring(ring).ok_or_else(|| GeoError::InvalidArea {
                    name: name.clone(),
                    message: format!("polygon {pi} ring {ri} has fewer than 3 distinct vertices"),
                })?;
                rings.push(ring);
            }
            out.push(rings);
        }
        Ok(Area { name, polygons: out })
    }

    /// A latitude/longitude rectangle (edges along parallels and meridians).
    pub fn rectangle(
        name: impl Into<String>,
        south_west: LatLon,
        north_east: LatLon,
    ) -> Result<Area, GeoError> {
        let (s, w, n, e) = (south_west.lat, south_west.lon, north_east.lat, north_east.lon);
        let ring = vec![
            LatLon { lat: s, lon: w },
            LatLon { lat: s, lon: e },
            LatLon { lat: n, lon: e },
            LatLon { lat: n, lon: w },
        ];
        Area::new(name, vec![vec![ring]])
    }

    /// The polygons (outer ring then holes, each closed).
    pub fn polygons(&self) -> &[Vec<Vec<LatLon>>] {
        &self.polygons
    }

    /// True when the area has no polygon.
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }

    /// Number of vertices over all rings.
    pub fn vertex_count(&self) -> usize {
        self.polygons.iter().flatten().map(Vec::len).sum()
    }

    /// Every edge of every ring.
    pub(crate) fn edges(&self) -> impl Iterator<Item = (LatLon, LatLon)> + '_ {
        self.polygons.iter().flatten().flat_map(|ring| ring.windows(2).map(|w| (w[0], w[1])))
    }

    /// Whether `p` is in the area (even-odd rule in the lon/lat plane, so
    /// holes are excluded). Points exactly on an edge may go either way;
    /// decisions use [`crate::Region::within_area`], which keeps a distance
    /// from the boundary.
    pub fn contains(&self, p: LatLon) -> bool {
        if !p.is_valid() {
            return false;
        }
        self.polygons.iter().any(|poly| {
            let mut inside = false;
            for ring in poly {
                for w in ring.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    if (a.lat > p.lat) != (b.lat > p.lat) {
                        let x = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
                        if p.lon < x {
                            inside = !inside;
                        }
                    }
                }
            }
            inside
        })
    }

    /// Sound lower bound on the great-circle distance (km) from `p` to the
    /// area's boundary, within about 10 m of the true distance. Each edge is
    /// split adaptively; a piece of lon/lat length `L` (radians) is at most
    /// `R·L` long on the sphere, so its points are within `R·L/2` of an end.
    /// Returns `f64::INFINITY` for an empty area and 0 for an invalid `p`.
    pub fn distance_to_boundary_km(&self, p: LatLon) -> f64 {
        if !p.is_valid() {
            return 0.0;
        }
        let q = to_vec(p);
        let dist = |lat: f64, lon: f64| angle(q, to_vec(LatLon { lat, lon })) * EARTH_RADIUS_KM;
        // Best distance actually reached at some boundary point (an upper
        // bound on the answer); pieces that cannot beat it are not refined.
        let mut best = self.edges().map(|(a, _)| dist(a.lat, a.lon)).fold(f64::INFINITY, f64::min);
        let mut lower = f64::INFINITY;
        let mut budget = DISTANCE_BUDGET;
        let mut stack = Vec::new();
        for (a, b) in self.edges() {
            stack.push((a.lat, a.lon, dist(a.lat, a.lon), b.lat, b.lon, dist(b.lat, b.lon)));
            while let Some((la0, lo0, d0, la1, lo1, d1)) = stack.pop() {
                let half = EARTH_RADIUS_KM
                    * (la1 - la0).to_radians().hypot((lo1 - lo0).to_radians())
                    / 2.0;
                let lb = d0.min(d1) - half;
                best = best.min(d0).min(d1);
                if lb >= best - DISTANCE_ACCURACY_KM || half <= DISTANCE_ACCURACY_KM || budget == 0
                {
                    lower = lower.min(lb);
                    continue;
                }
                budget -= 1;
                let (lam, lom) = ((la0 + la1) / 2.0, (lo0 + lo1) / 2.0);
                let dm = dist(lam, lom);
                stack.push((la0, lo0, d0, lam, lom, dm));
                stack.push((lam, lom, dm, la1, lo1, d1));
            }
        }
        lower.max(0.0)
    }
}

/// The ring closed, or `None` with fewer than 3 distinct vertices.
fn close_ring(mut ring: Vec<LatLon>) -> Option<Vec<LatLon>> {
    let mut distinct: Vec<LatLon> = Vec::new();
    for p in &ring {
        if !distinct.contains(p) {
            distinct.push(*p);
            if distinct.len() >= 3 {
                break;
            }
        }
    }
    if distinct.len() < 3 {
        return None;
    }
    if ring.first() != ring.last() {
        let first = ring[0];
        ring.push(first);
    }
    Some(ring)
}

/// Reads areas from GeoJSON: a FeatureCollection, a Feature, or a bare
/// Polygon / MultiPolygon geometry. A feature's name is the first string among
/// its properties `name`, `NAME`, `ADMIN`, `iso_a2`, else `<source>#<index>`.
/// Errors name `source` and the path of the offending field. Rings need at
/// least 3 distinct positions and are closed if open.
pub fn parse_geojson(text: &str, source: &str) -> Result<Vec<Area>, GeoError> {
    if text.len() > MAX_GEOJSON_BYTES {
        return Err(GeoError::TooLarge {
            file: source.to_string(),
            detail: format!("{} bytes (limit {MAX_GEOJSON_BYTES})", text.len()),
        });
    }
    let root: Value = serde_json::from_str(text)
        .map_err(|e| GeoError::Json { file: source.to_string(), message: e.to_string() })?;
    let mut reader = Reader { source, vertices: 0 };
    let ty = reader.type_of(&root, "$")?;
    match ty {
        "FeatureCollection" => {
            let features = root
                .get("features")
                .and_then(Value::as_array)
                .ok_or_else(|| reader.err("features", "a FeatureCollection needs a `features` array"))?;
            let mut out = Vec::with_capacity(features.len());
            for (i, f) in features.iter().enumerate() {
                out.push(reader.feature(f, &format!("features[{i}]"), i)?);
            }
            Ok(out)
        }
        "Feature" => Ok(vec![reader.feature(&root, "$", 0)?]),
        "Polygon" | "MultiPolygon" => {
            let polygons = reader.geometry(&root, "$")?;
            Ok(vec![reader.area(source.to_string(), polygons, "$")?])
        }
        other => Err(reader.err(
            "type",
            &format!("unsupported type {other:?} (expected FeatureCollection, Feature, Polygon or MultiPolygon)"),
        )),
    }
}

struct Reader<'a> {
    source: &'a str,
    vertices: usize,
}

type Polygons = Vec<Vec<Vec<LatLon>>>;

impl Reader<'_> {
    fn err(&self, path: &str, message: &str) -> GeoError {
        GeoError::GeoJson {
            file: self.source.to_string(),
            path: path.to_string(),
            message: message.to_string(),
        }
    }

    fn type_of<'v>(&self, v: &'v Value, path: &str) -> Result<&'v str, GeoError> {
        v.get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(&format!("{path}.type"), "missing or non-string `type`"))
    }

    fn area(&self, name: String, polygons: Polygons, path: &str) -> Result<Area, GeoError> {
        let area = Area::new(name, polygons).map_err(|e| match e {
            GeoError::InvalidArea { name, message } => {
                self.err(path, &format!("area {name:?}: {message}"))
            }
            other => other,
        })?;
        Ok(area)
    }

    fn feature(&mut self, f: &Value, path: &str, index: usize) -> Result<Area, GeoError> {
        let ty = self.type_of(f, path)?;
        if ty != "Feature" {
            return Err(
                self.err(&format!("{path}.type"), &format!("expected \"Feature\", found {ty:?}"))
            );
        }
        let name = ["name", "NAME", "ADMIN", "iso_a2"]
            .iter()
            .find_map(|k| {
                f.get("properties")
                    .and_then(|p| p.get(*k))
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.trim().to_string())
            })
            .unwrap_or_else(|| format!("{}#{index}", self.source));
        let geom_path = format!("{path}.geometry");
        let geom = match f.get("geometry") {
            Some(g) if !g.is_null() => g,
            _ => {
                return Err(self.err(&geom_path, &format!("feature {name:?} has no geometry")));
            }
        };
        let polygons = self.geometry(geom, &geom_path).map_err(|e| self.with_name(e, &name))?;
        self.area(name, polygons, path)
    }

    /// Adds the feature's name to an error message, so the analyst sees
    /// which country is broken.
    fn with_name(&self, e: GeoError, name: &str) -> GeoError {
        match e {
            GeoError::GeoJson { file, path, message } => {
                GeoError::GeoJson { file, path, message: format!("feature {name:?}: {message}") }
            }
            other => other,
        }
    }

    fn geometry(&mut self, g: &Value, path: &str) -> Result<Polygons, GeoError> {
        let ty = self.type_of(g, path)?;
        let cpath = format!("{path}.coordinates");
        let coords = g
            .get("coordinates")
            .and_then(Value::as_array)
            .ok_or_else(|| self.err(&cpath, "missing or non-array `coordinates`"))?;
        match ty {
            "Polygon" => Ok(vec![self.polygon(coords, &cpath)?]),
            "MultiPolygon" => {
                let mut out = Vec::with_capacity(coords.len());
                for (i, p) in coords.iter().enumerate() {
                    let ppath = format!("{cpath}[{i}]");
                    let arr = p
                        .as_array()
                        .ok_or_else(|| self.err(&ppath, "a polygon must be an array of rings"))?;
                    out.push(self.polygon(arr, &ppath)?);
                }
                Ok(out)
            }
            other => Err(self.err(
                &format!("{path}.type"),
                &format!(
                    "geometry type {other:?} is not an area (expected Polygon or MultiPolygon)"
                ),
            )),
        }
    }

    fn polygon(&mut self, rings: &[Value], path: &str) -> Result<Vec<Vec<LatLon>>, GeoError> {
        if rings.is_empty() {
            return Err(self.err(path, "a polygon needs at least one ring"));
        }
        let mut out = Vec::with_capacity(rings.len());
        for (ri, ring) in rings.iter().enumerate() {
            let rpath = format!("{path}[{ri}]");
            let positions = ring
                .as_array()
                .ok_or_else(|| self.err(&rpath, "a ring must be an array of positions"))?;
            let mut pts = Vec::with_capacity(positions.len());
            for (k, pos) in positions.iter().enumerate() {
                self.vertices += 1;
                if self.vertices > MAX_GEOJSON_VERTICES {
                    return Err(GeoError::TooLarge {
                        file: self.source.to_string(),
                        detail: format!(
                            "more than {MAX_GEOJSON_VERTICES} vertices (at {rpath}[{k}])"
                        ),
                    });
                }
                pts.push(self.position(pos, &format!("{rpath}[{k}]"))?);
            }
            if close_ring(pts.clone()).is_none() {
                return Err(self.err(&rpath, "a ring needs at least 3 distinct positions"));
            }
            out.push(pts);
        }
        Ok(out)
    }

    fn position(&self, pos: &Value, path: &str) -> Result<LatLon, GeoError> {
        let arr = pos.as_array().filter(|a| a.len() >= 2).ok_or_else(|| {
            self.err(path, "a position must be an array [longitude, latitude, ...]")
        })?;
        let lon = arr[0]
            .as_f64()
            .ok_or_else(|| self.err(&format!("{path}[0]"), "longitude is not a number"))?;
        let lat = arr[1]
            .as_f64()
            .ok_or_else(|| self.err(&format!("{path}[1]"), "latitude is not a number"))?;
        LatLon::new(lat, lon).map_err(|e| self.err(path, &e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ll(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    #[test]
    fn holes_are_excluded() {
        let outer = vec![ll(0.0, 0.0), ll(0.0, 10.0), ll(10.0, 10.0), ll(10.0, 0.0)];
        let hole = vec![ll(4.0, 4.0), ll(4.0, 6.0), ll(6.0, 6.0), ll(6.0, 4.0)];
        let a = Area::new("donut", vec![vec![outer, hole]]).expect("valid");
        assert!(a.contains(ll(2.0, 2.0)));
        assert!(!a.contains(ll(5.0, 5.0)));
        assert!(!a.contains(ll(11.0, 5.0)));
        // Distance to the hole's edge from its centre: 1° of latitude.
        let d = a.distance_to_boundary_km(ll(5.0, 5.0));
        let one_deg = EARTH_RADIUS_KM * 1f64.to_radians();
        assert!(d <= one_deg * 0.9999 + 1e-9 || d <= one_deg, "{d}");
        assert!(d > one_deg * 0.99 - 0.02, "{d} vs {one_deg}");
    }

    #[test]
    fn distance_lower_bound_is_sound_on_a_long_edge() {
        // A single long edge along the equator from 0° to 60°E: the nearest
        // boundary point to (1°N, 30°E) is mid-edge, 1° away.
        let a = Area::rectangle("strip", ll(-10.0, 0.0), ll(0.0, 60.0)).expect("valid");
        let d = a.distance_to_boundary_km(ll(1.0, 30.0));
        let one_deg = EARTH_RADIUS_KM * 1f64.to_radians();
        assert!(d <= one_deg + 1e-6, "lower bound {d} exceeds true {one_deg}");
        assert!(d >= one_deg - 0.02, "bound {d} too loose");
    }

    #[test]
    fn degenerate_rings_are_rejected() {
        assert!(
            Area::new("x", vec![vec![vec![ll(0.0, 0.0), ll(1.0, 1.0), ll(0.0, 0.0)]]]).is_err()
        );
        assert!(Area::new("x", vec![vec![]]).is_err());
        assert!(
            Area::new("x", vec![vec![vec![ll(95.0, 0.0), ll(1.0, 1.0), ll(2.0, 0.0)]]]).is_err()
        );
    }
}
