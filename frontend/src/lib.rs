//! The browser entry point. Pages are rendered on the server; only the islands (viewer time
//! zone, live seat counts, forms that check as you type) run here.

// The islands' hydration functions are `#[wasm_bindgen]` exports of the `app` crate; linking
// it is enough for them to reach this bundle.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

/// Registers the worker that keeps the app shell and the pages seen for offline use
/// (`server/src/site`). Called once the page's first islands are awake: installing the worker
/// fetches the shell again, which should not compete with the page's own start.
/// Browsers without service workers, or pages not served securely, simply go without.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn start_offline_support() {
    if let Some(window) = web_sys::window() {
        let workers = window.navigator().service_worker();
        let _ = workers.register("/sw.js");
    }
}
