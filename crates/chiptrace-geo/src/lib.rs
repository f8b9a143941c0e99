//! Spherical geometry and SVG maps for delay-based chip location verification.
//!
//! A landmark's signed minimum round-trip time proves "the chip is within
//! `R` km of landmark `L`" (shared/design/location-verification.md §2-4).
//! This crate answers the geometric questions a verdict needs about the
//! intersection of such discs, and draws the picture:
//!
//! * [`LatLon`], [`distance_km`], [`destination`]: points on a sphere of the
//!   mean Earth radius [`EARTH_RADIUS_KM`].
//! * [`intersect`] builds a [`Region`] (the intersection of spherical caps)
//!   whose queries are **sound**: every answer errs on the safe side.
//!   `max_distance_km` is an upper bound, `min_distance_km` a lower bound,
//!   and [`Containment::Inside`] / [`Containment::Outside`] are returned only
//!   when they are guaranteed for the spherical model.
//! * [`Area`] and [`parse_geojson`]: licensed areas / countries.
//! * [`svg::render`]: a self-contained, deterministic SVG map.
//!
//! The model is a sphere. Its error against the WGS84 ellipsoid is below
//! 0.5 % of the distance, which callers must add as a margin to radii
//! (enlarge measured discs, shrink licensed radii); see docs/geo.md.

mod area;
mod error;
mod region;
mod sphere;
pub mod svg;

pub use area::{Area, MAX_GEOJSON_BYTES, MAX_GEOJSON_VERTICES, parse_geojson};
pub use error::GeoError;
pub use region::{
    Containment, Disc, DropReason, DroppedDisc, QUARTER_CIRCUMFERENCE_KM, Region, TOLERANCE_KM,
    intersect, try_intersect,
};

use serde::{Deserialize, Serialize};

/// Mean Earth radius (IUGG R1), in km. The spherical model's distances differ
/// from WGS84 geodesics by less than 0.5 %.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Half the circumference of the model sphere: the largest possible distance.
pub const HALF_CIRCUMFERENCE_KM: f64 = EARTH_RADIUS_KM * std::f64::consts::PI;

/// Relative error of the spherical model against WGS84 geodesic distances
/// (upper bound; the true maximum is about 0.34 %). Callers turning a
/// physical bound into a disc should enlarge the radius by this fraction.
pub const SPHERE_MODEL_REL_ERROR: f64 = 0.005;

/// A point on the sphere, in degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude, degrees north, in [-90, 90].
    pub lat: f64,
    /// Longitude, degrees east, in [-180, 180].
    pub lon: f64,
}

impl LatLon {
    /// A checked point: both finite, latitude in [-90, 90], longitude in
    /// [-180, 180].
    pub fn new(lat: f64, lon: f64) -> Result<LatLon, GeoError> {
        if !lat.is_finite() || !lon.is_finite() {
            return Err(GeoError::InvalidCoordinate(format!(
                "latitude {lat} / longitude {lon} must be finite"
            )));
        }
        if !(-90.0..=90.0).contains(&lat) {
            return Err(GeoError::InvalidCoordinate(format!(
                "latitude {lat} is outside [-90, 90]"
            )));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(GeoError::InvalidCoordinate(format!(
                "longitude {lon} is outside [-180, 180]"
            )));
        }
        Ok(LatLon { lat, lon })
    }

    /// Whether the fields satisfy the invariants of [`LatLon::new`] (the
    /// fields are public, so a value may have been built without it).
    pub fn is_valid(&self) -> bool {
        LatLon::new(self.lat, self.lon).is_ok()
    }
}

/// Great-circle distance in km. Haversine for separations up to a quarter
/// circumference; beyond that, where haversine loses digits (`1 − h` cancels
/// near antipodes), the equivalent atan2 (Vincenty) form of the same spherical
/// distance, which is accurate there.
pub fn distance_km(a: LatLon, b: LatLon) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dphi = p2 - p1;
    let dlam = (b.lon - a.lon).to_radians();
    let s1 = (dphi / 2.0).sin();
    let s2 = (dlam / 2.0).sin();
    // Clamped because rounding can push `h` a hair outside [0, 1].
    let h = (s1 * s1 + p1.cos() * p2.cos() * s2 * s2).clamp(0.0, 1.0);
    if h <= 0.5 {
        return 2.0 * EARTH_RADIUS_KM * h.sqrt().atan2((1.0 - h).sqrt());
    }
    let (sp1, cp1) = p1.sin_cos();
    let (sp2, cp2) = p2.sin_cos();
    let (sl, cl) = dlam.sin_cos();
    let x = cp2 * sl;
    let y = cp1 * sp2 - sp1 * cp2 * cl;
    let num = x.hypot(y);
    let den = sp1 * sp2 + cp1 * cp2 * cl;
    EARTH_RADIUS_KM * num.atan2(den)
}

/// The point reached from `from` after `dist_km` along the great circle
/// leaving at `bearing_deg` (clockwise from north). Non-finite arguments are
/// treated as zero distance / bearing so the result is always a valid point.
pub fn destination(from: LatLon, bearing_deg: f64, dist_km: f64) -> LatLon {
    let bearing = if bearing_deg.is_finite() { bearing_deg.to_radians() } else { 0.0 };
    let delta = if dist_km.is_finite() { dist_km / EARTH_RADIUS_KM } else { 0.0 };
    let p1 = from.lat.to_radians();
    let l1 = from.lon.to_radians();
    let sin_p2 = (p1.sin() * delta.cos() + p1.cos() * delta.sin() * bearing.cos()).clamp(-1.0, 1.0);
    let p2 = sin_p2.asin();
    let y = bearing.sin() * delta.sin() * p1.cos();
    let x = delta.cos() - p1.sin() * sin_p2;
    let l2 = l1 + y.atan2(x);
    LatLon { lat: p2.to_degrees().clamp(-90.0, 90.0), lon: sphere::wrap_lon(l2.to_degrees()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latlon_new_checks_ranges() {
        assert!(LatLon::new(1.0, 2.0).is_ok());
        assert!(LatLon::new(90.0, 180.0).is_ok());
        assert!(LatLon::new(-90.0, -180.0).is_ok());
        assert!(LatLon::new(90.0001, 0.0).is_err());
        assert!(LatLon::new(0.0, 180.0001).is_err());
        assert!(LatLon::new(f64::NAN, 0.0).is_err());
        assert!(LatLon::new(0.0, f64::INFINITY).is_err());
    }

    #[test]
    fn distance_is_stable_at_extremes() {
        let a = LatLon { lat: 10.0, lon: 20.0 };
        assert_eq!(distance_km(a, a), 0.0);
        let anti = LatLon { lat: -10.0, lon: -160.0 };
        assert!((distance_km(a, anti) - HALF_CIRCUMFERENCE_KM).abs() < 1e-6);
        // One metre apart: haversine keeps full precision.
        let b = destination(a, 45.0, 0.001);
        assert!((distance_km(a, b) - 0.001).abs() < 1e-9);
    }

    #[test]
    fn destination_round_trips_across_antimeridian() {
        let a = LatLon { lat: 0.0, lon: 179.9 };
        let b = destination(a, 90.0, 100.0);
        assert!(b.lon < -179.0, "{b:?}");
        assert!((distance_km(a, b) - 100.0).abs() < 1e-6);
        let n = destination(LatLon { lat: 89.5, lon: 0.0 }, 0.0, 111.2);
        assert!(n.lat > 89.4 && n.lat <= 90.0, "crossed the pole: {n:?}");
    }
}
