//! Self-contained SVG maps of a location check: the landmark discs, the
//! feasible region, the licensed site and areas, on an equirectangular
//! projection around everything drawn.
//!
//! The output has no external fonts, scripts or images, escapes all text, and
//! is deterministic (same input, same bytes; numbers are printed with fixed
//! precision), so it can be snapshot-tested and archived with a verdict.
//!
//! Projection: x ∝ longitude · cos φ₀, y ∝ latitude, with φ₀ the middle
//! latitude of the map, so the scale bar is true along the parallel φ₀ and
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

const WIDTH: f64 = 1000.0;
const PLOT_LEFT: f64 = 70.0;
const PLOT_TOP: f64 = 56.0;
const PLOT_MAX_W: f64 = 740.0;
const PLOT_MAX_H: f64 = 640.0;
const LINE_H: f64 = 18.0;
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

struct Frame {
    lat_max: f64,
    lon_min: f64,
    lon_max: f64,
    kx: f64,
    s: f64,
    w: f64,
    h: f64,
    phi0: f64,
}

impl Frame {
    fn xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            PLOT_LEFT + (lon - self.lon_min) * self.kx * self.s,
            PLOT_TOP + (self.lat_max - lat) * self.s,
        )
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
            let overlaps = lo + shift <= self.lon_max && hi + shift >= self.lon_min;
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

fn nice_step(span: f64, max_lines: f64) -> f64 {
    const STEPS: [f64; 14] =
        [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 45.0];
    STEPS.iter().copied().find(|s| span / s <= max_lines).unwrap_or(90.0)
}

