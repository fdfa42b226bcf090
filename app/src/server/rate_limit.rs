//! Limits against abuse of the public site: how many public writes (registrations,
//! applications, "tell me when it opens", password resets) a network address or an email
//! address may make in a while, and how many live seat streams may be open. On SQLite (one
//! process) the write counts live in memory, and a restart forgets them, which only errs on
//! the side of letting people in; on PostgreSQL, which several instances may share, they live
//! in the database (`db::write_counts`), so a client gets its limit once, not once per
//! instance. Stream slots are always per instance: they bound this process's sockets.

use super::db::write_counts;
use super::links::Purpose;
use super::state::AppState;
use crate::domain::accounts::email_key;
use crate::error::AppError;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// At most `count` in any `window` (approximately: see [`WriteLimiter`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub count: u32,
    pub window: Duration,
}

/// How many public writes one network address and one email address may make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteLimits {
    pub per_address: Limit,
    pub per_email: Limit,
}

impl Default for WriteLimits {
    /// An address may send 30 forms in 10 minutes (a clinic behind one address, or someone
    /// registering for a whole series), an email address 10 in an hour (no inbox gets flooded).
    fn default() -> Self {
        WriteLimits {
            per_address: Limit { count: 30, window: Duration::from_secs(10 * 60) },
            per_email: Limit { count: 10, window: Duration::from_secs(60 * 60) },
        }
    }
}

/// How many `/live/seats` streams may be open from one address and in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamLimits {
    pub per_address: u32,
    pub total: u32,
}

impl Default for StreamLimits {
    /// A page holds one stream, so 16 is a person with many tabs or a few people behind one
    /// address; 20,000 streams cost about a broadcast receiver and a socket each.
    fn default() -> Self {
        StreamLimits { per_address: 16, total: 20_000 }
    }
}

/// Where a request comes from: the socket's peer, or, when that peer is one of
/// `trusted_proxies`, the nearest address in `X-Forwarded-For` that is not one of them (the
/// ones further left were written by the client itself and prove nothing). `None` when the
/// request did not come through a socket (in-process tests).
pub fn client_address(parts: &http::request::Parts, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_canonical())?;
    if !trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut nearest = peer;
    for hop in forwarded.iter().rev() {
        // A hop that does not parse was not written by a proxy we trust: stop at the last sure one.
        let Ok(address) = hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) else { break };
        nearest = address;
        if !trusted_proxies.contains(&address) {
            break;
        }
    }
    Some(nearest)
}

/// The key an address is counted under: an IPv6 client usually holds a whole /64, so it
/// counts as one.
fn address_key(address: IpAddr) -> String {
    match address.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Address,
    Email,
}

/// One key's counts: this window's and the previous one's.
#[derive(Clone, Copy, Debug)]
struct Window {
    started: Instant,
    count: u32,
    previous: u32,
}

impl Window {
    /// Moves the window on to `now`.
    fn roll(&mut self, window: Duration, now: Instant) {
        let elapsed = now.saturating_duration_since(self.started);
        if elapsed < window {
            return;
        }
        let windows = elapsed.as_nanos() / window.as_nanos().max(1);
        self.previous = if windows == 1 { self.count } else { 0 };
        self.count = 0;
        let step = u32::try_from(windows).ok().and_then(|n| window.checked_mul(n));
        self.started = step.and_then(|step| self.started.checked_add(step)).unwrap_or(now);
    }

    /// The sliding-window estimate of how many happened in the last `window`: the previous
    /// window's count weighted by how much of it still overlaps, plus this window's.
    fn estimate(&self, window: Duration, now: Instant) -> f64 {
        sliding_estimate(self.previous, self.count, now.saturating_duration_since(self.started), window)
    }

    /// Whether the key has nothing left to count: its windows are over.
    fn is_stale(&self, window: Duration, now: Instant) -> bool {
        now.saturating_duration_since(self.started) >= window.saturating_mul(2)
    }
}

/// How many writes happened in the last `window`, `into` the current one: the previous
/// window's count weighted by how much of it still overlaps, plus the current window's.
fn sliding_estimate(previous: u32, current: u32, into: Duration, window: Duration) -> f64 {
    let overlap = (1.0 - into.as_secs_f64() / window.as_secs_f64().max(f64::MIN_POSITIVE)).clamp(0.0, 1.0);
    f64::from(previous) * overlap + f64::from(current)
}

