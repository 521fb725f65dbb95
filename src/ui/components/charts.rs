//! Small SVG charts. Each is an image with a text title; the page shows the same numbers
//! in a table next to it for screen readers and for reading exact values.

use leptos::prelude::*;

/// Bars per category, stacked (severity per month) or side by side (created vs done).
#[component]
pub fn BarChart(
    /// Describes the chart for assistive technology.
    title: String,
    /// The name of each series, in the order of each row's values.
    series: Vec<String>,
    /// One row per category: its label and one value per series.
    rows: Vec<(String, Vec<usize>)>,
    #[prop(optional)] stacked: bool,
    /// Calm colours, for series where nothing is wrong (not the severity scale).
    #[prop(optional)]
    calm: bool,
) -> impl IntoView {
    let (width, height, left, bottom) = (640.0_f64, 220.0_f64, 36.0_f64, 28.0_f64);
    let prefix = if calm { "calm" } else { "series" };
    let highest = rows
        .iter()
        .map(|(_, v)| if stacked { v.iter().sum::<usize>() } else { v.iter().copied().max().unwrap_or(0) })
        .max()
        .unwrap_or(0)
        .max(1);
    let (max, step) = nice_scale(highest);
    let max = max as f64;
    let slot = (width - left) / rows.len().max(1) as f64;
    let plot = height - bottom - 8.0;
    let scale = move |v: f64| plot * v / max;
    let bars = rows
        .iter()
        .enumerate()
        .flat_map(|(i, (_, values))| {
            let x0 = left + i as f64 * slot + slot * 0.15;
            let w = slot * 0.7;
            let mut base = 0.0;
            values
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0)
                .map(|(k, v)| {
                    let h = scale(*v as f64);
                    let (x, bw, y) = if stacked {
                        let y = height - bottom - base - h;
                        base += h;
                        (x0, w, y)
                    } else {
                        let bw = w / values.len().max(1) as f64;
                        (x0 + k as f64 * bw, bw, height - bottom - h)
                    };
                    view! { <rect class=format!("{prefix}-{k}") x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bw:.1}") height=format!("{h:.1}") /> }
                })
                .collect::<Vec<_>>()
        })
        .collect_view();
    // At most 12 labels, so they never overlap (the chart scales as a whole).
    let every = rows.len().div_ceil(12).max(1);
    let grid = (0..=(max as usize) / step.max(1))
        .map(|n| {
            let v = (n * step) as f64;
            let y = height - bottom - scale(v);
            view! {
                <line class="grid" x1=left y1=format!("{y:.1}") x2=width y2=format!("{y:.1}") />
                <text class="axis" x=left - 6.0 y=format!("{:.1}", y + 4.0) text-anchor="end">{(n * step).to_string()}</text>
            }
        })
        .collect_view();
    let labels = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, (label, _))| {
            let x = left + i as f64 * slot + slot / 2.0;
            view! { <text class="axis" x=format!("{x:.1}") y=format!("{:.1}", height - 8.0) text-anchor="middle">{label.clone()}</text> }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-label=title.clone()>
                <title>{title.clone()}</title>
                {grid}
                <line class="axis-line" x1=left y1=height - bottom x2=width y2=height - bottom />
                {bars}
                {labels}
            </svg>
            <figcaption class="legend">
                {series.into_iter().enumerate().map(|(k, s)| view! { <span><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect class=format!("{prefix}-{k}") width="10" height="10" /></svg>{s}</span> }).collect_view()}
            </figcaption>
        </figure>
    }
}

/// A top of scale at or above `highest` and a step between gridlines (1, 2 or 5 times a
/// power of ten), with at most about five gridlines.
fn nice_scale(highest: usize) -> (usize, usize) {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            let s = step * m;
            if highest.div_ceil(s) <= 5 {
                return (highest.div_ceil(s) * s, s);
            }
        }
        step *= 10;
    }
}

/// Marks on a duration axis, in minutes, with their labels.
const DURATION_TICKS: [(f64, &str); 7] = [
    (1.0, "1 min"),
    (10.0, "10 min"),
    (60.0, "1 h"),
    (360.0, "6 h"),
    (1440.0, "1 day"),
    (10080.0, "1 week"),
    (43200.0, "30 days"),
];

/// One dot per incident along a time axis, per duration metric, with the median marked.
/// The axis is logarithmic, so a 5-minute detection and a 3-day resolution both read.
#[component]
pub fn StripPlot(title: String, rows: Vec<(String, Vec<f64>, Option<f64>)>) -> impl IntoView {
    let (width, left, row_height) = (640.0_f64, 130.0_f64, 36.0_f64);
    let height = row_height * rows.len() as f64 + 24.0;
    let max = rows.iter().flat_map(|(_, v, _)| v.iter().copied()).fold(10.0_f64, f64::max);
    let log = |v: f64| (v.max(0.0) + 1.0).ln();
    let x = move |v: f64| left + (width - left - 12.0) * log(v) / log(max);
    let ticks = DURATION_TICKS
        .iter()
        .filter(|(m, _)| *m <= max)
        .map(|(m, label)| {
            let at = x(*m);
            view! {
                <line class="grid" x1=format!("{at:.1}") y1="6" x2=format!("{at:.1}") y2=height - 16.0 />
                <text class="axis" x=format!("{at:.1}") y=height - 2.0 text-anchor="middle">{*label}</text>
            }
        })
        .collect_view();
    let body = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, values, median))| {
            let y = 18.0 + i as f64 * row_height;
            view! {
                <text class="axis" x=left - 8.0 y=y + 4.0 text-anchor="end">{label}</text>
                <line class="axis-line" x1=left y1=y x2=width - 12.0 y2=y />
                {values.into_iter().map(|v| view! { <circle class="calm-0 dot" cx=format!("{:.1}", x(v)) cy=y r="4" /> }).collect_view()}
                {median.map(|m| view! { <line class="median" x1=format!("{:.1}", x(m)) y1=y - 10.0 x2=format!("{:.1}", x(m)) y2=y + 10.0 /> })}
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-label=title.clone()>
                <title>{title.clone()}</title>
                {ticks}
                {body}
            </svg>
            <figcaption class="legend">"Each dot is one incident; the bar marks the median. The scale is logarithmic: each step is about ten times longer."</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::nice_scale;

    #[test]
    fn scales_end_on_a_round_number_with_at_most_five_steps() {
        assert_eq!(nice_scale(1), (1, 1));
        assert_eq!(nice_scale(3), (3, 1));
        assert_eq!(nice_scale(7), (8, 2));
        assert_eq!(nice_scale(23), (25, 5));
        assert_eq!(nice_scale(120), (150, 50));
        assert_eq!(nice_scale(1000), (1000, 200));
    }
}