fn decimals(step: f64) -> usize {
    if step < 0.1 {
        2
    } else if step < 1.0 {
        1
    } else {
        0
    }
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

fn title_len(map: &MapSpec) -> usize {
    // The title is 18 px bold: count it as 1.5 normal characters.
    map.title.chars().count() * 3 / 2
}

/// Renders the map as a standalone SVG document.
pub fn render(map: &MapSpec) -> String {
    // Central longitude: circular mean of what the map is about.
    let mut focus: Vec<LatLon> = Vec::new();
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
    focus.extend(region_pts.iter().copied());
    focus.extend(valid_discs.iter().map(|d| d.disc.center));
    focus.extend(map.site.iter().map(|s| s.center).filter(LatLon::is_valid));
    focus.extend(map.points.iter().map(|p| p.0).filter(LatLon::is_valid));
    if focus.is_empty() {
        focus.extend(
            map.areas.iter().flat_map(|a| a.polygons().iter().flatten().flatten().copied()),
        );
    }
    let lon0 = {
        let (sx, sy) = focus.iter().fold((0.0, 0.0), |(x, y), p| {
            let l = p.lon.to_radians();
            (x + l.cos(), y + l.sin())
        });
        if sx == 0.0 && sy == 0.0 { 0.0 } else { f64::atan2(sy, sx).to_degrees() }
    };

    // Shapes in unwrapped coordinates.
    let disc_rings: Vec<Path> =
        valid_discs.iter().map(|d| circle_ring(d.disc.center, d.disc.radius_km, lon0)).collect();
    let region_ring: Option<Path> = (region_pts.len() >= 2).then(|| {
        let north = region_pts.iter().map(|p| p.lat).sum::<f64>() >= 0.0;
        close_ring(&region_pts, lon0, if north { 90.0 } else { -90.0 })
    });
    let site_ring: Option<Path> = map
        .site
        .as_ref()
        .filter(|s| s.center.is_valid() && s.radius_km > 0.0)
        .map(|s| circle_ring(s.center, s.radius_km, lon0));
    let area_rings: Vec<Vec<Path>> = map
        .areas
        .iter()
        .map(|a| a.polygons().iter().flatten().map(|ring| unwrap(ring, lon0)).collect())
        .collect();
    let single = |p: LatLon| vec![(p.lat, lon0 + wrap180(p.lon - lon0))];

    // Extent.
    let mut ext: Vec<&Path> = Vec::new();
    ext.extend(disc_rings.iter());
    ext.extend(region_ring.iter());
    ext.extend(site_ring.iter());
    let singles: Vec<Path> = focus.iter().map(|p| single(*p)).collect();
    ext.extend(singles.iter());
    if ext.is_empty() {
        ext.extend(area_rings.iter().flatten());
    }
    let (mut la0, mut la1, mut lo0, mut lo1) =
        (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for (lat, lon) in ext.iter().flat_map(|p| p.iter()) {
        la0 = la0.min(*lat);
        la1 = la1.max(*lat);
        lo0 = lo0.min(*lon);
        lo1 = lo1.max(*lon);
    }
    if !la0.is_finite() {
        (la0, la1, lo0, lo1) = (-60.0, 75.0, -180.0, 180.0);
    }
    // Something around a pole spans every longitude: show the world around
    // the central longitude.
    if lo1 - lo0 >= 360.0 {
        (lo0, lo1) = (lon0 - 180.0, lon0 + 180.0);
    }
    // Padding and a minimum span so a lone point is still a map.
    let min_span = 0.2;
    let (clat, clon) = ((la0 + la1) / 2.0, (lo0 + lo1) / 2.0);
    let lat_span = (la1 - la0).max(min_span) * 1.16;
    let lon_span = ((lo1 - lo0).max(min_span) * 1.16).min(360.0);
    let lat_min = (clat - lat_span / 2.0).max(-90.0);
    let lat_max = (clat + lat_span / 2.0).min(90.0);
    let lon_min = clon - lon_span / 2.0;
    let lon_max = clon + lon_span / 2.0;
    let phi0 = ((lat_min + lat_max) / 2.0).clamp(-80.0, 80.0);
    let kx = phi0.to_radians().cos();
    let s = (PLOT_MAX_W / ((lon_max - lon_min) * kx)).min(PLOT_MAX_H / (lat_max - lat_min));
    let f = Frame {
        lat_max,
        lon_min,
        lon_max,
        kx,
        s,
        w: (lon_max - lon_min) * kx * s,
        h: (lat_max - lat_min) * s,
        phi0,
    };

    // Legend entries (only what is drawn) and the document height.
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
    let legend_top = PLOT_TOP + f.h + 54.0;
    let caption_top = legend_top + LINE_H * legend.len() as f64 + 10.0;
    let height = (caption_top + LINE_H * map.caption.len() as f64 + 16.0).ceil();
    // Wide enough for the plot and for the legend / caption text.
    let longest = map
        .caption
        .iter()
        .map(|c| c.chars().count())
        .chain([title_len(map), 60])
        .max()
        .unwrap_or(60);
    let width =
        (PLOT_LEFT + f.w + 180.0).max(PLOT_LEFT + 7.0 * longest as f64 + 20.0).min(WIDTH).ceil();

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
    let _ = writeln!(
        o,
        r#"<text x="{}" y="30" font-size="18" font-weight="bold">{}</text>"#,
        num(PLOT_LEFT),
        escape(&map.title)
    );
    let _ = writeln!(
        o,
        r#"<defs><clipPath id="plot"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        num(PLOT_LEFT),
        num(PLOT_TOP),
        num(f.w),
        num(f.h)
    );
    let _ = writeln!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eef4f8\" stroke=\"#333\"/>",
        num(PLOT_LEFT),
        num(PLOT_TOP),
        num(f.w),
        num(f.h)
    );

    // Graticule.
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
    for (d, ring) in valid_discs.iter().zip(&disc_rings) {
        let style = match d.style {
            DiscStyle::Landmark => {
                "fill=\"#1f77b4\" fill-opacity=\"0.12\" stroke=\"#1f77b4\" stroke-width=\"1.2\""
            }
            DiscStyle::Rejected => {
                "fill=\"none\" stroke=\"#888888\" stroke-width=\"1.2\" stroke-dasharray=\"6 4\""
            }
        };
        let _ = writeln!(
            o,
            "<path class=\"disc\" d=\"{}\" {style}><title>{}</title></path>",
            f.path_d(ring, true),
            escape(&format!("{} ({})", d.disc.label, km(d.disc.radius_km)))
        );
    }
    if let Some(ring) = &region_ring {
        let _ = writeln!(
            o,
            "<path class=\"region\" d=\"{}\" fill=\"#2ca02c\" fill-opacity=\"0.4\" stroke=\"#176617\" stroke-width=\"1.5\"/>",
            f.path_d(ring, true)
        );
    }
    if let (Some(site), Some(ring)) = (&map.site, &site_ring) {
        let _ = writeln!(
            o,
            "<path class=\"site\" d=\"{}\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"><title>{}</title></path>",
            f.path_d(ring, true),
            escape(&format!("{} ({})", site.label, km(site.radius_km)))
        );
    }
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
    for d in &valid_discs {
        let (x, y) = f.xy(d.disc.center.lat, lon0 + wrap180(d.disc.center.lon - lon0));
        let color = if d.style == DiscStyle::Landmark { "#1f77b4" } else { "#888888" };
        let _ = writeln!(
            o,
            r#"<path d="M{},{} l5,8 l-10,0 Z" fill="{color}"/><text x="{}" y="{}" fill="{color}">{}</text>"#,
            num(x),
            num(y - 5.0),
            num(x + 7.0),
            num(y + 4.0),
            escape(&format!("{} ({})", d.disc.label, km(d.disc.radius_km)))
        );
    }
    if let Some(site) = map.site.as_ref().filter(|s| s.center.is_valid()) {
        let (x, y) = f.xy(site.center.lat, lon0 + wrap180(site.center.lon - lon0));
        let _ = writeln!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"#d62728\"/><text x=\"{}\" y=\"{}\" fill=\"#d62728\" font-weight=\"bold\">{}</text>",
            num(x - 4.0),
            num(y - 4.0),
            num(x + 7.0),
            num(y - 6.0),
            escape(&site.label)
        );
    }
    for (p, label) in map.points.iter().filter(|p| p.0.is_valid()) {
        let (x, y) = f.xy(p.lat, lon0 + wrap180(p.lon - lon0));
        let _ = writeln!(
            o,
            r#"<circle cx="{}" cy="{}" r="3" fill="black"/><text x="{}" y="{}">{}</text>"#,
            num(x),
            num(y),
            num(x + 5.0),
            num(y - 4.0),
            escape(label)
        );
    }

    o.push_str("</g>\n");

    // Scale bar: px per km is the same along the parallel φ0 and meridians.
    let km_per_px = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0 / f.s;
    let target = km_per_px * f.w / 5.0;
    let mag = 10f64.powf(target.log10().floor());
    let bar_km = [5.0, 2.0, 1.0].iter().map(|m| m * mag).find(|v| *v <= target).unwrap_or(mag);
    let bar_px = bar_km / km_per_px;
    let (bx, by) = (PLOT_LEFT + 12.0, PLOT_TOP + f.h - 14.0);
    let bar_text = if bar_km >= 1.0 { format!("{bar_km:.0} km") } else { format!("{bar_km} km") };
    let _ = writeln!(
        o,
        "<g class=\"scale\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"22\" fill=\"white\" fill-opacity=\"0.8\"/><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\" stroke-width=\"3\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
        num(bx - 4.0),
        num(by - 14.0),
        num(bar_px + 180.0),
        num(bx),
        num(by),
        num(bx + bar_px),
        num(by),
        num(bx + bar_px + 6.0),
        num(by + 4.0),
        escape(&format!("{bar_text} (true at {})", lat_label(f.phi0, 1)))
    );

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
    for (i, line) in map.caption.iter().enumerate() {
        let _ = writeln!(
            o,
            r##"<text x="{}" y="{}" fill="#222">{}</text>"##,
            num(PLOT_LEFT),
            num(caption_top + LINE_H * i as f64),
            escape(line)
        );
    }
    o.push_str("</svg>\n");
    o
}

#[cfg(test)]
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
}
