//! A button that opens the browser's file picker, usable with the keyboard.

use leptos::prelude::*;

/// A hidden file input and the button-styled label that opens it (Enter or Space too).
#[component]
pub fn FilePicker(
    /// The input's element id, unique on the page.
    input_id: &'static str,
    /// What the button says.
    label: &'static str,
    #[prop(optional)] multiple: bool,
    /// Which files the picker offers; Debrief files (`.json`) when not given.
    #[prop(optional)]
    accept: Option<&'static str>,
    /// Picks a whole folder (every file in it, with its path) instead of files.
    #[prop(optional)]
    directory: bool,
    /// Called with the input's change event once files are picked.
    on_change: Callback<web_sys::Event>,
) -> impl IntoView {
    let open = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" || ev.key() == " " {
            ev.prevent_default();
            if let Some(input) = document().get_element_by_id(input_id) {
                use wasm_bindgen::JsCast;
                if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                    input.click();
                }
            }
        }
    };
    view! {
        <input id=input_id class="visually-hidden" type="file" tabindex="-1" multiple=multiple accept=accept.unwrap_or(".json,application/json")
            prop:webkitdirectory=directory
            on:change=move |ev| on_change.run(ev) />
        <label for=input_id class="button secondary" tabindex="0" on:keydown=open>{label}</label>
    }
}
