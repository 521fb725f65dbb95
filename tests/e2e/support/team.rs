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

/// The path of the (first) postmortem file in the private folder.
pub async fn postmortem_file(s: &Session) -> Result<String, Box<dyn std::error::Error>> {
    Ok(private_files(s)
        .await?
        .into_iter()
        .map(|(p, _)| p)
        .find(|p| p.starts_with("postmortems/") && p.ends_with(".json"))
        .ok_or("the postmortem's file")?)
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
    wait_for_private_file_where(s, &format!("holds {text:?}"), |t| t.contains(text)).await
}

/// Waits until a postmortem file in the team folder's private copy meets `check` (said as `what`).
pub async fn wait_for_private_file_where(s: &Session, what: &str, check: impl Fn(&str) -> bool) -> TestResult {
    let started = std::time::Instant::now();
    loop {
        if private_files(s).await?.iter().any(|(path, t)| path.ends_with(".json") && check(t)) {
            return Ok(());
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            return Err(format!("no file in the team folder came to be one that {what}").into());
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

/// The last captured download's bytes (see `capture_downloads`), with its file name.
pub async fn last_download_bytes(s: &Session) -> Result<(String, Vec<u8>), Box<dyn std::error::Error>> {
    let file = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const d = window.__downloads[window.__downloads.length - 1];
             fetch(d.href).then(r => r.arrayBuffer()).then(b => done({name: d.name, bytes: Array.from(new Uint8Array(b))}));",
            vec![],
        )
        .await?;
    let bytes = file["bytes"].as_array().ok_or("no bytes")?.iter().map(|b| b.as_u64().unwrap_or(0) as u8).collect();
    Ok((file["name"].as_str().unwrap_or_default().to_owned(), bytes))
}

/// The files of a zip archive whose entries are stored (as Debrief writes them), read the
/// way an unzip tool does: from the end record through the central directory.
pub fn unzip_stored(archive: &[u8]) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let u16_at = |i: usize| -> Result<usize, Box<dyn std::error::Error>> {
        Ok(usize::from(u16::from_le_bytes([
            *archive.get(i).ok_or("cut short")?,
            *archive.get(i + 1).ok_or("cut short")?,
        ])))
    };
    let u32_at = |i: usize| -> Result<usize, Box<dyn std::error::Error>> {
        let b = archive.get(i..i + 4).ok_or("cut short")?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let end = archive.len().checked_sub(22).ok_or("too short for a zip")?;
    if u32_at(end)? != 0x0605_4b50 {
        return Err("no end-of-directory record".into());
    }
    let mut at = u32_at(end + 16)?;
    let mut out = Vec::new();
    for _ in 0..u16_at(end + 10)? {
        if u32_at(at)? != 0x0201_4b50 || u16_at(at + 10)? != 0 {
            return Err("not a stored entry".into());
        }
        let (size, name_len, local) = (u32_at(at + 20)?, u16_at(at + 28)?, u32_at(at + 42)?);
        let name = String::from_utf8(archive.get(at + 46..at + 46 + name_len).ok_or("cut short")?.to_vec())?;
        let data_at = local + 30 + u16_at(local + 26)? + u16_at(local + 28)?;
        let data = String::from_utf8(archive.get(data_at..data_at + size).ok_or("cut short")?.to_vec())?;
        out.push((name, data));
        at += 46 + name_len + u16_at(at + 30)? + u16_at(at + 32)?;
    }
    Ok(out)
}
