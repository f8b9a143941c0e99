//! Command-line argument types (clap derive). Kept in the binary crate only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// chiptrace: export-control compliance for advanced chips —
/// restricted-party screening, with explanations.
#[derive(Debug, Parser)]
#[command(name = "chiptrace", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options shared by all subcommands.
#[derive(Debug, Args, Clone)]
pub(crate) struct Global {
    /// Data directory (downloaded list versions, later the store).
    /// Default: $CHIPTRACE_DATA_DIR, else $XDG_DATA_HOME/chiptrace, else ~/.local/share/chiptrace.
    #[arg(long, global = true, env = "CHIPTRACE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

// Parsed once per process; boxing the large variant would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Screen one name, or a CSV file of parties, against restricted-party lists.
    Screen(ScreenArgs),
    /// Score name pairs from a CSV (schema,name1,name2) with the screening scorer.
    ScorePairs(ScorePairsArgs),
    /// Import, inspect and update restricted-party lists.
    Lists(ListsArgs),
    /// Run the main job on the embedded demo data (fictional lists and parties).
    Demo(DemoArgs),
    /// Show how a name is normalised: its comparable forms and token classes.
    Analyze(AnalyzeArgs),
    /// Classify a chip or system under ECCN 3A090 / 4A090 on a date.
    Classify(ClassifyArgs),
    /// Decide whether a transaction needs a licence, with exceptions, review policy and citations.
    Decide(DecideArgs),
    /// Monitored parties in the store (customers, consignees, end users).
    Parties(PartiesArgs),
    /// Screen the monitored parties against the lists in the store; only
    /// what can have changed since the last run is screened again.
    Rescreen(RescreenArgs),
    /// List alerts from the store.
    Alerts(AlertsArgs),
    /// Record a review disposition on an alert.
    Review(ReviewArgs),
    /// Verify or export the tamper-evident audit log.
    Audit(AuditArgs),
    /// Location verification of deployed chips from signed round-trip delays to landmarks.
    Lv(LvArgs),
    /// Trade ledgers: validate and record an import.
    Ledger(LedgerArgs),
    /// Write a realistic trade ledger with injected diversion schemes and ground truth.
    GenLedger(GenLedgerArgs),
    /// Chain of custody of a serial number, with its anomalies.
    Trace(TraceArgs),
    /// Bill-to vs ship-to vs end-use reconciliation by country and period.
    Reconcile(ReconcileArgs),
    /// List recorded diversion alerts (from `analyze --ledger --record`).
    TradeAlerts(TradeAlertsArgs),
    /// Record the review of a diversion alert: cleared, confirmed or escalated, with reviewer and reason.
    TradeReview(TradeReviewArgs),
}

