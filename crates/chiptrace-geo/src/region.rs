//! The intersection of spherical caps ("discs") and its sound queries.
//!
//! # Why the answers are sound
//!
//! Each kept disc is a cap of angular radius ρ < π/2, so the intersection `T'`
//! of the kept caps is spherically convex (hence connected). The true feasible
//! set `T` (all discs, including dropped ones) is a subset of `T'`.
//!
//! Instead of sampling, the boundary of `T'` is computed in closed form as
//! arcs: the part of circle `i` inside cap `j` is one interval of the circle's
//! angle parameter (`k + A·cos(θ − φ) ≥ cos ρⱼ`). Every cap `j` is enlarged by
//! [`TOLERANCE_KM`] in that test, so the computed arcs are a **superset** of
//! the true boundary despite rounding. On an arc, the distance to a point `p`
//! is extremal at the arc's ends or where the circle meets the great circle
//! through its centre and `p`, so the exact extremes over each arc are known.
//! The farthest point of a convex set from `p` is on its boundary (or is the
//! antipode of `p`), and the nearest is on its boundary (or is `p`), so the
//! extremes over the arcs, widened by the tolerance, are the bounds.
//! Over-covering the boundary only makes a maximum larger and a minimum
//! smaller, which is the safe direction.
//!
//! The polygon returned by [`Region::boundary`] is a sampling of these arcs
//! for drawing and reports only; no decision rests on it.

use std::f64::consts::{PI, TAU};

use serde::{Deserialize, Serialize};

use crate::area::Area;
use crate::sphere::{V3, add, angle, basis, dot, neg, normalize, scale, to_latlon, to_vec};
use crate::{EARTH_RADIUS_KM, GeoError, HALF_CIRCUMFERENCE_KM, LatLon};

/// Rounding allowance: every cap is treated as this much larger when deciding
/// what is inside it, and every bound is widened by it (1 m). It dominates the
/// floating-point error of the formulas by several orders of magnitude.
pub const TOLERANCE_KM: f64 = 0.001;
const TOL_RAD: f64 = TOLERANCE_KM / EARTH_RADIUS_KM;

/// Discs at least this large (a quarter of the circumference, ≈10,007 km)
/// are not convex on the sphere and are dropped from the intersection.
pub const QUARTER_CIRCUMFERENCE_KM: f64 = EARTH_RADIUS_KM * PI / 2.0;

/// Pieces of an area's edge shorter than this that still come within the
/// tolerance of the region make `within_area` answer `Partial` (10 m).
const MIN_PIECE_KM: f64 = 0.01;
/// Work limit for one `within_area` call (edge pieces examined); past it the
/// answer is `Partial`, which is always safe.
const AREA_BUDGET: usize = 4_000_000;

/// "The chip is within `radius_km` of `center`" (a closed spherical cap).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disc {
    /// Centre (the landmark).
    pub center: LatLon,
    /// Radius along the surface, km.
    pub radius_km: f64,
    /// Label for reports and maps (e.g. the landmark id).
    pub label: String,
}

impl Disc {
    /// A disc.
    pub fn new(center: LatLon, radius_km: f64, label: impl Into<String>) -> Disc {
        Disc { center, radius_km, label: label.into() }
    }

    /// Whether `p` is in the closed disc (plain great-circle test).
    pub fn contains(&self, p: LatLon) -> bool {
        crate::distance_km(self.center, p) <= self.radius_km
    }
}

/// Where a region lies relative to a target (a disc or an area).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Containment {
    /// Guaranteed: every point of the region is in the target.
    Inside,
    /// Guaranteed: no point of the region is in the target.
    Outside,
    /// Neither can be guaranteed (also the answer for an empty or unbounded
    /// region, so that a verdict which forgets to check cannot pass).
    Partial,
}

/// Why a disc was left out of the intersection. Leaving a constraint out only
/// enlarges the region, so every answer stays sound.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// Radius ≥ a quarter circumference: the cap is not convex. It still
    /// counts in [`Region::contains`] and in the per-disc distance bounds.
    TooLarge,
    /// The centre is not a valid [`LatLon`] (non-finite or out of range).
    InvalidCenter,
    /// The radius is NaN.
    InvalidRadius,
}

/// A disc left out of the intersection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DroppedDisc {
    /// Position in the input slice.
    pub index: usize,
    /// The disc's label.
    pub label: String,
    /// Why.
    pub reason: DropReason,
}

