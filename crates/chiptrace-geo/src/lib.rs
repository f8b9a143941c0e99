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
//! The model is a sphere with the latitudes and longitudes of WGS84. Its
//! distances differ from WGS84 geodesics by −0.45 % to +0.56 %, and a
//! delay bound is a straight-line (chord) distance, not a surface one:
//! turn delay bounds into disc radii with [`sound_disc_radius_km`] and
//! licensed radii into spherical ones with [`sound_site_radius_km`]. Areas
//! are compared by coordinates and need no such margin. See docs/geo.md.

#![warn(missing_docs)]

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

/// Largest ratio of a length on the model sphere to the same path's length on
/// the WGS84 ellipsoid (same latitudes and longitudes): `R / M(0°)`, with
/// `M(0°) = 6335.439 km` the meridional radius of curvature at the equator,
/// rounded up. Spherical distances overstate WGS84 geodesic distances by at
/// most this factor (about +0.56 %, north-south near the equator).
pub const SPHERE_OVER_ELLIPSOID_MAX: f64 = 1.00562;

/// Largest ratio of a WGS84 length to the same path's length on the model
/// sphere: `M(90°) / R` with `M(90°) = 6399.594 km`, rounded up. WGS84
/// geodesic distances exceed spherical ones by at most this factor (about
/// +0.45 %, near the poles).
pub const ELLIPSOID_OVER_SPHERE_MAX: f64 = 1.0045;

/// Smallest radius of curvature of the WGS84 ellipsoid (meridional, at the
/// equator), rounded down, km.
pub const WGS84_MIN_CURVATURE_RADIUS_KM: f64 = 6335.43;

/// Sound disc radius on the model sphere for a physical bound on the
/// **straight-line** (3-D) distance between landmark and chip, such as
/// `c × (RTT − t_proc_min) / 2`.
///
/// Two corrections, both enlarging:
/// 1. Straight line → surface. A WGS84 geodesic is a space curve whose
///    curvature is at most `1 / M(0°)`, so by Schur's comparison theorem its
///    length `g` and chord `D` satisfy `D ≥ 2r·sin(g / 2r)` with
///    `r =` [`WGS84_MIN_CURVATURE_RADIUS_KM`], i.e. `g ≤ 2r·asin(D / 2r)`
///    (≈ 0.15 % more than `D` at 1,500 km, 1 % at 4,500 km).
/// 2. Ellipsoid → sphere: times [`SPHERE_OVER_ELLIPSOID_MAX`].
///
/// Assumes both ends are at or above the ellipsoid (heights only shrink the
/// footprint); a depth of 1 km below it would need another 0.016 %. A bound
/// of `2r` or more (or NaN/∞) gives half the circumference (no information).
/// Negative bounds give 0.
pub fn sound_disc_radius_km(straight_line_km: f64) -> f64 {
    if straight_line_km.is_nan() {
        return HALF_CIRCUMFERENCE_KM;
    }
    let r = WGS84_MIN_CURVATURE_RADIUS_KM;
    let x = straight_line_km.max(0.0) / (2.0 * r);
    if x >= 1.0 {
        return HALF_CIRCUMFERENCE_KM;
    }
    (2.0 * r * x.asin() * SPHERE_OVER_ELLIPSOID_MAX).min(HALF_CIRCUMFERENCE_KM)
}

/// Sound radius on the model sphere for an allowed WGS84 geodesic distance
/// (e.g. "within 30 km of the licensed site"): a region within the returned
/// spherical radius is within `geodesic_km` on the ellipsoid. Divides by
/// [`ELLIPSOID_OVER_SPHERE_MAX`] (shrinks by about 0.45 %).
pub fn sound_site_radius_km(geodesic_km: f64) -> f64 {
    geodesic_km / ELLIPSOID_OVER_SPHERE_MAX
}

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
    fn sound_radii_enlarge_and_shrink() {
        // Small bounds: about the ellipsoid factor.
        let r = sound_disc_radius_km(10.0);
        assert!(r > 10.0 * 1.0056 && r < 10.0 * 1.0057, "{r}");
        // 4,472 km straight line: the surface distance is about 1 % more
        // (sphere: 2R·asin(D/2R)), plus the ellipsoid factor.
        let sphere_arc = 2.0 * EARTH_RADIUS_KM * (4472.0 / (2.0 * EARTH_RADIUS_KM)).asin();
        assert!(sound_disc_radius_km(4472.0) > sphere_arc * 1.0056);
        assert!(sphere_arc > 4472.0 * 1.008);
        assert_eq!(sound_disc_radius_km(13_000.0), HALF_CIRCUMFERENCE_KM);
        assert_eq!(sound_disc_radius_km(f64::NAN), HALF_CIRCUMFERENCE_KM);
        assert_eq!(sound_disc_radius_km(-1.0), 0.0);
        assert!(sound_site_radius_km(30.0) < 30.0 && sound_site_radius_km(30.0) > 29.86);
        // The constants match WGS84 (a = 6378.137 km, f = 1/298.257223563).
        let (a, f) = (6378.137f64, 1.0 / 298.257223563);
        let e2 = f * (2.0 - f);
        let m0 = a * (1.0 - e2);
        let m90 = a / (1.0 - e2).sqrt();
        assert!(WGS84_MIN_CURVATURE_RADIUS_KM <= m0 && m0 - WGS84_MIN_CURVATURE_RADIUS_KM < 0.01);
        assert!(SPHERE_OVER_ELLIPSOID_MAX >= EARTH_RADIUS_KM / m0);
        assert!(ELLIPSOID_OVER_SPHERE_MAX >= m90 / EARTH_RADIUS_KM);
        assert!(EARTH_RADIUS_KM / a < 1.0, "east-west the sphere is shorter, inside the bounds");
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
