//! The profiles on the board: each with its token metadata, what is in flight for it and when
//! it refreshes next; plus the filter, the cursor and the scroll position.

use std::time::Duration;

use jiff::Timestamp;

use lcsauth::audience::Audience;
use lcsauth::broker::ProfileState;
use lcsauth::profile::store::Config;
use lcsauth::profile::{Profile, ProfileName, Settings};
use lcsauth::token::TokenState;

use crate::tui::app::msg::{Purpose, Snapshot};
use crate::tui::autorefresh;
use crate::tui::probe::state::ProbeView;

/// A request in flight for a profile (there is never more than one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy {
    pub purpose: Purpose,
    /// `c` was pressed while this request was running: copy once it ends.
    pub copy_after: bool,
}

/// One profile and what the board knows about its tokens.
#[derive(Debug)]
pub struct Entry {
    pub profile: Profile,
    pub state: ProfileState,
    pub busy: Option<Busy>,
    /// When the background refresh is due; `None` when there is nothing to refresh with.
    pub auto_at: Option<Timestamp>,
    /// Background failures in a row (they space out the next attempts).
    pub auto_failures: u32,
    /// The audience the background refresh at `auto_at` is for.
    pub auto_audience: Audience,
    /// The LCS probe (`p`) in flight or its last verdict.
    pub probe: Option<ProbeView>,
    /// Lower-cased name, tenant, user and region, for the filter.
    haystack: String,
}

impl Entry {
    pub fn new(profile: Profile, state: ProfileState, min_valid: Duration) -> Self {
        let haystack = format!(
            "{}\n{}\n{}\n{}",
            profile.name,
            profile.tenant,
            profile.username.as_deref().unwrap_or_default(),
            profile.region.key()
        )
        .to_lowercase();
        let (auto_at, auto_audience) = autorefresh::plan(&profile, &state, min_valid);
        Self {
            profile,
            state,
            busy: None,
            auto_at,
            auto_failures: 0,
            auto_audience,
            probe: None,
            haystack,
        }
    }

    pub fn name(&self) -> &ProfileName {
        &self.profile.name
    }

    pub fn expires_at(&self) -> Option<Timestamp> {
        self.state.token.as_ref().map(|t| t.expires_at)
    }

    /// The token state at `now`, as `status` computes it.
    pub fn token_state(&self, now: Timestamp, min_valid: Duration) -> TokenState {
        lcsauth::broker::freshness::state(
            self.state.token.as_ref(),
            now,
            min_valid,
            self.state.last_error.is_some(),
        )
    }

    /// Takes new metadata; a new token restarts the background plan.
    pub fn set_state(&mut self, state: ProfileState, min_valid: Duration) {
        let new_token = state.token.as_ref().map(|t| t.obtained_at) != self.state.token.as_ref().map(|t| t.obtained_at);
        self.state = state;
        if new_token || self.auto_failures == 0 {
            self.auto_failures = 0;
            (self.auto_at, self.auto_audience) = autorefresh::plan(&self.profile, &self.state, min_valid);
        }
    }

    /// The identity's audiences: `lcs`, the configured ones, those its state knows.
    pub fn audiences(&self) -> Vec<Audience> {
        lcsauth::broker::audiences_of(&self.profile, &self.state)
    }

    fn matches(&self, words: &[String]) -> bool {
        words.iter().all(|w| self.haystack.contains(w.as_str()))
    }
}

/// The board's list.
#[derive(Debug, Default)]
pub struct Roster {
    entries: Vec<Entry>,
    pub default: Option<ProfileName>,
    pub settings: Settings,
    filter: String,
    /// Indices into `entries` that pass the filter, in file order.
    visible: Vec<usize>,
    /// Position in `visible`.
    cursor: usize,
    /// First position of `visible` on screen.
    offset: usize,
}

