//! The benchmark behind the README's performance table: drives the release build in
//! headless Chromium through WebDriver over generated libraries and prints one table of
//! medians with the targets of issue #9.
//!
//! Run it with `scripts/bench.sh`, which builds the release app and the bare Leptos
//! counter first and passes their sizes in `BENCH_SIZE_APP` and `BENCH_SIZE_FLOOR`.
//! `BENCH_RUNS` (default 5) sets how many times each timed step is repeated. It prints
//! figures; it does not pass or fail. `BENCH_STEPS` (for example `open,keystroke`) runs
//! only some steps: size, entries, list, report, search, open, keystroke, limits, save, import,
//! capacity, folder. `entries` needs the bare counter's build in `BENCH_COUNTER_DIST`
//! (scripts/size-report.sh leaves it in target/size-floor/dist) for its first-paint ratios.
//! `BENCH_PROFILE=file.cpuprofile` writes a CPU profile of the first opening of the long
//! postmortem, which the browser's developer tools can load (build with names kept, for
//! example with `data-keep-debug` on the index's rust link, to read wasm function names);
//! `BENCH_PROFILE_KEYS` does the same for the keystrokes, `BENCH_PROFILE_FOLDER` for the
//! first opening of the 2,000-file team folder.

use debrief::domain::Postmortem;
use debrief::file_format::Envelope;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "../tests/support/browser.rs"]
mod browser;
#[path = "support/library.rs"]
mod library;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Runs in every page before the app: keeps the wasm instance (for its memory) and notes
/// when the first row of the library list is in the page, at the start of the frame that
/// paints it (milliseconds since navigation).
const WATCH: &str = "addEventListener('TrunkApplicationStarted', e => { window.__wasm = e.detail.wasm; });
(function tick() {
  if (!window.__listShown && document.querySelector('.library-table tbody tr')) { window.__listShown = performance.now(); }
  if (!window.__reportShown && document.querySelector('#report-trends')) { window.__reportShown = performance.now(); }
  if (!window.__listShown && !window.__reportShown) { requestAnimationFrame(tick); }
})();";

/// Saves left out of the save figures, at the start of each library's series.
const SAVE_WARM_UP: usize = 8;

/// True once the library has read every postmortem's full text for search.
const INDEX_READY: &str =
    "const p = document.querySelector('#search-scope'); return !!p && p.textContent.startsWith('Finds words');";

/// Ctrl+S as WebDriver keys: save now.
fn ctrl_s() -> String {
    format!("{}s{}", char::from(fantoccini::key::Key::Control), char::from(fantoccini::key::Key::Null))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn stored(pm: &Postmortem) -> Res<(String, String)> {
    let pm = Postmortem { revision: 1, ..pm.clone() };
    Ok((format!("debrief.pm.{}", pm.id), Envelope::with_postmortems(vec![pm]).to_stored()?))
}

fn index_of(pms: &[Postmortem]) -> Res<String> {
    Ok(Envelope::with_index(pms.iter().map(Postmortem::summary).collect()).to_stored()?)
}

/// Empties the private folder the benchmark uses as a team folder.
const FOLDER_RESET: &str = "const done = arguments[arguments.length - 1];
navigator.storage.getDirectory().then(r => r.removeEntry('bench-team', {recursive: true}).catch(() => {})).then(() => done(true));";

/// Writes `[path, text]` pairs into the private team folder.
const FOLDER_WRITE: &str = "const [files, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const team = await (await navigator.storage.getDirectory()).getDirectoryHandle('bench-team', {create: true});
  await Promise.all(files.map(async ([path, text]) => {
    const parts = path.split('/');
    let dir = team;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, {create: true});
    const w = await (await dir.getFileHandle(parts[parts.length - 1], {create: true})).createWritable();
    await w.write(text); await w.close();
  }));
})().then(() => done(true), e => done(String(e)));";

/// Writes `[path, text]` pairs into the private team folder as a `git pull` would, and
/// returns once the browser's file system observer has reported every one of them (so the
/// page's own observer has had them too), or at once where there is no observer.
const FOLDER_PULL: &str = "const [files, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const team = await (await navigator.storage.getDirectory()).getDirectoryHandle('bench-team', {create: true});
  const waiting = new Set(files.map(f => f[0]));
  let reported = Promise.resolve();
  if (typeof FileSystemObserver === 'function') {
    let seen;
    reported = new Promise(r => { seen = r; });
    const o = new FileSystemObserver(records => {
      for (const r of records) waiting.delete(r.relativePathComponents.join('/'));
      if (waiting.size === 0) { o.disconnect(); seen(); }
    });
    await o.observe(team, {recursive: true});
  }
  await Promise.all(files.map(async ([path, text]) => {
    const parts = path.split('/');
    let dir = team;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, {create: true});
    const w = await (await dir.getFileHandle(parts[parts.length - 1], {create: true})).createWritable();
    await w.write(text); await w.close();
  }));
  await reported;
})().then(() => done(true), e => done(String(e)));";

/// Hands the private team folder to the page as the folder the picker would return.
const FOLDER_OFFER: &str = "const done = arguments[arguments.length - 1];
navigator.storage.getDirectory().then(r => r.getDirectoryHandle('bench-team', {create: true}))
  .then(d => { window.__debriefTestFolder = d; done(true); });";

