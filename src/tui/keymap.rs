//! The keymap: which key does what, layer by layer. `Layer::ALL` is the one order of the
//! layers, topmost first: the key handlers route a key to the top open layer and look its action
//! up in that layer's table, and the hint line and the help overlay are printed from the same
//! rows, so help never drifts from behaviour.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key means on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Make the selected profile the default.
    MakeDefault,
    /// Copy a fresh token.
    Copy,
    /// Get a fresh token now.
    Refresh,
    /// Switch a password profile that Entra refused for MFA to an interactive flow, then sign in.
    SwitchFlow,
    /// One read-only LCS call with a fresh token.
    Probe,
    Add,
    Edit,
    Delete,
    Filter,
    /// Back to the previous default profile.
    Previous,
    /// Show or hide the selected profile's access token.
    Reveal,
    /// Choose the identity's next audience for `c`, `r` and the detail pane.
    NextAudience,
    /// Scroll the detail pane.
    DetailDown,
    DetailUp,
    Help,
    /// Clear the filter, or quit when there is none.
    Back,
    Quit,
}

/// What a key means in the profile form (text fields take printable keys first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormAction {
    Next,
    Prev,
    /// Open the list of a choice field, or flip a toggle.
    Open,
    ChoiceNext,
    ChoicePrev,
    Save,
    Cancel,
}

/// What a key means in a list picker or a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListAction {
    Up,
    Down,
    Choose,
    Close,
}

/// A key: code plus the modifiers that must be held (Shift is ignored for characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn plain(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    plain(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// One row of a keymap table.
#[derive(Debug)]
pub struct Binding<A: 'static> {
    /// The keys of the row; none means any key.
    pub keys: &'static [Key],
    /// The keys as the help overlay prints them.
    pub label: &'static str,
    pub action: A,
    pub help: &'static str,
    /// `(keys, word)` for the hint line, when the row earns a place there.
    pub hint: Option<(&'static str, &'static str)>,
}

macro_rules! bind {
    ($keys:expr, $label:literal, $action:expr, $help:literal) => {
        Binding {
            keys: $keys,
            label: $label,
            action: $action,
            help: $help,
            hint: None,
        }
    };
    ($keys:expr, $label:literal, $action:expr, $help:literal, $hk:literal, $hw:literal) => {
        Binding {
            keys: $keys,
            label: $label,
            action: $action,
            help: $help,
            hint: Some(($hk, $hw)),
        }
    };
}