/// A cap with its centre `c`, angular radius `rho` and an orthonormal basis
/// (`u`, `v`) of the plane orthogonal to `c` for parametrising its circle.
#[derive(Clone, Debug)]
struct Cap {
    index: usize,
    c: V3,
    rho: f64,
    u: V3,
    v: V3,
}

impl Cap {
    fn new(index: usize, center: LatLon, rho: f64) -> Cap {
        let c = to_vec(center);
        let (u, v) = basis(c);
        Cap { index, c, rho, u, v }
    }

    /// The point of the circle at parameter `t`.
    fn point(&self, t: f64) -> V3 {
        let (s, c) = self.rho.sin_cos();
        add(scale(self.c, c), scale(add(scale(self.u, t.cos()), scale(self.v, t.sin())), s))
    }

    fn contains_enlarged(&self, q: V3) -> bool {
        angle(self.c, q) <= self.rho + TOL_RAD
    }
}

/// A piece of the boundary: circle `cap` (index into the kept caps) for
/// parameters `s ..= e` (`e − s ≤ 2π`, `e` may exceed 2π).
#[derive(Clone, Debug)]
struct Arc {
    cap: usize,
    s: f64,
    e: f64,
}

/// The intersection of discs (see the module docs for the guarantees).
#[derive(Clone, Debug)]
pub struct Region {
    discs: Vec<Disc>,
    kept: Vec<Cap>,
    all: Vec<Cap>,
    arcs: Vec<Arc>,
    dropped: Vec<DroppedDisc>,
    clamped: Vec<usize>,
    empty: bool,
    disjoint: Option<(usize, usize)>,
    boundary: Vec<LatLon>,
    margin_km: f64,
    bbox: Option<(LatLon, LatLon)>,
    rep: Option<V3>,
}

/// Like [`intersect`] but rejects unusable discs instead of dropping them: a
/// centre that is not a valid [`LatLon`], or a radius that is NaN, infinite
/// or negative. Too-large discs are still dropped (they are valid input).
pub fn try_intersect(discs: &[Disc]) -> Result<Region, GeoError> {
    for (index, d) in discs.iter().enumerate() {
        let reason = if !d.center.is_valid() {
            Some(format!("centre {:?} is not a valid coordinate", d.center))
        } else if !d.radius_km.is_finite() {
            Some(format!("radius {} km is not finite", d.radius_km))
        } else if d.radius_km < 0.0 {
            Some(format!("radius {} km is negative", d.radius_km))
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(GeoError::InvalidDisc { index, label: d.label.clone(), reason });
        }
    }
    Ok(intersect(discs))
}

/// The intersection of `discs`. Never panics: discs with an invalid centre or
/// a NaN radius, and discs of a quarter circumference or more, are dropped
/// (see [`Region::dropped`]); a negative radius is treated as 0 (the centre
/// point; see [`Region::clamped`]). With no kept disc the region is unbounded
/// (the whole sphere as far as the kept constraints say).
pub fn intersect(discs: &[Disc]) -> Region {
    let mut kept = Vec::new();
    let mut all = Vec::new();
    let mut dropped = Vec::new();
    let mut clamped = Vec::new();
    for (i, d) in discs.iter().enumerate() {
        let drop = |reason| DroppedDisc { index: i, label: d.label.clone(), reason };
        if !d.center.is_valid() {
            dropped.push(drop(DropReason::InvalidCenter));
            continue;
        }
        if d.radius_km.is_nan() {
            dropped.push(drop(DropReason::InvalidRadius));
            continue;
        }
        let r = if d.radius_km < 0.0 {
            clamped.push(i);
            0.0
        } else {
            d.radius_km
        };
        let cap = Cap::new(i, d.center, (r / EARTH_RADIUS_KM).min(PI));
        all.push(cap.clone());
        if r >= QUARTER_CIRCUMFERENCE_KM {
            dropped.push(drop(DropReason::TooLarge));
            continue;
        }
        kept.push(cap);
    }

    // A pair of caps whose centres are farther apart than the sum of their
    // radii (plus tolerance) proves the intersection empty.
    let mut disjoint = None;
    'pairs: for (a, ca) in all.iter().enumerate() {
        for cb in &all[a + 1..] {
            if angle(ca.c, cb.c) > ca.rho + cb.rho + 2.0 * TOL_RAD {
                disjoint = Some((ca.index, cb.index));
                break 'pairs;
            }
        }
    }

    let mut arcs = Vec::new();
    if disjoint.is_none() {
        for (i, ci) in kept.iter().enumerate() {
            let mut set = vec![(0.0, TAU)];
            for (j, cj) in kept.iter().enumerate() {
                if i == j {
                    continue;
                }
                set = match arc_within(ci, cj) {
                    Within::All => continue,
                    Within::None => Vec::new(),
                    Within::Range(phi, alpha) => intersect_sets(&set, &interval_set(phi, alpha)),
                };
                if set.is_empty() {
                    break;
                }
            }
            for (s, e) in merge_wrap(set) {
                arcs.push(Arc { cap: i, s, e });
            }
        }
    }
    let empty = disjoint.is_some() || (!kept.is_empty() && arcs.is_empty());
    if empty {
        arcs.clear();
    }

    let mut region = Region {
        discs: discs.to_vec(),
        kept,
        all,
        arcs,
        dropped,
        clamped,
        empty,
        disjoint,
        boundary: Vec::new(),
        margin_km: TOLERANCE_KM,
        bbox: None,
        rep: None,
    };
    region.sample_boundary();
    region.bbox = region.compute_bbox();
    region
}

