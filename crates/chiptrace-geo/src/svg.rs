//! Self-contained SVG maps of a location check: the landmark discs, the
//! feasible region, the licensed site and areas, on an equirectangular
//! projection.
//!
//! The main plot focuses on what the verdict is about (the feasible region
//! and the licensed site's radius, padded); larger discs are clipped at its
//! frame, and an overview inset shows every disc at a coarse scale with a
//! rectangle marking the main plot. Labels are placed around their markers
//! without overlapping (a numbered list in the legend when none fits), and
//! caption lines are word-wrapped to the document's width.
//!
//! The output has no external fonts, scripts or images, escapes all text, and
//! is deterministic (same input, same bytes; numbers are printed with fixed
//! precision, text widths are estimated from a fixed table), so it can be
//! snapshot-tested and archived with a verdict.
//!
//! Projection: x ∝ longitude · cos φ₀, y ∝ latitude, with φ₀ the middle
//! latitude of the plot, so the scale bar is true along the parallel φ₀ and
//! along every meridian. Circles are drawn as polygons sampled on the sphere
//! (via [`crate::destination`]), so they are right far from the equator and
//! across the antimeridian; a circle around a pole is closed along the pole.

use std::fmt::Write as _;

use crate::area::Area;
use crate::region::{Disc, Region};
use crate::{EARTH_RADIUS_KM, HALF_CIRCUMFERENCE_KM, LatLon, destination, distance_km};

/// How a disc is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DiscStyle {
    /// A landmark's accepted constraint: translucent blue.
    #[default]
    Landmark,
    /// A constraint that was not used (rejected proof, dropped disc): grey,
    /// dashed, unfilled.
    Rejected,
}

/// A disc on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapDisc {
    /// The disc (its label is printed at the landmark).
    pub disc: Disc,
    /// Style.
    pub style: DiscStyle,
}

/// The feasible region to fill.
#[derive(Clone, Debug)]
pub enum MapRegion<'a> {
    /// A computed region (its boundary polygon is drawn).
    Region(&'a Region),
    /// A boundary polygon given directly (ordered).
    Boundary(Vec<LatLon>),
}

/// The licensed site and its allowed radius.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    /// Site coordinates.
    pub center: LatLon,
    /// Allowed radius around the site, km (0 draws only the marker).
    pub radius_km: f64,
    /// Label.
    pub label: String,
}

/// Everything on one map.
#[derive(Clone, Debug, Default)]
pub struct MapSpec<'a> {
    /// Title at the top.
    pub title: String,
    /// Discs, drawn in order.
    pub discs: Vec<MapDisc>,
    /// The feasible region, filled.
    pub region: Option<MapRegion<'a>>,
    /// The licensed site.
    pub site: Option<Site>,
    /// Areas outlined (countries, licensed areas). They set the map's extent
    /// only when nothing else is drawn, so passing a world file is fine.
    pub areas: Vec<&'a Area>,
    /// Extra labelled points.
    pub points: Vec<(LatLon, String)>,
    /// Caption lines under the legend.
    pub caption: Vec<String>,
}

const PLOT_LEFT: f64 = 70.0;
const PLOT_TOP: f64 = 56.0;
const PLOT_MAX_W: f64 = 720.0;
const PLOT_MAX_H: f64 = 640.0;
/// Room right of the plot without / with the overview inset.
const RIGHT_MARGIN: f64 = 40.0;
const INSET_GAP: f64 = 20.0;
const INSET_MAX_W: f64 = 180.0;
const INSET_MAX_H: f64 = 160.0;
const INSET_COLUMN: f64 = INSET_GAP + INSET_MAX_W + 10.0;
const MIN_WIDTH: f64 = 640.0;
const TITLE_TOP: f64 = 30.0;
const TITLE_LINE_H: f64 = 24.0;
const TITLE_PX: f64 = 18.0;
const FONT_PX: f64 = 12.0;
const LINE_H: f64 = 18.0;
const KM_PER_DEG: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
/// The main plot around the region and the site's radius: three times their
/// size (margins of at most 1,000 km, so a continent-wide region is not lost
/// in a world map), at least 50 km, filling the plot's aspect.
const FOCUS_MIN_KM: f64 = 50.0;
const FOCUS_PADDING: Padding = Padding {
    factor: 3.0,
    max_margin_km: 1000.0,
    min_km: FOCUS_MIN_KM,
    aspect: Some(PLOT_MAX_W / PLOT_MAX_H),
};
/// Without a region the focus holds landmarks spread apart: less padding.
const FALLBACK_PADDING: Padding = Padding {
    factor: 1.3,
    max_margin_km: 1000.0,
    min_km: FOCUS_MIN_KM,
    aspect: Some(PLOT_MAX_W / PLOT_MAX_H),
};
/// Areas alone, and the overview: a margin around everything.
const AREA_PADDING: Padding =
    Padding { factor: 1.16, max_margin_km: f64::INFINITY, min_km: 22.0, aspect: None };
const OVERVIEW_PADDING: Padding = AREA_PADDING;
const CIRCLE_SAMPLES: usize = 180;

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Fixed-precision number without a negative zero.
fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".to_string() } else { s }
}

/// Distances for labels: whole km from 100 km, else one or two decimals.
fn km(x: f64) -> String {
    let a = x.abs();
    let s = if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 1.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    };
    format!("{s} km")
}

fn wrap180(x: f64) -> f64 {
    crate::sphere::wrap_lon(x)
}

/// A projected polyline in (lat, unwrapped lon) degrees.
type Path = Vec<(f64, f64)>;

/// Points of a circle of `radius_km` around `c`, as a closed unwrapped ring
/// starting near `lon0`; a ring that winds around a pole is closed along it.
fn circle_ring(c: LatLon, radius_km: f64, lon0: f64) -> Path {
    let r = radius_km.clamp(0.0, HALF_CIRCUMFERENCE_KM);
    let pts: Vec<LatLon> = (0..CIRCLE_SAMPLES)
        .map(|k| destination(c, 360.0 * k as f64 / CIRCLE_SAMPLES as f64, r))
        .collect();
    let north_inside = distance_km(c, LatLon { lat: 90.0, lon: 0.0 }) <= r;
    close_ring(&pts, lon0, if north_inside { 90.0 } else { -90.0 })
}

/// Unwraps a ring continuously (starting within 180° of `lon0`) and, when it
/// winds once around the globe (it encloses a pole), closes it along
/// `pole_lat`.
fn close_ring(pts: &[LatLon], lon0: f64, pole_lat: f64) -> Path {
    let mut out = unwrap(pts, lon0);
    if let (Some(&(_, first)), Some(&(_, last))) = (out.first(), out.last()) {
        // Net change including the closing edge.
        let closing = pts.first().zip(pts.last()).map_or(0.0, |(a, b)| wrap180(a.lon - b.lon));
        let net = last + closing - first;
        if net.abs() > 180.0 {
            let end = last + closing;
            out.push((pts[0].lat, end));
            out.push((pole_lat, end));
            out.push((pole_lat, first));
        }
    }
    out
}

fn unwrap(pts: &[LatLon], lon0: f64) -> Path {
    let mut out = Vec::with_capacity(pts.len());
    let mut prev: Option<(f64, f64)> = None;
    for p in pts {
        let x = match prev {
            None => lon0 + wrap180(p.lon - lon0),
            Some((raw, x)) => x + wrap180(p.lon - raw),
        };
        prev = Some((p.lon, x));
        out.push((p.lat, x));
    }
    out
}

/// A lat/lon window in unwrapped degrees (longitudes continuous around the
/// map's central longitude, so `lon_max` may exceed 180).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Window {
    lat_min: f64,
    lat_max: f64,
    lon_min: f64,
    lon_max: f64,
}

