//! The team library in a real git repository: two clones of one repository, each worked on
//! by its own Debrief library through the team-folder service (over the disk, as the
//! browser's File System Access API gives it), edits on both sides, then `git pull` and a
//! read of the folder. Whether git merges the file by itself or leaves conflict markers,
//! both people's edits end up in both libraries and in the repository.

use debrief::app::Library;
use debrief::app::folder::{Scan, TeamFolder};
use debrief::domain::PostmortemId;
use debrief::domain::model::EventKind;
use debrief::domain::sample::full_postmortem;
use debrief::file_format::folder as layout;
use debrief::storage::MemoryStore;
use debrief::storage::folder::{FileStamp, Folder, FolderError, Listed, run_ready};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A folder on disk.
struct DiskFolder(PathBuf);

fn stamp_of(meta: &std::fs::Metadata) -> FileStamp {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    FileStamp { modified, size: meta.len() }
}

impl Folder for DiskFolder {
    async fn list(&self, dir: &str) -> Result<Vec<Listed>, FolderError> {
        let Ok(entries) = std::fs::read_dir(self.0.join(dir)) else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let meta = entry.metadata().map_err(|e| FolderError::ReadFailed(e.to_string()))?;
            if meta.is_file() {
                out.push(Listed {
                    path: format!("{dir}/{}", entry.file_name().to_string_lossy()),
                    stamp: stamp_of(&meta),
                });
            }
        }
        Ok(out)
    }

    async fn read(&self, path: &str) -> Result<(String, FileStamp), FolderError> {
        let full = self.0.join(path);
        let text = std::fs::read_to_string(&full).map_err(|_| FolderError::Gone(path.to_owned()))?;
        let meta = std::fs::metadata(&full).map_err(|e| FolderError::ReadFailed(e.to_string()))?;
        Ok((text, stamp_of(&meta)))
    }

    async fn write(&self, path: &str, text: &str) -> Result<FileStamp, FolderError> {
        let full = self.0.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| FolderError::WriteFailed(e.to_string()))?;
        }
        std::fs::write(&full, text).map_err(|e| FolderError::WriteFailed(e.to_string()))?;
        let meta = std::fs::metadata(&full).map_err(|e| FolderError::WriteFailed(e.to_string()))?;
        Ok(stamp_of(&meta))
    }
}

