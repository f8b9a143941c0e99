//! The SVG picture of a verdict: each accepted landmark's disc, the feasible
//! region (their intersection), the licensed site with its radius, the
//! landmarks whose proofs were left out, and the verdict with its first
//! reasons as the caption.

use chiptrace_geo::svg::{DiscStyle, MapDisc, MapRegion, MapSpec, Site, render as render_svg};
use chiptrace_geo::{Area, LatLon, intersect};

use crate::registry::Registry;
use crate::verdict::{ProofStatus, Verdict};

/// Render `v` as a self-contained SVG document.
pub fn render(v: &Verdict, reg: &Registry, area: Option<&Area>) -> String {
    let region = intersect(&v.region.discs);
    let discs = v
        .region
        .discs
        .iter()
        .map(|d| MapDisc { disc: d.clone(), style: DiscStyle::Landmark })
        .collect();
    let points = v
        .proofs
        .iter()
        .filter(|p| p.status != ProofStatus::Accepted)
        .filter_map(|p| {
            let l = reg.landmarks.get(&p.landmark)?;
            Some((
                LatLon { lat: l.lat, lon: l.lon },
                format!("{} ({:?}, not used)", p.landmark, p.status).to_lowercase(),
            ))
        })
        .collect();
    let mut caption = vec![format!(
        "verdict {} for chip {} ({}) at {}",
        v.result.as_str().to_uppercase(),
        v.chip,
        v.model,
        v.at
    )];
    caption.extend(v.reasons.iter().take(3).cloned());
    caption.push(
        "discs: sound bounds at the speed of light in vacuum; the chip lies in their intersection"
            .into(),
    );
    let spec = MapSpec {
        title: format!("chiptrace location verification: {}", v.chip),
        discs,
        region: (!region.is_empty()).then_some(MapRegion::Region(&region)),
        site: Some(Site {
            center: v.site.position(),
            radius_km: v.site.radius_km,
            label: format!("licensed site {}", v.site.site_id),
        }),
        areas: area.into_iter().collect(),
        points,
        caption,
    };
    render_svg(&spec)
}
