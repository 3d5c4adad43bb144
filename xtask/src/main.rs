use std::process::ExitCode;

fn main() -> ExitCode {
    xtask::cli::run(std::env::args().skip(1))
}
