//! Waiting between the polls of `jwks --watch`; Ctrl-C or SIGTERM ends a wait early.

use super::server::{Signals, Stop};

/// A clock to sleep on, with the stop signals registered once (none is missed between waits).
pub struct Waiter {
    rt: tokio::runtime::Runtime,
    signals: Signals,
}

impl Waiter {
    /// Takes over the stop signals.
    pub fn new() -> std::io::Result<Waiter> {
        let rt = super::server::runtime()?;
        let signals = {
            let _inside = rt.enter();
            Signals::new()?
        };
        Ok(Waiter { rt, signals })
    }

    /// Waits `secs` seconds; returns the stop signal that ended the wait early, if one did.
    pub fn wait(&mut self, secs: f64) -> Option<Stop> {
        let pause = std::time::Duration::from_secs_f64(secs.clamp(0.0, 86_400.0));
        let signals = &mut self.signals;
        self.rt.block_on(async {
            tokio::select! {
                stop = signals.next() => Some(stop),
                () = tokio::time::sleep(pause) => None,
            }
        })
    }
}
