#![allow(clippy::unwrap_used)]
//! Geometry, soundness and rendering tests for chiptrace-geo.

use chiptrace_geo::svg::{DiscStyle, MapDisc, MapRegion, MapSpec, Site, render};
use chiptrace_geo::{
    Area, Containment, Disc, DropReason, EARTH_RADIUS_KM, GeoError, HALF_CIRCUMFERENCE_KM, LatLon,
    QUARTER_CIRCUMFERENCE_KM, TOLERANCE_KM, destination, distance_km, intersect, parse_geojson,
    try_intersect,
};
use proptest::prelude::*;

fn ll(lat: f64, lon: f64) -> LatLon {
    LatLon::new(lat, lon).unwrap()
}

// Coordinates used throughout (city centres, WGS84 degrees).
fn singapore() -> LatLon {
    ll(1.3521, 103.8198)
}
fn johor_bahru() -> LatLon {
    ll(1.4927, 103.7414)
}
fn kuala_lumpur() -> LatLon {
    ll(3.1390, 101.6869)
}
fn shenzhen() -> LatLon {
    ll(22.5431, 114.0579)
}
fn beijing() -> LatLon {
    ll(39.9042, 116.4074)
}

fn disc(c: LatLon, r: f64, label: &str) -> Disc {
    Disc::new(c, r, label)
}

#[test]
fn known_distances_match_the_design_table() {
    // shared/design/location-verification.md §2, within 1 %.
    for (name, p, km) in [
        ("Johor Bahru", johor_bahru(), 18.0),
        ("Kuala Lumpur", kuala_lumpur(), 309.0),
        ("Shenzhen", shenzhen(), 2603.0),
        ("Beijing", beijing(), 4472.0),
    ] {
        let d = distance_km(singapore(), p);
        assert!((d - km).abs() <= km * 0.01, "Singapore - {name}: {d:.1} km, table {km} km");
        assert!((distance_km(p, singapore()) - d).abs() < 1e-9, "symmetric");
    }
}

#[test]
fn destination_inverts_distance() {
    for (bearing, dist) in [(0.0, 100.0), (90.0, 2603.0), (225.0, 9000.0), (359.0, 0.01)] {
        let p = destination(singapore(), bearing, dist);
        assert!((distance_km(singapore(), p) - dist).abs() < 1e-6, "{bearing} {dist}");
    }
}

#[test]
fn easy_cases_are_decided() {
    let site = disc(singapore(), 30.0, "site");
    // A 10 km disc centred 3 km from the site: Inside a 30 km site radius.
    let r = intersect(&[disc(destination(singapore(), 45.0, 3.0), 10.0, "L1")]);
    assert_eq!(r.within_disc(&site), Containment::Inside);
    // Shenzhen within 100 km: nowhere near a Singapore site.
    let r = intersect(&[disc(shenzhen(), 100.0, "SZ")]);
    assert_eq!(r.within_disc(&site), Containment::Outside);
    // A disc straddling the site's edge: neither.
    let r = intersect(&[disc(destination(singapore(), 0.0, 30.0), 10.0, "edge")]);
    assert_eq!(r.within_disc(&site), Containment::Partial);
}

#[test]
fn single_disc_bounds_are_tight() {
    let d = disc(singapore(), 100.0, "L");
    let r = intersect(std::slice::from_ref(&d));
    assert!(!r.is_empty());
    let q = kuala_lumpur();
    let dq = distance_km(q, singapore());
    let max = r.max_distance_km(q);
    let min = r.min_distance_km(q);
    assert!(max >= dq + 100.0 && max <= dq + 100.0 + 2.0 * TOLERANCE_KM, "{max}");
    assert!(min <= dq - 100.0 && min >= dq - 100.0 - 2.0 * TOLERANCE_KM, "{min}");
    assert_eq!(r.min_distance_km(singapore()), 0.0);
    assert!(r.contains(singapore()));
    assert!(!r.contains(kuala_lumpur()));
    // The drawn boundary is the circle.
    let b = r.boundary();
    assert!(b.len() >= 90);
    for p in b {
        assert!((distance_km(*p, singapore()) - 100.0).abs() < 1e-6);
    }
    assert!(r.margin_km() > 0.0 && r.margin_km() < 2.0, "{}", r.margin_km());
}