/// Forgets the team folder kept from an earlier run.
const FOLDER_FORGET: &str = "const done = arguments[arguments.length - 1];
// The save journal too: an edit journalled by an earlier step would come back into the
// cleared library and be listed with the folder's postmortems.
let left = 2; const one = () => { if (--left === 0) done(true); };
for (const name of ['debrief-team-folder', 'debrief-journal']) {
  const r = indexedDB.deleteDatabase(name); r.onsuccess = r.onerror = r.onblocked = one;
}";

struct Bench {
    client: Client,
    base: String,
}

impl Bench {
    async fn js(&self, script: &str, args: Vec<Value>) -> Res<Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Runs `script`, which calls its last argument when done; an error when it passes
    /// anything but `true`.
    async fn js_async(&self, script: &str, args: Vec<Value>) -> Res<()> {
        match self.client.execute_async(script, args).await? {
            Value::Bool(true) => Ok(()),
            other => Err(format!("the script failed: {other}").into()),
        }
    }

    /// Waits up to `secs` for `script` to return something other than null or false.
    async fn until(&self, what: &str, secs: u64, script: &str) -> Res<Value> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let v = self.js(script, vec![]).await?;
            if !v.is_null() && v != json!(false) {
                return Ok(v);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}").into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn open(&self, path: &str) -> Res<()> {
        self.client.goto(&format!("{}{path}", self.base)).await?;
        self.client.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("main h1")).await?;
        Ok(())
    }

    /// Replaces everything stored with `postmortems` in the stored form, written the way
    /// the app writes it.
    async fn store(&self, postmortems: &[Postmortem]) -> Res<()> {
        self.js("localStorage.clear();", vec![]).await?;
        let entries: Vec<(String, String)> = postmortems.iter().map(stored).collect::<Res<_>>()?;
        for chunk in entries.chunks(100) {
            self.js("for (const [k, v] of arguments[0]) localStorage.setItem(k, v);", vec![json!(chunk)]).await?;
        }
        self.js("localStorage.setItem('debrief.index', arguments[0]);", vec![json!(index_of(postmortems)?)]).await?;
        Ok(())
    }

    /// Puts `query` in the library's search box, as typing it would.
    async fn search_for(&self, query: &str) -> Res<()> {
        self.js(
            "const i = document.querySelector('#library-search'); i.value = arguments[0]; i.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![json!(query)],
        )
        .await?;
        Ok(())
    }

    /// The durations of the User Timing measure `name` recorded since the last clear.
    async fn measures(&self, name: &str) -> Res<Vec<f64>> {
        let v = self
            .js("return performance.getEntriesByName(arguments[0]).map(e => e.duration);", vec![json!(name)])
            .await?;
        Ok(serde_json::from_value(v)?)
    }

    /// Starts Chromium's CPU profiler, sampling every `interval_us` microseconds.
    async fn profile_start(&self, interval_us: u32) -> Res<()> {
        self.client.issue_cmd(browser::DevTools("Profiler.enable", json!({}))).await?;
        self.client
            .issue_cmd(browser::DevTools("Profiler.setSamplingInterval", json!({ "interval": interval_us })))
            .await?;
        self.client.issue_cmd(browser::DevTools("Profiler.start", json!({}))).await?;
        Ok(())
    }

    /// Stops the profiler and writes the profile to `path`, for Chromium's developer tools.
    async fn profile_stop(&self, path: &str) -> Res<()> {
        let taken = self.client.issue_cmd(browser::DevTools("Profiler.stop", json!({}))).await?;
        std::fs::write(path, taken["profile"].to_string())?;
        Ok(())
    }

    async fn clear_measures(&self) -> Res<()> {
        self.js("performance.clearMeasures();", vec![]).await?;
        Ok(())
    }

    async fn wait_measures(&self, name: &str, count: usize, secs: u64) -> Res<Vec<f64>> {
        let script = format!("return performance.getEntriesByName('{name}').length >= {count};");
        self.until(name, secs, &script).await?;
        self.measures(name).await
    }

    /// Saves the open postmortem `times` times, each after typing one letter in its summary.
    /// The median time from a key's event to just after the next frame painted, over `keys`
    /// keystrokes in the summary of `pm` (every timeline event drawn first).
    async fn keystrokes(&self, pm: &Postmortem, keys: usize, profile: Option<String>) -> Res<f64> {
        self.open(&format!("/postmortems/{}", pm.id)).await?;
        let events = pm.timeline.len();
        self.until(
            "the editor, every event drawn",
            60,
            &format!("return document.querySelectorAll('textarea[id^=event-text-]').length >= {events};"),
        )
        .await?;
        self.js(
            "window.__keys = [];
             addEventListener('keydown', e => {
               const t0 = e.timeStamp;
               requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => window.__keys.push(performance.now() - t0); c.port2.postMessage(0); });
             }, true);",
            vec![],
        )
        .await?;
        let summary = self.client.find(Locator::Css("#pm-summary")).await?;
        if profile.is_some() {
            self.profile_start(50).await?;
        }
        for _ in 0..keys {
            summary.send_keys("k").await?;
            tokio::time::sleep(Duration::from_millis(60)).await;
        }
        if let Some(path) = profile {
            self.profile_stop(&path).await?;
        }
        let mut times: Vec<f64> = serde_json::from_value(self.js("return window.__keys;", vec![]).await?)?;
        Ok(median(&mut times))
    }

    async fn saves(&self, times: usize) -> Res<Vec<f64>> {
        self.clear_measures().await?;
        let ctrl_s = ctrl_s();
        for i in 1..=times {
            let summary = self.client.find(Locator::Css("#pm-summary")).await?;
            summary.send_keys("y").await?;
            summary.send_keys(&ctrl_s).await?;
            self.wait_measures("debrief:save", i, 10).await?;
        }
        let all = self.measures("debrief:save").await?;
        // Drop the first few: they pay for warming up (the browser optimises the app's
        // code as it runs), which would favour whichever library is measured second.
        Ok(all.into_iter().skip(SAVE_WARM_UP).collect())
    }
}

