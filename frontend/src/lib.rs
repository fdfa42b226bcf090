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