#[test]
fn nested_and_identical_discs() {
    let small = disc(destination(singapore(), 90.0, 20.0), 15.0, "small");
    let big = disc(singapore(), 200.0, "big");
    let r = intersect(&[big.clone(), small.clone()]);
    // The region is the small disc: bounds from a far point equal its own.
    let q = beijing();
    let dq = distance_km(q, small.center);
    assert!((r.max_distance_km(q) - (dq + 15.0)).abs() < 0.01);
    assert!((r.min_distance_km(q) - (dq - 15.0)).abs() < 0.01);
    for p in r.boundary() {
        assert!(
            (distance_km(*p, small.center) - 15.0).abs() < 1e-6,
            "boundary is the small circle"
        );
    }
    // Identical discs: same as one, and drawn once.
    let twice = intersect(&[small.clone(), small.clone()]);
    let once = intersect(std::slice::from_ref(&small));
    assert_eq!(twice.boundary().len(), once.boundary().len());
    assert!((twice.max_distance_km(q) - once.max_distance_km(q)).abs() < 1e-9);
}

#[test]
fn lens_bounds_match_a_dense_reference() {
    // Two overlapping discs; compare with brute force over a fine grid.
    let a = disc(singapore(), 300.0, "A");
    let b = disc(kuala_lumpur(), 250.0, "B");
    let r = intersect(&[a.clone(), b.clone()]);
    assert!(!r.is_empty());
    let q = ll(10.0, 110.0);
    let (mut mn, mut mx) = (f64::INFINITY, 0.0f64);
    for i in 0..=400 {
        for j in 0..=400 {
            let p = ll(-2.0 + 8.0 * f64::from(i) / 400.0, 99.0 + 8.0 * f64::from(j) / 400.0);
            if a.contains(p) && b.contains(p) {
                let d = distance_km(q, p);
                mn = mn.min(d);
                mx = mx.max(d);
            }
        }
    }
    let (lo, hi) = (r.min_distance_km(q), r.max_distance_km(q));
    assert!(lo <= mn && hi >= mx, "bounds [{lo}, {hi}] must contain grid [{mn}, {mx}]");
    // Exact, not just sound: within the grid spacing (~2.2 km).
    assert!(mn - lo < 3.0 && hi - mx < 3.0, "[{lo}, {hi}] vs [{mn}, {mx}]");
}

#[test]
fn tangent_discs_meet_in_one_point() {
    let a = disc(singapore(), 50.0, "A");
    let c2 = destination(singapore(), 30.0, 80.0);
    let b = disc(c2, 30.0, "B");
    let r = intersect(&[a, b]);
    assert!(!r.is_empty(), "tangent discs share a point");
    let touch = destination(singapore(), 30.0, 50.0);
    assert!(r.contains(touch));
    assert_eq!(r.min_distance_km(touch), 0.0);
    assert!(r.max_distance_km(touch) >= 0.0);
    // The region is (within tolerance) one point.
    assert!(r.max_distance_km(touch) < 1.0, "{}", r.max_distance_km(touch));
}

#[test]
fn disjoint_discs_are_empty_with_the_pair() {
    let r = intersect(&[
        disc(singapore(), 500.0, "SG"),
        disc(kuala_lumpur(), 500.0, "KL"),
        disc(beijing(), 1000.0, "BJ"),
    ]);
    assert!(r.is_empty());
    let (i, j) = r.disjoint_pair().unwrap();
    assert!(j == 2 && (i == 0 || i == 1), "{i} {j}");
    // Conservative answers for an empty region.
    assert_eq!(r.within_disc(&disc(singapore(), 10_000.0, "x")), Containment::Partial);
    assert_eq!(r.max_distance_km(singapore()), HALF_CIRCUMFERENCE_KM);
    assert!(!r.contains(singapore()));
    assert!(r.boundary().is_empty() && r.bbox().is_none());
    // Three discs pairwise overlapping with no common point.
    let c = ll(0.0, 0.0);
    let p: Vec<LatLon> = [0.0, 120.0, 240.0].iter().map(|b| destination(c, *b, 100.0)).collect();
    let r = intersect(&p.iter().map(|x| disc(*x, 95.0, "t")).collect::<Vec<_>>());
    assert!(r.is_empty() && r.disjoint_pair().is_none());
    // Slightly larger radii: the centre is covered (each ≥ 100 km away... no:
    // exactly 100 km) and the region is not empty.
    let r = intersect(&p.iter().map(|x| disc(*x, 100.5, "t")).collect::<Vec<_>>());
    assert!(!r.is_empty() && r.contains(c));
}

