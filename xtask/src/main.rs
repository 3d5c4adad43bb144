use std::process::ExitCode;

/// mimalloc rather than the system allocator: the diff of a large spec
/// generates both versions at once, and glibc's malloc and free across
/// threads took about a third of its time (`cargo bench -p xtask --bench
/// scale`: 4.2–5.2 s with glibc, 2.7–3.4 s with mimalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    xtask::run(std::env::args().skip(1))
}