fn git(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("git")
        .args(["-c", "user.name=Debrief test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs (scripts/setup.sh installs it)");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let (ok, out) = git(dir, args);
    assert!(ok, "git {args:?} failed: {out}");
    out
}

/// One person: a clone, a library, the folder service.
struct Person {
    clone: DiskFolder,
    library: Library<MemoryStore>,
    team: TeamFolder,
}

impl Person {
    fn sync(&mut self) -> Scan {
        let scan = run_ready(self.team.scan(&self.clone, &self.library)).expect("ready").expect("scanned");
        let kept = scan.clone();
        self.team.apply(&mut self.library, scan, Vec::new(), &BTreeMap::new()).expect("applied");
        run_ready(self.team.write_back(&self.clone, &mut self.library, None)).expect("ready").expect("written");
        kept
    }

    fn commit_all(&self, message: &str) {
        let dir = &self.clone.0;
        git_ok(dir, &["add", "-A"]);
        git_ok(dir, &["commit", "-q", "-m", message]);
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("debrief-git-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}

/// A repository with one postmortem written by A, cloned by B.
fn two_clones(name: &str, style: &str) -> (Person, Person, PostmortemId, PathBuf) {
    let root = temp_dir(name);
    git_ok(&root, &["init", "-q", "--bare", "team.git"]);
    for clone in ["a", "b"] {
        git_ok(&root, &["clone", "-q", "team.git", clone]);
        git_ok(&root.join(clone), &["config", "merge.conflictStyle", style]);
        git_ok(&root.join(clone), &["config", "pull.rebase", "false"]);
    }
    let mut a = Person {
        clone: DiskFolder(root.join("a")),
        library: Library::open(MemoryStore::new()).0,
        team: TeamFolder::new(),
    };
    let pm = full_postmortem(now());
    let id = pm.id;
    a.library.save(&pm).expect("saved");
    a.sync();
    a.commit_all("A adds a postmortem");
    git_ok(&a.clone.0, &["push", "-q", "origin", "HEAD:main"]);
    let mut b = Person {
        clone: DiskFolder(root.join("b")),
        library: Library::open(MemoryStore::new()).0,
        team: TeamFolder::new(),
    };
    git_ok(&b.clone.0, &["pull", "-q", "origin", "main"]);
    b.sync();
    assert!(b.library.load(&id).is_ok(), "B reads the postmortem from its clone");
    (a, b, id, root)
}

fn edit(person: &mut Person, id: &PostmortemId, change: impl FnOnce(&mut debrief::domain::Postmortem)) {
    let mut pm = person.library.load(id).expect("stored");
    change(&mut pm);
    person.library.save(&pm).expect("saved");
}

fn exchange_and_check(style: &str) {
    let (mut a, mut b, id, root) = two_clones(&format!("edits-{style}"), style);
    // Different fields, different timeline events, and an event added at the end on each side.
    edit(&mut a, &id, |pm| {
        pm.summary = "A: the pool setting starved checkout.".into();
        pm.timeline[0].description = "A: alert fired for checkout errors".into();
        pm.add_timeline_event(None, EventKind::Action, "A: added at the end");
    });
    edit(&mut b, &id, |pm| {
        pm.impact.description = "B: 12% of checkouts failed for 40 minutes.".into();
        let last = pm.timeline.len() - 1;
        pm.timeline[last].description = "B: resolved after the rollback".into();
        pm.add_timeline_event(None, EventKind::Observation, "B: added at the end");
    });
    a.sync();
    a.commit_all("A edits");
    git_ok(&a.clone.0, &["push", "-q", "origin", "HEAD:main"]);
    b.sync();
    b.commit_all("B edits");
    let (merged_cleanly, out) = git(&b.clone.0, &["pull", "-q", "--no-edit", "origin", "main"]);
    let path = layout::postmortem_path(&b.library.load(&id).expect("stored"));
    let on_disk = std::fs::read_to_string(b.clone.0.join(&path)).expect("file");
    assert_eq!(merged_cleanly, !layout::has_conflict_markers(&on_disk), "{out}");
    // Both added an event at the end of the timeline: the same place in the file, which git
    // cannot merge by itself. Debrief's merge of the conflicted file is what is tested here.
    assert!(!merged_cleanly, "{out}");

    // B reads the pulled folder: git's merge, or Debrief's merge of the conflicted file.
    let scan = b.sync();
    if merged_cleanly || style == "diff3" {
        // With the common version (from git, or from git's diff3 markers) edits to different
        // parts never ask.
        assert!(!scan.needs_questions(), "{:?}", scan.preview.rows);
    }
    let after = std::fs::read_to_string(b.clone.0.join(&path)).expect("file");
    assert!(!layout::has_conflict_markers(&after), "Debrief never leaves the markers in");
    let both = b.library.load(&id).expect("stored");
    let texts: Vec<&str> = both.timeline.iter().map(|e| e.description.as_str()).collect();
    assert_eq!(both.summary, "A: the pool setting starved checkout.");
    assert_eq!(both.impact.description, "B: 12% of checkouts failed for 40 minutes.");
    // Without the common version (the default `merge` style) a hunk both sides touched is a
    // question whose default keeps both texts: nothing is lost either way.
    for wanted in [
        "A: alert fired for checkout errors",
        "B: resolved after the rollback",
        "A: added at the end",
        "B: added at the end",
    ] {
        assert!(texts.iter().any(|t| t.contains(wanted)), "{wanted} is kept: {texts:?}");
    }
    if !merged_cleanly {
        git_ok(&b.clone.0, &["add", "-A"]);
        git_ok(&b.clone.0, &["commit", "-q", "--no-edit"]);
    } else if !git_ok(&b.clone.0, &["status", "--porcelain"]).trim().is_empty() {
        b.commit_all("B: Debrief's merge");
    }
    git_ok(&b.clone.0, &["push", "-q", "origin", "HEAD:main"]);

    // A pulls: a fast-forward, and A's library takes it with nothing to ask.
    git_ok(&a.clone.0, &["pull", "-q", "--no-edit", "origin", "main"]);
    let scan = a.sync();
    assert!(!scan.needs_questions());
    let at_a = a.library.load(&id).expect("stored");
    assert!(debrief::domain::lineage::same_content(&at_a, &both), "both people now hold the same postmortem");
    assert!(git_ok(&a.clone.0, &["status", "--porcelain"]).trim().is_empty(), "nothing left to commit at A");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn both_edits_survive_git_with_the_default_conflict_style() {
    exchange_and_check("merge");
}

#[test]
fn both_edits_survive_git_with_diff3_conflict_style() {
    exchange_and_check("diff3");
}

#[test]
fn writing_the_same_content_again_leaves_the_clone_unchanged() {
    let (mut a, _b, id, root) = two_clones("stable", "diff3");
    // Saved again with nothing changed: a new save counter and time, the same file.
    edit(&mut a, &id, |_| {});
    a.team = TeamFolder::new();
    a.sync();
    assert!(git_ok(&a.clone.0, &["status", "--porcelain"]).trim().is_empty(), "no file changed");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn edits_to_separate_lines_merge_in_git_by_themselves_and_read_back() {
    let (mut a, mut b, id, root) = two_clones("clean", "merge");
    edit(&mut a, &id, |pm| pm.summary = "A: the summary".into());
    edit(&mut b, &id, |pm| pm.timeline[1].description = "B: the second event".into());
    a.sync();
    a.commit_all("A edits");
    git_ok(&a.clone.0, &["push", "-q", "origin", "HEAD:main"]);
    b.sync();
    b.commit_all("B edits");
    let (clean, out) = git(&b.clone.0, &["pull", "-q", "--no-edit", "origin", "main"]);
    assert!(clean, "git merges edits to different lines: {out}");
    let scan = b.sync();
    assert!(!scan.needs_questions());
    let both = b.library.load(&id).expect("stored");
    assert_eq!(
        (both.summary.as_str(), both.timeline[1].description.as_str()),
        ("A: the summary", "B: the second event")
    );
    assert!(
        git_ok(&b.clone.0, &["status", "--porcelain"]).trim().is_empty(),
        "git's merge is what Debrief would write"
    );
    let _ = std::fs::remove_dir_all(root);
}
