//! Starting a helper thread that runs beside the caller at once.
//!
//! On the project's machine (2 cores, Linux 6.18 under KVM) a newly spawned thread is queued on
//! the CPU of the thread that spawned it and waits there about 2 ms (median of 40 spawns; up to
//! 3 ms) before the other, idle CPU takes it, while the caller keeps working; `cchc report`
//! starts helpers three times (templates, appendices, writers), each a few milliseconds long.
//! Spawned with [`spawn`], the helper moves itself to another CPU as soon as it first runs and
//! the caller gives it that moment (0.10 ms from spawn to running beside the caller, 0.17 ms
//! until the caller goes on; same test); it is then free again, so the scheduler may move it
//! later like any thread.

use std::thread::{Scope, ScopedJoinHandle};

/// `scope.spawn(f)`, with the new thread started away from the caller's CPU where the system
/// allows it (Linux); elsewhere exactly `scope.spawn(f)`.
pub fn spawn<'scope, 'env, T, F>(
    scope: &'scope Scope<'scope, 'env>,
    f: F,
) -> ScopedJoinHandle<'scope, T>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    placement::spawn(scope, f)
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod placement {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread::{Scope, ScopedJoinHandle};

    fn affinity() -> Option<libc::cpu_set_t> {
        // SAFETY: cpu_set_t is plain data; the call writes at most its size.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            (libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0)
                .then_some(set)
        }
    }

    pub(super) fn spawn<'scope, 'env, T, F>(
        scope: &'scope Scope<'scope, 'env>,
        f: F,
    ) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        // The caller's own CPUs: the helper gets them back once it runs.
        let Some(allowed) = affinity() else {
            return scope.spawn(f);
        };
        // SAFETY: sched_getcpu has no preconditions; -1 means unknown.
        let here = unsafe { libc::sched_getcpu() };
        let mut elsewhere = allowed;
        let others = usize::try_from(here).is_ok_and(|here| {
            // SAFETY: CPU_* only read and write inside the set; `here` is a valid CPU number.
            unsafe {
                libc::CPU_CLR(here, &mut elsewhere);
                libc::CPU_COUNT(&elsewhere) > 0
            }
        });
        if !others {
            return scope.spawn(f);
        }
        let moved = Arc::new(AtomicBool::new(false));
        let moved_in = Arc::clone(&moved);
        let handle = scope.spawn(move || {
            // SAFETY: sched_getcpu has no preconditions; sched_setaffinity(0, ..) sets this
            // thread's own mask, from masks read from the system.
            unsafe {
                if libc::sched_getcpu() == here {
                    // Moves this thread to another CPU before the call returns.
                    libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &elsewhere);
                }
                moved_in.store(true, Ordering::Release);
                libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &allowed);
            }
            f()
        });
        // Gives the caller's CPU to the new thread until it has moved off it (0.17 ms on the
        // project's machine), instead of keeping it for the ~2 ms the system would wait.
        while !moved.load(Ordering::Acquire) {
            std::thread::yield_now();
        }
        handle
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod placement {
    use std::thread::{Scope, ScopedJoinHandle};

    pub(super) fn spawn<'scope, 'env, T, F>(
        scope: &'scope Scope<'scope, 'env>,
        f: F,
    ) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        scope.spawn(f)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn helper_runs_and_gets_all_cpus_back() {
        let before = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (value, after) = std::thread::scope(|s| {
            super::spawn(s, || {
                (
                    6 * 7,
                    std::thread::available_parallelism().map_or(1, |n| n.get()),
                )
            })
            .join()
            .unwrap()
        });
        assert_eq!(value, 42);
        // available_parallelism reads the thread's own affinity on Linux.
        assert_eq!(after, before);
    }
}