impl Window {
    /// Bounding window of the paths' points; `None` when there are none.
    fn of<'p>(paths: impl IntoIterator<Item = &'p Path>) -> Option<Window> {
        let mut w = Window {
            lat_min: f64::INFINITY,
            lat_max: f64::NEG_INFINITY,
            lon_min: f64::INFINITY,
            lon_max: f64::NEG_INFINITY,
        };
        for (lat, lon) in paths.into_iter().flat_map(|p| p.iter()) {
            w.lat_min = w.lat_min.min(*lat);
            w.lat_max = w.lat_max.max(*lat);
            w.lon_min = w.lon_min.min(*lon);
            w.lon_max = w.lon_max.max(*lon);
        }
        w.lat_min.is_finite().then_some(w)
    }

    fn union(self, o: Window) -> Window {
        Window {
            lat_min: self.lat_min.min(o.lat_min),
            lat_max: self.lat_max.max(o.lat_max),
            lon_min: self.lon_min.min(o.lon_min),
            lon_max: self.lon_max.max(o.lon_max),
        }
    }

    fn contains(&self, lat: f64, lon: f64) -> bool {
        const EPS: f64 = 1e-9;
        lat >= self.lat_min - EPS
            && lat <= self.lat_max + EPS
            && lon >= self.lon_min - EPS
            && lon <= self.lon_max + EPS
    }

    fn contains_window(&self, o: &Window) -> bool {
        self.contains(o.lat_min, o.lon_min) && self.contains(o.lat_max, o.lon_max)
    }

    fn center(&self) -> LatLon {
        LatLon {
            lat: (self.lat_min + self.lat_max) / 2.0,
            lon: wrap180((self.lon_min + self.lon_max) / 2.0),
        }
    }
}

/// How a window is grown around its content.
#[derive(Clone, Copy, Debug)]
struct Padding {
    /// Each side becomes this many times the content's size ...
    factor: f64,
    /// ... adding at most this many km on each side ...
    max_margin_km: f64,
    /// ... and is at least this many km.
    min_km: f64,
    /// Widen the shorter side to the plot's aspect ratio (width / height).
    aspect: Option<f64>,
}

/// Grows `raw` by `pad` around its centre, within the globe. Content that
/// spans every longitude (around a pole) gets the world around `lon0`.
fn pad_window(raw: Window, lon0: f64, pad: Padding) -> Window {
    let (mut lo0, mut lo1) = (raw.lon_min, raw.lon_max);
    if lo1 - lo0 >= 360.0 {
        (lo0, lo1) = (lon0 - 180.0, lon0 + 180.0);
    }
    let clat = (raw.lat_min + raw.lat_max) / 2.0;
    let clon = (lo0 + lo1) / 2.0;
    let kx = clat.clamp(-80.0, 80.0).to_radians().cos();
    let min_deg = pad.min_km / KM_PER_DEG;
    let grow = |span: f64, km_per_deg: f64| {
        span + (span * (pad.factor - 1.0)).min(2.0 * pad.max_margin_km / km_per_deg)
    };
    let mut lat_span = grow(raw.lat_max - raw.lat_min, KM_PER_DEG).max(min_deg).min(180.0);
    let mut lon_span = grow(lo1 - lo0, KM_PER_DEG * kx).max(min_deg / kx).min(360.0);
    if let Some(aspect) = pad.aspect {
        if lon_span * kx < lat_span * aspect {
            lon_span = (lat_span * aspect / kx).min(360.0);
        } else {
            lat_span = (lon_span * kx / aspect).min(180.0);
        }
    }
    let (mut a, mut b) = (clat - lat_span / 2.0, clat + lat_span / 2.0);
    if a < -90.0 {
        b = (b - 90.0 - a).min(90.0);
        a = -90.0;
    }
    if b > 90.0 {
        a = (a - (b - 90.0)).max(-90.0);
        b = 90.0;
    }
    Window {
        lat_min: a,
        lat_max: b,
        lon_min: clon - lon_span / 2.0,
        lon_max: clon + lon_span / 2.0,
    }
}

/// A projected window: the map's plot or the overview inset.
#[derive(Clone, Copy, Debug)]
struct Frame {
    win: Window,
    x0: f64,
    y0: f64,
    kx: f64,
    s: f64,
    w: f64,
    h: f64,
    phi0: f64,
}

impl Frame {
    /// The largest frame of `win` fitting `max_w` × `max_h` px, x scaled by
    /// the cosine of the middle latitude.
    fn fit(win: Window, x0: f64, y0: f64, max_w: f64, max_h: f64) -> Frame {
        let phi0 = ((win.lat_min + win.lat_max) / 2.0).clamp(-80.0, 80.0);
        let kx = phi0.to_radians().cos();
        let (dlon, dlat) =
            ((win.lon_max - win.lon_min).max(1e-6), (win.lat_max - win.lat_min).max(1e-6));
        let s = (max_w / (dlon * kx)).min(max_h / dlat);
        Frame { win, x0, y0, kx, s, w: dlon * kx * s, h: dlat * s, phi0 }
    }

    fn xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            self.x0 + (lon - self.win.lon_min) * self.kx * self.s,
            self.y0 + (self.win.lat_max - lat) * self.s,
        )
    }

    fn rect(&self) -> Rect {
        Rect { x0: self.x0, y0: self.y0, x1: self.x0 + self.w, y1: self.y0 + self.h }
    }

    /// Kilometres per pixel (true along the parallel φ₀ and every meridian).
    fn km_per_px(&self) -> f64 {
        KM_PER_DEG / self.s
    }

    /// SVG path data for a ring, repeated 360° to the west / east when it
    /// runs past the map's window (a shape across the map's seam, or around
    /// a pole), so the clip shows every part of it.
    fn path_d(&self, path: &Path, close: bool) -> String {
        let (lo, hi) = path
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.1), b.max(p.1)));
        let mut d = String::new();
        for shift in [-360.0, 0.0, 360.0] {
            let overlaps = lo + shift <= self.win.lon_max && hi + shift >= self.win.lon_min;
            if shift != 0.0 && !overlaps {
                continue;
            }
            for (i, (lat, lon)) in path.iter().enumerate() {
                let (x, y) = self.xy(*lat, *lon + shift);
                let _ = write!(d, "{}{},{} ", if i == 0 { "M" } else { "L" }, num(x), num(y));
            }
            if close && !path.is_empty() {
                d.push_str("Z ");
            }
        }
        d.trim_end().to_string()
    }
}

/// An axis-aligned box in SVG pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn around(x: f64, y: f64, half_w: f64, half_h: f64) -> Rect {
        Rect { x0: x - half_w, y0: y - half_h, x1: x + half_w, y1: y + half_h }
    }

    /// Whether the boxes share more than half a pixel each way (touching,
    /// or rounding-level overlap, is fine).
    fn overlaps(&self, o: &Rect) -> bool {
        const SLACK: f64 = 0.5;
        self.x0 + SLACK < o.x1
            && o.x0 + SLACK < self.x1
            && self.y0 + SLACK < o.y1
            && o.y0 + SLACK < self.y1
    }

    fn inside(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }
}

/// Advance widths of printable ASCII (U+0020 to U+007E) in DejaVu Sans, the
/// widest common `sans-serif`, in 1/2048 em.
const ASCII_ADVANCE: [u16; 95] = [
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651,
    690, // ' '../
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, // 0..9
    690, 690, 1716, 1716, 1716, 1087, 2048, // :..@
    1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235,
    1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, // A..Z
    799, 690, 799, 1716, 1024, 1024, // [..`
    1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300,
    1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, // a..z
    1303, 690, 1303, 1716, // {..~
];