struct Row {
    measure: &'static str,
    value: String,
    target: &'static str,
    within: bool,
}

impl Row {
    /// A median time in milliseconds against its upper limit `target_ms`.
    fn at_most_ms(measure: &'static str, ms: f64, decimals: usize, target: &'static str, target_ms: f64) -> Self {
        Self { measure, value: format!("{ms:.decimals$} ms"), target, within: ms <= target_ms }
    }
}

#[tokio::main]
async fn main() -> Res<()> {
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let dist = std::env::var("DEBRIEF_DIST").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("dist"));
    let base = browser::start_server_at(dist.clone(), "");
    let (client, _driver) = browser::launch(&[], &[], &[]).await?;
    client.issue_cmd(browser::DevTools("Page.addScriptToEvaluateOnNewDocument", json!({ "source": WATCH }))).await?;
    let b = Bench { client, base };
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let steps = std::env::var("BENCH_STEPS").ok();
    let want = |step: &str| steps.as_deref().is_none_or(|s| s.split(',').any(|w| w.trim() == step));

    // The libraries: 999 drawn postmortems plus one with 300 events and 60 action items.
    let mut rng = library::Rng::new(9);
    let mut long = library::postmortem(&mut rng, 0, Some(300), Some(60));
    long.title = "Long postmortem: 300 timeline events".into();
    let mut thousand = library::library(1, 999);
    thousand.push(long.clone());
    let typical = thousand[0].clone();

    // Whole app download, measured by the script before this program.
    let size = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<f64>().ok());
    if let (Some(app), Some(floor), true) = (size("BENCH_SIZE_APP"), size("BENCH_SIZE_FLOOR"), want("size")) {
        let ratio = app / floor;
        rows.push(Row {
            measure: "whole app download (wasm + js + css, brotli)",
            value: format!("{:.0} KB, {ratio:.1}x the bare counter ({:.0} KB)", app / 1000.0, floor / 1000.0),
            target: "<= 300 KB and <= 6x",
            within: app <= 300_000.0 && ratio <= 6.0,
        });
    }

    if want("entries") {
        entries(&dist, runs, &mut rows, &mut notes).await?;
    }

    // Navigation to the list of 1,000 shown.
    b.open("/").await?;
    b.store(&thousand).await?;
    if want("list") {
        let mut list = Vec::new();
        for run in 0..runs {
            b.client.goto(&format!("{}/?run={run}", b.base)).await?;
            list.push(
                b.until("the list", 60, "return window.__listShown || null;").await?.as_f64().unwrap_or(f64::NAN),
            );
        }
        let list = median(&mut list);
        rows.push(Row::at_most_ms(
            "library of 1,000 postmortems: navigation to list shown",
            list,
            0,
            "<= 400 ms",
            400.0,
        ));
    }

    // The learning report over the 1,000 (its newest quarter): navigation to the report
    // shown, every postmortem read and every figure, theme and list computed.
    if want("report") {
        let mut shown = Vec::new();
        for run in 0..runs {
            b.client.goto(&format!("{}/report?run={run}", b.base)).await?;
            shown.push(
                b.until("the report", 120, "return window.__reportShown || null;").await?.as_f64().unwrap_or(f64::NAN),
            );
        }
        let shown = median(&mut shown);
        rows.push(Row::at_most_ms(
            "learning report over 1,000 postmortems: navigation to report shown",
            shown,
            0,
            "<= 400 ms (a page's budget)",
            400.0,
        ));
    }

    // Full text read for search, then memory.
    if want("search") {
        b.open("/?search").await?;
        let t0 = Instant::now();
        b.until("the search index", 120, INDEX_READY).await?;
        let index_ready = t0.elapsed().as_millis();
        let memory = b.js("return window.__wasm ? window.__wasm.memory.buffer.byteLength : null;", vec![]).await?;
        let memory_mb = memory.as_f64().unwrap_or(f64::NAN) / (1024.0 * 1024.0);
        rows.push(Row {
            measure: "wasm memory after opening the 1,000-postmortem library",
            value: format!("{memory_mb:.1} MB (full-text index ready {index_ready} ms after the list)"),
            target: "<= 32 MB",
            within: memory_mb <= 32.0,
        });

        // Full-text search, per query.
        let queries = [
            "kafka",
            "certificate renewal",
            "eu-west",
            "rollback",
            "jitter retry budget",
            "status page",
            "amara",
            "zzz",
            "sev1 bridge",
            "capacity review headroom",
        ];
        b.clear_measures().await?;
        let mut searches = Vec::new();
        for _ in 0..runs {
            for q in queries {
                let before = b.measures("debrief:search").await?.len();
                b.search_for(q).await?;
                let all = b.wait_measures("debrief:search", before + 1, 10).await?;
                searches.push(all[before]);
            }
        }
        let search = median(&mut searches);
        rows.push(Row::at_most_ms("full-text search over 1,000 postmortems, per query", search, 1, "<= 20 ms", 20.0));
        b.search_for("").await?;
    }

    // Opening the long postmortem from the list: from the click to the end of the first
    // frame painted with the editor's first timeline events and action items (later rows
    // are drawn in steps after it), and to the end of the frame that has every row; with
    // where the browser spent the time, page-wide, over the whole step.
    if want("open") {
        b.open("/?open").await?;
        // As after the search step: the library has finished reading the full text, and has
        // measured how full storage is (once, 1.5 s after it was first shown).
        b.until("the search index", 120, INDEX_READY).await?;
        tokio::time::sleep(Duration::from_secs(2)).await;
        b.client.issue_cmd(browser::DevTools("Performance.enable", json!({}))).await?;
        let spent = async || -> Res<[f64; 3]> {
            let v = b.client.issue_cmd(browser::DevTools("Performance.getMetrics", json!({}))).await?;
            let metric = |name: &str| {
                v["metrics"]
                    .as_array()
                    .and_then(|all| all.iter().find(|m| m["name"] == name))
                    .and_then(|m| m["value"].as_f64())
                    .unwrap_or(f64::NAN)
                    * 1000.0
            };
            Ok([metric("ScriptDuration"), metric("RecalcStyleDuration"), metric("LayoutDuration")])
        };
        let (mut opens, mut all_drawn) = (Vec::new(), Vec::new());
        let mut parts: [Vec<f64>; 3] = Default::default();
        for _ in 0..runs {
            b.until("the list", 30, "return !!document.querySelector('.library-table tbody tr');").await?;
            let before = spent().await?;
            let profile = std::env::var("BENCH_PROFILE").ok().filter(|_| opens.is_empty());
            if profile.is_some() {
                b.profile_start(100).await?;
            }
            let ms = b
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const link = [...document.querySelectorAll('.title-cell a')].find(a => a.textContent.startsWith('Long postmortem'));
                 const t0 = performance.now();
                 // Runs `f` once the frame being drawn is painted.
                 const painted = f => { const c = new MessageChannel(); c.port1.onmessage = f; c.port2.postMessage(0); };
                 let shown = null;
                 link.click();
                 (function tick() {
                   const events = document.querySelectorAll('textarea[id^=event-text-]').length;
                   if (shown === null && events > 0 && document.querySelector('#actions .action-row')) {
                     shown = NaN;
                     painted(() => { shown = performance.now() - t0; });
                   }
                   if (events >= 300 && document.querySelectorAll('#actions .action-row').length >= 60) painted(() => done([shown, performance.now() - t0]));
                   else requestAnimationFrame(tick);
                 })();",
                vec![],
            )
            .await?;
            opens.push(ms[0].as_f64().unwrap_or(f64::NAN));
            all_drawn.push(ms[1].as_f64().unwrap_or(f64::NAN));
            if let Some(path) = profile {
                b.profile_stop(&path).await?;
            }
            let after = spent().await?;
            for (i, part) in parts.iter_mut().enumerate() {
                part.push(after[i] - before[i]);
            }
            b.js("history.back();", vec![]).await?;
        }
        let open = median(&mut opens);
        let [script, style, layout] = parts.map(|mut p| median(&mut p));
        notes.push(format!(
        "Opening the long postmortem, as the browser accounts for it (medians, from the click to just after every row is drawn): script {script:.0} ms, style {style:.0} ms, layout {layout:.0} ms."
    ));
        rows.push(Row {
            measure: "open a postmortem with 300 timeline events and 60 action items",
            value: format!("{open:.0} ms (every row drawn at {:.0} ms)", median(&mut all_drawn)),
            target: "<= 150 ms",
            within: open <= 150.0,
        });
    }

    // Keystrokes in that postmortem: from the key's event to the frame after it painted.
    if want("keystroke") {
        let profile = std::env::var("BENCH_PROFILE_KEYS").ok();
        let key = b.keystrokes(&long, runs * 6, profile).await?;
        rows.push(Row::at_most_ms("keystroke in that postmortem to next frame painted", key, 1, "<= 16 ms", 16.0));
    }

    // A postmortem at Debrief's limits (most events and action items, every other list at
    // its usual size): stored, opened and typed in, as a user at the limit would.
    if want("limits") {
        use debrief::domain::limits::{MAX_ACTION_ITEMS, MAX_EVENTS};
        let mut biggest = library::postmortem(&mut rng, 1, Some(MAX_EVENTS), Some(MAX_ACTION_ITEMS));
        biggest.title = format!("At the limits: {MAX_EVENTS} timeline events");
        assert!(
            debrief::domain::limits::over_limits(&biggest).is_empty(),
            "the generated postmortem is within the limits"
        );
        b.store(std::slice::from_ref(&biggest)).await?;
        let key = b.keystrokes(&biggest, runs * 6, None).await?;
        rows.push(Row {
            measure: "keystroke in a postmortem at the limits (1,000 events, 300 action items) to next frame",
            value: format!("{key:.1} ms"),
            target: "<= 50 ms (responsive)",
            within: key <= 50.0,
        });
        b.store(&thousand).await?;
    }

    // Saving one postmortem with 1,000 in the library, then with it alone.
    if want("save") {
        b.open(&format!("/postmortems/{}", typical.id)).await?;
        let mut big = b.saves(runs * 8 + SAVE_WARM_UP).await?;
        b.store(std::slice::from_ref(&typical)).await?;
        b.open(&format!("/postmortems/{}?alone", typical.id)).await?;
        let mut alone = b.saves(runs * 8 + SAVE_WARM_UP).await?;
        let (big, alone) = (median(&mut big), median(&mut alone));
        let ratio = big / alone;
        rows.push(Row {
            measure: "saving one postmortem, library of 1,000 vs. library of 1",
            value: format!("{big:.2} ms vs. {alone:.2} ms ({:+.0}%)", (ratio - 1.0) * 100.0),
            target: "within 10%",
            within: ratio <= 1.10,
        });
    }

    // Importing a backup file of 1,000 into an empty library.
    if want("import") {
        let dir = std::env::temp_dir().join(format!("debrief-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let file = dir.join("debrief-backup-1000.json");
        std::fs::write(&file, Envelope::with_postmortems(thousand.clone()).to_pretty_json()?)?;
        let file_mb = std::fs::metadata(&file)?.len() as f64 / 1_000_000.0;
        let (mut imports, mut reads, mut writes) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs.min(3) {
            b.open("/").await?;
            b.js("localStorage.clear();", vec![]).await?;
            b.open("/?empty").await?;
            b.clear_measures().await?;
            b.client.find(Locator::Css("#import-input")).await?.send_keys(&file.to_string_lossy()).await?;
            let read = b.wait_measures("debrief:import-read", 1, 120).await?[0];
            let button = b
                .client
                .wait()
                .at_most(Duration::from_secs(60))
                .for_element(Locator::XPath("//button[normalize-space(.)='Import 1000 postmortems']"))
                .await?;
            button.click().await?;
            let apply = b.wait_measures("debrief:import-apply", 1, 120).await?[0];
            writes.push(b.measures("debrief:import-write").await?.first().copied().unwrap_or(f64::NAN));
            imports.push(read + apply);
            reads.push(read);
        }
        let _ = std::fs::remove_dir_all(&dir);
        let import = median(&mut imports);
        rows.push(Row {
            measure: "import a 1,000-postmortem backup file, with progress shown",
            value: format!(
                "{:.2} s ({file_mb:.0} MB file; reading and checking {:.2} s, packing then {:.2} s writing)",
                import / 1000.0,
                median(&mut reads) / 1000.0,
                median(&mut writes) / 1000.0
            ),
            target: "<= 2 s",
            within: import <= 2000.0,
        });
    }

    // How many realistic postmortems fit: stored until the browser refuses, then opened.
    if want("capacity") {
        let candidates = library::library(2, 3000);
        let entries: Vec<(String, String)> = candidates.iter().map(stored).collect::<Res<_>>()?;
        b.js(
            "localStorage.clear(); localStorage.setItem('debrief.index', arguments[0]);",
            vec![json!(index_of(&candidates)?)],
        )
        .await?;
        let mut fitted = 0usize;
        for chunk in entries.chunks(200) {
            let n = b
            .js(
                "let n = 0; try { for (const [k, v] of arguments[0]) { localStorage.setItem(k, v); n++; } } catch (e) {} return n;",
                vec![json!(chunk)],
            )
            .await?
            .as_u64()
            .unwrap_or(0) as usize;
            fitted += n;
            if n < chunk.len() {
                break;
            }
        }
        b.js("localStorage.setItem('debrief.index', arguments[0]);", vec![json!(index_of(&candidates[..fitted])?)])
            .await?;
        let chars: usize = entries[..fitted].iter().map(|(k, v)| k.chars().count() + v.chars().count()).sum();
        b.open("/?capacity").await?;
        let shown = b
            .until("the full list", 60, "const p = document.querySelector('.result-count'); return p && p.textContent;")
            .await?;
        let opened = shown.as_str().is_some_and(|t| t.starts_with(&format!("{fitted} postmortems")));
        rows.push(Row {
            measure: "realistic postmortems that fit in localStorage",
            value: format!(
                "{fitted} (about {} characters each; the library {} afterwards)",
                chars / fitted.max(1),
                if opened { "opens with all of them" } else { "did NOT list them all" }
            ),
            target: ">= 2,000",
            within: fitted >= 2000 && opened,
        });
    }
    // A team folder of 2,000 postmortems opened into an empty library, then read again
    // after a pull that changed ten files. The folder is one of the browser's
    // origin-private file system, handed to the page as end-to-end tests do.
    if want("folder") {
        use debrief::file_format::folder as layout;
        let team = library::library(3, 2000);
        let files: Vec<(String, String)> = team
            .iter()
            .map(|pm| Ok((layout::postmortem_path(pm), layout::postmortem_text(pm)?)))
            .collect::<Res<_>>()?;
        b.open("/?folder").await?;
        b.js_async(FOLDER_RESET, vec![]).await?;
        for chunk in files.chunks(200) {
            b.js_async(FOLDER_WRITE, vec![json!(chunk)]).await?;
        }
        let probe = b
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
(async () => {
  const team = await (await navigator.storage.getDirectory()).getDirectoryHandle('bench-team');
  const dir = await team.getDirectoryHandle('postmortems');
  let t = performance.now(); const hs = [];
  for await (const h of dir.values()) hs.push(h);
  const iter = performance.now() - t; t = performance.now();
  const fs = await Promise.all(hs.map(h => h.getFile()));
  const stat = performance.now() - t; t = performance.now();
  const texts = await Promise.all(fs.slice(0, 2000).map(f => f.text()));
  const read = performance.now() - t;
  return `iterate ${Math.round(iter)} ms, getFile ${Math.round(stat)} ms, text ${Math.round(read)} ms for ${hs.length}`;
})().then(done, e => done(String(e)));",
                vec![],
            )
            .await?;
        notes.push(format!(
            "The browser's own cost for the same 2,000 files in plain JavaScript (the floor for any reader): {probe}"
        ));
        let (mut opens, mut rereads, mut reads, mut save_writes, mut revisits) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for run in 0..runs {
            b.js("localStorage.clear();", vec![]).await?;
            b.js_async(FOLDER_FORGET, vec![]).await?;
            b.open(&format!("/?folder-run={run}")).await?;
            b.js_async(FOLDER_OFFER, vec![]).await?;
            b.client.find(Locator::Css(".team-folder-box summary")).await?.click().await?;
            let profile = std::env::var("BENCH_PROFILE_FOLDER").ok().filter(|_| run == 0);
            if profile.is_some() {
                b.profile_start(1000).await?;
            }
            b.client.find(Locator::XPath("//button[normalize-space(.)='Open team folder…']")).await?.click().await?;
            let opened = b.wait_measures("debrief:folder-read", 1, 120).await?[0];
            if let Some(path) = &profile {
                b.profile_stop(path).await?;
            }
            let shown = b
                .until("the list", 60, "const p = document.querySelector('.result-count'); return p && p.textContent;")
                .await?;
            if !shown.as_str().is_some_and(|t| t.starts_with("2000 postmortems")) {
                return Err(format!("the folder's postmortems were not all listed: {shown}").into());
            }
            opens.push(opened);
            // The write after the read compares every postmortem once; then ten files change.
            b.wait_measures("debrief:folder-write", 1, 120).await?;
            // A pull comes later, on a settled page: the search index has read the library.
            b.until("the search index", 300, INDEX_READY).await?;
            let changed: Vec<(String, String)> = team
                .iter()
                .skip(run * 10)
                .take(10)
                .map(|pm| {
                    let mut pulled = pm.clone();
                    pulled.summary = format!("{} (changed by a pull, run {run})", pm.summary);
                    Ok((layout::postmortem_path(&pulled), layout::postmortem_text(&pulled)?))
                })
                .collect::<Res<_>>()?;
            b.js_async(FOLDER_PULL, vec![json!(changed)]).await?;
            // Back to the tab after the pull: the page reads the folder again.
            b.js("window.dispatchEvent(new Event('focus'));", vec![]).await?;
            rereads.push(b.wait_measures("debrief:folder-read", 2, 60).await?[1]);
            let said = b
                .until("the re-read", 30, "const p = document.querySelector('.folder-said'); return p && p.textContent.includes('10 read') && p.textContent;")
                .await?;
            reads.push(said.as_str().unwrap_or_default().to_owned());
            // A save in the editor: the write that follows compares only that postmortem.
            // A later visit (here, opening a postmortem in a new page): the folder is read
            // again, but only files changed since the last visit are.
            b.open(&format!("/postmortems/{}", team[run].id)).await?;
            revisits.push(b.wait_measures("debrief:folder-read", 1, 120).await?[0]);
            b.wait_measures("debrief:folder-write", 1, 120).await?;
            let summary = b.client.find(Locator::Css("#pm-summary")).await?;
            summary.send_keys("y").await?;
            summary.send_keys(&ctrl_s()).await?;
            save_writes.push(b.wait_measures("debrief:folder-write", 2, 60).await?[1]);
        }
        b.js_async(FOLDER_RESET, vec![]).await?;
        rows.push(Row::at_most_ms(
            "team folder of 2,000 postmortems: opened into an empty library, list shown",
            median(&mut opens),
            0,
            "<= 3,000 ms",
            3000.0,
        ));
        rows.push(Row::at_most_ms(
            "team folder read again on returning to the tab after a pull that changed 10 files (only those read)",
            median(&mut rereads),
            0,
            "<= 300 ms",
            300.0,
        ));
        rows.push(Row::at_most_ms(
            "team folder of 2,000 postmortems read on a later visit, nothing changed since (every file's stamp listed, none read)",
            median(&mut revisits),
            0,
            "<= 3,000 ms (as opening)",
            3000.0,
        ));
        rows.push(Row::at_most_ms(
            "team folder of 2,000 postmortems: the write to the folder after one save in the editor",
            median(&mut save_writes),
            0,
            "<= 100 ms (a pause while typing)",
            100.0,
        ));
        notes.push(format!("Team folder re-read said: {}", reads.first().map_or("", String::as_str)));
        let phases = b.js("return ['debrief:folder-scan', 'debrief:folder-apply', 'debrief:folder-write'].map(n => n + ' ' + performance.getEntriesByName(n).map(e => Math.round(e.duration)).join('/') + ' ms').join(', ');", vec![]).await?;
        notes.push(format!(
            "Team folder phases of the last run (open/re-read): {}",
            phases.as_str().unwrap_or_default()
        ));
    }
    b.js("localStorage.clear();", vec![]).await?;
    b.client.close().await?;

    let events: usize = thousand.iter().map(|p| p.timeline.len()).sum();
    let mut sizes: Vec<f64> = thousand.iter().map(|p| p.timeline.len() as f64).collect();
    println!(
        "Library: 1,000 postmortems (seed 1, plus one long), {} timeline events in all, median {} per postmortem; {runs} runs per step.",
        events,
        median(&mut sizes)
    );
    println!();
    println!("| measure | median | target | within |");
    println!("|---|---|---|---|");
    for r in &rows {
        println!("| {} | {} | {} | {} |", r.measure, r.value, r.target, if r.within { "yes" } else { "NO" });
    }
    for note in &notes {
        println!();
        println!("{note}");
    }
    Ok(())
}