#[test]
fn antimeridian_region() {
    let a = disc(ll(0.0, 179.5), 150.0, "E");
    let b = disc(ll(0.5, -179.5), 150.0, "W");
    let r = intersect(&[a, b]);
    assert!(!r.is_empty());
    let mid = ll(0.25, 180.0);
    assert!(r.contains(mid));
    assert!(r.contains(ll(0.25, -180.0)));
    let (sw, ne) = r.bbox().unwrap();
    assert!(sw.lon > ne.lon, "crosses the antimeridian: {sw:?} {ne:?}");
    assert!(sw.lon > 178.0 && ne.lon < -178.0);
    for p in r.boundary() {
        assert!(p.lon.abs() > 178.0, "{p:?}");
    }
    let site = disc(ll(0.25, -179.9), 300.0, "site");
    assert_eq!(r.within_disc(&site), Containment::Inside);
}

#[test]
fn pole_regions() {
    // Discs around the north pole from three sides.
    let discs: Vec<Disc> =
        [0.0, 120.0, -120.0].iter().map(|lon| disc(ll(88.0, *lon), 400.0, "p")).collect();
    let r = intersect(&discs);
    let pole = ll(90.0, 0.0);
    assert!(r.contains(pole));
    assert!(r.contains(ll(90.0, 123.0)), "every longitude names the pole");
    let (sw, ne) = r.bbox().unwrap();
    assert_eq!((sw.lon, ne.lon, ne.lat), (-180.0, 180.0, 90.0));
    // From the south pole everything is ~half a circumference away.
    let sp = ll(-90.0, 0.0);
    assert!(r.max_distance_km(sp) >= HALF_CIRCUMFERENCE_KM - 1e-6);
    // Every point of the region is within 400 km of latitude 88°N, so at
    // latitude 84.4°N or more: at least 174.4° from the south pole.
    let lb = r.min_distance_km(sp);
    assert!(lb <= HALF_CIRCUMFERENCE_KM && lb >= EARTH_RADIUS_KM * 174.4f64.to_radians(), "{lb}");
    // Antipode logic: a point whose antipode is in the region.
    let q = ll(-90.0, 45.0);
    assert!((r.max_distance_km(q) - HALF_CIRCUMFERENCE_KM).abs() < 1e-9);
}

#[test]
fn tiny_and_large_and_degenerate_radii() {
    let tiny = disc(singapore(), 0.01, "tiny");
    let r = intersect(std::slice::from_ref(&tiny));
    assert!(r.contains(singapore()));
    assert!(r.max_distance_km(singapore()) <= 0.01 + 2.0 * TOLERANCE_KM);
    assert!(r.max_distance_km(singapore()) >= 0.01);
    let point = disc(singapore(), 0.0, "point");
    let r = intersect(&[point.clone(), disc(johor_bahru(), 30.0, "JB")]);
    assert!(!r.is_empty());
    assert!(r.contains(singapore()));
    let r = intersect(&[point, disc(kuala_lumpur(), 30.0, "KL")]);
    assert!(r.is_empty());
    // 5,000 km discs still work.
    let r = intersect(&[disc(singapore(), 5000.0, "a"), disc(beijing(), 5000.0, "b")]);
    assert!(!r.is_empty() && r.contains(shenzhen()));
    // Quarter circumference and more: dropped and recorded, still used by
    // contains and the per-disc bounds.
    let r = intersect(&[disc(singapore(), 12_000.0, "huge"), disc(beijing(), 300.0, "BJ")]);
    assert_eq!(r.dropped().len(), 1);
    assert_eq!(r.dropped()[0].reason, DropReason::TooLarge);
    assert!(r.contains(beijing()));
    let r = intersect(&[disc(singapore(), QUARTER_CIRCUMFERENCE_KM, "q")]);
    assert!(r.is_unbounded() && !r.is_empty());
    assert_eq!(
        r.within_area(&Area::rectangle("x", ll(-10.0, -10.0), ll(10.0, 10.0)).unwrap()),
        Containment::Partial
    );
    // Negative radius: a point, recorded; NaN: dropped; bad centre: dropped.
    let r = intersect(&[
        disc(singapore(), -5.0, "neg"),
        disc(singapore(), f64::NAN, "nan"),
        Disc::new(LatLon { lat: f64::NAN, lon: 0.0 }, 10.0, "bad"),
    ]);
    assert_eq!(r.clamped(), &[0]);
    assert_eq!(r.dropped().len(), 2);
    assert!(r.contains(singapore()));
    assert!(r.max_distance_km(singapore()) <= 2.0 * TOLERANCE_KM);
    // try_intersect refuses them instead.
    let e =
        try_intersect(&[disc(singapore(), 5.0, "ok"), disc(singapore(), -1.0, "neg")]).unwrap_err();
    assert!(matches!(e, GeoError::InvalidDisc { index: 1, .. }), "{e}");
    assert!(try_intersect(&[disc(singapore(), f64::INFINITY, "inf")]).is_err());
}

