//! Two browsers sharing one folder, with the folder changed from outside as `git pull`
//! changes it.

use super::*;
use crate::storage::MemoryStore;
use crate::storage::folder::{MemoryFolder, run_ready};
use chrono::{DateTime, Utc};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// One browser: its library and what it knows of the folder.
struct Browser {
    library: Library<MemoryStore>,
    team: TeamFolder,
}

impl Browser {
    fn new() -> Self {
        Self { library: Library::open(MemoryStore::new()).0, team: TeamFolder::new() }
    }

    /// Reads the folder, takes its changes with the default choices, writes back.
    fn sync(&mut self, folder: &MemoryFolder) -> (Scan, ImportReport, WriteBack) {
        let scan = run_ready(self.team.scan(folder, &self.library)).expect("ready").expect("scanned");
        let kept = scan.clone();
        let report = self.team.apply(&mut self.library, scan, Vec::new(), &BTreeMap::new()).expect("applied");
        let back = run_ready(self.team.write_back(folder, &mut self.library, None)).expect("ready").expect("written");
        (kept, report, back)
    }

    fn edit(&mut self, id: &PostmortemId, change: impl FnOnce(&mut Postmortem)) {
        let mut pm = self.library.load(id).expect("stored");
        change(&mut pm);
        self.library.save(&pm).expect("saved");
    }
}

fn path_of(pm: &Postmortem) -> String {
    layout::postmortem_path(pm)
}

#[test]
fn opening_a_folder_writes_the_library_into_it_and_a_second_browser_reads_it() {
    let folder = MemoryFolder::new();
    let mut a = Browser::new();
    let id = a.library.add_sample(now()).expect("added");
    let pm = a.library.load(&id).expect("stored");
    let (_, _, back) = a.sync(&folder);
    assert_eq!(back.written, 1);
    let mut paths = folder.paths();
    paths.sort();
    let json = path_of(&pm);
    let md = layout::markdown_path(&json);
    assert_eq!(paths, [".gitignore", "debrief-library.json", json.as_str(), md.as_str()]);
    assert!(folder.text(".gitignore").expect("written").contains("*.crswap"));
    assert!(folder.text(&md).expect("written").starts_with("# "));

    let mut b = Browser::new();
    let (scan, report, back) = b.sync(&folder);
    assert_eq!((scan.files, scan.read, report.added, back.written), (1, 1, 1, 0));
    assert!(same_content(&b.library.load(&id).expect("brought in"), &pm));

    // Nothing changed: nothing read, nothing written.
    let (scan, report, back) = b.sync(&folder);
    assert_eq!((scan.read, report.added + report.replaced + report.merged, back.written), (0, 0, 0));
}

#[test]
fn edits_to_different_fields_in_two_browsers_both_survive_a_pull() {
    let folder = MemoryFolder::new();
    let (mut a, mut b) = (Browser::new(), Browser::new());
    let id = a.library.add_sample(now()).expect("added");
    a.sync(&folder);
    b.sync(&folder);
    let path = path_of(&a.library.load(&id).expect("stored"));

    // Each edits a different field; A writes to its clone, then B's clone is pulled into
    // A's: the file now holds B's edit (git merged the lines), A still has its own.
    b.edit(&id, |pm| pm.impact.description = "B: 12% of checkouts failed".into());
    let b_folder = MemoryFolder::new();
    b_folder.put(&path, &folder.text(&path).expect("there"));
    b.team = TeamFolder::new();
    b.sync(&b_folder);
    a.edit(&id, |pm| pm.summary = "A: the pool setting starved checkout".into());
    folder.put(&path, &b_folder.text(&path).expect("B wrote it"));

    let (scan, report, back) = a.sync(&folder);
    assert!(!scan.needs_questions());
    assert_eq!((report.merged, back.written), (1, 1));
    let merged = a.library.load(&id).expect("stored");
    assert_eq!(merged.summary, "A: the pool setting starved checkout");
    assert_eq!(merged.impact.description, "B: 12% of checkouts failed");
    // The folder now holds both, and that is the version both are exchanged at.
    let read = crate::file_format::import::read_file("x", &folder.text(&path).expect("there")).expect("reads");
    assert!(same_content(&read.postmortems[0], &merged));
    assert_eq!(merged.lineage.map(|l| l.base), Some(content_hash(&read.postmortems[0])));
}

