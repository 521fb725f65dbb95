//! Hooks, one concern each, in the style of leptos-use: each sets up what it needs for the
//! component that calls it and owns its cleanup, so nothing outlives that component.

use leptos::ev::EventDescriptor;
use leptos::prelude::*;
use std::time::Duration;

/// Listens for `event` on the window while the calling component is shown.
pub fn use_window_listener<E>(event: E, handler: impl Fn(E::EventType) + 'static)
where
    E: EventDescriptor + 'static,
    E::EventType: wasm_bindgen::JsCast,
{
    let handle = window_event_listener(event, handler);
    on_cleanup(move || handle.remove());
}

/// Listens for the window event named `event` while the calling component is shown.
pub fn use_window_listener_untyped(event: &str, handler: impl Fn(web_sys::Event) + 'static) {
    let handle = window_event_listener_untyped(event, handler);
    on_cleanup(move || handle.remove());
}

/// Work that runs once things have been quiet for a while: each [`Debounced::schedule`]
/// restarts the wait.
#[derive(Clone, Copy)]
pub struct Debounced {
    timer: StoredValue<Option<TimeoutHandle>>,
    work: Callback<()>,
    delay: Duration,
}

impl Debounced {
    /// Runs the work once `delay` has passed without another call.
    pub fn schedule(self) {
        self.cancel();
        let work = self.work;
        // `try_run`: the timer may fire after the component (and the work) is gone.
        let handle = set_timeout_with_handle(
            move || {
                let _ = work.try_run(());
            },
            self.delay,
        )
        .ok();
        let _ = self.timer.try_set_value(handle);
    }

    /// Forgets the work waiting, if any.
    pub fn cancel(self) {
        if let Some(Some(handle)) = self.timer.try_get_value() {
            handle.clear();
        }
        let _ = self.timer.try_set_value(None);
    }

    /// Runs the work at once, instead of when the wait would have ended.
    pub fn now(self) {
        self.cancel();
        let _ = self.work.try_run(());
    }
}

/// `work` to run `delay` after the last [`Debounced::schedule`]; a wait still running when
/// the calling component goes is cancelled.
pub fn use_debounced(delay: Duration, work: impl Fn() + Send + Sync + 'static) -> Debounced {
    let debounced = Debounced { timer: StoredValue::new(None), work: Callback::new(move |()| work()), delay };
    on_cleanup(move || debounced.cancel());
    debounced
}