#[derive(Debug, Args)]
pub(crate) struct TradeAlertsArgs {
    /// Only this status: open, cleared, confirmed, escalated, closed.
    #[arg(long)]
    pub status: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct TradeReviewArgs {
    /// Alert id (from `trade-alerts`).
    pub id: i64,
    /// cleared | confirmed | escalated.
    #[arg(long)]
    pub disposition: String,
    /// Who reviewed.
    #[arg(long)]
    pub reviewer: String,
    /// Why (the inquiry and its answer).
    #[arg(long)]
    pub reason: String,
    /// The alert's updated_at as you saw it (from trade-alerts): refuse if it changed since.
    #[arg(long)]
    pub seen: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct LedgerArgs {
    #[command(subcommand)]
    pub command: LedgerCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LedgerCommand {
    /// Validate a ledger directory (CSV or JSON lines) and record the import (file hashes, counts, problems) in the store.
    Import(LedgerImportArgs),
}

#[derive(Debug, Args)]
pub(crate) struct LedgerImportArgs {
    /// Ledger directory.
    pub dir: PathBuf,
    /// Proceed on the valid part, dropping invalid records and their dependants.
    #[arg(long)]
    pub lenient: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct GenLedgerArgs {
    /// Seed (same seed, same ledger).
    #[arg(long)]
    pub seed: u64,
    /// Number of orders.
    #[arg(long)]
    pub orders: usize,
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    /// Write JSON lines instead of CSV.
    #[arg(long)]
    pub jsonl: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TraceArgs {
    /// Serial number.
    pub serial: String,
    /// Ledger directory.
    #[arg(long)]
    pub ledger: PathBuf,
    /// Proceed on the valid part of the ledger.
    #[arg(long)]
    pub lenient: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ReconcileArgs {
    /// Ledger directory.
    #[arg(long)]
    pub ledger: PathBuf,
    /// Group by (only `country` for now; the period is --period).
    #[arg(long, default_value = "country")]
    pub by: String,
    /// Period: month, quarter, year or all.
    #[arg(long, default_value = "all")]
    pub period: String,
    /// Proceed on the valid part of the ledger.
    #[arg(long)]
    pub lenient: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct LvArgs {
    #[command(subcommand)]
    pub command: LvCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LvCommand {
    /// Generate an Ed25519 key pair for a chip (device key) or a landmark: PREFIX.key and PREFIX.pub.
    Keygen(LvKeygenArgs),
    /// The registry of chips, licensed sites and landmarks in the store.
    Registry(LvRegistryArgs),
    /// Run a landmark.
    Landmark(LvLandmarkArgs),
    /// Run a chip's agent: answer every landmark's challenges and collect their signed statements.
    Agent(LvAgentArgs),
    /// Verify a chip's location from landmark statements; record the signed verdict, raise an alert unless it passes.
    Verify(LvVerifyArgs),
    /// List recorded verdicts.
    Verdicts(LvVerdictsArgs),
    /// List location alerts.
    Alerts(LvAlertsArgs),
    /// Every registered chip with its latest verdict; chips never verified or not verified recently are missed check-ins.
    Status(LvStatusArgs),
    /// Delay forwarder for labs and tests: stands in for distance (adds a fixed one-way delay each way).
    Forward(LvForwardArgs),
}

#[derive(Debug, Args)]
pub(crate) struct LvKeygenArgs {
    /// Output prefix: writes PREFIX.key (secret, mode 0600) and PREFIX.pub.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct LvRegistryArgs {
    #[command(subcommand)]
    pub command: LvRegistryCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LvRegistryCommand {
    /// Import sites.csv, landmarks.csv and chips.csv (a directory holding them, or the files).
    Import(LvRegistryImportArgs),
    /// Show the registry.
    Show(LvFormatArgs),
}

#[derive(Debug, Args)]
pub(crate) struct LvRegistryImportArgs {
    /// A directory with sites.csv / landmarks.csv / chips.csv, or those files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct LvFormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct LvLandmarkArgs {
    #[command(subcommand)]
    pub command: LvLandmarkCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LvLandmarkCommand {
    /// Serve challenges until stopped. Prints `listening on ADDR` when ready.
    Serve(LvServeArgs),
}

#[derive(Debug, Args)]
pub(crate) struct LvServeArgs {
    /// Landmark id, as registered.
    #[arg(long)]
    pub id: String,
    /// Landmark secret key file.
    #[arg(long)]
    pub key: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7700")]
    pub listen: String,
    /// Allow listening on a non-loopback address.
    #[arg(long)]
    pub allow_remote: bool,
    /// Challenges per session (the minimum RTT is kept).
    #[arg(long, default_value_t = 16)]
    pub rounds: u32,
    /// Sessions served at once.
    #[arg(long, default_value_t = 256)]
    pub max_sessions: usize,
    /// Registry directory (chips.csv) to take chip keys from, instead of the store.
    #[arg(long)]
    pub registry: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct LvAgentArgs {
    /// Chip serial.
    #[arg(long)]
    pub chip: String,
    /// Device secret key file.
    #[arg(long)]
    pub key: PathBuf,
    /// Landmark to answer, as ID=HOST:PORT (repeat).
    #[arg(long = "landmark", required = true)]
    pub landmarks: Vec<String>,
    /// Counter state file (monotonic counter; default: KEY.counter).
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Firmware measurement to report (64 hex characters; default: SHA-256 of the agent's version).
    #[arg(long)]
    pub measurement: Option<String>,
    /// Write the statements here (JSON array); default: standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Per-message timeout, ms.
    #[arg(long, default_value_t = 10_000)]
    pub timeout_ms: u64,
}

#[derive(Debug, Args)]
pub(crate) struct LvVerifyArgs {
    /// Chip serial.
    #[arg(long)]
    pub chip: String,
    /// Statement files written by `lv agent` (JSON array or one statement).
    #[arg(long = "proofs", required = true)]
    pub proofs: Vec<PathBuf>,
    /// Write an SVG map of the discs, the feasible region and the licensed site.
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// A GeoJSON file with the licensed country or area: a pass also needs the region inside it.
    #[arg(long)]
    pub area: Option<PathBuf>,
    /// Independent landmark operators that must each show containment (2 or more; 1 only with --allow-single-operator).
    #[arg(long, default_value_t = chiptrace_lv::verdict::Policy::default().min_operators)]
    pub min_operators: usize,
    /// Accept a pass shown by the landmarks of one operator (one compromised operator could then pass a chip).
    #[arg(long)]
    pub allow_single_operator: bool,
    /// Oldest statement accepted, seconds.
    #[arg(long, default_value_t = chiptrace_lv::verdict::Policy::default().max_age_s)]
    pub max_age_s: i64,
    /// Exit 1 unless the verdict is pass.
    #[arg(long)]
    pub fail_unless_pass: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct LvVerdictsArgs {
    /// Only this chip.
    #[arg(long)]
    pub chip: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct LvAlertsArgs {
    /// Include closed alerts.
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct LvStatusArgs {
    /// A chip whose latest verdict is older than this many hours has missed its check-in.
    #[arg(long, default_value_t = 24.0)]
    pub max_age_hours: f64,
    /// Exit 1 when any chip missed its check-in or its latest verdict is not a pass.
    #[arg(long)]
    pub fail_on_missed: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct LvForwardArgs {
    /// LISTEN=TARGET@MS, e.g. 127.0.0.1:9001=127.0.0.1:7700@12.75 (repeat). Prints `forwarding LISTEN -> TARGET` lines when ready.
    #[arg(long = "route", required = true)]
    pub routes: Vec<String>,
    /// Allow listening on non-loopback addresses.
    #[arg(long)]
    pub allow_remote: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PartiesArgs {
    #[command(subcommand)]
    pub command: PartiesCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PartiesCommand {
    /// Import parties to monitor from a CSV (columns id,name and optional schema,country,address,dob).
    Import(PartiesImportArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PartiesImportArgs {
    /// Parties CSV.
    pub file: PathBuf,
    /// Make any bad row fatal (nothing is imported).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RescreenArgs {
    /// Screen every party against every entry, not only what changed.
    #[arg(long)]
    pub full: bool,
    /// Minimum score of an alert (default 0.80).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct AlertsArgs {
    /// Only alerts with this status: open, true_match, false_positive, escalated, closed.
    #[arg(long)]
    pub status: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ReviewArgs {
    /// The alert id (from `chiptrace alerts`).
    pub alert_id: i64,
    /// true_match, false_positive or escalated.
    #[arg(long)]
    pub disposition: String,
    /// Why (kept in the record and the audit log).
    #[arg(long)]
    pub reason: String,
    /// Who reviewed.
    #[arg(long)]
    pub reviewer: String,
}

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCommand {
    /// Check the hash chain, the signed checkpoints and every record against its event (exit 1 if anything is wrong).
    Verify(AuditVerifyArgs),
    /// Export the events with the verification material (what an examiner receives).
    Export(AuditExportArgs),
    /// Print the audit public key (hex) and its file.
    PublicKey,
}

#[derive(Debug, Args)]
pub(crate) struct AuditVerifyArgs {
    /// Public key file to trust (default: the store's own key file).
    #[arg(long)]
    pub public_key: Option<PathBuf>,
    /// Verify an exported JSONL file instead of the store (needs --public-key).
    #[arg(long, requires = "public_key")]
    pub export: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Audit export formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum AuditFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct AuditExportArgs {
    /// jsonl (events, checkpoints, verification in one file) or csv (events; verification material in OUTPUT.verification.json).
    #[arg(long, value_enum, default_value_t = AuditFormat::Jsonl)]
    pub format: AuditFormat,
    /// First day (YYYY-MM-DD, inclusive).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, inclusive).
    #[arg(long)]
    pub to: Option<String>,
    /// Output file (default: standard output; required for csv).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ClassifyArgs {
    /// Chip or system from the catalog, e.g. "H100 SXM" (see --list-chips).
    #[arg(long, conflicts_with_all = ["spec", "all", "list_chips"])]
    pub chip: Option<String>,
    /// Spec file (JSON; docs/classification.md).
    #[arg(long, value_name = "SPEC.json", conflicts_with_all = ["all", "list_chips"])]
    pub spec: Option<PathBuf>,
    /// Classify every catalog row.
    #[arg(long)]
    pub all: bool,
    /// List the catalog.
    #[arg(long)]
    pub list_chips: bool,
    /// Date of the rules to apply (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct DecideArgs {
    /// Transaction file (JSON; docs/license-determination.md).
    #[arg(long, value_name = "TRANSACTION.json")]
    pub input: PathBuf,
    #[command(flatten)]
    pub source: ListSource,
    /// Minimum screening score of a party hit (default 0.80; hits below 0.95 are "potential" and make the answer indeterminate until reviewed).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Date of the rules to apply (default: the transaction's date, else today).
    #[arg(long)]
    pub date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Exit with code 1 unless the answer is "no licence required".
    #[arg(long)]
    pub fail_on_license: bool,
}

#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    /// Party type: Person, Company, ... (persons get "SURNAME, Given" reordering).
    #[arg(long)]
    pub schema: Option<String>,
    /// A name to normalise (shows its comparable forms and token classes).
    #[arg(required_unless_present = "ledger", conflicts_with = "ledger")]
    pub name: Option<String>,
    /// Analyse a trade ledger for diversion (red flags, entity resolution, network paths, serial anomalies).
    #[arg(long)]
    pub ledger: Option<PathBuf>,
    #[command(flatten)]
    pub opts: LedgerOpts,
    /// Write the resolved graph as GraphML (Gephi, Cytoscape).
    #[arg(long)]
    pub graphml: Option<PathBuf>,
    /// Write the resolved graph as FollowTheMoney JSON lines (OpenSanctions tooling).
    #[arg(long)]
    pub ftm: Option<PathBuf>,
    /// Write the full JSON analysis here (the table goes to standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Exit 1 when any order is held or blocked.
    #[arg(long)]
    pub fail_on_hold: bool,
    /// Ground truth of a generated ledger (truth.json): report detection quality per scheme.
    #[arg(long)]
    pub truth: Option<PathBuf>,
    /// Record the alerts in the store as inquiry tasks (reviews last while the evidence is unchanged).
    #[arg(long)]
    pub record: bool,
    /// Name of the ledger stream the recorded alerts belong to (default: the ledger directory's absolute path).
    #[arg(long, requires = "record")]
    pub source: Option<String>,
}

/// Options shared by the ledger commands.
#[derive(Debug, Args, Clone)]
pub(crate) struct LedgerOpts {
    /// Restricted-party list files to screen the ledger's parties against (default: installed lists, if any).
    #[arg(long = "lists", num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// Proceed on the valid part of the ledger, dropping invalid records and their dependants.
    #[arg(long)]
    pub lenient: bool,
    /// Red-flag rule data to use instead of the embedded one (TOML, same layout).
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

/// Output formats for single-name screening.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    /// Human-readable table.
    Table,
    /// JSON (hits with explanations).
    Json,
}

/// Options for loading list files.
#[derive(Debug, Args, Clone)]
pub(crate) struct ListSource {
    /// List files or directories (format auto-detected, directories recursive).
    /// Default: the list versions in use in the data directory (`chiptrace lists update`).
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub lists: Vec<PathBuf>,
    /// Make any bad list row fatal instead of counting and reporting it.
    #[arg(long)]
    pub strict: bool,
    /// Column mapping for custom CSV lists, e.g. "name=Company,id=Ref,country=Ctry,aliases=AKA,list=my_list".
    #[arg(long, value_name = "SPEC")]
    pub mapping: Option<String>,
    /// Column mapping for custom CSV lists, from a JSON/TOML file.
    #[arg(long, value_name = "FILE", conflicts_with = "mapping")]
    pub mapping_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ScreenArgs {
    #[command(flatten)]
    pub source: ListSource,
    /// Country of the party (ISO 3166 alpha-2 or a country name).
    #[arg(long, conflicts_with = "input")]
    pub country: Option<String>,
    /// Party type: Person, Company, Organization, LegalEntity, Vessel, Aircraft.
    #[arg(long, conflicts_with = "input")]
    pub schema: Option<String>,
    /// Address of the party (single-name mode).
    #[arg(long, conflicts_with = "input")]
    pub address: Option<String>,
    /// Date of birth (single-name mode; persons).
    #[arg(long, conflicts_with = "input")]
    pub dob: Option<String>,
    /// Maximum hits per party (1 to 1000).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub top: u16,
    /// Minimum score of a hit (default: the review threshold 0.80).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Output format in single-name mode.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Parties CSV (columns id,name and optional schema,country,address,dob).
    #[arg(long, requires = "output")]
    pub input: Option<PathBuf>,
    /// Results CSV (one row per hit).
    #[arg(long, requires = "input")]
    pub output: Option<PathBuf>,
    /// Exit with code 1 when any hit was found, or when any party row could
    /// not be screened (default: hits do not change the exit code).
    #[arg(long)]
    pub fail_on_hit: bool,
    /// The name to screen (single-name mode).
    #[arg(conflicts_with = "input")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ScorePairsArgs {
    /// Input CSV with columns schema,name1,name2 (name1 the query, name2 the listed name).
    #[arg(long)]
    pub input: PathBuf,
    /// Output CSV: the input columns plus score and match.
    #[arg(long)]
    pub output: PathBuf,
    /// Threshold for the `match` column (default 0.80).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Add an `explanation` column (JSON) to the output.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ListsArgs {
    #[command(subcommand)]
    pub command: ListsCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ListsCommand {
    /// Load list files and report entries per list, formats and bad rows;
    /// with a data directory in use, record them as a new list version and
    /// re-screen the monitored parties.
    Import(ListsImportArgs),
    /// Download the official current list files into the data directory.
    Update(ListsUpdateArgs),
    /// Show the list versions in use in the data directory.
    Status,
    /// Switch a source back to a kept version (rollback), e.g. after an
    /// update that passed validation but is wrong.
    Activate(ListsActivateArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ListsActivateArgs {
    /// Source id (as in `lists status`).
    pub source: String,
    /// Version to use (as in `lists status`, or a kept one).
    pub version: String,
}

#[derive(Debug, Args)]
pub(crate) struct ListsImportArgs {
    /// List files or directories.
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,
    /// Make any bad row fatal.
    #[arg(long)]
    pub strict: bool,
    /// Column mapping for custom CSV lists.
    #[arg(long)]
    pub mapping: Option<String>,
    /// Print the parsed entries as JSON lines instead of a summary.
    #[arg(long)]
    pub dump: bool,
    /// Show at most this many bad rows.
    #[arg(long, default_value_t = 20)]
    pub show_bad: usize,
}

#[derive(Debug, Args)]
pub(crate) struct ListsUpdateArgs {
    /// JSON file overriding the list sources (mirrors, air-gapped use, tests).
    #[arg(long)]
    pub sources: Option<PathBuf>,
    /// Only update these source ids.
    #[arg(long)]
    pub only: Vec<String>,
    /// Per-file timeout in seconds.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
    /// Largest accepted drop in entry count against the version in use, as
    /// a fraction (default 0.20). Raise it only to accept a known large
    /// removal on purpose.
    #[arg(long, default_value_t = 0.20)]
    pub max_drop: f64,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Write the demo list and parties files to this directory and keep them.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap's own consistency checks (argument references, conflicts).
    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