#[test]
fn a_change_made_only_in_the_folder_is_taken_and_one_made_only_here_is_written() {
    let folder = MemoryFolder::new();
    let (mut a, mut b) = (Browser::new(), Browser::new());
    let id = a.library.add_sample(now()).expect("added");
    a.sync(&folder);
    b.sync(&folder);
    b.edit(&id, |pm| pm.summary = "Changed by B".into());
    let (_, _, back) = b.sync(&folder);
    assert_eq!(back.written, 1);
    let (scan, report, back) = a.sync(&folder);
    assert_eq!((scan.read, report.replaced, back.written), (1, 1, 0));
    assert_eq!(a.library.load(&id).expect("stored").summary, "Changed by B");
}

#[test]
fn the_same_field_changed_on_both_sides_asks_and_loses_nothing_by_default() {
    let folder = MemoryFolder::new();
    let (mut a, mut b) = (Browser::new(), Browser::new());
    let id = a.library.add_sample(now()).expect("added");
    a.sync(&folder);
    b.sync(&folder);
    b.edit(&id, |pm| pm.summary = "B's summary".into());
    b.sync(&folder);
    a.edit(&id, |pm| pm.summary = "A's summary".into());
    let scan = run_ready(a.team.scan(&folder, &a.library)).expect("ready").expect("scanned");
    assert!(scan.needs_questions());
    let row = &scan.preview.rows[0];
    assert_eq!(row.status, import::ImportStatus::Merged);
    assert_eq!(row.merge.as_ref().map(|m| m.conflicts.len()), Some(1));
    a.team.apply(&mut a.library, scan, Vec::new(), &BTreeMap::new()).expect("applied");
    let summary = a.library.load(&id).expect("stored").summary;
    assert!(summary.contains("A's summary") && summary.contains("B's summary"), "{summary}");
}

#[test]
fn a_file_with_conflict_markers_is_merged_and_written_without_them() {
    let folder = MemoryFolder::new();
    let mut a = Browser::new();
    let id = a.library.add_sample(now()).expect("added");
    a.sync(&folder);
    let base = a.library.load(&id).expect("stored");
    let path = path_of(&base);
    let mut ours = base.clone();
    ours.summary = "Ours: the summary".into();
    a.edit(&id, |pm| pm.summary = ours.summary.clone());
    a.sync(&folder);
    let mut theirs = base.clone();
    theirs.timeline[0].description = "Theirs: an event".into();
    theirs.summary = base.summary.clone();
    // What git leaves with merge.conflictStyle diff3 when the lines are adjacent.
    let (b, o, t) = (
        layout::postmortem_text(&base).expect("written"),
        layout::postmortem_text(&ours).expect("written"),
        layout::postmortem_text(&theirs).expect("written"),
    );
    let mut conflicted = String::new();
    let (mut in_conflict, mut sides) = (false, (String::new(), String::new(), String::new()));
    for ((ol, tl), bl) in o.lines().zip(t.lines()).zip(b.lines()) {
        if ol == tl && ol == bl {
            if in_conflict {
                conflicted.push_str(&format!(
                    "<<<<<<< HEAD\n{}||||||| base\n{}=======\n{}>>>>>>> theirs\n",
                    sides.0, sides.2, sides.1
                ));
                sides = (String::new(), String::new(), String::new());
                in_conflict = false;
            }
            conflicted.push_str(&format!("{ol}\n"));
        } else {
            in_conflict = true;
            sides.0.push_str(&format!("{ol}\n"));
            sides.1.push_str(&format!("{tl}\n"));
            sides.2.push_str(&format!("{bl}\n"));
        }
    }
    folder.put(&path, &conflicted);

    let (scan, report, back) = a.sync(&folder);
    assert_eq!(scan.conflicted, 1);
    assert!(!scan.needs_questions(), "different lines of the file, different fields");
    assert_eq!((report.merged, back.written), (1, 1));
    let merged = a.library.load(&id).expect("stored");
    assert_eq!(merged.summary, "Ours: the summary");
    assert_eq!(merged.timeline[0].description, "Theirs: an event");
    let written = folder.text(&path).expect("there");
    assert!(!layout::has_conflict_markers(&written));
}

