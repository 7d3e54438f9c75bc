//! Durability of the real `concerto-server` binary, run as a child process on a fresh data
//! directory: a backup taken while answers flow in restores exactly a snapshot of them.

mod backup;
mod support;