enum Within {
    All,
    None,
    /// `θ ∈ [φ − α, φ + α]`.
    Range(f64, f64),
}

/// The parameters of circle `ci` that lie in cap `cj` enlarged by the
/// tolerance. On the circle, `x(θ)·cⱼ = k + a·cos θ + b·sin θ`.
fn arc_within(ci: &Cap, cj: &Cap) -> Within {
    let cr = (cj.rho + TOL_RAD).min(PI).cos();
    let (sin_r, cos_r) = ci.rho.sin_cos();
    let k = cos_r * dot(ci.c, cj.c);
    let a = sin_r * dot(cj.c, ci.u);
    let b = sin_r * dot(cj.c, ci.v);
    let amp = a.hypot(b);
    if k - amp >= cr {
        Within::All
    } else if k + amp < cr {
        Within::None
    } else {
        // Here amp > 0 (otherwise one of the branches above was taken).
        let t = ((cr - k) / amp).clamp(-1.0, 1.0);
        Within::Range(b.atan2(a), t.acos())
    }
}

/// `[φ − α, φ + α]` as sorted intervals within `[0, 2π]`.
fn interval_set(phi: f64, alpha: f64) -> Vec<(f64, f64)> {
    if alpha >= PI {
        return vec![(0.0, TAU)];
    }
    let s = (phi - alpha).rem_euclid(TAU);
    let e = s + 2.0 * alpha;
    if e <= TAU { vec![(s, e)] } else { vec![(0.0, e - TAU), (s, TAU)] }
}

fn intersect_sets(a: &[(f64, f64)], b: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let (lo, hi) = (x.0.max(y.0), x.1.min(y.1));
            if lo <= hi {
                out.push((lo, hi));
            }
        }
    }
    out.sort_by(|p, q| p.0.total_cmp(&q.0));
    out
}

/// Joins an interval ending at 2π with one starting at 0 (the same arc).
fn merge_wrap(mut set: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    if set.len() >= 2 {
        let first = set[0];
        let last = set[set.len() - 1];
        if first.0 <= 0.0 && last.1 >= TAU {
            set.pop();
            set.remove(0);
            set.push((last.0, first.1 + TAU));
        }
    }
    set
}

fn in_arc(t: f64, s: f64, e: f64) -> bool {
    (t - s).rem_euclid(TAU) <= e - s
}

/// Exact minimum and maximum angle from `q` to the arc.
fn arc_extremes(cap: &Cap, arc: &Arc, q: V3) -> (f64, f64) {
    let mut mn = f64::INFINITY;
    let mut mx: f64 = 0.0;
    let mut eval = |t: f64| {
        let a = angle(q, cap.point(t));
        mn = mn.min(a);
        mx = mx.max(a);
    };
    eval(arc.s);
    eval(arc.e);
    // Nearest / farthest points of the full circle from q: in the plane of
    // the circle's centre and q.
    let psi = dot(q, cap.v).atan2(dot(q, cap.u));
    for t in [psi, psi + PI] {
        if in_arc(t, arc.s, arc.e) {
            eval(t);
        }
    }
    (mn, mx)
}