#[test]
fn a_file_that_cannot_be_read_is_reported_and_never_written_over() {
    let folder = MemoryFolder::new();
    let mut a = Browser::new();
    let id = a.library.add_sample(now()).expect("added");
    a.sync(&folder);
    let path = path_of(&a.library.load(&id).expect("stored"));
    folder.put(&path, "{ \"format\": \"debrief\", half a file");
    a.edit(&id, |pm| pm.summary = "Edited here".into());
    let (scan, _, back) = a.sync(&folder);
    assert_eq!(scan.problems().len(), 1, "{:?}", scan.problems());
    assert!(scan.problems()[0].starts_with(&path));
    assert_eq!((back.written, back.unreadable), (0, 1));
    assert_eq!(folder.text(&path).as_deref(), Some("{ \"format\": \"debrief\", half a file"));
    assert_eq!(a.library.load(&id).expect("kept").summary, "Edited here");
}

#[test]
fn a_file_changed_since_it_was_read_is_read_again_before_it_is_written() {
    let folder = MemoryFolder::new();
    let mut a = Browser::new();
    let id = a.library.add_sample(now()).expect("added");
    a.sync(&folder);
    let pm = a.library.load(&id).expect("stored");
    let path = path_of(&pm);
    let mut outside = pm.clone();
    outside.impact.description = "From a pull".into();
    folder.put(&path, &layout::postmortem_text(&outside).expect("written"));
    a.edit(&id, |pm| pm.summary = "Edited here".into());
    let back = run_ready(a.team.write_back(&folder, &mut a.library, None)).expect("ready").expect("written");
    assert_eq!((back.written, back.changed_outside), (0, 1));
    let (_, report, back) = a.sync(&folder);
    assert_eq!((report.merged, back.written), (1, 1));
    let merged = a.library.load(&id).expect("stored");
    assert_eq!((merged.summary.as_str(), merged.impact.description.as_str()), ("Edited here", "From a pull"));
}

#[test]
fn a_folder_from_a_newer_debrief_is_read_but_never_written() {
    let folder = MemoryFolder::new();
    folder.put(layout::LIBRARY_FILE, "{\"format\": \"debrief-library\", \"version\": 99}");
    let mut a = Browser::new();
    a.library.add_sample(now()).expect("added");
    let scan = run_ready(a.team.scan(&folder, &a.library)).expect("ready").expect("scanned");
    a.team.apply(&mut a.library, scan, Vec::new(), &BTreeMap::new()).expect("applied");
    let result = run_ready(a.team.write_back(&folder, &mut a.library, None)).expect("ready");
    assert_eq!(result, Err(SyncError::Newer(99)));
    assert_eq!(folder.paths(), [layout::LIBRARY_FILE]);
}

#[test]
fn custom_templates_travel_through_the_folder() {
    for watched in [false, true] {
        let folder = if watched { MemoryFolder::watched() } else { MemoryFolder::new() };
        let (mut a, mut b) = (Browser::new(), Browser::new());
        // B read the folder before the template was in it: a watched folder tells B of it.
        b.sync(&folder);
        let mut template = crate::domain::template::builtin::all().into_iter().next().expect("a built-in");
        template.id = crate::domain::template::TemplateId::random();
        template.name = "Team review".into();
        a.library.save_template(template.clone()).expect("saved");
        let (_, _, back) = a.sync(&folder);
        assert_eq!(back.templates, 1);
        b.sync(&folder);
        assert!(b.library.templates().expect("read").iter().any(|t| t.name == "Team review"), "watched: {watched}");
    }
}

