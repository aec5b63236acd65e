//! Where `cchc`'s helper threads start (installed as `cchc::par`'s placer by main).
//!
//! On the project's machine (2 cores, Linux 6.18 under KVM) a newly spawned thread is queued on
//! the CPU of the thread that spawned it and waits there about 2 ms (median of 40 spawns; up to
//! 3 ms) before the other, idle CPU takes it, while the caller keeps working; `cchc report`
//! starts helpers three times (templates, appendices, writers), each a few milliseconds long.
//! Spawned with `cchc::par::spawn` once [`install`] has run, the helper moves itself to another CPU as soon as it first runs and
//! the caller gives it that moment (0.10 ms from spawn to running beside the caller, 0.17 ms
//! until the caller goes on; same test); it is then free again, so the scheduler may move it
//! later like any thread.

/// Makes `cchc::par::spawn` place its threads as above (Linux with glibc; elsewhere nothing).
pub fn install() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    cchc::par::set_placer(|| {
        affinity::Affinity::here().map(|a| Box::new(a) as Box<dyn cchc::par::Placement>)
    });
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod affinity {
    /// The caller's CPU, the CPUs it may run on, and those without its own.
    pub struct Affinity {
        here: libc::c_int,
        allowed: libc::cpu_set_t,
        elsewhere: libc::cpu_set_t,
    }

    const SIZE: usize = std::mem::size_of::<libc::cpu_set_t>();

    impl Affinity {
        /// None when the caller may run on one CPU only, or the system does not say.
        pub fn here() -> Option<Affinity> {
            // SAFETY: cpu_set_t is plain data; sched_getaffinity writes at most its size;
            // sched_getcpu has no preconditions (-1 means unknown); CPU_* stay inside the set.
            unsafe {
                let mut allowed: libc::cpu_set_t = std::mem::zeroed();
                if libc::sched_getaffinity(0, SIZE, &mut allowed) != 0 {
                    return None;
                }
                let here = libc::sched_getcpu();
                let mut elsewhere = allowed;
                libc::CPU_CLR(usize::try_from(here).ok()?, &mut elsewhere);
                (libc::CPU_COUNT(&elsewhere) > 0).then_some(Affinity {
                    here,
                    allowed,
                    elsewhere,
                })
            }
        }
    }

    impl cchc::par::Placement for Affinity {
        /// Run by the new thread: leaves the caller's CPU if it is on it (before the call
        /// returns).
        fn move_off(&self) {
            // SAFETY: sets this thread's own mask to one read from the system.
            unsafe {
                if libc::sched_getcpu() == self.here {
                    libc::sched_setaffinity(0, SIZE, &self.elsewhere);
                }
            }
        }

        /// Run by the new thread once moved: every CPU the caller may use is allowed again.
        fn release(&self) {
            // SAFETY: as in move_off.
            unsafe {
                libc::sched_setaffinity(0, SIZE, &self.allowed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn helper_runs_and_gets_all_cpus_back() {
        super::install();
        let before = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (value, after) = std::thread::scope(|s| {
            cchc::par::spawn(s, || {
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