/// What a fresh browser fetched for a page, as paths below the served folder, and when it
/// first painted content (milliseconds since navigation).
const FETCHED: &str = "const files = performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);
const paint = performance.getEntriesByName('first-contentful-paint')[0];
return [files, paint ? paint.startTime : null];";

/// Notes in `window.__editorShown` the moment the editor's summary field is on the page.
const EDITOR_SHOWN: &str = "window.__editorShown = undefined;
new MutationObserver((_, observer) => {
  if (document.getElementById('pm-summary')) { window.__editorShown = performance.now(); observer.disconnect(); }
}).observe(document.body, { childList: true, subtree: true });";

/// The paths of the files whose fetch started by `until` (milliseconds since navigation).
async fn fetched_by(client: &Client, until: f64) -> Res<Vec<String>> {
    let v = client
        .execute(
            "return performance.getEntriesByType('resource').filter(e => e.startTime <= arguments[0]).map(e => new URL(e.name).pathname);",
            vec![json!(if until.is_finite() { until } else { 1e15 })],
        )
        .await?;
    Ok(serde_json::from_value(v)?)
}

/// The brotli size of each file of the build, counted once.
#[derive(Default)]
struct Brotli(std::collections::HashMap<PathBuf, u64>);

impl Brotli {
    /// The brotli size (`brotli -q 11`, as the size report) of the app's own files among
    /// `paths`: wasm, JavaScript and CSS, each once.
    fn of(&mut self, dist: &std::path::Path, paths: &[String]) -> Res<u64> {
        let mut seen = std::collections::HashSet::new();
        let mut total = 0;
        for p in paths {
            let file = dist.join(p.trim_start_matches('/'));
            let counted = [".wasm", ".js", ".css"].iter().any(|ext| p.ends_with(ext));
            if !counted || !file.is_file() || !seen.insert(file.clone()) {
                continue;
            }
            if !self.0.contains_key(&file) {
                let out = std::process::Command::new("brotli").args(["-q", "11", "-c"]).arg(&file).output()?;
                if !out.status.success() {
                    return Err(format!("brotli failed on {}", file.display()).into());
                }
                self.0.insert(file.clone(), out.stdout.len() as u64);
            }
            total += self.0[&file];
        }
        Ok(total)
    }
}

