//! Noticing the network come back: the machine's interfaces and addresses
//! are watched (netlink on Linux, through if-addrs), and every change —
//! a cable plugged in, a wifi joined, an address given — is reported, so
//! the engine syncs at once instead of waiting out its backoff.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Calls `changed` on every change of the machine's interfaces or
/// addresses, from a thread of its own, until `stop` is set (looked at
/// every second). Where changes cannot be watched, it says so in the log
/// and watches nothing: the engine's knocking still finds peers again.
pub fn watch_network(changed: impl Fn() + Send + 'static, stop: Arc<AtomicBool>) {
    let spawned = std::thread::Builder::new()
        .name("enlace-netwatch".into())
        .spawn(move || watch(&changed, &stop));
    if let Err(e) = spawned {
        tracing::warn!("network changes are not watched: {e}");
    }
}

#[cfg(target_os = "linux")]
fn watch(changed: &dyn Fn(), stop: &AtomicBool) {
    let mut notifier = match if_addrs::IfChangeNotifier::new() {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!("network changes are not watched: {e}");
            return;
        }
    };
    while !stop.load(Ordering::SeqCst) {
        match notifier.wait(Some(std::time::Duration::from_secs(1))) {
            Ok(changes) if !changes.is_empty() => {
                tracing::info!("the network changed ({} interfaces)", changes.len());
                changed();
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => {
                tracing::warn!("network changes are no longer watched: {e}");
                return;
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn watch(_changed: &dyn Fn(), _stop: &AtomicBool) {
    tracing::info!("network changes are not watched on this system");
}
