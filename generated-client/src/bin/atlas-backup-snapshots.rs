//! `atlas-backup-snapshots`: every operation of the client as a command.

fn main() -> std::process::ExitCode {
    atlas_backup_snapshots::cli::main()
}