use KeyCode::{BackTab, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

/// The board. Order is the order of the help overlay and of the hint line.
#[rustfmt::skip]
pub const BOARD: &[Binding<Action>] = &[
    bind!(&[plain(Up), ch('k')], "↑ k", Action::Up, "move up", "↑↓", "move"),
    bind!(&[plain(Down), ch('j')], "↓ j", Action::Down, "move down"),
    bind!(&[plain(Enter)], "Enter", Action::MakeDefault, "make it the default", "⏎", "default"),
    bind!(&[ch('c')], "c", Action::Copy, "copy a fresh token", "c", "copy"),
    bind!(&[ch('r')], "r", Action::Refresh, "get a fresh token now", "r", "refresh"),
    bind!(&[ch('i')], "i", Action::SwitchFlow, "switch to interactive sign-in", "i", "interactive"),
    bind!(&[ch('p')], "p", Action::Probe, "probe LCS with the token", "p", "probe"),
    bind!(&[ch('a')], "a", Action::Add, "add a profile", "a", "add"),
    bind!(&[ch('e')], "e", Action::Edit, "edit the profile", "e", "edit"),
    bind!(&[ch('d')], "d", Action::Delete, "delete it (asks first)", "d", "delete"),
    bind!(&[ch('/')], "/", Action::Filter, "filter as you type", "/", "filter"),
    bind!(&[ch('-')], "-", Action::Previous, "back to the previous default", "-", "back"),
    bind!(&[ch('v')], "v", Action::Reveal, "show or hide the token"),
    bind!(&[plain(Tab)], "Tab", Action::NextAudience, "next audience (for c and r)"),
    bind!(&[plain(PageDown), ch(' ')], "PgDn Spc", Action::DetailDown, "scroll the detail down"),
    bind!(&[plain(PageUp)], "PgUp", Action::DetailUp, "scroll the detail up"),
    bind!(&[plain(Home), ch('g')], "Home g", Action::Top, "first profile"),
    bind!(&[plain(End), ch('G')], "End G", Action::Bottom, "last profile"),
    bind!(&[ctrl('d')], "Ctrl-d", Action::PageDown, "half a page down"),
    bind!(&[ctrl('u')], "Ctrl-u", Action::PageUp, "half a page up"),
    bind!(&[ch('?')], "?", Action::Help, "this help", "?", "help"),
    bind!(&[plain(Esc)], "Esc", Action::Back, "clear the filter, or quit"),
    bind!(&[ch('q'), ctrl('c')], "q", Action::Quit, "quit", "q", "quit"),
];

/// The profile form.
#[rustfmt::skip]
pub const FORM: &[Binding<FormAction>] = &[
    bind!(&[plain(Tab), plain(Down)], "Tab ↓", FormAction::Next, "next field", "Tab", "next"),
    bind!(&[plain(BackTab), plain(Up)], "⇧Tab ↑", FormAction::Prev, "previous field"),
    bind!(&[ch(' ')], "Space", FormAction::Open, "open a list, flip a switch", "Space", "choose"),
    bind!(&[plain(Right)], "→", FormAction::ChoiceNext, "next choice"),
    bind!(&[plain(Left)], "←", FormAction::ChoicePrev, "previous choice"),
    bind!(&[plain(Enter), ctrl('s')], "Enter", FormAction::Save, "save; sign in if typed", "⏎", "save"),
    bind!(&[plain(Esc)], "Esc", FormAction::Cancel, "close without saving", "Esc", "cancel"),
];

/// A list opened from the form (region, flow).
#[rustfmt::skip]
pub const LIST: &[Binding<ListAction>] = &[
    bind!(&[plain(Up), ch('k')], "↑ k", ListAction::Up, "previous entry", "↑↓", "move"),
    bind!(&[plain(Down), ch('j')], "↓ j", ListAction::Down, "next entry"),
    bind!(&[plain(Enter), ch(' ')], "Enter", ListAction::Choose, "take the entry", "⏎", "choose"),
    bind!(&[plain(Esc)], "Esc", ListAction::Close, "close the list", "Esc", "close"),
];

/// The filter line.
#[rustfmt::skip]
pub const FILTER: &[Binding<ListAction>] = &[
    bind!(&[plain(Enter)], "Enter", ListAction::Choose, "keep the filter", "⏎", "keep"),
    bind!(&[plain(Esc)], "Esc", ListAction::Close, "clear the filter", "Esc", "clear"),
];

/// A yes/no question (delete).
#[rustfmt::skip]
pub const CONFIRM: &[Binding<ListAction>] = &[
    bind!(&[ch('y')], "y", ListAction::Choose, "yes", "y", "yes"),
    bind!(&[ch('n'), plain(Esc)], "n Esc", ListAction::Close, "no", "n", "no"),
];

/// The password prompt of a sign-in.
#[rustfmt::skip]
pub const SIGN_IN: &[Binding<ListAction>] = &[
    bind!(&[plain(Enter)], "Enter", ListAction::Choose, "sign in with the typed password", "⏎", "sign in"),
    bind!(&[plain(Esc)], "Esc", ListAction::Close, "cancel", "Esc", "cancel"),
];

/// The dialog of an interactive sign-in (device code or browser) while it waits.
#[rustfmt::skip]
pub const SIGN_IN_WAIT: &[Binding<ListAction>] = &[
    bind!(&[plain(Esc), ch('q'), ctrl('c')], "Esc", ListAction::Close, "cancel the sign-in", "Esc", "cancel the sign-in"),
];

/// The help overlay: any key closes it.
#[rustfmt::skip]
pub const HELP: &[Binding<ListAction>] = &[
    bind!(&[], "any key", ListAction::Close, "close this help", "any key", "close"),
];

/// The action a key press has in `table`, if any. Releases are ignored.
pub fn lookup<A: Copy>(table: &[Binding<A>], key: &KeyEvent) -> Option<A> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    // Shift is part of the character itself ('G', '?') and of BackTab, so it is not compared there.
    let mods = match key.code {
        KeyCode::Char(_) | KeyCode::BackTab => key.modifiers - KeyModifiers::SHIFT,
        _ => key.modifiers,
    };
    table
        .iter()
        .find(|b| b.keys.is_empty() || b.keys.iter().any(|k| k.code == key.code && k.mods == mods))
        .map(|b| b.action)
}