#[test]
fn a_failed_write_is_an_error_and_the_next_sync_writes_it() {
    let folder = MemoryFolder::new();
    let mut a = Browser::new();
    a.library.add_sample(now()).expect("added");
    let scan = run_ready(a.team.scan(&folder, &a.library)).expect("ready").expect("scanned");
    a.team.apply(&mut a.library, scan, Vec::new(), &BTreeMap::new()).expect("applied");
    folder.fail_writes(true);
    let result = run_ready(a.team.write_back(&folder, &mut a.library, None)).expect("ready");
    assert!(matches!(result, Err(SyncError::Folder(FolderError::WriteFailed(_)))), "{result:?}");
    folder.fail_writes(false);
    let (_, _, back) = a.sync(&folder);
    assert_eq!(back.written, 1);
}

#[test]
fn a_read_only_folder_opened_again_keeps_the_edits_made_here() {
    let folder = MemoryFolder::new();
    let mut writer = Browser::new();
    let id = writer.library.add_sample(now()).expect("added");
    writer.sync(&folder);
    // Opened read-only (its writes stay in the page), edited, closed without handing back.
    let mut reader = Browser::new();
    reader.team = TeamFolder::read_only();
    let in_page = MemoryFolder::new();
    for path in folder.paths() {
        in_page.put(&path, &folder.text(&path).expect("there"));
    }
    reader.sync(&in_page);
    reader.edit(&id, |pm| pm.summary = "Edited while read-only".into());
    let (_, _, back) = reader.sync(&in_page);
    assert_eq!(back.written, 1);
    // Opened again from the real folder, which still holds the version first read.
    reader.team = TeamFolder::read_only();
    let again = MemoryFolder::new();
    for path in folder.paths() {
        again.put(&path, &folder.text(&path).expect("there"));
    }
    let (scan, report, back) = reader.sync(&again);
    assert_eq!(scan.preview.rows[0].status, import::ImportStatus::MineChanged);
    assert_eq!((report.replaced, back.written), (0, 1));
    assert_eq!(reader.library.load(&id).expect("kept").summary, "Edited while read-only");
}

#[test]
fn a_file_exchange_between_two_reads_makes_the_next_read_ask_instead_of_taking() {
    let folder = MemoryFolder::new();
    let mut a = Browser::new();
    let id = a.library.add_sample(now()).expect("added");
    a.sync(&folder);
    let pm = a.library.load(&id).expect("stored");
    let path = path_of(&pm);
    // A sync tool changes the file; before it is read, A edits and sends the postmortem as
    // a file (which moves the version last exchanged to A's).
    let mut outside = pm.clone();
    outside.summary = "Changed by the sync tool".into();
    folder.put(&path, &layout::postmortem_text(&outside).expect("written"));
    a.edit(&id, |pm| pm.summary = "Edited here, then sent".into());
    let sent = crate::app::backup::export(&a.library, &[id], now()).expect("made");
    crate::app::backup::record_sent(&mut a.library, &sent.sent).expect("recorded");
    let scan = run_ready(a.team.scan(&folder, &a.library)).expect("ready").expect("scanned");
    assert!(scan.needs_questions(), "no common version is known: asked, never taken silently");
    a.team.apply(&mut a.library, scan, Vec::new(), &BTreeMap::new()).expect("applied");
    let summary = a.library.load(&id).expect("stored").summary;
    assert!(summary.contains("Edited here, then sent") && summary.contains("Changed by the sync tool"), "{summary}");
}

/// The folder in `a`'s library after a first sync into a watched folder, with `b` a
/// second browser that read it too.
fn watched_pair() -> (MemoryFolder, Browser, Browser, PostmortemId) {
    let folder = MemoryFolder::watched();
    let mut a = Browser::new();
    let id = a.library.add_sample(now()).expect("added");
    a.library.add_sample(now()).expect("added");
    a.sync(&folder);
    let mut b = Browser::new();
    let (scan, report, back) = b.sync(&folder);
    assert_eq!((scan.files, report.added, back.written), (2, 2, 0));
    // Brought in as the folder holds them: exchanged at that version.
    let here = b.library.load(&id).expect("stored");
    assert_eq!(b.library.exchanged_version(&id).expect("read").map(|v| content_hash(&v)), Some(content_hash(&here)));
    (folder, a, b, id)
}

