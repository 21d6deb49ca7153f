//! Two boards on one config: a change on disk is picked up (selection kept by name), and an
//! edit of a profile that another process changed or deleted meanwhile is refused, never
//! written over it. The last tests run the real worker on two `ProfileStore`s of one directory.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::KeyCode;
use tokio::sync::mpsc::UnboundedReceiver;

use lcsauth::broker::{Broker, NetSettings};
use lcsauth::paths::ConfigDir;
use lcsauth::profile::store::{ConfigError, ProfileStore};
use lcsauth::profile::{Flow, Profile};
use lcsauth::secret::memory::MemoryStore;

use super::fixtures::{app_with, board_snapshot, ch, key, now, profile, screen_text};
use crate::tui::app::edit::{Edit, EditError};
use crate::tui::app::msg::{Command, Msg, SaveJob};
use crate::tui::shell::clipboard_keeper::ClipboardKeeper;
use crate::tui::shell::worker::Worker;

#[test]
fn a_change_on_disk_reloads_once_more_if_a_reading_is_in_flight_and_keeps_the_selection() {
    let mut app = app_with(board_snapshot(), 100, 30);
    app.update(ch('j'), now());
    assert!(matches!(app.update(Msg::ProfilesChanged, now()), Some(Command::Load)));
    assert!(
        app.update(Msg::ProfilesChanged, now()).is_none(),
        "one reading at a time"
    );
    // The other board added a profile at the top and deleted northwind-dev.
    let mut snap = board_snapshot();
    snap.config.profiles.insert(0, profile("adventure-works"));
    snap.states.insert(0, lcsauth::broker::ProfileState::default());
    snap.config.profiles.pop();
    snap.states.pop();
    let again = app.update(Msg::Loaded(Ok(snap)), now());
    assert!(
        matches!(again, Some(Command::Load)),
        "the change seen during the reading is read too"
    );
    assert_eq!(app.roster.selected().unwrap().name().as_str(), "contoso-test");
    let shown = screen_text(&app, now());
    assert!(
        shown.contains("adventure-works") && !shown.contains("northwind-dev"),
        "{shown}"
    );
    assert!(app.update(Msg::Loaded(Ok(board_snapshot())), now()).is_none());
}

#[test]
fn an_open_edit_form_says_at_once_that_its_profile_changed_or_vanished_on_disk() {
    let mut app = app_with(board_snapshot(), 100, 30);
    app.update(ch('e'), now());
    assert!(app.form.as_ref().unwrap().conflict.is_none());
    let mut snap = board_snapshot();
    snap.config.profiles[0].username = Some("someone@contoso.onmicrosoft.com".into());
    app.update(Msg::Loaded(Ok(snap)), now());
    let conflict = app.form.as_ref().unwrap().conflict.clone().unwrap();
    assert!(conflict.contains("was changed in profiles.toml"), "{conflict}");
    assert!(screen_text(&app, now()).contains("saving is refused"));

    let mut snap = board_snapshot();
    snap.config.profiles.remove(0);
    snap.states.remove(0);
    app.update(Msg::Loaded(Ok(snap)), now());
    let conflict = app.form.as_ref().unwrap().conflict.clone().unwrap();
    assert!(conflict.contains("was deleted"), "{conflict}");

    // Saving anyway: the worker refuses, and the form shows its message.
    assert!(matches!(app.update(key(KeyCode::Enter), now()), Some(Command::Save(_))));
    app.update(
        Msg::Saved {
            result: Err(EditError::Config(ConfigError::Rejected("'contoso-prod' was deleted from profiles.toml (by another lcsauth or an editor) since you opened it; nothing was saved".into()))),
        },
        now(),
    );
    let form = app.form.as_ref().expect("the form stays open");
    assert!(form.save_error.as_ref().unwrap().contains("nothing was saved"));
}

/// Two boards' stores on one config directory, a worker on the first, and a profile "a".
struct TwoBoards {
    _dir: tempfile::TempDir,
    mine: ProfileStore,
    theirs: ProfileStore,
    worker: Worker,
    rx: UnboundedReceiver<Msg>,
    keeper: ClipboardKeeper,
}