fn valid_vec(p: LatLon) -> Option<V3> {
    p.is_valid().then(|| to_vec(p))
}

impl Region {
    /// True when the discs provably have no common point (inconsistent
    /// measurements). Never true when some point lies in every disc.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// A pair of input indices whose discs are disjoint, when one proves
    /// emptiness (emptiness can also come from three or more discs).
    pub fn disjoint_pair(&self) -> Option<(usize, usize)> {
        self.disjoint
    }

    /// True when no disc was kept (no disc, or all too large or invalid): the
    /// kept constraints allow the whole sphere.
    pub fn is_unbounded(&self) -> bool {
        self.kept.is_empty()
    }

    /// The input discs.
    pub fn discs(&self) -> &[Disc] {
        &self.discs
    }

    /// Discs left out of the intersection, and why.
    pub fn dropped(&self) -> &[DroppedDisc] {
        &self.dropped
    }

    /// Input indices of discs whose negative radius was treated as 0.
    pub fn clamped(&self) -> &[usize] {
        &self.clamped
    }

    /// Whether `p` is in every usable disc (kept or too large), allowing
    /// [`TOLERANCE_KM`] for rounding. False for an empty region.
    pub fn contains(&self, p: LatLon) -> bool {
        let Some(q) = valid_vec(p) else { return false };
        !self.empty && self.all.iter().all(|c| c.contains_enlarged(q))
    }

    /// Sound upper bound on the distance from `p` to any point of the region.
    /// Conservative (half the circumference) for an empty region or an
    /// invalid `p`.
    pub fn max_distance_km(&self, p: LatLon) -> f64 {
        let Some(q) = valid_vec(p) else { return HALF_CIRCUMFERENCE_KM };
        if self.empty {
            return HALF_CIRCUMFERENCE_KM;
        }
        let mut ub = self.max_kept_rad(q);
        // Each disc alone bounds it too (triangle inequality).
        for c in &self.all {
            ub = ub.min((angle(c.c, q) + c.rho + TOL_RAD).min(PI));
        }
        ub * EARTH_RADIUS_KM
    }

    /// Sound lower bound on the distance from `p` to the region (0 when `p`
    /// is inside). Conservative (0) for an empty region or an invalid `p`.
    pub fn min_distance_km(&self, p: LatLon) -> f64 {
        let Some(q) = valid_vec(p) else { return 0.0 };
        if self.empty {
            return 0.0;
        }
        let mut lb = self.min_kept_rad(q);
        for c in &self.all {
            lb = lb.max(angle(c.c, q) - c.rho - TOL_RAD);
        }
        lb.max(0.0) * EARTH_RADIUS_KM
    }

    /// Whether the region lies inside / outside the disc `d` (guaranteed), or
    /// neither can be said. `Partial` for an empty region or an unusable `d`.
    pub fn within_disc(&self, d: &Disc) -> Containment {
        if self.empty || !d.center.is_valid() || d.radius_km.is_nan() {
            return Containment::Partial;
        }
        if self.max_distance_km(d.center) <= d.radius_km {
            Containment::Inside
        } else if self.min_distance_km(d.center) > d.radius_km {
            Containment::Outside
        } else {
            Containment::Partial
        }
    }

    /// Whether the region lies inside / outside the area (guaranteed), or
    /// neither can be said. `Partial` for an empty or unbounded region, an
    /// empty area, or when the work limit is reached.
    ///
    /// Method: the region of kept caps is connected, so if no point of the
    /// area's boundary lies in it, it is entirely on one side, and one point
    /// of it tells which. Each boundary edge (a straight line in lon/lat, as
    /// GeoJSON defines it) is split adaptively; a piece of parameter length
    /// `L` has surface length at most `R·L`, so every point of the piece is
    /// within `R·L/2` of an end, and the piece misses the region when an end's
    /// sound distance lower bound exceeds that.
    pub fn within_area(&self, area: &Area) -> Containment {
        if self.empty || self.kept.is_empty() || area.is_empty() {
            return Containment::Partial;
        }
        let Some(m) = self.rep else { return Containment::Partial };
        let beta = self.max_kept_rad(m) * EARTH_RADIUS_KM;
        // If m is not strictly inside (degenerate region), the side test at m
        // is valid only if the boundary stays farther than m's distance to
        // the region, bounded here by the farthest distance.
        let delta = if self.strictly_in_kept(m) { 0.0 } else { beta };
        let mut budget = AREA_BUDGET;
        for (a, b) in area.edges() {
            if !self.edge_clear(a, b, m, beta, delta, &mut budget) {
                return Containment::Partial;
            }
        }
        if area.contains(to_latlon(m)) { Containment::Inside } else { Containment::Outside }
    }

