//! The process's memory allocator, and the one setting hivewire changes in it.
//!
//! mimalloc serves DataFusion's many short-lived buffers from every worker thread faster than
//! glibc's malloc does (see the benchmark report in benches/results/). On Linux its default is to
//! commit each arena eagerly, which keeps about 20 MB more resident in an idle server than lazy
//! commit does, for no measured gain in query time. The choice has to be made before the first
//! allocation, so it is made in a constructor that the loader runs before `main` (and before the
//! Rust runtime allocates). A `MIMALLOC_ARENA_EAGER_COMMIT` in the environment still wins.

use std::ffi::{c_char, c_int, c_long};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit`, its fifth option (mimalloc.h, `mi_option_e`).
const ARENA_EAGER_COMMIT: c_int = 4;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    fn getenv(name: *const c_char) -> *const c_char;
}

/// Runs from `.init_array` with the earliest priority open to programs, so before other
/// constructors that might allocate.
#[used]
#[link_section = ".init_array.00101"]
static LAZY_ARENA_COMMIT: extern "C" fn() = lazy_arena_commit;

extern "C" fn lazy_arena_commit() {
    // SAFETY: getenv reads a NUL-terminated name and returns a pointer it owns (or null); nothing
    // else runs in the process yet. mi_option_set only stores the value.
    unsafe {
        if getenv(c"MIMALLOC_ARENA_EAGER_COMMIT".as_ptr()).is_null() {
            mi_option_set(ARENA_EAGER_COMMIT, 0);
        }
    }
}