impl Roster {
    /// Takes a fresh reading of the files, keeping what is in flight and the cursor's profile.
    pub fn replace(&mut self, snapshot: Snapshot, rows: usize) {
        let Snapshot { config, states } = snapshot;
        let Config {
            default_profile,
            settings,
            profiles,
            ..
        } = config;
        let min_valid = settings.min_valid;
        let selected = self.selected().map(|e| e.name().clone());
        let mut old: Vec<Entry> = std::mem::take(&mut self.entries);
        let mut states = states.into_iter();
        for profile in profiles {
            let state = states.next().unwrap_or_default();
            let entry = match old.iter().position(|e| e.profile.name == profile.name) {
                Some(i) => {
                    let mut e = old.swap_remove(i);
                    if e.profile == profile {
                        e.set_state(state, min_valid);
                        e
                    } else {
                        let mut fresh = Entry::new(profile, state, min_valid);
                        fresh.busy = e.busy.take();
                        fresh.probe = e.probe.take();
                        fresh
                    }
                }
                None => Entry::new(profile, state, min_valid),
            };
            self.entries.push(entry);
        }
        self.default = default_profile;
        self.settings = settings;
        self.refilter(selected.as_ref().map(ProfileName::as_str), rows);
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name().as_str() == name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.name().as_str() == name)
    }

    /// Entries in file order, for the background planner.
    pub fn entries_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        self.entries.iter_mut()
    }

    pub fn is_default(&self, e: &Entry) -> bool {
        self.default.as_ref() == Some(e.name())
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    pub fn set_filter(&mut self, text: &str, rows: usize) {
        self.filter = text.to_string();
        let selected = self.selected().map(|e| e.name().clone());
        self.refilter(selected.as_ref().map(ProfileName::as_str), rows);
    }

    fn refilter(&mut self, keep: Option<&str>, rows: usize) {
        let words: Vec<String> = self.filter.split_whitespace().map(str::to_lowercase).collect();
        self.visible = (0..self.entries.len())
            .filter(|&i| self.entries[i].matches(&words))
            .collect();
        self.cursor = keep
            .and_then(|name| {
                self.visible
                    .iter()
                    .position(|&i| self.entries[i].name().as_str() == name)
            })
            .unwrap_or(0);
        self.scroll_into_view(rows);
    }

    /// How many profiles pass the filter.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn selected(&self) -> Option<&Entry> {
        self.visible.get(self.cursor).map(|&i| &self.entries[i])
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The visible entries from position `start`, at most `rows` of them.
    pub fn window(&self, start: usize, rows: usize) -> impl Iterator<Item = &Entry> {
        self.visible.iter().skip(start).take(rows).map(|&i| &self.entries[i])
    }

    /// Moves the cursor by `delta` rows, stopping at the ends.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        let last = self.visible.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.scroll_into_view(rows);
    }

    /// Puts the cursor on `name` if it is visible.
    pub fn select(&mut self, name: &str, rows: usize) -> bool {
        match self
            .visible
            .iter()
            .position(|&i| self.entries[i].name().as_str() == name)
        {
            Some(pos) => {
                self.cursor = pos;
                self.scroll_into_view(rows);
                true
            }
            None => false,
        }
    }

    /// Keeps the cursor's row inside a window of `rows` rows.
    pub fn scroll_into_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + rows {
            self.offset = self.cursor + 1 - rows;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(rows));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::tests::fixtures::{profile, snapshot};

    fn roster(names: &[&str]) -> Roster {
        let mut r = Roster::default();
        r.replace(snapshot(names.iter().map(|n| profile(n)).collect()), 3);
        r
    }

    #[test]
    fn filter_matches_every_word_in_name_tenant_user_or_region() {
        let mut r = roster(&["contoso-prod", "contoso-test", "fabrikam"]);
        r.set_filter("CONTOSO-", 3);
        assert_eq!(r.visible_len(), 2);
        r.set_filter("contoso.onmicrosoft", 3);
        assert_eq!(r.visible_len(), 3, "every fixture has this tenant");
        r.set_filter("contoso test", 3);
        assert_eq!(r.visible_len(), 1);
        assert_eq!(r.selected().unwrap().name().as_str(), "contoso-test");
        r.set_filter("eu", 3);
        assert_eq!(r.visible_len(), 3, "region eu matches every fixture");
        r.set_filter("nothing-like-this", 3);
        assert!(r.selected().is_none());
    }

    #[test]
    fn scrolling_keeps_the_cursor_inside_the_window() {
        let names: Vec<String> = (0..10).map(|i| format!("p{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut r = roster(&refs);
        r.move_by(5, 3);
        assert_eq!((r.cursor(), r.offset()), (5, 3));
        r.move_by(-4, 3);
        assert_eq!((r.cursor(), r.offset()), (1, 1));
        r.move_by(100, 3);
        assert_eq!((r.cursor(), r.offset()), (9, 7));
        r.move_by(-100, 3);
        assert_eq!((r.cursor(), r.offset()), (0, 0));
    }

    #[test]
    fn a_reload_keeps_the_selected_profile_and_what_is_in_flight() {
        let mut r = roster(&["a", "b", "c"]);
        r.select("b", 3);
        r.get_mut("b").unwrap().busy = Some(Busy {
            purpose: Purpose::Refresh,
            copy_after: false,
        });
        r.replace(snapshot(vec![profile("c"), profile("b")]), 3);
        assert_eq!(r.selected().unwrap().name().as_str(), "b");
        assert!(r.get("b").unwrap().busy.is_some());
        assert!(r.get("a").is_none());
    }
}
