//! Access to environment variables, injectable so that tests never change
//! the process environment (which other tests share).

use std::fmt;
use std::sync::Arc;

/// Looks a variable up.
type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// A view of environment variables. `Debug` shows no values: some are
/// secrets.
#[derive(Clone)]
pub struct Env(Arc<Lookup>);

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Env")
    }
}

impl Env {
    /// The process environment.
    pub fn process() -> Env {
        Env(Arc::new(|name| std::env::var(name).ok()))
    }

    /// Variables given as pairs; nothing else is set.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Env {
        let vars: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env(Arc::new(move |name| {
            vars.iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }))
    }

    /// A variable's value, or `None` when unset.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.0)(name)
    }

    /// A variable's value, trimmed; `None` when unset or blank.
    pub fn non_empty(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }
}