/// The keys a write counts under, with their kind: the client's network address (a /64 for
/// IPv6) if known, and the email address if given.
fn write_keys(client: Option<IpAddr>, email: &str) -> Vec<(Kind, String)> {
    let email = email_key(email);
    [
        client.map(|address| (Kind::Address, address_key(address))),
        (!email.is_empty()).then_some((Kind::Email, email)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The most keys kept; past it the stale ones go, then the oldest tenth.
const MAX_KEYS: usize = 100_000;

/// Counts public writes per network address and per email address in a sliding window
/// (two fixed windows, the older weighted by its overlap), in bounded memory.
pub struct WriteLimiter {
    limits: WriteLimits,
    max_keys: usize,
    windows: Mutex<HashMap<(Kind, String), Window>>,
}

impl WriteLimiter {
    pub fn new(limits: WriteLimits) -> WriteLimiter {
        WriteLimiter::with_capacity(limits, MAX_KEYS)
    }

    fn with_capacity(limits: WriteLimits, max_keys: usize) -> WriteLimiter {
        WriteLimiter { limits, max_keys: max_keys.max(1), windows: Mutex::new(HashMap::new()) }
    }

    /// The longer of the two windows, in seconds.
    pub fn longest_window_seconds(&self) -> i64 {
        let longest = self.limits.per_address.window.max(self.limits.per_email.window);
        i64::try_from(longest.as_secs()).unwrap_or(i64::MAX)
    }

    /// The window and count a kind of key is limited to.
    fn limit(&self, kind: Kind) -> Limit {
        match kind {
            Kind::Address => self.limits.per_address,
            Kind::Email => self.limits.per_email,
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(Kind, String), Window>> {
        // The map holds counts only; one left half-updated by a panic is still usable.
        self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts one write from `client` for `email`, or refuses it (`TooManyRequests`) when
    /// either has reached its limit; a refused write is not counted. An unknown client, or an
    /// empty email address (the form will be refused anyway), is not limited by that key.
    pub fn admit(&self, client: Option<IpAddr>, email: &str, now: Instant) -> Result<(), AppError> {
        let keys = write_keys(client, email);
        let mut windows = self.lock();
        for key in &keys {
            let limit = self.limit(key.0);
            if let Some(window) = windows.get_mut(key) {
                window.roll(limit.window, now);
                if window.estimate(limit.window, now) + 1.0 > f64::from(limit.count) {
                    return Err(AppError::TooManyRequests);
                }
            } else if limit.count == 0 {
                return Err(AppError::TooManyRequests);
            }
        }
        for key in keys {
            if !windows.contains_key(&key) {
                self.make_room(&mut windows, now);
            }
            let window = windows.entry(key).or_insert(Window { started: now, count: 0, previous: 0 });
            window.count = window.count.saturating_add(1);
        }
        Ok(())
    }

    fn make_room(&self, windows: &mut HashMap<(Kind, String), Window>, now: Instant) {
        if windows.len() < self.max_keys {
            return;
        }
        windows.retain(|(kind, _), window| !window.is_stale(self.limit(*kind).window, now));
        if windows.len() < self.max_keys {
            return;
        }
        // Still full of live keys (many addresses at once): forget the oldest tenth, whose
        // counts matter least.
        let mut starts: Vec<Instant> = windows.values().map(|window| window.started).collect();
        let cut = (starts.len() / 10).max(1);
        let (_, threshold, _) = starts.select_nth_unstable(cut - 1);
        let threshold = *threshold;
        let mut dropped = 0;
        windows.retain(|_, window| {
            let forget = dropped < cut && window.started <= threshold;
            dropped += usize::from(forget);
            !forget
        });
    }

    #[cfg(test)]
    fn keys(&self) -> usize {
        self.lock().len()
    }
}

/// Open streams per address and in all; a [`StreamSlot`] holds one until it is dropped. On
/// shutdown no new stream is admitted ([`StreamSlots::close_all`]) and the open ones end
/// (`AppState::stop_streams`), so the server does not wait for pages that never hang up
/// (they reconnect, to another instance or to this one restarted).
pub struct StreamSlots {
    limits: StreamLimits,
    open: Mutex<(u32, HashMap<Option<IpAddr>, u32>)>,
    closing: AtomicBool,
    /// Told when the last open stream ends.
    none_open: tokio::sync::Notify,
}

/// One open stream; dropping it (the stream ended or its client went away) frees the slot.
pub struct StreamSlot {
    slots: Arc<StreamSlots>,
    client: Option<IpAddr>,
}

impl StreamSlots {
    pub fn new(limits: StreamLimits) -> StreamSlots {
        StreamSlots {
            limits,
            open: Mutex::new((0, HashMap::new())),
            closing: AtomicBool::new(false),
            none_open: tokio::sync::Notify::new(),
        }
    }

    /// Refuses every stream from now on: the server is stopping.
    pub fn close_all(&self) {
        self.closing.store(true, Ordering::SeqCst);
    }

    /// Whether [`StreamSlots::close_all`] was called. A stream admitted just before it looks
    /// again once it has subscribed to the hub, for the hub's end may have gone out between.
    pub fn closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }

    fn lock(&self) -> MutexGuard<'_, (u32, HashMap<Option<IpAddr>, u32>)> {
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A slot for a stream to `client`, or `None` when that address or the server has as
    /// many open as allowed. Streams from an unknown client count only toward the total.
    pub fn take(self: &Arc<Self>, client: Option<IpAddr>) -> Option<StreamSlot> {
        let mut open = self.lock();
        let (total, per_client) = &mut *open;
        if *total >= self.limits.total || self.closing() {
            return None;
        }
        let key = client.map(|address| address.to_canonical());
        let mine = per_client.entry(key).or_insert(0);
        if key.is_some() && *mine >= self.limits.per_address {
            if *mine == 0 {
                per_client.remove(&key);
            }
            return None;
        }
        *mine += 1;
        *total += 1;
        Some(StreamSlot { slots: Arc::clone(self), client: key })
    }

    /// Streams open now.
    pub fn open(&self) -> u32 {
        self.lock().0
    }

    /// Resolves once no stream is open: on shutdown, after [`StreamSlots::close_all`], the
    /// streams answered outside the router have sent their end too.
    pub async fn none_open(&self) {
        loop {
            let told = self.none_open.notified();
            if self.open() == 0 {
                return;
            }
            told.await;
        }
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.lock();
        let (total, per_client) = &mut *open;
        *total = total.saturating_sub(1);
        if *total == 0 {
            self.slots.none_open.notify_waiters();
        }
        if let Some(count) = per_client.get_mut(&self.client) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                per_client.remove(&self.client);
            }
        }
    }
}

/// The check every public write starts with, from a form handler: counts it for the
/// request's client and `email`, or refuses it.
pub async fn admit_write(
    state: &AppState,
    parts: &http::request::Parts,
    email: &str,
) -> Result<(), AppError> {
    let client = client_address(parts, &state.settings.trusted_proxies);
    if state.db.postgres_pool().is_none() {
        return state.writes.admit(client, email, Instant::now());
    }
    // Counted in the database under a keyed pseudonym: it holds no address in clear.
    let keys: Vec<write_counts::CountedKey> = write_keys(client, email)
        .into_iter()
        .map(|(kind, key)| {
            let limit = state.writes.limit(kind);
            write_counts::CountedKey {
                key: state.links.pseudonym(Purpose::WriteLimit, kind as i32, &key),
                window_seconds: i64::try_from(limit.window.as_secs()).unwrap_or(i64::MAX).max(1),
                limit: limit.count,
            }
        })
        .collect();
    let now = chrono::Utc::now();
    let admitted = state
        .db
        .write(move |txn| {
            Box::pin(async move {
                for key in &keys {
                    let (previous, current) = write_counts::lock_and_read(txn, key, now).await?;
                    let into =
                        Duration::from_secs(now.timestamp().rem_euclid(key.window_seconds).unsigned_abs());
                    let window = Duration::from_secs(key.window_seconds.unsigned_abs());
                    if sliding_estimate(previous, current, into, window) + 1.0 > f64::from(key.limit) {
                        return Ok::<_, AppError>(false);
                    }
                }
                for key in &keys {
                    write_counts::count(txn, key, now).await?;
                }
                Ok(true)
            })
        })
        .await?;
    if admitted { Ok(()) } else { Err(AppError::TooManyRequests) }
}

/// The same from a server function, which also answers `429 Too Many Requests` when refused.
pub async fn admit_server_fn_write(state: &AppState, email: &str) -> Result<(), AppError> {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        tracing::error!("server function called without its request in context");
        return Err(AppError::Internal);
    };
    let admitted = admit_write(state, &parts, email).await;
    if let Err(error) = &admitted
        && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(error.status());
    }
    admitted
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::ConnectInfo;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn limits(address: u32, email: u32) -> WriteLimits {
        WriteLimits {
            per_address: Limit { count: address, window: Duration::from_secs(600) },
            per_email: Limit { count: email, window: Duration::from_secs(3600) },
        }
    }

    #[test]
    fn each_address_and_each_email_has_its_own_count() {
        let limiter = WriteLimiter::new(limits(3, 2));
        let now = Instant::now();
        let a = Some(ip("192.0.2.1"));
        assert!(limiter.admit(a, "one@example.ca", now).is_ok());
        assert!(limiter.admit(a, "ONE@example.ca ", now).is_ok());
        assert_eq!(limiter.admit(a, "one@example.ca", now), Err(AppError::TooManyRequests), "email");
        assert!(limiter.admit(a, "two@example.ca", now).is_ok(), "the refused write was not counted");
        assert_eq!(limiter.admit(a, "three@example.ca", now), Err(AppError::TooManyRequests), "address");
        assert!(limiter.admit(Some(ip("192.0.2.2")), "three@example.ca", now).is_ok());
        // Without a known client only the email address counts.
        assert!(limiter.admit(None, "four@example.ca", now).is_ok());
    }

    #[test]
    fn the_window_slides() {
        let limiter = WriteLimiter::new(limits(2, 100));
        let start = Instant::now();
        let a = Some(ip("192.0.2.1"));
        assert!(limiter.admit(a, "", start).is_ok());
        assert!(limiter.admit(a, "", start).is_ok());
        assert!(limiter.admit(a, "", start + Duration::from_secs(599)).is_err());
        // Half-way through the next window half of the previous two still count.
        assert!(limiter.admit(a, "", start + Duration::from_secs(900)).is_ok());
        assert!(limiter.admit(a, "", start + Duration::from_secs(900)).is_err());
        // Long after, the address starts afresh.
        assert!(limiter.admit(a, "", start + Duration::from_secs(5000)).is_ok());
    }

    #[test]
    fn memory_stays_bounded_whatever_the_number_of_addresses() {
        let limiter = WriteLimiter::with_capacity(limits(5, 5), 100);
        let now = Instant::now();
        for n in 0..1000u32 {
            let address = IpAddr::from(n.to_be_bytes());
            assert!(limiter.admit(Some(address), "", now + Duration::from_millis(u64::from(n))).is_ok());
            assert!(limiter.keys() <= 100);
        }
        // IPv6 neighbours in one /64 share a count.
        let limiter = WriteLimiter::new(limits(1, 5));
        assert!(limiter.admit(Some(ip("2001:db8:1:2::1")), "", now).is_ok());
        assert!(limiter.admit(Some(ip("2001:db8:1:2:ffff::9")), "", now).is_err());
        assert!(limiter.admit(Some(ip("2001:db8:1:3::1")), "", now).is_ok());
    }

    fn parts(peer: Option<&str>, forwarded: &[&str]) -> http::request::Parts {
        let mut request = http::Request::builder();
        for value in forwarded {
            request = request.header("x-forwarded-for", *value);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        if let Some(peer) = peer {
            parts.extensions.insert(ConnectInfo(std::net::SocketAddr::new(ip(peer), 40000)));
        }
        parts
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy = ip("10.0.0.5");
        let trusted = [proxy, ip("10.0.0.6")];
        // Anyone can write the header; from an untrusted peer it is ignored.
        assert_eq!(
            client_address(&parts(Some("203.0.113.9"), &["198.51.100.1"]), &trusted),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            client_address(&parts(Some("10.0.0.5"), &["198.51.100.1"]), &trusted),
            Some(ip("198.51.100.1"))
        );
        // The client's own claims sit left of what our proxies appended.
        assert_eq!(
            client_address(&parts(Some("10.0.0.5"), &["1.1.1.1, 198.51.100.1", "10.0.0.6"]), &trusted),
            Some(ip("198.51.100.1"))
        );
        assert_eq!(client_address(&parts(Some("10.0.0.5"), &["junk"]), &trusted), Some(proxy));
        assert_eq!(client_address(&parts(Some("10.0.0.5"), &[]), &trusted), Some(proxy));
        assert_eq!(client_address(&parts(Some("::ffff:203.0.113.9"), &[]), &[]), Some(ip("203.0.113.9")));
        assert_eq!(client_address(&parts(None, &["198.51.100.1"]), &trusted), None);
    }

    #[test]
    fn stream_slots_are_bounded_per_address_and_in_all_and_freed_on_drop() {
        let slots = Arc::new(StreamSlots::new(StreamLimits { per_address: 2, total: 3 }));
        let (a, b) = (Some(ip("192.0.2.1")), Some(ip("192.0.2.2")));
        let first = slots.take(a).unwrap();
        let _second = slots.take(a).unwrap();
        assert!(slots.take(a).is_none(), "per address");
        let _third = slots.take(b).unwrap();
        assert!(slots.take(Some(ip("192.0.2.3"))).is_none(), "in all");
        drop(first);
        assert_eq!(slots.open(), 2);
        assert!(slots.take(a).is_some());
    }
}