    fn edge_clear(
        &self,
        a: LatLon,
        b: LatLon,
        m: V3,
        beta: f64,
        delta: f64,
        budget: &mut usize,
    ) -> bool {
        let mut stack = vec![(a.lat, a.lon, b.lat, b.lon)];
        while let Some((la0, lo0, la1, lo1)) = stack.pop() {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            let half =
                EARTH_RADIUS_KM * (la1 - la0).to_radians().hypot((lo1 - lo0).to_radians()) / 2.0;
            let q0 = to_vec(LatLon { lat: la0, lon: lo0 });
            let q1 = to_vec(LatLon { lat: la1, lon: lo1 });
            // Cheap test against the region's bounding cap around m.
            let near_m = angle(q0, m).min(angle(q1, m)) * EARTH_RADIUS_KM;
            if near_m - half - beta > delta + TOLERANCE_KM {
                continue;
            }
            let md = self.min_kept_rad(q0).min(self.min_kept_rad(q1)) * EARTH_RADIUS_KM;
            if md - half > delta {
                continue;
            }
            if half * 2.0 <= MIN_PIECE_KM {
                return false;
            }
            let (lam, lom) = ((la0 + la1) / 2.0, (lo0 + lo1) / 2.0);
            stack.push((la0, lo0, lam, lom));
            stack.push((lam, lom, la1, lo1));
        }
        true
    }

    /// Ordered polygon approximating the boundary of the region of kept
    /// discs (for drawing and reports). Every vertex is within
    /// [`TOLERANCE_KM`] of that region and every point of its true boundary
    /// is within [`Region::margin_km`] of some vertex. Empty for an empty or
    /// unbounded region.
    pub fn boundary(&self) -> &[LatLon] {
        &self.boundary
    }

    /// The sampling margin of [`Region::boundary`] (km): every true boundary
    /// point is within this distance of a vertex. The distance and
    /// containment queries do not use the samples; their only allowance is
    /// [`TOLERANCE_KM`].
    pub fn margin_km(&self) -> f64 {
        self.margin_km
    }

    /// A sound bounding box `(south-west, north-east)` of the region of kept
    /// discs. When it crosses the antimeridian the west longitude is greater
    /// than the east one (as in GeoJSON). A region touching a pole spans all
    /// longitudes. `None` for an empty region; the whole world when unbounded.
    pub fn bbox(&self) -> Option<(LatLon, LatLon)> {
        self.bbox
    }

    /// A point of the region (the normalised mean of the boundary samples,
    /// inside since the region is convex). `None` if empty or unbounded.
    pub fn representative_point(&self) -> Option<LatLon> {
        self.rep.map(to_latlon)
    }

    fn in_kept_enlarged(&self, q: V3) -> bool {
        self.kept.iter().all(|c| c.contains_enlarged(q))
    }

    fn strictly_in_kept(&self, q: V3) -> bool {
        self.kept.iter().all(|c| angle(c.c, q) <= c.rho - TOL_RAD)
    }

    /// Lower bound (radians) on the distance from q to the kept region.
    fn min_kept_rad(&self, q: V3) -> f64 {
        if self.kept.is_empty() || self.in_kept_enlarged(q) {
            return 0.0;
        }
        let mut best = PI;
        for arc in &self.arcs {
            best = best.min(arc_extremes(&self.kept[arc.cap], arc, q).0);
        }
        (best - TOL_RAD).max(0.0)
    }

    /// Upper bound (radians) on the distance from q to any point of the kept
    /// region.
    fn max_kept_rad(&self, q: V3) -> f64 {
        if self.kept.is_empty() || self.in_kept_enlarged(neg(q)) {
            return PI;
        }
        let mut best: f64 = 0.0;
        for arc in &self.arcs {
            best = best.max(arc_extremes(&self.kept[arc.cap], arc, q).1);
        }
        (best + TOL_RAD).min(PI)
    }

