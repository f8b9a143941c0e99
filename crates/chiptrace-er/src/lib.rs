//! # chiptrace-er
//!
//! Counterparty entity resolution (issue 5, diversion.md §7): the same
//! company or person appearing under different names, spellings, scripts,
//! addresses, phones, e-mails, domains or registration numbers is resolved
//! into one [`Cluster`] with the evidence that joined it; related but
//! distinct companies (parent and subsidiary, siblings, companies sharing a
//! registered-agent address) stay apart and are connected by [`Link`]s.
//!
//! Principal items: [`Record`] (the generic record model; [`PartyRow`] is
//! the trade ledger's `parties` row), [`resolve`] with its [`Config`], the
//! [`Resolution`] (clusters, links, the trained [`Model`], [`Stats`]), the
//! [`PairExplanation`] waterfall, [`eval`] (pairwise and cluster metrics),
//! [`febrl`] (the FEBRL loaders) and [`synth`] (a seeded generator of
//! company clusters with hard negatives and ground truth).
//!
//! Pipeline (`docs/entity-resolution.md`):
//! 1. normalise each record once ([`normalize`]; names through
//!    `chiptrace-text`: scripts, legal forms, generic words);
//! 2. block on several keys per record with a size cap (near-linear cost);
//! 3. compare every candidate pair field by field into levels;
//! 4. Fellegi–Sunter weights: u from random pairs, m and λ by EM,
//!    term-frequency adjusted exact levels;
//! 5. cluster pairs above the threshold, strongest first, refusing merges
//!    that would join records with different registration ids, a declared
//!    parent and its subsidiary, or company names that differ in a
//!    distinguishing token without an agreeing identifier;
//! 6. link related clusters.
//!
//! ```
//! use chiptrace_er::{resolve, Config, Record};
//! let mut a = Record::company("1", "crm", "深圳市华芯科技有限公司");
//! a.registration_id = Some("91440300MA5F0X1Y2Z".into());
//! let mut b = Record::company("2", "invoices", "Shenzhen Huaxin Technology Co., Ltd.");
//! b.registration_id = Some("91440300-MA5F0X1Y2Z".into());
//! let res = resolve(&[a, b], &Config::default()).unwrap();
//! assert_eq!(res.cluster_of[0], res.cluster_of[1]);
//! let edge = &res.clusters[res.cluster_of[0]].edges[0];
//! assert!(edge.probability > 0.9);
//! ```
#![warn(missing_docs)]
#![doc(test(attr(deny(warnings), allow(unused_variables))))]

mod block;
mod compare;
mod error;
pub mod eval;
mod explain;
mod features;
pub mod febrl;
mod links;
mod model;
pub mod normalize;
mod record;
mod resolve;
pub mod rng;
pub mod synth;

pub use block::BlockingStats;
pub use compare::{FIELDS, Field, NameAlignment};
pub use error::{Error, Result};
pub use explain::{Decision, FieldEvidence, PairExplanation, RecordRef, probability};
pub use links::{Link, LinkKind};
pub use model::{FieldParams, Model};
pub use record::{Dataset, Kind, PartyRow, Record};
pub use resolve::{Cluster, Config, Resolution, Stats, Timings, resolve};
