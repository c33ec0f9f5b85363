//! Time, waiting and randomness, injectable so that tests neither sleep nor
//! depend on chance.

use crate::credentials::BoxFuture;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Where the current time comes from (signing dates, credential expiry).
pub trait TimeSource: fmt::Debug + Send + Sync {
    fn now(&self) -> SystemTime;
}

/// Waiting between retries.
pub trait Sleep: fmt::Debug + Send + Sync {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// A random number in `[0, 1)`, for retry jitter.
pub trait RandomSource: fmt::Debug + Send + Sync {
    fn random(&self) -> f64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// `fastrand`, seeded per thread by the OS.
#[derive(Debug, Clone, Copy, Default)]
pub struct FastRandom;

impl RandomSource for FastRandom {
    fn random(&self) -> f64 {
        fastrand::f64()
    }
}

pub type SharedTimeSource = Arc<dyn TimeSource>;
pub type SharedSleep = Arc<dyn Sleep>;
pub type SharedRandom = Arc<dyn RandomSource>;
