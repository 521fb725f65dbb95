//! Checks a page must pass: no injected script or markup, axe-core, and fitting a phone screen.

use super::*;

/// Nothing from the hostile corpus ran or became markup on the page now shown.
pub async fn assert_inert(s: &Session, step: &str) -> TestResult {
    assert_eq!(s.js("return window.__pwned === undefined;", vec![]).await?, json!(true), "script ran at {step}");
    let injected = s
        .js(
            "return document.querySelectorAll('script:not([src]), iframe, [onerror], [onload], \
             a[href^=\"javascript:\"], a[href^=\"data:\"]').length;",
            vec![],
        )
        .await?;
    assert_eq!(injected, json!(0), "markup from input at {step}");
    assert_eq!(s.js("return window.__cspViolations;", vec![]).await?, json!([]), "policy violations at {step}");
    Ok(())
}

/// Runs axe-core (from node_modules, installed by scripts/setup.sh) on the page as it is,
/// and returns one line per violation.
pub async fn axe_violations(s: &Session) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path)
        .map_err(|e| format!("axe-core is missing at {} ({e}); scripts/setup.sh installs it", path.display()))?;
    if s.js("return typeof window.axe;", vec![]).await? != json!("object") {
        s.js(&source, vec![]).await?;
    }
    let found = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(
               (r) => done(r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                 v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' [' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ']').join('; '))),
               (e) => done(['axe could not run: ' + e]));",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(found)?)
}

/// Opens `path`, waits for the page to settle, and adds any axe violations to `report`.
pub async fn check_page(s: &Session, theme: &str, path: &str, report: &mut Vec<String>) -> TestResult {
    s.open(path).await?;
    check_here(s, theme, path, report).await
}

pub async fn check_here(s: &Session, theme: &str, what: &str, report: &mut Vec<String>) -> TestResult {
    s.settle().await?;
    let shown = s.js("return document.documentElement.dataset.theme || 'system';", vec![]).await?;
    assert_eq!(shown, json!(theme), "the page is in the {theme} theme at {what}");
    for v in axe_violations(s).await? {
        report.push(format!("[{theme}] {what}: {v}"));
    }
    Ok(())
}

/// The page is no wider than the screen: nothing needs sideways scrolling.
pub async fn check_fits(s: &Session, what: &str) -> TestResult {
    s.settle().await?;
    let overflow = s
        .js(
            "const w = document.documentElement.clientWidth;
             const all = [...document.querySelectorAll('body *')];
             // Off the left edge: no scroll bar shows it, so it is lost whatever the width.
             const left = all.filter((e) => { const r = e.getBoundingClientRect();
               return r.width > 1 && r.height > 1 && r.left < -1 && !e.closest('.visually-hidden, .skip-link'); });
             const right = document.documentElement.scrollWidth <= w ? []
               : all.filter((e) => e.getBoundingClientRect().right > w + 1);
             return left.concat(right).slice(-6).map((e) => e.tagName.toLowerCase() + '.' + e.className + ' '
               + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right));",
            vec![],
        )
        .await?;
    assert_eq!(overflow, json!([]), "{what} is wider than the screen");
    Ok(())
}