#[test]
fn a_watched_folder_is_not_listed_again_and_only_the_changed_file_is_read() {
    let (folder, mut a, mut b, id) = watched_pair();
    a.edit(&id, |pm| pm.summary = "Changed in A".into());
    a.sync(&folder);
    let listed = folder.listings();
    let (scan, report, back) = b.sync(&folder);
    assert_eq!((scan.files, scan.read, report.replaced, back.written), (2, 1, 1, 0));
    assert!(!scan.listed);
    assert_eq!(folder.listings(), listed, "nothing is listed: the folder said what changed");
    assert_eq!(b.library.load(&id).expect("stored").summary, "Changed in A");
    // Its own writes are not read again as changes.
    b.edit(&id, |pm| pm.title = "Changed in B".into());
    let (_, _, back) = b.sync(&folder);
    assert_eq!(back.written, 1);
    let (scan, report, back) = b.sync(&folder);
    assert_eq!((scan.read, report.replaced + report.merged, back.written), (0, 0, 0));
}

#[test]
fn a_watch_that_lost_track_lists_everything_and_misses_nothing() {
    let (folder, mut a, mut b, id) = watched_pair();
    a.edit(&id, |pm| pm.summary = "Changed where the watch did not see".into());
    let pm = a.library.load(&id).expect("stored");
    folder.put_unseen(&path_of(&pm), &layout::postmortem_text(&pm).expect("text"));
    let listed = folder.listings();
    let (scan, report, _) = b.sync(&folder);
    assert!(scan.listed && folder.listings() >= listed + 2, "the postmortems are listed");
    assert_eq!((scan.read, report.replaced), (1, 1));
    assert_eq!(b.library.load(&id).expect("stored").summary, "Changed where the watch did not see");
}

#[test]
fn a_read_thrown_away_before_it_was_taken_is_read_again() {
    let (folder, mut a, mut b, id) = watched_pair();
    a.edit(&id, |pm| pm.summary = "Changed in A".into());
    a.sync(&folder);
    // A read whose result is dropped (a failed write to this browser's storage, say).
    let mut copy = b.team.clone();
    let scan = run_ready(copy.scan(&folder, &b.library)).expect("ready").expect("scanned");
    assert_eq!(scan.read, 1);
    drop((copy, scan));
    let (scan, report, _) = b.sync(&folder);
    assert_eq!((scan.read, report.replaced), (1, 1));
}

#[test]
fn a_file_removed_from_the_folder_is_no_longer_counted_whether_watched_or_listed() {
    for watched in [true, false] {
        let folder = if watched { MemoryFolder::watched() } else { MemoryFolder::new() };
        let mut a = Browser::new();
        let id = a.library.add_sample(now()).expect("added");
        a.library.add_sample(now()).expect("added");
        a.sync(&folder);
        assert_eq!(a.team.files(), 2);
        let pm = a.library.load(&id).expect("stored");
        folder.remove(&path_of(&pm));
        let (scan, _, _) = a.sync(&folder);
        assert_eq!(scan.files, 1, "watched: {watched}");
        // The postmortem stays here, and is not written back (it did not change here).
        assert!(a.library.load(&id).is_ok());
        assert_eq!(folder.text(&path_of(&pm)), None, "watched: {watched}");
    }
}

#[test]
fn a_watched_folder_updated_by_a_newer_debrief_stops_writing_at_the_next_read() {
    let (folder, mut a, _, id) = watched_pair();
    folder.put(layout::LIBRARY_FILE, "{\"format\": \"debrief-library\", \"version\": 99}");
    a.edit(&id, |pm| pm.summary = "Edited after the update".into());
    let scan = run_ready(a.team.scan(&folder, &a.library)).expect("ready").expect("scanned");
    a.team.apply(&mut a.library, scan, Vec::new(), &BTreeMap::new()).expect("applied");
    let result = run_ready(a.team.write_back(&folder, &mut a.library, None)).expect("ready");
    assert_eq!(result, Err(SyncError::Newer(99)));
}

