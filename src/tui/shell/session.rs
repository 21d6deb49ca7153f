//! A board session from start to end: read the files before the screen is taken over, start
//! the watchers, the clipboard thread and the worker, run the loop, restore the terminal.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use lcsauth::broker::Broker;
use lcsauth::profile::store::ProfileStore;

use super::clipboard_keeper::ClipboardKeeper;
use super::worker::{Worker, load};
use super::{event_loop, terminal, watch};
use crate::front::failure::{Exit, Failure};
use crate::front::{Ctx, runtime};
use crate::tui::app::msg::Msg;
use crate::tui::app::state::App;
use crate::tui::view::theme::Theme;

/// How long quitting waits for the clipboard thread to hand a copied token over.
const HANDOVER_WAIT: Duration = Duration::from_millis(1500);

/// What a board session runs on.
pub struct Session {
    pub broker: Arc<Broker>,
    pub store: ProfileStore,
    /// A line for the title bar (the demo names its simulator).
    pub banner: Option<String>,
    /// The host new profiles start with (the demo's simulator).
    pub new_profile_host: Option<String>,
}

/// `lcsauth` without a command: the board on the user's profiles and keyring.
pub fn run() -> Result<(), Failure> {
    let ctx = Ctx::from_env()?;
    // A broken profiles.toml is reported before the screen is taken over.
    let config = ctx.profiles.load()?;
    let broker = Arc::new(ctx.broker(&config.settings)?);
    let session = Session {
        broker,
        store: ctx.profiles.clone(),
        banner: None,
        new_profile_host: None,
    };
    let rt = runtime()?;
    let result = rt.block_on(board(session));
    // A request still in flight (a hanging network, a lock held by another process) must not
    // keep the program from ending: it is abandoned, its tokens were not changed.
    rt.shutdown_background();
    result
}

/// Runs the board until the user quits.
pub async fn board(session: Session) -> Result<(), Failure> {
    let Session {
        broker,
        store,
        banner,
        new_profile_host,
    } = session;
    let states = broker.states().clone();
    let (store2, states2) = (store.clone(), states.clone());
    let profiles_file = store.dir().profiles_file();
    let state_dir = store.dir().state_dir();
    let (file, dir) = (profiles_file.clone(), state_dir.clone());
    // The stamps are taken before the reading, so a change in between is noticed.
    let (seen, snapshot) = tokio::task::spawn_blocking(move || (watch::stamps(&file, &dir), load(&store2, &states2)))
        .await
        .map_err(|e| Failure::new(Exit::Failure, e.to_string()))?;
    let snapshot = snapshot.map_err(|e| Failure::new(Exit::Config, e.to_string()))?;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    watch::spawn(profiles_file, state_dir, seen, tx.clone());
    let keeper = ClipboardKeeper::start(tx.clone())?;
    let worker = Worker::new(broker, store, tx.clone(), keeper.handle());
    terminal::watch_signals(tx)?;
    // Asked before the screen is taken over, so no error path leaves the terminal in raw mode.
    let (width, height) = crossterm::terminal::size()?;
    let mut terminal = terminal::init()?;
    let mut app = App::new(Theme::from_env(), TimeZone::system(), (width, height));
    app.banner = banner;
    app.new_profile_host = new_profile_host;
    app.interactive_flow = crate::front::session::suggested_flow();
    app.no_browser = crate::front::session::no_browser_reason();
    app.update(Msg::Loaded(Ok(snapshot)), Timestamp::now());
    let result = event_loop::run_loop(&mut terminal, &mut app, &worker, rx).await;
    terminal::restore();
    keeper.finish(HANDOVER_WAIT);
    result.map_err(|e| Failure::new(Exit::Failure, format!("the terminal failed: {e}")))
}