/// Opens `url` in a fresh browser (empty cache, no service worker), waits for `ready` (a
/// CSS selector), and returns what was fetched and the first paint.
async fn fresh_visit(url: &str, ready: &str) -> Res<(Client, browser::Driver, Vec<String>, f64)> {
    let (client, driver) = browser::launch(&[], &[], &[]).await?;
    client.goto(url).await?;
    client.wait().at_most(Duration::from_secs(60)).for_element(Locator::Css(ready)).await?;
    // The first paint is reported a moment after the frame that shows the page.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut v = client.execute(FETCHED, vec![]).await?;
    while v[1].is_null() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        v = client.execute(FETCHED, vec![]).await?;
    }
    let files: Vec<String> = serde_json::from_value(v[0].clone())?;
    Ok((client, driver, files, v[1].as_f64().unwrap_or(f64::NAN)))
}

/// First-load bytes of each way into the app (everything fetched before the page is
/// usable, brotli) and its first paint, against the bare Leptos counter's first paint in
/// the same run.
async fn entries(dist: &std::path::Path, runs: usize, rows: &mut Vec<Row>, notes: &mut Vec<String>) -> Res<()> {
    let mut brotli = Brotli::default();
    let base = browser::start_server_at(dist.to_path_buf(), "");
    let mut pm = library::postmortem(&mut library::Rng::new(4), 0, Some(12), Some(4));
    pm.title = "Opened from the library".into();
    let invitation = debrief::domain::contribution::Invitation::for_postmortem(&pm);
    let fragment = debrief::file_format::contribution::invitation_fragment(&invitation)?;
    let counter =
        std::env::var("BENCH_COUNTER_DIST").ok().map(PathBuf::from).filter(|d| d.join("index.html").is_file());
    let counter_base = counter.as_ref().map(|d| browser::start_server_at(d.clone(), ""));

    let (mut paint_library, mut paint_contributor, mut paint_counter) = (Vec::new(), Vec::new(), Vec::new());
    let (mut bytes_library, mut bytes_contributor, mut bytes_opening, mut bytes_after_opening) = (0, 0, 0, 0);
    for _ in 0..runs {
        let (client, _driver, files, paint) = fresh_visit(&format!("{base}/"), "main h1").await?;
        bytes_library = brotli.of(dist, &files)?;
        paint_library.push(paint);
        // The same page with one postmortem stored, then opened from the list: what the
        // editor fetches beyond what the library fetched.
        let (key, text) = stored(&pm)?;
        client.execute("localStorage.setItem(arguments[0], arguments[1]); localStorage.setItem('debrief.index', arguments[2]);", vec![json!(key), json!(text), json!(index_of(std::slice::from_ref(&pm))?)]).await?;
        client.refresh().await?;
        client.wait().at_most(Duration::from_secs(60)).for_element(Locator::Css(".title-cell a")).await?;
        let before: Vec<String> = serde_json::from_value(client.execute(FETCHED, vec![]).await?[0].clone())?;
        // When the editor is on the page: what was fetched from then on (its less used
        // sections, fetched once it is painted) is counted apart.
        client.execute(EDITOR_SHOWN, vec![]).await?;
        client.find(Locator::Css(".title-cell a")).await?.click().await?;
        client.wait().at_most(Duration::from_secs(60)).for_element(Locator::Css("#pm-summary")).await?;
        let shown = client.execute("return window.__editorShown;", vec![]).await?.as_f64().unwrap_or(f64::INFINITY);
        let opening = fetched_by(&client, shown).await?;
        let more: Vec<String> = opening.into_iter().filter(|f| !before.contains(f)).collect();
        bytes_opening = brotli.of(dist, &more)?;
        client.wait().at_most(Duration::from_secs(60)).for_element(Locator::Css("#contributions-heading")).await?;
        let everything = fetched_by(&client, f64::INFINITY).await?;
        let later: Vec<String> = everything.into_iter().filter(|f| !before.contains(f) && !more.contains(f)).collect();
        bytes_after_opening = brotli.of(dist, &later)?;
        client.close().await?;

        let (client, _driver, files, paint) = fresh_visit(&format!("{base}/#{fragment}"), "main h1").await?;
        bytes_contributor = brotli.of(dist, &files)?;
        paint_contributor.push(paint);
        client.close().await?;

        if let (Some(dir), Some(url)) = (&counter, &counter_base) {
            let (client, _driver, files, paint) = fresh_visit(&format!("{url}/"), "button").await?;
            paint_counter.push(paint);
            if paint_counter.len() == 1 {
                notes.push(format!("Bare counter first load: {} bytes brotli.", brotli.of(dir, &files)?));
            }
            client.close().await?;
        }
    }
    let counter_paint = (!paint_counter.is_empty()).then(|| median(&mut paint_counter));
    let ratio = |paint: f64| counter_paint.map_or(String::new(), |c| format!(", {:.1}x the bare counter's", paint / c));
    let kb = |b: u64| format!("{:.0} KB", b as f64 / 1000.0);
    // An entry's row: its first load against `limit` bytes, and its median first paint.
    let first_load = |measure, bytes: u64, paints: &mut Vec<f64>, target, limit: u64| {
        let paint = median(paints);
        Row {
            measure,
            value: format!("{}, first paint {paint:.0} ms{}", kb(bytes), ratio(paint)),
            target,
            within: bytes <= limit,
        }
    };
    rows.push(first_load(
        "first load of the library (/): bytes fetched before it is usable (brotli), first paint",
        bytes_library,
        &mut paint_library,
        "<= 250 KB",
        250_000,
    ));
    rows.push(first_load(
        "first load of the contributor page (invitation link): bytes (brotli), first paint",
        bytes_contributor,
        &mut paint_contributor,
        "<= 150 KB",
        150_000,
    ));
    rows.push(Row {
        measure: "opening a postmortem from the library: bytes fetched beyond the library's (brotli)",
        value: format!(
            "{} (then {} more once the editor is shown: its contributions and review cards, the paste panel)",
            kb(bytes_opening),
            kb(bytes_after_opening)
        ),
        target: "<= 150 KB more",
        within: bytes_opening <= 150_000,
    });
    let everything: Vec<String> =
        std::fs::read_dir(dist)?.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    let all = brotli.of(dist, &everything)?;
    rows.push(Row {
        measure: "everything the service worker keeps (wasm + js + css, brotli)",
        value: kb(all),
        target: "<= 583 KB (the whole app when issue 26 was written)",
        within: all <= 583_000,
    });
    match counter_paint {
        Some(c) => notes
            .push(format!("Bare Leptos counter first paint: {c:.0} ms (median of {runs}, same browser, same run).")),
        None => notes.push(
            "No first-paint ratio: BENCH_COUNTER_DIST names no counter build (scripts/bench.sh makes one).".into(),
        ),
    }
    Ok(())
}