    fn sample_boundary(&mut self) {
        if self.empty || self.kept.is_empty() {
            return;
        }
        let mut samples: Vec<V3> = Vec::new();
        let mut margin: f64 = 0.0;
        for arc in &self.arcs {
            let cap = &self.kept[arc.cap];
            // A circle identical (within tolerance) to an earlier one adds
            // nothing to the picture; its points are within 2 tolerances.
            let dup = self.kept[..arc.cap]
                .iter()
                .any(|o| angle(o.c, cap.c) <= TOL_RAD && (o.rho - cap.rho).abs() <= TOL_RAD);
            if dup {
                continue;
            }
            let circ = TAU * EARTH_RADIUS_KM * cap.rho.sin();
            // About one sample per 2 km of circle, 90 to 2048 per circle.
            let per_circle = (circ / 2.0).ceil().clamp(90.0, 2048.0);
            let len = arc.e - arc.s;
            let n = (len / TAU * per_circle).ceil().max(1.0);
            let step = len / n;
            margin = margin.max(EARTH_RADIUS_KM * cap.rho.sin() * step / 2.0);
            // n ≤ 2048 so the cast is exact.
            for k in 0..=(n as usize) {
                samples.push(cap.point(arc.s + step * k as f64));
            }
        }
        self.margin_km = margin + 3.0 * TOLERANCE_KM;
        let sum = samples.iter().fold([0.0; 3], |acc, s| add(acc, *s));
        let rep = normalize(sum).or_else(|| self.kept.first().map(|c| c.c));
        let Some(m) = rep else { return };
        self.rep = Some(m);
        // The region is convex and m inside it, so the boundary is ordered by
        // azimuth around m.
        let (e1, e2) = basis(m);
        let mut keyed: Vec<(f64, V3)> =
            samples.into_iter().map(|x| (dot(x, e2).atan2(dot(x, e1)), x)).collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out: Vec<LatLon> = Vec::with_capacity(keyed.len());
        let mut last: Option<V3> = None;
        for (_, x) in keyed {
            if last.is_some_and(|l| angle(l, x) < 1e-12) {
                continue;
            }
            last = Some(x);
            out.push(to_latlon(x));
        }
        self.boundary = out;
    }

    fn compute_bbox(&self) -> Option<(LatLon, LatLon)> {
        let world = (LatLon { lat: -90.0, lon: -180.0 }, LatLon { lat: 90.0, lon: 180.0 });
        if self.empty {
            return None;
        }
        if self.kept.is_empty() {
            return Some(world);
        }
        let north = [0.0, 0.0, 1.0];
        let lat_max = (90.0 - self.min_kept_rad(north).to_degrees()).clamp(-90.0, 90.0);
        let lat_min = (90.0 - self.max_kept_rad(north).to_degrees()).clamp(-90.0, 90.0);
        let full = |lo: f64, hi: f64| {
            Some((LatLon { lat: lo, lon: -180.0 }, LatLon { lat: hi, lon: 180.0 }))
        };
        let Some(m) = self.rep else { return full(lat_min, lat_max) };
        // A pole inside (or within a metre of) the region: all longitudes.
        if lat_max >= 90.0 - 1e-9 || lat_min <= -90.0 + 1e-9 {
            return full(lat_min, lat_max);
        }
        let lon0 = to_latlon(m).lon;
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for p in &self.boundary {
            let d = crate::sphere::wrap_lon(p.lon - lon0);
            lo = lo.min(d);
            hi = hi.max(d);
        }
        if !lo.is_finite() {
            return full(lat_min, lat_max);
        }
        // A point within `margin` of a sample differs in longitude by at most
        // margin / (R cos φ) for the highest latitude φ on the way.
        let phi =
            lat_max.abs().max(lat_min.abs()) + (self.margin_km / EARTH_RADIUS_KM).to_degrees();
        if phi >= 89.9 {
            return full(lat_min, lat_max);
        }
        let dlon = (self.margin_km / (EARTH_RADIUS_KM * phi.to_radians().cos())).to_degrees();
        if hi - lo + 2.0 * dlon >= 360.0 {
            return full(lat_min, lat_max);
        }
        let west = crate::sphere::wrap_lon(lon0 + lo - dlon);
        let east = crate::sphere::wrap_lon(lon0 + hi + dlon);
        Some((LatLon { lat: lat_min, lon: west }, LatLon { lat: lat_max, lon: east }))
    }
}
