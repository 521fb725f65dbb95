//! The team folder in the end-to-end tests. The directory picker cannot be driven by
//! WebDriver, so a test hands the page a folder of the browser's origin-private file system
//! (`window.__debriefTestFolder`, the one test seam) and copies files between it and a real
//! git clone on disk, the way a sync tool would.

use super::{Session, TestResult, Value, json};
use std::path::Path;
use std::process::Command;

/// Hands the page the private folder `team` (created empty when missing) as the folder the
/// picker would return.
pub async fn offer_private_folder(s: &Session) -> TestResult {
    s.client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.storage.getDirectory()
               .then(root => root.getDirectoryHandle('team', {create: true}))
               .then(dir => { window.__debriefTestFolder = dir; done(true); })
               .catch(e => done(String(e)));",
            vec![],
        )
        .await?;
    Ok(())
}

/// Every file in the private folder, as (path, text).
pub async fn private_files(s: &Session) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let files = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             async function walk(dir, prefix, out) {
               for await (const [name, handle] of dir.entries()) {
                 if (handle.kind === 'directory') await walk(handle, prefix + name + '/', out);
                 // A file the app is writing right now may be gone a moment later.
                 else if (!name.endsWith('.crswap')) {
                   try { out.push([prefix + name, await (await handle.getFile()).text()]); } catch (e) {}
                 }
               }
               return out;
             }
             navigator.storage.getDirectory()
               .then(root => root.getDirectoryHandle('team', {create: true}))
               .then(dir => walk(dir, '', []))
               .then(done, e => done(String(e)));",
            vec![],
        )
        .await?;
    let list = files.as_array().ok_or_else(|| format!("the private folder could not be read: {files}"))?;
    Ok(list
        .iter()
        .map(|f| (f[0].as_str().unwrap_or_default().to_owned(), f[1].as_str().unwrap_or_default().to_owned()))
        .collect())
}

/// Copies the private folder into the clone `dir` (its files replace the clone's).
pub async fn copy_out(s: &Session, dir: &Path) -> TestResult {
    for (path, text) in private_files(s).await? {
        let full = dir.join(&path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, text)?;
    }
    Ok(())
}

/// Makes the private folder hold exactly the clone's files (what a sync tool does after a
/// `git pull`), leaving out `.git`.
pub async fn copy_in(s: &Session, dir: &Path) -> TestResult {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir)?.to_string_lossy().replace('\\', "/");
                files.push(json!([relative, std::fs::read_to_string(&path)?]));
            }
        }
    }
    let result = s
        .client
        .execute_async(
            "const [files, done] = [arguments[0], arguments[arguments.length - 1]];
             (async () => {
               const root = await navigator.storage.getDirectory();
               const team = await root.getDirectoryHandle('team', {create: true});
               const wanted = new Set(files.map(f => f[0]));
               async function prune(dir, prefix) {
                 for await (const [name, handle] of dir.entries()) {
                   if (handle.kind === 'directory') await prune(handle, prefix + name + '/');
                   else if (!wanted.has(prefix + name)) await dir.removeEntry(name);
                 }
               }
               await prune(team, '');
               for (const [path, text] of files) {
                 const parts = path.split('/');
                 let dir = team;
                 for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, {create: true});
                 const file = await dir.getFileHandle(parts[parts.length - 1], {create: true});
                 const old = await (await file.getFile()).text();
                 if (old === text) continue;
                 const w = await file.createWritable();
                 await w.write(text);
                 await w.close();
               }
               return true;
             })().then(done, e => done(String(e)));",
            vec![Value::Array(files)],
        )
        .await?;
    if result != json!(true) {
        return Err(format!("the clone could not be copied in: {result}").into());
    }
    Ok(())
}

/// Waits until a file of the private folder holds `text` (the app writes a moment after a save).
pub async fn wait_for_private_file_with(s: &Session, text: &str) -> TestResult {
    let started = std::time::Instant::now();
    loop {
        if private_files(s).await?.iter().any(|(path, t)| path.ends_with(".json") && t.contains(text)) {
            return Ok(());
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            return Err(format!("no file in the team folder came to hold {text:?}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// Runs git in `dir` and fails with its output when it fails.
pub fn git(dir: &Path, args: &[&str]) -> Result<String, Box<dyn std::error::Error>> {
    match git_may_fail(dir, args)? {
        (true, said) => Ok(said),
        (false, said) => Err(format!("git {args:?}: {said}").into()),
    }
}

/// Runs git in `dir`: whether it succeeded, and what it said.
pub fn git_may_fail(dir: &Path, args: &[&str]) -> Result<(bool, String), Box<dyn std::error::Error>> {
    let out = Command::new("git")
        .args(["-c", "user.name=Debrief e2e", "-c", "user.email=e2e@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()?;
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Ok((out.status.success(), said))
}