#[test]
fn empty_input_is_unbounded_and_never_decides() {
    let r = intersect(&[]);
    assert!(!r.is_empty() && r.is_unbounded());
    assert!(r.contains(beijing()));
    assert_eq!(r.max_distance_km(singapore()), HALF_CIRCUMFERENCE_KM);
    assert_eq!(r.within_disc(&disc(singapore(), 5000.0, "s")), Containment::Partial);
    assert_eq!(r.within_disc(&disc(singapore(), HALF_CIRCUMFERENCE_KM, "s")), Containment::Inside);
}

fn singapore_area() -> Area {
    // A rough outline of Singapore island (not a legal boundary).
    let ring = vec![
        ll(1.2200, 103.6000),
        ll(1.2500, 103.9000),
        ll(1.3200, 104.0900),
        ll(1.4300, 104.0500),
        ll(1.4700, 103.8100),
        ll(1.4400, 103.6500),
        ll(1.3200, 103.6000),
    ];
    Area::new("Singapore", vec![vec![ring]]).unwrap()
}

#[test]
fn within_area_decides_clear_cases() {
    let sg = singapore_area();
    assert!(sg.contains(singapore()));
    assert!(!sg.contains(kuala_lumpur()));
    let r = intersect(&[
        disc(singapore(), 5.0, "SG-1"),
        disc(destination(singapore(), 80.0, 4.0), 5.0, "SG-2"),
    ]);
    assert_eq!(r.within_area(&sg), Containment::Inside);
    let r = intersect(&[disc(kuala_lumpur(), 50.0, "KL")]);
    assert_eq!(r.within_area(&sg), Containment::Outside);
    let r = intersect(&[disc(singapore(), 40.0, "wide")]);
    assert_eq!(r.within_area(&sg), Containment::Partial);
    // A region enclosing a hole must not be Inside.
    let outer = vec![ll(0.0, 100.0), ll(0.0, 110.0), ll(5.0, 110.0), ll(5.0, 100.0)];
    let hole = vec![ll(1.30, 103.80), ll(1.30, 103.84), ll(1.40, 103.84), ll(1.40, 103.80)];
    let holed = Area::new("holed", vec![vec![outer.clone(), hole]]).unwrap();
    let r = intersect(&[disc(singapore(), 20.0, "SG")]);
    assert_eq!(r.within_area(&holed), Containment::Partial);
    let plain = Area::new("plain", vec![vec![outer]]).unwrap();
    assert_eq!(r.within_area(&plain), Containment::Inside);
    // A long edge passing through the region between its vertices.
    let strip = Area::rectangle("strip", ll(1.3521, 90.0), ll(20.0, 120.0)).unwrap();
    assert_eq!(r.within_area(&strip), Containment::Partial);
    assert!(strip.distance_to_boundary_km(singapore()) < 0.02);
}

#[test]
fn within_area_with_a_dense_polygon() {
    // 100,000 vertices on a 500 km circle around Singapore (as a country
    // outline would have): a 50 km region at the centre is Inside, one
    // straddling the outline is Partial, one 100 km beyond is Outside.
    let ring: Vec<LatLon> = (0..100_000)
        .map(|k| destination(singapore(), 360.0 * f64::from(k) / 100_000.0, 500.0))
        .collect();
    let area = Area::new("dense", vec![vec![ring]]).unwrap();
    let at = |bearing: f64, dist: f64, r: f64| {
        intersect(&[disc(destination(singapore(), bearing, dist), r, "L")])
    };
    assert_eq!(at(0.0, 0.0, 50.0).within_area(&area), Containment::Inside);
    assert_eq!(at(77.0, 500.0, 20.0).within_area(&area), Containment::Partial);
    assert_eq!(at(200.0, 650.0, 40.0).within_area(&area), Containment::Outside);
    // Just inside: 1 km between the region and the outline's chords.
    assert_eq!(at(33.0, 449.0, 50.0).within_area(&area), Containment::Inside);
    let d = area.distance_to_boundary_km(singapore());
    assert!(d <= 500.0 && d > 499.9, "{d}");
}

