//! Fuzz the GeoJSON reader and the region geometry: any text gives areas or
//! an error naming the place; containment questions never panic.
//!
//! Run: `cargo fuzz run geojson --sanitizer none`.

#![no_main]

use chiptrace_geo::{Disc, LatLon, intersect, parse_geojson};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(areas) = parse_geojson(text, "fuzz.geojson") {
        let r = intersect(&[
            Disc { center: LatLon { lat: 1.35, lon: 103.82 }, radius_km: 40.0, label: "a".into() },
            Disc { center: LatLon { lat: 1.40, lon: 103.90 }, radius_km: 25.0, label: "b".into() },
        ]);
        for a in &areas {
            let _ = r.within_area(a);
            let _ = a.contains(LatLon { lat: 0.0, lon: 0.0 });
        }
    }
});