/// Estimated width in px of `text` at `font_px` (deterministic: a fixed
/// table, wide for anything else; bold counts 15 % wider).
fn text_width(text: &str, font_px: f64, bold: bool) -> f64 {
    let units: u64 = text
        .chars()
        .map(|c| {
            let u = c as u32;
            match u {
                0x20..=0x7e => u64::from(ASCII_ADVANCE[(u - 0x20) as usize]),
                _ if u >= 0x2e80 => 2048,
                _ => 1400,
            }
        })
        .sum();
    units as f64 / 2048.0 * font_px * if bold { 1.15 } else { 1.0 }
}

/// Word-wraps `text` to lines of at most `max_px` (estimated), breaking a
/// word only when it alone is too long. Always at least one line.
fn wrap_text(text: &str, max_px: f64, font_px: f64, bold: bool) -> Vec<String> {
    let fits = |s: &str| text_width(s, font_px, bold) <= max_px;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for ch in word.chars() {
            line.push(ch);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, ch.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Ascent and descent of 12 px text around its baseline.
const ASCENT: f64 = 10.0;
const DESCENT: f64 = 3.0;

/// Label offsets tried around a marker, in order: (dx, dy of the baseline,
/// text-anchor).
const LABEL_OFFSETS: [(f64, f64, &str); 8] = [
    (7.0, 4.0, "start"),
    (6.0, -9.0, "start"),
    (6.0, 17.0, "start"),
    (-7.0, 4.0, "end"),
    (-6.0, -9.0, "end"),
    (-6.0, 17.0, "end"),
    (0.0, -9.0, "middle"),
    (0.0, 21.0, "middle"),
];

/// A label placed at (x, y) (baseline) with its anchor and estimated box.
#[derive(Clone, Debug)]
struct Placed {
    x: f64,
    y: f64,
    anchor: &'static str,
    bbox: Rect,
}

fn label_box(x: f64, y: f64, anchor: &str, w: f64) -> Rect {
    let x0 = match anchor {
        "end" => x - w,
        "middle" => x - w / 2.0,
        _ => x,
    };
    Rect { x0, y0: y - ASCENT, x1: x0 + w, y1: y + DESCENT }
}

/// First offset around (px, py) whose box stays in `frame` and overlaps
/// none of `taken`.
fn place_label(px: f64, py: f64, w: f64, frame: &Rect, taken: &[Rect]) -> Option<Placed> {
    LABEL_OFFSETS.iter().find_map(|&(dx, dy, anchor)| {
        let (x, y) = (px + dx, py + dy);
        let bbox = label_box(x, y, anchor, w);
        (bbox.inside(frame) && !taken.iter().any(|t| t.overlaps(&bbox))).then_some(Placed {
            x,
            y,
            anchor,
            bbox,
        })
    })
}

/// Compass direction (8 points) of the initial bearing from `a` to `b`.
fn compass(a: LatLon, b: LatLon) -> &'static str {
    const NAMES: [&str; 8] = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dl = (b.lon - a.lon).to_radians();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    let deg = y.atan2(x).to_degrees().rem_euclid(360.0);
    NAMES[((deg + 22.5) / 45.0).floor() as usize % 8]
}

fn nice_step(span: f64, max_lines: f64) -> f64 {
    const STEPS: [f64; 14] =
        [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 45.0];
    STEPS.iter().copied().find(|s| span / s <= max_lines).unwrap_or(90.0)
}

/// Decimals needed to print multiples of `step` exactly (0.25 needs 2).
fn decimals(step: f64) -> usize {
    (0..3)
        .find(|&d| {
            let v = step * 10f64.powi(d as i32);
            (v - v.round()).abs() < 1e-9
        })
        .unwrap_or(2)
}

fn lat_label(lat: f64, dec: usize) -> String {
    let v = format!("{:.*}", dec, lat.abs());
    if lat.abs() < 1e-9 {
        format!("{v}°")
    } else {
        format!("{v}°{}", if lat > 0.0 { 'N' } else { 'S' })
    }
}

fn lon_label(lon: f64, dec: usize) -> String {
    let l = wrap180(lon);
    let v = format!("{:.*}", dec, l.abs());
    if l.abs() < 1e-9 || (l.abs() - 180.0).abs() < 1e-9 {
        format!("{v}°")
    } else {
        format!("{v}°{}", if l > 0.0 { 'E' } else { 'W' })
    }
}

/// Circular mean of the longitudes (0 when undefined).
fn mean_lon(pts: &[LatLon]) -> f64 {
    let (sx, sy) = pts.iter().fold((0.0, 0.0), |(x, y), p| {
        let l = p.lon.to_radians();
        (x + l.cos(), y + l.sin())
    });
    if sx == 0.0 && sy == 0.0 { 0.0 } else { f64::atan2(sy, sx).to_degrees() }
}

/// Size of a window in km: the diagonal, east-west measured at its middle
/// latitude.
fn window_km(w: &Window) -> f64 {
    let kx = ((w.lat_min + w.lat_max) / 2.0).clamp(-80.0, 80.0).to_radians().cos();
    let dy = (w.lat_max - w.lat_min) * KM_PER_DEG;
    let dx = (w.lon_max - w.lon_min).min(360.0) * kx * KM_PER_DEG;
    dx.hypot(dy)
}

/// A scale bar of at most `max_px`: (km, px).
fn scale_bar(km_per_px: f64, max_px: f64) -> (f64, f64) {
    let target = km_per_px * max_px;
    let mag = 10f64.powf(target.log10().floor());
    let bar_km = [5.0, 2.0, 1.0].iter().map(|m| m * mag).find(|v| *v <= target).unwrap_or(mag);
    (bar_km, bar_km / km_per_px)
}

fn bar_label(bar_km: f64) -> String {
    if bar_km >= 1.0 { format!("{bar_km:.0} km") } else { format!("{bar_km} km") }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
    Triangle,
    Square,
    Dot,
}

impl Marker {
    fn bbox(self, x: f64, y: f64) -> Rect {
        match self {
            Marker::Triangle => Rect { x0: x - 5.0, y0: y - 5.0, x1: x + 5.0, y1: y + 3.0 },
            Marker::Square => Rect::around(x, y, 4.0, 4.0),
            Marker::Dot => Rect::around(x, y, 3.0, 3.0),
        }
    }

    fn svg(self, x: f64, y: f64, color: &str) -> String {
        match self {
            Marker::Triangle => {
                format!(r#"<path d="M{},{} l5,8 l-10,0 Z" fill="{color}"/>"#, num(x), num(y - 5.0))
            }
            Marker::Square => format!(
                r#"<rect x="{}" y="{}" width="8" height="8" fill="{color}"/>"#,
                num(x - 4.0),
                num(y - 4.0)
            ),
            Marker::Dot => {
                format!(r#"<circle cx="{}" cy="{}" r="3" fill="{color}"/>"#, num(x), num(y))
            }
        }
    }
}

/// A labelled marker: the site, a landmark or an extra point.
struct Item {
    p: LatLon,
    label: String,
    color: &'static str,
    bold: bool,
    marker: Marker,
}

/// Where things went; kept for the tests.
#[derive(Debug)]
#[cfg_attr(not(test), allow(dead_code))]
struct Layout {
    width: f64,
    height: f64,
    /// Width available to wrapped text lines.
    text_max: f64,
    /// Central longitude the unwrapped coordinates are relative to.
    lon0: f64,
    /// The main plot's window and box.
    focus: Window,
    plot: Rect,
    /// The overview inset, when something lies beyond the focus.
    inset: Option<Frame>,
    /// Boxes of the labels (or numbers) placed clear of the others, of the
    /// numbers that had to be put over something, and of the markers.
    label_boxes: Vec<Rect>,
    forced: usize,
    marker_boxes: Vec<Rect>,
    /// Labels listed by number in the legend (no room on the map).
    numbered: Vec<String>,
    /// Markers outside the focus, listed in the legend.
    off_view: Vec<String>,
    /// Wrapped text lines (title, label list, caption): text, font px, bold.
    lines: Vec<(String, f64, bool)>,
}

/// Renders the map as a standalone SVG document.
///
/// The main plot focuses on the feasible region and the site's radius
/// (padded to three times their size and at least 50 km); larger shapes are
/// clipped at its frame, and an overview inset shows everything at a coarse
/// scale with the focus marked. Without a region, the plot shows the site's
/// radius, the landmarks and the discs no larger than those.
pub fn render(map: &MapSpec) -> String {
    draw(map).0
}

fn draw(map: &MapSpec) -> (String, Layout) {
    let region_pts: Vec<LatLon> = match &map.region {
        Some(MapRegion::Region(r)) => r.boundary().to_vec(),
        Some(MapRegion::Boundary(b)) => b.iter().copied().filter(LatLon::is_valid).collect(),
        None => Vec::new(),
    };
    let valid_discs: Vec<&MapDisc> = map
        .discs
        .iter()
        .filter(|d| d.disc.center.is_valid() && !d.disc.radius_km.is_nan())
        .collect();
    let site = map.site.as_ref().filter(|s| s.center.is_valid());
    let points: Vec<&(LatLon, String)> = map.points.iter().filter(|p| p.0.is_valid()).collect();

    // Central longitude: circular mean of what the map is about.
    let mut core: Vec<LatLon> = region_pts.clone();
    core.extend(site.map(|s| s.center));
    if core.is_empty() {
        core.extend(valid_discs.iter().map(|d| d.disc.center));
        core.extend(points.iter().map(|p| p.0));
    }
    if core.is_empty() {
        core.extend(
            map.areas.iter().flat_map(|a| a.polygons().iter().flatten().flatten().copied()),
        );
    }
    let lon0 = mean_lon(&core);

    // Shapes in unwrapped coordinates.
    let disc_rings: Vec<Path> =
        valid_discs.iter().map(|d| circle_ring(d.disc.center, d.disc.radius_km, lon0)).collect();
    let region_ring: Option<Path> = (region_pts.len() >= 2).then(|| {
        let north = region_pts.iter().map(|p| p.lat).sum::<f64>() >= 0.0;
        close_ring(&region_pts, lon0, if north { 90.0 } else { -90.0 })
    });
    let site_ring: Option<Path> =
        site.filter(|s| s.radius_km > 0.0).map(|s| circle_ring(s.center, s.radius_km, lon0));
    let area_rings: Vec<Vec<Path>> = map
        .areas
        .iter()
        .map(|a| a.polygons().iter().flatten().map(|ring| unwrap(ring, lon0)).collect())
        .collect();
    let single = |p: LatLon| vec![(p.lat, lon0 + wrap180(p.lon - lon0))];
    let site_pt: Option<Path> = site.map(|s| single(s.center));
    let centre_pts: Vec<Path> = valid_discs.iter().map(|d| single(d.disc.center)).collect();
    let point_pts: Vec<Path> = points.iter().map(|p| single(p.0)).collect();

    // Everything drawn (the overview); areas only when nothing else is, so
    // a world file can be passed.
    let everything: Vec<&Path> = disc_rings
        .iter()
        .chain(&region_ring)
        .chain(&site_ring)
        .chain(&site_pt)
        .chain(&centre_pts)
        .chain(&point_pts)
        .collect();
    let content =
        Window::of(everything.iter().copied()).or_else(|| Window::of(area_rings.iter().flatten()));

    // The focus: the region and the site's radius. Without a region: the
    // site's radius, the landmarks and the discs no larger than their spread.
    let site_paths: Vec<&Path> = site_ring.iter().chain(&site_pt).collect();
    let focus = if let Some(ring) = &region_ring {
        Window::of(site_paths.iter().copied().chain([ring])).map(|w| (w, FOCUS_PADDING))
    } else {
        let base: Vec<&Path> =
            site_paths.iter().copied().chain(&centre_pts).chain(&point_pts).collect();
        Window::of(base.iter().copied()).map(|w| {
            let size = window_km(&w).max(FOCUS_MIN_KM);
            let small = valid_discs
                .iter()
                .zip(&disc_rings)
                .filter(|(d, _)| 2.0 * d.disc.radius_km <= size)
                .map(|(_, r)| r);
            (Window::of(base.iter().copied().chain(small)).unwrap_or(w), FALLBACK_PADDING)
        })
    }
    .or_else(|| Window::of(area_rings.iter().flatten()).map(|w| (w, AREA_PADDING)));
    let focus_win = match focus {
        Some((w, pad)) => pad_window(w, lon0, pad),
        None => {
            Window { lat_min: -60.0, lat_max: 75.0, lon_min: lon0 - 180.0, lon_max: lon0 + 180.0 }
        }
    };
    let overview_win = content
        .filter(|c| !focus_win.contains_window(c))
        .map(|c| pad_window(c.union(focus_win), lon0, OVERVIEW_PADDING));

    // Sizes: the plot, the document width, the title lines.
    let mut f = Frame::fit(focus_win, PLOT_LEFT, PLOT_TOP, PLOT_MAX_W, PLOT_MAX_H);
    let right = if overview_win.is_some() { INSET_COLUMN } else { RIGHT_MARGIN };
    let width = (PLOT_LEFT + f.w + right).max(MIN_WIDTH).ceil();
    let text_max = width - PLOT_LEFT - 16.0;
    let title_lines = wrap_text(&map.title, text_max, TITLE_PX, true);
    let plot_top = PLOT_TOP + TITLE_LINE_H * title_lines.len().saturating_sub(1) as f64;
    f.y0 = plot_top;
    let plot = f.rect();
    let inset = overview_win.map(|w| {
        Frame::fit(w, PLOT_LEFT + f.w + INSET_GAP, plot_top + 18.0, INSET_MAX_W, INSET_MAX_H)
    });

    // Scale bar: px per km is the same along the parallel φ0 and meridians.
    let (bar_km, bar_px) = scale_bar(f.km_per_px(), f.w / 5.0);
    let bar_text = format!("{} (true at {})", bar_label(bar_km), lat_label(f.phi0, 1));
    let (bx, by) = (PLOT_LEFT + 12.0, plot_top + f.h - 14.0);
    let scale_box = Rect {
        x0: bx - 4.0,
        y0: by - 14.0,
        x1: bx + bar_px + 12.0 + text_width(&bar_text, FONT_PX, false),
        y1: by + 8.0,
    };

    // Markers: those in the view get a label where it fits (else a number
    // and a line in the legend); the others are listed in the legend.
    let mut items: Vec<Item> = Vec::new();
    if let Some(s) = site {
        items.push(Item {
            p: s.center,
            label: s.label.clone(),
            color: "#d62728",
            bold: true,
            marker: Marker::Square,
        });
    }
    for d in &valid_discs {
        items.push(Item {
            p: d.disc.center,
            label: format!("{} ({})", d.disc.label, km(d.disc.radius_km)),
            color: if d.style == DiscStyle::Landmark { "#1f77b4" } else { "#888888" },
            bold: false,
            marker: Marker::Triangle,
        });
    }
    for (p, label) in &points {
        items.push(Item {
            p: *p,
            label: label.clone(),
            color: "black",
            bold: false,
            marker: Marker::Dot,
        });
    }
    let locate = |p: LatLon| {
        let lon = lon0 + wrap180(p.lon - lon0);
        [0.0, -360.0, 360.0]
            .into_iter()
            .find(|shift| focus_win.contains(p.lat, lon + shift))
            .map(|shift| f.xy(p.lat, lon + shift))
    };
    let centre = focus_win.center();
    let mut visible: Vec<(&Item, f64, f64)> = Vec::new();
    let mut list: Vec<(String, &'static str)> = Vec::new();
    let mut off_view: Vec<String> = Vec::new();
    for it in &items {
        match locate(it.p) {
            Some((x, y)) => visible.push((it, x, y)),
            None => {
                let text = format!(
                    "outside the map: {}, {} {} of the map centre (see the overview)",
                    it.label,
                    km(distance_km(centre, it.p)),
                    compass(centre, it.p)
                );
                off_view.push(text.clone());
                list.push((text, it.color));
            }
        }
    }
    let marker_boxes: Vec<Rect> = visible.iter().map(|(it, x, y)| it.marker.bbox(*x, *y)).collect();
    let mut taken: Vec<Rect> = marker_boxes.clone();
    taken.push(scale_box);
    let mut label_boxes: Vec<Rect> = Vec::new();
    let mut numbered: Vec<String> = Vec::new();
    let mut forced = 0;
    // Markers under the labels; the site's on top of the others.
    let marks: String =
        visible.iter().rev().map(|(it, x, y)| it.marker.svg(*x, *y, it.color) + "\n").collect();
    let mut texts = String::new();
    for (it, x, y) in &visible {
        let w = text_width(&it.label, FONT_PX, it.bold);
        let (placed, text, is_tag, clear) = match place_label(*x, *y, w, &plot, &taken) {
            Some(p) => (p, it.label.clone(), false, true),
            None => {
                let tag = (numbered.len() + 1).to_string();
                let tw = text_width(&tag, FONT_PX, true);
                let entry = format!("{tag}: {}", it.label);
                numbered.push(entry.clone());
                list.push((entry, it.color));
                match place_label(*x, *y, tw, &plot, &taken) {
                    Some(p) => (p, tag, true, true),
                    None => {
                        let (lx, ly) = (x + 7.0, y + 4.0);
                        let bbox = label_box(lx, ly, "start", tw);
                        (Placed { x: lx, y: ly, anchor: "start", bbox }, tag, true, false)
                    }
                }
            }
        };
        let weight = if it.bold || is_tag { " font-weight=\"bold\"" } else { "" };
        let anchor = if placed.anchor == "start" {
            String::new()
        } else {
            format!(" text-anchor=\"{}\"", placed.anchor)
        };
        let _ = writeln!(
            texts,
            r#"<text x="{}" y="{}"{anchor} fill="{}"{weight}>{}</text>"#,
            num(placed.x),
            num(placed.y),
            it.color,
            escape(&text)
        );
        if clear {
            label_boxes.push(placed.bbox);
        } else {
            forced += 1;
        }
        taken.push(placed.bbox);
    }

    // Legend entries (only what is drawn), the label list, the caption.
    let mut legend: Vec<(&str, &str)> = Vec::new();
    if valid_discs.iter().any(|d| d.style == DiscStyle::Landmark) {
        legend.push(("landmark", "landmark disc: chip within R of landmark (RTT bound)"));
    }
    if valid_discs.iter().any(|d| d.style == DiscStyle::Rejected) {
        legend.push(("rejected", "rejected / unused disc"));
    }
    if region_ring.is_some() {
        legend.push(("region", "feasible region (intersection of discs)"));
    }
    if map.site.is_some() {
        legend.push(("site", "licensed site and allowed radius"));
    }
    if !map.areas.is_empty() {
        legend.push(("area", "area outline"));
    }
    let list_lines: Vec<(String, &str)> = list
        .iter()
        .flat_map(|(text, color)| {
            wrap_text(text, text_max, FONT_PX, false).into_iter().map(move |l| (l, *color))
        })
        .collect();
    let caption_lines: Vec<String> =
        map.caption.iter().flat_map(|c| wrap_text(c, text_max, FONT_PX, false)).collect();
    let inset_bottom = inset.map_or(0.0, |g| g.y0 + g.h + 20.0);
    let legend_top = (plot_top + f.h).max(inset_bottom) + 54.0;
    let list_top = legend_top + LINE_H * legend.len() as f64;
    let caption_top = list_top + LINE_H * list_lines.len() as f64 + 10.0;
    let height = (caption_top + LINE_H * caption_lines.len() as f64 + 16.0).ceil();

    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#,
        w = num(width),
        h = num(height)
    );
    let _ = writeln!(o, "<title>{}</title>", escape(&map.title));
    let _ = writeln!(
        o,
        r#"<rect x="0" y="0" width="{}" height="{}" fill="white"/>"#,
        num(width),
        num(height)
    );
    for (i, line) in title_lines.iter().enumerate() {
        let _ = writeln!(
            o,
            r#"<text x="{}" y="{}" font-size="18" font-weight="bold">{}</text>"#,
            num(PLOT_LEFT),
            num(TITLE_TOP + TITLE_LINE_H * i as f64),
            escape(line)
        );
    }
    o.push_str("<defs>");
    let _ = write!(
        o,
        r#"<clipPath id="plot"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>"#,
        num(plot.x0),
        num(plot.y0),
        num(f.w),
        num(f.h)
    );
    if let Some(g) = &inset {
        let _ = write!(
            o,
            r#"<clipPath id="overview"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>"#,
            num(g.x0),
            num(g.y0),
            num(g.w),
            num(g.h)
        );
    }
    o.push_str("</defs>\n");
    let _ = writeln!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eef4f8\" stroke=\"#333\"/>",
        num(plot.x0),
        num(plot.y0),
        num(f.w),
        num(f.h)
    );

    // Graticule.
    let Window { lat_min, lat_max, lon_min, lon_max } = f.win;
    let lat_step = nice_step(lat_max - lat_min, 8.0);
    let lon_step = nice_step(lon_max - lon_min, 8.0);
    o.push_str("<g class=\"graticule\" stroke=\"#b8c4cc\" stroke-width=\"0.6\">\n");
    let mut labels = String::new();
    let mut k = (lat_min / lat_step).ceil();
    while k * lat_step <= lat_max + 1e-9 {
        let lat = k * lat_step;
        let (x0, y) = f.xy(lat, lon_min);
        let _ = writeln!(
            o,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            num(x0),
            num(y),
            num(x0 + f.w),
            num(y)
        );
        let _ = writeln!(
            labels,
            r##"<text x="{}" y="{}" text-anchor="end" fill="#445">{}</text>"##,
            num(x0 - 4.0),
            num(y + 4.0),
            escape(&lat_label(lat, decimals(lat_step)))
        );
        k += 1.0;
    }
    let mut k = (lon_min / lon_step).ceil();
    while k * lon_step <= lon_max + 1e-9 {
        let lon = k * lon_step;
        let (x, y0) = f.xy(lat_max, lon);
        let _ = writeln!(
            o,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            num(x),
            num(y0),
            num(x),
            num(y0 + f.h)
        );
        let _ = writeln!(
            labels,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#445">{}</text>"##,
            num(x),
            num(y0 + f.h + 15.0),
            escape(&lon_label(lon, decimals(lon_step)))
        );
        k += 1.0;
    }
    o.push_str("</g>\n");
    o.push_str(&labels);

    o.push_str("<g clip-path=\"url(#plot)\">\n");
    for (a, rings) in map.areas.iter().zip(&area_rings) {
        let d: Vec<String> = rings.iter().map(|r| f.path_d(r, true)).collect();
        let _ = writeln!(
            o,
            "<path class=\"area\" d=\"{}\" fill=\"#f3ead2\" fill-opacity=\"0.6\" fill-rule=\"evenodd\" stroke=\"#6b5b3e\" stroke-width=\"1\"><title>{}</title></path>",
            d.join(" "),
            escape(&a.name)
        );
    }
    draw_shapes(
        &mut o,
        &f,
        &valid_discs,
        &disc_rings,
        region_ring.as_ref(),
        site,
        site_ring.as_ref(),
        1.0,
    );
    // Area outlines again above the fills, so borders stay visible.
    for rings in &area_rings {
        let d: Vec<String> = rings.iter().map(|r| f.path_d(r, true)).collect();
        let _ = writeln!(
            o,
            "<path class=\"area-outline\" d=\"{}\" fill=\"none\" stroke=\"#6b5b3e\" stroke-width=\"1\" stroke-dasharray=\"2 2\"/>",
            d.join(" ")
        );
    }
    o.push_str("</g>\n");

    // Markers and labels on top, with a white halo for legibility.
    o.push_str("<g class=\"labels\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\">\n");
    o.push_str(&marks);
    o.push_str(&texts);
    o.push_str("</g>\n");

    let _ = writeln!(
        o,
        "<g class=\"scale\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"22\" fill=\"white\" fill-opacity=\"0.8\"/><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\" stroke-width=\"3\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
        num(scale_box.x0),
        num(scale_box.y0),
        num(scale_box.x1 - scale_box.x0),
        num(bx),
        num(by),
        num(bx + bar_px),
        num(by),
        num(bx + bar_px + 6.0),
        num(by + 4.0),
        escape(&bar_text)
    );

    if let Some(g) = &inset {
        draw_inset(
            &mut o,
            g,
            &f.win,
            &valid_discs,
            &disc_rings,
            region_ring.as_ref(),
            site,
            site_ring.as_ref(),
            lon0,
        );
    }

    // Legend.
    for (i, (kind, text)) in legend.iter().enumerate() {
        let y = legend_top + LINE_H * i as f64;
        let swatch = match *kind {
            "landmark" => "fill=\"#1f77b4\" fill-opacity=\"0.25\" stroke=\"#1f77b4\"",
            "rejected" => "fill=\"none\" stroke=\"#888888\" stroke-dasharray=\"4 2\"",
            "region" => "fill=\"#2ca02c\" fill-opacity=\"0.5\" stroke=\"#176617\"",
            "site" => "fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"",
            _ => "fill=\"#f3ead2\" stroke=\"#6b5b3e\"",
        };
        let _ = writeln!(
            o,
            r#"<rect x="{}" y="{}" width="22" height="12" {swatch}/><text x="{}" y="{}">{}</text>"#,
            num(PLOT_LEFT),
            num(y - 10.0),
            num(PLOT_LEFT + 30.0),
            num(y),
            escape(text)
        );
    }
    for (i, (line, color)) in list_lines.iter().enumerate() {
        let _ = writeln!(
            o,
            r#"<text class="label-list" x="{}" y="{}" fill="{color}">{}</text>"#,
            num(PLOT_LEFT),
            num(list_top + LINE_H * i as f64),
            escape(line)
        );
    }
    for (i, line) in caption_lines.iter().enumerate() {
        let _ = writeln!(
            o,
            r##"<text class="caption" x="{}" y="{}" fill="#222">{}</text>"##,
            num(PLOT_LEFT),
            num(caption_top + LINE_H * i as f64),
            escape(line)
        );
    }
    o.push_str("</svg>\n");

    let lines = title_lines
        .into_iter()
        .map(|l| (l, TITLE_PX, true))
        .chain(list_lines.into_iter().map(|(l, _)| (l, FONT_PX, false)))
        .chain(caption_lines.into_iter().map(|l| (l, FONT_PX, false)))
        .collect();
    let layout = Layout {
        width,
        height,
        text_max,
        lon0,
        focus: focus_win,
        plot,
        inset,
        label_boxes,
        forced,
        marker_boxes,
        numbered,
        off_view,
        lines,
    };
    (o, layout)
}

/// Discs, the region and the site's circle in frame `f` (clipped by the
/// caller); `thin` scales the stroke widths.
#[allow(clippy::too_many_arguments)]
fn draw_shapes(
    o: &mut String,
    f: &Frame,
    discs: &[&MapDisc],
    disc_rings: &[Path],
    region_ring: Option<&Path>,
    site: Option<&Site>,
    site_ring: Option<&Path>,
    thin: f64,
) {
    for (d, ring) in discs.iter().zip(disc_rings) {
        let style = match d.style {
            DiscStyle::Landmark => format!(
                "fill=\"#1f77b4\" fill-opacity=\"0.12\" stroke=\"#1f77b4\" stroke-width=\"{}\"",
                num(1.2 * thin)
            ),
            DiscStyle::Rejected => format!(
                "fill=\"none\" stroke=\"#888888\" stroke-width=\"{}\" stroke-dasharray=\"6 4\"",
                num(1.2 * thin)
            ),
        };
        let _ = writeln!(
            o,
            "<path class=\"disc\" d=\"{}\" {style}><title>{}</title></path>",
            f.path_d(ring, true),
            escape(&format!("{} ({})", d.disc.label, km(d.disc.radius_km)))
        );
    }
    if let Some(ring) = region_ring {
        let _ = writeln!(
            o,
            "<path class=\"region\" d=\"{}\" fill=\"#2ca02c\" fill-opacity=\"0.4\" stroke=\"#176617\" stroke-width=\"{}\"/>",
            f.path_d(ring, true),
            num(1.5 * thin)
        );
    }
    if let (Some(site), Some(ring)) = (site, site_ring) {
        let _ = writeln!(
            o,
            "<path class=\"site\" d=\"{}\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"{}\"><title>{}</title></path>",
            f.path_d(ring, true),
            num(2.0 * thin),
            escape(&format!("{} ({})", site.label, km(site.radius_km)))
        );
    }
}

/// The overview inset: every shape at a coarse scale, the landmarks and the
/// site as dots, and a rectangle marking the main plot's window.
#[allow(clippy::too_many_arguments)]
fn draw_inset(
    o: &mut String,
    g: &Frame,
    focus: &Window,
    discs: &[&MapDisc],
    disc_rings: &[Path],
    region_ring: Option<&Path>,
    site: Option<&Site>,
    site_ring: Option<&Path>,
    lon0: f64,
) {
    o.push_str("<g class=\"overview\">\n");
    let _ = writeln!(
        o,
        r##"<text x="{}" y="{}" fill="#445">overview</text>"##,
        num(g.x0),
        num(g.y0 - 6.0)
    );
    let _ = writeln!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eef4f8\" stroke=\"#333\"/>",
        num(g.x0),
        num(g.y0),
        num(g.w),
        num(g.h)
    );
    o.push_str("<g clip-path=\"url(#overview)\">\n");
    draw_shapes(o, g, discs, disc_rings, region_ring, site, site_ring, 0.6);
    for d in discs {
        let (x, y) = g.xy(d.disc.center.lat, lon0 + wrap180(d.disc.center.lon - lon0));
        let color = if d.style == DiscStyle::Landmark { "#1f77b4" } else { "#888888" };
        let _ = writeln!(o, r#"<circle cx="{}" cy="{}" r="1.5" fill="{color}"/>"#, num(x), num(y));
    }
    o.push_str("</g>\n");
    // The focus window, at least 8 px so it stays visible.
    let (xa, ya) = g.xy(focus.lat_max, focus.lon_min);
    let (xb, yb) = g.xy(focus.lat_min, focus.lon_max);
    let (cx, cy) = ((xa + xb) / 2.0, (ya + yb) / 2.0);
    let (hw, hh) = (((xb - xa) / 2.0).max(4.0), ((yb - ya) / 2.0).max(4.0));
    let _ = writeln!(
        o,
        "<rect class=\"focus\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\" stroke-width=\"1.5\"><title>main map</title></rect>",
        num(cx - hw),
        num(cy - hh),
        num(2.0 * hw),
        num(2.0 * hh)
    );
    let (bar_km, bar_px) = scale_bar(g.km_per_px(), g.w / 2.5);
    let (bx, by) = (g.x0, g.y0 + g.h + 12.0);
    let _ = writeln!(
        o,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\" font-size=\"10\">{}</text>",
        num(bx),
        num(by),
        num(bx + bar_px),
        num(by),
        num(bx + bar_px + 4.0),
        num(by + 4.0),
        escape(&bar_label(bar_km))
    );
    o.push_str("</g>\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_and_controls() {
        assert_eq!(escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}");
    }

    #[test]
    fn pole_circle_is_closed_along_the_pole() {
        let ring = circle_ring(LatLon { lat: 85.0, lon: 10.0 }, 1000.0, 0.0);
        assert!(ring.iter().any(|p| p.0 == 90.0), "ring around the north pole is closed along it");
        let ring = circle_ring(LatLon { lat: 0.0, lon: 179.0 }, 500.0, 179.0);
        let (lo, hi) = ring
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| (a.0.min(p.1), a.1.max(p.1)));
        assert!(hi - lo < 10.0, "antimeridian circle stays continuous: {lo}..{hi}");
    }

    use crate::intersect;

    const SITE: LatLon = LatLon { lat: 1.3521, lon: 103.8198 };
    const SG1: LatLon = LatLon { lat: 1.2966, lon: 103.7764 };
    const KL: LatLon = LatLon { lat: 3.139, lon: 101.6869 };
    const HK: LatLon = LatLon { lat: 22.3193, lon: 114.1694 };

    /// Two Singapore landmarks 4 km apart, Kuala Lumpur and a 4,000 km
    /// Hong Kong disc.
    fn demo_discs() -> Vec<Disc> {
        vec![
            Disc::new(SG1, 20.0, "LM-SG1"),
            Disc::new(destination(SG1, 90.0, 4.0), 20.0, "LM-SG2"),
            Disc::new(KL, 350.0, "LM-KL"),
            Disc::new(HK, 4000.0, "LM-HK"),
        ]
    }

    fn spec<'a>(discs: &[Disc], region: Option<&'a Region>, caption: Vec<String>) -> MapSpec<'a> {
        MapSpec {
            title: "chiptrace location verification: GPU-DEMO-1".into(),
            discs: discs
                .iter()
                .map(|d| MapDisc { disc: d.clone(), style: DiscStyle::Landmark })
                .collect(),
            region: region.map(MapRegion::Region),
            site: Some(Site {
                center: SITE,
                radius_km: 30.0,
                label: "licensed site SG-DC-1 (30 km)".into(),
            }),
            caption,
            ..MapSpec::default()
        }
    }

    fn inside(l: &Layout, p: LatLon) -> bool {
        l.focus.contains(p.lat, l.lon0 + wrap180(p.lon - l.lon0))
    }

    fn ring(c: LatLon, r: f64) -> Vec<LatLon> {
        (0..72).map(|k| destination(c, 5.0 * k as f64, r)).collect()
    }

    #[test]
    fn focus_holds_region_and_site_radius_but_not_a_far_disc() {
        let discs = demo_discs();
        let region = intersect(&discs);
        assert!(!region.is_empty());
        let (svg, l) = draw(&spec(&discs, Some(&region), vec![]));
        for p in ring(SITE, 30.0).iter().chain(region.boundary()) {
            assert!(inside(&l, *p), "{p:?} outside the focus {:?}", l.focus);
        }
        assert!(!ring(HK, 4000.0).iter().all(|p| inside(&l, *p)), "the 4,000 km disc is clipped");
        assert!(!inside(&l, HK), "Hong Kong is outside the focus");
        // At least 50 km and three times the site's 60 km across, at most a
        // few hundred km.
        let (h_km, w_km) = (
            (l.focus.lat_max - l.focus.lat_min) * KM_PER_DEG,
            (l.focus.lon_max - l.focus.lon_min) * KM_PER_DEG * SITE.lat.to_radians().cos(),
        );
        assert!(h_km >= 179.9 && w_km >= 179.9 && h_km < 600.0 && w_km < 600.0, "{h_km} x {w_km}");
        // The plot keeps the aspect: px per km equal in x and y (cos φ₀).
        let kx = (l.plot.x1 - l.plot.x0) / w_km;
        let ky = (l.plot.y1 - l.plot.y0) / h_km;
        assert!((kx / ky - 1.0).abs() < 0.01, "{kx} vs {ky}");
        // The scale bar matches the focus scale (~3.6 px/km): a 20 km bar.
        let bar = svg.find(">20 km (true at 1.").and_then(|i| svg[..i].rfind("<line "));
        let bar = bar.map(|i| &svg[i..]).unwrap_or_default();
        let coords: Vec<f64> = ["x1=\"", "x2=\""]
            .iter()
            .filter_map(|k| bar.split(k).nth(1)?.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(coords.len(), 2, "scale bar for the focus view");
        assert!(
            ((coords[1] - coords[0]) / 20.0 - ky).abs() < 0.01 * ky,
            "{coords:?} vs {ky} px/km"
        );
        // Hong Kong is listed, with its distance and direction.
        assert!(l.off_view.iter().any(|t| t.contains("LM-HK") && t.contains(" NE of")));
        assert!(l.off_view.iter().any(|t| t.contains("LM-KL") && t.contains(" NW of")));
    }

    #[test]
    fn a_continent_wide_region_gets_bounded_margins() {
        let discs = [
            Disc::new(SG1, 3929.0, "LM-SG1"),
            Disc::new(KL, 4408.0, "LM-KL"),
            Disc::new(HK, 8255.0, "LM-HK"),
        ];
        let region = intersect(&discs);
        let (_, l) = draw(&spec(&discs, Some(&region), vec![]));
        for p in region.boundary() {
            assert!(inside(&l, *p), "{p:?} outside the focus {:?}", l.focus);
        }
        let (lo, hi) = region
            .boundary()
            .iter()
            .fold((90.0f64, -90.0f64), |(a, b), p| (a.min(p.lat), b.max(p.lat)));
        // 1,000 km margins (about 9°) plus the aspect's widening, not three
        // times a 70° region.
        assert!(l.focus.lat_max - l.focus.lat_min < (hi - lo) + 2.0 * 9.1, "{:?}", l.focus);
        assert!(l.inset.is_some());
    }

    #[test]
    fn empty_region_focuses_on_the_site_and_landmarks() {
        let discs = vec![
            Disc::new(SG1, 10.0, "LM-SG1"),
            Disc::new(destination(SG1, 0.0, 80.0), 10.0, "LM-SG-NORTH"),
            Disc::new(HK, 4000.0, "LM-HK"),
        ];
        let region = intersect(&discs);
        assert!(region.is_empty());
        let (_, l) = draw(&spec(&discs, None, vec![]));
        for p in ring(SITE, 30.0).iter().chain(&ring(SG1, 10.0)).chain([&HK]) {
            assert!(inside(&l, *p), "{p:?} outside {:?}", l.focus);
        }
        assert!(!ring(HK, 4000.0).iter().all(|p| inside(&l, *p)));
        assert!(l.inset.is_some());
        // Without Hong Kong: the small discs are shown whole, at a local scale.
        let (_, l) = draw(&spec(&discs[..2], None, vec![]));
        for p in ring(SITE, 30.0).iter().chain(&ring(discs[1].center, 10.0)) {
            assert!(inside(&l, *p), "{p:?} outside {:?}", l.focus);
        }
        assert!((l.focus.lat_max - l.focus.lat_min) * KM_PER_DEG < 400.0);
    }

    #[test]
    fn long_captions_wrap_to_the_width() {
        let discs = demo_discs();
        let region = intersect(&discs);
        let short = draw(&spec(&discs, Some(&region), vec!["short".into()])).1;
        let long_reason = "the chip is within 30.0 km of site SG-DC-1 (at most 20.4 km away), \
            shown independently by landmarks of regulator, vendor, and also by a long list of \
            other parties whose names <& quotes \"here\"> make this line far longer than the map"
            .repeat(3);
        let word = "x".repeat(300);
        let caption = vec!["short".to_string(), long_reason.clone(), word.clone(), String::new()];
        let (svg, l) = draw(&spec(&discs, Some(&region), caption));
        assert!(l.lines.len() > short.lines.len() + 5, "{} lines", l.lines.len());
        for (line, px, bold) in &l.lines {
            let w = text_width(line, *px, *bold);
            assert!(w <= l.text_max, "{w} > {} for {line:?}", l.text_max);
            assert!(svg.contains(&format!(">{}</text>", escape(line))), "missing {line:?}");
        }
        assert!(l.text_max + PLOT_LEFT <= l.width);
        let captions = svg.matches("class=\"caption\"").count();
        // "short", the long reason (4+ lines), the long word (2+), the empty line.
        assert!(captions >= 8, "{captions} caption lines");
        assert!(l.height >= short.height + LINE_H * (captions - 1) as f64 - 0.5);
        // Words are kept whole and nothing is lost.
        let joined: Vec<&str> = l.lines.iter().flat_map(|(t, _, _)| t.split(' ')).collect();
        let expected: Vec<&str> = long_reason.split_whitespace().collect();
        assert!(joined.windows(expected.len()).any(|w| w == expected.as_slice()));
        assert_eq!(
            l.lines
                .iter()
                .filter(|(t, _, _)| t.starts_with('x'))
                .map(|(t, _, _)| t.len())
                .sum::<usize>(),
            300
        );
        assert!(!svg.contains("<& "), "escaped");
    }

    #[test]
    fn graticule_labels_print_the_step_exactly() {
        assert_eq!([1.0, 0.5, 0.25, 0.2, 0.05, 0.01].map(decimals), [0, 1, 2, 1, 2, 2]);
        assert_eq!(lat_label(1.25, decimals(0.25)), "1.25°N");
    }

    #[test]
    fn wrap_keeps_short_lines_and_splits_long_words() {
        assert_eq!(wrap_text("a  b", 100.0, 12.0, false), vec!["a b".to_string()]);
        assert_eq!(wrap_text("", 100.0, 12.0, false), vec![String::new()]);
        let lines = wrap_text(&"m".repeat(40), 100.0, 12.0, false);
        assert!(lines.len() > 1 && lines.iter().all(|l| text_width(l, 12.0, false) <= 100.0));
        assert!(text_width("W", 12.0, true) > text_width("i", 12.0, false));
        assert!(text_width("漢", 12.0, false) >= 12.0);
    }

    fn assert_disjoint(boxes: &[Rect]) {
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn labels_4_km_apart_do_not_overlap() {
        let discs = demo_discs();
        let region = intersect(&discs);
        let (svg, l) = draw(&spec(&discs, Some(&region), vec![]));
        // The site and both Singapore landmarks are labelled on the map.
        assert_eq!(l.label_boxes.len(), 3, "{:?}", l.numbered);
        assert!(l.numbered.is_empty(), "{:?}", l.numbered);
        let mut all = l.label_boxes.clone();
        assert_disjoint(&all);
        for m in &l.marker_boxes {
            assert!(l.label_boxes.iter().all(|b| !b.overlaps(m)), "label over marker {m:?}");
        }
        all.extend(l.marker_boxes.iter().copied());
        assert!(all.iter().all(|b| b.inside(&l.plot)));
        for label in ["LM-SG1 (20.0 km)", "LM-SG2 (20.0 km)", "licensed site SG-DC-1 (30 km)"] {
            assert!(svg.contains(&format!(">{label}</text>")), "{label}");
        }
    }

    #[test]
    fn crowded_labels_fall_back_to_a_numbered_list() {
        let mut discs: Vec<Disc> =
            (0..12).map(|i| Disc::new(SG1, 20.0 + i as f64, format!("LM-<{i}>"))).collect();
        discs.push(Disc::new(SITE, 25.0, "LM-SITE"));
        let region = intersect(&discs);
        let (svg, l) = draw(&spec(&discs, Some(&region), vec![]));
        assert!(!l.numbered.is_empty());
        assert_eq!(l.label_boxes.len() + l.forced, 14, "every marker has a label or a number");
        assert!(l.label_boxes.len() >= 8, "{} placed", l.label_boxes.len());
        assert_disjoint(&l.label_boxes);
        for entry in &l.numbered {
            assert!(svg.contains(&escape(entry)), "{entry}");
        }
        assert!(svg.contains("1: LM-&lt;"), "numbered entries are escaped");
        assert_eq!(svg, draw(&spec(&discs, Some(&region), vec![])).0, "deterministic");
    }

    #[test]
    fn inset_only_when_something_lies_beyond_the_focus() {
        let discs = demo_discs();
        let region = intersect(&discs);
        let (svg, l) = draw(&spec(&discs, Some(&region), vec![]));
        let g = l.inset.as_ref().map(|g| g.win);
        assert!(g.is_some(), "the Hong Kong disc extends beyond the focus");
        let g = g.unwrap_or(l.focus);
        assert!(g.contains_window(&l.focus));
        assert!(
            ring(HK, 4000.0).iter().all(|p| g.contains(p.lat, l.lon0 + wrap180(p.lon - l.lon0)))
        );
        for needle in [
            "class=\"overview\"",
            "clipPath id=\"overview\"",
            "class=\"focus\"",
            ">overview</text>",
        ] {
            assert!(svg.contains(needle), "{needle}");
        }
        // The inset sits right of the plot, inside the document.
        let f = l.inset.as_ref().map(Frame::rect).unwrap_or(l.plot);
        assert!(f.x0 > l.plot.x1 && f.x1 <= l.width);
        // Small discs only: everything fits, no inset.
        let (svg, l) = draw(&spec(&discs[..2], Some(&intersect(&discs[..2])), vec![]));
        assert!(l.inset.is_none() && !svg.contains("overview"));
        assert!(l.off_view.is_empty());
    }

    #[test]
    fn off_view_labels_are_escaped_and_output_is_deterministic() {
        let mut discs = demo_discs();
        discs[3].label = "HK <A&B> \"x\"".into();
        let region = intersect(&discs);
        let s = spec(&discs, Some(&region), vec!["v <&> c".into()]);
        let svg = render(&s);
        assert_eq!(svg, render(&s));
        assert!(svg.contains("outside the map: HK &lt;A&amp;B&gt; &quot;x&quot; (4000 km)"));
        assert!(!svg.contains("<A&B>") && !svg.contains("NaN") && !svg.contains("inf"));
    }
}
