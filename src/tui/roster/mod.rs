//! The profiles on the board: `list` holds each profile with its token metadata, what is in
//! flight for it and when it refreshes next, plus the filter, the cursor and the scroll position.

pub mod list;
