//! The browser's own time zone rules (`Intl`), for the pure time code in
//! [`crate::domain::time`]: which offset a named zone has at an instant, the reader's zone,
//! the zones the browser knows, and whether the reader's locale uses a 12-hour clock.
//!
//! Every call into `Intl` goes through `Reflect`, so an unknown zone (a file from a newer
//! browser, a hand-edited name) is an error value here, never an exception in the app.

use crate::domain::time::{Clock, Moment, Zone, ZoneRules, offset_label};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use js_sys::{Array, Object, Reflect};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// One formatter per zone (building one costs far more than using it); `None` for a
    /// zone the browser does not know.
    static FORMATTERS: RefCell<HashMap<String, Option<JsValue>>> = RefCell::new(HashMap::new());
}

fn intl(name: &str) -> Option<JsValue> {
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    Reflect::get(&intl, &JsValue::from_str(name)).ok().filter(|v| v.is_function())
}

fn date_time_format(locale: Option<&str>, options: &[(&str, &str)]) -> Option<JsValue> {
    let ctor = intl("DateTimeFormat")?.dyn_into::<js_sys::Function>().ok()?;
    let opts = Object::new();
    for (key, value) in options {
        Reflect::set(&opts, &JsValue::from_str(key), &JsValue::from_str(value)).ok()?;
    }
    let locales = locale.map(|l| Array::of1(&JsValue::from_str(l))).unwrap_or_default();
    Reflect::construct(&ctor, &Array::of2(&locales, &opts)).ok()
}

fn call(target: &JsValue, method: &str, args: &Array) -> Option<JsValue> {
    let f = Reflect::get(target, &JsValue::from_str(method)).ok()?.dyn_into::<js_sys::Function>().ok()?;
    Reflect::apply(&f, target, args).ok()
}

fn resolved(target: &JsValue, option: &str) -> Option<String> {
    let options = call(target, "resolvedOptions", &Array::new())?;
    Reflect::get(&options, &JsValue::from_str(option)).ok()?.as_string()
}

fn formatter(zone: &str) -> Option<JsValue> {
    FORMATTERS.with(|cache| {
        cache
            .borrow_mut()
            .entry(zone.to_owned())
            .or_insert_with(|| {
                date_time_format(
                    Some("en-US"),
                    &[
                        ("timeZone", zone),
                        ("hourCycle", "h23"),
                        ("year", "numeric"),
                        ("month", "numeric"),
                        ("day", "numeric"),
                        ("hour", "numeric"),
                        ("minute", "numeric"),
                        ("second", "numeric"),
                        ("era", "short"),
                    ],
                )
            })
            .clone()
    })
}

/// The offsets at the start and at the end of one hour.
type HourOffsets = (Option<FixedOffset>, Option<FixedOffset>);

thread_local! {
    /// Offsets at the start and end of each hour asked about, by zone: when they agree, the
    /// whole hour has that offset (clocks change at most once in any hour anywhere), so a
    /// long timeline asks `Intl` once or twice per hour instead of once per time.
    static HOURS: RefCell<HashMap<(String, i64), HourOffsets>> =
        RefCell::new(HashMap::new());
}

/// The browser's zone rules.
pub struct BrowserZones;

impl ZoneRules for BrowserZones {
    fn offset_at(&self, zone: &str, instant: DateTime<Utc>) -> Option<FixedOffset> {
        let hour = instant.timestamp().div_euclid(3600);
        let key = (zone.to_owned(), hour);
        let known = HOURS.with(|h| h.borrow().get(&key).copied());
        let (start, end) = match known {
            Some(pair) => pair,
            None => {
                let at = |seconds: i64| DateTime::from_timestamp(seconds, 0).and_then(|t| exact_offset(zone, t));
                let pair = (at(hour * 3600), at(hour * 3600 + 3599));
                HOURS.with(|h| {
                    let mut h = h.borrow_mut();
                    if h.len() > 50_000 {
                        h.clear();
                    }
                    h.insert(key, pair);
                });
                pair
            }
        };
        if start == end { start } else { exact_offset(zone, instant) }
    }
}

/// The offset `Intl` gives `zone` at `instant`.
fn exact_offset(zone: &str, instant: DateTime<Utc>) -> Option<FixedOffset> {
    let format = formatter(zone)?;
    let millis = instant.timestamp_millis() as f64;
    let parts = call(&format, "formatToParts", &Array::of1(&js_sys::Date::new(&JsValue::from_f64(millis))))?;
    let parts: Array = parts.dyn_into().ok()?;
    let mut fields: HashMap<String, String> = HashMap::new();
    for part in parts.iter() {
        let kind = Reflect::get(&part, &JsValue::from_str("type")).ok()?.as_string()?;
        let value = Reflect::get(&part, &JsValue::from_str("value")).ok()?.as_string()?;
        fields.insert(kind, value);
    }
    let number = |k: &str| fields.get(k).and_then(|v| v.parse::<i64>().ok());
    let mut year = number("year")?;
    if fields.get("era").is_some_and(|e| e.starts_with('B')) {
        year = 1 - year;
    }
    let local = NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(number("month")?).ok()?,
        u32::try_from(number("day")?).ok()?,
    )?
    .and_hms_opt(
        u32::try_from(number("hour")? % 24).ok()?,
        u32::try_from(number("minute")?).ok()?,
        u32::try_from(number("second")?).ok()?,
    )?;
    let seconds = local.and_utc().timestamp() - instant.timestamp();
    // Whole minutes: historic local mean times have seconds, which no form shows.
    let minutes = (seconds as f64 / 60.0).round() as i64;
    FixedOffset::east_opt(i32::try_from(minutes * 60).ok()?)
}

/// The browser's spelling of the zone `name` (`Europe/Berlin` for `europe/berlin`); `None`
/// when it does not know it.
pub fn canonical(name: &str) -> Option<String> {
    formatter(name).and_then(|f| resolved(&f, "timeZone"))
}

/// Whether the browser knows the zone `name`.
pub fn knows(name: &str) -> bool {
    formatter(name).is_some()
}

/// The reader's zone, as the browser reports it; UTC when it cannot say.
pub fn browser_zone() -> Zone {
    date_time_format(None, &[])
        .and_then(|f| resolved(&f, "timeZone"))
        .and_then(|name| Zone::parse(&name).ok())
        .filter(|zone| matches!(zone, Zone::Fixed(_)) || knows(&zone.name()))
        .unwrap_or(Zone::UTC)
}

/// Every zone the browser knows, sorted; empty when it cannot list them.
pub fn zone_names() -> Vec<String> {
    let Some(intl) = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok() else { return Vec::new() };
    let mut names: Vec<String> = call(&intl, "supportedValuesOf", &Array::of1(&JsValue::from_str("timeZone")))
        .and_then(|list| list.dyn_into::<Array>().ok())
        .map(|list| list.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Whether the reader's locale writes times on a 12-hour clock.
pub fn browser_clock() -> Clock {
    let cycle = date_time_format(None, &[("hour", "numeric")]).and_then(|f| resolved(&f, "hourCycle"));
    match cycle.as_deref() {
        Some("h11" | "h12") => Clock::H12,
        _ => Clock::H24,
    }
}

/// `moment` on `zone`'s clocks, written for people: `2026-03-29 03:10`, with the offset when
/// `with_offset`.
pub fn show(zone: &Zone, moment: Moment, clock: Clock, with_offset: bool) -> String {
    let shown = zone.show(&BrowserZones, moment);
    let text = clock.date_time(&shown.local());
    if with_offset { format!("{text} ({})", offset_label(shown.offset())) } else { text }
}
