//! Kills moto when the command is interrupted (Ctrl-C) or told to stop
//! (SIGTERM, SIGHUP), where no destructor runs: the handler sends SIGKILL
//! to the registered process, then lets the signal end the command as it
//! would have.
//!
//! A terminal's Ctrl-C reaches moto too (it is in the same process
//! group), but a SIGTERM sent to this command alone, as a CI timeout
//! does, would leave it running.

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicI32, Ordering};
    use std::sync::Once;

    /// The process to kill; 0 for none. An atomic, so the handler may read it.
    static PID: AtomicI32 = AtomicI32::new(0);
    static INSTALL: Once = Once::new();

    pub fn kill_on_signal(pid: u32) {
        PID.store(i32::try_from(pid).unwrap_or(0), Ordering::SeqCst);
        INSTALL.call_once(|| {
            let handler = handle as extern "C" fn(libc::c_int) as libc::sighandler_t;
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                // SAFETY: `handle` only calls async-signal-safe functions
                // (kill, signal, raise) and reads an atomic.
                unsafe { libc::signal(signal, handler) };
            }
        });
    }

    pub fn forget() {
        PID.store(0, Ordering::SeqCst);
    }

    extern "C" fn handle(signal: libc::c_int) {
        let pid = PID.swap(0, Ordering::SeqCst);
        // SAFETY: async-signal-safe calls. The child is not reaped before
        // `forget`, so `pid` cannot name another process yet.
        unsafe {
            if pid > 0 {
                libc::kill(pid, libc::SIGKILL);
            }
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn kill_on_signal(_pid: u32) {}
    pub fn forget() {}
}

pub use imp::{forget, kill_on_signal};