/// The hint-line entries of a table: `(keys, word)`.
pub fn hints<A>(table: &[Binding<A>]) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    table.iter().filter_map(|b| b.hint)
}

/// A part of the screen that takes keys while it is open. The topmost open layer takes every
/// key press; the layers under it see none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// The `?` overlay.
    Help,
    /// The dialog of an interactive sign-in (device code or browser) while it waits.
    SignInWait,
    /// The yes/no question before a delete.
    Confirm,
    /// The password prompt of a sign-in.
    Password,
    /// A list opened from the form (region, flow).
    Picker,
    /// The add/edit form.
    Form,
    /// The filter line while `/` is being typed.
    Filter,
    /// The board itself, always open under the others.
    Board,
}

impl Layer {
    /// Every layer, topmost first: a key goes to the first one that is open.
    pub const ALL: [Self; 8] = [
        Self::Help,
        Self::SignInWait,
        Self::Confirm,
        Self::Password,
        Self::Picker,
        Self::Form,
        Self::Filter,
        Self::Board,
    ];

    /// The layer's name in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Self::Help => "Help",
            Self::SignInWait => "Sign-in",
            Self::Confirm => "Delete?",
            Self::Password => "Password",
            Self::Picker => "Lists",
            Self::Form => "Add and edit form",
            Self::Filter => "Filter",
            Self::Board => "Board",
        }
    }

    /// The table the layer's keys are looked up in.
    pub fn keys(self) -> Keys {
        match self {
            Self::Help => Keys::List(HELP),
            Self::SignInWait => Keys::List(SIGN_IN_WAIT),
            Self::Confirm => Keys::List(CONFIRM),
            Self::Password => Keys::List(SIGN_IN),
            Self::Picker => Keys::List(LIST),
            Self::Form => Keys::Form(FORM),
            Self::Filter => Keys::List(FILTER),
            Self::Board => Keys::Board(BOARD),
        }
    }
}

/// A layer's table, whatever its actions are.
#[derive(Clone, Copy, Debug)]
pub enum Keys {
    Board(&'static [Binding<Action>]),
    Form(&'static [Binding<FormAction>]),
    List(&'static [Binding<ListAction>]),
}

/// What the help overlay prints of a row: its keys and what they do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub label: &'static str,
    pub help: &'static str,
}

impl Keys {
    /// The rows of the table, in order.
    pub fn rows(self) -> Vec<Row> {
        fn of<A>(table: &'static [Binding<A>]) -> Vec<Row> {
            table
                .iter()
                .map(|b| Row {
                    label: b.label,
                    help: b.help,
                })
                .collect()
        }
        match self {
            Self::Board(t) => of(t),
            Self::Form(t) => of(t),
            Self::List(t) => of(t),
        }
    }

    /// The hint-line entries of the table: `(keys, word)`.
    pub fn hints(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Self::Board(t) => hints(t).collect(),
            Self::Form(t) => hints(t).collect(),
            Self::List(t) => hints(t).collect(),
        }
    }
}