#[test]
fn geojson_reads_features_and_names_errors() {
    let text = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"ADMIN":"Singapore","iso_a2":"SG"},
       "geometry":{"type":"Polygon","coordinates":[[[103.6,1.22],[103.9,1.25],[104.09,1.32],[104.05,1.43],[103.81,1.47],[103.65,1.44],[103.6,1.22]]]}},
      {"type":"Feature","properties":{"iso_a2":"XX"},
       "geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}}
    ]}"#;
    let areas = parse_geojson(text, "countries.geojson").unwrap();
    assert_eq!(areas.len(), 2);
    assert_eq!(areas[0].name, "Singapore");
    assert!(areas[0].contains(singapore()));
    assert_eq!(areas[1].name, "XX");
    assert_eq!(areas[1].polygons().len(), 2);

    let bad = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"Good"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
      {"type":"Feature","properties":{"name":"Broken"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,95],[1,1],[0,0]]]}}
    ]}"#;
    let e = parse_geojson(bad, "countries.geojson").unwrap_err().to_string();
    assert!(e.contains("countries.geojson"), "{e}");
    assert!(e.contains("features[1].geometry.coordinates[0][1]"), "{e}");
    assert!(e.contains("Broken") && e.contains("latitude 95"), "{e}");

    for (text, needle) in [
        ("not json", "not valid JSON"),
        (r#"{"type":"Point","coordinates":[0,0]}"#, "unsupported type"),
        (r#"{"type":"FeatureCollection"}"#, "features"),
        (r#"{"type":"Feature","properties":{},"geometry":null}"#, "no geometry"),
        (
            r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}"#,
            "not an area",
        ),
        (r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}"#, "3 distinct"),
        (r#"{"type":"Polygon","coordinates":[[[0,"x"],[1,1],[2,0]]]}"#, "coordinates[0][0][1]"),
        (r#"{"type":"Polygon","coordinates":[]}"#, "at least one ring"),
    ] {
        let e = parse_geojson(text, "f.json").unwrap_err().to_string();
        assert!(e.contains(needle) && e.starts_with("f.json"), "{text}: {e}");
    }
    let big = "x".repeat(chiptrace_geo::MAX_GEOJSON_BYTES + 1);
    assert!(matches!(parse_geojson(&big, "big").unwrap_err(), GeoError::TooLarge { .. }));
}

#[test]
fn geojson_vertex_limit() {
    let n = chiptrace_geo::MAX_GEOJSON_VERTICES + 1;
    let mut text = String::from(r#"{"type":"Polygon","coordinates":[["#);
    for i in 0..n {
        if i > 0 {
            text.push(',');
        }
        text.push_str(if i % 3 == 0 {
            "[0,0]"
        } else if i % 3 == 1 {
            "[1,0]"
        } else {
            "[1,1]"
        });
    }
    text.push_str("]]}");
    let e = parse_geojson(&text, "many").unwrap_err();
    assert!(matches!(e, GeoError::TooLarge { .. }), "{e}");
}

/// Checks that tags are balanced (a small XML well-formedness check).
fn assert_balanced(svg: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("unclosed tag") + start;
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "'<' inside a tag: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.trim()), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap();
            stack.push(name.to_string());
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    // Text content has no raw ampersands that are not entities.
    for (i, _) in svg.match_indices('&') {
        let tail = &svg[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| tail.starts_with(e)),
            "raw & at {i}"
        );
    }
}

fn sample_map_discs() -> Vec<Disc> {
    vec![
        disc(singapore(), 60.0, "SIN-1 <Equinix & co>"),
        disc(johor_bahru(), 70.0, "JHB-1"),
        disc(ll(1.10, 104.05), 90.0, "BTH-1"),
    ]
}

#[test]
fn svg_map_renders_labels_and_is_deterministic() {
    let discs = sample_map_discs();
    let region = intersect(&discs);
    let sg = singapore_area();
    let mut map_discs: Vec<MapDisc> =
        discs.iter().map(|d| MapDisc { disc: d.clone(), style: DiscStyle::Landmark }).collect();
    map_discs.push(MapDisc {
        disc: disc(kuala_lumpur(), 400.0, "KUL-1 (rejected)"),
        style: DiscStyle::Rejected,
    });
    let spec = MapSpec {
        title: "Chip SN-0001 \"verdict\"".into(),
        discs: map_discs,
        region: Some(MapRegion::Region(&region)),
        site: Some(Site { center: singapore(), radius_km: 30.0, label: "Licensed site".into() }),
        areas: vec![&sg],
        points: vec![(johor_bahru(), "Johor Bahru".into())],
        caption: vec![
            "Region inside the 30 km site radius: Partial".into(),
            "v = c; t_proc_min = 0.2 ms".into(),
        ],
    };
    let svg = render(&spec);
    let again = render(&spec);
    assert_eq!(svg, again, "deterministic");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_balanced(&svg);
    for needle in [
        "SIN-1 &lt;Equinix &amp; co&gt;",
        "JHB-1",
        "KUL-1 (rejected)",
        "Licensed site",
        "Johor Bahru",
        "Chip SN-0001 &quot;verdict&quot;",
        "class=\"region\"",
        "stroke-dasharray",
        "v = c; t_proc_min = 0.2 ms",
        "°N",
        "°E",
        " km (true at",
        "<title>Singapore</title>",
        "class=\"overview\"",
        "outside the map: KUL-1 (rejected) (400 km)",
    ] {
        assert!(svg.contains(needle), "missing {needle}");
    }
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "no non-finite numbers");
    assert!(
        !svg.contains("http://") || svg.matches("http://").count() == 1,
        "only the namespace URI"
    );
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("chiptrace-geo-sample.svg");
    std::fs::write(&out, &svg).unwrap();
}

#[test]
fn svg_handles_poles_antimeridian_and_empty_specs() {
    let region = intersect(&[disc(ll(0.0, 179.5), 150.0, "E"), disc(ll(0.5, -179.5), 150.0, "W")]);
    let spec = MapSpec {
        title: "dateline".into(),
        discs: vec![
            MapDisc { disc: disc(ll(0.0, 179.5), 150.0, "E"), style: DiscStyle::Landmark },
            MapDisc { disc: disc(ll(0.5, -179.5), 150.0, "W"), style: DiscStyle::Landmark },
            MapDisc { disc: disc(ll(89.0, 0.0), 500.0, "polar"), style: DiscStyle::Rejected },
            MapDisc {
                disc: Disc::new(LatLon { lat: f64::NAN, lon: 0.0 }, 1.0, "bad"),
                style: DiscStyle::Landmark,
            },
        ],
        region: Some(MapRegion::Region(&region)),
        ..MapSpec::default()
    };
    let svg = render(&spec);
    assert_balanced(&svg);
    assert!(!svg.contains("NaN"));
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("chiptrace-geo-dateline.svg");
    std::fs::write(&out, &svg).unwrap();
    let svg = render(&MapSpec::default());
    assert_balanced(&svg);
    assert!(!svg.contains("NaN"));
}

// ---------------------------------------------------------------- proptest

fn point() -> impl Strategy<Value = LatLon> {
    (-89.9f64..89.9, -180.0f64..180.0).prop_map(|(lat, lon)| LatLon { lat, lon })
}

/// Landmarks around a true point, each with a radius at least its distance
/// to the true point (slack 0 makes the point lie on the circle).
fn scenario() -> impl Strategy<Value = (LatLon, Vec<Disc>)> {
    let landmark = (
        0.0f64..360.0,
        prop_oneof![0.0f64..50.0, 0.0f64..1500.0, 0.0f64..9000.0],
        prop_oneof![Just(0.0), 0.0f64..5.0, 0.0f64..2000.0],
    );
    (point(), prop::collection::vec(landmark, 1..6)).prop_map(|(x, ls)| {
        let discs = ls
            .into_iter()
            .enumerate()
            .map(|(i, (b, d, slack))| {
                let c = destination(x, b, d);
                Disc::new(c, distance_km(c, x) + slack, format!("L{i}"))
            })
            .collect();
        (x, discs)
    })
}

/// Points of the true region (all discs, exact test), including the true
/// point, found by sampling around it.
fn region_samples(x: LatLon, discs: &[Disc], seeds: &[(f64, f64)]) -> Vec<LatLon> {
    let rmax = discs.iter().map(|d| d.radius_km).fold(0.0f64, f64::max).min(20_000.0);
    let mut out = vec![x];
    for (b, f) in seeds {
        let p = destination(x, *b, rmax * 2.0 * f * f);
        if discs.iter().all(|d| d.contains(p)) {
            out.push(p);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn bounds_are_sound((x, discs) in scenario(), q in point()) {
        let r = intersect(&discs);
        prop_assert!(!r.is_empty(), "true point exists, region reported empty");
        prop_assert!(r.contains(x));
        prop_assert!(r.min_distance_km(x) <= 1e-9);
        let dqx = distance_km(q, x);
        prop_assert!(r.max_distance_km(q) >= dqx - 1e-9, "max {} < true {}", r.max_distance_km(q), dqx);
        prop_assert!(r.min_distance_km(q) <= dqx + 1e-9, "min {} > true {}", r.min_distance_km(q), dqx);
        if let Some((sw, ne)) = r.bbox() {
            prop_assert!(x.lat >= sw.lat - 1e-9 && x.lat <= ne.lat + 1e-9);
            let in_lon = if sw.lon <= ne.lon { x.lon >= sw.lon - 1e-9 && x.lon <= ne.lon + 1e-9 } else { x.lon >= sw.lon || x.lon <= ne.lon };
            prop_assert!(in_lon || ne.lat >= 90.0 - 1e-6 || sw.lat <= -90.0 + 1e-6, "{x:?} not in {sw:?}..{ne:?}");
        }
    }

    #[test]
    fn within_disc_is_sound(
        (x, discs) in scenario(),
        b in 0.0f64..360.0,
        d in prop_oneof![0.0f64..20.0, 0.0f64..3000.0],
        r in prop_oneof![0.0f64..50.0, 0.0f64..5000.0],
        edge in prop_oneof![Just(None), (-1.0f64..1.0).prop_map(Some)],
        seeds in prop::collection::vec((0.0f64..360.0, 0.0f64..1.0), 64),
    ) {
        let region = intersect(&discs);
        let center = destination(x, b, d);
        // Optionally put the true point right at the target's edge (±1 km).
        let radius = match edge { Some(e) => (distance_km(center, x) + e).max(0.0), None => r };
        let target = Disc::new(center, radius, "target");
        let verdict = region.within_disc(&target);
        for p in region_samples(x, &discs, &seeds) {
            let dp = distance_km(center, p);
            match verdict {
                Containment::Inside => prop_assert!(dp <= radius + 1e-9, "Inside but {dp} > {radius}"),
                Containment::Outside => prop_assert!(dp > radius - 1e-9, "Outside but {dp} <= {radius}"),
                Containment::Partial => {}
            }
        }
    }

    #[test]
    fn within_area_is_sound(
        (x, discs) in scenario(),
        dlat in -3.0f64..3.0, dlon in -3.0f64..3.0, h in 0.01f64..6.0, w in 0.01f64..6.0,
        seeds in prop::collection::vec((0.0f64..360.0, 0.0f64..1.0), 32),
    ) {
        let s = (x.lat + dlat - h / 2.0).clamp(-90.0, 90.0);
        let n = (x.lat + dlat + h / 2.0).clamp(-90.0, 90.0);
        let wl = (x.lon + dlon - w / 2.0).clamp(-180.0, 180.0);
        let el = (x.lon + dlon + w / 2.0).clamp(-180.0, 180.0);
        prop_assume!(n - s > 1e-6 && el - wl > 1e-6);
        let area = Area::rectangle("rect", LatLon { lat: s, lon: wl }, LatLon { lat: n, lon: el }).unwrap();
        let region = intersect(&discs);
        let verdict = region.within_area(&area);
        for p in region_samples(x, &discs, &seeds) {
            match verdict {
                Containment::Inside => prop_assert!(area.contains(p), "Inside but {p:?} outside"),
                Containment::Outside => prop_assert!(!area.contains(p), "Outside but {p:?} inside"),
                Containment::Partial => {}
            }
        }
    }

    #[test]
    fn distance_to_boundary_is_a_lower_bound(p in point(), t in 0.0f64..1.0, edge in 0usize..4) {
        let area = Area::rectangle("r", LatLon { lat: -20.0, lon: -40.0 }, LatLon { lat: 30.0, lon: 50.0 }).unwrap();
        let ring = &area.polygons()[0][0];
        let (a, b) = (ring[edge], ring[edge + 1]);
        // A point on the (lon/lat-straight) edge.
        let on = LatLon { lat: a.lat + t * (b.lat - a.lat), lon: a.lon + t * (b.lon - a.lon) };
        prop_assert!(area.distance_to_boundary_km(p) <= distance_km(p, on) + 1e-9);
    }

    #[test]
    fn nothing_panics_on_arbitrary_numbers(
        lat in any::<f64>(), lon in any::<f64>(), r in any::<f64>(),
        lat2 in -100.0f64..100.0, lon2 in -200.0f64..200.0, r2 in -10.0f64..30_000.0,
    ) {
        let _ = LatLon::new(lat, lon);
        let p = LatLon { lat, lon };
        let q = LatLon { lat: lat2, lon: lon2 };
        let discs = [Disc::new(p, r, "a"), Disc::new(q, r2, "b"), Disc::new(q, r, "c")];
        let region = intersect(&discs);
        let _ = try_intersect(&discs);
        for t in [p, q] {
            let _ = region.contains(t);
            let mx = region.max_distance_km(t);
            let mn = region.min_distance_km(t);
            prop_assert!(!mx.is_nan() && !mn.is_nan());
            let _ = region.within_disc(&Disc::new(t, r, "t"));
            let _ = destination(t, r, r2);
            let _ = distance_km(t, q);
        }
        let _ = region.bbox();
        let _ = region.boundary();
        let spec = MapSpec {
            discs: discs.iter().map(|d| MapDisc { disc: d.clone(), style: DiscStyle::Landmark }).collect(),
            region: Some(MapRegion::Region(&region)),
            site: Some(Site { center: q, radius_km: r, label: "s".into() }),
            ..MapSpec::default()
        };
        let _ = render(&spec);
    }

    #[test]
    fn parse_geojson_never_panics(text in ".{0,200}") {
        let _ = parse_geojson(&text, "fuzz");
    }

    #[test]
    fn parse_geojson_never_panics_on_structured_input(
        ty in prop::sample::select(vec!["Polygon", "MultiPolygon", "Feature", "FeatureCollection", "Point", ""]),
        nums in prop::collection::vec(prop_oneof![any::<f64>().prop_filter("finite", |v| v.is_finite()), -200.0f64..200.0], 0..12),
        depth in 0usize..5,
    ) {
        let coords: Vec<String> = nums.chunks(2).map(|c| format!("[{}]", c.iter().map(|v| format!("{v:e}")).collect::<Vec<_>>().join(","))).collect();
        let mut inner = format!("[{}]", coords.join(","));
        for _ in 0..depth {
            inner = format!("[{inner}]");
        }
        let geom = format!(r#"{{"type":"{ty}","coordinates":{inner}}}"#);
        let _ = parse_geojson(&geom, "fuzz");
        let feat = format!(r#"{{"type":"Feature","properties":{{"name":"n"}},"geometry":{geom}}}"#);
        let _ = parse_geojson(&feat, "fuzz");
        let _ = parse_geojson(&format!(r#"{{"type":"FeatureCollection","features":[{feat},{geom}]}}"#), "fuzz");
    }
}

/// A tiny deterministic generator so this test does not depend on proptest.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn verdicts_are_decisive_and_sound_on_many_scenarios() {
    // The soundness properties would hold trivially if everything were
    // Partial; check that Inside and Outside are common, and sound.
    let mut g = Lcg(7);
    let (mut inside, mut outside, mut partial) = (0, 0, 0);
    for _ in 0..400 {
        let x = LatLon { lat: -80.0 + 160.0 * g.next(), lon: -180.0 + 360.0 * g.next() };
        let n = 2 + (g.next() * 4.0) as usize;
        let discs: Vec<Disc> = (0..n)
            .map(|i| {
                let c = destination(x, 360.0 * g.next(), 300.0 * g.next());
                Disc::new(c, distance_km(c, x) + 40.0 * g.next(), format!("L{i}"))
            })
            .collect();
        let region = intersect(&discs);
        let center = destination(x, 360.0 * g.next(), 200.0 * g.next());
        let target = Disc::new(center, 150.0 * g.next(), "target");
        let verdict = region.within_disc(&target);
        match verdict {
            Containment::Inside => inside += 1,
            Containment::Outside => outside += 1,
            Containment::Partial => partial += 1,
        }
        let seeds: Vec<(f64, f64)> = (0..200).map(|_| (360.0 * g.next(), g.next())).collect();
        for p in region_samples(x, &discs, &seeds) {
            let dp = distance_km(center, p);
            match verdict {
                Containment::Inside => assert!(dp <= target.radius_km + 1e-9),
                Containment::Outside => assert!(dp > target.radius_km - 1e-9),
                Containment::Partial => {}
            }
        }
        // The bounds are also tight: within 1 km of the brute-force extremes
        // over the boundary polygon, widened by its margin.
        let q = destination(x, 360.0 * g.next(), 1000.0 * g.next());
        let (mut bmin, mut bmax) = (f64::INFINITY, 0.0f64);
        for p in region.boundary() {
            bmin = bmin.min(distance_km(q, *p));
            bmax = bmax.max(distance_km(q, *p));
        }
        if !region.contains(q) {
            assert!(region.min_distance_km(q) >= bmin - region.margin_km() - 1.0);
        }
        assert!(region.max_distance_km(q) <= bmax + region.margin_km() + 1.0);
        assert!(region.max_distance_km(q) >= bmax - 2.0 * TOLERANCE_KM);
    }
    if std::env::var_os("GEO_STATS").is_some() {
        eprintln!("inside {inside}, outside {outside}, partial {partial}");
    }
    assert!(inside >= 40 && outside >= 40, "inside {inside}, outside {outside}, partial {partial}");
}

#[test]
fn sphere_constant_is_the_mean_radius() {
    assert_eq!(EARTH_RADIUS_KM, 6371.0088);
}
