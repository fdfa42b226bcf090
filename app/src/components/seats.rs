//! Live seat counts, of sessions and cohort intakes alike. The server renders each count as it is; once hydrated, every count on
//! the page listens to one shared event stream (`/live/seats`) and changes as soon as anyone
//! registers or cancels. The stream sends the current counts each time it (re)connects, so a
//! page that lost its connection catches up by itself. Counts off the screen wake later than
//! the stream opens (`WAKE_WHEN_SEEN`); they start from the latest update the page received.

use super::session_card::seats_text;
use crate::domain::session::SessionStatus;
use crate::i18n::{Locale, Tr};
use crate::model::Offering;
use leptos::prelude::*;

/// The attribute that marks a seat count (its value an [`Offering::key`]); the stream asks for
/// the offerings it finds.
pub const SEATS_ATTRIBUTE: &str = "data-seats";

#[island]
pub fn SeatCount(
    offering: Offering,
    capacity: u32,
    seats_taken: u32,
    status: SessionStatus,
    locale: Locale,
    /// The workspace's view: seats taken out of capacity, and the waitlist.
    #[prop(optional)]
    waitlist_length: Option<u32>,
) -> impl IntoView {
    let t = Tr(locale);
    let detailed = waitlist_length.is_some();
    let seats = RwSignal::new((capacity, seats_taken, status, waitlist_length.unwrap_or(0)));
    Effect::new(move |_| {
        live_feed::watch(offering, move |update| {
            seats.set((update.capacity, update.seats_taken, update.status, update.waitlist_length));
        });
    });
    view! {
        <span data-seats=offering.key()>
            {move || {
                let (capacity, taken, status, waiting) = seats.get();
                if detailed && status != SessionStatus::Cancelled {
                    t.workspace_seats_detail(capacity, taken, waiting)
                } else {
                    seats_text(t, status, capacity, taken)
                }
            }}
        </span>
    }
}

#[cfg(feature = "hydrate")]
mod live_feed {
    use super::SEATS_ATTRIBUTE;
    use crate::model::{Offering, SeatUpdate};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    type Listener = Box<dyn Fn(&SeatUpdate)>;

    thread_local! {
        static LISTENERS: RefCell<HashMap<Offering, Vec<Listener>>> = RefCell::new(HashMap::new());
        static LATEST: RefCell<HashMap<Offering, SeatUpdate>> = RefCell::new(HashMap::new());
        static STREAM: RefCell<Option<web_sys::EventSource>> = const { RefCell::new(None) };
        /// Connections refused in a row since the stream last opened.
        static REFUSED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    /// How long to wait before opening the stream again after `refused` failures in a row:
    /// 2 s, doubling up to about a minute, so a server that turns streams away (503: too many
    /// open, or restarting) is not asked again and again by every page. Meanwhile the counts
    /// stay as the page was rendered.
    fn backoff(refused: u32) -> std::time::Duration {
        std::time::Duration::from_secs(2u64 << refused.min(5))
    }

    /// Calls `listener` with the latest update for `offering` already received, then with
    /// every one to come; opens the page's stream on first use.
    pub fn watch(offering: Offering, listener: impl Fn(&SeatUpdate) + 'static) {
        if let Some(latest) = LATEST.with(|latest| latest.borrow().get(&offering).cloned()) {
            listener(&latest);
        }
        LISTENERS.with(|all| all.borrow_mut().entry(offering).or_default().push(Box::new(listener)));
        if STREAM.with(|s| s.borrow().is_none()) {
            connect();
        }
    }

    /// Every offering with a seat count on the page, read from the server-rendered HTML (so
    /// the stream covers counts whose islands have not hydrated yet).
    fn offerings_on_page() -> Vec<String> {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return Vec::new();
        };
        let Ok(nodes) = document.query_selector_all(&format!("[{SEATS_ATTRIBUTE}]")) else {
            return Vec::new();
        };
        let mut ids: Vec<String> = (0..nodes.length())
            .filter_map(|i| {
                nodes.item(i)?.dyn_into::<web_sys::Element>().ok()?.get_attribute(SEATS_ATTRIBUTE)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn dispatch(update: SeatUpdate) {
        LISTENERS.with(|all| {
            if let Some(listeners) = all.borrow().get(&update.offering) {
                for listener in listeners {
                    listener(&update);
                }
            }
        });
        LATEST.with(|latest| latest.borrow_mut().insert(update.offering, update));
    }

    fn mark_live(state: &str) {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-live", state);
        }
    }

    fn connect() {
        let url = format!("/live/seats?ids={}", offerings_on_page().join(","));
        let Ok(stream) = web_sys::EventSource::new(&url) else { return };
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            if let Some(update) = event.data().as_string().and_then(|d| serde_json::from_str(&d).ok()) {
                dispatch(update);
            }
        });
        stream.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        // Marks the page as live (`<html data-live="connected">`), for people's tools and tests.
        let on_open = Closure::<dyn Fn()>::new(|| {
            REFUSED.with(|refused| refused.set(0));
            mark_live("connected");
        });
        stream.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        // The browser retries a dropped connection by itself; when it gives up (the server
        // answered with an error, say during a restart or when it has too many streams open),
        // start over later, and later again each time in a row.
        let on_error = Closure::<dyn Fn()>::new(|| {
            let closed = STREAM.with(|s| {
                s.borrow().as_ref().is_some_and(|stream| stream.ready_state() == web_sys::EventSource::CLOSED)
            });
            mark_live("reconnecting");
            if closed {
                STREAM.with(|s| s.borrow_mut().take());
                let refused = REFUSED.with(|refused| refused.replace(refused.get().saturating_add(1)));
                leptos::prelude::set_timeout(connect, backoff(refused));
            }
        });
        stream.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        STREAM.with(|s| *s.borrow_mut() = Some(stream));
    }
}

/// On the server a count is rendered once, as it is.
#[cfg(not(feature = "hydrate"))]
mod live_feed {
    use crate::model::{Offering, SeatUpdate};

    pub fn watch(_: Offering, _: impl Fn(&SeatUpdate) + 'static) {}
}