impl TwoBoards {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mine = ProfileStore::new(ConfigDir::new(dir.path()));
        let theirs = ProfileStore::new(ConfigDir::new(dir.path()));
        mine.update(|c| c.add(profile("a"))).unwrap();
        let broker = Arc::new(Broker::new(
            ConfigDir::new(dir.path()),
            Arc::new(MemoryStore::new()),
            NetSettings::default(),
        ));
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let keeper = ClipboardKeeper::start(tx.clone()).unwrap();
        let worker = Worker::new(broker, mine.clone(), tx, keeper.handle());
        Self {
            _dir: dir,
            mine,
            theirs,
            worker,
            rx,
            keeper,
        }
    }

    /// The profile as this board loaded it (what its form opens with).
    fn loaded(&self) -> Profile {
        self.mine.load().unwrap().find("a").unwrap().clone()
    }

    /// Saves `edited` over `original` through the worker; returns what it answered.
    async fn save(&mut self, original: Profile, edited: Profile) -> Result<Edit, EditError> {
        self.worker.run(Command::Save(SaveJob {
            original: Some(original),
            profile: edited,
            password: None,
        }));
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(10), self.rx.recv()).await;
            if let Ok(Some(Msg::Saved { result, .. })) = msg {
                return result;
            }
            assert!(msg.is_ok(), "no answer from the worker");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_over_a_profile_another_board_changed_or_deleted_is_refused_and_theirs_is_kept() {
    let mut boards = TwoBoards::new();
    let opened = boards.loaded();
    // The other board changes the user of "a" while this board's form is open.
    boards
        .theirs
        .update(|c| {
            let mut p = c.find("a").unwrap().clone();
            p.username = Some("theirs@contoso.onmicrosoft.com".into());
            c.replace("a", p)
        })
        .unwrap();
    let mine = Profile {
        region: lcsauth::region::Region::Fr,
        ..opened.clone()
    };
    let err = boards.save(opened, mine.clone()).await.unwrap_err().to_string();
    assert!(err.contains("was changed in profiles.toml"), "{err}");
    let on_disk = boards.theirs.load().unwrap().find("a").unwrap().clone();
    assert_eq!(on_disk.username.as_deref(), Some("theirs@contoso.onmicrosoft.com"));
    assert_eq!(
        on_disk.region,
        opened_region(),
        "nothing of this board's edit was written"
    );

    // Opened again on the current version, the same edit goes through.
    let current = boards.loaded();
    let edited = Profile {
        region: lcsauth::region::Region::Fr,
        ..current.clone()
    };
    let ok = boards.save(current, edited).await.unwrap();
    assert!(
        matches!(&ok, Edit::Replaced { name, .. } if name.as_str() == "a"),
        "{ok:?}"
    );
    assert_eq!(
        boards.theirs.load().unwrap().find("a").unwrap().region,
        lcsauth::region::Region::Fr
    );

    // Deleted by the other board: refused, and not brought back.
    let opened = boards.loaded();
    boards.theirs.update(|c| c.remove("a").map(drop)).unwrap();
    let err = boards.save(opened.clone(), opened).await.unwrap_err().to_string();
    assert!(err.contains("was deleted"), "{err}");
    assert!(boards.theirs.load().unwrap().find("a").is_none());
    boards.keeper.finish(Duration::from_secs(1));
}

fn opened_region() -> lcsauth::region::Region {
    profile("a").region
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn i_refuses_to_switch_the_flow_of_a_profile_another_board_changed() {
    let mut boards = TwoBoards::new();
    let opened = boards.loaded();
    boards
        .theirs
        .update(|c| {
            let mut p = c.find("a").unwrap().clone();
            p.project_id = Some("42".parse().unwrap());
            c.replace("a", p)
        })
        .unwrap();
    boards.worker.run(Command::SwitchFlow {
        original: opened,
        flow: Flow::DeviceCode,
    });
    let msg = tokio::time::timeout(Duration::from_secs(10), boards.rx.recv())
        .await
        .unwrap();
    match msg {
        Some(Msg::FlowSwitched { result: Err(e), .. }) => assert!(e.to_string().contains("was changed"), "{e}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let on_disk = boards.theirs.load().unwrap().find("a").unwrap().clone();
    assert_eq!(on_disk.flow, Flow::Password);
    assert_eq!(on_disk.project_id.unwrap().as_str(), "42");

    let current = boards.loaded();
    boards.worker.run(Command::SwitchFlow {
        original: current,
        flow: Flow::DeviceCode,
    });
    let msg = tokio::time::timeout(Duration::from_secs(10), boards.rx.recv())
        .await
        .unwrap();
    assert!(matches!(msg, Some(Msg::FlowSwitched { result: Ok(p), .. }) if p.flow == Flow::DeviceCode));
    assert_eq!(boards.theirs.load().unwrap().find("a").unwrap().flow, Flow::DeviceCode);
    boards.keeper.finish(Duration::from_secs(1));
}
