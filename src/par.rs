//! Starting a helper thread that runs beside the caller at once.
//!
//! Where a thread starts is the binary's business: it may install a [`Placer`] (the `cchc`
//! command does, on Linux, because a new thread there waited ~2 ms on the caller's CPU before
//! the idle one took it; see `src/cli/placement.rs`). Without one, [`spawn`] is exactly
//! `scope.spawn`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::{Scope, ScopedJoinHandle};

/// Where a new thread runs: it calls `move_off` as soon as it starts (the caller waits for
/// that), then `release`.
pub trait Placement: Send {
    fn move_off(&self);
    fn release(&self);
}

/// Makes the placement of the next thread, or `None` to leave it to the system.
pub type Placer = fn() -> Option<Box<dyn Placement>>;

static PLACER: OnceLock<Placer> = OnceLock::new();

/// Installs the placer for the whole process; the first installed stays.
pub fn set_placer(placer: Placer) {
    let _ = PLACER.set(placer);
}

/// `scope.spawn(f)`, with the new thread placed by the installed [`Placer`], if any.
pub fn spawn<'scope, 'env, T, F>(
    scope: &'scope Scope<'scope, 'env>,
    f: F,
) -> ScopedJoinHandle<'scope, T>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    let Some(placement) = PLACER.get().and_then(|placer| placer()) else {
        return scope.spawn(f);
    };
    let moved = Arc::new(AtomicBool::new(false));
    let moved_in = Arc::clone(&moved);
    let handle = scope.spawn(move || {
        placement.move_off();
        moved_in.store(true, Ordering::Release);
        placement.release();
        f()
    });
    // Gives the caller's CPU to the new thread until it has placed itself.
    while !moved.load(Ordering::Acquire) {
        std::thread::yield_now();
    }
    handle
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    static MOVED: AtomicUsize = AtomicUsize::new(0);
    static RELEASED: AtomicUsize = AtomicUsize::new(0);

    struct Counting;
    impl Placement for Counting {
        fn move_off(&self) {
            MOVED.fetch_add(1, Ordering::SeqCst);
        }
        fn release(&self) {
            RELEASED.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn helper_runs_placed_by_the_installed_placer() {
        set_placer(|| Some(Box::new(Counting)));
        let value = std::thread::scope(|s| spawn(s, || 6 * 7).join().unwrap());
        assert_eq!(value, 42);
        assert!(MOVED.load(Ordering::SeqCst) >= 1);
        assert!(RELEASED.load(Ordering::SeqCst) >= 1);
    }
}
