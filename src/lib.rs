//! The Concerto widget.
