//! Unit-vector arithmetic on the sphere. Angles between vectors are computed
//! as `atan2(|a × b|, a · b)`, which is accurate at every separation (the
//! `acos` of a dot product loses half the digits near 0 and π).

use crate::LatLon;

pub(crate) type V3 = [f64; 3];

pub(crate) fn to_vec(p: LatLon) -> V3 {
    let (la, lo) = (p.lat.to_radians(), p.lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

pub(crate) fn to_latlon(v: V3) -> LatLon {
    let h = v[0].hypot(v[1]);
    let lat = v[2].atan2(h).to_degrees().clamp(-90.0, 90.0);
    // At a pole the longitude is arbitrary; atan2(0, 0) = 0 keeps it defined.
    let lon = v[1].atan2(v[0]).to_degrees();
    LatLon { lat, lon: wrap_lon(lon) }
}

/// Longitude into [-180, 180].
pub(crate) fn wrap_lon(lon: f64) -> f64 {
    if !lon.is_finite() {
        return 0.0;
    }
    if (-180.0..=180.0).contains(&lon) {
        return lon;
    }
    let w = (lon + 180.0).rem_euclid(360.0) - 180.0;
    w.clamp(-180.0, 180.0)
}

pub(crate) fn dot(a: V3, b: V3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

pub(crate) fn cross(a: V3, b: V3) -> V3 {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

pub(crate) fn norm(a: V3) -> f64 {
    dot(a, a).sqrt()
}

pub(crate) fn scale(a: V3, k: f64) -> V3 {
    [a[0] * k, a[1] * k, a[2] * k]
}

pub(crate) fn add(a: V3, b: V3) -> V3 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

pub(crate) fn neg(a: V3) -> V3 {
    [-a[0], -a[1], -a[2]]
}

/// `a / |a|`, or `None` for a (near-)zero vector.
pub(crate) fn normalize(a: V3) -> Option<V3> {
    let n = norm(a);
    if n > 1e-300 && n.is_finite() { Some(scale(a, 1.0 / n)) } else { None }
}

/// Angle between two unit vectors, radians in [0, π].
pub(crate) fn angle(a: V3, b: V3) -> f64 {
    norm(cross(a, b)).atan2(dot(a, b))
}

/// Two unit vectors completing `c` to a right-handed orthonormal basis.
pub(crate) fn basis(c: V3) -> (V3, V3) {
    // The coordinate axis least aligned with c gives a well-conditioned cross
    // product.
    let ax = if c[0].abs() <= c[1].abs() && c[0].abs() <= c[2].abs() {
        [1.0, 0.0, 0.0]
    } else if c[1].abs() <= c[2].abs() {
        [0.0, 1.0, 0.0]
    } else {
        [0.0, 0.0, 1.0]
    };
    let u = normalize(cross(c, ax)).unwrap_or([1.0, 0.0, 0.0]);
    let v = cross(c, u);
    (u, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_wrap() {
        let p = LatLon { lat: -33.9, lon: 151.2 };
        let q = to_latlon(to_vec(p));
        assert!((p.lat - q.lat).abs() < 1e-12 && (p.lon - q.lon).abs() < 1e-12);
        assert_eq!(wrap_lon(190.0), -170.0);
        assert_eq!(wrap_lon(-190.0), 170.0);
        assert_eq!(wrap_lon(180.0), 180.0);
        let (u, v) = basis(to_vec(p));
        assert!(dot(u, v).abs() < 1e-15 && (norm(u) - 1.0).abs() < 1e-15);
        assert!(dot(u, to_vec(p)).abs() < 1e-15);
    }
}