#[test]
fn a_write_of_named_changes_compares_only_those_and_a_full_one_catches_the_rest() {
    let folder = MemoryFolder::new();
    let mut a = Browser::new();
    let first = a.library.add_sample(now()).expect("added");
    let second = a.library.add_sample(now()).expect("added");
    a.sync(&folder);
    a.edit(&first, |pm| pm.summary = "First changed".into());
    a.edit(&second, |pm| pm.summary = "Second changed".into());
    // Told only of the first: only it is written.
    let only = BTreeSet::from([first]);
    let back = run_ready(a.team.write_back(&folder, &mut a.library, Some(&only))).expect("ready").expect("written");
    assert_eq!(back.written, 1);
    let second_file = path_of(&a.library.load(&second).expect("stored"));
    assert!(!folder.text(&second_file).expect("there").contains("Second changed"));
    // A full write finds the other.
    let back = run_ready(a.team.write_back(&folder, &mut a.library, None)).expect("ready").expect("written");
    assert_eq!(back.written, 1);
    assert!(folder.text(&second_file).expect("there").contains("Second changed"));
}

#[test]
fn a_later_visit_reads_only_the_files_changed_since_and_rereads_what_the_library_lost() {
    let (folder, mut a, mut b, id) = watched_pair();
    let memory = b.team.memory();
    // Meanwhile, A changes one postmortem.
    a.edit(&id, |pm| pm.summary = "Changed between visits".into());
    a.sync(&folder);
    // B's next visit: only that file is read.
    b.team = TeamFolder::recall(&memory, &b.library);
    let (scan, report, back) = b.sync(&folder);
    assert_eq!((scan.files, scan.read, report.replaced, back.written), (2, 1, 1, 0));
    assert_eq!(b.library.load(&id).expect("stored").summary, "Changed between visits");

    // A library cleared since: every file is read again and brought back.
    let memory = b.team.memory();
    let mut cleared = Browser::new();
    cleared.team = TeamFolder::recall(&memory, &cleared.library);
    let (scan, report, _) = cleared.sync(&folder);
    assert_eq!((scan.read, report.added), (2, 2));

    // Memory that cannot be read, or of another form, is not used.
    for bad in ["", "{", "{\"version\": 99, \"seen\": [], \"templates\": [], \"written\": []}"] {
        let mut fresh = Browser::new();
        fresh.library = Library::open(MemoryStore::new()).0;
        fresh.team = TeamFolder::recall(bad, &fresh.library);
        let (scan, _, _) = fresh.sync(&folder);
        assert_eq!(scan.read, 2, "{bad}");
    }
    assert_eq!(TeamFolder::read_only().memory(), "");
}

#[test]
fn an_older_copy_brought_back_while_away_never_overwrites_the_folders_newer_file() {
    let (folder, mut a, mut b, id) = watched_pair();
    let older = b.library.load(&id).expect("stored");
    a.edit(&id, |pm| pm.summary = "The teammate's newer text".into());
    a.sync(&folder);
    b.sync(&folder);
    let memory = b.team.memory();
    let path = path_of(&older);
    // Away from the folder, the postmortem is deleted here and an older copy brought back.
    b.library.trash(&id, now()).expect("trashed");
    b.library.purge(&id).expect("purged");
    b.library.save(&Postmortem { revision: 0, lineage: None, ..older }).expect("saved");
    // The next visit does not write the older copy over the newer file…
    b.team = TeamFolder::recall(&memory, &b.library);
    let (_, _, back) = b.sync(&folder);
    assert_eq!((back.written, back.changed_outside), (0, 1));
    assert!(folder.text(&path).expect("there").contains("The teammate's newer text"));
    // …and the read after it compares the two, keeping both sides' text by default.
    let scan = run_ready(b.team.scan(&folder, &b.library)).expect("ready").expect("scanned");
    assert_eq!(scan.read, 1);
    assert!(scan.needs_questions() || scan.preview.rows.iter().all(|r| r.default_choice() != ImportChoice::Skip));
    assert!(folder.text(&path).expect("there").contains("The teammate's newer text"));
}
