//! Reusable pieces of UI: props in, callbacks out; none of them reads context.

mod charts;
mod entry_list;
mod file_picker;
mod label_list;
mod limit;
mod merge_question;
mod notice;
mod wording;

pub use charts::{BarChart, StripPlot};
pub use entry_list::EntryList;
pub use file_picker::FilePicker;
pub use label_list::LabelList;
pub use limit::LimitNote;
pub use merge_question::{MergeQuestion, Sides};
pub use notice::{AnonymousMark, DismissibleNotice, Notice, NoticeKind, NoticeSlot};
pub use wording::{CheckedText, FindingList, WordingHooks};

/// Moves keyboard focus to the element with `id` once the browser has drawn it. Looks
/// again for about a second of frames: a row of a long list may still be on its way (the
/// editor draws long lists in steps).
pub fn focus_when_drawn(id: String) {
    focus_within(id, 60, false);
}

/// Moves keyboard focus to the element with `id` once the browser has drawn it, making it
/// focusable from script first when it is not a control (a heading, as the page's own
/// heading is after navigation); unless the person has put focus somewhere meanwhile (it
/// is for a panel that replaced the focused control, and left focus nowhere).
pub fn focus_heading_when_drawn(id: String) {
    focus_within(id, 60, true);
}

fn focus_within(id: String, frames: u32, heading: bool) {
    leptos::prelude::request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        match leptos::prelude::document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            Some(el) => {
                let document = leptos::prelude::document();
                let elsewhere = document.active_element().is_some_and(|a| Some(a) != document.body().map(Into::into));
                if heading && elsewhere {
                    return;
                }
                if heading && el.tab_index() < 0 && !el.has_attribute("tabindex") {
                    let _ = el.set_attribute("tabindex", "-1");
                }
                let _ = el.focus();
            }
            None if frames > 0 => focus_within(id, frames - 1, heading),
            None => {}
        }
    });
}
