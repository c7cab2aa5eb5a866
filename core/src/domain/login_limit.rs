//! Throttling of failed logins, per account and per client address. A plain
//! sliding counter with the clock passed in, so the rules are testable.

use std::collections::HashMap;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
pub struct LimitRule {
    pub max_failures: u32,
    pub window: Duration,
}

/// Counts failures per key inside a window; when the count reaches the maximum,
/// further attempts are refused until the window that began with the first
/// failure has passed.
#[derive(Debug)]
pub struct FailureCounter {
    rule: LimitRule,
    entries: HashMap<String, (u32, Instant)>,
}

impl FailureCounter {
    pub fn new(rule: LimitRule) -> Self {
        FailureCounter {
            rule,
            entries: HashMap::new(),
        }
    }

    /// `Some(wait)` when this key may not try now.
    pub fn blocked_for(&self, key: &str, now: Instant) -> Option<Duration> {
        let (count, started) = self.entries.get(key)?;
        let ends = *started + self.rule.window;
        (*count >= self.rule.max_failures && now < ends).then(|| ends - now)
    }

    pub fn record_failure(&mut self, key: &str, now: Instant) {
        if self.entries.len() > 100_000 {
            // An attacker cycling through keys must not grow this without bound.
            self.forget_expired(now);
        }
        let window = self.rule.window;
        let entry = self.entries.entry(key.to_string()).or_insert((0, now));
        if now >= entry.1 + window {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    pub fn clear(&mut self, key: &str) {
        self.entries.remove(key);
    }

    fn forget_expired(&mut self, now: Instant) {
        let window = self.rule.window;
        self.entries
            .retain(|_, (_, started)| now < *started + window);
    }
}

/// The two counters a login consults.
#[derive(Debug)]
pub struct LoginLimiter {
    per_account: FailureCounter,
    per_address: FailureCounter,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(
            LimitRule {
                max_failures: 5,
                window: Duration::from_secs(15 * 60),
            },
            LimitRule {
                max_failures: 20,
                window: Duration::from_secs(15 * 60),
            },
        )
    }
}

impl LoginLimiter {
    pub fn new(per_account: LimitRule, per_address: LimitRule) -> Self {
        LoginLimiter {
            per_account: FailureCounter::new(per_account),
            per_address: FailureCounter::new(per_address),
        }
    }

    pub fn blocked_for(&self, account: &str, address: &str, now: Instant) -> Option<Duration> {
        let a = self.per_account.blocked_for(account, now);
        let b = self.per_address.blocked_for(address, now);
        a.max(b)
    }

    pub fn record_failure(&mut self, account: &str, address: &str, now: Instant) {
        self.per_account.record_failure(account, now);
        self.per_address.record_failure(address, now);
    }

    /// A successful login clears the account's count; the address keeps its count,
    /// so one valid account cannot be used to reset a spray across many.
    pub fn record_success(&mut self, account: &str) {
        self.per_account.clear(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> LoginLimiter {
        LoginLimiter::new(
            LimitRule {
                max_failures: 3,
                window: Duration::from_secs(60),
            },
            LimitRule {
                max_failures: 5,
                window: Duration::from_secs(60),
            },
        )
    }

    #[test]
    fn account_is_blocked_after_max_failures_until_window_ends() {
        let mut l = limiter();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.blocked_for("a@x.cn", "1.1.1.1", t0), None);
            l.record_failure("a@x.cn", "1.1.1.1", t0);
        }
        assert_eq!(
            l.blocked_for("a@x.cn", "2.2.2.2", t0 + Duration::from_secs(10)),
            Some(Duration::from_secs(50))
        );
        assert_eq!(
            l.blocked_for("a@x.cn", "2.2.2.2", t0 + Duration::from_secs(60)),
            None
        );
    }

    #[test]
    fn address_is_blocked_when_spraying_many_accounts() {
        let mut l = limiter();
        let t0 = Instant::now();
        for i in 0..5 {
            l.record_failure(&format!("user{i}@x.cn"), "9.9.9.9", t0);
        }
        assert!(l.blocked_for("fresh@x.cn", "9.9.9.9", t0).is_some());
        assert!(l.blocked_for("fresh@x.cn", "8.8.8.8", t0).is_none());
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let mut l = limiter();
        let t0 = Instant::now();
        for _ in 0..2 {
            l.record_failure("a@x.cn", "1.1.1.1", t0);
        }
        l.record_success("a@x.cn");
        l.record_failure("a@x.cn", "1.1.1.1", t0);
        l.record_failure("a@x.cn", "1.1.1.1", t0);
        assert_eq!(l.blocked_for("a@x.cn", "3.3.3.3", t0), None);
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let mut l = limiter();
        let t0 = Instant::now();
        l.record_failure("a@x.cn", "1.1.1.1", t0);
        l.record_failure("a@x.cn", "1.1.1.1", t0);
        let later = t0 + Duration::from_secs(61);
        l.record_failure("a@x.cn", "1.1.1.1", later);
        assert_eq!(l.blocked_for("a@x.cn", "1.1.1.1", later), None);
    }
}
